"""Retiring a term reaches the notifications service on the real broker: communications staff
retire a junk topic on the events service (`POST /vocabulary/topic/00/retire`), the follow
page stops offering it, and restoring it brings it back, each told as the term's next
revision by the same outbox as `PUT /vocabulary`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.events.app import spec as events_spec
from services.notifications.app import spec as notifications_spec
from services.notifications.tests.test_vocabulary import choices
from tests.infra import bearer, eventually

COMMS = bearer("communications", subject="viestinta")


async def test_a_retired_topic_leaves_the_follow_page_and_a_restored_one_comes_back(
        start_service: Any) -> None:
    events = await start_service(events_spec)
    notifications = await start_service(notifications_spec)
    added = await events.put("/vocabulary", headers=COMMS, json={
        "scheme": "topic", "code": "00", "label": {"fi": "Nollanolla", "sv": "Nollnoll"}})
    assert added.status_code == 200, added.text
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    created = await events.post("/events", headers=COMMS, json={
        "name": {"fi": "Testitapahtuma"}, "kind": "open_guided", "place_kind": "outdoors",
        "place_name": {"fi": "Jynkän puisto"},
        "area": "kuopio.jynkka", "topics": ["00", "music"],
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()})
    assert created.status_code == 201, created.text
    published = await events.post(f"/events/{created.json()['id']}/publish", headers=COMMS)
    assert published.json()["status"] == "published", published.text

    async def follow_page(present: bool) -> dict[str, str] | None:
        found = choices((await notifications.get("/follow?lang=sv")).text)
        return found if ("00" in found) == present and "music" in found else None

    assert (await eventually(lambda: follow_page(True)))["00"] == "Nollnoll"
    assert (await events.post("/vocabulary/topic/00/retire", headers=COMMS)).status_code == 200
    await eventually(lambda: follow_page(False))
    assert (await events.post("/vocabulary/topic/00/restore", headers=COMMS)).status_code == 200
    assert (await eventually(lambda: follow_page(True)))["00"] == "Nollnoll"
