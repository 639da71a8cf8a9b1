"""A domain rule's refusal names its field where the request gave it (`shared.http`): a
rule about `?to=` is the query's `to`, an id in the address the path's, anything else the
body's, in FastAPI's own shape so clients read one format."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from shared.errors import Invalid, Refusals
from shared.http import install_error_handlers

pytestmark = pytest.mark.unit


class Period(BaseModel):
    days: int


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/report/{code}")
    async def report(code: str, start: str = "", end: str = "") -> dict[str, str]:
        if code == "x":
            raise Invalid("no such report", field="code")
        if end and end <= start:
            raise Invalid("`end` must be after `start`", field="end")
        return {}

    @app.post("/periods")
    async def period(body: Period) -> dict[str, str]:
        raise Invalid("too long", field="days")

    @app.post("/people")
    async def person(body: dict[str, dict[str, str]]) -> dict[str, str]:
        # Every broken rule at once, one of them about a nested field.
        raise Refusals([Invalid("give a name", field="organiser.name"),
                        Invalid("accept the rules", field="accept_house_rules"),
                        Invalid("an https address", field="photos.0.url")])

    return app


@pytest.mark.parametrize(("method", "url", "json", "loc"), [
    ("GET", "/report/a?start=2026-02&end=2026-01", None, ["query", "end"]),
    ("GET", "/report/x", None, ["path", "code"]),
    ("POST", "/periods", {"days": 9}, ["body", "days"]),
])
async def test_a_rules_refusal_names_where_its_field_came_from(
        method: str, url: str, json: dict[str, int] | None, loc: list[str]) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        answer = await http.request(method, url, json=json)
    assert answer.status_code == 422
    assert [e["loc"] for e in answer.json()["detail"]] == [loc]


async def test_every_refusal_is_listed_and_a_nested_field_is_named_as_fastapi_names_it(
        ) -> None:
    """A `Refusals` is one entry per rule in `detail`; "organiser.name" is the loc
    ["body", "organiser", "name"] and "photos.0.url" ["body", "photos", 0, "url"], as
    FastAPI's own validation names the same fields."""
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        answer = await http.post("/people", json={"organiser": {"name": ""}})
    assert answer.status_code == 422
    assert [(e["loc"], e["msg"]) for e in answer.json()["detail"]] == [
        (["body", "organiser", "name"], "give a name"),
        (["body", "accept_house_rules"], "accept the rules"),
        (["body", "photos", 0, "url"], "an https address")]  # a list's place a number
    assert [r["field"] for r in answer.json()["refusals"]] == [
        "organiser.name", "accept_house_rules", "photos.0.url"]
