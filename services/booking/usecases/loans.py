"""Loans of lendable resources, planned like bookings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from services.booking import domain
from services.booking.domain import (
    Loan,
    Resource,
)
from services.booking.usecases.common import (
    Uow,
    authorised,
    require,
    require_desk,
    run,
)
from shared.clock import Clock
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from shared.identity import Principal


@dataclass(frozen=True)
class LoanCommand:
    resource_id: UUID
    quantity: int
    starts_at: datetime
    ends_at: datetime
    booking_id: UUID | None = None


async def lend(uow: Uow, clock: Clock, principal: Principal, cmd: LoanCommand) -> Loan:
    """Lend a quantity of a resource for a time; never more out at once than exist. A loan is
    planned like a booking (not in the past, within the horizon, at most a month); an
    organiser borrows for their own booking, within its time; the venue's desk staff lend for
    any booking of the venue or without one."""
    require(principal, "organiser", "desk")
    if cmd.quantity < 1:
        raise Invalid("lend at least one", field="quantity", code="loan_quantity")
    if cmd.starts_at.tzinfo and cmd.ends_at.tzinfo and cmd.ends_at <= cmd.starts_at:
        # Said of a loan, not as the booking rule's "the booking must end after it starts".
        raise Invalid("a loan must be due back after it starts", field="ends_at",
                      code="loan_ends_before_start")

    async def work(uow: Uow) -> Loan:
        store = uow.store
        # The row lock makes concurrent loans of one resource take turns at this check.
        resource = await store.get_resource(cmd.resource_id, for_update=True)
        if resource is None:
            raise NotFound("no such resource", code="no_resource",
                           resource_id=str(cmd.resource_id))
        booking = None
        if cmd.booking_id is not None:
            booking, _ = await authorised(store, principal, cmd.booking_id)
            if booking.venue_id != resource.venue_id:
                raise Invalid("the resource is lent at the booking's own venue",
                              field="resource_id", code="loan_other_venue")
        elif not principal.is_desk_for(resource.venue_id):
            raise Forbidden("a loan goes with your own booking (booking_id); the venue's desk"
                            " staff lend without one", code="loan_booking_needed")
        domain.check_loan(cmd.starts_at, cmd.ends_at, clock.now(), booking)
        peak = await store.peak_out(cmd.resource_id, cmd.starts_at, cmd.ends_at)
        if peak + cmd.quantity > resource.quantity:
            raise Conflict(f"only {resource.quantity - peak} of {resource.quantity} are free"
                           " for that whole time", available=resource.quantity - peak,
                           code="loan_short")
        if booking is not None:  # the booking's organiser borrows, whoever records it
            organiser_id, subject = booking.organiser_id, booking.organiser_subject
        else:
            if principal.subject is None:
                raise Unauthenticated("sign in first", code="sign_in")
            organiser_id = (await store.ensure_organiser(
                subject=principal.subject, name=principal.name or principal.subject,
                email=None, phone=None, at=clock.now())).id
            subject = principal.subject
        loan = Loan(id=uuid4(), resource_id=cmd.resource_id, venue_id=resource.venue_id,
                    organiser_id=organiser_id, booking_id=cmd.booking_id,
                    quantity=cmd.quantity, starts_at=cmd.starts_at, ends_at=cmd.ends_at,
                    status="active", organiser_subject=subject)
        await store.insert_loan(loan, clock.now())
        return loan

    return await run(uow, work)


async def _loan_change(uow: Uow, principal: Principal, loan_id: UUID,
                       target: Literal["cancelled", "returned"]) -> Loan:
    loan = await uow.store.get_loan(loan_id, for_update=True)
    if loan is None:
        raise NotFound("no such loan", code="no_loan", loan_id=str(loan_id))
    if principal.is_public:
        raise Unauthenticated("sign in first", code="sign_in")
    by_desk = principal.is_desk_for(loan.venue_id)
    if not by_desk and (loan.organiser_subject is None
                        or loan.organiser_subject != principal.subject):
        raise Forbidden("this loan is not yours", code="loan_not_yours")
    if target == "returned" and not by_desk:
        raise Forbidden("the desk takes returned things back", code="loan_desk_returns")
    if loan.status != "active":
        # loan_returned or loan_cancelled: said as such in each language.
        raise Conflict(f"the loan is {loan.status} already", code=f"loan_{loan.status}",
                       status=loan.status)
    await uow.store.set_loan_status(loan_id, target)
    return replace(loan, status=target)


async def desk_loans(uow: Uow, principal: Principal, venue_id: UUID
                     ) -> tuple[list[Resource], list[Loan]]:
    """The venue's lendable resources and its loans out (due back soonest first), for its
    desk staff."""
    require_desk(principal, venue_id)

    async def work(uow: Uow) -> tuple[list[Resource], list[Loan]]:
        return (await uow.store.venue_resources(venue_id),
                await uow.store.venue_loans(venue_id))

    return await run(uow, work)


async def cancel_loan(uow: Uow, principal: Principal, loan_id: UUID) -> Loan:
    """The borrower or the desk cancels a loan not yet returned: its units are free again."""
    return await run(uow, lambda uow: _loan_change(uow, principal, loan_id, "cancelled"))


async def return_loan(uow: Uow, principal: Principal, loan_id: UUID) -> Loan:
    """The desk records that a loan came back: its units are free again."""
    return await run(uow, lambda uow: _loan_change(uow, principal, loan_id, "returned"))
