"""Structured JSON logs on stdout, one object per line, the same in every service."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Whatever was passed with `extra=` (event ids, trace ids) goes in as fields.
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TraceContext(logging.Filter):
    """Stamp each record with the trace it belongs to, so one booking can be followed from the
    HTTP request through the outbox and Kafka into every consumer's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        from shared.tracing import current_traceparent

        traceparent = current_traceparent.get()
        if traceparent and not hasattr(record, "trace_id"):
            parts = traceparent.split("-")
            if len(parts) == 4:
                record.trace_id = parts[1]
                record.span_id = parts[2]
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(TraceContext())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Kafka clients are chatty at INFO about every rebalance and reconnect.
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
