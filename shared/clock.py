"""Time, injected: use cases ask a clock for "now" so tests can set and move it.

One definition of the city's time zone lives here too: every local date, weekday and opening
hour in the platform is Helsinki time.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from shared.bounds import MAX_YEAR, MIN_YEAR
from shared.errors import Invalid

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The city's time zone (Kuopio, like all of Finland, keeps Helsinki time).
HELSINKI = ZoneInfo("Europe/Helsinki")


def monday_of(day: date) -> date:
    """The Monday of `day`'s week (weeks run Monday to Sunday, as in Finland)."""
    return day - timedelta(days=day.weekday())


def _typed(text: str, iso: Callable[[str], T], finnish: re.Pattern[str],
           made: Callable[..., T]) -> T | None:
    """`text` read by `iso`, else by the `finnish` pattern whose numbers `made` takes (day,
    month, year first); None when neither reads it, or it names no real day or time."""
    text = text.strip()
    if not (text.isascii() and text.isprintable()):  # fromisoformat takes other scripts'
        # digits ("٣") and any character between the date and the time (a NUL): no person
        # types those into a form
        return None
    try:
        return iso(text)
    except ValueError:
        pass
    typed = finnish.fullmatch(text)
    if typed is None:
        return None
    try:
        return made(*(int(part) for part in typed.groups()))
    except ValueError:
        return None


#: A time as a person types it where a browser shows no picker, as Finnish writes it:
#: "3.12.2026 17:00", "3.12.2026 17.00", "3.12.2026 klo 17.00" (the refusals ask this form).
_TYPED_TIME = re.compile(
    r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?:\s+(?:klo|kl\.?)\s*|\s+|,\s*)"
    r"([0-9]{1,2})[:.]([0-9]{2})", re.IGNORECASE)


def typed_local_time(text: str) -> datetime | None:
    """A form's time as typed or as a browser's `datetime-local` sends it: ISO
    ("2026-12-03T17:00", with its offset if it names one) or the Finnish way
    ("3.12.2026 17:00", "3.12.2026 klo 17.00"). None when it is neither, for each form to
    refuse in its own words. The one reader of typed times, so every form takes the format
    any of them asks for."""
    return _typed(text, datetime.fromisoformat, _TYPED_TIME,
                  lambda d, m, y, hour, minute: datetime(y, m, d, hour, minute))


#: A day as Finnish writes it, as a person types it where a browser shows no picker:
#: "3.3.2027", "03.03.2027" (the day fields' refusals ask this form).
_TYPED_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def typed_day(text: str) -> date | None:
    """A form's day as typed or as a browser's `date` input sends it: ISO ("2027-03-03") or
    the Finnish way ("3.3.2027"). None when it is neither, for each form to refuse in its
    own words; as strict as `typed_local_time`, whose days it reads alike."""
    return _typed(text, date.fromisoformat, _TYPED_DAY, lambda d, m, y: date(y, m, d))


def helsinki_time(local: datetime, field: str) -> datetime:
    """A time on Helsinki's clock (a form's `datetime-local`) as a moment, the same in every
    service's forms. An hour the clocks skip (the spring's 03:00–03:59) is refused rather
    than silently made an hour later (`Invalid`, code `clocks_skip`); of an hour the autumn
    repeats, the first (summer time) is taken. A year outside the platform's is refused
    first (year 1 in Helsinki is year 0 in UTC, which Python cannot hold)."""
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        raise Invalid(f"the year must be between {MIN_YEAR} and {MAX_YEAR}", field=field,
                      code="time")
    moment = local.replace(tzinfo=HELSINKI, fold=0)
    if moment.astimezone(UTC).astimezone(HELSINKI).replace(tzinfo=None) != local.replace(
            fold=0):
        raise Invalid("that time does not exist in Helsinki: the clocks go forward then",
                      field=field, code="clocks_skip")
    # In UTC: a Helsinki time of the repeated hour never equals the same moment elsewhere
    # (PEP 495), so the stored one would always look changed.
    return moment.astimezone(UTC)


def form_moment(value: str, field: str, code: str = "time") -> datetime:
    """A form's time (`typed_local_time`) as a moment: in Helsinki unless it names its
    offset, the spring's skipped hour refused (`helsinki_time`). One that is no time, or
    whose offset takes it outside the platform's years, is refused by `field` with `code`."""
    local = typed_local_time(value)
    if local is not None:
        if local.tzinfo is None:
            return helsinki_time(local, field)
        try:
            if MIN_YEAR <= local.astimezone(UTC).year <= MAX_YEAR:
                return local
        except OverflowError:  # year 1 at +02:00 is before Python's first year in UTC
            pass
    raise Invalid(f"the {field} is not a date and time", field=field, code=code)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, time-zone aware (UTC)."""
        ...


class SystemClock:
    """The wall clock, for running services."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to, for tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def advance(self, by: timedelta) -> None:
        self._at += by


SYSTEM_CLOCK = SystemClock()


_OFFSET_PART = re.compile(r"([+-]?)(\d+(?:\.\d+)?)([dhms]?)")
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "": 1.0}


def parse_offset(text: str) -> timedelta:
    """A clock file's offset: seconds (``93600``, ``-30.5``) or parts with units, each with
    its own sign (``+1d 2h``, ``26h``, ``-90m``, ``1d -2h 30s``); blank is no offset.
    Anything else is a ValueError that says what was read."""
    seconds = 0.0
    for word in text.split():
        match = _OFFSET_PART.fullmatch(word)
        if match is None:
            raise ValueError(f"{text.strip()!r} is not an offset: expected seconds (93600) "
                             "or parts such as +1d 2h 30m 10s")
        sign, number, unit = match.groups()
        seconds += (-1 if sign == "-" else 1) * float(number) * _UNIT_SECONDS[unit]
    return timedelta(seconds=seconds)


class OffsetFileClock:
    """The wall clock moved by the offset written in a file: development and tests only
    (``KOHTAAMO_CLOCK_FILE``), so a person or a test moves every service process, and its
    scheduled jobs, forward together by writing one file (``echo 26h > .local/clock``).

    The file is looked at (one ``stat``) on every ``now()`` and read again only when it
    changed. A missing or empty file is no offset. A file that cannot be read as an offset
    stops the start (`load`); one that turns bad later keeps the offset in force and is
    logged, so a half-written file never throws the clock about."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int] | None = None
        self._offset = timedelta(0)

    def _stamp(self) -> tuple[int, int, int] | None:
        # The inode too: a file replaced by a rename within the same clock tick is seen.
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def load(self) -> timedelta:
        """Read the file now; a malformed one is a ValueError naming the file."""
        stamp = self._stamp()
        try:
            text = self.path.read_text() if stamp is not None else ""
        except FileNotFoundError:
            stamp, text = None, ""
        try:
            offset = parse_offset(text)
        except ValueError as exc:
            raise ValueError(f"KOHTAAMO_CLOCK_FILE {self.path}: {exc}") from None
        self._seen, self._offset = stamp, offset
        return offset

    @property
    def offset(self) -> timedelta:
        stamp = self._stamp()
        if stamp != self._seen:
            previous = self._offset
            try:
                self.load()
            except (ValueError, OSError) as exc:
                self._seen = stamp  # logged once per change of the file, not on every call
                log.error("clock file unreadable; the offset in force is kept",
                          extra={"error": str(exc), "offset_s": previous.total_seconds()})
            else:
                if self._offset != previous:
                    log.warning("CLOCK MOVED (development/test clock file)", extra={
                        "clock_file": str(self.path),
                        "offset_s": self._offset.total_seconds()})
        return self._offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def configured_clock(clock_file: Path | None) -> Clock:
    """The clock a service runs on: the wall clock, or with ``KOHTAAMO_CLOCK_FILE`` set the
    wall clock plus that file's offset (development and tests only; said loudly at start).
    A malformed file is a ValueError, so the service does not start on a wrong "now"."""
    if clock_file is None:
        return SYSTEM_CLOCK
    clock = OffsetFileClock(clock_file)
    offset = clock.load()
    log.warning("DEVELOPMENT/TEST CLOCK: now is the wall clock plus the offset in "
                "KOHTAAMO_CLOCK_FILE; never set it in production", extra={
                    "clock_file": str(clock_file), "offset_s": offset.total_seconds(),
                    "now": clock.now().isoformat()})
    return clock
