"""What the city reports yearly to its welfare report (seed 001): the dashboard, the yearly
report and its PDF, and the indicator exports, with the figures of the whole city and its
three area groups. On the real service and database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from services.metrics.tests.test_handlers import _pdf_text
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPublished,
    AttendanceReported,
    LocalizedText,
)

pytestmark = pytest.mark.infra

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


async def _apply(pool: Any, event: Any) -> None:
    handler = (handlers.on_attendance if isinstance(event, AttendanceReported)
               else handlers.on_activity_event)
    async with pool.acquire() as conn, conn.transaction():
        await handler(conn, event, event.to_envelope())


async def _held(pool: Any, area: str, participants: int, *, days: int = 0,
                organiser: Any = None) -> None:
    event_id, start = uuid4(), START + timedelta(days=days)
    end = start + timedelta(hours=2)
    await _apply(pool, ActivityEventPublished(
        event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
        area=area, starts_at=start, ends_at=end, organiser_id=organiser))
    await _apply(pool, AttendanceReported(
        event_id=event_id, report_revision=1, participants=participants, visitors=0,
        starts_at=start, ends_at=end, area=area, kind="open_guided"))


async def _cancelled(pool: Any, area: str) -> None:
    event_id = uuid4()
    await _apply(pool, ActivityEventCancelled(
        event_id=event_id, revision=2, name=LocalizedText(fi="Peruttu"), kind="open_guided",
        area=area, starts_at=START, ends_at=START + timedelta(hours=1)))


def _pdf_words(pdf: bytes) -> list[str]:
    """The PDF's lines of text, its octal escapes (ä, å) read."""
    text = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), _pdf_text(pdf))
    return text.split("\n")


async def test_the_pdf_has_every_column_the_html_report_has(start_service) -> None:  # type: ignore[no-untyped-def]
    """The PDF printed the definition of cancelled events but left out their column."""
    client = await start_service(spec)
    await _held(client.runtime.pool, "kuopio.nilsia", 12)
    await _cancelled(client.runtime.pool, "kuopio.nilsia")
    for lang, header in (("fi", "Perutut"), ("sv", "Inställda"), ("en", "Cancelled")):
        pdf = (await client.get(f"/report/2026.pdf?lang={lang}")).content
        header_part = _pdf_words(pdf)[:40]
        assert header in header_part, (lang, header_part)


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
        assert answer.status_code == 422 and "<code>year</code>" in answer.text, url
        assert "<code>to</code>" not in answer.text
    for url, field in (("/indicators/summary?from=2027-02-01&to=2027-01-01", "to"),
                       ("/indicators/utilisation?from=2026-01-01&to=2029-01-01", "to"),
                       ("/indicators/published-events?from=2027-02-01&to=2027-01-01", "to"),
                       ("/indicators/summary?to=2101-02-01", "to")):
        answer = await client.get(url)
        assert answer.status_code == 422, url
        assert [e["loc"] for e in answer.json()["detail"]] == [["query", field]], answer.text
