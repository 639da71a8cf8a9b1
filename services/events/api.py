"""HTTP API of the events service: the public calendar's data, feeds, and the organisers' and
staff's editing of activity events. Every change residents see commits with its event."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import AnyHttpUrl, AwareDatetime, BaseModel, ConfigDict, Field

from services.events import domain, feeds, linked_events, store
from shared.auth import CurrentPrincipal, Principal, require
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    AttendanceReported,
    LocalizedText,
)
from shared.db import Connection
from shared.errors import DomainError, Forbidden, Invalid, NotFound
from shared.outbox import enqueue
from shared.recurrence import weekly_occurrences
from shared.service import Pool

router = APIRouter(tags=["activity events"])

Code = Field(pattern=r"^[a-z0-9_]+$", max_length=50)
Language = Literal["fi", "sv", "en"]
PlaceKind = Literal["venue", "outdoors", "pop_up", "online", "hybrid", "other_place"]


class _EventFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    short_description: LocalizedText | None = None
    description: LocalizedText | None = None
    all_day: bool = False
    kind: str = Field("open_guided", pattern=r"^[a-z0-9_]+$", max_length=50)
    place_kind: PlaceKind = "venue"
    place_name: LocalizedText | None = None
    online_url: AnyHttpUrl | None = None
    topics: list[str] = Field(default_factory=list, max_length=20)
    audiences: list[str] = Field(default_factory=list, max_length=20)
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    languages: list[Language] = Field(default=["fi"], min_length=1)
    accessibility: LocalizedText | None = None
    price: Decimal | None = Field(None, ge=0, le=100000)
    free: bool = True
    registration_required: bool = False
    capacity: int | None = Field(None, gt=0, le=100000)
    organiser_name: str | None = Field(None, max_length=200)
    library_contact: str | None = Field(None, max_length=200)
    image_url: AnyHttpUrl | None = None
    image_alt: LocalizedText | None = None


class ActivityEventIn(_EventFields):
    name: LocalizedText
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue_id: UUID | None = None
    space_id: UUID | None = None
    area: str | None = Field(None, max_length=100, pattern=r"^[a-z0-9_.-]+$")


class ActivityEventPatch(BaseModel):
    """Any of the event's details; its time changes by rescheduling once published."""

    model_config = ConfigDict(extra="forbid")

    name: LocalizedText | None = None
    short_description: LocalizedText | None = None
    description: LocalizedText | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    all_day: bool | None = None
    kind: str | None = Field(None, pattern=r"^[a-z0-9_]+$", max_length=50)
    place_kind: PlaceKind | None = None
    place_name: LocalizedText | None = None
    online_url: AnyHttpUrl | None = None
    topics: list[str] | None = Field(None, max_length=20)
    audiences: list[str] | None = Field(None, max_length=20)
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    languages: list[Language] | None = Field(None, min_length=1)
    accessibility: LocalizedText | None = None
    price: Decimal | None = Field(None, ge=0, le=100000)
    free: bool | None = None
    registration_required: bool | None = None
    capacity: int | None = Field(None, gt=0, le=100000)
    organiser_name: str | None = Field(None, max_length=200)
    library_contact: str | None = Field(None, max_length=200)
    image_url: AnyHttpUrl | None = None
    image_alt: LocalizedText | None = None


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=1000)


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    ends_at: AwareDatetime


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: int = Field(ge=0, le=1_000_000)
    visitors: int = Field(ge=0, le=1_000_000)


class ActivityEventOut(_EventFields):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    booking_id: UUID | None
    status: str
    name: LocalizedText
    starts_at: datetime
    ends_at: datetime
    venue_id: UUID | None
    space_id: UUID | None
    area: str | None
    series_id: UUID | None = None
    revision: int
    updated_at: datetime


class ActivityEventPage(BaseModel):
    items: list[ActivityEventOut]
    total: int
    limit: int
    offset: int


def _out(row: Any) -> ActivityEventOut:
    return ActivityEventOut.model_validate(dict(row))


async def _load(conn: Connection, event_id: UUID, *, for_update: bool = False) -> Any:
    row = await store.get_event(conn, event_id, for_update=for_update)
    if row is None:
        raise NotFound("no such activity event", event_id=str(event_id))
    return row


PUBLIC_ONLY = Principal(subject=None)


def _visibility(principal: Principal) -> dict[str, Any]:
    return {
        "statuses": domain.PUBLIC_STATUSES,
        "subject": principal.subject,
        "all": "admin" in principal.roles or (
            "communications" in principal.roles and not principal.venues),
        "venues": sorted(principal.venues) if principal.roles & {"desk", "communications"}
        else [],
    }


def _visible(principal: Principal, row: Any) -> bool:
    return row["status"] in domain.PUBLIC_STATUSES or domain.may_edit(
        principal, row["owner_subject"], row["venue_id"])


def _editable(principal: Principal, row: Any) -> None:
    require(principal, "organiser", "desk", "communications")
    if not domain.may_edit(principal, row["owner_subject"], row["venue_id"]):
        raise Forbidden("you may edit only your own events or those of your venues")


async def _check_vocabularies(conn: Connection, data: dict[str, Any]) -> None:
    if "kind" in data and data["kind"] is not None:
        domain.check_vocabulary("kind", [data["kind"]], await store.vocabulary(conn, "kind"))
    if data.get("topics"):
        domain.check_vocabulary("topic", data["topics"], await store.vocabulary(conn, "topic"))
    if data.get("audiences"):
        domain.check_vocabulary("audience", data["audiences"],
                                await store.vocabulary(conn, "audience"))


def _filters(start: datetime | None, end: datetime | None, **rest: Any) -> dict[str, Any]:
    if start and end and end <= start:
        raise Invalid("`end` must be after `start`", field="end")
    return {"start": start, "end": end, **rest}


class EventQuery:
    """The filters the list, the feeds and the pages share."""

    def __init__(
        self,
        start: AwareDatetime | None = None,
        end: AwareDatetime | None = None,
        area: str | None = None,
        venue_id: UUID | None = None,
        kind: str | None = None,
        topic: list[str] | None = Query(None),
        audience: list[str] | None = Query(None),
        language: list[Language] | None = Query(None),
        free: bool | None = None,
        q: str | None = Query(None, max_length=200),
        status: Literal["draft", "published", "postponed", "rescheduled", "cancelled"]
        | None = None,
        booking_id: UUID | None = None,
        place_kind: PlaceKind | None = None,
        series_id: UUID | None = None,
    ) -> None:
        self.filters = _filters(start, end, area=area, venue_id=venue_id, kind=kind,
                                topic=topic, audience=audience, language=language, free=free,
                                q=q, status=status, booking_id=booking_id,
                                place_kind=place_kind, series_id=series_id)


async def find(pool: Any, principal: Principal, query: EventQuery, limit: int, offset: int,
               newest_first: bool = False) -> tuple[list[Any], int]:
    async with pool.acquire() as conn:
        return await store.list_events(conn, filters=query.filters,
                                       visibility=_visibility(principal), limit=limit,
                                       offset=offset, newest_first=newest_first)


def cached(request: Request, principal: Principal, body: bytes, media_type: str) -> Response:
    """ETag and Cache-Control so websites and apps can poll cheaply (304 when unchanged)."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "public, max-age=60" if principal.is_public
               else "private, max-age=0", "Vary": "Authorization, Cookie"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/events", response_model=ActivityEventPage)
async def list_events(request: Request, pool: Pool, principal: CurrentPrincipal,
                      query: Annotated[EventQuery, Depends()], limit: int = Query(50, ge=1, le=200),
                      offset: int = Query(0, ge=0, le=100_000),
                      sort: Literal["starts_at", "-starts_at"] = "starts_at") -> Response:
    """Published, postponed, rescheduled and cancelled events for everyone (past ones too);
    drafts only for whoever may edit them."""
    rows, total = await find(pool, principal, query, limit, offset, sort == "-starts_at")
    page = ActivityEventPage(items=[_out(r) for r in rows], total=total, limit=limit,
                             offset=offset)
    return cached(request, principal, page.model_dump_json().encode(), "application/json")


@router.get("/events.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
async def events_ical(request: Request, pool: Pool, principal: CurrentPrincipal,
                      query: Annotated[EventQuery, Depends()], lang: Language = "fi") -> Response:
    """iCalendar (RFC 5545) of the same filters, to subscribe to."""
    rows, _ = await find(pool, principal, query, 1000, 0)
    return cached(request, principal, feeds.ical(rows, lang, str(request.base_url)).encode(),
                  feeds.ICAL_TYPE)


@router.get("/events.rss", response_class=Response,
            responses={200: {"content": {"application/rss+xml": {}}}})
async def events_rss(request: Request, pool: Pool, principal: CurrentPrincipal,
                     query: Annotated[EventQuery, Depends()], lang: Language = "fi") -> Response:
    rows, _ = await find(pool, principal, query, 200, 0)
    return cached(request, principal,
                  feeds.rss(rows, lang, str(request.base_url), str(request.url)).encode(),
                  "application/rss+xml; charset=utf-8")


@router.get("/events.atom", response_class=Response,
            responses={200: {"content": {"application/atom+xml": {}}}})
async def events_atom(request: Request, pool: Pool, principal: CurrentPrincipal,
                      query: Annotated[EventQuery, Depends()], lang: Language = "fi") -> Response:
    rows, _ = await find(pool, principal, query, 200, 0)
    return cached(request, principal,
                  feeds.atom(rows, lang, str(request.base_url), str(request.url)).encode(),
                  "application/atom+xml; charset=utf-8")


@router.get("/vocabulary")
async def get_vocabulary(pool: Pool) -> dict[str, dict[str, LocalizedText]]:
    """Kinds, topics and audiences with their fi/sv/en labels."""
    async with pool.acquire() as conn:
        rows = await store.vocabulary_labels(conn)
    result: dict[str, dict[str, LocalizedText]] = {}
    for r in rows:
        result.setdefault(r["scheme"], {})[r["code"]] = LocalizedText(**r["label"])
    return result


class VocabularyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scheme: Literal["kind", "topic", "audience"]
    code: str = Field(pattern=r"^[a-z0-9_]+$", min_length=2, max_length=50)
    label: LocalizedText


@router.put("/vocabulary", status_code=status.HTTP_200_OK)
async def extend_vocabulary(body: VocabularyIn, pool: Pool,
                            principal: CurrentPrincipal) -> VocabularyIn:
    """The city adds (or relabels) a kind, topic or audience; codes are never removed, so
    past events keep their meaning."""
    require(principal, "communications")
    async with pool.acquire() as conn:
        await conn.execute(
            """INSERT INTO vocabulary (scheme, code, label) VALUES ($1, $2, $3)
               ON CONFLICT (scheme, code) DO UPDATE SET label = EXCLUDED.label""",
            body.scheme, body.code, body.label.model_dump())
    return body


@router.get("/events/{event_id}")
async def get_event(event_id: UUID, pool: Pool, principal: CurrentPrincipal) -> ActivityEventOut:
    async with pool.acquire() as conn:
        row = await _load(conn, event_id)
    if not _visible(principal, row):
        raise NotFound("no such activity event", event_id=str(event_id))
    return _out(row)


def _jsonable(body: BaseModel, **kwargs: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(body.model_dump_json(**kwargs))
    # Times and amounts stay typed for asyncpg; text objects go in as JSON.
    for key in ("starts_at", "ends_at", "price"):
        if key in data and data[key] is not None:
            data[key] = getattr(body, key)
    return data


@router.post("/events", status_code=status.HTTP_201_CREATED)
async def create_event(body: ActivityEventIn, pool: Pool,
                       principal: CurrentPrincipal) -> ActivityEventOut:
    require(principal, "organiser", "desk", "communications")
    domain.check_times(body.starts_at, body.ends_at)
    event_id = uuid4()
    data = _jsonable(body)
    async with pool.acquire() as conn, conn.transaction():
        await _check_vocabularies(conn, data)
        if body.venue_id is not None:
            venue = await store.get_venue(conn, body.venue_id)
            if venue is None:
                raise Invalid("unknown venue", field="venue_id")
            data["area"] = data.get("area") or venue["area"]
        await store.insert_event(conn, {**data, "id": event_id,
                                        "owner_subject": principal.subject})
        await store.record_history(conn, event_id, "draft", _who(principal), None)
        return _out(await _load(conn, event_id))


def _who(principal: Principal) -> str:
    return f"{'+'.join(sorted(principal.roles)) or 'public'}:{principal.subject}"


@router.patch("/events/{event_id}")
async def edit_event(event_id: UUID, body: ActivityEventPatch, pool: Pool,
                     principal: CurrentPrincipal) -> ActivityEventOut:
    """Edit the details. On a published event this is a new revision residents are told
    about (`event.updated`); its time changes only by rescheduling."""
    changes = _jsonable(body, exclude_unset=True)
    async with pool.acquire() as conn, conn.transaction():
        row = await _load(conn, event_id, for_update=True)
        _editable(principal, row)
        if row["status"] == "cancelled":
            domain.check_transition("cancelled", "published")
        live = row["status"] != "draft"
        if live and ({"starts_at", "ends_at"} & set(changes)):
            raise Invalid("a published event's time changes by rescheduling it",
                          field="starts_at")
        await _check_vocabularies(conn, changes)
        merged = {**dict(row), **changes}
        domain.check_times(merged["starts_at"], merged["ends_at"])
        if live:
            domain.check_publishable(merged)
        await store.update_event(conn, event_id, changes, new_revision=live)
        row = await _load(conn, event_id)
        if live:
            await enqueue(conn, _facts(ActivityEventUpdated, row))
        return _out(row)


def _facts(cls: type[Any], row: Any, **extra: Any) -> Any:
    return cls(
        event_id=row["id"], revision=row["revision"], name=LocalizedText(**row["name"]),
        starts_at=row["starts_at"], ends_at=row["ends_at"], kind=row["kind"],
        venue_id=row["venue_id"], space_id=row["space_id"], area=row["area"],
        booking_id=row["booking_id"], free=row["free"], topics=list(row["topics"]),
        audiences=list(row["audiences"]), languages=list(row["languages"]),
        place_kind=row["place_kind"], series_id=row["series_id"],
        organiser_id=_organiser_ref(row),
        short_description=_localized(row["short_description"]),
        registration_required=row["registration_required"],
        place_name=_localized(row["place_name"]), online_url=row["online_url"],
        image_url=row["image_url"], image_alt=_localized(row["image_alt"]), **extra,
    )


def _localized(value: Any) -> LocalizedText | None:
    return LocalizedText(**value) if value else None


def _organiser_ref(row: Any) -> UUID | None:
    """The booking's pseudonymous organiser id, or a pseudonym of whoever created the event."""
    if row["organiser_id"] is not None:
        return UUID(str(row["organiser_id"]))
    if row["owner_subject"]:
        return uuid5(NAMESPACE_URL, f"urn:kohtaamo:organiser:{row['owner_subject']}")
    return None


async def _change_status(pool: Any, principal: Principal, event_id: UUID, target: str,
                         reason: str | None = None,
                         new_time: RescheduleIn | None = None) -> ActivityEventOut:
    async with pool.acquire() as conn, conn.transaction():
        # The row lock orders this event's outbox rows in commit order.
        row = await _load(conn, event_id, for_update=True)
        _editable(principal, row)
        domain.check_transition(row["status"], target)
        area = row["area"]
        if target == "published":
            domain.check_publishable(dict(row))
            if area is None and row["venue_id"] is not None:
                venue = await store.get_venue(conn, row["venue_id"])
                area = venue["area"] if venue else None
        if new_time is not None:
            domain.check_times(new_time.starts_at, new_time.ends_at)
            await conn.execute(
                "UPDATE activity_events SET postponed_from = tstzrange($2, $3) WHERE id = $1",
                event_id, row["starts_at"], row["ends_at"])
            await store.update_event(conn, event_id, {"starts_at": new_time.starts_at,
                                                      "ends_at": new_time.ends_at})
        await store.set_status(conn, event_id, target, _who(principal), reason, area=area)
        updated = await _load(conn, event_id)
        event: Any
        if target == "published":
            event = _facts(ActivityEventPublished, updated)
        elif target == "postponed":
            event = _facts(ActivityEventPostponed, updated, reason=reason)
        elif target == "rescheduled":
            event = _facts(ActivityEventRescheduled, updated,
                           previous_starts_at=row["starts_at"], previous_ends_at=row["ends_at"])
        else:
            event = _facts(ActivityEventCancelled, updated, reason=reason)
        await enqueue(conn, event)
        return _out(updated)


@router.post("/events/{event_id}/publish")
async def publish_event(event_id: UUID, pool: Pool,
                        principal: CurrentPrincipal) -> ActivityEventOut:
    return await _change_status(pool, principal, event_id, "published")


@router.post("/events/{event_id}/postpone")
async def postpone_event(event_id: UUID, body: ReasonIn, pool: Pool,
                         principal: CurrentPrincipal) -> ActivityEventOut:
    """Postponed to a time not yet known."""
    return await _change_status(pool, principal, event_id, "postponed", body.reason)


@router.post("/events/{event_id}/reschedule")
async def reschedule_event(event_id: UUID, body: RescheduleIn, pool: Pool,
                           principal: CurrentPrincipal) -> ActivityEventOut:
    return await _change_status(pool, principal, event_id, "rescheduled", new_time=body)


@router.post("/events/{event_id}/cancel")
async def cancel_event(event_id: UUID, body: ReasonIn, pool: Pool,
                       principal: CurrentPrincipal) -> ActivityEventOut:
    return await _change_status(pool, principal, event_id, "cancelled", body.reason)


@router.put("/events/{event_id}/attendance")
async def report_attendance(event_id: UUID, body: AttendanceIn, pool: Pool,
                            principal: CurrentPrincipal) -> dict[str, Any]:
    """After the activity, the organiser or library staff report how many took part; a later
    report corrects the earlier one."""
    async with pool.acquire() as conn, conn.transaction():
        row = await _load(conn, event_id, for_update=True)
        _editable(principal, row)
        domain.check_attendance(row["status"], row["ends_at"], datetime.now(UTC))
        revision = await store.save_attendance(conn, event_id, body.participants,
                                               body.visitors, _who(principal))
        await enqueue(conn, AttendanceReported(
            organiser_id=_organiser_ref(row),
            event_id=event_id, report_revision=revision, participants=body.participants,
            visitors=body.visitors, starts_at=row["starts_at"], ends_at=row["ends_at"],
            area=row["area"], venue_id=row["venue_id"], kind=row["kind"]))
    return {"event_id": str(event_id), "participants": body.participants,
            "visitors": body.visitors, "report_revision": revision}


class RepeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: date | None = None
    count: int | None = Field(None, ge=1, le=60)


class SeriesIn(ActivityEventIn):
    """The first occurrence's details and how it repeats (weekly, same local time)."""

    repeat: RepeatIn


class SeriesOut(BaseModel):
    series_id: UUID
    occurrences: list[ActivityEventOut]


@router.post("/series", status_code=status.HTTP_201_CREATED)
async def create_series(body: SeriesIn, pool: Pool, principal: CurrentPrincipal) -> SeriesOut:
    """A weekly group as one series of draft occurrences; each can later be changed,
    rescheduled or cancelled on its own."""
    require(principal, "organiser", "desk", "communications")
    occurrences = weekly_occurrences(body.starts_at, body.ends_at, until=body.repeat.until,
                                     count=body.repeat.count)
    series_id = uuid4()
    data = _jsonable(body, exclude={"repeat"})
    ids = []
    async with pool.acquire() as conn, conn.transaction():
        await _check_vocabularies(conn, data)
        if body.venue_id is not None:
            venue = await store.get_venue(conn, body.venue_id)
            if venue is None:
                raise Invalid("unknown venue", field="venue_id")
            data["area"] = data.get("area") or venue["area"]
        await conn.execute(
            "INSERT INTO activity_event_series (id, owner_subject, rule) VALUES ($1, $2, $3)",
            series_id, principal.subject, body.repeat.model_dump(mode="json"))
        for starts_at, ends_at in occurrences:
            event_id = uuid4()
            await store.insert_event(conn, {**data, "id": event_id, "starts_at": starts_at,
                                            "ends_at": ends_at, "series_id": series_id,
                                            "owner_subject": principal.subject})
            await store.record_history(conn, event_id, "draft", _who(principal), None)
            ids.append(event_id)
        return SeriesOut(series_id=series_id,
                         occurrences=[_out(await _load(conn, i)) for i in ids])


@router.post("/series/{series_id}/publish")
async def publish_series(series_id: UUID, pool: Pool,
                         principal: CurrentPrincipal) -> list[ActivityEventOut]:
    """Publish every draft occurrence of the series at once."""
    async with pool.acquire() as conn:
        drafts = [r["id"] for r in await conn.fetch(
            "SELECT id FROM activity_events WHERE series_id = $1 AND status = 'draft'"
            " ORDER BY starts_at", series_id)]
        if not drafts and not await conn.fetchval(
                "SELECT 1 FROM activity_event_series WHERE id = $1", series_id):
            raise NotFound("no such series", series_id=str(series_id))
    return [await _change_status(pool, principal, d, "published") for d in drafts]


# --- Linked Events interoperability -----------------------------------------------------------


@router.get("/linkedevents/v1/event/", tags=["linked events"])
async def linked_events_export(request: Request, pool: Pool, principal: CurrentPrincipal,
                               query: Annotated[EventQuery, Depends()],
                               page: int = Query(1, ge=1, le=10_000),
                               page_size: int = Query(20, ge=1, le=100)) -> dict[str, Any]:
    """Public events in Linked Events' JSON (API v1), paginated the way it is."""
    rows, total = await find(pool, PUBLIC_ONLY, query, page_size, (page - 1) * page_size)
    base = str(request.base_url)
    url = str(request.url.remove_query_params("page"))
    joiner = "&" if "?" in url else "?"
    return {
        "meta": {"count": total,
                 "next": f"{url}{joiner}page={page + 1}" if page * page_size < total else None,
                 "previous": f"{url}{joiner}page={page - 1}" if page > 1 else None},
        "data": [linked_events.to_linked_event(r, base) for r in rows],
    }


class LinkedEventsImport(BaseModel):
    data: list[dict[str, Any]] = Field(max_length=1000)


@router.post("/linkedevents/v1/import", tags=["linked events"])
async def linked_events_import(body: LinkedEventsImport, pool: Pool,
                               principal: CurrentPrincipal) -> dict[str, Any]:
    """Take events from a Linked Events feed: new ones are created and published, known ones
    (by their Linked Events id) updated, each change told to the other services as usual."""
    require(principal, "communications")
    created: list[str] = []
    updated: list[str] = []
    failed: list[dict[str, str]] = []
    for document in body.data:
        try:
            fields = linked_events.from_linked_event(document)
            event_id = await _import_one(pool, principal, fields)
        except (ValueError, DomainError) as exc:
            failed.append({"id": str(document.get("id")), "error": str(
                getattr(exc, "message", exc))})
            continue
        (created if event_id[1] else updated).append(str(event_id[0]))
    return {"created": created, "updated": updated, "failed": failed}


async def _import_one(pool: Any, principal: Principal,
                      fields: dict[str, Any]) -> tuple[UUID, bool]:
    target = fields.pop("status")
    async with pool.acquire() as conn:
        existing = await conn.fetchrow(
            "SELECT id, status FROM activity_events WHERE external_id = $1",
            fields["external_id"])
        if fields["venue_id"] is not None and await store.get_venue(
                conn, fields["venue_id"]) is None:
            fields["venue_id"], fields["place_kind"] = None, "other_place"
        if existing is None:
            event_id = uuid4()
            async with conn.transaction():
                await store.insert_event(conn, {**fields, "id": event_id,
                                                "owner_subject": principal.subject})
                await store.record_history(conn, event_id, "draft", _who(principal),
                                           "imported from Linked Events")
            is_new, status = True, "draft"
        else:
            event_id, is_new, status = existing["id"], False, existing["status"]
    if not is_new:
        details = {k: v for k, v in fields.items()
                   if k not in ("starts_at", "ends_at", "external_id")}
        async with pool.acquire() as conn, conn.transaction():
            row = await _load(conn, event_id, for_update=True)
            live = row["status"] != "draft"
            await store.update_event(conn, event_id, details, new_revision=live)
            if live and status != "cancelled":
                await enqueue(conn, _facts(ActivityEventUpdated, await _load(conn, event_id)))
            moved = (row["starts_at"], row["ends_at"]) != (fields["starts_at"],
                                                            fields["ends_at"])
        if moved and status in ("published", "postponed", "rescheduled"):
            await _change_status(pool, principal, event_id, "rescheduled",
                                 new_time=RescheduleIn(starts_at=fields["starts_at"],
                                                       ends_at=fields["ends_at"]))
            status = "rescheduled"
    if status == "draft":
        await _change_status(pool, principal, event_id, "published")
        status = "published"
    if target in ("cancelled", "postponed") and status != target:
        await _change_status(pool, principal, event_id, target,
                             reason="changed in Linked Events")
    return event_id, is_new
