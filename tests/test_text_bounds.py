"""Every text a route takes from its address, query, headers or form keeps the platform's
bound on text (`shared.bounds.check_text`: no NUL, no lone surrogate), however the route
writes its parameter. `text: Str = Form(...)` looked bounded and was not: FastAPI took the
`Form()` default's field in place of `Str`'s and dropped its validator, so a staff reply
with a NUL reached PostgreSQL, which refused it with a DataError (the last line of defence,
answered in JSON to a page's form). Written as `Annotated[Str, Form(...)]` or
`Str | None = Form(None)`, the bound holds; this test finds any text parameter without it.
Request bodies are pydantic models, whose fields `tests/test_boundaries.py` covers."""

from __future__ import annotations

from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from fastapi import FastAPI, Form
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from pydantic.functional_validators import AfterValidator

from shared.bounds import Str, check_text
from shared.methods import dependants
from tests.apps import unstarted_app
from tests.test_boundaries import SERVICES

pytestmark = pytest.mark.unit

#: Texts a route reads by hand on purpose, each checked where it is read.
READ_BY_HAND = {
    # The resident's feedback form gives a refused answer back as the form, filled in, with
    # what to fix by each field (`metrics.feedback._read_form`: a score 1–5, words of a short
    # list, a comment without NUL or what UTF-8 cannot carry), never a bare refusal page.
    ("metrics", "/feedback/{event_id}"): {"satisfaction", "wellbeing", "comment", "age_group"},
    # The booking desk's names and a day's reason (`services.booking.desk.Typed`): a NUL is
    # refused by the input's rule (`domain._printable`, `resource_refusals`), said by the
    # input with the form as typed, not the bare shared 422 page.
    ("booking", "/desk/hours/{venue_id}/exceptions"): {"reason"},
    ("booking", "/desk/loans/{venue_id}/resources"): {"name"},
    ("booking", "/desk/loans/{venue_id}/lend"): {"borrower_name"},
    # The guide's staff inbox (`services.guide.pages.StaffText`): an answer or an ending's
    # reason with a NUL is refused by the rules (`text_chars`, too long) on the inbox, by
    # its input, the text kept without the NUL (`_kept`), not the bare shared 422 page.
    ("guide", "/staff/conversations/{conversation_id}/reply"): {"text"},
    ("guide", "/staff/conversations/{conversation_id}/close"): {"reason"},
}


def _bounded(annotation: Any, metadata: list[Any]) -> bool | None:
    """True: a text with `check_text`; False: a text without; None: not a text."""
    if any(isinstance(m, AfterValidator) and m.func is check_text for m in metadata):
        return True
    # A pattern of its own says which characters it takes: no NUL gets through one that
    # names them (a token's, a code's).
    if any(getattr(m, "pattern", None) for m in metadata):
        return True
    if get_origin(annotation) is Annotated:
        inner, *extra = get_args(annotation)
        return _bounded(inner, [*metadata, *extra])
    if get_origin(annotation) in (Union, UnionType):
        found = [_bounded(a, metadata) for a in get_args(annotation) if a is not NoneType]
        return None if all(f is None for f in found) else all(f is not False for f in found)
    if annotation is str:
        return False
    return None


def _unbounded(service: str) -> list[str]:
    app = unstarted_app(service)  # not started: no I/O
    found = []
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        for current in dependants(context.dependant):
            for param in [*current.path_params, *current.query_params,
                          *current.header_params, *current.cookie_params,
                          *current.body_params]:
                annotation = param.field_info.annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    continue
                if param.name in READ_BY_HAND.get((service, context.path_format or ""), ()):
                    continue
                if _bounded(annotation, list(param.field_info.metadata)) is False:
                    found.append(f"{sorted(context.methods or ())} {context.path_format}"
                                 f" {param.name}")
    return found


def test_the_check_finds_the_form_default_that_drops_the_bound() -> None:
    """What the test reads, on the two ways of writing a form's text."""
    app = FastAPI()

    @app.post("/dropped")
    async def dropped(text: Str = Form(min_length=1)) -> None: ...

    @app.post("/kept")
    async def kept(text: Annotated[Str, Form(min_length=1)],
                   other: Str | None = Form(None)) -> None: ...

    verdicts = {route.path: [_bounded(p.field_info.annotation, list(p.field_info.metadata))
                             for p in route.dependant.body_params]
                for route in app.routes if isinstance(route, APIRoute)}
    assert verdicts == {"/dropped": [False], "/kept": [True, True]}


@pytest.mark.parametrize("service", SERVICES)
def test_every_text_a_route_takes_is_bounded(service: str) -> None:
    assert _unbounded(service) == []
