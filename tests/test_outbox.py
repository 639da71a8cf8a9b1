"""The transactional outbox against the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer

from services.booking.app import spec as booking
from shared.contracts import BOOKING_TOPIC, LocalizedText, VenueRegistered
from shared.db import create_pool
from shared.envelope import Envelope
from shared.kafka import ensure_topics, make_producer
from shared.outbox import OutboxRelay, enqueue
from tests.infra import Infra, bearer, eventually, read_topic

pytestmark = pytest.mark.infra
ADMIN = bearer("admin")


def venue(name: str) -> VenueRegistered:
    return VenueRegistered(
        venue_id=uuid4(),
        name=LocalizedText(fi=name),
        kind="library",
        area="kuopio.jynkka",
        municipality="Kuopio",
    )


async def unsent(pool) -> int:  # type: ignore[no-untyped-def]
    return int(await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))


@contextlib.asynccontextmanager
async def booking_producer(infra: Infra, topic_prefix: str, client_id: str
                           ) -> AsyncIterator[AIOKafkaProducer]:
    """A started producer for relays of the booking topic (created for this run)."""
    await ensure_topics(infra.kafka_bootstrap, [topic_prefix + BOOKING_TOPIC], 3, 1)
    producer = make_producer(infra.kafka_bootstrap, client_id)
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


@contextlib.asynccontextmanager
async def running(*relays: OutboxRelay) -> AsyncIterator[list[asyncio.Task[None]]]:
    """The relays' loops as tasks (a test may end one early), all ended on the way out."""
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        yield tasks
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def test_rolled_back_transaction_publishes_nothing(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(booking)
    pool = client.runtime.pool
    rolled_back, committed = venue("Peruttu"), venue("Tallennettu")

    with pytest.raises(RuntimeError, match="change failed"):
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, rolled_back)
            raise RuntimeError("change failed after the event was written")
    async with pool.acquire() as conn, conn.transaction():
        await enqueue(conn, committed)

    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=1)
    # Give a stray publish of the rolled-back event time to show up before concluding.
    records += await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=2,
                                timeout=2)
    ids = {Envelope.from_kafka(r.key, r.value, r.headers).data["venue_id"] for r in records}
    assert ids == {str(committed.venue_id)}
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_enqueue_refuses_to_run_outside_a_transaction(start_service) -> None:
    client = await start_service(booking)
    async with client.runtime.pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="inside the state change's transaction"):
            await enqueue(conn, venue("Ilman transaktiota"))


async def test_events_written_while_kafka_is_down_are_published_when_it_returns(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    if infra.broker_control is None:
        pytest.skip(f"this run does not control the broker ({infra.how})")
    client = await start_service(booking)
    pool = client.runtime.pool
    first = await client.post("/venues", json={
        "name": {"fi": "Ennen katkoa"}, "kind": "library", "area": "kuopio.pyoro",
        "municipality": "Kuopio"}, headers=ADMIN)
    assert first.status_code == 201
    await eventually(lambda: _zero(unsent(pool)))

    infra.broker_control("stop")
    try:
        during = []
        for i in range(5):
            r = await client.post("/venues", json={
                "name": {"fi": f"Katkon aikana {i}"}, "kind": "library",
                "area": "kuopio.pyoro", "municipality": "Kuopio"}, headers=ADMIN)
            assert r.status_code == 201, r.text  # the API keeps working without Kafka
            during.append(r.json()["id"])
        assert await unsent(pool) == 5
    finally:
        infra.broker_control("start")

    await eventually(lambda: _zero(unsent(pool)), timeout=90)
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=6,
                               timeout=30)
    published = [Envelope.from_kafka(r.key, r.value, r.headers).data["venue_id"]
                 for r in records]
    assert set(during) <= set(published)
    assert len(set(published)) == 6


async def _zero(count_coro) -> bool:  # type: ignore[no-untyped-def]
    return (await count_coro) == 0


async def test_a_standby_relay_takes_over_when_the_active_one_dies(
    fresh_database, infra: Infra, topic_prefix: str
) -> None:
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn)
    try:
        async with booking_producer(infra, topic_prefix, "relay-test") as producer:
            relays = [OutboxRelay(dsn=dsn, producer=producer, service="booking",
                                  topic_prefix=topic_prefix, poll_interval=0.1)
                      for _ in range(2)]
            async with running(*relays) as tasks:
                active = await eventually(lambda: _one_active(relays))
                standby = next(r for r in relays if r is not active)
                async with pool.acquire() as conn, conn.transaction():
                    await enqueue(conn, venue("Ensimmäinen"))
                await eventually(lambda: _zero(unsent(pool)))
                assert standby.published == 0  # only the lock holder publishes

                # The active replica dies; its lock goes with it.
                tasks[relays.index(active)].cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await tasks[relays.index(active)]
                async with pool.acquire() as conn, conn.transaction():
                    await enqueue(conn, venue("Toinen"))
                await eventually(lambda: _zero(unsent(pool)), timeout=10)
                assert standby.active and standby.published == 1
                records = await read_topic(infra.kafka_bootstrap,
                                           topic_prefix + BOOKING_TOPIC, expect=2)
                assert len(records) == 2
    finally:
        await pool.close()


async def _one_active(relays: list) -> object | None:  # type: ignore[type-arg]
    active = [r for r in relays if r.active]
    return active[0] if len(active) == 1 else None


async def test_a_quiet_relay_finds_new_rows_within_its_quiet_poll_and_sends_a_burst_together(
    fresh_database, infra: Infra, topic_prefix: str
) -> None:
    """No NOTIFY wakes the relay (it would serialise every commit): it looks again within
    `quiet_poll` however long it was idle, and rows written together go out in one batch."""
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn)
    try:
        assert not await pool.fetchval(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'outbox'::regclass"
            " AND NOT tgisinternal")
        async with booking_producer(infra, topic_prefix, "relay-quiet-test") as producer:
            relay = OutboxRelay(dsn=dsn, producer=producer, service="booking",
                                topic_prefix=topic_prefix, poll_interval=30.0, quiet_poll=0.05)
            batches: list[int] = []
            publish = relay.publish_batch

            async def counted(conn):  # type: ignore[no-untyped-def]
                sent = await publish(conn)
                if sent:
                    batches.append(sent)
                return sent

            relay.publish_batch = counted  # type: ignore[method-assign]
            async with running(relay):
                await eventually(lambda: _true(relay.active))
                await asyncio.sleep(1.0)  # quiet: the relay has backed off as far as it goes
                began = time.monotonic()
                async with pool.acquire() as conn, conn.transaction():
                    for i in range(20):
                        await enqueue(conn, venue(f"Purske {i}"))
                await eventually(lambda: _zero(unsent(pool)), timeout=10)
                # Far sooner than the 30 s poll interval: the quiet poll found them.
                assert time.monotonic() - began < 2.0
                assert batches == [20]
    finally:
        await pool.close()


async def _true(value: bool) -> bool | None:
    return True if value else None


async def test_the_active_relay_deletes_rows_sent_longer_ago_than_kept_and_never_unsent_ones(
    fresh_database, infra: Infra, topic_prefix: str
) -> None:
    """A sent row has done its work: kept forever, its payload would keep an organiser's
    address past the service's retention and the table would grow with every change. Rows
    sent more than `keep_sent` ago go, a chunk at a time; recent ones and unsent ones stay,
    however old."""
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn)

    async def write(name: str, sent_days_ago: float | None, created_days_ago: float) -> int:
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, venue(name))
            return int(await conn.fetchval(
                """UPDATE outbox SET created_at = now() - $1 * interval '1 day',
                          sent_at = now() - $2 * interval '1 day'
                   WHERE id = (SELECT max(id) FROM outbox) RETURNING id""",
                created_days_ago, sent_days_ago))

    try:
        old = [await write(f"Vanha {i}", 8 + i / 10, 9) for i in range(5)]
        stuck = await write("Jumissa", None, 30)  # never sent (Kafka refused it): kept
        between = await write("Välissä", 10, 10)  # sent long ago, after the stuck one
        recent = [await write(f"Tuore {i}", 0.5, 0.5) for i in range(3)]
        relay = OutboxRelay(dsn=dsn, producer=None, service="booking",  # type: ignore[arg-type]
                            topic_prefix=topic_prefix, keep_sent=timedelta(days=7))
        async with pool.acquire() as conn:
            assert await relay.prune(conn, chunk=2) == 6
            assert await relay.prune(conn, chunk=2) == 0
        left = [r["id"] for r in await pool.fetch("SELECT id FROM outbox ORDER BY id")]
        assert left == [stuck, *recent]
        assert between not in left and not set(old) & set(left)

        # The running relay prunes as it takes over, and publishes what is unsent meanwhile.
        await pool.execute(
            "UPDATE outbox SET sent_at = now() - interval '8 days' WHERE id = $1", recent[0])
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, venue("Uusi"))
        async with booking_producer(infra, topic_prefix, "relay-prune-test") as producer:
            relay = OutboxRelay(dsn=dsn, producer=producer, service="booking",
                                topic_prefix=topic_prefix, keep_sent=timedelta(days=7))
            async with running(relay):
                await eventually(lambda: _zero(unsent(pool)), timeout=20)
                assert relay.pruned == 1
                assert [r["id"] for r in await pool.fetch(
                    "SELECT id FROM outbox ORDER BY id")] == [
                    stuck, *recent[1:], await pool.fetchval("SELECT max(id) FROM outbox")]
    finally:
        await pool.close()
