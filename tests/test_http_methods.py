"""The HTTP edge of every service, as `shared.service.create_app` wires it: which methods an
address takes (`shared.methods`), and that a route needing a signed-in caller says so before
anything about the input (`shared.auth.SignedIn`, `shared.http`).

- ``OPTIONS`` names every method of every route of the address (HEAD with GET, OPTIONS), and
  so does a 405's ``Allow``: Starlette named only the first route's ("Allow: GET" on
  ``/venues/{id}``, which PATCH takes too).
- A method a literal address does not take is a 405, not the 422 of a parameter's route the
  method fell through to (``DELETE /venues/{id}/exceptions/public-holidays`` named ``day``).
- An anonymous caller of a protected route hears 401 whatever it sent: FastAPI read a body
  that was no JSON before any dependency ran, and answered its 422 first.

The services are not started: nothing here may reach a database, and reaching one fails the
test (`_NoDatabase`)."""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.routing import iter_route_contexts

from shared.methods import dependants
from tests.apps import unstarted_app
from tests.infra import bearer
from tests.test_boundaries import SERVICES

pytestmark = pytest.mark.unit

VENUE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
BROWSER = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
#: A body that says it is JSON and is not: FastAPI reads it before any dependency runs.
NOT_JSON = b'{"name": '
AS_JSON = {"Content-Type": "application/json"}
#: A refused method's and an anonymous caller's JSON, said in Finnish (no language asked).
METHOD_NOT_TAKEN = "Osoite on oikea, mutta se ei ota vastaan tällaista pyyntöä."
SIGN_IN = {"detail": "sign in first", "code": "sign_in", "message": "Kirjaudu ensin sisään."}


class _NoDatabase:
    """The pool of a service that is not started: a request that reaches it fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the request reached the database ({name})")


def _app(service: str) -> FastAPI:
    return unstarted_app(service, _NoDatabase)


@pytest.fixture(params=SERVICES)
def service(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


async def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://127.0.0.1")


@pytest.fixture
async def booking() -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(_app("booking")) as http:
        yield http


@pytest.fixture
async def notifications() -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(_app("notifications")) as http:
        yield http


@pytest.fixture
async def metrics() -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(_app("metrics")) as http:
        yield http


def _methods(allow: str) -> list[str]:
    return [m.strip() for m in allow.split(",")]


# --- OPTIONS and Allow --------------------------------------------------------------------


async def test_options_names_every_method_of_the_address(booking: httpx.AsyncClient) -> None:
    """`/venues/{id}` is read (GET) and changed (PATCH) by two routes: both are named, with
    HEAD for GET and OPTIONS itself. It was a 405 naming GET alone."""
    answer = await booking.options(f"/venues/{VENUE}")
    assert answer.status_code == 204 and answer.content == b""
    assert answer.headers["allow"] == "GET, HEAD, PATCH, OPTIONS"


async def test_options_of_an_address_no_route_has_is_404(booking: httpx.AsyncClient) -> None:
    answer = await booking.options("/nowhere/at/all")
    assert answer.status_code == 404 and "allow" not in answer.headers


async def test_a_405_names_every_method_of_the_address(booking: httpx.AsyncClient) -> None:
    answer = await booking.post(f"/venues/{VENUE}", json={})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, HEAD, PATCH, OPTIONS"
    assert answer.json() == {"detail": "Method Not Allowed", "code": "method_not_allowed",
                             "message": METHOD_NOT_TAKEN}
    assert answer.headers["vary"] == "Accept, Accept-Language, Cookie"


def _sample(route: Any) -> str | None:
    """An address `route` takes: each parameter given the first of a few values its
    validation takes, None when none does."""
    fields = _path_fields(route.dependant)
    values: dict[str, str] = {}
    for name in route.param_convertors:
        for candidate in (VENUE, "2026-12-01", "2026", "fi", "abc123", "x", "topic"):
            field = fields.get(name)
            if field is None or not request_params_to_args([field], {name: candidate})[1]:
                values[name] = candidate
                break
        else:
            return None
    address = route.path_format
    for name, value in values.items():
        address = address.replace("{" + name + "}", value)
    return address if route.path_regex.match(address) else None


def _path_fields(dependant: Dependant) -> dict[str, Any]:
    return {p.alias: p for current in dependants(dependant) for p in current.path_params}


async def test_options_names_the_methods_of_every_route_of_every_service(service: str) -> None:
    """For each route, OPTIONS at an address it takes names its methods (others' too)."""
    app = _app(service)
    routes = [c for c in iter_route_contexts(app.routes)
              if c.methods and getattr(c, "dependant", None) is not None]
    assert len(routes) > 10
    async with await _client(app) as http:
        for route in routes:
            address = _sample(route)
            assert address is not None, f"no address for {route.path_format}"
            answer = await http.options(address)
            assert answer.status_code == 204, (address, answer.status_code)
            named = _methods(answer.headers["allow"])
            methods = set(route.methods or ())
            expected = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
            assert expected <= set(named), (route.path_format, named)


# --- a literal address before a parameter's route -------------------------------------------


@pytest.mark.parametrize(("token", "method", "address", "allow"), [
    (None, "DELETE", f"/venues/{VENUE}/exceptions/public-holidays", "POST, OPTIONS"),
    ("desk", "DELETE", f"/venues/{VENUE}/exceptions/public-holidays", "POST, OPTIONS"),
    (None, "GET", "/bookings/holds", "POST, OPTIONS"),
    ("organiser", "GET", "/bookings/holds", "POST, OPTIONS"),
])
async def test_a_method_a_literal_address_does_not_take_is_405_in_booking(
        booking: httpx.AsyncClient, token: str | None, method: str, address: str,
        allow: str) -> None:
    """`DELETE …/exceptions/{day}` and `GET /bookings/{booking_id}` would take these
    addresses only as a day and a booking id their validation refuses (a 422 naming `day`,
    or the caller's 401 first): the address is the literal route's, and it takes POST."""
    headers = bearer(token, venues=(UUID(VENUE),)) if token else {}
    answer = await booking.request(method, address, headers=headers)
    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == allow
    assert answer.json() == {"detail": "Method Not Allowed", "code": "method_not_allowed",
                             "message": METHOD_NOT_TAKEN}
    assert (await booking.options(address)).headers["allow"] == allow


async def test_a_method_a_literal_address_does_not_take_is_405_in_metrics(
        metrics: httpx.AsyncClient) -> None:
    """`POST /feedback/{event_id}` (the survey's form) would take it only as an event id
    "answers", refused with a 422 page naming `event_id`."""
    answer = await metrics.post("/feedback/answers", data={"satisfaction": "5"})
    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == "GET, HEAD, OPTIONS"
    assert answer.json() == {"detail": "Method Not Allowed", "code": "method_not_allowed",
                             "message": METHOD_NOT_TAKEN}


@pytest.mark.parametrize(("lang", "title", "detail"), [
    ("fi", "Tätä ei voi tehdä tässä osoitteessa",
     "Osoite on oikea, mutta se ei ota vastaan tällaista pyyntöä."),
    ("sv", "Det går inte att göra så på den här adressen",
     "Adressen stämmer, men den tar inte emot en sådan begäran."),
    ("en", "This cannot be done at this address",
     "The address is right, but it does not take this kind of request."),
])
async def test_a_browser_gets_the_405_as_a_page_in_its_language(
        metrics: httpx.AsyncClient, lang: str, title: str, detail: str) -> None:
    answer = await metrics.post(f"/feedback/answers?lang={lang}", data={"satisfaction": "5"},
                                headers=BROWSER)
    assert answer.status_code == 405
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["allow"] == "GET, HEAD, OPTIONS"
    assert f'<html lang="{lang}">' in answer.text and f"<h1>{title}</h1>" in answer.text
    assert f"<p>{detail}</p>" in answer.text
    assert 'href="/dashboard?lang=' + lang + '"' in answer.text  # the way on


async def test_a_value_the_parameter_takes_still_reaches_its_route(
        booking: httpx.AsyncClient) -> None:
    """A day is a day: the removal of its exception is reached (and refuses the anonymous)."""
    day = await booking.delete(f"/venues/{VENUE}/exceptions/2026-12-24")
    assert day.status_code == 401 and "allow" not in day.headers
    assert (await booking.options(f"/venues/{VENUE}/exceptions/2026-12-24")
            ).headers["allow"] == "DELETE, OPTIONS"


# --- authentication before the input -------------------------------------------------------


@pytest.mark.parametrize(("address", "body"), [
    (f"/venues/{VENUE}", NOT_JSON),
    (f"/venues/{VENUE}", b'{"no_such_field": 1}'),
    ("/venues/not-a-venue", b'{"name": {"fi": ""}}'),
], ids=["no JSON", "refused fields", "refused id"])
async def test_an_anonymous_patch_of_a_venue_is_401_whatever_it_sent(
        booking: httpx.AsyncClient, address: str, body: bytes) -> None:
    answer = await booking.patch(address, content=body, headers=AS_JSON)
    assert answer.status_code == 401, answer.text
    assert answer.json() == SIGN_IN
    assert answer.headers["www-authenticate"] == "Bearer"
    # A browser is told on a page, in its language, as of every refusal.
    page = await booking.patch(f"{address}?lang=sv", content=body, headers={**AS_JSON, **BROWSER})
    assert page.status_code == 401 and "<h1>Logga in först</h1>" in page.text


async def test_a_forged_token_is_401_before_a_body_that_is_no_json(
        booking: httpx.AsyncClient) -> None:
    answer = await booking.patch(f"/venues/{VENUE}", content=NOT_JSON,
                                 headers={**AS_JSON, "Authorization": "Bearer forged"})
    assert answer.status_code == 401 and "invalid token" in answer.json()["detail"]


async def test_a_signed_in_caller_hears_about_the_input(booking: httpx.AsyncClient) -> None:
    """Signed in, the body's refusal is said as before: nothing else changed."""
    answer = await booking.patch(f"/venues/{VENUE}", content=NOT_JSON,
                                 headers={**AS_JSON, **bearer("desk", venues=(UUID(VENUE),))})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "json_invalid"


def _calls(route: Any) -> set[Callable[..., Any]]:
    """Every dependency `route` runs (none for a mount or the method gate)."""
    return {current.call for current in dependants(getattr(route, "dependant", None))}


def _reads_caller(app: FastAPI) -> dict[tuple[str, str], set[Callable[..., Any]]]:
    """Each route (method and template) that reads who is asking, with which dependency."""
    from shared.auth import current_principal, signed_in

    found: dict[tuple[str, str], set[Callable[..., Any]]] = {}
    for route in iter_route_contexts(app.routes):
        if calls := _calls(route) & {current_principal, signed_in}:
            for method in route.methods or ():
                found[(method, str(route.path_format))] = calls
    return found


#: The routes that read who is asking but are open to everyone (the public sees less).
OPEN_TO_ALL = {
    "booking": {("GET", "/spaces/{space_id}/calendar.ics")},
    "events": {("GET", "/events"), ("GET", "/events/{event_id}"), ("GET", "/events.ics"),
               ("GET", "/events.rss"), ("GET", "/events.atom")},
    "guide": {("POST", "/conversations")},
    "metrics": set(),
    "notifications": set(),
}


@pytest.mark.parametrize("name", SERVICES)
def test_every_route_that_reads_the_caller_needs_one_signed_in_or_is_open_to_all(
        name: str) -> None:
    """A route whose use case refuses the public must say so in its signature (`SignedIn`),
    or its input's refusals reach an anonymous caller first; the others are named above."""
    from shared.auth import current_principal

    reads = _reads_caller(_app(name))
    assert reads
    open_ones = {route for route, calls in reads.items() if calls == {current_principal}}
    assert open_ones == OPEN_TO_ALL[name]


@pytest.mark.parametrize("name", SERVICES)
async def test_every_signed_in_route_refuses_the_anonymous_before_its_input(name: str) -> None:
    """Each route needing a signed-in caller, at an address it takes and at one whose ids its
    validation refuses, with a body that is no JSON: 401, and nothing reached the database."""
    from shared.auth import signed_in

    app = _app(name)
    protected = [r for r in iter_route_contexts(app.routes) if signed_in in _calls(r)]
    assert protected
    async with await _client(app) as http:
        for route in protected:
            address = _sample(route)
            assert address is not None, route.path_format
            refused_ids = re.sub(r"{[^}]+}", "not-an-id", str(route.path_format))
            for at in (address, refused_ids):
                for method in route.methods or ():
                    answer = await http.request(method, at, content=NOT_JSON,
                                                headers=AS_JSON)
                    assert answer.status_code == 401, (method, at, answer.text)
                    assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("name", SERVICES)
def test_no_route_reads_the_caller_in_its_body(name: str) -> None:
    """Who is asking is a route's dependency (`SignedIn`, `CurrentPrincipal`), never
    `principal_from(request)` in its body: by then FastAPI has judged the id and the body,
    and an anonymous caller heard their 422 (notifications' registration settings did)."""
    readers = [str(route.path_format) for route in iter_route_contexts(_app(name).routes)
               if (endpoint := getattr(route, "endpoint", None)) is not None
               and "principal_from(" in inspect.getsource(endpoint)]
    assert readers == []


@pytest.mark.parametrize("path", ["settings", "attendance"])
async def test_the_registration_settings_are_the_json_apis(
        notifications: httpx.AsyncClient, path: str) -> None:
    """`PUT /registrations/{id}/settings` and `…/attendance` answer a program in JSON: 401
    to the anonymous whatever it sent, then the input's refusals by field (they were pages)."""
    program = {"Accept": "application/json", **AS_JSON}
    for at in (f"/registrations/{VENUE}/{path}", f"/registrations/not-an-id/{path}"):
        for body in (NOT_JSON, b'{"capacity": "x", "present": ["x"]}'):
            answer = await notifications.put(at, content=body, headers=program)
            assert answer.status_code == 401, (at, answer.text)
            assert answer.json() == SIGN_IN
    field = {"settings": "capacity", "attendance": "present"}[path]
    signed = {**program, **bearer("admin")}
    refused = await notifications.put(f"/registrations/{VENUE}/{path}", headers=signed,
                                      content=b'{"%s": ["x"]}' % field.encode())
    assert refused.status_code == 422
    assert refused.headers["vary"] == "Accept, Accept-Language, Cookie"
    assert {tuple(e["loc"][:2]) for e in refused.json()["detail"]} == {("body", field)}
    no_id = await notifications.put(f"/registrations/not-an-id/{path}", json={},
                                    headers=signed)
    assert no_id.status_code == 422
    assert no_id.json()["detail"][0]["loc"] == ["path", "event_id"]


@pytest.mark.parametrize("service", ["booking", "notifications"])
async def test_a_trailing_slash_is_redirected_by_a_relative_address_never_the_host(
        service: str) -> None:
    """`/bookings/holds/` and `/boards/` lead to their address without the slash, written
    relative: the request's Host (here another site's) is no part of any answer."""
    path = {"booking": "/bookings/holds/", "notifications": "/boards/"}[service]
    async with await _client(_app(service)) as http:
        answer = await http.post(path + "?lang=sv", headers={"Host": "evil.example"})
        assert answer.status_code == 307, answer.text
        assert answer.headers["location"] == path.rstrip("/") + "?lang=sv"
        # A path that starts like a network address stays on this site.
        odd = await http.get("//evil.example/", headers={"Host": "evil.example"})
        assert not odd.headers.get("location", "/").startswith("//")
        # An address no route has, slash or not, is still a 404.
        assert (await http.get("/no-such-page/")).status_code == 404
        # An encoded slash is no slash to take away: redirected, the address would name
        # itself, and a browser would follow it for ever.
        for encoded in ("%2f", "%2F"):
            sent = await http.get(path.rstrip("/") + encoded + "?lang=fi",
                                  headers={"Accept": "text/html"})
            assert sent.status_code in (404, 405, 422), (encoded, sent.status_code)
            assert "location" not in sent.headers
