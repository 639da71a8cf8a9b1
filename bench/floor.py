"""The framework floor of booking create: a bare FastAPI endpoint in the same server as the
booking service runs (uvicorn with uvloop and httptools, one process, no access log), doing
the one raw INSERT the raw baseline does. What the booking service can at best reach over
HTTP with FastAPI: its own rules, claims and outbox are what it spends beyond this.

Run by `bench booking` as a process of its own: ``python -m bench.floor`` with
``DATABASE_URL`` and ``KOHTAAMO_HTTP_PORT`` set.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class FloorBooking(BaseModel):
    """The request's fields the service reads too, parsed the same way (pydantic v2)."""

    space_id: UUID
    starts_at: datetime
    ends_at: datetime
    title: str


def create_app(dsn: str) -> FastAPI:
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state["pool"] = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
        pool = state["pool"]
        state["venue"] = await pool.fetchval("SELECT id FROM venues LIMIT 1")
        state["organiser"] = await pool.fetchval(
            "INSERT INTO organisers (id, subject, name) VALUES ($1, 'bench-floor', 'Floor')"
            " ON CONFLICT (subject) DO UPDATE SET name = excluded.name RETURNING id", uuid4())
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/health/ready")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/bookings", status_code=201)
    async def book(body: FloorBooking, request: Request) -> JSONResponse:
        booking_id = uuid4()
        await state["pool"].execute(
            """INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during,
                                     status, cooperation, house_rules_accepted_at)
               VALUES ($1, $2, $3, $4, $5, tstzrange($6, $7), 'requested', true, now())""",
            booking_id, body.space_id, state["venue"], state["organiser"], body.title,
            body.starts_at, body.ends_at)
        return JSONResponse({"id": str(booking_id), "status": "requested"}, status_code=201)

    return app


def main() -> None:
    uvicorn.run(create_app(os.environ["DATABASE_URL"]), host="127.0.0.1",
                port=int(os.environ["KOHTAAMO_HTTP_PORT"]), log_config=None, access_log=False,
                lifespan="on", proxy_headers=False, server_header=False)


if __name__ == "__main__":
    main()
