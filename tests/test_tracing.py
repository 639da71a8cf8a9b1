"""OpenTelemetry: one booking followed across services as one trace of parent-child spans,
and exported by OTLP over HTTP to a collector."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio
import uvicorn
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.booking.app import spec as booking_spec
from services.events.app import spec as events_spec
from shared import tracing
from tests.infra import bearer, eventually

pytestmark = pytest.mark.infra

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()  # the processor stays on the provider but keeps nothing more


def of_trace(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans()
            if s.context is not None and f"{s.context.trace_id:032x}" == TRACE_ID]


def span_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return f"{span.context.span_id:016x}"


def parent_id(span: ReadableSpan) -> str | None:
    return f"{span.parent.span_id:016x}" if span.parent else None


async def test_a_request_its_event_and_the_other_services_handling_are_one_trace(
        start_service: Any, spans: InMemorySpanExporter) -> None:
    booking = await start_service(booking_spec)
    events = await start_service(events_spec)
    response = await booking.post("/venues", headers={
        **bearer("admin"), "traceparent": f"00-{TRACE_ID}-{CALLER_SPAN}-01"}, json={
        "name": {"fi": "Maaningan kirjasto"}, "kind": "library", "area": "kuopio.maaninka",
        "municipality": "Kuopio"})
    assert response.status_code == 201, response.text

    def consumed() -> ReadableSpan | None:
        return next((s for s in of_trace(spans) if s.kind == SpanKind.CONSUMER
                     and s.attributes and s.attributes["kohtaamo.service"] == "events"), None)

    async def handled() -> ReadableSpan | None:
        return consumed()

    consumer = await eventually(handled, timeout=30)
    trace = of_trace(spans)
    [server] = [s for s in trace if s.kind == SpanKind.SERVER]
    assert server.name == "POST /venues" and parent_id(server) == CALLER_SPAN
    assert server.attributes and server.attributes["http.response.status_code"] == 201
    # The caller learns the span, to name the trace in a support ticket.
    assert response.headers["traceparent"] == f"00-{TRACE_ID}-{span_id(server)}-01"
    producers = {s.name: s for s in trace if s.kind == SpanKind.PRODUCER}
    producer = producers["fi.kohtaamo.venue.registered.v1 send"]
    assert parent_id(producer) == span_id(server)
    assert consumer.name == "fi.kohtaamo.venue.registered.v1 process"
    assert parent_id(consumer) == span_id(producer)
    assert consumer.attributes and consumer.attributes["messaging.destination.name"].endswith(
        "booking.v1")
    assert events.runtime.consumer.handled >= 1


async def test_a_post_to_a_platform_is_a_span_of_the_trace_that_planned_it(
        start_service: Any, spans: InMemorySpanExporter, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from deploy.fake_platforms import running_fake_platforms
    from services.notifications import handlers, jobs
    from services.notifications.app import spec as notifications_spec
    from shared.contracts import ActivityEventPublished, LocalizedText

    monkeypatch.setenv("KOHTAAMO_CHANNEL_SECRETS_DIR", str(tmp_path))
    client = await start_service(notifications_spec)
    async with running_fake_platforms() as fake, httpx.AsyncClient(timeout=15) as http:
        (tmp_path / "mastodon").write_text(fake.tokens.mastodon)
        created = await client.post("/channels", headers=bearer("admin"), json={
            "platform": "mastodon", "name": "Kuopio", "base_url": fake.base_url("mastodon"),
            "secret_ref": f"file:{tmp_path / 'mastodon'}"})
        assert created.status_code == 201
        starts = datetime.now(UTC) + timedelta(days=2)
        event = ActivityEventPublished(
            event_id=uuid4(), revision=1, name=LocalizedText(fi="Satutunti"),
            starts_at=starts, ends_at=starts + timedelta(hours=1), kind="open_guided")
        parent = f"00-{TRACE_ID}-{CALLER_SPAN}-01"
        with tracing.span("fi.kohtaamo.event.published.v1 process", SpanKind.CONSUMER, parent,
                          "notifications") as planning:
            async with client.runtime.pool.acquire() as conn, conn.transaction():
                await handlers.on_activity_event(conn, event, event.to_envelope())
        assert await jobs.send_due(client.runtime, http) == {"published": 1}
    [deliver] = [s for s in of_trace(spans) if s.name == "deliver mastodon"]
    assert deliver.kind == SpanKind.CLIENT
    assert parent_id(deliver) == f"{planning.get_span_context().span_id:016x}"
    assert deliver.attributes and deliver.attributes["kohtaamo.delivery_status"] == "published"
    # notification.delivered continues the same trace, as a child of the delivery.
    delivered = [s for s in of_trace(spans) if s.kind == SpanKind.PRODUCER
                 and s.name == "fi.kohtaamo.notification.delivered.v1 send"]
    assert [parent_id(s) for s in delivered] == [span_id(deliver)]


class Collector:
    """An OpenTelemetry Collector's OTLP/HTTP receiver: POST /v1/traces, protobuf."""

    def __init__(self) -> None:
        self.requests: list[ExportTraceServiceRequest] = []

    async def traces(self, request: Request) -> Response:
        message = ExportTraceServiceRequest()
        message.ParseFromString(await request.body())
        self.requests.append(message)
        return Response(b"", media_type="application/x-protobuf")

    def spans(self) -> list[tuple[str, Any]]:
        found = []
        for message in self.requests:
            for resource in message.resource_spans:
                service = next(a.value.string_value for a in resource.resource.attributes
                               if a.key == "service.name")
                found += [(service, s) for scope in resource.scope_spans for s in scope.spans]
        return found


@pytest_asyncio.fixture
async def collector() -> AsyncIterator[tuple[Collector, str]]:
    received = Collector()
    app = Starlette(routes=[Route("/v1/traces", received.traces, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    yield received, f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await serving
    sock.close()


async def test_a_service_exports_its_spans_by_otlp_to_a_collector(
        spawn_service: Any, fresh_database: Any, collector: tuple[Collector, str]) -> None:
    received, url = collector
    booking = await spawn_service("booking", await fresh_database("booking"), env={
        "OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_BSP_SCHEDULE_DELAY": "100"})
    async with httpx.AsyncClient(base_url=booking.url) as http:
        response = await http.post("/venues", headers={
            **bearer("admin"), "traceparent": f"00-{TRACE_ID}-{CALLER_SPAN}-01"}, json={
            "name": {"fi": "Karttulan kirjasto"}, "kind": "library",
            "area": "kuopio.karttula", "municipality": "Kuopio"})
        assert response.status_code == 201

    wanted = {"POST /venues", "fi.kohtaamo.venue.registered.v1 send"}

    async def exported() -> Any:
        # Spans come in batches, in the order they end: wait for the ones this test checks.
        spans = [(service, s) for service, s in received.spans()
                 if s.trace_id.hex() == TRACE_ID]
        return spans if wanted <= {s.name for _, s in spans} else None

    spans = await eventually(exported, timeout=30)
    assert {service for service, _ in spans} == {"kohtaamo-booking"}
    [server] = [s for _, s in spans if s.name == "POST /venues"]
    assert server.parent_span_id.hex() == CALLER_SPAN


def test_spans_are_recorded_only_once_something_reads_them() -> None:
    """Without an exporter a span is not recorded, yet keeps its ids and passes its caller's
    trace on, so logs and events still carry a real trace context."""
    from opentelemetry.sdk.trace import TracerProvider

    sampler = tracing.RecordWhenExported()
    tracer = TracerProvider(sampler=sampler).get_tracer("test")
    parent = tracing._parent(f"00-{TRACE_ID}-{CALLER_SPAN}-01")
    quiet = tracer.start_span("quiet", context=parent)
    assert not quiet.is_recording()
    assert tracing.traceparent_of(quiet).startswith(f"00-{TRACE_ID}-")
    assert quiet.get_span_context().span_id not in (0, int(CALLER_SPAN, 16))
    sampler.exporting = True
    recorded = tracer.start_span("recorded", context=parent)
    assert recorded.is_recording()
    assert tracing.traceparent_of(recorded).endswith("-01")
