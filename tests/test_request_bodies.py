"""What a client sends that no route of ours takes, answered as a refusal and never a 5xx
(`shared.http.printable`, `shared.forms.FormText`): a JSON number JSON cannot write back
(NaN, Infinity, 1e400) was echoed in the 422's `detail` and made every service answer a
plain-text 500; a body of 10 or 30 MB was read whole and its refusal echoed it back whole.
A body over the service's limit (`KOHTAAMO_MAX_BODY_BYTES`) is 413 `body_too_large` before
a route reads it, said or streamed, JSON or a form, and what a refusal echoes is cut.

The services are not started: nothing here reaches a database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from shared.http import REFUSAL_TEXT, printable
from tests.apps import unstarted_app
from tests.test_boundaries import SERVICES

pytestmark = pytest.mark.unit

LIMIT = 64 * 1024


class Sent(BaseModel):
    name: str
    count: int


def _app(service: str) -> FastAPI:
    """The service's app (its middlewares and refusals), with `POST /sent` taking `Sent`."""
    app = unstarted_app(service, KOHTAAMO_MAX_BODY_BYTES=LIMIT)

    async def sent(body: Sent) -> dict[str, str]:
        return {"name": body.name}

    app.add_api_route("/sent", sent, methods=["POST"])
    return app


async def _post(app: FastAPI, content: bytes | AsyncIterator[bytes],
                **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        return await http.post("/sent", content=content, headers=headers)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
async def test_a_number_json_cannot_write_back_is_a_refusal_not_a_500(service: str,
                                                                     number: str) -> None:
    app = _app(service)
    for body in (f'{{"name": {number}, "count": 1}}', f'{{"name": "x", "count": {number}}}'):
        answer = await _post(app, body.encode(), **{"Content-Type": "application/json",
                                                    "Accept-Language": "en"})
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["code"] == "invalid" and answer.json()["message"]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_body_over_the_limit_is_413_before_a_route_reads_it(service: str) -> None:
    app = _app(service)
    big = b'{"name": "' + b"a" * LIMIT + b'", "count": 1}'
    said = await _post(app, big, **{"Content-Type": "application/json",
                                    "Accept-Language": "sv"})
    assert said.status_code == 413, said.text
    assert said.json()["code"] == "body_too_large" and said.json()["limit"] == LIMIT
    assert said.json()["message"] == REFUSAL_TEXT["body_too_large"]["sv"]
    assert said.headers["content-language"] == "sv"

    async def streamed() -> AsyncIterator[bytes]:  # no length said: chunked
        for start in range(0, len(big), 8192):
            yield big[start:start + 8192]
    chunked = await _post(app, streamed(), **{"Content-Type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["code"] == "body_too_large"

    form = b"name=" + b"a" * LIMIT + b"&count=1"
    page = await _post(app, form, **{"Content-Type": "application/x-www-form-urlencoded",
                                     "Accept": "text/html", "Accept-Language": "fi"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "Lähetetty sisältö on liian suuri" in page.text

    # Under the limit, the same body is the route's as before.
    fits = await _post(app, b'{"name": "' + b"a" * 1000 + b'", "count": 1}',
                       **{"Content-Type": "application/json"})
    assert fits.status_code == 200 and fits.json() == {"name": "a" * 1000}


async def test_a_refusal_echoes_a_cut_of_what_was_sent_not_all_of_it() -> None:
    app = _app("guide")
    sent = b'{"name": ["' + b'", "'.join([b"x" * 5000] * 12) + b'"]}'
    answer = await _post(app, sent, **{"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert len(answer.content) < len(sent) / 5, len(answer.content)
    assert printable(float("nan")) == "nan" and printable("ab" * 200).endswith("…")


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
async def test_a_json_body_in_utf16_or_utf32_is_400_body_not_utf8(service: str,
                                                                   encoding: str) -> None:
    """Python's `json.loads` reads UTF-16 and UTF-32 from bytes: such a body was taken, or,
    with a byte order mark before a broken text, refused as `invalid` JSON. The API says a
    JSON body is UTF-8 (RFC 8259 §8.1), so it is `body_not_utf8`, said or streamed."""
    app = _app(service)
    body = '{"name": "Neulamäki", "count": 1}'.encode(encoding)
    said = await _post(app, body, **{"Content-Type": "application/json",
                                     "Accept-Language": "fi"})
    assert said.status_code == 400, said.text
    assert said.json()["code"] == "body_not_utf8"
    assert said.json()["message"] == REFUSAL_TEXT["body_not_utf8"]["fi"]

    async def streamed() -> AsyncIterator[bytes]:  # the first bytes one at a time
        for start in range(len(body)):
            yield body[start:start + 1]
    chunked = await _post(app, streamed(), **{"Content-Type": "application/json"})
    assert chunked.status_code == 400 and chunked.json()["code"] == "body_not_utf8"
    bom_alone = await _post(app, b"\xff\xfe", **{"Content-Type": "application/json"})
    assert bom_alone.status_code == 400 and bom_alone.json()["code"] == "body_not_utf8"


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/merge-patch+json"])
async def test_utf8_json_with_or_without_its_mark_is_still_read(content_type: str) -> None:
    app = _app("events")
    headers = {"Content-Type": content_type}
    for body in ('{"name": "Neulamäki", "count": 1}'.encode(),
                 b"\xef\xbb\xbf" + '{"name": "Neulamäki", "count": 1}'.encode(),
                 b' {"name": "x", "count": 1}'):
        answer = await _post(app, body, **headers)
        assert answer.status_code == 200, (body, answer.text)
