"""SQL of the metrics service (asyncpg). Callers own the transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

import asyncpg

from services.metrics.domain import Counts, Delta, Fact, hours, month_of
from shared.contracts import VenueRegistered
from shared.db import Connection


async def upsert_venue(conn: Connection, venue: VenueRegistered) -> None:
    await conn.execute(
        """INSERT INTO venues AS v (venue_id, area, kind, revision, spaces, opening_hours,
                                    exceptions)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (venue_id) DO UPDATE
             SET area = EXCLUDED.area, kind = EXCLUDED.kind, revision = EXCLUDED.revision,
                 spaces = EXCLUDED.spaces, opening_hours = EXCLUDED.opening_hours,
                 exceptions = EXCLUDED.exceptions
             WHERE v.revision < EXCLUDED.revision""",
        venue.venue_id, venue.area, venue.kind, venue.revision,
        [s.model_dump(mode="json") for s in venue.spaces],
        [h.model_dump(mode="json") for h in venue.opening_hours],
        [e.model_dump(mode="json") for e in venue.exceptions],
    )


async def booking_change(conn: Connection, *, booking_id: UUID, space_id: UUID,
                         venue_id: UUID, starts_at: datetime, ends_at: datetime,
                         confirmed: bool) -> None:
    """Confirmed adds the booking's hours to its space and month; a release (cancelled,
    rejected, no-show) takes them away, and is final: a late `confirmed` does not undo it."""
    old = await conn.fetchrow("SELECT * FROM booking_facts WHERE booking_id = $1 FOR UPDATE",
                              booking_id)
    if old is not None and (old["status"] == "released" or confirmed):
        return
    status = "confirmed" if confirmed else "released"
    await conn.execute(
        """INSERT INTO booking_facts (booking_id, space_id, venue_id, status, starts_at, ends_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (booking_id) DO UPDATE SET status = EXCLUDED.status""",
        booking_id, space_id, venue_id, status, starts_at, ends_at)
    was_counted = old is not None and old["status"] == "confirmed"
    sign = 1 if confirmed else (-1 if was_counted else 0)
    if sign:
        await conn.execute(
            """INSERT INTO space_month_booked AS b (space_id, month, venue_id, booked_hours,
                                                    bookings)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (space_id, month) DO UPDATE
                 SET booked_hours = b.booked_hours + EXCLUDED.booked_hours,
                     bookings = b.bookings + EXCLUDED.bookings""",
            space_id, month_of(starts_at), venue_id, sign * hours(starts_at, ends_at), sign)


async def utilisation_rows(conn: Connection, *, area: str | None, venue_id: UUID | None,
                           start: date, end: date) -> tuple[list[asyncpg.Record],
                                                            list[asyncpg.Record]]:
    venues = await conn.fetch(
        """SELECT venue_id, area, spaces, opening_hours, exceptions FROM venues
           WHERE ($1::text IS NULL OR area = $1) AND ($2::uuid IS NULL OR venue_id = $2)
           ORDER BY area, venue_id""", area, venue_id)
    booked = await conn.fetch(
        """SELECT space_id, month, booked_hours, bookings FROM space_month_booked
           WHERE month >= $1 AND month < $2""", start, end)
    return venues, booked


async def venue_area(conn: Connection, venue_id: UUID) -> str | None:
    area: str | None = await conn.fetchval("SELECT area FROM venues WHERE venue_id = $1",
                                           venue_id)
    return area


async def lock_activity_event(conn: Connection, event_id: UUID) -> None:
    """Serialise all changes of one activity event's fact (its events share a partition, but
    a rebalance can briefly hand it to another replica)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))",
                       str(event_id))


async def get_fact(conn: Connection, event_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM activity_event_facts WHERE activity_event_id = $1", event_id)


def as_fact(row: asyncpg.Record, attendance: asyncpg.Record | None) -> Fact:
    return Fact(
        status=row["status"], area=row["area"], starts_at=row["starts_at"],
        ends_at=row["ends_at"], kind=row["kind"], venue_id=row["venue_id"],
        organiser_id=row["organiser_id"], topics=tuple(row["topics"]),
        audiences=tuple(row["audiences"]),
        participants=attendance["participants"] if attendance else None,
        visitors=attendance["visitors"] if attendance else None)


class Saved(NamedTuple):
    """What one fact-saving statement saw before it wrote (one snapshot), and what it wrote
    (None: the stored revision was as new or newer, nothing was written)."""

    fact: asyncpg.Record | None
    attendance: asyncpg.Record | None
    written: asyncpg.Record | None


#: After a `saved` CTE (the row written, or none) on activity event $1: its fact and
#: attendance as they were before (the statement's snapshot), and what was written.
_BEFORE_AND_WRITTEN = """
    SELECT (SELECT f FROM activity_event_facts f WHERE activity_event_id = $1) AS fact,
           (SELECT a FROM attendance_facts a WHERE activity_event_id = $1) AS attendance,
           (SELECT written FROM saved) AS written"""


async def _saved(conn: Connection, statement: str, *args: Any) -> Saved:
    row = await conn.fetchrow(statement, *args)
    assert row is not None
    return Saved(row["fact"], row["attendance"], row["written"])


async def save_fact_if_newer(conn: Connection, fact: dict[str, Any]) -> Saved:
    """Write the fact unless its stored revision is as new or newer, in one round trip that
    also returns the stored fact and attendance from before the write. Without an area of its
    own the fact takes its venue's. Call under `lock_activity_event`, so that nothing changes
    the event's rows between the statement's snapshot and its write."""
    return await _saved(
        conn,
        """WITH saved AS (
               INSERT INTO activity_event_facts AS f (activity_event_id, revision, status, area,
                   venue_id, kind, starts_at, ends_at, booking_id, organiser_id, topics,
                   audiences)
               VALUES ($1, $2, $3,
                       coalesce($4::text, (SELECT area FROM venues WHERE venue_id = $5::uuid)),
                       $5, $6, $7, $8, $9, $10, $11, $12)
               ON CONFLICT (activity_event_id) DO UPDATE
                 SET revision = EXCLUDED.revision, status = EXCLUDED.status,
                     area = EXCLUDED.area, venue_id = EXCLUDED.venue_id, kind = EXCLUDED.kind,
                     starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                     booking_id = EXCLUDED.booking_id, organiser_id = EXCLUDED.organiser_id,
                     topics = EXCLUDED.topics, audiences = EXCLUDED.audiences
                 WHERE f.revision < EXCLUDED.revision
               RETURNING f AS written)""" + _BEFORE_AND_WRITTEN,
        fact["activity_event_id"], fact["revision"], fact["status"], fact["area"],
        fact["venue_id"], fact["kind"], fact["starts_at"], fact["ends_at"], fact["booking_id"],
        fact["organiser_id"], fact["topics"], fact["audiences"],
    )


async def save_attendance_if_newer(conn: Connection, event_id: UUID, revision: int,
                                   participants: int, visitors: int) -> Saved:
    """Write the attendance report unless the stored one is as new or newer, in one round trip
    that also returns the event's fact and the attendance from before the write. Call under
    `lock_activity_event`."""
    return await _saved(
        conn,
        """WITH saved AS (
               INSERT INTO attendance_facts AS a (activity_event_id, report_revision,
                                                  participants, visitors)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (activity_event_id) DO UPDATE
                 SET report_revision = EXCLUDED.report_revision,
                     participants = EXCLUDED.participants, visitors = EXCLUDED.visitors
                 WHERE a.report_revision < EXCLUDED.report_revision
               RETURNING a AS written)""" + _BEFORE_AND_WRITTEN,
        event_id, revision, participants, visitors)


_COUNTS = ("published_events", "cancelled_events", "held_events", "planned_hours",
           "realised_hours", "participants", "visitors")


def _counts(n: Counts) -> dict[str, Any]:
    return dict(zip(_COUNTS, (n.published, n.cancelled, n.held, str(n.planned_hours),
                              str(n.realised_hours), n.participants, n.visitors),
                    strict=True))


def _pending_changes(change: Delta) -> dict[str, list[dict[str, Any]]]:
    """The change as pending_aggregate_changes.changes (migration 010): per cube, the rows to
    add in key order, so that transactions lock the rows they share in the same order; cubes
    without a change are left out."""
    rows: dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]] = {
        "activity": [((c.area, str(c.month), c.kind, c.venue),
                      {"area": c.area, "month": str(c.month), "kind": c.kind, "venue": c.venue,
                       **_counts(n)}) for c, n in change.activity.items()],
        "topic_activity": [((a, str(m), t), {"area": a, "month": str(m), "topic": t,
                                             **_counts(n)})
                           for (a, m, t), n in change.topic_activity.items()],
        "organisers": [((a, str(m), str(o)), {"area": a, "month": str(m),
                                              "organiser_id": str(o), "events": n})
                       for (a, m, o), n in change.organisers.items()],
        "topics": [((a, str(m), t), {"area": a, "month": str(m), "topic": t, "events": n})
                   for (a, m, t), n in change.topics.items()],
        "audiences": [((a, str(m), t), {"area": a, "month": str(m), "audience": t,
                                        "events": n})
                      for (a, m, t), n in change.audiences.items()],
    }
    return {cube: [row for _, row in sorted(found, key=lambda keyed: keyed[0])]
            for cube, found in rows.items() if found}


async def apply_delta(conn: Connection, change: Delta) -> None:
    """Add the change to the pre-aggregated tables when the transaction commits: one row of
    pending_aggregate_changes, which a deferred trigger applies to every cube it names (and
    their rollups) at COMMIT and removes (migration 010). The rows every event of an area and
    month shares are so locked only while the transaction commits. No change: no row."""
    changes = _pending_changes(change)
    if changes:
        await conn.execute("INSERT INTO pending_aggregate_changes (changes) VALUES ($1)",
                           changes)


async def list_areas(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM areas ORDER BY area_group, code")


async def get_area(conn: Connection, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM areas WHERE code = $1", code)


def _month_bits(start: date | None, end: date | None
                ) -> tuple[int | None, int, int | None, int]:
    """The months [start, end) as area_year_organisers sees them: the first year and its
    months as bits (bit 0 = January), the last year and its months (None: unbounded)."""
    first_year, first_bits = (start.year, 0xFFF & ~((1 << (start.month - 1)) - 1)) if start \
        else (None, 0xFFF)
    if end is None:
        return first_year, first_bits, None, 0xFFF
    last_year, last_month = (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)
    return first_year, first_bits, last_year, (1 << last_month) - 1


async def summary(conn: Connection, *, area: str | None, group: str | None,
                  start: date | None, end: date | None, kind: str | None,
                  venue: str | None, topic: str | None = None) -> list[asyncpg.Record]:
    """Every indicator per area over the months [start, end), from the pre-aggregates only.
    With a topic, the activity figures come from the per-theme table; without any filter,
    from the per-area rollup (migration 009) rather than the kind × venue cube."""
    if topic:
        source = ("(SELECT *, topic AS kind, '' AS venue FROM area_month_topic_activity"
                  " WHERE topic = $11)")
    elif kind is None and venue is None:
        source = "(SELECT *, NULL::text AS kind, NULL::text AS venue FROM area_month_totals)"
    else:
        source = "area_month_activity"
    # An organiser has one row per area and year (its active months as bits): within one
    # calendar year, the organisers are the sum over the sets of months that meet the range.
    one_year = start is not None and end is not None and (
        end.year == start.year or (end.year == start.year + 1 and end.month == 1))
    organisers, organisers_source = (
        ("sum(organisers)", "area_year_organiser_sets") if one_year
        else ("count(DISTINCT organiser_id)", "area_year_organisers"))
    args: list[Any] = [area, group, start, end, None if topic else kind,
                       None if topic else venue, *_month_bits(start, end)]
    if topic:
        args.append(topic)
    return await conn.fetch(
        f"""WITH activity AS (
               SELECT area, sum(published_events)::int AS published_events,
                      sum(cancelled_events)::int AS cancelled_events,
                      sum(held_events)::int AS held_events,
                      sum(planned_hours) AS planned_hours, sum(realised_hours) AS realised_hours,
                      sum(participants)::bigint AS participants,
                      sum(visitors)::bigint AS visitors
               FROM {source} AS activity_rows
               WHERE ($3::date IS NULL OR month >= $3) AND ($4::date IS NULL OR month < $4)
                 AND ($5::text IS NULL OR kind = $5) AND ($6::text IS NULL OR venue = $6)
               GROUP BY area),
           organisers AS (
               SELECT area, {organisers}::int AS organisers FROM {organisers_source}
               WHERE ($7::int IS NULL OR year >= $7) AND ($9::int IS NULL OR year <= $9)
                 AND months & CASE WHEN year = $7 THEN $8::int ELSE 4095 END
                            & CASE WHEN year = $9 THEN $10::int ELSE 4095 END <> 0
               GROUP BY area),
           satisfaction AS (
               SELECT area, sum(answers)::int AS answers, sum(score_1)::int AS s1,
                      sum(score_2)::int AS s2, sum(score_3)::int AS s3, sum(score_4)::int AS s4,
                      sum(score_5)::int AS s5, sum(wellbeing_yes)::int AS wellbeing_yes
               FROM area_month_satisfaction
               WHERE ($3::date IS NULL OR month >= $3) AND ($4::date IS NULL OR month < $4)
                 AND ($5::text IS NULL OR kind = $5) AND ($6::text IS NULL OR venue = $6)
               GROUP BY area)
           SELECT coalesce(ar.code, a.area) AS area, ar.area_group, ar.population,
                  ar.population_year, coalesce(ar.population_is_sample, false) AS sample,
                  coalesce(a.published_events, 0) AS published_events,
                  coalesce(a.cancelled_events, 0) AS cancelled_events,
                  coalesce(a.held_events, 0) AS held_events,
                  coalesce(a.planned_hours, 0) AS planned_hours,
                  coalesce(a.realised_hours, 0) AS realised_hours,
                  coalesce(a.participants, 0) AS participants,
                  coalesce(a.visitors, 0) AS visitors,
                  coalesce(o.organisers, 0) AS organisers,
                  coalesce(s.answers, 0) AS answers,
                  ARRAY[coalesce(s.s1, 0), coalesce(s.s2, 0), coalesce(s.s3, 0),
                        coalesce(s.s4, 0), coalesce(s.s5, 0)] AS scores,
                  coalesce(s.wellbeing_yes, 0) AS wellbeing_yes
           FROM areas ar
           FULL JOIN activity a ON a.area = ar.code
           LEFT JOIN organisers o ON o.area = coalesce(ar.code, a.area)
           LEFT JOIN satisfaction s ON s.area = coalesce(ar.code, a.area)
           WHERE ($1::text IS NULL OR coalesce(ar.code, a.area) = $1)
             AND ($2::text IS NULL OR ar.area_group = $2)
           ORDER BY 1""",
        *args)


#: The per-area breakdowns: table, the column broken down by, and what it counts.
_BREAKDOWNS = {
    "topics": ("area_month_topics", "topic", "events"),
    "audiences": ("area_month_audiences", "audience", "events"),
    "reach": ("area_month_reach", "channel", "deliveries"),
}


async def breakdown(conn: Connection, name: str, *, start: date | None,
                    end: date | None) -> dict[str, dict[str, int]]:
    """{area: {code: count}} over the months [start, end), leaving out zeros."""
    table, column, counted = _BREAKDOWNS[name]
    rows = await conn.fetch(
        f"""SELECT area, {column} AS code, sum({counted})::int AS n FROM {table}
            WHERE ($1::date IS NULL OR month >= $1) AND ($2::date IS NULL OR month < $2)
            GROUP BY area, {column} HAVING sum({counted}) <> 0 ORDER BY 1, 2""", start, end)
    result: dict[str, dict[str, int]] = {}
    for r in rows:
        result.setdefault(r["area"], {})[r["code"]] = r["n"]
    return result


async def monthly(conn: Connection, start: date, end: date) -> list[asyncpg.Record]:
    """The whole city per month over [start, end), from the pre-aggregate."""
    return await conn.fetch(
        """SELECT month, sum(published_events)::int AS published_events,
                  sum(held_events)::int AS held_events, sum(realised_hours) AS realised_hours,
                  sum(participants)::bigint AS participants, sum(visitors)::bigint AS visitors
           FROM area_month_activity WHERE month >= $1 AND month < $2
           GROUP BY month ORDER BY month""", start, end)
