"""iCalendar feeds: a space's bookings, an organiser's and one booking's."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from services.booking import usecases
from services.booking.calendar_entry import booking_uid
from services.booking.calendar_entry import ics_event as _ics_event
from services.booking.deps import Uow
from services.booking.labels import TAKEN
from shared.auth import CurrentPrincipal, SignedIn
from shared.http import reader_language
from shared.ical import MEDIA_TYPE, CalendarEvent, calendar

router = APIRouter(tags=["calendars"])
_ICS = {"response_class": Response, "responses": {200: {"content": {"text/calendar": {}}}}}


@router.get("/spaces/{space_id}/calendar.ics", **_ICS)  # type: ignore[arg-type]
async def space_calendar(space_id: UUID, uow: Uow, principal: CurrentPrincipal) -> Response:
    """The space's bookings; the public sees only that a time is taken, desk staff the titles."""
    found = await usecases.space_calendar(uow, principal, space_id)
    events = [CalendarEvent(
        uid=booking_uid(b.id), starts_at=b.starts_at, ends_at=b.ends_at,
        summary=b.title if found.desk else TAKEN, updated_at=b.updated_at,
        sequence=b.revision, status="CONFIRMED" if b.status == "confirmed" else "TENTATIVE")
        for b in found.bookings]
    return Response(calendar(events, name=found.space.name["fi"]), media_type=MEDIA_TYPE)


@router.get("/bookings/mine/calendar.ics", **_ICS)  # type: ignore[arg-type]
async def my_calendar(request: Request, uow: Uow, principal: SignedIn) -> Response:
    """The signed-in person's bookings, their places in the reader's language."""
    entries = await usecases.my_calendar(uow, principal)
    lang = reader_language(request)
    return Response(calendar([_ics_event(e, lang) for e in entries], name="Kohtaamo"),
                    media_type=MEDIA_TYPE)


@router.get("/bookings/{booking_id}/booking.ics", **_ICS)  # type: ignore[arg-type]
async def booking_calendar(booking_id: UUID, request: Request, uow: Uow,
                           principal: SignedIn) -> Response:
    """The confirmation's calendar entry, its place in the reader's language."""
    entry = await usecases.booking_calendar(uow, principal, booking_id)
    return Response(calendar([_ics_event(entry, reader_language(request))], name=entry.title),
                    media_type=MEDIA_TYPE)
