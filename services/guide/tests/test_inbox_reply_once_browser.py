"""The staff inbox in Debian's Chromium via Playwright, fi/sv/en, axe-core clean at a
phone's and a desktop's width.

A skip link ("Siirry sisältöön", as the residents' pages have it) is the first stop of the
Tab key, shows when focused and leads past the language switch and the sign-out to the
conversations: the first Tab went to the language switch.

A tester's report: an answer sent twice from the inbox (the same form again), then a
follow-up from a page drawn before the first answer, were all "Tehty."; the resident got one
email and never the follow-up. Here three tabs hold one inbox: the first sends the answer
(said: emailed), the second the same answer (said: already sent, not sent again), the third
a follow-up from its form that said "by email" (not sent: said by the answer's input, kept
as typed, focused, the chat only said as where it would go); sent again from there it goes
to the chat, and the note says so."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.guide.pages import LABELS
from services.guide.tests.test_inbox_reply_once import (
    CHAT_ONLY_HELP,
    ERASED,
    REPEATED,
    SENT_CHAT_ONLY,
    SENT_EMAIL,
)
from shared.pages import SKIP_TO_MAIN
from tests.axe import passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra


async def test_the_inbox_skips_to_its_conversations_and_sends_an_answer_once(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("guide")
    proc = await spawn_service("guide", dsn, env={
        "KOHTAAMO_GUIDE_STAFF_HOURS": "1-7 00:00-24:00", "KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    token = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")[
        "Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser, httpx.AsyncClient(
            base_url=proc.url) as http:
        context = await browser.new_context()
        staff = await context.new_page()
        await staff.goto(f"{proc.url}/staff/login?lang=fi")
        await staff.fill("input[name=token]", token)
        await staff.click("button")
        await staff.wait_for_url(f"{proc.url}/staff/inbox?lang=fi")
        for lang in ("fi", "sv", "en"):
            cid: str = (await http.post("/conversations", json={"language": "sv"})).json()[
                "conversation_id"]
            await http.post(f"/conversations/{cid}/messages",
                            json={"text": "Kan jag låna ett sällskapsspel i KANTTI?"})
            assert (await http.post(f"/conversations/{cid}/handover", json={
                "contact_email": "boende@example.fi", "consent": True, "queue": "desk"})
                    ).status_code == 200
            inbox = f"{proc.url}/staff/inbox?lang={lang}"
            first, second, third = staff, await context.new_page(), await context.new_page()
            for page in (first, second, third):
                await page.goto(inbox)

            # The first Tab is the skip link, shown on the screen; it leads to the
            # conversations, and the next Tab is the first answer's input.
            await first.keyboard.press("Tab")
            skip = first.locator("a.skip")
            assert await skip.evaluate("el => el === document.activeElement")
            assert await skip.inner_text() == SKIP_TO_MAIN[lang]
            box = await skip.bounding_box()
            assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
            await first.keyboard.press("Enter")
            assert await focused_id(first) == "main"
            await first.keyboard.press("Tab")
            assert (await focused_id(first)).startswith("r-")
            await passes_at_every_width(first, f"inbox, answer by email ({lang})")

            answer = "Hej! Ja, sällskapsspel lånas i kundtjänsten."
            button = {"name": str(LABELS[lang]["reply"])}
            for page, said in ((first, SENT_EMAIL[lang]), (second, REPEATED[lang])):
                await page.fill(f"#r-{cid}", answer)
                await page.locator(f"article[data-id='{cid}']").get_by_role(
                    "button", **button).click()
                await page.wait_for_selector("#status p")
                assert await page.locator("#status").inner_text() == said
                assert await focused_id(page) == "status"

            # A follow-up from the page drawn before the answer, whose form said "by email".
            follow_up = "Vi har också Carcassonne på svenska."
            await third.fill(f"#r-{cid}", follow_up)
            await third.locator(f"article[data-id='{cid}']").get_by_role(
                "button", **button).click()
            await third.wait_for_selector(f"#re-{cid}")
            assert await third.locator(f"#re-{cid}").inner_text() == ERASED[lang]
            assert await third.locator(f"#rh-{cid}").inner_text() == CHAT_ONLY_HELP[lang]
            field = third.locator(f"#r-{cid}")
            assert await field.get_attribute("aria-describedby") == f"rh-{cid} re-{cid}"
            assert await focused_id(third) == f"r-{cid}"
            assert await field.input_value() == follow_up
            assert await third.evaluate("document.documentElement.lang") == lang
            await passes_at_every_width(third, f"inbox, address erased ({lang})")
            await third.locator(f"article[data-id='{cid}']").get_by_role(
                "button", **button).click()
            await third.wait_for_selector("#status p")
            assert await third.locator("#status").inner_text() == SENT_CHAT_ONLY[lang]
            await passes_at_every_width(third, f"inbox, sent to the chat only ({lang})")
            for page in (second, third):
                await page.close()

            stored = (await http.get(f"/conversations/{cid}")).json()
            assert [(m["text"], m["emailed"]) for m in stored["messages"]
                    if m["author"] == "staff"] == [(answer, True), (follow_up, False)]
