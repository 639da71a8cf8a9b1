"""Kafka handlers of the events service: each turns an event into its use case, run in the
consumer's transaction together with the idempotency record of the event."""

from __future__ import annotations

from services.events import usecases
from services.events.store import EventStore
from shared.clock import SYSTEM_CLOCK
from shared.contracts import BookingConfirmed, VenueRegistered, VenueUpdated
from shared.db import Connection
from shared.envelope import Envelope
from shared.uow import JoinedUnitOfWork


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope) -> None:
    await usecases.record_venue(JoinedUnitOfWork(conn, EventStore), SYSTEM_CLOCK, event)


async def on_booking_confirmed(conn: Connection, event: BookingConfirmed,
                               envelope: Envelope) -> None:
    """Offer the organiser a draft activity event for the confirmed booking."""
    await usecases.draft_from_booking(JoinedUnitOfWork(conn, EventStore), SYSTEM_CLOCK, event)
