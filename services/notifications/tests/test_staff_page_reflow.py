"""The communications staff's page (`/staff`) fits a phone with 200 % text (WCAG 1.4.10): a
tester's page scrolled sideways at 320 px, its heading ("Kommunikation: publiceringar",
"Communications: posts") one word wider than the screen, and in Finnish the section of
accounts to sign in again scrolled inside itself, a box no keyboard could reach (axe:
scrollable-region-focusable). In a real browser (Debian's Chromium), with every section
holding something: an account to sign in again, a failed and an unconfirmed post, a post the
channel cannot carry, a planned one, a notice on a board."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.domain import board_id_for_venue
from services.notifications.store import NotificationStore
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import AREA, STAFF, Setup, activity
from tests.axe import NARROW, passes_at_every_width
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

ORIGIN = "http://viestinta.kuopio.test"
#: A Finnish compound of 54 letters: one word no line may break without help.
LONG = "Lasten-ja-nuorten-kesäteatterileiriharjoitusviikonloppu".replace("-", "")
#: The platform's own answer, one long token as platforms give them.
DETAIL = "Error validating access token: Session has expired on " + "x" * 60
ZOOM = "html { font-size: 200% !important; }"


def _serve(html: str) -> Any:
    async def serve(route: Any) -> None:
        await route.fulfill(status=200, body=html,
                            headers={"content-type": "text/html; charset=utf-8"})
    return serve


async def _fill(setup: Setup) -> None:
    """Something in every section of the page."""
    facebook = await setup.account("facebook", name=f"Kuopion kaupunginkirjasto {LONG}")
    instagram = await setup.account("instagram")
    event = activity(name=LONG)  # no image: Instagram cannot carry it
    await setup.handle(handlers.on_activity_event, event)
    venue_id = uuid4()
    async with setup.pool.acquire() as conn:
        db = NotificationStore(conn)
        await db.set_account_state(facebook, "reauth_needed", DETAIL)
        await db.set_account_state(instagram, "reauth_needed", None)
        for status in ("failed", "unconfirmed"):
            await db.add_delivery(
                activity_event_id=event.event_id, key=f"{status}-{uuid4()}",
                channel="facebook", target=f"{facebook}:a", revision=1,
                purpose="announcement", status=status, due_at=datetime.now(UTC),
                content={"text": f"{LONG}\nhttps://tapahtumat.kuopio.fi/events/"
                                 f"{event.event_id}/page?lang=fi"},
                language="fi", account_id=facebook, error_class="permanent",
                last_error=f'facebook feed: HTTP 400: {{"error": {{"message": "{LONG}"}}}}')
        await db.add_delivery(
            key=f"planned-{uuid4()}", channel="facebook", target=f"{facebook}:b",
            revision=1, purpose="reminder", status="pending",
            due_at=datetime.now(UTC) + timedelta(days=1), content={"text": LONG},
            language="fi", account_id=facebook, activity_event_id=event.event_id)
        await conn.execute(
            """INSERT INTO notice_boards (id, venue_id, area, name, venue_revision)
               VALUES ($1, $2, $3, $4, 1)""",
            board_id_for_venue(venue_id), venue_id, AREA,
            {"fi": f"Nilsiän kirjasto {LONG}", "sv": f"Nilsiä bibliotek {LONG}"})


async def test_the_staff_page_fits_a_phone_with_200_percent_text(setup: Setup,
                                                                 chromium_path: str) -> None:
    await _fill(setup)
    pages = {}
    for lang in ("fi", "sv", "en"):
        answer = await setup.client.get("/staff", params={"lang": lang}, headers=STAFF)
        assert answer.status_code == 200, answer.text
        # Every section holds something: the test is of the page as staff meet it.
        for held in ('class="account"', 'class="delivery"', 'class="skipped"',
                     'class="planned"', 'name="board"'):
            assert held in answer.text, (lang, held)
        pages[lang] = answer.text
    async with launch_chromium(chromium_path) as browser:
        for lang, html in pages.items():
            page = await browser.new_page(viewport=NARROW)
            await page.route("**/*", _serve(html))
            await page.goto(f"{ORIGIN}/staff?lang={lang}")
            await page.add_style_tag(content=ZOOM)
            # Nothing scrolls sideways: not the page, and no box inside it either.
            assert await page.evaluate("document.documentElement.scrollWidth") <= 320, lang
            inside = await page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.scrollWidth > e.clientWidth + 1
                        && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))""")
            assert inside == [], (lang, inside)
            await passes_at_every_width(page, f"/staff {lang} at 200 % text")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390, lang
            await page.close()
