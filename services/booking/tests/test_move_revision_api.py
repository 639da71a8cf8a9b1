"""The API's move takes the booking's revision as the client showed it (real PostgreSQL,
whose trigger counts every change): a booking changed since is refused with 409
`booking_changed`, its time now in the details, and keeps the first move."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.booking.app import spec
from services.booking.tests.test_api import MAIJA, TOMORROW, booking, venue, z

pytestmark = pytest.mark.infra


async def test_a_move_with_a_stale_revision_is_refused_and_one_without_is_done(
        start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    made = (await client.post("/bookings", json=booking(v["spaces"][1]["id"]),
                              headers=MAIJA)).json()
    confirmed = await client.post(f"/bookings/{made['id']}/confirm", headers=desk)
    shown = confirmed.json()["revision"]
    assert shown > made["revision"]
    url = f"/bookings/{made['id']}/move"

    def to(hours: int, **extra: object) -> dict[str, object]:
        start = TOMORROW + timedelta(hours=hours)
        return {"starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(), **extra}

    first = await client.post(url, headers=desk, json=to(2, reason="A", revision=shown))
    assert first.status_code == 200, first.text
    assert first.json()["revision"] == shown + 1
    stale = await client.post(url, headers=desk, json=to(4, reason="B", revision=shown))
    assert stale.status_code == 409, stale.text
    detail = stale.json()
    assert detail["code"] == "booking_changed" and detail["revision"] == shown + 1
    assert detail["starts_at"] and (await client.get(
        f"/bookings/{made['id']}", headers=desk)).json()["starts_at"] == z(
        TOMORROW + timedelta(hours=2))
    # Without a revision, as before: the move is done.
    assert (await client.post(url, headers=desk, json=to(4, reason="C"))).status_code == 200
