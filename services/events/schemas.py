"""Request and response bodies and query parameters of the events API, every value bounded
(`shared.bounds`): odd input is a 422 naming its field, never stored, never a 500.

Responses read stored rows leniently, so a row stored before a rule existed still shows."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Query, Request, Response
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictInt,
    UrlConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from services.events import domain
from services.events.labels import ORGANISER
from shared.areas import AREAS
from shared.bounds import Day, Moment, Str
from shared.http import etag_matches
from shared.identity import Principal

Language = Literal["fi", "sv", "en"]
PlaceKind = Literal["venue", "outdoors", "pop_up", "online", "hybrid", "other_place"]
Status = Literal["draft", "awaiting_approval", "published", "postponed", "rescheduled",
                 "cancelled", "withdrawn"]
CODE_PATTERN = r"^[a-z0-9_]+$"
# The pattern is said again for the schema: behind `Str`'s validator pydantic enforces it but
# leaves it out of the OpenAPI.
CodeStr = Annotated[Str, Field(pattern=CODE_PATTERN, min_length=1, max_length=domain.CODE_MAX,
                               json_schema_extra={"pattern": CODE_PATTERN})]
#: What a list's term filter says of its values (OpenAPI).
_TERM_FILTER = ("a code of the vocabulary's {scheme}s (GET /vocabulary lists them; retired "
                "ones still filter): an unknown code is refused (422), not an empty list")
Codes = Annotated[list[CodeStr], Field(max_length=domain.CODES_MAX)]
AreaStr = Annotated[Str, Field(pattern=r"^[a-z0-9_.-]+$", min_length=1,
                               max_length=domain.AREA_MAX)]
#: Bounded as sent (`UrlConstraints`), not as normalised: "https://host" is written back
#: as "https://host/", which a bound after validation counted one character over.
Url = Annotated[AnyHttpUrl, UrlConstraints(max_length=domain.URL_MAX)]
Name = Annotated[Str, Field(max_length=domain.NAME_MAX)]
# Strict: a JSON `true` or `"12"` is no number of years or places, said so, not read as one.
Age = Annotated[int, Strict(), Field(ge=0, le=domain.AGE_MAX)]
#: A price given as text: euros with a dot and at most two decimals ("12.50"), as JSON
#: writes a number; "12,50", "1e2" or "abc" is no price a client should send.
PRICE_TEXT = r"^(?:[0-9]{1,5}(?:\.[0-9]{1,2})?|100000(?:\.00?)?)$"


def _price_text(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(PRICE_TEXT, value):
        raise ValueError("a price as text is euros with a dot and at most two decimals, "
                         "e.g. 12.50")
    return value


Price = Annotated[
    Decimal, BeforeValidator(_price_text),
    Field(ge=0, le=domain.PRICE_MAX, max_digits=8, decimal_places=2),
    WithJsonSchema({"anyOf": [
        {"type": "number", "minimum": 0, "maximum": float(domain.PRICE_MAX)},
        {"type": "string", "pattern": PRICE_TEXT}],
        "description": "euros from 0 to 100000, at most two decimals: a number, or text "
                       "with a dot (\"12.50\")"})]
Capacity = Annotated[int, Strict(), Field(gt=0, le=domain.CAPACITY_MAX)]


def _utf8_search(value: str) -> str:
    # U+FFFD is what bytes that are not UTF-8 (`?q=%ED%A0%80`) are read as: no word to
    # find, and no search is no filter, so the whole list would answer a search.
    if "\ufffd" in value:
        raise PydanticCustomError("string_unicode", "the search must be UTF-8 text (U+FFFD "
                                  "stands for bytes that were not)")
    return value


SearchText = Annotated[Str, AfterValidator(_utf8_search), Field(max_length=domain.SEARCH_MAX)]
#: An activity's area as a body gives it: one of Kuopio's (the domain refuses another
#: code with `unknown_area` and the known ones).
AREA_DOC = ("one of Kuopio's areas (an activity at a venue is in its venue's unless "
            "given): " + ", ".join(sorted(AREAS)))


class Text(BaseModel):
    """Text residents read, in Finnish (required), Swedish and English."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    fi: Str = Field(min_length=1, max_length=domain.TEXT_MAX)
    sv: Str | None = Field(None, max_length=domain.TEXT_MAX)
    en: Str | None = Field(None, max_length=domain.TEXT_MAX)


class _EventFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    short_description: Text | None = None
    description: Text | None = None
    all_day: StrictBool = False
    kind: CodeStr = "open_guided"
    place_kind: PlaceKind = "venue"
    place_name: Text | None = None
    online_url: Url | None = None
    topics: Codes = Field(default_factory=list)
    audiences: Codes = Field(default_factory=list)
    min_age: Age | None = None
    max_age: Age | None = None
    languages: list[Language] = Field(default=["fi"], min_length=1, max_length=3)
    accessibility: Text | None = None
    price: Price | None = None
    free: StrictBool = True
    registration_required: StrictBool = False
    capacity: Capacity | None = None
    organiser_name: Name | None = None
    library_contact: Name | None = None
    image_url: Url | None = None
    image_alt: Text | None = None


class ActivityEventIn(_EventFields):
    name: Text
    starts_at: Moment
    ends_at: Moment
    venue_id: UUID | None = None
    space_id: UUID | None = None
    area: AreaStr | None = Field(None, description=AREA_DOC)


#: PATCH fields whose column cannot be empty: `null` for them is refused, not stored.
NOT_NULL = ("name", "starts_at", "ends_at", "all_day", "kind", "place_kind", "topics",
            "audiences", "languages", "free", "registration_required")


def _not_nullable(schema: dict[str, Any]) -> None:
    """The schema of a PATCH field that may be left out but not sent as `null` (`NOT_NULL`):
    its type without the null branch `X | None` gives it. Its validation stays a nullable
    one (one refusal, "may not be null", at the field's own place)."""
    branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches


def _not_null_fields(schema: dict[str, Any]) -> None:
    """The PATCH model's schema with each field of `NOT_NULL` `_not_nullable`."""
    for name in NOT_NULL:
        _not_nullable(schema["properties"][name])


class ActivityEventPatch(BaseModel):
    """Any of the event's details, each left out to keep it; `null` unsets one that may be
    empty (a description, an age, a price), and is refused for one that may not (a name,
    the times, the kind, the lists, the flags). Its time changes by rescheduling once
    published."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_not_null_fields)

    name: Text | None = None
    short_description: Text | None = None
    description: Text | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    all_day: StrictBool | None = None
    kind: CodeStr | None = None
    place_kind: PlaceKind | None = None
    place_name: Text | None = None
    online_url: Url | None = None
    topics: Codes | None = None
    audiences: Codes | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    languages: list[Language] | None = Field(None, min_length=1, max_length=3)
    accessibility: Text | None = None
    price: Price | None = None
    free: StrictBool | None = None
    registration_required: StrictBool | None = None
    capacity: Capacity | None = None
    organiser_name: Name | None = None
    library_contact: Name | None = None
    image_url: Url | None = None
    image_alt: Text | None = None

    @field_validator(*NOT_NULL)
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for values sent (defaults are not validated): an explicit null.
        if value is None:
            raise ValueError("may not be null")
        return value


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Str = Field(min_length=1, max_length=domain.REASON_MAX)


class CancelIn(ReasonIn):
    #: Release the activity's booking too (the booking service cancels it).
    release_booking: StrictBool = False


class HistoryOut(BaseModel):
    status: str
    actor: str
    reason: str | None = None
    at: datetime


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: Moment
    ends_at: Moment


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: StrictInt = Field(ge=0, le=1_000_000)
    visitors: StrictInt = Field(ge=0, le=1_000_000)


class RepeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: Day | None = None
    count: int | None = Field(None, ge=1, le=60)


class SeriesIn(ActivityEventIn):
    """The first occurrence's details and how it repeats (weekly, same local time)."""

    repeat: RepeatIn


class VocabularyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scheme: Literal["kind", "topic", "audience"]
    code: Str = Field(pattern=r"^[a-z0-9_]+$", min_length=2, max_length=domain.CODE_MAX)
    label: Text


class LinkedEventsImport(BaseModel):
    data: list[dict[str, Any]] = Field(max_length=1000)


def fields_of(body: BaseModel, **kwargs: Any) -> dict[str, Any]:
    """A request body as the use cases' fields: texts as plain dicts and strings, times and
    amounts typed."""
    data: dict[str, Any] = json.loads(body.model_dump_json(**kwargs))
    for key in ("starts_at", "ends_at", "price", "venue_id", "space_id"):
        if key in data and data[key] is not None:
            data[key] = getattr(body, key)
    return data


# --- responses: lenient, so no stored row makes a 500 -------------------------------------


def _finite(value: Any) -> Any:
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return value


class TextOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    fi: str = ""
    sv: str | None = None
    en: str | None = None


class TermOut(TextOut):
    """A term's words; `retired` only on a retired one (listed when asked for)."""

    retired: bool | None = None


class VocabularyTermOut(BaseModel):
    """One term as it is now: its words, its revision and whether it is retired."""

    scheme: Literal["kind", "topic", "audience"]
    code: str
    label: TextOut
    revision: int
    retired: bool


class ActivityEventOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    booking_id: UUID | None
    status: str
    name: TextOut
    short_description: TextOut | None = None
    description: TextOut | None = None
    starts_at: datetime
    ends_at: datetime
    all_day: bool = False
    kind: str
    venue_id: UUID | None
    space_id: UUID | None
    area: str | None
    place_kind: str
    place_name: TextOut | None = None
    online_url: str | None = None
    topics: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    languages: list[str] = Field(default_factory=list)
    accessibility: TextOut | None = None
    price: Annotated[Decimal | None, BeforeValidator(_finite)] = None
    free: bool = True
    registration_required: bool = False
    #: The activity's own figure of places, as its organiser gave it.
    capacity: int | None = None
    places: int | None = Field(None, description=(
        "How many can take part, as residents are told: the sign-up's places (its settings"
        " may change them; the notifications service's registration.counts) once any are"
        " heard, else `capacity`. The answer of a change gives `capacity`."))
    places_left: int | None = Field(None, description=(
        "Free places where sign-up is in use (`registration_required` and `places`): the"
        " places less the confirmed seats. Null without sign-up or a limit, and in the"
        " answer of a change."))
    organiser_name: str | None = None
    library_contact: str | None = None
    image_url: str | None = None
    image_alt: TextOut | None = None
    series_id: UUID | None = None
    #: A reschedule waiting for the booking service to move the booking:
    #: {"request_id", "starts_at", "ends_at", "requested_by"}.
    pending_move: dict[str, Any] | None = None
    revision: int
    updated_at: datetime


def event_out(row: Any) -> ActivityEventOut:
    """The activity as the API gives it; a row read without its places (`_with_places`: a
    change's answer) gives its own capacity as its places."""
    found = dict(row)
    found.setdefault("places", found.get("capacity"))
    return ActivityEventOut.model_validate(found)


class NoteOut(BaseModel):
    """What its organiser should know of an act that was done, not refused: a `code` for a
    program, a `message` in the reader's language."""

    code: Literal["past_activity"]
    message: str


class PublishedOut(ActivityEventOut):
    #: Published, or sent for approval, dated entirely in the past (a late report of an
    #: activity that happened): `past_activity`, saying that no upcoming list shows it and
    #: that it counts in the indicators. None otherwise.
    note: NoteOut | None = None


def published_out(row: Any, now: datetime, lang: str) -> PublishedOut:
    """The activity as publishing left it (published, or waiting for approval), with the
    note its organiser reads on their page when it is dated in the past."""
    note = None
    if domain.published_as_past(row, now):
        said = "queued_past" if row["status"] == "awaiting_approval" else "published_past"
        note = NoteOut(code="past_activity", message=str(ORGANISER[lang][said]))
    return PublishedOut.model_validate({"places": row.get("capacity"), **dict(row),
                                        "note": note})


class ActivityEventPage(BaseModel):
    items: list[ActivityEventOut]
    total: int
    limit: int
    offset: int


class SeriesOut(BaseModel):
    series_id: UUID
    occurrences: list[ActivityEventOut]


class AttendanceOut(BaseModel):
    event_id: UUID
    participants: int
    visitors: int
    report_revision: int
    #: Above the plausible for the space: kept out of the indicators until staff confirm it.
    held: bool = False


class EventQuery:
    """The filters the list, the feeds and the export share, each bounded."""

    def __init__(
        self,
        start: Moment | None = None,
        end: Moment | None = None,
        # Codes as an event writes them: a filter no event can match (a control character,
        # "true") is a typo to name, not an empty list. The vocabulary's codes are checked
        # against it (usecases), and the schema says the pattern it enforces.
        area: Annotated[AreaStr | None, Query()] = None,
        venue_id: UUID | None = None,
        kind: Annotated[CodeStr | None, Query(
            description=_TERM_FILTER.format(scheme="kind"))] = None,
        topic: Annotated[list[CodeStr] | None, Query(
            max_length=domain.CODES_MAX,
            description=_TERM_FILTER.format(scheme="topic"))] = None,
        audience: Annotated[list[CodeStr] | None, Query(
            max_length=domain.CODES_MAX,
            description=_TERM_FILTER.format(scheme="audience"))] = None,
        language: Annotated[list[Language] | None, Query(max_length=3)] = None,
        free: bool | None = None,
        accessible: Annotated[bool | None, Query(
            description="only events that tell their accessibility (step-free entrance, "
                        "induction loop, …)")] = None,
        q: Annotated[SearchText | None, Query()] = None,
        status: Status | None = None,
        booking_id: UUID | None = None,
        place_kind: PlaceKind | None = None,
        series_id: UUID | None = None,
    ) -> None:
        self.filters: dict[str, Any] = {
            "start": start, "end": end, "area": area, "venue_id": venue_id, "kind": kind,
            "topic": topic, "audience": audience, "language": language, "free": free,
            "accessible": accessible, "q": q, "status": status, "booking_id": booking_id,
            "place_kind": place_kind, "series_id": series_id}


def cached(request: Request, principal: Principal, body: bytes, media_type: str) -> Response:
    """ETag and Cache-Control so websites and apps can poll cheaply (304 when unchanged)."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "public, max-age=60" if principal.is_public
               else "private, max-age=0", "Vary": "Authorization, Cookie"}
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
