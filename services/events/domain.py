"""Rules of activity events as plain functions: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.auth import Principal
from shared.errors import Conflict, Invalid

#: Kinds of activity from the seeds (Kuopio's model section 7, Espoo's participation model);
#: the city can add more to the vocabulary table.
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
PLACE_KINDS = ("venue", "outdoors", "pop_up", "online", "hybrid", "other_place")
#: What residents can see: everything but drafts (past and cancelled ones stay findable).
PUBLIC_STATUSES = ("published", "postponed", "rescheduled", "cancelled")

TRANSITIONS: dict[str, set[str]] = {
    "draft": {"published"},
    "published": {"postponed", "rescheduled", "cancelled"},
    "postponed": {"rescheduled", "cancelled"},
    "rescheduled": {"postponed", "rescheduled", "cancelled"},
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


def check_place(place_kind: str, venue_id: UUID | None, online_url: str | None) -> None:
    if place_kind in ("venue", "hybrid") and venue_id is None:
        raise Invalid(f"a {place_kind} activity needs its venue", field="venue_id")
    if place_kind in ("online", "hybrid") and not online_url:
        raise Invalid(f"an {place_kind} activity needs its online link", field="online_url")


def check_publishable(event: dict[str, Any]) -> None:
    """Residents must be able to read what, when and where: a Finnish name, sane times and
    a place."""
    if not (event["name"].get("fi") or "").strip():
        raise Invalid("a Finnish name is needed before publishing", field="name.fi")
    check_times(event["starts_at"], event["ends_at"])
    check_place(event["place_kind"], event["venue_id"], event["online_url"])


def check_vocabulary(scheme: str, codes: Iterable[str], known: set[str]) -> None:
    unknown = sorted(set(codes) - known)
    if unknown:
        raise Invalid(f"unknown {scheme}: {', '.join(unknown)}", field=f"{scheme}s"
                      if scheme != "kind" else "kind")


def check_attendance(status: str, ends_at: datetime, now: datetime) -> None:
    if status in ("draft", "cancelled", "postponed"):
        raise Conflict(f"attendance is reported for activity that took place, not a {status}"
                       " one")
    if ends_at > now:
        raise Conflict("attendance can be reported once the activity has ended")


def draft_kind(cooperation: bool) -> str:
    """A booking run with the library becomes guided open activity; a rental, 'other'."""
    return "open_guided" if cooperation else "other"


def may_edit(principal: Principal, owner_subject: str | None, venue_id: UUID | None) -> bool:
    """Organisers edit their own events; desk staff those of their venues; communications
    staff with venues those venues' events, without venues every event; admins all."""
    if principal.is_public:
        return False
    if "admin" in principal.roles:
        return True
    if owner_subject is not None and owner_subject == principal.subject:
        return True
    if "communications" in principal.roles and not principal.venues:
        return True
    staff = principal.roles & {"desk", "communications"}
    return bool(staff) and venue_id is not None and venue_id in principal.venues
