"""SQL of the booking service (asyncpg). Functions take a connection; callers own the
transaction, so a state change and its outbox event commit together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from services.booking.domain import DayException, SpaceRules, WeeklyHours
from shared.contracts import (
    LocalizedText,
    OpeningHoursInfo,
    SpaceInfo,
    VenueRegistered,
    VenueUpdated,
)
from shared.db import Connection
from shared.outbox import INSERT_OUTBOX_ROWS


async def insert_venue(conn: Connection, venue: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO venues (id, name, kind, area, municipality, address, has_paid_space)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        venue["id"],
        venue["name"],
        venue["kind"],
        venue["area"],
        venue["municipality"],
        venue.get("address"),
        venue.get("has_paid_space", False),
    )


async def insert_space(conn: Connection, venue_id: UUID, space: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO spaces (id, venue_id, name, capacity, equipment, paid, position)
           VALUES ($1, $2, $3, $4, $5, $6,
                   (SELECT coalesce(max(position) + 1, 0) FROM spaces WHERE venue_id = $2))""",
        space["id"],
        venue_id,
        space["name"],
        space.get("capacity"),
        space.get("equipment", []),
        space.get("paid", False),
    )


async def bump_venue_revision(conn: Connection, venue_id: UUID) -> None:
    await conn.execute(
        "UPDATE venues SET revision = revision + 1, updated_at = now() WHERE id = $1", venue_id
    )


async def get_venue(
    conn: Connection, venue_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM venues WHERE id = $1{lock}", venue_id)


async def list_venues(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM venues ORDER BY area, name->>'fi'")


async def list_spaces(conn: Connection, venue_ids: list[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM spaces WHERE venue_id = ANY($1::uuid[]) ORDER BY position, id",
        venue_ids,
    )


async def get_space(conn: Connection, space_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT s.*, v.kind AS venue_kind, v.has_paid_space
           FROM spaces s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1""",
        space_id,
    )


async def venue_event(
    conn: Connection, venue_id: UUID, *, registered: bool
) -> VenueRegistered:
    """The venue as other services see it: what `venue.registered/updated` carries."""
    venue = await get_venue(conn, venue_id)
    assert venue is not None
    spaces = await list_spaces(conn, [venue_id])
    cls = VenueRegistered if registered else VenueUpdated
    hours = await conn.fetch(
        "SELECT space_id, weekday, opens, closes, kind FROM opening_hours WHERE venue_id = $1"
        " ORDER BY space_id NULLS FIRST, weekday, opens", venue_id)
    exceptions = await conn.fetch(
        "SELECT space_id, day, opens, closes, kind FROM opening_exceptions WHERE venue_id = $1"
        " AND day >= current_date - 400 ORDER BY day", venue_id)
    return cls(
        opening_hours=[OpeningHoursInfo(space_id=h["space_id"], weekday=h["weekday"],
                                        opens=f"{h['opens']:%H:%M}", closes=f"{h['closes']:%H:%M}",
                                        kind=h["kind"]) for h in hours],
        exceptions=[OpeningHoursInfo(
            space_id=e["space_id"], day=e["day"], kind=e["kind"],
            opens=f"{e['opens']:%H:%M}" if e["opens"] else None,
            closes=f"{e['closes']:%H:%M}" if e["closes"] else None) for e in exceptions],
        venue_id=venue["id"],
        name=LocalizedText(**venue["name"]),
        kind=venue["kind"],
        area=venue["area"],
        municipality=venue["municipality"],
        address=venue["address"],
        revision=venue["revision"],
        spaces=[
            SpaceInfo(space_id=s["id"], name=LocalizedText(**s["name"]), capacity=s["capacity"])
            for s in spaces
        ],
    )


async def upsert_organiser(
    conn: Connection, organiser_id: UUID, name: str, email: str, phone: str | None
) -> UUID:
    """One organiser per email address; their pseudonymous id is what events carry."""
    row = await upsert_organiser_row(conn, organiser_id, name, email, phone)
    found: UUID = row["id"]
    return found


async def upsert_organiser_row(
    conn: Connection, organiser_id: UUID, name: str, email: str, phone: str | None
) -> asyncpg.Record:
    """`upsert_organiser`, returning the organiser (id, subject, name, email, phone)."""
    row = await conn.fetchrow(
        f"""INSERT INTO organisers (id, name, email, phone) VALUES ($1, $2, $3, $4)
            ON CONFLICT (lower(email)) WHERE subject IS NULL DO UPDATE
              SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, organisers.phone)
            RETURNING {_ORGANISER}""",
        organiser_id,
        name,
        email,
        phone,
    )
    assert row is not None
    return row


_ORGANISER = "id, subject, name, email, phone"


async def get_booking(
    conn: Connection, booking_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF b" if for_update else ""
    return await conn.fetchrow(
        f"""SELECT b.*, lower(b.during) AS starts_at, upper(b.during) AS ends_at,
                   o.subject AS organiser_subject, o.email AS contact_email
            FROM bookings b LEFT JOIN organisers o ON o.id = b.organiser_id
            WHERE b.id = $1{lock}""",
        booking_id,
    )


async def set_booking_status(
    conn: Connection, booking_id: UUID, status: str, actor: str, reason: str | None
) -> None:
    await conn.execute(
        "UPDATE bookings SET status = $2, updated_at = now() WHERE id = $1", booking_id, status
    )
    await record_history(conn, booking_id, status, actor, reason)


async def record_history(
    conn: Connection, booking_id: UUID, status: str, actor: str, reason: str | None
) -> None:
    await conn.execute(
        "INSERT INTO booking_history (booking_id, status, actor, reason) VALUES ($1, $2, $3, $4)",
        booking_id,
        status,
        actor,
        reason,
    )


async def booking_history(conn: Connection, booking_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT status, actor, reason, at FROM booking_history WHERE booking_id = $1 ORDER BY id",
        booking_id,
    )




# --- rules, hours, claims (migration 002) ------------------------------------------------


def space_rules(row: asyncpg.Record) -> SpaceRules:
    return SpaceRules(**{f: row[f] for f in SpaceRules.__dataclass_fields__})


async def space_children(conn: Connection, venue_id: UUID) -> dict[UUID, list[UUID]]:
    children: dict[UUID, list[UUID]] = {}
    for row in await conn.fetch("SELECT id, parent_id FROM spaces WHERE venue_id = $1",
                                venue_id):
        if row["parent_id"] is not None:
            children.setdefault(row["parent_id"], []).append(row["id"])
    return children


def _weekly(rows: Sequence[Any]) -> list[WeeklyHours]:
    """(space_id, weekday, opens, closes, kind) rows: a space's own replace its venue's."""
    own = [r for r in rows if r[0] is not None]
    return [WeeklyHours(r[1], r[2], r[3], r[4]) for r in (own or [r for r in rows
                                                                 if r[0] is None])]


async def opening_rules(conn: Connection, venue_id: UUID, space_id: UUID | None
                        ) -> tuple[list[WeeklyHours], list[DayException]]:
    """A space's own weekly hours replace its venue's; exceptions of both apply."""
    rows = await conn.fetch(
        """SELECT space_id, weekday, opens, closes, kind FROM opening_hours
           WHERE venue_id = $1 AND (space_id IS NULL OR space_id = $2)""",
        venue_id, space_id)
    exceptions = [
        DayException(r["day"], r["opens"], r["closes"], r["kind"])
        for r in await conn.fetch(
            """SELECT day, opens, closes, kind FROM opening_exceptions
               WHERE venue_id = $1 AND (space_id IS NULL OR space_id = $2)""",
            venue_id, space_id)
    ]
    return _weekly(rows), exceptions


@dataclass(frozen=True)
class BookingContext:
    """What placing a booking in a space reads, in one round trip (`booking_context`)."""

    space: asyncpg.Record  # as `get_space`
    weekly: list[WeeklyHours]
    exceptions: list[DayException]  # of the days asked for
    children: dict[UUID, list[UUID]]  # as `space_children`


#: The space with its venue's facts, its opening hours, the exceptions of the local days
#: [$2, $3] and its venue's space tree ($1 the space).
_BOOKING_CONTEXT = """
    SELECT s.*, v.kind AS venue_kind, v.has_paid_space,
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

def _upsert_organiser(first: int) -> str:
    """A signed-in organiser (parameters from $`first`: a new id, subject, name, email, phone)
    added or brought up to date; the row stays locked until the transaction ends."""
    i, s, n, e, p = (f"${first + k}" for k in range(5))
    return f"""
        INSERT INTO organisers (id, subject, name, email, phone) VALUES ({i}, {s}, {n}, {e}, {p})
        ON CONFLICT (subject) DO UPDATE
          SET name = EXCLUDED.name, email = coalesce(EXCLUDED.email, organisers.email),
              phone = coalesce(EXCLUDED.phone, organisers.phone)
        RETURNING {_ORGANISER}"""


def _context_of(row: asyncpg.Record) -> BookingContext:
    children: dict[UUID, list[UUID]] = {}
    for child, parent in row["_children"]:
        children.setdefault(parent, []).append(child)
    return BookingContext(
        space=row, weekly=_weekly(row["_weekly"]),
        exceptions=[DayException(*e) for e in row["_exceptions"]], children=children)


async def booking_context(conn: Connection, space_id: UUID, first: date, last: date
                          ) -> BookingContext | None:
    """What placing a booking in the space reads (`_BOOKING_CONTEXT`); None when there is no
    such space."""
    row = await conn.fetchrow(_BOOKING_CONTEXT, space_id, first, last)
    return _context_of(row) if row is not None else None


async def booking_context_locking_organiser(
        conn: Connection, space_id: UUID, first: date, last: date, *, subject: str, name: str,
        email: str | None, phone: str | None) -> tuple[BookingContext | None, dict[str, Any]]:
    """`booking_context` and `ensure_organiser_row` in one round trip, in the caller's
    transaction: (the context, or None when there is no such space; the organiser, its row
    locked). A request's next statement takes a new snapshot, so what it counts of the
    organiser's bookings includes any committed while it waited for the lock."""
    row = await conn.fetchrow(
        f"""WITH organiser AS ({_upsert_organiser(4)})
            SELECT o.id AS _organiser_id, o.subject AS _organiser_subject,
                   o.name AS _organiser_name, o.email AS _organiser_email,
                   o.phone AS _organiser_phone, context.*
            FROM organiser o LEFT JOIN ({_BOOKING_CONTEXT}) AS context ON true""",
        space_id, first, last, uuid4(), subject, name, email, phone)
    assert row is not None
    organiser = {column: row[f"_organiser_{column}"]
                 for column in ("id", "subject", "name", "email", "phone")}
    return (_context_of(row) if row["id"] is not None else None), organiser


async def place_booking(conn: Connection, values: Mapping[str, Any], *, leaves: list[UUID],
                        claim: tuple[datetime, datetime], max_open: int | None,
                        events: list[dict[str, Any]]) -> asyncpg.Record:
    """Insert a booking with its claims, its first history row and its outbox events in one
    statement (so in the caller's transaction, in one round trip).

    `values` are the bookings columns of `BOOKING_COLUMNS`; `events` are `outbox_rows`. With
    `max_open`, the booking goes in only while its organiser has fewer open requests (held or
    requested) for the space: counted here, after the caller's organiser upsert took the
    organiser's row lock, so concurrent requests of one organiser cannot both slip under it.
    Returns `open_requests` and, when inserted, the booking's columns with `starts_at`,
    `ends_at` and `history_at` (else NULLs). Raises asyncpg.ExclusionViolationError when a
    leaf is taken for that time.
    """
    row = await conn.fetchrow(
        f"""WITH open AS (
                SELECT count(*)::int AS n FROM bookings
                WHERE organiser_id = $4 AND space_id = $2 AND status IN ('held', 'requested')),
            booking AS (
                INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during,
                    status, cooperation, house_rules_accepted_at, organiser_type,
                    shared_activity, library_contact, hours_kind, access_code, price,
                    invoice_reference, series_id, hold_expires_at, created_by)
                SELECT $1, $2, $3, $4, $5, tstzrange($6, $7, '[)'), $8, $9, now(), $10, $11,
                       $12, $13, $14, $15, $16, $17, $18, $19
                FROM open WHERE $20::int IS NULL OR open.n < $20
                RETURNING *, lower(during) AS starts_at, upper(during) AS ends_at),
            claims AS (
                INSERT INTO booking_claims (booking_id, space_id, during)
                SELECT booking.id, leaf, tstzrange($21, $22, '[)')
                FROM booking, unnest($23::uuid[]) AS leaf),
            history AS (
                INSERT INTO booking_history (booking_id, status, actor, reason)
                SELECT id, status, created_by, NULL FROM booking RETURNING at),
            events AS ({INSERT_OUTBOX_ROWS.format(rows="$24", source="booking")})
            SELECT open.n AS open_requests, booking.*, history.at AS history_at
            FROM open LEFT JOIN booking ON true LEFT JOIN history ON true""",
        *(values[c] for c in BOOKING_COLUMNS), max_open, *claim, leaves, events)
    assert row is not None
    return row


#: The columns `place_booking` takes, in its parameters' order.
BOOKING_COLUMNS = (
    "id", "space_id", "venue_id", "organiser_id", "title", "starts_at", "ends_at", "status",
    "cooperation", "organiser_type", "shared_activity", "library_contact", "hours_kind",
    "access_code", "price", "invoice_reference", "series_id", "hold_expires_at", "created_by")


async def replace_weekly_hours(conn: Connection, venue_id: UUID, space_id: UUID | None,
                               hours: list[WeeklyHours]) -> None:
    await conn.execute(
        "DELETE FROM opening_hours WHERE venue_id = $1 AND space_id IS NOT DISTINCT FROM $2",
        venue_id, space_id)
    await conn.executemany(
        """INSERT INTO opening_hours (venue_id, space_id, weekday, opens, closes, kind)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        [(venue_id, space_id, h.weekday, h.opens, h.closes, h.kind) for h in hours])


async def add_exception(conn: Connection, venue_id: UUID, space_id: UUID | None,
                        exception: DayException, reason: dict[str, Any] | None) -> None:
    await conn.execute(
        """INSERT INTO opening_exceptions (venue_id, space_id, day, opens, closes, kind, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        venue_id, space_id, exception.day, exception.opens, exception.closes, exception.kind,
        reason)


async def busy_ranges(conn: Connection, leaves: list[UUID], start: datetime,
                      end: datetime) -> list[tuple[datetime, datetime]]:
    rows = await conn.fetch(
        """SELECT DISTINCT lower(during) AS s, upper(during) AS e FROM booking_claims
           WHERE space_id = ANY($1::uuid[]) AND during && tstzrange($2, $3, '[)')
           ORDER BY 1""",
        leaves, start, end)
    return [(r["s"], r["e"]) for r in rows]


async def insert_claims(conn: Connection, booking_id: UUID, leaves: list[UUID],
                        start: datetime, end: datetime) -> None:
    """Raises asyncpg.ExclusionViolationError when any leaf is taken for that time."""
    await conn.executemany(
        """INSERT INTO booking_claims (booking_id, space_id, during)
           VALUES ($1, $2, tstzrange($3, $4, '[)'))""",
        [(booking_id, leaf, start, end) for leaf in leaves])


async def release_claims(conn: Connection, booking_id: UUID) -> None:
    await conn.execute("DELETE FROM booking_claims WHERE booking_id = $1", booking_id)


async def conflicting_bookings(conn: Connection, leaves: list[UUID], start: datetime,
                               end: datetime) -> list[asyncpg.Record]:
    """The holding bookings in the way, as times only (who booked is never shown)."""
    return await conn.fetch(
        """SELECT DISTINCT b.id, lower(b.during) AS starts_at, upper(b.during) AS ends_at
           FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
           WHERE c.space_id = ANY($1::uuid[]) AND c.during && tstzrange($2, $3, '[)')
           ORDER BY 2""",
        leaves, start, end)


async def open_requests(conn: Connection, organiser_id: UUID, space_id: UUID) -> int:
    count: int = await conn.fetchval(
        """SELECT count(*) FROM bookings WHERE organiser_id = $1 AND space_id = $2
           AND status IN ('held', 'requested')""",
        organiser_id, space_id)
    return count


async def organiser_by_subject(conn: Connection, subject: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM organisers WHERE subject = $1", subject)


async def ensure_organiser(conn: Connection, *, subject: str | None, name: str,
                           email: str | None, phone: str | None) -> UUID:
    """The organiser for a signed-in person (by subject) or a walk-in (by email)."""
    row = await ensure_organiser_row(conn, subject=subject, name=name, email=email, phone=phone)
    found: UUID = row["id"]
    return found


async def ensure_organiser_row(conn: Connection, *, subject: str | None, name: str,
                               email: str | None, phone: str | None) -> asyncpg.Record:
    """`ensure_organiser`, returning the organiser (id, subject, name, email, phone). The
    upsert locks the organiser's row until the transaction ends, so one organiser's
    requests are checked (open requests) one after the other."""
    if subject is not None:
        row = await conn.fetchrow(_upsert_organiser(1), uuid4(), subject, name, email, phone)
        assert row is not None
        return row
    if email is None:
        raise ValueError("a walk-in organiser needs an email address")
    return await upsert_organiser_row(conn, uuid4(), name, email, phone)


async def next_invoice_number(conn: Connection) -> int:
    number: int = await conn.fetchval(
        "SELECT count(*) + 1000 FROM bookings WHERE invoice_reference IS NOT NULL")
    return number


async def desk_bookings(conn: Connection, venue_ids: list[UUID] | None, *,
                        status: str | None, start: datetime | None,
                        end: datetime | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT b.*, lower(b.during) AS starts_at, upper(b.during) AS ends_at,
                  o.name AS organiser_name, o.email AS organiser_email,
                  o.phone AS organiser_phone, s.name AS space_name, v.name AS venue_name
           FROM bookings b JOIN organisers o ON o.id = b.organiser_id
           JOIN spaces s ON s.id = b.space_id JOIN venues v ON v.id = b.venue_id
           WHERE ($1::uuid[] IS NULL OR b.venue_id = ANY($1::uuid[]))
             AND ($2::text IS NULL OR b.status = $2)
             AND ($3::timestamptz IS NULL OR upper(b.during) > $3)
             AND ($4::timestamptz IS NULL OR lower(b.during) < $4)
           ORDER BY lower(b.during), b.id LIMIT 1000""",
        venue_ids, status, start, end)


async def organiser_bookings(conn: Connection, organiser_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT b.*, lower(b.during) AS starts_at, upper(b.during) AS ends_at,
                  s.name AS space_name, v.name AS venue_name
           FROM bookings b JOIN spaces s ON s.id = b.space_id JOIN venues v ON v.id = b.venue_id
           WHERE b.organiser_id = $1 ORDER BY lower(b.during)""",
        organiser_id)


async def space_bookings(conn: Connection, space_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT b.id, b.title, b.status, b.updated_at, lower(b.during) AS starts_at,
                  upper(b.during) AS ends_at
           FROM bookings b WHERE b.space_id = $1 AND b.status IN ('requested', 'confirmed')
           ORDER BY lower(b.during)""",
        space_id)
