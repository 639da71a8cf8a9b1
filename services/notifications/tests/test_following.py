"""Following, on the real PostgreSQL, SMTP and Kafka: double opt-in, the weekly digest and a
message for each new activity, one-click unsubscribe (RFC 8058) read from the mail as a mail
client reads it, the preference page, and the personal iCal and RSS feeds parsed by
icalendar and feedparser (issue #18)."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4, uuid5

import feedparser
import icalendar
import pytest

from services.notifications import handlers, jobs, usecases
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup, activity
from shared import l10n
from shared.areas import AREAS
from shared.clock import HELSINKI, FixedClock
from shared.contracts import (
    NOTIFICATIONS_TOPIC,
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventRescheduled,
    LocalizedText,
    VenueRegistered,
    VocabularyTermSet,
)
from shared.uow import PgUnitOfWork
from tests.infra import events_on_topic

pytestmark = pytest.mark.infra

# The fake platforms and the running service, as the delivery tests have them.
fake = test_delivery.fake
setup = test_delivery.setup

VENUE = uuid4()


def parse(raw: str) -> EmailMessage:
    message = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def subscribe(setup: Setup, **form: Any) -> str:
    """Subscribe by the form, confirm by the emailed link; returns the personal token."""
    response = await setup.client.post("/follow?lang=sv", data=form)
    assert response.status_code == 201, response.text
    assert "bekräfta" in response.text.lower()
    assert await setup.send() == {"published": 1}
    mail = parse(setup.fake.posts("email")[-1]["raw"])
    assert mail["To"] == form["email"] and mail["Content-Language"] == "sv"
    body = mail.get_body(("plain",))
    assert body is not None
    link = re.search(r"https?://\S+/follow/confirm/\S+", body.get_content())
    assert link, body.get_content()
    token = re.search(r"/follow/confirm/([0-9a-f]{64})", link.group(0)).group(1)  # type: ignore[union-attr]
    page = await setup.client.get(path_of(link.group(0)))
    assert page.status_code == 200 and "Bekräfta" in page.text
    # It names the address being confirmed.
    assert f"Du bekräftar evenemangsinformation till {form['email']}." in page.text
    confirmed = await setup.client.post(f"/follow/confirm/{token}?lang=sv",
                                        follow_redirects=True)
    assert confirmed.status_code == 200 and "bekräftad" in confirmed.text
    return token


async def digests(setup: Setup, days: float = 0) -> int:
    clock = FixedClock(setup.client.runtime.clock.now() + timedelta(days=days))
    return await usecases.send_digests(PgUnitOfWork(setup.pool, jobs.NotificationStore),
                                       clock, handlers.reach_links(),
                                       handlers.public_events_url())


async def test_double_opt_in_digest_and_one_click_unsubscribe(setup: Setup) -> None:
    await setup.account("email")
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Nilsiän kirjasto", sv="Nilsiä bibliotek"),
        kind="library", area="kuopio.nilsia", municipality="Kuopio"))
    crafts = activity(topics=["crafts"], venue_id=VENUE).model_copy(
        update={"name": LocalizedText(fi="Käsityökerho", sv="Hantverksklubb")})
    other = activity(topics=["games"], venue_id=VENUE, days=4).model_copy(
        update={"name": LocalizedText(fi="Shakki", sv="Schack")})
    await setup.handle(handlers.on_activity_event, crafts)
    await setup.handle(handlers.on_activity_event, other)
    # Nothing chosen is refused on the page, in the resident's language.
    refused = await setup.client.post("/follow?lang=en", data={"email": "a@example.fi",
                                                               "language": "en"})
    assert refused.status_code == 422 and "Choose at least one" in refused.text
    token = await subscribe(setup, email="kerho@example.fi", language="sv", topics="crafts")

    # Before confirming nothing is sent; after it the weekly digest holds what matches.
    assert await digests(setup) == 1
    assert await digests(setup) == 0  # not again the same week
    assert await setup.send() == {"published": 1}
    raw = setup.fake.posts("email")[-1]["raw"]
    mail = parse(raw)
    assert mail["Subject"] == "Veckans evenemang för dig"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Hantverksklubb" in text and "Schack" not in text
    assert "Nilsiä bibliotek" in text  # rendered like the posts, in Swedish
    unsubscribe = mail["List-Unsubscribe"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.startswith("<https://") or unsubscribe.startswith("<http://")
    # On the wire as it is, never an encoded word a mail client cannot read a URL from.
    assert f"\nList-Unsubscribe: {unsubscribe}\r\n" in raw
    one_click = unsubscribe.strip("<>")

    # The preference page shows the choice; adding a topic is saved.
    prefs = await setup.client.get(f"/follow/{token}?lang=sv")
    assert prefs.status_code == 200 and 'value="crafts" checked' in prefs.text
    saved = await setup.client.post(f"/follow/{token}?lang=sv", data={
        "language": "sv", "topics": ["crafts", "games"]})
    assert saved.status_code == 303
    # The page it leads to says so in its own words: the address carries a code, and no
    # text a link was made with is shown there.
    shown = await setup.client.get(saved.headers["location"])
    assert shown.status_code == 200 and "Sparat." in shown.text
    made_up = await setup.client.get(f"/follow/{token}?lang=sv&done=Ring%20oss&msg=Ring%20oss")
    assert made_up.status_code == 200
    assert "Ring oss" not in made_up.text and "Sparat." not in made_up.text

    # The personal feeds hold the same choice.
    ics = await setup.client.get(f"/follow/{token}/feed.ics")
    calendar = icalendar.Calendar.from_ical(ics.content)
    names = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert names == ["Hantverksklubb", "Schack"]
    rss = feedparser.parse((await setup.client.get(f"/follow/{token}/feed.rss")).text)
    assert not rss.bozo and sorted(e.title for e in rss.entries) == ["Hantverksklubb", "Schack"]

    # A mail client's one-click unsubscribe (RFC 8058): a POST with the fixed body.
    gone = await setup.client.post(path_of(one_click),
                                   content=b"List-Unsubscribe=One-Click",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert gone.status_code == 200 and "avslutad" in gone.text
    assert await digests(setup, days=8) == 0
    assert (await setup.client.get(f"/follow/{token}/feed.ics")).text.count("VEVENT") == 0
    # Reach is counted by metrics from notification.delivered (channel "subscription").
    reach = [e.data for e in await events_on_topic(
        setup.client.runtime, NOTIFICATIONS_TOPIC, 1, keys={str(crafts.event_id)},
        event_type="fi.kohtaamo.notification.delivered.v1",
        where=lambda e: e.data["channel"] == "subscription")]
    assert [r["activity_event_id"] for r in reach] == [str(crafts.event_id)]
    assert all("@" not in str(r) for r in reach)
    # Once per follower and activity: a pseudonym of the two, never the subscription's id.
    subscription_id = await setup.pool.fetchval("SELECT id FROM subscriptions")
    assert reach[0]["target"] == str(uuid5(subscription_id, str(crafts.event_id)))
    assert str(subscription_id) not in str(reach)


async def test_the_digest_marks_a_postponed_activity_in_the_readers_language(
        setup: Setup) -> None:
    await setup.account("email")
    on = activity(topics=["crafts"], name="Käsityökerho")
    off = activity(topics=["crafts"], name="Kutomo", days=4)
    await setup.handle(handlers.on_activity_event, on)
    await setup.handle(handlers.on_activity_event, off)
    await setup.handle(handlers.on_activity_event, ActivityEventPostponed(
        **off.model_dump(exclude={"revision"}), revision=2, reason="Sairastuminen"))
    now = setup.client.runtime.clock.now()
    for lang in ("fi", "sv", "en"):
        await setup.pool.execute(
            """INSERT INTO subscriptions (id, email, language, status, topics, created_at,
                                          confirmed_at)
               VALUES ($1, $2, $3, 'active', '{crafts}', $4, $4)""",
            uuid4(), f"{lang}@example.fi", lang, now)
    assert await digests(setup) == 3
    assert await setup.send() == {"published": 3}
    texts = {m["to"]: parse(m["raw"]).get_body(("plain",)).get_content()  # type: ignore[union-attr]
             for m in setup.fake.posts("email")}
    marks = {"fi": ("SIIRRETTY: Kutomo", "Uusi aika kerrotaan myöhemmin."),
             "sv": ("UPPSKJUTET: Sagostund", "Den nya tiden meddelas senare."),
             "en": ("POSTPONED: Kutomo", "The new time will be announced later.")}
    for lang, (title, later) in marks.items():
        text = texts[f"{lang}@example.fi"]
        assert title in text and later in text, text
        # The one that is on reads as an announcement, unmarked.
        assert "Käsityökerho" in text or "Sagostund" in text
        assert text.count(marks[lang][0].split(":")[0]) == 1, text


def choices(page: str) -> dict[str, str]:
    """The follow page's checkboxes: value → the words the resident reads beside it."""
    return dict(re.findall(
        r'<input type="checkbox" name="\w+" value="([^"]+)"[^>]*> ([^<]+)</label>', page))


#: The words the events service tells for the codes the page below offers (its seed's).
TERMS = {("kind", "open_guided"): ("Avoin ohjattu toiminta", "Öppen handledd verksamhet",
                                   "Open guided activity"),
         ("kind", "resident_evening"): ("Asukasilta", "Invånarkväll", "Resident evening"),
         ("kind", "digital"): ("Digitaalinen toiminta", "Digital verksamhet",
                               "Digital activity"),
         ("topic", "crafts"): ("Askartelu ja käsityöt", "Pyssel och hantverk", "Crafts"),
         ("topic", "games"): ("Pelit", "Spel", "Games"),
         ("topic", "digital_skills"): ("Digitaidot", "Digitala färdigheter", "Digital skills"),
         ("audience", "families"): ("Lapsiperheet", "Barnfamiljer", "Families"),
         ("audience", "seniors"): ("Seniorit", "Seniorer", "Seniors"),
         ("audience", "youth"): ("Nuoret", "Unga", "Young people")}


async def test_the_follow_page_names_areas_and_the_vocabulary_in_the_readers_language(
        setup: Setup) -> None:
    for (scheme, code), (fi, sv, en) in TERMS.items():
        await setup.handle(handlers.on_vocabulary_term, VocabularyTermSet(
            scheme=scheme, code=code, label=LocalizedText(fi=fi, sv=sv, en=en), revision=1))
    for area, kind, topic, audience in (("kuopio.jynkka", "open_guided", "crafts", "families"),
                                        ("kuopio.neulamaki", "resident_evening", "games",
                                         "seniors"),
                                        ("kuopio.keskusta", "digital", "digital_skills",
                                         "youth")):
        await setup.handle(handlers.on_activity_event, activity(
            kind=kind, topics=[topic], audiences=[audience]).model_copy(update={"area": area}))
    fi = choices((await setup.client.get("/follow?lang=fi")).text)
    sv = choices((await setup.client.get("/follow?lang=sv")).text)
    en = choices((await setup.client.get("/follow?lang=en")).text)
    assert fi["kuopio.jynkka"] == "Jynkkä" and fi["kuopio.neulamaki"] == "Neulamäki"
    assert fi["kuopio.keskusta"] == "Keskusta" and sv["kuopio.keskusta"] == "Centrum"
    assert en["kuopio.keskusta"] == "City centre" and sv["kuopio.jynkka"] == "Jynkkä"
    assert (fi["open_guided"], sv["open_guided"], en["open_guided"]) == (
        "Avoin ohjattu toiminta", "Öppen handledd verksamhet", "Open guided activity")
    assert (fi["crafts"], sv["crafts"]) == ("Askartelu ja käsityöt", "Pyssel och hantverk")
    assert (fi["families"], sv["families"]) == ("Lapsiperheet", "Barnfamiljer")
    assert (fi["digital_skills"], sv["seniors"]) == ("Digitaidot", "Seniorer")
    # No term reads as its code on a Finnish or Swedish page (an area's name may be its
    # code as a word, "Juankoski"; those with their own letters are said above).
    for page in (fi, sv):
        for code, words in page.items():
            last = code.rsplit(".", 1)[-1]
            assert words.casefold() != last.replace("_", " ").casefold() or code in (
                AREAS), (code, words)


async def test_each_new_activity_that_matches_is_sent_once(setup: Setup) -> None:
    await setup.account("email")
    token = await subscribe(setup, email="uusi@example.fi", language="sv",
                            areas="kuopio.nilsia", each_new="1")
    assert token
    new = activity(name="Satutunti", kind="open_guided")
    await setup.handle(handlers.on_activity_event, new)
    await setup.handle(handlers.on_activity_event, new)  # redelivered: still one message
    elsewhere = activity(name="Muualla").model_copy(update={"area": "kuopio.keskusta"})
    await setup.handle(handlers.on_activity_event, elsewhere)
    assert await setup.send() == {"published": 1}
    mail = parse(setup.fake.posts("email")[-1]["raw"])
    day = new.starts_at.astimezone(HELSINKI).date()
    assert mail["Subject"] == f"Nytt evenemang: Sagostund {l10n.day_dated(day, 'sv')}"
    assert "Sagostund" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_links_that_were_not_made_here_find_nothing(setup: Setup) -> None:
    for url in ("/follow/" + "0" * 64 + "?lang=fi", "/follow/nonsense",
                "/registrations/cancel/" + "a" * 64):
        page = await setup.client.get(url)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "<h1>" in page.text


async def test_only_what_activities_are_followed_by_can_be_chosen(setup: Setup) -> None:
    """A hand-made form's choices that no activity could carry (markup, 2,000 characters,
    a capital letter) are refused in the reader's language, and nothing is kept."""
    for field, odd in (("areas", "<script>"), ("topics", "x" * 2000), ("kinds", "Open_guided"),
                       ("audiences", "families children"), ("areas", "")):
        refused = await setup.client.post("/follow?lang=sv", data={
            "email": "odd@example.fi", "areas": ["kuopio.keskusta", odd]} if field == "areas"
            else {"email": "odd@example.fi", "areas": "kuopio.keskusta", field: odd})
        assert refused.status_code == 422, (field, odd[:20], refused.status_code)
        assert "Välj det du vill följa i listan." in refused.text
    assert await setup.pool.fetchval("SELECT count(*) FROM subscriptions") == 0
    # The same form with the city's own codes is taken.
    taken = await setup.client.post("/follow?lang=sv", data={
        "email": "odd@example.fi", "areas": "kuopio.keskusta", "topics": "nature",
        "kinds": "open_guided", "audiences": "families"})
    assert taken.status_code == 201, taken.text


def test_mail_links_lead_to_the_address_the_forms_are_checked_against(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A sign-up's or a follower's mail links to this service's own public address unless
    one is named apart: a form opened on another address would be refused as foreign."""
    from services.notifications import handlers

    monkeypatch.delenv("KOHTAAMO_PUBLIC_NOTIFICATIONS_URL", raising=False)
    monkeypatch.delenv("KOHTAAMO_NOTIFICATIONS_PUBLIC_URL", raising=False)
    assert handlers.reach_links().base_url == "http://127.0.0.1:8003"
    monkeypatch.setenv("KOHTAAMO_NOTIFICATIONS_PUBLIC_URL", "https://osallistu.kuopio.example/")
    assert handlers.reach_links().base_url == "https://osallistu.kuopio.example"
    monkeypatch.setenv("KOHTAAMO_PUBLIC_NOTIFICATIONS_URL", "https://muu.kuopio.example")
    assert handlers.reach_links().base_url == "https://muu.kuopio.example"


async def test_a_follow_form_in_a_language_we_do_not_write_is_refused_by_name(
        setup: Setup) -> None:
    """The follow form's language is the mail's: one we cannot write is named on the form
    again (422, in the reader's language), as the sign-up form does, never read as Finnish,
    and nothing is kept. A tag of ours ("SV", "sv-FI") is that language, as in an address."""
    await setup.account("email")
    form = {"email": "kieli@example.fi", "areas": "kuopio.keskusta"}
    for odd in ("xx", "de", ""):
        refused = await setup.client.post("/follow?lang=en", data={**form, "language": odd})
        assert refused.status_code == 422, (odd, refused.status_code)
        assert "language is Finnish, Swedish or English" in refused.text, odd
        assert 'value="kieli@example.fi"' in refused.text  # the form again, as it was
    assert await setup.pool.fetchval("SELECT count(*) FROM subscriptions") == 0

    token = await subscribe(setup, email="kieli@example.fi", language="sv-FI",
                            areas="kuopio.keskusta")
    assert await setup.pool.fetchval("SELECT language FROM subscriptions") == "sv"
    changed = await setup.client.post(f"/follow/{token}?lang=fi", data={
        "language": "xx", "areas": "kuopio.keskusta", "topics": "crafts"})
    assert changed.status_code == 422
    assert "Lomakkeen kieli on suomi, ruotsi tai englanti" in changed.text
    kept = await setup.pool.fetchrow("SELECT language, topics FROM subscriptions")
    assert (kept["language"], list(kept["topics"])) == ("sv", [])
    saved = await setup.client.post(f"/follow/{token}?lang=fi", data={
        "language": "EN", "areas": "kuopio.keskusta"})
    assert saved.status_code == 303
    assert await setup.pool.fetchval("SELECT language FROM subscriptions") == "en"


async def test_the_personal_feeds_say_whole_days_prices_and_link_each_activity(
        setup: Setup) -> None:
    """As the boards' feeds say them: a whole-day activity by its dates (an all-day
    calendar entry), a paid one by its price, and each item leads to its activity's page."""
    await setup.account("email")
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Nilsiän kirjasto", sv="Nilsiä bibliotek"),
        kind="library", area="kuopio.nilsia", municipality="Kuopio"))
    day = (datetime.now(HELSINKI) + timedelta(days=5)).date()
    midnight = datetime.combine(day, time(0), HELSINKI)
    market = activity(venue_id=VENUE).model_copy(update={
        "name": LocalizedText(fi="Joulumarkkinat", sv="Julmarknad"), "starts_at": midnight,
        "ends_at": midnight + timedelta(days=2), "all_day": True})
    course = activity(venue_id=VENUE, days=6, free=False, price=Decimal("12.50")).model_copy(
        update={"name": LocalizedText(fi="Kurssi", sv="Kurs")})
    for event in (market, course):
        await setup.handle(handlers.on_activity_event, event)
    token = await subscribe(setup, email="seuraaja@example.fi", language="sv",
                            areas="kuopio.nilsia")

    ics = icalendar.Calendar.from_ical(
        (await setup.client.get(f"/follow/{token}/feed.ics")).content)
    entries = {str(e["SUMMARY"]): e for e in ics.walk("VEVENT")}
    assert entries["Julmarknad"].decoded("DTSTART") == day  # a date, not a time
    assert entries["Julmarknad"].decoded("DTEND") == day + timedelta(days=2)
    page = handlers.public_events_url() + "/events/{}/page?lang=sv"
    assert str(entries["Julmarknad"]["URL"]) == page.format(market.event_id)
    assert "12,50" in str(entries["Kurs"]["DESCRIPTION"])

    rss = feedparser.parse((await setup.client.get(f"/follow/{token}/feed.rss")).text)
    items = {e.title: e for e in rss.entries}
    assert items["Kurs"].link == page.format(course.event_id)
    assert "12,50" in items["Kurs"].description
    said = l10n.time_span(market.starts_at, market.ends_at, "sv", all_day=True)
    assert said in items["Julmarknad"].description
    assert "00:00" not in items["Julmarknad"].description


async def test_a_personal_feed_of_no_subscription_is_said_in_the_links_language(
        setup: Setup) -> None:
    gone = "0" * 64
    said = {}
    for lang in ("fi", "sv", "en", None):
        for feed in ("feed.ics", "feed.rss"):
            answer = await setup.client.get(f"/follow/{gone}/{feed}",
                                            params={"lang": lang} if lang else {})
            assert answer.status_code == 404
            assert answer.headers["content-language"] == (lang or "fi")
            said[lang, feed] = answer.text
    assert said["en", "feed.ics"] == "No such subscription. Check the link."
    assert said[None, "feed.rss"] == said["fi", "feed.ics"] != said["sv", "feed.ics"]
    assert len({said[lang, "feed.ics"] for lang in ("fi", "sv", "en")}) == 3


async def test_a_follower_mailed_a_new_activity_hears_when_it_moves_or_is_cancelled(
        setup: Setup) -> None:
    """They read its old details: the change reaches them as it reaches an account that
    announced it, in their language, once per change; one who was not mailed it (it was
    published before they followed) is not told of a change to it."""
    await setup.account("email")
    before = activity(name="Aiempi", days=2)
    await setup.handle(handlers.on_activity_event, before)
    await subscribe(setup, email="muutos@example.fi", language="sv", areas="kuopio.nilsia",
                    each_new="1")
    first = activity(name="Satutunti", days=3)
    await setup.handle(handlers.on_activity_event, first)
    assert await setup.send() == {"published": 1}
    later = first.starts_at + timedelta(days=1)
    moved = ActivityEventRescheduled(**{**first.model_dump(), "revision": 2,
                                        "starts_at": later, "ends_at": later + timedelta(hours=1),
                                        "previous_starts_at": first.starts_at,
                                        "previous_ends_at": first.ends_at})
    for _ in range(2):  # redelivered: one mail
        await setup.handle(handlers.on_activity_event, moved)
    unrelated = ActivityEventCancelled(**{**before.model_dump(), "revision": 2})
    await setup.handle(handlers.on_activity_event, unrelated)
    assert await setup.send() == {"published": 1}
    cancelled = ActivityEventCancelled(**{**moved.model_dump(), "revision": 3})
    await setup.handle(handlers.on_activity_event, cancelled)
    assert await setup.send() == {"published": 1}

    mails = [parse(p["raw"]) for p in setup.fake.posts("email")[-2:]]
    texts = [m.get_body(("plain",)).get_content() for m in mails]  # type: ignore[union-attr]
    # Each names the activity, what became of it and its day, in the follower's language.
    day = l10n.day_dated(later.astimezone(HELSINKI).date(), "sv")
    assert [m["Subject"] for m in mails] == [f"Ny tid: Sagostund {day}",
                                             f"Inställt: Sagostund {day}"]
    assert "NY TID: Sagostund" in texts[0] and "(tidigare " in texts[0]
    assert "INSTÄLLT: Sagostund" in texts[1]
    assert all("Aiempi" not in t for t in texts)
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)
    purposes = await setup.pool.fetch(
        "SELECT purpose, count(*) AS n FROM deliveries WHERE purpose LIKE 'subscription_%'"
        " GROUP BY purpose ORDER BY purpose")
    assert {r["purpose"]: r["n"] for r in purposes} == {
        "subscription_change": 2, "subscription_confirm": 1, "subscription_new": 1}


async def test_saving_choices_after_unsubscribing_says_it_subscribes_again(
        setup: Setup) -> None:
    """A tester unsubscribed, opened "change your choices" and saved: the subscription was on
    again, and the page said only "Saved"."""
    await setup.account("email")
    token = await subscribe(setup, email="taas@example.fi", language="sv",
                            areas="kuopio.nilsia")
    gone = await setup.client.post(f"/follow/{token}/unsubscribe?lang=sv")
    assert gone.status_code == 200
    page = await setup.client.get(f"/follow/{token}?lang=sv")
    assert "Om du sparar valen prenumererar du på dem igen." in page.text
    saved = await setup.client.post(f"/follow/{token}?lang=sv", data={
        "language": "sv", "areas": ["kuopio.nilsia"]})
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=resumed")
    again = await setup.client.get(saved.headers["location"])
    assert "Sparat: din prenumeration gäller igen." in again.text
    # Saved once more while on: only saved.
    twice = await setup.client.post(f"/follow/{token}?lang=sv", data={
        "language": "sv", "areas": ["kuopio.nilsia"]})
    assert twice.headers["location"].endswith("done=saved")


async def test_a_refused_address_is_said_by_its_input_which_takes_the_focus(
        setup: Setup) -> None:
    """A keyboard user's refused address was said only above the form, the focus left on
    the page's body: now by the input, as the sign-up form says its own."""
    refused = await setup.client.post("/follow?lang=sv", data={
        "email": "qa@localhost", "language": "sv", "areas": "kuopio.jynkka"})
    assert refused.status_code == 422
    field = re.search(r'<input type="email" id="email"[^>]*>', refused.text)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0) and "autofocus" in field.group(0)
    assert 'aria-describedby="email-error email-hint"' in field.group(0)
    assert re.search(r'<p class="field-error" id="email-error">[^<]*e-postadress', refused.text)
    # Nothing chosen is no input's: said above the form, which takes the focus.
    nothing = await setup.client.post("/follow?lang=en", data={
        "email": "qa@example.fi", "language": "en"})
    assert nothing.status_code == 422
    assert re.search(r'<p class="msg error" role="alert" id="error" tabindex="-1" autofocus>',
                     nothing.text)
