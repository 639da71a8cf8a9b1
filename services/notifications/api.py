"""HTTP API of the notifications service: notice boards, their feeds and deliveries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from services.notifications import domain, store
from shared.contracts import LocalizedText
from shared.errors import NotFound
from shared.service import Pool

router = APIRouter()

Lang = Literal["fi", "sv", "en"]


class NoticeBoardOut(BaseModel):
    id: UUID
    venue_id: UUID | None
    area: str | None
    name: LocalizedText
    languages: list[str]
    feeds: dict[str, str]


class DeliveryOut(BaseModel):
    id: UUID
    activity_event_id: UUID
    channel: str
    target: str
    revision: int
    idempotency_key: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


def _board(row: Any) -> NoticeBoardOut:
    return NoticeBoardOut(
        id=row["id"], venue_id=row["venue_id"], area=row["area"],
        name=LocalizedText(**row["name"]), languages=list(row["languages"]),
        feeds={"json": f"/boards/{row['id']}/feed.json"},
    )


@router.get("/boards", tags=["notice boards"])
async def list_boards(pool: Pool, venue_id: UUID | None = None,
                      area: str | None = None) -> list[NoticeBoardOut]:
    async with pool.acquire() as conn:
        return [_board(r) for r in await store.list_boards(conn, venue_id, area)]


@router.get("/boards/{board_id}", tags=["notice boards"])
async def get_board(board_id: UUID, pool: Pool) -> NoticeBoardOut:
    async with pool.acquire() as conn:
        row = await store.get_board(conn, board_id)
    if row is None:
        raise NotFound("no such notice board", board_id=str(board_id))
    return _board(row)


@router.get(
    "/boards/{board_id}/feed.json",
    tags=["notice boards"],
    response_class=Response,
    responses={200: {"content": {"application/feed+json": {}}}, 304: {}},
)
async def board_feed(
    board_id: UUID,
    request: Request,
    pool: Pool,
    lang: Lang = "fi",
    include_past: bool = Query(False, description="also items that have already ended"),
) -> Response:
    """JSON Feed 1.1 of what is coming at the board's venue, for signage players: today's
    and upcoming items (all with `include_past=true`), sorted by start, in `lang` (Finnish
    where a text has no translation). Cancelled and postponed items stay, marked."""
    # Today's earlier items stay on the board until midnight in Helsinki.
    since = None if include_past else domain.feed_since(datetime.now(UTC))
    async with pool.acquire() as conn:
        board = await store.get_board(conn, board_id)
        if board is None:
            raise NotFound("no such notice board", board_id=str(board_id))
        items = await store.board_items(conn, board_id, since)
    document = domain.json_feed(dict(board), [dict(i) for i in items], lang,
                                str(request.url))
    tag = domain.etag(document)
    headers = {"ETag": tag, "Cache-Control": "max-age=30"}
    if domain.etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(json.dumps(document, ensure_ascii=False), headers=headers,
                    media_type="application/feed+json")


@router.get("/deliveries", tags=["deliveries"])
async def list_deliveries(
    pool: Pool,
    activity_event_id: UUID | None = None,
    channel: str | None = None,
    status: Literal["pending", "sending", "published", "failed", "unconfirmed",
                    "cancelled"] | None = None,
) -> list[DeliveryOut]:
    async with pool.acquire() as conn:
        rows = await store.list_deliveries(conn, {"activity_event_id": activity_event_id,
                                                  "channel": channel, "status": status})
    return [DeliveryOut(**{k: r[k] for k in DeliveryOut.model_fields}) for r in rows]
