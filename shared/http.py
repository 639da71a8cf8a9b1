"""The HTTP edge's one mapping of domain errors to status codes and bodies."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
)

log = logging.getLogger(__name__)

#: Most specific first: a subclass of Conflict defined by a service answers 409 too.
STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (Invalid, 422),
    (NotFound, 404),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (Conflict, 409),
    (TooManyRequests, 429),
    (Unavailable, 503),
    (DomainError, 400),
)


def status_of(exc: DomainError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def error_body(exc: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": exc.message, **exc.details}
    if isinstance(exc, Invalid):
        # Same shape as FastAPI's validation errors, so clients read one format.
        body["detail"] = [
            {"loc": ["body", exc.field] if exc.field else ["body"], "msg": exc.message,
             "type": "value_error"}
        ]
    return body


def printable(value: Any) -> Any:
    """`value` with every string made encodable: a refused request may hold lone surrogates
    or bytes that are not UTF-8, and echoing them must not turn a 422 into a 500."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer, but with the refused input made printable.
        errors = printable(jsonable_encoder(
            exc.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")}))
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(DomainError)
    async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = {}
        if isinstance(exc, Unavailable | TooManyRequests):
            headers["Retry-After"] = str(exc.retry_after)
        elif isinstance(exc, Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(error_body(exc), status_code=status_of(exc), headers=headers)

    @app.exception_handler(asyncpg.DataError)
    async def _data_error(_: Request, exc: asyncpg.DataError) -> JSONResponse:
        # The last line of defence: request schemas bound every value, so a value the
        # database refuses is a missing bound, logged to be fixed, and the client's 422.
        log.warning("a value passed the request schema but not the database: %s", exc)
        return JSONResponse(
            {"detail": [{"loc": ["body"], "msg": "a value is out of the range this field takes",
                         "type": "value_error"}]}, status_code=422)
