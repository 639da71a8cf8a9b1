"""Kafka handlers of the metrics service: facts from events, aggregates from facts."""

from __future__ import annotations

from services.metrics import domain, store
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingNoShow,
    BookingRejected,
    NotificationDelivered,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.envelope import Envelope


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope) -> None:
    await store.upsert_venue(conn, event)


async def on_booking(conn: Connection,
                     event: BookingConfirmed | BookingCancelled | BookingRejected | BookingNoShow,
                     envelope: Envelope) -> None:
    """Booked hours for space utilisation (no personal data: ids and times only)."""
    await store.booking_change(conn, booking_id=event.booking_id, space_id=event.space_id,
                               venue_id=event.venue_id, starts_at=event.starts_at,
                               ends_at=event.ends_at,
                               confirmed=isinstance(event, BookingConfirmed))


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope) -> None:
    """Replace the event's fact with this revision if it is newer, and move the aggregates
    by the difference: a republished event is counted once, a stale revision changes nothing.
    Three statements: the event's lock, the fact's save (returning what was there before),
    and the aggregates' change, which PostgreSQL applies at COMMIT (store.apply_delta)."""
    await store.lock_activity_event(conn, event.event_id)
    status = ("cancelled" if isinstance(event, ActivityEventCancelled) else
              "postponed" if isinstance(event, ActivityEventPostponed) else "published")
    saved = await store.save_fact_if_newer(conn, {
        "activity_event_id": event.event_id, "revision": event.revision, "status": status,
        "area": event.area, "venue_id": event.venue_id, "kind": event.kind,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "booking_id": event.booking_id,
        "organiser_id": event.organiser_id, "topics": list(event.topics),
        "audiences": list(event.audiences),
    })
    if saved.written is None:  # the stored revision is as new or newer
        return
    old = store.as_fact(saved.fact, saved.attendance) if saved.fact else None
    await store.apply_delta(conn, domain.delta(old, store.as_fact(saved.written,
                                                                  saved.attendance)))


async def on_attendance(conn: Connection, event: AttendanceReported,
                        envelope: Envelope) -> None:
    """The newest report counts; the fact moves from planned to held, in its own month."""
    await store.lock_activity_event(conn, event.event_id)
    saved = await store.save_attendance_if_newer(conn, event.event_id, event.report_revision,
                                                 event.participants, event.visitors)
    if saved.written is None:  # the stored report is as new or newer
        return
    if saved.fact is not None:  # else it counts once its activity event arrives
        await store.apply_delta(conn, domain.delta(store.as_fact(saved.fact, saved.attendance),
                                                   store.as_fact(saved.fact, saved.written)))


async def on_delivery(conn: Connection, event: NotificationDelivered,
                      envelope: Envelope) -> None:
    """Count each delivery once, for the activity's area and month."""
    area = event.area
    if area is None and event.venue_id is not None:
        area = await store.venue_area(conn, event.venue_id)
    month = domain.month_of(event.starts_at)
    inserted = await conn.fetchval(
        """INSERT INTO delivery_facts (delivery_id, activity_event_id, channel, area, month)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
        event.delivery_id, event.activity_event_id, event.channel,
        area or domain.UNKNOWN_AREA, month)
    if inserted:
        await conn.execute(
            """INSERT INTO area_month_reach AS r (area, month, channel, deliveries)
               VALUES ($1, $2, $3, 1)
               ON CONFLICT (area, month, channel) DO UPDATE SET deliveries = r.deliveries + 1""",
            area or domain.UNKNOWN_AREA, month, event.channel)
