"""The demo loader goes through the use cases: Kuopio's libraries once, however often it runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.booking.demo import LIBRARIES, demo_id, load_demo
from services.booking.store import BookingStore
from shared.clock import FixedClock
from shared.db import create_pool
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
        # Registered, then its hours: two events per library, nothing more on a second run.
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 2 * len(LIBRARIES)
    finally:
        await pool.close()
