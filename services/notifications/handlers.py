"""Kafka handlers of the notifications service.

Venues get boards; each change of an activity event goes on the boards of its venue and area
and plans posts on every social account that covers it; a booking's confirmation, rejection
or cancellation plans an email to its organiser. Handlers only plan (rows in `deliveries`, in
the consumer's transaction); the sender (jobs.py) posts, so a slow platform never holds up
the consumer and a crash never loses a post.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from services.notifications import domain, rendering, store
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    BookingCancelled,
    BookingConfirmed,
    BookingRejected,
    LocalizedText,
    NotificationDelivered,
    NotificationFailed,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.envelope import Envelope
from shared.outbox import enqueue, outbox_rows

BOARD = "notice_board"
#: Until venue.registered names it, a board created by an activity event is called this.
UNNAMED_BOARD = {"fi": "Ilmoitustaulu", "sv": "Anslagstavla", "en": "Notice board"}


def public_events_url() -> str:
    """Where residents open an activity event's page (the events service's public address)."""
    return os.environ.get("KOHTAAMO_PUBLIC_EVENTS_URL", "http://127.0.0.1:8002")


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope) -> None:
    """Make the venue's board, or refresh its name, area and spaces from a newer venue copy;
    a stale copy (older venue revision) changes nothing."""
    spaces = {str(s.space_id): s.name.model_dump() for s in event.spaces}
    await store.ensure_board(conn, domain.board_id_for_venue(event.venue_id), event.venue_id,
                             event.area, event.name.model_dump(), event.revision, spaces)


def _change(event: ActivityEventChange) -> tuple[str, str]:
    """(what happened, the status it leaves the activity in)."""
    if isinstance(event, ActivityEventCancelled):
        return "cancelled", "cancelled"
    if isinstance(event, ActivityEventPostponed):
        return "postponed", "postponed"
    if isinstance(event, ActivityEventRescheduled):
        return "rescheduled", "published"
    if isinstance(event, ActivityEventPublished):
        return "published", "published"
    return "updated", "published"


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope) -> None:
    """Show the activity on its boards and plan its posts.

    Idempotency: only a revision newer than the newest one applied for this event does
    anything (store.advance_event_for_planning); the same revision again, under any envelope
    id, and stale copies are no-ops. Delivery keys are deterministic from (event, channel, target,
    revision), so even a replay into a database that lost activity_events adds no second
    delivery.
    """
    change, status = _change(event)
    venue_board = (domain.board_id_for_venue(event.venue_id)
                   if event.venue_id is not None else None)
    # The revision check, the event's boards and the social accounts: one round trip.
    advanced = await store.advance_event_for_planning(
        conn, event.event_id, event.revision, status, event.venue_id, event.area,
        event.model_dump(mode="json"), venue_board, event.kind)
    if advanced is None:
        return  # a duplicate or a stale copy
    boards = advanced.boards
    if (event.venue_id is not None and venue_board is not None
            and not (boards and boards[0]["id"] == venue_board)):
        # The events and booking topics are not ordered with each other, so the venue's
        # board may not exist yet: it is created here and venue.registered names it later.
        await store.ensure_board(conn, venue_board, event.venue_id, event.area,
                                 UNNAMED_BOARD, 0)
        boards = await store.boards_for(conn, venue_board, event.area, event.kind)
    place = _place(boards[0] if venue_board is not None else None, event)
    # An event seen for the first time was on no board and has nothing planned yet.
    first_time = advanced.seen == "new"
    await _show_on_boards(conn, event, status, place, boards, venue_board, first_time)
    await _plan_posts(conn, event, change, status, place, first_time, advanced.accounts)


def _venue_place(venue_board: dict[str, Any] | None,
                 space_id: UUID | None) -> LocalizedText | None:
    """The venue's and space's names in every language, once the venue has told them."""
    if venue_board is None or not domain.place(venue_board, space_id, "fi"):
        return None
    return LocalizedText(**{lang: domain.place(venue_board, space_id, lang)
                            for lang in ("fi", "sv", "en")})


def _place(venue_board: dict[str, Any] | None,
           event: ActivityEventChange) -> LocalizedText | None:
    """Where the activity is, in every language: its venue and space when the venue has told
    their names, else the place the event names (a park, a square)."""
    return _venue_place(venue_board, event.space_id) or event.place_name


async def _show_on_boards(conn: Connection, event: ActivityEventChange, status: str,
                          place: LocalizedText | None, boards: list[dict[str, Any]],
                          venue_board: UUID | None, first_time: bool) -> None:
    """Boards are pulled, so what is in a board's feed is delivered: published at once. A
    cancellation is a delivery too (the board shows it cancelled), under its own revision.
    A venue's board may show only some kinds of activity; area boards were chosen by kind."""
    shown_on = [b["id"] for b in boards if b["id"] != venue_board
                or b["kinds"] is None or event.kind in b["kinds"]]
    if not first_time:
        await store.withdraw_elsewhere(conn, event.event_id, shown_on, event.revision)
    for board_id in shown_on:
        delivery_id = uuid4()
        delivered = NotificationDelivered(
            delivery_id=delivery_id, activity_event_id=event.event_id,
            revision=event.revision, channel=BOARD, area=event.area, venue_id=event.venue_id,
            starts_at=event.starts_at)
        # Nothing is written when a newer revision is already on the board or the delivery
        # was recorded before (its key is deterministic): nothing new was delivered.
        await store.show_on_board(conn, board_id, {
            "activity_event_id": event.event_id,
            "revision": event.revision,
            "status": status,
            "name": event.name.model_dump(),
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "kind": event.kind,
            "free": event.free,
            "registration_required": event.registration_required,
            "space_id": event.space_id,
            "place": place.model_dump() if place else None,
        }, delivery_id,
            domain.idempotency_key(event.event_id, BOARD, str(board_id), event.revision),
            outbox_rows([delivered]))


def _view(event: ActivityEventChange, place: LocalizedText | None) -> rendering.ActivityView:
    previous = event if isinstance(event, ActivityEventRescheduled) else None
    return rendering.ActivityView(
        name=event.name, starts_at=event.starts_at, ends_at=event.ends_at, place=place,
        short_description=event.short_description, free=event.free,
        registration_required=event.registration_required,
        online=event.place_kind in ("online", "hybrid"), image_url=event.image_url,
        image_alt=event.image_alt,
        page_url=rendering.event_page_url(public_events_url(), event.event_id),
        previous_starts_at=previous.previous_starts_at if previous else None,
        previous_ends_at=previous.previous_ends_at if previous else None,
    )


async def _plan_posts(conn: Connection, event: ActivityEventChange, change: str, status: str,
                      place: LocalizedText | None, first_time: bool,
                      social_accounts: list[dict[str, Any]]) -> None:
    """Drop what was waiting to be posted about an older revision, then plan this revision's
    posts on every account of `social_accounts` (store.Advanced.accounts) that covers the
    activity (domain.plan_posts)."""
    if not first_time:
        await store.cancel_waiting(conn, activity_event_id=event.event_id)
    announced = set() if first_time else await store.announced_accounts(conn, event.event_id)
    # An account that announced the activity also hears of its change or cancellation after
    # the activity moved out of what the account covers: its readers saw the old details.
    accounts = [(a, matches) for a in social_accounts
                if (matches := domain.account_matches(a, event.area, event.venue_id,
                                                      event.kind)) or a["id"] in announced]
    if not accounts:
        return
    now = datetime.now(UTC)
    view = _view(event, place)
    for account, matches in accounts:
        for purpose, due in domain.plan_posts(change, account["id"] in announced,
                                              event.starts_at, account["reminder_hours"], now):
            if matches or purpose in ("change", "cancellation"):
                await _plan_for_account(conn, event, account, purpose, due, status, view)


async def _plan_for_account(conn: Connection, event: ActivityEventChange,
                            account: dict[str, Any], purpose: str, due: datetime, status: str,
                            view: rendering.ActivityView) -> None:
    target = f"{account['id']}:{purpose}"
    common: dict[str, Any] = {
        "key": domain.idempotency_key(event.event_id, account["platform"], target,
                                      event.revision),
        "channel": account["platform"], "target": target, "revision": event.revision,
        "purpose": purpose, "due_at": due, "account_id": account["id"],
        "activity_event_id": event.event_id,
    }
    try:
        post = rendering.render_post(account["platform"], view, purpose,  # type: ignore[arg-type]
                                     status, list(account["languages"]))
    except rendering.CannotRender as exc:
        # Kept as a failed delivery, so staff see why nothing went to this account.
        delivery_id = await store.add_delivery(
            conn, **common, status="failed", content=None, language=None,
            error_class="permanent", last_error=str(exc))
        if delivery_id is not None:
            await enqueue(conn, NotificationFailed(
                delivery_id=delivery_id, activity_event_id=event.event_id,
                revision=event.revision, channel=account["platform"],
                error_class="permanent", error=str(exc)))
        return
    await store.add_delivery(conn, **common, status="pending", content=post.as_json(),
                             language=post.language)


async def replan_announcement(conn: Connection, facts: dict[str, Any],
                              account_id: UUID) -> None:
    """The announcement of the activity's newest revision for one account, planned again: the
    older one was being sent when the activity changed, and it did not go out after all."""
    event = ActivityEventUpdated.model_validate(facts)
    account = await store.get_account(conn, account_id)
    if account is None or not account["enabled"]:
        return
    board = (await store.get_board(conn, domain.board_id_for_venue(event.venue_id))
             if event.venue_id is not None else None)
    place = _place(dict(board) if board is not None else None, event)
    await _plan_for_account(conn, event, dict(account), "announcement", datetime.now(UTC),
                            "published", _view(event, place))


async def on_booking(conn: Connection, event: BookingConfirmed | BookingRejected
                     | BookingCancelled, envelope: Envelope) -> None:
    """Email the organiser about their booking, when they gave an address and the city has an
    email sender configured. A cancellation drops a confirmation not yet sent."""
    if not event.contact_email:
        return
    account = await store.email_account(conn)
    if account is None:
        return
    purpose = rendering.booking_purpose(event)
    if purpose != "booking_confirmed":
        await store.cancel_waiting(conn, booking_id=event.booking_id)
    board = await store.get_board(conn, domain.board_id_for_venue(event.venue_id))
    place = _venue_place(dict(board) if board is not None else None, event.space_id)
    # The calendar entry's SEQUENCE: a cancellation must outrank the confirmation.
    revision = 0 if purpose == "booking_confirmed" else 1
    message = rendering.render_booking_email(event, place, revision)
    target = f"{account['id']}:{purpose}"
    await store.add_delivery(
        conn, key=domain.idempotency_key(event.booking_id, "email", target, revision),
        channel="email", target=target, revision=revision, purpose=purpose,
        status="pending", due_at=datetime.now(UTC), content=message.as_json(),
        language=message.language, account_id=account["id"], booking_id=event.booking_id,
        recipient=event.contact_email)
