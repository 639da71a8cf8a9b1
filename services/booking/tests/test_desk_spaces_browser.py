"""Issue #15: a space's description, equipment and photos on the desk's spaces page, in a
real browser (Debian's Chromium, Playwright) against the service on PostgreSQL: axe-core at
1024 and 1920 px on the page and on a refusal; a refusal said next to its field, which takes
the focus, with what was typed kept; what is saved is what the API shows, and the API refuses
the same."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.infra import bearer

pytestmark = pytest.mark.infra

PHOTO = "https://kirjasto.kuopio.example/tilat/ryhmatila.png"
#: A 1×1 PNG: the photo's host answers in the browser without any network.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYA"
                         "AjCB0C8AAAAASUVORK5CYII=")


async def _axe(page: Any) -> None:
    from tests.axe import serious_violations

    for width in (1920, 1024):  # ends at the width the rest of the test is written at
        await page.set_viewport_size({"width": width, "height": 768})
        assert await serious_violations(page) == [], width


async def test_the_desk_describes_a_space_and_adds_its_photo(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    from playwright.async_api import async_playwright

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "en": "Group room"}, "capacity": 12},
                       {"name": {"fi": "Kokoushuone", "en": "Meeting room"}, "capacity": 6}],
        })).json()
        desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Jynkän tiski")
        room = venue["spaces"][0]["id"]

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=chromium_path, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
        page = await browser.new_page(viewport={"width": 1024, "height": 768})
        await page.route("https://kirjasto.kuopio.example/**", lambda route: route.fulfill(
            status=200, content_type="image/png", body=PIXEL))
        await page.goto(f"{url}/desk/login?lang=en")
        await page.fill("input[name=token]", desk["Authorization"].removeprefix("Bearer "))
        await page.click("button")
        await page.wait_for_url(f"{url}/desk?lang=en")
        await page.goto(f"{url}/desk/spaces?venue_id={venue['id']}&lang=en")
        await _axe(page)

        section = page.locator(f"section[data-space='{room}']")
        form = section.locator("form.details")
        await form.get_by_label("Description in Finnish").fill("Valoisa ryhmätila.")
        await form.get_by_label("Description in English").fill("A bright group room.")
        await form.get_by_label("Equipment").fill("Projector\nWhiteboard")
        await form.get_by_label("Photo address (https://)").fill(
            "http://kirjasto.kuopio.example/tilat/ryhmatila.png")
        await form.get_by_label("What the photo shows, in Finnish").fill("Pöytä ja tuolit")
        await form.get_by_role("button", name="Save the description, equipment and photos"
                               ).click()

        # Refused: said next to the address, which has the focus; nothing typed is lost.
        error = page.locator(f"#e-{room}-photo_0_url")
        await error.wait_for()
        assert (await error.inner_text()).startswith(
            "Give a photo address that starts with https://")
        assert await page.locator("#status").inner_text() == "Check the marked field."
        focused = page.locator(":focus")
        assert await focused.get_attribute("name") == "photo_0_url"
        assert await focused.get_attribute("aria-invalid") == "true"
        form = page.locator(f"section[data-space='{room}'] form.details")
        assert await form.get_by_label("Description in English").input_value() == \
            "A bright group room."
        assert await form.get_by_label("Equipment").input_value() == "Projector\nWhiteboard"
        await _axe(page)

        await focused.fill(PHOTO)
        await form.get_by_role("button", name="Save the description, equipment and photos"
                               ).click()
        await page.wait_for_selector("#status:not([hidden])")
        assert await page.locator("#status").inner_text() == \
            "Description, equipment and photos saved: Group room"
        form = page.locator(f"section[data-space='{room}'] form.details")
        shown = form.locator("img")
        assert await shown.get_attribute("alt") == "Pöytä ja tuolit"  # no English alt: Finnish
        assert await form.locator("legend", has_text="New photo").count() == 1
        await _axe(page)
        await browser.close()

    async with httpx.AsyncClient(base_url=url) as http:
        saved = (await http.get(f"/venues/{venue['id']}")).json()["spaces"][0]
        assert saved["description"] == {"fi": "Valoisa ryhmätila.", "sv": None,
                                        "en": "A bright group room."}
        assert saved["equipment"] == ["Projector", "Whiteboard"]
        assert saved["photos"] == [{"url": PHOTO, "alt": {"fi": "Pöytä ja tuolit", "sv": None,
                                                           "en": None}}]
        # The API refuses what the page refused, by the same use case, naming the field.
        refused = await http.put(f"/spaces/{room}/details", headers=desk, json={
            "photos": [{"url": "http://example.fi/x.png", "alt": {"fi": "Kuva"}}]})
        assert refused.status_code == 422, refused.text
        assert "photos.0.url" in refused.text and "photo_url" in refused.text
        other = bearer("desk", venues=("00000000-0000-0000-0000-000000000001",),
                       subject="other-desk")
        assert (await http.put(f"/spaces/{room}/details", headers=other,
                               json={"equipment": ["Tuolit"]})).status_code == 403
        changed = await http.put(f"/spaces/{room}/details", headers=desk,
                                 json={"equipment": ["Tuolit"]})
        assert changed.status_code == 200 and changed.json()["equipment"] == ["Tuolit"]
        assert changed.json()["photos"] == []  # the details are replaced as a whole
