"""Domain errors, the same in every service; pure, so domain rules and use cases raise them
without knowing about HTTP. `shared.http` maps each class to a status code at the edge."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request that breaks a rule; `message` is for the person, `details` for clients."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class Unauthenticated(DomainError):
    pass


class Conflict(DomainError):
    pass


class TooManyRequests(DomainError):
    """Over a rate limit; `retry_after` seconds until the next try is taken."""

    def __init__(self, message: str, retry_after: int = 60, **details: Any) -> None:
        super().__init__(message, **details)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """Something this request needs (the database, a peer) is down for now: try again later."""

    def __init__(self, message: str, retry_after: int = 5, **details: Any) -> None:
        super().__init__(message, **details)
        self.retry_after = retry_after


class Invalid(DomainError):
    """A rule or a field is not met; `field` names it, as FastAPI's own 422s do."""

    def __init__(self, message: str, field: str | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.field = field
