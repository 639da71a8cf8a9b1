"""The communications staff's preview of an activity's posts (`/staff/preview/{id}`) fits a
phone with 200 % text (WCAG 1.4.10): a tester's page was 608 px wide at 320 px, its columns
at least 18rem wide whatever the screen, and a long name, address or post text did not
wrap. In a real browser (Debian's Chromium)."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import STAFF, Setup, activity
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

ORIGIN = "http://viestinta.kuopio.test"
#: A Finnish compound of 54 letters: one word no line may break without help.
LONG = "Lasten-ja-nuorten-kesäteatterileiriharjoitusviikonloppu".replace("-", "")
#: A picture wider than any phone, for the post that carries it.
WIDE = ('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="600">'
        '<rect width="1200" height="600" fill="#00577c"/></svg>')


def _serve(html: str) -> Any:
    async def serve(route: Any) -> None:
        if route.request.url.startswith(ORIGIN):
            await route.fulfill(status=200, body=html,
                                headers={"content-type": "text/html; charset=utf-8"})
        else:  # the post's picture, wherever it is
            await route.fulfill(status=200, body=WIDE, headers={"content-type": "image/svg+xml"})
    return serve


async def test_the_preview_fits_a_phone_with_200_percent_text(setup: Setup,
                                                              chromium_path: str) -> None:
    await setup.account("facebook", name=f"Kuopion kaupunginkirjasto {LONG}")
    await setup.account("instagram")
    event = activity(name=LONG, image=setup.fake.image_url)
    await setup.handle(handlers.on_activity_event, event)
    pages = {}
    for lang in ("fi", "sv", "en"):
        answer = await setup.client.get(f"/staff/preview/{event.event_id}",
                                        params={"lang": lang}, headers=STAFF)
        assert answer.status_code == 200, answer.text
        # The post as it goes: the name and the event page's address, each one long word.
        assert LONG in answer.text and f"/events/{event.event_id}/page?lang=fi" in answer.text
        pages[lang] = answer.text
    async with launch_chromium(chromium_path) as browser:
        for lang, html in pages.items():
            page = await browser.new_page(viewport={"width": 320, "height": 640})
            await page.route("**/*", _serve(html))
            await page.goto(f"{ORIGIN}/staff/preview/{event.event_id}?lang={lang}")
            await page.add_style_tag(content="html { font-size: 200% !important; }")
            # Each post's text and picture are there, the picture shown within the page.
            assert await page.locator("article.preview pre").count() == 2
            images = page.locator("article.preview img")
            assert await images.count() >= 1
            assert await images.first.evaluate("i => i.complete && i.naturalWidth") == 1200
            assert await images.first.evaluate("i => i.getBoundingClientRect().right") <= 320
            assert await page.evaluate("document.documentElement.scrollWidth") <= 320, lang
            await page.close()
