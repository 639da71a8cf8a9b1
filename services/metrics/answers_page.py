"""The feedback survey's answers as a page for the city's analysts (fi/sv/en): what residents
said about each activity, with its area and month, never who answered; the same filters,
bounds and use case as `GET /feedback/answers`, and its CSV to download.

Signed in by form at `/analysts/login` (the service's cookie session, only under
`/analysts`, as every staff page's); a script may send its bearer token instead. A reader
who is not signed in gets a 401 page, one signed in without the analyst role a 403 page, in
their language with the way to sign in; a filter the page does not take, a 422 page naming
it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import get_decimal_symbol
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from pydantic import BeforeValidator

from services.metrics import domain, usecases
from services.metrics.domain import (
    FEEDBACK_PAGE,
    LANGUAGES,
    FeedbackRow,
    month_range,
)
from services.metrics.report import FILTER_LABELS, area_words, filter_refused_page
from services.metrics.schemas import (
    FEEDBACK_CSV_NAME,
    AreaCode,
    FeedbackAnswerOut,
    FormEndDay,
    feedback_csv,
)
from shared import l10n
from shared.areas import AREAS, area_name
from shared.bounds import FormDay, blank_is_none
from shared.csv_cells import safe_row
from shared.errors import Forbidden, Invalid, Unauthenticated
from shared.http import language_tag, reader_language, refusal_headers
from shared.pages import (
    ENDONYMS,
    SKIP_CSS,
    SKIP_TO_MAIN,
    PageLang,
    PageSession,
    error_page,
    in_language,
    page_route,
)
from shared.service import CurrentClock, Pool

PATH = "/analysts/answers"
#: Answers a page shows unless `limit` says otherwise (at most `FEEDBACK_PAGE`, as the API).
PAGE_ROWS = 100
#: The page sizes offered; the API's largest page among them.
PAGE_SIZES = (50, PAGE_ROWS, 500, FEEDBACK_PAGE)
#: Where the answers of an activity without an area are filed (`store.feedback_answers`).
UNKNOWN_AREA = "unknown"

_T: dict[str, dict[str, Any]] = {
    "fi": {"title": "Palautekyselyn vastaukset", "sign_in": "Kirjaudu sisään",
           "sign_out": "Kirjaudu ulos", "languages": "Kieli",
           "intro": "Asukkaiden vastaukset toiminnan jälkeiseen palautekyselyyn. Vastaajasta "
                    "ei tallenneta mitään: ei osoitetta eikä selainta. Vapaa palaute voi "
                    "kuitenkin mainita ihmisiä, joten sivu on vain analyytikoille.",
           "filters": "Rajaa vastauksia", "area": "Alue", "all_areas": "Kaikki alueet",
           "from": "Alkaen", "to": FILTER_LABELS["to"]["fi"],
           "months": "Koko kuukaudet: päivä valitsee kuukautensa, ja loppupäivän kuukausi ei "
                     "ole mukana.",
           "per_page": "Vastauksia sivulla", "show": "Näytä",
           "period": "Kuukaudet", "all_months": "kaikki",
           "shown": "Vastaukset {first}–{last}, yhteensä {total}",
           "none": "Näillä rajauksilla ei ole vastauksia.",
           "past_end": "Tällä sivulla ei ole enää vastauksia.", "first_page": "Ensimmäiselle "
                                                                                "sivulle",
           "csv": "Lataa nämä vastaukset (CSV)", "pages": "Sivut",
           "spreadsheet": "Lataa taulukkolaskentaan (Excel)", "activity_id": "Toiminnan tunnus",
           "previous": "Edelliset vastaukset", "next": "Seuraavat vastaukset",
           "activity": "Toiminta", "month": "Kuukausi", "satisfaction": "Tyytyväisyys (1–5)",
           "wellbeing": "Lisäsi hyvinvointia", "age_group": "Ikäryhmä",
           "language": "Vastauksen kieli", "comment": "Vapaa palaute",
           "answered_on": "Vastattu", "not_given": "ei kerrottu",
           "answers": {"yes": "kyllä", "no": "ei", "unsure": "ei osaa sanoa"},
           "ages": {"under_18": "alle 18", "65_plus": "65 tai yli"},
           "unauthenticated": "Palautekyselyn vastaukset ovat kaupungin analyytikoille. "
                              "Kirjaudu sisään analyytikon tunnuksella.",
           "forbidden": "Palautekyselyn vastaukset ovat vain kaupungin analyytikoille. "
                        "Kirjaudu sisään analyytikon tunnuksella."},
    "sv": {"title": "Svar på responsenkäten", "sign_in": "Logga in", "sign_out": "Logga ut",
           "languages": "Språk",
           "intro": "Invånarnas svar på responsenkäten efter verksamheten. Ingenting om den "
                    "som svarade sparas: ingen adress och ingen webbläsare. Den fria responsen "
                    "kan ändå nämna personer, så sidan är bara för analytiker.",
           "filters": "Avgränsa svaren", "area": "Område", "all_areas": "Alla områden",
           "from": "Från och med", "to": FILTER_LABELS["to"]["sv"],
           "months": "Hela månader: dagen väljer sin månad, och slutdagens månad ingår inte.",
           "per_page": "Svar per sida", "show": "Visa",
           "period": "Månader", "all_months": "alla",
           "shown": "Svar {first}–{last} av {total}",
           "none": "Inga svar med dessa avgränsningar.",
           "past_end": "Det finns inga fler svar på den här sidan.",
           "first_page": "Till första sidan",
           "csv": "Ladda ner dessa svar (CSV)", "pages": "Sidor",
           "spreadsheet": "Ladda ner för kalkylprogram (Excel)", "activity_id": "Verksamhetens id",
           "previous": "Föregående svar", "next": "Följande svar",
           "activity": "Verksamhet", "month": "Månad", "satisfaction": "Nöjdhet (1–5)",
           "wellbeing": "Ökade välbefinnandet", "age_group": "Åldersgrupp",
           "language": "Svarets språk", "comment": "Fri respons", "answered_on": "Svarat",
           "not_given": "inte angivet",
           "answers": {"yes": "ja", "no": "nej", "unsure": "vet inte"},
           "ages": {"under_18": "under 18", "65_plus": "65 eller äldre"},
           "unauthenticated": "Svaren på responsenkäten är för stadens analytiker. Logga in "
                              "med ett analytikerkonto.",
           "forbidden": "Svaren på responsenkäten är bara för stadens analytiker. Logga in "
                        "med ett analytikerkonto."},
    "en": {"title": "Feedback survey answers", "sign_in": "Sign in", "sign_out": "Sign out",
           "languages": "Language",
           "intro": "Residents' answers to the feedback survey after an activity. Nothing "
                    "about who answered is kept: no address, no browser. A free comment may "
                    "still name people, so this page is for analysts only.",
           "filters": "Filter the answers", "area": "Area", "all_areas": "All areas",
           "from": "From", "to": FILTER_LABELS["to"]["en"],
           "months": "Whole months: a day chooses its month, and the end day's month is not "
                     "included.",
           "per_page": "Answers per page", "show": "Show",
           "period": "Months", "all_months": "all",
           "shown": "Answers {first}–{last} of {total}",
           "none": "No answers match these filters.",
           "past_end": "There are no more answers on this page.",
           "first_page": "To the first page",
           "csv": "Download these answers (CSV)", "pages": "Pages",
           "spreadsheet": "Download for spreadsheets (Excel)", "activity_id": "Activity id",
           "previous": "Previous answers", "next": "Next answers",
           "activity": "Activity", "month": "Month", "satisfaction": "Satisfaction (1–5)",
           "wellbeing": "Improved wellbeing", "age_group": "Age group",
           "language": "Language of the answer", "comment": "Free comment",
           "answered_on": "Answered", "not_given": "not given",
           "answers": {"yes": "yes", "no": "no", "unsure": "not sure"},
           "ages": {"under_18": "under 18", "65_plus": "65 or over"},
           "unauthenticated": "The feedback survey's answers are for the city's analysts. "
                              "Sign in with an analyst's account.",
           "forbidden": "The feedback survey's answers are for the city's analysts only. "
                        "Sign in with an analyst's account."},
}


def _home(lang: str) -> tuple[str, str]:
    return f"{PATH}?lang={lang}", _T[lang]["title"]


# A query the route's schema refuses, or a filter the use case refuses (`to` before `from`),
# is a page in the reader's language naming the input, with a way back to the unfiltered page.
router = APIRouter(tags=["analysts' pages"], include_in_schema=False,
                   route_class=page_route(_home, labels={
                       **FILTER_LABELS,
                       "limit": {lang: str(_T[lang]["per_page"]) for lang in _T}}))

#: The page's cookie session: sign-in by form, sign-out with the CSRF token; the cookie is
#: sent to `/analysts` only (never to the JSON API, which takes bearer tokens alone).
SESSION = PageSession("metrics", "/analysts", {lang: _T[lang]["title"] for lang in LANGUAGES},
                      roles=("analyst",), home=PATH,
                      next_pattern=r"/analysts/answers(\?[A-Za-z0-9_.%&=+-]{0,500})?")
router.include_router(SESSION.router())


#: A filter left empty in the page's form (`area=&from=`) is no filter.
AreaFilter = Annotated[AreaCode | None, BeforeValidator(blank_is_none)]
DayFilter = FormDay

_PAGE = Environment(autoescape=select_autoescape(default=True)).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ t.title }}</title>
<style>body{font:100%/1.45 system-ui,sans-serif;color:#1b1b1b;margin:0;
overflow-wrap:anywhere;hyphens:auto}
header{background:#00577c;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;
align-items:center;justify-content:flex-end}header a{color:#fff}header form{margin:0}
main{max-width:80rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.3rem 0 .6rem}
a{color:#00577c}.muted{color:#595959}
form.filters{margin:.8rem 0}form.filters fieldset{display:flex;flex-wrap:wrap;
gap:.6rem 1rem;align-items:flex-end;border:1px solid #d6d6d6;border-radius:6px;
padding:.6rem 1rem;margin:0;min-width:0}form.filters legend{font-weight:600;padding:0 .3rem}
form.filters label{display:flex;flex-direction:column;gap:.2rem;min-width:0;max-width:100%}
form.filters .hint{flex-basis:100%;margin:0;font-size:.9rem}
select,input,button{font:inherit;padding:.3rem .5rem;max-width:100%;min-width:0;
box-sizing:border-box}
@media (max-width:30rem){main{padding:1rem .5rem}form.filters fieldset{padding:.5rem}}
button{border:1px solid #00577c;border-radius:4px;background:#00577c;color:#fff;cursor:pointer}
header button{background:#fff;color:#00577c}
.scroll{overflow-x:auto;max-width:100%}.scroll:focus{outline:2px solid #00577c}
table{border-collapse:collapse;font-size:.9rem;width:100%;overflow-wrap:normal}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
th{font-weight:600}td.num{text-align:right}td.nowrap{white-space:nowrap}
td.comment{min-width:16rem;max-width:40rem;white-space:pre-wrap;overflow-wrap:anywhere}
nav.paging{display:flex;gap:1rem;margin:.8rem 0}
{{ skip_css }}.skip{box-sizing:border-box;max-width:calc(100% - 1rem)}
main:focus{outline:2px solid #00577c;outline-offset:-2px}</style></head>
<body><a class="skip" href="#main">{{ skip_to_main[lang] }}</a>
<header><nav aria-label="{{ t.languages }}">{% for code, label, href in languages %}
<a href="{{ href }}" hreflang="{{ code }}" lang="{{ code }}"
{% if code == lang %} aria-current="page"{% endif %}>{{ label }}</a>{% endfor %}</nav>
<form method="post" action="/analysts/logout?lang={{ lang }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">{{ t.sign_out }}</button></form></header>
<main id="main" tabindex="-1"><h1>{{ t.title }}</h1><p>{{ t.intro }}</p>
<form class="filters" method="get" action="{{ path }}"><fieldset><legend>{{ t.filters }}</legend>
<input type="hidden" name="lang" value="{{ lang }}">
<label>{{ t.area }}<select name="area"><option value="">{{ t.all_areas }}</option>
{% for code, name in areas %}<option value="{{ code }}"{% if code == area %} selected{% endif %}>
{{ name }}</option>{% endfor %}</select></label>
<label>{{ t.from }}<input type="date" name="from" value="{{ from_ }}" min="{{ min_day }}"
 max="{{ max_day }}" aria-describedby="months-hint"></label>
<label>{{ t.to }}<input type="date" name="to" value="{{ to }}" min="{{ min_day }}"
 max="{{ max_end }}" aria-describedby="months-hint"></label>
<label>{{ t.per_page }}<select name="limit">{% for size, label in sizes %}
<option value="{{ size }}"{% if size == limit %} selected{% endif %}>{{ label }}</option>
{% endfor %}</select></label>
<button type="submit">{{ t.show }}</button>
<p class="hint muted" id="months-hint">{{ t.months }}</p></fieldset></form>
<p>{{ t.period }}: {{ period }}{% if rows %} · <a href="{{ csv_href }}">{{ t.csv }}</a>
· <a href="{{ excel_href }}">{{ t.spreadsheet }}</a>{% endif %}</p>
{% if rows %}
<div class="scroll" role="region" tabindex="0" aria-labelledby="answers-caption">
<table><caption id="answers-caption">{{ shown }}</caption>
<thead><tr><th scope="col">{{ t.activity }}</th><th scope="col">{{ t.area }}</th>
<th scope="col">{{ t.month }}</th><th scope="col">{{ t.satisfaction }}</th>
<th scope="col">{{ t.wellbeing }}</th><th scope="col">{{ t.age_group }}</th>
<th scope="col">{{ t.language }}</th><th scope="col">{{ t.comment }}</th>
<th scope="col">{{ t.answered_on }}</th></tr></thead><tbody>
{% for r in rows %}<tr>
<td{% if r.name_lang != lang %} lang="{{ r.name_lang }}"{% endif %}>{{ r.name }}</td>
<td class="nowrap">{{ r.area }}</td><td class="nowrap">{{ r.month }}</td>
<td class="num">{{ r.satisfaction }}</td><td>{{ r.wellbeing }}</td>
<td class="nowrap">{{ r.age_group }}</td><td>{{ r.language }}</td>
<td class="comment"{% if r.comment_lang %} lang="{{ r.comment_lang }}"{% endif %}>
{{- r.comment -}}</td><td class="nowrap">{{ r.answered_on }}</td></tr>
{% endfor %}</tbody></table></div>
{% elif total %}<p>{{ t.past_end }} <a href="{{ first_href }}">{{ t.first_page }}</a></p>
{% else %}<p>{{ t.none }}</p>{% endif %}
{% if previous_href or next_href %}<nav class="paging" aria-label="{{ t.pages }}">
{% if previous_href %}<a href="{{ previous_href }}" rel="prev">{{ t.previous }}</a>{% endif %}
{% if next_href %}<a href="{{ next_href }}" rel="next">{{ t.next }}</a>{% endif %}
</nav>{% endif %}</main></body></html>""")



def _month(month: date, lang: str) -> str:
    """"maaliskuu 2026", "mars 2026", "March 2026" (CLDR, the reader's locale)."""
    return format_skeleton("yMMMM", month, locale=l10n.locale(lang))


def _period(from_: date | None, to: date | None, lang: str) -> str:
    """The whole months the filters cover, as the reader's language writes a span of months
    ("maalis–toukokuu 2026", "March – May 2026"); an open end is a dash."""
    start, end = month_range(from_, to)
    last = None
    if end is not None:
        last = date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, 1)
    if start and last:
        return format_interval(start, last, "yMMMM", locale=l10n.locale(lang))
    if start:
        return f"{_month(start, lang)} –"
    if last:
        return f"– {_month(last, lang)}"
    return str(_T[lang]["all_months"])


def _age(code: str | None, lang: str) -> str:
    if not code:
        return str(_T[lang]["not_given"])
    named: dict[str, str] = _T[lang]["ages"]
    return named.get(code) or code.replace("_", "–")  # "18_29" → "18–29"


def _row(r: FeedbackRow, lang: str) -> dict[str, Any]:
    """One answer as the reader reads it; the comment stays the resident's own text (the
    template escapes it: it is never markup)."""
    names = {k: v for k, v in r.name.items() if isinstance(v, str) and v}
    name_lang = lang if lang in names else "fi" if "fi" in names else next(iter(names), lang)
    answers: dict[str, str] = _T[lang]["answers"]
    return {
        "name": names.get(name_lang, "–"), "name_lang": name_lang,
        "area": area_words(r.area, lang), "month": _month(r.month, lang),
        "satisfaction": l10n.number(r.satisfaction, lang),
        "wellbeing": answers.get(r.wellbeing, r.wellbeing),
        "age_group": _age(r.age_group, lang),
        "language": l10n.language_name(r.language, lang),
        "comment": r.comment or "",
        # The resident wrote in the survey's language: a screen reader reads it so.
        "comment_lang": r.language if r.comment and r.language != lang else None,
        # "5.12.2026", "5 dec. 2026", "5 Dec 2026": read as a date in every language
        # (Finland's Swedish writes its short date as ISO's).
        "answered_on": format_date(r.answered_on, "medium", locale=l10n.locale(lang)),
    }


def spreadsheet_name(lang: str) -> str:
    return f"kohtaamo-feedback-{lang}.csv"


def feedback_spreadsheet(rows: Iterable[FeedbackRow], lang: str) -> bytes:
    """The answers as a spreadsheet in `lang`'s locale opens them (as the indicators'
    `format=excel`): a UTF-8 byte order mark (so Excel reads ä and ö), the locale's list
    separator (`;` in fi and sv), headers and values in words of the language as the page
    shows them, dates as the locale's spreadsheet reads them; a resident's comment never
    becomes a formula. The machine CSV (`format=csv`) stays as it is."""
    t = _T[lang]
    separator = ";" if get_decimal_symbol(l10n.locale(lang)) == "," else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow([t["activity"], t["area"], t["month"], t["satisfaction"], t["wellbeing"],
                     t["age_group"], t["language"], t["comment"], t["answered_on"],
                     t["activity_id"]])
    for r in rows:
        shown = _row(r, lang)
        writer.writerow(safe_row([shown["name"], shown["area"], shown["month"],
                                  str(r.satisfaction), shown["wellbeing"], shown["age_group"],
                                  shown["language"], shown["comment"],
                                  l10n.day_numeric(r.answered_on, lang),
                                  str(r.activity_event_id)]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _auth_page(request: Request, exc: Unauthenticated | Forbidden) -> Response:
    """401 or 403 as a page in the reader's language, leading to the sign-in form, which
    brings the reader back to the answers they asked for."""
    lang = reader_language(request)
    # Back to the page with its filters after signing in (a download asked for is the page
    # it was on).
    kept = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "format"])
    here = PATH + (f"?{kept}" if kept else "")
    status = 401 if isinstance(exc, Unauthenticated) else 403

    def sign_in(lang: str) -> tuple[str, str]:
        back = SESSION.next_pattern is not None and SESSION.next_pattern.fullmatch(here)
        query = {"lang": lang, **({"next": here} if back else {})}
        return f"/analysts/login?{urlencode(query)}", str(_T[lang]["sign_in"])

    answer = error_page(request, status, home=sign_in, headers=refusal_headers(exc),
                        detail=str(_T[lang]["unauthenticated" if status == 401
                                          else "forbidden"]))
    answer.headers["Cache-Control"] = "no-store"
    return answer


def _link(**query: Any) -> str:
    return f"{PATH}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


@router.get("/analysts")
async def analysts_home(request: Request) -> Response:
    """`/analysts` typed alone: the answers (signed out, their page says how to sign in)."""
    lang = language_tag(request.query_params.get("lang"))
    return RedirectResponse(PATH + (f"?lang={lang}" if lang else ""), status_code=303)


@router.get(PATH, response_class=HTMLResponse)
async def answers_page(
    request: Request, pool: Pool, clock: CurrentClock, lang: PageLang,
    area: AreaFilter = None,
    from_: Annotated[DayFilter, Query(alias="from")] = None,
    to: FormEndDay = None,
    limit: Annotated[int, Query(ge=1, le=FEEDBACK_PAGE)] = PAGE_ROWS,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    format: Literal["html", "csv", "excel"] = "html",
) -> Response:
    """The answers of whole months from `from` up to, not including, `to`, of one area or
    all, `limit` at a time from `offset`; `format=csv`: the same answers as the API's CSV;
    `format=excel`: as a spreadsheet in the page's language opens them."""
    reader = lang
    try:
        found = await usecases.feedback_answers_counted(
            usecases.unit_of_work(pool), clock, SESSION.principal(request), area=area,
            from_=from_, to=to, limit=limit, offset=offset)
    except (Unauthenticated, Forbidden) as exc:
        return _auth_page(request, exc)
    except Invalid as refused:  # a filter's rule (`to` not after `from`)
        return filter_refused_page(request, refused, reader, _home,
                                   {"Cache-Control": "no-store"})
    if format == "csv":
        return Response(
            feedback_csv(FeedbackAnswerOut.model_validate(r) for r in found.rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{FEEDBACK_CSV_NAME}"',
                     "Cache-Control": "no-store"})
    if format == "excel":
        return Response(feedback_spreadsheet(found.rows, reader),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; "
                                 f'filename="{spreadsheet_name(reader)}"',
                                 "Cache-Control": "no-store"})
    t = _T[reader]
    filters = {"area": area, "from": from_ and from_.isoformat(), "to": to and to.isoformat()}
    paged = {**filters, "limit": limit if limit != PAGE_ROWS else None}
    first, last = offset + 1, offset + len(found.rows)

    def fmt(n: int) -> str:
        return l10n.number(n, reader)

    areas = sorted(((code, area_name(code, reader)) for code in AREAS),
                   key=lambda a: l10n.collation_key(a[1], reader))
    areas.append((UNKNOWN_AREA, area_words(UNKNOWN_AREA, reader)))
    if area and area not in dict(areas):  # a code the city has not named: kept as asked
        areas.append((area, area_name(area, reader)))
    sizes = sorted({*PAGE_SIZES, limit})
    html = _PAGE.render(
        lang=reader, t=t, path=PATH, csrf=SESSION.csrf_token(request),
        skip_to_main=SKIP_TO_MAIN, skip_css=Markup(SKIP_CSS),
        languages=[(code, ENDONYMS[code],
                    in_language(request, code))
                   for code in LANGUAGES],
        areas=areas, area=area, from_=filters["from"] or "", to=filters["to"] or "",
        min_day="2000-01-01", max_day="2100-12-31",
        max_end=domain.END_OF_LAST_YEAR.isoformat(), limit=limit,
        sizes=[(size, fmt(size)) for size in sizes],
        period=_period(from_, to, reader), total=found.total,
        rows=[_row(r, reader) for r in found.rows],
        shown=str(t["shown"]).format(first=fmt(first), last=fmt(last), total=fmt(found.total)),
        csv_href=_link(**filters, limit=limit, offset=offset or None, format="csv"),
        excel_href=_link(**filters, limit=limit, offset=offset or None, format="excel",
                         lang=reader),
        first_href=_link(**paged, lang=reader),
        previous_href=(_link(**paged, offset=max(offset - limit, 0) or None, lang=reader)
                       if offset > 0 and found.total else None),
        next_href=(_link(**paged, offset=offset + limit, lang=reader)
                   if offset + limit < found.total else None))
    return HTMLResponse(html, headers={"Cache-Control": "no-store",
                                       "Content-Language": reader})
