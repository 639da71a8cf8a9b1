"""Activity event rules without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.events.domain import check_publishable, check_transition, draft_kind
from shared.errors import Conflict, Invalid

START = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_draft_publishes_and_published_cancels() -> None:
    check_transition("draft", "published")
    check_transition("published", "cancelled")


@pytest.mark.parametrize(("current", "target"), [("published", "published"),
                                                 ("cancelled", "published"),
                                                 ("draft", "cancelled")])
def test_other_transitions_conflict(current: str, target: str) -> None:
    with pytest.raises(Conflict):
        check_transition(current, target)


def test_publishing_needs_a_finnish_name_and_sane_times() -> None:
    check_publishable({"fi": "Lukupiiri"}, START, START + timedelta(hours=1))
    with pytest.raises(Invalid, match="Finnish name") as no_name:
        check_publishable({"fi": "  ", "en": "Reading"}, START, START + timedelta(hours=1))
    assert no_name.value.field == "name.fi"
    with pytest.raises(Invalid, match="end after"):
        check_publishable({"fi": "x"}, START, START)


def test_draft_kind_follows_cooperation() -> None:
    assert draft_kind(True) == "open_guided"
    assert draft_kind(False) == "other"
