"""What a tester found: /registrations/{id}/participants?lang=fi opened signed out leads to
the sign-in; switched there to svenska and signed in, the list came in Finnish, as the
sign-in's `next` still named lang=fi. In Chromium, from each language to each other: the
list comes in the language chosen on the sign-in, and axe-core finds nothing serious on the
sign-in or the list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from shared.contracts import ActivityEventPublished, LocalizedText
from shared.db import create_pool
from tests.axe import serious_violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

LANGS = ("fi", "sv", "en")
NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
SIGN_IN = {"fi": "Kirjaudu", "sv": "Logga in", "en": "Sign in"}
TITLE = {"fi": "Osallistujat: Perhekerho", "sv": "Deltagare: Familjeklubb",
         "en": "Participants: Family club"}


async def test_the_list_comes_in_the_language_chosen_on_the_sign_in(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("notifications")
    proc = await spawn_service("notifications", dsn,
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0",
                                    "KOHTAAMO_REACH_JOB_INTERVAL": "0"})
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1,
        name=LocalizedText(fi="Perhekerho", sv="Familjeklubb", en="Family club"),
        starts_at=starts, ends_at=starts + timedelta(hours=2), kind="open_guided",
        area="kuopio.nilsia", registration_required=True, capacity=10,
        organiser_subject="perhe-org")
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await handlers.on_activity_event(conn, event, event.to_envelope())
    finally:
        await pool.close()
    token = bearer("organiser", subject="perhe-org")["Authorization"].removeprefix("Bearer ")
    listing = f"/registrations/{event.event_id}/participants"
    async with launch_chromium(chromium_path) as browser:
        for opened in LANGS:
            for chosen in LANGS:
                context = await browser.new_context()  # signed out
                page = await context.new_page()
                await page.goto(f"{proc.url}{listing}?lang={opened}")
                assert "/registrations/login" in page.url
                await page.get_by_role("link", name=NAMES[chosen], exact=True).click()
                await page.wait_for_load_state()
                assert await page.locator("html").get_attribute("lang") == chosen
                assert await serious_violations(page) == [], (opened, chosen)
                await page.fill("input[name=token]", token)
                await page.get_by_role("button", name=SIGN_IN[chosen], exact=True).click()
                await page.wait_for_url(f"{proc.url}{listing}?lang={chosen}")
                assert await page.locator("html").get_attribute("lang") == chosen
                assert await page.locator("h1").inner_text() == TITLE[chosen]
                assert await serious_violations(page) == [], (opened, chosen)
                await context.close()
