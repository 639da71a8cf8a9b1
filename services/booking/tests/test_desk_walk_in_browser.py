"""The desk's walk-in form refused for several things at once, in a real browser (Debian's
Chromium, Playwright) against the service on PostgreSQL: every refusal by its input, a
summary above the form that has focus and leads to each, axe-core (WCAG 2.1 AA) clean on a
phone and a desktop, the form as typed and nothing stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.tests.desk_browser import sign_in_at_desk
from tests.infra import LOG_DIR, bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


async def test_a_walk_in_refused_for_several_things_says_each_by_its_input(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    import asyncpg

    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                        "capacity": 12}]})).json()
        desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Jynkän tiski")
        r = await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
        assert r.status_code == 200, r.text
    yesterday = datetime.now(ZoneInfo("Europe/Helsinki")).date() - timedelta(days=1)
    gone_by = f"{yesterday.isoformat()}T10:00"

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=DESKTOP)
        await sign_in_at_desk(page, url, desk["Authorization"], "sv")

        # Sent as a browser without the form's own checks would send it (a page left open
        # past its earliest start is the same): a blank title and name, a start gone by, a
        # mistyped address.
        await page.evaluate("document.querySelector('#walk-in form').noValidate = true")
        await page.fill("#w-title", "  ")
        await page.fill("#w-start", gone_by)
        await page.fill("#w-organiser", "")
        await page.fill("#w-email", "kalle@")
        await page.click("#walk-in button[type=submit]")
        await page.wait_for_selector("#walk-in-refusals")
        assert await focused_id(page) == "walk-in-refusals"
        assert await page.locator("#walk-in-refusals h3").inner_text() == \
            "Kontrollera de markerade punkterna: inget bokades."
        for field, input_id in (("title", "w-title"), ("starts_at", "w-start"),
                                ("organiser_name", "w-organiser"),
                                ("organiser_email", "w-email")):
            assert await page.locator(f"#error-{field}").is_visible(), field
            assert await page.locator(f"#{input_id}").get_attribute("aria-invalid") == "true"
            described = await page.locator(f"#{input_id}").get_attribute("aria-describedby")
            assert f"error-{field}" in (described or "").split(), input_id
        assert await page.locator("#error-starts_at").inner_text() == \
            "Bokningen kan inte börja i det förflutna."
        links = page.locator("#walk-in-refusals a")
        assert [await links.nth(i).get_attribute("href") for i in range(await links.count())
                ] == ["#w-title", "#w-start", "#w-organiser", "#w-email"]
        assert await page.locator("#w-email").input_value() == "kalle@"
        assert await page.locator("#w-start").input_value() == gone_by
        for viewport in (PHONE, DESKTOP):
            await page.set_viewport_size(viewport)
            assert await serious_violations(page) == [], viewport
        await page.screenshot(path=str(LOG_DIR / "desk-walk-in-refusals.png"), full_page=True)
        await links.nth(3).click()
        assert await focused_id(page) == "w-email"

    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 0
    finally:
        await conn.close()


async def test_a_walk_in_with_a_tampered_space_is_refused_by_the_list_and_booked_once_chosen(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    """The space list's option changed in the page (a tampered or stale form): the form
    again, in Finnish, the list refused with the title's refusal in the same go, the list
    asking for a choice (no space shown as chosen), the rest as typed, axe-core clean on a
    phone and a desktop, no sideways scroll at 320 px; once a space is chosen, booked."""
    from uuid import uuid4

    import asyncpg

    from tests.axe import passes_at_every_width

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                        "capacity": 12}]})).json()
        desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Jynkän tiski")
        r = await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
        assert r.status_code == 200, r.text
    tomorrow = datetime.now(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=1)
    start = f"{tomorrow.isoformat()}T12:00"

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=DESKTOP)
        await sign_in_at_desk(page, url, desk["Authorization"], "fi")
        await page.evaluate("document.querySelector('#walk-in form').noValidate = true")
        await page.evaluate(f"document.querySelector('#w-space option').value = '{uuid4()}'")
        await page.fill("#w-title", " ")
        await page.fill("#w-start", start)
        await page.fill("#w-organiser", "Kalle Kuopiolainen")
        await page.fill("#w-phone", "044 123 4567")
        await page.click("#walk-in button[type=submit]")
        await page.wait_for_selector("#walk-in-refusals")
        assert await focused_id(page) == "walk-in-refusals"
        links = page.locator("#walk-in-refusals a")
        assert [await links.nth(i).get_attribute("href") for i in range(await links.count())
                ] == ["#w-title", "#w-space"]
        assert await page.locator("#error-space_id").inner_text() == \
            "Tila ei ole tämän toimipisteen tila: valitse jokin sen omista tiloista."
        space = page.locator("#w-space")
        assert await space.get_attribute("aria-invalid") == "true"
        assert await space.input_value() == ""
        assert await page.locator("#w-space option:checked").inner_text() == "Valitse tila"
        assert (await page.locator("#w-organiser").input_value(),
                await page.locator("#w-phone").input_value(),
                await page.locator("#w-start").input_value()) == (
            "Kalle Kuopiolainen", "044 123 4567", start)
        await passes_at_every_width(page, "walk-in refused for its space")
        await page.screenshot(path=str(LOG_DIR / "desk-walk-in-space-refused.png"),
                              full_page=True)
        await page.set_viewport_size(DESKTOP)
        await links.nth(1).click()
        assert await focused_id(page) == "w-space"

        # The list asks for a choice: the browser's own check stops an empty one...
        await page.fill("#w-title", "Lautapelit")
        await page.click("#walk-in button[type=submit]")
        assert await page.evaluate("document.querySelector('#w-space').validity.valueMissing")
        # ...and once the space is chosen, it is booked.
        await page.select_option("#w-space", venue["spaces"][0]["id"])
        async with page.expect_navigation():
            await page.click("#walk-in button[type=submit]")
        assert "Lautapelit" in await page.locator("#status").inner_text()

    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 1
    finally:
        await conn.close()
