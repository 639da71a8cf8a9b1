"""HTTP routes of the notifications service: notice boards, deliveries and channel accounts.
Parsing, authentication and status codes only: every rule is in a use case."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query, Response

from services.notifications import usecases
from services.notifications.schemas import (
    AccountChangeOut,
    AreaBoardIn,
    AttentionOut,
    BoardSettingsIn,
    ChannelAccountIn,
    ChannelAccountOut,
    Code,
    DecisionIn,
    DeliveryOut,
    NoticeBoardOut,
    Platform,
    Status,
    account_out,
    board_out,
    change_out,
    delivery_out,
)
from services.notifications.secrets import channel_settings
from services.notifications.store import NotificationStore
from shared.auth import SignedIn
from shared.service import CurrentClock, Pool
from shared.uow import PgUnitOfWork

router = APIRouter()

#: A channel name as the deliveries list filters by it (a platform or notice_board).
Channel = Annotated[Code | None, Query()]


def uow(pool: asyncpg.Pool) -> PgUnitOfWork[NotificationStore]:
    return PgUnitOfWork(pool, NotificationStore)


# --- notice boards --------------------------------------------------------------------------

@router.get("/boards", tags=["notice boards"])
async def list_boards(pool: Pool, venue_id: UUID | None = None,
                      area: Annotated[Code | None, Query()] = None) -> list[NoticeBoardOut]:
    return [board_out(r) for r in await usecases.list_boards(uow(pool), venue_id, area)]


@router.get("/boards/{board_id}", tags=["notice boards"])
async def get_board(board_id: UUID, pool: Pool) -> NoticeBoardOut:
    return board_out(await usecases.get_board(uow(pool), board_id))


@router.post("/boards", tags=["notice boards"], status_code=201)
async def create_area_board(body: AreaBoardIn, pool: Pool, clock: CurrentClock,
                            principal: SignedIn) -> NoticeBoardOut:
    """A board for a whole area (e.g. the screen in a shopping centre): it shows every
    activity of the area from now on. A venue's own board exists as soon as the venue does.
    The area's boards each have a Finnish name of their own (case and spaces aside): a second
    of the name is refused, 409 `board_name_taken` naming `name.fi` and the board that has it
    (`board_id`, `name`). A name with a control or text-direction character or a line break
    (it is one line on the boards' screens, feeds and /staff) is refused, 422 `text_chars`
    naming the name's language (`name.sv`)."""
    return board_out(await usecases.create_area_board(uow(pool), clock, principal,
                                                      body.command()))


@router.put("/boards/{board_id}/settings", tags=["notice boards"])
async def configure_board(board_id: UUID, body: BoardSettingsIn, pool: Pool,
                          clock: CurrentClock, principal: SignedIn) -> NoticeBoardOut:
    return board_out(await usecases.configure_board(
        uow(pool), clock, principal, board_id, tuple(body.languages),
        tuple(body.kinds) if body.kinds is not None else None))


# --- deliveries -----------------------------------------------------------------------------

@router.get("/deliveries", tags=["deliveries"])
async def list_deliveries(pool: Pool, principal: SignedIn,
                          activity_event_id: UUID | None = None, channel: Channel = None,
                          status: Status | None = None) -> list[DeliveryOut]:
    """Deliveries, newest first: every board item, post and email with its state. For
    communications staff: emails to organisers are among them."""
    rows = await usecases.list_deliveries(uow(pool), principal, usecases.DeliveryFilter(
        activity_event_id=activity_event_id, channel=channel, status=status))
    return [delivery_out(r) for r in rows]


@router.get("/deliveries/attention", tags=["deliveries"])
async def deliveries_needing_attention(pool: Pool, principal: SignedIn) -> AttentionOut:
    """What communications staff must decide: failed and unconfirmed deliveries, and accounts
    whose token the platform refused (their queue waits)."""
    deliveries, accounts = await usecases.needing_attention(uow(pool), principal)
    return AttentionOut(deliveries=[delivery_out(r) for r in deliveries],
                        accounts=[account_out(a) for a in accounts])


@router.post("/deliveries/{delivery_id}/retry", tags=["deliveries"])
async def retry_delivery(delivery_id: UUID, pool: Pool, clock: CurrentClock,
                         principal: SignedIn) -> DeliveryOut:
    """Failed or unconfirmed (a person checked it is not there): due now."""
    return delivery_out(await usecases.decide_delivery(uow(pool), clock, principal,
                                                       delivery_id, "retry"))


@router.post("/deliveries/{delivery_id}/cancel", tags=["deliveries"])
async def cancel_delivery(delivery_id: UUID, pool: Pool, clock: CurrentClock,
                          principal: SignedIn) -> DeliveryOut:
    """Pending, failed or unconfirmed: never sent."""
    return delivery_out(await usecases.decide_delivery(uow(pool), clock, principal,
                                                       delivery_id, "cancel"))


@router.post("/deliveries/{delivery_id}/confirm", tags=["deliveries"])
async def confirm_delivery(delivery_id: UUID, pool: Pool, clock: CurrentClock,
                           principal: SignedIn,
                           body: DecisionIn | None = None) -> DeliveryOut:
    """Unconfirmed → published: a person saw it on the platform."""
    url = str(body.remote_url) if body and body.remote_url else None
    return delivery_out(await usecases.decide_delivery(uow(pool), clock, principal,
                                                       delivery_id, "confirm", url))


# --- channel accounts -----------------------------------------------------------------------

@router.get("/channels", tags=["channel accounts"])
async def list_channels(pool: Pool, principal: SignedIn,
                        platform: Platform | None = None) -> list[ChannelAccountOut]:
    return [account_out(a) for a in await usecases.list_channel_accounts(
        uow(pool), principal, platform)]


@router.post("/channels", tags=["channel accounts"], status_code=201)
async def create_channel(body: ChannelAccountIn, pool: Pool, clock: CurrentClock,
                         principal: SignedIn) -> ChannelAccountOut:
    """A new account: an admin's act (it chooses where a token is sent). A `name` or
    `account_ref` with a control or text-direction character or a line break is refused, 422
    `text_chars` naming it."""
    return account_out((await usecases.save_channel_account(
        uow(pool), clock, principal, None, body.command(), channel_settings())).account)


@router.put("/channels/{account_id}", tags=["channel accounts"],
            responses={201: {"description": "Created: there was no account of this id",
                             "model": ChannelAccountOut}})
async def put_channel(account_id: UUID, body: ChannelAccountIn, pool: Pool,
                      clock: CurrentClock, principal: SignedIn,
                      response: Response) -> ChannelAccountOut:
    """Create (201) or replace (200) the account with this id (configuration can be applied
    again). Communications staff change the rest; base_url and secret_ref only an admin.
    A `name` or `account_ref` with a control or text-direction character or a line break is
    refused, 422 `text_chars` naming it."""
    saved = await usecases.save_channel_account(
        uow(pool), clock, principal, account_id, body.command(), channel_settings())
    if saved.created:
        response.status_code = 201
    return account_out(saved.account)


@router.post("/channels/{account_id}/reauthorised", tags=["channel accounts"])
async def channel_reauthorised(account_id: UUID, pool: Pool, clock: CurrentClock,
                               principal: SignedIn) -> ChannelAccountOut:
    """The token was renewed in the secret store: the account's queue runs again."""
    return account_out(await usecases.reauthorise_channel(uow(pool), clock, principal,
                                                          account_id))


@router.get("/channels/{account_id}/changes", tags=["channel accounts"])
async def channel_changes(account_id: UUID, pool: Pool,
                          principal: SignedIn) -> list[AccountChangeOut]:
    """Who chose where the account's token goes (base_url, secret_ref), and when."""
    return [change_out(c) for c in await usecases.account_changes(uow(pool), principal,
                                                                  account_id)]
