"""Output encodings that other programs read: iCalendar and CSV cells (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.csv_cells import safe_cell, safe_row
from shared.ical import CalendarEvent, calendar


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


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    for formula in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(formula) == "'" + formula
    assert safe_row(["Neulamäki", 12, -3, 1.5, None, "a=b"]) == [
        "Neulamäki", 12, -3, 1.5, None, "a=b"]
