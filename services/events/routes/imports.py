"""Linked Events interoperability: the export of public events in its JSON, and the import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from services.events import linked_events, usecases
from services.events.schemas import EventQuery, LinkedEventsImport
from shared.auth import SignedIn
from shared.pages import public_base, public_link
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["linked events"])


@router.get("/linkedevents/v1/event/")
async def linked_events_export(request: Request, pool: Pool,
                               query: Annotated[EventQuery, Depends()],
                               page: Annotated[int, Query(ge=1, le=10_000)] = 1,
                               page_size: Annotated[int, Query(ge=1, le=100)] = 20,
                               ) -> dict[str, Any]:
    """Public events in Linked Events' JSON (API v1), paginated the way it is."""
    rows, total = await usecases.find_public_events(usecases.unit_of_work(pool), query.filters,
                                                    page_size, (page - 1) * page_size)
    base = public_base(request)  # links from the configuration, never the Host header
    url = public_link(request, request.url.remove_query_params("page"))
    joiner = "&" if "?" in url else "?"
    return {
        "meta": {"count": total,
                 "next": f"{url}{joiner}page={page + 1}" if page * page_size < total else None,
                 "previous": f"{url}{joiner}page={page - 1}" if page > 1 else None},
        "data": [linked_events.to_linked_event(r, base) for r in rows],
    }


@router.post("/linkedevents/v1/import")
async def linked_events_import(body: LinkedEventsImport, pool: Pool, clock: CurrentClock,
                               principal: SignedIn) -> dict[str, Any]:
    """Take events from a Linked Events feed, all or nothing: new ones are created and
    published, known ones (by their Linked Events id) updated, each checked by the rules of a
    created event and each change told to the other services as usual. When an event breaks
    a rule nothing is imported: the 422 lists, per event, what to fix (`failed`)."""
    result = await linked_events.import_feed(usecases.unit_of_work(pool), clock, principal,
                                             body.data)
    return {"created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "failed": []}
