"""Reflow (WCAG 1.4.10) of the desk's pages in a real browser (Debian's Chromium) against the
booking service on PostgreSQL: at 320 px, with text at 100 % and at 200 %, the day view, the
opening hours (the weekly table of time inputs), the spaces (the accessibility fieldset) and
the lending (the table of loans out) scroll no page sideways, in Finnish, Swedish and
English; each passes axe-core at a phone's and a desktop's width. A tester found the hours
593 px wide, the loans 797 px, the spaces 631 px and the day view's week heading 337 px."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest

from services.booking.tests.desk_browser import sign_in_at_desk, venue_with_laptops
from services.booking.tests.test_organiser_pages import HELSINKI
from services.booking.tests.test_reflow_browser import _WIDE, LARGE_TEXT
from tests.axe import NARROW, NO_SIDEWAYS, PHONE, passes_at_every_width
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra


async def _sideways(page: Any, large: bool) -> str | None:
    """What scrolls the page sideways at 320 px (text at 200 % when `large`), else None."""
    await page.set_viewport_size(NARROW)
    style = await page.add_style_tag(content=LARGE_TEXT) if large else None
    fits = await page.evaluate(NO_SIDEWAYS)
    said = None if fits else (
        f"{await page.evaluate('document.documentElement.scrollWidth')} px:"
        f" {await page.evaluate(_WIDE)}")
    if style is not None:
        await style.evaluate("e => e.remove()")
    await page.set_viewport_size(PHONE)
    return said


async def test_the_desks_pages_reflow_at_320_px_with_normal_and_large_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    venue, desk, laptops = await venue_with_laptops(url)
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=1)).date(), time(10),
                             HELSINKI)
    async with httpx.AsyncClient(base_url=url) as http:
        # A loan out, its borrower's address long and without spaces, as they come.
        lent = await http.post("/loans", headers=desk, json={
            "resource_id": laptops, "quantity": 1, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "borrower": {"name": "Kalle Kirjastolainen-Lukupiiriläinen",
                         "phone": "+358 40 123 4567",
                         "email": "kalle.kirjastolainen-lukupiirilainen@example.fi"}})
        assert lent.status_code == 201, lent.text
    pages = ("/desk/hours", "/desk/loans", "/desk/spaces", "/desk")
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)  # type: ignore[arg-type]
        failures = []
        for lang in ("fi", "sv", "en"):
            await sign_in_at_desk(page, url, desk["Authorization"], lang)
            for path in pages:
                where = f"{path}?venue_id={venue['id']}&lang={lang}"
                await page.goto(f"{url}{where}")
                if path == "/desk/loans":  # the table is there, with its loan
                    assert await page.locator("tr.loan").count() == 1, where
                if path == "/desk/hours":
                    assert await page.locator("tr.hours-row input[type=time]").count() >= 2
                for large in (False, True):
                    said = await _sideways(page, large)
                    if said:
                        failures.append(f"{where} {'200' if large else '100'} %: {said}")
                try:
                    await passes_at_every_width(page, where)
                except AssertionError as e:
                    failures.append(f"axe {where}: {e}")
        assert failures == [], "\n".join(failures)
