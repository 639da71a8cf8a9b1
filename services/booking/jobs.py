"""Scheduled work of the booking service. Every replica runs these loops; each pass claims
its rows with FOR UPDATE SKIP LOCKED, so no two replicas act on the same booking."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import UTC, datetime, timedelta

from services.booking import store
from shared.contracts import BookingNoShow
from shared.outbox import enqueue
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)


async def expire_holds(runtime: ServiceRuntime) -> int:
    """Holds the organiser did not complete in time free their slot."""
    async with runtime.pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """SELECT id FROM bookings WHERE status = 'held' AND hold_expires_at <= now()
               ORDER BY hold_expires_at LIMIT 200 FOR UPDATE SKIP LOCKED""")
        for row in rows:
            await store.set_booking_status(conn, row["id"], "expired", "system", "hold expired")
            await store.release_claims(conn, row["id"])
    return len(rows)


async def release_no_shows(runtime: ServiceRuntime) -> int:
    """Confirmed bookings of spaces that require check-in, not checked in within the window."""
    async with runtime.pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """SELECT b.*, lower(b.during) AS starts_at, upper(b.during) AS ends_at
               FROM bookings b JOIN spaces s ON s.id = b.space_id
               WHERE b.status = 'confirmed' AND s.checkin_required AND b.checked_in_at IS NULL
                 AND lower(b.during) + make_interval(mins => s.checkin_minutes) <= now()
                 AND upper(b.during) > now()
               LIMIT 200 FOR UPDATE OF b SKIP LOCKED""")
        for row in rows:
            await store.set_booking_status(conn, row["id"], "no_show", "system",
                                           "nobody checked in")
            await store.release_claims(conn, row["id"])
            await enqueue(conn, BookingNoShow(
                booking_id=row["id"], venue_id=row["venue_id"], space_id=row["space_id"],
                starts_at=row["starts_at"], ends_at=row["ends_at"], title=row["title"],
                organiser_id=row["organiser_id"], cooperation=row["cooperation"],
                organiser_type=row["organiser_type"], hours_kind=row["hours_kind"],
                series_id=row["series_id"]))
    return len(rows)


async def anonymise_organisers(runtime: ServiceRuntime, retention_days: int | None = None) -> int:
    """Personal data is kept only as long as needed: organisers with nothing booked within
    the retention period keep their pseudonymous id (statistics) and lose name and contacts."""
    days = retention_days if retention_days is not None else int(
        os.environ.get("KOHTAAMO_BOOKING_RETENTION_DAYS", "365"))
    cutoff = datetime.now(UTC) - timedelta(days=days)
    async with runtime.pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """SELECT o.id FROM organisers o
               WHERE o.anonymised_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.organiser_id = o.id
                                 AND (upper(b.during) > $1 OR b.created_at > $1))
                 AND o.created_at <= $1
               LIMIT 500 FOR UPDATE SKIP LOCKED""", cutoff)
        ids = [r["id"] for r in rows]
        if ids:
            await conn.execute(
                """UPDATE organisers SET name = 'anonymised', email = NULL, phone = NULL,
                       subject = NULL, anonymised_at = now() WHERE id = ANY($1::uuid[])""", ids)
            await conn.execute(
                "UPDATE bookings SET access_code = NULL WHERE organiser_id = ANY($1::uuid[])", ids)
    return len(ids)


async def run_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_BOOKING_JOB_INTERVAL seconds (15); 0 turns the jobs off in this replica."""
    interval = float(os.environ.get("KOHTAAMO_BOOKING_JOB_INTERVAL", "15"))
    if interval <= 0:
        return
    while True:
        for job in (expire_holds, release_no_shows, anonymise_organisers):
            try:
                done = await job(runtime)
                if done:
                    log.info("booking job did work", extra={"job": job.__name__, "rows": done})
            except Exception:
                log.exception("booking job failed", extra={"job": job.__name__})
        await asyncio.sleep(interval)
