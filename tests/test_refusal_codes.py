"""Every refusal body says what it is in a `code` (`shared.http.error_body`), and a body that
is not UTF-8 is a 400 saying so (`shared.http.unreadable_body`): a client branches on the
code, never on the English of `detail`.

The services are not started: nothing here reaches a database."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import jsonschema  # type: ignore[import-untyped]
import jwt
import pytest
from fastapi import FastAPI

from shared.auth import process_config
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Refusals,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
)
from shared.http import code_of, error_body, refusal_message
from tests.apps import unstarted_app
from tests.infra import bearer

pytestmark = pytest.mark.unit

#: Bytes no UTF-8 text holds, sent as JSON (the tester's `\x14\xff`).
NOT_UTF8 = b"\x14\xff"
AS_JSON = {"Content-Type": "application/json"}


def _app(service: str) -> FastAPI:
    return unstarted_app(service)


@pytest.fixture
async def booking() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app("booking")),
                                 base_url="http://kohtaamo.internal") as http:
        yield http


@pytest.mark.parametrize(("error", "code"), [
    (NotFound("no such venue"), "not_found"),
    (Forbidden("not yours"), "forbidden"),
    (Conflict("taken"), "conflict"),
    (Unauthenticated("who are you"), "unauthenticated"),
    (TooManyRequests("slow down"), "too_many_requests"),
    (Unavailable("down"), "unavailable"),
    (Invalid("too long", "title"), "invalid"),
    (DomainError("no"), "refused"),
])
def test_a_refusal_without_a_code_of_its_own_gets_its_kinds(error: DomainError,
                                                            code: str) -> None:
    assert error_body(error)["code"] == code


def test_a_refusals_own_code_is_kept() -> None:
    assert error_body(NotFound("no booking", code="no_booking"))["code"] == "no_booking"
    both = Refusals([Invalid("a", "x", code="too_long"), Invalid("b", "y")])
    assert error_body(both)["code"] == "too_long"


def test_each_entry_a_refusal_lists_is_said_by_its_own_rule() -> None:
    # A series' clashes: each time with its own rule's words, beside the whole refusal's.
    times = [{"starts_at": "2026-12-08T15:00:00Z", "code": "taken"},
             {"starts_at": "2026-12-15T15:00:00Z", "code": "conflict"}]
    whys = [NotFound("no such space"), Conflict("taken")]
    refused = Conflict("clashes", code="series_clash", conflicts=times).listing(
        "conflicts", whys)
    body = error_body(refused)
    assert [entry["starts_at"] for entry in body["conflicts"]] == [
        "2026-12-08T15:00:00Z", "2026-12-15T15:00:00Z"]
    assert [entry["message"] for entry in body["conflicts"]] == [
        refusal_message(why, "fi") for why in whys]
    assert len({entry["message"] for entry in body["conflicts"]}) == 2
    with pytest.raises(ValueError, match="one refusal for each entry"):
        Conflict("clashes", conflicts=times).listing("conflicts", [])


@pytest.mark.parametrize(("service", "path", "roles"), [
    ("booking", "/series", ("organiser",)),
    ("booking", "/loans", ("organiser",)),
    ("events", "/events", ("organiser",)),
])
async def test_a_json_body_not_utf8_is_a_400_that_says_so(service: str, path: str,
                                                          roles: tuple[str, ...]) -> None:
    app = _app(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        document = (await http.get("/openapi.json")).json()
        answer = await http.post(path, content=NOT_UTF8, headers={**AS_JSON, **bearer(*roles)})
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == "body_not_utf8"
    assert "UTF-8" in body["detail"]
    schema = document["paths"][path]["post"]["responses"]["400"]["content"][
        "application/json"]["schema"]
    jsonschema.validate(body, {**schema, "components": document["components"]})


async def test_a_token_not_valid_has_its_own_code(booking: httpx.AsyncClient) -> None:
    """Not `sign_in` (none given) and not the generic `unauthenticated`: a client tells a
    token to replace from a caller to send to sign in."""
    forged = await booking.post("/loans", content=b"{", headers={
        **AS_JSON, "Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    assert forged.json()["code"] == "token_invalid"
    config = process_config()
    old = jwt.encode({"sub": "x", "roles": [], "exp": int(time.time()) - 60,
                      "aud": config.audience, "iss": config.issuer},
                     config.secret, algorithm="HS256")
    expired = await booking.post("/loans", content=b"{", headers={
        **AS_JSON, "Authorization": f"Bearer {old}"})
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"
    anonymous = await booking.post("/loans", content=b"{", headers=AS_JSON)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "sign_in"


def test_the_documented_refusal_requires_a_code() -> None:
    document: dict[str, Any] = _app("booking").openapi()
    refusal = document["components"]["schemas"]["Refusal"]
    assert "code" in refusal["required"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"detail": "no such venue"}, refusal)
    jsonschema.validate(error_body(NotFound("no such venue")), refusal)


async def test_a_role_is_asked_the_same_way_by_every_service() -> None:
    """`shared.identity.require` is the one check of who may act: a use case of each service
    refuses the public with `sign_in` and a person without the role with `forbidden`, as a
    client reads them (booking's answered `role` before)."""
    from services.booking.usecases import hours as booking_hours
    from services.events import usecases as events
    from services.guide import usecases as guide
    from services.metrics import usecases as metrics
    from services.notifications import usecases as notifications
    from shared.identity import PUBLIC, Principal

    nobody = Principal(subject="someone", roles=frozenset({"organiser"}))
    calls = [
        lambda p: booking_hours.close_on_public_holidays(None, None, p, uuid4(), 2027),  # type: ignore[arg-type]
        lambda p: events.retire_term(None, None, p, "kind", "x"),  # type: ignore[arg-type]
        lambda p: metrics.import_populations(None, None, p, b""),  # type: ignore[arg-type]
        lambda p: notifications.list_deliveries(None, p),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(Unauthenticated) as public:
            await call(PUBLIC)
        with pytest.raises(Forbidden) as organiser:
            await call(nobody)
        assert (code_of(public.value), code_of(organiser.value)) == ("sign_in", "forbidden")
    for principal, refused in ((PUBLIC, Unauthenticated), (nobody, Forbidden)):
        with pytest.raises(refused):
            guide.require_staff(principal)


def test_only_a_misspelt_area_lists_the_known_ones() -> None:
    from shared.areas import AREAS
    from shared.http import refused_input

    def known(errors: list[dict[str, Any]]) -> Any:
        return json.loads(refused_input(errors, [], "fi").body).get("known")

    misspelt = {"type": "string_pattern_mismatch", "loc": ["body", "areas", 1], "msg": "x"}
    assert known([misspelt]) == sorted(AREAS)
    assert known([{**misspelt, "loc": ["query", "area"]}]) == sorted(AREAS)
    assert known([{**misspelt, "loc": ["query", "kind"]}]) is None
    assert known([{**misspelt, "type": "string_too_long"}]) is None
