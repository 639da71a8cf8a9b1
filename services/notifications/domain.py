"""Notice board rules and rendering as plain functions: no I/O."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

_WHEN = {"fi": "Aika", "sv": "Tid", "en": "When"}
_WHERE = {"fi": "Paikka", "sv": "Plats", "en": "Where"}
_CANCELLED = {"fi": "PERUTTU", "sv": "INSTÄLLT", "en": "CANCELLED"}
_POSTPONED = {"fi": "SIIRRETTY", "sv": "UPPSKJUTET", "en": "POSTPONED"}
_FREE = {"fi": "Maksuton, ei ilmoittautumista", "sv": "Gratis, ingen anmälan",
         "en": "Free, no registration"}


def idempotency_key(activity_event_id: UUID, channel: str, target: str, revision: int) -> str:
    """The same delivery always gets the same key, whichever replica or retry makes it."""
    raw = f"{activity_event_id}|{channel}|{target}|{revision}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def is_newer_revision(current: int | None, incoming: int) -> bool:
    """Whether a copy at `incoming` revision replaces what is kept at `current` (None: nothing
    yet). Only a strictly newer revision wins: the same revision again is a duplicate, an older
    one is stale. store.py applies this same rule inside its SQL, atomically."""
    return current is None or incoming > current


def board_id_for_venue(venue_id: UUID) -> UUID:
    """A venue's board id is derived from the venue, so whichever event arrives first (the
    venue's or an activity event's) creates the same board."""
    return uuid5(NAMESPACE_URL, f"urn:kohtaamo:notice-board:venue:{venue_id}")


def text(value: dict[str, Any], lang: str) -> str:
    return str(value.get(lang) or value.get("fi") or "")


def feed_since(now: datetime) -> datetime:
    """The earliest end time a default feed shows: the start of today in Helsinki, so today's
    earlier items stay on the board until midnight and yesterday's are gone."""
    return datetime.combine(now.astimezone(HELSINKI).date(), time(0), tzinfo=HELSINKI)


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 If-None-Match: a list of tags or `*`, compared weakly (W/ ignored)."""
    if not if_none_match:
        return False
    candidates = [t.strip() for t in if_none_match.split(",")]
    return "*" in candidates or tag.removeprefix("W/") in (
        t.removeprefix("W/") for t in candidates)


def place(board: dict[str, Any], space_id: Any, lang: str) -> str | None:
    """Where on the board's venue: "KANTTI, Lava". None while the venue has not told its name
    (a board made by an activity event that arrived before venue.registered)."""
    if not board.get("venue_revision"):
        return None
    parts = [text(board["name"], lang)]
    space = (board.get("spaces") or {}).get(str(space_id)) if space_id else None
    if space:
        parts.append(text(space, lang))
    return ", ".join(p for p in parts if p)


def local_time_span(starts_at: datetime, ends_at: datetime) -> str:
    start, end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    if start.date() == end.date():
        return f"{start:%d.%m.%Y %H.%M}–{end:%H.%M}"
    return f"{start:%d.%m.%Y %H.%M} – {end:%d.%m.%Y %H.%M}"


def json_feed(board: dict[str, Any], items: list[dict[str, Any]], lang: str,
              feed_url: str) -> dict[str, Any]:
    """A JSON Feed 1.1 document of the board's items, in the reader's language (Finnish where
    a text has no translation). Items come sorted by start; withdrawn ones are left out."""
    entries = []
    for item in items:
        if item["status"] == "withdrawn":
            continue
        title = text(item["name"], lang)
        if item["status"] == "cancelled":
            title = f"{_CANCELLED[lang]}: {title}"
        elif item["status"] == "postponed":
            title = f"{_POSTPONED[lang]}: {title}"
        lines = [f"{_WHEN[lang]}: {local_time_span(item['starts_at'], item['ends_at'])}"]
        where = place(board, item.get("space_id"), lang)
        if where:
            lines.append(f"{_WHERE[lang]}: {where}")
        if item["free"]:
            lines.append(_FREE[lang])
        entries.append({
            "id": str(item["activity_event_id"]),
            "title": title,
            "content_text": "\n".join(lines),
            "date_published": (item.get("created_at") or item["updated_at"]).isoformat(),
            "date_modified": item["updated_at"].isoformat(),
            "language": lang,
            "_kohtaamo": {
                "starts_at": item["starts_at"].isoformat(),
                "ends_at": item["ends_at"].isoformat(),
                "status": item["status"],
                "revision": item["revision"],
                "kind": item["kind"],
            },
        })
    return {
        "version": JSON_FEED_VERSION,
        "title": text(board["name"], lang),
        "feed_url": feed_url,
        "language": lang,
        "items": entries,
    }


def etag(document: dict[str, Any]) -> str:
    body = json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
