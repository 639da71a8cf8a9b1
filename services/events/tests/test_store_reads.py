"""Public reads of the events store on the real PostgreSQL, written for a city's years of
activities (issue #20): the calendar's area choices by a skip scan, and lists that gather a
few matches before sorting them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import store as event_store
from services.events import usecases
from services.events.store import EventStore
from shared.clock import FixedClock
from shared.db import create_pool
from shared.identity import Principal
from shared.uow import PgUnitOfWork

ORGANISER = Principal(subject="kerho", roles=frozenset({"organiser"}), name="Kerho")
STAFF = Principal(subject="viestinta", roles=frozenset({"communications"}), name="Viestintä")


async def test_area_choices_are_public_events_and_venues_areas(fresh_database) -> None:
    pool = await create_pool(await fresh_database("events"), 1, 2)
    try:
        clock = FixedClock(datetime(2026, 12, 1, 10, tzinfo=UTC))
        start = datetime(2026, 12, 10, 16, tzinfo=UTC)

        async def event(area: str, publish: bool) -> None:
            fields: dict[str, Any] = {
                "name": {"fi": f"Kerho {area}"}, "place_kind": "outdoors", "area": area,
                "place_name": {"fi": "Puisto"}, "starts_at": start,
                "ends_at": start + timedelta(hours=1)}
            row = await usecases.create_event(PgUnitOfWork(pool, EventStore), clock,
                                              ORGANISER, fields)
            if publish:
                await usecases.publish_event(PgUnitOfWork(pool, EventStore), clock, STAFF,
                                             row["id"])

        # Several events in one area, a draft alone in its own, areas on both sides of it.
        for area, publish in [("kuopio.puijonlaakso", True), ("kuopio.puijonlaakso", True),
                              ("kuopio.neulamaki", False), ("kuopio.keskusta", True),
                              ("kuopio.vehmersalmi", True)]:
            await event(area, publish)
        await pool.execute(
            """INSERT INTO venues (venue_id, name, kind, area, municipality, revision)
               VALUES ($1, $2, 'library', 'kuopio.jynkka', 'Kuopio', 1),
                      ($3, $2, 'library', 'kuopio.keskusta', 'Kuopio', 1)""",
            uuid4(), {"fi": "Kirjasto"}, uuid4())
        async with PgUnitOfWork(pool, EventStore) as uow:
            areas = await uow.store.areas()
        assert areas == ["kuopio.jynkka", "kuopio.keskusta", "kuopio.puijonlaakso",
                         "kuopio.vehmersalmi"]
    finally:
        await pool.close()


async def test_a_few_matches_page_as_many_do(fresh_database,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Gathered then sorted (few matches) or walked in start order (many): the same pages,
    in the same order, with the same total; a page past the end is empty."""
    pool = await create_pool(await fresh_database("events"), 1, 2)
    try:
        clock = FixedClock(datetime(2026, 12, 1, 10, tzinfo=UTC))
        first = datetime(2026, 12, 10, 16, tzinfo=UTC)
        for i in range(7):
            # Out of order, two at the same time: the id settles those.
            start = first + timedelta(days=(i * 3) % 5)
            row = await usecases.create_event(PgUnitOfWork(pool, EventStore), clock,
                                              ORGANISER, {
                "name": {"fi": f"Digiapu {i}"}, "place_kind": "outdoors",
                "area": "kuopio.keskusta", "place_name": {"fi": "Tori"},
                "starts_at": start, "ends_at": start + timedelta(hours=1)})
            await usecases.publish_event(PgUnitOfWork(pool, EventStore), clock, STAFF,
                                         row["id"])

        async def pages(**filters: Any) -> list[tuple[list[Any], int]]:
            found = []
            for offset in (0, 3, 6, 9):
                rows, total = await usecases.find_public_events(
                    PgUnitOfWork(pool, EventStore), filters, 3, offset)
                found.append(([(r["starts_at"], r["id"]) for r in rows], total))
            return found

        for filters in ({"q": "digiapu"}, {"start": first}, {"area": "kuopio.keskusta"}):
            gathered = await pages(**filters)
            monkeypatch.setattr(event_store, "FEW_MATCHES", 0)
            walked = await pages(**filters)
            monkeypatch.undo()
            assert gathered == walked, filters
            assert [len(ids) for ids, _ in gathered] == [3, 3, 1, 0]
            assert {total for _, total in gathered} == {7}
            ordered = [i for ids, _ in gathered for i in ids]
            assert len(set(ordered)) == 7 and ordered == sorted(ordered)
    finally:
        await pool.close()


async def test_a_searchs_constant_inputs_run_once_even_in_a_generic_plan(
        fresh_database) -> None:
    """A search's stemmed query and folded pattern are sub-selects: in the generic plan that
    PostgreSQL may take for a prepared statement, no filter or sort calls the stemmers or
    the folding with the search word for each row (issue #20: 20 ms instead of 2)."""
    from tests.plans import RecordingConnection, generic_plan, per_row_calls

    pool = await create_pool(await fresh_database("events"), 1, 2)
    try:
        async with pool.acquire() as conn:
            recording = RecordingConnection(conn)
            await EventStore(recording).list_events(  # type: ignore[arg-type]
                filters={"search": {"jynkka": ["kuopio.jynkka"]}, "start": datetime.now(UTC)},
                visibility={"statuses": ["published"]}, limit=20, offset=0)
            sql, args = recording.statement("to_tsquery")
            plan = await generic_plan(conn, sql, args)
            assert "InitPlan" in plan, plan
            assert per_row_calls(plan, "to_tsquery", "kohtaamo_fold") == [], plan
    finally:
        await pool.close()
