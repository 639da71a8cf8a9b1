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
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
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
from shared.db import Connection
from shared.envelope import Envelope, EnvelopeError
from shared.kafka import backoff_delay

log = logging.getLogger(__name__)

#: A handler gets the open transaction's connection, the typed payload, its envelope and the
#: replica's clock ("now" for its use case: the one the HTTP edge and the jobs use too).
Handler = Callable[[Connection, Any, Envelope, Clock], Awaitable[None]]

INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
)


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
        gate = asyncio.Semaphore(self.concurrency)

        async def in_order(stream: list[ConsumerRecord[bytes, bytes]]) -> None:
            async with gate:
                for record in stream:
                    await self.process(record)

        if len(streams) == 1:
            await in_order(next(iter(streams.values())))
            return
        try:
            async with asyncio.TaskGroup() as group:
                for stream in streams.values():
                    group.create_task(in_order(stream))
        except BaseExceptionGroup as failed:
            # The first cause is enough for the seek back and the log; the other streams'
            # unfinished work was rolled back and comes again with the batch.
            raise failed.exceptions[0] from None

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        try:
            envelope = Envelope.from_kafka(record.key, record.value, record.headers)
        except EnvelopeError as exc:
            await self.dead_letter(record, exc, None)
            return
        event_cls = EVENT_TYPES.get(envelope.type)
        handler = self.handlers.get(event_cls) if event_cls else None
        if event_cls is None or handler is None:
            return  # not ours to handle: skipped, offset committed
        try:
            event = event_cls.model_validate(envelope.data)
        except ValidationError as exc:
            await self.dead_letter(record, exc, envelope)
            return

        with tracing.span(f"{envelope.type} process", SpanKind.CONSUMER, envelope.traceparent,
                          self.name, {
                              "messaging.system": "kafka",
                              "messaging.operation.type": "process",
                              "messaging.destination.name": record.topic,
                              "messaging.destination.partition.id": str(record.partition),
                              "messaging.kafka.offset": record.offset,
                              "messaging.message.id": str(envelope.id),
                              "messaging.consumer.group.name": self.name}) as current:
            await self._process(record, envelope, event, handler, current)

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
            except INFRASTRUCTURE_ERRORS as exc:
                # Not the message's fault: keep it, pause (longer, with jitter, the longer
                # the outage lasts), let FastStream seek back.
                self._outage_failures += 1
                log.warning(
                    "infrastructure unavailable; event will be redelivered",
                    extra={"event_id": str(envelope.id), "error": repr(exc)},
                )
                await asyncio.sleep(backoff_delay(self._outage_failures,
                                                  self.infrastructure_pause, 30.0))
                raise
            except PermanentError as exc:
                tracing.mark_error(current, f"dead-lettered: {exc!r}")
                await self.dead_letter(record, exc, envelope)
                return
            except Exception as exc:
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
        except INFRASTRUCTURE_ERRORS:
            log.warning("dead letter not recorded in the database (it is in Kafka)")
