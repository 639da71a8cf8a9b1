"""Public pages of the activity calendar, server-rendered and small, fi/sv/en."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.events import feeds, usecases
from services.events.domain import safe_url, text
from services.events.labels import CALENDAR, EVENT_PAGE, MONTHS, WEEKDAYS, status_text
from shared.bounds import Day, Str
from shared.clock import HELSINKI
from shared.service import CurrentClock, Pool

_ERROR = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ t.title }}</title>
</head><body><main><h1>{{ t.title }}</h1><p>{{ t.bad_query }} ({{ fields }})</p>
<p><a href="/calendar?lang={{ lang }}">{{ t.upcoming }}</a></p></main></body></html>""")


class PageRoute(APIRoute):
    """A page refuses an odd query string with a page of its own (422) naming the
    parameters, in the reader's language, rather than with JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                lang = request.query_params.get("lang")
                lang = lang if lang in CALENDAR else "fi"
                fields = ", ".join(sorted({str(e["loc"][-1]) for e in exc.errors()
                                           if e.get("loc")}))
                return HTMLResponse(_ERROR.render(lang=lang, t=CALENDAR[lang], fields=fields),
                                    status_code=422)

        return answer


router = APIRouter(route_class=PageRoute, tags=["pages"])
_env = Environment(autoescape=select_autoescape(default=True))
_PAGE = _env.from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<script type="application/ld+json">{{ json_ld | safe }}</script>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:42rem;margin:1rem auto;padding:0 1rem}
.status{font-weight:700;color:#a4000f}dt{font-weight:600}</style></head>
<body><main><h1>{{ title }}</h1>
{% if status_text %}<p class="status">{{ status_text }}</p>{% endif %}
<dl><dt>{{ t.when }}</dt><dd>{{ when }}</dd>
{% if place %}<dt>{{ t.where }}</dt><dd>{{ place }}</dd>{% endif %}
{% if free %}<dt>{{ t.price }}</dt><dd>{{ t.free }}</dd>{% endif %}</dl>
{% if description %}<p>{{ description }}</p>{% endif %}
{% if image_url %}<img src="{{ image_url }}" alt="{{ image_alt }}"
 style="max-width:100%">{% endif %}
<p>{% for code in ["fi", "sv", "en"] %}<a href="?lang={{ code }}" hreflang="{{ code }}">
{{ code }}</a> {% endfor %}</p>
</main></body></html>""")


@router.get("/events/{event_id}/page", response_class=HTMLResponse)
async def event_page(event_id: UUID, request: Request, pool: Pool,
                     lang: Literal["fi", "sv", "en"] = "fi") -> HTMLResponse:
    """An activity event's page with its schema.org Event JSON-LD."""
    row, venue = await usecases.get_public_event(usecases.unit_of_work(pool), event_id)
    t = EVENT_PAGE[lang]
    start, end = row["starts_at"].astimezone(HELSINKI), row["ends_at"].astimezone(HELSINKI)
    when = (f"{start:%d.%m.%Y %H.%M}–{end:%H.%M}" if start.date() == end.date()
            else f"{start:%d.%m.%Y %H.%M} – {end:%d.%m.%Y %H.%M}")
    place = (text(row["place_name"], lang) if row["place_name"]
             else text(venue["name"], lang) if venue else "")
    document = feeds.json_ld(row, venue, lang, str(request.base_url))
    html = _PAGE.render(
        lang=lang, t=t, title=text(row["name"], lang),
        status_text=status_text(row["status"], lang), when=when, place=place, free=row["free"],
        description=document["description"], image_url=safe_url(row["image_url"]),
        image_alt=text(row["image_alt"], lang),
        # `</` cannot end the script element early once escaped.
        json_ld=json.dumps(document, ensure_ascii=False).replace("</", "<\\/"))
    return HTMLResponse(html)


# --- the calendar: list, day and week views, and the annual calendar (vuosikello) -----------

_calendar_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                            autoescape=select_autoescape(["html"]))
Lang = Literal["fi", "sv", "en"]


def _row_view(row: Any, lang: str, venues: dict[Any, Any]) -> dict[str, Any]:
    start = row["starts_at"].astimezone(HELSINKI)
    end = row["ends_at"].astimezone(HELSINKI)
    place = (text(row["place_name"], lang) if row["place_name"]
             else text(venues[row["venue_id"]], lang) if row["venue_id"] in venues else "")
    return {"id": row["id"], "name": text(row["name"], lang),
            "status_text": status_text(row["status"], lang),
            "when": f"{WEEKDAYS[lang][start.weekday()]} {start:%d.%m.%Y %H.%M}–{end:%H.%M}",
            "time": f"{start:%H.%M}", "day": f"{start:%d.%m.}", "place": place,
            "free": row["free"]}


def _page_data(data: usecases.CalendarData, lang: str) -> dict[str, Any]:
    by_scheme: dict[str, list[tuple[str, str]]] = {}
    for r in data.vocabulary:
        by_scheme.setdefault(r["scheme"], []).append((r["code"], text(r["label"], lang)))
    return {"areas": data.areas, "venues": data.venues, "topics": by_scheme.get("topic", []),
            "audiences": by_scheme.get("audience", [])}


Filter = Annotated[Str | None, Query(max_length=100)]


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, pool: Pool, clock: CurrentClock, lang: Lang = "fi",
    view: Literal["list", "day", "week"] = "list", date: Day | None = None,
    area: Filter = None, topic: Filter = None, audience: Filter = None,
    free: bool | None = None,
    q: Annotated[Str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> HTMLResponse:
    """The public calendar, server-rendered and light enough for a phone."""
    t = CALENDAR[lang]
    day = date or clock.now().astimezone(HELSINKI).date()
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    start = dt.datetime.combine(first, dt.time(0), tzinfo=HELSINKI)
    end = (start + dt.timedelta(days=7) if view == "week" else
           start + dt.timedelta(days=1) if view == "day" else None)
    filters = {"start": start, "end": end, "area": area or None,
               "topic": [topic] if topic else None, "audience": [audience] if audience else None,
               "free": True if free else None, "q": q or None}
    limit = 50
    found = await usecases.calendar(usecases.unit_of_work(pool), filters,
                                    limit=limit if view == "list" else 500,
                                    offset=offset if view == "list" else 0)
    rows, total, data = found.rows, found.total, _page_data(found, lang)
    events = [_row_view(r, lang, data["venues"]) for r in rows]
    params = {k: v for k, v in {"lang": lang, "view": view, "date": day.isoformat(),
                                "area": area, "topic": topic, "audience": audience,
                                "free": "true" if free else None, "q": q}.items() if v}

    def query(**changes: Any) -> str:
        merged = {**params, **{k: str(v) for k, v in changes.items()}}
        return urlencode({k: v for k, v in merged.items() if k != "offset" or v != "0"})

    feed_query = urlencode({k: v for k, v in params.items()
                            if k in ("lang", "area", "topic", "audience", "free", "q")})
    days = []
    if view == "week":
        for i in range(7):
            d = first + dt.timedelta(days=i)
            days.append({"label": f"{WEEKDAYS[lang][i]} {d:%d.%m.}", "events": [
                e for e, r in zip(events, rows, strict=True)
                if r["starts_at"].astimezone(HELSINKI).date() == d]})
    heading = (t["upcoming"] if view == "list" else
               f"{WEEKDAYS[lang][day.weekday()]} {day:%d.%m.%Y}" if view == "day" else
               f"{first:%d.%m.} – {first + dt.timedelta(days=6):%d.%m.%Y}")
    html = _calendar_env.get_template("calendar.html").render(
        lang=lang, t=t, view=view, date=day.isoformat(), year=day.year, area=area,
        topic=topic, audience=audience, free=free, q=q, events=events, days=days,
        heading=heading, query=query, feed_query=feed_query,
        next_offset=offset + limit if view == "list" and offset + limit < total else None,
        **{k: data[k] for k in ("areas", "topics", "audiences")})
    return HTMLResponse(html)


@router.get("/calendar/year", response_class=HTMLResponse)
async def annual_calendar(pool: Pool, clock: CurrentClock, lang: Lang = "fi",
                          year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                          ) -> HTMLResponse:
    """The open annual calendar (vuosikello): what is coming, month by month, by theme and
    area (Espoo's model), so residents and organisers can plan ahead."""
    t = CALENDAR[lang]
    year = year or clock.now().astimezone(HELSINKI).year
    start = dt.datetime(year, 1, 1, tzinfo=HELSINKI)
    found = await usecases.calendar(
        usecases.unit_of_work(pool), {"start": start, "end": start.replace(year=year + 1)},
        limit=5000, offset=0)
    rows, data = found.rows, _page_data(found, lang)
    topic_labels = dict(data["topics"])
    months = []
    for month in range(1, 13):
        in_month = [r for r in rows if r["starts_at"].astimezone(HELSINKI).month == month
                    and r["starts_at"].astimezone(HELSINKI).year == year
                    and r["status"] != "cancelled"]
        themes: dict[str, int] = {}
        areas: dict[str, int] = {}
        for r in in_month:
            for code in r["topics"]:
                themes[topic_labels.get(code, code)] = themes.get(
                    topic_labels.get(code, code), 0) + 1
            if r["area"]:
                label = r["area"].split(".")[-1].capitalize()
                areas[label] = areas.get(label, 0) + 1
        months.append({
            "label": MONTHS[lang][month - 1].capitalize(), "count": len(in_month),
            "themes": sorted(themes.items(), key=lambda kv: (-kv[1], kv[0])),
            "areas": sorted(areas.items(), key=lambda kv: (-kv[1], kv[0])),
            "events": [_row_view(r, lang, data["venues"]) for r in in_month[:8]]})
    html = _calendar_env.get_template("calendar.html").render(
        lang=lang, t=t, view="year", year=year, months=months, heading=f"{t['year']} {year}",
        query=lambda **kw: urlencode({"lang": kw.get("lang", lang), "view": kw.get(
            "view", "list")}), feed_query=urlencode({"lang": lang}), date=None)
    return HTMLResponse(html)
