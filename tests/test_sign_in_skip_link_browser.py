"""The shared sign-in page (`shared.pages.PageSession`, every staff and organiser sign-in)
begins with a skip link past its language links, as every other page does: a tester found
the first Tab stop on the staff sign-ins was a language link. In Debian's Chromium via
Playwright, fi/sv/en, with axe-core at a phone's and a desktop's width."""

from __future__ import annotations

from typing import Any

import pytest

from shared.pages import SKIP_TO_MAIN
from tests.axe import DESKTOP, PHONE, violations
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_sign_in_starts_with_a_skip_link_to_its_form(
        lang: str, chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"))
    async with launch_chromium(chromium_path) as browser:
        context = await browser.new_context()
        page = await context.new_page()
        shown = await page.goto(f"{proc.url}/staff/login?lang={lang}")
        assert shown is not None and shown.status == 200
        skip = page.locator("a.skip")
        # Off screen until focused, then inside the window.
        box = await skip.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 0
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.className") == "skip"
        assert await page.evaluate("document.activeElement.textContent") == SKIP_TO_MAIN[lang]
        box = await skip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0
        # Past the language links: the next Tab stop is the sign-in's own field.
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.name") == "token"
        for size in (PHONE, DESKTOP):
            await page.set_viewport_size(size)
            assert await violations(page) == [], (lang, size)
        await context.close()
