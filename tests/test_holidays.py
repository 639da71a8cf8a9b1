"""The days Finnish libraries close (shared.holidays), checked by hand against the calendar
of several years."""

from __future__ import annotations

from datetime import date

import pytest

from shared.holidays import all_saints_day, closed_days, easter, midsummer_day


@pytest.mark.parametrize(("year", "sunday"), [
    (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25))])
def test_easter_sunday(year: int, sunday: date) -> None:
    assert easter(year) == sunday


@pytest.mark.parametrize(("year", "midsummer", "all_saints"), [
    (2024, date(2024, 6, 22), date(2024, 11, 2)),
    (2025, date(2025, 6, 21), date(2025, 11, 1)),
    (2026, date(2026, 6, 20), date(2026, 10, 31)),
    (2027, date(2027, 6, 26), date(2027, 11, 6))])
def test_the_moving_saturdays(year: int, midsummer: date, all_saints: date) -> None:
    assert midsummer_day(year) == midsummer and midsummer.weekday() == 5
    assert all_saints_day(year) == all_saints and all_saints.weekday() == 5


def test_the_days_of_2026_in_order_with_their_names() -> None:
    days = closed_days(2026)
    assert [(d.isoformat(), n["en"]) for d, n in days] == [
        ("2026-01-01", "New Year's Day"), ("2026-01-06", "Epiphany"),
        ("2026-04-03", "Good Friday"), ("2026-04-05", "Easter Sunday"),
        ("2026-04-06", "Easter Monday"), ("2026-05-01", "May Day"),
        ("2026-05-14", "Ascension Day"), ("2026-05-24", "Pentecost"),
        ("2026-06-19", "Midsummer Eve"),
        ("2026-06-20", "Midsummer Day"), ("2026-10-31", "All Saints' Day"),
        ("2026-12-06", "Independence Day"), ("2026-12-24", "Christmas Eve"),
        ("2026-12-25", "Christmas Day"), ("2026-12-26", "Boxing Day")]
    named = {d: n for d, n in days}
    assert named[date(2026, 6, 19)] == {"fi": "juhannusaatto", "sv": "midsommarafton",
                                        "en": "Midsummer Eve"}
    assert named[date(2026, 4, 6)]["fi"] == "2. pääsiäispäivä"
    assert named[date(2026, 12, 26)]["sv"] == "annandag jul"


def test_2027_moves_with_easter_and_the_saturdays() -> None:
    named = {n["en"]: d for d, n in closed_days(2027)}
    assert named["Good Friday"] == date(2027, 3, 26)
    assert named["Easter Monday"] == date(2027, 3, 29)
    assert named["Ascension Day"] == date(2027, 5, 6)
    assert named["Pentecost"] == date(2027, 5, 16)
    assert named["Midsummer Eve"] == date(2027, 6, 25)
    assert named["All Saints' Day"] == date(2027, 11, 6)


@pytest.mark.parametrize("year", range(2020, 2041))
def test_every_year_has_fifteen_days_each_named_in_three_languages(year: int) -> None:
    days = closed_days(year)
    assert len({d for d, _ in days}) == 15
    assert all(d.year == year for d, _ in days)
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    assert all(set(n) == {"fi", "sv", "en"} and all(n.values()) for _, n in days)
    named = {n["en"]: d for d, n in days}
    assert named["Good Friday"].weekday() == 4 and named["Easter Monday"].weekday() == 0
    assert named["Ascension Day"].weekday() == 3 and named["Midsummer Eve"].weekday() == 4
    assert date(year, 6, 19) <= named["Midsummer Eve"] <= date(year, 6, 25)
