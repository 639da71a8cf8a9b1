"""The organiser's preview of what the city's channels will show of a draft (issue #16): one
post per platform, cut to that platform's limit, with the image and its alt text, and the
venue board's slide in fi, sv and en, made from the draft's own fields by the rendering the
notifications service sends with (`shared.announcements`). No database: pure functions and the
page's template."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html import unescape
from typing import Any
from uuid import uuid4

from services.events import domain, usecases
from services.events.labels import ORGANISER
from services.events.organiser_pages import channels_preview
from services.events.pages import render_event
from shared.announcements import LIMITS, PLATFORMS, post_length
from shared.l10n import time_span
from shared.pages import notifications_url

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
BASE = "https://tapahtumat.kuopio.fi/"
SPACE = uuid4()
VENUE: dict[str, Any] = {
    "venue_id": uuid4(), "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek"},
    "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio", "revision": 1,
    "spaces": [{"space_id": str(SPACE), "name": {"fi": "Satusali"}, "capacity": 40}]}


def draft(**changes: Any) -> dict[str, Any]:
    """A draft as the store gives it: the booking's time and place, the organiser's texts."""
    starts = NOW + timedelta(days=1, hours=7)  # tomorrow 17.00 in Helsinki
    row: dict[str, Any] = {
        **usecases.NEW_EVENT, "id": uuid4(), "status": "draft", "revision": 1,
        "status_reason": None, "booking_id": uuid4(), "venue_id": VENUE["venue_id"],
        "space_id": SPACE, "area": "kuopio.jynkka", "starts_at": starts,
        "ends_at": starts + timedelta(hours=2), "languages": ["fi", "sv"],
        "name": {"fi": "Kuoroharjoitus", "sv": "Körövning", "en": None},
        "short_description": {"fi": "Avoin kuoroharjoitus kaikille laulajille, nuotit "
                                    "saa paikan päältä.",
                              "sv": "Öppen körövning för alla sångare, noterna finns på "
                                    "plats."},
        "free": False, "price": None, "registration_required": True,
        "image_url": "https://kuvat.example.fi/kuoro.jpg",
        "image_alt": {"fi": "Kuoro laulaa kirjastossa"}}
    row.update(changes)
    return row


def test_each_platform_gets_its_post_cut_to_its_limit() -> None:
    row = draft()
    shown = channels_preview(row, VENUE, "sv", BASE, NOW)
    posts = {p["platform"]: p for p in shown["posts"]}
    assert [p["platform"] for p in shown["posts"]] == list(PLATFORMS)
    link = f"https://tapahtumat.kuopio.fi/events/{row['id']}/page?lang=fi"
    when = time_span(row["starts_at"], row["ends_at"], "fi")
    for platform, post in posts.items():
        text = post["text"]
        assert post_length(platform, text) <= LIMITS[platform], platform
        # Never without the time, the place and the link, however short the platform.
        assert text.startswith(f"Kuoroharjoitus\n{when}\nJynkän kirjasto, Satusali\n"), platform
        # An activity one signs up for: its sign-up page's link too, above the event page's.
        sign_up = f"{notifications_url()}/registrations/{row['id']}?lang=fi"
        assert text.endswith(f"\n\nIlmoittaudu: {sign_up}\n{link}"), platform
        counted = post_length(platform, text)  # Mastodon: each web address is 23
        assert post["count"] == f"{counted} / {LIMITS[platform]:,} tecken".replace(
            ",", "\xa0"), platform
        assert (post["image_url"], post["image_alt"]) == (
            "https://kuvat.example.fi/kuoro.jpg", "Kuoro laulaa kirjastossa")
        assert post["alt_note"] is None and post["cannot"] is None
    # Facebook has room for every language and its description; Bluesky's 300 characters
    # only for the Finnish (the account's first language).
    assert "Körövning" in posts["facebook"]["text"]
    assert "Öppen körövning för alla" in posts["facebook"]["text"]
    assert "Körövning" not in posts["bluesky"]["text"]
    # ...and with the sign-up link beside the event page's, no room for its description.
    assert "Avoin kuoroharjoitus" not in posts["bluesky"]["text"]
    # Mastodon counts the event page's address as 23 characters, however long: room for
    # every language, their descriptions given way.
    assert "Körövning" in posts["mastodon"]["text"] and "Wednesday" in posts["mastodon"]["text"]
    assert "Avoin kuoroharjoitus" not in posts["mastodon"]["text"]
    assert len(posts["bluesky"]["text"]) < len(posts["mastodon"]["text"])
    assert post_length("mastodon", posts["mastodon"]["text"]) <= 500


def test_a_name_too_long_for_a_platform_is_cut_never_the_time_or_place() -> None:
    row = draft(name={"fi": "Kuoroharjoitus " * 30}, registration_required=False)
    [bluesky] = [p for p in channels_preview(row, VENUE, "fi", BASE, NOW)["posts"]
                 if p["platform"] == "bluesky"]
    assert len(bluesky["text"]) == LIMITS["bluesky"]
    title, when, where, *_ = bluesky["text"].split("\n")
    assert title.endswith("…") and title.startswith("Kuoroharjoitus Kuoroharjoitus")
    assert (when, where) == (time_span(row["starts_at"], row["ends_at"], "fi"),
                             "Jynkän kirjasto, Satusali")


def test_without_an_image_instagram_says_so_and_without_alt_the_name_stands_in() -> None:
    posts = {p["platform"]: p for p in channels_preview(
        draft(image_url=None, image_alt=None), VENUE, "en", BASE, NOW)["posts"]}
    assert posts["instagram"]["text"] is None
    assert posts["instagram"]["cannot"] == ORGANISER["en"]["needs_image"]
    assert posts["mastodon"]["image_url"] is None and posts["mastodon"]["text"]
    unnamed = {p["platform"]: p for p in channels_preview(
        draft(image_alt=None), VENUE, "en", BASE, NOW)["posts"]}
    assert unnamed["instagram"]["image_alt"] == "Kuoroharjoitus"
    assert unnamed["instagram"]["alt_note"] == ORGANISER["en"]["alt_name"]


def test_the_board_slide_in_finnish_swedish_and_english() -> None:
    row = draft()
    slides = channels_preview(row, VENUE, "fi", BASE, NOW)["slides"]
    assert [(s["lang"], s["language"], s["title"]) for s in slides] == [
        ("fi", "suomi", "Jynkän kirjasto"), ("sv", "ruotsi", "Jynkkä bibliotek"),
        ("en", "englanti", "Jynkän kirjasto")]
    fi, sv, en = (s["slide"] for s in slides)
    assert (fi["name"], fi["day"], fi["time"], fi["place"], fi["free"]) == (
        "Kuoroharjoitus", "Huomenna", "17.00–19.00", "Jynkän kirjasto, Satusali",
        "Maksullinen, ilmoittaudu etukäteen")
    assert (sv["name"], sv["name_lang"], sv["day"], sv["place"], sv["free"]) == (
        "Körövning", "sv", "I morgon", "Jynkkä bibliotek, Satusali",
        "Avgiftsbelagd, anmäl dig på förhand")
    # No English name: the board shows the Finnish one, and says it is Finnish.
    assert (en["name"], en["name_lang"], en["day"]) == ("Kuoroharjoitus", "fi", "Tomorrow")
    assert {s["slide"]["status"] for s in slides} == {"published"}
    # With its price, the slide says what it costs as each language writes it.
    priced = channels_preview({**row, "price": Decimal("5.50")}, VENUE, "fi", BASE, NOW)
    assert [s["slide"]["free"] for s in priced["slides"]] == [
        "5,50\xa0€, ilmoittaudu etukäteen", "5,50\xa0€, anmäl dig på förhand",
        "€5.50, sign up in advance"]
    assert fi["banner"] is None
    postponed = channels_preview(draft(status="postponed"), VENUE, "fi", BASE, NOW)
    assert postponed["slides"][0]["slide"]["banner"] == \
        "SIIRRETTY – uusi aika ilmoitetaan myöhemmin"
    # Not at a venue: its own place, on an area's board.
    outdoors = channels_preview(draft(venue_id=None, space_id=None, place_kind="outdoors",
                                      place_name={"fi": "Väinölänniemen puisto"}),
                                None, "fi", BASE, NOW)
    assert [s["title"] for s in outdoors["slides"]] == [
        "Ilmoitustaulu", "Anslagstavla", "Notice board"]
    assert outdoors["slides"][1]["slide"]["place"] == "Väinölänniemen puisto"
    assert outdoors["posts"][0]["text"].split("\n")[2] == "Väinölänniemen puisto"


def test_the_preview_page_shows_the_slide_and_the_posts_below_the_public_page() -> None:
    row = draft()
    t = ORGANISER["sv"]
    html = render_event(row, VENUE, [], "sv", BASE, preview={
        "label": t["preview"], "note": t["preview_note"], "draft": t["preview_draft"],
        "channels": t["preview_channels"], "back": "/my", "back_label": t["back_to_form"],
        "t": t, **channels_preview(row, VENUE, "sv", BASE, NOW)})
    aside = html.split('<aside class="channels"', 1)[1].split("</aside>", 1)[0]
    assert aside.count('class="board-frame"') == 3
    assert re.findall(r'<article class="post" data-platform="(\w+)"', aside) == \
        list(PLATFORMS)
    posts = [unescape(p) for p in re.findall(r'<pre lang="fi">(.*?)</pre>', aside, re.S)]
    assert [post_length(platform, p) <= LIMITS[platform] for p, platform in zip(posts, PLATFORMS,
                                                             strict=True)] == [True] * 4
    assert 'alt="Kuoro laulaa kirjastossa"' in aside
    assert t["posts_note"] in unescape(aside)
    # The public page itself has no such section.
    public = render_event(row, VENUE, [], "sv", BASE)
    assert "channels" not in public and "board-frame" not in public


def test_a_draft_without_finnish_texts_yet_still_previews() -> None:
    """A booking's draft named in the title's Swedish or English alone previews by that
    name where it has no Finnish (never an empty title); other texts stay as written."""
    view = domain.channel_view(draft(name={"fi": "", "sv": "Körövning"},
                                     short_description={"fi": "  "}, image_alt={}),
                               VENUE, BASE)
    assert view.name.get("sv") == "Körövning" and view.name.get("fi") == "Körövning"
    assert view.short_description is None and view.image_alt is None
    english = draft(name={"en": "Choir rehearsal"}, image_alt=None)
    assert domain.channel_view(english, VENUE, BASE).name.get("fi") == "Choir rehearsal"
    shown = channels_preview(english, VENUE, "fi", BASE, NOW)
    assert shown["posts"] and all(p["text"].startswith("Choir rehearsal")
                                  for p in shown["posts"]), shown["posts"]
    assert [s["slide"]["name"] for s in shown["slides"]] == ["Choir rehearsal"] * 3
    page = render_event(english, VENUE, [], "fi", BASE)
    assert "<title>Choir rehearsal</title>" in page


def test_the_event_the_channels_hear_carries_the_price_of_a_paid_activity() -> None:
    """`event.*` tells what taking part costs, so boards and posts can say it; a free one
    carries none whatever its row once said."""
    from services.events import domain
    from shared.contracts import ActivityEventPublished

    row = {**draft(price=Decimal("5.50"), organiser_id=None, owner_subject="kuoro"),
           "kind": "open_guided", "place_kind": "venue", "series_id": None,
           "place_name": None, "online_url": None}
    assert domain.facts(ActivityEventPublished, row).price == Decimal("5.50")
    assert domain.facts(ActivityEventPublished, {**row, "free": True}).price is None
