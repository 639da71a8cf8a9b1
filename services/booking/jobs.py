"""Scheduled work of the booking service (run by `shared.jobs.run_every`). Every replica
runs them; each pass is a use case that claims its rows with FOR UPDATE SKIP LOCKED, so no two
replicas act on the same booking."""

from __future__ import annotations

import logging
import os

from services.booking import usecases
from services.booking.store import BookingStore
from shared.jobs import run_every
from shared.service import ServiceRuntime
from shared.uow import PgUnitOfWork


def _uow(runtime: ServiceRuntime) -> PgUnitOfWork[BookingStore]:
    return PgUnitOfWork(runtime.pool, BookingStore)


log = logging.getLogger(__name__)


async def expire_holds(runtime: ServiceRuntime) -> int:
    """Holds the organiser did not complete in time free their slot."""
    return await usecases.expire_holds(_uow(runtime), runtime.clock)


async def release_no_shows(runtime: ServiceRuntime) -> int:
    """Confirmed bookings of spaces that require check-in, not checked in within the window."""
    return await usecases.release_no_shows(_uow(runtime), runtime.clock)


async def announce_endings(runtime: ServiceRuntime) -> int:
    """Confirmed bookings that ended: `booking.ended`, once each (attendance prompts)."""
    return await usecases.announce_endings(_uow(runtime), runtime.clock)


async def anonymise_organisers(runtime: ServiceRuntime, retention_days: int | None = None) -> int:
    """Organisers' and loan borrowers' personal data after
    `KOHTAAMO_BOOKING_RETENTION_DAYS` (365)."""
    days = retention_days if retention_days is not None else int(
        os.environ.get("KOHTAAMO_BOOKING_RETENTION_DAYS", "365"))
    return await usecases.anonymise_organisers(_uow(runtime), runtime.clock, days)


async def run_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_BOOKING_JOB_INTERVAL seconds (15); 0 turns the jobs off in this replica."""
    await run_every(runtime, float(os.environ.get("KOHTAAMO_BOOKING_JOB_INTERVAL", "15")),
                    [expire_holds, release_no_shows, announce_endings, anonymise_organisers],
                    log)
