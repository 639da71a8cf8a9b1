"""Opening hours, exceptions, free time and the first available time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from services.booking import domain, usecases
from services.booking.deps import Uow
from services.booking.schemas import (
    Area,
    ExceptionIn,
    ExceptionOut,
    HolidayClosingOut,
    HoursIn,
    HoursOut,
    IntervalOut,
    OutsideHoursOut,
)
from shared.auth import SignedIn
from shared.bounds import Day, Moment
from shared.contracts import VenueKind
from shared.service import CurrentClock

router = APIRouter(tags=["opening hours"])


@router.put("/venues/{venue_id}/hours")
async def set_weekly_hours(venue_id: UUID, body: HoursIn, uow: Uow, clock: CurrentClock,
                           principal: SignedIn) -> HoursOut:
    """The venue's (or, with `space_id`, the space's own) weekly hours, in place of those it
    had. `outside_hours`: the coming requested and confirmed bookings these hours leave
    outside opening hours; none is cancelled, the desk moves or cancels each."""
    saved = await usecases.set_weekly_hours(uow, clock, principal, venue_id, body.space_id,
                                            [h.to_hours() for h in body.weekly])
    return HoursOut(space_id=body.space_id, weekly=body.weekly,
                    outside_hours=[OutsideHoursOut.of(b) for b in saved.outside])


@router.post("/venues/{venue_id}/exceptions", status_code=status.HTTP_201_CREATED)
async def add_exception(venue_id: UUID, body: ExceptionIn, uow: Uow, clock: CurrentClock,
                        principal: SignedIn) -> ExceptionOut:
    """A day's own hours, or closed all day (the venue's desk). A day has one exception:
    this one replaces any the day had (of the venue, or of the space named), and other
    services hear the venue's exceptions as they now are (`venue.updated`). The answer is
    the exception as stored (a kind not given is staffed), with `outside_hours`: the day's
    requested and confirmed bookings it leaves outside opening hours (none is cancelled,
    the desk moves or cancels each)."""
    saved = await usecases.add_exception(uow, clock, principal, venue_id, body.space_id,
                                         body.to_exception(),
                                         body.reason.model_dump() if body.reason else None)
    return ExceptionOut.of(body.space_id, saved.exception, saved.outside)


@router.post("/venues/{venue_id}/exceptions/public-holidays",
             responses={422: {"description": "a year other than this one or the next"}})
async def close_on_public_holidays(venue_id: UUID, uow: Uow, clock: CurrentClock,
                                   principal: SignedIn,
                                   year: int = Query(ge=2000, le=2100)) -> HolidayClosingOut:
    """The venue closed all day on each coming day of `year` (this year or the next) that
    Finnish libraries close (the public holidays, Midsummer Eve and Christmas Eve; the
    venue's desk), the holiday's name as the reason. A day that already has an exception
    keeps it (`kept`): the desk's own word about a day wins, and running it again adds
    nothing. One `venue.updated` for the whole change."""
    return HolidayClosingOut.of(await usecases.close_on_public_holidays(
        uow, clock, principal, venue_id, year))


@router.delete("/venues/{venue_id}/exceptions/{day}",
               status_code=status.HTTP_204_NO_CONTENT,
               responses={404: {"description": "no such venue, or the day has no exception"}})
async def remove_exception(venue_id: UUID, day: Day, uow: Uow, clock: CurrentClock,
                           principal: SignedIn, space_id: UUID | None = None) -> None:
    """The day's exception removed (the venue's desk), so its weekly hours apply again; with
    `space_id`, that space's own exception of the day. Announced as `venue.updated`."""
    await usecases.remove_exception(uow, clock, principal, venue_id, space_id, day)


@router.get("/venues/{venue_id}/hours")
async def week_hours(venue_id: UUID, uow: Uow, clock: CurrentClock, week: Day | None = None,
                     space_id: UUID | None = None) -> list[IntervalOut]:
    """Open intervals for the week (Monday to Sunday) containing `week` (default: this week)."""
    intervals = await usecases.week_hours(uow, clock, venue_id, space_id, week)
    return [IntervalOut(starts_at=i.start, ends_at=i.end, kind=i.kind) for i in intervals]


@router.get("/venues/{venue_id}/open")
async def is_open(venue_id: UUID, uow: Uow, clock: CurrentClock, at: Moment | None = None,
                  space_id: UUID | None = None) -> dict[str, Any]:
    moment, kind = await usecases.open_at(uow, clock, venue_id, space_id, at)
    return {"at": domain.utc_text(moment), "open": kind is not None, "kind": kind}


@router.get("/spaces/{space_id}/free-slots")
async def free_slots(space_id: UUID, uow: Uow, clock: CurrentClock, day: Day | None = None,
                     days: int = Query(1, ge=1, le=usecases.MAX_SLOT_DAYS)
                     ) -> list[IntervalOut]:
    """Free time of a space from `day` (default today) for `days` days, who booked never shown."""
    slots = await usecases.free_slots(uow, clock, space_id, day, days)
    return [IntervalOut(starts_at=s, ends_at=e, kind="free") for s, e in slots]


@router.get("/first-available")
async def first_available(
    uow: Uow,
    clock: CurrentClock,
    minutes: int = Query(60, ge=15, le=24 * 60),
    space_id: UUID | None = None,
    area: Area | None = None,
    kind: VenueKind | None = None,
    min_capacity: int | None = Query(None, ge=1, le=10000),
    after: Moment | None = None,
    within_days: int = Query(30, ge=1, le=usecases.MAX_FIRST_AVAILABLE_DAYS),
) -> list[dict[str, Any]]:
    """The earliest free time of `minutes` for one space, or for every space of a kind of venue
    in an area with room for `min_capacity` (earliest first, at most 10). A time offered
    starts on a quarter hour, at `after` (or now) or later."""
    found = await usecases.first_available(
        uow, clock, minutes=minutes, space_id=space_id, area=area, kind=kind,
        min_capacity=min_capacity, after=after, within_days=within_days)
    return [{"space_id": str(f.space_id), "venue_id": str(f.venue_id),
             "starts_at": domain.utc_text(f.starts_at),
             "ends_at": domain.utc_text(f.ends_at)} for f in found]
