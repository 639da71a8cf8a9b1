"""An activity dated entirely in the past may be published: a late report of an activity that
happened is legitimate (it then counts in the indicators). It is not refused, but said: the
publish's answer (`note`, `past_activity`) and the organiser's page say, in fi/sv/en, that it
is published as a past activity, and the calendar's upcoming list does not show it (the day
view and a past date, where residents look back, still do)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest

from services.events import domain, schemas, usecases
from services.events.app import spec
from services.events.labels import ORGANISER as SAID
from services.events.tests.test_usecases import COMMS, NOW, ORGANISER, World, fields
from shared.clock import HELSINKI, FixedClock
from shared.contracts import ActivityEventPublished
from tests.infra import bearer

HOUR = timedelta(hours=1)


@pytest.mark.unit
@pytest.mark.parametrize(("status", "ends", "past"), [
    ("published", NOW - HOUR, True), ("published", NOW, True),
    ("awaiting_approval", NOW - HOUR, True), ("published", NOW + HOUR, False),
    # Started but not over: it is happening, not past.
    ("published", NOW + timedelta(minutes=1), False),
    ("draft", NOW - HOUR, False), ("cancelled", NOW - HOUR, False)])
def test_published_as_past_is_published_or_queued_and_over(status: str, ends: datetime,
                                                          past: bool) -> None:
    event = {"status": status, "starts_at": ends - 2 * HOUR, "ends_at": ends}
    assert domain.published_as_past(event, NOW) is past


@pytest.mark.unit
async def test_publishing_a_past_activity_is_not_refused_and_its_answer_says_so() -> None:
    world = World()
    held = NOW - timedelta(days=2)
    late = await world.create(**fields(starts_at=held, ends_at=held + HOUR))
    coming = await world.create()

    # The organiser's own, without a booking: to the approval queue, said as past too.
    queued = await usecases.publish_event(world.uow(), world.clock, ORGANISER, late["id"])
    assert queued["status"] == "awaiting_approval"
    note = schemas.published_out(queued, NOW, "fi").note
    assert note is not None and note.code == "past_activity"
    assert note.message == SAID["fi"]["queued_past"]

    published = await usecases.publish_event(world.uow(), world.clock, COMMS, late["id"])
    assert published["status"] == "published"
    for lang in ("fi", "sv", "en"):
        said = schemas.published_out(published, NOW, lang).model_dump(mode="json")
        assert said["note"] == {"code": "past_activity",
                                "message": SAID[lang]["published_past"]}
        assert said["status"] == "published" and said["id"] == str(late["id"])
    # Told on the bus as any publication: the indicators count it.
    assert [e.event_id for e in world.published
            if isinstance(e, ActivityEventPublished)] == [late["id"]]

    out = await usecases.publish_event(world.uow(), world.clock, COMMS, coming["id"])
    assert schemas.published_out(out, NOW, "sv").note is None


@pytest.mark.infra
async def test_a_past_activity_is_published_said_and_left_out_of_the_upcoming_list(
        start_service: Any) -> None:
    client = await start_service(spec)
    today = datetime.now(HELSINKI).date()
    now = datetime.combine(today, time(14), tzinfo=HELSINKI)
    client.runtime.clock = FixedClock(now)
    comms = bearer("communications", subject="viestinta")
    organiser = bearer("organiser", subject="lukupiiri")
    last_week = today - timedelta(days=7)

    async def made(name: str, starts: datetime, who: dict[str, str]) -> str:
        created = await client.post("/events", headers=who, json={
            "name": {"fi": name}, "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka",
            "starts_at": starts.isoformat(), "ends_at": (starts + HOUR).isoformat()})
        assert created.status_code == 201, created.text
        event_id: str = created.json()["id"]
        return event_id

    morning = await made("Aamulenkki", now.replace(hour=9), comms)
    earlier = await made("Viime viikon lukupiiri",
                         datetime.combine(last_week, time(17), tzinfo=HELSINKI), comms)
    evening = await made("Iltalaulanta", now.replace(hour=18), comms)

    answers = {}
    for event_id, lang in ((morning, "sv"), (earlier, "en"), (evening, "fi")):
        answer = await client.post(f"/events/{event_id}/publish", headers={
            **comms, "Accept-Language": lang})
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "published"
        answers[event_id] = answer.json()
    assert answers[morning]["note"] == {"code": "past_activity",
                                        "message": SAID["sv"]["published_past"]}
    assert answers[earlier]["note"]["message"] == SAID["en"]["published_past"]
    assert answers[evening]["note"] is None

    # Upcoming (today's list, with or without its date): what is over is not coming.
    for query in ("lang=fi", f"lang=fi&date={today.isoformat()}"):
        upcoming = await client.get(f"/calendar?{query}")
        assert upcoming.status_code == 200
        assert "Iltalaulanta" in upcoming.text, query
        assert "Aamulenkki" not in upcoming.text and "Viime viikon" not in upcoming.text
    # Looking back: the day, and the list from an earlier date, show them.
    day = await client.get(f"/calendar?lang=fi&view=day&date={today.isoformat()}")
    assert "Aamulenkki" in day.text and "Iltalaulanta" in day.text
    back = await client.get(f"/calendar?lang=fi&date={last_week.isoformat()}")
    assert "Viime viikon lukupiiri" in back.text and "Aamulenkki" in back.text
    # The public API lists past ones too, as it says.
    listed = (await client.get("/events", params={"limit": 10})).json()
    assert {morning, earlier, evening} <= {e["id"] for e in listed["items"]}

    # The organiser's page: a past activity of their own goes to the queue, said as past.
    own = await made("Pihatalkoot", now - 3 * HOUR, organiser)
    sent = await client.post(f"/my/activities/{own}/publish?lang=sv", headers=organiser,
                             data={}, follow_redirects=True)
    assert sent.status_code == 200, sent.text
    assert "done=queued_past" in str(sent.url)
    assert (f'<p class="msg" role="status">{SAID["sv"]["queued_past"]} '
            f'{SAID["sv"]["decision_on_page"]}</p>') in sent.text
