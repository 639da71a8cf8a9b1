"""Booking rules as plain functions: no I/O, testable without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import Conflict, Invalid

MIN_LENGTH = timedelta(minutes=15)
MAX_LENGTH = timedelta(hours=12)

#: Which state a booking may move to from which; anything else is a 409.
TRANSITIONS: dict[str, set[str]] = {
    "requested": {"confirmed", "rejected", "cancelled"},
    "confirmed": {"cancelled"},
    "rejected": set(),
    "cancelled": set(),
}


@dataclass(frozen=True)
class VenueFacts:
    kind: str
    has_paid_space: bool


@dataclass(frozen=True)
class BookingRequest:
    starts_at: datetime
    ends_at: datetime
    cooperation: bool
    house_rules_accepted: bool
    space_is_paid: bool


def check_booking_request(request: BookingRequest, venue: VenueFacts, now: datetime) -> None:
    """Raise `Invalid` with the field and a readable reason when a rule is not met."""
    if request.starts_at.tzinfo is None or request.ends_at.tzinfo is None:
        raise Invalid("times must carry a time zone offset", field="starts_at")
    if request.ends_at <= request.starts_at:
        raise Invalid("the booking must end after it starts", field="ends_at")
    length = request.ends_at - request.starts_at
    if length < MIN_LENGTH:
        raise Invalid("a booking must be at least 15 minutes long", field="ends_at")
    if length > MAX_LENGTH:
        raise Invalid("a booking may be at most 12 hours long", field="ends_at")
    if request.starts_at < now:
        raise Invalid("the booking cannot start in the past", field="starts_at")
    if not request.house_rules_accepted:
        raise Invalid(
            "the house rules must be accepted: the event is lawful and substance-free",
            field="accept_house_rules",
        )
    if not request.cooperation:
        # Seed 001: only the main library has paid rentable space; branches host activity
        # run together with the library, free of charge.
        if not venue.has_paid_space:
            raise Invalid(
                "this library has no paid space: activity here is free and run in cooperation"
                " with the library",
                field="cooperation",
            )
        if not request.space_is_paid:
            raise Invalid(
                "this space is free only for events run in cooperation with the library",
                field="cooperation",
            )


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"a {current} booking cannot be {target}", status=current)
