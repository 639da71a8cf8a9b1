"""Odd input is a 422 naming the field, never a 500 and never seconds of work: NUL bytes and
lone surrogates in any text, years 1 and 9999 in every date and time, integers past int32 and
int64, null for a value a venue always has, a non-list where a list goes."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest

from services.booking.app import spec

from .test_api import ADMIN, KANTTI, MAIJA, TOMORROW, booking, venue

pytestmark = pytest.mark.infra

ODD_TEXT = ["a\x00b", "\ud800"]
ODD_MOMENTS = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]
ODD_DAYS = ["0001-01-01", "9999-12-31"]
HUGE = [2**31, 2**63, -(2**63) - 1]


def raw(value: Any) -> bytes:
    """JSON as a client may send it: a lone surrogate as its \\ud800 escape."""
    return json.dumps(value).encode()


async def refused(client: Any, method: str, path: str, field: str, *, json_body: Any = None,
                  params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
                  ) -> None:
    r = await client.request(method, path, content=None if json_body is None else raw(
        json_body), params=params, headers={"Content-Type": "application/json",
                                            **(headers or {})})
    assert r.status_code == 422, (method, path, field, r.status_code, r.text)
    if r.headers["content-type"].startswith("text/html"):  # a page: the input, named
        assert f'data-field="{field}"' in r.text, (path, field, r.text)
        return
    locations = [".".join(str(p) for p in d["loc"]) for d in r.json()["detail"]]
    assert any(field in loc for loc in locations), (field, locations)


async def test_odd_input_is_refused_naming_the_field(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    good = booking(stage)

    for text in ODD_TEXT:
        await refused(client, "POST", "/bookings", "title", json_body={**good, "title": text},
                      headers=MAIJA)
        await refused(client, "POST", "/bookings", "organiser", json_body={
            **good, "organiser": {"name": text, "email": "a@example.fi"}}, headers=MAIJA)
        await refused(client, "POST", "/bookings", "library_contact",
                      json_body={**good, "library_contact": text}, headers=MAIJA)
        await refused(client, "POST", "/venues", "name", json_body={
            **KANTTI, "name": {"fi": text}}, headers=ADMIN)
        await refused(client, "POST", "/venues", "municipality", json_body={
            **KANTTI, "municipality": text}, headers=ADMIN)
        await refused(client, "PATCH", f"/venues/{v['id']}", "address",
                      json_body={"address": text}, headers=desk)
        await refused(client, "POST", f"/venues/{v['id']}/resources", "name",
                      json_body={"name": {"fi": "x", "sv": text}, "quantity": 1},
                      headers=desk)
    # In a query string: NUL, and the bytes a lone surrogate would be (not UTF-8, read as
    # U+FFFD, which is text but no area).
    for encoded in ("a%00b", "%ED%A0%80"):
        await refused(client, "GET", f"/venues?area={encoded}", "area")
    # The desk is a page: its refusal is a page naming the input.
    await refused(client, "GET", "/desk?day=a%00b", "day", headers=desk)

    for moment in ODD_MOMENTS:
        for name in ("starts_at", "ends_at"):
            await refused(client, "POST", "/bookings", name, json_body={**good, name: moment},
                          headers=MAIJA)
            await refused(client, "POST", "/bookings/holds", name, json_body={
                "space_id": stage, "starts_at": good["starts_at"],
                "ends_at": good["ends_at"], name: moment}, headers=MAIJA)
            await refused(client, "POST", "/series", name, json_body={
                **good, name: moment, "repeat": {"count": 2}}, headers=MAIJA)
            await refused(client, "POST", "/loans", name, json_body={
                "resource_id": stage, "quantity": 1, "starts_at": good["starts_at"],
                "ends_at": good["ends_at"], name: moment}, headers=MAIJA)
        await refused(client, "GET", f"/venues/{v['id']}/open", "at", params={"at": moment})
        await refused(client, "GET", "/first-available", "after",
                      params={"space_id": stage, "after": moment})
    for day in ODD_DAYS:
        await refused(client, "GET", f"/spaces/{stage}/free-slots", "day", params={"day": day})
        await refused(client, "GET", f"/venues/{v['id']}/hours", "week", params={"week": day})
        await refused(client, "GET", "/desk/bookings", "day", params={"day": day},
                      headers=desk)
        await refused(client, "POST", f"/venues/{v['id']}/exceptions", "day",
                      json_body={"day": day}, headers=desk)
        await refused(client, "POST", "/series", "until", json_body={
            **good, "repeat": {"until": day}}, headers=MAIJA)
        await refused(client, "POST", "/series/00000000-0000-0000-0000-000000000000/cancel",
                      "from", json_body={}, params={"from": day}, headers=desk)
        r = await client.get("/desk", params={"day": day}, headers=desk)
        assert r.status_code == 422, r.text

    for number in HUGE:
        await refused(client, "POST", f"/venues/{v['id']}/resources", "quantity",
                      json_body={"name": {"fi": "x"}, "quantity": number}, headers=desk)
        await refused(client, "PUT", f"/spaces/{stage}/rules", "max_open_requests",
                      json_body={"max_open_requests": number}, headers=desk)
        await refused(client, "POST", f"/venues/{v['id']}/spaces", "capacity",
                      json_body={"name": {"fi": "x"}, "capacity": number}, headers=desk)
        await refused(client, "GET", "/first-available", "min_capacity",
                      params={"min_capacity": number})
        await refused(client, "POST", "/series", "count", json_body={
            **good, "repeat": {"count": number}}, headers=MAIJA)

    # A longest booking shorter than the shortest names the longest (it was the body).
    await refused(client, "PUT", f"/spaces/{stage}/rules", "body.max_minutes",
                  json_body={"min_minutes": 120, "max_minutes": 60}, headers=desk)
    await refused(client, "POST", f"/venues/{v['id']}/spaces", "body.rules.max_minutes",
                  json_body={"name": {"fi": "Sali"}, "rules": {"min_minutes": 120,
                                                               "max_minutes": 60}},
                  headers=desk)
    await refused(client, "POST", "/venues", "body.spaces.0.rules.max_minutes", json_body={
        **KANTTI, "spaces": [{"name": {"fi": "Sali"}, "rules": {"min_minutes": 120,
                                                                "max_minutes": 60}}]},
        headers=ADMIN)
    for name in ("name", "contact", "languages", "area"):
        await refused(client, "PATCH", f"/venues/{v['id']}", "body", json_body={name: None},
                      headers=desk)
    await refused(client, "PUT", f"/venues/{v['id']}/hours", "weekly",
                  json_body={"weekly": "mon 9-17"}, headers=desk)
    await refused(client, "POST", "/venues", "spaces", json_body={**KANTTI, "spaces": {}},
                  headers=ADMIN)
    await refused(client, "POST", "/venues", "languages", json_body={
        **KANTTI, "languages": "fi"}, headers=ADMIN)
    await refused(client, "POST", f"/venues/{v['id']}/spaces", "equipment",
                  json_body={"name": {"fi": "x"}, "equipment": "projector"}, headers=desk)
    # Still whole after all that: the venue reads as it did.
    after = (await client.get(f"/venues/{v['id']}")).json()
    assert after["name"] == v["name"] and after["revision"] == 2


async def test_no_query_makes_the_service_compute_for_seconds(start_service) -> None:
    client = await start_service(spec)
    v, _ = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Leiri"}, "rules": {"overnight": True, "max_minutes": 24 * 60 * 7}}]})
    camp = v["spaces"][0]["id"]
    started = time.process_time()
    assert (await client.get(f"/spaces/{camp}/free-slots",
                             params={"days": 100000})).status_code == 422
    assert (await client.get("/first-available", params={"within_days": 100000})
            ).status_code == 422
    assert (await client.get("/desk/bookings", params={"days": 10**9},
                             headers=ADMIN)).status_code == 422
    assert (await client.get("/first-available", params={
        "area": "kuopio.keskusta", "within_days": 60, "minutes": 60})).status_code == 200
    long_hold = await client.post("/bookings/holds", headers=MAIJA, json={
        "space_id": camp, "starts_at": TOMORROW.isoformat(),
        "ends_at": (TOMORROW + timedelta(days=365 * 70)).isoformat()})
    assert long_hold.status_code == 422
    assert time.process_time() - started < 5
