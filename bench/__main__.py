"""Kohtaamo's benchmark suite: `python -m bench` (or `./kohtaamo bench`).

Every figure is measured side by side in one run on this machine and printed as a ratio to
its baseline, so the numbers say how close the services come to the physical limits rather
than how fast this particular machine is. Needs Kafka and PostgreSQL (`deploy/local.sh up`).

Measured here (`bench/flow.py` adds the event flow and the consumers):
- booking create (rules + claims under the exclusion constraint, outbox) over HTTP to the
  service as its own process, throughput next to a raw asyncpg INSERT into the same bookings
  table and the framework floor (`bench/floor.py`), the use case called without HTTP, the CPU
  per request of each (the server's process and PostgreSQL's), and latency at a fixed rate
  with one replica and with two;
- metrics indicator queries over a generated year of 500,000 activity facts, from the
  pre-aggregates, next to the same answer computed by scanning the facts;
- idle resident memory of each service process;
- the public read paths of the events service, full and revalidated, and a mixed load of
  boards and residents reading (`bench/reads.py`).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import uvloop

from bench.common import Rows, endpoints, pct, print_rows, share
from bench.flow import (
    CpuWindow,
    Scratch,
    bench_board_latency,
    bench_consumers,
    cpu_groups,
    profile_report,
    profile_start,
)
from bench.growth import bench_growth, pile_facts
from bench.loadgen import Client, Response, closed_loop, open_loop, request_bytes
from bench.reads import bench_reads

FACTS = int(os.environ.get("KOHTAAMO_BENCH_FACTS", "500000"))
BOOKINGS = int(os.environ.get("KOHTAAMO_BENCH_BOOKINGS", "1000"))
#: The fixed-rate run of booking create: requests per second, for this many seconds.
RATE = float(os.environ.get("KOHTAAMO_BENCH_RATE", "200"))
RATE_SECONDS = float(os.environ.get("KOHTAAMO_BENCH_RATE_SECONDS", "10"))
#: The fixed-rate run on one replica is repeated: the target holds in every run or not at all.
RATE_RUNS = int(os.environ.get("KOHTAAMO_BENCH_RATE_RUNS", "5"))
#: Enough bookings to outlast py-spy's 6-s recording on a quick day (~800/s).
PROFILED_BOOKINGS = 8000


async def timed(n: int, make: Callable[[int], Awaitable[Any]], concurrency: int
                ) -> tuple[float, list[float]]:
    """Run `n` calls with at most `concurrency` at once: (calls per second, latencies in ms)."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            start = time.perf_counter()
            await make(i)
            latencies.append((time.perf_counter() - start) * 1000)

    begin = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return n / (time.perf_counter() - begin), latencies


def booking_request(space: str, starts_at: datetime, token: str) -> bytes:
    body = json.dumps({
        "space_id": space, "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(minutes=50)).isoformat(), "title": "bench",
        "library_contact": "desk", "accept_house_rules": True}).encode()
    return request_bytes("POST", "/bookings", "bench", {
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"}, body)


def created(response: Response) -> None:
    assert response.status == 201, response


async def bench_booking(env: dict[str, str]) -> Rows:
    """The booking service as it runs in production, its own process (then two replicas
    behind round-robin connections), driven over HTTP by a lean load generator; next to a raw
    asyncpg INSERT into the same bookings table, and the use case called in-process without
    HTTP, to tell the HTTP stack's share from the booking's own."""
    from services.booking import usecases
    from services.booking.schemas import BookingIn
    from services.booking.store import BookingStore
    from shared.auth import Principal, mint_token
    from shared.clock import SYSTEM_CLOCK
    from shared.db import create_pool
    from shared.uow import PgUnitOfWork

    scratch = Scratch(env)
    try:
        dsn = await scratch.database("booking")
        prefix = scratch.prefix()
        first = scratch.replica("booking", dsn, prefix)
        await first.ready()
        admin = {"Authorization": "Bearer " + mint_token("bench", ["admin"])}
        async with httpx.AsyncClient(base_url=first.url) as http:
            venue = (await http.post("/venues", headers=admin, json={
                "name": {"fi": "Bench"}, "kind": "library", "area": "kuopio.keskusta",
                "municipality": "Kuopio", "spaces": [{"name": {"fi": f"Tila {i}"}, "rules": {
                    "horizon_days": 730, "max_open_requests": 100, "overnight": True}}
                    for i in range(20)]})).json()
        spaces = [s["id"] for s in venue["spaces"]]
        start = datetime.now(UTC).replace(microsecond=0, second=0, minute=0) + timedelta(days=2)
        # Fifty-one organisers, each signed in once: a client keeps its token for hours. 51 is
        # prime to the 20 spaces, so each organiser's open requests spread over all of them
        # and none reaches a space's limit of open requests in the runs.
        tokens = [mint_token(f"org{o}", ["organiser"], name="Bench") for o in range(51)]
        slots = iter(range(10**9))  # every request its own free slot: none is refused

        def book(_: int) -> bytes:
            i = next(slots)
            return booking_request(spaces[i % len(spaces)],
                                   start + timedelta(hours=i // len(spaces)),
                                   tokens[i % len(tokens)])

        async with Client([first.url], 10) as client:
            await closed_loop(client, 100, book, created)  # warm up: prepared statements
            window = CpuWindow(cpu_groups([first]))
            rate, latencies = await closed_loop(client, BOOKINGS, book, created)
            cpu = per_request(window, rate, "replica 1")
        fixed_runs: list[tuple[float, list[float]]] = []
        async with Client([first.url], 64) as client:
            for _ in range(RATE_RUNS):
                fixed_runs.append(await open_loop(client, RATE, RATE_SECONDS, book, created))
        # With KOHTAAMO_BENCH_PROFILE, py-spy samples the replica through one more closed loop
        # of its own, so its overhead is in none of the figures above.
        spy = profile_start(first.pid, "booking", pausing=True)
        if spy is not None:
            async with Client([first.url], 10) as client:
                await closed_loop(client, PROFILED_BOOKINGS, book, created)
            profile_report(spy, "booking")
        second = scratch.replica("booking", dsn, prefix)
        await second.ready()
        async with Client([first.url, second.url], 64) as client:
            await closed_loop(client, 100, book, created)
            fixed2_rate, fixed2 = await open_loop(client, RATE, RATE_SECONDS, book, created)
        first.stop()
        second.stop()

        # The framework floor: the same server running a bare FastAPI endpoint that does the
        # one raw insert, driven by the same load generator with the same requests.
        floor = scratch.replica("booking", dsn, prefix, module="bench.floor")
        await floor.ready()
        async with Client([floor.url], 10) as client:
            await closed_loop(client, 100, book, created)
            window = CpuWindow(cpu_groups([floor]))
            floor_rate, floor_latencies = await closed_loop(client, BOOKINGS, book, created)
            floor_cpu = per_request(window, floor_rate, "replica 1")
        async with Client([floor.url], 64) as client:
            floor_fixed_rate, floor_fixed = await open_loop(client, RATE, RATE_SECONDS, book,
                                                            created)
        floor.stop()

        pool = await create_pool(dsn, 2, 12)
        try:
            # An organiser of its own: the raw rows are open requests, and counted among a
            # bench organiser's they would soon refuse its bookings (100 per space).
            organiser = await pool.fetchval(
                "INSERT INTO organisers (id, subject, name) VALUES ($1, 'bench-raw', 'Raw')"
                " RETURNING id", uuid4())

            async def raw(i: int) -> None:
                s = start + timedelta(days=400, hours=i)
                await pool.execute(
                    """INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during,
                                             status, cooperation, house_rules_accepted_at)
                       VALUES ($1, $2, $3, $4, 'raw', tstzrange($5, $6), 'requested', true,
                               now())""",
                    uuid4(), spaces[0], venue["id"], organiser, s, s + timedelta(minutes=50))

            await timed(100, raw, concurrency=10)
            raw_rate, raw_latencies = await timed(BOOKINGS, raw, concurrency=10)

            # The use case itself: rules, claims and outbox without HTTP.
            organisers = [Principal(subject=f"org{o}", roles=frozenset({"organiser"}),
                                    name="Bench") for o in range(len(tokens))]

            async def book_direct(_: int) -> None:
                i = next(slots)
                s = start + timedelta(hours=i // len(spaces))
                await usecases.request_booking(
                    PgUnitOfWork(pool, BookingStore), SYSTEM_CLOCK,
                    organisers[i % len(organisers)], BookingIn(
                        space_id=spaces[i % len(spaces)], starts_at=s,
                        ends_at=s + timedelta(minutes=50), title="bench",
                        library_contact="desk", accept_house_rules=True).command())

            await timed(100, book_direct, concurrency=10)
            window = CpuWindow(cpu_groups([]))
            direct_rate, direct_latencies = await timed(BOOKINGS, book_direct, concurrency=10)
            direct_cpu = per_request(window, direct_rate, "bench")
        finally:
            await pool.close()
    finally:
        await scratch.close()

    def spread(values: list[float]) -> str:
        return f"p50 {pct(values, .5):.1f} ms, p99 {pct(values, .99):.1f} ms"

    p99s = [pct(run, .99) for _, run in fixed_runs]
    met = sum(p < 25 for p in p99s)
    return [
        ("booking create over HTTP (service process), 10 at once", f"{rate:,.0f}/s",
         spread(latencies)),
        ("framework floor: bare FastAPI endpoint, one raw insert, same server",
         f"{floor_rate:,.0f}/s", spread(floor_latencies)),
        ("raw asyncpg insert, same table, 10 at once", f"{raw_rate:,.0f}/s",
         spread(raw_latencies)),
        ("ratio booking / framework floor", share(rate / floor_rate, 0.6), "target ≥ 60 %",
         rate / floor_rate >= 0.6),
        ("ratio booking / raw insert", f"{rate / raw_rate:.0%}",
         f"floor / raw insert {floor_rate / raw_rate:.0%}"),
        ("booking create without HTTP (the use case), 10 at once", f"{direct_rate:,.0f}/s",
         f"{spread(direct_latencies)}; {direct_rate / raw_rate:.0%} of raw, "
         f"{direct_rate / floor_rate:.0%} of the floor: what no HTTP edge could raise"),
        ("  CPU per request: its process + PostgreSQL",
         f"{sum(cpu):.2f} ms", f"booking over HTTP {cpu[0]:.2f} + {cpu[1]:.2f} ms; the floor "
         f"{floor_cpu[0]:.2f} + {floor_cpu[1]:.2f} ms; the use case without HTTP "
         f"{direct_cpu[0]:.2f} + {direct_cpu[1]:.2f} ms"),
        (f"booking create at a fixed {RATE:.0f}/s for {RATE_SECONDS:.0f} s, 1 replica, "
         f"{RATE_RUNS} runs", f"{min(r for r, _ in fixed_runs):,.0f}/s",
         f"p99 per run {' / '.join(f'{p:.1f}' for p in p99s)} ms: target p99 < 25 ms in "
         f"every run, met in {met} of {RATE_RUNS}", met == RATE_RUNS),
        (f"  framework floor at a fixed {RATE:.0f}/s", f"{floor_fixed_rate:,.0f}/s",
         spread(floor_fixed)),
        (f"booking create at a fixed {RATE:.0f}/s for {RATE_SECONDS:.0f} s, 2 replicas",
         f"{fixed2_rate:,.0f}/s", f"{spread(fixed2)} (target p99 < 25 ms)",
         pct(fixed2, .99) < 25),
    ]


def per_request(window: CpuWindow, rate: float, process: str) -> tuple[float, float]:
    """ms of CPU per request that `process` (the server, or the bench for the use case run in
    it) and PostgreSQL's processes used in `window`, at `rate` requests a second."""
    used = window.used()
    return used[process] * 1000 / rate, used["postgres"] * 1000 / rate


async def bench_indicators(env: dict[str, str]) -> Rows:
    scratch = Scratch(env)
    try:
        return await _indicators(await scratch.database("metrics"))
    finally:
        await scratch.close()


async def _indicators(dsn: str) -> Rows:
    from services.metrics import usecases
    from services.metrics.domain import SummaryQuery
    from shared.clock import SYSTEM_CLOCK
    from shared.db import create_pool
    from shared.identity import PUBLIC

    pool = await create_pool(dsn, 1, 4)
    # A year of a city's activity: FACTS events over 11 areas, 10 kinds, 200 venues.
    await pile_facts(pool, 1, per_year=FACTS, last_year=2026)
    pre: list[float] = []
    for _ in range(30):
        t = time.perf_counter()
        # The use case as the API runs it, in its unit of work (BEGIN … COMMIT included).
        await usecases.indicator_summary(usecases.unit_of_work(pool), SYSTEM_CLOCK, PUBLIC,
                                         SummaryQuery(from_=date(2026, 1, 1),
                                                      to=date(2027, 1, 1)))
        pre.append((time.perf_counter() - t) * 1000)
    scan: list[float] = []
    for _ in range(5):
        t = time.perf_counter()
        await pool.fetch(
            """SELECT area, count(*) FILTER (WHERE status = 'published'),
                      count(DISTINCT organiser_id)
               FROM activity_event_facts WHERE starts_at >= '2026-01-01'
               AND starts_at < '2027-01-01' GROUP BY area""")
        scan.append((time.perf_counter() - t) * 1000)
    await pool.close()
    return [
        (f"indicator summary, a year, {FACTS:,} facts (pre-aggregated)",
         f"p50 {pct(pre, .5):.1f} ms", f"p99 {pct(pre, .99):.1f} ms (target < 50 ms)",
         pct(pre, .99) < 50),
        ("the same counts by scanning the facts", f"p50 {pct(scan, .5):.1f} ms", ""),
        ("ratio scan / pre-aggregated", f"{pct(scan, .5) / pct(pre, .5):.0f}×", ""),
    ]


async def bench_memory(env: dict[str, str]) -> Rows:
    rows: Rows = []
    scratch = Scratch(env)
    try:
        for service in ("booking", "events", "notifications", "metrics"):
            replica = scratch.replica(service, await scratch.database(service), scratch.prefix())
            await replica.ready()
            await asyncio.sleep(2)
            rss, _ = replica.memory()
            rows.append((f"idle RSS, {service}", f"{rss:.0f} MB", "target < 120 MB", rss < 120))
            replica.stop()
    finally:
        await scratch.close()
    return rows


BENCHES: dict[str, Callable[[dict[str, str]], Awaitable[Rows]]] = {
    "booking": bench_booking, "indicators": bench_indicators, "memory": bench_memory,
    "board": bench_board_latency, "consumers": bench_consumers, "reads": bench_reads,
    "growth": bench_growth}


async def main() -> None:
    """All benchmarks, or those named: `python -m bench booking indicators`. Each removes the
    databases, topics and processes it made (bench.flow.Scratch)."""
    names = sys.argv[1:] or list(BENCHES)
    if unknown := set(names) - set(BENCHES):
        sys.exit(f"unknown benchmark {', '.join(sorted(unknown))}; "
                 f"choose from {', '.join(BENCHES)}")
    env = endpoints()
    results: Rows = []
    for name in names:
        print(f"[bench] {name} …", file=sys.stderr)
        results += await BENCHES[name](env)
    print_rows(results)


if __name__ == "__main__":
    uvloop.run(main())  # as the services run: the raw baselines get the same event loop
