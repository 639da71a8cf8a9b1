"""The launcher's close button stays clear of the chat: a tester opened the guide on the
Swedish demo page at 320 px with 200 % text and found "Stäng" over the "In English" link and
over the conversation as it scrolled (it was placed over the frame's top corner). It is in a
bar of its own above the chat, which wraps with large text. Debian's Chromium via
Playwright at 320×640 with double text (in the page and in the chat), axe-clean."""

from __future__ import annotations

from typing import Any

import pytest

from services.guide.pages import LABELS
from services.guide.tests.test_pages import serious_violations, wait_until
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

#: A box's edges, in the demo page's coordinates: the close button's, and the part of the
#: chat's own (its language links and its log) its frame shows, moved by where it is (a
#: part scrolled out of the frame is under nothing); null for none shown.
_BOXES = """() => {
  const box = (r, dx = 0, dy = 0) => ({left: r.left + dx, right: r.right + dx,
                                       top: r.top + dy, bottom: r.bottom + dy});
  const frame = document.querySelector('#kohtaamo-guide iframe');
  const at = frame.getBoundingClientRect();
  const inner = frame.contentDocument;
  const of = (el) => {
    const b = box(el.getBoundingClientRect(), at.left, at.top);
    const shown = {left: Math.max(b.left, at.left), right: Math.min(b.right, at.right),
                   top: Math.max(b.top, at.top), bottom: Math.min(b.bottom, at.bottom)};
    return shown.left < shown.right && shown.top < shown.bottom ? shown : null;
  };
  return {close: box(document.getElementById('kohtaamo-guide-close').getBoundingClientRect()),
          frame: box(at),
          links: [...inner.querySelectorAll('nav.langs a')].map(of),
          log: of(inner.getElementById('log'))};
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] \
        and b["top"] < a["bottom"]


async def test_the_close_button_covers_neither_the_language_links_nor_the_chat(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 320, "height": 640})
        for lang in ("sv", "fi", "en"):
            await page.goto(f"{proc.url}/widget/demo?lang={lang}")
            await page.wait_for_selector("#kohtaamo-guide-open")
            # Text made larger as a reader's browser setting does: the root's size, in the
            # page and in the chat's frame.
            await page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
            await page.click("#kohtaamo-guide-open")
            chat = page.frame_locator("#kohtaamo-guide iframe")
            await chat.locator("#log").wait_for()
            frame = next(f for f in page.frames if "/widget?" in f.url)
            await frame.evaluate(
                "() => { document.documentElement.style.fontSize = '200%'; }")
            # A conversation long enough to scroll, as the tester's.
            await frame.evaluate("""() => {
                const log = document.getElementById('log');
                for (let i = 0; i < 30; i++) {
                  const p = document.createElement('div');
                  p.className = 'msg guide'; p.textContent = 'Rad ' + i;
                  log.appendChild(p);
                }
                log.scrollTop = log.scrollHeight / 2;
            }""")
            close = page.locator("#kohtaamo-guide-close")
            assert await close.is_visible() and await close.text_content() == \
                LABELS[lang]["close"]
            # The chat at its top (the language links shown), then at its log.
            await frame.evaluate("() => window.scrollTo(0, 0)")
            boxes = await page.evaluate(_BOXES)
            assert len(boxes["links"]) == 3 and all(boxes["links"]), boxes
            for link in boxes["links"]:
                assert not _overlap(boxes["close"], link), (lang, boxes)
            await frame.evaluate("() => document.getElementById('log').scrollIntoView()")
            boxes = await page.evaluate(_BOXES)
            assert boxes["log"] is not None, boxes
            assert not _overlap(boxes["close"], boxes["log"]), (lang, boxes)
            # Above the chat, not on it: nothing of the frame under the button.
            assert boxes["close"]["bottom"] <= boxes["frame"]["top"], (lang, boxes)
            # Within the screen, without sideways scroll.
            assert boxes["close"]["left"] >= 0 and boxes["close"]["right"] <= 320, boxes
            assert await page.evaluate(
                "() => document.documentElement.scrollWidth"
                " <= document.documentElement.clientWidth")
            assert await serious_violations(page) == []
            # It still closes the panel, the focus back on the button that opens it.
            await close.click()
            await page.locator("#kohtaamo-guide").wait_for(state="hidden")
            await wait_until(page, "() => document.activeElement.id === 'kohtaamo-guide-open'")
