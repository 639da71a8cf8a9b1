"""Kafka handlers of the notifications service: venues get boards, activity events go on them."""

from __future__ import annotations

from services.notifications import domain, store
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    NotificationDelivered,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.envelope import Envelope
from shared.outbox import enqueue

BOARD = "notice_board"
#: Until venue.registered names it, a board created by an activity event is called this.
UNNAMED_BOARD = {"fi": "Ilmoitustaulu", "sv": "Anslagstavla", "en": "Notice board"}


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope) -> None:
    """Make the venue's board, or refresh its name, area and spaces from a newer venue copy;
    a stale copy (older venue revision) changes nothing."""
    spaces = {str(s.space_id): s.name.model_dump() for s in event.spaces}
    await store.ensure_board(conn, domain.board_id_for_venue(event.venue_id), event.venue_id,
                             event.area, event.name.model_dump(), event.revision, spaces)


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope) -> None:
    """Put the event on its venue's board (cancelled and postponed ones stay, marked).

    Ordering: the events and booking topics are not ordered with each other, so the venue's
    board may not exist yet. It is then created here, keyed by the venue (its id is derived
    from the venue id, domain.board_id_for_venue), with the event's area and a placeholder
    name at venue revision 0; venue.registered (revision >= 1) names it when it comes.

    Idempotency: only a revision newer than the newest one applied for this event does
    anything (store.advance_event); the same revision again, under any envelope id, and stale
    copies are no-ops. The delivery row's key is deterministic from (event, channel, target,
    revision), so even a replay into a database that lost activity_events adds no second
    delivery.
    """
    status = ("cancelled" if isinstance(event, ActivityEventCancelled) else
              "postponed" if isinstance(event, ActivityEventPostponed) else "published")
    if not await store.advance_event(conn, event.event_id, event.revision, status,
                                     event.venue_id, event.area):
        return  # a duplicate or a stale copy
    if event.venue_id is None:
        # Outdoor and online activity has no venue board; if it had one, it leaves it.
        await store.withdraw_elsewhere(conn, event.event_id, None, event.revision)
        return
    board_id = domain.board_id_for_venue(event.venue_id)
    await store.ensure_board(conn, board_id, event.venue_id, event.area, UNNAMED_BOARD, 0)
    await store.withdraw_elsewhere(conn, event.event_id, board_id, event.revision)
    shown = await store.upsert_item(conn, board_id, {
        "activity_event_id": event.event_id,
        "revision": event.revision,
        "status": status,
        "name": event.name.model_dump(),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "kind": event.kind,
        "free": event.free,
        "space_id": event.space_id,
    })
    if not shown:
        return  # a newer revision is already on the board: nothing was delivered
    # The board is pulled, so what is in its feed is delivered: published at once. A
    # cancellation is a delivery too (the board shows it cancelled), under its own revision.
    delivery_id = await store.record_delivery(
        conn,
        activity_event_id=event.event_id,
        channel=BOARD,
        target=str(board_id),
        revision=event.revision,
        key=domain.idempotency_key(event.event_id, BOARD, str(board_id), event.revision),
        status="published",
    )
    if delivery_id is not None:
        await enqueue(conn, NotificationDelivered(
            delivery_id=delivery_id, activity_event_id=event.event_id, revision=event.revision,
            channel=BOARD, area=event.area, venue_id=event.venue_id, starts_at=event.starts_at))
