"""The chat widget and the staff inbox in a real browser (Debian's Chromium via Playwright),
checked with axe-core (no serious or critical violations): a resident asks with the keyboard
alone, reads the answer and its sources, turns on large text and asks for a person; the
desk answers from the inbox and the answer appears in the resident's chat; the launcher that
other pages embed opens and closes with the keyboard."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from services.guide.tests.demo_data import venue_events
from tests.axe import violations
from tests.infra import bearer, focused_id, launch_chromium, produce

pytestmark = pytest.mark.infra

async def serious_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical violations of every axe-core rule (best practices too)."""
    return await violations(page, tags=None)


async def wait_until(page: Any, predicate: str, arg: Any = None, timeout: float = 30) -> None:
    """`page.wait_for_function` without eval, which the pages' CSP forbids: the predicate is
    part of a function handed over by the DevTools protocol, polled in the page."""
    await asyncio.wait_for(page.evaluate(
        f"""(arg) => new Promise((resolve) => {{
              const ready = {predicate};
              const tick = () => ready(arg) ? resolve(true) : setTimeout(tick, 50);
              tick();
            }})""", arg), timeout)


async def tab_to(page: Any, element_id: str, limit: int = 15) -> None:
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("() => document.activeElement && document.activeElement.id") \
                == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


async def test_widget_and_inbox_in_a_browser(chromium_path: str, spawn_service: Any,
                                             fresh_database: Any, infra: Any,
                                             topic_prefix: str) -> None:
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", venue_events())
    dsn = await fresh_database("guide")
    proc = await spawn_service("guide", dsn, env={
        "KOHTAAMO_GUIDE_STAFF_HOURS": "1-7 00:00-24:00", "KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")[
        "Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page()
        await page.goto(f"{proc.url}/widget?lang=fi")
        assert await page.title() == "Kysy Kohtaamosta"
        assert await serious_violations(page) == []
        # The language switch is named in the page's language; each link in its own.
        switch = page.get_by_role("navigation", name="Kieli", exact=True)
        assert await switch.get_by_role("link").count() == 3
        swedish_link = switch.get_by_role("link", name="På svenska")
        assert await swedish_link.get_attribute("lang") == "sv"
        assert await swedish_link.get_attribute("hreflang") == "sv"
        log = page.get_by_role("log")
        assert await log.get_attribute("aria-live") == "polite"
        assert await page.get_by_label("Kysymyksesi").count() == 1

        # A person before any question: the widget says to write the question first.
        await page.get_by_role("button", name="Puhu ihmisen kanssa").click()
        await wait_until(page, "t => document.getElementById('status').textContent === t",
                         "Kirjoita ensin kysymyksesi, niin välitämme sen henkilökunnalle.")

        # Keyboard only: to the question, type, Enter.
        await tab_to(page, "question")
        for _ in range(60):  # the venues arrive from the bus
            await page.keyboard.type("Milloin Neulamäen kirjasto on auki?")
            await page.keyboard.press("Enter")
            await wait_until(page, "n => document.querySelectorAll('.msg.guide').length >= n",
                             await page.locator(".msg.guide").count() + 1)
            if "12.00–19.00" in await page.locator(".msg.guide").last.inner_text():
                break
            await page.wait_for_timeout(500)
        answer = page.locator(".msg.guide").last
        assert "Neulamäen kirjasto" in await answer.inner_text()
        assert (await answer.get_by_role("link").first.get_attribute("href")).endswith(
            "/page?lang=fi#hours-title")  # the venue's page a person reads, not the API
        assert await focused_id(page) == "question"
        assert await answer.locator("span.said").get_attribute("lang") is None  # the page's

        # A Finnish question on the Swedish widget: its Finnish answer is marked Finnish, so
        # a screen reader does not read it with a Swedish voice (WCAG 3.1.2).
        swedish = await browser.new_page()
        await swedish.goto(f"{proc.url}/widget?lang=sv")
        await swedish.fill("#question", "Milloin Neulamäen kirjasto on auki?")
        await swedish.keyboard.press("Enter")
        await swedish.wait_for_selector(".msg.guide span.said")
        assert await swedish.locator(".msg.guide span.said").last.get_attribute("lang") == "fi"
        await swedish.close()

        # Large text, with the keyboard: the page's text grows to 150 %.
        await tab_to(page, "larger")
        await page.keyboard.press("Enter")
        assert await page.get_by_role("button", name="Suurempi teksti").get_attribute(
            "aria-pressed") == "true"
        size = await page.evaluate(
            "() => parseFloat(getComputedStyle(document.getElementById('question')).fontSize)")
        assert size >= 24
        assert await serious_violations(page) == []

        # An address the browser lets through but the service refuses: the field is named.
        await page.evaluate("() => { document.getElementById('email-form').hidden = false; }")
        await page.fill("#email", "a@b")
        await page.check("#consent")
        await page.get_by_role("button", name="Pyydä vastaus sähköpostiin").click()
        await wait_until(page, "t => document.getElementById('status').textContent === t",
                         "Tarkista sähköpostiosoite (muotoa nimi@esimerkki.fi).")
        assert await page.get_attribute("#email", "aria-invalid") == "true"
        assert await focused_id(page) == "email"
        # No consent, past the browser's own check: said as such, by the checkbox.
        await page.evaluate("() => { document.getElementById('consent').required = false; }")
        await page.fill("#email", "asukas@example.fi")
        await page.uncheck("#consent")
        await page.get_by_role("button", name="Pyydä vastaus sähköpostiin").click()
        await wait_until(page, "t => document.getElementById('status').textContent === t",
                         "Osoitteen saa säilyttää vain suostumuksellasi: anna se, niin "
                         "vastaamme sähköpostiin.")
        assert await page.get_attribute("#consent", "aria-invalid") == "true"
        assert await focused_id(page) == "consent"
        await page.evaluate("() => { document.getElementById('email-form').hidden = true; }")

        # A person, please (the staff are in: the test's staff hours are all week).
        await tab_to(page, "person")
        await page.keyboard.press("Enter")
        await wait_until(
            page, "() => document.getElementById('status').textContent.includes('välitetty')")

        # The desk answers from the inbox.
        staff = await browser.new_page(locale="sv-FI")  # a Swedish-speaking desk's browser
        await staff.goto(f"{proc.url}/staff/inbox")
        assert "/staff/login" in staff.url
        await staff.fill("input[name=token]", desk)  # sign-in by form, no token in a URL
        await staff.click("button")
        await staff.wait_for_url(f"{proc.url}/staff/inbox?lang=sv")  # the browser's language
        await staff.goto(f"{proc.url}/staff/inbox?lang=en")
        assert await staff.title() == "Questions for the staff"
        conversation = staff.locator("article.conversation")
        assert await conversation.count() == 1
        assert "Neulamäen kirjasto" in await conversation.inner_text()
        # Staff read whose words these are: the resident's, not "You" (the resident's word).
        asked = await conversation.locator(".msg.resident .who").first.inner_text()
        assert asked.startswith("Resident ") and "You" not in asked
        assert "the resident-activity coordinator for the city area (answer in the chat, " \
            "on the web, Finnish)" in await conversation.inner_text()
        assert await serious_violations(staff) == []
        await conversation.get_by_label("Your reply").fill(
            "Tervetuloa! Lauantaisin omatoimikirjasto on auki 7–21.")
        await conversation.get_by_role("button", name="Reply").click()
        await staff.wait_for_selector("p.notice")
        assert await staff.locator("article.conversation").count() == 0

        await page.wait_for_selector(".msg.staff", timeout=15000)
        assert "omatoimikirjasto" in await page.locator(".msg.staff").inner_text()

        # A resident promised an answer by email: ending it unanswered asks why (the resident
        # is sent that); a blank reason is said by its input, which has focus. axe passes.
        async with httpx.AsyncClient(base_url=proc.url) as http:
            cid = (await http.post("/conversations", json={"language": "sv"})).json()[
                "conversation_id"]
            await http.post(f"/conversations/{cid}/messages", json={"text": "Får man ta med hund?"})
            handed = await http.post(f"/conversations/{cid}/handover", json={
                "contact_email": "boende.t2@example.fi", "consent": True})
            assert handed.status_code == 200, handed.text
        await staff.goto(f"{proc.url}/staff/inbox?lang=en")
        assert await serious_violations(staff) == []
        reason = staff.get_by_label("Why you end it without answering")
        await reason.fill("  ")
        await staff.get_by_role("button", name="End the conversation").click()
        await staff.wait_for_selector(f"#ce-{cid}")
        assert await staff.locator(f"#ce-{cid}").inner_text() == (
            "The resident was promised an answer by email: answer first, or end the "
            "conversation saying why.")
        assert await reason.get_attribute("aria-invalid") == "true"
        assert await focused_id(staff) == f"c-{cid}"
        assert await serious_violations(staff) == []
        await reason.fill("We cannot answer this: please ask the library directly.")
        await staff.get_by_role("button", name="End the conversation").click()
        await staff.wait_for_selector("p.notice")
        assert await staff.locator("article.conversation").count() == 0

        # The launcher other pages embed: keyboard to open, Escape to close.
        demo = await browser.new_page()
        await demo.goto(f"{proc.url}/widget/demo?lang=sv")
        await demo.wait_for_selector("#kohtaamo-guide-open")
        assert await serious_violations(demo) == []
        await tab_to(demo, "kohtaamo-guide-open", limit=10)
        await demo.keyboard.press("Enter")
        panel = demo.locator("#kohtaamo-guide")
        assert await panel.is_visible()
        assert "/widget?lang=sv" in await demo.locator(
            "#kohtaamo-guide iframe").get_attribute("src")
        assert await demo.get_by_role("button", name="Fråga Kohtaamo").get_attribute(
            "aria-expanded") == "true"
        question = demo.frame_locator("#kohtaamo-guide iframe").locator("#question")
        await question.wait_for()
        # Opened by the keyboard, the question has the focus: typing goes there (the frame's
        # body had it, six Tabs away).
        await demo.wait_for_function(
            "() => { const f = document.querySelector('#kohtaamo-guide iframe');"
            " return f.contentDocument.activeElement.id === 'question'; }")
        await demo.keyboard.type("kirjasto")
        assert await question.input_value() == "kirjasto"
        await demo.keyboard.press("Escape")
        await panel.wait_for(state="hidden", timeout=5000)
        assert await focused_id(demo) == \
            "kohtaamo-guide-open"
        # Opened again, the question has the focus again, with what was typed.
        await demo.keyboard.press("Enter")
        await demo.wait_for_function(
            "() => { const f = document.querySelector('#kohtaamo-guide iframe');"
            " return f.contentDocument.activeElement.id === 'question'; }")
        assert await serious_violations(demo) == []
