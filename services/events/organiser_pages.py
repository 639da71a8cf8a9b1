"""Organisers' own pages (issue #16), phone first, fi/sv/en: their activities and what to do
next, the form that writes an activity (every field of an event), its preview as residents will
see it, publishing, postponing, moving and cancelling with a reason, and after it the
attendance report with the feedback survey's short link and QR code for the door.

Signed in by the token form of `shared.pages.PageSession` (the ``kohtaamo_organiser_session``
cookie, path ``/my``, shared with the booking service's organiser pages on one host). Every act
is the JSON API's own use case (`update_event`, `publish_event`, `postpone_event`,
`reschedule_event`, `cancel_event`, `report_attendance`, `publish_series`), so the rules, the
approval queue and what other services hear are the same; a refusal is said next to its field
in the page's language and the form keeps what was typed. A weekly series is one activity: the
list folds its times, and an occurrence saves for every time still to come too
(`update_series_to_come`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import segno
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from services.events import domain, usecases
from services.events.labels import (
    AREA_NEEDED,
    CHOOSE,
    FINNISH_NEEDED,
    KIND_NEEDED,
    MOVE_REFUSALS,
    OPEN_THAT_DAY,
    ORGANISER,
    REFUSAL_OTHER,
    REFUSALS,
    SELF_SERVICE,
    SERIES,
    YEARS,
)
from services.events.pages import render_event
from services.events.store import Row
from shared import announcements, l10n
from shared.areas import AREAS, area_name
from shared.auth import Principal
from shared.bounds import Str
from shared.clock import HELSINKI, helsinki_time, typed_local_time
from shared.errors import Conflict, DomainError, Invalid, NotFound, Unauthenticated
from shared.form_refusals import by_input, field_of, focus_input, summary_links
from shared.l10n import language_name, text_html, text_in
from shared.pages import (
    Lang,
    PageLang,
    PageSession,
    notifications_url,
    page_route,
    public_base,
    refused_page,
)
from shared.service import CurrentClock, Pool
from shared.settings import DEFAULT_PORTS

LANGS: tuple[Lang, ...] = ("fi", "sv", "en")


def _home(lang: str) -> tuple[str, str]:
    return f"/my/activities?lang={lang}", ORGANISER[lang]["back"]


router = APIRouter(route_class=page_route(_home), include_in_schema=False)
#: The organiser's cookie session. Sign-in goes on to the page that asked for it: the booking
#: pages link to `/my/activities/new?booking=…`, the email after an activity to
#: `/my/activities/{id}/attendance`; "New activity" is `/my/activities/new`.
SESSION = PageSession(
    "organiser", "/my", {lang: ORGANISER[lang]["title"] for lang in LANGS},
    roles=("organiser",), home="/my/activities",
    next_pattern=r"/my/activities(/new(\?booking=[0-9a-fA-F-]{36})?"
                 r"|/[0-9a-fA-F-]{36}(/attendance|/preview)?)?")
router.include_router(SESSION.router())

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]))

#: The form's fields, by how they are read.
LOCALIZED = ("name", "short_description", "description", "place_name", "accessibility",
             "image_alt")
TEXTS = ("organiser_name", "library_contact", "online_url", "image_url")
NUMBERS = ("min_age", "max_age", "capacity")
FLAGS = ("all_day", "free", "registration_required")
CODES = ("topics", "audiences", "languages")
#: What a finished act says (`?done=`): a fixed set of keys, never text from the address.
DONE = ("saved", "published", "queued", "postponed", "rescheduled", "move_asked", "cancelled",
        "reported", "held", "published_past", "queued_past", "taken_back")
#: What a finished act on a series says (`labels.SERIES`).
SERIES_DONE = ("saved_series", "series_published", "series_queued")


def metrics_url() -> str:
    """Where residents reach the metrics service, whose feedback survey the attendance page
    shows (`KOHTAAMO_PUBLIC_METRICS_URL`)."""
    return (os.environ.get("KOHTAAMO_PUBLIC_METRICS_URL")
            or f"http://127.0.0.1:{DEFAULT_PORTS['metrics']}").rstrip("/")


def booking_url() -> str:
    """Where organisers find a space and follow their bookings: the booking service's own
    pages under the same /my sign-in (`KOHTAAMO_PUBLIC_BOOKING_URL`)."""
    return (os.environ.get("KOHTAAMO_PUBLIC_BOOKING_URL")
            or f"http://127.0.0.1:{DEFAULT_PORTS['booking']}").rstrip("/")


def feedback_links(event_id: UUID) -> dict[str, str]:
    """The metrics service's public survey of an activity: its form, its short link (`/f/`
    and the first ten hex digits of the event id, as the metrics service resolves it) and its
    printable QR code."""
    base = metrics_url()
    return {"survey": f"{base}/feedback/{event_id}", "short": f"{base}/f/{event_id.hex[:10]}",
            "qr": f"{base}/feedback/{event_id}/qr.svg"}


# --- signing in ----------------------------------------------------------------------------


def _organiser(request: Request) -> Principal:
    principal = SESSION.principal(request)
    if principal.is_public:
        raise Unauthenticated("sign in at /my/login")
    return principal


def _to_login(lang: str, then: str) -> RedirectResponse:
    return RedirectResponse(f"/my/login?{urlencode({'lang': lang, 'next': then})}",
                            status_code=303)


# --- what the pages say --------------------------------------------------------------------


def refusal(exc: DomainError, lang: str) -> str:
    """A refusal in the organiser's words (`labels.REFUSALS`), by the rule's message;
    another time of a series refusing an edit for every time is named by its start
    (`domain.occurrence_refusals`)."""
    at = exc.details.get("occurrence")
    if isinstance(at, str):
        details = {k: v for k, v in exc.details.items() if k != "occurrence"}
        why = refusal(Invalid(exc.message, exc.field if isinstance(exc, Invalid) else None,
                              **details), lang)
        return SERIES[lang]["at_time"].format(
            when=l10n.date_and_time(dt.datetime.fromisoformat(at), lang), why=why)
    field = exc.field if isinstance(exc, Invalid) else None
    if field and field.endswith(".fi") and field.removesuffix(".fi") in LOCALIZED \
            and "must not be empty" in exc.message:  # say why Finnish, not only that
        return FINNISH_NEEDED[lang]
    for pattern, texts in REFUSALS:
        found = re.search(pattern, exc.message)
        if found:  # `{field}`: the label of the field it names, where the text says it
            label = ORGANISER[lang].get(field or "") if field else None
            numbers = (l10n.number(int(g), lang) if g and g.isdigit()
                       and pattern not in YEARS else g for g in found.groups())
            return texts[lang].format(*numbers, field=label or "")
    if isinstance(exc, NotFound):
        return str(ORGANISER[lang]["gone"])
    return REFUSAL_OTHER[lang]


def move_refused(stored: str, lang: str) -> str:
    """Why the booking could not move, in the page's language from the refusal's code
    (`domain.move_refusal`): never the booking service's English words; an unknown code is
    told in general words. Each reason kept (a line each, `follow_move_refusal`) is said, one
    sentence after another."""
    said = list(dict.fromkeys(  # two codes this service does not know: said once
        _move_refused(line, lang) for line in stored.splitlines() if line.strip()))
    if not said:
        return _move_refused(stored, lang)
    return " ".join([said[0], *(s[:1].upper() + s[1:] for s in said[1:])])


def _move_refused(stored: str, lang: str) -> str:
    """One reason of a refused move (`code: words`) in the page's language."""
    found = domain.move_refusal(stored)
    if found.code == "horizon":
        return (MOVE_REFUSALS["horizon"][lang].format(days=l10n.number(found.days, lang))
                if found.days else MOVE_REFUSALS["horizon_far"][lang])
    if found.code == "closed":
        if not found.hours:
            return MOVE_REFUSALS["closed_day"][lang]
        hours = l10n.words((f"{l10n.clock_time(a, lang)}–{l10n.clock_time(b, lang)}"
                            + (f" ({SELF_SERVICE[lang]})" if own else "")
                            for a, b, own in found.hours), lang)
        return f"{MOVE_REFUSALS['closed'][lang]} {OPEN_THAT_DAY[lang].format(hours=hours)}"
    return MOVE_REFUSALS[found.code][lang]


def note_text(note: tuple[str, str] | None, lang: str,
              written_in: str | None = None) -> str | None:
    """What the organiser reads of their activity's history (`domain.latest_note`): the
    reason a person gave as they wrote it, a refused move in the page's language. A reason
    written in another language than the page's (`written_in`, when known) is marked with
    it (WCAG 3.1.2): the text is then markup, its parts escaped."""
    if note is None:
        return None
    what, why = note
    said = str(ORGANISER[lang]["note"][what])
    if what != "move_refused" and written_in is not None and written_in != lang:
        return Markup(escape(said)).format(
            why=Markup('<span lang="{}">{}</span>').format(written_in, why))
    return said.format(why=move_refused(why, lang) if what == "move_refused" else why)


def error_key(field: str) -> str:
    """The form field an `Invalid` names: a list's item is the list, the venue the place."""
    if field in ("venue_id", "space_id", "area"):
        return "place_kind"
    head = field.split(".")[0]
    return head if head in CODES else field


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


def form_values(row: dict[str, Any]) -> dict[str, Any]:
    """The form's values of a stored activity."""
    values: dict[str, Any] = {}
    for f in LOCALIZED:
        for lang in LANGS:
            values[f"{f}.{lang}"] = text_in({lang: (row[f] or {}).get(lang) or ""}, lang)
    for f in TEXTS:
        values[f] = row[f] or ""
    for f in NUMBERS:
        values[f] = "" if row[f] is None else str(row[f])
    values["price"] = "" if row["price"] is None else str(row["price"])
    for f in FLAGS:
        values[f] = bool(row[f])
    for f in CODES:
        values[f] = list(row[f] or [])
    values["kind"], values["place_kind"] = row["kind"], row["place_kind"]
    values["starts_at"], values["ends_at"] = _local(row["starts_at"]), _local(row["ends_at"])
    return values


async def _posted(request: Request) -> dict[str, Any]:
    """The form as sent: text as text (a file where text belongs is nothing)."""
    form = await request.form()

    def one(key: str) -> str:
        value = form.get(key)
        return value if isinstance(value, str) else ""

    values: dict[str, Any] = {f"{f}.{lang}": one(f"{f}.{lang}") for f in LOCALIZED
                              for lang in LANGS}
    for key in (*TEXTS, *NUMBERS, "price", "kind", "place_kind", "starts_at", "ends_at",
                "reason", "participants", "visitors", "area", "scope", "once"):
        values[key] = one(key)
    for f in (*FLAGS, "release_booking"):
        values[f] = one(f) != ""
    for f in CODES:
        values[f] = [v for v in form.getlist(f) if isinstance(v, str)][:domain.CODES_MAX + 1]
    return values


#: The range each whole number of the forms takes: the use cases' own, said by the form
#: ("give a number from 1 to 100 000") for any whole number outside it, however long or
#: negative, rather than "give a whole number".
RANGES = {"min_age": (0, domain.AGE_MAX), "max_age": (0, domain.AGE_MAX),
          "capacity": (1, domain.CAPACITY_MAX), "participants": (0, 1_000_000),
          "visitors": (0, 1_000_000)}


def whole_number(value: str, field: str) -> int | None:
    text = value.strip().replace("\u2212", "-")  # a typographic minus too
    if not text:
        return None
    if not re.fullmatch(r"[-+]?[0-9]+", text):
        raise Invalid("must be a whole number", field=field)
    low, high = RANGES.get(field, (0, 999_999_999))
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > len(str(high)) or not low <= int(text) <= high:
        raise Invalid(f"must be between {low} and {high}", field=field)
    return int(text)


def _count(value: str, field: str) -> int:
    number = whole_number(value, field)
    if number is None:
        raise Invalid("must not be empty", field=field)
    return number


def price_of(value: str) -> Decimal | None:
    """"5,50", "5.50 €", "12" as euros, at most two decimals."""
    text = re.sub(r"[\s\u00a0€]", "", value).replace(",", ".")
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,9}(\.[0-9]{1,2})?", text):
        raise Invalid("must be a number", field="price")
    return Decimal(text)


def moment_of(value: str, field: str) -> dt.datetime:
    """A `datetime-local` value as Helsinki time."""
    local = typed_local_time(value)
    if local is None or local.tzinfo is not None:
        raise Invalid("must be a date and time", field=field)
    return helsinki_time(local, field)


def new_time_of(values: dict[str, Any], now: dt.datetime) -> usecases.NewTime:
    """The two times the form asks, each read on its own: one it cannot read is refused with
    every rule the other breaks (`NewTime.unread`), its value only a stand-in (`now`)."""
    refused: list[Invalid] = []
    starts_at, ends_at = (_parsed(refused, moment_of, values[f], f) or now
                          for f in ("starts_at", "ends_at"))
    return usecases.NewTime(starts_at, ends_at, tuple(refused))


def _texts(values: dict[str, Any], field: str) -> dict[str, str] | None:
    given: dict[str, str] = {lang: values[f"{field}.{lang}"].strip() for lang in LANGS
             if values[f"{field}.{lang}"].strip()}
    if not given and field != "name":
        return None
    return {"fi": "", **given}  # no Finnish is refused as the Finnish text missing


def _parsed(refused: list[Invalid], parse: Any, *args: Any) -> Any:
    """`parse(*args)`; or, refused, None with the refusal kept, so the rest is read too."""
    try:
        return parse(*args)
    except Invalid as exc:
        refused.append(exc)
        return None


def changes_of(values: dict[str, Any], row: dict[str, Any], time_editable: bool
               ) -> tuple[dict[str, Any], list[Invalid]]:
    """What the form changes of the stored activity, typed as the use cases take them, and
    the refusals of values that are not even of their kind (a word for a number), by field:
    `update_event` refuses these together with every rule the rest of the form breaks, so
    the organiser hears them all at once."""
    refused: list[Invalid] = []
    wanted: dict[str, Any] = {f: _texts(values, f) for f in LOCALIZED}
    wanted.update({f: values[f].strip() or None for f in TEXTS})
    wanted.update({f: _parsed(refused, whole_number, values[f], f) for f in NUMBERS})
    wanted["price"] = _parsed(refused, price_of, values["price"])
    wanted.update({f: bool(values[f]) for f in FLAGS})
    wanted.update({f: list(values[f]) for f in CODES})
    wanted["kind"], wanted["place_kind"] = values["kind"], values["place_kind"]
    if time_editable:
        for f in ("starts_at", "ends_at"):
            moment = _parsed(refused, moment_of, values[f], f)
            if moment is not None:  # refused: the stored time stands in for the other rules
                wanted[f] = moment
    unread = {e.field for e in refused}
    # A value refused unread is no change (the stored one stands in for the other rules).
    return ({k: v for k, v in domain.real_changes(row, wanted).items() if k not in unread},
            refused)


def _labels(vocabulary: list[Any], lang: str) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for r in vocabulary:
        found.setdefault(r["scheme"], []).append((r["code"],
                                                  text_in(r["label"], lang) or r["code"]))
    return {scheme: sorted(items, key=lambda kv: l10n.collation_key(kv[1], lang))
            for scheme, items in found.items()}


def _common(request: Request, lang: Lang, path: str) -> dict[str, Any]:
    return {"lang": lang, "langs": LANGS, "t": ORGANISER[lang],
            "csrf": SESSION.csrf_token(request), "path": path, "booking": booking_url()}


def _page(template: str, status_code: int = 200, cache: str = "no-store",
          **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**context), status_code=status_code,
                        headers={"Cache-Control": cache})


def _when(row: dict[str, Any], lang: str) -> str:
    return l10n.time_span(row["starts_at"], row["ends_at"], lang, all_day=row["all_day"])


def _place(row: dict[str, Any], venue: dict[str, Any] | None, lang: str) -> str:
    name = (text_in(row["place_name"], lang) if row["place_name"]
            else text_in(venue["name"], lang) if venue else "")
    area = area_name(row["area"], lang) if row["area"] else ""
    return ", ".join(p for p in (name, area) if p)


# --- my activities -------------------------------------------------------------------------


@router.get("/my/activities", response_class=HTMLResponse)
async def my_activities(request: Request, pool: Pool, clock: CurrentClock,
                        lang: PageLang,
                        done: Str | None = Query(None, max_length=20)) -> Response:
    """The organiser's activities, coming first, each with its status and what to do next;
    `done=deleted`: a draft was just deleted."""
    try:
        rows = await usecases.my_activities(usecases.unit_of_work(pool), _organiser(request))
    except Unauthenticated:
        return _to_login(lang, "/my/activities")
    t = ORGANISER[lang]
    now = clock.now()
    # A name in another language than the page's (a booking's draft titled in English) is
    # marked so (WCAG 3.1.2).
    items = [{"id": r["id"], "name": text_html(r["name"], lang), "when": _when(r, lang),
              "where": _place(r, {"name": r["venue_name"]} if r["venue_name"] else None,
                              lang), "status": r["status"],
              "status_text": t["status"].get(r["status"], r["status"]),
              "next": t["next"][domain.next_step(r, now, r["attendance_reported"])],
              "past": r["ends_at"] <= now, "series_id": r["series_id"]} for r in rows]
    return _page("my_list.html", **_common(request, lang, "/my/activities"),
                 done=t["deleted"] if done == "deleted" else None, s=SERIES[lang],
                 coming=_folded([i for i in items if not i["past"]]),
                 past=_folded([i for i in items if i["past"]][::-1]))


def _folded(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A weekly group once, at its first time, with its times (`times`) folded under it
    (`domain.grouped_by_series`): the organiser sees one activity, not twelve."""
    return [{**group[0], "times": group if len(group) > 1 else []}
            for group in domain.grouped_by_series(items)]


@router.get("/my/activities/new", response_class=HTMLResponse)
async def booking_draft(request: Request, pool: Pool, clock: CurrentClock, lang: PageLang,
                        booking: UUID | None = None) -> Response:
    """The draft of a confirmed booking (the booking pages link here): opened to be written;
    while the booking's confirmation is still on its way, a page that says so. Without a
    booking: the "New activity" form with its one-time key `form` (`_new_form`), read by
    hand: any value that is no key is sent on to a new one, never refused."""
    if booking is None:
        try:
            return await _new_form(request, pool, clock, lang,
                                   request.query_params.get("form"))
        except Unauthenticated:
            return _to_login(lang, "/my/activities/new")
    then = f"/my/activities/new?booking={booking}"
    try:
        row = await usecases.booking_draft(usecases.unit_of_work(pool), _organiser(request),
                                           booking)
    except Unauthenticated:
        return _to_login(lang, then)
    except NotFound:
        return _page("my_missing.html", 404, **_common(request, lang, then),
                     reload=f"{then}&lang={lang}")
    return RedirectResponse(f"/my/activities/{row['id']}?lang={lang}", status_code=303)


# --- a new activity without a booking --------------------------------------------------------

#: The "New activity" form's inputs in the order it shows them (its refusals' order): the
#: least `create_event` needs; the rest is written on the activity's own page.
NEW_ORDER = (*(f"name.{lang}" for lang in LANGS), "starts_at", "ends_at", "kind",
             "place_kind", *(f"place_name.{lang}" for lang in LANGS), "area", "online_url")
#: Where an activity without a booking can be: one in a space (or in one and online) has
#: its booking's draft, from the booking pages (`domain.place_kinds_offered`).
NEW_PLACE_KINDS = domain.place_kinds_offered({})


def new_fields(values: dict[str, Any]) -> tuple[dict[str, Any], list[Invalid]]:
    """The "New activity" form's fields as `create_event` takes them (those of `POST
    /events`), and the refusals of the times it could not read, which it leaves out."""
    refused: list[Invalid] = []
    fields: dict[str, Any] = {"name": _texts(values, "name"), "kind": values["kind"].strip(),
                              "place_kind": values["place_kind"].strip(),
                              # Outdoors, at a pop-up or elsewhere the "where" (publishing
                              # refuses one without it, `domain.check_place`).
                              "place_name": _texts(values, "place_name"),
                              "area": values["area"].strip() or None,
                              "online_url": values["online_url"].strip() or None}
    for f in ("starts_at", "ends_at"):
        moment = _parsed(refused, moment_of, values[f], f)
        if moment is not None:
            fields[f] = moment
    if not fields["kind"]:
        # No default (`labels.KIND_NEEDED`): the API's would be chosen for someone who
        # never read the list.
        del fields["kind"]
        refused.append(Invalid("choose the kind of activity", field="kind",
                               code="kind_needed"))
    if fields["place_kind"] != "online" and not fields["area"]:
        # The API may leave it out; on the page no later form sets it, and without one the
        # activity is on no area's boards or searches.
        refused.append(Invalid("choose the area where it happens", field="area",
                               code="area_needed"))
    return fields, refused


def _new_input(exc: DomainError) -> str | None:
    """The "New activity" form's input a refusal is about: the area has its own; a place
    that needs a venue is the place kind's."""
    field = field_of(exc)
    if field is None:
        return None
    if field in ("venue_id", "space_id"):
        return "place_kind"
    return field if field in NEW_ORDER else error_key(field)


def _new_refusal(exc: DomainError, lang: Lang) -> str:
    """A refusal of the "New activity" form: a place kind or an area not among its options
    is said as such (the API, with no options, says which are taken)."""
    if isinstance(exc, Invalid) and exc.field in ("place_kind", "area") \
            and (exc.details.get("code") in ("literal_error", "unknown_area")):
        return CHOOSE[lang]
    if isinstance(exc, Invalid) and exc.details.get("code") == "area_needed":
        return AREA_NEEDED[lang]
    if isinstance(exc, Invalid) and exc.details.get("code") == "kind_needed":
        return KIND_NEEDED[lang]
    return refusal(exc, lang)


async def _new_form(request: Request, pool: Pool, clock: CurrentClock, lang: Lang,
                    form: str | None) -> Response:
    """The "New activity" form, its one-time key in its address: "New activity" (no key, or
    one that is none) is sent on to a new key's address, which the browser's history keeps.
    Back after "Create draft" in a browser that fetches the form anew (its cache off) then
    fetches the same key, not a new one that would make a second draft: the form it made
    is said to be sent, with its activity (`form_sent`); a key handed out too long ago, to
    be too old (`domain.form_too_old`)."""
    principal = _organiser(request)
    once = _once(form)
    if once is None:
        token = domain.new_form_token(clock.now())
        return RedirectResponse(f"/my/activities/new?lang={lang}&form={token}",
                                status_code=303, headers={"Cache-Control": "no-store"})
    sent = await usecases.form_sent(usecases.unit_of_work(pool), clock, principal, UUID(once))
    if sent is None:
        return await _new_page(request, pool, clock, lang, once=once)
    return _sent_page(request, lang, once, sent)


def _sent_page(request: Request, lang: Lang, once: str, sent: usecases.SentForm,
               status_code: int = 200) -> Response:
    """A "New activity" form sent already: the activity it made, or that its draft was
    deleted since; or a form too old to be sent; and a new form."""
    t = ORGANISER[lang]
    made = sent.activity
    return _page("my_new_sent.html", status_code,
                 **_common(request, lang, f"/my/activities/new?form={once}"),
                 event_id=made["id"] if made else None, too_old=sent.too_old,
                 too_old_days=domain.SENT_FORM_KEPT.days,
                 name=(text_in(made["name"], lang) or t["edit"]) if made else "")


async def _new_page(request: Request, pool: Pool, clock: CurrentClock, lang: Lang, *,
                    values: dict[str, Any] | None = None, exc: DomainError | None = None,
                    once: str | None = None) -> Response:
    _organiser(request)
    t = ORGANISER[lang]
    vocabulary = await usecases.vocabulary(usecases.unit_of_work(pool))
    kinds = sorted(((code, text_in(label, lang) or code)
                    for code, label in vocabulary.get("kind", {}).items()),
                   key=lambda kv: l10n.collation_key(kv[1], lang))
    areas = sorted(((code, area_name(code, lang)) for code in AREAS),
                   key=lambda kv: l10n.collation_key(kv[1], lang))
    errors: dict[str, str] = {}
    error = None
    if exc is not None:
        if isinstance(exc, Invalid):
            errors, whole = by_input([exc], lambda each: _new_refusal(each, lang),
                                     _new_input, NEW_ORDER)
            error = (str(t["not_now"]).format(why=" ".join(whole)) if whole
                     else str(t["fix"]))
        else:
            error = str(t["not_now"]).format(why=refusal(exc, lang))
    shown = values or {**{f"{f}.{code}": "" for f in ("name", "place_name")
                          for code in LANGS}, "kind": "",
                       "place_kind": "outdoors", "area": "", "online_url": "",
                       "starts_at": "", "ends_at": ""}
    # The form's one-time token (its address's key): sent again (back, a double click), it
    # finds the draft its first sending made (`create_event_once`); a refused form keeps its
    # own. A form from before the key in the address, refused, gets one.
    once = once or _once(shown.get("once")) or str(domain.new_form_token(clock.now()))
    shown = {**shown, "once": once}
    return _page(
        "my_new.html", 422 if errors else 409 if exc is not None else 200,
        # The empty form is kept in the browser's history (private, not no-store): Back
        # after "Create draft" shows it as it was; a browser that fetches it anew has its
        # key from its address (`_new_form`). It holds nothing of the organiser's but the
        # form's own tokens.
        cache="private, no-cache" if values is None and exc is None else "no-store",
        # The language links keep the key: the same form in another language.
        **_common(request, lang, f"/my/activities/new?form={once}"),
        values=shown, errors=errors, error=error, kinds=kinds, areas=areas,
        place_kinds=[(code, t["place_kinds"][code]) for code in NEW_PLACE_KINDS],
        focus=focus_input(errors, ()),
        summary=summary_links(errors, (), {k: f"f-{k.replace('.', '-')}" for k in errors},
                              {k: name for k in errors if (name := input_name(k, lang))}))


# The form is sent to another address than its own (`?send=draft` besides its `lang`): a
# browser forgets what it keeps of an address sent to (an unsafe method invalidates it,
# RFC 9111 4.4), and Back would fetch the form anew with a new token.
@router.post("/my/activities/new", response_class=HTMLResponse)
async def new_activity(request: Request, pool: Pool, clock: CurrentClock,
                       lang: PageLang) -> Response:
    """A new activity without a booking, through `create_event` (as `POST /events`), held
    to publishing's rules so the draft can be published: every refusal at once by its input
    and nothing stored; created, its own page, where the rest is written and it is
    published (or sent to the approval queue) as any draft."""
    if not await SESSION.check_form(request):
        return refused_page(request, f"/my/activities/new?lang={lang}")
    values = await _posted(request)
    once = _once(values["once"])
    try:
        principal = _organiser(request)
        fields, unread = new_fields(values)
        if once is None:  # a form from before the token (or without it): made as sent
            row = await usecases.create_event(usecases.unit_of_work(pool), clock, principal,
                                              fields, unread, as_published=True)
        else:
            row = await usecases.create_event_once(usecases.unit_of_work(pool), clock,
                                                   principal, fields, UUID(once), unread,
                                                   as_published=True)
    except Unauthenticated:
        return _to_login(lang, "/my/activities/new")
    except Conflict as exc:
        code = exc.details.get("code")
        if once is not None and code in ("form_sent", "form_too_old"):
            # Its draft deleted since, or the form too old to be sent: said, nothing made.
            return _sent_page(request, lang, once,
                              usecases.SentForm(None, too_old=code == "form_too_old"), 409)
        return await _new_page(request, pool, clock, lang, values=values, exc=exc)
    except DomainError as exc:
        return await _new_page(request, pool, clock, lang, values=values, exc=exc)
    return RedirectResponse(f"/my/activities/{row['id']}?lang={lang}", status_code=303)


def _once(value: Any) -> str | None:
    """The "New activity" form's one-time token as sent: a UUID, else none."""
    try:
        return str(UUID(value)) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        return None


def _said_with_decision(text: str, t: dict[str, Any], found: usecases.OrganiserActivity) -> str:
    """A queued activity's words, and how its organiser hears the decision: by email only
    when an address was kept for it (a verified one in their sign-in), else on this page."""
    how = "decision_by_email" if found.decision_by_email else "decision_on_page"
    return f"{text} {t[how]}"


async def _activity_page(request: Request, pool: Pool, clock: CurrentClock, event_id: UUID,
                         lang: Lang, *, values: dict[str, Any] | None = None,
                         errors: dict[str, str] | None = None, error: str | None = None,
                         done: str | None = None, status_code: int = 200,
                         act_values: dict[str, str] | None = None,
                         unsaved: bool = False) -> Response:
    found = await usecases.my_activity(usecases.unit_of_work(pool), _organiser(request),
                                       event_id)
    row, t = found.row, ORGANISER[lang]
    status = row["status"]
    step = domain.next_step(row, clock.now(), found.attendance is not None)
    series = domain.series_place(found.series, event_id, clock.now())
    errors = errors or {}
    editable = status not in ("cancelled", "withdrawn", "awaiting_approval")
    time_editable = status == "draft" and row["booking_id"] is None
    # The one input refused takes focus; several (or one with no input: a fixed time), the
    # summary above the form, which links to each (a refusal of the whole act is `error`).
    focus = focus_input(errors, ())
    if focus in ("starts_at", "ends_at") and not time_editable:
        focus = ""
    # Registration is the notifications service's from publishing on: before, it has no
    # activity to keep it for.
    registrations = row["registration_required"] and status in domain.PUBLIC_STATUSES
    return _page(
        "my_activity.html", status_code, **_common(request, lang, f"/my/activities/{event_id}"),
        row=row, event_id=event_id, name=text_in(row["name"], lang) or t["edit"],
        name_html=text_html(row["name"], lang) or t["edit"],
        when=_when(row, lang), where=_place(row, found.venue, lang),
        venue=text_in(found.venue["name"], lang) if found.venue else None,
        status_text=t["status"].get(status, status),
        next=_said_with_decision(t["next"][step], t, found) if step == "waiting"
        else t["next"][step],
        note=note_text(found.note, lang, found.note_language),
        values=values or form_values(row), errors=errors, error=error,
        act_values=act_values or {},
        summary=summary_links(errors, (), _input_ids(errors, time_editable),
                              {k: name for k in errors if (name := input_name(k, lang))}),
        focus=focus,
        done=(_said_with_decision(t[done], t, found) if done in ("queued", "queued_past")
              else t[done] if done in DONE
              else SERIES[lang][done] if done in SERIES_DONE else None), editable=editable,
        # One of a series: which time, a save for every time still to come, and publishing
        # every draft of it (`publish_series`) when more than this one is a draft.
        series=series, s=SERIES[lang],
        publish_all=series is not None and series.drafts > 1 and status == "draft",
        time_editable=time_editable,
        # No retired term but the activity's own, which it keeps (unticked, it goes).
        vocabulary=_labels(domain.offered_terms(found.vocabulary, domain.chosen_terms(row)),
                           lang), place_kinds=domain.place_kinds_offered(row),
        can_publish=status == "draft",
        # The form's edits were refused: publishing would publish the stored version without
        # them, so the page says to save them first instead of offering to publish.
        unsaved=unsaved,
        can_postpone=status in ("published", "rescheduled"),
        # A draft without a booking changes its time in the form; one with a booking asks
        # the booking to move, as a published activity does.
        can_reschedule=row["pending_move"] is None and (
            status in domain.LIVE or (status == "draft" and row["booking_id"] is not None)),
        can_cancel=status in domain.LIVE, has_booking=row["booking_id"] is not None,
        can_take_back=status == "awaiting_approval",
        # Never out, nobody else saw it: deleted after a confirmation (a booking's goes with
        # its booking, `domain.check_deletable`).
        can_delete=status == "draft" and row["booking_id"] is None,
        # Cancelled with its space still booked: where the organiser frees it for others,
        # unless they asked to release it as they cancelled (the booking service is doing it).
        booking_kept=f"{booking_url()}/my/bookings/{row['booking_id']}?lang={lang}"
        if status == "cancelled" and found.booking_status == "confirmed"
        and not found.release_asked else None,
        booking_releasing=status == "cancelled" and found.release_asked
        and found.booking_status in ("requested", "confirmed"),
        after=status in ("published", "rescheduled"),
        # Who signed up is kept by the notifications service: its list, under its sign-in,
        # and the sign-up's settings and questions, on its page in the same sign-in.
        participants_url=(f"{notifications_url()}/registrations/{event_id}/participants"
                          f"?lang={lang}" if registrations else None),
        registration_settings_url=(f"{notifications_url()}/registrations/{event_id}/settings"
                                   f"?lang={lang}" if registrations else None),
        places_hint=_places_hint(row, lang) if registrations else None)


def _places_hint(row: Row, lang: Lang) -> str | None:
    """What the sign-up's settings say of the places, where they set others than the
    activity's own `capacity` (`places`, from its kept counts): residents, the public page
    and the API read theirs, so the form's figure alone would seem to do nothing."""
    if row.get("places") == row.get("capacity"):
        return None
    t = ORGANISER[lang]
    if row.get("places") is None:
        return str(t["places_unlimited_elsewhere"])
    return str(t["places_elsewhere"]).format(n=l10n.number(int(row["places"]), lang))


@router.get("/my/activities/{event_id}", response_class=HTMLResponse)
async def activity(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                   lang: PageLang,
                   done: Str | None = Query(None, max_length=20)) -> Response:
    """Write the activity: every field of an event, the time and place from its booking."""
    try:
        return await _activity_page(request, pool, clock, event_id, lang, done=done)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}")


def _back(event_id: UUID, lang: str, done: str, page: str = "") -> RedirectResponse:
    return RedirectResponse(f"/my/activities/{event_id}{page}?"
                            f"{urlencode({'lang': lang, 'done': done})}", status_code=303)


#: The form's inputs in the order it shows them: the order its refusals are said in.
FORM_ORDER = ("starts_at", "ends_at", "all_day",
              *(f"{f}.{lang}" for f in ("name", "short_description", "description")
                for lang in LANGS),
              "place_kind", *(f"place_name.{lang}" for lang in LANGS), "online_url",
              "kind", "topics", "audiences", "languages", "min_age", "max_age",
              *(f"accessibility.{lang}" for lang in LANGS), "free", "price",
              "registration_required", "capacity", "organiser_name", "library_contact",
              "image_url", *(f"image_alt.{lang}" for lang in LANGS))


#: The acts' own inputs (`_refused`'s prefix and the field) → their labels' keys.
_ACT_INPUTS = {"reschedule.starts_at": "new_start", "reschedule.ends_at": "new_end",
               "postpone.reason": "reason", "cancel.reason": "reason"}


def input_name(key: str, lang: Lang) -> str | None:
    """A refused input as its label on the page names it ("Nimi suomeksi", "Uusi
    alkamisaika"), for the summary to say which input each refusal is about: two refused
    alike (a name and a short description without Finnish, two addresses) say which is
    which. None for a key the page has no label for (the summary says its refusal alone)."""
    t = ORGANISER[lang]
    if key in _ACT_INPUTS:
        return str(t[_ACT_INPUTS[key]])
    head, _, code = key.partition(".")
    if head in LOCALIZED and code in LANGS:
        return f"{t[head]} {t['in_lang'][code]}"
    label = t.get(key) if key in FORM_ORDER or key in NEW_ORDER else None
    return label if isinstance(label, str) else None


def _input_ids(errors: dict[str, str], time_editable: bool) -> dict[str, str]:
    """The element each refused input's summary link leads to: the input; a time the form
    cannot change (a booking's, a published activity's), the refusal said where it is."""
    fixed = () if time_editable else ("starts_at", "ends_at")
    return {k: f"{'e' if k in fixed else 'f'}-{k.replace('.', '-')}" for k in errors}


def _refused(exc: DomainError, lang: str, prefix: str = "") -> tuple[dict[str, str], str | None]:
    """(field errors, an error of the whole act) of a refusal: each rule a `Refusals`
    holds said by its field (several of one field one after the other), in the form's
    order; a rule of no field is said as the act's."""
    if not isinstance(exc, Invalid):
        return {}, str(ORGANISER[lang]["not_now"]).format(why=refusal(exc, lang))
    def input_of(each: DomainError) -> str | None:
        field = field_of(each)
        return prefix + error_key(field) if field else None

    errors, whole = by_input([exc], lambda each: refusal(each, lang), input_of, FORM_ORDER)
    error = (str(ORGANISER[lang]["not_now"]).format(why=" ".join(whole)) if whole else None)
    return errors, error


@router.post("/my/activities/{event_id}", response_class=HTMLResponse)
async def save(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
               lang: PageLang) -> Response:
    """Save the form through `update_event` (as `PATCH /events/{id}`): only what changed, so
    a published activity's channels hear of a real change only. An occurrence of a series
    saved "for every time still to come" (`scope=series`) goes through
    `update_series_to_come`: the same changed details for every time still to come, all or
    none."""
    if not await SESSION.check_form(request):
        return refused_page(request, f"/my/activities/{event_id}?lang={lang}")
    values = await _posted(request)
    try:
        principal = _organiser(request)
        found = await usecases.my_activity(usecases.unit_of_work(pool), principal, event_id)
        row = found.row
        changes, unread = changes_of(values, row,
                                     row["status"] == "draft" and row["booking_id"] is None)
        if values["scope"] == "series" and row["series_id"] is not None:
            await usecases.update_series_to_come(usecases.unit_of_work(pool), clock,
                                                 principal, event_id, changes, unread,
                                                 as_published=True)
            return _back(event_id, lang, "saved_series")
        if changes or unread or row["status"] == "draft":
            # Written to be published: a draft is held to publishing's rules too, even
            # saved unchanged, so the "Publish" after the save refuses nothing the save
            # did not say.
            await usecases.update_event(usecases.unit_of_work(pool), clock, principal,
                                        event_id, changes, unread, as_published=True)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}")
    except NotFound:
        raise
    except DomainError as exc:
        errors, error = _refused(exc, lang)
        return await _activity_page(request, pool, clock, event_id, lang, values=values,
                                    errors=errors,
                                    error=error or str(ORGANISER[lang]["fix"]),
                                    status_code=422 if errors else 409, unsaved=True)
    return _back(event_id, lang, "saved")


async def _act(request: Request, pool: Pool, clock: CurrentClock, event_id: UUID, lang: Lang,
               action: str) -> Response:
    """Publish, postpone, move or cancel: the API's use cases, refusals said on the page."""
    if not await SESSION.check_form(request):
        return refused_page(request, f"/my/activities/{event_id}?lang={lang}")
    values = await _posted(request)
    uow = usecases.unit_of_work(pool)
    try:
        principal = _organiser(request)
        reason = values["reason"].strip()
        if action == "publish_series":
            series_id = (await usecases.get_event(usecases.unit_of_work(pool), principal,
                                                  event_id))["series_id"]
            if series_id is None:
                raise NotFound("no series", event_id=str(event_id))
            rows = await usecases.publish_series(uow, clock, principal, series_id,
                                                 language=lang)
            done = ("series_queued" if any(r["status"] == "awaiting_approval" for r in rows)
                    else "series_published")
        elif action == "publish":
            row = await usecases.publish_event(uow, clock, principal, event_id, language=lang)
            done = "queued" if row["status"] == "awaiting_approval" else "published"
            if domain.published_as_past(row, clock.now()):
                done += "_past"  # a late report: said, as no upcoming list shows it
        elif action == "back_to_draft":
            await usecases.back_to_draft(uow, clock, principal, event_id)
            done = "taken_back"
        elif action == "postpone":
            await usecases.postpone_event(uow, clock, principal, event_id, reason)
            done = "postponed"
        elif action == "cancel":
            await usecases.cancel_event(uow, clock, principal, event_id, reason,
                                        release_booking=values["release_booking"])
            done = "cancelled"
        else:
            new_time = new_time_of(values, clock.now())
            row = await usecases.reschedule_event(uow, clock, principal, event_id, new_time)
            done = "move_asked" if row["pending_move"] is not None else "rescheduled"
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}")
    except NotFound:
        raise
    except DomainError as exc:
        # A refused publication names the form's own fields; the others their form's.
        errors, error = _refused(exc, lang, prefix="" if action.startswith("publish")
                                 else f"{action}.")
        return await _activity_page(
            request, pool, clock, event_id, lang, errors=errors,
            error=error or str(ORGANISER[lang]["fix"]), status_code=422 if errors else 409,
            act_values={f"{action}.{k}": values[k] for k in ("reason", "starts_at", "ends_at")})
    return _back(event_id, lang, done)


@router.post("/my/activities/{event_id}/publish", response_class=HTMLResponse)
async def publish(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                  lang: PageLang) -> Response:
    return await _act(request, pool, clock, event_id, lang, "publish")


@router.post("/my/activities/{event_id}/publish-series", response_class=HTMLResponse)
async def publish_series(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                         lang: PageLang) -> Response:
    """Publish every draft of this occurrence's series (`publish_series`, as `POST
    /series/{id}/publish`): all or none, each refusal naming its time."""
    return await _act(request, pool, clock, event_id, lang, "publish_series")


@router.post("/my/activities/{event_id}/back-to-draft", response_class=HTMLResponse)
async def back_to_draft(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                        lang: PageLang) -> Response:
    """Take an activity awaiting approval back to a draft (`back_to_draft`, as `POST
    /events/{id}/back-to-draft`)."""
    return await _act(request, pool, clock, event_id, lang, "back_to_draft")


@router.post("/my/activities/{event_id}/postpone", response_class=HTMLResponse)
async def postpone(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                   lang: PageLang) -> Response:
    return await _act(request, pool, clock, event_id, lang, "postpone")


@router.post("/my/activities/{event_id}/reschedule", response_class=HTMLResponse)
async def reschedule(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                     lang: PageLang) -> Response:
    return await _act(request, pool, clock, event_id, lang, "reschedule")


@router.post("/my/activities/{event_id}/cancel", response_class=HTMLResponse)
async def cancel(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    return await _act(request, pool, clock, event_id, lang, "cancel")


@router.get("/my/activities/{event_id}/delete", response_class=HTMLResponse)
async def delete_confirmation(event_id: UUID, request: Request, pool: Pool,
                              lang: PageLang) -> Response:
    """Ask before a draft is deleted: its name and time, and a way back without deleting."""
    try:
        found = await usecases.my_activity(usecases.unit_of_work(pool), _organiser(request),
                                           event_id)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}/delete")
    row, t = found.row, ORGANISER[lang]
    if row["status"] != "draft" or row["booking_id"] is not None:
        return _back(event_id, lang, "")
    return _page("my_delete.html", **_common(request, lang, f"/my/activities/{event_id}/delete"),
                 event_id=event_id, confirm=Markup(escape(t["delete_confirm"])).format(
                     name=text_html(row["name"], lang) or t["edit"], when=_when(row, lang)))


@router.post("/my/activities/{event_id}/delete", response_class=HTMLResponse)
async def delete(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    """Delete the draft (`delete_draft`, as `DELETE /events/{id}`); back to the list, which
    says it was deleted. Refused (published meanwhile), its page says why."""
    if not await SESSION.check_form(request):
        return refused_page(request, f"/my/activities/{event_id}?lang={lang}")
    try:
        await usecases.delete_draft(usecases.unit_of_work(pool), clock, _organiser(request),
                                    event_id)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}")
    except NotFound:
        raise
    except DomainError as exc:
        return await _activity_page(
            request, pool, clock, event_id, lang,
            error=str(ORGANISER[lang]["not_now"]).format(why=refusal(exc, lang)),
            status_code=409)
    return RedirectResponse(f"/my/activities?{urlencode({'lang': lang, 'done': 'deleted'})}",
                            status_code=303)


# --- preview -------------------------------------------------------------------------------


def channels_preview(row: dict[str, Any], venue: dict[str, Any] | None, lang: Lang,
                     events_url: str, now: dt.datetime) -> dict[str, Any]:
    """What the city's channels will show of the activity, from its stored fields and with
    the notifications service's own rendering (`shared.announcements`): its venue board's
    slide in fi, sv and en, and one post per platform in fi, sv and en cut to the platform's
    limit (an account posts in its own languages, so what it finally says may be shorter)."""
    t = ORGANISER[lang]
    view = domain.channel_view(row, venue, events_url, notifications_url())
    posts = []
    for p in announcements.preview_posts(view):
        # Without an alt text of its own, a post describes the image by the activity's name.
        named = p.image_url is not None and view.image_alt is None
        posts.append({
            "platform": p.platform, "name": announcements.PLATFORM_NAMES[p.platform],
            "text": p.text, "image_url": p.image_url, "image_alt": p.image_alt,
            "alt_note": t["alt_name"] if named else None,
            "count": str(t["chars"]).format(n=l10n.number(p.length, lang),
                                            limit=l10n.number(p.limit, lang))
            if p.text else "",
            "cannot": t["needs_image"] if p.cannot else None})
    place = view.place
    status = domain.board_status(row["status"])
    slides = []
    for code in LANGS:
        title = text_in(venue["name"], code) if venue else ""
        slides.append({
            "lang": code, "language": language_name(code, lang),
            "title": title or ORGANISER[code]["board_unnamed"],
            "labels": announcements.BOARD_LABELS[code],
            "slide": announcements.activity_slide(
                row["id"], row["name"], status, row["starts_at"], row["ends_at"],
                place.get(code) if place else None, free=bool(row["free"]),
                registration_required=bool(row["registration_required"]), lang=code,
                now=now, price=view.price)})
    return {"posts": posts, "slides": slides}


@router.get("/my/activities/{event_id}/preview", response_class=HTMLResponse)
async def preview(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                  lang: PageLang) -> Response:
    """The activity's page as residents will see it (the public page's own rendering), and
    below it its notice board slide and social media posts as the channels will show them."""
    try:
        found = await usecases.my_activity(usecases.unit_of_work(pool), _organiser(request),
                                           event_id)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}/preview")
    t = ORGANISER[lang]
    public = found.row["status"] in domain.PUBLIC_STATUSES
    base = public_base(request)
    html = render_event(found.row, found.venue, found.vocabulary, lang, base,
                        preview={"label": t["preview"], "note": t["preview_note"],
                                 "draft": None if public else t["preview_draft"],
                                 "channels": t["preview_channels"],
                                 "back": f"/my/activities/{event_id}?lang={lang}",
                                 "back_label": t["back_to_form"], "t": t,
                                 **channels_preview(found.row, found.venue, lang, base,
                                                    clock.now())})
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


# --- after it: attendance and feedback ----------------------------------------------------


async def _attendance_page(request: Request, pool: Pool, clock: CurrentClock, event_id: UUID,
                           lang: Lang, *, values: dict[str, Any] | None = None,
                           errors: dict[str, str] | None = None, error: str | None = None,
                           done: str | None = None, status_code: int = 200) -> Response:
    found = await usecases.my_activity(usecases.unit_of_work(pool), _organiser(request),
                                       event_id)
    row, t = found.row, ORGANISER[lang]
    held = row["status"] in ("published", "rescheduled")
    report = found.attendance
    links = feedback_links(event_id)
    qr = segno.make(links["short"], error="m").svg_data_uri(scale=6, border=2)
    return _page(
        "my_attendance.html", status_code,
        **_common(request, lang, f"/my/activities/{event_id}/attendance"),
        event_id=event_id, name=text_in(row["name"], lang), when=_when(row, lang),
        status_text=t["status"].get(row["status"], row["status"]),
        can_report=held and row["starts_at"] <= clock.now(), held=held,
        current=t["current"].format(p=l10n.number(report["participants"], lang),
                                    v=l10n.number(report["visitors"], lang))
        if report else None, waiting=bool(report and report["held"]),
        values=values or {"participants": str(report["participants"]) if report else "",
                          "visitors": str(report["visitors"]) if report else ""},
        errors=errors or {}, error=error, done=_attendance_done(done, t, report, lang),
        links=links, qr=qr, qr_alt=t["qr_alt"].format(url=links["short"]))


def _attendance_done(done: str | None, t: dict[str, Any], report: Row | None,
                     lang: str) -> str | None:
    """What the report just sent says: "reported" names the numbers as stored (read back,
    not taken from the address), written as the page's language writes numbers."""
    if done not in DONE:
        return None
    if done != "reported":
        return str(t[done])
    if report is None:  # the address says "reported" of an activity with none: say nothing
        return None
    return str(t["reported"].format(p=l10n.number(report["participants"], lang),
                                    v=l10n.number(report["visitors"], lang)))


@router.get("/my/activities/{event_id}/attendance", response_class=HTMLResponse)
async def attendance(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                     lang: PageLang,
                     done: Str | None = Query(None, max_length=20)) -> Response:
    """After the activity: report participants and visitors, show the feedback survey."""
    try:
        return await _attendance_page(request, pool, clock, event_id, lang, done=done)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}/attendance")


@router.post("/my/activities/{event_id}/attendance", response_class=HTMLResponse)
async def report(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    """The attendance report through `report_attendance` (as `PUT /events/{id}/attendance`);
    a later one corrects it."""
    if not await SESSION.check_form(request):
        return refused_page(request, f"/my/activities/{event_id}/attendance?lang={lang}")
    values = await _posted(request)
    try:
        principal = _organiser(request)
        counts = usecases.Attendance(*(_count(values[f], f)
                                       for f in ("participants", "visitors")))
        await usecases.report_attendance(usecases.unit_of_work(pool), clock, principal,
                                         event_id, counts)
        held = await usecases.attendance_held(usecases.unit_of_work(pool), principal,
                                              event_id)
    except Unauthenticated:
        return _to_login(lang, f"/my/activities/{event_id}/attendance")
    except NotFound:
        raise
    except DomainError as exc:
        errors, error = _refused(exc, lang)
        return await _attendance_page(request, pool, clock, event_id, lang,
                                      values={"participants": values["participants"],
                                              "visitors": values["visitors"]},
                                      errors=errors,
                                      error=error or str(ORGANISER[lang]["fix"]),
                                      status_code=422 if errors else 409)
    return _back(event_id, lang, "held" if held else "reported", "/attendance")
