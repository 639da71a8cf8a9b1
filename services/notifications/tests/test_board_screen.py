"""The notice board's screen in Chromium, as a library's signage player shows it: days and
times as the board's language writes them (CLDR; the English board said "Tuesday 01.12."),
no serious or critical axe-core violation (issue 17), and no slide read out as the screen
turns to it by itself."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

import httpx
import pytest

from shared.clock import HELSINKI
from shared.contracts import (
    BOOKING_TOPIC,
    EVENTS_TOPIC,
    ActivityEventPublished,
    LocalizedText,
    VenueRegistered,
)
from tests.axe import PHONE, serious_violations
from tests.infra import eventually, launch_chromium, produce

pytestmark = pytest.mark.infra


async def test_the_board_screen_speaks_its_language(
    chromium_path: str, spawn_service: Any, fresh_database: Any, infra: Any, topic_prefix: str
) -> None:
    proc = await spawn_service("notifications", await fresh_database("notifications"),
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0"})
    venue = uuid4()
    day = dt.datetime.now(HELSINKI).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(17), tzinfo=HELSINKI)
    await produce(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, [VenueRegistered(
        venue_id=venue, name=LocalizedText(fi="Jynkän kirjasto", en="Jynkkä library"),
        kind="library", area="kuopio.jynkka", municipality="Kuopio")])
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, [ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Lukupiiri", en="Book club"),
        starts_at=start, ends_at=start + dt.timedelta(hours=2), kind="open_guided",
        venue_id=venue, area="kuopio.jynkka")])
    async with httpx.AsyncClient(base_url=proc.url, timeout=30) as http:
        async def board() -> Any:
            found = (await http.get("/boards", params={"venue_id": str(venue)})).json()
            if not found:
                return None
            screen = found[0]["feeds"]["screen"]
            feed = (await http.get(found[0]["feeds"]["json"])).json()
            return screen if feed["items"] else None
        screen_url = await eventually(board)

    weekday_en = day.strftime("%a")  # the test's own check: "Fri"
    async with launch_chromium(chromium_path) as browser:
        for viewport in ({"width": 1920, "height": 1080}, PHONE):
            page = await browser.new_page(viewport=viewport)
            for lang, expected_day, expected_time in (
                    ("en", f"{weekday_en} {day.day} {day:%b}", "17:00–19:00"),
                    ("fi", f"{day.day}.{day.month}.", "17.00–19.00")):
                url = screen_url if screen_url.startswith("http") else proc.url + screen_url
                await page.goto(url.split("?")[0] + f"?lang={lang}")
                slide = page.locator("article.slide").first
                assert expected_day in await slide.locator(".day").inner_text()
                assert await slide.locator(".time").inner_text() == expected_time
                # The slides turn by themselves: not a live region (WAI-ARIA carousel).
                assert await page.get_attribute("#slides", "aria-live") == "off"
                assert await serious_violations(page) == [], (lang, viewport)
            await page.close()
