"""Public pages of the activity calendar, server-rendered and small, fi/sv/en.

Dates, times, numbers and lists are CLDR's (`shared.l10n`), area names the city's
(`shared.areas`); every refusal is a page in the reader's language with a way back to the
calendar (`shared.pages`), never JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from services.events import domain, feeds, usecases
from services.events.domain import chosen_terms, offered_terms, safe_url
from services.events.labels import CALENDAR, EVENT_PAGE, status_text
from services.events.schemas import SearchText
from shared import announcements, l10n
from shared.areas import AREAS, area_name
from shared.bounds import FormDay, Str
from shared.clock import HELSINKI, monday_of
from shared.l10n import language_name, text_and_lang, text_html, text_in
from shared.pages import (
    SKIP_CSS,
    SKIP_TO_MAIN,
    Lang,
    PageLang,
    guide_widget,
    notifications_url,
    page_route,
    public_base,
)
from shared.service import CurrentClock, Pool

LANGS: tuple[Lang, ...] = ("fi", "sv", "en")


def _to_calendar(lang: str) -> tuple[str, str]:
    return f"/calendar?lang={lang}", CALENDAR[lang]["upcoming"]


router = APIRouter(route_class=page_route(_to_calendar), tags=["pages"])
# The board slide's macros (`shared.announcements`) show an organiser's preview of the slide.
_env = Environment(loader=FileSystemLoader([Path(__file__).parent / "templates",
                                            announcements.TEMPLATES]),
                   autoescape=select_autoescape(["html"]))
_env.globals["guide_widget"] = guide_widget
_env.globals.update(skip_to_main=SKIP_TO_MAIN, skip_css=SKIP_CSS)


def _labels(vocabulary: list[Any], lang: str) -> dict[str, dict[str, str]]:
    by_scheme: dict[str, dict[str, str]] = {}
    for r in vocabulary:
        by_scheme.setdefault(r["scheme"], {})[r["code"]] = text_in(r["label"], lang) or r["code"]
    return by_scheme


def _place(row: Any, venue: Any, lang: str) -> Markup:
    """The place's name, or the venue's and its space's ("KANTTI, Lastenosaston
    työpajatila", as the boards and posts say it), each marked with its language when it
    falls back to another (WCAG 3.1.2), as every name and description the pages show."""
    if row["place_name"] and not (venue and announcements.at_venue(row["place_kind"])):
        return text_html(row["place_name"], lang)
    if not venue:
        return Markup("")
    space = domain.space_name(venue, row["space_id"])
    return Markup(", ").join(
        part for part in (text_html(venue["name"], lang),
                          text_html(space, lang) if space else Markup("")) if part)


@router.get("/events/{event_id}/page", response_class=HTMLResponse)
async def event_page(event_id: UUID, request: Request, pool: Pool,
                     lang: PageLang) -> HTMLResponse:
    """An activity event's page, all a resident needs to attend, with its schema.org Event
    JSON-LD."""
    found = await usecases.event_page(usecases.unit_of_work(pool), event_id)
    # The calendar's choices the resident came with, for the way back (and nothing else).
    back = domain.calendar_return(request.query_params, found.vocabulary)
    return HTMLResponse(render_event(found.row, found.venue, found.vocabulary, lang,
                                     public_base(request), back=back))


def _places(row: Any, lang: Lang) -> tuple[str, str] | None:
    """(what, how many) of the activity's places as residents read them: the free ones of
    all where sign-up is in use ("Vapaita paikkoja", "3 / 12"), else how many can take part
    ("Paikkoja", "12 paikkaa"); the sign-up's figures when heard (`usecases._with_places`),
    else (an organiser's preview) the activity's own capacity."""
    t = EVENT_PAGE[lang]
    total = row.get("places", row["capacity"])
    if not total:
        return None
    free = row.get("places_left")
    if free is not None:
        return t["free_places"], t["free_of"].format(free=l10n.number(free, lang),
                                                     n=l10n.number(total, lang))
    return t["capacity"], t["places"].format(n=l10n.number(total, lang))


def _status_reason(row: Any, t: dict[str, str]) -> str | None:
    """Why the event is cancelled or postponed, in the page's language when its booking's
    end did it (the booking's own reason, if it gave one, after it)."""
    reason: str | None = row.get("status_reason")
    if not row.get("status_by_booking"):
        return reason
    return f"{t['booking_ended']}: {reason}" if reason else t["booking_ended"]


def _online(row: Any) -> bool:
    """Whether one takes part online (only, or there and online too)."""
    return row["place_kind"] in ("online", "hybrid")


def price_text(row: Any, lang: Lang) -> str:
    """What the activity costs, as the JSON-LD says it: free, its price (CLDR's "5,00 €"),
    or (a rental without one) not known. The event page and the calendar's lists say it."""
    t = EVENT_PAGE[lang]
    if row["free"]:
        return t["free"]
    return t["price_unknown"] if feeds.price(row) is None else l10n.money(row["price"], lang)


def _carried(lang: str, back: dict[str, str], **changes: Any) -> str:
    """A page's query in `lang` carrying the calendar's choices (`domain.calendar_return`),
    some of them changed."""
    return urlencode({"lang": lang, **back, **{k: str(v) for k, v in changes.items()}})


def render_event(row: Any, venue: Any, vocabulary: list[Any], lang: Lang, base: str,
                 preview: dict[str, Any] | None = None,
                 back: dict[str, str] | None = None) -> str:
    """An event's page: the public one, and (with `preview`, what the banner says and where
    it leads) its organiser's preview, so both show exactly the same. `back`: the calendar's
    choices its links back to the calendar and to the page in another language keep."""
    back = back or {}
    t = EVENT_PAGE[lang]
    labels = _labels(vocabulary, lang)
    document = feeds.json_ld(row, venue, lang, base)
    online = safe_url(row["online_url"]) if _online(row) else None
    ages = ""
    if row["min_age"] is not None or row["max_age"] is not None:
        ages = "–".join(l10n.number(a, lang) if a is not None else ""
                        for a in (row["min_age"], row["max_age"]))
    price = price_text(row, lang)
    image_alt, alt_lang = text_and_lang(row["image_alt"], lang)
    return _env.get_template("event.html").render(
        lang=lang, langs=LANGS, t=t, title=text_in(row["name"], lang),
        heading=text_html(row["name"], lang), event_id=row["id"],
        status_text=status_text(row["status"], lang), reason=_status_reason(row, t),
        cancelled=row["status"] == "cancelled",
        when=l10n.time_span(row["starts_at"], row["ends_at"], lang, all_day=row["all_day"]),
        place=_place(row, venue, lang),
        area=area_name(row["area"], lang), online=online, price=price,
        registration=t["registration_required"] if row["registration_required"]
        else t["no_registration"],
        # Residents sign up on the notifications service's page (it keeps the places).
        signup_url=(f"{notifications_url()}/registrations/{row['id']}?lang={lang}"
                    if row["registration_required"] and row["status"] in ("published",
                                                                          "rescheduled")
                    else None),
        capacity=_places(row, lang),
        kind=labels.get("kind", {}).get(row["kind"]),
        topics=l10n.terms((labels.get("topic", {}).get(c, c) for c in row["topics"]), lang),
        audiences=l10n.terms((labels.get("audience", {}).get(c, c) for c in row["audiences"]),
                             lang),
        ages=ages, languages=l10n.words((language_name(c, lang) for c in row["languages"]),
                                        lang),
        accessibility=text_html(row["accessibility"], lang), organiser=row["organiser_name"],
        # As the JSON-LD's: the description, or the short one when there is none.
        description=text_html(row["description"], lang)
        or text_html(row["short_description"], lang),
        short_description=text_html(row["short_description"], lang),
        image_url=safe_url(row["image_url"]), image_alt=image_alt,
        image_alt_lang=alt_lang if image_alt and alt_lang != lang else None,
        # `</` cannot end the script element early once escaped.
        json_ld=json.dumps(document, ensure_ascii=False).replace("</", "<\\/"),
        preview=preview, back_query=_carried(lang, back),
        lang_query=lambda code: _carried(code, back))


# --- the calendar: list, day and week views, and the annual calendar (vuosikello) -----------


def _row_view(row: Any, lang: Lang, venues: dict[Any, Any]) -> dict[str, Any]:
    """An event as the lists show it: as its page says where (online too) and what it
    costs, in a line."""
    start = row["starts_at"].astimezone(HELSINKI)
    all_day = bool(row["all_day"])
    return {"id": row["id"], "name": text_html(row["name"], lang),
            "status_text": status_text(row["status"], lang),
            "when": l10n.time_span(row["starts_at"], row["ends_at"], lang, all_day=all_day),
            "time": CALENDAR[lang]["all_day"] if all_day else l10n.clock_time(start, lang),
            "day": l10n.day_short(start.date(), lang),
            "place": _place(row, venues.get(row["venue_id"]), lang),
            "online": CALENDAR[lang]["online_short"] if _online(row) else None,
            "area": area_name(row["area"], lang), "free": row["free"],
            "price": None if row["free"] else price_text(row, lang)}


def _filters_offered(data: usecases.CalendarData, lang: str,
                     filters: dict[str, Any]) -> dict[str, Any]:
    # No retired term, but the one an old link chose: the form shows what it lists by.
    labels = _labels(offered_terms(data.vocabulary, chosen_terms(filters)), lang)
    # The city's areas only: an activity kept with an odd code (before areas were checked)
    # would offer a choice the filter refuses.
    return {"areas": sorted(((a, area_name(a, lang)) for a in data.areas if a in AREAS),
                            key=lambda a: l10n.collation_key(a[1], lang)),
            "kinds": sorted(labels.get("kind", {}).items(), key=lambda kv: kv[1]),
            "topics": sorted(labels.get("topic", {}).items(), key=lambda kv: kv[1]),
            "audiences": sorted(labels.get("audience", {}).items(), key=lambda kv: kv[1]),
            "languages": [(code, language_name(code, lang)) for code in LANGS]}


Filter = Annotated[Str | None, Query(max_length=100)]


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, pool: Pool, clock: CurrentClock, lang: PageLang,
    view: Literal["list", "day", "week"] = "list", date: FormDay = None,
    area: Filter = None, kind: Filter = None, topic: Filter = None, audience: Filter = None,
    language: Annotated[Literal["", "fi", "sv", "en"], Query()] = "",
    accessible: bool | None = None, free: bool | None = None,
    q: Annotated[SearchText | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> HTMLResponse:
    """The public calendar, server-rendered and light enough for a phone. A search is read
    as the API reads it (`SearchText`): bytes that are not UTF-8 are refused, not read as no
    search that lists everything."""
    t = CALENDAR[lang]
    now = clock.now()
    today = now.astimezone(HELSINKI).date()
    day = date or today
    first = monday_of(day) if view == "week" else day
    start = dt.datetime.combine(first, dt.time(0), tzinfo=HELSINKI)
    if view == "list" and day == today:
        # Upcoming from now: what is over already today (an activity reported late, after
        # it happened) is not coming. The day view and an earlier date still show it.
        start = now
    end = (start + dt.timedelta(days=7) if view == "week" else
           start + dt.timedelta(days=1) if view == "day" else None)
    filters = {"start": start, "end": end, "area": area or None, "kind": kind or None,
               "topic": [topic] if topic else None, "audience": [audience] if audience else None,
               "language": [language] if language else None,
               "accessible": True if accessible else None,
               "free": True if free else None, "q": q or None}
    limit = 50
    found = await usecases.calendar(usecases.unit_of_work(pool), filters,
                                    limit=limit if view == "list" else 500,
                                    offset=offset if view == "list" else 0)
    rows, total = found.rows, found.total
    events = [_row_view(r, lang, found.venues) for r in rows]
    params = {k: v for k, v in {
        "lang": lang, "view": view, "date": day.isoformat(), "area": area, "kind": kind,
        "topic": topic, "audience": audience, "language": language,
        "accessible": "true" if accessible else None, "free": "true" if free else None,
        "q": q}.items() if v}

    def query(**changes: Any) -> str:
        merged = {**params, **{k: str(v) for k, v in changes.items()}}
        return urlencode({k: v for k, v in merged.items() if k != "offset" or v != "0"})

    # What an event's page and the annual calendar carry back here: the choices, but not
    # the list (the calendar's first view) and the day only when one was chosen (a link
    # kept till tomorrow still starts from today).
    back = domain.calendar_return({**params, "view": "" if view == "list" else view,
                                   "date": date.isoformat() if date else ""},
                                  found.vocabulary)

    feed_query = urlencode({k: v for k, v in params.items()
                            if k in ("lang", "area", "kind", "topic", "audience", "language",
                                     "accessible", "free", "q")})
    days = []
    if view == "week":
        for i in range(7):
            d = first + dt.timedelta(days=i)
            days.append({"label": l10n.weekday_day(d, lang), "events": [
                e for e, r in zip(events, rows, strict=True)
                if r["starts_at"].astimezone(HELSINKI).date() == d]})
    heading = (t["upcoming"] if view == "list" else
               l10n.day_full(day, lang) if view == "day" else
               l10n.day_range(first, first + dt.timedelta(days=6), lang))
    html = _env.get_template("calendar.html").render(
        lang=lang, langs=LANGS, t=t, view=view, date=day.isoformat(), year=day.year,
        area=area, kind=kind, topic=topic, audience=audience, language=language,
        accessible=accessible, free=free, q=q, events=events, days=days, heading=heading,
        query=query, feed_query=feed_query, total=l10n.number(total, lang),
        event_query=_carried(lang, back), year_link=_carried(lang, back, year=day.year),
        next_offset=offset + limit if view == "list" and offset + limit < total else None,
        **_filters_offered(found, lang, filters))
    return HTMLResponse(html)


#: Events a month of the annual calendar lists before a link to them all.
MONTH_SHOWN = 8


@router.get("/calendar/year", response_class=HTMLResponse)
async def annual_calendar(request: Request, pool: Pool, clock: CurrentClock, lang: PageLang,
                          year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                          ) -> HTMLResponse:
    """The open annual calendar (vuosikello): what is coming, month by month, by theme and
    area (Espoo's model), so residents and organisers can plan ahead. In the current year the
    months to come are first and the past ones last, folded."""
    t = CALENDAR[lang]
    today = clock.now().astimezone(HELSINKI).date()
    year = year or today.year
    start = dt.datetime(year, 1, 1, tzinfo=HELSINKI)
    found = await usecases.calendar(
        usecases.unit_of_work(pool), {"start": start, "end": start.replace(year=year + 1)},
        limit=5000, offset=0)
    labels = _labels(found.vocabulary, lang)
    # The calendar's choices the resident came with, kept for the way back to it.
    back = domain.calendar_return(request.query_params, found.vocabulary)
    topic_labels = labels.get("topic", {})
    months = []
    for month in range(1, 13):
        in_month = [r for r in found.rows
                    if r["starts_at"].astimezone(HELSINKI).month == month
                    and r["starts_at"].astimezone(HELSINKI).year == year
                    and r["status"] != "cancelled"]
        themes: dict[str, int] = {}
        areas: dict[str, int] = {}
        for r in in_month:
            for code in r["topics"]:
                label = topic_labels.get(code, code)
                themes[label] = themes.get(label, 0) + 1
            if r["area"]:
                label = area_name(r["area"], lang)
                areas[label] = areas.get(label, 0) + 1
        count = len(in_month)
        months.append({
            "month": month, "label": l10n.month_name(month, lang),
            "count": t["event_1"] if count == 1 else t["events_n"].format(
                n=l10n.number(count, lang)),
            "themes": l10n.words((f"{label} {l10n.number(n, lang)}" for label, n in sorted(
                themes.items(), key=lambda kv: (-kv[1], kv[0]))), lang),
            "areas": l10n.words((f"{label} {l10n.number(n, lang)}" for label, n in sorted(
                areas.items(), key=lambda kv: (-kv[1], kv[0]))), lang),
            "events": [_row_view(r, lang, found.venues) for r in in_month[:MONTH_SHOWN]],
            "all": (t["all_of_month"].format(n=l10n.number(count, lang))
                    if count > MONTH_SHOWN else None),
            "first_day": dt.date(year, month, 1).isoformat(),
        })
    past = [m for m in months if year == today.year and m["month"] < today.month]
    coming = [m for m in months if m not in past]
    html = _env.get_template("calendar.html").render(
        lang=lang, langs=LANGS, t=t, view="year", year=year, months=coming, past_months=past,
        heading=f"{t['year']} {year}",
        query=lambda **kw: _carried(kw.pop("lang", lang), back, **kw),
        year_query=lambda **kw: _carried(kw.get("lang", lang), back,
                                         year=kw.get("year", year)),
        event_query=_carried(lang, back), year_link=_carried(lang, back, year=year),
        feed_query=urlencode({"lang": lang}), date=None)
    return HTMLResponse(html)
