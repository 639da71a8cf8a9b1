"""Metrics handlers on a real database: facts and aggregates stay a projection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from shared.contracts import ActivityEventCancelled, ActivityEventPublished, LocalizedText
from shared.db import create_pool

pytestmark = pytest.mark.infra

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def published(event_id, revision: int = 1, hours: int = 2):  # type: ignore[no-untyped-def]
    return ActivityEventPublished(
        event_id=event_id, revision=revision, name=LocalizedText(fi="Kuoro"),
        starts_at=START, ends_at=START + timedelta(hours=hours), kind="open_guided",
        area="kuopio.nilsia")


def cancelled(event_id, revision: int):  # type: ignore[no-untyped-def]
    return ActivityEventCancelled(
        event_id=event_id, revision=revision, name=LocalizedText(fi="Kuoro"),
        starts_at=START, ends_at=START + timedelta(hours=2), kind="open_guided",
        area="kuopio.nilsia", reason="sairastuminen")


async def apply(pool, event) -> None:  # type: ignore[no-untyped-def]
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_activity_event(conn, event, event.to_envelope())


async def aggregate(pool) -> list[tuple[int, int, float]]:  # type: ignore[no-untyped-def]
    rows = await pool.fetch("SELECT published_events, cancelled_events, planned_hours "
                            "FROM area_month_events WHERE area = 'kuopio.nilsia'")
    return [(r[0], r[1], float(r[2])) for r in rows]


async def recomputed(pool) -> list[tuple[int, int, float]]:  # type: ignore[no-untyped-def]
    rows = await pool.fetch(
        """SELECT count(*) FILTER (WHERE status = 'published')::int,
                  count(*) FILTER (WHERE status = 'cancelled')::int,
                  coalesce(sum(extract(epoch FROM ends_at - starts_at) / 3600)
                           FILTER (WHERE status = 'published'), 0)::float
           FROM activity_event_facts WHERE area = 'kuopio.nilsia'""")
    return [(r[0], r[1], r[2]) for r in rows]


async def test_republished_event_is_counted_once_and_cancel_moves_it(fresh_database) -> None:
    pool = await create_pool(await fresh_database(spec.name))
    try:
        event_id = uuid4()
        await apply(pool, published(event_id, 1))
        await apply(pool, published(event_id, 2, hours=3))
        assert await aggregate(pool) == [(1, 0, 3.0)]
        await apply(pool, cancelled(event_id, 3))
        assert await aggregate(pool) == [(0, 1, 0.0)]
        assert await aggregate(pool) == await recomputed(pool)
    finally:
        await pool.close()


async def test_out_of_order_delivery_ends_in_the_same_state(fresh_database) -> None:
    pool = await create_pool(await fresh_database(spec.name))
    try:
        a, b = uuid4(), uuid4()
        await apply(pool, cancelled(a, 2))
        await apply(pool, published(a, 1))     # stale: ignored
        await apply(pool, published(b, 1))
        await apply(pool, published(b, 1))     # duplicate revision: ignored
        assert await aggregate(pool) == [(1, 1, 2.0)]
        assert await aggregate(pool) == await recomputed(pool)
    finally:
        await pool.close()


async def test_indicator_api_answers_per_area(start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    await apply(pool, published(uuid4()))
    body = (await client.get("/indicators/published-events",
                             params={"group": "rural_north"})).json()
    by_area = {r["area"]: r for r in body["areas"]}
    assert set(by_area) == {"kuopio.juankoski", "kuopio.nilsia", "kuopio.maaninka"}
    assert by_area["kuopio.nilsia"]["published_events"] == 1
    assert by_area["kuopio.nilsia"]["published_events_per_1000"] is None  # population unknown
    in_january = (await client.get("/indicators/published-events", params={
        "area": "kuopio.nilsia", "from": "2027-01-01"})).json()
    assert in_january["areas"][0]["published_events"] == 0
    assert (await client.get("/areas/kuopio.nowhere/summary")).status_code == 404
    bad = await client.get("/indicators/published-events",
                           params={"from": "2027-02-01", "to": "2027-01-01"})
    assert bad.status_code == 422
    assert len((await client.get("/areas")).json()) == 11
