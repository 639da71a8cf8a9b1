"""The booking store's hot statements on the real PostgreSQL, as their plans read them (issue
#20: a query that grows faster than the rows it returns is a bug)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import uuid4

import asyncpg
import pytest

from services.booking import usecases
from services.booking.domain import HELSINKI, Space, SpaceRules, Venue, WeeklyHours
from services.booking.store import BookingStore
from services.booking.tests.test_usecases import MATTI, VENUE, details
from shared.clock import SYSTEM_CLOCK
from shared.db import Connection
from shared.uow import PgUnitOfWork
from tests.plans import RecordingConnection, generic_plan

pytestmark = pytest.mark.db


async def test_counting_open_requests_reads_only_the_spaces_own(pool: asyncpg.Pool) -> None:
    """A request counts its organiser's open requests for its space under the organiser's
    lock. An organiser with hundreds of open requests elsewhere (a desk-heavy association)
    must not make each new request read all of them: the count's plan finds the space's open
    requests in the index, with nothing read only to be filtered away."""
    spaces = [Space(uuid4(), VENUE, {"fi": f"Huone {i}"}, SpaceRules(max_open_requests=100))
              for i in range(12)]
    uow: usecases.Uow = PgUnitOfWork(pool, BookingStore)
    assert await usecases.load_venue(
        uow, SYSTEM_CLOCK, Venue(VENUE, {"fi": "Kuopion pääkirjasto"}, "library",
                                 "kuopio.keskusta", "Kuopio", has_paid_space=False), spaces,
        [WeeklyHours(d, time(6), time(23), "staffed") for d in range(1, 8)])
    day = datetime.now(HELSINKI).date() + timedelta(days=3)
    first = datetime.combine(day, time(9), tzinfo=HELSINKI)
    await usecases.request_booking(uow, SYSTEM_CLOCK, MATTI, usecases.BookingCommand(
        spaces[0].id, first, first + timedelta(hours=1), details()))
    organiser = await pool.fetchval("SELECT id FROM organisers WHERE subject = 'matti'")
    # 40 open requests in each other space, and as many decided ones everywhere.
    await pool.execute(
        """INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during, status,
                                 cooperation, house_rules_accepted_at)
           SELECT gen_random_uuid(), s.id, $1, $2, 'x',
                  tstzrange($3::timestamptz + n * interval '1 hour',
                            $3::timestamptz + n * interval '1 hour' + interval '50 min'),
                  CASE WHEN n % 2 = 0 THEN 'requested' ELSE 'confirmed' END, true, now()
           FROM spaces s, generate_series(1, 80) AS n WHERE s.id <> $4""",
        VENUE, organiser, first + timedelta(days=30), spaces[0].id)
    await pool.execute("ANALYZE bookings")

    recorded: list[RecordingConnection] = []

    def recording_store(conn: Connection) -> BookingStore:
        recorded.append(RecordingConnection(conn))
        return BookingStore(recorded[-1])  # type: ignore[arg-type]

    second = first + timedelta(hours=2)
    booking = await usecases.request_booking(
        PgUnitOfWork(pool, recording_store), SYSTEM_CLOCK, MATTI,
        usecases.BookingCommand(spaces[0].id, second, second + timedelta(hours=1), details()))
    assert booking.status == "requested"
    sql, args = recorded[-1].statement("WITH open AS")
    async with pool.acquire() as conn:
        plan = await generic_plan(conn, sql, args)
        store = BookingStore(conn)
        assert await store.open_requests(organiser, spaces[0].id) == 2
        assert await store.open_requests(organiser, spaces[1].id) == 40
    counting = plan[plan.index("CTE open"):plan.index("CTE booking")]
    assert "bookings_open_requests" in counting, counting
    assert "Filter" not in counting, counting
