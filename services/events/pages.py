"""Public pages of the activity calendar, server-rendered and small, fi/sv/en."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.events import feeds, store
from shared.auth import CurrentPrincipal
from shared.contracts import LocalizedText
from shared.errors import NotFound
from shared.service import Pool

router = APIRouter(tags=["pages"])
HELSINKI = ZoneInfo("Europe/Helsinki")
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

_LABELS: dict[str, dict[str, Any]] = {
    "fi": {"when": "Aika", "where": "Paikka", "price": "Hinta",
           "free": "Maksuton, ei ilmoittautumista",
           "status": {"cancelled": "Peruttu", "postponed": "Siirretty, uusi aika ilmoitetaan",
                      "rescheduled": "Uusi aika"}},
    "sv": {"when": "Tid", "where": "Plats", "price": "Pris", "free": "Gratis, ingen anmälan",
           "status": {"cancelled": "Inställt", "postponed": "Uppskjutet, ny tid meddelas",
                      "rescheduled": "Ny tid"}},
    "en": {"when": "When", "where": "Where", "price": "Price", "free": "Free, no registration",
           "status": {"cancelled": "Cancelled", "postponed": "Postponed, new time to follow",
                      "rescheduled": "New time"}},
}


@router.get("/events/{event_id}/page", response_class=HTMLResponse)
async def event_page(event_id: UUID, request: Request, pool: Pool, principal: CurrentPrincipal,
                     lang: Literal["fi", "sv", "en"] = "fi") -> HTMLResponse:
    """An activity event's page with its schema.org Event JSON-LD."""
    async with pool.acquire() as conn:
        row = await store.get_event(conn, event_id)
        if row is None or row["status"] == "draft":
            raise NotFound("no such activity event", event_id=str(event_id))
        venue = await store.get_venue(conn, row["venue_id"]) if row["venue_id"] else None
    t = _LABELS[lang]
    start, end = row["starts_at"].astimezone(HELSINKI), row["ends_at"].astimezone(HELSINKI)
    when = (f"{start:%d.%m.%Y %H.%M}–{end:%H.%M}" if start.date() == end.date()
            else f"{start:%d.%m.%Y %H.%M} – {end:%d.%m.%Y %H.%M}")
    place = (LocalizedText(**row["place_name"]).get(lang) if row["place_name"]
             else LocalizedText(**venue["name"]).get(lang) if venue else "")
    document = feeds.json_ld(row, venue, lang, str(request.base_url))
    html = _PAGE.render(
        lang=lang, t=t, title=LocalizedText(**row["name"]).get(lang),
        status_text=t["status"].get(row["status"]), when=when, place=place, free=row["free"],
        description=document["description"], image_url=row["image_url"],
        image_alt=LocalizedText(**row["image_alt"]).get(lang) if row["image_alt"] else "",
        # `</` cannot end the script element early once escaped.
        json_ld=json.dumps(document, ensure_ascii=False).replace("</", "<\\/"))
    return HTMLResponse(html)


# --- the calendar: list, day and week views, and the annual calendar (vuosikello) -----------

_calendar_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                            autoescape=select_autoescape(["html"]))
_MONTHS = {
    "fi": ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu",
           "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
_WEEKDAYS = {"fi": ["ma", "ti", "ke", "to", "pe", "la", "su"],
             "sv": ["mån", "tis", "ons", "tor", "fre", "lör", "sön"],
             "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}
_CAL = {
    "fi": {"title": "Asukastoiminnan kalenteri", "views": "Näkymät", "list": "Tulevat",
           "day": "Päivä", "week": "Viikko", "year": "Vuosikello", "date": "Päivä",
           "search": "Haku", "area": "Alue", "topic": "Teema", "audience": "Kenelle",
           "free": "Maksuton", "free_short": "maksuton", "all": "Kaikki", "show": "Näytä",
           "none": "Ei tapahtumia näillä valinnoilla.", "more": "Lisää",
           "upcoming": "Tulevat tapahtumat", "year_intro": "Mitä on tulossa, kuukausittain "
           "teemoittain ja alueittain."},
    "sv": {"title": "Kalender för invånarverksamhet", "views": "Vyer", "list": "Kommande",
           "day": "Dag", "week": "Vecka", "year": "Årshjul", "date": "Dag", "search": "Sök",
           "area": "Område", "topic": "Tema", "audience": "För vem", "free": "Gratis",
           "free_short": "gratis", "all": "Alla", "show": "Visa",
           "none": "Inga evenemang med dessa val.", "more": "Fler",
           "upcoming": "Kommande evenemang", "year_intro": "Vad som är på gång, månad för "
           "månad, per tema och område."},
    "en": {"title": "Resident activity calendar", "views": "Views", "list": "Upcoming",
           "day": "Day", "week": "Week", "year": "Year ahead", "date": "Day",
           "search": "Search", "area": "Area", "topic": "Theme", "audience": "For whom",
           "free": "Free", "free_short": "free", "all": "All", "show": "Show",
           "none": "No events with these choices.", "more": "More",
           "upcoming": "Upcoming events", "year_intro": "What is coming, month by month, by "
           "theme and area."},
}
PUBLIC = {"statuses": ("published", "postponed", "rescheduled", "cancelled")}
Lang = Literal["fi", "sv", "en"]


def _row_view(row: Any, lang: str, venues: dict[Any, Any]) -> dict[str, Any]:
    start = row["starts_at"].astimezone(HELSINKI)
    end = row["ends_at"].astimezone(HELSINKI)
    place = (LocalizedText(**row["place_name"]).get(lang) if row["place_name"]
             else LocalizedText(**venues[row["venue_id"]]).get(lang)
             if row["venue_id"] in venues else "")
    return {"id": row["id"], "name": LocalizedText(**row["name"]).get(lang),
            "status_text": _LABELS[lang]["status"].get(row["status"]),
            "when": f"{_WEEKDAYS[lang][start.weekday()]} {start:%d.%m.%Y %H.%M}–{end:%H.%M}",
            "time": f"{start:%H.%M}", "day": f"{start:%d.%m.}", "place": place,
            "free": row["free"]}


async def _page_data(conn: Any, lang: str) -> dict[str, Any]:
    labels = await store.vocabulary_labels(conn)
    areas = [r["area"] for r in await conn.fetch(
        "SELECT DISTINCT area FROM activity_events WHERE status <> 'draft' AND area IS NOT NULL"
        " UNION SELECT area FROM venues ORDER BY 1")]
    venues = {r["venue_id"]: r["name"] for r in await conn.fetch(
        "SELECT venue_id, name FROM venues")}
    by_scheme: dict[str, list[tuple[str, str]]] = {}
    for r in labels:
        by_scheme.setdefault(r["scheme"], []).append(
            (r["code"], LocalizedText(**r["label"]).get(lang)))
    return {"areas": areas, "venues": venues, "topics": by_scheme.get("topic", []),
            "audiences": by_scheme.get("audience", [])}


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, pool: Pool, lang: Lang = "fi",
    view: Literal["list", "day", "week"] = "list", date: dt.date | None = None,
    area: str | None = None, topic: str | None = None, audience: str | None = None,
    free: bool | None = None, q: str | None = Query(None, max_length=200),
    offset: int = Query(0, ge=0, le=10_000),
) -> HTMLResponse:
    """The public calendar, server-rendered and light enough for a phone."""
    t = _CAL[lang]
    day = date or dt.datetime.now(HELSINKI).date()
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    start = dt.datetime.combine(first, dt.time(0), tzinfo=HELSINKI)
    end = (start + dt.timedelta(days=7) if view == "week" else
           start + dt.timedelta(days=1) if view == "day" else None)
    filters = {"start": start, "end": end, "area": area or None,
               "topic": [topic] if topic else None, "audience": [audience] if audience else None,
               "free": True if free else None, "q": q or None}
    limit = 50
    async with pool.acquire() as conn:
        rows, total = await store.list_events(conn, filters=filters, visibility=PUBLIC,
                                              limit=limit if view == "list" else 500,
                                              offset=offset if view == "list" else 0)
        data = await _page_data(conn, lang)
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
            days.append({"label": f"{_WEEKDAYS[lang][i]} {d:%d.%m.}", "events": [
                e for e, r in zip(events, rows, strict=True)
                if r["starts_at"].astimezone(HELSINKI).date() == d]})
    heading = (t["upcoming"] if view == "list" else
               f"{_WEEKDAYS[lang][day.weekday()]} {day:%d.%m.%Y}" if view == "day" else
               f"{first:%d.%m.} – {first + dt.timedelta(days=6):%d.%m.%Y}")
    html = _calendar_env.get_template("calendar.html").render(
        lang=lang, t=t, view=view, date=day.isoformat(), year=day.year, area=area,
        topic=topic, audience=audience, free=free, q=q, events=events, days=days,
        heading=heading, query=query, feed_query=feed_query,
        next_offset=offset + limit if view == "list" and offset + limit < total else None,
        **{k: data[k] for k in ("areas", "topics", "audiences")})
    return HTMLResponse(html)


@router.get("/calendar/year", response_class=HTMLResponse)
async def annual_calendar(pool: Pool, lang: Lang = "fi",
                          year: int | None = Query(None, ge=2000, le=2100)) -> HTMLResponse:
    """The open annual calendar (vuosikello): what is coming, month by month, by theme and
    area (Espoo's model), so residents and organisers can plan ahead."""
    t = _CAL[lang]
    year = year or dt.datetime.now(HELSINKI).year
    start = dt.datetime(year, 1, 1, tzinfo=HELSINKI)
    async with pool.acquire() as conn:
        rows, _ = await store.list_events(
            conn, filters={"start": start, "end": start.replace(year=year + 1)},
            visibility=PUBLIC, limit=5000, offset=0)
        data = await _page_data(conn, lang)
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
            "label": _MONTHS[lang][month - 1].capitalize(), "count": len(in_month),
            "themes": sorted(themes.items(), key=lambda kv: (-kv[1], kv[0])),
            "areas": sorted(areas.items(), key=lambda kv: (-kv[1], kv[0])),
            "events": [_row_view(r, lang, data["venues"]) for r in in_month[:8]]})
    html = _calendar_env.get_template("calendar.html").render(
        lang=lang, t=t, view="year", year=year, months=months, heading=f"{t['year']} {year}",
        query=lambda **kw: urlencode({"lang": kw.get("lang", lang), "view": kw.get(
            "view", "list")}), feed_query=urlencode({"lang": lang}), date=None)
    return HTMLResponse(html)
