"""HTTP API of the booking service.

Public: the catalogue, opening hours, free slots and first available times, never who booked.
Organisers: hold, request, see and cancel their own bookings. Desk staff (their venues): all
bookings with organisers' details, confirm, reject, cancel, stop, check in, walk-in bookings,
hours and rules. Every change commits with its event in the outbox.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID, uuid4

import asyncpg
from fastapi import APIRouter, Query, Response, status
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    TypeAdapter,
    model_validator,
)

from services.booking import domain, store
from shared.auth import CurrentPrincipal, Principal, Unauthenticated, require
from shared.contracts import (
    BookingCancelled,
    BookingConfirmed,
    BookingNoShow,
    BookingRejected,
    BookingRequested,
    DomainEvent,
    LocalizedText,
    VenueKind,
)
from shared.db import Connection
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.ical import MEDIA_TYPE, CalendarEvent, calendar
from shared.outbox import enqueue, outbox_rows
from shared.recurrence import weekly_occurrences
from shared.service import Pool

router = APIRouter()
#: A row as asyncpg reads it, or the same built in Python.
_Row = asyncpg.Record | Mapping[str, Any]
_TIME = TypeAdapter(datetime)
HoursKind = Literal["staffed", "self_service"]
OrganiserType = Literal["resident", "association", "party", "religious", "commercial", "library"]


# --- models -----------------------------------------------------------------------------------


class Photo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=500)
    alt: LocalizedText


class SpaceRulesIn(BaseModel):
    """Rules the desk sets per space."""

    model_config = ConfigDict(extra="forbid")

    min_minutes: int = Field(30, ge=15, le=24 * 60 * 7)
    max_minutes: int = Field(240, ge=15, le=24 * 60 * 7)
    horizon_days: int = Field(180, ge=1, le=730)
    buffer_minutes: int = Field(0, ge=0, le=240)
    max_open_requests: int = Field(3, ge=1, le=100)
    confirmation: Literal["manual", "automatic"] = "manual"
    price_per_hour: Decimal | None = Field(None, ge=0, le=10000)
    cancellation_hours: int = Field(24, ge=0, le=24 * 30)
    self_service: bool = False
    overnight: bool = False
    checkin_required: bool = False
    checkin_minutes: int = Field(30, ge=1, le=24 * 60)
    hold_minutes: int = Field(15, ge=1, le=24 * 60)

    @model_validator(mode="after")
    def _lengths(self) -> SpaceRulesIn:
        if self.max_minutes < self.min_minutes:
            raise ValueError("max_minutes must be at least min_minutes")
        return self


class SpaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText
    description: LocalizedText | None = None
    capacity: int | None = Field(None, gt=0, le=10000)
    equipment: list[str] = Field(default_factory=list, max_length=30)
    photos: list[Photo] = Field(default_factory=list, max_length=20)
    paid: bool = False
    parent_id: UUID | None = None
    rules: SpaceRulesIn = Field(default_factory=SpaceRulesIn)


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=40)


class VenueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText
    description: LocalizedText | None = None
    kind: VenueKind
    area: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_.-]+$")
    municipality: str = Field(min_length=1, max_length=100)
    address: str | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    accessibility: LocalizedText | None = None
    contact: Contact = Field(default_factory=Contact)
    languages: list[Literal["fi", "sv", "en"]] = Field(default=["fi"], min_length=1)
    has_paid_space: bool = False
    spaces: list[SpaceIn] = Field(default_factory=list, max_length=200)


class VenuePatch(BaseModel):
    """Changes to a venue's details; spaces are added and changed on their own."""

    model_config = ConfigDict(extra="forbid")

    name: LocalizedText | None = None
    description: LocalizedText | None = None
    address: str | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    accessibility: LocalizedText | None = None
    contact: Contact | None = None
    languages: list[Literal["fi", "sv", "en"]] | None = Field(None, min_length=1)
    area: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[a-z0-9_.-]+$")


class ResourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText
    quantity: int = Field(ge=0, le=100000)


class SpaceOut(BaseModel):
    id: UUID
    name: LocalizedText
    description: LocalizedText | None
    capacity: int | None
    equipment: list[str]
    photos: list[Photo]
    paid: bool
    parent_id: UUID | None
    rules: SpaceRulesIn


class ResourceOut(BaseModel):
    id: UUID
    name: LocalizedText
    quantity: int


class VenueOut(BaseModel):
    id: UUID
    name: LocalizedText
    description: LocalizedText | None
    kind: str
    area: str
    municipality: str
    address: str | None
    latitude: float | None
    longitude: float | None
    accessibility: LocalizedText | None
    contact: Contact
    languages: list[str]
    has_paid_space: bool
    revision: int
    spaces: list[SpaceOut]
    resources: list[ResourceOut]


class WeeklyHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 = Monday")
    opens: time
    closes: time
    kind: HoursKind = "staffed"

    @model_validator(mode="after")
    def _order(self) -> WeeklyHoursIn:
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


class HoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    space_id: UUID | None = None
    weekly: list[WeeklyHoursIn] = Field(max_length=100)


class ExceptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    space_id: UUID | None = None
    day: date
    closed: bool = True
    opens: time | None = None
    closes: time | None = None
    kind: HoursKind | None = None
    reason: LocalizedText | None = None

    @model_validator(mode="after")
    def _shape(self) -> ExceptionIn:
        if self.closed and (self.opens or self.closes):
            raise ValueError("a closed day has no opening times")
        if not self.closed and not (self.opens and self.closes and self.closes > self.opens):
            raise ValueError("give opens and closes (closes after opens) for a day that is open")
        return self


class IntervalOut(BaseModel):
    starts_at: datetime
    ends_at: datetime
    kind: str


class OrganiserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=40)


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    space_id: UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class RequestDetails(BaseModel):
    """What completes a hold into a request."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    organiser: OrganiserIn | None = None
    organiser_type: OrganiserType = "resident"
    cooperation: bool = True
    shared_activity: bool = False
    library_contact: str | None = Field(None, max_length=200)
    accept_house_rules: bool


class BookingIn(RequestDetails):
    space_id: UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class RepeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: date | None = None
    count: int | None = Field(None, ge=1, le=60)


class SeriesIn(BookingIn):
    repeat: RepeatIn
    on_conflict: Literal["skip", "reject"] = "skip"


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=1000)


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=1000)


class LoanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource_id: UUID
    quantity: int = Field(ge=1, le=1000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    booking_id: UUID | None = None


class HistoryOut(BaseModel):
    status: str
    actor: str
    reason: str | None
    at: datetime


class OrganiserOut(BaseModel):
    name: str
    email: str | None
    phone: str | None


class BookingOut(BaseModel):
    id: UUID
    space_id: UUID
    venue_id: UUID
    organiser_id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    cooperation: bool
    organiser_type: str
    shared_activity: bool
    library_contact: str | None
    hours_kind: str
    access_code: str | None
    price: Decimal | None
    invoice_reference: str | None
    series_id: UUID | None
    hold_expires_at: datetime | None
    checked_in_at: datetime | None
    organiser: OrganiserOut | None = None
    history: list[HistoryOut]


class SeriesOut(BaseModel):
    series_id: UUID
    created: list[BookingOut]
    skipped: list[dict[str, str]]


# --- helpers ----------------------------------------------------------------------------------


def _text(value: Any) -> LocalizedText | None:
    return LocalizedText(**value) if value else None


def _space_out(row: asyncpg.Record) -> SpaceOut:
    rules = store.space_rules(row)
    return SpaceOut(
        id=row["id"], name=LocalizedText(**row["name"]), description=_text(row["description"]),
        capacity=row["capacity"], equipment=list(row["equipment"]),
        photos=[Photo(**p) for p in row["photos"]], paid=row["paid"],
        parent_id=row["parent_id"],
        rules=SpaceRulesIn(**{k: getattr(rules, k) for k in SpaceRulesIn.model_fields}),
    )


def _venue_out(venue: asyncpg.Record, spaces: list[asyncpg.Record],
               resources: list[asyncpg.Record]) -> VenueOut:
    return VenueOut(
        id=venue["id"], name=LocalizedText(**venue["name"]),
        description=_text(venue["description"]), kind=venue["kind"], area=venue["area"],
        municipality=venue["municipality"], address=venue["address"],
        latitude=venue["latitude"], longitude=venue["longitude"],
        accessibility=_text(venue["accessibility"]), contact=Contact(**venue["contact"]),
        languages=list(venue["languages"]), has_paid_space=venue["has_paid_space"],
        revision=venue["revision"], spaces=[_space_out(s) for s in spaces],
        resources=[ResourceOut(id=r["id"], name=LocalizedText(**r["name"]),
                               quantity=r["quantity"]) for r in resources],
    )


async def _load_venue(conn: Connection, venue_id: UUID) -> VenueOut:
    venue = await store.get_venue(conn, venue_id)
    if venue is None:
        raise NotFound("no such venue", venue_id=str(venue_id))
    spaces = await store.list_spaces(conn, [venue_id])
    resources = await conn.fetch("SELECT * FROM resources WHERE venue_id = $1 ORDER BY created_at",
                                 venue_id)
    return _venue_out(venue, spaces, resources)


def _who(principal: Principal, role: str) -> str:
    """History says who: the role and the person's id at the identity provider."""
    return f"{role}:{principal.subject}" if principal.subject else role


def _require_desk(principal: Principal, venue_id: UUID) -> None:
    require(principal, "desk")
    if not principal.is_desk_for(venue_id):
        raise Forbidden("desk staff act only on their own venues", venue_id=str(venue_id))


async def _space(conn: Connection, space_id: UUID) -> asyncpg.Record:
    space = await store.get_space(conn, space_id)
    if space is None:
        raise NotFound("no such space", space_id=str(space_id))
    return space


def _facts(cls: type[Any], row: _Row, **extra: Any) -> Any:
    return cls(
        booking_id=row["id"], venue_id=row["venue_id"], space_id=row["space_id"],
        starts_at=row["starts_at"], ends_at=row["ends_at"], title=row["title"],
        organiser_id=row["organiser_id"], cooperation=row["cooperation"],
        organiser_type=row["organiser_type"], hours_kind=row["hours_kind"],
        series_id=row["series_id"], organiser_subject=row.get("organiser_subject"),
        contact_email=row.get("contact_email"), **extra,
    )


def _booking_out_of(row: _Row, history: list[dict[str, Any]],
                    organiser: _Row | None) -> BookingOut:
    return BookingOut(
        **{k: row[k] for k in BookingOut.model_fields if k not in ("history", "organiser")},
        organiser=OrganiserOut(name=organiser["name"], email=organiser["email"],
                               phone=organiser["phone"]) if organiser else None,
        history=[HistoryOut(**dict(h)) for h in history],
    )


async def _booking_out(conn: Connection, booking_id: UUID, *,
                       with_organiser: bool = False) -> BookingOut:
    row = await store.get_booking(conn, booking_id)
    if row is None:
        raise NotFound("no such booking", booking_id=str(booking_id))
    history = await store.booking_history(conn, booking_id)
    organiser = None
    if with_organiser:
        o = await conn.fetchrow("SELECT name, email, phone FROM organisers WHERE id = $1",
                                row["organiser_id"])
        organiser = OrganiserOut(**dict(o)) if o else None
    return BookingOut(
        **{k: row[k] for k in BookingOut.model_fields if k not in ("history", "organiser")},
        organiser=organiser,
        history=[HistoryOut(**dict(h)) for h in history],
    )


async def _authorised_booking(conn: Connection, principal: Principal, booking_id: UUID,
                              *, for_update: bool = False) -> tuple[asyncpg.Record, bool]:
    """The booking and whether the caller acts as desk (else as its organiser)."""
    if principal.is_public:
        raise Unauthenticated("sign in first")
    row = await store.get_booking(conn, booking_id, for_update=for_update)
    if row is None:
        raise NotFound("no such booking", booking_id=str(booking_id))
    if principal.is_desk_for(row["venue_id"]):
        return row, True
    owner = await conn.fetchval("SELECT subject FROM organisers WHERE id = $1",
                                row["organiser_id"])
    if owner is None or owner != principal.subject:
        raise Forbidden("this booking is not yours")
    return row, False


async def _hours(conn: Connection, venue_id: UUID, space_id: UUID | None, first: date,
                 last: date) -> list[domain.Interval]:
    weekly, exceptions = await store.opening_rules(conn, venue_id, space_id)
    return domain.intervals_between(first, last, weekly, exceptions)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(domain.HELSINKI).date()


# --- catalogue --------------------------------------------------------------------------------


async def register_venue_in(conn: Connection, venue_id: UUID, body: VenueIn,
                            space_ids: list[UUID] | None = None) -> None:
    """Insert a venue with its spaces and enqueue `venue.registered` (used by the demo too)."""
    data: dict[str, Any] = body.model_dump(mode="json", exclude={"spaces"})
    await store.insert_venue(conn, {**data, "id": venue_id})
    await conn.execute(
        """UPDATE venues SET description = $2, latitude = $3, longitude = $4,
                             accessibility = $5, contact = $6, languages = $7 WHERE id = $1""",
        venue_id, data["description"], data["latitude"], data["longitude"],
        data["accessibility"], data["contact"], data["languages"])
    for i, space in enumerate(body.spaces):
        await _insert_space(conn, venue_id, space, space_ids[i] if space_ids else uuid4())
    await enqueue(conn, await store.venue_event(conn, venue_id, registered=True))


async def _insert_space(conn: Connection, venue_id: UUID, space: SpaceIn, space_id: UUID) -> None:
    if space.parent_id is not None:
        parent = await store.get_space(conn, space.parent_id)
        if parent is None or parent["venue_id"] != venue_id:
            raise Invalid("the parent space must be a space of the same venue", field="parent_id")
    data = space.model_dump(mode="json")
    await store.insert_space(conn, venue_id, {**data, "id": space_id})
    rules = space.rules
    await conn.execute(
        """UPDATE spaces SET description = $2, photos = $3, parent_id = $4, min_minutes = $5,
               max_minutes = $6, horizon_days = $7, buffer_minutes = $8, max_open_requests = $9,
               confirmation = $10, price_per_hour = $11, cancellation_hours = $12,
               self_service = $13, overnight = $14, checkin_minutes = $15, hold_minutes = $16,
               checkin_required = $17
           WHERE id = $1""",
        space_id, data["description"], data["photos"], space.parent_id, rules.min_minutes,
        rules.max_minutes, rules.horizon_days, rules.buffer_minutes, rules.max_open_requests,
        rules.confirmation, rules.price_per_hour, rules.cancellation_hours, rules.self_service,
        rules.overnight, rules.checkin_minutes, rules.hold_minutes, rules.checkin_required)


@router.post("/venues", status_code=status.HTTP_201_CREATED, tags=["venues"])
async def register_venue(body: VenueIn, pool: Pool, principal: CurrentPrincipal) -> VenueOut:
    require(principal, "admin")
    venue_id = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await register_venue_in(conn, venue_id, body)
        return await _load_venue(conn, venue_id)


@router.get("/venues", tags=["venues"])
async def list_venues(pool: Pool, area: str | None = None,
                      kind: str | None = None) -> list[VenueOut]:
    async with pool.acquire() as conn:
        venues = [v for v in await store.list_venues(conn)
                  if (area is None or v["area"] == area) and (kind is None or v["kind"] == kind)]
        ids = [v["id"] for v in venues]
        spaces = await store.list_spaces(conn, ids)
        resources = await conn.fetch(
            "SELECT * FROM resources WHERE venue_id = ANY($1::uuid[]) ORDER BY created_at", ids)
    by_venue: dict[UUID, list[asyncpg.Record]] = {}
    for s in spaces:
        by_venue.setdefault(s["venue_id"], []).append(s)
    res_by_venue: dict[UUID, list[asyncpg.Record]] = {}
    for r in resources:
        res_by_venue.setdefault(r["venue_id"], []).append(r)
    return [_venue_out(v, by_venue.get(v["id"], []), res_by_venue.get(v["id"], []))
            for v in venues]


@router.get("/venues/{venue_id}", tags=["venues"])
async def get_venue(venue_id: UUID, pool: Pool) -> VenueOut:
    async with pool.acquire() as conn:
        return await _load_venue(conn, venue_id)


@router.patch("/venues/{venue_id}", tags=["venues"])
async def update_venue(venue_id: UUID, body: VenuePatch, pool: Pool,
                       principal: CurrentPrincipal) -> VenueOut:
    """Change a venue's details; other services hear it as `venue.updated`."""
    _require_desk(principal, venue_id)
    changes = body.model_dump(mode="json", exclude_unset=True)
    if not changes:
        raise Invalid("nothing to change", field=None)
    async with pool.acquire() as conn, conn.transaction():
        if await store.get_venue(conn, venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        columns = list(changes)
        sets = ", ".join(f"{c} = ${i + 2}" for i, c in enumerate(columns))
        await conn.execute(f"UPDATE venues SET {sets} WHERE id = $1", venue_id,
                           *[changes[c] for c in columns])
        await store.bump_venue_revision(conn, venue_id)
        await enqueue(conn, await store.venue_event(conn, venue_id, registered=False))
        return await _load_venue(conn, venue_id)


@router.post("/venues/{venue_id}/spaces", status_code=status.HTTP_201_CREATED, tags=["venues"])
async def add_space(venue_id: UUID, body: SpaceIn, pool: Pool,
                    principal: CurrentPrincipal) -> VenueOut:
    _require_desk(principal, venue_id)
    async with pool.acquire() as conn, conn.transaction():
        if await store.get_venue(conn, venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        await _insert_space(conn, venue_id, body, uuid4())
        await store.bump_venue_revision(conn, venue_id)
        await enqueue(conn, await store.venue_event(conn, venue_id, registered=False))
        return await _load_venue(conn, venue_id)


@router.put("/spaces/{space_id}/rules", tags=["venues"])
async def set_space_rules(space_id: UUID, body: SpaceRulesIn, pool: Pool,
                          principal: CurrentPrincipal) -> SpaceOut:
    async with pool.acquire() as conn, conn.transaction():
        space = await _space(conn, space_id)
        _require_desk(principal, space["venue_id"])
        sets = ", ".join(f"{k} = ${i + 2}" for i, k in enumerate(SpaceRulesIn.model_fields))
        await conn.execute(f"UPDATE spaces SET {sets} WHERE id = $1", space_id,
                           *body.model_dump().values())
        return _space_out(await _space(conn, space_id))


@router.post("/venues/{venue_id}/resources", status_code=status.HTTP_201_CREATED,
             tags=["venues"])
async def add_resource(venue_id: UUID, body: ResourceIn, pool: Pool,
                       principal: CurrentPrincipal) -> ResourceOut:
    _require_desk(principal, venue_id)
    resource_id = uuid4()
    async with pool.acquire() as conn:
        if await store.get_venue(conn, venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        await conn.execute("INSERT INTO resources (id, venue_id, name, quantity)"
                           " VALUES ($1, $2, $3, $4)", resource_id, venue_id,
                           body.name.model_dump(), body.quantity)
    return ResourceOut(id=resource_id, name=body.name, quantity=body.quantity)


# --- opening hours ----------------------------------------------------------------------------


@router.put("/venues/{venue_id}/hours", tags=["opening hours"])
async def set_weekly_hours(venue_id: UUID, body: HoursIn, pool: Pool,
                           principal: CurrentPrincipal) -> list[WeeklyHoursIn]:
    _require_desk(principal, venue_id)
    async with pool.acquire() as conn, conn.transaction():
        if await store.get_venue(conn, venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        space = await _space(conn, body.space_id) if body.space_id is not None else None
        if space is not None and space["venue_id"] != venue_id:
            raise Invalid("the space is not in this venue", field="space_id")
        await store.replace_weekly_hours(conn, venue_id, body.space_id, [
            domain.WeeklyHours(h.weekday, h.opens, h.closes, h.kind) for h in body.weekly])
        await _announce_venue(conn, venue_id)
    return body.weekly


async def _announce_venue(conn: Connection, venue_id: UUID) -> None:
    """Hours are part of what other services know of a venue (utilisation, boards)."""
    await store.bump_venue_revision(conn, venue_id)
    await enqueue(conn, await store.venue_event(conn, venue_id, registered=False))


@router.post("/venues/{venue_id}/exceptions", status_code=status.HTTP_201_CREATED,
             tags=["opening hours"])
async def add_exception(venue_id: UUID, body: ExceptionIn, pool: Pool,
                        principal: CurrentPrincipal) -> ExceptionIn:
    _require_desk(principal, venue_id)
    async with pool.acquire() as conn, conn.transaction():
        if await store.get_venue(conn, venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        await store.add_exception(
            conn, venue_id, body.space_id,
            domain.DayException(body.day, None if body.closed else body.opens,
                                None if body.closed else body.closes,
                                None if body.closed else (body.kind or "staffed")),
            body.reason.model_dump() if body.reason else None)
        await _announce_venue(conn, venue_id)
    return body


@router.get("/venues/{venue_id}/hours", tags=["opening hours"])
async def week_hours(venue_id: UUID, pool: Pool, week: date | None = None,
                     space_id: UUID | None = None) -> list[IntervalOut]:
    """Open intervals for the week (Monday to Sunday) containing `week` (default: this week)."""
    day = week or _local_day(datetime.now(UTC))
    monday = day - timedelta(days=day.isoweekday() - 1)
    async with pool.acquire() as conn:
        if await store.get_venue(conn, venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        intervals = await _hours(conn, venue_id, space_id, monday, monday + timedelta(days=6))
    return [IntervalOut(starts_at=i.start, ends_at=i.end, kind=i.kind) for i in intervals]


@router.get("/venues/{venue_id}/open", tags=["opening hours"])
async def is_open(venue_id: UUID, pool: Pool, at: AwareDatetime | None = None,
                  space_id: UUID | None = None) -> dict[str, Any]:
    moment = at or datetime.now(UTC)
    day = _local_day(moment)
    async with pool.acquire() as conn:
        if await store.get_venue(conn, venue_id) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        intervals = await _hours(conn, venue_id, space_id, day, day)
    kind = domain.open_kind_at(moment, intervals)
    return {"at": moment.isoformat(), "open": kind is not None, "kind": kind}


@router.get("/spaces/{space_id}/free-slots", tags=["opening hours"])
async def free_slots(space_id: UUID, pool: Pool, day: date | None = None,
                     days: int = Query(1, ge=1, le=14)) -> list[IntervalOut]:
    """Free time of a space from `day` (default today) for `days` days, who booked never shown."""
    first = day or _local_day(datetime.now(UTC))
    async with pool.acquire() as conn:
        space = await _space(conn, space_id)
        rules = store.space_rules(space)
        return await _free_slots(conn, space, rules, first, first + timedelta(days=days - 1))


async def _free_slots(conn: Connection, space: asyncpg.Record, rules: domain.SpaceRules,
                      first: date, last: date) -> list[IntervalOut]:
    intervals = await _hours(conn, space["venue_id"], space["id"], first, last)
    if not intervals:
        return []
    leaves = domain.leaf_spaces(space["id"], await store.space_children(conn, space["venue_id"]))
    busy = await store.busy_ranges(conn, leaves, intervals[0].start, intervals[-1].end)
    # A new booking claims its buffer after it too, so it must end a buffer's length before
    # the next claim begins: widen each claim backwards by the buffer.
    buffer = timedelta(minutes=rules.buffer_minutes)
    slots = domain.free_slots(intervals, [(s - buffer, e) for s, e in busy], rules.min_minutes,
                              rules.self_service)
    return [IntervalOut(starts_at=s, ends_at=e, kind="free") for s, e in slots]


@router.get("/first-available", tags=["opening hours"])
async def first_available(
    pool: Pool,
    minutes: int = Query(60, ge=15, le=24 * 60),
    space_id: UUID | None = None,
    area: str | None = None,
    kind: str | None = None,
    min_capacity: int | None = Query(None, ge=1),
    after: AwareDatetime | None = None,
    within_days: int = Query(30, ge=1, le=180),
) -> list[dict[str, Any]]:
    """The earliest free time of `minutes` for one space, or for every space of a kind of venue
    in an area with room for `min_capacity` (earliest first, at most 10)."""
    start = max(after or datetime.now(UTC), datetime.now(UTC))
    found: list[dict[str, Any]] = []
    async with pool.acquire() as conn:
        candidates = await conn.fetch(
            """SELECT s.* FROM spaces s JOIN venues v ON v.id = s.venue_id
               WHERE ($1::uuid IS NULL OR s.id = $1) AND ($2::text IS NULL OR v.area = $2)
                 AND ($3::text IS NULL OR v.kind = $3)
                 AND ($4::int IS NULL OR s.capacity >= $4)
               ORDER BY s.position, s.id LIMIT 200""",
            space_id, area, kind, min_capacity)
        if space_id is not None and not candidates:
            raise NotFound("no such space", space_id=str(space_id))
        for space in candidates:
            rules = store.space_rules(space)
            if not rules.min_minutes <= minutes <= rules.max_minutes:
                continue
            first = _local_day(start)
            slots = await _free_slots(conn, space, rules, first,
                                      first + timedelta(days=within_days))
            for slot in slots:
                begin = max(slot.starts_at, start)
                if slot.ends_at - begin >= timedelta(minutes=minutes):
                    found.append({"space_id": str(space["id"]), "venue_id": str(space["venue_id"]),
                                  "starts_at": _json_time(begin),
                                  "ends_at": _json_time(begin + timedelta(minutes=minutes))})
                    break
    return sorted(found, key=lambda f: f["starts_at"])[:10]


# --- bookings ---------------------------------------------------------------------------------


async def _place(conn: Connection, *, booking_id: UUID, space: asyncpg.Record,
                 starts_at: datetime, ends_at: datetime, organiser: OrganiserRow,
                 status_: str, title: str, details: RequestDetails | None,
                 created_by: str, series_id: UUID | None = None,
                 context: store.BookingContext | None = None,
                 max_open: int | None = None) -> asyncpg.Record:
    """Insert a booking, its claims, history and events in the caller's transaction, in one
    statement (`store.place_booking`); `context` saves reading the hours and the space tree.

    With `max_open`, nothing is inserted when the organiser already has that many open
    requests for the space: the result's `id` is then NULL and `open_requests` says how
    many. Raises asyncpg.ExclusionViolationError when the time is taken (the caller turns it
    into a 409 with the conflicting slots, outside the failed transaction).
    """
    rules = store.space_rules(space)
    if context is None:
        intervals = await _hours(conn, space["venue_id"], space["id"], _local_day(starts_at),
                                 _local_day(ends_at))
        children = await store.space_children(conn, space["venue_id"])
    else:
        intervals = domain.intervals_between(_local_day(starts_at), _local_day(ends_at),
                                             context.weekly, context.exceptions)
        children = context.children
    hours_kind = domain.hours_kind(starts_at, ends_at, intervals, rules)
    cooperation = details.cooperation if details else True
    price = invoice = None
    if not cooperation and rules.price_per_hour is not None:
        price = domain.price_for(starts_at, ends_at, rules.price_per_hour)
        invoice = domain.finnish_reference(
            int(await conn.fetchval("SELECT nextval('invoice_numbers')")))
    values: dict[str, Any] = {
        "id": booking_id, "space_id": space["id"], "venue_id": space["venue_id"],
        "organiser_id": organiser["id"], "title": title,
        # As stored and read back: UTC, so the events say what a later read would.
        "starts_at": starts_at.astimezone(UTC), "ends_at": ends_at.astimezone(UTC),
        "status": status_, "cooperation": cooperation,
        "organiser_type": details.organiser_type if details else "resident",
        "shared_activity": details.shared_activity if details else False,
        "library_contact": details.library_contact if details else None,
        "hours_kind": hours_kind,
        # Self-service hours: the door system needs a code, shown to organiser and desk only.
        "access_code": f"{secrets.randbelow(10**6):06d}" if hours_kind == "self_service"
        else None,
        "price": price, "invoice_reference": invoice, "series_id": series_id,
        "hold_expires_at": datetime.now(UTC) + timedelta(minutes=rules.hold_minutes)
        if status_ == "held" else None,
        "created_by": created_by,
        "organiser_subject": organiser["subject"], "contact_email": organiser["email"],
    }
    events: list[DomainEvent] = []
    if status_ in ("requested", "confirmed"):
        events.append(_facts(BookingRequested, values))
        if status_ == "confirmed":
            events.append(_facts(BookingConfirmed, values))
    if events and not conn.is_in_transaction():
        raise RuntimeError("a booking's events must commit in the booking's transaction")
    return await store.place_booking(
        conn, values, leaves=domain.leaf_spaces(space["id"], children),
        claim=domain.claim_range(starts_at, ends_at, rules.buffer_minutes), max_open=max_open,
        events=outbox_rows(events))


async def _conflict(conn: Connection, space: asyncpg.Record, starts_at: datetime,
                    ends_at: datetime) -> Conflict:
    rules = store.space_rules(space)
    leaves = domain.leaf_spaces(space["id"], await store.space_children(conn, space["venue_id"]))
    taken = await store.conflicting_bookings(
        conn, leaves, *domain.claim_range(starts_at, ends_at, rules.buffer_minutes))
    return Conflict("the space is already booked for that time", conflicts=[
        {"starts_at": _json_time(t["starts_at"]), "ends_at": _json_time(t["ends_at"])}
        for t in taken])


def _json_time(moment: datetime) -> str:
    """The same form as the response models (pydantic): UTC as `Z`."""
    return str(_TIME.dump_python(moment.astimezone(UTC), mode="json"))


#: An organiser's id, subject, name, email and phone, as read or as upserted.
OrganiserRow = asyncpg.Record | Mapping[str, Any]


def _own_details(principal: Principal, details: RequestDetails) -> dict[str, Any] | None:
    """A signed-in organiser's subject, name, email and phone for `store.ensure_organiser_row`
    (the body's name, else the token's); None when no name is known."""
    given = details.organiser
    name = (given.name if given else None) or principal.name
    if not name or principal.subject is None:
        return None
    return {"subject": principal.subject, "name": name,
            "email": str(given.email) if given and given.email else None,
            "phone": given.phone if given else None}


async def _organiser(conn: Connection, principal: Principal, details: RequestDetails,
                     by_desk: bool) -> OrganiserRow:
    """The organiser (id, subject, name, email, phone), its row locked until the end of the
    transaction."""
    given = details.organiser
    if by_desk:
        if given is None or given.email is None:
            raise Invalid("a walk-in booking needs the organiser's name and email",
                          field="organiser")
        return await store.ensure_organiser_row(conn, subject=None, name=given.name,
                                                email=str(given.email), phone=given.phone)
    own = _own_details(principal, details)
    if own is None:
        raise Invalid("the organiser's name is needed", field="organiser.name")
    return await store.ensure_organiser_row(conn, **own)


def _check(details: RequestDetails, space: asyncpg.Record, starts_at: datetime,
           ends_at: datetime, open_requests: int) -> None:
    domain.check_booking_request(
        domain.BookingRequest(starts_at, ends_at, details.cooperation, details.accept_house_rules,
                              details.organiser_type, details.shared_activity,
                              details.library_contact),
        domain.VenueFacts(kind=space["venue_kind"], has_paid_space=space["has_paid_space"]),
        store.space_rules(space), datetime.now(UTC), open_requests)


@router.post("/bookings", status_code=status.HTTP_201_CREATED, tags=["bookings"],
             responses={409: {"description": "Taken: `conflicts` lists the slots in the way."}})
async def request_booking(body: BookingIn, pool: Pool, principal: CurrentPrincipal,
                          for_venue_desk: bool = Query(False, alias="walk_in")) -> BookingOut:
    """An organiser's request, or (`?walk_in=true`, desk staff) a walk-in booking confirmed at
    once with the organiser's details given in the body."""
    require(principal, "organiser", "desk")
    booking_id = uuid4()
    first, last = _local_day(body.starts_at), _local_day(body.ends_at)
    own = None if for_venue_desk else _own_details(principal, body)
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                # An organiser's own request reads the space (its rules, hours and tree) and
                # locks the organiser in one statement; a walk-in reads the space first, to
                # know whether this desk may book it. Then one statement places the booking
                # with its claims, history and events.
                organiser: OrganiserRow | None = None
                if own is not None:
                    context, organiser = await store.booking_context_locking_organiser(
                        conn, body.space_id, first, last, **own)
                else:
                    context = await store.booking_context(conn, body.space_id, first, last)
                if context is None:
                    raise NotFound("no such space", space_id=str(body.space_id))
                space = context.space
                by_desk = for_venue_desk and principal.is_desk_for(space["venue_id"])
                if for_venue_desk and not by_desk:
                    raise Forbidden("walk-in bookings are made by the venue's desk staff")
                rules = store.space_rules(space)
                if organiser is None:
                    organiser = await _organiser(conn, principal, body, by_desk)
                # Every rule but the open requests (checked last), which the insert counts.
                _check(body, space, body.starts_at, body.ends_at, 0)
                try:
                    placed = await _place(
                        conn, booking_id=booking_id, space=space, starts_at=body.starts_at,
                        ends_at=body.ends_at, organiser=organiser,
                        status_=domain.initial_status(rules, by_desk), title=body.title,
                        details=body,
                        created_by=_who(principal, "desk" if by_desk else "organiser"),
                        context=context, max_open=None if by_desk else rules.max_open_requests)
                except Invalid:  # outside opening hours: too many open requests still wins
                    if not by_desk:
                        _check(body, space, body.starts_at, body.ends_at,
                               await store.open_requests(conn, organiser["id"], space["id"]))
                    raise
                if placed["id"] is None:
                    _check(body, space, body.starts_at, body.ends_at, placed["open_requests"])
                    raise AssertionError("not placed, yet under the open-request limit")
        except asyncpg.ExclusionViolationError:
            raise await _conflict(conn, space, body.starts_at, body.ends_at) from None
        return _booking_out_of(placed, [{"status": placed["status"],
                                         "actor": placed["created_by"], "reason": None,
                                         "at": placed["history_at"]}], organiser)


@router.post("/bookings/holds", status_code=status.HTTP_201_CREATED, tags=["bookings"])
async def hold_slot(body: HoldIn, pool: Pool, principal: CurrentPrincipal) -> BookingOut:
    """Keep a slot for the organiser for the space's hold time while they fill in the request."""
    require(principal, "organiser", "desk")
    domain.check_times(body.starts_at, body.ends_at)
    booking_id = uuid4()
    async with pool.acquire() as conn:
        space = await _space(conn, body.space_id)
        try:
            async with conn.transaction():
                organiser = await store.ensure_organiser_row(
                    conn, subject=principal.subject, name=principal.name or "?", email=None,
                    phone=None)
                await _place(conn, booking_id=booking_id, space=space, starts_at=body.starts_at,
                             ends_at=body.ends_at, organiser=organiser, status_="held",
                             title="", details=None, created_by="organiser")
        except asyncpg.ExclusionViolationError:
            raise await _conflict(conn, space, body.starts_at, body.ends_at) from None
        return await _booking_out(conn, booking_id)


@router.post("/bookings/{booking_id}/submit", tags=["bookings"])
async def submit_hold(booking_id: UUID, body: RequestDetails, pool: Pool,
                      principal: CurrentPrincipal) -> BookingOut:
    async with pool.acquire() as conn, conn.transaction():
        row, _ = await _authorised_booking(conn, principal, booking_id, for_update=True)
        if row["status"] != "held":
            raise Conflict(f"only a held slot can be submitted; this one is {row['status']}")
        if row["hold_expires_at"] <= datetime.now(UTC):
            raise Conflict("the hold has expired; choose the time again")
        space = await _space(conn, row["space_id"])
        rules = store.space_rules(space)
        organiser_id = (await _organiser(conn, principal, body, False))["id"]
        _check(body, space, row["starts_at"], row["ends_at"],
               await store.open_requests(conn, organiser_id, space["id"]) - 1)
        target = domain.initial_status(rules, False)
        price = invoice = None
        if not body.cooperation and rules.price_per_hour is not None:
            price = domain.price_for(row["starts_at"], row["ends_at"], rules.price_per_hour)
            invoice = domain.finnish_reference(
                int(await conn.fetchval("SELECT nextval('invoice_numbers')")))
        await conn.execute(
            """UPDATE bookings SET status = $2, title = $3, organiser_id = $4, cooperation = $5,
                   organiser_type = $6, shared_activity = $7, library_contact = $8,
                   price = $9, invoice_reference = $10, hold_expires_at = NULL,
                   house_rules_accepted_at = now(), updated_at = now() WHERE id = $1""",
            booking_id, target, body.title, organiser_id, body.cooperation, body.organiser_type,
            body.shared_activity, body.library_contact, price, invoice)
        await store.record_history(conn, booking_id, target, _who(principal, "organiser"), None)
        updated = await store.get_booking(conn, booking_id)
        assert updated is not None
        await enqueue(conn, _facts(BookingRequested, updated))
        if target == "confirmed":
            await enqueue(conn, _facts(BookingConfirmed, updated))
        return await _booking_out(conn, booking_id, with_organiser=True)


@router.post("/series", status_code=status.HTTP_201_CREATED, tags=["bookings"])
async def request_series(body: SeriesIn, pool: Pool, principal: CurrentPrincipal) -> SeriesOut:
    """A weekly series as one request: occurrences that clash are skipped (reported) or, with
    `on_conflict=reject`, the whole series is refused with the clashes listed."""
    require(principal, "organiser", "desk")
    occurrences = weekly_occurrences(body.starts_at, body.ends_at,
                                            until=body.repeat.until, count=body.repeat.count)
    series_id = uuid4()
    created: list[UUID] = []
    skipped: list[dict[str, str]] = []
    async with pool.acquire() as conn:
        space = await _space(conn, body.space_id)
        rules = store.space_rules(space)
        async with conn.transaction():
            organiser = await _organiser(conn, principal, body, False)
            organiser_id = organiser["id"]
            await conn.execute(
                """INSERT INTO booking_series (id, space_id, organiser_id, title, rule)
                   VALUES ($1, $2, $3, $4, $5)""",
                series_id, space["id"], organiser_id, body.title,
                body.repeat.model_dump(mode="json"))
            for starts_at, ends_at in occurrences:
                _check(body, space, starts_at, ends_at, 0)
                booking_id = uuid4()
                try:
                    async with conn.transaction():  # a savepoint per occurrence
                        await _place(conn, booking_id=booking_id, space=space,
                                     starts_at=starts_at, ends_at=ends_at,
                                     organiser=organiser,
                                     status_=domain.initial_status(rules, False),
                                     title=body.title, details=body, created_by="organiser",
                                     series_id=series_id)
                    created.append(booking_id)
                except asyncpg.ExclusionViolationError:
                    skipped.append({"starts_at": _json_time(starts_at),
                                    "ends_at": _json_time(ends_at), "reason": "taken"})
                except Invalid as exc:
                    skipped.append({"starts_at": _json_time(starts_at),
                                    "ends_at": _json_time(ends_at), "reason": exc.message})
            if skipped and body.on_conflict == "reject":
                raise _SeriesRefused(skipped)
    async with pool.acquire() as conn:
        return SeriesOut(series_id=series_id,
                         created=[await _booking_out(conn, b) for b in created], skipped=skipped)


class _SeriesRefused(Conflict):
    def __init__(self, skipped: list[dict[str, str]]) -> None:
        super().__init__("some occurrences of the series cannot be booked; nothing was booked",
                         conflicts=skipped)


@router.post("/series/{series_id}/confirm", tags=["bookings"])
async def confirm_series(series_id: UUID, pool: Pool,
                         principal: CurrentPrincipal) -> list[BookingOut]:
    """One confirmation for every requested occurrence of the series."""
    async with pool.acquire() as conn:
        ids = [r["id"] for r in await conn.fetch(
            "SELECT id FROM bookings WHERE series_id = $1 AND status = 'requested'"
            " ORDER BY lower(during)", series_id)]
        if not ids and not await conn.fetchval(
                "SELECT 1 FROM booking_series WHERE id = $1", series_id):
            raise NotFound("no such series", series_id=str(series_id))
    return [await _decide(pool, principal, b, "confirmed", None) for b in ids]


@router.post("/series/{series_id}/cancel", tags=["bookings"])
async def cancel_series(series_id: UUID, body: CancelIn, pool: Pool, principal: CurrentPrincipal,
                        from_day: date | None = Query(None, alias="from")) -> list[BookingOut]:
    """Cancel the occurrences from `from` on (default: all that have not started)."""
    start = (datetime.combine(from_day, time(0), tzinfo=domain.HELSINKI) if from_day
             else datetime.now(UTC))
    async with pool.acquire() as conn:
        ids = [r["id"] for r in await conn.fetch(
            """SELECT id FROM bookings WHERE series_id = $1 AND lower(during) >= $2
               AND status IN ('requested', 'confirmed') ORDER BY lower(during)""",
            series_id, start)]
    return [await _decide(pool, principal, b, "cancelled", body.reason or None) for b in ids]


async def _decide(pool: asyncpg.Pool, principal: Principal, booking_id: UUID, target: str,
                  reason: str | None) -> BookingOut:
    async with pool.acquire() as conn:
        async with conn.transaction():
            row, by_desk = await _authorised_booking(conn, principal, booking_id,
                                                     for_update=True)
            if target in ("confirmed", "rejected", "no_show") and not by_desk:
                raise Forbidden("only the venue's desk staff decide on bookings")
            domain.check_transition(row["status"], target)
            if target == "cancelled":
                space = await _space(conn, row["space_id"])
                domain.check_cancellation(by_desk=by_desk, starts_at=row["starts_at"],
                                          now=datetime.now(UTC), rules=store.space_rules(space))
                if by_desk and not reason:
                    raise Invalid("desk staff give a reason when they cancel or stop a booking",
                                  field="reason")
            actor = "desk" if by_desk else "organiser"
            await store.set_booking_status(conn, booking_id, target, _who(principal, actor),
                                           reason)
            if target in ("rejected", "cancelled", "no_show", "expired"):
                await store.release_claims(conn, booking_id)
            event: Any = {
                "confirmed": lambda: _facts(BookingConfirmed, row),
                "rejected": lambda: _facts(BookingRejected, row, reason=reason or ""),
                "cancelled": lambda: _facts(BookingCancelled, row, reason=reason or "",
                                            cancelled_by=actor),
                "no_show": lambda: _facts(BookingNoShow, row),
            }[target]()
            if not (target == "cancelled" and row["status"] == "held"):
                await enqueue(conn, event)
        return await _booking_out(conn, booking_id, with_organiser=True)


@router.get("/bookings/mine", tags=["bookings"])
async def my_bookings(pool: Pool, principal: CurrentPrincipal) -> list[BookingOut]:
    require(principal, "organiser", "desk")
    async with pool.acquire() as conn:
        organiser = await store.organiser_by_subject(conn, principal.subject or "")
        if organiser is None:
            return []
        rows = await store.organiser_bookings(conn, organiser["id"])
        return [await _booking_out(conn, r["id"]) for r in rows]


@router.get("/bookings/{booking_id}", tags=["bookings"])
async def get_booking(booking_id: UUID, pool: Pool, principal: CurrentPrincipal) -> BookingOut:
    async with pool.acquire() as conn:
        await _authorised_booking(conn, principal, booking_id)
        return await _booking_out(conn, booking_id, with_organiser=True)


@router.post("/bookings/{booking_id}/confirm", tags=["bookings"])
async def confirm_booking(booking_id: UUID, pool: Pool, principal: CurrentPrincipal) -> BookingOut:
    return await _decide(pool, principal, booking_id, "confirmed", None)


@router.post("/bookings/{booking_id}/reject", tags=["bookings"])
async def reject_booking(booking_id: UUID, body: ReasonIn, pool: Pool,
                         principal: CurrentPrincipal) -> BookingOut:
    return await _decide(pool, principal, booking_id, "rejected", body.reason)


@router.post("/bookings/{booking_id}/cancel", tags=["bookings"])
async def cancel_booking(booking_id: UUID, body: CancelIn, pool: Pool,
                         principal: CurrentPrincipal) -> BookingOut:
    """The organiser before the space's cancellation deadline; desk staff any time, with a
    reason (this is also how the desk stops an event)."""
    return await _decide(pool, principal, booking_id, "cancelled", body.reason or None)


@router.post("/bookings/{booking_id}/check-in", tags=["bookings"])
async def check_in(booking_id: UUID, pool: Pool, principal: CurrentPrincipal) -> BookingOut:
    async with pool.acquire() as conn:
        async with conn.transaction():
            row, _ = await _authorised_booking(conn, principal, booking_id, for_update=True)
            if row["status"] != "confirmed":
                raise Conflict(f"only a confirmed booking can be checked in; this one is"
                               f" {row['status']}")
            await conn.execute("UPDATE bookings SET checked_in_at = now() WHERE id = $1",
                               booking_id)
        return await _booking_out(conn, booking_id, with_organiser=True)


@router.get("/desk/bookings", tags=["desk"])
async def desk_bookings(pool: Pool, principal: CurrentPrincipal, venue_id: UUID | None = None,
                        status_: str | None = Query(None, alias="status"),
                        day: date | None = None, days: int = Query(1, ge=1, le=31)
                        ) -> list[BookingOut]:
    """Bookings of the caller's venues, with the organisers' contact details."""
    require(principal, "desk")
    if venue_id is not None and not principal.is_desk_for(venue_id):
        raise Forbidden("desk staff see only their own venues")
    venues = [venue_id] if venue_id else (None if "admin" in principal.roles
                                          else sorted(principal.venues))
    start = end = None
    if day is not None:
        start = datetime.combine(day, time(0), tzinfo=domain.HELSINKI)
        end = start + timedelta(days=days)
    async with pool.acquire() as conn:
        rows = await store.desk_bookings(conn, venues, status=status_, start=start, end=end)
        return [await _booking_out(conn, r["id"], with_organiser=True) for r in rows]


# --- loans ------------------------------------------------------------------------------------


@router.post("/loans", status_code=status.HTTP_201_CREATED, tags=["loans"])
async def lend(body: LoanIn, pool: Pool, principal: CurrentPrincipal) -> dict[str, Any]:
    """Lend a quantity of a resource for a time; never more out at once than exist."""
    require(principal, "organiser", "desk")
    domain.check_times(body.starts_at, body.ends_at)
    loan_id = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        # The row lock makes concurrent loans of one resource take turns at this check.
        resource = await conn.fetchrow("SELECT * FROM resources WHERE id = $1 FOR UPDATE",
                                       body.resource_id)
        if resource is None:
            raise NotFound("no such resource", resource_id=str(body.resource_id))
        peak = await _peak_out(conn, body.resource_id, body.starts_at, body.ends_at)
        if peak + body.quantity > resource["quantity"]:
            raise Conflict(f"only {resource['quantity'] - peak} of {resource['quantity']} are"
                           " free for that whole time", available=resource["quantity"] - peak)
        organiser_id = await store.ensure_organiser(
            conn, subject=principal.subject, name=principal.name or "?", email=None, phone=None)
        await conn.execute(
            """INSERT INTO resource_loans (id, resource_id, booking_id, organiser_id, quantity,
                                           during) VALUES ($1, $2, $3, $4, $5,
                                           tstzrange($6, $7, '[)'))""",
            loan_id, body.resource_id, body.booking_id, organiser_id, body.quantity,
            body.starts_at, body.ends_at)
    return {"id": str(loan_id), "resource_id": str(body.resource_id), "quantity": body.quantity,
            "starts_at": body.starts_at.isoformat(), "ends_at": body.ends_at.isoformat()}


async def _peak_out(conn: Connection, resource_id: UUID, start: datetime, end: datetime) -> int:
    """The most units out at any moment of [start, end): the sum is only checked where
    loans begin, since the count can rise nowhere else."""
    peak: int = await conn.fetchval(
        """WITH loans AS (
               SELECT quantity, during FROM resource_loans
               WHERE resource_id = $1 AND status = 'active' AND during && tstzrange($2, $3, '[)')),
             points AS (SELECT greatest(lower(during), $2) AS at FROM loans)
           SELECT coalesce(max((SELECT sum(quantity) FROM loans WHERE during @> p.at)), 0)::int
           FROM points p""",
        resource_id, start, end)
    return peak


# --- calendars --------------------------------------------------------------------------------


@router.get("/spaces/{space_id}/calendar.ics", tags=["calendars"],
            response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
async def space_calendar(space_id: UUID, pool: Pool, principal: CurrentPrincipal) -> Response:
    """The space's bookings; the public sees only that a time is taken, desk staff the titles."""
    async with pool.acquire() as conn:
        space = await _space(conn, space_id)
        rows = await store.space_bookings(conn, space_id)
    desk = principal.is_desk_for(space["venue_id"])
    events = [CalendarEvent(
        uid=f"{r['id']}@kohtaamo", starts_at=r["starts_at"], ends_at=r["ends_at"],
        summary=r["title"] if desk else "Varattu / Bokad / Booked", updated_at=r["updated_at"],
        status="CONFIRMED" if r["status"] == "confirmed" else "TENTATIVE") for r in rows]
    return Response(calendar(events, name=space["name"]["fi"]), media_type=MEDIA_TYPE)


@router.get("/bookings/mine/calendar.ics", tags=["calendars"], response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
async def my_calendar(pool: Pool, principal: CurrentPrincipal) -> Response:
    require(principal, "organiser", "desk")
    async with pool.acquire() as conn:
        organiser = await store.organiser_by_subject(conn, principal.subject or "")
        rows = await store.organiser_bookings(conn, organiser["id"]) if organiser else []
    return Response(calendar([_ics_event(r) for r in rows], name="Kohtaamo"),
                    media_type=MEDIA_TYPE)


@router.get("/bookings/{booking_id}/booking.ics", tags=["calendars"], response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
async def booking_calendar(booking_id: UUID, pool: Pool, principal: CurrentPrincipal) -> Response:
    """The confirmation's calendar entry."""
    async with pool.acquire() as conn:
        await _authorised_booking(conn, principal, booking_id)
        rows = await conn.fetch(
            """SELECT b.*, lower(b.during) AS starts_at, upper(b.during) AS ends_at,
                      s.name AS space_name, v.name AS venue_name
               FROM bookings b JOIN spaces s ON s.id = b.space_id
               JOIN venues v ON v.id = b.venue_id WHERE b.id = $1""", booking_id)
    return Response(calendar([_ics_event(rows[0])], name=rows[0]["title"]),
                    media_type=MEDIA_TYPE)


def _ics_event(row: asyncpg.Record) -> CalendarEvent:
    status_ = {"confirmed": "CONFIRMED", "requested": "TENTATIVE", "held": "TENTATIVE"}.get(
        row["status"], "CANCELLED")
    description = None
    if row["access_code"]:
        description = f"Ovikoodi / Dörrkod / Door code: {row['access_code']}"
    return CalendarEvent(uid=f"{row['id']}@kohtaamo", starts_at=row["starts_at"],
                         ends_at=row["ends_at"], summary=row["title"], status=status_,
                         location=f"{row['space_name']['fi']}, {row['venue_name']['fi']}",
                         description=description, updated_at=row["updated_at"])
