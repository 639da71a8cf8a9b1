"""Feeds of activity events anyone can subscribe to: iCalendar (`shared.ical`), RSS 2.0 and
Atom (`feedgen`), and the schema.org Event JSON-LD of an event page. Pure rendering from
rows: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator

from services.events.domain import channel_place, safe_url
from services.events.labels import CALENDAR_NAME as _CALENDAR_NAME
from services.events.labels import status_prefix
from shared.clock import HELSINKI
from shared.ical import MEDIA_TYPE as ICAL_TYPE
from shared.ical import CalendarEvent, calendar, days
from shared.l10n import text_in

__all__ = ["ICAL_TYPE", "atom", "ical", "json_ld", "price", "rss"]

_ICAL_STATUS = {"cancelled": "CANCELLED", "withdrawn": "CANCELLED", "postponed": "TENTATIVE",
                "awaiting_approval": "TENTATIVE"}
_SCHEMA_STATUS = {
    "published": "https://schema.org/EventScheduled",
    "rescheduled": "https://schema.org/EventRescheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}
#: What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/FFFF): dropped
#: from a feed's text rather than failing the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(value: str) -> str:
    return _NOT_XML.sub("", value)


def title(row: Any, lang: str) -> str:
    name = text_in(row["name"], lang)
    prefix = status_prefix(row["status"], lang)
    return f"{prefix}: {name}" if prefix else name


def page_url(base: str, row: Any, lang: str) -> str:
    return f"{base.rstrip('/')}/events/{row['id']}/page?lang={lang}"


def location(row: Any, venue: Any, lang: str) -> str | None:
    """Where it is as the boards say it: at a known venue its name and space, else the
    activity's own place name."""
    place = channel_place(row, venue)
    return place.get(lang) or None if place is not None else None


def ical(rows: Iterable[Any], lang: str, base: str,
         venues: Mapping[Any, Any] | None = None) -> str:
    """`venues` by id: those of the activities at a venue (their LOCATION)."""
    venues = venues or {}
    return calendar(
        (CalendarEvent(
            uid=f"{row['id']}@kohtaamo", starts_at=row["starts_at"], ends_at=row["ends_at"],
            all_day=bool(row["all_day"]), summary=title(row, lang), sequence=row["revision"],
            status=_ICAL_STATUS.get(row["status"], "CONFIRMED"),
            description=text_in(row["short_description"], lang) or None,
            location=location(row, venues.get(row.get("venue_id")), lang),
            url=page_url(base, row, lang),
            updated_at=row["updated_at"]) for row in rows),
        name=_CALENDAR_NAME[lang])


def _feed(rows: Iterable[Any], lang: str, base: str, self_url: str,
          media_type: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(_xml(self_url))
    feed.title(_CALENDAR_NAME[lang])
    feed.subtitle(_CALENDAR_NAME[lang])
    feed.language(lang)
    feed.author({"name": "Kohtaamo"})
    feed.link(href=_xml(base), rel="alternate")
    feed.link(href=_xml(self_url), rel="self", type=media_type)
    rows = list(rows)
    feed.updated(max((r["updated_at"] for r in rows),
                     default=datetime(2026, 1, 1, tzinfo=UTC)).astimezone(UTC))
    for row in rows:
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{row['id']}")
        entry.guid(f"{row['id']}#{row['revision']}", permalink=False)
        # A row stored before the rules may have no name: a feed still needs a title.
        heading = _xml(title(row, lang)).strip() or "–"
        entry.title(heading)
        entry.link(href=_xml(page_url(base, row, lang)))
        entry.description(_xml(text_in(row["short_description"], lang)).strip() or heading)
        entry.updated(row["updated_at"].astimezone(UTC))
        entry.published(row["updated_at"].astimezone(UTC))
    return feed


def rss(rows: Iterable[Any], lang: str, base: str, self_url: str) -> str:
    feed = _feed(rows, lang, base, self_url, "application/rss+xml")
    return bytes(feed.rss_str()).decode()


def atom(rows: Iterable[Any], lang: str, base: str, self_url: str) -> str:
    feed = _feed(rows, lang, base, self_url, "application/atom+xml")
    return bytes(feed.atom_str()).decode()


def _schema_date(row: Any, key: str) -> str:
    """An all-day activity's dates are dates (its days in Helsinki); a timed one's are moments
    with Helsinki's offset."""
    if row["all_day"]:
        first, last = days(row["starts_at"], row["ends_at"])
        return (first if key == "starts_at" else last).isoformat()
    moment: datetime = row[key]
    return moment.astimezone(HELSINKI).isoformat()


def price(row: Any) -> str | None:
    """The activity's price in euros as given, or None when nobody gave one."""
    value = row["price"]
    return str(value) if value is not None and value.is_finite() else None


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
                                 "name": text_in(row["place_name"], lang) or (
                                     text_in(venue["name"], lang) if venue else "")}
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
        "name": text_in(row["name"], lang),
        "description": text_in(row["description"], lang) or text_in(row["short_description"], lang),
        "startDate": _schema_date(row, "starts_at"),
        "endDate": _schema_date(row, "ends_at"),
        "eventStatus": _SCHEMA_STATUS.get(row["status"], "https://schema.org/EventScheduled"),
        "eventAttendanceMode": mode,
        "location": locations[0] if len(locations) == 1 else locations,
        "inLanguage": list(row["languages"]),
        "isAccessibleForFree": row["free"],
        "offers": {"@type": "Offer", "url": page_url(base, row, lang)},
    }
    # A paid activity whose price nobody gave offers no price (not a price of 0).
    known = price(row) or ("0" if row["free"] else None)
    if known is not None:
        document["offers"].update(price=known, priceCurrency="EUR")
    # The sign-up's places when heard (`usecases._with_places`), else the activity's own.
    places = row.get("places", row["capacity"])
    if places:
        document["maximumAttendeeCapacity"] = places
        if row.get("places_left") is not None:
            document["remainingAttendeeCapacity"] = row["places_left"]
    if row["organiser_name"]:
        document["organizer"] = {"@type": "Organization", "name": row["organiser_name"]}
    if safe_url(row["image_url"]):
        document["image"] = row["image_url"]
    if row["status"] == "rescheduled" and row["postponed_from"] is not None:
        document["previousStartDate"] = row["postponed_from"].lower.astimezone(
            HELSINKI).isoformat()
    return document
