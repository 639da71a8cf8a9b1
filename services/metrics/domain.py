"""Indicator arithmetic as plain functions: no I/O.

The aggregates are a projection of the facts: each fact (one activity event, latest
revision) contributes to one (area, month) cell. A fact change applies `new - old`, so the
result does not depend on how often or in which order events arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
UNKNOWN_AREA = "unknown"


@dataclass(frozen=True)
class Fact:
    status: str  # published | postponed | cancelled
    area: str | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Cell:
    area: str
    month: date


@dataclass(frozen=True)
class Counts:
    published: int = 0
    cancelled: int = 0
    hours: Decimal = Decimal(0)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.published + other.published, self.cancelled + other.cancelled,
                      self.hours + other.hours)

    def __neg__(self) -> Counts:
        return Counts(-self.published, -self.cancelled, -self.hours)

    def is_zero(self) -> bool:
        return self.published == 0 and self.cancelled == 0 and self.hours == 0


def month_of(moment: datetime) -> date:
    """The month an activity belongs to, in Helsinki time (not UTC)."""
    local = moment.astimezone(HELSINKI)
    return date(local.year, local.month, 1)


def hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    return (Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)).quantize(
        Decimal("0.01"))


def contribution(fact: Fact) -> tuple[Cell, Counts]:
    cell = Cell(fact.area or UNKNOWN_AREA, month_of(fact.starts_at))
    if fact.status == "published":
        return cell, Counts(published=1, hours=hours(fact.starts_at, fact.ends_at))
    if fact.status == "postponed":
        return cell, Counts()  # counts again once it has a new time
    return cell, Counts(cancelled=1)


def delta(old: Fact | None, new: Fact) -> dict[Cell, Counts]:
    """What the aggregate must change when `old` is replaced by `new`."""
    changes: dict[Cell, Counts] = {}
    if old is not None:
        cell, counts = contribution(old)
        changes[cell] = -counts
    cell, counts = contribution(new)
    changes[cell] = changes.get(cell, Counts()) + counts
    return {c: v for c, v in changes.items() if not v.is_zero()}


def per_thousand(count: float | Decimal, population: int | None) -> float | None:
    """Per 1,000 residents; None when the population is unknown or zero."""
    if not population:
        return None
    return round(float(count) * 1000 / population, 3)
