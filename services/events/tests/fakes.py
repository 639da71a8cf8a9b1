"""An in-memory `EventStore` for use-case tests: the same methods, dicts instead of SQL."""

from __future__ import annotations

import copy
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from services.events.domain import fold
from services.events.store import EDITABLE, INSERTABLE, EventStore, Row
from shared.contracts import VenueRegistered, VocabularyTermSet
from shared.uow import FakeUnitOfWork

VOCABULARY = {
    "kind": {"open_guided", "open_unguided", "other", "pop_up"},
    "topic": {"stories", "music", "crafts"},
    "audience": {"families", "seniors", "everyone"},
}


class FakeEventStore(EventStore):
    def __init__(self) -> None:  # no connection
        self.events: dict[UUID, Row] = {}
        self.venues: dict[UUID, Row] = {}
        self.series: dict[UUID, Row] = {}
        self.history: list[tuple[UUID, str, str, str | None]] = []
        #: The language of each step's reason (`record_history`), by its place in `history`.
        self.languages: dict[int, str | None] = {}
        self.attendance: dict[UUID, Row] = {}
        self.bookings: dict[UUID, Row] = {}
        self.approval_contacts: dict[UUID, Row] = {}
        #: A booking's verified address kept with its draft (migration 016), by the draft.
        self.booking_contacts: dict[UUID, Row] = {}
        #: The sign-up's newest counts by activity (migration 017).
        self.registration_counts: dict[UUID, Row] = {}
        #: The "New activity" forms sent, by their draft id (migration 018).
        self.forms: dict[UUID, datetime] = {}
        self.labels: dict[tuple[str, str], dict[str, Any]] = {
            (scheme, code): {"fi": code} for scheme, codes in VOCABULARY.items()
            for code in codes}
        #: Each term's revision, and the terms told on the bus (the seed's not yet).
        self.revisions: dict[tuple[str, str], int] = dict.fromkeys(self.labels, 1)
        self.announced: set[tuple[str, str]] = set()
        self.retired: set[tuple[str, str]] = set()

    def snapshot(self) -> Any:
        return copy.deepcopy((self.events, self.series, self.history, self.attendance,
                              self.bookings, self.approval_contacts, self.booking_contacts))

    async def lock_venue(self, venue_id: UUID) -> None:
        return None

    async def upsert_venue(self, venue: VenueRegistered, *, draft_area: str | None) -> None:
        kept = self.venues.get(venue.venue_id)
        if kept is not None and kept["revision"] >= venue.revision:
            return
        self.venues[venue.venue_id] = {
            "venue_id": venue.venue_id, "name": venue.name.model_dump(), "kind": venue.kind,
            "area": venue.area, "municipality": venue.municipality, "spaces": [],
            "revision": venue.revision}
        for event in self.events.values():
            if draft_area is not None and event["venue_id"] == venue.venue_id \
                    and event["status"] == "draft" and event["area"] is None:
                event["area"] = draft_area

    async def get_venue(self, venue_id: UUID) -> Row | None:
        return dict(self.venues[venue_id]) if venue_id in self.venues else None

    async def venues_of(self, venue_ids: list[UUID]) -> dict[UUID, Row]:
        return {v: dict(self.venues[v]) for v in venue_ids if v in self.venues}

    async def venue_names(self) -> dict[UUID, Any]:
        return {k: v["name"] for k, v in self.venues.items()}

    async def venue_places(self) -> dict[UUID, Any]:
        return {k: {"venue_id": k, "name": v["name"], "spaces": v.get("spaces") or []}
                for k, v in self.venues.items()}

    async def areas(self) -> list[str]:
        return sorted({e["area"] for e in self.events.values()
                       if e["status"] != "draft" and e["area"]}
                      | {v["area"] for v in self.venues.values()})

    async def vocabulary(self, scheme: str, *, retired: bool = True) -> set[str]:
        return {code for (s, code) in self.labels
                if s == scheme and (retired or (s, code) not in self.retired)}

    async def vocabulary_labels(self) -> list[Row]:
        return [{"scheme": s, "code": c, "label": label, "retired": (s, c) in self.retired}
                for (s, c), label in sorted(self.labels.items())]

    async def lock_vocabulary_term(self, scheme: str, code: str) -> Row | None:
        if (scheme, code) not in self.labels:
            return None
        return {"label": dict(self.labels[(scheme, code)]),
                "revision": self.revisions[(scheme, code)],
                "retired": (scheme, code) in self.retired}

    async def save_vocabulary(self, scheme: str, code: str, label: dict[str, Any],
                              revision: int) -> None:
        self.labels[(scheme, code)] = dict(label)
        self.revisions[(scheme, code)] = revision
        self.announced.add((scheme, code))

    async def save_term_retired(self, scheme: str, code: str, retired: bool,
                                revision: int) -> None:
        (self.retired.add if retired else self.retired.discard)((scheme, code))
        self.revisions[(scheme, code)] = revision
        self.announced.add((scheme, code))

    async def announce_vocabulary(self) -> list[Row]:
        told = [key for key in self.labels if key not in self.announced]
        self.announced.update(told)
        return [{"scheme": s, "code": c, "label": dict(self.labels[(s, c)]),
                 "revision": self.revisions[(s, c)], "retired": (s, c) in self.retired}
                for s, c in told]

    async def insert_event(self, event: dict[str, Any], at: datetime) -> bool:
        booking = event.get("booking_id")
        if booking is not None and any(e["booking_id"] == booking
                                       for e in self.events.values()):
            return False
        row: Row = {"id": event["id"], "booking_id": booking, "status": "draft",
                    "revision": 0, "created_at": at, "updated_at": at,
                    "postponed_from": None, "pending_move": None, "new_organiser": False}
        row.update({c: None for c in INSERTABLE})
        row.update({"all_day": False, "place_kind": "venue", "topics": [], "audiences": [],
                    "languages": ["fi"], "free": True, "registration_required": False})
        row.update({c: copy.deepcopy(event[c]) for c in INSERTABLE if c in event})
        self.events[event["id"]] = row
        return True

    async def insert_draft(self, event: dict[str, Any], at: datetime, actor: str
                           ) -> Row | None:
        if not await self.insert_event(event, at):
            return None
        await self.record_history(event["id"], "draft", actor, None, at)
        return copy.deepcopy(self.events[event["id"]])

    async def get_event(self, event_id: UUID, *, for_update: bool = False) -> Row | None:
        row = self.events.get(event_id)
        return copy.deepcopy(row) if row is not None else None

    async def get_event_by_booking(self, booking_id: UUID, *, for_update: bool = False
                                   ) -> Row | None:
        return next((copy.deepcopy(e) for e in self.events.values()
                     if e["booking_id"] == booking_id), None)

    async def set_pending_move(self, event_id: UUID, pending: dict[str, Any] | None,
                               at: datetime) -> None:
        self.events[event_id].update(pending_move=copy.deepcopy(pending), updated_at=at)

    async def mark_new_organiser(self, event_id: UUID) -> None:
        row = self.events[event_id]
        row["new_organiser"] = not any(
            e["id"] != event_id and e["status"] in ("published", "postponed", "rescheduled",
                                                    "cancelled")
            and ((row["owner_subject"] is not None and e["owner_subject"] == row["owner_subject"])
                 or (row["organiser_id"] is not None
                     and e["organiser_id"] == row["organiser_id"]))
            for e in self.events.values())

    async def history_of(self, event_id: UUID) -> list[Row]:
        return [{"status": status, "actor": actor, "reason": reason, "at": None,
                 "language": self.languages.get(n)}
                for n, (e, status, actor, reason) in enumerate(self.history) if e == event_id]

    async def approval_queue(self, *, all_areas: bool, venues: list[UUID],
                             area: str | None, limit: int, offset: int, now: datetime,
                             ended: bool = False) -> list[Row]:
        found = [{**copy.deepcopy(e), "decision_mailed": e["id"] in self.approval_contacts}
                 for e in sorted(self.events.values(),
                                 key=lambda e: (e["starts_at"], str(e["id"])))
                 if e["status"] == "awaiting_approval"
                 and (all_areas or e["venue_id"] in venues)
                 and (area is None or e["area"] == area)
                 and (e["ends_at"] <= now) == ended]
        if ended:  # the latest first
            found.sort(key=lambda e: e["starts_at"], reverse=True)
        return found[offset:offset + limit]

    async def keep_approval_contact(self, event_id: UUID, email: str, language: str,
                                    at: datetime) -> None:
        assert event_id in self.events, "foreign key"
        assert email == email.lower() and language in ("fi", "sv", "en"), "check constraint"
        self.approval_contacts[event_id] = {"email": email, "language": language,
                                            "kept_at": at}

    async def has_approval_contact(self, event_id: UUID) -> bool:
        return event_id in self.approval_contacts

    async def take_approval_contact(self, event_id: UUID) -> Row | None:
        row = self.approval_contacts.pop(event_id, None)
        return {"email": row["email"], "language": row["language"]} if row else None

    async def keep_booking_contact(self, event_id: UUID, email: str, language: str,
                                   at: datetime) -> None:
        assert event_id in self.events, "foreign key"
        assert email == email.lower() and language in ("fi", "sv", "en"), "check constraint"
        self.booking_contacts.setdefault(event_id, {"email": email, "language": language,
                                                    "kept_at": at})

    async def forget_ended_contacts(self, now: datetime) -> int:
        ended = [i for i, e in self.events.items() if e["ends_at"] <= now]
        return sum(kept.pop(i, None) is not None for i in ended
                   for kept in (self.approval_contacts, self.booking_contacts))

    async def take_booking_contact(self, event_id: UUID) -> Row | None:
        row = self.booking_contacts.pop(event_id, None)
        return {"email": row["email"], "language": row["language"]} if row else None

    async def forget_booking_contact(self, booking_id: UUID) -> None:
        for event_id in [e["id"] for e in self.events.values()
                         if e.get("booking_id") == booking_id]:
            self.booking_contacts.pop(event_id, None)

    async def get_booking(self, booking_id: UUID, *, for_update: bool = False) -> Row | None:
        row = self.bookings.get(booking_id)
        return dict(row) if row is not None else None

    async def lock_booking(self, booking_id: UUID, *, venue_id: UUID | None = None) -> None:
        return None

    async def add_booking_seeing_venue(self, booking: Row) -> tuple[Row, str | None]:
        await self.save_booking(booking, replace=False)
        known = self.bookings[booking["booking_id"]]
        venue = self.venues.get(booking["venue_id"])
        return dict(known), venue["area"] if venue else None

    async def save_booking(self, booking: Row, *, replace: bool = True) -> None:
        kept = self.bookings.get(booking["booking_id"])
        if kept is None or (replace and kept["status"] == "confirmed"):
            self.bookings[booking["booking_id"]] = {"reason": None, "actor": None,
                                                    **dict(booking)}

    async def get_attendance(self, event_id: UUID) -> Row | None:
        row = self.attendance.get(event_id)
        return dict(row) if row is not None else None

    async def release_attendance(self, event_id: UUID, confirmed_by: str) -> None:
        self.attendance[event_id].update(held=False, confirmed_by=confirmed_by)

    async def find_external(self, external_id: str) -> UUID | None:
        return next((e["id"] for e in self.events.values()
                     if e["external_id"] == external_id), None)

    async def update_event(self, event_id: UUID, changes: dict[str, Any], at: datetime,
                           *, new_revision: bool = False) -> None:
        fields = [f for f in EDITABLE if f in changes]
        if not fields:
            return
        row = self.events[event_id]
        row.update({f: copy.deepcopy(changes[f]) for f in fields})
        row["updated_at"] = at
        if new_revision:
            row["revision"] += 1

    async def move(self, event_id: UUID, starts_at: datetime, ends_at: datetime,
                   at: datetime) -> None:
        row = self.events[event_id]
        row["postponed_from"] = (row["starts_at"], row["ends_at"])
        row.update(starts_at=starts_at, ends_at=ends_at, updated_at=at)

    async def set_status(self, event_id: UUID, status: str, actor: str, reason: str | None,
                         at: datetime, *, area: str | None = None,
                         language: str | None = None) -> None:
        row = self.events[event_id]
        bump = status not in ("draft", "awaiting_approval", "withdrawn")
        row.update(status=status, revision=row["revision"] + bump, updated_at=at,
                   area=area if area is not None else row["area"])
        await self.record_history(event_id, status, actor, reason, at, language=language)

    async def status_step(self, event_id: UUID, status: str) -> Row | None:
        steps = [{"actor": a, "reason": r} for e, st, a, r in self.history
                 if e == event_id and st == status]
        return steps[-1] if steps else None

    async def record_history(self, event_id: UUID, status: str, actor: str,
                             reason: str | None, at: datetime, *,
                             language: str | None = None) -> None:
        self.languages[len(self.history)] = language  # by the step's place in `history`
        self.history.append((event_id, status, actor, reason))

    async def list_events(
        self, *, filters: dict[str, Any], visibility: dict[str, Any], limit: int,
        offset: int, newest_first: bool = False,
    ) -> tuple[list[Row], int]:
        def shown(e: Row) -> bool:
            return (e["status"] in visibility["statuses"]
                    or (e["owner_subject"] is not None
                        and e["owner_subject"] == visibility.get("subject"))
                    or bool(visibility.get("all"))
                    or e["venue_id"] in visibility.get("venues", []))

        def matches(e: Row) -> bool:
            for column in ("booking_id", "status", "venue_id", "area", "kind", "place_kind",
                           "series_id"):
                if filters.get(column) is not None and e[column] != filters[column]:
                    return False
            if filters.get("start") is not None and e["ends_at"] <= filters["start"]:
                return False
            if filters.get("accessible") and not e.get("accessibility"):
                return False
            words = " ".join(str(v) for c in ("name", "short_description", "description",
                                               "place_name")
                             for v in (e.get(c) or {}).values())
            for word, areas in (filters.get("search") or {}).items():
                if fold(word) not in fold(words) and e["area"] not in areas:
                    return False
            return not (filters.get("end") is not None and e["starts_at"] >= filters["end"])

        found = sorted((e for e in self.events.values() if shown(e) and matches(e)),
                       key=lambda e: (e["starts_at"], str(e["id"])), reverse=newest_first)
        return [copy.deepcopy(e) for e in found[offset:offset + limit]], len(found)

    async def save_attendance(self, event_id: UUID, participants: int, visitors: int,
                              reported_by: str, at: datetime, *, held: bool = False) -> int:
        revision = self.attendance.get(event_id, {}).get("revision", 0) + 1
        self.attendance[event_id] = {"participants": participants, "visitors": visitors,
                                     "reported_by": reported_by, "revision": revision,
                                     "held": held, "confirmed_by": None}
        return int(revision)

    async def insert_series(self, series_id: UUID, owner_subject: str | None,
                            rule: dict[str, Any], at: datetime) -> None:
        self.series[series_id] = {"owner_subject": owner_subject, "rule": rule}

    async def keep_series(self, series_id: UUID, owner_subject: str | None,
                          rule: dict[str, Any], at: datetime) -> None:
        self.series.setdefault(series_id, {"owner_subject": owner_subject, "rule": rule})

    async def series_exists(self, series_id: UUID) -> bool:
        return series_id in self.series

    async def series_drafts(self, series_id: UUID) -> list[UUID]:
        return [e["id"] for e in sorted(self.events.values(),
                                        key=lambda e: (e["starts_at"], str(e["id"])))
                if e["series_id"] == series_id and e["status"] == "draft"]

    async def series_occurrences(self, series_id: UUID, *, for_update: bool = False
                                 ) -> list[Row]:
        return [copy.deepcopy(e) for e in sorted(self.events.values(),
                                                 key=lambda e: (e["starts_at"], str(e["id"])))
                if e["series_id"] == series_id]

    async def lock_form(self, draft_id: UUID) -> None:
        return None

    async def form_sent_at(self, draft_id: UUID) -> datetime | None:
        return self.forms.get(draft_id)

    async def remember_form(self, draft_id: UUID, now: datetime) -> None:
        self.forms.setdefault(draft_id, now)

    async def forget_sent_forms(self, before: datetime, limit: int) -> int:
        gone = sorted((at, draft_id) for draft_id, at in self.forms.items() if at < before)
        for _, draft_id in gone[:limit]:
            del self.forms[draft_id]
        return len(gone[:limit])

    async def delete_draft(self, event_id: UUID) -> bool:
        if self.events.get(event_id, {}).get("status") != "draft":
            return False
        del self.events[event_id]
        self.history = [h for h in self.history if h[0] != event_id]
        for kept in (self.attendance, self.approval_contacts, self.booking_contacts,
                     self.registration_counts):
            kept.pop(event_id, None)
        return True

    async def keep_registration_counts(self, counts: Row) -> bool:
        kept = self.registration_counts.get(counts["activity_event_id"])
        if kept is not None and kept["sequence"] >= counts["sequence"]:
            return False
        self.registration_counts[counts["activity_event_id"]] = dict(counts)
        return True

    async def registration_counts_of(self, event_ids: list[UUID]) -> dict[UUID, Row]:
        return {i: dict(self.registration_counts[i]) for i in event_ids
                if i in self.registration_counts}

    async def events_of_owner(self, subject: str, limit: int) -> list[Row]:
        found = sorted((e for e in self.events.values() if e["owner_subject"] == subject),
                       key=lambda e: (e["starts_at"], str(e["id"])))
        return [{**copy.deepcopy(e), "attendance_reported": e["id"] in self.attendance}
                for e in found[:limit]]


class RollbackUow(FakeUnitOfWork[EventStore]):
    """`FakeUnitOfWork` whose failed block also undoes its writes, as a rolled-back
    transaction would: all-or-nothing can be tested without a database."""

    def __init__(self, store: FakeEventStore) -> None:
        super().__init__(store)
        self.fake = store
        self._saved: Any = None

    async def __aenter__(self) -> Self:
        self._saved = self.fake.snapshot()
        return await super().__aenter__()

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            (self.fake.events, self.fake.series, self.fake.history,
             self.fake.attendance, self.fake.bookings,
             self.fake.approval_contacts, self.fake.booking_contacts) = self._saved
        await super().__aexit__(exc_type, exc, tb)


class TermsWorld:
    """The in-memory store and every unit of work run on it, with the vocabulary's terms
    they told (`vocabulary.term_set`), for the vocabulary's use-case tests."""

    def __init__(self) -> None:
        self.store = FakeEventStore()
        self.uows: list[RollbackUow] = []

    def uow(self) -> RollbackUow:
        uow = RollbackUow(self.store)
        self.uows.append(uow)
        return uow

    @property
    def published(self) -> list[Any]:
        """Every event the units of work published, in order."""
        return [e for u in self.uows for e in u.published]

    @property
    def told(self) -> list[VocabularyTermSet]:
        return [e for e in self.published if isinstance(e, VocabularyTermSet)]
