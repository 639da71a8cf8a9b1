"""An in-memory GuideStore for use-case tests without a database."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from uuid import UUID

from services.guide.domain import Activity, Conversation, Message, Venue


class FakeGuideStore:
    def __init__(self, venues: list[Venue] | None = None,
                 activities: list[Activity] | None = None) -> None:
        self.venue_list = list(venues or [])
        self.activity_list = list(activities or [])
        self.saved_venues: dict[UUID, dict[str, Any]] = {}
        self.conversations: dict[UUID, Conversation] = {}
        self.messages: dict[UUID, list[Message]] = {}

    async def save_venue(self, data: dict[str, Any]) -> bool:
        old = self.saved_venues.get(data["venue_id"])
        if old is not None and old["revision"] > data["revision"]:
            return False
        self.saved_venues[data["venue_id"]] = data
        return True

    async def save_activity(self, data: dict[str, Any]) -> bool:
        return True

    async def venues(self) -> list[Venue]:
        return list(self.venue_list)

    async def venues_like(self, text: str, limit: int = 3) -> list[Venue]:
        return []

    async def find_activities(self, *, language: str, starts: datetime, ends: datetime,
                              areas: list[str] | None, audience: str | None,
                              topics: list[str] | None, free: bool | None,
                              keywords: list[str] | None, spoken: str | None = None,
                              limit: int = 20) -> list[Activity]:
        return [a for a in self.activity_list if a.starts_at < ends and a.ends_at > starts
                and (areas is None or a.area in areas)
                and (spoken is None or spoken in a.languages)
                # As the real store: an activity for everyone is for any audience too.
                and (audience is None or audience in a.audiences
                     or "everyone" in a.audiences)][:limit]

    async def add_conversation(self, c: Conversation) -> None:
        self.conversations[c.conversation_id] = copy.deepcopy(c)
        self.messages[c.conversation_id] = []

    async def conversation(self, conversation_id: UUID, *,
                           lock: bool = False) -> Conversation | None:
        found = self.conversations.get(conversation_id)
        if found is None:
            return None
        c = copy.deepcopy(found)
        c.messages = list(self.messages[conversation_id])
        return c

    async def conversation_language(self, conversation_id: UUID) -> str | None:
        found = self.conversations.get(conversation_id)
        return found.language if found is not None else None

    async def update_conversation(self, c: Conversation) -> None:
        stored = copy.deepcopy(c)
        stored.messages = []
        self.conversations[c.conversation_id] = stored

    async def add_message(self, conversation_id: UUID, m: Message) -> None:
        self.messages[conversation_id].append(m)

    async def inbox(self, queues: list[str] | None, limit: int = 100) -> list[Conversation]:
        found = [await self.conversation(c.conversation_id) for c in self.conversations.values()
                 if c.status in ("waiting", "awaiting_reply")
                 and (queues is None or c.queue in queues)]
        return [c for c in found if c is not None]

    async def delete_older_than(self, before: datetime) -> int:
        old = [k for k, c in self.conversations.items() if c.updated_at < before]
        for k in old:
            del self.conversations[k]
            del self.messages[k]
        return len(old)
