"""The desk's move form refused for several things at once, in a real browser (Debian's
Chromium, Playwright) against the service on PostgreSQL: a new time past closing and onto
another booking, with no reason, is said in one answer: each refusal by its input, a list
at the top of the form that has focus and leads to each input, axe-core (WCAG 2.1 AA)
clean on a phone and a desktop, and the booking not moved."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.labels import ERRORS, labels
from services.booking.tests.desk_browser import axe_at_widths, sign_in_at_desk
from services.booking.tests.test_api import booking
from tests.infra import LOG_DIR, bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_move_refused_for_several_things_says_each_by_its_input(
    chromium_path: str, spawn_service, fresh_database, lang: str
) -> None:
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    tomorrow = datetime.now(HELSINKI).date() + timedelta(days=1)

    def at(hour: int) -> datetime:
        return datetime.combine(tomorrow, time(hour), HELSINKI)

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
        space = venue["spaces"][0]["id"]
        ids = []
        for hour in (12, 19):  # the one to move, and the one in its way (19–20)
            r = await http.post("/bookings?walk_in=true", headers=desk,
                                json=booking(space, at(hour), hours=1))
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
    moving = ids[0]
    start, reason = f"m-start-{moving}", f"m-reason-{moving}"

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], lang)
        await page.goto(f"{url}/desk?venue_id={venue['id']}&day={tomorrow}&lang={lang}")
        await page.click(f"#b-{moving} details.move summary")
        # Sent as a browser without the form's own checks would send it: no reason.
        await page.evaluate(f"document.querySelector('#b-{moving} details.move form')"
                            ".noValidate = true")
        await page.fill(f"#{start}", f"{tomorrow}T19:30")
        await page.fill(f"#{reason}", "")
        await page.click(f"#b-{moving} details.move button[type=submit]")
        summary = f"move-refusals-{moving}"
        await page.wait_for_selector(f"#{summary}")
        assert await focused_id(page) == summary
        assert await page.locator(f"#{summary} p").inner_text() == labels(lang)["check_move"]
        said = await page.locator(f"#error-move-starts_at-{moving}").inner_text()
        for code in ("closed", "taken"):  # past closing, and onto the 19–20 booking
            assert ERRORS[code][lang].split("{")[0] in said, (code, said)
        assert await page.locator(f"#error-move-reason-{moving}").inner_text() == \
            ERRORS["reason"][lang]
        for element in (start, reason):
            assert await page.locator(f"#{element}").get_attribute("aria-invalid") == "true"
        links = page.locator(f"#{summary} a")
        assert [await links.nth(i).get_attribute("href") for i in range(await links.count())
                ] == [f"#{start}", f"#{reason}"]
        await links.nth(1).click()  # the list leads to the input
        assert await focused_id(page) == reason
        assert await page.locator(f"#{start}").input_value() == f"{tomorrow}T19:30"
        await axe_at_widths(page)
        await page.screenshot(path=str(LOG_DIR / f"desk-move-refusals-{lang}.png"),
                              full_page=True)
    async with httpx.AsyncClient(base_url=url) as http:
        kept = (await http.get(f"/bookings/{moving}", headers=desk)).json()
    assert datetime.fromisoformat(kept["starts_at"]) == at(12)  # not moved
