"""A booking as a calendar entry (.ics): one definition for the calendar API routes and the
organiser's own pages (/my), so both give the same entry."""

from __future__ import annotations

from uuid import UUID

from services.booking.domain import shown_door_code
from services.booking.labels import DOOR_CODE, place
from services.booking.store import CalendarEntry
from shared.ical import CalendarEvent


def booking_uid(booking_id: UUID) -> str:
    """A booking's calendar UID, every booking calendar's (a space's, an organiser's, one
    booking's): the form the organisers' mails give theirs (notifications' rendering,
    `booking-<id>@kohtaamo`), so a mail's update or METHOD:CANCEL reaches the entry taken
    from a page, and taking both gives one entry, not two."""
    return f"booking-{booking_id}@kohtaamo"


def ics_event(e: CalendarEntry, lang: str) -> CalendarEvent:
    """The entry with the place in `lang` (venue, then space: `labels.place`); its SEQUENCE
    the booking's revision, as the mails' entries have it, so a calendar that took it before
    takes a moved time (RFC 5545: SEQUENCE grows when DTSTART changes)."""
    status_ = {"confirmed": "CONFIRMED", "requested": "TENTATIVE", "held": "TENTATIVE"}.get(
        e.status, "CANCELLED")
    return CalendarEvent(uid=booking_uid(e.id), starts_at=e.starts_at, ends_at=e.ends_at,
                         summary=e.title, status=status_, sequence=e.revision,
                         location=place(e.venue_name, e.space_name, lang),
                         description=f"{DOOR_CODE}: {code}"
                         if (code := shown_door_code(e.status, e.access_code)) else None,
                         updated_at=e.updated_at)
