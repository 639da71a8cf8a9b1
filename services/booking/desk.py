"""The booking desk's web page: today's bookings, requests to decide, a week per space and
walk-in booking, server-rendered for library staff (fi/sv/en). Actions are plain form posts
that go through the same functions as the JSON API, so the rules are the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.booking import api, domain, store
from shared.auth import Principal, Unauthenticated, page_login, principal_from
from shared.contracts import LocalizedText
from shared.errors import DomainError, Forbidden
from shared.service import Pool

router = APIRouter(tags=["desk page"], include_in_schema=False)
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))

LABELS: dict[str, dict[str, Any]] = {
    "fi": {"title": "Varaustiski", "venue": "Toimipiste", "day": "Päivä",
           "pending": "Vahvistusta odottavat", "none": "Ei mitään.", "paid": "Maksullinen",
           "confirm": "Vahvista", "reject": "Hylkää", "reason": "syy", "today": "Varaukset",
           "check_in": "Saapunut", "stop": "Peru", "walk_in": "Pikavaraus tiskillä",
           "what": "Mitä", "space": "Tila", "start": "Alkaa", "minutes": "Kesto (min)",
           "organiser": "Järjestäjä", "email": "Sähköposti", "book": "Varaa",
           "week": "Viikko", "done": "Tehty.",
           "weekdays": ["ma", "ti", "ke", "to", "pe", "la", "su"],
           "statuses": {"held": "pidossa", "requested": "odottaa", "confirmed": "vahvistettu",
                        "rejected": "hylätty", "cancelled": "peruttu", "expired": "vanhentunut",
                        "no_show": "ei saapunut"}},
    "sv": {"title": "Bokningsdisken", "venue": "Verksamhetsställe", "day": "Dag",
           "pending": "Väntar på bekräftelse", "none": "Inget.", "paid": "Avgiftsbelagd",
           "confirm": "Bekräfta", "reject": "Avslå", "reason": "orsak", "today": "Bokningar",
           "check_in": "Anlänt", "stop": "Avboka", "walk_in": "Snabbokning vid disken",
           "what": "Vad", "space": "Lokal", "start": "Börjar", "minutes": "Längd (min)",
           "organiser": "Arrangör", "email": "E-post", "book": "Boka", "week": "Vecka",
           "done": "Klart.",
           "weekdays": ["mån", "tis", "ons", "tor", "fre", "lör", "sön"],
           "statuses": {"held": "reserverad", "requested": "väntar", "confirmed": "bekräftad",
                        "rejected": "avslagen", "cancelled": "avbokad", "expired": "förfallen",
                        "no_show": "kom inte"}},
    "en": {"title": "Booking desk", "venue": "Venue", "day": "Day",
           "pending": "Waiting for confirmation", "none": "Nothing.", "paid": "Paid",
           "confirm": "Confirm", "reject": "Reject", "reason": "reason", "today": "Bookings",
           "check_in": "Arrived", "stop": "Cancel", "walk_in": "Walk-in booking",
           "what": "What", "space": "Space", "start": "Starts", "minutes": "Length (min)",
           "organiser": "Organiser", "email": "Email", "book": "Book", "week": "Week",
           "done": "Done.",
           "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
           "statuses": {"held": "held", "requested": "waiting", "confirmed": "confirmed",
                        "rejected": "rejected", "cancelled": "cancelled", "expired": "expired",
                        "no_show": "no-show"}},
}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(domain.HELSINKI)


def _span(b: api.BookingOut) -> str:
    start, end = _local(b.starts_at), _local(b.ends_at)
    return f"{start:%H.%M}–{end:%H.%M}"


@router.get("/desk/login")
async def login(token: str | None = None) -> Response:
    return page_login(token, "/desk", "Varaustiski")


def _desk_principal(request: Request) -> Principal:
    principal = principal_from(request)
    if principal.is_public:
        raise Unauthenticated("sign in at /desk/login")
    if not principal.has("desk"):
        raise Forbidden("the booking desk is for library desk staff")
    return principal


@router.get("/desk", response_class=HTMLResponse)
async def desk_page(request: Request, pool: Pool, venue_id: UUID | None = None,
                    day: date | None = None, space_id: UUID | None = None,
                    lang: str = Query("fi", pattern="^(fi|sv|en)$"), msg: str | None = None,
                    error: bool = False) -> Response:
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse("/desk/login", status_code=303)
    day = day or _local(datetime.now(UTC)).date()
    async with pool.acquire() as conn:
        venues = [v for v in await store.list_venues(conn) if principal.is_desk_for(v["id"])]
        if not venues:
            raise Forbidden("you are not desk staff of any venue")
        venue = next((v for v in venues if v["id"] == venue_id), venues[0])
        spaces = await store.list_spaces(conn, [venue["id"]])
    space_id = space_id if any(s["id"] == space_id for s in spaces) else (
        spaces[0]["id"] if spaces else None)
    monday = day - timedelta(days=day.isoweekday() - 1)
    rows = await api.desk_bookings(pool, principal, venue["id"], None, monday, 7)
    t = LABELS[lang]

    def name(value: Any) -> str:
        return LocalizedText(**value).get(lang)

    space_names = {s["id"]: name(s["name"]) for s in spaces}
    todays = [b for b in rows if _local(b.starts_at).date() <= day <= _local(b.ends_at).date()]
    pending = [b for b in rows if b.status == "requested"]
    pending += [b for b in await api.desk_bookings(pool, principal, venue["id"], "requested",
                                                   None, 1) if b.id not in {p.id for p in pending}]
    week = []
    for i in range(7):
        d = monday + timedelta(days=i)
        week.append({"label": f"{t['weekdays'][i]} {d:%d.%m.}", "bookings": [
            {"time": _span(b), "title": b.title, "status": b.status} for b in rows
            if b.space_id == space_id and _local(b.starts_at).date() == d]})
    now = _local(datetime.now(UTC))
    next_slot = (now + timedelta(minutes=15 - now.minute % 15)).replace(second=0, microsecond=0)
    html = _templates.get_template("desk.html").render(
        lang=lang, t=t, day=day.isoformat(), day_label=f"{day:%d.%m.%Y}",
        venue={"id": venue["id"], "name": venue["name"]},
        venues=[{"id": v["id"], "name": v["name"]} for v in venues],
        spaces=[{"id": s["id"], "name": s["name"]} for s in spaces], space_id=space_id,
        back=urlencode({"venue_id": str(venue["id"]), "day": day.isoformat(), "lang": lang}),
        msg=msg, error=error, next_slot=f"{next_slot:%Y-%m-%dT%H:%M}", week=week,
        pending=[{"id": b.id, "when": f"{_local(b.starts_at):%d.%m.} {_span(b)}",
                  "space": space_names.get(b.space_id, ""), "title": b.title,
                  "organiser": b.organiser.name if b.organiser else "",
                  "contact": (b.organiser.email or "") if b.organiser else "",
                  "cooperation": b.cooperation, "price": b.price} for b in pending],
        today=[{"id": b.id, "time": _span(b), "title": b.title, "status": b.status,
                "space": space_names.get(b.space_id, ""), "checked_in": b.checked_in_at,
                "organiser": b.organiser.name if b.organiser else ""} for b in todays],
    )
    return HTMLResponse(html)


def _back(request: Request, message: str, error: bool = False) -> RedirectResponse:
    params = {k: v for k, v in request.query_params.items() if k not in ("msg", "error")}
    params["msg"] = message
    if error:
        params["error"] = "1"
    return RedirectResponse(f"/desk?{urlencode(params)}", status_code=303)


async def _act(request: Request, pool: Any, booking_id: UUID, target: str,
               reason: str | None) -> Response:
    lang = request.query_params.get("lang", "fi")
    try:
        principal = _desk_principal(request)
        if target == "checked_in":
            async with pool.acquire() as conn, conn.transaction():
                row, by_desk = await api._authorised_booking(conn, principal, booking_id,
                                                             for_update=True)
                if not by_desk or row["status"] != "confirmed":
                    raise Forbidden("only a confirmed booking of your venue can be checked in")
                await conn.execute("UPDATE bookings SET checked_in_at = now() WHERE id = $1",
                                   booking_id)
        else:
            await api._decide(pool, principal, booking_id, target, reason)
    except DomainError as exc:
        return _back(request, exc.message, error=True)
    return _back(request, LABELS.get(lang, LABELS["fi"])["done"])


@router.post("/desk/bookings/{booking_id}/confirm")
async def desk_confirm(booking_id: UUID, request: Request, pool: Pool) -> Response:
    return await _act(request, pool, booking_id, "confirmed", None)


@router.post("/desk/bookings/{booking_id}/reject")
async def desk_reject(booking_id: UUID, request: Request, pool: Pool,
                      reason: str = Form(min_length=1, max_length=1000)) -> Response:
    return await _act(request, pool, booking_id, "rejected", reason)


@router.post("/desk/bookings/{booking_id}/cancel")
async def desk_cancel(booking_id: UUID, request: Request, pool: Pool,
                      reason: str = Form(min_length=1, max_length=1000)) -> Response:
    return await _act(request, pool, booking_id, "cancelled", reason)


@router.post("/desk/bookings/{booking_id}/check-in")
async def desk_check_in(booking_id: UUID, request: Request, pool: Pool) -> Response:
    return await _act(request, pool, booking_id, "checked_in", None)


@router.post("/desk/walk-in")
async def desk_walk_in(request: Request, pool: Pool, space_id: UUID = Form(),
                       title: str = Form(min_length=1, max_length=200),
                       starts_at: str = Form(), minutes: int = Form(ge=15, le=24 * 60),
                       organiser_name: str = Form(min_length=1, max_length=200),
                       organiser_email: str = Form(min_length=3, max_length=320)) -> Response:
    """A walk-in booking: confirmed at once, run with the library, the desk as contact."""
    try:
        principal = _desk_principal(request)
        local = datetime.fromisoformat(starts_at)
        start = local if local.tzinfo else local.replace(tzinfo=domain.HELSINKI)
        body = api.BookingIn(
            space_id=space_id, starts_at=start, ends_at=start + timedelta(minutes=minutes),
            title=title, organiser=api.OrganiserIn(name=organiser_name, email=organiser_email),
            library_contact=principal.name or "desk", accept_house_rules=True)
        booked = await api.request_booking(body, pool, principal, for_venue_desk=True)
    except DomainError as exc:
        taken = ", ".join(
            f"{_local(datetime.fromisoformat(c['starts_at'])):%d.%m. %H.%M}–"
            f"{_local(datetime.fromisoformat(c['ends_at'])):%H.%M}"
            for c in exc.details.get("conflicts", []) if "starts_at" in c)
        return _back(request, exc.message + (f" ({taken})" if taken else ""), error=True)
    except ValueError as exc:  # a malformed time or email from the form
        return _back(request, str(exc).splitlines()[0], error=True)
    return _back(request, f"{booked.title}: {_span(booked)} ✓")
