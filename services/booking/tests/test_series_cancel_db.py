"""Cancelling a series cancels the times its question showed, on the real PostgreSQL: the
confirmed cancel reads the series' times locked in its own transaction and compares them
with the version the page carried, so a change the desk commits while the cancel waits for
its locks (a time moved, here) is seen, and nothing is cancelled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import pytest

from services.booking import domain, usecases
from services.booking.store import BookingStore
from services.booking.tests.test_accessibility_db import _library, _start
from services.booking.tests.test_usecases import MAIJA, details
from services.booking.usecases import organiser as my
from shared.clock import SYSTEM_CLOCK
from shared.errors import Conflict

pytestmark = pytest.mark.db


async def _waiting_for_a_lock(pool: asyncpg.Pool) -> None:
    """Until some statement of this database waits for a lock another transaction holds."""
    for _ in range(500):
        if await pool.fetchval("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a"
                               " ON a.pid = l.pid WHERE NOT l.granted"
                               " AND a.datname = current_database()"):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the cancel never waited for the desk's lock")


async def test_a_move_committed_while_the_cancel_waits_is_seen_and_nothing_cancelled(
        pool: asyncpg.Pool) -> None:
    uow, _, space = await _library(pool, max_open_requests=10)
    start = _start(3)
    held = await usecases.hold_slot(uow, SYSTEM_CLOCK, MAIJA, usecases.HoldCommand(
        space.id, start, start + timedelta(hours=1)))
    series = await my.submit_my_series(uow, SYSTEM_CLOCK, MAIJA, held.id, details(),
                                       my.Repeat(count=3))
    shown = await my.my_series_to_cancel(uow, SYSTEM_CLOCK, MAIJA, series.series_id, None)
    assert [b.id for b in shown] == [b.id for b in series.created]
    seen = domain.series_version(shown)
    moved = shown[1]
    later = (moved.starts_at + timedelta(hours=2), moved.ends_at + timedelta(hours=2))

    # The desk moves the second time in a transaction of its own, still open when the
    # organiser's confirmed cancel begins: the cancel waits for the row, then reads it moved.
    async with pool.acquire() as conn:
        desk = conn.transaction()
        await desk.start()
        await BookingStore(conn).move_booking(
            moved.id, starts_at=later[0], ends_at=later[1], hours_kind="staffed", price=None,
            invoice_reference=None, access_code=None, leaves=[space.id],
            claim=later, actor="desk", reason=None, at=SYSTEM_CLOCK.now())
        cancel = asyncio.create_task(my.cancel_my_series(
            uow, SYSTEM_CLOCK, MAIJA, series.series_id, None, seen=seen))
        await _waiting_for_a_lock(pool)
        assert not cancel.done()
        await desk.commit()
    with pytest.raises(Conflict) as refused:
        await cancel
    now = await my.my_series_to_cancel(uow, SYSTEM_CLOCK, MAIJA, series.series_id, None)
    assert refused.value.details["code"] == "series_changed"
    assert refused.value.details["version"] == domain.series_version(now) != seen
    rows = await pool.fetch("SELECT id, status, lower(during) AS starts FROM bookings"
                            " WHERE series_id = $1 ORDER BY lower(during)", series.series_id)
    assert [r["status"] for r in rows] == ["requested"] * 3  # nothing cancelled
    assert next(r["starts"] for r in rows if r["id"] == moved.id) == later[0]

    # Confirmed again as now shown: exactly those go.
    cancelled = await my.cancel_my_series(uow, SYSTEM_CLOCK, MAIJA, series.series_id, None,
                                          seen=refused.value.details["version"])
    assert sorted(b.id for b in cancelled) == sorted(b.id for b in shown)
    assert await pool.fetchval("SELECT count(*) FROM bookings WHERE series_id = $1"
                               " AND status = 'cancelled'", series.series_id) == 3
