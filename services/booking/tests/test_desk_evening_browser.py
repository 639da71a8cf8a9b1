"""A tester's findings of the desk in a real browser (Debian's Chromium) against the booking
service on PostgreSQL: the venue pages (hours, spaces, loans, the day's sheet) start with a
skip link, seen when the keyboard reaches it, that takes it to the page's content, and
change language by the switch /desk has, keeping the venue and the day; and /desk with
requests waiting does not run sideways off a 320 px phone with the browser's text size at
200 % (its real setting, as `test_text_size_browser`), in Finnish, Swedish and English.
Each page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from services.booking.tests.desk_browser import sign_in_at_desk
from services.booking.tests.test_reflow_browser import _WIDE, _booked
from services.booking.tests.test_text_size_browser import DEFAULT, LARGE, _text_size
from tests.axe import passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

SKIP = {"fi": "Siirry sisältöön", "sv": "Till innehållet", "en": "Skip to content"}
NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
#: Each page's heading, as the language switch should show it.
HEADINGS = {"hours": {"fi": "Aukioloajat", "sv": "Öppettider", "en": "Opening hours"}}


async def _visible(page: Any, selector: str) -> bool:
    """Whether the element is on screen (not parked off it, as a skip link is unfocused)."""
    box = await page.locator(selector).bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] > 0


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_venue_pages_skip_link_and_language_switch(
        chromium_path: str, spawn_service: Any, fresh_database: Any, lang: str) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    city, _, _, _ = await _booked(url)
    venue = city["main"]["id"]
    desk = bearer("desk", venues=(venue,), subject="main-desk", name="Pääkirjaston tiski")
    other = next(code for code in ("sv", "en", "fi") if code != lang)
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], lang)
        for name in ("hours", "spaces", "loans", "day-sheet"):
            path = f"/desk/{name}?venue_id={venue}&day=2031-03-06&lang={lang}"
            await page.goto(f"{url}{path}")
            skip = page.locator("a.skip")
            assert not await _visible(page, "a.skip"), path
            # The first Tab stop: the skip link, in the page's language, seen with focus.
            await page.keyboard.press("Tab")
            assert await page.evaluate("document.activeElement.className") == "skip", path
            assert (await skip.inner_text()).strip() == SKIP[lang]
            assert await _visible(page, "a.skip"), path
            # Followed, the keyboard is in the content, past the header's links.
            await page.keyboard.press("Enter")
            assert await focused_id(page) == "main", path
            if name != "day-sheet":  # the sheet's content has nothing to focus
                await page.keyboard.press("Tab")
                inside = await page.evaluate(
                    "!!document.activeElement.closest('main') && !document.activeElement"
                    ".closest('header')")
                assert inside, (path, await page.evaluate("document.activeElement.outerHTML"))
            await passes_at_every_width(page, path)
            # The switch: the same page, venue and day, in the other language.
            await page.get_by_role("link", name=NAMES[other], exact=True).click()
            await page.wait_for_load_state()
            assert f"/desk/{name}?" in page.url and f"venue_id={venue}" in page.url
            assert "day=2031-03-06" in page.url and page.url.endswith(f"lang={other}")
            assert await page.get_attribute("html", "lang") == other
            assert (await page.locator("a.skip").inner_text()).strip() == SKIP[other]
            current = page.locator("a[aria-current=page]")
            assert (await current.inner_text()).strip() == NAMES[other]
            if name == "hours":
                assert HEADINGS["hours"][other] in await page.locator("h1").inner_text()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_desk_with_requests_waiting_reflows_at_320_px_and_200_percent_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any, lang: str) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    city, _, _, _ = await _booked(url)
    venue = city["main"]["id"]
    desk = bearer("desk", venues=(venue,), subject="main-desk", name="Pääkirjaston tiski")
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], lang)
        await _text_size(page, LARGE)
        await page.set_viewport_size({"width": 320, "height": 640})
        await page.goto(f"{url}/desk?venue_id={venue}&lang={lang}")
        rows = page.locator("#pending tr[data-booking]")
        assert await rows.count() == 1  # a request waiting, its reject and confirm forms
        assert await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") \
            == LARGE
        scroll = await page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 320, (lang, scroll, await page.evaluate(_WIDE))
        # Every part of the request is on the screen, its buttons whole.
        for part in ("span.time", "td.actions button", "td.actions input[name=reason]"):
            for box in [await e.bounding_box() for e in await rows.locator(part).all()]:
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, \
                    (lang, part, box)
        await _text_size(page, DEFAULT)
        await page.reload()
        await passes_at_every_width(page, f"/desk {lang}")


async def test_emptying_every_weekly_row_asks_before_removing_all_hours(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    city, _, _, _ = await _booked(url)
    venue = city["main"]["id"]
    desk = bearer("desk", venues=(venue,), subject="main-desk", name="Pääkirjaston tiski")
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], "sv")
        await page.goto(f"{url}/desk/hours?venue_id={venue}&lang=sv")
        rows = await page.locator("tr.hours-row").count()
        for i in range(rows):
            await page.fill(f"#wk-{i}-opens", "")
            await page.fill(f"#wk-{i}-closes", "")
        await page.get_by_role("button", name="Spara öppettiderna").click()
        await page.wait_for_load_state()
        # Asked, with focus on the question; the hours still there below it.
        assert await focused_id(page) == "confirm-no-hours"
        assert "Ta bort alla öppettider?" in await page.locator("#confirm-no-hours").inner_text()
        assert await page.input_value("#wk-0-opens") == "08:00"
        await passes_at_every_width(page, "hours asked")
        await page.get_by_role("button", name="Ta bort alla öppettider").click()
        await page.wait_for_url("**/desk/hours?**")
        # Saved; Aino's request is now outside the hours, and said so.
        said = await page.locator("#status").inner_text()
        assert said.startswith("Sparat. Ändringen lämnar bokningar utanför öppettiderna: 1."), said
        assert await page.input_value("#wk-0-opens") == ""
