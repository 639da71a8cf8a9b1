"""A question the guide refuses says in the widget what to fix, in the page's language: a
review pasted a question with a text-direction character (U+202E) into the Swedish widget
and read "Något gick fel" (something went wrong) in place of the refusal. The question stays
as typed; the same question without the character is answered. Debian's Chromium via
Playwright."""

from __future__ import annotations

from typing import Any

import pytest

from services.guide.pages import LABELS
from services.guide.tests.test_pages import wait_until
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra


async def test_a_refused_question_says_what_to_fix_in_the_pages_language(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(locale="fi-FI")  # the browser's language is not the page's
        for lang in ("sv", "en"):
            await page.goto(f"{proc.url}/widget?lang={lang}")
            typed = "När är \u202eJynkkä bibliotek öppet?"
            await page.fill("#question", typed)
            await page.keyboard.press("Enter")
            said = LABELS[lang]["text_chars"]
            await wait_until(page, f"() => document.getElementById('status').textContent"
                                   f" === {said!r}")
            assert await page.input_value("#question") == typed
            assert await page.locator(".msg").count() == 0
            await page.fill("#question", typed.replace("\u202e", ""))
            await page.keyboard.press("Enter")
            await page.wait_for_selector(".msg.guide")
            assert await page.text_content("#status") == ""
