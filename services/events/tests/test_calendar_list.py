"""The calendar's list (and day) view says of each activity what its page says first: that
one takes part online, and what a paid one costs, in the words and CLDR format of the event
page (testers missed both on the list). Rendered without I/O from the in-memory store's
rows."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from services.events import pages, usecases
from services.events.tests.test_usecases import World, fields
from shared.contracts import LocalizedText, VenueRegistered
from shared.pages import Lang

pytestmark = pytest.mark.unit


@pytest.fixture
def world() -> World:
    return World()


def _list_items(rows: list[Any], lang: Lang, venues: dict[Any, Any] | None = None
                ) -> list[str]:
    """The list view's items as a reader sees them (markup dropped, CLDR's no-break spaces
    read as spaces), rendered by the calendar page's own template."""
    html = pages._env.get_template("calendar.html").render(
        lang=lang, langs=pages.LANGS, t=pages.CALENDAR[lang], view="list", year=2026,
        events=[pages._row_view(r, lang, venues or {}) for r in rows], heading="",
        query=lambda **_: "", feed_query="")
    items = re.findall(r'<ol class="events">(.*?)</ol>', html, re.S)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", li).replace("\xa0", " ").replace(
        "\u202f", " ").split()) for li in re.findall(r"<li>(.*?)</li>", items, re.S)]


def _event_page_text(row: Any, lang: Lang) -> str:
    html = pages.render_event(row, None, [], lang, "https://kalenteri.example.fi")
    return html.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("lang", "price", "online"), [
    ("fi", "5,00 €", "verkossa"), ("sv", "5,00 €", "på nätet"), ("en", "€5.00", "online")])
async def test_a_paid_activity_shows_its_price_and_an_online_one_says_online(
        world: World, lang: Lang, price: str, online: str) -> None:
    paid = await world.create(**fields(free=False, price=Decimal("5.00")))
    circle = await world.create(**fields(
        name={"fi": "Kirjoittajapiiri", "sv": "Skrivarcirkel", "en": "Writers' circle"},
        place_kind="online", online_url="https://meet.example/kirjoittajat"))
    paid_item, online_item = _list_items([paid, circle], lang)
    assert paid_item.endswith(f"· {price}"), paid_item
    assert online not in paid_item.lower()
    # The price as the event page says it, by the same helper.
    assert price == pages.price_text(paid, lang).replace("\xa0", " ").replace("\u202f", " ")
    assert f"<dd>{price}</dd>" in _event_page_text(paid, lang)
    # Online only: no place, the word, the area, and free (as before).
    free_word = pages.CALENDAR[lang]["free_short"]
    assert f"· {online} · " in online_item and online_item.endswith(f"· {free_word}")
    assert price not in online_item


async def test_a_hybrid_activity_says_its_place_and_online_and_a_price_nobody_gave_is_said(
        world: World) -> None:
    venue = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Jynkän kirjasto"),
                            kind="library", area="kuopio.jynkka", municipality="Kuopio")
    await usecases.record_venue(world.uow(), world.clock, venue)
    hybrid = await world.create(**fields(
        place_kind="hybrid", venue_id=venue.venue_id,
        online_url="https://meet.example/kirjasto", free=False, price=None))
    [item] = _list_items([hybrid], "fi", await world.store.venue_places())
    assert "Jynkän kirjasto · verkossa · Jynkkä · Hinta ei tiedossa" in item, item
    assert "maksuton" not in item


async def test_a_free_activity_at_a_place_says_neither_online_nor_a_price(
        world: World) -> None:
    row = await world.create(**fields(place_name={"fi": "Jynkän puisto"}))
    [item] = _list_items([row], "sv")
    assert item.endswith("· Jynkkä · gratis"), item
    assert "på nätet" not in item and "€" not in item
