"""Notifications' handlers on a real database: each revision of an activity event reaches its
venue's board once, whatever the order, duplicates or envelope ids."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
import pytest_asyncio

from services.notifications import domain, handlers
from services.notifications.app import spec
from services.notifications.store import NotificationStore
from shared.consumer import EventConsumer
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPublished,
    ActivityEventUpdated,
    DomainEvent,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import create_pool
from shared.envelope import Envelope

pytestmark = pytest.mark.infra

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
AREA = "kuopio.nilsia"


@pytest_asyncio.fixture
async def pool(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(await fresh_database("notifications"))
    yield pool
    await pool.close()


def consumer(pool: asyncpg.Pool) -> EventConsumer:
    """The service's real subscriber (inbox and all), fed records by hand instead of Kafka."""
    def no_producer() -> Any:
        raise AssertionError("nothing should be dead-lettered")

    return EventConsumer(name="notifications", handlers=spec.handlers, pool=lambda: pool,
                         producer=no_producer)


async def deliver(pool: asyncpg.Pool, envelope: Envelope) -> None:
    record = SimpleNamespace(topic="events.v1", partition=0, offset=0,
                             key=envelope.kafka_key(), value=envelope.kafka_value(),
                             headers=[(k, v.encode()) for k, v in
                                      envelope.kafka_headers().items()])
    await consumer(pool).process(record)  # type: ignore[arg-type]


async def handle(pool: asyncpg.Pool, event: DomainEvent) -> Envelope:
    envelope = event.to_envelope()
    await deliver(pool, envelope)
    return envelope


def published(event_id: UUID, venue_id: UUID | None, revision: int = 1, name: str = "Kuoro",
              cls: type[Any] = ActivityEventPublished, **extra: Any) -> Any:
    return cls(event_id=event_id, revision=revision, name=LocalizedText(fi=name),
               starts_at=START, ends_at=START + timedelta(hours=2), kind="open_guided",
               venue_id=venue_id, area=AREA, **extra)


def venue(venue_id: UUID, revision: int = 1, name: str = "Nilsiän kirjasto",
          cls: type[Any] = VenueRegistered, **extra: Any) -> Any:
    return cls(venue_id=venue_id, revision=revision, name=LocalizedText(fi=name),
               kind="library", area=AREA, municipality="Kuopio", **extra)


async def items(pool: asyncpg.Pool, event_id: UUID) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT * FROM board_items WHERE activity_event_id = $1 ORDER BY board_id", event_id)
    return [dict(r) for r in rows]


async def deliveries(pool: asyncpg.Pool, event_id: UUID) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT * FROM deliveries WHERE activity_event_id = $1 ORDER BY revision", event_id)
    return [dict(r) for r in rows]


async def test_publish_gives_one_board_item_and_one_published_delivery(pool) -> None:
    event_id, venue_id = uuid4(), uuid4()
    await handle(pool, published(event_id, venue_id))

    board_id = domain.board_id_for_venue(venue_id)
    [item] = await items(pool, event_id)
    assert (item["board_id"], item["revision"], item["status"]) == (board_id, 1, "published")
    [delivery] = await deliveries(pool, event_id)
    assert delivery["channel"] == "notice_board" and delivery["target"] == str(board_id)
    assert delivery["status"] == "published" and delivery["published_at"] is not None
    assert delivery["idempotency_key"] == domain.idempotency_key(
        event_id, "notice_board", str(board_id), 1)
    # ... and metrics hears of the delivery through the outbox, once.
    sent = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1",
                            "fi.kohtaamo.notification.delivered.v1")
    assert [r["payload"]["delivery_id"] for r in sent] == [str(delivery["id"])]


async def test_the_same_event_under_another_envelope_id_is_delivered_once(pool) -> None:
    event_id, venue_id = uuid4(), uuid4()
    first = await handle(pool, published(event_id, venue_id))
    await deliver(pool, first)  # redelivered by Kafka: the inbox skips it
    await handle(pool, published(event_id, venue_id))  # re-published: a new envelope id

    assert await pool.fetchval("SELECT count(*) FROM inbox") == 2  # the handler ran twice
    assert len(await items(pool, event_id)) == 1
    assert [d["revision"] for d in await deliveries(pool, event_id)] == [1]
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_the_delivery_key_alone_keeps_a_replay_from_delivering_twice(pool) -> None:
    """Even if the event's revision record were lost, the deterministic key holds."""
    event_id, venue_id = uuid4(), uuid4()
    await handle(pool, published(event_id, venue_id))
    await pool.execute("DELETE FROM activity_events; DELETE FROM board_items")
    await handle(pool, published(event_id, venue_id))
    assert len(await items(pool, event_id)) == 1
    assert len(await deliveries(pool, event_id)) == 1


async def test_a_stale_revision_never_overwrites_a_newer_one(pool) -> None:
    event_id, venue_id = uuid4(), uuid4()
    await handle(pool, published(event_id, venue_id, 3, "Kuoro (uusi nimi)",
                                 cls=ActivityEventUpdated))
    await handle(pool, published(event_id, venue_id, 2, "Kuoro"))

    [item] = await items(pool, event_id)
    assert (item["revision"], item["name"]["fi"]) == (3, "Kuoro (uusi nimi)")
    assert [d["revision"] for d in await deliveries(pool, event_id)] == [3]

    # Venues too: an older copy of the venue does not rename its board.
    await handle(pool, venue(venue_id, 4, "Nilsiän kirjasto", cls=VenueUpdated))
    await handle(pool, venue(venue_id, 2, "Nilsiän vanha kirjasto"))
    board = await pool.fetchrow("SELECT * FROM notice_boards WHERE venue_id = $1", venue_id)
    assert (board["name"]["fi"], board["venue_revision"]) == ("Nilsiän kirjasto", 4)


async def test_cancelling_marks_the_item_and_is_a_delivery_of_its_own(pool) -> None:
    event_id, venue_id = uuid4(), uuid4()
    await handle(pool, published(event_id, venue_id, 1))
    await handle(pool, published(event_id, venue_id, 2, cls=ActivityEventCancelled,
                                 reason="sairastuminen"))

    [item] = await items(pool, event_id)
    assert (item["revision"], item["status"]) == (2, "cancelled")  # still on the board
    assert [(d["revision"], d["status"]) for d in await deliveries(pool, event_id)] == [
        (1, "published"), (2, "published")]
    # A late duplicate of the publication does not bring it back.
    await handle(pool, published(event_id, venue_id, 1))
    assert (await items(pool, event_id))[0]["status"] == "cancelled"


async def test_an_event_before_its_venue_makes_the_board_the_venue_later_names(pool) -> None:
    event_id, venue_id, space_id = uuid4(), uuid4(), uuid4()
    await handle(pool, published(event_id, venue_id, space_id=space_id))
    board = await pool.fetchrow("SELECT * FROM notice_boards WHERE venue_id = $1", venue_id)
    assert board["id"] == domain.board_id_for_venue(venue_id)
    assert (board["venue_revision"], board["area"]) == (0, AREA)
    assert board["name"] == handlers.UNNAMED_BOARD

    await handle(pool, venue(venue_id, spaces=[
        SpaceInfo(space_id=space_id, name=LocalizedText(fi="Satuhuone"))]))
    board = await pool.fetchrow("SELECT * FROM notice_boards WHERE venue_id = $1", venue_id)
    assert (board["name"]["fi"], board["venue_revision"]) == ("Nilsiän kirjasto", 1)
    assert board["spaces"] == {str(space_id): {"fi": "Satuhuone", "sv": None, "en": None}}
    assert await pool.fetchval("SELECT count(*) FROM notice_boards") == 1
    # A later activity event leaves the venue's name alone.
    await handle(pool, published(uuid4(), venue_id))
    assert (await pool.fetchval("SELECT name->>'fi' FROM notice_boards")) == "Nilsiän kirjasto"


async def test_an_event_that_moves_leaves_its_old_board(pool) -> None:
    event_id, first, second = uuid4(), uuid4(), uuid4()
    await handle(pool, published(event_id, first, 1))
    await handle(pool, published(event_id, second, 2, cls=ActivityEventUpdated))

    by_board = {i["board_id"]: (i["revision"], i["status"]) for i in await items(pool, event_id)}
    assert by_board == {domain.board_id_for_venue(first): (2, "withdrawn"),
                        domain.board_id_for_venue(second): (2, "published")}
    await handle(pool, published(event_id, first, 1))  # stale: stays off the first board
    assert {i["status"] for i in await items(pool, event_id)} == {"withdrawn", "published"}

    await handle(pool, published(event_id, None, 3, cls=ActivityEventUpdated,
                                 place_kind="online"))
    assert {i["status"] for i in await items(pool, event_id)} == {"withdrawn"}
    assert [d["revision"] for d in await deliveries(pool, event_id)] == [1, 2]


@pytest.mark.parametrize(("kept", "incoming"), [(None, 1), (1, 2), (2, 2), (3, 2)])
async def test_the_folded_revision_check_is_the_domain_rule(pool, kept, incoming) -> None:
    """The stored revision check (advance_event_for_planning) is domain.is_newer_revision, and
    reads nothing for a duplicate or a stale copy."""
    event_id = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        db = NotificationStore(conn)
        if kept is not None:
            assert await db.advance_event_for_planning(
                event_id, kept, "published", None, None, {"revision": kept}, None, "open_guided")
        applied = await db.advance_event_for_planning(
            event_id, incoming, "published", None, None, {"revision": incoming}, None,
            "open_guided")
    assert (applied is not None) == domain.is_newer_revision(kept, incoming)
    if applied is not None:
        assert applied.seen == ("new" if kept is None else "newer")
        assert (applied.boards, applied.accounts) == ([], [])
    row = await pool.fetchrow("SELECT revision, facts FROM activity_events WHERE id = $1",
                              event_id)
    assert row["revision"] == max(kept or 0, incoming)
    if applied is not None:
        assert row["facts"] == {"revision": incoming}


def _account(platform: str, **extra: Any) -> dict[str, Any]:
    return {"platform": platform, "name": f"Kirjasto {platform}", "base_url": "http://x",
            "account_ref": "", "secret_ref": "env:NONE", "languages": ["fi", "sv"],
            "areas": None, "venue_ids": None, "kinds": None, "reminder_hours": None,
            "enabled": True, **extra}


async def test_one_statement_reads_the_boards_and_accounts_as_the_separate_queries(
        pool) -> None:
    """What the handler plans with, from the statement that advances the event: the same
    boards, in the same order, as boards_for, and the enabled social accounts, typed as the
    tables' rows are."""
    venue_id, other_venue, space_id = uuid4(), uuid4(), uuid4()
    venue_board = domain.board_id_for_venue(venue_id)
    guided, everything, unguided = uuid4(), uuid4(), uuid4()
    mastodon, limited, disabled, email = uuid4(), uuid4(), uuid4(), uuid4()
    async with pool.acquire() as conn, conn.transaction():
        db = NotificationStore(conn)
        await db.ensure_board(venue_board, venue_id, AREA, {"fi": "Kirjasto"}, 2,
                                 {str(space_id): {"fi": "Satuhuone"}})
        await db.ensure_board(domain.board_id_for_venue(other_venue), other_venue,
                                 AREA, {"fi": "Toinen"}, 1)
        await db.configure_board(venue_board, ["fi"], ["open_unguided"])
        await db.create_area_board(guided, AREA, {"fi": "Ohjatut"}, ["fi"],
                                      ["open_guided"])
        await db.create_area_board(everything, AREA, {"fi": "Kaikki"}, ["fi"], None)
        await db.create_area_board(unguided, AREA, {"fi": "Ohjaamattomat"}, ["fi"],
                                      ["open_unguided"])
        await db.create_area_board(uuid4(), "kuopio.keskusta", {"fi": "Muu"}, ["fi"],
                                      None)
        await db.upsert_account(mastodon, _account("mastodon", reminder_hours=24))
        await db.upsert_account(limited, _account(
            "bluesky", areas=[AREA], venue_ids=[venue_id, other_venue], kinds=["open_guided"]))
        await db.upsert_account(disabled, _account("facebook", enabled=False))
        await db.upsert_account(email, _account("email"))

        advanced = await db.advance_event_for_planning(
            uuid4(), 1, "published", venue_id, AREA, {}, venue_board, "open_guided")
        expected_boards = [dict(b) for b in await db.boards_for(venue_board, AREA,
                                                                   "open_guided")]
        expected_accounts = sorted(
            (dict(a) for a in await db.list_accounts()
             if a["enabled"] and a["platform"] != "email"), key=lambda a: a["id"])
    assert advanced is not None and advanced.seen == "new"
    # The venue's board first, whatever kinds it shows; then the area's boards of this kind.
    assert [b["id"] for b in advanced.boards] == [venue_board, *sorted([guided, everything])]
    for got, want in zip(advanced.boards, expected_boards, strict=True):
        assert got == {k: want[k] for k in got}
    assert advanced.boards[0]["spaces"] == {str(space_id): {"fi": "Satuhuone"}}
    assert advanced.boards[0]["kinds"] == ["open_unguided"]
    assert [a["id"] for a in advanced.accounts] == sorted([mastodon, limited])
    for got, want in zip(advanced.accounts, expected_accounts, strict=True):
        assert got == {k: want[k] for k in got}
        assert set(got) >= {"id", "platform", "languages", "areas", "venue_ids", "kinds",
                            "reminder_hours", "enabled"}
    by_id = {a["id"]: a for a in advanced.accounts}
    assert by_id[limited]["venue_ids"] == [venue_id, other_venue]  # UUIDs, as the column
    assert domain.account_matches(by_id[limited], AREA, venue_id, "open_guided")
    assert not domain.account_matches(by_id[limited], AREA, uuid4(), "open_guided")
    assert by_id[mastodon]["reminder_hours"] == 24


async def test_an_event_with_no_venue_goes_on_its_areas_boards_only(pool) -> None:
    everything = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        db = NotificationStore(conn)
        await db.create_area_board(everything, AREA, {"fi": "Kaikki"}, ["fi"], None)
    event_id = uuid4()
    await handle(pool, published(event_id, None, place_kind="online"))
    assert [(i["board_id"], i["status"]) for i in await items(pool, event_id)] == [
        (everything, "published")]
    assert [d["target"] for d in await deliveries(pool, event_id)] == [str(everything)]
