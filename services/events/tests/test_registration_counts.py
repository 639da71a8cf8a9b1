"""The places residents read are the sign-up's: its settings (the notifications service's
`/registrations/{id}/settings`) may change an activity's places, which the event page, its
schema.org `maximumAttendeeCapacity` and the API kept as the activity's own figure. Events
keeps the newest `registration.counts` (newest `sequence` wins) and shows the places, and
where sign-up is in use the free ones ("Vapaita paikkoja 3 / 12"), from it when heard, else
from the activity's own capacity."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.events import domain, usecases
from services.events.app import spec
from services.events.tests.test_usecases import COMMS as COMMS_PRINCIPAL
from services.events.tests.test_usecases import NOW, World
from services.events.tests.test_usecases import world as world  # the fixture
from shared.contracts import NOTIFICATIONS_TOPIC, RegistrationCounts
from tests.infra import bearer, eventually, produce

SOON = (datetime.now(UTC) + timedelta(days=4)).replace(microsecond=0)
COMMS = bearer("communications", subject="viestinta")


def counts(event_id: UUID, sequence: int, capacity: int | None, confirmed: int,
           waiting: int = 0, starts_at: datetime = NOW) -> RegistrationCounts:
    return RegistrationCounts(activity_event_id=event_id, sequence=sequence,
                              capacity=capacity, confirmed_seats=confirmed,
                              waiting_seats=waiting, starts_at=starts_at)


@pytest.mark.unit
def test_the_sign_ups_places_go_before_the_activitys_own() -> None:
    signing_up = {"capacity": 20, "registration_required": True}
    assert domain.places(signing_up, None) == domain.Places(20, 20)  # nobody counted yet
    assert domain.places(signing_up, {"capacity": 12, "confirmed_seats": 9}) == \
        domain.Places(12, 3)
    # More confirmed than the places left after the settings lowered them: none free.
    assert domain.places(signing_up, {"capacity": 5, "confirmed_seats": 9}) == \
        domain.Places(5, 0)
    # No limit in the sign-up's settings: no places to say, nor free ones.
    assert domain.places(signing_up, {"capacity": None, "confirmed_seats": 9}) == \
        domain.Places(None)
    # Without sign-up no free places are counted; no figure at all says nothing.
    assert domain.places({"capacity": 30, "registration_required": False}, None) == \
        domain.Places(30)
    assert domain.places({"capacity": None, "registration_required": True}, None) == \
        domain.Places(None)


@pytest.mark.unit
async def test_the_newest_sequence_wins_and_the_api_reads_it(world: World) -> None:
    row = await world.create(COMMS_PRINCIPAL, registration_required=True, capacity=20)
    event_id = UUID(str(row["id"]))
    uow = world.uow
    assert await usecases.record_registration_counts(uow(), world.clock,
                                                     counts(event_id, 2, 12, 9))
    # Older or the same again (late, or heard twice): the newer stays.
    assert not await usecases.record_registration_counts(uow(), world.clock,
                                                         counts(event_id, 1, 40, 0))
    assert not await usecases.record_registration_counts(uow(), world.clock,
                                                         counts(event_id, 2, 40, 0))
    read = await usecases.get_event(uow(), COMMS_PRINCIPAL, event_id)
    assert (read["capacity"], read["places"], read["places_left"]) == (20, 12, 3)
    [listed], _ = await usecases.find_events(uow(), COMMS_PRINCIPAL, {}, 10, 0)
    assert (listed["places"], listed["places_left"]) == (12, 3)
    # Another activity with no counts heard: its own figure, all free.
    other = await world.create(COMMS_PRINCIPAL, registration_required=True, capacity=8)
    read = await usecases.get_event(uow(), COMMS_PRINCIPAL, UUID(str(other["id"])))
    assert (read["places"], read["places_left"]) == (8, 8)


async def _kept(cache: Any, client: Any, path: str) -> bool:
    await client.get(path)
    hits = cache.hits
    await client.get(path)
    return bool(cache.hits == hits + 1)


def _json_ld(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, html
    document: dict[str, Any] = json.loads(found.group(1))
    return document


@pytest.mark.infra
async def test_counts_from_the_bus_show_on_the_page_and_the_api(
        start_service: Any, infra: Any, topic_prefix: str) -> None:
    client = await start_service(spec)
    cache = client.runtime.read_cache
    made = await client.post("/events", headers=COMMS, json={
        "name": {"fi": "Kirjoituspaja"}, "kind": "open_guided", "place_kind": "outdoors",
        "place_name": {"fi": "Väinölänniemi"}, "area": "kuopio.keskusta",
        "registration_required": True, "capacity": 20, "starts_at": SOON.isoformat(),
        "ends_at": (SOON + timedelta(hours=2)).isoformat()})
    assert made.status_code == 201, made.text
    event_id = UUID(made.json()["id"])
    published = await client.post(f"/events/{event_id}/publish", headers=COMMS)
    assert published.json()["status"] == "published", published.text

    # Before any count: the activity's own figure, every place free.
    page = await client.get(f"/events/{event_id}/page?lang=fi")
    assert "<dt>Vapaita paikkoja</dt><dd>20 / 20</dd>" in page.text
    assert _json_ld(page.text)["maximumAttendeeCapacity"] == 20
    read = (await client.get(f"/events/{event_id}")).json()
    assert (read["capacity"], read["places"], read["places_left"]) == (20, 20, 20)
    if cache is not None:  # kept in memory now: only the counts' commit makes it forget
        await eventually(lambda: _kept(cache, client, f"/events/{event_id}/page?lang=fi"))

    # The settings lowered the places to 12 and 9 have signed up; a late older count
    # (sequence 1) comes after it and changes nothing.
    topic = f"{topic_prefix}{NOTIFICATIONS_TOPIC}"
    await produce(infra.kafka_bootstrap, topic, [
        counts(event_id, 2, 12, 9, 1, SOON), counts(event_id, 1, 20, 4, 0, SOON)])

    async def shown() -> Any:
        answer = await client.get(f"/events/{event_id}/page?lang=fi")
        return answer if "<dd>3 / 12</dd>" in answer.text else None

    page = await eventually(shown, timeout=60)
    assert "<dt>Vapaita paikkoja</dt><dd>3 / 12</dd>" in page.text
    document = _json_ld(page.text)
    assert (document["maximumAttendeeCapacity"], document["remainingAttendeeCapacity"]) == (
        12, 3)
    for lang, said in (("sv", "<dt>Lediga platser</dt><dd>3 / 12</dd>"),
                       ("en", "<dt>Free places</dt><dd>3 / 12</dd>")):
        assert said in (await client.get(f"/events/{event_id}/page?lang={lang}")).text
    read = (await client.get(f"/events/{event_id}")).json()
    assert (read["capacity"], read["places"], read["places_left"]) == (20, 12, 3)
    listed = (await client.get("/events", params={"area": "kuopio.keskusta"})).json()
    assert [(i["places"], i["places_left"]) for i in listed["items"]] == [(12, 3)]

    # Heard once each, older ones kept out: a second delivery changes nothing either.
    await produce(infra.kafka_bootstrap, topic, [counts(event_id, 1, 20, 4, 0, SOON)])
    pool = client.runtime.pool

    async def applied() -> bool:
        return bool(await pool.fetchval(
            "SELECT count(*) FROM inbox WHERE event_type = $1",
            "fi.kohtaamo.registration.counts.v1") >= 3)

    await eventually(applied, timeout=60)
    assert await pool.fetchrow(
        "SELECT sequence, capacity, confirmed_seats, waiting_seats FROM registration_counts"
        " WHERE activity_event_id = $1", event_id) == (2, 12, 9, 1)
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0
