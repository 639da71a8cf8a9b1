"""A weekly group on the organiser's pages in a real browser (Debian's Chromium, Playwright)
against the events service as a process on real PostgreSQL: the list folds the series, its
time's page saves for every time still to come with a button of its own, a refusal of
another time is said by its input. axe-core finds nothing serious on the list and the
occurrence's page, as it is and refused, in fi, sv and en on a phone and a desktop; at
320 px nothing scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

SUBJECT = "yhdistys-laulu"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Lauluyhdistys Sointu")


async def test_an_organiser_writes_a_weekly_group_once_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    base = proc.url
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        created = (await http.post("/series", headers=ORGANISER, json={
            "name": {"fi": "Kuoroharjoitus Jynkän kirjaston pihalla"}, "kind": "open_guided",
            "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka", "languages": ["fi"],
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "repeat": {"count": 12}})).json()
        ids = [o["id"] for o in created["occurrences"]]
        page = await browser.new_page(viewport=PHONE, locale="fi-FI")
        await page.goto(f"{base}/my/activities?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_url("**/my/activities?lang=fi")

        for lang, times in (("fi", "12 kertaa"), ("sv", "12 gånger"), ("en", "12 times")):
            await page.goto(f"{base}/my/activities?lang={lang}")
            assert await page.locator("article.activity").count() == 1
            await page.get_by_text(times).click()  # unfolds the times
            assert await page.locator("details.times li").count() == 12
            await passes_at_every_width(page, f"list {lang}")
            await page.goto(f"{base}/my/activities/{ids[2]}?lang={lang}")
            await passes_at_every_width(page, f"occurrence {lang}")

        # Every time still to come, by the button that says so.
        await page.goto(f"{base}/my/activities/{ids[0]}?lang=fi")
        await page.check("input[name=topics][value=music]")
        await page.get_by_role(
            "button", name="Tallenna kaikkiin sarjan tuleviin kertoihin (12)").click()
        await page.wait_for_url("**done=saved_series**")
        listed = (await http.get("/events", headers=ORGANISER, params={
            "series_id": created["series_id"], "limit": 20})).json()["items"]
        assert [e["topics"] for e in listed] == [["music"]] * 12

        # Another time refusing: said by its input with its time, summary with focus.
        await http.patch(f"/events/{ids[5]}", headers=ORGANISER,
                         json={"place_kind": "online"})
        await page.goto(f"{base}/my/activities/{ids[0]}?lang=en")
        await page.fill("#f-name-fi", "")
        await page.get_by_role(
            "button", name="Save for every time in the series still to come (12)").click()
        await page.wait_for_selector("#refusals")
        assert "The time on " in await page.locator("#e-online_url").inner_text()
        assert await page.input_value("#f-name-fi") == ""
        await passes_at_every_width(page, "refused en")
        listed = (await http.get("/events", headers=ORGANISER, params={
            "series_id": created["series_id"], "limit": 20})).json()["items"]
        assert {e["name"]["fi"] for e in listed} == {"Kuoroharjoitus Jynkän kirjaston pihalla"}
