"""Transactional outbox: events are written with the state change and published by a relay.

`enqueue` runs inside the caller's transaction, so a rolled-back change publishes nothing.
`OutboxRelay` publishes unsent rows with an idempotent producer and deletes each row once
Kafka has it; when Kafka is down the rows wait and go out when it is back. A published row
has done its work (the topic keeps the event), and kept it would hold personal data past the
service's retention; marking it sent instead rewrote the whole row, payload and indexes
included, which cost more than the insert that made it.

Order: one relay per service is active at a time (it holds a session-level advisory lock on
its own connection; when its replica dies the connection closes, the lock is released and a
standby replica takes over within one poll interval). The active relay publishes in id
order, and an aggregate's changes lock the aggregate's row before writing their event, so
each aggregate's events reach its Kafka partition in commit order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from shared.contracts import DomainEvent
from shared.db import Connection, init_connection, log_failed_pass
from shared.envelope import Envelope
from shared.kafka import backoff_delay
from shared.tracing import current_traceparent

log = logging.getLogger(__name__)

_RELAY_LOCK_BASE = 0x6B6F6874_6F757478  # "kohtoutx"


async def enqueue(
    conn: Connection, event: DomainEvent, traceparent: str | None = None
) -> Envelope:
    """Add `event` to the outbox in the caller's open transaction and return its envelope."""
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.enqueue must run inside the state change's transaction")
    envelope = event.to_envelope(traceparent or current_traceparent.get())
    await conn.execute(
        """INSERT INTO outbox (event_id, topic, key, event_type, headers, payload)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        envelope.id,
        event.TOPIC,
        envelope.partitionkey,
        envelope.type,
        envelope.kafka_headers(),
        envelope.data,
    )
    return envelope


def outbox_rows(events: list[DomainEvent], traceparent: str | None = None
                ) -> list[dict[str, Any]]:
    """The outbox rows of `events` as one JSON value, for `INSERT_OUTBOX_ROWS`."""
    rows = []
    for event in events:
        envelope = event.to_envelope(traceparent or current_traceparent.get())
        rows.append({"event_id": str(envelope.id), "topic": event.TOPIC,
                     "key": envelope.partitionkey, "event_type": envelope.type,
                     "headers": envelope.kafka_headers(), "payload": envelope.data})
    return rows


#: `enqueue` as part of a larger statement, e.g. a data-modifying CTE beside the state change
#: it reports, so both commit together in one round trip: `rows` is the parameter holding
#: `outbox_rows`, and the events go in once per row of `source` (a relation of at most one
#: row, such as the CTE that made the change: no change, no event), in the order given.
INSERT_OUTBOX_ROWS = """INSERT INTO outbox (event_id, topic, key, event_type, headers, payload)
    SELECT e.event_id, e.topic, e.key, e.event_type, e.headers, e.payload
    FROM {source}, ROWS FROM (jsonb_to_recordset({rows}::jsonb) AS (event_id uuid,
             topic text, key text, event_type text, headers jsonb, payload jsonb))
         WITH ORDINALITY AS e(event_id, topic, key, event_type, headers, payload, position)
    ORDER BY e.position"""

#: As `INSERT_OUTBOX_ROWS`, for a statement that changes several rows at once: each event goes
#: in with the row of `source` whose `id` its payload names in `field` (no row, no event).
INSERT_OUTBOX_ROWS_PER_ROW = """INSERT INTO outbox
        (event_id, topic, key, event_type, headers, payload)
    SELECT e.event_id, e.topic, e.key, e.event_type, e.headers, e.payload
    FROM ROWS FROM (jsonb_to_recordset({rows}::jsonb) AS (event_id uuid,
             topic text, key text, event_type text, headers jsonb, payload jsonb))
         WITH ORDINALITY AS e(event_id, topic, key, event_type, headers, payload, position)
    JOIN {source} ON {source}.id = (e.payload->>'{field}')::uuid
    ORDER BY e.position"""


#: The relay's read: the oldest unsent rows, at most $1.
UNSENT_BATCH = """SELECT id, topic, key, headers, payload FROM outbox
                  WHERE sent_at IS NULL ORDER BY id LIMIT $1"""


#: How the relay's connection plans, both for the read above:
#: - each statement as it runs: a prepared statement's generic plan, made while the outbox was
#:   empty (as it nearly always is), reads the whole table and sorts it, and kept that plan
#:   when Kafka was away and the rows piled up;
#: - by the index of unsent rows, never the heap: under load the outbox holds a few live rows
#:   among thousands deleted since autovacuum last ran, so the statistics (next to no rows)
#:   choose a scan of every page, dead ones included, and a sort, which grows until
#:   autovacuum comes by. In the booking bench (pg_stat_statements): 0.79 ms a poll, against
#:   0.045 ms through the index.
RELAY_PLANNING = {"plan_cache_mode": "force_custom_plan", "enable_seqscan": "off",
                  "enable_bitmapscan": "off"}


def _encode(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


class OutboxRelay:
    """Publishes a service's outbox to Kafka; run one per replica, one is active."""

    def __init__(
        self,
        *,
        dsn: str,
        producer: AIOKafkaProducer,
        service: str,
        topic_prefix: str = "",
        batch_size: int = 500,
        poll_interval: float = 1.0,
        linger: float = 0.005,
        quiet_poll: float = 0.05,
    ) -> None:
        self.dsn = dsn
        self.producer = producer
        self.service = service
        self.topic_prefix = topic_prefix
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.linger = linger
        self.quiet_poll = quiet_poll
        # One lock per service and topic prefix, so test runs side by side do not block.
        digest = hashlib.blake2b(f"{service}|{topic_prefix}".encode(), digest_size=7).digest()
        self.lock_key = _RELAY_LOCK_BASE ^ int.from_bytes(digest, "big")
        self.active = False
        self.published = 0
        #: Failed publishes in a row (Kafka away): the wait before the next grows with them.
        self.failures = 0

    async def run(self) -> None:
        """Forever: take the relay lock, then publish as rows arrive. Survives outages."""
        backoff = self.poll_interval
        while True:
            try:
                await self._run_once()
                backoff = self.poll_interval
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log_failed_pass(log, "outbox relay stopped; restarting", exc)
            self.active = False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 30.0)

    async def _run_once(self) -> None:
        conn = await self.connect()
        try:
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", self.lock_key):
                await asyncio.sleep(self.poll_interval)  # standby: another replica relays
            self.active = True
            log.info("outbox relay active")
            await self.forget_marked(conn)
            # Polled, not woken by NOTIFY (shared/migrations/002): a look every `linger`
            # while rows flow, so rows written a moment apart go out as one batch (one read,
            # one Kafka request, one delete), backing off to `quiet_poll` when none come.
            wait = self.linger
            while True:
                sent = await self.publish_batch(conn)
                if sent == self.batch_size:
                    continue
                wait = self.linger if sent else min(wait * 2, self.quiet_poll)
                await asyncio.sleep(wait)
        finally:
            self.active = False
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)

    async def connect(self) -> Connection:
        """The relay's own connection (it holds the lock for as long as it lives), with its
        planner settings given at start-up, so no statement is spent on them."""
        conn: Connection = await asyncpg.connect(self.dsn, server_settings=RELAY_PLANNING)
        try:
            await init_connection(conn)
        except BaseException:
            await conn.close()
            raise
        return conn

    async def publish_batch(self, conn: Connection) -> int:
        """Publish one batch of unsent rows in id order; return how many went out."""
        rows = await conn.fetch(UNSENT_BATCH, self.batch_size)
        if not rows:
            return 0
        results: list[BaseException | None] = []
        try:
            futures = []
            for row in rows:
                headers = [(k, str(v).encode()) for k, v in row["headers"].items()]
                futures.append(
                    await self.producer.send(
                        self.topic_prefix + row["topic"],
                        value=_encode(row["payload"]),
                        key=row["key"].encode(),
                        headers=headers,
                    )
                )
            for outcome in await asyncio.gather(*futures, return_exceptions=True):
                results.append(outcome if isinstance(outcome, BaseException) else None)
        except Exception as exc:  # the send itself failed (no metadata: Kafka is down)
            results.extend([exc] * (len(rows) - len(results)))
        # Delete only the unbroken run from the start: a row after a failed one waits,
        # so a retry never puts an aggregate's older event behind a newer one.
        sent_ids: list[int] = []
        for row, error in zip(rows, results, strict=True):
            if error is not None:
                await conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                    row["id"],
                    repr(error)[:500],
                )
                self.failures += 1
                log.warning(
                    "outbox publish failed; will retry",
                    extra={"outbox_id": row["id"], "error": repr(error),
                           "failures_in_a_row": self.failures},
                )
                # Backoff with jitter, at most 5 s: the rows go out soon after Kafka is back.
                await asyncio.sleep(backoff_delay(self.failures,
                                                  min(self.poll_interval, 0.5), 5.0))
                break
            sent_ids.append(row["id"])
        if sent_ids:
            if self.failures and len(sent_ids) == len(rows):
                log.info("outbox publishing again", extra={"failures": self.failures})
                self.failures = 0
            await conn.execute("DELETE FROM outbox WHERE id = ANY($1::bigint[])", sent_ids)
            self.published += len(sent_ids)
        return len(sent_ids)


    async def forget_marked(self, conn: Connection) -> int:
        """Delete the rows a relay of an earlier version marked sent and kept (`sent_at`):
        those left from before this version, and any an older replica marks while a rolling
        update runs, when one of them still holds the lock. Run as a relay takes over."""
        status = await conn.execute("DELETE FROM outbox WHERE sent_at IS NOT NULL")
        gone = int(status.split()[-1])
        if gone:
            log.info("outbox rows sent by an earlier version deleted", extra={"deleted": gone})
        return gone


async def backlog(conn: Connection) -> tuple[int, float | None]:
    """Unsent rows and the age in seconds of the oldest one (for health and metrics)."""
    row = await conn.fetchrow(
        "SELECT count(*) AS n, extract(epoch FROM now() - min(created_at)) AS age"
        " FROM outbox WHERE sent_at IS NULL"
    )
    assert row is not None
    return int(row["n"]), (float(row["age"]) if row["age"] is not None else None)
