"""The page an organiser's one-time email confirmation link opens (`/contact/verify`) has
the fi/sv/en switch every page has, in a real browser (Debian's Chromium) against the
booking service on PostgreSQL: each language's link keeps the link's token, so a reader
who opens it in the wrong language changes it and still confirms with one press; the
switch is named and marks the current language; axe-core finds nothing serious."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.booking.tests.test_api import TOMORROW, booking
from services.booking.tests.test_api import venue as open_venue
from services.booking.usecases.bookings import token_hash
from tests.axe import passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

TOKEN = "k" * 43  # as long as the links' own (secrets.token_urlsafe(32))
HEADING = {"fi": "Sähköpostiosoitteen vahvistus", "sv": "Bekräftelse av e-postadress",
           "en": "Confirm your email address"}
NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
LABELS = {"fi": "Kieli", "sv": "Språk", "en": "Language"}


async def _link_sent(url: str, dsn: str) -> None:
    """Matti's request, sent with an address not yet proved (a link is mailed for it), and
    one more link of his for that address whose token the test knows."""
    import asyncpg

    async with httpx.AsyncClient(base_url=url) as http:
        venue, _ = await open_venue(http)  # open 6–23 every day
        r = await http.post("/bookings", headers=bearer("organiser", subject="matti",
                                                        name="Matti Virtanen"),
                            json=booking(venue["spaces"][1]["id"], TOMORROW, organiser={
                                "name": "Matti Virtanen", "email": "matti@example.fi"}))
        assert r.status_code == 201, r.text
    db = await asyncpg.connect(dsn)
    try:
        organiser_id, email = await db.fetchrow(
            "SELECT organiser_id, email FROM contact_verifications LIMIT 1")
        now = datetime.now(UTC)
        await db.execute(
            "INSERT INTO contact_verifications (token_hash, organiser_id, email, created_at,"
            " expires_at) VALUES ($1, $2, $3, $4, $5)", token_hash(TOKEN), organiser_id,
            email, now, now + timedelta(days=2))
    finally:
        await db.close()


@pytest.mark.parametrize("opened, chosen", [("fi", "sv"), ("sv", "en"), ("en", "fi")])
async def test_the_links_page_changes_language_keeping_its_token(
    chromium_path: str, spawn_service, fresh_database, opened: str, chosen: str
) -> None:
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    await _link_sent(url, dsn)

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await page.goto(f"{url}/contact/verify?token={TOKEN}&lang={opened}")
        switch = page.locator("nav")
        assert await switch.get_attribute("aria-label") == LABELS[opened]
        links = switch.locator("a")
        found = []
        for i in range(await links.count()):
            link = links.nth(i)
            query = parse_qs(urlsplit(await link.get_attribute("href") or "").query)
            found.append((await link.get_attribute("lang"), await link.inner_text(),
                          query["token"], query["lang"],
                          await link.get_attribute("aria-current")))
        assert found == [(code, NAMES[code], [TOKEN], [code],
                          "page" if code == opened else None) for code in ("fi", "sv", "en")]
        await passes_at_every_width(page, f"/contact/verify {opened}")

        await switch.get_by_text(NAMES[chosen], exact=True).click()
        await page.wait_for_url(f"**/contact/verify?*lang={chosen}*")
        assert await page.locator("html").get_attribute("lang") == chosen
        assert await page.locator("h1").inner_text() == HEADING[chosen]
        assert await page.locator("nav a[aria-current=page]").inner_text() == NAMES[chosen]
        assert await page.locator("input[name=token]").input_value() == TOKEN
        # Confirmed in the language chosen, by the token the link carried.
        await page.locator("main button").click()
        status = page.locator("[role=status]")
        await status.wait_for()
        assert "matti@example.fi" in await status.inner_text()
        assert await page.locator("html").get_attribute("lang") == chosen
