"""What the metrics API takes and answers: request bodies and query parameters bounded so
that odd input is refused with a 422 naming the field (never a 500), and the answers'
shapes (read from the use cases' results)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from services.metrics.domain import (
    END_OF_LAST_YEAR,
    MAX_AREA_CODE,
    MAX_POPULATION,
    MAX_POPULATION_YEAR,
    MIN_POPULATION_YEAR,
)
from shared.bounds import MAX_YEAR, MIN_YEAR, Str, blank_is_none, check_day
from shared.contracts import LocalizedText
from shared.csv_cells import safe_row
from shared.openapi import date_pattern

#: The languages of the pages (`domain.LANGUAGES`).
Lang = Literal["fi", "sv", "en"]
AreaGroup = Literal["city", "rural_north", "rural_south"]
#: An area code such as `kuopio.nilsia`, of the characters the other services' area codes
#: take (a new-line or a capital is a 422 naming it, not a search for no such area).
AreaCode = Annotated[Str, StringConstraints(min_length=1, max_length=MAX_AREA_CODE,
                                            pattern=r"^[a-z0-9_.-]+$")]
#: A kind of activity (a vocabulary code).
KindCode = Annotated[Str, StringConstraints(min_length=1, max_length=100)]
#: A topic of the vocabulary.
TopicCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,100}$")]


def _check_end(value: date) -> date:
    return value if value == END_OF_LAST_YEAR else check_day(value)


#: The end of a range of months, not included: a day of the platform's years, or the first
#: day after them (so the last year is whole, as the dashboard's links ask for it). The
#: OpenAPI document says so, so no client (schemathesis) is left to guess the years.
EndDay = Annotated[date, AfterValidator(_check_end), Field(
    description=(f"Years {MIN_YEAR} to {MAX_YEAR}, or {END_OF_LAST_YEAR.isoformat()} (the "
                 "end of the last of them): another is refused (422)."),
    json_schema_extra={"pattern": date_pattern(MIN_YEAR, MAX_YEAR,
                                               END_OF_LAST_YEAR.isoformat())})]
#: `EndDay` in a page's form, where an input left empty (`to=`) is no end.
FormEndDay = Annotated[EndDay | None, BeforeValidator(blank_is_none)]


#: What each refusal of a page route is, said as a page in the reader's language
#: (`shared.pages.page_route`), never JSON.
_PAGE_REFUSALS = {
    401: "Not signed in: a page leading to the sign-in form",
    403: "Refused (another site's form, a role missing): a page saying so, with a way on",
    404: "Nothing at this address: a page with a way on",
    409: "Not taken now: a page saying why, the answer kept",
    422: "A refused input: a page naming it",
    429: "Too many tries: a page saying when to try again",
}
_HTML = {"text/html": {"schema": {"type": "string"}}}


def page_responses(*statuses: int, ok: int | None = 200,
                   ok_content: dict[str, Any] | None = None) -> dict[int | str, Any]:
    """A page route's answers for OpenAPI: a page (or `ok_content`) on success and a page
    for each refusal in `statuses` (422 always: FastAPI would document it as JSON)."""
    answers: dict[int | str, Any] = {
        status: {"description": _PAGE_REFUSALS[status], "content": _HTML}
        for status in sorted({*statuses, 422})}
    if ok is not None:
        answers[ok] = {"description": "The page", "content": ok_content or _HTML}
    return answers


class AreaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: LocalizedText
    area_group: str
    population: int | None
    population_year: int | None
    population_is_sample: bool


class PopulationIn(BaseModel):
    # Strict: `true` is no population of 1, nor "6000" a number (a tester's round).
    model_config = ConfigDict(extra="forbid", strict=True)

    population: int = Field(ge=0, le=MAX_POPULATION)
    year: int = Field(ge=MIN_POPULATION_YEAR, le=MAX_POPULATION_YEAR, description=(
        "The year the population was counted for: at most this year (a later one is "
        "refused, `future_population_year`: a forecast is not a population)."))
    sample: bool = False


class ImportedOut(BaseModel):
    updated: int


class IndicatorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: dict[str, str]
    unit: str = Field(description="The unit's code, as before: `hours`, `people`, `1–5`, …")
    #: Added beside `unit` and `formula`, which stay as they were (clients read them).
    unit_text: dict[str, str] = Field(
        description="The unit in words, fi/sv/en: {\"fi\": \"tuntia\", \"sv\": \"timmar\", "
                    "\"en\": \"hours\"}")
    formula: str = Field(description="The definition of record, in English")
    formula_text: dict[str, str] = Field(
        description="The definition in fi/sv/en, as the dashboard and the report give it "
                    "(`en` is `formula`)")
    sources: list[str]
    per_thousand: bool


class AreaIndicators(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    area: str
    area_group: str | None
    population: int | None
    population_year: int | None
    population_is_sample: bool
    population_of_earlier_year: bool
    values: dict[str, int | float | None]
    per_1000: dict[str, float | None]
    satisfaction_distribution: list[int]
    answers: int
    topics: dict[str, int]
    audiences: dict[str, int]
    reach: dict[str, int]


class TotalIndicators(AreaIndicators):
    """Several areas together: an area group's figures (`area` is the group's code) or the
    whole city's (`area` is `kuopio`). Counts and hours are sums; per 1,000 residents is of
    the summed population (null unless every area of it has one); organisers are distinct
    across the areas; satisfaction and wellbeing are of all the answers."""

    scope: Literal["area_group", "municipality"]
    #: The areas summed.
    areas: list[str]


class SummaryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_month: date | None
    to_month: date | None
    kind: str | None
    venue_id: UUID | None
    #: The topic filter's code, so a client tells a theme's figures from every activity's.
    topic: str | None
    areas: list[AreaIndicators]
    #: Figures the kind or venue filter cannot be applied to: left out (null) of `areas`.
    unavailable: list[str]
    #: Each area group's subtotal among `areas`, then the whole city's total (without a
    #: `group` filter); none for one `area`.
    totals: list[TotalIndicators] = []


class SpaceUtilisation(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    venue_id: UUID
    area: str
    space_id: UUID
    space: LocalizedText
    booked_hours: float
    bookings: int
    open_hours: float
    utilisation: float | None


class FeedbackAnswerOut(BaseModel):
    """One survey answer for analysts: the activity and what was said, never who."""

    model_config = ConfigDict(from_attributes=True)

    activity_event_id: UUID
    name: dict[str, str]
    area: str
    month: date
    satisfaction: int
    wellbeing: str
    age_group: str | None
    language: str
    comment: str | None
    answered_on: date


#: The survey answers' spreadsheet: what `GET /feedback/answers?format=csv` and the analysts'
#: page's download give, one file name and one header for both.
FEEDBACK_CSV_NAME = "kohtaamo-feedback.csv"


def feedback_csv(rows: Iterable[FeedbackAnswerOut]) -> str:
    """The answers as CSV: a comment is a resident's free text, never a formula in the
    spreadsheet (CSV injection)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["activity_event_id", "name_fi", "area", "month", "satisfaction",
                     "wellbeing", "age_group", "language", "comment", "answered_on"])
    for r in rows:
        writer.writerow(safe_row([r.activity_event_id, r.name.get("fi", ""), r.area, r.month,
                                  r.satisfaction, r.wellbeing, r.age_group or "", r.language,
                                  r.comment or "", r.answered_on]))
    return out.getvalue()
