"""A tester's finding in a real browser (Debian's Chromium, Playwright) against the booking
service on PostgreSQL: an organiser whose sign-in gives no verified address sends a request
at 320 px; the booking page it leads to, and their list of bookings, say which address the
confirmation link went to and what waits on it, pass axe-core in fi, sv and en and fit the
phone; once the address is proved (`verified_contacts`, as opening the link writes it) the
notice is gone. The link's own flow and each language's words are checked in-process
(test_unverified_contact_notice.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID

import asyncpg
import httpx
import pytest

from services.booking.tests.test_organiser_pages import HELSINKI, _city, _sign_in
from tests.axe import NARROW, NO_SIDEWAYS
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

TITLES = {"fi": "Vahvista sähköpostiosoitteesi", "sv": "Bekräfta din e-postadress",
          "en": "Confirm your email address"}


async def test_the_booking_page_says_where_the_link_went_at_320_px(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=3)).date(), time(10),
                             HELSINKI)
    async with httpx.AsyncClient(base_url=url) as http:
        main = (await _city(http))["main"]
    room = main["spaces"][0]["id"]  # the hall, as the series journey books it
    token = bearer("organiser", subject="aino", name="Aino")["Authorization"].removeprefix(
        "Bearer ")  # no address from the sign-in: the one typed is to be proved
    address = "aino.aaltonen-virtanen@yhdistys.example.fi"  # long: must wrap at 320 px

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=NARROW)  # type: ignore[arg-type]
        await _sign_in(page, url, token,
                       f"/my/spaces?lang=fi&venue_id={main['id']}&day={start.date()}")
        slot = page.locator(f"section.space[data-space='{room}'] form.slot").first
        await slot.locator("select[name=starts_at]").select_option(
            f"{start.date().isoformat()}T10:00")
        await slot.locator("button").click()
        await page.wait_for_url("**/request?lang=fi*")
        held = page.url.split("/my/bookings/")[1].split("/")[0]
        await page.fill("#r-title", "Lukupiiri")
        await page.fill("#r-library", "Sari")
        await page.fill("#r-email", address)
        await page.check("#r-accept")
        await page.click("#request button[type=submit]:not([value])")
        await page.wait_for_url(f"**/my/bookings/{held}?**")

        # The page after the request: which address, what to do, what waits on it.
        notice = page.locator("#unverified")
        assert await notice.is_visible()
        said = await notice.inner_text()
        assert said.startswith(TITLES["fi"]) and address in said and "ovikoodia" in said
        for path in (f"/my/bookings/{held}", "/my/bookings"):
            for lang in ("fi", "sv", "en"):
                await page.goto(f"{url}{path}?lang={lang}")
                assert TITLES[lang] in await page.locator("#unverified h2").inner_text()
                assert address in await page.locator("#unverified").inner_text()
                assert await serious_violations(page) == [], (path, lang)
                assert await page.evaluate(NO_SIDEWAYS)
        await page.screenshot(path="/tmp/my-unverified-320.png", full_page=True)

        # The address proved (as opening its link writes it): the notice is gone from both.
        pool = await asyncpg.connect(dsn)
        try:
            organiser_id: UUID = await pool.fetchval(
                "SELECT organiser_id FROM bookings WHERE id = $1", UUID(held))
            await pool.execute(
                "INSERT INTO verified_contacts (organiser_id, email, verified_at, how)"
                " VALUES ($1, $2, now(), 'link')", organiser_id, address)
        finally:
            await pool.close()
        for path in (f"/my/bookings/{held}", "/my/bookings"):
            await page.goto(f"{url}{path}?lang=fi")
            assert await page.locator("#unverified").count() == 0, path
