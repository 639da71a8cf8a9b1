"""Scheduled work of the metrics service: close months. Every replica runs the loop; a
transaction-level advisory lock per month makes sure one replica publishes each revision."""

from __future__ import annotations

import logging
import os

from services.metrics import usecases
from shared.identity import Principal
from shared.jobs import run_every
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)
#: Attendance is usually reported within a week; close a month that long after it ended.
CLOSE_AFTER_DAYS = int(os.environ.get("KOHTAAMO_METRICS_CLOSE_AFTER_DAYS", "7"))
#: Who closes months: the service itself.
JOB = Principal(subject="metrics:jobs")


async def close_periods(runtime: ServiceRuntime) -> int:
    """One pass of the month-closing job at the runtime clock's "now"; returns how many
    months (or new revisions) were published."""
    return await usecases.close_periods(usecases.unit_of_work(runtime.pool), runtime.clock,
                                        JOB, CLOSE_AFTER_DAYS)


async def run_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_METRICS_JOB_INTERVAL seconds (60); 0 turns the job off in this replica."""
    await run_every(runtime, float(os.environ.get("KOHTAAMO_METRICS_JOB_INTERVAL", "60")),
                    [close_periods], log)
