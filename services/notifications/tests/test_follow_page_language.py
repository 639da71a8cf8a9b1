"""What a tester found of the follow pages: the answer to the subscriber's own page, sent
from /follow/{token}?lang=en with the digests' language set to Swedish, came in Swedish
("Din prenumeration…"): the page took its words from the form's `language` field, which is
the mails' language. In Chromium, in Finnish, Swedish and English: the manage page saved
(and refused, for choices another subscription of the address follows) and the follow
form sent with the mails' language another than the page's answer in the page's language;
the mails' language is saved as chosen; axe-core finds nothing serious."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from shared.db import create_pool
from tests.axe import serious_violations
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

LANGS = ("fi", "sv", "en")
PREFS_TITLE = {"fi": "Tilauksesi", "sv": "Din prenumeration", "en": "Your subscription"}
SAVED = {"fi": "Tallennettu.", "sv": "Sparat.", "en": "Saved."}
SAVE = {"fi": "Tallenna valinnat", "sv": "Spara valen", "en": "Save my choices"}
ALREADY = {"fi": "Tällä osoitteella seurataan jo näitä valintoja.",
           "sv": "Den här adressen följer redan dessa val.",
           "en": "This address already follows these choices."}
FOLLOW = {"fi": "Tilaa", "sv": "Prenumerera", "en": "Subscribe"}
CHECK_EMAIL = {"fi": "Melkein valmista", "sv": "Nästan klart", "en": "Almost done"}


async def _active(pool: Any, email: str, language: str, area: str) -> str:
    subscription_id = uuid4()
    await pool.execute(
        """INSERT INTO subscriptions (id, email, language, status, areas, created_at)
           VALUES ($1, $2, $3, 'active', ARRAY[$4], now())""",
        subscription_id, email, language, area)
    return handlers.reach_links().token("subscription", subscription_id)


async def test_the_follow_pages_answer_in_the_pages_language(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("notifications")
    proc = await spawn_service("notifications", dsn,
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0",
                                    "KOHTAAMO_REACH_JOB_INTERVAL": "0"})
    pool = await create_pool(dsn)
    try:
        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page()
            for lang in LANGS:
                mails = next(other for other in LANGS if other != lang)
                email = f"kieli-{lang}@example.fi"
                await _active(pool, email, lang, "kuopio.nilsia")
                token = await _active(pool, email, lang, "kuopio.keskusta")
                # Saved with the mails in another language: said saved in the page's.
                await page.goto(f"{proc.url}/follow/{token}?lang={lang}")
                await page.select_option("select[name=language]", mails)
                await page.get_by_role("button", name=SAVE[lang]).click()
                await page.wait_for_selector("p.msg")
                assert await page.locator("html").get_attribute("lang") == lang
                assert await page.locator("p.msg").inner_text() == SAVED[lang]
                assert await page.locator("h1").inner_text() == PREFS_TITLE[lang]
                assert page.url.endswith(f"?lang={lang}&done=saved"), page.url
                assert await page.locator("select[name=language]").input_value() == mails
                assert await serious_violations(page) == [], lang
                # The other subscription's choices: refused in the page's language, the
                # form as sent (the mails' language as chosen).
                await page.select_option("select[name=language]", mails)
                await page.uncheck("input[name=areas][value='kuopio.keskusta']")
                await page.check("input[name=areas][value='kuopio.nilsia']")
                async with page.expect_response(
                        lambda r: r.request.method == "POST") as posted:
                    await page.get_by_role("button", name=SAVE[lang]).click()
                assert (await posted.value).status == 409
                await page.wait_for_selector("p.msg.error")
                assert await page.locator("html").get_attribute("lang") == lang
                assert (await page.locator("p.msg.error").inner_text()).startswith(
                    ALREADY[lang])
                assert await page.locator("h1").inner_text() == PREFS_TITLE[lang]
                assert await page.locator("select[name=language]").input_value() == mails
                assert await serious_violations(page) == [], lang
                # The follow form, its mails in another language: answered in the page's.
                await page.goto(f"{proc.url}/follow?lang={lang}")
                await page.fill("input[name=email]", f"uusi-{lang}@example.fi")
                await page.select_option("select[name=language]", mails)
                await page.check("input[name=areas][value='kuopio.nilsia']")
                await page.get_by_role("button", name=FOLLOW[lang], exact=True).click()
                await page.wait_for_selector("p.msg")
                assert await page.locator("html").get_attribute("lang") == lang
                assert (await page.locator("p.msg").inner_text()).startswith(
                    CHECK_EMAIL[lang])
                assert await serious_violations(page) == [], lang
                saved = {r["areas"][0]: r["language"] for r in await pool.fetch(
                    "SELECT areas, language FROM subscriptions WHERE email = $1", email)}
                assert saved == {"kuopio.nilsia": lang, "kuopio.keskusta": mails}
                assert await pool.fetchval(
                    "SELECT language FROM subscriptions WHERE email = $1",
                    f"uusi-{lang}@example.fi") == mails
    finally:
        await pool.close()
