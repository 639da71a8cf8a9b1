"""The same filters as `GET /events` as iCalendar, RSS and Atom feeds to subscribe to."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response

from services.events import feeds, usecases
from services.events.schemas import EventQuery, cached
from shared.auth import CurrentPrincipal
from shared.pages import public_base, public_link
from shared.service import Pool

router = APIRouter(tags=["activity events"])
Language = Literal["fi", "sv", "en"]


@router.get("/events.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
async def events_ical(request: Request, pool: Pool, principal: CurrentPrincipal,
                      query: Annotated[EventQuery, Depends()], lang: Language = "fi") -> Response:
    """iCalendar (RFC 5545) of the same filters, to subscribe to."""
    rows, venues = await usecases.calendar_feed(usecases.unit_of_work(pool), principal,
                                                query.filters, 1000)
    return cached(request, principal,
                  feeds.ical(rows, lang, public_base(request), venues).encode(),
                  feeds.ICAL_TYPE)


@router.get("/events.rss", response_class=Response,
            responses={200: {"content": {"application/rss+xml": {}}}})
async def events_rss(request: Request, pool: Pool, principal: CurrentPrincipal,
                     query: Annotated[EventQuery, Depends()], lang: Language = "fi") -> Response:
    rows, _ = await usecases.find_events(usecases.unit_of_work(pool), principal, query.filters,
                                         200, 0)
    return cached(request, principal,
                  feeds.rss(rows, lang, public_base(request), public_link(request)).encode(),
                  "application/rss+xml; charset=utf-8")


@router.get("/events.atom", response_class=Response,
            responses={200: {"content": {"application/atom+xml": {}}}})
async def events_atom(request: Request, pool: Pool, principal: CurrentPrincipal,
                      query: Annotated[EventQuery, Depends()], lang: Language = "fi") -> Response:
    rows, _ = await usecases.find_events(usecases.unit_of_work(pool), principal, query.filters,
                                         200, 0)
    return cached(request, principal,
                  feeds.atom(rows, lang, public_base(request), public_link(request)).encode(),
                  "application/atom+xml; charset=utf-8")


@router.get("/events/{event_id}/event.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
async def event_ical(event_id: UUID, request: Request, pool: Pool,
                     lang: Language = "fi") -> Response:
    """One public event to add to a calendar (the event page's "add to calendar")."""
    row, venue = await usecases.get_public_event(usecases.unit_of_work(pool), event_id)
    venues = {venue["venue_id"]: venue} if venue is not None else {}
    return Response(feeds.ical([row], lang, public_base(request), venues),
                    media_type=feeds.ICAL_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{event_id}.ics"'})
