"""The guide's store on the real PostgreSQL: statements written for prepared, generic plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from services.guide.store import GuideStore
from shared.db import create_pool
from tests.plans import RecordingConnection, generic_plan, per_row_calls


async def test_a_place_names_folding_runs_once_even_in_a_generic_plan(
        fresh_database: Any) -> None:
    """The resident's words are folded once per statement (a sub-select), not for every
    venue the trigram filter and the similarity order look at (issue #20)."""
    pool = await create_pool(await fresh_database("guide"), 1, 2)
    try:
        async with pool.acquire() as conn:
            recording = RecordingConnection(conn)
            await GuideStore(recording).venues_like("Jynkän kirjastoon")  # type: ignore[arg-type]
            sql, args = recording.statement("guide_fold")
            plan = await generic_plan(conn, sql, args)
            assert "InitPlan" in plan, plan
            assert per_row_calls(plan, "guide_fold") == [], plan
    finally:
        await pool.close()


async def test_an_audiences_own_activities_are_found_before_many_for_everyone(
        fresh_database: Any) -> None:
    """Asked for families' activities, the search found those for everyone too, all in
    time order under one limit: 25 for everyone earlier in the window left the families'
    own one out before the answer could list it first."""
    pool = await create_pool(await fresh_database("guide"), 1, 2)
    start = datetime(2026, 12, 7, 10, tzinfo=UTC)

    def activity(i: int, audience: str) -> dict[str, Any]:
        return {"event_id": uuid4(), "revision": 1, "status": "published",
                "name": {"fi": f"Tapahtuma {i}"}, "short_description": None,
                "starts_at": start + timedelta(hours=i),
                "ends_at": start + timedelta(hours=i, minutes=30), "kind": "other",
                "venue_id": None, "area": "kuopio.keskusta", "free": True, "topics": [],
                "audiences": [audience], "languages": ["fi"], "place_name": None,
                "registration_required": False}

    try:
        async with pool.acquire() as conn:
            store = GuideStore(conn)
            for i in range(25):
                await store.save_activity(activity(i, "everyone"))
            await store.save_activity(activity(30, "families"))
            await store.save_activity(activity(31, "seniors"))
            found = await store.find_activities(
                language="fi", starts=start, ends=start + timedelta(days=3), areas=None,
                audience="families", topics=None, free=None, keywords=None, limit=20)
            assert [a.name["fi"] for a in found][:2] == ["Tapahtuma 30", "Tapahtuma 0"]
            assert len(found) == 20 and "Tapahtuma 31" not in [a.name["fi"] for a in found]
            anyone = await store.find_activities(
                language="fi", starts=start, ends=start + timedelta(days=3), areas=None,
                audience=None, topics=None, free=None, keywords=None, limit=3)
            assert [a.name["fi"] for a in anyone] == ["Tapahtuma 0", "Tapahtuma 1",
                                                        "Tapahtuma 2"]
    finally:
        await pool.close()
