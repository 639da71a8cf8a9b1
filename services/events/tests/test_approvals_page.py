"""The approval queue's page in a real browser (Debian's Chromium, via Playwright): staff see
what organisers sent without a booking, refuse with a reason or approve, in their language;
a blank reason is said by its input, which takes focus; axe-core finds nothing serious at
1024 and 1920 px, the refusal too."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.axe import violations
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="puistoyhdistys", name="Puistoyhdistys ry")
COMMS = bearer("communications", subject="viestinta", name="Viestintä")
OTHER_ORGANISER = bearer("organiser", subject="joku-muu")
START = (datetime.now(UTC) + timedelta(days=4)).replace(hour=14, minute=0, second=0,
                                                         microsecond=0)


async def test_staff_refuse_with_a_reason_and_approve_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    async with httpx.AsyncClient(base_url=proc.url) as http:
        made = await http.post("/events", headers=ORGANISER, json={
            "name": {"fi": "Puistojooga", "sv": "Parkyoga"}, "kind": "open_guided",
            "place_kind": "outdoors", "area": "kuopio.jynkka",
            "place_name": {"fi": "Jynkän puisto"}, "organiser_name": "Puistoyhdistys ry",
            "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat()})
        assert made.status_code == 201, made.text
        event_id = made.json()["id"]
        queued = await http.post(f"/events/{event_id}/publish", headers=ORGANISER)
        assert queued.json()["status"] == "awaiting_approval", queued.text

        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page()
            await page.goto(f"{proc.url}/approvals/queue?lang=sv")
            assert "/approvals/login" in page.url  # signed out: asked to sign in
            await page.fill("input[name=token]", COMMS["Authorization"].removeprefix("Bearer "))
            await page.click("button")
            await page.wait_for_url("**/approvals/queue**")
            await page.goto(f"{proc.url}/approvals/queue?lang=fi")
            item = page.locator(f"article.queued[data-id='{event_id}']")
            assert await item.locator("h2").inner_text() == "Puistojooga"
            details = await item.locator("dl").inner_text()
            assert "Jynkän puisto" in details and "Puistoyhdistys ry" in details
            for width in (1024, 1920):
                await page.set_viewport_size({"width": width, "height": 900})
                assert await violations(page) == [], width

            # Spaces only are no reason: said in Finnish by the reason's input, which is
            # marked, names the refusal and has focus, the form as typed; nothing decided.
            await item.locator("textarea").fill("   ")
            await item.get_by_role("button", name="Älä hyväksy").click()
            await page.wait_for_selector(f"#e-{event_id}")
            reason = item.locator("textarea")
            assert await page.locator(f"#e-{event_id}").inner_text() == \
                "Kirjoita järjestäjälle perustelu."
            assert await reason.get_attribute("aria-invalid") == "true"
            assert await reason.get_attribute("aria-describedby") == f"e-{event_id}"
            assert await focused_id(page) == f"r-{event_id}"
            assert await reason.input_value() == "   "
            assert await page.locator("p.msg").is_hidden()
            for width in (1024, 1920):
                await page.set_viewport_size({"width": width, "height": 900})
                assert await violations(page) == [], ("refused", width)
            assert (await http.get(f"/events/{event_id}", headers=ORGANISER)).json()[
                "status"] == "awaiting_approval"
            await item.locator("textarea").fill("Puistossa on samaan aikaan toinen tapahtuma")
            await item.get_by_role("button", name="Älä hyväksy").click()
            await page.wait_for_selector("p.msg:not(.error)")
            assert await page.locator("p.msg").inner_text() == \
                "Palautettu järjestäjälle: Puistojooga."
            assert await page.locator("article.queued").count() == 0

            again = await http.post(f"/events/{event_id}/publish", headers=ORGANISER)
            assert again.json()["status"] == "awaiting_approval", again.text
            await page.goto(f"{proc.url}/approvals/queue?lang=sv")
            assert await page.title() == "Godkännandekö"
            await page.get_by_role("button", name="Godkänn och publicera").click()
            await page.wait_for_selector("p.msg:not(.error)")
            assert await page.locator("p.msg").inner_text() == \
                "Godkänt och publicerat: Parkyoga."

        public = await http.get(f"/events/{event_id}")
        assert public.status_code == 200 and public.json()["status"] == "published"
        steps = (await http.get(f"/events/{event_id}/history", headers=ORGANISER)).json()
        refusal = next(s for s in steps if (s["reason"] or "").startswith("refused"))
        assert refusal["reason"] == "refused: Puistossa on samaan aikaan toinen tapahtuma"
        assert refusal["actor"] == "communications:viestinta"


async def test_the_queue_says_a_whole_day_by_its_dates_and_an_online_one_online(
        spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    # A venue as booking's venue.registered keeps it here.
    venue = "3f1d2c4b-5a69-4e7f-8a1b-2c3d4e5f6a7b"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO venues (venue_id, name, kind, area, municipality, revision)"
            " VALUES ($1::uuid, $2::jsonb, 'library', 'kuopio.jynkka', 'Kuopio', 1)",
            venue, '{"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek"}')
    finally:
        await conn.close()
    proc = await spawn_service("events", dsn)
    day = START.date() + timedelta(days=1)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        for body in (
                {"name": {"fi": "Satutunti"}, "place_kind": "venue", "venue_id": venue,
                 "starts_at": START.isoformat(),
                 "ends_at": (START + timedelta(hours=1)).isoformat()},
                {"name": {"fi": "Joulumarkkinat"}, "place_kind": "outdoors", "all_day": True,
                 "area": "kuopio.jynkka", "place_name": {"fi": "Jynkän kenttä"},
                 "starts_at": f"{day}T00:00:00+02:00",
                 "ends_at": f"{day + timedelta(days=2)}T00:00:00+02:00"},
                {"name": {"fi": "Verkkokurssi"}, "place_kind": "online",
                 "area": "kuopio.jynkka", "online_url": "https://meet.example.fi/kurssi",
                 "starts_at": START.isoformat(),
                 "ends_at": (START + timedelta(hours=1)).isoformat()}):
            made = await http.post("/events", headers=ORGANISER,
                                   json={**body, "kind": "open_guided"})
            assert made.status_code == 201, made.text
            queued = await http.post(f"/events/{made.json()['id']}/publish", headers=ORGANISER)
            assert queued.json()["status"] == "awaiting_approval", queued.text
        page = await http.get("/approvals/queue", params={"lang": "fi"}, headers=COMMS)
        assert page.status_code == 200, page.text
        text = page.text
        market = text[text.index("Joulumarkkinat"):text.index("</article>",
                                                               text.index("Joulumarkkinat"))]
        assert "0.00" not in market and f"{day.day}." in market
        course = text[text.index("Verkkokurssi"):]
        assert "<dd>Verkossa</dd>" in course.split("</article>")[0]
        story = text[text.index("Satutunti"):]
        assert "<dd>Jynkän kirjasto</dd>" in story.split("</article>")[0]
        sv = await http.get("/approvals/queue", params={"lang": "sv"}, headers=COMMS)
        assert "<dd>Jynkkä bibliotek</dd>" in sv.text
        # Each leads to the whole activity as residents will see it, before it is decided.
        preview = re.search(r'href="(/approvals/queue/[0-9a-f-]+/preview\?lang=fi)"',
                            course.split("</article>")[0])
        assert preview is not None
        whole = await http.get(preview.group(1), headers=COMMS)
        assert whole.status_code == 200, whole.text
        assert "Verkkokurssi" in whole.text and "https://meet.example.fi/kurssi" in whole.text
        assert 'href="/approvals/queue?lang=fi"' in whole.text
        assert (await http.get(preview.group(1), headers=OTHER_ORGANISER)).status_code == 404


async def test_what_ended_waiting_is_out_of_the_queue_folded_away_below_it(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    """A tester's queue kept activities that were over: they are not in the queue to decide
    (nor in `GET /approvals`), but folded away below it, "ended without a decision", where
    they can still be approved (a late report counts in the figures) or refused."""
    proc = await spawn_service("events", await fresh_database("events"))
    yesterday = START - timedelta(days=5)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        ids = {}
        for name, starts in (("Pihatalkoot", yesterday), ("Puistojooga", START)):
            made = await http.post("/events", headers=ORGANISER, json={
                "name": {"fi": name, "sv": name, "en": name}, "kind": "open_guided",
                "place_kind": "outdoors", "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat()})
            assert made.status_code == 201, made.text
            ids[name] = made.json()["id"]
            queued = await http.post(f"/events/{ids[name]}/publish", headers=ORGANISER)
            assert queued.json()["status"] == "awaiting_approval", queued.text
        past, coming = ids["Pihatalkoot"], ids["Puistojooga"]

        # The API's queue is the page's: what is not over; the ended ones by asking.
        listed = await http.get("/approvals", headers=COMMS)
        assert [e["id"] for e in listed.json()] == [coming]
        ended = await http.get("/approvals", headers=COMMS, params={"ended": "true"})
        assert [e["id"] for e in ended.json()] == [past]
        for lang, said in (("sv", "Avslutade utan beslut (1)"),
                           ("en", "Ended without a decision (1)")):
            page = await http.get("/approvals/queue", params={"lang": lang}, headers=COMMS)
            assert f"<summary>{said}</summary>" in page.text

        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page()
            await page.goto(f"{proc.url}/approvals/login?lang=fi")
            await page.fill("input[name=token]", COMMS["Authorization"].removeprefix("Bearer "))
            await page.click("button")
            await page.wait_for_url("**/approvals/queue**")
            queue = page.locator("main > article.queued")
            assert [await queue.nth(i).get_attribute("data-id")
                    for i in range(await queue.count())] == [coming]
            folded = page.locator("details.ended")
            assert await folded.locator("summary").inner_text() == \
                "Päättyneet ilman päätöstä (1)"
            assert await folded.get_attribute("open") is None
            assert await page.locator(f"article[data-id='{past}']").is_hidden()
            assert await violations(page) == [], "folded"
            await folded.locator("summary").click()
            item = page.locator(f"article[data-id='{past}']")
            assert await item.is_visible()
            assert await violations(page) == [], "opened"

            # A blank reason is said by its input, the folded list open, the input focused.
            await item.locator("textarea").fill("   ")
            await item.get_by_role("button", name="Älä hyväksy").click()
            await page.wait_for_selector(f"#e-{past}")
            assert await page.locator("details.ended").get_attribute("open") == ""
            assert await focused_id(page) == f"r-{past}"
            assert await violations(page) == [], "refused"

            # Approved afterwards: published as the past activity it is; nothing ended left.
            await page.locator(f"article[data-id='{past}']").get_by_role(
                "button", name="Hyväksy ja julkaise").click()
            await page.wait_for_selector("p.msg:not(.error)")
            assert await page.locator("p.msg").inner_text() == \
                "Hyväksytty ja julkaistu: Pihatalkoot."
            assert await page.locator("details.ended").count() == 0
            assert await page.locator("main > article.queued").count() == 1
        assert (await http.get(f"/events/{past}")).json()["status"] == "published"
