"""An API tester's findings on `GET /indicators/summary` and the populations, at the HTTP
level: a summary without `to` was divided by the newest population stored even when that was
a forecast for a year to come (Keskusta read `population_year` 2097), and the population
API took any year up to 2100; the answer echoed `kind` and `venue_id` but not `topic`; an
unknown `kind` was answered 200 with zeros; and `area` had no pattern, so a new-line in it
was a 404 "no such area" rather than a 422 naming the parameter."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, LocalizedText, VocabularyTermSet
from tests.axe import serious_violations
from tests.infra import bearer

pytestmark = pytest.mark.infra

#: The clock's year is 2026: 2027 has not begun.
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LANGS = ("fi", "sv", "en")
ANALYST = bearer("analyst", subject="analyytikko")
FUTURE_YEAR = {"fi": "Väkiluku annetaan vuodelle, joka on jo alkanut: anna vuosi 2026",
               "sv": "Folkmängden anges för ett år som redan har börjat: ange året 2026",
               "en": "A population is given for a year that has begun: give the year 2026"}
UNKNOWN_KIND = {"fi": "Tuntematon toiminnan laji: tapahtumakalenterissa ei ole tällaista lajia",
                "sv": "Okänd typ av verksamhet: evenemangskalendern har ingen sådan typ",
                "en": "Unknown kind of activity: the event calendar has no such kind"}


async def _metrics(start_service: Any) -> Any:
    client = await start_service(spec)
    client.runtime.clock = FixedClock(NOW)
    start = NOW - timedelta(days=20)
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Kävely"), starts_at=start,
        ends_at=start + timedelta(hours=2), area="kuopio.keskusta", kind="open_guided",
        topics=["nature"])
    async with client.runtime.pool.acquire() as conn, conn.transaction():
        await handlers.on_activity_event(conn, event, event.to_envelope())
    return client


async def test_a_population_of_a_year_to_come_is_refused_and_never_divides(
        start_service: Any) -> None:
    client = await _metrics(start_service)
    url = "/areas/kuopio.keskusta/population"
    assert (await client.put(url, headers=ANALYST,
                             json={"population": 4000, "year": 2026})).status_code == 200
    for lang in LANGS:
        refused = await client.put(url, headers=ANALYST, params={"lang": lang},
                                   json={"population": 227094, "year": 2027})
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["code"] == "future_population_year", body
        assert body["message"].startswith(FUTURE_YEAR[lang]), body["message"]
        assert refused.headers["content-language"] == lang
    csv_body = "area,population,year\nkuopio.keskusta,4100,2025\nkuopio.keskusta,5000,2027\n"
    imported = await client.post("/areas/populations.csv", content=csv_body, headers=ANALYST)
    assert imported.status_code == 422 and imported.json()["code"] == "future_population_year"
    assert "line 3" in str(imported.json()["detail"]), imported.json()
    # Refused whole: 2025's row was not taken either.
    assert await client.runtime.pool.fetchval(
        "SELECT count(*) FROM area_populations WHERE area = 'kuopio.keskusta'"
        " AND year = 2025 AND population = 4100") == 0

    # A forecast stored before the rule (the demo's 2097) divides no period: without `to`
    # the summary runs until now and takes this year's population.
    await client.runtime.pool.execute(
        "INSERT INTO area_populations (area, year, population, is_sample)"
        " VALUES ('kuopio.keskusta', 2097, 227094, false)")
    # Nor is it the area's population in the list of areas, nor in a PUT's answer.
    listed = {a["code"]: a for a in (await client.get("/areas")).json()}["kuopio.keskusta"]
    assert (listed["population"], listed["population_year"]) == (4000, 2026), listed
    put = await client.put(url, headers=ANALYST, json={"population": 4000, "year": 2026})
    assert put.json()["population_year"] == 2026, put.json()

    async def keskusta(**params: str) -> dict[str, Any]:
        answer = await client.get("/indicators/summary",
                                  params={"area": "kuopio.keskusta", **params})
        assert answer.status_code == 200, answer.text
        row: dict[str, Any] = answer.json()["areas"][0]
        return row

    open_ended = await keskusta()
    assert (open_ended["population"], open_ended["population_year"]) == (4000, 2026)
    assert open_ended["per_1000"]["published_events"] == 0.25
    assert open_ended["population_of_earlier_year"] is False
    assert (await keskusta(**{"from": "2026-01-01"}))["population_year"] == 2026
    # A period of a year to come: this year's population, flagged as of an earlier year.
    ahead = await keskusta(**{"from": "2097-01-01", "to": "2098-01-01"})
    assert (ahead["population"], ahead["population_year"],
            ahead["population_of_earlier_year"]) == (4000, 2026, True)
    csv_text = (await client.get("/indicators/summary", params={
        "area": "kuopio.keskusta", "format": "csv"})).text
    assert ",4000,2026," in csv_text.splitlines()[1] and "2097" not in csv_text


async def test_the_summary_echoes_its_topic_and_refuses_an_unknown_kind(
        start_service: Any, chromium: Any) -> None:
    client = await _metrics(start_service)
    year = {"from": "2026-01-01", "to": "2027-01-01"}
    themed = (await client.get("/indicators/summary", params={**year, "topic": "nature"}))
    assert themed.status_code == 200 and themed.json()["topic"] == "nature"
    assert (themed.json()["kind"], themed.json()["venue_id"]) == (None, None)
    every = (await client.get("/indicators/summary", params=year)).json()
    assert every["topic"] is None
    kind = (await client.get("/indicators/summary", params={**year, "kind": "open_guided"}))
    assert (kind.json()["kind"], kind.json()["topic"]) == ("open_guided", None)

    view = await chromium.new_page()
    for lang in LANGS:
        for shape in ("json", "csv", "excel"):
            refused = await client.get("/indicators/summary", params={
                **year, "kind": "nope", "format": shape, "lang": lang})
            assert refused.status_code == 422, (shape, refused.text)
            body = refused.json()
            assert body["code"] == "unknown_kind", body
            assert body["message"].startswith(UNKNOWN_KIND[lang]), body["message"]
            assert body["detail"][0]["loc"] == ["query", "kind"], body
            assert refused.headers["content-language"] == lang
        # The dashboard refuses it alike, as a page saying the rule, the input marked.
        page = await client.get("/dashboard", params={**year, "kind": "nope", "lang": lang},
                                headers={"Accept": "text/html"})
        assert page.status_code == 422, page.text[:300]
        said = re.search(r"<main><h1>[^<]*</h1><p>([^<]*)</p>", page.text)
        assert said and unescape(said.group(1)).startswith(UNKNOWN_KIND[lang]), page.text
        assert 'data-field="kind"' in page.text
        await view.set_content(page.text)
        assert await serious_violations(view) == [], lang

    # A kind the vocabulary told (retired too) with nothing counted: its zeros.
    told = VocabularyTermSet(scheme="kind", code="digital_help", revision=1, retired=True,
                             label=LocalizedText(fi="Digituki", sv="Digistöd",
                                                 en="Digital help"))
    async with client.runtime.pool.acquire() as conn, conn.transaction():
        await handlers.on_vocabulary_term(conn, told, told.to_envelope())
    zeros = await client.get("/indicators/summary", params={**year, "kind": "digital_help"})
    assert zeros.status_code == 200, zeros.text
    assert all(a["values"]["published_events"] == 0 for a in zeros.json()["areas"])


@pytest.mark.parametrize("area", ["kuopio.keskusta\n", "Kuopio", "kuopio keskusta"])
async def test_the_summarys_area_is_refused_by_its_pattern(start_service: Any,
                                                           area: str) -> None:
    client = await _metrics(start_service)
    for lang in LANGS:
        refused = await client.get("/indicators/summary", params={"area": area, "lang": lang})
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["detail"][0]["loc"] == ["query", "area"], body
        assert refused.headers["content-language"] == lang
    # A well-formed code no one knows is an area to mend, with the known ones.
    unknown = await client.get("/indicators/summary", params={"area": "no.such.area"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_area"), unknown.text
    pattern = next(p["schema"] for p in (await client.get("/openapi.json")).json()["paths"][
        "/indicators/summary"]["get"]["parameters"] if p["name"] == "area")
    assert pattern["anyOf"][0]["pattern"] == "^[a-z0-9_.-]+$", pattern
