"""While nothing reads spans, a span is only its ids: the caller's trace id and a new span id,
made without the OpenTelemetry SDK (`shared.tracing.child_traceparent`). The ids must still
be those the SDK would give, so logs, events and responses carry a real trace context.
Spans exported to a collector are tested in tests/test_tracing.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest
from opentelemetry.sdk.trace import Tracer
from opentelemetry.trace import SpanKind

from services.booking.app import spec as booking_spec
from shared import tracing
from shared.contracts import VenueRegistered
from shared.service import create_app
from shared.settings import ServiceSettings

pytestmark = pytest.mark.unit

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
SHAPE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-00$")


@pytest.fixture
def not_recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing reads spans, and neither we nor FastAPI may start one with the SDK (which is
    the process's tracer provider, as in a service)."""
    tracing.configure_tracing("test", "local")
    monkeypatch.setattr(tracing._sampler, "exporting", False)

    def no_sdk(*_: object, **__: object) -> None:
        raise AssertionError("the OpenTelemetry SDK was called for a span nothing reads")

    monkeypatch.setattr(Tracer, "start_span", no_sdk)
    monkeypatch.setattr(Tracer, "start_as_current_span", no_sdk)
    yield


def parts(traceparent: str) -> tuple[str, str]:
    found = SHAPE.match(traceparent)
    assert found is not None, traceparent
    return found[1], found[2]


def test_a_child_continues_its_parents_trace_with_a_span_of_its_own() -> None:
    trace_id, span_id = parts(tracing.child_traceparent(CALLER))
    assert trace_id == TRACE_ID
    assert span_id not in ("00f067aa0ba902b7", "0" * 16)
    assert len({tracing.child_traceparent(CALLER) for _ in range(100)}) == 100
    # A later version may add fields after the flags; the trace goes on.
    assert parts(tracing.child_traceparent(f"01-{TRACE_ID}-00f067aa0ba902b7-01-extra"))[0] \
        == TRACE_ID


@pytest.mark.parametrize("parent", [
    None, "", "nonsense", f"ff-{TRACE_ID}-00f067aa0ba902b7-01",
    f"00-{'0' * 32}-00f067aa0ba902b7-01", f"00-{TRACE_ID}-{'0' * 16}-01",
    f"00-{TRACE_ID}-00f067aa0ba902b7-01-extra", f"00-{TRACE_ID.upper()}-00f067aa0ba902b7-01",
    f"00-{TRACE_ID}-00f067aa0ba902b7"])
def test_no_valid_parent_starts_a_trace(parent: str | None) -> None:
    """The propagator's own rules: no version ff, no zero ids, lower-case hex only."""
    trace_id, _ = parts(tracing.child_traceparent(parent))
    assert trace_id not in (TRACE_ID, "0" * 32)


def test_an_unrecorded_span_is_its_ids_and_the_work_inside_sees_them(not_recording: None
                                                                     ) -> None:
    with tracing.span("venue.registered process", SpanKind.CONSUMER, CALLER, "events") as span:
        inside = tracing.current_traceparent.get()
        assert inside is not None
        assert not span.is_recording()
        assert tracing.traceparent_of(span) == inside
        assert parts(inside)[0] == TRACE_ID
        span.set_attribute("kohtaamo.duplicate", False)  # what handlers do: harmless
        # An event written inside is the child of this span, in the same trace.
        produced = VenueRegistered(venue_id=UUID(int=1),
                                   name={"fi": "Kirjasto"}, kind="library",
                                   area="kuopio.keskusta", municipality="Kuopio"
                                   ).to_envelope(inside).traceparent
        assert parts(produced)[0] == TRACE_ID and produced != inside
    assert tracing.current_traceparent.get() is None


@pytest.mark.parametrize(("sent", "continued"), [(CALLER, True), (None, False),
                                                  ("garbage", False)])
async def test_a_request_gets_a_span_id_of_its_own_without_the_sdk(
        not_recording: None, sent: str | None, continued: bool) -> None:
    app = create_app(booking_spec,
                     ServiceSettings(service="booking"))  # not started: no I/O
    headers = {"traceparent": sent} if sent else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        answered = (await http.get("/openapi.json", headers=headers)).headers["traceparent"]
    trace_id, span_id = parts(answered)
    assert (trace_id == TRACE_ID) is continued
    assert span_id != "00f067aa0ba902b7"


@pytest.mark.parametrize("parent", [
    CALLER, f" \t{CALLER}", f"{CALLER} \t", f"{CALLER}\n", f"01-{TRACE_ID}-00f067aa0ba902b7-01-x",
    f"00-{TRACE_ID}-00f067aa0ba902b7-01-", f"ff-{TRACE_ID}-00f067aa0ba902b7-01",
    f"00-{'0' * 32}-00f067aa0ba902b7-01", f"00-{TRACE_ID}-{'0' * 16}-01",
    f"00-{TRACE_ID}-00f067aa0ba902b7-zz", f"0-{TRACE_ID}-00f067aa0ba902b7-01",
    f"02-{TRACE_ID}-00f067aa0ba902b7-01-" + "a" * 500, f"x{CALLER}", "", None, "-" * 55])
def test_the_trace_id_is_read_as_the_propagator_reads_it(parent: str | None) -> None:
    """`_trace_id_of` matches the `traceparent` itself rather than through the propagator's
    context: on every odd form, it finds the trace the propagator finds, or none with it."""
    context = tracing.trace.get_current_span(tracing._parent(parent)).get_span_context()
    assert tracing._trace_id_of(parent) == (context.trace_id if context.is_valid else None)
