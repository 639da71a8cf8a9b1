"""iCalendar (RFC 5545) of any service that offers .ics.

Written here rather than through a general library: a feed of an area's year is hundreds of
entries of the same ten properties, and building each as the `icalendar` library's objects
cost 0.2 ms an entry (60 ms an area's feed), some ten times what writing the lines does. Tests
read every calendar back with that library, so it stays the judge of what is valid.

A calendar subscribed from a public feed must never get a value that ends its line and starts
a property of its own: TEXT values are escaped and a line break in them becomes ``\\n``; a URI
or UID has no escapes, so its line breaks and control characters are dropped, as are control
characters in text. Lines longer than 75 octets are folded without splitting a character.
Timed entries are written in UTC (``...Z``), which needs no VTIMEZONE; all-day entries are
dates (``VALUE=DATE``) of Helsinki's calendar, the last day exclusive as the RFC has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

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
_LINE = 75  # octets, the CRLF not counted


def text(value: str) -> str:
    """A TEXT value as written: every line break (CRLF, a lone LF or a lone CR) one ``\\n``,
    other control characters dropped, and backslash, semicolon and comma escaped."""
    # RFC 5545 3.3.11: the backslash first, so no escape is escaped twice.
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def plain(value: str) -> str:
    """A URI, which has no escapes, or a value that must stay on one line (a UID): control
    characters (CR, LF) dropped."""
    return _CONTROL.sub("", value.replace("\r", "").replace("\n", ""))


def days(starts_at: datetime, ends_at: datetime) -> tuple[date, date]:
    """The first and the last day (inclusive) of an all-day entry in Helsinki: an end at
    midnight belongs to the day before, an end before the start is the first day."""
    first = starts_at.astimezone(HELSINKI).date()
    last = (ends_at.astimezone(HELSINKI) - timedelta(microseconds=1)).date()
    return first, max(first, last)


def fold(line: str) -> str:
    """One content line, folded (RFC 5545 3.1): at most 75 octets a line, each continuation
    starting with a space, never inside a character's UTF-8 octets."""
    if len(line) <= _LINE // 4:
        return line + "\r\n"
    octets = line.encode()
    if len(octets) <= _LINE:
        return line + "\r\n"
    parts: list[bytes] = []
    start, limit = 0, _LINE
    while len(octets) - start > limit:
        cut = start + limit
        while octets[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        parts.append(octets[start:cut])
        start, limit = cut, _LINE - 1  # a continuation's leading space is an octet
    parts.append(octets[start:])
    return b"\r\n ".join(parts).decode() + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _entry(event: CalendarEvent, now: datetime) -> str:
    if event.all_day:
        first, last = days(event.starts_at, event.ends_at)
        start = f"DTSTART;VALUE=DATE:{first:%Y%m%d}"
        end = f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}"
    else:
        start, end = f"DTSTART:{_utc(event.starts_at)}", f"DTEND:{_utc(event.ends_at)}"
    # A UID is TEXT that must stay on one line: its line breaks dropped, then escaped.
    lines = [f"UID:{text(plain(event.uid))}", f"DTSTAMP:{_utc(event.updated_at or now)}",
             start, end, f"SEQUENCE:{int(event.sequence)}", f"STATUS:{plain(event.status)}",
             f"SUMMARY:{text(event.summary)}"]
    if event.description:
        lines.append(f"DESCRIPTION:{text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{text(event.location)}")
    if event.url:
        lines.append(f"URL:{plain(event.url)}")
    return "BEGIN:VEVENT\r\n" + "".join(map(fold, lines)) + "END:VEVENT\r\n"


def calendar(events: Iterable[CalendarEvent], *, name: str,
             product: str = "-//Kohtaamo//Kohtaamo//FI", method: str = "PUBLISH") -> str:
    """`method` CANCEL (RFC 5546) makes a calendar remove the entries with these UIDs; feeds
    PUBLISH theirs."""
    now = datetime.now(UTC)
    head = [f"PRODID:{text(plain(product))}", "VERSION:2.0", "CALSCALE:GREGORIAN",
            f"METHOD:{plain(method)}", f"X-WR-CALNAME:{text(name)}"]
    return ("BEGIN:VCALENDAR\r\n" + "".join(map(fold, head))
            + "".join(_entry(event, now) for event in events) + "END:VCALENDAR\r\n")
