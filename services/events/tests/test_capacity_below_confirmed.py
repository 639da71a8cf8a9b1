"""An activity's places cannot go below the seats its sign-up has confirmed (a tester's
finding: PATCH capacity 2 with 3 confirmed gave "Bekräftade: 3 / 2" and nobody was told).
Events refuses it by the sign-up settings' rule and words, from its read model of
notifications' `registration.counts` (migration 017): the API with a 422 naming `capacity`
and the number confirmed, the organiser's edit page next to the field, in fi/sv/en. The
events service in this process, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.events import domain, usecases
from services.events.app import spec
from shared.clock import SYSTEM_CLOCK
from shared.contracts import RegistrationCounts
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="paikkatesti", name="Paikkatesti")
START = (datetime.now(UTC) + timedelta(days=6)).replace(second=0, microsecond=0)
SAID = {"fi": "Paikkoja ei voi olla vähemmän kuin vahvistettuja paikkoja, joita on jo 3.",
        "sv": "Platserna kan inte vara färre än de redan bekräftade platserna, som är 3.",
        "en": "There cannot be fewer places than the seats already confirmed (3)."}


@pytest.mark.unit
def test_the_places_are_no_fewer_than_the_confirmed_seats() -> None:
    [refused] = domain.capacity_refusals(2, {"confirmed_seats": 3})
    assert (refused.field, refused.details["code"], refused.details["confirmed"]) == (
        "capacity", "capacity_below_confirmed", 3)
    assert domain.capacity_refusals(3, {"confirmed_seats": 3}) == []
    assert domain.capacity_refusals(1, None) == []  # nobody counted: nobody confirmed


async def _with_three_confirmed(client: Any) -> str:
    created = await client.post("/events", headers=ORGANISER, json={
        "name": {"fi": "Kävely"}, "place_kind": "outdoors", "place_name": {"fi": "Puisto"},
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat(),
        "registration_required": True, "capacity": 10})
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    assert await usecases.record_registration_counts(
        usecases.unit_of_work(client.runtime.pool), SYSTEM_CLOCK, RegistrationCounts(
            activity_event_id=UUID(event_id), sequence=1, capacity=10, confirmed_seats=3,
            waiting_seats=0, starts_at=START))
    return str(event_id)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_api_and_the_page_refuse_fewer_places(start_service: Any, lang: str) -> None:
    client = await start_service(spec)
    event_id = await _with_three_confirmed(client)
    refused = await client.patch(f"/events/{event_id}",
                                 headers={**ORGANISER, "Accept-Language": lang},
                                 json={"capacity": 2})
    assert refused.status_code == 422, refused.text
    said = refused.json()
    assert (said["code"], said["detail"][0]["loc"], said["confirmed"]) == (
        "capacity_below_confirmed", ["body", "capacity"], 3), said
    assert said["message"] == SAID[lang]
    page = f"/my/activities/{event_id}?lang={lang}"
    sent = await client.post(page, headers=ORGANISER, data={
        "name.fi": "Kävely", "kind": "open_guided", "place_kind": "outdoors",
        "place_name.fi": "Puisto", "languages": ["fi"], "registration_required": "1",
        "capacity": "2"})
    assert sent.status_code == 422
    assert f'<p class="field-error" id="e-capacity">{SAID[lang]}</p>' in sent.text
    assert 'aria-describedby="e-capacity"' in sent.text
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()["capacity"] == 10
    # As many places as confirmed seats, or more, are taken.
    fine = await client.patch(f"/events/{event_id}", headers=ORGANISER, json={"capacity": 3})
    assert (fine.status_code, fine.json()["capacity"]) == (200, 3)
