"""A rate per 1,000 residents says one figure everywhere: the page, its chart and the PDF
wrote it with two decimals (176,29) while the API and both CSVs gave three (176.286). Three
decimals now, by one rule (`domain.PER_THOUSAND_DIGITS`): on the page as the reader's
language writes a number (Babel), in the CSVs with the export's own decimal sign."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import charts, handlers, report
from services.metrics.app import spec
from services.metrics.domain import INDICATORS, SummaryRow, area_indicators
from shared import l10n
from shared.contracts import ActivityEventPublished, AttendanceReported, LocalizedText

PER = {"fi": "/ 1 000 as.", "sv": "/ 1 000 inv.", "en": "per 1,000"}


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.unit
def test_the_page_writes_a_rate_with_the_exports_three_decimals() -> None:
    row = SummaryRow(area="kuopio.jynkka", area_group="city", population=7000,
                     population_year=2025, sample=False, participants=1234)
    area = area_indicators(row, {}, {}, {})
    assert area.per_1000["participants"] == 176.286  # the API's figure
    participants = next(i for i in INDICATORS if i.code == "participants")
    for lang, shown in (("fi", "176,286"), ("sv", "176,286"), ("en", "176.286")):
        assert [_plain(line) for line in report.cell_lines(area, participants, lang)] == [
            _plain(l10n.number(1234, lang)), f"{shown} {PER[lang]}"]
        sheet = report.spreadsheet_csv(SimpleNamespace(areas=[area], totals=[]),
                                       lang).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(sheet), delimiter="," if lang == "en" else ";"))
        assert rows[1][rows[0].index(f"{participants.name[lang]} {PER[lang]}")] == shown
    # Grouped as the language groups thousands; no decimal made up past the figure's own.
    assert _plain(report.rate_text(1428.571, "fi")) == "1 428,571"
    assert report.rate_text(1428.571, "en") == "1,428.571"
    assert report.rate_text(2.5, "en") == "2.5" and report.rate_text(None, "en") == "–"
    # The chart of the rates writes them by the same rule (it rounded to whole numbers
    # from 100 up, and to two decimals below).
    drawn = charts.bars(["Jynkkä"], [176.286], title="t", lang="fi",
                        number=lambda v: report.rate_text(v, "fi"))
    assert ">176,286<" in drawn


@pytest.mark.infra
async def test_the_dashboard_and_the_csvs_give_the_same_rate(start_service: Any) -> None:
    from tests.infra import bearer

    client = await start_service(spec)
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    event_id = uuid4()
    for event in (
            ActivityEventPublished(event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"),
                                   kind="open_guided", area="kuopio.jynkka", starts_at=start,
                                   ends_at=start + timedelta(hours=2)),
            AttendanceReported(event_id=event_id, report_revision=1, participants=1234,
                               visitors=0, starts_at=start, ends_at=start + timedelta(hours=2),
                               area="kuopio.jynkka", kind="open_guided")):
        handler = (handlers.on_attendance if isinstance(event, AttendanceReported)
                   else handlers.on_activity_event)
        async with client.runtime.pool.acquire() as conn, conn.transaction():
            await handler(conn, event, event.to_envelope())
    assert (await client.put("/areas/kuopio.jynkka/population", headers=bearer("analyst"),
                             json={"population": 7000, "year": 2026})).status_code == 200
    year = {"from": "2026-01-01", "to": "2027-01-01"}
    machine = list(csv.DictReader(io.StringIO((await client.get(
        "/indicators/summary", params={**year, "format": "csv"})).text)))
    jynkka = next(r for r in machine if r["area"] == "kuopio.jynkka")
    assert jynkka["participants_per_1000"] == "176.286"  # a plain dot decimal
    for lang, shown in (("fi", "176,286"), ("sv", "176,286"), ("en", "176.286")):
        page = _plain((await client.get("/dashboard", params={
            "lang": lang, "year": 2026})).text)
        assert f"{shown} {PER[lang]}" in page, lang
        assert f">{shown}<" in page  # the chart of participants per 1,000 residents
        assert "176,29" not in page and "176.29 " not in page
