"""Schemathesis against every service's OpenAPI document: no input, however odd, is a 5xx,
and every answer is one the document says.

Each service runs as its own process on the real Kafka and a fresh PostgreSQL database, and
schemathesis sends it generated requests with an admin's token: the documented examples, the
coverage phase's edge values (NUL bytes, huge integers, years 1 and 9999, nulls, wrong types),
random fuzzing, and stateful sequences that follow the API's links (create a venue, then use
its id). Every answer must be below 500 (`not_a_server_error`), with a status code and a
content type the document names for the operation (`status_code_conformance`,
`content_type_conformance`): a refusal the document does not list is a gap in it.

Scheduled jobs are off in the fuzzed services, so generated channel accounts never make the
notifications sender call out of this machine.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.infra import bearer

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
#: Seconds of fuzzing per service; the whole test stays within a few minutes of CI.
FUZZ_SECONDS = int(os.environ.get("KOHTAAMO_FUZZ_SECONDS", "45"))
#: What every answer is checked for: no 5xx, and a status and content type the service's
#: OpenAPI document says the operation answers (`shared/openapi.py` writes them from the
#: code). KOHTAAMO_FUZZ_CHECKS to try others while developing.
CHECKS = os.environ.get("KOHTAAMO_FUZZ_CHECKS", "not_a_server_error,status_code_conformance,"
                        "content_type_conformance")
JOBS_OFF = {"KOHTAAMO_BOOKING_JOB_INTERVAL": "0", "KOHTAAMO_METRICS_JOB_INTERVAL": "0",
            "KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0"}


def _errors(log: str) -> str:
    """The last line of each traceback in the service's JSON log: what raised, where."""
    import json

    found = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        trace = record.get("exception") or ""
        if trace:
            lines = [x for x in trace.splitlines() if x.strip()]
            where = [x.strip() for x in lines if x.strip().startswith('File "/work')]
            found.append(f"{where[-1] if where else ''} -> {lines[-1]}")
    return "\n".join(dict.fromkeys(found)) or log[-3000:]


@pytest.mark.parametrize("service", ["booking", "events", "notifications", "metrics", "guide"])
async def test_no_generated_request_gets_a_server_error(
    service: str, spawn_service: Callable[..., Awaitable[Any]],
    fresh_database: Callable[[str], Awaitable[str]], tmp_path: Path,
) -> None:
    proc = await spawn_service(service, await fresh_database(service), env=JOBS_OFF,
                               log_level="WARNING")
    token = bearer("admin")["Authorization"]
    command = [
        str(SCHEMATHESIS), "run", f"{proc.url}/openapi.json",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-time", str(FUZZ_SECONDS),
        "--max-examples", "25",
        "--header", f"Authorization: {token}",
        "--generation-database", "none",
        "--request-timeout", "30",  # a slow answer is not a server error
        "--seed", "20261201",
        "--workers", "1",
        "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    run = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(run.communicate(), timeout=FUZZ_SECONDS * 6 + 120)
    summary = out.decode(errors="replace")[-6000:]
    assert run.returncode == 0, (
        f"schemathesis found failures in {service}:\n{summary}\n"
        f"--- service errors ---\n{_errors(proc.tail(400))}")
    # It really ran: the summary counts the operations it tested.
    assert "operations" in summary.lower() or "tested" in summary.lower(), summary
