"""FastAPI helpers of the booking service's HTTP edge (routes and the desk page): a unit of
work on the runtime's pool for each request, and the route class every router uses."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from services.booking.store import BookingStore
from shared.service import Pool
from shared.uow import PgUnitOfWork, UnitOfWork


async def unit_of_work(pool: Pool) -> UnitOfWork[BookingStore]:
    return PgUnitOfWork(pool, BookingStore)


Uow = Annotated[UnitOfWork[BookingStore], Depends(unit_of_work)]


class BoundedRoute(APIRoute):
    """A 422 that can always be written: FastAPI's own echoes the refused input, and a lone
    surrogate in it made writing the answer fail (a 500). Here the body is ASCII JSON, where
    such a character is an escape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
                return Response(body, status_code=422, media_type="application/json")

        return handle
