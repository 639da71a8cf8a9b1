"""A staff answer far over the limit (23,456 characters, more than the inbox shows again)
was refused as "at most 4,000 characters" with its first 20,000 kept and nothing said of
the rest. The refusal by the answer's input now says how long it is and the limit, numbers
as the page's language writes them, and that only its first 20,000 characters are shown;
in fi, sv and en, in Debian's Chromium via Playwright, the input focused and described by
it, axe-core clean at a phone's and a desktop's width."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.guide.pages import LABELS
from tests.axe import passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

SAID = {"fi": "Vastaus on liian pitkä (23\xa0456 merkkiä): enintään 4\xa0000 merkkiä. Alla "
              "näkyvät sen 20\xa0000 ensimmäistä merkkiä.",
        "sv": "Svaret är för långt (23\xa0456 tecken): högst 4\xa0000 tecken. Nedan syns "
              "dess första 20\xa0000 tecken.",
        "en": "The answer is too long (23,456 characters): at most 4,000 characters. Below "
              "are its first 20,000 characters."}
#: One over the limit but within what the inbox shows again: its length, nothing cut.
SAID_WHOLE = {"fi": "Vastaus on liian pitkä (4\xa0321 merkkiä): enintään 4\xa0000 merkkiä.",
              "sv": "Svaret är för långt (4\xa0321 tecken): högst 4\xa0000 tecken.",
              "en": "The answer is too long (4,321 characters): at most 4,000 characters."}


async def test_an_answer_too_long_says_its_length_and_the_limit(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("guide")
    proc = await spawn_service("guide", dsn, env={
        "KOHTAAMO_GUIDE_STAFF_HOURS": "1-7 00:00-24:00", "KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    token = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")[
        "Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser, httpx.AsyncClient(
            base_url=proc.url) as http:
        cid: str = (await http.post("/conversations", json={"language": "fi"})).json()[
            "conversation_id"]
        await http.post(f"/conversations/{cid}/messages",
                        json={"text": "Saako kirjastoon tuoda koiran?"})
        assert (await http.post(f"/conversations/{cid}/handover",
                                json={"queue": "desk"})).status_code == 200

        staff = await browser.new_page()
        await staff.goto(f"{proc.url}/staff/login?lang=fi")
        await staff.fill("input[name=token]", token)
        await staff.click("button")
        await staff.wait_for_url(f"{proc.url}/staff/inbox?lang=fi")
        for lang in ("fi", "sv", "en"):
            for typed, said, shown in (("b" * 23_456, SAID[lang], 20_000),
                                       ("c" * 4_321, SAID_WHOLE[lang], 4_321)):
                await staff.goto(f"{proc.url}/staff/inbox?lang={lang}")
                # Pasted past the input's own bound as another tool might: set, not typed.
                await staff.locator(f"#r-{cid}").evaluate("(el, v) => { el.value = v; }",
                                                          typed)
                await staff.locator(f"article[data-id='{cid}']").get_by_role(
                    "button", name=str(LABELS[lang]["reply"])).click()
                await staff.wait_for_selector(f"#re-{cid}")
                assert await staff.locator(f"#re-{cid}").inner_text() == said
                answer = staff.locator(f"#r-{cid}")
                assert await answer.get_attribute("aria-describedby") == f"re-{cid}"
                assert await answer.get_attribute("aria-invalid") == "true"
                assert await focused_id(staff) == f"r-{cid}"
                assert await answer.input_value() == typed[:shown]
                assert await staff.evaluate("document.documentElement.lang") == lang
                await passes_at_every_width(staff, f"inbox, answer too long ({lang})")
        # Nothing was sent to the resident.
        stored = (await http.get(f"/conversations/{cid}")).json()
        assert "staff" not in [m["author"] for m in stored["messages"]]
