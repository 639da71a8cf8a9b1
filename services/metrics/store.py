"""All SQL of the metrics service (asyncpg), with explicit column lists. A `MetricsStore`
works on one connection; its caller (a unit of work) owns the transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from services.metrics.domain import (
    MUNICIPALITY,
    Area,
    BookedHours,
    BookedSpan,
    Cell,
    ClosedPeriod,
    Counts,
    Delta,
    Fact,
    FactRevision,
    FeedbackRow,
    MonthTotals,
    Population,
    Saved,
    SummaryRow,
    Venue,
    VenueChoice,
    VenueHours,
    VocabularyTerm,
    month_of,
    short_code_range,
)
from shared.ceilings import Counted
from shared.clock import HELSINKI
from shared.db import Connection

#: An area with its latest population of a year up to $1 (migration 013: populations per
#: area and year).
_AREAS = """SELECT code, name, area_group, p.population, p.year AS population_year,
                   coalesce(p.is_sample, false) AS population_is_sample
            FROM areas LEFT JOIN LATERAL (
                SELECT population, year, is_sample FROM area_populations
                WHERE area = areas.code AND year <= $1
                ORDER BY year DESC LIMIT 1) p ON true"""


#: The survey answers of one area or all ($1) about activities of the months [$2, $3) in
#: Helsinki: `feedback fb` joined with its activity's `activity_event_facts f`.
_ANSWERS_OF = """($1::text IS NULL OR coalesce(f.area, 'unknown') = $1)
                 AND ($2::date IS NULL
                      OR f.starts_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Helsinki'))
                 AND ($3::date IS NULL
                      OR f.starts_at < ($3::date::timestamp AT TIME ZONE 'Europe/Helsinki'))"""


def _area(row: asyncpg.Record) -> Area:
    return Area(code=row["code"], name=dict(row["name"]), area_group=row["area_group"],
                population=row["population"], population_year=row["population_year"],
                population_is_sample=row["population_is_sample"])


def _fact(row: asyncpg.Record, prefix: str, participants: int | None,
          visitors: int | None) -> Fact:
    return Fact(
        status=row[f"{prefix}status"], area=row[f"{prefix}area"],
        starts_at=row[f"{prefix}starts_at"], ends_at=row[f"{prefix}ends_at"],
        kind=row[f"{prefix}kind"], venue_id=row[f"{prefix}venue_id"],
        organiser_id=row[f"{prefix}organiser_id"], topics=tuple(row[f"{prefix}topics"]),
        audiences=tuple(row[f"{prefix}audiences"]), participants=participants,
        visitors=visitors, all_day=row[f"{prefix}all_day"])


_COUNTS = ("published_events", "cancelled_events", "held_events", "planned_hours",
           "realised_hours", "participants", "visitors")


def _counts(n: Counts) -> dict[str, Any]:
    return dict(zip(_COUNTS, (n.published, n.cancelled, n.held, str(n.planned_hours),
                              str(n.realised_hours), n.participants, n.visitors),
                    strict=True))


def _pending_changes(change: Delta) -> dict[str, list[dict[str, Any]]]:
    """The change as pending_aggregate_changes.changes (migration 010): per cube, the rows to
    add (the trigger sums a transaction's rows and writes them in key order, migration 012);
    cubes without a change are left out."""
    rows: dict[str, list[dict[str, Any]]] = {
        "activity": [{"area": c.area, "month": str(c.month), "kind": c.kind, "venue": c.venue,
                      **_counts(n)} for c, n in change.activity.items()],
        "topic_activity": [{"area": a, "month": str(m), "topic": t, **_counts(n)}
                           for (a, m, t), n in change.topic_activity.items()],
        "organisers": [{"area": a, "month": str(m), "organiser_id": str(o), "events": n}
                       for (a, m, o), n in change.organisers.items()],
        "topics": [{"area": a, "month": str(m), "topic": t, "events": n}
                   for (a, m, t), n in change.topics.items()],
        "audiences": [{"area": a, "month": str(m), "audience": t, "events": n}
                      for (a, m, t), n in change.audiences.items()],
    }
    return {cube: found for cube, found in rows.items() if found}


#: The fact columns a `Fact` is made of.
_FACT = ("status", "area", "starts_at", "ends_at", "kind", "venue_id", "organiser_id", "topics",
         "audiences", "all_day")
#: After a `saved` CTE on activity event $1: its fact and attendance as they were before (the
#: statement's snapshot, `f_*` and `a_*`), and what was written (`w_*`, NULL: nothing).
_BEFORE = (", ".join(f"f.{c} AS f_{c}" for c in _FACT)
           + ", f.activity_event_id AS f_id, a.activity_event_id AS a_id,"
           " a.participants AS a_participants, a.visitors AS a_visitors")
_FROM_BEFORE = """
    FROM (SELECT 1) AS one
    LEFT JOIN activity_event_facts f ON f.activity_event_id = $1
    LEFT JOIN attendance_facts a ON a.activity_event_id = $1
    LEFT JOIN saved w ON true"""

#: The per-area breakdowns: table, the column broken down by, and what it counts.
_BREAKDOWNS = {
    "topics": ("area_month_topics", "topic", "events"),
    "audiences": ("area_month_audiences", "audience", "events"),
    "reach": ("area_month_reach", "channel", "deliveries"),
}


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


def _one_year(months: tuple[int | None, int, int | None, int]) -> bool:
    """Whether `_month_bits`' months lie in one calendar year: then the organisers are a sum
    over the sets of months that meet them, else each one counted distinct."""
    return months[0] is not None and months[0] == months[2]


class MetricsStore:
    """Facts, aggregates, areas, venues, bookings, feedback and closed periods."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- facts of activity events (the consumer's hot path) --------------------------------

    async def lock_activity_event(self, event_id: UUID) -> None:
        """Serialise all changes of one activity event's fact (its events share a partition,
        but a rebalance can briefly hand it to another replica)."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))",
                                str(event_id))

    async def save_fact_if_newer(self, fact: FactRevision) -> Saved:
        """Write the fact unless its stored revision is as new or newer, in one round trip
        that also returns the stored fact and attendance from before the write. Without an
        area of its own the fact takes its venue's. Call under `lock_activity_event`, so that
        nothing changes the event's rows between the statement's snapshot and its write."""
        row = await self.conn.fetchrow(
            f"""WITH saved AS (
                   INSERT INTO activity_event_facts AS f (activity_event_id, revision, status,
                       area, venue_id, kind, starts_at, ends_at, booking_id, organiser_id,
                       topics, audiences, all_day)
                   VALUES ($1, $2, $3,
                           coalesce($4::text,
                                    (SELECT area FROM venues WHERE venue_id = $5::uuid)),
                           $5, $6, $7, $8, $9, $10, $11, $12, $13)
                   ON CONFLICT (activity_event_id) DO UPDATE
                     SET revision = EXCLUDED.revision, status = EXCLUDED.status,
                         area = EXCLUDED.area, venue_id = EXCLUDED.venue_id,
                         kind = EXCLUDED.kind, starts_at = EXCLUDED.starts_at,
                         ends_at = EXCLUDED.ends_at, booking_id = EXCLUDED.booking_id,
                         organiser_id = EXCLUDED.organiser_id, topics = EXCLUDED.topics,
                         audiences = EXCLUDED.audiences, all_day = EXCLUDED.all_day
                     WHERE f.revision < EXCLUDED.revision
                   RETURNING f.activity_event_id, {", ".join(f"f.{c}" for c in _FACT)})
                SELECT {_BEFORE}, w.activity_event_id AS w_id,
                       {", ".join(f"w.{c} AS w_{c}" for c in _FACT)}""" + _FROM_BEFORE,
            fact.activity_event_id, fact.revision, fact.status, fact.area, fact.venue_id,
            fact.kind, fact.starts_at, fact.ends_at, fact.booking_id, fact.organiser_id,
            list(fact.topics), list(fact.audiences), fact.all_day)
        assert row is not None
        participants, visitors = ((row["a_participants"], row["a_visitors"])
                                  if row["a_id"] is not None else (None, None))
        before = _fact(row, "f_", participants, visitors) if row["f_id"] else None
        after = _fact(row, "w_", participants, visitors) if row["w_id"] else None
        return Saved(before, after)

    async def save_attendance_if_newer(self, event_id: UUID, revision: int,
                                       participants: int, visitors: int) -> Saved:
        """Write the attendance report unless the stored one is as new or newer, in one round
        trip that also returns the event's fact and the attendance from before the write.
        Call under `lock_activity_event`."""
        row = await self.conn.fetchrow(
            f"""WITH saved AS (
                   INSERT INTO attendance_facts AS a (activity_event_id, report_revision,
                                                      participants, visitors)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (activity_event_id) DO UPDATE
                     SET report_revision = EXCLUDED.report_revision,
                         participants = EXCLUDED.participants, visitors = EXCLUDED.visitors
                     WHERE a.report_revision < EXCLUDED.report_revision
                   RETURNING a.activity_event_id, a.participants, a.visitors)
                SELECT {_BEFORE}, w.activity_event_id AS w_id,
                       w.participants AS w_participants, w.visitors AS w_visitors"""
            + _FROM_BEFORE, event_id, revision, participants, visitors)
        assert row is not None
        if row["f_id"] is None:  # it counts once its activity event arrives
            return Saved(None, None)
        old = ((row["a_participants"], row["a_visitors"]) if row["a_id"] is not None
               else (None, None))
        before = _fact(row, "f_", *old)
        after = (_fact(row, "f_", row["w_participants"], row["w_visitors"])
                 if row["w_id"] is not None else None)
        return Saved(before, after)

    async def apply_delta(self, change: Delta) -> None:
        """Add the change to the pre-aggregated tables when the transaction commits: one row
        of pending_aggregate_changes, which a deferred trigger applies to every cube it names
        (and their rollups) at COMMIT and removes (migration 010); a transaction's rows are
        applied together, summed and in key order (migration 012). The rows every event of an
        area and month shares are so locked only while the transaction commits. No change:
        no row."""
        changes = _pending_changes(change)
        if changes:
            await self._queue(changes)

    async def _queue(self, changes: dict[str, list[dict[str, Any]]]) -> None:
        """One row of changes for the commit-time trigger (migrations 010 and 012)."""
        await self.conn.execute(
            "INSERT INTO pending_aggregate_changes (changes) VALUES ($1)", changes)

    async def get_fact(self, event_id: UUID) -> Fact | None:
        """The activity's fact, without its attendance."""
        row = await self.conn.fetchrow(
            f"""SELECT {", ".join(f"{c} AS f_{c}" for c in _FACT)}
                FROM activity_event_facts WHERE activity_event_id = $1""", event_id)
        return _fact(row, "f_", None, None) if row is not None else None

    async def event_by_short_code(self, code: str) -> UUID | None:
        """The activity event whose id (as hex digits) starts with `code`: the ids from
        `code` followed by zeros to `code` followed by f's, a range of the primary key (a
        pattern over each id's text read every fact of every year: issue #20)."""
        event_id: UUID | None = await self.conn.fetchval(
            "SELECT activity_event_id FROM activity_event_facts"
            " WHERE activity_event_id BETWEEN $1 AND $2 ORDER BY activity_event_id LIMIT 1",
            *short_code_range(code))
        return event_id

    # --- venues, bookings, deliveries ------------------------------------------------------

    async def upsert_venue(self, venue: Venue) -> None:
        await self.conn.execute(
            """INSERT INTO venues AS v (venue_id, area, kind, revision, spaces, opening_hours,
                                        exceptions, name)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (venue_id) DO UPDATE
                 SET area = EXCLUDED.area, kind = EXCLUDED.kind, revision = EXCLUDED.revision,
                     spaces = EXCLUDED.spaces, opening_hours = EXCLUDED.opening_hours,
                     exceptions = EXCLUDED.exceptions, name = EXCLUDED.name
                 WHERE v.revision < EXCLUDED.revision""",
            venue.venue_id, venue.area, venue.kind, venue.revision, venue.spaces,
            venue.opening_hours, venue.exceptions, venue.name)

    async def venue_choices(self) -> list[VenueChoice]:
        """Every venue the metrics know of, or that activity was counted at."""
        rows = await self.conn.fetch(
            """SELECT venue_id, area, name FROM venues
               UNION
               SELECT DISTINCT venue::uuid, area, '{}'::jsonb FROM area_month_activity
               WHERE venue <> '' AND venue::uuid NOT IN (SELECT venue_id FROM venues)""")
        return [VenueChoice(venue_id=r["venue_id"], area=r["area"], name=dict(r["name"]))
                for r in rows]

    async def venue_is_known(self, venue_id: UUID) -> bool:
        """A venue the metrics know of, or that activity was counted at (`venue_choices`)."""
        return bool(await self.conn.fetchval(
            """SELECT EXISTS (SELECT 1 FROM venues WHERE venue_id = $1)
                      OR EXISTS (SELECT 1 FROM area_month_activity WHERE venue = $1::text)""",
            venue_id))

    async def activity_kinds(self) -> list[str]:
        """The kinds of activity counted (the kind × venue cube's)."""
        return [r["kind"] for r in await self.conn.fetch(
            "SELECT DISTINCT kind FROM area_month_activity ORDER BY kind")]

    async def activity_topics(self) -> list[str]:
        """The topics activity was counted for (the per-theme table's)."""
        return [r["topic"] for r in await self.conn.fetch(
            "SELECT DISTINCT topic FROM area_month_topic_activity ORDER BY topic")]

    async def save_vocabulary_term(self, term: VocabularyTerm, revision: int) -> bool:
        """Keep a term's words and whether it is retired when this revision is newer than
        the one kept (or the term is new); an older or the same revision changes nothing.
        True when kept."""
        return bool(await self.conn.fetchval(
            """INSERT INTO vocabulary_terms AS t (scheme, code, label, revision, retired)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (scheme, code) DO UPDATE
                 SET label = EXCLUDED.label, revision = EXCLUDED.revision,
                     retired = EXCLUDED.retired
                 WHERE t.revision < EXCLUDED.revision
               RETURNING true""", term.scheme, term.code, dict(term.label), revision,
            term.retired))

    async def term_is_known(self, scheme: str, code: str) -> bool:
        """A kind or topic the events service told (retired too), or one that activity was
        counted for (its words may not have arrived yet): as `known_areas`, by EXISTS."""
        counted = {"kind": "SELECT 1 FROM area_month_activity WHERE kind = $2",
                   "topic": "SELECT 1 FROM area_month_topic_activity WHERE topic = $2"}[scheme]
        return bool(await self.conn.fetchval(
            f"""SELECT EXISTS (SELECT 1 FROM vocabulary_terms WHERE scheme = $1 AND code = $2)
                       OR EXISTS ({counted})""", scheme, code))

    async def vocabulary_terms(self) -> dict[str, dict[str, VocabularyTerm]]:
        """Every term told (retired ones too): scheme → code → term."""
        found: dict[str, dict[str, VocabularyTerm]] = {}
        for r in await self.conn.fetch(
                "SELECT scheme, code, label, retired FROM vocabulary_terms"):
            found.setdefault(r["scheme"], {})[r["code"]] = VocabularyTerm(
                scheme=r["scheme"], code=r["code"], label=dict(r["label"]),
                retired=r["retired"])
        return found

    async def venue_area(self, venue_id: UUID) -> str | None:
        area: str | None = await self.conn.fetchval(
            "SELECT area FROM venues WHERE venue_id = $1", venue_id)
        return area

    async def booking_fact(self, booking_id: UUID) -> tuple[str, BookedSpan] | None:
        """The booking's stored status and the span its hours were counted from, locked for
        this transaction."""
        row = await self.conn.fetchrow(
            """SELECT status, space_id, venue_id, starts_at, ends_at FROM booking_facts
               WHERE booking_id = $1 FOR UPDATE""", booking_id)
        if row is None:
            return None
        return row["status"], BookedSpan(space_id=row["space_id"], venue_id=row["venue_id"],
                                          starts_at=row["starts_at"], ends_at=row["ends_at"])

    async def save_booking(self, *, booking_id: UUID, status: str, span: BookedSpan) -> None:
        await self.conn.execute(
            """INSERT INTO booking_facts (booking_id, space_id, venue_id, status, starts_at,
                                          ends_at)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (booking_id) DO UPDATE SET
                   status = EXCLUDED.status, space_id = EXCLUDED.space_id,
                   venue_id = EXCLUDED.venue_id, starts_at = EXCLUDED.starts_at,
                   ends_at = EXCLUDED.ends_at""",
            booking_id, span.space_id, span.venue_id, status, span.starts_at, span.ends_at)

    async def add_booked(self, *, space_id: UUID, month: date, venue_id: UUID,
                         booked_hours: Decimal, bookings: int) -> None:
        """Add to the space's booked hours of the month at commit (`apply_delta`)."""
        await self._queue({"booked": [{"space_id": str(space_id), "month": str(month),
                                       "venue_id": str(venue_id),
                                       "booked_hours": str(booked_hours),
                                       "bookings": bookings}]})

    async def record_delivery(self, *, delivery_id: UUID, activity_event_id: UUID,
                              channel: str, target: str | None, reaches: bool, area: str,
                              month: date) -> bool:
        """Note a delivery once, and count its reach for the area, month and channel when it
        is the activity's first on that target (`reaches`: not a cancellation notice; the
        reach is added at commit, as `apply_delta` adds its changes). False: already seen."""
        counted = await self.conn.fetchval(
            """WITH new AS (
                   INSERT INTO delivery_facts (delivery_id, activity_event_id, channel, area,
                                               month)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING area),
               placed AS (
                   INSERT INTO activity_reach (activity_event_id, channel, target, area, month)
                   SELECT $2, $3, coalesce($6::text, $1::text), area, $5 FROM new WHERE $7
                   ON CONFLICT DO NOTHING RETURNING area),
               reach AS (
                   INSERT INTO pending_aggregate_changes (changes)
                   SELECT jsonb_build_object('reach', jsonb_build_array(jsonb_build_object(
                       'area', area, 'month', $5::date, 'channel', $3::text,
                       'deliveries', 1)))
                   FROM placed)
               SELECT EXISTS (SELECT 1 FROM new)""",
            delivery_id, activity_event_id, channel, area, month, target, reaches)
        return bool(counted)

    async def place_reach(self, activity_event_id: UUID, area: str, month: date) -> int:
        """Move the activity's reach to the area and month it now has (a rescheduled or
        relocated activity, or deliveries seen before the activity): the rows and, at commit,
        the per-area counts. Returns how many targets moved."""
        moved = await self.conn.fetchval(
            """WITH old AS (
                   SELECT channel, target, area, month FROM activity_reach
                   WHERE activity_event_id = $1 AND (area, month) <> ($2, $3)
                   FOR UPDATE),
               moved AS (
                   UPDATE activity_reach r SET area = $2, month = $3
                   FROM old WHERE r.activity_event_id = $1 AND r.channel = old.channel
                     AND r.target = old.target
                   RETURNING old.channel, old.area, old.month),
               queued AS (
                   INSERT INTO pending_aggregate_changes (changes)
                   SELECT jsonb_build_object('reach', jsonb_agg(c))
                   FROM (SELECT jsonb_build_object('area', area, 'month', month,
                                                   'channel', channel, 'deliveries', -1) AS c
                         FROM moved
                         UNION ALL
                         SELECT jsonb_build_object('area', $2::text, 'month', $3::date,
                                                   'channel', channel, 'deliveries', 1)
                         FROM moved) AS changes
                   HAVING count(*) > 0)
               SELECT count(*) FROM moved""", activity_event_id, area, month)
        return int(moved)

    # --- areas and populations ---------------------------------------------------------------

    async def list_areas(self, latest_year: int) -> list[Area]:
        """The areas, each with its latest population of a year up to `latest_year`."""
        rows = await self.conn.fetch(f"{_AREAS} ORDER BY area_group, code", latest_year)
        return [_area(r) for r in rows]

    async def get_area(self, code: str, latest_year: int) -> Area | None:
        row = await self.conn.fetchrow(f"{_AREAS} WHERE code = $2", latest_year, code)
        return _area(row) if row is not None else None

    async def known_areas(self, code: str) -> list[str] | None:
        """None when `code` is an area of the city or one that activity was counted for;
        else the codes that are, to name in the refusal (read only then)."""
        if await self.conn.fetchval(
                """SELECT EXISTS (SELECT 1 FROM areas WHERE code = $1)
                          OR EXISTS (SELECT 1 FROM area_month_activity WHERE area = $1)""",
                code):
            return None
        return [r["code"] for r in await self.conn.fetch(
            """SELECT code FROM areas UNION SELECT DISTINCT area FROM area_month_activity
               ORDER BY 1""")]

    async def area_group_of(self, code: str) -> str | None:
        """The group of the city's area `code` (None: none, or not one of the city's)."""
        group: str | None = await self.conn.fetchval(
            "SELECT area_group FROM areas WHERE code = $1", code)
        return group

    async def set_population(self, row: Population, latest_year: int) -> Area | None:
        """Set the area's population of one year; None: no such area. Returns the area with
        its latest population of a year up to `latest_year`."""
        if await self.get_area(row.area, latest_year) is None:
            return None
        await self.set_populations([row])
        return await self.get_area(row.area, latest_year)

    async def set_populations(self, rows: list[Population]) -> None:
        """Each row is the area's population of its year (other years stay as they are)."""
        await self.conn.executemany(
            """INSERT INTO area_populations (area, year, population, is_sample)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (area, year) DO UPDATE
                 SET population = EXCLUDED.population, is_sample = EXCLUDED.is_sample""",
            [(r.area, r.year, r.population, r.sample) for r in rows])

    # --- indicators ---------------------------------------------------------------------------

    async def summary(self, *, area: str | None, group: str | None, start: date | None,
                      end: date | None, kind: str | None, venue: str | None,
                      topic: str | None = None,
                      population_year: int | None = None) -> list[SummaryRow]:
        """Every indicator per area over the months [start, end), from the pre-aggregates
        only. With a topic, the activity figures come from the per-theme table; without any
        filter, from the per-area rollup (migration 009) rather than the kind × venue cube.
        The organisers are counted per area only: with a kind or venue they are None. The
        population is that of `population_year` or the latest earlier year (None: the
        latest there is)."""
        activity_columns = ("area, month, published_events, cancelled_events, held_events,"
                            " planned_hours, realised_hours, participants, visitors")
        if topic:
            source = (f"(SELECT {activity_columns}, topic AS kind, '' AS venue"
                      " FROM area_month_topic_activity WHERE topic = $12)")
        elif kind is None and venue is None:
            source = (f"(SELECT {activity_columns}, NULL::text AS kind, NULL::text AS venue"
                      " FROM area_month_totals)")
        else:
            source = "area_month_activity"
        # An organiser has one row per area and year (its active months as bits): within one
        # calendar year, the organisers are the sum over the sets of months that meet the
        # range.
        months = _month_bits(start, end)
        one_year = _one_year(months)
        organisers, organisers_source = (
            ("sum(organisers)", "area_year_organiser_sets") if one_year
            else ("count(DISTINCT organiser_id)", "area_year_organisers"))
        by_kind_or_venue = not topic and (kind is not None or venue is not None)
        # area_year_organisers has no kind or venue: with either, organisers are not counted.
        organisers_value = "NULL::int" if by_kind_or_venue else "coalesce(o.organisers, 0)"
        args: list[Any] = [area, group, start, end, None if topic else kind,
                           None if topic else venue, *months,
                           population_year]
        if topic:
            args.append(topic)
        rows = await self.conn.fetch(
            f"""WITH activity AS (
                   SELECT area, sum(published_events)::int AS published_events,
                          sum(cancelled_events)::int AS cancelled_events,
                          sum(held_events)::int AS held_events,
                          sum(planned_hours) AS planned_hours,
                          sum(realised_hours) AS realised_hours,
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
                          sum(score_2)::int AS s2, sum(score_3)::int AS s3,
                          sum(score_4)::int AS s4, sum(score_5)::int AS s5,
                          sum(wellbeing_yes)::int AS wellbeing_yes
                   FROM area_month_satisfaction
                   WHERE ($3::date IS NULL OR month >= $3) AND ($4::date IS NULL OR month < $4)
                     AND ($5::text IS NULL OR kind = $5) AND ($6::text IS NULL OR venue = $6)
                   GROUP BY area)
               SELECT coalesce(ar.code, a.area) AS area, ar.area_group, pop.population,
                      pop.year AS population_year, coalesce(pop.is_sample, false) AS sample,
                      coalesce(a.published_events, 0) AS published_events,
                      coalesce(a.cancelled_events, 0) AS cancelled_events,
                      coalesce(a.held_events, 0) AS held_events,
                      coalesce(a.planned_hours, 0) AS planned_hours,
                      coalesce(a.realised_hours, 0) AS realised_hours,
                      coalesce(a.participants, 0) AS participants,
                      coalesce(a.visitors, 0) AS visitors,
                      {organisers_value} AS organisers,
                      coalesce(s.answers, 0) AS answers,
                      ARRAY[coalesce(s.s1, 0), coalesce(s.s2, 0), coalesce(s.s3, 0),
                            coalesce(s.s4, 0), coalesce(s.s5, 0)] AS scores,
                      coalesce(s.wellbeing_yes, 0) AS wellbeing_yes
               FROM areas ar
               FULL JOIN activity a ON a.area = ar.code
               LEFT JOIN LATERAL (
                   SELECT population, year, is_sample FROM area_populations p
                   WHERE p.area = ar.code AND ($11::int IS NULL OR p.year <= $11)
                   ORDER BY year DESC LIMIT 1) pop ON true
               LEFT JOIN organisers o ON o.area = coalesce(ar.code, a.area)
               LEFT JOIN satisfaction s ON s.area = coalesce(ar.code, a.area)
               WHERE ($1::text IS NULL OR coalesce(ar.code, a.area) = $1)
                 AND ($2::text IS NULL OR ar.area_group = $2)
               ORDER BY 1""",
            *args)
        return [SummaryRow(
            area=r["area"], area_group=r["area_group"], population=r["population"],
            population_year=r["population_year"], sample=r["sample"],
            published_events=r["published_events"], cancelled_events=r["cancelled_events"],
            held_events=r["held_events"], planned_hours=r["planned_hours"],
            realised_hours=r["realised_hours"], participants=r["participants"],
            visitors=r["visitors"], organisers=r["organisers"], answers=r["answers"],
            scores=tuple(r["scores"]),
            wellbeing_yes=r["wellbeing_yes"]) for r in rows]

    async def organisers_together(self, *, start: date | None,
                                  end: date | None) -> dict[str, int]:
        """Distinct organisers with a published event in the months [start, end) of each
        area group and of the whole city (`MUNICIPALITY`): one organiser active in two areas
        is one, so these are not sums of the areas' counts. Kept per scope and year as the
        areas' counts are (migration 017): within one calendar year, a sum over the sets of
        months that meet the range; over several years, each organiser of the years in
        range counted once."""
        months = _month_bits(start, end)
        one_year = _one_year(months)
        counted, source = (("sum(organisers)", "scope_year_organiser_sets") if one_year
                           else ("count(DISTINCT organiser_id)", "scope_year_organisers"))
        rows = await self.conn.fetch(
            f"""SELECT scope, {counted}::int AS organisers FROM {source}
                WHERE scope IN (SELECT area_group FROM areas UNION ALL SELECT 'municipality')
                  AND year BETWEEN coalesce($1::int, 0) AND coalesce($3::int, 100000)
                  AND months & CASE WHEN year = $1 THEN $2::int ELSE 4095 END
                             & CASE WHEN year = $3 THEN $4::int ELSE 4095 END <> 0
                GROUP BY scope HAVING {counted} > 0""",
            *months)
        return {MUNICIPALITY if r["scope"] == "municipality" else r["scope"]: r["organisers"]
                for r in rows}

    async def breakdown(self, name: str, *, start: date | None,
                        end: date | None) -> dict[str, dict[str, int]]:
        """{area: {code: count}} over the months [start, end), leaving out zeros; `name` is
        topics, audiences or reach."""
        table, column, counted = _BREAKDOWNS[name]
        rows = await self.conn.fetch(
            f"""SELECT area, {column} AS code, sum({counted})::int AS n FROM {table}
                WHERE ($1::date IS NULL OR month >= $1) AND ($2::date IS NULL OR month < $2)
                GROUP BY area, {column} HAVING sum({counted}) <> 0 ORDER BY 1, 2""",
            start, end)
        result: dict[str, dict[str, int]] = {}
        for r in rows:
            result.setdefault(r["area"], {})[r["code"]] = r["n"]
        return result

    async def monthly(self, start: date, end: date, *, area: str | None = None,
                      group: str | None = None, kind: str | None = None,
                      venue: str | None = None,
                      topic: str | None = None) -> list[MonthTotals]:
        """Per month over [start, end): the whole city, or the area, area group, kind and
        venue or topic given (as `summary` filters them), from the per-area rollup unless a
        kind or venue needs the kind × venue cube, or a topic the per-theme table."""
        # The rollup has no kind or venue columns: it is read only when neither is asked.
        source, by_cube = (("area_month_topic_activity", " AND topic = $5") if topic else
                           ("area_month_totals", "") if kind is None and venue is None else
                           ("area_month_activity", " AND ($5::text IS NULL OR kind = $5)"
                                                   " AND ($6::text IS NULL OR venue = $6)"))
        cube_args = [topic] if topic else [kind, venue] if by_cube else []
        rows = await self.conn.fetch(
            f"""SELECT month, sum(published_events)::int AS published_events,
                      sum(held_events)::int AS held_events,
                      sum(realised_hours) AS realised_hours,
                      sum(participants)::bigint AS participants,
                      sum(visitors)::bigint AS visitors
               FROM {source} AS m WHERE month >= $1 AND month < $2
                 AND ($3::text IS NULL OR area = $3)
                 AND ($4::text IS NULL
                      OR area IN (SELECT code FROM areas WHERE area_group = $4))
                 {by_cube}
               GROUP BY month ORDER BY month""", start, end, area, group, *cube_args)
        return [MonthTotals(month=r["month"], published_events=r["published_events"],
                            held_events=r["held_events"],
                            realised_hours=r["realised_hours"] or Decimal(0),
                            participants=r["participants"], visitors=r["visitors"])
                for r in rows]

    async def utilisation_rows(self, *, area: str | None, venue_id: UUID | None, start: date,
                               end: date) -> tuple[list[VenueHours], list[BookedHours]]:
        venues = await self.conn.fetch(
            """SELECT venue_id, area, spaces, opening_hours, exceptions FROM venues
               WHERE ($1::text IS NULL OR area = $1) AND ($2::uuid IS NULL OR venue_id = $2)
               ORDER BY area, venue_id""", area, venue_id)
        booked = await self.conn.fetch(
            """SELECT space_id, month, booked_hours, bookings FROM space_month_booked
               WHERE month >= $1 AND month < $2""", start, end)
        return ([VenueHours(venue_id=v["venue_id"], area=v["area"], spaces=list(v["spaces"]),
                            opening_hours=list(v["opening_hours"]),
                            exceptions=list(v["exceptions"])) for v in venues],
                [BookedHours(space_id=b["space_id"], month=b["month"],
                             booked_hours=b["booked_hours"], bookings=b["bookings"])
                 for b in booked])

    # --- feedback ----------------------------------------------------------------------------

    async def save_title(self, event_id: UUID, name: dict[str, Any]) -> None:
        await self.conn.execute(
            """INSERT INTO activity_event_titles (activity_event_id, name) VALUES ($1, $2)
               ON CONFLICT (activity_event_id) DO UPDATE SET name = EXCLUDED.name""",
            event_id, name)

    async def title_of(self, event_id: UUID) -> dict[str, Any] | None:
        name: dict[str, Any] | None = await self.conn.fetchval(
            "SELECT name FROM activity_event_titles WHERE activity_event_id = $1", event_id)
        return name

    async def answers_since(self, sender: str, since: datetime, limit: int) -> Counted:
        return Counted.from_row(await self.conn.fetchrow(
            """SELECT count(*) AS count,
                      (array_agg(created_at ORDER BY created_at))[(count(*) - $3 + 1)::int]
                        AS making_room
               FROM feedback WHERE sender = $1 AND created_at > $2""", sender, since, limit),
            limit)

    async def add_answer(self, *, answer_id: UUID, event_id: UUID, satisfaction: int,
                         wellbeing: str, comment: str, language: str, age_group: str,
                         browser: str, sender: str, created_at: datetime) -> bool:
        """Store an answer; False: this browser already answered for this activity."""
        inserted = await self.conn.fetchval(
            """INSERT INTO feedback (id, activity_event_id, satisfaction, wellbeing, comment,
                                     language, age_group, browser, sender, created_at)
               VALUES ($1, $2, $3, $4, nullif($5, ''), $6, nullif($7, ''), $8, $9, $10)
               ON CONFLICT (activity_event_id, browser) DO NOTHING RETURNING true""",
            answer_id, event_id, satisfaction, wellbeing, comment, language, age_group,
            browser, sender, created_at)
        return bool(inserted)

    async def feedback_answers(self, *, area: str | None, start: date | None,
                               end: date | None, limit: int, offset: int) -> list[FeedbackRow]:
        """The answers about activities of the months [start, end) (in Helsinki), of one area
        or all, in the order of the activities and then of the answers."""
        rows = await self.conn.fetch(
            f"""SELECT fb.activity_event_id, coalesce(t.name, '{{}}'::jsonb) AS name,
                       coalesce(f.area, 'unknown') AS area, f.starts_at, fb.satisfaction,
                       fb.wellbeing, fb.age_group, fb.language, fb.comment, fb.created_at
                FROM feedback fb
                JOIN activity_event_facts f ON f.activity_event_id = fb.activity_event_id
                LEFT JOIN activity_event_titles t ON t.activity_event_id = fb.activity_event_id
                WHERE {_ANSWERS_OF}
                ORDER BY f.starts_at, fb.activity_event_id, fb.created_at, fb.id
                LIMIT $4 OFFSET $5""", area, start, end, limit, offset)
        return [FeedbackRow(
            activity_event_id=r["activity_event_id"], name=dict(r["name"]), area=r["area"],
            month=month_of(r["starts_at"]), satisfaction=r["satisfaction"],
            wellbeing=r["wellbeing"], age_group=r["age_group"], language=r["language"],
            comment=r["comment"], answered_on=r["created_at"].astimezone(HELSINKI).date())
            for r in rows]

    async def feedback_answer_count(self, *, area: str | None, start: date | None,
                                    end: date | None) -> int:
        """How many answers `feedback_answers` has over all its pages."""
        count: int = await self.conn.fetchval(
            f"""SELECT count(*) FROM feedback fb
                JOIN activity_event_facts f ON f.activity_event_id = fb.activity_event_id
                WHERE {_ANSWERS_OF}""", area, start, end)
        return count

    async def add_satisfaction(self, cell: Cell, satisfaction: int, wellbeing_yes: bool) -> None:
        scores = [int(satisfaction == s) for s in range(1, 6)]
        await self.conn.execute(
            """INSERT INTO area_month_satisfaction AS s
                   (area, month, kind, venue, answers, score_1, score_2, score_3, score_4,
                    score_5, wellbeing_yes)
               VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10)
               ON CONFLICT (area, month, kind, venue) DO UPDATE
                 SET answers = s.answers + 1, score_1 = s.score_1 + EXCLUDED.score_1,
                     score_2 = s.score_2 + EXCLUDED.score_2,
                     score_3 = s.score_3 + EXCLUDED.score_3,
                     score_4 = s.score_4 + EXCLUDED.score_4,
                     score_5 = s.score_5 + EXCLUDED.score_5,
                     wellbeing_yes = s.wellbeing_yes + EXCLUDED.wellbeing_yes""",
            cell.area, cell.month, cell.kind, cell.venue, *scores, int(wellbeing_yes))

    # --- closed periods ---------------------------------------------------------------------

    async def activity_months(self) -> list[date]:
        rows = await self.conn.fetch("SELECT DISTINCT month FROM area_month_totals ORDER BY 1")
        return [r["month"] for r in rows]

    async def lock_period(self, month: date) -> None:
        """One replica at a time closes a month (held until the transaction ends)."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))",
                                f"close:{month.isoformat()}")

    async def closed_period(self, month: date) -> ClosedPeriod | None:
        """What was last published for `month`: its revision, fingerprint and the
        populations it was divided by."""
        row = await self.conn.fetchrow(
            "SELECT revision, fingerprint, populations FROM closed_periods WHERE month = $1",
            month)
        if row is None:
            return None
        return ClosedPeriod(row["revision"], row["fingerprint"], dict(row["populations"]))

    async def save_closed_period(self, month: date, revision: int, fingerprint: str,
                                 closed_at: datetime,
                                 populations: dict[str, int | None]) -> None:
        """Save what was published; the populations only the first time (a closed month
        keeps its denominators)."""
        await self.conn.execute(
            """INSERT INTO closed_periods (month, revision, fingerprint, closed_at,
                                           populations)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (month) DO UPDATE SET revision = EXCLUDED.revision,
                 fingerprint = EXCLUDED.fingerprint, closed_at = EXCLUDED.closed_at""",
            month, revision, fingerprint, closed_at, populations)
