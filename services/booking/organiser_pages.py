"""An organiser's own pages (issue #16), under /my: find a free space with its terms said
before asking, hold a time while the request is filled in, send it, and follow one's own
bookings (status, price, reference number, door code, calendar, cancel). Phone first, in
Finnish, Swedish and English, signed in with the city's token (`PageSession`; the events
service's /my/activities pages share the same cookie on one host).

Every action is a plain form post calling the same use cases as the JSON API (`hold_slot`,
`submit_hold`, `cancel_booking`, the free-time reading), so the rules are the same; their
refusals are said in the page's language next to the field they concern
(`labels.error_text`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.booking import domain, usecases
from services.booking.calendar_entry import ics_event
from services.booking.deps import Uow
from services.booking.domain import HELSINKI, ORGANISER_TYPES, Booking
from services.booking.labels import (
    day_and_hours,
    error_text,
    form_day,
    form_time,
    hours,
    labels,
    no_such_time_text,
    place,
)
from services.booking.my_labels import TITLES, history_actor, history_reason, my_labels
from services.booking.public_pages import space_photos
from services.booking.store import Preferences
from services.booking.usecases import organiser as my
from shared.accessibility import ACCESSIBILITY_FEATURES, FEATURE_NAMES
from shared.areas import AREAS, area_name
from shared.auth import Principal
from shared.bounds import Str
from shared.clock import Clock
from shared.contracts import LocalizedText
from shared.email_address import email_address
from shared.errors import Conflict, DomainError, Invalid, NotFound, Refusals, checked
from shared.form_refusals import by_input, focus_input, mapped, summary_links
from shared.http import Refused, language_tag, reader_language, status_of
from shared.ical import MEDIA_TYPE, calendar
from shared.l10n import clock_time, day_and_time, day_full, day_short, money, number, sentence
from shared.pages import (
    ENDONYMS,
    LANGS,
    Note,
    PageLang,
    PageSession,
    events_url,
    guide_widget,
    page_route,
    refusal_text,
    refused_page,
)
from shared.service import CurrentClock


def _home(lang: str) -> tuple[str, str]:
    return f"/my/bookings?lang={lang}", my_labels(lang)["mine"]


#: The space search's inputs by the labels its form gives them ("Kesto", not "Kesto
#: minuutteina"), for a refusal of its address.
_SEARCH_LABELS = {name: {lang: str(my_labels(lang)[key]) for lang in ("fi", "sv", "en")}
                  for name, key in (("day", "day"), ("view", "view"),
                                    ("not_before", "not_before"), ("minutes", "minutes"),
                                    ("area", "area"), ("venue_id", "venue"),
                                    ("capacity", "capacity"), ("equipment", "equipment"),
                                    ("organiser_type", "organiser_type"),
                                    ("feature", "features"))}
router = APIRouter(tags=["organiser pages"], include_in_schema=False,
                   route_class=page_route(_home, labels=_SEARCH_LABELS))
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_templates.globals["guide_widget"] = guide_widget


def _counted(words: Mapping[str, str], n: int) -> str:
    """`words` said of `n` things: the singular of one, the plural of any other number."""
    return words["one" if n == 1 else "other"].format(n=n)


_templates.globals["counted"] = _counted

#: The organiser's cookie session: path /my, shared with the events service's
#: /my/activities pages (same service name and path). Sign-in may go on to any /my page, so
#: a booking's email link leads to the booking after signing in.
SESSION = PageSession("organiser", "/my", TITLES, roles=("organiser",), home="/my/bookings",
                      next_pattern=r"/my(/[A-Za-z0-9_-]+)*(\?[A-Za-z0-9_=&%.:-]*)?")
router.include_router(SESSION.router())


class SignIn(Exception):
    """Not signed in as an organiser: the page sends the person to sign in."""


def _organiser(request: Request) -> Principal:
    principal = SESSION.principal(request)
    if principal.is_public or not principal.has("organiser"):
        raise SignIn
    return principal


def _sign_in(request: Request, lang: str) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/my/login?{urlencode({'lang': lang, 'next': here})}",
                            status_code=303)


async def _form_sender(request: Request, back: str) -> tuple[str, Principal] | Response:
    """A posted form's language and organiser; or the refused page for a form from another
    site (`back`: where it offers to go), or the sign-in page for someone signed out."""
    if not await SESSION.check_form(request):
        return refused_page(request, back)
    lang = reader_language(request)
    try:
        return lang, _organiser(request)
    except SignIn:
        return _sign_in(request, lang)


def _language(request: Request, remembered: Preferences | None,
              lang: str) -> Literal["fi", "sv", "en"]:
    """The language asked for in the address, else the one the organiser last chose, else
    the reader's (`lang`, a `PageLang`: cookie, else the browser's, else Finnish)."""
    chosen = lang
    if language_tag(request.query_params.get("lang")) is None and remembered is not None:
        chosen = remembered.language
    return "sv" if chosen == "sv" else "en" if chosen == "en" else "fi"


def _render(name: str, lang: str, *, status_code: int = 200, **values: Any) -> HTMLResponse:
    here = values.pop("here", "/my/bookings")
    sep = "&" if "?" in here else "?"
    html = _templates.get_template(name).render(
        lang=lang, t=my_labels(lang), statuses=labels(lang)["statuses"], langs=LANGS,
        endonyms=ENDONYMS, lang_links={code: f"{here}{sep}lang={code}" for code in LANGS},
        events_url=events_url(), **values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # the organiser's own details
    return response


def _name(value: Mapping[str, Any] | None, lang: str) -> str:
    return LocalizedText(**value).get(lang) if value else ""


def _money(amount: Decimal | None, lang: str) -> str:
    return money(amount, lang) if amount is not None else ""


def _with(path: str, **params: Any) -> str:
    return f"{path}?{urlencode({k: str(v) for k, v in params.items() if v is not None})}"


def _noted(request: Request, path: str, lang: str, text: str, *, error: bool = False,
           kept: Sequence[tuple[str, str]] = ()) -> RedirectResponse:
    """On to `path` (after a form), where `text` is said in the status region; `kept`: the
    parameters of the page it came from (a search), each as often as it was given."""
    return SESSION.noted(request, path, text, error=error, params=[*kept, ("lang", lang)])


# --- the landing ------------------------------------------------------------------------------


@router.get("/my")
async def my_home(request: Request, lang: PageLang) -> Response:
    # The language goes along only when the address named it: else the bookings page picks
    # the organiser's remembered one.
    asked = lang if request.query_params.get("lang") else None
    return RedirectResponse(_with("/my/bookings", lang=asked), status_code=303)


# --- find a space -----------------------------------------------------------------------------

#: The lengths offered, in minutes.
LENGTHS = (30, 60, 90, 120, 180, 240, 360, 480)


@router.get("/my/spaces", response_class=HTMLResponse)
async def find_space(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                     note: Note = Depends(SESSION.note)) -> Response:
    """Free spaces by area, venue, day (or week), time, length, people, equipment and
    accessibility, each with its free times, price, house rules and the rule that applies to
    this kind of organiser; a start chosen holds the time. The search's inputs are read
    here (`_search_of`), so a search refused for several of them says each by its input at
    once, the form as typed, rather than one bare page for each in turn."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    remembered = await my.my_preferences(uow, principal)
    lang = _language(request, remembered, lang)
    t = my_labels(lang)
    # One not given is the remembered one; one given that is none of them is refused by
    # the search (`search_refusals`), not read as another.
    kind = request.query_params.get("organiser_type") or (
        remembered.organiser_type if remembered and remembered.organiser_type else "resident")
    search, view, typed, invalid = _search_of(request.query_params, kind, lang)
    minutes, not_before, accessible = search.minutes, typed["not_before"], search.accessible
    if invalid:
        # The form's lists still come from a search (the venues, their equipment); its
        # results are not shown: they would be of a search the organiser did not ask.
        search = my.SpaceSearch(organiser_type=kind if kind in ORGANISER_TYPES else "resident")
    found = await my.find_spaces(uow, clock, search, principal)
    query: dict[str, Any] = {
        "area": search.area, "venue_id": search.venue_id, "day": found.first.isoformat(),
        "view": view, "not_before": not_before or None, "minutes": minutes,
        "capacity": search.min_capacity, "equipment": search.equipment,
        "accessible": "true" if accessible else None, "organiser_type": kind}
    chosen = domain.check_features(search.features, field="feature")
    if invalid:  # as typed, where an input can show it
        query.update({k: typed[k] or None for k in ("day", "not_before", "capacity")})
    back = urlencode([*((k, str(v)) for k, v in query.items() if v is not None),
                      *(("feature", f) for f in chosen)])
    if invalid:
        # The page in another language asks again for what was asked, as it was sent.
        back = _search_given(request.query_params)
    days = [found.first + timedelta(days=i) for i in range(found.days)]
    today = _local_today(clock)

    def step(by: int) -> str | None:
        """The search a day or a week on (or back; never before today)."""
        moved = found.first + timedelta(days=by * found.days)
        if moved < today:
            return None
        return "/my/spaces?" + urlencode([*({**{k: str(v) for k, v in query.items()
                                                if v is not None},
                                             "day": moved.isoformat(), "lang": lang}.items()),
                                          *(("feature", f) for f in chosen)])

    unit = "week" if found.days == 7 else "day"
    steps = [{"href": href, "label": label} for href, label in (
        (step(-1), f"← {labels(lang)['prev_' + unit]}"),
        (step(1), f"{labels(lang)['next_' + unit]} →")) if href]
    results = []
    for f in found.spaces:
        rules, terms = f.space.rules, f.terms
        per_day = []
        for d in days:
            slots = []
            for s, e in f.free:
                if s.astimezone(HELSINKI).date() != d:
                    continue
                starts = domain.start_times(s, e, minutes)
                slots.append({"span": hours(s, e, lang), "starts": [
                    {"value": f"{x:%Y-%m-%dT%H:%M}", "label": clock_time(x, lang)}
                    for x in starts]})
            # A day past how far ahead the space is booked has no free time for that reason.
            beyond = d > today + timedelta(days=rules.horizon_days)
            per_day.append({"label": day_full(d, lang), "slots": slots,
                            "none": t["beyond_horizon"].format(days=rules.horizon_days)
                            if beyond else t["no_free"]})
        price = _money(terms.price_per_hour, lang)
        results.append({
            "id": f.space.id, "name": _name(f.space.name, lang),
            "where": place(f.venue.name, f.space.name, lang),
            "area": area_name(f.venue.area, lang),
            "address": f.venue.address or "",
            "accessibility": _name(f.venue.accessibility, lang),
            "features": [FEATURE_NAMES[lang][x] for x in f.features],
            "capacity": f.space.capacity,
            "equipment": [t["equipment_names"].get(e, e) for e in f.space.equipment],
            "description": _name(f.space.description, lang),
            "photos": space_photos(f.space.photos, lang),
            "price": t["per_hour"].format(price=price) if price else t["free_of_charge"],
            "terms": t["terms"][terms.rule].format(price=price),
            "rules": [t["lengths"].format(low=rules.min_minutes, high=rules.max_minutes),
                      t["cancel_rule"].format(hours=rules.cancellation_hours),
                      t["confirmations"][rules.confirmation],
                      *([t["self_service"]] if rules.self_service else []),
                      t["hold_rule"].format(minutes=rules.hold_minutes)],
            "days": per_day, "any_free": bool(f.free),
            # At the space's limit of open requests: said, and no time offered to hold.
            "at_limit": t["at_limit"].format(n=f.open_requests) if f.at_limit else ""})
    # The city's areas only: an odd code an old venue keeps would be refused as a search.
    areas = sorted({v.area for v in found.venues} & AREAS.keys())
    return _render(
        "my_spaces.html", lang, here=f"/my/spaces?{back}", csrf=SESSION.csrf_token(request),
        query=query, back=back, results=results, msg=note.text, error=note.error,
        invalid=invalid, focus=focus_input(invalid, ()),
        refusals=summary_links(invalid, (), _SEARCH_IDS), status_code=422 if invalid else 200,
        areas=[{"code": a, "name": area_name(a, lang)} for a in areas],
        venues=[{"id": str(v.id), "name": _name(v.name, lang)} for v in found.venues
                if search.area is None or v.area == search.area],
        equipment=[{"code": e, "name": t["equipment_names"].get(e, e)}
                   for e in found.equipment],
        features=[{"code": x, "name": FEATURE_NAMES[lang][x], "on": x in chosen}
                  for x in ACCESSIBILITY_FEATURES],
        lengths=[{"value": m, "label": _length(m)} for m in sorted({*LENGTHS, minutes})
                 if 15 <= m <= 24 * 60],
        types=[{"value": k, "label": t["types"][k]} for k in ORGANISER_TYPES],
        today=today.isoformat(), steps=steps)


def _local_today(clock: Clock) -> date:
    return clock.now().astimezone(HELSINKI).date()


def _length(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return " ".join(p for p in (f"{h} h" if h else "", f"{m} min" if m else "") if p)


#: The search form's inputs, each by its element, in the order the form shows them: the
#: order of the summary of refusals.
_SEARCH_IDS = {"day": "f-day", "view": "f-view", "not_before": "f-time", "minutes": "f-minutes",
               "area": "f-area", "venue_id": "f-venue", "capacity": "f-capacity",
               "equipment": "f-equipment", "organiser_type": "f-type",
               "feature": "f-features", "accessible": "f-accessible"}
#: What each input was refused as (`shared.pages.refusal_text`: "Päivä: anna päivä…"), by
#: the kind of schema refusal that says what it takes; the lists: one of the page's options.
_SEARCH_KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "day": ("date_parsing", {}), "not_before": ("time_parsing", {}),
    "minutes": ("greater_than_equal", {"ge": 15, "le": 24 * 60}),
    "capacity": ("greater_than_equal", {"ge": 1, "le": 100_000}),
    "accessible": ("bool_parsing", {})}
#: A search's text is at most this long (the longest the form's inputs send is a venue's
#: id); a longer one is refused by its input, and shown back cut to it.
_SEARCH_TEXT = 100


def _search_text(name: str, lang: str, why: Refused | None = None) -> str:
    """A search input's refusal, naming it by the form's label: by `why` it was refused,
    else by what the input takes."""
    if why is not None and why.kind == "no_such_time":
        # In the words of every booking page (`labels.no_such_time_text`), after the label
        # as the search says each refusal: "Aikaisintaan klo: kellonaikaa 25.99 ei ole: …".
        said = no_such_time_text(why.ctx["hour"], why.ctx["minute"], lang)
        return f"{_SEARCH_LABELS[name][lang]}: {said[:1].lower()}{said[1:]}"
    kind, bounds = _SEARCH_KINDS.get(name, ("literal_error", {}))
    return refusal_text(why or Refused(name, kind, bounds=bounds), lang,
                        labels=_SEARCH_LABELS) + "."


#: Why a search's day was refused (`form_day`'s code), as a schema's refusal says it.
_DAY_KINDS = {"no_such_day": "date_not_real", "day_years": "date_type"}


def _search_time(text: str, why: dict[str, Refused]) -> time:
    """The search's "not before" time ("18:00", "18.00"), or ValueError; one in a clock's
    shape that no clock shows kept in `why`, to be said as such, not as a wrong format."""
    try:
        return time.fromisoformat(text.replace(".", ":").zfill(5))
    except ValueError:
        shaped = re.fullmatch(r"([0-9]{1,2})[:.]([0-9]{2})", text)
        if shaped is not None and (int(shaped[1]) > 23 or int(shaped[2]) > 59):
            why["not_before"] = Refused("not_before", "no_such_time", {
                "hour": int(shaped[1]), "minute": int(shaped[2])})
        raise


def _search_day(text: str, why: dict[str, Refused]) -> date:
    """The search's day, or why it is none kept in `why` (a day the calendar does not have
    is said back, not as a year out of range)."""
    try:
        return form_day(text, "day", "date")
    except Invalid as exc:
        code = str(exc.details.get("code"))
        why["day"] = Refused("day", _DAY_KINDS.get(code, "date_parsing"),
                             {k: v for k, v in exc.details.items() if k != "code"})
        raise


def _search_of(params: Any, kind: str, lang: str
               ) -> tuple[my.SpaceSearch, str, dict[str, str], dict[str, str]]:
    """The search as the address gives it: the search, its view, each text as typed (cut,
    a NUL as the browser shows it) and every input refused (input → its text), all at once:
    what each input alone can get wrong, then the search's own rules (`search_refusals`)
    for those that could be read. A GET form sends its empty fields as empty values: any."""
    typed = {name: str(params.get(name, ""))[:_SEARCH_TEXT].replace("\x00", "\ufffd")
             for name in ("day", "not_before", "capacity")}
    refused: set[str] = set()
    why: dict[str, Refused] = {}  # an input refused for a reason of its own (the day's)

    def read(name: str, reader: Any, otherwise: Any) -> Any:
        value = params.get(name, "")
        try:
            if len(value) > _SEARCH_TEXT or "\x00" in value:
                raise ValueError(name)
            return reader(value.strip()) if value.strip() else otherwise
        except (ValueError, KeyError, Invalid):
            refused.add(name)
            return otherwise

    day = read("day", lambda v: _search_day(v, why), None)
    view = read("view", lambda v: v if v in ("day", "week") else _raise(), "day")
    not_before = read("not_before", lambda v: _search_time(v, why), None)
    minutes = read("minutes", lambda v: int(v) if re.fullmatch(r"[0-9]{1,5}", v) else _raise(),
                   60)
    venue_id = read("venue_id", UUID, None)
    capacity = read("capacity", lambda v: int(v) if re.fullmatch(r"[0-9]{1,6}", v)
                    and 1 <= int(v) <= 100_000 else _raise(), None)
    equipment = read("equipment", str, None)
    accessible = read("accessible", lambda v: _YES_NO[v.lower()], False)
    features = params.getlist("feature")
    if len(features) > len(ACCESSIBILITY_FEATURES) or any(
            len(f) > _SEARCH_TEXT or "\x00" in f for f in features):
        refused.add("feature")
        features = []
    area = read("area", str, None)
    search = my.SpaceSearch(
        minutes=minutes, day=day, days=7 if view == "week" else 1, not_before=not_before,
        area=area, venue_id=venue_id, min_capacity=capacity, equipment=equipment,
        accessible=accessible, features=tuple(features),
        organiser_type=kind if len(kind) <= _SEARCH_TEXT else "")
    # The search's own rules, each of an input read (one refused already is said once).
    refused |= {"view" if exc.field == "days" else str(exc.field)
                for exc in my.search_refusals(search)}
    if "minutes" not in refused and not 15 <= minutes <= 24 * 60:
        refused.add("minutes")
    invalid = {name: _search_text(name, lang, why.get(name)) for name in _SEARCH_IDS
               if name in refused}
    return search, view, typed, invalid


#: A yes or no as an address may say it (the form's box sends "true").
_YES_NO = {"true": True, "on": True, "1": True, "yes": True,
           "false": False, "off": False, "0": False, "no": False}



def _raise() -> Any:
    raise ValueError("not one of the page's options")


@router.post("/my/spaces/hold")
async def hold(request: Request, uow: Uow, clock: CurrentClock) -> Response:
    """Hold the chosen time (`hold_slot`, as `POST /bookings/holds`) and go on to the
    request's form; a refusal (taken meanwhile, closed) back on the search, said there.
    The slot's form is its space, start and length as the search offered them (hidden
    inputs and a list), read by hand: one tampered with or from a stale page (not an id, a
    NUL, a length the search never offers) is refused on the search as the others are,
    where the route's schema answered the bare "the form has an error" page."""
    sender = await _form_sender(request, "/my/spaces")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    form = await request.form()

    def typed(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        refusals: list[Invalid] = []
        space_id = checked(refusals, lambda: _offered_id(typed("space_id")), None)
        start = checked(refusals, lambda: form_time(_offered(typed("starts_at")),
                                                    "starts_at"), None)
        minutes = checked(refusals, lambda: _offered_minutes(typed("minutes")), 0)
        if refusals or space_id is None or start is None:
            raise Refusals(refusals)
        held = await my.hold_my_slot(uow, clock, principal, usecases.HoldCommand(
            space_id, start, domain.ends_after(start, minutes)),
            organiser_type=request.query_params.get("organiser_type"), language=lang)
    except DomainError as exc:
        # The search as it was, every value of a repeated choice (features) included.
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        return _noted(request, "/my/spaces", lang, error_text(exc, lang), error=True,
                      kept=kept)
    return RedirectResponse(_with(f"/my/bookings/{held.id}/request", lang=lang,
                                  search=_search_given(request.query_params) or None),
                            status_code=303)


def _offered(value: str) -> str:
    """A value of the slot's form as the search put it there (at most 40 characters)."""
    if len(value) > 40:
        raise Invalid("not one of the times offered", field="starts_at",
                      code="choice_not_offered")
    return value


def _offered_id(value: str) -> UUID:
    try:
        return UUID(_offered(value))
    except (ValueError, Invalid):
        raise Invalid("not one of the spaces offered", field="space_id",
                      code="choice_not_offered") from None


def _offered_minutes(value: str) -> int:
    minutes = int(value) if re.fullmatch(r"[0-9]{1,4}", value) else 0
    if not 15 <= minutes <= 24 * 60:
        raise Invalid("not one of the lengths offered", field="minutes",
                      code="choice_not_offered")
    return minutes


#: The search's parameters (`find_space`), which a held time carries along (`search`) so
#: that letting it go leads back to the same search.
_SEARCH_KEYS = frozenset({"area", "venue_id", "day", "view", "not_before", "minutes",
                          "capacity", "equipment", "accessible", "feature", "organiser_type"})


def _search_kept(search: str) -> list[tuple[str, str]]:
    """The search's parameters in a carried `search` (at most 2,000 characters): any other
    key is dropped, so it can only ever lead to the space search."""
    return [(k, v[:100]) for k, v in parse_qsl(search[:2000]) if k in _SEARCH_KEYS][:30]


def _search_given(params: Any) -> str:
    """The search a form was sent from (its address's parameters), to carry along."""
    return urlencode(_search_kept(urlencode([(k, v) for k, v in params.multi_items()])))


# --- ask for it -------------------------------------------------------------------------------

#: The request form's inputs, whose values come back after a refusal (the CSRF token never).
REQUEST_INPUTS = ("title", "title_language", "organiser_type", "cooperation", "library_contact",
                  "shared_activity", "contact_name", "contact_email", "contact_phone",
                  "contact_language", "accept_house_rules", "repeat", "repeat_until",
                  "repeat_count")
#: The rule's field (`Invalid.field`) → the input it is about; the others (the hold
#: expired, too many open requests, the time taken) are said in the status region.
_FIELD_INPUTS = {"title": "title", "title_language": "title_language",
                 "organiser_type": "organiser_type",
                 "cooperation": "cooperation", "shared_activity": "shared_activity",
                 "library_contact": "library_contact", "organiser.name": "contact_name",
                 "organiser_name": "contact_name", "organiser.email": "contact_email",
                 "organiser_email": "contact_email", "contact_email": "contact_email",
                 "contact_phone": "contact_phone", "organiser.phone": "contact_phone",
                 "accept_house_rules": "accept_house_rules",
                 "repeat": "repeat_until", "repeat.until": "repeat_until",
                 "repeat_until": "repeat_until", "repeat.every": "repeat",
                 "repeat_count": "repeat_count"}
#: Each input's element on the form, which the summary of refusals links to.
_INPUT_IDS = {"title": "r-title", "title_language": "r-title-language",
              "organiser_type": "r-type", "cooperation": "r-cooperation",
              "library_contact": "r-library", "shared_activity": "r-shared",
              "contact_name": "r-name", "contact_email": "r-email", "contact_phone": "r-phone",
              "contact_language": "r-language", "accept_house_rules": "r-accept",
              "repeat": "r-repeat", "repeat_until": "r-until", "repeat_count": "r-count"}
#: The labels (`my_labels` keys) of the inputs whose refusal alone would not say which it
#: is ("The value must be between 1 and 60"): the summary names them. The others' own
#: words name them ("Give the title").
_INPUT_LABELS = {"repeat_count": "repeat_count_name"}
#: The inputs in the order the form shows them: the order of the summary of refusals.
_FORM_ORDER = ("title", "title_language", "organiser_type", "cooperation", "shared_activity",
               "library_contact", "contact_name", "contact_email", "contact_phone",
               "contact_language", "repeat", "repeat_until", "repeat_count",
               "accept_house_rules")
#: How often the form offers to repeat: the series' weeks apart (`""`: once).
REPEATS = ("", "1", "2")


@router.get("/my/bookings/{booking_id}/request", response_class=HTMLResponse)
async def request_form(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                       lang: PageLang) -> Response:
    """The held time's request form, filled in with what the organiser gave last time."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    remembered = await my.my_preferences(uow, principal)
    lang = _language(request, remembered, lang)
    mine = await my.my_booking(uow, principal, booking_id)
    if mine.booking.status not in ("held", "expired"):
        return RedirectResponse(_with(f"/my/bookings/{booking_id}", lang=lang),
                                status_code=303)
    # The kind the search was made for (its terms were the ones shown there), else the one
    # remembered: the kind last given, a search's too (`hold_my_slot`), so a hold reopened
    # from "My bookings", which carries no search, keeps its search's kind.
    searched = dict(_search_kept(request.query_params.get("search", ""))).get(
        "organiser_type")
    kind = searched if searched in ORGANISER_TYPES else (
        remembered.organiser_type if remembered and remembered.organiser_type
        else "resident")
    terms = domain.terms_for(mine.space, kind)
    # The title's language is asked of its own (Finnish unless chosen): the language of the
    # organiser's messages says nothing of the title's.
    form = {"organiser_type": kind, "title_language": "fi",
            "cooperation": "false" if terms.rule == "shared_or_rental" else "true",
            "contact_name": (remembered.contact_name if remembered else None)
            or principal.name or "",
            "contact_email": (remembered.contact_email if remembered else None)
            or principal.email or "",
            "contact_phone": (remembered.contact_phone if remembered else None) or "",
            "contact_language": remembered.language if remembered else lang}
    return _request_page(request, clock, lang, mine, form, {}, None)


def _request_page(request: Request, clock: Clock, lang: str, mine: my.MyBooking,
                  form: Mapping[str, str], invalid: Mapping[str, str],
                  msg: str | None, status_code: int = 200,
                  preview: usecases.SeriesPreview | None = None,
                  unplaced: Sequence[str] = ()) -> HTMLResponse:
    """The request form; `invalid`: each input's refusal, said by it and linked from the
    summary at the top, where `unplaced` (refusals of no input, such as the time's) are
    said too."""
    t = my_labels(lang)
    b, space = mine.booking, mine.space
    rental = domain.terms_for(space, "commercial").rental
    price = _money(space.rules.price_per_hour, lang) if rental else ""
    kind = form.get("organiser_type") or "resident"
    terms = domain.terms_for(space, kind if kind in ORGANISER_TYPES else "resident")
    expires = b.hold_expires_at.astimezone(HELSINKI) if b.hold_expires_at else None
    # The search the time was chosen from, along to every form and language link.
    search = urlencode(_search_kept(request.query_params.get("search", "")))
    carried = f"&{urlencode({'search': search})}" if search else ""
    # A hold that ran out (the job may not have marked it yet): said, with the way back to
    # the search it came from (else the venue's day), where a time is chosen again.
    expired = b.status != "held" or (expires is not None and expires <= clock.now())
    again = "/my/spaces?" + urlencode([
        *(_search_kept(search) or [("venue_id", str(b.venue_id)),
                                   ("day", b.starts_at.astimezone(HELSINKI).date().isoformat())]),
        ("lang", lang)])
    return _render(
        "my_request.html", lang, status_code=status_code,
        here=f"/my/bookings/{b.id}/request?{urlencode({'search': search})}" if search
        else f"/my/bookings/{b.id}/request", csrf=SESSION.csrf_token(request),
        carried=carried, booking_id=b.id,
        when=f"{day_full(b.starts_at.astimezone(HELSINKI).date(), lang)} "
             f"{hours(b.starts_at, b.ends_at, lang)}",
        where=place(mine.venue.name, space.name, lang),
        held_until=t["held_until"].format(time=clock_time(expires, lang))
        if expires and not expired else "", expired=expired, again=again,
        rental=rental, price=price,
        estimate=_money(domain.price_for(b.starts_at, b.ends_at, space.rules.price_per_hour),
                        lang) if rental and space.rules.price_per_hour is not None else "",
        terms=t["terms"][terms.rule].format(price=price),
        types=[{"value": k, "label": t["types"][k]} for k in ORGANISER_TYPES],
        form=form, invalid=invalid,
        focus=focus_input(invalid, unplaced),
        refusals=summary_links(invalid, unplaced, _INPUT_IDS,
                               {k: t[label] for k, label in _INPUT_LABELS.items()}),
        msg=msg, error=bool(msg or invalid), repeats=REPEATS, today=_local_today(clock),
        preview=None if preview is None else {
            "summary": t["preview_summary"].format(free=preview.free, n=len(preview.times)),
            "limit": error_text(preview.limit, lang) if preview.limit else "",
            "times": [{"when": day_and_hours(p.starts_at, p.ends_at, lang), "free": p.free,
                       "why": error_text(p.refusal, lang) if p.refusal else ""}
                      for p in preview.times]})


@router.post("/my/bookings/{booking_id}/request")
async def send_request(booking_id: UUID, request: Request, uow: Uow,
                       clock: CurrentClock) -> Response:
    """Submit the held time as a request (`submit_hold`, as `POST /bookings/{id}/submit`).
    Every refusal the request would get is said at once, each next to its field with a
    summary at the top: what the form itself can tell is wrong (a field needed, an address
    or a number that is none, the house rules not ticked) together with what the use case
    judges (the rules between the fields, such as cooperation and the library's contact,
    and the time), asked without sending (`my_request_refusals`); once the form has nothing
    to say, sending refuses by the same judgement, all at once too. In the page's language,
    the form as typed, nothing stored."""
    sender = await _form_sender(request, "/my/bookings")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    form_data = await request.form()
    entered = {k: str(form_data.get(k, ""))[:1000] for k in REQUEST_INPUTS}
    mine = await my.my_booking(uow, principal, booking_id)  # anyone else's: the 404 page
    t = my_labels(lang)
    previewing = form_data.get("action") == "preview"
    refusals: list[Invalid] = []
    repeat = _repeat(entered, refusals, needed=previewing)
    repeat_read = not refusals
    details = None if previewing else _details(entered, refusals)
    if refusals:
        if details is not None:
            # The rest of what sending would be refused for, so nothing waits for a next try;
            # not again for an input already refused (the title with a control character
            # went on as "", which the use case then refused as no name given).
            already = {r.field for r in refusals if r.field}
            refusals += [r for r in await my.my_request_refusals(
                uow, clock, principal, booking_id, details,
                series=bool(entered["repeat"].strip()),
                repeat=repeat if repeat_read else None) if r.field not in already]
        # The page again, as typed, in this response: contact details never travel in a URL.
        invalid, unplaced = _by_input(refusals, lang)
        return _request_page(request, clock, lang, mine, entered, invalid, None,
                             status_code=422, unplaced=unplaced)
    try:
        if details is None:
            assert repeat is not None  # `needed`: refused above otherwise
            planned = await my.preview_my_series(uow, clock, principal, booking_id, repeat)
            return _request_page(request, clock, lang, mine, entered, {}, None,
                                 preview=planned)
        if repeat is not None:
            result = await my.submit_my_series(uow, clock, principal, booking_id, details,
                                               repeat)
            said = _counted(t["did_series"], len(result.created))
            if result.skipped:
                # The last date may end the sentence itself ("24.12."): one full stop.
                said += " " + sentence(t["series_skipped"].format(dates=", ".join(
                    day_short(datetime.fromisoformat(x["starts_at"]).astimezone(
                        HELSINKI).date(), lang) for x in result.skipped)))
            return _noted(request, "/my/bookings", lang, said)
        booked = await my.submit_my_request(uow, clock, principal, booking_id, details)
    except DomainError as exc:
        invalid, unplaced = _by_input([exc], lang) if isinstance(exc, Invalid) else ({}, [])
        if not invalid:  # nothing of the form's: said in the status region
            unplaced, msg = [], " ".join(unplaced) or error_text(exc, lang)
        else:
            msg = None
        return _request_page(request, clock, lang, mine, entered, invalid, msg,
                             status_code=status_of(exc), unplaced=unplaced)
    done = t["did_confirm_at_once"] if booked.status == "confirmed" else t["did_submit"]
    return _noted(request, f"/my/bookings/{booking_id}", lang, done)


def _by_input(refusals: Sequence[Invalid], lang: str) -> tuple[dict[str, str], list[str]]:
    """Each refusal said next to the request form's input it is about, in the form's order,
    and those of no input of it (`shared.form_refusals.by_input`)."""
    return by_input(refusals, lambda exc: error_text(exc, lang), mapped(_FIELD_INPUTS),
                    _FORM_ORDER)


def _repeat(entered: Mapping[str, str], refusals: list[Invalid], *,
            needed: bool) -> my.Repeat | None:
    """How the form says the time repeats (None: once; `needed`: the dry run, which has to
    know); what the form itself can tell is wrong (a day or a number that is none) is kept
    in `refusals` by its field, the rest is refused by the series' rules."""
    every = entered["repeat"].strip()
    if not every and not needed:
        return None
    if every not in REPEATS[1:]:
        refusals.append(Invalid("choose how the time repeats", field="repeat.every",
                                code="series_every", low=1, high=len(REPEATS) - 1))
    until_text, count_text = entered["repeat_until"].strip(), entered["repeat_count"].strip()
    until = checked(refusals, lambda: _until(until_text), None)
    count = checked(refusals, lambda: _count(count_text), None)
    return my.Repeat(every=int(every), until=until, count=count) \
        if every in REPEATS[1:] else None


def _until(text: str) -> date | None:
    """The series' last day as the date input sends it or as typed ("3.3.2027",
    `typed_day`)."""
    if not text:
        return None
    # A date's shape, but no day of the calendar: said so ("30.2.2027 ei ole…"), not "no date".
    return form_day(text, "repeat_until", "date")


def _count(text: str) -> int | None:
    if not text:
        return None
    # ASCII digits only: "²" is a digit to str.isdigit, but no number to int().
    count = int(text) if re.fullmatch(r"[0-9]{1,3}", text) else 0
    if not 1 <= count <= 60:
        raise Invalid("a number of times", field="repeat_count", code="rule_bounds",
                      low=1, high=60)
    return count


def _details(entered: Mapping[str, str], refusals: list[Invalid]) -> usecases.RequestDetails:
    """The form as the request's details. What the form itself can tell is wrong is kept in
    `refusals`, every field of it: the title and a name given (the domain's own checks), an
    address or number that is none, the house rules not ticked (the domain's rule, checked
    here with the rest so it is said at once). The rules between fields (cooperation, the
    library's contact, the kind of organiser) are the use case's."""
    title = checked(refusals, lambda: domain.check_title(entered["title"]), "")
    title_language = checked(
        refusals, lambda: domain.check_title_language(entered["title_language"]), "fi")
    name = entered["contact_name"].strip()
    if name:
        checked(refusals, lambda: domain.check_person_name(name), name)
    email = checked(refusals, lambda: _email(entered["contact_email"].strip()), "")
    # Refused here by its input, and not given on (the use case would refuse it again).
    phone = checked(refusals, lambda: domain.check_phone(entered["contact_phone"],
                                                         "contact_phone"), None)
    accepted = entered["accept_house_rules"] == "true"
    checked(refusals, lambda: domain.check_house_rules(accepted), None)
    language = entered["contact_language"] if entered["contact_language"] in LANGS else "fi"
    return usecases.RequestDetails(
        title=title, accept_house_rules=accepted,
        organiser=usecases.OrganiserDetails(name, email or None, phone or None, language),
        organiser_type=entered["organiser_type"],
        cooperation=entered["cooperation"] != "false",
        shared_activity=entered["shared_activity"] == "true",
        library_contact=entered["library_contact"].strip()[:200] or None,
        title_language=title_language)


def _email(text: str) -> str:
    if not text:
        return ""
    address = email_address(text)
    if address is None:
        raise Invalid("the email address is not valid", field="contact_email", code="email")
    return address


# --- my bookings ------------------------------------------------------------------------------


@router.get("/my/bookings", response_class=HTMLResponse)
async def my_bookings(request: Request, uow: Uow, clock: CurrentClock, lang: PageLang,
                      note: Note = Depends(SESSION.note)) -> Response:
    """The organiser's bookings, coming first, a series as one row with its times and,
    before the next time's cancellation deadline, cancelling the whole series (after it,
    the rest of it from the first time whose deadline has not passed)."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    lang = _language(request, await my.my_preferences(uow, principal), lang)
    found = await my.my_booking_list(uow, principal)
    now = clock.now()
    rows: list[dict[str, Any]] = []
    series: dict[UUID, dict[str, Any]] = {}
    times: dict[UUID, list[Booking]] = {}
    ordered = sorted(found.bookings, key=lambda b: (b.ends_at < now, b.starts_at))
    for b in ordered:
        row = _row(b, found.spaces, found.venues, lang)
        if b.series_id is None:
            rows.append(row)
        elif b.series_id in series:
            series[b.series_id]["occurrences"].append(row)
            times[b.series_id].append(b)
        else:
            series[b.series_id] = {**row, "occurrences": [row], "series_id": b.series_id}
            times[b.series_id] = [b]
            rows.append(series[b.series_id])
    t = my_labels(lang)
    for series_id, row in series.items():
        row["cancel"] = _series_cancel(times[series_id], found.spaces, now, lang, t)
    return _render("my_bookings.html", lang, here="/my/bookings", rows=rows, msg=note.text,
                   error=note.error, csrf=SESSION.csrf_token(request),
                   **await _unverified(uow, clock, principal, ordered, lang, back="list"))


def _series_cancel(times: list[Booking], spaces: Mapping[UUID, Any], now: datetime,
                   lang: str, t: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the list offers for cancelling a series: the whole of it while the next time's
    cancellation deadline has not passed; after it, the rest from the first time whose
    deadline has not; after the last one's, how to reach the desk (None: nothing open)."""
    coming = sorted((b for b in times if b.status in ("requested", "confirmed")
                     and b.starts_at > now), key=lambda b: b.starts_at)
    if not coming:
        return None
    space = spaces.get(coming[0].space_id)
    rules = space.rules if space else domain.SpaceRules(cancellation_hours=0)
    open_ = [b for b in coming if now <= domain.cancellation_deadline(b.starts_at, rules)]
    if not open_:
        return {"past_deadline": True}
    first = open_[0]
    day = first.starts_at.astimezone(HELSINKI).date()
    whole = first is coming[0]
    return {"past_deadline": not whole, "from": "" if whole else day.isoformat(),
            "label": t["cancel_series"] if whole else t["cancel_series_from"].format(
                day=day_short(day, lang))}


def _from_day(given: str) -> date | None:
    """The day a series is cancelled from, as the list's form gives it ("": every time not
    started), within the years every day of the service is (`check_day`, as the API's
    `from`): a year such as 1 is no day to look for times from (the database holds no
    midnight of it in Helsinki)."""
    return form_day(given, "from", "date") if given else None


@router.get("/my/series/{series_id}/cancel", response_class=HTMLResponse)
async def confirm_cancel_my_series(series_id: UUID, request: Request, uow: Uow,
                                   clock: CurrentClock, lang: PageLang,
                                   from_: Annotated[Str, Query(alias="from",
                                                               max_length=40)] = ""
                                   ) -> Response:
    """Before a series is cancelled: how many of its times go, and which (the times
    `cancel_series` would cancel as of now), with "Yes, cancel N times" (the confirming
    post, the only one that cancels, carrying the version of the times shown) and "Back".
    A plain page: no script needed."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    lang = _language(request, await my.my_preferences(uow, principal), lang)
    return await _series_question(request, uow, clock, principal, lang, series_id,
                                  from_.strip()[:10])


async def _series_question(request: Request, uow: Uow, clock: Clock, principal: Principal,
                           lang: str, series_id: UUID, given: str, *,
                           changed: bool = False) -> Response:
    """The question before cancelling a series, naming the times as they are now and
    carrying their version (`series_version`) in its form; `changed`: asked again because
    the times changed since the organiser was last asked (409, said in the status region).
    Nothing left to cancel: said on the list instead."""
    t = my_labels(lang)
    try:
        found = await my.my_series_question(uow, clock, principal, series_id,
                                            _from_day(given))
    except NotFound:
        raise
    except DomainError as exc:
        return _noted(request, "/my/bookings", lang, error_text(exc, lang), error=True)
    times = found.bookings
    if not times:
        return _noted(request, "/my/bookings", lang, t["series_none_to_cancel"],
                      error=changed)
    n = len(times)
    # Where, as the single booking's question says it (venue first): once when every time
    # is in one place, else by each time.
    places = {b.id: _row(b, found.spaces, found.venues, lang)["where"] for b in times}
    one_place = len(set(places.values())) == 1
    return _render(
        "my_series_cancel.html", lang, status_code=409 if changed else 200,
        here=_with(f"/my/series/{series_id}/cancel", **{"from": given}),
        csrf=SESSION.csrf_token(request), series_id=series_id, from_day=given,
        seen=domain.series_version(times), msg=t["series_changed"] if changed else None,
        error=changed, title=times[0].title or "–",
        these=_counted(t["cancel_series_these"], n), yes=_counted(t["cancel_series_yes"], n),
        where=places[times[0].id] if one_place else "",
        times=[{"id": b.id, "when": day_and_hours(b.starts_at, b.ends_at, lang),
                "where": "" if one_place else places[b.id], "status": b.status}
               for b in times])


@router.post("/my/series/{series_id}/cancel")
async def cancel_my_series(series_id: UUID, request: Request, uow: Uow,
                           clock: CurrentClock) -> Response:
    """Cancel one's own series (`cancel_series`, the API's: every time's deadline holds,
    all or none), from the day the list offers, once confirmed (`confirm=yes`, the button
    of the page that names the times) and only the times that page named (`seen`, their
    version): changed since (the desk added, cancelled, moved or decided a time), nothing
    is cancelled and the question is asked again with the times as they are now. Without
    the confirmation or the version (an old page), on to that page, nothing cancelled.
    Anyone else's series is not found."""
    sender = await _form_sender(request, "/my/bookings")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    form = await request.form()
    given = str(form.get("from") or "").strip()[:10]
    seen = str(form.get("seen") or "").strip()[:64]
    if form.get("confirm") != "yes" or not seen:
        return RedirectResponse(_with(f"/my/series/{series_id}/cancel",
                                      **{"from": given, "lang": lang}), status_code=303)
    t = my_labels(lang)
    try:
        cancelled = await my.cancel_my_series(uow, clock, principal, series_id,
                                              _from_day(given), seen=seen)
    except NotFound:
        raise
    except Conflict as exc:
        if exc.details.get("code") == "series_changed":
            return await _series_question(request, uow, clock, principal, lang, series_id,
                                          given, changed=True)
        return _noted(request, "/my/bookings", lang, error_text(exc, lang), error=True)
    except DomainError as exc:
        return _noted(request, "/my/bookings", lang, error_text(exc, lang), error=True)
    return _noted(request, "/my/bookings", lang, _counted(t["did_cancel_series"], len(cancelled)))


def _row(b: Booking, spaces: Mapping[UUID, Any], venues: Mapping[UUID, Any],
         lang: str) -> dict[str, Any]:
    space, venue = spaces.get(b.space_id), venues.get(b.venue_id)
    return {"id": b.id, "title": b.title or "–", "status": b.status,
            # Marked on a page in another language (WCAG 3.1.2): read in its own voice.
            "title_lang": b.title_language if b.title else None,
            "when": day_and_hours(b.starts_at, b.ends_at, lang),
            "where": place(venue.name if venue else None, space.name if space else None,
                           lang),
            "price": _money(b.price, lang), "charged": b.status not in domain.NOT_CHARGED,
            "series": b.series_id is not None}


def _when(b: Booking, lang: str) -> str:
    """A booking's time on its page: the whole day and its hours ("sunnuntai 6.
    joulukuuta 2026 18.00–19.30"); over midnight, each day once with its hour, where the
    first day was said twice ("… 2026 6.12. 23.30–7.12. 0.00"), as `time_span` says it."""
    start, end = b.starts_at.astimezone(HELSINKI), b.ends_at.astimezone(HELSINKI)
    if start.date() != end.date():
        return (f"{day_full(start.date(), lang)} {clock_time(start, lang)} – "
                f"{day_full(end.date(), lang)} {clock_time(end, lang)}")
    return f"{day_full(start.date(), lang)} {hours(b.starts_at, b.ends_at, lang)}"


@router.get("/my/bookings/{booking_id}", response_class=HTMLResponse)
async def my_booking(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                     lang: PageLang, note: Note = Depends(SESSION.note)) -> Response:
    """One of the organiser's bookings: status and history, price and reference number,
    door code, calendar entry, cancelling before the deadline (after it, how to reach the
    desk), and writing its activity once confirmed. Anyone else's: the 404 page."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    lang = _language(request, await my.my_preferences(uow, principal), lang)
    t = my_labels(lang)
    mine = await my.my_booking(uow, principal, booking_id)
    b, now = mine.booking, clock.now()
    deadline = mine.cancel_by.astimezone(HELSINKI)
    open_ = b.status in ("held", "requested", "confirmed") and b.ends_at > now
    contact = mine.venue.contact or {}

    status_names = {**labels(lang)["statuses"], **t["extra_statuses"]}
    return _render(
        "my_booking.html", lang, here=f"/my/bookings/{b.id}", csrf=SESSION.csrf_token(request),
        b=b, msg=note.text, error=note.error, where=place(mine.venue.name, mine.space.name, lang),
        venue=_name(mine.venue.name, lang), address=mine.venue.address or "",
        when=_when(b, lang),
        # A refused, cancelled or expired booking has nothing to pay: its price is shown
        # struck, said not charged, and its invoice reference not at all.
        price=_money(b.price, lang), charged=b.status not in domain.NOT_CHARGED,
        kind=t["as_rental"].format(price=_money(mine.space.rules.price_per_hour, lang))
        if not b.cooperation else t["as_cooperation"],
        history=[{"status": status_names.get(h.status, h.status),
                  "who": history_actor(h.actor, principal.subject, lang),
                  "at": f"{day_short(h.at.astimezone(HELSINKI).date(), lang)} "
                        f"{clock_time(h.at.astimezone(HELSINKI), lang)}",
                  "reason": history_reason(h.reason, h.actor, lang)} for h in b.history],
        series=[{"id": s.id, "when": day_and_hours(s.starts_at, s.ends_at, lang),
                 "status": s.status, "current": s.id == b.id} for s in mine.series],
        can_cancel=open_ and (b.status == "held" or now <= deadline),
        past_deadline=open_ and b.status != "held" and now > deadline,
        cancel_by=t["cancel_by"].format(
            when=f"{day_short(deadline.date(), lang)} {clock_time(deadline, lang)}"),
        desk={"email": contact.get("email") or "", "phone": contact.get("phone") or ""},
        activity=f"{events_url()}/my/activities/new?"
                 f"{urlencode({'booking': str(b.id), 'lang': lang})}"
        if b.status == "confirmed" and b.ends_at > now else "",
        **await _unverified(uow, clock, principal, [b], lang))


async def _unverified(uow: Uow, clock: Clock, principal: Principal,
                      bookings: Sequence[Booking], lang: str,
                      back: Literal["list"] | None = None) -> dict[str, Any]:
    """The addresses these bookings' messages wait on (each once, as first given) and how
    long a confirmation link works: the pages tell the organiser to open it. Each address
    with its "send the link again" action, through the first of `bookings` waiting on it: the
    link proves the address for the organiser, so one press covers every booking that gives
    it (the link's mail in that booking's language). While a new link cannot be sent yet
    (`domain.next_link_at`), the notice says from when, so the button is not pressed only to
    be refused. `back="list"`: the press leads back to the list, else to the booking's page."""
    now = clock.now()
    unverified: dict[str, dict[str, str]] = {}
    for b in bookings:
        email = domain.awaiting_verification(b, now)
        if email and email.strip().lower() not in unverified:
            unverified[email.strip().lower()] = {
                "email": email.strip(),
                "resend": _with(f"/my/bookings/{b.id}/contact-link", lang=lang, back=back)}
    found = list(unverified.values())
    if found:
        times = await my.my_links_again_at(uow, clock, principal, [u["email"] for u in found])
        for u in found:
            if u["email"] in times:
                u["again"] = _again_at(times[u["email"]], now, lang)
    return {"unverified": found,
            "verify_days": number(usecases.bookings.VERIFY_FOR.days, lang)}


def _again_at(moment: datetime, now: datetime, lang: str) -> str:
    """"Voit pyytää uuden linkin klo 13.41 alkaen.": the whole minute a press first works
    (`domain.said_minute`), the time only when it is today, else with its weekday
    ("pe 4.12. klo 14.30"), as the refusal says it."""
    t = my_labels(lang)
    local = domain.said_minute(moment).astimezone(HELSINKI)
    when = (f"{t['at_clock']} {clock_time(local, lang)}"
            if local.date() == now.astimezone(HELSINKI).date() else day_and_time(local, lang))
    return str(t["link_again_at"]).format(when=when.strip())


@router.get("/my/bookings/{booking_id}/cancel", response_class=HTMLResponse)
async def confirm_cancel(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock,
                         lang: PageLang) -> Response:
    """Before a booking is cancelled: which it is (its name, time and place, and until when
    it could be cancelled), with "Yes, cancel it" (the confirming post, the only one that
    cancels) and "Back", as before a series. A booking no longer to be cancelled by its
    organiser (cancelled, over, past the deadline): its own page, which says why."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    lang = _language(request, await my.my_preferences(uow, principal), lang)
    mine = await my.my_booking(uow, principal, booking_id)  # anyone else's: the 404 page
    b, now = mine.booking, clock.now()
    if b.status not in ("requested", "confirmed") or b.ends_at <= now \
            or now > mine.cancel_by:
        return RedirectResponse(_with(f"/my/bookings/{booking_id}", lang=lang),
                                status_code=303)
    t = my_labels(lang)
    deadline = mine.cancel_by.astimezone(HELSINKI)
    return _render(
        "my_booking_cancel.html", lang, here=f"/my/bookings/{b.id}/cancel",
        csrf=SESSION.csrf_token(request), b=b, title=b.title or t["request"],
        when=f"{day_full(b.starts_at.astimezone(HELSINKI).date(), lang)} "
             f"{hours(b.starts_at, b.ends_at, lang)}",
        where=place(mine.venue.name, mine.space.name, lang),
        cancel_by=t["cancel_by"].format(
            when=f"{day_short(deadline.date(), lang)} {clock_time(deadline, lang)}"))


@router.post("/my/bookings/{booking_id}/cancel")
async def cancel(booking_id: UUID, request: Request, uow: Uow, clock: CurrentClock) -> Response:
    """Cancel one's own booking before the space's deadline, once confirmed (`confirm=yes`,
    the button of the page that names it; without it, on to that page, nothing cancelled),
    or let a hold go, which asks nothing: the time was only being chosen (the API's
    `cancel_booking`); after the deadline the rule's refusal says to contact the desk. A
    hold let go leads back to the search it was chosen from (`search`)."""
    sender = await _form_sender(request, "/my/bookings")
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    form = await request.form()
    try:
        before = await my.my_booking(uow, principal, booking_id)
        if before.booking.status != "held" and form.get("confirm") != "yes":
            return RedirectResponse(_with(f"/my/bookings/{booking_id}/cancel", lang=lang),
                                    status_code=303)
        await my.cancel_my_booking(uow, clock, principal, booking_id)
    except NotFound:
        raise
    except DomainError as exc:
        return _noted(request, f"/my/bookings/{booking_id}", lang, error_text(exc, lang),
                      error=True)
    t = my_labels(lang)
    if before.booking.status == "held":
        return _noted(request, "/my/spaces", lang, t["did_release"],
                      kept=_search_kept(request.query_params.get("search", "")))
    return _noted(request, f"/my/bookings/{booking_id}", lang, t["did_cancel"])


@router.post("/my/bookings/{booking_id}/contact-link")
async def send_link_again(booking_id: UUID, request: Request, uow: Uow,
                          clock: CurrentClock) -> Response:
    """"Send the link again", the button of the notice that says where the confirmation
    link went: a new link to the booking's address (`send_my_link_again`, the API's limits),
    said on the booking's page in its status region; a refusal (sent too recently, nothing
    waits on a link) said there as an error. Asked from the list (`back=list`, where a
    series leads), all of it said on the list instead. Anyone else's booking: the 404 page."""
    from_list = request.query_params.get("back") == "list"
    here = "/my/bookings" if from_list else f"/my/bookings/{booking_id}"
    sender = await _form_sender(request, here)
    if isinstance(sender, Response):
        return sender
    lang, principal = sender
    try:
        done = await my.send_my_link_again(uow, clock, principal, booking_id)
    except NotFound:
        raise
    except DomainError as exc:
        return _noted(request, here, lang, error_text(exc, lang), error=True)
    said = my_labels(lang)["did_send_link" if done.sent else "did_prove"]
    return _noted(request, here, lang, said.format(email=done.email))


@router.get("/my/bookings/{booking_id}/booking.ics")
async def my_booking_calendar(booking_id: UUID, request: Request, uow: Uow,
                              lang: PageLang) -> Response:
    """The booking's calendar entry for the signed-in organiser (the cookie reaches only
    /my): the same entry as `GET /bookings/{id}/booking.ics`."""
    try:
        principal = _organiser(request)
    except SignIn:
        return _sign_in(request, lang)
    await my.my_booking(uow, principal, booking_id)  # anyone else's: the 404 page
    entry = await usecases.booking_calendar(uow, principal, booking_id)
    return Response(calendar([ics_event(entry, lang)], name=entry.title), media_type=MEDIA_TYPE,
                    headers={"Cache-Control": "no-store"})

