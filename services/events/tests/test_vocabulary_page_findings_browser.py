"""A tester's findings on the vocabulary's staff page, in a real browser (Debian's Chromium,
via Playwright) in fi, sv and en: opened signed out, the sign-in leads back to it (not to the
approval queue); the add form given a code in use says so by the code's input, which is
marked and has focus, the form as typed and the term's words kept; a row's form whose
hidden code was tampered with adds no term and says there is no such term. axe-core finds
nothing serious at a phone's, 1024 and 1920 px widths, the sign-in and each refusal too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.events.tests.test_vocabulary_page_findings import CODE_TAKEN, DIGITAL, GONE
from tests.axe import violations
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

COMMS = bearer("communications", subject="viestinta", name="Viestintä")
WIDTHS = (390, 1024, 1920)
TITLE = {"fi": "Sanasto", "sv": "Vokabulär", "en": "Vocabulary"}
ADD = {"fi": "Lisää", "sv": "Lägg till", "en": "Add"}
SAVE = {"fi": "Tallenna nimet", "sv": "Spara namnen", "en": "Save the words"}
TYPED = {"fi": "Digi", "sv": "Digi på svenska", "en": ""}
CODE = {"fi": "Koodi", "sv": "Kod", "en": "Code"}


async def _no_violations(page: Any, when: str) -> None:
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        assert await violations(page) == [], (when, width)


async def test_the_findings_in_the_browser(chromium_path: str, spawn_service: Any,
                                           fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    async with httpx.AsyncClient(base_url=proc.url) as http, \
            launch_chromium(chromium_path) as browser:
        for lang in ("fi", "sv", "en"):
            context = await browser.new_context()  # signed out: a cookie jar of its own
            page = await context.new_page()

            # Asked for signed out (as the notifications staff page links to it): the
            # sign-in, which leads back to the page in its language.
            await page.goto(f"{proc.url}/approvals/vocabulary?lang={lang}")
            assert "/approvals/login" in page.url
            await _no_violations(page, f"sign-in {lang}")
            await page.fill("input[name=token]",
                            COMMS["Authorization"].removeprefix("Bearer "))
            await page.click("button")
            await page.wait_for_url(f"**/approvals/vocabulary?lang={lang}")
            assert await page.title() == TITLE[lang]

            # A code in use: said by the code's input, marked and with focus; what was typed
            # stays; the term keeps its words.
            add = page.locator("form.add")
            await add.locator("#add-scheme").select_option("kind")
            await add.locator("#add-code").fill("digital")
            await add.locator("#add-label-fi").fill(TYPED["fi"])
            await add.locator("#add-label-sv").fill(TYPED["sv"])
            await add.get_by_role("button", name=ADD[lang], exact=True).click()
            await page.wait_for_selector("#x-add-code")
            assert await page.locator("#x-add-code").inner_text() == CODE_TAKEN[lang]
            code = page.locator("#add-code")
            assert await code.get_attribute("aria-invalid") == "true"
            assert await focused_id(page) == "add-code"
            assert await code.input_value() == "digital"
            assert await page.locator("#add-label-fi").input_value() == TYPED["fi"]
            assert await page.locator("#add-label-sv").input_value() == TYPED["sv"]
            assert await page.locator("#add-scheme").input_value() == "kind"
            # The summary says it too, naming the input by its label and linking to it.
            assert await page.locator("#refusals a[href='#add-code']").inner_text() == \
                f"{CODE[lang]}: {CODE_TAKEN[lang]}"
            assert await page.locator("#t-kind-digital-sv").input_value() == DIGITAL["sv"]
            assert (await http.get("/vocabulary")).json()["kind"]["digital"] == DIGITAL
            await _no_violations(page, f"code in use {lang}")

            # A row's hidden code tampered with: no term added, said in the status region,
            # which has focus.
            await page.evaluate("""() => document.querySelector(
                '#w-kind-digital input[name=code]').value = 'no_such_code'""")
            await page.locator("#t-kind-digital-fi").fill("Keksitty")
            row = page.get_by_role("row").filter(has=page.locator("code", has_text="digital"))
            await row.get_by_role("button", name=SAVE[lang]).first.click()
            await page.wait_for_selector("#status .msg.error")
            assert await page.locator("#status").inner_text() == GONE[lang]
            assert await focused_id(page) == "status"
            terms = (await http.get("/vocabulary", params={"retired": "true"})).json()
            assert "no_such_code" not in terms["kind"]
            assert terms["kind"]["digital"] == DIGITAL
            assert await page.locator("#t-kind-digital-fi").input_value() == DIGITAL["fi"]
            await _no_violations(page, f"no such term {lang}")
            await context.close()
