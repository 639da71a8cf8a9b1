"""What every booking use case shares: the transaction runner with its retries, who may act,
the facts a booking event carries."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from services.booking.domain import (
    HELSINKI,
    Booking,
    Space,
    SpaceRules,
    cancellation_deadline,
)
from services.booking.store import BookingStore, TryAgain
from shared.clock import Clock
from shared.contracts import BookingConfirmed, HouseRules
from shared.errors import Forbidden, NotFound, Unauthenticated, Unavailable

# `require` is said once for every service; the use cases here import it with the rest.
from shared.identity import Principal
from shared.identity import require as require
from shared.uow import UnitOfWork

Uow = UnitOfWork[BookingStore]
T = TypeVar("T")

#: How often a transaction chosen as a deadlock's victim is run again before the caller is
#: told to try later.
ATTEMPTS = 6


async def run(uow: Uow, work: Callable[[Uow], Awaitable[T]]) -> T:
    """`work` in one transaction; run again from the start when the database picked it as a
    deadlock's or serialization failure's victim (concurrent requests for one time: the
    retry then sees the winner's claim and answers 409)."""
    for attempt in range(ATTEMPTS):
        try:
            async with uow:
                return await work(uow)
        except TryAgain:
            if attempt == ATTEMPTS - 1:
                break
            await asyncio.sleep(random.uniform(0, 0.005 * 2 ** attempt))
    raise Unavailable("the booking system is busy; please try again", retry_after=1,
                      code="busy")



def require_desk(principal: Principal, venue_id: UUID) -> None:
    require(principal, "desk")
    if not principal.is_desk_for(venue_id):
        raise Forbidden("desk staff act only on their own venues", code="not_your_venue",
                        venue_id=str(venue_id))


def who(principal: Principal, role: str) -> str:
    """History says who: the role and the person's id at the identity provider."""
    return f"{role}:{principal.subject}" if principal.subject else role


def local_day(moment: datetime) -> date:
    return moment.astimezone(HELSINKI).date()


def facts(cls: type[Any], b: Booking, **extra: Any) -> Any:
    """A booking event: its own facts and its own contact address, never another booking's."""
    return cls(
        booking_id=b.id, venue_id=b.venue_id, space_id=b.space_id, starts_at=b.starts_at,
        ends_at=b.ends_at, title=b.title, organiser_id=b.organiser_id,
        cooperation=b.cooperation, organiser_type=b.organiser_type, hours_kind=b.hours_kind,
        series_id=b.series_id, organiser_subject=b.organiser_subject,
        # Only an address known to reach the organiser travels (issue #13): an unverified one
        # is never mailed, whatever a booking event says about the booking.
        contact_email=b.contact.mail_to if b.contact else None,
        contact_language=b.contact.language if b.contact else "fi", revision=b.revision,
        # The title's language (`shared.contracts._BookingFacts.title_language`), for the
        # events service to name the booking's draft in it.
        title_language=b.title_language,
        **extra)


def door_code(b: Booking) -> str | None:
    """The door code travels only to a verified address, for a booking in self-service hours
    (the one other personal datum on the bus, erased by notifications once mailed)."""
    if b.hours_kind != "self_service" or not (b.contact and b.contact.mail_to):
        return None
    return b.access_code


def confirmed_event(b: Booking, rules: SpaceRules, now: datetime) -> BookingConfirmed:
    """`booking.confirmed` with what the organiser's confirmation tells them: the door code,
    the price and its reference number, the space's rules of cancelling and check-in, and
    whether they may still cancel it themselves as it is confirmed: only one who signs in on
    /my (a walk-in the desk made for someone without an account there has no page to cancel
    on), and only before the space's deadline (a walk-in at 11.19 for 11.30, or a request the
    desk confirms late, is past a 24-hour one), so the email offers no cancelling it cannot
    keep (tester #14)."""
    event: BookingConfirmed = facts(
        BookingConfirmed, b, access_code=door_code(b),
        price=b.price if b.price else None,
        invoice_reference=b.invoice_reference if b.price else None,
        house_rules=HouseRules(
            cancellation_hours=rules.cancellation_hours,
            checkin_minutes=rules.checkin_minutes if rules.checkin_required else None),
        self_cancel=b.organiser_subject is not None
        and now <= cancellation_deadline(b.starts_at, rules))
    return event


async def space_or_404(store: BookingStore, space_id: UUID) -> Space:
    space = await store.get_space(space_id)
    if space is None:
        raise NotFound("no such space", code="no_space", space_id=str(space_id))
    return space


async def authorised(store: BookingStore, principal: Principal, booking_id: UUID, *,
                     for_update: bool = False) -> tuple[Booking, bool]:
    """The booking and whether the caller acts as its venue's desk (else as its organiser)."""
    if principal.is_public:
        raise Unauthenticated("sign in first", code="sign_in")
    booking = await store.get_booking(booking_id, for_update=for_update)
    if booking is None:
        raise NotFound("no such booking", code="no_booking", booking_id=str(booking_id))
    return booking, acts_as_desk(principal, booking)


def acts_as_desk(principal: Principal, booking: Booking) -> bool:
    """Whether the caller acts on `booking` as its venue's desk (True) or as its organiser
    (False); anyone else is refused (403)."""
    if principal.is_desk_for(booking.venue_id):
        return True
    if booking.organiser_subject is None or booking.organiser_subject != principal.subject:
        raise Forbidden("this booking is not yours", code="not_yours")
    return False


async def announce_venue(uow: Uow, clock: Clock, venue_id: UUID, registered: bool) -> None:
    """Hours and details are part of what other services know of a venue."""
    if not registered:
        await uow.store.bump_venue_revision(venue_id, clock.now())
    await uow.publish(await uow.store.venue_event(venue_id, registered=registered,
                                                  today=local_day(clock.now())))
