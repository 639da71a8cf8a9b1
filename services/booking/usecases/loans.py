"""Loans of lendable resources, planned like bookings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from services.booking import domain
from services.booking.domain import (
    Resource,
)
from services.booking.store import BorrowedLoan, Borrower

__all__ = ["BorrowedLoan", "Borrower", "LoanCommand", "borrower_refusals", "cancel_loan",
           "desk_loans", "lend", "order_refusals", "return_loan"]
from services.booking.usecases.common import (
    Uow,
    authorised,
    require,
    require_desk,
    run,
)
from shared.bounds import readable
from shared.clock import Clock
from shared.email_address import email_address
from shared.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Refusals,
    Unauthenticated,
    checked,
)
from shared.identity import Principal


@dataclass(frozen=True)
class LoanCommand:
    resource_id: UUID
    quantity: int
    starts_at: datetime
    ends_at: datetime
    booking_id: UUID | None = None
    #: Whom it is lent to; needed without a booking (whose contact borrows otherwise).
    borrower: Borrower | None = None


def order_refusals(starts_at: datetime, ends_at: datetime) -> list[Invalid]:
    """A loan due back before it starts, said of a loan (not as the booking rule's "the
    booking must end after it starts", which `domain.check_loan` would say)."""
    if starts_at.tzinfo and ends_at.tzinfo and ends_at <= starts_at:
        return [Invalid("a loan must be due back after it starts", field="ends_at",
                        code="loan_ends_before_start")]
    return []


def _borrower_needed() -> Invalid:
    return Invalid("a loan without a booking needs its borrower's name",
                   field="borrower.name", code="loan_borrower_needed")


def borrower_refusals(borrower: Borrower | None, *, needed: bool
                      ) -> tuple[Borrower | None, list[Invalid]]:
    """The borrower as kept (trimmed; empty phone or email: none), or every refusal of it
    by its field (`borrower.name`, `.phone`, `.email`); none given when one is `needed`
    (a loan without a booking: someone the desk can chase when it is overdue)."""
    if borrower is None or (not borrower.name.strip() and not (borrower.phone or
                                                                borrower.email)):
        return None, [_borrower_needed()] if needed else []
    refusals: list[Invalid] = []
    name = checked(refusals, lambda: domain.check_person_name(borrower.name,
                                                              "borrower.name"), "")
    if refusals and not readable(borrower.name):
        # A phone or email but no name: the name is needed, as with nothing given at all.
        refusals = [_borrower_needed()]
    elif refusals and refusals[0].details.get("code") != "text_chars":
        # Said of a borrower, not of a booking's organiser; a control character (a NUL)
        # as the character it is.
        refusals = [Invalid("the borrower's name is needed", field="borrower.name",
                            code="loan_borrower_name", high=domain.NAME_MAX)]
    phone = checked(refusals, lambda: domain.check_phone(
        borrower.phone, "borrower.phone", code="loan_borrower_phone"), None)
    email = (borrower.email or "").strip() or None
    if email is not None:
        email = email_address(email)
        if email is None:
            refusals.append(Invalid("not an email address", field="borrower.email",
                                    code="loan_borrower_email"))
    return Borrower(name, phone, email), refusals


async def lend(uow: Uow, clock: Clock, principal: Principal, cmd: LoanCommand
               ) -> BorrowedLoan:
    """Lend a quantity of a resource for a time; never more out at once than exist. A loan is
    planned like a booking (not in the past, within the horizon, at most a month); an
    organiser borrows for their own booking, within its time; the venue's desk staff lend for
    any booking of the venue or without one. Without a booking it names its borrower (a
    name, and a phone or email to reach them); with one, the booking's contact borrows
    unless someone else is named."""
    require(principal, "organiser", "desk")
    refusals = order_refusals(cmd.starts_at, cmd.ends_at)
    if cmd.quantity < 1:
        refusals.append(Invalid("lend at least one", field="quantity", code="loan_quantity"))
    # Whether one is needed is known once the lender may lend without a booking at all.
    borrower, said = borrower_refusals(cmd.borrower, needed=False)
    if refusals + said:
        raise Refusals(refusals + said)

    async def work(uow: Uow) -> BorrowedLoan:
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
        elif borrower is None:
            raise _borrower_needed()
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
        loan = BorrowedLoan(
            id=uuid4(), resource_id=cmd.resource_id, venue_id=resource.venue_id,
            organiser_id=organiser_id, booking_id=cmd.booking_id, quantity=cmd.quantity,
            starts_at=cmd.starts_at, ends_at=cmd.ends_at, status="active",
            organiser_subject=subject, borrower=borrower)
        await store.insert_loan(loan, clock.now())
        if booking is not None:  # as it is read back: the booking's contact unless named
            contact = booking.contact
            return replace(loan, booking_title=booking.title, borrower=borrower or (
                Borrower(contact.name, contact.phone, contact.email) if contact else None))
        return loan

    return await run(uow, work)


async def _loan_change(uow: Uow, clock: Clock, principal: Principal, loan_id: UUID,
                       target: Literal["cancelled", "returned"]) -> BorrowedLoan:
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
    await uow.store.settle_loan(loan_id, target, clock.now())
    return replace(loan, status=target)


async def desk_loans(uow: Uow, principal: Principal, venue_id: UUID
                     ) -> tuple[list[Resource], list[BorrowedLoan]]:
    """The venue's lendable resources and its loans out (due back soonest first) with whom
    each is out to, for its desk staff."""
    require_desk(principal, venue_id)

    async def work(uow: Uow) -> tuple[list[Resource], list[BorrowedLoan]]:
        return (await uow.store.venue_resources(venue_id),
                await uow.store.venue_loans(venue_id))

    return await run(uow, work)


async def cancel_loan(uow: Uow, clock: Clock, principal: Principal, loan_id: UUID
                      ) -> BorrowedLoan:
    """The borrower or the desk cancels a loan not yet returned: its units are free again."""
    return await run(uow, lambda uow: _loan_change(uow, clock, principal, loan_id,
                                                   "cancelled"))


async def return_loan(uow: Uow, clock: Clock, principal: Principal, loan_id: UUID
                      ) -> BorrowedLoan:
    """The desk records that a loan came back, and when: its units are free again, and its
    borrower is kept for the retention period from then."""
    return await run(uow, lambda uow: _loan_change(uow, clock, principal, loan_id,
                                                   "returned"))
