"""Feeds of activity events anyone can subscribe to: iCalendar, RSS 2.0 and Atom, and the
schema.org Event JSON-LD of an event page. Pure rendering from rows: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from services.events.domain import safe_url
from services.events.domain import text as _text
from services.events.labels import CALENDAR_NAME as _CALENDAR_NAME
from services.events.labels import status_prefix
from shared.ical import MEDIA_TYPE as ICAL_TYPE
from shared.ical import CalendarEvent, calendar

__all__ = ["ICAL_TYPE", "atom", "ical", "json_ld", "rss"]

_ICAL_STATUS = {"cancelled": "CANCELLED", "withdrawn": "CANCELLED", "postponed": "TENTATIVE",
                "awaiting_approval": "TENTATIVE"}
_SCHEMA_STATUS = {
    "published": "https://schema.org/EventScheduled",
    "rescheduled": "https://schema.org/EventRescheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}


def title(row: Any, lang: str) -> str:
    name = _text(row["name"], lang)
    prefix = status_prefix(row["status"], lang)
    return f"{prefix}: {name}" if prefix else name


def page_url(base: str, row: Any, lang: str) -> str:
    return f"{base.rstrip('/')}/events/{row['id']}/page?lang={lang}"


def ical(rows: Iterable[Any], lang: str, base: str) -> str:
    return calendar(
        (CalendarEvent(
            uid=f"{row['id']}@kohtaamo", starts_at=row["starts_at"], ends_at=row["ends_at"],
            summary=title(row, lang), sequence=row["revision"],
            status=_ICAL_STATUS.get(row["status"], "CONFIRMED"),
            description=_text(row["short_description"], lang) or None,
            location=_text(row["place_name"], lang) or None, url=page_url(base, row, lang),
            updated_at=row["updated_at"]) for row in rows),
        name=_CALENDAR_NAME[lang])


def rss(rows: Iterable[Any], lang: str, base: str, self_url: str) -> str:
    items = []
    for row in rows:
        link = page_url(base, row, lang)
        items.append(
            "<item>"
            f"<title>{escape(title(row, lang))}</title>"
            f"<link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{row["id"]}#{row["revision"]}</guid>'
            f"<description>{escape(_text(row['short_description'], lang))}</description>"
            f"<pubDate>{format_datetime(row['updated_at'].astimezone(UTC))}</pubDate>"
            "</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{escape(_CALENDAR_NAME[lang])}</title><link>{escape(base)}</link>"
            f'<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml"/>'
            f"<description>{escape(_CALENDAR_NAME[lang])}</description>"
            f"<language>{lang}</language>{''.join(items)}</channel></rss>")


def atom(rows: Iterable[Any], lang: str, base: str, self_url: str) -> str:
    rows = list(rows)
    updated = max((r["updated_at"] for r in rows), default=datetime(2026, 1, 1, tzinfo=UTC))
    entries = "".join(
        "<entry>"
        f"<id>urn:uuid:{row['id']}</id>"
        f"<title>{escape(title(row, lang))}</title>"
        f'<link href="{escape(page_url(base, row, lang))}"/>'
        f"<updated>{row['updated_at'].astimezone(UTC).isoformat()}</updated>"
        f"<summary>{escape(_text(row['short_description'], lang))}</summary>"
        "</entry>" for row in rows)
    return ('<?xml version="1.0" encoding="utf-8"?>'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
            f"<id>{escape(self_url)}</id><title>{escape(_CALENDAR_NAME[lang])}</title>"
            f"<updated>{updated.astimezone(UTC).isoformat()}</updated>"
            f'<link rel="self" href="{escape(self_url)}"/>'
            f"<author><name>Kohtaamo</name></author>{entries}</feed>")


def json_ld(row: Any, venue: Any, lang: str, base: str) -> dict[str, Any]:
    """schema.org Event, as search engines and city sites read it."""
    online = row["place_kind"] in ("online", "hybrid")
    offline = row["place_kind"] != "online"
    mode = ("https://schema.org/MixedEventAttendanceMode" if online and offline else
            "https://schema.org/OnlineEventAttendanceMode" if online else
            "https://schema.org/OfflineEventAttendanceMode")
    locations: list[dict[str, Any]] = []
    if offline:
        place: dict[str, Any] = {"@type": "Place",
                                 "name": _text(row["place_name"], lang) or (
                                     _text(venue["name"], lang) if venue else "")}
        if venue is not None:
            place["address"] = {"@type": "PostalAddress",
                                "addressLocality": venue["municipality"]}
        locations.append(place)
    if online:
        locations.append({"@type": "VirtualLocation", "url": safe_url(row["online_url"])})
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page_url(base, row, lang),
        "name": _text(row["name"], lang),
        "description": _text(row["description"], lang) or _text(row["short_description"], lang),
        "startDate": row["starts_at"].isoformat(),
        "endDate": row["ends_at"].isoformat(),
        "eventStatus": _SCHEMA_STATUS.get(row["status"], "https://schema.org/EventScheduled"),
        "eventAttendanceMode": mode,
        "location": locations[0] if len(locations) == 1 else locations,
        "inLanguage": list(row["languages"]),
        "isAccessibleForFree": row["free"],
        "offers": {"@type": "Offer", "price": str(row["price"]) if row["price"] is not None
                   and row["price"].is_finite() else "0", "priceCurrency": "EUR",
                   "url": page_url(base, row, lang)},
    }
    if row["organiser_name"]:
        document["organizer"] = {"@type": "Organization", "name": row["organiser_name"]}
    if safe_url(row["image_url"]):
        document["image"] = row["image_url"]
    if row["status"] == "rescheduled" and row["postponed_from"] is not None:
        document["previousStartDate"] = row["postponed_from"].lower.isoformat()
    return document
