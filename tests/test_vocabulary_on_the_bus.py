"""The vocabulary's words reach the notifications service on the real broker: staff add a
topic with its Finnish, Swedish and English words on the events service (`PUT /vocabulary`),
and the notifications service's follow page offers it by those words in the reader's
language, as it names the seed's terms the events service told at its start. Before, no event
carried the words: the follow page had a hand-made copy of the seed's, and a topic added
later read as its code made words ("Board games"), the same in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from services.booking.app import spec as booking_spec
from services.events.app import spec as events_spec
from services.guide.app import spec as guide_spec
from services.notifications import usecases as notifications_usecases
from services.notifications.app import spec as notifications_spec
from services.notifications.store import NotificationStore
from services.notifications.tests.test_vocabulary import choices
from shared.consumer import EventConsumer
from shared.contracts import EVENTS_TOPIC, LocalizedText, VocabularyTermSet
from shared.service import ServiceSpec
from shared.uow import PgUnitOfWork
from tests.infra import bearer, eventually

COMMS = bearer("communications", subject="viestinta")


async def publish_board_games_evening(events: Any) -> datetime:
    """Staff add the topic "board_games" (fi/sv/en words) and publish an activity with it
    in three days in Jynkkä; its start."""
    added = await events.put("/vocabulary", headers=COMMS, json={
        "scheme": "topic", "code": "board_games",
        "label": {"fi": "Lautapelit", "sv": "Brädspel", "en": "Board games"}})
    assert added.status_code == 200, added.text
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    created = await events.post("/events", headers=COMMS, json={
        "name": {"fi": "Lautapeli-ilta"}, "kind": "open_guided", "place_kind": "outdoors",
        "area": "kuopio.jynkka", "place_name": {"fi": "Jynkän puisto"},
        "topics": ["board_games"], "audiences": ["families"],
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()})
    assert created.status_code == 201, created.text
    published = await events.post(f"/events/{created.json()['id']}/publish", headers=COMMS)
    assert published.json()["status"] == "published", published.text
    return starts


async def test_a_topic_staff_add_is_offered_on_the_follow_page_by_its_words(
        start_service: Any) -> None:
    events = await start_service(events_spec)
    notifications = await start_service(notifications_spec)

    await publish_board_games_evening(events)

    async def offered(lang: str, code: str, words: str) -> dict[str, str] | None:
        found = choices((await notifications.get(f"/follow?lang={lang}")).text)
        return found if found.get(code) == words else None

    sv = await eventually(lambda: offered("sv", "board_games", "Brädspel"))
    # The seed's terms, told once at the events service's start, are named too.
    sv = await eventually(lambda: offered("sv", "families", "Barnfamiljer"))
    assert sv["open_guided"] == "Öppen handledd verksamhet"
    assert choices((await notifications.get("/follow?lang=fi")).text)["board_games"] == \
        "Lautapelit"
    options = await notifications_usecases.following_options(
        PgUnitOfWork(notifications.runtime.pool, NotificationStore), "en")
    assert ("board_games", "Board games") in options["topics"]

    # Staff give it other words: the page follows.
    relabelled = await events.put("/vocabulary", headers=COMMS, json={
        "scheme": "topic", "code": "board_games",
        "label": {"fi": "Lautapelit", "sv": "Sällskapsspel", "en": "Board games"}})
    assert relabelled.status_code == 200, relabelled.text
    await eventually(lambda: offered("sv", "board_games", "Sällskapsspel"))


@pytest.mark.parametrize("spec", [guide_spec, booking_spec],
                         ids=lambda spec: spec.name)
async def test_the_other_readers_of_the_topic_skip_the_new_type(spec: ServiceSpec) -> None:
    """The guide and booking read `events.v1` too, with no handler for the terms (metrics
    keeps them since it names kinds and topics by their words):
    their consumer (shared/consumer.py, the one place every service dispatches by type)
    skips such a record before its database or a dead letter is touched."""
    assert any(cls.TOPIC == EVENTS_TOPIC for cls in spec.handlers)
    assert VocabularyTermSet not in spec.handlers

    def untouched() -> Any:
        raise AssertionError("neither the database nor a dead letter is touched")

    consumer = EventConsumer(name=spec.name, handlers=spec.handlers, pool=untouched,
                             producer=untouched)
    envelope = VocabularyTermSet(scheme="topic", code="board_games",
                                 label=LocalizedText(fi="Lautapelit"), revision=1).to_envelope()
    record = SimpleNamespace(topic=EVENTS_TOPIC, partition=0, offset=0,
                             key=envelope.kafka_key(), value=envelope.kafka_value(),
                             headers=[(k, v.encode()) for k, v in
                                      envelope.kafka_headers().items()])
    await consumer.process(record)  # type: ignore[arg-type]
    assert (consumer.handled, consumer.dead_lettered) == (0, 0)
