"""The staff inbox says what a staff action did in its status region, which takes focus as
the desk's does (tabindex -1, autofocus): after a reply, an ending, and an action refused
because another staff member ended the conversation meanwhile; in fi, sv and en. A screen
reader reads it at once and the keyboard goes on from it (Tab: the next conversation's reply),
not from the start of the page. Debian's Chromium via Playwright, axe-core clean."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.guide.pages import LABELS
from services.guide.tests.test_pages import serious_violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra


async def _handed_over(http: httpx.AsyncClient, text: str) -> str:
    """A conversation a resident handed to the desk (the staff are in: answered in the chat)."""
    cid: str = (await http.post("/conversations", json={"language": "fi"})).json()[
        "conversation_id"]
    await http.post(f"/conversations/{cid}/messages", json={"text": text})
    handed = await http.post(f"/conversations/{cid}/handover", json={"queue": "desk"})
    assert handed.status_code == 200, handed.text
    return cid


async def _focused(page: Any) -> str | None:
    found: str | None = await page.evaluate(
        "() => document.activeElement && document.activeElement.id")
    return found


async def test_each_staff_action_focuses_the_inbox_status(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("guide")
    proc = await spawn_service("guide", dsn, env={
        "KOHTAAMO_GUIDE_STAFF_HOURS": "1-7 00:00-24:00", "KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")
    token = desk["Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser, httpx.AsyncClient(
            base_url=proc.url) as http:
        first = await _handed_over(http, "Saako kirjastoon tuoda koiran?")
        second = await _handed_over(http, "Onko Jynkässä lautapelejä?")
        third = await _handed_over(http, "Voiko KANTTIssa tulostaa?")

        staff = await browser.new_page()
        await staff.goto(f"{proc.url}/staff/login?lang=fi")
        await staff.fill("input[name=token]", token)
        await staff.click("button")
        await staff.wait_for_url(f"{proc.url}/staff/inbox?lang=fi")
        # Nothing done yet: no note, and no region to read.
        assert await staff.locator("#status").is_hidden()
        assert await _focused(staff) in ("", None)
        assert await staff.locator("article.conversation").count() == 3

        # A reply (fi): "Tehty", and where it went (the chat, the resident being there),
        # read in the status region, which has the focus.
        await staff.locator(f"#r-{first}").fill("Avustajakoirat ovat tervetulleita.")
        await staff.locator(f"article[data-id='{first}']").get_by_role(
            "button", name=str(LABELS["fi"]["reply"])).click()
        await staff.wait_for_selector("#status p.notice")
        status = staff.get_by_role("status")
        assert await status.inner_text() == LABELS["fi"]["sent_chat"] == (
            "Tehty: vastaus näkyy asukkaalle keskustelussa.")
        assert await _focused(staff) == "status"
        assert await status.get_attribute("tabindex") == "-1"
        assert await serious_violations(staff) == []
        # The keyboard goes on from the note: Tab, the next conversation's reply.
        await staff.keyboard.press("Tab")
        assert await _focused(staff) == f"r-{second}"

        # An ending (sv): "Klart.", focused.
        await staff.goto(f"{proc.url}/staff/inbox?lang=sv")
        assert await staff.locator("#status").is_hidden()
        await staff.locator(f"article[data-id='{second}']").get_by_role(
            "button", name=str(LABELS["sv"]["close_conv"])).click()
        await staff.wait_for_selector("#status p.notice")
        assert await staff.get_by_role("status").inner_text() == "Klart."
        assert await _focused(staff) == "status"
        assert await serious_violations(staff) == []

        # Refused (en): another staff member ended it meanwhile; said there, focused.
        await staff.goto(f"{proc.url}/staff/inbox?lang=en")
        ended = await http.post(f"/conversations/{third}/close", headers=desk, json={})
        assert ended.status_code == 200, ended.text
        await staff.locator(f"#r-{third}").fill("You can print at KANTTI.")
        await staff.locator(f"article[data-id='{third}']").get_by_role(
            "button", name="Reply").click()
        await staff.wait_for_selector("#status p.notice.error")
        assert await staff.get_by_role("status").inner_text() == LABELS["en"]["closed"]
        assert await _focused(staff) == "status"
        assert await serious_violations(staff) == []
