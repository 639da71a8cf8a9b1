"""The booking desk page in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.tests.desk_browser import sign_in_at_desk
from tests.infra import LOG_DIR, bearer, launch_chromium

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




#: Every action button and reason field of the lists lies wholly inside its section (the
#: issue saw them cut at 1024 px), and no section scrolls sideways.
_CUT = """() => [...document.querySelectorAll('main section')].flatMap(section => {
  const box = section.getBoundingClientRect();
  const cut = [...section.querySelectorAll('td.actions button, td.actions input[name=reason]')]
    .filter(e => { const r = e.getBoundingClientRect();
                   return r.left < box.left || r.right > box.right || r.width < 40; })
    .map(e => e.outerHTML.slice(0, 80));
  return section.scrollWidth > section.clientWidth ? [section.id, ...cut] : cut;
})"""


async def test_desk_confirms_rejects_and_books_a_walk_in(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    import asyncpg

    from shared.l10n import day_full, day_range, day_short
    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "en": "Group room"}, "capacity": 12},
                       {"name": {"fi": "Kokoushuone", "en": "Meeting room"}, "capacity": 6}],
        })).json()
        desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Jynkän tiski")
        await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
        space, other_space = (s["id"] for s in venue["spaces"])

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
        # A series of two, weekly, in the other room: confirmed with one press.
        choir_start = datetime.combine(tomorrow, time(16), ZoneInfo("Europe/Helsinki"))
        r = await http.post("/series", headers=bearer("organiser", subject="kuoro", name="Kuoro"),
                            json={"space_id": other_space, "title": "Kuoro",
                                  "starts_at": choir_start.isoformat(),
                                  "ends_at": (choir_start + timedelta(hours=1)).isoformat(),
                                  "library_contact": "Sari", "accept_house_rules": True,
                                  "repeat": {"count": 2}})
        assert r.status_code == 201, r.text
        choir = r.json()

    token = desk["Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser:
        # 1024 px: the width at which the issue saw the buttons and reason fields cut.
        page = await browser.new_page(viewport={"width": 1024, "height": 768})
        await sign_in_at_desk(page, url, token, "en")
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
        assert await pending.count() == 4  # the forged confirmation changed nothing
        assert await page.locator("[autofocus]").count() == 0  # no input takes focus
        for width in (1920, 1024):  # ends at the width the rest of the test was written at
            await page.set_viewport_size({"width": width, "height": 768})
            assert await serious_violations(page) == [], width
            assert await page.evaluate(_CUT) == [], width  # the series' button too

        # The first Confirm is three keys away: the skip link, Enter, Tab. Confirming says
        # what was done in the status region, which takes focus; Tab goes on down the list.
        await page.keyboard.press("Tab")
        assert await page.locator(":focus").inner_text() == \
            "Skip to requests waiting for confirmation"
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        chess_row = page.locator(f"#pending tr[data-booking='{chess['id']}']")
        assert await chess_row.locator("button:focus").inner_text() == "Confirm"
        await page.keyboard.press("Enter")
        await page.wait_for_selector("#status:focus")
        day_en = day_short(tomorrow, "en")
        assert await page.locator("#status").inner_text() == \
            f"Confirmed: Shakkikerho, {day_en} 10:00–11:00"
        await page.keyboard.press("Tab")
        rave_row = page.locator(f"#pending tr[data-booking='{rave['id']}']")
        assert await rave_row.locator("button:focus").inner_text() == "Confirm"
        await rave_row.locator("input[name=reason]").fill("ei kirjaston toimintaa")
        await rave_row.locator("button", has_text="Reject").click()
        await page.wait_for_selector("#status:focus")
        assert await page.locator("#status").inner_text() == \
            f"Rejected: Bileet, {day_en} 12:00–13:00"
        assert await page.locator("#pending tr").count() == 2

        # The series: both times at once, from either of its rows, how many said.
        choir_row = page.locator(f"#pending tr[data-booking='{choir['created'][1]['id']}']")
        await choir_row.get_by_role("button", name="Confirm the whole series (2 times): Kuoro"
                                    ).click()
        await page.wait_for_selector("#status:focus")
        weeks = day_range(tomorrow, tomorrow + timedelta(days=7), "en")
        assert await page.locator("#status").inner_text() == \
            f"Series confirmed, 2 times: Kuoro, {weeks}"
        assert await page.locator("#pending tr").count() == 0

        # The Swedish page: a walk-in, then one that clashes with it, said in Swedish, with
        # what was typed kept (the language chosen too).
        await page.click("header nav a[lang=sv]")
        await page.wait_for_url("**lang=sv**")
        assert await page.locator("#w-language").input_value() == "sv"  # the page's language
        await page.keyboard.press("Tab")
        await page.keyboard.press("Tab")  # the second skip link: to the walk-in form
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        await page.keyboard.type("Lautapelit")  # the title
        await page.fill("#w-start", f"{tomorrow.isoformat()}T15:00")
        await page.fill("#w-organiser", "Matti")
        await page.fill("#w-email", "matti@example.fi")
        await page.press("#w-email", "Enter")
        await page.wait_for_selector("#status:focus")
        day = day_short(tomorrow, "sv")
        assert await page.locator("#status").inner_text() == f"Lautapelit: {day} 15:00–16:00 ✓"
        assert await page.locator("#w-title").input_value() == ""  # a fresh form
        today = await page.locator("#today").inner_text()
        assert "Shakkikerho" in today and "Lautapelit" in today
        assert "Bileet" in today  # rejected stays listed, struck through
        assert "10:00–11:00 Shakkikerho" in await page.locator("#week").inner_text()
        assert await page.evaluate(_CUT) == []

        await page.fill("#w-title", "Päällekkäinen")
        await page.fill("#w-start", f"{tomorrow.isoformat()}T15:30")
        await page.fill("#w-organiser", "Liisa")
        await page.fill("#w-email", "liisa@example.fi")
        await page.select_option("#w-language", "fi")
        await page.click("#walk-in button[type=submit]")
        await page.wait_for_selector("#status .msg.error")
        assert await page.locator("#status").inner_text() == \
            f"Lokalen är redan bokad för den tiden ({day_short(tomorrow, 'sv')} 15:00–16:00)."
        assert await page.locator("#status:focus").count() == 1
        kept = {sel: await page.locator(sel).input_value() for sel in (
            "#w-title", "#w-space", "#w-start", "#w-minutes", "#w-organiser", "#w-email",
            "#w-language")}
        assert kept == {"#w-title": "Päällekkäinen", "#w-space": space,
                        "#w-start": f"{tomorrow.isoformat()}T15:30", "#w-minutes": "60",
                        "#w-organiser": "Liisa", "#w-email": "liisa@example.fi",
                        "#w-language": "fi"}
        assert await serious_violations(page) == []
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(LOG_DIR / "desk.png"), full_page=True)

        # Without an email: many walk-ins have none.
        await page.fill("#w-start", f"{tomorrow.isoformat()}T17:00")
        await page.fill("#w-email", "")
        await page.click("#walk-in button[type=submit]")
        await page.wait_for_selector("#status:focus")
        assert await page.locator("#status").inner_text() == \
            f"Päällekkäinen: {day} 17:00–18:00 ✓"

        # Typing a date or moving through the spaces loads nothing until "Visa".
        here = page.url
        await page.fill("#day", (tomorrow + timedelta(days=2)).isoformat())
        await page.focus("#week-space")
        await page.keyboard.press("ArrowDown")
        assert page.url == here
        await page.click("#week form button[type=submit]")
        await page.wait_for_url(f"**space_id={other_space}**")
        assert "10:00–11:00 Shakkikerho" not in await page.locator("#week").inner_text()
        await page.select_option("#week-space", space)
        await page.click("#week form button[type=submit]")
        await page.wait_for_url(f"**space_id={space}**")

        # A week on and back, keeping the venue, the space and the language.
        monday = tomorrow - timedelta(days=tomorrow.isoweekday() - 1)
        await page.click("text=Nästa vecka →")
        await page.wait_for_url(f"**day={(tomorrow + timedelta(weeks=1)).isoformat()}**")
        query = parse_qs(urlsplit(page.url).query)
        assert (query["venue_id"], query["space_id"], query["lang"]) == \
            ([venue["id"]], [space], ["sv"])
        next_week = day_range(monday + timedelta(weeks=1), monday + timedelta(days=13), "sv")
        assert await page.locator("#week-title").inner_text() == f"Vecka {next_week}"
        assert "Shakkikerho" not in await page.locator("#week").inner_text()
        await page.click("text=← Föregående vecka")
        await page.wait_for_url(f"**day={tomorrow.isoformat()}**")
        assert "10:00–11:00 Shakkikerho" in await page.locator("#week").inner_text()

        # The day's sheet to print: every space, in time order, and back to the desk.
        await page.click("text=Dagens lista för utskrift")
        await page.wait_for_url("**/desk/day-sheet?**")
        assert "Shakkikerho" in await page.locator("main").inner_text()
        assert await serious_violations(page) == []
        await page.click("text=← Tillbaka till disken")
        await page.wait_for_url("**/desk?**")

        # Opening hours: a closure added on its own page, shown there, in Swedish.
        await page.click("header >> text=Öppettider")
        await page.wait_for_url("**/desk/hours?**")
        assert await serious_violations(page) == []
        closure = tomorrow + timedelta(days=10)
        await page.fill("input[name=day]", closure.isoformat())
        await page.fill("input[name=reason]", "Inventering")
        await page.click("text=Lägg till avvikelse")
        await page.wait_for_selector("#status:not([hidden])")
        assert await page.locator("#status").inner_text() == \
            f"Sparat. {day_full(closure, 'sv')}"
        assert day_full(closure, "sv") in await page.locator("tr.exception").inner_text()
        assert "Stängt hela dagen (Inventering)" in \
            await page.locator("tr.exception").inner_text()
        # The same day open 10–14, "Stängt hela dagen" unticked: first without its closing
        # time, refused by that input (the form kept, focus there); then whole, in place of
        # the closure.
        await page.fill("input[name=day]", closure.isoformat())
        await page.uncheck("input[name=closed]")
        await page.fill("form.exception input[name=opens]", "10:00")
        await page.click("text=Lägg till avvikelse")
        await page.wait_for_selector("form.exception input[name=closes][aria-invalid=true]:focus")
        assert (await page.locator("#exception-refusals").inner_text()).count(
            "Stänger: Ange öppnings- och stängningstid") == 1
        assert await page.locator("form.exception input[name=opens]").input_value() == "10:00"
        assert await page.locator("tr.exception").count() == 1  # nothing stored
        assert await serious_violations(page) == []
        await page.fill("form.exception input[name=closes]", "14:00")
        await page.click("text=Lägg till avvikelse")
        await page.wait_for_selector("#status:not([hidden])")
        assert await page.locator("tr.exception").count() == 1
        assert "10:00–14:00" in await page.locator("tr.exception").inner_text()
        # Removed by the button beside it: the weekly hours apply again.
        await page.get_by_role("button", name=f"Ta bort avvikelsen: {day_full(closure, 'sv')}"
                               ).click()
        await page.wait_for_selector("#status:not([hidden])")
        assert await page.locator("#status").inner_text() == \
            f"Avvikelsen borttagen: {day_full(closure, 'sv')}"
        assert await page.locator("tr.exception").count() == 0
        assert await serious_violations(page) == []

        # The spaces' rules: a value out of bounds is said by its rule's name, in Swedish.
        await page.goto(f"{url}/desk/spaces?venue_id={venue['id']}&lang=sv")
        assert await serious_violations(page) == []
        first = page.locator("section.space").first
        await first.locator("input[name=horizon_days]").fill("9999")
        await first.get_by_role("button", name="Spara reglerna").click()
        await page.wait_for_selector("input[name=horizon_days][aria-invalid=true]:focus")
        assert await first.locator(".summary a").inner_text() == \
            "Bokningsbar högst (dagar i förväg): Värdet ska vara mellan 1 och 730."
        assert await first.locator("input[name=horizon_days]").input_value() == "9999"
        await page.goto(f"{url}/desk/loans?venue_id={venue['id']}&lang=sv")
        assert await page.locator("h1").inner_text() == "Utlåning: Jynkkä bibliotek"
        assert await serious_violations(page) == []

    async with httpx.AsyncClient(base_url=url) as http:
        statuses = {b["title"]: b["status"] for b in (await http.get(
            "/desk/bookings", headers=desk, params={"day": tomorrow.isoformat()})).json()}
    assert statuses == {"Shakkikerho": "confirmed", "Bileet": "rejected", "Kuoro": "confirmed",
                        "Lautapelit": "confirmed", "Päällekkäinen": "confirmed"}
    # Each walk-in's mail in the language chosen for it; none for the one without address.
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT title, contact_email, contact_language FROM bookings"
                                " WHERE created_by LIKE 'desk%'")
        contacts = {r["title"]: (r["contact_email"], r["contact_language"]) for r in rows}
    finally:
        await conn.close()
    assert contacts == {"Lautapelit": ("matti@example.fi", "sv"),
                        "Päällekkäinen": (None, "fi")}


async def test_the_desk_page_needs_a_desk_token(spawn_service, fresh_database) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    async with httpx.AsyncClient(base_url=proc.url) as http:
        r = await http.get("/desk")
        assert r.status_code == 303 and r.headers["location"] == "/desk/login?lang=fi"
        organiser = await http.get("/desk", headers=bearer("organiser"))
        assert organiser.status_code == 403
        assert (await http.post("/desk/login", data={"token": "forged"})).status_code == 401
