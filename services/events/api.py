"""HTTP API of the events service: drafts, publishing and cancelling activity events."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.events import domain, store
from shared.contracts import ActivityEventCancelled, ActivityEventPublished, LocalizedText
from shared.db import Connection
from shared.errors import Invalid, NotFound
from shared.outbox import enqueue
from shared.service import Pool

router = APIRouter(tags=["activity events"])

Kind = Literal[domain.KINDS]  # type: ignore[valid-type]


class ActivityEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText
    description: LocalizedText | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    kind: Kind = "open_guided"
    venue_id: UUID | None = None
    space_id: UUID | None = None
    area: str | None = Field(None, max_length=100, pattern=r"^[a-z0-9_.-]+$")
    free: bool = True


class ActivityEventPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LocalizedText | None = None
    description: LocalizedText | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    kind: Kind | None = None
    free: bool | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=1000)


class ActivityEventOut(BaseModel):
    id: UUID
    booking_id: UUID | None
    status: str
    name: LocalizedText
    description: LocalizedText | None
    starts_at: datetime
    ends_at: datetime
    kind: str
    venue_id: UUID | None
    space_id: UUID | None
    area: str | None
    free: bool
    revision: int


class ActivityEventPage(BaseModel):
    items: list[ActivityEventOut]
    total: int
    limit: int
    offset: int


def _out(row: Any) -> ActivityEventOut:
    return ActivityEventOut(
        id=row["id"],
        booking_id=row["booking_id"],
        status=row["status"],
        name=LocalizedText(**row["name"]),
        description=LocalizedText(**row["description"]) if row["description"] else None,
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        kind=row["kind"],
        venue_id=row["venue_id"],
        space_id=row["space_id"],
        area=row["area"],
        free=row["free"],
        revision=row["revision"],
    )


async def _load(conn: Connection, event_id: UUID, *, for_update: bool = False) -> Any:
    row = await store.get_event(conn, event_id, for_update=for_update)
    if row is None:
        raise NotFound("no such activity event", event_id=str(event_id))
    return row


@router.get("/events")
async def list_events(
    pool: Pool,
    booking_id: UUID | None = None,
    status: Literal["draft", "published", "cancelled"] | None = None,
    venue_id: UUID | None = None,
    area: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> ActivityEventPage:
    filters = {"booking_id": booking_id, "status": status, "venue_id": venue_id, "area": area}
    async with pool.acquire() as conn:
        rows, total = await store.list_events(conn, filters=filters, limit=limit, offset=offset)
    return ActivityEventPage(items=[_out(r) for r in rows], total=total, limit=limit,
                             offset=offset)


@router.get("/events/{event_id}")
async def get_event(event_id: UUID, pool: Pool) -> ActivityEventOut:
    async with pool.acquire() as conn:
        return _out(await _load(conn, event_id))


@router.post("/events", status_code=status.HTTP_201_CREATED)
async def create_event(body: ActivityEventIn, pool: Pool) -> ActivityEventOut:
    domain.check_times(body.starts_at, body.ends_at)
    event_id = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        area = body.area
        if body.venue_id is not None:
            venue = await store.get_venue(conn, body.venue_id)
            if venue is None:
                raise Invalid("unknown venue", field="venue_id")
            area = area or venue["area"]
        await store.insert_event(conn, {**body.model_dump(), "id": event_id, "area": area,
                                        "name": body.name.model_dump(),
                                        "description": body.description.model_dump()
                                        if body.description else None})
        await store.record_history(conn, event_id, "draft", "organiser", None)
        return _out(await _load(conn, event_id))


@router.patch("/events/{event_id}")
async def edit_event(event_id: UUID, body: ActivityEventPatch, pool: Pool) -> ActivityEventOut:
    """Edit a draft. Published events change through their own steps (later: reschedule)."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    async with pool.acquire() as conn, conn.transaction():
        row = await _load(conn, event_id, for_update=True)
        if row["status"] != "draft":
            domain.check_transition(row["status"], "draft")
        domain.check_times(changes.get("starts_at", row["starts_at"]),
                           changes.get("ends_at", row["ends_at"]))
        await store.update_event(conn, event_id, changes)
        return _out(await _load(conn, event_id))


def _facts(cls: type[Any], row: Any, **extra: Any) -> Any:
    return cls(
        event_id=row["id"],
        revision=row["revision"],
        name=LocalizedText(**row["name"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        kind=row["kind"],
        venue_id=row["venue_id"],
        space_id=row["space_id"],
        area=row["area"],
        booking_id=row["booking_id"],
        free=row["free"],
        **extra,
    )


@router.post("/events/{event_id}/publish")
async def publish_event(event_id: UUID, pool: Pool) -> ActivityEventOut:
    async with pool.acquire() as conn, conn.transaction():
        # The row lock orders this event's outbox rows in commit order.
        row = await _load(conn, event_id, for_update=True)
        domain.check_transition(row["status"], "published")
        domain.check_publishable(row["name"], row["starts_at"], row["ends_at"])
        area = row["area"]
        if area is None and row["venue_id"] is not None:
            venue = await store.get_venue(conn, row["venue_id"])
            area = venue["area"] if venue else None
        await store.set_status(conn, event_id, "published", "organiser", None, area=area)
        row = await _load(conn, event_id)
        await enqueue(conn, _facts(ActivityEventPublished, row))
        return _out(row)


@router.post("/events/{event_id}/cancel")
async def cancel_event(event_id: UUID, body: CancelIn, pool: Pool) -> ActivityEventOut:
    async with pool.acquire() as conn, conn.transaction():
        row = await _load(conn, event_id, for_update=True)
        domain.check_transition(row["status"], "cancelled")
        await store.set_status(conn, event_id, "cancelled", "organiser", body.reason)
        row = await _load(conn, event_id)
        await enqueue(conn, _facts(ActivityEventCancelled, row, reason=body.reason))
        return _out(row)
