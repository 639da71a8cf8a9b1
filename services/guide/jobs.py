"""The guide's scheduled pass: conversations older than the retention period are deleted."""

from __future__ import annotations

import asyncio
import logging

from services.guide import usecases
from services.guide.settings import GuideSettings
from shared.db import log_failed_pass
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
        except Exception as exc:
            log_failed_pass(log, "retention pass failed", exc)
        await asyncio.sleep(settings.job_interval)
