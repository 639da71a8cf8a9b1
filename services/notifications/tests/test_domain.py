"""Notice board rendering and delivery keys without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from services.notifications.domain import (
    board_id_for_venue,
    etag,
    idempotency_key,
    json_feed,
    local_time_span,
)

START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 17.00 in Helsinki


def item(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "activity_event_id": uuid4(), "revision": 1, "status": "published",
        "name": {"fi": "Kuoro", "en": "Choir"}, "starts_at": START,
        "ends_at": START.replace(hour=17), "kind": "open_guided", "free": True,
        "updated_at": START,
    }
    base.update(changes)
    return base


def test_idempotency_key_is_deterministic_and_distinct() -> None:
    event = uuid4()
    assert idempotency_key(event, "notice_board", "b", 1) == \
        idempotency_key(event, "notice_board", "b", 1)
    assert idempotency_key(event, "notice_board", "b", 1) != \
        idempotency_key(event, "notice_board", "b", 2)


def test_board_id_follows_the_venue() -> None:
    venue = uuid4()
    assert board_id_for_venue(venue) == board_id_for_venue(venue) != board_id_for_venue(uuid4())


def test_times_are_shown_in_helsinki_time() -> None:
    assert local_time_span(START, START.replace(hour=17)) == "01.12.2026 17.00–19.00"


def test_json_feed_is_1_1_in_the_readers_language_with_fallback() -> None:
    board = {"name": {"fi": "KANTTI", "sv": "KANTTI (sv)"}}
    cancelled = item(status="cancelled", name={"fi": "Satutuokio"})
    feed = json_feed(board, [item(), cancelled], "en", "http://x/feed.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "KANTTI"  # no English name: Finnish
    assert [i["title"] for i in feed["items"]] == ["Choir", "CANCELLED: Satutuokio"]
    assert "Free, no registration" in feed["items"][0]["content_text"]
    assert feed["items"][1]["_kohtaamo"]["status"] == "cancelled"
    sv = json_feed(board, [item()], "sv", "http://x/feed.json")
    assert sv["title"] == "KANTTI (sv)" and sv["items"][0]["title"] == "Kuoro"


def test_etag_changes_with_content() -> None:
    board = {"name": {"fi": "KANTTI"}}
    a = json_feed(board, [item(revision=1)], "fi", "u")
    b = json_feed(board, [item(revision=2)], "fi", "u")
    assert etag(a) == etag(a) and etag(a) != etag(b)


def test_postponed_items_are_marked() -> None:
    feed = json_feed({"name": {"fi": "KANTTI"}}, [item(status="postponed")], "fi", "u")
    assert feed["items"][0]["title"] == "SIIRRETTY: Kuoro"
