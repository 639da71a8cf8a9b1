"""The services' demo data names the same things by the same ids: each service knows the
others' venues and spaces only from their events, so a demo that names one by hand must name
the one the booking service's demo registers."""

from __future__ import annotations

import pytest

from services.booking.demo import demo_id as booking_demo_id
from services.events import demo as events_demo

pytestmark = pytest.mark.unit


def test_the_events_demo_names_kantti_as_the_booking_demo_registers_it() -> None:
    assert booking_demo_id("venue", "kantti") == events_demo.KANTTI
    assert booking_demo_id("space", "kantti", "kohtaamo") == events_demo.KANTTI_KOHTAAMO
