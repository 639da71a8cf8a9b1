"""The communications staff's page (`/staff`) and its preview begin with a skip link: a
tester's first Tab on /staff was "Sign out", then the approval queue, the vocabulary and
three languages before anything the page is for. Now the first Tab is "Siirry sisältöön /
Till innehållet / Skip to content" (the resident pages' words, `shared.pages.SKIP_TO_MAIN`),
seen when focused, and it leads the keyboard into the page's main content. In a real
browser (Debian's Chromium), axe-core at every width."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import STAFF, Setup, activity
from shared.pages import SKIP_TO_MAIN
from tests.axe import passes_at_every_width
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

ORIGIN = "http://viestinta.kuopio.test"

#: The focused element: its tag, text, where it leads, whether it is inside <main>, and
#: where it is drawn.
_FOCUSED = """() => { const el = document.activeElement, box = el.getBoundingClientRect();
    return {tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'),
            inMain: !!el.closest('main#main'), left: box.left, right: box.right,
            top: box.top, width: box.width}; }"""


def _serve(html: str) -> Any:
    async def serve(route: Any) -> None:
        await route.fulfill(status=200, body=html,
                            headers={"content-type": "text/html; charset=utf-8"})
    return serve


async def _pages(setup: Setup, path: str) -> dict[str, str]:
    found = {}
    for lang in ("fi", "sv", "en"):
        answer = await setup.client.get(path, params={"lang": lang}, headers=STAFF)
        assert answer.status_code == 200, answer.text
        found[lang] = answer.text
    return found


async def test_the_first_tab_on_the_staff_pages_skips_to_their_content(
        setup: Setup, chromium_path: str) -> None:
    await setup.account("mastodon")
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    pages = {"/staff": await _pages(setup, "/staff"),
             f"/staff/preview/{event.event_id}": await _pages(
                 setup, f"/staff/preview/{event.event_id}")}
    async with launch_chromium(chromium_path) as browser:
        for path, by_lang in pages.items():
            for lang, html in by_lang.items():
                what = f"{path} {lang}"
                page = await browser.new_page(viewport={"width": 390, "height": 844})
                await page.route("**/*", _serve(html))
                await page.goto(f"{ORIGIN}{path}?lang={lang}")
                # Out of sight until the keyboard reaches it.
                hidden = await page.locator("a.skip").evaluate(
                    "a => a.getBoundingClientRect().right")
                assert hidden <= 0, what
                await page.keyboard.press("Tab")
                first = await page.evaluate(_FOCUSED)
                assert (first["tag"], first["text"], first["href"]) == (
                    "A", SKIP_TO_MAIN[lang], "#main"), what
                # Seen when focused: drawn inside the window.
                assert first["left"] >= 0 and first["top"] >= 0 and first["width"] > 0, what
                assert first["right"] <= 390, what
                await passes_at_every_width(page, f"{what} with the skip link focused")
                await page.keyboard.press("Enter")
                # The keyboard now goes on from the content: back one is the header's last
                # link (English), past the sign-out, the links and the languages.
                await page.keyboard.press("Shift+Tab")
                back = await page.evaluate(_FOCUSED)
                assert (back["text"], back["inMain"]) == ("English", False), (what, back)
                if path == "/staff":  # the preview's content has nothing to focus
                    await page.goto(f"{ORIGIN}{path}?lang={lang}")
                    for key in ("Tab", "Enter", "Tab"):
                        await page.keyboard.press(key)
                    after = await page.evaluate(_FOCUSED)
                    assert after["inMain"], (what, after)
                await page.close()
