"""A service's scheduled jobs, run the one way every service runs them.

Every replica runs its service's jobs; each job is a use case that claims its rows (FOR UPDATE
SKIP LOCKED, or an advisory lock), so replicas never act on the same row twice and need no
leader. A job returns how much it did (a count, or counts by name), which is logged only when
it did something: an idle pass every 15 s would drown the log."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from shared.db import log_failed_pass

if TYPE_CHECKING:
    from shared.service import ServiceRuntime

#: One pass of a job: what it did, as a count or as counts by name.
Job = Callable[["ServiceRuntime"], Awaitable[int | Mapping[str, int]]]


async def run_every(runtime: ServiceRuntime, interval: float, jobs: Sequence[Job],
                    log: logging.Logger) -> None:
    """Run `jobs` one after the other, then wait `interval` seconds, until the replica begins
    to shut down; an interval of 0 or less turns them off in this replica (an operator's way
    to keep one replica for HTTP alone). A job that fails is logged (`log_failed_pass`: an
    outage as one warning line a pass, a bug with its trace) and the next job still runs, so
    one job's bug never stops the others."""
    if interval <= 0:
        return
    service = runtime.spec.name
    while not runtime.stopping:
        for job in jobs:
            if runtime.stopping:  # no job starts once the replica has begun to shut down
                return
            try:
                done = await job(runtime)
                counts = dict(done) if isinstance(done, Mapping) else {"rows": done}
                if any(counts.values()):
                    # Under one key: a count's name can never clash with a log record's own.
                    log.info(f"{service} job did work", extra={"job": job.__name__,
                                                               "did": counts})
            except Exception as exc:
                log_failed_pass(log, f"{service} job {job.__name__} failed", exc)
        await runtime.pause(interval)
