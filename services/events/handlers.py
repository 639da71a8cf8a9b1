"""Kafka handlers of the events service. Each runs in the consumer's transaction, together
with the idempotency record of the event."""

from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from services.events import domain, store
from shared.contracts import BookingConfirmed, VenueRegistered, VenueUpdated
from shared.db import Connection
from shared.envelope import Envelope


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope) -> None:
    await store.lock_venue(conn, event.venue_id)
    await store.upsert_venue(conn, event)


async def on_booking_confirmed(conn: Connection, event: BookingConfirmed,
                               envelope: Envelope) -> None:
    """Offer the organiser a draft activity event for the confirmed booking.

    The draft's id is derived from the booking id and the table is unique by booking, so a
    second `booking.confirmed` of the same booking (even a re-sent one with a new event id)
    creates nothing new.
    """
    # The venue's own event may be handled beside this one: whichever comes second sees the
    # other's work (the draft gets the area now, or when the venue arrives).
    await store.lock_venue(conn, event.venue_id)
    venue = await store.get_venue(conn, event.venue_id)
    await store.insert_event(
        conn,
        {
            "id": uuid5(NAMESPACE_URL, f"urn:kohtaamo:booking:{event.booking_id}"),
            "booking_id": event.booking_id,
            "name": {"fi": event.title},
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "kind": domain.draft_kind(event.cooperation),
            "venue_id": event.venue_id,
            "space_id": event.space_id,
            "area": venue["area"] if venue else None,
            "organiser_id": event.organiser_id,
            "owner_subject": event.organiser_subject,
            "free": event.cooperation,
        },
    )
