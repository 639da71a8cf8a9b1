"""The transactional outbox against the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from services.booking.app import spec as booking
from shared.contracts import BOOKING_TOPIC, LocalizedText, VenueRegistered
from shared.db import create_pool
from shared.envelope import Envelope
from shared.kafka import ensure_topics, make_producer
from shared.outbox import UNSENT_BATCH, OutboxRelay, enqueue
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
    # Published, the committed row is gone; the rolled-back one was never there.
    await eventually(lambda: _zero(pool.fetchval("SELECT count(*) FROM outbox")))


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
                # Far sooner than the 30 s poll interval: the quiet poll found them (the
                # margin is for a loaded machine and the shared broker).
                assert time.monotonic() - began < 10.0
                assert batches == [20]
    finally:
        await pool.close()


async def _true(value: bool) -> bool | None:
    return True if value else None


async def test_the_relay_deletes_each_row_once_kafka_has_it_and_what_an_older_relay_marked(
    fresh_database, infra: Infra, topic_prefix: str
) -> None:
    """A published row has done its work (the topic keeps the event); kept, its payload would
    hold an organiser's address past the service's retention. Rows an earlier version of the
    relay marked sent (`sent_at`) and kept go when a relay takes over, and are not sent
    again."""
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, venue("Lähetetty ennen"))
            await conn.execute("UPDATE outbox SET sent_at = now() - interval '2 days'")
            waiting = [venue(f"Odottaa {i}") for i in range(3)]
            for event in waiting:
                await enqueue(conn, event)
        async with booking_producer(infra, topic_prefix, "relay-delete-test") as producer:
            relay = OutboxRelay(dsn=dsn, producer=producer, service="booking",
                                topic_prefix=topic_prefix)
            async with running(relay):
                await eventually(lambda: _zero(pool.fetchval("SELECT count(*) FROM outbox")),
                                 timeout=20)
                assert relay.published == 3
        # The three, and (read a second longer) nothing more: no row was published twice.
        records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC,
                                   expect=3, settle=1.0)
        published = [Envelope.from_kafka(r.key, r.value, r.headers).data["venue_id"]
                     for r in records]
        assert sorted(published) == sorted(str(e.venue_id) for e in waiting)
    finally:
        await pool.close()


async def test_a_backlog_is_read_by_its_index_whatever_an_empty_outbox_planned(
    fresh_database, infra: Infra, topic_prefix: str
) -> None:
    """The outbox is nearly always empty, so a prepared statement's generic plan made then
    reads the whole table and sorts it, and a connection keeps it: when Kafka was away and
    rows piled up, each batch of the drain did that again. The relay's connection plans each
    statement as it runs."""
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn)
    relay = OutboxRelay(dsn=dsn, producer=None, service="booking",  # type: ignore[arg-type]
                        topic_prefix=topic_prefix)
    # No autoanalyze after the inserts below: it would make the plain connection plan again.
    await pool.execute("ALTER TABLE outbox SET (autovacuum_enabled = false)")
    await pool.execute("ANALYZE outbox")  # as autovacuum does once it has drained
    relays, plain = await relay.connect(), await asyncpg.connect(dsn)
    try:
        for conn in (relays, plain):
            await conn.execute(f"PREPARE unsent (int) AS {UNSENT_BATCH}")
            for _ in range(8):  # past the five runs after which a generic plan may be kept
                assert await conn.fetch("EXECUTE unsent (50)") == []
        async with pool.acquire() as writer, writer.transaction():
            for i in range(2000):
                await enqueue(writer, venue(f"Kasautunut {i}"))

        async def plan(conn: asyncpg.Connection) -> str:
            return "\n".join(r[0] for r in await conn.fetch("EXPLAIN EXECUTE unsent (50)"))

        # The hazard is real on this PostgreSQL: a connection as it comes keeps the plan.
        assert "Seq Scan on outbox" in await plan(plain)
        assert "Seq Scan" not in await plan(relays), await plan(relays)
        assert "Index Scan" in await plan(relays)
    finally:
        await relays.close()
        await plain.close()
        await pool.close()


async def _seen_by_no_snapshot(conn: asyncpg.Connection, xid: int) -> bool:
    """Whether every session of this database began after transaction `xid` ended (so no
    snapshot sees the rows it deleted)."""
    return bool(await conn.fetchval(
        """SELECT coalesce(bool_and(greatest(age(backend_xmin), age(backend_xid))
                                    < age($1::xid)), true)
           FROM pg_stat_activity WHERE datname = current_database()
             AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)""", xid))


#: A plan line's shared buffers hit (EXPLAIN's BUFFERS option).
TOP_HITS = re.compile(r"^\s*Buffers: shared hit=(\d+)")


async def test_a_drained_outbox_is_read_by_its_index_not_past_its_deleted_rows(
    fresh_database, infra: Infra, topic_prefix: str
) -> None:
    """Under load the outbox holds a few live rows among thousands the relay deleted since
    autovacuum last ran. The statistics then see next to no rows, and a connection as it
    comes plans a scan of every page, dead ones included, and a sort: in the booking bench,
    0.8 ms a poll. The relay's connection reads only the index of unsent rows."""
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn)
    relay = OutboxRelay(dsn=dsn, producer=None, service="booking",  # type: ignore[arg-type]
                        topic_prefix=topic_prefix)
    async with pool.acquire() as writer:
        await writer.execute("ALTER TABLE outbox SET (autovacuum_enabled = false)")
        async with writer.transaction():
            for i in range(3000):
                await enqueue(writer, venue(f"Lähetetty {i}"))
        async with writer.transaction():  # as the relay does once Kafka has them
            deleted_by = await writer.fetchval("SELECT pg_current_xact_id()::xid")
            await writer.execute("DELETE FROM outbox")
        async with writer.transaction():
            for i in range(3):
                await enqueue(writer, venue(f"Odottaa {i}"))
        await writer.execute("ANALYZE outbox")
        # An index scan forgets the deleted rows' entries only once no snapshot of this
        # database can see them: an autovacuum ANALYZE of another table, slow on a loaded
        # machine, may still hold one. Until then every read goes past them, by any plan.
        await eventually(lambda: _seen_by_no_snapshot(writer, deleted_by), timeout=60)
    relays, plain = await relay.connect(), await asyncpg.connect(dsn)
    batch = UNSENT_BATCH.replace("$1", "500")
    try:
        async def read(conn: asyncpg.Connection) -> tuple[str, int]:
            assert len(await conn.fetch(batch)) == 3
            lines = [r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {batch}")]
            # The top node's buffers include its children's.
            hits = next(int(m[1]) for line in lines if (m := TOP_HITS.match(line)))
            return "\n".join(lines), hits

        heap_pages = await pool.fetchval("SELECT pg_relation_size('outbox') / 8192")
        plain_plan, plain_hits = await read(plain)
        # The hazard is real on this PostgreSQL: every page of the heap is read.
        assert "Seq Scan on outbox" in plain_plan and plain_hits >= heap_pages > 50
        relay_plan, relay_hits = await read(relays)
        assert "Index Scan using outbox_unsent" in relay_plan, relay_plan
        assert "Seq Scan" not in relay_plan and relay_hits < heap_pages / 5, relay_plan
    finally:
        await relays.close()
        await plain.close()
        await pool.close()
