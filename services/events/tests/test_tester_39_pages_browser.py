"""The organiser's pages of a tester's findings (session 39) in a real browser (Debian's
Chromium) with axe-core, in fi, sv and en, against the events service as a process on real
PostgreSQL: a name with a control character is refused next to its input, which takes
focus; places below the seats confirmed are refused next to the Places field; an activity
awaiting approval offers "Take back to a draft", and taken back it is a draft again. axe
finds nothing serious on each page, and nothing scrolls sideways at 320 px."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from shared.clock import HELSINKI
from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="testaaja39", name="Testaaja")
START = (datetime.now(UTC) + timedelta(days=6)).replace(minute=0, second=0, microsecond=0)
CHARS = {"fi": "Tekstissä on merkki, jota ei voi tallentaa; kirjoita se uudelleen.",
         "sv": "Texten har ett tecken som inte kan sparas; skriv den på nytt.",
         "en": "The text has a character that cannot be saved; type it again."}
FEWER = {"fi": "Paikkoja ei voi olla vähemmän kuin vahvistettuja paikkoja, joita on jo 3.",
         "sv": "Platserna kan inte vara färre än de redan bekräftade platserna, som är 3.",
         "en": "There cannot be fewer places than the seats already confirmed (3)."}
CREATE = {"fi": "Luo luonnos", "sv": "Skapa utkast", "en": "Create draft"}
SAVE = {"fi": "Tallenna", "sv": "Spara", "en": "Save"}
TAKE_BACK = {"fi": "Ota takaisin luonnokseksi", "sv": "Ta tillbaka till utkast",
             "en": "Take back to a draft"}


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


async def test_the_refusals_and_taking_back_in_the_browser(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    base = proc.url
    body = {"name": {"fi": "Kävely"}, "place_kind": "outdoors", "area": "kuopio.keskusta",
            "place_name": {"fi": "Puisto"}, "registration_required": True, "capacity": 10,
            "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat()}
    async with httpx.AsyncClient(base_url=base) as http:
        counted = (await http.post("/events", headers=ORGANISER, json=body)).json()["id"]
        queued = []
        for _ in range(3):
            made = (await http.post("/events", headers=ORGANISER, json=body)).json()["id"]
            sent = await http.post(f"/events/{made}/publish", headers=ORGANISER)
            assert sent.json()["status"] == "awaiting_approval", sent.text
            queued.append(made)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("INSERT INTO registration_counts VALUES ($1, 1, 10, 3, 0, now())",
                           counted)
    finally:
        await conn.close()

    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)
        await page.goto(f"{base}/my/login?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()
        for lang, waiting in zip(("fi", "sv", "en"), queued, strict=True):
            # A BEL in the name: said by the input, which takes focus; nothing made.
            await page.goto(f"{base}/my/activities/new?lang={lang}")
            await page.fill("#f-name-fi", "Kello\x07soi")
            await page.fill("#f-starts_at", _local(START))
            await page.fill("#f-ends_at", _local(START + timedelta(hours=1)))
            await page.select_option("#f-kind", "open_guided")
            await page.fill("#f-place_name-fi", "Puisto")
            await page.select_option("#f-area", "kuopio.keskusta")
            await page.get_by_role("button", name=CREATE[lang]).click()
            await page.wait_for_selector("#e-name-fi")
            assert await page.locator("#e-name-fi").inner_text() == CHARS[lang]
            assert await focused_id(page) == "f-name-fi", lang
            await passes_at_every_width(page, f"control character {lang}")

            # Fewer places than confirmed: said by the Places field.
            await page.goto(f"{base}/my/activities/{counted}?lang={lang}")
            await page.fill("#f-capacity", "2")
            await page.get_by_role("button", name=SAVE[lang], exact=True).click()
            await page.wait_for_selector("#e-capacity")
            assert await page.locator("#e-capacity").inner_text() == FEWER[lang]
            assert await page.locator("#f-capacity").get_attribute("aria-invalid") == "true"
            await passes_at_every_width(page, f"fewer places {lang}")

            # Waiting for approval: taken back to a draft from its page.
            await page.goto(f"{base}/my/activities/{waiting}?lang={lang}")
            await passes_at_every_width(page, f"awaiting approval {lang}")
            await page.get_by_role("button", name=TAKE_BACK[lang]).click()
            await page.wait_for_url("**done=taken_back**")
            assert await page.get_by_role("button", name=TAKE_BACK[lang]).count() == 0
            await passes_at_every_width(page, f"taken back {lang}")
            stored = (await http.get(f"/events/{waiting}", headers=ORGANISER)).json()
            assert stored["status"] == "draft", lang
        listed = (await http.get("/events?limit=50", headers=ORGANISER)).json()
        assert listed["total"] == 4  # nothing made by the refused forms
        assert (await http.get(f"/events/{counted}", headers=ORGANISER)).json()[
            "capacity"] == 10
