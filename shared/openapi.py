"""What each operation of a service's OpenAPI document can answer, said in one place.

FastAPI documents a route's success and, where it has parameters, a 422 of its own shape.
`describe_answers` adds to the generated document, from the routes themselves, what the HTTP
edge (`shared.http`) really answers besides:

- the bearer (JWT) scheme, and `security` on the routes that need a token (`SignedIn`: 401
  for the public) or read one when given (`CurrentPrincipal`: 401 for a token not valid);
- the refusals a route's code can raise (`raised_by`: 403 `Forbidden`, 404 `NotFound`, 409
  `Conflict`, 429 `TooManyRequests`, 401 `Unauthenticated`), each with the body
  `shared.http.error_body` writes; a route may also declare one with `refusals(...)`;
- 400 for a JSON body that could not be read (not UTF-8: `body_not_utf8`; nested too deep,
  a number too long to read: `body_unreadable`), and 413 `body_too_large` for any body over
  the service's limit (`shared.forms`), and 415 `unsupported_media_type` for a JSON body sent
  as another media type (`shared.http.media_type_refused`);
- the 422's body as `shared.http` writes it: a refusal's `code` (any, not only `invalid`), its
  `message`, and `refusals` where a request broke several rules;
- on a page (`shared.pages.page_route`), every refusal as the page it is (text/html);
- the years a date or moment in the address, the query or a body is taken in
  (`shared.bounds`), as a pattern that takes every way of writing one the server takes.

The document is made once, at its first request, from every route the app has by then.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import textwrap
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import cache
from types import FunctionType, MethodType
from typing import Annotated, Any, TypeVar, get_args, get_origin
from uuid import UUID

from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel
from pydantic.functional_validators import AfterValidator
from starlette.routing import BaseRoute

from shared.auth import current_principal, signed_in
from shared.bounds import MAX_YEAR, MIN_YEAR, check_day, check_moment
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from shared.http import STATUS
from shared.methods import dependants

#: The name of the bearer scheme in `components.securitySchemes`.
BEARER = "bearerAuth"
#: The body of every refusal but a refused input's 422 (`shared.http.error_body`).
REFUSAL = "Refusal"
#: A page's refusal: the page in the reader's language (`shared.pages.error_page`).
_PAGE = {"text/html": {"schema": {"type": "string"}}}

#: The header of a JSON refusal naming the language its `message` is in.
_SAID_IN = {"description": "The language of the refusal's `message` (fi, sv or en): `?lang=`, "
                           "the `kohtaamo_lang` cookie, else the first of them in "
                           "Accept-Language, else fi",
            "schema": {"type": "string", "enum": ["fi", "sv", "en"]}}
#: What each documented refusal means, when the route says nothing more.
_MEANING = {
    400: "The body could not be read: not UTF-8, or not the JSON it says it is",
    413: "The body is larger than the service takes",
    415: "The body was sent as a media type the route does not take (it takes JSON)",
    401: "No token, or a token that is not valid (expired, not signed by the issuer)",
    403: "Signed in, but without a role or a venue this needs",
    404: "Nothing of this id (or it is not yours to see)",
    409: "Not possible in the state the thing is in now (taken, already decided, changed)",
    422: "An input the route refuses, each named with where it was given",
    429: "Too many tries: Retry-After says when to try again",
}
#: The refusals a route's code decides, by the error it raises (most specific first, as
#: `shared.http.STATUS` maps them).
_RAISED = (Invalid, Forbidden, NotFound, Conflict, TooManyRequests, Unauthenticated)


def refusals(*statuses: int) -> dict[int | str, Any]:
    """`responses=` for a route that answers a refusal its code's reading cannot show (a
    Conflict raised where `raised_by` does not look): the body is filled in by
    `describe_answers`, the same as everywhere."""
    return {status: {"description": _MEANING.get(status, "Refused")} for status in statuses}


def install_openapi_answers(app: FastAPI) -> None:
    """`app.openapi()` as FastAPI makes it, then `describe_answers`."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe_answers(generate(), app.router.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def describe_answers(document: dict[str, Any],
                     routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """`document` (changed in place) with what each route of `routes` answers besides."""
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": (
            "A JWT in the `Authorization: Bearer <token>` header, never a cookie "
            "(`shared/auth.py`): from the city's OIDC provider (RS256/ES256) in production, "
            "from the local issuer (HS256) in development. Its `roles` (organiser, desk, "
            "communications, analyst, admin) and `venues` decide the 403s.")}
    schemas = components.setdefault("schemas", {})
    schemas[REFUSAL] = _refusal_schema()
    if "HTTPValidationError" in schemas:
        _validation_error(schemas["HTTPValidationError"])
    filled: set[str] = set()
    for context in _schema_routes(routes):
        for method in sorted(context.methods or ()):
            operation = document.get("paths", {}).get(context.path_format, {}).get(
                method.lower())
            if operation is not None:
                _describe(operation, context, components)
                _document_body_patterns(operation, context.dependant, schemas, filled)
    return document


def _validation_error(schema: dict[str, Any]) -> None:
    """FastAPI's 422 as `shared.http` answers it (`input_refusal`, `error_body`): its
    `detail` still FastAPI's list, with the code and message of every refusal, and each
    rule a request broke listed when it broke several."""
    schema.setdefault("properties", {}).update({
        "code": {"type": "string", "title": "Code",
                 "description": "`invalid` for an input the route's schema refuses; for a "
                                "rule the code checks, the rule's own code (`past`, "
                                "`text_chars`, `horizon`, ...; the first rule's when "
                                "several were broken), else `invalid`"},
        "message": {"type": "string", "title": "Message",
                    "description": "What to fix, in the reader's language (named in "
                                   "`Content-Language`): each refused input by its label "
                                   "(else its name) and what it takes, or the rule's own "
                                   "words"},
        "refusals": {
            "type": "array", "title": "Refusals",
            "description": "Each rule the request broke, when the code checked several at "
                           "once: the input (`field`, dotted for a nested one), the rule's "
                           "English words (`msg`), its `code` where it has one, its "
                           "`message` in the reader's language, and its details",
            "items": {"type": "object", "properties": {
                "field": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Field"},
                "msg": {"type": "string", "title": "Msg"},
                "code": {"type": "string", "title": "Code"},
                "message": {"type": "string", "title": "Message"}},
                "required": ["field", "msg", "message"], "additionalProperties": True}},
    })
    schema["required"] = sorted({*schema.get("required", ()), "detail", "code", "message"})
    # A rule's details beside them (`min_minutes`, `known`, `value`, ...).
    schema["additionalProperties"] = True


def _schema_routes(routes: Sequence[BaseRoute]) -> Iterator[RouteContext]:
    for context in iter_route_contexts(routes):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            yield context


def _refusal_schema() -> dict[str, Any]:
    return {
        "type": "object", "title": REFUSAL,
        "description": ("A refusal (`shared.http.error_body`): `detail` says why in English; "
                        "`code` names the rule for a client (the refusal's own, else its "
                        "kind's: `not_found`, `forbidden`, `conflict`, `unauthenticated`, "
                        "`too_many_requests`; a token given but not valid is "
                        "`token_invalid` or `token_expired`, none given `sign_in`; a body "
                        "not UTF-8 is `body_not_utf8`, one that cannot be read otherwise "
                        "`body_unreadable`, one over the limit `body_too_large`); `message` "
                        "says it to a person in "
                        "the reader's language (`?lang=`, the `kohtaamo_lang` cookie, else "
                        "the first of fi/sv/en in Accept-Language, else Finnish), named in "
                        "`Content-Language`; other keys are the refusal's details."),
        "properties": {
            "detail": {"type": "string", "title": "Detail"},
            "code": {"type": "string", "title": "Code"},
            "message": {"type": "string", "title": "Message"},
        },
        "required": ["detail", "code", "message"],
        "additionalProperties": True,
    }


def is_page(context: RouteContext) -> bool:
    """A route of a page router (`shared.pages.page_route`), which answers every refusal as a
    page, or one that answers HTML."""
    response_class = context.response_class
    if isinstance(response_class, DefaultPlaceholder):
        response_class = response_class.value
    # The class `page_route` makes, or a service's own route class made from it.
    return any(cls.__module__ == "shared.pages" and cls.__qualname__.startswith("page_route.")
               for cls in type(context.original_route).__mro__) or (
        isinstance(response_class, type) and issubclass(response_class, HTMLResponse))


def _describe(operation: dict[str, Any], context: RouteContext,
              components: dict[str, Any]) -> None:
    dependant: Dependant = context.dependant
    calls = {d.call for d in dependants(dependant)}
    answers: dict[str, Any] = operation.setdefault("responses", {})
    page = is_page(context)
    error = _PAGE if page else {"application/json": {"schema": {
        "$ref": f"#/components/schemas/{REFUSAL}"}}}

    def add(status: int, description: str | None = None,
            headers: dict[str, Any] | None = None) -> None:
        answer = answers.setdefault(str(status), {})
        answer.setdefault("description", description or _MEANING.get(status, "Refused"))
        if headers:
            answer.setdefault("headers", {}).update(headers)

    challenge = {"WWW-Authenticate": {"description": "`Bearer`: how to sign in",
                                      "schema": {"type": "string"}}}
    if signed_in in calls:
        operation["security"] = [{BEARER: []}]
        add(401, "No token, or one that is not valid: sign in first", challenge)
    elif current_principal in calls:
        # Anyone may ask; a token given must be valid, and shows what its holder may see.
        operation["security"] = [{}, {BEARER: []}]
        add(401, "A token that is not valid (none is needed)", challenge)
    asks_who = bool(calls & {signed_in, current_principal})
    for status in sorted(raised_statuses(context)):
        if status in (401, 403) and not asks_who:
            # Read with every branch possible, a use case's check of a role looks reachable
            # where the route hands it the public or its page's own session (which answers
            # with a sign-in form): only a route reading the caller's token refuses it.
            continue
        if status == 404 and not (_names_things(dependant) or "requestBody" in operation):
            continue  # nothing asked for by id or code: its lookups are of what it made
        if status == 422 and "422" not in answers:
            # A rule the code checks where FastAPI saw no parameter (a body read by hand):
            # `error_body` gives it FastAPI's own shape.
            shape = ("HTTPValidationError" if "HTTPValidationError" in components.get(
                "schemas", {}) else REFUSAL)
            answers["422"] = {"description": _MEANING[422], "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{shape}"}}}}
        add(status, headers=challenge if status == 401 else None)
    if status_429 := answers.get("429"):
        status_429.setdefault("headers", {}).setdefault(
            "Retry-After", {"description": "Seconds until a try is taken again",
                            "schema": {"type": "integer"}})
    if "application/json" in operation.get("requestBody", {}).get("content", {}):
        add(400, "The body could not be read: not UTF-8 (a JSON body is UTF-8, RFC 8259): "
                 "`code` is `body_not_utf8`; nested too deep or with a number too long to "
                 "read: `code` is `body_unreadable`")
        add(415, "The body was sent as another media type than JSON (a form, text, XML): "
                 "`code` is `unsupported_media_type`, `accepted` lists what is taken")
    if "requestBody" in operation:
        add(413, "The body is over the service's limit (`KOHTAAMO_MAX_BODY_BYTES`, 4 MB by "
                 "default; `limit` says it in bytes): `code` is `body_too_large`")
    for code, answer in answers.items():
        if not code.isdecimal() or not 400 <= int(code) < 500:
            continue
        if page:
            # The page's own refusal (422 included), never FastAPI's JSON.
            answer["content"] = _PAGE
            continue
        if not answer.get("content") and code != "422":
            answer["content"] = error
        answer.setdefault("headers", {}).setdefault("Content-Language", _SAID_IN)
    _bound_dates(operation, dependant)
    _document_patterns(operation, dependant)


def _names_things(dependant: Dependant) -> bool:
    """Whether the address or the query names something to look up: an id or a code (not a
    number, a day or a choice of a few words)."""
    for current in dependants(dependant):
        for param in [*current.path_params, *current.query_params]:
            annotation = param.field_info.annotation
            kinds = {annotation, *get_args(annotation)}
            if kinds & {UUID, str}:
                return True
    return False


def raised_statuses(context: RouteContext) -> set[int]:
    """The statuses of the refusals the route's endpoint and dependencies can raise."""
    found: set[type[DomainError]] = set()
    for current in dependants(context.dependant):
        if current.call is not None:
            found |= raised_by(current.call)
    statuses = set()
    for error in found:
        for cls, status in STATUS:
            if issubclass(error, cls):
                if cls in _RAISED:
                    statuses.add(status)
                break
    return statuses


# --- what a function can raise, read from its code ---------------------------------------

_OURS = ("services.", "shared.")


def raised_by(func: Callable[..., Any]) -> frozenset[type[DomainError]]:
    """The domain errors `func` raises, itself or through the functions of this project it
    calls (by name: `usecases.confirm(...)`, `require(...)`), less those it catches around
    the call. A reading of the code, not a proof: a call through an object's method or a
    function passed in is not followed, and every branch is taken as possible."""
    target = _function(func)
    return _raised(target) if target is not None else frozenset()


def _function(value: Any) -> FunctionType | None:
    if isinstance(value, MethodType):
        value = value.__func__
    value = inspect.unwrap(value) if callable(value) else value
    if isinstance(value, FunctionType) and value.__module__ and value.__module__.startswith(
            _OURS):
        return value
    return None


@cache
def _raised(func: FunctionType) -> frozenset[type[DomainError]]:
    _raised_in_progress.add(func)
    try:
        tree = _tree(func)
        if tree is None:
            return frozenset()
        names = dict(func.__globals__)
        if func.__closure__:
            names.update(zip(func.__code__.co_freevars,
                             (c.cell_contents for c in func.__closure__
                              if _filled(c)), strict=False))
        return frozenset(_Reader(names).errors(tree.body))
    finally:
        _raised_in_progress.discard(func)


_raised_in_progress: set[FunctionType] = set()


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _tree(func: FunctionType) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return None
    try:
        parsed = ast.parse(source)
    except SyntaxError:  # a lambda's line, cut from its expression
        return None
    for node in parsed.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


class _Reader:
    """The errors raised in a function's statements, in its namespace."""

    def __init__(self, names: dict[str, Any]) -> None:
        self.names = names

    def resolve(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Name):
            return self.names.get(node.id, getattr(builtins, node.id, None))
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value)
            return getattr(owner, node.attr, None) if owner is not None else None
        if isinstance(node, ast.Call):  # raise Conflict(...)
            return self.resolve(node.func)
        return None

    def errors(self, body: Sequence[ast.AST]) -> set[type[DomainError]]:
        found: set[type[DomainError]] = set()
        for node in body:
            found |= self.node(node)
        return found

    def node(self, node: ast.AST) -> set[type[DomainError]]:
        if isinstance(node, ast.Try | ast.TryStar):
            caught = tuple(c for h in node.handlers for c in self.caught(h))
            inner = {e for e in self.errors(node.body) if not issubclass(e, caught)}
            return (inner | self.errors([*node.orelse, *node.finalbody])
                    | {e for h in node.handlers for e in self.errors(h.body)})
        found: set[type[DomainError]] = set()
        if isinstance(node, ast.Raise) and node.exc is not None:
            error = self.resolve(node.exc)
            if isinstance(error, type) and issubclass(error, DomainError):
                found.add(error)
        skipped: list[ast.AST] = []
        if isinstance(node, ast.Call):
            called, skipped = self.call(node)
            found |= called
        for child in ast.iter_child_nodes(node):
            if not any(child is s for s in skipped):
                found |= self.node(child)
        return found

    def caught(self, handler: ast.ExceptHandler) -> tuple[type[BaseException], ...]:
        if handler.type is None:
            return (BaseException,)
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        resolved = (self.resolve(k) for k in kinds)
        return tuple(k for k in resolved if isinstance(k, type) and issubclass(k, BaseException))

    def call(self, node: ast.Call) -> tuple[set[type[DomainError]], list[ast.AST]]:
        """What the call raises, and the lambdas among its arguments it has read."""
        callee = self.resolve(node.func)
        if isinstance(callee, type) and issubclass(callee, DomainError):
            return {callee}, []  # made here, raised where it is given to
        target = _function(callee) if callee is not None else None
        if target is None or target in _raised_in_progress:
            return set(), []
        found = set(_raised(target))
        # A function given a lambda calls it within what it catches: `act(...)` in a
        # `try` that turns a refusal into a redirect.
        lambdas = [a for a in [*node.args, *(k.value for k in node.keywords)]
                   if isinstance(a, ast.Lambda)]
        if lambdas:
            caught = _caught_anywhere(target)
            for given in lambdas:
                found |= {e for e in self.node(given.body) if not issubclass(e, caught)}
        return found, list(lambdas)


def _caught_anywhere(func: FunctionType) -> tuple[type[BaseException], ...]:
    tree = _tree(func)
    if tree is None:
        return ()
    reader = _Reader(dict(func.__globals__))
    return tuple(c for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)
                 for c in reader.caught(node))


# --- the years a date in the address or the query is taken in ----------------------------

T = TypeVar("T")

#: The validators of `shared.bounds` and the years each takes.
_YEARS: dict[Callable[..., Any], tuple[int, int]] = {
    check_day: (MIN_YEAR, MAX_YEAR), check_moment: (MIN_YEAR, MAX_YEAR)}


def _documented(operation: dict[str, Any], dependant: Dependant,
                read: Callable[[Any], T | None]) -> Iterator[tuple[dict[str, Any], T]]:
    """Each of the operation's documented query and path parameters with what `read` finds
    on the route's own parameter of that name (None: nothing, and it is left out)."""
    found: dict[tuple[str, str], T] = {}
    for current in dependants(dependant):
        for where, params in (("query", current.query_params), ("path", current.path_params)):
            for param in params:
                value = read(param)
                if value is not None:
                    found[(where, param.alias)] = value
    for parameter in operation.get("parameters", []):
        value = found.get((parameter.get("in", ""), parameter.get("name", "")))
        if value is not None:
            yield parameter, value


def _bound_dates(operation: dict[str, Any], dependant: Dependant) -> None:
    for parameter, years_of in _documented(
            operation, dependant,
            lambda p: _years_of(p.field_info.metadata, p.field_info.annotation)):
        _bound_years(parameter, parameter.get("schema", {}), years_of)


def _bound_years(described: dict[str, Any], schema: dict[str, Any],
                 years_of: tuple[int, int, str]) -> None:
    """`schema` (a date or a moment, or one among options) with the years it is taken in
    as its pattern, and `described` (its parameter, or the schema itself in a body) saying
    so in words."""
    first, last, kind = years_of
    formatted = [option for option in _alternatives(schema) if option.get("format") == kind]
    for option in formatted:
        option["pattern"] = _year_pattern(first, last, kind)
    taken = written_moment_pattern(first, last)
    if kind == "date-time" and formatted and not any(
            o.get("pattern") == taken for o in _alternatives(schema)):
        # The other ways the server takes, an option of their own: beside `format:
        # date-time` they would be refused by it, and a generator drawing from the pattern
        # would write mostly values the format refuses.
        written = {**_WRITTEN, "pattern": taken}
        if "anyOf" in schema:
            place = schema["anyOf"].index(formatted[0]) + 1
            schema["anyOf"].insert(place, written)
        else:
            own = {key: schema.pop(key) for key in list(schema)
                   if key not in ("title", "description", "default", "examples")}
            schema["anyOf"] = [own, written]
    said = f"Years {first} to {last} only: another is refused (422)."
    if said not in described.get("description", ""):
        described["description"] = " ".join(filter(None, [described.get("description"),
                                                          said]))


def _document_patterns(operation: dict[str, Any], dependant: Dependant) -> None:
    """A pattern a parameter's type checks (`Field(pattern=...)` on a type that validates
    after, as `Str` does) written where pydantic's schema left it out: `area`'s
    `^[a-z0-9_.-]+$` was documented as any string of 1 to 100 characters."""
    for parameter, pattern in _documented(
            operation, dependant,
            lambda p: _pattern_of(p.field_info.metadata, p.field_info.annotation)):
        for schema in _alternatives(parameter.get("schema", {})):
            if schema.get("type") == "string" and "format" not in schema:
                schema.setdefault("pattern", pattern)


def _document_body_patterns(operation: dict[str, Any], dependant: Dependant,
                            schemas: dict[str, Any], filled: set[str]) -> None:
    """The patterns a body's fields check, written where pydantic's schema left them out
    (as `_document_patterns` does for parameters): a venue's, an activity's or a board's
    `area`, a channel account's `areas`, each `^[a-z0-9_.-]+$`. `filled`: the components
    already walked (several operations share one)."""
    params = [param for current in dependants(dependant) for param in current.body_params]
    for media in operation.get("requestBody", {}).get("content", {}).values():
        schema = media.get("schema", {})
        if len(params) == 1 and _model_in(params[0].field_info.annotation) is not None:
            _fill_patterns(schema, params[0].field_info.annotation,
                           params[0].field_info.metadata, schemas, filled)
            continue
        # Several inputs (a form's fields, embedded bodies): one property each.
        target = _resolved(schema, schemas)
        for param in params:
            if (found := target.get("properties", {}).get(param.alias)) is not None:
                _fill_patterns(found, param.field_info.annotation, param.field_info.metadata,
                               schemas, filled)


def _fill_patterns(schema: dict[str, Any], annotation: Any, metadata: Sequence[Any],
                   schemas: dict[str, Any], filled: set[str]) -> None:
    """`schema` (a value of type `annotation`) with the patterns its code checks: on a
    string, on a list's items, and through a model's component on each of its fields."""
    pattern = _pattern_of(metadata, annotation)
    for option in _alternatives(schema):
        if (ref := option.get("$ref", "")).startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            model = _model_in(annotation)
            if model is None or name in filled or name not in schemas:
                continue
            filled.add(name)
            properties = schemas[name].get("properties", {})
            for field_name, field in model.model_fields.items():
                if (found := properties.get(field.alias or field_name)) is not None:
                    _fill_patterns(found, field.annotation, field.metadata, schemas, filled)
        elif option.get("type") == "string" and "format" not in option and pattern:
            option.setdefault("pattern", pattern)
        elif option.get("format") in ("date", "date-time") and (
                found := _years_of(metadata, annotation)) is not None:
            # A body's date or moment: the years `shared.bounds` takes, as a query's.
            _bound_years(schema, schema, found)
            return
        elif option.get("type") == "array" and isinstance(option.get("items"), dict):
            item = _item_of(annotation)
            if item is not None:
                _fill_patterns(option["items"], item, (), schemas, filled)


def _resolved(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    found: dict[str, Any] = schemas.get(ref.rsplit("/", 1)[1], {}) if ref else schema
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model `annotation` names, alone or as an option (`Model | None`)."""
    for kind in (annotation, *get_args(annotation)):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def _item_of(annotation: Any) -> Any:
    """The item type of a list (or a list among the options: `list[AreaCode] | None`, a
    list with rules of its own too: `Annotated[list[AreaCode], *EachOnce] | None`)."""
    for kind in (annotation, *get_args(annotation)):
        if get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        if get_origin(kind) in (list, set, frozenset, tuple) and get_args(kind):
            return get_args(kind)[0]
    return None


def _pattern_of(metadata: Sequence[Any], annotation: Any) -> str | None:
    pending = [*metadata, *(m for a in (annotation, *get_args(annotation))
                            for m in getattr(a, "__metadata__", ()))]
    while pending:
        item = pending.pop(0)
        if isinstance(getattr(item, "pattern", None), str):
            return str(item.pattern)
        pending.extend(getattr(item, "metadata", None) or ())
    return None


def _years_of(metadata: Sequence[Any], annotation: Any) -> tuple[int, int, str] | None:
    kinds = {date: "date", datetime: "date-time"}
    kind = next((kinds[a] for a in (annotation, *get_args(annotation)) if a in kinds), None)
    # A list's item is `Annotated` itself (`list[Day]`): its own metadata too.
    for item in [*metadata, *(m for a in (annotation, *get_args(annotation))
                               for m in getattr(a, "__metadata__", ()))]:
        if isinstance(item, AfterValidator) and item.func in _YEARS:
            first, last = _YEARS[item.func]
            named = "date-time" if item.func is check_moment else kind or "date"
            return first, last, named
    return None


def _alternatives(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield schema
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []):
            yield from _alternatives(option)


def years(first: int, last: int) -> str:
    """A regex (no anchors) of the four-digit years `first` to `last`."""
    parts = []
    for century in range(first // 100, last // 100 + 1):
        low, high = max(first, century * 100), min(last, century * 100 + 99)
        if low % 100 == 0 and high % 100 == 99:
            parts.append(f"{century}[0-9]{{2}}")
        else:
            parts.extend(str(year) for year in range(low, high + 1))
    return f"(?:{'|'.join(parts)})"


#: A month and a day of it, as ISO 8601 writes them (a 31st of February is left to `format`).
_MONTH_DAY = "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
#: A time of day with its offset, in every way of writing it the server takes (pydantic's
#: reading, which `shared.bounds` keeps): "T", "t", "_" or a space before it, seconds left
#: out, any number of fractional digits after "." or ",", "Z" or "z" or an offset with or
#: without its colon. The moments of `shared.bounds` are aware: an offset is needed.
_WRITTEN_TIME = (r"[Tt _](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)?"
                 r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])")
#: A time of day with its offset as RFC 3339 writes it (`format: date-time`), any number of
#: fractional digits and "t" and "z" in either case as it allows.
_TIME = (r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
         r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])")
#: The option of a moment beside its `format: date-time` one (`_bound_years`).
_WRITTEN = {"type": "string",
            "description": "Also taken: a space or `_` for the `T`, no seconds, a `,` "
                           "before the fraction, an offset without its colon (`+0200`), or a "
                           "Unix time in seconds or milliseconds"}


def between(first: int, last: int) -> str:
    """A regex (no anchors) of the whole numbers `first` to `last` (0 <= first <= last)."""
    parts: list[str] = []
    for width in range(len(str(first)), len(str(last)) + 1):
        low, high = max(first, 10 ** (width - 1) if width > 1 else 0), min(last, 10**width - 1)
        if low <= high:
            parts.extend(_between_digits(str(low), str(high)))
    return f"(?:{'|'.join(parts)})"


def _between_digits(low: str, high: str) -> list[str]:
    """Regexes of the numbers `low` to `high`, both written with as many digits."""
    if not low:
        return [""]
    if low[0] == high[0]:
        return [low[0] + rest for rest in _between_digits(low[1:], high[1:])]
    width = len(low) - 1
    tail = f"[0-9]{{{width}}}" if width else ""
    parts: list[str] = []
    first, last = int(low[0]), int(high[0])
    if low[1:] != "0" * width:  # the first digit's numbers from `low` up
        parts.extend(low[0] + rest for rest in _between_digits(low[1:], "9" * width))
        first += 1
    upper = []
    if high[1:] != "9" * width:  # the last digit's numbers up to `high`
        upper = [high[0] + rest for rest in _between_digits("0" * width, high[1:])]
        last -= 1
    if first <= last:
        parts.append((str(first) if first == last else f"[{first}-{last}]") + tail)
    return parts + upper


def _timestamp(first: int, last: int) -> str:
    """A Unix time the server takes as a moment of the years `first` to `last` (pydantic's
    reading: seconds, or milliseconds from 2e10 up, an optional sign, leading zeros and
    fraction; the year is UTC's)."""
    start = int(datetime(first, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(last + 1, 1, 1, tzinfo=UTC).timestamp()) - 1
    return rf"\+?0*(?:{between(start, end)}|{between(start * 1000, end * 1000 + 999)})" \
           r"(?:\.[0-9]*)?"


def date_pattern(first: int, last: int, *also: str) -> str:
    """A whole ISO date of the years `first` to `last` (or one of `also`, as written): a
    pattern a generator can write dates from, not only a prefix it must hit by chance."""
    options = [years(first, last) + _MONTH_DAY, *also]
    return f"^(?:{'|'.join(options)})$"


def moment_pattern(first: int, last: int) -> str:
    """A whole RFC 3339 date-time with an offset, of the years `first` to `last`."""
    return f"^{years(first, last)}{_MONTH_DAY}{_TIME}$"


def written_moment_pattern(first: int, last: int) -> str:
    """A whole date-time with an offset, of the years `first` to `last`, in every way the
    server takes one (`_WRITTEN_TIME`; a Unix time too): what the pattern refuses, the
    server refuses, and the other way round."""
    return (f"^(?:{years(first, last)}{_MONTH_DAY}{_WRITTEN_TIME}"
            f"|{_timestamp(first, last)})$")


def _year_pattern(first: int, last: int, kind: str) -> str:
    return moment_pattern(first, last) if kind == "date-time" else date_pattern(first, last)
