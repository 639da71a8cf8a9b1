"""FastAPI helpers of the booking service's HTTP edge (routes and the desk page): a unit of
work on the runtime's pool for each request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.booking.store import BookingStore
from shared.uow import PgUnitOfWork, UnitOfWork


async def unit_of_work(request: Request) -> UnitOfWork[BookingStore]:
    # The pool straight from the runtime rather than through `shared.service.Pool`: FastAPI
    # solves each level of dependencies anew on every request, and this is on all of them.
    return PgUnitOfWork(request.app.state.runtime.pool, BookingStore)


Uow = Annotated[UnitOfWork[BookingStore], Depends(unit_of_work)]
