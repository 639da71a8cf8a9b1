"""Time, injected: use cases ask a clock for "now" so tests can set and move it.

One definition of the city's time zone lives here too: every local date, weekday and opening
hour in the platform is Helsinki time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

#: The city's time zone (Kuopio, like all of Finland, keeps Helsinki time).
HELSINKI = ZoneInfo("Europe/Helsinki")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, time-zone aware (UTC)."""
        ...


class SystemClock:
    """The wall clock, for running services."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to, for tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def advance(self, by: timedelta) -> None:
        self._at += by


SYSTEM_CLOCK = SystemClock()
