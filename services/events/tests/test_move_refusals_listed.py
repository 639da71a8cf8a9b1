"""A move the booking refused for more than one reason (a new time both too long and past
closing) is said to the organiser with every reason, as the desk hears them, each in the
page's language from its code and never in the booking service's English; an answer from a
booking service before it listed them reads as it did. In-memory store, fixed clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.events import organiser_pages, usecases
from services.events.tests.test_saga_usecases import history, published
from services.events.tests.test_usecases import ORGANISER, START, World
from shared.contracts import BookingMoveRefused, BookingMoveRequested, MoveRefusalReason

TOO_LONG = "a booking of this space may be at most 4 h long"
CLOSED = "the space can be booked only within its opening hours (16.12.: 09.00–20.00)"


@pytest.fixture
def world() -> World:
    return World()


async def _refused(world: World, **answer: Any) -> dict[str, Any]:
    """A published activity whose move the booking service refused as `answer` says."""
    event = await published(world)
    later = usecases.NewTime(START + timedelta(days=1), START + timedelta(days=1, hours=5))
    await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"], later)
    request = world.published[-1]
    assert isinstance(request, BookingMoveRequested)
    await usecases.follow_move_refusal(world.uow(), world.clock, BookingMoveRefused(
        booking_id=event["booking_id"], request_id=request.request_id, **answer))
    return event


async def _note(world: World, event: dict[str, Any], lang: str) -> str:
    found = await usecases.my_activity(world.uow(), ORGANISER, event["id"])
    text = organiser_pages.note_text(found.note, lang)
    assert text is not None
    return text


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Ajan siirto ei onnistunut: uusi aika on pidempi kuin tilan voi varata kerralla. "
           "Tila ei ole silloin auki. Aukioloaika sinä päivänä: 9.00–20.00."),
    ("sv", "Tiden kunde inte flyttas: den nya tiden är längre än lokalen kan bokas åt "
           "gången. Lokalen är inte öppen då. Öppettider den dagen: 09:00–20:00."),
    ("en", "The time could not be moved: the new time is longer than the space can be "
           "booked at once. The space is not open then. Opening hours that day: "
           "09:00–20:00."),
])
async def test_every_reason_the_booking_gives_is_said_in_the_pages_language(
        world: World, lang: str, said: str) -> None:
    event = await _refused(world, code="rule", reason=TOO_LONG, rule="too_long", refusals=[
        MoveRefusalReason(code="too_long", reason=TOO_LONG, field="ends_at",
                          details={"max_minutes": 240}),
        MoveRefusalReason(code="closed", reason=CLOSED, field="starts_at",
                          details={"day": "2026-12-16", "open": []})])
    # The history keeps each reason as the booking service said it, a line each.
    assert history(world, event["id"])[-1][2] == f"too_long: {TOO_LONG}\nclosed: {CLOSED}"
    assert await _note(world, event, lang) == said


async def test_an_answer_without_the_list_is_said_by_its_rule_as_before(world: World) -> None:
    event = await _refused(world, code="rule", reason=TOO_LONG, rule="too_long")
    assert history(world, event["id"])[-1][2] == f"too_long: {TOO_LONG}"
    assert await _note(world, event, "en") == (
        "The time could not be moved: the new time is longer than the space can be booked "
        "at once.")
