"""Migration 027 on a database as the earlier code left it: the Instagram posts recorded as
failed for want of an image become skipped (out of the staff's decisions and the alert on
failed deliveries), and every other failure stays failed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from tests.infra import Infra, database_before

SKIPPED = 27


async def _failed(conn: asyncpg.Connection, channel: str, error: str,
                  content: str | None = None) -> UUID:
    delivery_id = uuid4()
    await conn.execute(
        """INSERT INTO deliveries (id, activity_event_id, channel, target, revision, purpose,
                                   idempotency_key, status, due_at, content, error_class,
                                   last_error)
           VALUES ($1, $2, $3, 'x:announcement', 1, 'announcement', $4, 'failed', $5,
                   $6::jsonb, 'permanent', $7)""",
        delivery_id, uuid4(), channel, delivery_id.hex, datetime.now(UTC), content, error)
    return delivery_id


async def test_instagram_posts_failed_for_want_of_an_image_become_skipped(infra: Infra) -> None:
    async with database_before(infra, "notifications", SKIPPED) as (conn, skipped):
        no_image = await _failed(conn, "instagram",
                                 "instagram needs an image: add one to the activity event")
        refused = await _failed(conn, "instagram", "instagram media: HTTP 400",
                                content='{"text": "Satutunti"}')
        elsewhere = await _failed(conn, "facebook", "facebook feed: HTTP 400",
                                  content='{"text": "Satutunti"}')
        await conn.execute(skipped)
        rows: dict[Any, tuple[str, str]] = {
            r["id"]: (r["status"], r["error_class"])
            for r in await conn.fetch("SELECT id, status, error_class FROM deliveries")}
        assert rows == {no_image: ("skipped", "cannot_carry"),
                        refused: ("failed", "permanent"),
                        elsewhere: ("failed", "permanent")}
        # The constraint takes the new state and still refuses an unknown one.
        await conn.execute("UPDATE deliveries SET status = 'skipped' WHERE id = $1", refused)
        try:
            await conn.execute("UPDATE deliveries SET status = 'lost' WHERE id = $1", refused)
        except asyncpg.CheckViolationError:
            pass
        else:
            raise AssertionError("a status outside the list was taken")
