"""Activity event rules without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.events.domain import (
    check_attendance,
    check_publishable,
    check_transition,
    draft_kind,
    may_edit,
)
from shared.errors import Conflict, Invalid
from shared.identity import Principal

START = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_draft_publishes_and_published_cancels() -> None:
    check_transition("draft", "published")
    check_transition("published", "cancelled")


@pytest.mark.parametrize(("current", "target"), [("published", "published"),
                                                 ("cancelled", "published"),
                                                 ("draft", "cancelled"),
                                                 ("postponed", "published")])
def test_other_transitions_conflict(current: str, target: str) -> None:
    with pytest.raises(Conflict):
        check_transition(current, target)


def event(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"name": {"fi": "Lukupiiri"}, "starts_at": START,
                               "ends_at": START + timedelta(hours=1), "place_kind": "outdoors",
                               "venue_id": None, "online_url": None}
    base.update(changes)
    return base


def test_publishing_needs_a_finnish_name_sane_times_and_a_place() -> None:
    check_publishable(event())
    with pytest.raises(Invalid, match="Finnish name") as no_name:
        check_publishable(event(name={"fi": "  ", "en": "Reading"}))
    assert no_name.value.field == "name.fi"
    with pytest.raises(Invalid, match="end after"):
        check_publishable(event(ends_at=START))
    with pytest.raises(Invalid, match="needs its venue"):
        check_publishable(event(place_kind="venue"))
    with pytest.raises(Invalid, match="online link"):
        check_publishable(event(place_kind="hybrid", venue_id=uuid4()))


def test_who_may_edit() -> None:
    venue = uuid4()
    owner = Principal("maija", frozenset({"organiser"}))
    assert may_edit(owner, "maija", None)
    assert not may_edit(Principal("matti", frozenset({"organiser"})), "maija", venue)
    assert may_edit(Principal("d", frozenset({"desk"}), frozenset({venue})), None, venue)
    assert not may_edit(Principal("d", frozenset({"desk"}), frozenset({uuid4()})), None, venue)
    assert may_edit(Principal("c", frozenset({"communications"})), None, venue)
    assert not may_edit(Principal(None), None, venue)


def test_attendance_only_after_the_activity() -> None:
    check_attendance("published", START, START + timedelta(minutes=1))
    with pytest.raises(Conflict, match="once the activity has ended"):
        check_attendance("published", START, START - timedelta(minutes=1))
    with pytest.raises(Conflict, match="took place"):
        check_attendance("cancelled", START, START + timedelta(days=1))


def test_draft_kind_follows_cooperation() -> None:
    assert draft_kind(True) == "open_guided"
    assert draft_kind(False) == "other"
