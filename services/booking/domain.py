"""Booking rules as plain functions: no I/O, testable without a database.

The rules come from Kuopio's resident activity model (seed 001): free use only with the
library, paid rental only where there is paid space (the main library), parties and other
partisan, religious or commercial organisers in branch libraries only in shared activity with
equal opportunity, lawful and substance-free events, activity within opening hours.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from shared.accessibility import ACCESSIBILITY_FEATURES, known_features
from shared.areas import area_refusals
from shared.bounds import name_refusals, plain_text, readable
from shared.clock import HELSINKI
from shared.errors import Conflict, Forbidden, Invalid, Refusals, flattened, refuse

__all__ = ["HELSINKI", "Refusals", "flattened", "refuse"]

HOLDING = ("held", "requested", "confirmed")
#: A booking that ended without taking place by the library's or its own undoing (refused,
#: cancelled, never sent): nothing to pay, so its pages show no price due and no invoice
#: reference. A no-show was the organiser's and is still charged.
NOT_CHARGED = frozenset({"rejected", "cancelled", "expired"})
#: Which state a booking may move to from which; anything else is a 409.
TRANSITIONS: dict[str, set[str]] = {
    # A hold is completed (submitted) into a request before anyone may confirm it.
    "held": {"requested", "expired", "cancelled"},
    "requested": {"confirmed", "rejected", "cancelled"},
    "confirmed": {"cancelled", "no_show"},
    "rejected": set(),
    "cancelled": set(),
    "expired": set(),
    "no_show": set(),
}
ORGANISER_TYPES = ("resident", "association", "party", "religious", "commercial", "library")
#: Organisers the library may not co-organise with on its own (non-partisan by default).
PARTISAN = ("party", "religious", "commercial")


@dataclass(frozen=True)
class VenueFacts:
    kind: str
    has_paid_space: bool


@dataclass(frozen=True)
class SpaceRules:
    """What the desk sets per space (all changeable data, not code)."""

    paid: bool = False
    min_minutes: int = 30
    max_minutes: int = 240
    horizon_days: int = 180
    buffer_minutes: int = 0
    max_open_requests: int = 3
    confirmation: str = "manual"
    price_per_hour: Decimal | None = None
    cancellation_hours: int = 24
    self_service: bool = False
    overnight: bool = False
    checkin_required: bool = False
    checkin_minutes: int = 30
    hold_minutes: int = 15


@dataclass(frozen=True)
class BookingRequest:
    starts_at: datetime
    ends_at: datetime
    cooperation: bool
    house_rules_accepted: bool
    organiser_type: str = "resident"
    shared_activity: bool = False
    library_contact: str | None = None


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime
    kind: str  # staffed | self_service


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # ISO, 1 = Monday
    opens: time
    closes: time
    kind: str


def weekly_refusals(hours: Sequence[WeeklyHours]) -> list[Invalid]:
    """Weekly hours as a week can be: a row (`weekly.2.weekday`) that repeats or overlaps
    an earlier row of the same weekday and kind of hours is refused, naming the weekday and
    the earlier row's times (Monday 09–20 and 12–14 would show both to residents, and a row
    moved to another weekday would leave its old one closed unnoticed). Rows that only
    touch (09–12, 12–16) are one day's hours in two parts."""
    refusals: list[Invalid] = []
    for i, row in enumerate(hours):
        other = next((o for o in hours[:i] if o.weekday == row.weekday and o.kind == row.kind
                      and o.opens < row.closes and row.opens < o.closes), None)
        if other is not None:
            refusals.append(Invalid(
                f"weekday {row.weekday} has overlapping hours "
                f"({other.opens:%H:%M}–{other.closes:%H:%M} and {row.opens:%H:%M}–"
                f"{row.closes:%H:%M})", field=f"weekly.{i}.weekday", code="hours_overlap",
                weekday=row.weekday, opens=f"{other.opens:%H:%M}",
                closes=f"{other.closes:%H:%M}"))
    return refusals


@dataclass(frozen=True)
class DayException:
    """One day's own hours, or closed all day (no times): a venue (or space) has at most one
    for a day, the desk's latest word about it (migration 011)."""

    day: date
    opens: time | None = None  # None: closed all day
    closes: time | None = None
    kind: str | None = None
    #: Why, as residents read it (fi/sv/en, any of them): what the day is, not its rule.
    reason: Mapping[str, Any] | None = dataclasses.field(default=None, compare=False)


def day_exception(day: date, *, closed: bool, opens: time | None, closes: time | None,
                  kind: str | None = "staffed") -> DayException:
    """A day's exception as the desk's form or the API gives it, or the refusal naming the
    input to fix: closed all day takes no times; a day not closed takes both times (a desk
    that unticked "closed" did not mean closed), local times closing after opening; staffed
    or self-service hours. The one check of an exception's shape, whichever way it came."""
    if closed and (opens is not None or closes is not None):
        raise Invalid("a day closed all day has no opening times", field="closed",
                      code="hours_closed")
    if closed:
        return DayException(day)
    if opens is None or closes is None:
        missing = "opens" if opens is None else "closes"
        raise Invalid("give the opening and the closing time, or close the day",
                      field=missing, code="hours_open_times")
    for name, value in (("opens", opens), ("closes", closes)):
        # "10:00+02:00" (the API takes ISO times): hours are Helsinki's wall clock, which
        # no fixed offset is all year; and an aware time does not compare with a naive one.
        if value.tzinfo is not None:
            raise Invalid("opening hours are local (Helsinki) times, without an offset",
                          field=name, code="hours_local")
    if closes <= opens:
        raise Invalid("closes must be after opens", field="closes", code="hours_order")
    if kind not in ("staffed", "self_service"):
        raise Invalid("staffed or self_service hours", field="kind", code="hours_kind")
    return DayException(day, opens, closes, kind)


#: The longest reason a day's exception gives (the desk's input and the API's schema say so).
REASON_MAX = 500


def exception_reason(value: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Why a day is an exception, as kept: in any of fi/sv/en (a desk writes in its own
    language; readers of the others read it as written), each text trimmed, blanks dropped;
    None for no reason. Refused naming the field (`reason.sv`) when a text is too long or
    has a control character, and a reason given with no text at all (`reason`)."""
    if value is None:
        return None
    kept = {lang: str(value.get(lang) or "").strip() for lang in ("fi", "sv", "en")}
    kept = {lang: text for lang, text in kept.items() if text}
    if not kept:
        raise Invalid("a reason has its text in fi, sv or en", field="reason",
                      code="reason_empty")
    for lang, text in kept.items():
        # Residents read it beside the day: only invisible characters read as "closed ()",
        # a private-use one as a box. Nothing to read is said so before a character of it.
        if not readable(text) or any(unicodedata.category(c) == "Co" for c in text):
            raise Invalid("a reason is text to read, without private-use characters",
                          field=f"reason.{lang}", code="reason_unreadable")
        _printable(text, f"reason.{lang}")
        if len(text) > REASON_MAX:
            raise Invalid(f"reason is at most {REASON_MAX} characters", field=f"reason.{lang}",
                          code="reason_long", high=REASON_MAX)
    return kept


def text_refusals(value: Mapping[str, Any] | None, field: str, *, lines: bool = True
                  ) -> list[Invalid]:
    """Each language of a text residents read in fi/sv/en (`name.sv`) that `plain_text`
    refuses: `text_chars`, as a booking's title. `lines`: whether it may break lines (a
    description may, a name not)."""
    return [Invalid(f"{field}.{lang} has a control or text-direction character",
                    field=f"{field}.{lang}", code="text_chars")
            for lang in ("fi", "sv", "en")
            if isinstance((value or {}).get(lang), str)
            and not plain_text(str((value or {})[lang]), lines=lines)]


#: The longest title and organiser's name a booking keeps (the API's schema says so too),
#: and the longest reason a decision on a booking gives (reject, cancel, move).
TITLE_MAX = NAME_MAX = 200
DECISION_REASON_MAX = 1000


def check_title(title: str) -> str:
    """A booking's title as kept (trimmed): something to read, at most `TITLE_MAX`
    characters; refused naming `title` otherwise (every way in: request, hold, series,
    walk-in, the API and the pages)."""
    text = title.strip()
    if not readable(text) or len(text) > TITLE_MAX:
        raise Invalid(f"the event needs a name of at most {TITLE_MAX} characters",
                      field="title", code="title", high=TITLE_MAX)
    _printable(text, "title")
    return text


#: The languages a booking's title may be written in, Finnish first (the default).
TITLE_LANGUAGES = ("fi", "sv", "en")


def check_title_language(language: str | None) -> str:
    """The language the organiser wrote the title in, as kept (none given: Finnish), or the
    refusal naming `title_language`. The activity drafted from the booking is named in it:
    the organiser's language of messages says nothing of the title's (a Swedish-speaking
    organiser may write a Finnish title), so it is asked of its own beside the title."""
    if language is None or language == "":
        return "fi"
    if language not in TITLE_LANGUAGES:
        raise Invalid("the title's language is Finnish, Swedish or English",
                      field="title_language", code="title_language")
    return language


def check_person_name(name: str, field: str = "organiser.name") -> str:
    """An organiser's name as kept (trimmed), or the refusal naming `field`: blank, only
    spaces or format characters, or longer than `NAME_MAX`."""
    text = name.strip()
    if not readable(text) or len(text) > NAME_MAX:
        raise Invalid("the organiser's name is needed", field=field, code="organiser_name",
                      high=NAME_MAX)
    _printable(text, field)
    return text


def check_library_contact(name: str | None) -> str | None:
    """The library's contact person a request names, as kept (trimmed; blank: none), or the
    refusal naming `library_contact` (`text_chars`): shown to the desk on one line, so no
    control, line-break or text-direction character (a NUL, which PostgreSQL cannot keep,
    reached the database from the request form)."""
    text = (name or "").strip()
    if not text:
        return None
    if not plain_text(text, lines=False):
        raise Invalid("the library's contact person has a control or text-direction"
                      " character", field="library_contact", code="text_chars")
    return text


#: A phone number (an organiser's, a borrower's, a venue's) as people write it: digits with spaces,
#: brackets or dashes between them, a plus before a country code; at most this long.
PHONE_MAX = 30
_PHONE = re.compile(rf"\+?[0-9 ()-]{{5,{PHONE_MAX}}}")
#: A number has at least this many digits (not "(--)").
_PHONE_DIGITS = 5


def check_phone(phone: str | None, field: str = "organiser.phone", code: str = "phone"
                ) -> str | None:
    """A phone number as kept (trimmed; blank: none), or the refusal naming `field` (and
    `code`: a loan's borrower's is said of a borrower): the desk or the library calls it (a
    walk-in has often no email, a borrower is chased by it)."""
    text = (phone or "").strip()
    if not text:
        return None
    if len(text) > PHONE_MAX or not _PHONE.fullmatch(text) \
            or sum(c.isdigit() for c in text) < _PHONE_DIGITS:
        raise Invalid("the phone number is not valid", field=field, code=code,
                      high=PHONE_MAX)
    return text


def check_decision_reason(reason: str | None, *, required: bool) -> str | None:
    """Why the desk rejects, cancels or moves a booking, as kept (trimmed; None for none):
    the organiser is told it and the history keeps it. Blank (spaces or format characters
    only) counts as none, refused when `required`; too long is refused either way."""
    text = (reason or "").strip()
    if not readable(text):
        if required:
            raise Invalid("give the organiser a reason", field="reason", code="reason")
        return None
    if len(text) > DECISION_REASON_MAX:
        raise Invalid(f"a reason is at most {DECISION_REASON_MAX} characters", field="reason",
                      code="reason_long", high=DECISION_REASON_MAX)
    _printable(text, "reason")
    return text


def utc_text(moment: datetime) -> str:
    """A moment as booking's answers and refusals write it: UTC with `Z`, one form for all
    ("09:00+02:00" to "08:00Z" read as a slot ending before it starts)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def elapsed(starts_at: datetime, ends_at: datetime) -> timedelta:
    """The time that passes between two moments. Python subtracts two times of one zone
    (Helsinki) by their clock faces, an hour off across a change of daylight saving time;
    in UTC it is the real length."""
    return ends_at.astimezone(UTC) - starts_at.astimezone(UTC)


def ends_after(starts_at: datetime, minutes: int) -> datetime:
    """The end of a booking of `minutes` from `starts_at`, in elapsed time (UTC): a form's
    local start plus its length means the same on a night the clocks turn as the API's
    start and end."""
    return starts_at.astimezone(UTC) + timedelta(minutes=minutes)


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Invalid("times must carry a time zone offset", field="starts_at",
                      code="no_offset")
    if ends_at <= starts_at:
        raise Invalid("the booking must end after it starts", field="ends_at",
                      code="ends_before_start")


def length_refusals(starts_at: datetime, ends_at: datetime, rules: SpaceRules
                    ) -> list[Invalid]:
    """The rules of a booking's length it breaks (empty: none): a time without an offset or
    ending before it starts is only that; else between the space's minimum and maximum.
    The same for every time of a weekly series, so a series breaks them as a whole."""
    try:
        check_times(starts_at, ends_at)
    except Invalid as exc:
        return [exc]
    minutes = elapsed(starts_at, ends_at).total_seconds() / 60
    if minutes < rules.min_minutes:
        return [Invalid(
            f"a booking of this space must be at least {rules.min_minutes} minutes long",
            field="ends_at", code="too_short", min_minutes=rules.min_minutes)]
    if minutes > rules.max_minutes:
        return [Invalid(
            f"a booking of this space may be at most {_hours(rules.max_minutes)} long",
            field="ends_at", code="too_long", max_minutes=rules.max_minutes)]
    return []


def slot_refusals(starts_at: datetime, ends_at: datetime, rules: SpaceRules,
                  now: datetime) -> list[Invalid]:
    """Every rule of a booking's time that it breaks (empty: none), each naming its field:
    its length (between the space's minimum and maximum) and its start (between now and the
    horizon), both said at once; a time without an offset or ending before it starts is
    only that. Pure arithmetic, so it comes before any work that grows with the length
    (opening hours day by day): no time given can make the service compute for long."""
    try:
        check_times(starts_at, ends_at)
    except Invalid as exc:
        return [exc]
    found = length_refusals(starts_at, ends_at, rules)
    if starts_at < now:
        found.append(Invalid("the booking cannot start in the past", field="starts_at",
                             code="past"))
    elif starts_at > now + timedelta(days=rules.horizon_days):
        found.append(Invalid(
            f"this space can be booked at most {rules.horizon_days} days ahead",
            field="starts_at", code="horizon", horizon_days=rules.horizon_days))
    return found


# The longest time whose opening hours are judged beside its other refusals (a length
# over the space's maximum, a start gone by): a week of days is little work, and a time
# longer than that is refused for its length alone, so no time given makes the days many.
HOURS_JUDGED_DAYS = 7


def hours_judged(starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a time's opening hours are judged in the same answer as its other refusals:
    it has an offset, ends after it starts, and spans at most `HOURS_JUDGED_DAYS` local
    days."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None or ends_at <= starts_at:
        return False
    days = ends_at.astimezone(HELSINKI).date() - starts_at.astimezone(HELSINKI).date()
    return days.days <= HOURS_JUDGED_DAYS


def check_slot(starts_at: datetime, ends_at: datetime, rules: SpaceRules,
               now: datetime) -> None:
    """The rules of a booking's time that every way in obeys (request, hold, submit, series,
    walk-in, move): `slot_refusals`, every one broken refused together."""
    refuse(slot_refusals(starts_at, ends_at, rules, now))


def _house_rules_refusal() -> Invalid:
    return Invalid("the house rules must be accepted: the event is lawful and substance-free",
                   field="accept_house_rules", code="house_rules")


def check_house_rules(accepted: bool) -> None:
    """Every request accepts the house rules (the organiser's form checks it with the other
    fields it can tell about before asking, so all are said at once)."""
    if not accepted:
        raise _house_rules_refusal()


def details_refusals(request: BookingRequest, venue: VenueFacts, rules: SpaceRules
                     ) -> list[Invalid]:
    """Every rule of what a request says about itself that it breaks (seed 001; empty:
    none), each naming its field, so all are said at once rather than one per try: the
    house rules; the kind of organiser; in cooperation with the library, a party, religious
    or commercial organiser only in shared activity, and the library's contact person; as
    paid rental, the one reason this space is not rented (no paid space in this library, a
    space free only in cooperation, or no price set)."""
    found: list[Invalid] = []
    if not request.house_rules_accepted:
        found.append(_house_rules_refusal())
    if request.organiser_type not in ORGANISER_TYPES:
        found.append(Invalid(f"organiser type must be one of {', '.join(ORGANISER_TYPES)}",
                             field="organiser_type", code="organiser_type"))
    if request.cooperation:
        if request.organiser_type in PARTISAN and not request.shared_activity:
            found.append(Invalid(
                "the library co-organises only non-partisan, non-commercial activity; a party,"
                " religious or commercial organiser rents paid space (main library) or takes part"
                " in shared activity that gives every party equal opportunity",
                field="shared_activity", code="partisan"))
        if not (request.library_contact or "").strip():
            found.append(Invalid("an event run in cooperation with the library needs the"
                                 " library's contact person", field="library_contact",
                                 code="library_contact"))
    elif not venue.has_paid_space:
        found.append(Invalid("this library has no paid space: activity here is free and run"
                             " in cooperation with the library", field="cooperation",
                             code="no_paid_space"))
    elif not rules.paid:
        found.append(Invalid("this space is free only for events run in cooperation with the"
                             " library", field="cooperation", code="cooperation_only"))
    elif rules.price_per_hour is None:
        found.append(Invalid("this space has no price set; ask the desk", field="cooperation",
                             code="no_price"))
    return found


def check_details(request: BookingRequest, venue: VenueFacts, rules: SpaceRules) -> None:
    """What a request says about itself (`details_refusals`), every rule broken refused
    together."""
    refuse(details_refusals(request, venue, rules))


def over_open_requests(open_requests: int, rules: SpaceRules, adding: int = 1) -> bool:
    """Whether `adding` more would take an organiser past the space's limit of open (held
    or requested) bookings: what `check_open_requests` refuses, and why a page offers no
    hold of the space to an organiser at the limit."""
    return open_requests + adding > rules.max_open_requests


def check_open_requests(open_requests: int, rules: SpaceRules, adding: int = 1) -> None:
    """An organiser has at most `max_open_requests` held or requested bookings of a space;
    `adding` is how many this operation would add (a series: all its occurrences)."""
    if over_open_requests(open_requests, rules, adding):
        raise Conflict(f"you already have {open_requests} open requests; at most"
                       f" {rules.max_open_requests} are allowed for this space"
                       + (f" and this series adds {adding}" if adding > 1 else ""),
                       code="open_requests", open_requests=open_requests,
                       max_open_requests=rules.max_open_requests, adding=adding)


def check_booking_request(request: BookingRequest, venue: VenueFacts, rules: SpaceRules,
                          now: datetime, open_requests: int = 0) -> None:
    """Raise `Refusals` (422, each broken rule with its field: the time's and the details'
    together) or `Conflict` (409) when a rule is not met."""
    refuse([*slot_refusals(request.starts_at, request.ends_at, rules, now),
            *details_refusals(request, venue, rules)])
    check_open_requests(open_requests, rules)


# --- what the rules act on ------------------------------------------------------------------


#: The rules a new space gets unless the desk sets others: the one definition (the request
#: schema's defaults come from here).
DEFAULT_RULES = SpaceRules()

#: What a space's rules may be set to, inclusive; the desk page and the API check the same.
RULE_BOUNDS: dict[str, tuple[int, int]] = {
    "min_minutes": (15, 24 * 60 * 7), "max_minutes": (15, 24 * 60 * 7),
    "horizon_days": (1, 730), "buffer_minutes": (0, 240), "max_open_requests": (1, 100),
    "cancellation_hours": (0, 24 * 30), "checkin_minutes": (1, 24 * 60),
    "hold_minutes": (1, 24 * 60)}
#: How a space's requests are confirmed: by the desk, or at once.
CONFIRMATIONS = ("manual", "automatic")


def check_confirmation(confirmation: str) -> str:
    """One of `CONFIRMATIONS`, or the refusal naming them: a choice, not a number between
    bounds (the desk page offers them; the API's schema lists them)."""
    if confirmation not in CONFIRMATIONS:
        raise Invalid(f"confirmation is one of: {', '.join(CONFIRMATIONS)}",
                      field="confirmation", code="choice_not_offered",
                      choices=list(CONFIRMATIONS))
    return confirmation


def resource_refusals(resource: Resource) -> list[Invalid]:
    """Something to lend needs a count the desk can mean and a Finnish name, each name (fi,
    sv, en) one to read as other names are: something readable (`shared.bounds.readable`),
    no control or text-direction characters, at most `NAME_MAX` characters. Every refusal,
    each naming its field (`quantity`, `name.sv`)."""
    refusals: list[Invalid] = []
    if not 0 <= resource.quantity <= 100_000:
        refusals.append(Invalid("quantity must be between 0 and 100000", field="quantity",
                                code="rule_bounds", low=0, high=100_000))
    for lang in ("fi", "sv", "en"):
        text = str(resource.name.get(lang) or "").strip()
        if not text:
            if lang == "fi":
                refusals.append(Invalid("the resource needs a name in Finnish",
                                        field="name.fi", code="no_name"))
            continue
        if not readable(text) or len(text) > NAME_MAX or not plain_text(text, lines=False) \
                or any(unicodedata.category(c) == "Co" for c in text):
            refusals.append(Invalid(f"name.{lang} is a name to read, at most {NAME_MAX}"
                                    " characters, without control or direction characters",
                                    field=f"name.{lang}", code="resource_name", high=NAME_MAX))
    return refusals


def check_resource(resource: Resource) -> None:
    """`resource_refusals`, all at once."""
    refuse(resource_refusals(resource))


def length_rule_refusals(min_minutes: int, max_minutes: int) -> list[Invalid]:
    """The longest booking no shorter than the shortest (`rule_lengths`, by the longest)."""
    if max_minutes < min_minutes:
        return [Invalid("max_minutes must be at least min_minutes", field="max_minutes",
                        code="rule_lengths")]
    return []


def check_space_rules(rules: SpaceRules) -> None:
    """Rules a space can live by: every number within its bounds, the longest booking no
    shorter than the shortest, a price that is money, a confirmation of the choices."""
    for name, (low, high) in RULE_BOUNDS.items():
        value = getattr(rules, name)
        if not low <= value <= high:
            raise Invalid(f"{name} must be between {low} and {high}", field=name,
                          code="rule_bounds", low=low, high=high)
    refuse(length_rule_refusals(rules.min_minutes, rules.max_minutes))
    if rules.price_per_hour is not None and not 0 <= rules.price_per_hour <= 10000:
        raise Invalid("price_per_hour must be between 0 and 10000", field="price_per_hour",
                      code="rule_bounds", low=0, high=10000)
    # Cents at most: 12.345 was kept as 12.35, a price the desk never gave.
    if rules.price_per_hour is not None and \
            rules.price_per_hour != rules.price_per_hour.quantize(Decimal("0.01")):
        raise Invalid("price_per_hour has at most two decimals", field="price_per_hour",
                      code="price_format")
    check_confirmation(rules.confirmation)


def check_features(features: Iterable[str], field: str = "accessibility_features"
                   ) -> tuple[str, ...]:
    """Structured accessibility features (migration 008; the vocabulary is
    `shared.accessibility`'s) as kept: each once, in the vocabulary's order; a word outside
    it is refused naming the field (the database refuses it too)."""
    given = set(features)
    unknown = sorted(given - set(ACCESSIBILITY_FEATURES))
    if unknown:
        raise Invalid(f"not an accessibility feature: {unknown[0][:40]}", field=field,
                      code="accessibility_feature")
    return known_features(given)


#: Bounds of what a space's page says of it (the API's schema has the same).
DETAIL_TEXT_MAX = 500
EQUIPMENT_MAX, EQUIPMENT_ITEM_MAX = 30, 100
PHOTOS_MAX, PHOTO_URL_MAX = 20, 500


@dataclass(frozen=True)
class SpaceDetails:
    """What residents read of a space besides its name: a description (fi, sv, en), its
    equipment, and photos (an https address and an alternative text per language)."""

    description: dict[str, str] | None
    equipment: tuple[str, ...]
    photos: tuple[dict[str, Any], ...]
    accessibility_features: tuple[str, ...] = ()


def _printable(text: str, field: str) -> None:
    """`plain_text`, or the refusal naming `field` (`text_chars`)."""
    if not plain_text(text):
        raise Invalid(f"{field} has a control or text-direction character", field=field,
                      code="text_chars")


def _text_of(value: dict[str, Any] | None, field: str, *, need_fi: str) -> dict[str, str] | None:
    """A text in fi/sv/en, blanks dropped; Finnish needed once any language is given. A
    text of nothing to read (a zero-width space) is no text: in Finnish it is refused as
    one not given (`need_fi`), in another language by its field (`text_unreadable`)."""
    # A form's text area breaks its lines with CRLF: kept as LF.
    kept = {lang: str(value.get(lang) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            for lang in ("fi", "sv", "en")} if value else {}
    kept = {lang: text for lang, text in kept.items() if text}
    for lang, text in kept.items():
        _printable(text, f"{field}.{lang}")
        if not readable(text):
            raise Invalid(f"{field}.{lang} has nothing to read", field=f"{field}.{lang}",
                          code=need_fi if lang == "fi" else "text_unreadable")
        if len(text) > DETAIL_TEXT_MAX:
            raise Invalid(f"{field}.{lang} is longer than {DETAIL_TEXT_MAX} characters",
                          field=f"{field}.{lang}", code="text_length", high=DETAIL_TEXT_MAX)
    if kept and "fi" not in kept:
        raise Invalid(f"{field} needs Finnish too", field=f"{field}.fi", code=need_fi)
    return kept or None


#: What an address may hold besides letters and digits (RFC 3986's unreserved, reserved
#: and "%"): a space, a quote, "<", "{" or "\\" make no address, whatever a browser guesses.
_URL_MARKS = frozenset("-._~:/?#[]@!$&'()*+,;=%")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def https_url(url: str) -> bool:
    """Whether `url` is an https address a browser loads as written: at most
    `PHOTO_URL_MAX` characters, each a letter, a digit or one of RFC 3986's marks (a
    non-ASCII letter of a path, as "kuvat/sali-ä.jpg", too), every "%" an escape, a host
    name or an IP address, a port that is a number."""
    if not url or len(url) > PHOTO_URL_MAX or any(
            not (c.isalnum() or c in _URL_MARKS) or (not c.isascii() and not c.isalpha())
            for c in url):
        return False
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number
    except ValueError:  # "https://[x/a.jpg", "https://a.fi:x/": no address
        return False
    host = parts.hostname or ""
    if parts.scheme != "https" or not host:
        return False
    if host.startswith("[") or ":" in host:
        return True  # an IPv6 literal, which urlsplit has checked
    try:
        host = host.encode("idna").decode("ascii")  # "kirjasto.fi", "äänekoski.fi"
    except UnicodeError:
        return False
    return _HOST.fullmatch(host) is not None


def check_space_details(details: SpaceDetails) -> SpaceDetails:
    """The details as kept: texts trimmed, blank equipment lines dropped; refused (naming the
    field: `description.sv`, `equipment`, `photos.2.url`) when a text is too long, a text
    has no Finnish, a photo is not an https address or has no alternative text in Finnish
    (screen readers), or there are too many of either."""
    description = _text_of(details.description, "description", need_fi="description_fi")
    equipment = tuple(item.strip() for item in details.equipment if item.strip())
    if len(equipment) > EQUIPMENT_MAX:
        raise Invalid(f"at most {EQUIPMENT_MAX} pieces of equipment", field="equipment",
                      code="too_many", high=EQUIPMENT_MAX)
    for item in equipment:
        _printable(item, "equipment")
        if len(item) > EQUIPMENT_ITEM_MAX:
            raise Invalid(f"a piece of equipment is longer than {EQUIPMENT_ITEM_MAX}"
                          " characters", field="equipment", code="equipment_item",
                          high=EQUIPMENT_ITEM_MAX)
    photos = []
    for i, photo in enumerate(details.photos):
        url = str(photo.get("url") or "").strip()
        if not https_url(url):
            raise Invalid("a photo's address is an https URL", field=f"photos.{i}.url",
                          code="photo_url", high=PHOTO_URL_MAX)
        alt = _text_of(photo.get("alt"), f"photos.{i}.alt", need_fi="photo_alt")
        if alt is None:
            raise Invalid("a photo needs its alternative text in Finnish",
                          field=f"photos.{i}.alt.fi", code="photo_alt")
        photos.append({"url": url, "alt": alt})
    if len(photos) > PHOTOS_MAX:
        raise Invalid(f"at most {PHOTOS_MAX} photos", field="photos", code="too_many",
                      high=PHOTOS_MAX)
    return SpaceDetails(description, equipment, tuple(photos),
                        check_features(details.accessibility_features))


@dataclass(frozen=True)
class Contact:
    """Whom a booking's messages go to: given with that booking and kept with it."""

    name: str
    email: str | None = None
    phone: str | None = None
    #: The address is known to reach the organiser (the identity provider's verified email,
    #: the desk vouched for it, or its one-time link was opened): only then is it mailed.
    verified: bool = False
    #: The language the organiser reads (fi, sv or en): the booking's emails are in it.
    language: str = "fi"

    @property
    def mail_to(self) -> str | None:
        """Where the booking's messages may go: the address if verified, else nowhere."""
        return self.email if self.verified else None


@dataclass(frozen=True)
class Organiser:
    id: UUID
    subject: str | None
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Venue:
    id: UUID
    name: dict[str, Any]
    kind: str
    area: str
    municipality: str
    has_paid_space: bool
    revision: int = 1
    description: dict[str, Any] | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accessibility: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    languages: tuple[str, ...] = ("fi",)
    accessibility_features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Space:
    id: UUID
    venue_id: UUID
    name: dict[str, Any]
    rules: SpaceRules
    venue_kind: str = "library"
    has_paid_space: bool = False
    description: dict[str, Any] | None = None
    capacity: int | None = None
    equipment: tuple[str, ...] = ()
    photos: tuple[dict[str, Any], ...] = ()
    paid: bool = False
    parent_id: UUID | None = None
    accessibility_features: tuple[str, ...] = ()

    @property
    def venue(self) -> VenueFacts:
        return VenueFacts(kind=self.venue_kind, has_paid_space=self.has_paid_space)

    @property
    def beyond_staffed_hours(self) -> bool:
        """Bookable outside staffed hours too: in self-service hours, or overnight."""
        return self.rules.self_service or self.rules.overnight

    @property
    def rented(self) -> bool:
        """Rented for a fee (a paid space of a venue with paid space), its price set or not."""
        return self.has_paid_space and self.rules.paid

    @property
    def rental_price(self) -> Decimal | None:
        """What an hour of renting the space costs, as `details_refusals` allows a rental:
        a paid space of a venue with paid space, its price set; else None (free use
        only)."""
        return self.rules.price_per_hour if self.rented else None


@dataclass(frozen=True)
class Resource:
    id: UUID
    venue_id: UUID
    name: dict[str, Any]
    quantity: int


#: A venue's texts residents read, and whether each may break lines (its name not).
VENUE_TEXTS = {"name": False, "description": True, "accessibility": True}


def check_venue_contact(contact: Mapping[str, Any] | None) -> dict[str, Any]:
    """A venue's contact as kept: its phone by the one rule of every phone number
    (`check_phone`: trimmed, blank none, at most `PHONE_MAX` characters), refused as
    `contact.phone`. Only what is written is checked: a number kept before this rule (the
    API took 40 characters of anything) is read and shown as it is."""
    kept = dict(contact or {})
    if "phone" in kept:
        kept["phone"] = check_phone(kept["phone"], "contact.phone")
    return kept


def venue_refusals(details: Mapping[str, Any]) -> list[Invalid]:
    """Every rule a venue's details break (all of them on registering, or those a change
    gives), each naming its field: its area (`area_refusals`), its name's readability
    (`name_refusals`), its texts (`text_refusals`), its contact's phone
    (`check_venue_contact`)."""
    refusals = area_refusals([str(details["area"])], "area") if "area" in details else []
    refusals += name_refusals(details.get("name"))
    for field, lines in VENUE_TEXTS.items():
        refusals += text_refusals(details.get(field), field, lines=lines)
    if "contact" in details:
        try:
            check_venue_contact(details["contact"])
        except Invalid as exc:
            refusals.append(exc)
    return refusals


def space_refusals(space: Space) -> list[Invalid]:
    """Every rule a new space's name, details and rules break: a name to read
    (`name_refusals`) shown on one line (`text_refusals`), `check_space_details`' rules
    (its first refusal) and `check_space_rules`' (its first, named within `rules`:
    `rules.max_minutes`)."""
    refusals = name_refusals(space.name) + text_refusals(space.name, "name", lines=False)
    try:
        check_space_details(SpaceDetails(space.description, space.equipment, space.photos,
                                         space.accessibility_features))
    except Invalid as exc:
        refusals.append(exc)
    try:
        check_space_rules(space.rules)
    except Invalid as exc:
        refusals += [Invalid(each.message, f"rules.{each.field}", **each.details)
                     for each in flattened([exc])]
    return refusals


@dataclass(frozen=True)
class HistoryEntry:
    status: str
    actor: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class Booking:
    id: UUID
    space_id: UUID
    venue_id: UUID
    organiser_id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    cooperation: bool = True
    organiser_type: str = "resident"
    shared_activity: bool = False
    library_contact: str | None = None
    hours_kind: str = "staffed"
    access_code: str | None = None
    price: Decimal | None = None
    invoice_reference: str | None = None
    series_id: UUID | None = None
    hold_expires_at: datetime | None = None
    checked_in_at: datetime | None = None
    created_by: str = "organiser"
    updated_at: datetime | None = None
    #: The organiser's id at the identity provider (None for walk-ins and once anonymised).
    organiser_subject: str | None = None
    contact: Contact | None = None
    history: tuple[HistoryEntry, ...] = ()
    #: Counts every change (migration 006): the calendar entry's SEQUENCE in mails.
    revision: int = 1
    #: The language the title is written in (`check_title_language`; migration 016).
    title_language: str = "fi"


def awaiting_verification(booking: Booking, now: datetime) -> str | None:
    """The address a booking's messages wait on: given with an open request or booking
    (not ended) and not yet proved by its organiser. Until its one-time link is opened
    nothing about the booking is mailed (`Contact.verified`), so the organiser is told."""
    contact = booking.contact
    if (contact is None or not contact.email or contact.verified
            or booking.status not in ("requested", "confirmed") or booking.ends_at <= now):
        return None
    return contact.email


#: A confirmation link is sent again no sooner than this after the last one to the address:
#: mail can take minutes, and a second press (or a reload) must not send it twice.
LINK_AGAIN_AFTER = timedelta(minutes=10)
#: At most this many links to one organiser's address in `LINKS_WINDOW`, however asked for
#: (a request, a series, "send the link again"): the button cannot be used to flood an
#: address someone else typed.
LINKS_A_DAY = 5
LINKS_WINDOW = timedelta(days=1)


def next_link_at(sent: Sequence[datetime], now: datetime) -> datetime | None:
    """When another confirmation link may be sent to an address whose links were sent at
    `sent` (None: now): `LINK_AGAIN_AFTER` after the last one, and once the day's
    `LINKS_A_DAY` have made room (the oldest of them a day old). To the second, as the
    API's `again_at` and Retry-After give it; a person is told `said_minute` of it."""
    recent = sorted(t for t in sent if t > now - LINKS_WINDOW)
    waits = [recent[-1] + LINK_AGAIN_AFTER] if recent else []
    if len(recent) >= LINKS_A_DAY:
        waits.append(recent[len(recent) - LINKS_A_DAY] + LINKS_WINDOW)
    until = max(waits, default=None)
    return until if until is not None and until > now else None


def said_minute(moment: datetime) -> datetime:
    """A moment from which something may be done, as a person is told it: the whole minute
    at or after it (13:41:06 → 13:42), never the one before, in which a press is still
    refused ("klo 13.41" for 13:41:06 refused a press at 13:41:03)."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def shown_door_code(status: str, access_code: str | None) -> str | None:
    """A booking's door code as anyone is shown it (the API, its calendar entry, the desk's
    pages): only a confirmed booking opens the door, never a request, nor one rejected or
    cancelled."""
    return access_code if status == "confirmed" else None


def hold_let_go(booking: Booking) -> bool:
    """A hold released or left to expire before anyone asked for the time (it has no title
    yet): no booking anyone made, not one for the desk's lists."""
    return booking.status in ("expired", "cancelled") and not booking.title


@dataclass(frozen=True)
class Loan:
    id: UUID
    resource_id: UUID
    venue_id: UUID
    organiser_id: UUID
    booking_id: UUID | None
    quantity: int
    starts_at: datetime
    ends_at: datetime
    status: str
    organiser_subject: str | None = None


def check_confirmable(booking: Booking) -> None:
    """Only a submitted request is confirmed: a hold has no title or details yet."""
    if booking.status == "held":
        raise Conflict("a held slot is not a request yet: the organiser submits it first",
                       code="held", status="held")
    check_transition(booking.status, "confirmed")


def check_in_refusal(booking: Booking, now: datetime) -> Conflict | None:
    """Why this booking cannot be checked in now, or None when it can: a confirmed booking
    is checked in from its check-in window's opening (an hour before) until it ends; by the
    venue's desk or by its organiser (who decides is the use case's)."""
    if booking.status != "confirmed":
        return Conflict(f"only a confirmed booking can be checked in; this one is"
                        f" {booking.status}", code="check_in_status", status=booking.status)
    if now >= booking.ends_at:
        return Conflict("the booking has ended; it can no longer be checked in",
                        code="check_in_ended")
    if now < booking.starts_at - CHECK_IN_OPENS:
        return Conflict("check-in opens an hour before the booking starts",
                        code="check_in_early")
    return None


def check_check_in(booking: Booking, now: datetime) -> None:
    """Refuse a check-in its rule (`check_in_refusal`) refuses."""
    refusal = check_in_refusal(booking, now)
    if refusal is not None:
        raise refusal


def check_in_offered(booking: Booking, now: datetime) -> bool:
    """Whether a page offers to mark this booking arrived: not marked yet, and its check-in
    accepted now (`check_in_refusal`), so no button leads to a refusal."""
    return booking.checked_in_at is None and check_in_refusal(booking, now) is None


#: How long before its start a booking can be checked in.
CHECK_IN_OPENS = timedelta(hours=1)


def check_submittable(booking: Booking, now: datetime) -> None:
    if booking.status != "held":
        raise Conflict(f"only a held slot can be submitted; this one is {booking.status}",
                       code="not_held", status=booking.status)
    if booking.hold_expires_at is not None and booking.hold_expires_at <= now:
        raise Conflict("the hold has expired; choose the time again", code="hold_expired")


#: A loan is planned like a booking: within this many days, never in the past.
LOAN_HORIZON_DAYS = 365
#: And for at most this long.
LOAN_MAX_DAYS = 31


def check_loan(starts_at: datetime, ends_at: datetime, now: datetime,
               booking: Booking | None) -> None:
    """A loan's time: not in the past, not beyond the horizon, not longer than a month;
    with a booking, within the booking's time."""
    check_times(starts_at, ends_at)
    if ends_at <= now:
        raise Invalid("a loan cannot be in the past", field="starts_at", code="loan_past")
    if starts_at < now - timedelta(minutes=5):
        raise Invalid("a loan cannot start in the past", field="starts_at",
                      code="loan_start_past")
    if starts_at > now + timedelta(days=LOAN_HORIZON_DAYS):
        raise Invalid(f"a loan can be made at most {LOAN_HORIZON_DAYS} days ahead",
                      field="starts_at", code="loan_horizon", high=LOAN_HORIZON_DAYS)
    if elapsed(starts_at, ends_at) > timedelta(days=LOAN_MAX_DAYS):
        raise Invalid(f"a loan may last at most {LOAN_MAX_DAYS} days", field="ends_at",
                      code="loan_too_long", high=LOAN_MAX_DAYS)
    if booking is not None:
        if booking.status not in ("held", "requested", "confirmed"):
            raise Conflict(f"the booking is {booking.status}; nothing can be lent for it",
                           code="loan_booking_status", status=booking.status)
        if starts_at < booking.starts_at or ends_at > booking.ends_at:
            raise Invalid("a loan for a booking lies within the booking's time",
                          field="starts_at", code="loan_outside_booking")


def check_actor(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"a {current.replace('_', '-')} booking cannot become {target}",
                       code="status", status=current, target=target)


def initial_status(rules: SpaceRules, by_desk: bool) -> str:
    """Desk bookings (walk-ins) and automatic spaces are confirmed at once."""
    return "confirmed" if by_desk or rules.confirmation == "automatic" else "requested"


def cancellation_deadline(starts_at: datetime, rules: SpaceRules) -> datetime:
    """The last moment an organiser may cancel a time themselves."""
    return starts_at - timedelta(hours=rules.cancellation_hours)


def check_cancellation(*, by_desk: bool, starts_at: datetime, now: datetime,
                       rules: SpaceRules) -> None:
    if by_desk:
        return
    deadline = cancellation_deadline(starts_at, rules)
    if now > deadline:
        raise Conflict(f"the cancellation deadline ({rules.cancellation_hours} h before the"
                       " start) has passed; please contact the library desk",
                       code="deadline", cancellation_hours=rules.cancellation_hours,
                       deadline=utc_text(deadline))


def series_version(times: Iterable[Booking]) -> str:
    """What a confirmation of cancelling a series showed, as one short word: each time's
    id, space, start, end and status, in any order. Another set (a time added, cancelled or
    moved, one confirmed or rejected meanwhile) has another word."""
    shown = sorted(f"{b.id}|{b.space_id}|{b.starts_at.astimezone(UTC).isoformat()}|"
                   f"{b.ends_at.astimezone(UTC).isoformat()}|{b.status}" for b in times)
    return hashlib.sha256("\n".join(shown).encode()).hexdigest()[:32]


def check_series_as_seen(times: Sequence[Booking], seen: str) -> None:
    """Cancelling a series cancels the times its confirmation showed (`seen`, their
    `series_version`), or nothing: changed since, it is a 409 naming the times as they are
    now and their version, to be shown and confirmed again."""
    now = series_version(times)
    if seen != now:
        raise Conflict("the series has changed since its times were shown; nothing was"
                       " cancelled: confirm again the times as they are now",
                       code="series_changed", version=now,
                       booking_ids=[str(b.id) for b in times])


def no_show_due(starts_at: datetime, rules: SpaceRules, now: datetime) -> bool:
    """A confirmed booking nobody checked in to is released after the check-in window."""
    return now >= starts_at + timedelta(minutes=rules.checkin_minutes)


def price_for(starts_at: datetime, ends_at: datetime, price_per_hour: Decimal) -> Decimal:
    hours = Decimal(elapsed(starts_at, ends_at).total_seconds()) / Decimal(3600)
    return (hours * price_per_hour).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def finnish_reference(base: int) -> str:
    """A Finnish bank reference number (viitenumero): the base and its 7-3-1 check digit."""
    if base < 100:
        base += 1000  # at least four digits with the check digit
    digits = str(base)
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


#: Offered free times start on the quarter hour: "free from 10.37.12" is no time a person books.
OFFER_STEP = timedelta(minutes=15)


def offered_start(moment: datetime) -> datetime:
    """`moment` when it is on a quarter hour, else the next quarter hour. Finland's offset from
    UTC is whole hours, so the same quarter hours hold in local time."""
    hour = moment.replace(minute=0, second=0, microsecond=0)
    return hour + -(-(moment - hour) // OFFER_STEP) * OFFER_STEP


def claim_range(starts_at: datetime, ends_at: datetime,
                buffer_minutes: int) -> tuple[datetime, datetime]:
    """The time a booking holds its space: its own time plus the buffer after it."""
    return starts_at, ends_at + timedelta(minutes=buffer_minutes)


def leaf_spaces(space_id: UUID, children: Mapping[UUID, Sequence[UUID]]) -> list[UUID]:
    """Every leaf under `space_id` (itself when it has no parts): what a booking claims."""
    leaves: list[UUID] = []
    stack = [space_id]
    seen: set[UUID] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        parts = children.get(current, ())
        if parts:
            stack.extend(parts)
        else:
            leaves.append(current)
    return sorted(leaves)


# --- opening hours ---------------------------------------------------------------------------


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=HELSINKI)


def intervals_for_day(day: date, weekly: Iterable[WeeklyHours],
                      exceptions: Iterable[DayException]) -> list[Interval]:
    """Open intervals of one local day: its exceptions replace the weekly hours. A venue (or
    a space) has one exception a day; a space's day may have its venue's and its own, and
    then either one closed all day closes it (as metrics and the guide read them too)."""
    todays = [e for e in exceptions if e.day == day]
    if todays:
        if any(e.opens is None for e in todays):
            return []
        return sorted((Interval(_at(day, e.opens), _at(day, e.closes), e.kind)  # type: ignore[arg-type]
                       for e in todays), key=lambda i: i.start)
    return sorted((Interval(_at(day, w.opens), _at(day, w.closes), w.kind)
                   for w in weekly if w.weekday == day.isoweekday()), key=lambda i: i.start)


def intervals_between(first: date, last: date, weekly: Sequence[WeeklyHours],
                      exceptions: Sequence[DayException]) -> list[Interval]:
    result: list[Interval] = []
    day = first
    while day <= last:
        result.extend(intervals_for_day(day, weekly, exceptions))
        day += timedelta(days=1)
    return result


def _merge(intervals: Iterable[Interval]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for i in sorted(intervals, key=lambda i: i.start):
        if merged and i.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], i.end))
        else:
            merged.append((i.start, i.end))
    return merged


def _covered(start: datetime, end: datetime, intervals: Iterable[Interval]) -> bool:
    return any(s <= start and end <= e for s, e in _merge(intervals))


def hours_kind(starts_at: datetime, ends_at: datetime, intervals: Sequence[Interval],
               rules: SpaceRules) -> str:
    """Whether the booking lies in staffed hours, needs self-service hours, or is refused."""
    if rules.overnight:
        return "overnight"
    if _covered(starts_at, ends_at, [i for i in intervals if i.kind == "staffed"]):
        return "staffed"
    if rules.self_service and _covered(starts_at, ends_at, intervals):
        return "self_service"
    local = starts_at.astimezone(HELSINKI)
    usable = [i for i in intervals if i.start.astimezone(HELSINKI).date() == local.date()
              and (rules.self_service or i.kind == "staffed")]
    shown = ", ".join(f"{i.start.astimezone(HELSINKI):%H.%M}–{i.end.astimezone(HELSINKI):%H.%M}"
                      + (" (self-service)" if i.kind == "self_service" else "") for i in usable)
    # The day and its hours as data too, so a page can say them in its reader's language.
    raise Invalid("the space can be booked only within its opening hours"
                  + (f" ({local:%d.%m.}: {shown})" if shown else f" (closed {local:%d.%m.})"),
                  field="starts_at", code="closed", day=local.date().isoformat(),
                  open=[{"starts_at": utc_text(i.start), "ends_at": utc_text(i.end),
                         "kind": i.kind} for i in usable])


def hours_kind_now(starts_at: datetime, ends_at: datetime, weekly: Sequence[WeeklyHours],
                   exceptions: Sequence[DayException], rules: SpaceRules) -> str:
    """The kind of hours a booking's time has by the opening rules as they are now (the
    days it spans: their exceptions, else the weekly hours): what confirming it takes, and
    what the desk's queue says; `Invalid` (`closed`) when the hours no longer hold it."""
    first = starts_at.astimezone(HELSINKI).date()
    last = ends_at.astimezone(HELSINKI).date()
    return hours_kind(starts_at, ends_at, intervals_between(first, last, weekly, exceptions),
                      rules)


def open_kind_at(moment: datetime, intervals: Iterable[Interval]) -> str | None:
    """'staffed', 'self_service' or None (closed) at one moment; staffed wins."""
    kinds = {i.kind for i in intervals if i.start <= moment < i.end}
    if "staffed" in kinds:
        return "staffed"
    return "self_service" if kinds else None


def free_slots(intervals: Sequence[Interval], busy: Sequence[tuple[datetime, datetime]],
               min_minutes: int, allow_self_service: bool) -> list[tuple[datetime, datetime]]:
    """Open time not taken by holding bookings, in pieces of at least `min_minutes`."""
    usable = [i for i in intervals if allow_self_service or i.kind == "staffed"]
    slots: list[tuple[datetime, datetime]] = []
    # One sweep over both sorted lists: a month of an area's spaces is thousands of opening
    # intervals and claims, and looking at every claim for every interval grew as their
    # product (issue #20).
    ordered = sorted(busy)
    first = 0  # claims before it end before the current open interval begins
    for start, end in _merge(usable):
        while first < len(ordered) and ordered[first][1] <= start:
            first += 1
        cursor = start
        for k in range(first, len(ordered)):
            b_start, b_end = ordered[k]
            if b_start >= end:
                break  # sorted by start: every later claim begins after this interval
            if b_end <= cursor:
                continue
            if b_start > cursor:
                slots.append((cursor, b_start))
            cursor = max(cursor, b_end)
        if cursor < end:
            slots.append((cursor, end))
    minimum = timedelta(minutes=min_minutes)
    return [(s, e) for s, e in slots if e - s >= minimum]


# --- an organiser's own pages: the terms said before asking ----------------------------------


@dataclass(frozen=True)
class Terms:
    """On what terms an organiser of a kind may use a space (seed 001), as `check_details`
    will judge the request: what the page says before the organiser asks, not after.

    `rule` names the case: ``cooperation`` (free, run with the library, the library's
    contact person), ``cooperation_or_rental`` (that, or paid rental where the library takes
    no part), ``shared_activity`` (a party, religious or commercial organiser where there is
    no rental: only shared activity that gives every party equal opportunity) or
    ``shared_or_rental`` (such an organiser where paid rental is possible)."""

    rule: str
    rental: bool
    price_per_hour: Decimal | None


def terms_for(space: Space, organiser_type: str) -> Terms:
    rental = (space.has_paid_space and space.rules.paid
              and space.rules.price_per_hour is not None)
    partisan = organiser_type in PARTISAN
    rule = {(False, False): "cooperation", (False, True): "cooperation_or_rental",
            (True, False): "shared_activity", (True, True): "shared_or_rental"}[
        (partisan, rental)]
    return Terms(rule, rental, space.rules.price_per_hour if rental else None)


def start_times(free_from: datetime, free_until: datetime, minutes: int, *,
                step_minutes: int = 30, not_before: datetime | None = None) -> list[datetime]:
    """The starts a free time offers for a booking of `minutes`: on the clock's whole
    `step_minutes` (local time), not before `not_before`, each ending within the free time."""
    first = max(free_from, not_before) if not_before is not None else free_from
    local = first.astimezone(HELSINKI)
    past = (local.minute % step_minutes) * 60 + local.second + local.microsecond / 1e6
    start = local if past == 0 else local + timedelta(seconds=step_minutes * 60 - past)
    start = start.replace(second=0, microsecond=0)
    length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
    found: list[datetime] = []
    while start.astimezone(UTC) + length <= free_until:
        found.append(start)
        start += step
    return found
