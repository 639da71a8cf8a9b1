"""Public reads answered from memory on the real service and PostgreSQL (issue #20): kept
until something residents can see changes, which the database announces on commit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.events.app import spec
from tests.infra import bearer, eventually

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
COMMS = bearer("communications", subject="viestinta")
ORGANISER = bearer("organiser", subject="kuoro", name="Kuoro ry")


def body(name: str) -> dict[str, Any]:
    return {"name": {"fi": name}, "kind": "open_guided", "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"},
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

    async def kept() -> Any:
        """The published list, then the same again from memory. Our own publish made this
        replica forget at once; its commit's notification may still arrive a moment later
        and make it forget once more, so the pair is asked until both came after it."""
        first = await client.get("/events", params={"area": "kuopio.jynkka"})
        items = first.json()["items"]
        if not items or items[0]["status"] != "published":
            return None
        hits = cache.hits
        again = await client.get("/events", params={"area": "kuopio.jynkka"})
        return first if cache.hits == hits + 1 and again.json() == first.json() else None

    first = await eventually(kept)
    not_modified = await client.get("/events", params={"area": "kuopio.jynkka"},
                                    headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    page = await client.get(f"/events/{made['id']}/page")
    assert page.status_code == 200 and page.headers["etag"]  # the HTML revalidates too
    assert (await client.get(f"/events/{made['id']}/page", headers={
        "If-None-Match": page.headers["etag"]})).status_code == 304
    # A monitor or a calendar client asking HEAD: the GET's answer without its body.
    for path in ("/events?area=kuopio.jynkka", f"/events/{made['id']}/page",
                 "/events.ics?area=kuopio.jynkka", "/calendar?lang=sv"):
        got, head = await client.get(path), await client.head(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["etag"] == got.headers["etag"], path
        assert head.headers["content-length"] == str(len(got.content)), path
        assert (await client.head(path, headers={"If-None-Match": got.headers["etag"]})
                ).status_code == 304, path
    # Answered from memory or not, each read is counted under its route.
    counted = {(s.labels["method"], s.labels["handler"]) for family in
               text_string_to_metric_families((await client.get("/metrics")).text)
               for s in family.samples if s.name == "http_requests_total"}
    for handler in ("/events", "/events/{event_id}/page", "/events.ics", "/calendar"):
        assert {("GET", handler), ("HEAD", handler)} <= counted, handler

    # Changes made elsewhere (another replica, a Kafka handler): only the database's
    # notification tells this replica. An organiser's draft is no one else's business: it
    # does not make replicas forget.
    from services.events import usecases
    from shared.clock import SYSTEM_CLOCK
    from shared.identity import Principal

    pool = client.runtime.pool
    # The publish's notification, if still on its way, has come: the memory stays as it is
    # for half a second.
    looks = [cache.generation]

    async def settled() -> bool:
        await asyncio.sleep(0.5)
        looks.append(cache.generation)
        return looks[-1] == looks[-2]

    await eventually(settled, timeout=15)
    generation = cache.generation
    await usecases.create_event(usecases.unit_of_work(pool), SYSTEM_CLOCK, Principal(
        "kuoro", frozenset({"organiser"}), name="Kuoro ry"), {
            **body("Luonnos"), "starts_at": START, "ends_at": START + timedelta(hours=1)})
    await asyncio.sleep(0.5)
    assert cache.generation == generation
    # Cancelled elsewhere: the next public answer says so once the commit's notification
    # cleared the kept one.
    await usecases.cancel_event(usecases.unit_of_work(pool), SYSTEM_CLOCK, Principal(
        "viestinta", frozenset({"communications"})), UUID(made["id"]), "Sade")

    async def told() -> Any:
        items = (await client.get("/events", params={"area": "kuopio.jynkka"})).json()["items"]
        return items[0]["status"] == "cancelled"

    await eventually(told, timeout=30)
    assert cache.generation > generation
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
