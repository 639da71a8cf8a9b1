"""A small, strict iCalendar (RFC 5545) writer, used by every service that offers .ics.

Times are written in UTC (``...Z``), which needs no VTIMEZONE; text is escaped and lines are
folded at 75 octets as the RFC asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

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


#: Control characters RFC 5545 does not allow in a value (HTAB is allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break (CRLF, a lone
    LF or a lone CR) as ``\\n``, other control characters dropped, so no value can end its
    line and start a property of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))
    return _CONTROL.sub("", text)


def plain(value: str) -> str:
    """A URI or UID value, which has no escapes: control characters (CR, LF) dropped."""
    return _CONTROL.sub("", value.replace("\r", "").replace("\n", ""))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into 75-octet pieces, never splitting a UTF-8 character."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    pieces, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            pieces.append(current.decode())
            current, limit = b"", 74  # continuation lines start with a space
        current += encoded
    pieces.append(current.decode())
    return "\r\n ".join(pieces)


def calendar(events: Iterable[CalendarEvent], *, name: str,
             product: str = "-//Kohtaamo//Kohtaamo//FI", method: str = "PUBLISH") -> str:
    """`method` CANCEL (RFC 5546) makes a calendar remove the entries with these UIDs; feeds
    PUBLISH theirs."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{product}", "CALSCALE:GREGORIAN",
             f"METHOD:{method}", f"X-WR-CALNAME:{escape(name)}"]
    now = datetime.now(UTC)
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{plain(event.uid)}",
            f"DTSTAMP:{_utc(event.updated_at or now)}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.ends_at)}",
            f"SEQUENCE:{event.sequence}",
            f"STATUS:{event.status}",
            f"SUMMARY:{escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.url:
            lines.append(f"URL:{plain(event.url)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
