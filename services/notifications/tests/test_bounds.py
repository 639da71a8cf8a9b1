"""A sweep of odd input over every write endpoint and query parameter of the notifications API:
NUL bytes and lone surrogates in text, null where a value is required, a non-list where a list
is expected, integers past int32 and int64. Each is a 422 naming the field, never a 5xx, and
nothing is stored."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest

from services.notifications.app import spec
from services.notifications.tests.test_board_kinds import told
from tests.infra import bearer

pytestmark = pytest.mark.infra

ADMIN = bearer("admin")

ACCOUNT = {"platform": "mastodon", "name": "Kirjasto", "base_url": "https://mastodon.example",
           "account_ref": "", "secret_ref": "env:KOHTAAMO_CHANNEL_KIRJASTO",
           "languages": ["fi"], "areas": ["kuopio.nilsia"], "venue_ids": [str(uuid4())],
           "kinds": ["open_guided"], "reminder_hours": 24, "enabled": True}
BOARD = {"area": "kuopio.nilsia", "name": {"fi": "Nilsiä"}, "languages": ["fi"],
         "kinds": ["open_guided"]}
SETTINGS = {"languages": ["fi"], "kinds": ["open_guided"]}

NUL, SURROGATE = "a\x00b", "a\ud800b"
TEXT = [NUL, SURROGATE]
BIG = [2**31, 2**63, 2**70, -(2**63) - 1]
NULLABLE = {"areas", "venue_ids", "kinds", "reminder_hours", "remote_url"}


def odd_values(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """(field, odd value) for every field of `body`, by the field's type."""
    cases: list[tuple[str, Any]] = []
    for field, value in body.items():
        # null where the field takes none; where it does, an object instead
        cases.append((field, {}) if field in NULLABLE else (field, None))
        if isinstance(value, bool):
            cases.append((field, "maybe"))
        elif isinstance(value, int):
            cases += [(field, n) for n in BIG]
        elif isinstance(value, str):
            cases += [(field, v) for v in TEXT]
        elif isinstance(value, list):
            cases += [(field, "kuopio.nilsia"), (field, {"0": value[0]})]
            cases += [(field, [v]) for v in TEXT]
        elif isinstance(value, dict):
            cases += [(field, [value]), (field, {**value, "fi": NUL}),
                      (field, {**value, "sv": SURROGATE}), (field, {**value, "fi": None})]
    return cases


def payload(body: dict[str, Any]) -> bytes:
    # ensure_ascii: a lone surrogate travels as the JSON escape \ud800, as a client sends it.
    return json.dumps(body, ensure_ascii=True).encode()


async def test_every_write_endpoint_refuses_odd_input_naming_the_field(start_service) -> None:
    client = await start_service(spec)
    # The board's kind as the events service tells its vocabulary (a board takes no other).
    await told(client.runtime.pool, "open_guided")
    board = await client.post("/boards", headers=ADMIN, json=BOARD)
    assert board.status_code == 201, board.text
    board_id = board.json()["id"]
    endpoints: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/channels", ACCOUNT),
        ("PUT", f"/channels/{uuid4()}", ACCOUNT),
        ("POST", "/boards", BOARD),
        ("PUT", f"/boards/{board_id}/settings", SETTINGS),
        ("POST", f"/deliveries/{uuid4()}/confirm", {"remote_url": "https://m.example/1"}),
    ]
    tried = 0
    for method, path, body in endpoints:
        for field, value in odd_values(body):
            response = await client.request(
                method, path, headers={**ADMIN, "content-type": "application/json"},
                content=payload({**body, field: value}))
            where = f"{method} {path} {field}={value!r}"
            assert response.status_code == 422, (where, response.status_code, response.text)
            locs = [e["loc"] for e in response.json()["detail"]]
            assert any(loc[:2] == ["body", field] for loc in locs), (where, locs)
            tried += 1
    assert tried > 100
    channels = await client.get("/channels", headers=ADMIN)
    assert channels.json() == []
    assert len((await client.get("/boards")).json()) == 1


@pytest.mark.parametrize(("path", "param"), [
    ("/boards", "area"), ("/deliveries", "channel"), ("/staff", "lang")])
async def test_query_parameters_are_bounded_too(start_service, path: str, param: str) -> None:
    client = await start_service(spec)
    # (A lone surrogate cannot travel in a URL: its UTF-8 bytes do not decode to one.)
    for value in (NUL, "x" * 5000):
        response = await client.get(path, headers=ADMIN, params={param: value})
        assert response.status_code == 422, (path, param, value[:10], response.text)
        if path == "/staff":  # a page: its refusal is a page naming the input
            assert response.headers["content-type"].startswith("text/html")
            assert f'data-field="{param}"' in response.text
        else:
            assert response.json()["detail"][0]["loc"] == ["query", param]


async def test_a_screens_numbers_are_bounded(start_service) -> None:
    client = await start_service(spec)
    await told(client.runtime.pool, "open_guided")
    board = (await client.post("/boards", headers=ADMIN, json=BOARD)).json()
    screen = f"/boards/{board['id']}/screen"
    assert (await client.get(screen)).status_code == 200
    for param in ("seconds", "refresh"):
        for value in (*BIG, 0, "NaN", "1e400"):
            response = await client.get(screen, params={param: str(value)})
            assert response.status_code == 422, (param, value, response.text)
            # The screen is a page: the refusal is a page naming the number to fix.
            assert response.headers["content-type"].startswith("text/html")
            assert f'data-field="{param}"' in response.text
