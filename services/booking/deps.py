"""FastAPI helpers of the booking service's HTTP edge (routes and the desk page): a unit of
work on the runtime's pool for each request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.booking.store import BookingStore
from shared.service import Pool
from shared.uow import PgUnitOfWork, UnitOfWork


async def unit_of_work(pool: Pool) -> UnitOfWork[BookingStore]:
    return PgUnitOfWork(pool, BookingStore)


Uow = Annotated[UnitOfWork[BookingStore], Depends(unit_of_work)]
