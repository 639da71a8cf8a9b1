"""The desk's other forms take whatever a browser may send, in-process (the use cases'
in-memory store): a NUL, a control character or a pasted text past the schema's old bound
(100,000 characters) in a reason, a move's start, a lending's inputs, a new thing to lend
or a day's exception answered the bare shared "Lomakkeessa on virhe" page, which lost the
form. Now each is read by hand and refused by its input's rule on the page again, the form
as typed (a NUL as a browser shows it, U+FFFD), never a 5xx, nothing stored."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest

from services.booking import usecases
from services.booking.domain import Resource
from services.booking.labels import ERRORS
from services.booking.tests.test_desk_forms import (
    DESK,
    VENUE,
    Desk,
    Page,
    desk,
    refused_inputs,
)
from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL
from services.booking.tests.test_usecases import MAIJA, command

__all__ = ["desk"]  # the fixture, used by name

#: Past the 100,000 characters the forms' schema took.
PASTED = "z" * 100_001
#: The bare page the schema answered, in each language.
BARE = ("Lomakkeessa on virhe", "Formuläret innehåller ett fel", "The form has an error")


def not_bare(text: str) -> None:
    assert not any(title in text for title in BARE), text[:300]


@pytest.mark.parametrize("action", ["reject", "cancel"])
@pytest.mark.parametrize("reason, code", [("Remontti\x00", "text_chars"),
                                          (PASTED, "reason_long")])
async def test_a_reason_with_a_nul_or_pasted_past_the_bound_stands_by_its_input(
        desk: Desk, action: str, reason: str, code: str) -> None:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    if action == "cancel":
        await usecases.confirm_booking(desk.uow, desk.clock, DESK_PRINCIPAL, booking.id)
    status = desk.store.state.bookings[booking.id].status
    r = await desk.http.post(f"/desk/bookings/{booking.id}/{action}", params=desk.back("fi"),
                             headers=DESK, data={"reason": reason})
    assert r.status_code == 422
    not_bare(r.text)
    page = Page(r.text)
    assert page.text[f"error-{action}-reason-{booking.id}"].startswith(ERRORS[code]["fi"][:20])
    assert page.autofocus == [f"{action}-reason-{booking.id}"]
    assert page.value(f"{action}-reason-{booking.id}") == \
        reason[:1200].replace("\x00", "\ufffd")
    assert desk.store.state.bookings[booking.id].status == status


@pytest.mark.parametrize("starts_at", ["2031-03-05T18:00\x00", PASTED])
async def test_a_moves_start_with_a_nul_or_pasted_is_refused_by_the_start(
        desk: Desk, starts_at: str) -> None:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    confirmed = await usecases.confirm_booking(desk.uow, desk.clock, DESK_PRINCIPAL,
                                               booking.id)
    r = await desk.http.post(f"/desk/bookings/{booking.id}/move", params=desk.back("en"),
                             headers=DESK, data={"starts_at": starts_at, "minutes": "60",
                                                 "reason": "Remontti",
                                                 "revision": str(confirmed.revision)})
    assert r.status_code == 422
    not_bare(r.text)
    page = Page(r.text)
    assert page.text[f"error-move-starts_at-{booking.id}"] == \
        "The start time is not valid: give a date and a time."
    assert page.autofocus == [f"m-start-{booking.id}"]
    assert desk.store.state.bookings[booking.id].starts_at == confirmed.starts_at


async def test_a_tampered_lending_form_is_refused_by_each_input_at_once(desk: Desk) -> None:
    """The thing's list sent a NUL, the count a pasted text, the phone a NUL: each by its
    input in one answer, nothing lent."""
    projector = Resource(uuid4(), VENUE, {"fi": "Projektori"}, 2)
    desk.store.state.resources[projector.id] = projector
    r = await desk.http.post(f"/desk/loans/{VENUE}/lend",
                             params={"venue_id": str(VENUE), "lang": "en"}, headers=DESK,
                             data={"csrf": "x", "resource_id": "\x00", "quantity": PASTED,
                                   "starts_at": "2031-03-05T10:00",
                                   "ends_at": "2031-03-05T12:00", "borrower_name": "Kalle",
                                   "borrower_phone": "040 123\x00"})
    assert r.status_code == 422
    not_bare(r.text)
    assert refused_inputs(r, "lend-refusals") == {
        "lend-resource": "That is not one of this venue's things to lend: reload the page"
                         " and choose from the list.",
        "lend-quantity": "The value must be between 1 and 1,000.",
        "lend-phone": "Give the phone number in digits, e.g. 040 123 4567 or"
                      " +358 40 123 4567, at most 30 characters."}
    page = Page(r.text)
    assert page.value("lend-phone") == "040 123\ufffd"
    assert page.value("lend-quantity") == PASTED[:1000]
    assert desk.store.state.loans == {}


async def test_a_new_thing_to_lend_pasted_or_with_a_nul_is_refused_by_its_inputs(
        desk: Desk) -> None:
    r = await desk.http.post(f"/desk/loans/{VENUE}/resources",
                             params={"venue_id": str(VENUE), "lang": "sv"}, headers=DESK,
                             data={"csrf": "x", "name": PASTED, "quantity": "1\x00"})
    assert r.status_code == 422
    not_bare(r.text)
    assert set(refused_inputs(r, "add-refusals")) == {"add-name", "add-quantity"}
    assert Page(r.text).value("add-quantity") == "1\ufffd"
    assert desk.store.state.resources == {}


async def test_a_days_exception_with_a_nul_or_pasted_is_refused_by_its_input(
        desk: Desk) -> None:
    params = {"venue_id": str(VENUE), "lang": "fi"}
    for data, element in (({"day": "2031-03-10\x00"}, "x-day"),
                          ({"opens": PASTED}, "x-opens"),
                          ({"kind": "staffed\x00"}, "x-kind")):
        r = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params=params,
                                 headers=DESK, data={"csrf": "x", "day": "2031-03-10",
                                                     "opens": "10:00", "closes": "12:00",
                                                     "kind": "staffed", **data})
        assert r.status_code == 422, data
        not_bare(r.text)
        assert list(refused_inputs(r, "exception-refusals")) == [element], data
    assert desk.store.state.exceptions == []


async def test_a_holiday_year_with_a_nul_is_said_in_the_status_region(desk: Desk) -> None:
    r = await desk.http.post(f"/desk/hours/{VENUE}/public-holidays",
                             params={"venue_id": str(VENUE), "lang": "en"}, headers=DESK,
                             data={"csrf": "x", "year": "2031\x00"})
    assert r.status_code == 303
    said = parse_qs(urlsplit(r.headers["location"]).query)
    assert said["msg"] == ["Choose this year or next year."] and said["error"] == ["1"]
    assert desk.store.state.exceptions == []


async def test_a_days_exception_says_every_refusal_at_once(desk: Desk) -> None:
    """The day, a time and the reason each wrong: all three by their inputs in one answer
    (the day's was said alone, and the others only once it was mended); the day's shape
    (closing after opening) is asked once both times can be read, with a day unreadable."""
    params = {"venue_id": str(VENUE), "lang": "en"}
    r = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params=params, headers=DESK,
                             data={"csrf": "x", "day": "31.2.2031", "opens": PASTED,
                                   "closes": "12:00", "kind": "staffed",
                                   "reason": "Lukkari\x01"})
    assert r.status_code == 422
    assert list(refused_inputs(r, "exception-refusals")) == ["x-day", "x-opens", "x-reason"]
    assert Page(r.text).autofocus == ["exception-refusals"]
    backwards = await desk.http.post(
        f"/desk/hours/{VENUE}/exceptions", params=params, headers=DESK,
        data={"csrf": "x", "day": "huomenna", "opens": "14:00", "closes": "12:00",
              "kind": "staffed"})
    assert list(refused_inputs(backwards, "exception-refusals")) == ["x-day", "x-closes"]
    assert desk.store.state.exceptions == []
