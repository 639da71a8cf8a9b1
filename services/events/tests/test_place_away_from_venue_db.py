"""Against PostgreSQL and Kafka: an activity moved away from its venue by its organiser, by
the API's PATCH or the organiser's form (both `update_event`), is stored without the venue
and its space, is no longer listed under the venue, and a published one's `event.updated`
on the bus says so (a tester found one switched to outdoors still under the library)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import handlers
from services.events.app import spec
from shared.contracts import (
    EVENTS_TOPIC,
    ActivityEventUpdated,
    BookingConfirmed,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
)
from tests.apps import handle
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
SUBJECT = "rantakuoro"
ORGANISER = bearer("organiser", subject=SUBJECT)
COMMS = bearer("communications", subject="viestinta")


async def _library(pool: Any) -> tuple[Any, Any, dict[str, str]]:
    """Pyörö's library with a room, and a desk of it."""
    venue_id, space_id = uuid4(), uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Pyörön kirjasto"), kind="library",
        area="kuopio.pyoro", municipality="Kuopio", revision=1,
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Ryhmätila"))]))
    return venue_id, space_id, bearer("desk", venues=(venue_id,), subject="pyoro-desk")


async def _place(pool: Any, event_id: Any) -> tuple[Any, ...]:
    row = await pool.fetchrow("SELECT place_kind, venue_id, space_id, area FROM"
                              " activity_events WHERE id = $1", event_id)
    return tuple(row)


async def test_a_published_activity_patched_outdoors_leaves_its_venue_and_says_so(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id, desk = await _library(pool)
    made = await client.post("/events", headers=ORGANISER, json={
        "name": {"fi": "Laulutuokio"}, "kind": "open_guided", "place_kind": "venue",
        "venue_id": str(venue_id), "space_id": str(space_id),
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat()})
    assert made.status_code == 201, made.text
    event_id = made.json()["id"]
    queued = await client.post(f"/events/{event_id}/publish", headers=ORGANISER)
    assert queued.json()["status"] == "awaiting_approval", queued.text
    approved = await client.post(f"/events/{event_id}/approve", headers=COMMS)
    assert approved.json()["status"] == "published", approved.text

    async def under_venue() -> list[str]:
        listed = await client.get("/events", params={"venue_id": str(venue_id)},
                                  headers=desk)
        assert listed.status_code == 200, listed.text
        return [e["id"] for e in listed.json()["items"]]

    assert await under_venue() == [event_id]

    moved = await client.patch(f"/events/{event_id}", headers=ORGANISER, json={
        "place_kind": "outdoors", "place_name": {"fi": "Pyörön uimaranta"}})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["place_kind"], body["venue_id"], body["space_id"], body["area"]) == (
        "outdoors", None, None, "kuopio.pyoro")
    assert await _place(pool, event_id) == ("outdoors", None, None, "kuopio.pyoro")
    assert await under_venue() == []

    [updated] = await events_on_topic(client.runtime, EVENTS_TOPIC, 1, keys={event_id},
                                      event_type=ActivityEventUpdated.EVENT_TYPE)
    assert (updated.data["place_kind"], updated.data["venue_id"], updated.data["space_id"],
            updated.data["area"]) == ("outdoors", None, None, "kuopio.pyoro")
    assert updated.data["revision"] == body["revision"]


async def test_a_bookings_draft_moved_online_on_the_organisers_form_leaves_its_venue(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id, desk = await _library(pool)
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=venue_id, space_id=space_id, starts_at=START,
        ends_at=START + timedelta(hours=2), title="Kuoroharjoitus", organiser_id=uuid4(),
        organiser_subject=SUBJECT)
    await handle(pool, handlers.on_booking_confirmed, booking)
    draft = await pool.fetchval("SELECT id FROM activity_events WHERE booking_id = $1",
                                booking.booking_id)
    assert await _place(pool, draft) == ("venue", venue_id, space_id, "kuopio.pyoro")
    listed = await client.get("/events", params={"venue_id": str(venue_id)}, headers=desk)
    assert [e["id"] for e in listed.json()["items"]] == [str(draft)]

    saved = await client.post(f"/my/activities/{draft}?lang=fi", headers=ORGANISER, data={
        "name.fi": "Kuoroharjoitus", "kind": "open_guided", "place_kind": "online",
        "online_url": "https://meet.example.fi/kuoro", "languages": ["fi"], "free": "1"})
    assert saved.status_code == 303, saved.text
    assert await _place(pool, draft) == ("online", None, None, "kuopio.pyoro")
    # The booking stays the activity's: only where it happens changed.
    assert await pool.fetchval("SELECT booking_id FROM activity_events WHERE id = $1",
                               draft) == booking.booking_id
    listed = await client.get("/events", params={"venue_id": str(venue_id)}, headers=desk)
    assert listed.status_code == 200 and listed.json()["items"] == []
