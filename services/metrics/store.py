"""SQL of the metrics service (asyncpg). Callers own the transaction."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from services.metrics.domain import Cell, Counts, Fact
from shared.db import Connection


async def upsert_venue(conn: Connection, venue_id: UUID, area: str, kind: str,
                       revision: int) -> None:
    await conn.execute(
        """INSERT INTO venues AS v (venue_id, area, kind, revision) VALUES ($1, $2, $3, $4)
           ON CONFLICT (venue_id) DO UPDATE
             SET area = EXCLUDED.area, kind = EXCLUDED.kind, revision = EXCLUDED.revision
             WHERE v.revision < EXCLUDED.revision""",
        venue_id, area, kind, revision,
    )


async def venue_area(conn: Connection, venue_id: UUID) -> str | None:
    area: str | None = await conn.fetchval("SELECT area FROM venues WHERE venue_id = $1",
                                           venue_id)
    return area


async def lock_fact(conn: Connection, event_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM activity_event_facts WHERE activity_event_id = $1 FOR UPDATE", event_id)


def as_fact(row: asyncpg.Record) -> Fact:
    return Fact(row["status"], row["area"], row["starts_at"], row["ends_at"])


async def save_fact(conn: Connection, fact: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO activity_event_facts (activity_event_id, revision, status, area,
                                             venue_id, kind, starts_at, ends_at, booking_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (activity_event_id) DO UPDATE
             SET revision = EXCLUDED.revision, status = EXCLUDED.status, area = EXCLUDED.area,
                 venue_id = EXCLUDED.venue_id, kind = EXCLUDED.kind,
                 starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                 booking_id = EXCLUDED.booking_id""",
        fact["activity_event_id"], fact["revision"], fact["status"], fact["area"],
        fact["venue_id"], fact["kind"], fact["starts_at"], fact["ends_at"], fact["booking_id"],
    )


async def apply_delta(conn: Connection, changes: dict[Cell, Counts]) -> None:
    for cell, counts in changes.items():
        await conn.execute(
            """INSERT INTO area_month_events AS a
                   (area, month, published_events, cancelled_events, planned_hours)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (area, month) DO UPDATE
                 SET published_events = a.published_events + EXCLUDED.published_events,
                     cancelled_events = a.cancelled_events + EXCLUDED.cancelled_events,
                     planned_hours = a.planned_hours + EXCLUDED.planned_hours""",
            cell.area, cell.month, counts.published, counts.cancelled, counts.hours,
        )


async def list_areas(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM areas ORDER BY area_group, code")


async def get_area(conn: Connection, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM areas WHERE code = $1", code)


async def published_events(conn: Connection, *, area: str | None, group: str | None,
                           start: date | None, end: date | None) -> list[asyncpg.Record]:
    """Per area over the months [start, end): from the pre-aggregated table only."""
    return await conn.fetch(
        """SELECT coalesce(ar.code, a.area) AS area, ar.area_group, ar.population,
                  ar.population_year, coalesce(ar.population_is_sample, false) AS sample,
                  coalesce(sum(a.published_events), 0)::int AS published_events,
                  coalesce(sum(a.cancelled_events), 0)::int AS cancelled_events,
                  coalesce(sum(a.planned_hours), 0) AS planned_hours
           FROM areas ar
           FULL JOIN (SELECT * FROM area_month_events
                      WHERE ($3::date IS NULL OR month >= $3)
                        AND ($4::date IS NULL OR month < $4)) a ON a.area = ar.code
           WHERE ($1::text IS NULL OR coalesce(ar.code, a.area) = $1)
             AND ($2::text IS NULL OR ar.area_group = $2)
           GROUP BY 1, 2, 3, 4, 5
           ORDER BY 1""",
        area, group, start, end,
    )
