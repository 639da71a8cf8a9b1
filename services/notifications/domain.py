"""The notifications service's rules as plain functions: notice boards, deliveries, channel
accounts and the decisions staff make. No I/O."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.announcements import (
    LIMITS,
    MARKERS,
    ORGANISER_REASON,
    QUOTES,
    WHEN,
    WHERE,
    access_line,
    event_page_url,
    post_length,
    said_reason,
    venue_place,
)
from shared.areas import AREAS
from shared.bounds import plain_text, readable
from shared.ceilings import client_network
from shared.clock import HELSINKI
from shared.contracts import DomainEvent
from shared.email_address import email_address
from shared.errors import Conflict, Invalid, Refusals, expected, refuse
from shared.l10n import text_in, time_span


@dataclass(frozen=True)
class BoardShowing:
    """One board an activity is shown on: its delivery's id and idempotency key, and the
    events written with the delivery (store.show_on_boards writes all boards at once)."""

    board_id: UUID
    delivery_id: UUID
    key: str
    events: list[DomainEvent]

#: The words every channel shares (boards, feeds, posts, emails) are defined once, with the
#: posts and the board's slide: `shared.announcements`.
__all__ = ["HELSINKI", "MARKERS", "ORGANISER_REASON", "QUOTES", "WHEN", "WHERE", "access_line"]
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def idempotency_key(activity_event_id: UUID, channel: str, target: str, revision: int) -> str:
    """The same delivery always gets the same key, whichever replica or retry makes it."""
    raw = f"{activity_event_id}|{channel}|{target}|{revision}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


#: How long a cancellation mail of a booking in a series waits for the series' other times:
#: the booking service cancels a whole series in one transaction, one `booking.cancelled` a
#: time, and they come on different partitions moments apart. Those cancelled within this
#: while, for the same organiser and words, go in one mail listing the times.
SERIES_MAIL_HOLD = timedelta(seconds=60)


def series_mail_group(series_id: UUID, recipient: str, language: str, title: str,
                      venue_id: UUID, space_id: UUID, reason: str | None, cancelled_by: str,
                      linked: bool) -> str:
    """What one mail of a series' cancelled times shares, as a key: the series, the address
    and its language, and everything the mail says once for all of its times (title, place,
    reason, who cancelled, whether it links the organiser's own page). Times that differ in
    any of these go in mails of their own."""
    raw = json.dumps([str(series_id), recipient.casefold(), language, title, str(venue_id),
                      str(space_id), reason, cancelled_by, linked])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def is_newer_revision(current: int | None, incoming: int) -> bool:
    """Whether a copy at `incoming` revision replaces what is kept at `current` (None: nothing
    yet). Only a strictly newer revision wins: the same revision again is a duplicate, an older
    one is stale. store.py applies this same rule inside its SQL, atomically."""
    return current is None or incoming > current


@lru_cache(maxsize=4096)
def board_id_for_venue(venue_id: UUID) -> UUID:
    """A venue's board id is derived from the venue, so whichever event arrives first (the
    venue's or an activity event's) creates the same board. (Remembered: a city has a few
    hundred venues, and every activity event asks.)"""
    return uuid5(NAMESPACE_URL, f"urn:kohtaamo:notice-board:venue:{venue_id}")


#: The spaces a board's name is compared without (as migration 030's `board_name_key`).
_NAME_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def board_name_key(name: str) -> str:
    """A board's Finnish name as an area's boards are told apart by it: case aside, spaces
    at the ends aside, a run of spaces as one ("S40  vehmersalmen Taulu " is "S40
    Vehmersalmen taulu"). The database's index says the same (migration 030)."""
    return _NAME_SPACES.sub(" ", name).strip(" ").lower()


def board_name_taken(namesake: Mapping[str, Any]) -> Conflict:
    """The refusal of a new area board named as one of its area has (`namesake`), naming
    the name's field and that board, so a person sees which one is there already."""
    return Conflict("the area has a notice board of this name already", field="name.fi",
                    code="board_name_taken", board_id=str(namesake["id"]),
                    name=str(namesake["name"]["fi"]))


#: The follow form's choices from the events service's vocabulary: the form's field → the
#: scheme of `vocabulary.term_set` its codes are of.
VOCABULARY_FIELDS = {"kinds": "kind", "topics": "topic", "audiences": "audience"}


def board_kind_refusals(kinds: Sequence[str], labels: Mapping[str, Mapping[str, Any]],
                        retired: set[tuple[str, str]],
                        kept: Sequence[str] | None = None) -> list[Invalid]:
    """Each kind a board is to show (`kinds.2`) that is no kind of the events service's
    vocabulary as it was told here (`labels`: scheme → code → words; `retired` terms no
    longer offered), unless the board shows it already (`kept`): a board of a kind no
    activity has stays empty without anyone seeing why. The refusal lists the kinds known."""
    known = {c for c in labels.get("kind", {}) if ("kind", c) not in retired} | set(kept or ())
    return [Invalid(f"not a kind of the vocabulary: {kind[:60]!r}", field=f"kinds.{i}",
                    code="unknown_kind", value=kind[:60], known=sorted(known))
            for i, kind in enumerate(kinds) if kind not in known]


def venue_refusals(venue_ids: Sequence[UUID], known: set[UUID],
                   kept: Sequence[UUID] | None = None) -> list[Invalid]:
    """Each venue a channel account is limited to (`venue_ids.2`) that this service has not
    heard of (`known`, each with its board), unless the account has it already (`kept`): an
    account limited to a mistyped venue posts nothing, with no one told why."""
    allowed = known | set(kept or ())
    return [Invalid(f"no venue of this id is known: {venue}", field=f"venue_ids.{i}",
                    code="unknown_venue", value=str(venue))
            for i, venue in enumerate(venue_ids) if venue not in allowed]


def feed_since(now: datetime) -> datetime:
    """The earliest end time a default feed shows: the start of today in Helsinki, so today's
    earlier items stay on the board until midnight and yesterday's are gone."""
    return datetime.combine(now.astimezone(HELSINKI).date(), time(0), tzinfo=HELSINKI)


def place(board: dict[str, Any], space_id: Any, lang: str) -> str | None:
    """Where on the board's venue: "KANTTI, Lava". None while the venue has not told its name
    (a board made by an activity event that arrived before venue.registered)."""
    if not board.get("venue_revision"):
        return None
    space = (board.get("spaces") or {}).get(str(space_id)) if space_id else None
    return venue_place(board["name"], space, lang)


def item_place(board: dict[str, Any], item: dict[str, Any], lang: str) -> str | None:
    """Where a board's item is: its own place when it has one (an area board's items are at
    many venues), else where on the board's venue."""
    own = item.get("place")
    if own:
        return text_in(own, lang) or None
    return place(board, item.get("space_id"), lang)


def item_reason(item: dict[str, Any], lang: str) -> str | None:
    """The organiser's reason for a cancelled or postponed item, marked as theirs and quoted
    as they wrote it, on one line, as the posts say it (`shared.announcements.reason_line`):
    "Järjestäjän ilmoittama syy: ”Ohjaaja sairastui.”"; None for any other item, or no
    reason with something to read."""
    if item["status"] not in ("cancelled", "postponed"):
        return None
    return said_reason(item.get("reason"), lang)


def item_lines(board: dict[str, Any], item: dict[str, Any], lang: str) -> list[str]:
    """What a board item says under its name: when, where, and what it takes to come; a
    cancelled one invites no one (no price, no sign-up) and says the organiser's reason
    instead, a postponed one its reason too."""
    when = time_span(item["starts_at"], item["ends_at"], lang,
                     all_day=bool(item.get("all_day")))
    lines = [f"{WHEN[lang]}: {when}"]
    where = item_place(board, item, lang)
    if where:
        lines.append(f"{WHERE[lang]}: {where}")
    if item["status"] != "cancelled":
        lines.append(access_line(item["free"], item.get("registration_required", False), lang,
                                 price=item.get("price")))
    reason = item_reason(item, lang)
    if reason:
        lines.append(reason)
    return lines


def item_link(events_url: str | None, item: dict[str, Any], lang: str) -> str | None:
    """The item's activity event page in `lang` (where its sign-up is linked too), so a
    feed's reader can open it; None where the public events address is not given."""
    if not events_url:
        return None
    return f"{event_page_url(events_url, item['activity_event_id'])}?lang={lang}"


def json_feed(board: dict[str, Any], items: list[dict[str, Any]], lang: str,
              feed_url: str, notices: Sequence[dict[str, Any]] = (), *,
              events_url: str | None = None) -> dict[str, Any]:
    """A JSON Feed 1.1 document of the board's items, in the reader's language (Finnish where
    a text has no translation). Items come sorted by start; withdrawn ones are left out.
    Staff's notices shown now come first, marked `_kohtaamo.type = "notice"`. Each item's
    `url` is its activity's page when `events_url` is given."""
    entries = [notice_entry(n, lang) for n in notices]
    for item in items:
        if item["status"] == "withdrawn":
            continue
        title = text_in(item["name"], lang)
        if item["status"] in MARKERS:
            title = f"{MARKERS[item['status']][lang]}: {title}"
        lines = item_lines(board, item, lang)
        link = item_link(events_url, item, lang)
        entries.append({
            "id": str(item["activity_event_id"]),
            **({"url": link} if link else {}),
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
        "title": text_in(board["name"], lang),
        "feed_url": feed_url,
        "language": lang,
        "items": entries,
    }


# --- staff's own notices on boards -----------------------------------------------------------

#: What marks a notice of the city's own (a closure, changed hours) on a board and in its feed.
NOTICE_MARKER = {"fi": "TIEDOTE", "sv": "MEDDELANDE", "en": "NOTICE"}
#: A board notice is read from three metres away: a few sentences in each language.
NOTICE_MAX_CHARS = 500
#: A notice's text in one language at most, to the social channels too (each platform's own
#: limit, far shorter, is said by the use case): the form's textarea's maxlength.
NOTICE_TEXT_MAX = 70_000
#: How far ahead a notice may stay on the boards.
NOTICE_MAX_DAYS = 92
NOTICE_LANGS = ("fi", "sv", "en")


def notice_texts(texts: Mapping[str, str | None], limit: int | None) -> dict[str, str]:
    """A notice's texts by language, trimmed; Finnish is required (a board falls back to it),
    Swedish and English are optional. `limit` (per language) holds when boards show it. A
    text with a control or text-direction character (`text_chars`) is refused: it would go
    as typed onto the boards and the social platforms. Line breaks stay. Each language's
    refusal is said at once (`Refusals`), so a form is not sent again once per language."""
    cleaned: dict[str, str] = {}
    found: list[Invalid] = []
    for lang in NOTICE_LANGS:
        value = (texts.get(lang) or "").replace("\r\n", "\n").strip()
        if not readable(value):  # nothing a person reads: not written in this language
            continue
        if not plain_text(value):
            found.append(text_chars(f"text_{lang}", language=lang))
        elif limit is not None and len(value) > limit:
            found.append(Invalid(f"the {lang} text is {len(value)} characters; a board takes "
                                 f"{limit}", field=f"text_{lang}", code="notice_long",
                                 language=lang, length=len(value), limit=limit))
        elif len(value) > NOTICE_TEXT_MAX:
            found.append(Invalid(f"the {lang} text is {len(value)} characters; a notice is at "
                                 f"most {NOTICE_TEXT_MAX}", field=f"text_{lang}",
                                 code="notice_text_long", language=lang, length=len(value),
                                 limit=NOTICE_TEXT_MAX))
        cleaned[lang] = value
    if "fi" not in cleaned:
        found.append(Invalid("a notice needs its Finnish text", field="text_fi",
                             code="notice_finnish"))
    if len(found) == 1:
        raise found[0]
    refuse(found)
    return cleaned


def text_chars(field: str, **details: Any) -> Invalid:
    """The refusal of a text with a control or text-direction character (`plain_text`: a
    BEL, an escape, U+202E), naming its field, as every service's (`text_chars`)."""
    return Invalid(f"{field} has a control or text-direction character", field=field,
                   code="text_chars", **details)


def label_refusals(value: Mapping[str, Any] | str | None, field: str,
                   said: Iterable[str] = ()) -> list[Invalid]:
    """A name or label staff give (an area board's name in each language, a channel's name,
    its sender or handle) with a control or text-direction character, or a line break: it is
    one line on the boards' screens, feeds, /staff, the posts and the mails' From, where a
    BEL, an escape or U+202E would go as typed (`text_chars`, naming `name.sv` and its
    language). A field refused already (`said`: nothing to read) is said once, by that."""
    given = {"": value} if isinstance(value, str) else dict(value or {})
    return [text_chars(f"{field}.{lang}", language=lang) if lang else text_chars(field)
            for lang, text in given.items()
            if isinstance(text, str) and not plain_text(text, lines=False)
            and (f"{field}.{lang}" if lang else field) not in said]


def end_of_day(moment: datetime) -> datetime:
    """Midnight after `moment`'s day in Helsinki."""
    day = moment.astimezone(HELSINKI).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=HELSINKI)


def notice_window(now: datetime, shown_from: datetime | None,
                  shown_until: datetime | None) -> tuple[datetime, datetime]:
    """When boards show a notice: from `shown_from` (default now) until `shown_until`
    (default the end of the day it starts). It must end after it starts and after now, and
    within NOTICE_MAX_DAYS."""
    start = shown_from or now
    if start > now + timedelta(days=NOTICE_MAX_DAYS):
        raise Invalid(f"a notice stays at most {NOTICE_MAX_DAYS} days", field="shown_from",
                      code="window_long", days=NOTICE_MAX_DAYS)
    end = shown_until or end_of_day(start)
    if end <= start:
        raise Invalid("the notice must end after it starts", field="shown_until",
                      code="window_order")
    if end <= now:
        raise Invalid("the notice would end before now", field="shown_until",
                      code="window_past")
    if end > now + timedelta(days=NOTICE_MAX_DAYS):
        raise Invalid(f"a notice stays at most {NOTICE_MAX_DAYS} days", field="shown_until",
                      code="window_long", days=NOTICE_MAX_DAYS)
    return start, end


def notice_languages(board: dict[str, Any], notice: dict[str, Any], lang: str) -> list[str]:
    """The languages a board shows a notice in: the chosen one first, then the board's other
    languages, each where the notice has its own text; Finnish when none of them has."""
    wanted = [lang, *(board.get("languages") or [])]
    shown = [code for code in dict.fromkeys(wanted) if notice["text"].get(code)]
    return shown or ["fi"]


def notice_entry(notice: dict[str, Any], lang: str) -> dict[str, Any]:
    """A notice as a JSON Feed item in `lang` (Finnish where it has no text in `lang`)."""
    used = lang if notice["text"].get(lang) else "fi"
    return {
        "id": f"notice:{notice['id']}",
        "title": NOTICE_MARKER.get(lang, NOTICE_MARKER["fi"]),
        "content_text": text_in(notice["text"], lang),
        "date_published": notice["created_at"].isoformat(),
        "date_modified": notice["updated_at"].isoformat(),
        "language": used,
        "_kohtaamo": {"type": "notice", "shown_from": notice["shown_from"].isoformat(),
                      "shown_until": notice["shown_until"].isoformat()},
    }


def etag(document: dict[str, Any]) -> str:
    body = json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# --- deliveries to social accounts and email ------------------------------------------------

#: How an activity event changed, as the handlers tell it (the event type, in short).
#: published | updated | relocated (an edit that moved where it is) | postponed |
#: rescheduled | cancelled
Change = str
#: Platforms on which sending the same post again cannot post twice: Mastodon dedupes on the
#: Idempotency-Key, and a Bluesky post has a record key derived from the delivery, which is
#: looked up before a new try. Anywhere else a lost answer makes the delivery `unconfirmed`.
SAFE_TO_RESEND = frozenset({"mastodon", "bluesky"})
#: How long after a try that may have posted a re-send is still harmless: Mastodon keeps an
#: Idempotency-Key for an hour (less a margin); Bluesky's record key is looked up, any time.
RESEND_WINDOW_SECONDS = {"mastodon": 50 * 60}
#: Tries of a delivery that keeps meeting temporary errors before it is given up.
MAX_ATTEMPTS = 6
#: When a platform says "too many requests" but not for how long.
DEFAULT_RATE_LIMIT_WAIT = 60.0
#: A post the channel cannot carry at all (Instagram and no image): recorded as not sent,
#: with why (`SKIPPED`, its error class `CANNOT_CARRY`), and no decision asked of a person:
#: nothing they do to the delivery helps. A newer revision of the activity (an image added)
#: plans the post anew.
SKIPPED = "skipped"
CANNOT_CARRY = "cannot_carry"


#: The names the setting takes: the platforms, and the venue's and the area's boards.
REACH_NAMES = ("notice_board", "area_board", "facebook", "instagram", "mastodon", "bluesky")
#: What a new organiser's activity reaches unless `KOHTAAMO_NEW_ORGANISER_CHANNELS` says
#: otherwise: everything (the city narrows it, e.g. to `notice_board`).
NEW_ORGANISER_CHANNELS = frozenset(REACH_NAMES)


def new_organiser_channels(setting: str | None) -> frozenset[str]:
    """The setting as names (``notice_board,facebook``); unknown names are ignored, an empty
    setting reaches nothing but what staff publish later."""
    if setting is None:
        return NEW_ORGANISER_CHANNELS
    return frozenset(n.strip() for n in setting.split(",") if n.strip() in REACH_NAMES)


def reaches(channel: str, new_organiser: bool, allowed: frozenset[str]) -> bool:
    """Whether an activity goes to a channel (a platform, `notice_board`, `area_board`): all
    of them, or for a new organiser's activity those of the setting."""
    return not new_organiser or channel in allowed


def account_matches(account: dict[str, Any], area: str | None, venue_id: UUID | None,
                    kind: str) -> bool:
    """Whether an account posts this activity: each of its lists (areas, venues, kinds) is
    either unset, meaning all, or names the activity's value."""
    def allows(values: Any, value: Any) -> bool:
        return values is None or (value is not None and value in values)

    return bool(account["enabled"]) and allows(account["areas"], area) \
        and allows(account["venue_ids"], venue_id) and allows(account["kinds"], kind)


def plan_posts(change: Change, announced: bool, starts_at: datetime,
               reminder_hours: int | None, now: datetime, status: str = "published",
               was_postponed: bool = False) -> list[tuple[str, datetime]]:
    """The posts one account should make after `change`, as (purpose, due) pairs.

    Whatever was still waiting for this event has been cancelled by then (it said something
    older). `announced` tells whether the account already posted (or may have posted) the
    announcement: then a change or a cancellation gets a notice of its own; otherwise the
    resident never heard of the old details and simply gets the announcement anew. Nothing is
    posted about an activity that has already started. `status` is the one the change leaves
    it in: an edit of a postponed activity is told as a postponement notice with the new
    details (no reminder, no fresh announcement), one of a cancelled activity not at all.
    `was_postponed`: it was postponed before this change, so the start it carries is its old
    time, not one it was held at: readers told "new time to be announced" still hear of it
    being cancelled (or edited) after that date.
    """
    held_time = change in ("published", "rescheduled") or not was_postponed
    if starts_at <= now and held_time:
        return []
    plan: list[tuple[str, datetime]] = []
    if change == "cancelled":
        return [("cancellation", now)] if announced else []
    if status == "cancelled":
        return []
    if change == "postponed" or status == "postponed":
        return [("change", now)] if announced else []
    if change in ("rescheduled", "relocated") and announced:
        plan.append(("change", now))
    elif not announced:
        plan.append(("announcement", now))
    if reminder_hours:
        due = starts_at - timedelta(hours=reminder_hours)
        if due > now:
            plan.append(("reminder", due))
    return plan


def retry_delay(attempt: int, random_fraction: float, base: float = 30.0,
                cap: float = 3600.0) -> float:
    """Exponential backoff with jitter: half the exponential delay plus a random half, so
    replicas that failed together do not come back together."""
    delay: float = min(cap, base * 2.0 ** max(attempt - 1, 0))
    return delay / 2 + delay / 2 * random_fraction


@dataclass(frozen=True)
class Outcome:
    """What a failed try does: the delivery's next state, and what happens to its account."""

    status: str  # pending (tried again at due_at) | failed | unconfirmed
    due_at: datetime | None = None
    counts_as_attempt: bool = True
    pause_account_until: datetime | None = None
    account_needs_reauth: bool = False


def after_error(error_class: str, attempts: int, retry_after: float | None, now: datetime,
                random_fraction: float) -> Outcome:
    """The rules of the issue: retry with backoff and jitter until MAX_ATTEMPTS; a rate limit
    pauses the whole account (its queue waits, the try does not count); a refused token stops
    the account until a person re-authorises it; a permanent error fails at once; a post that
    may have gone out is `unconfirmed` and never retried on its own."""
    if error_class == "rate_limited":
        until = now + timedelta(seconds=retry_after if retry_after is not None
                                else DEFAULT_RATE_LIMIT_WAIT)
        return Outcome("pending", until, counts_as_attempt=False, pause_account_until=until)
    if error_class == "reauth":
        return Outcome("pending", now, counts_as_attempt=False, account_needs_reauth=True)
    if error_class == "unconfirmed":
        return Outcome("unconfirmed")
    if error_class == "retry" and attempts < MAX_ATTEMPTS:
        wait = max(retry_delay(attempts, random_fraction), retry_after or 0.0)
        return Outcome("pending", now + timedelta(seconds=wait))
    return Outcome("failed")


def after_lost_answer(platform: str) -> Literal["retry", "unconfirmed"]:
    """The request that makes a post got no answer, so the post may be out: tried again where
    a re-send cannot post twice, elsewhere unconfirmed, for a person to decide."""
    return "retry" if platform in SAFE_TO_RESEND else "unconfirmed"


def after_lost_lease(platform: str) -> str:
    """A replica claimed the delivery and vanished (killed between sending and recording):
    the same rule as a lost answer, so the delivery is due again or unconfirmed."""
    return "pending" if after_lost_answer(platform) == "retry" else "unconfirmed"


@dataclass(frozen=True)
class Tried:
    """What one try to send a delivery came to: the platform's answer (`remote_id`) or an
    error of a class (platforms.DeliveryError's), as the use case that records it sees it."""

    remote_id: str | None = None
    remote_url: str | None = None
    error_class: str | None = None
    detail: str = ""
    retry_after: float | None = None
    maybe_sent: bool = False

    @property
    def sent(self) -> bool:
        return self.remote_id is not None


LOST_LEASE_DETAIL = "the sender stopped while sending; the post may be on the platform"


# --- what staff decide about a delivery -----------------------------------------------------

Decision = Literal["retry", "cancel", "confirm"]
#: Each decision: the status it leads to, and the statuses it can be given in. Retry: failed
#: or unconfirmed (the person checked it is not there) → due now; not a cancelled one (it was
#: superseded by a newer text, or a person dropped it). Cancel: pending, failed or
#: unconfirmed. Confirm: unconfirmed → published (the person saw it on the platform).
DECISIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "retry": ("pending", ("failed", "unconfirmed")),
    "cancel": ("cancelled", ("pending", "failed", "unconfirmed")),
    "confirm": ("published", ("unconfirmed",)),
}


def check_decision(delivery: dict[str, Any], action: str) -> tuple[str, tuple[str, ...]]:
    """(the new status, the statuses it may come from), or Conflict saying why not."""
    if action not in DECISIONS:
        raise Invalid(f"unknown action {action}", field="action", code="literal_error",
                      expected=expected(DECISIONS))
    to, allowed = DECISIONS[action]
    # Each refusal has a `code`, so the staff page can say it in its reader's language.
    if delivery["purpose"] == "board":
        raise Conflict("a notice board pulls its items: nothing to retry or cancel",
                       code="board")
    if action == "retry" and delivery["channel"] == "email" and delivery["recipient"] is None:
        raise Conflict("the organiser's address was erased when the email ended; the "
                       "booking desk can contact them", code="address_erased")
    if action == "retry" and delivery["content"] is None:
        # Nothing was rendered (a skipped delivery: Instagram and no image): only a change of
        # the activity event, which plans a new delivery, can help.
        raise Conflict(f"nothing to send: {delivery['last_error'] or 'the post was not made'}",
                       code="nothing_rendered")
    if delivery["status"] not in allowed:
        raise Conflict(f"a {delivery['status']} delivery cannot be given '{action}'",
                       status=delivery["status"], code="status")
    return to, allowed


def check_post_text(text: str, platform: str) -> str:
    """A post's text as staff edited it: something a person reads (spaces and zero-width
    characters alone would be posted as an empty post), within the platform's limit as the
    platform counts it (`post_length`: on Mastodon a web address is 23 characters), with no
    control or text-direction character (`text_chars`; line breaks stay)."""
    text = text.replace("\r\n", "\n").strip()
    if not readable(text):
        raise Invalid("the text is empty", field="text", code="text_empty")
    if not plain_text(text):  # posted as typed: a BEL, an escape or U+202E with it
        raise text_chars("text")
    limit = LIMITS.get(platform, LIMITS["facebook"])
    length = post_length(platform, text)
    if length > limit:
        raise Invalid(f"the text is {length} characters; the platform takes {limit}",
                      field="text", code="text_long", length=length, limit=limit)
    return text


# --- the email sender -----------------------------------------------------------------------

#: The setting of the one name every email this service sends is from (the From header's
#: display name), whichever mail it is: booking, registration, following, approval, attendance,
#: guide reply or address confirmation; the address is the email account's. Unset, each mail
#: is from the city's resident activity in the mail's language, as its signature
#: (rendering.SIGNATURE) signs it.
MAIL_SENDER_NAME_SETTING = "KOHTAAMO_MAIL_SENDER_NAME"
DEFAULT_MAIL_SENDER_NAMES = {"fi": "Kuopion kaupungin asukastoiminta",
                             "sv": "Kuopio stads invånarverksamhet",
                             "en": "The City of Kuopio's resident activity"}
DEFAULT_MAIL_SENDER_NAME = DEFAULT_MAIL_SENDER_NAMES["fi"]


def mail_sender_name(lang: str = "fi", env: Mapping[str, str] | None = None) -> str:
    """KOHTAAMO_MAIL_SENDER_NAME on one line, or the city's resident activity in the mail's
    language (`lang`) when unset (a Swedish mail was from a Finnish name)."""
    value = (os.environ if env is None else env).get(MAIL_SENDER_NAME_SETTING) or ""
    return " ".join(value.split()) or DEFAULT_MAIL_SENDER_NAMES.get(lang,
                                                                     DEFAULT_MAIL_SENDER_NAME)


# --- channel accounts -----------------------------------------------------------------------

SECRET_ENV_PREFIX = "KOHTAAMO_CHANNEL_"
_SECRET_ENV_NAME = re.compile(r"^KOHTAAMO_CHANNEL_[A-Z0-9_]+$")


def check_secret_ref(ref: str, folder: Path) -> str | None:
    """Why `ref` may not be used (None: it may). Looks at the words only, not the files:
    `env:KOHTAAMO_CHANNEL_<NAME>` or a file directly in the channels' secret folder."""
    kind, _, where = ref.partition(":")
    if kind == "env":
        if _SECRET_ENV_NAME.fullmatch(where):
            return None
        return f"an env: secret must be a variable named {SECRET_ENV_PREFIX}..."
    if kind == "file":
        path = Path(os.path.normpath(where))
        if path.is_absolute() and path.parent == Path(os.path.normpath(folder)):
            return None
        return f"a file: secret must be a file directly in {folder}"
    return "secret_ref is env:NAME or file:/path"


#: Platforms whose API address is configuration, never a request's: an account of these sends
#: its token only there (KOHTAAMO_FACEBOOK_API_URL, KOHTAAMO_BLUESKY_PDS_URL override them).
DEFAULT_API_URLS: dict[str, str] = {
    "facebook": "https://graph.facebook.com/v21.0",
    "instagram": "https://graph.facebook.com/v21.0",
    "bluesky": "https://bsky.social",
}
#: The fields that say where an account's token goes and which token it is: choosing them is
#: an admin's act, recorded.
TOKEN_ROUTING = ("base_url", "secret_ref")


@dataclass(frozen=True)
class ChannelSettings:
    """What the rules of channel accounts are configured with."""

    #: The folder whose files `file:` secrets may name.
    secrets_folder: Path
    #: platform → its fixed API address (DEFAULT_API_URLS, as configured).
    fixed_api_urls: dict[str, str]


def checked_account(data: dict[str, Any], settings: ChannelSettings) -> dict[str, Any]:
    """An account's configuration as it is stored (base_url without a trailing slash; a
    platform with a fixed API address gets that one), or Invalid naming the field that breaks
    a rule."""
    platform = data["platform"]
    given = data["base_url"].rstrip("/") if data["base_url"] else None
    fixed = settings.fixed_api_urls.get(platform)
    if fixed is not None:
        fixed = fixed.rstrip("/")
        if given is not None and given != fixed:
            raise Invalid(f"a {platform} account's API address is fixed ({fixed}); it is not "
                          "taken from the request", field="base_url", code="base_url_fixed",
                          platform=platform, fixed=fixed)
        given = fixed
    if given is None:
        raise Invalid(f"a {platform} account needs its API's base_url", field="base_url",
                      code="base_url_needed", platform=platform)
    scheme = urlsplit(given).scheme
    if platform == "email" and scheme not in ("smtp", "smtps"):
        raise Invalid("an email account's base_url is smtp://host:port or smtps://host:port",
                      field="base_url", code="base_url_smtp")
    if platform != "email" and scheme not in ("http", "https"):
        raise Invalid("a social account's base_url is its API's https:// address",
                      field="base_url", code="base_url_https")
    if platform in ("facebook", "instagram", "bluesky", "email") and not data["account_ref"]:
        raise Invalid(f"a {platform} account needs account_ref", field="account_ref",
                      code="account_ref_needed", platform=platform)
    problem = check_secret_ref(data["secret_ref"], settings.secrets_folder)
    if problem:
        raise Invalid(problem, field="secret_ref", code="secret_ref")
    return {**data, "base_url": given}


def token_routing_changes(kept: dict[str, Any] | None, data: dict[str, Any]) -> list[str]:
    """Which of TOKEN_ROUTING a save chooses: both for a new account, else those it changes."""
    if kept is None:
        return list(TOKEN_ROUTING)
    return [f for f in TOKEN_ROUTING if kept[f] != data[f]]


# --- residents' own channels: registration and following (issue #18, ADR 0004) ---------------

#: Groups of up to this many sign up together unless the activity's settings say otherwise.
DEFAULT_MAX_GROUP = 6
#: A weekly digest covers the activities of the coming two weeks not yet in an earlier one.
DIGEST_DAYS = 14
DIGEST_EVERY = timedelta(days=7)
LANGS = ("fi", "sv", "en")
#: Registration emails and their purposes in the delivery table.
REGISTRATION_PURPOSES = {"confirmed": "registration_confirmed",
                         "waiting": "registration_waiting",
                         "promoted": "registration_promoted",
                         "cancelled": "registration_cancelled"}
#: A registration's confirmation mailed again, asked for on the sign-up form's "already
#: registered" refusal (a lost mail, its cancel link with it).
REGISTRATION_RESENT = "registration_resent"
#: At most one such mail per registration in this long: the button mails an inbox it does
#: not show, so pressing it again and again must not fill that inbox.
RESEND_EVERY = timedelta(minutes=10)


def may_resend(last_resent_at: datetime | None, now: datetime) -> bool:
    """Whether a registration's confirmation may be mailed again now: never before, or not
    within `RESEND_EVERY` of the last time."""
    return last_resent_at is None or now - last_resent_at >= RESEND_EVERY


#: The default hourly ceiling of mails the public forms send for one client address.
PUBLIC_FORMS_PER_HOUR = 60
#: How many times one address may be signed up for activities in a day: a family's week of
#: activities, not someone else's inbox filled by a script.
REGISTER_PER_DAY = 10
#: What a sign-up keeps, at most (the form's `maxlength` too): longer is refused, never cut.
NAME_MAX = 200
EMAIL_MAX = 254
ANSWER_MAX = 1000



def check_registrant_name(name: str) -> str:
    """A registrant's name as kept (trimmed): something to read (it greets them in the mail
    and names them on the list), at most `NAME_MAX` characters."""
    text = name.strip()
    if not readable(text):
        raise Invalid("give your name", field="name", code="name")
    if len(text) > NAME_MAX:
        raise Invalid(f"a name is at most {NAME_MAX} characters", field="name",
                      code="name_long", high=NAME_MAX)
    if not plain_text(text, lines=False):
        # It greets them in the city's mail: no second line to say something else there, no
        # escape or direction character to hide what it says.
        raise Invalid("a name is one line without control characters", field="name",
                      code="name_chars")
    return text


def checked_hourly_limit(value: str | None) -> int:
    """KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT: a whole number of at least 1."""
    if value is None or value == "":
        return PUBLIC_FORMS_PER_HOUR
    if not re.fullmatch(r"[0-9]{1,9}", value.strip()) or int(value) < 1:
        raise ValueError(f"KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT: {value!r} is not a whole "
                         "number of at least 1")
    return int(value)


@dataclass(frozen=True)
class ReachLinks:
    """Where residents open the registration and following pages, and the key their links
    are signed with (KOHTAAMO_NOTIFICATIONS_PUBLIC_URL, KOHTAAMO_REACH_KEY)."""

    base_url: str
    key: bytes
    #: How many mails the public forms may be asked for from one client address in an hour
    #: (KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT): a library's computers and Wi-Fi are one address
    #: for everyone there, so the ceiling stops a script, not a busy library.
    hourly_per_client: int = PUBLIC_FORMS_PER_HOUR

    def sender_of(self, client: str | None) -> str | None:
        """A client's network address as a keyed hash: enough to count, not to tell who. An
        IPv6 client counts by its /64, the least a home or phone network is given, so a new
        address of the same network is not a new client."""
        if not client:
            return None
        return hmac.new(self.key, f"client:{client_network(client)}".encode("utf-8",
                                                                            "replace"),
                        hashlib.sha256).hexdigest()[:32]

    def token(self, kind: str, row_id: UUID) -> str:
        mac = hmac.new(self.key, f"{kind}:{row_id}".encode(), hashlib.sha256).hexdigest()[:32]
        return f"{row_id.hex}{mac}"

    def read(self, kind: str, token: str) -> UUID | None:
        """The row a link names, or None for a link that was not made with this key."""
        if len(token) != 64 or not re.fullmatch(r"[0-9a-f]{64}", token):
            return None
        row_id = UUID(hex=token[:32])
        return row_id if hmac.compare_digest(self.token(kind, row_id), token) else None

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"


@dataclass(frozen=True)
class RegistrationRules:
    """What decides whether a sign-up is taken: the activity (its newest facts and status)
    and the settings its organiser or desk chose."""

    status: str
    registration_required: bool
    starts_at: datetime
    capacity: int | None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_group: int = DEFAULT_MAX_GROUP
    questions: tuple[dict[str, Any], ...] = ()

    @property
    def largest_group(self) -> int:
        """How many one sign-up may bring: the group's limit, and never more than the
        places there are (a group larger would wait for ever, and all after it with it)."""
        held = group_held_by_places(self.max_group, self.capacity)
        return self.max_group if held is None else held


def default_group(capacity: int | None) -> int:
    """The group's limit when the organiser sets none: the default, or the places when they
    are fewer (5 places: 5, not a 6 the page would at once say is held to 5)."""
    if capacity is None:
        return DEFAULT_MAX_GROUP
    return max(min(DEFAULT_MAX_GROUP, capacity), 1)


def group_held_by_places(max_group: int, capacity: int | None) -> int | None:
    """The largest group a sign-up takes when the places are fewer than the group's limit
    (the default 6 and an activity of 2 places: 2), which the settings page says beside the
    limit rather than refuse it; None: the limit holds as it is set."""
    if capacity is None or capacity >= max_group:
        return None
    return max(capacity, 1)


def registration_rules(status: str, facts: dict[str, Any],
                       settings: dict[str, Any] | None) -> RegistrationRules:
    settings = settings or {}
    capacity = settings.get("capacity") or facts.get("capacity")
    return RegistrationRules(
        status=status, registration_required=bool(facts.get("registration_required")),
        starts_at=datetime.fromisoformat(facts["starts_at"]), capacity=capacity,
        opens_at=settings.get("opens_at"), closes_at=settings.get("closes_at"),
        max_group=settings.get("max_group") or DEFAULT_MAX_GROUP,
        questions=tuple(settings.get("questions") or ()))


_CLOSED = {"not_required": "this activity takes no registration",
           "not_open": "registration has not opened yet",
           "never_opens": "registration never opens: the activity now starts before its "
                          "opening time",
           "closed": "registration has closed"}


def closed_reason(rules: RegistrationRules, now: datetime) -> str | None:
    """Why no sign-up is taken now (not_required, cancelled, postponed, not_open,
    never_opens, closed), or None while registration is open.

    never_opens: the opening time saved is at the activity's start or after it (the
    activity moved earlier since; the settings take no such time now), and sign-ups close
    at the start, so registration will not open at all. Not "not opened yet": a resident
    would come back for a sign-up that never comes, and only the organiser can change it."""
    if not rules.registration_required:
        return "not_required"
    if rules.status in ("cancelled", "postponed"):
        return rules.status
    if rules.status != "published":  # withdrawn: off the calendar, its sign-ups closed
        return "closed"
    # Closed first: an activity moved to start before its saved opening time has closed at
    # its start, not "not opened yet" ever after.
    if now >= min(rules.closes_at or rules.starts_at, rules.starts_at):
        return "closed"
    if rules.opens_at is not None and rules.opens_at >= rules.starts_at:
        return "never_opens"
    if rules.opens_at is not None and now < rules.opens_at:
        return "not_open"
    return None


def closed_refusal(reason: str, rules: RegistrationRules) -> Conflict:
    """The refusal of a sign-up while registration is closed for `reason` (`closed_reason`);
    never_opens carries the activity's start and the opening time saved, for the page to
    say why."""
    details: dict[str, Any] = {}
    if reason == "never_opens" and rules.opens_at is not None:
        details = {"starts_at": rules.starts_at.isoformat(),
                   "opens_at": rules.opens_at.isoformat()}
    if reason == "not_open" and rules.opens_at is not None:
        # When it opens (and closes, where set): "not yet" alone sent residents guessing.
        details = {"opens_at": rules.opens_at.isoformat(),
                   **({"closes_at": rules.closes_at.isoformat()}
                      if rules.closes_at is not None else {})}
    return Conflict(_CLOSED.get(reason, f"the activity is {reason}"), code=reason, **details)


def check_signup(rules: RegistrationRules, now: datetime, seats: int,
                 answers: dict[str, str], refused: Sequence[Invalid] = ()) -> dict[str, str]:
    """Whether a sign-up may be taken now; returns the answers to the activity's questions
    (unknown ones dropped). Every field's refusal at once (`Refusals`, after those already
    `refused`: the name's and the address's), so a person fixes them all in one go; `code`
    in each one's details names the rule for the pages."""
    closed = closed_reason(rules, now)
    if closed is not None:
        raise closed_refusal(closed, rules)
    refusals = list(refused)
    # A field refused already (its text unreadable) is said once, by that refusal.
    said = {exc.field for exc in refusals}
    if "seats" not in said and not 1 <= seats <= rules.largest_group:
        refusals.append(Invalid(f"a sign-up is for 1 to {rules.largest_group} people",
                                field="seats", code="seats", max_group=rules.largest_group))
    kept: dict[str, str] = {}
    for question in rules.questions:
        answer = (answers.get(question["id"]) or "").strip()
        field = f"q_{question['id']}"
        if field in said:
            continue
        if question.get("required") and not readable(answer):
            refusals.append(Invalid("this question needs an answer", field=field,
                                    code="answer"))
        elif len(answer) > ANSWER_MAX:  # refused, not cut: the organiser reads it whole
            refusals.append(Invalid(f"an answer is at most {ANSWER_MAX} characters",
                                    field=field, code="answer_long", high=ANSWER_MAX))
        elif not plain_text(answer, lines=False):
            # The organiser's list, its CSV and mails show it as typed: no second line to say
            # what the resident did not answer, no escape or direction character to hide it.
            refusals.append(Invalid("an answer is one line without control or text-direction "
                                    "characters", field=field, code="answer_chars"))
        elif readable(answer):
            kept[question["id"]] = answer
    if refusals:
        raise Refusals(refusals)
    return kept


#: The organiser's registration settings' bounds (the API's schema says them too).
MAX_GROUP_MAX = 50
CAPACITY_MAX = 100_000
QUESTIONS_MAX = 20
#: A question's text in one language: a line of a form and a column of the list.
QUESTION_MAX = 200
_QUESTION_ID = re.compile(r"[a-z0-9_]{1,40}")


def check_registration_settings(*, opens_at: datetime | None, closes_at: datetime | None,
                                max_group: int, capacity: int | None,
                                questions: Sequence[Mapping[str, Any]],
                                refused: Sequence[Invalid] = (),
                                starts_at: datetime | None = None,
                                confirmed_seats: int = 0) -> list[dict[str, Any]]:
    """The organiser's sign-up settings, every rule they break refused at once (`Refusals`,
    after those already `refused`: the page's times or numbers it could not read), so the
    API and the page say them all in one answer; returns the questions as kept (texts
    trimmed, a language given nothing to read left out). A question's refusal names its
    place (`questions.1.text.fi`), as FastAPI names a list's entry.

    Registration closes no later than the activity `starts_at`: sign-ups are taken until
    it starts and never after (`closed_reason`), so a later closing time would be saved
    and never hold (refused `closes_after_start`, the start in its details to say). It
    opens before the activity starts: an opening time at the start or later is one at which
    sign-ups have already closed, so registration would never open (refused
    `opens_after_start` by `opens_at`, the start in its details alike).

    The places are no fewer than the seats already confirmed (`confirmed_seats`): fewer were
    saved and the list read "Confirmed: 2 / 1", a seat no one would take back (refused
    `capacity_below_confirmed`, the count in its details)."""
    refusals = list(refused)
    if starts_at is not None and opens_at is not None and opens_at >= starts_at:
        refusals.append(Invalid("registration must open before the activity starts",
                                field="opens_at", code="opens_after_start",
                                starts_at=starts_at.isoformat()))
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        refusals.append(Invalid("registration must close after it opens", field="closes_at",
                                code="registration_window"))
    if starts_at is not None and closes_at is not None and closes_at > starts_at:
        refusals.append(Invalid("registration must close by the time the activity starts",
                                field="closes_at", code="closes_after_start",
                                starts_at=starts_at.isoformat()))
    if not 1 <= max_group <= MAX_GROUP_MAX:
        refusals.append(Invalid(f"a sign-up is for 1 to {MAX_GROUP_MAX} people",
                                field="max_group", code="max_group", low=1,
                                high=MAX_GROUP_MAX))
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        refusals.append(Invalid(f"the places are 1 to {CAPACITY_MAX}, or none given",
                                field="capacity", code="capacity", low=1, high=CAPACITY_MAX))
    elif capacity is not None and capacity < confirmed_seats:
        refusals.append(Invalid(f"{confirmed_seats} seats are confirmed already: the places "
                                "cannot be fewer", field="capacity",
                                code="capacity_below_confirmed", confirmed=confirmed_seats))
    if len(questions) > QUESTIONS_MAX:
        refusals.append(Invalid(f"at most {QUESTIONS_MAX} questions", field="questions",
                                code="questions_many", high=QUESTIONS_MAX))
    kept: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, question in enumerate(questions):
        at = f"questions.{i}"
        qid = question.get("id")
        if not isinstance(qid, str) or not _QUESTION_ID.fullmatch(qid):
            refusals.append(Invalid("a question's id is 1-40 of a-z, 0-9 and _",
                                    field=f"{at}.id", code="question_id"))
        elif qid in seen:
            refusals.append(Invalid("each question needs an id of its own",
                                    field=f"{at}.id", code="repeated", value=qid))
        else:
            seen.add(qid)
        text: dict[str, str] = {}
        given = question.get("text")
        for lang in ("fi", "sv", "en"):
            said = (given or {}).get(lang) if isinstance(given, Mapping) else None
            words = said.strip() if isinstance(said, str) else ""
            field = f"{at}.text.{lang}"
            if not readable(words):
                if lang == "fi":
                    refusals.append(Invalid("a question needs its Finnish text", field=field,
                                            code="question_text"))
                continue
            if len(words) > QUESTION_MAX:
                refusals.append(Invalid(f"a question is at most {QUESTION_MAX} characters",
                                        field=field, code="question_long", high=QUESTION_MAX,
                                        language=lang))
            elif not plain_text(words, lines=False):
                refusals.append(Invalid("a question is one line without control characters",
                                        field=field, code="question_chars", language=lang))
            text[lang] = words
        kept.append({"id": qid, "text": text, "required": bool(question.get("required"))})
    if refusals:
        raise Refusals(refusals)
    return kept


def waiting_before(capacity: int | None, waiting: Sequence[int]) -> int:
    """How many of the waiting list (its groups' sizes, oldest first) a new sign-up waits
    behind: every one that may yet have its places. A group larger than all the places never
    will (`promotions` passes it by), so it holds nobody back."""
    return sum(1 for seats in waiting if capacity is None or seats <= capacity)


def placement(capacity: int | None, confirmed_seats: int, waiting: Sequence[int],
              seats: int) -> str:
    """confirmed while the seats last and nobody waits before them (`waiting_before`), else
    waiting. First come, first served, as the waiting list moves up (`promotions`): a later,
    smaller group does not take the places an earlier group is waiting for, which would
    leave a large group waiting for ever behind every small one."""
    if waiting_before(capacity, waiting) == 0 and (
            capacity is None or confirmed_seats + seats <= capacity):
        return "confirmed"
    return "waiting"


@dataclass(frozen=True)
class Waiting:
    """Where a sign-up on the waiting list stands now."""

    #: Its place in the list (1: next to get a seat).
    position: int
    #: Places free now; None: the activity has no limit.
    free: int | None
    #: Sign-ups before it that may yet have their places (`waiting_before`).
    before: int
    #: Why it waits (`why_waiting`): full, queue (others before it) or group.
    why: str


def waiting_at(capacity: int | None, confirmed_seats: int,
               waiting: Sequence[tuple[UUID, int]], registration_id: UUID) -> Waiting | None:
    """Where `registration_id` stands in the `waiting` list (oldest first) and why it
    waits; None when it is not on the list."""
    ids = [row_id for row_id, _ in waiting]
    if registration_id not in ids:
        return None
    position = ids.index(registration_id) + 1
    free = None if capacity is None else max(capacity - confirmed_seats, 0)
    before = waiting_before(capacity, [seats for _, seats in waiting[:position - 1]])
    return Waiting(position, free, before, why_waiting(free, before))


def why_waiting(free: int | None, before: int) -> str:
    """Why a sign-up waits, for the pages to say: `full` (no place free), `queue` (places
    free, but `before` sign-ups wait before it: first come, first served) or `group` (its
    group is more than the places free). `free` None: no limit, so only a queue."""
    if free is not None and free <= 0:
        return "full"
    if before > 0 or free is None:
        return "queue"
    return "group"


def promotions(capacity: int | None, confirmed_seats: int,
               waiting: list[tuple[UUID, int]]) -> list[UUID]:
    """Who moves up from the waiting list (oldest first) into the seats now free. The list
    is kept in order: a group that does not fit yet is not overtaken by a later one; one
    larger than all the places (kept before groups were held to them, or from before the
    places were cut) never fits, and holds nobody back."""
    free = None if capacity is None else capacity - confirmed_seats
    moved = []
    for registration_id, seats in waiting:
        if capacity is not None and seats > capacity:
            continue
        if free is not None and seats > free:
            break
        moved.append(registration_id)
        if free is not None:
            free -= seats
    return moved


def may_see_participants(principal_roles: frozenset[str], principal_venues: frozenset[UUID],
                         subject: str | None, facts: dict[str, Any]) -> bool:
    """The list of those who registered: the activity's own editor, the desk of its venue,
    communications staff and admins."""
    if {"admin", "communications"} & principal_roles:
        return True
    venue = facts.get("venue_id")
    if "desk" in principal_roles and venue is not None and UUID(str(venue)) in principal_venues:
        return True
    return subject is not None and subject == facts.get("organiser_subject")


def anonymise_after(ends_at: datetime, retention_days: int) -> datetime:
    return ends_at + timedelta(days=retention_days)


# --- following ------------------------------------------------------------------------------

#: New subscriptions one address may get in a day: the confirmation mail cannot be used to
#: flood someone's inbox.
FOLLOW_PER_DAY = 3
FOLLOW_FIELDS = ("venue_ids", "areas", "topics", "audiences", "kinds")


def subscription_matches(subscription: dict[str, Any], facts: dict[str, Any]) -> bool:
    """Every list the subscriber chose must hold the activity's value (an empty list: any)."""
    def chosen(field: str) -> set[str]:
        return {str(v) for v in subscription.get(field) or ()}

    checks = [("venue_ids", {str(facts.get("venue_id"))}), ("areas", {str(facts.get("area"))}),
              ("topics", set(facts.get("topics") or ())),
              ("audiences", set(facts.get("audiences") or ())),
              ("kinds", {str(facts.get("kind"))})]
    return all(not chosen(field) or chosen(field) & values for field, values in checks)


#: What an activity can be followed by, as the events service writes it (its `AREA` and
#: `CODE`): a choice of anything else would match nothing, and is no text to keep. An area
#: is besides one of the city's (shared.areas.AREAS), the only ones the follow page offers.
FOLLOW_CODES = {"areas": re.compile(r"[a-z0-9_.-]{1,50}"),
                **{f: re.compile(r"[a-z0-9_]{1,50}") for f in ("topics", "audiences", "kinds")}}


def check_following(choice: dict[str, list[str]]) -> None:
    if not any(choice.get(f) for f in FOLLOW_FIELDS):
        raise Invalid("choose at least one venue, area, topic, audience or kind",
                      field="areas", code="nothing_chosen")
    for field, code in FOLLOW_CODES.items():
        for value in choice.get(field) or ():
            if not isinstance(value, str) or not code.fullmatch(value) or (
                    field == "areas" and value not in AREAS):
                raise Invalid(f"not something to follow: {str(value)[:60]!r}", field=field,
                              code="not_followable")


#: What an edit may change that a registrant reads of the activity, in the order their mail
#: says it: its name, time and place in their language, and its places (the sign-up's).
REGISTRANT_DETAILS = ("name", "time", "place", "places")


def registrant_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Which of `REGISTRANT_DETAILS` an edit changed as one registrant reads them (`before`
    and `after`, each as their mail says it): none, and the edit is nothing to them (a
    description, a topic, a name in another language, the activity's own places where the
    sign-up's settings set others)."""
    return tuple(key for key in REGISTRANT_DETAILS if before.get(key) != after.get(key))


#: The changes a follower mailed an activity as a new one hears of (`purpose` and status as
#: an announcing account's post): the details they read no longer hold.
FOLLOWER_CHANGES = frozenset({"cancelled", "rescheduled", "relocated", "postponed"})


#: What a change to an activity a follower was told of is, as its mail's subject says it:
#: "changed" where nothing more is known.
FollowChange = Literal["cancelled", "postponed", "rescheduled", "relocated", "changed"]


def follow_change(purpose: str, status: str, *, moved: bool, retimed: bool) -> FollowChange:
    """What a follower's change mail is about, as its notice's title says it (a post's
    change label): cancelled, postponed, a new place (moved, its time kept), or a new time
    (moved in time, or back on after a postponement)."""
    if purpose == "cancellation" or status == "cancelled":
        return "cancelled"
    if status == "postponed":
        return "postponed"
    if purpose != "change":
        return "changed"
    return "relocated" if moved and not retimed else "rescheduled"


def digest_due(last_digest_at: datetime | None, now: datetime) -> bool:
    """The first digest goes at the next pass after the address is confirmed (what is
    coming, at once), then one a week."""
    return last_digest_at is None or now - last_digest_at >= DIGEST_EVERY


def week_key(now: datetime) -> str:
    year, week, _ = now.astimezone(HELSINKI).isocalendar()
    return f"{year}-W{week:02d}"


def checked_email(value: str) -> str:
    """A follower's or registrant's address, normalised, by the rule every service reads
    an address by (`shared.email_address`): one mail can reach."""
    address = value.strip()
    if len(address) > EMAIL_MAX:  # said as too long: a cut address would reach someone else
        raise Invalid(f"an email address is at most {EMAIL_MAX} characters", field="email",
                      code="email_long", high=EMAIL_MAX)
    normalised = email_address(address)
    if normalised is None:
        raise Invalid("give an email address like name@example.fi", field="email",
                      code="email")
    return normalised
