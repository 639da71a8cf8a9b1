"""Against PostgreSQL: a booking event whose title is in English (`title_language`) makes a
draft with the English name only, which the organiser's pages and the JSON API show by that
name (never an empty title), and whose Finnish name the organiser's form asks for before it
is published; one without the field (an older producer) is named in Finnish as before, and
so is one with a language none of ours, even one longer than any language tag, read by the
service's own consumer without a dead letter."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest

from services.events import handlers
from services.events.app import spec
from services.events.labels import FINNISH_NEEDED
from shared.consumer import EventConsumer
from shared.contracts import BOOKING_TOPIC, BookingConfirmed, BookingMoved
from tests.apps import handle
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="lautapelit")
START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
FORM = {"kind": "open_guided", "place_kind": "venue", "languages": ["en"], "free": "1"}


def confirmed(**changes: Any) -> BookingConfirmed:
    return BookingConfirmed(**{
        "booking_id": uuid4(), "venue_id": uuid4(), "space_id": uuid4(), "starts_at": START,
        "ends_at": START + timedelta(hours=2), "title": "Board game night",
        "organiser_id": uuid4(), "organiser_subject": "lautapelit", **changes})


async def test_an_english_title_names_the_draft_in_english_and_pages_fall_back_to_it(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    booking = confirmed(title_language="en")
    await handle(pool, handlers.on_booking_confirmed, booking)
    row = await pool.fetchrow("SELECT id, name, status FROM activity_events"
                              " WHERE booking_id = $1", booking.booking_id)
    assert (row["name"], row["status"]) == ({"en": "Board game night"}, "draft")
    draft = row["id"]
    read = await client.get(f"/events/{draft}", headers=ORGANISER)
    assert read.status_code == 200 and read.json()["name"]["en"] == "Board game night"

    listed = await client.get("/my/activities?lang=fi", headers=ORGANISER)
    # Said in English on a Finnish page, and marked so (WCAG 3.1.2).
    assert listed.status_code == 200
    assert '<span lang="en">Board game night</span>' in listed.text
    page = f"/my/activities/{draft}"
    form = await client.get(f"{page}?lang=fi", headers=ORGANISER)
    assert form.status_code == 200
    assert '<h1><span lang="en">Board game night</span></h1>' in form.text
    assert 'name="name.en" value="Board game night"' in form.text
    assert 'name="name.fi" value=""' in form.text
    preview = await client.get(f"{page}/preview?lang=fi", headers=ORGANISER)
    assert preview.status_code == 200
    assert "<title>Board game night</title>" in preview.text

    # Saving it without the Finnish name says why Finnish is needed; nothing stored.
    saved = await client.post(f"{page}?lang=en", headers=ORGANISER, data={
        **FORM, "name.fi": "", "name.en": "Board game night"})
    assert saved.status_code == 422
    assert f'id="e-name-fi">{FINNISH_NEEDED["en"]}</p>' in saved.text
    published = await client.post(f"/events/{draft}/publish", headers=ORGANISER)
    assert published.status_code == 422 and "name.fi" in published.text
    named = await client.post(f"{page}?lang=en", headers=ORGANISER, data={
        **FORM, "name.fi": "Lautapeli-ilta", "name.en": "Board game night"})
    assert named.status_code == 303, named.text
    published = await client.post(f"/events/{draft}/publish", headers=ORGANISER)
    assert published.status_code == 200, published.text
    assert published.json()["name"] == {"fi": "Lautapeli-ilta", "sv": None,
                                        "en": "Board game night"}


async def test_a_swedish_name_outlasts_a_move_and_an_older_event_names_it_in_finnish(
        start_service: Any) -> None:
    pool = (await start_service(spec)).runtime.pool
    swedish = confirmed(title="Brädspelskväll", title_language="sv")
    await handle(pool, handlers.on_booking_confirmed, swedish)
    later = START + timedelta(days=1)
    await handle(pool, handlers.on_booking_moved, BookingMoved(**{
        **swedish.model_dump(), "starts_at": later, "ends_at": later + timedelta(hours=2),
        "previous_starts_at": START, "previous_ends_at": START + timedelta(hours=2)}))
    moved = await pool.fetchrow("SELECT name, starts_at FROM activity_events"
                                " WHERE booking_id = $1", swedish.booking_id)
    assert (moved["name"], moved["starts_at"]) == ({"sv": "Brädspelskväll"}, later)

    # A producer from before the field: the event has none, and the name is Finnish.
    data = confirmed(title="Lautapeli-ilta").model_dump(mode="json")
    del data["title_language"]
    older = BookingConfirmed.model_validate(data)
    await handle(pool, handlers.on_booking_confirmed, older)
    assert await pool.fetchval("SELECT name FROM activity_events WHERE booking_id = $1",
                               older.booking_id) == {"fi": "Lautapeli-ilta"}


@pytest.mark.parametrize("odd", ["se", "fi-FI-x-" + "kuopio" * 8, " "])
async def test_an_odd_title_language_names_the_draft_in_finnish_and_no_dead_letter(
        start_service: Any, odd: str) -> None:
    """A language booking offers later, or a producer's mistake (one longer than the 35
    characters the contract bounds it by: `BookingConfirmed` reads it clipped): the
    events service's consumer (`shared.consumer`, which reads every record by its
    contract) applies the booking; its draft is named in Finnish and the odd value said
    in a warning. A dead letter would have lost the organiser's draft."""
    pool = (await start_service(spec)).runtime.pool

    def no_producer() -> Any:
        raise AssertionError("nothing is dead-lettered")

    consumer = EventConsumer(name="events", handlers=spec.handlers, pool=lambda: pool,
                             producer=no_producer)
    booking = confirmed(title="Lautapeli-ilta")
    envelope = booking.to_envelope()
    envelope.data["title_language"] = odd  # as another producer wrote it
    record = SimpleNamespace(topic=BOOKING_TOPIC, partition=0, offset=0,
                             key=envelope.kafka_key(), value=envelope.kafka_value(),
                             headers=[(k, v.encode()) for k, v in
                                      envelope.kafka_headers().items()])
    # The service's own log (JSON lines on stdout) does not reach pytest's capture.
    said: list[logging.LogRecord] = []
    kept = logging.Handler(logging.WARNING)
    kept.emit = said.append  # type: ignore[method-assign]
    usecases_log = logging.getLogger("services.events.usecases")
    usecases_log.addHandler(kept)
    try:
        await consumer.process(record)  # type: ignore[arg-type]
    finally:
        usecases_log.removeHandler(kept)
    assert (consumer.handled, consumer.dead_lettered) == (1, 0)
    assert await pool.fetchval("SELECT name FROM activity_events WHERE booking_id = $1",
                               booking.booking_id) == {"fi": "Lautapeli-ilta"}
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0
    [warned] = said
    assert warned.levelno == logging.WARNING
    assert (warned.booking_id, warned.title_language) == (  # type: ignore[attr-defined]
        str(booking.booking_id), odd[:35])
