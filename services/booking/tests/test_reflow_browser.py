"""Reflow (WCAG 1.4.10) of the organiser's and the desk's pages in a real browser (Debian's
Chromium) against the booking service on PostgreSQL: at 320 px with text at 200 % nothing
makes the page scroll sideways, in Finnish and Swedish, whose words are the longest
("Bokningsförfrågan"): a booking's facts, the request's heading, the spaces' accessibility
lists; and the desk at a phone's width with normal text, its week table scrolling in a box
of its own that the keyboard reaches. Each page passes axe-core at a phone's and a desktop's
width (`tests.axe.passes_at_every_width`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest

from services.booking.tests.desk_browser import sign_in_at_desk
from services.booking.tests.test_organiser_pages import HELSINKI, _city, _sign_in
from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

#: Text at 200 %, as a reader's browser setting makes it.
LARGE_TEXT = "html { font-size: 200% !important; }"
#: What is wider than the page, to say in a failure (the innermost such elements).
_WIDE = """() => { const w = document.documentElement.clientWidth;
    const out = e => e.getBoundingClientRect().right > w + 0.5 || e.scrollWidth > e.clientWidth + 1;
    return [...document.querySelectorAll('body *')].filter(e => out(e)
            && e.getBoundingClientRect().width > 0 && ![...e.children].some(out))
        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')
            + ' ' + (e.textContent || '').trim().slice(0, 40)); }"""


async def reflows(page: Any, what: str, *, width: int = 320, large: bool = True) -> None:
    """No sideways scroll at `width` px (with text at 200 % when `large`), and axe-clean at
    every width; the page is left at a phone's width, its text as it was."""
    await page.set_viewport_size({"width": width, "height": 640})
    style = await page.add_style_tag(content=LARGE_TEXT) if large else None
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    wide = await page.evaluate(_WIDE) if scroll > width else []
    if style is not None:
        await style.evaluate("e => e.remove()")
    await page.set_viewport_size(PHONE)
    assert scroll <= width, (what, scroll, wide)
    await passes_at_every_width(page, what)


async def _booked(url: str) -> tuple[dict[str, Any], str, str, str]:
    """The city, a request of Aino's (long words in its facts) and a time she holds."""
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=3)).date(), time(10),
                             HELSINKI)
    aino = bearer("organiser", subject="aino", name="Aino", email="aino@example.fi",
                  email_verified=True)
    async with httpx.AsyncClient(base_url=url) as http:
        city = await _city(http)
        space = city["main"]["spaces"][0]["id"]
        every = {"accessibility_features": ["step_free_entrance", "lift", "accessible_toilet",
                                            "induction_loop", "accessible_parking"]}
        r = await http.patch(f"/venues/{city['main']['id']}", headers=bearer("admin"),
                             json=every)
        assert r.status_code == 200, r.text
        made = await http.post("/bookings", headers=aino, json={
            "space_id": space, "title": "Lukupiiri",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
            "organiser": {"name": "Aino", "email": "aino@example.fi"},
            "library_contact": "Sari", "accept_house_rules": True})
        assert made.status_code == 201, made.text
        later = start + timedelta(hours=3)
        held = await http.post("/bookings/holds", headers=aino, json={
            "space_id": space, "starts_at": later.isoformat(),
            "ends_at": (later + timedelta(hours=1)).isoformat()})
        assert held.status_code == 201, held.text
    return city, made.json()["id"], held.json()["id"], aino["Authorization"].removeprefix(
        "Bearer ")


async def test_the_organisers_pages_reflow_at_320_px_with_large_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    _, booking, held, token = await _booked(url)
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)  # type: ignore[arg-type]
        await _sign_in(page, url, token, f"/my/bookings/{booking}?lang=fi")
        failures = []
        for path in (f"/my/bookings/{booking}?lang=fi", f"/my/bookings/{booking}?lang=sv",
                     f"/my/bookings/{held}/request?lang=sv",
                     f"/my/bookings/{held}/request?lang=fi", "/my/spaces?lang=sv",
                     "/my/spaces?lang=fi", "/my/bookings?lang=sv"):
            await page.goto(f"{url}{path}")
            if path == "/my/spaces?lang=sv":  # the longest of the accessibility list's words
                assert await page.get_by_text("Parkeringsplats för rörelsehindrade").count()
            try:
                await reflows(page, path)
            except AssertionError as e:
                failures.append(str(e))
        assert failures == [], "\n".join(failures)


async def test_the_desk_reflows_at_a_phones_width(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    city, _, _, _ = await _booked(url)
    async with httpx.AsyncClient(base_url=url) as http:  # the city's longest name, to choose
        kantti = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "KANTTI – tiedon ja tarinoiden kortteli, Kuopion keskustan kirjasto",
                     "sv": "KANTTI – kvarteret för kunskap och berättelser, Kuopio"
                           " centrumbibliotek",
                     "en": "KANTTI – the block of knowledge and stories"},
            "kind": "library", "area": "kuopio.keskusta", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Lastenosaston pedagoginen tila",
                                 "sv": "Barnavdelningens pedagogiska utrymme"},
                        "capacity": 12}]})).json()
    desk = bearer("desk", venues=(city["main"]["id"], kantti["id"], city["branch"]["id"]),
                  subject="desk-all", name="Tiski")
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)  # type: ignore[arg-type]
        failures = []
        for lang in ("fi", "sv"):
            await sign_in_at_desk(page, url, desk["Authorization"], lang)
            try:
                await reflows(page, f"/desk {lang}", width=320, large=False)
            except AssertionError as e:
                failures.append(str(e))
        assert failures == [], "\n".join(failures)
