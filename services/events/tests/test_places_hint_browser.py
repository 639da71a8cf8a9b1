"""The organiser's "Places" field says when the sign-up's settings set other places (a
tester's finding: the field showed 20 while the public page, JSON-LD, the API and the
sign-up page said 6, with no word of why): a hint under the label, read as the input's
description, says what the settings say and where to change them, in fi/sv/en; none when
they agree. In a real browser (Debian's Chromium) with axe-core against the events service
as a process on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.axe import passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="paikkavihje", name="Paikkavihje")
COMMS = bearer("communications", subject="viestinta")
START = (datetime.now(UTC) + timedelta(days=6)).replace(minute=0, second=0, microsecond=0)
HINT = {"fi": "Ilmoittautumisen asetuksissa paikkoja on 6",
        "sv": "I anmälans inställningar finns det 6 platser",
        "en": "The registration settings give 6 places"}
UNLIMITED = {"fi": "Ilmoittautumisen asetuksissa paikkoja ei ole rajattu",
             "sv": "I anmälans inställningar är platserna inte begränsade",
             "en": "The registration settings set no limit to the places"}


async def test_the_places_field_says_what_the_sign_up_settings_set(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        made = await http.post("/events", headers=ORGANISER, json={
            "name": {"fi": "Lautapeli-ilta"}, "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"}, "area": "kuopio.keskusta",
            "registration_required": True, "capacity": 20,
            "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=2)).isoformat()})
        assert made.status_code == 201, made.text
        event_id = made.json()["id"]
        assert (await http.post(f"/events/{event_id}/publish", headers=COMMS)).status_code \
            == 200
    conn = await asyncpg.connect(dsn)

    async def counted(capacity: int | None, sequence: int) -> None:
        await conn.execute(
            "INSERT INTO registration_counts VALUES ($1, $2, $3, 1, 0, now())"
            " ON CONFLICT (activity_event_id) DO UPDATE SET sequence = $2, capacity = $3",
            event_id, sequence, capacity)

    try:
        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page()
            await page.goto(f"{proc.url}/my/login?lang=fi")
            await page.fill("input[name=token]",
                            ORGANISER["Authorization"].removeprefix("Bearer "))
            await page.click("form button")
            await page.wait_for_load_state()
            url = f"{proc.url}/my/activities/{event_id}"
            # Nothing heard from the sign-up: the field's figure is the one people read.
            await page.goto(f"{url}?lang=fi")
            assert await page.locator("#h-f-capacity").count() == 0
            await counted(20, 1)  # the settings agree: no hint either
            await page.reload()
            assert await page.locator("#h-f-capacity").count() == 0
            await counted(6, 2)
            for lang in ("fi", "sv", "en"):
                await page.goto(f"{url}?lang={lang}")
                field = page.locator("#f-capacity")
                assert await field.input_value() == "20"
                described = await field.get_attribute("aria-describedby")
                assert described == "h-f-capacity", lang
                assert (await page.locator(f"#{described}").inner_text()).startswith(
                    HINT[lang]), lang
                await passes_at_every_width(page, f"places hint {lang}")
            await counted(None, 3)
            await page.goto(f"{url}?lang=sv")
            assert (await page.locator("#h-f-capacity").inner_text()).startswith(
                UNLIMITED["sv"])
    finally:
        await conn.close()
