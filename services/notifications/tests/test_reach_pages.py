"""The sign-up and following pages in a real browser (Debian's Chromium via Playwright), each
checked with axe-core against WCAG 2.1 AA on the way: a resident signs up their group in
Swedish and cancels by the link; another subscribes in English, confirms, changes their
choices and unsubscribes (issue #18)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.store import NotificationStore
from shared.contracts import ActivityEventPublished, LocalizedText, VenueRegistered
from shared.db import create_pool
from shared.uow import JoinedUnitOfWork
from tests.axe import violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

async def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every WCAG 2.1 AA violation, whatever its impact: these forms are held to all of them."""
    return await violations(page, impacts=None)


async def test_sign_up_and_follow_in_a_browser(chromium_path: str, spawn_service: Any,
                                               fresh_database: Any) -> None:
    dsn = await fresh_database("notifications")
    proc = await spawn_service("notifications", dsn,
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0",
                                    "KOHTAAMO_REACH_JOB_INTERVAL": "0"})
    venue_id = uuid4()
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Perhekerho", sv="Familjeklubb"),
        starts_at=starts, ends_at=starts + timedelta(hours=2), kind="open_guided",
        venue_id=venue_id, area="kuopio.nilsia", topics=["families"],
        registration_required=True, capacity=10, organiser_subject="perhe-org")
    organiser = bearer("organiser", subject="perhe-org")
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await handlers.on_venue(conn, VenueRegistered(
                venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto",
                                                      sv="Nilsiä bibliotek"),
                kind="library", area="kuopio.nilsia", municipality="Kuopio"),
                event.to_envelope())
            await handlers.on_activity_event(conn, event, event.to_envelope())
        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page(locale="fi-FI")  # a Finnish resident

            # Sign-up: Finnish first, Swedish by the language link; a group of three.
            await page.goto(f"{proc.url}/registrations/{event.event_id}")
            assert await page.locator("html").get_attribute("lang") == "fi"
            assert await axe_violations(page) == []
            await page.get_by_role("link", name="svenska").click()
            assert await page.locator("h1").inner_text() == "Anmälan: Familjeklubb"
            assert "Nilsiä bibliotek" in await page.locator("dl.facts").inner_text()
            # The way back to the activity's page, in the page's language.
            event_page = f"/events/{event.event_id}/page?lang=sv"
            back = page.get_by_role("link", name="Familjeklubb")
            assert (await back.get_attribute("href") or "").endswith(event_page)
            await page.get_by_label("Namn").fill("Anna Andersson")
            await page.get_by_label("E-post").fill("anna@example.fi")
            await page.get_by_label("Deltagare").fill("3")
            await page.get_by_role("button", name="Anmäl dig").click()
            await page.wait_for_selector("p.msg")
            assert "bekräftad" in await page.locator("p.msg").inner_text()
            # What was signed up for, by whom, for how many, and what it got.
            facts = await page.locator("dl.facts").evaluate(
                "dl => [...dl.querySelectorAll('dt')].map(dt => [dt.textContent.trim(), "
                "dt.nextElementSibling.textContent.trim()])")
            said = dict(facts)
            assert said["Evenemang"] == "Familjeklubb"
            assert said["Plats"].startswith("Nilsiä bibliotek") and said["Tid"]
            assert (said["Namn"], said["Deltagare"], said["Din plats"]) == (
                "Anna Andersson", "3", "Plats bokad")
            back = page.get_by_role("link", name="Familjeklubb")
            assert (await back.get_attribute("href") or "").endswith(event_page)
            calendar = page.get_by_role("link", name="Lägg till i kalendern (.ics)")
            href = await calendar.get_attribute("href") or ""
            assert href.startswith("/registrations/signed/") and href.endswith(
                "/registration.ics?lang=sv")
            assert await axe_violations(page) == []
            await page.get_by_role("link", name="Avboka anmälan").click()
            assert await axe_violations(page) == []
            await page.get_by_role("button", name="Avboka anmälan").click()
            await page.wait_for_selector("p.msg")
            assert "avbokad" in await page.locator("p.msg").inner_text()

            # The organiser's list: sign in, see the group, mark them present.
            another = await browser.new_page(locale="fi-FI")
            await another.goto(f"{proc.url}/registrations/{event.event_id}")
            await another.get_by_label("Nimi").fill("Matti Meikäläinen")
            await another.get_by_label("Sähköposti").fill("matti@example.fi")
            await another.get_by_role("button", name="Ilmoittaudu").click()
            await another.wait_for_selector("p.msg")
            token = organiser["Authorization"].removeprefix("Bearer ")
            listing = f"/registrations/{event.event_id}/participants"
            await another.goto(f"{proc.url}{listing}")
            assert "/registrations/login" in another.url  # signed out: asked to sign in
            # Sign-in by form (no token in a URL), then on to the list it was asked for.
            await another.fill("input[name=token]", token)
            await another.click("main button")
            await another.wait_for_url(f"{proc.url}{listing}?lang=fi")
            assert await another.locator("h1").inner_text() == "Osallistujat: Perhekerho"
            assert await axe_violations(another) == []
            await another.get_by_label("Paikalla: Matti Meikäläinen").check()
            await another.get_by_role("button", name="Tallenna läsnäolo").click()
            await another.wait_for_selector("p.msg")
            assert "Paikalla: 1" in await another.locator("main").inner_text()

                        # Following: subscribe in English, confirm, change, unsubscribe.
            await page.goto(f"{proc.url}/follow?lang=en")
            assert await axe_violations(page) == []
            await page.get_by_label("Email").fill("follower@example.fi")
            await page.get_by_label("Families").check()
            await page.get_by_role("button", name="Subscribe").click()
            await page.wait_for_selector("p.msg")
            assert "Almost done" in await page.locator("p.msg").inner_text()
            subscription_id = await pool.fetchval("SELECT id FROM subscriptions")
            token = handlers.reach_links().token("subscription", subscription_id)
            await page.goto(f"{proc.url}/follow/confirm/{token}?lang=en")
            assert await axe_violations(page) == []
            await page.get_by_role("button", name="Confirm").click()
            await page.get_by_role("link", name="Change your choices").click()
            assert await page.locator("h1").inner_text() == "Your subscription"
            assert await page.get_by_label("Families").is_checked()
            assert await axe_violations(page) == []
            await page.get_by_label("Nilsiä", exact=True).check()
            await page.get_by_role("button", name="Save my choices").click()
            await page.wait_for_selector("p.msg")
            assert await page.locator("p.msg").inner_text() == "Saved."
            await page.get_by_role("button", name="Unsubscribe").click()
            await page.wait_for_selector("p.msg")
            assert "unsubscribed" in await page.locator("p.msg").inner_text()
            assert await axe_violations(page) == []

        async with pool.acquire() as conn, conn.transaction():
            store = JoinedUnitOfWork(conn, NotificationStore).store
            row = await store.get_subscription(subscription_id)
        assert row is not None
        assert (row["status"], row["areas"], row["topics"]) == (
            "unsubscribed", ["kuopio.nilsia"], ["families"])
        assert sorted(tuple(r) for r in await pool.fetch(
            "SELECT status, attended FROM registrations ORDER BY status")) == [
            ("cancelled", None), ("confirmed", True)]
    finally:
        await pool.close()
