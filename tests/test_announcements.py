"""What the city's channels say of an activity is rendered once, in `shared.announcements`
(issue #16): the notifications service sends posts and shows board slides with it, and the
events service previews a draft's posts and slide with it before anything is sent. The
rendering gives the very texts it gave inside the notifications service, and an organiser's
preview is what notifications makes of the same activity once it is published."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from services.events import domain as events_domain
from services.events import usecases as events_usecases
from services.events.organiser_pages import channels_preview
from services.notifications import feeds, rendering
from services.notifications import usecases as notifications_usecases
from services.notifications.handlers import reach_links
from services.notifications.store import NotificationStore
from services.notifications.tests.fakes import NOW, FakeNotificationStore
from shared import announcements, l10n
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventPublished,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
)
from shared.identity import Principal
from shared.uow import FakeUnitOfWork

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 17.00 in Helsinki
PAGE = "https://tapahtumat.kuopio.fi/events/e1/page"
COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))
EVENTS_URL = "https://tapahtumat.kuopio.fi/"


def view(**changes: Any) -> announcements.ActivityView:
    base: dict[str, Any] = {
        "name": LocalizedText(fi="Satutunti", sv="Sagostund", en="Story time"),
        "starts_at": START, "ends_at": START + timedelta(hours=1),
        "place": LocalizedText(fi="KANTTI, Lasten paja", sv="KANTTI, Barnens verkstad"),
        "short_description": None, "free": True, "registration_required": False,
        "online": False, "image_url": "https://kuvat.example/satu.jpg",
        "image_alt": LocalizedText(fi="Lapsia"), "page_url": PAGE}
    base.update(changes)
    return announcements.ActivityView(**base)


def test_the_posts_read_as_the_notifications_service_wrote_them() -> None:
    """Texts the notifications service's own rendering gave before it moved to shared/."""
    both = announcements.render_post("mastodon", view(), "announcement", "published",
                                     ["fi", "sv"])
    assert both.text == (
        "Satutunti\ntorstai 3. joulukuuta 2026 17.00–18.00\nKANTTI, Lasten paja\n"
        "Maksuton, ei ilmoittautumista\n\nSagostund\ntorsdag 3 december 2026 17:00–18:00\n"
        "KANTTI, Barnens verkstad\nGratis, ingen anmälan\n\n" + PAGE + "?lang=fi")
    assert (both.language, both.image_alt) == ("fi", "Lapsia")
    moved = announcements.render_post(
        "bluesky", view(previous_starts_at=START - timedelta(days=1),
                        previous_ends_at=START - timedelta(hours=23)),
        "change", "published", ["sv", "fi", "en"])
    assert moved.text == (
        "NY TID: Sagostund\ntorsdag 3 december 2026 17:00–18:00 (tidigare onsdag 2 december "
        "2026 17:00–18:00)\nKANTTI, Barnens verkstad\nGratis, ingen anmälan\n\n"
        + PAGE + "?lang=sv")
    long = announcements.render_post(
        "bluesky", view(name=LocalizedText(fi=" ".join(["Pitkä"] * 80))), "announcement",
        "published", ["fi"])
    assert long.text == (
        "Pitkä " * 26 + "P…\ntorstai 3. joulukuuta 2026 17.00–18.00\nKANTTI, Lasten paja\n"
        "Maksuton, ei ilmoittautumista\n\n" + PAGE + "?lang=fi")
    assert len(long.text) == announcements.LIMITS["bluesky"]


def test_the_notifications_service_renders_with_the_shared_code() -> None:
    """One definition: what notifications sends with is the shared rendering itself."""
    assert rendering.render_post is announcements.render_post
    assert rendering.LIMITS is announcements.LIMITS
    assert feeds.LABELS is announcements.BOARD_LABELS


async def test_an_organisers_preview_is_what_notifications_makes_of_it_once_published(
) -> None:
    # The venue as both services hear of it (venue.registered).
    space_id = uuid4()
    venue = VenueRegistered(
        venue_id=uuid4(), revision=1,
        name=LocalizedText(fi="Jynkän kirjasto", sv="Jynkkä bibliotek"), kind="library",
        area="kuopio.jynkka", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Satusali"))])
    venue_row = {**venue.model_dump(mode="python"),
                 "spaces": [s.model_dump(mode="json") for s in venue.spaces],
                 "name": venue.name.model_dump()}
    starts = NOW + timedelta(days=1, hours=5)
    # The organiser's draft in the events service, and what publishing it would announce.
    row: dict[str, Any] = {
        **events_usecases.NEW_EVENT, "id": uuid4(), "revision": 3, "status": "draft",
        "name": {"fi": "Kuoroharjoitus", "sv": "Körövning", "en": None},
        "starts_at": starts, "ends_at": starts + timedelta(hours=2),
        "venue_id": venue.venue_id, "space_id": space_id, "area": "kuopio.jynkka",
        "booking_id": uuid4(), "organiser_id": uuid4(), "owner_subject": "kuoro",
        "series_id": None, "free": False, "registration_required": True,
        "short_description": {"fi": "Avoin kuoroharjoitus kaikille laulajille.",
                              "sv": "Öppen körövning för alla sångare."},
        "image_url": "https://kuvat.example.fi/kuoro.jpg",
        "image_alt": {"fi": "Kuoro laulaa kirjastossa", "sv": "En kör sjunger"}}
    preview = channels_preview(row, venue_row, "fi", EVENTS_URL, NOW)

    clock = FixedClock(NOW)
    uow: FakeUnitOfWork[NotificationStore] = FakeUnitOfWork(FakeNotificationStore(clock))
    await notifications_usecases.register_venue(uow, clock, venue)
    published = events_domain.facts(ActivityEventPublished, row)
    await notifications_usecases.plan_activity_event(uow, clock, published, EVENTS_URL)
    _, sent = await notifications_usecases.preview_posts(uow, COMMS, published.event_id,
                                                         EVENTS_URL, reach_links())
    board, item = await notifications_usecases.preview_board_item(uow, COMMS,
                                                                   published.event_id)

    assert [(p["platform"], p["text"], p["image_url"], p["image_alt"])
            for p in preview["posts"]] == [
        (p.platform, p.text, p.image_url, p.image_alt) for p in sent]
    assert all(p["text"] for p in preview["posts"])
    for shown in preview["slides"]:
        screen = feeds.screen(board, [item], shown["lang"], now=NOW, seconds=10, refresh=60,
                              feed_url="", feed_etag="")
        assert shown["slide"] == screen["slides"][0], shown["lang"]
        assert shown["title"] == screen["title"]
        assert shown["labels"] == screen["labels"]
    assert preview["slides"][1]["slide"]["place"] == "Jynkkä bibliotek, Satusali"


def test_an_all_day_activity_is_posted_by_its_dates_never_midnight_to_midnight() -> None:
    """A whole-day activity is stored from midnight to midnight in Helsinki: a post tells its
    dates, in each language, as the event's own page does."""
    midnight = datetime(2026, 12, 11, 22, 0, tzinfo=UTC)  # 12.12. 0.00 in Helsinki
    whole = view(starts_at=midnight, ends_at=midnight + timedelta(days=2), all_day=True)
    post = announcements.render_post("mastodon", whole, "announcement", "published",
                                     ["fi", "sv", "en"])
    assert "0.00" not in post.text and "00:00" not in post.text, post.text
    for lang in ("fi", "sv", "en"):
        assert l10n.time_span(midnight, midnight + timedelta(days=2), lang,
                              all_day=True) in post.text
    # The events service tells it so on the bus.
    row = {"id": uuid4(), "revision": 1, "name": {"fi": "Näyttely"}, "starts_at": midnight,
           "ends_at": midnight + timedelta(days=2), "kind": "exhibition", "venue_id": None,
           "space_id": None, "area": "kuopio.keskusta", "booking_id": None, "free": True,
           "topics": [], "audiences": [], "languages": ["fi"], "place_kind": "outdoors",
           "series_id": None, "organiser_id": None, "owner_subject": None,
           "short_description": None,
           "registration_required": False, "place_name": None, "online_url": None,
           "image_url": None, "image_alt": None, "all_day": True}
    assert events_domain.facts(ActivityEventPublished, row).all_day is True


def test_a_post_and_a_slide_say_the_price_or_that_it_is_free() -> None:
    """A paid activity's price, as each language writes it, on every platform within its
    limit; "free" where it is; "paid" where nobody gave the price. Babel keeps the amount and
    the sign together with a no-break space."""
    from decimal import Decimal

    paid = view(free=False, price=Decimal("5.50"))
    for platform in announcements.PLATFORMS:
        post = announcements.render_post(platform, paid, "announcement", "published",
                                         ["fi", "sv", "en"])
        lines = post.text.splitlines()
        assert "5,50\xa0€, ei ilmoittautumista" in lines
        if platform != "bluesky":  # Bluesky's 300 characters hold only the first language
            assert "5,50\xa0€, ingen anmälan" in lines and "€5.50, no registration" in lines
        assert announcements.post_length(platform, post.text) <= announcements.LIMITS[platform]
    now = START - timedelta(days=1)
    slides = {lang: announcements.activity_slide(
        "e1", {"fi": "Satutunti"}, "published", START, START + timedelta(hours=1), None,
        free=False, registration_required=True, lang=lang, now=now, price=Decimal("5.5"))
        for lang in announcements.LANGS}
    assert [slides[lang]["free"] for lang in announcements.LANGS] == [
        "5,50\xa0€, ilmoittaudu etukäteen", "5,50\xa0€, anmäl dig på förhand",
        "€5.50, sign up in advance"]
    assert [announcements.access_line(True, False, lang) for lang in announcements.LANGS] == [
        "Maksuton, ei ilmoittautumista", "Gratis, ingen anmälan", "Free, no registration"]
    assert [announcements.access_line(False, False, lang) for lang in announcements.LANGS] == [
        "Maksullinen, ei ilmoittautumista", "Avgiftsbelagd, ingen anmälan",
        "Admission charged, no registration"]


def test_a_bluesky_post_keeps_the_price_when_it_is_cut() -> None:
    from decimal import Decimal

    long = view(free=False, price=Decimal("12"), name=LocalizedText(fi="Satu" * 70))
    post = announcements.render_post("bluesky", long, "announcement", "published", ["fi"])
    assert len(post.text) <= announcements.LIMITS["bluesky"]
    assert "12,00\xa0€, ei ilmoittautumista" in post.text.splitlines()


def test_a_language_without_its_own_description_repeats_no_finnish_one() -> None:
    described = view(short_description=LocalizedText(fi="Satuja lapsille.",
                                                     en="Stories for children."))
    post = announcements.render_post("facebook", described, "announcement", "published",
                                     ["fi", "sv", "en"])
    finnish, swedish, english, _ = post.text.split("\n\n")
    assert finnish.endswith("\nSatuja lapsille.")
    assert swedish.startswith("Sagostund\n") and "Satuja" not in swedish
    assert swedish.endswith("Gratis, ingen anmälan")
    assert english.endswith("\nStories for children.")
    # A Swedish-only account of an activity without a Swedish name: the name falls back,
    # the Finnish description does not.
    only_fi = view(name=LocalizedText(fi="Satutunti"),
                   short_description=LocalizedText(fi="Satuja lapsille."))
    swedish_only = announcements.render_post("mastodon", only_fi, "announcement",
                                             "published", ["sv"])
    assert swedish_only.text.startswith("Satutunti\n") and "Satuja" not in swedish_only.text


def test_a_post_says_to_sign_up_never_a_bare_registration() -> None:
    post = announcements.render_post("mastodon", view(registration_required=True),
                                     "announcement", "published", ["fi", "sv", "en"])
    lines = post.text.splitlines()
    assert "Maksuton, ilmoittaudu etukäteen" in lines
    assert "Gratis, anmäl dig på förhand" in lines and "Free, sign up in advance" in lines
    paid = view(registration_required=True, free=False)
    assert [announcements.access_line(False, True, lang) for lang in announcements.LANGS] == [
        "Maksullinen, ilmoittaudu etukäteen", "Avgiftsbelagd, anmäl dig på förhand",
        "Admission charged, sign up in advance"]
    assert "Ilmoittautuminen" not in announcements.render_post(
        "bluesky", paid, "announcement", "published", ["fi"]).text


def test_bluesky_shortens_a_long_place_before_it_cuts_the_name() -> None:
    name = "Satutunti: Muumit ja taikurin hattu, lukijana Aino"
    place = "Kuopion kaupunginkirjasto, Lasten ja nuorten osaston satuhuone, 2. kerros"
    moved = view(name=LocalizedText(fi=name), place=LocalizedText(fi=place),
                 previous_starts_at=START - timedelta(days=7),
                 previous_ends_at=START - timedelta(days=7, hours=-1))
    post = announcements.render_post("bluesky", moved, "change", "published", ["fi"])
    title, when, where, *_ = post.text.splitlines()
    assert len(post.text) <= announcements.LIMITS["bluesky"]
    assert title == f"UUSI AIKA: {name}" and "aiemmin" in when
    assert where.startswith("Kuopion kaupunginkirjasto, ") and where.endswith("…")
    assert len(where) >= announcements.PLACE_KEPT
    # A name too long for any room is still cut, after the place gave what it could.
    longer = replace(moved, name=LocalizedText(fi=name * 4))
    cut = announcements.render_post("bluesky", longer, "change", "published", ["fi"])
    title, _, where, *_ = cut.text.splitlines()
    assert title.endswith("…") and len(where) == announcements.PLACE_KEPT
    assert len(cut.text) <= announcements.LIMITS["bluesky"]


def test_a_post_with_little_room_keeps_the_name_before_the_place_gives_more() -> None:
    # The organiser journey's case: long local links, a sign-up link and a time across
    # midnight leave a Bluesky post little room; the name was cut to "…".
    name = "Lautapeli-ilta nuorille ja aikuisille: uusia pelejä ja vanhoja suosikkeja"
    place = "Kuopion kaupunginkirjasto, Lasten ja nuorten osaston satuhuone, 2. kerros"
    late = view(name=LocalizedText(fi=name), place=LocalizedText(fi=place),
                starts_at=datetime(2026, 12, 3, 20, 30, tzinfo=UTC),
                ends_at=datetime(2026, 12, 3, 23, 30, tzinfo=UTC),
                registration_required=True, free=False,
                page_url="http://127.0.0.1:8002/events/0b7e8a52-3f0c-4d5b-9a4e-2b1c0d9e8f7a/page",
                sign_up_url="http://127.0.0.1:8003/registrations/"
                            "0b7e8a52-3f0c-4d5b-9a4e-2b1c0d9e8f7a")
    post = announcements.render_post("bluesky", late, "reminder", "published", ["fi"])
    assert len(post.text) <= announcements.LIMITS["bluesky"]
    title, when, where, blank, *links = post.text.splitlines()
    assert title.startswith("Muistutus: Lautapeli-ilta") and title.endswith("…")
    assert len(title) == announcements.NAME_KEPT
    # The time and the links are whole; the line of price and sign-up gave way (the links
    # lead to both), and the place gave what it had to, keeping the house's name.
    assert when == l10n.time_span(late.starts_at, late.ends_at, "fi")
    assert where.startswith("Kuopion kaupunginkirjasto") and where.endswith("…")
    assert blank == "" and links == [f"Ilmoittaudu: {late.sign_up_url}?lang=fi",
                                     f"{late.page_url}?lang=fi"]
    # With room, a cancellation keeps its notice and a post its price line.
    cancelled = announcements.render_post("bluesky", late, "cancellation", "cancelled",
                                          ["fi"])
    assert len(cancelled.text) <= announcements.LIMITS["bluesky"]
    assert announcements.POST_LABELS["fi"]["cancelled_text"] in cancelled.text.splitlines()


@pytest.mark.parametrize("name_length", [20, 45, 70, 120, 250])
@pytest.mark.parametrize("place_length", [30, 60, 90, 160])
@pytest.mark.parametrize("purpose", ["announcement", "change"])
def test_a_short_post_gives_way_in_order_and_wastes_no_room(
        purpose: str, place_length: int, name_length: int) -> None:
    """The tester's Bluesky posts: a new time kept its earlier one while the place was cut
    to a bare "…", and an announcement's place stayed cut after its price line went, with
    room to spare. What gives way goes in order, and what is left uses the room."""
    name = ("Kuvataidepaja " * 30)[:name_length].strip()
    place = ("KANTTI – tiedon ja tarinoiden kortteli, Lastenosaston työpajatila " * 4)[
        :place_length].strip()
    shown = view(name=LocalizedText(fi=name), place=LocalizedText(fi=place), free=False,
                 price=Decimal("12.50"), registration_required=True,
                 previous_starts_at=START - timedelta(days=1),
                 previous_ends_at=START - timedelta(days=1, hours=-1),
                 sign_up_url="https://kohtaamo.kuopio.example/registrations/"
                             "45e5b0dd-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
    post = announcements.render_post("bluesky", shown, purpose, "published", ["fi"])
    limit = announcements.LIMITS["bluesky"]
    assert len(post.text) <= limit
    body = post.text.split("\n\n")[0].splitlines()
    title, when, *rest = body
    where = next((line for line in rest if line.startswith(place[:3])), None)
    assert where is not None
    access = announcements.access_line(False, True, "fi", Decimal("12.50"))
    cut_below_kept = where != place and len(where) < announcements.PLACE_KEPT
    if cut_below_kept:  # everything before it in the order gave way first
        assert access not in body and "(aiemmin" not in when
        assert len(title) <= announcements.NAME_KEPT + len("UUSI AIKA: ")
    if "(aiemmin" in when or access in body:
        assert where == place or len(where) >= announcements.PLACE_KEPT
    if any(line.endswith("…") for line in body):  # something was cut: no room wasted
        assert len(post.text) >= limit - 1, post.text


def test_an_edit_that_moved_it_is_told_as_a_new_place_with_the_old_one() -> None:
    moved = view(place=LocalizedText(fi="Väinölänniemi", sv="Väinölänniemi"),
                 previous_place=LocalizedText(fi="Kauppatori", sv="Salutorget"))
    post = announcements.render_post("mastodon", moved, "change", "published", ["fi", "sv"])
    finnish, swedish = post.text.split("\n\n")[:2]
    assert finnish.splitlines()[0] == "UUSI PAIKKA: Satutunti"
    assert "Väinölänniemi (aiemmin Kauppatori)" in finnish.splitlines()
    assert swedish.splitlines()[0].startswith("NY PLATS: ")
    assert "Väinölänniemi (tidigare Salutorget)" in swedish.splitlines()
    # A new time and place at once is a new time; a postponement stays one.
    both = replace(moved, previous_starts_at=START - timedelta(days=1),
                   previous_ends_at=START - timedelta(days=1, hours=-1))
    assert announcements.render_post("mastodon", both, "change", "published", ["fi"]) \
        .text.startswith("UUSI AIKA: ")
    assert announcements.render_post("mastodon", moved, "change", "postponed", ["fi"]) \
        .text.startswith("SIIRRETTY: ")
    # With little room the old place goes before the new one is cut.
    crowded = replace(moved, name=LocalizedText(fi="Satutunti " * 20),
                      place=LocalizedText(fi="Väinölänniemen uimarannan kenttä ja grillikatos"))
    short = announcements.render_post("bluesky", crowded, "change", "published", ["fi"])
    assert len(short.text) <= announcements.LIMITS["bluesky"]
    where = short.text.splitlines()[2]
    assert where.startswith("Väinölänniemen uimarannan") and "aiemmin" not in where


def test_a_slide_marks_the_language_its_name_is_said_in() -> None:
    """A booking's draft named in English alone: its preview's slide said the English name
    marked as Finnish, read by a screen reader with a Finnish voice (WCAG 3.1.2)."""
    now = START - timedelta(days=1)

    def said(name: dict[str, str]) -> list[tuple[str, str]]:
        slides = [announcements.activity_slide(
            "e1", name, "published", START, START + timedelta(hours=1), None, free=True,
            registration_required=False, lang=lang, now=now) for lang in announcements.LANGS]
        return [(s["name"], s["name_lang"]) for s in slides]

    assert said({"en": "Board game night"}) == [("Board game night", "en")] * 3
    assert said({"fi": "Satutunti", "sv": "Sagostund"}) == [
        ("Satutunti", "fi"), ("Sagostund", "sv"), ("Satutunti", "fi")]


def test_mastodon_counts_as_23_only_what_it_takes_for_an_address() -> None:
    """Mastodon (its server's length rule and its composer's counter alike) takes for a web
    address only http:// or https:// and a host under a top-level domain it knows: a bare
    domain, a made-up domain and a word with a full stop in it are counted whole."""
    def mastodon(text: str) -> int:
        return announcements.post_length("mastodon", text)

    for address in ("https://kuopio.fi/x", "https://www.kuopio.fi", "HTTPS://KUOPIO.FI/X",
                    "http://kirjasto.kuopio.fi:8080/tapahtumat?lang=sv",
                    "https://fi.wikipedia.org/wiki/Kuopio_(kaupunki)",
                    "https://kuopio.fi/" + "x" * 100):
        assert mastodon(address) == 23, address
    for whole in ("kuopio.fi/x", "www.kuopio.fi", "https://x.local/y",
                  "https://kohtaamo.kuopio.example/registrations/e1",
                  "https://palvelin.internal/" + "x" * 100, "Lue sana.sana ennen tuloa.",
                  "foo.bar", "sanahttps://kuopio.fi/x"):
        assert mastodon(whole) == len(whole), whole
    prose = "Katso kuopio.fi/x tai https://kuopio.fi/kirjasto/satutunti, ei https://x.local/y."
    assert mastodon(prose) == len(prose) - len("https://kuopio.fi/kirjasto/satutunti") + 23
    # A made-up domain's long address in a description: the post fits by its real count.
    # Counted as 23, it was sent whole and Mastodon refused the post as too long.
    long_local = "https://palvelin.local/" + "tapahtuma/" * 45
    described = view(short_description=LocalizedText(fi=f"Lisää: {long_local}"))
    post = announcements.render_post("mastodon", described, "announcement", "published",
                                     ["fi"])
    assert long_local not in post.text and post.text.startswith("Satutunti\n")
    assert mastodon(post.text) <= announcements.LIMITS["mastodon"]
    whole = announcements.render_post("facebook", described, "announcement", "published",
                                      ["fi"])  # Facebook has room for the description
    assert long_local in whole.text and mastodon(whole.text) > announcements.LIMITS["mastodon"]
