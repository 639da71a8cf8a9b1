"""Every operation a person or a scheduled job can do in the booking service.

Each use case takes a unit of work over a `BookingStore`, a clock and (where a person acts) a
`Principal`; it runs in one transaction (`_run`: its reads, writes and events commit together
or not at all, and a deadlock victim is run again) and asks `domain` for every rule. The HTTP
routes, the desk page, the demo loader and the jobs all call these, so a rule holds on every
way in: a hold obeys the same time, hours and open-request rules as a request, a walk-in the
same as both, check-in has one rule.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, TypeVar
from uuid import UUID, uuid4

from services.booking import domain
from services.booking.domain import (
    HELSINKI,
    Booking,
    BookingRequest,
    Contact,
    DayException,
    Interval,
    Loan,
    Organiser,
    Resource,
    Space,
    SpaceRules,
    Venue,
    WeeklyHours,
)
from services.booking.store import BookingContext, BookingStore, CalendarEntry, Taken, TryAgain
from shared.clock import Clock
from shared.contracts import (
    BookingCancelled,
    BookingConfirmed,
    BookingNoShow,
    BookingRejected,
    BookingRequested,
    DomainEvent,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated, Unavailable
from shared.identity import Principal
from shared.recurrence import weekly_occurrences
from shared.uow import UnitOfWork

Uow = UnitOfWork[BookingStore]
T = TypeVar("T")

#: How often a transaction chosen as a deadlock's victim is run again before the caller is
#: told to try later.
ATTEMPTS = 6


async def _run(uow: Uow, work: Callable[[Uow], Awaitable[T]]) -> T:
    """`work` in one transaction; run again from the start when the database picked it as a
    deadlock's or serialization failure's victim (concurrent requests for one time: the
    retry then sees the winner's claim and answers 409)."""
    for attempt in range(ATTEMPTS):
        try:
            async with uow:
                return await work(uow)
        except TryAgain:
            if attempt == ATTEMPTS - 1:
                break
            await asyncio.sleep(random.uniform(0, 0.005 * 2 ** attempt))
    raise Unavailable("the booking system is busy; please try again", retry_after=1)


def _require(principal: Principal, *roles: str) -> None:
    if principal.is_public:
        raise Unauthenticated("sign in first")
    if not principal.has(*roles):
        raise Forbidden(f"needs one of the roles: {', '.join(roles)}")


def _require_desk(principal: Principal, venue_id: UUID) -> None:
    _require(principal, "desk")
    if not principal.is_desk_for(venue_id):
        raise Forbidden("desk staff act only on their own venues", venue_id=str(venue_id))


def _who(principal: Principal, role: str) -> str:
    """History says who: the role and the person's id at the identity provider."""
    return f"{role}:{principal.subject}" if principal.subject else role


def _local_day(moment: datetime) -> date:
    return moment.astimezone(HELSINKI).date()


def _facts(cls: type[Any], b: Booking, **extra: Any) -> Any:
    """A booking event: its own facts and its own contact address, never another booking's."""
    return cls(
        booking_id=b.id, venue_id=b.venue_id, space_id=b.space_id, starts_at=b.starts_at,
        ends_at=b.ends_at, title=b.title, organiser_id=b.organiser_id,
        cooperation=b.cooperation, organiser_type=b.organiser_type, hours_kind=b.hours_kind,
        series_id=b.series_id, organiser_subject=b.organiser_subject,
        contact_email=b.contact.email if b.contact else None, **extra)


# --- catalogue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VenueView:
    venue: Venue
    spaces: list[Space]
    resources: list[Resource]


async def _venue_view(store: BookingStore, venue_id: UUID) -> VenueView:
    venue = await store.get_venue(venue_id)
    if venue is None:
        raise NotFound("no such venue", venue_id=str(venue_id))
    return VenueView(venue, await store.list_spaces([venue_id]),
                     await store.list_resources([venue_id]))


async def _add_space(store: BookingStore, space: Space) -> None:
    if space.parent_id is not None:
        parent = await store.get_space(space.parent_id)
        if parent is None or parent.venue_id != space.venue_id:
            raise Invalid("the parent space must be a space of the same venue", field="parent_id")
    if space.rules.max_minutes < space.rules.min_minutes:
        raise Invalid("max_minutes must be at least min_minutes", field="rules")
    await store.insert_space(replace(space, rules=replace(space.rules, paid=space.paid)))


async def _announce_venue(uow: Uow, clock: Clock, venue_id: UUID, registered: bool) -> None:
    """Hours and details are part of what other services know of a venue."""
    if not registered:
        await uow.store.bump_venue_revision(venue_id)
    await uow.publish(await uow.store.venue_event(venue_id, registered=registered,
                                                  today=_local_day(clock.now())))


async def register_venue(uow: Uow, clock: Clock, principal: Principal, venue: Venue,
                         spaces: Sequence[Space]) -> VenueView:
    """An admin registers a venue with its spaces (`venue.registered`)."""
    _require(principal, "admin")

    async def work(uow: Uow) -> VenueView:
        await _register(uow, clock, venue, spaces)
        return await _venue_view(uow.store, venue.id)

    return await _run(uow, work)


async def _register(uow: Uow, clock: Clock, venue: Venue, spaces: Sequence[Space]) -> None:
    await uow.store.insert_venue(venue)
    for space in spaces:
        await _add_space(uow.store, replace(space, venue_id=venue.id))
    await _announce_venue(uow, clock, venue.id, registered=True)


async def load_venue(uow: Uow, clock: Clock, venue: Venue, spaces: Sequence[Space],
                     hours: Sequence[WeeklyHours]) -> bool:
    """Reference data (the demo's libraries): the venue when it is not there yet, its weekly
    hours where none are set; True when the venue was added."""

    async def work(uow: Uow) -> bool:
        added = await uow.store.get_venue(venue.id) is None
        if added:
            await _register(uow, clock, venue, spaces)
        if not await uow.store.has_weekly_hours(venue.id):
            await uow.store.replace_weekly_hours(venue.id, None, hours)
            await _announce_venue(uow, clock, venue.id, registered=False)
        return added

    return await _run(uow, work)


async def list_venues(uow: Uow, area: str | None, kind: str | None) -> list[VenueView]:
    async def work(uow: Uow) -> list[VenueView]:
        venues = await uow.store.list_venues(area, kind)
        ids = [v.id for v in venues]
        spaces = await uow.store.list_spaces(ids)
        resources = await uow.store.list_resources(ids)
        return [VenueView(v, [s for s in spaces if s.venue_id == v.id],
                          [r for r in resources if r.venue_id == v.id]) for v in venues]

    return await _run(uow, work)


async def get_venue(uow: Uow, venue_id: UUID) -> VenueView:
    async def work(uow: Uow) -> VenueView:
        return await _venue_view(uow.store, venue_id)

    return await _run(uow, work)


async def update_venue(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                       changes: dict[str, Any]) -> VenueView:
    """Change a venue's details; other services hear it as `venue.updated`."""
    _require_desk(principal, venue_id)
    if not changes:
        raise Invalid("nothing to change", field=None)

    async def work(uow: Uow) -> VenueView:
        if await uow.store.get_venue(venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        await uow.store.update_venue(venue_id, changes)
        await uow.publish(await uow.store.venue_event(venue_id, registered=False,
                                                      today=_local_day(clock.now())))
        return await _venue_view(uow.store, venue_id)

    return await _run(uow, work)


async def add_space(uow: Uow, clock: Clock, principal: Principal, space: Space) -> VenueView:
    _require_desk(principal, space.venue_id)

    async def work(uow: Uow) -> VenueView:
        if await uow.store.get_venue(space.venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(space.venue_id))
        await _add_space(uow.store, space)
        await _announce_venue(uow, clock, space.venue_id, registered=False)
        return await _venue_view(uow.store, space.venue_id)

    return await _run(uow, work)


async def set_space_rules(uow: Uow, principal: Principal, space_id: UUID,
                          rules: SpaceRules) -> Space:
    if rules.max_minutes < rules.min_minutes:
        raise Invalid("max_minutes must be at least min_minutes", field="max_minutes")

    async def work(uow: Uow) -> Space:
        space = await _space(uow.store, space_id)
        _require_desk(principal, space.venue_id)
        await uow.store.set_space_rules(space_id, rules)
        return await _space(uow.store, space_id)

    return await _run(uow, work)


async def add_resource(uow: Uow, principal: Principal, resource: Resource) -> Resource:
    _require_desk(principal, resource.venue_id)

    async def work(uow: Uow) -> Resource:
        if await uow.store.get_venue(resource.venue_id) is None:
            raise NotFound("no such venue", venue_id=str(resource.venue_id))
        await uow.store.insert_resource(resource)
        return resource

    return await _run(uow, work)


async def _space(store: BookingStore, space_id: UUID) -> Space:
    space = await store.get_space(space_id)
    if space is None:
        raise NotFound("no such space", space_id=str(space_id))
    return space


# --- opening hours -----------------------------------------------------------------------------


async def set_weekly_hours(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                           space_id: UUID | None, hours: Sequence[WeeklyHours]
                           ) -> Sequence[WeeklyHours]:
    _require_desk(principal, venue_id)
    for h in hours:
        if h.closes <= h.opens:
            raise Invalid("closes must be after opens", field="weekly")

    async def work(uow: Uow) -> Sequence[WeeklyHours]:
        if await uow.store.get_venue(venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        if space_id is not None:
            space = await uow.store.get_space(space_id)
            if space is None or space.venue_id != venue_id:
                raise Invalid("the space is not in this venue", field="space_id")
        await uow.store.replace_weekly_hours(venue_id, space_id, hours)
        await _announce_venue(uow, clock, venue_id, registered=False)
        return hours

    return await _run(uow, work)


async def add_exception(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                        space_id: UUID | None, exception: DayException,
                        reason: dict[str, Any] | None) -> None:
    _require_desk(principal, venue_id)

    async def work(uow: Uow) -> None:
        if await uow.store.get_venue(venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        if space_id is not None:
            space = await uow.store.get_space(space_id)
            if space is None or space.venue_id != venue_id:
                raise Invalid("the space is not in this venue", field="space_id")
        await uow.store.add_exception(venue_id, space_id, exception, reason)
        await _announce_venue(uow, clock, venue_id, registered=False)

    await _run(uow, work)


async def _intervals(store: BookingStore, venue_id: UUID, space_id: UUID | None, first: date,
                     last: date) -> list[Interval]:
    weekly, exceptions = await store.opening_rules(venue_id, space_id, first, last)
    return domain.intervals_between(first, last, weekly, exceptions)


async def week_hours(uow: Uow, clock: Clock, venue_id: UUID, space_id: UUID | None,
                     week: date | None) -> list[Interval]:
    """Open intervals of the week (Monday to Sunday) containing `week` (default: this week)."""
    day = week or _local_day(clock.now())
    monday = day - timedelta(days=day.isoweekday() - 1)

    async def work(uow: Uow) -> list[Interval]:
        if await uow.store.get_venue(venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        return await _intervals(uow.store, venue_id, space_id, monday,
                                monday + timedelta(days=6))

    return await _run(uow, work)


async def open_at(uow: Uow, clock: Clock, venue_id: UUID, space_id: UUID | None,
                  at: datetime | None) -> tuple[datetime, str | None]:
    moment = at or clock.now()
    day = _local_day(moment)

    async def work(uow: Uow) -> tuple[datetime, str | None]:
        if await uow.store.get_venue(venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        intervals = await _intervals(uow.store, venue_id, space_id, day, day)
        return moment, domain.open_kind_at(moment, intervals)

    return await _run(uow, work)


#: The most days a free-time query looks at: the answer stays a few statements' work.
MAX_SLOT_DAYS = 14
MAX_FIRST_AVAILABLE_DAYS = 60
MAX_CANDIDATE_SPACES = 50


async def _free_slots(store: BookingStore, space: Space, first: date,
                      last: date) -> list[tuple[datetime, datetime]]:
    intervals = await _intervals(store, space.venue_id, space.id, first, last)
    if not intervals:
        return []
    leaves = domain.leaf_spaces(space.id, await store.space_children(space.venue_id))
    busy = await store.busy_ranges(leaves, intervals[0].start, intervals[-1].end)
    # A new booking claims its buffer after it too, so it must end a buffer's length before
    # the next claim begins: widen each claim backwards by the buffer.
    buffer = timedelta(minutes=space.rules.buffer_minutes)
    return domain.free_slots(intervals, [(s - buffer, e) for s, e in busy],
                             space.rules.min_minutes, space.rules.self_service)


async def free_slots(uow: Uow, clock: Clock, space_id: UUID, day: date | None,
                     days: int) -> list[tuple[datetime, datetime]]:
    """Free time of a space from `day` (default today) for `days` days, who booked never shown."""
    if not 1 <= days <= MAX_SLOT_DAYS:
        raise Invalid(f"days must be between 1 and {MAX_SLOT_DAYS}", field="days")
    first = day or _local_day(clock.now())

    async def work(uow: Uow) -> list[tuple[datetime, datetime]]:
        space = await _space(uow.store, space_id)
        return await _free_slots(uow.store, space, first, first + timedelta(days=days - 1))

    return await _run(uow, work)


@dataclass(frozen=True)
class Found:
    space_id: UUID
    venue_id: UUID
    starts_at: datetime
    ends_at: datetime


async def first_available(uow: Uow, clock: Clock, *, minutes: int, space_id: UUID | None,
                          area: str | None, kind: str | None, min_capacity: int | None,
                          after: datetime | None, within_days: int) -> list[Found]:
    """The earliest free time of `minutes` for one space, or for every space of a kind of venue
    in an area with room for `min_capacity` (earliest first, at most 10)."""
    if not 1 <= within_days <= MAX_FIRST_AVAILABLE_DAYS:
        raise Invalid(f"within_days must be between 1 and {MAX_FIRST_AVAILABLE_DAYS}",
                      field="within_days")
    now = clock.now()
    start = max(after or now, now)
    wanted = timedelta(minutes=minutes)

    async def work(uow: Uow) -> list[Found]:
        candidates = await uow.store.candidate_spaces(space_id, area, kind, min_capacity,
                                                      MAX_CANDIDATE_SPACES)
        if space_id is not None and not candidates:
            raise NotFound("no such space", space_id=str(space_id))
        found: list[Found] = []
        for space in candidates:
            rules = space.rules
            if not rules.min_minutes <= minutes <= rules.max_minutes:
                continue
            first = _local_day(start)
            last = min(first + timedelta(days=within_days),
                       _local_day(now + timedelta(days=rules.horizon_days)))
            if last < first:
                continue
            for s, e in await _free_slots(uow.store, space, first, last):
                begin = max(s, start)
                if e - begin >= wanted:
                    found.append(Found(space.id, space.venue_id, begin, begin + wanted))
                    break
        return sorted(found, key=lambda f: f.starts_at)[:10]

    return await _run(uow, work)


# --- bookings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganiserDetails:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class RequestDetails:
    """What completes a time into a request."""

    title: str
    accept_house_rules: bool
    organiser: OrganiserDetails | None = None
    organiser_type: str = "resident"
    cooperation: bool = True
    shared_activity: bool = False
    library_contact: str | None = None


@dataclass(frozen=True)
class BookingCommand:
    space_id: UUID
    starts_at: datetime
    ends_at: datetime
    details: RequestDetails


@dataclass(frozen=True)
class HoldCommand:
    space_id: UUID
    starts_at: datetime
    ends_at: datetime


def _request(details: RequestDetails, starts_at: datetime, ends_at: datetime
             ) -> BookingRequest:
    return BookingRequest(starts_at, ends_at, details.cooperation, details.accept_house_rules,
                          details.organiser_type, details.shared_activity,
                          details.library_contact)


def _own(principal: Principal, details: RequestDetails | None) -> dict[str, Any]:
    """A signed-in organiser's subject, name, email and phone (the body's name, else the
    token's)."""
    given = details.organiser if details else None
    name = (given.name if given else None) or principal.name
    if principal.subject is None:
        raise Unauthenticated("sign in first")
    if details is not None and not name:
        raise Invalid("the organiser's name is needed", field="organiser.name")
    return {"subject": principal.subject, "name": name or principal.subject,
            "email": given.email if given else None, "phone": given.phone if given else None}


def _contact(organiser: Organiser, details: RequestDetails) -> Contact:
    """The contact of this booking: what the request gave, else what is known of the
    organiser (kept with the booking, whatever the organiser gives next time)."""
    given = details.organiser
    return Contact(name=(given.name if given else None) or organiser.name,
                   email=(given.email if given else None) or organiser.email,
                   phone=(given.phone if given else None) or organiser.phone)


@dataclass(frozen=True)
class _Slot:
    """A time checked against every rule of the space: ready to be placed."""

    space: Space
    starts_at: datetime
    ends_at: datetime
    hours_kind: str
    leaves: list[UUID]


def _check_slot(context: BookingContext, starts_at: datetime, ends_at: datetime,
                now: datetime) -> _Slot:
    """The rules of time every way in obeys, in the same order: length and horizon first (so
    no time given makes the opening hours' days many), then the opening hours."""
    space = context.space
    domain.check_slot(starts_at, ends_at, space.rules, now)
    intervals = domain.intervals_between(_local_day(starts_at), _local_day(ends_at),
                                         context.weekly, context.exceptions)
    kind = domain.hours_kind(starts_at, ends_at, intervals, space.rules)
    return _Slot(space, starts_at, ends_at, kind,
                 domain.leaf_spaces(space.id, context.children))


async def _money(store: BookingStore, slot: _Slot, cooperation: bool
                 ) -> tuple[Any, str | None]:
    rules = slot.space.rules
    if cooperation or rules.price_per_hour is None:
        return None, None
    price = domain.price_for(slot.starts_at, slot.ends_at, rules.price_per_hour)
    return price, domain.finnish_reference(await store.next_invoice_number())


async def _place(uow: Uow, clock: Clock, slot: _Slot, *, organiser: Organiser, status: str,
                 details: RequestDetails | None, contact: Contact | None, created_by: str,
                 max_open: int | None, series_id: UUID | None = None) -> Booking:
    """Insert the booking with its claims, history and events in one statement. Raises
    `Taken` (the time is claimed) or `Conflict` (over the open-request limit)."""
    store = uow.store
    now = clock.now()
    rules = slot.space.rules
    cooperation = details.cooperation if details else True
    price, invoice = await _money(store, slot, cooperation)
    values: dict[str, Any] = {
        "id": uuid4(), "space_id": slot.space.id, "venue_id": slot.space.venue_id,
        "organiser_id": organiser.id, "title": details.title if details else "",
        # As stored and read back: UTC, so the events say what a later read would.
        "starts_at": slot.starts_at.astimezone(UTC), "ends_at": slot.ends_at.astimezone(UTC),
        "status": status, "cooperation": cooperation,
        "organiser_type": details.organiser_type if details else "resident",
        "shared_activity": details.shared_activity if details else False,
        "library_contact": details.library_contact if details else None,
        "hours_kind": slot.hours_kind,
        # Self-service hours: the door system needs a code, shown to organiser and desk only.
        "access_code": f"{secrets.randbelow(10**6):06d}" if slot.hours_kind == "self_service"
        else None,
        "price": price, "invoice_reference": invoice, "series_id": series_id,
        "hold_expires_at": now + timedelta(minutes=rules.hold_minutes)
        if status == "held" else None,
        "created_by": created_by,
        "contact_name": contact.name if contact else None,
        "contact_email": contact.email if contact else None,
        "contact_phone": contact.phone if contact else None,
        "at": now,
    }
    facts = Booking(**{k: values[k] for k in (
        "id", "space_id", "venue_id", "organiser_id", "title", "starts_at", "ends_at", "status",
        "cooperation", "organiser_type", "shared_activity", "hours_kind", "series_id")},
        organiser_subject=organiser.subject, contact=contact)
    events: list[DomainEvent] = []
    if status in ("requested", "confirmed"):
        events.append(_facts(BookingRequested, facts))
        if status == "confirmed":
            events.append(_facts(BookingConfirmed, facts))
    placed = await store.place_booking(
        values, subject=organiser.subject, leaves=slot.leaves,
        claim=domain.claim_range(slot.starts_at, slot.ends_at, rules.buffer_minutes),
        max_open=max_open, events=events)
    if placed.booking is None:
        domain.check_open_requests(placed.open_requests, rules)
        raise AssertionError("not placed, yet under the open-request limit")
    return placed.booking


async def _taken(uow: Uow, space_id: UUID, starts_at: datetime, ends_at: datetime
                 ) -> Conflict:
    """The 409 of a time already claimed, with the claims in the way (read after the failed
    transaction, in a transaction of its own)."""

    async def work(uow: Uow) -> list[tuple[datetime, datetime]]:
        space = await _space(uow.store, space_id)
        leaves = domain.leaf_spaces(space.id, await uow.store.space_children(space.venue_id))
        return await uow.store.conflicts(
            leaves, *domain.claim_range(starts_at, ends_at, space.rules.buffer_minutes))

    taken = await _run(uow, work)
    return Conflict("the space is already booked for that time",
                    conflicts=[{"starts_at": json_time(s), "ends_at": json_time(e)}
                               for s, e in taken])


def json_time(moment: datetime) -> str:
    """UTC as `Z`, the form the response models write."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def request_booking(uow: Uow, clock: Clock, principal: Principal, cmd: BookingCommand,
                          *, walk_in: bool = False) -> Booking:
    """An organiser's request, or (`walk_in`, the venue's desk staff) a walk-in booking
    confirmed at once with the organiser's details from the command. Every rule of the
    space applies to both; a walk-in is confirmed, so it adds no open request."""
    _require(principal, "organiser", "desk")
    first, last = _local_day(cmd.starts_at), _local_day(cmd.ends_at)
    if walk_in:
        given = cmd.details.organiser
        if given is None or given.email is None:
            raise Invalid("a walk-in booking needs the organiser's name and email",
                          field="organiser")
        own = None
    else:
        own = _own(principal, cmd.details)

    async def work(uow: Uow) -> Booking:
        store = uow.store
        # An organiser's own request reads the space (its rules, hours and tree) and locks
        # the organiser in one statement; a walk-in reads the space first, to know whether
        # this desk may book it. Then one statement places the booking with its claims,
        # history and events.
        if own is not None:
            context, organiser = await store.booking_context_locking_organiser(
                cmd.space_id, first, last, **own)
        else:
            context = await store.booking_context(cmd.space_id, first, last)
        if context is None:
            raise NotFound("no such space", space_id=str(cmd.space_id))
        space = context.space
        if walk_in:
            if not principal.is_desk_for(space.venue_id):
                raise Forbidden("walk-in bookings are made by the venue's desk staff")
            given = cmd.details.organiser
            assert given is not None
            organiser = await store.ensure_organiser(subject=None, name=given.name,
                                                     email=given.email, phone=given.phone)
        domain.check_slot(cmd.starts_at, cmd.ends_at, space.rules, clock.now())
        domain.check_details(_request(cmd.details, cmd.starts_at, cmd.ends_at), space.venue,
                             space.rules)
        try:
            slot = _check_slot(context, cmd.starts_at, cmd.ends_at, clock.now())
        except Invalid:
            if not walk_in:  # outside opening hours: too many open requests still wins
                domain.check_open_requests(
                    await store.open_requests(organiser.id, space.id), space.rules)
            raise
        return await _place(
            uow, clock, slot, organiser=organiser,
            status=domain.initial_status(space.rules, walk_in), details=cmd.details,
            contact=_contact(organiser, cmd.details),
            created_by=_who(principal, "desk" if walk_in else "organiser"),
            max_open=None if walk_in else space.rules.max_open_requests)

    try:
        return await _run(uow, work)
    except Taken:
        raise await _taken(uow, cmd.space_id, cmd.starts_at, cmd.ends_at) from None


async def hold_slot(uow: Uow, clock: Clock, principal: Principal, cmd: HoldCommand) -> Booking:
    """Keep a slot for the organiser for the space's hold time while they fill in the
    request: the same rules of time, hours and open requests as a request."""
    _require(principal, "organiser", "desk")
    own = _own(principal, None)
    first, last = _local_day(cmd.starts_at), _local_day(cmd.ends_at)

    async def work(uow: Uow) -> Booking:
        # The time's rules before its opening hours: a hold ending in 2100 is refused before
        # any day of it is looked at.
        context, organiser = await uow.store.booking_context_locking_organiser(
            cmd.space_id, first, last, **own)
        if context is None:
            raise NotFound("no such space", space_id=str(cmd.space_id))
        rules = context.space.rules
        domain.check_slot(cmd.starts_at, cmd.ends_at, rules, clock.now())
        try:
            slot = _check_slot(context, cmd.starts_at, cmd.ends_at, clock.now())
        except Invalid:
            domain.check_open_requests(
                await uow.store.open_requests(organiser.id, context.space.id), rules)
            raise
        return await _place(uow, clock, slot, organiser=organiser, status="held", details=None,
                            contact=None, created_by=_who(principal, "organiser"),
                            max_open=rules.max_open_requests)

    try:
        return await _run(uow, work)
    except Taken:
        raise await _taken(uow, cmd.space_id, cmd.starts_at, cmd.ends_at) from None


async def _authorised(store: BookingStore, principal: Principal, booking_id: UUID, *,
                      for_update: bool = False) -> tuple[Booking, bool]:
    """The booking and whether the caller acts as its venue's desk (else as its organiser)."""
    if principal.is_public:
        raise Unauthenticated("sign in first")
    booking = await store.get_booking(booking_id, for_update=for_update)
    if booking is None:
        raise NotFound("no such booking", booking_id=str(booking_id))
    if principal.is_desk_for(booking.venue_id):
        return booking, True
    if booking.organiser_subject is None or booking.organiser_subject != principal.subject:
        raise Forbidden("this booking is not yours")
    return booking, False


async def submit_hold(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                      details: RequestDetails) -> Booking:
    """A hold completed into a request: every rule of a request applies again, as of now."""
    own = _own(principal, details)

    async def work(uow: Uow) -> Booking:
        store = uow.store
        held, _ = await _authorised(store, principal, booking_id, for_update=True)
        if held.organiser_subject != principal.subject:
            raise Forbidden("only the organiser who holds the slot submits it")
        now = clock.now()
        domain.check_submittable(held, now)
        context = await store.booking_context(held.space_id, _local_day(held.starts_at),
                                              _local_day(held.ends_at))
        assert context is not None
        space = context.space
        organiser = await store.ensure_organiser(**own)
        domain.check_details(_request(details, held.starts_at, held.ends_at), space.venue,
                             space.rules)
        slot = _check_slot(context, held.starts_at, held.ends_at, now)
        # The hold itself is one of the organiser's open requests already.
        domain.check_open_requests(await store.open_requests(organiser.id, space.id) - 1,
                                   space.rules)
        target = domain.initial_status(space.rules, False)
        domain.check_transition(held.status, "requested")
        history = [("requested", _who(principal, "organiser"))]
        if target == "confirmed":
            history.append(("confirmed", "system:automatic"))
        price, invoice = await _money(store, slot, details.cooperation)
        contact = _contact(organiser, details)
        await store.complete_hold(booking_id, {
            "status": target, "title": details.title, "organiser_id": organiser.id,
            "cooperation": details.cooperation, "organiser_type": details.organiser_type,
            "shared_activity": details.shared_activity,
            "library_contact": details.library_contact, "price": price,
            "invoice_reference": invoice, "contact_name": contact.name,
            "contact_email": contact.email, "contact_phone": contact.phone}, history, now)
        updated = await store.get_booking(booking_id)
        assert updated is not None
        events: list[DomainEvent] = [_facts(BookingRequested, updated)]
        if target == "confirmed":
            events.append(_facts(BookingConfirmed, updated))
        await uow.publish(*events)
        return updated

    return await _run(uow, work)


# --- decisions ---------------------------------------------------------------------------------

Decision = Literal["confirmed", "rejected", "cancelled", "no_show"]


async def _decide(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                  target: Decision, reason: str | None) -> Booking:
    """One decision inside the caller's transaction."""
    store = uow.store
    booking, by_desk = await _authorised(store, principal, booking_id, for_update=True)
    if target in ("confirmed", "rejected", "no_show") and not by_desk:
        raise Forbidden("only the venue's desk staff decide on bookings")
    if target == "confirmed":
        domain.check_confirmable(booking)
    else:
        domain.check_transition(booking.status, target)
    if target == "cancelled":
        space = await _space(store, booking.space_id)
        domain.check_cancellation(by_desk=by_desk, starts_at=booking.starts_at,
                                  now=clock.now(), rules=space.rules)
        if by_desk and not reason:
            raise Invalid("desk staff give a reason when they cancel or stop a booking",
                          field="reason")
    actor = "desk" if by_desk else "organiser"
    await store.set_status(booking_id, target, actor=_who(principal, actor), reason=reason,
                           at=clock.now(), release=target != "confirmed")
    if target == "cancelled":
        await store.cancel_booking_loans(booking_id)
    event: DomainEvent | None = None
    if target == "confirmed":
        event = _facts(BookingConfirmed, booking)
    elif target == "rejected":
        event = _facts(BookingRejected, booking, reason=reason or "")
    elif target == "no_show":
        event = _facts(BookingNoShow, booking)
    elif booking.status != "held":  # a hold was never announced
        event = _facts(BookingCancelled, booking, reason=reason or "", cancelled_by=actor)
    if event is not None:
        await uow.publish(event)
    updated = await store.get_booking(booking_id)
    assert updated is not None
    return updated


async def confirm_booking(uow: Uow, clock: Clock, principal: Principal,
                          booking_id: UUID) -> Booking:
    return await _run(uow, lambda uow: _decide(uow, clock, principal, booking_id, "confirmed",
                                               None))


async def reject_booking(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                         reason: str) -> Booking:
    if not reason.strip():
        raise Invalid("give the organiser a reason", field="reason")
    return await _run(uow, lambda uow: _decide(uow, clock, principal, booking_id, "rejected",
                                               reason))


async def cancel_booking(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                         reason: str | None) -> Booking:
    """The organiser before the space's cancellation deadline; desk staff any time, with a
    reason (this is also how the desk stops an event)."""
    return await _run(uow, lambda uow: _decide(uow, clock, principal, booking_id, "cancelled",
                                               reason or None))


async def check_in(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID) -> Booking:
    """Who arrived: the venue's desk or the booking's organiser, for a confirmed booking
    from an hour before its start until its end. The one rule of the API and the desk page."""

    async def work(uow: Uow) -> Booking:
        booking, _ = await _authorised(uow.store, principal, booking_id, for_update=True)
        domain.check_check_in(booking, clock.now())
        await uow.store.set_checked_in(booking_id, clock.now())
        updated = await uow.store.get_booking(booking_id)
        assert updated is not None
        return updated

    return await _run(uow, work)


# --- series ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesCommand:
    booking: BookingCommand
    until: date | None = None
    count: int | None = None
    on_conflict: Literal["skip", "reject"] = "skip"


@dataclass(frozen=True)
class SeriesResult:
    series_id: UUID
    created: list[Booking]
    skipped: list[dict[str, str]] = field(default_factory=list)


async def request_series(uow: Uow, clock: Clock, principal: Principal,
                         cmd: SeriesCommand) -> SeriesResult:
    """A weekly series as one request, in one transaction: occurrences that break a rule or
    clash are skipped (reported) or, with `on_conflict=reject`, the whole series is refused
    with them listed. Every occurrence to be requested counts against the open-request
    limit, so a series cannot take an organiser past it."""
    _require(principal, "organiser", "desk")
    b = cmd.booking
    occurrences = weekly_occurrences(b.starts_at, b.ends_at, until=cmd.until, count=cmd.count)
    own = _own(principal, b.details)
    series_id = uuid4()

    async def work(uow: Uow) -> SeriesResult:
        store = uow.store
        context, organiser = await store.booking_context_locking_organiser(
            b.space_id, _local_day(occurrences[0][0]), _local_day(occurrences[-1][1]), **own)
        if context is None:
            raise NotFound("no such space", space_id=str(b.space_id))
        space = context.space
        domain.check_details(_request(b.details, b.starts_at, b.ends_at), space.venue,
                             space.rules)
        now = clock.now()
        slots: list[_Slot] = []
        skipped: list[dict[str, str]] = []
        for starts_at, ends_at in occurrences:
            try:
                slots.append(_check_slot(context, starts_at, ends_at, now))
            except Invalid as exc:
                skipped.append({"starts_at": json_time(starts_at),
                                "ends_at": json_time(ends_at), "reason": exc.message})
        status = domain.initial_status(space.rules, False)
        if status == "requested":
            domain.check_open_requests(await store.open_requests(organiser.id, space.id),
                                       space.rules, adding=len(slots))
        await store.insert_series(series_id, space.id, organiser.id, b.details.title,
                                  {"until": cmd.until.isoformat() if cmd.until else None,
                                   "count": cmd.count})
        created: list[Booking] = []
        for slot in slots:
            try:
                async with store.savepoint():  # an occurrence that clashes fails alone
                    created.append(await _place(
                        uow, clock, slot, organiser=organiser, status=status,
                        details=b.details, contact=_contact(organiser, b.details),
                        created_by=_who(principal, "organiser"),
                        max_open=space.rules.max_open_requests, series_id=series_id))
            except Taken:
                skipped.append({"starts_at": json_time(slot.starts_at),
                                "ends_at": json_time(slot.ends_at), "reason": "taken"})
        if skipped and cmd.on_conflict == "reject":
            raise Conflict("some occurrences of the series cannot be booked; nothing was booked",
                           conflicts=sorted(skipped, key=lambda s: s["starts_at"]))
        if not created:
            raise Conflict("no occurrence of the series can be booked",
                           conflicts=sorted(skipped, key=lambda s: s["starts_at"]))
        return SeriesResult(series_id, created,
                            sorted(skipped, key=lambda s: s["starts_at"]))

    return await _run(uow, work)


async def _series_bookings(store: BookingStore, series_id: UUID, statuses: Sequence[str],
                           starting_from: datetime | None) -> list[Booking]:
    if await store.series_venue(series_id) is None:
        raise NotFound("no such series", series_id=str(series_id))
    return await store.series_bookings(series_id, statuses, starting_from)


async def confirm_series(uow: Uow, clock: Clock, principal: Principal,
                         series_id: UUID) -> list[Booking]:
    """One confirmation for every requested occurrence of the series: all or none."""

    async def work(uow: Uow) -> list[Booking]:
        bookings = await _series_bookings(uow.store, series_id, ("requested",), None)
        return [await _decide(uow, clock, principal, b.id, "confirmed", None)
                for b in bookings]

    return await _run(uow, work)


async def cancel_series(uow: Uow, clock: Clock, principal: Principal, series_id: UUID,
                        reason: str | None, from_day: date | None) -> list[Booking]:
    """Cancel the occurrences from `from_day` on (default: all that have not started): all
    or none."""
    start = (datetime.combine(from_day, time(0), tzinfo=HELSINKI) if from_day
             else clock.now())

    async def work(uow: Uow) -> list[Booking]:
        bookings = await _series_bookings(uow.store, series_id, ("requested", "confirmed"),
                                          start)
        return [await _decide(uow, clock, principal, b.id, "cancelled", reason or None)
                for b in bookings]

    return await _run(uow, work)


# --- reading bookings --------------------------------------------------------------------------


async def get_booking(uow: Uow, principal: Principal, booking_id: UUID) -> Booking:
    async def work(uow: Uow) -> Booking:
        return (await _authorised(uow.store, principal, booking_id))[0]

    return await _run(uow, work)


async def my_bookings(uow: Uow, principal: Principal) -> list[Booking]:
    _require(principal, "organiser", "desk")

    async def work(uow: Uow) -> list[Booking]:
        organiser = await uow.store.organiser_by_subject(principal.subject or "")
        return [] if organiser is None else await uow.store.organiser_bookings(organiser.id)

    return await _run(uow, work)


#: The most days of bookings one desk listing covers.
MAX_DESK_DAYS = 31


async def desk_bookings(uow: Uow, principal: Principal, *, venue_id: UUID | None,
                        status: str | None, day: date | None, days: int) -> list[Booking]:
    """Bookings of the caller's venues, with the organisers' contact details."""
    _require(principal, "desk")
    if venue_id is not None and not principal.is_desk_for(venue_id):
        raise Forbidden("desk staff see only their own venues")
    if not 1 <= days <= MAX_DESK_DAYS:
        raise Invalid(f"days must be between 1 and {MAX_DESK_DAYS}", field="days")
    venues = [venue_id] if venue_id else (None if "admin" in principal.roles
                                          else sorted(principal.venues))
    start = end = None
    if day is not None:
        start = datetime.combine(day, time(0), tzinfo=HELSINKI)
        end = start + timedelta(days=days)

    async def work(uow: Uow) -> list[Booking]:
        return await uow.store.desk_bookings(venues, status=status, start=start, end=end)

    return await _run(uow, work)


@dataclass(frozen=True)
class DeskDay:
    """What the desk page shows: the desk's venues, the chosen one's spaces, the week's
    bookings and the requests waiting for a decision."""

    venues: list[Venue]
    venue: Venue
    spaces: list[Space]
    week: list[Booking]
    pending: list[Booking]


async def desk_day(uow: Uow, principal: Principal, venue_id: UUID | None,
                   monday: date) -> DeskDay:
    _require(principal, "desk")

    async def work(uow: Uow) -> DeskDay:
        venues = [v for v in await uow.store.list_venues() if principal.is_desk_for(v.id)]
        if not venues:
            raise Forbidden("you are not desk staff of any venue")
        venue = next((v for v in venues if v.id == venue_id), venues[0])
        start = datetime.combine(monday, time(0), tzinfo=HELSINKI)
        week = await uow.store.desk_bookings([venue.id], status=None, start=start,
                                             end=start + timedelta(days=7))
        pending = await uow.store.desk_bookings([venue.id], status="requested", start=None,
                                                end=None, limit=200)
        return DeskDay(venues, venue, await uow.store.list_spaces([venue.id]), week, pending)

    return await _run(uow, work)


@dataclass(frozen=True)
class SpaceCalendar:
    space: Space
    bookings: list[Booking]
    #: Whether the reader is the venue's desk (sees titles) or not (sees only "taken").
    desk: bool


async def space_calendar(uow: Uow, principal: Principal, space_id: UUID) -> SpaceCalendar:
    async def work(uow: Uow) -> SpaceCalendar:
        space = await _space(uow.store, space_id)
        return SpaceCalendar(space, await uow.store.space_bookings(space_id),
                             principal.is_desk_for(space.venue_id))

    return await _run(uow, work)


async def my_calendar(uow: Uow, principal: Principal) -> list[CalendarEntry]:
    _require(principal, "organiser", "desk")

    async def work(uow: Uow) -> list[CalendarEntry]:
        organiser = await uow.store.organiser_by_subject(principal.subject or "")
        if organiser is None:
            return []
        return await uow.store.calendar_entries(organiser_id=organiser.id)

    return await _run(uow, work)


async def booking_calendar(uow: Uow, principal: Principal, booking_id: UUID) -> CalendarEntry:
    async def work(uow: Uow) -> CalendarEntry:
        await _authorised(uow.store, principal, booking_id)
        return (await uow.store.calendar_entries(booking_id=booking_id))[0]

    return await _run(uow, work)


# --- scheduled jobs ----------------------------------------------------------------------------


async def expire_holds(uow: Uow, clock: Clock, limit: int = 200) -> int:
    """Holds the organiser did not complete in time free their slot."""

    async def work(uow: Uow) -> int:
        ids = await uow.store.expired_holds(clock.now(), limit)
        for booking_id in ids:
            await uow.store.set_status(booking_id, "expired", actor="system",
                                       reason="hold expired", at=clock.now(), release=True)
        return len(ids)

    return await _run(uow, work)


async def release_no_shows(uow: Uow, clock: Clock, limit: int = 200) -> int:
    """Confirmed bookings of spaces that require check-in, not checked in within the window."""

    async def work(uow: Uow) -> int:
        due = await uow.store.due_no_shows(clock.now(), limit)
        for booking in due:
            domain.check_transition(booking.status, "no_show")
            await uow.store.set_status(booking.id, "no_show", actor="system",
                                       reason="nobody checked in", at=clock.now(),
                                       release=True)
            await uow.publish(_facts(BookingNoShow, booking))
        return len(due)

    return await _run(uow, work)


async def anonymise_organisers(uow: Uow, clock: Clock, retention_days: int,
                               limit: int = 500) -> int:
    """Personal data is kept only as long as needed: organisers with nothing booked within
    the retention period keep their pseudonymous id (statistics) and lose name and contacts,
    in their bookings too."""
    now = clock.now()

    async def work(uow: Uow) -> int:
        return await uow.store.anonymise_organisers(now - timedelta(days=retention_days), now,
                                                    limit)

    return await _run(uow, work)


# --- loans -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanCommand:
    resource_id: UUID
    quantity: int
    starts_at: datetime
    ends_at: datetime
    booking_id: UUID | None = None


async def lend(uow: Uow, clock: Clock, principal: Principal, cmd: LoanCommand) -> Loan:
    """Lend a quantity of a resource for a time; never more out at once than exist. A loan is
    planned like a booking (not in the past, within the horizon, at most a month); an
    organiser borrows for their own booking, within its time; the venue's desk staff lend for
    any booking of the venue or without one."""
    _require(principal, "organiser", "desk")
    if cmd.quantity < 1:
        raise Invalid("lend at least one", field="quantity")

    async def work(uow: Uow) -> Loan:
        store = uow.store
        # The row lock makes concurrent loans of one resource take turns at this check.
        resource = await store.get_resource(cmd.resource_id, for_update=True)
        if resource is None:
            raise NotFound("no such resource", resource_id=str(cmd.resource_id))
        booking = None
        if cmd.booking_id is not None:
            booking, _ = await _authorised(store, principal, cmd.booking_id)
            if booking.venue_id != resource.venue_id:
                raise Invalid("the resource is lent at the booking's own venue",
                              field="resource_id")
        elif not principal.is_desk_for(resource.venue_id):
            raise Forbidden("a loan goes with your own booking (booking_id); the venue's desk"
                            " staff lend without one")
        domain.check_loan(cmd.starts_at, cmd.ends_at, clock.now(), booking)
        peak = await store.peak_out(cmd.resource_id, cmd.starts_at, cmd.ends_at)
        if peak + cmd.quantity > resource.quantity:
            raise Conflict(f"only {resource.quantity - peak} of {resource.quantity} are free"
                           " for that whole time", available=resource.quantity - peak)
        if booking is not None:  # the booking's organiser borrows, whoever records it
            organiser_id, subject = booking.organiser_id, booking.organiser_subject
        else:
            if principal.subject is None:
                raise Unauthenticated("sign in first")
            organiser_id = (await store.ensure_organiser(
                subject=principal.subject, name=principal.name or principal.subject,
                email=None, phone=None)).id
            subject = principal.subject
        loan = Loan(id=uuid4(), resource_id=cmd.resource_id, venue_id=resource.venue_id,
                    organiser_id=organiser_id, booking_id=cmd.booking_id,
                    quantity=cmd.quantity, starts_at=cmd.starts_at, ends_at=cmd.ends_at,
                    status="active", organiser_subject=subject)
        await store.insert_loan(loan)
        return loan

    return await _run(uow, work)


async def _loan_change(uow: Uow, principal: Principal, loan_id: UUID,
                       target: Literal["cancelled", "returned"]) -> Loan:
    loan = await uow.store.get_loan(loan_id, for_update=True)
    if loan is None:
        raise NotFound("no such loan", loan_id=str(loan_id))
    if principal.is_public:
        raise Unauthenticated("sign in first")
    by_desk = principal.is_desk_for(loan.venue_id)
    if not by_desk and (loan.organiser_subject is None
                        or loan.organiser_subject != principal.subject):
        raise Forbidden("this loan is not yours")
    if target == "returned" and not by_desk:
        raise Forbidden("the desk takes returned things back")
    if loan.status != "active":
        raise Conflict(f"the loan is {loan.status} already", status=loan.status)
    await uow.store.set_loan_status(loan_id, target)
    return replace(loan, status=target)


async def cancel_loan(uow: Uow, principal: Principal, loan_id: UUID) -> Loan:
    """The borrower or the desk cancels a loan not yet returned: its units are free again."""
    return await _run(uow, lambda uow: _loan_change(uow, principal, loan_id, "cancelled"))


async def return_loan(uow: Uow, principal: Principal, loan_id: UUID) -> Loan:
    """The desk records that a loan came back: its units are free again."""
    return await _run(uow, lambda uow: _loan_change(uow, principal, loan_id, "returned"))
