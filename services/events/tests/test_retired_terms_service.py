"""Retiring a term on the real service and PostgreSQL: a junk term ("00") left by test
traffic leaves the calendar's filters and GET /vocabulary, stays on the activity that has
it, and comes back when restored; list filters naming no term are refused, not answered
with an empty list."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events.app import spec
from shared.clock import HELSINKI
from shared.contracts import VocabularyTermSet
from tests.infra import bearer, events_on_topic, eventually

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
COMMS = bearer("communications", subject="viestinta")
ORGANISER = bearer("organiser", subject="kuoro", name="Kuoro ry")


def local(moment: datetime) -> str:
    """A moment as the form's datetime-local input gives it (Helsinki's clock)."""
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


def topic_choices(html: str) -> set[str]:
    """The codes the calendar's topic filter offers."""
    found = re.search(r'<select[^>]*name="topic".*?</select>', html, re.S)
    assert found is not None
    return set(re.findall(r'<option value="([^"]*)"', found.group(0))) - {""}


async def test_a_retired_term_leaves_the_choices_but_not_the_activity_that_has_it(
        start_service: Any) -> None:
    client = await start_service(spec)
    junk = {"scheme": "topic", "code": "00", "label": {"fi": "Nollanolla"}}
    assert (await client.put("/vocabulary", headers=COMMS, json=junk)).status_code == 200
    made = (await client.post("/events", headers=COMMS, json={
        "name": {"fi": "Puistojooga"}, "kind": "open_guided", "place_kind": "outdoors",
        "place_name": {"fi": "Puisto"},
        "area": "kuopio.jynkka", "topics": ["00"], "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=1)).isoformat()})).json()
    assert (await client.post(f"/events/{made['id']}/publish", headers=COMMS)
            ).json()["status"] == "published"
    assert "00" in topic_choices((await client.get("/calendar?lang=fi")).text)

    # Only communications staff retire, and only a term there is.
    path = "/vocabulary/topic/00/retire"
    assert (await client.post(path)).status_code == 401
    assert (await client.post(path, headers=ORGANISER)).status_code == 403
    assert (await client.post("/vocabulary/topic/nothing/retire", headers=COMMS)
            ).status_code == 404
    assert (await client.post("/vocabulary/nothing/00/retire", headers=COMMS)
            ).status_code == 422
    retired = await client.post(path, headers=COMMS)
    assert retired.status_code == 200, retired.text
    assert retired.json() == {"scheme": "topic", "code": "00", "label": {
        "fi": "Nollanolla", "sv": None, "en": None}, "revision": 2, "retired": True}
    # Read where the other services read it: the relay may have sent and deleted the outbox
    # rows already (reading the outbox raced it).
    told = await events_on_topic(client.runtime, VocabularyTermSet.TOPIC, 2,
                                 event_type=VocabularyTermSet.EVENT_TYPE,
                                 keys=["vocabulary:topic:00"])
    assert [(t.data["revision"], t.data["retired"]) for t in told] == [(1, False), (2, True)]

    # Gone from the filters (once the replica forgot its answer) and from the vocabulary.
    async def calendar_without() -> bool:
        return "00" not in topic_choices((await client.get("/calendar?lang=fi")).text)
    await eventually(calendar_without)
    assert "00" not in (await client.get("/vocabulary")).json()["topic"]
    assert (await client.get("/vocabulary", params={"retired": "true"})).json()["topic"][
        "00"] == {"fi": "Nollanolla", "retired": True}
    # The activity keeps it, by its words; an old link filtering by it still lists it.
    page = await client.get(f"/events/{made['id']}/page?lang=fi")
    assert "Nollanolla" in page.text
    old_link = await client.get("/events", params={"topic": "00"})
    assert [e["id"] for e in old_link.json()["items"]] == [made["id"]]
    shown = await client.get("/calendar?lang=fi&topic=00")
    assert shown.status_code == 200 and "Puistojooga" in shown.text
    assert "00" in topic_choices(shown.text)  # the form says what it lists by

    restored = await client.post("/vocabulary/topic/00/restore", headers=COMMS)
    assert restored.json()["retired"] is False and restored.json()["revision"] == 3

    async def calendar_with() -> bool:
        return "00" in topic_choices((await client.get("/calendar?lang=fi")).text)
    await eventually(calendar_with)
    assert "00" in (await client.get("/vocabulary")).json()["topic"]


@pytest.mark.parametrize("path", ["/events", "/events.ics", "/events.rss", "/events.atom",
                                  "/linkedevents/v1/event/"])
async def test_a_list_filter_naming_no_term_is_refused(start_service: Any, path: str) -> None:
    client = await start_service(spec)
    refused = await client.get(path, params={"audience": "true"})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["detail"][0]["loc"] == ["query", "audience"]
    assert "everyone" in body["known"] and "true" not in body["known"]
    for kind, value in (("topic", "astrology"), ("kind", "rave")):
        other = await client.get(path, params={kind: value})
        assert other.status_code == 422 and other.json()["detail"][0]["loc"] == [
            "query", kind]
    assert (await client.get(path, params={"audience": "everyone"})).status_code == 200


async def test_the_organisers_form_offers_a_retired_term_only_to_an_activity_that_has_it(
        start_service: Any) -> None:
    client = await start_service(spec)
    junk = {"scheme": "topic", "code": "00", "label": {"fi": "Nollanolla"}}
    assert (await client.put("/vocabulary", headers=COMMS, json=junk)).status_code == 200
    made = {}
    for key, topics in (("with", ["00", "music"]), ("without", ["music"])):
        made[key] = (await client.post("/events", headers=ORGANISER, json={
            "name": {"fi": "Kuoroilta"}, "kind": "open_guided", "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"},
            "area": "kuopio.jynkka", "topics": topics, "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat()})).json()["id"]

    async def offered(key: str) -> set[str]:
        page = await client.get(f"/my/activities/{made[key]}?lang=fi", headers=ORGANISER)
        assert page.status_code == 200, page.text
        return set(re.findall(r'name="topics" value="([^"]+)"', page.text))

    assert "00" in await offered("without")
    assert (await client.post("/vocabulary/topic/00/retire", headers=COMMS)).status_code == 200
    assert "00" not in await offered("without") and "music" in await offered("without")
    assert "00" in await offered("with")
    # Saving the form of the activity that has it keeps it.
    saved = await client.post(f"/my/activities/{made['with']}?lang=fi", headers=ORGANISER,
                              data={"name.fi": "Kuoroilta", "kind": "open_guided",
                                    "place_kind": "outdoors",
                                    "place_name.fi": "Puisto", "topics": ["00", "music"],
                                    "languages": ["fi"], "free": "1", "area": "kuopio.jynkka",
                                    **{k: local(v) for k, v in (
                                        ("starts_at", START),
                                        ("ends_at", START + timedelta(hours=1)))}})
    assert saved.status_code == 303, saved.text
    assert (await client.get(f"/events/{made['with']}", headers=ORGANISER)
            ).json()["topics"] == ["00", "music"]
    # Another activity cannot take it.
    refused = await client.patch(f"/events/{made['without']}", headers=ORGANISER,
                                 json={"topics": ["00", "music"]})
    assert refused.status_code == 422, refused.text
    assert (await client.post("/vocabulary/topic/00/restore", headers=COMMS)
            ).status_code == 200
    assert "00" in await offered("without")
