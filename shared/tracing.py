"""The W3C trace context of the work in hand, carried from HTTP request to outbox to consumer."""

from __future__ import annotations

from contextvars import ContextVar

#: `traceparent` of the request or event being handled; the outbox stamps it on new events.
current_traceparent: ContextVar[str | None] = ContextVar("current_traceparent", default=None)
