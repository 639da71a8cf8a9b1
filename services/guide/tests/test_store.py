"""The guide's store on the real PostgreSQL: statements written for prepared, generic plans."""

from __future__ import annotations

from typing import Any

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
