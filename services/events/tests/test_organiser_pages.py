"""The organisers' own pages (issue #16) in a real browser (Debian's Chromium, via Playwright)
against the events service as a process on real PostgreSQL: sign in, open the draft of a
confirmed booking, write it in Finnish and Swedish, see a refusal next to its field in Swedish
with the form kept, preview it (the public page, the notice board slide and each platform's
post), publish, postpone and cancel with a reason, and report the attendance of an activity
that has taken place, with the feedback survey's short link and QR code. axe-core finds
nothing serious on any of the pages in fi, sv and en, on a phone (390 x 844) and a desktop
(1920 x 1080)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from services.events import usecases
from shared.clock import HELSINKI, SYSTEM_CLOCK
from shared.contracts import BookingConfirmed, LocalizedText, SpaceInfo, VenueRegistered
from shared.db import create_pool
from shared.l10n import clock_time, weekday_short
from tests.axe import violations
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

SUBJECT = "kamarikuoro"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Kamarikuoro Kaiku")
METRICS = "https://mittarit.example.fi"
BOOKING = "https://tilat.example.fi"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}


async def _confirmed_bookings(dsn: str) -> tuple[UUID, UUID, UUID]:
    """A venue and two confirmed bookings of the organiser, each given its draft by the use
    case a `booking.confirmed` event runs (`handlers.on_booking_confirmed`): one coming, one
    that has started. Returns (venue, coming booking, started booking)."""
    pool = await create_pool(dsn)
    try:
        venue_id, space_id = uuid4(), uuid4()
        await usecases.record_venue(usecases.unit_of_work(pool), SYSTEM_CLOCK, VenueRegistered(
            venue_id=venue_id, name=LocalizedText(fi="Jynkän kirjasto", sv="Jynkkä bibliotek"),
            kind="library", area="kuopio.jynkka", municipality="Kuopio",
            spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Satusali"),
                              capacity=40)]))
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        bookings = []
        # The coming one at 18.00 in Helsinki, whatever the hour of the run: after 22.00 its
        # two hours crossed midnight, and its longer time line left Bluesky's 300 characters
        # no room for the name beside the test's long local links.
        coming = datetime.combine((now + timedelta(days=5)).astimezone(HELSINKI).date(),
                                  time(18), tzinfo=HELSINKI)
        for starts_at, title in ((coming, "Kuoroharjoitus"),
                                 (now - timedelta(hours=3), "Syyskonsertti")):
            booking_id = uuid4()
            await usecases.draft_from_booking(
                usecases.unit_of_work(pool), SYSTEM_CLOCK, BookingConfirmed(
                    booking_id=booking_id, venue_id=venue_id, space_id=space_id,
                    starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), title=title,
                    organiser_id=uuid4(), organiser_subject=SUBJECT))
            bookings.append(booking_id)
        return venue_id, bookings[0], bookings[1]
    finally:
        await pool.close()


async def _no_serious_violations(page: Any, url: str, what: str) -> None:
    for lang in ("fi", "sv", "en"):
        await page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
        for size in (PHONE, DESKTOP):
            await page.set_viewport_size(size)
            assert await violations(page) == [], (what, lang, size)
    await page.set_viewport_size(PHONE)


async def test_an_organiser_writes_publishes_and_reports_their_activity_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn, env={"KOHTAAMO_PUBLIC_METRICS_URL": METRICS,
                                                   "KOHTAAMO_PUBLIC_BOOKING_URL": BOOKING})
    _, coming, started = await _confirmed_bookings(dsn)
    base = proc.url
    async with httpx.AsyncClient(base_url=base) as http, launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE, locale="fi-FI")

        # The booking page's link: signed out, the sign-in form, then on to the draft.
        await page.goto(f"{base}/my/activities/new?booking={coming}")
        assert "/my/login" in page.url
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_url("**/my/activities/*?lang=fi")
        event_id = page.url.split("/my/activities/")[1].split("?")[0]
        assert await page.locator("h1").inner_text() == "Kuoroharjoitus"
        assert "Jynkän kirjasto" in await page.locator("main").inner_text()
        form = f"{base}/my/activities/{event_id}"

        # A booking not (yet) known here: said so, not a bare 404.
        missing = await page.goto(f"{base}/my/activities/new?booking={uuid4()}&lang=fi")
        assert missing is not None and missing.status == 404
        assert await page.locator("h1").inner_text() == "Luonnos on vielä tulossa"

        # Written in Swedish; an address that is not a web address is refused next to its
        # field in Swedish, nothing stored, everything typed kept.
        await page.goto(f"{form}?lang=sv")
        # The booking service's pages are a link away, under the same sign-in.
        pages = page.get_by_role("navigation", name="Arrangörens sidor")
        assert await pages.get_by_role("link", name="Hitta en lokal").get_attribute("href") == \
            f"{BOOKING}/my/spaces?lang=sv"
        assert await pages.get_by_role("link", name="Mina bokningar").get_attribute("href") == \
            f"{BOOKING}/my/bookings?lang=sv"
        await page.fill("#f-name-sv", "Körövning")
        await page.fill("#f-short_description-fi", "Avoin kuoroharjoitus kaikille")
        await page.fill("#f-short_description-sv", "Öppen körövning för alla")
        await page.fill("#f-description-fi", "Tule laulamaan Jynkän kirjastoon!")
        await page.fill("#f-description-sv", "Kom och sjung i Jynkkä bibliotek!")
        await page.select_option("#f-kind", "open_guided")
        await page.check("input[name=topics][value=music]")
        await page.check("input[name=audiences][value=everyone]")
        await page.check("input[name=languages][value=sv]")
        await page.fill("#f-min_age", "12")
        await page.fill("#f-accessibility-fi", "Esteetön sisäänkäynti, induktiosilmukka")
        await page.uncheck("#f-free")
        await page.fill("#f-price", "5,50")
        await page.check("#f-registration_required")
        await page.fill("#f-capacity", "30")
        await page.fill("#f-organiser_name", "Kamarikuoro Kaiku")
        await page.fill("#f-image_url", "ftp://kuvat.example.fi/kuoro.jpg")
        await page.fill("#f-image_alt-fi", "Kuoro laulaa kirjastossa")
        await page.get_by_role("button", name="Spara").click()
        await page.wait_for_selector("#e-image_url")
        assert await page.locator("#e-image_url").inner_text() == \
            "Ange en adress som börjar med https:// eller http://."
        assert await page.get_attribute("#f-image_url", "aria-invalid") == "true"
        assert await page.input_value("#f-name-sv") == "Körövning"
        assert await page.input_value("#f-price") == "5,50"
        assert not await page.is_checked("#f-free")
        assert await page.is_checked("input[name=topics][value=music]")
        stored = (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()
        assert stored["name"].get("sv") is None and stored["image_url"] is None
        assert await violations(page) == []

        await page.fill("#f-image_url", "https://kuvat.example.fi/kuoro.jpg")
        await page.get_by_role("button", name="Spara").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert await page.locator("p.msg[role=status]").inner_text() == "Sparat."
        stored = (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()
        assert stored["name"] == {"fi": "Kuoroharjoitus", "sv": "Körövning", "en": None}
        assert stored["short_description"]["sv"] == "Öppen körövning för alla"
        assert (stored["price"], stored["free"], stored["capacity"]) == ("5.50", False, 30)
        assert stored["topics"] == ["music"] and stored["languages"] == ["fi", "sv"]
        assert stored["registration_required"] and stored["min_age"] == 12
        assert stored["image_url"] == "https://kuvat.example.fi/kuoro.jpg"

        # The preview is the public page's own rendering, with a banner of its own.
        await page.get_by_role("link", name="Förhandsvisa").click()
        await page.wait_for_url("**/preview?lang=sv")
        assert await page.locator("h1").inner_text() == "Körövning"
        assert "Evenemanget är inte offentligt ännu." in \
            await page.locator("aside.preview").inner_text()
        details = await page.locator("dl").inner_text()
        assert "5,50" in details and "Jynkkä bibliotek" in details
        assert (await http.get(f"/events/{event_id}/page")).status_code == 404  # not public
        # Below it, before anything is published: the venue board's slide in each language,
        # and one post per platform, cut to that platform's limit, with the image's alt text.
        channels = page.locator("aside.channels")
        assert await channels.locator("h2").first.inner_text() == "I stadens kanaler"
        assert "beror på kontot: det publicerar på sina egna språk" in \
            await channels.inner_text()
        frames = channels.locator("figure.board-frame")
        assert await frames.evaluate_all("fs => fs.map(f => f.dataset.lang)") == [
            "fi", "sv", "en"]
        assert await frames.locator(".slide .name").all_inner_texts() == [
            "Kuoroharjoitus", "Körövning", "Kuoroharjoitus"]
        swedish = channels.locator("figure.board-frame[data-lang=sv] .slide")
        assert await swedish.locator(".place").inner_text() == "Jynkkä bibliotek, Satusali"
        assert await swedish.locator(".free").inner_text() == "5,50\xa0€, anmäl dig på förhand"
        start = datetime.fromisoformat(stored["starts_at"]).astimezone(HELSINKI)
        assert await swedish.locator(".day").inner_text() == weekday_short(start.date(), "sv")
        assert (await swedish.locator(".time").inner_text()).startswith(
            clock_time(start, "sv"))
        posts = channels.locator("article.post")
        assert await posts.evaluate_all("ps => ps.map(p => p.dataset.platform)") == [
            "facebook", "instagram", "mastodon", "bluesky"]
        limits = {"facebook": 63206, "instagram": 2200, "mastodon": 500, "bluesky": 300}
        for platform, limit in limits.items():
            post = channels.locator(f"article.post[data-platform={platform}]")
            text = await post.locator("pre").inner_text()
            assert len(text) <= limit, platform
            assert text.startswith("Kuoroharjoitus\n"), platform
            assert "Jynkän kirjasto, Satusali" in text, platform
            assert text.endswith(f"/events/{event_id}/page?lang=fi"), platform
            assert await post.locator("img").get_attribute("alt") == \
                "Kuoro laulaa kirjastossa"
            assert await post.locator("figcaption").inner_text() == \
                "Bildens alternativtext: Kuoro laulaa kirjastossa"
        facebook = await posts.and_(page.locator("[data-platform=facebook]")).locator(
            "pre").inner_text()
        bluesky = posts.and_(page.locator("[data-platform=bluesky]"))
        assert "Körövning" in facebook
        assert "Körövning" not in await bluesky.locator("pre").inner_text()
        assert (await bluesky.locator(".count").inner_text()).endswith(" / 300 tecken")
        await _no_serious_violations(page, f"{form}/preview", "draft preview")
        await page.goto(f"{form}/preview?lang=sv")

        # Published at once: its booking is confirmed where it happens.
        await page.get_by_role("link", name="Tillbaka till evenemangets uppgifter").click()
        await page.get_by_role("button", name="Publicera").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert (await page.locator("p.msg[role=status]").inner_text()).startswith("Publicerat")
        assert (await http.get(f"/events/{event_id}")).json()["status"] == "published"
        # It needs registration: the organiser reaches who signed up, residents the sign-up
        # page, both kept by the notifications service.
        signed_up = page.get_by_role("link", name="Anmälda")
        assert (await signed_up.get_attribute("href")).endswith(
            f"/registrations/{event_id}/participants?lang=sv")
        # The registration section leads to the sign-up's settings and questions, there too.
        questions = page.locator("fieldset").filter(has=page.locator(
            "#f-registration_required")).get_by_role(
            "link", name="Inställningar och frågor för anmälan")
        assert (await questions.get_attribute("href")).endswith(
            f"/registrations/{event_id}/settings?lang=sv")
        public = await http.get(f"/events/{event_id}/page?lang=fi")
        assert f'/registrations/{event_id}?lang=fi">Ilmoittaudu ennakkoon</a>' in public.text

        # Moved to a new time: the booking is asked to move first (ADR 0003).
        await page.goto(f"{form}?lang=fi")
        later = datetime.fromisoformat(stored["starts_at"]) + timedelta(days=1)
        await page.fill("#f-reschedule-starts_at",
                        later.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M"))
        await page.fill("#f-reschedule-ends_at", (later + timedelta(hours=2)).astimezone(
            HELSINKI).strftime("%Y-%m-%dT%H:%M"))
        await page.get_by_role("button", name="Siirrä uuteen aikaan").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert (await page.locator("p.msg[role=status]").inner_text()).startswith(
            "Tilavarauksen siirtoa on pyydetty")
        pending = (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()
        assert datetime.fromisoformat(pending["pending_move"]["starts_at"]) == later

        # Postponed with a reason (none is refused next to its field), then cancelled.
        await page.get_by_role("button", name="Siirrä myöhemmäksi").click()
        await page.wait_for_selector("#e-postpone-reason")
        assert await page.locator("#e-postpone-reason").inner_text() == \
            "Tämä tieto tarvitaan."
        await page.fill("#f-postpone-reason", "Kuoronjohtaja sairastui")
        await page.get_by_role("button", name="Siirrä myöhemmäksi").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert (await http.get(f"/events/{event_id}")).json()["status"] == "postponed"
        await page.fill("#f-cancel-reason", "Harjoitus siirtyy kevääseen")
        await page.get_by_role("button", name="Peru tapahtuma").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert await page.locator("p.msg[role=status]").inner_text() == \
            "Peruttu. Syy kerrotaan asukkaille."
        assert (await http.get(f"/events/{event_id}")).json()["status"] == "cancelled"
        public = await http.get(f"/events/{event_id}/page?lang=fi")
        assert "Harjoitus siirtyy kevääseen" in public.text

        # After it: the activity that has started is published and its attendance reported.
        draft = (await http.get("/events", headers=ORGANISER,
                                params={"booking_id": str(started)})).json()["items"][0]
        past = f"{base}/my/activities/{draft['id']}"
        await page.goto(f"{past}?lang=fi")
        await page.get_by_role("button", name="Julkaise").click()
        await page.wait_for_selector("p.msg[role=status]")
        # Over already (a late report): published, and said to be a past activity.
        assert await page.locator("p.msg[role=status]").inner_text() == (
            "Julkaistu menneenä toimintana: se on jo päättynyt, joten se ei näy tulevissa "
            "tapahtumissa. Se näkyy kalenterissa päivänsä kohdalla ja lasketaan tilastoihin.")
        await page.get_by_role("link", name="Osallistujat ja palaute").click()
        await page.wait_for_url("**/attendance?lang=fi")
        assert await page.locator("a.short").inner_text() == \
            f"{METRICS}/f/{UUID(draft['id']).hex[:10]}"
        assert (await page.get_attribute("p.qr img", "src") or "").startswith(
            "data:image/svg+xml")
        await page.fill("#f-participants", "-3")
        await page.get_by_role("button", name="Ilmoita").click()
        await page.wait_for_selector("#e-participants")
        # -3 is a whole number: what is wrong is its range.
        assert await page.locator("#e-participants").inner_text() == \
            "Anna luku väliltä 0–1\u00a0000\u00a0000."
        await page.fill("#f-participants", "14")
        await page.fill("#f-visitors", "5")
        await page.get_by_role("button", name="Ilmoita").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert await page.locator("p.current").inner_text() == \
            "Viimeksi ilmoitettu: 14 osallistujaa, 5 kävijää."
        steps = (await http.get(f"/events/{draft['id']}/history", headers=ORGANISER)).json()
        assert any(s["status"] == "attendance_reported"
                   and s["reason"] == "14 participants, 5 visitors" for s in steps)

        # Without a booking where it happens, publishing sends it to the approval queue,
        # and the page says so.
        made = await http.post("/events", headers=ORGANISER, json={
            "name": {"fi": "Puistolaulanta"}, "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"},
            "area": "kuopio.jynkka", "starts_at": stored["starts_at"],
            "ends_at": stored["ends_at"]})
        await page.goto(f"{base}/my/activities/{made.json()['id']}?lang=en")
        await page.get_by_role("button", name="Publish").click()
        await page.wait_for_selector("p.msg[role=status]")
        assert (await page.locator("p.msg[role=status]").inner_text()) == (
            "Sent for approval. Communications or the venue's staff decide. The decision "
            "shows on this page. No email is sent about it, as neither your sign-in nor "
            "your booking gives a verified email address.")
        assert "Waiting for approval" in await page.locator("main").inner_text()
        assert not await page.locator("button", has_text="Save").count()

        # My activities: all, with what to do next; every page passes axe in fi, sv, en.
        await page.goto(f"{base}/my/activities?lang=fi")
        listed = await page.locator("main").inner_text()
        assert "Kuoroharjoitus" in listed and "Syyskonsertti" in listed
        assert "Jynkän kirjasto, Jynkkä" in listed
        assert "Osallistujamäärä on ilmoitettu. Kiitos!" in listed
        for url, what in ((f"{base}/my/activities", "list"), (form, "form"),
                          (f"{past}", "published form"),
                          (f"{past}?done=published_past", "published as past"),
                          (f"{form}/preview", "preview"),
                          (f"{past}/attendance", "attendance"),
                          (f"{base}/my/activities/new?booking={uuid4()}", "missing")):
            await _no_serious_violations(page, url, what)


async def test_one_save_says_every_refusal_by_its_input_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    """Several independent faults in one save (a Finnish name and short description missing,
    no language, ages the wrong way round, two links not web addresses): one answer names
    them all, each by its input and in the summary, which takes focus and links to each,
    naming each input by its label (those refused alike told apart); axe-core finds nothing
    serious on it, on a phone and a desktop."""
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    _, coming, _ = await _confirmed_bookings(dsn)
    async with httpx.AsyncClient(base_url=proc.url) as http, \
            launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)
        await page.goto(f"{proc.url}/my/activities/new?booking={coming}&lang=en")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_url("**/my/activities/*?lang=en")
        event_id = page.url.split("/my/activities/")[1].split("?")[0]
        before = (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()

        await page.fill("#f-name-fi", "")
        await page.fill("#f-name-en", "Choir practice")
        await page.fill("#f-short_description-en", "We sing together")
        await page.select_option("#f-place_kind", "online")
        await page.uncheck("input[name=languages][value=fi]")
        await page.fill("#f-min_age", "12")
        await page.fill("#f-max_age", "7")
        await page.fill("#f-online_url", "kuoro.example.fi/live")
        await page.fill("#f-image_url", "kuvat.example.fi/kuoro.jpg")
        await page.get_by_role("button", name="Save").click()
        await page.wait_for_selector("#refusals")
        inputs = ["f-name-fi", "f-short_description-fi", "f-online_url", "f-languages",
                  "f-max_age", "f-image_url"]
        links = page.locator("#refusals a")
        assert await links.evaluate_all("as => as.map(a => a.hash.slice(1))") == inputs
        assert await focused_id(page) == "refusals"
        address = "Give an address starting with https:// or http://."
        for key, label, text in (
                ("name-fi", "Name in Finnish", "Write this in Finnish"),
                ("short_description-fi", "Short description in Finnish",
                 "Write this in Finnish"),
                ("online_url", "Link to join (online)", address),
                ("languages", "The activity's languages", "Choose at least one language."),
                ("max_age", "Age up to", "The lowest age cannot be above the highest."),
                ("image_url", "Image address (https://…)", address)):
            said = await page.locator(f"#e-{key}").inner_text()
            assert text in said, key
            # Refused alike or not, each item of the summary names its input by its label.
            link = page.locator(f"#refusals a[href='#f-{key}']")
            assert await link.inner_text() == f"{label}: {said}", key
        assert await page.input_value("#f-name-en") == "Choir practice"
        for size in (PHONE, DESKTOP):
            await page.set_viewport_size(size)
            assert await violations(page) == [], size
        # A summary link takes the reader to its input.
        await links.nth(2).click()
        assert await page.evaluate("location.hash") == "#f-online_url"
        assert (await http.get(f"/events/{event_id}", headers=ORGANISER)).json() == before
