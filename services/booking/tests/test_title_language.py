"""The language of a booking's title is asked beside the title (Finnish unless chosen): the
activity drafted from the booking is named in it. The language of the organiser's messages
says nothing of the title's (the reverted try: a Swedish-speaking organiser's Finnish title
became the Swedish name), so the two are chosen apart, kept apart, and the booking events
carry the title's own. The request form, the API and the use cases, against the in-memory
store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from services.booking import domain, usecases
from services.booking.deps import unit_of_work
from services.booking.labels import ERRORS
from services.booking.tests.test_desk_forms import DESK, Desk, Page
from services.booking.tests.test_desk_forms import desk as desk  # the fixture
from services.booking.tests.test_organiser_forms import ORGANISER, Organiser
from services.booking.tests.test_organiser_usecases import my_world
from services.booking.tests.test_usecases import DESK as DESK_STAFF
from services.booking.tests.test_usecases import (
    MAIJA,
    TOMORROW_2PM,
    command,
    hold,
    world,
)
from shared.contracts import (
    BookingCancelled,
    BookingConfirmed,
    BookingMoved,
    BookingRequested,
)
from shared.errors import Invalid
from shared.service import get_clock
from tests.apps import unstarted_app

pytestmark = pytest.mark.unit


@pytest.fixture
async def organiser() -> AsyncIterator[Organiser]:
    uow, store, space, clock = my_world()
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    app = unstarted_app("booking")  # not started: no I/O
    app.dependency_overrides[unit_of_work] = lambda: uow
    app.dependency_overrides[get_clock] = lambda: clock
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8001") as http:
        yield Organiser(http, uow, store, held.id, clock)


def test_the_titles_language_is_one_of_ours_finnish_unless_given() -> None:
    assert [domain.check_title_language(x) for x in (None, "", "fi", "sv", "en")] == [
        "fi", "fi", "fi", "sv", "en"]
    for odd in ("de", "SV", "sv ", "fi-FI"):
        with pytest.raises(Invalid) as refused:
            domain.check_title_language(odd)
        assert (refused.value.field, refused.value.details["code"]) == (
            "title_language", "title_language"), odd


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_form_asks_the_titles_language_apart_from_the_messages(
        organiser: Organiser, lang: str) -> None:
    # Messages offered in the page's language; the title's is Finnish whatever that is.
    page = await organiser.http.get(f"/my/bookings/{organiser.held}/request",
                                    params={"lang": lang}, headers=ORGANISER)
    assert page.status_code == 200, page.text
    form = Page(page.text)
    assert form.selected["r-title-language"] == "fi" and form.selected["r-language"] == lang
    assert 'for="r-title-language"' in page.text
    # Each language named in itself, as the language of messages is.
    assert 'value="sv" lang="sv"' in page.text.split('id="r-title-language"')[1]


async def test_a_swedish_speakers_finnish_title_stays_finnish_and_a_swedish_one_swedish(
        organiser: Organiser) -> None:
    # Messages in Swedish, the title in Finnish (the case the reverted try lost).
    sent = await organiser.send("sv", title="Lukupiiri", title_language=None)
    assert sent.status_code == 303, sent.text
    booked = organiser.store.state.bookings[organiser.held]
    assert (booked.title, booked.title_language) == ("Lukupiiri", "fi")
    assert booked.contact is not None and booked.contact.language == "sv"
    (requested,) = [e for e in organiser.store.state.outbox if isinstance(e, BookingRequested)]
    assert requested.model_dump().get("title_language", "fi") == "fi"


async def test_a_title_written_in_swedish_is_kept_and_said_so(organiser: Organiser) -> None:
    sent = await organiser.send("fi", title="Bokcirkel", title_language="sv",
                                contact_language="fi")
    assert sent.status_code == 303, sent.text
    booked = organiser.store.state.bookings[organiser.held]
    assert (booked.title, booked.title_language) == ("Bokcirkel", "sv")
    assert booked.contact is not None and booked.contact.language == "fi"
    # Shown on a page in another language, the title says its own (WCAG 3.1.2); on a page
    # in its language, nothing to mark.
    for lang, h1 in (("fi", '<h1 lang="sv">Bokcirkel</h1>'), ("en", '<h1 lang="sv">Bokcirkel'),
                     ("sv", "<h1>Bokcirkel</h1>")):
        page = await organiser.http.get(f"/my/bookings/{organiser.held}",
                                        params={"lang": lang}, headers=ORGANISER)
        assert h1 in page.text, lang
        listed = await organiser.http.get("/my/bookings", params={"lang": lang},
                                          headers=ORGANISER)
        assert ('lang="sv">Bokcirkel</a>' in listed.text) == (lang != "sv"), lang
    # A refusal elsewhere keeps the choice as made.
    (space,) = organiser.store.state.spaces.values()
    organiser.held = (await usecases.hold_slot(organiser.uow, organiser.clock, MAIJA, hold(
        space, TOMORROW_2PM + timedelta(hours=2)))).id
    again = await organiser.send("en", title="Book club", title_language="en",
                                 contact_phone="call me")
    assert again.status_code == 422
    assert Page(again.text).selected["r-title-language"] == "en"


async def test_every_booking_event_carries_the_titles_language() -> None:
    """The events service names the booking's draft in the title's language: every booking
    event says it (`shared.contracts._BookingFacts.title_language`), as kept."""
    uow, store, space, clock = world(confirmation="automatic")
    booked = await usecases.request_booking(uow, clock, MAIJA, command(
        space, title="Book club", title_language="en"))
    assert booked.title_language == "en" and booked.status == "confirmed"
    assert store.state.bookings[booked.id].title_language == "en"
    start = booked.starts_at + timedelta(hours=2)
    await usecases.move_booking(uow, clock, DESK_STAFF, booked.id, start,
                                start + timedelta(hours=1), "remontti")
    await usecases.cancel_booking(uow, clock, DESK_STAFF, booked.id, "sairastuminen")
    said = [(type(e), e.title_language) for e in store.state.outbox]
    assert said == [(BookingRequested, "en"), (BookingConfirmed, "en"), (BookingMoved, "en"),
                    (BookingCancelled, "en")]
    assert store.state.outbox[0].model_dump(mode="json")["title_language"] == "en"
    # A title chosen in no language: Finnish, as every booking's was before it was asked.
    plain = await usecases.request_booking(uow, clock, MAIJA,
                                           command(space, start + timedelta(days=1)))
    assert [e.title_language for e in store.state.outbox
            if getattr(e, "booking_id", None) == plain.id] == ["fi", "fi"]


async def test_the_api_takes_the_titles_language_and_says_it_back() -> None:
    uow, store, space, clock = world()
    app = unstarted_app("booking")
    app.dependency_overrides[unit_of_work] = lambda: uow
    app.dependency_overrides[get_clock] = lambda: clock
    start = TOMORROW_2PM + timedelta(days=1)
    body: dict[str, Any] = {
        "title": "Bokcirkel", "space_id": str(space.id), "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(), "library_contact": "Sari",
        "accept_house_rules": True}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8001") as http:
        odd = await http.post("/bookings", headers=ORGANISER,
                              json={**body, "title_language": "de"})
        assert odd.status_code == 422
        assert odd.json()["detail"][0]["loc"] == ["body", "title_language"]
        assert store.state.bookings == {}
        made = await http.post("/bookings", headers=ORGANISER,
                               json={**body, "title_language": "sv"})
        assert made.status_code == 201, made.text
        assert made.json()["title_language"] == "sv"
        plain = await http.post("/bookings", headers=ORGANISER, json={
            **body, "starts_at": (start + timedelta(hours=2)).isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat()})
        assert plain.status_code == 201 and plain.json()["title_language"] == "fi"
        schema = (await http.get("/openapi.json")).json()["components"]["schemas"]
    assert schema["BookingIn"]["properties"]["title_language"]["enum"] == ["fi", "sv", "en"]
    assert schema["BookingIn"]["properties"]["title_language"]["default"] == "fi"


async def test_the_desks_walk_in_form_asks_it_too(desk: Desk) -> None:
    form = await desk.http.get("/desk", params=desk.back("sv"), headers=DESK)
    page = Page(form.text)
    assert page.selected["w-title-language"] == "fi" and page.selected["w-language"] == "sv"
    assert '<label for="w-title-language">Namnets språk</label>' in form.text
    booked = await desk.walk_in("sv", title="Brädspel", title_language="sv")
    assert booked.status_code == 303, booked.text
    (walk_in,) = desk.store.state.bookings.values()
    assert (walk_in.title, walk_in.title_language) == ("Brädspel", "sv")
    # The day's list marks it on a page in another language (WCAG 3.1.2).
    finnish = await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)
    assert '<span lang="sv">Brädspel</span>' in finnish.text
    swedish = await desk.http.get("/desk", params=desk.back("sv"), headers=DESK)
    assert "Brädspel" in swedish.text and 'lang="sv">Brädspel' not in swedish.text
    # A request waiting for the desk, its title in English: marked on the Finnish page.
    await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, TOMORROW_2PM, title="Book club",
        title_language="en"))
    waiting = await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)
    assert '<strong lang="en">Book club</strong>' in waiting.text
    assert '<strong lang="en">Book club</strong>' not in (await desk.http.get(
        "/desk", params=desk.back("en"), headers=DESK)).text
    # Nothing chosen: Finnish, whatever the page's language.
    await desk.walk_in("sv", starts_at="2031-03-05T18:00")
    assert [b.title_language for b in desk.store.state.bookings.values()
            if b.title == "Lautapelit"] == ["fi"]
    # Refused elsewhere: the choice comes back as made.
    again = await desk.walk_in("en", starts_at="2031-03-05T19:00", title="Board games",
                               title_language="en", organiser_phone="call me")
    assert again.status_code == 422
    assert Page(again.text).selected["w-title-language"] == "en"
    # A language the form does not offer: refused by its input, nothing booked.
    odd = await desk.walk_in("en", starts_at="2031-03-05T19:00", title_language="de")
    assert odd.status_code == 422 and len(desk.store.state.bookings) == 3
    refused = Page(odd.text)
    assert refused.text["error-title_language"].strip() == ERRORS["title_language"]["en"]
    assert refused.by_id["w-title-language"].get("aria-invalid") == "true"
