"""Public reads answered from memory on the real service and PostgreSQL (issue #20): kept
until something residents can see changes, which the database announces on commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events.app import spec
from tests.infra import bearer, eventually

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
COMMS = bearer("communications", subject="viestinta")
ORGANISER = bearer("organiser", subject="kuoro", name="Kuoro ry")


def body(name: str) -> dict[str, Any]:
    return {"name": {"fi": name}, "kind": "open_guided", "place_kind": "outdoors",
            "area": "kuopio.jynkka", "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat()}


async def test_a_public_answer_is_kept_until_what_residents_see_changes(start_service) -> None:
    client = await start_service(spec)
    cache = client.runtime.read_cache
    assert cache is not None
    await eventually(lambda: _true(cache.live))
    made = (await client.post("/events", headers=COMMS, json=body("Puistojooga"))).json()
    published = await client.post(f"/events/{made['id']}/publish", headers=COMMS)
    assert published.json()["status"] == "published", published.text

    async def listed() -> Any:
        answer = await client.get("/events", params={"area": "kuopio.jynkka"})
        items = answer.json()["items"]
        return answer if items and items[0]["status"] == "published" else None

    first = await eventually(listed)
    hits = cache.hits
    again = await client.get("/events", params={"area": "kuopio.jynkka"})
    assert again.json() == first.json() and cache.hits == hits + 1
    not_modified = await client.get("/events", params={"area": "kuopio.jynkka"},
                                    headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    page = await client.get(f"/events/{made['id']}/page")
    assert page.status_code == 200 and page.headers["etag"]  # the HTML revalidates too
    assert (await client.get(f"/events/{made['id']}/page", headers={
        "If-None-Match": page.headers["etag"]})).status_code == 304

    # An organiser's draft is no one else's business: it does not make replicas forget.
    generation = cache.generation
    await client.post("/events", headers=ORGANISER, json=body("Luonnos"))
    # Cancelled: the next public answer says so (the commit's notification cleared it).
    cancelled = await client.post(f"/events/{made['id']}/cancel", headers=COMMS,
                                  json={"reason": "Sade"})
    assert cancelled.status_code == 200, cancelled.text

    async def told() -> Any:
        items = (await client.get("/events", params={"area": "kuopio.jynkka"})).json()["items"]
        return items[0]["status"] == "cancelled"

    await eventually(told, timeout=5)
    assert cache.generation == generation + 1
    fresh = await client.get("/events", params={"area": "kuopio.jynkka"},
                             headers={"If-None-Match": first.headers["etag"]})
    assert fresh.status_code == 200  # the old tag no longer matches
    # Signed in, the organiser sees their own draft: never from the public memory.
    mine = (await client.get("/events", headers=ORGANISER)).json()["items"]
    assert ("Luonnos", "draft") in [(i["name"]["fi"], i["status"]) for i in mine]
    public = (await client.get("/events")).json()["items"]
    assert [i["name"]["fi"] for i in public] == ["Puistojooga"]


async def _true(value: bool) -> bool:
    return value
