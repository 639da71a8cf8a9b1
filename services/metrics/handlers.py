"""Kafka handlers of the metrics service: each turns a consumed event into its use case, in
the idempotent consumer's transaction (so the effect commits with the event's id)."""

from __future__ import annotations

from services.metrics import usecases
from services.metrics.store import MetricsStore
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts import (
    ActivityEventChange,
    AttendanceReported,
    NotificationDelivered,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.db import Connection
from shared.envelope import Envelope
from shared.uow import JoinedUnitOfWork


def _uow(conn: Connection) -> JoinedUnitOfWork[MetricsStore]:
    return JoinedUnitOfWork(conn, MetricsStore)


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_venue(_uow(conn), clock, event)


async def on_booking(conn: Connection, event: usecases.BookingEvent,
                     envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_booking(_uow(conn), clock, event)


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_activity_event(_uow(conn), clock, event)


async def on_attendance(conn: Connection, event: AttendanceReported,
                        envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_attendance(_uow(conn), clock, event)


async def on_delivery(conn: Connection, event: NotificationDelivered,
                      envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_delivery(_uow(conn), clock, event)


async def on_vocabulary_term(conn: Connection, event: VocabularyTermSet,
                             envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.keep_vocabulary_term(_uow(conn), clock, event)
