"""HTTP API of the metrics service: areas and their populations, and every indicator per
area (JSON or CSV). Parsing, auth and rendering only: each route calls one use case."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.metrics import usecases
from services.metrics.answers_page import feedback_spreadsheet, spreadsheet_name
from services.metrics.domain import FEEDBACK_PAGE, INDICATORS, Population, SummaryQuery
from services.metrics.report import spreadsheet_csv, unknown_area_page
from services.metrics.schemas import (
    FEEDBACK_CSV_NAME,
    AreaCode,
    AreaGroup,
    AreaIndicators,
    AreaOut,
    EndDay,
    FeedbackAnswerOut,
    ImportedOut,
    IndicatorOut,
    KindCode,
    PopulationIn,
    SpaceUtilisation,
    SummaryOut,
    TopicCode,
    feedback_csv,
)
from shared.auth import PUBLIC, SignedIn
from shared.bounds import Day
from shared.csv_cells import safe_row
from shared.errors import NotFound
from shared.http import reader_language, wants_html
from shared.openapi import refusals
from shared.pages import LangParam
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["metrics"])


uow = usecases.unit_of_work


From = Annotated[Day | None, Query(alias="from")]


@router.get("/areas")
async def list_areas(pool: Pool, clock: CurrentClock) -> list[AreaOut]:
    return [AreaOut.model_validate(a)
            for a in await usecases.list_areas(uow(pool), clock, PUBLIC)]


@router.put("/areas/{area}/population")
async def set_population(area: AreaCode, body: PopulationIn, pool: Pool, clock: CurrentClock,
                         principal: SignedIn) -> AreaOut:
    """An analyst sets the area's population of one year, this year at the latest: a later
    year is refused (422 `future_population_year`), as a forecast is not a population."""
    kept = await usecases.set_population(uow(pool), clock, principal, Population(
        area=area, population=body.population, year=body.year, sample=body.sample))
    return AreaOut.model_validate(kept)


@router.post("/areas/populations.csv", openapi_extra={"requestBody": {"content": {
    "text/csv": {"schema": {"type": "string"}}}}})
async def import_populations(request: Request, pool: Pool, clock: CurrentClock,
                             principal: SignedIn) -> ImportedOut:
    """CSV with the header `area,population,year[,sample]`; all rows or none are taken."""
    updated = await usecases.import_populations(uow(pool), clock, principal,
                                                await request.body())
    return ImportedOut(updated=updated)


@router.get("/indicators")
async def indicator_definitions() -> list[IndicatorOut]:
    return [IndicatorOut.model_validate(i) for i in INDICATORS]


@router.get("/indicators/summary", responses={200: {"content": {"text/csv": {}}}})
async def indicator_summary(
    request: Request, pool: Pool, clock: CurrentClock,
    area: AreaCode | None = None, group: AreaGroup | None = None, from_: From = None,
    to: EndDay | None = None, kind: KindCode | None = None, venue_id: UUID | None = None,
    topic: TopicCode | None = None, format: Literal["json", "csv", "excel"] = "json",
    lang: LangParam | None = None,
) -> Any:
    """Every indicator per area for whole months from `from` up to, not including, `to`.
    `format=csv` gives the same as a machine-readable CSV (`,`, decimal points, codes);
    `format=excel` as a spreadsheet in `lang` opens it (else the reader's language): fi/sv
    `;` and decimal commas, en `,` and points, UTF-8 with a byte order mark, headers and
    area names in words. With `topic`, the activity figures are those of that theme's events
    (organisers and satisfaction stay the area's). With `kind` or `venue_id`, the figures
    counted per area only (organisers, deliveries, topics, audiences, reach) are null or
    empty and named in `unavailable`; the answer echoes `kind`, `venue_id` and `topic`. Per
    1,000 residents: the population of the range's last year (without `to`, this year's),
    else the latest earlier year's (`population_of_earlier_year`), never a year's after
    this one. `totals` (and the CSVs' last rows, `scope` saying which): each area group's
    subtotal and the city's total (`kuopio`, without `group`); none with `area`. Refused in
    every format with a 422 whose `code` names the rule and whose `message` says it as the
    dashboard does: a `kind` or `topic` neither told by the events service's vocabulary
    (retired ones too) nor counted (`unknown_kind`, `unknown_topic`), a `topic` with `kind`
    or `venue_id` (`topic_with_kind_or_venue`), `to` not in a later month than `from`
    (`to_not_after_from`), an `area` that is neither the city's nor counted (`unknown_area`,
    with the `known` ones), an `area` with a `group` it is not in (`area_outside_group`), a
    `venue_id` neither told nor counted at (`unknown_venue`). A `venue_id` with an `area`
    it is not in is taken: an activity's area may differ from its venue's."""
    summary = SummaryOut.model_validate(await usecases.indicator_summary(
        uow(pool), clock, PUBLIC, SummaryQuery(area=area, group=group, from_=from_, to=to,
                                               kind=kind, venue_id=venue_id, topic=topic)))
    if format == "json":
        return summary
    if format == "excel":
        reader = lang or reader_language(request)
        return Response(spreadsheet_csv(summary, reader), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; "
                                 f'filename="kohtaamo-indicators-{reader}.csv"'})
    out = io.StringIO()
    writer = csv.writer(out)
    codes = [i.code for i in INDICATORS]
    per = [i.code for i in INDICATORS if i.per_thousand]
    # Columns and rows are only ever added at the end: `scope` tells an area's row from an
    # area group's subtotal and the city's total (`kuopio`), which follow the areas;
    # `answers`, how many answered the survey the satisfaction and wellbeing are of.
    writer.writerow(["area", "area_group", "population", "population_year",
                     "population_is_sample", *codes, *[f"{c}_per_1000" for c in per],
                     "population_of_earlier_year", "scope", "answers"])
    rows: list[tuple[AreaIndicators, str]] = [(a, "area") for a in summary.areas]
    rows += [(t, t.scope) for t in summary.totals]
    for a, scope in rows:
        # Area codes arrive in events from other services: a text cell never becomes a
        # formula in the analyst's spreadsheet (CSV injection).
        population = "" if a.population is None else a.population  # a 0 told is a 0
        writer.writerow(safe_row([a.area, a.area_group or "", population,
                         a.population_year or "", a.population_is_sample,
                         *["" if a.values[c] is None else a.values[c] for c in codes],
                         *["" if a.per_1000[c] is None else a.per_1000[c] for c in per],
                         a.population_of_earlier_year, scope, a.answers]))
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="kohtaamo-indicators.csv"'})


@router.get("/indicators/published-events")
async def published_events(pool: Pool, clock: CurrentClock,
                           area: AreaCode | None = None, group: AreaGroup | None = None,
                           from_: From = None, to: EndDay | None = None) -> dict[str, Any]:
    """Published and cancelled events and planned hours per area (a slice of the summary)."""
    summary = await usecases.indicator_summary(
        uow(pool), clock, PUBLIC, SummaryQuery(area=area, group=group, from_=from_, to=to))
    return {"from_month": summary.from_month, "to_month": summary.to_month, "areas": [
        {"area": a.area, "area_group": a.area_group, "population": a.population,
         "population_is_sample": a.population_is_sample,
         "published_events": a.values["published_events"],
         "cancelled_events": a.values["cancelled_events"],
         "planned_hours": a.values["planned_hours"],
         "published_events_per_1000": a.per_1000["published_events"],
         "planned_hours_per_1000": a.per_1000["planned_hours"]} for a in summary.areas]}


# The 404 is declared: `shared.openapi` reads the one the route catches as answered.
@router.get("/areas/{area}/summary", response_model=AreaIndicators, responses=refusals(404))
async def area_summary(area: AreaCode, request: Request, pool: Pool,
                       clock: CurrentClock) -> Any:
    """One area over all time. An area neither the city's nor counted is a 404 (`area`
    names it); a browser's page says which area is unknown."""
    try:
        found = await usecases.area_summary(uow(pool), clock, PUBLIC, area)
    except NotFound:
        if wants_html(request):
            return unknown_area_page(request, area)
        raise
    return AreaIndicators.model_validate(found)


@router.get("/indicators/utilisation")
async def space_utilisation(pool: Pool, clock: CurrentClock,
                            from_: Annotated[Day, Query(alias="from")],
                            to: EndDay | None = None, area: AreaCode | None = None,
                            venue_id: UUID | None = None) -> list[SpaceUtilisation]:
    """Booked hours ÷ open hours per space over whole months from `from` up to `to`
    (default: one month)."""
    rows = await usecases.space_utilisation(
        uow(pool), clock, PUBLIC, usecases.UtilisationQuery(from_=from_, to=to, area=area,
                                                            venue_id=venue_id))
    return [SpaceUtilisation.model_validate(r) for r in rows]


@router.get("/feedback/answers", responses={200: {"content": {"text/csv": {}}}})
async def feedback_answers(
    request: Request, pool: Pool, clock: CurrentClock, principal: SignedIn,
    area: AreaCode | None = None, from_: From = None, to: EndDay | None = None,
    limit: Annotated[int, Query(ge=1, le=FEEDBACK_PAGE)] = FEEDBACK_PAGE,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    format: Literal["json", "csv", "excel"] = "json", lang: LangParam | None = None,
) -> Any:
    """The feedback survey's answers about the activities of whole months from `from` up to
    `to` (analysts): satisfaction, wellbeing, age group, language and the free comment, with
    the activity's name, area and month; no address or browser. `format=csv`:
    machine-readable (`,`, codes, ISO dates); `format=excel`: as a spreadsheet in `lang`
    (else the reader's language) opens it, as the indicators' (a byte order mark, `;` in
    fi and sv, headers and values in words). Analysts signed in on a page read the same at
    `/analysts/answers`."""
    found = await usecases.feedback_answers(uow(pool), clock, principal, area=area,
                                            from_=from_, to=to, limit=limit, offset=offset)
    rows = [FeedbackAnswerOut.model_validate(r) for r in found]
    if format == "json":
        return rows
    if format == "excel":
        reader = lang or reader_language(request)
        return Response(feedback_spreadsheet(found, reader), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; "
                                 f'filename="{spreadsheet_name(reader)}"'})
    return Response(feedback_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{FEEDBACK_CSV_NAME}"'})
