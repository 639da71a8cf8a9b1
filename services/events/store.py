"""All SQL of the events service (asyncpg), with explicit column lists.

`EventStore(conn)` works inside the caller's transaction (a unit of work's); rows come back as
plain dicts, so use cases read them the same way from the fake store of the unit tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from shared.contracts import VenueRegistered
from shared.db import Connection

Row = dict[str, Any]

#: Every column of `activity_events` a caller reads (the generated `search` column is not).
EVENT_COLUMNS = (
    "id", "booking_id", "status", "name", "short_description", "description", "starts_at",
    "ends_at", "all_day", "kind", "venue_id", "space_id", "area", "place_kind", "place_name",
    "online_url", "topics", "audiences", "min_age", "max_age", "languages", "accessibility",
    "price", "free", "registration_required", "capacity", "organiser_name",
    "library_contact", "image_url", "image_alt", "organiser_id", "owner_subject",
    "series_id", "external_id", "postponed_from", "pending_move", "new_organiser", "revision",
    "created_at", "updated_at",
)
_SELECT = ", ".join(EVENT_COLUMNS)

#: What a new event may be given (id, booking, status and times of the row aside).
INSERTABLE = ("name", "short_description", "description", "starts_at", "ends_at", "all_day",
              "kind", "venue_id", "space_id", "area", "place_kind", "place_name",
              "online_url", "topics", "audiences", "min_age", "max_age", "languages",
              "accessibility", "price", "free", "registration_required", "capacity",
              "organiser_name", "library_contact", "image_url", "image_alt", "organiser_id",
              "owner_subject", "series_id", "external_id")
def _advisory_lock(key: int, arg: int, *, shared: bool = False) -> str:
    """The transaction's lock of one booking (key 17), venue (key 13) or vocabulary term
    (key 19), by its id in `$arg`; `shared`: many holders at once, none beside an exclusive
    holder."""
    kind = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    return f"{kind}(hashtextextended(${arg}, {key}))"


_LOCK_BOOKING = f"SELECT {_advisory_lock(17, 1)}"
_LOCK_VENUE = f"SELECT {_advisory_lock(13, 1)}"
#: One term of the vocabulary (`scheme:code`), while staff save it.
_LOCK_TERM = f"SELECT {_advisory_lock(19, 1)}"
#: One "New activity" form sent (its one-time token's draft id), while its draft is made.
_LOCK_FORM = f"SELECT {_advisory_lock(23, 1)}"
# A draft only reads its venue, so drafts of one venue share its lock and go side by side
# (one consumer transaction may hold several); the venue's own event still waits for them.
_LOCK_BOOKING_AND_VENUE = (f"SELECT {_advisory_lock(17, 1)},"
                           f" {_advisory_lock(13, 2, shared=True)}")

#: What the service keeps of a booking (`save_booking`'s columns, in order).
_BOOKING_NAMES = ("booking_id, venue_id, space_id, status, starts_at, ends_at, reason, actor, "
                  "updated_at")
#: A closed booking stays closed; `$10` false: only a booking not known yet is added.
_SAVE_BOOKING = f"""
    INSERT INTO bookings AS b ({_BOOKING_NAMES})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (booking_id) DO UPDATE
      SET status = EXCLUDED.status, starts_at = EXCLUDED.starts_at,
          ends_at = EXCLUDED.ends_at, reason = EXCLUDED.reason,
          actor = EXCLUDED.actor, updated_at = EXCLUDED.updated_at
      WHERE b.status = 'confirmed' AND $10"""


def _booking_args(booking: Row) -> tuple[Any, ...]:
    return (booking["booking_id"], booking["venue_id"], booking["space_id"], booking["status"],
            booking["starts_at"], booking["ends_at"], booking.get("reason"),
            booking.get("actor"), booking["updated_at"])


def _insert_event(event: dict[str, Any], at: datetime) -> tuple[str, list[Any]]:
    """The INSERT of a new draft (nothing when one exists for the same booking), and its
    arguments."""
    present = [c for c in INSERTABLE if c in event]
    placeholders = ", ".join(f"${i + 4}" for i in range(len(present)))
    return (f"""INSERT INTO activity_events (id, booking_id, status, created_at, updated_at,
                                             {", ".join(present)})
                VALUES ($1, $2, 'draft', $3, $3, {placeholders})
                ON CONFLICT (booking_id) DO NOTHING""",
            [event["id"], event.get("booking_id"), at, *[event[c] for c in present]])


#: What an edit may change.
EDITABLE = tuple(c for c in INSERTABLE
                 if c not in ("organiser_id", "owner_subject", "series_id", "external_id"))


#: Up to this many matches a list is gathered whole and then sorted (see `list_events`).
FEW_MATCHES = 5000


class EventStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- venues (a read model of the booking service's) -------------------------------

    async def lock_venue(self, venue_id: UUID) -> None:
        """Until the transaction ends: a venue's event waits for the drafts of its bookings
        being made, and they for it (they come on different partitions, so a batch may hold
        both). Drafts take this lock shared (`lock_booking`), so they do not wait for each
        other."""
        await self.conn.execute(_LOCK_VENUE, str(venue_id))

    async def upsert_venue(self, venue: VenueRegistered, *, draft_area: str | None) -> None:
        """Keep the newest copy of a venue; a stale or repeated one changes nothing. Drafts
        made before the venue was known get `draft_area` when there is one (published events
        keep theirs: a change of theirs goes out as a new revision). Call under
        `lock_venue`."""
        await self.conn.execute(
            """WITH kept AS (
                   INSERT INTO venues AS v (venue_id, name, kind, area, municipality, spaces,
                                            revision)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (venue_id) DO UPDATE
                     SET name = EXCLUDED.name, kind = EXCLUDED.kind, area = EXCLUDED.area,
                         municipality = EXCLUDED.municipality, spaces = EXCLUDED.spaces,
                         revision = EXCLUDED.revision
                     WHERE v.revision < EXCLUDED.revision
                   RETURNING 1)
               UPDATE activity_events AS e SET area = $8 FROM kept
               WHERE $8::text IS NOT NULL AND e.venue_id = $1 AND e.status = 'draft'
                 AND e.area IS NULL""",
            venue.venue_id,
            venue.name.model_dump(),
            venue.kind,
            venue.area,
            venue.municipality,
            [s.model_dump(mode="json") for s in venue.spaces],
            venue.revision,
            draft_area,
        )

    async def get_venue(self, venue_id: UUID) -> Row | None:
        row = await self.conn.fetchrow(
            "SELECT venue_id, name, kind, area, municipality, spaces, revision FROM venues"
            " WHERE venue_id = $1", venue_id)
        return dict(row) if row is not None else None

    async def venues_of(self, venue_ids: list[UUID]) -> dict[UUID, Row]:
        """These venues (name, area, spaces), by id: one read for a whole feed."""
        return {r["venue_id"]: dict(r) for r in await self.conn.fetch(
            "SELECT venue_id, name, kind, area, municipality, spaces, revision FROM venues"
            " WHERE venue_id = ANY($1::uuid[])", venue_ids)} if venue_ids else {}

    async def venue_places(self) -> dict[UUID, Any]:
        """Each venue's name and spaces: where a list's activities are."""
        return {r["venue_id"]: dict(r) for r in await self.conn.fetch(
            "SELECT venue_id, name, spaces FROM venues")}

    async def venue_names(self) -> dict[UUID, Any]:
        return {r["venue_id"]: r["name"] for r in await self.conn.fetch(
            "SELECT venue_id, name FROM venues")}

    async def areas(self) -> list[str]:
        """Areas residents can filter by: those of public events and of venues. One index
        probe per area (a skip scan of (area, ends_at)), not a DISTINCT over every event of
        every year: the calendar asks on each page (issue #20, the growth bench)."""
        return [r["area"] for r in await self.conn.fetch(
            """WITH RECURSIVE found (area) AS (
                   (SELECT area FROM activity_events
                    WHERE area IS NOT NULL AND status <> 'draft' ORDER BY area LIMIT 1)
                   UNION ALL
                   SELECT (SELECT e.area FROM activity_events e
                           WHERE e.area > found.area AND e.status <> 'draft'
                           ORDER BY e.area LIMIT 1)
                   FROM found WHERE found.area IS NOT NULL)
               SELECT area FROM found WHERE area IS NOT NULL
               UNION SELECT area FROM venues ORDER BY 1""")]

    # --- vocabulary ----------------------------------------------------------------------

    async def vocabulary(self, scheme: str, *, retired: bool = True) -> set[str]:
        """The scheme's codes; without the retired ones when `retired` is False."""
        return {r["code"] for r in await self.conn.fetch(
            "SELECT code FROM vocabulary WHERE scheme = $1 AND (retired = false OR $2)",
            scheme, retired)}

    async def vocabulary_labels(self) -> list[Row]:
        """Every term (retired ones too: what has them still reads by their words)."""
        return [dict(r) for r in await self.conn.fetch(
            "SELECT scheme, code, label, retired FROM vocabulary ORDER BY scheme, code")]

    async def lock_vocabulary_term(self, scheme: str, code: str) -> Row | None:
        """A term's words and revision, or None for a code not in the vocabulary yet. The
        transaction holds the term's lock (key 19) until it ends, a new code's too: two staff
        saving one term take turns, so each revision is made and told once."""
        await self.conn.execute(_LOCK_TERM, f"{scheme}:{code}")
        # A statement of its own after the lock: its snapshot sees what the other committed.
        row = await self.conn.fetchrow(
            """SELECT label, revision, retired FROM vocabulary
               WHERE scheme = $1 AND code = $2""",
            scheme, code)
        return dict(row) if row is not None else None

    async def save_vocabulary(self, scheme: str, code: str, label: dict[str, Any],
                              revision: int) -> None:
        """Keep a term's words as its `revision`, told (its `vocabulary.term_set` is written
        in the same transaction). Call under `lock_vocabulary_term`."""
        await self.conn.execute(
            """INSERT INTO vocabulary (scheme, code, label, revision, announced)
               VALUES ($1, $2, $3, $4, true)
               ON CONFLICT (scheme, code) DO UPDATE
                 SET label = EXCLUDED.label, revision = EXCLUDED.revision, announced = true""",
            scheme, code, label, revision)

    async def save_term_retired(self, scheme: str, code: str, retired: bool,
                                revision: int) -> None:
        """Retire (or restore) a kept term as its `revision`, told (its
        `vocabulary.term_set` is written in the same transaction). Call under
        `lock_vocabulary_term`."""
        await self.conn.execute(
            """UPDATE vocabulary SET retired = $3, revision = $4, announced = true
               WHERE scheme = $1 AND code = $2""", scheme, code, retired, revision)

    async def announce_vocabulary(self) -> list[Row]:
        """The terms not told on the bus yet, each marked told, in one statement: replicas
        starting at once get each term once (the second waits for the first's row locks,
        then finds them told and skips them)."""
        return [dict(r) for r in await self.conn.fetch(
            """UPDATE vocabulary SET announced = true WHERE NOT announced
               RETURNING scheme, code, label, revision, retired""")]

    # --- activity events -----------------------------------------------------------------

    async def insert_event(self, event: dict[str, Any], at: datetime) -> bool:
        """Insert a draft; False when one already exists for the same booking."""
        sql, args = _insert_event(event, at)
        return bool(await self.conn.fetchval(f"{sql} RETURNING true", *args))

    async def insert_draft(self, event: dict[str, Any], at: datetime, actor: str
                           ) -> Row | None:
        """`insert_event` with its first history row (`draft`, by `actor`), in one round trip;
        the draft as stored, or None when one already exists for the same booking."""
        sql, args = _insert_event(event, at)
        n = len(args)
        row = await self.conn.fetchrow(
            f"""WITH inserted AS ({sql} RETURNING {_SELECT}),
                     history AS (
                         INSERT INTO activity_event_history (event_id, status, actor, reason, at)
                         SELECT id, 'draft', ${n + 1}, NULL, ${n + 2} FROM inserted)
                SELECT * FROM inserted""",
            *args, actor, at)
        return dict(row) if row is not None else None

    async def get_event(self, event_id: UUID, *, for_update: bool = False) -> Row | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT {_SELECT} FROM activity_events WHERE id = $1{lock}", event_id)
        return dict(row) if row is not None else None

    async def get_event_by_booking(self, booking_id: UUID, *, for_update: bool = False
                                   ) -> Row | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT {_SELECT} FROM activity_events WHERE booking_id = $1{lock}", booking_id)
        return dict(row) if row is not None else None

    async def set_pending_move(self, event_id: UUID, pending: dict[str, Any] | None,
                               at: datetime) -> None:
        await self.conn.execute(
            "UPDATE activity_events SET pending_move = $2, updated_at = $3 WHERE id = $1",
            event_id, pending, at)

    async def mark_new_organiser(self, event_id: UUID) -> None:
        """At its first publication: whether its organiser (by subject, else pseudonym) had
        no other activity public before."""
        await self.conn.execute(
            """UPDATE activity_events AS e SET new_organiser = NOT EXISTS (
                   SELECT 1 FROM activity_events o
                   WHERE o.id <> e.id AND o.status IN ('published', 'postponed', 'rescheduled',
                                                       'cancelled')
                     AND ((e.owner_subject IS NOT NULL AND o.owner_subject = e.owner_subject)
                          OR (e.organiser_id IS NOT NULL AND o.organiser_id = e.organiser_id)))
               WHERE e.id = $1""", event_id)

    async def history_of(self, event_id: UUID) -> list[Row]:
        return [dict(r) for r in await self.conn.fetch(
            """SELECT status, actor, reason, at, language FROM activity_event_history
               WHERE event_id = $1 ORDER BY at, id""", event_id)]

    async def approval_queue(self, *, all_areas: bool, venues: list[UUID],
                             area: str | None, limit: int, offset: int, now: datetime,
                             ended: bool = False) -> list[Row]:
        """Events waiting for approval that the caller decides: all, or their venues'. Those
        not over at `now` (soonest first), or with `ended` those that ended without a decision
        (latest first); each with whether an address is kept to mail its organiser the
        decision (`decision_mailed`)."""
        order = "starts_at DESC, id" if ended else "starts_at, id"
        rows = await self.conn.fetch(
            f"""SELECT {_SELECT}, EXISTS (SELECT 1 FROM approval_contacts c
                                           WHERE c.event_id = activity_events.id)
                       AS decision_mailed
                FROM activity_events
                WHERE status = 'awaiting_approval' AND ($1 OR venue_id = ANY($2::uuid[]))
                  AND ($3::text IS NULL OR area = $3) AND (ends_at <= $6) = $7
                ORDER BY {order} LIMIT $4 OFFSET $5""",
            all_areas, venues, area, limit, offset, now, ended)
        return [dict(r) for r in rows]

    # --- whom to tell of an approval decision (personal data, kept only while it waits) ---

    async def keep_approval_contact(self, event_id: UUID, email: str, language: str,
                                    at: datetime) -> None:
        """The organiser's address while their activity waits for a decision; sent to the
        queue again (after a refusal), the newest one."""
        await self.conn.execute(
            """INSERT INTO approval_contacts (event_id, email, language, kept_at)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (event_id) DO UPDATE
                 SET email = EXCLUDED.email, language = EXCLUDED.language,
                     kept_at = EXCLUDED.kept_at""",
            event_id, email, language, at)

    async def has_approval_contact(self, event_id: UUID) -> bool:
        """Whether an address is kept to tell the organiser the decision on `event_id`."""
        return bool(await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM approval_contacts WHERE event_id = $1)", event_id))

    async def take_approval_contact(self, event_id: UUID) -> Row | None:
        """The kept address (email, language), deleted as it is read: the decision is made,
        or none will be."""
        row = await self.conn.fetchrow(
            "DELETE FROM approval_contacts WHERE event_id = $1 RETURNING email, language",
            event_id)
        return dict(row) if row is not None else None

    # --- a booking's verified address, kept with its draft until the queue needs it --------

    async def keep_booking_contact(self, event_id: UUID, email: str, language: str,
                                   at: datetime) -> None:
        """The address the booking service verified for a booking, kept with its draft
        (`event_id`) in case its organiser sends it to the approval queue with a sign-in
        that gives none; a repeat keeps the first."""
        await self.conn.execute(
            """INSERT INTO booking_contacts (event_id, email, language, kept_at)
               VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING""",
            event_id, email, language, at)

    async def take_booking_contact(self, event_id: UUID) -> Row | None:
        """The booking's address kept with the draft (email, language), deleted as it is
        read: the draft leaves the drafts (to the queue, out at once, withdrawn)."""
        row = await self.conn.fetchrow(
            "DELETE FROM booking_contacts WHERE event_id = $1 RETURNING email, language",
            event_id)
        return dict(row) if row is not None else None

    async def forget_booking_contact(self, booking_id: UUID) -> None:
        """The booking is over (ended, cancelled, rejected, not shown up for): the address
        kept with its draft is not needed any more."""
        await self.conn.execute(
            """DELETE FROM booking_contacts
               WHERE event_id IN (SELECT id FROM activity_events WHERE booking_id = $1)""",
            booking_id)

    async def forget_ended_contacts(self, now: datetime) -> int:
        """The addresses kept for decisions (the queue's and bookings' drafts') of
        activities that have ended by `now`, deleted; how many."""
        found = await self.conn.fetchval(
            """WITH queued AS (
                   DELETE FROM approval_contacts c USING activity_events e
                   WHERE c.event_id = e.id AND e.ends_at <= $1 RETURNING 1),
               drafts AS (
                   DELETE FROM booking_contacts b USING activity_events e
                   WHERE b.event_id = e.id AND e.ends_at <= $1 RETURNING 1)
               SELECT (SELECT count(*) FROM queued) + (SELECT count(*) FROM drafts)""", now)
        return int(found or 0)

    # --- bookings (a read model of the booking service's) ----------------------------------

    async def get_booking(self, booking_id: UUID, *, for_update: bool = False) -> Row | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT {_BOOKING_NAMES} FROM bookings WHERE booking_id = $1{lock}", booking_id)
        return dict(row) if row is not None else None

    async def lock_booking(self, booking_id: UUID, *, venue_id: UUID | None = None) -> None:
        """Until the transaction ends: one booking's events (on booking.v1) and the events
        service's own acts on its activity are handled one at a time. With `venue_id` (a
        draft, which reads its venue), the venue's lock (`lock_venue`) too, shared, after the
        booking's, in the same round trip."""
        if venue_id is None:
            await self.conn.execute(_LOCK_BOOKING, str(booking_id))
        else:
            await self.conn.execute(_LOCK_BOOKING_AND_VENUE, str(booking_id), str(venue_id))

    async def save_booking(self, booking: Row, *, replace: bool = True) -> None:
        """Keep what is known of a booking. A closed booking stays closed: a confirmation
        or move arriving after its cancellation changes nothing; without `replace` (a
        confirmation) only a booking not known yet is added."""
        await self.conn.execute(_SAVE_BOOKING, *_booking_args(booking), replace)

    async def add_booking_seeing_venue(self, booking: Row) -> tuple[Row, str | None]:
        """A confirmation: `save_booking` without replacing, in one round trip with what is
        now known of the booking (a cancellation that came first stays) and its venue's area
        (None while the venue is not known). Call under `lock_booking` with the venue, so
        this statement's snapshot holds whatever the locks' earlier holders committed."""
        row = await self.conn.fetchrow(
            f"""WITH saved AS ({_SAVE_BOOKING} RETURNING {_BOOKING_NAMES}),
                     known AS (SELECT {_BOOKING_NAMES} FROM saved
                               UNION ALL
                               SELECT {_BOOKING_NAMES} FROM bookings
                               WHERE booking_id = $1 AND NOT EXISTS (SELECT FROM saved))
                SELECT known.*, (SELECT area FROM venues WHERE venue_id = $2) AS _venue_area
                FROM known""",
            *_booking_args(booking), False)
        assert row is not None
        known = dict(row)
        return known, known.pop("_venue_area")

    async def find_external(self, external_id: str) -> UUID | None:
        found: UUID | None = await self.conn.fetchval(
            "SELECT id FROM activity_events WHERE external_id = $1", external_id)
        return found

    async def update_event(self, event_id: UUID, changes: dict[str, Any], at: datetime,
                           *, new_revision: bool = False) -> None:
        fields = [f for f in EDITABLE if f in changes]
        if not fields:
            return
        sets = ", ".join(f"{f} = ${i + 3}" for i, f in enumerate(fields))
        bump = ", revision = revision + 1" if new_revision else ""
        await self.conn.execute(
            f"UPDATE activity_events SET {sets}{bump}, updated_at = $2 WHERE id = $1",
            event_id, at, *[changes[f] for f in fields])

    async def move(self, event_id: UUID, starts_at: datetime, ends_at: datetime,
                   at: datetime) -> None:
        """A new time; the old one is kept as `postponed_from`."""
        await self.conn.execute(
            """UPDATE activity_events
               SET postponed_from = tstzrange(starts_at, ends_at), starts_at = $2,
                   ends_at = $3, updated_at = $4
               WHERE id = $1""", event_id, starts_at, ends_at, at)

    async def set_status(self, event_id: UUID, status: str, actor: str, reason: str | None,
                         at: datetime, *, area: str | None = None,
                         language: str | None = None) -> None:
        """Move to `status`; every status residents see is a new revision. `language`: the
        one `reason` was written in, when known."""
        await self.conn.execute(
            """UPDATE activity_events
               SET status = $2, updated_at = $3,
                   revision = revision + CASE WHEN $2 IN ('draft', 'awaiting_approval',
                                                          'withdrawn') THEN 0 ELSE 1 END,
                   area = coalesce($4, area)
               WHERE id = $1""",
            event_id, status, at, area)
        await self.record_history(event_id, status, actor, reason, at, language=language)

    async def record_history(self, event_id: UUID, status: str, actor: str,
                             reason: str | None, at: datetime, *,
                             language: str | None = None) -> None:
        """A step of the event's history; `language`: the one its reason was written in,
        when known."""
        await self.conn.execute(
            """INSERT INTO activity_event_history (event_id, status, actor, reason, at,
                                                  language)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            event_id, status, actor, reason, at, language)

    async def status_step(self, event_id: UUID, status: str) -> Row | None:
        """The history step that last gave the event `status`: who (`actor`) and why
        (`reason`, a cancellation's, if anyone said)."""
        step = await self.conn.fetchrow(
            """SELECT actor, reason FROM activity_event_history
                WHERE event_id = $1 AND status = $2 ORDER BY at DESC, id DESC LIMIT 1""",
            event_id, status)
        return dict(step) if step is not None else None

    async def list_events(
        self, *, filters: dict[str, Any], visibility: dict[str, Any], limit: int,
        offset: int, newest_first: bool = False,
    ) -> tuple[list[Row], int]:
        """Events matching already validated filters, by start time. `visibility` says which
        drafts the caller may see (residents see none)."""
        args: list[Any] = [list(visibility["statuses"]), visibility.get("subject"),
                           visibility.get("all", False), list(visibility.get("venues", []))]
        where = ["(status = ANY($1::text[]) OR owner_subject = $2 OR $3"
                 " OR venue_id = ANY($4::uuid[]))"]

        def add(sql: str, value: Any) -> None:
            args.append(value)
            where.append(sql.replace("?", f"${len(args)}"))

        for column in ("booking_id", "status", "venue_id", "area", "kind", "place_kind",
                       "series_id"):
            if filters.get(column) is not None:
                add(f"{column} = ?", filters[column])
        if filters.get("start") is not None:
            add("ends_at > ?", filters["start"])
        if filters.get("end") is not None:
            add("starts_at < ?", filters["end"])
        if filters.get("topic"):
            add("topics && ?::text[]", filters["topic"])
        if filters.get("audience"):
            add("audiences && ?::text[]", filters["audience"])
        if filters.get("language"):
            add("languages && ?::text[]", filters["language"])
        if filters.get("free") is not None:
            add("free = ?", filters["free"])
        if filters.get("accessible"):
            where.append("accessibility IS NOT NULL AND accessibility <> '{}'::jsonb")
        for word, areas in (filters.get("search") or {}).items():
            # Each word somewhere: a word of the text in any language by its stem, as the
            # start of a word ("digi" for "Digiapu"), inside the folded text ("jynkka" for
            # "Jynkkä"), in the venue's names, or the name of the event's area.
            # The query and the pattern are sub-selects: computed once per statement. Left
            # inline, a generic plan (which PostgreSQL takes for a prepared statement once
            # it costs no more than the custom ones) ran the three stemmers and the folding
            # for every row it looked at: a search took 20 ms instead of 2 in a year's
            # catalogue (bench growth, issue #20).
            args.append(f"{word}:*")
            prefix = f"${len(args)}"
            args.append(word)
            inside = f"(SELECT '%' || kohtaamo_fold(${len(args)}) || '%')"
            args.append(list(areas))
            where.append(
                f"(search @@ (SELECT to_tsquery('finnish', {prefix})"
                f" || to_tsquery('swedish', {prefix}) || to_tsquery('english', {prefix}))"
                f" OR search_folded LIKE {inside}"
                f" OR EXISTS (SELECT 1 FROM venues v WHERE v.venue_id = activity_events.venue_id"
                f" AND v.search_folded LIKE {inside}) OR area = ANY(${len(args)}::text[]))")
        clause = " AND ".join(where)
        total = await self.conn.fetchval(
            f"SELECT count(*) FROM activity_events WHERE {clause}", *args)
        if offset >= total:
            return [], int(total)
        order = "starts_at DESC, id" if newest_first else "starts_at, id"
        # Few matches (what is still to come, a search): gather them, then sort. Left to
        # itself the planner walks every year in start order to find the first twenty of the
        # coming weeks, which grew with the past (issue #20, the growth bench); the count
        # above has just said how many there are.
        source = (f"(SELECT {_SELECT} FROM activity_events WHERE {clause} OFFSET 0) AS found"
                  if total <= FEW_MATCHES else f"activity_events WHERE {clause}")
        columns = "*" if total <= FEW_MATCHES else _SELECT
        rows = await self.conn.fetch(
            f"""SELECT {columns} FROM {source}
                ORDER BY {order} LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}""",
            *args, limit, offset)
        return [dict(r) for r in rows], int(total)

    # --- attendance ----------------------------------------------------------------------

    async def save_attendance(self, event_id: UUID, participants: int, visitors: int,
                              reported_by: str, at: datetime, *, held: bool = False) -> int:
        revision: int = await self.conn.fetchval(
            """INSERT INTO attendance_reports AS a (event_id, participants, visitors,
                                                    reported_by, reported_at, held)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (event_id) DO UPDATE
                 SET participants = EXCLUDED.participants, visitors = EXCLUDED.visitors,
                     reported_by = EXCLUDED.reported_by, reported_at = EXCLUDED.reported_at,
                     held = EXCLUDED.held, confirmed_by = NULL, revision = a.revision + 1
               RETURNING revision""",
            event_id, participants, visitors, reported_by, at, held)
        return revision

    async def get_attendance(self, event_id: UUID) -> Row | None:
        row = await self.conn.fetchrow(
            """SELECT event_id, participants, visitors, revision, reported_by, reported_at,
                      held, confirmed_by FROM attendance_reports WHERE event_id = $1""",
            event_id)
        return dict(row) if row is not None else None

    async def release_attendance(self, event_id: UUID, confirmed_by: str) -> None:
        await self.conn.execute(
            """UPDATE attendance_reports SET held = false, confirmed_by = $2
               WHERE event_id = $1""", event_id, confirmed_by)

    # --- series ----------------------------------------------------------------------------

    async def insert_series(self, series_id: UUID, owner_subject: str | None,
                            rule: dict[str, Any], at: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO activity_event_series (id, owner_subject, rule, created_at)
               VALUES ($1, $2, $3, $4)""", series_id, owner_subject, rule, at)

    async def keep_series(self, series_id: UUID, owner_subject: str | None,
                          rule: dict[str, Any], at: datetime) -> None:
        """`insert_series` unless the series is stored already (a booking series' second
        time, or its confirmation read again)."""
        await self.conn.execute(
            """INSERT INTO activity_event_series (id, owner_subject, rule, created_at)
               VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING""",
            series_id, owner_subject, rule, at)

    async def series_exists(self, series_id: UUID) -> bool:
        return bool(await self.conn.fetchval(
            "SELECT true FROM activity_event_series WHERE id = $1", series_id))

    async def series_drafts(self, series_id: UUID) -> list[UUID]:
        """The series' draft occurrences by start, locked until the transaction ends."""
        return [r["id"] for r in await self.conn.fetch(
            """SELECT id FROM activity_events WHERE series_id = $1 AND status = 'draft'
               ORDER BY starts_at, id FOR UPDATE""", series_id)]

    async def series_occurrences(self, series_id: UUID, *, for_update: bool = False
                                 ) -> list[Row]:
        """Every occurrence of the series by start, whatever its status; `for_update`:
        locked until the transaction ends, in that order (as `series_drafts` locks them)."""
        lock = " FOR UPDATE" if for_update else ""
        return [dict(r) for r in await self.conn.fetch(
            f"""SELECT {_SELECT} FROM activity_events WHERE series_id = $1
                ORDER BY starts_at, id{lock}""", series_id)]

    async def lock_form(self, draft_id: UUID) -> None:
        """Until the transaction ends: a second sending of one "New activity" form waits for
        the first's draft, and then finds it."""
        await self.conn.execute(_LOCK_FORM, str(draft_id))

    async def form_sent_at(self, draft_id: UUID) -> datetime | None:
        """When the "New activity" form whose key makes `draft_id` was sent, if it was
        (migration 018): remembered after its draft is deleted."""
        sent: datetime | None = await self.conn.fetchval(
            "SELECT sent_at FROM new_activity_forms WHERE draft_id = $1", draft_id)
        return sent

    async def remember_form(self, draft_id: UUID, now: datetime) -> None:
        """The "New activity" form whose key makes `draft_id` is sent: for good."""
        await self.conn.execute(
            "INSERT INTO new_activity_forms (draft_id, sent_at) VALUES ($1, $2) "
            "ON CONFLICT (draft_id) DO NOTHING", draft_id, now)

    async def forget_sent_forms(self, before: datetime, limit: int) -> int:
        """Up to `limit` of the "New activity" forms sent before `before`, oldest first,
        deleted; how many. Rows another replica's pass is deleting are skipped, not waited
        for. No index on sent_at: the table holds only about a month of forms."""
        deleted = await self.conn.fetchval(
            """WITH gone AS (
                   DELETE FROM new_activity_forms WHERE draft_id IN (
                       SELECT draft_id FROM new_activity_forms WHERE sent_at < $1
                       ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                   RETURNING 1)
               SELECT count(*) FROM gone""", before, limit)
        return int(deleted or 0)

    async def delete_draft(self, event_id: UUID) -> bool:
        """Delete a draft and what is kept of it (its history, a kept address, counts);
        anything but a draft stays. Whether it was deleted."""
        status = await self.conn.fetchval(
            "SELECT status FROM activity_events WHERE id = $1 FOR UPDATE", event_id)
        if status != "draft":
            return False
        for table, column in (("activity_event_history", "event_id"),
                              ("attendance_reports", "event_id"),
                              ("registration_counts", "activity_event_id")):
            await self.conn.execute(f"DELETE FROM {table} WHERE {column} = $1", event_id)
        # The addresses kept with it go by their ON DELETE CASCADE.
        await self.conn.execute(
            "DELETE FROM activity_events WHERE id = $1 AND status = 'draft'", event_id)
        return True

    # --- registration counts (a read model of the notifications service's) ---------------

    async def keep_registration_counts(self, counts: Row) -> bool:
        """Keep an activity's newest counts (`activity_event_id`, `sequence`, `capacity`,
        `confirmed_seats`, `waiting_seats`, `updated_at`); one of an older or the same
        sequence changes nothing. Whether it was kept."""
        kept = await self.conn.fetchval(
            """INSERT INTO registration_counts AS c (activity_event_id, sequence, capacity,
                                                     confirmed_seats, waiting_seats,
                                                     updated_at)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (activity_event_id) DO UPDATE
                 SET sequence = EXCLUDED.sequence, capacity = EXCLUDED.capacity,
                     confirmed_seats = EXCLUDED.confirmed_seats,
                     waiting_seats = EXCLUDED.waiting_seats, updated_at = EXCLUDED.updated_at
                 WHERE c.sequence < EXCLUDED.sequence
               RETURNING 1""",
            counts["activity_event_id"], counts["sequence"], counts["capacity"],
            counts["confirmed_seats"], counts["waiting_seats"], counts["updated_at"])
        return kept is not None

    async def registration_counts_of(self, event_ids: list[UUID]) -> dict[UUID, Row]:
        """The kept counts of these activities, by id (none heard: not there)."""
        if not event_ids:
            return {}
        return {r["activity_event_id"]: dict(r) for r in await self.conn.fetch(
            """SELECT activity_event_id, sequence, capacity, confirmed_seats, waiting_seats
               FROM registration_counts WHERE activity_event_id = ANY($1::uuid[])""",
            event_ids)}

    # --- an organiser's own activities (their pages, issue #16) ---------------------------

    async def events_of_owner(self, subject: str, limit: int) -> list[Row]:
        """The activities `subject` owns, whatever their status, by start; each says whether
        its attendance has been reported (`attendance_reported`)."""
        rows = await self.conn.fetch(
            f"""SELECT {_SELECT}, EXISTS (SELECT 1 FROM attendance_reports a
                                          WHERE a.event_id = activity_events.id)
                       AS attendance_reported
                FROM activity_events WHERE owner_subject = $1
                ORDER BY starts_at, id LIMIT $2""", subject, limit)
        return [dict(r) for r in rows]
