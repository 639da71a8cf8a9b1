"""Public reads answered from memory until the data behind them changes (issue #20).

Residents' browsers and a thousand notice boards ask the same few questions over and over
(`/events?area=…`, `/events.ics`, `/calendar`, an event's page, a board's `feed.json` every
half minute); each answer costs a query and a rendering. A replica keeps the rendered
answer to a *public* GET (no bearer token, no session cookie) and answers the next identical
request from memory, and a revalidation (`If-None-Match`) with a 304 without touching the
database.

Invalidation comes from PostgreSQL itself: the service's migrations put a statement trigger
on every table its public answers read, which calls ``pg_notify('<channel>', '')``. A
notification is delivered only when the writing transaction commits, so a replica that hears
it clears its answers and bumps its generation; an answer that was being computed when the
change committed is stored under the generation it started in, which is no longer current,
so it is never served. While the listening connection is down (a database outage) nothing is
kept or served from memory. Answers that depend on the time of day are keyed by the minute,
so none is older than the minute its `Cache-Control: max-age=60` promises.

A write answered by this replica (any POST, PUT, PATCH or DELETE it did not refuse) makes
it forget at once, so a person reads their own change on the replica they wrote through;
the others follow the database's notification a few milliseconds later.

Only whole 200 answers without `Set-Cookie` (or `X-Kohtaamo-Stale`: a last good copy served
during an outage) are kept; the application never sees
`If-None-Match` for a cacheable request (it answers in full, and the ETag, its own or the
body's hash, is compared here), so the HTML pages revalidate as the JSON does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http import etag_matches
from shared.observability import route_back

log = logging.getLogger(__name__)

#: Answers with any of these headers are not kept: one that sets a cookie is someone's own,
#: and one a service served from its last good copy while the database was away
#: (`X-Kohtaamo-Stale`, the boards) would otherwise outlive the outage by up to a minute.
_NOT_KEPT = (b"set-cookie", b"x-kohtaamo-stale")

#: Headers of a kept answer that a 304 repeats (RFC 9110 §15.4.5).
_REVALIDATION_HEADERS = (b"etag", b"cache-control", b"vary", b"content-location", b"expires")


def channel_of(service: str) -> str:
    """The notification channel a service's triggers call when its public data changes."""
    return f"kohtaamo_{service}_public_changes"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    #: The route the router matched for it, named again by the metrics on every hit.
    route: Any = None


class ReadCache:
    """The kept answers of one replica, cleared whenever the service's data changes."""

    def __init__(self, channel: str, max_entries: int = 2048,
                 max_bytes: int = 64 * 1024 * 1024, max_body: int = 4 * 1024 * 1024) -> None:
        self.channel = channel
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_body = max_body
        #: Bumped by every change heard; an answer is kept only under the one it began in.
        self.generation = 0
        #: Listening to the database: only then are answers kept and served.
        self.live = False
        self.hits = 0
        self.misses = 0
        self._answers: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self._bytes = 0

    @property
    def enabled(self) -> bool:
        return self.live and self.max_entries > 0

    def changed(self, *_: object) -> None:
        """The database said a public table changed (or the listener was lost)."""
        self.generation += 1
        self._answers.clear()
        self._bytes = 0

    def get(self, key: tuple[Any, ...]) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple[Any, ...], answer: Answer, generation: int) -> None:
        if (not self.enabled or generation != self.generation
                or len(answer.body) > self.max_body):
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._answers[key] = answer
        self._bytes += len(answer.body)
        while self._answers and (len(self._answers) > self.max_entries
                                 or self._bytes > self.max_bytes):
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._answers)

    async def listen(self, dsn: str, retry: float = 1.0) -> None:
        """Run for the replica's life: LISTEN on the channel; on a lost connection, stop
        keeping answers, forget them, and listen again."""
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(dsn)
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _, lost=lost: lost.set())
                await conn.add_listener(self.channel, self.changed)
                self.changed()  # whatever changed while nobody listened
                self.live = True
                await lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is down: serve without memory
                log.warning("public read cache not listening", extra={"error": repr(exc)})
            finally:
                self.live = False
                self.changed()
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), 2)
            await asyncio.sleep(retry)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


class PublicReadCacheMiddleware:
    """Answers public GETs under `prefixes` from `cache` (see the module's docstring).

    `language` tells which language the reader chose (pages answer in it, from the query,
    a cookie or Accept-Language); `now` gives the service's clock, for the minute key;
    `public_cookies` are cookies that do not make a request personal (the language one)."""

    def __init__(self, app: ASGIApp, cache: Callable[[], ReadCache | None],
                 prefixes: Sequence[str], language: Callable[[Scope], str],
                 now: Callable[[Scope], datetime],
                 public_cookies: Sequence[str] = ("kohtaamo_lang",)) -> None:
        self.app = app
        self.cache = cache
        self.prefixes = tuple(prefixes)
        self.language = language
        self.now = now
        self.public_cookies = tuple(public_cookies)

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        if not scope["path"].startswith(self.prefixes):
            return False
        if _header(scope, b"authorization") is not None:
            return False
        cookie = _header(scope, b"cookie")
        if cookie:
            names = {part.split(b"=", 1)[0].strip().decode("latin-1")
                     for part in cookie.split(b";") if part.strip()}
            if names - set(self.public_cookies):
                return False  # a session: the answer may be someone's own
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.cache()
        if (cache is not None and scope["type"] == "http"
                and scope["method"] not in ("GET", "HEAD", "OPTIONS")):
            await self._write(cache, scope, receive, send)
            return
        if cache is None or not cache.enabled or not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        moment = self.now(scope)
        key = (scope["path"], scope.get("query_string", b""), self.language(scope),
               _header(scope, b"accept") or b"", moment.replace(second=0, microsecond=0))
        wanted = _header(scope, b"if-none-match")
        answer = cache.get(key)
        if answer is not None:
            cache.hits += 1
            if answer.route is not None:
                scope["route"] = answer.route
            await _send(send, answer, wanted)
            return
        cache.misses += 1
        generation = cache.generation
        # The application answers in full: revalidation is decided here, on the kept answer.
        inner = dict(scope)
        inner["headers"] = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(inner, receive, keep)
        route_back(scope, inner)
        body = b"".join(chunks)
        headers = [(bytes(k).lower(), bytes(v)) for k, v in start.get("headers", [])]
        status = int(start.get("status", 500))
        etag = next((v for k, v in headers if k == b"etag"), None)
        if status == 200 and etag is None:
            etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
            headers.append((b"etag", etag))
        answer = Answer(status, headers, body, etag or b"", inner.get("route"))
        if status == 200 and not any(k in _NOT_KEPT for k, _ in headers):
            cache.put(key, answer, generation)
        await _send(send, answer, wanted if status == 200 else None)


    async def _write(self, cache: ReadCache, scope: Scope, receive: Receive,
                     send: Send) -> None:
        """A write through this replica: once it is answered, this replica forgets at once,
        so whoever wrote reads their own change here without waiting for the database's
        notification (which tells the other replicas)."""
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if status < 400:
                cache.changed()


async def _send(send: Send, answer: Answer, wanted: bytes | None) -> None:
    if wanted is not None and answer.etag and etag_matches(wanted.decode("latin-1"),
                                                            answer.etag.decode("latin-1")):
        headers = [(k, v) for k, v in answer.headers if k in _REVALIDATION_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": answer.status,
                "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})
