"""Every operation on activity events, whichever way it comes in: the API, the pages, the
Linked Events import, and the booking and venue events from Kafka.

Each use case takes a unit of work over an `EventStore` and a clock (and, where a person acts,
their `Principal` and a command). It opens the unit of work once: its reads, its writes and
the events it publishes commit together or not at all (ADR 0002).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from services.events import domain
from services.events.store import EventStore, Row
from shared.clock import Clock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    BookingConfirmed,
    VenueRegistered,
    VenueUpdated,
)
from shared.errors import DomainError, Invalid, NotFound
from shared.identity import Principal
from shared.recurrence import weekly_occurrences
from shared.uow import PgUnitOfWork, UnitOfWork

if TYPE_CHECKING:
    import asyncpg

Uow = UnitOfWork[EventStore]


def unit_of_work(pool: asyncpg.Pool) -> Uow:
    """The unit of work of an HTTP request, a page or a job: a connection of the pool."""
    return PgUnitOfWork(pool, EventStore)


#: What a new event is unless told otherwise (the table's defaults).
NEW_EVENT: dict[str, Any] = {
    "short_description": None, "description": None, "all_day": False, "kind": "open_guided",
    "venue_id": None, "space_id": None, "area": None, "place_kind": "venue",
    "place_name": None, "online_url": None, "topics": [], "audiences": [], "min_age": None,
    "max_age": None, "languages": ["fi"], "accessibility": None, "price": None, "free": True,
    "registration_required": False, "capacity": None, "organiser_name": None,
    "library_contact": None, "image_url": None, "image_alt": None,
}


@dataclass(frozen=True)
class NewTime:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Attendance:
    participants: int
    visitors: int


@dataclass(frozen=True)
class Repeat:
    until: date | None = None
    count: int | None = None


@dataclass(frozen=True)
class VocabularyEntry:
    scheme: str
    code: str
    label: dict[str, Any]


@dataclass(frozen=True)
class ImportItem:
    """One event of a Linked Events feed as our fields, or why it could not be read."""

    ref: str
    fields: dict[str, Any] | None
    target: str = "published"
    problem: str | None = None
    field: str | None = None


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class ImportRejected(Invalid):
    """Some events of an import break a rule: nothing was imported; `failed` says what to
    fix in each."""

    def __init__(self, failed: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(failed)} event(s) cannot be imported; nothing was imported",
                         field="data", created=[], updated=[], failed=failed)
        self.failed = failed


# --- reading -------------------------------------------------------------------------------


async def find_events(uow: Uow, principal: Principal, filters: Mapping[str, Any], limit: int,
                      offset: int, newest_first: bool = False) -> tuple[list[Row], int]:
    """Public events for everyone (past ones too), drafts only for who may edit them."""
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        return await uow.store.list_events(
            filters=dict(filters), visibility=domain.visibility(principal), limit=limit,
            offset=offset, newest_first=newest_first)


async def find_public_events(uow: Uow, filters: Mapping[str, Any], limit: int,
                             offset: int) -> tuple[list[Row], int]:
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        return await uow.store.list_events(filters=dict(filters),
                                           visibility=domain.PUBLIC_VISIBILITY, limit=limit,
                                           offset=offset)


async def get_event(uow: Uow, principal: Principal, event_id: UUID) -> Row:
    async with uow:
        row = await uow.store.get_event(event_id)
    if row is None or not domain.visible(principal, row):
        raise NotFound("no such activity event", event_id=str(event_id))
    return row


async def get_public_event(uow: Uow, event_id: UUID) -> tuple[Row, Row | None]:
    """A public event and its venue, for its page."""
    async with uow:
        row = await uow.store.get_event(event_id)
        if row is None or row["status"] not in domain.PUBLIC_STATUSES:
            raise NotFound("no such activity event", event_id=str(event_id))
        venue = await uow.store.get_venue(row["venue_id"]) if row["venue_id"] else None
    return row, venue


@dataclass(frozen=True)
class CalendarData:
    rows: list[Row]
    total: int
    areas: list[str]
    venues: dict[UUID, Any]
    vocabulary: list[Row]


async def calendar(uow: Uow, filters: Mapping[str, Any], limit: int,
                   offset: int) -> CalendarData:
    """The public calendar's events and what its filters offer."""
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        rows, total = await uow.store.list_events(
            filters=dict(filters), visibility=domain.PUBLIC_VISIBILITY, limit=limit,
            offset=offset)
        return CalendarData(rows=rows, total=total, areas=await uow.store.areas(),
                            venues=await uow.store.venue_names(),
                            vocabulary=await uow.store.vocabulary_labels())


async def vocabulary(uow: Uow) -> dict[str, dict[str, dict[str, Any]]]:
    """Kinds, topics and audiences with their fi/sv/en labels."""
    async with uow:
        rows = await uow.store.vocabulary_labels()
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        result.setdefault(r["scheme"], {})[r["code"]] = r["label"]
    return result


# --- changing ------------------------------------------------------------------------------


async def extend_vocabulary(uow: Uow, clock: Clock, principal: Principal,
                            entry: VocabularyEntry) -> VocabularyEntry:
    """The city adds (or relabels) a kind, topic or audience; codes are never removed, so
    past events keep their meaning."""
    domain.require(principal, "communications")
    if entry.scheme not in ("kind", "topic", "audience"):
        raise Invalid("must be kind, topic or audience", field="scheme")
    domain.check_str(entry.code, "code", max_length=domain.CODE_MAX, min_length=2)
    if not domain.CODE.match(entry.code):
        raise Invalid("not a valid code", field="code")
    domain.check_localized(entry.label, "label")
    async with uow:
        await uow.store.save_vocabulary(entry.scheme, entry.code, dict(entry.label))
    return entry


async def _load(store: EventStore, event_id: UUID, *, for_update: bool = False) -> Row:
    row = await store.get_event(event_id, for_update=for_update)
    if row is None:
        raise NotFound("no such activity event", event_id=str(event_id))
    return row


async def _check_vocabularies(store: EventStore, data: Mapping[str, Any]) -> None:
    if data.get("kind") is not None:
        domain.check_vocabulary("kind", [data["kind"]], await store.vocabulary("kind"))
    if data.get("topics"):
        domain.check_vocabulary("topic", data["topics"], await store.vocabulary("topic"))
    if data.get("audiences"):
        domain.check_vocabulary("audience", data["audiences"],
                                await store.vocabulary("audience"))


async def _with_venue(store: EventStore, data: dict[str, Any]) -> dict[str, Any]:
    """The event's area is its venue's unless given; an unknown venue is refused."""
    if data.get("venue_id") is not None:
        venue = await store.get_venue(data["venue_id"])
        if venue is None:
            raise Invalid("unknown venue", field="venue_id")
        data["area"] = data.get("area") or venue["area"]
    return data


async def _new_draft(store: EventStore, now: datetime, principal: Principal,
                     fields: Mapping[str, Any], reason: str | None = None) -> UUID:
    """Check a new event's details by every rule and insert it as a draft."""
    data = {**NEW_EVENT, **fields}
    domain.check_event(data)
    await _check_vocabularies(store, data)
    await _with_venue(store, data)
    domain.check_event(data)
    event_id: UUID = data.get("id") or uuid4()
    await store.insert_event({**data, "id": event_id, "owner_subject": principal.subject},
                             now)
    await store.record_history(event_id, "draft", domain.actor(principal), reason, now)
    return event_id


async def create_event(uow: Uow, clock: Clock, principal: Principal,
                       fields: Mapping[str, Any]) -> Row:
    """A new draft event; it is seen by whoever may edit it until it is published."""
    domain.require(principal, *domain.EDITORS)
    async with uow:
        event_id = await _new_draft(uow.store, clock.now(), principal, fields)
        return await _load(uow.store, event_id)


async def _edit(uow: Uow, now: datetime, principal: Principal, row: Row,
                changes: Mapping[str, Any]) -> Row:
    domain.check_editable(principal, row)
    if row["status"] == "cancelled":
        domain.check_transition("cancelled", "published")
    live = row["status"] != "draft"
    if live and any(k in changes and changes[k] != row[k] for k in ("starts_at", "ends_at")):
        raise Invalid("a published event's time changes by rescheduling it",
                      field="starts_at")
    merged = {**row, **changes}
    domain.check_event(merged)
    await _check_vocabularies(uow.store, changes)
    if changes.get("venue_id") is not None and changes["venue_id"] != row["venue_id"]:
        await _with_venue(uow.store, {"venue_id": changes["venue_id"]})
    if live:
        domain.check_publishable(merged)
    await uow.store.update_event(row["id"], dict(changes), now, new_revision=live)
    updated = await _load(uow.store, row["id"])
    if live:
        await uow.publish(domain.facts(ActivityEventUpdated, updated))
    return updated


async def update_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                       changes: Mapping[str, Any]) -> Row:
    """Edit the details. On a published event this is a new revision residents are told
    about (`event.updated`); its time changes only by rescheduling."""
    domain.require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        return await _edit(uow, clock.now(), principal, row, changes)


async def _transition(uow: Uow, now: datetime, principal: Principal, row: Row, target: str,
                      reason: str | None = None, new_time: NewTime | None = None) -> Row:
    """Move a locked event to `target` and publish what residents are told."""
    domain.check_editable(principal, row)
    domain.check_transition(row["status"], target)
    domain.check_reason(reason)
    store = uow.store
    area = row["area"]
    if target == "published":
        domain.check_event(row)
        domain.check_publishable(row)
        if area is None and row["venue_id"] is not None:
            venue = await store.get_venue(row["venue_id"])
            area = venue["area"] if venue else None
    if new_time is not None:
        domain.check_times(new_time.starts_at, new_time.ends_at)
        await store.move(row["id"], new_time.starts_at, new_time.ends_at, now)
    await store.set_status(row["id"], target, domain.actor(principal), reason, now, area=area)
    updated = await _load(store, row["id"])
    if target == "published":
        event: Any = domain.facts(ActivityEventPublished, updated)
    elif target == "postponed":
        event = domain.facts(ActivityEventPostponed, updated, reason=reason)
    elif target == "rescheduled":
        event = domain.facts(ActivityEventRescheduled, updated,
                             previous_starts_at=row["starts_at"],
                             previous_ends_at=row["ends_at"])
    else:
        event = domain.facts(ActivityEventCancelled, updated, reason=reason)
    await uow.publish(event)
    return updated


async def _change_status(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                         target: str, reason: str | None = None,
                         new_time: NewTime | None = None) -> Row:
    domain.require(principal, *domain.EDITORS)
    async with uow:
        # The row lock orders this event's outbox rows in commit order.
        row = await _load(uow.store, event_id, for_update=True)
        return await _transition(uow, clock.now(), principal, row, target, reason, new_time)


async def publish_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID) -> Row:
    return await _change_status(uow, clock, principal, event_id, "published")


async def postpone_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                         reason: str) -> Row:
    """Postponed to a time not yet known."""
    return await _change_status(uow, clock, principal, event_id, "postponed", reason)


async def reschedule_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                           new_time: NewTime) -> Row:
    return await _change_status(uow, clock, principal, event_id, "rescheduled",
                                new_time=new_time)


async def cancel_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                       reason: str) -> Row:
    return await _change_status(uow, clock, principal, event_id, "cancelled", reason)


async def report_attendance(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                            report: Attendance) -> int:
    """After the activity, the organiser or library staff report how many took part; a later
    report corrects the earlier one. Returns the report's revision."""
    domain.require(principal, *domain.EDITORS)
    for name in ("participants", "visitors"):
        value = getattr(report, name)
        if isinstance(value, bool) or not 0 <= value <= 1_000_000:
            raise Invalid("must be between 0 and 1000000", field=name)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        domain.check_editable(principal, row)
        now = clock.now()
        domain.check_attendance(row["status"], row["ends_at"], now)
        revision = await uow.store.save_attendance(event_id, report.participants,
                                                   report.visitors, domain.actor(principal),
                                                   now)
        await uow.publish(domain.attendance_facts(row, revision, report.participants,
                                                  report.visitors))
    return revision


# --- series --------------------------------------------------------------------------------


async def create_series(uow: Uow, clock: Clock, principal: Principal,
                        fields: Mapping[str, Any], repeat: Repeat) -> tuple[UUID, list[Row]]:
    """A weekly group as one series of draft occurrences; each can later be changed,
    rescheduled or cancelled on its own."""
    domain.require(principal, *domain.EDITORS)
    data = {**NEW_EVENT, **fields}
    domain.check_event(data)
    occurrences = weekly_occurrences(data["starts_at"], data["ends_at"], until=repeat.until,
                                     count=repeat.count)
    series_id = uuid4()
    now = clock.now()
    async with uow:
        await uow.store.insert_series(series_id, principal.subject,
                                      {"until": repeat.until.isoformat() if repeat.until
                                       else None, "count": repeat.count}, now)
        ids = [await _new_draft(uow.store, now, principal,
                                {**data, "starts_at": starts_at, "ends_at": ends_at,
                                 "series_id": series_id})
               for starts_at, ends_at in occurrences]
        return series_id, [await _load(uow.store, i) for i in ids]


async def publish_series(uow: Uow, clock: Clock, principal: Principal,
                         series_id: UUID) -> list[Row]:
    """Publish every draft occurrence of the series at once: all of them or none."""
    domain.require(principal, *domain.EDITORS)
    async with uow:
        drafts = await uow.store.series_drafts(series_id)
        if not drafts and not await uow.store.series_exists(series_id):
            raise NotFound("no such series", series_id=str(series_id))
        now = clock.now()
        published = []
        for event_id in drafts:
            row = await _load(uow.store, event_id, for_update=True)
            published.append(await _transition(uow, now, principal, row, "published"))
        return published


# --- Linked Events -------------------------------------------------------------------------


async def import_events(uow: Uow, clock: Clock, principal: Principal,
                        items: Sequence[ImportItem]) -> ImportResult:
    """Take events from a Linked Events feed, all or nothing: new ones are created and
    published, known ones (by their Linked Events id) updated, each checked by the rules of
    a created event and each change told to the other services as usual. When any item
    breaks a rule, nothing is imported and `ImportRejected` names what to fix in each."""
    domain.require(principal, "communications")
    failed: list[dict[str, Any]] = []

    def fail(index: int, item: ImportItem, problem: str, field: str | None) -> None:
        failed.append({"index": index, "id": item.ref, "field": field, "error": problem})

    for index, item in enumerate(items):  # what is wrong without the database
        if item.fields is None:
            fail(index, item, item.problem or "not an event", item.field)
            continue
        try:
            domain.check_event({**NEW_EVENT, **item.fields})
        except Invalid as exc:
            fail(index, item, exc.message, exc.field)
    if failed:
        raise ImportRejected(failed)

    result = ImportResult()
    now = clock.now()
    async with uow:
        for index, item in enumerate(items):
            assert item.fields is not None
            try:
                outcome, event_id = await _import_one(uow, now, principal, item.fields,
                                                      item.target)
            except DomainError as exc:
                fail(index, item, exc.message, getattr(exc, "field", None))
                continue
            getattr(result, outcome).append(str(event_id))
        if failed:
            raise ImportRejected(failed)  # rolls back what the others did
    return result


async def _import_one(uow: Uow, now: datetime, principal: Principal, fields: dict[str, Any],
                      target: str) -> tuple[str, UUID]:
    store = uow.store
    fields = dict(fields)
    if fields.get("venue_id") is not None and await store.get_venue(fields["venue_id"]) is None:
        fields["venue_id"], fields["place_kind"] = None, "other_place"
    existing = await store.find_external(fields["external_id"])
    if existing is None:
        event_id = await _new_draft(store, now, principal, fields,
                                    reason="imported from Linked Events")
        row = await _load(store, event_id, for_update=True)
        row = await _transition(uow, now, principal, row, "published")
        if target in ("cancelled", "postponed"):
            await _transition(uow, now, principal, row, target,
                              reason="changed in Linked Events")
        return "created", event_id

    row = await _load(store, existing, for_update=True)
    if row["status"] == "cancelled":
        return "unchanged", existing  # a cancelled event is not edited any more
    details = {k: v for k, v in fields.items()
               if k in NEW_EVENT or k == "name"}
    details = {k: v for k, v in details.items() if k not in ("starts_at", "ends_at")}
    details.pop("area", None)
    row = await _edit(uow, now, principal, row, details)
    moved = (row["starts_at"], row["ends_at"]) != (fields["starts_at"], fields["ends_at"])
    if row["status"] == "draft":
        if moved:
            row = await _edit(uow, now, principal, row, {"starts_at": fields["starts_at"],
                                                          "ends_at": fields["ends_at"]})
        row = await _transition(uow, now, principal, row, "published")
    elif moved:
        row = await _transition(uow, now, principal, row, "rescheduled",
                                new_time=NewTime(fields["starts_at"], fields["ends_at"]))
    if target in ("cancelled", "postponed") and row["status"] != target:
        await _transition(uow, now, principal, row, target, reason="changed in Linked Events")
    return "updated", existing


# --- from other services (Kafka) -----------------------------------------------------------


async def draft_from_booking(uow: Uow, clock: Clock, booking: BookingConfirmed) -> Row | None:
    """Offer the organiser a draft activity event for the confirmed booking.

    The draft's id is derived from the booking id and the table is unique by booking, so a
    second `booking.confirmed` of the same booking (even a re-sent one with a new event id)
    creates nothing new. A title that cannot be a name (empty, too long, odd characters)
    gives the draft a name the organiser completes; the draft meets every rule of an event.
    """
    draft: dict[str, Any] = {
        **NEW_EVENT,
        "id": domain.draft_id(booking.booking_id),
        "booking_id": booking.booking_id,
        "name": domain.draft_name(booking.title),
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "kind": domain.draft_kind(booking.cooperation),
        "venue_id": booking.venue_id,
        "space_id": booking.space_id,
        "organiser_id": booking.organiser_id,
        "owner_subject": booking.organiser_subject,
        "free": booking.cooperation,
    }
    domain.check_event(draft)
    now = clock.now()
    async with uow:
        # The venue's own event may be handled beside this one: whichever comes second sees
        # the other's work (the draft gets the area now, or when the venue arrives).
        await uow.store.lock_venue(booking.venue_id)
        venue = await uow.store.get_venue(booking.venue_id)
        draft["area"] = venue["area"] if venue else None
        if await uow.store.insert_event(draft, now):
            await uow.store.record_history(draft["id"], "draft", "booking:confirmed",
                                           None, now)
            return await _load(uow.store, draft["id"])
    return None


async def record_venue(uow: Uow, clock: Clock,
                       venue: VenueRegistered | VenueUpdated) -> None:
    """Keep the newest copy of a venue (a read model of the booking service's)."""
    async with uow:
        await uow.store.lock_venue(venue.venue_id)
        await uow.store.upsert_venue(venue)
