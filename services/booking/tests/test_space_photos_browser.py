"""Tester #15: the photos the desk saves for a space (an https address, what it shows in fi/sv/
en) are seen where residents and organisers choose a space: the venue's public page and
/my/spaces. Each with its alternative text in the reader's language (a Finnish-only text
marked `lang="fi"`), room kept for it before it loads (the page does not jump), loaded
lazily; in Chromium on a phone and a desktop, axe-clean in every language."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.tests.test_organiser_pages import DESKTOP, PHONE, _sign_in
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")
HOST = "https://kuvat.kuopio.example"
ROOM_PHOTO = f"{HOST}/jynkka/ryhmatila.png"
TABLE_PHOTO = f"{HOST}/jynkka/poyta.png"
#: A 1×1 PNG: the photos' host answers in the browser without any network. Its own size is
#: nothing like the room the page keeps, so a shown box of 4:3 is the page's doing.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYA"
                         "AjCB0C8AAAAASUVORK5CYII=")
ALTS = {"fi": "Pitkä pöytä ja kaksitoista tuolia", "sv": "Ett långt bord och tolv stolar",
        "en": "A long table and twelve chairs"}
ONLY_FI = "Ikkuna puistoon"


async def _venue(http: httpx.AsyncClient) -> dict[str, Any]:
    """A library with a group room the desk has photographed twice (one photo described in
    every language, one in Finnish only), open every day 8–20."""
    venue = (await http.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
        "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
        "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                    "capacity": 12}]})).json()
    desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk")
    room = venue["spaces"][0]["id"]
    saved = await http.put(f"/spaces/{room}/details", headers=desk, json={"photos": [
        {"url": ROOM_PHOTO, "alt": ALTS}, {"url": TABLE_PHOTO, "alt": {"fi": ONLY_FI}}]})
    assert saved.status_code == 200, saved.text
    hours = await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
        {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
    assert hours.status_code == 200, hours.text
    return venue


async def _photos_shown(page: Any, lang: str) -> None:
    """The page's two photos: each alternative text in `lang` (the Finnish-only one marked
    as Finnish where the page is not), lazy, and a 4:3 box however large the file is."""
    photos = page.locator("ul.photos img")
    assert await photos.count() == 2
    first, second = photos.nth(0), photos.nth(1)
    assert await first.get_attribute("src") == ROOM_PHOTO
    assert await first.get_attribute("alt") == ALTS[lang]
    assert await first.get_attribute("lang") is None
    assert await second.get_attribute("alt") == ONLY_FI
    assert await second.get_attribute("lang") == (None if lang == "fi" else "fi")
    for img in (first, second):
        assert await img.get_attribute("loading") == "lazy"
        await img.scroll_into_view_if_needed()
        box = await img.bounding_box()
        assert box is not None and box["width"] >= 150, box
        assert abs(box["height"] - box["width"] * 3 / 4) < 2, box
    assert await page.evaluate(  # no sideways scroll on a phone
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_residents_and_organisers_see_a_spaces_photos_in_their_language(
        viewport: dict[str, int], chromium_path: str, spawn_service: Any,
        fresh_database: Any) -> None:
    from tests.axe import serious_violations

    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        venue = await _venue(http)
        # The page as sent: the size is said before the file is fetched, each photo lazily.
        sv = (await http.get(f"/venues/{venue['id']}/page", params={"lang": "sv"})).text
        assert (f'<img src="{ROOM_PHOTO}" alt="{ALTS["sv"]}" width="320" height="240" '
                'loading="lazy" decoding="async">') in sv
        assert f'alt="{ONLY_FI}" lang="fi" width="320" height="240"' in sv
    room = venue["spaces"][0]["id"]
    day = (datetime.now(HELSINKI) + timedelta(days=2)).date()
    token = bearer("organiser", subject="jynkan-kerho", name="Jynkän kerho")[
        "Authorization"].removeprefix("Bearer ")

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        await page.route(f"{HOST}/**", lambda route: route.fulfill(
            status=200, content_type="image/png", body=PIXEL))
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{url}/venues/{venue['id']}/page?lang={lang}")
            await _photos_shown(page, lang)
            assert await serious_violations(page) == [], lang

        await _sign_in(page, url, token, f"/my/spaces?lang=fi&venue_id={venue['id']}"
                       f"&day={day.isoformat()}")
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{url}/my/spaces?lang={lang}&venue_id={venue['id']}"
                            f"&day={day.isoformat()}")
            card = page.locator(f"section.space[data-space='{room}']")
            assert await card.locator("ul.photos img").count() == 2
            await _photos_shown(page, lang)
            assert await serious_violations(page) == [], lang
