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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID, uuid4, uuid5

from services.notifications import domain, reach_text, rendering
from shared import announcements
from shared.areas import AREAS, area_name, area_refusals
from shared.bounds import name_refusals
from shared.clock import Clock
from shared.contracts import (
    ActivityEventApprovalDecided,
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    AttendanceReported,
    BookingCancelled,
    BookingEnded,
    BookingMoved,
    BookingNoShow,
    ChannelAccountRoutingChanged,
    ContactVerificationRequested,
    GuideReplyRequested,
    LocalizedText,
    NotificationDelivered,
    NotificationFailed,
    RegistrationCounts,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthenticated,
    checked,
    refuse,
)
from shared.identity import Principal, require
from shared.l10n import term_words, text_in
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
#: The windows of the public forms' ceilings: per address a day, per client network an hour.
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)



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


@dataclass(frozen=True)
class SavedAccount:
    account: Row
    #: Whether there was no account of this id before (a PUT that made one is a 201).
    created: bool


async def save_channel_account(uow: Uow, clock: Clock, principal: Principal,
                               account_id: UUID | None, command: ChannelAccountCommand,
                               settings: domain.ChannelSettings) -> SavedAccount:
    """Create an account (`account_id` None: a new id) or create or replace the one with
    this id (configuration can be applied again), by the rules of domain.checked_account.

    Choosing where an account's token goes and which token it is (base_url, secret_ref: a
    new account, or a change of either) is an admin's act: communications staff change the
    rest (name, languages, areas, kinds, reminders, enabled). Each such choice leaves an
    audit row (who, when, what from and to), a log line and a `channel.routing_changed`
    event on the bus."""
    require(principal, *STAFF)
    unreadable = name_refusals(command.name)
    refuse([*area_refusals(command.areas or (), "areas", listed=True), *unreadable,
            *domain.label_refusals(command.name, "name", {str(r.field) for r in unreadable}),
            *domain.label_refusals(command.account_ref, "account_ref")])
    data = domain.checked_account(command.data(), settings)
    account_id = account_id or uuid4()
    async with uow:
        kept = await uow.store.get_account(account_id, for_update=True)
        if kept is not None and kept["platform"] != data["platform"]:
            raise Conflict("an account's platform cannot change; make a new account",
                           platform=kept["platform"])
        # A kind no activity has would make the account post nothing, with no one told why.
        await _check_kinds(uow.store, data["kinds"], kept)
        if data["venue_ids"]:
            refuse(domain.venue_refusals(
                data["venue_ids"], await uow.store.known_venues(data["venue_ids"]),
                kept["venue_ids"] if kept is not None else None))
        routing = domain.token_routing_changes(kept, data)
        if routing and "admin" not in principal.roles:
            raise Forbidden("only an admin chooses where an account's token is sent "
                            f"({', '.join(routing)})", fields=routing)
        await uow.store.upsert_account(account_id, data)
        if routing:
            change = ChannelAccountRoutingChanged(
                account_id=account_id, platform=data["platform"], fields=routing,
                old_base_url=kept["base_url"] if kept else None, new_base_url=data["base_url"],
                old_secret_ref=kept["secret_ref"] if kept else None,
                new_secret_ref=data["secret_ref"], changed_by=principal.subject or "admin",
                changed_at=clock.now())
            await uow.store.add_account_change({
                "id": uuid4(), **change.model_dump(exclude={"platform"})})
            await uow.publish(change)
            log.warning("channel account token routing set", extra={
                "account_id": str(account_id), "platform": data["platform"],
                "changed_by": principal.subject, "fields": routing,
                "old_base_url": kept["base_url"] if kept else None,
                "new_base_url": data["base_url"]})
        saved = await uow.store.get_account(account_id)
    assert saved is not None
    return SavedAccount(account=saved, created=kept is None)


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
    """The boards, of a venue or of an area (one of Kuopio's, else `unknown_area`)."""
    refuse(area_refusals([area] if area else [], "area"))
    async with uow:
        return await uow.store.list_boards(venue_id, area)


async def get_board(uow: Uow, board_id: UUID) -> Row:
    async with uow:
        board = await uow.store.get_board(board_id)
    if board is None:
        raise NotFound("no such notice board", board_id=str(board_id))
    return board


class BoardContent(NamedTuple):
    board: Row
    items: list[Row]
    #: Staff's notices the board shows now (their window open, not withdrawn), newest first.
    notices: list[Row]


async def board_with_items(uow: Uow, clock: Clock, board_id: UUID,
                           include_past: bool) -> BoardContent:
    """A board, its items: today's and upcoming ones (today's earlier items stay until
    midnight in Helsinki), or all of them; and the notices it shows now."""
    since = None if include_past else domain.feed_since(clock.now())
    async with uow:
        board = await uow.store.get_board(board_id)
        if board is None:
            raise NotFound("no such notice board", board_id=str(board_id))
        items = await uow.store.board_items(board_id, since)
        notices = await uow.store.board_notices(board_id, clock.now())
    return BoardContent(board, items, notices)


async def create_area_board(uow: Uow, clock: Clock, principal: Principal,
                            command: AreaBoardCommand) -> Row:
    """A board for a whole area (e.g. the screen in a shopping centre): it shows every
    activity of the area from now on. A venue's own board exists as soon as the venue does.
    With a given id that exists already (the demo loaded twice), nothing changes. A board
    of the area with the same Finnish name (`domain.board_name_key`: case and spaces aside)
    is refused (409 `board_name_taken`, naming `name.fi` and that board): staff would tick
    one of two boards alike."""
    require(principal, *STAFF)
    unreadable = name_refusals(command.name)
    refuse([*area_refusals([command.area], "area"), *unreadable,
            *domain.label_refusals(command.name, "name", {str(r.field) for r in unreadable})])
    board_id = command.board_id or uuid4()
    name_fi = str(dict(command.name)["fi"])
    async with uow:
        board = await uow.store.get_board(board_id)
        if board is None:
            await _check_kinds(uow.store, command.kinds, None)
            namesake = await uow.store.area_board_named(command.area, name_fi)
            if namesake is None and not await uow.store.create_area_board(
                    board_id, command.area, dict(command.name), list(command.languages),
                    list(command.kinds) if command.kinds is not None else None):
                # Made by another request meanwhile: that one is the namesake.
                namesake = await uow.store.area_board_named(command.area, name_fi)
            if namesake is not None:
                raise domain.board_name_taken(namesake)
            board = await uow.store.get_board(board_id)
    assert board is not None
    return board


async def _check_kinds(store: NotificationStore, kinds: Sequence[str] | None,
                       kept: Row | None) -> None:
    """The kinds a board shows, or a channel account posts, are kinds of the events
    service's vocabulary, as told here; what is `kept` keeps a kind it has already (retired
    since)."""
    if kinds:
        refuse(domain.board_kind_refusals(kinds, await store.vocabulary_labels(),
                                          await store.retired_terms(),
                                          kept["kinds"] if kept is not None else None))


async def configure_board(uow: Uow, clock: Clock, principal: Principal, board_id: UUID,
                          languages: tuple[str, ...], kinds: tuple[str, ...] | None) -> Row:
    """A board's languages and the kinds of activity it shows (None: every kind), each a
    kind of the vocabulary."""
    require(principal, *STAFF)
    async with uow:
        board = await uow.store.get_board(board_id)
        if board is None:
            raise NotFound("no such notice board", board_id=str(board_id))
        await _check_kinds(uow.store, kinds, board)
        configured = await uow.store.configure_board(
            board_id, list(languages), list(kinds) if kinds is not None else None)
    if configured is None:  # removed meanwhile
        raise NotFound("no such notice board", board_id=str(board_id))
    return configured


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
                          action: str, remote_url: str | None = None,
                          text: str | None = None) -> Row:
    """retry, cancel or confirm a delivery (domain.check_decision); a retry may send staff's
    own `text` instead of the rendered one (the platform's limit holds). A post's address
    with a control or text-direction character (`text_chars`) is refused: /staff shows it."""
    require(principal, *STAFF)
    for refusal in domain.label_refusals(remote_url or "", "remote_url"):
        raise refusal
    async with uow:
        row = await uow.store.get_delivery(delivery_id, for_update=True)
        if row is None:
            raise NotFound("no such delivery", delivery_id=str(delivery_id), code="gone")
        to, allowed = domain.check_decision(row, action)
        if text is not None and action == "retry":
            edited = domain.check_post_text(text, row["channel"])
            await uow.store.set_content_text(delivery_id, edited)
        await uow.store.decide(delivery_id, to=to, allowed_from=allowed,
                               who=principal.subject or "staff", now=clock.now(),
                               remote_url=remote_url)
        updated = await uow.store.get_delivery(delivery_id)
    assert updated is not None
    return updated


async def skipped_posts(uow: Uow, principal: Principal, now: datetime) -> list[Row]:
    """Posts not sent because their channel cannot carry them (Instagram and no image), of
    activities still to come: no decision for staff, but an image added to the activity
    still sends them (store.skipped_posts)."""
    require(principal, *STAFF)
    async with uow:
        return await uow.store.skipped_posts(now)


async def planned_week(uow: Uow, principal: Principal, start: datetime) -> list[Row]:
    """What goes out on the social channels in the seven days from `start`, those already
    due first (posts and reminders; emails to people are theirs, not the calendar's)."""
    require(principal, *STAFF)
    async with uow:
        return await uow.store.planned_between(start, start + timedelta(days=7))


@dataclass(frozen=True)
class NoticeCommand:
    """Staff's own notice: its text by language (Finnish required; a board shows its own
    languages, Finnish where the notice has none), the social accounts and the notice boards
    it goes to, and when the boards show it (None: from now, until the end of that day)."""

    texts: dict[str, str]
    account_ids: tuple[UUID, ...] = ()
    board_ids: tuple[UUID, ...] = ()
    shown_from: datetime | None = None
    shown_until: datetime | None = None


@dataclass(frozen=True)
class NoticeSent:
    #: The posts planned on social accounts and the boards the notice is now on (both empty
    #: when the same form came again).
    posts: list[UUID]
    boards: list[UUID]


def _notice_post(texts: dict[str, str], languages: list[str]) -> tuple[str, str]:
    """A notice's post on an account: its texts in the account's languages, in that order
    (Finnish when it has none of them), and the first language used."""
    used = [code for code in languages if code in texts] or ["fi"]
    return "\n\n".join(texts[code] for code in used), used[0]


async def send_notice(uow: Uow, clock: Clock, principal: Principal, notice_id: UUID,
                      command: NoticeCommand) -> NoticeSent:
    """Staff's own notice (a closure, changed hours) to the chosen social accounts, through
    the same sender as every post, and onto the chosen notice boards, first in their feeds
    and screens while its window is open. `notice_id` comes with the form, so a form sent
    twice sends it once. Each account's platform limit holds; Instagram, which posts only
    images, is refused; a board takes domain.NOTICE_MAX_CHARS per language. Everything is
    checked before anything is written: one refused, nothing goes."""
    require(principal, *STAFF)
    if not command.account_ids and not command.board_ids:
        raise Invalid("choose at least one channel or notice board", field="accounts",
                      code="no_accounts")
    texts = domain.notice_texts(command.texts, domain.NOTICE_MAX_CHARS
                                if command.board_ids else None)
    window = (domain.notice_window(clock.now(), command.shown_from, command.shown_until)
              if command.board_ids else None)
    board_ids = list(dict.fromkeys(command.board_ids))
    planned: list[UUID] = []
    async with uow:
        # Every channel and board checked before anything is written: one refused, none goes.
        chosen = []
        for account_id in dict.fromkeys(command.account_ids):
            account = await uow.store.get_account(account_id)
            if account is None or account["platform"] == "email":
                raise Invalid("no such social account", field="accounts",
                              code="no_account")
            if account["platform"] in rendering.IMAGE_REQUIRED:
                raise Invalid(f"{account['platform']} posts only with an image",
                              field="accounts", code="needs_image_notice",
                              platform=account["platform"])
            post, language = _notice_post(texts, list(account["languages"] or ["fi"]))
            chosen.append((account_id, account, language,
                           domain.check_post_text(post, account["platform"])))
        if board_ids:
            unknown = set(board_ids) - await uow.store.known_boards(board_ids)
            if unknown:
                raise Invalid("no such notice board", field="boards", code="no_board",
                              board_ids=sorted(str(b) for b in unknown))
        for account_id, account, language, checked in chosen:
            target = f"{account_id}:notice"
            delivery_id = await uow.store.add_delivery(
                key=domain.idempotency_key(notice_id, account["platform"], target, 0),
                channel=account["platform"], target=target, revision=0, purpose="notice",
                status="pending", due_at=clock.now(),
                content={"text": checked, "language": language}, language=language,
                account_id=account_id)
            if delivery_id is not None:
                planned.append(delivery_id)
        if window is None or not await uow.store.add_board_notice(
                notice_id, texts, *window, principal.subject or "staff"):
            return NoticeSent(planned, [])
        for board_id in board_ids:
            await uow.store.show_notice_on_board(
                notice_id, board_id, uuid4(),
                domain.idempotency_key(notice_id, BOARD, str(board_id), 0),
                {"notice_id": str(notice_id), "text": texts["fi"], "language": "fi"})
    return NoticeSent(planned, board_ids)


async def board_notices_now(uow: Uow, clock: Clock, principal: Principal) -> list[Row]:
    """Staff's notices that some board still shows or will show, with those boards."""
    require(principal, *STAFF)
    async with uow:
        return await uow.store.current_board_notices(clock.now())


async def withdraw_board_notice(uow: Uow, clock: Clock, principal: Principal,
                                notice_id: UUID, board_id: UUID | None = None) -> int:
    """Take a notice off a board (None: off every board) at once: the board's feed and its
    ETag change with the next request. The number of boards it was taken off. A board that
    does not exist is refused as the board (`no_board`, the notice form's words), one the
    notice is no longer on as that (`notice_gone_board`): not "on no board", which it may
    still be on others."""
    require(principal, *STAFF)
    async with uow:
        if board_id is not None and await uow.store.get_board(board_id) is None:
            raise Invalid("no such notice board", field="board", code="no_board")
        taken = await uow.store.withdraw_board_notice(notice_id, board_id,
                                                      principal.subject or "staff",
                                                      clock.now())
    if not taken:
        raise NotFound("the notice is on no board" if board_id is None
                       else "the notice is not on that board", notice_id=str(notice_id),
                       code="notice_gone" if board_id is None else "notice_gone_board")
    return taken


async def preview_posts(uow: Uow, principal: Principal, event_id: UUID,
                        events_url: str, links: domain.ReachLinks | None = None
                        ) -> tuple[Row, list[announcements.PostPreview]]:
    """The activity's announcement as each account would post it (its languages, cut to the
    platform's limit), before it goes; one per platform when no account has it yet."""
    require(principal, *STAFF)
    async with uow:
        row = await _activity(uow.store, event_id, lock=False)
        event = _event_of(row["facts"])
        board = (await uow.store.get_board(domain.board_id_for_venue(event.venue_id))
                 if event.venue_id is not None else None)
        accounts = [a for a in await uow.store.list_accounts() if a["platform"] != "email"]
    view = _view(event, _place(board, event), events_url, links)
    return row, announcements.preview_posts(
        view, [(a["platform"], a["name"], list(a["languages"])) for a in accounts])


async def preview_board_item(uow: Uow, principal: Principal,
                             event_id: UUID) -> tuple[Row, Row]:
    """The activity as its venue's notice board would show it: the board (an unnamed one
    showing fi, sv and en while the activity has no venue board) and the item, made as
    planning makes it (feeds.screen turns them into the board's slide)."""
    require(principal, *STAFF)
    async with uow:
        row = await _activity(uow.store, event_id, lock=False)
        event = _event_of(row["facts"])
        board = (await uow.store.get_board(domain.board_id_for_venue(event.venue_id))
                 if event.venue_id is not None else None)
    status = row["status"] if row.get("status") in ("published", "postponed",
                                                    "cancelled") else "published"
    item = _board_item(event, status, _place(board, event))
    shown = board or {"id": None, "name": dict(UNNAMED_BOARD), "languages": ["fi", "sv", "en"],
                      "venue_revision": 0, "spaces": {}, "kinds": None}
    return shown, item


# --- planning from events -------------------------------------------------------------------

def _change(event: ActivityEventChange) -> tuple[str, str | None]:
    """(what happened, the status it leaves the activity in): an edit (event.updated carries
    no status) leaves the one it had, None; a postponed activity stays postponed until it is
    published or rescheduled again."""
    if isinstance(event, ActivityEventCancelled):
        return "cancelled", "cancelled"
    if isinstance(event, ActivityEventPostponed):
        return "postponed", "postponed"
    if isinstance(event, ActivityEventRescheduled):
        return "rescheduled", "published"
    if isinstance(event, ActivityEventPublished):
        return "published", "published"
    return "updated", None


def _venue_place(venue_board: Row | None, space_id: UUID | None) -> LocalizedText | None:
    """The venue's and space's names in every language, once the venue has told them."""
    if venue_board is None or not domain.place(venue_board, space_id, "fi"):
        return None
    return LocalizedText(**{lang: domain.place(venue_board, space_id, lang)
                            for lang in ("fi", "sv", "en")})


def _place(venue_board: Row | None, event: ActivityEventChange) -> LocalizedText | None:
    """Where the activity is, in every language: at its venue (`announcements.at_venue`),
    the venue's and space's names once the venue has told them; elsewhere (outdoors, a
    pop-up) the place it names, the venue's only when it names none."""
    if not announcements.at_venue(event.place_kind) and event.place_name is not None:
        return event.place_name
    return _venue_place(venue_board, event.space_id) or event.place_name


def _view(event: ActivityEventChange, place: LocalizedText | None, events_url: str,
          links: domain.ReachLinks | None = None,
          previous_place: LocalizedText | None = None) -> rendering.ActivityView:
    """The activity as its posts say it; with `links` (this service's public address), and
    when it needs registration, where one signs up; `previous_place`: where an edit moved
    it from."""
    previous = event if isinstance(event, ActivityEventRescheduled) else None
    return rendering.ActivityView(
        name=event.name, starts_at=event.starts_at, ends_at=event.ends_at, place=place,
        short_description=event.short_description, free=event.free, price=event.price,
        registration_required=event.registration_required,
        online=event.place_kind in ("online", "hybrid"), image_url=event.image_url,
        image_alt=event.image_alt,
        page_url=rendering.event_page_url(events_url, event.event_id),
        previous_starts_at=previous.previous_starts_at if previous else None,
        previous_ends_at=previous.previous_ends_at if previous else None,
        all_day=event.all_day,
        sign_up_url=(announcements.sign_up_page_url(links.base_url, event.event_id)
                     if links is not None and event.registration_required else None),
        previous_place=previous_place,
    )


def new_organiser_channels(setting: str | None) -> frozenset[str]:
    """What a new organiser's activity reaches, from its setting (domain.REACH_NAMES)."""
    return domain.new_organiser_channels(setting)


async def plan_activity_event(uow: Uow, clock: Clock, event: ActivityEventChange,
                              events_url: str, links: domain.ReachLinks | None = None,
                              new_organiser_channels: frozenset[str] = domain.NEW_ORGANISER_CHANNELS
                              ) -> None:
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
            event.model_dump(mode="json"), venue_board, event.kind,
            # An edit may move it: its followers are read to be told of that too.
            followers=links is not None and (
                change in ("published", "updated") or change in domain.FOLLOWER_CHANGES))
        if advanced is None:
            return  # a duplicate or a stale copy
        status = advanced.status
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
        # A new organiser's activity reaches what the setting names (not code): its venue's
        # board, the area's boards, some platforms.
        boards = [b for b in boards if domain.reaches(
            "notice_board" if b["id"] == venue_board else "area_board", event.new_organiser,
            new_organiser_channels)]
        accounts = [a for a in advanced.accounts
                    if domain.reaches(a["platform"], event.new_organiser, new_organiser_channels)]
        await _show_on_boards(store, event, status, place, boards, venue_board, first_time)
        # An edit that moved where it is (its venue, space or place, or online) is told as a
        # new place: the posts, mails and feeds residents read said the old one.
        previous_place = None
        if change == "updated" and advanced.previous_facts is not None:
            previous_place = await _moved_from(store, advanced.previous_facts,
                                               _said_place(place, event))
            if previous_place is not None:
                change = "relocated"
        await _plan_posts(uow, clock, event, change, status, place, first_time,
                          accounts, events_url, advanced.previous_status == "postponed",
                          links, previous_place)
        if links is not None and not first_time:
            await tell_registrants(uow, clock, links, events_url, event,
                                   "updated" if change == "relocated" else change,
                                   advanced.previous_facts)
        back_on = change == "published" and advanced.previous_status == "postponed"
        if links is not None and change == "published" and not back_on:
            await announce_to_followers(uow, clock, links, events_url, event,
                                        advanced.followers)
        elif links is not None and not first_time and (
                back_on or change in domain.FOLLOWER_CHANGES):
            purpose = "cancellation" if change == "cancelled" else "change"
            await tell_followers_of_change(
                uow, clock, links, events_url, event, purpose, status,
                _view(event, place, events_url, links, previous_place), advanced.followers)


async def _moved_from(store: NotificationStore, before: dict[str, Any],
                      now: LocalizedText | None) -> LocalizedText | None:
    """Where an activity was before an edit, in every language, when the edit moved it from
    there (as residents read a place, online included: `now` is where it is); None when it
    is where it was. One read of the earlier venue's board."""
    was = await _place_said(store, _event_of(before))
    if was is None or not was.fi or (now is not None and now.fi == was.fi):
        return None
    return was


def _board_item(event: ActivityEventChange, status: str,
                place: LocalizedText | None) -> dict[str, Any]:
    """The activity as a board shows it (a row of board_items)."""
    return {
        "activity_event_id": event.event_id,
        "revision": event.revision,
        "status": status,
        "name": event.name.model_dump(),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "kind": event.kind,
        "free": event.free,
        "price": event.price,
        "registration_required": event.registration_required,
        "space_id": event.space_id,
        "place": place.model_dump() if place else None,
        "all_day": event.all_day,
        "reason": _reason(event),
    }


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
    showings = []
    for board_id in shown_on:
        delivery_id = uuid4()
        delivered = NotificationDelivered(
            delivery_id=delivery_id, activity_event_id=event.event_id,
            revision=event.revision, channel=BOARD, area=event.area, venue_id=event.venue_id,
            starts_at=event.starts_at, target=str(board_id),
            purpose="cancellation" if status == "cancelled" else "announcement")
        showings.append(domain.BoardShowing(
            board_id, delivery_id,
            domain.idempotency_key(event.event_id, BOARD, str(board_id), event.revision),
            [delivered]))
    # Nothing is written for a board where a newer revision is already shown or whose
    # delivery was recorded before (its key is deterministic): nothing new was delivered.
    await store.show_on_boards(_board_item(event, status, place), showings)


async def _plan_posts(uow: Uow, clock: Clock, event: ActivityEventChange, change: str,
                      status: str, place: LocalizedText | None, first_time: bool,
                      social_accounts: list[Row], events_url: str,
                      was_postponed: bool = False,
                      links: domain.ReachLinks | None = None,
                      previous_place: LocalizedText | None = None) -> None:
    """Drop what was waiting to be posted about an older revision, then plan this revision's
    posts on every account of `social_accounts` (store.Advanced.accounts) that covers the
    activity (domain.plan_posts; `was_postponed`: it was postponed before this change)."""
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
    view = _view(event, place, events_url, links, previous_place)
    for account, matches in accounts:
        for purpose, due in domain.plan_posts(change, account["id"] in announced,
                                              event.starts_at, account["reminder_hours"], now,
                                              status, was_postponed):
            if matches or purpose in ("change", "cancellation"):
                await _plan_for_account(uow, event, account, purpose, due, status, view,
                                        _reason(event))


def _reason(event: ActivityEventChange) -> str | None:
    """The organiser's reason for cancelling or postponing the activity, as they wrote it."""
    if isinstance(event, ActivityEventCancelled | ActivityEventPostponed):
        return event.reason
    return None


async def _plan_for_account(uow: Uow, event: ActivityEventChange, account: Row,
                            purpose: str, due: datetime, status: str,
                            view: rendering.ActivityView, reason: str | None = None) -> None:
    target = f"{account['id']}:{purpose}"
    common: dict[str, Any] = {
        "key": domain.idempotency_key(event.event_id, account["platform"], target,
                                      event.revision),
        "channel": account["platform"], "target": target, "revision": event.revision,
        "purpose": purpose, "due_at": due, "account_id": account["id"],
        "activity_event_id": event.event_id,
    }
    try:
        post = rendering.render_post(account["platform"], replace(view, reason=reason),
                                     purpose,  # type: ignore[arg-type]
                                     status, list(account["languages"]))
    except rendering.CannotRender as exc:
        # Kept as a skipped delivery, so staff see why nothing went to this account; no
        # failure (notification.failed) and no decision asked: nothing done to this delivery
        # helps, an image added to the activity plans the post anew.
        await uow.store.add_delivery(
            **common, status=domain.SKIPPED, content=None, language=None,
            error_class=domain.CANNOT_CARRY, last_error=str(exc))
        return
    await uow.store.add_delivery(**common, status="pending", content=post.as_json(),
                                 language=post.language)


async def _replan_announcement(uow: Uow, clock: Clock, facts: dict[str, Any],
                               account_id: UUID, events_url: str,
                               links: domain.ReachLinks | None) -> None:
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
                            _view(event, place, events_url, links))


async def plan_booking_email(uow: Uow, clock: Clock, event: rendering.BookingMessage,
                             booking_url: str | None = None) -> None:
    """Email the organiser about their booking, when they gave an address (the booking
    service sends only a verified one) and the city has an email sender configured; in their
    language, linking the booking on their own page (`booking_url`: the booking service's
    public address) when they can sign in there. A rejection, cancellation or release drops a
    mail not yet sent; a booking that has ended is past telling (a replay of the topic into an
    empty database must not mail its organiser again, door code and all), but for a no-show,
    told up to a day after its time. Keyed by the booking's revision, so a redelivery plans it
    once and each change gets its own. A mail holding a door code is marked secret: its text
    is erased once it is sent or given up (migration 015), as the address is."""
    if not event.contact_email:
        return
    if isinstance(event, BookingMoved) and (event.starts_at, event.ends_at) == (
            event.previous_starts_at, event.previous_ends_at):
        return  # a repeated move request answered again: the time did not change
    ended = event.ends_at <= clock.now() - (
        timedelta(days=1) if isinstance(event, BookingNoShow) else timedelta(0))
    async with uow:
        store = uow.store
        account = await store.email_account()
        if account is None:
            return
        purpose = rendering.booking_purpose(event)
        # The calendar entry's SEQUENCE: each change of the booking outranks the one before.
        revision = rendering.booking_sequence(event)
        if purpose not in ("booking_confirmed", "booking_moved"):
            # Not the mail this very change planned, if it came before: a redelivered
            # cancellation dropped its own waiting mail and, its key taken, planned none.
            await store.cancel_waiting(booking_id=event.booking_id, except_key=_email_key(
                account, event.booking_id, purpose, revision))
        if ended:
            return
        board = await store.get_board(domain.board_id_for_venue(event.venue_id))
        place = _venue_place(board, event.space_id)
        if isinstance(event, BookingCancelled) and event.series_id is not None:
            await _plan_series_cancellation(store, account, event, place, revision,
                                            booking_url, clock.now())
            return
        # A walk-in without an account has no /my page to follow the link to (tester #14).
        link = (rendering.my_booking_url(booking_url, event.booking_id, event.contact_language)
                if booking_url and rendering.organiser_signs_in(event) else None)
        message = rendering.render_booking_email(event, place, revision, link)
        await _plan_email(store, account, event.booking_id, purpose, message,
                          event.contact_email, clock.now(), revision=revision,
                          booking_id=event.booking_id,
                          secret=bool(getattr(event, "access_code", None)))


async def _plan_series_cancellation(store: NotificationStore, account: Row,
                                    event: BookingCancelled, place: LocalizedText | None,
                                    revision: int, booking_url: str | None,
                                    now: datetime) -> None:
    """A cancelled time of a series: the booking service cancels a whole series in one
    transaction, one `booking.cancelled` a time, so its organiser got a mail per time. The
    first time's mail waits `SERIES_MAIL_HOLD` and the times cancelled with it join it (same
    series, address and words: domain.series_mail_group), so one mail lists them all, with
    one calendar attachment removing each. A time that joins keeps its own delivery key (a
    row marked as sent in the series' mail), so a redelivery adds it nowhere twice; a time
    cancelled after the mail went gets a mail of its own, as before."""
    assert event.series_id is not None and event.contact_email
    signs_in = rendering.organiser_signs_in(event)
    group = domain.series_mail_group(
        event.series_id, event.contact_email, event.contact_language, event.title,
        event.venue_id, event.space_id, event.reason, event.cancelled_by,
        bool(booking_url and signs_in))
    time = rendering.SeriesTime(event.booking_id, event.starts_at, event.ends_at, revision)
    purpose = "booking_cancelled"
    target = f"{account['id']}:{purpose}"
    own_key = _email_key(account, event.booking_id, purpose, revision)
    waiting = await store.pending_series_mail(event.series_id, group)
    if waiting is None:
        link = (rendering.my_booking_url(booking_url, event.booking_id, event.contact_language)
                if booking_url and signs_in else None)
        message = rendering.render_booking_email(event, place, revision, link)
        started = {"id": str(event.series_id), "group": group, "times": [time.as_json()]}
        await store.add_delivery(
            key=own_key, channel="email", target=target, revision=revision, purpose=purpose,
            status="pending", due_at=now + domain.SERIES_MAIL_HOLD,
            content=message.as_json() | {"series": started}, language=message.language,
            account_id=account["id"], booking_id=event.booking_id,
            recipient=event.contact_email)
        return
    series: dict[str, Any] = dict(waiting["content"]["series"])
    times = [rendering.SeriesTime.from_json(t) for t in series["times"]]
    if any(t.booking_id == event.booking_id for t in times):
        return  # in the mail already
    # This time's own delivery, told in the series' mail: its key taken, so a redelivery of
    # the same cancellation plans nothing more; no address kept, nothing of its own to send.
    if await store.add_delivery(
            key=own_key, channel="email", target=target, revision=revision, purpose=purpose,
            status="cancelled", due_at=now, content=None, language=event.contact_language,
            account_id=account["id"], booking_id=event.booking_id,
            last_error=f"sent in one mail with the series' other times ({waiting['id']})"
            ) is None:
        return  # planned before
    times.append(time)
    # The mail links each time on the organiser's own page (who signs in has one).
    message = rendering.render_series_cancellation(
        event, times, place, booking_url if booking_url and signs_in else None)
    series["times"] = [t.as_json() for t in times]
    await store.set_content(waiting["id"], message.as_json() | {"series": series},
                            message.language)


async def plan_attendance_prompt(uow: Uow, clock: Clock, event: BookingEnded,
                                 events_url: str) -> None:
    """Issue #16: a confirmed booking's time is over, so its organiser is asked, once per
    activity and in their language, to report how many took part and came by, on the
    events service's form for the activity (`events_url`: its public address). Only for an
    activity of the booking that this service knows as published (not cancelled or
    postponed) and that has started; keyed by the activity, so a redelivery, or a second
    booking of the same activity, asks once. The address is erased once sent or given up."""
    if not event.contact_email:
        return
    async with uow:
        store = uow.store
        account = await store.email_account()
        if account is None:
            return
        now = clock.now()
        for activity in await store.activities_of_booking(event.booking_id):
            facts = activity["facts"] or {}
            if activity["status"] != "published" or not facts.get("starts_at") \
                    or activity.get("attendance_reported_at") is not None:
                continue  # not held, or its attendance is reported already
            starts_at = datetime.fromisoformat(facts["starts_at"])
            ends_at = datetime.fromisoformat(facts["ends_at"])
            if starts_at > now:
                continue  # moved to a later time than its booking: not held yet
            board = (await store.get_board(domain.board_id_for_venue(UUID(facts["venue_id"])))
                     if facts.get("venue_id") else None)
            space = UUID(facts["space_id"]) if facts.get("space_id") else None
            place = _venue_place(board, space) or (
                LocalizedText(**facts["place_name"]) if facts.get("place_name") else None)
            message = rendering.render_attendance_prompt(
                LocalizedText(**facts["name"]), starts_at, ends_at, place,
                event.contact_language,
                rendering.attendance_url(events_url, activity["id"], event.contact_language))
            await _plan_email(store, account, activity["id"], "attendance_prompt", message,
                              event.contact_email, now, booking_id=event.booking_id)


async def note_attendance_reported(uow: Uow, clock: Clock, event: AttendanceReported) -> None:
    """The organiser reported the activity's attendance: no prompt asks for it after that."""
    async with uow:
        await uow.store.note_attendance_reported(event.event_id, clock.now())


def _email_key(account: Row, about: UUID, purpose: str, revision: int) -> str:
    """The idempotency key of a mail through the city's sender account (`_plan_email`)."""
    return domain.idempotency_key(about, "email", f"{account['id']}:{purpose}", revision)


async def _plan_email(store: NotificationStore, account: Row, about: UUID, purpose: str,
                      message: rendering.Rendered, recipient: str, now: datetime, *,
                      revision: int = 0, booking_id: UUID | None = None,
                      secret: bool = False) -> None:
    """One email through the city's sender account, keyed by what it is about, its purpose
    and revision, so a redelivered event plans it once. A `secret` one (a door code) keeps
    its text only until it is sent or given up (migration 015)."""
    target = f"{account['id']}:{purpose}"
    content = message.as_json() | ({"secret": True} if secret else {})
    await store.add_delivery(
        key=_email_key(account, about, purpose, revision),
        channel="email", target=target, revision=revision, purpose=purpose,
        status="pending", due_at=now, content=content, language=message.language,
        account_id=account["id"], booking_id=booking_id, recipient=recipient)


async def plan_approval_email(uow: Uow, clock: Clock, event: ActivityEventApprovalDecided,
                              events_url: str) -> None:
    """Tell the organiser what staff decided about their activity in the approval queue,
    when the events service kept their verified address and the city has an email sender.
    Keyed by the decision, so a redelivery plans it once and a later decision (refused, then
    sent again) gets its own; an activity that has ended is past telling (a replay of the
    topic). The address is erased from the delivery once it is sent or given up."""
    if not event.contact_email or event.ends_at <= clock.now():
        return
    async with uow:
        account = await uow.store.email_account()
        if account is None:
            return
        await _plan_email(uow.store, account, event.decision_id,
                          rendering.approval_purpose(event),
                          rendering.render_approval_email(
                              event, rendering.event_page_url(events_url, event.event_id)),
                          event.contact_email, clock.now())


async def plan_guide_reply_email(uow: Uow, clock: Clock, event: GuideReplyRequested) -> None:
    """Email a staff member's answer to the resident who asked the guide, when the city has
    an email sender; the address is erased from the delivery once it is sent or given up."""
    async with uow:
        account = await uow.store.email_account()
        if account is None:
            return
        await _plan_email(uow.store, account, event.message_id, "guide_reply",
                          rendering.render_guide_reply(event), event.contact_email,
                          clock.now())


async def plan_contact_verification(uow: Uow, clock: Clock,
                                    event: ContactVerificationRequested) -> None:
    """Email the one-time link to an address an organiser gave (the only mail an unverified
    address gets). A link already expired (a replay of the topic) is not sent; the link is
    erased from the delivery once it is sent or given up (migration 010)."""
    if event.expires_at <= clock.now():
        return
    async with uow:
        store = uow.store
        account = await store.email_account()
        if account is None:
            return
        await _plan_email(store, account, event.verification_id, "contact_verification",
                          rendering.render_verification_email(event), event.email,
                          clock.now())


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


async def drop_out_of_date(uow: Uow, clock: Clock, events_url: str,
                           links: domain.ReachLinks | None = None) -> int:
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
                                           events_url, links)
    return len(rows)


async def claim_due(uow: Uow, clock: Clock, replica: str, lease_seconds: float,
                    limit: int) -> list[Row]:
    """Claim up to `limit` due deliveries for this replica, committed as `sending` under its
    lease; each with its account and its activity's where and when."""
    async with uow:
        return await uow.store.claim_due(replica, lease_seconds, limit, clock.now())


async def release_claims(uow: Uow, clock: Clock, ids: list[UUID], replica: str) -> int:
    """A replica that shuts down before its sends ended gives their claims up now instead of
    when the lease would run out: the next pass of any replica takes them as lost leases
    (recover_lost_leases: sent again where that is safe, else unconfirmed for a person),
    the same rule as for a replica that died, only without the wait."""
    async with uow:
        return await uow.store.release_claims(ids, replica, clock.now())


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
                    starts_at=datetime.fromisoformat(row["starts_at"]),
                    # A social account is reached once per activity; each mail is its own
                    # (the email account is one sender for everyone).
                    target=(str(row["account_id"]) if row.get("account_id")
                            and row["channel"] != "email" else None),
                    purpose=row.get("purpose")))
            # A digest or new-activity message reached each of its activities: counted as
            # reach (channel "subscription") without saying who: once per follower and
            # activity, by a pseudonym that differs per activity (so no one's interests can
            # be linked across activities from it).
            for reached in (row["content"] or {}).get("reach") or []:
                follower = row.get("subscription_id")
                await uow.publish(NotificationDelivered(
                    delivery_id=uuid5(row["id"], str(reached["activity_event_id"])),
                    activity_event_id=reached["activity_event_id"],
                    revision=reached.get("revision", 1), channel="subscription",
                    area=reached.get("area"), venue_id=reached.get("venue_id"),
                    starts_at=reached["starts_at"],
                    target=(str(uuid5(follower, str(reached["activity_event_id"])))
                            if follower else None)))
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


# --- residents' own channels: registration (issue #18, ADR 0004) ----------------------------
#
# Who registered is kept here, where the mail is sent, and nowhere else: the bus carries
# counts (registration.counts). A sign-up, a cancellation and the activity's own change lock
# the activity's row (store.lock_activity), so the seats are counted and taken one at a time:
# the last seat goes to one person, however many ask at once.

@dataclass(frozen=True)
class SignUp:
    activity_event_id: UUID
    name: str
    email: str
    language: str = "fi"
    seats: int = 1
    answers: dict[str, str] | None = None
    #: The client's network address (the ceiling per client; only its keyed hash is kept).
    client: str | None = None


@dataclass(frozen=True)
class SignedUp:
    registration: Row
    #: Place in the waiting list (1 = next), None when confirmed.
    position: int | None
    #: The signed token of the registrant's cancel link.
    token: str


@dataclass(frozen=True)
class RegistrationSettingsCommand:
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    #: None: the organiser set none, and the default by the places is saved
    #: (domain.default_group).
    max_group: int | None = None
    capacity: int | None = None
    questions: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class RegistrationPage:
    """What the public sign-up page shows: the activity, its rules and the seats left."""

    activity: Row
    rules: domain.RegistrationRules
    counts: Row
    #: Why no sign-up is taken now (domain.closed_reason), None while open.
    closed: str | None
    #: Sign-ups on the waiting list a new one would wait behind (domain.waiting_before):
    #: with places free, a new sign-up still joins the list after them.
    waiting_before: int = 0


def cancel_url(links: domain.ReachLinks, registration: Row) -> str:
    token = links.token("registration", registration["id"])
    return links.url(f"/registrations/cancel/{token}?lang={registration['language']}")


def _event_of(facts: dict[str, Any]) -> ActivityEventUpdated:
    return ActivityEventUpdated.model_validate(facts)


#: "Online" in every language, as the posts say it: where an activity is that has no place.
_ONLINE = LocalizedText(**{code: rendering._LABELS[code]["online"] for code in ("fi", "sv", "en")})


def _said_place(place: LocalizedText | None, event: ActivityEventChange
                ) -> LocalizedText | None:
    """Where residents read the activity is: its place (`_place`), else online, if it is."""
    return _ONLINE if place is None and event.place_kind == "online" else place


async def _place_said(store: NotificationStore, event: ActivityEventChange
                      ) -> LocalizedText | None:
    """`_said_place`, its venue's board read for it (one read)."""
    board = (await store.get_board(domain.board_id_for_venue(event.venue_id))
             if event.venue_id is not None else None)
    return _said_place(_place(board, event), event)


async def _where(store: NotificationStore, facts: dict[str, Any], lang: str) -> str | None:
    said = await _place_said(store, _event_of(facts))
    return said.get(lang) if said is not None else None


async def _activity(store: NotificationStore, event_id: UUID, lock: bool) -> Row:
    row = await (store.lock_activity(event_id) if lock else store.get_activity(event_id))
    if row is None or row["facts"] is None:
        raise NotFound("no such activity", activity_event_id=str(event_id))
    return row


async def _rules(store: NotificationStore, activity: Row) -> domain.RegistrationRules:
    settings = await store.registration_settings(activity["id"])
    return domain.registration_rules(activity["status"], activity["facts"], settings)


async def _email_registrant(uow: Uow, clock: Clock, links: domain.ReachLinks, events_url: str,
                            registration: Row, facts: dict[str, Any], what: str,
                            waiting: domain.Waiting | None = None,
                            resent_at: datetime | None = None) -> None:
    """confirmed | waiting | promoted | cancelled, in the registrant's language, through the
    delivery machinery (exactly once: the key is the registration's and the message's); a
    waiting one with its place in the list and why it waits (`waiting`).
    `resent_at`: the confirmation (or the waiting list's mail) asked for again then, one
    mail of its own (`domain.REGISTRATION_RESENT`) for each time it may be asked for."""
    store = uow.store
    account = await store.email_account()
    if account is None or not registration["email"]:
        return
    lang = registration["language"]
    purpose = (domain.REGISTRATION_PURPOSES[what] if resent_at is None
               else domain.REGISTRATION_RESENT)
    once = 0 if resent_at is None else int(resent_at.timestamp())
    signup_url = (None if resent_at is None else links.url(
        f"/registrations/{registration['activity_event_id']}?lang={lang}"))
    message = reach_text.registration_email(
        what, facts, lang=lang, name=registration["name"], seats=registration["seats"],
        waiting=waiting, where=await _where(store, facts, lang),
        page_url=rendering.event_page_url(events_url, registration["activity_event_id"]),
        cancel_url=cancel_url(links, registration),
        registration_id=str(registration["id"]), revision=int(facts.get("revision", 1)),
        signup_url=signup_url)
    await store.add_reach_delivery(
        key=domain.idempotency_key(registration["id"], "email", purpose, once),
        purpose=purpose,
        account_id=account["id"], due_at=clock.now(), content=message.as_json(),
        language=message.language, recipient=registration["email"],
        registration_id=registration["id"])


async def _publish_counts(uow: Uow, activity: Row, rules: domain.RegistrationRules) -> Row:
    store, facts = uow.store, activity["facts"]
    counts = await store.seat_counts(activity["id"])
    await uow.publish(RegistrationCounts(
        activity_event_id=activity["id"],
        sequence=await store.next_counts_sequence(activity["id"]), capacity=rules.capacity,
        confirmed_seats=counts["confirmed_seats"], waiting_seats=counts["waiting_seats"],
        attended_seats=counts["attended_seats"], area=facts.get("area"),
        venue_id=facts.get("venue_id"), starts_at=facts["starts_at"]))
    return counts


async def _promote(uow: Uow, clock: Clock, links: domain.ReachLinks, events_url: str,
                   activity: Row, rules: domain.RegistrationRules) -> int:
    """Move the waiting list up into the seats now free (domain.promotions), each told by
    email; the activity's row is locked by the caller."""
    if activity["status"] != "published":
        return 0
    store = uow.store
    counts = await store.seat_counts(activity["id"])
    moved = domain.promotions(rules.capacity, counts["confirmed_seats"],
                              await store.waiting_list(activity["id"]))
    now = clock.now()
    for registration_id in moved:
        await store.set_registration_status(registration_id, "confirmed", now)
        registration = await store.get_registration(registration_id)
        assert registration is not None
        await _email_registrant(uow, clock, links, events_url, registration,
                                activity["facts"], "promoted")
    return len(moved)


async def registration_page(uow: Uow, clock: Clock, event_id: UUID) -> RegistrationPage:
    async with uow:
        activity = await _activity(uow.store, event_id, lock=False)
        rules = await _rules(uow.store, activity)
        counts = await uow.store.seat_counts(event_id)
        waiting = await uow.store.waiting_list(event_id)
    return RegistrationPage(activity, rules, counts, domain.closed_reason(rules, clock.now()),
                            domain.waiting_before(rules.capacity,
                                                  [seats for _, seats in waiting]))


async def register(uow: Uow, clock: Clock, links: domain.ReachLinks, events_url: str,
                   command: SignUp, refused_already: Sequence[Invalid] = ()) -> SignedUp:
    """A resident signs up (a group: `seats`): confirmed while seats last and nobody waits,
    else on the waiting list; an email confirms either, with a cancel link. One live
    registration per address and activity. `refused_already`: the page's fields it could
    not read (a NUL), refused with the rest, each field once."""
    # Every field's refusal said at once (`domain.check_signup`), the name's and address's
    # with those of the seats and answers.
    refused: list[Invalid] = list(refused_already)
    unread = {exc.field for exc in refused}
    name = ("" if "name" in unread else
            checked(refused, lambda: domain.check_registrant_name(command.name), ""))
    email = ("" if "email" in unread else
             checked(refused, lambda: domain.checked_email(command.email), ""))
    now = clock.now()
    async with uow:
        store = uow.store
        activity = await _activity(store, command.activity_event_id, lock=True)
        rules = await _rules(store, activity)
        answers = domain.check_signup(rules, now, command.seats, command.answers or {},
                                      refused)
        if await store.address_registered(activity["id"], email):
            raise Conflict("this address has already registered for the activity",
                           field="email", code="already")
        await _public_mail_allowed(store, links, command.client, now)
        signed_up = await store.registrations_since(email, now - DAY, domain.REGISTER_PER_DAY)
        signed_up.check(DAY, now, "this address has been signed up too often in a day",
                        code="too_many_signups")
        counts = await store.seat_counts(activity["id"])
        status = domain.placement(rules.capacity, counts["confirmed_seats"],
                                  [seats for _, seats in
                                   await store.waiting_list(activity["id"])], command.seats)
        registration = {"id": uuid4(), "activity_event_id": activity["id"], "status": status,
                        "seats": command.seats, "name": name, "email": email,
                        "language": reach_text.lang_of(command.language), "answers": answers,
                        # Stamped under the activity's lock: the waiting list moves up in
                        # this order, so it is the order the places were counted in.
                        "created_at": clock.now()}
        await store.insert_registration(registration)
        saved = await store.get_registration(registration["id"])
        assert saved is not None
        waiting = await _waiting(store, activity, saved)
        await _email_registrant(uow, clock, links, events_url, saved, activity["facts"],
                                status, waiting)
        await _publish_counts(uow, activity, rules)
    return SignedUp(saved, waiting.position if waiting else None,
                    links.token("registration", saved["id"]))


@dataclass(frozen=True)
class ResendConfirmation:
    """The sign-up form's "send the confirmation again", for the address it refused as
    already registered."""

    activity_event_id: UUID
    email: str
    #: The client's network address (the public forms' ceiling per client).
    client: str | None = None


async def resend_confirmation(uow: Uow, clock: Clock, links: domain.ReachLinks,
                              events_url: str, command: ResendConfirmation) -> None:
    """Mail the address's registration for the activity its confirmation again (with its
    cancel link), to that address only, at most once per `domain.RESEND_EVERY`.

    Says nothing of whether the address is registered, whatever happens: the page that asks
    tells every address the same, so it cannot be used to learn who signed up. A mail the
    form asks for counts against the client's hourly ceiling like a sign-up's."""
    try:
        email = domain.checked_email(command.email)
    except Invalid:
        return  # no registration has such an address
    now = clock.now()
    async with uow:
        store = uow.store
        activity = await _activity(store, command.activity_event_id, lock=False)
        await _public_mail_allowed(store, links, command.client, now)
        registration = await store.live_registration(activity["id"], email)
        if (registration is None or activity["status"] != "published"
                or not domain.may_resend(registration["confirmation_resent_at"], now)):
            return
        waiting = await _waiting(store, activity, registration)
        await store.note_confirmation_resent(registration["id"], now)
        await _email_registrant(uow, clock, links, events_url, registration,
                                activity["facts"], registration["status"], waiting,
                                resent_at=now)


async def _public_mail_allowed(store: NotificationStore, links: domain.ReachLinks,
                               client: str | None, now: datetime) -> None:
    """A public form's mail is noted for its client; past the hourly ceiling, refused."""
    sender = links.sender_of(client)
    if sender is None:
        return
    asked = await store.note_mail_request(sender, now, now - HOUR, links.hourly_per_client)
    asked.check(HOUR, now, "too many sign-ups from this network; try again later",
                code="too_many_from_here")


async def _linked_registration(store: NotificationStore, links: domain.ReachLinks,
                               token: str) -> tuple[Row, Row]:
    """The registration a link names (not anonymised), with its activity."""
    registration_id = links.read("registration", token)
    registration = (await store.get_registration(registration_id)
                    if registration_id else None)
    if registration is None or registration["anonymised_at"] is not None:
        raise NotFound("no such registration", code="no_registration")
    return registration, await _activity(store, registration["activity_event_id"], lock=False)


async def registration_by_link(uow: Uow, links: domain.ReachLinks,
                               token: str) -> tuple[Row, Row]:
    """The registration a cancel link names, with its activity."""
    async with uow:
        return await _linked_registration(uow.store, links, token)


async def _waiting(store: NotificationStore, activity: Row,
                   registration: Row) -> domain.Waiting | None:
    """Where a registration stands in its activity's waiting list now and why it waits;
    None when it does not wait."""
    if registration["status"] != "waiting":
        return None
    waiting = await store.waiting_list(activity["id"])
    rules = await _rules(store, activity)
    counts = await store.seat_counts(activity["id"])
    return domain.waiting_at(rules.capacity, counts["confirmed_seats"], waiting,
                             registration["id"])


async def signed_up(uow: Uow, links: domain.ReachLinks,
                    token: str) -> tuple[Row, Row, domain.Waiting | None]:
    """The registration a sign-up's link names, its activity and, while it waits, where it
    stands in the waiting list now and why it waits (None: it does not)."""
    async with uow:
        registration, activity = await _linked_registration(uow.store, links, token)
        return registration, activity, await _waiting(uow.store, activity, registration)


async def seat_calendar(uow: Uow, links: domain.ReachLinks, events_url: str, token: str,
                        lang: str) -> str:
    """The calendar entry of the seat a sign-up's link names, as its confirmation mail
    attaches it; NotFound while it has none (waiting, cancelled) or the link is no one's."""
    async with uow:
        registration, activity = await _linked_registration(uow.store, links, token)
        if registration["status"] != "confirmed" or activity["status"] in ("cancelled",
                                                                          "postponed"):
            # No seat, or no time to put in a calendar: the mails removed the entry.
            raise NotFound("no seat to put in a calendar", code="no_registration")
        facts = activity["facts"]
        where = await _where(uow.store, facts, lang)
    return reach_text.registration_calendar(
        facts, str(registration["id"]), int(facts.get("revision", 1)), where,
        rendering.event_page_url(events_url, registration["activity_event_id"]), lang)


async def cancel_registration(uow: Uow, clock: Clock, links: domain.ReachLinks,
                              events_url: str, token: str) -> Row:
    """The registrant cancels by their link: the seats go to the waiting list, oldest first.
    Cancelling twice is the same as once."""
    registration_id = links.read("registration", token)
    if registration_id is None:
        raise NotFound("no such registration", code="no_registration")
    async with uow:
        store = uow.store
        probe = await store.get_registration(registration_id)
        if probe is None or probe["anonymised_at"] is not None:
            raise NotFound("no such registration", code="no_registration")
        activity = await _activity(store, probe["activity_event_id"], lock=True)
        registration = await store.get_registration(registration_id, for_update=True)
        assert registration is not None
        if registration["status"] == "cancelled":
            return registration
        await store.set_registration_status(registration_id, "cancelled", clock.now())
        await _email_registrant(uow, clock, links, events_url, registration,
                                activity["facts"], "cancelled")
        rules = await _rules(store, activity)
        await _promote(uow, clock, links, events_url, activity, rules)
        await _publish_counts(uow, activity, rules)
        cancelled = await store.get_registration(registration_id)
    assert cancelled is not None
    return cancelled


def _may_list(principal: Principal, activity: Row) -> None:
    if principal.is_public:
        raise Unauthenticated("sign in first", code="sign_in")
    if not domain.may_see_participants(principal.roles, principal.venues, principal.subject,
                                       activity["facts"]):
        raise Forbidden("only the activity's organiser, its venue's desk and communications "
                        "staff see who registered", code="participants_forbidden")


async def participants(uow: Uow, principal: Principal,
                       event_id: UUID) -> tuple[Row, domain.RegistrationRules, list[Row], Row]:
    """The list of those who registered (confirmed, then the waiting list), for the organiser
    and the desk: the activity, its rules, the registrations and the counts."""
    async with uow:
        activity = await _activity(uow.store, event_id, lock=False)
        _may_list(principal, activity)
        rules = await _rules(uow.store, activity)
        rows = await uow.store.registrations_of(event_id)
        counts = await uow.store.seat_counts(event_id)
    return activity, rules, rows, counts


async def registration_settings(uow: Uow, principal: Principal, event_id: UUID
                                ) -> tuple[Row, Row | None, domain.RegistrationRules]:
    """What the organiser's settings page shows (those who may list the participants): the
    activity, its settings as saved (None: never saved) and the rules they make."""
    async with uow:
        activity = await _activity(uow.store, event_id, lock=False)
        _may_list(principal, activity)
        settings = await uow.store.registration_settings(event_id)
    return activity, settings, domain.registration_rules(activity["status"],
                                                         activity["facts"], settings)


async def mark_attendance(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                          present: Sequence[UUID], absent: Sequence[UUID]) -> Row:
    """Who came (`present`) and who did not (`absent`), from the list: counted (attended
    seats) in registration.counts. One person in both is refused (`attendance_both`): which
    would be true? So is an id of no registration of the activity at all
    (`attendance_unknown`): a form changed by hand was answered "saved" with nothing saved.
    Ids of a registration no longer confirmed (cancelled meanwhile) change nothing."""
    both = sorted(set(present) & set(absent), key=str)
    if both:
        raise Invalid("a registration is both present and absent", field="absent",
                      code="attendance_both", ids=[str(i) for i in both[:20]])
    marks = {**dict.fromkeys(absent, False), **dict.fromkeys(present, True)}
    async with uow:
        activity = await _activity(uow.store, event_id, lock=True)
        _may_list(principal, activity)
        ours = {r["id"] for r in await uow.store.registrations_of(
            event_id, ("confirmed", "waiting", "cancelled"))}
        unknown = sorted(set(marks) - ours, key=str)
        if unknown:
            raise Invalid("not a registration of this activity", field="present",
                          code="attendance_unknown", ids=[str(i) for i in unknown[:20]])
        await uow.store.mark_attended(event_id, marks, clock.now())
        return await _publish_counts(uow, activity, await _rules(uow.store, activity))


async def save_registration_settings(uow: Uow, clock: Clock, principal: Principal,
                                     links: domain.ReachLinks, events_url: str,
                                     event_id: UUID,
                                     command: RegistrationSettingsCommand,
                                     refused: Sequence[Invalid] = ()) -> Row:
    """The sign-up window, group size, seats (over the activity's own capacity) and the
    organiser's questions. More seats move the waiting list up at once. Every rule broken
    is refused at once, with those of `refused` (the page's values it could not read), and
    nothing is stored then; who may not change them hears that first. No group limit
    given: the default by the places (the settings' own, else the activity's), so what is
    saved is what a sign-up takes."""
    async with uow:
        store = uow.store
        activity = await _activity(store, event_id, lock=True)
        _may_list(principal, activity)
        # Checked against the activity's time as it is now (moved earlier since the
        # settings were saved, a closing or opening time past it is refused until set
        # again).
        starts_at = activity["facts"].get("starts_at")
        questions = domain.check_registration_settings(
            opens_at=command.opens_at, closes_at=command.closes_at,
            max_group=(domain.DEFAULT_MAX_GROUP if command.max_group is None
                       else command.max_group),
            capacity=command.capacity, questions=command.questions, refused=refused,
            starts_at=datetime.fromisoformat(starts_at) if starts_at else None,
            confirmed_seats=(await store.seat_counts(event_id))["confirmed_seats"])
        max_group = command.max_group
        if max_group is None:
            max_group = domain.default_group(command.capacity
                                             or activity["facts"].get("capacity"))
        await store.save_registration_settings(event_id, {
            "opens_at": command.opens_at, "closes_at": command.closes_at,
            "max_group": max_group, "capacity": command.capacity,
            "questions": questions}, clock.now())
        rules = await _rules(store, activity)
        await _promote(uow, clock, links, events_url, activity, rules)
        # The places as set now (and who moved up into them), for the events service's page
        # to show one figure: a save told no one before the next sign-up.
        await _publish_counts(uow, activity, rules)
        saved = await store.registration_settings(event_id)
    assert saved is not None
    return saved


async def tell_registrants(uow: Uow, clock: Clock, links: domain.ReachLinks, events_url: str,
                           event: ActivityEventChange, change: str,
                           previous_facts: dict[str, Any] | None = None) -> int:
    """The activity changed, moved, was postponed or cancelled: everyone registered (and
    waiting) hears of it in their language, once per revision. Runs inside the handler's
    unit of work (plan_activity_event); more seats move the waiting list up.

    An edit (`updated`, its facts before it `previous_facts`) is told to those it changed
    something for, saying what: its name, time or place as they read them, or its places
    (`domain.registrant_changes`); an edit of nothing they read (its description, the
    activity's own places where the sign-up's settings set others) mails no one."""
    store = uow.store
    if change == "published":
        return 0
    # One indexed read on the consumer's path; most activities have no registrations.
    registrations = await store.registrations_of(event.event_id)
    if not registrations:
        if change in ("updated", "rescheduled") and await store.registration_settings(
                event.event_id):
            # Saved settings told the events service the places: the activity's own
            # places changed may be what the sign-up now takes, so they are told again.
            activity = await store.lock_activity(event.event_id)
            if activity is not None:
                await _publish_counts(uow, activity, await _rules(store, activity))
        return 0
    activity = await store.lock_activity(event.event_id)  # held already by the handler
    if activity is None:
        return 0
    account = await store.email_account()
    facts = activity["facts"]
    previous = None
    if isinstance(event, ActivityEventRescheduled):
        previous = {"starts_at": event.previous_starts_at.isoformat(),
                    "ends_at": event.previous_ends_at.isoformat()}
    # Where it is, in every language: its venue's board read once for all the registrants.
    mailing = account is not None and any(r["email"] for r in registrations)
    said = await _place_said(store, _event_of(facts)) if mailing else None
    # An edit: what it was before, as the registrants read it (where, and the places).
    compared = change == "updated" and previous_facts is not None and mailing
    said_before = (await _place_said(store, _event_of(previous_facts))
                   if compared and previous_facts is not None else None)
    settings = await store.registration_settings(event.event_id) if compared else None
    places = domain.registration_rules(activity["status"], facts, settings).capacity
    places_before = (domain.registration_rules(activity["status"], previous_facts,
                                               settings).capacity
                     if compared and previous_facts is not None else None)
    told = 0
    for registration in registrations:
        if account is None or not registration["email"]:
            continue
        lang = registration["language"]
        where = said.get(lang) if said is not None else None
        changed: tuple[str, ...] = ()
        before = None
        if compared and previous_facts is not None:
            before = reach_text.registrant_details(
                previous_facts, lang, said_before.get(lang) if said_before else None,
                places_before)
            changed = domain.registrant_changes(
                before, reach_text.registrant_details(facts, lang, where, places))
            if not changed:
                continue  # nothing they read of it changed
        message = reach_text.change_email(
            change, facts, previous, lang=lang, name=registration["name"], where=where,
            page_url=rendering.event_page_url(events_url, event.event_id),
            cancel_url=cancel_url(links, registration),
            registration_id=str(registration["id"]), revision=event.revision,
            confirmed=registration["status"] == "confirmed",
            reason=event.reason
            if isinstance(event, ActivityEventCancelled | ActivityEventPostponed) else None,
            changed=changed, before=before, places=places, seats=registration["seats"])
        if await store.add_reach_delivery(
                key=domain.idempotency_key(registration["id"], "email", "registration_change",
                                           event.revision),
                purpose="registration_change", account_id=account["id"], due_at=clock.now(),
                content=message.as_json(), language=message.language,
                recipient=registration["email"], revision=event.revision,
                registration_id=registration["id"]):
            told += 1
    if change in ("updated", "rescheduled"):
        # The places may have changed with the activity (its own capacity, where the
        # sign-up settings set none), and its time: told whether or not anyone moved up, so
        # the events service's page never keeps the places of a count before the change.
        rules = await _rules(store, activity)
        if change == "updated":
            await _promote(uow, clock, links, events_url, activity, rules)
        await _publish_counts(uow, activity, rules)
    return told


async def anonymise_registrations(uow: Uow, clock: Clock, retention_days: int) -> int:
    """Names, addresses and answers of registrations `retention_days` after the activity
    ended (KOHTAAMO_REGISTRATION_RETENTION_DAYS), and subscriptions unsubscribed or never
    confirmed that long ago."""
    now = clock.now()
    cutoff = now - timedelta(days=retention_days)
    async with uow:
        done = await uow.store.anonymise_registrations(cutoff, now)
        done += await uow.store.forget_old_subscriptions(cutoff)
    return done


async def forget_mail_requests(uow: Uow, clock: Clock) -> int:
    """The public forms' notes of who asked for mail: the ceiling counts an hour, and they
    are kept a day at most."""
    async with uow:
        return await uow.store.forget_mail_requests(clock.now() - DAY)


# --- residents' own channels: following ---------------------------------------------------

@dataclass(frozen=True)
class Following:
    """What a resident follows (every chosen list must match; an empty list: any)."""

    email: str
    language: str = "fi"
    venue_ids: tuple[UUID, ...] = ()
    areas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    #: Besides the weekly digest, a message for each new matching activity.
    each_new: bool = False
    #: The client's network address (the ceiling per client; only its keyed hash is kept).
    client: str | None = None

    def data(self) -> dict[str, Any]:
        return {"language": reach_text.lang_of(self.language),
                "venue_ids": list(dict.fromkeys(self.venue_ids)),
                "areas": list(dict.fromkeys(self.areas)),
                "topics": list(dict.fromkeys(self.topics)),
                "audiences": list(dict.fromkeys(self.audiences)),
                "kinds": list(dict.fromkeys(self.kinds)), "each_new": self.each_new}


def subscriber_links(links: domain.ReachLinks, subscription_id: UUID,
                     lang: str) -> dict[str, str]:
    token = links.token("subscription", subscription_id)
    return {"token": token,
            "confirm": links.url(f"/follow/confirm/{token}?lang={lang}"),
            "prefs": links.url(f"/follow/{token}?lang={lang}"),
            "unsubscribe": links.url(f"/follow/{token}/unsubscribe"),
            "ics": links.url(f"/follow/{token}/feed.ics"),
            "rss": links.url(f"/follow/{token}/feed.rss")}


async def _check_venues(store: NotificationStore, venue_ids: Iterable[UUID],
                        kept: Iterable[Any] = ()) -> None:
    """A venue followed is one the follow form offers (a venue with a board), or one the
    subscription follows already (`kept`, a venue gone since): an id of no venue was kept
    as an active subscription that matches nothing, refused as the lists' other odd
    choices are."""
    wanted = {str(v) for v in venue_ids} - {str(v) for v in kept}
    if not wanted:
        return
    known = {str(b["venue_id"]) for b in await store.list_boards(None, None)
             if b["venue_id"] is not None and b["venue_revision"]}
    if wanted - known:
        raise Invalid("not something to follow: no such venue", field="venue_ids",
                      code="not_followable")


def _same_choices(row: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """Whether a subscription follows just what `data` chooses (in any order): the same
    address's two of these would mail each digest twice."""
    return all({str(v) for v in row.get(field) or ()} == {str(v) for v in data.get(field) or ()}
               for field in domain.FOLLOW_FIELDS)


async def _plan_confirmation(store: NotificationStore, links: domain.ReachLinks,
                             subscription_id: UUID, email: str, lang: str, now: datetime,
                             once: int = 0) -> None:
    """The confirmation mail of a pending subscription; `once`: a repeat of it (its own
    mail, keyed by when it was asked for)."""
    account = await store.email_account()
    if account is None:
        return
    urls = subscriber_links(links, subscription_id, lang)
    message = reach_text.confirm_email(lang, urls["confirm"])
    await store.add_reach_delivery(
        key=domain.idempotency_key(subscription_id, "email", "confirm", once),
        purpose="subscription_confirm", account_id=account["id"], due_at=now,
        content=message.as_json(), language=message.language, recipient=email,
        subscription_id=subscription_id)


async def _plan_already_following(store: NotificationStore, links: domain.ReachLinks,
                                   subscription: Row, now: datetime) -> None:
    """The owner of an active subscription told that its choices were followed again, with
    its links, in its own language (the form's answer says nothing of it)."""
    account = await store.email_account()
    if account is None:
        return
    lang = subscription["language"]
    urls = subscriber_links(links, subscription["id"], lang)
    message = reach_text.already_following_email(lang, urls["prefs"], urls["unsubscribe"])
    await store.add_reach_delivery(
        key=domain.idempotency_key(subscription["id"], "email", "known",
                                   int(now.timestamp() * 1000)),
        purpose="subscription_known", account_id=account["id"], due_at=now,
        content=message.as_json(), language=message.language,
        recipient=subscription["email"], subscription_id=subscription["id"])


async def subscribe(uow: Uow, clock: Clock, links: domain.ReachLinks,
                    command: Following) -> Row:
    """A new subscription, pending until the address confirms it (double opt-in): nothing
    but the confirmation is sent before that.

    The same address following the same choices again (the form sent twice) gets no second
    subscription, whose digests would come twice: one pending has its confirmation mailed
    again; one active has its owner mailed that it is followed already, with its links.
    Either counts against the address's daily confirmations like a new one's, and the
    caller is answered alike in all three cases, so the form tells no one what an address
    follows."""
    email = domain.checked_email(command.email)
    data = command.data()
    domain.check_following(data)
    now = clock.now()
    async with uow:
        store = uow.store
        await _check_venues(store, data["venue_ids"])
        await _public_mail_allowed(store, links, command.client, now)
        # One address's follows one at a time: two forms sent at once make one subscription.
        await store.lock_address(email)
        same = [row for row in await store.live_subscriptions_of(email)
                if _same_choices(row, data)]
        active = next((row for row in same if row["status"] == "active"), None)
        mailed = await store.confirmations_since(email, now - DAY, domain.FOLLOW_PER_DAY)
        mailed.check(DAY, now, "this address has been subscribed too often in a day",
                     code="too_many")
        if active is not None:
            await _plan_already_following(store, links, active, now)
            return active
        if same:
            # Pending: its confirmation again, in the language asked for now.
            pending = same[0]
            await _plan_confirmation(store, links, pending["id"], email, data["language"],
                                     now, once=int(now.timestamp() * 1000))
            return pending
        subscribed = await store.subscriptions_since(email, now - DAY, domain.FOLLOW_PER_DAY)
        subscribed.check(DAY, now, "this address has been subscribed too often in a day",
                         code="too_many")
        subscription_id = uuid4()
        await store.insert_subscription({**data, "id": subscription_id, "email": email,
                                         "created_at": now})
        await _plan_confirmation(store, links, subscription_id, email, data["language"], now)
        saved = await store.get_subscription(subscription_id)
    assert saved is not None
    return saved


async def _subscription(store: NotificationStore, links: domain.ReachLinks, token: str,
                        for_update: bool = False) -> Row:
    subscription_id = links.read("subscription", token)
    row = (await store.get_subscription(subscription_id, for_update)
           if subscription_id else None)
    if row is None:
        raise NotFound("no such subscription", code="no_subscription")
    return row


async def subscription_by_link(uow: Uow, links: domain.ReachLinks, token: str) -> Row:
    async with uow:
        return await _subscription(uow.store, links, token)


async def confirm_subscription(uow: Uow, clock: Clock, links: domain.ReachLinks,
                               token: str) -> Row:
    """The address confirmed: the subscription is active (an unsubscribed one stays so)."""
    async with uow:
        row = await _subscription(uow.store, links, token, for_update=True)
        if row["status"] == "pending":
            # A twin of one active already (the form sent twice before a second was mailed
            # again instead): confirmed as that one, never a second active one.
            await uow.store.lock_address(row["email"])
            twin = await _active_twin(uow.store, row, row)
            await uow.store.set_subscription_status(
                row["id"], "unsubscribed" if twin else "active", clock.now())
        return await _subscription(uow.store, links, token)


async def _active_twin(store: NotificationStore, row: Row,
                       data: Mapping[str, Any]) -> bool:
    """Whether another subscription of `row`'s address is active following `data`."""
    return any(other["id"] != row["id"] and other["status"] == "active"
               and _same_choices(other, data)
               for other in await store.live_subscriptions_of(row["email"]))


async def change_subscription(uow: Uow, clock: Clock, links: domain.ReachLinks, token: str,
                              command: Following) -> Row:
    data = command.data()
    domain.check_following(data)
    async with uow:
        row = await _subscription(uow.store, links, token, for_update=True)
        await _check_venues(uow.store, data["venue_ids"], kept=row["venue_ids"] or ())
        await uow.store.lock_address(row["email"])
        if await _active_twin(uow.store, row, data):
            raise Conflict("this address follows these already", code="already_following")
        await uow.store.update_subscription(row["id"], data)
        if row["status"] == "unsubscribed":
            # Saving choices again is subscribing again; the address was confirmed before.
            await uow.store.set_subscription_status(row["id"], "active", clock.now())
        return await _subscription(uow.store, links, token)


async def unsubscribe(uow: Uow, clock: Clock, links: domain.ReachLinks, token: str) -> Row:
    """One click (RFC 8058): nothing more is sent; the same again changes nothing."""
    async with uow:
        row = await _subscription(uow.store, links, token, for_update=True)
        if row["status"] != "unsubscribed":
            await uow.store.set_subscription_status(row["id"], "unsubscribed", clock.now())
        return await _subscription(uow.store, links, token)


def _reach(delivery_facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"activity_event_id": f["event_id"], "revision": f.get("revision", 1),
             "area": f.get("area"),
             "venue_id": f.get("venue_id"), "starts_at": f["starts_at"]}
            for f in delivery_facts]


async def _follow_block(store: NotificationStore, activity: Row, lang: str,
                        events_url: str, links: domain.ReachLinks) -> str:
    """One activity as its post reads (rendering.render_post), in the subscriber's language:
    a postponed one as its postponement notice ("SIIRRETTY: ... new time to be announced"),
    as the boards mark it, never as if it were on at its old time."""
    event = _event_of(activity["facts"])
    board = (await store.get_board(domain.board_id_for_venue(event.venue_id))
             if event.venue_id is not None else None)
    view = _view(event, _place(board, event), events_url, links)
    if activity.get("status") == "postponed":
        return rendering.render_post("email", view, "change", "postponed", [lang]).text
    return rendering.render_post("email", view, "announcement", "published", [lang]).text


#: A follower's mail's purpose (a delivery's) and what it is (`reach_text.FollowMail`).
_FOLLOW_MAILS: dict[str, reach_text.FollowMail] = {
    "subscription_digest": "digest", "subscription_new": "new",
    "subscription_change": "change"}


async def _plan_follow_email(uow: Uow, clock: Clock, links: domain.ReachLinks,
                             events_url: str, subscription: Row, activities: list[Row],
                             purpose: str, key_part: str,
                             blocks: list[str] | None = None,
                             change: domain.FollowChange | None = None) -> UUID | None:
    """A follower's mail of `activities`, each as its post reads (`blocks`: as given, a
    change's notice, `change` what it is), keyed by `key_part` so it is planned once; a mail
    of one new or changed activity names it in its subject."""
    store = uow.store
    account = await store.email_account()
    if account is None:
        return None
    lang = subscription["language"]
    urls = subscriber_links(links, subscription["id"], lang)
    if blocks is None:
        blocks = [await _follow_block(store, a, lang, events_url, links) for a in activities]
    kind = _FOLLOW_MAILS[purpose]
    about = activities[0]["facts"] if kind != "digest" and len(activities) == 1 else None
    message = reach_text.digest_email(
        lang, blocks, kind=kind, prefs_url=urls["prefs"],
        unsubscribe_url=urls["unsubscribe"], ics_url=urls["ics"], rss_url=urls["rss"],
        about=about, change=change)
    content = {**message.as_json(), "reach": _reach([a["facts"] for a in activities])}
    return await store.add_reach_delivery(
        key=domain.idempotency_key(subscription["id"], "email", key_part, 0), purpose=purpose,
        account_id=account["id"], due_at=clock.now(), content=content,
        language=message.language, recipient=subscription["email"],
        subscription_id=subscription["id"])


async def followed_activities(store: NotificationStore, subscription: Row, since: datetime,
                              until: datetime) -> list[Row]:
    return [a for a in await store.upcoming_activities(since, until)
            if domain.subscription_matches(subscription, a["facts"])]


async def send_digests(uow: Uow, clock: Clock, links: domain.ReachLinks, events_url: str,
                       limit: int = 200) -> int:
    """The weekly digest of every active subscription that is due (a week after the last):
    the matching activities of the coming two weeks, changed or new since the last digest.
    Planned as deliveries (exactly once per subscription and week, retried, rate limited
    with the city's email account); a week with nothing new sends nothing."""
    now = clock.now()
    planned = 0
    async with uow:
        store = uow.store
        # The coming activities are the same for every subscription of the pass: read once.
        upcoming: list[Row] | None = None
        for subscription in await store.active_subscriptions(limit):
            if not domain.digest_due(subscription["last_digest_at"], now):
                continue
            if upcoming is None:
                upcoming = await store.upcoming_activities(
                    now, now + timedelta(days=domain.DIGEST_DAYS))
            last = subscription["last_digest_at"]
            activities = [
                a for a in upcoming if domain.subscription_matches(subscription, a["facts"])
                and (last is None or a["updated_at"] > last
                     or datetime.fromisoformat(a["facts"]["starts_at"])
                     >= last + timedelta(days=domain.DIGEST_DAYS))]
            await store.mark_digest(subscription["id"], now)
            if activities and await _plan_follow_email(
                    uow, clock, links, events_url, subscription, activities,
                    "subscription_digest", f"digest:{domain.week_key(now)}"):
                planned += 1
    return planned


async def announce_to_followers(uow: Uow, clock: Clock, links: domain.ReachLinks,
                                events_url: str, event: ActivityEventChange,
                                followers: list[Row]) -> int:
    """A newly published activity, to those who asked for each new one that matches (inside
    the handler's unit of work; `followers` read with the event's revision,
    store.advance_event_for_planning, and checked here against the domain's rule)."""
    if not followers:
        return 0
    facts = event.model_dump(mode="json")
    activity = {"id": event.event_id, "revision": event.revision, "facts": facts,
                "status": "published"}
    told = 0
    for subscription in followers:
        if domain.subscription_matches(subscription, facts) and await _plan_follow_email(
                uow, clock, links, events_url, subscription, [activity], "subscription_new",
                f"new:{event.event_id}"):
            told += 1
    return told


async def tell_followers_of_change(uow: Uow, clock: Clock, links: domain.ReachLinks,
                                   events_url: str, event: ActivityEventChange,
                                   purpose: str, status: str, view: rendering.ActivityView,
                                   followers: list[Row]) -> int:
    """A change to an activity (cancelled, moved, postponed, back on), to the followers who
    were mailed it as a new one: they read the old details, so they hear the change, as an
    account that announced it does (the same notice, `purpose` and `status` as its post's),
    once per revision. Inside the handler's unit of work; `followers` read with the event."""
    if not followers:
        return 0
    new_keys = {domain.idempotency_key(s["id"], "email", f"new:{event.event_id}", 0): s
                for s in followers}
    told_of_it = await uow.store.existing_delivery_keys(list(new_keys))
    facts = event.model_dump(mode="json")
    activity = {"id": event.event_id, "revision": event.revision, "facts": facts,
                "status": status}
    told = 0
    for key in sorted(told_of_it):
        subscription = new_keys[key]
        notice = rendering.render_post("email", replace(view, reason=_reason(event)),
                                       purpose,  # type: ignore[arg-type]
                                       status, [subscription["language"]]).text
        if await _plan_follow_email(
                uow, clock, links, events_url, subscription, [activity],
                "subscription_change",
                f"change:{event.event_id}:{event.revision}", blocks=[notice],
                change=domain.follow_change(purpose, status,
                                            moved=view.previous_place is not None,
                                            retimed=view.previous_starts_at is not None)):
            told += 1
    return told


async def personal_feed(uow: Uow, clock: Clock, links: domain.ReachLinks,
                        token: str) -> tuple[Row, list[dict[str, Any]]]:
    """The subscriber's own choice as a feed: the matching activities from today on (two
    months ahead), each with its place; an unsubscribed feed is empty."""
    now = clock.now()
    async with uow:
        store = uow.store
        subscription = await _subscription(store, links, token)
        if subscription["status"] == "unsubscribed":
            return subscription, []
        items = []
        for activity in await followed_activities(
                store, subscription, domain.feed_since(now), now + timedelta(days=62)):
            facts = activity["facts"]
            event = _event_of(facts)
            board = (await store.get_board(domain.board_id_for_venue(event.venue_id))
                     if event.venue_id is not None else None)
            place = _place(board, event)
            items.append({"activity_event_id": event.event_id, "revision": activity["revision"],
                          "status": activity["status"], "name": facts["name"],
                          "starts_at": event.starts_at, "ends_at": event.ends_at,
                          "kind": event.kind, "free": event.free, "price": event.price,
                          "all_day": event.all_day,
                          "registration_required": event.registration_required,
                          "space_id": None, "place": place.model_dump() if place else None,
                          "created_at": activity["updated_at"],
                          "updated_at": activity["updated_at"]})
    return subscription, items


async def place_words(uow: Uow, facts: dict[str, Any]) -> dict[str, str | None] | None:
    """Where an activity is, by language as it was written (None in a language it has no
    words in), so a page in that language marks the words it falls back to with theirs."""
    async with uow:
        said = await _place_said(uow.store, _event_of(facts))
    return said.model_dump() if said is not None else None


async def following_options(uow: Uow, lang: str,
                            chosen: Mapping[str, Iterable[Any]] | None = None
                            ) -> dict[str, list[tuple[str, str]]]:
    """What a resident can follow: the venues with a board (by name in `lang`), every area
    of the city, and every topic, audience and kind the events service told
    (`vocabulary.term_set`) or an activity this service has seen has, each by its told
    words: one follows what is not on yet to hear when it is (a tester could not follow
    music, no musical activity being published then). A term staff retired is offered no
    longer, unless `chosen` (a follower's saved choice, a link's): it stays, by its words,
    so saving the form again keeps it."""
    async with uow:
        boards = await uow.store.list_boards(None, None)
        seen = await uow.store.vocabulary_seen()
        labels = await uow.store.vocabulary_labels()
        retired = await uow.store.retired_terms()
    venues = sorted(((str(b["venue_id"]), text_in(b["name"], lang)) for b in boards
                     if b["venue_id"] is not None and b["venue_revision"]),
                    key=lambda pair: pair[1])
    # The city's areas, each: a board or an activity of an odd code (kept before boards'
    # areas were checked) is no place a resident could be offered.
    areas = AREAS.keys()

    def by_words(named: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        # By the words the reader reads, in their language, not by the codes.
        return sorted(named, key=lambda pair: (pair[1].casefold(), pair[0]))

    def terms(field: str) -> list[tuple[str, str]]:
        scheme = domain.VOCABULARY_FIELDS[field]
        told = labels.get(scheme, {})
        # A chosen code stays when it is a term told or seen (not any a link makes up).
        kept = {str(c) for c in (chosen or {}).get(field) or ()} & ({*told, *seen[field]})
        codes = {c for c in {*told, *seen[field]} if (scheme, c) not in retired} | kept
        return by_words((c, term_words(told.get(c), c, lang)) for c in codes)

    return {"venue_ids": venues, "areas": by_words((a, area_name(a, lang)) for a in areas),
            **{field: terms(field) for field in ("topics", "audiences", "kinds")}}


async def keep_vocabulary_term(uow: Uow, event: VocabularyTermSet) -> None:
    """The events service told a term's words: kept when its revision is newer than the one
    kept, so a late or repeated copy changes nothing (the store's upsert decides)."""
    async with uow:
        await uow.store.save_vocabulary_term(event.scheme, event.code,
                                             event.label.model_dump(exclude_none=True),
                                             event.revision, event.retired)
