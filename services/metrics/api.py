"""HTTP API of the metrics service: areas and indicators, answered from aggregates."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.metrics import domain, store
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


class PublishedEventsRow(BaseModel):
    area: str
    area_group: str | None
    population: int | None
    population_is_sample: bool
    published_events: int
    cancelled_events: int
    planned_hours: float
    published_events_per_1000: float | None
    planned_hours_per_1000: float | None


class PublishedEventsOut(BaseModel):
    indicator: str = "published_events"
    description: str = (
        "Activity events published and not cancelled, cancelled events and planned activity "
        "hours (published events × their length), by the month they start in Helsinki time; "
        "per 1,000 residents where the area's population is known. Source events: "
        "fi.kohtaamo.event.published.v1 and fi.kohtaamo.event.cancelled.v1."
    )
    from_month: date | None
    to_month: date | None
    areas: list[PublishedEventsRow]


def _area(row: Any) -> AreaOut:
    return AreaOut(code=row["code"], name=LocalizedText(**row["name"]),
                   area_group=row["area_group"], population=row["population"],
                   population_year=row["population_year"],
                   population_is_sample=row["population_is_sample"])


@router.get("/areas")
async def list_areas(pool: Pool) -> list[AreaOut]:
    async with pool.acquire() as conn:
        return [_area(r) for r in await store.list_areas(conn)]


@router.get("/indicators/published-events")
async def published_events(
    pool: Pool,
    area: str | None = None,
    group: AreaGroup | None = None,
    from_: date | None = Query(None, alias="from"),
    to: date | None = None,
) -> PublishedEventsOut:
    """`from` and `to` are dates; whole months from the month of `from` up to, not
    including, the month of `to`."""
    start = date(from_.year, from_.month, 1) if from_ else None
    end = date(to.year, to.month, 1) if to else None
    if start and end and end <= start:
        raise Invalid("`to` must be in a later month than `from`", field="to")
    async with pool.acquire() as conn:
        if area is not None and await store.get_area(conn, area) is None:
            known = await conn.fetchval(
                "SELECT 1 FROM area_month_events WHERE area = $1 LIMIT 1", area)
            if not known:
                raise NotFound("no such area", area=area)
        rows = await store.published_events(conn, area=area, group=group, start=start,
                                            end=end)
    return PublishedEventsOut(
        from_month=start,
        to_month=end,
        areas=[
            PublishedEventsRow(
                area=r["area"], area_group=r["area_group"], population=r["population"],
                population_is_sample=r["sample"], published_events=r["published_events"],
                cancelled_events=r["cancelled_events"],
                planned_hours=float(r["planned_hours"]),
                published_events_per_1000=domain.per_thousand(r["published_events"],
                                                              r["population"]),
                planned_hours_per_1000=domain.per_thousand(r["planned_hours"], r["population"]),
            )
            for r in rows
        ],
    )


@router.get("/areas/{code}/summary")
async def area_summary(code: str, pool: Pool) -> PublishedEventsRow:
    async with pool.acquire() as conn:
        if await store.get_area(conn, code) is None:
            raise NotFound("no such area", area=code)
    result = await published_events(pool, area=code, group=None, from_=None, to=None)
    return result.areas[0]
