"""All SQL of the guide (asyncpg), with explicit column lists. A `GuideStore` works on one
connection; its caller (a unit of work) owns the transaction."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from services.guide.domain import Activity, Conversation, Hours, Lendable, Message, Venue
from shared.accessibility import known_features
from shared.db import Connection

_VENUE_COLUMNS = ("venue_id, revision, name, kind, area, municipality, address, spaces, "
                  "opening_hours, exceptions, contact_email, contact_phone, accessibility, "
                  "has_paid_space, accessibility_features, lendables")
_ACTIVITY_COLUMNS = ("event_id, status, name, starts_at, ends_at, venue_id, area, free, "
                     "topics, audiences, place_name, languages, registration_required, all_day")
_CONVERSATION_COLUMNS = ("conversation_id, created_at, updated_at, language, channel, status, "
                         "queue, area, contact_email")
_CONFIG = {"fi": "finnish", "sv": "swedish", "en": "english"}
#: A search word: letters and digits, hyphenated parts joined ("lautapeli-ilta").
_LEXEME = re.compile(r"^(?=.{2,40}$)[a-z0-9]+(?:-[a-z0-9]+)*$")


def _hours(items: list[dict[str, Any]]) -> tuple[Hours, ...]:
    return tuple(Hours(opens=h.get("opens"), closes=h.get("closes"),
                       kind=h.get("kind") or "staffed", weekday=h.get("weekday"),
                       day=date.fromisoformat(h["day"]) if h.get("day") else None,
                       space_id=UUID(h["space_id"]) if h.get("space_id") else None,
                       reason=dict(h["reason"]) if isinstance(h.get("reason"), dict) else None)
                 for h in items)


def _venue(row: asyncpg.Record) -> Venue:
    return Venue(
        venue_id=row["venue_id"], name=dict(row["name"]), kind=row["kind"], area=row["area"],
        address=row["address"], hours=_hours(row["opening_hours"]),
        exceptions=_hours(row["exceptions"]), contact_email=row["contact_email"],
        contact_phone=row["contact_phone"],
        accessibility=dict(row["accessibility"]) if row["accessibility"] else None,
        has_paid_space=row["has_paid_space"],
        accessibility_features=known_features(row["accessibility_features"]),
        lendables=tuple(Lendable(dict(item["name"]), int(item["quantity"]))
                        for item in row["lendables"]),
        spaces=tuple((UUID(s["space_id"]), dict(s["name"])) for s in row["spaces"]),
        # Copies from before booking carried prices have none: not quoted, never made up.
        prices=tuple((UUID(s["space_id"]), Decimal(s["price_per_hour"]))
                     for s in row["spaces"] if s.get("price_per_hour") is not None),
        paid_spaces=tuple(UUID(s["space_id"]) for s in row["spaces"] if s.get("paid")),
        # Copies from before the guide kept capacities have none: the space named alone.
        capacities=tuple((UUID(s["space_id"]), int(s["capacity"])) for s in row["spaces"]
                         if s.get("capacity") is not None),
        # Copies from before the guide kept it have none: a space's bookable hours not known.
        beyond_staffed=tuple((UUID(s["space_id"]), bool(s["self_service"]))
                             for s in row["spaces"] if s.get("self_service") is not None))


def _activity(row: asyncpg.Record) -> Activity:
    return Activity(
        event_id=row["event_id"], name=dict(row["name"]), starts_at=row["starts_at"],
        ends_at=row["ends_at"], status=row["status"], venue_id=row["venue_id"],
        area=row["area"], free=row["free"], topics=tuple(row["topics"]),
        audiences=tuple(row["audiences"]),
        place_name=dict(row["place_name"]) if row["place_name"] else None,
        languages=tuple(row["languages"]),
        registration_required=row["registration_required"], all_day=row["all_day"])


def _conversation(row: asyncpg.Record) -> Conversation:
    return Conversation(
        conversation_id=row["conversation_id"], created_at=row["created_at"],
        updated_at=row["updated_at"], language=row["language"], channel=row["channel"],
        status=row["status"], queue=row["queue"], area=row["area"],
        contact_email=row["contact_email"])


class GuideStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- the read model ----------------------------------------------------------------

    async def save_venue(self, data: dict[str, Any]) -> bool:
        """Insert or replace the venue unless the stored revision is newer; True if saved."""
        row = await self.conn.fetchrow(
            f"""INSERT INTO venues ({_VENUE_COLUMNS})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                        $16)
                ON CONFLICT (venue_id) DO UPDATE SET
                    revision = EXCLUDED.revision, name = EXCLUDED.name,
                    kind = EXCLUDED.kind, area = EXCLUDED.area,
                    municipality = EXCLUDED.municipality, address = EXCLUDED.address,
                    spaces = EXCLUDED.spaces, opening_hours = EXCLUDED.opening_hours,
                    exceptions = EXCLUDED.exceptions,
                    contact_email = EXCLUDED.contact_email,
                    contact_phone = EXCLUDED.contact_phone,
                    accessibility = EXCLUDED.accessibility,
                    has_paid_space = EXCLUDED.has_paid_space,
                    accessibility_features = EXCLUDED.accessibility_features,
                    lendables = EXCLUDED.lendables
                WHERE venues.revision <= EXCLUDED.revision
                RETURNING venue_id""",
            data["venue_id"], data["revision"], data["name"], data["kind"], data["area"],
            data["municipality"], data["address"], data["spaces"], data["opening_hours"],
            data["exceptions"], data["contact_email"], data["contact_phone"],
            data["accessibility"], data["has_paid_space"],
            list(data.get("accessibility_features") or ()), list(data.get("lendables") or ()))
        return row is not None

    async def save_activity(self, data: dict[str, Any]) -> bool:
        row = await self.conn.fetchrow(
            """INSERT INTO activities (event_id, revision, status, name, short_description,
                   starts_at, ends_at, kind, venue_id, area, free, topics, audiences,
                   languages, place_name, registration_required, all_day)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                       $16, $17)
               ON CONFLICT (event_id) DO UPDATE SET
                   revision = EXCLUDED.revision, status = EXCLUDED.status,
                   name = EXCLUDED.name, short_description = EXCLUDED.short_description,
                   starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                   kind = EXCLUDED.kind, venue_id = EXCLUDED.venue_id, area = EXCLUDED.area,
                   free = EXCLUDED.free, topics = EXCLUDED.topics,
                   audiences = EXCLUDED.audiences, languages = EXCLUDED.languages,
                   place_name = EXCLUDED.place_name,
                   registration_required = EXCLUDED.registration_required,
                   all_day = EXCLUDED.all_day
               WHERE activities.revision <= EXCLUDED.revision
               RETURNING event_id""",
            data["event_id"], data["revision"], data["status"], data["name"],
            data["short_description"], data["starts_at"], data["ends_at"], data["kind"],
            data["venue_id"], data["area"], data["free"], data["topics"], data["audiences"],
            data["languages"], data["place_name"], data["registration_required"],
            bool(data.get("all_day")))
        return row is not None

    async def venues(self) -> list[Venue]:
        rows = await self.conn.fetch(f"SELECT {_VENUE_COLUMNS} FROM venues ORDER BY area")
        return [_venue(r) for r in rows]

    async def venues_like(self, text: str, limit: int = 3) -> list[Venue]:
        """Venues whose names resemble words of `text` (trigram word similarity over the
        folded names): a misspelt or unlisted place name still finds its venue. The folded
        text is a sub-select, computed once per statement even in a generic plan."""
        rows = await self.conn.fetch(
            f"""SELECT {_VENUE_COLUMNS} FROM venues
                WHERE search_text %> (SELECT guide_fold($1))
                ORDER BY word_similarity((SELECT guide_fold($1)), search_text) DESC
                LIMIT $2""",
            text, limit)
        return [_venue(r) for r in rows]

    async def find_activities(self, *, language: str, starts: datetime, ends: datetime,
                              areas: list[str] | None, audience: str | None,
                              topics: list[str] | None, free: bool | None,
                              keywords: list[str] | None, spoken: str | None = None,
                              limit: int = 20) -> list[Activity]:
        """Published (and postponed or cancelled, marked) activities overlapping the window,
        filtered by area, audience, topics, price and the language spoken at them;
        `keywords` match the language's full text (stemmed, accents folded) or, failing
        that, trigram similarity of the name. The query is a sub-select, computed once per
        statement even in a generic plan (as in the events service's search). Asked for an
        audience, its own come first, then those for everyone, each in time order: many for
        everyone earlier must not push the audience's own past `limit`."""
        lexemes = [k for k in (keywords or []) if _LEXEME.fullmatch(k)]
        if keywords and not lexemes:
            # Words asked, none of them searchable (another script, one 60-letter word):
            # nothing matches them. Searching without them listed every activity as the
            # answer to a question about none of them.
            return []
        query = " | ".join(lexemes) or None
        doc = f"doc_{language}" if language in _CONFIG else "doc_fi"
        rows = await self.conn.fetch(
            f"""SELECT {_ACTIVITY_COLUMNS} FROM activities
                WHERE starts_at < $2 AND ends_at > $1
                  AND ($3::text[] IS NULL OR area = ANY($3))
                  AND ($4::text IS NULL OR $4 = ANY(audiences) OR 'everyone' = ANY(audiences))
                  AND ($5::text[] IS NULL OR topics && $5)
                  AND ($6::boolean IS NULL OR free = $6)
                  AND ($11::text IS NULL OR $11 = ANY(languages))
                  AND ($7::text IS NULL
                       OR {doc} @@ (SELECT to_tsquery($8::regconfig, $7))
                       OR EXISTS (SELECT 1 FROM unnest($9::text[]) k
                                  WHERE k <<% search_text))
                ORDER BY ($4::text IS NOT NULL AND $4 <> ALL(audiences)), starts_at, event_id
                LIMIT $10""",
            starts, ends, areas, audience, topics, free, query,
            _CONFIG.get(language, "finnish"), lexemes, limit, spoken)
        return [_activity(r) for r in rows]

    # --- conversations ------------------------------------------------------------------

    async def add_conversation(self, c: Conversation) -> None:
        await self.conn.execute(
            f"""INSERT INTO conversations ({_CONVERSATION_COLUMNS})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            c.conversation_id, c.created_at, c.updated_at, c.language, c.channel, c.status,
            c.queue, c.area, c.contact_email)

    async def conversation(self, conversation_id: UUID, *,
                           lock: bool = False) -> Conversation | None:
        row = await self.conn.fetchrow(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE conversation_id = $1"
            + (" FOR UPDATE" if lock else ""), conversation_id)
        if row is None:
            return None
        conversation = _conversation(row)
        conversation.messages = (await self._messages([conversation_id]))[conversation_id]
        return conversation

    async def conversation_language(self, conversation_id: UUID) -> str | None:
        """The conversation's language (as its latest question set it), or None: no such
        conversation."""
        language: str | None = await self.conn.fetchval(
            "SELECT language FROM conversations WHERE conversation_id = $1", conversation_id)
        return language

    async def _messages(self, conversation_ids: list[UUID]) -> dict[UUID, list[Message]]:
        """The messages of these conversations, each's in the order they were written: one
        read for a whole inbox."""
        found: dict[UUID, list[Message]] = {cid: [] for cid in conversation_ids}
        for r in await self.conn.fetch(
                """SELECT conversation_id, message_id, at, author, text, answer, staff_name,
                          emailed FROM messages
                   WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id, seq""",
                conversation_ids):
            found[r["conversation_id"]].append(Message(
                message_id=r["message_id"], at=r["at"], author=r["author"], text=r["text"],
                answer=r["answer"], staff_name=r["staff_name"], emailed=r["emailed"]))
        return found

    async def update_conversation(self, c: Conversation) -> None:
        await self.conn.execute(
            """UPDATE conversations SET updated_at = $2, language = $3, status = $4,
                   queue = $5, area = $6, contact_email = $7
               WHERE conversation_id = $1""",
            c.conversation_id, c.updated_at, c.language, c.status, c.queue, c.area,
            c.contact_email)

    async def add_message(self, conversation_id: UUID, m: Message) -> None:
        await self.conn.execute(
            """INSERT INTO messages (message_id, conversation_id, at, author, text, answer,
                   staff_name, emailed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            m.message_id, conversation_id, m.at, m.author, m.text, m.answer, m.staff_name,
            m.emailed)

    async def inbox(self, queues: list[str] | None, limit: int = 100) -> list[Conversation]:
        """Conversations waiting for a person, oldest first, with their messages."""
        rows = await self.conn.fetch(
            f"""SELECT {_CONVERSATION_COLUMNS} FROM conversations
                WHERE status IN ('waiting', 'awaiting_reply')
                  AND ($1::text[] IS NULL OR queue = ANY($1))
                ORDER BY updated_at, conversation_id LIMIT $2""", queues, limit)
        found = [_conversation(row) for row in rows]
        messages = await self._messages([c.conversation_id for c in found])
        for c in found:
            c.messages = messages[c.conversation_id]
        return found

    async def delete_older_than(self, before: datetime) -> int:
        """Retention: conversations untouched since `before` go, messages with them."""
        deleted = await self.conn.fetchval(
            """WITH gone AS (DELETE FROM conversations WHERE updated_at < $1
                             RETURNING 1) SELECT count(*) FROM gone""", before)
        return int(deleted or 0)
