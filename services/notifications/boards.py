"""HTTP feeds of a notice board for signage players: JSON Feed 1.1, RSS 2.0, iCalendar and the
large-print slideshow page. Each answers If-None-Match with 304.

Library screens must never go blank: every answer is also kept (per replica, the last good
one per URL) and, while the database is away, the last good content is served again
(``stale-if-error``: the board's own ``Cache-Control`` lets caches in front do the same, and
``X-Kohtaamo-Stale`` says how old it is). Only a board never served by this replica answers
503 then; the screen page's own refresh keeps its slides when a poll fails."""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.notifications import domain, feeds, usecases
from services.notifications.handlers import public_events_url
from services.notifications.reach_pages import follow_home
from services.notifications.routes import uow
from shared import announcements
from shared.clock import Clock
from shared.errors import Unavailable
from shared.http import etag_matches
from shared.ical import MEDIA_TYPE as ICAL_TYPE
from shared.pages import CSP, Lang, LangParam, page_route, public_link, script_hash
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["notice boards"])
log = logging.getLogger(__name__)

#: How long a cache in front (and this replica) may serve a board's last good content while
#: the database is away: a day, so a screen shows yesterday's programme rather than nothing.
STALE_IF_ERROR = 86400
#: Last good answers kept per replica (a board has four resources and a few languages).
LAST_GOOD_SIZE = 2048


class LastGood:
    """The last good body of each board resource (by path and query), least recently used
    dropped first."""

    def __init__(self, size: int = LAST_GOOD_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[str, str, str, float]] = OrderedDict()

    @staticmethod
    def key(request: Request) -> str:
        return request.url.path + "?" + "&".join(sorted(
            f"{k}={v}" for k, v in request.query_params.multi_items()))

    def put(self, request: Request, body: str, media_type: str, cache: str) -> None:
        key = self.key(request)
        self._entries[key] = (body, media_type, cache, time.time())
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def get(self, request: Request) -> tuple[str, str, str, float] | None:
        return self._entries.get(self.key(request))


LAST_GOOD = LastGood()

_TEMPLATES = Path(__file__).parent / "templates"
# The slide's macros are shared with the events service's organiser preview.
_env = Environment(loader=FileSystemLoader([_TEMPLATES, announcements.TEMPLATES]),
                   autoescape=select_autoescape(["html"]))
#: Which version of the page a player runs: when a refresh brings another, it reloads.
#: The screen's own policy: the shared one (`shared.pages.CSP`) plus exactly its inline script.
_SCRIPT = (_TEMPLATES / "board.html").read_text().split("<script>", 1)[1].split("</script>")[0]
_SCREEN_CSP = CSP.replace("script-src 'self'", f"script-src 'self' {script_hash(_SCRIPT)}")
_BUILD = hashlib.sha256(
    (_TEMPLATES / "board.html").read_bytes()
    + (announcements.TEMPLATES / "board_slide.html").read_bytes()).hexdigest()[:12]

_LANG = Query(None, description="fi, sv or en (a tag: sv-FI is sv); default: the board's first "
                                "language (Finnish where a text has no translation)")
_PAST = Query(False, description="also items that have already ended")


async def _load(pool: Any, clock: Clock, board_id: UUID,
                include_past: bool) -> usecases.BoardContent:
    # The same window as feed.json: today's earlier items stay until midnight in Helsinki.
    return await usecases.board_with_items(uow(pool), clock, board_id, include_past)


def _lang(board: dict[str, Any], lang: Lang | None) -> Lang:
    # `lang` was refused already unless it is ours; a board's languages were checked when
    # staff saved them, so Finnish here is only for a row no rule has seen.
    if lang is not None:
        return lang
    first = next(iter(board.get("languages") or []), "fi")
    return cast(Lang, first) if first in ("fi", "sv", "en") else "fi"


def _answer(request: Request, body: str, media_type: str, cache: str,
            stale_for: float | None = None) -> Response:
    tag = feeds.board_etag(body)
    headers = {"ETag": tag, "Cache-Control": f"{cache}, stale-if-error={STALE_IF_ERROR}"}
    if stale_for is not None:
        headers["X-Kohtaamo-Stale"] = f"{stale_for:.0f}"
    else:
        LAST_GOOD.put(request, body, media_type, cache)
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body.encode(), headers=headers, media_type=media_type)


async def _serve(request: Request,
                 render: Callable[[], Awaitable[tuple[str, str, str]]]) -> Response:
    """`render` gives (body, media type, Cache-Control); while the database is away, the
    last good answer for this URL instead (503 only if there is none)."""
    try:
        body, media_type, cache = await render()
    except Unavailable as exc:
        kept = LAST_GOOD.get(request)
        if kept is None:
            raise
        body, media_type, cache, at = kept
        log.warning("board served from its last good content", extra={
            "path": request.url.path, "stale_s": round(time.time() - at),
            "error": exc.message})
        return _answer(request, body, media_type, cache, stale_for=time.time() - at)
    return _answer(request, body, media_type, cache)


def _sibling(request: Request, name: str, **params: str) -> str:
    """The absolute URL of another resource of the same board (feed.json, screen)."""
    path = request.url.path.rsplit("/", 1)[0] + "/" + name
    return public_link(request, request.url.replace(path=path, query=urlencode(params)))


@router.get(
    "/boards/{board_id}/feed.json",
    response_class=Response,
    responses={200: {"content": {"application/feed+json": {}}}, 304: {}},
)
async def board_json_feed(board_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                          lang: LangParam | None = _LANG, include_past: bool = _PAST) -> Response:
    """JSON Feed 1.1 of today's and upcoming items, sorted by start. Cancelled and postponed
    items stay, marked. Staff's notices shown now come first (`_kohtaamo.type`: "notice",
    with `shown_from` and `shown_until`), in `lang` or Finnish."""
    async def render() -> tuple[str, str, str]:
        board, items, notices = await _load(pool, clock, board_id, include_past)
        document = domain.json_feed(board, items, _lang(board, lang), public_link(request),
                                    notices, events_url=public_events_url())
        return feeds.json_feed_body(document), "application/feed+json", "max-age=30"

    return await _serve(request, render)


@router.get(
    "/boards/{board_id}/feed.rss",
    response_class=Response,
    responses={200: {"content": {"application/rss+xml": {}}}, 304: {}},
)
async def board_rss(board_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                    lang: LangParam | None = _LANG,
                    include_past: bool = _PAST) -> Response:
    """RSS 2.0 of today's and upcoming items; cancelled and postponed ones are marked in the
    title, the guid is the activity event id."""
    async def render() -> tuple[str, str, str]:
        # RSS and iCalendar are the programme: staff's notices are in feed.json and on screen.
        board, items, _ = await _load(pool, clock, board_id, include_past)
        chosen = _lang(board, lang)
        body = feeds.rss(board, items, chosen, link=_sibling(request, "screen", lang=chosen),
                         self_url=public_link(request), events_url=public_events_url())
        return body, feeds.RSS_TYPE, "max-age=30"

    return await _serve(request, render)


@router.get(
    "/boards/{board_id}/feed.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 304: {}},
)
async def board_ics(board_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                    lang: LangParam | None = _LANG,
                    include_past: bool = _PAST) -> Response:
    """iCalendar of today's and upcoming items: UID `<event id>@kohtaamo`, SEQUENCE its
    revision, STATUS CANCELLED or TENTATIVE (postponed)."""
    async def render() -> tuple[str, str, str]:
        board, items, _ = await _load(pool, clock, board_id, include_past)
        return (feeds.ical(board, items, _lang(board, lang), events_url=public_events_url()),
                ICAL_TYPE, "max-age=30")

    return await _serve(request, render)


# The screen is a page: an unknown board or an odd query string is a page too, whoever asks.
screen_router = APIRouter(tags=["notice boards"], route_class=page_route(follow_home))


@screen_router.get(
    "/boards/{board_id}/screen",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}}, 304: {}},
)
async def board_screen(
    board_id: UUID,
    request: Request,
    pool: Pool,
    clock: CurrentClock,
    lang: LangParam | None = _LANG,
    include_past: bool = _PAST,
    seconds: int = Query(10, ge=2, le=300, description="seconds each activity is shown"),
    refresh: int = Query(60, ge=1, le=3600,
                         description="seconds between checks of feed.json for changes"),
) -> Response:
    """The board's slideshow for a signage player's browser (1920×1080, readable from
    three metres): staff's notices first, then one activity at a time, a clock,
    cancellations and postponements in a banner. It keeps itself current by polling
    feed.json with If-None-Match."""
    async def render() -> tuple[str, str, str]:
        board, items, notices = await _load(pool, clock, board_id, include_past)
        chosen = _lang(board, lang)
        params = {"lang": chosen, **({"include_past": "true"} if include_past else {})}
        # The ETag feed.json will have for the page's own request of it (its feed_url is the
        # URL asked), so the page's first poll is a 304; a mismatch costs one extra refresh.
        feed_doc = domain.json_feed(board, items, chosen,
                                    _sibling(request, "feed.json", **params), notices,
                                    events_url=public_events_url())
        view = feeds.screen(board, items, chosen, now=clock.now(), seconds=seconds,
                            refresh=refresh, feed_url="feed.json?" + urlencode(params),
                            feed_etag=feeds.board_etag(feeds.json_feed_body(feed_doc)),
                            notices=notices)
        body = _env.get_template("board.html").render(view=view, build=_BUILD)
        # no-cache: a player's reload always revalidates (a cheap 304 when nothing changed).
        return body, "text/html; charset=utf-8", "no-cache"

    response = await _serve(request, render)
    response.headers["Content-Security-Policy"] = _SCREEN_CSP
    return response
