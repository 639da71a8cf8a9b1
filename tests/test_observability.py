"""What operators see: Prometheus metrics at /metrics, and AsyncAPI kept in the repository."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from services.metrics.app import spec as metrics_spec
from shared.contracts import EVENTS_TOPIC, ActivityEventPublished, LocalizedText
from tests.infra import Infra, eventually, produce

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.infra
async def test_metrics_endpoint_shows_http_consumer_and_outbox_figures(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(metrics_spec)
    start = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    event = ActivityEventPublished(event_id=uuid4(), revision=1, name=LocalizedText(fi="x"),
                                   starts_at=start, ends_at=start + timedelta(hours=1),
                                   kind="open_guided", area="kuopio.pyoro")
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, [event])
    await eventually(lambda: client.runtime.pool.fetchval("SELECT count(*) FROM inbox"))
    await client.get("/areas")
    await client.get("/areas/kuopio.pyoro/summary")
    await client.get("/no/such/page/4711")
    await client.runtime.metrics.refresh(client.runtime)

    text = (await client.get("/metrics")).text
    assert 'handler="/areas"' in text and "http_request_duration_seconds" in text
    # By the route's template, not the path asked; an unmatched path under one label.
    assert 'http_requests_total{handler="/areas/{area}/summary",method="GET",status="2xx"} 1.0' \
        in text
    assert 'handler="none",method="GET",status="4xx"' in text and "4711" not in text
    assert 'handler="/metrics"' not in text
    assert "faststream_received_messages_total" in text
    assert "kohtaamo_outbox_unsent 0.0" in text
    assert "kohtaamo_dead_letters 0.0" in text
    assert f'kohtaamo_consumer_lag{{partition="0",topic="{topic_prefix}events.v1"}}' in text


def test_asyncapi_documents_in_the_repository_match_the_code() -> None:
    """A contract change shows up in review: docs/asyncapi/<service>.json is regenerated with
    `python -m shared.asyncapi` and committed with the change."""
    from shared.asyncapi import documents

    for name, document in documents().items():
        path = ROOT / "docs" / "asyncapi" / f"{name}.json"
        assert path.exists(), f"{path} is missing: run python -m shared.asyncapi"
        assert json.loads(path.read_text()) == document, (
            f"{path} is out of date: run python -m shared.asyncapi and commit it")


def test_asyncapi_documents_describe_the_records_as_the_relay_sends_them() -> None:
    """Each message's headers are those `Envelope.kafka_headers` sends (its `ce_type` the
    event's), its correlation id a header the record carries, and every type a service
    handles is named, with its payload, on the topic it is read from."""
    import importlib

    import jsonschema

    from shared.asyncapi import documents
    from shared.envelope import Envelope

    for name, document in documents().items():
        spec = importlib.import_module(f"services.{name}.app").spec
        messages = document["components"]["messages"]
        read: dict[str, dict[str, object]] = {}
        for channel in document["channels"].values():
            for ref in channel["messages"].values():
                message = messages[ref["$ref"].rsplit("/", 1)[1]]
                sent = Envelope(source=f"/kohtaamo/{name}", type="x", partitionkey="k",
                                subject="s", data={}).kafka_headers()
                assert message["correlationId"]["location"].removeprefix(
                    "$message.header#/") in sent, (name, message["title"])
                if "oneOf" in message["payload"]:
                    read[channel["address"]] = message
                    continue
                published = message["payload"]["$ref"].rsplit("/", 1)[1]
                event = next(e for e in spec.publishes if e.__name__ == published)
                jsonschema.validate({**sent, "ce_type": event.EVENT_TYPE}, message["headers"])
                with pytest.raises(jsonschema.ValidationError):
                    jsonschema.validate({**sent, "ce_type": "other"}, message["headers"])
        for event in spec.handlers:
            message = read[event.TOPIC]
            assert {"$ref": f"#/components/schemas/{event.__name__}"} in message[
                "payload"]["oneOf"], (name, event.EVENT_TYPE)
            assert event.__name__ in document["components"]["schemas"]
            jsonschema.validate({**sent, "ce_type": event.EVENT_TYPE}, message["headers"])
        assert len(read) == len({e.TOPIC for e in spec.handlers}), name


@pytest.mark.infra
async def test_one_trace_id_follows_a_booking_from_http_into_another_services_logs(
    spawn_service, fresh_database
) -> None:
    """The traceparent of the HTTP request travels in the outbox row and the Kafka headers, and
    the consuming service logs its work under the same trace id."""
    import httpx

    from tests.infra import bearer

    booking = await spawn_service("booking", await fresh_database("booking"))
    events = await spawn_service("events", await fresh_database("events"), log_level="DEBUG")
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    async with httpx.AsyncClient(base_url=booking.url) as http:
        response = await http.post("/venues", headers={
            **bearer("admin"), "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}, json={
            "name": {"fi": "Maaningan kirjasto"}, "kind": "library", "area": "kuopio.maaninka",
            "municipality": "Kuopio"})
        assert response.status_code == 201
        assert response.headers["traceparent"].split("-")[1] == trace_id

    async def logged() -> bool:
        return any(json.loads(line).get("trace_id") == trace_id
                   for line in events.log_path.read_text().splitlines()
                   if line.startswith("{"))

    # The events service handled venue.registered under the request's trace id.
    await eventually(logged, timeout=30)
