"""Booking API against the real PostgreSQL and Kafka (service started in-process)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.booking.app import spec
from shared.contracts import BOOKING_TOPIC
from shared.envelope import Envelope
from tests.infra import Infra, eventually, read_topic

pytestmark = pytest.mark.infra

TOMORROW = (datetime.now(UTC) + timedelta(days=1)).replace(hour=15, minute=0, second=0,
                                                           microsecond=0)

KANTTI = {
    "name": {"fi": "KANTTI", "sv": "KANTTI", "en": "KANTTI"},
    "kind": "library",
    "area": "kuopio.keskusta",
    "municipality": "Kuopio",
    "has_paid_space": True,
    "spaces": [
        {"name": {"fi": "Kokoussali"}, "capacity": 40, "paid": True},
        {"name": {"fi": "Lastenosaston lava"}, "capacity": 60},
    ],
}


def booking(space_id: str, start: datetime = TOMORROW, hours: float = 2,
            **changes: Any) -> dict[str, Any]:
    body = {
        "space_id": space_id,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(),
        "title": "Lukupiiri",
        "organiser": {"name": "Maija Meikäläinen", "email": "maija@example.fi"},
        "accept_house_rules": True,
    }
    body.update(changes)
    return body


async def test_register_book_confirm_publishes_each_step(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(spec)
    venue = (await client.post("/venues", json=KANTTI)).json()
    assert [s["name"]["fi"] for s in venue["spaces"]] == ["Kokoussali", "Lastenosaston lava"]
    hall = venue["spaces"][0]["id"]

    created = await client.post("/bookings", json=booking(hall))
    assert created.status_code == 201, created.text
    booking_id = created.json()["id"]
    assert created.json()["status"] == "requested"

    confirmed = await client.post(f"/bookings/{booking_id}/confirm")
    assert confirmed.status_code == 200
    assert [h["status"] for h in confirmed.json()["history"]] == ["requested", "confirmed"]
    again = await client.post(f"/bookings/{booking_id}/confirm")
    assert again.status_code == 409

    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=3)
    envelopes = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert sorted(e.type for e in envelopes) == [
        "fi.kohtaamo.booking.confirmed.v1",
        "fi.kohtaamo.booking.requested.v1",
        "fi.kohtaamo.venue.registered.v1",
    ]
    for e in envelopes:
        # No personal data on the bus: the organiser is a pseudonymous id.
        assert "maija" not in str(e.data).lower()


async def test_overlapping_request_gets_409_with_the_conflicting_slot(start_service) -> None:
    client = await start_service(spec)
    hall = (await client.post("/venues", json=KANTTI)).json()["spaces"][0]["id"]
    assert (await client.post("/bookings", json=booking(hall))).status_code == 201
    clash = await client.post("/bookings", json=booking(hall, TOMORROW + timedelta(hours=1)))
    assert clash.status_code == 409
    assert clash.json()["conflicts"] == [{
        "starts_at": TOMORROW.isoformat(),
        "ends_at": (TOMORROW + timedelta(hours=2)).isoformat(),
    }]
    # Back to back is not an overlap: ranges are half-open.
    after = await client.post("/bookings", json=booking(hall, TOMORROW + timedelta(hours=2)))
    assert after.status_code == 201


async def test_concurrent_requests_for_one_slot_exactly_one_wins(start_service) -> None:
    client = await start_service(spec, db_pool_max=20)
    hall = (await client.post("/venues", json=KANTTI)).json()["spaces"][0]["id"]
    # Every pair overlaps: starts lie within 98 minutes and each booking lasts two hours.
    starts = [TOMORROW + timedelta(minutes=2 * i) for i in range(50)]
    answers = await asyncio.gather(*[
        client.post("/bookings", json=booking(hall, s, organiser={
            "name": f"Järjestäjä {i}", "email": f"j{i}@example.fi"}))
        for i, s in enumerate(starts)])
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 49
    winner = next(a.json() for a in answers if a.status_code == 201)
    for loser in (a for a in answers if a.status_code == 409):
        assert loser.json()["conflicts"][0]["starts_at"] == \
            datetime.fromisoformat(winner["starts_at"]).isoformat()


async def test_bad_input_is_refused_readably(start_service) -> None:
    client = await start_service(spec)
    venue = (await client.post("/venues", json={**KANTTI, "has_paid_space": False,
                                                "area": "kuopio.jynkka"})).json()
    free_room = venue["spaces"][1]["id"]

    paid_in_branch = await client.post("/bookings", json=booking(free_room, cooperation=False))
    assert paid_in_branch.status_code == 422
    assert paid_in_branch.json()["detail"][0]["loc"] == ["body", "cooperation"]
    assert "no paid space" in paid_in_branch.json()["detail"][0]["msg"]

    backwards = await client.post("/bookings", json=booking(free_room, hours=-1))
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["body", "ends_at"]

    naive = booking(free_room)
    naive["starts_at"] = "2026-12-01T10:00:00"
    assert (await client.post("/bookings", json=naive)).status_code == 422

    bad_email = booking(free_room, organiser={"name": "X", "email": "not-an-email"})
    assert (await client.post("/bookings", json=bad_email)).status_code == 422

    unknown = booking("00000000-0000-0000-0000-000000000000")
    assert (await client.post("/bookings", json=unknown)).status_code == 404
    assert (await client.get("/bookings/not-a-uuid")).status_code == 422
    assert (await client.post("/venues", json={"name": {"fi": "X"}})).status_code == 422


async def test_health_reports_database_and_kafka(start_service) -> None:
    client = await start_service(spec)
    live = await client.get("/health/live")
    assert live.status_code == 200
    ready = await eventually(lambda: _ready(client))
    assert ready["database"] == "ok" and ready["kafka"] == "ok"
    assert ready["outbox_relay"] == "active"


async def _ready(client) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    r = await client.get("/health/ready")
    body: dict[str, Any] = r.json()
    return body if r.status_code == 200 and body["outbox_relay"] == "active" else None
