"""The notice boards' feeds for signage players besides the JSON Feed: RSS 2.0, iCalendar and
the view model of the large-print slideshow page. Pure rendering from rows: no I/O.

Board rows have the keys of table notice_boards, item rows those of board_items; an item may
also carry "place" ({fi, sv, en}): an area board's item names its own venue and space there,
a venue board's items are placed by the board (domain.place). Withdrawn items never show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict

from babel.dates import match_skeleton, tokenize_pattern
from feedgen.feed import FeedGenerator

from services.notifications.domain import (
    MARKERS,
    NOTICE_MARKER,
    etag,
    item_lines,
    item_link,
    item_place,
    notice_languages,
)
from shared.announcements import BOARD_LABELS, Slide, activity_slide
from shared.clock import HELSINKI
from shared.ical import CalendarEvent, calendar
from shared.l10n import locale, text_in

__all__ = ["LABELS", "RSS_TYPE", "Screen", "Slide", "board_etag", "ical", "notice_slide",
           "rss", "screen"]

Lang = Literal["fi", "sv", "en"]
RSS_TYPE = "application/rss+xml; charset=utf-8"
#: Characters XML 1.0 cannot hold (a feed with one would not parse).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: An empty board's feed is dated from its data too (no items: a fixed date, a fixed ETag).
_NO_ITEMS = datetime(2026, 1, 1, tzinfo=UTC)


def _xml(value: str) -> str:
    return _NOT_XML.sub("", value)

# The same markers and lines as domain.json_feed, so every feed of a board reads alike.
_MARKER = MARKERS
_ICAL_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
#: The slideshow's words by language (the staff's preview renders slides with them too); a
#: slide itself is `shared.announcements`' (the events service's organiser preview shows it).
_LABELS = LABELS = BOARD_LABELS


class Screen(TypedDict):
    lang: str
    title: str
    labels: dict[str, str]
    slides: list[Slide]
    seconds: int
    refresh: int
    #: feed.json relative to the screen page, and its ETag when the page was made: the page
    #: polls it with If-None-Match and fetches fresh slides only when it changed.
    feed_url: str
    feed_etag: str
    #: Helsinki's date the day labels ("Today") were written for; the page refreshes after it.
    today: str
    #: How the header's clock writes the time and the day in the page's language (clock()).
    clock: dict[str, Any]


def _shown(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["status"] != "withdrawn"]


def _title(item: dict[str, Any], lang: Lang) -> str:
    name = text_in(item["name"], lang)
    marker = _MARKER.get(item["status"], {}).get(lang)
    return f"{marker}: {name}" if marker else name


def rss(board: dict[str, Any], items: Iterable[dict[str, Any]], lang: Lang, *, link: str,
        self_url: str, events_url: str | None = None) -> str:
    """An RSS 2.0 document of the board's items in `lang` (Finnish where a text has no
    translation), written by feedgen. `link` is the board's page (the slideshow), `self_url`
    this feed's URL; each item links its activity's page when `events_url` is given."""
    shown = _shown(items)
    name = _xml(text_in(board["name"], lang)).strip() or "–"
    feed = FeedGenerator()
    feed.title(name)
    # The self link first: feedgen takes the last link as the channel's <link>.
    feed.link(href=_xml(self_url), rel="self", type="application/rss+xml")
    feed.link(href=_xml(link), rel="alternate")
    feed.description(f"{_LABELS[lang]['coming']}: {name}")
    feed.language(lang)
    feed.generator("Kohtaamo")
    # From the data, not the clock: the same items give the same bytes and ETag.
    feed.lastBuildDate(max((i["updated_at"] for i in shown), default=_NO_ITEMS).astimezone(UTC))
    for item in shown:
        entry = feed.add_entry(order="append")
        entry.title(_xml(_title(item, lang)).strip() or "–")
        entry.description(_xml("\n".join(item_lines(board, item, lang))))
        entry.guid(str(item["activity_event_id"]), permalink=False)
        if page := item_link(events_url, item, lang):
            entry.link(href=_xml(page))
        entry.pubDate((item.get("created_at") or item["updated_at"]).astimezone(UTC))
    return bytes(feed.rss_str(pretty=False)).decode() + "\n"


def ical(board: dict[str, Any], items: Iterable[dict[str, Any]], lang: Lang, *,
         events_url: str | None = None) -> str:
    """An iCalendar of the board's items: the UID is the activity event's, so a calendar that
    subscribed to several boards (or /events.ics) keeps one copy; SEQUENCE is its revision;
    URL its activity's page when `events_url` is given, as /events.ics has."""
    return calendar(
        (CalendarEvent(
            uid=f"{item['activity_event_id']}@kohtaamo",
            starts_at=item["starts_at"], ends_at=item["ends_at"],
            summary=text_in(item["name"], lang), sequence=item["revision"],
            all_day=bool(item.get("all_day")),
            status=_ICAL_STATUS.get(item["status"], "CONFIRMED"),
            description="\n".join(item_lines(board, item, lang)),
            location=item_place(board, item, lang),
            url=item_link(events_url, item, lang),
            # DTSTAMP from the row, not the clock, so the ETag only moves when data does.
            updated_at=item["updated_at"],
        ) for item in _shown(items)),
        name=text_in(board["name"], lang))


def notice_slide(board: dict[str, Any], notice: dict[str, Any], lang: Lang) -> Slide:
    """A staff notice as a slide: marked as a notice, its text in the board's languages."""
    return {
        "id": f"notice:{notice['id']}", "name": NOTICE_MARKER[lang], "name_lang": lang,
        "status": "notice", "banner": NOTICE_MARKER[lang], "day": "", "time": "",
        "place": None, "free": None, "reason": None, "starts_at": notice["shown_from"].isoformat(),
        "ends_at": notice["shown_until"].isoformat(),
        "texts": [(code, text_in(notice["text"], code))
                  for code in notice_languages(board, notice, lang)],
    }


#: The CLDR fields the screen's clock writes: (hour, minute, day, month) as numbers; a month
#: of three or four letters by its name.
_CLOCK_FIELDS = {"H": "hour", "m": "minute", "d": "day", "M": "month"}


def _clock_pattern(pattern: str) -> list[Any]:
    """A CLDR pattern ("H.mm", "HH:mm", "d MMM") as the screen's script reads it: a text
    as it is, or [field, digits], [field, 0] for a month's name."""
    parts: list[Any] = []
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            parts.append(value)
            continue
        letter, count = str(value[0]), int(value[1])
        if letter not in _CLOCK_FIELDS or count > 4:
            raise ValueError(f"the screen's clock cannot write {letter * count!r}")
        parts.append([_CLOCK_FIELDS[letter], 0 if letter == "M" and count > 2 else count])
    return parts


def clock_formats(lang: Lang) -> dict[str, Any]:
    """What the screen's clock needs to write the time and the day as CLDR (Babel) writes
    them in `lang`, as the slides do: "4.25" and "lauantai 5.12.", "04:25" and "lördag 5
    dec.", "04:25" and "Saturday 5 Dec" (the browser's own Intl data differs: Chromium
    writes Swedish "4.25")."""
    loc = locale(lang)
    day = loc.datetime_skeletons[match_skeleton("MMMd", loc.datetime_skeletons)].pattern
    return {"time": _clock_pattern(loc.time_formats["short"].pattern),
            "date": _clock_pattern(day),
            # Monday first; standing alone before the date, as shared.l10n.weekday_day.
            "weekdays": [loc.days["stand-alone"]["wide"][n] for n in range(7)],
            "months": [loc.months["format"]["abbreviated"][n] for n in range(1, 13)]}


def activity_slide_of(board: dict[str, Any], item: dict[str, Any], lang: Lang,
                      now: datetime) -> Slide:
    """A board item as its slide, with its organiser's reason when cancelled or postponed."""
    return activity_slide(
        item["activity_event_id"], item["name"], str(item["status"]), item["starts_at"],
        item["ends_at"], item_place(board, item, lang), free=item["free"],
        registration_required=item.get("registration_required", False), lang=lang, now=now,
        price=item.get("price"), reason=item.get("reason"))


def screen(board: dict[str, Any], items: Iterable[dict[str, Any]], lang: Lang, *,
           now: datetime, seconds: int, refresh: int, feed_url: str,
           feed_etag: str, notices: Iterable[dict[str, Any]] = ()) -> Screen:
    """What the slideshow page shows: staff's notices first, then one slide per item, with
    its day ("Today", "Tomorrow" or the weekday and date in Helsinki, as of `now`), time,
    place and any banner."""
    t = _LABELS[lang]
    today = now.astimezone(HELSINKI).date()
    slides: list[Slide] = [notice_slide(board, n, lang) for n in notices]
    slides += [activity_slide_of(board, item, lang, now) for item in _shown(items)]
    return {
        "lang": lang, "title": text_in(board["name"], lang), "labels": dict(t),
        "slides": slides, "seconds": seconds, "refresh": refresh, "feed_url": feed_url,
        "feed_etag": feed_etag, "today": today.isoformat(), "clock": clock_formats(lang),
    }


def json_feed_body(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


def board_etag(body: str) -> str:
    """The ETag of a rendered feed or page: domain.etag over its exact text, so it changes
    with anything that changes what a player gets (data, language, template)."""
    return etag({"body": body})
