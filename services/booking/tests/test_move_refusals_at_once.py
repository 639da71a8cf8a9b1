"""The desk's move form says every refusal of a move at once, in-process (the use cases'
in-memory store, open 8–20 every day): a new time past closing that also runs into
another booking, with a blank reason, is refused for all three in one answer, each by its
input, with a list at the top of the form linking to them, in the page's language (fi, sv,
en); nothing is moved while any stands."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services.booking import domain, usecases
from services.booking.labels import ERRORS, labels
from services.booking.tests.test_desk_forms import DESK, Desk, Page, desk
from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL
from services.booking.tests.test_usecases import MAIJA, TOMORROW_2PM, command
from shared.errors import Conflict, Invalid

__all__ = ["desk"]  # the fixture, used by name


async def _confirmed(desk: Desk, hour: int) -> domain.Booking:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, start=TOMORROW_2PM.replace(hour=hour)))
    return await usecases.confirm_booking(desk.uow, desk.clock, DESK_PRINCIPAL, booking.id)


def _said(template: str) -> str:
    """A refusal's text up to its first placeholder (the hours, the claims in the way)."""
    return template.split("{")[0]


def _summary_links(html: str, summary: str) -> tuple[str, list[tuple[str, str]]]:
    """The list's title and its items (the link's target, "" for none; the text)."""
    block = html.split(f'id="{summary}"')[1].split("</div>")[0]
    title = re.search(r"<p [^>]*>([^<]*)</p>", block)
    assert title is not None
    items = re.findall(r'<li>(?:<a href="#([^"]+)">)?([^<]*)', block)
    return title.group(1), items


def _nothing_moved(desk: Desk, booking: domain.Booking) -> None:
    kept = desk.store.state.bookings[booking.id]
    assert (kept.starts_at, kept.ends_at) == (booking.starts_at, booking.ends_at)
    assert not [e for e in desk.store.state.outbox  # type: ignore[attr-defined]
                if type(e).__name__ == "BookingMoved"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_past_closing_onto_another_booking_without_a_reason_is_said_all_at_once(
        desk: Desk, lang: str) -> None:
    moving = await _confirmed(desk, 14)
    await _confirmed(desk, 19)  # 19–20, the hour the move would run into
    r = await desk.http.post(f"/desk/bookings/{moving.id}/move", params=desk.back(lang),
                             headers=DESK, data={"starts_at": "2031-03-05T19:30",
                                                 "minutes": "60", "reason": "  ",
                                                 "revision": str(moving.revision)})
    assert r.status_code == 422 and "location" not in r.headers
    page = Page(r.text)
    start, reason = f"m-start-{moving.id}", f"m-reason-{moving.id}"
    at_start = page.text[f"error-move-starts_at-{moving.id}"]
    # Past closing (20.00) and onto the 19–20 booking: both, by the new start.
    assert _said(ERRORS["closed"][lang]) in at_start
    assert _said(ERRORS["taken"][lang]) in at_start
    assert page.text[f"error-move-reason-{moving.id}"] == ERRORS["reason"][lang]
    for element, error in ((start, "starts_at"), (reason, "reason")):
        assert page.by_id[element]["aria-invalid"] == "true"
        assert page.by_id[element]["aria-describedby"] == f"error-move-{error}-{moving.id}"
    # The list at the top of the form has focus and leads to each input by its label.
    summary = f"move-refusals-{moving.id}"
    assert page.autofocus == [summary]
    title, items = _summary_links(r.text, summary)
    assert title == labels(lang)["check_move"]
    assert [href for href, _ in items] == [start, reason]
    assert items[0][1].startswith(f"{labels(lang)['new_start']}: ")
    assert items[1][1] == f"{labels(lang)['reason'].capitalize()}: {ERRORS['reason'][lang]}"
    # The form open and as typed; the booking where it was.
    assert '<details class="move" open>' in r.text
    assert page.value(start) == "2031-03-05T19:30" and page.value(reason) == "  "
    _nothing_moved(desk, moving)


async def test_a_tampered_length_is_said_with_the_reason_in_the_list(desk: Desk) -> None:
    moving = await _confirmed(desk, 14)
    r = await desk.http.post(f"/desk/bookings/{moving.id}/move", params=desk.back("sv"),
                             headers=DESK, data={"starts_at": "2031-03-05T16:00",
                                                 "minutes": "-60", "reason": "",
                                                 "revision": str(moving.revision)})
    assert r.status_code == 422
    page = Page(r.text)
    assert page.text[f"error-move-reason-{moving.id}"] == ERRORS["reason"]["sv"]
    _, items = _summary_links(r.text, f"move-refusals-{moving.id}")
    # The length is a hidden input: its refusal is said in the list, linking nowhere, as
    # one no typing mends (reload).
    assert [href for href, _ in items] == [f"m-reason-{moving.id}", ""]
    assert items[1][1] == ERRORS["move_length"]["sv"]
    _nothing_moved(desk, moving)


async def test_one_refusal_stands_by_its_input_alone(desk: Desk) -> None:
    moving = await _confirmed(desk, 14)
    r = await desk.http.post(f"/desk/bookings/{moving.id}/move", params=desk.back("en"),
                             headers=DESK, data={"starts_at": "2031-03-05T19:30",
                                                 "minutes": "60", "reason": "Remontti",
                                                 "revision": str(moving.revision)})
    assert r.status_code == 422
    page = Page(r.text)
    assert page.autofocus == [f"m-start-{moving.id}"]
    assert f"move-refusals-{moving.id}" not in page.by_id
    assert page.text[f"error-move-starts_at-{moving.id}"].startswith(
        _said(ERRORS["closed"]["en"]))
    _nothing_moved(desk, moving)


async def test_the_use_case_lists_every_refusal_of_a_move_and_moves_nothing(
        desk: Desk) -> None:
    moving = await _confirmed(desk, 14)
    await _confirmed(desk, 19)
    start = TOMORROW_2PM.replace(hour=19, minute=30)
    found = await usecases.move_refusals(desk.uow, desk.clock, DESK_PRINCIPAL, moving.id,
                                         start, start + timedelta(hours=1), " ")
    assert [(type(e), e.details.get("code")) for e in found] == [
        (Invalid, "reason"), (Invalid, "closed"), (Conflict, "taken")]
    assert found[2].details["conflicts"] == [
        {"starts_at": domain.utc_text(TOMORROW_2PM.replace(hour=19)),
         "ends_at": domain.utc_text(TOMORROW_2PM.replace(hour=20))}]
    free = TOMORROW_2PM.replace(hour=16)
    assert await usecases.move_refusals(desk.uow, desk.clock, DESK_PRINCIPAL, moving.id,
                                        free, free + timedelta(hours=1), "Remontti") == []
    # Its own time is not in its way: a move by half an hour overlaps only itself.
    half = TOMORROW_2PM.replace(minute=30)
    assert await usecases.move_refusals(desk.uow, desk.clock, DESK_PRINCIPAL, moving.id,
                                        half, half + timedelta(hours=1), "Remontti") == []
    _nothing_moved(desk, moving)
