"""The public calendar pages in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from shared.clock import HELSINKI
from tests.infra import LOG_DIR, bearer, launch_chromium

pytestmark = pytest.mark.infra


async def test_residents_find_events_by_theme_week_and_year(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    import datetime as dt

    proc = await spawn_service("events", await fresh_database("events"))
    organiser = bearer("organiser", subject="kulttuuri", name="Kulttuuriyhdistys")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    ids: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=proc.url) as http:
        for key, name, topic, day, hour in [
            ("choir", {"fi": "Kuorolaulua", "sv": "Körsång", "en": "Choir singing"}, "music",
             monday, 18),
            ("stories", {"fi": "Satutuokio", "sv": "Sagostund", "en": "Story time"}, "stories",
             monday + dt.timedelta(days=2), 10),
        ]:
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)
            body: dict[str, Any] = {
                "name": name, "place_kind": "outdoors", "area": "kuopio.puijonlaakso",
                "place_name": {"fi": "Puijon torni", "sv": "Puijo torn", "en": "Puijo tower"},
                "topics": [topic], "audiences": ["everyone"], "languages": ["fi", "sv"],
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat()}
            created = await http.post("/events", json=body, headers=organiser)
            assert created.status_code == 201, created.text
            ids[key] = created.json()["id"]
            # Outdoors, without a booking: communications staff publish it (#14).
            assert (await http.post(f"/events/{ids[key]}/publish",
                                    headers=bearer("communications"))).status_code == 200

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        await page.goto(f"{proc.url}/calendar?lang=sv&date={monday.isoformat()}")
        assert await page.title() == "Kalender för invånarverksamhet"
        assert await page.locator("ol.events li").count() == 2
        # Each filter's choices read differently: "all" is not also the audience `everyone`.
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{proc.url}/calendar?lang={lang}&date={monday.isoformat()}")
            for name in ("audience", "topic", "kind"):
                choices = await page.locator(f"select[name={name}] option").all_inner_texts()
                assert len(set(choices)) == len(choices), (lang, name, choices)
        await page.goto(f"{proc.url}/calendar?lang=sv&date={monday.isoformat()}")
        await page.select_option("select[name=topic]", "music")
        await page.click("form.filters button")
        await page.wait_for_load_state()
        items = page.locator("ol.events li")
        assert await items.count() == 1
        assert "Körsång" in await items.first.inner_text()
        assert "Puijo torn" in await items.first.inner_text()
        # A date cleared from the picker is no date: the calendar from today, not an error.
        await page.fill("input[name=date]", "")
        await page.click("form.filters button")
        await page.wait_for_load_state()
        assert await page.title() == "Kalender för invånarverksamhet"
        assert "date=&" in page.url or page.url.endswith("date=")
        assert "Körsång" in await page.locator("ol.events").inner_text()  # still music

        await page.goto(f"{proc.url}/calendar?lang=en&view=week&date={monday.isoformat()}")
        week = await page.locator(".week").inner_text()
        assert "18:00 Choir singing" in week and "10:00 Story time" in week  # CLDR en

        await page.goto(f"{proc.url}/calendar/year?lang=fi&year={monday.year}")
        months = await page.locator(".months").inner_text()
        month = ["Tammikuu", "Helmikuu", "Maaliskuu", "Huhtikuu", "Toukokuu", "Kesäkuu",
                 "Heinäkuu", "Elokuu", "Syyskuu", "Lokakuu", "Marraskuu",
                 "Joulukuu"][monday.month - 1]
        assert month in months and "Musiikki 1" in months

        await page.goto(f"{proc.url}/calendar?lang=en&date={monday.isoformat()}")
        await page.click("text=Story time")
        await page.wait_for_load_state()
        assert await page.title() == "Story time"
        document = json.loads(await page.locator(
            "script[type='application/ld+json']").inner_text())
        assert document["@type"] == "Event" and document["location"]["name"] == "Puijo tower"
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        await page.goto(f"{proc.url}/calendar?lang=fi&date={monday.isoformat()}")
        await page.screenshot(path=str(LOG_DIR / "calendar.png"), full_page=True)
