"""A notice board's RSS 2.0, iCalendar and slideshow page: pure rendering, the HTTP feeds
in-process on real Kafka and PostgreSQL, and the slideshow in Debian's Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from services.notifications import boards, domain, feeds, handlers
from services.notifications.app import spec
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
)
from shared.service import ServiceSpec
from tests.apps import handle
from tests.infra import eventually, free_port, launch_chromium

#: Resolves with the page's clock (seconds) when the slide named the argument is shown.
SHOWN_AT = """(name) => new Promise((resolve) => {
  const shown = () => {
    const el = document.querySelector('.slide:not([hidden]) .name');
    if (el && el.textContent === name) { resolve(performance.now() / 1000); return true; }
    return false;
  };
  if (shown()) return;
  const watch = new MutationObserver(() => { if (shown()) watch.disconnect(); });
  watch.observe(document.body, {subtree: true, childList: true, attributes: true,
                                characterData: true});
})"""

HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # a Tuesday, 17.00 in Helsinki
SPACE = uuid4()
BOARD: dict[str, Any] = {
    "id": uuid4(), "venue_id": uuid4(), "area": "kuopio.keskusta",
    "name": {"fi": "Kirjasto KANTTI", "sv": "Biblioteket KANTTI"},
    "languages": ["fi", "sv", "en"], "venue_revision": 1,
    "spaces": {str(SPACE): {"fi": "Lava", "en": "Stage"}},
}


def item(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "activity_event_id": uuid4(), "revision": 1, "status": "published",
        "name": {"fi": "Kuoro", "sv": "Kör", "en": "Choir"}, "starts_at": START,
        "ends_at": START + timedelta(hours=2), "kind": "open_guided", "free": True,
        "space_id": SPACE, "created_at": START - timedelta(days=3),
        "updated_at": START - timedelta(days=1),
    }
    base.update(changes)
    return base


def unfold(ics: str) -> list[str]:
    """RFC 5545 content lines, continuation lines joined back."""
    return ics.replace("\r\n ", "").split("\r\n")


def vevents(ics: str) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    for line in unfold(ics):
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and ":" in line and line != "END:VEVENT":
            key, _, value = line.partition(":")
            events[-1].setdefault(key, value)
    return events


# --- pure rendering ------------------------------------------------------------------------


def test_rss_is_rss_2_0_with_marked_cancellations_and_no_withdrawn_items() -> None:
    choir = item(name={"fi": "Kuoro & <laulu>"})
    cancelled = item(status="cancelled", name={"fi": "Satutuokio"}, free=False,
                     starts_at=START + timedelta(days=1),
                     ends_at=START + timedelta(days=1, hours=1), revision=3, updated_at=START)
    postponed = item(status="postponed", name={"fi": "Shakkikerho"}, space_id=None)
    gone = item(status="withdrawn", name={"fi": "Muualle siirretty"})
    body = feeds.rss(BOARD, [choir, postponed, cancelled, gone], "fi",
                     link="http://board/screen?lang=fi", self_url="http://board/feed.rss")

    root = ET.fromstring(body.encode())
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Kirjasto KANTTI"
    assert channel.findtext("link") == "http://board/screen?lang=fi"
    assert channel.findtext("language") == "fi"
    assert "Kirjasto KANTTI" in (channel.findtext("description") or "")
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link is not None and self_link.get("href") == "http://board/feed.rss"
    # lastBuildDate is the newest change, not the clock: the ETag only moves with the data.
    assert parsedate_to_datetime(channel.findtext("lastBuildDate") or "") == START

    entries = channel.findall("item")
    assert [e.findtext("title") for e in entries] == [
        "Kuoro & <laulu>", "SIIRRETTY: Shakkikerho", "PERUTTU: Satutuokio"]
    first, _, third = entries
    guid = first.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert guid.text == str(choir["activity_event_id"])
    assert parsedate_to_datetime(first.findtext("pubDate") or "") == choir["created_at"]
    assert (first.findtext("description") or "").splitlines() == [
        "Aika: tiistai 1. joulukuuta 2026 17.00–19.00", "Paikka: Kirjasto KANTTI, Lava",
        "Maksuton, ei ilmoittautumista"]
    # Cancelled: it invites no one, so neither its price nor its sign-up is said.
    assert (third.findtext("description") or "").splitlines() == [
        "Aika: keskiviikko 2. joulukuuta 2026 17.00–18.00", "Paikka: Kirjasto KANTTI, Lava"]
    assert body == feeds.rss(BOARD, [choir, postponed, cancelled, gone], "fi",
                             link="http://board/screen?lang=fi",
                             self_url="http://board/feed.rss")


def test_rss_in_swedish_falls_back_to_finnish_and_area_items_name_their_own_place() -> None:
    area_board = {**BOARD, "venue_id": None, "name": {"fi": "Nilsiän alue"}, "spaces": {}}
    own_place = item(name={"fi": "Kuoro"}, place={"fi": "Nilsiän kirjasto, Sali",
                                                  "sv": "Nilsiä bibliotek, Sal"})
    no_place = item(name={"fi": "Kävely", "sv": "Promenad"}, place=None, space_id=None)
    body = feeds.rss(area_board, [own_place, no_place], "sv", link="l", self_url="s")
    channel = ET.fromstring(body.encode()).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Nilsiän alue"  # no Swedish name: the Finnish one
    assert channel.findtext("language") == "sv"
    first, second = channel.findall("item")
    assert first.findtext("title") == "Kuoro"
    assert (first.findtext("description") or "").splitlines() == [
        "Tid: tisdag 1 december 2026 17:00–19:00", "Plats: Nilsiä bibliotek, Sal",
        "Gratis, ingen anmälan"]
    # No place of its own: the board's (an area board has no venue name to give).
    assert second.findtext("title") == "Promenad"
    assert "Plats: Nilsiän alue" in (second.findtext("description") or "")


def test_ical_has_uid_sequence_status_utc_times_and_location() -> None:
    choir = item(revision=2)
    cancelled = item(status="cancelled", revision=4, name={"fi": "Satutuokio", "en": "Stories"})
    postponed = item(status="postponed", revision=3, name={"fi": "Shakki"})
    gone = item(status="withdrawn")
    ics = feeds.ical(BOARD, [choir, cancelled, postponed, gone], "en")
    lines = unfold(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert "X-WR-CALNAME:Kirjasto KANTTI" in lines  # no English name: Finnish
    events = vevents(ics)
    assert [e["UID"] for e in events] == [
        f"{i['activity_event_id']}@kohtaamo" for i in (choir, cancelled, postponed)]
    assert [(e["SEQUENCE"], e["STATUS"]) for e in events] == [
        ("2", "CONFIRMED"), ("4", "CANCELLED"), ("3", "TENTATIVE")]
    assert [e["SUMMARY"] for e in events] == ["Choir", "Stories", "Shakki"]
    assert events[0]["DTSTART"] == "20261201T150000Z"
    assert events[0]["DTEND"] == "20261201T170000Z"
    assert events[0]["DTSTAMP"] == "20261130T150000Z"  # from the row, not the clock
    assert events[0]["LOCATION"] == "Kirjasto KANTTI\\, Stage"
    assert events[0]["DESCRIPTION"] == (
        "When: Tuesday\\, 1 December 2026 17:00–19:00\\nWhere: Kirjasto KANTTI\\, Stage\\n"
        "Free\\, no registration")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert ics == feeds.ical(BOARD, [choir, cancelled, postponed, gone], "en")


def test_screen_view_model_has_days_banners_and_places_in_the_language() -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1.12. in Helsinki
    items = [
        item(),
        item(status="cancelled", starts_at=START + timedelta(days=1),
             ends_at=START + timedelta(days=1, hours=1), name={"fi": "Satutuokio"}),
        item(status="postponed", starts_at=START + timedelta(days=3),
             ends_at=START + timedelta(days=4), free=False),
        item(status="withdrawn"),
    ]
    view = feeds.screen(BOARD, items, "sv", now=now, seconds=7, refresh=60,
                        feed_url="feed.json?lang=sv", feed_etag='"x"')
    assert view["lang"] == "sv" and view["title"] == "Biblioteket KANTTI"
    assert view["today"] == "2026-12-01" and view["seconds"] == 7
    today, tomorrow, later = view["slides"]
    assert (today["name"], today["name_lang"], today["day"], today["time"]) == (
        "Kör", "sv", "I dag", "17:00–19:00")  # CLDR's Swedish (Finland) time
    assert today["place"] == "Biblioteket KANTTI, Lava"  # the space has no Swedish name
    assert today["free"] == "Gratis, ingen anmälan" and today["banner"] is None
    # No Swedish name: the Finnish one, marked as Finnish for screen readers.
    assert (tomorrow["name"], tomorrow["name_lang"], tomorrow["day"]) == (
        "Satutuokio", "fi", "I morgon")
    assert tomorrow["banner"] == "INSTÄLLT" and tomorrow["free"] is None
    assert later["day"] == "fre 4 dec." and later["time"] == "17:00 – lör 5 dec. 17:00"
    assert later["banner"] is not None and later["banner"].startswith("UPPSKJUTET")
    assert later["free"] == "Avgiftsbelagd, ingen anmälan"
    # English and Finnish boards write dates and times as their readers do (issue 17: the
    # English board said "Tuesday 01.12.").
    for lang, day, hours in (("en", "Fri 4 Dec", "17:00 – Sat 5 Dec 17:00"),
                             ("fi", "pe 4.12.", "17.00 – la 5.12. 17.00")):
        slide = feeds.screen(BOARD, items, lang, now=now, seconds=10, refresh=60,
                             feed_url="f", feed_etag='"x"')["slides"][2]
        assert (slide["day"], slide["time"]) == (day, hours), lang
    empty = feeds.screen(BOARD, [], "en", now=now, seconds=10, refresh=60, feed_url="f",
                         feed_etag='"y"')
    assert empty["slides"] == [] and empty["labels"]["nothing"] == "Nothing coming up right now"


def test_a_cancelled_item_says_the_organisers_reason_and_invites_no_sign_up() -> None:
    """A tester read "PERUTTU: Satutuokio" with "Maksuton, ilmoittaudu etukäteen" under it
    and no word of why: a cancelled item leaves out its price and sign-up and quotes the
    organiser's reason (one line, however it was written), as the posts do."""
    cancelled = item(status="cancelled", name={"fi": "Satutuokio", "en": "Story time"},
                     registration_required=True, reason="Ohjaaja\n sairastui.")
    postponed = item(status="postponed", reason="Sali on remontissa.")
    for lang, reason in (("fi", "Järjestäjän ilmoittama syy: \u201dOhjaaja sairastui.\u201d"),
                         ("en", "The organiser's reason: \u201cOhjaaja sairastui.\u201d")):
        feed = domain.json_feed(BOARD, [cancelled, postponed], lang, "u")
        gone, later = feed["items"]
        lines = gone["content_text"].splitlines()
        assert lines[-1] == reason, lines
        assert len(lines) == 3 and not any("advance" in x or "etukäteen" in x for x in lines)
        assert later["content_text"].splitlines()[-2:] == [
            domain.access_line(True, False, lang),
            f"{domain.ORGANISER_REASON[lang]}: {domain.QUOTES[lang][0]}Sali on remontissa."
            f"{domain.QUOTES[lang][1]}"]
    # Without a reason: only when and where.
    plain = domain.json_feed(BOARD, [item(status="cancelled")], "fi", "u")["items"][0]
    assert plain["content_text"].splitlines() == [
        "Aika: tiistai 1. joulukuuta 2026 17.00–19.00", "Paikka: Kirjasto KANTTI, Lava"]
    view = feeds.screen(BOARD, [cancelled], "fi", now=START, seconds=10, refresh=60,
                        feed_url="f", feed_etag='"x"')
    page = boards._env.get_template("board.html").render(view=view, build="test")
    assert "PERUTTU" in page and "ilmoittaudu" not in page and 'class="free"' not in page
    # The screen's slide says why too, as the feed does.
    assert ('<p class="reason">Järjestäjän ilmoittama syy: \u201dOhjaaja sairastui.\u201d</p>'
            in page)


def test_the_screen_does_not_announce_each_slide_it_turns_to_by_itself() -> None:
    """The slides turn every few seconds on their own and the screen has no pause or next
    control: as the WAI-ARIA carousel pattern has it, the slides are no live region then
    (aria-live off), or a screen reader would read out every slide as it comes."""
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    view = feeds.screen(BOARD, [item(), item(name={"fi": "Satutuokio"})], "fi", now=now,
                        seconds=10, refresh=60, feed_url="f", feed_etag='"x"')
    page = boards._env.get_template("board.html").render(view=view, build="test")
    assert '<main id="slides" aria-live="off"' in page
    assert "polite" not in page and "assertive" not in page
    assert page.count('class="slide ') == 2  # both slides there, one shown at a time


# --- HTTP, in-process on real Kafka and PostgreSQL -----------------------------------------


def boards_spec() -> ServiceSpec:
    """The service with this router, whether or not app.py includes it yet."""
    if boards.router in spec.routers:
        return spec
    return dataclasses.replace(spec, routers=[*spec.routers, boards.router])


def activity(venue_id: UUID, starts_at: datetime, name: LocalizedText, revision: int = 1,
             cls: type[Any] = ActivityEventPublished, **extra: Any) -> Any:
    return cls(event_id=extra.pop("event_id", uuid4()), revision=revision, name=name,
               starts_at=starts_at, ends_at=extra.pop("ends_at", starts_at + timedelta(hours=1)),
               kind="open_guided", venue_id=venue_id, area="kuopio.keskusta", **extra)


async def kantti(pool: Any) -> tuple[UUID, UUID, UUID]:
    """The venue KANTTI with its space Lava; (venue id, space id, board id)."""
    venue_id, space_id = uuid4(), uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Kirjasto KANTTI", sv="Biblioteket KANTTI"),
        kind="library", area="kuopio.keskusta", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Lava", en="Stage"),
                             capacity=80)]))
    return venue_id, space_id, domain.board_id_for_venue(venue_id)


def helsinki(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=HELSINKI).replace(hour=hour)


@pytest.mark.infra
async def test_each_feed_has_an_etag_answers_304_and_marks_a_cancellation(
    start_service: Any,
) -> None:
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    venue_id, space_id, board_id = await kantti(pool)
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)
    choir = activity(venue_id, helsinki(tomorrow, 18), LocalizedText(fi="Kuoro", sv="Kör"),
                     space_id=space_id)
    await handle(pool, handlers.on_activity_event, choir)

    kinds = {"feed.rss": "application/rss+xml", "feed.ics": "text/calendar",
             "screen": "text/html"}
    tags: dict[str, str] = {}
    for name, media_type in kinds.items():
        url = f"/boards/{board_id}/{name}"
        first = await client.get(url)
        assert first.status_code == 200, (name, first.text)
        assert first.headers["content-type"].startswith(media_type)
        assert "charset=utf-8" in first.headers["content-type"]
        assert "Kuoro" in first.text and "Kör" not in first.text  # default: the first language
        tag = tags[name] = first.headers["etag"]
        assert tag.startswith('"') and tag.endswith('"')
        assert first.headers["cache-control"].split(",")[0] in ("max-age=30", "no-cache")
        for header in (tag, f"W/{tag}", f'"other", {tag}', "*"):
            again = await client.get(url, headers={"If-None-Match": header})
            assert again.status_code == 304 and again.content == b"", (name, header)
            assert again.headers["etag"] == tag
            assert again.headers["cache-control"] == first.headers["cache-control"]
        assert (await client.get(url, headers={"If-None-Match": '"other"'})).status_code == 200
        swedish = await client.get(url, params={"lang": "sv"})
        assert swedish.headers["etag"] != tag and "Kör" in swedish.text
        assert (await client.get(url, params={"lang": "de"})).status_code == 422
        assert (await client.get(f"/boards/{uuid4()}/{name}")).status_code == 404

    await handle(pool, handlers.on_activity_event, ActivityEventCancelled(
        **choir.model_dump(exclude={"revision"}), revision=2, reason="sairastuminen"))

    async def all_changed() -> dict[str, Any] | None:
        # Kept until the cancellation's commit notifies the replica (a moment).
        answers = {name: await client.get(f"/boards/{board_id}/{name}",
                                          headers={"If-None-Match": tags[name]})
                   for name in kinds}
        return answers if all(r.status_code == 200 for r in answers.values()) else None

    changed = await eventually(all_changed, timeout=10)
    assert all(r.headers["etag"] != tags[name] for name, r in changed.items())
    channel = ET.fromstring(changed["feed.rss"].content).find("channel")
    assert channel is not None
    [entry] = channel.findall("item")
    assert entry.findtext("title") == "PERUTTU: Kuoro"
    assert entry.findtext("guid") == str(choir.event_id)
    assert "Paikka: Kirjasto KANTTI, Lava" in (entry.findtext("description") or "")
    [event] = vevents(changed["feed.ics"].text)
    assert (event["UID"], event["SEQUENCE"], event["STATUS"]) == (
        f"{choir.event_id}@kohtaamo", "2", "CANCELLED")
    assert event["DTSTART"] == helsinki(tomorrow, 18).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert '<p class="banner">PERUTTU</p>' in changed["screen"].text


@pytest.mark.infra
async def test_a_boards_feed_is_kept_until_what_it_shows_changes(start_service: Any) -> None:
    """A thousand players polling every half minute are answered from the replica's memory,
    a revalidation with a 304, without the database; a cancellation committed anywhere (here
    the consumer's handler on the pool, as on another replica) reaches the next answer as
    its commit's notification clears what was kept."""
    client = await start_service(boards_spec())
    cache = client.runtime.read_cache
    assert cache is not None
    pool = client.runtime.pool
    venue_id, space_id, board_id = await kantti(pool)
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)
    choir = activity(venue_id, helsinki(tomorrow, 18), LocalizedText(fi="Kuoro"),
                     space_id=space_id)
    await handle(pool, handlers.on_activity_event, choir)
    url = f"/boards/{board_id}/feed.json"

    async def kept() -> Any:
        """The feed, then the same again from memory (the handler's own notifications may
        still arrive and make the replica forget once more, so the pair is asked again)."""
        first = await client.get(url)
        hits = cache.hits
        again = await client.get(url)
        return (first if first.json()["items"] and cache.hits == hits + 1
                and again.content == first.content else None)

    first = await eventually(kept, timeout=15)
    assert first.headers["cache-control"].startswith("max-age=30")
    hits = cache.hits
    not_modified = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert (not_modified.status_code, cache.hits) == (304, hits + 1)
    assert not_modified.headers["etag"] == first.headers["etag"]

    generation = cache.generation
    await handle(pool, handlers.on_activity_event, ActivityEventCancelled(
        **choir.model_dump(exclude={"revision"}), revision=2, reason="sairastuminen"))

    async def told() -> Any:
        answer = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
        return answer if answer.status_code == 200 else None

    fresh = await eventually(told, timeout=10)
    assert cache.generation > generation  # the database's word, not the minute turning
    [item] = fresh.json()["items"]
    assert (item["title"], item["_kohtaamo"]["status"]) == ("PERUTTU: Kuoro", "cancelled")
    assert fresh.headers["etag"] != first.headers["etag"]


@pytest.mark.infra
async def test_feeds_show_today_and_upcoming_in_the_boards_first_language(
    start_service: Any,
) -> None:
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    venue_id, _, board_id = await kantti(pool)
    async with pool.acquire() as conn:  # a board in Swedish-speaking hands
        await conn.execute("UPDATE notice_boards SET languages = '{sv,fi}' WHERE id = $1",
                           board_id)
    # The service's clock stands still, so Helsinki's midnight cannot pass between the
    # test's window and the feed's.
    now = datetime.now(UTC)
    client.runtime.clock = FixedClock(now)
    midnight = domain.feed_since(now)
    for when, name in [(midnight + timedelta(days=1, hours=17), "Huomenna"),
                       (midnight - timedelta(hours=3), "Eilen"),
                       (midnight + timedelta(minutes=1), "Tänään")]:
        await handle(pool, handlers.on_activity_event,
                     activity(venue_id, when, LocalizedText(fi=name, sv=f"{name} (sv)")))
    await handle(pool, handlers.on_activity_event, activity(
        venue_id, midnight + timedelta(days=2), LocalizedText(fi="Siirretty"),
        cls=ActivityEventPostponed))

    rss = await client.get(f"/boards/{board_id}/feed.rss")
    channel = ET.fromstring(rss.content).find("channel")
    assert channel is not None and channel.findtext("language") == "sv"
    assert channel.findtext("title") == "Biblioteket KANTTI"
    # Yesterday's is gone, today's earlier one stays; sorted by start.
    assert [e.findtext("title") for e in channel.findall("item")] == [
        "Tänään (sv)", "Huomenna (sv)", "UPPSKJUTET: Siirretty"]
    assert channel.findtext("link", "").endswith(f"/boards/{board_id}/screen?lang=sv")
    past = await client.get(f"/boards/{board_id}/feed.ics",
                            params={"include_past": "true", "lang": "fi"})
    assert [e["SUMMARY"] for e in vevents(past.text)] == [
        "Eilen", "Tänään", "Huomenna", "Siirretty"]
    assert vevents(past.text)[-1]["STATUS"] == "TENTATIVE"

    # The page knows feed.json's ETag, so its first poll is a 304, not a needless refresh.
    page = await client.get(f"/boards/{board_id}/screen")
    assert '<html lang="sv"' in page.text and "I morgon" in page.text
    feed = await client.get(f"/boards/{board_id}/feed.json", params={"lang": "sv"})
    assert f'data-feed-etag="{feed.headers["etag"].replace(chr(34), "&#34;")}"' in page.text
    assert 'data-feed-url="feed.json?lang=sv"' in page.text


@pytest.mark.infra
async def test_a_cancellation_on_the_board_gives_the_reason_not_the_sign_up(
    start_service: Any,
) -> None:
    """`event.cancelled`'s reason is kept with the board's item (migration 026): feed.json
    and the screen no longer invite sign-ups to it, and the feed says why."""
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    venue_id, _, board_id = await kantti(pool)
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)
    story = activity(venue_id, helsinki(tomorrow, 18), LocalizedText(fi="Satutuokio"),
                     registration_required=True)
    await handle(pool, handlers.on_activity_event, story)
    await handle(pool, handlers.on_activity_event, ActivityEventCancelled(
        **story.model_dump(exclude={"revision"}), revision=2, reason="Ohjaaja sairastui."))

    async def cancelled() -> Any:
        feed = (await client.get(f"/boards/{board_id}/feed.json", params={"lang": "sv"})).json()
        return feed if feed["items"] and feed["items"][0]["title"].startswith("INST") else None

    feed = await eventually(cancelled, timeout=10)
    [entry] = feed["items"]
    assert entry["title"] == "INSTÄLLT: Satutuokio"
    assert entry["content_text"].splitlines()[-1] == (
        "Orsak enligt arrangören: \u201dOhjaaja sairastui.\u201d")
    assert "anmäl" not in entry["content_text"] and "Gratis" not in entry["content_text"]
    screen = await client.get(f"/boards/{board_id}/screen", params={"lang": "fi"})
    assert '<p class="banner">PERUTTU</p>' in screen.text
    assert "ilmoittaudu etukäteen" not in screen.text and "Maksuton" not in screen.text


@pytest.mark.infra
async def test_a_paid_activity_says_its_price_on_the_board(start_service: Any) -> None:
    """`event.*`'s price is kept with the board's item (migration 021): the feed and the
    screen say "5,50 €", as each language writes it, not only that it is paid."""
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    venue_id, _, board_id = await kantti(pool)
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)
    await handle(pool, handlers.on_activity_event, activity(
        venue_id, helsinki(tomorrow, 18), LocalizedText(fi="Keramiikkakurssi"), free=False,
        price=Decimal("5.50"), registration_required=True))
    feed = (await client.get(f"/boards/{board_id}/feed.json", params={"lang": "fi"})).json()
    (item,) = [i for i in feed["items"] if i["title"] == "Keramiikkakurssi"]
    assert "5,50\xa0€, ilmoittaudu etukäteen" in item["content_text"], item
    screen = await client.get(f"/boards/{board_id}/screen", params={"lang": "en"})
    assert "€5.50, sign up in advance" in screen.text


# --- the slideshow in a real browser ----------------------------------------------------------


@contextlib.asynccontextmanager
async def serving(client: Any) -> AsyncIterator[str]:
    """The in-process service on a real port, for the browser."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(
        client._transport.app, host="127.0.0.1", port=port, lifespan="off", log_config=None,
        access_log=False))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.mark.infra
async def test_the_screen_rotates_marks_cancellations_and_picks_up_new_events(
    start_service: Any, chromium_path: str,
) -> None:
    client = await start_service(boards_spec())
    pool = client.runtime.pool
    venue_id, space_id, board_id = await kantti(pool)
    empty_venue = uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=empty_venue, name=LocalizedText(fi="Pyörön kirjasto"), kind="library",
        area="kuopio.pyoro", municipality="Kuopio"))
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)
    choir = activity(venue_id, helsinki(tomorrow, 18),
                     LocalizedText(fi="Kuorolaulua kaikille", sv="Körsång för alla"),
                     space_id=space_id)
    stories = activity(venue_id, helsinki(tomorrow, 19), LocalizedText(fi="Satutuokio"),
                       space_id=space_id)
    for event in (choir, stories):
        await handle(pool, handlers.on_activity_event, event)
    await handle(pool, handlers.on_activity_event, ActivityEventCancelled(
        **stories.model_dump(exclude={"revision"}), revision=2))

    # Long enough that the checks and the screenshot below end before the first turn, even
    # on a loaded machine.
    seconds = 6
    async with serving(client) as base, launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1920, "height": 1080})
        seen: list[tuple[str, int]] = []
        page.on("response", lambda r: seen.append((r.url, r.status)))
        await page.goto(f"{base}/boards/{board_id}/screen?seconds={seconds}&refresh=1")
        shown = page.locator(".slide:not([hidden])")
        assert await page.get_attribute("html", "lang") == "fi"
        # Turning by itself, with no control to stop it: no slide is read out as it comes.
        assert await page.get_attribute("#slides", "aria-live") == "off"
        assert await shown.count() == 1
        assert await shown.locator(".name").inner_text() == "Kuorolaulua kaikille"
        assert await shown.locator(".when").inner_text() == "Huomenna 18.00–19.00"
        assert await shown.locator(".place").inner_text() == "Kirjasto KANTTI, Lava"
        assert await shown.locator(".free").inner_text() == "Maksuton, ei ilmoittautumista"
        assert await shown.locator(".banner").count() == 0
        assert await page.locator("#counter").inner_text() == "1 / 2"
        assert await page.locator(".board").inner_text() == "Kirjasto KANTTI"
        # The clock shows Helsinki time (the minute may just have turned).
        clock = await page.locator("#clock-time").inner_text()
        now = datetime.now(HELSINKI)
        assert clock in {f"{t.hour}.{t.minute:02d}" for t in (now, now - timedelta(minutes=1))}
        weekday = ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai",
                   "sunnuntai"][now.weekday()]
        assert await page.locator("#clock-date").inner_text() == \
            f"{weekday} {now.day}.{now.month}."
        await page.wait_for_timeout(600)  # the fade-in is over
        await page.screenshot(path="/tmp/board-screen.png")

        # Rotation: still the first one a moment later, the next one after `seconds` (counted
        # in the page, from when its navigation began).
        assert await shown.locator(".name").inner_text() == "Kuorolaulua kaikille"
        # Not wait_for_function: the screen's CSP allows no eval. The page itself notes when
        # the slide turns (an evaluated function, which CSP does not stop).
        rotated_at = await asyncio.wait_for(page.evaluate(SHOWN_AT, "Satutuokio"),
                                            timeout=seconds + 5)
        assert seconds <= rotated_at <= seconds + 3, rotated_at  # timers late under load
        assert await shown.locator(".banner").inner_text() == "PERUTTU"
        assert await shown.locator(".when").inner_text() == "Huomenna 19.00–20.00"
        assert await page.locator("#counter").inner_text() == "2 / 2"
        assert await page.get_attribute("#slides", "aria-live") == "off"
        await page.wait_for_timeout(600)
        await page.screenshot(path="/tmp/board-screen-cancelled.png")

        # Unchanged data: feed.json answers 304 and the page is not fetched again.
        await page.wait_for_timeout(2500)
        polls = [status for url, status in seen if "/feed.json" in url]
        assert polls and set(polls) == {304}, polls
        assert sum("/screen" in url for url, _ in seen) == 1

        # A newly published event appears without a reload of the page.
        await page.evaluate("window.notReloaded = true")
        morning = activity(venue_id, helsinki(tomorrow, 10), LocalizedText(fi="Aamujumppa"),
                           space_id=space_id)
        await handle(pool, handlers.on_activity_event, morning)
        await page.wait_for_selector(f".slide[data-id='{morning.event_id}']", state="attached",
                                     timeout=10_000)
        assert await page.evaluate("window.notReloaded") is True
        assert await page.locator(".slide").count() == 3
        assert await page.locator(".slide:not([hidden])").count() == 1
        await asyncio.wait_for(page.evaluate(SHOWN_AT, "Aamujumppa"),
                               timeout=3 * seconds + 5)
        assert await page.locator("#counter").inner_text() == "1 / 3"
        await page.close()

        # An empty board says so, in Swedish; reduced motion turns the animations off.
        page = await browser.new_page(viewport={"width": 1920, "height": 1080},
                                      reduced_motion="reduce")
        await page.goto(f"{base}/boards/{domain.board_id_for_venue(empty_venue)}/screen"
                        "?lang=sv")
        assert await page.get_attribute("html", "lang") == "sv"
        assert await page.locator(".empty").inner_text() == "Ingen kommande verksamhet just nu"
        assert await page.title() == "Pyörön kirjasto – Kommande verksamhet"
        await page.goto(f"{base}/boards/{board_id}/screen?lang=sv")
        assert await page.locator(".slide:not([hidden]) .name").inner_text() == "Aamujumppa"
        animation = await page.evaluate(
            "getComputedStyle(document.querySelector('.slide:not([hidden])')).animationName")
        assert animation == "none"
