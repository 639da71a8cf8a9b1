"""The development/test clock (`KOHTAAMO_CLOCK_FILE`): the wall clock plus a file's offset,
re-read when the file changes; off unless set; a malformed file stops the start."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.clock import SYSTEM_CLOCK, OffsetFileClock, configured_clock, parse_offset
from shared.settings import ServiceSettings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "seconds"), [
    ("", 0), ("  \n", 0), ("3600", 3600), ("-30.5", -30.5), ("+93600\n", 93600),
    ("26h", 26 * 3600), ("1d 2h 30m 10s", 86400 + 7200 + 1800 + 10), ("-90m", -5400),
    ("1d -2h", 86400 - 7200), ("0.5d", 43200),
])
def test_offsets_are_seconds_or_parts_with_units(text: str, seconds: float) -> None:
    assert parse_offset(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["tomorrow", "1w", "1 d", "2026-12-05T10:00", "--3", "1h30"])
def test_anything_else_is_refused_saying_what_was_read(text: str) -> None:
    with pytest.raises(ValueError, match="is not an offset"):
        parse_offset(text)


def _near(a: datetime, b: datetime) -> bool:
    return abs(a - b) < timedelta(seconds=5)


def test_the_clock_is_the_wall_clock_plus_the_files_offset_read_again_when_it_changes(
        tmp_path: Path) -> None:
    path = tmp_path / "clock"
    clock = OffsetFileClock(path)
    assert clock.load() == timedelta(0)  # no file yet: no offset
    assert _near(clock.now(), datetime.now(UTC))
    path.write_text("26h")
    assert _near(clock.now(), datetime.now(UTC) + timedelta(hours=26))
    assert clock.now().tzinfo is not None
    # Replaced by a rename (as a test writes it), even within the same clock tick.
    new = tmp_path / "clock.new"
    new.write_text("-1d")
    os.replace(new, path)
    assert _near(clock.now(), datetime.now(UTC) - timedelta(days=1))
    path.unlink()
    assert _near(clock.now(), datetime.now(UTC))


def test_a_file_that_turns_bad_keeps_the_offset_in_force_and_says_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "clock"
    path.write_text("2h")
    clock = OffsetFileClock(path)
    clock.load()
    path.write_text("two hours")
    with caplog.at_level(logging.ERROR, logger="shared.clock"):
        assert _near(clock.now(), datetime.now(UTC) + timedelta(hours=2))
        assert _near(clock.now(), datetime.now(UTC) + timedelta(hours=2))
    assert [r.getMessage() for r in caplog.records] == [
        "clock file unreadable; the offset in force is kept"]  # once, not on every call
    path.write_text("3h")
    assert _near(clock.now(), datetime.now(UTC) + timedelta(hours=3))


def test_off_unless_set_loud_when_on_and_a_malformed_file_stops_the_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("KOHTAAMO_CLOCK_FILE", raising=False)
    assert ServiceSettings(service="booking").clock_file is None
    assert configured_clock(None) is SYSTEM_CLOCK
    monkeypatch.setenv("KOHTAAMO_CLOCK_FILE", "  ")
    assert ServiceSettings(service="booking").clock_file is None

    path = tmp_path / "clock"
    path.write_text("1d\n")
    monkeypatch.setenv("KOHTAAMO_CLOCK_FILE", str(path))
    settings = ServiceSettings(service="booking")
    assert settings.clock_file == path
    with caplog.at_level(logging.WARNING, logger="shared.clock"):
        clock = configured_clock(settings.clock_file)
    assert _near(clock.now(), datetime.now(UTC) + timedelta(days=1))
    assert any("DEVELOPMENT/TEST CLOCK" in r.getMessage() for r in caplog.records)

    path.write_text("next friday")
    with pytest.raises(ValueError, match=f"KOHTAAMO_CLOCK_FILE {path}: 'next friday' is not"):
        configured_clock(settings.clock_file)


def test_the_runtime_of_a_service_runs_on_it(tmp_path: Path) -> None:
    from services.booking.app import spec
    from shared.service import ServiceRuntime

    path = tmp_path / "clock"
    path.write_text("3d")
    runtime = ServiceRuntime(spec, ServiceSettings(service="booking", clock_file=path))
    assert _near(runtime.clock.now(), datetime.now(UTC) + timedelta(days=3))
    assert ServiceRuntime(spec, ServiceSettings(service="booking")).clock is SYSTEM_CLOCK


def test_a_form_time_in_helsinki_refuses_the_skipped_hour_and_odd_years() -> None:
    """One reading of a form's local time for every service: the spring's skipped hour and
    a year outside the platform's are refusals naming the field, never an OverflowError."""
    from datetime import UTC, datetime

    from shared.clock import helsinki_time
    from shared.errors import Invalid

    assert helsinki_time(datetime(2027, 3, 28, 4, 30), "x") == datetime(2027, 3, 28, 1, 30,
                                                                        tzinfo=UTC)
    assert helsinki_time(datetime(2027, 10, 31, 3, 30), "x") == datetime(2027, 10, 31, 0, 30,
                                                                         tzinfo=UTC)
    for local, code in ((datetime(2027, 3, 28, 3, 30), "clocks_skip"),
                        (datetime(1, 1, 1, 0, 30), "time"), (datetime(9999, 1, 1), "time")):
        try:
            helsinki_time(local, "starts_at")
        except Invalid as refused:
            assert (refused.field, refused.details["code"]) == ("starts_at", code)
        else:
            raise AssertionError(f"{local} was taken")
