"""The demo's activity that needs registration: created and published through the use
cases, once however often the demo is loaded (issue #18)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.events import demo
from services.events.store import EventStore
from services.events.tests.fakes import FakeEventStore
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit


async def test_the_demo_publishes_one_activity_that_needs_registration() -> None:
    store = FakeEventStore()
    # The real vocabulary (migrations) has these; the fake's is smaller.
    for scheme, code in (("topic", "nature"), ("audience", "families"),
                         ("audience", "children"), ("kind", "open_guided")):
        store.labels[(scheme, code)] = {"fi": code}
    uow: FakeUnitOfWork[EventStore] = FakeUnitOfWork(store)
    clock = FixedClock(datetime(2026, 12, 1, 12, tzinfo=UTC))
    assert await demo.load_demo(lambda: uow, clock) == demo.NATURE_WALK
    assert await demo.load_demo(lambda: uow, clock) == demo.NATURE_WALK
    (published,) = [e for e in uow.published if isinstance(e, ActivityEventPublished)]
    assert published.registration_required and published.capacity == 12
    assert published.organiser_subject == "demo-organiser"
    assert published.starts_at.weekday() == 5  # a Saturday
