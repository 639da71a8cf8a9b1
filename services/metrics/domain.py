"""Indicator arithmetic and the metrics service's rules as plain functions: no I/O.

The aggregates are a projection of the facts. Each activity event is one fact: its latest
revision joined with its latest attendance report. A fact contributes to cells of the
pre-aggregated tables; a change applies `new - old`, so the result does not depend on how
often or in which order events arrived, and replaying the log gives the same numbers.

"Held" activity is activity whose attendance was reported: that is the event log's own
evidence that it took place, so realised hours need no clock.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal
from uuid import UUID

from shared.bounds import MAX_YEAR, MIN_YEAR, plain_text
from shared.ceilings import client_network
from shared.clock import HELSINKI
from shared.errors import Invalid, expected
from shared.ical import days as ical_days
from shared.l10n import term_words

UNKNOWN_AREA = "unknown"
#: The languages of every page and label of the service, in this order.
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Fact:
    status: str  # published | postponed | cancelled
    area: str | None
    starts_at: datetime
    ends_at: datetime
    kind: str = "other"
    venue_id: UUID | None = None
    organiser_id: UUID | None = None
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    participants: int | None = None  # None: no attendance reported
    visitors: int | None = None
    all_day: bool = False


@dataclass(frozen=True)
class Cell:
    """A row of `area_month_activity`."""

    area: str
    month: date
    kind: str = "other"
    venue: str = ""


@dataclass(frozen=True)
class Counts:
    published: int = 0
    cancelled: int = 0
    held: int = 0
    planned_hours: Decimal = Decimal(0)
    realised_hours: Decimal = Decimal(0)
    participants: int = 0
    visitors: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __neg__(self) -> Counts:
        return Counts(*(-getattr(self, f.name) for f in fields(self)))

    def is_zero(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))


@dataclass
class Delta:
    """What one fact change does to each pre-aggregated table."""

    activity: dict[Cell, Counts] = field(default_factory=dict)
    organisers: dict[tuple[str, date, UUID], int] = field(default_factory=dict)
    topics: dict[tuple[str, date, str], int] = field(default_factory=dict)
    audiences: dict[tuple[str, date, str], int] = field(default_factory=dict)
    #: The activity figures per (area, month, topic).
    topic_activity: dict[tuple[str, date, str], Counts] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.activity or self.organisers or self.topics or self.audiences
                    or self.topic_activity)


def month_of(moment: datetime) -> date:
    """The month an activity belongs to, in Helsinki time (not UTC)."""
    local = moment.astimezone(HELSINKI)
    return date(local.year, local.month, 1)


#: What one day of a whole-day or many-day activity counts as activity hours: a day's
#: activity, not the 24 hours of the clock (an exhibition of two weeks is not 336 hours).
ACTIVITY_DAY_HOURS = Decimal(8)


def hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Elapsed hours (a booking's, an activity's within one day)."""
    return (Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)).quantize(
        Decimal("0.01"))


def activity_hours(starts_at: datetime, ends_at: datetime, all_day: bool = False) -> Decimal:
    """The activity hours an activity counts: its elapsed time within one day in Helsinki;
    a whole-day activity `ACTIVITY_DAY_HOURS` for each day it covers; one over several days
    the time of each day, at most `ACTIVITY_DAY_HOURS` a day."""
    if all_day:
        first, last = ical_days(starts_at, ends_at)
        return ACTIVITY_DAY_HOURS * ((last - first).days + 1)
    start, end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    if end <= start:
        return Decimal(0)
    if end.date() == start.date() or end == datetime.combine(
            start.date() + timedelta(days=1), time(0), HELSINKI):
        return hours(starts_at, ends_at)
    total, day = Decimal(0), start.date()
    while day <= end.date():
        day_start = max(start, datetime.combine(day, time(0), HELSINKI))
        day_end = min(end, datetime.combine(day + timedelta(days=1), time(0), HELSINKI))
        if day_end > day_start:
            total += min(hours(day_start, day_end), ACTIVITY_DAY_HOURS)
        day += timedelta(days=1)
    return total


def is_reach(purpose: str | None) -> bool:
    """A delivery reaches residents with the activity unless it only says it is cancelled."""
    return purpose != "cancellation"


def cell_of(fact: Fact) -> Cell:
    return Cell(fact.area or UNKNOWN_AREA, month_of(fact.starts_at), fact.kind,
                str(fact.venue_id) if fact.venue_id else "")


def contribution(fact: Fact) -> tuple[Cell, Counts]:
    cell = cell_of(fact)
    if fact.status == "cancelled":
        return cell, Counts(cancelled=1)
    if fact.status != "published":
        return cell, Counts()  # postponed: counts again once it has a new time
    length = activity_hours(fact.starts_at, fact.ends_at, fact.all_day)
    if fact.participants is None:
        return cell, Counts(published=1, planned_hours=length)
    return cell, Counts(published=1, planned_hours=length, held=1, realised_hours=length,
                        participants=fact.participants, visitors=fact.visitors or 0)


def _apply(delta: Delta, fact: Fact, sign: int) -> None:
    cell, counts = contribution(fact)
    signed = counts if sign > 0 else -counts
    delta.activity[cell] = delta.activity.get(cell, Counts()) + signed
    for topic in fact.topics:
        key = (cell.area, cell.month, topic)
        delta.topic_activity[key] = delta.topic_activity.get(key, Counts()) + signed
    if fact.status != "published":
        return
    if fact.organiser_id is not None:
        who = (cell.area, cell.month, fact.organiser_id)
        delta.organisers[who] = delta.organisers.get(who, 0) + sign
    for topic in fact.topics:
        theme = (cell.area, cell.month, topic)
        delta.topics[theme] = delta.topics.get(theme, 0) + sign
    for audience in fact.audiences:
        group = (cell.area, cell.month, audience)
        delta.audiences[group] = delta.audiences.get(group, 0) + sign


def delta(old: Fact | None, new: Fact | None) -> Delta:
    """What the aggregates must change when `old` is replaced by `new`."""
    result = Delta()
    if old is not None:
        _apply(result, old, -1)
    if new is not None:
        _apply(result, new, +1)
    result.activity = {k: v for k, v in result.activity.items() if not v.is_zero()}
    result.organisers = {k: v for k, v in result.organisers.items() if v}
    result.topics = {k: v for k, v in result.topics.items() if v}
    result.audiences = {k: v for k, v in result.audiences.items() if v}
    result.topic_activity = {k: v for k, v in result.topic_activity.items() if not v.is_zero()}
    return result


#: A rate per 1,000 residents has this many decimals wherever it is given: rounded once, by
#: `per_thousand`, and shown whole by the API, both CSVs, the pages, their charts and the PDF
#: (`report.rate_text`), so a page never says a figure other than the export's.
PER_THOUSAND_DIGITS = 3


def ratio(part: float | Decimal | Fraction, whole: float | Decimal | Fraction,
          digits: int) -> float:
    """`part / whole` to `digits` decimals, a half rounded up as a spreadsheet and a reader
    do (Python's `round` takes a half to the even digit: 1 / 3,200 × 1,000 was 0.312)."""
    exact = Fraction(part) / Fraction(whole)
    return float((Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def per_thousand(count: float | Decimal | None, population: int | None) -> float | None:
    """Per 1,000 residents; None when the count or the population is unknown, or the
    population zero."""
    if count is None or not population:
        return None
    return ratio(Fraction(count) * 1000, population, PER_THOUSAND_DIGITS)


def mean_satisfaction(scores: Iterable[int]) -> float | None:
    """Mean of a 1–5 distribution given as counts of 1, 2, 3, 4 and 5."""
    counts = list(scores)
    total = sum(counts)
    if not total:
        return None
    return ratio(sum((i + 1) * n for i, n in enumerate(counts)), total, 2)


# --- space utilisation ------------------------------------------------------------------------


def _minutes(clock: str) -> int:
    hours_, minutes = clock.split(":")
    return int(hours_) * 60 + int(minutes)


def _merged_minutes(spans: Iterable[tuple[int, int]]) -> int:
    total, current_start, current_end = 0, None, None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total


def open_hours_in_month(month: date, space_id: str, weekly: list[dict[str, Any]],
                        exceptions: list[dict[str, Any]], *,
                        staffed_only: bool = False) -> Decimal:
    """Hours a space could be booked in a month: its own weekly hours, or its venue's,
    staffed or self-service (`staffed_only`: staffed, for a space its rules keep to them);
    a dated exception replaces that day's hours (no times: closed)."""
    def bookable(hours: dict[str, Any]) -> bool:  # hours of no kind named are staffed
        return not staffed_only or (hours.get("kind") or "staffed") == "staffed"

    own = [h for h in weekly if h.get("space_id") == space_id]
    rules = own or [h for h in weekly if not h.get("space_id")]
    day = month
    total = 0
    while day.month == month.month:
        todays = [e for e in exceptions if e.get("day") == day.isoformat()
                  and e.get("space_id") in (None, space_id)]
        if todays:  # the day's exception decides it, whichever kinds of hours it has
            spans = [(_minutes(e["opens"]), _minutes(e["closes"])) for e in todays
                     if e.get("opens") and e.get("closes") and bookable(e)]
            if any(not e.get("opens") for e in todays):
                spans = []
        else:
            spans = [(_minutes(h["opens"]), _minutes(h["closes"])) for h in rules
                     if h.get("weekday") == day.isoweekday() and bookable(h)]
        total += _merged_minutes(spans)
        day = date.fromordinal(day.toordinal() + 1)
    return (Decimal(total) / 60).quantize(Decimal("0.01"))


def utilisation(booked: Decimal, open_: Decimal) -> float | None:
    return ratio(booked, open_, 3) if open_ else None


# --- who may do what ------------------------------------------------------------------------



# --- months and years -------------------------------------------------------------------------


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


#: The end of the last year the platform takes: a range of months may end there (not
#: including it), so the year `MAX_YEAR` can be reported as any other.
END_OF_LAST_YEAR = date(MAX_YEAR + 1, 1, 1)


def check_day(value: date | None, name: str, *, end: bool = False) -> None:
    """A day within the platform's years; an `end` (not included) may also be the first day
    after them."""
    if value is None or (end and value == END_OF_LAST_YEAR):
        return
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Invalid(f"`{name}` must be in the years {MIN_YEAR}–{MAX_YEAR}", field=name,
                      code="date_type")


def month_range(from_: date | None, to: date | None) -> tuple[date | None, date | None]:
    """Whole months from the month of `from` up to, not including, the month of `to`."""
    check_day(from_, "from")
    check_day(to, "to", end=True)
    start = date(from_.year, from_.month, 1) if from_ else None
    end = date(to.year, to.month, 1) if to else None
    if start and end and end <= start:
        # `to`'s month is not included: the same month as `from`'s is no month at all. The
        # days asked are told, so the words can say which: an end before the start, or in
        # its month.
        assert from_ is not None and to is not None
        raise Invalid("`to` must be in a later month than `from`", field="to",
                      code="to_not_after_from", from_day=from_.isoformat(),
                      to_day=to.isoformat(), before=to < from_)
    return start, end


def months_between(start: date, end: date) -> list[date]:
    months = []
    month = start
    while month < end:
        months.append(month)
        month = next_month(month)
    return months


#: Utilisation is computed day by day from opening hours: at most this many months at once.
MAX_UTILISATION_MONTHS = 24


def utilisation_months(from_: date, to: date | None) -> list[date]:
    """The months of a utilisation query: from `from`'s month up to `to`'s (default: one)."""
    start, end = month_range(from_, to)
    assert start is not None
    end = end or next_month(start)
    if (end.year - start.year) * 12 + end.month - start.month > MAX_UTILISATION_MONTHS:
        raise Invalid(f"at most {MAX_UTILISATION_MONTHS} months at a time", field="to",
                      code="too_many_months", high=MAX_UTILISATION_MONTHS)
    return months_between(start, end)


def check_year(year: int) -> tuple[date, date]:
    """A reporting year as its months [1 January, next 1 January)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"year must be between {MIN_YEAR} and {MAX_YEAR}", field="year",
                      code="greater_than_equal", ge=MIN_YEAR, le=MAX_YEAR)
    return date(year, 1, 1), date(year + 1, 1, 1)


def year_of(moment: datetime) -> int:
    """The calendar year in the city at `moment`."""
    return moment.astimezone(HELSINKI).year


def closable_months(months: Iterable[date], now: datetime, close_after_days: int) -> list[date]:
    """The months that ended at least `close_after_days` before `now` (Helsinki dates):
    attendance is usually reported within a week of the activity."""
    today = now.astimezone(HELSINKI).date()
    cutoff = date.fromordinal(today.toordinal() - close_after_days)
    return sorted(m for m in set(months) if next_month(m) <= cutoff)


def fingerprint(values: Any) -> str:
    """A stable digest of what a closed period published, to see whether it changed."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


# --- text ------------------------------------------------------------------------------------


def check_text(value: str, name: str, *, max_length: int) -> str:
    """Text PostgreSQL can store, of a bounded length; `Invalid` names the field."""
    if "\x00" in value:
        raise Invalid("must not contain NUL characters", field=name, code="string_unicode")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("must be valid Unicode text (no lone surrogates)", field=name,
                      code="string_unicode") from None
    if len(value) > max_length:
        raise Invalid(f"at most {max_length} characters", field=name,
                      code="string_too_long", max_length=max_length)
    return value


# --- areas and populations ------------------------------------------------------------------

AREA_GROUPS = ("city", "rural_north", "rural_south")
MAX_POPULATION = 10_000_000
#: Populations are statistics of a year; the city's own go back a long way.
MIN_POPULATION_YEAR, MAX_POPULATION_YEAR = 1900, MAX_YEAR
#: An area code: `kuopio.nilsia`.
MAX_AREA_CODE = 100
#: A population CSV: the city has a few dozen areas; more rows than this is not a population.
MAX_CSV_ROWS = 10_000
MAX_CSV_BYTES = 1_000_000


@dataclass(frozen=True)
class Area:
    code: str
    name: dict[str, str]
    area_group: str
    population: int | None
    population_year: int | None
    population_is_sample: bool


@dataclass(frozen=True)
class Population:
    area: str
    population: int
    year: int
    sample: bool = False


def check_population(row: Population, this_year: int, where: str = "") -> Population:
    """Raise `Invalid` naming the field (and `where`, a CSV line) when a value is off. A
    year after `this_year` is refused (`future_population_year`): populations are
    published for years that have begun, and a forecast would divide a period's figures as
    if it had been counted."""
    prefix = f"{where}: " if where else ""
    check_text(row.area, "area", max_length=MAX_AREA_CODE)
    if not 0 <= row.population <= MAX_POPULATION:
        raise Invalid(f"{prefix}population must be between 0 and {MAX_POPULATION}",
                      field="population" if not where else "csv", code="population_range",
                      high=MAX_POPULATION, where=where)
    if not MIN_POPULATION_YEAR <= row.year <= MAX_POPULATION_YEAR:
        raise Invalid(f"{prefix}year must be between {MIN_POPULATION_YEAR} and "
                      f"{MAX_POPULATION_YEAR}", field="year" if not where else "csv",
                      code="population_year_range", low=MIN_POPULATION_YEAR,
                      high=MAX_POPULATION_YEAR, where=where)
    if row.year > this_year:
        raise Invalid(f"{prefix}a population is of a year that has begun: at most "
                      f"{this_year}, not {row.year}", field="year" if not where else "csv",
                      code="future_population_year", latest_year=this_year)
    return row


_TRUE = ("1", "true", "yes")
_FALSE = ("", "0", "false", "no")


def parse_populations_csv(body: bytes, this_year: int) -> list[Population]:
    """`area,population,year[,sample]` rows, none of a year after `this_year`;
    `Invalid(field="csv")` names the line of the first problem, so a malformed file is
    refused whole."""
    if len(body) > MAX_CSV_BYTES:
        raise Invalid(f"the CSV may be at most {MAX_CSV_BYTES} bytes", field="csv",
                      code="csv_too_large", high=MAX_CSV_BYTES)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the CSV must be UTF-8 text", field="csv", code="csv_not_utf8") from None
    if "\x00" in text:
        raise Invalid("the CSV must not contain NUL characters", field="csv", code="csv_nul")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if not {"area", "population", "year"} <= set(header) or len(set(header)) != len(header):
            raise Invalid("the CSV needs the columns area, population and year (and "
                          "optionally sample), each once", field="csv", code="csv_header")
        column = {name: i for i, name in enumerate(header)}
        rows: list[Population] = []
        seen: set[tuple[str, int]] = set()  # an area has one population a year
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(rows) >= MAX_CSV_ROWS:
                raise Invalid(f"at most {MAX_CSV_ROWS} rows", field="csv", code="csv_rows",
                              high=MAX_CSV_ROWS)
            if len(record) != len(header):
                raise Invalid(f"line {line}: {len(record)} fields, the header has "
                              f"{len(header)}", field="csv", code="csv_fields", line=line,
                              given=len(record), expected=len(header))
            area = record[column["area"]].strip()
            if not area:
                raise Invalid(f"line {line}: the area is empty", field="csv",
                              code="csv_area_empty", line=line)
            try:
                population = int(record[column["population"]].strip())
                year = int(record[column["year"]].strip())
            except ValueError:
                raise Invalid(f"line {line}: population and year must be whole numbers",
                              field="csv", code="csv_numbers", line=line) from None
            flag = record[column["sample"]].strip().lower() if "sample" in column else ""
            if flag not in _TRUE + _FALSE:
                raise Invalid(f"line {line}: sample must be true or false", field="csv",
                              code="csv_sample", line=line)
            if len(area) > MAX_AREA_CODE:
                raise Invalid(f"line {line}: unknown area", field="csv",
                              code="csv_unknown_area", line=line, value=area[:60])
            if (area, year) in seen:
                raise Invalid(f"line {line}: {area} appears twice for {year}", field="csv",
                              code="csv_twice", line=line, value=area[:60], year=year)
            seen.add((area, year))
            rows.append(check_population(Population(area, population, year, flag in _TRUE),
                                         this_year, where=f"line {line}"))
    except csv.Error as exc:
        raise Invalid(f"line {reader.line_num}: not readable as CSV ({exc})",
                      field="csv", code="csv_unreadable", line=reader.line_num) from None
    return rows


# --- indicators per area -----------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    name: dict[str, str]
    unit: str
    formula: str
    sources: tuple[str, ...]
    per_thousand: bool = True

    @property
    def unit_text(self) -> dict[str, str]:
        """The unit in words, fi/sv/en: "tuntia", "timmar", "hours"."""
        return UNIT_TEXT[self.unit]

    @property
    def formula_text(self) -> dict[str, str]:
        """The definition, fi/sv/en; English is `formula`, the definition of record."""
        return {**_FORMULA_TEXT[self.code], "en": self.formula}


_EVENTS = ("fi.kohtaamo.event.published.v1", "fi.kohtaamo.event.updated.v1",
           "fi.kohtaamo.event.postponed.v1", "fi.kohtaamo.event.rescheduled.v1",
           "fi.kohtaamo.event.cancelled.v1")
_ATTENDANCE = ("fi.kohtaamo.attendance.reported.v1",)

#: The indicators, defined once: what each measures, how, and from which events. The API,
#: the CSV export, the dashboard, the yearly report and the closed periods all read these.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("published_events", {"fi": "Julkaistut tapahtumat", "sv": "Publicerade evenemang",
              "en": "Published events"}, "events",
              "activity events whose latest revision is published (not postponed or cancelled)",
              _EVENTS),
    Indicator("cancelled_events", {"fi": "Perutut tapahtumat", "sv": "Inställda evenemang",
              "en": "Cancelled events"}, "events", "activity events whose latest revision is "
              "cancelled", _EVENTS),
    Indicator("held_events", {"fi": "Toteutuneet tapahtumat", "sv": "Genomförda evenemang",
              "en": "Held events"}, "events",
              "published activity events with an attendance report", _EVENTS + _ATTENDANCE),
    Indicator("planned_hours", {"fi": "Suunnitellut toimintatunnit", "sv": "Planerade timmar",
              "en": "Planned activity hours"}, "hours",
              "sum of the hours of published activity events (end − start within a day; 8 "
              "hours for each day of a whole-day one, at most 8 a day of one over several "
              "days)", _EVENTS),
    Indicator("realised_hours", {"fi": "Toteutuneet toimintatunnit",
              "sv": "Genomförda verksamhetstimmar", "en": "Realised activity hours"}, "hours",
              "sum of the hours of held activity events, counted as planned hours are",
              _EVENTS + _ATTENDANCE),
    Indicator("participants", {"fi": "Osallistujat", "sv": "Deltagare", "en": "Participants"},
              "people", "sum of the latest reported participants of held events",
              _EVENTS + _ATTENDANCE),
    Indicator("visitors", {"fi": "Kävijät", "sv": "Besökare", "en": "Visitors"}, "people",
              "sum of the latest reported visitors of held events", _EVENTS + _ATTENDANCE),
    Indicator("organisers", {"fi": "Toiminnan järjestäjät", "sv": "Arrangörer",
              "en": "Organisers"}, "organisers",
              "distinct pseudonymous organisers with a published event in the period", _EVENTS),
    Indicator("deliveries", {"fi": "Tavoittavuus (julkaisut kanavissa)",
              "sv": "Räckvidd (publiceringar i kanaler)", "en": "Reach (channel deliveries)"},
              "deliveries", "activity events reaching a notice board, a social media "
              "account or a follower's email: once per board or account (not a cancellation "
              "notice), each digest mail, in the activity's month",
              ("fi.kohtaamo.notification.delivered.v1",)),
    Indicator("satisfaction_mean", {"fi": "Asiakastyytyväisyys", "sv": "Kundnöjdhet",
              "en": "Customer satisfaction"}, "1–5",
              "mean of the feedback survey's satisfaction answers", ("feedback survey",),
              per_thousand=False),
    Indicator("wellbeing_share", {"fi": "Hyvinvointia lisännyt", "sv": "Ökat välbefinnande",
              "en": "Improved wellbeing"}, "share",
              "share of feedback answers saying the activity improved their wellbeing",
              ("feedback survey",), per_thousand=False),
)
BY_CODE = {i.code: i for i in INDICATORS}

#: Each indicator's unit in words, fi/sv/en (`Indicator.unit_text`).
UNIT_TEXT: dict[str, dict[str, str]] = {
    "events": {"fi": "tapahtumaa", "sv": "evenemang", "en": "events"},
    "hours": {"fi": "tuntia", "sv": "timmar", "en": "hours"},
    "people": {"fi": "henkilöä", "sv": "personer", "en": "people"},
    "organisers": {"fi": "järjestäjää", "sv": "arrangörer", "en": "organisers"},
    "deliveries": {"fi": "julkaisua", "sv": "publiceringar", "en": "deliveries"},
    "1–5": {"fi": "asteikko 1–5", "sv": "skala 1–5", "en": "scale 1–5"},
    "share": {"fi": "osuus", "sv": "andel", "en": "share"},
}
#: Each indicator's definition in Finnish and Swedish; the English one is `Indicator.formula`,
#: the definition of record (`Indicator.formula_text`).
_FORMULA_TEXT: dict[str, dict[str, str]] = {
    "published_events": {
        "fi": "toimintatapahtumat, joiden viimeisin versio on julkaistu (ei siirretty eikä "
              "peruttu)",
        "sv": "evenemang vars senaste version är publicerad (inte uppskjuten eller inställd)"},
    "cancelled_events": {"fi": "toimintatapahtumat, joiden viimeisin versio on peruttu",
                         "sv": "evenemang vars senaste version är inställd"},
    "held_events": {"fi": "julkaistut toimintatapahtumat, joista on ilmoitettu osallistujat",
                    "sv": "publicerade evenemang med en deltagarrapport"},
    "planned_hours": {"fi": "julkaistujen tapahtumien tuntien summa (loppu − alku päivän "
                            "sisällä; koko päivän tapahtumasta 8 tuntia päivältä, monen päivän "
                            "tapahtumasta enintään 8 tuntia päivältä)",
                      "sv": "summan av publicerade evenemangs timmar (slut − start inom en "
                            "dag; 8 timmar per dag för ett heldagsevenemang, högst 8 timmar "
                            "per dag för ett evenemang över flera dagar)"},
    "realised_hours": {"fi": "toteutuneiden tapahtumien tuntien summa, laskettuna kuten "
                             "suunnitellut tunnit",
                       "sv": "summan av genomförda evenemangs timmar, räknade som de "
                             "planerade timmarna"},
    "participants": {"fi": "toteutuneista tapahtumista viimeksi ilmoitettujen osallistujien "
                           "summa",
                     "sv": "summan av senast rapporterade deltagare i genomförda evenemang"},
    "visitors": {"fi": "toteutuneista tapahtumista viimeksi ilmoitettujen kävijöiden summa",
                 "sv": "summan av senast rapporterade besökare i genomförda evenemang"},
    "organisers": {"fi": "eri järjestäjät (pseudonyymeinä), joilla on julkaistu tapahtuma "
                         "jaksolla",
                   "sv": "olika arrangörer (pseudonymt) med ett publicerat evenemang under "
                         "perioden"},
    "deliveries": {"fi": "tapahtumat ilmoitustauluilla, somessa ja seuraajien "
                         "sähköpostissa: kerran kutakin taulua tai tiliä kohden (ei "
                         "peruutusilmoitusta), joka koosteviesti, toiminnan kuukaudelle",
                   "sv": "evenemang på anslagstavlor, i sociala medier och i följares "
                         "e-post: en gång per tavla eller konto (inte ett meddelande om "
                         "inställt), varje sammandrag, i verksamhetens månad"},
    "satisfaction_mean": {"fi": "palautekyselyn tyytyväisyysvastausten keskiarvo",
                          "sv": "medelvärdet av responsenkätens nöjdhetssvar"},
    "wellbeing_share": {"fi": "osuus palautteista, joiden mukaan toiminta lisäsi hyvinvointia",
                        "sv": "andelen svar enligt vilka verksamheten ökade välbefinnandet"},
}


@dataclass(frozen=True)
class SummaryQuery:
    area: str | None = None
    group: str | None = None
    from_: date | None = None
    to: date | None = None
    kind: str | None = None
    venue_id: UUID | None = None
    topic: str | None = None


def check_summary_query(query: SummaryQuery) -> tuple[date | None, date | None]:
    """The query's months, or `Invalid` naming the field that is off."""
    if query.area is not None:
        check_text(query.area, "area", max_length=MAX_AREA_CODE)
    if query.group is not None and query.group not in AREA_GROUPS:
        raise Invalid(f"group must be one of {', '.join(AREA_GROUPS)}", field="group",
                      code="literal_error", expected=expected(AREA_GROUPS))
    if query.kind is not None:
        check_text(query.kind, "kind", max_length=100)
    if query.topic is not None:
        check_text(query.topic, "topic", max_length=100)
        if not query.topic or not all(c.isascii() and (c.isalnum() or c == "_")
                                      and not c.isupper() for c in query.topic):
            raise Invalid("a topic is a code of a-z, 0-9 and _", field="topic",
                          code="string_pattern_mismatch")
        if query.kind is not None or query.venue_id is not None:
            raise Invalid("filter by topic, or by kind and venue, not both", field="topic",
                          code="topic_with_kind_or_venue")
    return month_range(query.from_, query.to)


#: What the pre-aggregates count per area only, not per kind or venue: with either filter
#: these are not given (None, or an empty breakdown) rather than the whole area's.
NOT_BY_KIND_OR_VENUE = ("organisers", "deliveries", "topics", "audiences", "reach")


#: What is counted per area and not per theme: with a topic these are not given either. (The
#: organisers and the survey's answers stay the area's, as the answer says.)
NOT_BY_TOPIC = ("deliveries", "topics", "audiences", "reach")


def unavailable_figures(query: SummaryQuery) -> tuple[str, ...]:
    """The figures the query's filter cannot be applied to (left out of the answer): a
    theme's reach was the whole area's."""
    if query.kind is not None or query.venue_id is not None:
        return NOT_BY_KIND_OR_VENUE
    return NOT_BY_TOPIC if query.topic is not None else ()


def population_years(end: date | None, now: datetime) -> tuple[int, int]:
    """The period's year, whose population the per-resident figures of the months up to
    `end` should be divided by, and the latest year a population may be taken from. The
    period's year is its last month's (a year's figures use that year's population), or
    this year for a range without an end (it runs until now). The latest is that year but
    never after this one: a population stored for a later year is a forecast, not a count,
    so a period ahead is divided by this year's (flagged as of an earlier year)."""
    this_year = year_of(now)
    year = this_year if end is None else (end - timedelta(days=1)).year
    return year, min(year, this_year)


@dataclass(frozen=True)
class SummaryRow:
    """One area's sums over a range of months, as the pre-aggregated tables give them."""

    area: str
    area_group: str | None
    population: int | None
    population_year: int | None
    sample: bool
    published_events: int = 0
    cancelled_events: int = 0
    held_events: int = 0
    planned_hours: Decimal = Decimal(0)
    realised_hours: Decimal = Decimal(0)
    participants: int = 0
    visitors: int = 0
    #: None: not counted under the query's filter (`NOT_BY_KIND_OR_VENUE`).
    organisers: int | None = 0
    answers: int = 0
    scores: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    wellbeing_yes: int = 0


@dataclass(frozen=True)
class AreaIndicators:
    area: str
    area_group: str | None
    population: int | None
    population_year: int | None
    population_is_sample: bool
    #: The period's own year has no population yet: the latest earlier year's is used.
    population_of_earlier_year: bool
    values: dict[str, int | float | None]
    per_1000: dict[str, float | None]
    satisfaction_distribution: list[int]
    answers: int
    topics: dict[str, int]
    audiences: dict[str, int]
    reach: dict[str, int]


#: The whole city in totals (its areas are `kuopio.*`).
MUNICIPALITY = "kuopio"


@dataclass(frozen=True)
class Total(AreaIndicators):
    """The figures of several areas together: an area group's (`area` is the group's code)
    or the whole city's (`area` is `MUNICIPALITY`)."""

    scope: str = "area_group"  # area_group | municipality
    #: The areas summed.
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    from_month: date | None
    to_month: date | None
    kind: str | None
    venue_id: UUID | None
    areas: list[AreaIndicators]
    #: Figures the filter cannot be applied to, so not given (`unavailable_figures`).
    unavailable: tuple[str, ...] = ()
    #: Each area group's figures, then the whole city's (`totals`).
    totals: list[Total] = field(default_factory=list)
    #: The theme the figures are of (None: every activity's), echoed as `kind` is.
    topic: str | None = None


Breakdown = Mapping[str, Mapping[str, int]]


def area_indicators(row: SummaryRow, topics: Breakdown, audiences: Breakdown,
                    reach: Breakdown, *, population_year: int | None = None,
                    unavailable: Iterable[str] = ()) -> AreaIndicators:
    """Every indicator of one area, and per 1,000 residents where that makes sense; the
    figures named `unavailable` are None. `population_year`: the year the period's
    population should be of (None: the latest)."""
    area_reach = dict(reach.get(row.area, {}))
    values: dict[str, int | float | None] = {
        "published_events": row.published_events, "cancelled_events": row.cancelled_events,
        "held_events": row.held_events, "planned_hours": float(row.planned_hours),
        "realised_hours": float(row.realised_hours), "participants": row.participants,
        "visitors": row.visitors, "organisers": row.organisers,
        "satisfaction_mean": mean_satisfaction(row.scores),
        "wellbeing_share": ratio(row.wellbeing_yes, row.answers, 3) if row.answers else None,
        "deliveries": sum(area_reach.values()),
    }
    for code in unavailable:
        if code in values:
            values[code] = None
    per_1000 = {i.code: per_thousand(values[i.code], row.population)
                for i in INDICATORS if i.per_thousand}
    earlier = (population_year is not None and row.population_year is not None
               and row.population_year < population_year)
    return AreaIndicators(
        area=row.area, area_group=row.area_group, population=row.population,
        population_year=row.population_year, population_is_sample=row.sample,
        population_of_earlier_year=earlier, values=values,
        per_1000=per_1000, satisfaction_distribution=list(row.scores), answers=row.answers,
        topics=dict(topics.get(row.area, {})), audiences=dict(audiences.get(row.area, {})),
        reach=area_reach)


def _summed(key: str, group: str | None, rows: Sequence[SummaryRow],
            organisers: int | None) -> SummaryRow:
    """The rows as one: counts and hours summed, the satisfaction answers pooled, the
    organisers as counted across the areas. The population is the sum of the city's areas'
    (an area outside the city's list has activity but no residents of its own), known only
    when each of them has one: a part of the residents is no denominator for all the
    activity; it is a sample if any part is, of the oldest year used."""
    residents = [r for r in rows if r.area_group is not None]
    known = bool(residents) and all(r.population is not None for r in residents)
    return SummaryRow(
        area=key, area_group=group,
        population=sum(r.population or 0 for r in residents) if known else None,
        population_year=(min(r.population_year or 0 for r in residents) or None) if known
        else None,
        sample=known and any(r.sample for r in residents),
        published_events=sum(r.published_events for r in rows),
        cancelled_events=sum(r.cancelled_events for r in rows),
        held_events=sum(r.held_events for r in rows),
        planned_hours=sum((r.planned_hours for r in rows), Decimal(0)),
        realised_hours=sum((r.realised_hours for r in rows), Decimal(0)),
        participants=sum(r.participants for r in rows), visitors=sum(r.visitors for r in rows),
        organisers=organisers, answers=sum(r.answers for r in rows),
        scores=tuple(sum(r.scores[i] for r in rows) for i in range(5)),  # type: ignore[arg-type]
        wellbeing_yes=sum(r.wellbeing_yes for r in rows))


def _pooled(breakdown: Breakdown, areas: Iterable[str]) -> dict[str, int]:
    pooled: dict[str, int] = {}
    for area in areas:
        for code, n in breakdown.get(area, {}).items():
            pooled[code] = pooled.get(code, 0) + n
    return pooled


def totals(rows: Sequence[SummaryRow], organisers: Mapping[str, int], topics: Breakdown,
           audiences: Breakdown, reach: Breakdown, *, whole_city: bool,
           population_year: int | None = None, unavailable: Iterable[str] = ()) -> list[Total]:
    """Each area group's figures and, when `rows` are all the city's (`whole_city`), the
    city's (seed 001: the work is organised in three groups and reported yearly for the
    whole city). Counts and hours are sums; per 1,000 residents is of the summed
    population; organisers are the distinct ones across the areas (`organisers`: per group
    code and `MUNICIPALITY`; one organiser in two areas is one); satisfaction and wellbeing
    are of all the answers, not a mean of the areas' means."""
    parts = [(g, "area_group", [r for r in rows if r.area_group == g]) for g in AREA_GROUPS]
    if whole_city:
        parts.append((MUNICIPALITY, "municipality", list(rows)))
    unavailable = tuple(unavailable)
    out = []
    for key, scope, members in parts:
        if not members:
            continue
        counted = None if any(r.organisers is None for r in members) else organisers.get(key, 0)
        codes = [r.area for r in members]
        summed = area_indicators(
            _summed(key, key if scope == "area_group" else None, members, counted),
            {key: _pooled(topics, codes)}, {key: _pooled(audiences, codes)},
            {key: _pooled(reach, codes)}, population_year=population_year,
            unavailable=unavailable)
        out.append(Total(**{f.name: getattr(summed, f.name) for f in fields(summed)},
                         scope=scope, areas=tuple(codes)))
    return out


@dataclass(frozen=True)
class ClosedPeriod:
    """A month published as closed: its last revision and fingerprint, and the population
    of each area it was first divided by (None: none known then)."""

    revision: int
    fingerprint: str
    populations: dict[str, int | None]


def denominators(areas: Iterable[AreaIndicators]) -> dict[str, int | None]:
    return {a.area: a.population for a in areas}


def with_denominators(areas: list[AreaIndicators],
                      kept: Mapping[str, int | None]) -> list[AreaIndicators]:
    """The areas divided by the populations a closed month was first published with (an
    area it did not list then takes today's): a population set later, for any year, does
    not change a month already published."""
    out = []
    for a in areas:
        if a.area in kept and kept[a.area] != a.population:
            population = kept[a.area]
            a = replace(a, population=population, per_1000={
                code: per_thousand(a.values[code], population) for code in a.per_1000})
        out.append(a)
    return out


@dataclass(frozen=True)
class MonthTotals:
    """The whole city in one month."""

    month: date
    published_events: int
    held_events: int
    realised_hours: Decimal
    participants: int
    visitors: int


@dataclass(frozen=True)
class YearReport:
    year: int
    summary: Summary
    months: list[MonthTotals]


@dataclass(frozen=True)
class Dashboard:
    """The dashboard of a filter: the summary the API gives for it, its months, and what
    the page's form offers (the areas with their names, the venues, the kinds and topics
    counted, with the vocabulary's words for them)."""

    #: The filter as asked, its range filled in (a year's, when none was given).
    query: SummaryQuery
    summary: Summary
    months: list[MonthTotals]
    areas: list[Area]
    venues: list[VenueChoice]
    #: The kinds and topics the form offers (`offered_terms`), by code.
    kinds: list[str]
    topics: list[str] = field(default_factory=list)
    #: The vocabulary's words as the events service told them: scheme → code → term.
    terms: Mapping[str, Mapping[str, VocabularyTerm]] = field(default_factory=dict)

    def words(self, scheme: str, code: str, lang: str) -> str:
        """A kind's or topic's words in `lang` (`term_words`), retired or not."""
        term = self.terms.get(scheme, {}).get(code)
        return term_words(term.label if term else None, code, lang)

    @property
    def venue_elsewhere(self) -> VenueChoice | None:
        """The venue the filter asks for, when it is not in the area the filter also asks
        for: its figures are those of the activity at the venue whose own area is that area
        (an activity's area may differ from its venue's), so the filter is taken, not
        refused, but its figures are most likely empty and the page says why. None when
        the venue is in the area, or either is not asked. A venue only counted at (never
        told by the events service) is in each area it was counted in."""
        venue, area = self.query.venue_id, self.query.area
        if venue is None or area is None:
            return None
        choices = [v for v in self.venues if v.venue_id == venue]
        if not choices or any(v.area == area for v in choices):
            return None
        return choices[0]

    @property
    def year(self) -> int | None:
        """The calendar year the range is, if it is exactly one."""
        start, end = self.query.from_, self.query.to
        if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 1, 1) \
                and end.year == start.year + 1:
            return start.year
        return None


def dashboard_range(year: int | None, from_: date | None, to: date | None,
                    now: datetime) -> tuple[date, date]:
    """The days the dashboard's filter covers (whole months from `from_` up to `to`, as
    the summary takes them): a calendar year (`year`, else this one) unless a range is
    given; one end left blank is the other's calendar year's."""
    if from_ is None and to is None:
        return check_year(year_of(now) if year is None else year)
    if from_ is None:
        assert to is not None
        from_ = date((to - timedelta(days=1)).year, 1, 1)
    if to is None:
        to = date(from_.year + 1, 1, 1)  # `END_OF_LAST_YEAR` for the last year
    return from_, to


# --- consumed events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FactRevision:
    """One revision of an activity event, as its fact is stored."""

    activity_event_id: UUID
    revision: int
    status: str
    area: str | None
    venue_id: UUID | None
    kind: str
    starts_at: datetime
    ends_at: datetime
    booking_id: UUID | None
    organiser_id: UUID | None
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    all_day: bool = False


@dataclass(frozen=True)
class Saved:
    """What a fact's or an attendance report's save saw before it wrote (`before`, with the
    attendance then) and the fact after it (`after`: None when nothing was written, or when
    an attendance report arrived before its activity event)."""

    before: Fact | None
    after: Fact | None


@dataclass(frozen=True)
class Venue:
    venue_id: UUID
    area: str
    kind: str
    revision: int
    spaces: list[dict[str, Any]]
    opening_hours: list[dict[str, Any]]
    exceptions: list[dict[str, Any]]
    #: Its name in fi/sv/en (empty for a venue heard before names were kept).
    name: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VocabularyTerm:
    """A kind, topic or audience of the events service's vocabulary, as it last told it
    (`vocabulary.term_set`): its words in fi/sv/en and whether staff retired it."""

    scheme: str
    code: str
    label: Mapping[str, Any]
    retired: bool = False


def offered_terms(counted: Iterable[str], terms: Mapping[str, VocabularyTerm],
                  chosen: str | None = None) -> list[str]:
    """The codes a filter offers: those with figures counted, none retired (the contract:
    a retired term is no new choice), plus the one `chosen` (a known one: the summary has
    refused any other, `check_term_known`), so an old link's choice stays shown as chosen
    rather than vanishing."""
    offered = {c for c in counted if not (c in terms and terms[c].retired)}
    if chosen is not None:
        offered.add(chosen)
    return sorted(offered)


def check_area_known(code: str, known: Sequence[str] | None, field: str = "area") -> None:
    """`Invalid` (`unknown_area`, with the known codes) for an area filter that is neither
    one of the city's nor counted (`known`: `store.known_areas`, None when it is): its
    figures would be zeros that read as no activity there, as every service refuses it."""
    if known is not None:
        raise Invalid(f"not one of Kuopio's areas: {code[:60]!r}", field=field,
                      code="unknown_area", value=code[:60], known=list(known))


def check_area_in_group(area: str, group: str | None, area_group: str | None) -> None:
    """`Invalid` (`area_outside_group`) for an area filter with an area group it is not in
    (`area_group`: the area's, `store.area_group_of`): no area is both, and the empty figures
    read as no activity in the area. The dashboard's form offers both selects."""
    if group is not None and area_group != group:
        raise Invalid(f"the area {area[:60]!r} is not in the area group {group!r}",
                      field="group", code="area_outside_group", area=area[:60], group=group)


def check_venue_known(venue_id: UUID, known: bool) -> None:
    """`Invalid` (`unknown_venue`) for a venue filter the metrics never heard of nor
    counted at: its figures would be zeros that read as no activity there."""
    if not known:
        raise Invalid(f"no venue of this id is known: {venue_id}", field="venue_id",
                      code="unknown_venue", value=str(venue_id))


def check_term_known(scheme: Literal["kind", "topic"], code: str, known: bool) -> None:
    """`Invalid` (`unknown_kind`, `unknown_topic`) for a kind or topic filter no one told
    or counted (`known`: `store.term_is_known`): its figures would be zeros that read as no
    activity, not as a mistyped code."""
    if not known:
        raise Invalid(f"no such {scheme}: the events service's vocabulary has not told it "
                      "and no activity was counted for it", field=scheme,
                      code=f"unknown_{scheme}")


@dataclass(frozen=True)
class VenueChoice:
    """A venue as the dashboard's filter offers it: its name and area."""

    venue_id: UUID
    area: str
    name: dict[str, Any]


@dataclass(frozen=True)
class BookedSpan:
    """Where and when a booking holds a space: what its booked hours are counted from."""
    space_id: UUID
    venue_id: UUID
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class BookingChange:
    """What one booking event changes: the booking's status and span to keep (None: nothing
    changes), and the spans whose hours to add (+1) or take away (-1)."""
    status: str | None = None
    span: BookedSpan | None = None
    counted: tuple[tuple[BookedSpan, int], ...] = ()


def booking_change(stored: tuple[str, BookedSpan] | None, kind: str,
                   span: BookedSpan) -> BookingChange:
    """A booking event (`kind`: confirmed, moved or released) against what is kept of the
    booking. Confirmed adds the hours once. A move takes the kept span's hours away and adds
    the new span's: a later release then takes away the hours that were counted, in the
    month they were counted in. A release (cancelled, rejected, no-show) is final, so a late
    `confirmed` or move does not undo it. Only a confirmed booking moves, so a move of one
    never seen confirmed counts its new span. A booking's events come in order (keyed by the
    booking, one partition), so the last move seen is the booking's time."""
    status, kept = stored if stored is not None else (None, None)
    if status == "released" or (kind == "confirmed" and status is not None):
        return BookingChange()
    if kind == "released":
        if status == "confirmed" and kept is not None:
            return BookingChange("released", kept, ((kept, -1),))
        return BookingChange("released", span)
    if kind == "moved" and status == "confirmed" and kept is not None:
        if kept == span:
            return BookingChange()
        return BookingChange("confirmed", span, ((kept, -1), (span, 1)))
    return BookingChange("confirmed", span, ((span, 1),))


# --- space utilisation (the stored rows) ------------------------------------------------------


@dataclass(frozen=True)
class VenueHours:
    venue_id: UUID
    area: str
    spaces: list[dict[str, Any]]
    opening_hours: list[dict[str, Any]]
    exceptions: list[dict[str, Any]]


@dataclass(frozen=True)
class BookedHours:
    space_id: UUID
    month: date
    booked_hours: Decimal
    bookings: int


@dataclass(frozen=True)
class SpaceUtilisation:
    venue_id: UUID
    area: str
    space_id: UUID
    space: dict[str, str]
    booked_hours: float
    bookings: int
    open_hours: float
    utilisation: float | None


def utilisation_of(venues: Sequence[VenueHours], booked: Sequence[BookedHours],
                   months: Sequence[date]) -> list[SpaceUtilisation]:
    """Booked ÷ open hours of every space of `venues` over `months`."""
    by_space: dict[UUID, list[BookedHours]] = {}
    for b in booked:
        by_space.setdefault(b.space_id, []).append(b)
    result = []
    for v in venues:
        for space in v.spaces:
            sid = str(space["space_id"])
            # A space its rules keep to staffed hours is bookable in those alone (its
            # venue's self-service hours counted made its use read half of what it was).
            staffed_only = space.get("self_service") is False
            open_hours = sum((open_hours_in_month(m, sid, v.opening_hours, v.exceptions,
                                                  staffed_only=staffed_only)
                              for m in months), Decimal(0))
            rows = by_space.get(UUID(sid), [])
            booked_hours = sum((r.booked_hours for r in rows), Decimal(0))
            result.append(SpaceUtilisation(
                venue_id=v.venue_id, area=v.area, space_id=UUID(sid),
                space=dict(space.get("name") or {}), booked_hours=float(booked_hours),
                bookings=sum(r.bookings for r in rows), open_hours=float(open_hours),
                utilisation=utilisation(booked_hours, open_hours)))
    return result


# --- feedback survey ---------------------------------------------------------------------------

WELLBEING = ("yes", "no", "unsure")
AGE_GROUPS = ("under_18", "18_29", "30_64", "65_plus")
MAX_COMMENT = 2000


@dataclass(frozen=True)
class FeedbackPolicy:
    """The key that turns addresses into pseudonyms, and answers one address may send in an
    hour: a ceiling against floods, not the rule of one answer each (that is per browser).
    A library's or a school's Wi-Fi is one address for everyone in it, so the ceiling is
    generous: a full hall answering the same evening stays well below."""

    key: bytes
    hourly_limit: int = 600
    #: The window the ceiling counts over.
    per: timedelta = timedelta(hours=1)
    #: Days after the activity's end that answers are taken (`KOHTAAMO_FEEDBACK_WINDOW_DAYS`).
    window_days: int = 14


@dataclass(frozen=True)
class FeedbackAnswer:
    event_id: UUID
    satisfaction: int
    wellbeing: str
    comment: str = ""
    language: str = "fi"
    age_group: str = ""
    #: Where it came from: the client's address (kept only as a keyed hash) and the browser's
    #: random cookie (kept only as a hash).
    address: str = "unknown"
    browser_token: str = ""


def check_answer(answer: FeedbackAnswer) -> None:
    if not 1 <= answer.satisfaction <= 5:
        raise Invalid("satisfaction is 1–5", field="satisfaction", code="greater_than_equal",
                      ge=1, le=5)
    if answer.wellbeing not in WELLBEING:
        raise Invalid(f"wellbeing is one of {', '.join(WELLBEING)}", field="wellbeing",
                      code="literal_error", expected=expected(WELLBEING))
    check_text(answer.comment, "comment", max_length=MAX_COMMENT)
    if not plain_text(answer.comment):  # shown to analysts and in their CSV as written
        raise Invalid("comment must be plain text: no control or text-direction characters",
                      field="comment", code="text_chars")
    if answer.language not in LANGUAGES:
        raise Invalid(f"language is one of {', '.join(LANGUAGES)}", field="lang",
                      code="literal_error", expected=expected(LANGUAGES))
    if answer.age_group and answer.age_group not in AGE_GROUPS:
        raise Invalid(f"age group is one of {', '.join(AGE_GROUPS)}", field="age_group",
                      code="literal_error", expected=expected(AGE_GROUPS))
    if not answer.browser_token:
        raise Invalid("a browser token is needed", field="browser", code="missing")
    check_text(answer.address, "address", max_length=200)
    check_text(answer.browser_token, "browser", max_length=200)


@dataclass(frozen=True)
class FeedbackRow:
    """One survey answer as analysts read it: the activity, where and when it was, and what
    the resident said; never who (no address, no browser)."""

    activity_event_id: UUID
    name: dict[str, Any]
    area: str
    month: date
    satisfaction: int
    wellbeing: str
    age_group: str | None
    language: str
    comment: str | None
    answered_on: date


#: At most this many answers a page of the analysts' export.
FEEDBACK_PAGE = 1000


@dataclass(frozen=True)
class FeedbackAnswers:
    """A page of the survey's answers and how many answers its filters match in all (the
    analysts' page says which of them it shows)."""

    rows: list[FeedbackRow]
    total: int


def sender_of(policy: FeedbackPolicy, address: str) -> str:
    """The client's network as a keyed hash: enough to rate-limit, not to tell who it was.
    An IPv6 client counts by its /64 (as the notifications' public forms count it), so a
    phone's next address is not a new sender."""
    return hmac.new(policy.key, client_network(address).encode("utf-8", "replace"),
                    hashlib.sha256).hexdigest()[:32]


def browser_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def short_code(event_id: UUID) -> str:
    """Ten hex digits of the event id: short enough for a poster, long enough to be unique."""
    return event_id.hex[:10]


def read_short_code(typed: str) -> str:
    """A short code as a resident gives it: read off a poster and typed in any case, in
    groups ("4EB9 208A 9C" is `4eb9208a9c`), or copied from a sentence with its full stop
    or comma ("…/f/4eb9208a9c."): only its letters and digits count."""
    return "".join(c for c in typed if c.isalnum()).lower()


def is_short_code(code: str) -> bool:
    return len(code) == 10 and all(c in "0123456789abcdef" for c in code)


def short_code_range(code: str) -> tuple[UUID, UUID]:
    """The first and last event id a short code may stand for (ids compare as their
    hex digits do)."""
    rest = 32 - len(code)
    return UUID(code + "0" * rest), UUID(code + "f" * rest)


def feedback_window(fact: Fact, now: datetime, window_days: int) -> str | None:
    """None while answers are taken: from the activity's end until the window closes;
    otherwise "early" (it has not ended) or "closed"."""
    if now < fact.ends_at:
        return "early"
    if now > fact.ends_at + timedelta(days=window_days):
        return "closed"
    return None


def can_take_feedback(fact: Fact | None) -> bool:
    """Any activity the metrics know of, unless it was cancelled."""
    return fact is not None and fact.status != "cancelled"
