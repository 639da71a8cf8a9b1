"""Cost as the data grows (issue #20): the same reads with the city's data at 1×, 10× and 100×
a year, printed with the growth factor. Past years pile up while the coming year stays a
year's worth, as in a city that has run the platform for a long time: a read about the coming
weeks returns the same rows at every scale, so its time must not grow with the pile (a query
that grows faster than the rows it returns is a bug).

- booking: `first-available` over an area and `free-slots` for a week, over HTTP to the
  service as its own process, on Kuopio's demo libraries with a year of bookings per scale
  (target < 50 ms p99 at 100×);
- metrics: the indicator summary of one year over activity facts piled up to 5 million;
- events: the public reads computed each time (`bench/reads.py`).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

from bench.common import Rows, pct
from bench.flow import Scratch
from bench.loadgen import Client, closed_loop
from bench.reads import GROWTH, GROWTH_AT_ONCE, _getter, _status, bench_events_growth

#: Bookings a year over the demo libraries' bookable spaces (1×).
YEARLY_BOOKINGS = int(os.environ.get("KOHTAAMO_BENCH_YEARLY_BOOKINGS", "20000"))
#: Activity facts a year in metrics (1×): 100× is five million.
YEARLY_FACTS = int(os.environ.get("KOHTAAMO_BENCH_YEARLY_FACTS", "50000"))
#: Requests per measured read and scale.
SAMPLES = int(os.environ.get("KOHTAAMO_BENCH_GROWTH_SAMPLES", "200"))
LIMIT_MS = 50.0


def _rows(name: str, p50: list[float], p99: list[float], returned: str,
          limit_ms: float | None = None) -> Rows:
    header = " / ".join(f"{s}×" for s in GROWTH)
    growth = p50[-1] / p50[0] if p50[0] else 0.0
    note = (f"p99 {' / '.join(f'{b:.1f}' for b in p99)} ms; {growth:.1f}× from {GROWTH[0]}× "
            f"to {GROWTH[-1]}× the data, {returned}")
    # The rows returned stay the same at every scale: twice the time is already a growth
    # that the pile, not the answer, causes.
    rows: Rows = [(f"{name}, p50 ms at {header}", " / ".join(f"{a:.1f}" for a in p50),
                   f"{note}; target: grows ≤ 2×", growth <= 2.0)]
    if limit_ms is not None:
        rows.append((f"  … p99 at {GROWTH[-1]}×", f"{p99[-1]:.1f} ms",
                     f"target < {limit_ms:.0f} ms", p99[-1] < limit_ms))
    return rows


async def _pile_bookings(pool: Any, organiser: Any, years: range) -> None:
    """A year of bookings for each year in `years` (0: the coming year from tomorrow, n: n
    years back), spread evenly over the bookable spaces (leaves: a booking of a hall claims
    its rooms), two hours each, with their claims as the use case leaves them."""
    leaves = await pool.fetch(
        """SELECT id, venue_id FROM spaces s
           WHERE NOT EXISTS (SELECT 1 FROM spaces c WHERE c.parent_id = s.id) ORDER BY id""")
    per_space = max(1, YEARLY_BOOKINGS // len(leaves))
    step = timedelta(days=365) / per_space
    tomorrow = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    for year in years:
        begin = tomorrow - timedelta(days=365 * year)
        await pool.execute(
            """WITH made AS (
                 INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during,
                                       status, cooperation, house_rules_accepted_at)
                 SELECT gen_random_uuid(), l.id, l.venue_id, $1, 'growth',
                        tstzrange($2::timestamptz + g * $3::interval,
                                  $2::timestamptz + g * $3::interval + interval '2 hours'),
                        'confirmed', true, now()
                 FROM unnest($4::uuid[], $5::uuid[]) AS l (id, venue_id),
                      generate_series(0, $6 - 1) AS g
                 RETURNING id, space_id, during)
               INSERT INTO booking_claims (booking_id, space_id, during)
               SELECT id, space_id, during FROM made""",
            organiser, begin, step, [r["id"] for r in leaves], [r["venue_id"] for r in leaves],
            per_space)
    await pool.execute("ANALYZE bookings; ANALYZE booking_claims")


async def bench_booking_growth(env: dict[str, str]) -> Rows:
    from services.booking.demo import load_demo
    from services.booking.store import BookingStore
    from shared.clock import SYSTEM_CLOCK
    from shared.db import create_pool
    from shared.uow import PgUnitOfWork

    scratch = Scratch(env)
    p50: dict[str, list[float]] = {}
    p99: dict[str, list[float]] = {}
    try:
        dsn = await scratch.database("booking")
        pool = await create_pool(dsn, 1, 4)
        try:
            await load_demo(PgUnitOfWork(pool, BookingStore), SYSTEM_CLOCK)
            organiser = await pool.fetchval(
                "INSERT INTO organisers (id, subject, name) VALUES ($1, 'bench-growth', 'G')"
                " RETURNING id", uuid4())
            chosen = await pool.fetchrow(
                """SELECT v.area, s.id FROM spaces s JOIN venues v ON v.id = s.venue_id
                   WHERE NOT EXISTS (SELECT 1 FROM spaces c WHERE c.parent_id = s.id)
                   GROUP BY v.area, s.id ORDER BY count(*) OVER (PARTITION BY v.area) DESC,
                   s.id LIMIT 1""")
            assert chosen is not None, "the demo has bookable spaces"
            area, space = chosen
            monday = date.today() + timedelta(days=7 - date.today().weekday())
            paths = {
                f"booking GET /first-available?area={area} (60 min, 30 days)":
                    "/first-available?" + urlencode({"area": area, "minutes": 60}),
                "booking GET /spaces/{id}/free-slots for a week":
                    f"/spaces/{space}/free-slots?" + urlencode({"day": monday.isoformat(),
                                                                "days": 7}),
            }
            p50 = {name: [] for name in paths}
            p99 = {name: [] for name in paths}
            piled = 0
            for scale in GROWTH:
                await _pile_bookings(pool, organiser, range(piled, scale))
                piled = scale
                replica = scratch.replica("booking", dsn, scratch.prefix())
                await replica.ready()
                async with Client([replica.url], GROWTH_AT_ONCE) as client:
                    for name, path in paths.items():
                        await closed_loop(client, 20, _getter(path), _status(200))
                        _, latencies = await closed_loop(client, SAMPLES, _getter(path),
                                                         _status(200))
                        p50[name].append(pct(latencies, .5))
                        p99[name].append(pct(latencies, .99))
                replica.stop()
            total = await pool.fetchval("SELECT count(*) FROM bookings")
            await _explain(pool, "the area's claims for 30 days, at the largest size",
                           """SELECT space_id, lower(during), upper(during) FROM booking_claims
                              WHERE space_id = ANY(ARRAY(SELECT s.id FROM spaces s
                                    JOIN venues v ON v.id = s.venue_id WHERE v.area = $1))
                                AND during && tstzrange(now(), now() + interval '30 days')""",
                           area)
        finally:
            await pool.close()
    finally:
        await scratch.close()
    rows: Rows = []
    for name in p50:
        rows += _rows(name, p50[name], p99[name], "the same coming weeks", LIMIT_MS)
    rows.append(("(growth bookings)", f"{YEARLY_BOOKINGS:,} a year",
                 f"{total:,} bookings with their claims at {GROWTH[-1]}×"))
    return rows


async def _explain(pool: Any, what: str, query: str, *args: Any) -> None:
    """The plan of a read at the largest size, with its buffers, on stderr: a sequential scan
    or a buffer count that grew with the pile shows here before it shows in the time."""
    plan = await pool.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *args)
    print(f"[explain] {what}:", file=sys.stderr)
    for row in plan:
        print(f"[explain]   {row[0]}", file=sys.stderr)


async def bench_indicator_growth(env: dict[str, str]) -> Rows:
    """The indicator summary of the current year, as the API runs it, with facts of past
    years piling up to 100× a year (5 million at the default)."""
    from services.metrics import usecases
    from services.metrics.domain import SummaryQuery
    from shared.clock import SYSTEM_CLOCK
    from shared.db import create_pool
    from shared.identity import PUBLIC

    scratch = Scratch(env)
    p50: list[float] = []
    p99: list[float] = []
    seeded = 0.0
    try:
        pool = await create_pool(await scratch.database("metrics"), 1, 4)
        try:
            year = date.today().year
            piled = 0
            for scale in GROWTH:
                t0 = time.perf_counter()
                for back in range(piled, scale):
                    await _pile_facts(pool, year - back)
                piled = scale
                seeded += time.perf_counter() - t0
                times: list[float] = []
                query = SummaryQuery(from_=date(year, 1, 1), to=date(year + 1, 1, 1))
                for i in range(30 + SAMPLES // 4):
                    t = time.perf_counter()
                    await usecases.indicator_summary(usecases.unit_of_work(pool),
                                                     SYSTEM_CLOCK, PUBLIC, query)
                    if i >= 30:
                        times.append((time.perf_counter() - t) * 1000)
                p50.append(pct(times, .5))
                p99.append(pct(times, .99))
            total = await pool.fetchval("SELECT count(*) FROM activity_event_facts")
        finally:
            await pool.close()
    finally:
        await scratch.close()
    return [*_rows("metrics indicator summary of this year", p50, p99, "one year's answer",
                   LIMIT_MS),
            ("(growth facts)", f"{YEARLY_FACTS:,} a year",
             f"{total:,} activity facts at {GROWTH[-1]}×, made in {seeded:.0f} s")]


async def _pile_facts(pool: Any, year: int) -> None:
    """A year of activity facts over the demo areas, and the pre-aggregates the consumer
    keeps of them (as `bench_indicators` makes them)."""
    await pool.execute(
        """INSERT INTO activity_event_facts (activity_event_id, revision, status, area, venue_id,
                                             kind, starts_at, ends_at, organiser_id, topics)
           SELECT gen_random_uuid(), 1,
                  CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'published' END,
                  (ARRAY(SELECT code FROM areas))[1 + g % 11],
                  ('00000000-0000-0000-0000-' || lpad((g % 200)::text, 12, '0'))::uuid,
                  'kind_' || (g % 10), t, t + interval '2 hours',
                  ('00000000-0000-0000-0001-' || lpad((g % 3000)::text, 12, '0'))::uuid,
                  ARRAY['music']
           FROM generate_series(1, $1) AS g,
                LATERAL (SELECT make_timestamptz($2, 1, 1, 0, 0, 0, 'Europe/Helsinki')
                                + (g % 525000) * interval '1 minute' AS t) AS at""",
        YEARLY_FACTS, year)
    await pool.execute(
        """INSERT INTO area_month_activity (area, month, kind, venue, published_events,
                                           cancelled_events, planned_hours)
           SELECT area, date_trunc('month', starts_at AT TIME ZONE 'Europe/Helsinki')::date,
                  kind, venue_id::text, count(*) FILTER (WHERE status = 'published'),
                  count(*) FILTER (WHERE status = 'cancelled'),
                  2 * count(*) FILTER (WHERE status = 'published')
           FROM activity_event_facts
           WHERE starts_at >= make_timestamptz($1, 1, 1, 0, 0, 0, 'Europe/Helsinki')
             AND starts_at < make_timestamptz($1 + 1, 1, 1, 0, 0, 0, 'Europe/Helsinki')
           GROUP BY 1, 2, 3, 4""", year)
    await pool.execute(
        """INSERT INTO area_month_organisers (area, month, organiser_id, events)
           SELECT area, date_trunc('month', starts_at AT TIME ZONE 'Europe/Helsinki')::date,
                  organiser_id, count(*) FROM activity_event_facts
           WHERE status = 'published'
             AND starts_at >= make_timestamptz($1, 1, 1, 0, 0, 0, 'Europe/Helsinki')
             AND starts_at < make_timestamptz($1 + 1, 1, 1, 0, 0, 0, 'Europe/Helsinki')
           GROUP BY 1, 2, 3""", year)
    await pool.execute("ANALYZE")


async def bench_growth(env: dict[str, str]) -> Rows:
    return [*await bench_booking_growth(env), *await bench_indicator_growth(env),
            *await bench_events_growth(env)]
