"""The demo's activities: the walk that needs registration (issue #18) and digital help at
KANTTI for its notice board, created and published through the use cases, once however often
the demo is loaded, a load that stopped halfway carried on; KANTTI's is waited for until the
venue is known, then left out with a word."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID

import pytest

from services.events import demo, usecases
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
        kind="library", area="kuopio.keskusta", municipality="Kuopio", revision=1),
        draft_area="kuopio.keskusta")


def _published(uow: FakeUnitOfWork[EventStore]) -> list[UUID]:
    return [e.event_id for e in uow.published if isinstance(e, ActivityEventPublished)]


async def test_the_demo_publishes_the_walk_and_digital_help_at_kantti() -> None:
    store = _store()
    await _kantti_known(store)
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 4, 12, tzinfo=UTC))  # a Friday
    both = [demo.NATURE_WALK, demo.DIGITAL_HELP]
    assert await demo.load_demo(lambda: uow, clock) == both
    assert await demo.load_demo(lambda: uow, clock) == both
    published = {e.event_id: e for e in uow.published if isinstance(e, ActivityEventPublished)}
    walk, help_ = published[demo.NATURE_WALK], published[demo.DIGITAL_HELP]
    assert len([e for e in uow.published if isinstance(e, ActivityEventPublished)]) == 2
    assert walk.registration_required and walk.capacity == 12
    assert walk.organiser_subject == help_.organiser_subject == "demo-organiser"
    assert walk.starts_at.weekday() == 5  # a Saturday
    # At KANTTI, in its Kohtaamo space, on the next weekday (Monday), so its board shows it.
    assert help_.venue_id == demo.KANTTI and help_.space_id == demo.KANTTI_KOHTAAMO
    assert help_.area == "kuopio.keskusta" and help_.starts_at.date().isoformat() == "2026-12-07"


async def test_digital_help_waits_for_kantti_to_arrive() -> None:
    """Refused while the venue is unknown, published once as soon as it arrives."""
    store = _store()
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 4, 12, tzinfo=UTC))

    async def arrives_later() -> None:
        await asyncio.sleep(0.8)  # after the first refusals
        await _kantti_known(store)

    arrival = asyncio.create_task(arrives_later())
    loaded = await demo.load_demo(lambda: uow, clock, venue_wait=10)
    await arrival
    assert loaded == [demo.NATURE_WALK, demo.DIGITAL_HELP]
    assert sorted(map(str, _published(uow))) == sorted(map(str, loaded))


async def test_digital_help_is_left_out_with_a_word_when_kantti_never_comes(
        capsys: pytest.CaptureFixture[str]) -> None:
    store = _store()
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 4, 12, tzinfo=UTC))
    assert await demo.load_demo(lambda: uow, clock, venue_wait=0.6) == [demo.NATURE_WALK]
    assert "its digital help was left out" in capsys.readouterr().err
    assert _published(uow) == [demo.NATURE_WALK]
    await _kantti_known(store)  # the venue arrives: loading again adds the activity
    assert await demo.load_demo(lambda: uow, clock, venue_wait=0.6) == [
        demo.NATURE_WALK, demo.DIGITAL_HELP]
    assert _published(uow) == [demo.NATURE_WALK, demo.DIGITAL_HELP]


async def test_a_load_that_stopped_halfway_is_carried_on() -> None:
    """A draft left by a load that stopped before publishing is published by the next."""
    store = _store()
    await _kantti_known(store)
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 4, 12, tzinfo=UTC))
    await usecases.create_event(uow, clock, demo.DEMO_ORGANISER, demo.digital_help(clock.now()))
    assert _published(uow) == []
    await demo.load_demo(lambda: uow, clock)
    assert sorted(map(str, _published(uow))) == sorted(
        map(str, [demo.NATURE_WALK, demo.DIGITAL_HELP]))
