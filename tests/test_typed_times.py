"""Every form reads a typed time one way (`shared.clock.typed_local_time`): what a browser's
`datetime-local` sends and what a person types where the browser shows no picker, the
Finnish way the notice form's refusal asks for ("Anna aika muodossa pp.kk.vvvv tt:mm."). The
staff notice form asked for that format and read only ISO; the events and booking forms
refused it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.booking.desk import _start as desk_start
from services.events.organiser_pages import moment_of
from services.notifications.reach_pages import _read_time
from services.notifications.staff import _local_time
from shared.clock import form_moment, typed_day, typed_local_time
from shared.errors import Invalid

pytestmark = pytest.mark.unit

#: 3 December 2026, 17:00 in Helsinki (winter time, UTC+2).
FIVE_PM = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "2026-12-03T17:00", " 2026-12-03T17:00 ", "2026-12-03 17:00", "3.12.2026 17:00",
    "03.12.2026 17.00", "3.12.2026 klo 17.00", "3.12.2026 KLO 17:00", "3.12.2026 kl. 17.00",
    "3.12.2026, 17:00"])
def test_the_browsers_and_the_typed_ways_read_alike(text: str) -> None:
    assert typed_local_time(text) == datetime(2026, 12, 3, 17, 0)


@pytest.mark.parametrize("text", [
    "", "  ", "x", "3.12.2026", "17:00", "31.2.2026 17:00", "3.12.2026 24:00",
    "3.13.2026 17:00", "3.12.26 17:00", "3.12.2026 17:0", "3.12.2026 klo", "3/12/2026 17:00",
    "\u0663.12.2026 17:00", "2026-12-03T17:00\x00", "2026-12-03\x0017:00",
    "0.1.2026 10:00", "1.1.0000 10:00", "3.12.2026 17:00 extra"])
def test_anything_else_is_none_for_the_form_to_refuse(text: str) -> None:
    assert typed_local_time(text) is None


def test_an_offset_is_kept_as_named() -> None:
    assert typed_local_time("2026-12-03T17:00+02:00") == FIVE_PM


@pytest.mark.parametrize("typed", ["2026-12-03T17:00", "3.12.2026 17:00",
                                   "3.12.2026 klo 17.00"])
def test_every_form_takes_each_way(typed: str) -> None:
    assert _local_time(typed, "shown_from") == FIVE_PM  # staff notice form
    refused: list[Invalid] = []
    assert _read_time(typed, "opens_at", refused) == FIVE_PM and refused == []  # sign-ups
    assert moment_of(typed, "starts_at") == FIVE_PM  # organiser's activity
    assert desk_start(typed) == FIVE_PM  # library desk's walk-in


def test_every_form_refuses_what_is_no_time_by_its_field() -> None:
    for read in (lambda: _local_time("3.12.2026 25:00", "shown_until"),
                 lambda: moment_of("3.12.2026 25:00", "shown_until"),
                 lambda: desk_start("3.12.2026 25:00", "shown_until")):
        with pytest.raises(Invalid) as refused:
            read()
        assert refused.value.field == "shown_until"
    kept: list[Invalid] = []
    assert _read_time("3.12.2026 25:00", "closes_at", kept) is None
    assert [(r.field, r.details["code"]) for r in kept] == [("closes_at", "bad_time")]


def test_a_form_moment_is_helsinki_time_unless_it_names_its_offset() -> None:
    """`form_moment`, booking's reader of a start (the desk, the loans, an organiser's
    held time): the spring's skipped hour and a time outside the platform's years are
    refusals by the field, with the form's own code."""
    assert form_moment("3.12.2026 klo 17.00", "starts_at") == FIVE_PM
    assert form_moment("2026-12-03T17:00+02:00", "starts_at") == FIVE_PM
    for text, code in (("28.3.2027 03:30", "clocks_skip"), ("0001-01-01T00:30+02:00", "moment"),
                       ("9999-12-31T23:30-02:00", "moment"), ("huomenna", "moment")):
        with pytest.raises(Invalid) as refused:
            form_moment(text, "ends_at", "moment")
        assert (refused.value.field, refused.value.details["code"]) == ("ends_at", code), text


# --- a day alone (`typed_day`): the booking forms' day fields ---------------------------------

@pytest.mark.parametrize("text", ["2027-03-03", " 2027-03-03 ", "3.3.2027", "03.03.2027",
                                  " 3.3.2027 "])
def test_a_day_is_read_the_browsers_way_and_the_finnish_way(text: str) -> None:
    assert typed_day(text) == date(2027, 3, 3)


@pytest.mark.parametrize("text", [
    "", "  ", "x", "huomenna", "3.3.27", "3.3.", "3/3/2027", "31.2.2027", "2027-02-30",
    "3.13.2027", "0.1.2027", "1.1.0000", "3.3.2027 10:00", "2027-03-03T10:00",
    "\u0663.3.2027", "2027-03-0\u0663", "3.3.2027.", "3..2027", "2027-03-03\x00", "3.3.2027\x00"])
def test_anything_else_is_no_day_for_the_form_to_refuse(text: str) -> None:
    assert typed_day(text) is None


def test_a_day_reads_as_the_day_of_a_typed_time() -> None:
    for text in ("3.12.2026", "2026-12-03"):
        typed = typed_local_time(f"{text} 17:00")
        assert typed is not None and typed_day(text) == typed.date()
