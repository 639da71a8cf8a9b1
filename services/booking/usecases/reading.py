"""Reading bookings: one, an organiser's, a desk's, the desk page's day and calendars."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from services.booking import domain
from services.booking.domain import (
    HELSINKI,
    Booking,
    Space,
    Venue,
)
from services.booking.store import CalendarEntry
from services.booking.usecases.common import (
    Uow,
    authorised,
    local_day,
    require,
    run,
    space_or_404,
)
from shared.errors import Forbidden, Invalid
from shared.identity import Principal


async def get_booking(uow: Uow, principal: Principal, booking_id: UUID) -> Booking:
    async def work(uow: Uow) -> Booking:
        return (await authorised(uow.store, principal, booking_id))[0]

    return await run(uow, work)


async def my_bookings(uow: Uow, principal: Principal) -> list[Booking]:
    require(principal, "organiser", "desk")

    async def work(uow: Uow) -> list[Booking]:
        organiser = await uow.store.organiser_by_subject(principal.subject or "")
        return [] if organiser is None else await uow.store.organiser_bookings(organiser.id)

    return await run(uow, work)


#: The most days of bookings one desk listing covers.
MAX_DESK_DAYS = 31


async def desk_bookings(uow: Uow, principal: Principal, *, venue_id: UUID | None,
                        status: str | None, day: date | None, days: int) -> list[Booking]:
    """Bookings of the caller's venues, with the organisers' contact details."""
    require(principal, "desk")
    if venue_id is not None and not principal.is_desk_for(venue_id):
        raise Forbidden("desk staff see only their own venues", code="not_your_venue")
    if not 1 <= days <= MAX_DESK_DAYS:
        raise Invalid(f"days must be between 1 and {MAX_DESK_DAYS}", field="days",
                      code="greater_than_equal", ge=1, le=MAX_DESK_DAYS)
    venues = [venue_id] if venue_id else (None if "admin" in principal.roles
                                          else sorted(principal.venues))
    start = end = None
    if day is not None:
        start = datetime.combine(day, time(0), tzinfo=HELSINKI)
        end = start + timedelta(days=days)

    async def work(uow: Uow) -> list[Booking]:
        return await uow.store.desk_bookings(venues, status=status, start=start, end=end)

    return await run(uow, work)


@dataclass(frozen=True)
class DeskDay:
    """What the desk page shows: the desk's venues, the chosen one's spaces, the week's
    bookings and the requests waiting for a decision."""

    venues: list[Venue]
    venue: Venue
    spaces: list[Space]
    week: list[Booking]
    pending: list[Booking]
    #: Each pending request's kind of hours as confirming it would take it now (by the
    #: day's current opening rules, `domain.hours_kind_now`), None when they no longer hold
    #: it; the request's own `hours_kind` is what was stored when it was sent.
    kinds_now: dict[UUID, str | None]
    #: How many times wait for a decision in each pending request's series (what
    #: `confirm_series` would confirm); a request of no series is not in it.
    series_requested: dict[UUID, int] = field(default_factory=dict)


async def kinds_now(uow: Uow, spaces: list[Space], bookings: list[Booking]
                    ) -> dict[UUID, str | None]:
    """The kind of hours each booking's time has by its days' opening rules as they are
    now, read for all of them at once (`free_time_context`: three statements however many),
    None when they no longer hold it."""
    by_id = {s.id: s for s in spaces}
    mine = [b for b in bookings if b.space_id in by_id]
    if not mine:
        return {}
    context = await uow.store.free_time_context(
        list({b.space_id: by_id[b.space_id] for b in mine}.values()),
        min(local_day(b.starts_at) for b in mine), max(local_day(b.ends_at) for b in mine))
    kinds: dict[UUID, str | None] = {}
    for b in mine:
        weekly, exceptions = context.rules[b.space_id]
        try:
            kinds[b.id] = domain.hours_kind_now(b.starts_at, b.ends_at, weekly, exceptions,
                                                by_id[b.space_id].rules)
        except Invalid:
            kinds[b.id] = None
    return kinds


async def desk_day(uow: Uow, principal: Principal, venue_id: UUID | None,
                   monday: date) -> DeskDay:
    require(principal, "desk")

    async def work(uow: Uow) -> DeskDay:
        venues = [v for v in await uow.store.list_venues() if principal.is_desk_for(v.id)]
        if not venues:
            raise Forbidden("you are not desk staff of any venue", code="no_venues")
        venue = next((v for v in venues if v.id == venue_id), venues[0])
        start = datetime.combine(monday, time(0), tzinfo=HELSINKI)
        week = [b for b in await uow.store.desk_bookings([venue.id], status=None,
                                                          start=start,
                                                          end=start + timedelta(days=7))
                if not domain.hold_let_go(b)]
        pending = await uow.store.desk_bookings([venue.id], status="requested", start=None,
                                                end=None, limit=200)
        spaces = await uow.store.list_spaces([venue.id])
        series = await uow.store.requested_in_series(
            sorted({b.series_id for b in pending if b.series_id is not None}))
        return DeskDay(venues, venue, spaces, week, pending,
                       await kinds_now(uow, spaces, pending), series)

    return await run(uow, work)


@dataclass(frozen=True)
class SpaceCalendar:
    space: Space
    bookings: list[Booking]
    #: Whether the reader is the venue's desk (sees titles) or not (sees only "taken").
    desk: bool


async def space_calendar(uow: Uow, principal: Principal, space_id: UUID) -> SpaceCalendar:
    async def work(uow: Uow) -> SpaceCalendar:
        space = await space_or_404(uow.store, space_id)
        return SpaceCalendar(space, await uow.store.space_bookings(space_id),
                             principal.is_desk_for(space.venue_id))

    return await run(uow, work)


async def my_calendar(uow: Uow, principal: Principal) -> list[CalendarEntry]:
    require(principal, "organiser", "desk")

    async def work(uow: Uow) -> list[CalendarEntry]:
        organiser = await uow.store.organiser_by_subject(principal.subject or "")
        if organiser is None:
            return []
        return await uow.store.calendar_entries(organiser_id=organiser.id)

    return await run(uow, work)


async def booking_calendar(uow: Uow, principal: Principal, booking_id: UUID) -> CalendarEntry:
    async def work(uow: Uow) -> CalendarEntry:
        await authorised(uow.store, principal, booking_id)
        return (await uow.store.calendar_entries(booking_id=booking_id))[0]

    return await run(uow, work)
