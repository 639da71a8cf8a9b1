"""Indicator arithmetic as plain functions: no I/O.

The aggregates are a projection of the facts. Each activity event is one fact: its latest
revision joined with its latest attendance report. A fact contributes to cells of the
pre-aggregated tables; a change applies `new - old`, so the result does not depend on how
often or in which order events arrived, and replaying the log gives the same numbers.

"Held" activity is activity whose attendance was reported: that is the event log's own
evidence that it took place, so realised hours need no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
UNKNOWN_AREA = "unknown"


@dataclass(frozen=True)
class Fact:
    status: str  # published | postponed | cancelled
    area: str | None
    starts_at: datetime
    ends_at: datetime
    kind: str = "other"
    venue_id: UUID | None = None
    organiser_id: UUID | None = None
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    participants: int | None = None  # None: no attendance reported
    visitors: int | None = None


@dataclass(frozen=True)
class Cell:
    """A row of `area_month_activity`."""

    area: str
    month: date
    kind: str = "other"
    venue: str = ""


@dataclass(frozen=True)
class Counts:
    published: int = 0
    cancelled: int = 0
    held: int = 0
    planned_hours: Decimal = Decimal(0)
    realised_hours: Decimal = Decimal(0)
    participants: int = 0
    visitors: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __neg__(self) -> Counts:
        return Counts(*(-getattr(self, f.name) for f in fields(self)))

    def is_zero(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))


@dataclass
class Delta:
    """What one fact change does to each pre-aggregated table."""

    activity: dict[Cell, Counts] = field(default_factory=dict)
    organisers: dict[tuple[str, date, UUID], int] = field(default_factory=dict)
    topics: dict[tuple[str, date, str], int] = field(default_factory=dict)
    audiences: dict[tuple[str, date, str], int] = field(default_factory=dict)
    #: The activity figures per (area, month, topic).
    topic_activity: dict[tuple[str, date, str], Counts] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.activity or self.organisers or self.topics or self.audiences
                    or self.topic_activity)


def month_of(moment: datetime) -> date:
    """The month an activity belongs to, in Helsinki time (not UTC)."""
    local = moment.astimezone(HELSINKI)
    return date(local.year, local.month, 1)


def hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    return (Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)).quantize(
        Decimal("0.01"))


def cell_of(fact: Fact) -> Cell:
    return Cell(fact.area or UNKNOWN_AREA, month_of(fact.starts_at), fact.kind,
                str(fact.venue_id) if fact.venue_id else "")


def contribution(fact: Fact) -> tuple[Cell, Counts]:
    cell = cell_of(fact)
    if fact.status == "cancelled":
        return cell, Counts(cancelled=1)
    if fact.status != "published":
        return cell, Counts()  # postponed: counts again once it has a new time
    length = hours(fact.starts_at, fact.ends_at)
    if fact.participants is None:
        return cell, Counts(published=1, planned_hours=length)
    return cell, Counts(published=1, planned_hours=length, held=1, realised_hours=length,
                        participants=fact.participants, visitors=fact.visitors or 0)


def _apply(delta: Delta, fact: Fact, sign: int) -> None:
    cell, counts = contribution(fact)
    signed = counts if sign > 0 else -counts
    delta.activity[cell] = delta.activity.get(cell, Counts()) + signed
    for topic in fact.topics:
        key = (cell.area, cell.month, topic)
        delta.topic_activity[key] = delta.topic_activity.get(key, Counts()) + signed
    if fact.status != "published":
        return
    if fact.organiser_id is not None:
        who = (cell.area, cell.month, fact.organiser_id)
        delta.organisers[who] = delta.organisers.get(who, 0) + sign
    for topic in fact.topics:
        theme = (cell.area, cell.month, topic)
        delta.topics[theme] = delta.topics.get(theme, 0) + sign
    for audience in fact.audiences:
        group = (cell.area, cell.month, audience)
        delta.audiences[group] = delta.audiences.get(group, 0) + sign


def delta(old: Fact | None, new: Fact | None) -> Delta:
    """What the aggregates must change when `old` is replaced by `new`."""
    result = Delta()
    if old is not None:
        _apply(result, old, -1)
    if new is not None:
        _apply(result, new, +1)
    result.activity = {k: v for k, v in result.activity.items() if not v.is_zero()}
    result.organisers = {k: v for k, v in result.organisers.items() if v}
    result.topics = {k: v for k, v in result.topics.items() if v}
    result.audiences = {k: v for k, v in result.audiences.items() if v}
    result.topic_activity = {k: v for k, v in result.topic_activity.items() if not v.is_zero()}
    return result


def per_thousand(count: float | Decimal, population: int | None) -> float | None:
    """Per 1,000 residents; None when the population is unknown or zero."""
    if not population:
        return None
    return round(float(count) * 1000 / population, 3)


def mean_satisfaction(scores: Iterable[int]) -> float | None:
    """Mean of a 1–5 distribution given as counts of 1, 2, 3, 4 and 5."""
    counts = list(scores)
    total = sum(counts)
    if not total:
        return None
    return round(sum((i + 1) * n for i, n in enumerate(counts)) / total, 2)


# --- space utilisation ------------------------------------------------------------------------


def _minutes(clock: str) -> int:
    hours_, minutes = clock.split(":")
    return int(hours_) * 60 + int(minutes)


def _merged_minutes(spans: Iterable[tuple[int, int]]) -> int:
    total, current_start, current_end = 0, None, None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total


def open_hours_in_month(month: date, space_id: str, weekly: list[dict[str, Any]],
                        exceptions: list[dict[str, Any]]) -> Decimal:
    """Hours a space is open (staffed or self-service) in a month: its own weekly hours, or
    its venue's; a dated exception replaces that day's hours (no times: closed)."""
    own = [h for h in weekly if h.get("space_id") == space_id]
    rules = own or [h for h in weekly if not h.get("space_id")]
    day = month
    total = 0
    while day.month == month.month:
        todays = [e for e in exceptions if e.get("day") == day.isoformat()
                  and e.get("space_id") in (None, space_id)]
        if todays:
            spans = [(_minutes(e["opens"]), _minutes(e["closes"])) for e in todays
                     if e.get("opens") and e.get("closes")]
            if any(not e.get("opens") for e in todays):
                spans = []
        else:
            spans = [(_minutes(h["opens"]), _minutes(h["closes"])) for h in rules
                     if h.get("weekday") == day.isoweekday()]
        total += _merged_minutes(spans)
        day = date.fromordinal(day.toordinal() + 1)
    return (Decimal(total) / 60).quantize(Decimal("0.01"))


def utilisation(booked: Decimal, open_: Decimal) -> float | None:
    return round(float(booked / open_), 3) if open_ else None
