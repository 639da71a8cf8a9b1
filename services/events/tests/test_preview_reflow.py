"""The organiser's preview of their activity (`/my/activities/{id}/preview`: the page as
residents will see it, the board's slides and the posts) fits a 320 px phone with 200 %
text (WCAG 1.4.10): it was 405 px wide, the channels' headings ("Ilmoitustaululla") one
word wider than the screen. A long compound, a web address and a post's text wrap. axe-core
finds nothing serious on it in fi, sv and en, on a phone and a desktop. In a real browser
(Debian's Chromium) against the events service as a process on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.axe import NARROW, NO_SIDEWAYS, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

SUBJECT = "teatterileiri"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Kesäteatteri")
#: A Finnish compound of 54 letters: one word no line may break without help.
LONG = "Lasten-ja-nuorten-kesäteatterileiriharjoitusviikonloppu".replace("-", "")
#: A web address is one long word too.
ADDRESS = ("https://www.kuopio.fi/asukastoiminta/kesateatteri/"
           "lasten-ja-nuorten-kesateatterileiri-2026-ohjelma-ja-ilmoittautuminen")
LARGE_TEXT = "html { font-size: 200% !important; }"


async def test_the_organisers_preview_fits_a_phone_with_200_percent_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    starts = (datetime.now(UTC) + timedelta(days=5)).replace(minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        made = await http.post("/events", headers=ORGANISER, json={
            "name": {"fi": LONG, "sv": "Sommarteaterlägerövningsveckoslut", "en": LONG},
            "short_description": {"fi": f"Lisätietoja: {ADDRESS}"},
            "description": {"fi": f"{LONG} {ADDRESS}", "sv": ADDRESS, "en": ADDRESS},
            "kind": "open_guided", "place_kind": "online", "online_url": ADDRESS,
            "place_name": {"fi": f"{LONG}n verkkotila"},
            "organiser_name": f"Kuopion {LONG}yhdistys",
            "accessibility": {"fi": f"Esteetön: {ADDRESS}"},
            "registration_required": True, "free": False, "price": "12.50",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat()})
        assert made.status_code == 201, made.text
        event_id = made.json()["id"]
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=NARROW)
        await page.goto(f"{proc.url}/my/login?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()
        for lang in ("fi", "sv", "en"):
            await page.set_viewport_size(NARROW)
            await page.goto(f"{proc.url}/my/activities/{event_id}/preview?lang={lang}")
            assert await page.locator("#channels").count() == 1, lang  # the channels too
            assert await page.locator("article.post pre").count() >= 2, lang
            await page.add_style_tag(content=LARGE_TEXT)
            # The text is large indeed: the body's 18 px twice.
            assert await page.evaluate(
                "parseFloat(getComputedStyle(document.body).fontSize)") >= 36, lang
            # What is wider than the screen, or than its own box, said in a failure.
            wider = await page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e =>"
                " e.getBoundingClientRect().right > innerWidth + 1"
                " || e.scrollWidth > e.clientWidth + 1).map(e =>"
                " e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 40))")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (lang, width, wider)
            assert await page.evaluate(NO_SIDEWAYS), lang
            await passes_at_every_width(page, f"preview {lang} at 200 %")
