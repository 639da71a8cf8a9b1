"""Cost as the data grows (issue #20): the same reads with the city's data at 1×, 10× and 100×
a year, printed with the growth factor. Past years pile up while the coming year stays a
year's worth, as in a city that has run the platform for a long time: a read about the coming
weeks returns the same rows at every size, so its time must not grow with the pile (a query
that grows faster than the rows it returns is a bug).

- booking: `first-available` over an area and `free-slots` for a week on Kuopio's demo
  libraries with a year of bookings per size (target < 50 ms p99 at 100×);
- metrics: the indicator summary of this year, and a poster's feedback link, over activity
  facts piled up to 5 million;
- events: the public reads of what is still to come, computed each time.

Every size has a database and a replica of its own, all running at once, and the sizes are
read in turns (`GROWTH_ROUNDS`), over HTTP as residents and staff read them. A read of a few
milliseconds drifts by 2× from one minute to the next on a shared machine: measured one size
after the other, that drift showed up as growth (or hid it).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

from bench.common import Rows, pct
from bench.flow import Replica, Scratch
from bench.loadgen import Client, closed_loop
from bench.reads import EVENTS, _getter, _status, seed

#: The sizes of the growth table, as multiples of a year of the city's data.
GROWTH = [int(x) for x in os.environ.get("KOHTAAMO_BENCH_GROWTH", "1,10,100").split(",")]
#: Requests at once: one measures a read's own cost, not a queue.
GROWTH_AT_ONCE = int(os.environ.get("KOHTAAMO_BENCH_GROWTH_AT_ONCE", "1"))
#: Turns over the sizes, each with a share of the reads per size.
GROWTH_ROUNDS = int(os.environ.get("KOHTAAMO_BENCH_GROWTH_ROUNDS", "4"))
#: Requests per measured read and size, over all turns.
SAMPLES = int(os.environ.get("KOHTAAMO_BENCH_GROWTH_SAMPLES", "200"))
#: Bookings a year over the demo libraries' bookable spaces (1×).
YEARLY_BOOKINGS = int(os.environ.get("KOHTAAMO_BENCH_YEARLY_BOOKINGS", "20000"))
#: Activity facts a year in metrics (1×): 100× is five million.
YEARLY_FACTS = int(os.environ.get("KOHTAAMO_BENCH_YEARLY_FACTS", "50000"))
LIMIT_MS = 50.0


@dataclass
class Size:
    """One size of the data: the replica that serves it and the path of each read."""

    replica: Replica
    paths: dict[str, str]
    #: The status a read answers with where it is not 200 (a redirect).
    statuses: dict[str, int] = field(default_factory=dict)


async def read_in_turns(sizes: list[Size]) -> tuple[dict[str, list[float]],
                                                     dict[str, list[float]]]:
    """p50 and p99 of each read per size, the sizes read in turns: each turn reads every
    size once, after a few warming reads, so the machine's drift falls on all sizes alike."""
    names = list(sizes[0].paths)
    latencies: dict[str, list[list[float]]] = {name: [[] for _ in sizes] for name in names}
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for size in sizes:
            await size.replica.ready()
            clients.append(await stack.enter_async_context(
                Client([size.replica.url], GROWTH_AT_ONCE)))
        for _ in range(GROWTH_ROUNDS):
            for name in names:
                for client, size, measured in zip(clients, sizes, latencies[name], strict=True):
                    read = _getter(size.paths[name])
                    answer = _status(size.statuses.get(name, 200))
                    await closed_loop(client, 10, read, answer)
                    _, times = await closed_loop(client, SAMPLES // GROWTH_ROUNDS, read, answer)
                    measured.extend(times)
    return ({name: [pct(t, .5) for t in per_size] for name, per_size in latencies.items()},
            {name: [pct(t, .99) for t in per_size] for name, per_size in latencies.items()})


def growth_rows(name: str, p50: list[float], p99: list[float], returned: str,
                limit_ms: float | None = None) -> Rows:
    header = " / ".join(f"{s}×" for s in GROWTH)
    growth = p50[-1] / p50[0] if p50[0] else 0.0
    note = (f"p99 {' / '.join(f'{b:.1f}' for b in p99)} ms; {growth:.1f}× from {GROWTH[0]}× "
            f"to {GROWTH[-1]}× the data, {returned}")
    # The rows returned stay the same at every size: twice the time is already a growth
    # that the pile, not the answer, causes.
    rows: Rows = [(f"{name}, p50 ms at {header}", " / ".join(f"{a:.1f}" for a in p50),
                   f"{note}; target: grows ≤ 2×", growth <= 2.0)]
    if limit_ms is not None:
        rows.append((f"  … p99 at {GROWTH[-1]}×", f"{p99[-1]:.1f} ms",
                     f"target < {limit_ms:.0f} ms", p99[-1] < limit_ms))
    return rows


async def _explain(pool: Any, what: str, query: str, *args: Any) -> None:
    """The plan of a read at the largest size, with its buffers, on stderr: a sequential scan
    or a buffer count that grew with the pile shows here before it shows in the time."""
    plan = await pool.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *args)
    print(f"[explain] {what}:", file=sys.stderr)
    for row in plan:
        print(f"[explain]   {row[0]}", file=sys.stderr)


# -- booking ------------------------------------------------------------------------------

async def _pile_bookings(pool: Any, organiser: Any, years: int) -> None:
    """A year of bookings for each of `years` years (0: the coming year from tomorrow, n: n
    years back), spread evenly over the bookable spaces (leaves: a booking of a hall claims
    its rooms), two hours each, with their claims as the use case leaves them."""
    leaves = await pool.fetch(
        """SELECT id, venue_id FROM spaces s
           WHERE NOT EXISTS (SELECT 1 FROM spaces c WHERE c.parent_id = s.id) ORDER BY id""")
    per_space = max(1, YEARLY_BOOKINGS // len(leaves))
    step = timedelta(days=365) / per_space
    tomorrow = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    for year in range(years):
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
    await pool.execute("VACUUM (ANALYZE) bookings, booking_claims")


async def bench_booking_growth(env: dict[str, str]) -> Rows:
    from services.booking.demo import load_demo
    from services.booking.store import BookingStore
    from shared.clock import SYSTEM_CLOCK
    from shared.db import create_pool
    from shared.uow import PgUnitOfWork

    scratch = Scratch(env)
    sizes: list[Size] = []
    try:
        monday = date.today() + timedelta(days=7 - date.today().weekday())
        for scale in GROWTH:
            dsn = await scratch.database("booking")
            pool = await create_pool(dsn, 1, 4)
            try:
                await load_demo(PgUnitOfWork(pool, BookingStore), SYSTEM_CLOCK)
                organiser = await pool.fetchval(
                    "INSERT INTO organisers (id, subject, name) VALUES ($1, 'bench-growth', 'G')"
                    " RETURNING id", uuid4())
                # The area with most bookable spaces, and one of its spaces (the demo's ids
                # and areas are the same in every size's database).
                chosen = await pool.fetchrow(
                    """SELECT v.area, s.id FROM spaces s JOIN venues v ON v.id = s.venue_id
                       WHERE NOT EXISTS (SELECT 1 FROM spaces c WHERE c.parent_id = s.id)
                       GROUP BY v.area, s.id ORDER BY count(*) OVER (PARTITION BY v.area) DESC,
                       s.id LIMIT 1""")
                assert chosen is not None, "the demo has bookable spaces"
                area, space = chosen
                await _pile_bookings(pool, organiser, scale)
                if scale == GROWTH[-1]:
                    total = await pool.fetchval("SELECT count(*) FROM bookings")
                    await _explain(
                        pool, "the area's claims for 30 days, at the largest size",
                        """SELECT space_id, lower(during), upper(during) FROM booking_claims
                           WHERE space_id = ANY(ARRAY(SELECT s.id FROM spaces s
                                 JOIN venues v ON v.id = s.venue_id WHERE v.area = $1))
                             AND during && tstzrange(now(), now() + interval '30 days')""",
                        area)
            finally:
                await pool.close()
            sizes.append(Size(scratch.replica("booking", dsn, scratch.prefix()), {
                f"booking GET /first-available?area={area} (60 min, 30 days)":
                    "/first-available?" + urlencode({"area": area, "minutes": 60}),
                "booking GET /spaces/{id}/free-slots for a week":
                    f"/spaces/{space}/free-slots?" + urlencode({"day": monday.isoformat(),
                                                                "days": 7}),
            }))
        p50, p99 = await read_in_turns(sizes)
    finally:
        await scratch.close()
    rows: Rows = []
    for name in p50:
        rows += growth_rows(name, p50[name], p99[name], "the same coming weeks", LIMIT_MS)
    rows.append(("(growth bookings)", f"{YEARLY_BOOKINGS:,} a year",
                 f"{total:,} bookings with their claims at {GROWTH[-1]}×"))
    return rows


# -- metrics ------------------------------------------------------------------------------

async def pile_facts(pool: Any, years: int, per_year: int = YEARLY_FACTS,
                     last_year: int | None = None) -> None:
    """`per_year` activity facts over 11 areas, 10 kinds and 200 venues for each of `years`
    years back from `last_year` (this year), with the pre-aggregates the consumer keeps of
    them (the area rollups follow from their triggers): one statement a year, the cubes
    counted from the rows it made rather than from the pile."""
    last_year = date.today().year if last_year is None else last_year
    for back in range(years):
        await pool.execute(
            """WITH made AS (
                 INSERT INTO activity_event_facts (activity_event_id, revision, status, area,
                                                   venue_id, kind, starts_at, ends_at,
                                                   organiser_id, topics)
                 SELECT gen_random_uuid(), 1,
                        CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'published' END,
                        (ARRAY(SELECT code FROM areas))[1 + g % 11],
                        ('00000000-0000-0000-0000-' || lpad((g % 200)::text, 12, '0'))::uuid,
                        'kind_' || (g % 10), t, t + interval '2 hours',
                        ('00000000-0000-0000-0001-' || lpad((g % 3000)::text, 12, '0'))::uuid,
                        ARRAY['music']
                 FROM generate_series(1, $1) AS g,
                      LATERAL (SELECT make_timestamptz($2, 1, 1, 0, 0, 0, 'Europe/Helsinki')
                                      + (g % 525600) * interval '1 minute' AS t) AS at
                 RETURNING status, area, venue_id, kind, starts_at, organiser_id),
               months AS (
                 SELECT status, area, venue_id, kind, organiser_id,
                        date_trunc('month', starts_at AT TIME ZONE 'Europe/Helsinki')::date
                          AS month
                 FROM made),
               activity AS (
                 INSERT INTO area_month_activity (area, month, kind, venue, published_events,
                                                  cancelled_events, planned_hours)
                 SELECT area, month, kind, venue_id::text,
                        count(*) FILTER (WHERE status = 'published'),
                        count(*) FILTER (WHERE status = 'cancelled'),
                        2 * count(*) FILTER (WHERE status = 'published')
                 FROM months GROUP BY 1, 2, 3, 4)
               INSERT INTO area_month_organisers (area, month, organiser_id, events)
               SELECT area, month, organiser_id, count(*) FROM months
               WHERE status = 'published' GROUP BY 1, 2, 3""",
            per_year, last_year - back, timeout=600)
    await pool.execute("VACUUM ANALYZE", timeout=3600)


async def bench_indicator_growth(env: dict[str, str]) -> Rows:
    """The indicator summary of this year, as the API answers it, and a poster's feedback
    link (an activity by the first digits of its id), with facts of past years piled up to
    100× a year (5 million at the default)."""
    from services.metrics.domain import short_code, short_code_range
    from shared.db import create_pool

    scratch = Scratch(env)
    sizes: list[Size] = []
    seeded = 0.0
    year = date.today().year
    summary = "/indicators/summary?" + urlencode({"from": f"{year}-01-01",
                                                  "to": f"{year + 1}-01-01"})
    try:
        for scale in GROWTH:
            dsn = await scratch.database("metrics")
            pool = await create_pool(dsn, 1, 4)
            try:
                t0 = time.perf_counter()
                await pile_facts(pool, scale)
                seeded += time.perf_counter() - t0
                total = await pool.fetchval("SELECT count(*) FROM activity_event_facts")
                poster = await pool.fetchval(
                    "SELECT activity_event_id FROM activity_event_facts LIMIT 1")
                if scale == GROWTH[-1]:
                    low, high = short_code_range(short_code(poster))
                    await _explain(pool, "a poster's short code, at the largest size",
                                   """SELECT activity_event_id FROM activity_event_facts
                                      WHERE activity_event_id BETWEEN $1 AND $2
                                      ORDER BY activity_event_id LIMIT 1""", low, high)
            finally:
                await pool.close()
            short_link = "metrics GET /f/{code}, a poster's feedback link"
            sizes.append(Size(scratch.replica("metrics", dsn, scratch.prefix()), {
                "metrics GET /indicators/summary of this year": summary,
                short_link: f"/f/{short_code(poster)}",
            }, {short_link: 302}))
        p50, p99 = await read_in_turns(sizes)
    finally:
        await scratch.close()
    rows: Rows = []
    for name in p50:
        rows += growth_rows(name, p50[name], p99[name], "the same answer", LIMIT_MS)
    rows.append(("(growth facts)", f"{YEARLY_FACTS:,} a year",
                 f"{total:,} activity facts at {GROWTH[-1]}×; all sizes made in "
                 f"{seeded:.0f} s"))
    return rows


# -- events -------------------------------------------------------------------------------

async def _grow(pool: Any, columns: list[str], want: int) -> None:
    """Copy the catalogue until it holds `want` activities, each copy a year further back
    (a city's past years pile up; the coming year stays a year's worth)."""
    listed = ", ".join(columns)
    copied = ", ".join(
        "gen_random_uuid()" if c == "id" else
        f"{c} - make_interval(years => $1)" if c in ("starts_at", "ends_at") else c
        for c in columns)
    years = 1
    while (have := await pool.fetchval("SELECT count(*) FROM activity_events")) < want:
        await pool.execute(
            f"""INSERT INTO activity_events ({listed})
                SELECT {copied} FROM activity_events
                WHERE starts_at >= now() - interval '1 day' LIMIT $2""",
            years, min(EVENTS, want - have))
        years += 1
    await pool.execute("VACUUM (ANALYZE) activity_events")


async def bench_events_growth(env: dict[str, str]) -> Rows:
    """The public reads computed each time (the replica keeps nothing) with the catalogue at
    1×, 10× and 100× a year of activities."""
    from shared.db import create_pool

    scratch = Scratch(env)
    sizes: list[Size] = []
    try:
        area = "kuopio.keskusta"
        # What residents and boards ask: what is still to come (the API's default, every
        # year, counts the whole past, which does grow with it).
        today = f"{date.today().isoformat()}T00:00:00+02:00"
        for scale in GROWTH:
            dsn = await scratch.database("events")
            first = (await seed(dsn, EVENTS))[0]
            pool = await create_pool(dsn, 1, 4)
            try:
                columns = [r["column_name"] for r in await pool.fetch(
                    """SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'activity_events' AND is_generated = 'NEVER'
                       ORDER BY ordinal_position""")]
                await _grow(pool, columns, EVENTS * scale)
            finally:
                await pool.close()
            replica = scratch.replica("events", dsn, scratch.prefix(),
                                      extra={"KOHTAAMO_READ_CACHE_ENTRIES": "0"})
            sizes.append(Size(replica, {
                "events GET /events?area=…&start=today&limit=50, computed": "/events?"
                    + urlencode({"area": area, "start": today, "limit": 50}),
                "events GET /events?q=digi&start=today&limit=20, computed": "/events?"
                    + urlencode({"q": "digi", "start": today, "limit": 20}),
                "events GET /calendar?area=… (HTML), computed": "/calendar?"
                    + urlencode({"area": area}),
                "events GET an event page (HTML), computed": f"/events/{first}/page",
            }))
        p50, p99 = await read_in_turns(sizes)
    finally:
        await scratch.close()
    rows: Rows = []
    for name in p50:
        rows += growth_rows(name, p50[name], p99[name], "a page of the same size")
    rows.append(("(growth catalogue)", f"{EVENTS:,} a year",
                 f"{', '.join(f'{EVENTS * s:,}' for s in GROWTH)} activities"))
    return rows


async def bench_growth(env: dict[str, str]) -> Rows:
    return [*await bench_booking_growth(env), *await bench_indicator_growth(env),
            *await bench_events_growth(env)]
