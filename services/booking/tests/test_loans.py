"""Loans (issue #13): planned like bookings (never in the past, never beyond the horizon, at
most a month), only for the borrower's own booking or by the venue's desk, and cancelled or
returned so their units are free again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.booking.app import spec
from tests.infra import bearer

from .test_api import MAIJA, MATTI, TOMORROW, booking, venue

pytestmark = pytest.mark.infra


async def test_loans_follow_bookings_rules_and_can_be_cancelled_and_returned(
    start_service,
) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    other_desk = bearer("desk", venues=("00000000-0000-0000-0000-000000000002",),
                        subject="other")
    stage = v["spaces"][1]["id"]
    resource = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Chromebook"}, "quantity": 5})).json()
    mine = (await client.post("/bookings", json=booking(stage, hours=3), headers=MAIJA)).json()

    def loan(qty: int = 5, start: datetime = TOMORROW, hours: float = 2,
             **changes: Any) -> dict[str, Any]:
        return {"resource_id": resource["id"], "quantity": qty, "booking_id": mine["id"],
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=hours)).isoformat(), **changes}

    async def lend(body: dict[str, Any], who: dict[str, str] = MAIJA) -> Any:
        return await client.post("/loans", json=body, headers=who)

    # Time: never in the past, never beyond the horizon, not until 9999, at most a month.
    past = datetime.now(UTC) - timedelta(days=2)
    assert (await lend(loan(start=past), desk)).status_code == 422
    assert (await lend(loan(ends_at="9999-12-31T00:00:00Z"))).status_code == 422
    assert (await lend(loan(booking_id=None, start=TOMORROW + timedelta(days=400)),
                       desk)).status_code == 422
    assert (await lend(loan(booking_id=None, hours=24 * 40), desk)).status_code == 422
    # Within the booking's own time.
    assert (await lend(loan(hours=5))).status_code == 422
    # Only the borrower's own booking, or the venue's desk.
    assert (await lend(loan(), MATTI)).status_code == 403
    assert (await lend(loan(booking_id=None), MATTI)).status_code == 403
    assert (await lend(loan(), other_desk)).status_code == 403
    made = await lend(loan())
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "active"
    assert (await lend(loan(qty=1), desk)).status_code == 409  # all five are out

    # The borrower cancels: the units are free again; not twice, not by someone else.
    loan_id = made.json()["id"]
    assert (await client.post(f"/loans/{loan_id}/cancel", headers=MATTI)).status_code == 403
    cancelled = await client.post(f"/loans/{loan_id}/cancel", headers=MAIJA)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await client.post(f"/loans/{loan_id}/cancel", headers=MAIJA)).status_code == 409
    # The desk lends for the booking and takes the things back; the organiser cannot
    # mark them returned.
    again = (await lend(loan(qty=3), desk)).json()
    assert (await client.post(f"/loans/{again['id']}/return", headers=MAIJA)).status_code \
        == 403
    returned = await client.post(f"/loans/{again['id']}/return", headers=desk)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert (await lend(loan(qty=5))).status_code == 201

    # A cancelled booking's loans are cancelled with it.
    assert (await client.post(f"/bookings/{mine['id']}/cancel", headers=desk,
                              json={"reason": "sairastuminen"})).status_code == 200
    statuses = await client.runtime.pool.fetch(
        "SELECT status FROM resource_loans WHERE booking_id = $1 ORDER BY created_at",
        UUID(mine["id"]))
    assert [r["status"] for r in statuses] == ["cancelled", "returned", "cancelled"]
    assert (await lend(loan(qty=1, booking_id=None), desk)).status_code == 422  # to whom?
    assert (await lend(loan(qty=1, booking_id=None, borrower={"name": "Kalle"}),
                       desk)).status_code == 201


async def test_the_desk_page_lists_the_venues_loans_out_soonest_due_first(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    resource = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Kannettava", "sv": "Bärbar dator"}, "quantity": 3})).json()
    for hours, qty in ((5, 1), (2, 2)):
        lent = await client.post("/loans", headers=desk, json={
            "resource_id": resource["id"], "quantity": qty, "borrower": {"name": "Kalle"},
            "starts_at": TOMORROW.isoformat(),
            "ends_at": (TOMORROW + timedelta(hours=hours)).isoformat()})
        assert lent.status_code == 201, lent.text
    page = await client.get("/desk/loans", headers=desk,
                            params={"venue_id": v["id"], "lang": "sv"})
    assert page.status_code == 200
    assert [m for m in re.findall(r"<td>Bärbar dator × (\d)</td>", page.text)] == ["2", "1"]
