"""A tester's findings of the desk's pages, in-process: a booking over midnight is said
with each day once (the loans page's list of bookings said its first day twice)."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.booking.domain import HELSINKI
from services.booking.labels import day_and_hours


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "6.12. 23.30–7.12. 0.00"), ("sv", "6 dec. 23:30–7 dec. 00:00"),
    ("en", "6 Dec 23:30–7 Dec 00:00")])
def test_a_booking_over_midnight_says_each_day_once(lang: str, said: str) -> None:
    start = datetime(2026, 12, 6, 23, 30, tzinfo=HELSINKI)
    end = datetime(2026, 12, 7, 0, 0, tzinfo=HELSINKI)
    assert day_and_hours(start, end, lang) == said
    # Within one day, the day and then the hours, as before.
    assert day_and_hours(start.replace(hour=22, minute=0), start, lang) == {
        "fi": "6.12. 22.00–23.30", "sv": "6 dec. 22:00–23:30", "en": "6 Dec 22:00–23:30"}[lang]
