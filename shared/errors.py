"""Domain errors and how the HTTP APIs answer them, the same in every service."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    """A rule or a field is not met; `field` names it, as FastAPI's own 422s do."""

    status = 422

    def __init__(self, message: str, field: str | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.field = field


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
        body: dict[str, Any] = {"detail": exc.message, **exc.details}
        if isinstance(exc, Invalid):
            # Same shape as FastAPI's validation errors, so clients read one format.
            body["detail"] = [
                {"loc": ["body", exc.field] if exc.field else ["body"], "msg": exc.message,
                 "type": "value_error"}
            ]
        return JSONResponse(body, status_code=exc.status)
