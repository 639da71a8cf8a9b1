"""The organiser's activity page in a real browser (Debian's Chromium, Playwright) against the
events service as a process on real PostgreSQL: a move the booking refused for two reasons
(too long and past closing) says both, in fi, sv and en, and axe-core finds nothing serious
on a phone or a desktop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import usecases
from shared.clock import SYSTEM_CLOCK
from shared.contracts import (
    BookingConfirmed,
    BookingMoveRefused,
    LocalizedText,
    MoveRefusalReason,
    SpaceInfo,
    VenueRegistered,
)
from shared.db import create_pool
from shared.identity import Principal
from tests.axe import serious_violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

SUBJECT = "kamarikuoro"
TOKEN = bearer("organiser", subject=SUBJECT, name="Kamarikuoro Kaiku")[
    "Authorization"].removeprefix("Bearer ")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}
TOO_LONG = "a booking of this space may be at most 4 h long"
CLOSED = "the space can be booked only within its opening hours (16.12.: 09.00–20.00)"
SAID = {"fi": "Ajan siirto ei onnistunut: uusi aika on pidempi kuin tilan voi varata kerralla."
              " Tila ei ole silloin auki. Aukioloaika sinä päivänä: 9.00–20.00.",
        "sv": "Tiden kunde inte flyttas: den nya tiden är längre än lokalen kan bokas åt "
              "gången. Lokalen är inte öppen då. Öppettider den dagen: 09:00–20:00.",
        "en": "The time could not be moved: the new time is longer than the space can be "
              "booked at once. The space is not open then. Opening hours that day: "
              "09:00–20:00."}


async def _refused_move(dsn: str) -> UUID:
    """A published activity of a confirmed booking, its move asked and refused by the
    booking service for two reasons, by the use cases its handlers run."""
    pool = await create_pool(dsn)
    try:
        def uow() -> Any:
            return usecases.unit_of_work(pool)

        venue_id, space_id, booking_id = uuid4(), uuid4(), uuid4()
        await usecases.record_venue(uow(), SYSTEM_CLOCK, VenueRegistered(
            venue_id=venue_id, name=LocalizedText(fi="Jynkän kirjasto"), kind="library",
            area="kuopio.jynkka", municipality="Kuopio",
            spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Satusali"))]))
        starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
        row = await usecases.draft_from_booking(uow(), SYSTEM_CLOCK, BookingConfirmed(
            booking_id=booking_id, venue_id=venue_id, space_id=space_id, starts_at=starts,
            ends_at=starts + timedelta(hours=2), title="Kuoroharjoitus",
            organiser_id=uuid4(), organiser_subject=SUBJECT))
        assert row is not None
        organiser = Principal(subject=SUBJECT, roles=frozenset({"organiser"}))
        assert (await usecases.publish_event(uow(), SYSTEM_CLOCK, organiser, row["id"])
                )["status"] == "published"
        later = starts + timedelta(days=1)
        asked = await usecases.reschedule_event(uow(), SYSTEM_CLOCK, organiser, row["id"],
                                                usecases.NewTime(later, later + timedelta(
                                                    hours=5)))
        await usecases.follow_move_refusal(uow(), SYSTEM_CLOCK, BookingMoveRefused(
            booking_id=booking_id, request_id=UUID(asked["pending_move"]["request_id"]),
            code="rule", reason=TOO_LONG, rule="too_long", refusals=[
                MoveRefusalReason(code="too_long", reason=TOO_LONG, field="ends_at",
                                  details={"max_minutes": 240}),
                MoveRefusalReason(code="closed", reason=CLOSED, field="starts_at")]))
        return UUID(str(row["id"]))
    finally:
        await pool.close()


async def test_the_organiser_reads_every_reason_the_move_was_refused(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    event_id = await _refused_move(dsn)
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)
        await page.goto(f"{proc.url}/my/activities/{event_id}?lang=fi")
        await page.fill("input[name=token]", TOKEN)
        await page.click("form button")
        await page.wait_for_url(f"**/my/activities/{event_id}?lang=fi")
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{proc.url}/my/activities/{event_id}?lang={lang}")
            assert await page.locator("p.msg.error").inner_text() == SAID[lang]
            for size in (PHONE, DESKTOP):
                await page.set_viewport_size(size)
                assert await serious_violations(page) == [], (lang, size)
