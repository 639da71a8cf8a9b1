"""A service's app as `shared.service.create_app` makes it, not started: its routes,
middlewares, refusals and documents, with no I/O. What a request would read from the
database is `no_database` instead: a refusal at the edge comes before it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from shared.service import create_app, get_pool
from shared.settings import ServiceSettings


def unstarted_app(service: str, no_database: Callable[[], Any] = lambda: None,
                  **settings: Any) -> FastAPI:
    """`service`'s app with `settings` (`KOHTAAMO_MAX_BODY_BYTES=…`), not started."""
    app = create_app(importlib.import_module(f"services.{service}.app").spec,
                     ServiceSettings(service=service, **settings))
    app.dependency_overrides[get_pool] = no_database
    if service == "booking":  # its unit of work takes the pool from the runtime directly
        from services.booking.deps import unit_of_work

        app.dependency_overrides[unit_of_work] = no_database
    return app


async def handle(pool: Any, handler: Any, event: Any) -> None:
    """`event` through a service's Kafka `handler` as the idempotent consumer calls it: in
    one transaction, with the envelope it came in."""
    async with pool.acquire() as conn, conn.transaction():
        await handler(conn, event, event.to_envelope())
