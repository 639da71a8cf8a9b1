"""A booking as a calendar entry (.ics): one definition for the calendar API routes and the
organiser's own pages (/my), so both give the same entry."""

from __future__ import annotations

from services.booking.labels import DOOR_CODE
from services.booking.store import CalendarEntry
from shared.ical import CalendarEvent


def ics_event(e: CalendarEntry) -> CalendarEvent:
    status_ = {"confirmed": "CONFIRMED", "requested": "TENTATIVE", "held": "TENTATIVE"}.get(
        e.status, "CANCELLED")
    return CalendarEvent(uid=f"{e.id}@kohtaamo", starts_at=e.starts_at, ends_at=e.ends_at,
                         summary=e.title, status=status_,
                         location=f"{e.space_name['fi']}, {e.venue_name['fi']}",
                         description=f"{DOOR_CODE}: {e.access_code}" if e.access_code else None,
                         updated_at=e.updated_at)
