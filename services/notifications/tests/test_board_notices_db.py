"""Staff's notices on notice boards on real PostgreSQL: what migration 014 stores, and what a
board's feed.json and screen serve (ETag and all) while a notice is shown and once it is taken
off. In-process service, real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from services.notifications import usecases
from services.notifications.store import NotificationStore
from services.notifications.tests.test_board_feeds import boards_spec, kantti
from shared.clock import FixedClock
from shared.errors import Invalid
from shared.identity import Principal
from shared.uow import PgUnitOfWork
from tests.infra import eventually

pytestmark = pytest.mark.infra

COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))
CLOSED = "Kirjasto KANTTI on suljettu torstaina."
STÄNGT = "Biblioteket KANTTI är stängt på torsdag."


async def test_a_notice_is_first_in_feed_json_and_on_screen_until_taken_off(
        start_service: Any) -> None:
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    _, _, board_id = await kantti(pool)
    _, _, other_board = await kantti(pool)
    uow = PgUnitOfWork(pool, NotificationStore)
    now = datetime.now(UTC)
    clock = FixedClock(now)
    feed_url = f"/boards/{board_id}/feed.json"

    async def changed_since(tag: str) -> Any:
        # The replica keeps the feed until the change's commit notifies it (a moment): the
        # notices are written here through the use cases, not through this replica.
        answer = await client.get(feed_url, headers={"If-None-Match": tag})
        return answer if answer.status_code == 200 else None

    before = await client.get(feed_url)
    assert before.status_code == 200 and json.loads(before.text)["items"] == []

    # An unknown board among the chosen: nothing at all is stored.
    with pytest.raises(Invalid):
        await usecases.send_notice(uow, clock, COMMS, uuid4(), usecases.NoticeCommand(
            {"fi": CLOSED}, board_ids=(board_id, uuid4())))
    assert await pool.fetchval("SELECT count(*) FROM board_notices") == 0
    assert await pool.fetchval("SELECT count(*) FROM deliveries") == 0

    notice = uuid4()
    sent = await usecases.send_notice(uow, clock, COMMS, notice, usecases.NoticeCommand(
        {"fi": CLOSED, "sv": STÄNGT}, board_ids=(board_id,),
        shown_from=now - timedelta(minutes=1), shown_until=now + timedelta(hours=2)))
    assert sent.boards == [board_id]
    shown = await eventually(lambda: changed_since(before.headers["etag"]), timeout=10)
    assert shown.status_code == 200 and shown.headers["etag"] != before.headers["etag"]
    assert shown.headers["cache-control"].startswith("max-age=30")
    [item] = json.loads(shown.text)["items"]
    assert (item["id"], item["title"], item["content_text"], item["_kohtaamo"]["type"]) == (
        f"notice:{notice}", "TIEDOTE", CLOSED, "notice")
    swedish = json.loads((await client.get(feed_url, params={"lang": "sv"})).text)["items"]
    assert (swedish[0]["title"], swedish[0]["content_text"]) == ("MEDDELANDE", STÄNGT)
    assert (await client.get(feed_url, headers={"If-None-Match": shown.headers["etag"]})
            ).status_code == 304
    screen = (await client.get(f"/boards/{board_id}/screen")).text
    assert 'class="slide status-notice"' in screen and '<p class="notice-text" lang="fi">' \
        f"{CLOSED}</p>" in screen
    # Only the chosen board shows it.
    assert json.loads((await client.get(f"/boards/{other_board}/feed.json")).text)[
        "items"] == []
    [delivery] = await pool.fetch("SELECT * FROM deliveries WHERE purpose = 'notice'")
    assert (delivery["channel"], delivery["target"], delivery["status"]) == (
        "notice_board", str(board_id), "published")
    [current] = await usecases.board_notices_now(uow, clock, COMMS)
    assert current["boards"][0]["id"] == board_id
    assert current["boards"][0]["name"]["fi"] == "Kirjasto KANTTI"

    assert await usecases.withdraw_board_notice(uow, clock, COMMS, notice) == 1
    gone = await eventually(lambda: changed_since(shown.headers["etag"]), timeout=10)
    assert gone.status_code == 200 and gone.headers["etag"] == before.headers["etag"]
    assert json.loads(gone.text)["items"] == []
    screen = (await client.get(f"/boards/{board_id}/screen")).text
    assert 'class="slide status-notice"' not in screen
    assert await pool.fetchval("SELECT status FROM deliveries WHERE purpose = 'notice'") == \
        "cancelled"
    assert await usecases.board_notices_now(uow, clock, COMMS) == []


async def test_the_store_shows_a_notice_only_inside_its_window(start_service: Any) -> None:
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    _, _, board_id = await kantti(pool)
    opens = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    notice = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        store = NotificationStore(conn)
        assert await store.add_board_notice(notice, {"fi": CLOSED}, opens,
                                            opens + timedelta(hours=1), "viestinta")
        assert not await store.add_board_notice(notice, {"fi": "toinen"}, opens,
                                                opens + timedelta(hours=1), "viestinta")
        await store.show_notice_on_board(notice, board_id, uuid4(), "k1",
                                         {"notice_id": str(notice)})
        await store.show_notice_on_board(notice, board_id, uuid4(), "k2",
                                         {"notice_id": str(notice)})  # again: nothing new
        for at, count in ((opens - timedelta(seconds=1), 0), (opens, 1),
                          (opens + timedelta(minutes=59), 1), (opens + timedelta(hours=1), 0)):
            assert len(await store.board_notices(board_id, at)) == count, at
        assert await store.known_boards([board_id, uuid4()]) == {board_id}
    assert await pool.fetchval("SELECT count(*) FROM deliveries") == 1
    # The database holds the rules too: a window that ends before it starts, or no Finnish.
    for texts, until in (({"fi": CLOSED}, opens), ({"sv": STÄNGT}, opens + timedelta(hours=1))):
        with pytest.raises(asyncpg.CheckViolationError):
            await pool.execute(
                """INSERT INTO board_notices (id, text, shown_from, shown_until, created_by)
                   VALUES ($1, $2, $3, $4, 'x')""", uuid4(), texts, opens, until)
