"""iCalendar (RFC 5545) of any service that offers .ics, written by the `icalendar` library.

The library folds lines, escapes TEXT values and writes dates and time zones; this module
adds what a calendar subscribed from a public feed must never get: a value that ends its line
and starts a property of its own (a URI or UID has no escapes, so its line breaks and control
characters are dropped, as are control characters in text). Timed entries are written in
UTC (``...Z``), which needs no VTIMEZONE; all-day entries are dates (``VALUE=DATE``) of
Helsinki's calendar, the last day exclusive as the RFC has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from shared.clock import HELSINKI

MEDIA_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    sequence: int = 0
    status: str = "CONFIRMED"  # TENTATIVE | CONFIRMED | CANCELLED
    description: str | None = None
    location: str | None = None
    url: str | None = None
    updated_at: datetime | None = None
    #: Whole days of Helsinki's calendar: the days from `starts_at` to `ends_at`.
    all_day: bool = False


#: Control characters RFC 5545 does not allow in a value (HTAB is allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(value: str) -> str:
    """A TEXT value before the library escapes it: every line break (CRLF, a lone LF or a
    lone CR) one LF, which is written as ``\\n``; other control characters dropped."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def plain(value: str) -> str:
    """A URI or UID value, which has no escapes: control characters (CR, LF) dropped."""
    return _CONTROL.sub("", value.replace("\r", "").replace("\n", ""))


def days(starts_at: datetime, ends_at: datetime) -> tuple[date, date]:
    """The first and the last day (inclusive) of an all-day entry in Helsinki: an end at
    midnight belongs to the day before, an end before the start is the first day."""
    first = starts_at.astimezone(HELSINKI).date()
    last = (ends_at.astimezone(HELSINKI) - timedelta(microseconds=1)).date()
    return first, max(first, last)


def calendar(events: Iterable[CalendarEvent], *, name: str,
             product: str = "-//Kohtaamo//Kohtaamo//FI", method: str = "PUBLISH") -> str:
    """`method` CANCEL (RFC 5546) makes a calendar remove the entries with these UIDs; feeds
    PUBLISH theirs."""
    cal = icalendar.Calendar()
    cal.add("prodid", plain(product))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", plain(method))
    # An X- property is not TEXT to the library (it would write a line break raw): say so.
    cal.add("x-wr-calname", icalendar.vText(text(name)))
    now = datetime.now(UTC).replace(microsecond=0)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", plain(event.uid))
        entry.add("dtstamp", (event.updated_at or now).astimezone(UTC))
        if event.all_day:
            first, last = days(event.starts_at, event.ends_at)
            entry.add("dtstart", first)
            entry.add("dtend", last + timedelta(days=1))
        else:
            entry.add("dtstart", event.starts_at.astimezone(UTC))
            entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("sequence", event.sequence)
        entry.add("status", plain(event.status))
        entry.add("summary", text(event.summary))
        if event.description:
            entry.add("description", text(event.description))
        if event.location:
            entry.add("location", text(event.location))
        if event.url:
            entry.add("url", plain(event.url))
        cal.add_component(entry)
    ics: bytes = cal.to_ical()
    return ics.decode()
