"""The feedback survey residents answer after an activity (the Espoo model's comparable
template): satisfaction 1–5, did it improve your wellbeing, a free comment, language and an
optional age group. Reached by a short link or a QR code; one answer per browser per event,
rate-limited per address, no personal data kept (addresses only as keyed hashes)."""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, select_autoescape
from pydantic import StringConstraints

from services.metrics import usecases
from services.metrics.domain import (
    AGE_GROUPS,
    LANGUAGES,
    MAX_COMMENT,
    WELLBEING,
    FeedbackAnswer,
    FeedbackPolicy,
    short_code,
)
from services.metrics.schemas import page_responses
from shared import l10n
from shared.auth import PUBLIC
from shared.bounds import Str, without_hidden
from shared.errors import Conflict, Invalid, TooManyRequests
from shared.forms import WHOLE_FIELD
from shared.http import reader_language
from shared.pages import (
    LangParam,
    PageLang,
    check_origin,
    client_address,
    events_url,
    page_route,
    public_base,
    refused_page,
)
from shared.service import CurrentClock, Pool

_CALENDAR = {"fi": "Asukastoiminnan kalenteri", "sv": "Kalender för invånarverksamhet",
             "en": "Resident activity calendar"}


def _way_on(lang: str) -> tuple[str, str]:
    """Where a resident goes from a survey that cannot be answered: the public calendar, on
    the events service (this service has none of its own)."""
    calendar = os.environ.get("KOHTAAMO_CALENDAR_URL") or f"{events_url()}/calendar"
    return f"{calendar}?lang={lang}", _CALENDAR[lang]


router = APIRouter(tags=["feedback"], route_class=page_route(_way_on))
COOKIE = "kohtaamo_feedback"
POLICY = FeedbackPolicy(
    key=os.environ.get("KOHTAAMO_FEEDBACK_KEY", "kohtaamo-development-feedback-key").encode(),
    hourly_limit=int(os.environ.get("KOHTAAMO_FEEDBACK_HOURLY_LIMIT", "600")),
    window_days=int(os.environ.get("KOHTAAMO_FEEDBACK_WINDOW_DAYS", "14")))



_TEXT: dict[str, dict[str, Any]] = {
    "fi": {"title": "Anna palautetta", "satisfaction": "Kuinka tyytyväinen olit toimintaan?",
           "scale": ["1 – en lainkaan", "2", "3", "4", "5 – erittäin"],
           "wellbeing": "Lisäsikö toiminta hyvinvointiasi?",
           "answers": {"yes": "Kyllä", "no": "Ei", "unsure": "En osaa sanoa"},
           "comment": "Vapaa palaute (valinnainen)", "age": "Ikäryhmä (valinnainen)",
           "send": "Lähetä", "thanks": "Kiitos palautteestasi!",
           "again": "Olet jo vastannut tähän – kiitos!",
           "early": "Palautetta voi antaa, kun toiminta on päättynyt ({when}).",
           "yours": "Kirjoittamasi palaute (sitä ei tallennettu):",
           "kept": "Vastaustasi ei ole vielä tallennettu. Se on tallessa alla olevassa "
                   "lomakkeessa: voit lähettää sen silloin.",
           "closed": "Tämän toiminnan palauteaika on päättynyt.",
           "fix": "Vastaustasi ei tallennettu: tarkista merkityt kohdat ja lähetä uudelleen.",
           "errors": {"satisfaction": "Valitse tyytyväisyytesi asteikolta 1–5.",
                      "wellbeing": "Valitse jokin vastausvaihtoehdoista.",
                      "comment": "Palautteessa voi olla enintään {max} merkkiä tavallista "
                                 "tekstiä.",
                      "comment_cut": "Palautteessa voi olla enintään {max} merkkiä "
                                     "tavallista tekstiä. Lähettämäsi palaute oli paljon "
                                     "pidempi: lomakkeessa on sen {max} ensimmäistä merkkiä.",
                      "comment_chars": "Palautteessa oli merkkejä, joita ei voi näyttää "
                                       "(ohjausmerkkejä). Poistimme ne: tarkista palaute ja "
                                       "lähetä se uudelleen.",
                      "age_group": "Valitse ikäryhmä listasta tai jätä se tyhjäksi."},
           "about": "Toiminta", "busy": "Tästä verkosta on tullut viime tunnin aikana hyvin paljon "
                   "vastauksia. Voit vastata {when} – vastauksesi on meille tärkeä."},
    "sv": {"title": "Ge respons", "satisfaction": "Hur nöjd var du med verksamheten?",
           "scale": ["1 – inte alls", "2", "3", "4", "5 – mycket"],
           "wellbeing": "Ökade verksamheten ditt välbefinnande?",
           "answers": {"yes": "Ja", "no": "Nej", "unsure": "Vet inte"},
           "comment": "Fri respons (frivillig)", "age": "Åldersgrupp (frivillig)",
           "send": "Skicka", "thanks": "Tack för din respons!",
           "again": "Du har redan svarat – tack!",
           "early": "Respons kan ges när verksamheten har avslutats ({when}).",
           "yours": "Din respons (den sparades inte):",
           "kept": "Ditt svar har inte sparats ännu. Det finns kvar i formuläret nedan: du "
                   "kan skicka det då.",
           "closed": "Tiden för respons om den här verksamheten har gått ut.",
           "fix": "Ditt svar sparades inte: kontrollera de markerade punkterna och skicka "
                  "igen.",
           "errors": {"satisfaction": "Välj hur nöjd du var på skalan 1–5.",
                      "wellbeing": "Välj ett av svarsalternativen.",
                      "comment": "Responsen kan vara högst {max} tecken vanlig text.",
                      "comment_cut": "Responsen kan vara högst {max} tecken vanlig text. "
                                     "Din respons var mycket längre: formuläret har dess "
                                     "{max} första tecken.",
                      "comment_chars": "Responsen hade tecken som inte kan visas "
                                       "(styrtecken). Vi tog bort dem: kontrollera responsen "
                                       "och skicka den igen.",
                      "age_group": "Välj en åldersgrupp i listan eller lämna den tom."},
           "about": "Verksamhet", "busy": "Mycket många svar har kommit från det här nätet "
                   "den senaste timmen. Du kan svara {when} – ditt svar är viktigt för oss."},
    "en": {"title": "Give feedback", "satisfaction": "How satisfied were you with the activity?",
           "scale": ["1 – not at all", "2", "3", "4", "5 – very"],
           "wellbeing": "Did the activity improve your wellbeing?",
           "answers": {"yes": "Yes", "no": "No", "unsure": "Not sure"},
           "comment": "Free comment (optional)", "age": "Age group (optional)",
           "send": "Send", "thanks": "Thank you for your feedback!",
           "again": "You have already answered – thank you!",
           "early": "Feedback can be given once the activity has ended ({when}).",
           "yours": "Your feedback (it was not saved):",
           "kept": "Your answer has not been saved yet. It is kept in the form below: you "
                   "can send it then.",
           "closed": "The time for feedback on this activity has closed.",
           "fix": "Your answer was not saved: check the marked points and send it again.",
           "errors": {"satisfaction": "Choose how satisfied you were on the scale 1–5.",
                      "wellbeing": "Choose one of the answers.",
                      "comment": "The comment can be at most {max} characters of plain "
                                 "text.",
                      "comment_cut": "The comment can be at most {max} characters of plain "
                                     "text. Yours was far longer: the form keeps its first "
                                     "{max} characters.",
                      "comment_chars": "The comment had characters that cannot be shown "
                                       "(control characters). We removed them: check the "
                                       "comment and send it again.",
                      "age_group": "Choose an age group from the list, or leave it empty."},
           "about": "Activity", "busy": "Very many answers have come from this network in "
                   "the last hour. You can answer on {when} – your answer matters to us."},
}
_FORM = Environment(autoescape=select_autoescape(default=True)).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ t.title }}</title>
<style>body{font:1.1875rem/1.5 system-ui,sans-serif;max-width:34rem;margin:1rem auto;
padding:0 1rem;overflow-wrap:anywhere;hyphens:auto}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:700;margin-bottom:.3rem}
label{display:block;padding:.35rem 0}textarea,select{font:inherit;width:100%}
button{font:inherit;padding:.6rem 1.4rem}.error{color:#b00020;font-weight:700;margin:.2rem 0}
</style></head><body><main>
<h1>{{ t.title }}</h1>
{% if activity %}<p>{{ t.about }}: <strong>{{ activity }}</strong>
{%- if when %}, {{ when }}{% endif %}</p>{% endif %}
{% if message %}<p role="status" id="status" tabindex="-1"
{%- if errors or kept %} autofocus{% endif %}><strong>{{ message }}</strong></p>{% endif %}
{% if kept %}<p>{{ t.kept }}</p>
{% elif given.comment and not errors %}<p>{{ t.yours }}</p>
<blockquote class="yours">{{ given.comment }}</blockquote>{% endif %}
{% if form %}
{% macro error(name) %}{% if errors[name] %}<p class="error" id="{{ name }}-error">
{{- errors[name] }}</p>{% endif %}{% endmacro %}
{% macro described(name) %}{% if errors[name] %} aria-invalid="true"
 aria-describedby="{{ name }}-error"{% endif %}{% endmacro %}
<form method="post" action="/feedback/{{ event_id }}?lang={{ lang }}">
<fieldset{{ described("satisfaction") }}><legend>{{ t.satisfaction }}</legend>
{{ error("satisfaction") }}
{% for label in t.scale %}<label><input type="radio" name="satisfaction" value="{{ loop.index }}"
 required{% if given.satisfaction == loop.index %} checked{% endif %}> {{ label }}</label>
{%- endfor %}</fieldset>
<fieldset{{ described("wellbeing") }}><legend>{{ t.wellbeing }}</legend>
{{ error("wellbeing") }}
{% for code, label in t.answers.items() %}<label><input type="radio" name="wellbeing"
 value="{{ code }}" required{% if given.wellbeing == code %} checked{% endif %}> {{ label }}</label>
{%- endfor %}</fieldset>
<label>{{ t.comment }}<textarea name="comment" rows="3" maxlength="{{ max_comment }}"
{{- described("comment") }}>
{{ given.comment }}</textarea></label>{{ error("comment") }}
<label>{{ t.age }}<select name="age_group"{{ described("age_group") }}>
<option value=""></option>
{% for g in ages %}<option value="{{ g }}"{% if given.age_group == g %} selected{% endif %}>
{{- g.replace("_plus", "+").replace("_", "–").replace("under–18", "< 18") }}</option>
{%- endfor %}</select></label>{{ error("age_group") }}
<button>{{ t.send }}</button></form>{% endif %}
<p>{% for code in languages %}<a href="?lang={{ code }}" hreflang="{{ code }}">{{ code }}
</a> {% endfor %}</p></main></body></html>""")


@dataclass(frozen=True)
class Given:
    """What a resident sent: shown back in a form (`_page(kept=...)`) or as their words, so
    nothing they wrote silently disappears."""

    satisfaction: int | None = None
    wellbeing: str = ""
    comment: str = ""
    age_group: str = ""


def _page(event_id: UUID, lang: str, survey: usecases.Survey | None = None,
          message: str | None = None, given: Given | None = None, kept: bool = False,
          errors: dict[str, str] | None = None) -> str:
    """The survey's form (no `message`), or what became of an answer (`message`). `given`:
    what the resident sent that was not taken; `kept`: offer it again in the form, filled
    in, to send later (before the end, or when the ceiling lets them), else show their
    words back. Without a `message` the form is offered only while answers are taken.
    `errors`: the fields refused, each said next to its field in the form given back."""
    activity = when = None
    if survey is not None:
        activity = l10n.text_in(survey.name, lang).strip() or None
        when = l10n.time_span(survey.fact.starts_at, survey.fact.ends_at, lang,
                              all_day=survey.fact.all_day)
    form = (kept or bool(errors)) if message else survey is None or survey.window is None
    if message is None and survey is not None and survey.window is not None:
        message = _not_now(survey, lang, survey.window)
    return _FORM.render(lang=lang, languages=LANGUAGES, t=_TEXT[lang], event_id=event_id,
                        ages=AGE_GROUPS, max_comment=MAX_COMMENT, message=message,
                        activity=activity, when=when, given=given or Given(), form=form,
                        kept=kept and given is not None, errors=errors or {})


def _not_now(survey: usecases.Survey, lang: str, window: str) -> str:
    """Why the survey takes no answers now: not ended yet (and when it ends), or closed."""
    t = _TEXT[lang]
    if window == "early":
        return str(t["early"]).format(when=l10n.day_and_time(survey.fact.ends_at, lang))
    return str(t["closed"])


@router.get("/f/{feedback_code}", include_in_schema=False)
async def short_link(feedback_code: Annotated[Str, StringConstraints(max_length=40)],
                     pool: Pool, clock: CurrentClock, lang: LangParam | None = None
                     ) -> Response:
    """To the survey, in the language the link named (else the form reads the reader's)."""
    event_id = await usecases.resolve_short_code(usecases.unit_of_work(pool), clock, PUBLIC,
                                                 feedback_code)
    return RedirectResponse(f"/feedback/{event_id}" + (f"?lang={lang}" if lang else ""),
                            status_code=302)


@router.get("/feedback/{event_id}", response_class=HTMLResponse,
            responses=page_responses(404))
async def feedback_form(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                        lang: PageLang) -> HTMLResponse:
    """The survey in the reader's language: `?lang=`, the language cookie, Accept-Language."""
    survey = await usecases.feedback_survey(usecases.unit_of_work(pool), clock, PUBLIC,
                                            event_id, POLICY.window_days)
    # Before the end (a poster read at the door) or after the window: no form to fill in,
    # but when it can be.
    page = HTMLResponse(_page(event_id, lang, survey))
    if survey.window is None:
        # The browser is known before its first answer: a double click on "Send" sends
        # two answers at once, and without the cookie each was a new browser's, counted.
        _keep_browser(page, request, _browser_token(request))
        page.headers["Cache-Control"] = "private, no-store"  # the cookie is this browser's
    return page


@router.get("/feedback/{event_id}/qr.svg", response_class=Response,
            responses=page_responses(404, ok_content={"image/svg+xml": {}}))
async def feedback_qr(event_id: UUID, request: Request, pool: Pool,
                      clock: CurrentClock) -> Response:
    """A QR code of the short link, for notice boards and posters."""
    await usecases.feedback_target(usecases.unit_of_work(pool), clock, PUBLIC, event_id)
    url = f"{public_base(request)}f/{short_code(event_id)}"  # never from the Host header
    out = io.BytesIO()
    # A whole SVG document (XML declaration, the SVG namespace), so a browser shows it as an
    # image on its own and inside <img>, not as an XML tree.
    segno.make(url, error="m").save(out, kind="svg", scale=8, title=url, xmldecl=True,
                                    svgns=True, nl=True)
    return Response(out.getvalue(), media_type="image/svg+xml")


def _browser_token(request: Request) -> str:
    """The browser's random token from its cookie, or a new one (one read as no token: too
    long, not ASCII)."""
    token = request.cookies.get(COOKIE) or ""
    return token if 0 < len(token) <= 64 and token.isascii() else secrets.token_urlsafe(24)


def _keep_browser(response: Response, request: Request, token: str) -> Response:
    """`response` setting the browser's token (`_browser_token`), for a year: one answer per
    browser per activity."""
    response.set_cookie(COOKIE, token, max_age=365 * 86400, httponly=True, samesite="lax",
                        path="/feedback",
                        secure=request.app.state.runtime.settings.secure_cookies)
    return response


#: How long a comment is given back whole in the form refusing it (as much as Starlette read
#: of a form's field before, 1 MB); a longer one comes back as its first MAX_COMMENT
#: characters, what the textarea holds, so the refusal's page stays a page.
GIVEN_BACK_WHOLE = 1024 * 1024


def _shown(text: str) -> str:
    """A refused text as it can be given back in the form: NUL and what UTF-8 cannot carry
    (a lone surrogate) would fail the page itself."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _read_form(satisfaction: str, wellbeing: str, comment: str,
               age_group: str) -> tuple[Given, dict[str, str]]:
    """What the resident sent, as far as it reads, and which fields are off: each with the
    key of its words in `_TEXT[lang]["errors"]`."""
    # Read as stripped, as it is judged: "4\x1c" (a separator str.strip takes) is a 4.
    given = satisfaction.strip()
    score = int(given) if given.isdecimal() and len(given) == 1 else None
    # A comment past what the page gives back whole (only by tampering: the textarea's
    # maxlength) comes back as much as the textarea holds, and the page says it was cut.
    cut = len(comment) > GIVEN_BACK_WHOLE
    shown = without_hidden(_shown(comment[:MAX_COMMENT] if cut else comment))
    # A control character pasted into a comment (invisible, or turning the analysts' page
    # and CSV backwards) is refused as such, with the comment given back without it.
    comment_off = ("comment_cut" if cut
                   else "comment" if len(comment) > MAX_COMMENT or _shown(comment) != comment
                   else "comment_chars" if shown != comment else None)
    off = {"satisfaction": "satisfaction" if score is None or not 1 <= score <= 5 else None,
           "wellbeing": "wellbeing" if wellbeing not in WELLBEING else None,
           "comment": comment_off,
           "age_group": "age_group" if age_group and age_group not in AGE_GROUPS else None}
    return Given(satisfaction=score if not off["satisfaction"] else None,
                 wellbeing=wellbeing if not off["wellbeing"] else "",
                 comment=shown, age_group=age_group if not off["age_group"] else ""
                 ), {field: key for field, key in off.items() if key}


def _refused_form(event_id: UUID, lang: str, given: Given, refused: dict[str, str]
                  ) -> Response:
    """422: the form given back filled in, each refused field (`refused`: the field and the
    key of its words) said next to it in the resident's language (never a bare page naming
    a field: nothing they wrote is lost)."""
    t: dict[str, Any] = _TEXT[lang]
    errors = {f: str(t["errors"][key]).format(max=l10n.number(MAX_COMMENT, lang))
              for f, key in refused.items() if key in t["errors"]}
    return HTMLResponse(_page(event_id, lang, message=t["fix"], given=given, errors=errors),
                        status_code=422)


@router.post("/feedback/{event_id}", response_class=HTMLResponse, status_code=201,
             responses=page_responses(403, 404, 409, 429, ok=201),
             # Read whole (`WHOLE_FIELD`): a too long comment is the survey's own
             # refusal by its input with the rest of the answer kept.
             form_limits={"max_part_size": WHOLE_FIELD})
async def give_feedback(
    event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
    satisfaction: Annotated[str, Form(description="1–5")] = "",
    wellbeing: Annotated[str, Form(description="yes, no or unsure")] = "",
    comment: Annotated[str, Form(description=f"at most {MAX_COMMENT} characters")] = "",
    age_group: Annotated[str, Form(description="under_18, 18_29, 30_64, 65_plus or empty")]
    = "",
) -> Response:
    """One resident's answer. The fields are read here rather than by the schema, so an
    answer refused for one field comes back as the form, filled in, with what to fix next
    to that field (422), as an answer sent too early (409) or too often (429) does."""
    lang = reader_language(request)  # the form names it; else the reader's
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"/feedback/{event_id}?lang={lang}")
    browser_token = _browser_token(request)
    # Every answer's page keeps the browser's token: one giving the form back (a field to
    # fix, too early, too many) is sent again, perhaps by a double click.
    return _keep_browser(await _take_answer(
        event_id, request, pool, clock, lang, browser_token,
        *_read_form(satisfaction, wellbeing, comment, age_group)), request, browser_token)


async def _take_answer(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                       lang: str, browser_token: str, given: Given, off: dict[str, str]
                       ) -> Response:
    """`give_feedback`'s answer, read (`_read_form`), taken or refused."""
    t: dict[str, Any] = _TEXT[lang]
    if off:
        return _refused_form(event_id, lang, given, off)
    assert given.satisfaction is not None
    try:
        accepted = await usecases.give_feedback(
            usecases.unit_of_work(pool), clock, PUBLIC, FeedbackAnswer(
                event_id=event_id, satisfaction=given.satisfaction, wellbeing=given.wellbeing,
                comment=given.comment, language=lang, age_group=given.age_group,
                address=client_address(request) or "unknown",
                browser_token=browser_token), POLICY)
    except Invalid as exc:  # a rule of the answer the form's reading let through
        field = exc.field or ""
        if field not in t["errors"]:
            raise
        chars = field == "comment" and exc.details.get("code") == "text_chars"
        return _refused_form(event_id, lang, given, {field: f"{field}_chars" if chars
                                                     else field})
    except Conflict as exc:  # outside the feedback window: said on the page, in its language
        window = exc.details.get("window")
        if window not in ("early", "closed"):
            raise
        survey = await usecases.feedback_survey(usecases.unit_of_work(pool), clock, PUBLIC,
                                                event_id, POLICY.window_days)
        # Sent before the end (a form loaded earlier, a page kept open): nothing is lost,
        # the answer stays in the form, filled in, to send once the activity has ended.
        # After the window: the resident's words are shown back (no form to send them in).
        return HTMLResponse(_page(event_id, lang, survey, message=_not_now(survey, lang, window),
                                  given=given, kept=window == "early"), status_code=409)
    except TooManyRequests as exc:
        # Said kindly, in the reader's language, never as a bare 429; the answer stays in
        # the form to send again then.
        when = l10n.day_and_time(clock.now() + timedelta(seconds=exc.retry_after), lang)
        return HTMLResponse(_page(event_id, lang, message=t["busy"].format(when=when),
                                  given=given, kept=True),
                            status_code=429,
                            headers={"Retry-After": str(exc.retry_after)})
    if accepted:
        return HTMLResponse(_page(event_id, lang, message=t["thanks"]), status_code=201)
    # This browser answered already: its first answer counts, these words are shown.
    return HTMLResponse(_page(event_id, lang, message=t["again"], given=given), status_code=409)
