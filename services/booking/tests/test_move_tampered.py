"""The desk's move form POSTed as no page of the desk sends it, in-process (the use cases'
in-memory store, open 8–20 every day): the form hides the booking's length, so an end
before its start (a length of -60, 0 or none), a missing input, a time no clock shows, a
day the calendar lacks, another venue's booking or one there is not, each gets the desk's
page back with the refusal in the page's language (fi, sv, en), and nothing is moved."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import httpx
import pytest

from services.booking import domain, usecases
from services.booking.labels import ERRORS, labels, no_such_time_text
from services.booking.tests.test_desk_forms import DESK, Desk, Page, desk
from services.booking.tests.test_desk_lend_tampered import OTHER_VENUE
from services.booking.tests.test_impossible_days import WALK_IN_SAYS
from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL
from services.booking.tests.test_usecases import MAIJA, TOMORROW_2PM, command

__all__ = ["desk"]  # the fixture, used by name

LANGS = ["fi", "sv", "en"]


async def _confirmed(desk: Desk, hour: int = 14) -> domain.Booking:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, start=TOMORROW_2PM.replace(hour=hour)))
    return await usecases.confirm_booking(desk.uow, desk.clock, DESK_PRINCIPAL, booking.id)


async def _move(desk: Desk, booking_id: UUID, lang: str, *, day: str | None = None,
                **form: str | None) -> httpx.Response:
    """The move form as the page makes it, with `form`'s changes (None: left out)."""
    known = desk.store.state.bookings.get(booking_id)
    sent = {"csrf": "x", "starts_at": "2031-03-05T16:00", "minutes": "60",
            "reason": "Remontti", "revision": str(known.revision if known else 1), **form}
    back = {**desk.back(lang), **({"day": day} if day else {})}
    return await desk.http.post(f"/desk/bookings/{booking_id}/move", params=back,
                                headers=DESK,
                                data={k: v for k, v in sent.items() if v is not None})


def _where(desk: Desk) -> dict[UUID, tuple[Any, Any]]:
    return {b.id: (b.starts_at, b.ends_at) for b in desk.store.state.bookings.values()}


def _nothing_moved(desk: Desk, before: dict[UUID, tuple[Any, Any]]) -> None:
    assert _where(desk) == before
    assert not [e for e in desk.store.state.outbox  # type: ignore[attr-defined]
                if type(e).__name__ == "BookingMoved"]


def _status(page: Page) -> str:
    return " ".join(page.text.get("status", "").split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("minutes", ["-60", "0", None, "ten", "99999999"])
async def test_an_end_before_its_start_is_said_in_the_move_forms_list(
        desk: Desk, lang: str, minutes: str | None) -> None:
    """The length is hidden: the desk cannot mend it by typing, so the form says to reload,
    in its list (no input to stand by), open and as typed, focus on the list. It came back
    as a bare redirect asking to "give the length in minutes", the form lost."""
    moving = await _confirmed(desk)
    before = _where(desk)
    r = await _move(desk, moving.id, lang, minutes=minutes, starts_at="2031-03-05T16:30")
    assert r.status_code == 422 and "location" not in r.headers
    page = Page(r.text)
    summary = f"move-refusals-{moving.id}"
    assert page.autofocus == [summary]
    said = " ".join(page.text[summary].split())
    assert said.startswith(f"{labels(lang)['check_move']} {ERRORS['move_length'][lang]}")
    assert '<details class="move" open>' in r.text
    assert page.value(f"m-start-{moving.id}") == "2031-03-05T16:30"
    assert page.value(f"m-reason-{moving.id}") == "Remontti"
    _nothing_moved(desk, before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("start", "says"), [
    ("2031-03-05T25:61", lambda lang: no_such_time_text(25, 61, lang)),
    ("5.3.2031 24.00", lambda lang: no_such_time_text(24, 0, lang)),
    ("2031-02-30T10:00", lambda lang: WALK_IN_SAYS["2031-02-30T10:00"][lang]),
    ("31.4.2031 10.00", lambda lang: {
        "fi": "31.4.2031 ei ole olemassa oleva päivä (huhtikuussa 2031 on 30 päivää).",
        "sv": "Det finns ingen 31 april 2031 (april 2031 har 30 dagar).",
        "en": "There is no 31 April 2031 (April 2031 has 30 days)."}[lang]),
    (None, lambda lang: ERRORS["time"][lang]),
])
async def test_a_start_no_clock_or_calendar_has_is_said_by_the_new_start(
        desk: Desk, lang: str, start: str | None, says: Any) -> None:
    moving = await _confirmed(desk)
    before = _where(desk)
    r = await _move(desk, moving.id, lang, starts_at=start)
    assert r.status_code == 422 and "location" not in r.headers
    page = Page(r.text)
    element = f"m-start-{moving.id}"
    assert page.text[f"error-move-starts_at-{moving.id}"] == says(lang)
    assert page.by_id[element]["aria-invalid"] == "true" and page.autofocus == [element]
    assert page.value(element) == (start or "")
    _nothing_moved(desk, before)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_missing_reason_or_revision_is_refused_and_nothing_moved(
        desk: Desk, lang: str) -> None:
    moving = await _confirmed(desk)
    before = _where(desk)
    r = await _move(desk, moving.id, lang, reason=None)
    assert r.status_code == 422
    assert Page(r.text).text[f"error-move-reason-{moving.id}"] == ERRORS["reason"][lang]
    # No revision, or nothing at all: the page as it is now, "reload".
    for form in ({"revision": None}, {"starts_at": None, "minutes": None, "reason": None,
                                      "revision": None}):
        r = await _move(desk, moving.id, lang, **form)
        assert r.status_code == 409, form
        page = Page(r.text)
        assert _status(page) == " ".join(ERRORS["form_outdated"][lang].split())
        assert page.autofocus == ["status"]
    _nothing_moved(desk, before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("start", ["2031-03-05T16:00", "2031-02-30T10:00", "2031-03-05T25:61"])
async def test_another_venues_booking_or_none_is_said_as_such_whatever_the_form_says(
        desk: Desk, lang: str, start: str) -> None:
    """A booking this desk does not move is refused as that, on the desk's page: with a
    start it could not read, the start's refusal was said on a row the page does not have,
    so the page came back (422) saying nothing at all."""
    await _confirmed(desk)
    theirs = await _confirmed(desk, 16)
    desk.store.state.bookings[theirs.id] = domain.Booking(**{
        **theirs.__dict__, "venue_id": OTHER_VENUE})
    before = _where(desk)
    for booking_id, code in ((theirs.id, "not_yours"), (uuid4(), "no_booking")):
        r = await _move(desk, booking_id, lang, starts_at=start, minutes="-60")
        assert r.status_code == 303, (code, r.status_code)
        back = urlsplit(r.headers["location"])
        assert back.path == "/desk"
        page = await desk.http.get(f"/desk?{back.query}", headers=DESK)
        assert page.status_code == 200
        shown = Page(page.text)
        assert _status(shown) == ERRORS[code][lang] and shown.autofocus == ["status"]
    _nothing_moved(desk, before)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_move_from_a_page_without_its_row_says_the_refusal_in_the_status(
        desk: Desk, lang: str) -> None:
    """A move sent with another day's page as its way back: the page has no row for its
    form, so its refusals are said in the status region, each by its input's label."""
    moving = await _confirmed(desk)
    before = _where(desk)
    r = await _move(desk, moving.id, lang, day="2031-03-07", starts_at="2031-03-05T25:61",
                    reason="")
    assert r.status_code == 422
    page = Page(r.text)
    t = labels(lang)
    assert _status(page) == (f"{t['new_start']}: {no_such_time_text(25, 61, lang)} "
                             f"{t['reason'].capitalize()}: {ERRORS['reason'][lang]}")
    assert page.autofocus == ["status"] and f"m-start-{moving.id}" not in page.by_id
    _nothing_moved(desk, before)
