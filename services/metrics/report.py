"""The metrics dashboard and the yearly report (HTML and PDF), for the city's welfare
report: the same indicator definitions and numbers as the API and the CSV export."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from services.metrics import charts, usecases
from services.metrics.domain import BY_CODE, INDICATORS, LANGUAGES, AreaIndicators, YearReport
from services.metrics.schemas import Lang
from shared.auth import PUBLIC
from shared.bounds import MAX_YEAR, MIN_YEAR
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["dashboard and report"])
Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)]
_MONTHS = {"fi": "tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu",
           "sv": "jan feb mar apr maj jun jul aug sep okt nov dec",
           "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"}
#: The pages' own words; the indicators' names come from their one definition (domain).
_T = {
    "fi": {"dashboard": "Asukastoiminnan mittarit", "report": "Asukastoiminnan vuosiraportti",
           "per_month": "kuukausittain", "per_1000_residents": "1 000 asukasta kohden",
           "by_area": "alueittain", "answers": "vastauksia", "area": "Alue",
           "population": "Asukkaita", "sample": "esimerkkiluku", "unknown": "ei tiedossa",
           "definitions": "Mittarit", "csv": "Lataa CSV", "pdf": "Lataa PDF",
           "year_report": "Vuosiraportti", "per_1000": "/ 1 000 as."},
    "sv": {"dashboard": "Mätare för invånarverksamhet",
           "report": "Årsrapport för invånarverksamhet", "per_month": "per månad",
           "per_1000_residents": "per 1 000 invånare", "by_area": "per område",
           "answers": "svar", "area": "Område", "population": "Invånare",
           "sample": "exempeltal", "unknown": "okänt", "definitions": "Mätare",
           "csv": "Ladda ner CSV", "pdf": "Ladda ner PDF", "year_report": "Årsrapport",
           "per_1000": "/ 1 000 inv."},
    "en": {"dashboard": "Resident activity indicators",
           "report": "Resident activity: yearly report", "per_month": "per month",
           "per_1000_residents": "per 1,000 residents", "by_area": "per area",
           "answers": "answers", "area": "Area", "population": "Residents",
           "sample": "sample figure", "unknown": "unknown", "definitions": "Indicators",
           "csv": "Download CSV", "pdf": "Download PDF", "year_report": "Yearly report",
           "per_1000": "per 1,000"},
}
_PAGE = Environment(autoescape=select_autoescape(default=True)).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<style>body{font:16px/1.45 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;
padding:.3rem;text-align:right}th:first-child,td:first-child{text-align:left}
section{margin:1.2rem 0}.muted{color:#666}@media print{a{display:none}}</style></head>
<body><main><h1>{{ title }}</h1>
<p>{% for code in languages %}<a href="?lang={{ code }}&year={{ year }}" hreflang="{{ code }}">
{{ code }}</a> {% endfor %}·
<a href="/indicators/summary?format=csv&from={{ year }}-01-01&to={{ year + 1 }}-01-01">
{{ t.csv }}</a>
{% if dashboard %}· <a href="/report/{{ year }}?lang={{ lang }}">{{ t.year_report }}</a>
{% else %}· <a href="/report/{{ year }}.pdf?lang={{ lang }}">{{ t.pdf }}</a>{% endif %}</p>
<section id="trend">{{ trend }}</section>
<section id="areas">{{ areas_chart }}</section>
<section id="satisfaction">{{ satisfaction }}</section>
<section id="table"><table><tr><th>{{ t.area }}</th><th>{{ t.population }}</th>
{% for i in indicators %}<th>{{ i.name[lang] }}</th>{% endfor %}</tr>
{% for a in areas %}<tr><td>{{ a.area }}</td><td>{% if a.population %}{{ a.population }}
{% if a.population_is_sample %}<span class="muted">({{ t.sample }})</span>{% endif %}
{% else %}<span class="muted">{{ t.unknown }}</span>{% endif %}</td>
{% for i in indicators %}<td>{{ fmt(a.values[i.code]) }}
{% if i.per_thousand and a.per_1000[i.code] is not none %}<br><span class="muted">
{{ fmt(a.per_1000[i.code]) }} {{ t.per_1000 }}</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</table></section>
<section id="definitions"><h2>{{ t.definitions }}</h2><dl>
{% for i in indicators %}<dt>{{ i.name[lang] }} ({{ i.unit }})</dt><dd>{{ i.formula }}.
<span class="muted">{{ ", ".join(i.sources) }}</span></dd>{% endfor %}</dl></section>
</main></body></html>""")


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value != int(value):
        return f"{value:.2f}"
    return f"{int(value):,}".replace(",", " ")


def _short(area: str) -> str:
    return area.split(".")[-1].capitalize()


def _name(code: str, lang: str) -> str:
    return BY_CODE[code].name[lang]


def _render(report: YearReport, lang: str, *, dashboard: bool) -> str:
    t = _T[lang]
    year, areas = report.year, report.summary.areas
    by_month = {m.month.month: float(m.realised_hours) for m in report.months}
    names = _MONTHS[lang].split()
    trend = charts.columns(names, [by_month.get(i + 1, 0.0) for i in range(12)],
                           title=f"{_name('realised_hours', lang)} {t['per_month']} {year}")
    known = [a for a in areas if a.population]
    if known:
        areas_chart = charts.bars(
            [_short(a.area) for a in known], [a.per_1000["participants"] or 0 for a in known],
            title=f"{_name('participants', lang)} {t['per_1000_residents']}")
    else:
        areas_chart = charts.bars(
            [_short(a.area) for a in areas], [float(a.values["participants"] or 0) for a in areas],
            title=f"{_name('participants', lang)} {t['by_area']}")
    scores = [sum(a.satisfaction_distribution[i] for a in areas) for i in range(5)]
    satisfaction = charts.bars(["1", "2", "3", "4", "5"], [float(s) for s in scores],
                               title=f"{_name('satisfaction_mean', lang)} ({t['answers']})")
    return _PAGE.render(lang=lang, languages=LANGUAGES, t=t, year=year, dashboard=dashboard,
                        fmt=_fmt, title=f"{t['dashboard' if dashboard else 'report']} {year}",
                        trend=Markup(trend), areas_chart=Markup(areas_chart),
                        satisfaction=Markup(satisfaction), areas=areas,
                        indicators=INDICATORS)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(pool: Pool, clock: CurrentClock, lang: Lang = "fi",
                    year: int | None = Query(None, ge=MIN_YEAR, le=MAX_YEAR)) -> HTMLResponse:
    """This year's indicators (by the clock, in Helsinki) unless `year` is given."""
    report = await usecases.yearly_report(usecases.unit_of_work(pool), clock, PUBLIC, year)
    return HTMLResponse(_render(report, lang, dashboard=True))


@router.get("/report/{year}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def yearly_report_pdf(year: Year, pool: Pool, clock: CurrentClock,
                            lang: Lang = "fi") -> Response:
    """The yearly report as a PDF for the welfare report (tables and definitions).
    Declared before the HTML route, which would otherwise claim `2026.pdf` as a year."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    report = await usecases.yearly_report(usecases.unit_of_work(pool), clock, PUBLIC, year)
    t = _T[lang]
    styles = getSampleStyleSheet()
    shown = [i for i in INDICATORS if i.code != "cancelled_events"]
    header = [t["area"], t["population"], *[i.name[lang] for i in shown]]
    areas: list[AreaIndicators] = report.summary.areas
    rows = [[_short(a.area), _fmt(a.population), *[_fmt(a.values[i.code]) for i in shown]]
            for a in areas]
    table = Table([[Paragraph(h, styles["BodyText"]) for h in header], *rows], repeatRows=1)
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=f"{t['report']} {year}",
                            author="Kohtaamo")
    story = [Paragraph(f"{t['report']} {year}", styles["Title"]), table, Spacer(1, 12),
             Paragraph(t["definitions"], styles["Heading2"])]
    story += [Paragraph(f"<b>{i.name[lang]}</b> ({i.unit}): {i.formula}.", styles["BodyText"])
              for i in INDICATORS]
    doc.build(story)
    return Response(buffer.getvalue(), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="kohtaamo-{year}.pdf"'})


@router.get("/report/{year}", response_class=HTMLResponse)
async def yearly_report(year: Year, pool: Pool, clock: CurrentClock,
                        lang: Lang = "fi") -> HTMLResponse:
    report = await usecases.yearly_report(usecases.unit_of_work(pool), clock, PUBLIC, year)
    return HTMLResponse(_render(report, lang, dashboard=False))
