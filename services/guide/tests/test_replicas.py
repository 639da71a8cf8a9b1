"""The guide scales by replicas like the other services: two processes share one consumer
group and one database, so a conversation started on one replica goes on on the other."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.guide.tests.demo_data import venue_events
from tests.infra import bearer, eventually, produce

pytestmark = pytest.mark.infra


async def test_two_replicas_share_the_index_and_the_conversations(
        spawn_service: Any, fresh_database: Any, infra: Any, topic_prefix: str) -> None:
    dsn = await fresh_database("guide")
    env = {"KOHTAAMO_GUIDE_STAFF_HOURS": "1-7 00:00-24:00", "KOHTAAMO_GUIDE_JOB_INTERVAL": "0"}
    a = await spawn_service("guide", dsn, name=f"{topic_prefix}guide-a", env=env)
    b = await spawn_service("guide", dsn, name=f"{topic_prefix}guide-b", env=env)
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", venue_events())
    async with httpx.AsyncClient(timeout=10) as http:
        async def indexed() -> bool:
            r = await http.post(f"{b.url}/ask", json={"question": "Juankosken kirjaston "
                                                                  "aukioloajat?"})
            return r.json()["answer"]["kind"] == "hours"

        await eventually(indexed, timeout=60)
        cid = (await http.post(f"{a.url}/conversations", json={"language": "sv"})).json()[
            "conversation_id"]
        asked = await http.post(f"{b.url}/conversations/{cid}/messages",
                                json={"text": "Öppettider för Nilsiä bibliotek?"})
        assert asked.json()["answer"]["kind"] == "hours"
        handed = await http.post(f"{a.url}/conversations/{cid}/handover", json={})
        assert handed.json()["status"] == "waiting"
        hours = (await http.get(f"{b.url}/staff-hours")).json()  # as set: to midnight
        assert (hours["staffed_now"], hours["opens"], hours["closes"], hours["weekdays"]) == (
            True, "00:00", "24:00", [1, 2, 3, 4, 5, 6, 7])
        inbox = (await http.get(f"{b.url}/inbox", headers=bearer("desk"))).json()
        assert [c["conversation_id"] for c in inbox] == [cid]
        # Exactly one relay is active across the replicas.
        states = [(await http.get(f"{p.url}/health/ready")).json()["outbox_relay"]
                  for p in (a, b)]
        assert sorted(states) == ["active", "standby"]
