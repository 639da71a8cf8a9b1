"""HTTP API of the notifications service: notice boards, their feeds and deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter
from pydantic import AnyUrl, BaseModel, ConfigDict, Field

from services.notifications import store
from services.notifications.secrets import check_secret_ref, secrets_dir
from shared.auth import CurrentPrincipal, Principal, require
from shared.contracts import LocalizedText
from shared.errors import Conflict, Invalid, NotFound
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
    #: Kinds of activity the board shows; None: every kind.
    kinds: list[str] | None = None


class DeliveryOut(BaseModel):
    id: UUID
    activity_event_id: UUID | None
    booking_id: UUID | None
    account_id: UUID | None
    purpose: str
    channel: str
    target: str
    revision: int
    idempotency_key: str
    status: str
    attempts: int
    last_error: str | None
    error_class: str | None
    due_at: datetime
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    remote_url: str | None
    decided_by: str | None
    #: The rendered post (an email's body too; never its address).
    content: dict[str, Any] | None


def _board(row: Any) -> NoticeBoardOut:
    return NoticeBoardOut(
        id=row["id"], venue_id=row["venue_id"], area=row["area"],
        name=LocalizedText(**row["name"]), languages=list(row["languages"]),
        feeds={kind: f"/boards/{row['id']}/{path}" for kind, path in (
            ("json", "feed.json"), ("rss", "feed.rss"), ("ical", "feed.ics"),
            ("screen", "screen"))},
        kinds=list(row["kinds"]) if row["kinds"] is not None else None,
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


STAFF = ("communications", "admin")
Status = Literal["pending", "sending", "published", "failed", "unconfirmed", "cancelled"]
LangCode = Literal["fi", "sv", "en"]
Code = Field(pattern=r"^[a-z0-9_.-]+$", max_length=100)


def _delivery(row: Any) -> DeliveryOut:
    return DeliveryOut(**{k: row[k] for k in DeliveryOut.model_fields})


@router.get("/deliveries", tags=["deliveries"])
async def list_deliveries(
    pool: Pool,
    principal: CurrentPrincipal,
    activity_event_id: UUID | None = None,
    channel: str | None = None,
    status: Status | None = None,
) -> list[DeliveryOut]:
    """Deliveries, newest first: every board item, post and email with its state. For
    communications staff: emails to organisers are among them."""
    require(principal, *STAFF)
    async with pool.acquire() as conn:
        rows = await store.list_deliveries(conn, {"activity_event_id": activity_event_id,
                                                  "channel": channel, "status": status})
    return [_delivery(r) for r in rows]


@router.get("/deliveries/attention", tags=["deliveries"])
async def deliveries_needing_attention(pool: Pool, principal: CurrentPrincipal,
                                       ) -> dict[str, Any]:
    """What communications staff must decide: failed and unconfirmed deliveries, and accounts
    whose token the platform refused (their queue waits)."""
    require(principal, *STAFF)
    async with pool.acquire() as conn:
        rows = await store.needs_attention(conn)
        accounts = [a for a in await store.list_accounts(conn) if a["state"] != "active"]
    return {"deliveries": [_delivery(r) for r in rows],
            "accounts": [_account(a) for a in accounts]}


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: With confirm: the post's address on the platform, if known.
    remote_url: AnyUrl | None = None


async def decide(pool: Any, principal: Principal, delivery_id: UUID, action: str,
                 remote_url: str | None = None) -> DeliveryOut:
    """retry: failed or unconfirmed (the person checked it is not there) → due now;
    cancel: pending, failed or unconfirmed → cancelled; confirm: unconfirmed → published (the
    person saw it on the platform)."""
    require(principal, *STAFF)
    to, allowed = {
        # Not a cancelled one: it was superseded by a newer text, or a person dropped it.
        "retry": ("pending", ("failed", "unconfirmed")),
        "cancel": ("cancelled", ("pending", "failed", "unconfirmed")),
        "confirm": ("published", ("unconfirmed",)),
    }[action]
    async with pool.acquire() as conn, conn.transaction():
        row = await store.get_delivery(conn, delivery_id, for_update=True)
        if row is None:
            raise NotFound("no such delivery", delivery_id=str(delivery_id))
        if row["purpose"] == "board":
            raise Conflict("a notice board pulls its items: nothing to retry or cancel")
        if action == "retry" and row["channel"] == "email" and row["recipient"] is None:
            raise Conflict("the organiser's address was erased when the email ended; the "
                           "booking desk can contact them")
        if action == "retry" and row["content"] is None:
            # Nothing was rendered (e.g. Instagram and no image): only a change of the
            # activity event, which plans a new delivery, can help.
            raise Conflict(f"nothing to send: {row['last_error'] or 'the post was not made'}")
        if row["status"] not in allowed:
            raise Conflict(f"a {row['status']} delivery cannot be given '{action}'",
                           status=row["status"])
        await store.decide(conn, delivery_id, to=to, allowed_from=allowed,
                           who=principal.subject or "staff", remote_url=remote_url)
        updated = await store.get_delivery(conn, delivery_id)
    return _delivery(updated)


@router.post("/deliveries/{delivery_id}/retry", tags=["deliveries"])
async def retry_delivery(delivery_id: UUID, pool: Pool,
                         principal: CurrentPrincipal) -> DeliveryOut:
    return await decide(pool, principal, delivery_id, "retry")


@router.post("/deliveries/{delivery_id}/cancel", tags=["deliveries"])
async def cancel_delivery(delivery_id: UUID, pool: Pool,
                          principal: CurrentPrincipal) -> DeliveryOut:
    return await decide(pool, principal, delivery_id, "cancel")


@router.post("/deliveries/{delivery_id}/confirm", tags=["deliveries"])
async def confirm_delivery(delivery_id: UUID, pool: Pool, principal: CurrentPrincipal,
                           body: DecisionIn | None = None) -> DeliveryOut:
    url = str(body.remote_url) if body and body.remote_url else None
    return await decide(pool, principal, delivery_id, "confirm", url)


# --- channel accounts -----------------------------------------------------------------------

Platform = Literal["facebook", "instagram", "mastodon", "bluesky", "email"]


class ChannelAccountIn(BaseModel):
    """A social account or the email sender. The token is not given here: `secret_ref` says
    where the service finds it (`env:KOHTAAMO_CHANNEL_<NAME>` or a file in the channels'
    secret folder)."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform
    name: str = Field(min_length=1, max_length=200)
    #: API root (https://graph.facebook.com/v21.0, https://mastodon.example,
    #: https://bsky.social) or, for email, smtp://host:port / smtps://host:port.
    base_url: AnyUrl
    #: Facebook page id, Instagram user id, Bluesky handle, or the email From address.
    account_ref: str = Field("", max_length=300)
    #: env:KOHTAAMO_CHANNEL_<NAME> or file:<KOHTAAMO_CHANNEL_SECRETS_DIR>/<name> (secrets.py).
    secret_ref: str = Field(max_length=500)
    languages: list[LangCode] = Field(default=["fi"], min_length=1)
    areas: list[str] | None = None
    venue_ids: list[UUID] | None = None
    kinds: list[str] | None = None
    reminder_hours: int | None = Field(None, gt=0, le=24 * 14)
    enabled: bool = True


class ChannelAccountOut(ChannelAccountIn):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    base_url: str  # type: ignore[assignment]
    state: str
    state_detail: str | None
    paused_until: datetime | None


def _account(row: Any) -> ChannelAccountOut:
    data = dict(row)
    for key in ("areas", "venue_ids", "kinds", "languages"):
        data[key] = list(data[key]) if data[key] is not None else None
    return ChannelAccountOut(**data)


def _account_data(body: ChannelAccountIn) -> dict[str, Any]:
    if body.platform == "email" and body.base_url.scheme not in ("smtp", "smtps"):
        raise Invalid("an email account's base_url is smtp://host:port or smtps://host:port",
                      field="base_url")
    if body.platform != "email" and body.base_url.scheme not in ("http", "https"):
        raise Invalid("a social account's base_url is its API's https:// address",
                      field="base_url")
    if body.platform in ("facebook", "instagram", "bluesky", "email") and not body.account_ref:
        raise Invalid(f"a {body.platform} account needs account_ref", field="account_ref")
    problem = check_secret_ref(body.secret_ref, secrets_dir())
    if problem:
        raise Invalid(problem, field="secret_ref")
    data = body.model_dump()
    data["base_url"] = str(body.base_url).rstrip("/")
    return data


@router.get("/channels", tags=["channel accounts"])
async def list_channels(pool: Pool, principal: CurrentPrincipal,
                        platform: Platform | None = None) -> list[ChannelAccountOut]:
    require(principal, *STAFF)
    async with pool.acquire() as conn:
        return [_account(a) for a in await store.list_accounts(conn, platform)]


@router.post("/channels", tags=["channel accounts"], status_code=201)
async def create_channel(body: ChannelAccountIn, pool: Pool,
                         principal: CurrentPrincipal) -> ChannelAccountOut:
    require(principal, *STAFF)
    account_id = uuid4()
    async with pool.acquire() as conn:
        await store.upsert_account(conn, account_id, _account_data(body))
        return _account(await store.get_account(conn, account_id))


@router.put("/channels/{account_id}", tags=["channel accounts"])
async def put_channel(account_id: UUID, body: ChannelAccountIn, pool: Pool,
                      principal: CurrentPrincipal) -> ChannelAccountOut:
    """Create or replace the account with this id (configuration can be applied again)."""
    require(principal, *STAFF)
    async with pool.acquire() as conn:
        await store.upsert_account(conn, account_id, _account_data(body))
        return _account(await store.get_account(conn, account_id))


@router.post("/channels/{account_id}/reauthorised", tags=["channel accounts"])
async def channel_reauthorised(account_id: UUID, pool: Pool,
                               principal: CurrentPrincipal) -> ChannelAccountOut:
    """The token was renewed in the secret store: the account's queue runs again."""
    require(principal, *STAFF)
    async with pool.acquire() as conn:
        if await store.get_account(conn, account_id) is None:
            raise NotFound("no such channel account", account_id=str(account_id))
        await store.set_account_state(conn, account_id, "active", None)
        return _account(await store.get_account(conn, account_id))


# --- boards of an area ----------------------------------------------------------------------

class AreaBoardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: str = Code
    name: LocalizedText
    languages: list[LangCode] = Field(default=["fi", "sv", "en"], min_length=1)
    kinds: list[str] | None = None


class BoardSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    languages: list[LangCode] = Field(min_length=1)
    kinds: list[str] | None = None


@router.post("/boards", tags=["notice boards"], status_code=201)
async def create_area_board(body: AreaBoardIn, pool: Pool,
                            principal: CurrentPrincipal) -> NoticeBoardOut:
    """A board for a whole area (e.g. the screen in a shopping centre): it shows every
    activity of the area from now on. A venue's own board exists as soon as the venue does."""
    require(principal, *STAFF)
    board_id = uuid4()
    async with pool.acquire() as conn:
        await store.create_area_board(conn, board_id, body.area, body.name.model_dump(),
                                      list(body.languages), body.kinds)
        return _board(await store.get_board(conn, board_id))


@router.put("/boards/{board_id}/settings", tags=["notice boards"])
async def configure_board(board_id: UUID, body: BoardSettingsIn, pool: Pool,
                          principal: CurrentPrincipal) -> NoticeBoardOut:
    require(principal, *STAFF)
    async with pool.acquire() as conn:
        if not await store.configure_board(conn, board_id, list(body.languages), body.kinds):
            raise NotFound("no such notice board", board_id=str(board_id))
        return _board(await store.get_board(conn, board_id))
