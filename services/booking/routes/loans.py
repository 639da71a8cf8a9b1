"""Loans of lendable resources: made, cancelled and returned."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.schemas import LoanIn, LoanOut
from shared.auth import SignedIn
from shared.service import CurrentClock

router = APIRouter(tags=["loans"])


@router.post("/loans", status_code=status.HTTP_201_CREATED)
async def lend(body: LoanIn, uow: Uow, clock: CurrentClock,
               principal: SignedIn) -> LoanOut:
    """Lend a quantity of a resource for a time; never more out at once than exist."""
    return LoanOut.of(await usecases.lend(uow, clock, principal, body.command()))


@router.post("/loans/{loan_id}/cancel")
async def cancel_loan(loan_id: UUID, uow: Uow, clock: CurrentClock,
                      principal: SignedIn) -> LoanOut:
    return LoanOut.of(await usecases.cancel_loan(uow, clock, principal, loan_id))


@router.post("/loans/{loan_id}/return")
async def return_loan(loan_id: UUID, uow: Uow, clock: CurrentClock,
                      principal: SignedIn) -> LoanOut:
    return LoanOut.of(await usecases.return_loan(uow, clock, principal, loan_id))
