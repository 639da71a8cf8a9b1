"""The dashboard's filters (tester 2, #9): a GET form of area, area group, year or months,
venue and kind, labelled in fi/sv/en, whose figures are the API's for the same filter; the
chosen values stay in the form and in the downloads; an unknown area or venue is a 422 page
naming it. In Chromium with axe-core, as the dashboard's other browser tests."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from services.metrics.domain import INDICATORS
from shared.contracts import (
    ActivityEventPublished,
    AttendanceReported,
    LocalizedText,
    VenueRegistered,
)
from tests.axe import serious_violations
from tests.infra import bearer

pytestmark = pytest.mark.infra

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
LIBRARY = uuid4()
#: The table's column of participants: the population's, then the indicators'.
PARTICIPANTS = 1 + [i.code for i in INDICATORS].index("participants")
LABELS = {"fi": ("Alue", "Alueryhmä", "Vuosi", "Toimipaikka", "Toiminnan laji", "Näytä"),
          "sv": ("Område", "Områdesgrupp", "År", "Verksamhetsställe", "Typ av verksamhet",
                 "Visa"),
          "en": ("Area", "Area group", "Year", "Venue", "Kind of activity", "Show")}


async def _apply(pool: Any, event: Any) -> None:
    handler = (handlers.on_attendance if isinstance(event, AttendanceReported)
               else handlers.on_venue if isinstance(event, VenueRegistered)
               else handlers.on_activity_event)
    async with pool.acquire() as conn, conn.transaction():
        await handler(conn, event, event.to_envelope())


async def _activity(pool: Any, area: str, participants: int, *, kind: str = "open_guided",
                    venue: Any = None, at: datetime = START) -> None:
    event_id = uuid4()
    common: dict[str, Any] = {"starts_at": at, "ends_at": at + timedelta(hours=2),
                              "area": area, "kind": kind}
    await _apply(pool, ActivityEventPublished(event_id=event_id, revision=1,
                                              name=LocalizedText(fi="Kuoro"),
                                              venue_id=venue, **common))
    await _apply(pool, AttendanceReported(event_id=event_id, report_revision=1,
                                          participants=participants, visitors=0,
                                          venue_id=venue, **common))


def _cell(page: str, row: str, column: int) -> str:
    """The first line of the `column`th figure of the table's row `row`."""
    found = re.search(rf'<th scope="row">{re.escape(row)}</th>(.*?)</tr>', page, re.S)
    assert found, row
    cells = re.findall(r"<td>\s*([^<\n]*)", found.group(1))
    return cells[column].strip().replace("\xa0", " ").replace("\u202f", " ")


def _selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return chosen.group(1) if chosen else None


async def test_the_dashboard_filters_as_the_api_does(start_service: Any, chromium: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    await _apply(pool, VenueRegistered(
        venue_id=LIBRARY, name=LocalizedText(fi="Neulamäen kirjasto", sv="Neulamäki bibliotek",
                                             en="Neulamäki library"),
        kind="library", area="kuopio.neulamaki", municipality="Kuopio"))
    await _activity(pool, "kuopio.neulamaki", 12, venue=LIBRARY)
    await _activity(pool, "kuopio.neulamaki", 5, kind="digital")
    await _activity(pool, "kuopio.nilsia", 7)
    await _activity(pool, "kuopio.neulamaki", 100, at=START.replace(year=2025))
    assert (await client.put("/areas/kuopio.neulamaki/population", headers=bearer("analyst"),
                             json={"population": 4000, "year": 2026})).status_code == 200

    # One area and year: the figures are the API's for the same filter, not the city's.
    page = (await client.get("/dashboard", params={
        "lang": "fi", "year": 2026, "area": "kuopio.neulamaki"})).text
    api = (await client.get("/indicators/summary", params={
        "area": "kuopio.neulamaki", "from": "2026-01-01", "to": "2027-01-01"})).json()
    assert [a["area"] for a in api["areas"]] == ["kuopio.neulamaki"]
    participants = api["areas"][0]["values"]["participants"]
    assert participants == 17
    assert _cell(page, "Neulamäki", PARTICIPANTS) == "17"
    assert '<th scope="row">Nilsiä</th>' not in page
    assert '<h2 id="shown">Neulamäki, 2026</h2>' in page
    assert _selected(page, "area") == "kuopio.neulamaki"
    assert '<option value="kuopio.nilsia">Nilsiä</option>' in page  # the areas by name
    assert 'name="year" value="2026"' in page
    links = [html.unescape(h) for h in re.findall(r'href="(/indicators/summary\?[^"]*)"', page)]
    assert len(links) == 2 and all("area=kuopio.neulamaki" in h and "from=2026-01-01" in h
                                   for h in links)
    assert "lang=fi" in links[1] and "format=excel" in links[1]

    # A venue and a kind: the same as the API's again; the venue offered by its name.
    page = (await client.get("/dashboard", params={
        "lang": "sv", "year": 2026, "venue_id": str(LIBRARY), "kind": "open_guided"})).text
    api = (await client.get("/indicators/summary", params={
        "venue_id": str(LIBRARY), "kind": "open_guided", "from": "2026-01-01",
        "to": "2027-01-01"})).json()
    neulamaki = next(a for a in api["areas"] if a["area"] == "kuopio.neulamaki")
    assert neulamaki["values"]["participants"] == 12
    assert _cell(page, "Neulamäki", PARTICIPANTS) == "12"
    assert _selected(page, "venue_id") == str(LIBRARY)
    assert _selected(page, "kind") == "open_guided"
    assert "Neulamäki bibliotek (Neulamäki)" in page
    assert "Neulamäki bibliotek" in re.search(r'<h2 id="shown">([^<]*)</h2>', page).group(1)

    # An area group over months spanning two years: the range kept as asked.
    page = (await client.get("/dashboard", params={
        "lang": "en", "group": "rural_north", "from": "2025-01-01", "to": "2026-06-01"})).text
    assert _selected(page, "group") == "rural_north"
    assert 'name="from" value="2025-01-01"' in page and 'name="to" value="2026-06-01"' in page
    assert '<th scope="row">Nilsiä</th>' in page and '<th scope="row">Neulamäki</th>' not in page
    assert "Rural north, January 2025\u2009–\u2009May 2026" in page

    # An unknown area or venue: a 422 page naming it in the page's language.
    for params, said in (({"area": "kuopio.eiole", "lang": "fi"}, "Alue:"),
                         ({"venue_id": str(uuid4()), "lang": "sv"}, "Verksamhetsställe:"),
                         ({"group": "nowhere", "lang": "en"}, "Area group:")):
        refused = await client.get("/dashboard", params=params,
                                   headers={"Accept": "text/html"})
        assert refused.status_code == 422, params
        assert said in refused.text, refused.text

    # A real form with labels in each language, axe-clean in Chromium.
    view = await chromium.new_page()
    for lang, labels in LABELS.items():
        page = (await client.get("/dashboard", params={
            "lang": lang, "year": 2026, "area": "kuopio.neulamaki"})).text
        await view.set_content(page)
        assert await serious_violations(view) == [], lang
        form = view.locator('form.filters[method="get"]')
        controls = ("select[name=area]", "select[name=group]", "input[name=year]",
                    "select[name=venue_id]", "select[name=kind]")
        for control, label in zip(controls, labels[:5], strict=True):
            named = await form.locator(control).evaluate(
                "e => e.labels.length === 1 ? e.labels[0].firstChild.textContent.trim() : ''")
            assert named == label, (lang, control)
        assert await form.get_by_role("button", name=labels[5]).count() == 1


async def test_the_form_sent_with_every_choice_empty_is_this_years_dashboard(
        start_service: Any) -> None:
    """The form's empty choices arrive as `year=&area=&…`: the year's bounds were applied to
    the empty choice too, a server error, where it means this year. A year outside the
    platform's is the page's own refusal, named by its label."""
    client = await start_service(spec)
    empty = {"lang": "sv", "year": "", "area": "", "group": "", "from": "", "to": "",
             "venue_id": "", "kind": ""}
    page = await client.get("/dashboard", params=empty)
    assert page.status_code == 200, page.text[:300]
    assert '<html lang="sv">' in page.text
    for year in ("1999", "2101", "x"):
        refused = await client.get("/dashboard", params={**empty, "year": year})
        assert refused.status_code == 422, (year, refused.text[:300])
        assert 'data-field="year"' in refused.text and refused.headers[
            "content-type"].startswith("text/html")
        if year != "x":  # the platform's years, as years are written (not "2 000")
            assert "År: ange ett år mellan 2000 och 2100" in refused.text, refused.text
            assert "2 000" not in refused.text and "2\xa0000" not in refused.text
    # The end of the last year is an end the API takes, and so does the page.
    whole = await client.get("/dashboard", params={**empty, "from": "2000-01-01",
                                                   "to": "2101-01-01"})
    assert whole.status_code == 200, whole.text[:300]
    assert 'max="2101-01-01"' in whole.text
    assert (await client.get("/dashboard", params={**empty, "to": "2101-01-02"})
            ).status_code == 422


async def test_a_population_of_zero_reads_as_zero_everywhere(start_service: Any) -> None:
    """Told 0, the API said 0, the Excel 0, but the CSV an empty cell and the dashboard
    "not known": each says the figure it was told (and no rate per 1,000 of it)."""
    client = await start_service(spec)
    assert (await client.put("/areas/kuopio.juankoski/population", headers=bearer("analyst"),
                             json={"population": 0, "year": 2026})).status_code == 200
    period = {"from": "2026-01-01", "to": "2027-01-01", "area": "kuopio.juankoski"}
    [area] = (await client.get("/indicators/summary", params=period)).json()["areas"]
    assert area["population"] == 0 and area["per_1000"]["participants"] is None
    csv_text = (await client.get("/indicators/summary", params={**period, "format": "csv"})
                ).text
    [row] = [line for line in csv_text.splitlines() if line.startswith("kuopio.juankoski,")]
    assert row.split(",")[2] == "0", row
    page = (await client.get("/dashboard", params={"lang": "fi", "year": 2026,
                                                  "area": "kuopio.juankoski"})).text
    found = re.search(r'<th scope="row">Juankoski</th>\s*<td>\s*([^<\n]*)', page)
    assert found and found.group(1).strip() == "0", page
