"""HTTP API of the metrics service: areas and their populations, and every indicator per
area, answered from the pre-aggregated tables (JSON or CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from services.metrics import domain, store
from services.metrics.indicators import INDICATORS
from shared.auth import CurrentPrincipal, require
from shared.contracts import LocalizedText
from shared.errors import Invalid, NotFound
from shared.service import Pool

router = APIRouter(tags=["metrics"])

AreaGroup = Literal["city", "rural_north", "rural_south"]


class AreaOut(BaseModel):
    code: str
    name: LocalizedText
    area_group: str
    population: int | None
    population_year: int | None
    population_is_sample: bool


class PopulationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    population: int = Field(ge=0, le=10_000_000)
    year: int = Field(ge=1900, le=2100)
    sample: bool = False


class IndicatorOut(BaseModel):
    code: str
    name: dict[str, str]
    unit: str
    formula: str
    sources: list[str]
    per_thousand: bool


class AreaIndicators(BaseModel):
    area: str
    area_group: str | None
    population: int | None
    population_year: int | None
    population_is_sample: bool
    values: dict[str, int | float | None]
    per_1000: dict[str, float | None]
    satisfaction_distribution: list[int]
    answers: int
    topics: dict[str, int]
    audiences: dict[str, int]
    reach: dict[str, int]


class SummaryOut(BaseModel):
    from_month: date | None
    to_month: date | None
    kind: str | None
    venue_id: UUID | None
    areas: list[AreaIndicators]


def _area(row: Any) -> AreaOut:
    return AreaOut(code=row["code"], name=LocalizedText(**row["name"]),
                   area_group=row["area_group"], population=row["population"],
                   population_year=row["population_year"],
                   population_is_sample=row["population_is_sample"])


@router.get("/areas")
async def list_areas(pool: Pool) -> list[AreaOut]:
    async with pool.acquire() as conn:
        return [_area(r) for r in await store.list_areas(conn)]


@router.put("/areas/{code}/population")
async def set_population(code: str, body: PopulationIn, pool: Pool,
                         principal: CurrentPrincipal) -> AreaOut:
    require(principal, "analyst")
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            """UPDATE areas SET population = $2, population_year = $3, population_is_sample = $4
               WHERE code = $1 RETURNING *""", code, body.population, body.year, body.sample)
    if row is None:
        raise NotFound("no such area", area=code)
    return _area(row)


@router.post("/areas/populations.csv", openapi_extra={"requestBody": {"content": {
    "text/csv": {"schema": {"type": "string"}}}}})
async def import_populations(request: Request, pool: Pool,
                             principal: CurrentPrincipal) -> dict[str, Any]:
    """CSV with the header `area,population,year[,sample]`; all rows or none are taken."""
    require(principal, "analyst")
    text = (await request.body()).decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"area", "population", "year"} <= set(reader.fieldnames):
        raise Invalid("the CSV needs the columns area, population and year", field="csv")
    rows = []
    for line, record in enumerate(reader, start=2):
        try:
            rows.append((record["area"].strip(), int(record["population"]), int(record["year"]),
                         (record.get("sample") or "").strip().lower() in ("1", "true", "yes")))
        except (TypeError, ValueError):
            raise Invalid(f"line {line}: population and year must be whole numbers",
                          field="csv") from None
    async with pool.acquire() as conn, conn.transaction():
        known = {r["code"] for r in await store.list_areas(conn)}
        unknown = sorted({r[0] for r in rows} - known)
        if unknown:
            raise Invalid(f"unknown areas: {', '.join(unknown)}", field="csv")
        await conn.executemany(
            """UPDATE areas SET population = $2, population_year = $3, population_is_sample = $4
               WHERE code = $1""", rows)
    return {"updated": len(rows)}


@router.get("/indicators")
async def indicator_definitions() -> list[IndicatorOut]:
    return [IndicatorOut(code=i.code, name=i.name, unit=i.unit, formula=i.formula,
                         sources=list(i.sources), per_thousand=i.per_thousand)
            for i in INDICATORS]


def _months(from_: date | None, to: date | None) -> tuple[date | None, date | None]:
    start = date(from_.year, from_.month, 1) if from_ else None
    end = date(to.year, to.month, 1) if to else None
    if start and end and end <= start:
        raise Invalid("`to` must be in a later month than `from`", field="to")
    return start, end


async def compute_summary(pool: Any, *, area: str | None = None, group: str | None = None,
                          from_: date | None = None, to: date | None = None,
                          kind: str | None = None, venue_id: UUID | None = None,
                          topic: str | None = None) -> SummaryOut:
    start, end = _months(from_, to)
    async with pool.acquire() as conn:
        if area is not None and await store.get_area(conn, area) is None and not \
                await conn.fetchval("SELECT 1 FROM area_month_activity WHERE area = $1 LIMIT 1",
                                    area):
            raise NotFound("no such area", area=area)
        rows = await store.summary(conn, area=area, group=group, start=start, end=end,
                                   kind=kind, venue=str(venue_id) if venue_id else None,
                                   topic=topic)
        topics = await store.breakdown(conn, "topics", start=start, end=end)
        audiences = await store.breakdown(conn, "audiences", start=start, end=end)
        reach = await store.breakdown(conn, "reach", start=start, end=end)
    result = []
    for r in rows:
        values: dict[str, int | float | None] = {
            "published_events": r["published_events"], "cancelled_events": r["cancelled_events"],
            "held_events": r["held_events"], "planned_hours": float(r["planned_hours"]),
            "realised_hours": float(r["realised_hours"]), "participants": r["participants"],
            "visitors": r["visitors"], "organisers": r["organisers"],
            "satisfaction_mean": domain.mean_satisfaction(r["scores"]),
            "wellbeing_share": round(r["wellbeing_yes"] / r["answers"], 3)
            if r["answers"] else None,
            "deliveries": sum(reach.get(r["area"], {}).values()),
        }
        per_1000 = {i.code: domain.per_thousand(values[i.code] or 0, r["population"])
                    for i in INDICATORS if i.per_thousand}
        result.append(AreaIndicators(
            area=r["area"], area_group=r["area_group"], population=r["population"],
            population_year=r["population_year"], population_is_sample=r["sample"],
            values=values, per_1000=per_1000, satisfaction_distribution=list(r["scores"]),
            answers=r["answers"], topics=topics.get(r["area"], {}),
            audiences=audiences.get(r["area"], {}), reach=reach.get(r["area"], {})))
    return SummaryOut(from_month=start, to_month=end, kind=kind, venue_id=venue_id,
                      areas=result)


@router.get("/indicators/summary", responses={200: {"content": {"text/csv": {}}}})
async def indicator_summary(
    pool: Pool, area: str | None = None, group: AreaGroup | None = None,
    from_: date | None = Query(None, alias="from"), to: date | None = None,
    kind: str | None = None, venue_id: UUID | None = None,
    topic: str | None = Query(None, pattern=r"^[a-z0-9_]+$"),
    format: Literal["json", "csv"] = "json",
) -> Any:
    """Every indicator per area for whole months from `from` up to, not including, `to`;
    `format=csv` gives the same as a spreadsheet. With `topic`, the activity figures are
    those of that theme's events (organisers and satisfaction stay the area's)."""
    if topic and (kind or venue_id):
        raise Invalid("filter by topic, or by kind and venue, not both", field="topic")
    summary = await compute_summary(pool, area=area, group=group, from_=from_, to=to,
                                    kind=kind, venue_id=venue_id, topic=topic)
    if format == "json":
        return summary
    out = io.StringIO()
    writer = csv.writer(out)
    codes = [i.code for i in INDICATORS]
    per = [i.code for i in INDICATORS if i.per_thousand]
    writer.writerow(["area", "area_group", "population", "population_year",
                     "population_is_sample", *codes, *[f"{c}_per_1000" for c in per]])
    for a in summary.areas:
        writer.writerow([a.area, a.area_group or "", a.population or "",
                         a.population_year or "", a.population_is_sample,
                         *["" if a.values[c] is None else a.values[c] for c in codes],
                         *["" if a.per_1000[c] is None else a.per_1000[c] for c in per]])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="kohtaamo-indicators.csv"'})


@router.get("/indicators/published-events")
async def published_events(pool: Pool, area: str | None = None, group: AreaGroup | None = None,
                           from_: date | None = Query(None, alias="from"),
                           to: date | None = None) -> dict[str, Any]:
    """Published and cancelled events and planned hours per area (a slice of the summary)."""
    summary = await compute_summary(pool, area=area, group=group, from_=from_, to=to)
    return {"from_month": summary.from_month, "to_month": summary.to_month, "areas": [
        {"area": a.area, "area_group": a.area_group, "population": a.population,
         "population_is_sample": a.population_is_sample,
         "published_events": a.values["published_events"],
         "cancelled_events": a.values["cancelled_events"],
         "planned_hours": a.values["planned_hours"],
         "published_events_per_1000": a.per_1000["published_events"],
         "planned_hours_per_1000": a.per_1000["planned_hours"]} for a in summary.areas]}


@router.get("/areas/{code}/summary")
async def area_summary(code: str, pool: Pool) -> AreaIndicators:
    async with pool.acquire() as conn:
        if await store.get_area(conn, code) is None:
            raise NotFound("no such area", area=code)
    return (await compute_summary(pool, area=code)).areas[0]


class SpaceUtilisation(BaseModel):
    venue_id: UUID
    area: str
    space_id: UUID
    space: LocalizedText
    booked_hours: float
    bookings: int
    open_hours: float
    utilisation: float | None


@router.get("/indicators/utilisation")
async def space_utilisation(pool: Pool, area: str | None = None, venue_id: UUID | None = None,
                            from_: date = Query(alias="from"), to: date | None = None
                            ) -> list[SpaceUtilisation]:
    """Booked hours ÷ open hours per space over whole months from `from` up to `to`
    (default: one month)."""
    start, end = _months(from_, to)
    assert start is not None
    end = end or date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if (end.year - start.year) * 12 + end.month - start.month > 24:
        raise Invalid("at most 24 months at a time", field="to")
    async with pool.acquire() as conn:
        venues, booked = await store.utilisation_rows(conn, area=area, venue_id=venue_id,
                                                      start=start, end=end)
    by_space: dict[str, list[Any]] = {}
    for b in booked:
        by_space.setdefault(str(b["space_id"]), []).append(b)
    months = []
    month = start
    while month < end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    result = []
    for v in venues:
        for space in v["spaces"]:
            sid = space["space_id"]
            open_hours = sum(domain.open_hours_in_month(m, sid, v["opening_hours"],
                                                        v["exceptions"]) for m in months)
            rows = by_space.get(sid, [])
            booked_hours = sum((r["booked_hours"] for r in rows), Decimal(0))
            result.append(SpaceUtilisation(
                venue_id=v["venue_id"], area=v["area"], space_id=UUID(sid),
                space=LocalizedText(**space["name"]), booked_hours=float(booked_hours),
                bookings=sum(r["bookings"] for r in rows), open_hours=float(open_hours),
                utilisation=domain.utilisation(booked_hours, Decimal(open_hours))))
    return result
