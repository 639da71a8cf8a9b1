"""HTTP API of the booking service: venues and spaces, booking requests and the desk's
decisions. Every change is committed with its event in the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from fastapi import APIRouter, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from services.booking import domain, store
from shared.contracts import (
    BookingCancelled,
    BookingConfirmed,
    BookingRejected,
    BookingRequested,
    LocalizedText,
    VenueKind,
)
from shared.db import Connection
from shared.errors import Conflict, NotFound
from shared.outbox import enqueue
from shared.service import Pool

router = APIRouter()


class SpaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText
    capacity: int | None = Field(None, gt=0, le=10000)
    equipment: list[str] = Field(default_factory=list, max_length=30)
    paid: bool = False


class VenueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText
    kind: VenueKind
    area: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_.-]+$")
    municipality: str = Field(min_length=1, max_length=100)
    address: str | None = Field(None, max_length=300)
    has_paid_space: bool = False
    spaces: list[SpaceIn] = Field(default_factory=list, max_length=200)


class SpaceOut(BaseModel):
    id: UUID
    name: LocalizedText
    capacity: int | None
    equipment: list[str]
    paid: bool


class VenueOut(BaseModel):
    id: UUID
    name: LocalizedText
    kind: str
    area: str
    municipality: str
    address: str | None
    has_paid_space: bool
    revision: int
    spaces: list[SpaceOut]


class OrganiserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    phone: str | None = Field(None, max_length=40)


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    space_id: UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    title: str = Field(min_length=1, max_length=200)
    organiser: OrganiserIn
    cooperation: bool = True
    accept_house_rules: bool


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=1000)


class HistoryOut(BaseModel):
    status: str
    actor: str
    reason: str | None
    at: datetime


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
    history: list[HistoryOut]


def _space_out(row: asyncpg.Record) -> SpaceOut:
    return SpaceOut(
        id=row["id"],
        name=LocalizedText(**row["name"]),
        capacity=row["capacity"],
        equipment=list(row["equipment"]),
        paid=row["paid"],
    )


async def _venue_out(conn: Connection, venue: asyncpg.Record) -> VenueOut:
    spaces = await store.list_spaces(conn, [venue["id"]])
    return VenueOut(
        id=venue["id"],
        name=LocalizedText(**venue["name"]),
        kind=venue["kind"],
        area=venue["area"],
        municipality=venue["municipality"],
        address=venue["address"],
        has_paid_space=venue["has_paid_space"],
        revision=venue["revision"],
        spaces=[_space_out(s) for s in spaces],
    )


@router.post("/venues", status_code=status.HTTP_201_CREATED, tags=["venues"])
async def register_venue(body: VenueIn, pool: Pool) -> VenueOut:
    venue_id = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await register_venue_in(conn, venue_id, body)
        venue = await store.get_venue(conn, venue_id)
        assert venue is not None
        return await _venue_out(conn, venue)


async def register_venue_in(conn: Connection, venue_id: UUID, body: VenueIn,
                            space_ids: list[UUID] | None = None) -> None:
    """Insert a venue with its spaces and enqueue `venue.registered` (used by the demo too)."""
    data: dict[str, Any] = body.model_dump(mode="json", exclude={"spaces"})
    await store.insert_venue(conn, {**data, "id": venue_id})
    for i, space in enumerate(body.spaces):
        space_id = space_ids[i] if space_ids else uuid4()
        await store.insert_space(conn, venue_id, {**space.model_dump(mode="json"), "id": space_id})
    await enqueue(conn, await store.venue_event(conn, venue_id, registered=True))


@router.get("/venues", tags=["venues"])
async def list_venues(pool: Pool) -> list[VenueOut]:
    async with pool.acquire() as conn:
        venues = await store.list_venues(conn)
        spaces = await store.list_spaces(conn, [v["id"] for v in venues])
    by_venue: dict[UUID, list[SpaceOut]] = {}
    for s in spaces:
        by_venue.setdefault(s["venue_id"], []).append(_space_out(s))
    return [
        VenueOut(
            id=v["id"],
            name=LocalizedText(**v["name"]),
            kind=v["kind"],
            area=v["area"],
            municipality=v["municipality"],
            address=v["address"],
            has_paid_space=v["has_paid_space"],
            revision=v["revision"],
            spaces=by_venue.get(v["id"], []),
        )
        for v in venues
    ]


@router.get("/venues/{venue_id}", tags=["venues"])
async def get_venue(venue_id: UUID, pool: Pool) -> VenueOut:
    async with pool.acquire() as conn:
        venue = await store.get_venue(conn, venue_id)
        if venue is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        return await _venue_out(conn, venue)


@router.post(
    "/venues/{venue_id}/spaces", status_code=status.HTTP_201_CREATED, tags=["venues"]
)
async def add_space(venue_id: UUID, body: SpaceIn, pool: Pool) -> VenueOut:
    async with pool.acquire() as conn, conn.transaction():
        venue = await store.get_venue(conn, venue_id, for_update=True)
        if venue is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        await store.insert_space(conn, venue_id, {**body.model_dump(mode="json"), "id": uuid4()})
        await store.bump_venue_revision(conn, venue_id)
        await enqueue(conn, await store.venue_event(conn, venue_id, registered=False))
        venue = await store.get_venue(conn, venue_id)
        assert venue is not None
        return await _venue_out(conn, venue)


async def _booking_out(conn: Connection, booking_id: UUID) -> BookingOut:
    row = await store.get_booking(conn, booking_id)
    if row is None:
        raise NotFound("no such booking", booking_id=str(booking_id))
    history = await store.booking_history(conn, booking_id)
    return BookingOut(
        id=row["id"],
        space_id=row["space_id"],
        venue_id=row["venue_id"],
        organiser_id=row["organiser_id"],
        title=row["title"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        status=row["status"],
        cooperation=row["cooperation"],
        history=[HistoryOut(**dict(h)) for h in history],
    )


def _facts(cls: type[Any], row: asyncpg.Record, **extra: Any) -> Any:
    return cls(
        booking_id=row["id"],
        venue_id=row["venue_id"],
        space_id=row["space_id"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        title=row["title"],
        organiser_id=row["organiser_id"],
        cooperation=row["cooperation"],
        **extra,
    )


@router.post(
    "/bookings",
    status_code=status.HTTP_201_CREATED,
    tags=["bookings"],
    responses={409: {"description": "The slot overlaps a booking; `conflicts` lists them."}},
)
async def request_booking(body: BookingIn, pool: Pool) -> BookingOut:
    booking_id = uuid4()
    now = datetime.now(UTC)
    async with pool.acquire() as conn:
        space = await store.get_space(conn, body.space_id)
        if space is None:
            raise NotFound("no such space", space_id=str(body.space_id))
        domain.check_booking_request(
            domain.BookingRequest(
                starts_at=body.starts_at,
                ends_at=body.ends_at,
                cooperation=body.cooperation,
                house_rules_accepted=body.accept_house_rules,
                space_is_paid=space["paid"],
            ),
            domain.VenueFacts(kind=space["venue_kind"], has_paid_space=space["has_paid_space"]),
            now,
        )
        try:
            async with conn.transaction():
                organiser_id = await store.upsert_organiser(
                    conn, uuid4(), body.organiser.name, body.organiser.email, body.organiser.phone
                )
                await store.insert_booking(
                    conn,
                    booking_id=booking_id,
                    space_id=body.space_id,
                    venue_id=space["venue_id"],
                    organiser_id=organiser_id,
                    title=body.title,
                    starts_at=body.starts_at,
                    ends_at=body.ends_at,
                    cooperation=body.cooperation,
                    accepted_at=now,
                )
                await store.record_history(conn, booking_id, "requested", "organiser", None)
                row = await store.get_booking(conn, booking_id)
                assert row is not None
                await enqueue(conn, _facts(BookingRequested, row))
        except asyncpg.ExclusionViolationError:
            taken = await store.overlapping_bookings(
                conn, body.space_id, body.starts_at, body.ends_at
            )
            raise Conflict(
                "the space is already booked for that time",
                conflicts=[
                    {"starts_at": t["starts_at"].isoformat(), "ends_at": t["ends_at"].isoformat()}
                    for t in taken
                ],
            ) from None
        return await _booking_out(conn, booking_id)


@router.get("/bookings/{booking_id}", tags=["bookings"])
async def get_booking(booking_id: UUID, pool: Pool) -> BookingOut:
    async with pool.acquire() as conn:
        return await _booking_out(conn, booking_id)


async def _decide(
    pool: asyncpg.Pool, booking_id: UUID, target: str, actor: str, reason: str | None
) -> BookingOut:
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await store.get_booking(conn, booking_id, for_update=True)
            if row is None:
                raise NotFound("no such booking", booking_id=str(booking_id))
            domain.check_transition(row["status"], target)
            await store.set_booking_status(conn, booking_id, target, actor, reason)
            event: Any
            if target == "confirmed":
                event = _facts(BookingConfirmed, row)
            elif target == "rejected":
                event = _facts(BookingRejected, row, reason=reason or "")
            else:
                event = _facts(BookingCancelled, row, reason=reason or "")
            await enqueue(conn, event)
        return await _booking_out(conn, booking_id)


@router.post("/bookings/{booking_id}/confirm", tags=["bookings"])
async def confirm_booking(booking_id: UUID, pool: Pool) -> BookingOut:
    return await _decide(pool, booking_id, "confirmed", "desk", None)


@router.post("/bookings/{booking_id}/reject", tags=["bookings"])
async def reject_booking(booking_id: UUID, body: DecisionIn, pool: Pool) -> BookingOut:
    return await _decide(pool, booking_id, "rejected", "desk", body.reason)


@router.post("/bookings/{booking_id}/cancel", tags=["bookings"])
async def cancel_booking(booking_id: UUID, body: DecisionIn, pool: Pool) -> BookingOut:
    return await _decide(pool, booking_id, "cancelled", "desk", body.reason)
