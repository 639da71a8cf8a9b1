"""Issue #16 end to end: one organiser, one browser, the four services as real processes on
the real Kafka and PostgreSQL, the fake social platforms and SMTP server, and a clock that
moves (`KOHTAAMO_CLOCK_FILE`) so the activity really ends:

sign in on the booking pages → find a space and ask for it → the desk confirms → the draft
is on the events pages (the same sign-in: the `/my` cookie is the host's, not the port's) →
complete, preview and publish it → on the venue's notice board screen and posted on the
city's social accounts → time passes past its end → the attendance prompt arrives by email
in the organiser's language → its link leads to the form, participants and visitors are
reported → the metrics dashboard counts the held activity and its participants for the area.

On a phone (390 × 844, in Swedish) and a desktop (1920 × 1080, in English); axe-core finds
no serious or critical WCAG 2.1 AA violation on any page visited."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import pytest_asyncio

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from services.booking.labels import labels as booking_labels
from services.booking.my_labels import my_labels
from services.events.labels import ORGANISER
from services.metrics.domain import BY_CODE
from services.notifications.demo import load_demo
from services.notifications.domain import board_id_for_venue
from shared.areas import area_name
from shared.clock import HELSINKI
from shared.db import create_pool
from tests.axe import serious_violations
from tests.infra import LOG_DIR, bearer, eventually, free_port, launch_chromium

pytestmark = pytest.mark.infra

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}
SERVICES = ("booking", "events", "notifications", "metrics")
AREA = "kuopio.neulamaki"
EMAIL = "lukupiiri@example.fi"
#: What the organiser's emails say, by language (services/notifications/rendering.py).
CONFIRMED = {"sv": "Din bokning är bekräftad", "en": "Your booking is confirmed"}
PROMPT = {"sv": "Berätta hur många som deltog", "en": "Tell us how many took part"}
#: The activity's name in the organiser's language (its Finnish name is the booking's title).
NAME = {"sv": "Läscirkel i Neulamäki", "en": "Neulamäki reading circle"}
TITLE = "Neulamäen lukupiiri"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    async with running_fake_platforms() as running:
        yield running


def _move_clock(path: Path, offset: timedelta) -> None:
    """Every service process reads the file on its next "now": written whole, by a rename."""
    draft = path.with_suffix(".new")
    draft.write_text(f"{int(offset.total_seconds())}\n")
    os.replace(draft, path)


async def _axe(page: Any, what: str) -> None:
    assert await serious_violations(page) == [], (what, page.url)


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "sv"), (DESKTOP, "en")],
                         ids=["phone-sv", "desktop-en"])
async def test_an_organiser_goes_from_a_space_to_the_indicators_in_one_browser(
    viewport: dict[str, int], lang: str, chromium_path: str, fresh_database: Any,
    spawn_service: Any, fake: FakePlatforms, tmp_path: Path,
) -> None:
    # fresh_database before spawn_service: the processes stop before their databases go.
    # --- the platform: four processes that know each other's public addresses --------------
    clock_file = tmp_path / "clock"  # no file yet: the wall clock
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    for platform in ("facebook", "instagram", "mastodon", "bluesky", "email"):
        (secrets / platform).write_text(str(getattr(fake.tokens, platform)))
    ports = {name: free_port() for name in SERVICES}
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {
        "KOHTAAMO_CLOCK_FILE": str(clock_file),
        "KOHTAAMO_PUBLIC_BOOKING_URL": url["booking"],
        "KOHTAAMO_PUBLIC_EVENTS_URL": url["events"],
        "KOHTAAMO_PUBLIC_NOTIFICATIONS_URL": url["notifications"],
        "KOHTAAMO_PUBLIC_METRICS_URL": url["metrics"],
        "KOHTAAMO_CHANNEL_SECRETS_DIR": str(secrets),
        # Scheduled passes often enough for a test: booking.ended, the sender.
        "KOHTAAMO_BOOKING_JOB_INTERVAL": "0.5",
        "KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0.3",
    }
    dsn = dict(zip(SERVICES, await asyncio.gather(*(fresh_database(s) for s in SERVICES)),
                   strict=True))
    # The city's channel accounts on the fake platforms, as `./kohtaamo up` loads them.
    pool = await create_pool(dsn["notifications"], 1, 2)
    try:
        await load_demo(pool, fake.http_url, f"{fake.smtp_host}:{fake.smtp_port}", secrets)
    finally:
        await pool.close()
    procs = await asyncio.gather(*(spawn_service(s, dsn[s], env=env, port=ports[s])
                                   for s in SERVICES))
    for proc in procs:  # said loudly, so nobody runs a moved clock unawares
        assert "DEVELOPMENT/TEST CLOCK" in proc.log_path.read_text(), proc.name

    async with httpx.AsyncClient(timeout=10) as http:
        venue = (await http.post(f"{url['booking']}/venues", headers=bearer("admin"), json={
            "name": {"fi": "Neulamäen kirjasto", "sv": "Neulamäki bibliotek",
                     "en": "Neulamäki library"},
            "kind": "library", "area": AREA, "municipality": "Kuopio",
            "address": "Neulamäentie 5",
            "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                        "capacity": 20}]})).json()
        space = venue["spaces"][0]["id"]
        desk = bearer("desk", venues=(venue["id"],), subject="neulamaki-desk")
        hours = await http.put(f"{url['booking']}/venues/{venue['id']}/hours", headers=desk,
                               json={"weekly": [{"weekday": d, "opens": "08:00",
                                                 "closes": "20:00"} for d in range(1, 8)]})
        assert hours.status_code == 200, hours.text
    organiser = bearer("organiser", subject="neulamaen-lukupiiri", name="Aino Lukija",
                       email=EMAIL, email_verified=True)
    token = organiser["Authorization"].removeprefix("Bearer ")
    day = (datetime.now(HELSINKI) + timedelta(days=2)).date()
    starts_at = datetime.combine(day, time(10), HELSINKI)
    my, ev = my_labels(lang), ORGANISER[lang]
    shot = f"journey-{viewport['width']}"
    LOG_DIR.mkdir(parents=True, exist_ok=True)

    async with launch_chromium(chromium_path) as browser, httpx.AsyncClient(timeout=10) as http:
        page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]

        # --- booking: sign in, find the space, hold a time, ask for it ----------------------
        await page.goto(f"{url['booking']}/my/spaces?lang={lang}")
        await page.wait_for_url("**/my/login?**")
        await _axe(page, "booking sign-in")
        await page.fill("input[name=token]", token)
        await page.click("button")
        await page.wait_for_url(f"{url['booking']}/my/spaces?lang={lang}")
        await page.fill("#f-day", day.isoformat())
        await page.select_option("#f-venue", venue["id"])
        await page.click("form.card button[type=submit]")
        await page.wait_for_url(f"**venue_id={venue['id']}**")
        card = page.locator(f"section.space[data-space='{space}']")
        await _axe(page, "find a space")
        slot = card.locator("form.slot").first
        await slot.locator("select[name=starts_at]").select_option(f"{day.isoformat()}T10:00")
        await slot.locator("button").click()
        await page.wait_for_url(f"**/my/bookings/*/request?lang={lang}*")
        booking_id = page.url.split("/my/bookings/")[1].split("/")[0]
        assert await page.locator("#r-name").input_value() == "Aino Lukija"
        await _axe(page, "request form")
        await page.fill("#r-title", TITLE)
        await page.fill("#r-library", "Sari Neulamäen kirjastosta")
        await page.fill("#r-email", EMAIL)
        await page.fill("#r-phone", "044 123 4567")
        await page.select_option("#r-language", lang)
        await page.check("#r-accept")
        await page.click("#request button[type=submit]")
        await page.wait_for_url(f"**/my/bookings/{booking_id}?**")
        assert await page.locator("#status").inner_text() == my["did_submit"]
        await _axe(page, "booking requested")

        # --- the desk confirms; the organiser is told, in their language ---------------------
        confirmed = await http.post(f"{url['booking']}/bookings/{booking_id}/confirm",
                                    headers=desk)
        assert confirmed.status_code == 200, confirmed.text

        async def mail(subject: str) -> dict[str, Any] | None:
            return next((m for m in fake.posts("email")
                         if m["to"] == EMAIL and m["subject"].startswith(subject)), None)

        confirmation = await eventually(lambda: mail(CONFIRMED[lang]), timeout=30)
        assert f"{url['booking']}/my/bookings/{booking_id}?lang={lang}" in confirmation["text"]

        # --- events: the draft, under the same sign-in ---------------------------------------
        async def draft() -> dict[str, Any] | None:
            items = (await http.get(f"{url['events']}/events", headers=organiser,
                                    params={"booking_id": booking_id})).json()["items"]
            return items[0] if items and items[0]["area"] == AREA else None

        event = await eventually(draft, timeout=30)
        event_id = event["id"]
        assert datetime.fromisoformat(event["starts_at"]) == starts_at  # from the booking
        await page.reload()
        assert await page.locator("#b-status").inner_text() == \
            booking_labels(lang)["statuses"]["confirmed"]
        await page.click("#b-activity")
        await page.wait_for_url(f"{url['events']}/my/activities/{event_id}?lang={lang}")
        assert await page.locator("h1").inner_text() == TITLE
        await _axe(page, "activity form")
        await page.fill(f"#f-name-{lang}", NAME[lang])
        await page.fill("#f-short_description-fi", "Luetaan ja keskustellaan yhdessä")
        await page.fill(f"#f-short_description-{lang}", {
            "sv": "Vi läser och diskuterar tillsammans",
            "en": "We read and talk together"}[lang])
        await page.fill("#f-description-fi", "Tule mukaan Neulamäen kirjaston lukupiiriin!")
        await page.select_option("#f-kind", "open_guided")
        await page.check("input[name=topics][value=culture]")
        await page.check("input[name=audiences][value=everyone]")
        await page.fill("#f-accessibility-fi", "Esteetön sisäänkäynti")
        await page.fill("#f-organiser_name", "Neulamäen lukupiiri")
        await page.get_by_role("button", name=ev["save"]).click()
        await page.wait_for_selector("p.msg[role=status]")
        assert await page.locator("p.msg[role=status]").inner_text() == ev["saved"]

        await page.get_by_role("link", name=ev["preview"]).click()
        await page.wait_for_url(f"**/my/activities/{event_id}/preview?lang={lang}")
        assert await page.locator("h1").inner_text() == NAME[lang]
        slide = page.locator(f"aside.channels figure.board-frame[data-lang={lang}] .slide")
        assert await slide.locator(".name").inner_text() == NAME[lang]
        await _axe(page, "preview")
        await page.get_by_role("link", name=ev["back_to_form"]).click()
        await page.get_by_role("button", name=ev["publish"]).click()
        await page.wait_for_selector("p.msg[role=status]")
        assert await page.locator("p.msg[role=status]").inner_text() == ev["published"]
        await _axe(page, "published activity")

        # --- notifications: on the venue's board screen, and posted ---------------------------
        board = board_id_for_venue(UUID(venue["id"]))
        screen = f"{url['notifications']}/boards/{board}/screen?lang={lang}"

        async def on_screen() -> bool:
            await page.goto(screen)
            return await page.locator(f"#slides .slide[data-id='{event_id}']").count() == 1

        await eventually(on_screen, timeout=30, interval=0.5)
        shown = page.locator(f"#slides .slide[data-id='{event_id}']")
        assert await shown.locator(".name").inner_text() == NAME[lang]
        await _axe(page, "board screen")  # once the slide has faded in (tests/axe.py)
        await page.screenshot(path=str(LOG_DIR / f"{shot}-board.png"))

        async def posted() -> list[dict[str, Any]] | None:
            posts = [p for p in fake.posts() if p["platform"] in ("facebook", "mastodon")
                     and f"/events/{event_id}/page" in str(p)]
            return posts if {p["platform"] for p in posts} == {"facebook", "mastodon"} \
                else None

        for post in await eventually(posted, timeout=30):
            assert TITLE in str(post), post["platform"]

        # --- time passes: the activity ends, its organiser is asked how many came ------------
        ends_at = datetime.fromisoformat(event["ends_at"])
        _move_clock(clock_file, ends_at + timedelta(minutes=10) - datetime.now(UTC))
        prompt = await eventually(lambda: mail(PROMPT[lang]), timeout=45)
        assert NAME[lang] in prompt["subject"]
        link = f"{url['events']}/my/activities/{event_id}/attendance?lang={lang}"
        assert link in prompt["text"].splitlines()
        for proc in procs:
            if proc.service in ("booking", "notifications"):  # the job, the prompt's rule
                assert "CLOCK MOVED" in proc.log_path.read_text(), proc.name

        # --- the link from the mail: participants and visitors reported ----------------------
        await page.goto(link)
        assert page.url == link  # still signed in
        assert await page.locator("a.short").inner_text() == \
            f"{url['metrics']}/f/{UUID(event_id).hex[:10]}"
        await _axe(page, "attendance form")
        await page.fill("#f-participants", "12")
        await page.fill("#f-visitors", "4")
        await page.get_by_role("button", name=ev["report"]).click()
        await page.wait_for_selector("p.msg[role=status]")
        assert await page.locator("p.current").inner_text() == \
            ev["current"].format(p=12, v=4)
        await _axe(page, "attendance reported")

        # --- metrics: the dashboard counts it for the area -----------------------------------
        dashboard = f"{url['metrics']}/dashboard?lang={lang}&year={day.year}"
        area = area_name(AREA, lang)
        wanted = {BY_CODE[code].name[lang]: value for code, value in (
            ("published_events", "1"), ("held_events", "1"), ("participants", "12"),
            ("visitors", "4"))}

        async def counted() -> dict[str, str] | None:
            await page.goto(dashboard)
            row = await page.evaluate("""area => {
                const row = [...document.querySelectorAll('tr')].find(
                    r => r.querySelector('th[scope=row]')?.textContent.trim() === area);
                if (!row) return null;
                const heads = [...row.closest('table').querySelectorAll('th[scope=col]')]
                    .map(h => h.textContent.trim());
                const cells = [...row.querySelectorAll('td')]
                    .map(c => c.textContent.trim().split(/\\s+/)[0]);
                return Object.fromEntries(heads.slice(1).map((h, i) => [h, cells[i]]));
            }""", area)
            got = {name: (row or {}).get(name) for name in wanted}
            return row if got == wanted else None

        await eventually(counted, timeout=30, interval=0.5)
        await _axe(page, "dashboard")
        await page.screenshot(path=str(LOG_DIR / f"{shot}-dashboard.png"), full_page=True)
