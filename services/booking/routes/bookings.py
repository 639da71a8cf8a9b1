"""Bookings: request, hold, submit, decide, cancel, check in; the organiser's and the desk's
lists."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query, status

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.schemas import (
    BookingIn,
    BookingOut,
    CancelIn,
    HoldIn,
    LinkSentOut,
    MoveIn,
    ReasonIn,
    RequestDetails,
    Status,
)
from shared.auth import SignedIn
from shared.bounds import Day
from shared.openapi import refusals
from shared.service import CurrentClock

router = APIRouter(tags=["bookings"])


@router.post("/bookings", status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "Taken: `conflicts` lists the slots in the way."}})
async def request_booking(body: BookingIn, uow: Uow, clock: CurrentClock,
                          principal: SignedIn,
                          walk_in: bool = Query(False)) -> BookingOut:
    """An organiser's request, or (`?walk_in=true`, desk staff) a walk-in booking confirmed at
    once with the organiser's details given in the body."""
    return BookingOut.of(await usecases.request_booking(uow, clock, principal, body.command(),
                                                        walk_in=walk_in))


@router.post("/bookings/holds", status_code=status.HTTP_201_CREATED)
async def hold_slot(body: HoldIn, uow: Uow, clock: CurrentClock,
                    principal: SignedIn) -> BookingOut:
    """Keep a slot for the organiser for the space's hold time while they fill in the request;
    the same rules as a request."""
    return BookingOut.of(await usecases.hold_slot(uow, clock, principal, body.command()),
                         with_organiser=False)


@router.post("/bookings/{booking_id}/submit")
async def submit_hold(booking_id: UUID, body: RequestDetails, uow: Uow, clock: CurrentClock,
                      principal: SignedIn) -> BookingOut:
    return BookingOut.of(await usecases.submit_hold(uow, clock, principal, booking_id,
                                                    body.details()))


@router.get("/bookings/mine")
async def my_bookings(uow: Uow, principal: SignedIn) -> list[BookingOut]:
    """The caller's own bookings, each as `GET /bookings/{id}` answers it: with the contact
    its organiser gave, theirs to see."""
    return [BookingOut.of(b) for b in await usecases.my_bookings(uow, principal)]


@router.get("/bookings/{booking_id}")
async def get_booking(booking_id: UUID, uow: Uow, principal: SignedIn) -> BookingOut:
    return BookingOut.of(await usecases.get_booking(uow, principal, booking_id))


@router.post("/bookings/{booking_id}/confirm")
async def confirm_booking(booking_id: UUID, uow: Uow, clock: CurrentClock,
                          principal: SignedIn) -> BookingOut:
    return BookingOut.of(await usecases.confirm_booking(uow, clock, principal, booking_id))


@router.post("/bookings/{booking_id}/reject")
async def reject_booking(booking_id: UUID, body: ReasonIn, uow: Uow, clock: CurrentClock,
                         principal: SignedIn) -> BookingOut:
    return BookingOut.of(await usecases.reject_booking(uow, clock, principal, booking_id,
                                                       body.reason))


@router.post("/bookings/{booking_id}/cancel")
async def cancel_booking(booking_id: UUID, body: CancelIn, uow: Uow, clock: CurrentClock,
                         principal: SignedIn) -> BookingOut:
    """The organiser before the space's cancellation deadline; desk staff any time, with a
    reason (this is also how the desk stops an event)."""
    return BookingOut.of(await usecases.cancel_booking(uow, clock, principal, booking_id,
                                                       body.reason or None))


@router.post("/bookings/{booking_id}/move",
             responses={409: {"description": "Taken (`conflicts`), not confirmed (`status`),"
                                             " or changed since the `revision` given"
                                             " (`booking_changed`, with its time now)"}})
async def move_booking(booking_id: UUID, body: MoveIn, uow: Uow, clock: CurrentClock,
                       principal: SignedIn) -> BookingOut:
    """The venue's desk moves a confirmed booking to another free time within the space's
    rules and opening hours; its activity event moves with it (`booking.moved`). With
    `revision` (the booking's as the client showed it), a booking changed since is refused
    with 409 `booking_changed` instead of the move overwriting that change."""
    return BookingOut.of(await usecases.move_booking(uow, clock, principal, booking_id,
                                                     body.starts_at, body.ends_at,
                                                     body.reason or None, body.revision))


@router.post("/bookings/{booking_id}/contact-link", status_code=status.HTTP_202_ACCEPTED,
             responses=refusals(409, 429))
async def send_link_again(booking_id: UUID, uow: Uow, clock: CurrentClock,
                          principal: SignedIn) -> LinkSentOut:
    """Send the booking's confirmation link again (its organiser's own booking, whose
    address waits on its one-time link: the mail was lost). A new link goes to the address in
    the booking's language and the one before stops working. Refused with 429
    `link_sent_recently` (`again_at`, `Retry-After`) within 10 minutes of the last link to the
    address or after 5 in a day, however asked for; 409 `not_awaiting_verification` when
    the booking waits on no link (proved, no address, not open, over)."""
    return LinkSentOut.of(await usecases.send_link_again(uow, clock, principal, booking_id))


@router.post("/bookings/{booking_id}/check-in")
async def check_in(booking_id: UUID, uow: Uow, clock: CurrentClock,
                   principal: SignedIn) -> BookingOut:
    return BookingOut.of(await usecases.check_in(uow, clock, principal, booking_id))


@router.get("/desk/bookings", tags=["desk"])
async def desk_bookings(uow: Uow, principal: SignedIn, venue_id: UUID | None = None,
                        status_: Status | None = Query(None, alias="status"),
                        day: Day | None = None,
                        days: int = Query(1, ge=1, le=usecases.MAX_DESK_DAYS)
                        ) -> list[BookingOut]:
    """Bookings of the caller's venues, with the organisers' contact details."""
    return [BookingOut.of(b) for b in await usecases.desk_bookings(
        uow, principal, venue_id=venue_id, status=status_, day=day, days=days)]
