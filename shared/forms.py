"""What a browser's form sends, made the text the routes check, once for every service.

A browser sends every line break of a form's text as CR LF (the HTML standard's form
submission), while its `maxlength` counted one character a line: a 500-character description
in ten paragraphs arrives as 510 and was refused as too long, with what was typed lost. And a
urlencoded body is decoded by Starlette with undecodable bytes made "�", which was stored
and published. So, before any route reads a urlencoded body:

- a line break is one LF, as the page counted it (`%0D%0A` and a lone `%0D` become `%0A`);
- a field whose name or value is not UTF-8 is refused with a 422 naming it (a page for a
  browser, FastAPI's JSON shape for a client), and no route sees the form, so nothing of it
  is stored.

And any body, a form's or JSON, over the service's limit (`KOHTAAMO_MAX_BODY_BYTES`) is
refused with 413 `body_too_large` before a route reads it: a 30 MB body was read whole and
its refusal echoed it back whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import cast
from urllib.parse import unquote_to_bytes

from fastapi import HTTPException
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http import (
    REFUSAL_VARY,
    Refused,
    edge_body,
    reader_language,
    refused_input,
    said,
    wants_html,
)
from shared.observability import route_back

#: A refusal shown to a browser: `(request, status, fields to fix, headers)` (shared.http's
#: ErrorPage, the same page every other refusal outside the page routers gets).
Page = Callable[[Request, int, list[str] | None, dict[str, str] | None], Response]

_CRLF = re.compile(rb"%0D%0A|%0D(?!%0A)", re.IGNORECASE)


#: Starlette's limit of one form field (1 MB), lifted (as `max_part_size`, of `request.form`
#: or a route's `form_limits`) for the forms that refuse a field too long by its own input,
#: naming its limit, with the form as typed: past it a field (only by tampering: every input
#: has its maxlength) was Starlette's bare 400. The whole body stays bounded by the
#: service's limit (`KOHTAAMO_MAX_BODY_BYTES`, the 413 above, before any route reads it).
WHOLE_FIELD = 2**62


def one_line_break(body: bytes) -> bytes:
    """`body` (urlencoded) with each CR LF, and each CR alone, sent as one LF."""
    return _CRLF.sub(b"%0A", body.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))


def undecodable_fields(body: bytes) -> list[str]:
    """The names of the fields of `body` (urlencoded) whose name or value is not UTF-8, in
    order and once each; a name that is not UTF-8 itself is given with "�" for its bytes."""
    found: list[str] = []
    for field in body.split(b"&"):
        name, _, value = field.partition(b"=")
        raw_name = unquote_to_bytes(name.replace(b"+", b" "))
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
            raw_name.decode("utf-8")
        except UnicodeDecodeError:
            shown = raw_name.decode("utf-8", "replace")
            if shown not in found:
                found.append(shown)
    return found


def _body_of(scope: Scope) -> tuple[bool, int | None]:
    """Whether the body is a urlencoded form, and the length it says it has (None: not
    said, or not a number: the server reads it as it comes)."""
    form, length = False, None
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            form = _media_type(value) == b"application/x-www-form-urlencoded"
        elif key == b"content-length" and value.isdigit():
            length = int(value)
    return form, length


def _media_type(value: bytes) -> bytes:
    return value.split(b";")[0].strip().lower()


def _read_as_json(scope: Scope) -> bool:
    """Whether FastAPI reads the body as JSON: it is said to be JSON (`application/json`,
    `…+json`)."""
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            media = _media_type(value)
            return media == b"application/json" or media.endswith(b"+json")
    return False


def utf16_or_32(head: bytes) -> bool:
    """Whether a JSON body's first bytes are UTF-16 or UTF-32 (a byte order mark, or a NUL
    among the first four: JSON text starts with an ASCII character). Python's `json.loads`
    reads those encodings from bytes, so a UTF-16 body was taken, or refused as "invalid"
    JSON, where the API says a JSON body is UTF-8 (RFC 8259 §8.1: `body_not_utf8`)."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]


class FormUnread(ValueError):
    """A posted form Starlette would not read (over `max_fields` fields, or a field over
    1 MB): the page's own refusal (413, in its language), where Starlette's 400 was a bare
    page, or JSON, saying nothing of the form."""


async def read_form(request: Request, max_fields: int = 1000) -> FormData:
    """The posted form, or `FormUnread` where Starlette refuses to read it; a body over the
    service's limit stays the edge's own refusal (`BodyTooLarge`)."""
    try:
        return await request.form(max_fields=max_fields)
    except StarletteHTTPException as exc:
        if exc.status_code != 400:
            raise
        raise FormUnread(str(exc.detail)) from exc


class BodyTooLarge(HTTPException):
    """A body over the service's limit, found as it came in: the route's reading of it ends
    here, and the edge's refusal (`shared.http.EDGE_CODE`: 413 `body_too_large`) answers."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over {limit} bytes")


def _answering_pages(routes: Sequence[BaseRoute]) -> Iterator[tuple[BaseRoute, Page]]:
    """The routes of `routes` that answer only pages (`shared.pages.page_route`: they have
    a `refused_page`), those of routers included in them too (a router's sign-in pages:
    FastAPI keeps an included router as one route of its own, `original_router`, where
    older versions copied its routes in)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _answering_pages(included.routes)
        elif callable(page := getattr(route, "refused_page", None)):
            yield route, cast(Page, page)


class FormText:
    """ASGI middleware: a urlencoded body's line breaks as LF, undecodable text refused."""

    def __init__(self, app: ASGIApp, page: Page, max_body: int = 4 * 1024 * 1024,
                 page_routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.page = page
        self.max_body = max_body
        #: The routes that answer only pages (`shared.pages.page_route`): their refusals
        #: here are their own pages, whoever asks, as their documents say (a program
        #: posting the feedback form without `Accept: text/html` was answered JSON, and a
        #: browser got the service's front page's way on, not the form's).
        self.page_routes = list(_answering_pages(page_routes))

    def _page(self, scope: Scope) -> Page | None:
        """How the route the request is for says a refusal as a page, if it answers only
        pages; else, for a browser, the service's page; else None (JSON)."""
        for route, page in self.page_routes:
            if route.matches(scope)[0] is Match.FULL:
                return page
        return self.page if wants_html(Request(scope)) else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        form, length = _body_of(scope)
        if length is not None and length > self.max_body:
            await self._too_large(scope)(scope, receive, send)
            return
        if not form:
            reading = receive if length is not None else self._counted(receive)
            await self.app(scope, _utf8_json(reading) if _read_as_json(scope) else reading,
                           send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: there is no form to answer
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                await self._too_large(scope)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if refused := undecodable_fields(body):
            await self._refuse(scope, refused)(scope, receive, send)
            return
        body = one_line_break(body)
        # The length the routes read is the body they get.
        inner = {**scope, "headers": [
            *((k, v) for k, v in scope["headers"] if k != b"content-length"),
            (b"content-length", str(len(body)).encode())]}
        given = False

        async def once() -> Message:
            nonlocal given
            if given:
                return await receive()  # after the body, only a disconnect can come
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(inner, once, send)
        route_back(scope, inner)

    def _counted(self, receive: Receive) -> Receive:
        """`receive` for a body that does not say its length (chunked): ended by the edge's
        413 once it passes the limit, the route's reading of it never finishing."""
        size = 0

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            size += len(message.get("body", b""))
            if size > self.max_body:
                raise BodyTooLarge(self.max_body)
            return message
        return counted

    def _too_large(self, scope: Scope) -> Response:
        request = Request(scope)
        if (page := self._page(scope)) is not None:
            answer = page(request, 413, None, {"Connection": "close"})
            answer.headers["Vary"] = REFUSAL_VARY
            return answer
        lang = reader_language(request)
        return said({**edge_body(BodyTooLarge(self.max_body), lang), "limit": self.max_body},
                    413, lang, {"Connection": "close"})

    def _refuse(self, scope: Scope, fields: list[str]) -> Response:
        request = Request(scope)
        # Each input named with why (`string_unicode`): "Kommentti: kirjoita tavallista
        # tekstiä", not "check this".
        refused: list[str] = [Refused(name, "string_unicode") for name in fields]
        if (page := self._page(scope)) is None:
            return refused_input([{"loc": ["body", name], "msg": "must be text in UTF-8",
                                   "type": "value_error"} for name in fields],
                                 refused, reader_language(request))
        answer = page(request, 422, refused, None)
        answer.headers["Vary"] = REFUSAL_VARY
        return answer


def _utf8_json(receive: Receive) -> Receive:
    """`receive` for a JSON body, ending the route's reading of one in UTF-16 or UTF-32
    (`utf16_or_32`) with the `UnicodeDecodeError` FastAPI turns into its 400, which the edge
    says as `body_not_utf8` (`shared.http.unreadable_body`)."""
    head = b""

    async def checked() -> Message:
        nonlocal head
        message = await receive()
        if len(head) < 4 and message["type"] == "http.request":
            head += message.get("body", b"")[:4 - len(head)]
            if (len(head) >= 4 or not message.get("more_body", False)) and utf16_or_32(head):
                raise UnicodeDecodeError("utf-8", head, 0, 1,
                                         "a JSON body is UTF-8 (RFC 8259), not UTF-16 or -32")
        return message
    return checked
