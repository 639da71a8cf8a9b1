"""Kafka handlers of the guide: each turns a consumed event into its use case, in the
idempotent consumer's transaction (so the index changes with the event's id)."""

from __future__ import annotations

from services.guide import usecases
from services.guide.store import GuideStore
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts import ActivityEventChange, VenueRegistered, VenueUpdated
from shared.db import Connection
from shared.envelope import Envelope
from shared.uow import JoinedUnitOfWork


def _uow(conn: Connection) -> JoinedUnitOfWork[GuideStore]:
    return JoinedUnitOfWork(conn, GuideStore)


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_venue(_uow(conn), clock, event)


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.record_activity(_uow(conn), clock, event)
