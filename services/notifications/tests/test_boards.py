"""Notice boards on the real database: one delivery per revision, newest revision shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.app import spec
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPublished,
    LocalizedText,
    VenueRegistered,
)
from tests.apps import handle
from tests.infra import bearer

pytestmark = pytest.mark.infra

STAFF = bearer("communications")

START = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
VENUE = uuid4()


def published(event_id, revision: int = 1, name: str = "Kuoro"):  # type: ignore[no-untyped-def]
    return ActivityEventPublished(
        event_id=event_id, revision=revision, name=LocalizedText(fi=name),
        starts_at=START, ends_at=START + timedelta(hours=2), kind="open_guided",
        venue_id=VENUE, area="kuopio.keskusta")


async def test_publish_shows_on_the_board_once_and_newest_revision_wins(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = uuid4()
    # The activity event arrives before its venue: the board is made, named later.
    await handle(pool, handlers.on_activity_event, published(event_id, 2, "Kuoro (uusi aika)"))
    await handle(pool, handlers.on_activity_event, published(event_id, 2, "Kuoro (uusi aika)"))
    await handle(pool, handlers.on_activity_event, published(event_id, 1, "Kuoro"))  # stale
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="KANTTI", sv="KANTTI sv"), kind="library",
        area="kuopio.keskusta", municipality="Kuopio"))

    boards = (await client.get("/boards", params={"venue_id": str(VENUE)})).json()
    assert [b["name"]["fi"] for b in boards] == ["KANTTI"]
    feed_url = boards[0]["feeds"]["json"]
    feed = await client.get(feed_url)
    assert feed.headers["content-type"].startswith("application/feed+json")
    assert [i["title"] for i in feed.json()["items"]] == ["Kuoro (uusi aika)"]
    deliveries = (await client.get("/deliveries", headers=STAFF,
                                   params={"activity_event_id": str(event_id)})).json()
    # One delivery for what was shown; the duplicate and the stale revision add none.
    assert [d["revision"] for d in deliveries] == [2]

    again = await client.get(feed_url, headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304

    await handle(pool, handlers.on_activity_event, ActivityEventCancelled(
        **published(event_id, 3, "Kuoro (uusi aika)").model_dump(), reason="flu"))
    cancelled = (await client.get(feed_url, params={"lang": "sv"})).json()
    assert cancelled["title"] == "KANTTI sv"
    assert [i["title"] for i in cancelled["items"]] == ["INSTÄLLT: Kuoro (uusi aika)"]
    assert (await client.get(f"/boards/{uuid4()}/feed.json")).status_code == 404
    assert (await client.get(feed_url, params={"lang": "de"})).status_code == 422
