"""Request and response bodies of the notifications API. Every request field is bounded
(shared.bounds): text a database can store, lists of bounded length, so odd input is a 422
naming the field, never a 500."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, AnyUrl, BaseModel, ConfigDict, Field, UrlConstraints

from services.notifications import usecases
from shared.areas import AREAS
from shared.bounds import EachOnce, Str, each_once
from shared.contracts import LocalizedText

LangCode = Literal["fi", "sv", "en"]
Platform = Literal["facebook", "instagram", "mastodon", "bluesky", "email"]
#: skipped: recorded as not sent because the channel cannot carry it (Instagram and no image).
Status = Literal["pending", "sending", "published", "failed", "unconfirmed", "cancelled",
                 "skipped"]
#: An area's code such as kuopio.nilsia.
Code = Annotated[Str, Field(pattern=r"^[a-z0-9_.-]+$", min_length=1, max_length=100)]


#: One of the city's areas (shared.areas.AREAS), not merely a code of that shape: a board of
#: an area no activity is in would stay empty. The use cases refuse another code as every
#: service does (`shared.areas.area_refusals`: `unknown_area` with the known codes); the
#: document lists them.
AreaCode = Annotated[Code, Field(description="one of Kuopio's areas: " + ", ".join(
    sorted(AREAS)))]
#: At most this many areas, venues, kinds or languages in one list.
MAX_LIST = 200
#: A kind of activity: a code of the events service's vocabulary, its pattern (no dots,
#: unlike an area); said again for the schema, which `Str`'s validator hides it from.
KIND_PATTERN = r"^[a-z0-9_]+$"
KindCode = Annotated[Str, Field(pattern=KIND_PATTERN, min_length=1, max_length=50,
                                json_schema_extra={"pattern": KIND_PATTERN})]


#: A list whose values are each given once (a board in ["fi", "fi"] would say it twice).
Languages = Annotated[list[LangCode], Field(min_length=1, max_length=3,
                                            json_schema_extra={"uniqueItems": True}),
                      AfterValidator(each_once)]
Kinds = Annotated[list[KindCode], Field(max_length=MAX_LIST,
                                        json_schema_extra={"uniqueItems": True}),
                  AfterValidator(each_once)]
#: What a board's `kinds` are (OpenAPI).
BOARD_KINDS = ("the kinds of activity the board shows, each once, each a kind of the events "
               "service's vocabulary (its GET /vocabulary; another is refused, 422 "
               "`unknown_kind`, listing the known ones); null: every kind")
#: A URL of a reasonable length (pydantic refuses NUL and lone surrogates in URLs).
Url = Annotated[AnyUrl, UrlConstraints(max_length=2000)]


class LocalizedTextIn(BaseModel):
    """A name residents read, in Finnish (required), Swedish and English."""

    model_config = ConfigDict(extra="forbid")

    fi: Str = Field(min_length=1, max_length=500)
    sv: Str | None = Field(None, max_length=500)
    en: Str | None = Field(None, max_length=500)


class NoticeBoardOut(BaseModel):
    id: UUID
    venue_id: UUID | None
    area: str | None
    name: LocalizedText
    languages: list[str]
    feeds: dict[str, str]
    #: Kinds of activity the board shows; None: every kind.
    kinds: list[str] | None = None


def board_out(row: dict[str, Any]) -> NoticeBoardOut:
    return NoticeBoardOut(
        id=row["id"], venue_id=row["venue_id"], area=row["area"],
        name=LocalizedText(**row["name"]), languages=list(row["languages"]),
        feeds={kind: f"/boards/{row['id']}/{path}" for kind, path in (
            ("json", "feed.json"), ("rss", "feed.rss"), ("ical", "feed.ics"),
            ("screen", "screen"))},
        kinds=list(row["kinds"]) if row["kinds"] is not None else None,
    )


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


def delivery_out(row: dict[str, Any]) -> DeliveryOut:
    return DeliveryOut(**{k: row[k] for k in DeliveryOut.model_fields})


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: With confirm: the post's address on the platform, if known.
    remote_url: Url | None = None


class ChannelAccountIn(BaseModel):
    """A social account or the email sender. The token is not given here: `secret_ref` says
    where the service finds it (`env:KOHTAAMO_CHANNEL_<NAME>` or a file in the channels'
    secret folder)."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform
    name: Str = Field(min_length=1, max_length=200)
    #: Mastodon's API root (https://mastodon.example) or, for email, smtp://host:port /
    #: smtps://host:port. Facebook, Instagram and Bluesky have a fixed one (configuration):
    #: leave it out, or give that one. Setting or changing it is an admin's act.
    base_url: Url | None = None
    #: Facebook page id, Instagram user id, Bluesky handle, or the email From address.
    account_ref: Str = Field("", max_length=300)
    #: env:KOHTAAMO_CHANNEL_<NAME> or file:<KOHTAAMO_CHANNEL_SECRETS_DIR>/<name> (secrets.py).
    #: Setting or changing it is an admin's act.
    secret_ref: Str = Field(max_length=500)
    languages: Languages = ["fi"]
    areas: Annotated[list[AreaCode], *EachOnce] | None = Field(None, max_length=MAX_LIST)
    venue_ids: Annotated[list[UUID], *EachOnce] | None = Field(None, max_length=MAX_LIST)
    kinds: Kinds | None = None
    reminder_hours: int | None = Field(None, gt=0, le=24 * 14)
    enabled: bool = True

    def command(self) -> usecases.ChannelAccountCommand:
        def tupled(values: list[Any] | None) -> tuple[Any, ...] | None:
            return tuple(values) if values is not None else None

        return usecases.ChannelAccountCommand(
            platform=self.platform, name=self.name,
            base_url=str(self.base_url) if self.base_url is not None else None,
            account_ref=self.account_ref, secret_ref=self.secret_ref,
            languages=tuple(self.languages), areas=tupled(self.areas),
            venue_ids=tupled(self.venue_ids), kinds=tupled(self.kinds),
            reminder_hours=self.reminder_hours, enabled=self.enabled)


class ChannelAccountOut(BaseModel):
    id: UUID
    platform: str
    name: str
    base_url: str
    account_ref: str
    secret_ref: str
    languages: list[str]
    areas: list[str] | None
    venue_ids: list[UUID] | None
    kinds: list[str] | None
    reminder_hours: int | None
    enabled: bool
    state: str
    state_detail: str | None
    paused_until: datetime | None


def account_out(row: dict[str, Any]) -> ChannelAccountOut:
    data = {k: row[k] for k in ChannelAccountOut.model_fields}
    for key in ("areas", "venue_ids", "kinds", "languages"):
        data[key] = list(data[key]) if data[key] is not None else None
    return ChannelAccountOut(**data)


class AccountChangeOut(BaseModel):
    """Who chose where an account's token goes, and when."""

    changed_by: str
    changed_at: datetime
    fields: list[str]
    old_base_url: str | None
    new_base_url: str
    old_secret_ref: str | None
    new_secret_ref: str


def change_out(row: dict[str, Any]) -> AccountChangeOut:
    return AccountChangeOut(**{k: row[k] for k in AccountChangeOut.model_fields})


class AttentionOut(BaseModel):
    deliveries: list[DeliveryOut]
    accounts: list[ChannelAccountOut]


class AreaBoardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: AreaCode
    name: LocalizedTextIn
    languages: Languages = ["fi", "sv", "en"]
    kinds: Kinds | None = Field(None, description=BOARD_KINDS)

    def command(self) -> usecases.AreaBoardCommand:
        return usecases.AreaBoardCommand(
            area=self.area, name=self.name.model_dump(), languages=tuple(self.languages),
            kinds=tuple(self.kinds) if self.kinds is not None else None)


class BoardSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    languages: Languages
    kinds: Kinds | None = Field(None, description=BOARD_KINDS)
