"""A name, lead, description or place shown in another language than the page's (an activity
written in Finnish only, read on the Swedish page) is marked with its language, so a screen
reader reads it with that language's voice (WCAG 3.1.2): the event page and the calendar's
lists, rendered without I/O from the in-memory store's rows."""

from __future__ import annotations

import re

import pytest

from services.events import pages
from services.events.tests.test_usecases import World, fields


@pytest.fixture
def world() -> World:
    return World()


FINNISH_ONLY = {
    "name": {"fi": "Satutuokio"},
    "short_description": {"fi": "Tule kuuntelemaan satuja."},
    "description": {"fi": "Luemme satuja lapsille ja heidän aikuisilleen."},
    "accessibility": {"fi": "Esteetön sisäänkäynti"},
    "place_name": {"fi": "Jynkän puisto"},
    "image_url": "https://kuvat.example.fi/satu.jpg", "image_alt": {"fi": "Lapsia lukemassa"},
}


async def test_the_event_page_marks_finnish_texts_on_the_swedish_page(world: World) -> None:
    row = await world.create(**fields(**FINNISH_ONLY))
    html = pages.render_event(row, None, [], "sv", "https://kalenteri.example.fi")
    assert '<html lang="sv">' in html
    for text in ("Satutuokio", "Tule kuuntelemaan satuja.",
                 "Luemme satuja lapsille ja heidän aikuisilleen.", "Esteetön sisäänkäynti",
                 "Jynkän puisto"):
        assert f'<span lang="fi">{text}</span>' in html, text
    assert re.search(r'<img [^>]*alt="Lapsia lukemassa" lang="fi"', html)
    # The page's own language is not marked again.
    same = pages.render_event(row, None, [], "fi", "https://kalenteri.example.fi")
    assert 'lang="fi">Satutuokio' not in same and "<h1>Satutuokio</h1>" in same
    assert not re.search(r'<img [^>]*lang=', same)


async def test_a_text_of_its_own_language_is_not_marked_and_odd_text_stays_escaped(
        world: World) -> None:
    row = await world.create(**fields(
        name={"fi": "Satutuokio", "sv": "Sagostund <b>"},
        description={"fi": "Kuvaus", "sv": "Beskrivning & mer"}))
    html = pages.render_event(row, None, [], "sv", "https://kalenteri.example.fi")
    assert "<h1>Sagostund &lt;b&gt;</h1>" in html
    assert "<p>Beskrivning &amp; mer</p>" in html
    assert '<span lang="fi">' not in html


async def test_the_calendars_lists_mark_a_name_and_place_in_another_language(
        world: World) -> None:
    row = await world.create(**fields(**FINNISH_ONLY))
    seen = pages._row_view(row, "en", {})
    assert str(seen["name"]) == '<span lang="fi">Satutuokio</span>'
    assert str(seen["place"]) == '<span lang="fi">Jynkän puisto</span>'
    other = await world.create(**fields(name={"fi": "Lukupiiri", "en": "Reading circle"},
                                       place_name=None))
    assert pages._row_view(other, "en", {})["name"] == "Reading circle"
