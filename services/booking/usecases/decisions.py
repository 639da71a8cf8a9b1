"""Decisions on a booking: confirm, reject, cancel, check in."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from services.booking import domain
from services.booking.domain import (
    Booking,
)
from services.booking.usecases.bookings import door_code_for
from services.booking.usecases.common import (
    Uow,
    authorised,
    confirmed_event,
    facts,
    local_day,
    run,
    space_or_404,
    who,
)
from shared.clock import Clock
from shared.contracts import (
    BookingCancelled,
    BookingNoShow,
    BookingRejected,
    DomainEvent,
)
from shared.errors import Forbidden, Invalid
from shared.identity import Principal

Decision = Literal["confirmed", "rejected", "cancelled", "no_show"]


async def decide(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                 target: Decision, reason: str | None) -> Booking:
    """One decision inside the caller's transaction."""
    store = uow.store
    booking, by_desk = await authorised(store, principal, booking_id, for_update=True)
    if target in ("confirmed", "rejected", "no_show") and not by_desk:
        raise Forbidden("only the venue's desk staff decide on bookings", code="desk_only")
    if target == "confirmed":
        domain.check_confirmable(booking)
        # The hours as they are now: a day the desk closed since the request came is not
        # confirmed on it, as no booking is made or moved onto it; and what follows from
        # their kind follows it, as a move derives it (`door_code_for`): a day turned
        # self-service gets a door code, one turned staffed loses it. (The price is of the
        # time and the space's price per hour, whatever the kind of hours: it stays.)
        space = await space_or_404(store, booking.space_id)
        weekly, exceptions = await store.opening_rules(booking.venue_id, booking.space_id,
                                                       local_day(booking.starts_at),
                                                       local_day(booking.ends_at))
        kind = domain.hours_kind_now(booking.starts_at, booking.ends_at, weekly, exceptions,
                                     space.rules)
        code = door_code_for(kind, booking.access_code)
        if (kind, code) != (booking.hours_kind, booking.access_code):
            await store.set_hours_kind(booking_id, kind, code, at=clock.now())
    else:
        domain.check_transition(booking.status, target)
    # Letting go of a hold is no cancellation of a booking (never announced, nothing
    # agreed yet): always allowed, as when a hold becomes a series' first time.
    if target == "cancelled" and booking.status != "held":
        space = await space_or_404(store, booking.space_id)
        domain.check_cancellation(by_desk=by_desk, starts_at=booking.starts_at,
                                  now=clock.now(), rules=space.rules)
        if by_desk and not reason:
            raise Invalid("desk staff give a reason when they cancel or stop a booking",
                          field="reason", code="reason")
    actor = "desk" if by_desk else "organiser"
    await store.set_status(booking_id, target, actor=who(principal, actor), reason=reason,
                           at=clock.now(), release=target != "confirmed")
    # The event tells the booking as it is now: its revision counts this decision.
    updated = await store.get_booking(booking_id)
    assert updated is not None
    event: DomainEvent | None = None
    if target == "confirmed":
        event = confirmed_event(updated, (await space_or_404(store, booking.space_id)).rules,
                                clock.now())
    elif target == "rejected":
        event = facts(BookingRejected, updated, reason=reason or "")
    elif target == "no_show":
        event = facts(BookingNoShow, updated)
    elif booking.status != "held":  # a hold was never announced
        event = facts(BookingCancelled, updated, reason=reason or "", cancelled_by=actor)
    if event is not None:
        await uow.publish(event)
    return updated


async def confirm_booking(uow: Uow, clock: Clock, principal: Principal,
                          booking_id: UUID) -> Booking:
    return await run(uow, lambda uow: decide(uow, clock, principal, booking_id, "confirmed",
                                               None))


async def reject_booking(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                         reason: str) -> Booking:
    said = domain.check_decision_reason(reason, required=True)
    return await run(uow, lambda uow: decide(uow, clock, principal, booking_id, "rejected",
                                               said))


async def cancel_booking(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                         reason: str | None) -> Booking:
    """The organiser before the space's cancellation deadline; desk staff any time, with a
    reason (this is also how the desk stops an event). A reason is one to read (blank is
    none) of at most `domain.DECISION_REASON_MAX` characters."""
    said = domain.check_decision_reason(reason, required=False)
    return await run(uow, lambda uow: decide(uow, clock, principal, booking_id, "cancelled",
                                               said))


async def check_in(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID) -> Booking:
    """Who arrived: the venue's desk or the booking's organiser, for a confirmed booking
    from an hour before its start until its end. The one rule of the API and the desk page."""

    async def work(uow: Uow) -> Booking:
        booking, _ = await authorised(uow.store, principal, booking_id, for_update=True)
        domain.check_check_in(booking, clock.now())
        await uow.store.set_checked_in(booking_id, clock.now())
        updated = await uow.store.get_booking(booking_id)
        assert updated is not None
        return updated

    return await run(uow, work)
