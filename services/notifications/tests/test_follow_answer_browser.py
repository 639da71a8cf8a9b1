"""What a tester found of the follow form: an address that followed the chosen things already
was answered 409 "this address already follows these choices", in any letters' case, so
anyone could learn what an address follows. In Chromium, in Finnish, Swedish and English: the
form sent for an address that follows those choices (in other letters' case) is answered
with the very page a new address gets, which axe-core finds nothing serious on; nothing
more is kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from shared.contracts import ActivityEventPublished, LocalizedText
from shared.db import create_pool
from tests.axe import passes_at_every_width
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

CHECK_EMAIL = {
    "fi": "Melkein valmista: lähetimme sinulle sähköpostia. Vahvista tilaus viestin linkistä; "
          "jos seuraat jo näitä valintoja, viesti kertoo sen.",
    "sv": "Nästan klart: vi har skickat dig ett e-postmeddelande. Bekräfta prenumerationen "
          "via länken i det; om du redan följer dessa val står det där.",
    "en": "Almost done: we have sent you an email. Confirm the subscription with its link; if "
          "you already follow these choices, it says so."}
SUBSCRIBE = {"fi": "Tilaa", "sv": "Prenumerera", "en": "Subscribe"}


async def _answer(page: Any, lang: str, email: str) -> tuple[str, int, str]:
    """The follow form sent for `email` following families: the answer's status and main."""
    await page.goto(page.url.split("/follow")[0] + f"/follow?lang={lang}")
    await page.fill("input[name=email]", email)
    await page.check("input[name=topics][value=families]")
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.get_by_role("button", name=SUBSCRIBE[lang], exact=True).click()
    status = (await posted.value).status
    await page.wait_for_selector("p.msg")
    main = re.sub(r'nonce="[^"]*"', "", await page.locator("main").inner_html())
    return await page.locator("p.msg").inner_text(), status, main


async def test_an_address_that_follows_is_answered_as_any_other(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("notifications")
    proc = await spawn_service("notifications", dsn,
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0",
                                    "KOHTAAMO_REACH_JOB_INTERVAL": "0"})
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Perhekerho", sv="Familjeklubb"),
        starts_at=starts, ends_at=starts + timedelta(hours=2), kind="open_guided",
        area="kuopio.nilsia", topics=["families"], organiser_subject="perhe-org")
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await handlers.on_activity_event(conn, event, event.to_envelope())
        # The address follows families, confirmed.
        await pool.execute(
            """INSERT INTO subscriptions (id, email, language, status, topics, created_at)
               VALUES ($1, 'Seuraa@example.fi', 'fi', 'active', '{families}', now())""",
            uuid4())
        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page()
            await page.goto(f"{proc.url}/follow?lang=fi")
            for lang in ("fi", "sv", "en"):
                known = await _answer(page, lang, "SEURAA@example.fi")
                await passes_at_every_width(page, f"follow answer, {lang}")
                new = await _answer(page, lang, f"uusi-{lang}@example.fi")
                assert known == new == (CHECK_EMAIL[lang], 201, known[2]), (lang, known)
        statuses = [(r["email"], r["status"]) for r in await pool.fetch(
            "SELECT email, status FROM subscriptions ORDER BY email")]
        assert statuses == [("Seuraa@example.fi", "active"),
                            ("uusi-en@example.fi", "pending"),
                            ("uusi-fi@example.fi", "pending"),
                            ("uusi-sv@example.fi", "pending")]
    finally:
        await pool.close()
