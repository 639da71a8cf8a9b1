"""Against PostgreSQL: the title's language is kept with the booking (migration 016) every
way a booking is made (a request, a hold sent as a request, a series), Finnish for one made
before it was asked; and a venue's contact phone kept before the rule of every phone (up to
40 characters) is read and announced as it is, while a new one is refused over 30."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from services.booking.app import spec
from services.booking.tests.test_api import ADMIN, KANTTI, MAIJA, TOMORROW, booking, venue

pytestmark = pytest.mark.infra


async def test_the_titles_language_is_kept_every_way_a_booking_is_made(start_service) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    hall, stage = v["spaces"][0]["id"], v["spaces"][1]["id"]
    pool = client.runtime.pool

    made = await client.post("/bookings", headers=MAIJA, json=booking(
        stage, title="Bokcirkel", title_language="sv"))
    assert made.status_code == 201, made.text
    assert made.json()["title_language"] == "sv"
    read = await client.get(f"/bookings/{made.json()['id']}", headers=MAIJA)
    assert read.json()["title_language"] == "sv"

    held = await client.post("/bookings/holds", headers=MAIJA, json={
        "space_id": stage, "starts_at": (TOMORROW + timedelta(hours=3)).isoformat(),
        "ends_at": (TOMORROW + timedelta(hours=4)).isoformat()})
    assert held.status_code == 201, held.text
    sent = await client.post(f"/bookings/{held.json()['id']}/submit", headers=MAIJA, json={
        "title": "Book club", "title_language": "en", "library_contact": "Liisa",
        "accept_house_rules": True})
    assert sent.status_code == 200, sent.text
    assert sent.json()["title_language"] == "en"

    series = await client.post("/series", headers=MAIJA, json={
        **booking(hall, TOMORROW + timedelta(hours=6), hours=1, title="Bokcirkel",
                  title_language="sv"), "repeat": {"count": 2}})
    assert series.status_code == 201, series.text
    assert [b["title_language"] for b in series.json()["created"]] == ["sv", "sv"]

    plain = await client.post("/bookings", headers=MAIJA, json=booking(
        hall, TOMORROW + timedelta(days=1)))
    assert plain.json()["title_language"] == "fi"
    kept = {r["title"]: r["title_language"] for r in await pool.fetch(
        "SELECT title, title_language FROM bookings")}
    assert kept == {"Bokcirkel": "sv", "Book club": "en", "Lukupiiri": "fi"}


async def test_a_venue_phone_kept_before_the_rule_is_read_and_a_new_one_is_checked(
        start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "contact": {"phone": "017 182 111"}})
    old = "017 182 111 (vaihde) / 017 182 112 ilta"
    await client.runtime.pool.execute(
        "UPDATE venues SET contact = jsonb_build_object('phone', $2::text) WHERE id = $1",
        UUID(v["id"]), old)
    assert (await client.get(f"/venues/{v['id']}")).json()["contact"]["phone"] == old
    # Changing something else announces the venue with its number as kept.
    changed = await client.patch(f"/venues/{v['id']}", headers=desk,
                                 json={"address": "Maaherrankatu 12"})
    assert changed.status_code == 200 and changed.json()["contact"]["phone"] == old
    refused = await client.patch(f"/venues/{v['id']}", headers=desk,
                                 json={"contact": {"phone": old}})
    assert refused.status_code == 422 and refused.json()["code"] == "phone"
    fine = await client.patch(f"/venues/{v['id']}", headers=desk,
                              json={"contact": {"phone": " 017 182 111 "}})
    assert fine.status_code == 200 and fine.json()["contact"]["phone"] == "017 182 111"
    # Residents' page of the venue shows what is kept.
    await client.runtime.pool.execute(
        "UPDATE venues SET contact = jsonb_build_object('phone', $2::text) WHERE id = $1",
        UUID(v["id"]), old)
    page = await client.get(f"/venues/{v['id']}/page", params={"lang": "fi"})
    assert page.status_code == 200 and old in page.text
    created = await client.post("/venues", headers=ADMIN, json={
        **KANTTI, "contact": {"phone": "0" * 31}})
    assert created.status_code == 422 and created.json()["refusals"][0]["field"] == \
        "contact.phone"
