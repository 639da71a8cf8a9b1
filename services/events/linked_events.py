"""Mapping to and from Helsinki's Linked Events JSON (API v1), so a city already on Linked
Events can feed Kohtaamo or be fed by it: pure mapping, and the import calling its use case.

Our own vocabulary travels as keyword ids ``kohtaamo:topic:<code>`` and
``kohtaamo:audience:<code>``; other keywords (e.g. YSO) are not guessed at and are dropped on
import. An event without an end time gets one hour. An import is all or nothing: every event is
checked by the rules of a created event, and one that breaks a rule stops the whole import.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from services.events import usecases
from services.events.domain import safe_url
from shared.clock import Clock
from shared.errors import Invalid
from shared.identity import Principal

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
                    "price": {"fi": str(row["price"])} if row["price"] is not None
                    and row["price"].is_finite() else None,
                    "info_url": None, "description": None}],
        "images": ([{"url": row["image_url"], "alt_text": (row["image_alt"] or {}).get("fi")}]
                   if safe_url(row["image_url"]) else []),
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
    for item in _list(items):
        match = re.search(rf"kohtaamo:{scheme}:([a-z0-9_]+)/?$", str(_dict(item).get("@id", "")))
        if match:
            found.append(match.group(1))
    return found


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _time(value: Any, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise Invalid("not an ISO 8601 date and time", field=field) from None
    if moment.tzinfo is None:
        raise Invalid("a time without a time zone", field=field)
    return moment


def from_linked_event(document: dict[str, Any]) -> dict[str, Any]:
    """Our event fields from a Linked Events event, mapped but not yet checked (the use case
    checks them by the rules of any event); raises Invalid for what cannot be mapped."""
    if not isinstance(document, dict) or not document.get("id"):
        raise Invalid("an event needs its id", field="id")
    ref = document["id"]
    name = _text(document.get("name"))
    if not name:
        raise Invalid(f"event {ref} has no name", field="name")
    name.setdefault("fi", next(iter(name.values())))  # our events always have a Finnish name
    if not document.get("start_time"):
        raise Invalid(f"event {ref} has no start time", field="start_time")
    starts_at = _time(document["start_time"], "start_time")
    try:
        ends_at = (_time(document["end_time"], "end_time") if document.get("end_time")
                   else starts_at + timedelta(hours=1))
    except OverflowError:
        raise Invalid("out of range", field="start_time") from None
    location = _dict(document.get("location"))
    location_id = str(location.get("@id", ""))
    venue = re.search(rf"kohtaamo:({_UUID})/?$", location_id)
    place_kind, venue_id, place_name = "other_place", None, None
    info_url = (_text(document.get("info_url")) or {}).get("fi")
    if venue:
        place_kind, venue_id = "venue", UUID(venue.group(1))
    elif "internet" in location_id and info_url:
        place_kind = "online"
    else:
        place_name = _text(location.get("name"))
    offers = _dict((_list(document.get("offers")) or [{}])[0])
    price: Any = None
    if not offers.get("is_free", True):
        raw = _dict(offers.get("price")).get("fi") if isinstance(offers.get("price"), dict) \
            else offers.get("price")
        try:
            price = Decimal(str(raw).replace(",", ".").replace("€", "").strip()) if raw else None
        except InvalidOperation:
            raise Invalid(f"not a price: {str(raw)[:50]!r}", field="offers.price") from None
    images = [_dict(i) for i in _list(document.get("images"))]
    languages = [m.group(1) for item in _list(document.get("in_language"))
                 if (m := re.search(r"/language/(fi|sv|en)/?$", str(_dict(item).get("@id", ""))))]
    return {
        "external_id": f"linkedevents:{ref}",
        "name": name,
        "short_description": _text(document.get("short_description")),
        "description": _text(document.get("description")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "kind": "other",
        "place_kind": place_kind,
        "venue_id": venue_id,
        "place_name": place_name,
        "online_url": info_url if place_kind == "online" else None,
        "topics": _codes(document.get("keywords"), "topic"),
        "audiences": _codes(document.get("audience"), "audience"),
        "languages": list(dict.fromkeys(languages)) or ["fi"],
        "free": offers.get("is_free", True) is not False,
        "price": price,
        "organiser_name": (_text(document.get("provider")) or {}).get("fi"),
        "image_url": images[0].get("url") if images else None,
        "image_alt": {"fi": images[0]["alt_text"]} if images and images[0].get("alt_text")
        else None,
        "min_age": document.get("audience_min_age"),
        "max_age": document.get("audience_max_age"),
        "capacity": document.get("maximum_attendee_capacity"),
    }


def to_import_item(document: Any) -> usecases.ImportItem:
    ref = str(document.get("id"))[:200] if isinstance(document, dict) else "?"
    try:
        fields = from_linked_event(document)
    except Invalid as exc:
        return usecases.ImportItem(ref=ref, fields=None, problem=exc.message, field=exc.field)
    target = _STATUS_IN.get(str(document.get("event_status")), "published")
    return usecases.ImportItem(ref=ref, fields=fields, target=target)


async def import_feed(uow: usecases.Uow, clock: Clock, principal: Principal,
                      documents: list[dict[str, Any]]) -> usecases.ImportResult:
    """Import Linked Events documents, all or nothing (see `usecases.import_events`)."""
    return await usecases.import_events(uow, clock, principal,
                                        [to_import_item(d) for d in documents])
