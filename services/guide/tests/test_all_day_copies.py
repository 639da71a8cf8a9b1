"""Migration 007 on a database as the code before migration 006 left it: the copies of
whole-day activities (midnight to midnight in Helsinki, or to 23.59) become all-day, so the
guide says "koko päivä" / "hela dagen" / "all day" for them at once rather than "0.00–23.59"
until the event's next revision; timed copies stay timed."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

import asyncpg
import pytest

from services.guide import domain
from services.guide.store import GuideStore
from shared.clock import HELSINKI
from shared.db import init_connection
from tests.infra import Infra, database_before

pytestmark = pytest.mark.infra

MARKS = 7


def _at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=HELSINKI)


#: Each copy: its start and end (Helsinki time), and whether it is all-day after 007.
COPIES: dict[str, tuple[datetime, datetime, bool]] = {
    "one day, midnight to midnight": (_at(12, 11), _at(12, 12), True),
    "one day, to 23.59": (_at(12, 11), _at(12, 11, 23, 59), True),
    "one day, to 23.59.59": (_at(12, 11), _at(12, 11, 23, 59, 59), True),
    "three days": (_at(12, 12), _at(12, 15), True),
    "two days, to 23.59": (_at(12, 12), _at(12, 13, 23, 59), True),
    # Summer time: midnight in Helsinki is 21.00 UTC the day before.
    "summer day": (_at(7, 4), _at(7, 5), True),
    "timed": (_at(12, 11, 10), _at(12, 11, 12), False),
    "from midnight, timed": (_at(12, 11), _at(12, 11, 2), False),
    "to midnight, timed": (_at(12, 11, 18), _at(12, 12), False),
    "night over midnight": (_at(12, 11, 22), _at(12, 12, 23, 59), False),
    "midnight UTC, 2.00 in Helsinki": (datetime.fromisoformat("2026-12-11T00:00:00+00:00"),
                                       datetime.fromisoformat("2026-12-12T00:00:00+00:00"),
                                       False),
}


async def _copy(conn: asyncpg.Connection, starts: datetime, ends: datetime) -> UUID:
    event_id = uuid4()
    await conn.execute(
        """INSERT INTO activities (event_id, revision, status, name, starts_at, ends_at,
                                   kind, free)
           VALUES ($1, 1, 'published', $2, $3, $4, 'open_guided', true)""",
        event_id, {"fi": "Joulumyyjäiset", "sv": "Julmarknad", "en": "Christmas fair"},
        starts, ends)
    return event_id


async def test_whole_day_copies_from_before_006_become_all_day(infra: Infra) -> None:
    async with database_before(infra, "guide", MARKS) as (conn, marks):
        await init_connection(conn)
        ids = {what: await _copy(conn, starts, ends)
               for what, (starts, ends, _) in COPIES.items()}
        # One the events' revision already told all-day (after 006) stays so.
        told = await _copy(conn, _at(12, 11, 10), _at(12, 11, 16))
        await conn.execute("UPDATE activities SET all_day = true WHERE event_id = $1", told)

        await conn.execute(marks)

        marked = {r["event_id"]: r["all_day"]
                  for r in await conn.fetch("SELECT event_id, all_day FROM activities")}
        assert {what: marked[ids[what]] for what in COPIES} == {
            what: all_day for what, (_, _, all_day) in COPIES.items()}
        assert marked[told] is True

        # The guide reads the copy as all-day and says it by its date, not its clock.
        activities = await GuideStore(conn).find_activities(
            language="fi", starts=_at(12, 11), ends=_at(12, 12), areas=None, audience=None,
            topics=None, free=None, keywords=None)
        fair = next(a for a in activities if a.event_id == ids["one day, to 23.59"])
        assert fair.all_day
        today = _at(12, 1).date()
        for asked, said in (("Mitä tapahtuu 11.12.?", "pe 11.12. koko päivä"),
                            ("Vad händer 11.12.?", "fre 11 dec. hela dagen"),
                            ("What is on 11.12.?", "Fri 11 Dec all day")):
            question = domain.understand(asked, today)
            assert question.period is not None
            text = domain.answer_events(question, [fair], {}, question.period,
                                        domain.Links(), today=today).text
            assert said in text and "23" not in text, text
        # Run again (a second start), nothing changes.
        await conn.execute(marks)
        assert {r["event_id"]: r["all_day"] for r in await conn.fetch(
            "SELECT event_id, all_day FROM activities")} == marked

