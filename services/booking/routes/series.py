"""Weekly series of bookings: requested, confirmed and cancelled as one."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query, Request, status

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.schemas import BookingOut, SeriesCancelIn, SeriesIn, SeriesOut
from shared.auth import SignedIn
from shared.bounds import Day
from shared.http import error_body
from shared.service import CurrentClock

router = APIRouter(tags=["bookings"])


@router.post("/series", status_code=status.HTTP_201_CREATED)
async def request_series(body: SeriesIn, request: Request, uow: Uow, clock: CurrentClock,
                         principal: SignedIn) -> SeriesOut:
    """A weekly series as one request: occurrences that clash are skipped (reported) or, with
    `on_conflict=reject`, the whole series is refused (409) with the clashes listed in
    `conflicts`. Each occurrence left out has its rule's `code`, its English `reason` and a
    `message` in the reader's language."""
    result = await usecases.request_series(uow, clock, principal, body.series())
    return SeriesOut(series_id=result.series_id,
                     created=[BookingOut.of(b) for b in result.created],
                     skipped=[{**entry, "message": error_body(why, request)["message"]}
                              for entry, why in zip(result.skipped, result.why_skipped,
                                                    strict=True)])


@router.post("/series/{series_id}/confirm")
async def confirm_series(series_id: UUID, uow: Uow, clock: CurrentClock,
                         principal: SignedIn) -> list[BookingOut]:
    """One confirmation for every requested occurrence of the series, all or none."""
    return [BookingOut.of(b)
            for b in await usecases.confirm_series(uow, clock, principal, series_id)]


@router.post("/series/{series_id}/cancel")
async def cancel_series(series_id: UUID, body: SeriesCancelIn, uow: Uow, clock: CurrentClock,
                        principal: SignedIn,
                        from_day: Day | None = Query(None, alias="from")) -> list[BookingOut]:
    """Cancel the occurrences from `from` on (default: all that have not started). With
    `version`, exactly the times it stands for: if the series changed since, nothing is
    cancelled and the 409 `series_changed` gives the times as they are now (`booking_ids`)
    and their `version`, to confirm again."""
    return [BookingOut.of(b) for b in await usecases.cancel_series(
        uow, clock, principal, series_id, body.reason or None, from_day, seen=body.version)]
