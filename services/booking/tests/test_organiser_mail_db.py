"""Issues #15 and #16 in the booking service on the real PostgreSQL: the booking's revision
(migration 006's trigger) grows with each change, and the events that tell the change carry
it; a confirmed booking whose time is over is announced once (`booking.ended`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.booking import jobs
from services.booking.app import spec
from services.booking.tests.test_api import MAIJA, TOMORROW, booking, venue
from shared.contracts import BOOKING_TOPIC
from tests.infra import events_on_topic

pytestmark = pytest.mark.infra


async def _told(client: Any, booking_id: str, expect: int
                ) -> list[tuple[str, dict[str, Any]]]:
    """What the service told of the booking on the bus: (kind, data), in order."""
    events = await events_on_topic(client.runtime, BOOKING_TOPIC, expect, keys={booking_id})
    return [(e.type.split(".")[-2], e.data) for e in events]


async def test_each_change_is_told_with_the_revision_the_database_counted(
        start_service: Any) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    booking_id = (await client.post("/bookings", json=booking(stage), headers=MAIJA)).json()["id"]
    assert (await client.post(f"/bookings/{booking_id}/confirm", headers=desk)).status_code == 200
    later = TOMORROW + timedelta(days=1)
    moved = await client.post(f"/bookings/{booking_id}/move", headers=desk, json={
        "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat(),
        "reason": "remontti"})
    assert moved.status_code == 200, moved.text
    cancelled = await client.post(f"/bookings/{booking_id}/cancel", headers=desk,
                                  json={"reason": "vesivahinko"})
    assert cancelled.status_code == 200, cancelled.text

    told = await _told(client, booking_id, 4)
    assert [kind for kind, _ in told] == ["requested", "confirmed", "moved", "cancelled"]
    revisions = [payload["revision"] for _, payload in told]
    assert revisions == sorted(set(revisions)), revisions
    kept = await client.runtime.pool.fetchval(
        "SELECT revision FROM bookings WHERE id = $1::uuid", booking_id)
    assert revisions[-1] == kept
    # Staffed hours: no door code on the bus.
    assert all(payload.get("access_code") is None for _, payload in told)


async def test_a_confirmed_booking_that_ended_is_announced_once(start_service: Any) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    ids = []
    for days in (2, 3):
        created = await client.post("/bookings", headers=MAIJA, json=booking(
            stage, TOMORROW + timedelta(days=days)))
        ids.append(created.json()["id"])
        assert (await client.post(f"/bookings/{ids[-1]}/confirm", headers=desk)
                ).status_code == 200
    held, dropped = ids
    assert (await client.post(f"/bookings/{dropped}/cancel", headers=desk,
                              json={"reason": "sairastuminen"})).status_code == 200
    # Both happened yesterday evening (as if the clock had run on).
    await client.runtime.pool.execute(
        """UPDATE bookings SET during = tstzrange(now() - interval '26 hours',
                                                 now() - interval '24 hours', '[)')
           WHERE id = ANY($1::uuid[])""", ids)
    assert await jobs.announce_endings(client.runtime) == 1
    assert await jobs.announce_endings(client.runtime) == 0  # once
    ended = [payload for kind, payload in await _told(client, held, 3) if kind == "ended"]
    assert [(p["contact_email"], p["contact_language"], p["checked_in"]) for p in ended] == [
        ("maija@example.fi", "fi", False)]
    assert not [kind for kind, _ in await _told(client, dropped, 3) if kind == "ended"]
