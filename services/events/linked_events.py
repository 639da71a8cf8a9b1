"""Mapping to and from Helsinki's Linked Events JSON (API v1), so a city already on Linked
Events can feed Kohtaamo or be fed by it. Pure functions: no I/O.

Our own vocabulary travels as keyword ids ``kohtaamo:topic:<code>`` and
``kohtaamo:audience:<code>``; other keywords (e.g. YSO) are not guessed at and are dropped on
import. An event without an end time gets one hour.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

_STATUS_OUT = {"published": "EventScheduled", "rescheduled": "EventRescheduled",
               "postponed": "EventPostponed", "cancelled": "EventCancelled"}
_STATUS_IN = {v: k for k, v in _STATUS_OUT.items()}
_LANGUAGES = ("fi", "sv", "en")
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _text(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    text = {k: str(v) for k, v in value.items() if k in _LANGUAGES and v}
    return text or None


def to_linked_event(row: Any, base: str) -> dict[str, Any]:
    api = f"{base.rstrip('/')}/linkedevents/v1"
    event_id = row["external_id"].removeprefix("linkedevents:") if (
        row["external_id"] or "").startswith("linkedevents:") else f"kohtaamo:{row['id']}"
    location = None
    if row["venue_id"] is not None:
        location = {"@id": f"{api}/place/kohtaamo:{row['venue_id']}/"}
    elif row["place_kind"] == "online":
        location = {"@id": f"{api}/place/kohtaamo:internet/"}
    document: dict[str, Any] = {
        "id": event_id,
        "@id": f"{api}/event/{event_id}/",
        "@type": "Event",
        "name": dict(row["name"]),
        "short_description": dict(row["short_description"] or {}),
        "description": dict(row["description"] or {}),
        "start_time": row["starts_at"].isoformat(),
        "end_time": row["ends_at"].isoformat(),
        "event_status": _STATUS_OUT.get(row["status"], "EventScheduled"),
        "publication_status": "public",
        "location": location,
        "keywords": [{"@id": f"{api}/keyword/kohtaamo:topic:{t}/"} for t in row["topics"]],
        "audience": [{"@id": f"{api}/keyword/kohtaamo:audience:{a}/"} for a in row["audiences"]],
        "in_language": [{"@id": f"{api}/language/{lang}/"} for lang in row["languages"]],
        "offers": [{"is_free": row["free"],
                    "price": {"fi": str(row["price"])} if row["price"] is not None else None,
                    "info_url": None, "description": None}],
        "images": ([{"url": row["image_url"], "alt_text": (row["image_alt"] or {}).get("fi")}]
                   if row["image_url"] else []),
        "provider": {"fi": row["organiser_name"]} if row["organiser_name"] else None,
        "audience_min_age": row["min_age"],
        "audience_max_age": row["max_age"],
        "maximum_attendee_capacity": row["capacity"],
        "super_event": ({"@id": f"{api}/event/kohtaamo:series:{row['series_id']}/"}
                        if row["series_id"] else None),
        "last_modified_time": row["updated_at"].isoformat(),
        "data_source": "kohtaamo",
    }
    return document


def _codes(items: Any, scheme: str) -> list[str]:
    found = []
    for item in items or []:
        match = re.search(rf"kohtaamo:{scheme}:([a-z0-9_]+)/?$", str(item.get("@id", "")))
        if match:
            found.append(match.group(1))
    return found


def from_linked_event(document: dict[str, Any]) -> dict[str, Any]:
    """Our event fields from a Linked Events event; raises ValueError for what cannot be one."""
    if not isinstance(document, dict) or not document.get("id"):
        raise ValueError("an event needs its id")
    name = _text(document.get("name"))
    if not name:
        raise ValueError(f"event {document['id']} has no name")
    name.setdefault("fi", next(iter(name.values())))  # our events always have a Finnish name
    if not document.get("start_time"):
        raise ValueError(f"event {document['id']} has no start time")
    starts_at = datetime.fromisoformat(str(document["start_time"]).replace("Z", "+00:00"))
    ends_at = (datetime.fromisoformat(str(document["end_time"]).replace("Z", "+00:00"))
               if document.get("end_time") else starts_at + timedelta(hours=1))
    if starts_at.tzinfo is None:
        raise ValueError(f"event {document['id']} has a start time without a time zone")
    location_id = str((document.get("location") or {}).get("@id", ""))
    venue = re.search(rf"kohtaamo:({_UUID})/?$", location_id)
    place_kind, venue_id, place_name = "other_place", None, None
    if venue:
        place_kind, venue_id = "venue", UUID(venue.group(1))
    elif "internet" in location_id and (_text(document.get("info_url")) or {}).get("fi"):
        place_kind = "online"
    else:
        place_name = _text((document.get("location") or {}).get("name"))
    offers = (document.get("offers") or [{}])[0] or {}
    price = None
    if not offers.get("is_free", True):
        raw = (offers.get("price") or {}).get("fi") if isinstance(offers.get("price"), dict) \
            else offers.get("price")
        try:
            price = Decimal(str(raw).replace(",", ".").replace("€", "").strip()) if raw else None
        except InvalidOperation:
            price = None
    images = document.get("images") or []
    languages = [m.group(1) for item in document.get("in_language") or []
                 if (m := re.search(r"/language/(fi|sv|en)/?$", str(item.get("@id", ""))))]
    return {
        "external_id": f"linkedevents:{document['id']}",
        "status": _STATUS_IN.get(str(document.get("event_status")), "published"),
        "name": name,
        "short_description": _text(document.get("short_description")),
        "description": _text(document.get("description")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "kind": "other",
        "place_kind": place_kind,
        "venue_id": venue_id,
        "place_name": place_name,
        "online_url": (_text(document.get("info_url")) or {}).get("fi")
        if place_kind == "online" else None,
        "topics": _codes(document.get("keywords"), "topic"),
        "audiences": _codes(document.get("audience"), "audience"),
        "languages": languages or ["fi"],
        "free": bool(offers.get("is_free", True)),
        "price": price,
        "organiser_name": (_text(document.get("provider")) or {}).get("fi"),
        "image_url": images[0].get("url") if images else None,
        "image_alt": {"fi": images[0]["alt_text"]} if images and images[0].get("alt_text")
        else None,
        "min_age": document.get("audience_min_age"),
        "max_age": document.get("audience_max_age"),
        "capacity": document.get("maximum_attendee_capacity"),
    }
