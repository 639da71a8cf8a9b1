"""Structured JSON logs on stdout, one object per line, the same in every service."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
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


class RepeatFilter(logging.Filter):
    """One line per distinct failure per interval, with a count.

    During an outage the same warning comes again and again (aiokafka's "Unable connect to
    node", the relay's and the consumer's retries, a job failing each pass): the first of a
    kind (logger, message template, exception type) in an interval is written; the others
    are counted, and the first one after the interval is written with ``repeated``: how many
    like it were held back, and ``repeated_over_s``. Below WARNING nothing is held back, and
    a record logged with ``extra={"log_every": True}`` (a dead letter) always goes out.
    `drain` gives what is still held back, for a "recovered" line to report."""

    def __init__(self, interval: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        #: kind -> (when its interval began, how many were held back since)
        self._kinds: dict[tuple[str, str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def kind(record: logging.LogRecord) -> tuple[str, str, str]:
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        return record.name, str(record.msg), error

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or getattr(record, "log_every", False):
            return True
        key = self.kind(record)
        now = self.clock()
        with self._lock:
            began, held = self._kinds.get(key, (None, 0))
            if began is not None and now - began < self.interval:
                self._kinds[key] = (began, held + 1)
                return False
            self._kinds[key] = (now, 0)
            # Kinds not seen for a while are forgotten, so the table stays small.
            if len(self._kinds) > 512:
                self._kinds = {k: v for k, v in self._kinds.items()
                               if now - v[0] < self.interval or v[1]}
        if held:
            record.repeated = held
            record.repeated_over_s = round(now - began, 1) if began is not None else None
        return True

    def drain(self) -> int:
        """How many lines are held back now (they are forgotten: the count is reported)."""
        with self._lock:
            held = sum(n for _, n in self._kinds.values())
            self._kinds = {k: (began, 0) for k, (began, _) in self._kinds.items()}
        return held


#: The process's filter (configure_logging installs it), for "recovered" lines to drain.
REPEATS = RepeatFilter(float(os.environ.get("KOHTAAMO_LOG_REPEAT_INTERVAL", "30")))


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(TraceContext())
    handler.addFilter(REPEATS)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Kafka clients are chatty at INFO about every rebalance and reconnect.
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
