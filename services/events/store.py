"""SQL of the events service (asyncpg). Callers own the transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from shared.contracts import VenueRegistered
from shared.db import Connection


async def lock_venue(conn: Connection, venue_id: UUID) -> None:
    """Until the transaction ends: a venue's events and the drafts of its bookings are handled
    one at a time (they come on different partitions, so a batch may hold both)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 13))",
                       str(venue_id))


async def upsert_venue(conn: Connection, venue: VenueRegistered) -> None:
    """Keep the newest copy of a venue; a stale or repeated one changes nothing. Drafts made
    before the venue was known get its area (published events keep theirs: a change of
    theirs goes out as a new revision). Call under `lock_venue`."""
    await conn.execute(
        """WITH kept AS (
               INSERT INTO venues AS v (venue_id, name, kind, area, municipality, spaces,
                                        revision)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (venue_id) DO UPDATE
                 SET name = EXCLUDED.name, kind = EXCLUDED.kind, area = EXCLUDED.area,
                     municipality = EXCLUDED.municipality, spaces = EXCLUDED.spaces,
                     revision = EXCLUDED.revision
                 WHERE v.revision < EXCLUDED.revision
               RETURNING area)
           UPDATE activity_events AS e SET area = kept.area FROM kept
           WHERE e.venue_id = $1 AND e.status = 'draft' AND e.area IS NULL""",
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


COLUMNS = ("name", "short_description", "description", "starts_at", "ends_at", "all_day",
           "kind", "venue_id", "space_id", "area", "place_kind", "place_name", "online_url",
           "topics", "audiences", "min_age", "max_age", "languages", "accessibility", "price",
           "free", "registration_required", "capacity", "organiser_name", "library_contact",
           "image_url", "image_alt", "organiser_id", "owner_subject", "series_id",
           "external_id")


async def insert_event(conn: Connection, event: dict[str, Any]) -> bool:
    """Insert a draft; False when one already exists for the same booking."""
    present = [c for c in COLUMNS if c in event]
    placeholders = ", ".join(f"${i + 3}" for i in range(len(present)))
    inserted = await conn.fetchval(
        f"""INSERT INTO activity_events (id, booking_id, status, {", ".join(present)})
            VALUES ($1, $2, 'draft', {placeholders})
            ON CONFLICT (booking_id) DO NOTHING
            RETURNING true""",
        event["id"], event.get("booking_id"), *[event[c] for c in present])
    return bool(inserted)


async def vocabulary(conn: Connection, scheme: str) -> set[str]:
    return {r["code"] for r in await conn.fetch(
        "SELECT code FROM vocabulary WHERE scheme = $1", scheme)}


async def vocabulary_labels(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT scheme, code, label FROM vocabulary ORDER BY scheme, code")


async def get_event(
    conn: Connection, event_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM activity_events WHERE id = $1{lock}", event_id)


_EDITABLE = tuple(c for c in COLUMNS
                  if c not in ("organiser_id", "owner_subject", "series_id", "external_id"))


async def update_event(conn: Connection, event_id: UUID, changes: dict[str, Any],
                       *, new_revision: bool = False) -> None:
    fields = [f for f in _EDITABLE if f in changes]
    if not fields:
        return
    sets = ", ".join(f"{f} = ${i + 2}" for i, f in enumerate(fields))
    bump = ", revision = revision + 1" if new_revision else ""
    await conn.execute(
        f"UPDATE activity_events SET {sets}{bump}, updated_at = now() WHERE id = $1",
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
    conn: Connection, *, filters: dict[str, Any], visibility: dict[str, Any], limit: int,
    offset: int, newest_first: bool = False,
) -> tuple[list[asyncpg.Record], int]:
    """Events matching already validated filters, by start time. `visibility` says which
    drafts the caller may see (residents see none)."""
    args: list[Any] = [list(visibility["statuses"]), visibility.get("subject"),
                       visibility.get("all", False), list(visibility.get("venues", []))]
    where = ["(status = ANY($1::text[]) OR owner_subject = $2 OR $3"
             " OR venue_id = ANY($4::uuid[]))"]

    def add(sql: str, value: Any) -> None:
        args.append(value)
        where.append(sql.replace("?", f"${len(args)}"))

    for column in ("booking_id", "status", "venue_id", "area", "kind", "place_kind",
                   "series_id"):
        if filters.get(column) is not None:
            add(f"{column} = ?", filters[column])
    if filters.get("start") is not None:
        add("ends_at > ?", filters["start"])
    if filters.get("end") is not None:
        add("starts_at < ?", filters["end"])
    if filters.get("topic"):
        add("topics && ?::text[]", filters["topic"])
    if filters.get("audience"):
        add("audiences && ?::text[]", filters["audience"])
    if filters.get("language"):
        add("languages && ?::text[]", filters["language"])
    if filters.get("free") is not None:
        add("free = ?", filters["free"])
    if filters.get("q"):
        # Words in any of the three languages, each with its own stemming.
        add("search @@ (websearch_to_tsquery('finnish', ?) || websearch_to_tsquery("
            "'swedish', ?) || websearch_to_tsquery('english', ?))", filters["q"])
    clause = " AND ".join(where)
    total = await conn.fetchval(f"SELECT count(*) FROM activity_events WHERE {clause}", *args)
    order = "starts_at DESC, id" if newest_first else "starts_at, id"
    rows = await conn.fetch(
        f"""SELECT * FROM activity_events WHERE {clause}
            ORDER BY {order} LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}""",
        *args, limit, offset)
    return rows, int(total)


async def get_attendance(conn: Connection, event_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM attendance_reports WHERE event_id = $1", event_id)


async def save_attendance(conn: Connection, event_id: UUID, participants: int, visitors: int,
                          reported_by: str) -> int:
    revision: int = await conn.fetchval(
        """INSERT INTO attendance_reports AS a (event_id, participants, visitors, reported_by)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (event_id) DO UPDATE
             SET participants = EXCLUDED.participants, visitors = EXCLUDED.visitors,
                 reported_by = EXCLUDED.reported_by, reported_at = now(),
                 revision = a.revision + 1
           RETURNING revision""",
        event_id, participants, visitors, reported_by)
    return revision
