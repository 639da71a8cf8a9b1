"""One service process: FastAPI for HTTP and a FastStream Kafka broker, started together.

Each service declares a `ServiceSpec` (its routers, event handlers, published events and
background jobs); `create_app` wires the rest the same way everywhere: settings, JSON logs,
pool, migrations, topics, the outbox relay, the idempotent consumer and health endpoints.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import fastapi_standalone_docs
import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from faststream.specification.asyncapi.site import get_asyncapi_html
from opentelemetry import trace
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import tracing
from shared.asyncapi_wire import describe_wire
from shared.clock import Clock, configured_clock
from shared.collector import short_full_collections
from shared.consumer import EventConsumer, Handler
from shared.contracts import DomainEvent, dlq_topic
from shared.db import create_pool, migrate
from shared.forms import FormText
from shared.http import RefusalText, install_error_handlers, language_tag, reader_language
from shared.kafka import (
    ClusterMonitor,
    TopicLayout,
    TopicLayoutError,
    backoff_delay,
    ensure_topics,
    install_reconnect_backoff,
    make_producer,
)
from shared.logging import configure_logging
from shared.methods import install_method_gate
from shared.observability import ServiceMetrics
from shared.openapi import install_openapi_answers
from shared.outbox import OutboxRelay, backlog
from shared.pages import HeadAsGet, PageHeaders, TrustedProxies, front_page_errors
from shared.readcache import PublicReadCacheMiddleware, ReadCache, channel_of
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass
class ServiceSpec:
    name: str
    title: str
    description: str
    routers: Sequence[APIRouter] = ()
    handlers: Mapping[type[DomainEvent], Handler] = field(default_factory=dict)
    publishes: Sequence[type[DomainEvent]] = ()
    #: Long-running jobs started with the service (each gets the runtime).
    background: Sequence[Callable[[ServiceRuntime], Awaitable[None]]] = ()
    #: Called once after migrations, e.g. to load reference data.
    on_start: Sequence[Callable[[ServiceRuntime], Awaitable[None]]] = ()
    #: Path prefixes of public GETs answered from memory until the data changes; the
    #: service's migrations notify `readcache.channel_of(name)` on every such change.
    public_reads: Sequence[str] = ()
    #: Where a person starts on this service: its address `/` leads there, and a refusal
    #: shown to a browser outside the page routers links on to it.
    front_page: str = "/docs"
    #: Records a consumer lane applies in one transaction (`shared/consumer.py`): above one
    #: only where the handlers lock nothing another aggregate's handler locks.
    records_per_transaction: int = 1
    #: The service's words for its refusals in the reader's language, from the catalogue its
    #: pages say them from: the `message` of its API's refusals (`shared.http.RefusalText`).
    refusal_text: RefusalText | None = None


class ServiceRuntime:
    """What a running replica holds; HTTP handlers reach it through `request.app.state`."""

    def __init__(self, spec: ServiceSpec, settings: ServiceSettings) -> None:
        self.spec = spec
        self.settings = settings
        self._pool: asyncpg.Pool | None = None
        #: "Now" for every use case this replica runs: the wall clock, or with
        #: KOHTAAMO_CLOCK_FILE (development/tests) the wall clock plus that file's offset;
        #: in-process tests put a FixedClock here.
        self.clock: Clock = configured_clock(settings.clock_file)
        self._producer: AIOKafkaProducer | None = None
        self.metrics = ServiceMetrics(spec.name)
        # A list: FastStream takes a string as one address, so "a:9092,b:9092" would be
        # one host named "a:9092,b".
        self.broker = KafkaBroker(
            settings.kafka_bootstrap,
            client_id=f"kohtaamo-{spec.name}-{settings.replica_name}",
            logger=logging.getLogger(f"kohtaamo.{spec.name}.broker"),
            middlewares=[self.metrics.broker_middleware()],
        )
        self.consumer = EventConsumer(
            name=spec.name,
            handlers=spec.handlers,
            pool=lambda: self.pool,
            producer=lambda: self.producer,
            topic_prefix=settings.topic_prefix,
            max_attempts=settings.consumer_max_attempts,
            batch_size=settings.consumer_batch_size,
            # Half the pool: HTTP requests and the scheduled jobs keep connections too.
            concurrency=max(1, settings.db_pool_max // 2),
            records_per_transaction=spec.records_per_transaction,
            clock=lambda: self.clock,
        )
        if spec.handlers:
            self.consumer.subscribe(self.broker, settings.consumer_group)
        for event_cls in spec.publishes:
            # Documentation only (AsyncAPI): the outbox relay does the publishing.
            self.broker.publisher(
                settings.topic(event_cls.TOPIC),
                title=f"{event_cls.TOPIC}:{event_cls.EVENT_TYPE}",
                description=(event_cls.__doc__ or "").strip() or None,
                schema=event_cls,
            )
        self.relay: OutboxRelay | None = None
        self.read_cache = (ReadCache(channel_of(spec.name), settings.read_cache_entries)
                           if spec.public_reads and settings.read_cache_entries else None)
        #: Replication and min ISR of the topics, known after start.
        self.topic_layout: TopicLayout | None = None
        self.cluster = ClusterMonitor(settings.kafka_bootstrap, self.topics(),
                                      registry=self.metrics.registry,
                                      interval=settings.kafka_health_interval)
        self._tasks: list[asyncio.Task[None]] = []
        #: Set when start() has finished: migrations, reference data, clients, jobs.
        self.started = False
        #: Set once the producer, the consumer and the relay run (at start, or later in the
        #: background when Kafka was away at start).
        self.kafka_connected = False
        #: Set when stop() begins: readiness answers 503 so the pod leaves its Service.
        self.stopping = False
        self._shutdown = asyncio.Event()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("service not started")
        return self._pool

    @property
    def producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("service not started")
        return self._producer

    def topics(self) -> list[str]:
        s = self.settings
        own = {s.topic(e.TOPIC) for e in self.spec.publishes}
        consumed = {s.topic(e.TOPIC) for e in self.spec.handlers}
        return sorted(own | consumed | {s.topic(dlq_topic(e.TOPIC)) for e in self.spec.handlers})

    async def start(self) -> None:
        s = self.settings
        self._pool = await create_pool(s.dsn, s.db_pool_min, s.db_pool_max)
        async with self.pool.acquire() as conn:
            await migrate(conn, self.spec.name)
        for hook in self.spec.on_start:
            await hook(self)
        # Kafka: at once when it answers (or the topics are wrong: then the service must not
        # start); when it does not, the replica serves from its database and connects in
        # the background, so a pod (re)started during a broker outage still serves.
        try:
            await self._connect_kafka(s.kafka_start_wait)
        except TopicLayoutError:
            raise
        except Exception as exc:
            log.warning("kafka unreachable at start; serving from the database and "
                        "connecting in the background", extra={"error": repr(exc)})
            self._spawn(self._connect_kafka_in_background(), "kafka-connect")
        self._spawn(self.metrics.run(self), "metrics-refresh")
        if self.read_cache is not None:
            self._spawn(self.read_cache.listen(s.dsn), "read-cache-listen")
        self._spawn(self.cluster.run(), "kafka-cluster-watch")
        for job in self.spec.background:
            task = self._spawn(job(self), getattr(job, "__name__", "job"))
            if getattr(job, "drains_on_shutdown", False):
                task.drains_on_shutdown = True  # type: ignore[attr-defined]
        self.started = True
        log.info("service started", extra={
            "replica": s.replica_name, "topics": self.topics(),
            "kafka": s.kafka_bootstrap, "kafka_connected": self.kafka_connected,
            "replication": self.topic_layout.replication if self.topic_layout else None,
            "min_insync_replicas": (self.topic_layout.min_insync_replicas
                                    if self.topic_layout else None)})

    async def _connect_kafka(self, wait: float) -> None:
        """Check or make the topics, start the producer, the consumer and the outbox relay."""
        s = self.settings
        self.topic_layout = await ensure_topics(
            s.kafka_bootstrap, self.topics(), s.topic_partitions, s.topic_replication,
            timeout=wait, min_insync_replicas=s.topic_min_insync_replicas,
        )
        producer = make_producer(s.kafka_bootstrap, f"kohtaamo-{self.spec.name}-{s.replica_name}")
        try:
            await producer.start()
            await self.broker.start()
        except BaseException:
            with contextlib.suppress(Exception):
                await producer.stop()
            with contextlib.suppress(Exception):
                await self.broker.stop()
            raise
        self._producer = producer
        self.relay = OutboxRelay(
            dsn=s.dsn,
            producer=producer,
            service=self.spec.name,
            topic_prefix=s.topic_prefix,
            batch_size=s.outbox_batch_size,
            poll_interval=s.outbox_poll_interval,
        )
        self._spawn(self.relay.run(), "outbox-relay")
        self.kafka_connected = True
        self.cluster.mark_reachable()  # the clients above just reached it

    async def _connect_kafka_in_background(self) -> None:
        failures = 0
        while not self.stopping:
            try:
                await self._connect_kafka(60.0)
                log.info("kafka connected after start")
                return
            except TopicLayoutError:
                # The topics cannot give the durability asked for: as at start, the service
                # must not run. Stop the process (Kubernetes shows the message and restarts).
                log.critical("kafka topics refused; stopping", exc_info=True)
                os.kill(os.getpid(), signal.SIGTERM)
                return
            except Exception as exc:
                failures += 1
                log.warning("kafka still unreachable", extra={"error": repr(exc)})
                await self.pause(backoff_delay(failures, 1.0, 30.0))

    def _spawn(self, coro: Awaitable[None], name: str) -> asyncio.Task[None]:
        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background job crashed", extra={"job": name})

        task = asyncio.create_task(guarded(), name=name)
        self._tasks.append(task)
        return task

    async def pause(self, seconds: float) -> None:
        """Sleep `seconds`, or less when the replica begins to shut down: a job's wait
        between passes that never holds a shutdown up."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._shutdown.wait(), seconds)

    async def stop(self, grace: float = 10.0) -> None:
        """Shut down in the pod's grace period (SIGTERM; Kubernetes waits
        terminationGracePeriodSeconds, 45): stop taking work, let the work in hand end,
        publish what it wrote, then close. In order:

        1. readiness answers 503 (the pod leaves its Service) and the Kafka consumer stops:
           it leaves its group; the offsets of handled batches are committed, a batch in
           hand rolls back and is delivered again to another replica (the inbox makes that
           a no-op);
        2. jobs marked ``drains_on_shutdown`` (the notifications sender) see ``stopping``,
           take nothing new and finish what they hold, for at most
           ``KOHTAAMO_SHUTDOWN_DRAIN_SECONDS``; a job still busy after that is cancelled and
           releases its claims (the sender: the leases end now, so another replica decides
           about them at once, by the same rules as for a replica that died);
        3. the outbox relay publishes what is left (at most 5 s), so the outcomes just
           recorded reach Kafka now rather than through another replica;
        4. the other tasks are cancelled and the Kafka producer and the pool are closed,
           each step within `grace` seconds, so a stuck step never keeps a replica up."""
        self.stopping = True
        self._shutdown.set()
        await self._bounded("kafka consumer", self.broker.stop(), grace)
        draining = [t for t in self._tasks if getattr(t, "drains_on_shutdown", False)]
        if draining:
            _, busy = await asyncio.wait(draining, timeout=self.settings.shutdown_drain_seconds)
            for task in busy:
                log.warning("job still busy at shutdown: cancelled",
                            extra={"job": task.get_name()})
                task.cancel()
            if busy:
                await asyncio.wait(busy, timeout=grace)
        await self._bounded("outbox flush", self._flush_outbox(), 5.0)
        for task in self._tasks:
            task.cancel()
        steps: list[tuple[str, Awaitable[Any]]] = [
            (f"task {t.get_name()}", t) for t in self._tasks]
        if self._producer is not None:
            steps.append(("kafka producer", self._producer.stop()))
        if self._pool is not None:
            steps.append(("database pool", self._pool.close()))
        for name, step in steps:
            await self._bounded(name, step, grace)
        if self._pool is not None and not self._pool.is_closing():
            self._pool.terminate()  # connections still held after the grace period
        self._tasks.clear()
        tracing.flush()

    @staticmethod
    async def _bounded(name: str, step: Awaitable[Any], grace: float) -> None:
        # asyncio.wait, not wait_for: wait_for would wait again for a step that ignores
        # its cancellation, which is the very hang this guards against.
        future = asyncio.ensure_future(step)
        done, _ = await asyncio.wait({future}, timeout=grace)
        if not done:
            log.warning("shutdown step timed out", extra={"step": name})
            future.cancel()
        elif not future.cancelled() and future.exception() is not None:
            log.debug("shutdown step failed", extra={"step": name,
                                                      "error": repr(future.exception())})

    async def _flush_outbox(self) -> None:
        """Wait while this replica's active relay still has rows to publish."""
        while self.relay is not None and self.relay.active and self._pool is not None:
            async with self.pool.acquire() as conn:
                unsent, _ = await backlog(conn)
            if not unsent:
                return
            await asyncio.sleep(0.05)

    async def readiness(self) -> dict[str, Any]:
        """Ready = this pod can serve its requests: its start-up finished, it is not shutting
        down, and its own database answers. Kafka is reported (``kafka``,
        ``kafka_cluster``, the ``kohtaamo_kafka_*`` metrics and their alerts) but never part
        of it: while the broker is away the pages and feeds answer from PostgreSQL and the
        outbox keeps every write, so taking pods out of their Service would only make the
        public calendar, the boards and the booking desk go dark."""
        checks: dict[str, Any] = {}
        try:
            async with asyncio.timeout(2):
                async with self.pool.acquire() as conn:
                    unsent, oldest = await backlog(conn)
            checks["database"] = "ok"
            checks["outbox_unsent"] = unsent
            checks["outbox_oldest_age_s"] = oldest
        except Exception as exc:
            checks["database"] = f"error: {exc!r}"
        # The watch's last look (every KOHTAAMO_KAFKA_HEALTH_INTERVAL s), not a call now: a
        # probe must not wait on a broker that is away.
        checks["kafka"] = (self.cluster.as_detail() if self.kafka_connected
                           else f"not connected yet ({self.cluster.as_detail()})")
        checks["kafka_cluster"] = self.cluster.health.as_dict()
        checks["outbox_relay"] = "active" if self.relay and self.relay.active else "standby"
        checks["events_handled"] = self.consumer.handled
        checks["events_dead_lettered"] = self.consumer.dead_lettered
        checks["started"] = self.started
        checks["stopping"] = self.stopping
        checks["ready"] = (self.started and not self.stopping
                           and checks["database"] == "ok")
        return checks


class TraceContext:
    """FastAPI's own OpenTelemetry makes the request's SERVER span (continuing the caller's
    `traceparent`) while spans are recorded, else this makes its ids (`child_traceparent`);
    here it becomes the work's trace context for logs and outbox, and the
    response tells the caller the span, so a support ticket can name the trace. Plain ASGI,
    not BaseHTTPMiddleware, which would stream every request and response through a task."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        current = trace.get_current_span()
        if current.get_span_context().is_valid:
            current.set_attribute("kohtaamo.service", self.service)
            traceparent = tracing.traceparent_of(current)
        else:  # no span is recorded: the request's span is only its ids
            traceparent = tracing.child_traceparent(Headers(scope=scope).get("traceparent"))

        async def send_with_trace(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("traceparent", traceparent)
            await send(message)

        token = tracing.current_traceparent.set(traceparent)
        try:
            await self.app(scope, receive, send_with_trace)
        finally:
            tracing.current_traceparent.reset(token)


# Async, so FastAPI calls them on the event loop instead of hopping to a worker thread.
async def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def get_pool(request: Request) -> asyncpg.Pool:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime.pool


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]
Pool = Annotated[asyncpg.Pool, Depends(get_pool)]


async def get_clock(request: Request) -> Clock:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime.clock


CurrentClock = Annotated[Clock, Depends(get_clock)]


def _not_traced(scope: Scope) -> bool:
    return not tracing.recording()


def _reader_language(scope: Scope) -> str:
    return reader_language(Request(scope))


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings(service=spec.name)
    configure_logging(spec.name, settings.log_level)
    install_reconnect_backoff()
    tracing.configure_tracing(spec.name, settings.replica_name)
    runtime = ServiceRuntime(spec, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        # What start-up made, and what serving keeps, is out of the collector's full passes.
        with short_full_collections():
            try:
                yield
            finally:
                await runtime.stop()

    app = FastAPI(
        title=spec.title, description=spec.description, version="0.1.0", lifespan=lifespan,
        # The SERVER span per request is kept while spans are recorded (`TraceContext` makes
        # its ids otherwise, without the SDK). Spans of each dependency, endpoint and
        # serialisation cost a booking request ~8 % of its CPU for detail the SERVER span's
        # own duration and the database's statistics already give; HTTP metrics come from
        # Prometheus (ServiceMetrics), so FastAPI's OpenTelemetry metrics would be a copy.
        telemetry={"operation_spans": False, "metrics": False,
                   "exclude": _not_traced},
        # /docs and /redoc below load their scripts from this service, not from a CDN a
        # city's internal network may not reach.
        docs_url=None, redoc_url=None,
    )
    app.state.runtime = runtime
    # Routes are matched in the order they were added, each tried in turn: the service's own
    # first, so its busy paths do not first walk past the docs and health routes.
    for router in spec.routers:
        app.include_router(router)
    # First of all routes, whenever the others are added: OPTIONS and the methods an address
    # takes are answered from all of its routes, not the first one matched (shared.methods).
    install_method_gate(app)
    if runtime.read_cache is not None:
        # Innermost of the middlewares: the outer ones (trace, metrics, security headers)
        # still see every request, answered from memory or not.
        app.add_middleware(PublicReadCacheMiddleware, cache=lambda: runtime.read_cache,
                           prefixes=spec.public_reads, language=_reader_language,
                           now=lambda _: runtime.clock.now())
    _serve_api_docs(app)
    refusal_page = front_page_errors(spec.front_page)
    install_error_handlers(app, page=refusal_page, texts=spec.refusal_text)
    # The document says what those handlers answer, not only FastAPI's success and 422.
    install_openapi_answers(app)
    # Before any route reads a form: its text as its page counted it (shared.forms).
    app.add_middleware(FormText, page=refusal_page, max_body=settings.max_body_bytes,
                       page_routes=[r for router in spec.routers for r in router.routes])
    app.add_middleware(HeadAsGet)
    runtime.metrics.instrument(app)

    app.add_middleware(TraceContext, service=spec.name)
    # Outermost: the client's address is settled before anything reads it.
    app.add_middleware(PageHeaders)
    app.add_middleware(TrustedProxies, networks=settings.proxy_networks)

    @app.get("/", include_in_schema=False)
    async def front(request: Request) -> RedirectResponse:
        # The service's bare address, typed or shortened, leads to its front page.
        lang = language_tag(request.query_params.get("lang"))
        return RedirectResponse(spec.front_page + (f"?lang={lang}" if lang else ""),
                                status_code=303)

    @app.get("/health/live", tags=["health"])
    async def live() -> dict[str, str]:
        return {"status": "alive", "service": spec.name}

    @app.get("/health/ready", tags=["health"])
    async def ready() -> JSONResponse:
        checks = await runtime.readiness()
        return JSONResponse(checks, status_code=200 if checks["ready"] else 503)

    @app.get("/asyncapi.json", tags=["docs"])
    async def asyncapi_json() -> Response:
        return JSONResponse(asyncapi_document(runtime))

    @app.get("/asyncapi", tags=["docs"], response_class=HTMLResponse)
    async def asyncapi_html() -> str:
        return get_asyncapi_html(_Document(asyncapi_document(runtime)))  # type: ignore[arg-type]

    return app


#: Swagger UI's and ReDoc's own files, as the `fastapi-standalone-docs` package ships them.
_DOCS_ASSETS = Path(fastapi_standalone_docs.__file__).parent / "static"


def _serve_api_docs(app: FastAPI) -> None:
    """Swagger UI at /docs and ReDoc at /redoc, their assets served by the service itself."""
    app.mount("/docs/assets/swagger", StaticFiles(directory=_DOCS_ASSETS / "swagger"),
              name="swagger-assets")
    app.mount("/docs/assets/redoc", StaticFiles(directory=_DOCS_ASSETS / "redoc"),
              name="redoc-assets")
    app.mount("/docs/assets/fastapi", StaticFiles(directory=_DOCS_ASSETS / "fastapi"),
              name="docs-favicon")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} – Swagger UI",
            swagger_js_url=f"{root}/docs/assets/swagger/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs/assets/swagger/swagger-ui.css",
            swagger_favicon_url=f"{root}/docs/assets/fastapi/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} – ReDoc",
            redoc_js_url=f"{root}/docs/assets/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{root}/docs/assets/fastapi/favicon.png",
            with_google_fonts=False)


def asyncapi_document(runtime: ServiceRuntime) -> dict[str, Any]:
    """The service's AsyncAPI document: FastStream's, with what a record carries on the
    wire and what the service reads described (`shared.asyncapi_wire`)."""
    document = AsyncAPI(
        runtime.broker,
        title=f"Kohtaamo {runtime.spec.name}",
        version="0.1.0",
        description=runtime.spec.description,
    ).to_specification()
    return describe_wire(json.loads(document.to_json()), handled=runtime.spec.handlers,
                         published=runtime.spec.publishes, topic=runtime.settings.topic)


class _Document:
    """A finished document as FastStream's viewer reads one (it asks for `to_json`)."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.title = str(body.get("info", {}).get("title", ""))

    def to_json(self) -> str:
        return json.dumps(self.body)


#: How long a replica keeps an idle keep-alive connection: longer than its clients and
#: proxies keep theirs (httpx 5 s, an ingress's upstream pool 60 s), so the client side always
#: closes first. With uvicorn's 5 s, a request sent on a connection at the moment the server
#: closed it was lost ("server disconnected without sending a response"; a proxy's 502).
KEEP_ALIVE_SECONDS = 75


def run(spec: ServiceSpec) -> None:
    """Entry point of `python -m services.<name>`."""
    settings = ServiceSettings(service=spec.name)
    app = create_app(spec, settings)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port or 8000,
        log_config=None,
        access_log=False,
        lifespan="on",
        # Forwarded headers are read by `TrustedProxies`, from KOHTAAMO_TRUSTED_PROXIES only;
        # uvicorn's own default would believe anyone connecting from 127.0.0.1.
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
