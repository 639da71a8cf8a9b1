"""All SQL of the booking service (asyncpg), as one class bound to a transaction's connection.

`BookingStore(conn)` is what a use case's unit of work holds: the use case owns the
transaction, so a state change and its outbox events commit together. Every statement names
its columns. Database errors that are not the caller's fault are translated here: a time
already claimed is `Taken`, a deadlock or serialization failure is `TryAgain` (the use-case
runner runs the transaction again).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from services.booking.domain import (
    Booking,
    Contact,
    DayException,
    HistoryEntry,
    Loan,
    Organiser,
    Resource,
    Space,
    SpaceRules,
    Venue,
    WeeklyHours,
)
from shared.contracts import (
    DomainEvent,
    LendableInfo,
    LocalizedText,
    OpeningHoursInfo,
    SpaceInfo,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.outbox import INSERT_OUTBOX_ROWS, outbox_rows


class Taken(Exception):
    """A leaf space is already claimed for that time (the exclusion constraint said so)."""


class TryAgain(Exception):
    """The database chose this transaction as a deadlock's or serialization's victim: run it
    again from the start."""


_RULES = tuple(f.name for f in fields(SpaceRules) if f.name != "paid")
_VENUE = ("id, name, kind, area, municipality, has_paid_space, revision, description, address,"
          " latitude, longitude, accessibility, contact, languages, accessibility_features")
_SPACE = ("s.id, s.venue_id, s.name, s.description, s.capacity, s.equipment, s.photos, s.paid,"
          " s.parent_id, s.accessibility_features, " + ", ".join(f"s.{c}" for c in _RULES)
          + ", v.kind AS venue_kind, v.has_paid_space")
_ORGANISER = "id, subject, name, email, phone"
_RESOURCE = "id, venue_id, name, quantity"


#: The names `_booking_columns` gives.
_BOOKING_NAMES = (
    "id", "space_id", "venue_id", "organiser_id", "title", "starts_at", "ends_at", "status",
    "cooperation", "organiser_type", "shared_activity", "library_contact", "hours_kind",
    "access_code", "price", "invoice_reference", "series_id", "hold_expires_at",
    "checked_in_at", "created_by", "updated_at", "contact_name", "contact_email",
    "contact_phone", "contact_language", "contact_verified", "revision", "title_language")


def _said(reason: Any) -> dict[str, str] | None:
    """A stored reason as the bus carries it: its fi/sv/en texts that say something."""
    if not isinstance(reason, dict):
        return None
    said = {lang: str(reason[lang]) for lang in ("fi", "sv", "en") if reason.get(lang)}
    return said or None


def _booking_columns(b: str = "") -> str:
    p = f"{b}." if b else ""
    return (f"{p}id, {p}space_id, {p}venue_id, {p}organiser_id, {p}title,"
            f" lower({p}during) AS starts_at, upper({p}during) AS ends_at, {p}status,"
            f" {p}cooperation, {p}organiser_type, {p}shared_activity, {p}library_contact,"
            f" {p}hours_kind, {p}access_code, {p}price, {p}invoice_reference, {p}series_id,"
            f" {p}hold_expires_at, {p}checked_in_at, {p}created_by, {p}updated_at,"
            f" {p}contact_name, {p}contact_email, {p}contact_phone, {p}contact_language,"
            f" {_contact_verified(p or 'bookings.')} AS contact_verified,"
            # Kept by a trigger (migration 006): every visible change counts one more.
            f" {p}revision, {p}title_language")


def _contact_verified(p: str) -> str:
    """Whether the booking's address is one its organiser proved (`verified_contacts`)."""
    return (f"EXISTS (SELECT 1 FROM verified_contacts vc WHERE vc.organiser_id ="
            f" {p}organiser_id AND vc.email = lower({p}contact_email))")


#: A booking with its organiser's subject and its history, in one row.
_BOOKING_SELECT = f"""
    SELECT {_booking_columns("b")}, o.subject AS organiser_subject,
           ARRAY(SELECT row(h.status, h.actor, h.reason, h.at) FROM booking_history h
                 WHERE h.booking_id = b.id ORDER BY h.id) AS history
    FROM bookings b LEFT JOIN organisers o ON o.id = b.organiser_id"""


def _venue(row: asyncpg.Record) -> Venue:
    return Venue(
        id=row["id"], name=row["name"], kind=row["kind"], area=row["area"],
        municipality=row["municipality"], has_paid_space=row["has_paid_space"],
        revision=row["revision"], description=row["description"], address=row["address"],
        latitude=row["latitude"], longitude=row["longitude"],
        accessibility=row["accessibility"], contact=row["contact"],
        languages=tuple(row["languages"]),
        accessibility_features=tuple(row["accessibility_features"]))


def _space(row: asyncpg.Record) -> Space:
    rules = SpaceRules(paid=row["paid"], **{c: row[c] for c in _RULES})
    return Space(
        id=row["id"], venue_id=row["venue_id"], name=row["name"], rules=rules,
        venue_kind=row["venue_kind"], has_paid_space=row["has_paid_space"],
        description=row["description"], capacity=row["capacity"],
        equipment=tuple(row["equipment"]), photos=tuple(row["photos"]), paid=row["paid"],
        parent_id=row["parent_id"], accessibility_features=tuple(row["accessibility_features"]))


def _organiser(row: asyncpg.Record) -> Organiser:
    return Organiser(id=row["id"], subject=row["subject"], name=row["name"],
                     email=row["email"], phone=row["phone"])


def _booking(row: asyncpg.Record, *, subject: str | None = None,
             history: Sequence[HistoryEntry] | None = None) -> Booking:
    contact = (Contact(row["contact_name"], row["contact_email"], row["contact_phone"],
                       verified=bool(row.get("contact_verified")),
                       language=row["contact_language"])
               if row["contact_name"] is not None else None)
    if history is None:
        history = [HistoryEntry(*h) for h in row["history"]]
    return Booking(
        id=row["id"], space_id=row["space_id"], venue_id=row["venue_id"],
        organiser_id=row["organiser_id"], title=row["title"], starts_at=row["starts_at"],
        ends_at=row["ends_at"], status=row["status"], cooperation=row["cooperation"],
        organiser_type=row["organiser_type"], shared_activity=row["shared_activity"],
        library_contact=row["library_contact"], hours_kind=row["hours_kind"],
        access_code=row["access_code"], price=row["price"],
        invoice_reference=row["invoice_reference"], series_id=row["series_id"],
        hold_expires_at=row["hold_expires_at"], checked_in_at=row["checked_in_at"],
        created_by=row["created_by"], updated_at=row["updated_at"],
        organiser_subject=subject if subject is not None else row.get("organiser_subject"),
        contact=contact, history=tuple(history), revision=row.get("revision") or 1,
        title_language=row.get("title_language") or "fi")


def _weekly(rows: Sequence[Any]) -> list[WeeklyHours]:
    """(space_id, weekday, opens, closes, kind) rows: a space's own replace its venue's."""
    own = [r for r in rows if r[0] is not None]
    return [WeeklyHours(r[1], r[2], r[3], r[4]) for r in (own or [r for r in rows
                                                                 if r[0] is None])]


@dataclass(frozen=True)
class FreeTimeContext:
    """The opening rules of each space asked for (weekly hours, the days' exceptions), and
    each venue's space tree (parent -> parts)."""

    rules: dict[UUID, tuple[list[WeeklyHours], list[DayException]]]
    children: dict[UUID, dict[UUID, list[UUID]]]


@dataclass(frozen=True)
class BookingContext:
    """What placing a booking in a space reads, in one round trip."""

    space: Space
    weekly: list[WeeklyHours]
    exceptions: list[DayException]  # of the days asked for
    children: dict[UUID, list[UUID]]  # the venue's space tree: parent -> parts


@dataclass(frozen=True)
class Placed:
    """What `place_booking` did: the booking, or None when the organiser already had
    `open_requests` (at the limit given)."""

    booking: Booking | None
    open_requests: int


@dataclass(frozen=True)
class CalendarEntry:
    id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    access_code: str | None
    updated_at: datetime
    space_name: dict[str, Any]
    venue_name: dict[str, Any]
    #: The booking's revision: the entry's SEQUENCE.
    revision: int


#: The space with its venue's facts, its opening hours, the exceptions of the local days
#: [$2, $3] and its venue's space tree ($1 the space).
_BOOKING_CONTEXT = f"""
    SELECT {_SPACE},
           ARRAY(SELECT row(h.space_id, h.weekday, h.opens, h.closes, h.kind)
                 FROM opening_hours h WHERE h.venue_id = s.venue_id
                   AND (h.space_id IS NULL OR h.space_id = s.id)) AS _weekly,
           ARRAY(SELECT row(e.day, e.opens, e.closes, e.kind)
                 FROM opening_exceptions e WHERE e.venue_id = s.venue_id
                   AND (e.space_id IS NULL OR e.space_id = s.id)
                   AND e.day BETWEEN $2 AND $3) AS _exceptions,
           ARRAY(SELECT row(c.id, c.parent_id) FROM spaces c
                 WHERE c.venue_id = s.venue_id AND c.parent_id IS NOT NULL) AS _children
    FROM spaces s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1"""


#: The columns `_BOOKING_CONTEXT` gives, as its result's names.
_CONTEXT_NAMES = ", ".join(
    "context." + c.strip().split(" AS ")[-1].split(".")[-1] for c in _SPACE.split(",")
) + ", context._weekly, context._exceptions, context._children"


def _upsert_organiser(first: int) -> str:
    """A signed-in organiser (parameters from $`first`: a new id, subject, name, email, phone,
    when) added or brought up to date; the row stays locked until the transaction ends."""
    i, s, n, e, p, a = (f"${first + k}" for k in range(6))
    return f"""
        INSERT INTO organisers (id, subject, name, email, phone, created_at)
        VALUES ({i}, {s}, {n}, {e}, {p}, {a})
        ON CONFLICT (subject) DO UPDATE
          SET name = EXCLUDED.name, email = coalesce(EXCLUDED.email, organisers.email),
              phone = coalesce(EXCLUDED.phone, organisers.phone)
        RETURNING {_ORGANISER}"""


def _context_of(row: asyncpg.Record) -> BookingContext:
    children: dict[UUID, list[UUID]] = {}
    for child, parent in row["_children"]:
        children.setdefault(parent, []).append(child)
    return BookingContext(
        space=_space(row), weekly=_weekly(row["_weekly"]),
        exceptions=[DayException(*e) for e in row["_exceptions"]], children=children)


@dataclass(frozen=True)
class Borrower:
    """Whom a loan is out to, to chase it when it is overdue: a name, and a phone or an
    email to reach them (migration 013)."""

    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class BorrowedLoan(Loan):
    """A loan with whom it is out to: the borrower the desk named, else the contact of the
    booking it goes with (None: a loan made before borrowers were asked); and that
    booking's title."""

    borrower: Borrower | None = None
    booking_title: str | None = None


#: A loan as `BorrowedLoan` reads it, with its resource's venue, its organiser's subject,
#: and its borrower: the one named, else its booking's contact.
_LOANS = """SELECT l.id, l.resource_id, r.venue_id, l.organiser_id, l.booking_id,
                   l.quantity, lower(l.during) AS starts_at, upper(l.during) AS ends_at,
                   l.status, o.subject AS organiser_subject,
                   coalesce(l.borrower_name, b.contact_name) AS borrower_name,
                   CASE WHEN l.borrower_name IS NULL THEN b.contact_phone
                        ELSE l.borrower_phone END AS borrower_phone,
                   CASE WHEN l.borrower_name IS NULL THEN b.contact_email
                        ELSE l.borrower_email END AS borrower_email,
                   b.title AS booking_title
            FROM resource_loans l JOIN resources r ON r.id = l.resource_id
            JOIN organisers o ON o.id = l.organiser_id
            LEFT JOIN bookings b ON b.id = l.booking_id"""
_BORROWER_COLUMNS = ("borrower_name", "borrower_phone", "borrower_email", "booking_title")


def _loan(row: asyncpg.Record) -> BorrowedLoan:
    found = dict(row)
    name, phone, email, title = (found.pop(column) for column in _BORROWER_COLUMNS)
    return BorrowedLoan(**found, borrower=Borrower(name, phone, email) if name else None,
                        booking_title=title)


#: `above`: the space `{space}` (a parameter) and every space it is a part of, up the tree.
_SPACES_ABOVE = """WITH RECURSIVE above AS (
                   SELECT id, parent_id FROM spaces WHERE id = {space}
                   UNION SELECT s.id, s.parent_id FROM spaces s
                   JOIN above ON s.id = above.parent_id)"""


def _current_leaves(space: str) -> str:
    """The leaves under `space` (an SQL expression) as the statement sees the space tree.
    A claim is written on these too, besides the leaves the caller computed: the statement's
    snapshot comes after its lock on `booking_claims`, and adding a part holds a lock that
    conflicts with it (`lock_claims`), so a part added meanwhile is either seen here or
    given this booking's claim when it is added."""
    return f"""(WITH RECURSIVE tree AS (
                   SELECT id FROM spaces WHERE id = {space}
                   UNION SELECT c.id FROM spaces c JOIN tree ON c.parent_id = tree.id)
               SELECT id FROM tree
               WHERE NOT EXISTS (SELECT 1 FROM spaces p WHERE p.parent_id = tree.id))"""


#: The columns `place_booking` takes, in its parameters' order.
BOOKING_COLUMNS = (
    "id", "space_id", "venue_id", "organiser_id", "title", "starts_at", "ends_at", "status",
    "cooperation", "organiser_type", "shared_activity", "library_contact", "hours_kind",
    "access_code", "price", "invoice_reference", "series_id", "hold_expires_at", "created_by",
    "contact_name", "contact_email", "contact_phone", "contact_language", "at",
    "title_language")

_PLACE_BOOKING = f"""
    WITH open AS (
        SELECT count(*)::int AS n FROM bookings
        WHERE organiser_id = $4 AND space_id = $2 AND status IN ('held', 'requested')),
    booking AS (
        INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during, status,
            cooperation, house_rules_accepted_at, organiser_type, shared_activity,
            library_contact, hours_kind, access_code, price, invoice_reference, series_id,
            hold_expires_at, created_by, contact_name, contact_email, contact_phone,
            contact_language, created_at, updated_at, title_language)
        SELECT $1, $2, $3, $4, $5, tstzrange($6, $7, '[)'), $8, $9, $24, $10, $11, $12, $13,
               $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25
        FROM open WHERE $26::int IS NULL OR open.n < $26
        RETURNING {_booking_columns()}),
    claims AS (
        INSERT INTO booking_claims (booking_id, space_id, during)
        SELECT booking.id, leaf, tstzrange($27, $28, '[)')
        FROM booking, (SELECT unnest($29::uuid[]) UNION {_current_leaves("$2")})
                      AS leaves (leaf)),
    history AS (
        INSERT INTO booking_history (booking_id, status, actor, reason, at)
        SELECT id, status, created_by, NULL, $24 FROM booking RETURNING at),
    events AS ({INSERT_OUTBOX_ROWS.format(rows="$30", source="booking")})
    SELECT open.n AS open_requests, {", ".join(f"booking.{c}" for c in _BOOKING_NAMES)},
           history.at AS history_at
    FROM open LEFT JOIN booking ON true LEFT JOIN history ON true"""


class BookingStore:
    """The booking service's SQL on one connection (a unit of work's transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- the few ways a statement runs, with the database's errors translated ----------------

    @contextlib.contextmanager
    def _translated(self) -> Any:
        try:
            yield
        except asyncpg.ExclusionViolationError as exc:
            raise Taken(str(exc)) from exc
        except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError) as exc:
            raise TryAgain(str(exc)) from exc

    async def _fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        with self._translated():
            return await self.conn.fetch(sql, *args)

    async def _fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        with self._translated():
            return await self.conn.fetchrow(sql, *args)

    async def _fetchval(self, sql: str, *args: Any) -> Any:
        with self._translated():
            return await self.conn.fetchval(sql, *args)

    async def _execute(self, sql: str, *args: Any) -> str:
        with self._translated():
            return await self.conn.execute(sql, *args)

    async def _executemany(self, sql: str, args: list[tuple[Any, ...]]) -> None:
        with self._translated():
            await self.conn.executemany(sql, args)

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A part of the transaction that can fail alone (one occurrence of a series)."""
        with self._translated():
            async with self.conn.transaction():
                yield

    # --- venues, spaces, resources ---------------------------------------------------------

    async def insert_venue(self, venue: Venue) -> None:
        await self._execute(
            """INSERT INTO venues (id, name, kind, area, municipality, address, has_paid_space,
                   description, latitude, longitude, accessibility, contact, languages,
                   accessibility_features)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""",
            venue.id, venue.name, venue.kind, venue.area, venue.municipality, venue.address,
            venue.has_paid_space, venue.description, venue.latitude, venue.longitude,
            venue.accessibility, venue.contact or {}, list(venue.languages),
            list(venue.accessibility_features))

    async def insert_space(self, space: Space) -> None:
        r = space.rules
        await self._execute(
            f"""INSERT INTO spaces (id, venue_id, name, description, capacity, equipment,
                    photos, paid, parent_id, accessibility_features, position,
                    {", ".join(_RULES)})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                        (SELECT coalesce(max(position) + 1, 0) FROM spaces WHERE venue_id = $2),
                        {", ".join(f"${i + 11}" for i in range(len(_RULES)))})""",
            space.id, space.venue_id, space.name, space.description, space.capacity,
            list(space.equipment), list(space.photos), space.paid, space.parent_id,
            list(space.accessibility_features), *(getattr(r, c) for c in _RULES))

    async def lock_claims(self) -> None:
        """Until the transaction ends, no claim is written and none being written is left
        uncommitted: adding a part takes it, so that each booking either sees the part or
        is seen by `claim_new_part` (see `_current_leaves`). Adding a part is rare and quick;
        bookings wait for it, they do not fail (its bookings are locked first:
        `lock_bookings_above`)."""
        await self._execute("LOCK TABLE booking_claims IN SHARE ROW EXCLUSIVE MODE")

    async def lock_bookings_above(self, parent_id: UUID) -> None:
        """Lock the bookings holding time in `parent_id` or a space above it, in id order:
        those `claim_new_part` gives claims to. Taken before `lock_claims`, as a decision or
        a move locks its booking before it writes claims, so the two wait for each other
        in one order instead of deadlocking."""
        await self._execute(
            f"""{_SPACES_ABOVE.format(space="$1")}
               SELECT b.id FROM bookings b
               WHERE b.space_id IN (SELECT id FROM above)
                 AND EXISTS (SELECT 1 FROM booking_claims c WHERE c.booking_id = b.id)
               ORDER BY b.id FOR UPDATE OF b""", parent_id)

    async def claim_new_part(self, space_id: UUID, parent_id: UUID) -> None:
        """A part added under `parent_id` is claimed by every booking still holding its time
        whose booked space is the parent or one above it, for the time it claims already:
        the part is a leaf it would claim if made now (else the parent's old bookings and
        the part's new ones never meet in the exclusion constraint)."""
        await self._execute(
            f"""{_SPACES_ABOVE.format(space="$2")}
               INSERT INTO booking_claims (booking_id, space_id, during)
               SELECT DISTINCT ON (c.booking_id) c.booking_id, $1, c.during
               FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
               WHERE b.space_id IN (SELECT id FROM above)
               ORDER BY c.booking_id""",
            space_id, parent_id)

    async def get_venue(self, venue_id: UUID, *, for_update: bool = False) -> Venue | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._fetchrow(f"SELECT {_VENUE} FROM venues WHERE id = $1{lock}", venue_id)
        return _venue(row) if row is not None else None

    async def list_venues(self, area: str | None = None, kind: str | None = None
                          ) -> list[Venue]:
        rows = await self._fetch(
            f"""SELECT {_VENUE} FROM venues WHERE ($1::text IS NULL OR area = $1)
                AND ($2::text IS NULL OR kind = $2) ORDER BY area, name->>'fi', id""",
            area, kind)
        return [_venue(r) for r in rows]

    async def update_venue(self, venue_id: UUID, changes: Mapping[str, Any],
                           at: datetime) -> None:
        """Change the given details (of `VENUE_DETAILS`) and count a new revision."""
        columns = [c for c in changes if c in VENUE_DETAILS]
        sets = "".join(f"{c} = ${i + 3}, " for i, c in enumerate(columns))
        await self._execute(
            f"UPDATE venues SET {sets}revision = revision + 1, updated_at = $2 WHERE id = $1",
            venue_id, at, *[changes[c] for c in columns])

    async def bump_venue_revision(self, venue_id: UUID, at: datetime) -> None:
        await self.update_venue(venue_id, {}, at)

    async def list_spaces(self, venue_ids: Sequence[UUID]) -> list[Space]:
        rows = await self._fetch(
            f"""SELECT {_SPACE} FROM spaces s JOIN venues v ON v.id = s.venue_id
                WHERE s.venue_id = ANY($1::uuid[]) ORDER BY s.position, s.id""",
            list(venue_ids))
        return [_space(r) for r in rows]

    async def get_space(self, space_id: UUID) -> Space | None:
        row = await self._fetchrow(
            f"SELECT {_SPACE} FROM spaces s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1",
            space_id)
        return _space(row) if row is not None else None

    async def set_space_rules(self, space_id: UUID, rules: SpaceRules) -> None:
        sets = ", ".join(f"{c} = ${i + 2}" for i, c in enumerate(_RULES))
        await self._execute(f"UPDATE spaces SET {sets} WHERE id = $1", space_id,
                            *(getattr(rules, c) for c in _RULES))

    async def set_space_details(self, space_id: UUID, description: dict[str, Any] | None,
                                equipment: Sequence[str], photos: Sequence[dict[str, Any]],
                                accessibility_features: Sequence[str] = ()) -> None:
        await self._execute(
            """UPDATE spaces SET description = $2, equipment = $3, photos = $4,
                   accessibility_features = $5 WHERE id = $1""",
            space_id, description, list(equipment), list(photos),
            list(accessibility_features))

    async def candidate_spaces(self, space_id: UUID | None, area: str | None,
                               kind: str | None, min_capacity: int | None,
                               limit: int) -> list[Space]:
        rows = await self._fetch(
            f"""SELECT {_SPACE} FROM spaces s JOIN venues v ON v.id = s.venue_id
                WHERE ($1::uuid IS NULL OR s.id = $1) AND ($2::text IS NULL OR v.area = $2)
                  AND ($3::text IS NULL OR v.kind = $3)
                  AND ($4::int IS NULL OR s.capacity >= $4)
                ORDER BY s.position, s.id LIMIT $5""",
            space_id, area, kind, min_capacity, limit)
        return [_space(r) for r in rows]

    async def insert_resource(self, resource: Resource) -> None:
        await self._execute(
            "INSERT INTO resources (id, venue_id, name, quantity) VALUES ($1, $2, $3, $4)",
            resource.id, resource.venue_id, resource.name, resource.quantity)

    async def list_resources(self, venue_ids: Sequence[UUID]) -> list[Resource]:
        rows = await self._fetch(
            f"""SELECT {_RESOURCE} FROM resources WHERE venue_id = ANY($1::uuid[])
                ORDER BY created_at, id""", list(venue_ids))
        return [Resource(**dict(r)) for r in rows]

    async def get_resource(self, resource_id: UUID, *, for_update: bool = False
                           ) -> Resource | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._fetchrow(f"SELECT {_RESOURCE} FROM resources WHERE id = $1{lock}",
                                   resource_id)
        return Resource(**dict(row)) if row is not None else None

    async def venue_event(self, venue_id: UUID, *, registered: bool, today: date
                          ) -> VenueRegistered:
        """The venue as other services see it: what `venue.registered/updated` carries."""
        venue = await self.get_venue(venue_id)
        assert venue is not None
        spaces = await self.list_spaces([venue_id])
        cls = VenueRegistered if registered else VenueUpdated
        hours = await self._fetch(
            "SELECT space_id, weekday, opens, closes, kind FROM opening_hours WHERE venue_id = $1"
            " ORDER BY space_id NULLS FIRST, weekday, opens", venue_id)
        exceptions = await self._fetch(
            "SELECT space_id, day, opens, closes, kind, reason FROM opening_exceptions"
            " WHERE venue_id = $1 AND day >= $2::date - 400 ORDER BY day", venue_id, today)
        return cls(
            opening_hours=[OpeningHoursInfo(
                space_id=h["space_id"], weekday=h["weekday"], opens=f"{h['opens']:%H:%M}",
                closes=f"{h['closes']:%H:%M}", kind=h["kind"]) for h in hours],
            exceptions=[OpeningHoursInfo(
                space_id=e["space_id"], day=e["day"], kind=e["kind"],
                opens=f"{e['opens']:%H:%M}" if e["opens"] else None,
                closes=f"{e['closes']:%H:%M}" if e["closes"] else None,
                reason=_said(e["reason"])) for e in exceptions],
            venue_id=venue.id, name=LocalizedText(**venue.name), kind=venue.kind,
            area=venue.area, municipality=venue.municipality, address=venue.address,
            revision=venue.revision,
            # What the guide tells residents: the desk's own address and number (never a
            # person's), how accessible the venue is, whether it has paid space.
            contact_email=(venue.contact or {}).get("email"),
            contact_phone=(venue.contact or {}).get("phone"),
            accessibility=(LocalizedText(**venue.accessibility)
                           if venue.accessibility and venue.accessibility.get("fi") else None),
            has_paid_space=venue.has_paid_space,
            accessibility_features=list(venue.accessibility_features),
            lendables=[LendableInfo(resource_id=r.id, name=LocalizedText(**r.name),
                                    quantity=r.quantity)
                       for r in await self.venue_resources(venue_id)],
            spaces=[SpaceInfo(space_id=s.id, name=LocalizedText(**s.name), capacity=s.capacity,
                              price_per_hour=s.rental_price,
                              paid=s.rented, self_service=s.beyond_staffed_hours)
                    for s in spaces])

    # --- opening hours -----------------------------------------------------------------------

    async def replace_weekly_hours(self, venue_id: UUID, space_id: UUID | None,
                                   hours: Sequence[WeeklyHours]) -> None:
        await self._execute(
            "DELETE FROM opening_hours WHERE venue_id = $1 AND space_id IS NOT DISTINCT FROM $2",
            venue_id, space_id)
        await self._executemany(
            """INSERT INTO opening_hours (venue_id, space_id, weekday, opens, closes, kind)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            [(venue_id, space_id, h.weekday, h.opens, h.closes, h.kind) for h in hours])

    async def has_weekly_hours(self, venue_id: UUID) -> bool:
        return bool(await self._fetchval(
            "SELECT EXISTS (SELECT 1 FROM opening_hours WHERE venue_id = $1)", venue_id))

    async def set_exception(self, venue_id: UUID, space_id: UUID | None,
                            exception: DayException, reason: dict[str, Any] | None) -> None:
        """The day's exception, in place of the one it had (one a day, migration 011)."""
        await self._execute(
            """INSERT INTO opening_exceptions (venue_id, space_id, day, opens, closes, kind,
                   reason) VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (venue_id, space_id, day) DO UPDATE
                 SET opens = EXCLUDED.opens, closes = EXCLUDED.closes, kind = EXCLUDED.kind,
                     reason = EXCLUDED.reason""",
            venue_id, space_id, exception.day, exception.opens, exception.closes,
            exception.kind, reason)

    async def record_holiday_closing(self, venue_id: UUID, year: int, at: datetime) -> bool:
        """That the venue has been closed on `year`'s public holidays; False when it was
        before (migration 012)."""
        return await self._fetchval(
            """INSERT INTO holiday_closings (venue_id, year, closed_at) VALUES ($1, $2, $3)
               ON CONFLICT (venue_id, year) DO NOTHING RETURNING true""",
            venue_id, year, at) is not None

    async def holiday_closing_done(self, venue_id: UUID, year: int) -> bool:
        return await self._fetchval(
            "SELECT true FROM holiday_closings WHERE venue_id = $1 AND year = $2",
            venue_id, year) is not None

    async def remove_exception(self, venue_id: UUID, space_id: UUID | None, day: date
                               ) -> bool:
        """The day's exception gone (its weekly hours apply again); False if it had none."""
        removed = await self._fetchval(
            """DELETE FROM opening_exceptions WHERE venue_id = $1
                 AND space_id IS NOT DISTINCT FROM $2 AND day = $3 RETURNING id""",
            venue_id, space_id, day)
        return removed is not None

    async def opening_rules(self, venue_id: UUID, space_id: UUID | None, first: date,
                            last: date) -> tuple[list[WeeklyHours], list[DayException]]:
        """A space's own weekly hours replace its venue's; exceptions of both apply (with
        the reason residents read)."""
        rows = await self._fetch(
            """SELECT space_id, weekday, opens, closes, kind FROM opening_hours
               WHERE venue_id = $1 AND (space_id IS NULL OR space_id = $2)""",
            venue_id, space_id)
        exceptions = [
            DayException(r["day"], r["opens"], r["closes"], r["kind"], r["reason"])
            for r in await self._fetch(
                """SELECT day, opens, closes, kind, reason FROM opening_exceptions
                   WHERE venue_id = $1 AND (space_id IS NULL OR space_id = $2)
                     AND day BETWEEN $3 AND $4""",
                venue_id, space_id, first, last)]
        return _weekly(rows), exceptions

    async def free_time_context(self, spaces: Sequence[Space], first: date, last: date
                                ) -> FreeTimeContext:
        """What the free time of many spaces reads, in three statements whatever their number:
        their venues' weekly hours and exceptions (`_weekly` per space), and space trees."""
        venues = list({space.venue_id for space in spaces})
        hours = await self._fetch(
            """SELECT venue_id, space_id, weekday, opens, closes, kind FROM opening_hours
               WHERE venue_id = ANY($1::uuid[])""", venues)
        exceptions = await self._fetch(
            """SELECT venue_id, space_id, day, opens, closes, kind FROM opening_exceptions
               WHERE venue_id = ANY($1::uuid[]) AND day BETWEEN $2 AND $3""",
            venues, first, last)
        children: dict[UUID, dict[UUID, list[UUID]]] = {v: {} for v in venues}
        for row in await self._fetch(
                """SELECT venue_id, id, parent_id FROM spaces
                   WHERE venue_id = ANY($1::uuid[]) AND parent_id IS NOT NULL""", venues):
            children[row["venue_id"]].setdefault(row["parent_id"], []).append(row["id"])
        rules: dict[UUID, tuple[list[WeeklyHours], list[DayException]]] = {}
        for space in spaces:
            mine = [(r["space_id"], r["weekday"], r["opens"], r["closes"], r["kind"])
                    for r in hours if r["venue_id"] == space.venue_id
                    and r["space_id"] in (None, space.id)]
            rules[space.id] = (_weekly(mine), [
                DayException(r["day"], r["opens"], r["closes"], r["kind"])
                for r in exceptions if r["venue_id"] == space.venue_id
                and r["space_id"] in (None, space.id)])
        return FreeTimeContext(rules, children)

    async def busy_ranges_of(self, leaves: Sequence[UUID], start: datetime, end: datetime
                             ) -> dict[UUID, list[tuple[datetime, datetime]]]:
        """`busy_ranges` of many leaves in one statement, by leaf."""
        busy: dict[UUID, list[tuple[datetime, datetime]]] = {leaf: [] for leaf in leaves}
        for row in await self._fetch(
                """SELECT space_id, lower(during) AS s, upper(during) AS e FROM booking_claims
                   WHERE space_id = ANY($1::uuid[]) AND during && tstzrange($2, $3, '[)')""",
                list(leaves), start, end):
            busy[row["space_id"]].append((row["s"], row["e"]))
        return busy

    async def space_children(self, venue_id: UUID) -> dict[UUID, list[UUID]]:
        children: dict[UUID, list[UUID]] = {}
        for row in await self._fetch(
                "SELECT id, parent_id FROM spaces WHERE venue_id = $1 AND parent_id IS NOT NULL",
                venue_id):
            children.setdefault(row["parent_id"], []).append(row["id"])
        return children

    # --- organisers --------------------------------------------------------------------------

    async def booking_context(self, space_id: UUID, first: date, last: date
                              ) -> BookingContext | None:
        """What placing a booking in the space reads; None when there is no such space."""
        row = await self._fetchrow(_BOOKING_CONTEXT, space_id, first, last)
        return _context_of(row) if row is not None else None

    async def booking_context_locking_organiser(
            self, space_id: UUID, first: date, last: date, *, subject: str, name: str,
            email: str | None, phone: str | None, at: datetime
    ) -> tuple[BookingContext | None, Organiser]:
        """`booking_context` and `ensure_organiser` in one round trip: (the context, or None
        when there is no such space; the organiser, its row locked until the transaction
        ends). The next statement takes a new snapshot, so what it counts of the organiser's
        bookings includes any committed while this one waited for the lock."""
        row = await self._fetchrow(
            f"""WITH organiser AS ({_upsert_organiser(4)})
                SELECT o.id AS _organiser_id, o.subject AS _organiser_subject,
                       o.name AS _organiser_name, o.email AS _organiser_email,
                       o.phone AS _organiser_phone, {_CONTEXT_NAMES}
                FROM organiser o LEFT JOIN ({_BOOKING_CONTEXT}) AS context ON true""",
            space_id, first, last, uuid4(), subject, name, email, phone, at)
        assert row is not None
        organiser = Organiser(row["_organiser_id"], row["_organiser_subject"],
                              row["_organiser_name"], row["_organiser_email"],
                              row["_organiser_phone"])
        return (_context_of(row) if row["id"] is not None else None), organiser

    async def ensure_organiser(self, *, subject: str | None, name: str, email: str | None,
                               phone: str | None, at: datetime) -> Organiser:
        """The organiser of a signed-in person (by subject) or of a walk-in (by email; a
        walk-in without an address is an organiser of its own), added or brought up to date,
        its row locked until the transaction ends (so one organiser's requests are counted
        one after the other)."""
        if subject is not None:
            row = await self._fetchrow(_upsert_organiser(1), uuid4(), subject, name, email,
                                       phone, at)
        else:
            # A NULL address conflicts with no other row of the unique index: a new organiser.
            row = await self._fetchrow(
                f"""INSERT INTO organisers (id, name, email, phone, created_at)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (lower(email)) WHERE subject IS NULL DO UPDATE
                      SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, organisers.phone)
                    RETURNING {_ORGANISER}""",
                uuid4(), name, email, phone, at)
        assert row is not None
        return _organiser(row)

    # --- addresses that may be mailed (issue #13) ---------------------------------------------

    async def contact_verified(self, organiser_id: UUID, email: str) -> bool:
        return bool(await self._fetchval(
            "SELECT true FROM verified_contacts WHERE organiser_id = $1 AND email = $2",
            organiser_id, email))

    async def verify_contact(self, organiser_id: UUID, email: str, how: str,
                             at: datetime) -> None:
        await self._execute(
            """INSERT INTO verified_contacts (organiser_id, email, verified_at, how)
               VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
            organiser_id, email, at, how)

    async def open_verification(self, organiser_id: UUID, email: str, now: datetime) -> bool:
        """A link for this address is out and still good: no second mail is sent."""
        return bool(await self._fetchval(
            """SELECT true FROM contact_verifications WHERE organiser_id = $1 AND email = $2
               AND used_at IS NULL AND expires_at > $3 LIMIT 1""", organiser_id, email, now))

    async def add_verification(self, token_hash: str, organiser_id: UUID, email: str,
                               at: datetime, expires_at: datetime) -> None:
        await self._execute(
            """INSERT INTO contact_verifications (token_hash, organiser_id, email, created_at,
                                                  expires_at) VALUES ($1, $2, $3, $4, $5)""",
            token_hash, organiser_id, email, at, expires_at)

    async def links_sent(self, organiser_id: UUID, email: str, since: datetime
                         ) -> list[datetime]:
        """When this organiser's links to the address were sent since `since` (for the
        ceiling of `domain.next_link_at`); a link opened proves the address, after which
        none is sent, so the unopened ones are the ones counted (the partial index)."""
        rows = await self._fetch(
            """SELECT created_at FROM contact_verifications WHERE organiser_id = $1
               AND email = $2 AND used_at IS NULL AND created_at > $3
               ORDER BY created_at""", organiser_id, email, since)
        return [r["created_at"] for r in rows]

    async def void_verifications(self, organiser_id: UUID, email: str, now: datetime) -> None:
        """The links out for this address stop working (a new one replaces them): one good
        link per organiser and address at a time. Kept, expired, for the ceiling's count."""
        await self._execute(
            """UPDATE contact_verifications SET expires_at = $3 WHERE organiser_id = $1
               AND email = $2 AND used_at IS NULL AND expires_at > $3""",
            organiser_id, email, now)

    async def organiser_for_update(self, organiser_id: UUID) -> Organiser | None:
        """An organiser, its row locked until the transaction ends: their links are counted
        and sent one after the other (as `ensure_organiser` locks it for a request)."""
        row = await self._fetchrow(
            f"SELECT {_ORGANISER} FROM organisers WHERE id = $1 FOR UPDATE", organiser_id)
        return _organiser(row) if row is not None else None

    async def use_verification(self, token_hash: str, now: datetime
                               ) -> tuple[UUID, str] | None:
        """Spend a link: its organiser and address, or None (unknown, used or expired)."""
        row = await self._fetchrow(
            """UPDATE contact_verifications SET used_at = $2
               WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
               RETURNING organiser_id, email""", token_hash, now)
        return (row["organiser_id"], row["email"]) if row is not None else None

    async def spent_verification(self, token_hash: str) -> str | None:
        """The address a link already spent confirmed, or None (unknown or never used)."""
        email = await self._fetchval(
            """SELECT email FROM contact_verifications
               WHERE token_hash = $1 AND used_at IS NOT NULL""", token_hash)
        return str(email) if email is not None else None

    async def organiser_by_subject(self, subject: str) -> Organiser | None:
        row = await self._fetchrow(f"SELECT {_ORGANISER} FROM organisers WHERE subject = $1",
                                   subject)
        return _organiser(row) if row is not None else None

    async def anonymise_organisers(self, cutoff: datetime, now: datetime, limit: int) -> int:
        """Organisers with nothing booked or made since `cutoff`, and no loan still out,
        keep their pseudonymous id and lose name and contacts, in their bookings too."""
        rows = await self._fetch(
            """WITH due AS (
                   SELECT o.id FROM organisers o
                   WHERE o.anonymised_at IS NULL AND o.created_at <= $1
                     AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.organiser_id = o.id
                                     AND (upper(b.during) > $1 OR b.created_at > $1))
                     -- A loan of theirs still out is chased through the booking's contact.
                     AND NOT EXISTS (SELECT 1 FROM resource_loans l
                                     WHERE l.organiser_id = o.id AND l.status = 'active')
                   LIMIT $3 FOR UPDATE SKIP LOCKED),
               people AS (
                   UPDATE organisers o SET name = 'anonymised', email = NULL, phone = NULL,
                          subject = NULL, anonymised_at = $2
                   FROM due WHERE o.id = due.id RETURNING o.id),
               bookings AS (
                   UPDATE bookings b SET access_code = NULL, contact_name = NULL,
                          contact_email = NULL, contact_phone = NULL
                   FROM people WHERE b.organiser_id = people.id RETURNING b.id),
               proved AS (
                   DELETE FROM verified_contacts v USING people
                   WHERE v.organiser_id = people.id),
               links AS (
                   DELETE FROM contact_verifications c USING people
                   WHERE c.organiser_id = people.id),
               remembered AS (
                   DELETE FROM organiser_preferences r USING people
                   WHERE r.organiser_id = people.id)
               SELECT id FROM people""",
            cutoff, now, limit)
        return len(rows)

    async def erase_borrowers(self, cutoff: datetime, limit: int) -> int:
        """Loans back or cancelled, whose time ended, and which were made, by `cutoff` (the
        organisers' rule) lose their borrower's name and contacts; the loan and its counts
        stay. A loan still out keeps its borrower however overdue: the desk chases it, and
        one brought back late keeps it for as long after its return (`settled_at`; a loan
        settled before that was kept has its end only)."""
        rows = await self._fetch(
            """WITH due AS (
                   SELECT id FROM resource_loans
                   WHERE borrower_name IS NOT NULL AND status <> 'active'
                     AND GREATEST(upper(during), settled_at) <= $1 AND created_at <= $1
                   LIMIT $2 FOR UPDATE SKIP LOCKED)
               UPDATE resource_loans l SET borrower_name = NULL, borrower_phone = NULL,
                      borrower_email = NULL
               FROM due WHERE l.id = due.id RETURNING l.id""",
            cutoff, limit)
        return len(rows)

    # --- bookings ----------------------------------------------------------------------------

    async def next_invoice_number(self) -> int:
        return int(await self._fetchval("SELECT nextval('invoice_numbers')"))

    async def place_booking(self, values: Mapping[str, Any], *, subject: str | None,
                            leaves: Sequence[UUID], claim: tuple[datetime, datetime],
                            max_open: int | None, events: Sequence[DomainEvent]) -> Placed:
        """Insert a booking with its claims, its first history row and its outbox events in
        one statement (one round trip, in the caller's transaction).

        `values` are `BOOKING_COLUMNS` (`at`: when). With `max_open`, the booking goes in only
        while its organiser has fewer open requests (held or requested) for the space:
        counted here, after the organiser's row was locked, so concurrent requests of one
        organiser cannot both slip under it. Raises `Taken` when a leaf is claimed then."""
        row = await self._fetchrow(
            _PLACE_BOOKING, *(values[c] for c in BOOKING_COLUMNS), max_open, *claim,
            list(leaves), outbox_rows(list(events)))
        assert row is not None
        if row["id"] is None:
            return Placed(None, row["open_requests"])
        history = [HistoryEntry(row["status"], row["created_by"], None, row["history_at"])]
        return Placed(_booking(row, subject=subject, history=history), row["open_requests"])

    async def conflicts(self, leaves: Sequence[UUID], start: datetime, end: datetime,
                        excluding: UUID | None = None) -> list[tuple[datetime, datetime]]:
        """The holding bookings in the way (but `excluding`), as times only (who booked is
        never shown)."""
        rows = await self._fetch(
            """SELECT DISTINCT lower(b.during) AS starts_at, upper(b.during) AS ends_at
               FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
               WHERE c.space_id = ANY($1::uuid[]) AND c.during && tstzrange($2, $3, '[)')
                 AND ($4::uuid IS NULL OR b.id <> $4)
               ORDER BY 1, 2""",
            list(leaves), start, end, excluding)
        return [(r["starts_at"], r["ends_at"]) for r in rows]

    async def open_requests(self, organiser_id: UUID, space_id: UUID) -> int:
        return int(await self._fetchval(
            """SELECT count(*) FROM bookings WHERE organiser_id = $1 AND space_id = $2
               AND status IN ('held', 'requested')""",
            organiser_id, space_id))

    async def open_requests_by_space(self, organiser_id: UUID, space_ids: Sequence[UUID]
                                     ) -> dict[UUID, int]:
        """The organiser's open (held or requested) bookings of each of these spaces that
        has any, in one statement (migration 009's index)."""
        rows = await self._fetch(
            """SELECT space_id, count(*) AS n FROM bookings
               WHERE organiser_id = $1 AND space_id = ANY($2::uuid[])
                 AND status IN ('held', 'requested')
               GROUP BY space_id""",
            organiser_id, list(space_ids))
        return {r["space_id"]: int(r["n"]) for r in rows}

    async def get_booking(self, booking_id: UUID, *, for_update: bool = False
                          ) -> Booking | None:
        lock = " FOR UPDATE OF b" if for_update else ""
        row = await self._fetchrow(f"{_BOOKING_SELECT} WHERE b.id = $1{lock}", booking_id)
        return _booking(row) if row is not None else None

    async def set_status(self, booking_id: UUID, status: str, *, actor: str,
                         reason: str | None, at: datetime, release: bool) -> None:
        """A new status with its history row; `release` (the booking no longer holds its
        time) frees its claims and cancels the loans made for it."""
        await self._execute(
            """WITH changed AS (UPDATE bookings SET status = $2, updated_at = $5 WHERE id = $1
                                RETURNING id),
                    history AS (INSERT INTO booking_history (booking_id, status, actor, reason,
                                                             at)
                                SELECT id, $2, $3, $4, $5 FROM changed),
                    loans AS (UPDATE resource_loans SET status = 'cancelled', settled_at = $5
                              WHERE $6 AND booking_id = $1 AND status = 'active')
               DELETE FROM booking_claims WHERE $6 AND booking_id = $1""",
            booking_id, status, actor, reason, at, release)

    async def set_hours_kind(self, booking_id: UUID, hours_kind: str, access_code: str | None,
                             *, at: datetime) -> None:
        """The kind of hours a booking's time lies in now (staffed, self-service) with its
        door code: a request confirmed after its day's hours changed kind."""
        await self._execute(
            """UPDATE bookings SET hours_kind = $2, access_code = $3, updated_at = $4
               WHERE id = $1""", booking_id, hours_kind, access_code, at)

    async def move_booking(self, booking_id: UUID, *, starts_at: datetime, ends_at: datetime,
                           hours_kind: str, price: Decimal | None,
                           invoice_reference: str | None, access_code: str | None,
                           leaves: Sequence[UUID], claim: tuple[datetime, datetime],
                           actor: str, reason: str | None, at: datetime) -> None:
        """A confirmed booking to a new time, with what follows from the time (its kind of
        hours, price and door code): its claims replaced (raises `Taken` when the new time
        is claimed by another booking) and a `moved` history row. Run it in a `savepoint`
        so a refusal leaves the caller's transaction usable."""
        await self._execute("DELETE FROM booking_claims WHERE booking_id = $1", booking_id)
        await self._execute(
            f"""INSERT INTO booking_claims (booking_id, space_id, during)
                SELECT $1, leaf, tstzrange($2, $3, '[)')
                FROM (SELECT unnest($4::uuid[]) UNION {_current_leaves(
                    "(SELECT space_id FROM bookings WHERE id = $1)")}) AS leaves (leaf)""",
            booking_id, claim[0], claim[1], list(leaves))
        await self._execute(
            """WITH changed AS (
                   UPDATE bookings SET during = tstzrange($2, $3, '[)'), hours_kind = $4,
                                       updated_at = $7, price = $8, invoice_reference = $9,
                                       access_code = $10
                   WHERE id = $1 RETURNING id)
               INSERT INTO booking_history (booking_id, status, actor, reason, at)
               SELECT id, 'moved', $5, $6, $7 FROM changed""",
            booking_id, starts_at, ends_at, hours_kind, actor, reason, at, price,
            invoice_reference, access_code)

    async def complete_hold(self, booking_id: UUID, values: Mapping[str, Any],
                            history: Sequence[tuple[str, str]], at: datetime) -> None:
        """A hold becomes a request: its details, contact and status; `history` the
        (status, actor) rows to add."""
        await self._execute(
            """UPDATE bookings SET status = $2, title = $3, organiser_id = $4, cooperation = $5,
                   organiser_type = $6, shared_activity = $7, library_contact = $8,
                   price = $9, invoice_reference = $10, contact_name = $11,
                   contact_email = $12, contact_phone = $13, hold_expires_at = NULL,
                   house_rules_accepted_at = $14, updated_at = $14, contact_language = $15,
                   title_language = $16
               WHERE id = $1""",
            booking_id, values["status"], values["title"], values["organiser_id"],
            values["cooperation"], values["organiser_type"], values["shared_activity"],
            values["library_contact"], values["price"], values["invoice_reference"],
            values["contact_name"], values["contact_email"], values["contact_phone"], at,
            values["contact_language"], values["title_language"])
        await self._executemany(
            """INSERT INTO booking_history (booking_id, status, actor, reason, at)
               VALUES ($1, $2, $3, NULL, $4)""",
            [(booking_id, status, actor, at) for status, actor in history])

    async def set_checked_in(self, booking_id: UUID, at: datetime) -> None:
        await self._execute(
            "UPDATE bookings SET checked_in_at = $2, updated_at = $2 WHERE id = $1",
            booking_id, at)

    async def organiser_bookings(self, organiser_id: UUID) -> list[Booking]:
        rows = await self._fetch(
            f"{_BOOKING_SELECT} WHERE b.organiser_id = $1 ORDER BY lower(b.during), b.id",
            organiser_id)
        return [_booking(r) for r in rows]

    async def desk_bookings(self, venue_ids: Sequence[UUID] | None, *, status: str | None,
                            start: datetime | None, end: datetime | None,
                            limit: int = 1000) -> list[Booking]:
        rows = await self._fetch(
            f"""{_BOOKING_SELECT}
                WHERE ($1::uuid[] IS NULL OR b.venue_id = ANY($1::uuid[]))
                  AND ($2::text IS NULL OR b.status = $2)
                  AND ($3::timestamptz IS NULL OR upper(b.during) > $3)
                  AND ($4::timestamptz IS NULL OR lower(b.during) < $4)
                ORDER BY lower(b.during), b.id LIMIT $5""",
            list(venue_ids) if venue_ids is not None else None, status, start, end, limit)
        return [_booking(r) for r in rows]

    async def holding_bookings(self, venue_id: UUID, space_id: UUID | None, start: datetime,
                               end: datetime | None, limit: int = 500) -> list[Booking]:
        """The venue's requested and confirmed bookings (of one space, when named) that end
        after `start` and begin before `end` (None: any time on): those a change of its
        opening hours may leave outside them."""
        rows = await self._fetch(
            f"""{_BOOKING_SELECT}
                WHERE b.venue_id = $1 AND ($2::uuid IS NULL OR b.space_id = $2)
                  AND b.status IN ('requested', 'confirmed') AND upper(b.during) > $3
                  AND ($4::timestamptz IS NULL OR lower(b.during) < $4)
                ORDER BY lower(b.during), b.id LIMIT $5""",
            venue_id, space_id, start, end, limit)
        return [_booking(r) for r in rows]

    async def space_bookings(self, space_id: UUID) -> list[Booking]:
        rows = await self._fetch(
            f"""{_BOOKING_SELECT} WHERE b.space_id = $1
                AND b.status IN ('requested', 'confirmed') ORDER BY lower(b.during), b.id""",
            space_id)
        return [_booking(r) for r in rows]

    async def calendar_entries(self, *, organiser_id: UUID | None = None,
                               booking_id: UUID | None = None) -> list[CalendarEntry]:
        rows = await self._fetch(
            """SELECT b.id, b.title, lower(b.during) AS starts_at, upper(b.during) AS ends_at,
                      b.status, b.access_code, b.updated_at, s.name AS space_name,
                      v.name AS venue_name, b.revision
               FROM bookings b JOIN spaces s ON s.id = b.space_id
               JOIN venues v ON v.id = b.venue_id
               WHERE ($1::uuid IS NULL OR b.organiser_id = $1)
                 AND ($2::uuid IS NULL OR b.id = $2)
               ORDER BY lower(b.during), b.id""",
            organiser_id, booking_id)
        return [CalendarEntry(**dict(r)) for r in rows]

    # --- series ------------------------------------------------------------------------------

    async def insert_series(self, series_id: UUID, space_id: UUID, organiser_id: UUID,
                            title: str, rule: dict[str, Any]) -> None:
        await self._execute(
            """INSERT INTO booking_series (id, space_id, organiser_id, title, rule)
               VALUES ($1, $2, $3, $4, $5)""",
            series_id, space_id, organiser_id, title, rule)

    async def series_venue(self, series_id: UUID) -> UUID | None:
        """The venue of a series (through its space), or None when there is no such series."""
        found: UUID | None = await self._fetchval(
            """SELECT s.venue_id FROM booking_series bs JOIN spaces s ON s.id = bs.space_id
               WHERE bs.id = $1""", series_id)
        return found

    async def series_bookings(self, series_id: UUID, statuses: Sequence[str],
                              starting_from: datetime | None) -> list[Booking]:
        """The series' occurrences in these statuses, locked, earliest first."""
        rows = await self._fetch(
            f"""{_BOOKING_SELECT} WHERE b.series_id = $1 AND b.status = ANY($2::text[])
                AND ($3::timestamptz IS NULL OR lower(b.during) >= $3)
                ORDER BY lower(b.during), b.id FOR UPDATE OF b""",
            series_id, list(statuses), starting_from)
        return [_booking(r) for r in rows]

    async def requested_in_series(self, series_ids: Sequence[UUID]) -> dict[UUID, int]:
        """How many times of each of these series wait for a decision (what `confirm_series`
        would confirm), in one statement; a series with none is left out."""
        if not series_ids:
            return {}
        rows = await self._fetch(
            """SELECT series_id, count(*) AS n FROM bookings
               WHERE series_id = ANY($1::uuid[]) AND status = 'requested'
               GROUP BY series_id""", list(series_ids))
        return {r["series_id"]: int(r["n"]) for r in rows}

    # --- jobs ----------------------------------------------------------------------------------

    async def expired_holds(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._fetch(
            """SELECT id FROM bookings WHERE status = 'held' AND hold_expires_at <= $1
               ORDER BY hold_expires_at, id LIMIT $2 FOR UPDATE SKIP LOCKED""", now, limit)
        return [r["id"] for r in rows]

    async def due_no_shows(self, now: datetime, limit: int) -> list[Booking]:
        """Confirmed bookings of spaces that require check-in, not checked in within the
        window and not yet over; locked, skipping those another replica holds."""
        rows = await self._fetch(
            f"""{_BOOKING_SELECT} JOIN spaces s ON s.id = b.space_id
                WHERE b.status = 'confirmed' AND s.checkin_required AND b.checked_in_at IS NULL
                  AND lower(b.during) + make_interval(mins => s.checkin_minutes) <= $1
                  AND upper(b.during) > $1
                ORDER BY lower(b.during), b.id LIMIT $2 FOR UPDATE OF b SKIP LOCKED""",
            now, limit)
        return [_booking(r) for r in rows]

    async def due_endings(self, now: datetime, since: datetime, limit: int) -> list[Booking]:
        """Confirmed bookings whose time ended in [since, now] and whose end was not yet
        announced; locked, skipping those another replica holds."""
        rows = await self._fetch(
            f"""{_BOOKING_SELECT}
                WHERE b.status = 'confirmed' AND upper(b.during) <= $1 AND upper(b.during) > $2
                  AND NOT EXISTS (SELECT 1 FROM booking_endings e WHERE e.booking_id = b.id)
                ORDER BY upper(b.during), b.id LIMIT $3 FOR UPDATE OF b SKIP LOCKED""",
            now, since, limit)
        return [_booking(r) for r in rows]

    async def mark_ended(self, booking_id: UUID, at: datetime) -> bool:
        """Record that the booking's end was announced; False when it already was."""
        done = await self._execute(
            """INSERT INTO booking_endings (booking_id, announced_at) VALUES ($1, $2)
               ON CONFLICT (booking_id) DO NOTHING""", booking_id, at)
        return done.endswith(" 1")

    # --- loans ---------------------------------------------------------------------------------

    async def peak_out(self, resource_id: UUID, start: datetime, end: datetime) -> int:
        """The most units out at any moment of [start, end): the sum is only checked where
        loans begin, since the count can rise nowhere else."""
        return int(await self._fetchval(
            """WITH loans AS (
                   SELECT quantity, during FROM resource_loans
                   WHERE resource_id = $1 AND status = 'active'
                     AND during && tstzrange($2, $3, '[)')),
                 points AS (SELECT greatest(lower(during), $2) AS at FROM loans)
               SELECT coalesce(max((SELECT sum(quantity) FROM loans WHERE during @> p.at)), 0)
               FROM points p""",
            resource_id, start, end))

    async def insert_loan(self, loan: Loan, at: datetime) -> None:
        """The loan, with the borrower it names (`BorrowedLoan.borrower`) as its own."""
        borrower = loan.borrower if isinstance(loan, BorrowedLoan) else None
        await self._execute(
            """INSERT INTO resource_loans (id, resource_id, booking_id, organiser_id, quantity,
                   during, status, created_at, borrower_name, borrower_phone, borrower_email)
               VALUES ($1, $2, $3, $4, $5, tstzrange($6, $7, '[)'), $8, $9, $10, $11, $12)""",
            loan.id, loan.resource_id, loan.booking_id, loan.organiser_id, loan.quantity,
            loan.starts_at, loan.ends_at, loan.status, at,
            *((borrower.name, borrower.phone, borrower.email) if borrower else (None,) * 3))

    async def get_loan(self, loan_id: UUID, *, for_update: bool = False
                       ) -> BorrowedLoan | None:
        lock = " FOR UPDATE OF l" if for_update else ""
        row = await self._fetchrow(
            f"{_LOANS} WHERE l.id = $1{lock}", loan_id)
        return _loan(row) if row is not None else None

    async def venue_resources(self, venue_id: UUID) -> list[Resource]:
        rows = await self._fetch(
            "SELECT id, venue_id, name, quantity FROM resources WHERE venue_id = $1"
            " ORDER BY name->>'fi', id", venue_id)
        return [Resource(**dict(r)) for r in rows]

    async def venue_loans(self, venue_id: UUID) -> list[BorrowedLoan]:
        """The venue's loans not yet returned or cancelled, the overdue ones first."""
        rows = await self._fetch(
            f"""{_LOANS}
               WHERE r.venue_id = $1 AND l.status = 'active'
               ORDER BY upper(l.during), l.id LIMIT 500""", venue_id)
        return [_loan(r) for r in rows]

    async def settle_loan(self, loan_id: UUID, status: str, at: datetime) -> None:
        """The loan back (`returned`) or `cancelled`, at `at`."""
        await self._execute(
            "UPDATE resource_loans SET status = $2, settled_at = $3 WHERE id = $1",
            loan_id, status, at)

    async def booking_loans(self, booking_id: UUID) -> list[Loan]:
        """The loans made for a booking and not yet returned or cancelled, locked."""
        rows = await self._fetch(
            f"""{_LOANS}
               WHERE l.booking_id = $1 AND l.status = 'active'
               ORDER BY l.resource_id, l.id FOR UPDATE OF l""", booking_id)
        return [_loan(r) for r in rows]

    async def give_loans_to(self, loan_ids: Sequence[UUID], booking_id: UUID) -> None:
        """Loans cancelled with a hold that became a series' first time, active again for
        that booking (same transaction: nobody else saw them free)."""
        await self._execute(
            """UPDATE resource_loans SET booking_id = $2, status = 'active'
               WHERE id = ANY($1::uuid[])""", list(loan_ids), booking_id)

    async def set_loan_time(self, loan_id: UUID, starts_at: datetime,
                            ends_at: datetime) -> None:
        await self._execute(
            "UPDATE resource_loans SET during = tstzrange($2, $3, '[)') WHERE id = $1",
            loan_id, starts_at, ends_at)

    # --- an organiser's own pages (/my) -------------------------------------------------------

    async def organiser_preferences(self, subject: str) -> Preferences | None:
        """What the organiser with this subject last gave on their pages, if anything."""
        row = await self._fetchrow(
            """SELECT p.language, p.organiser_type, p.contact_name, p.contact_email,
                      p.contact_phone
               FROM organiser_preferences p JOIN organisers o ON o.id = p.organiser_id
               WHERE o.subject = $1""", subject)
        return Preferences(**dict(row)) if row is not None else None

    async def remember_organiser_type(self, organiser_id: UUID, organiser_type: str,
                                      language: str, at: datetime) -> None:
        """The kind of organiser last given (a search's), nothing else changed; `language`
        only for a first row (the language the organiser reads in)."""
        await self._execute(
            """INSERT INTO organiser_preferences (organiser_id, language, organiser_type,
                   updated_at)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (organiser_id) DO UPDATE SET
                   organiser_type = EXCLUDED.organiser_type, updated_at = EXCLUDED.updated_at""",
            organiser_id, language, organiser_type, at)

    async def remember_preferences(self, organiser_id: UUID, preferences: Preferences,
                                   at: datetime) -> None:
        await self._execute(
            """INSERT INTO organiser_preferences (organiser_id, language, organiser_type,
                   contact_name, contact_email, contact_phone, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (organiser_id) DO UPDATE SET language = EXCLUDED.language,
                   organiser_type = EXCLUDED.organiser_type,
                   contact_name = EXCLUDED.contact_name, contact_email = EXCLUDED.contact_email,
                   contact_phone = EXCLUDED.contact_phone, updated_at = EXCLUDED.updated_at""",
            organiser_id, preferences.language, preferences.organiser_type,
            preferences.contact_name, preferences.contact_email, preferences.contact_phone, at)


@dataclass(frozen=True)
class Preferences:
    """What an organiser's pages remember for next time (migration 007)."""

    language: str = "fi"
    organiser_type: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


#: What `update_venue` may change.
VENUE_DETAILS = ("name", "description", "address", "latitude", "longitude", "accessibility",
                 "contact", "languages", "area", "accessibility_features")
