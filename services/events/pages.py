"""Public pages of the activity calendar, server-rendered and small, fi/sv/en."""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, select_autoescape

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
