"""What the organiser's and the approval queue's pages show, in HTML, from the events service
in this process on the real database: a past new time refused next to its field before the
booking is asked; edits that were refused are not published by a "Publish" button beside
them; a description without its Finnish says why Finnish is needed; the queue shows no empty
organiser row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import usecases
from services.events.app import spec
from services.events.approvals_page import LABELS as QUEUE
from services.events.labels import FINNISH_NEEDED
from services.events.labels import ORGANISER as SAID
from shared.clock import HELSINKI, SYSTEM_CLOCK
from shared.contracts import BookingConfirmed
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="lukupiiri")
COMMS = bearer("communications", subject="viestinta", name="Viestintä")
START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
FORM = {"name.fi": "Lukupiiri", "kind": "open_guided", "place_kind": "venue",
        "languages": ["fi"], "free": "1"}


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


async def test_the_organisers_page_says_what_to_fix_before_anything_is_asked_or_published(
        start_service: Any) -> None:
    client = await start_service(spec)
    draft = await usecases.draft_from_booking(
        usecases.unit_of_work(client.runtime.pool), SYSTEM_CLOCK, BookingConfirmed(
            booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
            ends_at=START + timedelta(hours=2), title="Lukupiiri", organiser_id=uuid4(),
            organiser_subject="lukupiiri"))
    assert draft is not None
    page = f"/my/activities/{draft['id']}"

    # A past time: refused next to the new start, in the page's language; nothing asked.
    past = datetime.now(UTC) - timedelta(days=1)
    moved = await client.post(f"{page}/reschedule?lang=fi", headers=ORGANISER, data={
        "starts_at": _local(past), "ends_at": _local(past + timedelta(hours=1))})
    assert moved.status_code == 422
    assert '<p class="field-error" id="e-reschedule-starts_at">Uusi aika on jo mennyt: ' \
           'valitse tuleva aika.</p>' in moved.text
    stored = (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json()
    assert stored["pending_move"] is None

    # Edits refused: the page says to save them first, and offers no "Publish" beside them.
    shown = await client.get(f"{page}?lang=en", headers=ORGANISER)
    assert f'action="{page}/publish?lang=en"' in shown.text
    refused = await client.post(f"{page}?lang=en", headers=ORGANISER,
                                data={**FORM, "name.fi": "Uusi nimi", "min_age": "-3"})
    assert refused.status_code == 422
    assert "Give a number from 0 to 120." in refused.text
    assert f'action="{page}/publish?lang=en"' not in refused.text
    assert SAID["en"]["publish_unsaved"] in refused.text

    # A Swedish description alone: the Finnish field says why Finnish is needed.
    swedish = await client.post(f"{page}?lang=sv", headers=ORGANISER,
                                data={**FORM, "description.sv": "Vi läser tillsammans."})
    assert swedish.status_code == 422
    assert f'id="e-description-fi">{FINNISH_NEEDED["sv"]}</p>' in swedish.text
    assert "Uppgiften behövs." not in swedish.text
    assert (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json() == stored


async def test_the_approval_queue_shows_no_empty_organiser_row(start_service: Any) -> None:
    client = await start_service(spec)
    ids = []
    for name, organiser in (("Puistojooga", None), ("Pihakirppis", "Pihayhdistys ry")):
        made = await client.post("/events", headers=ORGANISER, json={
            "name": {"fi": name}, "kind": "open_guided", "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"},
            "area": "kuopio.jynkka", "organiser_name": organiser,
            "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat()})
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
        queued = await client.post(f"/events/{ids[-1]}/publish", headers=ORGANISER)
        assert queued.json()["status"] == "awaiting_approval"
    queue = await client.get("/approvals/queue?lang=sv", headers=COMMS)
    assert queue.status_code == 200
    unnamed, named = (queue.text.split(f'data-id="{i}"')[1].split("</article>")[0]
                      for i in ids)
    assert "Arrangör" not in unnamed and "<dd></dd>" not in unnamed
    assert "<p></p>" not in unnamed
    assert "<dt>Arrangör</dt><dd>Pihayhdistys ry</dd>" in named


async def test_the_queue_says_whose_decision_no_email_will_tell(start_service: Any) -> None:
    """An organiser whose sign-in gives no verified address (one booking verified, say) is
    not mailed the decision: staff see so by each activity, and who will be mailed."""
    client = await start_service(spec)
    mailed = bearer("organiser", subject="kuoro", email="Kuoro@example.fi",
                    email_verified=True)
    unverified = bearer("organiser", subject="lukupiiri", email="luku@example.fi",
                        email_verified=False)
    ids = []
    for who in (mailed, unverified):
        made = await client.post("/events", headers=who, json={
            "name": {"fi": "Puistojooga"}, "kind": "open_guided", "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"},
            "area": "kuopio.jynkka", "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat()})
        ids.append(made.json()["id"])
        queued = await client.post(f"/events/{ids[-1]}/publish", headers=who)
        assert queued.json()["status"] == "awaiting_approval"
    for lang in ("fi", "sv", "en"):
        queue = await client.get(f"/approvals/queue?lang={lang}", headers=COMMS)
        first, second = (queue.text.split(f'data-id="{i}"')[1].split("</article>")[0]
                         for i in ids)
        told = QUEUE[lang]["told"]
        assert f"<dt>{told}</dt><dd>{QUEUE[lang]['told_mail']}</dd>" in first, lang
        assert f"<dt>{told}</dt><dd>{QUEUE[lang]['told_page']}</dd>" in second, lang
        # A Finnish-only name on a Swedish or English queue is marked Finnish (WCAG 3.1.2).
        named = "Puistojooga" if lang == "fi" else '<span lang="fi">Puistojooga</span>'
        assert f'<h2 id="n-{ids[0]}">{named}</h2>' in queue.text, lang


async def test_a_cancelled_activity_whose_space_is_still_booked_says_how_to_free_it(
        start_service: Any) -> None:
    """A tester cancelled the activity and kept the booking: its page said only that it
    could not be changed, and the booking still offered to write the activity."""
    client = await start_service(spec)
    pool = client.runtime.pool
    booking_id = uuid4()
    draft = await usecases.draft_from_booking(
        usecases.unit_of_work(pool), SYSTEM_CLOCK, BookingConfirmed(
            booking_id=booking_id, venue_id=uuid4(), space_id=uuid4(), starts_at=START,
            ends_at=START + timedelta(hours=2), title="Lukupiiri", organiser_id=uuid4(),
            organiser_subject="lukupiiri"))
    assert draft is not None
    page = f"/my/activities/{draft['id']}"
    published = await client.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert published.json()["status"] == "published", published.text
    cancelled = await client.post(f"/events/{draft['id']}/cancel", headers=ORGANISER,
                                  json={"reason": "Vetäjä sairastui"})
    assert cancelled.status_code == 200, cancelled.text
    shown = await client.get(f"{page}?lang=fi", headers=ORGANISER)
    assert 'id="booking-kept"' in shown.text and "peru varaus" in shown.text
    assert f"/my/bookings/{booking_id}?lang=fi" in shown.text
    # Released with it: nothing to free.
    await pool.execute("UPDATE bookings SET status = 'cancelled' WHERE booking_id = $1",
                       booking_id)
    assert 'id="booking-kept"' not in (await client.get(page, headers=ORGANISER)).text


async def test_a_cancellation_that_releases_the_booking_says_so_not_that_it_still_stands(
        start_service: Any) -> None:
    """A tester cancelled with "Release the booking too" ticked: the page said the booking
    still stood and to cancel it, while the booking service was releasing it already."""
    client = await start_service(spec)
    pool = client.runtime.pool
    booking_id = uuid4()
    draft = await usecases.draft_from_booking(
        usecases.unit_of_work(pool), SYSTEM_CLOCK, BookingConfirmed(
            booking_id=booking_id, venue_id=uuid4(), space_id=uuid4(), starts_at=START,
            ends_at=START + timedelta(hours=2), title="Lukupiiri", organiser_id=uuid4(),
            organiser_subject="lukupiiri"))
    assert draft is not None
    page = f"/my/activities/{draft['id']}"
    published = await client.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert published.json()["status"] == "published", published.text
    cancelled = await client.post(f"{page}/cancel?lang=en", headers=ORGANISER,
                                  data={"reason": "The leader fell ill",
                                        "release_booking": "1"})
    assert cancelled.status_code == 303, cancelled.text
    # The booking service has not heard of it yet: the booking still reads as confirmed.
    for lang, releasing, kept in (
            ("en", "The space booking is being released", "still stands"),
            ("fi", "Tilavarausta perutaan", "yhä voimassa")):
        shown = (await client.get(f"{page}?lang={lang}", headers=ORGANISER)).text
        assert 'id="booking-releasing"' in shown and releasing in shown, lang
        assert SAID[lang]["booking_releasing"] in shown, lang
        assert 'id="booking-kept"' not in shown and kept not in shown, lang
    # Released: nothing more to say of it.
    await pool.execute("UPDATE bookings SET status = 'cancelled' WHERE booking_id = $1",
                       booking_id)
    shown = (await client.get(f"{page}?lang=en", headers=ORGANISER)).text
    assert 'id="booking-releasing"' not in shown and 'id="booking-kept"' not in shown
