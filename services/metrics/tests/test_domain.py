"""Indicator arithmetic without a database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from services.metrics.domain import (
    ACTIVITY_DAY_HOURS,
    Cell,
    Counts,
    Fact,
    activity_hours,
    delta,
    mean_satisfaction,
    month_of,
    per_thousand,
)

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
ORGANISER = uuid4()


def fact(status: str, area: str | None = "kuopio.jynkka", start: datetime = START,
         hours: int = 2, **more: object) -> Fact:
    return Fact(status, area, start, start + timedelta(hours=hours), kind="open_guided",
                organiser_id=ORGANISER, topics=("music",), **more)  # type: ignore[arg-type]


CELL = Cell("kuopio.jynkka", START.date().replace(day=1), "open_guided", "")


def helsinki(day: int, hour: int, month: int = 12) -> datetime:
    from shared.clock import HELSINKI

    return datetime(2026, month, day, hour, tzinfo=HELSINKI)


@pytest.mark.parametrize(("starts_at", "ends_at", "all_day", "counted"), [
    (helsinki(3, 17), helsinki(3, 19), False, Decimal("2.00")),  # an evening
    (helsinki(3, 9), helsinki(3, 19), False, Decimal("10.00")),  # a long day, as it was
    (helsinki(3, 18), helsinki(4, 0), False, Decimal("6.00")),  # to midnight: one day
    (helsinki(3, 20), helsinki(4, 2), False, Decimal("6.00")),  # over midnight: 4 h + 2 h
    (helsinki(3, 10), helsinki(5, 18), False, 3 * ACTIVITY_DAY_HOURS),  # each day capped
    (helsinki(3, 0), helsinki(4, 0), True, ACTIVITY_DAY_HOURS),  # a whole day
    (helsinki(3, 0), helsinki(6, 0), True, 3 * ACTIVITY_DAY_HOURS),  # three whole days
    (helsinki(27, 0, 3), helsinki(29, 0, 3), True, 2 * ACTIVITY_DAY_HOURS),  # clocks turn
    (helsinki(3, 19), helsinki(3, 17), False, Decimal(0)),  # ends before it starts
])
def test_activity_hours_are_a_days_activity_not_the_clocks_hours(
        starts_at: datetime, ends_at: datetime, all_day: bool, counted: Decimal) -> None:
    assert activity_hours(starts_at, ends_at, all_day) == counted


def test_a_whole_day_fact_counts_its_days() -> None:
    midnight = helsinki(12, 0)
    whole = Fact("published", "kuopio.jynkka", midnight, midnight + timedelta(days=2),
                 all_day=True)
    assert delta(None, whole).activity[Cell("kuopio.jynkka", midnight.date().replace(day=1),
                                            "other", "")].planned_hours == 16


def test_month_is_taken_in_helsinki_time() -> None:
    # 23:30 UTC on 30 November is 01:30 on 1 December in Helsinki.
    assert month_of(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)).month == 12
    assert month_of(datetime(2026, 11, 30, 21, 30, tzinfo=UTC)).month == 11


def test_first_publication_adds_one_event_its_hours_organiser_and_theme() -> None:
    change = delta(None, fact("published"))
    assert change.activity == {CELL: Counts(published=1, planned_hours=Decimal("2.00"))}
    assert change.organisers == {("kuopio.jynkka", CELL.month, ORGANISER): 1}
    assert change.topics == {("kuopio.jynkka", CELL.month, "music"): 1}


def test_republishing_the_same_fact_changes_nothing() -> None:
    assert delta(fact("published"), fact("published")).is_empty()


def test_cancelling_moves_the_count() -> None:
    change = delta(fact("published"), fact("cancelled"))
    assert change.activity == {CELL: Counts(published=-1, cancelled=1,
                                            planned_hours=Decimal("-2.00"))}
    assert change.organisers == {("kuopio.jynkka", CELL.month, ORGANISER): -1}


def test_attendance_makes_planned_activity_held_with_its_people() -> None:
    change = delta(fact("published"), fact("published", participants=12, visitors=30))
    assert change.activity == {CELL: Counts(held=1, realised_hours=Decimal("2.00"),
                                            participants=12, visitors=30)}
    corrected = delta(fact("published", participants=12, visitors=30),
                      fact("published", participants=14, visitors=30))
    assert corrected.activity == {CELL: Counts(participants=2)}


def test_postponed_counts_for_nothing_until_rescheduled_to_its_new_month() -> None:
    postponed = delta(fact("published"), fact("postponed"))
    assert sum(c.published for c in postponed.activity.values()) == -1
    back = delta(fact("postponed"), fact("published", start=START + timedelta(days=40)))
    assert list(back.activity.values()) == [Counts(published=1, planned_hours=Decimal("2.00"))]
    assert next(iter(back.activity)).month.month == 1


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
            for cell, counts in delta(current[1] if current else None, f).activity.items():
                total[cell] = total.get(cell, Counts()) + counts
            current = (rev, f)
        results.add(tuple(sorted((c.area, c.month, v) for c, v in total.items()
                                 if not v.is_zero())))
    assert len(results) == 1
    (only,) = results
    assert [v for *_, v in only] == [Counts(cancelled=1)]


def test_per_thousand_and_mean_satisfaction() -> None:
    assert per_thousand(5, 2500) == 2.0
    assert per_thousand(5, None) is None
    assert per_thousand(5, 0) is None
    assert mean_satisfaction([0, 0, 1, 1, 2]) == 4.25
    assert mean_satisfaction([0, 0, 0, 0, 0]) is None


def test_open_hours_of_a_month_follow_weekly_hours_and_exceptions() -> None:
    from datetime import date

    from services.metrics.domain import open_hours_in_month, utilisation

    space = str(uuid4())
    weekly = [{"weekday": d, "opens": "12:00", "closes": "19:00", "kind": "staffed"}
              for d in range(1, 6)] + [
        {"weekday": d, "opens": "07:00", "closes": "21:00", "kind": "self_service"}
        for d in (6, 7)]
    # December 2026: 23 weekdays × 7 h + 8 weekend days × 14 h = 273 h.
    assert open_hours_in_month(date(2026, 12, 1), space, weekly, []) == Decimal("273.00")
    closed = [{"day": "2026-12-24", "space_id": None}]  # a Thursday
    assert open_hours_in_month(date(2026, 12, 1), space, weekly, closed) == Decimal("266.00")
    own = [{"space_id": space, "weekday": 1, "opens": "10:00", "closes": "12:00"}]
    # Its own hours replace the venue's: only the four Mondays, 2 h each.
    assert open_hours_in_month(date(2026, 12, 1), space, weekly + own, []) == Decimal("8.00")
    assert utilisation(Decimal("27.3"), Decimal("273")) == 0.1
    assert utilisation(Decimal(1), Decimal(0)) is None
    # A space its rules keep to staffed hours: the weekends' self-service hours are none of
    # its bookable hours (23 × 7 h); an exception day's staffed hours count, its
    # self-service ones do not, and a day closed is closed.
    assert open_hours_in_month(date(2026, 12, 1), space, weekly, [],
                               staffed_only=True) == Decimal("161.00")
    odd = [{"day": "2026-12-07", "space_id": None, "opens": "12:00", "closes": "15:00",
            "kind": "staffed"},
           {"day": "2026-12-07", "space_id": None, "opens": "15:00", "closes": "20:00",
            "kind": "self_service"}]
    assert open_hours_in_month(date(2026, 12, 1), space, weekly, odd,
                               staffed_only=True) == Decimal("157.00")
    assert open_hours_in_month(date(2026, 12, 1), space, weekly, odd) == Decimal("274.00")


def test_a_release_is_final_and_a_confirmation_counts_once() -> None:
    from services.metrics.domain import BookedSpan, BookingChange, booking_change

    space, venue = uuid4(), uuid4()
    at = datetime(2026, 12, 30, 15, tzinfo=UTC)
    old = BookedSpan(space, venue, at, at + timedelta(hours=2))
    new = BookedSpan(space, venue, at + timedelta(days=3), at + timedelta(days=3, hours=3))
    assert booking_change(None, "confirmed", old) == BookingChange("confirmed", old,
                                                                   ((old, 1),))
    assert booking_change(("confirmed", old), "confirmed", old) == BookingChange()
    # A release takes away the hours that were counted, whatever span the event carries.
    assert booking_change(("confirmed", old), "released", new) == BookingChange(
        "released", old, ((old, -1),))
    # Never counted, still final.
    assert booking_change(None, "released", old) == BookingChange("released", old)
    for kind in ("confirmed", "moved", "released"):
        assert booking_change(("released", old), kind, new) == BookingChange()
    # A move counts the new span instead of the old one (here across a new year).
    assert booking_change(("confirmed", old), "moved", new) == BookingChange(
        "confirmed", new, ((old, -1), (new, 1)))
    assert booking_change(("confirmed", old), "moved", old) == BookingChange()
    # A move of a booking whose confirmation was never seen: it is confirmed at its new time.
    assert booking_change(None, "moved", new) == BookingChange("confirmed", new, ((new, 1),))


def test_a_month_closes_a_week_after_it_ended_in_helsinki() -> None:
    from datetime import date

    from services.metrics.domain import closable_months

    months = [date(2026, 11, 1), date(2026, 12, 1), date(2026, 12, 1), date(2027, 1, 1)]
    # 7 January 22:30 UTC is already 8 January in Helsinki: December ended a week ago.
    assert closable_months(months, datetime(2027, 1, 7, 21, 30, tzinfo=UTC), 7) == [
        date(2026, 11, 1)]
    assert closable_months(months, datetime(2027, 1, 7, 22, 30, tzinfo=UTC), 7) == [
        date(2026, 11, 1), date(2026, 12, 1)]


def test_the_languages_and_the_indicators_are_defined_once() -> None:
    from typing import get_args

    from services.metrics.domain import INDICATORS, LANGUAGES
    from services.metrics.schemas import Lang
    from shared.clock import HELSINKI

    assert get_args(Lang) == LANGUAGES
    assert all(set(i.name) == set(LANGUAGES) for i in INDICATORS)
    assert len({i.code for i in INDICATORS}) == len(INDICATORS)
    import services.metrics.domain as domain

    assert domain.HELSINKI is HELSINKI
    from services.metrics import feedback, report

    # Every page speaks every language, with the same words in each.
    for words in (feedback._TEXT, report._T, report._MONTHS):
        assert tuple(words) == LANGUAGES
    assert all(set(report._T[lang]) == set(report._T["fi"]) for lang in LANGUAGES)
    assert all(set(feedback._TEXT[lang]) == set(feedback._TEXT["fi"]) for lang in LANGUAGES)


def test_a_short_codes_range_holds_exactly_the_ids_that_start_with_it() -> None:
    """Byte order is how PostgreSQL compares uuids: an id is within the range if and only if
    its hex digits start with the code."""
    import random
    from uuid import UUID

    from services.metrics.domain import short_code, short_code_range

    rng = random.Random(20)
    for _ in range(500):
        held = UUID(int=rng.getrandbits(128))
        code = short_code(held)
        low, high = short_code_range(code)
        assert low.bytes <= held.bytes <= high.bytes
        for other in (UUID(int=(held.int + (1 << 88)) % (1 << 128)),
                      UUID(int=(held.int - (1 << 88)) % (1 << 128)),
                      UUID(int=rng.getrandbits(128))):
            inside = low.bytes <= other.bytes <= high.bytes
            assert inside == other.hex.startswith(code), (code, other)


def test_a_population_is_a_whole_number_not_a_yes_or_a_text() -> None:
    """`true` was kept as a population of 1 and "6000" as 6000: the body is read strictly."""
    import pydantic

    from services.metrics.schemas import PopulationIn

    for population in (True, "6000", 6000.5):
        with pytest.raises(pydantic.ValidationError):
            PopulationIn.model_validate({"population": population, "year": 2025})
    assert PopulationIn.model_validate({"population": 6000, "year": 2025}).population == 6000


@pytest.mark.parametrize(("body", "said"), [
    (b"area,population\nkuopio.nilsia,1\n", "CSV-tiedostossa pitää olla sarakkeet area"),
    (b"area,population,year\nkuopio.nilsia,lots,2025\n",
     "Rivillä 2 väkiluvun ja vuoden pitää olla kokonaislukuja."),
    (b"area,population,year\nkuopio.nilsia,1,2025,x\n", "Rivillä 2 on 4 kenttää"),
    (b"area,population,year\n,1,2025\n", "Riviltä 2 puuttuu alue."),
    (b"area,population,year,sample\nkuopio.nilsia,1,2025,maybe\n",
     "Rivillä 2 sample-sarakkeen arvo on true tai false."),
    (b"area,population,year\nkuopio.nilsia,1,2025\nkuopio.nilsia,2,2025\n",
     "Rivillä 3 alue kuopio.nilsia on toiseen kertaan vuodelle 2025."),
    (b"area,population,year\nkuopio.nilsia,-1,2025\n", "Väkiluvun pitää olla 0–"),
    (b"\xff\xfe", "CSV-tiedoston pitää olla UTF-8-tekstiä"),
])
def test_a_populations_file_is_refused_in_the_analysts_language(body: bytes, said: str) -> None:
    """Each rule of the file said in Finnish, with its line: the English reason was kept
    inside the Finnish message ("`csv`: tarkista tämä kohta (line 2: …)")."""
    from services.metrics.domain import parse_populations_csv
    from services.metrics.report import refusal_text
    from shared.errors import Invalid

    with pytest.raises(Invalid) as refused:
        parse_populations_csv(body, 2026)
    message = refusal_text(refused.value, "fi")
    assert message is not None and message.startswith(said), message
    assert refusal_text(refused.value, "sv") and refusal_text(refused.value, "en")


def test_a_half_is_rounded_up_as_a_spreadsheet_rounds_it() -> None:
    from decimal import Decimal

    from services.metrics.domain import mean_satisfaction, per_thousand, utilisation

    # 1 / 3,200 × 1,000 = 0.3125 exactly: Python's round gave 0.312 (a half to even).
    assert [per_thousand(n, 3200) for n in (1, 9, 155, 7)] == [0.313, 2.813, 48.438, 2.188]
    assert per_thousand(0, 3200) == 0.0 and per_thousand(5, 0) is None
    assert mean_satisfaction([1, 0, 0, 0, 7]) == 4.5 and mean_satisfaction([0] * 5) is None
    assert mean_satisfaction([0, 0, 1, 0, 7]) == 4.75  # 38 / 8
    assert utilisation(Decimal("1"), Decimal("8")) == 0.125
    assert utilisation(Decimal("1"), Decimal("1600")) == 0.001  # 0.000625 up, not to even
