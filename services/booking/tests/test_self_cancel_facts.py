"""Tester #14 in the booking service, against the in-memory store and a fixed clock: a
confirmation tells notifications whether its organiser can still cancel it themselves
(`self_cancel`), so the email offers only what is so. A walk-in the desk made for someone
without an account cannot (no /my page to cancel on, and its events name no organiser
subject), however far off; an organiser signed in can until the space's deadline, not when
the booking is confirmed past it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.booking import usecases
from services.booking.tests.test_usecases import DESK, MAIJA, NOW, TOMORROW_2PM, command, world
from shared.contracts import BookingConfirmed, parse_event


def _confirmed(store: object, booking_id: object) -> BookingConfirmed:
    [event] = [e for e in store.state.outbox  # type: ignore[attr-defined]
               if isinstance(e, BookingConfirmed) and e.booking_id == booking_id]
    return event


@pytest.mark.parametrize("start", [NOW + timedelta(minutes=11), TOMORROW_2PM + timedelta(days=3)],
                         ids=["in-eleven-minutes", "in-four-days"])
async def test_a_walk_in_without_an_account_is_not_offered_cancelling_itself(start) -> None:
    uow, store, space, clock = world(cancellation_hours=24)
    walk_in = await usecases.request_booking(uow, clock, DESK, command(
        space, start.replace(second=0, microsecond=0), organiser=usecases.OrganiserDetails(
            "Kalle", "kalle@example.fi", language="sv")), walk_in=True)
    event = _confirmed(store, walk_in.id)
    assert event.self_cancel is False and event.organiser_subject is None
    # On the bus the event says the subject is none (the key is there, null), which is how
    # notifications tells a walk-in from an event written before the subject was carried.
    parsed = parse_event(event.to_envelope())
    assert isinstance(parsed, BookingConfirmed) and parsed.self_cancel is False
    assert "organiser_subject" in parsed.model_fields_set and parsed.organiser_subject is None


async def test_an_organiser_may_cancel_an_automatic_confirmation_only_before_the_deadline(
        ) -> None:
    uow, store, space, clock = world(cancellation_hours=24, confirmation="automatic")
    early = await usecases.request_booking(uow, clock, MAIJA, command(space))  # 28 h ahead
    soon = await usecases.request_booking(uow, clock, MAIJA, command(
        space, (NOW + timedelta(hours=2)).replace(second=0, microsecond=0)))
    assert early.status == soon.status == "confirmed"
    assert _confirmed(store, early.id).self_cancel is True
    assert _confirmed(store, soon.id).self_cancel is False  # 2 h ahead: the 24 h have passed


async def test_a_held_time_submitted_past_the_deadline_is_not_offered_cancelling_itself(
        ) -> None:
    uow, store, space, clock = world(cancellation_hours=48, confirmation="automatic")
    start = TOMORROW_2PM  # 28 h ahead: within the 48 h deadline already
    held = await usecases.hold_slot(uow, clock, MAIJA, usecases.HoldCommand(
        space.id, start, start + timedelta(hours=1)))
    await usecases.submit_hold(uow, clock, MAIJA, held.id, command(space).details)
    assert _confirmed(store, held.id).self_cancel is False


async def test_a_request_the_desk_confirms_says_whether_the_deadline_has_passed_by_then(
        ) -> None:
    """The desk's decision is the other way a booking is confirmed: a request confirmed the
    day it was made may still be cancelled by its organiser, one left until the space's
    deadline has passed may not (the mail would offer what the page then refuses)."""
    uow, store, space, clock = world(cancellation_hours=24, confirmation="manual")
    on_time = await usecases.request_booking(uow, clock, MAIJA, command(space))  # 28 h ahead
    late = await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(hours=2)))
    assert on_time.status == late.status == "requested"
    await usecases.confirm_booking(uow, clock, DESK, on_time.id)
    clock.advance(timedelta(hours=8))  # 22 h before the late one: within its 24 h
    await usecases.confirm_booking(uow, clock, DESK, late.id)
    assert _confirmed(store, on_time.id).self_cancel is True
    assert _confirmed(store, late.id).self_cancel is False
