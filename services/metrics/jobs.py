"""Scheduled work of the metrics service: close months. Every replica runs the loop; a
transaction-level advisory lock per month makes sure one replica publishes each revision."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
from datetime import UTC, date, datetime, timedelta

from services.metrics.api import compute_summary
from shared.contracts import AreaIndicatorValues, MetricsPeriodClosed
from shared.outbox import enqueue
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)
#: Attendance is usually reported within a week; close a month that long after it ended.
CLOSE_AFTER_DAYS = int(os.environ.get("KOHTAAMO_METRICS_CLOSE_AFTER_DAYS", "7"))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


async def close_periods(runtime: ServiceRuntime, now: datetime | None = None) -> int:
    """Publish each ended month's indicators once, and again as a new revision whenever a
    late report changed them. Returns how many were published."""
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=CLOSE_AFTER_DAYS)).date()
    published = 0
    async with runtime.pool.acquire() as conn:
        months = [r["month"] for r in await conn.fetch(
            "SELECT DISTINCT month FROM area_month_activity ORDER BY month")]
    for month in (m for m in months if _next_month(m) <= cutoff):
        summary = await compute_summary(runtime.pool, from_=month, to=_next_month(month))
        areas = [AreaIndicatorValues(area=a.area, population=a.population, values=a.values,
                                     per_1000=a.per_1000) for a in summary.areas
                 if any(v for v in a.values.values())]
        fingerprint = hashlib.sha256(json.dumps(
            [a.model_dump(mode="json") for a in areas], sort_keys=True).encode()).hexdigest()
        async with runtime.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))",
                               f"close:{month.isoformat()}")
            row = await conn.fetchrow("SELECT * FROM closed_periods WHERE month = $1", month)
            if row is not None and row["fingerprint"] == fingerprint:
                continue
            revision = 1 if row is None else row["revision"] + 1
            await conn.execute(
                """INSERT INTO closed_periods (month, revision, fingerprint) VALUES ($1, $2, $3)
                   ON CONFLICT (month) DO UPDATE SET revision = EXCLUDED.revision,
                     fingerprint = EXCLUDED.fingerprint, closed_at = now()""",
                month, revision, fingerprint)
            await enqueue(conn, MetricsPeriodClosed(month=month, revision=revision,
                                                    areas=areas))
            published += 1
    return published


async def run_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_METRICS_JOB_INTERVAL seconds (60); 0 turns the job off in this replica."""
    interval = float(os.environ.get("KOHTAAMO_METRICS_JOB_INTERVAL", "60"))
    if interval <= 0:
        return
    while True:
        try:
            done = await close_periods(runtime)
            if done:
                log.info("periods closed", extra={"published": done})
        except Exception:
            log.exception("closing periods failed")
        await asyncio.sleep(interval)
