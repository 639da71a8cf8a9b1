"""The booking desk page in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.infra import LOG_DIR, bearer

pytestmark = pytest.mark.infra


@contextlib.contextmanager
def attacker_page(target: str) -> Iterator[str]:
    """Another site's page on another port of 127.0.0.1 that posts a form to `target` as
    soon as it loads; yields its address."""
    body = (f"<!doctype html><form method='post' action='{target}?lang=en'>"
            "<input name='csrf' value='guess'></form>"
            "<script>document.forms[0].submit()</script>").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()




async def test_desk_confirms_rejects_and_books_a_walk_in(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    from playwright.async_api import async_playwright

    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "en": "Group room"}, "capacity": 12}],
        })).json()
        desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Jynkän tiski")
        await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
        space = venue["spaces"][0]["id"]

        async def request(title: str, hour: int, who: str) -> dict[str, Any]:
            start = datetime.combine(tomorrow, time(hour), ZoneInfo("Europe/Helsinki"))
            r = await http.post("/bookings", headers=bearer("organiser", subject=who, name=who),
                                json={"space_id": space, "title": title,
                                      "starts_at": start.isoformat(),
                                      "ends_at": (start + timedelta(hours=1)).isoformat(),
                                      "library_contact": "Sari", "accept_house_rules": True})
            assert r.status_code == 201, r.text
            return r.json()  # type: ignore[no-any-return]

        chess = await request("Shakkikerho", 10, "shakki")
        rave = await request("Bileet", 12, "bileet")

    token = desk["Authorization"].removeprefix("Bearer ")
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=chromium_path, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
        page = await browser.new_page()
        await page.goto(f"{url}/desk/login?lang=en")
        await page.fill("input[name=token]", token)
        await page.click("button")
        await page.wait_for_url(f"{url}/desk?lang=en")
        assert "token" not in page.url
        # A page on another port of the same host (same site: SameSite does not help)
        # auto-posts a confirmation with the desk's cookie: refused by the Origin check.
        with attacker_page(f"{url}/desk/bookings/{chess['id']}/confirm") as evil:
            await page.goto(evil)
            await page.wait_for_selector("h1")
            assert await page.inner_text("h1") == "Request refused"
        await page.goto(f"{url}/desk?day={tomorrow.isoformat()}&lang=en")
        assert await page.title() == "Booking desk – Jynkkä library"
        pending = page.locator("#pending tr")
        assert await pending.count() == 2  # the forged confirmation changed nothing

        await page.locator(f"#pending tr[data-booking='{chess['id']}'] button",
                           has_text="Confirm").click()
        await page.wait_for_selector(".msg")
        assert await page.locator(".msg").inner_text() == "Done."
        row = page.locator(f"#pending tr[data-booking='{rave['id']}']")
        await row.locator("input[name=reason]").fill("ei kirjaston toimintaa")
        await row.locator("button", has_text="Reject").click()
        await page.wait_for_selector(".msg")
        assert await page.locator("#pending tr").count() == 0

        # Walk-in in a few keystrokes: the title has focus; fill, Enter.
        await page.keyboard.type("Lautapelit")
        await page.fill("input[name=starts_at]", f"{tomorrow.isoformat()}T15:00")
        await page.fill("input[name=organiser_name]", "Matti")
        await page.fill("input[name=organiser_email]", "matti@example.fi")
        await page.press("input[name=organiser_email]", "Enter")
        await page.wait_for_selector(".msg")
        assert await page.locator(".msg").inner_text() == "Lautapelit: 15.00–16.00 ✓"
        today = await page.locator("#today").inner_text()
        assert "Shakkikerho" in today and "Lautapelit" in today
        assert "Bileet" in today  # rejected stays listed, struck through
        week = await page.locator("#week").inner_text()
        assert "10.00–11.00 Shakkikerho" in week

        # A clash is explained on the page, not a crash.
        await page.fill("input[name=title]", "Päällekkäinen")
        await page.fill("input[name=starts_at]", f"{tomorrow.isoformat()}T15:30")
        await page.fill("input[name=organiser_name]", "Liisa")
        await page.fill("input[name=organiser_email]", "liisa@example.fi")
        await page.click("#walk-in button")
        await page.wait_for_selector(".msg.error")
        assert await page.locator(".msg.error").inner_text() == \
            f"the space is already booked for that time ({tomorrow.day}.{tomorrow.month}. " \
            "15.00–16.00)"
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(LOG_DIR / "desk.png"), full_page=True)
        await browser.close()

    async with httpx.AsyncClient(base_url=url) as http:
        statuses = {b["title"]: b["status"] for b in (await http.get(
            "/desk/bookings", headers=desk, params={"day": tomorrow.isoformat()})).json()}
    assert statuses == {"Shakkikerho": "confirmed", "Bileet": "rejected",
                        "Lautapelit": "confirmed"}


async def test_the_desk_page_needs_a_desk_token(spawn_service, fresh_database) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    async with httpx.AsyncClient(base_url=proc.url) as http:
        r = await http.get("/desk")
        assert r.status_code == 303 and r.headers["location"] == "/desk/login?lang=fi"
        organiser = await http.get("/desk", headers=bearer("organiser"))
        assert organiser.status_code == 403
        assert (await http.post("/desk/login", data={"token": "forged"})).status_code == 401
