"""An organiser's activity without a booking, in a real browser (Debian's Chromium,
Playwright) against the events service as a process on real PostgreSQL: from "My
activities", "New activity" asks sign-in and goes on to the form; a form with several
faults says each by its input and in a summary that takes focus; fixed, the draft opens on
its own page to be written and published. axe-core finds nothing serious on the form, empty
and refused, in fi, sv and en on a phone and a desktop; at 320 px nothing scrolls
sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.clock import HELSINKI
from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

SUBJECT = "kavelyseura"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Kävelyseura Askel")


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


async def test_an_organiser_makes_an_activity_without_a_booking_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    base = proc.url
    starts = (datetime.now(UTC) + timedelta(days=6)).replace(minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE, locale="fi-FI")
        await page.goto(f"{base}/my/activities/new?lang=en")
        assert "/my/login" in page.url
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_url("**/my/activities/new?lang=en&form=*")  # its own key
        assert await page.locator("h1").inner_text() == "New activity"

        for lang in ("fi", "sv", "en"):
            await page.goto(f"{base}/my/activities?lang={lang}")
            link = page.get_by_role("link", name={"fi": "Uusi tapahtuma",
                                                  "sv": "Nytt evenemang",
                                                  "en": "New activity"}[lang])
            await link.click()
            await page.wait_for_url(f"**/my/activities/new?lang={lang}&form=*")
            await passes_at_every_width(page, f"empty {lang}")

        # Several faults at once: each by its input, the summary first, with focus.
        await page.goto(f"{base}/my/activities/new?lang=sv")
        await page.fill("#f-name-sv", "Höstpromenad")
        await page.fill("#f-starts_at", _local(starts))
        await page.fill("#f-ends_at", _local(starts - timedelta(hours=1)))
        await page.select_option("#f-place_kind", "online")
        await page.get_by_role("button", name="Skapa utkast").click()
        await page.wait_for_selector("#refusals")
        assert await page.locator("#refusals a").evaluate_all(
            "as => as.map(a => a.hash.slice(1))") == ["f-name-fi", "f-ends_at", "f-kind",
                                                      "f-online_url"]
        # The kind has no default: left unchosen, it is asked for by its select.
        assert await page.locator("#e-kind").inner_text() == "Välj verksamhetsform."
        assert await page.locator("#f-kind").get_attribute("aria-describedby") == "e-kind"
        assert await focused_id(page) == "refusals"
        assert await page.input_value("#f-name-sv") == "Höstpromenad"
        assert await page.locator("#f-online_url").get_attribute("aria-invalid") == "true"
        await passes_at_every_width(page, "refused sv")
        assert (await http.get("/events?limit=5", headers=ORGANISER)).json()["total"] == 0

        # Fixed: the draft's own page, to be written and published as any draft.
        await page.fill("#f-name-fi", "Syyskävely")
        await page.fill("#f-ends_at", _local(starts + timedelta(hours=2)))
        await page.select_option("#f-place_kind", "outdoors")
        await page.fill("#f-place_name-fi", "Jynkän puisto")  # outdoors: the "where"
        await page.select_option("#f-area", "kuopio.jynkka")
        await page.select_option("#f-kind", "open_guided")
        await page.get_by_role("button", name="Skapa utkast").click()
        await page.wait_for_url("**/my/activities/*?lang=sv")
        event_id = page.url.split("/my/activities/")[1].split("?")[0]
        stored = (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()
        assert (stored["status"], stored["place_kind"], stored["area"]) == \
            ("draft", "outdoors", "kuopio.jynkka")
        assert stored["name"]["sv"] == "Höstpromenad"
        assert await page.locator("h1").inner_text() == "Höstpromenad"
        await page.get_by_role("button", name="Publicera").click()
        await page.wait_for_url("**done=queued**")
        assert (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()[
            "status"] == "awaiting_approval"
