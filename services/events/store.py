"""SQL of the events service (asyncpg). Callers own the transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from shared.contracts import VenueRegistered
from shared.db import Connection


async def upsert_venue(conn: Connection, venue: VenueRegistered) -> None:
    """Keep the newest copy of a venue; a stale or repeated one changes nothing."""
    await conn.execute(
        """INSERT INTO venues AS v (venue_id, name, kind, area, municipality, spaces, revision)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (venue_id) DO UPDATE
             SET name = EXCLUDED.name, kind = EXCLUDED.kind, area = EXCLUDED.area,
                 municipality = EXCLUDED.municipality, spaces = EXCLUDED.spaces,
                 revision = EXCLUDED.revision
             WHERE v.revision < EXCLUDED.revision""",
        venue.venue_id,
        venue.name.model_dump(),
        venue.kind,
        venue.area,
        venue.municipality,
        [s.model_dump(mode="json") for s in venue.spaces],
        venue.revision,
    )


async def get_venue(conn: Connection, venue_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM venues WHERE venue_id = $1", venue_id)


async def insert_event(conn: Connection, event: dict[str, Any]) -> bool:
    """Insert a draft; False when one already exists for the same booking."""
    inserted = await conn.fetchval(
        """INSERT INTO activity_events (id, booking_id, status, name, description, starts_at,
                                        ends_at, kind, venue_id, space_id, area, organiser_id,
                                        free)
           VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (booking_id) DO NOTHING
           RETURNING true""",
        event["id"],
        event.get("booking_id"),
        event["name"],
        event.get("description"),
        event["starts_at"],
        event["ends_at"],
        event["kind"],
        event.get("venue_id"),
        event.get("space_id"),
        event.get("area"),
        event.get("organiser_id"),
        event.get("free", True),
    )
    return bool(inserted)


async def get_event(
    conn: Connection, event_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM activity_events WHERE id = $1{lock}", event_id)


_EDITABLE = ("name", "description", "starts_at", "ends_at", "kind", "free")


async def update_event(conn: Connection, event_id: UUID, changes: dict[str, Any]) -> None:
    fields = [f for f in _EDITABLE if f in changes]
    if not fields:
        return
    sets = ", ".join(f"{f} = ${i + 2}" for i, f in enumerate(fields))
    await conn.execute(
        f"UPDATE activity_events SET {sets}, updated_at = now() WHERE id = $1",
        event_id,
        *[changes[f] for f in fields],
    )


async def set_status(
    conn: Connection, event_id: UUID, status: str, actor: str, reason: str | None,
    *, area: str | None = None,
) -> None:
    """Move to `status`; every status residents see is a new revision."""
    await conn.execute(
        """UPDATE activity_events
           SET status = $2, revision = revision + 1, updated_at = now(),
               area = coalesce($3, area)
           WHERE id = $1""",
        event_id,
        status,
        area,
    )
    await record_history(conn, event_id, status, actor, reason)


async def record_history(
    conn: Connection, event_id: UUID, status: str, actor: str, reason: str | None
) -> None:
    await conn.execute(
        """INSERT INTO activity_event_history (event_id, status, actor, reason)
           VALUES ($1, $2, $3, $4)""",
        event_id,
        status,
        actor,
        reason,
    )


async def list_events(
    conn: Connection, *, filters: dict[str, Any], limit: int, offset: int
) -> tuple[list[asyncpg.Record], int]:
    """Events matching the given (already validated) filters, by start time."""
    where, args = [], []
    for column in ("booking_id", "status", "venue_id", "area"):
        if filters.get(column) is not None:
            args.append(filters[column])
            where.append(f"{column} = ${len(args)}")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = await conn.fetchval(f"SELECT count(*) FROM activity_events {clause}", *args)
    rows = await conn.fetch(
        f"""SELECT * FROM activity_events {clause}
            ORDER BY starts_at, id LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}""",
        *args,
        limit,
        offset,
    )
    return rows, int(total)
