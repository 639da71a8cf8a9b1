"""Notice board rendering and delivery keys without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.notifications import domain
from services.notifications.domain import (
    board_id_for_venue,
    etag,
    feed_since,
    idempotency_key,
    is_newer_revision,
    json_feed,
    place,
)
from shared.ceilings import client_network
from shared.http import etag_matches
from shared.l10n import time_span

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
    keys = {idempotency_key(event, "notice_board", "b", 1),
            idempotency_key(event, "mastodon", "b", 1),
            idempotency_key(event, "notice_board", "c", 1),
            idempotency_key(uuid4(), "notice_board", "b", 1)}
    assert len(keys) == 4


def test_board_id_follows_the_venue() -> None:
    venue = uuid4()
    assert board_id_for_venue(venue) == board_id_for_venue(venue) != board_id_for_venue(uuid4())


def test_times_are_shown_in_helsinki_time_as_each_language_writes_them() -> None:
    # 15–17 UTC is 17–19 in Helsinki in December; each language its own CLDR form.
    assert time_span(START, START.replace(hour=17), "fi") == (
        "tiistai 1. joulukuuta 2026 17.00–19.00")
    assert time_span(START, START.replace(hour=17), "sv") == "tisdag 1 december 2026 17:00–19:00"
    assert time_span(START, START.replace(hour=17), "en") == (
        "Tuesday, 1 December 2026 17:00–19:00")


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


def test_only_a_strictly_newer_revision_wins() -> None:
    assert is_newer_revision(None, 1)
    assert is_newer_revision(1, 2)
    assert not is_newer_revision(2, 2)  # the same copy again: a duplicate
    assert not is_newer_revision(3, 2)  # stale


def test_the_default_feed_starts_at_midnight_in_helsinki() -> None:
    # 23.30 UTC on 1 December is already 2 December in Helsinki (UTC+2).
    since = feed_since(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    assert since == datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    # Summer time: UTC+3.
    assert feed_since(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == \
        datetime(2026, 6, 30, 21, 0, tzinfo=UTC)


def test_if_none_match_lists_weak_tags_and_star() -> None:
    tag = '"abc"'
    assert etag_matches('"abc"', tag)
    assert etag_matches('"x", W/"abc"', tag)
    assert etag_matches("*", tag)
    assert not etag_matches('"abcd"', tag)
    assert not etag_matches(None, tag) and not etag_matches("", tag)


def test_content_text_says_where_once_the_venue_is_known() -> None:
    space = uuid4()
    board = {"name": {"fi": "KANTTI", "sv": "KANTTI sv"}, "venue_revision": 1,
             "spaces": {str(space): {"fi": "Lava"}}}
    sv = json_feed(board, [item(space_id=space)], "sv", "u")["items"][0]["content_text"]
    assert sv.splitlines() == ["Tid: tisdag 1 december 2026 17:00–19:00", "Plats: KANTTI sv, Lava",
                               "Gratis, ingen anmälan"]
    assert place(board, None, "fi") == "KANTTI"
    # A board made by an activity event before venue.registered does not know the place yet.
    assert place({"name": {"fi": "Ilmoitustaulu"}, "venue_revision": 0}, space, "fi") is None


def test_items_carry_both_dates_and_withdrawn_ones_are_left_out() -> None:
    later = START.replace(day=2)
    shown = item(created_at=START, updated_at=later)
    feed = json_feed({"name": {"fi": "KANTTI"}}, [shown, item(status="withdrawn")], "fi", "u")
    assert len(feed["items"]) == 1
    entry = feed["items"][0]
    assert entry["date_published"] == START.isoformat()
    assert entry["date_modified"] == later.isoformat()
    assert entry["_kohtaamo"] == {"starts_at": START.isoformat(),
                                  "ends_at": START.replace(hour=17).isoformat(),
                                  "status": "published", "revision": 1, "kind": "open_guided"}


def test_swedish_falls_back_to_finnish_for_the_board_and_items() -> None:
    feed = json_feed({"name": {"fi": "Nilsiän kirjasto", "sv": None}},
                     [item(name={"fi": "Kuoro", "sv": None})], "sv", "u")
    assert feed["title"] == "Nilsiän kirjasto"
    assert feed["items"][0]["title"] == "Kuoro"
    assert feed["language"] == "sv"


# --- delivery rules -------------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=2)


def test_a_first_publish_announces_now_and_reminds_before() -> None:
    plan = domain.plan_posts("published", False, LATER, 24, NOW)
    assert plan == [("announcement", NOW), ("reminder", LATER - timedelta(hours=24))]
    assert domain.plan_posts("published", False, LATER, None, NOW) == [("announcement", NOW)]
    # A reminder that would be due already is not planned.
    soon = NOW + timedelta(hours=3)
    assert domain.plan_posts("published", False, soon, 24, NOW) == [("announcement", NOW)]


def test_changes_after_an_announcement_get_notices_and_before_it_a_fresh_announcement() -> None:
    assert domain.plan_posts("cancelled", True, LATER, 24, NOW) == [("cancellation", NOW)]
    assert domain.plan_posts("cancelled", False, LATER, 24, NOW) == []
    assert domain.plan_posts("postponed", True, LATER, 24, NOW) == [("change", NOW)]
    assert domain.plan_posts("postponed", False, LATER, 24, NOW) == []
    assert domain.plan_posts("rescheduled", True, LATER, None, NOW) == [("change", NOW)]
    assert domain.plan_posts("rescheduled", False, LATER, None, NOW) == [("announcement", NOW)]
    # A detail changed after the announcement: no notice, but the reminder says the new text.
    assert domain.plan_posts("updated", True, LATER, 24, NOW) == [
        ("reminder", LATER - timedelta(hours=24))]
    assert domain.plan_posts("updated", False, LATER, None, NOW) == [("announcement", NOW)]


def test_nothing_is_posted_about_an_activity_that_has_started() -> None:
    for change in ("published", "updated", "rescheduled", "postponed", "cancelled"):
        assert domain.plan_posts(change, True, NOW - timedelta(minutes=1), 24, NOW) == []


def test_accounts_cover_their_areas_venues_and_kinds() -> None:
    venue = uuid4()
    account = {"enabled": True, "areas": ["kuopio.nilsia"], "venue_ids": None, "kinds": None}
    assert domain.account_matches(account, "kuopio.nilsia", venue, "open_guided")
    assert not domain.account_matches(account, "kuopio.jynkka", venue, "open_guided")
    assert not domain.account_matches(account, None, venue, "open_guided")
    only = {"enabled": True, "areas": None, "venue_ids": [venue], "kinds": ["digital"]}
    assert domain.account_matches(only, "x", venue, "digital")
    assert not domain.account_matches(only, "x", venue, "open_guided")
    assert not domain.account_matches(only, "x", uuid4(), "digital")
    assert not domain.account_matches({**account, "enabled": False}, "kuopio.nilsia", venue,
                                      "open_guided")


def test_backoff_grows_with_jitter_and_has_a_ceiling() -> None:
    low = [domain.retry_delay(n, 0.0) for n in range(1, 6)]
    high = [domain.retry_delay(n, 1.0) for n in range(1, 6)]
    assert low == [15.0, 30.0, 60.0, 120.0, 240.0] and high == [30.0, 60.0, 120.0, 240.0, 480.0]
    assert domain.retry_delay(30, 1.0) == 3600.0


def test_error_classes_decide_the_next_state() -> None:
    retry = domain.after_error("retry", 1, None, NOW, 0.5)
    assert retry.status == "pending" and retry.due_at == NOW + timedelta(seconds=22.5)
    assert retry.counts_as_attempt and not retry.account_needs_reauth
    assert domain.after_error("retry", domain.MAX_ATTEMPTS, None, NOW, 0.5).status == "failed"
    limited = domain.after_error("rate_limited", 3, 120.0, NOW, 0.5)
    assert limited.status == "pending" and not limited.counts_as_attempt
    assert limited.pause_account_until == limited.due_at == NOW + timedelta(seconds=120)
    unknown_wait = domain.after_error("rate_limited", 1, None, NOW, 0.5)
    assert unknown_wait.pause_account_until == NOW + timedelta(
        seconds=domain.DEFAULT_RATE_LIMIT_WAIT)
    reauth = domain.after_error("reauth", 1, None, NOW, 0.5)
    assert reauth.status == "pending" and reauth.account_needs_reauth
    assert domain.after_error("permanent", 1, None, NOW, 0.5).status == "failed"
    # A post that may be out is never tried again on its own.
    assert domain.after_error("unconfirmed", 1, None, NOW, 0.5).status == "unconfirmed"


def test_a_lost_lease_is_retried_only_where_a_resend_cannot_post_twice() -> None:
    assert domain.after_lost_lease("mastodon") == "pending"
    assert domain.after_lost_lease("bluesky") == "pending"
    for platform in ("facebook", "instagram", "email"):
        assert domain.after_lost_lease(platform) == "unconfirmed"


def test_a_client_is_counted_by_its_network() -> None:
    """An IPv6 client by its /64 (a new address in the same network is the same client), an
    IPv4-mapped one as its IPv4 address; the hash keyed, so it tells no address."""
    links = domain.ReachLinks("https://osallistu.kuopio.example", b"key")
    assert client_network("2001:db8:1:2::5") == "2001:db8:1:2::/64"
    assert links.sender_of("2001:db8:1:2::5") == links.sender_of("2001:db8:1:2:ffff::6")
    assert links.sender_of("2001:db8:1:3::5") != links.sender_of("2001:db8:1:2::5")
    assert links.sender_of("::ffff:10.1.2.3") == links.sender_of("10.1.2.3")
    assert links.sender_of("10.1.2.3") != links.sender_of("10.1.2.4")
    assert "10.1.2.3" not in (links.sender_of("10.1.2.3") or "")
    assert links.sender_of("10.1.2.3") != domain.ReachLinks("x", b"other").sender_of(
        "10.1.2.3")
    assert links.sender_of(None) is None and links.sender_of("") is None
    assert client_network("testclient") == "testclient"


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", " ", "9" * 12])
def test_a_malformed_hourly_ceiling_is_named_at_start(value: str) -> None:
    with pytest.raises(ValueError, match="KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT"):
        domain.checked_hourly_limit(value)
    assert domain.checked_hourly_limit(None) == domain.PUBLIC_FORMS_PER_HOUR
    assert domain.checked_hourly_limit("5") == 5
