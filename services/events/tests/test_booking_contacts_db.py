"""Against PostgreSQL and Kafka: an organiser whose address only the booking service verified
(a booking's `contact_email`) is mailed the decision on their booking's draft. The address
is kept with the draft (`booking_contacts`, migration 016) only while it may be needed: it
goes to the approval queue with the draft when the sign-in gives none, and out with the
decision (`event.approval_decided`), then it is gone; a booking over before a decision, or a
draft out at once, keeps nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import handlers, jobs, usecases
from services.events.app import spec
from services.events.approvals_page import LABELS as QUEUE
from shared.clock import FixedClock
from shared.contracts import (
    EVENTS_TOPIC,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
)
from tests.apps import handle
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
#: A sign-in whose address the identity provider does not vouch for.
ORGANISER = bearer("organiser", subject="kuoro", email="kuoro@example.fi",
                   email_verified=False)
COMMS = bearer("communications", subject="viestinta")


def confirmed(venue_id: UUID, space_id: UUID, **changes: Any) -> BookingConfirmed:
    return BookingConfirmed(**{
        "booking_id": uuid4(), "venue_id": venue_id, "space_id": space_id,
        "starts_at": START, "ends_at": START + timedelta(hours=2), "title": "Kuoroharjoitus",
        "organiser_id": uuid4(), "organiser_subject": "kuoro",
        "contact_email": "Varaus@Example.fi", "contact_language": "sv", **changes})


async def _library(pool: Any) -> tuple[UUID, UUID]:
    """Jynkkä's library and its group room, as the booking service registered them."""
    venue_id, space_id = uuid4(), uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Jynkän kirjasto"), kind="library",
        area="kuopio.jynkka", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Ryhmätila"))]))
    return venue_id, space_id


async def test_a_bookings_verified_address_is_kept_for_its_draft_until_the_decision(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id = await _library(pool)

    async def kept(table: str, event_id: UUID) -> list[tuple[str, str]]:
        rows = await pool.fetch(f"SELECT email, language FROM {table}"
                                " WHERE event_id = $1", event_id)
        return [(r["email"], r["language"]) for r in rows]

    async def draft_of(booking: BookingConfirmed) -> UUID:
        await handle(pool, handlers.on_booking_confirmed, booking)
        draft: UUID = await pool.fetchval(
            "SELECT id FROM activity_events WHERE booking_id = $1", booking.booking_id)
        assert await kept("booking_contacts", draft) == [("varaus@example.fi", "sv")]
        return draft

    # Sent to the queue (outdoors, its booking no longer covers it) with a sign-in that
    # gives no verified address: the booking's goes with it, and the queue says "by email".
    queued = await draft_of(confirmed(venue_id, space_id))
    moved = await client.patch(f"/events/{queued}", headers=ORGANISER,
                               json={"place_kind": "outdoors",
                                     "place_name": {"fi": "Jynkän puisto"}})
    assert moved.status_code == 200, moved.text
    sent = await client.post(f"/events/{queued}/publish?lang=fi", headers=ORGANISER)
    assert sent.json()["status"] == "awaiting_approval", sent.text
    assert await kept("booking_contacts", queued) == []
    assert await kept("approval_contacts", queued) == [("varaus@example.fi", "sv")]
    page = await client.get("/approvals/queue?lang=en", headers=COMMS)
    item = page.text.split(f'data-id="{queued}"')[1].split("</article>")[0]
    assert f"<dd>{QUEUE['en']['told_mail']}</dd>" in item

    approved = await client.post(f"/events/{queued}/approve", headers=COMMS)
    assert approved.json()["status"] == "published", approved.text
    assert await kept("approval_contacts", queued) == []
    [decided] = await events_on_topic(client.runtime, EVENTS_TOPIC, 1, keys={str(queued)},
                                      event_type="fi.kohtaamo.event.approval_decided.v1")
    assert (decided.data["decision"], decided.data["contact_email"],
            decided.data["contact_language"]) == ("approved", "varaus@example.fi", "sv")

    # A booking cancelled before any decision, or one whose time is over: nothing kept.
    cancelled = confirmed(venue_id, space_id)
    withdrawn = await draft_of(cancelled)
    await handle(pool, handlers.on_booking_end, BookingCancelled(
        **cancelled.model_dump(), reason="Peruttu", cancelled_by="organiser"))
    assert await pool.fetchval("SELECT status FROM activity_events WHERE id = $1",
                               withdrawn) == "withdrawn"
    assert await kept("booking_contacts", withdrawn) == []
    over = confirmed(venue_id, space_id)
    left = await draft_of(over)
    await handle(pool, handlers.on_booking_ended, BookingEnded(
        **over.model_dump(), previous_starts_at=over.starts_at,
        previous_ends_at=over.ends_at))
    assert await kept("booking_contacts", left) == []

    # Out at once (its confirmed booking covers it): nothing kept, nobody to tell.
    at_once = await draft_of(confirmed(venue_id, space_id))
    out = await client.post(f"/events/{at_once}/publish", headers=ORGANISER)
    assert out.json()["status"] == "published", out.text
    assert await kept("booking_contacts", at_once) == []
    assert await kept("approval_contacts", at_once) == []
    assert await pool.fetchval("SELECT count(*) FROM booking_contacts") == 0


async def test_the_scheduled_pass_forgets_the_addresses_of_ended_activities(
        start_service: Any) -> None:
    """No decision is mailed for an ended activity, and a `booking.ended` lost to an outage
    would leave a draft's address for good: the events service's pass forgets the queue's
    and the drafts' addresses once their activity has ended, and nothing before."""
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id = await _library(pool)
    drafts = []
    for _ in range(2):
        booking = confirmed(venue_id, space_id)
        await handle(pool, handlers.on_booking_confirmed, booking)
        drafts.append(await pool.fetchval(
            "SELECT id FROM activity_events WHERE booking_id = $1", booking.booking_id))
    queued, waiting = drafts
    moved = await client.patch(f"/events/{queued}", headers=ORGANISER,
                               json={"place_kind": "outdoors",
                                     "place_name": {"fi": "Jynkän puisto"}})
    assert moved.status_code == 200, moved.text
    sent = await client.post(f"/events/{queued}/publish?lang=fi", headers=ORGANISER)
    assert sent.json()["status"] == "awaiting_approval", sent.text

    async def counts() -> tuple[int, int]:
        return (await pool.fetchval("SELECT count(*) FROM approval_contacts"),
                await pool.fetchval("SELECT count(*) FROM booking_contacts"))

    assert await counts() == (1, 1)
    assert await jobs.forget_ended_contacts(client.runtime) == 0  # not ended yet
    assert await counts() == (1, 1)
    after = FixedClock(START + timedelta(hours=2))
    assert await usecases.forget_ended_contacts(usecases.unit_of_work(pool), after) == 2
    assert await counts() == (0, 0)
    # The activities themselves stay as they are.
    assert [await pool.fetchval("SELECT status FROM activity_events WHERE id = $1", i)
            for i in (queued, waiting)] == ["awaiting_approval", "draft"]
