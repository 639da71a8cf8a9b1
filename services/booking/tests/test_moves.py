"""Issue #14 in the booking service, against the in-memory store: the desk moves a booking,
the events service's move requests are answered moved or refused (never half done), and an
activity cancelled with `release_booking` frees its booking, each once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from services.booking import usecases
from services.booking.tests.test_usecases import (
    DESK,
    MAIJA,
    MATTI,
    TOMORROW_2PM,
    FakeStore,
    Uow,
    command,
    types,
    world,
)
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventCancelled,
    BookingCancelled,
    BookingMoved,
    BookingMoveRefused,
    BookingMoveRequested,
    LocalizedText,
)
from shared.errors import Conflict, Forbidden, Invalid, Refusals


async def _confirmed(uow: Uow, clock: FixedClock, store: FakeStore, space, start=TOMORROW_2PM,
                     who=MAIJA) -> usecases.domain.Booking:  # type: ignore[no-untyped-def]
    booking = await usecases.request_booking(uow, clock, who, command(space, start, 120))
    return await usecases.confirm_booking(uow, clock, DESK, booking.id)


def _request(booking_id, start, hours=2) -> BookingMoveRequested:  # type: ignore[no-untyped-def]
    return BookingMoveRequested(request_id=uuid4(), booking_id=booking_id, event_id=uuid4(),
                                starts_at=start, ends_at=start + timedelta(hours=hours),
                                requested_by="organiser:maija")


async def test_the_desk_moves_a_confirmed_booking_and_says_so() -> None:
    uow, store, space, clock = world()
    booking = await _confirmed(uow, clock, store, space)
    other = await _confirmed(uow, clock, store, space, TOMORROW_2PM + timedelta(hours=3), MATTI)
    later = TOMORROW_2PM + timedelta(days=1)
    moved = await usecases.move_booking(uow, clock, DESK, booking.id, later,
                                        later + timedelta(hours=2), "remontti")
    assert (moved.starts_at, moved.history[-1].status, moved.history[-1].reason) == (
        later, "moved", "remontti")
    event = store.state.outbox[-1]
    assert isinstance(event, BookingMoved) and event.previous_starts_at == TOMORROW_2PM
    assert (event.moved_by, event.request_id) == ("desk", None)

    with pytest.raises(Forbidden):
        await usecases.move_booking(uow, clock, MAIJA, booking.id, TOMORROW_2PM,
                                    TOMORROW_2PM + timedelta(hours=2), None)
    with pytest.raises(Conflict, match="already booked"):  # onto the other booking
        await usecases.move_booking(uow, clock, DESK, booking.id, other.starts_at,
                                    other.ends_at, None)
    late = TOMORROW_2PM.replace(hour=21)
    with pytest.raises(Invalid, match="opening hours"):
        await usecases.move_booking(uow, clock, DESK, booking.id, late,
                                    late + timedelta(hours=1), None)
    assert store.state.bookings[booking.id].starts_at == later  # the refusals changed nothing


async def test_a_move_request_is_moved_or_refused_and_never_half_done() -> None:
    uow, store, space, clock = world()
    booking = await _confirmed(uow, clock, store, space)
    other = await _confirmed(uow, clock, store, space, TOMORROW_2PM + timedelta(hours=3), MATTI)
    claims = list(store.state.claims)
    before = len(store.state.outbox)

    # The space's own rule is named beside the kind, so a page need not read the English.
    for start, code, rule in [(other.starts_at, "taken", None),
                              (TOMORROW_2PM.replace(hour=21), "closed", "closed"),
                              (TOMORROW_2PM - timedelta(days=3), "rule", "past")]:
        request = _request(booking.id, start)
        await usecases.move_on_request(uow, clock, request)
        refusal = store.state.outbox[-1]
        assert isinstance(refusal, BookingMoveRefused), refusal
        assert (refusal.code, refusal.rule, refusal.request_id) == (
            code, rule, request.request_id)
        assert store.state.claims == claims  # the booking kept its claims and time
    assert store.state.bookings[booking.id].starts_at == TOMORROW_2PM
    assert len(store.state.outbox) == before + 3

    later = TOMORROW_2PM + timedelta(days=1)
    request = _request(booking.id, later)
    await usecases.move_on_request(uow, clock, request)
    moved = store.state.outbox[-1]
    assert isinstance(moved, BookingMoved) and moved.request_id == request.request_id
    history = store.state.bookings[booking.id].history
    assert (history[-1].status, history[-1].actor) == ("moved", "events:organiser:maija")
    # A re-sent request answers again and moves nothing twice.
    await usecases.move_on_request(uow, clock, request)
    assert isinstance(store.state.outbox[-1], BookingMoved)
    assert len(store.state.bookings[booking.id].history) == len(history)

    # A booking that ended is not moved; an unknown one is refused too.
    await usecases.cancel_booking(uow, clock, DESK, other.id, "suljettu")
    await usecases.move_on_request(uow, clock, _request(other.id, later + timedelta(days=1)))
    assert (store.state.outbox[-1].code) == "status"  # type: ignore[attr-defined]
    await usecases.move_on_request(uow, clock, _request(uuid4(), later))
    assert (store.state.outbox[-1].code) == "gone"  # type: ignore[attr-defined]


def _cancelled(booking_id, release: bool) -> ActivityEventCancelled:  # type: ignore[no-untyped-def]
    return ActivityEventCancelled(
        event_id=uuid4(), revision=2, name=LocalizedText(fi="Kuoro"), starts_at=TOMORROW_2PM,
        ends_at=TOMORROW_2PM + timedelta(hours=2), kind="open_guided", booking_id=booking_id,
        reason="sairastuminen", release_booking=release)


async def test_an_activity_cancelled_with_release_frees_its_booking_once() -> None:
    uow, store, space, clock = world()
    kept = await _confirmed(uow, clock, store, space)
    freed = await _confirmed(uow, clock, store, space, TOMORROW_2PM + timedelta(days=1))
    await usecases.release_for_cancelled_activity(uow, clock, _cancelled(kept.id, False))
    assert store.state.bookings[kept.id].status == "confirmed"
    for _ in range(2):  # redelivered: the second changes nothing
        await usecases.release_for_cancelled_activity(uow, clock, _cancelled(freed.id, True))
    booking = store.state.bookings[freed.id]
    assert booking.status == "cancelled"
    assert booking.history[-1].actor == "organiser:activity-cancelled"
    assert "sairastuminen" in (booking.history[-1].reason or "")
    assert not [c for c in store.state.claims if c[0] == freed.id]
    assert types(store).count("BookingCancelled") == 1
    cancelled = store.state.outbox[-1]
    assert isinstance(cancelled, BookingCancelled) and cancelled.cancelled_by == "organiser"


async def test_a_move_too_long_and_past_closing_is_refused_for_both_at_once() -> None:
    """The session 29 tester's case: the desk's move heard of the length alone, then of the
    closing time on the next try. Both now, by their fields, as a request hears them; the
    events service's request names the first rule, the booking keeps its time."""
    uow, store, space, clock = world()
    booking = await _confirmed(uow, clock, store, space)
    evening = TOMORROW_2PM.replace(hour=19, minute=30) + timedelta(days=1)
    with pytest.raises(Refusals) as refused:
        await usecases.move_booking(uow, clock, DESK, booking.id, evening,
                                    evening + timedelta(hours=5), "remontti")
    assert [(e.field, e.details["code"]) for e in refused.value.each] == [
        ("ends_at", "too_long"), ("starts_at", "closed")]
    request = _request(booking.id, evening, hours=5)
    await usecases.move_on_request(uow, clock, request)
    answer = store.state.outbox[-1]
    assert isinstance(answer, BookingMoveRefused)
    assert (answer.code, answer.rule) == ("rule", "too_long")
    assert store.state.bookings[booking.id].starts_at == TOMORROW_2PM
