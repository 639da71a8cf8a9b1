"""An activity cancelled because its booking ended says why on its public page in the page's
language (journey review): "Tilavaraus peruttiin", "Lokalbokningen avbokades", "The booking
was cancelled", never the English words the service once stored ("booking cancelled"),
and the booking's own reason, when it gave one, is kept."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from services.events import pages, usecases
from services.events.pages import Lang
from services.events.tests.test_saga_usecases import booking_facts, published
from services.events.tests.test_usecases import ORGANISER, World
from shared.contracts import BookingCancelled, BookingNoShow

SAID = {"fi": "Tilavaraus peruttiin", "sv": "Lokalbokningen avbokades",
        "en": "The booking was cancelled"}


@pytest.fixture
def world() -> World:
    return World()


async def page(world: World, event_id: UUID, lang: Lang) -> str:
    found = await usecases.event_page(world.uow(), event_id)
    return pages.render_event(found.row, found.venue, found.vocabulary, lang,
                              "https://tapahtumat.example")


async def cancelled_with_booking(world: World, reason: str) -> dict[str, Any]:
    event = await published(world)
    await usecases.follow_booking_end(world.uow(), world.clock, BookingCancelled(
        **booking_facts(event["booking_id"]), reason=reason, cancelled_by="organiser"))
    return event


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_residents_read_that_the_booking_was_cancelled_in_their_language(
        world: World, lang: Lang) -> None:
    event = await cancelled_with_booking(world, reason="")
    html = await page(world, event["id"], lang)
    assert SAID[lang] in html
    assert "booking cancelled" not in html


async def test_a_booking_not_shown_up_for_reads_so_too(world: World) -> None:
    event = await published(world)
    await usecases.follow_booking_end(world.uow(), world.clock, BookingNoShow(
        **booking_facts(event["booking_id"])))
    assert SAID["sv"] in await page(world, event["id"], "sv")


async def test_the_reason_the_booking_gave_is_kept(world: World) -> None:
    event = await cancelled_with_booking(world, reason="Vesivahinko")
    html = await page(world, event["id"], "fi")
    assert "Peruttu – Syy: Tilavaraus peruttiin: Vesivahinko" in html


async def test_an_activity_cancelled_before_the_fix_reads_in_the_pages_language(
        world: World) -> None:
    """Existing databases keep the English words in the activity's history: they are the
    service's own, not anyone's reason, and read as the page's language."""
    event = await published(world)
    await world.store.set_status(event["id"], "cancelled", "booking:organiser",
                                 "booking cancelled", world.clock.now())
    html = await page(world, event["id"], "fi")
    assert SAID["fi"] in html and "booking cancelled" not in html


async def test_an_activity_its_organiser_cancelled_is_not_said_to_be_the_bookings(
        world: World) -> None:
    event = await published(world)
    await usecases.cancel_event(world.uow(), world.clock, ORGANISER, event["id"], "Sairastuin")
    html = await page(world, event["id"], "fi")
    assert "Sairastuin" in html and SAID["fi"] not in html


async def test_its_organiser_does_not_read_the_old_english_words_either(
        world: World) -> None:
    event = await published(world)
    await world.store.set_status(event["id"], "cancelled", "booking:organiser",
                                 "booking cancelled", world.clock.now())
    seen = await usecases.my_activity(world.uow(), ORGANISER, event["id"])
    assert seen.note is None and seen.row["status_reason"] is None
    assert seen.row["status_by_booking"]
