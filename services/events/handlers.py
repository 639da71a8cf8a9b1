"""Kafka handlers of the events service: each turns an event into its use case, run in the
consumer's transaction together with the idempotency record of the event."""

from __future__ import annotations

from services.events import usecases
from services.events.store import EventStore
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts import (
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingMoveRefused,
    BookingNoShow,
    BookingRejected,
    RegistrationCounts,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.envelope import Envelope
from shared.uow import JoinedUnitOfWork


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_venue(JoinedUnitOfWork(conn, EventStore), clock, event)


async def on_booking_confirmed(conn: Connection, event: BookingConfirmed,
                               envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """Offer the organiser a draft activity event for the confirmed booking."""
    await usecases.draft_from_booking(JoinedUnitOfWork(conn, EventStore), clock, event)


async def on_booking_end(conn: Connection,
                         event: BookingCancelled | BookingRejected | BookingNoShow,
                         envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """The booking ended: its activity is withdrawn or cancelled."""
    await usecases.follow_booking_end(JoinedUnitOfWork(conn, EventStore), clock, event)


async def on_booking_ended(conn: Connection, event: BookingEnded,
                           envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """The booking's time is over: the address kept with its draft is not needed."""
    await usecases.forget_booking(JoinedUnitOfWork(conn, EventStore), event)


async def on_booking_moved(conn: Connection, event: BookingMoved,
                           envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """The booking holds a new time: its activity moves with it."""
    await usecases.follow_booking_move(JoinedUnitOfWork(conn, EventStore), clock, event)


async def on_move_refused(conn: Connection, event: BookingMoveRefused,
                          envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """The booking could not move: the activity keeps its time."""
    await usecases.follow_move_refusal(JoinedUnitOfWork(conn, EventStore), clock,
                                       event)


async def on_registration_counts(conn: Connection, event: RegistrationCounts,
                                 envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    """The sign-up's newest counts: the places the activity's page and the API show."""
    await usecases.record_registration_counts(JoinedUnitOfWork(conn, EventStore), clock,
                                              event)
