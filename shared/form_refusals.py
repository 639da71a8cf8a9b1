"""A page form's refusals said all at once, each next to the input it is about, with a
summary at the top linking to each input, and focus on the one input refused (several: on
the summary). One rule for every service's forms (booking's request and walk-in, the
events organiser's activity, the notifications sign-up and notice): each says a refusal in
its own words (`text_of`) and names its own inputs, their elements and their order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from shared.errors import DomainError, Invalid, flattened


def each_refusal(refusals: Iterable[DomainError]) -> list[DomainError]:
    """Every rule the refusals hold: those of a `Refusals` one by one, others as they are."""
    found: list[DomainError] = []
    for exc in refusals:
        found.extend(flattened([exc]) if isinstance(exc, Invalid) else [exc])
    return found


def field_of(exc: DomainError) -> str | None:
    """The field a refusal names (`Invalid.field`, else a `field` among its details)."""
    field = getattr(exc, "field", None) or exc.details.get("field")
    return str(field) if field else None


def mapped(inputs: Mapping[str, str]) -> Callable[[DomainError], str | None]:
    """A refusal's input by its field through `inputs` (the rule's field → the form's
    input); None for a field the form has no input for."""
    return lambda exc: inputs.get(field_of(exc) or "")


def by_input(refusals: Iterable[DomainError], text_of: Callable[[DomainError], str],
             input_of: Callable[[DomainError], str | None],
             order: Sequence[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Each refusal said next to the input it is about (`input_of`), several of one input
    one after the other (a start gone by and the closed hour it names), each text once, the
    inputs in the order the form shows them (`order`; others after; None: as refused); and
    those of no input of the form (the time's, say), each once, in the order given."""
    said: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for exc in each_refusal(refusals):
        text = text_of(exc)
        where = input_of(exc)
        if where is None:
            if text not in unplaced:
                unplaced.append(text)
        elif text not in said.setdefault(where, []):
            said[where].append(text)
    keys = list(said)
    if order is not None:
        place = {key: i for i, key in enumerate(order)}
        keys.sort(key=lambda k: place.get(k, len(place)))
    return {k: " ".join(said[k]) for k in keys}, unplaced


def summary_links(invalid: Mapping[str, str], unplaced: Sequence[str],
                  ids: Mapping[str, str], names: Mapping[str, str] | None = None
                  ) -> list[dict[str, Any]]:
    """The summary at the top of the form: each input's refusal linking to its element
    (`ids`: input → element id), named by its label where `names` gives one (two times
    refused alike say which is which), then those of no input, their text alone."""
    return ([{"href": f"#{ids[k]}",
              "text": f"{names[k]}: {text}" if names and names.get(k) else text}
             for k, text in invalid.items()]
            + [{"href": "", "text": text} for text in unplaced])


def focus_input(invalid: Mapping[str, str], unplaced: Sequence[str]) -> str:
    """The input that takes focus: the one refused when it is the only refusal; else none
    (""), and the summary takes it."""
    return next(iter(invalid)) if len(invalid) == 1 and not unplaced else ""
