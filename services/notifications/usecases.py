"""Every operation a person or an event can trigger in the notifications service.

Each use case takes a unit of work over a `NotificationStore` and a clock (and, where a
person acts, a `Principal`), opens `async with uow:` once, and commits its reads, writes and
events together. The HTTP routes, the staff page, the Kafka handlers, the sender and the demo
loader all call these, so each rule holds whichever way in was taken.

The sender's send is not here: posting to a platform happens outside any transaction, between
`claim_due` (one unit of work) and `record_outcome` (another); `jobs.py` does the posting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from services.notifications import domain, rendering
from shared.clock import Clock
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
from shared.errors import Conflict, Forbidden, NotFound, Unauthenticated
from shared.identity import Principal
from shared.uow import UnitOfWork

if TYPE_CHECKING:  # the store by type only: use cases reach it through the unit of work
    from services.notifications.store import NotificationStore, Row

    Uow = UnitOfWork[NotificationStore]

log = logging.getLogger(__name__)

#: Who runs channels, boards and deliveries: communications staff (and admins).
STAFF = ("communications", "admin")
BOARD = "notice_board"
#: Until venue.registered names it, a board created by an activity event is called this.
UNNAMED_BOARD = {"fi": "Ilmoitustaulu", "sv": "Anslagstavla", "en": "Notice board"}


def require(principal: Principal, *roles: str) -> None:
    """Unauthenticated for the public, Forbidden for a person without any of `roles`."""
    if principal.is_public:
        raise Unauthenticated("sign in first")
    if not principal.has(*roles):
        raise Forbidden(f"needs one of the roles: {', '.join(roles)}")


# --- commands -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChannelAccountCommand:
    """An account's configuration, as a person (or the demo) gives it."""

    platform: str
    name: str
    #: API root or, for email, smtp://host:port / smtps://host:port; None for a platform whose
    #: API address is fixed (domain.DEFAULT_API_URLS).
    base_url: str | None
    account_ref: str
    secret_ref: str
    languages: tuple[str, ...] = ("fi",)
    areas: tuple[str, ...] | None = None
    venue_ids: tuple[UUID, ...] | None = None
    kinds: tuple[str, ...] | None = None
    reminder_hours: int | None = None
    enabled: bool = True

    def data(self) -> dict[str, Any]:
        def listed(values: tuple[Any, ...] | None) -> list[Any] | None:
            return list(values) if values is not None else None

        return {"platform": self.platform, "name": self.name, "base_url": self.base_url,
                "account_ref": self.account_ref, "secret_ref": self.secret_ref,
                "languages": list(self.languages), "areas": listed(self.areas),
                "venue_ids": listed(self.venue_ids), "kinds": listed(self.kinds),
                "reminder_hours": self.reminder_hours, "enabled": self.enabled}


@dataclass(frozen=True)
class AreaBoardCommand:
    area: str
    name: dict[str, str | None]
    languages: tuple[str, ...] = ("fi", "sv", "en")
    kinds: tuple[str, ...] | None = None
    #: Given by the demo (a fixed id, loading twice changes nothing); else a new one.
    board_id: UUID | None = None


@dataclass(frozen=True)
class DeliveryFilter:
    activity_event_id: UUID | None = None
    channel: str | None = None
    status: str | None = None


# --- channel accounts -----------------------------------------------------------------------

async def list_channel_accounts(uow: Uow, principal: Principal,
                                platform: str | None = None) -> list[Row]:
    require(principal, *STAFF)
    async with uow:
        return await uow.store.list_accounts(platform)


async def save_channel_account(uow: Uow, clock: Clock, principal: Principal,
                               account_id: UUID | None, command: ChannelAccountCommand,
                               settings: domain.ChannelSettings) -> Row:
    """Create an account (`account_id` None: a new id) or create or replace the one with
    this id (configuration can be applied again), by the rules of domain.checked_account.

    Choosing where an account's token goes and which token it is (base_url, secret_ref: a
    new account, or a change of either) is an admin's act: communications staff change the
    rest (name, languages, areas, kinds, reminders, enabled). Each such choice leaves an
    audit row (who, when, what from and to) and a log line."""
    require(principal, *STAFF)
    data = domain.checked_account(command.data(), settings)
    account_id = account_id or uuid4()
    async with uow:
        kept = await uow.store.get_account(account_id, for_update=True)
        if kept is not None and kept["platform"] != data["platform"]:
            raise Conflict("an account's platform cannot change; make a new account",
                           platform=kept["platform"])
        routing = domain.token_routing_changes(kept, data)
        if routing and "admin" not in principal.roles:
            raise Forbidden("only an admin chooses where an account's token is sent "
                            f"({', '.join(routing)})", fields=routing)
        await uow.store.upsert_account(account_id, data)
        if routing:
            now = clock.now()
            await uow.store.add_account_change({
                "id": uuid4(), "account_id": account_id,
                "changed_by": principal.subject or "admin", "changed_at": now,
                "fields": routing,
                "old_base_url": kept["base_url"] if kept else None,
                "new_base_url": data["base_url"],
                "old_secret_ref": kept["secret_ref"] if kept else None,
                "new_secret_ref": data["secret_ref"]})
            log.warning("channel account token routing set", extra={
                "account_id": str(account_id), "platform": data["platform"],
                "changed_by": principal.subject, "fields": routing,
                "old_base_url": kept["base_url"] if kept else None,
                "new_base_url": data["base_url"]})
        saved = await uow.store.get_account(account_id)
    assert saved is not None
    return saved


async def account_changes(uow: Uow, principal: Principal, account_id: UUID) -> list[Row]:
    """Who chose where the account's token goes, and when (oldest first)."""
    require(principal, *STAFF)
    async with uow:
        if await uow.store.get_account(account_id) is None:
            raise NotFound("no such channel account", account_id=str(account_id))
        return await uow.store.account_changes(account_id)


async def reauthorise_channel(uow: Uow, clock: Clock, principal: Principal,
                              account_id: UUID) -> Row:
    """The token was renewed in the secret store: the account's queue runs again."""
    require(principal, *STAFF)
    async with uow:
        if await uow.store.get_account(account_id, for_update=True) is None:
            raise NotFound("no such channel account", account_id=str(account_id))
        await uow.store.set_account_state(account_id, "active", None)
        saved = await uow.store.get_account(account_id)
    assert saved is not None
    return saved


# --- notice boards --------------------------------------------------------------------------

async def list_boards(uow: Uow, venue_id: UUID | None = None,
                      area: str | None = None) -> list[Row]:
    async with uow:
        return await uow.store.list_boards(venue_id, area)


async def get_board(uow: Uow, board_id: UUID) -> Row:
    async with uow:
        board = await uow.store.get_board(board_id)
    if board is None:
        raise NotFound("no such notice board", board_id=str(board_id))
    return board


async def board_with_items(uow: Uow, clock: Clock, board_id: UUID,
                           include_past: bool) -> tuple[Row, list[Row]]:
    """A board and its items: today's and upcoming ones (today's earlier items stay until
    midnight in Helsinki), or all of them."""
    since = None if include_past else domain.feed_since(clock.now())
    async with uow:
        board = await uow.store.get_board(board_id)
        if board is None:
            raise NotFound("no such notice board", board_id=str(board_id))
        items = await uow.store.board_items(board_id, since)
    return board, items


async def create_area_board(uow: Uow, clock: Clock, principal: Principal,
                            command: AreaBoardCommand) -> Row:
    """A board for a whole area (e.g. the screen in a shopping centre): it shows every
    activity of the area from now on. A venue's own board exists as soon as the venue does.
    With a given id that exists already (the demo loaded twice), nothing changes."""
    require(principal, *STAFF)
    board_id = command.board_id or uuid4()
    async with uow:
        board = await uow.store.get_board(board_id)
        if board is None:
            await uow.store.create_area_board(
                board_id, command.area, dict(command.name), list(command.languages),
                list(command.kinds) if command.kinds is not None else None)
            board = await uow.store.get_board(board_id)
    assert board is not None
    return board


async def configure_board(uow: Uow, clock: Clock, principal: Principal, board_id: UUID,
                          languages: tuple[str, ...], kinds: tuple[str, ...] | None) -> Row:
    require(principal, *STAFF)
    async with uow:
        if not await uow.store.configure_board(
                board_id, list(languages), list(kinds) if kinds is not None else None):
            raise NotFound("no such notice board", board_id=str(board_id))
        board = await uow.store.get_board(board_id)
    assert board is not None
    return board


async def register_venue(uow: Uow, clock: Clock, event: VenueRegistered | VenueUpdated) -> None:
    """Make the venue's board, or refresh its name, area and spaces from a newer venue copy;
    a stale copy (older venue revision) changes nothing."""
    spaces = {str(s.space_id): s.name.model_dump() for s in event.spaces}
    async with uow:
        await uow.store.ensure_board(domain.board_id_for_venue(event.venue_id), event.venue_id,
                                     event.area, event.name.model_dump(), event.revision,
                                     spaces)


# --- deliveries: what staff see and decide --------------------------------------------------

async def list_deliveries(uow: Uow, principal: Principal,
                          where: DeliveryFilter = DeliveryFilter()) -> list[Row]:
    """Deliveries, newest first: every board item, post and email with its state. For
    communications staff: emails to organisers are among them."""
    require(principal, *STAFF)
    async with uow:
        return await uow.store.list_deliveries(where.activity_event_id, where.channel,
                                               where.status)


async def needing_attention(uow: Uow, principal: Principal) -> tuple[list[Row], list[Row]]:
    """What communications staff must decide: failed and unconfirmed deliveries, and the
    accounts whose token the platform refused (their queue waits)."""
    require(principal, *STAFF)
    async with uow:
        deliveries = await uow.store.needs_attention()
        accounts = [a for a in await uow.store.list_accounts() if a["state"] != "active"]
    return deliveries, accounts


async def decide_delivery(uow: Uow, clock: Clock, principal: Principal, delivery_id: UUID,
                          action: str, remote_url: str | None = None) -> Row:
    """retry, cancel or confirm a delivery (domain.check_decision)."""
    require(principal, *STAFF)
    async with uow:
        row = await uow.store.get_delivery(delivery_id, for_update=True)
        if row is None:
            raise NotFound("no such delivery", delivery_id=str(delivery_id))
        to, allowed = domain.check_decision(row, action)
        await uow.store.decide(delivery_id, to=to, allowed_from=allowed,
                               who=principal.subject or "staff", now=clock.now(),
                               remote_url=remote_url)
        updated = await uow.store.get_delivery(delivery_id)
    assert updated is not None
    return updated


# --- planning from events -------------------------------------------------------------------

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


def _venue_place(venue_board: Row | None, space_id: UUID | None) -> LocalizedText | None:
    """The venue's and space's names in every language, once the venue has told them."""
    if venue_board is None or not domain.place(venue_board, space_id, "fi"):
        return None
    return LocalizedText(**{lang: domain.place(venue_board, space_id, lang)
                            for lang in ("fi", "sv", "en")})


def _place(venue_board: Row | None, event: ActivityEventChange) -> LocalizedText | None:
    """Where the activity is, in every language: its venue and space when the venue has told
    their names, else the place the event names (a park, a square)."""
    return _venue_place(venue_board, event.space_id) or event.place_name


def _view(event: ActivityEventChange, place: LocalizedText | None,
          events_url: str) -> rendering.ActivityView:
    previous = event if isinstance(event, ActivityEventRescheduled) else None
    return rendering.ActivityView(
        name=event.name, starts_at=event.starts_at, ends_at=event.ends_at, place=place,
        short_description=event.short_description, free=event.free,
        registration_required=event.registration_required,
        online=event.place_kind in ("online", "hybrid"), image_url=event.image_url,
        image_alt=event.image_alt,
        page_url=rendering.event_page_url(events_url, event.event_id),
        previous_starts_at=previous.previous_starts_at if previous else None,
        previous_ends_at=previous.previous_ends_at if previous else None,
    )


async def plan_activity_event(uow: Uow, clock: Clock, event: ActivityEventChange,
                              events_url: str) -> None:
    """Show the activity on its boards and plan its posts (`events_url`: where residents
    open an activity's page).

    Idempotency: only a revision newer than the newest one applied for this event does
    anything (store.advance_event_for_planning); the same revision again, under any envelope
    id, and stale copies are no-ops. Delivery keys are deterministic from (event, channel,
    target, revision), so even a replay into a database that lost activity_events adds no
    second delivery.
    """
    change, status = _change(event)
    venue_board = (domain.board_id_for_venue(event.venue_id)
                   if event.venue_id is not None else None)
    async with uow:
        store = uow.store
        # The revision check, the event's boards and the social accounts: one round trip.
        advanced = await store.advance_event_for_planning(
            event.event_id, event.revision, status, event.venue_id, event.area,
            event.model_dump(mode="json"), venue_board, event.kind)
        if advanced is None:
            return  # a duplicate or a stale copy
        boards = advanced.boards
        if (event.venue_id is not None and venue_board is not None
                and not (boards and boards[0]["id"] == venue_board)):
            # The events and booking topics are not ordered with each other, so the venue's
            # board may not exist yet: it is created here and venue.registered names it later.
            await store.ensure_board(venue_board, event.venue_id, event.area, UNNAMED_BOARD, 0)
            boards = await store.boards_for(venue_board, event.area, event.kind)
        place = _place(boards[0] if venue_board is not None else None, event)
        # An event seen for the first time was on no board and has nothing planned yet.
        first_time = advanced.seen == "new"
        await _show_on_boards(store, event, status, place, boards, venue_board, first_time)
        await _plan_posts(uow, clock, event, change, status, place, first_time,
                          advanced.accounts, events_url)


async def _show_on_boards(store: NotificationStore, event: ActivityEventChange, status: str,
                          place: LocalizedText | None, boards: list[Row],
                          venue_board: UUID | None, first_time: bool) -> None:
    """Boards are pulled, so what is in a board's feed is delivered: published at once. A
    cancellation is a delivery too (the board shows it cancelled), under its own revision.
    A venue's board may show only some kinds of activity; area boards were chosen by kind.
    The item, its delivery and its notification.delivered are one statement (the consumer's
    round-trip economy), so the event goes to the outbox there, not through uow.publish."""
    shown_on = [b["id"] for b in boards if b["id"] != venue_board
                or b["kinds"] is None or event.kind in b["kinds"]]
    if not first_time:
        await store.withdraw_elsewhere(event.event_id, shown_on, event.revision)
    for board_id in shown_on:
        delivery_id = uuid4()
        delivered = NotificationDelivered(
            delivery_id=delivery_id, activity_event_id=event.event_id,
            revision=event.revision, channel=BOARD, area=event.area, venue_id=event.venue_id,
            starts_at=event.starts_at)
        # Nothing is written when a newer revision is already on the board or the delivery
        # was recorded before (its key is deterministic): nothing new was delivered.
        await store.show_on_board(board_id, {
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
            [delivered])


async def _plan_posts(uow: Uow, clock: Clock, event: ActivityEventChange, change: str,
                      status: str, place: LocalizedText | None, first_time: bool,
                      social_accounts: list[Row], events_url: str) -> None:
    """Drop what was waiting to be posted about an older revision, then plan this revision's
    posts on every account of `social_accounts` (store.Advanced.accounts) that covers the
    activity (domain.plan_posts)."""
    store = uow.store
    if not first_time:
        await store.cancel_waiting(activity_event_id=event.event_id)
    announced = set() if first_time else await store.announced_accounts(event.event_id)
    # An account that announced the activity also hears of its change or cancellation after
    # the activity moved out of what the account covers: its readers saw the old details.
    accounts = [(a, matches) for a in social_accounts
                if (matches := domain.account_matches(a, event.area, event.venue_id,
                                                      event.kind)) or a["id"] in announced]
    if not accounts:
        return
    now = clock.now()
    view = _view(event, place, events_url)
    for account, matches in accounts:
        for purpose, due in domain.plan_posts(change, account["id"] in announced,
                                              event.starts_at, account["reminder_hours"], now):
            if matches or purpose in ("change", "cancellation"):
                await _plan_for_account(uow, event, account, purpose, due, status, view)


async def _plan_for_account(uow: Uow, event: ActivityEventChange, account: Row,
                            purpose: str, due: datetime, status: str,
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
        delivery_id = await uow.store.add_delivery(
            **common, status="failed", content=None, language=None,
            error_class="permanent", last_error=str(exc))
        if delivery_id is not None:
            await uow.publish(NotificationFailed(
                delivery_id=delivery_id, activity_event_id=event.event_id,
                revision=event.revision, channel=account["platform"],
                error_class="permanent", error=str(exc)))
        return
    await uow.store.add_delivery(**common, status="pending", content=post.as_json(),
                                 language=post.language)


async def _replan_announcement(uow: Uow, clock: Clock, facts: dict[str, Any],
                               account_id: UUID, events_url: str) -> None:
    """The announcement of the activity's newest revision for one account, planned again: the
    older one was being sent when the activity changed, and it did not go out after all."""
    event = ActivityEventUpdated.model_validate(facts)
    account = await uow.store.get_account(account_id)
    if account is None or not account["enabled"]:
        return
    board = (await uow.store.get_board(domain.board_id_for_venue(event.venue_id))
             if event.venue_id is not None else None)
    place = _place(board, event)
    await _plan_for_account(uow, event, account, "announcement", clock.now(), "published",
                            _view(event, place, events_url))


async def plan_booking_email(uow: Uow, clock: Clock,
                             event: BookingConfirmed | BookingRejected | BookingCancelled,
                             ) -> None:
    """Email the organiser about their booking, when they gave an address and the city has
    an email sender configured. A cancellation drops a confirmation not yet sent."""
    if not event.contact_email:
        return
    async with uow:
        store = uow.store
        account = await store.email_account()
        if account is None:
            return
        purpose = rendering.booking_purpose(event)
        if purpose != "booking_confirmed":
            await store.cancel_waiting(booking_id=event.booking_id)
        board = await store.get_board(domain.board_id_for_venue(event.venue_id))
        place = _venue_place(board, event.space_id)
        # The calendar entry's SEQUENCE: a cancellation must outrank the confirmation.
        revision = 0 if purpose == "booking_confirmed" else 1
        message = rendering.render_booking_email(event, place, revision)
        target = f"{account['id']}:{purpose}"
        await store.add_delivery(
            key=domain.idempotency_key(event.booking_id, "email", target, revision),
            channel="email", target=target, revision=revision, purpose=purpose,
            status="pending", due_at=clock.now(), content=message.as_json(),
            language=message.language, account_id=account["id"],
            booking_id=event.booking_id, recipient=event.contact_email)


# --- the sender -----------------------------------------------------------------------------

def _failed(row: Row, error_class: str, error: str) -> NotificationFailed:
    return NotificationFailed(
        delivery_id=row["id"], activity_event_id=row["activity_event_id"],
        booking_id=row["booking_id"], revision=row["revision"], channel=row["channel"],
        error_class=error_class, error=error[:1000])


async def recover_lost_leases(uow: Uow, clock: Clock) -> list[tuple[Row, str]]:
    """Deliveries claimed by a replica that vanished (lease over): due again where a re-send
    is safe (domain.after_lost_lease), else unconfirmed for a person to decide. Returns each
    with its new status."""
    recovered = []
    async with uow:
        now = clock.now()
        for row in await uow.store.lost_leases(now):
            status = domain.after_lost_lease(row["platform"])
            await uow.store.mark_outcome(row["id"], None, status=status, due_at=now,
                                         error_class="unconfirmed",
                                         error=domain.LOST_LEASE_DETAIL, now=now,
                                         maybe_sent=True)
            if status == "unconfirmed":
                await uow.publish(_failed(row, "unconfirmed", domain.LOST_LEASE_DETAIL))
            recovered.append((row, status))
    return recovered


async def drop_out_of_date(uow: Uow, clock: Clock, events_url: str) -> int:
    """Waiting deliveries that may have posted longer ago than their platform dedupes a
    re-send become unconfirmed. Waiting deliveries that would say something out of date are
    cancelled, never sent (store.out_of_date). When such an announcement was superseded
    while it was being sent, the account never got the newer revision's announcement (it
    counted as announced), so that is planned now; and notices about an announcement that
    never went out are dropped."""
    async with uow:
        store, now = uow.store, clock.now()
        for channel, seconds in domain.RESEND_WINDOW_SECONDS.items():
            for late in await store.past_resend_window(channel, seconds, now):
                await uow.publish(_failed(late, "unconfirmed", late["last_error"]))
        rows = await store.out_of_date(now)
        for row in rows:
            started = bool(row["started"])
            await store.cancel_delivery(row["id"], "the activity has started" if started
                                        else "superseded by a newer change")
            if row["purpose"] != "announcement" or row["revision"] >= row["event_revision"]:
                continue
            if row["account_id"] in await store.announced_accounts(row["activity_event_id"]):
                continue
            await store.cancel_notices(row["activity_event_id"], row["account_id"])
            if row["event_status"] == "published" and not started:
                await _replan_announcement(uow, clock, row["facts"], row["account_id"],
                                           events_url)
    return len(rows)


async def claim_due(uow: Uow, clock: Clock, replica: str, lease_seconds: float,
                    limit: int) -> list[Row]:
    """Claim up to `limit` due deliveries for this replica, committed as `sending` under its
    lease; each with its account and its activity's where and when."""
    async with uow:
        return await uow.store.claim_due(replica, lease_seconds, limit, clock.now())


async def record_outcome(uow: Uow, clock: Clock, row: Row, replica: str,
                         tried: domain.Tried, random_fraction: float) -> str:
    """Commit a try's outcome with its event; returns the delivery's new status ("lost" when
    this replica no longer holds the delivery)."""
    async with uow:
        store, now = uow.store, clock.now()
        if tried.remote_id is not None:
            if not await store.mark_published(row["id"], replica, tried.remote_id,
                                              tried.remote_url, now):
                return "lost"
            if row["activity_event_id"] is not None and row["starts_at"]:
                await uow.publish(NotificationDelivered(
                    delivery_id=row["id"], activity_event_id=row["activity_event_id"],
                    revision=row["revision"], channel=row["channel"], area=row["area"],
                    venue_id=row["venue_id"],
                    starts_at=datetime.fromisoformat(row["starts_at"])))
            return "published"
        error_class = tried.error_class or "retry"
        outcome = domain.after_error(error_class, row["attempts"], tried.retry_after, now,
                                     random_fraction)
        if not await store.mark_outcome(row["id"], replica, status=outcome.status,
                                        due_at=outcome.due_at, error_class=error_class,
                                        error=tried.detail[:2000], now=now,
                                        undo_attempt=not outcome.counts_as_attempt,
                                        maybe_sent=tried.maybe_sent):
            return "lost"
        if outcome.pause_account_until is not None:
            await store.pause_account(row["account_id"], outcome.pause_account_until)
        if outcome.account_needs_reauth:
            await store.set_account_state(row["account_id"], "reauth_needed",
                                          tried.detail[:500])
        if outcome.status in ("failed", "unconfirmed"):
            await uow.publish(_failed(row, error_class, tried.detail))
        return outcome.status


async def count_deliveries(uow: Uow) -> tuple[list[tuple[str, str, int]], int]:
    """Deliveries by channel and status, and the accounts waiting for re-authorisation."""
    async with uow:
        return await uow.store.count_deliveries(), await uow.store.count_reauth_needed()


# --- the demo -------------------------------------------------------------------------------

async def load_demo(uow: Uow, clock: Clock, principal: Principal,
                    accounts: list[tuple[UUID, ChannelAccountCommand]],
                    board: AreaBoardCommand, settings: domain.ChannelSettings) -> int:
    """The demo's channel accounts and board, under the same rules as a person's: loading
    twice changes nothing."""
    for account_id, command in accounts:
        await save_channel_account(uow, clock, principal, account_id, command, settings)
    await create_area_board(uow, clock, principal, board)
    return len(accounts)
