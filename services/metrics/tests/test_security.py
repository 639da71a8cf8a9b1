"""Issue #13 in the metrics service: the feedback form's Origin check, its rate limit read
through the trusted-proxy rule, links from the configured public URL (never the Host header),
CSV cells that cannot become formulas, and the security headers of its pages."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest

from services.metrics import feedback, handlers
from services.metrics.app import spec
from shared.contracts import ActivityEventPublished, LocalizedText
from shared.db import create_pool

pytestmark = pytest.mark.infra

#: Ended yesterday: feedback is taken from the end until its window closes.
START = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
FORM = {"satisfaction": "4", "wellbeing": "yes"}


async def _activity(pool, area: str = "kuopio.nilsia") -> UUID:  # type: ignore[no-untyped-def]
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
        area=area, organiser_id=uuid4(), starts_at=START, ends_at=START + timedelta(hours=2))
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_activity_event(conn, event, event.to_envelope())
    return event.event_id


async def test_a_foreign_origin_cannot_post_feedback(start_service) -> None:
    client = await start_service(spec)
    event_id = await _activity(client.runtime.pool)
    for header in ({"Origin": "http://127.0.0.1:9999"}, {"Origin": "null"},
                   {"Referer": "https://evil.example/page"}):
        refused = await client.post(f"/feedback/{event_id}?lang=sv", data=FORM, headers=header)
        assert refused.status_code == 403, header
        assert refused.headers["content-type"].startswith("text/html")
        assert "Begäran avvisades" in refused.text  # in the language chosen
    own = client.runtime.settings.public_url
    assert (await client.post(f"/feedback/{event_id}", data=FORM,
                              headers={"Origin": own})).status_code == 201
    async with client.runtime.pool.acquire() as conn:  # only the one from our own page
        assert await conn.fetchval("SELECT count(*) FROM feedback") == 1


async def test_every_html_page_carries_the_security_headers(start_service) -> None:
    client = await start_service(spec)
    event_id = await _activity(client.runtime.pool)
    page = await client.get(f"/feedback/{event_id}")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert (await client.get("/indicators")).headers["x-content-type-options"] == "nosniff"


async def test_links_come_from_the_public_url_not_the_host_header(start_service) -> None:
    client = await start_service(spec, public_url="https://mittarit.kuopio.example")
    event_id = await _activity(client.runtime.pool)
    qr = await client.get(f"/feedback/{event_id}/qr.svg", headers={"Host": "evil.example"})
    assert qr.status_code == 200
    assert "evil.example" not in qr.text
    assert "https://mittarit.kuopio.example/f/" in qr.text


async def test_a_survey_that_cannot_be_answered_leads_to_the_events_calendar(
        start_service, monkeypatch: pytest.MonkeyPatch) -> None:
    """The way on from an unknown survey is the public calendar on the events service: a
    path of its own (`/calendar`) would lead to an address this service does not have."""
    client = await start_service(spec)
    html = {"Accept": "text/html"}
    monkeypatch.delenv("KOHTAAMO_CALENDAR_URL", raising=False)
    monkeypatch.delenv("KOHTAAMO_PUBLIC_EVENTS_URL", raising=False)
    unknown = await client.get(f"/feedback/{uuid4()}?lang=sv", headers=html)
    assert unknown.status_code == 404
    assert 'href="http://127.0.0.1:8002/calendar?lang=sv"' in unknown.text
    assert (await client.get("/calendar", headers=html)).status_code == 404  # none here
    monkeypatch.setenv("KOHTAAMO_PUBLIC_EVENTS_URL", "https://tapahtumat.kuopio.example/")
    odd = await client.get("/feedback/not-an-id?lang=en", headers=html)
    assert odd.status_code == 422
    assert 'href="https://tapahtumat.kuopio.example/calendar?lang=en"' in odd.text
    monkeypatch.setenv("KOHTAAMO_CALENDAR_URL", "https://www.kuopio.example/tapahtumat")
    unknown = await client.get(f"/feedback/{uuid4()}", headers=html)
    assert 'href="https://www.kuopio.example/tapahtumat?lang=fi"' in unknown.text


async def test_the_rate_limit_reads_forwarded_addresses_only_from_trusted_proxies(
    start_service, monkeypatch
) -> None:
    monkeypatch.setattr(feedback, "POLICY", dataclasses.replace(feedback.POLICY,
                                                                 hourly_limit=1))
    # Not trusted (the default): X-Forwarded-For is the client's own claim, ignored.
    client = await start_service(spec)
    first, second = await _activity(client.runtime.pool), await _activity(client.runtime.pool)
    assert (await client.post(f"/feedback/{first}", data=FORM,
                              headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 201
    passed = await client.post(f"/feedback/{second}", data=FORM,
                               headers={"X-Forwarded-For": "198.51.100.2"})
    assert passed.status_code == 429
    # Behind a configured proxy (the test client connects from 127.0.0.1), the forwarded
    # address is the client (proxies in front of proxies too): two residents each answer.
    proxied = await start_service(spec, trusted_proxies="127.0.0.1/32, 10.0.0.0/8")
    first, second = (await _activity(proxied.runtime.pool),
                     await _activity(proxied.runtime.pool))
    for event_id, address in ((first, "198.51.100.1"), (second, "198.51.100.2")):
        answered = await proxied.post(f"/feedback/{event_id}", data=FORM,
                                      headers={"X-Forwarded-For": f"{address}, 10.0.0.1"})
        assert answered.status_code == 201, address
    # ...and a client cannot prepend an address to escape it: the right-most one counts.
    again = await proxied.post(f"/feedback/{second}", data=FORM, headers={
        "X-Forwarded-For": "203.0.113.9, 198.51.100.2"})
    assert again.status_code in (409, 429)


async def test_a_real_process_does_not_believe_forwarded_headers_from_localhost(
    spawn_service, fresh_database
) -> None:
    """uvicorn's own default trusted X-Forwarded-For from 127.0.0.1: anyone on the host could
    pick an address per request and pass the rate limit."""
    dsn = await fresh_database("metrics")
    proc = await spawn_service("metrics", dsn, env={"KOHTAAMO_FEEDBACK_HOURLY_LIMIT": "1"})
    pool = await create_pool(dsn)
    try:
        first, second = await _activity(pool), await _activity(pool)
    finally:
        await pool.close()
    async with httpx.AsyncClient(base_url=proc.url) as http:
        assert (await http.post(f"/feedback/{first}", data=FORM, headers={
            "X-Forwarded-For": "198.51.100.1"})).status_code == 201
        assert (await http.post(f"/feedback/{second}", data=FORM, headers={
            "X-Forwarded-For": "198.51.100.2"})).status_code == 429


async def test_csv_cells_never_start_a_formula(start_service) -> None:
    client = await start_service(spec)
    await _activity(client.runtime.pool, area="=HYPERLINK(\"https://evil.example\")")
    csv_text = (await client.get("/indicators/summary", params={"format": "csv"})).text
    rows = [line for line in csv_text.splitlines() if "HYPERLINK" in line]
    assert rows and all(line.startswith(("'=", "\"'=")) for line in rows), rows
