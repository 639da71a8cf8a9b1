"""The events service's scheduled pass: organisers' addresses kept for an approval decision
are forgotten once their activity has ended, and "New activity" forms sent once their
month is over (run by `shared.jobs.run_every`; every replica runs it, and a DELETE by
itself needs no claim)."""

from __future__ import annotations

import logging
import os

from services.events import usecases
from shared.jobs import run_every
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)


async def forget_ended_contacts(runtime: ServiceRuntime) -> int:
    """`usecases.forget_ended_contacts`: how many addresses were forgotten."""
    return await usecases.forget_ended_contacts(usecases.unit_of_work(runtime.pool),
                                                runtime.clock)


async def forget_sent_forms(runtime: ServiceRuntime) -> int:
    """`usecases.forget_sent_forms`: how many sent forms were forgotten."""
    return await usecases.forget_sent_forms(usecases.unit_of_work(runtime.pool),
                                            runtime.clock)


async def run_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_EVENTS_JOB_INTERVAL seconds (3600); 0 turns it off in this replica."""
    await run_every(runtime, float(os.environ.get("KOHTAAMO_EVENTS_JOB_INTERVAL", "3600")),
                    [forget_ended_contacts, forget_sent_forms], log)
