"""Booking rules, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.booking.domain import (
    BookingRequest,
    VenueFacts,
    check_booking_request,
    check_transition,
)
from shared.errors import Conflict, Invalid

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MAIN = VenueFacts(kind="library", has_paid_space=True)
BRANCH = VenueFacts(kind="library", has_paid_space=False)


def request(**changes: object) -> BookingRequest:
    values: dict[str, object] = {
        "starts_at": NOW + timedelta(days=1),
        "ends_at": NOW + timedelta(days=1, hours=2),
        "cooperation": True,
        "house_rules_accepted": True,
        "space_is_paid": False,
    }
    values.update(changes)
    return BookingRequest(**values)  # type: ignore[arg-type]


def test_a_cooperation_booking_in_a_branch_library_is_fine() -> None:
    check_booking_request(request(), BRANCH, NOW)


@pytest.mark.parametrize(
    ("changes", "venue", "field", "message"),
    [
        ({"ends_at": NOW + timedelta(days=1)}, MAIN, "ends_at", "end after it starts"),
        ({"ends_at": NOW + timedelta(days=1, minutes=10)}, MAIN, "ends_at", "15 minutes"),
        ({"ends_at": NOW + timedelta(days=1, hours=13)}, MAIN, "ends_at", "12 hours"),
        ({"starts_at": NOW - timedelta(hours=2), "ends_at": NOW - timedelta(hours=1)}, MAIN,
         "starts_at", "past"),
        ({"house_rules_accepted": False}, MAIN, "accept_house_rules", "substance-free"),
        ({"cooperation": False}, BRANCH, "cooperation", "no paid space"),
        ({"cooperation": False, "space_is_paid": False}, MAIN, "cooperation",
         "free only for events run in cooperation"),
    ],
)
def test_rules_refuse_with_the_field_and_a_reason(
    changes: dict[str, object], venue: VenueFacts, field: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message) as refused:
        check_booking_request(request(**changes), venue, NOW)
    assert refused.value.field == field


def test_a_party_may_rent_paid_space_in_the_main_library() -> None:
    check_booking_request(request(cooperation=False, space_is_paid=True), MAIN, NOW)


def test_naive_times_are_refused() -> None:
    with pytest.raises(Invalid, match="time zone"):
        check_booking_request(
            request(starts_at=datetime(2026, 12, 1, 10), ends_at=datetime(2026, 12, 1, 12)),
            MAIN, NOW)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("requested", "confirmed", True),
        ("requested", "rejected", True),
        ("confirmed", "cancelled", True),
        ("confirmed", "confirmed", False),
        ("rejected", "confirmed", False),
        ("cancelled", "confirmed", False),
    ],
)
def test_transitions(current: str, target: str, allowed: bool) -> None:
    if allowed:
        check_transition(current, target)
    else:
        with pytest.raises(Conflict):
            check_transition(current, target)
