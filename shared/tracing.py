"""Traces with OpenTelemetry, carried from HTTP request to outbox to Kafka to every consumer.

Three kinds of span make one booking followable across services: a SERVER span per HTTP
request, a PRODUCER span per event written to the outbox (its context is the CloudEvent's
`traceparent`, so it travels in the outbox row and the Kafka headers), and a CONSUMER span
per event a service handles, child of the producer span. Whatever runs inside a span sees its
W3C `traceparent` in `current_traceparent`: the logs stamp its trace and span ids on every
line, and events written there continue the trace.

Spans are exported by OTLP over HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, e.g. to an OpenTelemetry Collector, Jaeger or
Tempo; the other standard `OTEL_*` variables apply (`OTEL_TRACES_SAMPLER` among them, e.g.
`parentbased_traceidratio` to keep a share of the traces under heavy load). Without an
exporter, spans are not recorded: each still gets its ids (so the ids in the logs and the
`traceparent` passed on are real), but nothing is built that would go nowhere. Then the SDK
is not called at all: a span is only a new span id under its parent's trace id
(`child_traceparent`), and FastAPI's SERVER span is skipped for `TraceContext` to make the
same. The SDK's span for nothing cost a booking request about a tenth of its CPU.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import (
    Link,
    NonRecordingSpan,
    Span,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    TraceState,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import Attributes

#: `traceparent` of the request or event being handled; the outbox stamps it on new events.
current_traceparent: ContextVar[str | None] = ContextVar("current_traceparent", default=None)

_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None


class RecordWhenExported(Sampler):
    """Records every span once something reads spans (an exporter, a test's processor),
    none before: unrecorded spans keep their ids and carry the context on."""

    def __init__(self) -> None:
        self.exporting = False

    def should_sample(self, parent_context: Context | None, trace_id: int, name: str,
                      kind: SpanKind | None = None, attributes: Attributes = None,
                      links: Sequence[Link] | None = None,
                      trace_state: TraceState | None = None) -> SamplingResult:
        # As the SDK's own samplers: the span's attributes and its parent's trace state.
        parent = trace.get_current_span(parent_context).get_span_context()
        state = parent.trace_state if parent.is_valid else None
        if self.exporting:
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, state)
        return SamplingResult(Decision.DROP, None, state)

    def get_description(self) -> str:
        return "RecordWhenExported"


_sampler = RecordWhenExported()


def configure_tracing(service: str, replica: str) -> TracerProvider:
    """Once per process (the first service started in it names the resource; each span also
    carries `kohtaamo.service`, so services sharing a test process stay apart)."""
    global _provider
    if _provider is None:
        # The operator's OTEL_TRACES_SAMPLER wins; else every span is kept once exported.
        _provider = TracerProvider(sampler=None if os.environ.get("OTEL_TRACES_SAMPLER")
                                   else _sampler, resource=Resource.create({
            "service.name": f"kohtaamo-{service}",
            "service.namespace": "kohtaamo",
            "service.instance.id": replica,
        }))
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            _sampler.exporting = True
        trace.set_tracer_provider(_provider)
    return _provider


def recording() -> bool:
    """Whether spans go anywhere (an exporter, a test's processor). Read on every span, so a
    processor added later is served from the next span on."""
    return _sampler.exporting


#: The propagator's own pattern and limit, so `_trace_id_of` reads a `traceparent` as it does.
_TRACEPARENT = TraceContextTextMapPropagator._TRACEPARENT_HEADER_FORMAT_RE
_TRACEPARENT_MAX = TraceContextTextMapPropagator._TRACEPARENT_MAXIMUM_LENGTH


def _trace_id_of(traceparent: str | None) -> int | None:
    """The trace id a valid `traceparent` continues (the propagator's rules, as `_parent`
    reads it for a recorded span); None when it is absent or not valid. Matched here rather
    than through `_parent`: building the propagator's context for one number cost a booking
    request ~1.5 % of its CPU, once per span and per event."""
    if not traceparent or len(traceparent) > _TRACEPARENT_MAX:
        return None
    match = _TRACEPARENT.search(traceparent)
    if match is None:
        return None
    version, trace_id, span_id, _, rest = match.groups()
    if (trace_id == "0" * 32 or span_id == "0" * 16 or version == "ff"
            or (version == "00" and rest)):
        return None
    return int(trace_id, 16)


def child_traceparent(parent: str | None) -> str:
    """The context of an unrecorded span: `parent`'s trace (a new one when there is none or
    it is not valid) and a new span id, not sampled, as the SDK gives a span it drops."""
    trace_id = _trace_id_of(parent) or random.getrandbits(128) or 1
    return f"00-{trace_id:032x}-{random.getrandbits(64) or 1:016x}-00"


def _unrecorded(traceparent: str) -> Span:
    return NonRecordingSpan(SpanContext(int(traceparent[3:35], 16), int(traceparent[36:52], 16),
                                        is_remote=False, trace_flags=TraceFlags(0)))


def add_span_processor(processor: SpanProcessor) -> None:
    """Send spans somewhere else too (tests collect them in memory)."""
    configure_tracing("process", "local").add_span_processor(processor)
    _sampler.exporting = True


def flush(timeout_millis: int = 5000) -> None:
    if _provider is not None:
        _provider.force_flush(timeout_millis)


_tracer_cache: trace.Tracer | None = None


def _tracer() -> trace.Tracer:
    global _tracer_cache
    if _tracer_cache is None:
        _tracer_cache = (_provider or configure_tracing("process", "local")).get_tracer(
            "kohtaamo")
    return _tracer_cache


def _parent(traceparent: str | None) -> Context:
    # An empty Context, not the current one: the parent is exactly what the message says.
    return _PROPAGATOR.extract({"traceparent": traceparent}) if traceparent else Context()


def traceparent_of(span: Span) -> str:
    context = span.get_span_context()
    return (f"00-{context.trace_id:032x}-{context.span_id:016x}-"
            f"{int(context.trace_flags):02x}")


@contextmanager
def span(name: str, kind: SpanKind, parent: str | None, service: str,
         attributes: Mapping[str, Any] | None = None) -> Iterator[Span]:
    """Run the block in a new span whose parent is `parent` (a W3C traceparent; None starts a
    trace), with `current_traceparent` set to it. An exception marks the span as an error."""
    if not recording():
        child = child_traceparent(parent)
        token = current_traceparent.set(child)
        try:
            yield _unrecorded(child)
        finally:
            current_traceparent.reset(token)
        return
    with _tracer().start_as_current_span(
            name, context=_parent(parent), kind=kind,
            attributes={"kohtaamo.service": service, **(attributes or {})},
            record_exception=True, set_status_on_exception=True) as current:
        token = current_traceparent.set(traceparent_of(current))
        try:
            yield current
        finally:
            current_traceparent.reset(token)


def producer_traceparent(parent: str | None, name: str, attributes: Mapping[str, Any]) -> str:
    """The trace context an event is written with: a PRODUCER span, child of the work that
    caused the event, which the consumers' spans will be children of."""
    if not recording():
        return child_traceparent(parent)
    producer = _tracer().start_span(name, context=_parent(parent), kind=SpanKind.PRODUCER,
                                    attributes=dict(attributes))
    producer.end()
    return traceparent_of(producer)


def mark_error(current: Span, description: str) -> None:
    current.set_status(Status(StatusCode.ERROR, description))
