"""A page form's refusals said all at once, each next to the input it is about, with a
summary at the top linking to each input, and focus on the one input refused (several: on
the summary). The organiser's request form (`organiser_pages`) and the desk's walk-in form
(`desk`) say them by the same rules; each names its own inputs, their elements and their
order on the form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from services.booking.labels import error_text
from shared.errors import Invalid, flattened


def by_input(refusals: Sequence[Invalid], lang: str, inputs: Mapping[str, str],
             order: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Each refusal (every one a `Refusals` holds) said next to the input it is about
    (`inputs`: the rule's field → the form's input), several of one input one after the
    other (a start gone by and the closed hour it names), in the order the form shows them
    (`order`); and those of no input of the form (the time's, say), each once, in the
    order given."""
    said: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for exc in flattened(refusals):
        field = inputs.get(exc.field or "")
        text = error_text(exc, lang)
        if field is None:
            if text not in unplaced:
                unplaced.append(text)
        elif text not in said.setdefault(field, []):
            said[field].append(text)
    return {k: " ".join(said[k]) for k in order if k in said}, unplaced


def summary_links(invalid: Mapping[str, str], unplaced: Sequence[str],
            ids: Mapping[str, str]) -> list[dict[str, Any]]:
    """The summary at the top of the form: each input's refusal linking to its element
    (`ids`: input → element id), then those of no input, their text alone."""
    return ([{"href": f"#{ids[k]}", "text": text} for k, text in invalid.items()]
            + [{"href": "", "text": text} for text in unplaced])


def focus_input(invalid: Mapping[str, str], unplaced: Sequence[str]) -> str:
    """The input that takes focus: the one refused when it is the only refusal; else none
    (""), and the summary takes it."""
    return next(iter(invalid)) if len(invalid) == 1 and not unplaced else ""
