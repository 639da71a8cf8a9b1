"""The feedback survey residents answer after an activity (the Espoo model's comparable
template): satisfaction 1–5, did it improve your wellbeing, a free comment, language and an
optional age group. Reached by a short link or a QR code; one answer per browser per event,
rate-limited per address, no personal data kept (addresses only as keyed hashes)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from typing import Any, Literal
from uuid import UUID, uuid4

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, select_autoescape

from services.metrics import domain, store
from shared.errors import NotFound, TooManyRequests
from shared.service import Pool

router = APIRouter(tags=["feedback"])
COOKIE = "kohtaamo_feedback"
#: Answers one address may send in an hour (a school class on one network stays well below).
HOURLY_LIMIT = int(os.environ.get("KOHTAAMO_FEEDBACK_HOURLY_LIMIT", "60"))
_KEY = os.environ.get("KOHTAAMO_FEEDBACK_KEY", "kohtaamo-development-feedback-key").encode()
Lang = Literal["fi", "sv", "en"]


_TEXT: dict[str, dict[str, Any]] = {
    "fi": {"title": "Anna palautetta", "satisfaction": "Kuinka tyytyväinen olit toimintaan?",
           "scale": ["1 – en lainkaan", "2", "3", "4", "5 – erittäin"],
           "wellbeing": "Lisäsikö toiminta hyvinvointiasi?",
           "answers": {"yes": "Kyllä", "no": "Ei", "unsure": "En osaa sanoa"},
           "comment": "Vapaa palaute (valinnainen)", "age": "Ikäryhmä (valinnainen)",
           "send": "Lähetä", "thanks": "Kiitos palautteestasi!",
           "again": "Olet jo vastannut tähän – kiitos!"},
    "sv": {"title": "Ge respons", "satisfaction": "Hur nöjd var du med verksamheten?",
           "scale": ["1 – inte alls", "2", "3", "4", "5 – mycket"],
           "wellbeing": "Ökade verksamheten ditt välbefinnande?",
           "answers": {"yes": "Ja", "no": "Nej", "unsure": "Vet inte"},
           "comment": "Fri respons (frivillig)", "age": "Åldersgrupp (frivillig)",
           "send": "Skicka", "thanks": "Tack för din respons!",
           "again": "Du har redan svarat – tack!"},
    "en": {"title": "Give feedback", "satisfaction": "How satisfied were you with the activity?",
           "scale": ["1 – not at all", "2", "3", "4", "5 – very"],
           "wellbeing": "Did the activity improve your wellbeing?",
           "answers": {"yes": "Yes", "no": "No", "unsure": "Not sure"},
           "comment": "Free comment (optional)", "age": "Age group (optional)",
           "send": "Send", "thanks": "Thank you for your feedback!",
           "again": "You have already answered – thank you!"},
}
_AGE_GROUPS = ("under_18", "18_29", "30_64", "65_plus")
_FORM = Environment(autoescape=select_autoescape(default=True)).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ t.title }}</title>
<style>body{font:19px/1.5 system-ui,sans-serif;max-width:34rem;margin:1rem auto;padding:0 1rem}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:700;margin-bottom:.3rem}
label{display:block;padding:.35rem 0}textarea,select{font:inherit;width:100%}
button{font:inherit;padding:.6rem 1.4rem}</style></head><body><main>
<h1>{{ t.title }}</h1>
{% if message %}<p role="status"><strong>{{ message }}</strong></p>{% else %}
<form method="post" action="/feedback/{{ event_id }}?lang={{ lang }}">
<fieldset><legend>{{ t.satisfaction }}</legend>
{% for label in t.scale %}<label><input type="radio" name="satisfaction" value="{{ loop.index }}"
 required> {{ label }}</label>{% endfor %}</fieldset>
<fieldset><legend>{{ t.wellbeing }}</legend>
{% for code, label in t.answers.items() %}<label><input type="radio" name="wellbeing"
 value="{{ code }}" required> {{ label }}</label>{% endfor %}</fieldset>
<label>{{ t.comment }}<textarea name="comment" rows="3" maxlength="2000"></textarea></label>
<label>{{ t.age }}<select name="age_group"><option value=""></option>
{% for g in ages %}<option value="{{ g }}">{{ g.replace("_plus", "+").replace("_", "–")
 .replace("under–18", "< 18") }}</option>{% endfor %}</select></label>
<button>{{ t.send }}</button></form>{% endif %}
<p>{% for code in ["fi", "sv", "en"] %}<a href="?lang={{ code }}" hreflang="{{ code }}">{{ code }}
</a> {% endfor %}</p></main></body></html>""")


def short_code(event_id: UUID) -> str:
    """Ten hex digits of the event id: short enough for a poster, long enough to be unique."""
    return event_id.hex[:10]


def _sender(request: Request) -> str:
    address = request.client.host if request.client else "unknown"
    return hmac.new(_KEY, address.encode(), hashlib.sha256).hexdigest()[:32]


async def _fact(pool: Any, event_id: UUID) -> Any:
    async with pool.acquire() as conn:
        fact = await store.get_fact(conn, event_id)
    if fact is None or fact["status"] == "cancelled":
        raise NotFound("no such activity to give feedback on", event_id=str(event_id))
    return fact


def _page(event_id: UUID, lang: str, message: str | None = None) -> str:
    return _FORM.render(lang=lang, t=_TEXT[lang], event_id=event_id, ages=_AGE_GROUPS,
                        message=message)


@router.get("/f/{code}", include_in_schema=False)
async def short_link(code: str, pool: Pool) -> Response:
    if not (len(code) == 10 and all(c in "0123456789abcdef" for c in code)):
        raise NotFound("no such feedback link")
    async with pool.acquire() as conn:
        event_id = await conn.fetchval(
            "SELECT activity_event_id FROM activity_event_facts"
            " WHERE replace(activity_event_id::text, '-', '') LIKE $1 || '%' LIMIT 2", code)
    if event_id is None:
        raise NotFound("no such feedback link")
    return RedirectResponse(f"/feedback/{event_id}", status_code=302)


@router.get("/feedback/{event_id}", response_class=HTMLResponse)
async def feedback_form(event_id: UUID, pool: Pool, lang: Lang = "fi") -> HTMLResponse:
    await _fact(pool, event_id)
    return HTMLResponse(_page(event_id, lang))


@router.get("/feedback/{event_id}/qr.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
async def feedback_qr(event_id: UUID, request: Request, pool: Pool) -> Response:
    """A QR code of the short link, for notice boards and posters."""
    await _fact(pool, event_id)
    url = f"{str(request.base_url).rstrip('/')}/f/{short_code(event_id)}"
    out = segno.make(url, error="m").svg_inline(scale=8, title=url)
    return Response(out, media_type="image/svg+xml")


@router.post("/feedback/{event_id}", response_class=HTMLResponse)
async def give_feedback(
    event_id: UUID, request: Request, pool: Pool, lang: Lang = "fi",
    satisfaction: int = Form(ge=1, le=5), wellbeing: Literal["yes", "no", "unsure"] = Form(),
    comment: str = Form("", max_length=2000),
    age_group: Literal["", "under_18", "18_29", "30_64", "65_plus"] = Form(""),
) -> Response:
    fact = await _fact(pool, event_id)
    browser_token = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
    browser = hashlib.sha256(browser_token.encode()).hexdigest()[:32]
    sender = _sender(request)
    t = _TEXT[lang]
    async with pool.acquire() as conn, conn.transaction():
        recent = await conn.fetchval(
            "SELECT count(*) FROM feedback WHERE sender = $1"
            " AND created_at > now() - interval '1 hour'", sender)
        if recent >= HOURLY_LIMIT:
            raise TooManyRequests("too many answers from this address; try again later")
        inserted = await conn.fetchval(
            """INSERT INTO feedback (id, activity_event_id, satisfaction, wellbeing, comment,
                                     language, age_group, browser, sender)
               VALUES ($1, $2, $3, $4, nullif($5, ''), $6, nullif($7, ''), $8, $9)
               ON CONFLICT (activity_event_id, browser) DO NOTHING RETURNING true""",
            uuid4(), event_id, satisfaction, wellbeing, comment, lang, age_group, browser,
            sender)
        if inserted:
            cell = domain.cell_of(store.as_fact(fact, None))
            await conn.execute(
                f"""INSERT INTO area_month_satisfaction AS s
                        (area, month, kind, venue, answers, score_{satisfaction}, wellbeing_yes)
                    VALUES ($1, $2, $3, $4, 1, 1, $5)
                    ON CONFLICT (area, month, kind, venue) DO UPDATE
                      SET answers = s.answers + 1,
                          score_{satisfaction} = s.score_{satisfaction} + 1,
                          wellbeing_yes = s.wellbeing_yes + EXCLUDED.wellbeing_yes""",
                cell.area, cell.month, cell.kind, cell.venue, int(wellbeing == "yes"))
    if not inserted:
        response = HTMLResponse(_page(event_id, lang, t["again"]), status_code=409)
    else:
        response = HTMLResponse(_page(event_id, lang, t["thanks"]), status_code=201)
    response.set_cookie(COOKIE, browser_token, max_age=365 * 86400, httponly=True,
                        samesite="lax")
    return response

