"""The demo loader goes through the use cases: Kuopio's libraries once, closed on the public
holidays, however often it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.booking import usecases
from services.booking.demo import LIBRARIES, demo_id, load_demo
from services.booking.store import BookingStore
from shared.clock import FixedClock
from shared.db import create_pool
from shared.identity import Principal
from shared.uow import PgUnitOfWork

pytestmark = pytest.mark.infra


async def test_demo_libraries_load_once_with_their_hours(fresh_database) -> None:
    pool = await create_pool(await fresh_database("booking"), 1, 2)
    try:
        uow = PgUnitOfWork(pool, BookingStore)
        clock = FixedClock(datetime(2030, 1, 7, 9, tzinfo=UTC))
        assert await load_demo(uow, clock) == len(LIBRARIES)
        assert await load_demo(uow, clock) == 0
        kantti = demo_id("venue", "kantti")
        assert await pool.fetchval(
            "SELECT count(*) FROM spaces WHERE venue_id = $1", kantti) == 7
        assert await pool.fetchval(
            "SELECT count(*) FROM opening_hours WHERE venue_id = $1", kantti) == 6
        # What KANTTI lends (seed 001: games, sports equipment, season cards) is told with
        # its hours, in fi/sv/en, so the guide can answer "can I borrow …".
        lent = await pool.fetch("SELECT name->>'fi' AS fi, quantity FROM resources"
                                " WHERE venue_id = $1 ORDER BY 1", kantti)
        assert [(r["fi"], r["quantity"]) for r in lent] == [
            ("Kausikortit", 5), ("Lautapelit", 30), ("Liikuntavälineet", 20), ("Lumikengät", 8)]
        told = await pool.fetchval(
            "SELECT payload FROM outbox WHERE key = $1 AND event_type = $2", str(kantti),
            "fi.kohtaamo.venue.updated.v1")
        assert {(i["name"]["sv"], i["quantity"]) for i in told["lendables"]} == {
            ("Säsongskort", 5), ("Sällskapsspel", 30), ("Motionsredskap", 20), ("Snöskor", 8)}
        # Closed on the public holidays of this year (from today, 7 January) and the next,
        # the holiday's name as the reason; the past ones of this year left alone.
        closed = await pool.fetch("SELECT day, opens, reason FROM opening_exceptions"
                                  " WHERE venue_id = $1 ORDER BY day", kantti)
        assert len(closed) == 13 + 15 and all(r["opens"] is None for r in closed)
        assert closed[0]["day"] == date(2030, 4, 19)  # Good Friday; New Year's Day is past
        days = {r["day"]: r["reason"] for r in closed}
        assert days[date(2030, 12, 25)] == {"fi": "joulupäivä", "sv": "juldagen",
                                            "en": "Christmas Day"}
        assert date(2031, 1, 1) in days and date(2030, 1, 6) not in days
        assert await pool.fetchval("SELECT count(DISTINCT venue_id) FROM opening_exceptions"
                                   " WHERE day = '2030-12-24'") == len(LIBRARIES)
        # Registered, its hours and lendables, each year's holidays: four events per
        # library, nothing more on a second run.
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 4 * len(LIBRARIES)
        assert await pool.fetchval("SELECT count(*) FROM opening_exceptions") == 28 * len(
            LIBRARIES)
        # KANTTI's desk opens on May Day (removes its closure): the next start leaves it so.
        desk = Principal("kantti-desk", frozenset({"desk"}), frozenset({kantti}), "KANTTI")
        await usecases.remove_exception(uow, clock, desk, kantti, None, date(2030, 5, 1))
        assert await load_demo(uow, clock) == 0
        assert await pool.fetchval(
            "SELECT count(*) FROM opening_exceptions WHERE venue_id = $1 AND day = $2",
            kantti, date(2030, 5, 1)) == 0
        # A start in the next year closes the year after it, and leaves the desk's May Day
        # of 2031 (opened before the turn) open.
        await usecases.remove_exception(uow, clock, desk, kantti, None, date(2031, 5, 1))
        next_year = FixedClock(datetime(2031, 1, 7, 9, tzinfo=UTC))
        assert await load_demo(uow, next_year) == 0
        days = {r["day"] for r in await pool.fetch(
            "SELECT day FROM opening_exceptions WHERE venue_id = $1", kantti)}
        assert date(2032, 12, 25) in days and date(2032, 1, 1) in days
        assert date(2031, 5, 1) not in days and date(2031, 12, 25) in days
    finally:
        await pool.close()


async def test_libraries_loaded_before_holidays_were_closed_are_closed_on_the_next_start(
        fresh_database) -> None:
    """A database whose libraries were loaded before the loader closed holidays (none of
    them closed on Christmas Day) has them closed by the next start, once."""
    pool = await create_pool(await fresh_database("booking"), 1, 2)
    try:
        uow = PgUnitOfWork(pool, BookingStore)
        clock = FixedClock(datetime(2030, 12, 5, 9, tzinfo=UTC))
        assert await load_demo(uow, clock) == len(LIBRARIES)
        await pool.execute("DELETE FROM opening_exceptions")
        await pool.execute("DELETE FROM holiday_closings")
        assert await load_demo(uow, clock) == 0
        assert await pool.fetchval("SELECT count(DISTINCT venue_id) FROM opening_exceptions"
                                   " WHERE day = '2030-12-25' AND opens IS NULL") == len(
            LIBRARIES)
        told = await pool.fetchval("SELECT count(*) FROM outbox")
        assert await load_demo(uow, clock) == 0
        assert await pool.fetchval("SELECT count(*) FROM outbox") == told  # once
    finally:
        await pool.close()
