"""A question with nothing to read says so in the widget, in the page's language: a tester's
spaces-only question on the Swedish widget got no word at all (the script trimmed it and
stopped), an empty one the browser's own "Please fill out this field." in English, and a
zero-width space "Text: fyll i detta.". Now each is the service's own refusal ("Fråga: fyll i
detta."), in the status region, by the field (aria-invalid, aria-describedby), which keeps
the focus; the field says it is required (aria-required) with no browser bubble. Alone and
embedded in the demo page; the email form's address and consent alike. Debian's Chromium via
Playwright; axe-core's serious WCAG 2.1 AA violations."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.guide.pages import LABELS
from services.guide.tests.test_pages import wait_until
from services.guide.tests.test_widget_email_answer_browser import _never_staffed_now
from tests.axe import serious_violations
from tests.infra import focused_id, launch_chromium

pytestmark = pytest.mark.infra

#: Nothing to read: empty, spaces, a zero-width space (and a no-break one with it).
BLANK = ("", "    ", "\u200b", " \u200b\u00a0 ")
#: A browser's language that is none of the page's.
BROWSER_LOCALE = "de-DE"


async def _service_says(url: str, lang: str) -> str:
    """The service's own refusal of a blank question, in `lang` (`/ask`)."""
    async with httpx.AsyncClient() as http:
        refused = await http.post(f"{url}/ask?lang={lang}", json={"question": "   "})
    assert refused.status_code == 422, refused.text
    message: str = refused.json()["message"]
    return message


async def _blank_is_refused(page: Any, said: str) -> None:
    """Each blank question, sent by Enter and by the button: the service's words in the
    status region, the field marked and focused, nothing sent, no browser bubble."""
    question = page.locator("#question")
    for text in BLANK:
        for send in ("Enter", "button"):
            await question.fill(text)
            await page.evaluate("() => { document.getElementById('status').textContent = ''; }")
            if send == "Enter":
                await question.press("Enter")
            else:
                await page.locator("#ask button[type=submit]").click()
            await wait_until(page, "(said) => document.getElementById('status').textContent"
                                   " === said", said)
            assert await question.get_attribute("aria-invalid") == "true"
            assert await question.get_attribute("aria-describedby") == "status"
            assert await focused_id(page) == "question"
            assert await question.input_value() == text  # as typed
            # No browser's own validation: nothing for it to say, in its own language.
            assert await page.evaluate(
                "() => document.getElementById('question').validationMessage") == ""
            assert await page.locator(".msg").count() == 0  # nothing sent or answered


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_question_with_nothing_to_read_is_said_so_in_the_widget(
        lang: str, chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    said = await _service_says(proc.url, lang)
    assert said.split(":")[0] == {"fi": "Kysymys", "sv": "Fråga", "en": "Question"}[lang]
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(locale=BROWSER_LOCALE)
        await page.goto(f"{proc.url}/widget?lang={lang}")
        question = page.locator("#question")
        # Required, said as such, with no browser bubble.
        assert await question.get_attribute("aria-required") == "true"
        assert await page.evaluate(
            "() => document.getElementById('ask').noValidate"
            " && !document.getElementById('question').required")
        await _blank_is_refused(page, said)
        assert await serious_violations(page) == []

        # A question then is answered, and the field is no longer marked.
        await question.fill("kirjasto")
        await question.press("Enter")
        await page.wait_for_selector(".msg.guide")
        assert await page.text_content("#status") == ""
        assert await question.get_attribute("aria-invalid") is None
        assert await question.get_attribute("aria-describedby") is None
        # Blank again after a conversation began: refused the same, the conversation kept.
        await question.fill(" ")
        await question.press("Enter")
        await wait_until(page, "(said) => document.getElementById('status').textContent"
                               " === said", said)
        assert await page.locator(".msg").count() == 2
        assert await serious_violations(page) == []


async def test_the_embedded_widget_says_it_too(chromium_path: str, spawn_service: Any,
                                               fresh_database: Any) -> None:
    """In the demo page (the widget in its frame, as the calendar embeds it), in Swedish
    with the browser in another language."""
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    said = await _service_says(proc.url, "sv")
    assert said == "Fråga: fyll i detta."
    async with launch_chromium(chromium_path) as browser:
        demo = await browser.new_page(locale=BROWSER_LOCALE)
        await demo.goto(f"{proc.url}/widget/demo?lang=sv")
        await demo.locator("#kohtaamo-guide-open").click()
        frame = demo.frame_locator("#kohtaamo-guide iframe")
        await frame.locator("#question").wait_for()
        widget = next(f for f in demo.frames if "/widget?lang=sv" in f.url)
        await _blank_is_refused(widget, said)
        assert await serious_violations(demo) == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_email_forms_inputs_left_out_are_said_in_the_pages_language(
        lang: str, chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    """Outside the staff's hours the widget asks for an address and consent: left out, they
    were the browser's bubbles in its own language. Each left out is said at once, by its
    input, in the service's words; the address's format is still the service's to refuse."""
    proc = await spawn_service("guide", await fresh_database("guide"), env={
        "KOHTAAMO_GUIDE_STAFF_HOURS": _never_staffed_now(), "KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    words = LABELS[lang]
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(locale=BROWSER_LOCALE)
        await page.goto(f"{proc.url}/widget?lang={lang}")
        await page.fill("#question", "Juankoski")
        await page.keyboard.press("Enter")
        await page.wait_for_selector(".msg.guide")
        await page.get_by_role("button", name=words["person"]).click()
        email, consent = page.locator("#email"), page.locator("#consent")
        await email.wait_for()
        for field in (email, consent):
            assert await field.get_attribute("aria-required") == "true"
        assert await page.evaluate("() => document.getElementById('email-form').noValidate")

        async def sent(expected: str, focused: str) -> None:
            await page.evaluate("() => { document.getElementById('status').textContent = ''; }")
            await page.get_by_role("button", name=words["send_email"]).click()
            await wait_until(page, "(t) => document.getElementById('status').textContent"
                                   " === t", expected)
            assert await focused_id(page) == focused
            for field in (email, consent):
                assert await field.evaluate("f => f.validationMessage") == ""

        # Both left out: both said, the address first and focused.
        await sent(f"{words['bad_email']} {words['consent_needed']}", "email")
        for field in (email, consent):
            assert await field.get_attribute("aria-invalid") == "true"
            assert await field.get_attribute("aria-describedby") == "status"
        assert await serious_violations(page) == []
        # The address given, no consent: the consent alone.
        await email.fill("asukas@example.fi")
        await sent(words["consent_needed"], "consent")
        assert await email.get_attribute("aria-invalid") is None
        assert await consent.get_attribute("aria-invalid") == "true"
        # An address the service refuses: said by the address.
        await email.fill("a@b")
        await consent.check()
        await sent(words["bad_email"], "email")
        assert await email.get_attribute("aria-invalid") == "true"
        assert await consent.get_attribute("aria-invalid") is None
        # Both right: asked for, the marks gone.
        await email.fill("asukas@example.fi")
        await page.get_by_role("button", name=words["send_email"]).click()
        await wait_until(page, "(t) => document.getElementById('status').textContent === t",
                         words["emailed"])
        assert await email.get_attribute("aria-invalid") is None
        assert await serious_violations(page) == []
