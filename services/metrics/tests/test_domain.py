"""Indicator arithmetic without a database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.metrics.domain import Cell, Counts, Fact, delta, month_of, per_thousand

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def fact(status: str, area: str | None = "kuopio.jynkka", start: datetime = START,
         hours: int = 2) -> Fact:
    return Fact(status, area, start, start + timedelta(hours=hours))


def test_month_is_taken_in_helsinki_time() -> None:
    # 23:30 UTC on 30 November is 01:30 on 1 December in Helsinki.
    assert month_of(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)).month == 12
    assert month_of(datetime(2026, 11, 30, 21, 30, tzinfo=UTC)).month == 11


def test_first_publication_adds_one_event_and_its_hours() -> None:
    changes = delta(None, fact("published"))
    assert changes == {Cell("kuopio.jynkka", START.date().replace(day=1)):
                       Counts(published=1, hours=Decimal("2.00"))}


def test_republishing_the_same_fact_changes_nothing() -> None:
    assert delta(fact("published"), fact("published")) == {}


def test_cancelling_moves_the_count() -> None:
    cell = Cell("kuopio.jynkka", START.date().replace(day=1))
    assert delta(fact("published"), fact("cancelled")) == {
        cell: Counts(published=-1, cancelled=1, hours=Decimal("-2.00"))}


def test_moving_to_another_month_moves_the_contribution() -> None:
    later = fact("published", start=START + timedelta(days=40))
    changes = delta(fact("published"), later)
    assert sum(c.published for c in changes.values()) == 0 and len(changes) == 2


def test_the_final_aggregate_does_not_depend_on_arrival_order() -> None:
    """Apply revisions in every order with the 'newest revision wins' rule: same result."""
    revisions = [(1, fact("published")), (2, fact("published", hours=3)),
                 (3, fact("cancelled", hours=3))]
    results = set()
    for order in itertools.permutations([*revisions, revisions[0]]):  # with a duplicate
        current: tuple[int, Fact] | None = None
        total: dict[Cell, Counts] = {}
        for rev, f in order:
            if current is not None and current[0] >= rev:
                continue
            for cell, counts in delta(current[1] if current else None, f).items():
                total[cell] = total.get(cell, Counts()) + counts
            current = (rev, f)
        results.add(tuple(sorted((c.area, c.month, v) for c, v in total.items()
                                 if not v.is_zero())))
    assert len(results) == 1
    (only,) = results
    assert [v for *_, v in only] == [Counts(cancelled=1)]


def test_per_thousand() -> None:
    assert per_thousand(5, 2500) == 2.0
    assert per_thousand(5, None) is None
    assert per_thousand(5, 0) is None


def test_postponed_counts_for_nothing_until_rescheduled_to_its_new_month() -> None:
    postponed = delta(fact("published"), fact("postponed"))
    assert sum(c.published for c in postponed.values()) == -1
    moved = fact("published", start=START + timedelta(days=40))
    back = delta(fact("postponed"), moved)
    assert list(back.values()) == [Counts(published=1, hours=Decimal("2.00"))]
    assert next(iter(back)).month.month == 1
