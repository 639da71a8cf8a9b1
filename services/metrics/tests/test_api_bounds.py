"""Every request field and query parameter of the metrics API is bounded: odd input (NUL,
lone surrogates, years 1 and 9999, integers past int32 and int64, null, the wrong JSON type,
a malformed CSV) is a 4xx naming the field, never a 5xx. On the real service and database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, LocalizedText
from tests.infra import bearer

pytestmark = pytest.mark.infra

BIG = str(2**70)
#: (method, url, keyword arguments, the field the answer must name, or None)
CASES: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("GET", "/indicators/summary?from=0001-01-01", {}, "from"),
    ("GET", "/indicators/summary?from=9999-12-01", {}, "from"),
    ("GET", "/indicators/summary?from=99999-01-01", {}, "from"),
    ("GET", "/indicators/summary?to=0001-01-01", {}, "to"),
    ("GET", "/indicators/summary?from=2027-02-01&to=2027-01-01", {}, "to"),
    ("GET", "/indicators/summary?area=kuopio.%00", {}, "area"),
    ("GET", "/indicators/summary?area=%ED%A0%80", {}, None),
    ("GET", "/indicators/summary?area=" + "x" * 101, {}, "area"),
    ("GET", "/indicators/summary?group=suburbs", {}, "group"),
    ("GET", "/indicators/summary?kind=%00", {}, "kind"),
    ("GET", "/indicators/summary?venue_id=" + BIG, {}, "venue_id"),
    ("GET", "/indicators/summary?topic=Music%00", {}, "topic"),
    ("GET", "/indicators/summary?topic=music&kind=open_guided", {}, "topic"),
    ("GET", "/indicators/summary?format=xml", {}, "format"),
    ("GET", "/indicators/published-events?from=0001-01-01", {}, "from"),
    ("GET", "/indicators/published-events?area=%00", {}, "area"),
    ("GET", "/indicators/utilisation", {}, "from"),
    ("GET", "/indicators/utilisation?from=0001-01-01", {}, "from"),
    ("GET", "/indicators/utilisation?from=2026-01-01&to=9999-01-01", {}, "to"),
    ("GET", "/indicators/utilisation?from=2026-01-01&to=2029-01-01", {}, "to"),
    ("GET", "/indicators/utilisation?from=2026-01-01&area=%00", {}, "area"),
    ("GET", "/areas/kuopio.%00/summary", {}, "area"),
    ("GET", "/areas/" + "x" * 200 + "/summary", {}, "area"),
    ("GET", "/dashboard?year=1", {}, "year"),
    ("GET", "/dashboard?year=99999", {}, "year"),
    ("GET", "/dashboard?year=" + BIG, {}, "year"),
    ("GET", "/dashboard?year=abc", {}, "year"),
    ("GET", "/dashboard?lang=de", {}, "lang"),
    ("GET", "/report/1", {}, "year"),
    ("GET", "/report/99999", {}, "year"),
    ("GET", "/report/" + BIG, {}, "year"),
    ("GET", "/report/1.pdf", {}, "year"),
    ("GET", "/report/99999.pdf", {}, "year"),
    ("GET", "/report/2026?lang=xx", {}, "lang"),
    ("GET", "/feedback/not-a-uuid", {}, "event_id"),
    ("GET", "/f/" + "f" * 100, {}, None),
    ("GET", "/f/%00", {}, None),
]
ANALYST = bearer("analyst", subject="analyytikko")
POPULATION = "/areas/kuopio.nilsia/population"
BODIES: list[tuple[Any, str | None]] = [
    ({"population": None, "year": 2025}, "population"),
    ({"population": 2**31, "year": 2025}, "population"),
    ({"population": 2**63, "year": 2025}, "population"),
    ({"population": 2**70, "year": 2025}, "population"),
    ({"population": -1, "year": 2025}, "population"),
    ({"population": 1.5, "year": 2025}, "population"),
    ({"population": 1, "year": 1}, "year"),
    ({"population": 1, "year": 9999}, "year"),
    ({"population": 1, "year": None}, "year"),
    ({"population": 1, "year": 2025, "sample": None}, "sample"),
    ({"population": 1, "year": 2025, "extra": 1}, "extra"),
    ([{"population": 1, "year": 2025}], None),
    ("6000", None),
    (None, None),
]
CSVS: list[bytes] = [
    b"area,population\nkuopio.nilsia,1\n",
    b"area,population,year\nkuopio.nilsia,lots,2025\n",
    b"area,population,year\nkuopio.nilsia," + BIG.encode() + b",2025\n",
    b"area,population,year\nkuopio.nilsia,1,1\n",
    b"area,population,year\nkuopio.nilsia,1,99999\n",
    b"area,population,year\nkuopio.nil\x00sia,1,2025\n",
    b"area,population,year\nkuopio.nilsi\xe4,1,2025\n",
    b"area,population,year\nkuopio.\xed\xa0\x80,1,2025\n",
    b"area,population,year\n\"kuopio.nilsia,1,2025\n",
    b"area,population,year\nkuopio.nilsia,1,2025,x\n",
    b"area,population,year\nkuopio.nilsia,1\n",
    b"\x00\x01\x02",
    b"[1, 2, 3]",
]


async def test_every_parameter_and_field_is_bounded(start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(spec)
    event_id = uuid4()
    start = datetime(2026, 12, 3, 15, tzinfo=UTC)
    event = ActivityEventPublished(event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"),
                                   kind="open_guided", area="kuopio.nilsia", starts_at=start,
                                   ends_at=start + timedelta(hours=2))
    async with client.runtime.pool.acquire() as conn, conn.transaction():
        await handlers.on_activity_event(conn, event, event.to_envelope())
    failures = []

    def check(what: str, status: int, body: Any, field: str | None,
              allowed: tuple[int, ...] = (422,)) -> None:
        # A page names the input by its label, its name in `data-field` further down.
        if status not in allowed:
            failures.append(f"{what}: {status} {str(body)[:300]}")
        elif field is not None and status == 422 and field not in str(body):
            failures.append(f"{what}: 422 without naming {field}: {str(body)[:300]}")

    for method, url, kwargs, field in CASES:
        response = await client.request(method, url, **kwargs)
        check(f"{method} {url[:80]}", response.status_code, response.text, field,
              (404, 422) if field is None else (422,))
    for body, field in BODIES:
        response = await client.put(POPULATION, json=body, headers=ANALYST)
        check(f"PUT {body!r}"[:80], response.status_code, response.text[:300], field)
    for url in ("/areas/kuopio.%00/population", "/areas/" + "x" * 200 + "/population"):
        response = await client.put(url, json={"population": 1, "year": 2025}, headers=ANALYST)
        check(f"PUT {url[:60]}", response.status_code, response.text[:300], "area")
    for csv_body in CSVS:
        response = await client.post("/areas/populations.csv", content=csv_body,
                                      headers=ANALYST)
        check(f"CSV {csv_body[:60]!r}", response.status_code, response.text[:300], "csv")
    feedback = f"/feedback/{event_id}"
    client.runtime.clock = FixedClock(start + timedelta(hours=3))  # answers after the end
    for form, field in (({"satisfaction": "5", "wellbeing": "yes", "comment": "a\x00b"},
                         "comment"),
                        ({"satisfaction": "5", "wellbeing": "yes", "comment": "x" * 2001},
                         "comment"),
                        ({"satisfaction": BIG, "wellbeing": "yes"}, "satisfaction"),
                        ({"satisfaction": "5", "wellbeing": "maybe"}, "wellbeing"),
                        ({"satisfaction": "5", "wellbeing": "yes", "age_group": "old"},
                         "age_group"),
                        ({"wellbeing": "yes"}, "satisfaction")):
        response = await client.post(feedback, data=form)
        # The form comes back filled in, the refused field marked (`id="comment-error"`).
        check(f"POST feedback {form}"[:80], response.status_code, response.text, field)
    # A browser sending back a cookie that no answer set: a new one is given, no error.
    client.cookies.set("kohtaamo_feedback", "!" * 500)
    response = await client.post(feedback, data={"satisfaction": "4", "wellbeing": "no"})
    check("POST feedback, odd cookie", response.status_code, response.text[:200], None, (201,))
    client.cookies.clear()
    # And the good requests still answer.
    assert (await client.get("/report/2026")).status_code == 200
    assert (await client.get("/dashboard", params={"year": 2026})).status_code == 200
    assert (await client.put(POPULATION, json={"population": 6000, "year": 2025},
                             headers=ANALYST)).status_code == 200
    assert failures == []
