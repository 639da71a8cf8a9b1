"""Issues #15 and #16 in the booking service, against the in-memory store and a fixed clock:
what a booking's events tell notifications for the organiser's emails. The revision (the
calendar entry's SEQUENCE) grows with each change; a confirmation carries the door code (only
to a verified address), the price with its reference number and the space's rules; a
booking whose time is over is announced once (`booking.ended`), never a cancelled one."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from services.booking import usecases
from services.booking.domain import WeeklyHours
from services.booking.tests.test_usecases import (
    DESK,
    MAIJA,
    MATTI,
    NOW,
    TOMORROW_2PM,
    command,
    world,
)
from shared.clock import FixedClock
from shared.contracts import (
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingRequested,
)


async def test_each_change_of_a_booking_is_told_with_a_higher_revision() -> None:
    uow, store, space, clock = world()
    booking = await usecases.request_booking(uow, clock, MAIJA, command(space, minutes=120))
    await usecases.confirm_booking(uow, clock, DESK, booking.id)
    later = TOMORROW_2PM + timedelta(days=1)
    await usecases.move_booking(uow, clock, DESK, booking.id, later, later + timedelta(hours=2),
                                "remontti")
    await usecases.move_booking(uow, clock, DESK, booking.id, TOMORROW_2PM,
                                TOMORROW_2PM + timedelta(hours=2), None)
    await usecases.cancel_booking(uow, clock, DESK, booking.id, "vesivahinko")
    told = [(type(e).__name__, e.revision) for e in store.state.outbox
            if getattr(e, "booking_id", None) == booking.id]
    assert [name for name, _ in told] == ["BookingRequested", "BookingConfirmed", "BookingMoved",
                                          "BookingMoved", "BookingCancelled"]
    revisions = [revision for _, revision in told]
    assert revisions == sorted(set(revisions)) and revisions[0] >= 1
    # Each event says the booking as it is after the change it tells.
    assert revisions[-1] == store.state.bookings[booking.id].revision


async def test_a_confirmation_gives_the_door_code_only_to_a_verified_address() -> None:
    uow, store, space, clock = world(self_service=True, cancellation_hours=48,
                                     checkin_required=True, checkin_minutes=20)
    store.state.weekly = [WeeklyHours(d, time(8), time(12), "staffed") for d in range(1, 8)] + [
        WeeklyHours(d, time(12), time(21), "self_service") for d in range(1, 8)]
    hers = await usecases.request_booking(uow, clock, MAIJA, command(space, minutes=120))
    # Matti's identity provider vouches for no address: the one he gave is not mailed yet.
    his = await usecases.request_booking(uow, clock, MATTI, command(
        space, TOMORROW_2PM + timedelta(days=1), minutes=120))
    assert hers.hours_kind == "self_service" and hers.access_code
    for booking in (hers, his):
        await usecases.confirm_booking(uow, clock, DESK, booking.id)
    confirmed = {e.booking_id: e for e in store.state.outbox if isinstance(e, BookingConfirmed)}
    assert confirmed[hers.id].access_code == hers.access_code
    assert confirmed[hers.id].contact_email == "maija@example.fi"
    assert (confirmed[his.id].access_code, confirmed[his.id].contact_email) == (None, None)
    rules = confirmed[hers.id].house_rules
    assert rules is not None and (rules.cancellation_hours, rules.checkin_minutes) == (48, 20)
    # No other booking event carries the code.
    assert all(getattr(e, "access_code", None) is None for e in store.state.outbox
               if isinstance(e, BookingRequested))

    # Moved within self-service hours: the moved event gives the code again.
    later = TOMORROW_2PM + timedelta(days=2, hours=1)
    await usecases.move_booking(uow, clock, DESK, hers.id, later, later + timedelta(hours=2),
                                None)
    moved = store.state.outbox[-1]
    assert isinstance(moved, BookingMoved) and moved.access_code == hers.access_code


async def test_a_paid_confirmation_says_the_price_and_its_reference_number() -> None:
    uow, store, _, clock = world()
    paid = store.add_space(paid=True, price_per_hour=Decimal("25.00"))
    booking = await usecases.request_booking(uow, clock, MAIJA, command(
        paid, minutes=120, cooperation=False, organiser_type="association"))
    await usecases.confirm_booking(uow, clock, DESK, booking.id)
    confirmed = store.state.outbox[-1]
    assert isinstance(confirmed, BookingConfirmed)
    assert confirmed.price == Decimal("50.00")
    assert confirmed.invoice_reference == booking.invoice_reference is not None
    assert confirmed.access_code is None  # staffed hours: no door code

    free = await usecases.request_booking(uow, clock, MAIJA, command(
        paid, TOMORROW_2PM + timedelta(days=1)))
    await usecases.confirm_booking(uow, clock, DESK, free.id)
    confirmed = store.state.outbox[-1]
    assert isinstance(confirmed, BookingConfirmed)
    assert (confirmed.price, confirmed.invoice_reference) == (None, None)


async def test_a_booking_that_ended_is_announced_once_and_a_cancelled_one_never() -> None:
    uow, store, space, clock = world()
    held = await usecases.request_booking(uow, clock, MAIJA, command(space, minutes=120))
    await usecases.confirm_booking(uow, clock, DESK, held.id)
    dropped = await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(hours=3)))
    await usecases.confirm_booking(uow, clock, DESK, dropped.id)
    await usecases.cancel_booking(uow, clock, DESK, dropped.id, "sairastuminen")
    pending = await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(hours=5)))

    assert await usecases.announce_endings(uow, clock) == 0  # nothing has ended yet
    after = FixedClock(TOMORROW_2PM + timedelta(hours=8))
    assert await usecases.announce_endings(uow, after) == 1
    assert await usecases.announce_endings(uow, after) == 0  # once
    [ended] = [e for e in store.state.outbox if isinstance(e, BookingEnded)]
    assert (ended.booking_id, ended.contact_email, ended.checked_in) == (
        held.id, "maija@example.fi", False)
    assert pending.id not in store.state.ended and dropped.id not in store.state.ended
    # A booking that ended more than a week ago (a long outage) is past asking.
    old = await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(days=2)))
    await usecases.confirm_booking(uow, clock, DESK, old.id)
    assert await usecases.announce_endings(uow, FixedClock(NOW + timedelta(days=20))) == 0
    assert not any(isinstance(e, BookingCancelled) and e.booking_id == held.id
                   for e in store.state.outbox)


def test_a_bookings_calendar_entry_names_its_place_in_the_readers_language() -> None:
    from datetime import UTC, datetime
    from uuid import uuid4

    from services.booking.calendar_entry import ics_event
    from services.booking.store import CalendarEntry

    at = datetime(2026, 12, 10, 16, tzinfo=UTC)
    entry = CalendarEntry(id=uuid4(), title="Kuoro", starts_at=at, ends_at=at, status="confirmed",
                          access_code=None, updated_at=at, revision=4,
                          space_name={"fi": "Kokoussali", "sv": "Mötessal"},
                          venue_name={"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek"})
    # The venue first, then its space, as the booking's pages and the events' channels say.
    assert ics_event(entry, "sv").location == "Jynkkä bibliotek, Mötessal"
    assert ics_event(entry, "en").location == "Jynkän kirjasto, Kokoussali"  # no English
    assert ics_event(entry, "fi").sequence == 4
