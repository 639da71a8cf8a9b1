"""Every answer that gives an activity gives its places as GET does (a tester's finding: the
answers to PATCH and to a move said `places_left: null` where GET and the list said 0): the
sign-up's places and the free ones, from events' kept `registration.counts`. The events
service in this process, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.events import usecases
from services.events.app import spec
from shared.clock import SYSTEM_CLOCK
from shared.contracts import RegistrationCounts
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="paikat", name="Paikat")
COMMS = bearer("communications", subject="viestinta")
START = (datetime.now(UTC) + timedelta(days=6)).replace(second=0, microsecond=0)


def _places(answer: Any) -> tuple[Any, Any]:
    assert answer.status_code in (200, 201), answer.text
    body = answer.json()
    return body["places"], body["places_left"]


async def test_edit_move_and_cancel_answer_the_places_as_get_does(start_service: Any) -> None:
    client = await start_service(spec)
    made = await client.post("/events", headers=ORGANISER, json={
        "name": {"fi": "Kävely"}, "place_kind": "outdoors", "place_name": {"fi": "Puisto"},
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat(),
        "registration_required": True, "capacity": 4})
    assert _places(made) == (4, 4)  # nobody counted yet: every place free
    event_id = made.json()["id"]
    assert _places(await client.post(f"/events/{event_id}/publish", headers=COMMS)) == (4, 4)
    assert await usecases.record_registration_counts(
        usecases.unit_of_work(client.runtime.pool), SYSTEM_CLOCK, RegistrationCounts(
            activity_event_id=UUID(event_id), sequence=1, capacity=2, confirmed_seats=2,
            waiting_seats=1, starts_at=START))
    got = _places(await client.get(f"/events/{event_id}"))
    assert got == (2, 0)
    assert _places(await client.patch(f"/events/{event_id}", headers=ORGANISER,
                                      json={"capacity": 5})) == got
    later = START + timedelta(days=1)
    assert _places(await client.post(f"/events/{event_id}/reschedule", headers=ORGANISER,
                                     json={"starts_at": later.isoformat(),
                                           "ends_at": (later + timedelta(hours=1)).isoformat()}
                                     )) == got
    assert _places(await client.post(f"/events/{event_id}/postpone", headers=ORGANISER,
                                     json={"reason": "Sade"})) == got
    assert _places(await client.post(f"/events/{event_id}/cancel", headers=ORGANISER,
                                     json={"reason": "Sade"})) == got
    assert _places(await client.get(f"/events/{event_id}")) == got
