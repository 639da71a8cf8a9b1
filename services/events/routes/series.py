"""Weekly series: created as drafts together, published together, changed one by one."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status

from services.events import usecases
from services.events.schemas import (
    ActivityEventOut,
    SeriesIn,
    SeriesOut,
    event_out,
    fields_of,
)
from shared.auth import SignedIn
from shared.http import reader_language
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["activity events"])


@router.post("/series", status_code=status.HTTP_201_CREATED)
async def create_series(body: SeriesIn, pool: Pool, clock: CurrentClock,
                        principal: SignedIn) -> SeriesOut:
    """A weekly group as one series of draft occurrences; each can later be changed,
    rescheduled or cancelled on its own."""
    series_id, rows = await usecases.create_series(
        usecases.unit_of_work(pool), clock, principal, fields_of(body, exclude={"repeat"}),
        usecases.Repeat(until=body.repeat.until, count=body.repeat.count))
    return SeriesOut(series_id=series_id, occurrences=[event_out(r) for r in rows])


@router.post("/series/{series_id}/publish")
async def publish_series(series_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                         principal: SignedIn) -> list[ActivityEventOut]:
    """Publish every draft occurrence of the series at once (all or none); occurrences that
    wait for approval are decided one by one, each decision emailed to the organiser in the
    request's language, as for one event."""
    rows = await usecases.publish_series(usecases.unit_of_work(pool), clock, principal,
                                         series_id, language=reader_language(request))
    return [event_out(r) for r in rows]
