"""What every service's OpenAPI document says its operations answer (`shared.openapi`): the
bearer scheme on the routes that need a token, the refusals with the body `shared.http`
really writes, pages' refusals as pages, 400 for a body that is not UTF-8, and the years a
date parameter is taken in. The services are built in-process and not started: no I/O."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from shared.auth import SignedIn, current_principal, signed_in
from shared.bounds import MAX_YEAR, MIN_YEAR, Moment, check_day
from shared.errors import Conflict, Invalid, NotFound, Refusals
from shared.methods import dependants
from shared.openapi import (
    BEARER,
    describe_answers,
    moment_pattern,
    raised_by,
    refusals,
    written_moment_pattern,
)
from shared.service import get_pool
from tests.apps import unstarted_app
from tests.infra import bearer
from tests.test_boundaries import SERVICES

pytestmark = pytest.mark.unit

BROWSER = {"Accept": "text/html"}


def _app(service: str) -> FastAPI:
    return unstarted_app(service)


@pytest.fixture(params=SERVICES)
def service(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
async def served(service: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]]:
    app = _app(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        document = (await http.get("/openapi.json")).json()
        yield app, http, document


def _routes(app: FastAPI) -> list[tuple[Any, str, dict[str, Any]]]:
    """(route, method, its operation) for every documented route."""
    found = []
    document = app.openapi()
    for context in iter_route_contexts(app.router.routes):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            for method in context.methods or ():
                found.append((context, method,
                              document["paths"][context.path_format][method.lower()]))
    return found


def _is_page(context: Any) -> bool:
    return any(cls.__qualname__.startswith("page_route.")
               for cls in type(context.original_route).__mro__)


def _schema(document: dict[str, Any], operation: dict[str, Any], status: int,
            media: str = "application/json") -> dict[str, Any]:
    """The documented body of `status`, with the document's components to resolve $refs."""
    schema = operation["responses"][str(status)]["content"][media]["schema"]
    return {**schema, "components": document["components"]}


async def test_the_bearer_scheme_is_documented_and_named_on_exactly_the_signed_in_routes(
        served: tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]) -> None:
    app, _, document = served
    scheme = document["components"]["securitySchemes"][BEARER]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer",
                                                                          "JWT")
    assert "Authorization" in scheme["description"]
    signed = 0
    for context, method, operation in _routes(app):
        calls = {d.call for d in dependants(context.dependant)}
        where = f"{method} {context.path_format}"
        if signed_in in calls:
            signed += 1
            assert operation["security"] == [{BEARER: []}], where
            assert "401" in operation["responses"], where
            assert "WWW-Authenticate" in operation["responses"]["401"]["headers"], where
        elif current_principal in calls:
            # Anyone may ask; a token given must be valid.
            assert operation["security"] == [{}, {BEARER: []}], where
            assert "401" in operation["responses"], where
        else:
            assert "security" not in operation, where
            assert "401" not in operation["responses"], where
            assert "403" not in operation["responses"] or _is_page(context), where
    assert signed > 0


async def test_a_signed_in_routes_401_is_the_documented_body(
        served: tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]) -> None:
    app, http, document = served
    for context, method, operation in _routes(app):
        if signed_in not in {d.call for d in dependants(context.dependant)}:
            continue
        path = re.sub(r"{[^}]+}", "3fa85f64-5717-4562-b3fc-2c963f66afa6", context.path_format)
        answer = await http.request(method, path)
        assert answer.status_code == 401, (method, path)
        assert answer.headers["content-type"] == "application/json"
        jsonschema.validate(answer.json(), _schema(document, operation, 401))
        return
    pytest.skip("no signed-in route")


async def test_pages_say_their_refusals_are_pages(
        served: tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]) -> None:
    app, http, _ = served
    for context, _, operation in _routes(app):
        if not _is_page(context):
            continue
        for status, answer in operation["responses"].items():
            if status.startswith("4"):
                assert list(answer["content"]) == ["text/html"], (context.path_format, status)
    # And a page's refusal is one: the events' calendar refuses a day it cannot read.
    if "/calendar" in app.openapi()["paths"]:
        refused = await http.get("/calendar", params={"date": "not-a-day"})
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("text/html")


async def test_a_json_body_that_is_not_utf8_is_a_documented_400(
        served: tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]) -> None:
    app, http, document = served
    for context, _, operation in _routes(app):
        content = operation.get("requestBody", {}).get("content", {})
        assert ("400" in operation["responses"]) == ("application/json" in content), (
            context.path_format)
    # The guide's question takes anyone's JSON: its 400 is that body.
    if "/ask" in document["paths"]:
        operation = document["paths"]["/ask"]["post"]
        answer = await http.post("/ask", content=b'{"question": "\xff\xfe"}',
                                 headers={"Content-Type": "application/json"})
        assert answer.status_code == 400
        jsonschema.validate(answer.json(), _schema(document, operation, 400))


async def test_a_404_of_a_lookup_is_the_documented_body() -> None:
    """The guide's conversation, looked up and not found: the body `error_body` writes fits
    what its 404 says (the lookup is made to fail without a database)."""
    app = _app("guide")

    async def nothing_here() -> None:
        raise NotFound("no such conversation", code="not_found")

    app.dependency_overrides[get_pool] = nothing_here
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        document = (await http.get("/openapi.json")).json()
        answer = await http.get("/conversations/3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert answer.status_code == 404
    operation = document["paths"]["/conversations/{conversation_id}"]["get"]
    jsonschema.validate(answer.json(), _schema(document, operation, 404))
    with pytest.raises(jsonschema.ValidationError):  # the schema does say something
        jsonschema.validate({"message": "x"}, _schema(document, operation, 404))


@pytest.mark.parametrize(("service", "method", "path", "status", "documented"), [
    # Use cases that raise a Conflict in some state, and a read that never does.
    ("booking", "post", "/bookings/{booking_id}/confirm", "409", True),
    ("events", "post", "/events/{event_id}/publish", "409", True),
    ("booking", "get", "/venues", "409", False),
    # A lookup by id, and reports by year that look nothing up.
    ("booking", "get", "/venues/{venue_id}", "404", True),
    ("metrics", "get", "/report/{year}", "404", False),
    ("metrics", "get", "/dashboard", "404", False),
    # A body read by hand and refused by a rule (no parameter FastAPI would document).
    ("metrics", "post", "/areas/populations.csv", "422", True),
    # Roles checked where a token is read; the public's reads are for everyone.
    ("events", "get", "/approvals", "403", True),
    ("booking", "get", "/venues/{venue_id}", "403", False),
])
def test_refusals_are_documented_where_the_code_can_answer_them(
        service: str, method: str, path: str, status: str, documented: bool) -> None:
    operation = _app(service).openapi()["paths"][path][method]
    assert (status in operation["responses"]) is documented, operation["responses"]


def test_what_a_function_raises_is_read_through_the_functions_it_calls() -> None:
    from services.booking.usecases import decisions

    assert any(issubclass(e, Conflict) for e in raised_by(decisions.confirm_booking))
    assert raised_by(check_day) == frozenset()  # a ValueError is no refusal of ours


def test_a_route_may_declare_a_refusal_and_gets_the_same_body() -> None:
    router = APIRouter()

    @router.post("/things/{thing}/take", responses=refusals(409))
    async def take(thing: int, who: SignedIn) -> dict[str, str]:  # pragma: no cover
        return {}

    app = FastAPI()
    app.include_router(router)
    document = describe_answers(app.openapi(), app.router.routes)
    answers = document["paths"]["/things/{thing}/take"]["post"]["responses"]
    assert answers["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Refusal"}
    assert "404" not in answers  # a number names nothing to look up, and nothing raises it


async def test_date_parameters_say_the_years_they_are_taken_in(
        served: tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]) -> None:
    """Where a query or address date is bounded by `shared.bounds`, its pattern takes exactly
    the years the validator takes."""
    _, _, document = served
    bounded = [p for ops in document["paths"].values() for op in ops.values()
               for p in op.get("parameters", []) if "Years 2000 to 2100" in
               p.get("description", "")]
    for parameter in bounded:
        schemas = [parameter["schema"], *parameter["schema"].get("anyOf", [])]
        bounded_schema = next(s for s in schemas if "pattern" in s)
        pattern = bounded_schema["pattern"]
        # A whole value, as a generator writes one from the pattern.
        time = "T23:59:59.5+02:00" if bounded_schema["format"] == "date-time" else ""
        for year in (1, 1999, 2000, 2026, 2100, 2101, 9999):
            try:
                check_day(date(year, 1, 31))
                taken = True
            except ValueError:
                taken = False
            assert bool(re.search(pattern, f"{year:04d}-01-31{time}")) is taken, (pattern, year)


async def test_a_bounded_date_in_the_query_is_documented_and_refused_outside_it() -> None:
    app = _app("events")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        document = (await http.get("/openapi.json")).json()
        refused = await http.get("/events", params={"start": "1999-12-31T10:00:00+02:00"})
    assert refused.status_code == 422
    start = next(p for p in document["paths"]["/events"]["get"]["parameters"]
                 if p["name"] == "start")
    assert "Years 2000 to 2100" in start["description"], start


def test_the_metrics_end_of_a_range_says_the_days_it_takes() -> None:
    """`to` of the indicators is a day of the platform's years or the first day after them:
    its documented pattern takes exactly those."""
    from services.metrics.schemas import _check_end

    parameters = _app("metrics").openapi()["paths"]["/indicators/summary"]["get"]["parameters"]
    to = next(p for p in parameters if p["name"] == "to")
    pattern = next(s["pattern"] for s in to["schema"]["anyOf"] if "pattern" in s)
    for day in (date(1999, 12, 31), date(2000, 1, 1), date(2100, 12, 31), date(2101, 1, 1),
                date(2101, 1, 2), date(9999, 1, 1), date(1, 1, 1)):
        try:
            _check_end(day)
            taken = True
        except ValueError:
            taken = False
        assert bool(re.search(pattern, day.isoformat())) is taken, (pattern, day)


def test_a_pattern_a_parameter_checks_is_documented() -> None:
    """`area` takes `^[a-z0-9_.-]+$` (its type validates after `Str`, and pydantic's schema
    left the pattern out): the document says so, as the code refuses."""
    for service, path in (("booking", "/venues"), ("booking", "/first-available"),
                          ("events", "/events"), ("notifications", "/boards")):
        operation = _app(service).openapi()["paths"][path]["get"]
        area = next(p for p in operation["parameters"] if p["name"] == "area")
        patterns = [o.get("pattern") for o in area["schema"]["anyOf"] if o["type"] == "string"]
        assert patterns == ["^[a-z0-9_.-]+$"], (service, path, area)


@pytest.mark.parametrize(("service", "method", "path", "field", "listed"), [
    ("booking", "post", "/venues", "area", False),
    ("booking", "patch", "/venues/{venue_id}", "area", False),
    ("events", "post", "/events", "area", False),
    ("events", "post", "/series", "area", False),
    ("notifications", "post", "/boards", "area", False),
    ("notifications", "post", "/channels", "areas", True),
    ("notifications", "put", "/channels/{account_id}", "areas", True),
])
def test_a_pattern_a_bodys_field_checks_is_documented(service: str, method: str, path: str,
                                                      field: str, listed: bool) -> None:
    """A body's `area` (and a list of areas) takes `^[a-z0-9_.-]+$` as the query's does: the
    document says so where pydantic's schema left it out, and the route refuses another."""
    app = _app(service)
    document = app.openapi()
    operation = document["paths"][path][method]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"][field]
    strings = [o for o in ([schema, *schema.get("anyOf", [])])
               if o.get("type") == ("array" if listed else "string")]
    if listed:
        strings = [o["items"] for o in strings]
    assert [o.get("pattern") for o in strings] == ["^[a-z0-9_.-]+$"], schema
    # As the code checks it: the route's own body model refuses what the pattern refuses.
    context = next(c for c in iter_route_contexts(app.router.routes)
                   if c.path_format == path and method.upper() in (c.methods or ()))
    model: Any = next(p.field_info.annotation for d in dependants(context.dependant)
                      for p in d.body_params)
    refused = model.model_fields[field]
    assert re.fullmatch(strings[0]["pattern"], "kuopio.jynkka")
    assert not re.fullmatch(strings[0]["pattern"], "Kuopio Jynkkä")
    kind: Any = (
        Annotated[(refused.annotation, *refused.metadata)] if refused.metadata
        else refused.annotation)
    adapter: TypeAdapter[Any] = TypeAdapter(kind)
    adapter.validate_python(["kuopio.jynkka"] if listed else "kuopio.jynkka")
    with pytest.raises(ValidationError):
        adapter.validate_python(["Kuopio Jynkkä"] if listed else "Kuopio Jynkkä")


def test_answers_a_reading_of_the_code_misses_are_declared() -> None:
    published = _app("metrics").openapi()["paths"]["/indicators/published-events"]["get"]
    assert "422" in published["responses"]  # an unknown area, raised in the use case
    guide = _app("guide").openapi()["paths"]
    for action in ("reply", "close"):
        answers = guide[f"/staff/conversations/{{conversation_id}}/{action}"]["post"][
            "responses"]
        assert "200" not in answers and "Location" in answers["303"]["headers"], answers
        assert list(answers["403"]["content"]) == ["text/html"]


async def test_a_422_of_a_rule_is_the_documented_body_with_its_own_code_and_refusals() -> None:
    """A rule the code checks answers 422 with its own code (not only `invalid`), its
    message, each rule it broke in `refusals`, and its details: the document says each."""
    app = _app("booking")

    async def refuse() -> None:
        raise Refusals([Invalid("too short", "ends_at", code="too_short", min_minutes=15),
                        Invalid("at most 200 characters", "title")])

    app.add_api_route("/refuse", refuse, methods=["GET"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        ruled = await http.get("/refuse")
        schemaed = await http.post("/bookings", json={}, headers=bearer("organiser"))
    schemas = app.openapi()["components"]["schemas"]
    error = schemas["HTTPValidationError"]
    assert {"detail", "code", "message"} <= set(error["required"])
    assert "`past`" in error["properties"]["code"]["description"]
    listed = error["properties"]["refusals"]["items"]
    assert {"field", "msg", "message"} <= set(listed["required"])
    body = ruled.json()
    assert ruled.status_code == 422 and body["code"] == "too_short"
    assert body["min_minutes"] == 15 and len(body["refusals"]) == 2
    for answer in (body, schemaed.json()):
        jsonschema.validate(answer, {**error, "components": {"schemas": schemas}})
    # Each documented property is in the answer as documented: a misspelt one would pass.
    assert set(error["properties"]) <= set(body)
    assert set(listed["properties"]) <= set(body["refusals"][0])


async def test_a_body_nested_too_deep_is_a_400_one_too_large_a_413_a_form_a_415(
        served: tuple[FastAPI, httpx.AsyncClient, dict[str, Any]]) -> None:
    app, http, document = served
    for context, _, operation in _routes(app):
        assert ("413" in operation["responses"]) == ("requestBody" in operation), (
            context.path_format)
        json_body = "application/json" in operation.get("requestBody", {}).get("content", {})
        assert ("415" in operation["responses"]) == json_body, context.path_format
        if "400" in operation["responses"]:
            assert "body_unreadable" in operation["responses"]["400"]["description"]
    if "/ask" not in document["paths"]:
        return
    operation = document["paths"]["/ask"]["post"]
    deep = await http.post("/ask", content=b'{"question": "hi", "x": ' + b"[" * 3000
                           + b"]" * 3000 + b"}", headers={"Content-Type": "application/json"})
    assert deep.status_code == 400 and deep.json()["code"] == "body_unreadable"
    jsonschema.validate(deep.json(), _schema(document, operation, 400))
    large = await http.post("/ask", content=b'{"question": "' + b"a" * (4 * 1024 * 1024)
                            + b'"}', headers={"Content-Type": "application/json"})
    assert large.status_code == 413 and large.json()["code"] == "body_too_large"
    jsonschema.validate(large.json(), _schema(document, operation, 413))
    assert "body_too_large" in operation["responses"]["413"]["description"]
    # A JSON body sent as a form: the documented 415.
    form = await http.post("/ask", content=b"question=hi",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415 and form.json()["code"] == "unsupported_media_type"
    jsonschema.validate(form.json(), _schema(document, operation, 415))
    assert "unsupported_media_type" in operation["responses"]["415"]["description"]


@pytest.mark.parametrize(("service", "model", "field", "kind"), [
    ("booking", "BookingIn", "starts_at", "date-time"),
    ("booking", "MoveIn", "ends_at", "date-time"),
    ("booking", "LoanIn", "starts_at", "date-time"),
    ("booking", "HoldIn", "starts_at", "date-time"),
    ("booking", "RepeatIn", "until", "date"),
    ("booking", "ExceptionIn", "day", "date"),
    ("events", "ActivityEventIn", "starts_at", "date-time"),
    ("events", "ActivityEventPatch", "ends_at", "date-time"),
])
def test_a_bodys_dates_say_the_years_they_are_taken_in(service: str, model: str, field: str,
                                                       kind: str) -> None:
    """As the query's dates do: the pattern takes the years `shared.bounds` takes."""
    schema = _app(service).openapi()["components"]["schemas"][model]["properties"][field]
    assert "Years 2000 to 2100 only" in schema["description"], schema
    pattern = next(o["pattern"] for o in [schema, *schema.get("anyOf", [])]
                   if o.get("format") == kind)
    time = "T23:59:59.5+02:00" if kind == "date-time" else ""
    for year, taken in ((1, False), (1999, False), (2000, True), (2100, True), (2101, False),
                        (9999, False)):
        assert bool(re.search(pattern, f"{year:04d}-01-31{time}")) is taken, (pattern, year)


#: Ways of writing a moment, taken and not: each as the server reads it decides.
MOMENTS = [
    "2026-12-07T10:00:00Z", "2026-12-07t10:00:00z", "2026-12-07 10:00:00Z",
    "2026-12-07_10:00:00+02:00", "2026-12-07T10:00:00.1234567Z", "2026-12-07T10:00Z",
    "2026-12-07T10:00:00,5-01:30", "2026-12-07T10:00:00+0200", "2100-12-31T23:59:59-12:00",
    "1700000000", "+01700000000.5", "946684800", "946684799", "4133980799", "4133980800",
    "946684800000", "4133980799999", "4133980800000", "19999999999",
    "1999-12-31T23:59:59Z", "2101-01-01T00:00:00Z", "2026-12-07T10:00:00",
    "2026-12-07T10Z", "2026-12-07T24:00:00Z", "2026-12-07T10:00:60Z", "2026-12-07T10:00:00.Z",
    "2026-12-07T10:00:00+24:00", "2026-12-07T10:00:00+02", "2026-12-07T10:00,5Z",
    "2026-12-07T10:00:00Z ", " 2026-12-07T10:00:00Z", "2026-12-07T10:00:00 Z",
    "20261207T100000Z", "1700000000e0", "-1",
]


@pytest.mark.parametrize("written", MOMENTS)
def test_the_moment_pattern_takes_what_the_server_takes(written: str) -> None:
    """The query's (and a body's) date-time pattern and the server agree on every way of
    writing a moment: lower-case t and z, a space, any fraction, a Unix time."""
    parameters = _app("events").openapi()["paths"]["/events"]["get"]["parameters"]
    start = next(p for p in parameters if p["name"] == "start")
    body = _app("booking").openapi()["components"]["schemas"]["BookingIn"]["properties"][
        "starts_at"]
    try:
        TypeAdapter(Moment).validate_python(written)
        taken = True
    except ValidationError:
        taken = False
    for schema in (start["schema"], body):
        strings = [o for o in schema["anyOf"] if o.get("type") == "string"]
        # RFC 3339's own form as `format: date-time`; the others the server takes beside it.
        assert [o.get("format") for o in strings] == ["date-time", None], schema
        documented = any(re.search(o["pattern"], written) for o in strings)
        assert documented is taken, (written, taken)
        if re.search(strings[0]["pattern"], written):
            assert jsonschema.Draft202012Validator(
                strings[0], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            ).is_valid(written), written


@given(st.data())
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_moment_the_pattern_writes_is_taken(data: st.DataObject) -> None:
    """What a generator writes from the pattern (as schemathesis does) the server takes (a
    31st of November aside, left to `format` as the dates' pattern leaves it)."""
    written = data.draw(st.one_of(
        st.from_regex(moment_pattern(MIN_YEAR, MAX_YEAR), fullmatch=True),
        st.from_regex(written_moment_pattern(MIN_YEAR, MAX_YEAR), fullmatch=True)))
    if re.match(r"[0-9]{4}-", written):
        try:
            date.fromisoformat(written[:10])
        except ValueError:
            assume(False)
    TypeAdapter(Moment).validate_python(written)
