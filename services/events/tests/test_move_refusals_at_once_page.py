"""The organiser's "Move to a new time" form says every problem of the new time in one answer,
each by its input and in the summary naming the input, in fi, sv and en: a start gone by and
an end before it; an unreadable end beside a start gone by. Nothing is asked of the booking.
The events service in this process, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import usecases
from services.events.app import spec
from services.events.labels import ORGANISER as SAID
from shared.clock import HELSINKI, SYSTEM_CLOCK
from shared.contracts import BookingConfirmed
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="lukupiiri")
START = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)
PAST = {"fi": "Uusi aika on jo mennyt: valitse tuleva aika.",
        "sv": "Den nya tiden har redan varit: välj en kommande tid.",
        "en": "The new time has already passed: choose a coming time."}
ORDER = {"fi": "Päättymisajan pitää olla alkamisen jälkeen.",
         "sv": "Sluttiden måste vara efter starttiden.",
         "en": "The end must be after the start."}
UNREAD = {"fi": "Anna päivä ja kellonaika.", "sv": "Ange datum och klockslag.",
          "en": "Give a date and time."}


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_every_problem_of_a_new_time_is_said_at_once(start_service: Any,
                                                           lang: str) -> None:
    client = await start_service(spec)
    draft = await usecases.draft_from_booking(
        usecases.unit_of_work(client.runtime.pool), SYSTEM_CLOCK, BookingConfirmed(
            booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
            ends_at=START + timedelta(hours=2), title="Lukupiiri", organiser_id=uuid4(),
            organiser_subject="lukupiiri"))
    assert draft is not None
    page = f"/my/activities/{draft['id']}/reschedule?lang={lang}"
    t = SAID[lang]
    gone = datetime.now(UTC) - timedelta(days=1)

    both = await client.post(page, headers=ORGANISER, data={
        "starts_at": _local(gone), "ends_at": _local(gone - timedelta(hours=1))})
    assert both.status_code == 422
    assert f'<p class="field-error" id="e-reschedule-starts_at">{PAST[lang]}</p>' in both.text
    assert f'<p class="field-error" id="e-reschedule-ends_at">{ORDER[lang]}</p>' in both.text
    assert f'<a href="#f-reschedule-starts_at">{t["new_start"]}: {PAST[lang]}</a>' in both.text
    assert f'<a href="#f-reschedule-ends_at">{t["new_end"]}: {ORDER[lang]}</a>' in both.text

    unread = await client.post(page, headers=ORGANISER, data={
        "starts_at": _local(gone), "ends_at": "huomenna"})
    assert unread.status_code == 422
    assert f'id="e-reschedule-starts_at">{PAST[lang]}</p>' in unread.text
    assert f'id="e-reschedule-ends_at">{UNREAD[lang]}</p>' in unread.text
    assert 'value="huomenna"' in unread.text  # as typed

    stored = (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json()
    assert stored["pending_move"] is None  # nothing asked of the booking
    assert datetime.fromisoformat(stored["starts_at"]) == draft["starts_at"]
