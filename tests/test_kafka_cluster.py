"""The services on a real three-node Kafka cluster (``deploy/local.sh --kafka-nodes 3``, the
cluster's defaults replication 3 and min.insync.replicas 2, as production's brokers):

- they start with a comma-separated ``KAFKA_BOOTSTRAP_SERVERS`` and make their topics with the
  cluster's replication, and refuse to start on a topic with fewer replicas;
- one broker killed with SIGKILL while activities are published and restarted while they
  still flow: every activity is posted once on every platform and shown once on the board,
  and readiness says the cluster is degraded without making the replica unready.

The bootstrap-list parsing and the health assessment are also checked here without Kafka.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka.admin import NewTopic

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from shared.db import create_pool
from shared.kafka import assess, make_admin
from shared.settings import ServiceSettings, TopicSettings, parse_bootstrap_servers
from tests.cluster import KafkaCluster, kafka_cluster
from tests.infra import ServiceProcess, bearer, eventually

__all__ = ["kafka_cluster"]  # the fixture, imported to be used here

SOCIAL = ("facebook", "instagram", "mastodon", "bluesky")
REFS = {"facebook": "100000000000001", "instagram": "17841400000000001", "mastodon": "",
        "bluesky": "kirjasto.bsky.social"}
AREA = "kuopio.jynkka"
ACTIVITIES = 60
ORGANISER = bearer("organiser", subject="cluster-organiser", name="Klusteriyhdistys")
COMMS = bearer("communications", subject="cluster-comms")
#: Only an admin chooses where an account's token goes (base_url, secret_ref).
ADMIN = bearer("admin", "communications", subject="cluster-admin")
#: The sender's own timeouts stay at their defaults (15 s a send, a 60 s lease): no platform
#: fails here, and a send answered late on a machine busy restarting a broker would be an
#: unconfirmed post, not a fault of the cluster.
SENDER = {"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0.2"}


# --- without Kafka ---------------------------------------------------------------------------

def test_bootstrap_lists_are_split_once_and_an_empty_entry_is_an_error() -> None:
    assert parse_bootstrap_servers("a:9092") == ["a:9092"]
    assert parse_bootstrap_servers(" a:9092, b:9093 ,c.example.fi:9094") == [
        "a:9092", "b:9093", "c.example.fi:9094"]
    assert parse_bootstrap_servers("a:1 b:2") == ["a:1", "b:2"]
    assert parse_bootstrap_servers(["a:1", "[::1]:2"]) == ["a:1", "[::1]:2"]
    for bad in ("", "a:1,,b:2", "a:1,", ",a:1", "a", "a:99999", "a:1;b:2"):
        with pytest.raises(ValueError):
            parse_bootstrap_servers(bad)
    settings = ServiceSettings(service="events",
                               kafka_bootstrap_servers="k0:9092, k1:9092,k2:9092")
    assert settings.kafka_bootstrap == ["k0:9092", "k1:9092", "k2:9092"]
    assert settings.kafka_bootstrap_servers == "k0:9092,k1:9092,k2:9092"
    with pytest.raises(ValueError, match="entry 2 is empty"):
        ServiceSettings(service="events", kafka_bootstrap_servers="k0:9092,,k2:9092")


def test_replication_and_min_isr_are_unset_unless_given(monkeypatch: pytest.MonkeyPatch,
                                                       ) -> None:
    monkeypatch.delenv("KOHTAAMO_TOPIC_REPLICATION", raising=False)
    monkeypatch.setenv("KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS", "")
    unset = TopicSettings()
    assert (unset.topic_replication, unset.topic_min_insync_replicas) == (None, None)
    monkeypatch.setenv("KOHTAAMO_TOPIC_REPLICATION", "3")
    monkeypatch.setenv("KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS", "2")
    given = ServiceSettings(service="metrics")
    assert (given.topic_replication, given.topic_min_insync_replicas) == (3, 2)


def test_the_health_of_a_cluster_with_a_broker_down() -> None:
    def part(replicas: list[int], isr: list[int], leader: int) -> dict[str, Any]:
        return {"replicas": replicas, "isr": isr, "leader": leader}

    whole = {"brokers": [{"node_id": n} for n in (1, 2, 3)]}
    topics = [{"topic": "events.v1", "partitions": [part([1, 2, 3], [1, 2, 3], 1),
                                                    part([2, 3, 1], [2, 3, 1], 2)]}]
    assert assess(whole, topics).status == "ok"
    down = {"brokers": [{"node_id": n} for n in (2, 3)]}
    topics = [{"topic": "events.v1", "partitions": [part([1, 2, 3], [2, 3], 2),
                                                    part([1], [], -1)]}]
    health = assess(down, topics)
    assert (health.status, health.missing_brokers, health.under_replicated_partitions,
            health.offline_partitions) == ("degraded", [1], 2, 1)


# --- on the cluster --------------------------------------------------------------------------

def on_cluster(cluster: KafkaCluster, **more: str) -> dict[str, str]:
    """A service's environment for the cluster: its bootstrap list with spaces, as people
    write them, and replication left to the cluster."""
    return {"KAFKA_BOOTSTRAP_SERVERS": ", ".join(cluster.servers),
            "KOHTAAMO_TOPIC_REPLICATION": "", "KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS": "",
            "KOHTAAMO_KAFKA_HEALTH_INTERVAL": "1", **more}


async def ready(replica: ServiceProcess) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(timeout=5) as http:
        response = await http.get(f"{replica.url}/health/ready")
        return response.status_code, response.json()


async def metric(replica: ServiceProcess, name: str) -> float | None:
    async with httpx.AsyncClient(timeout=5) as http:
        text = (await http.get(f"{replica.url}/metrics")).text
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


@pytest.mark.infra
async def test_services_start_on_a_bootstrap_list_with_the_clusters_replication(
        kafka_cluster: KafkaCluster, spawn_service: Any, fresh_database: Any,
        topic_prefix: str) -> None:
    replica = await spawn_service("events", await fresh_database("events"),
                                  env=on_cluster(kafka_cluster))
    admin = make_admin(kafka_cluster.bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([topic_prefix + "events.v1"])
        assert [len(p["replicas"]) for p in described[0]["partitions"]] == [3, 3, 3]
        from deploy.create_topics import _topic_configs

        configs = await _topic_configs(admin, [topic_prefix + "events.v1"],
                                       ["min.insync.replicas"])
        assert configs[topic_prefix + "events.v1"]["min.insync.replicas"] == "2"

        status, body = await eventually(
            lambda: _cluster_status(replica, "ok"), timeout=30)
        assert status == 200 and body["kafka_cluster"]["brokers"] == [1, 2, 3]
        assert await metric(replica, "kohtaamo_kafka_brokers") == 3
        assert await metric(replica, "kohtaamo_kafka_cluster_degraded") == 0

        # A topic kept by one broker (made before the cluster, say): the service refuses.
        thin = topic_prefix + "thin."
        await admin.create_topics([NewTopic(thin + "events.v1", 3, 1)])
    finally:
        await admin.close()
    with pytest.raises(RuntimeError) as refused:
        await spawn_service("events", await fresh_database("events"),
                            env=on_cluster(kafka_cluster, KOHTAAMO_TOPIC_PREFIX=thin))
    assert "fewer replicas than the 3 required" in str(refused.value)
    assert f"{thin}events.v1 has 1" in str(refused.value)


async def _cluster_status(replica: ServiceProcess, wanted: str,
                          ) -> tuple[int, dict[str, Any]] | None:
    status, body = await ready(replica)
    return (status, body) if body.get("kafka_cluster", {}).get("status") == wanted else None


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    async with running_fake_platforms() as running:
        yield running


@pytest.mark.infra
async def test_a_broker_killed_and_restarted_mid_stream_loses_and_doubles_nothing(
        kafka_cluster: KafkaCluster, spawn_service: Any, fresh_database: Any,
        fake: FakePlatforms, tmp_path: Path) -> None:
    began = time.monotonic()
    env = on_cluster(kafka_cluster, **SENDER, KOHTAAMO_CHANNEL_SECRETS_DIR=str(tmp_path),
                     # Platforms whose API address is configuration, not an account's.
                     KOHTAAMO_FACEBOOK_API_URL=fake.base_url("facebook"),
                     KOHTAAMO_BLUESKY_PDS_URL=fake.base_url("bluesky"))
    events = await spawn_service("events", await fresh_database("events"), env=env)
    notifications_dsn = await fresh_database("notifications")
    notifications = await spawn_service("notifications", notifications_dsn, env=env)
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(hour=15, minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(timeout=15) as http:
        for platform in SOCIAL:
            (tmp_path / platform).write_text(str(getattr(fake.tokens, platform)))
            made = await http.post(f"{notifications.url}/channels", headers=ADMIN, json={
                "platform": platform, "name": f"Kuopio {platform}",
                "base_url": fake.base_url(platform), "account_ref": REFS[platform],
                "secret_ref": f"file:{tmp_path / platform}"})
            assert made.status_code == 201, made.text
        board = await http.post(f"{notifications.url}/boards", headers=COMMS, json={
            "area": AREA, "name": {"fi": "Jynkän tori"}})
        assert board.status_code == 201, board.text
        feed_url = f"{notifications.url}/boards/{board.json()['id']}/feed.json"

        restarting: asyncio.Task[None] | None = None
        for i in range(ACTIVITIES):
            if i == ACTIVITIES // 3:
                # Node 1: the first address of the list, a partition leader, a controller.
                kafka_cluster.kill(1)
                # Readiness says so, and the replicas stay ready.
                status, body = await eventually(
                    lambda: _cluster_status(notifications, "degraded"), timeout=30)
                assert status == 200 and body["ready"] is True
                assert 1 in body["kafka_cluster"]["missing_brokers"]
                assert await metric(notifications, "kohtaamo_kafka_cluster_degraded") == 1
            if i == 2 * ACTIVITIES // 3:
                restarting = asyncio.create_task(asyncio.to_thread(kafka_cluster.start))
            body = {
                "name": {"fi": f"Klusteritapahtuma {i:02d}"},
                "short_description": {"fi": "Kestääkö Kafka?"},
                "kind": "open_guided", "place_kind": "outdoors", "area": AREA,
                "place_name": {"fi": "Kauppatori"},
                "languages": ["fi"], "organiser_name": "Klusteriyhdistys",
                "starts_at": (starts + timedelta(minutes=i)).isoformat(),
                "ends_at": (starts + timedelta(minutes=i + 60)).isoformat(),
                "image_url": fake.image_url, "image_alt": {"fi": "Tori"},
            }
            created = await http.post(f"{events.url}/events", headers=ORGANISER, json=body)
            assert created.status_code == 201, created.text
            # Communications staff publish it at once (#14: an organiser's outdoor activity
            # without a booking waits for their approval).
            published = await http.post(f"{events.url}/events/{created.json()['id']}/publish",
                                        headers=COMMS)
            assert published.status_code == 200, published.text
            await asyncio.sleep(0.1)  # a stream over some seconds, not one burst
        assert restarting is not None
        await restarting

        async def all_posted() -> bool:
            return len(fake.posts()) >= len(SOCIAL) * ACTIVITIES

        await eventually(all_posted, timeout=150, interval=0.5)
        pool = await create_pool(notifications_dsn)
        try:
            async def settled() -> bool:
                left = await pool.fetchval("SELECT count(*) FROM deliveries WHERE status IN "
                                           "('pending', 'sending')")
                return bool(left == 0)

            await eventually(settled, timeout=60)
            failed = await pool.fetch("SELECT channel, status, last_error FROM deliveries "
                                      "WHERE status <> 'published'")
        finally:
            await pool.close()
        assert [dict(r) for r in failed] == []
        posted = [(p["platform"], p["text"].split("\n")[0]) for p in fake.posts()]
        assert len(posted) == len(set(posted)) == len(SOCIAL) * ACTIVITIES, "none lost or doubled"

        feed = (await http.get(feed_url)).json()
        titles = sorted(item["title"] for item in feed["items"])
        assert titles == sorted(f"Klusteritapahtuma {i:02d}" for i in range(ACTIVITIES))

        # The cluster whole again: readiness and metrics say so.
        await eventually(lambda: _cluster_status(notifications, "ok"), timeout=60)
    assert "3 of 3 nodes in the cluster" in kafka_cluster.status()
    print(f"broker kill test: {time.monotonic() - began:.0f} s")
