"""Kafka handlers of the booking service: what the activity events ask of their bookings
(ADR 0003), each run in the consumer's transaction with the idempotency record of the event."""

from __future__ import annotations

from services.booking import usecases
from services.booking.store import BookingStore
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts import ActivityEventCancelled, BookingMoveRequested
from shared.db import Connection
from shared.envelope import Envelope
from shared.uow import JoinedUnitOfWork


async def on_move_requested(conn: Connection, event: BookingMoveRequested,
                            envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """An activity with a booking was rescheduled: move the booking, or say why not."""
    await usecases.move_on_request(JoinedUnitOfWork(conn, BookingStore), clock, event)


async def on_activity_cancelled(conn: Connection, event: ActivityEventCancelled,
                                envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """The organiser cancelled the activity and freed its booking."""
    await usecases.release_for_cancelled_activity(JoinedUnitOfWork(conn, BookingStore),
                                                  clock, event)
