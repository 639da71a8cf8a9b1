"""The demo's activities: the walk that needs registration (issue #18) and digital help at
KANTTI for its notice board, created and published through the use cases, once however often
the demo is loaded; KANTTI's is waited for until the venue is known, then left out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.events import demo
from services.events.store import EventStore
from services.events.tests.fakes import FakeEventStore
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, VenueRegistered
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit


def _store() -> FakeEventStore:
    store = FakeEventStore()
    # The real vocabulary (migrations) has these; the fake's is smaller.
    for scheme, code in (("topic", "nature"), ("audience", "families"),
                         ("audience", "children"), ("kind", "open_guided"),
                         ("topic", "digital_skills"), ("audience", "seniors"),
                         ("audience", "everyone")):
        store.labels[(scheme, code)] = {"fi": code}
    return store


async def _kantti_known(store: FakeEventStore) -> None:
    await store.upsert_venue(VenueRegistered(
        venue_id=demo.KANTTI, name={"fi": "KANTTI", "sv": "KANTTI", "en": "KANTTI"},
        kind="library", area="kuopio.keskusta", municipality="Kuopio", revision=1))


async def test_the_demo_publishes_the_walk_and_digital_help_at_kantti() -> None:
    store = _store()
    await _kantti_known(store)
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 4, 12, tzinfo=UTC))  # a Friday
    assert await demo.load_demo(lambda: uow, clock) == demo.NATURE_WALK
    assert await demo.load_demo(lambda: uow, clock) == demo.NATURE_WALK
    published = {e.event_id: e for e in uow.published if isinstance(e, ActivityEventPublished)}
    walk, help_ = published[demo.NATURE_WALK], published[demo.DIGITAL_HELP]
    assert len([e for e in uow.published if isinstance(e, ActivityEventPublished)]) == 2
    assert walk.registration_required and walk.capacity == 12
    assert walk.organiser_subject == help_.organiser_subject == "demo-organiser"
    assert walk.starts_at.weekday() == 5  # a Saturday
    # At KANTTI, in its Kohtaamo space, on the next weekday (Monday), so its board shows it.
    assert help_.venue_id == demo.KANTTI and help_.space_id == demo.KANTTI_KOHTAAMO
    assert help_.area == "kuopio.keskusta" and help_.starts_at.date().isoformat() == "2026-12-07"


async def test_digital_help_waits_for_kantti_then_is_left_out() -> None:
    store = _store()
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 4, 12, tzinfo=UTC))
    assert await demo.load_demo(lambda: uow, clock, venue_wait=0.6) == demo.NATURE_WALK
    assert demo.DIGITAL_HELP not in {e.event_id for e in uow.published
                                     if isinstance(e, ActivityEventPublished)}
    await _kantti_known(store)  # the venue arrives: loading again adds the activity
    await demo.load_demo(lambda: uow, clock, venue_wait=0.6)
    assert demo.DIGITAL_HELP in {e.event_id for e in uow.published
                                 if isinstance(e, ActivityEventPublished)}
