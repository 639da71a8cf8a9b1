"""Every operation on activity events, whichever way it comes in: the API, the pages, the
Linked Events import, and the booking and venue events from Kafka.

Each use case takes a unit of work over an `EventStore` and a clock (and, where a person acts,
their `Principal` and a command). It opens the unit of work once: its reads, its writes and
the events it publishes commit together or not at all (ADR 0002).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from services.events import domain
from services.events.store import EventStore, Row
from shared.areas import AREAS
from shared.clock import Clock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingMoveRefused,
    BookingMoveRequested,
    BookingNoShow,
    BookingRejected,
    RegistrationCounts,
    VenueRegistered,
    VenueUpdated,
)
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, flattened, refuse
from shared.identity import Principal, require
from shared.recurrence import weekly_occurrences
from shared.uow import PgUnitOfWork, UnitOfWork

if TYPE_CHECKING:
    import asyncpg

log = logging.getLogger(__name__)

Uow = UnitOfWork[EventStore]

#: What is plausible (an activity's length per kind, attendance per capacity): settings.
LIMITS = domain.limits_from(os.environ)


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
    """A new time. `unread`: the refusals of the times a form could not read (a word for a
    time), refused with every rule the rest breaks; the value of a time they name stands in
    only and is not checked."""

    starts_at: datetime
    ends_at: datetime
    unread: tuple[Invalid, ...] = ()

    def refusals(self, now: datetime | None, row: Row) -> list[Invalid]:
        """Every rule the new time of the activity `row` breaks, with its unread ones
        (`domain.new_time_refusals`); `now` None: a booking moved, the booking service's
        judgement, not checked against the present."""
        return [*self.unread, *domain.new_time_refusals(
            now, (row["starts_at"], row["ends_at"]), self.starts_at, self.ends_at,
            row["kind"], LIMITS, unread=(e.field for e in self.unread))]


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
                         field="data", code="import_rejected", created=[], updated=[],
                         failed=failed)
        self.failed = failed


# --- reading -------------------------------------------------------------------------------


def _with_search(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The search text as its words, each with the areas named by it (area names are data,
    not columns): the store finds every word in the text, the venue or the area."""
    found = dict(filters)
    found["search"] = {word: domain.areas_named(word, AREAS)
                       for word in domain.search_words(found.pop("q", None))}
    return found


async def find_events(uow: Uow, principal: Principal, filters: Mapping[str, Any], limit: int,
                      offset: int, newest_first: bool = False) -> tuple[list[Row], int]:
    """Public events for everyone (past ones too), drafts only for who may edit them."""
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        domain.check_term_choices(filters, await uow.store.vocabulary_labels())
        rows, total = await uow.store.list_events(
            filters=_with_search(filters), visibility=domain.visibility(principal), limit=limit,
            offset=offset, newest_first=newest_first)
        await _with_places(uow.store, rows)
        return rows, total


async def calendar_feed(uow: Uow, principal: Principal, filters: Mapping[str, Any],
                        limit: int) -> tuple[list[Row], dict[UUID, Row]]:
    """What a calendar file lists (as `find_events`), with the venues its activities are
    at, so each says where it is as the boards do ("Jynkän kirjasto, Satusali")."""
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        domain.check_term_choices(filters, await uow.store.vocabulary_labels())
        rows, _ = await uow.store.list_events(
            filters=_with_search(filters), visibility=domain.visibility(principal),
            limit=limit, offset=0)
        await _with_places(uow.store, rows)
        venues = await uow.store.venues_of(
            sorted({r["venue_id"] for r in rows if r["venue_id"] is not None}, key=str))
    return rows, venues


async def find_public_events(uow: Uow, filters: Mapping[str, Any], limit: int,
                             offset: int) -> tuple[list[Row], int]:
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        domain.check_term_choices(filters, await uow.store.vocabulary_labels())
        rows, total = await uow.store.list_events(filters=_with_search(filters),
                                                  visibility=domain.PUBLIC_VISIBILITY,
                                                  limit=limit, offset=offset)
        await _with_places(uow.store, rows)
        return rows, total


async def get_event(uow: Uow, principal: Principal, event_id: UUID) -> Row:
    async with uow:
        row = await uow.store.get_event(event_id)
        if row is None or not domain.visible(principal, row):
            raise NotFound("no such activity event", event_id=str(event_id))
        await _with_places(uow.store, [row])
    return row


async def _public_event(store: EventStore, event_id: UUID) -> tuple[Row, Row | None]:
    row = await store.get_event(event_id)
    if row is None or row["status"] not in domain.PUBLIC_STATUSES:
        raise NotFound("no such activity event", event_id=str(event_id))
    venue = await store.get_venue(row["venue_id"]) if row["venue_id"] else None
    _status_cause(row, await store.status_step(event_id, row["status"])
                  if row["status"] in STATUS_WITH_CAUSE else None)
    await _with_places(store, [row])
    return row, venue


#: The statuses whose pages say why the event is in them.
STATUS_WITH_CAUSE = ("cancelled", "postponed")


def _status_cause(row: Row, step: Mapping[str, Any] | None) -> None:
    """Why a cancelled or postponed event is so, as its pages say it, from the history step
    that put it there: the reason a person gave (`status_reason`) and whether its booking's
    end did it (`status_by_booking`)."""
    row["status_reason"], row["status_by_booking"] = domain.status_cause(
        step if row["status"] in STATUS_WITH_CAUSE else None)


async def _with_places(store: EventStore, rows: Sequence[Row]) -> None:
    """Each row's places as residents read them (`domain.places`): `places` (how many can
    take part) and `places_left` (free places where sign-up is in use), from the sign-up's
    newest counts when heard (its settings may have changed the places), else the activity's
    own capacity. The row's `capacity` stays the activity's own (what its organiser edits)."""
    counts = await store.registration_counts_of([r["id"] for r in rows])
    for row in rows:
        found = domain.places(row, counts.get(row["id"]))
        row["places"], row["places_left"] = found.total, found.free


async def _placed(store: EventStore, row: Row) -> Row:
    """`row` with its places as every read gives them (`_with_places`): an answer to an edit
    or a move said `places_left: null` where GET said 0."""
    await _with_places(store, [row])
    return row


async def get_public_event(uow: Uow, event_id: UUID) -> tuple[Row, Row | None]:
    """A public event and its venue; a cancelled or postponed one carries why
    (`status_reason`, `status_by_booking`)."""
    async with uow:
        return await _public_event(uow.store, event_id)


@dataclass(frozen=True)
class EventPage:
    row: Row
    venue: Row | None
    vocabulary: list[Row]


async def event_page(uow: Uow, event_id: UUID) -> EventPage:
    """What a public event's page shows: the event (with why it was cancelled or postponed),
    its venue and the labels of its kind, topics and audiences."""
    async with uow:
        row, venue = await _public_event(uow.store, event_id)
        return EventPage(row=row, venue=venue, vocabulary=await uow.store.vocabulary_labels())


@dataclass(frozen=True)
class CalendarData:
    rows: list[Row]
    total: int
    areas: list[str]
    #: Each venue's name and spaces, by id.
    venues: dict[UUID, Any]
    vocabulary: list[Row]


async def calendar(uow: Uow, filters: Mapping[str, Any], limit: int,
                   offset: int) -> CalendarData:
    """The public calendar's events and what its filters offer: every area the city names
    and any other its activities are in, and the vocabulary's terms."""
    domain.check_period(filters.get("start"), filters.get("end"))
    async with uow:
        areas = sorted({*await uow.store.areas(), *AREAS})
        vocabulary = await uow.store.vocabulary_labels()
        domain.check_calendar_choices(filters, areas, vocabulary)
        rows, total = await uow.store.list_events(
            filters=_with_search(filters), visibility=domain.PUBLIC_VISIBILITY, limit=limit,
            offset=offset)
        await _with_places(uow.store, rows)
        return CalendarData(rows=rows, total=total, areas=areas,
                            venues=await uow.store.venue_places(), vocabulary=vocabulary)


async def vocabulary(uow: Uow, *, retired: bool = False
                     ) -> dict[str, dict[str, dict[str, Any]]]:
    """Kinds, topics and audiences with their fi/sv/en labels: the ones offered for new
    choices, or (`retired`) the retired ones too, each marked `retired: true`."""
    async with uow:
        rows = await uow.store.vocabulary_labels()
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows if retired else domain.offered_terms(rows):
        result.setdefault(r["scheme"], {})[r["code"]] = (
            {**r["label"], "retired": True} if r.get("retired") else r["label"])
    return result


# --- changing ------------------------------------------------------------------------------


async def extend_vocabulary(uow: Uow, clock: Clock, principal: Principal,
                            entry: VocabularyEntry) -> VocabularyEntry:
    """`PUT /vocabulary`: the city adds a kind, topic or audience, or gives one it has these
    words (an upsert: the one way in whose caller means either). Codes are never removed,
    so past events keep their meaning. A new term, or new words for one, is its next
    revision and is told on the bus (`vocabulary.term_set`) in the same transaction; the
    words it has already change nothing and tell nobody."""
    return await _set_term(uow, principal, entry, exists=None)


async def add_term(uow: Uow, clock: Clock, principal: Principal,
                   entry: VocabularyEntry) -> VocabularyEntry:
    """A new term, as `extend_vocabulary` keeps it; a code the scheme has (retired or not) is
    refused by the code (409 `term_exists`), nothing changed: a form to add a term that
    quietly gave a kept one new words wiped the words it was not given."""
    return await _set_term(uow, principal, entry, exists=False)


async def set_term_words(uow: Uow, clock: Clock, principal: Principal,
                         entry: VocabularyEntry) -> VocabularyEntry:
    """New words for a term the vocabulary has, as `extend_vocabulary` keeps them (a retired
    term stays retired); a code it has not is no term (NotFound), never a new one."""
    return await _set_term(uow, principal, entry, exists=True)


async def _set_term(uow: Uow, principal: Principal, entry: VocabularyEntry,
                    exists: bool | None) -> VocabularyEntry:
    """The term's words kept and told; `exists`: whether the code must be one the scheme
    has (True), one it has not (False), or either (None). Checked under the term's lock,
    so two staff adding one code at once have one refused."""
    require(principal, "communications")
    if entry.scheme not in domain.SCHEMES:
        raise Invalid("must be kind, topic or audience", field="scheme")
    domain.check_str(entry.code, "code", max_length=domain.CODE_MAX, min_length=2)
    if not domain.CODE.fullmatch(entry.code):
        raise Invalid("not a valid code", field="code")
    if isinstance(entry.label, Mapping):  # a blank label refused by its term and language
        refuse(domain.term_label_refusals(entry.scheme, entry.code, entry.label))
    domain.check_localized(entry.label, "label")
    label = domain.term_label(entry.label)
    async with uow:
        kept = await uow.store.lock_vocabulary_term(entry.scheme, entry.code)
        if exists is True and kept is None:
            raise NotFound("no such term in the vocabulary", scheme=entry.scheme,
                           code=entry.code)
        if exists is False and kept is not None:
            raise Conflict("the code is already in the vocabulary: give a new code, or "
                           "change the term's words", code="term_exists", field="code",
                           scheme=entry.scheme, term=entry.code)
        revision = domain.term_revision(kept, label)
        if revision is not None:
            await uow.store.save_vocabulary(entry.scheme, entry.code, label, revision)
            # A retired term's new words keep it retired (the bus hears its whole state).
            await uow.publish(domain.term_set({
                "scheme": entry.scheme, "code": entry.code, "label": label,
                "revision": revision, "retired": bool(kept and kept.get("retired"))}))
    return entry


async def retire_term(uow: Uow, clock: Clock, principal: Principal, scheme: str, code: str,
                      retired: bool = True) -> Row:
    """Communications staff retire a term (or restore one, `retired=False`): never deleted,
    it is offered for no new choice while what has it keeps its words. The change is the
    term's next revision, told on the bus (`vocabulary.term_set`) in the same transaction;
    retiring a retired term (restoring an offered one) changes nothing and tells nobody.
    Returns the term as it is now."""
    require(principal, "communications")
    async with uow:
        kept = await uow.store.lock_vocabulary_term(scheme, code)
        revision = domain.retirement_revision(kept, retired)
        assert kept is not None  # an unknown term was refused as NotFound
        term = {"scheme": scheme, "code": code, "label": kept["label"],
                "revision": kept["revision"], "retired": retired}
        if revision is not None:
            term["revision"] = revision
            await uow.store.save_term_retired(scheme, code, retired, revision)
            await uow.publish(domain.term_set(term))
    return term


async def announce_vocabulary(uow: Uow) -> int:
    """Tell the bus each term not told yet (the seed's, and any saved before terms were
    told), once: run at every start, where after the first time there is none. Replicas
    starting at once tell each term once between them. Returns how many were told."""
    async with uow:
        terms = await uow.store.announce_vocabulary()
        await uow.publish(*(domain.term_set(t) for t in
                            sorted(terms, key=lambda t: (t["scheme"], t["code"]))))
    return len(terms)


async def _load(store: EventStore, event_id: UUID, *, for_update: bool = False) -> Row:
    row = await store.get_event(event_id, for_update=for_update)
    if row is None:
        raise NotFound("no such activity event", event_id=str(event_id))
    return row


async def _vocabulary_refusals(store: EventStore, data: Mapping[str, Any],
                               refused: Iterable[Invalid] = (),
                               row: Mapping[str, Any] | None = None) -> list[Invalid]:
    """Each of the kind, topics and audiences naming a term no one knows, or a retired one
    the activity (`row`, None for a new one) did not have already: an edit keeps its
    retired terms, no activity takes a new one. One already refused (`refused`: not even a
    code) is not refused again."""
    fields = {(e.field or "").split(".")[0] for e in flattened(refused)}
    found: list[Invalid] = []
    codes: Any
    for scheme, name, codes in (("kind", "kind", [data.get("kind")]),
                                ("topic", "topics", data.get("topics")),
                                ("audience", "audiences", data.get("audiences"))):
        if name in fields or not codes or None in codes:
            continue
        had = row.get(name) if row is not None else None
        own = {had} if isinstance(had, str) else set(had or ())
        try:
            domain.check_vocabulary(scheme, codes,
                                    await store.vocabulary(scheme, retired=False) | own)
        except Invalid as exc:
            found.append(exc)
    return found


async def _check_vocabularies(store: EventStore, data: Mapping[str, Any]) -> None:
    refuse(await _vocabulary_refusals(store, data))


async def _with_venue(store: EventStore, data: dict[str, Any]) -> dict[str, Any]:
    """The event's area is its venue's (one of Kuopio's, `domain.known_area`) unless given;
    an unknown venue is refused."""
    if data.get("venue_id") is not None:
        venue = await store.get_venue(data["venue_id"])
        if venue is None:
            raise Invalid("unknown venue", field="venue_id")
        data["area"] = data.get("area") or domain.known_area(venue["area"])
    return data


async def _new_draft(store: EventStore, now: datetime, principal: Principal,
                     fields: Mapping[str, Any], reason: str | None = None,
                     refused: Sequence[Invalid] = (), *, as_published: bool = False) -> UUID:
    """Check a new event's details by every rule and insert it as a draft. Every rule is
    refused at once, each field once: `refused` (values a form could not even read, which
    `fields` leaves out), the values', publishing's with `as_published`, and the terms'."""
    data = {**NEW_EVENT, **fields}
    found = list(flattened(refused))
    said = {e.field for e in found}
    found += [e for e in domain.event_refusals(data, LIMITS, unread=said) if e.field not in said]
    if as_published:
        unread, said = said, {e.field for e in found}
        found += [e for e in domain.publishable_refusals(data, unread=unread)
                  if e.field not in said]
    refuse([*found, *await _vocabulary_refusals(store, data, found)])
    await _with_venue(store, data)
    domain.check_event(data, LIMITS)
    event_id: UUID = data.get("id") or uuid4()
    await store.insert_event({**data, "id": event_id, "owner_subject": principal.subject},
                             now)
    await store.record_history(event_id, "draft", domain.actor(principal), reason, now)
    return event_id


async def create_event(uow: Uow, clock: Clock, principal: Principal,
                       fields: Mapping[str, Any], refused: Sequence[Invalid] = (), *,
                       as_published: bool = False) -> Row:
    """A new draft event; it is seen by whoever may edit it until it is published. A form
    says every refusal at once, as `update_event`'s: `refused` are those of values it could
    not even read (an unreadable time), refused with every rule the rest breaks, and nothing
    is stored; with `as_published` (the organiser's "New activity" form, whose draft is then
    written and published on its page) it is held to publishing's rules too (a place it can
    be published at: an online link for an online one, a venue for one at a venue)."""
    require(principal, *domain.EDITORS)
    async with uow:
        event_id = await _new_draft(uow.store, clock.now(), principal, fields,
                                    refused=refused, as_published=as_published)
        return await _placed(uow.store, await _load(uow.store, event_id))


async def create_event_once(uow: Uow, clock: Clock, principal: Principal,
                            fields: Mapping[str, Any], token: UUID,
                            refused: Sequence[Invalid] = (), *,
                            as_published: bool = False) -> Row:
    """`create_event` of a form sent with a one-time `token`: its draft's id is the token's
    (`domain.form_draft_id`), so the same form sent again (the browser's back, a double
    click) gives the draft its first sending made, as it is now, and makes no other; its
    draft deleted since, it is refused (409 `form_sent`) rather than made anew, and so is a
    form not sent in `domain.SENT_FORM_KEPT` after it was handed out (409 `form_too_old`):
    its sending may have been forgotten (`forget_sent_forms`)."""
    require(principal, *domain.EDITORS)
    draft_id = domain.form_draft_id(principal.subject, token)
    async with uow:
        await uow.store.lock_form(draft_id)  # two sendings at once: the second finds it
        made = await uow.store.get_event(draft_id)
        if made is not None:
            return made
        if await uow.store.form_sent_at(draft_id) is not None:
            raise Conflict("this form was sent already and its draft deleted: start a new "
                           "activity", code="form_sent")
        if domain.form_too_old(token, clock.now()):
            raise Conflict("this form is too old to be sent: open a new one",
                           code="form_too_old")
        event_id = await _new_draft(uow.store, clock.now(), principal,
                                    {**fields, "id": draft_id}, refused=refused,
                                    as_published=as_published)
        await uow.store.remember_form(draft_id, clock.now())
        return await _load(uow.store, event_id)


@dataclass(frozen=True)
class SentForm:
    """A "New activity" form sent: the activity it made as it is now (a draft, or
    published since), or None when that draft was deleted since; or (`too_old`) a form
    handed out too long ago to be sent (`domain.form_too_old`), whatever became of it."""

    activity: Row | None
    too_old: bool = False


async def form_sent(uow: Uow, clock: Clock, principal: Principal,
                    token: UUID) -> SentForm | None:
    """Whether the "New activity" form with the one-time `token` was sent, and what it
    made (`SentForm`), or is too old to be sent; None while it may be sent."""
    require(principal, *domain.EDITORS)
    draft_id = domain.form_draft_id(principal.subject, token)
    async with uow:
        made = await uow.store.get_event(draft_id)
        if made is not None:
            return SentForm(made)  # made before its sending was remembered, too
        if await uow.store.form_sent_at(draft_id) is not None:
            return SentForm(None)
    return SentForm(None, too_old=True) if domain.form_too_old(token, clock.now()) else None


async def forget_sent_forms(uow: Uow, clock: Clock, *,
                            batch: int = domain.SENT_FORMS_BATCH,
                            batches: int = domain.SENT_FORMS_BATCHES_A_PASS) -> int:
    """The "New activity" forms sent more than `domain.SENT_FORM_KEPT` ago, forgotten
    (`new_activity_forms` would otherwise grow for good): by then such a form is refused
    as too old anyway (`form_too_old`). Up to `batch` rows a transaction, so no lock is
    held long, and at most `batches` of them a pass (the rest the next pass); how many."""
    before = clock.now() - domain.SENT_FORM_KEPT
    forgotten = 0
    for _ in range(batches):
        async with uow:
            deleted = await uow.store.forget_sent_forms(before, batch)
        forgotten += deleted
        if deleted < batch:
            break
    return forgotten


async def delete_draft(uow: Uow, clock: Clock, principal: Principal, event_id: UUID) -> None:
    """Delete a draft that was never out (`domain.check_deletable`), with its history:
    nobody but its editors ever saw it, so nothing is told on the bus."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        domain.check_editable(principal, row)
        domain.check_deletable(row)
        await uow.store.delete_draft(event_id)
        log.info("draft deleted", extra={"event_id": str(event_id),
                                         "actor": domain.actor(principal),
                                         "at": clock.now().isoformat()})


async def _edit(uow: Uow, now: datetime, principal: Principal, row: Row,
                changes: Mapping[str, Any], refused: Sequence[Invalid] = (), *,
                as_published: bool = False) -> Row:
    domain.check_editable(principal, row)
    if row["status"] in ("cancelled", "withdrawn", "awaiting_approval"):
        raise Conflict(f"{domain.status_phrase(row['status'])} is not edited",
                       status=row["status"], code="not_edited")
    changes = domain.place_changes(row, domain.real_changes(row, changes))
    live = row["status"] != "draft"
    if not changes and not refused:
        if as_published and not live:
            # A draft saved unchanged from the form is still told what publishing would
            # refuse (a booking's draft named in Swedish alone has no Finnish name yet),
            # not "saved" and then refused at the Publish.
            refuse(domain.edit_refusals(row, changes, LIMITS, as_published=True))
        return row  # the same values again: no new revision, nobody told
    # Every rule the edit breaks at once, each field once: what the caller could not even
    # read (`refused`), the time's, the values', publishing's (live, or `as_published`) and
    # the terms'.
    found = list(refused)
    moved = any(k in changes and changes[k] != row[k] for k in ("starts_at", "ends_at"))
    if live and moved:
        found.append(Invalid("a published event's time changes by rescheduling it",
                             field="starts_at"))
    elif moved and row["booking_id"] is not None:
        found.append(Invalid("the time of an activity with a booking changes by rescheduling"
                             " it, so that its booking moves too", field="starts_at"))
    if changes.get("venue_id") is not None:
        # At another venue it is in that venue's area (unless the change names one), so the
        # area filters, boards and indicators find it where it now happens.
        changes = await _with_venue(uow.store, dict(changes))
    if changes.get("capacity") is not None:
        # The places the sign-up has confirmed seats of (its counts, migration 017): fewer
        # places than those read "Confirmed: 3 / 2" and nobody would give a seat back.
        counts = (await uow.store.registration_counts_of([row["id"]])).get(row["id"])
        found += domain.capacity_refusals(changes["capacity"], counts)
    said = {e.field for e in found}
    found += [e for e in domain.edit_refusals(row, changes, LIMITS, as_published=as_published,
                                              unread={e.field for e in flattened(refused)})
              if e.field not in said]
    refuse([*found, *await _vocabulary_refusals(uow.store, changes, found, row)])
    await uow.store.update_event(row["id"], dict(changes), now, new_revision=live)
    updated = await _load(uow.store, row["id"])
    if live:
        await uow.publish(domain.facts(ActivityEventUpdated, updated))
    return updated


async def update_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                       changes: Mapping[str, Any], refused: Sequence[Invalid] = (), *,
                       as_published: bool = False) -> Row:
    """Edit the details. On a published event this is a new revision residents are told
    about (`event.updated`); its time changes only by rescheduling. A new place kind of no
    venue leaves the venue and its space (`domain.place_changes`). A form says every
    refusal at once: `refused` are those of values it could not even read (a word for a
    number), refused with every rule the rest breaks, and nothing is stored; with
    `as_published` (the organiser's form, which writes the activity to be published) a
    draft is held to publishing's rules too, so none is told only at the publish after."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        return await _placed(uow.store, await _edit(uow, clock.now(), principal, row, changes,
                                                    refused, as_published=as_published))


async def update_series_to_come(uow: Uow, clock: Clock, principal: Principal,
                                event_id: UUID, changes: Mapping[str, Any],
                                refused: Sequence[Invalid] = (), *,
                                as_published: bool = False) -> list[Row]:
    """Edit one occurrence of a series as `update_event` does, and give every other
    occurrence of its series still to come (`domain.series_to_come`: not started, not
    cancelled, withdrawn or waiting for approval) the same changed details, never the time
    (`domain.series_changes`): each edited as `update_event` edits it (a published one is a
    new revision residents are told about, a draft held to publishing's rules with
    `as_published`). All of them or none, in one transaction: every refusal of any is said
    at once (another occurrence's marked with its start, `domain.occurrence_refusals`) and
    nothing is stored. The occurrences, this one first. The organiser's form saved "for every
    time still to come" and `PATCH /events/{id}/series-to-come` both call it."""
    require(principal, *domain.EDITORS)
    now = clock.now()
    async with uow:
        row = await _load(uow.store, event_id)
        domain.check_editable(principal, row)
        if row["series_id"] is None:
            # Its own code, not the generic `conflict` ("already changed or decided"): nothing
            # changes it, the activity is edited alone (`PATCH /events/{id}`).
            raise Conflict("this activity event is not one of a series", code="not_a_series")
        # Every occurrence locked in the order `publish_series` locks them, this one too.
        occurrences = await uow.store.series_occurrences(row["series_id"], for_update=True)
        row = next(o for o in occurrences if o["id"] == event_id)
        found: list[Invalid] = []
        edited: list[Row] = []
        try:
            edited.append(await _edit(uow, now, principal, row, changes, refused,
                                      as_published=as_published))
        except Invalid as exc:
            found += flattened([exc])
        same = domain.series_changes(changes)
        for other in domain.series_to_come(occurrences, event_id, now):
            try:
                edited.append(await _edit(uow, now, principal, dict(other), same,
                                          as_published=as_published))
            except Invalid as exc:
                found += domain.occurrence_refusals(flattened([exc]), other, found)
        refuse(found)
        await _with_places(uow.store, edited)
        return edited


async def _transition(uow: Uow, now: datetime, principal: Principal, row: Row, target: str,
                      reason: str | None = None, new_time: NewTime | None = None, *,
                      actor: str | None = None, release_booking: bool = False,
                      language: str = "fi") -> Row:
    """Move a locked event to `target` and publish what residents are told. `actor` names
    another service acting (the booking's end or move), which needs no editor's rights.

    Publishing a draft follows the publication rights: without a confirmed booking where it
    happens or the rights of an approver, the event waits in the approval queue, and
    publishing it again does not let it out. Its organiser's verified address is kept
    meanwhile, to tell them in `language` what staff decided: their sign-in's, else the one
    kept with a booking's draft (`draft_from_booking`), which leaves the draft whichever way
    the draft goes; someone who may approve it publishing it decides (approves)."""
    if actor is None:
        domain.check_editable(principal, row)
    domain.check_transition(row["status"], target)
    domain.check_reason(reason)
    store = uow.store
    area = row["area"]
    booking = await store.get_booking(row["booking_id"]) if row["booking_id"] else None
    if target == "published":
        if booking is not None and booking["status"] != "confirmed":
            raise Conflict(f"the booking of this activity is {booking['status']}: it cannot be"
                           " published", status=booking["status"])
        # The values' rules and publishing's, all said at once.
        refuse(domain.edit_refusals(row, {}, LIMITS, as_published=True))
        if area is None and row["venue_id"] is not None:
            venue = await store.get_venue(row["venue_id"])
            area = domain.known_area(venue["area"]) if venue else None
        if row["status"] in domain.UNPUBLISHED \
                and not domain.goes_out_at_once(principal, row, booking):
            if row["status"] == "awaiting_approval":
                # Only a decision (or a booking that now covers it) lets it out of the queue.
                raise Conflict("this activity event is waiting for approval already",
                               status=row["status"])
            target = "awaiting_approval"
    if new_time is not None:
        # Every rule at once; a booking moved is the booking service's judgement.
        refuse(new_time.refusals(now if actor is None else None, row))
        await store.move(row["id"], new_time.starts_at, new_time.ends_at, now)
    await store.set_status(row["id"], target, actor or domain.actor(principal), reason, now,
                           area=area)
    if target == "published" and actor is None and not domain.may_approve(principal, row):
        # Out on the organiser's own rights (a confirmed booking): their first activity
        # reaches what a new organiser's setting says. Staff who publish or approve decide.
        await store.mark_new_organiser(row["id"])
    updated = await _load(store, row["id"])
    # A booking's address kept with its draft is needed at most until the draft leaves.
    booked = await store.take_booking_contact(row["id"]) if row["status"] == "draft" else None
    if target == "awaiting_approval":
        contact = domain.approval_contact(principal, row, language, booked)
        if contact is not None:
            # Personal data, kept only until the decision (or a withdrawal) deletes it.
            await store.keep_approval_contact(row["id"], *contact, now)
        return updated  # nobody outside hears of it until approved
    if target == "published":
        event: Any = domain.facts(ActivityEventPublished, updated)
    elif target == "postponed":
        event = domain.facts(ActivityEventPostponed, updated, reason=reason)
    elif target == "rescheduled":
        event = domain.facts(ActivityEventRescheduled, updated,
                             previous_starts_at=row["starts_at"],
                             previous_ends_at=row["ends_at"])
    else:
        release = release_booking and row["booking_id"] is not None
        event = domain.facts(ActivityEventCancelled, updated, reason=reason,
                             release_booking=release)
        if release:  # the organiser's page says so until the booking service has done it
            await store.record_history(row["id"], domain.RELEASE_ASKED,
                                       actor or domain.actor(principal), None, now)
    await uow.publish(event)
    if row["status"] == "awaiting_approval":  # out of the queue
        if domain.may_approve(principal, row):
            await _decided(uow, updated, "approved", now)
        else:  # on its organiser's own rights (a booking that now covers it): no decision
            await store.take_approval_contact(row["id"])
    return updated


async def _decided(uow: Uow, row: Row, decision: domain.Decision, now: datetime,
                   reason: str | None = None) -> None:
    """Tell notifications what staff decided about a queued activity, so it tells the
    organiser: with the address kept for it, which is deleted here, its job done."""
    contact = await uow.store.take_approval_contact(row["id"])
    await uow.publish(domain.approval_decision(row, uuid4(), decision, now, contact, reason))


async def _change_status(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                         target: str, reason: str | None = None,
                         new_time: NewTime | None = None) -> Row:
    require(principal, *domain.EDITORS)
    async with uow:
        # The row lock orders this event's outbox rows in commit order.
        row = await _load(uow.store, event_id, for_update=True)
        return await _placed(uow.store, await _transition(uow, clock.now(), principal, row,
                                                          target, reason, new_time))


async def publish_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                        language: str = "fi") -> Row:
    """Published, or waiting in the approval queue (see `_transition`); `language` is the one
    its organiser reads, for the message about the decision."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        return await _placed(uow.store, await _transition(
            uow, clock.now(), principal, row, "published", language=language))


async def postpone_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                         reason: str) -> Row:
    """Postponed to a time not yet known."""
    return await _change_status(uow, clock, principal, event_id, "postponed", reason)


async def reschedule_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                           new_time: NewTime) -> Row:
    """A new time. An activity with a booking asks the booking service to move the booking
    first (`booking.move_requested`): the event keeps its time, with the move pending, until
    `booking.moved` (then residents are told) or `booking.move_refused` (then nothing
    changes and the refusal is in the event's history). See ADR 0003."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        if row["booking_id"] is None:
            moved = await _transition(uow, clock.now(), principal, row, "rescheduled",
                                      new_time=new_time)
        else:
            moved = await _request_move(uow, clock.now(), principal, row, new_time)
        return await _placed(uow.store, moved)


async def _request_move(uow: Uow, now: datetime, principal: Principal, row: Row,
                        new_time: NewTime) -> Row:
    domain.check_editable(principal, row)
    if row["status"] not in ("draft", *domain.LIVE):
        raise Conflict(f"{domain.status_phrase(row['status'])} cannot be moved",
                       status=row["status"])
    if row["pending_move"] is not None:
        raise Conflict("a move of this activity's booking is already waiting for the"
                       " booking service's answer", pending_move=row["pending_move"])
    # Every rule at once. The booking service refuses a past time too, but only later.
    refuse(new_time.refusals(now, row))
    booking = await uow.store.get_booking(row["booking_id"])
    if booking is not None and booking["status"] != "confirmed":
        raise Conflict(f"the booking of this activity is {booking['status']}",
                       status=booking["status"])
    request_id = uuid4()
    who = domain.actor(principal)
    await uow.store.set_pending_move(row["id"], {
        "request_id": str(request_id), "starts_at": new_time.starts_at.isoformat(),
        "ends_at": new_time.ends_at.isoformat(), "requested_by": who}, now)
    await uow.store.record_history(
        row["id"], "move_requested", who,
        f"{new_time.starts_at.isoformat()}/{new_time.ends_at.isoformat()}", now)
    await uow.publish(BookingMoveRequested(
        request_id=request_id, booking_id=row["booking_id"], event_id=row["id"],
        starts_at=new_time.starts_at, ends_at=new_time.ends_at, requested_by=who))
    return await _load(uow.store, row["id"])


async def cancel_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                       reason: str, release_booking: bool = False) -> Row:
    """Cancelled, residents are told why. With `release_booking` the booking service cancels
    the activity's booking too (the organiser frees the space for others)."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        return await _placed(uow.store, await _transition(
            uow, clock.now(), principal, row, "cancelled", reason,
            release_booking=release_booking))


async def back_to_draft(uow: Uow, clock: Clock, principal: Principal, event_id: UUID) -> Row:
    """Its organiser takes an activity awaiting approval back to a draft: a mistake seen
    while staff decide, or a change of plans. Never out, so nobody but its editors is told;
    it leaves the approval queue, its history says who took it back, and it is edited,
    sent again or deleted as any draft."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        domain.check_editable(principal, row)
        if row["status"] != "awaiting_approval":
            raise Conflict(f"{domain.status_phrase(row['status'])} is not waiting for "
                           "approval: nothing to take back", status=row["status"],
                           code="not_awaiting_approval")
        await uow.store.set_status(row["id"], "draft", domain.actor(principal), None,
                                   clock.now())
        return await _placed(uow.store, await _load(uow.store, row["id"]))


async def event_history(uow: Uow, principal: Principal, event_id: UUID) -> list[Row]:
    """Every step of the event: who, when and why (those who may edit it)."""
    async with uow:
        row = await uow.store.get_event(event_id)
        if row is None or not domain.visible(principal, row):
            raise NotFound("no such activity event", event_id=str(event_id))
        domain.check_editable(principal, row)
        return await uow.store.history_of(event_id)


# --- the approval queue --------------------------------------------------------------------


async def approval_queue(uow: Uow, clock: Clock, principal: Principal, area: str | None,
                         limit: int, offset: int, *, ended: bool = False) -> list[Row]:
    """Events waiting for approval that the caller may decide, each with its venue's name
    (`venue_name`, when it is at a known venue): the queue, those not over yet (soonest
    first). With `ended`, those that ended waiting (latest first): out of the queue, as
    publishing them now tells residents nothing (their organiser is not mailed a decision
    either), but still decided on, as approving a late report counts it in the figures."""
    require(principal, "communications", "desk")
    async with uow:
        rows = await uow.store.approval_queue(
            all_areas="admin" in principal.roles or (
                "communications" in principal.roles and not principal.venues),
            venues=sorted(principal.venues), area=area, limit=limit, offset=offset,
            now=clock.now(), ended=ended)
        venues = await uow.store.venue_names() if rows else {}
    return [{**r, "venue_name": venues.get(r["venue_id"])} for r in rows
            if domain.may_approve(principal, r)]


async def _queued(store: EventStore, principal: Principal, event_id: UUID, act: str) -> Row:
    """An event waiting in the approval queue, locked, that `principal` may decide on."""
    row = await _load(store, event_id, for_update=True)
    if not domain.may_approve(principal, row):
        raise Forbidden(f"only the venue's desk or communications staff {act} it")
    if row["status"] != "awaiting_approval":
        raise Conflict(f"{domain.status_phrase(row['status'])} is not waiting for approval",
                       status=row["status"])
    return row


async def approve_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID) -> Row:
    """Communications (or the venue's desk) staff let a queued event out on the channels;
    its organiser is told (`event.approval_decided`)."""
    async with uow:
        row = await _queued(uow.store, principal, event_id, "approve")
        return await _placed(uow.store, await _transition(
            uow, clock.now(), principal, row, "published", actor=domain.actor(principal)))


async def refuse_event(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                       reason: str, language: str | None = None) -> Row:
    """Refused with a reason: the event is the organiser's draft again, its history says
    why (in `language`, when known: the approval page's), and they are told
    (`event.approval_decided`). The reason is held to a cancelling's (`check_reason`): it
    goes as typed into their email and their page, so no control or text-direction
    character (`text_chars`)."""
    domain.check_reason(reason)
    async with uow:
        row = await _queued(uow.store, principal, event_id, "refuse")
        now = clock.now()
        await uow.store.set_status(row["id"], "draft", domain.actor(principal),
                                   f"refused: {reason}", now, language=language)
        refused = await _load(uow.store, row["id"])
        await _decided(uow, refused, "refused", now, reason)
        return await _placed(uow.store, refused)


async def report_attendance(uow: Uow, clock: Clock, principal: Principal, event_id: UUID,
                            report: Attendance) -> int:
    """After the activity, the organiser or library staff report how many took part; a later
    report corrects the earlier one. Returns the report's revision."""
    require(principal, *domain.EDITORS)
    for name in ("participants", "visitors"):
        value = getattr(report, name)
        if isinstance(value, bool) or not 0 <= value <= 1_000_000:
            raise Invalid("must be between 0 and 1000000", field=name)
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        domain.check_editable(principal, row)
        now = clock.now()
        domain.check_attendance(row["status"], row["starts_at"], now)
        venue = await uow.store.get_venue(row["venue_id"]) if row["venue_id"] else None
        capacity = domain.space_capacity(venue, row["space_id"]) or row["capacity"]
        held = not domain.attendance_plausible(report.participants, report.visitors,
                                               capacity, LIMITS)
        revision = await uow.store.save_attendance(event_id, report.participants,
                                                   report.visitors, domain.actor(principal),
                                                   now, held=held)
        await uow.store.record_history(
            event_id, "attendance_held" if held else "attendance_reported",
            domain.actor(principal),
            f"{report.participants} participants, {report.visitors} visitors", now)
        if not held:
            await uow.publish(domain.attendance_facts(row, revision, report.participants,
                                                      report.visitors))
    return revision


async def attendance_held(uow: Uow, principal: Principal, event_id: UUID) -> bool:
    """Whether the event's newest attendance report waits for staff confirmation."""
    async with uow:
        report = await uow.store.get_attendance(event_id)
    return bool(report and report["held"])


async def confirm_attendance(uow: Uow, clock: Clock, principal: Principal,
                             event_id: UUID) -> int:
    """Staff (the venue's desk, communications) confirm a figure above the plausible: it is
    counted in the indicators from now on. Returns the report's revision."""
    async with uow:
        row = await _load(uow.store, event_id, for_update=True)
        if not domain.may_approve(principal, row):
            raise Forbidden("only the venue's desk or communications staff confirm it")
        report = await uow.store.get_attendance(event_id)
        if report is None or not report["held"]:
            raise Conflict("no attendance report of this event waits for confirmation")
        now = clock.now()
        await uow.store.release_attendance(event_id, domain.actor(principal))
        await uow.store.record_history(event_id, "attendance_confirmed",
                                       domain.actor(principal), None, now)
        await uow.publish(domain.attendance_facts(row, report["revision"],
                                                  report["participants"],
                                                  report["visitors"]))
        return int(report["revision"])


# --- series --------------------------------------------------------------------------------


async def create_series(uow: Uow, clock: Clock, principal: Principal,
                        fields: Mapping[str, Any], repeat: Repeat) -> tuple[UUID, list[Row]]:
    """A weekly group as one series of draft occurrences; each can later be changed,
    rescheduled or cancelled on its own."""
    require(principal, *domain.EDITORS)
    data = {**NEW_EVENT, **fields}
    domain.check_event(data, LIMITS)
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
        rows = [await _load(uow.store, i) for i in ids]
        await _with_places(uow.store, rows)
        return series_id, rows


async def publish_series(uow: Uow, clock: Clock, principal: Principal,
                         series_id: UUID, language: str = "fi") -> list[Row]:
    """Publish every draft occurrence of the series at once: all of them or none (each one
    waiting for approval is decided on its own; `language` as in `publish_event`). Every
    draft's refusals are said at once, each marked with its draft's start
    (`domain.occurrence_refusals`; one said already not again), so the organiser knows which
    time to fix."""
    require(principal, *domain.EDITORS)
    async with uow:
        drafts = await uow.store.series_drafts(series_id)
        if not drafts and not await uow.store.series_exists(series_id):
            raise NotFound("no such series", series_id=str(series_id))
        now = clock.now()
        published = []
        found: list[Invalid] = []
        for event_id in drafts:
            row = await _load(uow.store, event_id, for_update=True)
            try:
                published.append(await _transition(uow, now, principal, row, "published",
                                                   language=language))
            except Invalid as exc:
                found += domain.occurrence_refusals(flattened([exc]), row, found)
        refuse(found)
        await _with_places(uow.store, published)
        return published


# --- Linked Events -------------------------------------------------------------------------


async def import_events(uow: Uow, clock: Clock, principal: Principal,
                        items: Sequence[ImportItem]) -> ImportResult:
    """Take events from a Linked Events feed, all or nothing: new ones are created and
    published, known ones (by their Linked Events id) updated, each checked by the rules of
    a created event and each change told to the other services as usual. When any item
    breaks a rule, nothing is imported and `ImportRejected` names what to fix in each."""
    require(principal, "communications")
    failed: list[dict[str, Any]] = []

    def fail(index: int, item: ImportItem, problem: str, field: str | None) -> None:
        failed.append({"index": index, "id": item.ref, "field": field, "error": problem})

    for index, item in enumerate(items):  # what is wrong without the database
        if item.fields is None:
            fail(index, item, item.problem or "not an event", item.field)
            continue
        try:
            domain.check_event({**NEW_EVENT, **item.fields}, LIMITS)
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
    details.pop("area", None)  # its venue's (`_edit`), or the one it has
    details = domain.real_changes(row, details)
    moved = (row["starts_at"], row["ends_at"]) != (fields["starts_at"], fields["ends_at"])
    retarget = target in ("cancelled", "postponed") and row["status"] != target
    if not details and not moved and not retarget and row["status"] != "draft":
        # The same document again: no new revision, nothing told (a feed is re-read often).
        return "unchanged", existing
    if details:
        row = await _edit(uow, now, principal, row, details)
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


#: Who acts when the booking service's events move an activity.
BOOKING = Principal(subject="booking-service", roles=frozenset({"admin"}))


def _booking_row(booking: BookingConfirmed | BookingMoved, status: str, now: datetime,
                 reason: str | None = None, actor: str | None = None) -> Row:
    return {"booking_id": booking.booking_id, "venue_id": booking.venue_id,
            "space_id": booking.space_id, "status": status, "starts_at": booking.starts_at,
            "ends_at": booking.ends_at, "reason": reason, "actor": actor, "updated_at": now}


async def draft_from_booking(uow: Uow, clock: Clock, booking: BookingConfirmed) -> Row | None:
    """Offer the organiser a draft activity event for the confirmed booking.

    The draft's id is derived from the booking id and the table is unique by booking, so a
    second `booking.confirmed` of the same booking (even a re-sent one with a new event id)
    creates nothing new. A title that cannot be a name (empty, too long, odd characters)
    gives the draft a name the organiser completes. The title is the name in its own
    language (the booking's `title_language`, Finnish in events from before it was told):
    one in Swedish or English waits for its Finnish name, which the organiser writes when
    they edit or publish the draft; the draft meets every other rule of an event.
    A booking of a booking series makes a draft of the same series (`series_id`).
    When the booking's end (or a move) is known already (its events came out of order), the
    draft is made withdrawn (or at the booking's newest time). The booking's verified
    `contact_email` and `contact_language` are kept with a new draft that is not withdrawn,
    for its approval decision should the organiser's sign-in give no address (`_transition`);
    deleted when the draft leaves the drafts or the booking is over (`forget_booking`).
    """
    now = clock.now()
    if booking.title_language not in domain.LANGUAGES:
        # A language booking offers later, or a producer's mistake: the draft is named in
        # Finnish (`domain.draft_name`), as before the field, and the odd value is said here
        # rather than refused (a dead letter would lose the booking's draft).
        log.warning("booking's title_language is none of fi, sv, en: its draft is named in"
                    " Finnish", extra={"booking_id": str(booking.booking_id),
                                       "title_language": booking.title_language})
    async with uow:
        # The venue's own event may be handled beside this one: whichever comes second sees
        # the other's work (the draft gets the area now, or when the venue arrives). Three
        # round trips in all (issue #20): both locks, the booking with its venue, the draft.
        await uow.store.lock_booking(booking.booking_id, venue_id=booking.venue_id)
        known, area = await uow.store.add_booking_seeing_venue(
            _booking_row(booking, "confirmed", now, actor="booking:confirmed"))
        draft: dict[str, Any] = {
            **NEW_EVENT,
            "id": domain.draft_id(booking.booking_id),
            "booking_id": booking.booking_id,
            "name": domain.draft_name(booking.title, booking.title_language),
            "starts_at": known["starts_at"],
            "ends_at": known["ends_at"],
            "kind": domain.draft_kind(booking.cooperation),
            "venue_id": booking.venue_id,
            "space_id": booking.space_id,
            "organiser_id": booking.organiser_id,
            "owner_subject": booking.organiser_subject,
            "free": booking.cooperation,
            "area": domain.known_area(area),
        }
        refuse(domain.booking_draft_refusals(draft, LIMITS))
        if booking.series_id is not None:
            # A booking series' times are one series here too, so the organiser's pages
            # write them together (`update_series_to_come`, `publish_series`).
            await uow.store.keep_series(booking.series_id, booking.organiser_subject,
                                        {"booking_series": True}, now)
            draft["series_id"] = booking.series_id
        stored = await uow.store.insert_draft(draft, now, "booking:confirmed")
        if stored is not None and known["status"] != "confirmed":
            await uow.store.set_status(draft["id"], "withdrawn",
                                       known["actor"] or "booking", known["reason"], now)
            stored = await _load(uow.store, draft["id"])
        elif stored is not None and booking.ends_at > now and (
                contact := domain.booking_contact(booking.contact_email,
                                                  booking.contact_language)):
            # Personal data, kept only until the draft leaves the drafts or the booking ends
            # (so not at all for a booking already over: read late, no `booking.ended` may
            # follow to forget it).
            await uow.store.keep_booking_contact(draft["id"], *contact, now)
        return stored


BookingEnd = BookingCancelled | BookingRejected | BookingNoShow


def _end_of(event: BookingEnd) -> tuple[str, str, str | None]:
    """The booking's status, who ended it and why, for the activity's history and notice.
    The reason is only ever what a person wrote: residents read it beside the status in
    their own language, so no words are made up here (the actor says where it came from)."""
    if isinstance(event, BookingCancelled):
        return "cancelled", f"booking:{event.cancelled_by}", event.reason or None
    if isinstance(event, BookingRejected):
        return "rejected", "booking:desk", event.reason or None
    return "no_show", "booking:system", None


async def follow_booking_end(uow: Uow, clock: Clock, event: BookingEnd) -> Row | None:
    """The booking is cancelled (by its organiser, or the desk stopping the event),
    rejected or not shown up for: its activity is withdrawn if not yet public, cancelled
    with the reason if it is (notifications post the cancellation, boards mark it). Known
    ahead of its activity (out of order), it keeps the later draft from being made public."""
    status, actor, reason = _end_of(event)
    now = clock.now()
    async with uow:
        await uow.store.lock_booking(event.booking_id)
        await uow.store.save_booking({
            "booking_id": event.booking_id, "venue_id": event.venue_id,
            "space_id": event.space_id, "status": status, "starts_at": event.starts_at,
            "ends_at": event.ends_at, "reason": reason, "actor": actor, "updated_at": now})
        row = await uow.store.get_event_by_booking(event.booking_id, for_update=True)
        if row is None:
            return None
        await uow.store.forget_booking_contact(event.booking_id)
        if row["pending_move"] is not None:
            await uow.store.set_pending_move(row["id"], None, now)
        if row["status"] in domain.UNPUBLISHED:
            await uow.store.set_status(row["id"], "withdrawn", actor, reason, now)
            # Nobody decides on it now: its organiser's address is not kept any longer.
            await uow.store.take_approval_contact(row["id"])
        elif row["status"] in domain.LIVE:
            await _transition(uow, now, BOOKING, row, "cancelled",
                              reason[:domain.REASON_MAX] if reason else None, actor=actor)
        else:
            return None  # cancelled or withdrawn already: a repeat changes nothing
        return await _load(uow.store, row["id"])


async def forget_booking(uow: Uow, ended: BookingEnded) -> None:
    """The booking's time is over (`booking.ended`): its verified address kept with its
    draft (`draft_from_booking`) is not needed any more. The activity itself stays as it is
    (a draft may still be reported late)."""
    async with uow:
        await uow.store.lock_booking(ended.booking_id)
        await uow.store.forget_booking_contact(ended.booking_id)


async def forget_ended_contacts(uow: Uow, clock: Clock) -> int:
    """Organisers' addresses kept for an approval decision (`approval_contacts`) or with a
    booking's draft (`booking_contacts`) whose activity has ended: no decision is mailed
    for an ended activity, and a `booking.ended` lost to an outage would otherwise leave
    them kept for good. How many were forgotten."""
    async with uow:
        return await uow.store.forget_ended_contacts(clock.now())


async def follow_booking_move(uow: Uow, clock: Clock, moved: BookingMoved) -> Row | None:
    """The booking holds a new time (the desk moved it, or our own request was done): the
    activity moves with it, and residents are told of a public one's new time only now."""
    now = clock.now()
    actor = f"booking:{moved.moved_by}"
    async with uow:
        await uow.store.lock_booking(moved.booking_id)
        await uow.store.save_booking(_booking_row(moved, "confirmed", now, actor=actor))
        row = await uow.store.get_event_by_booking(moved.booking_id, for_update=True)
        if row is None:
            return None
        if row["pending_move"] is not None:
            await uow.store.set_pending_move(row["id"], None, now)
        same = (row["starts_at"], row["ends_at"]) == (moved.starts_at, moved.ends_at)
        if same or row["status"] in ("cancelled", "withdrawn"):
            return await _load(uow.store, row["id"])  # a repeat, or too late to matter
        if row["status"] in domain.UNPUBLISHED:
            await uow.store.move(row["id"], moved.starts_at, moved.ends_at, now)
            await uow.store.record_history(row["id"], "moved", actor, moved.reason, now)
            return await _load(uow.store, row["id"])
        return await _transition(uow, now, BOOKING, row, "rescheduled", moved.reason,
                                 NewTime(moved.starts_at, moved.ends_at), actor=actor)


async def follow_move_refusal(uow: Uow, clock: Clock, refused: BookingMoveRefused) -> None:
    """The booking could not move: the activity keeps its time; its history says why, by
    the space's own rule when the booking service names it (`domain.move_refusal`): every
    reason it gives, one `code: words` line each (a time both too long and past closing is
    refused for both, as the desk hears it), else the one it named before it listed them."""
    now = clock.now()
    async with uow:
        await uow.store.lock_booking(refused.booking_id)
        row = await uow.store.get_event_by_booking(refused.booking_id, for_update=True)
        if row is None or row["pending_move"] is None \
                or row["pending_move"].get("request_id") != str(refused.request_id):
            return  # answered already, or not ours
        await uow.store.set_pending_move(row["id"], None, now)
        why = "\n".join(f"{r.code}: {r.reason}" for r in refused.refusals) \
            or f"{refused.rule or refused.code}: {refused.reason}"
        await uow.store.record_history(row["id"], "move_refused", "booking:system", why, now)


async def record_registration_counts(uow: Uow, clock: Clock,
                                     counts: RegistrationCounts) -> bool:
    """Keep an activity's newest sign-up counts (a read model of the notifications
    service's, `registration.counts`): its places (its settings may have changed them) and
    how many are taken, which its page, the API and the calendar show. One of an older or
    the same `sequence` (late, or heard twice) changes nothing. Whether it was kept."""
    async with uow:
        return await uow.store.keep_registration_counts({
            "activity_event_id": counts.activity_event_id, "sequence": counts.sequence,
            "capacity": counts.capacity, "confirmed_seats": counts.confirmed_seats,
            "waiting_seats": counts.waiting_seats, "updated_at": clock.now()})


async def record_venue(uow: Uow, clock: Clock,
                       venue: VenueRegistered | VenueUpdated) -> None:
    """Keep the newest copy of a venue (a read model of the booking service's). Its drafts
    still without an area get the venue's when it is one of Kuopio's, as a new draft would."""
    async with uow:
        await uow.store.lock_venue(venue.venue_id)
        await uow.store.upsert_venue(venue, draft_area=domain.known_area(venue.area))


# --- an organiser's own pages (issue #16) --------------------------------------------------


@dataclass(frozen=True)
class OrganiserActivity:
    """One of the organiser's activities as their pages show it."""

    row: Row
    venue: Row | None
    vocabulary: list[Row]
    attendance: Row | None
    #: Why it is where it is (returned by staff, cancelled, a move refused): `latest_note`.
    note: tuple[str, str] | None
    #: The language `note`'s reason was written in, when known (`domain.note_language`).
    note_language: str | None = None
    #: Waiting for approval with an address kept to email the decision to: the page says
    #: the decision comes by email only then (else it shows on the page).
    decision_by_email: bool = False
    #: Its booking's status as the booking service told it (None: no booking): a cancelled
    #: activity whose booking still stands says how to free the space.
    booking_status: str | None = None
    #: Cancelled with its booking asked to be released too (`domain.release_asked`).
    release_asked: bool = False
    #: Every occurrence of its series by start (none: no series), for the page to say
    #: which time this is and offer to write or publish every time (`domain.series_place`).
    series: list[Row] = field(default_factory=list)


async def my_activities(uow: Uow, principal: Principal, limit: int = 500) -> list[Row]:
    """The activities the signed-in organiser owns (drafts of their bookings, what they
    created), whatever their status, each with `attendance_reported` and its venue's name
    (`venue_name`, when it is at a known venue)."""
    require(principal, *domain.EDITORS)
    async with uow:
        rows = await uow.store.events_of_owner(principal.subject or "", limit)
        venues = await uow.store.venue_names() if rows else {}
    return [{**r, "venue_name": venues.get(r["venue_id"])} for r in rows]


async def booking_draft(uow: Uow, principal: Principal, booking_id: UUID) -> Row:
    """The activity made of the booking (`draft_from_booking`), for whoever may edit it;
    NotFound while the booking's confirmation has not reached this service yet, and for
    anyone else's booking (which is not told apart)."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await uow.store.get_event_by_booking(booking_id)
    if row is None or not domain.may_edit(principal, row["owner_subject"], row["venue_id"]):
        raise NotFound("no activity of this booking yet", booking_id=str(booking_id))
    return row


async def my_activity(uow: Uow, principal: Principal, event_id: UUID) -> OrganiserActivity:
    """One activity the caller may edit, whatever its status, with its venue, the vocabulary
    its form offers, its attendance report and what its history has to say; the public
    page's status reason is set as on the public page (`status_reason`)."""
    require(principal, *domain.EDITORS)
    async with uow:
        row = await uow.store.get_event(event_id)
        if row is None or not domain.may_edit(principal, row["owner_subject"],
                                              row["venue_id"]):
            raise NotFound("no such activity event", event_id=str(event_id))
        venue = await uow.store.get_venue(row["venue_id"]) if row["venue_id"] else None
        await _with_places(uow.store, [row])  # the sign-up's places, said by the form's
        history = await uow.store.history_of(event_id)
        _status_cause(row, domain.entered(history, row["status"]))  # the history read above
        return OrganiserActivity(row=row, venue=venue,
                                 vocabulary=await uow.store.vocabulary_labels(),
                                 attendance=await uow.store.get_attendance(event_id),
                                 note=domain.latest_note(history, row["status"]),
                                 note_language=domain.note_language(history, row["status"]),
                                 decision_by_email=row["status"] == "awaiting_approval"
                                 and await uow.store.has_approval_contact(event_id),
                                 release_asked=domain.release_asked(history),
                                 series=await uow.store.series_occurrences(
                                     row["series_id"]) if row["series_id"] else [],
                                 booking_status=booking["status"] if (
                                     booking := await uow.store.get_booking(row["booking_id"])
                                     if row["booking_id"] else None) else None)
