"""The notifications API in-process on a real database: boards, their JSON Feed 1.1 and
deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.notifications import domain, handlers
from services.notifications.app import spec
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPublished,
    LocalizedText,
    VenueRegistered,
)
from tests.apps import handle
from tests.infra import bearer, eventually

pytestmark = pytest.mark.infra

STAFF = bearer("communications")

FEED_KEYS = {"version", "title", "home_page_url", "feed_url", "description", "user_comment",
             "next_url", "icon", "favicon", "authors", "author", "language", "expired",
             "hubs", "items"}
ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text", "summary",
             "image", "banner_image", "date_published", "date_modified", "authors", "author",
             "tags", "language", "attachments"}


def assert_json_feed_1_1(feed: dict[str, Any]) -> None:
    """What https://www.jsonfeed.org/version/1.1/ requires, and the extensions' naming rule."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert all(k in FEED_KEYS or k.startswith("_") for k in feed)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_text") or item.get("content_html"), str)
        assert all(k in ITEM_KEYS or (k.startswith("_") and k[1:2].isalpha()) for k in item)
        for key in ("date_published", "date_modified"):
            if key in item:  # RFC 3339: a date, a time and an offset
                assert datetime.fromisoformat(item[key]).tzinfo is not None


def activity(venue_id: UUID, starts_at: datetime, name: LocalizedText, revision: int = 1,
             cls: type[Any] = ActivityEventPublished, **extra: Any) -> Any:
    return cls(event_id=extra.pop("event_id", uuid4()), revision=revision, name=name,
               starts_at=starts_at, ends_at=starts_at + timedelta(minutes=1),
               kind="open_guided", venue_id=venue_id, area="kuopio.nilsia", **extra)


async def test_the_feed_is_json_feed_1_1_with_todays_and_upcoming_items(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id = uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto"), kind="library",
        area="kuopio.nilsia", municipality="Kuopio"))
    # The service's clock stands still, so Helsinki's midnight cannot pass between the
    # test's window and the feed's.
    now = datetime.now(UTC)
    client.runtime.clock = FixedClock(now)
    midnight = domain.feed_since(now)
    tomorrow = midnight + timedelta(days=1, hours=17)
    yesterday, today = midnight - timedelta(hours=2), midnight
    for when, name in [(tomorrow, "Huomenna"), (yesterday, "Eilen"), (today, "Tänään")]:
        await handle(pool, handlers.on_activity_event,
                     activity(venue_id, when, LocalizedText(fi=name, en=f"{name} (en)")))

    board_id = domain.board_id_for_venue(venue_id)
    response = await client.get(f"/boards/{board_id}/feed.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/feed+json")
    assert response.headers["cache-control"] == "max-age=30, stale-if-error=86400"
    feed = response.json()
    assert_json_feed_1_1(feed)
    assert feed["title"] == "Nilsiän kirjasto" and feed["language"] == "fi"
    # Yesterday's is gone, today's earlier one stays; sorted by start.
    assert [i["title"] for i in feed["items"]] == ["Tänään", "Huomenna"]
    first = feed["items"][0]
    assert first["content_text"].splitlines()[1] == "Paikka: Nilsiän kirjasto"
    assert set(first["_kohtaamo"]) >= {"starts_at", "ends_at", "status", "revision"}
    assert datetime.fromisoformat(first["_kohtaamo"]["starts_at"]) == today

    everything = (await client.get(f"/boards/{board_id}/feed.json",
                                   params={"include_past": "true", "lang": "en"})).json()
    assert_json_feed_1_1(everything)
    assert [i["title"] for i in everything["items"]] == [
        "Eilen (en)", "Tänään (en)", "Huomenna (en)"]


async def test_etag_gives_304_until_the_feed_changes(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id = uuid4()
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    event = activity(venue_id, starts_at, LocalizedText(fi="Kuoro"))
    await handle(pool, handlers.on_activity_event, event)
    url = f"/boards/{domain.board_id_for_venue(venue_id)}/feed.json"

    first = await client.get(url)
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"')
    for header in (tag, f'W/{tag}', f'"other", {tag}'):
        again = await client.get(url, headers={"If-None-Match": header})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == tag
        assert again.headers["cache-control"] == "max-age=30, stale-if-error=86400"
    assert (await client.get(url, headers={"If-None-Match": '"other"'})).status_code == 200

    await handle(pool, handlers.on_activity_event, ActivityEventCancelled(
        **event.model_dump(exclude={"revision"}), revision=2, reason="sairastuminen"))

    async def changed_feed() -> Any:
        # Replicas keep the feed until the cancellation's commit notifies them (a moment).
        answer = await client.get(url, headers={"If-None-Match": tag})
        return answer if answer.status_code == 200 else None

    changed = await eventually(changed_feed, timeout=10)
    assert changed.headers["etag"] != tag
    [item] = changed.json()["items"]
    assert item["title"] == "PERUTTU: Kuoro"
    assert (item["_kohtaamo"]["status"], item["_kohtaamo"]["revision"]) == ("cancelled", 2)


async def test_swedish_falls_back_to_finnish(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id = uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Riistaveden kirjasto"), kind="library",
        area="kuopio.riistavesi", municipality="Kuopio"))
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    await handle(pool, handlers.on_activity_event,
                 activity(venue_id, starts_at, LocalizedText(fi="Satutuokio", en="Story time")))

    url = f"/boards/{domain.board_id_for_venue(venue_id)}/feed.json"
    sv = (await client.get(url, params={"lang": "sv"})).json()
    assert_json_feed_1_1(sv)
    assert sv["title"] == "Riistaveden kirjasto" and sv["language"] == "sv"
    [item] = sv["items"]
    assert item["title"] == "Satutuokio"
    assert item["content_text"].startswith("Tid: ")
    assert (await client.get(url, params={"lang": "en"})).json()["items"][0]["title"] == \
        "Story time"
    assert (await client.get(url, params={"lang": "de"})).status_code == 422


async def test_boards_and_deliveries_are_listed_and_filtered(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    nilsia, pyoro = uuid4(), uuid4()
    for venue_id, area, name in [(nilsia, "kuopio.nilsia", "Nilsiä"),
                                 (pyoro, "kuopio.pyoro", "Pyörö")]:
        await handle(pool, handlers.on_venue, VenueRegistered(
            venue_id=venue_id, name=LocalizedText(fi=name), kind="library", area=area,
            municipality="Kuopio"))
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    event = activity(nilsia, starts_at, LocalizedText(fi="Kuoro"))
    await handle(pool, handlers.on_activity_event, event)

    boards = (await client.get("/boards")).json()
    assert {b["name"]["fi"] for b in boards} >= {"Nilsiä", "Pyörö"}
    [pyoro_board] = (await client.get("/boards", params={"area": "kuopio.pyoro"})).json()
    assert pyoro_board["venue_id"] == str(pyoro)
    base = f"/boards/{pyoro_board['id']}"
    assert pyoro_board["feeds"] == {"json": f"{base}/feed.json", "rss": f"{base}/feed.rss",
                                    "ical": f"{base}/feed.ics", "screen": f"{base}/screen"}
    [by_venue] = (await client.get("/boards", params={"venue_id": str(nilsia)})).json()
    one = await client.get(f"/boards/{by_venue['id']}")
    assert one.status_code == 200 and one.json() == by_venue
    assert (await client.get(f"/boards/{uuid4()}")).status_code == 404
    assert (await client.get(f"/boards/{uuid4()}/feed.json")).status_code == 404

    [delivery] = (await client.get("/deliveries", headers=STAFF, params={
        "activity_event_id": str(event.event_id), "channel": "notice_board",
        "status": "published"})).json()
    assert delivery["target"] == by_venue["id"] and delivery["revision"] == 1
    assert delivery["idempotency_key"] == domain.idempotency_key(
        event.event_id, "notice_board", by_venue["id"], 1)
    async def listed(**params: str) -> Any:
        return await client.get("/deliveries", headers=STAFF, params=params)

    assert (await listed(channel="mastodon")).json() == []
    assert (await listed(status="failed")).json() == []
    assert (await listed(status="lost")).status_code == 422
    # Emails to organisers are among the deliveries: not for the public.
    assert (await client.get("/deliveries")).status_code == 401
    assert (await client.get("/deliveries", headers=bearer("organiser"))).status_code == 403
