"""The widget's demo page reflows (WCAG 1.4.10): a tester scrolled it sideways at 390 px with
200 % text and at 195 px, the long word "Tapahtumakalenteri" of its heading wider than the
screen. Long words wrap as on the residents' other pages (overflow-wrap, hyphens). Debian's
Chromium via Playwright, at 320 px with normal and double text and at 195 px, in fi/sv/en;
the chat itself too, which has the same stylesheet."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra import launch_chromium

pytestmark = pytest.mark.infra


async def _no_sideways_scroll(page: Any, text: str, where: tuple[Any, ...]) -> None:
    # Text made larger as a reader's browser setting does: the root's size.
    await page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text)
    widths = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], (*where, text, widths)


async def test_the_demo_page_has_no_sideways_scroll_on_a_narrow_screen(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with launch_chromium(chromium_path) as browser:
        for width, text in ((320, "100%"), (320, "200%"), (195, "100%")):
            page = await browser.new_page(viewport={"width": width, "height": 640})
            for lang in ("fi", "sv", "en"):
                await page.goto(f"{proc.url}/widget/demo?lang={lang}")
                await page.wait_for_selector("#kohtaamo-guide-open")
                await _no_sideways_scroll(page, text, (width, lang, "demo"))
                await page.goto(f"{proc.url}/widget?lang={lang}")
                await _no_sideways_scroll(page, text, (width, lang, "widget"))
            await page.close()
