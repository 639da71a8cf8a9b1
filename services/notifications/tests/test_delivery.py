"""Deliveries to social media and email, end to end in one process: the real database, the
real Kafka broker (for notification.* events), the real platform clients and the fake
platforms over real HTTP and SMTP. Each test drives the sender pass by hand (jobs.send_due),
so no timer races an assertion."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import pytest_asyncio

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from services.notifications import domain, handlers, jobs, usecases
from services.notifications.app import spec
from services.notifications.platforms import forget_sessions
from services.notifications.store import NotificationStore
from services.notifications.tests.test_board_kinds import told
from shared.clock import HELSINKI, SYSTEM_CLOCK, FixedClock
from shared.contracts import (
    NOTIFICATIONS_TOPIC,
    ActivityEventApprovalDecided,
    ActivityEventCancelled,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    BookingCancelled,
    BookingConfirmed,
    GuideReplyRequested,
    LocalizedText,
    NotificationFailed,
    VenueRegistered,
)
from shared.envelope import Envelope
from shared.l10n import day_short
from shared.uow import PgUnitOfWork
from tests.infra import Infra, bearer, events_on_topic, eventually, read_topic

pytestmark = pytest.mark.infra

STAFF = bearer("communications")
#: Accounts are made by an admin: choosing where a token goes is an admin's act.
ADMIN = bearer("admin")
SOCIAL = ("facebook", "instagram", "mastodon", "bluesky")
AREA = "kuopio.nilsia"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    forget_sessions()  # Bluesky sessions are cached per account id; each test has its own
    async with running_fake_platforms() as running:
        yield running


SEND_TIMEOUT = 3.0
#: A platform that posted but answers only after the sender gave up.
LATE_ANSWER = 8.0


class Setup:
    def __init__(self, client: Any, fake: FakePlatforms, secrets: Path) -> None:
        self.client = client
        self.fake = fake
        self.secrets = secrets
        # Timeouts a loaded machine's stalls do not reach; a late answer comes after them.
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(SEND_TIMEOUT))
        self.settings = jobs.SenderSettings()
        self.settings.send_timeout, self.settings.lease = SEND_TIMEOUT, 30.0
        self.accounts: dict[str, UUID] = {}

    @property
    def pool(self) -> Any:
        return self.client.runtime.pool

    def token(self, platform: str) -> str:
        return str(getattr(self.fake.tokens, "smtp" if platform == "email" else platform))

    async def account(self, platform: str, **extra: Any) -> UUID:
        (self.secrets / platform).write_text(self.token(platform))
        refs = {"facebook": "100000000000001", "instagram": "17841400000000001",
                "mastodon": "", "bluesky": "kirjasto.bsky.social",
                "email": "asukastoiminta@kuopio.example"}
        body = {"platform": platform, "name": f"Kirjasto {platform}",
                "base_url": self.fake.base_url(platform), "account_ref": refs[platform],
                "secret_ref": f"file:{self.secrets / platform}", **extra}
        response = await self.client.post("/channels", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
        self.accounts[platform] = UUID(response.json()["id"])
        return self.accounts[platform]

    async def handle(self, handler: Any, event: Any) -> Envelope:
        envelope = event.to_envelope()
        async with self.pool.acquire() as conn, conn.transaction():
            await handler(conn, event, envelope)
        return envelope

    async def send(self) -> dict[str, int]:
        return await jobs.send_due(self.client.runtime, self.http, self.settings)

    async def deliveries(self, event_id: UUID | None = None, **where: Any) -> list[dict[str, Any]]:
        rows = await self.pool.fetch(
            "SELECT * FROM deliveries WHERE purpose <> 'board' AND ($1::uuid IS NULL OR "
            "activity_event_id = $1) ORDER BY revision, due_at, channel", event_id)
        return [dict(r) for r in rows if all(r[k] == v for k, v in where.items())]

    async def make_due(self) -> None:
        """Skip a backoff's wait instead of sleeping through it."""
        await self.pool.execute("UPDATE deliveries SET due_at = now() WHERE status = 'pending'")


@pytest_asyncio.fixture
async def setup(start_service: Any, fake: FakePlatforms, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Setup]:
    monkeypatch.setenv("KOHTAAMO_PUBLIC_EVENTS_URL", "https://tapahtumat.kuopio.fi")
    monkeypatch.setenv("KOHTAAMO_CHANNEL_SECRETS_DIR", str(tmp_path))
    # The fake platforms' image is on a loopback address: allowed here, as in a local run.
    monkeypatch.setenv("KOHTAAMO_IMAGE_ALLOW_LOOPBACK", "1")
    # The fake platforms are this test's Facebook, Instagram and Bluesky.
    monkeypatch.setenv("KOHTAAMO_FACEBOOK_API_URL", fake.base_url("facebook"))
    monkeypatch.setenv("KOHTAAMO_BLUESKY_PDS_URL", fake.base_url("bluesky"))
    ready = Setup(await start_service(spec), fake, tmp_path)
    yield ready
    await ready.http.aclose()


def activity(*, days: float = 3, revision: int = 1, cls: type[Any] = ActivityEventPublished,
             event_id: UUID | None = None, name: str = "Satutunti", image: str | None = None,
             kind: str = "open_guided", **extra: Any) -> Any:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return cls(event_id=event_id or uuid4(), revision=revision,
               name=LocalizedText(fi=name, sv="Sagostund"), starts_at=starts,
               ends_at=starts + timedelta(hours=1), kind=kind, area=AREA,
               image_url=image, image_alt=LocalizedText(fi="Lapsia ja satukirja"), **extra)


async def test_one_publish_is_one_post_on_every_channel_and_reaches_kafka(
        setup: Setup, infra: Infra, topic_prefix: str) -> None:
    for platform in SOCIAL:
        await setup.account(platform)
    event = activity(image=setup.fake.image_url)
    await setup.handle(handlers.on_activity_event, event)
    # The same event again (a redelivery under another envelope id) plans nothing more.
    await setup.handle(handlers.on_activity_event, event)

    assert await setup.send() == {"published": 4}
    assert await setup.send() == {}
    for platform in SOCIAL:
        [post] = setup.fake.posts(platform)
        assert post["text"].startswith("Satutunti\n"), post
        assert f"https://tapahtumat.kuopio.fi/events/{event.event_id}/page?lang=fi" \
            in post["text"]
    [insta] = setup.fake.posts("instagram")
    assert insta["image_url"] == setup.fake.image_url
    assert insta["image_alt"] == "Lapsia ja satukirja"
    [toot] = setup.fake.posts("mastodon")
    assert toot["media"][0]["description"] == "Lapsia ja satukirja"
    rows = await setup.deliveries(event.event_id)
    assert {(r["channel"], r["status"], r["attempts"]) for r in rows} == {
        (p, "published", 1) for p in SOCIAL}
    assert all(r["remote_id"] for r in rows)
    # notification.delivered for each, through the outbox to the real broker.
    # The topic also carries each account's routing announcement (made when it was set up).
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + NOTIFICATIONS_TOPIC,
                               2 * len(SOCIAL))
    delivered = [e for e in (Envelope.from_kafka(r.key, r.value, r.headers) for r in records)
                 if e.type == "fi.kohtaamo.notification.delivered.v1"]
    assert sorted(e.data["channel"] for e in delivered) == sorted(SOCIAL)
    assert {e.data["activity_event_id"] for e in delivered} == {str(event.event_id)}


async def test_changes_drop_waiting_posts_and_announce_what_changed(setup: Setup) -> None:
    await setup.account("mastodon", reminder_hours=24)
    first = activity()
    await setup.handle(handlers.on_activity_event, first)
    assert await setup.send() == {"published": 1}
    [announcement, reminder] = await setup.deliveries(first.event_id)
    assert (announcement["purpose"], reminder["purpose"]) == ("announcement", "reminder")
    assert reminder["status"] == "pending"
    assert reminder["due_at"] == first.starts_at - timedelta(hours=24)

    later = first.starts_at + timedelta(days=1)
    moved = ActivityEventRescheduled(**{**first.model_dump(), "revision": 2,
                                        "starts_at": later,
                                        "ends_at": later + timedelta(hours=1),
                                        "previous_starts_at": first.starts_at,
                                        "previous_ends_at": first.ends_at})
    await setup.handle(handlers.on_activity_event, moved)
    assert await setup.send() == {"published": 1}
    cancelled = ActivityEventCancelled(**{**moved.model_dump(), "revision": 3})
    await setup.handle(handlers.on_activity_event, cancelled)
    assert await setup.send() == {"published": 1}

    texts = [p["text"] for p in setup.fake.posts("mastodon")]
    assert [t.split("\n")[0] for t in texts] == ["Satutunti", "UUSI AIKA: Satutunti",
                                                 "PERUTTU: Satutunti"]
    rows = await setup.deliveries(first.event_id)
    assert [(r["purpose"], r["revision"], r["status"]) for r in rows] == [
        ("announcement", 1, "published"), ("reminder", 1, "cancelled"),
        ("change", 2, "published"), ("reminder", 2, "cancelled"),
        ("cancellation", 3, "published")]


async def test_an_update_before_sending_posts_only_the_new_text(setup: Setup) -> None:
    await setup.account("bluesky")
    first = activity(name="Lukupiiri")
    await setup.handle(handlers.on_activity_event, first)
    renamed = ActivityEventUpdated(**{**first.model_dump(), "revision": 2,
                                      "name": LocalizedText(fi="Lukupiiri ja teetä")})
    await setup.handle(handlers.on_activity_event, renamed)
    assert await setup.send() == {"published": 1}
    [post] = setup.fake.posts("bluesky")
    assert post["text"].startswith("Lukupiiri ja teetä\n")
    statuses = [(r["revision"], r["status"]) for r in await setup.deliveries(first.event_id)]
    assert statuses == [(1, "cancelled"), (2, "published")]


async def test_a_rate_limit_pauses_the_account_for_as_long_as_the_platform_says(
        setup: Setup) -> None:
    account_id = await setup.account("mastodon")
    setup.fake.fault("mastodon", "rate_limit", retry_after=1)
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    # The sender's clock stands still, so the pause is measured from a known "now".
    t0 = datetime.now(UTC)
    setup.client.runtime.clock = FixedClock(t0)
    assert await setup.send() == {"pending": 1}
    [row] = await setup.deliveries(event.event_id)
    assert row["error_class"] == "rate_limited" and row["attempts"] == 0  # the try is free
    account = await setup.pool.fetchrow("SELECT * FROM channel_accounts WHERE id = $1",
                                        account_id)
    assert account["paused_until"] == row["due_at"] == t0 + timedelta(seconds=1)
    # Another post of the same account, due, waits too: the whole queue is paused.
    other = activity(name="Toinen")
    await setup.handle(handlers.on_activity_event, other)
    await setup.pool.execute("UPDATE deliveries SET due_at = $1 WHERE activity_event_id = $2",
                             t0, other.event_id)
    setup.client.runtime.clock = FixedClock(t0 + timedelta(seconds=0.5))
    assert await setup.send() == {}
    # The pause is over for a sender whose clock is past it (no waiting for the wall clock).
    setup.client.runtime.clock = FixedClock(t0 + timedelta(seconds=1.05))
    assert await setup.send() == {"published": 2}
    assert len(setup.fake.posts("mastodon")) == 2


async def test_server_errors_are_retried_with_backoff_then_given_up_and_staff_retry(
        setup: Setup) -> None:
    await setup.account("facebook")
    setup.fake.fault("facebook", "server_error", times=-1)
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"pending": 1}
    [row] = await setup.deliveries(event.event_id)
    wait = (row["due_at"] - datetime.now(UTC)).total_seconds()
    assert 10 < wait <= 30, wait  # 30 s base with jitter: 15–30 s
    for _ in range(domain.MAX_ATTEMPTS - 1):
        await setup.make_due()
        await setup.send()
    [row] = await setup.deliveries(event.event_id)
    assert (row["status"], row["attempts"], row["error_class"]) == (
        "failed", domain.MAX_ATTEMPTS, "retry")
    # Read where staff's tools read it: the relay may have sent and deleted the outbox row.
    failed = await events_on_topic(setup.client.runtime, NOTIFICATIONS_TOPIC, 1,
                                   event_type=NotificationFailed.EVENT_TYPE,
                                   where=lambda e: e.data["activity_event_id"]
                                   == str(event.event_id))
    assert [f.data["delivery_id"] for f in failed] == [str(row["id"])]

    attention = (await setup.client.get("/deliveries/attention", headers=STAFF)).json()
    assert [d["id"] for d in attention["deliveries"]] == [str(row["id"])]
    assert (await setup.client.get("/deliveries/attention")).status_code == 401
    setup.fake.clear_faults()
    retried = await setup.client.post(f"/deliveries/{row['id']}/retry", headers=STAFF)
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    assert await setup.send() == {"published": 1}
    assert len(setup.fake.posts("facebook")) == 1


async def test_a_refused_token_stops_the_accounts_queue_until_staff_reauthorise(
        setup: Setup) -> None:
    account_id = await setup.account("bluesky")
    (setup.secrets / "bluesky").write_text("an-expired-password")
    first, second = activity(name="Eka"), activity(name="Toka")
    await setup.handle(handlers.on_activity_event, first)
    assert await setup.send() == {"pending": 1}
    account = (await setup.client.get("/channels", headers=STAFF)).json()
    assert [a["state"] for a in account] == ["reauth_needed"]
    await setup.handle(handlers.on_activity_event, second)
    await setup.make_due()
    assert await setup.send() == {}  # nothing is tried while the account waits
    assert setup.fake.posts("bluesky") == []

    (setup.secrets / "bluesky").write_text(setup.token("bluesky"))  # renewed in the store
    response = await setup.client.post(f"/channels/{account_id}/reauthorised",
                                       headers=STAFF)
    assert response.json()["state"] == "active"
    assert await setup.send() == {"published": 2}
    assert sorted(p["text"].split("\n")[0] for p in setup.fake.posts("bluesky")) == [
        "Eka", "Toka"]


async def test_a_refused_post_fails_at_once(setup: Setup) -> None:
    await setup.account("facebook")
    setup.fake.fault("facebook", "validation")
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"failed": 1}
    [row] = await setup.deliveries(event.event_id)
    assert (row["attempts"], row["error_class"]) == (1, "permanent")


async def test_instagram_without_an_image_is_not_sent_and_asks_no_decision(
        setup: Setup) -> None:
    """Every activity without an image made a failed Instagram delivery asking staff a
    decision. It is recorded as skipped, with why, listed apart on the staff page with what
    would send it, and goes out once the activity has an image."""
    await setup.account("instagram")
    event = activity(image=None)
    await setup.handle(handlers.on_activity_event, event)
    [row] = await setup.deliveries(event.event_id)
    assert (row["status"], row["error_class"]) == ("skipped", "cannot_carry")
    assert "image" in row["last_error"] and row["content"] is None
    assert await setup.send() == {}
    attention = (await setup.client.get("/deliveries/attention", headers=STAFF)).json()
    assert attention["deliveries"] == []
    listed = (await setup.client.get("/deliveries", params={
        "activity_event_id": str(event.event_id), "status": "skipped"}, headers=STAFF)).json()
    assert [(d["id"], d["status"]) for d in listed] == [(str(row["id"]), "skipped")]
    words = {"fi": ("Ei lähetetty: kanava ei voi julkaista",
                    "lisää tapahtumaan kuva, niin julkaisu lähtee silloin."),
             "sv": ("Inte skickat: kanalen kan inte publicera det",
                    "lägg till en bild i evenemanget, så går inlägget ut då."),
             "en": ("Not sent: the channel cannot carry it",
                    "add one to the event, and the post goes out then.")}
    for lang, (heading, reason) in words.items():
        page = await setup.client.get("/staff", params={"lang": lang}, headers=STAFF)
        assert page.status_code == 200, page.text
        assert f'<h2 id="skipped">{heading}</h2>' in page.text
        shown = page.text.split(f'<tr class="skipped" data-id="{row["id"]}">')
        assert len(shown) == 2 and reason in shown[1].split("</tr>")[0]
        # The platform by its own name; an English page says the Finnish name marked as
        # Finnish (the activity has no English one), a Swedish page its Swedish name.
        assert "<td>Instagram: " in shown[1].split("</tr>")[0]
        named = {"fi": "Satutunti", "sv": "Sagostund",
                 "en": '<span lang="fi">Satutunti</span>'}[lang]
        assert f"<strong>{named}</strong>" in shown[1].split("</tr>")[0]
        assert f'class="delivery" data-id="{row["id"]}"' not in page.text
    refused = await setup.client.post(f"/deliveries/{row['id']}/retry", headers=STAFF)
    assert refused.status_code == 409 and "image" in refused.json()["detail"]
    # Adding an image to the activity event plans the post anew, and it goes out.
    with_image = ActivityEventUpdated(**{**event.model_dump(), "revision": 2,
                                         "image_url": setup.fake.image_url})
    await setup.handle(handlers.on_activity_event, with_image)
    assert await setup.send() == {"published": 1}
    assert len(setup.fake.posts("instagram")) == 1
    page = await setup.client.get("/staff", params={"lang": "fi"}, headers=STAFF)
    section = page.text.split('<h2 id="skipped">')[1].split("</section>")[0]
    assert 'class="skipped"' not in section and "Ei mitään." in section


async def test_the_staff_preview_counts_a_mastodon_post_as_mastodon_does(
        setup: Setup) -> None:
    """Mastodon counts each web address as 23 characters; the preview's count says so, as
    the text was fitted (the event page's address is 85 characters here). The events' public
    address is under a top-level domain Mastodon knows (.fi): one under `.example` it takes
    for plain text and counts whole (`shared.announcements.post_length`)."""
    await setup.account("mastodon")
    event = activity(image=setup.fake.image_url)
    await setup.handle(handlers.on_activity_event, event)
    page = await setup.client.get(f"/staff/preview/{event.event_id}", params={"lang": "fi"},
                                  headers=STAFF)
    assert page.status_code == 200, page.text
    [(text, count)] = [(text, count) for count, text in re.findall(
        r'<p class="muted count">(\d+) / 500 merkkiä</p>.*?<pre>(.*?)</pre>', page.text,
        re.S)]
    link = f"https://tapahtumat.kuopio.fi/events/{event.event_id}/page?lang=fi"
    assert html.unescape(text).endswith(f"\n\n{link}") and len(link) > 23
    assert int(count) == len(html.unescape(text)) - len(link) + 23


async def test_staff_are_asked_once_of_a_post_that_failed_again_for_a_newer_revision(
        setup: Setup) -> None:
    """Moved after its post failed, the activity's post failed again for the newer revision:
    staff saw two rows alike (the newer time on both), each asking a decision. The newest
    alone is asked; a whole day is said by its date."""
    await setup.account("facebook")
    setup.fake.fault("facebook", "validation", times=2)
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"failed": 1}
    later = event.starts_at.replace(hour=0, minute=0) + timedelta(days=2)
    moved = ActivityEventRescheduled(**{**event.model_dump(), "revision": 2,
                                        "starts_at": later, "ends_at": later + timedelta(days=1),
                                        "all_day": True, "previous_starts_at": event.starts_at,
                                        "previous_ends_at": event.ends_at})
    await setup.handle(handlers.on_activity_event, moved)
    assert await setup.send() == {"failed": 1}
    failed = [d for d in await setup.deliveries(event.event_id) if d["status"] == "failed"]
    assert sorted(d["revision"] for d in failed) == [1, 2]
    attention = (await setup.client.get("/deliveries/attention", headers=STAFF)).json()
    assert [(d["activity_event_id"], d["revision"]) for d in attention["deliveries"]] == [
        (str(event.event_id), 2)]
    page = await setup.client.get("/staff", params={"lang": "fi"}, headers=STAFF)
    assert page.status_code == 200, page.text
    row = f'/staff/preview/{event.event_id}?lang=fi"><strong>Satutunti</strong></a>'
    assert page.text.count(row) == 1
    shown = day_short(later.astimezone(HELSINKI).date(), "fi")
    assert f"{row}\n          <br>{shown}\n" in page.text
    # Cancelled since: its post that did not go asks no decision any more.
    await setup.handle(handlers.on_activity_event, ActivityEventCancelled(
        **{**moved.model_dump(exclude={"previous_starts_at", "previous_ends_at"}),
           "revision": 3}))
    attention = (await setup.client.get("/deliveries/attention", headers=STAFF)).json()
    assert [d for d in attention["deliveries"]
            if d["activity_event_id"] == str(event.event_id)] == []


async def test_a_lost_answer_is_unconfirmed_where_a_resend_could_post_twice(
        setup: Setup) -> None:
    await setup.account("facebook")
    await setup.account("mastodon")
    setup.fake.fault("facebook", "timeout", delay=LATE_ANSWER)
    setup.fake.fault("mastodon", "timeout", delay=LATE_ANSWER)
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"unconfirmed": 1, "pending": 1}
    # Mastodon: tried again with the same Idempotency-Key, and the platform keeps one status.
    await setup.make_due()
    assert await setup.send() == {"published": 1}
    assert len(setup.fake.posts("mastodon")) == 1
    # Facebook: the post went out, but nobody knows; it is never tried again on its own.
    assert len(setup.fake.posts("facebook")) == 1
    await setup.make_due()
    assert await setup.send() == {}
    [row] = await setup.deliveries(event.event_id, channel="facebook")
    assert row["status"] == "unconfirmed"
    # A person looks at the page and confirms it is there.
    url = "https://www.facebook.com/100000000000001_1"
    response = await setup.client.post(f"/deliveries/{row['id']}/confirm", headers=STAFF,
                                       json={"remote_url": url})
    assert response.json()["status"] == "published" and response.json()["remote_url"] == url
    again = await setup.client.post(f"/deliveries/{row['id']}/confirm", headers=STAFF)
    assert again.status_code == 409


async def test_a_sender_that_vanished_mid_send_leaves_nothing_stuck(setup: Setup) -> None:
    await setup.account("facebook")
    await setup.account("mastodon")
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    now = datetime.now(UTC)
    async with setup.pool.acquire() as conn, conn.transaction():
        claimed = await NotificationStore(conn).claim_due("a-replica-that-died", 0.2, 10, now)
    assert len(claimed) == 2
    # The lease runs out: the sender's clock is past it (no waiting for the wall clock).
    setup.client.runtime.clock = FixedClock(now + timedelta(seconds=1))
    assert await setup.send() == {"published": 1}  # mastodon: safe to send again
    rows = {r["channel"]: r for r in await setup.deliveries(event.event_id)}
    assert rows["mastodon"]["status"] == "published"
    assert rows["facebook"]["status"] == "unconfirmed"
    assert "stopped while sending" in rows["facebook"]["last_error"]


async def test_two_replicas_never_post_the_same_delivery_twice(
        setup: Setup, start_service: Any) -> None:
    for platform in SOCIAL:
        await setup.account(platform)
    second = await start_service(spec, database_url=setup.client.runtime.settings.dsn,
                                 replica="replica-b")
    events = [activity(name=f"Tapahtuma {i}", image=setup.fake.image_url) for i in range(15)]
    for event in events:
        await setup.handle(handlers.on_activity_event, event)
    setup.settings.batch = 4

    async def drain(runtime: Any) -> None:
        while await jobs.send_due(runtime, setup.http, setup.settings):
            pass

    await asyncio.gather(drain(setup.client.runtime), drain(second.runtime))
    posted = [(p["platform"], p["text"].split("\n")[0]) for p in setup.fake.posts()]
    assert len(posted) == len(set(posted)) == 60
    rows = await setup.deliveries()
    assert {r["status"] for r in rows} == {"published"} and len(rows) == 60
    assert len({r["claimed_by"] for r in rows}) == 2  # both replicas did part of the work


async def test_organisers_get_their_booking_emails_with_a_calendar_entry(setup: Setup) -> None:
    await setup.account("email")
    venue_id, space_id = uuid4(), uuid4()
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto"), kind="library",
        area=AREA, municipality="Kuopio",
        spaces=[{"space_id": space_id, "name": {"fi": "Ryhmätila"}}]))
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    facts: dict[str, Any] = {
        "booking_id": uuid4(), "venue_id": venue_id, "space_id": space_id,
        "starts_at": starts, "ends_at": starts + timedelta(hours=2), "title": "Kuoroharjoitus",
        "organiser_id": uuid4(), "contact_email": "kuoro@example.fi"}
    await setup.handle(handlers.on_booking, BookingConfirmed(**facts))
    await setup.handle(handlers.on_booking, BookingConfirmed(**{**facts,
                                                                "contact_email": None}))
    assert await setup.send() == {"published": 1}
    await setup.handle(handlers.on_booking, BookingCancelled(**facts, reason="Remontti"))
    assert await setup.send() == {"published": 1}

    confirmed, cancelled = setup.fake.posts("email")
    assert confirmed["to"] == "kuoro@example.fi"
    assert confirmed["subject"].startswith("Varauksesi on vahvistettu: Kuoroharjoitus")
    assert "Paikka: Nilsiän kirjasto, Ryhmätila" in confirmed["text"]
    assert confirmed["ics"] and "STATUS:CONFIRMED" in confirmed["ics"]
    assert "Syy: Remontti" in cancelled["text"] and "STATUS:CANCELLED" in cancelled["ics"]
    # A calendar removes the entry only for METHOD:CANCEL (RFC 5546), in the file and the part.
    assert "METHOD:CANCEL" in cancelled["ics"] and cancelled["ics_method"] == "CANCEL"
    assert "METHOD:PUBLISH" in confirmed["ics"] and confirmed["ics_method"] == "PUBLISH"
    # The address is kept only as long as the message is on its way.
    rows = await setup.pool.fetch("SELECT recipient, status FROM deliveries "
                                  "WHERE booking_id = $1", facts["booking_id"])
    assert [(r["recipient"], r["status"]) for r in rows] == [(None, "published")] * 2


async def test_a_guide_answer_reaches_the_resident_by_email_and_the_address_is_forgotten(
        setup: Setup) -> None:
    await setup.account("email")
    reply = GuideReplyRequested(
        conversation_id=uuid4(), message_id=uuid4(), contact_email="asukas@example.fi",
        contact_language="en", question="Can our association use the KANTTI stage for free?",
        answer="Yes, when the activity is run with the library.", answered_by="KANTTI")
    await setup.handle(handlers.on_guide_reply, reply)
    await setup.handle(handlers.on_guide_reply, reply)  # redelivered: still one email
    assert await setup.send() == {"published": 1}
    [mail] = setup.fake.posts("email")
    assert (mail["to"], mail["subject"]) == ("asukas@example.fi", "An answer to your question")
    assert "> Can our association use the KANTTI stage for free?" in mail["text"]
    assert "Yes, when the activity is run with the library." in mail["text"]
    rows = await setup.pool.fetch(
        "SELECT recipient, status FROM deliveries WHERE purpose = 'guide_reply'")
    assert [(r["recipient"], r["status"]) for r in rows] == [(None, "published")]


async def test_an_approval_decision_reaches_the_organiser_and_the_address_is_forgotten(
        setup: Setup) -> None:
    """#14: staff refuse, then approve, an activity from the approval queue; its organiser
    gets each decision once, in their language, and the address is erased once sent."""
    await setup.account("email")
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    refused = ActivityEventApprovalDecided(
        event_id=uuid4(), decision_id=uuid4(), name=LocalizedText(fi="Puistojooga"),
        starts_at=starts, ends_at=starts + timedelta(hours=1), decision="refused",
        reason="Puisto on varattu toiselle", decided_at=datetime.now(UTC),
        contact_email="kuoro@example.fi", contact_language="fi")
    await setup.handle(handlers.on_approval_decided, refused)
    await setup.handle(handlers.on_approval_decided, refused)  # redelivered: still one email
    approved = ActivityEventApprovalDecided(**{
        **refused.model_dump(), "decision_id": uuid4(), "decision": "approved",
        "reason": None, "contact_language": "en"})
    await setup.handle(handlers.on_approval_decided, approved)
    await setup.handle(handlers.on_approval_decided, ActivityEventApprovalDecided(**{
        **refused.model_dump(), "decision_id": uuid4(), "contact_email": None}))  # nobody
    assert await setup.send() == {"published": 2}
    by_subject = {m["subject"].split(":")[0]: m for m in setup.fake.posts("email")}
    assert sorted(by_subject) == ["Tapahtumaasi ei julkaistu", "Your event has been published"]
    no = by_subject["Tapahtumaasi ei julkaistu"]
    assert no["to"] == "kuoro@example.fi" and "Syy: Puisto on varattu toiselle" in no["text"]
    yes = by_subject["Your event has been published"]
    assert (f"https://tapahtumat.kuopio.fi/events/{refused.event_id}/page?lang=en"
            in yes["text"])
    rows = await setup.pool.fetch(
        "SELECT purpose, recipient, status FROM deliveries WHERE purpose LIKE 'approval_%'"
        " ORDER BY purpose")
    assert [(r["purpose"], r["recipient"], r["status"]) for r in rows] == [
        ("approval_approved", None, "published"), ("approval_refused", None, "published")]


async def test_an_area_board_shows_every_activity_of_its_area_with_its_place(
        setup: Setup) -> None:
    await told(setup.pool, "open_guided")  # a kind of the vocabulary, as told here
    response = await setup.client.post("/boards", headers=STAFF, json={
        "area": AREA, "name": {"fi": "Nilsiän tori", "en": "Nilsiä square"},
        "kinds": ["open_guided"]})
    assert response.status_code == 201, response.text
    board = response.json()
    assert board["venue_id"] is None and board["kinds"] == ["open_guided"]
    assert (await setup.client.post("/boards", json={"area": AREA, "name": {"fi": "x"}})
            ).status_code == 401
    venue_id = uuid4()
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto"), kind="library",
        area=AREA, municipality="Kuopio"))
    shown = activity(name="Lukupiiri", venue_id=venue_id)
    other_kind = activity(name="Avoin olohuone", kind="open_unguided")
    elsewhere = ActivityEventPublished(**{**activity(name="Jynkän kuoro").model_dump(),
                                          "area": "kuopio.jynkka"})
    for event in (shown, other_kind, elsewhere):
        await setup.handle(handlers.on_activity_event, event)
    feed = (await setup.client.get(f"/boards/{board['id']}/feed.json")).json()
    assert [i["title"] for i in feed["items"]] == ["Lukupiiri"]
    assert "Paikka: Nilsiän kirjasto" in feed["items"][0]["content_text"]
    moved = ActivityEventUpdated(**{**shown.model_dump(), "revision": 2,
                                    "area": "kuopio.jynkka"})
    await setup.handle(handlers.on_activity_event, moved)

    async def left() -> bool:
        # The handler wrote beside the replica, which forgets its kept feed when the
        # database's notification reaches it (shared/readcache.py), a moment after commit.
        feed = (await setup.client.get(f"/boards/{board['id']}/feed.json")).json()
        return bool(feed["items"] == [])

    assert await eventually(left, timeout=5)  # it left the area, so it left the area's board


async def test_an_account_can_name_only_channel_secrets(setup: Setup) -> None:
    """Whoever configures an account also sets where its token is sent: it must not be able to
    name the server's own secrets."""
    base = {"platform": "mastodon", "name": "x", "base_url": "https://attacker.example"}
    for ref in ("env:KOHTAAMO_JWT_SECRET", "env:HOME", "file:/etc/passwd",
                f"file:{setup.secrets}/../../etc/passwd", "vault:kohtaamo/x"):
        response = await setup.client.post("/channels", headers=ADMIN,
                                           json={**base, "secret_ref": ref})
        assert response.status_code == 422, ref
        assert response.json()["detail"][0]["loc"] == ["body", "secret_ref"]
    allowed = await setup.client.post("/channels", headers=ADMIN, json={
        **base, "secret_ref": "env:KOHTAAMO_CHANNEL_KANTTI_MASTODON"})
    assert allowed.status_code == 201


async def test_where_a_token_goes_is_an_admins_recorded_choice(setup: Setup) -> None:
    """The incident of #13: a venue-limited communications user pointed the city's Mastodon
    account at their own server, keeping its secret_ref. Now that is refused; an admin's
    change is recorded; Facebook's API address is not taken from a request at all."""
    account_id = await setup.account("mastodon")
    venue_user = bearer("communications", venues=(uuid4(),), subject="kantti-viestinta")
    url = f"/channels/{account_id}"
    [current] = (await setup.client.get("/channels", headers=STAFF)).json()
    body = {k: current[k] for k in ("platform", "name", "base_url", "account_ref",
                                    "secret_ref", "languages")}
    hijack = await setup.client.put(url, headers=venue_user,
                                    json={**body, "base_url": "https://attacker.example"})
    assert hijack.status_code == 403
    other_token = await setup.client.put(url, headers=venue_user, json={
        **body, "secret_ref": "env:KOHTAAMO_CHANNEL_CITY_FACEBOOK"})
    assert other_token.status_code == 403
    assert (await setup.client.post("/channels", headers=venue_user, json={
        **body, "base_url": "https://attacker.example"})).status_code == 403
    renamed = await setup.client.put(url, headers=venue_user, json={**body, "name": "KANTTI"})
    assert renamed.status_code == 200 and renamed.json()["base_url"] == current["base_url"]
    moved = await setup.client.put(url, headers=bearer("admin", subject="paakayttaja"),
                                   json={**body, "base_url": "https://mastodon.kuopio.example"})
    assert moved.status_code == 200
    changes = (await setup.client.get(f"{url}/changes", headers=STAFF)).json()
    assert [(c["changed_by"], c["fields"], c["old_base_url"], c["new_base_url"])
            for c in changes] == [
        ("test-user", ["base_url", "secret_ref"], None, current["base_url"]),
        ("paakayttaja", ["base_url"], current["base_url"], "https://mastodon.kuopio.example")]
    # Announced on the bus too (through the outbox), never the secret itself.
    announced = [e.data for e in await events_on_topic(
        setup.client.runtime, NOTIFICATIONS_TOPIC, 2, keys={str(account_id)},
        event_type="fi.kohtaamo.channel.routing_changed.v1")]
    assert [(a["changed_by"], a["new_base_url"]) for a in announced] == [
        ("test-user", current["base_url"]), ("paakayttaja", "https://mastodon.kuopio.example")]
    assert all(setup.token("mastodon") not in str(a) for a in announced)
    refs = {"platform": "facebook", "name": "FB", "account_ref": "1001",
            "secret_ref": "env:KOHTAAMO_CHANNEL_FB"}
    elsewhere = await setup.client.post("/channels", headers=ADMIN, json={
        **refs, "base_url": "https://graph.attacker.example/v21.0"})
    assert elsewhere.status_code == 422
    assert elsewhere.json()["detail"][0]["loc"] == ["body", "base_url"]
    fixed = await setup.client.post("/channels", headers=ADMIN, json=refs)
    assert fixed.status_code == 201
    assert fixed.json()["base_url"] == setup.fake.base_url("facebook")


async def in_flight_then(setup: Setup, event: Any, change: Any, error_class: str) -> None:
    """`event`'s post is being sent when `change` arrives; then the send fails (`error_class`)
    and the post falls back to waiting, still saying the older revision."""
    from services.notifications.platforms import DeliveryError

    await setup.handle(handlers.on_activity_event, event)
    async with setup.pool.acquire() as conn, conn.transaction():
        [row] = await NotificationStore(conn).claim_due("replica-a", 30, 10, datetime.now(UTC))
    await setup.handle(handlers.on_activity_event, change)
    async with setup.pool.acquire() as conn:
        row = await NotificationStore(conn).get_delivery(row["id"])
    assert row is not None
    assert await usecases.record_outcome(
        PgUnitOfWork(setup.pool, NotificationStore), SYSTEM_CLOCK, row, "replica-a",
        jobs.tried(DeliveryError(error_class, "503 from the platform")), 0.5) == "pending"


async def test_a_post_superseded_while_being_sent_never_goes_out_with_its_old_text(
        setup: Setup) -> None:
    await setup.account("mastodon")
    first = activity(name="Satutunti")
    cancelled = ActivityEventCancelled(**{**first.model_dump(), "revision": 2})
    await in_flight_then(setup, first, cancelled, "retry")
    await setup.make_due()
    assert await setup.send() == {}
    # Neither the announcement of a cancelled activity nor a notice about an announcement
    # residents never saw.
    assert setup.fake.posts("mastodon") == []
    rows = await setup.deliveries(first.event_id)
    assert [(r["purpose"], r["status"]) for r in rows] == [
        ("announcement", "cancelled"), ("cancellation", "cancelled")]


async def test_an_update_while_the_announcement_was_being_sent_announces_the_new_text(
        setup: Setup) -> None:
    await setup.account("bluesky")
    first = activity(name="Lukupiiri")
    renamed = ActivityEventUpdated(**{**first.model_dump(), "revision": 2,
                                      "name": LocalizedText(fi="Lukupiiri ja teetä")})
    await in_flight_then(setup, first, renamed, "retry")
    await setup.make_due()
    assert await setup.send() == {"published": 1}
    [post] = setup.fake.posts("bluesky")
    assert post["text"].startswith("Lukupiiri ja teetä\n")
    rows = await setup.deliveries(first.event_id)
    assert [(r["revision"], r["status"]) for r in rows] == [(1, "cancelled"), (2, "published")]


async def test_nothing_but_a_cancellation_is_posted_about_an_activity_that_has_started(
        setup: Setup) -> None:
    account_id = await setup.account("facebook")
    (setup.secrets / "facebook").write_text("expired-over-the-weekend")
    event = activity(days=1)
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"pending": 1}  # the account waits for a person
    # Monday: the activity was on Saturday.
    await setup.pool.execute(
        """UPDATE activity_events SET facts = jsonb_set(facts, '{starts_at}',
               to_jsonb((now() - interval '2 days')::text))""")
    (setup.secrets / "facebook").write_text(setup.token("facebook"))
    await setup.client.post(f"/channels/{account_id}/reauthorised", headers=STAFF)
    assert await setup.send() == {}
    assert setup.fake.posts("facebook") == []
    [row] = await setup.deliveries(event.event_id)
    assert (row["status"], row["last_error"]) == ("cancelled", "the activity has started")


async def test_an_account_that_announced_an_activity_hears_when_it_moves_away_and_changes(
        setup: Setup) -> None:
    await setup.account("mastodon", areas=[AREA])
    first = activity()
    await setup.handle(handlers.on_activity_event, first)
    assert await setup.send() == {"published": 1}
    later = first.starts_at + timedelta(days=1)
    moved = ActivityEventRescheduled(**{**first.model_dump(), "revision": 2,
                                        "area": "kuopio.jynkka", "starts_at": later,
                                        "ends_at": later + timedelta(hours=1),
                                        "previous_starts_at": first.starts_at,
                                        "previous_ends_at": first.ends_at})
    await setup.handle(handlers.on_activity_event, moved)
    assert await setup.send() == {"published": 1}
    assert [p["text"].split("\n")[0] for p in setup.fake.posts("mastodon")] == [
        "Satutunti", "UUSI AIKA: Satutunti"]


async def test_boards_and_posts_say_when_taking_part_needs_registration(setup: Setup) -> None:
    await setup.account("mastodon", languages=["fi", "en"])
    venue_id = uuid4()
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto"), kind="library",
        area=AREA, municipality="Kuopio"))
    event = activity(venue_id=venue_id, registration_required=True)
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"published": 1}
    [post] = setup.fake.posts("mastodon")
    assert "Maksuton, ilmoittaudu etukäteen" in post["text"]
    assert "Free, sign up in advance" in post["text"]
    board = domain.board_id_for_venue(venue_id)
    [item] = (await setup.client.get(f"/boards/{board}/feed.json")).json()["items"]
    assert item["content_text"].endswith("Maksuton, ilmoittaudu etukäteen")
    rss = (await setup.client.get(f"/boards/{board}/feed.rss", params={"lang": "sv"})).text
    assert "Gratis, anmäl dig på förhand" in rss and "ingen anmälan" not in rss


async def test_a_failed_email_cannot_be_retried_once_its_address_is_erased(
        setup: Setup) -> None:
    await setup.account("email")
    setup.fake.fault("email", "validation")  # the server refuses the recipient
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    confirmed = BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=starts,
        ends_at=starts + timedelta(hours=2), title="Kuoroharjoitus", organiser_id=uuid4(),
        contact_email="kuoro@example.fi")
    await setup.handle(handlers.on_booking, confirmed)
    assert await setup.send() == {"failed": 1}
    row = await setup.pool.fetchrow("SELECT id, recipient FROM deliveries")
    assert row["recipient"] is None
    retried = await setup.client.post(f"/deliveries/{row['id']}/retry", headers=STAFF)
    assert retried.status_code == 409 and "address was erased" in retried.json()["detail"]


async def test_a_send_is_bounded_in_all_so_it_ends_before_its_claim_does(
        setup: Setup) -> None:
    """The client's timeout bounds each read; a platform that answers slowly but never quite
    stops (here: answers after 3 s, within a read timeout of 5 s) must still end the send
    before the lease, as a post that may be out."""
    await setup.account("instagram")
    setup.settings.send_timeout = 1.0
    slow = httpx.AsyncClient(timeout=httpx.Timeout(5.0))
    setup.fake.fault("instagram", "timeout", delay=3)
    event = activity(image=setup.fake.image_url)
    await setup.handle(handlers.on_activity_event, event)
    try:
        async with setup.pool.acquire() as conn, conn.transaction():
            [row] = await NotificationStore(conn).claim_due("replica-a", 30, 10,
                                                            datetime.now(UTC))
        result = await jobs.send_one(row, slow, deadline=1.0)
    finally:
        await slow.aclose()
    assert isinstance(result, jobs.DeliveryError) and result.error_class == "unconfirmed"
    assert "within 1 s in all" in result.detail


async def test_a_mastodon_resend_is_made_only_while_mastodon_still_knows_its_key(
        setup: Setup) -> None:
    """Mastodon dedupes a re-send by its Idempotency-Key for an hour: a lost answer whose
    re-send waited longer (the account was paused) is unconfirmed instead of posting twice."""
    await setup.account("mastodon")
    setup.fake.fault("mastodon", "timeout", delay=LATE_ANSWER)
    event = activity()
    await setup.handle(handlers.on_activity_event, event)
    assert await setup.send() == {"pending": 1}
    [row] = await setup.deliveries(event.event_id)
    assert row["maybe_sent_at"] is not None
    await setup.pool.execute(  # the account waited two hours before the next try
        "UPDATE deliveries SET maybe_sent_at = now() - interval '2 hours', due_at = now()")
    assert await setup.send() == {}
    [row] = await setup.deliveries(event.event_id)
    assert row["status"] == "unconfirmed" and "no longer recognises" in row["last_error"]
    assert len(setup.fake.posts("mastodon")) == 1
    failed = await events_on_topic(setup.client.runtime, NOTIFICATIONS_TOPIC, 1,
                                   event_type=NotificationFailed.EVENT_TYPE,
                                   where=lambda e: e.data["activity_event_id"]
                                   == str(event.event_id))
    assert len(failed) == 1


async def test_an_edit_that_moves_an_announced_activity_is_posted_as_a_new_place(
        setup: Setup) -> None:
    """A tester moved a published activity from Kauppatori to Väinölänniemi by an edit:
    no account said so, and the announcement still sent residents to the square."""
    await setup.account("mastodon")
    first = activity().model_copy(update={"place_name": LocalizedText(fi="Kauppatori",
                                                                      sv="Salutorget")})
    await setup.handle(handlers.on_activity_event, first)
    assert await setup.send() == {"published": 1}
    renamed = ActivityEventUpdated(**{**first.model_dump(), "revision": 2,
                                      "name": LocalizedText(fi="Satutunti puistossa")})
    await setup.handle(handlers.on_activity_event, renamed)
    assert await setup.send() == {}  # a new name alone: no notice (the page has it)
    moved = ActivityEventUpdated(**{**renamed.model_dump(), "revision": 3,
                                    "place_name": LocalizedText(fi="Väinölänniemi")})
    for _ in range(2):  # redelivered: one notice
        await setup.handle(handlers.on_activity_event, moved)
    assert await setup.send() == {"published": 1}
    notice = setup.fake.posts("mastodon")[-1]["text"].splitlines()
    assert notice[0] == "UUSI PAIKKA: Satutunti puistossa"
    assert "Väinölänniemi (aiemmin Kauppatori)" in notice


async def test_an_activity_moved_out_of_its_venue_is_where_its_place_name_says(
        setup: Setup) -> None:
    """A tester edited a library activity to the shore (outdoors, a place name, its venue
    kept): the event page said the shore, the posts, boards and feeds the library."""
    await setup.account("mastodon")
    venue_id = uuid4()
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto"), kind="library",
        area=AREA, municipality="Kuopio"))
    first = activity(venue_id=venue_id, place_kind="venue")
    await setup.handle(handlers.on_activity_event, first)
    assert await setup.send() == {"published": 1}
    shore = ActivityEventUpdated(**{**first.model_dump(), "revision": 2,
                                    "place_kind": "outdoors",
                                    "place_name": LocalizedText(fi="Nilsiän uimaranta")})
    await setup.handle(handlers.on_activity_event, shore)
    assert await setup.send() == {"published": 1}
    notice = setup.fake.posts("mastodon")[-1]["text"].splitlines()
    assert notice[0].startswith("UUSI PAIKKA: ")
    assert "Nilsiän uimaranta (aiemmin Nilsiän kirjasto)" in notice
    board = domain.board_id_for_venue(venue_id)
    feed = (await setup.client.get(f"/boards/{board}/feed.json?lang=fi")).json()
    assert "Nilsiän uimaranta" in feed["items"][0]["content_text"]
