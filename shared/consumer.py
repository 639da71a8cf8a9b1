"""Idempotent Kafka consumer with bounded retries and a dead-letter topic.

For each record: read the CloudEvent, find the handler for its type, and run the handler in
one database transaction together with the insert of (consumer, event id) into `inbox`.

Records come in batches (up to ``batch_size``; one at a time when traffic is light, so nothing
waits for a batch to fill). The records of one aggregate (one key, so one partition) are
handled in order; different aggregates side by side, up to ``concurrency`` at once. The Kafka
offsets are committed once per batch, only after every record's transaction has committed
(FastStream's ``NACK_ON_ERROR`` policy acknowledges after the handler returns and seeks each
partition back to the batch's first record when it raises), so a crash re-delivers and the
inbox makes the second delivery a no-op. One commit per batch rather than per record: an offset
commit is a round trip to the broker's group coordinator that, per record, capped every
service at about 125 events/s (bench/flow.py).

With ``records_per_transaction`` above one (a service whose handlers lock nothing another
aggregate's handler locks until its commit, where rows many aggregates share are written in
one order), a batch's aggregates are dealt into ``concurrency`` lanes, and each
lane applies up to that many records in one transaction: one BEGIN, one inbox statement and one
COMMIT (one flush to disk) for them all instead of for each. If that transaction fails for any
reason, or waits for a lock longer than ``LOCK_WAIT_TOGETHER``, its records are applied again
one by one as above, in the same order, with the same retries and dead letters.

Failures are classed:
- the record is not a readable event, or its data does not fit the contract: dead letter now;
- the handler raises: retried ``max_attempts`` times with backoff, then dead letter; a
  deadlock or serialization failure with another aggregate's transaction is retried at once
  and does not count;
- the database or Kafka is unreachable: nothing is dead-lettered (the message is fine); the
  error propagates, FastStream seeks back and the record is tried again after a pause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer, ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.message import StreamMessage
from opentelemetry.trace import Span, SpanKind
from pydantic import ValidationError

from shared import tracing
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts import EVENT_TYPES, DomainEvent, dlq_topic
from shared.db import Connection, is_outage
from shared.envelope import Envelope, EnvelopeError
from shared.kafka import backoff_delay

log = logging.getLogger(__name__)

#: A handler gets the open transaction's connection, the typed payload, its envelope and the
#: replica's clock ("now" for its use case: the one the HTTP edge and the jobs use too).
Handler = Callable[[Connection, Any, Envelope, Clock], Awaitable[None]]

#: How long a transaction of several records waits for a lock before its records go one by
#: one: another lane's or replica's transaction may hold the same rows in the opposite order,
#: and PostgreSQL's deadlock check would wait a second before it said so.
LOCK_WAIT_TOGETHER = "100ms"

_INBOX_MANY = """INSERT INTO inbox (consumer, event_id, event_type)
                 SELECT $1, * FROM unnest($2::uuid[], $3::text[])
                 ON CONFLICT DO NOTHING RETURNING event_id"""

#: A record ready for its handler: the record, its envelope, its typed event, the handler.
Ready = tuple[ConsumerRecord[bytes, bytes], Envelope, DomainEvent, Handler]


async def _side_by_side(work: Sequence[Coroutine[Any, Any, None]]) -> None:
    """Run `work` at once (one alone, without a task). The first failure is raised as itself:
    it is enough for the seek back and the log; the others' unfinished work was rolled back
    and comes again with the batch."""
    if len(work) == 1:
        await work[0]
        return
    try:
        async with asyncio.TaskGroup() as group:
            for one in work:
                group.create_task(one)
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None


class PermanentError(Exception):
    """Raised by a handler for an event it can never apply: dead-lettered without retries."""


async def _keep_bodies(message: StreamMessage[Any]) -> Any:
    # The consumer reads the CloudEvents itself, so a broken record cannot fail in decoding.
    return message.body


class EventConsumer:
    """The subscriber of one service: every topic its handlers need, one consumer group."""

    def __init__(
        self,
        *,
        name: str,
        handlers: Mapping[type[DomainEvent], Handler],
        pool: Callable[[], asyncpg.Pool],
        producer: Callable[[], AIOKafkaProducer],
        topic_prefix: str = "",
        max_attempts: int = 3,
        retry_delay: float = 0.2,
        infrastructure_pause: float = 2.0,
        batch_size: int = 100,
        batch_wait_ms: int = 25,
        concurrency: int = 4,
        records_per_transaction: int = 1,
        clock: Callable[[], Clock] = lambda: SYSTEM_CLOCK,
    ) -> None:
        self.name = name
        #: Asked on every event, so a clock the runtime swaps (a test's FixedClock) holds.
        self._clock = clock
        self.handlers = dict(handlers)
        self._pool = pool
        self._producer = producer
        self.topic_prefix = topic_prefix
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.infrastructure_pause = infrastructure_pause
        self.batch_size = batch_size
        #: How long an idle consumer waits for records per poll (and pauses after an empty
        #: one): the most a lone event waits before it is handled.
        self.batch_wait_ms = batch_wait_ms
        #: Aggregates handled at once, each with a database connection of its own.
        self.concurrency = max(1, concurrency)
        #: Records of a lane applied in one transaction (module docstring).
        self.records_per_transaction = max(1, records_per_transaction)
        self.handled = 0
        self.dead_lettered = 0
        #: Infrastructure failures in a row: the pause before a redelivery grows with them.
        self._outage_failures = 0

    @property
    def topics(self) -> list[str]:
        return sorted({self.topic_prefix + cls.TOPIC for cls in self.handlers})

    def subscribe(self, broker: KafkaBroker, group_id: str) -> None:
        types = ", ".join(sorted(cls.EVENT_TYPE for cls in self.handlers))
        broker.subscriber(
            *self.topics,
            group_id=group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            batch=True,
            max_records=self.batch_size,
            batch_timeout_ms=self.batch_wait_ms,
            decoder=_keep_bodies,
            title=f"{self.name}:events",
            description=f"Handles {types}; other types on these topics are skipped.",
        )(self.on_batch)

    async def on_batch(self, bodies: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        await self.process_batch(raw if isinstance(raw, tuple) else (raw,))

    async def process_batch(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """Each aggregate's records in order (its key; records without one in their
        partition's order), aggregates side by side. Raises when any record must be
        redelivered: FastStream then seeks every partition back to the batch's start."""
        streams: dict[tuple[str, int, bytes | None], list[ConsumerRecord[bytes, bytes]]] = {}
        for record in records:
            streams.setdefault((record.topic, record.partition, record.key), []).append(record)
        if self.records_per_transaction > 1 and len(records) > 1:
            await self._in_lanes(list(streams.values()))
            return
        gate = asyncio.Semaphore(self.concurrency)

        async def in_order(stream: list[ConsumerRecord[bytes, bytes]]) -> None:
            async with gate:
                for record in stream:
                    await self.process(record)

        await _side_by_side([in_order(stream) for stream in streams.values()])

    async def _in_lanes(self, streams: list[list[ConsumerRecord[bytes, bytes]]]) -> None:
        """Each aggregate's records in one lane, in order; the lanes side by side, each
        applying its records ``records_per_transaction`` at a time."""
        lanes: list[list[ConsumerRecord[bytes, bytes]]] = [
            [] for _ in range(min(self.concurrency, len(streams)))]
        for stream in sorted(streams, key=len, reverse=True):
            min(lanes, key=len).extend(stream)

        async def run(lane: list[ConsumerRecord[bytes, bytes]]) -> None:
            for start in range(0, len(lane), self.records_per_transaction):
                await self._process_together(lane[start:start + self.records_per_transaction])

        await _side_by_side([run(lane) for lane in lanes])

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        ready = await self._ready(record)
        if ready is not None:
            await self._process_alone(ready)

    async def _ready(self, record: ConsumerRecord[bytes, bytes]) -> Ready | None:
        """The record with its envelope, event and handler; None when there is nothing to
        apply: not ours (skipped), or unreadable (dead-lettered here)."""
        try:
            envelope = Envelope.from_kafka(record.key, record.value, record.headers)
        except EnvelopeError as exc:
            await self.dead_letter(record, exc, None)
            return None
        event_cls = EVENT_TYPES.get(envelope.type)
        handler = self.handlers.get(event_cls) if event_cls else None
        if event_cls is None or handler is None:
            return None  # not ours to handle: skipped, offset committed
        try:
            event = event_cls.model_validate(envelope.data)
        except ValidationError as exc:
            await self.dead_letter(record, exc, envelope)
            return None
        return record, envelope, event, handler

    def _span(self, record: ConsumerRecord[bytes, bytes],
              envelope: Envelope) -> contextlib.AbstractContextManager[Span]:
        return tracing.span(f"{envelope.type} process", SpanKind.CONSUMER, envelope.traceparent,
                            self.name, {
                                "messaging.system": "kafka",
                                "messaging.operation.type": "process",
                                "messaging.destination.name": record.topic,
                                "messaging.destination.partition.id": str(record.partition),
                                "messaging.kafka.offset": record.offset,
                                "messaging.message.id": str(envelope.id),
                                "messaging.consumer.group.name": self.name})

    async def _process_alone(self, ready: Ready) -> None:
        record, envelope, event, handler = ready
        with self._span(record, envelope) as current:
            await self._process(record, envelope, event, handler, current)

    async def _process_together(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """Apply `records` in one transaction; if it fails, one by one."""
        ready = [r for r in [await self._ready(record) for record in records] if r is not None]
        if len(ready) < 2:
            for one in ready:
                await self._process_alone(one)
            return
        try:
            await self._apply_together(ready)
        except Exception as exc:
            log.info("records applied one by one after their shared transaction failed",
                     extra={"records": len(ready), "error": repr(exc)})
            for one in ready:
                await self._process_alone(one)
            return
        self._outage_failures = 0
        self.handled += len(ready)

    async def _apply_together(self, ready: Sequence[Ready]) -> None:
        async with self._pool().acquire() as conn, conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT_TOGETHER}'")
            first_time = {row["event_id"] for row in await conn.fetch(
                _INBOX_MANY, self.name, [envelope.id for _, envelope, _, _ in ready],
                [envelope.type for _, envelope, _, _ in ready])}
            for record, envelope, event, handler in ready:
                applied = envelope.id in first_time
                first_time.discard(envelope.id)  # the same id twice: applied once
                with self._span(record, envelope) as current:
                    current.set_attribute("kohtaamo.duplicate", not applied)
                    if applied:
                        await handler(conn, event, envelope, self._clock())

    async def _process(self, record: ConsumerRecord[bytes, bytes], envelope: Envelope,
                       event: DomainEvent, handler: Handler, current: Span) -> None:
        conflicts = 0
        attempt = 0
        while attempt < self.max_attempts:
            attempt += 1
            try:
                applied = await self._apply(handler, event, envelope)
                self._outage_failures = 0
                self.handled += 1
                current.set_attribute("kohtaamo.duplicate", not applied)
                log.debug(
                    "event handled" if applied else "duplicate event skipped",
                    extra={"event_id": str(envelope.id), "event_type": envelope.type},
                )
                return
            except asyncpg.TransactionRollbackError as exc:
                # A deadlock or serialization failure with another aggregate's transaction:
                # nobody's fault, and the next try usually goes through.
                if conflicts < self.max_attempts * 3:
                    conflicts += 1
                    attempt -= 1  # not this message's failure
                    log.info("transaction conflict; trying again",
                             extra={"event_id": str(envelope.id), "error": repr(exc)})
                    await asyncio.sleep(0.01 * conflicts)
                    continue
                raise
            except PermanentError as exc:
                tracing.mark_error(current, f"dead-lettered: {exc!r}")
                await self.dead_letter(record, exc, envelope)
                return
            except Exception as exc:
                if is_outage(exc):
                    # Not the message's fault (the database down, restarting, refusing
                    # connections, or its connection cut): keep it, pause (longer, with
                    # jitter, the longer the outage lasts), let FastStream seek back.
                    self._outage_failures += 1
                    log.warning(
                        "infrastructure unavailable; event will be redelivered",
                        extra={"event_id": str(envelope.id), "error": repr(exc)},
                    )
                    await asyncio.sleep(backoff_delay(self._outage_failures,
                                                      self.infrastructure_pause, 30.0))
                    raise
                if attempt == self.max_attempts:
                    tracing.mark_error(current, f"dead-lettered: {exc!r}")
                    await self.dead_letter(record, exc, envelope)
                    return
                log.warning(
                    "handler failed; retrying",
                    extra={"event_id": str(envelope.id), "attempt": attempt,
                           "error": repr(exc)},
                )
                await asyncio.sleep(self.retry_delay * 2 ** (attempt - 1))

    async def _apply(self, handler: Handler, event: DomainEvent, envelope: Envelope) -> bool:
        async with self._pool().acquire() as conn, conn.transaction():
            first_time = await conn.fetchval(
                """INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
                   ON CONFLICT DO NOTHING RETURNING true""",
                self.name,
                envelope.id,
                envelope.type,
            )
            if not first_time:
                return False
            await handler(conn, event, envelope, self._clock())
            return True

    async def dead_letter(
        self,
        record: ConsumerRecord[bytes, bytes],
        error: BaseException,
        envelope: Envelope | None,
    ) -> None:
        """Park the record in `<topic>.dlq` with the error, then let the consumer move on.

        If the dead-letter topic cannot be written either, this raises and the record is
        redelivered: a poison message is never silently dropped.
        """
        reason = f"{type(error).__name__}: {error}"[:2000]
        headers = [
            *(record.headers or ()),
            ("x-dlq-consumer", self.name.encode()),
            ("x-dlq-error", reason.encode()),
            ("x-dlq-topic", record.topic.encode()),
            ("x-dlq-partition", str(record.partition).encode()),
            ("x-dlq-offset", str(record.offset).encode()),
        ]
        topic = record.topic
        base = topic[len(self.topic_prefix):] if topic.startswith(self.topic_prefix) else topic
        await self._producer().send_and_wait(
            self.topic_prefix + dlq_topic(base),
            value=record.value,
            key=record.key,
            headers=headers,
        )
        self.dead_lettered += 1
        log.error(
            "event dead-lettered",
            extra={"topic": topic, "offset": record.offset, "error": reason,
                   "log_every": True},  # each one matters: never folded into a count
        )
        try:
            async with self._pool().acquire() as conn:
                await conn.execute(
                    """INSERT INTO dead_letters
                       (consumer, topic, partition, "offset", event_id, event_type, error)
                       VALUES ($1, $2, $3, $4, $5, $6, $7)""",
                    self.name,
                    topic,
                    record.partition,
                    record.offset,
                    str(envelope.id) if envelope else None,
                    envelope.type if envelope else None,
                    reason,
                )
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("dead letter not recorded in the database (it is in Kafka)")
