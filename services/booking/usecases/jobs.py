"""Scheduled work: holds that expired, no-shows, bookings that ended, personal data past its
retention."""

from __future__ import annotations

from datetime import timedelta

from services.booking import domain
from services.booking.usecases.common import (
    Uow,
    facts,
    run,
)
from shared.clock import Clock
from shared.contracts import (
    BookingEnded,
    BookingNoShow,
)


async def expire_holds(uow: Uow, clock: Clock, limit: int = 200) -> int:
    """Holds the organiser did not complete in time free their slot."""

    async def work(uow: Uow) -> int:
        ids = await uow.store.expired_holds(clock.now(), limit)
        for booking_id in ids:
            await uow.store.set_status(booking_id, "expired", actor="system",
                                       reason="hold expired", at=clock.now(), release=True)
        return len(ids)

    return await run(uow, work)


async def release_no_shows(uow: Uow, clock: Clock, limit: int = 200) -> int:
    """Confirmed bookings of spaces that require check-in, not checked in within the window."""

    async def work(uow: Uow) -> int:
        due = await uow.store.due_no_shows(clock.now(), limit)
        for booking in due:
            domain.check_transition(booking.status, "no_show")
            await uow.store.set_status(booking.id, "no_show", actor="system",
                                       reason="nobody checked in", at=clock.now(),
                                       release=True)
            released = await uow.store.get_booking(booking.id)
            assert released is not None
            await uow.publish(facts(BookingNoShow, released))
        return len(due)

    return await run(uow, work)


#: How long after its end a booking's end is still announced (a pass that could not run for
#: longer, e.g. a long outage, asks nobody about an activity a week old).
ENDING_WINDOW = timedelta(days=7)


async def announce_endings(uow: Uow, clock: Clock, limit: int = 200) -> int:
    """Confirmed bookings whose time is over get `booking.ended`, once each (issue #16: its
    organiser is asked to report attendance); cancelled and no-show ones never do."""

    async def work(uow: Uow) -> int:
        now = clock.now()
        count = 0
        for booking in await uow.store.due_endings(now, now - ENDING_WINDOW, limit):
            if await uow.store.mark_ended(booking.id, now):
                await uow.publish(facts(BookingEnded, booking,
                                        checked_in=booking.checked_in_at is not None))
                count += 1
        return count

    return await run(uow, work)


async def anonymise_organisers(uow: Uow, clock: Clock, retention_days: int,
                               limit: int = 500) -> int:
    """Personal data is kept only as long as needed: organisers with nothing booked within
    the retention period (nor a loan still out) keep their pseudonymous id (statistics) and
    lose name and contacts, in their bookings too; loans back or cancelled, whose time ended
    that long ago, lose their borrower's. One cutoff for both; the count is of both."""
    now = clock.now()
    cutoff = now - timedelta(days=retention_days)

    async def work(uow: Uow) -> int:
        return (await uow.store.anonymise_organisers(cutoff, now, limit)
                + await uow.store.erase_borrowers(cutoff, limit))

    return await run(uow, work)
