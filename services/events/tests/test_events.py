"""Events service handlers and API on the real database and broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.events import handlers
from services.events.app import spec
from shared.contracts import (
    EVENTS_TOPIC,
    BookingConfirmed,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
    VenueUpdated,
)
from shared.envelope import Envelope
from tests.infra import Infra, read_topic

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)


def venue(revision: int, area: str) -> VenueRegistered:
    cls = VenueRegistered if revision == 1 else VenueUpdated
    return cls(venue_id=VENUE, name=LocalizedText(fi="Pyörön kirjasto"), kind="library",
               area=area, municipality="Kuopio", revision=revision,
               spaces=[SpaceInfo(space_id=uuid4(), name=LocalizedText(fi="Ryhmätila"))])


VENUE = uuid4()


async def handle(pool, handler, event) -> None:  # type: ignore[no-untyped-def]
    async with pool.acquire() as conn, conn.transaction():
        await handler(conn, event, event.to_envelope())


async def test_venue_read_model_ignores_stale_revisions(start_service) -> None:
    pool = (await start_service(spec)).runtime.pool
    await handle(pool, handlers.on_venue, venue(2, "kuopio.pyoro"))
    await handle(pool, handlers.on_venue, venue(1, "kuopio.vanha"))
    assert await pool.fetchval("SELECT area FROM venues WHERE venue_id = $1", VENUE) == \
        "kuopio.pyoro"


async def test_a_booking_gives_exactly_one_draft_however_often_it_is_confirmed(
    start_service,
) -> None:
    pool = (await start_service(spec)).runtime.pool
    await handle(pool, handlers.on_venue, venue(1, "kuopio.pyoro"))
    confirmed = BookingConfirmed(
        booking_id=uuid4(), venue_id=VENUE, space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title="Lautapeli-ilta", organiser_id=uuid4())
    await handle(pool, handlers.on_booking_confirmed, confirmed)
    await handle(pool, handlers.on_booking_confirmed, confirmed)  # new envelope, same booking
    rows = await pool.fetch("SELECT status, area, name FROM activity_events")
    assert [(r["status"], r["area"], r["name"]["fi"]) for r in rows] == [
        ("draft", "kuopio.pyoro", "Lautapeli-ilta")]


async def test_create_publish_cancel_through_the_api(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(spec)
    body = {"name": {"fi": "Satutuokio", "en": "Story time"}, "kind": "open_guided",
            "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat(), "area": "kuopio.jynkka"}
    created = await client.post("/events", json=body)
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["revision"] == 0

    edited = await client.patch(f"/events/{event_id}",
                                json={"name": {"fi": "Satutuokio lapsille"}})
    assert edited.json()["name"]["fi"] == "Satutuokio lapsille"

    published = await client.post(f"/events/{event_id}/publish")
    assert published.status_code == 200 and published.json()["revision"] == 1
    assert (await client.post(f"/events/{event_id}/publish")).status_code == 409
    assert (await client.patch(f"/events/{event_id}", json={"kind": "digital"})).status_code \
        == 409
    cancelled = await client.post(f"/events/{event_id}/cancel", json={"reason": "sairastuminen"})
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["revision"] == 2

    records = await read_topic(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, expect=2)
    envelopes = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert [(e.type, e.data["revision"]) for e in envelopes] == [
        ("fi.kohtaamo.event.published.v1", 1), ("fi.kohtaamo.event.cancelled.v1", 2)]
    assert {e.partitionkey for e in envelopes} == {event_id}


async def test_bad_input(start_service) -> None:
    client = await start_service(spec)
    base = {"name": {"fi": "x"}, "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat()}
    backwards = await client.post("/events", json={**base, "ends_at": START.isoformat()})
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["body", "ends_at"]
    unknown_venue = await client.post("/events", json={**base, "venue_id": str(uuid4())})
    assert unknown_venue.status_code == 422
    assert "unknown venue" in unknown_venue.json()["detail"][0]["msg"]
    assert (await client.post("/events", json={**base, "name": {"sv": "x"}})).status_code == 422
    assert (await client.post("/events", json={**base, "kind": "rave"})).status_code == 422
    assert (await client.get(f"/events/{uuid4()}")).status_code == 404
    assert (await client.post(f"/events/{uuid4()}/publish")).status_code == 404
    assert (await client.get("/events", params={"limit": 1000})).status_code == 422
