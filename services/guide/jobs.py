"""The guide's scheduled pass: conversations older than the retention period are deleted."""

from __future__ import annotations

import logging

from services.guide import usecases
from services.guide.settings import settings
from shared.jobs import run_every
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)


async def purge_expired(runtime: ServiceRuntime) -> int:
    """Conversations past KOHTAAMO_GUIDE_RETENTION_DAYS (30) deleted."""
    return await usecases.purge_expired(usecases.unit_of_work(runtime.pool), runtime.clock,
                                        settings().retention_days)


async def run_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_GUIDE_JOB_INTERVAL seconds (3600); 0 turns it off in this replica."""
    await run_every(runtime, settings().job_interval, [purge_expired], log)
