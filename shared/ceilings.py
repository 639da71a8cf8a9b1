"""Ceilings on what one sender may ask of the public forms in a rolling window (sign-ups and
follow requests per address a day, per client network an hour; feedback per network an
hour): who a sender is, counted, and when a refused one may try again. Pure: the services'
stores count, this decides."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.errors import TooManyRequests


def client_network(client: str) -> str:
    """What one client is, counted: an IPv4 address (an IPv4-mapped one as itself), or an
    IPv6 address's /64, the least a home or phone network is given, so a new address of the
    same network is not a new client; anything else (a test client's name) as given."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Counted:
    """A sender's earlier requests in the window: how many, against the ceiling, and when the
    one was made whose leaving the window lets the next request through (None while there is
    room). With requests that raced past the ceiling, that is not the oldest but the one that
    brings the count back under it."""

    count: int
    limit: int
    making_room: datetime | None

    @classmethod
    def of(cls, times: Iterable[datetime], limit: int) -> Counted:
        ordered = sorted(times)
        over = len(ordered) - limit
        return cls(len(ordered), limit, ordered[over] if over >= 0 else None)

    @classmethod
    def from_row(cls, row: Any, limit: int) -> Counted:
        """From a store's row of `count` and `making_room` (the (count - limit + 1)th
        oldest time, NULL while there is room: PostgreSQL's out-of-range subscript)."""
        return cls(int(row["count"]), limit, row["making_room"])

    @property
    def full(self) -> bool:
        return self.count >= self.limit

    def retry_after(self, window: timedelta, now: datetime) -> int:
        """Whole seconds until a new request is taken: the moment the request making room
        is out of the window (a window counts its first instant, so one second past it)."""
        if self.making_room is None:
            return 1
        return max(1, math.floor((self.making_room + window - now).total_seconds()) + 1)

    def check(self, window: timedelta, now: datetime, message: str, **details: Any) -> None:
        """Refuse the request when the window is full, saying when to try again."""
        if self.full:
            raise TooManyRequests(message, retry_after=self.retry_after(window, now),
                                  **details)
