"""Back after "Create draft" and the same form sent again makes no second draft (a
tester's finding: Chromium fetched the form anew with a new one-time token, and a second
draft was made). The empty form is kept in the browser's history (`private, no-cache`, not
`no-store`), so Back shows it with its own token and sending it again opens the draft the
first sending made; a new "New activity" is still a new draft. In fi, sv and en, in a real
browser (Debian's Chromium) against the events service as a process on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.clock import HELSINKI
from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="takaisin", name="Takaisin")
CREATE = {"fi": "Luo luonnos", "sv": "Skapa utkast", "en": "Create draft"}


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


async def _fill(page: Any, name: str, starts: datetime) -> None:
    await page.fill("#f-name-fi", name)
    await page.fill("#f-starts_at", _local(starts))
    await page.fill("#f-ends_at", _local(starts + timedelta(hours=2)))
    await page.select_option("#f-kind", "open_guided")
    await page.select_option("#f-place_kind", "outdoors")
    await page.fill("#f-place_name-fi", "Jynkän puisto")
    await page.select_option("#f-area", "kuopio.jynkka")


async def test_back_and_create_again_opens_the_same_draft(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    base = proc.url
    starts = (datetime.now(UTC) + timedelta(days=6)).replace(minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)
        await page.goto(f"{base}/my/login?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()

        async def total() -> int:
            listed = (await http.get("/events?limit=50", headers=ORGANISER)).json()
            return int(listed["total"])

        for number, lang in enumerate(("fi", "sv", "en"), start=1):
            await page.goto(f"{base}/my/activities?lang={lang}")
            await page.goto(f"{base}/my/activities/new?lang={lang}")
            await passes_at_every_width(page, f"new {lang}")
            once = await page.input_value("input[name=once]")
            await _fill(page, f"Kävely {lang}", starts)
            await page.get_by_role("button", name=CREATE[lang]).click()
            await page.wait_for_url(f"**/my/activities/*-*?lang={lang}")
            first = page.url
            assert await total() == number, lang

            await page.go_back()
            await page.wait_for_selector("#f-name-fi")
            assert "/my/activities/new" in page.url
            assert await page.input_value("input[name=once]") == once, lang
            await _fill(page, f"Kävely {lang}", starts)  # whatever the browser kept
            await page.get_by_role("button", name=CREATE[lang]).click()
            await page.wait_for_url(f"**/my/activities/*-*?lang={lang}")
            assert page.url == first, lang
            assert await total() == number, lang  # no second draft

        # "New activity" opened again is another form: another draft.
        await page.goto(f"{base}/my/activities/new?lang=fi")
        await _fill(page, "Toinen kävely", starts)
        await page.get_by_role("button", name=CREATE["fi"]).click()
        await page.wait_for_url("**/my/activities/*-*?lang=fi")
        assert await total() == 4
