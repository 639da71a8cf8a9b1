"""Prometheus metrics of a service replica, at `/metrics`.

HTTP rate and latency by route come from `HttpMetrics` (the names and labels
prometheus-fastapi-instrumentator gives them), message handling from FastStream's own
Prometheus middleware; the outbox backlog and the age of its oldest
unsent row, dead letters, consumer lag per partition and whether this replica's relay is the
active one are refreshed by a small background task. Each runtime has its own registry, so
several services can run in one process (as the tests do).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from time import perf_counter
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Response
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
        """Rate and latency by route, method and status, and `/metrics`."""
        requests = Counter("http_requests_total", "Total number of requests by method, status "
                           "and handler.", ["method", "status", "handler"],
                           registry=self.registry)
        latency = Histogram("http_request_duration_seconds", "Latency with only few buckets "
                            "by handler.", ["handler"], registry=self.registry,
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10))
        app.add_middleware(HttpMetrics, requests=requests, latency=latency)
        registry = self.registry

        @app.get("/metrics", include_in_schema=False)
        async def exposition() -> Response:
            return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

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


def route_back(scope: Scope, inner: Scope) -> None:
    """A middleware that called the application with a copy of the scope gives back the route
    the router matched in the copy, so `HttpMetrics` outside it names the route."""
    if "route" in inner:
        scope["route"] = inner["route"]


class HttpMetrics:
    """Plain ASGI: counts each request and observes its time under the route's template
    (``/bookings/{booking_id}``, which the router leaves in the scope), the method and the
    status class, as prometheus-fastapi-instrumentator names them. Its middleware looked the
    route up again by matching every route and built a response object per request: 5 % of a
    booking request's CPU (issue #20)."""

    EXCLUDED = frozenset({"/metrics", "/health/live", "/health/ready"})

    def __init__(self, app: ASGIApp, requests: Counter, latency: Histogram) -> None:
        self.app = app
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            # No route matched (a 404, an odd path): one label, not one per path asked.
            handler = getattr(scope.get("route"), "path", None) or "none"
            if handler not in self.EXCLUDED:
                self.requests.labels(scope["method"], f"{status // 100}xx", handler).inc()
                self.latency.labels(handler).observe(perf_counter() - start)
