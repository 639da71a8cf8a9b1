"""Activity events: the list and one event for everyone, creating and editing for organisers
and staff. Each route parses, calls its use case and shapes the answer."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status

from services.events import usecases
from services.events.schemas import (
    ActivityEventIn,
    ActivityEventOut,
    ActivityEventPage,
    ActivityEventPatch,
    AttendanceIn,
    AttendanceOut,
    CancelIn,
    EventQuery,
    HistoryOut,
    PublishedOut,
    ReasonIn,
    RescheduleIn,
    cached,
    event_out,
    fields_of,
    published_out,
)
from shared.auth import CurrentPrincipal, SignedIn
from shared.http import reader_language
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["activity events"])


@router.get("/events", response_model=ActivityEventPage)
async def list_events(request: Request, pool: Pool, principal: CurrentPrincipal,
                      query: Annotated[EventQuery, Depends()],
                      limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
                      sort: Literal["starts_at", "-starts_at"] = "starts_at") -> Response:
    """Published, postponed, rescheduled and cancelled events for everyone (past ones too);
    drafts only for whoever may edit them."""
    rows, total = await usecases.find_events(usecases.unit_of_work(pool), principal,
                                             query.filters, limit, offset,
                                             newest_first=sort == "-starts_at")
    page = ActivityEventPage(items=[event_out(r) for r in rows], total=total, limit=limit,
                             offset=offset)
    return cached(request, principal, page.model_dump_json().encode(), "application/json")


@router.get("/events/{event_id}")
async def get_event(event_id: UUID, pool: Pool, principal: CurrentPrincipal) -> ActivityEventOut:
    return event_out(await usecases.get_event(usecases.unit_of_work(pool), principal, event_id))


@router.post("/events", status_code=status.HTTP_201_CREATED)
async def create_event(body: ActivityEventIn, pool: Pool, clock: CurrentClock,
                       principal: SignedIn) -> ActivityEventOut:
    return event_out(await usecases.create_event(usecases.unit_of_work(pool), clock, principal,
                                                 fields_of(body)))


@router.delete("/events/{event_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_draft(event_id: UUID, pool: Pool, clock: CurrentClock,
                       principal: SignedIn) -> Response:
    """Delete a draft that was never published (nothing is told: nobody outside saw it).
    Anything else is refused (409 `not_deleted`: cancel a published one; 409
    `awaiting_approval`: take one awaiting approval back to a draft first,
    `POST /events/{id}/back-to-draft`), as is a booking's draft (409 `booking_draft`:
    cancelling the booking withdraws it)."""
    await usecases.delete_draft(usecases.unit_of_work(pool), clock, principal, event_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/events/{event_id}")
async def edit_event(event_id: UUID, body: ActivityEventPatch, pool: Pool, clock: CurrentClock,
                     principal: SignedIn) -> ActivityEventOut:
    """Edit the details. On a published event this is a new revision residents are told
    about (`event.updated`); its time changes only by rescheduling. A `place_kind` of no
    venue (`outdoors`, `pop_up`, `online`, `other_place`) leaves the venue and its space:
    `venue_id` and `space_id` become null (the area stays). A `capacity` below the seats the
    sign-up has confirmed is refused (422 `capacity_below_confirmed`, with `confirmed`)."""
    return event_out(await usecases.update_event(usecases.unit_of_work(pool), clock, principal,
                                                 event_id, fields_of(body, exclude_unset=True)))


@router.patch("/events/{event_id}/series-to-come", responses={
    409: {"description": "`code` says which: `not_a_series`, the activity is not one of a "
                         "series (edit it with `PATCH /events/{id}`); `not_edited`, this "
                         "occurrence is not edited (cancelled, withdrawn or waiting for "
                         "approval: `status`)"},
    422: {"description": "Every rule the edit breaks, of this occurrence or of another "
                         "still to come, at once; another's refusal carries `occurrence`, "
                         "its start (ISO 8601). Nothing is stored",
          "content": {"application/json": {"schema": {
              "$ref": "#/components/schemas/HTTPValidationError"}}}}})
async def edit_series_to_come(event_id: UUID, body: ActivityEventPatch, pool: Pool,
                              clock: CurrentClock,
                              principal: SignedIn) -> list[ActivityEventOut]:
    """Edit this occurrence of a weekly series as `PATCH /events/{id}` does, and give every
    other occurrence of its series still to come (not started, not cancelled, withdrawn or
    waiting for approval) the same changed details, never the time (`starts_at`, `ends_at`
    and `all_day` are this occurrence's alone). Each published one is a new revision
    residents are told about (`event.updated`). All of them or none, in one transaction.
    Answers the occurrences edited, this one first: the organiser's pages' "for every time
    in the series still to come"."""
    rows = await usecases.update_series_to_come(usecases.unit_of_work(pool), clock, principal,
                                                event_id, fields_of(body, exclude_unset=True))
    return [event_out(r) for r in rows]


@router.post("/events/{event_id}/publish")
async def publish_event(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                        principal: SignedIn) -> PublishedOut:
    """Out at once with a confirmed booking where it happens, or published by staff who may
    approve it; otherwise it waits in the approval queue (`awaiting_approval`), and its
    organiser is emailed the decision at the address their identity provider verified (or,
    for a booking's draft, the one the booking verified), in
    the request's language (`?lang=`, the `kohtaamo_lang` cookie or Accept-Language).
    One dated entirely in the past (a late report) is published too, with a `note`
    (`past_activity`, in that language): no upcoming list shows it, the indicators count
    it."""
    lang = reader_language(request)
    row = await usecases.publish_event(usecases.unit_of_work(pool), clock, principal,
                                       event_id, language=lang)
    return published_out(row, clock.now(), lang)


@router.post("/events/{event_id}/back-to-draft")
async def back_to_draft(event_id: UUID, pool: Pool, clock: CurrentClock,
                        principal: SignedIn) -> ActivityEventOut:
    """Its organiser takes an activity awaiting approval back to a draft: it leaves the
    approval queue and is edited, sent again or deleted as any draft. Anything else is 409
    `not_awaiting_approval`. (One awaiting approval is neither cancelled nor deleted: 409
    `awaiting_approval`, saying to take it back first.)"""
    return event_out(await usecases.back_to_draft(usecases.unit_of_work(pool), clock,
                                                  principal, event_id))


@router.post("/events/{event_id}/postpone")
async def postpone_event(event_id: UUID, body: ReasonIn, pool: Pool, clock: CurrentClock,
                         principal: SignedIn) -> ActivityEventOut:
    """Postponed to a time not yet known."""
    return event_out(await usecases.postpone_event(usecases.unit_of_work(pool), clock,
                                                   principal, event_id, body.reason))


@router.post("/events/{event_id}/reschedule", responses={202: {
    "description": "The activity has a booking: the booking service was asked to move it; "
                   "the event's `pending_move` shows the new time until the booking moved "
                   "(then residents are told) or the move was refused (see its history)."}})
async def reschedule_event(event_id: UUID, body: RescheduleIn, pool: Pool, clock: CurrentClock,
                           principal: SignedIn, response: Response) -> ActivityEventOut:
    row = await usecases.reschedule_event(
        usecases.unit_of_work(pool), clock, principal, event_id,
        usecases.NewTime(body.starts_at, body.ends_at))
    if row["pending_move"] is not None:
        response.status_code = status.HTTP_202_ACCEPTED
    return event_out(row)


@router.post("/events/{event_id}/cancel")
async def cancel_event(event_id: UUID, body: CancelIn, pool: Pool, clock: CurrentClock,
                       principal: SignedIn) -> ActivityEventOut:
    """Cancelled with the reason residents are told; `release_booking` frees the activity's
    booking too."""
    return event_out(await usecases.cancel_event(usecases.unit_of_work(pool), clock, principal,
                                                 event_id, body.reason,
                                                 release_booking=body.release_booking))


@router.get("/events/{event_id}/history")
async def event_history(event_id: UUID, pool: Pool,
                        principal: SignedIn) -> list[HistoryOut]:
    """Every step of the event with who and why (for those who may edit it)."""
    rows = await usecases.event_history(usecases.unit_of_work(pool), principal, event_id)
    return [HistoryOut.model_validate(r) for r in rows]


@router.get("/approvals", tags=["approval queue"])
async def approval_queue(pool: Pool, clock: CurrentClock, principal: SignedIn,
                         area: Annotated[str | None, Query(max_length=100,
                                                           pattern=r"^[a-z0-9_.-]+$")] = None,
                         limit: Annotated[int, Query(ge=1, le=200)] = 50,
                         offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
                         ended: Annotated[bool, Query(
                             description="those that ended waiting, latest first, instead "
                                         "of the queue")] = False,
                         ) -> list[ActivityEventOut]:
    """Events waiting for approval before they go out on the city's channels: those at the
    caller's venues (desk, communications with venues), or all (communications). The queue
    is those not over yet, soonest first; `ended=true` lists those that ended waiting,
    latest first (approving one publishes it as a past activity, which counts in the
    figures; its organiser is not mailed the decision)."""
    rows = await usecases.approval_queue(usecases.unit_of_work(pool), clock, principal, area,
                                         limit, offset, ended=ended)
    return [event_out(r) for r in rows]


@router.post("/events/{event_id}/approve", tags=["approval queue"])
async def approve_event(event_id: UUID, pool: Pool, clock: CurrentClock,
                        principal: SignedIn) -> ActivityEventOut:
    return event_out(await usecases.approve_event(usecases.unit_of_work(pool), clock,
                                                  principal, event_id))


@router.post("/events/{event_id}/refuse", tags=["approval queue"])
async def refuse_event(event_id: UUID, body: ReasonIn, pool: Pool, clock: CurrentClock,
                       principal: SignedIn) -> ActivityEventOut:
    """Refused with a reason: the organiser's draft again; its history says why, and the
    organiser is emailed the reason (as they are told of an approval)."""
    return event_out(await usecases.refuse_event(usecases.unit_of_work(pool), clock,
                                                 principal, event_id, body.reason))


@router.post("/events/{event_id}/attendance/confirm")
async def confirm_attendance(event_id: UUID, pool: Pool, clock: CurrentClock,
                             principal: SignedIn) -> dict[str, int]:
    """Staff confirm an attendance figure above the plausible: it counts from now on."""
    revision = await usecases.confirm_attendance(usecases.unit_of_work(pool), clock,
                                                 principal, event_id)
    return {"report_revision": revision}


@router.put("/events/{event_id}/attendance")
async def report_attendance(event_id: UUID, body: AttendanceIn, pool: Pool, clock: CurrentClock,
                            principal: SignedIn) -> AttendanceOut:
    """After the activity, the organiser or library staff report how many took part; a later
    report corrects the earlier one."""
    revision = await usecases.report_attendance(
        usecases.unit_of_work(pool), clock, principal, event_id,
        usecases.Attendance(body.participants, body.visitors))
    held = await usecases.attendance_held(usecases.unit_of_work(pool), principal, event_id)
    return AttendanceOut(event_id=event_id, participants=body.participants,
                         visitors=body.visitors, report_revision=revision, held=held)
