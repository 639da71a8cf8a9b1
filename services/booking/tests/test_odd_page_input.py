"""Odd input on the organiser's and the desk's forms (a probe of every form post with long
texts, NUL and control characters, impossible and far-off dates, huge numbers, wrong
content types and repeated fields found no 5xx). Two values passed a page but not the
database, answered only by the last line of defence's generic 422: cancelling a series
"from" year 1 (no midnight of it in Helsinki for PostgreSQL), now bounded as the API's
`from` is (`shared.bounds.check_day`) and refused by the page's own words; and a NUL in
the request form's library contact person, which no rule read, now one rule for every way
in (`domain.check_library_contact`: one line, no control or text-direction character)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from services.booking import domain, usecases
from services.booking.labels import ERRORS
from services.booking.tests.test_organiser_forms import ORGANISER, Organiser
from services.booking.tests.test_organiser_series import _seen
from services.booking.tests.test_organiser_series import organiser as organiser
from services.booking.tests.test_usecases import MAIJA, command, world
from shared.errors import Invalid, Refusals

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_series_is_not_cancelled_from_a_day_outside_the_services_years(
        organiser: Organiser, lang: str) -> None:
    sent = await organiser.send(lang, repeat="1", repeat_count="3")
    assert sent.status_code == 303, sent.text
    series_id = next(b.series_id for b in organiser.store.state.bookings.values()
                     if b.series_id)
    asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"lang": lang}, headers=ORGANISER)
    seen = _seen(asked.text)
    before = {b.id: b.status for b in organiser.store.state.bookings.values()}
    assert list(before.values()).count("requested") == 3
    for day in ("0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"):
        # The question, asked from such a day: said on the list, in the page's language.
        question = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                            params={"lang": lang, "from": day},
                                            headers=ORGANISER)
        assert question.status_code == 303, (day, question.text[:200])
        said = parse_qs(urlsplit(question.headers["location"]).query)
        assert said["msg"] == [ERRORS["day_years"][lang]] and said["error"] == ["1"], day
        # The confirming post with it: the same, and nothing cancelled.
        gone = await organiser.http.post(
            f"/my/series/{series_id}/cancel", params={"lang": lang}, headers=ORGANISER,
            data={"csrf": "x", "from": day, "confirm": "yes", "seen": seen})
        assert gone.status_code == 303, day
        said = parse_qs(urlsplit(gone.headers["location"]).query)
        assert said["msg"] == [ERRORS["day_years"][lang]] and said["error"] == ["1"], day
        assert {b.id: b.status for b in organiser.store.state.bookings.values()} == before
    # A day within them still cancels from it.
    gone = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": lang}, headers=ORGANISER,
        data={"csrf": "x", "from": "2000-01-01", "confirm": "yes", "seen": seen})
    assert gone.status_code == 303 and "error" not in gone.headers["location"]
    assert [b.status for b in organiser.store.state.bookings.values()
            if b.series_id] == ["cancelled"] * 3


def test_the_librarys_contact_person_is_one_line_of_plain_text() -> None:
    assert domain.check_library_contact("  Sari Kirjasto ") == "Sari Kirjasto"
    assert domain.check_library_contact(" ") is None and domain.check_library_contact(None) \
        is None
    for odd in ("Sa\x00ri", "Sari\x1b[31m", "\u202eSari", "Sari\nKirjasto", "Sari\x7f"):
        with pytest.raises(Invalid) as refused:
            domain.check_library_contact(odd)
        assert (refused.value.field, refused.value.details["code"]) == (
            "library_contact", "text_chars"), odd


async def test_every_way_in_refuses_it_by_the_one_rule() -> None:
    uow, store, space, clock = world()
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(
            space, library_contact="Sari\u202e"))
    assert [(e.field, e.details["code"]) for e in refused.value.each] == [
        ("library_contact", "text_chars")]
    assert store.state.bookings == {}
    booked = await usecases.request_booking(uow, clock, MAIJA, command(
        space, library_contact="  Sari  "))
    assert store.state.bookings[booked.id].library_contact == "Sari"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_nul_in_the_librarys_contact_is_refused_by_its_input(
        organiser: Organiser, lang: str) -> None:
    r = await organiser.send(lang, library_contact="Sa\x00ri")
    assert r.status_code == 422
    assert f'id="error-library_contact">{ERRORS["text_chars"][lang]}' in r.text.replace(
        "&#39;", "'")
    assert organiser.store.state.bookings[organiser.held].status == "held"
