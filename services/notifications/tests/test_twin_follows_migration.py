"""Migration 028 on a database as the earlier code left it: an address's active
subscriptions of the same choices (the follow form sent twice, both confirmed, every digest
twice) keep the first confirmed; the rest are unsubscribed. Other choices, another address,
a pending or an unsubscribed one are left as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg

from tests.infra import Infra, database_before

ONE_ACTIVE = 28
T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


async def _subscription(conn: asyncpg.Connection, email: str, status: str, minutes: int,
                        areas: list[str], topics: tuple[str, ...] = ()) -> UUID:
    subscription_id = uuid4()
    at = T0 + timedelta(minutes=minutes)
    await conn.execute(
        """INSERT INTO subscriptions (id, email, status, areas, topics, created_at,
                                      confirmed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        subscription_id, email, status, areas, list(topics), at,
        at + timedelta(minutes=1) if status == "active" else None)
    return subscription_id


async def test_twin_active_follows_keep_the_first_confirmed(infra: Infra) -> None:
    async with database_before(infra, "notifications", ONE_ACTIVE) as (conn, migration):
        first = await _subscription(conn, "kaksi@example.fi", "active", 0,
                                    ["kuopio.nilsia", "kuopio.keskusta"], ("crafts",))
        # The same choices in another order and the address in other case: a twin.
        twin = await _subscription(conn, "Kaksi@example.fi", "active", 1,
                                   ["kuopio.keskusta", "kuopio.nilsia"], ("crafts",))
        other_choice = await _subscription(conn, "kaksi@example.fi", "active", 2,
                                           ["kuopio.nilsia"], ("crafts",))
        other_address = await _subscription(conn, "toinen@example.fi", "active", 3,
                                            ["kuopio.nilsia", "kuopio.keskusta"], ("crafts",))
        pending = await _subscription(conn, "kaksi@example.fi", "pending", 4,
                                      ["kuopio.nilsia", "kuopio.keskusta"], ("crafts",))
        await conn.execute(migration)
        rows = {r["id"]: (r["status"], r["unsubscribed_at"] is not None)
                for r in await conn.fetch("SELECT id, status, unsubscribed_at "
                                          "FROM subscriptions")}
        assert rows == {first: ("active", False), twin: ("unsubscribed", True),
                        other_choice: ("active", False), other_address: ("active", False),
                        pending: ("pending", False)}
