"""The organiser's activity form fits a 320 px phone with 200 % text (WCAG 1.4.10): a
tester found `/my/activities/{id}` 444 px wide in fi, sv and en (the topic checkboxes in a
row that did not wrap, the time inputs side by side at their own width) and the new-activity
form in Swedish 350 px. Labels of checkboxes wrap, inputs are at most their box's width and
rows wrap; axe-core finds nothing serious at a phone's and a desktop's width. In a real
browser (Debian's Chromium) against the events service as a process on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.axe import NARROW, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

SUBJECT = "kansalaisopisto"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Kuopion kansalaisopisto")
COMMS = bearer("communications", subject="viestinta")
LARGE_TEXT = "html { font-size: 200% !important; }"
#: What is wider than the screen, or than its own box (an input's own text scrolls in it):
#: said in a failure.
WIDER = ("[...document.querySelectorAll('body *')].filter(e =>"
         " e.getBoundingClientRect().right > innerWidth + 1 || (e.scrollWidth > e.clientWidth"
         " + 1 && !['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName))).map(e =>"
         " e.tagName + '#' + e.id + '.' + e.className + ' ' + e.scrollWidth + ' '"
         " + e.textContent.trim().slice(0, 40))")


async def _fits(page: Any, url: str, what: str) -> None:
    await page.set_viewport_size(NARROW)
    await page.goto(url)
    await page.add_style_tag(content=LARGE_TEXT)
    assert await page.evaluate(
        "parseFloat(getComputedStyle(document.body).fontSize)") >= 32, what
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, (what, width, await page.evaluate(WIDER))
    # Nor anything wider than its own box (a tab, a label), cut off or over its neighbour.
    assert await page.evaluate(WIDER) == [], what
    await passes_at_every_width(page, f"{what} at 200 %")


async def test_the_activity_forms_fit_a_phone_with_200_percent_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    starts = (datetime.now(UTC) + timedelta(days=6)).replace(minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        body = {"name": {"fi": "Kevään lukupiiri"}, "kind": "open_guided",
                "place_kind": "other_place", "place_name": {"fi": "Kahvila Kaneli"},
                "area": "kuopio.keskusta", "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat()}
        made = await http.post("/events", headers=ORGANISER, json=body)
        assert made.status_code == 201, made.text
        event_id = made.json()["id"]
        # A published one: its move form's two times instead of the draft's.
        out = await http.post("/events", headers=ORGANISER, json={
            **body, "place_name": {"fi": "Kuopion kaupunginkirjaston lukusali"}})
        published = out.json()["id"]
        assert (await http.post(f"/events/{published}/publish", headers=COMMS)).json()[
            "status"] == "published"
        # One waiting for approval: the list's longest status ("Odottaa hyväksyntää", a
        # tester's list at 337 px).
        queued = await http.post("/events", headers=ORGANISER, json={
            **body, "name": {"fi": "Syksyn kirjoittajapiiri"}})
        assert (await http.post(f"/events/{queued.json()['id']}/publish",
                                headers=ORGANISER)).json()["status"] == "awaiting_approval"
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=NARROW)
        await page.goto(f"{proc.url}/my/login?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()
        for lang in ("fi", "sv", "en"):
            await _fits(page, f"{proc.url}/my/activities/{event_id}?lang={lang}",
                        f"activity {lang}")
            assert await page.locator("input[name=topics]").count() > 0, lang
            await _fits(page, f"{proc.url}/my/activities/{published}?lang={lang}",
                        f"published {lang}")
            assert await page.locator("#f-reschedule-starts_at, [name=starts_at]").count() \
                >= 1, lang
            await _fits(page, f"{proc.url}/my/activities/new?lang={lang}", f"new {lang}")
            await _fits(page, f"{proc.url}/my/activities?lang={lang}", f"list {lang}")
            assert await page.locator(".status").count() == 3, lang
            await _fits(page, f"{proc.url}/my/activities/{event_id}/delete?lang={lang}",
                        f"delete {lang}")
            await _fits(page, f"{proc.url}/my/activities/{event_id}/preview?lang={lang}",
                        f"preview {lang}")
