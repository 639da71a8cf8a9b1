"""The desk's move form tampered with, in a real browser (Debian's Chromium, Playwright)
against the service on PostgreSQL, fi/sv/en: a length the form hides, made an end before
the start, comes back with the form open as typed and its list saying "reload" with focus;
a move sent with another day's page to come back to says its refusals in the status region
(the row is not on that page), focus there. axe-core (WCAG 2.1 AA) clean on a phone and a
desktop, and the booking not moved."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.labels import ERRORS, labels, no_such_time_text
from services.booking.tests.desk_browser import axe_at_widths, sign_in_at_desk
from services.booking.tests.test_api import booking
from tests.infra import LOG_DIR, bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_tampered_move_comes_back_on_the_desks_page_in_its_language(
    chromium_path: str, spawn_service, fresh_database, lang: str
) -> None:
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)
    at_noon = datetime.combine(tomorrow, time(12), HELSINKI)
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                        "capacity": 12}]})).json()
        desk = bearer("desk", venues=(venue["id"], ), subject="jynkka-desk",
                      name="Jynkän tiski")
        r = await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
        assert r.status_code == 200, r.text
        r = await http.post("/bookings?walk_in=true", headers=desk,
                            json=booking(venue["spaces"][0]["id"], at_noon, hours=1))
        assert r.status_code == 201, r.text
        moving = r.json()["id"]
    start, reason = f"m-start-{moving}", f"m-reason-{moving}"
    form = f"#b-{moving} details.move form"
    day_page = f"{url}/desk?venue_id={venue['id']}&day={tomorrow}&lang={lang}"

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], lang)
        # 1. The hidden length made an end before the start.
        await page.goto(day_page)
        await page.click(f"#b-{moving} details.move summary")
        await page.evaluate(f"document.querySelector('{form} input[name=minutes]')"
                            ".value = '-60'")
        await page.fill(f"#{start}", f"{tomorrow}T16:00")
        await page.fill(f"#{reason}", "Remontti")
        await page.click(f"{form} button[type=submit]")
        summary = f"move-refusals-{moving}"
        await page.wait_for_selector(f"#{summary}")
        assert await focused_id(page) == summary
        assert await page.locator(f"#{summary} p").inner_text() == labels(lang)["check_move"]
        assert await page.locator(f"#{summary} li").all_inner_texts() == [
            ERRORS["move_length"][lang]]
        assert await page.locator(f"#{start}").input_value() == f"{tomorrow}T16:00"
        assert await page.locator(f"#{reason}").input_value() == "Remontti"
        await axe_at_widths(page)
        await page.screenshot(path=str(LOG_DIR / f"desk-move-tampered-length-{lang}.png"),
                              full_page=True)
        # 2. Sent to come back to the next day's page, where the booking has no row.
        await page.goto(day_page)
        await page.click(f"#b-{moving} details.move summary")
        await page.evaluate(f"""() => {{ const f = document.querySelector('{form}');
            f.noValidate = true;
            f.action = f.action.replace('day={tomorrow}',
                                        'day={tomorrow + timedelta(days=1)}'); }}""")
        await page.evaluate(f"document.getElementById('{start}').type = 'text'")
        await page.fill(f"#{start}", f"{tomorrow}T25:61")
        await page.fill(f"#{reason}", "Remontti")
        await page.click(f"{form} button[type=submit]")
        await page.wait_for_selector("#status p.msg.error")
        assert await focused_id(page) == "status"
        assert await page.locator("#status").inner_text() == \
            f"{labels(lang)['new_start']}: {no_such_time_text(25, 61, lang)}"
        assert await page.locator(f"#{start}").count() == 0
        await axe_at_widths(page)
    async with httpx.AsyncClient(base_url=url) as http:
        kept = (await http.get(f"/bookings/{moving}", headers=desk)).json()
    assert datetime.fromisoformat(kept["starts_at"]) == at_noon  # not moved
