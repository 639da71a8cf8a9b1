"""An address no route has (404) and a method an address does not take (405), asked by a
browser, are a page in the browser's language (never the JSON an API client gets, with its
`code` and `message`), in Debian's Chromium via Playwright; axe-core finds nothing serious
on them at a phone's and a desktop's width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.axe import DESKTOP, PHONE, violations
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

#: The page's heading by status and language (`shared.pages.error_page`).
HEADINGS = {
    404: {"fi": "Sivua ei löytynyt", "sv": "Sidan hittades inte", "en": "Page not found"},
    405: {"fi": "Tätä ei voi tehdä tässä osoitteessa",
          "sv": "Det går inte att göra så på den här adressen",
          "en": "This cannot be done at this address"},
}
#: A form sent to an address that takes only GET (the page's CSP allows no inline script:
#: Playwright's evaluation goes through the DevTools protocol), once the evaluation has
#: returned, so the navigation does not end the context it returns in.
_POST_TO = """address => { const form = document.createElement('form');
    form.method = 'post'; form.action = address; document.body.appendChild(form);
    setTimeout(() => form.submit(), 0); }"""


async def _said(page: Any, status: int, lang: str) -> None:
    assert await page.evaluate("document.documentElement.lang") == lang
    assert await page.locator("h1").inner_text() == HEADINGS[status][lang]
    assert '"code"' not in await page.content()
    for size in (PHONE, DESKTOP):
        await page.set_viewport_size(size)
        assert await violations(page) == [], (status, lang, size)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_browser_reads_the_404_and_405_as_pages_in_its_language(
        lang: str, chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"))
    async with launch_chromium(chromium_path) as browser:
        context = await browser.new_context(locale={"fi": "fi-FI", "sv": "sv-FI",
                                                    "en": "en-GB"}[lang])
        page = await context.new_page()
        missing = await page.goto(f"{proc.url}/no-such-address")
        assert missing is not None and missing.status == 404
        await _said(page, 404, lang)

        async with page.expect_navigation() as sent:
            await page.evaluate(_POST_TO, "/health/live")
        refused = await sent.value
        assert refused is not None and refused.status == 405
        assert refused.headers["allow"] == "GET, HEAD, OPTIONS"
        assert refused.headers["content-type"].startswith("text/html")
        await _said(page, 405, lang)
        await context.close()
