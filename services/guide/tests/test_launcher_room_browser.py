"""The launcher covers none of the page it is on (WCAG 1.4.10 Reflow, 2.4.11 Focus Not
Obscured): a tester at 320 px with 200 % text found the floating "Ask Kohtaamo" button, a
quarter of the screen, over the booking desk page's content. On a screen narrow or short for
its text the button is in the page's flow, at its end; where it floats, room is kept at the
page's end to scroll the last lines clear of it, and above whatever takes the focus
(scroll-padding), so that tabbing never puts a link under it. Debian's Chromium via
Playwright on the guide's demo page (which carries the launcher as the other services'
pages do), with a long page of links, in fi/sv/en, axe-clean."""

from __future__ import annotations

from typing import Any

import pytest

from services.guide.tests.test_pages import serious_violations
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

#: A long page: paragraphs of text, each with a link at its right end, where the floating
#: button is, in the demo page's main, as wide as the screen.
_LONG_PAGE = """() => {
  const main = document.querySelector('main');
  main.style.maxWidth = 'none';
  for (let i = 0; i < 40; i++) {
    const p = document.createElement('p');
    p.style.textAlign = 'right';
    p.append('Kappale ' + i + ' ');
    const a = document.createElement('a');
    a.href = '#p' + i; a.id = 'p' + i; a.textContent = 'linkki ' + i;
    p.append(a);
    main.append(p);
  }
}"""

#: What of the page's own content is on the screen under the launcher's button: the boxes of
#: main's elements with text, where they meet the button's.
_COVERED = """() => {
  const b = document.getElementById('kohtaamo-guide-open').getBoundingClientRect();
  const meets = (r) => r.width > 0 && r.height > 0 && r.left < b.right && b.left < r.right
    && r.top < b.bottom && b.top < r.bottom;
  return [...document.querySelectorAll('main *')]
    .filter(e => e.childElementCount === 0 && e.textContent.trim())
    .filter(e => meets(e.getBoundingClientRect())).map(e => e.textContent.trim());
}"""

#: Whether the element with the focus is, in part, under the button.
_FOCUS_COVERED = """() => {
  const b = document.getElementById('kohtaamo-guide-open').getBoundingClientRect();
  const r = document.activeElement.getBoundingClientRect();
  return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
}"""


async def _text(page: Any, size: str) -> None:
    """Text made larger as a reader's browser setting does: the root's size."""
    await page.evaluate("(s) => { document.documentElement.style.fontSize = s; }", size)
    await page.wait_for_timeout(100)  # the launcher is placed again as its size changes


async def _position(page: Any) -> str:
    return str(await page.evaluate(
        "() => getComputedStyle(document.getElementById('kohtaamo-guide-open')).position"))


async def _nothing_covered_while_scrolling(page: Any, where: tuple[Any, ...]) -> None:
    height = await page.evaluate("() => document.documentElement.scrollHeight")
    for y in range(0, height + 200, 200):
        await page.evaluate("(y) => window.scrollTo(0, y)", y)
        assert await page.evaluate(_COVERED) == [], (*where, y)


async def test_on_a_narrow_screen_with_large_text_the_launcher_is_at_the_page_end(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with launch_chromium(chromium_path) as browser:
        # 320 px, and a wider screen made narrow for its text by 200 %.
        for width, height in ((320, 640), (800, 900)):
            page = await browser.new_page(viewport={"width": width, "height": height})
            for lang in ("fi", "sv", "en"):
                await page.goto(f"{proc.url}/widget/demo?lang={lang}")
                await page.wait_for_selector("#kohtaamo-guide-open")
                await page.evaluate(_LONG_PAGE)
                await _text(page, "200%")
                where = (width, lang)
                assert await _position(page) == "static", where
                await _nothing_covered_while_scrolling(page, where)
                # After the page's content, within the screen, without sideways scroll.
                box = await page.locator("#kohtaamo-guide-open").bounding_box()
                last = await page.locator("main").bounding_box()
                assert box is not None and last is not None
                assert box["y"] >= last["y"] + last["height"], (where, box, last)
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, (where, box)
                assert await page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " <= document.documentElement.clientWidth"), where
                assert await serious_violations(page) == [], where
                # It opens the chat on the screen, and closes it, the focus back on it.
                await page.click("#kohtaamo-guide-open")
                panel = await page.locator("#kohtaamo-guide").bounding_box()
                assert panel is not None and panel["y"] >= 0, (where, panel)
                assert panel["y"] + panel["height"] <= height, (where, panel)
                await page.keyboard.press("Escape")
                await page.locator("#kohtaamo-guide").wait_for(state="hidden")
                assert await page.evaluate(
                    "() => document.activeElement.id") == "kohtaamo-guide-open"
            await page.close()


async def test_where_it_floats_the_page_scrolls_clear_of_it_and_the_focus_is_never_under_it(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 720})
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{proc.url}/widget/demo?lang={lang}")
            await page.wait_for_selector("#kohtaamo-guide-open")
            await page.evaluate(_LONG_PAGE)
            await page.wait_for_timeout(100)
            assert await _position(page) == "fixed", lang
            # Scrolled to the end, the last lines are above the button.
            await page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
            assert await page.evaluate(_COVERED) == [], lang
            # Tabbing down the page: no link taking the focus is under the button.
            await page.evaluate("() => window.scrollTo(0, 0)")
            await page.focus("#p0")
            for i in range(1, 40):
                await page.keyboard.press("Tab")
                assert await page.evaluate("() => document.activeElement.id") == f"p{i}"
                assert not await page.evaluate(_FOCUS_COVERED), (lang, i)
            assert await serious_violations(page) == [], lang
        # Larger text on the same screen: still floating where it has room, and so still
        # clear of the focus.
        await _text(page, "150%")
        assert await _position(page) == "fixed"
        await page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        assert await page.evaluate(_COVERED) == []
