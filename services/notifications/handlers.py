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
    await store.ensure_board(conn, domain.board_id_for_venue(event.venue_id), event.venue_id,
                             event.area, event.name.model_dump(), event.revision)


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope) -> None:
    """Put the event on its venue's board (cancelled ones stay, marked cancelled).

    The events and booking topics are not ordered with each other, so the venue's board may
    not exist yet: it is created here from the event (revision 0), and venue.registered fills
    in its name when it comes.
    """
    if event.venue_id is None:
        return  # outdoor and online activity has no venue board
    board_id = domain.board_id_for_venue(event.venue_id)
    await store.ensure_board(conn, board_id, event.venue_id, event.area, UNNAMED_BOARD, 0)
    status = ("cancelled" if isinstance(event, ActivityEventCancelled) else
              "postponed" if isinstance(event, ActivityEventPostponed) else "published")
    shown = await store.upsert_item(conn, board_id, {
        "activity_event_id": event.event_id,
        "revision": event.revision,
        "status": status,
        "name": event.name.model_dump(),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "kind": event.kind,
        "free": event.free,
    })
    if not shown:
        return  # a newer revision is already on the board: nothing was delivered
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
