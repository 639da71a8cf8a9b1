"""The organiser's attendance page after a report (tester 2's defect 4): it says the numbers
just reported, as the page's language writes numbers, in fi, sv and en, never the label's
placeholders. The events service in this process on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import usecases
from services.events.app import spec
from shared.clock import SYSTEM_CLOCK
from shared.contracts import BookingConfirmed, LocalizedText, SpaceInfo, VenueRegistered
from tests.infra import bearer

pytestmark = pytest.mark.infra

SUBJECT = "kamarikuoro"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Kamarikuoro Kaiku")


async def test_the_report_is_said_with_its_numbers_in_each_language(start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    # A large hall, so that a four-figure report counts at once (not held for staff).
    venue_id, space_id = uuid4(), uuid4()
    await usecases.record_venue(usecases.unit_of_work(pool), SYSTEM_CLOCK, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Musiikkikeskus"), kind="library",
        area="kuopio.keskusta", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Konserttisali"),
                          capacity=2000)]))
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    draft = await usecases.draft_from_booking(
        usecases.unit_of_work(pool), SYSTEM_CLOCK, BookingConfirmed(
            booking_id=uuid4(), venue_id=venue_id, space_id=space_id, starts_at=started,
            ends_at=started + timedelta(hours=2), title="Joulukonsertti",
            organiser_id=uuid4(), organiser_subject=SUBJECT))
    assert draft is not None
    published = await client.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert published.json()["status"] == "published", published.text
    page = f"/my/activities/{draft['id']}/attendance"

    for lang, participants, visitors, said in (
            ("fi", "12", "5", "Ilmoitettu: 12 osallistujaa, 5 kävijää."),
            ("sv", "1200", "5", "Meddelat: 1\u00a0200 deltagare, 5 besökare."),
            ("en", "1200", "1500", "Reported: 1,200 participants, 1,500 visitors.")):
        sent = await client.post(f"{page}?lang={lang}", headers=ORGANISER,
                                 data={"participants": participants, "visitors": visitors})
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"] == f"{page}?lang={lang}&done=reported"
        shown = await client.get(sent.headers["location"], headers=ORGANISER)
        assert shown.status_code == 200
        assert said in shown.text, lang
        assert "{p}" not in shown.text and "{v}" not in shown.text
