"""The reader's own text size (WCAG 1.4.4) on the desk's, the venues' and the organiser's
pages, in a real browser (Debian's Chromium) against the booking service on PostgreSQL:
the browser's text size setting (Chromium's default font size, set as its settings page
sets it) sizes their text, where a body font set in px stood still; at the default the
look is as before (16 px at the desk, 17 px for residents and organisers). At 200 % and
320 px nothing scrolls sideways; each page passes axe-core. In Finnish, Swedish and
English."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.booking.tests.desk_browser import sign_in_at_desk
from services.booking.tests.test_organiser_pages import _city, _sign_in
from services.booking.tests.test_reflow_browser import _WIDE
from tests.axe import passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

#: The browser's default text size, and the reader's choice of twice that.
DEFAULT, LARGE = 16, 32


_SESSIONS: dict[int, Any] = {}


async def _text_size(page: Any, size: int) -> None:
    """The browser's own text size setting (chrome://settings/fonts), as the reader sets it;
    kept while the session that set it is open (one a page)."""
    session = _SESSIONS.get(id(page))
    if session is None:
        session = _SESSIONS[id(page)] = await page.context.new_cdp_session(page)
    await session.send("Page.setFontSizes", {"fontSizes": {"standard": size, "fixed": 13}})


async def _sizes(page: Any) -> dict[str, float]:
    return dict(await page.evaluate("""() => {
        const px = e => e ? parseFloat(getComputedStyle(e).fontSize) : 0;
        return {body: px(document.body), h1: px(document.querySelector('h1')),
                input: px(document.querySelector('main input:not([type=hidden]), main select'))};
    }"""))


async def _follows_the_readers_size(page: Any, url: str, body: float) -> None:
    """At the default, the body's text is `body` px; at twice the default, twice that, and
    so are the heading and the inputs; then at 320 px nothing scrolls sideways, and at the
    default again axe-core finds nothing serious."""
    await _text_size(page, DEFAULT)
    await page.goto(url)
    normal = await _sizes(page)
    assert normal["body"] == body, (url, normal)
    await _text_size(page, LARGE)
    await page.reload()
    large = await _sizes(page)
    for part, size in normal.items():
        assert large[part] == pytest.approx(2 * size, abs=0.5), (url, part, normal, large)
    await page.set_viewport_size({"width": 320, "height": 640})
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 320, (url, scroll, await page.evaluate(_WIDE))
    await _text_size(page, DEFAULT)
    await page.reload()
    await passes_at_every_width(page, url)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_pages_text_follows_the_readers_text_size(
    chromium_path: str, spawn_service, fresh_database, lang: str
) -> None:
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        city = await _city(http)
    venue = city["main"]["id"]
    desk = bearer("desk", venues=(venue,), subject="main-desk", name="Pääkirjaston tiski")
    aino = bearer("organiser", subject="aino", name="Aino", email="aino@example.fi",
                  email_verified=True)

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        # A resident's: the venue's page and the house rules.
        for path in (f"/venues/{venue}/page?lang={lang}", f"/rules?lang={lang}"):
            await _follows_the_readers_size(page, f"{url}{path}", 17)
        # The desk's: the day, a venue page, the day's sheet.
        await sign_in_at_desk(page, url, desk["Authorization"], lang)
        for path in (f"/desk?venue_id={venue}&lang={lang}",
                     f"/desk/hours?venue_id={venue}&lang={lang}",
                     f"/desk/loans?venue_id={venue}&lang={lang}",
                     f"/desk/day-sheet?venue_id={venue}&lang={lang}"):
            await _follows_the_readers_size(page, f"{url}{path}", 16)
        # An organiser's: finding a space.
        organiser = await browser.new_page(viewport={"width": 1280, "height": 800})
        await _sign_in(organiser, url, aino["Authorization"].removeprefix("Bearer "),
                       f"/my/spaces?lang={lang}")
        await _follows_the_readers_size(organiser, f"{url}/my/spaces?lang={lang}", 17)
