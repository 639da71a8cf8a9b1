"""The idempotent consumer against the real Kafka and PostgreSQL: duplicates, poison
messages, bounded retries and replicas sharing one consumer group."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker

from shared.clock import Clock
from shared.consumer import EventConsumer
from shared.contracts import BOOKING_TOPIC, LocalizedText, VenueRegistered, dlq_topic
from shared.db import create_pool
from shared.envelope import Envelope
from shared.kafka import ensure_topics, make_producer
from tests.infra import Infra, eventually, read_topic

pytestmark = pytest.mark.infra


def venue_event(name: str = "Testikirjasto") -> VenueRegistered:
    return VenueRegistered(
        venue_id=uuid4(), name=LocalizedText(fi=name), kind="library",
        area="kuopio.keskusta", municipality="Kuopio",
    )


#: As many failed tries as a handler's error gets before it is dead-lettered: an outage
#: counted as the message's fault would lose it to the dead-letter topic.
OUTAGE_TRIES = 3


class Harness:
    """A consumer with a deliberately NOT idempotent effect: each handling adds a row."""

    def __init__(self, infra: Infra, prefix: str, pool: asyncpg.Pool,
                 producer: AIOKafkaProducer) -> None:
        self.infra = infra
        self.prefix = prefix
        self.pool = pool
        self.producer = producer
        self.brokers: list[KafkaBroker] = []
        self.attempts: dict[str, int] = {}
        #: What the database raises while it is away ("DB DOWN" fails with it at first).
        self.outage: BaseException = ConnectionResetError("database connection lost")

    def handler(self, replica: str) -> Callable[[Any, Any, Any, Clock], Awaitable[None]]:
        async def on_venue(conn: asyncpg.Connection, event: VenueRegistered,
                           envelope: Envelope, clock: Clock) -> None:
            self.attempts[event.name.fi] = self.attempts.get(event.name.fi, 0) + 1
            if event.name.fi == "FAIL":
                raise ValueError("this venue can never be handled")
            if event.name.fi == "DB DOWN" and self.attempts[event.name.fi] <= OUTAGE_TRIES:
                raise self.outage
            await conn.execute("INSERT INTO effects (venue_id, replica) VALUES ($1, $2)",
                               event.venue_id, replica)
        return on_venue

    async def start_replica(self, replica: str) -> KafkaBroker:
        broker = KafkaBroker(self.infra.kafka_bootstrap, client_id=replica)
        consumer = EventConsumer(
            name="test", handlers={VenueRegistered: self.handler(replica)},
            pool=lambda: self.pool, producer=lambda: self.producer,
            topic_prefix=self.prefix, max_attempts=OUTAGE_TRIES, retry_delay=0.01,
            infrastructure_pause=0.1,
        )
        consumer.subscribe(broker, f"{self.prefix}test-group")
        await broker.start()
        self.brokers.append(broker)
        return broker

    async def send(self, envelope: Envelope) -> None:
        await self.producer.send_and_wait(
            self.prefix + BOOKING_TOPIC, envelope.kafka_value(), key=envelope.kafka_key(),
            headers=[(k, v.encode()) for k, v in envelope.kafka_headers().items()])

    async def effects(self) -> list[asyncpg.Record]:
        return await self.pool.fetch("SELECT venue_id, replica FROM effects")


@pytest_asyncio.fixture
async def harness(infra: Infra, topic_prefix: str,
                  fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Harness]:
    dsn = await fresh_database("booking")
    pool = await create_pool(dsn, 1, 10)
    await pool.execute("CREATE TABLE effects (venue_id uuid NOT NULL, replica text NOT NULL)")
    await ensure_topics(infra.kafka_bootstrap,
                        [topic_prefix + BOOKING_TOPIC, topic_prefix + dlq_topic(BOOKING_TOPIC)],
                        partitions=3, replication=1)
    producer = make_producer(infra.kafka_bootstrap, "test-producer")
    await producer.start()
    h = Harness(infra, topic_prefix, pool, producer)
    yield h
    for broker in h.brokers:
        with contextlib.suppress(Exception):
            await broker.stop()
    await producer.stop()
    await pool.close()


async def test_the_same_event_delivered_twice_has_one_effect(harness: Harness) -> None:
    await harness.start_replica("a")
    envelope = venue_event().to_envelope()
    await harness.send(envelope)
    await harness.send(envelope)  # a redelivery: same CloudEvent id
    marker = venue_event("merkki").to_envelope()
    await harness.send(marker)    # same partition order is not guaranteed; wait for both

    rows = await eventually(lambda: _rows_at_least(harness, 2))
    assert sorted(str(r["venue_id"]) for r in rows) == sorted(
        [envelope.partitionkey, marker.partitionkey])
    inbox = await harness.pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'test'")
    assert inbox == 2


async def test_poison_and_failing_messages_go_to_the_dlq_and_the_consumer_carries_on(
    harness: Harness, infra: Infra, topic_prefix: str
) -> None:
    await harness.start_replica("a")
    key = b"same-partition"
    topic = topic_prefix + BOOKING_TOPIC
    # Not JSON at all, on the same key (partition) as the good event that follows it.
    await harness.producer.send_and_wait(topic, b"\x00not json", key=key, headers=[
        ("ce_specversion", b"1.0"), ("ce_id", str(uuid4()).encode()),
        ("ce_source", b"/test"), ("ce_type", VenueRegistered.EVENT_TYPE.encode()),
        ("ce_time", b"2026-11-22T10:00:00+00:00")])
    # A valid event whose handler always fails: retried, then dead-lettered.
    failing = venue_event("FAIL").to_envelope().model_copy(update={"partitionkey": key.decode()})
    await harness.send(failing)
    good = venue_event("Hyvä").to_envelope().model_copy(update={"partitionkey": key.decode()})
    await harness.send(good)

    rows = await eventually(lambda: _rows_at_least(harness, 1))
    assert [str(r["venue_id"]) for r in rows] == [good.data["venue_id"]]
    assert harness.attempts["FAIL"] == 3  # bounded retries

    dead = await read_topic(infra.kafka_bootstrap, topic_prefix + dlq_topic(BOOKING_TOPIC),
                            expect=2)
    assert len(dead) == 2
    errors = [dict(r.headers)["x-dlq-error"].decode() for r in dead]
    assert errors[0].startswith("EnvelopeError")
    assert errors[1].startswith("ValueError: this venue can never be handled")
    assert dead[0].value == b"\x00not json"  # the original record, unchanged
    recorded = await harness.pool.fetchval("SELECT count(*) FROM dead_letters")
    assert recorded == 2


@pytest.mark.parametrize("outage", [
    ConnectionResetError("database connection lost"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in "
                                "progress"),  # a connection cut mid-statement
    asyncpg.ObjectNotInPrerequisiteStateError(
        'database "x" is not currently accepting connections'),
    OSError("Multiple exceptions: [Errno 111] Connect call failed, [Errno 101] Network is "
            "unreachable"),  # every address of the database's host
], ids=["reset", "terminated", "cut-mid-statement", "refusing-connections", "no-address"])
async def test_an_outage_during_handling_redelivers_instead_of_losing_or_dead_lettering(
    harness: Harness, infra: Infra, topic_prefix: str, outage: BaseException
) -> None:
    harness.outage = outage
    await harness.start_replica("a")
    envelope = venue_event("DB DOWN").to_envelope()
    await harness.send(envelope)
    rows = await eventually(lambda: _rows_at_least(harness, 1), timeout=30)
    assert [str(r["venue_id"]) for r in rows] == [envelope.partitionkey]
    assert harness.attempts["DB DOWN"] == OUTAGE_TRIES + 1  # redelivered until it went in
    assert await harness.pool.fetchval("SELECT count(*) FROM dead_letters") == 0


async def test_two_replicas_split_the_partitions_and_apply_each_event_once(
    harness: Harness, infra: Infra, topic_prefix: str
) -> None:
    await harness.start_replica("a")
    await harness.start_replica("b")
    await eventually(lambda: _members(infra, f"{topic_prefix}test-group", 2), timeout=30)

    sent = [venue_event(f"Kirjasto {i}").to_envelope() for i in range(120)]
    for envelope in sent[:60]:
        await harness.send(envelope)
    await eventually(lambda: _rows_at_least(harness, 30))
    # One replica goes away mid-stream; the other takes over its partitions.
    await harness.brokers[0].stop()
    for envelope in sent[60:]:
        await harness.send(envelope)
    for envelope in sent[:10]:
        await harness.send(envelope)  # and some duplicates

    rows = await eventually(lambda: _rows_at_least(harness, 120), timeout=60)
    ids = [str(r["venue_id"]) for r in rows]
    assert len(ids) == 120 and set(ids) == {e.partitionkey for e in sent}
    assert {r["replica"] for r in rows} == {"a", "b"}  # both replicas did work


async def _rows_at_least(harness: Harness, n: int) -> list[asyncpg.Record] | None:
    rows = await harness.effects()
    return rows if len(rows) >= n else None


async def _members(infra: Infra, group: str, n: int) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_consumer_groups([group])
        members = [m for d in described for g in d.groups for m in g[5]]
        return len(members) >= n
    finally:
        await admin.close()


def as_record(event: VenueRegistered, offset: int, partition: int = 0) -> Any:
    """What aiokafka hands over for `event`, without Kafka (the batch logic alone)."""
    from types import SimpleNamespace

    envelope = event.to_envelope()
    return SimpleNamespace(topic="booking.v1", partition=partition, offset=offset,
                           key=envelope.kafka_key(), value=envelope.kafka_value(),
                           headers=[(k, v.encode()) for k, v in
                                    envelope.kafka_headers().items()])


async def test_a_batch_keeps_each_aggregates_order_and_handles_aggregates_side_by_side(
        fresh_database: Callable[[str], Awaitable[str]]) -> None:
    import asyncio
    import random

    pool = await create_pool(await fresh_database("booking"), 1, 10)
    seen: list[tuple[Any, int]] = []
    running = {"now": 0, "most": 0}

    async def on_venue(conn: asyncpg.Connection, event: VenueRegistered, _: Any,
                       clock: Clock) -> None:
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        await asyncio.sleep(random.uniform(0, 0.01))  # handlers take their time, unevenly
        seen.append((event.venue_id, event.revision))
        running["now"] -= 1

    consumer = EventConsumer(name="test", handlers={VenueRegistered: on_venue},
                             pool=lambda: pool, producer=lambda: None,  # type: ignore[arg-type]
                             concurrency=4)
    venues = [venue_event(f"Kirjasto {i}") for i in range(6)]
    # Each venue's revisions 1..5, interleaved as a partition would hold them.
    batch = [as_record(v.model_copy(update={"revision": r}), offset=len(venues) * r + i)
             for r in range(1, 6) for i, v in enumerate(venues)]
    try:
        await consumer.process_batch(batch)
    finally:
        await pool.close()
    for v in venues:
        assert [r for vid, r in seen if vid == v.venue_id] == [1, 2, 3, 4, 5]
    assert len(seen) == 30 and consumer.handled == 30
    assert 1 < running["most"] <= 4  # side by side, never more than allowed


async def test_a_deadlock_with_another_transaction_is_tried_again_without_using_a_try(
        fresh_database: Callable[[str], Awaitable[str]]) -> None:
    pool = await create_pool(await fresh_database("booking"))
    tries: list[str] = []

    async def on_venue(conn: asyncpg.Connection, event: VenueRegistered, _: Any,
                       clock: Clock) -> None:
        tries.append("try")
        if len(tries) <= 4:  # more conflicts than max_attempts: none of them counts
            raise asyncpg.DeadlockDetectedError("deadlock detected")

    def no_dead_letters() -> Any:
        raise AssertionError("a conflict is nobody's fault: nothing is dead-lettered")

    consumer = EventConsumer(name="test", handlers={VenueRegistered: on_venue},
                             pool=lambda: pool, producer=no_dead_letters, max_attempts=2)
    try:
        await consumer.process(as_record(venue_event(), 0))
        assert await pool.fetchval("SELECT count(*) FROM inbox") == 1
    finally:
        await pool.close()
    assert len(tries) == 5 and consumer.handled == 1


async def test_a_handler_runs_on_the_replicas_clock(start_service, infra: Infra,
                                                    topic_prefix: str) -> None:
    """Handlers take "now" from the runtime, as the HTTP edge and the jobs do: a replica whose
    clock is set (a test's FixedClock) dates what its consumer does by it too."""
    from datetime import UTC, datetime, timedelta
    from uuid import uuid4

    from services.events.app import spec as events_spec
    from shared.clock import FixedClock
    from shared.contracts import BookingConfirmed
    from tests.infra import bearer, produce

    events = await start_service(events_spec)
    then = datetime(2030, 5, 4, 12, 0, tzinfo=UTC)
    events.runtime.clock = FixedClock(then)
    booking_id = uuid4()
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", [BookingConfirmed(
        booking_id=booking_id, venue_id=uuid4(), space_id=uuid4(),
        starts_at=then + timedelta(days=3), ends_at=then + timedelta(days=3, hours=2),
        title="Kuoroharjoitus", organiser_id=uuid4(), organiser_subject="kuoro")])
    organiser = bearer("organiser", subject="kuoro")

    async def draft() -> Any:
        items = (await events.get("/events", headers=organiser,
                                  params={"booking_id": str(booking_id)})).json()["items"]
        return items[0] if items else None

    made = await eventually(draft)
    [step] = (await events.get(f"/events/{made['id']}/history", headers=organiser)).json()
    assert datetime.fromisoformat(step["at"].replace("Z", "+00:00")) == then


async def _inbox_and_effects(fresh_database: Callable[[str], Awaitable[str]]) -> asyncpg.Pool:
    pool = await create_pool(await fresh_database("booking"), 1, 10)
    await pool.execute("CREATE TABLE effects (venue_id uuid NOT NULL, revision int NOT NULL,"
                       " at timestamptz NOT NULL DEFAULT clock_timestamp())")
    return pool


async def test_records_sharing_a_transaction_keep_order_once_each_and_the_same_failures(
        fresh_database: Callable[[str], Awaitable[str]]) -> None:
    """A lane's records in one transaction: each aggregate in order, each event once (a
    duplicate in the batch or from an earlier one is skipped), and a failing record is
    applied alone afterwards with its retries and dead letter, the others kept."""
    pool = await _inbox_and_effects(fresh_database)
    dead: list[Any] = []

    class Dlq:
        async def send_and_wait(self, topic: str, **record: Any) -> None:
            dead.append(record)

    async def on_venue(conn: asyncpg.Connection, event: VenueRegistered, _: Any,
                       clock: Clock) -> None:
        if event.name.fi == "FAIL":
            raise ValueError("this venue can never be handled")
        await conn.execute("INSERT INTO effects (venue_id, revision) VALUES ($1, $2)",
                           event.venue_id, event.revision)

    consumer = EventConsumer(name="test", handlers={VenueRegistered: on_venue},
                             pool=lambda: pool, producer=lambda: Dlq(),  # type: ignore
                             concurrency=3, records_per_transaction=4, retry_delay=0.01)
    venues = [venue_event(f"Kirjasto {i}") for i in range(5)]
    batch = [as_record(v.model_copy(update={"revision": r}), offset=len(venues) * r + i)
             for r in range(1, 5) for i, v in enumerate(venues)]
    earlier = batch[2]  # a first revision
    failing = as_record(venue_event("FAIL"), offset=100)
    try:
        await consumer.process(earlier)  # already applied: the batch must skip it
        await consumer.process_batch([*batch, batch[3], failing])
        rows = await pool.fetch("SELECT venue_id, revision FROM effects ORDER BY at")
        inbox = await pool.fetchval("SELECT count(*) FROM inbox")
    finally:
        await pool.close()
    for v in venues:
        assert [r["revision"] for r in rows if r["venue_id"] == v.venue_id] == [1, 2, 3, 4]
    assert len(rows) == 20 and inbox == 20
    assert len(dead) == 1 and dead[0]["value"] == failing.value


async def test_a_lock_held_elsewhere_sends_shared_records_one_by_one_and_loses_none(
        fresh_database: Callable[[str], Awaitable[str]]) -> None:
    """Another transaction holds what one record needs (as another lane's transaction of
    several records might, in the opposite order): after a short wait the lane's records go
    one by one, wait for the lock as long as it takes, and all of them are applied."""
    import asyncio

    from shared.consumer import LOCK_WAIT_TOGETHER

    pool = await _inbox_and_effects(fresh_database)

    async def on_venue(conn: asyncpg.Connection, event: VenueRegistered, _: Any,
                       clock: Clock) -> None:
        if event.name.fi == "LUKITTU":
            await conn.execute("SELECT pg_advisory_xact_lock(42)")
        await conn.execute("INSERT INTO effects (venue_id, revision) VALUES ($1, $2)",
                           event.venue_id, event.revision)

    consumer = EventConsumer(name="test", handlers={VenueRegistered: on_venue},
                             pool=lambda: pool, producer=lambda: None,  # type: ignore
                             concurrency=1, records_per_transaction=10)
    batch = [as_record(venue_event(name), offset=i)
             for i, name in enumerate(["Eka", "LUKITTU", "Kolmas"])]
    holder = await pool.acquire()
    try:
        await holder.execute("BEGIN; SELECT pg_advisory_xact_lock(42)")
        handling = asyncio.create_task(consumer.process_batch(batch))
        # Past the shared wait: the first record was applied alone, the second waits.
        async def first_alone() -> bool:
            return await pool.fetchval("SELECT count(*) FROM effects") == 1

        await eventually(first_alone, timeout=10)
        await asyncio.sleep(float(LOCK_WAIT_TOGETHER.removesuffix("ms")) / 1000 * 2)
        assert await pool.fetchval("SELECT count(*) FROM effects") == 1
        assert not handling.done()
        await holder.execute("COMMIT")
        await asyncio.wait_for(handling, 10)
        assert await pool.fetchval("SELECT count(*) FROM effects") == 3
        assert await pool.fetchval("SELECT count(*) FROM inbox") == 3
    finally:
        await pool.release(holder)
        await pool.close()
    assert consumer.handled == 3
