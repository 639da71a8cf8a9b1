"""Metrics on the real database and broker: facts and aggregates stay a projection of the
event log, whatever the order, duplicates or replays."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from services.metrics.store import MetricsStore
from shared import l10n
from shared.clock import FixedClock
from shared.contracts import (
    EVENTS_TOPIC,
    ActivityEventCancelled,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingMoved,
    DomainEvent,
    LocalizedText,
    NotificationDelivered,
    VocabularyTermSet,
)
from shared.db import create_pool
from shared.kafka import make_producer
from tests.infra import Infra, bearer, eventually

if TYPE_CHECKING:
    from playwright.async_api import Browser

pytestmark = pytest.mark.infra

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
VENUE = uuid4()
TABLES = {
    "area_month_activity": "area, month, kind, venue",
    "area_month_organisers": "area, month, organiser_id",
    "area_month_topics": "area, month, topic",
    "area_month_audiences": "area, month, audience",
    "area_month_topic_activity": "area, month, topic",
    "area_month_totals": "area, month",
    "area_year_organisers": "area, year, organiser_id",
    "area_year_organiser_sets": "area, year, months",
    "scope_year_organisers": "scope, year, organiser_id",
    "scope_year_organiser_sets": "scope, year, months",
    "area_month_reach": "area, month, channel",
    "space_month_booked": "space_id, month",
}


def event_log(n: int, seed: int = 7) -> list[DomainEvent]:
    """A city's worth of changes: published, some rescheduled to the next month, some
    cancelled, most held with attendance reports (a few corrected)."""
    rng = random.Random(seed)
    organisers = [uuid4() for _ in range(5)]
    log: list[DomainEvent] = []
    for i in range(n):
        event_id = uuid4()
        start = START + timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 6))
        common: dict[str, Any] = {
            "event_id": event_id, "name": LocalizedText(fi=f"Tapahtuma {i}"),
            "kind": rng.choice(["open_guided", "open_unguided", "digital"]),
            "area": rng.choice(["kuopio.nilsia", "kuopio.pyoro", "kuopio.keskusta"]),
            "organiser_id": rng.choice(organisers), "topics": rng.sample(
                ["music", "crafts", "stories"], 2)}
        end = start + timedelta(hours=rng.choice([1, 2, 3]))
        log.append(ActivityEventPublished(**common, revision=1, starts_at=start, ends_at=end))
        fate = rng.random()
        if fate < 0.2:
            log.append(ActivityEventCancelled(**common, revision=2, starts_at=start, ends_at=end))
            continue
        if fate < 0.4:
            moved = start + timedelta(days=31)
            log.append(ActivityEventRescheduled(
                **common, revision=2, starts_at=moved, ends_at=moved + (end - start),
                previous_starts_at=start, previous_ends_at=end))
            start, end = moved, moved + (end - start)
        if rng.random() < 0.8:
            report = {"event_id": event_id, "starts_at": start, "ends_at": end,
                      "area": common["area"], "kind": common["kind"]}
            log.append(AttendanceReported(**report, report_revision=1,
                                          participants=rng.randint(3, 30),
                                          visitors=rng.randint(0, 60)))
            if rng.random() < 0.3:
                log.append(AttendanceReported(**report, report_revision=2,
                                              participants=rng.randint(3, 30),
                                              visitors=rng.randint(0, 60)))
    return log


def handler_of(event: DomainEvent) -> Any:
    if isinstance(event, AttendanceReported):
        return handlers.on_attendance
    if isinstance(event, NotificationDelivered):
        return handlers.on_delivery
    if isinstance(event, BookingConfirmed | BookingCancelled):
        return handlers.on_booking
    return handlers.on_activity_event


async def apply(pool, event) -> None:  # type: ignore[no-untyped-def]
    async with pool.acquire() as conn, conn.transaction():
        await handler_of(event)(conn, event, event.to_envelope())


async def snapshot(pool) -> dict[str, list[tuple[Any, ...]]]:  # type: ignore[no-untyped-def]
    result = {}
    for table, key in TABLES.items():
        rows = await pool.fetch(f"SELECT * FROM {table} ORDER BY {key}")
        # A cell whose numbers all went back to zero is the same as no cell.
        result[table] = [tuple(r.values()) for r in rows
                         if any(any(v) if isinstance(v, list) else v
                                for k, v in r.items() if k not in key.split(", "))]
    return result


async def test_order_and_duplicates_do_not_change_the_numbers(fresh_database) -> None:
    log = event_log(80)
    in_order = await create_pool(await fresh_database(spec.name))
    shuffled = await create_pool(await fresh_database(spec.name))
    try:
        for event in log:
            await apply(in_order, event)
        messy = log + random.Random(1).sample(log, 40)  # duplicates too
        random.Random(2).shuffle(messy)
        for event in messy:
            await apply(shuffled, event)
        expected = await snapshot(in_order)
        assert expected == await snapshot(shuffled)
        totals = await in_order.fetchrow(
            "SELECT sum(held_events) AS held, sum(participants) AS people"
            " FROM area_month_activity")
        assert totals["held"] > 0 and totals["people"] > 0
        # And the aggregate equals a recomputation from the facts.
        recomputed = await in_order.fetchrow(
            """SELECT count(*) FILTER (WHERE f.status = 'published' AND a.participants
                                       IS NOT NULL) AS held,
                      sum(a.participants) FILTER (WHERE f.status = 'published') AS people
               FROM activity_event_facts f
               LEFT JOIN attendance_facts a USING (activity_event_id)""")
        assert (totals["held"], totals["people"]) == (recomputed["held"],
                                                      recomputed["people"])
    finally:
        await in_order.close()
        await shuffled.close()


async def test_records_sharing_a_transaction_give_the_same_numbers(fresh_database) -> None:
    """The consumer may apply twenty records in one transaction: their aggregate changes are
    applied together at commit (migration 012), several of them on the same cube rows, and
    the cubes and rollups come out as with one record a transaction; nothing stays pending."""
    log: list[DomainEvent] = event_log(80, seed=11)
    rng = random.Random(14)
    spaces = [uuid4() for _ in range(3)]
    for fact in [e for e in log if isinstance(e, ActivityEventPublished)]:
        for channel in rng.sample(["notice_board", "facebook", "mastodon"], 2):
            log.append(NotificationDelivered(
                delivery_id=uuid4(), channel=channel, activity_event_id=fact.event_id,
                revision=1, area=fact.area, starts_at=fact.starts_at))
        booking = {"booking_id": uuid4(), "venue_id": VENUE, "space_id": rng.choice(spaces),
                   "starts_at": fact.starts_at, "ends_at": fact.ends_at, "title": "Kerho",
                   "organiser_id": uuid4()}
        log.append(BookingConfirmed(**booking))
        if rng.random() < 0.3:
            log.append(BookingCancelled(**booking, reason="sairaus"))
    messy = log + random.Random(12).sample(log, 40)
    random.Random(13).shuffle(messy)
    alone = await create_pool(await fresh_database(spec.name))
    together = await create_pool(await fresh_database(spec.name))
    try:
        for event in messy:
            await apply(alone, event)
        for start in range(0, len(messy), 20):
            async with together.acquire() as conn, conn.transaction():
                for event in messy[start:start + 20]:
                    await handler_of(event)(conn, event, event.to_envelope())
        expected = await snapshot(alone)
        assert all(expected[t] for t in ("area_month_activity", "area_month_totals",
                                         "area_month_reach", "space_month_booked"))
        assert await snapshot(together) == expected
        assert await together.fetchval("SELECT count(*) FROM pending_aggregate_changes") == 0
    finally:
        await alone.close()
        await together.close()


async def test_two_commits_sharing_cube_rows_wait_for_each_other_not_deadlock(
        fresh_database) -> None:
    """Two transactions of several records write the same two areas' cube rows, one listing
    them Nilsiä then Pyörö, the other the other way round. Applied together and in key
    order at commit, the second commit waits for the first; applied record by record in
    their own order, each would hold one row and wait for the other's (a deadlock, and the
    loser's records retried one by one)."""
    import asyncio

    pool = await create_pool(await fresh_database(spec.name), 1, 4)

    def published(area: str) -> ActivityEventPublished:
        return ActivityEventPublished(event_id=uuid4(), revision=1, name=LocalizedText(
            fi="Lukupiiri"), kind="open_guided", area=area, starts_at=START,
            ends_at=START + timedelta(hours=1))

    async def commit_both(conn: Any, areas: list[str]) -> None:
        async with conn.transaction():
            for area in areas:
                event = published(area)
                await handlers.on_activity_event(conn, event, event.to_envelope())

    try:
        for area in ("kuopio.nilsia", "kuopio.pyoro"):  # the rows exist: commits update them
            await apply(pool, published(area))
        async with pool.acquire() as holder, pool.acquire() as first, \
                pool.acquire() as second:
            # Hold Nilsiä's row, so that both commits are under way when it is let go.
            locked = holder.transaction()
            await locked.start()
            await holder.execute(
                "SELECT 1 FROM area_month_activity WHERE area = 'kuopio.nilsia' FOR UPDATE")
            one = asyncio.ensure_future(commit_both(first, ["kuopio.nilsia", "kuopio.pyoro"]))
            other = asyncio.ensure_future(commit_both(second, ["kuopio.pyoro",
                                                               "kuopio.nilsia"]))
            await asyncio.sleep(0.5)
            assert not one.done() and not other.done()
            await locked.rollback()
            await asyncio.wait_for(asyncio.gather(one, other), 10)
        counted = dict(await pool.fetch(
            "SELECT area, published_events FROM area_month_totals ORDER BY area"))
        assert counted == {"kuopio.nilsia": 3, "kuopio.pyoro": 3}
    finally:
        await pool.close()


async def test_one_organiser_in_two_areas_of_a_group_at_once_is_kept_by_both(
        fresh_database) -> None:
    """Two commits starting one organiser's month in two areas of a group side by side:
    the group's row counts both areas whichever commits first, so taking one area's
    activity away leaves the organiser active in the group, and taking both clears it."""
    import asyncio

    pool = await create_pool(await fresh_database(spec.name), 1, 4)
    organiser = uuid4()

    def published(area: str) -> ActivityEventPublished:
        return ActivityEventPublished(
            event_id=uuid4(), revision=1, name=LocalizedText(fi="Lukupiiri"),
            kind="open_guided", area=area, starts_at=START, ends_at=START + timedelta(hours=1),
            organiser_id=organiser)

    async def commit(conn: Any, event: ActivityEventPublished) -> None:
        async with conn.transaction():
            await handlers.on_activity_event(conn, event, event.to_envelope())

    async def group_row() -> tuple[list[int], int] | None:
        row = await pool.fetchrow(
            """SELECT month_areas, months FROM scope_year_organisers
               WHERE scope = 'city' AND organiser_id = $1""", organiser)
        return (list(row["month_areas"]), row["months"]) if row else None

    try:
        events = [published("kuopio.pyoro"), published("kuopio.keskusta")]
        async with pool.acquire() as holder, pool.acquire() as first, \
                pool.acquire() as second:
            # Hold the group's totals so that both commits are under way when it is let go.
            locked = holder.transaction()
            await locked.start()
            await holder.execute("LOCK TABLE scope_year_organisers IN EXCLUSIVE MODE")
            both = asyncio.gather(commit(first, events[0]), commit(second, events[1]))
            await asyncio.sleep(0.5)
            assert not both.done()
            await locked.rollback()
            await asyncio.wait_for(both, 10)
        december = 1 << (START.month - 1)
        assert await group_row() == ([0] * 11 + [2], december)
        async with pool.acquire() as conn:
            assert await MetricsStore(conn).organisers_together(
                start=date(2026, 12, 1), end=date(2027, 1, 1)) == {"city": 1, "kuopio": 1}

        def cancelled(event: ActivityEventPublished) -> ActivityEventCancelled:
            return ActivityEventCancelled(**{**event.model_dump(), "revision": 2})

        await apply(pool, cancelled(events[0]))
        assert await group_row() == ([0] * 11 + [1], december)
        await apply(pool, cancelled(events[1]))
        assert await group_row() == ([0] * 12, 0)
        async with pool.acquire() as conn:
            assert await MetricsStore(conn).organisers_together(
                start=date(2026, 12, 1), end=date(2027, 1, 1)) == {}
            await _scopes_equal_areas(conn)
    finally:
        await pool.close()


async def test_area_rollups_equal_their_cubes_and_answer_like_them(fresh_database) -> None:
    """The per-area rollups (migration 009) are the cubes summed up, whatever the order of
    changes, and the summary answers from them exactly what the cubes would."""
    from datetime import date

    from services.metrics.store import MetricsStore

    pool = await create_pool(await fresh_database(spec.name))
    try:
        log = event_log(80, seed=5)
        messy = log + random.Random(3).sample(log, 30)
        random.Random(4).shuffle(messy)
        for event in messy:
            await apply(pool, event)
        async with pool.acquire() as conn:
            async def rows(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(r.values()) for r in await conn.fetch(sql)]

            assert await rows(
                """SELECT area, month, published_events, cancelled_events, held_events,
                          planned_hours, realised_hours, participants, visitors
                   FROM area_month_totals ORDER BY 1, 2""") == await rows(
                """SELECT area, month, sum(published_events), sum(cancelled_events),
                          sum(held_events), sum(planned_hours), sum(realised_hours),
                          sum(participants), sum(visitors)
                   FROM area_month_activity GROUP BY 1, 2 ORDER BY 1, 2""")
            assert await rows(
                """SELECT area, year, organiser_id, months FROM area_year_organisers
                   WHERE months <> 0 ORDER BY 1, 2, 3""") == await rows(
                """SELECT area, extract(year FROM month)::int, organiser_id,
                          bit_or(1 << (extract(month FROM month)::int - 1))
                   FROM area_month_organisers WHERE events > 0 GROUP BY 1, 2, 3
                   ORDER BY 1, 2, 3""")
            assert await rows(
                """SELECT area, year, months, organisers FROM area_year_organiser_sets
                   WHERE organisers <> 0 ORDER BY 1, 2, 3""") == await rows(
                """SELECT area, year, months, count(*)::int FROM area_year_organisers
                   WHERE months <> 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
            months = [None, date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1),
                      date(2027, 4, 1)]
            counted = counted_once = 0
            for start in months:
                for end in months:
                    if start and end and end <= start:
                        continue
                    rows = await MetricsStore(conn).summary(
                        area=None, group=None, start=start, end=end, kind=None, venue=None)
                    expected = {r["area"]: (r["published"], r["organisers"])
                                for r in await conn.fetch(
                        """SELECT a.area, coalesce(sum(a.published_events), 0) AS published,
                                  (SELECT count(DISTINCT o.organiser_id)
                                   FROM area_month_organisers o
                                   WHERE o.area = a.area AND o.events > 0
                                     AND ($1::date IS NULL OR o.month >= $1)
                                     AND ($2::date IS NULL OR o.month < $2)) AS organisers
                           FROM area_month_activity a
                           WHERE ($1::date IS NULL OR a.month >= $1)
                             AND ($2::date IS NULL OR a.month < $2)
                           GROUP BY a.area""", start, end)}
                    got = {r.area: (r.published_events, r.organisers) for r in rows
                           if r.area in expected}
                    assert got == expected, (start, end)
                    counted += sum(n for _, n in got.values())
                    # The groups' and the city's: each organiser once, from the cube.
                    together = dict(await conn.fetch(
                        """SELECT s.scope, count(DISTINCT o.organiser_id)::int
                           FROM area_month_organisers o LEFT JOIN areas ar ON ar.code = o.area
                           CROSS JOIN LATERAL (VALUES ('kuopio'), (ar.area_group)) s (scope)
                           WHERE s.scope IS NOT NULL AND o.events > 0
                             AND ($1::date IS NULL OR o.month >= $1)
                             AND ($2::date IS NULL OR o.month < $2)
                           GROUP BY 1""", start, end))
                    assert await MetricsStore(conn).organisers_together(
                        start=start, end=end) == together, (start, end)
                    shared_organisers = sum(got_n for _, got_n in got.values()) - together.get(
                        "kuopio", 0)
                    counted_once += shared_organisers
            assert counted > 0
            assert counted_once > 0  # some organiser was active in two areas: counted once
            await _scopes_equal_areas(conn)
    finally:
        await pool.close()


async def _rollups_equal_cubes(conn) -> None:  # type: ignore[no-untyped-def]
    async def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r.values()) for r in await conn.fetch(sql)]

    assert await rows(
        """SELECT area, month, published_events, cancelled_events, held_events, planned_hours,
                  realised_hours, participants, visitors
           FROM area_month_totals
           WHERE (published_events, cancelled_events, held_events, planned_hours,
                  realised_hours, participants, visitors) <> (0, 0, 0, 0, 0, 0, 0)
           ORDER BY 1, 2""") == await rows(
        """SELECT * FROM (
               SELECT area, month, sum(published_events)::int AS p,
                      sum(cancelled_events)::int AS c, sum(held_events)::int AS h,
                      sum(planned_hours) AS ph, sum(realised_hours) AS rh,
                      sum(participants)::bigint AS pa, sum(visitors)::bigint AS v
               FROM area_month_activity GROUP BY 1, 2) AS s
           WHERE (p, c, h, ph, rh, pa, v) <> (0, 0, 0, 0, 0, 0, 0) ORDER BY 1, 2""")
    assert await rows(
        """SELECT area, year, organiser_id, months FROM area_year_organisers
           WHERE months <> 0 ORDER BY 1, 2, 3""") == await rows(
        """SELECT area, extract(year FROM month)::int, organiser_id,
                  bit_or(1 << (extract(month FROM month)::int - 1))
           FROM area_month_organisers WHERE events > 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    assert await rows(
        """SELECT area, year, months, organisers FROM area_year_organiser_sets
           WHERE organisers <> 0 ORDER BY 1, 2, 3""") == await rows(
        """SELECT area, year, months, count(*)::int FROM area_year_organisers
           WHERE months <> 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    await _scopes_equal_areas(conn)


async def _scopes_equal_areas(conn) -> None:  # type: ignore[no-untyped-def]
    """The area groups' and the city's organisers (migration 017) are the union of their
    areas' (an area outside the city's list is the city's only)."""
    async def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r.values()) for r in await conn.fetch(sql)]

    assert await rows(
        """SELECT scope, year, organiser_id, months FROM scope_year_organisers
           WHERE months <> 0 ORDER BY 1, 2, 3""") == await rows(
        """SELECT s.scope, o.year, o.organiser_id, bit_or(o.months)
           FROM area_year_organisers o LEFT JOIN areas ar ON ar.code = o.area
           CROSS JOIN LATERAL (VALUES ('municipality'), (ar.area_group)) AS s (scope)
           WHERE s.scope IS NOT NULL AND o.months <> 0
           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    assert await rows(
        """SELECT scope, year, months, organisers FROM scope_year_organiser_sets
           WHERE organisers <> 0 ORDER BY 1, 2, 3""") == await rows(
        """SELECT scope, year, months, count(*)::int FROM scope_year_organisers
           WHERE months <> 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")


async def test_revisions_and_attendance_move_every_aggregate_once(fresh_database) -> None:
    """One activity event through its life, each step also delivered twice or out of date:
    the cube, its rollups, the per-theme and per-audience tables and the organisers move
    exactly by the newest revision and report, and nothing is left pending."""
    from shared.contracts import VenueRegistered

    pool = await create_pool(await fresh_database(spec.name))
    venue_id, event_id, organiser = uuid4(), uuid4(), uuid4()
    end = START + timedelta(hours=2)
    moved = START + timedelta(days=31)  # into January
    common: dict[str, Any] = {"event_id": event_id, "name": LocalizedText(fi="Kuoro"),
                              "kind": "open_guided", "venue_id": venue_id, "area": None,
                              "organiser_id": organiser, "topics": ["music"],
                              "audiences": ["seniors"]}
    report: dict[str, Any] = {"event_id": event_id, "area": "kuopio.jynkka",
                              "kind": "open_guided"}
    venue = VenueRegistered(venue_id=venue_id, name=LocalizedText(fi="Jynkän kirjasto"),
                            kind="library", area="kuopio.jynkka", municipality="Kuopio")

    async def state() -> dict[str, list[tuple[Any, ...]]]:
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM pending_aggregate_changes") == 0
            await _rollups_equal_cubes(conn)
        return await snapshot(pool)

    async def cube() -> list[tuple[Any, ...]]:
        return [tuple(r.values()) for r in await pool.fetch(
            """SELECT area, month, venue, published_events, cancelled_events, held_events,
                      planned_hours, realised_hours, participants, visitors
               FROM area_month_activity
               WHERE (published_events, cancelled_events, held_events) <> (0, 0, 0)
               ORDER BY month""")]

    try:
        async with pool.acquire() as conn, conn.transaction():
            await handlers.on_venue(conn, venue, venue.to_envelope())
        december, january = START.date().replace(day=1), moved.date().replace(day=1)
        first = ActivityEventPublished(**common, revision=1, starts_at=START, ends_at=end)
        await apply(pool, first)
        published = await state()
        # Without an area of its own, the event counts in its venue's.
        assert await cube() == [("kuopio.jynkka", december, str(venue_id), 1, 0, 0,
                                 Decimal("2.00"), 0, 0, 0)]
        await apply(pool, first)  # the same revision again
        assert await state() == published

        await apply(pool, AttendanceReported(**report, report_revision=1, participants=12,
                                             visitors=30, starts_at=START, ends_at=end))
        assert await cube() == [("kuopio.jynkka", december, str(venue_id), 1, 0, 1,
                                 Decimal("2.00"), Decimal("2.00"), 12, 30)]
        held = await state()

        await apply(pool, ActivityEventRescheduled(
            **common, revision=2, starts_at=moved, ends_at=moved + timedelta(hours=2),
            previous_starts_at=START, previous_ends_at=end))
        assert await cube() == [("kuopio.jynkka", january, str(venue_id), 1, 0, 1,
                                 Decimal("2.00"), Decimal("2.00"), 12, 30)]
        rescheduled = await state()
        assert rescheduled != held
        assert rescheduled["area_month_organisers"] == [
            ("kuopio.jynkka", january, organiser, 1)]
        assert rescheduled["area_month_topic_activity"] == [
            ("kuopio.jynkka", january, "music", 1, 0, 1, Decimal("2.00"), Decimal("2.00"),
             12, 30)]
        assert rescheduled["area_month_audiences"] == [("kuopio.jynkka", january, "seniors", 1)]
        await apply(pool, first)  # a stale revision
        await apply(pool, AttendanceReported(**report, report_revision=1, participants=99,
                                             visitors=99, starts_at=START, ends_at=end))
        assert await state() == rescheduled

        await apply(pool, AttendanceReported(**report, report_revision=2, participants=15,
                                             visitors=30, starts_at=moved,
                                             ends_at=moved + timedelta(hours=2)))
        assert await cube() == [("kuopio.jynkka", january, str(venue_id), 1, 0, 1,
                                 Decimal("2.00"), Decimal("2.00"), 15, 30)]

        await apply(pool, ActivityEventCancelled(
            **common, revision=3, starts_at=moved, ends_at=moved + timedelta(hours=2)))
        assert await cube() == [("kuopio.jynkka", january, str(venue_id), 0, 1, 0,
                                 Decimal("0.00"), Decimal("0.00"), 0, 0)]
        cancelled = await state()
        assert cancelled["area_month_organisers"] == []  # a cancelled event counts no one
        assert cancelled["area_year_organisers"] == []
        assert cancelled["area_month_topics"] == []
    finally:
        await pool.close()


async def test_whole_day_and_many_day_activities_count_days_not_clock_hours(
        fresh_database) -> None:
    """A whole-day activity counts ACTIVITY_DAY_HOURS a day, one over several days at most
    that much a day: a weekend's all-day fair and a two-week exhibition were 344 activity
    hours. A change from all-day to timed takes away exactly what was counted."""
    from services.metrics.domain import ACTIVITY_DAY_HOURS

    pool = await create_pool(await fresh_database(spec.name))
    midnight = datetime(2025, 6, 13, 21, 0, tzinfo=UTC)  # Saturday 14.6. 0.00 in Kuopio
    fair, exhibition = uuid4(), uuid4()
    common: dict[str, Any] = {"name": LocalizedText(fi="Kirjamessut"), "kind": "open_guided",
                              "area": "kuopio.jynkka"}

    async def hours() -> tuple[Decimal, Decimal]:
        row = await pool.fetchrow(
            "SELECT sum(planned_hours) AS p, sum(realised_hours) AS r FROM area_month_activity")
        return row["p"], row["r"]

    try:
        await apply(pool, ActivityEventPublished(
            **common, event_id=fair, revision=1, starts_at=midnight,
            ends_at=midnight + timedelta(days=2), all_day=True))
        await apply(pool, AttendanceReported(
            event_id=fair, area="kuopio.jynkka", kind="open_guided", report_revision=1,
            participants=40, visitors=300, starts_at=midnight,
            ends_at=midnight + timedelta(days=2)))
        assert await hours() == (2 * ACTIVITY_DAY_HOURS, 2 * ACTIVITY_DAY_HOURS)
        # Ten o'clock on the first day to six on the fourteenth: at most a day's hours a day.
        opens = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
        await apply(pool, ActivityEventPublished(
            **common, event_id=exhibition, revision=1, starts_at=opens,
            ends_at=opens + timedelta(days=13, hours=8)))
        assert (await hours())[0] == 16 + 14 * ACTIVITY_DAY_HOURS
        # The fair becomes one afternoon: its two days go, its three hours come.
        afternoon = midnight + timedelta(hours=12)
        await apply(pool, ActivityEventUpdated(
            **common, event_id=fair, revision=2, starts_at=afternoon,
            ends_at=afternoon + timedelta(hours=3)))
        assert await hours() == (Decimal(3) + 14 * ACTIVITY_DAY_HOURS, Decimal(3))
    finally:
        await pool.close()


async def test_reach_counts_an_activity_once_per_target_where_the_activity_now_is(
        fresh_database) -> None:
    """Every revision shown on a board and every reminder on an account is a delivery of its
    own: reach counts the activity once per board or account, not a cancellation notice,
    and moves with the activity to its new month, whichever topic's record came first."""
    pool = await create_pool(await fresh_database(spec.name))
    event_id, early = uuid4(), uuid4()
    december = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    january = december + timedelta(days=31)
    board, account, only_cancelled = str(uuid4()), str(uuid4()), str(uuid4())
    common: dict[str, Any] = {"name": LocalizedText(fi="Kuoro"), "kind": "open_guided",
                              "area": "kuopio.jynkka"}

    def delivered(channel: str, target: str, purpose: str, revision: int = 1,
                  activity: Any = event_id, at: datetime = december) -> Any:
        return NotificationDelivered(
            delivery_id=uuid4(), activity_event_id=activity, revision=revision,
            channel=channel, area="kuopio.jynkka", starts_at=at, target=target,
            purpose=purpose)

    async def reach() -> list[tuple[Any, ...]]:
        return [tuple(r.values()) for r in await pool.fetch(
            """SELECT month, channel, deliveries FROM area_month_reach
               WHERE deliveries <> 0 ORDER BY month, channel""")]

    try:
        await apply(pool, ActivityEventPublished(**common, event_id=event_id, revision=1,
                                                 starts_at=december,
                                                 ends_at=december + timedelta(hours=2)))
        for record in (delivered("notice_board", board, "announcement"),
                       delivered("notice_board", board, "announcement", revision=2),
                       delivered("mastodon", account, "announcement"),
                       delivered("mastodon", account, "reminder"),
                       delivered("mastodon", only_cancelled, "cancellation")):
            await apply(pool, record)
        assert await reach() == [(december.date().replace(day=1), "mastodon", 1),
                                 (december.date().replace(day=1), "notice_board", 1)]
        # Rescheduled into January: its reach goes with it.
        await apply(pool, ActivityEventRescheduled(
            **common, event_id=event_id, revision=3, starts_at=january,
            ends_at=january + timedelta(hours=2), previous_starts_at=december,
            previous_ends_at=december + timedelta(hours=2)))
        assert await reach() == [(january.date().replace(day=1), "mastodon", 1),
                                 (january.date().replace(day=1), "notice_board", 1)]
        # A delivery read before its activity (another topic, another pace) is counted in
        # its own month, then in the activity's once that arrives.
        await apply(pool, delivered("notice_board", board, "announcement", activity=early,
                                    at=december))
        await apply(pool, ActivityEventPublished(**common, event_id=early, revision=1,
                                                 starts_at=january,
                                                 ends_at=january + timedelta(hours=1)))
        assert await reach() == [(january.date().replace(day=1), "mastodon", 1),
                                 (january.date().replace(day=1), "notice_board", 2)]
    finally:
        await pool.close()


async def test_a_rolled_back_handler_leaves_no_aggregates(fresh_database) -> None:
    pool = await create_pool(await fresh_database(spec.name))
    event = ActivityEventPublished(event_id=uuid4(), revision=1,
                                   name=LocalizedText(fi="Kuoro"), kind="open_guided",
                                   area="kuopio.pyoro", starts_at=START,
                                   ends_at=START + timedelta(hours=1))
    try:
        async with pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            await handlers.on_activity_event(conn, event, event.to_envelope())
            await transaction.rollback()
        assert all(rows == [] for rows in (await snapshot(pool)).values())
        assert await pool.fetchval("SELECT count(*) FROM pending_aggregate_changes") == 0
        await apply(pool, event)  # and the event still counts when it comes again
        assert await pool.fetchval("SELECT sum(published_events) FROM area_month_totals") == 1
    finally:
        await pool.close()


async def test_a_short_code_finds_its_activity_by_a_range_of_ids(fresh_database) -> None:
    """The poster's ten hex digits find the activity whose id starts with them, at both
    ends of the range, and never its neighbours' (PostgreSQL orders uuids by their bytes);
    the plan reads the primary key, not every fact."""
    from uuid import UUID

    from services.metrics.store import MetricsStore
    from tests.plans import RecordingConnection, generic_plan

    pool = await create_pool(await fresh_database(spec.name))
    ids = [UUID(h) for h in ("0123456789" + "0" * 22, "0123456789" + "f" * 22,
                             "0123456788" + "f" * 22, "012345678a" + "0" * 22)]
    try:
        await pool.executemany(
            """INSERT INTO activity_event_facts (activity_event_id, revision, status, kind,
                                                 starts_at, ends_at)
               VALUES ($1, 1, 'published', 'open_guided', $2, $2)""",
            [(i, START) for i in ids])
        async with pool.acquire() as conn:
            recording = RecordingConnection(conn)
            store = MetricsStore(recording)  # type: ignore[arg-type]
            assert await store.event_by_short_code("0123456789") == ids[0]
            await conn.execute("DELETE FROM activity_event_facts WHERE activity_event_id = $1",
                               ids[0])
            assert await store.event_by_short_code("0123456789") == ids[1]
            assert await store.event_by_short_code("0123456788") == ids[2]
            assert await store.event_by_short_code("012345678a") == ids[3]
            assert await store.event_by_short_code("012345678b") is None
            await conn.execute("SET enable_seqscan = off")  # four rows: as a city's would
            plan = await generic_plan(conn, *recording.statement("activity_event_facts"))
            assert "Index Cond" in plan and "activity_event_facts_pkey" in plan, plan
    finally:
        await pool.close()


async def test_other_writers_of_the_cubes_keep_the_rollups_equal(fresh_database) -> None:
    """Replays and backfills write the cubes with plain statements, several rows at once:
    the rollup triggers follow inserts, updates (also upserts) and deletes."""
    pool = await create_pool(await fresh_database(spec.name))
    organisers = [uuid4() for _ in range(4)]
    try:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """INSERT INTO area_month_activity (area, month, kind, venue, published_events,
                                                   cancelled_events, planned_hours)
                   SELECT a, m, k, '', 2, 1, 3.5
                   FROM unnest(ARRAY['kuopio.pyoro', 'kuopio.nilsia']) AS a,
                        unnest(ARRAY['2026-11-01', '2026-12-01']::date[]) AS m,
                        unnest(ARRAY['open_guided', 'digital']) AS k""")
            await conn.execute(
                """INSERT INTO area_month_organisers (area, month, organiser_id, events)
                   SELECT 'kuopio.pyoro', m, o, 1
                   FROM unnest($1::uuid[]) AS o,
                        unnest(ARRAY['2026-11-01', '2026-12-01', '2027-01-01']::date[]) AS m""",
                organisers)
        async with pool.acquire() as conn:
            await _rollups_equal_cubes(conn)
            await conn.execute(
                """UPDATE area_month_activity SET published_events = published_events + 3,
                          held_events = 1, participants = 7
                   WHERE kind = 'digital' AND area = 'kuopio.pyoro'""")
            await conn.execute(
                """INSERT INTO area_month_activity AS a (area, month, kind, venue,
                                                         published_events)
                   VALUES ('kuopio.pyoro', '2026-11-01', 'digital', '', 1),
                          ('kuopio.pyoro', '2026-10-01', 'digital', '', 1)
                   ON CONFLICT (area, month, kind, venue) DO UPDATE
                     SET published_events = a.published_events + EXCLUDED.published_events""")
            await conn.execute("DELETE FROM area_month_activity WHERE area = 'kuopio.nilsia'"
                               " AND month = '2026-12-01'")
            await conn.execute("UPDATE area_month_organisers SET events = events + 1")
            await conn.execute(  # an organiser gone from December, one from every month
                """UPDATE area_month_organisers SET events = 0
                   WHERE organiser_id = $1 AND month = '2026-12-01'""", organisers[0])
            await conn.execute("DELETE FROM area_month_organisers WHERE organiser_id = $1",
                               organisers[1])
            await _rollups_equal_cubes(conn)
            assert await conn.fetchval(
                """SELECT months FROM area_year_organisers
                   WHERE organiser_id = $1 AND year = 2026""", organisers[0]) == 0b0100_0000_0000
            assert await conn.fetchval(
                """SELECT months FROM area_year_organisers
                   WHERE organiser_id = $1 AND year = 2026""", organisers[1]) == 0
    finally:
        await pool.close()


async def test_replaying_the_topics_into_an_empty_database_gives_the_same_numbers(
    spawn_service, fresh_database, infra: Infra, topic_prefix: str
) -> None:
    live_db = await fresh_database(spec.name)
    await spawn_service("metrics", live_db)
    producer = make_producer(infra.kafka_bootstrap, "replay-test")
    await producer.start()
    log = event_log(60, seed=11)
    try:
        for event in log:
            envelope = event.to_envelope()
            await producer.send(topic_prefix + EVENTS_TOPIC, envelope.kafka_value(),
                                key=envelope.kafka_key(), headers=[
                                    (k, v.encode()) for k, v in envelope.kafka_headers().items()])
        await producer.flush()
    finally:
        await producer.stop()
    live = await create_pool(live_db)
    replay_db = await fresh_database(spec.name)
    replay = await create_pool(replay_db)
    try:
        handled = lambda pool: pool.fetchval("SELECT count(*) FROM inbox")  # noqa: E731
        await eventually(lambda: _equals(handled(live), len(log)), timeout=60)
        # A second consumer group reads the same topics from the start into an empty database.
        await spawn_service("metrics", replay_db, name=f"{topic_prefix}metrics-replay",
                            env={"KOHTAAMO_CONSUMER_GROUP": f"{topic_prefix}metrics-replay"})
        await eventually(lambda: _equals(handled(replay), len(log)), timeout=60)
        assert await snapshot(live) == await snapshot(replay)
    finally:
        await live.close()
        await replay.close()


async def _equals(value, expected: int) -> bool:  # type: ignore[no-untyped-def]
    return int(await value) == expected


async def test_indicators_per_area_csv_populations_and_feedback(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id, organiser = uuid4(), uuid4()
    common: dict[str, Any] = {"event_id": event_id, "name": LocalizedText(fi="Kuoro"),
                              "kind": "open_guided", "area": "kuopio.nilsia",
                              "organiser_id": organiser, "topics": ["music"],
                              "audiences": ["seniors"],
                              "starts_at": START, "ends_at": START + timedelta(hours=2)}
    await apply(pool, ActivityEventPublished(**common, revision=1))
    await apply(pool, AttendanceReported(event_id=event_id, report_revision=1, participants=12,
                                         visitors=30, starts_at=START,
                                         ends_at=START + timedelta(hours=2),
                                         area="kuopio.nilsia", kind="open_guided"))
    delivered = {"activity_event_id": event_id, "revision": 1, "area": "kuopio.nilsia",
                 "starts_at": START}
    board = NotificationDelivered(delivery_id=uuid4(), channel="notice_board", **delivered)
    for event in (board, board, NotificationDelivered(delivery_id=uuid4(), channel="facebook",
                                                      **delivered)):
        async with pool.acquire() as conn, conn.transaction():  # the board one twice
            await handlers.on_delivery(conn, event, event.to_envelope())
    analyst = bearer("analyst", subject="analyytikko")
    csv_body = "area,population,year,sample\nkuopio.nilsia,6000,2025,true\n"
    imported = await client.post("/areas/populations.csv", content=csv_body, headers=analyst)
    assert imported.status_code == 200 and imported.json() == {"updated": 1}
    bad = await client.post("/areas/populations.csv", headers=analyst,
                            content="area,population,year\nkuopio.atlantis,1,2025\n")
    assert bad.status_code == 422 and "kuopio.atlantis" in str(bad.json())
    assert (await client.post("/areas/populations.csv", content=csv_body,
                              headers=bearer("organiser"))).status_code == 403

    # While the activity goes on the page offers no form whose answers would be lost: it
    # says, in the reader's language, that feedback is given once it has ended, and when.
    client.runtime.clock = FixedClock(START + timedelta(hours=1))
    for lang, early in (("fi", "Palautetta voi antaa, kun toiminta on päättynyt"),
                        ("sv", "Respons kan ges när verksamheten har avslutats"),
                        ("en", "Feedback can be given once the activity has ended")):
        page = await client.get(f"/feedback/{event_id}", params={"lang": lang})
        ends = l10n.day_and_time(START + timedelta(hours=2), lang)
        assert page.status_code == 200 and "<form" not in page.text, lang
        assert f"{early} ({ends})." in page.text, page.text
        # The activity line: its name, a comma right after it, then when (no " , ").
        span = l10n.time_span(START, START + timedelta(hours=2), lang)
        assert f"<strong>Kuoro</strong>, {span}</p>" in page.text, page.text
    # An answer sent anyway is refused in the reader's language, its words shown back.
    early_answer = await client.post(f"/feedback/{event_id}?lang=sv", data={
        "satisfaction": "4", "wellbeing": "yes", "comment": "Bra <3"})
    assert early_answer.status_code == 409 and "text/html" in early_answer.headers[
        "content-type"]
    assert "Respons kan ges när verksamheten har avslutats" in early_answer.text
    assert "Bra &lt;3" in early_answer.text
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM feedback") == 0

    # Two residents answer the survey after the activity (#14: not before it ended); one
    # tries twice.
    client.runtime.clock = FixedClock(START + timedelta(hours=3))
    form = {"satisfaction": "5", "wellbeing": "yes", "comment": "Ihana!"}
    first = await client.post(f"/feedback/{event_id}?lang=sv", data=form)
    assert first.status_code == 201 and "Tack för din respons!" in first.text
    # The browser sends back the cookie the first answer set.
    client.cookies.set("kohtaamo_feedback", first.cookies["kohtaamo_feedback"])
    twice = await client.post(f"/feedback/{event_id}", data=form)
    assert twice.status_code == 409
    client.cookies.clear()
    other = await client.post(f"/feedback/{event_id}", data={"satisfaction": "3",
                                                             "wellbeing": "unsure"})
    assert other.status_code == 201
    assert (await client.post(f"/feedback/{event_id}", data={"satisfaction": "9",
                                                             "wellbeing": "yes"})
            ).status_code == 422
    assert (await client.get(f"/feedback/{uuid4()}")).status_code == 404
    short = await client.get(f"/f/{event_id.hex[:10]}")
    assert short.status_code == 302 and short.headers["location"] == f"/feedback/{event_id}"
    # The survey speaks the reader's language: the short link keeps the one it names, and
    # without one the form reads Accept-Language (then the language cookie, ?lang= first).
    named = await client.get(f"/f/{event_id.hex[:10]}", params={"lang": "sv"})
    assert named.headers["location"] == f"/feedback/{event_id}?lang=sv"
    swedish = await client.get(f"/feedback/{event_id}",
                               headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in swedish.text and "Ge respons" in swedish.text
    assert 'action="/feedback/' in swedish.text and '?lang=sv"' in swedish.text
    chosen = await client.get(f"/feedback/{event_id}", params={"lang": "en"},
                              headers={"Accept-Language": "sv"})
    assert '<html lang="en">' in chosen.text
    assert '<html lang="fi">' in (await client.get(f"/feedback/{event_id}")).text
    qr = await client.get(f"/feedback/{event_id}/qr.svg")
    assert qr.headers["content-type"] == "image/svg+xml"
    # A document of its own: XML with the SVG namespace, so browsers draw it (issue 17).
    import xml.etree.ElementTree as ET

    assert ET.fromstring(qr.content).tag == "{http://www.w3.org/2000/svg}svg"

    body = (await client.get("/indicators/summary", params={"area": "kuopio.nilsia"})).json()
    row = body["areas"][0]
    assert row["values"] == {
        "published_events": 1, "cancelled_events": 0, "held_events": 1, "planned_hours": 2.0,
        "realised_hours": 2.0, "participants": 12, "visitors": 30, "organisers": 1,
        "deliveries": 2, "satisfaction_mean": 4.0, "wellbeing_share": 0.5}
    assert row["reach"] == {"notice_board": 1, "facebook": 1}
    assert row["per_1000"]["participants"] == 2.0 and row["population_is_sample"] is True
    assert row["satisfaction_distribution"] == [0, 0, 1, 0, 1]
    assert row["topics"] == {"music": 1} and row["audiences"] == {"seniors": 1}
    # A topic the events service told with nothing counted for it is zeros; one neither
    # told nor counted is refused, not answered with zeros that read as no activity.
    crafts = VocabularyTermSet(scheme="topic", code="crafts", revision=1,
                               label=LocalizedText(fi="Käsityöt", sv="Hantverk", en="Crafts"))
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_vocabulary_term(conn, crafts, crafts.to_envelope())
    for topic, expected in (("music", 12), ("crafts", 0)):
        themed = (await client.get("/indicators/summary", params={
            "area": "kuopio.nilsia", "topic": topic})).json()["areas"][0]["values"]
        assert themed["participants"] == expected
    unknown = await client.get("/indicators/summary", params={"topic": "pottery"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_topic"
    assert (await client.get("/indicators/summary", params={
        "topic": "music", "kind": "open_guided"})).status_code == 422
    csv_text = (await client.get("/indicators/summary",
                                 params={"group": "rural_north", "format": "csv"})).text
    lines = csv_text.strip().splitlines()
    # The group's three areas, then its subtotal (`scope`, the last column).
    assert lines[0].startswith("area,area_group,population") and len(lines) == 5
    assert lines[4].startswith("rural_north,rural_north,")
    assert any(line.startswith("kuopio.nilsia,rural_north,6000,2025,True,1,0,1,2.0,2.0,12,30,1")
               for line in lines)
    january = (await client.get("/indicators/summary", params={
        "area": "kuopio.nilsia", "from": "2027-01-01"})).json()
    assert january["areas"][0]["values"]["published_events"] == 0
    assert (await client.get("/areas/kuopio.nowhere/summary")).status_code == 404
    assert (await client.get("/indicators/summary", params={
        "from": "2027-02-01", "to": "2027-01-01"})).status_code == 422
    definitions = (await client.get("/indicators")).json()
    assert {d["code"] for d in definitions} >= {"realised_hours", "participants", "organisers"}
    assert len((await client.get("/areas")).json()) == 11


async def test_ended_months_are_closed_once_and_corrected_by_a_new_revision(
    start_service, infra: Infra, topic_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.metrics.jobs import close_periods
    from shared.contracts import METRICS_TOPIC
    from shared.envelope import Envelope
    from tests.infra import read_topic

    # Only this test's explicit calls close months, whatever today's date is.
    monkeypatch.setenv("KOHTAAMO_METRICS_JOB_INTERVAL", "0")
    client = await start_service(spec)
    runtime = client.runtime
    event_id = uuid4()
    end = START + timedelta(hours=2)
    await apply(runtime.pool, ActivityEventPublished(
        event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
        area="kuopio.pyoro", starts_at=START, ends_at=end))
    report = {"event_id": event_id, "starts_at": START, "ends_at": end, "area": "kuopio.pyoro",
              "kind": "open_guided"}
    await apply(runtime.pool, AttendanceReported(**report, report_revision=1, participants=10,
                                                 visitors=10))
    runtime.clock = FixedClock(datetime(2027, 1, 3, tzinfo=UTC))  # December: not a week behind
    assert await close_periods(runtime) == 0
    runtime.clock.set(datetime(2027, 1, 20, tzinfo=UTC))
    assert await close_periods(runtime) == 1
    assert await close_periods(runtime) == 0  # nothing changed
    await apply(runtime.pool, AttendanceReported(**report, report_revision=2, participants=16,
                                                 visitors=10))  # a late correction
    assert await close_periods(runtime) == 1

    records = await read_topic(infra.kafka_bootstrap, topic_prefix + METRICS_TOPIC, expect=2)
    closed = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert [(e.type, e.data["month"], e.data["revision"]) for e in closed] == [
        ("fi.kohtaamo.metrics.period_closed.v1", "2026-12-01", 1),
        ("fi.kohtaamo.metrics.period_closed.v1", "2026-12-01", 2)]
    assert [e.data["areas"][0]["values"]["participants"] for e in closed] == [10, 16]


async def test_dashboard_and_yearly_report(start_service, chromium: Browser) -> None:
    from tests.infra import LOG_DIR

    client = await start_service(spec)
    pool = client.runtime.pool
    for i, area in enumerate(["kuopio.nilsia", "kuopio.pyoro", "kuopio.pyoro"]):
        event_id = uuid4()
        start = START + timedelta(days=30 * i)
        await apply(pool, ActivityEventPublished(
            event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
            area=area, starts_at=start, ends_at=start + timedelta(hours=3)))
        await apply(pool, AttendanceReported(
            event_id=event_id, report_revision=1, participants=10 * (i + 1), visitors=5,
            starts_at=start, ends_at=start + timedelta(hours=3), area=area, kind="open_guided"))
    await client.put("/areas/kuopio.pyoro/population", headers=bearer("analyst"),
                     json={"population": 4000, "year": 2025, "sample": True})

    page = await client.get("/dashboard", params={"year": 2026, "lang": "en"})
    assert page.status_code == 200
    assert page.text.count('<figure class="chart">') == 3
    assert "Realised activity hours per month 2026" in page.text
    assert "Participants per 1,000 residents" in page.text  # a population is known
    report = await client.get("/report/2026", params={"lang": "sv"})
    assert "Årsrapport för invånarverksamhet 2026" in report.text
    assert "Genomförda verksamhetstimmar" in report.text
    pdf = await client.get("/report/2026.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    # In the reader's language as the pages are, and so said to caches.
    assert pdf.headers["vary"] == "Accept-Language, Cookie"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 1500
    # The welfare report's PDF says what the page says: the rates per 1,000 residents, and a
    # population that is a sample, and of an earlier year.
    text = _pdf_text(pdf.content)
    assert re.search(r"1\s000 as\.", text), text[:2000]
    assert "esimerkkiluku" in text and "vuoden 2025" in text
    assert (await client.get("/report/1800")).status_code == 422

    view = await chromium.new_page()
    await view.set_content(page.text)
    bars = await view.locator("#trend li svg rect.up").count()
    assert bars == 12  # a column for every month
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    await view.screenshot(path=str(LOG_DIR / "dashboard.png"), full_page=True)


def _pdf_text(pdf: bytes) -> str:
    """The text a reportlab PDF draws (its page streams, ASCII85 and Flate), line by line."""
    import base64
    import zlib

    shown = []
    for found in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = found.group(1).strip()
        try:
            if raw.endswith(b"~>"):
                raw = base64.a85decode(raw[:-2])
            raw = zlib.decompress(raw)
        except (ValueError, zlib.error):
            continue  # an image or a font
        shown += re.findall(r"\((.*?)\) Tj", raw.decode("latin-1").replace("\\(", "(")
                            .replace("\\)", ")"))
    return "\n".join(shown).replace("\xa0", " ")


async def test_space_utilisation_is_booked_over_open_hours(start_service) -> None:
    from shared.contracts import OpeningHoursInfo, SpaceInfo, VenueRegistered

    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id = uuid4(), uuid4()
    venue = VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Jynkän kirjasto"), kind="library",
        area="kuopio.jynkka", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Ryhmätila"))],
        opening_hours=[OpeningHoursInfo(weekday=d, opens="12:00", closes="19:00",
                                        kind="staffed") for d in range(1, 6)],
        exceptions=[OpeningHoursInfo(day=datetime(2026, 12, 24).date())])
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_venue(conn, venue, venue.to_envelope())

    def booking(cls, booking_id, hours: int, **more):  # type: ignore[no-untyped-def]
        return cls(booking_id=booking_id, venue_id=venue_id, space_id=space_id,
                   starts_at=START, ends_at=START + timedelta(hours=hours), title="x",
                   organiser_id=uuid4(), **more)

    kept, dropped = uuid4(), uuid4()
    for event in (booking(BookingConfirmed, kept, 2), booking(BookingConfirmed, kept, 2),
                  booking(BookingConfirmed, dropped, 3),
                  booking(BookingCancelled, dropped, 3, reason="sairaus"),
                  booking(BookingConfirmed, dropped, 3)):  # a late duplicate: still released
        async with pool.acquire() as conn, conn.transaction():
            await handlers.on_booking(conn, event, event.to_envelope())
    rows = (await client.get("/indicators/utilisation", params={
        "from": "2026-12-01", "area": "kuopio.jynkka"})).json()
    assert len(rows) == 1
    # December 2026: 23 weekdays × 7 h, minus Christmas Eve: 154 open hours, 2 booked.
    assert rows[0] | {"space": None} == {
        "venue_id": str(venue_id), "area": "kuopio.jynkka", "space_id": str(space_id),
        "space": None, "booked_hours": 2.0, "bookings": 1, "open_hours": 154.0,
        "utilisation": 0.013}

    # A booking moved into January: its hours leave December with it, and cancelling it at
    # its new time takes them away from January (the stored span is what counts).
    moved = uuid4()
    january = START.replace(year=2027, month=1, day=12)
    for event in (booking(BookingConfirmed, moved, 1),
                  BookingMoved(booking_id=moved, venue_id=venue_id, space_id=space_id,
                               starts_at=january, ends_at=january + timedelta(hours=4),
                               title="x", organiser_id=uuid4(), previous_starts_at=START,
                               previous_ends_at=START + timedelta(hours=1))):
        async with pool.acquire() as conn, conn.transaction():
            await handlers.on_booking(conn, event, event.to_envelope())

    async def booked(month: str) -> tuple[float, int]:
        row = (await client.get("/indicators/utilisation", params={
            "from": month, "area": "kuopio.jynkka"})).json()[0]
        return row["booked_hours"], row["bookings"]

    assert (await booked("2026-12-01"), await booked("2027-01-01")) == ((2.0, 1), (4.0, 1))
    cancelled = BookingCancelled(booking_id=moved, venue_id=venue_id, space_id=space_id,
                                 starts_at=january, ends_at=january + timedelta(hours=4),
                                 title="x", organiser_id=uuid4(), reason="sairaus")
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_booking(conn, cancelled, cancelled.to_envelope())
    assert (await booked("2026-12-01"), await booked("2027-01-01")) == ((2.0, 1), (0.0, 0))
    assert (await client.get("/indicators/utilisation", params={
        "from": "2026-01-01", "to": "2029-01-01"})).status_code == 422

    # A venue open at weekends in self-service: a space its rules keep to staffed hours is
    # bookable on weekdays alone; one booked in self-service hours too, every day.
    staffed_only, any_hours = uuid4(), uuid4()
    nilsia = VenueRegistered(
        venue_id=uuid4(), name=LocalizedText(fi="Nilsiän kirjasto"), kind="library",
        area="kuopio.nilsia", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=staffed_only, name=LocalizedText(fi="Ryhmätila"),
                          self_service=False),
                SpaceInfo(space_id=any_hours, name=LocalizedText(fi="Pajatila"),
                          self_service=True)],
        opening_hours=[*(OpeningHoursInfo(weekday=d, opens="12:00", closes="19:00",
                                          kind="staffed") for d in range(1, 6)),
                       *(OpeningHoursInfo(weekday=d, opens="07:00", closes="21:00",
                                          kind="self_service") for d in (6, 7))])
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_venue(conn, nilsia, nilsia.to_envelope())
    hours = {r["space_id"]: r["open_hours"] for r in (await client.get(
        "/indicators/utilisation", params={"from": "2026-12-01", "area": "kuopio.nilsia"})
    ).json()}
    # December 2026: 23 weekdays × 7 h; and 8 weekend days × 14 h more.
    assert hours == {str(staffed_only): 161.0, str(any_hours): 273.0}


async def test_each_year_is_divided_by_its_own_population(
    start_service, infra: Infra, topic_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year's per-resident figures use that year's population (or the latest earlier
    one, flagged); a closed month keeps the population it was published with."""
    from services.metrics.jobs import close_periods
    from shared.contracts import METRICS_TOPIC
    from shared.envelope import Envelope
    from tests.infra import read_topic

    monkeypatch.setenv("KOHTAAMO_METRICS_JOB_INTERVAL", "0")

    client = await start_service(spec)
    runtime = client.runtime
    june = datetime(2025, 6, 10, 12, tzinfo=UTC)
    event_id = uuid4()
    report = {"event_id": event_id, "starts_at": june, "ends_at": june + timedelta(hours=2),
              "area": "kuopio.jynkka", "kind": "open_guided"}
    await apply(runtime.pool, ActivityEventPublished(
        **report, revision=1, name=LocalizedText(fi="Kuoro"), organiser_id=uuid4()))
    await apply(runtime.pool, AttendanceReported(**report, report_revision=1, participants=45,
                                                 visitors=0))
    # Migration 013 keeps the populations there were, as samples (migration 007).
    shipped = {a["code"]: a for a in (await client.get("/areas")).json()}["kuopio.jynkka"]
    assert (shipped["population"], shipped["population_year"],
            shipped["population_is_sample"]) == (7000, 2025, True)
    analyst = bearer("analyst", subject="analyytikko")
    for population, year in ((9000, 2025), (10000, 2026)):
        assert (await client.put("/areas/kuopio.jynkka/population", headers=analyst, json={
            "population": population, "year": year})).status_code == 200
    areas = {a["code"]: a for a in (await client.get("/areas")).json()}
    assert (areas["kuopio.jynkka"]["population"],
            areas["kuopio.jynkka"]["population_year"]) == (10000, 2026)

    async def jynkka(params: dict[str, str]) -> dict[str, Any]:
        body = (await client.get("/indicators/summary", params={
            "area": "kuopio.jynkka", **params})).json()
        row: dict[str, Any] = body["areas"][0]
        return row

    june_row = await jynkka({"from": "2025-06-01", "to": "2025-07-01"})
    assert (june_row["population"], june_row["population_year"]) == (9000, 2025)
    assert june_row["per_1000"]["participants"] == 5.0
    assert june_row["population_of_earlier_year"] is False
    year_row = await jynkka({"from": "2025-01-01", "to": "2026-01-01"})
    assert year_row["population"] == 9000
    # 2027 has no population yet: 2026's, flagged as such.
    later = await jynkka({"from": "2027-01-01", "to": "2027-02-01"})
    assert (later["population"], later["population_of_earlier_year"]) == (10000, True)
    # Before any population: none.
    earlier = await jynkka({"from": "2024-01-01", "to": "2024-02-01"})
    assert earlier["population"] is None and earlier["per_1000"]["participants"] is None
    page = (await client.get("/report/2025", params={"lang": "en"})).text
    assert "9,000" in page and "10,000" not in page

    runtime.clock = FixedClock(datetime(2026, 12, 3, 12, tzinfo=UTC))
    assert await close_periods(runtime) >= 1
    closed = await runtime.pool.fetch("SELECT month, revision FROM closed_periods")
    assert (await client.put("/areas/kuopio.jynkka/population", headers=analyst, json={
        "population": 10500, "year": 2026})).status_code == 200
    assert await close_periods(runtime) == 0  # the 2025 months keep their denominator
    assert await runtime.pool.fetch("SELECT month, revision FROM closed_periods") == closed
    # Nor does a correction of 2025's: June 2025 stays divided by what it was published with,
    # also when a late attendance report publishes it again.
    assert (await client.put("/areas/kuopio.jynkka/population", headers=analyst, json={
        "population": 9100, "year": 2025})).status_code == 200
    assert await close_periods(runtime) == 0
    await apply(runtime.pool, AttendanceReported(**report, report_revision=2, participants=54,
                                                 visitors=0))
    assert await close_periods(runtime) == 1
    published = await read_topic(infra.kafka_bootstrap, topic_prefix + METRICS_TOPIC,
                                 expect=len(closed) + 1)
    june = [Envelope.from_kafka(r.key, r.value, r.headers) for r in published]
    june = [e for e in june if e.data["month"] == "2025-06-01"]
    assert [(e.data["revision"], e.data["areas"][0]["population"],
             e.data["areas"][0]["per_1000"]["participants"]) for e in june] == [
        (1, 9000, 5.0), (2, 9000, 6.0)]
    # The CSV import keeps a population per area and year too.
    csv_body = "area,population,year\nkuopio.jynkka,9200,2025\nkuopio.jynkka,10600,2026\n"
    assert (await client.post("/areas/populations.csv", content=csv_body,
                              headers=analyst)).json() == {"updated": 2}
    assert (await jynkka({"from": "2025-06-01", "to": "2025-07-01"}))["population"] == 9200
    assert (await jynkka({"from": "2026-06-01", "to": "2026-07-01"}))["population"] == 10600


async def test_a_kind_or_venue_filter_leaves_out_what_it_cannot_filter(start_service) -> None:
    """Organisers, reach, topics and audiences are counted per area only: with a kind or a
    venue they are not given (and named), rather than the whole area's."""
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id, venue_id = uuid4(), uuid4()
    start = datetime(2025, 6, 10, 12, tzinfo=UTC)
    await apply(pool, ActivityEventPublished(
        event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
        area="kuopio.jynkka", organiser_id=uuid4(), topics=["music"], audiences=["seniors"],
        starts_at=start, ends_at=start + timedelta(hours=2), venue_id=venue_id))
    delivered = NotificationDelivered(delivery_id=uuid4(), channel="facebook",
                                      activity_event_id=event_id, revision=1,
                                      area="kuopio.jynkka", starts_at=start)
    await apply(pool, delivered)
    # `digital` is a kind the vocabulary told with nothing counted: its zeros (a kind no one
    # told nor counted is refused, `unknown_kind`).
    digital_kind = VocabularyTermSet(scheme="kind", code="digital", revision=1,
                                     label=LocalizedText(fi="Digituki"))
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_vocabulary_term(conn, digital_kind, digital_kind.to_envelope())
    params = {"area": "kuopio.jynkka", "from": "2025-06-01", "to": "2025-07-01"}
    whole = (await client.get("/indicators/summary", params=params)).json()
    assert whole["unavailable"] == []
    assert whole["areas"][0]["values"]["organisers"] == 1
    assert whole["areas"][0]["values"]["deliveries"] == 1
    # A venue no one told nor counted at is refused, as an unknown area is.
    unknown = await client.get("/indicators/summary", params={**params,
                                                              "venue_id": str(uuid4())})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_venue")
    for extra in ({"kind": "digital"}, {"kind": "open_guided"}, {"venue_id": str(venue_id)}):
        body = (await client.get("/indicators/summary", params={**params, **extra})).json()
        assert body["unavailable"] == ["organisers", "deliveries", "topics", "audiences",
                                       "reach"]
        row = body["areas"][0]
        assert row["values"]["organisers"] is None and row["values"]["deliveries"] is None
        assert row["per_1000"]["organisers"] is None
        assert row["topics"] == row["audiences"] == row["reach"] == {}
    digital = (await client.get("/indicators/summary",
                                params={**params, "kind": "digital"})).json()
    assert digital["areas"][0]["values"]["published_events"] == 0
    guided = (await client.get("/indicators/summary",
                               params={**params, "kind": "open_guided"})).json()
    assert guided["areas"][0]["values"]["published_events"] == 1


async def test_analysts_read_the_surveys_comments_and_age_groups(start_service) -> None:
    """What residents wrote and their age groups reach the analysts who report on target
    groups (seed 001 §4), as JSON or CSV, never the public, never who answered."""
    client = await start_service(spec)
    pool = client.runtime.pool
    june, december = datetime(2025, 6, 10, 14, 0, tzinfo=UTC), START
    ids = {}
    for when, area in ((june, "kuopio.jynkka"), (december, "kuopio.nilsia")):
        ids[area] = uuid4()
        await apply(pool, ActivityEventPublished(
            event_id=ids[area], revision=1, name=LocalizedText(fi="Kässäkerho"),
            kind="open_guided", area=area, starts_at=when, ends_at=when + timedelta(hours=2)))
    client.runtime.clock = FixedClock(START + timedelta(hours=3))
    client.cookies.clear()
    assert (await client.post(f"/feedback/{ids['kuopio.nilsia']}", data={
        "satisfaction": "4", "wellbeing": "yes", "comment": "=HYPERLINK(\"x\") kivaa",
        "age_group": "65_plus"})).status_code == 201
    client.cookies.clear()
    assert (await client.post(f"/feedback/{ids['kuopio.nilsia']}", data={
        "satisfaction": "2", "wellbeing": "no"})).status_code == 201

    analyst = bearer("analyst", subject="analyytikko")
    answers = await client.get("/feedback/answers", headers=analyst,
                               params={"from": "2026-12-01", "to": "2027-01-01"})
    assert answers.status_code == 200
    assert sorted((a["satisfaction"], a["age_group"], a["comment"], a["area"], a["month"])
                  for a in answers.json()) == [
        (2, None, None, "kuopio.nilsia", "2026-12-01"),
        (4, "65_plus", "=HYPERLINK(\"x\") kivaa", "kuopio.nilsia", "2026-12-01")]
    assert all(set(a) >= {"name", "wellbeing", "language", "answered_on"}
               and not {"browser", "sender"} & set(a) for a in answers.json())
    assert (await client.get("/feedback/answers", headers=analyst, params={
        "area": "kuopio.jynkka"})).json() == []  # nobody answered about June's
    sheet = await client.get("/feedback/answers", headers=analyst,
                             params={"format": "csv", "area": "kuopio.nilsia"})
    assert sheet.headers["content-type"].startswith("text/csv")
    assert "'=HYPERLINK" in sheet.text and "65_plus" in sheet.text  # never a formula
    assert (await client.get("/feedback/answers")).status_code == 401
    assert (await client.get("/feedback/answers",
                             headers=bearer("organiser"))).status_code == 403
    for odd in ({"limit": "0"}, {"limit": "5000"}, {"offset": "-1"},
                {"from": "2026-12-01", "to": "2026-11-01"}):
        assert (await client.get("/feedback/answers", headers=analyst,
                                 params=odd)).status_code == 422, odd


async def test_a_delivery_waits_for_its_activitys_change_in_flight(fresh_database) -> None:
    """Another topic's consumer moving the activity holds its lock: the delivery waits for
    it and so counts its reach where the activity has gone, never in the old month."""
    import asyncio

    pool = await create_pool(await fresh_database(spec.name))
    event_id = uuid4()
    december = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    january = december + timedelta(days=31)
    common: dict[str, Any] = {"event_id": event_id, "name": LocalizedText(fi="Kuoro"),
                              "kind": "open_guided", "area": "kuopio.jynkka"}
    try:
        await apply(pool, ActivityEventPublished(**common, revision=1, starts_at=december,
                                                 ends_at=december + timedelta(hours=2)))
        moved = ActivityEventRescheduled(
            **common, revision=2, starts_at=january, ends_at=january + timedelta(hours=2),
            previous_starts_at=december, previous_ends_at=december + timedelta(hours=2))
        delivery = NotificationDelivered(
            delivery_id=uuid4(), activity_event_id=event_id, revision=1,
            channel="notice_board", area="kuopio.jynkka", starts_at=december,
            target=str(uuid4()), purpose="announcement")
        async with pool.acquire() as mover:
            moving = mover.transaction()
            await moving.start()
            await handlers.on_activity_event(mover, moved, moved.to_envelope())
            counting = asyncio.create_task(apply(pool, delivery))
            await asyncio.sleep(0.3)
            assert not counting.done()  # it waits for the move to commit
            await moving.commit()
            await asyncio.wait_for(counting, 10)
        months = [r["month"] for r in await pool.fetch(
            "SELECT month FROM area_month_reach WHERE deliveries <> 0")]
        assert months == [january.date().replace(day=1)]
    finally:
        await pool.close()
