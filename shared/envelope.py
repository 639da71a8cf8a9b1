"""CloudEvents 1.0 envelope, carried in the Kafka protocol binding's binary content mode.

On the wire the attributes travel as ``ce_*`` headers, the payload (``data``) is the record
value as JSON and the partition key (the aggregate id) is the record key, so one booking's or
one activity event's history stays in order on one partition.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, Field, ValidationError

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


class EnvelopeError(ValueError):
    """A record that is not a CloudEvent we can read: a poison message."""


def new_traceparent() -> str:
    """A fresh W3C trace context (version 00, sampled)."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


class Envelope(BaseModel):
    """One domain event: CloudEvents context attributes plus its JSON data."""

    id: UUID = Field(default_factory=uuid4)
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    specversion: str = SPEC_VERSION
    datacontenttype: str = CONTENT_TYPE
    traceparent: str = Field(default_factory=new_traceparent)
    #: CloudEvents' partitioning extension: the aggregate id, used as the Kafka key.
    partitionkey: str
    data: dict[str, Any]

    def kafka_headers(self) -> dict[str, str]:
        headers = {
            "ce_specversion": self.specversion,
            "ce_id": str(self.id),
            "ce_source": self.source,
            "ce_type": self.type,
            "ce_time": self.time.isoformat(),
            "content-type": self.datacontenttype,
            "traceparent": self.traceparent,
        }
        if self.subject:
            headers["ce_subject"] = self.subject
        return headers

    def kafka_value(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False).encode()

    def kafka_key(self) -> bytes:
        return self.partitionkey.encode()

    @classmethod
    def from_kafka(
        cls,
        key: bytes | None,
        value: bytes | None,
        headers: Sequence[tuple[str, bytes]] | Mapping[str, Any],
    ) -> Envelope:
        """Read a binary-mode record; raise EnvelopeError for anything that is not one."""
        items = headers.items() if isinstance(headers, Mapping) else headers
        attrs: dict[str, str] = {}
        for name, raw in items:
            attrs[name.lower()] = raw.decode() if isinstance(raw, bytes | bytearray) else str(raw)
        try:
            if attrs.get("ce_specversion") != SPEC_VERSION:
                raise EnvelopeError(f"not a CloudEvents {SPEC_VERSION} record")
            data = json.loads(value) if value else None
            if not isinstance(data, dict):
                raise EnvelopeError("event data must be a JSON object")
            return cls(
                id=attrs["ce_id"],
                source=attrs["ce_source"],
                type=attrs["ce_type"],
                subject=attrs.get("ce_subject"),
                time=attrs["ce_time"],
                datacontenttype=attrs.get("content-type", CONTENT_TYPE),
                traceparent=attrs.get("traceparent") or new_traceparent(),
                partitionkey=key.decode() if key else attrs["ce_id"],
                data=data,
            )
        except EnvelopeError:
            raise
        except (KeyError, ValueError, UnicodeDecodeError, ValidationError) as exc:
            raise EnvelopeError(f"unreadable event: {exc}") from exc
