"""Tester #5: a loan names whom it is out to, so the desk can chase an overdue one. The loans
API and the desk's form lend through one use case: without a booking a borrower is needed
(a clear 422 naming `borrower.name`), with one the booking's contact borrows unless someone
else is named; the API answers and the desk's list of loans out say the borrower. On the
real PostgreSQL (migration 013)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from services.booking.app import spec

from .test_api import MAIJA, TOMORROW, booking, venue

pytestmark = pytest.mark.infra


async def test_a_loan_names_its_borrower_in_the_api_and_on_the_desk(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    laptops = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Kannettava"}, "quantity": 5})).json()["id"]

    def loan(hours: int = 2, **changes: Any) -> dict[str, Any]:
        return {"resource_id": laptops, "quantity": 1, "starts_at": TOMORROW.isoformat(),
                "ends_at": (TOMORROW + timedelta(hours=hours)).isoformat(), **changes}

    nobody = await client.post("/loans", headers={**desk, "Accept-Language": "sv"},
                               json=loan())
    assert nobody.status_code == 422, nobody.text
    body = nobody.json()
    assert body["code"] == "loan_borrower_needed"
    assert body["detail"][0]["loc"] == ["body", "borrower", "name"]
    assert body["message"].startswith("Ange låntagarens namn")
    odd = await client.post("/loans", headers=desk, json=loan(
        borrower={"name": "Kalle", "phone": "soita"}))
    assert odd.status_code == 422 and odd.json()["code"] == "loan_borrower_phone"
    assert odd.json()["detail"][0]["loc"] == ["body", "borrower", "phone"]
    # One rule of a phone number with the organiser's (domain.check_phone): a number has
    # five digits at least, and is at most 30 characters long.
    for phone in ("1 - - (0)", "040 123 4567 " * 3):
        bad = await client.post("/loans", headers=desk, json=loan(
            borrower={"name": "Kalle", "phone": phone}))
        assert bad.status_code == 422 and bad.json()["code"] == "loan_borrower_phone", phone
    assert (await client.post("/loans", headers=desk, json=loan(
        borrower={"name": "Kalle", "email": "kalle@"}))).status_code == 422

    named = await client.post("/loans", headers=desk, json=loan(borrower={
        "name": " Kalle Kirjastolainen ", "phone": "+358 40 123 4567"}))
    assert named.status_code == 201, named.text
    assert named.json()["borrower"] == {"name": "Kalle Kirjastolainen",
                                        "phone": "+358 40 123 4567", "email": None}
    # For a booking: its contact borrows, as the API says back and the desk reads.
    asked = (await client.post("/bookings", headers=MAIJA, json={
        **booking(stage, hours=3), "title": "Lukupiiri"})).json()
    theirs = await client.post("/loans", headers=MAIJA, json=loan(booking_id=asked["id"]))
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["borrower"] == {"name": "Maija Meikäläinen", "phone": None,
                                         "email": "maija@example.fi"}
    back = await client.post(f"/loans/{named.json()['id']}/return", headers=desk)
    assert back.json()["borrower"]["name"] == "Kalle Kirjastolainen"

    again = await client.post("/loans", headers=desk, json=loan(3, borrower={
        "name": "Liisa", "email": "liisa@example.fi"}))
    assert again.status_code == 201
    page = await client.get("/desk/loans", headers=desk,
                            params={"venue_id": v["id"], "lang": "en"})
    rows = page.text.split('class="loan')[1:]
    assert "Maija Meikäläinen" in rows[0] and "For the booking: Lukupiiri" in rows[0]
    assert "Liisa" in rows[1] and 'href="mailto:liisa@example.fi"' in rows[1]
    assert "Kalle" not in page.text  # returned: no longer out
    stored = await client.runtime.pool.fetch(
        "SELECT borrower_name, borrower_phone, booking_id FROM resource_loans"
        " ORDER BY created_at")
    assert [tuple(r) for r in stored] == [
        ("Kalle Kirjastolainen", "+358 40 123 4567", None),
        (None, None, UUID(asked["id"])),  # the booking's contact, read from the booking
        ("Liisa", None, None)]


async def test_the_openapi_says_a_loan_needs_a_borrower_without_a_booking(
        start_service) -> None:
    client = await start_service(spec)
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    borrower = schemas["LoanIn"]["properties"]["borrower"]
    assert "Required without `booking_id`" in borrower["description"]
    assert "loan_borrower_needed" in borrower["description"]
    assert schemas["BorrowerIn"]["required"] == ["name"]
    assert "borrower" in schemas["LoanOut"]["properties"]
