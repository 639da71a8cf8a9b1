"""SQL of the notifications service (asyncpg): every statement, with explicit column lists.

`NotificationStore(conn)` is bound to one connection; the unit of work that made it owns the
transaction. Where a rule depends on the time ("due", "started", "lease over"), the use case
passes its clock's `now`; `updated_at` and `created_at` are the database's bookkeeping.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from services.notifications import domain
from shared.ceilings import Counted
from shared.db import Connection
from shared.outbox import INSERT_OUTBOX_ROWS_PER_ROW, outbox_rows
from shared.tracing import current_traceparent

Row = dict[str, Any]

BOARD_COLUMNS = ("id", "venue_id", "area", "name", "languages", "venue_revision", "spaces",
                 "kinds", "created_at")
ITEM_COLUMNS = ("board_id", "activity_event_id", "revision", "status", "name", "starts_at",
                "ends_at", "kind", "free", "registration_required", "space_id", "place",
                "created_at", "updated_at", "all_day", "price", "reason")
DELIVERY_COLUMNS = ("id", "activity_event_id", "booking_id", "account_id", "channel", "target",
                    "revision", "purpose", "idempotency_key", "status", "attempts",
                    "last_error", "error_class", "due_at", "created_at", "updated_at",
                    "published_at", "claimed_by", "lease_until", "content", "language",
                    "recipient", "remote_id", "remote_url", "decided_by", "traceparent",
                    "maybe_sent_at", "registration_id", "subscription_id")
#: What an account is configured with (a person's or the demo's input).
ACCOUNT_FIELDS = ("platform", "name", "base_url", "account_ref", "secret_ref", "languages",
                  "areas", "venue_ids", "kinds", "reminder_hours", "enabled")
ACCOUNT_COLUMNS = ("id", *ACCOUNT_FIELDS, "state", "state_detail", "paused_until",
                   "created_at", "updated_at")
REG_SETTINGS_COLUMNS = ("activity_event_id", "opens_at", "closes_at", "max_group", "capacity",
                        "questions", "updated_at")
REGISTRATION_COLUMNS = ("id", "activity_event_id", "status", "seats", "name", "email",
                        "language", "answers", "attended", "created_at", "updated_at",
                        "cancelled_at", "anonymised_at", "confirmation_resent_at")
SUBSCRIPTION_COLUMNS = ("id", "email", "language", "status", "venue_ids", "areas", "topics",
                        "audiences", "kinds", "each_new", "created_at", "confirmed_at",
                        "unsubscribed_at", "last_digest_at")
CHANGE_COLUMNS = ("id", "account_id", "changed_by", "changed_at", "fields", "old_base_url",
                  "new_base_url", "old_secret_ref", "new_secret_ref")


def _cols(columns: tuple[str, ...], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + c for c in columns)


#: A delivery with its account and its activity's where and when: what the sender needs.
_DELIVERY_WITH_ACCOUNT = f"""
    SELECT {_cols(DELIVERY_COLUMNS, "d")}, a.platform, a.base_url, a.account_ref,
           a.secret_ref, a.name AS account_name,
           e.area, e.venue_id, e.facts->>'starts_at' AS starts_at
    FROM deliveries d JOIN channel_accounts a ON a.id = d.account_id
    LEFT JOIN activity_events e ON e.id = d.activity_event_id"""

#: Records `revision` (and the event's facts) as the event's newest, when it is newer than the
#: one kept (domain.is_newer_revision); `seen` is "new" for an event seen for the first time,
#: "newer" for a newer revision of a known one. No row: a duplicate or a stale copy. The row
#: lock it takes orders concurrent handlers of the same event.
#: A status of NULL ($3) keeps the one kept (an edit: event.updated carries none), or is
#: "published" for an event first seen.
_ADVANCE_EVENT = """
    INSERT INTO activity_events AS e (id, revision, status, venue_id, area, facts)
    VALUES ($1, $2, coalesce($3::text, 'published'), $4, $5, $6)
    ON CONFLICT (id) DO UPDATE
      SET revision = EXCLUDED.revision, status = coalesce($3::text, e.status),
          venue_id = EXCLUDED.venue_id, area = EXCLUDED.area, facts = EXCLUDED.facts,
          updated_at = now()
      WHERE e.revision < EXCLUDED.revision
    RETURNING CASE WHEN xmax = 0 THEN 'new' ELSE 'newer' END AS seen, e.status"""


def _boards_for(venue_board: str, area: str, kind: str) -> str:
    """The boards an activity goes on, as one JSON array: the venue's board (parameter
    `venue_board`), whatever it shows, first; then the boards of the area that show the kind.
    The arguments name the statement's parameters ("$1")."""
    return f"""
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', b.id, 'venue_id', b.venue_id, 'area', b.area, 'name', b.name,
               'kinds', b.kinds, 'spaces', b.spaces, 'venue_revision', b.venue_revision)
             ORDER BY (b.id = {venue_board}) DESC NULLS LAST, b.id), '[]')
    FROM notice_boards b
    WHERE b.id = {venue_board}
       OR ({area}::text IS NOT NULL AND b.venue_id IS NULL AND b.area = {area}
           AND (b.kinds IS NULL OR {kind} = ANY(b.kinds)))"""


def _boards_of(boards: list[Row]) -> list[Row]:
    return [{**b, "id": UUID(b["id"]),
             "venue_id": UUID(b["venue_id"]) if b["venue_id"] is not None else None}
            for b in boards]


#: Every enabled account that posts activity events (domain.account_matches picks), as one
#: JSON array.
_SOCIAL_ACCOUNTS = """
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', a.id, 'platform', a.platform, 'languages', a.languages,
               'areas', a.areas, 'venue_ids', a.venue_ids, 'kinds', a.kinds,
               'reminder_hours', a.reminder_hours, 'enabled', a.enabled)
             ORDER BY a.id), '[]')
    FROM channel_accounts a WHERE a.enabled AND a.platform <> 'email'"""


def _array_of(facts: str, field: str) -> str:
    """A list of the activity's facts (a jsonb parameter) as text[]; none given: empty."""
    return (f"ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof({facts}->'{field}')"
            f" = 'array' THEN {facts}->'{field}' ELSE '[]' END))")


def _followers_of_new(facts: str) -> str:
    """Active followers of each new activity whose choice the activity's facts (`facts`, a
    jsonb parameter) match: domain.subscription_matches in SQL (an empty list: any; a chosen
    list must hold the activity's value), so a publication reads its followers only, however
    many follow other things. What planning their email needs, as one JSON array."""
    return f"""
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', s.id, 'email', s.email, 'language', s.language,
               'venue_ids', s.venue_ids, 'areas', s.areas, 'topics', s.topics,
               'audiences', s.audiences, 'kinds', s.kinds) ORDER BY s.id), '[]')
    FROM subscriptions s
    WHERE s.status = 'active' AND s.each_new
      AND (s.venue_ids = '{{}}' OR ({facts}->>'venue_id')::uuid = ANY(s.venue_ids))
      AND (s.areas = '{{}}' OR ({facts}->>'area') = ANY(s.areas))
      AND (s.topics = '{{}}' OR s.topics && {_array_of(facts, "topics")})
      AND (s.audiences = '{{}}' OR s.audiences && {_array_of(facts, "audiences")})
      AND (s.kinds = '{{}}' OR ({facts}->>'kind') = ANY(s.kinds))"""


def _followers_of(rows: list[dict[str, Any]]) -> list[Row]:
    return [{**r, "id": UUID(r["id"]), "venue_ids": [UUID(v) for v in r["venue_ids"]]}
            for r in rows]


class Advanced(NamedTuple):
    """An activity event's newer revision, recorded, and what its handler plans with."""

    seen: str  # "new" (first time) or "newer"
    #: The venue's board (whatever it shows) first, then the area's boards for its kind; each
    #: with id, venue_id, area, name, kinds, spaces, venue_revision (as boards_for).
    boards: list[Row]
    #: The enabled social accounts: id, platform, languages, areas, venue_ids, kinds,
    #: reminder_hours, enabled.
    accounts: list[Row]
    #: For a publication (`followers=True`): the followers of each new activity it matches
    #: (see _followers_of_new); else empty.
    followers: list[Row]
    #: The status the activity is left in (an edit keeps the one it had).
    status: str = "published"
    #: The status it had before this revision (None: first seen).
    previous_status: str | None = None
    #: The facts of the revision before this one (None: first seen): what residents were
    #: told, to tell what changed.
    previous_facts: dict[str, Any] | None = None


def _dict(row: Any) -> Row | None:
    return dict(row) if row is not None else None


class NotificationStore:
    """All SQL of the notifications service, on one connection (the caller's transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- notice boards ----------------------------------------------------------------------

    async def ensure_board(self, board_id: UUID, venue_id: UUID, area: str | None,
                           name: dict[str, Any], venue_revision: int,
                           spaces: dict[str, Any] | None = None) -> None:
        """Create the venue's board, or refresh its name, area and spaces from a newer venue
        copy (domain.is_newer_revision on venue_revision). A board still without an area takes
        the first one it is given, even from an activity event."""
        await self.conn.execute(
            """INSERT INTO notice_boards AS b (id, venue_id, area, name, venue_revision, spaces)
               VALUES ($1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'))
               ON CONFLICT (venue_id) DO UPDATE
                 SET area = CASE WHEN b.venue_revision < EXCLUDED.venue_revision
                                 THEN coalesce(EXCLUDED.area, b.area)
                                 ELSE coalesce(b.area, EXCLUDED.area) END,
                     name = CASE WHEN b.venue_revision < EXCLUDED.venue_revision
                                 THEN EXCLUDED.name ELSE b.name END,
                     spaces = CASE WHEN b.venue_revision < EXCLUDED.venue_revision
                                   AND $6::jsonb IS NOT NULL THEN EXCLUDED.spaces
                                   ELSE b.spaces END,
                     venue_revision = greatest(b.venue_revision, EXCLUDED.venue_revision)
                 WHERE b.venue_revision < EXCLUDED.venue_revision
                    OR (b.area IS NULL AND EXCLUDED.area IS NOT NULL)""",
            board_id, venue_id, area, name, venue_revision, spaces,
        )

    async def create_area_board(self, board_id: UUID, area: str, name: dict[str, Any],
                                languages: list[str], kinds: list[str] | None) -> bool:
        """Whether the board was made: not when the area has a board of its Finnish name
        already (migration 030's index; one made at the same moment too)."""
        return bool(await self.conn.fetchval(
            """INSERT INTO notice_boards (id, venue_id, area, name, languages, kinds,
                                          venue_revision)
               VALUES ($1, NULL, $2, $3, $4, $5, 0)
               ON CONFLICT (area, board_name_key(name->>'fi')) WHERE venue_id IS NULL
               DO NOTHING RETURNING true""", board_id, area, name, languages, kinds))

    async def area_board_named(self, area: str, name_fi: str) -> Row | None:
        """The area's board of this Finnish name, as names are compared
        (`board_name_key`: case and spaces aside); None: there is none."""
        return _dict(await self.conn.fetchrow(
            f"""SELECT {_cols(BOARD_COLUMNS)} FROM notice_boards
                WHERE venue_id IS NULL AND area = $1
                  AND board_name_key(name->>'fi') = board_name_key($2)""", area, name_fi))

    async def configure_board(self, board_id: UUID, languages: list[str],
                              kinds: list[str] | None) -> Row | None:
        """The board as configured; None when there is no such board."""
        return _dict(await self.conn.fetchrow(
            f"""UPDATE notice_boards SET languages = $2, kinds = $3 WHERE id = $1
                RETURNING {_cols(BOARD_COLUMNS)}""",
            board_id, languages, kinds))

    async def list_boards(self, venue_id: UUID | None, area: str | None) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(BOARD_COLUMNS)} FROM notice_boards
                WHERE ($1::uuid IS NULL OR venue_id = $1) AND ($2::text IS NULL OR area = $2)
                ORDER BY area NULLS LAST, name->>'fi'""",
            venue_id, area,
        )
        return [dict(r) for r in rows]

    async def get_board(self, board_id: UUID) -> Row | None:
        return _dict(await self.conn.fetchrow(
            f"SELECT {_cols(BOARD_COLUMNS)} FROM notice_boards WHERE id = $1", board_id))

    async def board_items(self, board_id: UUID, since: datetime | None) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(ITEM_COLUMNS)} FROM board_items
                WHERE board_id = $1 AND status <> 'withdrawn'
                  AND ($2::timestamptz IS NULL OR ends_at >= $2)
                ORDER BY starts_at, activity_event_id""",
            board_id, since,
        )
        return [dict(r) for r in rows]

    async def boards_for(self, venue_board: UUID | None, area: str | None,
                         kind: str) -> list[Row]:
        """The venue's board (whatever it shows) and the boards of the activity's area that
        show its kind, in one query; the venue's board first."""
        boards: list[Row] = await self.conn.fetchval(
            _boards_for("$1", "$2", "$3"), venue_board, area, kind)
        return _boards_of(boards)

    # --- staff's own notices on boards ------------------------------------------------------

    async def known_boards(self, board_ids: list[UUID]) -> set[UUID]:
        rows = await self.conn.fetch("SELECT id FROM notice_boards WHERE id = ANY($1::uuid[])",
                                     board_ids)
        return {r["id"] for r in rows}

    async def add_board_notice(self, notice_id: UUID, texts: dict[str, str],
                               shown_from: datetime, shown_until: datetime,
                               who: str) -> bool:
        """False when the notice was recorded before (the same form sent twice)."""
        return bool(await self.conn.fetchval(
            """INSERT INTO board_notices (id, text, shown_from, shown_until, created_by)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING true""",
            notice_id, texts, shown_from, shown_until, who))

    async def show_notice_on_board(self, notice_id: UUID, board_id: UUID, delivery_id: UUID,
                                   key: str, content: dict[str, Any]) -> None:
        """The notice on the board and its delivery there, published at once (boards are
        pulled): one statement."""
        await self.conn.execute(
            """WITH shown AS (
                   INSERT INTO board_notice_boards (notice_id, board_id) VALUES ($1, $2)
                   ON CONFLICT DO NOTHING RETURNING 1)
               INSERT INTO deliveries (id, channel, target, revision, purpose,
                                       idempotency_key, status, published_at, content,
                                       language, traceparent)
               SELECT $3, 'notice_board', $2::text, 0, 'notice', $4, 'published', now(), $5,
                      'fi', $6
               FROM shown ON CONFLICT (idempotency_key) DO NOTHING""",
            notice_id, board_id, delivery_id, key, content, current_traceparent.get())

    async def board_notices(self, board_id: UUID, now: datetime) -> list[Row]:
        """The notices the board shows at `now`, newest first."""
        rows = await self.conn.fetch(
            """SELECT n.id, n.text, n.shown_from, n.shown_until, n.created_at,
                      t.updated_at
               FROM board_notice_boards t JOIN board_notices n ON n.id = t.notice_id
               WHERE t.board_id = $1 AND t.withdrawn_at IS NULL
                 AND n.shown_from <= $2 AND n.shown_until > $2
               ORDER BY n.shown_from DESC, n.created_at DESC, n.id""", board_id, now)
        return [dict(r) for r in rows]

    async def current_board_notices(self, now: datetime) -> list[Row]:
        """Notices on some board that have not ended, with the boards still showing them
        (id and name), soonest-ending first: what staff may withdraw."""
        rows = await self.conn.fetch(
            """SELECT n.id, n.text, n.shown_from, n.shown_until, n.created_by,
                      jsonb_agg(jsonb_build_object('id', b.id, 'name', b.name,
                                                   'area', b.area, 'venue_id', b.venue_id)
                                ORDER BY b.name->>'fi', b.id) AS boards
               FROM board_notices n
               JOIN board_notice_boards t ON t.notice_id = n.id AND t.withdrawn_at IS NULL
               JOIN notice_boards b ON b.id = t.board_id
               WHERE n.shown_until > $1
               GROUP BY n.id ORDER BY n.shown_until, n.id""", now)
        return [{**dict(r), "boards": [{**b, "id": UUID(b["id"])} for b in r["boards"]]}
                for r in rows]

    async def withdraw_board_notice(self, notice_id: UUID, board_id: UUID | None, who: str,
                                    now: datetime) -> int:
        """Take the notice off the board (None: every board): its delivery there is
        cancelled. The number of boards it was taken off."""
        taken = await self.conn.fetch(
            """UPDATE board_notice_boards
               SET withdrawn_at = $4, withdrawn_by = $3, updated_at = now()
               WHERE notice_id = $1 AND ($2::uuid IS NULL OR board_id = $2)
                 AND withdrawn_at IS NULL
               RETURNING board_id""", notice_id, board_id, who, now)
        if taken:
            await self.conn.execute(
                """UPDATE deliveries SET status = 'cancelled', decided_by = $3,
                          updated_at = now()
                   WHERE channel = 'notice_board' AND purpose = 'notice'
                     AND content->>'notice_id' = $1::text AND target = ANY($2::text[])
                     AND status = 'published'""",
                str(notice_id), [str(r["board_id"]) for r in taken], who)
        return len(taken)

    # --- activity events on boards ----------------------------------------------------------

    async def advance_event_for_planning(self, event_id: UUID, revision: int,
                                         status: str | None, venue_id: UUID | None,
                                         area: str | None, facts: dict[str, Any],
                                         venue_board: UUID | None, kind: str,
                                         followers: bool = False) -> Advanced | None:
        """Record `revision` (and the event's facts) as the event's newest, and read its
        boards (as boards_for) and the social accounts, in one statement, one round trip:
        None when the revision is not newer than the one kept (domain.is_newer_revision), a
        duplicate or a stale copy (then nothing is read); else "new" (first seen) or "newer",
        the boards and the accounts, and (`followers`, a publication) the followers of each
        new activity it matches; with the status the activity is left in (`status` None, an
        edit: the one it had) and the one it had before. Reads see the statement's snapshot,
        taken before the event's row lock (the boards, accounts and followers are not the
        event's; the event's topic partition orders its revisions)."""
        row = await self.conn.fetchrow(
            f"""WITH previous AS (SELECT status, facts FROM activity_events WHERE id = $1),
                advanced AS ({_ADVANCE_EVENT})
                SELECT seen, status, (SELECT status FROM previous) AS previous_status,
                       (SELECT facts FROM previous) AS previous_facts,
                       ({_boards_for("$7", "$5", "$8")}) AS boards,
                       ({_SOCIAL_ACCOUNTS}) AS accounts,
                       CASE WHEN $9 THEN ({_followers_of_new("$6::jsonb")}) END AS followers
                FROM advanced""",
            event_id, revision, status, venue_id, area, facts, venue_board, kind, followers)
        if row is None:
            return None
        accounts = [{**a, "id": UUID(a["id"]),
                     "venue_ids": ([UUID(v) for v in a["venue_ids"]]
                                   if a["venue_ids"] is not None else None)}
                    for a in row["accounts"]]
        return Advanced(row["seen"], _boards_of(row["boards"]), accounts,
                        _followers_of(row["followers"] or []), row["status"],
                        row["previous_status"], row["previous_facts"])

    async def withdraw_elsewhere(self, event_id: UUID, keep: list[UUID], revision: int) -> int:
        """Take the event off every board but those in `keep`: it moved to another venue or
        area, or away from venues. The rows keep the revision, so no older copy brings it
        back."""
        result = await self.conn.execute(
            """UPDATE board_items SET status = 'withdrawn', revision = $3, updated_at = now()
               WHERE activity_event_id = $1 AND NOT (board_id = ANY($2::uuid[]))
                 AND revision < $3""",
            event_id, keep, revision,
        )
        return int(result.split()[-1])

    async def show_on_boards(self, item: dict[str, Any],
                             shown: list[domain.BoardShowing]) -> int:
        """Show the item's newest revision on each board of `shown`, record each as a
        published delivery and write its events to the outbox: one statement, one round trip
        for all the boards. A board where the same or a newer revision is already shown, or
        whose delivery was already recorded, gets nothing written. Returns how many boards
        got the item."""
        if not shown:
            return 0
        written = await self.conn.fetchval(
            f"""WITH input AS (
                    SELECT * FROM unnest($1::uuid[], $12::uuid[], $13::text[])
                                  AS t(board_id, delivery_id, key)),
                item AS (
                    INSERT INTO board_items AS i (board_id, activity_event_id, revision,
                                                  status, name, starts_at, ends_at, kind, free,
                                                  space_id, place, registration_required,
                                                  all_day, price, reason)
                    SELECT board_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $16, $17,
                           $18::numeric, $19::text
                    FROM input
                    ON CONFLICT (board_id, activity_event_id) DO UPDATE
                      SET revision = EXCLUDED.revision, status = EXCLUDED.status,
                          name = EXCLUDED.name, starts_at = EXCLUDED.starts_at,
                          ends_at = EXCLUDED.ends_at, kind = EXCLUDED.kind,
                          free = EXCLUDED.free, space_id = EXCLUDED.space_id,
                          place = EXCLUDED.place,
                          registration_required = EXCLUDED.registration_required,
                          all_day = EXCLUDED.all_day, price = EXCLUDED.price,
                          reason = EXCLUDED.reason, updated_at = now()
                      WHERE i.revision < EXCLUDED.revision
                    RETURNING i.board_id),
                delivery AS (
                    INSERT INTO deliveries (id, activity_event_id, channel, target, revision,
                                            idempotency_key, status, published_at,
                                            traceparent)
                    SELECT input.delivery_id, $2, 'notice_board', input.board_id::text, $3,
                           input.key, 'published', now(), $14
                    FROM input JOIN item USING (board_id)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    RETURNING id),
                events AS ({INSERT_OUTBOX_ROWS_PER_ROW.format(
                    rows="$15", source="delivery", field="delivery_id")})
                SELECT count(*) FROM delivery""",
            [s.board_id for s in shown], item["activity_event_id"], item["revision"],
            item["status"], item["name"], item["starts_at"], item["ends_at"], item["kind"],
            item["free"], item.get("space_id"), item.get("place"),
            [s.delivery_id for s in shown], [s.key for s in shown],
            current_traceparent.get(),
            outbox_rows([event for s in shown for event in s.events]),
            item.get("registration_required", False), item.get("all_day", False),
            item.get("price"), item.get("reason"),
        )
        return int(written)

    # --- channel accounts -------------------------------------------------------------------

    async def upsert_account(self, account_id: UUID, data: dict[str, Any]) -> None:
        cols = ", ".join(ACCOUNT_FIELDS)
        values = ", ".join(f"${i + 2}" for i in range(len(ACCOUNT_FIELDS)))
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in ACCOUNT_FIELDS)
        await self.conn.execute(
            f"""INSERT INTO channel_accounts (id, {cols}) VALUES ($1, {values})
                ON CONFLICT (id) DO UPDATE SET {sets}, updated_at = now()""",
            account_id, *[data[c] for c in ACCOUNT_FIELDS])

    async def list_accounts(self, platform: str | None = None) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(ACCOUNT_COLUMNS)} FROM channel_accounts
                WHERE ($1::text IS NULL OR platform = $1) ORDER BY platform, name""", platform)
        return [dict(r) for r in rows]

    async def get_account(self, account_id: UUID, for_update: bool = False) -> Row | None:
        lock = " FOR UPDATE" if for_update else ""
        return _dict(await self.conn.fetchrow(
            f"SELECT {_cols(ACCOUNT_COLUMNS)} FROM channel_accounts WHERE id = $1{lock}",
            account_id))

    async def email_account(self) -> Row | None:
        """The sender of organisers' emails: the first enabled email account."""
        return _dict(await self.conn.fetchrow(
            f"""SELECT {_cols(ACCOUNT_COLUMNS)} FROM channel_accounts
                WHERE enabled AND platform = 'email' ORDER BY created_at, id LIMIT 1"""))

    async def set_account_state(self, account_id: UUID, state: str,
                                detail: str | None) -> None:
        await self.conn.execute(
            """UPDATE channel_accounts SET state = $2, state_detail = $3, updated_at = now()
               WHERE id = $1""", account_id, state, detail)

    async def pause_account(self, account_id: UUID, until: datetime) -> None:
        await self.conn.execute(
            """UPDATE channel_accounts SET paused_until = greatest(paused_until, $2)
               WHERE id = $1""", account_id, until)

    async def add_account_change(self, change: dict[str, Any]) -> None:
        """An audit row: who chose where an account's token goes, and when."""
        await self.conn.execute(
            f"""INSERT INTO channel_account_changes ({_cols(CHANGE_COLUMNS)})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            *[change[c] for c in CHANGE_COLUMNS])

    async def account_changes(self, account_id: UUID) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(CHANGE_COLUMNS)} FROM channel_account_changes
                WHERE account_id = $1 ORDER BY changed_at, id""", account_id)
        return [dict(r) for r in rows]

    async def count_reauth_needed(self) -> int:
        n: int = await self.conn.fetchval(
            "SELECT count(*) FROM channel_accounts WHERE state = 'reauth_needed'")
        return n

    # --- planning deliveries ----------------------------------------------------------------

    async def announced_accounts(self, event_id: UUID) -> set[UUID]:
        """Accounts that posted, or may have posted, the event's announcement."""
        rows = await self.conn.fetch(
            """SELECT DISTINCT account_id FROM deliveries
               WHERE activity_event_id = $1 AND purpose = 'announcement'
                 AND status IN ('published', 'sending', 'unconfirmed')""", event_id)
        return {r["account_id"] for r in rows}

    async def cancel_waiting(self, *, activity_event_id: UUID | None = None,
                             booking_id: UUID | None = None,
                             except_key: str | None = None) -> list[UUID]:
        """Drop what is still waiting to be sent about an event (or a booking): it says
        something older; but the delivery `except_key` names (what the change being planned
        planned itself, when it comes again). Posts being sent right now are left alone;
        they may be out."""
        rows = await self.conn.fetch(
            """UPDATE deliveries SET status = 'cancelled', recipient = NULL, updated_at = now(),
                      last_error = 'superseded by a newer change'
               WHERE status = 'pending' AND purpose <> 'board'
                 AND (activity_event_id = $1 OR booking_id = $2)
                 AND idempotency_key IS DISTINCT FROM $3
               RETURNING id""", activity_event_id, booking_id, except_key)
        return [r["id"] for r in rows]

    async def add_delivery(self, *, key: str, channel: str, target: str, revision: int,
                           purpose: str, status: str, due_at: datetime,
                           content: dict[str, Any] | None, language: str | None,
                           account_id: UUID | None = None,
                           activity_event_id: UUID | None = None,
                           booking_id: UUID | None = None, recipient: str | None = None,
                           error_class: str | None = None,
                           last_error: str | None = None) -> UUID | None:
        """A new delivery, or None when the same one (same idempotency key) already exists."""
        delivery_id = uuid4()
        inserted = await self.conn.fetchval(
            """INSERT INTO deliveries (id, activity_event_id, booking_id, account_id, channel,
                                       target, revision, purpose, idempotency_key, status,
                                       due_at, content, language, recipient, error_class,
                                       last_error, traceparent)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                       $17)
               ON CONFLICT (idempotency_key) DO NOTHING RETURNING true""",
            delivery_id, activity_event_id, booking_id, account_id, channel, target, revision,
            purpose, key, status, due_at, content, language, recipient, error_class,
            last_error, current_traceparent.get())
        return delivery_id if inserted else None

    # --- the sender: claims, leases and outcomes --------------------------------------------

    async def out_of_date(self, now: datetime, limit: int = 200) -> list[Row]:
        """Waiting deliveries that would say something out of date, locked for this
        transaction: an older revision than the event's newest (one that was being sent when
        a change came, and then fell back to waiting), or anything but a cancellation about
        an activity that has started."""
        rows = await self.conn.fetch(
            """SELECT d.id, d.purpose, d.account_id, d.activity_event_id, d.revision,
                      e.revision AS event_revision, e.status AS event_status, e.facts,
                      (e.facts->>'starts_at')::timestamptz <= $2 AS started
               FROM deliveries d JOIN activity_events e ON e.id = d.activity_event_id
               WHERE d.status = 'pending' AND d.purpose <> 'board'
                 AND (d.revision < e.revision
                      OR ((e.facts->>'starts_at')::timestamptz <= $2
                          AND d.purpose <> 'cancellation'))
               ORDER BY d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED""", limit, now)
        return [dict(r) for r in rows]

    async def cancel_delivery(self, delivery_id: UUID, reason: str) -> None:
        await self.conn.execute(
            """UPDATE deliveries SET status = 'cancelled', recipient = NULL, last_error = $2,
                      updated_at = now()
               WHERE id = $1 AND status = 'pending'""", delivery_id, reason)

    async def cancel_notices(self, event_id: UUID, account_id: UUID) -> None:
        """Drop change and cancellation notices waiting for an account that never announced
        the activity: they would tell residents about something they never heard of."""
        await self.conn.execute(
            """UPDATE deliveries SET status = 'cancelled', updated_at = now(),
                      last_error = 'the announcement it refers to was never posted'
               WHERE activity_event_id = $1 AND account_id = $2 AND status = 'pending'
                 AND purpose IN ('change', 'cancellation')""", event_id, account_id)

    async def claim_due(self, replica: str, lease_seconds: float, limit: int,
                        now: datetime) -> list[Row]:
        """Take up to `limit` deliveries due at `now` for this replica. SKIP LOCKED lets any
        number of replicas claim at once without waiting for each other or taking the same
        row; the lease says how long the claim holds if this replica dies while sending."""
        ids = await self.conn.fetch(
            """UPDATE deliveries d SET status = 'sending', claimed_by = $1,
                      lease_until = $4::timestamptz + make_interval(secs => $2),
                      attempts = attempts + 1, updated_at = now()
               WHERE d.id IN (
                   SELECT d2.id FROM deliveries d2
                   JOIN channel_accounts a ON a.id = d2.account_id
                   WHERE d2.status = 'pending' AND d2.due_at <= $4
                     AND a.enabled AND a.state = 'active'
                     AND (a.paused_until IS NULL OR a.paused_until <= $4)
                   ORDER BY d2.due_at, d2.id
                   LIMIT $3
                   FOR UPDATE OF d2 SKIP LOCKED)
               RETURNING d.id""", replica, lease_seconds, limit, now)
        if not ids:
            return []
        rows = await self.conn.fetch(
            _DELIVERY_WITH_ACCOUNT + " WHERE d.id = ANY($1::uuid[]) ORDER BY d.due_at, d.id",
            [r["id"] for r in ids])
        return [dict(r) for r in rows]

    async def release_claims(self, ids: list[UUID], replica: str, now: datetime) -> int:
        """End this replica's leases on `ids` at `now` (it shuts down mid-send): the next
        pass of any replica treats them as lost leases. Returns how many it still held."""
        released = await self.conn.fetch(
            """UPDATE deliveries SET lease_until = $3, updated_at = now()
               WHERE id = ANY($1::uuid[]) AND claimed_by = $2 AND status = 'sending'
               RETURNING id""", ids, replica, now)
        return len(released)

    async def lost_leases(self, now: datetime, limit: int = 100) -> list[Row]:
        """Deliveries whose sender vanished mid-send (lease over), locked for this
        transaction."""
        rows = await self.conn.fetch(
            _DELIVERY_WITH_ACCOUNT + """
            WHERE d.status = 'sending' AND d.lease_until < $2
            ORDER BY d.lease_until LIMIT $1 FOR UPDATE OF d SKIP LOCKED""", limit, now)
        return [dict(r) for r in rows]

    async def get_delivery(self, delivery_id: UUID, for_update: bool = False) -> Row | None:
        lock = " FOR UPDATE OF d" if for_update else ""
        return _dict(await self.conn.fetchrow(
            _DELIVERY_WITH_ACCOUNT + f" WHERE d.id = $1{lock}", delivery_id))

    async def mark_published(self, delivery_id: UUID, replica: str, remote_id: str,
                             remote_url: str | None, now: datetime) -> bool:
        """Record the platform's answer; False when this replica no longer holds the delivery
        (its lease ran out and another replica or a person took it over)."""
        done = await self.conn.fetchval(
            """UPDATE deliveries SET status = 'published', published_at = $5, remote_id = $3,
                      remote_url = $4, recipient = NULL, lease_until = NULL, last_error = NULL,
                      error_class = NULL, updated_at = now()
               WHERE id = $1 AND claimed_by = $2
                 -- Also after its lease ran out and it was given up or made due again: it is
                 -- still this replica's claim, and it did go out.
                 AND status IN ('sending', 'unconfirmed', 'pending')
               RETURNING true""", delivery_id, replica, remote_id, remote_url, now)
        return bool(done)

    async def mark_outcome(self, delivery_id: UUID, replica: str | None, *, status: str,
                           due_at: datetime | None, error_class: str | None,
                           error: str | None, now: datetime, undo_attempt: bool = False,
                           maybe_sent: bool = False) -> bool:
        """Move a delivery to `status` after a failed try (or a lost lease when replica is
        None); `maybe_sent` notes when a try first may have posted."""
        done = await self.conn.fetchval(
            """UPDATE deliveries SET status = $3, due_at = coalesce($4, due_at),
                      error_class = $5, last_error = $6, lease_until = NULL,
                      attempts = attempts - CASE WHEN $7 THEN 1 ELSE 0 END,
                      recipient = CASE WHEN $3 = 'failed' THEN NULL ELSE recipient END,
                      maybe_sent_at = CASE WHEN $8 THEN coalesce(maybe_sent_at, $9)
                                           ELSE maybe_sent_at END,
                      updated_at = now()
               WHERE id = $1 AND status = 'sending' AND ($2::text IS NULL OR claimed_by = $2)
               RETURNING true""",
            delivery_id, replica, status, due_at, error_class, error, undo_attempt, maybe_sent,
            now)
        return bool(done)

    async def past_resend_window(self, channel: str, seconds: float,
                                 now: datetime) -> list[Row]:
        """Waiting deliveries whose earlier try may have posted longer ago than the platform
        dedupes a re-send: unconfirmed now, for a person to decide."""
        rows = await self.conn.fetch(
            f"""UPDATE deliveries SET status = 'unconfirmed', error_class = 'unconfirmed',
                       updated_at = now(),
                       last_error = 'an earlier try may have posted, and the platform no '
                                    || 'longer recognises a re-send of it'
                WHERE status = 'pending' AND channel = $1
                  AND maybe_sent_at < $3::timestamptz - make_interval(secs => $2)
                RETURNING {_cols(DELIVERY_COLUMNS)}""", channel, seconds, now)
        return [dict(r) for r in rows]

    async def count_deliveries(self) -> list[tuple[str, str, int]]:
        """(channel, status, how many) over every replica's deliveries."""
        rows = await self.conn.fetch(
            "SELECT channel, status, count(*) AS n FROM deliveries GROUP BY 1, 2")
        return [(r["channel"], r["status"], r["n"]) for r in rows]

    # --- what communications staff see and decide -------------------------------------------

    async def list_deliveries(self, activity_event_id: UUID | None, channel: str | None,
                              status: str | None) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(DELIVERY_COLUMNS)} FROM deliveries
                WHERE ($1::uuid IS NULL OR activity_event_id = $1)
                  AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR status = $3)
                ORDER BY created_at DESC, revision DESC, id LIMIT 500""",
            activity_event_id, channel, status,
        )
        return [dict(r) for r in rows]

    async def needs_attention(self) -> list[Row]:
        """Failed and unconfirmed deliveries, with what staff recognise them by: the
        activity's name and start (and whether it is a whole day), and its venue's name
        (from the venue's board). Of an activity's post planned again for a newer revision
        (its time moved before it went out), the newest only: the older one says what no
        longer holds, and each asked a decision of its own."""
        rows = await self.conn.fetch(
            f"""SELECT {_cols(DELIVERY_COLUMNS, "d")}, a.platform, a.name AS account_name,
                       e.facts->'name' AS activity_name, e.facts->>'starts_at' AS starts_at,
                       coalesce((e.facts->>'all_day')::boolean, false) AS all_day,
                       vb.name AS venue_name
                FROM deliveries d JOIN channel_accounts a ON a.id = d.account_id
                LEFT JOIN activity_events e ON e.id = d.activity_event_id
                LEFT JOIN notice_boards vb ON vb.venue_id = e.venue_id
                WHERE d.status IN ('failed', 'unconfirmed')
                  AND NOT (d.activity_event_id IS NOT NULL AND EXISTS (
                      SELECT 1 FROM deliveries n
                      WHERE n.activity_event_id = d.activity_event_id
                        AND n.account_id = d.account_id AND n.purpose = d.purpose
                        AND n.revision > d.revision))
                  -- A cancelled activity's post that did not go asks nothing: only its
                  -- cancellation notice still matters.
                  AND NOT (coalesce(e.status, '') = 'cancelled' AND d.purpose <> 'cancellation')
                ORDER BY d.updated_at DESC LIMIT 500""")
        return [dict(r) for r in rows]

    async def skipped_posts(self, now: datetime) -> list[Row]:
        """Posts recorded as not sent because their channel cannot carry them (Instagram and
        no image), of activities not started yet and not cancelled: one per activity and
        account (its newest revision's; the announcement before a reminder), none where a
        newer revision's post was planned in its place (an image added). Soonest first, with
        what staff recognise them by, as `needs_attention` gives them."""
        rows = await self.conn.fetch(
            f"""SELECT * FROM (
                  SELECT DISTINCT ON (d.activity_event_id, d.account_id)
                         {_cols(DELIVERY_COLUMNS, "d")}, a.platform, a.name AS account_name,
                         e.facts->'name' AS activity_name, e.facts->>'starts_at' AS starts_at,
                         coalesce((e.facts->>'all_day')::boolean, false) AS all_day,
                         vb.name AS venue_name
                  FROM deliveries d JOIN channel_accounts a ON a.id = d.account_id
                  JOIN activity_events e ON e.id = d.activity_event_id
                  LEFT JOIN notice_boards vb ON vb.venue_id = e.venue_id
                  WHERE d.status = 'skipped' AND e.status <> 'cancelled'
                    AND (e.facts->>'starts_at')::timestamptz > $1
                    AND NOT EXISTS (
                        SELECT 1 FROM deliveries n
                        WHERE n.activity_event_id = d.activity_event_id
                          AND n.account_id = d.account_id AND n.purpose = d.purpose
                          AND n.revision > d.revision)
                  ORDER BY d.activity_event_id, d.account_id, d.revision DESC,
                           d.purpose <> 'announcement', d.id) s
                ORDER BY s.starts_at::timestamptz, s.platform, s.id LIMIT 500""", now)
        return [dict(r) for r in rows]

    async def planned_between(self, start: datetime, end: datetime) -> list[Row]:
        """Posts and reminders waiting to go out before `end` (those due before `start` are
        going out now), with their activity's name and account: the coming week per
        channel."""
        rows = await self.conn.fetch(
            f"""SELECT {_cols(DELIVERY_COLUMNS, "d")}, a.platform, a.name AS account_name,
                       e.facts->'name' AS activity_name
                FROM deliveries d JOIN channel_accounts a ON a.id = d.account_id
                LEFT JOIN activity_events e ON e.id = d.activity_event_id
                WHERE d.status = 'pending' AND d.purpose <> 'board' AND d.channel <> 'email'
                  AND d.due_at < $2
                ORDER BY greatest(d.due_at, $1), a.platform, d.id LIMIT 1000""", start, end)
        return [dict(r) for r in rows]

    async def pending_series_mail(self, series_id: UUID, group: str) -> Row | None:
        """The cancellation mail of a series' times that waits to be sent (`SERIES_MAIL_HOLD`)
        for times of the same `group` (domain.series_mail_group), locked for this
        transaction; None when none waits. The series' planning takes turns first (a lock on
        the series until commit), so times cancelled together and handled side by side, in
        other transactions, still find the one mail rather than each start their own."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
                                f"series-mail:{series_id}")
        row = await self.conn.fetchrow(
            """SELECT id, booking_id, content FROM deliveries
               WHERE status = 'pending' AND purpose = 'booking_cancelled'
                 AND content -> 'series' ->> 'id' = $1 AND content -> 'series' ->> 'group' = $2
               ORDER BY created_at, id LIMIT 1 FOR UPDATE""", str(series_id), group)
        return dict(row) if row is not None else None

    async def set_content(self, delivery_id: UUID, content: dict[str, Any],
                          language: str | None) -> None:
        """A waiting delivery's content rendered again (a series' mail with another time)."""
        await self.conn.execute(
            """UPDATE deliveries SET content = $2, language = $3, updated_at = now()
               WHERE id = $1 AND status = 'pending'""", delivery_id, content, language)

    async def set_content_text(self, delivery_id: UUID, text: str) -> None:
        """Staff's own wording of a post, sent instead of the rendered one."""
        await self.conn.execute(
            """UPDATE deliveries SET content = jsonb_set(content, '{text}', to_jsonb($2::text)),
                      updated_at = now()
               WHERE id = $1 AND content IS NOT NULL""", delivery_id, text)

    async def decide(self, delivery_id: UUID, *, to: str, allowed_from: tuple[str, ...],
                     who: str, now: datetime, remote_url: str | None = None) -> bool:
        """A person's decision on a delivery: retry (due now), cancel, or confirm that it did
        appear on the platform. False when the delivery is not in a state that allows it."""
        done = await self.conn.fetchval(
            """UPDATE deliveries SET status = $2, decided_by = $4, updated_at = now(),
                      due_at = CASE WHEN $2 = 'pending' THEN $6 ELSE due_at END,
                      attempts = CASE WHEN $2 = 'pending' THEN 0 ELSE attempts END,
                      published_at = CASE WHEN $2 = 'published' THEN $6 ELSE published_at END,
                      remote_url = coalesce($5, remote_url),
                      recipient = CASE WHEN $2 IN ('cancelled', 'published') THEN NULL
                                       ELSE recipient END
               WHERE id = $1 AND status = ANY($3::text[])
               RETURNING true""", delivery_id, to, list(allowed_from), who, remote_url, now)
        return bool(done)

    # --- registration (issue #18): who signed up stays here --------------------------------

    async def lock_activity(self, event_id: UUID) -> Row | None:
        """The activity's newest status and facts, its row locked: sign-ups, cancellations
        and the event's own changes for one activity run one at a time, so the last seat
        goes to one person."""
        return _dict(await self.conn.fetchrow(
            """SELECT id, revision, status, facts FROM activity_events WHERE id = $1
               FOR UPDATE""", event_id))

    async def activities_of_booking(self, booking_id: UUID) -> list[Row]:
        """The activity events held in a booking, as this service last heard of them."""
        rows = await self.conn.fetch(
            """SELECT id, revision, status, facts, attendance_reported_at FROM activity_events
               WHERE facts ->> 'booking_id' = $1::text ORDER BY id""", str(booking_id))
        return [dict(r) for r in rows]

    async def note_attendance_reported(self, event_id: UUID, at: datetime) -> None:
        await self.conn.execute(
            """UPDATE activity_events SET attendance_reported_at = $2
               WHERE id = $1 AND attendance_reported_at IS NULL""", event_id, at)

    async def get_activity(self, event_id: UUID) -> Row | None:
        return _dict(await self.conn.fetchrow(
            "SELECT id, revision, status, facts FROM activity_events WHERE id = $1", event_id))

    async def registration_settings(self, event_id: UUID) -> Row | None:
        return _dict(await self.conn.fetchrow(
            f"""SELECT {_cols(REG_SETTINGS_COLUMNS)} FROM registration_settings
                WHERE activity_event_id = $1""", event_id))

    async def save_registration_settings(self, event_id: UUID, data: dict[str, Any],
                                         now: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO registration_settings (activity_event_id, opens_at, closes_at,
                                                  max_group, capacity, questions, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (activity_event_id) DO UPDATE
                 SET opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at,
                     max_group = EXCLUDED.max_group, capacity = EXCLUDED.capacity,
                     questions = EXCLUDED.questions, updated_at = EXCLUDED.updated_at""",
            event_id, data["opens_at"], data["closes_at"], data["max_group"],
            data["capacity"], data["questions"], now)

    async def seat_counts(self, event_id: UUID) -> Row:
        """confirmed_seats, waiting_seats, waiting (registrations), attended_seats."""
        row = await self.conn.fetchrow(
            """SELECT coalesce(sum(seats) FILTER (WHERE status = 'confirmed'), 0)
                        AS confirmed_seats,
                      coalesce(sum(seats) FILTER (WHERE status = 'waiting'), 0)
                        AS waiting_seats,
                      count(*) FILTER (WHERE status = 'waiting') AS waiting,
                      coalesce(sum(seats) FILTER (WHERE status = 'confirmed' AND attended), 0)
                        AS attended_seats
               FROM registrations WHERE activity_event_id = $1""", event_id)
        assert row is not None
        return {k: int(v) for k, v in dict(row).items()}

    async def address_registered(self, event_id: UUID, email: str) -> bool:
        return bool(await self.conn.fetchval(
            """SELECT true FROM registrations WHERE activity_event_id = $1
                 AND lower(email) = lower($2) AND status <> 'cancelled'""", event_id, email))

    async def live_registration(self, event_id: UUID, email: str) -> Row | None:
        """The address's registration for the activity that is not cancelled, locked (its
        confirmation is mailed again one request at a time)."""
        return _dict(await self.conn.fetchrow(
            f"""SELECT {_cols(REGISTRATION_COLUMNS)} FROM registrations
                WHERE activity_event_id = $1 AND lower(email) = lower($2)
                  AND status <> 'cancelled' AND anonymised_at IS NULL
                FOR UPDATE""", event_id, email))

    async def note_confirmation_resent(self, registration_id: UUID, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE registrations SET confirmation_resent_at = $2 WHERE id = $1",
            registration_id, at)

    async def registrations_since(self, email: str, since: datetime, limit: int) -> Counted:
        """The address's sign-ups (for any activity) since `since`, against `limit`."""
        return Counted.from_row(await self.conn.fetchrow(
            """SELECT count(*) AS count,
                      (array_agg(created_at ORDER BY created_at))[(count(*) - $3 + 1)::int]
                        AS making_room
               FROM registrations
               WHERE lower(email) = lower($1) AND created_at >= $2 AND email IS NOT NULL""",
            email, since, limit), limit)

    async def note_mail_request(self, sender: str, at: datetime, since: datetime,
                                limit: int) -> Counted:
        """Note a mail a public form asks for, and count what this client asked for before
        it since `since` (the note is undone with the transaction when it is refused). The
        client's requests take turns (a lock on its hash until commit), so ten at once from
        one network are counted one after the other, not each as the first."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
                                f"public-mail:{sender}")
        return Counted.from_row(await self.conn.fetchrow(
            """WITH noted AS (INSERT INTO public_mail_requests (sender, at) VALUES ($1, $2))
               SELECT count(*) AS count,
                      (array_agg(at ORDER BY at))[(count(*) - $4 + 1)::int] AS making_room
               FROM public_mail_requests
               WHERE sender = $1 AND at >= $3""", sender, at, since, limit), limit)

    async def forget_mail_requests(self, before: datetime) -> int:
        result = await self.conn.execute(
            "DELETE FROM public_mail_requests WHERE at < $1", before)
        return int(result.split()[-1])

    async def insert_registration(self, row: dict[str, Any]) -> None:
        await self.conn.execute(
            """INSERT INTO registrations (id, activity_event_id, status, seats, name, email,
                                          language, answers, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)""",
            row["id"], row["activity_event_id"], row["status"], row["seats"], row["name"],
            row["email"], row["language"], row["answers"], row["created_at"])

    async def get_registration(self, registration_id: UUID,
                               for_update: bool = False) -> Row | None:
        lock = " FOR UPDATE" if for_update else ""
        return _dict(await self.conn.fetchrow(
            f"SELECT {_cols(REGISTRATION_COLUMNS)} FROM registrations WHERE id = $1{lock}",
            registration_id))

    async def set_registration_status(self, registration_id: UUID, status: str,
                                      now: datetime) -> None:
        await self.conn.execute(
            """UPDATE registrations SET status = $2, updated_at = $3,
                      cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END
               WHERE id = $1""", registration_id, status, now)

    async def waiting_list(self, event_id: UUID) -> list[tuple[UUID, int]]:
        rows = await self.conn.fetch(
            """SELECT id, seats FROM registrations
               WHERE activity_event_id = $1 AND status = 'waiting'
               ORDER BY created_at, id""", event_id)
        return [(r["id"], r["seats"]) for r in rows]

    async def registrations_of(self, event_id: UUID,
                               statuses: tuple[str, ...] = ("confirmed", "waiting")
                               ) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(REGISTRATION_COLUMNS)} FROM registrations
                WHERE activity_event_id = $1 AND status = ANY($2::text[])
                ORDER BY status, created_at, id""", event_id, list(statuses))
        return [dict(r) for r in rows]

    async def mark_attended(self, event_id: UUID, marks: dict[UUID, bool],
                            now: datetime) -> int:
        """Each confirmed registration of the activity among `marks` as came or not, in one
        statement (a list of thousands was a statement each); how many were."""
        return len(await self.conn.fetch(
            """UPDATE registrations AS r SET attended = m.attended, updated_at = $4
               FROM unnest($2::uuid[], $3::bool[]) AS m(id, attended)
               WHERE r.id = m.id AND r.activity_event_id = $1 AND r.status = 'confirmed'
               RETURNING r.id""", event_id, list(marks), list(marks.values()), now))

    async def next_counts_sequence(self, event_id: UUID) -> int:
        sequence: int = await self.conn.fetchval(
            """INSERT INTO registration_counts AS c (activity_event_id, sequence)
               VALUES ($1, 1)
               ON CONFLICT (activity_event_id) DO UPDATE SET sequence = c.sequence + 1
               RETURNING sequence""", event_id)
        return sequence

    async def anonymise_registrations(self, cutoff: datetime, now: datetime,
                                      limit: int = 1000) -> int:
        """Names, addresses and answers of registrations for activities that ended before
        `cutoff`: erased (the counts and attendance stay)."""
        result = await self.conn.fetchval(
            """WITH old AS (
                   SELECT r.id FROM registrations r
                   JOIN activity_events e ON e.id = r.activity_event_id
                   WHERE r.anonymised_at IS NULL
                     AND (e.facts->>'ends_at')::timestamptz <= $1
                   ORDER BY r.id LIMIT $3 FOR UPDATE OF r SKIP LOCKED),
               done AS (
                   UPDATE registrations r SET name = NULL, email = NULL, answers = '{}',
                          anonymised_at = $2, updated_at = $2
                   FROM old WHERE r.id = old.id RETURNING 1)
               SELECT count(*) FROM done""", cutoff, now, limit)
        return int(result or 0)

    async def add_reach_delivery(self, *, key: str, purpose: str, account_id: UUID,
                                 due_at: datetime, content: dict[str, Any], language: str,
                                 recipient: str, revision: int = 0,
                                 registration_id: UUID | None = None,
                                 subscription_id: UUID | None = None) -> UUID | None:
        """An email to a resident (registration or following); None when the same one (same
        key) was planned before. Not tied to an activity's posts (activity_event_id NULL):
        a change of the activity does not cancel it."""
        delivery_id = uuid4()
        inserted = await self.conn.fetchval(
            """INSERT INTO deliveries (id, account_id, channel, target, revision, purpose,
                                       idempotency_key, status, due_at, content, language,
                                       recipient, registration_id, subscription_id,
                                       traceparent)
               VALUES ($1, $2, 'email', $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11, $12,
                       $13)
               ON CONFLICT (idempotency_key) DO NOTHING RETURNING true""",
            delivery_id, account_id, f"{account_id}:{purpose}", revision, purpose, key,
            due_at, content, language, recipient, registration_id, subscription_id,
            current_traceparent.get())
        return delivery_id if inserted else None

    async def existing_delivery_keys(self, keys: list[str]) -> set[str]:
        """Which of these deliveries' idempotency keys were planned (whatever became of
        them): one indexed look-up (the key is unique)."""
        if not keys:
            return set()
        rows = await self.conn.fetch(
            "SELECT idempotency_key FROM deliveries WHERE idempotency_key = ANY($1::text[])",
            keys)
        return {r["idempotency_key"] for r in rows}

    # --- following ------------------------------------------------------------------------

    async def insert_subscription(self, row: dict[str, Any]) -> None:
        await self.conn.execute(
            """INSERT INTO subscriptions (id, email, language, status, venue_ids, areas, topics,
                                          audiences, kinds, each_new, created_at)
               VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10)""",
            row["id"], row["email"], row["language"], row["venue_ids"], row["areas"],
            row["topics"], row["audiences"], row["kinds"], row["each_new"], row["created_at"])

    async def subscriptions_since(self, email: str, since: datetime, limit: int) -> Counted:
        return Counted.from_row(await self.conn.fetchrow(
            """SELECT count(*) AS count,
                      (array_agg(created_at ORDER BY created_at))[(count(*) - $3 + 1)::int]
                        AS making_room
               FROM subscriptions
               WHERE lower(email) = lower($1) AND created_at >= $2""", email, since, limit),
            limit)

    async def confirmations_since(self, email: str, since: datetime, limit: int) -> Counted:
        """The confirmation mails planned to an address since `since` (a new subscription's,
        those mailed again, and 'you follow these already'), by their subscriptions (a mail
        sent forgets its address)."""
        return Counted.from_row(await self.conn.fetchrow(
            """SELECT count(*) AS count,
                      (array_agg(due_at ORDER BY due_at))[(count(*) - $3 + 1)::int]
                        AS making_room
               FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
               WHERE d.purpose IN ('subscription_confirm', 'subscription_known')
                 AND lower(s.email) = lower($1)
                 AND d.due_at >= $2""", email, since, limit), limit)

    async def lock_address(self, email: str) -> None:
        """One address's follows take turns until commit (two forms sent at once)."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
                                f"follow:{email.lower()}")

    async def live_subscriptions_of(self, email: str) -> list[Row]:
        """An address's pending and active subscriptions, oldest first."""
        rows = await self.conn.fetch(
            f"""SELECT {_cols(SUBSCRIPTION_COLUMNS)} FROM subscriptions
                WHERE lower(email) = lower($1) AND status <> 'unsubscribed'
                ORDER BY created_at, id""", email)
        return [dict(r) for r in rows]

    async def get_subscription(self, subscription_id: UUID,
                               for_update: bool = False) -> Row | None:
        lock = " FOR UPDATE" if for_update else ""
        return _dict(await self.conn.fetchrow(
            f"SELECT {_cols(SUBSCRIPTION_COLUMNS)} FROM subscriptions WHERE id = $1{lock}",
            subscription_id))

    async def update_subscription(self, subscription_id: UUID, data: dict[str, Any]) -> None:
        await self.conn.execute(
            """UPDATE subscriptions SET language = $2, venue_ids = $3, areas = $4, topics = $5,
                      audiences = $6, kinds = $7, each_new = $8
               WHERE id = $1""", subscription_id, data["language"], data["venue_ids"],
            data["areas"], data["topics"], data["audiences"], data["kinds"], data["each_new"])

    async def set_subscription_status(self, subscription_id: UUID, status: str,
                                      now: datetime) -> None:
        await self.conn.execute(
            """UPDATE subscriptions SET status = $2,
                      confirmed_at = CASE WHEN $2 = 'active' THEN coalesce(confirmed_at, $3)
                                          ELSE confirmed_at END,
                      unsubscribed_at = CASE WHEN $2 = 'unsubscribed' THEN $3 END
               WHERE id = $1""", subscription_id, status, now)

    async def active_subscriptions(self, limit: int = 500) -> list[Row]:
        rows = await self.conn.fetch(
            f"""SELECT {_cols(SUBSCRIPTION_COLUMNS)} FROM subscriptions
                WHERE status = 'active'
                ORDER BY last_digest_at NULLS FIRST, id LIMIT $1
                FOR UPDATE SKIP LOCKED""", limit)
        return [dict(r) for r in rows]

    async def mark_digest(self, subscription_id: UUID, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE subscriptions SET last_digest_at = $2 WHERE id = $1", subscription_id, now)

    async def upcoming_activities(self, since: datetime, until: datetime,
                                  limit: int = 2000) -> list[Row]:
        """Published (or changed, not cancelled) activities starting in [since, until), with
        their facts, soonest first."""
        rows = await self.conn.fetch(
            """SELECT id, revision, status, facts, updated_at FROM activity_events
               WHERE status IN ('published', 'postponed') AND facts IS NOT NULL
                 AND (facts->>'starts_at')::timestamptz >= $1
                 AND (facts->>'starts_at')::timestamptz < $2
               ORDER BY (facts->>'starts_at')::timestamptz, id LIMIT $3""",
            since, until, limit)
        return [dict(r) for r in rows]

    async def forget_old_subscriptions(self, cutoff: datetime) -> int:
        """Unsubscribed or never confirmed subscriptions older than `cutoff`: deleted."""
        result = await self.conn.fetchval(
            """WITH gone AS (DELETE FROM subscriptions
                             WHERE (status = 'unsubscribed' AND unsubscribed_at <= $1)
                                OR (status = 'pending' AND created_at <= $1)
                             RETURNING 1)
               SELECT count(*) FROM gone""", cutoff)
        return int(result or 0)

    async def save_vocabulary_term(self, scheme: str, code: str, label: dict[str, Any],
                                   revision: int, retired: bool = False) -> bool:
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
               RETURNING true""", scheme, code, label, revision, retired))

    async def known_venues(self, venue_ids: Sequence[UUID]) -> set[UUID]:
        """Which of `venue_ids` this service knows: each venue it heard of has its board."""
        return {r["venue_id"] for r in await self.conn.fetch(
            "SELECT venue_id FROM notice_boards WHERE venue_id = ANY($1::uuid[])",
            list(venue_ids))}

    async def retired_terms(self) -> set[tuple[str, str]]:
        """The terms (scheme, code) the events service told retired."""
        return {(r["scheme"], r["code"]) for r in await self.conn.fetch(
            "SELECT scheme, code FROM vocabulary_terms WHERE retired")}

    async def vocabulary_labels(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The events service's words for its codes: scheme (kind, topic, audience) → code
        → {fi, sv, en}, as it last told them."""
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for r in await self.conn.fetch("SELECT scheme, code, label FROM vocabulary_terms"):
            found.setdefault(r["scheme"], {})[r["code"]] = r["label"]
        return found

    async def vocabulary_seen(self) -> dict[str, list[str]]:
        """The areas, topics, audiences and kinds of the activities seen (not cancelled)."""
        row = await self.conn.fetchrow(
            """SELECT coalesce(array_agg(DISTINCT area) FILTER (WHERE area IS NOT NULL), '{}')
                        AS areas,
                      coalesce((SELECT array_agg(DISTINCT t) FROM activity_events e2,
                                jsonb_array_elements_text(e2.facts->'topics') t
                                WHERE e2.status <> 'cancelled'), '{}') AS topics,
                      coalesce((SELECT array_agg(DISTINCT a) FROM activity_events e3,
                                jsonb_array_elements_text(e3.facts->'audiences') a
                                WHERE e3.status <> 'cancelled'), '{}') AS audiences,
                      coalesce(array_agg(DISTINCT facts->>'kind')
                               FILTER (WHERE facts IS NOT NULL), '{}') AS kinds
               FROM activity_events WHERE status <> 'cancelled'""")
        assert row is not None
        return {k: list(v) for k, v in dict(row).items()}
