"""Opening hours, exceptions, free time and the first available time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from services.booking import domain
from services.booking.domain import (
    Booking,
    DayException,
    Interval,
    Space,
    WeeklyHours,
)
from services.booking.store import BookingStore, FreeTimeContext
from services.booking.usecases.catalogue import VenueView, venue_view
from services.booking.usecases.common import (
    Uow,
    announce_venue,
    local_day,
    require_desk,
    run,
    space_or_404,
)
from shared.areas import area_refusals
from shared.clock import HELSINKI, Clock, monday_of
from shared.errors import Invalid, NotFound, refuse
from shared.holidays import closed_days
from shared.identity import Principal


@dataclass(frozen=True)
class HoursSaved:
    """What a change of opening hours stored, and the coming requested and confirmed
    bookings it leaves outside opening hours (earliest first): nothing is cancelled, the
    desk decides about each (moves or cancels it)."""

    hours: Sequence[WeeklyHours]
    outside: list[Booking]


@dataclass(frozen=True)
class ExceptionSaved:
    """The exception as stored, and the day's bookings it leaves outside opening hours."""

    exception: DayException
    outside: list[Booking]


async def outside_hours(store: BookingStore, venue_id: UUID, space_id: UUID | None,
                        start: datetime, end: datetime | None) -> list[Booking]:
    """The venue's requested and confirmed bookings from `start` to `end` (None: on and
    on) that its opening hours, as now stored, do not hold: judged as a new booking's time
    is (`domain.hours_kind` over the days it spans), so the desk hears of exactly the
    bookings that could not be made now."""
    bookings = await store.holding_bookings(venue_id, space_id, start, end)
    if not bookings:
        return []
    spaces = {s.id: s for s in await store.list_spaces([venue_id])}
    context = await store.free_time_context(
        list(spaces.values()), min(local_day(b.starts_at) for b in bookings),
        max(local_day(b.ends_at) for b in bookings))
    outside = []
    for b in bookings:
        space = spaces.get(b.space_id)
        if space is None:
            continue
        weekly, exceptions = context.rules[space.id]
        intervals = domain.intervals_between(local_day(b.starts_at), local_day(b.ends_at),
                                             weekly, exceptions)
        try:
            domain.hours_kind(b.starts_at, b.ends_at, intervals, space.rules)
        except Invalid:
            outside.append(b)
    return outside


async def coming_outside_hours(uow: Uow, clock: Clock, principal: Principal,
                               venue_id: UUID) -> list[Booking]:
    """The venue's coming bookings its opening hours no longer hold (its desk's hours page
    lists them until each is moved or cancelled)."""
    require_desk(principal, venue_id)

    async def work(uow: Uow) -> list[Booking]:
        return await outside_hours(uow.store, venue_id, None, clock.now(), None)

    return await run(uow, work)


async def set_weekly_hours(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                           space_id: UUID | None, hours: Sequence[WeeklyHours]
                           ) -> HoursSaved:
    require_desk(principal, venue_id)
    for h in hours:
        if h.closes <= h.opens:
            raise Invalid("closes must be after opens", field="weekly", code="hours_order")
        if h.kind not in ("staffed", "self_service") or not 1 <= h.weekday <= 7:
            raise Invalid("a weekday 1–7 and staffed or self_service hours", field="weekly",
                          code="hours_kind")
    # A weekday's rows of one kind neither repeat nor overlap (the desk's form, the API).
    refuse(domain.weekly_refusals(hours))

    async def work(uow: Uow) -> HoursSaved:
        await _lock_venue_and_space(uow, venue_id, space_id)
        await uow.store.replace_weekly_hours(venue_id, space_id, hours)
        await announce_venue(uow, clock, venue_id, registered=False)
        return HoursSaved(hours, await outside_hours(uow.store, venue_id, space_id,
                                                     clock.now(), None))

    return await run(uow, work)


async def opening_hours(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID
                        ) -> tuple[list[WeeklyHours], list[DayException]]:
    """The venue's own weekly hours and its exceptions from today to the end of next year, as
    its desk edits them: as far as it closes on public holidays, so it sees every one."""
    require_desk(principal, venue_id)
    today = local_day(clock.now())
    last = date(holiday_years(today)[-1], 12, 31)

    async def work(uow: Uow) -> tuple[list[WeeklyHours], list[DayException]]:
        if await uow.store.get_venue(venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        weekly, exceptions = await uow.store.opening_rules(
            venue_id, None, today, last)
        return (sorted(weekly, key=lambda h: (h.weekday, h.opens)),
                sorted(exceptions, key=lambda e: e.day))

    return await run(uow, work)


async def _lock_venue_and_space(uow: Uow, venue_id: UUID, space_id: UUID | None) -> None:
    """The venue whose hours change, locked so its announced revision follows the change,
    and the space (when one is named) checked to be in it."""
    if await uow.store.get_venue(venue_id, for_update=True) is None:
        raise NotFound("no such venue", venue_id=str(venue_id))
    if space_id is not None:
        space = await uow.store.get_space(space_id)
        if space is None or space.venue_id != venue_id:
            raise Invalid("the space is not in this venue", field="space_id",
                          code="space_elsewhere")


async def add_exception(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                        space_id: UUID | None, exception: DayException,
                        reason: Mapping[str, Any] | None) -> ExceptionSaved:
    """The day's own hours, or closed all day, in place of any exception the day had: the
    desk's latest word about a day is its rule. Other services hear the venue's exceptions
    as they now are (`venue.updated`). Returns the exception as stored, its reason with it
    (what the caller answers: a kind left out is staffed), and the day's bookings it leaves
    outside opening hours (none cancelled: the desk decides)."""
    require_desk(principal, venue_id)
    # The same shape whichever way it came (the desk's form, the API): refused naming the
    # input, nothing stored. What is stored is the shape as the domain makes it.
    checked = domain.day_exception(exception.day, closed=exception.opens is None and
                                   exception.closes is None, opens=exception.opens,
                                   closes=exception.closes, kind=exception.kind)
    if exception.day < local_day(clock.now()):
        # A day gone: no one reads it, and the desk's page (from today) could not remove it.
        raise Invalid("the day is today or later", field="day", code="day_past")
    reason = domain.exception_reason(reason)  # in any of fi/sv/en, as the desk writes it

    async def work(uow: Uow) -> ExceptionSaved:
        await _lock_venue_and_space(uow, venue_id, space_id)
        await uow.store.set_exception(venue_id, space_id, checked, reason)
        await announce_venue(uow, clock, venue_id, registered=False)
        midnight = datetime.combine(checked.day, time(0), tzinfo=HELSINKI)
        return ExceptionSaved(replace(checked, reason=reason), await outside_hours(
            uow.store, venue_id, space_id, max(midnight, clock.now()),
            datetime.combine(checked.day + timedelta(days=1), time(0), tzinfo=HELSINKI)))

    return await run(uow, work)


async def remove_exception(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                           space_id: UUID | None, day: date) -> None:
    """The day's exception removed, so its weekly hours apply again; announced as adding one
    is (`venue.updated`). NotFound when the day has none (nothing announced)."""
    require_desk(principal, venue_id)

    async def work(uow: Uow) -> None:
        await _lock_venue_and_space(uow, venue_id, space_id)
        if not await uow.store.remove_exception(venue_id, space_id, day):
            raise NotFound("the day has no exception", code="no_exception",
                           day=day.isoformat())
        await announce_venue(uow, clock, venue_id, registered=False)

    await run(uow, work)


@dataclass(frozen=True)
class HolidayClosing:
    """What closing a venue on a year's public holidays did: the days closed now, each with
    its holiday's name (fi/sv/en), and the days left as they were because the desk had
    already given them an exception of its own."""

    year: int
    added: list[tuple[date, dict[str, str]]]
    kept: list[date]


def holiday_years(today: date) -> tuple[int, int]:
    """The years a desk closes on the holidays of: this one and the next."""
    return today.year, today.year + 1


async def close_on_public_holidays(uow: Uow, clock: Clock, principal: Principal,
                                   venue_id: UUID, year: int, *,
                                   unless_done: bool = False) -> HolidayClosing:
    """The venue closed all day, the holiday's name as the reason, on each day of `year`
    libraries close (`shared.holidays`) from today on; a day the desk has already given its
    own exception keeps it (the desk's own word about a day wins), so running it again adds
    nothing. One `venue.updated` for the whole change, none when nothing was added.
    `unless_done`: nothing at all when the venue's `year` was closed so before (a loader
    run at every start: a holiday the desk opened since stays open); the desk's own request
    closes again whatever was done."""
    require_desk(principal, venue_id)
    today = local_day(clock.now())
    years = holiday_years(today)
    if year not in years:
        raise Invalid(f"year must be {years[0]} or {years[1]}", field="year",
                      code="holiday_year", years=list(years))
    coming = [(day, names) for day, names in closed_days(year) if day >= today]

    async def work(uow: Uow) -> HolidayClosing:
        await _lock_venue_and_space(uow, venue_id, None)
        if unless_done and await uow.store.holiday_closing_done(venue_id, year):
            return HolidayClosing(year, [], [])
        await uow.store.record_holiday_closing(venue_id, year, clock.now())
        if not coming:
            return HolidayClosing(year, [], [])
        _, exceptions = await uow.store.opening_rules(venue_id, None, coming[0][0],
                                                      coming[-1][0])
        given = {e.day for e in exceptions}
        added = [(day, names) for day, names in coming if day not in given]
        for day, names in added:
            await uow.store.set_exception(venue_id, None, DayException(day), dict(names))
        if added:
            await announce_venue(uow, clock, venue_id, registered=False)
        return HolidayClosing(year, added, [day for day, _ in coming if day in given])

    return await run(uow, work)


async def _intervals(store: BookingStore, venue_id: UUID, space_id: UUID | None, first: date,
                     last: date) -> list[Interval]:
    weekly, exceptions = await store.opening_rules(venue_id, space_id, first, last)
    return domain.intervals_between(first, last, weekly, exceptions)


async def week_hours(uow: Uow, clock: Clock, venue_id: UUID, space_id: UUID | None,
                     week: date | None) -> list[Interval]:
    """Open intervals of the week (Monday to Sunday) containing `week` (default: this week)."""
    monday = monday_of(week or local_day(clock.now()))

    async def work(uow: Uow) -> list[Interval]:
        if await uow.store.get_venue(venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        return await _intervals(uow.store, venue_id, space_id, monday,
                                monday + timedelta(days=6))

    return await run(uow, work)


@dataclass(frozen=True)
class VenueWeek:
    """A venue as its public page shows it: its details, and the open intervals of the week
    from `monday` (its venue-wide hours, dated exceptions applied) with the reason of each
    day's exception that gives one (fi/sv/en as the desk wrote it), as of `today`."""

    view: VenueView
    today: date
    monday: date
    intervals: list[Interval]
    reasons: dict[date, Mapping[str, Any]] = field(default_factory=dict)


async def venue_week(uow: Uow, clock: Clock, venue_id: UUID, week: date | None) -> VenueWeek:
    """The venue and its hours in the week containing `week` (default: this week), read in
    one transaction; NotFound when there is no such venue."""
    today = local_day(clock.now())
    monday = monday_of(week or today)

    async def work(uow: Uow) -> VenueWeek:
        view = await venue_view(uow.store, venue_id)
        sunday = monday + timedelta(days=6)
        weekly, exceptions = await uow.store.opening_rules(venue_id, None, monday, sunday)
        return VenueWeek(view, today, monday,
                         domain.intervals_between(monday, sunday, weekly, exceptions),
                         {e.day: e.reason for e in exceptions if e.reason})

    return await run(uow, work)


async def open_at(uow: Uow, clock: Clock, venue_id: UUID, space_id: UUID | None,
                  at: datetime | None) -> tuple[datetime, str | None]:
    moment = at or clock.now()
    day = local_day(moment)

    async def work(uow: Uow) -> tuple[datetime, str | None]:
        if await uow.store.get_venue(venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        intervals = await _intervals(uow.store, venue_id, space_id, day, day)
        return moment, domain.open_kind_at(moment, intervals)

    return await run(uow, work)


#: The most days a free-time query looks at: the answer stays a few statements' work.
MAX_SLOT_DAYS = 14
MAX_FIRST_AVAILABLE_DAYS = 60
MAX_CANDIDATE_SPACES = 50


async def free_slots(uow: Uow, clock: Clock, space_id: UUID, day: date | None,
                     days: int) -> list[tuple[datetime, datetime]]:
    """Free time of a space from `day` (default today) for `days` days, who booked never shown."""
    if not 1 <= days <= MAX_SLOT_DAYS:
        raise Invalid(f"days must be between 1 and {MAX_SLOT_DAYS}", field="days",
                      code="greater_than_equal", ge=1, le=MAX_SLOT_DAYS)
    first = day or local_day(clock.now())

    async def work(uow: Uow) -> list[tuple[datetime, datetime]]:
        space = await space_or_404(uow.store, space_id)
        last = first + timedelta(days=days - 1)
        return (await free_time_of(uow.store, [space], first, last))[space.id]

    return await run(uow, work)


@dataclass(frozen=True)
class Found:
    space_id: UUID
    venue_id: UUID
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class _FreeTimeReading:
    """Many spaces' hours, trees and claims, read together; `free` works a space's free time
    out of them for any days within what was read."""

    context: FreeTimeContext
    leaves: dict[UUID, list[UUID]]
    busy: dict[UUID, list[tuple[datetime, datetime]]]

    def free(self, space: Space, first: date, last: date) -> list[tuple[datetime, datetime]]:
        weekly, exceptions = self.context.rules[space.id]
        # A new booking claims its buffer after it too, so it must end a buffer's length
        # before the next claim begins: widen each claim backwards by the buffer.
        buffer = timedelta(minutes=space.rules.buffer_minutes)
        claims = [(s - buffer, e) for leaf in self.leaves[space.id] for s, e in self.busy[leaf]]
        return domain.free_slots(domain.intervals_between(first, last, weekly, exceptions),
                                 claims, space.rules.min_minutes, space.rules.self_service)


async def _read_free_time(store: BookingStore, spaces: Sequence[Space], first: date,
                          last: date) -> _FreeTimeReading:
    """An area's spaces are read together (hours, trees, claims: four statements in all,
    however many spaces), not a few statements per space."""
    context = await store.free_time_context(spaces, first, last)
    leaves = {space.id: domain.leaf_spaces(space.id, context.children[space.venue_id])
              for space in spaces}
    busy = await store.busy_ranges_of(
        sorted({leaf for ids in leaves.values() for leaf in ids}),
        datetime.combine(first, time(0), tzinfo=HELSINKI),
        # a day more than asked: a night's opening runs on into the next morning
        datetime.combine(last + timedelta(days=2), time(0), tzinfo=HELSINKI))
    return _FreeTimeReading(context, leaves, busy)


async def free_time_of(store: BookingStore, spaces: Sequence[Space], first: date,
                       last: date) -> dict[UUID, list[tuple[datetime, datetime]]]:
    """The free time of each of `spaces` from `first` to `last`, read together."""
    if not spaces:
        return {}
    reading = await _read_free_time(store, spaces, first, last)
    return {space.id: reading.free(space, first, last) for space in spaces}


def _first_fit(free: list[tuple[datetime, datetime]], start: datetime,
               wanted: timedelta) -> datetime | None:
    """The first quarter hour from `start` with `wanted` free, or None."""
    for s, e in free:
        begin = domain.offered_start(max(s, start))
        if e - begin >= wanted:
            return begin
    return None


async def first_available(uow: Uow, clock: Clock, *, minutes: int, space_id: UUID | None,
                          area: str | None, kind: str | None, min_capacity: int | None,
                          after: datetime | None, within_days: int) -> list[Found]:
    """The earliest free time of `minutes` for one space, or for every space of a kind of venue
    in an area with room for `min_capacity` (earliest first, at most 10)."""
    if not 1 <= within_days <= MAX_FIRST_AVAILABLE_DAYS:
        raise Invalid(f"within_days must be between 1 and {MAX_FIRST_AVAILABLE_DAYS}",
                      field="within_days", code="greater_than_equal", ge=1,
                      le=MAX_FIRST_AVAILABLE_DAYS)
    refuse(area_refusals([area] if area else [], "area"))
    now = clock.now()
    start = max(after or now, now)
    wanted = timedelta(minutes=minutes)

    async def work(uow: Uow) -> list[Found]:
        candidates = await uow.store.candidate_spaces(space_id, area, kind, min_capacity,
                                                      MAX_CANDIDATE_SPACES)
        if space_id is not None and not candidates:
            raise NotFound("no such space", space_id=str(space_id))
        first = local_day(start)
        windows: dict[UUID, date] = {}  # each space looked at up to its own horizon
        for space in candidates:
            rules = space.rules
            last = min(first + timedelta(days=within_days),
                       local_day(now + timedelta(days=rules.horizon_days)))
            if rules.min_minutes <= minutes <= rules.max_minutes and last >= first:
                windows[space.id] = last
        spaces = [space for space in candidates if space.id in windows]
        if not spaces:
            return []
        reading = await _read_free_time(uow.store, spaces, first, max(windows.values()))
        found: list[Found] = []
        for space in spaces:
            # A week at a time: most spaces have the time free within days, and working out
            # a month of opening hours and free time for each (in Python) cost more than all
            # the statements together.
            week = first
            while week <= windows[space.id] and (slot := _first_fit(reading.free(
                    space, week, min(week + timedelta(days=6), windows[space.id])),
                    start, wanted)) is None:
                week += timedelta(days=7)
            if slot is not None:
                found.append(Found(space.id, space.venue_id, slot, slot + wanted))
        return sorted(found, key=lambda f: f.starts_at)[:10]

    return await run(uow, work)
