"""What residents and notice boards do most: reading. The events service's public read paths
(`GET /events` with typical filters, `/events.ics`, `/calendar`, an event page) and the
notifications service's notice board feed (`/boards/{id}/feed.json`), each in full and
revalidated with `If-None-Match` (a 304), and a mixed open-loop load (boards polling their
feeds with ETags, residents browsing and searching) at a fixed rate on one replica of each.

The baseline of a JSON read is the same rows selected with raw asyncpg and serialised to JSON
in this process: what a read costs without the service's rules, models and HTTP stack. The
services run as their own processes (`bench.flow.Replica`); the data is a year of a city's
activities made through the events service's own use cases (`KOHTAAMO_BENCH_READ_EVENTS`),
and the same activities on the libraries' boards through the notifications service's use
cases, from the very events the events service wrote to its outbox."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import NAMESPACE_URL, uuid5

import httpx

from bench.common import Rows, pct, share
from bench.flow import Scratch
from bench.loadgen import Client, Response, closed_loop, open_loop, request_bytes

#: Activities in the catalogue: about a year of Kuopio's (seed 001: some 3,000 a year).
EVENTS = int(os.environ.get("KOHTAAMO_BENCH_READ_EVENTS", "3000"))
#: Requests per measure in the closed loop.
READS = int(os.environ.get("KOHTAAMO_BENCH_READS", "1000"))
#: The mixed open-loop load: requests per second, for this many seconds.
MIX_RATE = float(os.environ.get("KOHTAAMO_BENCH_MIX_RATE", "300"))
MIX_SECONDS = float(os.environ.get("KOHTAAMO_BENCH_MIX_SECONDS", "10"))

_NS = uuid5(NAMESPACE_URL, "https://kohtaamo.example/bench/reads")
_KINDS = ("open_guided", "digital", "association_meeting", "open_unguided")
_WORDS = ("Satutunti", "Digiapu", "Lukupiiri", "Kuoroharjoitus", "Shakkikerho", "Neulekahvila",
          "Lautapeli-ilta", "Runolaulu", "Kielikahvila", "Pelikerho")


async def seed(dsn: str, n: int) -> list[str]:
    """Kuopio's libraries and `n` published activities over the coming year, made through the
    events service's use cases as communications staff would (so they go out at once)."""
    from services.events import usecases
    from shared.areas import KUOPIO_LIBRARIES
    from shared.clock import SYSTEM_CLOCK
    from shared.contracts import LocalizedText, VenueRegistered
    from shared.db import create_pool
    from shared.identity import Principal

    staff = Principal(subject="bench-comms", roles=frozenset({"communications"}),
                      name="Viestintä")
    pool = await create_pool(dsn, 1, 8)
    try:
        venues = []
        for slug, fi, sv, en, area in KUOPIO_LIBRARIES:
            venue_id = uuid5(_NS, slug)
            await usecases.record_venue(usecases.unit_of_work(pool), SYSTEM_CLOCK,
                                        VenueRegistered(
                                            venue_id=venue_id, name=LocalizedText(fi=fi, sv=sv,
                                                                                  en=en),
                                            kind="library", area=area, municipality="Kuopio"))
            venues.append(venue_id)
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=1)
        rng = random.Random(7)
        ids = []
        for i in range(n):
            begins = start + timedelta(hours=rng.randrange(0, 365 * 24))
            name = f"{_WORDS[i % len(_WORDS)]} {i}"
            made = await usecases.create_event(usecases.unit_of_work(pool), SYSTEM_CLOCK, staff, {
                "name": {"fi": name, "sv": name, "en": name},
                "short_description": {"fi": "Tervetuloa mukaan!"},
                "starts_at": begins, "ends_at": begins + timedelta(hours=2),
                "kind": _KINDS[i % len(_KINDS)], "venue_id": venues[i % len(venues)],
                "topics": ["culture"] if i % 3 == 0 else [], "languages": ["fi"],
                "free": True})
            await usecases.publish_event(usecases.unit_of_work(pool), SYSTEM_CLOCK, staff,
                                         made["id"])
            ids.append(str(made["id"]))
        return ids
    finally:
        await pool.close()


async def seed_boards(events_dsn: str, dsn: str) -> list[str]:
    """The libraries' notice boards in the notifications service's database, showing what
    `seed` published: the venues as booking announces them, and the very activity events the
    events service wrote to its outbox (no relay has sent them yet), each through the
    notifications service's own use cases, as its consumer calls them. The boards' ids."""
    from services.notifications import domain, usecases
    from services.notifications.store import NotificationStore
    from shared.areas import KUOPIO_LIBRARIES
    from shared.clock import SYSTEM_CLOCK
    from shared.contracts import ActivityEventPublished, LocalizedText, VenueRegistered
    from shared.db import create_pool
    from shared.uow import PgUnitOfWork

    events = await create_pool(events_dsn, 1, 2)
    try:
        published = [ActivityEventPublished.model_validate(row["payload"]) for row in
                     await events.fetch("SELECT payload FROM outbox WHERE event_type = $1"
                                        " ORDER BY id", ActivityEventPublished.EVENT_TYPE)]
    finally:
        await events.close()
    pool = await create_pool(dsn, 1, 8)
    try:
        boards = []
        for slug, fi, sv, en, area in KUOPIO_LIBRARIES:
            venue_id = uuid5(_NS, slug)
            await usecases.register_venue(PgUnitOfWork(pool, NotificationStore), SYSTEM_CLOCK,
                                          VenueRegistered(
                                              venue_id=venue_id,
                                              name=LocalizedText(fi=fi, sv=sv, en=en),
                                              kind="library", area=area,
                                              municipality="Kuopio"))
            boards.append(str(domain.board_id_for_venue(venue_id)))
        for event in published:
            await usecases.plan_activity_event(PgUnitOfWork(pool, NotificationStore),
                                               SYSTEM_CLOCK, event, "http://127.0.0.1:8002")
        return boards
    finally:
        await pool.close()


async def raw_feed(dsn: str, board: str) -> Callable[[], Any]:
    """The baseline of a board's feed: the board and the items its feed shows (today's and
    upcoming ones), and the notices shown now, selected with raw asyncpg and dumped to JSON."""
    from services.notifications.domain import feed_since
    from shared.db import create_pool

    pool = await create_pool(dsn, 1, 10)

    async def read() -> bytes:
        now = datetime.now(UTC)
        row = await pool.fetchrow("SELECT * FROM notice_boards WHERE id = $1", board)
        items = await pool.fetch(
            """SELECT * FROM board_items WHERE board_id = $1 AND status <> 'withdrawn'
                 AND ends_at >= $2 ORDER BY starts_at, activity_event_id""",
            board, feed_since(now))
        notices = await pool.fetch(
            """SELECT n.* FROM board_notice_boards t JOIN board_notices n ON n.id = t.notice_id
               WHERE t.board_id = $1 AND t.withdrawn_at IS NULL
                 AND n.shown_from <= $2 AND n.shown_until > $2""", board, now)
        return json.dumps({"board": dict(row or {}), "items": [dict(r) for r in items],
                           "notices": [dict(r) for r in notices]}, default=str).encode()

    read.pool = pool  # type: ignore[attr-defined]
    return read


async def raw_rate(read: Callable[[], Any]) -> tuple[float, list[float]]:
    """`read` READS times, 10 at once, after 100 to warm: (per second, ms each)."""
    try:
        for _ in range(100):
            await read()
        gate = asyncio.Semaphore(10)
        latencies: list[float] = []

        async def one() -> None:
            async with gate:
                t0 = time.perf_counter()
                await read()
                latencies.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(READS)))
        return READS / (time.perf_counter() - t0), latencies
    finally:
        await read.pool.close()  # type: ignore[attr-defined]


class Routed:
    """The mixed load's client: a board's feed goes to the notifications replica, the rest
    to the events replica (as the city's ingress routes them)."""

    def __init__(self, events: Client, boards: Client) -> None:
        self.events = events
        self.boards = boards

    async def send(self, request: bytes) -> Response:
        target = self.boards if request.startswith(b"GET /boards/") else self.events
        return await target.send(request)


#: What residents see of the catalogue, as the service's list filters it.
_PUBLIC = "status IN ('published', 'postponed', 'rescheduled', 'cancelled')"

#: `GET /events?q=…`'s match of one word ($1 the word as a prefix query, $2 the word), as the
#: events store writes it: a stem in any language, inside the folded text, or a venue's name.
_SEARCH = """(search @@ (SELECT to_tsquery('finnish', $1) || to_tsquery('swedish', $1)
                          || to_tsquery('english', $1))
              OR search_folded LIKE (SELECT '%' || kohtaamo_fold($2) || '%')
              OR EXISTS (SELECT 1 FROM venues v WHERE v.venue_id = activity_events.venue_id
                         AND v.search_folded LIKE (SELECT '%' || kohtaamo_fold($2) || '%')))"""


async def raw_json(dsn: str, where: str, args: tuple[Any, ...],
                   limit: int) -> Callable[[], Any]:
    """The baseline: the same page of events (`where` over `args`) and their count, selected
    with raw asyncpg and dumped to JSON."""
    from shared.db import create_pool

    pool = await create_pool(dsn, 1, 10)
    n = len(args)

    async def read() -> bytes:
        rows = await pool.fetch(
            f"""SELECT * FROM activity_events WHERE {where} AND {_PUBLIC}
                ORDER BY starts_at, id LIMIT ${n + 1}""", *args, limit)
        total = await pool.fetchval(
            f"SELECT count(*) FROM activity_events WHERE {where} AND {_PUBLIC}", *args)
        return json.dumps({"items": [dict(r) for r in rows], "total": total},
                          default=str).encode()

    read.pool = pool  # type: ignore[attr-defined]
    return read


def _get(path: str, etag: str | None = None) -> bytes:
    headers = {"Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    return request_bytes("GET", path, "bench", headers)


def _getter(path: str, etag: str | None = None) -> Callable[[int], bytes]:
    request = _get(path, etag)
    return lambda _: request


def _status(expected: int) -> Callable[[Response], None]:
    def check(response: Response) -> None:
        assert response.status == expected, (response.status, response.body[:300])
    return check


def _spread(values: list[float]) -> str:
    return f"p50 {pct(values, .5):.1f} ms, p99 {pct(values, .99):.1f} ms"


async def bench_reads(env: dict[str, str]) -> Rows:
    scratch = Scratch(env)
    rows: Rows = []
    try:
        dsn = await scratch.database("events")
        boards_dsn = await scratch.database("notifications")
        begun = time.perf_counter()
        ids = await seed(dsn, EVENTS)
        boards = await seed_boards(dsn, boards_dsn)
        seeded = time.perf_counter() - begun
        area = "kuopio.keskusta"
        paths = {
            "GET /events?area=…&limit=50": "/events?" + urlencode({"area": area, "limit": 50}),
            "GET /events?q=digi": "/events?" + urlencode({"q": "digi", "limit": 20}),
            "GET /events.ics?area=…": "/events.ics?" + urlencode({"area": area}),
            "GET /calendar (HTML)": "/calendar?" + urlencode({"area": area}),
            "GET an event page (HTML)": f"/events/{ids[0]}/page",
        }
        prefix = scratch.prefix()
        # And a library's board: its feed as a board's player polls it.
        feed_name = "GET a board's feed.json"
        feed_path = f"/boards/{boards[0]}/feed.json"
        served = {"events": (dsn, dict(paths)),
                  "notifications": (boards_dsn, {feed_name: feed_path})}
        paths[feed_name] = feed_path
        # Each answer computed every time (the replica keeps nothing), then kept and
        # revalidated by a replica as it runs by default: one at a time, the same cores.
        full: dict[str, float] = {}
        for service, (database, asked) in served.items():
            computing = scratch.replica(service, database, prefix,
                                        extra={"KOHTAAMO_READ_CACHE_ENTRIES": "0"})
            await computing.ready()
            async with Client([computing.url], 10) as client:
                for name, path in asked.items():
                    await closed_loop(client, 50, _getter(path), _status(200))
                    rate, latencies = await closed_loop(client, READS // 2, _getter(path),
                                                        _status(200))
                    full[name] = rate
                    rows.append((f"{name}, computed, 10 at once", f"{rate:,.0f}/s",
                                 _spread(latencies)))
            computing.stop()

        replica = scratch.replica("events", dsn, prefix)
        boards_replica = scratch.replica("notifications", boards_dsn, prefix)
        await replica.ready()
        await boards_replica.ready()
        where = {name: (boards_replica if service == "notifications" else replica).url
                 for service, (_, asked) in served.items() for name in asked}
        etags: dict[str, str | None] = {}
        board_tags: dict[str, str] = {}
        async with httpx.AsyncClient(timeout=30) as http:
            for name, path in paths.items():
                answer = await http.get(where[name] + path)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                etags[name] = answer.headers.get("etag")
            for board in boards:
                answer = await http.get(f"{boards_replica.url}/boards/{board}/feed.json")
                assert answer.status_code == 200 and answer.json()["items"], answer.text[:300]
                board_tags[board] = answer.headers["etag"]
        kept: dict[str, float] = {}
        for name, path in paths.items():
            async with Client([where[name]], 10) as client:
                await closed_loop(client, 100, _getter(path), _status(200))
                rate, latencies = await closed_loop(client, READS, _getter(path),
                                                    _status(200))
                kept[name] = rate
                rows.append((f"{name}, kept by the replica", f"{rate:,.0f}/s",
                             f"{_spread(latencies)}; {rate / full[name]:.1f}× computed"))
                etag = etags[name]
                if etag is None:
                    rows.append(("  … revalidated (If-None-Match)", "no ETag",
                                 "target 304 ≥ 5× the full answer's rate", False))
                    continue
                await closed_loop(client, 100, _getter(path, etag), _status(304))
                rate304, lat304 = await closed_loop(
                    client, READS, _getter(path, etag), _status(304))
                ratio = rate304 / full[name]
                rows.append(("  … revalidated (304)", f"{rate304:,.0f}/s",
                             f"{_spread(lat304)}; {ratio:.1f}× computed, target ≥ 5×",
                             ratio >= 5))

        # The baselines of the JSON reads, in this process, 10 at once.
        for name, read, measure in (
                ("GET /events?area=…&limit=50", await raw_json(dsn, "area = $1", (area,), 50),
                 "raw asyncpg select of the same page, as JSON"),
                ("GET /events?q=digi", await raw_json(dsn, _SEARCH, ("digi:*", "digi"), 20),
                 "raw asyncpg select of the same search's page, as JSON"),
                (feed_name, await raw_feed(boards_dsn, boards[0]),
                 "raw asyncpg select of the board and its feed's rows, as JSON")):
            raw, raw_latencies = await raw_rate(read)
            computed = full[name] / raw
            rows.append((f"{measure}, 10 at once", f"{raw:,.0f}/s", _spread(raw_latencies)))
            rows.append((f"ratio {name.removeprefix('GET ')} computed / raw select",
                         share(computed, 0.5),
                         f"target ≥ 50 %; kept: {kept[name] / raw:.0%}", computed >= 0.5))

        # The mixed load: 1,000 boards polling every 30 s with their ETags (a third of the
        # requests, the libraries' boards' feeds in turn on the notifications replica),
        # residents listing, searching and opening event pages.
        rng = random.Random(11)
        polls = [_get(f"/boards/{board}/feed.json", tag) for board, tag in board_tags.items()]
        words = ("digi", "satu", "kuoro", "shakki", "kirjasto", "luku")

        def mixed(i: int) -> bytes:
            roll = rng.random()
            if roll < 0.33:
                return polls[i % len(polls)]
            if roll < 0.55:
                return _get("/events?" + urlencode({"limit": 20, "offset": rng.randrange(5)
                                                    * 20}))
            if roll < 0.7:
                return _get("/events?" + urlencode({"q": rng.choice(words), "limit": 20}))
            if roll < 0.85:
                return _get(f"/events/{rng.choice(ids)}/page")
            return _get("/calendar")

        def ok(response: Response) -> None:
            assert response.status in (200, 304), (response.status, response.body[:300])

        async with Client([replica.url], 64) as residents, \
                Client([boards_replica.url], 32) as players:
            routed = Routed(residents, players)
            # Warmed as a replica is after its first minutes; then measured.
            await open_loop(routed, MIX_RATE, MIX_SECONDS / 2, mixed, ok)
            rate, latencies = await open_loop(routed, MIX_RATE, MIX_SECONDS, mixed, ok)
        p99 = pct(latencies, .99)
        rows.append((f"mixed public reads at a fixed {MIX_RATE:.0f}/s, 1 replica of each",
                     f"{rate:,.0f}/s", f"{_spread(latencies)}; target p99 < 50 ms",
                     p99 < 50))
        rows.append(("(catalogue)", f"{EVENTS:,} events",
                     f"made through the use cases in {seeded:.0f} s, on {len(boards)} "
                     "libraries' boards"))
    finally:
        await scratch.close()
    return rows
