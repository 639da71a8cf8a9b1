"""Kafka clients shared by the outbox relay, the dead-letter path and topic set-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError

log = logging.getLogger(__name__)


def make_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    """Idempotent producer, every in-sync replica acknowledges: nothing lost, no duplicates
    from the producer's own retries, and each partition keeps the order of sends."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
    )


async def ensure_topics(
    bootstrap_servers: str,
    topics: list[str],
    partitions: int,
    replication: int,
    timeout: float = 90.0,
) -> None:
    """Create the topics with their partition counts up front (idempotent).

    Consumers subscribe before anyone has produced, and an auto-created topic would get the
    broker's default partition count, so every service creates what it uses on start.
    """
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in topics if t not in existing]
            if missing:
                # TopicAlreadyExists: another replica won the race.
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(
                        [NewTopic(t, partitions, replication) for t in missing]
                    )
                log.info("topics created", extra={"topics": missing})
            return
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(
                    f"Kafka at {bootstrap_servers} did not answer within {timeout:.0f} s: {exc}"
                ) from exc
            log.warning("waiting for Kafka", extra={"error": str(exc)})
            await asyncio.sleep(1.0)
        finally:
            await admin.close()
