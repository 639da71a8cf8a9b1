"""The guide's scheduled pass: conversations older than the retention period are deleted."""

from __future__ import annotations

import asyncio
import logging

from services.guide import usecases
from services.guide.settings import GuideSettings
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)


async def run_jobs(runtime: ServiceRuntime) -> None:
    settings = GuideSettings.from_env()
    if settings.job_interval <= 0:
        return
    while True:
        try:
            deleted = await usecases.purge_expired(usecases.unit_of_work(runtime.pool),
                                                   runtime.clock, settings.retention_days)
            if deleted:
                log.info("expired conversations deleted", extra={"deleted": deleted})
        except Exception:
            log.exception("retention pass failed")
        await asyncio.sleep(settings.job_interval)
