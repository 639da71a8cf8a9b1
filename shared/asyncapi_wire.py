"""What the AsyncAPI documents say about a record on the wire, beyond FastStream's own
document: the CloudEvents headers the outbox relay sends (`shared.envelope`), the record
key, the trace context as the correlation id, and for each topic a service reads, the
event types it handles there and their payloads. FastStream describes a subscriber with
an empty payload and a ``correlation_id`` header that no record of ours carries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from shared.contracts import DomainEvent
from shared.envelope import CONTENT_TYPE, SPEC_VERSION

_SCHEMAS = "#/components/schemas/"
_KAFKA_BINDING = "0.4.0"

#: The W3C trace context every record carries: the one id that follows a change through
#: every service it reaches (logs, traces).
CORRELATION = {"location": "$message.header#/traceparent",
               "description": "W3C trace context (`traceparent`), continued by every "
                              "service that handles the event and by what it publishes."}

KEY = {"type": "string",
       "description": "The aggregate's id (CloudEvents' `partitionkey`): one aggregate's "
                      "records (a booking's, an activity event's, a venue's, …) stay in order "
                      "on one partition."}


def headers(types: list[str]) -> dict[str, Any]:
    """The record's headers: CloudEvents 1.0, Kafka protocol binding, binary content mode."""
    kind: dict[str, Any] = {"const": types[0]} if len(types) == 1 else {"enum": types}
    return {"type": "object",
            "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
                         "content-type", "traceparent"],
            "properties": {
                "ce_specversion": {"const": SPEC_VERSION},
                "ce_id": {"type": "string", "format": "uuid",
                          "description": "The event's id: a consumer applies each id once."},
                "ce_source": {"type": "string", "description": "The publishing service."},
                "ce_type": {**kind, "description": "The event's type: what the payload is."},
                "ce_time": {"type": "string", "format": "date-time"},
                "ce_subject": {"type": "string"},
                "content-type": {"const": CONTENT_TYPE},
                "traceparent": {"type": "string",
                                "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"},
            }}


def _add_schema(schemas: dict[str, Any], event: type[DomainEvent]) -> str:
    name = event.__name__
    if name not in schemas:
        schema = event.model_json_schema(ref_template=_SCHEMAS + "{model}")
        for inner, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(inner, definition)
        schemas[name] = schema
    return name


def describe_wire(document: dict[str, Any], *, handled: Iterable[type[DomainEvent]],
                  published: Iterable[type[DomainEvent]],
                  topic: Callable[[str], str]) -> dict[str, Any]:
    """`document` (FastStream's, as JSON) with the wire described: every message's headers,
    key and correlation id, and each read topic's handled types (`topic` names a topic as
    this deployment does, its prefix included)."""
    components = document.setdefault("components", {})
    messages, schemas = components.setdefault("messages", {}), components.setdefault(
        "schemas", {})
    types_of = {event.__name__: event.EVENT_TYPE for event in published}
    read: dict[str, list[type[DomainEvent]]] = {}
    for event in sorted(handled, key=lambda e: e.EVENT_TYPE):
        read.setdefault(topic(event.TOPIC), []).append(event)
    for channel in document.get("channels", {}).values():
        for ref in channel.get("messages", {}).values():
            message = messages[ref["$ref"].rsplit("/", 1)[1]]
            payload = message.get("payload", {}).get("$ref", "")
            if payload.startswith(_SCHEMAS) and payload[len(_SCHEMAS):] in types_of:
                kinds = [types_of[payload[len(_SCHEMAS):]]]
            else:
                events = read.get(channel["address"], [])
                if not events:
                    continue
                kinds = [e.EVENT_TYPE for e in events]
                stale = payload[len(_SCHEMAS):] if payload.startswith(_SCHEMAS) else None
                if stale and stale.endswith(":Payload"):
                    schemas.pop(stale, None)  # FastStream's empty payload
                message["payload"] = {"oneOf": [{"$ref": _SCHEMAS + _add_schema(schemas, e)}
                                                for e in events]}
                channel["description"] = (f"Handles {', '.join(kinds)}; other types on this "
                                          "topic are skipped.")
            message["headers"] = headers(kinds)
            message["correlationId"] = CORRELATION
            message["bindings"] = {"kafka": {"bindingVersion": _KAFKA_BINDING, "key": KEY}}
    return document
