"""Kohtaamo's benchmark suite: `python -m bench` (or `./kohtaamo bench`).

Every figure is measured side by side in one run on this machine and printed as a ratio to
its baseline, so the numbers say how close the services come to the physical limits rather
than how fast this particular machine is. Needs Kafka and PostgreSQL (`deploy/local.sh up`).

Measured so far (issue #7 lists more):
- booking create (rules + claims under the exclusion constraint, outbox) through the HTTP app
  in-process, next to a raw asyncpg INSERT into the same bookings table;
- metrics indicator queries over a generated year of 500,000 activity facts, from the
  pre-aggregates, next to the same answer computed by scanning the facts;
- idle resident memory of each service process.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from bench.common import ROOT, endpoints, pct, print_rows
from bench.flow import bench_board_latency, bench_consumers

CREATED: list[str] = []
FACTS = int(os.environ.get("KOHTAAMO_BENCH_FACTS", "500000"))
BOOKINGS = int(os.environ.get("KOHTAAMO_BENCH_BOOKINGS", "400"))
#: The fixed-rate run of booking create: requests per second, for this many seconds.
RATE = float(os.environ.get("KOHTAAMO_BENCH_RATE", "200"))
RATE_SECONDS = float(os.environ.get("KOHTAAMO_BENCH_RATE_SECONDS", "5"))




async def fresh_db(base: str, service: str) -> str:
    from shared.db import ensure_database, migrate_dsn

    name = f"bench_{service}_{secrets.token_hex(3)}"
    await ensure_database(f"{base}/postgres", name)
    CREATED.append(name)
    await migrate_dsn(f"{base}/{name}", service)
    return f"{base}/{name}"




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


async def at_rate(rate: float, seconds: float, make: Callable[[int], Awaitable[Any]]
                  ) -> tuple[float, list[float]]:
    """Start a call every 1/`rate` s for `seconds` whether or not earlier ones finished (an
    open loop, as independent clients arrive): (calls completed per second, latencies in ms).
    Latency counts from when the call was due, so a stalled loop shows as latency rather
    than as fewer calls (no coordinated omission)."""
    latencies: list[float] = []
    n = int(rate * seconds)
    begin = time.perf_counter()

    async def one(i: int) -> None:
        due = begin + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        await make(i)
        latencies.append((time.perf_counter() - due) * 1000)

    await asyncio.gather(*(one(i) for i in range(n)))
    return n / (time.perf_counter() - begin), latencies


async def bench_booking(env: dict[str, str]) -> list[tuple[str, str, str]]:
    from services.booking.api import BookingIn, request_booking
    from services.booking.app import spec
    from shared.auth import Principal, mint_token
    from shared.service import create_app
    from shared.settings import ServiceSettings

    dsn = await fresh_db(env["KOHTAAMO_PG_DSN_BASE"], "booking")
    settings = ServiceSettings(service="booking", database_url=dsn, log_level="WARNING",
                               kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
                               topic_prefix=f"bench{secrets.token_hex(2)}.", db_pool_max=20)
    app = create_app(spec, settings)
    runtime = app.state.runtime
    await runtime.start()
    admin = {"Authorization": "Bearer " + mint_token("bench", ["admin"])}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://bench") as http:
        venue = (await http.post("/venues", headers=admin, json={
            "name": {"fi": "Bench"}, "kind": "library", "area": "kuopio.keskusta",
            "municipality": "Kuopio", "spaces": [{"name": {"fi": f"Tila {i}"}, "rules": {
                "horizon_days": 730, "max_open_requests": 100, "overnight": True}}
                for i in range(20)]})).json()
        spaces = [s["id"] for s in venue["spaces"]]
        start = datetime.now(UTC).replace(microsecond=0, second=0, minute=0) + timedelta(days=2)
        # Fifty organisers, each signed in once: a client keeps its token for hours.
        tokens = [{"Authorization": "Bearer " + mint_token(f"org{o}", ["organiser"],
                                                           name="Bench")} for o in range(50)]
        slots = iter(range(10**9))  # every request its own free slot: none is refused

        async def book(_: int) -> None:
            i = next(slots)
            s = start + timedelta(hours=i // len(spaces))
            r = await http.post("/bookings", headers=tokens[i % len(tokens)], json={
                "space_id": spaces[i % len(spaces)], "starts_at": s.isoformat(),
                "ends_at": (s + timedelta(minutes=50)).isoformat(), "title": "bench",
                "library_contact": "desk", "accept_house_rules": True})
            assert r.status_code == 201, r.text

        await timed(50, book, concurrency=10)  # warm up: connections, prepared statements
        rate, latencies = await timed(BOOKINGS, book, concurrency=10)
        fixed_rate, fixed = await at_rate(RATE, RATE_SECONDS, book)

        # The same endpoint function called directly: rules, claims and outbox without the
        # HTTP stack (FastAPI, middleware, the in-process client), to tell the two apart.
        organisers = [Principal(subject=f"org{o}", roles=frozenset({"organiser"}), name="Bench")
                      for o in range(len(tokens))]

        async def book_direct(_: int) -> None:
            i = next(slots)
            s = start + timedelta(hours=i // len(spaces))
            await request_booking(BookingIn(
                space_id=spaces[i % len(spaces)], starts_at=s, ends_at=s + timedelta(minutes=50),
                title="bench", library_contact="desk", accept_house_rules=True),
                runtime.pool, organisers[i % len(organisers)], for_venue_desk=False)

        direct_rate, direct_latencies = await timed(BOOKINGS, book_direct, concurrency=10)
    pool = runtime.pool
    organiser = await pool.fetchval("SELECT id FROM organisers LIMIT 1")

    async def raw(i: int) -> None:
        s = start + timedelta(days=400, hours=i)
        await pool.execute(
            """INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during, status,
                                     cooperation, house_rules_accepted_at)
               VALUES ($1, $2, $3, $4, 'raw', tstzrange($5, $6), 'requested', true, now())""",
            uuid4(), spaces[0], venue["id"], organiser, s, s + timedelta(minutes=50))

    raw_rate, raw_latencies = await timed(BOOKINGS, raw, concurrency=10)
    await runtime.stop()
    return [
        ("booking create (HTTP, rules, claims, outbox), 10 at once", f"{rate:,.0f}/s",
         f"p50 {pct(latencies, .5):.1f} ms, p99 {pct(latencies, .99):.1f} ms"),
        ("raw asyncpg insert, same table, 10 at once", f"{raw_rate:,.0f}/s",
         f"p50 {pct(raw_latencies, .5):.1f} ms, p99 {pct(raw_latencies, .99):.1f} ms"),
        ("ratio booking / raw insert", f"{rate / raw_rate:.0%}", "target ≥ 50 %"),
        ("booking create without HTTP (endpoint function), 10 at once", f"{direct_rate:,.0f}/s",
         f"p50 {pct(direct_latencies, .5):.1f} ms, p99 {pct(direct_latencies, .99):.1f} ms; "
         f"{direct_rate / raw_rate:.0%} of raw"),
        (f"booking create at a fixed {RATE:.0f}/s for {RATE_SECONDS:.0f} s",
         f"{fixed_rate:,.0f}/s",
         f"p50 {pct(fixed, .5):.1f} ms, p99 {pct(fixed, .99):.1f} ms (target p99 < 25 ms)"),
    ]


async def bench_indicators(env: dict[str, str]) -> list[tuple[str, str, str]]:
    from services.metrics.api import compute_summary
    from shared.db import create_pool

    dsn = await fresh_db(env["KOHTAAMO_PG_DSN_BASE"], "metrics")
    pool = await create_pool(dsn, 1, 4)
    # A year of a city's activity: FACTS events over 11 areas, 10 kinds, 200 venues.
    await pool.execute(
        """INSERT INTO activity_event_facts (activity_event_id, revision, status, area, venue_id,
                                             kind, starts_at, ends_at, organiser_id, topics)
           SELECT gen_random_uuid(), 1, CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'published' END,
                  (ARRAY(SELECT code FROM areas))[1 + g % 11],
                  ('00000000-0000-0000-0000-' || lpad((g % 200)::text, 12, '0'))::uuid,
                  'kind_' || (g % 10),
                  '2026-01-01'::timestamptz + (g % 525600) * interval '1 minute',
                  '2026-01-01'::timestamptz + (g % 525600) * interval '1 minute'
                    + interval '2 hours',
                  ('00000000-0000-0000-0001-' || lpad((g % 3000)::text, 12, '0'))::uuid,
                  ARRAY['music']
           FROM generate_series(1, $1) AS g""", FACTS)
    await pool.execute(
        """INSERT INTO area_month_activity (area, month, kind, venue, published_events,
                                           cancelled_events, planned_hours)
           SELECT area, date_trunc('month', starts_at AT TIME ZONE 'Europe/Helsinki')::date, kind,
                  venue_id::text, count(*) FILTER (WHERE status = 'published'),
                  count(*) FILTER (WHERE status = 'cancelled'),
                  2 * count(*) FILTER (WHERE status = 'published')
           FROM activity_event_facts GROUP BY 1, 2, 3, 4""")
    await pool.execute(
        """INSERT INTO area_month_organisers (area, month, organiser_id, events)
           SELECT area, date_trunc('month', starts_at AT TIME ZONE 'Europe/Helsinki')::date,
                  organiser_id, count(*) FROM activity_event_facts WHERE status = 'published'
           GROUP BY 1, 2, 3""")
    await pool.execute("ANALYZE")
    pre: list[float] = []
    for _ in range(30):
        t = time.perf_counter()
        await compute_summary(pool, from_=date(2026, 1, 1), to=date(2027, 1, 1))
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
         f"p50 {pct(pre, .5):.1f} ms", f"p99 {pct(pre, .99):.1f} ms (target < 50 ms)"),
        ("the same counts by scanning the facts", f"p50 {pct(scan, .5):.1f} ms", ""),
        ("ratio scan / pre-aggregated", f"{pct(scan, .5) / pct(pre, .5):.0f}×", ""),
    ]


async def bench_memory(env: dict[str, str]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for service in ("booking", "events", "notifications", "metrics"):
        dsn = await fresh_db(env["KOHTAAMO_PG_DSN_BASE"], service)
        port = 18000 + len(rows)
        # A benchmark, not a server: a blocking Popen is fine here.
        proc = subprocess.Popen([sys.executable, "-m", f"services.{service}"],  # noqa: ASYNC220
                                cwd=ROOT,
                                env={**os.environ, **env, "DATABASE_URL": dsn,
                                     "KOHTAAMO_HTTP_PORT": str(port),
                                     "KOHTAAMO_TOPIC_PREFIX": f"bench{secrets.token_hex(2)}.",
                                     "KOHTAAMO_LOG_LEVEL": "WARNING"},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            async with httpx.AsyncClient() as http:
                for _ in range(200):
                    try:
                        if (await http.get(f"http://127.0.0.1:{port}/health/ready")
                                ).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.2)
            await asyncio.sleep(2)
            status = Path(f"/proc/{proc.pid}/status").read_text()  # noqa: ASYNC240
            rss = int(next(line.split()[1] for line in status.splitlines()
                           if line.startswith("VmRSS")))
            rows.append((f"idle RSS, {service}", f"{rss / 1024:.0f} MB", "target < 120 MB"))
        finally:
            proc.terminate()
            proc.wait(10)
    return rows


async def main() -> None:
    from shared.db import drop_database

    env = endpoints()
    results: list[tuple[str, str, str]] = []
    try:
        for bench in (bench_booking, bench_indicators, bench_memory, bench_board_latency,
                      bench_consumers):
            print(f"[bench] {bench.__name__} …", file=sys.stderr)
            results += await bench(env)
    finally:
        for name in CREATED:  # the benchmark leaves no databases behind
            await drop_database(f"{env['KOHTAAMO_PG_DSN_BASE']}/postgres", name)
    print_rows(results)


if __name__ == "__main__":
    asyncio.run(main())
