"""A HEAD request is answered as its GET would be, without the body (`shared.pages.HeadAsGet`,
part of every service's `shared.service.create_app`), and the metrics name each request's
route whoever answered it: the route, the read cache's kept copy, HEAD's GET, or a form's
text made one line break per line. The real
services answer HEAD in services/events/tests/test_read_cache.py and
services/booking/tests/test_venue_page.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI, Form
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from prometheus_client import CollectorRegistry, Counter, Histogram

from shared.forms import FormText
from shared.observability import HttpMetrics
from shared.pages import HeadAsGet
from shared.readcache import PublicReadCacheMiddleware, ReadCache

pytestmark = pytest.mark.unit


class World:
    """A small application behind the same middlewares, in the same order, as a service."""

    def __init__(self) -> None:
        self.calls = 0
        self.cache = ReadCache("test")
        self.cache.live = True
        self.registry = CollectorRegistry()
        app = FastAPI()

        @app.get("/events/{event_id}")
        async def event(event_id: str) -> Response:
            self.calls += 1
            return JSONResponse({"id": event_id, "name": "Lukupiiri Männistössä"},
                                headers={"ETag": f'"{event_id}-1"'})

        @app.get("/feed")
        async def feed() -> StreamingResponse:
            async def parts() -> AsyncIterator[bytes]:
                for part in (b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n"):
                    yield part
            return StreamingResponse(parts(), media_type="text/calendar")

        @app.post("/bookings")
        async def book() -> dict[str, str]:
            return {"status": "requested"}

        @app.post("/desk/login")
        async def sign_in(token: str = Form()) -> dict[str, int]:
            return {"length": len(token)}

        app.add_middleware(PublicReadCacheMiddleware, cache=lambda: self.cache,
                           prefixes=("/events",), language=lambda _: "fi",
                           now=lambda _: datetime(2026, 12, 4, 10, tzinfo=UTC))
        app.add_middleware(FormText, page=lambda *_: HTMLResponse("", status_code=422))
        app.add_middleware(HeadAsGet)
        self.requests = Counter("http_requests_total", "requests",
                                ["method", "status", "handler"], registry=self.registry)
        latency = Histogram("http_request_duration_seconds", "latency", ["handler"],
                            registry=self.registry)
        app.add_middleware(HttpMetrics, requests=self.requests, latency=latency)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                      base_url="http://test")

    def counted(self, method: str, status: str, handler: str) -> float:
        value = self.registry.get_sample_value(
            "http_requests_total", {"method": method, "status": status, "handler": handler})
        return value or 0.0


@pytest.fixture
async def world() -> AsyncIterator[World]:
    w = World()
    yield w
    await w.http.aclose()


async def test_head_answers_the_gets_status_and_headers_without_its_body(world: World) -> None:
    got = await world.http.get("/events/e1")
    head = await world.http.head("/events/e1")
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "etag"):
        assert head.headers[name] == got.headers[name], name
    assert int(head.headers["content-length"]) == len(got.content) > 0
    # The read cache answered the HEAD from the GET's kept copy, and revalidates it as well.
    assert world.calls == 1
    again = await world.http.head("/events/e1", headers={"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and world.calls == 1


async def test_a_streamed_answer_is_cut_to_its_headers(world: World) -> None:
    head = await world.http.head("/feed")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/calendar")
    assert (await world.http.get("/feed")).text.startswith("BEGIN:VCALENDAR")


async def test_head_of_what_cannot_be_read_is_refused_as_its_get_is(world: World) -> None:
    refused = await world.http.head("/bookings")
    assert refused.status_code == 405 and refused.content == b""
    assert refused.headers["allow"] == "POST"
    assert (await world.http.head("/nowhere")).status_code == 404
    assert (await world.http.post("/bookings")).status_code == 200  # other methods untouched


async def test_the_metrics_name_the_route_whoever_answered(world: World) -> None:
    await world.http.get("/events/e1")  # the route itself (kept)
    await world.http.get("/events/e1")  # the kept copy
    await world.http.head("/events/e2")  # HEAD's GET, through the cache
    await world.http.head("/feed")  # HEAD's GET, not cached
    signed = await world.http.post("/desk/login", data={"token": "a\r\nb"})  # a form's text
    assert signed.json() == {"length": 3}
    assert world.counted("GET", "2xx", "/events/{event_id}") == 2
    assert world.counted("HEAD", "2xx", "/events/{event_id}") == 1
    assert world.counted("HEAD", "2xx", "/feed") == 1
    assert world.counted("POST", "2xx", "/desk/login") == 1
    assert world.counted("GET", "2xx", "none") == world.counted("HEAD", "2xx", "none") == 0
