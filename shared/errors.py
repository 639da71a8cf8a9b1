"""Domain errors, the same in every service; pure, so domain rules and use cases raise them
without knowing about HTTP. `shared.http` maps each class to a status code at the edge."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Self, TypeVar


def expected(choices: Iterable[str]) -> str:
    """The choices a rule takes as pydantic's `literal_error` lists them ("'a', 'b'"): the
    `expected` of a rule of that kind, said in the schema's words (`shared.pages`)."""
    return ", ".join(f"'{choice}'" for choice in choices)


class DomainError(Exception):
    """A request that breaks a rule; `message` is for the person, `details` for clients."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        #: Per list in `details` whose entries are each a rule's refusal (a series' clashing
        #: times), those refusals in its order: the edge says each in the reader's language.
        self.listed: dict[str, Sequence[DomainError]] = {}

    def listing(self, key: str, refusals: Sequence[DomainError]) -> Self:
        """This refusal with each entry of `details[key]` said as `refusals` says it."""
        if len(refusals) != len(self.details.get(key, ())):
            raise ValueError(f"one refusal for each entry of {key!r}")
        self.listed[key] = refusals
        return self


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


class Refusals(Invalid):
    """Every rule a request breaks, refused as one (422), so a person fixes them all at once
    rather than learning the next one after each try. Said first as its first refusal is
    said alone (its message, field, code and details: whoever reads one refusal reads what
    it read before); `refusals` in its details lists each one (`field`, `code`, `msg` and
    its own details), and `each` keeps them for a page to say each by its field in its
    reader's language. Refusals within refusals are flattened."""

    def __init__(self, refusals: Iterable[Invalid]) -> None:
        each = tuple(flattened(refusals))
        if not each:
            raise ValueError("a refusal needs at least one broken rule")
        first = each[0]
        super().__init__(first.message, first.field, **first.details,
                         refusals=[{"field": e.field, "msg": e.message, **e.details}
                                   for e in each])
        self.each = each


def flattened(refusals: Iterable[Invalid]) -> list[Invalid]:
    """Each refusal on its own: a `Refusals` among them stands for every one it holds."""
    found: list[Invalid] = []
    for refusal in refusals:
        found.extend(refusal.each if isinstance(refusal, Refusals) else (refusal,))
    return found


def refuse(refusals: Iterable[Invalid]) -> None:
    """Raise every refusal given together (`Refusals`); none: nothing to refuse."""
    found = flattened(refusals)
    if found:
        raise Refusals(found)


T = TypeVar("T")


def checked(refusals: list[Invalid], check: Callable[[], T], otherwise: T) -> T:
    """`check()`'s value; or, refused, `otherwise` with the refusal kept in `refusals`, so
    a form's other fields are checked too and every refusal is said at once."""
    try:
        return check()
    except Invalid as exc:
        refusals.append(exc)
        return otherwise
