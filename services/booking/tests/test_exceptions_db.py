"""A day's exception on the real PostgreSQL (migration 011): a venue, or one of its spaces,
has one exception a day, the desk's latest word about it. The migration keeps of the rows
the old store added beside each other the one residents were told (a closure closed the
day; else the latest), the database refuses a second row, the
store puts a new one in place of the old (its reason with it) and removes one; the public
venue page's week carries each day's reason."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from services.booking import usecases
from services.booking.domain import DayException, Space, SpaceRules, Venue, WeeklyHours
from services.booking.store import BookingStore
from services.booking.tests.test_usecases import DESK, VENUE
from shared.clock import SYSTEM_CLOCK, monday_of
from shared.errors import NotFound
from shared.uow import PgUnitOfWork

pytestmark = pytest.mark.db

MIGRATION = Path(__file__).parents[1] / "migrations" / "011_one_exception_a_day.sql"


async def _library(pool: asyncpg.Pool) -> tuple[usecases.Uow, Space]:
    uow: usecases.Uow = PgUnitOfWork(pool, BookingStore)
    venue = Venue(VENUE, {"fi": "Jynkän kirjasto"}, "library", "kuopio.jynkka", "Kuopio",
                  has_paid_space=False)
    space = Space(uuid4(), VENUE, {"fi": "Ryhmätila"}, SpaceRules(), capacity=10)
    assert await usecases.load_venue(uow, SYSTEM_CLOCK, venue, [space], [
        WeeklyHours(d, time(8), time(20), "staffed") for d in range(1, 8)])
    return uow, space


def _next_week() -> date:
    return monday_of(SYSTEM_CLOCK.now().date()) + timedelta(days=9)  # a Wednesday


async def test_the_migration_keeps_each_days_latest_exception_and_refuses_a_second(
        pool: asyncpg.Pool) -> None:
    _, space = await _library(pool)
    day = _next_week()
    # As the old store left them: a closure, then the day's new hours beside it (the day
    # stayed closed: any closure closed it, here and in the guide's copy); two sets of hours
    # of the next day; a space's own exception of the first day (a scope of its own).
    await pool.execute("DROP INDEX opening_exceptions_one_a_day")
    rows = [(None, None, None, None), (time(10), time(14), "staffed", None),
            (None, None, None, space.id)]
    for opens, closes, kind, space_id in rows:
        await pool.execute(
            "INSERT INTO opening_exceptions (venue_id, space_id, day, opens, closes, kind)"
            " VALUES ($1, $2, $3, $4, $5, $6)", VENUE, space_id, day, opens, closes, kind)
    for opens in (time(9), time(12)):
        await pool.execute(
            "INSERT INTO opening_exceptions (venue_id, day, opens, closes, kind)"
            " VALUES ($1, $2, $3, $4, 'staffed')", VENUE, day + timedelta(days=1), opens,
            time(16))
    await pool.execute(MIGRATION.read_text())
    kept = await pool.fetch("SELECT space_id, day, opens FROM opening_exceptions"
                            " ORDER BY day, space_id NULLS FIRST")
    assert [(r["space_id"], r["day"], r["opens"]) for r in kept] == [
        (None, day, None), (space.id, day, None), (None, day + timedelta(days=1), time(12))]
    with pytest.raises(asyncpg.UniqueViolationError):
        await pool.execute("INSERT INTO opening_exceptions (venue_id, day) VALUES ($1, $2)",
                           VENUE, day)


async def test_a_day_added_again_is_replaced_with_its_reason_and_removed(
        pool: asyncpg.Pool) -> None:
    uow, space = await _library(pool)
    day = _next_week()
    await usecases.add_exception(uow, SYSTEM_CLOCK, DESK, VENUE, None, DayException(day),
                                 {"en": "Renovation"})
    await usecases.add_exception(uow, SYSTEM_CLOCK, DESK, VENUE, None,
                                 DayException(day, time(10), time(14), "staffed"),
                                 {"fi": "Inventaario"})
    await usecases.add_exception(uow, SYSTEM_CLOCK, DESK, VENUE, space.id, DayException(day),
                                 None)
    rows = await pool.fetch("SELECT space_id, opens, reason FROM opening_exceptions"
                            " ORDER BY space_id NULLS FIRST")
    assert [(r["space_id"], r["opens"], r["reason"]) for r in rows] == [
        (None, time(10), {"fi": "Inventaario"}), (space.id, None, None)]
    shown = await usecases.venue_week(uow, SYSTEM_CLOCK, VENUE, day)
    assert shown.reasons == {day: {"fi": "Inventaario"}}
    assert [(i.start.hour, i.end.hour) for i in shown.intervals
            if i.start.date() == day] == [(10, 14)]
    # The venue's exception removed: the space's own stays, and the day's weekly hours
    # come back for the venue.
    await usecases.remove_exception(uow, SYSTEM_CLOCK, DESK, VENUE, None, day)
    assert await pool.fetchval("SELECT count(*) FROM opening_exceptions") == 1
    week = await usecases.week_hours(uow, SYSTEM_CLOCK, VENUE, None, day)
    assert [(i.start.hour, i.end.hour) for i in week if i.start.date() == day] == [(8, 20)]
    with pytest.raises(NotFound):
        await usecases.remove_exception(uow, SYSTEM_CLOCK, DESK, VENUE, None, day)
    sent = await pool.fetch("SELECT payload FROM outbox WHERE key = $1 ORDER BY id",
                            str(VENUE))
    assert [len(p["payload"]["exceptions"]) for p in sent[-4:]] == [1, 1, 2, 1]
