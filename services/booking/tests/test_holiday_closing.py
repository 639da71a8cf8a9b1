"""Closing a venue on a year's public holidays (`close_on_public_holidays`) on the real
PostgreSQL: each coming holiday closed with its name, a day the desk already gave its own
exception kept, nothing added the second time, one `venue.updated` for the whole change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import asyncpg
import pytest

from services.booking import usecases
from services.booking.domain import DayException, Space, SpaceRules, Venue, WeeklyHours
from services.booking.store import BookingStore
from services.booking.tests.test_usecases import DESK, OTHER_DESK, VENUE
from shared.clock import FixedClock
from shared.errors import Forbidden, Invalid
from shared.uow import PgUnitOfWork

pytestmark = pytest.mark.db

#: Midsummer Eve 2030 (Friday 21 June), noon in Helsinki.
CLOCK = FixedClock(datetime(2030, 6, 21, 9, tzinfo=UTC))
UPDATED = "fi.kohtaamo.venue.updated.v1"


async def _library(pool: asyncpg.Pool) -> usecases.Uow:
    uow: usecases.Uow = PgUnitOfWork(pool, BookingStore)
    venue = Venue(VENUE, {"fi": "Jynkän kirjasto"}, "library", "kuopio.jynkka", "Kuopio",
                  has_paid_space=False)
    space = Space(VENUE, VENUE, {"fi": "Ryhmätila"}, SpaceRules(), capacity=10)
    assert await usecases.load_venue(uow, CLOCK, venue, [space], [
        WeeklyHours(d, time(9), time(20), "staffed") for d in range(1, 8)])
    return uow


async def _updates(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = $1",
                                   UPDATED))


async def test_the_coming_holidays_close_the_desks_own_day_kept_and_once(
        pool: asyncpg.Pool) -> None:
    uow = await _library(pool)
    # The desk's own word about Christmas Eve: open 10–14.
    await usecases.add_exception(uow, CLOCK, DESK, VENUE, None,
                                 DayException(date(2030, 12, 24), time(10), time(14),
                                              "staffed"), {"fi": "Jouluaaton satutunti"})
    before = await _updates(pool)

    done = await usecases.close_on_public_holidays(uow, CLOCK, DESK, VENUE, 2030)

    # From today (Midsummer Eve) on; Easter and the spring are past and left as they are.
    assert [d for d, _ in done.added] == [
        date(2030, 6, 21), date(2030, 6, 22), date(2030, 11, 2), date(2030, 12, 6),
        date(2030, 12, 25), date(2030, 12, 26)]
    assert done.kept == [date(2030, 12, 24)]
    assert await _updates(pool) == before + 1  # one announcement, not six
    rows = await pool.fetch("SELECT day, opens, closes, reason FROM opening_exceptions"
                            " WHERE venue_id = $1 ORDER BY day", VENUE)
    shown = {r["day"]: (r["opens"], r["reason"]) for r in rows}
    assert shown[date(2030, 6, 22)] == (None, {"fi": "juhannuspäivä", "sv": "midsommardagen",
                                               "en": "Midsummer Day"})
    assert shown[date(2030, 12, 24)] == (time(10), {"fi": "Jouluaaton satutunti"})
    assert len(rows) == 7
    # What other services hear: the venue's hours of Christmas Day closed.
    told = await pool.fetchval("SELECT payload FROM outbox WHERE event_type = $1"
                               " ORDER BY id DESC LIMIT 1", UPDATED)
    assert {"day": "2030-12-25", "opens": None, "closes": None} in [
        {k: x[k] for k in ("day", "opens", "closes")} for x in told["exceptions"]]

    # Again: every day already has its exception, nothing added, nobody told.
    again = await usecases.close_on_public_holidays(uow, CLOCK, DESK, VENUE, 2030)
    assert again.added == [] and len(again.kept) == 7
    assert await _updates(pool) == before + 1

    # Next year's: all fifteen, New Year's Day to Boxing Day.
    following = await usecases.close_on_public_holidays(uow, CLOCK, DESK, VENUE, 2031)
    assert len(following.added) == 15 and following.kept == []
    assert following.added[0] == (date(2031, 1, 1), {
        "fi": "uudenvuodenpäivä", "sv": "nyårsdagen", "en": "New Year's Day"})


async def test_only_the_venues_desk_and_only_this_year_or_next(pool: asyncpg.Pool) -> None:
    uow = await _library(pool)
    before = await _updates(pool)
    with pytest.raises(Forbidden):
        await usecases.close_on_public_holidays(uow, CLOCK, OTHER_DESK, VENUE, 2030)
    for year in (2029, 2032):
        with pytest.raises(Invalid) as refused:
            await usecases.close_on_public_holidays(uow, CLOCK, DESK, VENUE, year)
        assert refused.value.details["code"] == "holiday_year"
    assert await pool.fetchval("SELECT count(*) FROM opening_exceptions") == 0
    assert await _updates(pool) == before
