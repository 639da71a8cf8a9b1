"""Prometheus metrics of a service replica, at `/metrics`.

HTTP rate and latency by route come from prometheus-fastapi-instrumentator, message handling
from FastStream's own Prometheus middleware; the outbox backlog and the age of its oldest
unsent row, dead letters, consumer lag per partition and whether this replica's relay is the
active one are refreshed by a small background task. Each runtime has its own registry, so
several services can run in one process (as the tests do).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry, Gauge
from prometheus_fastapi_instrumentator import Instrumentator, metrics

from shared.outbox import backlog

if TYPE_CHECKING:
    from shared.service import ServiceRuntime

log = logging.getLogger(__name__)


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.outbox_unsent = Gauge("kohtaamo_outbox_unsent", "Outbox rows not yet published",
                                   registry=self.registry)
        self.outbox_oldest_age = Gauge(
            "kohtaamo_outbox_oldest_unsent_age_seconds",
            "Age of the oldest unpublished outbox row (0 when none)", registry=self.registry)
        self.dead_letters = Gauge("kohtaamo_dead_letters",
                                  "Events this service has sent to a dead-letter topic",
                                  registry=self.registry)
        self.relay_active = Gauge("kohtaamo_outbox_relay_active",
                                  "1 when this replica's outbox relay is the active one",
                                  registry=self.registry)
        self.consumer_lag = Gauge("kohtaamo_consumer_lag",
                                  "Records not yet consumed, per topic partition",
                                  ["topic", "partition"], registry=self.registry)

    def broker_middleware(self) -> KafkaPrometheusMiddleware:
        return KafkaPrometheusMiddleware(registry=self.registry, app_name=self.service)

    def instrument(self, app: FastAPI) -> None:
        """Rate and latency by route, method and status. Only those two: the instrumentator's
        default set also keeps request and response size summaries and a second, 21-bucket
        latency histogram, which cost a booking request several per cent of its CPU."""
        (Instrumentator(registry=self.registry,
                        excluded_handlers=["/metrics", "/health/live", "/health/ready"])
         .add(metrics.requests(registry=self.registry),
              metrics.latency(registry=self.registry,
                              buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)))
         .instrument(app).expose(app, include_in_schema=False))

    async def refresh(self, runtime: ServiceRuntime) -> None:
        try:
            async with runtime.pool.acquire() as conn:
                unsent, oldest = await backlog(conn)
                dead = await conn.fetchval("SELECT count(*) FROM dead_letters")
            self.outbox_unsent.set(unsent)
            self.outbox_oldest_age.set(oldest or 0)
            self.dead_letters.set(dead)
        except Exception as exc:  # the database may be away: keep the last values
            log.debug("metrics refresh skipped the database", extra={"error": repr(exc)})
        self.relay_active.set(1 if runtime.relay and runtime.relay.active else 0)
        for subscriber in runtime.broker.subscribers:
            consumer: Any = getattr(subscriber, "consumer", None)
            if consumer is None:
                continue
            with contextlib.suppress(Exception):
                for tp in consumer.assignment():
                    high = consumer.highwater(tp)
                    if high is None:
                        continue
                    position = await consumer.position(tp)
                    self.consumer_lag.labels(tp.topic, str(tp.partition)).set(
                        max(high - position, 0))

    async def run(self, runtime: ServiceRuntime, interval: float = 5.0) -> None:
        while True:
            await self.refresh(runtime)
            await asyncio.sleep(interval)
