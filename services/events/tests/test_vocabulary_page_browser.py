"""The vocabulary's staff page in a real browser (Debian's Chromium, via Playwright): from the
sign-in it asked for, communications staff add a term, correct a refused code (said
by its input, which is marked and has focus), change a term's words, retire and restore it,
in their language; axe-core finds nothing serious at a phone's, 1024 and 1920 px widths,
the refused form too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.axe import violations
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

COMMS = bearer("communications", subject="viestinta", name="Viestintä")
WIDTHS = (390, 1024, 1920)


async def _no_violations(page: Any, when: str) -> None:
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        assert await violations(page) == [], (when, width)


async def test_staff_keep_the_vocabulary_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    async with httpx.AsyncClient(base_url=proc.url) as http, \
            launch_chromium(chromium_path) as browser:
        page = await browser.new_page()
        await page.goto(f"{proc.url}/approvals/vocabulary?lang=fi")
        assert "/approvals/login" in page.url  # signed out: asked to sign in
        await page.fill("input[name=token]", COMMS["Authorization"].removeprefix("Bearer "))
        await page.click("button")
        # Signed in, back on the page asked for; the navigation leads to the queue and back.
        await page.wait_for_url("**/approvals/vocabulary?lang=fi")
        await page.get_by_role("navigation", name="Henkilökunnan sivut").get_by_role(
            "link", name="Hyväksyntäjono").click()
        await page.wait_for_url("**/approvals/queue?lang=fi")
        await page.get_by_role("navigation", name="Henkilökunnan sivut").get_by_role(
            "link", name="Sanasto").click()
        await page.wait_for_url("**/approvals/vocabulary?lang=fi")
        assert await page.title() == "Sanasto"
        music = page.get_by_role("row").filter(has=page.locator("code", has_text="music"))
        assert await music.get_by_role("textbox", name="Suomeksi music").input_value() == \
            "Musiikki"
        await _no_violations(page, "list")

        # A code with capitals: said by the code's input, which is marked and has focus;
        # what was typed stays.
        add = page.locator("form.add")
        await add.get_by_label("Ryhmä").select_option("topic")
        await add.get_by_label("Koodi").fill("Lautapelit")
        await add.get_by_label("Suomeksi").fill("Lautapelit")
        await add.get_by_label("Ruotsiksi").fill("Brädspel")
        await add.get_by_role("button", name="Lisää").click()
        await page.wait_for_selector("#x-add-code")
        assert await page.locator("#x-add-code").inner_text() == \
            "Koodissa voi olla vain pieniä kirjaimia a–z, numeroita ja alaviivoja (_)."
        code = page.locator("#add-code")
        assert await code.get_attribute("aria-invalid") == "true"
        assert await focused_id(page) == "add-code"
        assert await code.input_value() == "Lautapelit"
        assert await page.locator("#add-label-sv").input_value() == "Brädspel"
        assert await page.locator("#add-scheme").input_value() == "topic"
        await _no_violations(page, "refused")

        # Corrected, the term is added and said in the status region, which has focus.
        await code.fill("board_games")
        await add.get_by_role("button", name="Lisää").click()
        await page.wait_for_selector("#status .msg")
        assert await page.locator("#status").inner_text() == \
            "Lisätty: Lautapelit (board_games)."
        assert await focused_id(page) == "status"
        assert (await http.get("/vocabulary")).json()["topic"]["board_games"] == {
            "fi": "Lautapelit", "sv": "Brädspel"}
        await _no_violations(page, "added")

        # In Swedish: a term's words changed in its row, then retired and restored.
        await page.get_by_role("link", name="svenska").click()
        await page.wait_for_url("**lang=sv")
        row = page.get_by_role("row").filter(has=page.locator("code", has_text="board_games"))
        await row.get_by_role("textbox", name="På engelska board_games").fill("Board games")
        await row.get_by_role("button", name="Spara namnen (Brädspel)", exact=True).click()
        await page.wait_for_selector("#status .msg")
        assert await page.locator("#status").inner_text() == "Namnen sparade: Brädspel."
        assert (await http.get("/vocabulary")).json()["topic"]["board_games"]["en"] == \
            "Board games"
        await row.get_by_role("button", name="Ta ur bruk (Brädspel)", exact=True).click()
        await page.wait_for_selector("#status .msg")
        assert await page.locator("#status").inner_text() == "Tagen ur bruk: Brädspel."
        assert await row.locator("td.state").inner_text() == "Tagen ur bruk"
        assert "board_games" not in (await http.get("/vocabulary")).json()["topic"]
        await _no_violations(page, "retired")
        await row.get_by_role("button", name="Ta i bruk igen (Brädspel)", exact=True).click()
        await page.wait_for_selector("#status .msg")
        assert await page.locator("#status").inner_text() == "Tagen i bruk igen: Brädspel."
        assert "board_games" in (await http.get("/vocabulary")).json()["topic"]
