"""Kafka handlers of the metrics service: facts from events, aggregates from facts."""

from __future__ import annotations

from services.metrics import domain, store
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.envelope import Envelope


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope) -> None:
    await store.upsert_venue(conn, event.venue_id, event.area, event.kind, event.revision)


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope) -> None:
    """Replace the event's fact with this revision if it is newer, and move the aggregate
    by the difference: a republished event is counted once, a stale revision changes nothing."""
    old = await store.lock_fact(conn, event.event_id)
    if old is not None and old["revision"] >= event.revision:
        return
    area = event.area
    if area is None and event.venue_id is not None:
        area = await store.venue_area(conn, event.venue_id)
    status = ("cancelled" if isinstance(event, ActivityEventCancelled) else
              "postponed" if isinstance(event, ActivityEventPostponed) else "published")
    new = domain.Fact(status, area, event.starts_at, event.ends_at)
    await store.save_fact(conn, {
        "activity_event_id": event.event_id, "revision": event.revision, "status": status,
        "area": area, "venue_id": event.venue_id, "kind": event.kind,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "booking_id": event.booking_id,
    })
    await store.apply_delta(conn, domain.delta(store.as_fact(old) if old else None, new))
