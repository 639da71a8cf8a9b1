"""Rules of activity events as plain functions: no I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.errors import Conflict, Invalid

#: Kinds of activity from the seeds (Kuopio's model section 7, Espoo's participation model).
KINDS = (
    "open_unguided",
    "open_guided",
    "equipment_lending",
    "association_meeting",
    "digital",
    "resident_evening",
    "thematic_panel",
    "town_hall_meeting",
    "pop_up",
    "participatory_budgeting",
    "other",
)

TRANSITIONS: dict[str, set[str]] = {
    "draft": {"published"},
    "published": {"cancelled"},
    "cancelled": set(),
}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"a {current} activity event cannot be {target}", status=current)


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Invalid("times must carry a time zone offset", field="starts_at")
    if ends_at <= starts_at:
        raise Invalid("the activity must end after it starts", field="ends_at")


def check_publishable(name: dict[str, Any], starts_at: datetime, ends_at: datetime) -> None:
    """Residents must be able to read what and when: a Finnish name and sane times."""
    if not (name.get("fi") or "").strip():
        raise Invalid("a Finnish name is needed before publishing", field="name.fi")
    check_times(starts_at, ends_at)


def draft_kind(cooperation: bool) -> str:
    """A booking run with the library becomes guided open activity; a rental, 'other'."""
    return "open_guided" if cooperation else "other"
