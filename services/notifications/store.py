"""SQL of the notifications service (asyncpg). Callers own the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from shared.db import Connection


async def ensure_board(conn: Connection, board_id: UUID, venue_id: UUID, area: str | None,
                       name: dict[str, Any], venue_revision: int,
                       spaces: dict[str, Any] | None = None) -> None:
    """Create the venue's board, or refresh its name, area and spaces from a newer venue copy
    (domain.is_newer_revision on venue_revision). A board still without an area takes the
    first one it is given, even from an activity event."""
    await conn.execute(
        """INSERT INTO notice_boards AS b (id, venue_id, area, name, venue_revision, spaces)
           VALUES ($1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'))
           ON CONFLICT (venue_id) DO UPDATE
             SET area = CASE WHEN b.venue_revision < EXCLUDED.venue_revision
                             THEN coalesce(EXCLUDED.area, b.area)
                             ELSE coalesce(b.area, EXCLUDED.area) END,
                 name = CASE WHEN b.venue_revision < EXCLUDED.venue_revision
                             THEN EXCLUDED.name ELSE b.name END,
                 spaces = CASE WHEN b.venue_revision < EXCLUDED.venue_revision
                               AND $6::jsonb IS NOT NULL THEN EXCLUDED.spaces
                               ELSE b.spaces END,
                 venue_revision = greatest(b.venue_revision, EXCLUDED.venue_revision)
             WHERE b.venue_revision < EXCLUDED.venue_revision
                OR (b.area IS NULL AND EXCLUDED.area IS NOT NULL)""",
        board_id, venue_id, area, name, venue_revision, spaces,
    )


async def advance_event(conn: Connection, event_id: UUID, revision: int, status: str,
                        venue_id: UUID | None, area: str | None) -> bool:
    """Record `revision` as the event's newest; False when it is not newer than the one kept
    (domain.is_newer_revision): a duplicate or a stale copy, to be ignored by every channel.
    The row lock it takes orders concurrent handlers of the same event."""
    applied = await conn.fetchval(
        """INSERT INTO activity_events AS e (id, revision, status, venue_id, area)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE
             SET revision = EXCLUDED.revision, status = EXCLUDED.status,
                 venue_id = EXCLUDED.venue_id, area = EXCLUDED.area, updated_at = now()
             WHERE e.revision < EXCLUDED.revision
           RETURNING true""",
        event_id, revision, status, venue_id, area,
    )
    return bool(applied)


async def withdraw_elsewhere(conn: Connection, event_id: UUID, board_id: UUID | None,
                             revision: int) -> int:
    """Take the event off every board but `board_id` (all boards when None): it moved to
    another venue or away from venues. The rows keep the revision, so no older copy returns."""
    result = await conn.execute(
        """UPDATE board_items SET status = 'withdrawn', revision = $3, updated_at = now()
           WHERE activity_event_id = $1 AND ($2::uuid IS NULL OR board_id <> $2)
             AND revision < $3""",
        event_id, board_id, revision,
    )
    return int(result.split()[-1])


async def upsert_item(conn: Connection, board_id: UUID, item: dict[str, Any]) -> bool:
    """Show the item's newest revision; False when the same or a newer one is already shown."""
    changed = await conn.fetchval(
        """INSERT INTO board_items AS i (board_id, activity_event_id, revision, status, name,
                                         starts_at, ends_at, kind, free, space_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (board_id, activity_event_id) DO UPDATE
             SET revision = EXCLUDED.revision, status = EXCLUDED.status, name = EXCLUDED.name,
                 starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                 kind = EXCLUDED.kind, free = EXCLUDED.free, space_id = EXCLUDED.space_id,
                 updated_at = now()
             WHERE i.revision < EXCLUDED.revision
           RETURNING true""",
        board_id, item["activity_event_id"], item["revision"], item["status"], item["name"],
        item["starts_at"], item["ends_at"], item["kind"], item["free"], item.get("space_id"),
    )
    return bool(changed)


async def record_delivery(conn: Connection, *, activity_event_id: UUID, channel: str,
                          target: str, revision: int, key: str, status: str) -> UUID | None:
    """The new delivery's id, or None when that delivery was already recorded."""
    delivery_id = uuid4()
    inserted = await conn.fetchval(
        """INSERT INTO deliveries (id, activity_event_id, channel, target, revision,
                                   idempotency_key, status, published_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7,
                   CASE WHEN $7 = 'published' THEN now() END)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING true""",
        delivery_id, activity_event_id, channel, target, revision, key, status,
    )
    return delivery_id if inserted else None


async def list_boards(conn: Connection, venue_id: UUID | None,
                      area: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM notice_boards
           WHERE ($1::uuid IS NULL OR venue_id = $1) AND ($2::text IS NULL OR area = $2)
           ORDER BY area NULLS LAST, name->>'fi'""",
        venue_id, area,
    )


async def get_board(conn: Connection, board_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM notice_boards WHERE id = $1", board_id)


async def board_items(conn: Connection, board_id: UUID,
                      since: datetime | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM board_items
           WHERE board_id = $1 AND status <> 'withdrawn'
             AND ($2::timestamptz IS NULL OR ends_at >= $2)
           ORDER BY starts_at, activity_event_id""",
        board_id, since,
    )


async def list_deliveries(conn: Connection, filters: dict[str, Any]) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM deliveries
           WHERE ($1::uuid IS NULL OR activity_event_id = $1)
             AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR status = $3)
           ORDER BY created_at DESC, revision DESC, id LIMIT 500""",
        filters.get("activity_event_id"), filters.get("channel"), filters.get("status"),
    )
