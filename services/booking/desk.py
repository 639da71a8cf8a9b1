"""The booking desk's web page: today's bookings, requests to decide, a week per space and
walk-in booking, server-rendered for library staff (fi/sv/en). Actions are plain form posts
that call the same use cases as the JSON API, so the rules are the same; their refusals are
said in the page's language (`labels.error_text`)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from services.booking import domain, usecases
from services.booking.deps import Uow
from services.booking.domain import (
    HELSINKI,
    Booking,
    DayException,
    Resource,
    Space,
    WeeklyHours,
)
from services.booking.labels import (
    SPACE_DETAILS,
    day_and_hours,
    error_text,
    form_day,
    form_time,
    hours,
    labels,
    weekday_name,
)
from services.booking.usecases.loans import Borrower, borrower_refusals, order_refusals
from shared.accessibility import FEATURE_NAMES
from shared.auth import Principal, Unauthenticated
from shared.bounds import Day, Str, check_day
from shared.clock import Clock, monday_of, typed_day
from shared.contracts import LocalizedText
from shared.email_address import email_address
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Refusals,
    checked,
)
from shared.form_refusals import by_input, field_of, focus_input, mapped, summary_links
from shared.forms import WHOLE_FIELD
from shared.http import reader_language, status_of
from shared.l10n import (
    clock_time,
    day_full,
    day_range,
    day_short,
    locale,
    money,
    number,
    text_html,
)
from shared.pages import (
    ENDONYMS,
    LANGS,
    NOTE_KEYS,
    Note,
    PageLang,
    PageSession,
    guide_widget,
    language_switch,
    page_route,
    refused_page,
)
from shared.service import CurrentClock


def _home(lang: str) -> tuple[str, str]:
    return f"/desk?lang={lang}", labels(lang)["title"]


# A query or form the routes' schemas refuse is a page naming the inputs, with a way back.
router = APIRouter(tags=["desk page"], include_in_schema=False, route_class=page_route(_home))
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_templates.globals["guide_widget"] = guide_widget

#: The walk-in form's inputs, whose values come back after a refusal (the CSRF token never).
WALK_IN_INPUTS = ("title", "title_language", "space_id", "starts_at", "minutes",
                  "organiser_name", "organiser_email", "organiser_phone", "contact_language")
#: The rule's field (`Invalid.field`) → the walk-in input it is about; others are said in
#: the summary of refusals with them, or alone in the page's status region.
_FIELD_INPUTS = {"title": "title", "title_language": "title_language",
                 "space_id": "space_id", "starts_at": "starts_at",
                 "ends_at": "minutes", "organiser": "organiser_name",
                 "organiser.name": "organiser_name", "organiser_email": "organiser_email",
                 "organiser.email": "organiser_email", "organiser.phone": "organiser_phone",
                 "organiser_phone": "organiser_phone", "minutes": "minutes",
                 "contact_language": "contact_language"}
#: Each walk-in input's element, which the summary of refusals links to, in the order the
#: form shows them: the order of the summary.
_WALK_IN_IDS = {"title": "w-title", "title_language": "w-title-language",
                "space_id": "w-space", "starts_at": "w-start",
                "minutes": "w-minutes", "organiser_name": "w-organiser",
                "organiser_email": "w-email", "organiser_phone": "w-phone",
                "contact_language": "w-language"}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


def _span(b: Booking, lang: str) -> str:
    return hours(b.starts_at, b.ends_at, lang)


def _hours_now(b: Booking, now: str | None, lang: str) -> str:
    """A request's kind of hours as confirming it would take it now (`now`: by the day's
    current opening rules; None when they no longer hold its time), and, when that is not
    the kind stored when it was sent, that one too: the desk hears what it would confirm."""
    t = labels(lang)
    kinds: Mapping[str, str] = t["kinds"]
    if now == b.hours_kind:
        return kinds.get(now, "") if now != "overnight" else ""
    said = kinds.get(now, "") if now is not None else str(t["kind_outside_now"])
    was = kinds.get(b.hours_kind, "")
    return str(t["kind_when_asked"]).format(now=said, then=was) if said and was else said


def _request_terms(b: Booking, lang: str, kind_now: str | None) -> str:
    """A request's facts the rules turn on, in a line: who asks (a party, a business), a
    shared activity claimed, the library's contact person, staffed or self-service hours
    (as the day's hours are now: what confirming it takes), one time of a series."""
    t = labels(lang)
    parts = [t["organiser_types"].get(b.organiser_type, b.organiser_type),
             t["shared_claim"] if b.shared_activity else "",
             t["contact_at_library"].format(name=b.library_contact) if b.library_contact
             else "", _hours_now(b, kind_now, lang),
             t["series_time"] if b.series_id else ""]
    return " · ".join(p for p in parts if p)


def _day_and_span(b: Booking, lang: str) -> str:
    return day_and_hours(b.starts_at, b.ends_at, lang)


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


async def _form_sender(request: Request, back: str) -> tuple[str, Principal] | Response:
    """A posted form's language and desk staff member; or the refused page for a form from
    another site (`back`: where it offers to go), or the desk page asking to sign in for
    someone signed out meanwhile.

    The form is read whole first, however long a field (the check reads it too, and would
    read it as Starlette does by default): a field over 1 MB (only by tampering: every
    text input has its maxlength) was Starlette's 400, the shared page saying only that
    the request could not be handled; now each form's own rules refuse it by its input,
    naming its limit, the form as typed. The body stays bounded by the service's limit
    (`KOHTAAMO_MAX_BODY_BYTES`, 4 MB by default): past that it is still the shared 413,
    refused before any route reads it."""
    await request.form(max_part_size=WHOLE_FIELD)
    if not await SESSION.check_form(request):
        return refused_page(request, back)
    lang = reader_language(request)
    try:
        return lang, _desk_principal(request)
    except DomainError as exc:
        return _back(request, error_text(exc, lang), error=True)


def _switch(request: Request, path: str, lang: str, **kept: Any) -> Markup:
    """A venue page's fi/sv/en switch, as /desk's (`shared.pages.language_switch`): the
    same page in each language, with its venue (`kept`, None left out) and the rest of the
    address it was asked by (a day, a space), but not a note it was sent with (said in the
    language it was written in). After a form, the page it came from, as asked anew."""
    asked = request.query_params.multi_items() if request.method == "GET" else []
    params = [(k, v) for k, v in asked if k not in (*NOTE_KEYS, "lang", *kept)]
    params += [(k, str(v)) for k, v in kept.items() if v is not None]
    return Markup(language_switch(
        lang, lambda code: f"{path}?{urlencode([*params, ('lang', code)])}"))


def _desk_url(**params: Any) -> str:
    """A link to the page with these parameters (None left out)."""
    return "/desk?" + urlencode({k: str(v) for k, v in params.items() if v is not None})


@router.get("/desk", response_class=HTMLResponse)
async def desk_page(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                    venue_id: UUID | None = None, day: Day | None = None,
                    space_id: UUID | None = None,
                    note: Note = Depends(SESSION.note)) -> Response:
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse(f"/desk/login?{urlencode({'lang': lang})}", status_code=303)
    return await _page(uow, clock, principal, request, venue_id=venue_id, day=day,
                       space_id=space_id, lang=lang, msg=note.text, error=note.error)


async def _page(uow: Uow, clock: Clock, principal: Principal, request: Request, *,
                venue_id: UUID | None, day: date | None, space_id: UUID | None, lang: str,
                msg: str | None = None, error: bool = False,
                entered: Mapping[str, str] | None = None,
                invalid: Mapping[str, str] | None = None, unplaced: Sequence[str] = (),
                row_form: Mapping[str, Any] | None = None, status_code: int = 200) -> Response:
    """The page; after a refused walk-in, with what was `entered` in the form and every
    refusal next to its input (`invalid`: input → text) with a summary at the top of the
    form linking to each (`unplaced`: those of no input, said in the summary too), or one of
    no input alone in the status region (`msg`);
    after a refused reject, cancel or move, with that booking's form as typed and open, the
    refusal next to its input (`row_form`); a row the page does not show, in the status
    region."""
    day = day or _local(clock.now()).date()
    monday = monday_of(day)
    found = await usecases.desk_day(uow, principal, venue_id, monday)
    venue, spaces, rows = found.venue, found.spaces, found.week
    space_id = space_id if any(s.id == space_id for s in spaces) else (
        spaces[0].id if spaces else None)
    t = labels(lang)

    def name(value: Any) -> str:
        return LocalizedText(**value).get(lang)

    def here(**changes: Any) -> str:
        """This page with some parameters changed: venue, day, space and language kept."""
        params: dict[str, Any] = {"venue_id": venue.id, "day": day, "space_id": space_id,
                                  "lang": lang}
        return _desk_url(**{**params, **changes})

    space_names = {s.id: name(s.name) for s in spaces}
    todays = [b for b in rows if _local(b.starts_at).date() <= day <= _local(b.ends_at).date()]
    shown = {("reject", b.id) for b in found.pending} | {
        (form, b.id) for b in todays if b.status == "confirmed" for form in ("cancel", "move")}
    if row_form is not None and (row_form["form"], row_form["booking"]) not in shown:
        # A form for a row this page does not have (sent from another day's page, or made
        # up): its refusals are said in the status region, where they are read, not lost.
        msg, error, row_form = " ".join(row_form["said"]), True, None
    week = []
    for i in range(7):
        d = monday + timedelta(days=i)
        week.append({"label": f"{t['weekdays'][i]} {day_short(d, lang)}", "bookings": [
            {"time": _span(b, lang), "title": b.title, "status": b.status} for b in rows
            if b.space_id == space_id and _local(b.starts_at).date() == d]})
    now = _local(clock.now())
    next_slot = (now + timedelta(minutes=15 - now.minute % 15)).replace(second=0, microsecond=0)
    form = {"starts_at": f"{next_slot:%Y-%m-%dT%H:%M}", "minutes": "60",
            "space_id": str(space_id or ""), "contact_language": lang,
            # The title's language is asked apart from the messages' (Finnish unless chosen).
            "title_language": "fi", **(entered or {})}

    def who(b: Booking) -> str:
        return b.contact.name if b.contact else ""

    html = _templates.get_template("desk.html").render(
        lang=lang, t=t, csrf=SESSION.csrf_token(request), day=day.isoformat(),
        day_label=day_full(day, lang), week_label=day_range(monday, monday + timedelta(6), lang),
        venue={"id": venue.id, "name": venue.name},
        venues=[{"id": v.id, "name": v.name} for v in found.venues],
        spaces=[{"id": str(s.id), "name": s.name} for s in spaces],
        space_id=str(space_id or ""),
        back=urlencode({k: str(v) for k, v in (("venue_id", venue.id), ("day", day),
                                               ("space_id", space_id), ("lang", lang))
                        if v is not None}),
        links={"prev_day": here(day=day - timedelta(days=1)),
               "next_day": here(day=day + timedelta(days=1)),
               "prev_week": here(day=day - timedelta(weeks=1)),
               "next_week": here(day=day + timedelta(weeks=1)),
               **{f"lang_{code}": here(lang=code) for code in LANGS}},
        langs=LANGS, endonyms=ENDONYMS, msg=msg, error=error, form=form,
        invalid=invalid or {}, focus=focus_input(invalid or {}, unplaced),
        refusals=summary_links(invalid or {}, unplaced, _WALK_IN_IDS), week=week,
        row_form=row_form,
        # The browser refuses a start gone by before it is sent (the use case still does).
        earliest=f"{(now + timedelta(minutes=1)).replace(second=0, microsecond=0):%Y-%m-%dT%H:%M}",
        pending=[{"id": b.id,
                  "when": _day_and_span(b, lang),
                  "space": space_names.get(b.space_id, ""), "title": b.title,
                  # Marked on a page in another language (WCAG 3.1.2).
                  "title_lang": b.title_language,
                  "organiser": who(b),
                  "contact": (b.contact.email or "") if b.contact else "",
                  "cooperation": b.cooperation,
                  "price": money(b.price, lang) if b.price is not None else "",
                  # What the branch's rules turn on, for the desk to judge by.
                  "terms": _request_terms(b, lang, found.kinds_now.get(b.id, b.hours_kind)),
                  # A series with more than one time waiting: all confirmed with one press.
                  "series_id": b.series_id, "series_times": _series_times(found, b)}
                 for b in found.pending],
        today=[{"id": b.id, "time": _span(b, lang), "title": b.title, "status": b.status,
                "title_lang": b.title_language,
                "space": space_names.get(b.space_id, ""), "checked_in": b.checked_in_at,
                # Offered only when the check-in would be taken (not a week ahead).
                "check_in": domain.check_in_offered(b, clock.now()),
                "organiser": who(b), "start_local": f"{_local(b.starts_at):%Y-%m-%dT%H:%M}",
                "minutes": int((b.ends_at - b.starts_at).total_seconds() // 60),
                "revision": b.revision,
                # Said to whoever asks at the desk or by phone (a walk-in has no mail).
                "door_code": domain.shown_door_code(b.status, b.access_code)}
               for b in todays],
        sheet=_desk_url(venue_id=venue.id, day=day, lang=lang).replace("/desk?",
                                                                       "/desk/day-sheet?"),
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # organisers' names and addresses
    return response


def _series_times(found: usecases.DeskDay, b: Booking) -> int:
    """How many times of the request's series `confirm_series` would confirm, when more
    than this one (0: none to offer)."""
    n = found.series_requested.get(b.series_id, 0) if b.series_id else 0
    return n if n > 1 else 0


def _back(request: Request, message: str, error: bool = False) -> RedirectResponse:
    """To the page the form was on (venue, day, space, language), with the message."""
    return SESSION.noted(request, "/desk", message, error=error,
                         params=request.query_params.items())


def _refused_form(refusals: Sequence[DomainError], lang: str, ids: Mapping[str, str],
                  entered: Mapping[str, Any], *,
                  input_of: Callable[[DomainError], str | None] | None = None,
                  names: Mapping[str, str] | None = None,
                  text_of: Callable[[DomainError], str] | None = None, **about: Any
                  ) -> tuple[dict[str, Any], str | None]:
    """A venue page's form refused, as the walk-in form says it (`shared.form_refusals`):
    what was typed (`entered`), each refusal by its input (`input_of`: the input a refusal
    is about, by default its field when the form has that input; `ids`: input → element, in
    the form's order), a summary linking to each, naming it by its label (`names`), and the
    input that takes focus; `about` says which form (a space's, say). Refusals of no input
    of the form (a conflict, another venue's), with none of an input, are said alone in the
    page's status region instead: the second value."""
    say = text_of or (lambda exc: error_text(exc, lang))
    invalid, unplaced = by_input(refusals, say, input_of or (
        lambda exc: field if (field := field_of(exc)) in ids else None), tuple(ids))
    msg = None if invalid else " ".join(unplaced)
    return ({**about, "entered": dict(entered), "invalid": invalid, "ids": dict(ids),
             "summary": summary_links(invalid, unplaced, ids, names) if invalid else [],
             "focus": focus_input(invalid, unplaced)}, msg)


#: A booking row's form (reject, cancel, move): the rule's field → the input it is about.
_ROW_INPUTS = {"reason": "reason", "starts_at": "starts_at", "ends_at": "starts_at"}
#: Refusals of a move's new time that name no field: the time is taken, or the equipment
#: lent for the booking is not free then. Said by the new start.
_ROW_CODES = {"taken": "starts_at", "loan_move": "starts_at"}
#: Each row form's inputs, in the order it shows them: input → its element's id prefix.
_ROW_IDS = {"move": {"starts_at": "m-start", "reason": "m-reason"},
            "reject": {"reason": "reject-reason"}, "cancel": {"reason": "cancel-reason"}}
#: Each row form's hidden inputs: a refusal of one is the form's (said in its list), not
#: the page's.
_ROW_HIDDEN = {"move": ("minutes",)}


class _RowRefused(Exception):
    """Every refusal of a booking's row form at once (a move's new time, its length and
    its reason), for `_act` to say each by its input."""

    def __init__(self, refusals: Sequence[DomainError]) -> None:
        super().__init__("; ".join(exc.message for exc in refusals))
        self.each = list(refusals)


def _row_input(exc: DomainError) -> str | None:
    if isinstance(exc, Invalid):
        return _ROW_INPUTS.get(exc.field or "")
    return _ROW_CODES.get(str(exc.details.get("code")))


async def _act(request: Request, action: Callable[[Principal], Awaitable[Booking]],
               done: str, row: tuple[UUID, str, Mapping[str, str]] | None = None,
               uow: Uow | None = None, clock: Clock | None = None) -> Response:
    """A form's action as the signed-in desk: what was done to which booking, or the rule's
    refusal, in the page's language, read out in the page's status region. Refusals about
    the inputs of a booking's row form (`row`: the booking, the form and what was typed; a
    reason blank or too long, a new start gone by, outside the opening hours or taken) come
    back in this response instead: the page with that form as typed and open, each refusal
    by its input, and with more than one, a list of them at the top of the form linking to
    each (those of no input there too). The action raises `_RowRefused` to say several."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/desk")
    lang = reader_language(request)
    principal: Principal | None = None
    try:
        principal = _desk_principal(request)
        booking = await action(principal)
    except (DomainError, _RowRefused) as caught:
        refusals = caught.each if isinstance(caught, _RowRefused) else [caught]
        q = request.query_params
        outdated = next((exc for exc in refusals if exc.details.get("code") in (
            "booking_changed", "form_outdated")), None)
        if outdated is not None and principal is not None and uow is not None \
                and clock is not None:
            # Someone else changed it since this page was shown (or the form cannot say
            # what was shown): the page as it is now, the refusal read out, 409.
            return await _page(
                uow, clock, principal, request, venue_id=_uuid(q.get("venue_id")),
                day=_day(q.get("day")), space_id=_uuid(q.get("space_id")), lang=lang,
                msg=error_text(outdated, lang), error=True, status_code=status_of(outdated))
        ids = _ROW_IDS.get(row[1], {}) if row is not None else {}
        invalid, unplaced = by_input(refusals, lambda exc: error_text(exc, lang),
                                     lambda exc: i if (i := _row_input(exc)) in ids else None,
                                     tuple(ids))
        # A hidden input's refusal (a move's length) is the form's, said in its list.
        of_form = bool(invalid) or any(
            isinstance(exc, Invalid) and exc.field in _ROW_HIDDEN.get(row[1], ())
            for exc in refusals) if row is not None else False
        if row is None or not of_form or principal is None or uow is None or clock is None:
            return _back(request, " ".join(unplaced), error=True)
        booking_id, form, entered = row
        t = labels(lang)
        elements = {k: f"{prefix}-{booking_id}" for k, prefix in ids.items()}
        names = {"starts_at": t["new_start"], "reason": t["reason"].capitalize()}
        return await _page(
            uow, clock, principal, request, venue_id=_uuid(q.get("venue_id")),
            day=_day(q.get("day")), space_id=_uuid(q.get("space_id")), lang=lang, error=True,
            row_form={"booking": booking_id, "form": form, "invalid": invalid,
                      "entered": dict(entered), "focus": focus_input(invalid, unplaced),
                      # One refusal is said by its input alone; several (or one of no
                      # input), listed too.
                      "summary": summary_links(invalid, unplaced, elements, names)
                      if len(invalid) + len(unplaced) > 1 or unplaced else [],
                      # Each named by its input, for a page without the row to say.
                      "said": [r["text"] for r in summary_links(invalid, unplaced, elements,
                                                                 names)]},
            status_code=status_of(refusals[0]) if len(refusals) == 1 else 422)
    when = day_and_hours(booking.starts_at, booking.ends_at, lang)
    return _back(request, f"{labels(lang)[done]}: {booking.title}, {when}")


async def _typed_form(request: Request) -> Callable[..., str]:
    """A posted form's texts read by hand, as the walk-in's are: however long (the body's
    limit bounds them) and NUL and all, each refused by its input's rule (the domain's,
    the use case's: its limit, a control character, a choice not offered) with the form
    as typed, where a bound in the route's schema answered the bare shared 422 page that
    lost the form. `typed(name, default)`: the text sent, else `default`."""
    form = await request.form()

    def typed(name: str, default: str = "") -> str:
        value = form.get(name)
        return value if isinstance(value, str) else default

    return typed


def _shown(text: str) -> str:
    """A text as typed, to show it back in its input: cut to what the form takes, a NUL
    as the browser shows it (U+FFFD)."""
    return text[:_TYPED].replace("\x00", "\ufffd")


#: A reason as typed (`_typed_form`): its rules (something to read, at most 1000
#: characters, no control character) are the use case's, said by the reason's input; a
#: longer one is kept to show it back, cut here.
_SHOWN_BACK = domain.DECISION_REASON_MAX + 200


def _shown_reason(reason: str) -> str:
    return reason[:_SHOWN_BACK].replace("\x00", "\ufffd")


@router.post("/desk/bookings/{booking_id}/confirm")
async def desk_confirm(booking_id: UUID, request: Request, uow: Uow,
                       clock: CurrentClock) -> Response:
    return await _act(request, lambda p: usecases.confirm_booking(uow, clock, p, booking_id),
                      "did_confirm")


@router.post("/desk/series/{series_id}/confirm")
async def desk_confirm_series(series_id: UUID, request: Request, uow: Uow,
                              clock: CurrentClock) -> Response:
    """Every time of a series waiting for a decision confirmed at once (`confirm_series`):
    all or none, refused as one time's confirming is (a time taken meanwhile, a day the
    desk closed since, another venue's series), said in the page's status region; done,
    how many times were confirmed."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/desk")
    lang = reader_language(request)
    t = labels(lang)
    try:
        confirmed = await usecases.confirm_series(uow, clock, _desk_principal(request),
                                                  series_id)
    except DomainError as exc:
        return _back(request, error_text(exc, lang), error=True)
    if not confirmed:  # decided meanwhile, one by one
        return _back(request, t["series_none_requested"], error=True)
    n = len(confirmed)
    done = t["did_confirm_series"]["one" if n == 1 else "other"].format(n=n)
    first, last = (_local(b.starts_at).date() for b in (confirmed[0], confirmed[-1]))
    return _back(request, f"{done}: {confirmed[0].title}, {day_range(first, last, lang)}")


@router.post("/desk/bookings/{booking_id}/reject")
async def desk_reject(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock
                      ) -> Response:
    reason = (await _typed_form(request))("reason")
    return await _act(request, lambda p: usecases.reject_booking(uow, clock, p, booking_id,
                                                                 reason), "did_reject",
                      (booking_id, "reject", {"reason": _shown_reason(reason)}), uow, clock)


@router.post("/desk/bookings/{booking_id}/cancel")
async def desk_cancel(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock
                      ) -> Response:
    reason = (await _typed_form(request))("reason")
    return await _act(request, lambda p: usecases.cancel_booking(uow, clock, p, booking_id,
                                                                 reason), "did_cancel",
                      (booking_id, "cancel", {"reason": _shown_reason(reason)}), uow, clock)


@router.post("/desk/bookings/{booking_id}/move")
async def desk_move(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock
                    ) -> Response:
    """Move a confirmed booking to another free time: the same rules and conflict check as
    a new one (`move_booking`, as the API's), and its activity follows (`booking.moved`).
    The desk always gives a reason (the organiser is told it). Every refusal is said at
    once (`move_refusals`: the start and length as typed, the reason, the time's rules,
    the bookings in its way), each by its input with a list of them at the top of the
    form, the form as typed; nothing is moved while one stands. The form carries the
    booking's revision as the page showed it: a booking another desk person changed since
    is refused (409, its time now), not moved over their move. A form without a revision it
    can read (none, tampered with, from an older page) is refused the same way (409, the
    page as it is now, "reload"): read as "no check", it moved whatever changed since. The
    length is hidden too: one it cannot read (an end before the start) is said in the
    form's list as "reload"; a booking not this desk's to move, or none, is said as that
    whatever the form holds."""
    typed = await _typed_form(request)
    starts_at, minutes = typed("starts_at"), typed("minutes")
    reason, revision = typed("reason"), typed("revision")

    async def move(principal: Principal) -> Booking:
        seen = _revision(revision)
        refusals: list[Invalid] = []
        start = checked(refusals, lambda: _start(starts_at), None)
        length = checked(refusals, lambda: _move_minutes(minutes), None)
        end = None if start is None or length is None else domain.ends_after(start, length)
        # Every rule the move breaks, said in one go; nothing is moved while one stands.
        # The booking is judged first, time or none: another venue's, or one gone, is said
        # as such, not by a form's words on a row the page does not have.
        found = [*refusals, *await usecases.move_refusals(
            uow, clock, principal, booking_id, start if end is not None else None, end,
            reason, seen)]
        if found or start is None or end is None:
            raise _RowRefused(found)
        return await usecases.move_booking(uow, clock, principal, booking_id, start, end,
                                           reason, seen)

    return await _act(request, move, "did_move",
                      (booking_id, "move", {"starts_at": _shown(starts_at),
                                            "minutes": _shown(minutes),
                                            "reason": _shown_reason(reason)}), uow, clock)


def _move_minutes(typed: str) -> int:
    """The moved booking's length, which the form carries hidden (a booking keeps its
    length; the longest any space's rules allow): one it cannot read (none, -60, 0) is a
    form not as the page sent it, end before start, said as such: the desk cannot type it."""
    try:
        return _minutes(typed, domain.RULE_BOUNDS["max_minutes"][1])
    except Invalid:
        raise Invalid("the form does not say the booking's length; reload the page and move"
                      " again", field="minutes", code="move_length") from None


def _revision(typed: str) -> int:
    """The booking's revision the move form was shown with: digits, a number a revision can
    be (`Int32`); anything else is a form that cannot say what its sender saw."""
    if typed.isascii() and typed.isdigit() and len(typed) <= 10 and int(typed) <= 2**31 - 1:
        return int(typed)
    raise Conflict("the form does not say which version of the booking it was made from;"
                   " reload the page and move again", code="form_outdated")


@router.get("/desk/day-sheet", response_class=HTMLResponse)
async def desk_day_sheet(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                         venue_id: UUID | None = None, day: Day | None = None) -> Response:
    """The day's bookings of the venue on one printable page: per space, in time order,
    with a column to tick who arrived (for the desk's paper, or a lost connection)."""
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse(f"/desk/login?{urlencode({'lang': lang})}", status_code=303)
    day = day or _local(clock.now()).date()
    monday = monday_of(day)
    found = await usecases.desk_day(uow, principal, venue_id, monday)
    t = labels(lang)
    shown = ("requested", "confirmed")
    spaces = []
    for space in found.spaces:
        rows = sorted((b for b in found.week if b.space_id == space.id and b.status in shown
                       and _local(b.starts_at).date() <= day <= _local(b.ends_at).date()),
                      key=lambda b: b.starts_at)
        spaces.append({"name": LocalizedText(**space.name).get(lang), "bookings": [
            {"time": _span(b, lang), "title": b.title, "status": t["statuses"][b.status],
             "organiser": b.contact.name if b.contact else "",
             "phone": (b.contact.phone or "") if b.contact else "",
             "door_code": domain.shown_door_code(b.status, b.access_code),
             "checked_in": b.checked_in_at is not None} for b in rows]})
    html = _templates.get_template("day_sheet.html").render(
        lang=lang, t=t, venue=LocalizedText(**found.venue.name).get(lang),
        day=day_full(day, lang), spaces=spaces,
        back=_desk_url(venue_id=found.venue.id, day=day, lang=lang),
        switch=_switch(request, "/desk/day-sheet", lang, venue_id=found.venue.id,
                       day=day))
    response = HTMLResponse(html)
    response.headers["Cache-Control"] = "no-store"  # organisers' names and numbers
    return response


@router.get("/desk/hours", response_class=HTMLResponse)
async def desk_hours(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                     venue_id: UUID | None = None,
                     note: Note = Depends(SESSION.note)) -> Response:
    """The venue's weekly opening hours and its exceptions (holidays, closures), for its
    desk staff to change: the same use cases as `PUT /venues/{id}/hours`,
    `POST /venues/{id}/exceptions` and `DELETE /venues/{id}/exceptions/{day}`, so the
    booking rules and the guide follow at once."""
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse(f"/desk/login?{urlencode({'lang': lang})}", status_code=303)
    try:
        return await _hours_page(uow, clock, principal, request, venue_id=venue_id, lang=lang,
                                 msg=note.text, error=note.error)
    except DomainError as exc:
        return _back(request, error_text(exc, lang), error=True)


async def _hours_refused(request: Request, uow: Uow, clock: Clock, principal: Principal,
                         venue_id: UUID, lang: str, exc: DomainError,
                         refused: Mapping[str, Any], msg: str | None) -> Response:
    """The hours page again after a refused weekly hours or exception form (`status_of`
    the refusal), or, for another venue's desk, back with the refusal (`_loans_refused`)."""
    try:
        return await _hours_page(uow, clock, principal, request, venue_id=venue_id, lang=lang,
                                 msg=msg, error=True, refused=refused,
                                 status_code=status_of(exc))
    except DomainError as again:  # not this desk's venue at all
        return _venue_back(request, "hours", venue_id, lang, error_text(again, lang),
                           error=True)


#: The exception form's inputs, whose values come back after a refusal.
EXCEPTION_INPUTS = ("day", "closed", "opens", "closes", "kind", "reason")


async def _hours_page(uow: Uow, clock: Clock, principal: Principal, request: Request, *,
                      venue_id: UUID | None, lang: str, msg: str | None = None,
                      error: bool = False, refused: Mapping[str, Any] | None = None,
                      confirm_no_hours: bool = False, status_code: int = 200) -> Response:
    """The page; after a refused weekly hours or exception form (`refused`, its `form`
    naming which: `_refused_form`), that form as typed with each refusal by its input;
    after a weekly form with every row empty (`confirm_no_hours`), a question whether to
    remove all the hours, the hours as they are below it."""
    t = labels(lang)
    found = await usecases.desk_day(uow, principal, venue_id, _local(clock.now()).date())
    weekly, exceptions = await usecases.opening_hours(uow, clock, principal, found.venue.id)
    weekly_refused = refused if refused and refused["form"] == "weekly" else None
    exception_refused = refused if refused and refused["form"] == "exception" else None
    if weekly_refused:
        rows = weekly_refused["entered"]["rows"]
    else:
        rows = [{"weekday": str(h.weekday), "opens": f"{h.opens:%H:%M}",
                 "closes": f"{h.closes:%H:%M}", "kind": h.kind} for h in weekly]
        rows += [{"weekday": "", "opens": "", "closes": "", "kind": "staffed"}] * 3

    def said(e: DayException) -> Markup:
        shown = escape(t["closed"] if e.opens is None or e.closes is None else (
            f"{clock_time(e.opens, lang)}–{clock_time(e.closes, lang)}"
            + (f" ({t['kinds'].get(e.kind, e.kind)})" if e.kind else "")))
        # As written, marked when in another language than the page (<span lang="en">).
        reason = text_html(e.reason, lang)
        return Markup("{} ({})").format(shown, reason) if reason else shown

    shown = [{"day": day_full(e.day, lang), "iso": e.day.isoformat(), "hours": said(e)}
             for e in exceptions]
    # Standing until each is moved or cancelled: a change of hours cancels nothing itself.
    space_names = {s.id: LocalizedText(**s.name).get(lang) for s in found.spaces}
    outside = [{"title": b.title, "space": space_names.get(b.space_id, ""),
                "status": t["statuses"].get(b.status, b.status),
                "when": f"{day_full(_local(b.starts_at).date(), lang)} {_span(b, lang)}",
                "href": _desk_url(venue_id=found.venue.id, day=_local(b.starts_at).date(),
                                  lang=lang) + f"#b-{b.id}"}
               for b in await usecases.coming_outside_hours(uow, clock, principal,
                                                            found.venue.id)]
    html = _templates.get_template("hours.html").render(
        lang=lang, t=t, csrf=SESSION.csrf_token(request), venue_id=found.venue.id,
        venue=LocalizedText(**found.venue.name).get(lang), rows=rows, exceptions=shown,
        outside=outside,
        msg=msg, error=error, desk=_desk_url(venue_id=found.venue.id, lang=lang),
        input_focus=bool(refused and refused["invalid"]) or confirm_no_hours,
        today=_local(clock.now()).date().isoformat(),
        holiday_years=usecases.holiday_years(_local(clock.now()).date()),
        form={"day": "", "closed": "true", "opens": "", "closes": "", "reason": "",
              "kind": "staffed",
              **(exception_refused["entered"] if exception_refused else {})},
        weekly_refused=weekly_refused, exception_refused=exception_refused,
        confirm_no_hours=confirm_no_hours,
        switch=_switch(request, "/desk/hours", lang, venue_id=found.venue.id))
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _venue_back(request: Request, page: str, venue_id: UUID, lang: str, message: str,
                error: bool = False) -> RedirectResponse:
    """Back to one of the venue's desk pages (`hours`, `spaces`, `loans`) with a message."""
    return SESSION.noted(request, f"/desk/{page}", message, error=error,
                         params=[("venue_id", str(venue_id)), ("lang", lang)])


#: At most this many rows of the weekly form are read (the page shows a week and three).
_WEEK_ROWS = 50
#: The weekly form's columns, as each row sends them.
_WEEK_COLUMNS = ("weekday", "opens", "closes", "kind")


def _week_row_refusals(i: int, row: Mapping[str, str]) -> tuple[WeeklyHours | None,
                                                                 list[Invalid]]:
    """One row of the weekly form as the use case takes it (None: left without times), or
    its refusals, each naming its row's input (`opens_2`): a time the desk cannot mean,
    one time without the other, closing before opening. The use case's own rule of the
    order, checked here by row so the desk is told which weekday is wrong."""
    if not row["opens"].strip() and not row["closes"].strip():
        return None, []  # an empty row is not used
    refusals: list[Invalid] = []
    text = row["weekday"].strip()
    weekday = int(text) if text.isascii() and text.isdigit() and len(text) == 1 else 0
    if not 1 <= weekday <= 7:
        refusals.append(Invalid("a weekday 1–7", field=f"weekday_{i}", code="hours_kind"))
    if row["kind"] not in ("staffed", "self_service"):
        refusals.append(Invalid("staffed or self_service", field=f"kind_{i}",
                                code="hours_kind"))
    opens = checked(refusals, lambda: _clock_of(row["opens"], f"opens_{i}"), None)
    closes = checked(refusals, lambda: _clock_of(row["closes"], f"closes_{i}"), None)
    for name, value in (("opens", row["opens"]), ("closes", row["closes"])):
        if not value.strip():
            refusals.append(Invalid("opens and closes are both given", field=f"{name}_{i}",
                                    code="hours_both"))
    if opens is not None and closes is not None and closes <= opens:
        refusals.append(Invalid("closes must be after opens", field=f"closes_{i}",
                                code="hours_order"))
    if refusals or opens is None or closes is None:
        return None, refusals
    return WeeklyHours(weekday, opens, closes, row["kind"]), refusals


@router.post("/desk/hours/{venue_id}/weekly")
async def desk_save_hours(venue_id: UUID, request: Request, uow: Uow,
                          clock: CurrentClock) -> Response:
    """Every row of the weekly form at once (a row left without times is dropped). A row
    that does not say hours answers 422 with the page again: the form as typed, each
    refusal by its input, saying the row's weekday; nothing is stored."""
    sender = await _form_sender(request, "/desk/hours")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    t = labels(lang)
    form = await request.form()
    columns = [[str(value)[:_TYPED] for value in form.getlist(name)] for name in _WEEK_COLUMNS]
    rows = [dict(zip(_WEEK_COLUMNS, row, strict=True))
            for row in zip(*columns, strict=False)][:_WEEK_ROWS]
    hours: list[WeeklyHours] = []
    origin: list[int] = []  # the form row each of `hours` came from
    refusals: list[Invalid] = []
    for i, row in enumerate(rows):
        kept, said = _week_row_refusals(i, row)
        refusals += said
        if kept is not None:
            hours.append(kept)
            origin.append(i)
    # The use case's rule of a week (no weekday's rows overlapping), said now with the rows'
    # own, each by the weekday input of the row that overlaps an earlier one.
    refusals += [Invalid(exc.message, f"weekday_{origin[int(str(exc.field).split('.')[1])]}",
                         **exc.details) for exc in domain.weekly_refusals(hours)]

    def weekday_of(i: int) -> str:
        day = rows[i]["weekday"].strip()
        return weekday_name(int(day), lang) if day in "1234567" and len(day) == 1 else ""

    def text_of(exc: DomainError) -> str:
        row = (field_of(exc) or "").rpartition("_")[2]
        # An overlap's text names its weekday itself.
        said = weekday_of(int(row)) if row.isdigit() and \
            exc.details.get("code") != "hours_overlap" else ""
        return f"{said}: {error_text(exc, lang)}" if said else error_text(exc, lang)

    try:
        if refusals:
            raise Refusals(refusals)
        if not hours and form.get("confirm_no_hours") != "1":
            # Every row left empty would close the venue for good at one press: asked
            # first, when it has hours to lose (nothing is changed until confirmed).
            weekly, _ = await usecases.opening_hours(uow, clock, principal, venue_id)
            if weekly:
                return await _hours_page(uow, clock, principal, request, venue_id=venue_id,
                                         lang=lang, confirm_no_hours=True)
        saved = await usecases.set_weekly_hours(uow, clock, principal, venue_id, None, hours)
    except Invalid as exc:
        ids = {f"{name}_{i}": f"wk-{i}-{name}" for i in range(len(rows))
               for name in _WEEK_COLUMNS}
        refused, msg = _refused_form([exc], lang, ids, {"rows": rows}, text_of=text_of,
                                     form="weekly")
        return await _hours_refused(request, uow, clock, principal, venue_id, lang, exc,
                                    refused, msg)
    except DomainError as exc:
        return _venue_back(request, "hours", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "hours", venue_id, lang,
                       _saved_with_outside(t["saved"], saved.outside, lang))


def _saved_with_outside(said: str, outside: Sequence[domain.Booking], lang: str) -> str:
    """"Saved", and how many bookings the change leaves outside opening hours (the page
    lists each with a link to it on the day view)."""
    if not outside:
        return said
    end = " " if said.endswith(".") else ". "
    return f"{said}{end}{labels(lang)['outside_saved'].format(n=len(outside))}"


@router.post("/desk/hours/{venue_id}/exceptions")
async def desk_add_exception(venue_id: UUID, request: Request, uow: Uow, clock: CurrentClock
                             ) -> Response:
    """One day's own hours (staffed or self-service: `kind`, as the weekly hours say
    theirs), or closed all day, with the reason residents read (in the
    language the desk wrote it in), in place of any exception the day had. A form that
    does not say one of these (a time without the other, times on a day closed all day,
    closing before opening, a day that is no date, a reason too long) answers 422 with the
    page again: the form as typed, the refusal next to its input; nothing is stored. The
    inputs are read here, not by the route's schema, so that each refusal is said next to
    its own input in the desk's language (`_typed_form`)."""
    sender = await _form_sender(request, "/desk/hours")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    typed = await _typed_form(request)
    day, closed, opens, closes = typed("day"), typed("closed"), typed("opens"), typed("closes")
    reason, kind = typed("reason"), typed("kind", "staffed")
    # The reason in the desk's language, its length and characters the use case's rule
    # (the API's too); left empty, no reason.
    given = {lang: reason} if reason.strip() else None
    try:
        # Every refusal at once, each by its input: the box, the day, each time and the
        # reason read apart; the day's shape (both times or closed, closing after opening,
        # the kind) once both times can be read, the only check that needs them.
        refusals: list[Invalid] = []
        if closed not in ("", "true", "on"):
            refusals.append(Invalid("closed is ticked or not", field="closed",
                                    code="hours_closed_box"))
        asked = checked(refusals, lambda: _day_of(day), None)
        before = len(refusals)
        opens_at = checked(refusals, lambda: _clock_of(opens, "opens"), None)
        closes_at = checked(refusals, lambda: _clock_of(closes, "closes"), None)
        times_read = len(refusals) == before
        checked(refusals, lambda: domain.exception_reason(given), None)
        if times_read and "closed" not in {r.field for r in refusals}:
            # The shape does not turn on the day: any day stands in for one unreadable.
            checked(refusals, lambda: domain.day_exception(
                asked or date(2000, 1, 1), closed=bool(closed), opens=opens_at,
                closes=closes_at, kind=kind or "staffed"), None)
        if refusals or asked is None:
            raise Refusals(refusals)
        exception = domain.day_exception(asked, closed=bool(closed), opens=opens_at,
                                         closes=closes_at, kind=kind or "staffed")
        saved = await usecases.add_exception(uow, clock, principal, venue_id, None,
                                             exception, given)
    except Invalid as exc:
        entered = {"day": _shown(day), "closed": "true" if closed else "",
                   "opens": _shown(opens or ""), "closes": _shown(closes or ""),
                   "reason": _shown(reason), "kind": _shown(kind)}
        t = labels(lang)
        refused, msg = _refused_form(
            [exc], lang, {name: f"x-{name}" for name in EXCEPTION_INPUTS}, entered,
            # "reason.sv": the form's one reason input, whichever language it is in.
            input_of=lambda e: field if (field := (field_of(e) or "").split(".")[0])
            in EXCEPTION_INPUTS else None,
            names={"day": t["day"], "closed": t["closed"], "opens": t["opens"],
                   "closes": t["closes"], "reason": t["exception_reason"], "kind": t["kind"]},
            form="exception")
        return await _hours_refused(request, uow, clock, principal, venue_id, lang, exc,
                                    refused, msg)
    except DomainError as exc:
        return _venue_back(request, "hours", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "hours", venue_id, lang, _saved_with_outside(
        f"{labels(lang)['saved']} {day_full(asked, lang)}", saved.outside, lang))


@router.post("/desk/hours/{venue_id}/exceptions/{day}/remove")
async def desk_remove_exception(venue_id: UUID, day: Day, request: Request, uow: Uow,
                                clock: CurrentClock) -> Response:
    """The day's exception removed (its weekly hours apply again): the use case of
    `DELETE /venues/{id}/exceptions/{day}`."""
    sender = await _form_sender(request, "/desk/hours")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    try:
        await usecases.remove_exception(uow, clock, principal, venue_id, None, day)
    except DomainError as exc:
        return _venue_back(request, "hours", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "hours", venue_id, lang,
                       f"{labels(lang)['removed']} {day_full(day, lang)}")


@router.post("/desk/hours/{venue_id}/public-holidays")
async def desk_close_on_holidays(venue_id: UUID, request: Request, uow: Uow,
                                 clock: CurrentClock) -> Response:
    """The venue closed on the coming public holidays of the year chosen (this or the
    next), a day with an exception of its own kept: the use case of
    `POST /venues/{id}/exceptions/public-holidays`; the message says how many of each.
    A year that is none (a tampered list) is refused by the status region, as before."""
    sender = await _form_sender(request, "/desk/hours")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    year = (await _typed_form(request))("year")
    try:
        if not (year.strip().isascii() and year.strip().isdigit()):
            raise Invalid("not a year", field="year", code="holiday_year")
        done = await usecases.close_on_public_holidays(uow, clock, principal, venue_id,
                                                       int(year.strip()))
    except DomainError as exc:
        return _venue_back(request, "hours", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "hours", venue_id, lang, labels(lang)["holidays_done"].format(
        year=done.year, added=len(done.added), kept=len(done.kept)))


def _day_of(value: str) -> date:
    """A form's day (the date input's 2026-12-24, or 24.12.2026 typed where the browser shows
    no calendar), refused naming its input and what is wrong with it (`form_day`)."""
    return form_day(value, "day", "day_format")


def _clock_of(value: str | None, field: str) -> time | None:
    """A form's time ("10:00", "10.00"), None when left empty; refused naming its input."""
    if not value or not value.strip():
        return None
    try:
        return _clock(value)
    except ValueError:
        pass
    found = _CLOCK_SHAPED.fullmatch(value.strip())
    if found is None:
        raise Invalid(f"{field} is not a time", field=field, code="hours_time")
    # A clock's shape, but a time no clock shows (25.61): said so, not "give it as 10.00".
    hour, minute = int(found.group(1)), int(found.group(2))
    if field.startswith("closes") and (hour, minute) == (24, 0):
        # Open until midnight: the day's last minute, as the hours are kept within a day.
        raise Invalid("closing at midnight is 23:59", field=field, code="hours_midnight")
    raise Invalid(f"{field} is no time of day", field=field, code="hours_no_such_time",
                  hour=hour, minute=minute)


#: The numbers of a space's rules, in the order the page shows them.
RULE_NUMBERS = ("min_minutes", "max_minutes", "buffer_minutes", "horizon_days",
                "max_open_requests", "cancellation_hours", "hold_minutes", "checkin_minutes")
RULE_FLAGS = ("self_service", "overnight", "checkin_required")


@router.get("/desk/spaces", response_class=HTMLResponse)
async def desk_spaces(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                      venue_id: UUID | None = None,
                      note: Note = Depends(SESSION.note)) -> Response:
    """The venue's spaces and the rules each is booked by (lengths, horizon, buffer, limits,
    price, check-in), and what residents read of each (description, equipment, photos), for
    its desk staff to change: the same use cases as `PUT /spaces/{id}/rules` and
    `PUT /spaces/{id}/details`."""
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse(f"/desk/login?{urlencode({'lang': lang})}", status_code=303)
    try:
        return await _spaces_page(uow, clock, principal, request, venue_id=venue_id, lang=lang,
                                  msg=note.text, error=note.error)
    except DomainError as exc:
        return _back(request, error_text(exc, lang), error=True)


def _details_form(space: Space) -> dict[str, Any]:
    """A space's details as the form shows them: a row per photo and an empty one to add."""
    description = space.description or {}
    photos = [{"url": p.get("url", ""), **{f"alt_{lang}": (p.get("alt") or {}).get(lang) or ""
                                            for lang in LANGS}} for p in space.photos]
    return {**{f"description_{lang}": description.get(lang) or "" for lang in LANGS},
            "equipment": "\n".join(space.equipment),
            "features": list(space.accessibility_features),
            "photos": [*photos, {"url": "", **{f"alt_{lang}": "" for lang in LANGS}}]}


async def _spaces_page(uow: Uow, clock: Clock, principal: Principal, request: Request, *,
                       venue_id: UUID | None, lang: str, msg: str | None = None,
                       error: bool = False, entered: tuple[UUID, dict[str, Any]] | None = None,
                       invalid: tuple[str, str] | None = None,
                       venue_entered: tuple[list[str], str] | None = None,
                       rules_refused: Mapping[str, Any] | None = None,
                       status_code: int = 200) -> Response:
    """The page; after a refused details form, that space's form as it was `entered` with
    the refusal next to its input (`invalid`: the input's name and the text); after a
    refused venue features form, the features as ticked and the refusal (`venue_entered`);
    after a refused rules form, that space's rules as typed with each refusal by its input
    (`rules_refused`: `_refused_form`, its `space` naming which)."""
    found = await usecases.desk_day(uow, principal, venue_id, _local(clock.now()).date())
    venue_features = {"on": venue_entered[0] if venue_entered else
                      list(found.venue.accessibility_features),
                      "invalid": venue_entered[1] if venue_entered else None}
    spaces: list[dict[str, Any]] = [{"id": s.id, "name": LocalizedText(**s.name).get(lang),
               "numbers": {n: getattr(s.rules, n) for n in RULE_NUMBERS},
               "flags": {f: getattr(s.rules, f) for f in RULE_FLAGS},
               "confirmation": s.rules.confirmation,
               "price": "" if s.rules.price_per_hour is None else
               _price_shown(s.rules.price_per_hour, lang),
               "details": entered[1] if entered and entered[0] == s.id else _details_form(s),
               "invalid": {"input": invalid[0], "text": invalid[1]}
               if invalid and entered and entered[0] == s.id else None}
              for s in found.spaces]
    for space in spaces:
        if rules_refused and rules_refused["space"] == space["id"]:
            typed = rules_refused["entered"]
            space.update(numbers={n: typed[n] for n in RULE_NUMBERS},
                         flags={f: typed[f] for f in RULE_FLAGS},
                         confirmation=typed["confirmation"], price=typed["price_per_hour"],
                         refused=rules_refused)
    html = _templates.get_template("spaces.html").render(
        lang=lang, t=labels(lang), d=SPACE_DETAILS[lang], csrf=SESSION.csrf_token(request),
        feature_names=FEATURE_NAMES[lang], venue_features=venue_features,
        spaces=spaces, venue=LocalizedText(**found.venue.name).get(lang),
        venue_id=found.venue.id, msg=msg, error=error, langs=LANGS,
        input_focus=bool(invalid or venue_entered or (rules_refused
                                                      and rules_refused["invalid"])),
        desk=_desk_url(venue_id=found.venue.id, lang=lang),
        switch=_switch(request, "/desk/spaces", lang, venue_id=found.venue.id))
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _details_of(form: Mapping[str, Any]) -> tuple[dict[str, Any], domain.SpaceDetails,
                                                  list[int]]:
    """The details form as typed (to show again), as the use case takes it, and which form
    row each photo kept came from (so a refusal points at the right row). A row without an
    address or text, or marked to be removed, is left out."""
    def text(name: str) -> str:
        return str(form.get(name) or "")

    rows, photos, origin = [], [], []
    for i in range(domain.PHOTOS_MAX + 1):
        if f"photo_{i}_url" not in form:
            break
        row = {"url": text(f"photo_{i}_url"),
               **{f"alt_{lang}": text(f"photo_{i}_alt_{lang}") for lang in LANGS},
               "remove": form.get(f"photo_{i}_remove") == "true"}
        rows.append(row)
        if row["remove"] or not any(str(v).strip() for k, v in row.items() if k != "remove"):
            continue
        photos.append({"url": row["url"], "alt": {lang: row[f"alt_{lang}"] for lang in LANGS}})
        origin.append(i)
    if len(rows) <= domain.PHOTOS_MAX and (not rows or any(
            str(v).strip() for k, v in rows[-1].items() if k != "remove")):
        rows.append({"url": "", **{f"alt_{lang}": "" for lang in LANGS}})  # a row to add one
    getlist = getattr(form, "getlist", None)
    features = [str(f)[:40] for f in (getlist("accessibility_features") if getlist else [])]
    entered = {**{f"description_{lang}": text(f"description_{lang}") for lang in LANGS},
               "equipment": text("equipment"), "photos": rows, "features": features}
    details = domain.SpaceDetails(
        description={lang: text(f"description_{lang}") for lang in LANGS},
        equipment=tuple(text("equipment").splitlines()), photos=tuple(photos),
        accessibility_features=tuple(features))
    return entered, details, origin


def _details_input(field: str | None, origin: list[int]) -> str | None:
    """The form input a refusal's field names: `description.sv` is `description_sv`,
    `photos.1.alt.fi` the alt text of the form row the second kept photo came from."""
    if not field:
        return None
    parts = field.split(".")
    if parts[0] == "description" and len(parts) == 2:
        return f"description_{parts[1]}"
    if parts[0] in ("equipment", "accessibility_features"):
        return parts[0]
    if parts[0] == "photos" and len(parts) >= 3 and parts[1].isdigit() \
            and int(parts[1]) < len(origin):
        row = origin[int(parts[1])]
        return f"photo_{row}_url" if parts[2] == "url" else \
            f"photo_{row}_alt_{parts[3] if len(parts) > 3 else 'fi'}"
    return None


@router.post("/desk/spaces/{space_id}/details")
async def desk_space_details(space_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                             venue_id: UUID = Query()) -> Response:
    """One space's description, equipment and photos from its form, through the API's use
    case. A refusal answers with the page again: the form as typed, the refusal next to its
    field (in the page's language)."""
    sender = await _form_sender(request, "/desk/spaces")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    entered, details, origin = _details_of(await request.form())
    try:
        space = await usecases.set_space_details(uow, principal, space_id, details)
    except DomainError as exc:
        text = error_text(exc, lang)
        field = _details_input(exc.field, origin) if isinstance(exc, Invalid) else None
        try:
            return await _spaces_page(
                uow, clock, principal, request, venue_id=venue_id, lang=lang,
                msg=SPACE_DETAILS[lang]["fix_below"] if field else text, error=True,
                entered=(space_id, entered), invalid=(field, text) if field else None,
                status_code=status_of(exc))
        except DomainError as again:  # not this desk's venue at all
            return _back(request, error_text(again, lang), error=True)
    return _venue_back(request, "spaces", venue_id, lang, f"{SPACE_DETAILS[lang]['saved_details']} "
                       f"{LocalizedText(**space.name).get(lang)}")


@router.post("/desk/venues/{venue_id}/features")
async def desk_venue_features(venue_id: UUID, request: Request, uow: Uow,
                              clock: CurrentClock) -> Response:
    """The venue's own accessibility features (entrance, parking, what its spaces share)
    through the use case of `PATCH /venues/{id}`, so the guide hears them as `venue.updated`.
    The ticked boxes replace the kept ones; a word outside the vocabulary is refused next to
    the boxes (4xx) and nothing is kept."""
    sender = await _form_sender(request, "/desk/spaces")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    form = await request.form()
    ticked = [str(f)[:40] for f in form.getlist("accessibility_features")]
    try:
        await usecases.update_venue(uow, clock, principal, venue_id,
                                    {"accessibility_features": ticked})
    except DomainError as exc:
        text = error_text(exc, lang)
        if not isinstance(exc, Invalid):  # not this desk's venue, or no such venue
            return _back(request, text, error=True)
        try:
            return await _spaces_page(
                uow, clock, principal, request, venue_id=venue_id, lang=lang,
                msg=SPACE_DETAILS[lang]["fix_below"], error=True,
                venue_entered=(ticked, text), status_code=status_of(exc))
        except DomainError as again:
            return _back(request, error_text(again, lang), error=True)
    return _venue_back(request, "spaces", venue_id, lang,
                       SPACE_DETAILS[lang]["saved_venue_features"])


#: The rules form's inputs in the order it shows them: the order of its summary.
RULE_INPUTS = (*RULE_NUMBERS, "price_per_hour", "confirmation", *RULE_FLAGS)


def _price_shown(price: Decimal, lang: str) -> str:
    """The hourly price in its input as the page's language writes it ("30,00" in Finnish
    and Swedish, "30.00" in English), without grouping, so that it reads back as it is."""
    return format_decimal(price, format="0.00", locale=locale(lang))


def _price(text: str, lang: str) -> Decimal | None:
    """The hourly price as the page's language writes it (Babel's, strict: "1 032,50" in
    Finnish and Swedish, "1,032.50" in English; empty: free), or the refusal saying how to
    write one: "12,5.0", "NaN", "1e3", more than two decimals. Its bounds are the domain's."""
    text = text.strip()
    if not text:
        return None
    where = locale(lang)
    group = get_group_symbol(where)
    if group.isspace():  # typed with a plain space, "1 000,00", as the page shows it
        text = re.sub(r"\s", group, text)
    try:
        price = parse_decimal(text, locale=where, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        price = None
    # Digits only (no "NaN", "Infinity", "1e3"), in cents at most.
    if price is None or not price.is_finite() or not re.fullmatch(r"[-+]?[\d\s.,\u2212]+", text) \
            or int(price.normalize().as_tuple().exponent) < -2:
        raise Invalid("price_per_hour is a price like 30.00", field="price_per_hour",
                      code="price_format")
    return price


@router.post("/desk/spaces/{space_id}/rules")
async def desk_space_rules(space_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                           venue_id: UUID = Query()) -> Response:
    """One space's rules from its form, through the API's use case. A refusal answers 422
    with the page again: the form as typed, each refusal by its input (every number's at
    once), a summary naming each input; nothing is stored."""
    sender = await _form_sender(request, "/desk/spaces")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    t = labels(lang)
    form = await request.form()
    entered: dict[str, Any] = {
        **{n: str(form.get(n, ""))[:_TYPED] for n in RULE_NUMBERS},
        "price_per_hour": str(form.get("price_per_hour", ""))[:_TYPED],
        "confirmation": str(form.get("confirmation", "manual"))[:40],
        **{f: form.get(f) == "true" for f in RULE_FLAGS}}
    refusals: list[Invalid] = []
    numbers: dict[str, Any] = {}
    for name in RULE_NUMBERS:
        numbers[name] = checked(refusals, partial(_count, str(form.get(name, "")), name,
                                                  *domain.RULE_BOUNDS[name]), 0)
    price = checked(refusals, lambda: _price(entered["price_per_hour"], lang), None)
    # The domain's rules, said now with the numbers' (the use case would say each alone).
    checked(refusals, lambda: domain.check_confirmation(entered["confirmation"]), "")
    if not {e.field for e in refusals} & {"min_minutes", "max_minutes"}:
        refusals += domain.length_rule_refusals(numbers["min_minutes"], numbers["max_minutes"])
    try:
        current = next((s for s in (await usecases.desk_day(
            uow, principal, venue_id, _local(clock.now()).date())).spaces
                        if s.id == space_id), None)
        if current is None:
            raise NotFound("no such space", code="no_space")
        if refusals:
            raise Refusals(refusals)
        rules = replace(current.rules, **numbers, price_per_hour=price,
                        confirmation=entered["confirmation"],
                        **{f: entered[f] for f in RULE_FLAGS})
        space = await usecases.set_space_rules(uow, clock, principal, space_id, rules)
    except Invalid as exc:
        names = {**t["rules"], "price_per_hour": t["price"]}
        refused, msg = _refused_form(
            [exc], lang, {name: f"r-{space_id}-{name}" for name in RULE_INPUTS}, entered,
            names={name: names[name] for name in RULE_INPUTS}, space=space_id)
        try:
            return await _spaces_page(uow, clock, principal, request, venue_id=venue_id,
                                      lang=lang, msg=msg, error=True, rules_refused=refused,
                                      status_code=status_of(exc))
        except DomainError as again:  # not this desk's venue at all
            return _back(request, error_text(again, lang), error=True)
    except DomainError as exc:
        return _venue_back(request, "spaces", venue_id, lang, error_text(exc, lang),
                           error=True)
    return _venue_back(request, "spaces", venue_id, lang,
                       f"{t['saved']} {LocalizedText(**space.name).get(lang)}")


@router.get("/desk/loans", response_class=HTMLResponse)
async def desk_loans(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                     venue_id: UUID | None = None,
                     note: Note = Depends(SESSION.note)) -> Response:
    """The venue's lendable things and what is out, overdue first: lend, take back, cancel,
    through the same use cases as the loans API."""
    try:
        principal = _desk_principal(request)
    except Unauthenticated:
        return RedirectResponse(f"/desk/login?{urlencode({'lang': lang})}", status_code=303)
    try:
        return await _loans_page(uow, clock, principal, request, venue_id=venue_id, lang=lang,
                                 msg=note.text, error=note.error)
    except DomainError as exc:
        return _back(request, error_text(exc, lang), error=True)


async def _loans_page(uow: Uow, clock: Clock, principal: Principal, request: Request, *,
                      venue_id: UUID | None, lang: str, msg: str | None = None,
                      error: bool = False, refused: Mapping[str, Any] | None = None,
                      status_code: int = 200) -> Response:
    """The page; after a refused lending or new thing to lend (`refused`, its `form`
    naming which: `_refused_form`), that form as typed with each refusal by its input."""
    t = labels(lang)
    found = await usecases.desk_day(uow, principal, venue_id, _local(clock.now()).date())
    resources, loans = await usecases.desk_loans(uow, principal, found.venue.id)
    names = {r.id: LocalizedText(**r.name).get(lang) for r in resources}
    now = clock.now()
    out = [{"id": loan.id, "what": names.get(loan.resource_id, ""),
            "quantity": number(loan.quantity, lang),
            "when": day_and_hours(loan.starts_at, loan.ends_at, lang),
            "overdue": loan.ends_at < now, "borrower": loan.borrower,
            "booking": loan.booking_title} for loan in loans]
    # A loan can go with one of the coming week's bookings (or a request still waiting):
    # its contact then borrows.
    coming = sorted({b.id: b for b in [*found.week, *found.pending]
                     if b.status in ("requested", "confirmed") and b.ends_at > now}.values(),
                    key=lambda b: b.starts_at)
    bookings = [{"id": str(b.id),
                 "label": f"{b.title}, {day_and_hours(b.starts_at, b.ends_at, lang)}"
                 + (f" ({b.contact.name})" if b.contact and b.contact.name else "")}
                for b in coming]
    start = (_local(now) + timedelta(minutes=15 - _local(now).minute % 15)).replace(
        second=0, microsecond=0)
    lend_refused = refused if refused and refused["form"] == "lend" else None
    add_refused = refused if refused and refused["form"] == "add" else None
    html = _templates.get_template("loans.html").render(
        lang=lang, t=t, csrf=SESSION.csrf_token(request), venue_id=found.venue.id,
        venue=LocalizedText(**found.venue.name).get(lang), msg=msg, error=error,
        resources=[{"id": str(r.id), "name": names[r.id], "quantity": number(r.quantity, lang)}
                   for r in resources], loans=out,
        lend={"resource_id": "", "quantity": "1", "starts_at": f"{start:%Y-%m-%dT%H:%M}",
              "ends_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}", "booking_id": "",
              "borrower_name": "", "borrower_phone": "", "borrower_email": "",
              **(lend_refused["entered"] if lend_refused else {})}, bookings=bookings,
        add={"name": "", "quantity": "1", **(add_refused["entered"] if add_refused else {})},
        lend_refused=lend_refused, add_refused=add_refused,
        input_focus=bool(refused and refused["invalid"]),
        desk=_desk_url(venue_id=found.venue.id, lang=lang),
        switch=_switch(request, "/desk/loans", lang, venue_id=found.venue.id))
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _count(value: str, field: str, low: int, high: int) -> int:
    """A count as typed in a form (1, 12), within its bounds, or the refusal naming it."""
    text = value.strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
    if number is None or not low <= number <= high:
        raise Invalid(f"{field} is a number from {low} to {high}", field=field,
                      code="rule_bounds", low=low, high=high)
    return number


#: The lending form's inputs and their elements, in the order the form shows them.
_LEND_IDS = {"resource_id": "lend-resource", "quantity": "lend-quantity",
             "starts_at": "lend-start", "ends_at": "lend-end",
             "borrower_name": "lend-borrower", "borrower_phone": "lend-phone",
             "borrower_email": "lend-email", "booking_id": "lend-booking"}
#: The use case's fields of a borrower → the lending form's inputs.
_BORROWER_INPUTS = {"borrower.name": "borrower_name", "borrower.phone": "borrower_phone",
                    "borrower.email": "borrower_email"}
#: As many of a thing as one loan takes (the API's bound).
_LEND_MAX = 1000


def _lend_input(exc: DomainError) -> str | None:
    """The lending form's input a refusal is about: too few free is about the quantity."""
    if exc.details.get("code") == "loan_short":
        return "quantity"
    field = field_of(exc) or ""
    field = _BORROWER_INPUTS.get(field, field)
    return field if field in _LEND_IDS else None


async def _loans_refused(request: Request, uow: Uow, clock: Clock, principal: Principal,
                         venue_id: UUID, lang: str, exc: DomainError,
                         refused: Mapping[str, Any], msg: str | None) -> Response:
    """The loans page again after a refused form (`status_of` the refusal), or, for
    another venue's desk, back with the refusal."""
    try:
        return await _loans_page(uow, clock, principal, request, venue_id=venue_id, lang=lang,
                                 msg=msg, error=True, refused=refused,
                                 status_code=status_of(exc))
    except DomainError as again:
        return _back(request, error_text(again, lang), error=True)


@router.post("/desk/loans/{venue_id}/lend")
async def desk_lend(venue_id: UUID, request: Request, uow: Uow, clock: CurrentClock
                    ) -> Response:
    """Lend through the loans API's use case, to a borrower named (a name, and a phone or
    email to chase an overdue loan) or for a booking, whose contact then borrows. A refusal
    (a time or count the desk cannot mean, a loan's rules, no borrower, too few free)
    answers with the page again: the form as typed, each refusal by its input, said all at
    once where the form can tell; nothing is lent. Its inputs are read by hand
    (`_typed_form`): long ones and odd ones are the rules' to refuse, by their inputs. A
    form no page of the venue sends (tampered or stale) is refused the same way, saying
    what to do: for a venue with nothing to lend, in the page's status region; a thing to
    lend not of this venue's list (another venue's, no id), by the list ("reload")."""
    sender = await _form_sender(request, "/desk/loans")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    try:
        lendable = {r.id for r in (await usecases.desk_loans(uow, principal, venue_id))[0]}
    except DomainError as exc:  # not this desk's venue
        return _venue_back(request, "loans", venue_id, lang, error_text(exc, lang), error=True)
    if not lendable:
        # No page of the venue offers this form (a tampered or stale post): said in the
        # status region, as the page has no list to say it by.
        nothing = Invalid("this venue has nothing to lend; add something to lend first",
                          code="loan_nothing_to_lend")
        return await _loans_page(uow, clock, principal, request, venue_id=venue_id,
                                 lang=lang, msg=error_text(nothing, lang), error=True,
                                 status_code=422)
    typed = await _typed_form(request)
    resource_id, quantity, booking_id = typed("resource_id"), typed("quantity"), typed(
        "booking_id")
    starts_at, ends_at = typed("starts_at"), typed("ends_at")
    borrower_name, borrower_phone, borrower_email = (
        typed(name) for name in ("borrower_name", "borrower_phone", "borrower_email"))
    # The borrower's inputs are judged by the use case's rules (a name to read, a phone
    # number, an address); as typed they come back cut to what the form takes.
    borrower_name, borrower_phone, borrower_email = (
        text[:_TYPED] for text in (borrower_name, borrower_phone, borrower_email))
    entered = {"resource_id": _shown(resource_id), "quantity": _shown(quantity),
               "starts_at": _shown(starts_at), "ends_at": _shown(ends_at),
               "borrower_name": _shown(borrower_name),
               "borrower_phone": _shown(borrower_phone),
               "borrower_email": _shown(borrower_email), "booking_id": _shown(booking_id)}
    refusals: list[Invalid] = []
    resource = checked(refusals, lambda: _lendable(resource_id, lendable), None)
    count = checked(refusals, lambda: _count(quantity, "quantity", 1, _LEND_MAX), 0)
    start = checked(refusals, lambda: _start(starts_at), None)
    end = checked(refusals, lambda: _start(ends_at, "ends_at"), None)
    booking = checked(refusals, lambda: _form_uuid(booking_id, "booking_id")
                      if booking_id else None, None)
    given = Borrower(borrower_name, borrower_phone, borrower_email) \
        if (borrower_name + borrower_phone + borrower_email).strip() else None
    # The use case's rules of a borrower, said now with the form's own.
    refusals += borrower_refusals(given, needed=booking is None)[1]
    if start is not None and end is not None:
        refusals += order_refusals(start, end)
    try:
        if refusals or resource is None or start is None or end is None:
            raise Refusals(refusals)
        loan = await usecases.lend(uow, clock, principal, usecases.LoanCommand(
            resource_id=resource, quantity=count, starts_at=start, ends_at=end,
            booking_id=booking, borrower=given))
    except (Invalid, Conflict, NotFound) as exc:
        refused, msg = _refused_form([exc], lang, _LEND_IDS, entered, input_of=_lend_input,
                                     names={"resource_id": labels(lang)["resource"],
                                            "quantity": labels(lang)["quantity"],
                                            "starts_at": labels(lang)["from"],
                                            "ends_at": labels(lang)["until"],
                                            **{name: labels(lang)[name] for name in (
                                                "borrower_name", "borrower_phone",
                                                "borrower_email")},
                                            "booking_id": labels(lang)["for_booking"]},
                                     form="lend")
        return await _loans_refused(request, uow, clock, principal, venue_id, lang, exc,
                                    refused, msg)
    except DomainError as exc:  # not this desk's venue
        return _venue_back(request, "loans", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "loans", venue_id, lang, f"{labels(lang)['did_lend']}: "
                       f"{day_and_hours(loan.starts_at, loan.ends_at, lang)}")


def _lendable(value: str, lendable: set[UUID]) -> UUID:
    """The lending form's choice, one of the venue's things to lend (its list's), or the
    refusal naming the list: another venue's thing (a desk of both would have lent it from
    this page) or no id at all is a tampered or stale form, to reload."""
    try:
        chosen = UUID(value)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in lendable:
        raise Invalid("that is not one of this venue's things to lend; reload the page",
                      field="resource_id", code="loan_resource_elsewhere")
    return chosen


def _form_uuid(value: str, field: str) -> UUID:
    """A choice of the form's list (its id), or the refusal naming it."""
    try:
        return UUID(value)
    except ValueError:
        raise Invalid(f"{field} is not one of the choices", field=field,
                      code="choice_not_offered") from None


@router.post("/desk/loans/{venue_id}/resources")
async def desk_add_resource(venue_id: UUID, request: Request, uow: Uow, clock: CurrentClock
                            ) -> Response:
    """Something new to lend (laptops, a projector): the same use case as the API's. A
    refusal answers with the page again, the form as typed, each refusal by its input
    (read by hand: `_typed_form`)."""
    sender = await _form_sender(request, "/desk/loans")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    typed = await _typed_form(request)
    name, quantity = typed("name"), typed("quantity", "1")
    t = labels(lang)
    try:
        refusals: list[Invalid] = []
        count = checked(refusals, lambda: _count(quantity, "quantity", 0, 100_000), 0)
        resource = Resource(id=uuid4(), venue_id=venue_id, name={"fi": name.strip()},
                            quantity=count)
        # The use case's rule of a name (one to read, at most 200), said with the count's.
        refusals += [r for r in domain.resource_refusals(resource) if r.field != "quantity"]
        if refusals:
            raise Refusals(refusals)
        added = await usecases.add_resource(uow, clock, principal, resource)
    except Invalid as exc:
        refused, msg = _refused_form(
            [exc], lang, {"name": "add-name", "quantity": "add-quantity"},
            {"name": _shown(name), "quantity": _shown(quantity)},
            # "name.fi": the form's one name input.
            input_of=lambda e: {"name.fi": "name", "quantity": "quantity"}.get(
                field_of(e) or ""),
            names={"name": t["name_fi"], "quantity": t["quantity"]}, form="add")
        return await _loans_refused(request, uow, clock, principal, venue_id, lang, exc,
                                    refused, msg)
    except DomainError as exc:
        return _venue_back(request, "loans", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "loans", venue_id, lang,
                       f"{t['did_add_resource']}: {added.name['fi']}")


@router.post("/desk/loans/{venue_id}/{loan_id}/{action}")
async def desk_loan_action(venue_id: UUID, loan_id: UUID, action: Str, request: Request,
                           uow: Uow, clock: CurrentClock) -> Response:
    """Take a loan back (`returned`) or cancel it."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/desk/loans")
    lang = reader_language(request)
    t = labels(lang)
    change = {"returned": usecases.return_loan, "cancelled": usecases.cancel_loan}.get(action)
    if change is None:  # an address no button of the page makes: no such page
        raise NotFound("no such action on a loan", code="not_found")
    try:
        await change(uow, clock, _desk_principal(request), loan_id)
    except DomainError as exc:
        return _venue_back(request, "loans", venue_id, lang, error_text(exc, lang), error=True)
    return _venue_back(request, "loans", venue_id, lang, t[f"did_{action}"])


#: A clock time as a person writes it: "9.00", "09:00", "21:30" (and the time input's
#: "09:00:00"); not ISO's other forms ("123456789" is 12:34:56.789 to Python).
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])(?::00)?")
#: …and its shape, whether or not a clock shows it ("24:00", "25.61").
_CLOCK_SHAPED = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})(?::00)?")


def _clock(value: str) -> time:
    """"09:00" or "9.00" as the form sends or staff type it; ValueError for anything else."""
    found = _CLOCK.fullmatch(value.strip())
    if found is None:
        raise ValueError(f"not a clock time: {value!r}")
    return time(int(found.group(1)), int(found.group(2)))


@router.post("/desk/bookings/{booking_id}/check-in")
async def desk_check_in(booking_id: UUID, request: Request, uow: Uow,
                        clock: CurrentClock) -> Response:
    return await _act(request, lambda p: usecases.check_in(uow, clock, p, booking_id),
                      "did_check_in")


#: How long a walk-in or a move may be asked to last, in minutes (the space's own rules
#: then say more): what the form's length input offers.
_MINUTES = (15, 24 * 60)


def _minutes(value: str, high: int = _MINUTES[1]) -> int:
    """The form's length in minutes, or the refusal naming it (7, -60, 10**30, "")."""
    text = value.strip()
    number = int(text) if re.fullmatch(r"[0-9]{1,6}", text) else -1
    if not _MINUTES[0] <= number <= high:
        raise Invalid("the length is a number of minutes", field="minutes", code="minutes",
                      low=_MINUTES[0], high=high)
    return number


#: What the walk-in form may send, each at most this long (its rules are the use case's;
#: a longer text is refused by its field there and shown back cut to this).
_TYPED = 1000


@router.post("/desk/walk-in")
async def desk_walk_in(request: Request, uow: Uow, clock: CurrentClock) -> Response:
    """A walk-in booking: confirmed at once, run with the library, the desk as contact. The
    same use case and rules as the API's walk-in (`POST /bookings?walk_in=true`). The email
    and the phone are optional (nothing is mailed without an email; many walk-ins leave a
    phone instead, for the desk to call); the organiser's mail is in their language, the
    page's unless chosen; the title is in the language chosen for it (Finnish unless
    chosen), which names the activity drafted from it. Every refusal is said at once, each
    by its input with a summary at the top of the form: what the form itself tells (the
    title, the name and the phone by the use case's own rules, the start, the length, the
    email) together with what the use case would refuse (`walk_in_refusals`, nothing
    booked) when the start and length could be read; with nothing of the form's to say, the
    walk-in itself, whose refusals are all at once too. The form as typed, nothing stored.
    The space and the language of messages are lists, but a tampered or stale form may send
    anything: a space that is not one of the page's venue's, or a language not offered, is
    refused by its list with the rest, where the route's schema answered a bare page."""
    sender = await _form_sender(request, "/desk")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    # The texts read by hand, however long or odd (the body's limit bounds them): a NUL or
    # a pasted book is refused by its input's rule with the form's other refusals, the form
    # as typed, where the route's schema answered a bare page of its own that lost the form.
    form = await request.form()
    q = request.query_params

    def typed(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    title, starts_at, minutes = typed("title"), typed("starts_at"), typed("minutes")
    organiser_name, organiser_phone = typed("organiser_name"), typed("organiser_phone")
    organiser_email = typed("organiser_email") or None
    # Read as the use case reads it (`domain.check_title_language`), refused by its input.
    title_language = typed("title_language")[:_TYPED]
    refusals: list[Invalid] = []
    # The use case's rules of title and name, so each of these refusals is the one the API
    # gives too; then what only the form's inputs can get wrong.
    checked(refusals, lambda: usecases.checked_details(usecases.RequestDetails(
        title=title, accept_house_rules=True, title_language=title_language,
        organiser=usecases.OrganiserDetails(organiser_name, phone=organiser_phone)),
        name_needed=True), None)
    start = checked(refusals, lambda: _start(starts_at), None)
    length = checked(refusals, lambda: _minutes(minutes), None)
    email = checked(refusals, lambda: _walk_in_email(organiser_email), None)
    language = checked(refusals, lambda: _contact_language(typed("contact_language"), lang),
                       lang)
    space_id = checked(refusals, lambda: _walk_in_space(typed("space_id")), None)
    if space_id is not None:
        space_refused = await usecases.walk_in_space_refusals(uow, principal, space_id,
                                                              _uuid(q.get("venue_id")))
        refusals += space_refused
        space_id = None if space_refused else space_id
    unplaced: list[str] = []
    booked: Booking | None = None
    status_code = 422
    if start is not None and length is not None and space_id is not None:
        command = usecases.BookingCommand(
            space_id=space_id, starts_at=start, ends_at=domain.ends_after(start, length),
            details=usecases.RequestDetails(
                title=title, accept_house_rules=True,
                organiser=usecases.OrganiserDetails(organiser_name, email, organiser_phone,
                                                    language=language),
                library_contact=principal.name or "desk", title_language=title_language))
        try:
            if refusals:  # the use case's rules too, said now rather than on the next try
                said = {(r.field, r.message) for r in refusals}
                refusals += [r for r in await usecases.walk_in_refusals(
                    uow, clock, principal, command) if (r.field, r.message) not in said]
            else:
                booked = await usecases.request_booking(uow, clock, principal, command,
                                                        walk_in=True)
        except Invalid as exc:
            refusals.append(exc)
            status_code = status_of(exc)
        except DomainError as exc:  # taken, not this desk's venue, no such space
            unplaced.append(error_text(exc, lang))
            status_code = status_of(exc) if not refusals else 422
    if booked is not None:
        # Which day too: a walk-in is often for another day than the one on the page.
        return _back(request, f"{booked.title}: {_day_and_span(booked, lang)} ✓")
    # The page again, as it was typed, in this response rather than through a redirect:
    # the organiser's name and address never travel in a URL (history, traces).
    entered = {"title": _shown(title), "space_id": _shown(typed("space_id")),
               "starts_at": _shown(starts_at), "minutes": _shown(minutes),
               "organiser_name": _shown(organiser_name),
               "organiser_email": _shown(organiser_email or ""),
               "organiser_phone": _shown(organiser_phone), "contact_language": language,
               "title_language": title_language}
    invalid, elsewhere = by_input(refusals, lambda exc: error_text(exc, lang),
                                  mapped(_FIELD_INPUTS), tuple(_WALK_IN_IDS))
    unplaced = [*elsewhere, *(text for text in unplaced if text not in elsewhere)]
    msg = None
    if not invalid:  # nothing of the form's: said in the status region
        unplaced, msg = [], " ".join(unplaced)
    return await _page(
        uow, clock, principal, request, venue_id=_uuid(q.get("venue_id")),
        day=_day(q.get("day")), space_id=_uuid(q.get("space_id")), lang=lang, msg=msg,
        error=True, entered=entered, invalid=invalid, unplaced=unplaced,
        status_code=status_code)


def _walk_in_space(value: str) -> UUID:
    """The walk-in form's space as its list sends it (an id), or the refusal naming it:
    a form tampered with, or a list from before the space was removed."""
    try:
        return UUID(value)
    except ValueError:
        raise Invalid("the space is not one of this venue's", field="space_id",
                      code="space_elsewhere") from None


def _contact_language(value: str, lang: str) -> str:
    """The language of the organiser's messages as chosen (none: the page's), or the
    refusal naming it."""
    if not value:
        return lang
    if value not in LANGS:
        raise Invalid("the language of messages is Finnish, Swedish or English",
                      field="contact_language", code="contact_language")
    return value


def _start(value: str, field: str = "starts_at") -> datetime:
    """The form's local time (`form_time`). "The start time is not valid" is
    said only of a start: a loan's due time is said as a time."""
    return form_time(value, field, "time" if field == "starts_at" else "moment")


def _walk_in_email(value: str | None) -> str | None:
    """The walk-in's email as kept (none given: None), or the refusal naming it."""
    if not value:
        return None
    if len(value) > 320:
        raise Invalid("the email address is too long", field="organiser_email", code="email")
    return _email(value)


def _email(value: str) -> str:
    address = email_address(value)
    if address is None:
        raise Invalid("the email address is not valid", field="organiser_email", code="email")
    return address


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _day(value: str | None) -> date | None:
    day = typed_day(value) if value else None
    try:
        return check_day(day) if day is not None else None
    except ValueError:
        return None
