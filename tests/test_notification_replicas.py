"""Notifications as real processes on the real broker and database, posting to the fake
platforms over real HTTP: one publish is exactly one post per channel, even when the replica
is killed between sending and recording, and with two replicas running."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from shared.contracts import EVENTS_TOPIC, ActivityEventPublished, LocalizedText
from shared.db import create_pool
from tests.infra import Infra, ServiceProcess, bearer, eventually, produce

pytestmark = pytest.mark.infra

SOCIAL = ("facebook", "instagram", "mastodon", "bluesky")
REFS = {"facebook": "100000000000001", "instagram": "17841400000000001", "mastodon": "",
        "bluesky": "kirjasto.bsky.social"}


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    async with running_fake_platforms() as running:
        yield running


async def configure_accounts(replica: ServiceProcess, fake: FakePlatforms,
                             secrets: Path) -> None:
    async with httpx.AsyncClient(base_url=replica.url) as http:
        for platform in SOCIAL:
            (secrets / platform).write_text(str(getattr(fake.tokens, platform)))
            response = await http.post("/channels", headers=bearer("admin"), json={
                "platform": platform, "name": f"Kuopio {platform}",
                "base_url": fake.base_url(platform), "account_ref": REFS[platform],
                "secret_ref": f"file:{secrets / platform}"})
            assert response.status_code == 201, response.text


def activity(name: str, image_url: str) -> ActivityEventPublished:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    return ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi=name), starts_at=starts,
        ends_at=starts + timedelta(hours=1), kind="open_guided", area="kuopio.jynkka",
        image_url=image_url)


SENDER = {"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0.2",
          "KOHTAAMO_IMAGE_ALLOW_LOOPBACK": "1",
          "KOHTAAMO_NOTIFICATIONS_SEND_TIMEOUT": "6",
          "KOHTAAMO_NOTIFICATIONS_LEASE_SECONDS": "8"}


async def test_a_replica_killed_between_send_and_commit_never_posts_twice(
        spawn_service: Any, fresh_database: Any, fake: FakePlatforms, infra: Infra,
        topic_prefix: str, tmp_path: Path) -> None:
    dsn = await fresh_database("notifications")
    env = {**SENDER, "KOHTAAMO_CHANNEL_SECRETS_DIR": str(tmp_path),
           "KOHTAAMO_FACEBOOK_API_URL": fake.base_url("facebook"),
           "KOHTAAMO_BLUESKY_PDS_URL": fake.base_url("bluesky")}
    # The killed replica's sends wait longer than the platforms' 60 s silence, so they are
    # still in flight ("sending") however slowly this test sees the posts; the lease (8 s)
    # is what lets the restarted replica decide about them.
    first = await spawn_service("notifications", dsn, name=f"{topic_prefix}n-killed",
                                env={**env, "KOHTAAMO_NOTIFICATIONS_SEND_TIMEOUT": "90"})
    await configure_accounts(first, fake, tmp_path)
    # Every platform takes the post and then does not answer: the sender is mid-request.
    for platform in SOCIAL:
        fake.fault(platform, "timeout", delay=60)
    event = activity("Kirjaston satutunti", fake.image_url)
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, [event])

    async def all_posted() -> bool:
        return all(len(fake.posts(p)) == 1 for p in SOCIAL)

    await eventually(all_posted, timeout=60)
    first.kill()  # SIGKILL: posted on every platform, nothing recorded
    fake.clear_faults()
    fake.state.release()

    pool = await create_pool(dsn)
    try:
        sending = await pool.fetch("SELECT channel, status FROM deliveries "
                                   "WHERE purpose = 'announcement'")
        assert {(r["channel"], r["status"]) for r in sending} == {(p, "sending")
                                                                  for p in SOCIAL}
        await spawn_service("notifications", dsn, name=f"{topic_prefix}n-restarted", env=env)

        async def settled() -> Any:
            rows = await pool.fetch("SELECT channel, status FROM deliveries "
                                    "WHERE purpose = 'announcement'")
            states = {r["channel"]: r["status"] for r in rows}
            return states if "sending" not in states.values() and \
                "pending" not in states.values() else None

        states = await eventually(settled, timeout=60)
    finally:
        await pool.close()
    # Mastodon deduped the resend by Idempotency-Key, Bluesky's record was found by its key;
    # Facebook and Instagram cannot tell, so a person decides: nothing is posted twice.
    assert states == {"mastodon": "published", "bluesky": "published",
                      "facebook": "unconfirmed", "instagram": "unconfirmed"}
    assert {p: len(fake.posts(p)) for p in SOCIAL} == {p: 1 for p in SOCIAL}


async def test_two_replica_processes_post_every_event_once_on_every_channel(
        spawn_service: Any, fresh_database: Any, fake: FakePlatforms, infra: Infra,
        topic_prefix: str, tmp_path: Path) -> None:
    dsn = await fresh_database("notifications")
    env = {**SENDER, "KOHTAAMO_NOTIFICATIONS_BATCH": "3",
           "KOHTAAMO_FACEBOOK_API_URL": fake.base_url("facebook"),
           "KOHTAAMO_BLUESKY_PDS_URL": fake.base_url("bluesky"),
           "KOHTAAMO_CHANNEL_SECRETS_DIR": str(tmp_path)}
    replicas = [await spawn_service("notifications", dsn, name=f"{topic_prefix}n-{i}", env=env)
                for i in range(2)]
    await configure_accounts(replicas[0], fake, tmp_path)
    events = [activity(f"Tapahtuma {i}", fake.image_url) for i in range(20)]
    # ... and some redeliveries.
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, events + events[:5])

    async def all_posted() -> Any:
        return len(fake.posts()) >= 80 or None

    await eventually(all_posted, timeout=90)
    pool = await create_pool(dsn)
    try:
        async def settled() -> bool:
            left = await pool.fetchval("SELECT count(*) FROM deliveries WHERE status IN "
                                       "('pending', 'sending')")
            return left == 0

        # Every delivery has ended, so nothing more can be posted: count now.
        await eventually(settled, timeout=30)
        posted = [(p["platform"], p["text"].split("\n")[0]) for p in fake.posts()]
        assert len(posted) == len(set(posted)) == 80
        senders = await pool.fetch("SELECT claimed_by, count(*) AS n FROM deliveries "
                                   "WHERE purpose = 'announcement' GROUP BY 1")
    finally:
        await pool.close()
    assert sum(r["n"] for r in senders) == 80
    assert {r["claimed_by"] for r in senders} == {r.name for r in replicas}
