"""What the city reports yearly to its welfare report (seed 001): the dashboard, the yearly
report and its PDF, and the indicator exports, with the figures of the whole city and its
three area groups. On the real service and database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from services.metrics.domain import MUNICIPALITY, SummaryRow, totals
from services.metrics.tests.test_handlers import _pdf_text
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPublished,
    AttendanceReported,
    LocalizedText,
)

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


async def _apply(pool: Any, event: Any) -> None:
    handler = (handlers.on_attendance if isinstance(event, AttendanceReported)
               else handlers.on_activity_event)
    async with pool.acquire() as conn, conn.transaction():
        await handler(conn, event, event.to_envelope())


async def _held(pool: Any, area: str, participants: int, *, days: int = 0,
                organiser: Any = None) -> UUID:
    event_id, start = uuid4(), START + timedelta(days=days)
    end = start + timedelta(hours=2)
    await _apply(pool, ActivityEventPublished(
        event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
        area=area, starts_at=start, ends_at=end, organiser_id=organiser))
    await _apply(pool, AttendanceReported(
        event_id=event_id, report_revision=1, participants=participants, visitors=0,
        starts_at=start, ends_at=end, area=area, kind="open_guided"))
    return event_id


async def _cancelled(pool: Any, area: str) -> None:
    event_id = uuid4()
    await _apply(pool, ActivityEventCancelled(
        event_id=event_id, revision=2, name=LocalizedText(fi="Peruttu"), kind="open_guided",
        area=area, starts_at=START, ends_at=START + timedelta(hours=1)))


def _pdf_words(pdf: bytes) -> list[str]:
    """The PDF's lines of text, its octal escapes (ä, å) read."""
    text = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), _pdf_text(pdf))
    return text.split("\n")


@pytest.mark.infra
async def test_the_pdf_has_every_column_the_html_report_has(start_service) -> None:  # type: ignore[no-untyped-def]
    """The PDF printed the definition of cancelled events but left out their column."""
    client = await start_service(spec)
    await _held(client.runtime.pool, "kuopio.nilsia", 12)
    await _cancelled(client.runtime.pool, "kuopio.nilsia")
    for lang, header in (("fi", "Perutut"), ("sv", "Inställda"), ("en", "Cancelled")):
        pdf = (await client.get(f"/report/2026.pdf?lang={lang}")).content
        header_part = _pdf_words(pdf)[:40]
        assert header in header_part, (lang, header_part)


@pytest.mark.infra
async def test_the_last_year_is_reported_and_query_rules_name_the_query(start_service) -> None:  # type: ignore[no-untyped-def]
    """The year 2100 is one the pages take, so it is reported (its end, 1 January 2101, is
    the end of a range, not a day asked for); a rule about a query's parameters names the
    parameter as FastAPI names a query's, never as a body's."""
    client = await start_service(spec)
    for url in ("/dashboard?year=2100", "/report/2100", "/report/2100.pdf",
                "/indicators/summary?from=2100-01-01&to=2101-01-01",
                "/indicators/utilisation?from=2100-12-01&to=2101-01-01"):
        answer = await client.get(url)
        assert answer.status_code == 200, (url, answer.text[:300])
    for url in ("/dashboard?year=2101", "/report/2101", "/report/2101.pdf"):
        answer = await client.get(url, headers={"Accept": "text/html"})
        assert answer.status_code == 422 and 'data-field="year"' in answer.text, url
        assert "Vuosi: " in answer.text, url
        assert 'data-field="to"' not in answer.text
    for url, field in (("/indicators/summary?from=2027-02-01&to=2027-01-01", "to"),
                       ("/indicators/utilisation?from=2026-01-01&to=2029-01-01", "to"),
                       ("/indicators/published-events?from=2027-02-01&to=2027-01-01", "to"),
                       ("/indicators/summary?to=2101-02-01", "to")):
        answer = await client.get(url)
        assert answer.status_code == 422, url
        assert [e["loc"] for e in answer.json()["detail"]] == [["query", field]], answer.text


def _row(area: str, group: str | None, population: int | None, participants: int,
         scores: tuple[int, int, int, int, int], wellbeing_yes: int,
         organisers: int | None = 1) -> SummaryRow:
    return SummaryRow(area=area, area_group=group, population=population,
                      population_year=2025 if population else None, sample=False,
                      published_events=2, held_events=1, realised_hours=Decimal("1.5"),
                      participants=participants, organisers=organisers, answers=sum(scores),
                      scores=scores, wellbeing_yes=wellbeing_yes)


@pytest.mark.unit
def test_group_subtotals_and_the_city_total_are_computed_not_averaged() -> None:
    """Seed 001 reports the whole city yearly, its work organised in three groups of areas:
    counts and hours add up, per 1,000 residents is of the summed population, an organiser
    active in two areas is one, and satisfaction is of all the answers (4.75 here, where a
    mean of the areas' means would say 4.5)."""
    rows = [_row("kuopio.keskusta", "city", 1000, 10, (0, 0, 0, 1, 0), 0, organisers=2),
            _row("kuopio.pyoro", "city", 3000, 30, (0, 0, 0, 0, 3), 3, organisers=2),
            _row("kuopio.nilsia", "rural_north", 2000, 5, (0, 0, 0, 0, 0), 0),
            _row("kuopio.riistavesi", "rural_south", None, 7, (0, 0, 1, 0, 0), 1),
            _row("unknown", None, None, 1, (0, 0, 0, 0, 0), 0, organisers=0)]
    organisers = {"city": 3, "rural_north": 1, "rural_south": 1, MUNICIPALITY: 4}
    reach = {"kuopio.keskusta": {"facebook": 1}, "kuopio.pyoro": {"facebook": 2}}
    found = {t.area: t for t in totals(rows, organisers, {}, {}, reach, whole_city=True,
                                       population_year=2026)}
    assert list(found) == ["city", "rural_north", "rural_south", MUNICIPALITY]
    city = found["city"]
    assert city.scope == "area_group" and city.areas == ("kuopio.keskusta", "kuopio.pyoro")
    assert city.population == 4000 and city.population_of_earlier_year
    assert city.values["participants"] == 40 and city.per_1000["participants"] == 10.0
    assert city.values["realised_hours"] == 3.0 and city.values["organisers"] == 3
    assert city.values["satisfaction_mean"] == 4.75 and city.answers == 4
    assert city.values["wellbeing_share"] == 0.75
    assert city.satisfaction_distribution == [0, 0, 0, 1, 3]
    assert city.reach == {"facebook": 3} and city.values["deliveries"] == 3
    # An area without a population leaves its group's and the city's rates unknown, never
    # divided by part of the residents.
    assert found["rural_south"].population is None
    assert found["rural_south"].per_1000["participants"] is None
    whole = found[MUNICIPALITY]
    assert whole.scope == "municipality" and whole.area_group is None
    assert whole.values["participants"] == 53 and whole.values["organisers"] == 4
    assert whole.population is None and whole.answers == 5
    assert whole.values["satisfaction_mean"] == 4.4  # (4 + 15 + 3) / 5
    # With every area's population, the city's rate is of all its residents; an area outside
    # the city's list adds its activity, not residents.
    rows[3] = _row("kuopio.riistavesi", "rural_south", 1000, 7, (0, 0, 1, 0, 0), 1)
    whole = totals(rows, organisers, {}, {}, {}, whole_city=True)[-1]
    assert whole.population == 7000 and whole.per_1000["participants"] == round(53 / 7, 3)
    # A group asked for: its subtotal only; a filter the organisers are not kept by: null.
    rows = [r for r in rows if r.area_group == "city"]
    assert [t.area for t in totals(rows, organisers, {}, {}, {}, whole_city=False)] == ["city"]
    unfiltered = [_row("kuopio.keskusta", "city", 1000, 1, (0, 0, 0, 0, 0), 0, organisers=None)]
    assert totals(unfiltered, {}, {}, {}, {}, whole_city=True,
                  unavailable=("organisers",))[0].values["organisers"] is None


@pytest.mark.infra
async def test_the_city_and_its_groups_are_reported_everywhere(start_service) -> None:  # type: ignore[no-untyped-def]
    """The JSON (`totals`), both CSVs (rows after the areas), the dashboard, the report and
    its PDF give each area group's subtotal and the city's total; one organiser in two
    areas counts once, on PostgreSQL's rollups as in the domain."""
    from shared.areas import AREAS
    from tests.infra import bearer

    client = await start_service(spec)
    pool, shared_organiser = client.runtime.pool, uuid4()
    await _held(pool, "kuopio.keskusta", 10, organiser=shared_organiser)
    await _held(pool, "kuopio.pyoro", 30, days=40, organiser=shared_organiser)
    await _held(pool, "kuopio.nilsia", 5, organiser=uuid4())
    populations = "".join(f"{code},1000,2026\n" for code in AREAS)
    assert (await client.post("/areas/populations.csv", content="area,population,year\n"
                              + populations, headers=bearer("analyst"))).status_code == 200
    year = {"from": "2026-01-01", "to": "2027-01-01"}
    body = (await client.get("/indicators/summary", params=year)).json()
    assert len(body["areas"]) == 11  # the areas are as they were
    found = {t["area"]: t for t in body["totals"]}
    assert list(found) == ["city", "rural_north", "rural_south", "kuopio"]
    city, whole = found["city"], found["kuopio"]
    assert city["scope"] == "area_group" and len(city["areas"]) == 5
    assert city["population"] == 5000 and city["values"]["participants"] == 40
    assert city["per_1000"]["participants"] == 8.0 and city["values"]["organisers"] == 1
    assert whole["scope"] == "municipality" and whole["population"] == 11000
    assert whole["values"]["organisers"] == 2 and whole["values"]["participants"] == 45
    grouped = (await client.get("/indicators/summary", params={**year, "group": "city"})).json()
    assert [t["area"] for t in grouped["totals"]] == ["city"]
    one = await client.get("/indicators/summary", params={**year, "area": "kuopio.pyoro"})
    assert one.json()["totals"] == []

    machine = (await client.get("/indicators/summary", params={**year, "format": "csv"})
               ).text.splitlines()
    assert machine[0].endswith(",population_of_earlier_year,scope,answers")
    assert [line.split(",")[-2] for line in machine[1:]] == ["area"] * 11 + [
        "area_group"] * 3 + ["municipality"]
    assert machine[-1].startswith("kuopio,,11000,2026,False,")
    excel = (await client.get("/indicators/summary", params={
        **year, "format": "excel", "lang": "fi"})).content.decode("utf-8-sig").splitlines()
    assert excel[-4].startswith("Kaupunkialue yhteensä;kaupunki;5000;")
    assert excel[-1].startswith("Kuopio yhteensä;;11000;") and excel[-1].endswith(
        ";koko kaupunki;0")

    for lang, names in (("fi", ("Kaupunkialue yhteensä", "Kuopio yhteensä")),
                        ("sv", ("Stadsområdet totalt", "Kuopio totalt")),
                        ("en", ("City area total", "Kuopio total"))):
        for page in ("/dashboard?year=2026", "/report/2026"):
            html = (await client.get(page, params={"lang": lang})).text
            for name in names:
                assert f'<th scope="row">{name}</th>' in html, (page, lang, name)
        pdf = _pdf_words((await client.get(f"/report/2026.pdf?lang={lang}")).content)
        assert names[0] in pdf and names[1] in pdf, (lang, pdf[:80])


@pytest.mark.infra
async def test_satisfaction_says_how_many_answered(start_service) -> None:  # type: ignore[no-untyped-def]
    """A mean of three answers is not one of three hundred: the dashboard, the report and
    its PDF show how many answered next to satisfaction and wellbeing, the mean with one
    decimal ("4,0") and the share as a percentage ("33 %"); both CSVs have `answers`."""
    from babel.numbers import format_percent

    from services.metrics import usecases
    from services.metrics.domain import FeedbackAnswer, FeedbackPolicy
    from shared import l10n
    from shared.clock import FixedClock
    from shared.identity import PUBLIC

    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _held(pool, "kuopio.nilsia", 12)
    client.runtime.clock = clock = FixedClock(START + timedelta(hours=3))
    for i, (score, wellbeing) in enumerate(((4, "yes"), (4, "no"), (4, "unsure"))):
        assert await usecases.give_feedback(
            usecases.unit_of_work(pool), clock, PUBLIC, FeedbackAnswer(
                event_id=event_id, satisfaction=score, wellbeing=wellbeing,
                browser_token=f"browser-{i}"), FeedbackPolicy(key=b"k"))
    for lang, mean, answers in (("fi", "4,0", "3 vastausta"), ("sv", "4,0", "3 svar"),
                                ("en", "4.0", "3 answers")):
        share = format_percent(1 / 3, locale=l10n.locale(lang))  # "33 %", "33%"
        for page in ("/dashboard?year=2026", "/report/2026"):
            html = (await client.get(page, params={"lang": lang})).text
            nilsia = html[html.index('<th scope="row">Nilsiä</th>'):]
            nilsia = nilsia[:nilsia.index("</tr>")]
            assert f"<td>{mean}\n<br><span class=\"muted\">{answers}</span>" in nilsia, nilsia
            assert f"<td>{share}\n<br><span class=\"muted\">{answers}</span>" in nilsia
            # The share is no bare fraction (a rate per 1,000 residents may be 0,333).
            assert "<td>0,333" not in nilsia and "<td>0.333" not in nilsia
        pdf = _pdf_words((await client.get(f"/report/2026.pdf?lang={lang}")).content)
        assert mean in pdf and share.replace("\xa0", " ") in pdf and answers in pdf, pdf
    machine = (await client.get("/indicators/summary", params={"format": "csv"})).text
    header, *rows = [line.split(",") for line in machine.splitlines()]
    assert header[-1] == "answers"
    nilsia_row = next(r for r in rows if r[0] == "kuopio.nilsia")
    assert nilsia_row[-1] == "3"
    excel = (await client.get("/indicators/summary", params={
        "format": "excel", "lang": "fi"})).content.decode("utf-8-sig").splitlines()
    assert excel[0].endswith(";Palautekyselyn vastauksia")
    assert next(r for r in excel if r.startswith("Nilsiä;")).endswith(";3")
