"""The approval queue and the vocabulary page fit a 320 px phone at 100 % and 200 % text
(WCAG 1.4.10; a tester found the queue 473 px wide and the vocabulary page 1,139 px: the
grid's column grew to its content's width, the details' terms to theirs, the font was in px,
and the tables' hidden names escaped the box they scroll in). No horizontal scroll of the
page in fi, sv and en; the tables still scroll in their own box; axe-core finds nothing
serious. In a real browser (Debian's Chromium) against the events service as a process on
real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.axe import NARROW, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="pitkanimiyhdistys",
                   name="Kallaveden pohjoisrannan kaupunginosayhdistys ry")
COMMS = bearer("communications", subject="viestinta", name="Viestintä")
START = (datetime.now(UTC) + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
LARGE_TEXT = "html { font-size: 200% !important; }"
#: What reaches past the screen's right edge, said in a failure.
PAST = ("[...document.querySelectorAll('body *')].filter(e =>"
        " e.getBoundingClientRect().right > innerWidth + 1 && (!e.closest('.scroll')"
        " || e.matches('.scroll')))"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 40))")


async def _fits(page: Any, url: str, what: str, large: bool) -> None:
    await page.set_viewport_size(NARROW)
    await page.goto(url)
    if large:
        await page.add_style_tag(content=LARGE_TEXT)
        assert await page.evaluate(
            "parseFloat(getComputedStyle(document.body).fontSize)") >= 32, what
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], (what, width, await page.evaluate(PAST))
    assert await page.evaluate(PAST) == [], what


async def test_the_queue_and_the_vocabulary_fit_a_phone_at_200_percent_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    async with httpx.AsyncClient(base_url=proc.url) as http:
        made = await http.post("/events", headers=ORGANISER, json={
            "name": {"fi": "Kaupunginosayhdistyksen syyskokousvalmistelutilaisuus",
                     "sv": "Stadsdelsföreningens höstmötesförberedelsetillställning"},
            "kind": "association_meeting", "place_kind": "outdoors",
            "area": "kuopio.keskusta",
            "place_name": {"fi": "Väinölänniemen rantapuiston ulkoilmalava"},
            "organiser_name": "Kallaveden pohjoisrannan kaupunginosayhdistys ry",
            "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=2)).isoformat()})
        assert made.status_code == 201, made.text
        queued = await http.post(f"/events/{made.json()['id']}/publish", headers=ORGANISER)
        assert queued.json()["status"] == "awaiting_approval", queued.text

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=NARROW)
        await page.goto(f"{proc.url}/approvals/login?lang=fi")
        await page.fill("input[name=token]", COMMS["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_url("**/approvals/queue**")
        for lang in ("fi", "sv", "en"):
            for large in (False, True):
                what = f"queue {lang} {'200' if large else '100'} %"
                await _fits(page, f"{proc.url}/approvals/queue?lang={lang}", what, large)
                assert await page.locator("article.queued").count() == 1, what
                if large:
                    await passes_at_every_width(page, what)
                what = f"vocabulary {lang} {'200' if large else '100'} %"
                await _fits(page, f"{proc.url}/approvals/vocabulary?lang={lang}", what, large)
                # The tables scroll in their own box, which is within the screen.
                boxes = await page.evaluate(
                    "[...document.querySelectorAll('.scroll')].map(e =>"
                    " [e.getBoundingClientRect().right, e.scrollWidth > e.clientWidth])")
                assert boxes and all(right <= NARROW["width"] for right, _ in boxes), what
                assert any(scrolls for _, scrolls in boxes), what
                if large:
                    await passes_at_every_width(page, what)
