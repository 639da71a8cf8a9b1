"""Output encodings that other programs read: iCalendar and CSV cells (issue 13)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.csv_cells import safe_cell, safe_row
from shared.ical import CalendarEvent, calendar, fold


def _event(**changes: str) -> CalendarEvent:
    base = dict(uid="u-1", summary="Digiapu", description=None, location=None, url=None)
    base.update(changes)
    return CalendarEvent(starts_at=datetime(2027, 1, 5, 10, tzinfo=UTC),
                         ends_at=datetime(2027, 1, 5, 12, tzinfo=UTC), **base)  # type: ignore[arg-type]


def _properties(ics: str) -> list[str]:
    unfolded = ics.replace("\r\n ", "")
    return [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n") if line]


def test_no_line_break_in_a_value_starts_a_property_of_its_own() -> None:
    for breaker in ("\r", "\n", "\r\n"):
        ics = calendar([_event(summary=f"Kerho{breaker}ATTACH:http://evil.example/x",
                               description=f"a{breaker}ORGANIZER:mailto:x@evil.example",
                               location=f"Kirjasto{breaker}X-EVIL:1",
                               url=f"https://kuopio.fi/e{breaker}ATTENDEE:y",
                               uid=f"u-1{breaker}STATUS:CANCELLED")],
                       name=f"Tila{breaker}X-NAME-EVIL:1")
        props = _properties(ics)
        assert "ATTACH" not in props and "ORGANIZER" not in props
        assert "X-EVIL" not in props and "ATTENDEE" not in props
        assert "X-NAME-EVIL" not in props  # the calendar's own name (a space's, say) too
        assert props.count("STATUS") == 1
        # No bare CR or LF anywhere but in the CRLF line ends.
        assert "\r" not in ics.replace("\r\n", "") and "\n" not in ics.replace("\r\n", "")


def test_text_keeps_its_words_escaped() -> None:
    ics = calendar([_event(summary="Lukupiiri; kahvi, pulla \\ kaikki\rtervetuloa")],
                   name="Kohtaamo")
    assert "SUMMARY:Lukupiiri\\; kahvi\\, pulla \\\\ kaikki\\ntervetuloa" in ics


#: What a value may hold: Finnish and Swedish letters, emoji (4 octets), the characters
#: TEXT escapes, line breaks and control characters.
_VALUES = st.text(st.sampled_from("aäöåÅ€ 😀𝄞,;:\\\"\r\n\t\x00\x7f\u2028xyz"), max_size=300)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _meant(value: str) -> str:
    """What a reader should get back: line breaks as LF, other control characters gone."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=300, deadline=None)
@given(summary=_VALUES, description=_VALUES, location=_VALUES, name=_VALUES,
       minutes=st.integers(0, 10**6), length=st.integers(-600, 5_000), all_day=st.booleans())
def test_a_calendar_reads_back_as_written(summary: str, description: str, location: str,
                                          name: str, minutes: int, length: int,
                                          all_day: bool) -> None:
    """Written by our own lines, read back by the `icalendar` library: every value as meant,
    no line longer than 75 octets, no character split by a fold."""
    starts = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes, microseconds=7)
    ends = starts + timedelta(minutes=length)
    ics = calendar([CalendarEvent(
        uid="e-1@kohtaamo", starts_at=starts, ends_at=ends, summary=summary, sequence=3,
        description=description, location=location, url="https://kuopio.fi/e?a=1,2;3",
        updated_at=starts, all_day=all_day)], name=name)
    octets = ics.encode()
    assert all(len(line) <= 75 for line in octets.split(b"\r\n"))
    assert "\r" not in ics.replace("\r\n", "") and "\n" not in ics.replace("\r\n", "")
    parsed = icalendar.Calendar.from_ical(octets)
    # An X- property is not TEXT to the library: it gives the value as written, escapes and all.
    assert re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1],
                  str(parsed["X-WR-CALNAME"])) == _meant(name)
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["SUMMARY"]) == _meant(summary)
    assert str(entry.get("DESCRIPTION", "")) == _meant(description)
    assert str(entry.get("LOCATION", "")) == _meant(location)
    assert str(entry["URL"]) == "https://kuopio.fi/e?a=1,2;3"
    assert int(entry["SEQUENCE"]) == 3 and str(entry["STATUS"]) == "CONFIRMED"
    start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
    if all_day:
        assert type(start) is date and type(end) is date and start < end
    else:
        assert start == starts.replace(microsecond=0) and end == ends.replace(microsecond=0)
    assert entry.decoded("DTSTAMP") == starts.replace(microsecond=0)


def test_a_fold_never_splits_a_character() -> None:
    for prefix in range(4):  # every place a 2-, 3- or 4-octet character can meet the limit
        for char in ("ä", "€", "😀"):
            line = "SUMMARY:" + "x" * prefix + char * 60
            folded = fold(line)
            assert folded.endswith("\r\n")
            parts = folded[:-2].split("\r\n ")
            assert "".join(parts) == line
            assert all(len(part.encode()) <= (75 if i == 0 else 74)
                       for i, part in enumerate(parts))
            assert len(parts[0].encode()) > 75 - len(char.encode())  # as full as it can be


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    for formula in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(formula) == "'" + formula
    assert safe_row(["Neulamäki", 12, -3, 1.5, None, "a=b"]) == [
        "Neulamäki", 12, -3, 1.5, None, "a=b"]
