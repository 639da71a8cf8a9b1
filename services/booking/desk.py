"""The booking desk's web page: today's bookings, requests to decide, a week per space and
walk-in booking, server-rendered for library staff (fi/sv/en). Actions are plain form posts
that call the same use cases as the JSON API, so the rules are the same."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from email_validator import EmailNotValidError, validate_email
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.domain import HELSINKI, Booking
from services.booking.labels import labels
from shared.auth import Principal, Unauthenticated
from shared.bounds import Day, Str, check_moment
from shared.contracts import LocalizedText
from shared.errors import DomainError, Forbidden
from shared.l10n import clock_time, day_full, day_short
from shared.pages import PageSession, guide_widget, page_lang, refused_page
from shared.service import CurrentClock

router = APIRouter(tags=["desk page"], include_in_schema=False)
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_templates.globals["guide_widget"] = guide_widget


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


def _hours(starts_at: datetime, ends_at: datetime, lang: str) -> str:
    """"15.00–16.00" (fi), "15:00–16:00" (sv, en); a booking over midnight names both days."""
    start, end = _local(starts_at), _local(ends_at)
    if start.date() == end.date():
        return f"{clock_time(start, lang)}–{clock_time(end, lang)}"
    return (f"{day_short(start.date(), lang)} {clock_time(start, lang)}–"
            f"{day_short(end.date(), lang)} {clock_time(end, lang)}")


def _span(b: Booking, lang: str) -> str:
    return _hours(b.starts_at, b.ends_at, lang)


def _taken(conflict: dict[str, Any], lang: str) -> str:
    """A booking in the way, as "3.12. 15.00–16.00"."""
    start = datetime.fromisoformat(conflict["starts_at"])
    end = datetime.fromisoformat(conflict["ends_at"])
    return f"{day_short(_local(start).date(), lang)} {_hours(start, end, lang)}"


#: The desk's cookie session: sign-in by form, sign-out, CSRF token in every form.
SESSION = PageSession("booking", "/desk", {"fi": "Varaustiski", "sv": "Bokningsdisken",
                                           "en": "Booking desk"}, roles=("desk",))
router.include_router(SESSION.router())


def _desk_principal(request: Request) -> Principal:
    principal = SESSION.principal(request)
    if principal.is_public:
        raise Unauthenticated("sign in at /desk/login")
    if not principal.has("desk"):
        raise Forbidden("the booking desk is for library desk staff")
    return principal


@router.get("/desk", response_class=HTMLResponse)
async def desk_page(request: Request, uow: Uow, clock: CurrentClock,
                    venue_id: UUID | None = None, day: Day | None = None,
                    space_id: UUID | None = None,
                    lang: str = Query("fi", pattern="^(fi|sv|en)$"),
                    msg: Str | None = Query(None, max_length=500),
                    error: bool = False) -> Response:
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse(f"/desk/login?{urlencode({'lang': lang})}", status_code=303)
    day = day or _local(clock.now()).date()
    monday = day - timedelta(days=day.isoweekday() - 1)
    found = await usecases.desk_day(uow, principal, venue_id, monday)
    venue, spaces, rows = found.venue, found.spaces, found.week
    space_id = space_id if any(s.id == space_id for s in spaces) else (
        spaces[0].id if spaces else None)
    t = labels(lang)

    def name(value: Any) -> str:
        return LocalizedText(**value).get(lang)

    space_names = {s.id: name(s.name) for s in spaces}
    todays = [b for b in rows if _local(b.starts_at).date() <= day <= _local(b.ends_at).date()]
    week = []
    for i in range(7):
        d = monday + timedelta(days=i)
        week.append({"label": f"{t['weekdays'][i]} {day_short(d, lang)}", "bookings": [
            {"time": _span(b, lang), "title": b.title, "status": b.status} for b in rows
            if b.space_id == space_id and _local(b.starts_at).date() == d]})
    now = _local(clock.now())
    next_slot = (now + timedelta(minutes=15 - now.minute % 15)).replace(second=0, microsecond=0)

    def who(b: Booking) -> str:
        return b.contact.name if b.contact else ""

    html = _templates.get_template("desk.html").render(
        lang=lang, t=t, csrf=SESSION.csrf_token(request), day=day.isoformat(),
        day_label=day_full(day, lang),
        venue={"id": venue.id, "name": venue.name},
        venues=[{"id": v.id, "name": v.name} for v in found.venues],
        spaces=[{"id": s.id, "name": s.name} for s in spaces], space_id=space_id,
        back=urlencode({"venue_id": str(venue.id), "day": day.isoformat(), "lang": lang}),
        msg=msg, error=error, next_slot=f"{next_slot:%Y-%m-%dT%H:%M}", week=week,
        pending=[{"id": b.id,
                  "when": f"{day_short(_local(b.starts_at).date(), lang)} {_span(b, lang)}",
                  "space": space_names.get(b.space_id, ""), "title": b.title,
                  "organiser": who(b),
                  "contact": (b.contact.email or "") if b.contact else "",
                  "cooperation": b.cooperation, "price": b.price} for b in found.pending],
        today=[{"id": b.id, "time": _span(b, lang), "title": b.title, "status": b.status,
                "space": space_names.get(b.space_id, ""), "checked_in": b.checked_in_at,
                "organiser": who(b)} for b in todays],
    )
    response = HTMLResponse(html)
    response.headers["Cache-Control"] = "no-store"  # organisers' names and addresses
    return response


def _back(request: Request, message: str, error: bool = False) -> RedirectResponse:
    params = {k: v for k, v in request.query_params.items() if k not in ("msg", "error")}
    params["msg"] = message
    if error:
        params["error"] = "1"
    return RedirectResponse(f"/desk?{urlencode(params)}", status_code=303)


async def _act(request: Request, action: Callable[[Principal], Awaitable[Any]]) -> Response:
    """A form's action as the signed-in desk: done, or the rule's message on the page."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/desk")
    try:
        await action(_desk_principal(request))
    except DomainError as exc:
        return _back(request, exc.message, error=True)
    return _back(request, labels(request.query_params.get("lang", "fi"))["done"])


Reason = Annotated[Str, Form(min_length=1, max_length=1000)]


@router.post("/desk/bookings/{booking_id}/confirm")
async def desk_confirm(booking_id: UUID, request: Request, uow: Uow,
                       clock: CurrentClock) -> Response:
    return await _act(request, lambda p: usecases.confirm_booking(uow, clock, p, booking_id))


@router.post("/desk/bookings/{booking_id}/reject")
async def desk_reject(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                      reason: Reason) -> Response:
    return await _act(request, lambda p: usecases.reject_booking(uow, clock, p, booking_id,
                                                                 reason))


@router.post("/desk/bookings/{booking_id}/cancel")
async def desk_cancel(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                      reason: Reason) -> Response:
    return await _act(request, lambda p: usecases.cancel_booking(uow, clock, p, booking_id,
                                                                 reason))


@router.post("/desk/bookings/{booking_id}/check-in")
async def desk_check_in(booking_id: UUID, request: Request, uow: Uow,
                        clock: CurrentClock) -> Response:
    return await _act(request, lambda p: usecases.check_in(uow, clock, p, booking_id))


@router.post("/desk/walk-in")
async def desk_walk_in(request: Request, uow: Uow, clock: CurrentClock,
                       space_id: Annotated[UUID, Form()],
                       title: Annotated[Str, Form(min_length=1, max_length=200)],
                       starts_at: Annotated[Str, Form(min_length=1, max_length=40)],
                       minutes: Annotated[int, Form(ge=15, le=24 * 60)],
                       organiser_name: Annotated[Str, Form(min_length=1, max_length=200)],
                       organiser_email: Annotated[Str, Form(min_length=3, max_length=320)]
                       ) -> Response:
    """A walk-in booking: confirmed at once, run with the library, the desk as contact. The
    same use case and rules as the API's walk-in (`POST /bookings?walk_in=true`)."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/desk")
    lang = page_lang(request)
    try:
        principal = _desk_principal(request)
        local = datetime.fromisoformat(starts_at)
        start = check_moment(local if local.tzinfo else local.replace(tzinfo=HELSINKI))
        email = _email(organiser_email)
        booked = await usecases.request_booking(uow, clock, principal, usecases.BookingCommand(
            space_id=space_id, starts_at=start, ends_at=start + timedelta(minutes=minutes),
            details=usecases.RequestDetails(
                title=title, accept_house_rules=True,
                organiser=usecases.OrganiserDetails(organiser_name, email),
                library_contact=principal.name or "desk")), walk_in=True)
    except DomainError as exc:
        taken = ", ".join(_taken(c, lang) for c in exc.details.get("conflicts", [])
                          if "starts_at" in c)
        return _back(request, exc.message + (f" ({taken})" if taken else ""), error=True)
    except ValueError as exc:  # a malformed time or email from the form
        return _back(request, str(exc).splitlines()[0], error=True)
    return _back(request, f"{booked.title}: {_span(booked, lang)} ✓")


def _email(value: str) -> str:
    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValueError(f"the email address is not valid: {exc}") from None
