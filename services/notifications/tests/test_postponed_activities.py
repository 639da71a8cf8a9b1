"""A postponed activity, on the real PostgreSQL: an edit of it keeps it postponed everywhere
(boards, posts, sign-ups), and a cancellation after its old date still reaches the readers
who were told a new time would be announced."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup, activity
from services.notifications.tests.test_registration import published, sign_up
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventUpdated,
    LocalizedText,
)

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup


async def _statuses(setup: Setup, event_id: Any) -> tuple[set[str], str]:
    items = {r["status"] for r in await setup.pool.fetch(
        "SELECT status FROM board_items WHERE activity_event_id = $1", event_id)}
    kept = await setup.pool.fetchval("SELECT status FROM activity_events WHERE id = $1",
                                     event_id)
    return items, kept


async def test_an_edit_of_a_postponed_activity_keeps_it_postponed(setup: Setup) -> None:
    await setup.account("mastodon", reminder_hours=2)
    event = await published(setup, capacity=1)
    assert await setup.send() == {"published": 1}  # the announcement went out
    # Someone is on the waiting list: a promotion would be a seat on a postponed activity.
    # A sign-up answers 303 to its own page, which sign_up follows.
    assert (await sign_up(setup, event.event_id, "Aino", "aino@example.fi")).status_code == 200
    waiting = await sign_up(setup, event.event_id, "Eino", "eino@example.fi")
    assert waiting.status_code == 200
    facts = event.model_dump(exclude={"revision"})
    await setup.handle(handlers.on_activity_event,
                       ActivityEventPostponed(**facts, revision=2, reason="Sairastuminen"))
    assert [d["purpose"] for d in await setup.deliveries(event.event_id, status="pending")] \
        == ["change"]
    # The organiser adds a line to the description (and frees a seat) while it is postponed.
    await setup.handle(handlers.on_activity_event, ActivityEventUpdated(**{
        **facts, "revision": 3, "capacity": 2,
        "short_description": LocalizedText(fi="Lisätietoa tulossa")}))

    items, kept = await _statuses(setup, event.event_id)
    assert items == {"postponed"} and kept == "postponed"
    pending = await setup.deliveries(event.event_id, status="pending")
    assert [(d["purpose"], d["revision"]) for d in pending] == [("change", 3)]
    assert "SIIRRETTY" in pending[0]["content"]["text"]
    board = await setup.pool.fetchval(
        "SELECT board_id FROM board_items WHERE activity_event_id = $1", event.event_id)
    feed = await setup.client.get(f"/boards/{board}/feed.json?lang=fi")
    assert feed.status_code == 200 and feed.json()["items"][0]["title"].startswith("SIIRRETTY")
    late = await sign_up(setup, event.event_id, "Myöhäinen", "myoha@example.fi")
    assert late.status_code == 409
    statuses = {r["email"]: r["status"] for r in await setup.pool.fetch(
        "SELECT email, status FROM registrations WHERE activity_event_id = $1",
        event.event_id)}
    assert statuses["eino@example.fi"] == "waiting"  # nobody moved up into a postponed one



async def test_a_postponed_activity_cancelled_after_its_old_date_is_told_cancelled(
        setup: Setup) -> None:
    await setup.account("mastodon")
    # Its old time comes within seconds: announced and postponed before, cancelled after.
    event = activity(days=8 / 86400)
    facts = event.model_dump(exclude={"revision"})
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"published": 1}
    await setup.handle(handlers.on_activity_event,
                       ActivityEventPostponed(**facts, revision=2, reason="Sairastuminen"))
    assert await setup.send() == {"published": 1}  # "SIIRRETTY ... new time later"
    await asyncio.sleep(max((event.starts_at - datetime.now(UTC)).total_seconds(), 0) + 1)
    await setup.handle(handlers.on_activity_event,
                       ActivityEventCancelled(**facts, revision=3, reason="Ei uutta aikaa"))
    pending = await setup.deliveries(event.event_id, status="pending")
    assert [d["purpose"] for d in pending] == ["cancellation"]
    assert await setup.send() == {"published": 1}
    assert "PERUTTU" in setup.fake.posts("mastodon")[-1]["text"]
