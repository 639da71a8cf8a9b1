"""`shared.jobs.run_every`, the one loop every service's scheduled jobs run in: a stand-in
runtime that stops after a given number of passes, and jobs that record their calls."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytest

from shared.jobs import run_every


def _runtime(passes: int) -> Any:
    """A runtime that begins to shut down after `passes` waits, recording each wait."""
    waits: list[float] = []

    async def pause(seconds: float) -> None:
        waits.append(seconds)
        runtime.stopping = len(waits) >= passes

    runtime = SimpleNamespace(spec=SimpleNamespace(name="booking"), stopping=False,
                              pause=pause, waits=waits)
    return runtime


async def test_each_job_runs_every_pass_and_one_jobs_bug_does_not_stop_the_next(
        caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []

    async def expire_holds(runtime: Any) -> int:
        calls.append("expire_holds")
        return 2 if len(calls) == 1 else 0

    async def broken(runtime: Any) -> int:
        calls.append("broken")
        raise KeyError("a bug")

    async def reach_pass(runtime: Any) -> Mapping[str, int]:
        calls.append("reach_pass")
        return {"digests": 0, "anonymised": 3 if calls.count("reach_pass") == 1 else 0}

    runtime = _runtime(passes=2)
    with caplog.at_level(logging.INFO, logger="jobs"):
        await run_every(runtime, 15, [expire_holds, broken, reach_pass], logging.getLogger("jobs"))
    assert calls == ["expire_holds", "broken", "reach_pass"] * 2
    assert runtime.waits == [15, 15]
    said = [(r.levelname, r.getMessage(), getattr(r, "job", None)) for r in caplog.records]
    # The second pass did nothing (a zero, and counts that are all zero): only its bug is told.
    assert said == [
        ("INFO", "booking job did work", "expire_holds"),
        ("ERROR", "booking job broken failed", None),
        ("INFO", "booking job did work", "reach_pass"),
        ("ERROR", "booking job broken failed", None),
    ]
    assert caplog.records[0].did == {"rows": 2}  # type: ignore[attr-defined]
    assert caplog.records[2].did == {"digests": 0, "anonymised": 3}  # type: ignore[attr-defined]
    assert caplog.records[1].exc_info is not None  # a bug keeps its trace


async def test_a_replica_that_begins_to_shut_down_mid_pass_starts_no_further_job() -> None:
    calls: list[str] = []
    runtime = _runtime(passes=5)

    async def first(runtime: Any) -> int:
        calls.append("first")
        runtime.stopping = True  # SIGTERM came while this job ran
        return 0

    async def second(runtime: Any) -> int:
        calls.append("second")
        return 0

    await run_every(runtime, 15, [first, second], logging.getLogger("jobs"))
    assert calls == ["first"] and runtime.waits == []


async def test_an_interval_of_zero_turns_the_jobs_off_and_a_stopping_replica_starts_none(
) -> None:
    calls: list[str] = []

    async def job(runtime: Any) -> int:
        calls.append("job")
        return 0

    await run_every(_runtime(passes=1), 0, [job], logging.getLogger("jobs"))
    await run_every(_runtime(passes=1), -1, [job], logging.getLogger("jobs"))
    stopping = _runtime(passes=1)
    stopping.stopping = True
    await run_every(stopping, 15, [job], logging.getLogger("jobs"))
    assert calls == []
