"""SQL of the booking service (asyncpg). Functions take a connection; callers own the
transaction, so a state change and its outbox event commit together."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from shared.contracts import LocalizedText, SpaceInfo, VenueRegistered, VenueUpdated
from shared.db import Connection


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
    return cls(
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
    found: UUID = await conn.fetchval(
        """INSERT INTO organisers (id, name, email, phone) VALUES ($1, $2, $3, $4)
           ON CONFLICT (lower(email)) DO UPDATE
             SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, organisers.phone)
           RETURNING id""",
        organiser_id,
        name,
        email,
        phone,
    )
    return found


async def insert_booking(
    conn: Connection,
    *,
    booking_id: UUID,
    space_id: UUID,
    venue_id: UUID,
    organiser_id: UUID,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    cooperation: bool,
    accepted_at: datetime,
) -> None:
    """Raises asyncpg.ExclusionViolationError when the slot overlaps a holding booking."""
    await conn.execute(
        """INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during, status,
                                 cooperation, house_rules_accepted_at)
           VALUES ($1, $2, $3, $4, $5, tstzrange($6, $7, '[)'), 'requested', $8, $9)""",
        booking_id,
        space_id,
        venue_id,
        organiser_id,
        title,
        starts_at,
        ends_at,
        cooperation,
        accepted_at,
    )


async def overlapping_bookings(
    conn: Connection, space_id: UUID, starts_at: datetime, ends_at: datetime
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT id, lower(during) AS starts_at, upper(during) AS ends_at, status
           FROM bookings
           WHERE space_id = $1 AND during && tstzrange($2, $3, '[)')
             AND status IN ('requested', 'confirmed')
           ORDER BY lower(during)""",
        space_id,
        starts_at,
        ends_at,
    )


async def get_booking(
    conn: Connection, booking_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF b" if for_update else ""
    return await conn.fetchrow(
        f"""SELECT b.*, lower(b.during) AS starts_at, upper(b.during) AS ends_at
            FROM bookings b WHERE b.id = $1{lock}""",
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


