"""The public read cache (shared/readcache.py) in front of a small application: what is kept,
for whom, and when it is forgotten. The real services and PostgreSQL's notifications are in
services/events/tests/test_read_cache.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from shared.readcache import Answer, PublicReadCacheMiddleware, ReadCache

NOW = datetime(2026, 12, 1, 10, 0, 5, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.calls = 0
        self.now = NOW
        self.cache = ReadCache("test", max_entries=3)
        self.cache.live = True
        self.during_call: Any = None

        async def events(request: Request) -> Response:
            self.calls += 1
            if self.during_call:
                self.during_call()
            return JSONResponse({"call": self.calls, "area": request.query_params.get("area")})

        async def page(request: Request) -> Response:
            self.calls += 1
            lang = request.cookies.get("kohtaamo_lang", "fi")
            return PlainTextResponse(f"<p>{lang} {self.calls}</p>")

        async def with_cookie(request: Request) -> Response:
            self.calls += 1
            response = PlainTextResponse("x")
            response.set_cookie("kohtaamo_lang", "sv")
            return response

        async def stable(request: Request) -> Response:
            self.calls += 1
            return PlainTextResponse("<p>Kalenteri</p>")

        async def last_good(request: Request) -> Response:
            self.calls += 1
            return PlainTextResponse("<p>eilinen</p>", headers={"X-Kohtaamo-Stale": "40"})

        async def written(request: Request) -> Response:
            return PlainTextResponse("ok", status_code=201)

        async def missing(request: Request) -> Response:
            self.calls += 1
            return PlainTextResponse("no", status_code=404)

        app = Starlette(routes=[Route("/events", events), Route("/calendar", page),
                                Route("/calendar/lang", with_cookie),
                                Route("/calendar/stable", stable),
                                Route("/calendar/last-good", last_good),
                                Route("/calendar/written", written, methods=["POST"]),
                                Route("/events/none", missing), Route("/private", events)])
        app.add_middleware(PublicReadCacheMiddleware, cache=lambda: self.cache,
                           prefixes=("/events", "/calendar"), language=self.language,
                           now=lambda _: self.now)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                      base_url="http://test")

    @staticmethod
    def language(scope: Scope) -> str:
        return Request(scope).cookies.get("kohtaamo_lang", "fi")


@pytest.fixture
async def world() -> Any:
    w = World()
    yield w
    await w.http.aclose()


async def test_a_public_answer_is_kept_and_revalidated_without_the_application(
        world: World) -> None:
    first = await world.http.get("/events", params={"area": "kuopio.jynkka"})
    again = await world.http.get("/events", params={"area": "kuopio.jynkka"})
    assert first.json() == again.json() == {"call": 1, "area": "kuopio.jynkka"}
    assert world.calls == 1 and (world.cache.hits, world.cache.misses) == (1, 1)
    tag = first.headers["etag"]
    assert tag == again.headers["etag"]
    revalidated = await world.http.get("/events", params={"area": "kuopio.jynkka"},
                                       headers={"If-None-Match": tag})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated.headers["etag"] == tag and world.calls == 1
    other = await world.http.get("/events", params={"area": "kuopio.pyoro"})
    assert other.json()["call"] == 2  # another question, another answer


async def test_a_kept_answer_revalidates_as_rfc_9110_compares_tags(world: World) -> None:
    """Weakly, in a list, or `*`: as browsers, proxies and the boards' players send them (a
    player that was handed a weak tag by a proxy still gets its 304)."""
    tag = (await world.http.get("/events")).headers["etag"]
    for header in (tag, f"W/{tag}", f'"other", {tag}', f'"other",W/{tag}', "*"):
        answer = await world.http.get("/events", headers={"If-None-Match": header})
        assert answer.status_code == 304, header
    for header in ('"other"', tag[:-2] + '"', ""):
        answer = await world.http.get("/events", headers={"If-None-Match": header})
        assert answer.status_code == 200 and answer.json()["call"] == 1, header
    assert world.calls == 1


async def test_a_revalidation_of_an_answer_not_kept_yet_is_a_304_too(world: World) -> None:
    tag = (await world.http.get("/calendar/stable")).headers["etag"]
    world.cache.changed()
    answer = await world.http.get("/calendar/stable",
                                  headers={"If-None-Match": f'"x", {tag}'})
    assert answer.status_code == 304 and world.calls == 2  # computed, same body, same tag


async def test_a_change_forgets_everything_and_a_late_answer_is_not_kept(world: World) -> None:
    await world.http.get("/events")
    world.cache.changed()
    assert (await world.http.get("/events")).json()["call"] == 2
    # A change commits while an answer is computed: that answer is not kept.
    world.during_call = world.cache.changed
    assert (await world.http.get("/events", params={"area": "a"})).json()["call"] == 3
    world.during_call = None
    assert (await world.http.get("/events", params={"area": "a"})).json()["call"] == 4
    assert (await world.http.get("/events", params={"area": "a"})).json()["call"] == 4


async def test_whatever_is_someones_own_passes_by(world: World) -> None:
    for headers in ({"Authorization": "Bearer x"},
                    {"Cookie": "kohtaamo_events_session=abc; kohtaamo_lang=fi"}):
        await world.http.get("/events", headers=headers)
        await world.http.get("/events", headers=headers)
    assert world.calls == 4 and len(world.cache) == 0
    await world.http.get("/private")
    await world.http.get("/private")
    assert world.calls == 6  # not under a public prefix


async def test_the_readers_language_and_the_minute_are_part_of_the_question(
        world: World) -> None:
    fi = await world.http.get("/calendar")
    sv = await world.http.get("/calendar", headers={"Cookie": "kohtaamo_lang=sv"})
    assert (fi.text, sv.text) == ("<p>fi 1</p>", "<p>sv 2</p>")
    assert (await world.http.get("/calendar", headers={"Cookie": "kohtaamo_lang=sv"})
            ).text == "<p>sv 2</p>"
    world.now = NOW + timedelta(seconds=30)  # the same minute
    assert (await world.http.get("/calendar")).text == "<p>fi 1</p>"
    world.now = NOW + timedelta(minutes=1)
    assert (await world.http.get("/calendar")).text == "<p>fi 3</p>"


async def test_refusals_and_answers_that_set_cookies_are_not_kept(world: World) -> None:
    for _ in range(2):
        assert (await world.http.get("/events/none")).status_code == 404
        assert (await world.http.get("/calendar/lang")).headers["set-cookie"]
    assert world.calls == 4 and len(world.cache) == 0


async def test_a_last_good_copy_served_during_an_outage_is_not_kept(world: World) -> None:
    """The database came back a moment later: the next reader gets the service's fresh
    answer, not the outage's copy for the rest of the minute."""
    for _ in range(2):
        answer = await world.http.get("/calendar/last-good")
        assert answer.status_code == 200 and answer.headers["x-kohtaamo-stale"] == "40"
    assert world.calls == 2 and len(world.cache) == 0


async def test_without_the_databases_word_nothing_is_kept_or_served(world: World) -> None:
    await world.http.get("/events")
    world.cache.live = False  # the listening connection is lost
    world.cache.changed()
    await world.http.get("/events")
    await world.http.get("/events")
    assert world.calls == 3 and len(world.cache) == 0


def test_the_oldest_answer_goes_first_when_full() -> None:
    cache = ReadCache("test", max_entries=2, max_bytes=10)
    cache.live = True
    for key, body in ((("a",), b"1234"), (("b",), b"1234"), (("c",), b"1234")):
        cache.put(key, Answer(200, [], body, b'"t"'), cache.generation)
    assert cache.get(("a",)) is None and cache.get(("c",)) is not None
    cache.put(("big",), Answer(200, [], b"x" * 11, b'"t"'), cache.generation)
    assert cache.get(("big",)) is None and len(cache) == 0  # over the byte budget alone


async def test_a_write_through_this_replica_is_read_back_at_once(world: World) -> None:
    await world.http.get("/events")
    refused = await world.http.post("/events/none")  # 405: a refused write changes nothing
    assert refused.status_code == 405
    assert (await world.http.get("/events")).json()["call"] == 1
    generation = world.cache.generation
    await world.http.post("/calendar/written")
    assert world.cache.generation == generation + 1
    assert (await world.http.get("/events")).json()["call"] == 2
