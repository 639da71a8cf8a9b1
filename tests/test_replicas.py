"""Two real replica processes of one service share its consumer group and database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from shared.contracts import EVENTS_TOPIC, ActivityEventPublished, LocalizedText
from shared.db import create_pool
from tests.infra import Infra, eventually, produce

pytestmark = pytest.mark.infra


async def test_two_metrics_replicas_split_the_work_and_count_each_event_once(
    spawn_service, fresh_database, infra: Infra, topic_prefix: str
) -> None:
    dsn = await fresh_database("metrics")
    replicas = [await spawn_service("metrics", dsn, name=f"{topic_prefix}metrics-{i}")
                for i in range(2)]
    start = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    events = [ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi=f"Tapahtuma {i}"),
        starts_at=start, ends_at=start + timedelta(hours=1), kind="open_unguided",
        area="kuopio.maaninka") for i in range(200)]
    # ... and some duplicates.
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, events + events[:20])

    pool = await create_pool(dsn)
    try:
        async def counted() -> Any:
            n = await pool.fetchval("SELECT coalesce(sum(published_events), 0) FROM "
                                    "area_month_activity WHERE area = 'kuopio.maaninka'")
            return n if n >= 200 else None

        assert await eventually(counted, timeout=60) == 200
        assert await pool.fetchval("SELECT count(*) FROM activity_event_facts") == 200
    finally:
        await pool.close()
    async with httpx.AsyncClient() as http:
        handled = [(await http.get(f"{r.url}/health/ready")).json()["events_handled"]
                   for r in replicas]
    assert all(n > 0 for n in handled), handled  # both replicas had partitions
    assert sum(handled) >= 200
