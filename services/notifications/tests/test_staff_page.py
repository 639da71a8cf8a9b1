"""The communications staff's page in a real browser (Debian's Chromium, via Playwright):
what needs a person is listed, and their decisions take effect."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.notifications.store import NotificationStore
from shared.db import create_pool
from tests.infra import bearer

pytestmark = pytest.mark.infra


async def test_staff_see_what_needs_them_and_decide(chromium_path: str, spawn_service: Any,
                                                    fresh_database: Any, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    dsn = await fresh_database("notifications")
    proc = await spawn_service("notifications", dsn,
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0"})
    staff = bearer("communications", subject="viestinta", name="Viestintä")
    async with httpx.AsyncClient(base_url=proc.url) as http:
        # An admin makes the account (it chooses where a token goes); staff see it after.
        account = (await http.post("/channels", headers=bearer("admin"), json={
            "platform": "facebook", "name": "Kuopion kirjastot", "account_ref": "1001",
            "base_url": "https://graph.facebook.com/v21.0",
            "secret_ref": "env:KOHTAAMO_CHANNEL_FACEBOOK_TOKEN"})).json()
        forbidden = await http.get("/channels", headers=bearer("organiser"))
        assert forbidden.status_code == 403
    pool = await create_pool(dsn)
    try:
        ids: dict[str, UUID] = {}
        async with pool.acquire() as conn:
            db = NotificationStore(conn)
            for status, text in (("failed", "Kuorokonsertti"), ("unconfirmed", "Satutunti")):
                delivery_id = await db.add_delivery(
                    key=status, channel="facebook", target=f"{account['id']}:a",
                    revision=1, purpose="announcement", status=status,
                    due_at=datetime.now(UTC), content={"text": f"{text}\n3.12. 17.00"},
                    language="fi", account_id=UUID(account["id"]),
                    error_class="retry" if status == "failed" else "unconfirmed",
                    last_error="500 from the platform" if status == "failed" else "timeout")
                assert delivery_id is not None
                ids[status] = delivery_id
            await db.set_account_state(UUID(account["id"]), "reauth_needed",
                                          "Error validating access token")

        token = staff["Authorization"].removeprefix("Bearer ")
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=chromium_path, headless=True,
                args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
            page = await browser.new_page()
            await page.goto(f"{proc.url}/staff")
            assert "/staff/login" in page.url  # signed out: asked to sign in
            await page.fill("input[name=token]", token)
            await page.click("button")
            await page.wait_for_url(f"{proc.url}/staff?lang=fi")
            await page.goto(f"{proc.url}/staff?lang=en")
            assert await page.title() == "Communications: posts"
            rows = page.locator("tr.delivery")
            assert await rows.count() == 2
            assert "Error validating access token" in await page.locator(
                "tr.account").inner_text()
            unconfirmed = page.locator(f"tr.delivery[data-id='{ids['unconfirmed']}']")
            assert "unconfirmed" in await unconfirmed.inner_text()
            await unconfirmed.locator("input[name=remote_url]").fill(
                "https://www.facebook.com/1001_77")
            await unconfirmed.get_by_role("button", name="It is on the channel").click()
            await page.wait_for_selector("p.msg")
            assert await page.locator("p.msg").inner_text() == "Done."
            failed = page.locator(f"tr.delivery[data-id='{ids['failed']}']")
            await failed.get_by_role("button", name="Try again").click()
            await page.wait_for_selector("p.msg")
            assert await page.locator("tr.delivery").count() == 0
            await page.locator("tr.account").get_by_role("button",
                                                         name="Signed in again").click()
            await page.wait_for_selector("p.msg")
            assert await page.locator("tr.account").count() == 0
            await page.goto(f"{proc.url}/staff?lang=sv")
            assert await page.locator("h1").inner_text() == "Kommunikation: publiceringar"
            await browser.close()

        rows_now = {r["id"]: r for r in await pool.fetch("SELECT * FROM deliveries")}
        confirmed = rows_now[ids["unconfirmed"]]
        assert (confirmed["status"], confirmed["remote_url"], confirmed["decided_by"]) == (
            "published", "https://www.facebook.com/1001_77", "viestinta")
        assert rows_now[ids["failed"]]["status"] == "pending"
        assert await pool.fetchval("SELECT state FROM channel_accounts") == "active"
    finally:
        await pool.close()
