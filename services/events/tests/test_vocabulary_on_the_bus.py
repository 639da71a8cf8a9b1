"""The vocabulary's words travel on the bus (`vocabulary.term_set`, events.v1), on the real
PostgreSQL: staff adding or relabelling a term write its event to the outbox in the same
transaction, as its next revision; the same words again tell nobody; and the terms the
service had before it told them (the seed's) are told once at start, however many replicas
start at once. Before, no event carried the words, so the notifications service kept a
hand-made copy that a term added later was missing from."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest_asyncio

from services.events import usecases
from shared.clock import FixedClock
from shared.contracts import EVENTS_TOPIC, VocabularyTermSet
from shared.db import create_pool
from shared.identity import Principal
from tests.infra import eventually

COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))
CLOCK = FixedClock(datetime(2026, 12, 1, 10, tzinfo=UTC))


@pytest_asyncio.fixture
async def pool(fresh_database: Callable[[str], Awaitable[str]]
               ) -> AsyncIterator[asyncpg.Pool]:
    """A migrated events database that no service runs on: nothing relays its outbox, so the
    rows each use case wrote stay to be read."""
    p = await create_pool(await fresh_database("events"), 1, 6)
    try:
        yield p
    finally:
        await p.close()


async def told(pool: asyncpg.Pool, key: str | None = None) -> list[dict[str, Any]]:
    """The outbox's `vocabulary.term_set` rows (of one term's key), in the order written."""
    rows = await pool.fetch(
        """SELECT topic, key, payload FROM outbox
           WHERE event_type = $1 AND ($2::text IS NULL OR key = $2) ORDER BY id""",
        VocabularyTermSet.EVENT_TYPE, key)
    return [{"topic": r["topic"], "key": r["key"], **r["payload"]} for r in rows]


async def extend(pool: asyncpg.Pool, scheme: str, code: str, **label: Any) -> None:
    await usecases.extend_vocabulary(usecases.unit_of_work(pool), CLOCK, COMMS,
                                     usecases.VocabularyEntry(scheme, code, label))


async def test_a_new_term_and_each_relabel_are_told_once_as_the_next_revision(
        pool: asyncpg.Pool) -> None:
    await extend(pool, "topic", "board_games", fi="Lautapelit", sv="Brädspel",
                 en="Board games")
    key = "vocabulary:topic:board_games"
    assert await told(pool) == [{
        "topic": EVENTS_TOPIC, "key": key, "scheme": "topic", "code": "board_games",
        "label": {"fi": "Lautapelit", "sv": "Brädspel", "en": "Board games"}, "revision": 1,
        "retired": False}]

    # New Swedish words: revision 2, with the words as they are now.
    await extend(pool, "topic", "board_games", fi="Lautapelit", sv="Sällskapsspel",
                 en="Board games")
    # The same words again (in any order): nobody is told, no new revision.
    await extend(pool, "topic", "board_games", fi="Lautapelit", sv="Sällskapsspel",
                 en="Board games")
    await extend(pool, "topic", "board_games", en="Board games", sv="Sällskapsspel",
                 fi="Lautapelit")
    found = await told(pool, key)
    assert [(t["revision"], t["label"]["sv"]) for t in found] == [
        (1, "Brädspel"), (2, "Sällskapsspel")]
    kept = await pool.fetchrow("SELECT label, revision, announced FROM vocabulary"
                               " WHERE scheme = 'topic' AND code = 'board_games'")
    assert (kept["label"]["sv"], kept["revision"], kept["announced"]) == (
        "Sällskapsspel", 2, True)

    # A seeded term relabelled before it was ever told: told at its revision 2, and not
    # again by the start-up's announcement.
    await extend(pool, "audience", "seniors", fi="Ikäihmiset", sv="Äldre")
    assert [(t["revision"], t["label"]) for t in
            await told(pool, "vocabulary:audience:seniors")] == [
        (2, {"fi": "Ikäihmiset", "sv": "Äldre", "en": None})]
    await usecases.announce_vocabulary(usecases.unit_of_work(pool))
    assert len(await told(pool, "vocabulary:audience:seniors")) == 1
    assert len(await told(pool, key)) == 2


async def test_each_term_of_the_seed_is_told_once_however_many_replicas_start_at_once(
        pool: asyncpg.Pool) -> None:
    seeded = {(r["scheme"], r["code"]): r["label"] for r in await pool.fetch(
        "SELECT scheme, code, label FROM vocabulary WHERE NOT announced")}
    # The seed's revisions: 1, or more for a term a later migration relabelled (012).
    revisions = {(r["scheme"], r["code"]): r["revision"] for r in await pool.fetch(
        "SELECT scheme, code, revision FROM vocabulary")}
    assert revisions[("audience", "everyone")] == 2
    assert len(seeded) > 20, "the seed was not found: the test would check nothing"

    # One term is held (a row lock in a transaction of its own), so the replicas' start-ups
    # all run into it before any of them can finish: they are truly at the same time.
    async with pool.acquire() as holder:
        hold = holder.transaction()
        await hold.start()
        await holder.execute("SELECT 1 FROM vocabulary WHERE scheme = 'topic'"
                             " AND code = 'music' FOR UPDATE")
        starts = [asyncio.create_task(usecases.announce_vocabulary(usecases.unit_of_work(pool)))
                  for _ in range(3)]

        async def all_waiting() -> bool:
            return await pool.fetchval(
                """SELECT count(*) FROM pg_stat_activity
                   WHERE datname = current_database() AND wait_event_type = 'Lock'""") == 3

        await eventually(all_waiting)
        await hold.rollback()
    counts = await asyncio.gather(*starts)
    assert sum(counts) == len(seeded), counts
    # And a start after them finds nothing left to tell.
    assert await usecases.announce_vocabulary(usecases.unit_of_work(pool)) == 0

    found = await told(pool)
    assert sorted((t["scheme"], t["code"]) for t in found) == sorted(seeded)
    assert all(t["revision"] == revisions[(t["scheme"], t["code"])]
               and t["topic"] == EVENTS_TOPIC
               and t["key"] == f"vocabulary:{t['scheme']}:{t['code']}"
               and t["label"] == seeded[(t["scheme"], t["code"])] for t in found)
    assert await pool.fetchval("SELECT count(*) FROM vocabulary WHERE NOT announced") == 0


async def test_an_upgrade_tells_every_term_once_more_for_metrics_at_its_own_revision(
        pool: asyncpg.Pool) -> None:
    """Metrics began keeping the terms after its consumer group had skipped them for long:
    migration 014 has every term told once more at the next start, at the revision it has,
    so a reader that kept it already (the follow page's copy) changes nothing."""
    await usecases.announce_vocabulary(usecases.unit_of_work(pool))
    first = {t["code"]: t["revision"] for t in await told(pool) if t["scheme"] == "kind"}
    migration = Path(usecases.__file__).parent / "migrations/014_tell_the_terms_to_metrics.sql"
    await pool.execute(migration.read_text())  # as the upgrade runs it, after the first start
    again = await usecases.announce_vocabulary(usecases.unit_of_work(pool))
    terms = await pool.fetchval("SELECT count(*) FROM vocabulary")
    assert again == terms > 20
    kinds = [t for t in await told(pool) if t["scheme"] == "kind"]
    assert len(kinds) == 2 * len(first)
    assert {t["code"]: t["revision"] for t in kinds[len(first):]} == first
    assert await usecases.announce_vocabulary(usecases.unit_of_work(pool)) == 0
