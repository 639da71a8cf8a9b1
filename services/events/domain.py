"""Rules of activity events as plain functions: no I/O.

Every way an event comes in (the API, a series, the Linked Events import, a confirmed
booking) is checked by `check_event`, so what is stored is always what residents' pages,
feeds and the API can show.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.announcements import (
    ActivityView,
    at_venue,
    event_page_url,
    sign_up_page_url,
    venue_place,
)
from shared.areas import AREAS, area_refusals
from shared.bounds import MAX_YEAR, MIN_YEAR, check_text, name_refusals, plain_text, readable
from shared.contracts import (
    ActivityEventApprovalDecided,
    AttendanceReported,
    LocalizedText,
    VocabularyTermSet,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, expected, refuse
from shared.identity import Principal, require
from shared.l10n import text_in

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
LANGUAGES = ("fi", "sv", "en")
STATUSES = ("draft", "awaiting_approval", "published", "postponed", "rescheduled",
            "cancelled", "withdrawn")
#: What residents can see: everything but drafts, the approval queue and drafts withdrawn
#: with their booking (past and cancelled ones stay findable).
PUBLIC_STATUSES = ("published", "postponed", "rescheduled", "cancelled")
#: Not yet public: what follows a booking's end by being withdrawn.
UNPUBLISHED = ("draft", "awaiting_approval")
LIVE = ("published", "postponed", "rescheduled")

TRANSITIONS: dict[str, set[str]] = {
    # A draft goes out, or waits in the approval queue of its venue's or area's staff.
    "draft": {"published", "awaiting_approval", "withdrawn"},
    "awaiting_approval": {"published", "draft", "withdrawn"},
    "published": {"postponed", "rescheduled", "cancelled"},
    "postponed": {"rescheduled", "cancelled"},
    "rescheduled": {"postponed", "rescheduled", "cancelled"},
    "cancelled": set(),
    # A draft whose booking was cancelled, rejected or not shown up for.
    "withdrawn": set(),
}


@dataclass(frozen=True)
class Limits:
    """What is plausible, as settings (`limits_from`): an activity's length per kind (a
    longer activity is a series), and attendance as a multiple of the space's capacity
    (or a ceiling where no capacity is known); beyond it a figure waits for staff."""

    max_days: int = 14
    max_days_by_kind: Mapping[str, int] = dataclass_field(default_factory=dict)
    attendance_multiple: int = 3
    attendance_ceiling: int = 500

    def days_for(self, kind: str) -> int:
        return self.max_days_by_kind.get(kind, self.max_days)


def limits_from(env: Mapping[str, str]) -> Limits:
    """`KOHTAAMO_EVENTS_MAX_DAYS` (14), `KOHTAAMO_EVENTS_MAX_DAYS_BY_KIND`
    (``kind=days,kind=days``), `KOHTAAMO_ATTENDANCE_MULTIPLE` (3) and
    `KOHTAAMO_ATTENDANCE_CEILING` (500)."""
    by_kind = {}
    for part in env.get("KOHTAAMO_EVENTS_MAX_DAYS_BY_KIND", "").split(","):
        kind, sep, days = part.strip().partition("=")
        if sep and days.strip().isdigit():
            by_kind[kind.strip()] = int(days)
    return Limits(max_days=int(env.get("KOHTAAMO_EVENTS_MAX_DAYS", "14")),
                  max_days_by_kind=by_kind,
                  attendance_multiple=int(env.get("KOHTAAMO_ATTENDANCE_MULTIPLE", "3")),
                  attendance_ceiling=int(env.get("KOHTAAMO_ATTENDANCE_CEILING", "500")))


DEFAULT_LIMITS = Limits()


def check_length(starts_at: datetime, ends_at: datetime, kind: str,
                 limits: Limits = DEFAULT_LIMITS) -> None:
    """One activity lasts at most its kind's days; what goes on longer is a series of
    occurrences (`POST /series`)."""
    days = limits.days_for(kind)
    # Elapsed time: two Helsinki times subtract as clock faces, an hour off across a change
    # of summer time.
    if ends_at.astimezone(UTC) - starts_at.astimezone(UTC) > timedelta(days=days):
        raise Invalid(f"an activity of this kind lasts at most {days} days; make a longer one"
                      " a series of occurrences", field="ends_at")

# Bounds of an event's values: the same numbers the request schemas use.
TEXT_MAX = 500          # a name, a description, a place name (per language)
NAME_MAX = 200          # organiser name, library contact
CODE_MAX = 50
CODES_MAX = 20          # topics, audiences
URL_MAX = 2000
#: An address as stored: the API reads one of `URL_MAX` characters and writes it normalised,
#: which may lengthen it (a "/" after a bare host, an international name in punycode).
STORED_URL_MAX = 2 * URL_MAX
AREA_MAX = 100
AGE_MAX = 120
PRICE_MAX = Decimal(100_000)
CAPACITY_MAX = 100_000
REASON_MAX = 1000
#: A vocabulary code, matched whole (`fullmatch`): `$` of `match` would take "games\n".
CODE = re.compile(r"[a-z0-9_]+")

#: The draft's name when a booking came without a usable title (the organiser completes it).
DRAFT_NAME = {"fi": "Tilavaraus", "sv": "Lokalbokning", "en": "Space booking"}

_LOCALIZED = ("name", "short_description", "description", "place_name", "accessibility",
              "image_alt")
#: The texts of an activity written on one line (a name in the calendar, a place on a board,
#: an image's alternative text): no line break either, as a booking's title.
ONE_LINE = ("name", "place_name", "image_alt", "organiser_name", "library_contact")


#: An activity in each status as a sentence names it ("a awaiting_approval activity event"
#: was what the refusals said).
STATUS_PHRASES = {"draft": "a draft", "awaiting_approval": "an activity awaiting approval",
                  "published": "a published activity", "postponed": "a postponed activity",
                  "rescheduled": "a rescheduled activity",
                  "cancelled": "a cancelled activity", "withdrawn": "a withdrawn draft"}
#: Each status as the end of "... cannot be": what the act would make of it.
_MADE = {"published": "published", "awaiting_approval": "sent for approval",
         "draft": "made a draft", "postponed": "postponed", "rescheduled": "moved",
         "cancelled": "cancelled", "withdrawn": "withdrawn"}


def status_phrase(status: str) -> str:
    return STATUS_PHRASES.get(status, f"an activity ({status})")


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        if current == "awaiting_approval" and target == "cancelled":
            # Not out yet, so nobody is told of a cancelling: it is taken back instead.
            raise Conflict("an activity awaiting approval is not out yet, so it is not "
                           "cancelled: take it back to a draft", status=current,
                           code="awaiting_approval")
        raise Conflict(f"{status_phrase(current)} cannot be {_MADE.get(target, target)}",
                       status=current)


def check_moment(value: Any, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise Invalid("must be a date and time", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid("times must carry a time zone offset", field=field)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Invalid(f"the year must be between {MIN_YEAR} and {MAX_YEAR}", field=field)
    return value


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    check_moment(starts_at, "starts_at")
    check_moment(ends_at, "ends_at")
    if ends_at.astimezone(UTC) <= starts_at.astimezone(UTC):  # as moments, not clock faces
        raise Invalid("the activity must end after it starts", field="ends_at")


def times_broken(found: list[Invalid], starts_at: Any, ends_at: Any,
                 unread: Collection[str | None] = ()) -> bool:
    """`check_times`, kept in `found`; whether a rule built on the two (the length) may not
    be checked. A time a form could not read (`unread`: the gap the clocks skip, a word for
    a time) is refused by the form, and whatever stands in for it (the stored time, nothing)
    is no time the person gave: no rule comparing the two is said (a tester was told the end
    must be after the start, or that such an activity lasts at most 14 days, of a start the
    form had not read), only the other time's own rules."""
    skipped = {"starts_at", "ends_at"} & set(unread)
    if not skipped:
        return _broken(found, check_times, starts_at, ends_at)
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if field not in skipped:
            _broken(found, check_moment, value, field)
    return True


def check_new_time(now: datetime, was: tuple[datetime, datetime],
                   starts_at: datetime, ends_at: datetime | None) -> None:
    """A person's new time for an activity: one still to come (residents were told of a
    coming one, and a time already gone is told to nobody) and not the one it has."""
    if starts_at < now:
        raise Invalid("the new time cannot start in the past", field="starts_at")
    if (starts_at, ends_at) == was:
        raise Invalid("that is the activity's time already", field="starts_at")


def new_time_refusals(now: datetime | None, was: tuple[datetime, datetime],
                      starts_at: datetime, ends_at: datetime, kind: str,
                      limits: Limits = DEFAULT_LIMITS, *,
                      unread: Iterable[str | None] = ()) -> list[Invalid]:
    """Every rule a new time breaks, at once (empty: none): each time's own, the end after
    the start, the kind's length, and, with `now` (a person's new time, not a booking moved
    by the booking service's judgement), `check_new_time`'s. A time named in `unread` (one a
    form could not read, refused by it) is not checked, nor any rule that needs it; a rule
    that builds on another (the length on sane times) is checked only when that holds."""
    found: list[Invalid] = []
    skipped = set(unread)
    start_ok = "starts_at" not in skipped and not _broken(found, check_moment, starts_at,
                                                          "starts_at")
    end_ok = "ends_at" not in skipped and not _broken(found, check_moment, ends_at, "ends_at")
    if start_ok and end_ok and not _broken(found, check_times, starts_at, ends_at):
        _broken(found, check_length, starts_at, ends_at, kind, limits)
    if now is not None and start_ok:
        # Without a readable end, only the start's rule (the same time needs both).
        _broken(found, check_new_time, now, was, starts_at,
                ends_at if end_ok else None)
    return found


def check_period(start: datetime | None, end: datetime | None) -> None:
    """A search period: `end` after `start` when both are given."""
    if start is not None and end is not None and end <= start:
        raise Invalid("`end` must be after `start`", field="end")


def check_calendar_choices(filters: Mapping[str, Any], areas: Iterable[str],
                           vocabulary: Iterable[Mapping[str, Any]]) -> None:
    """The calendar's choices name known areas and terms: an address with an area or a term
    no one knows (a typo, an old link) would list nothing under a form showing "all", as if
    the city had no activities."""
    if filters.get("area") and filters["area"] not in set(areas):
        raise Invalid("no such area", field="area")
    check_term_choices(filters, vocabulary)


#: The calendar's own query (beside `lang`), in the order its links write it: what the pages
#: it leads to (an event's page, the annual calendar) carry back to it.
CALENDAR_QUERY = ("view", "date", "area", "kind", "topic", "audience", "language",
                  "accessible", "free", "q")
#: The longest search the calendar reads (as `schemas.SearchText`).
SEARCH_MAX = 200


def calendar_return(query: Mapping[str, str], vocabulary: Iterable[Mapping[str, Any]],
                    ) -> dict[str, str]:
    """The calendar's choices a page keeps for the way back to it, from the page's query:
    only the calendar's own parameters, each only with a value the calendar takes (a view,
    a day, one of Kuopio's areas, a term of the vocabulary, a language it is written in,
    `true`, a search it reads). Anything else is dropped, not refused: an odd value in an
    event's address neither hides the event nor goes into its links (a link elsewhere
    could not be made of it either: the way back is always `/calendar?` and this query)."""
    codes: dict[str, set[str]] = {}
    for term in vocabulary:
        codes.setdefault(str(term["scheme"]), set()).add(str(term["code"]))
    kept: dict[str, str] = {}
    for key in CALENDAR_QUERY:
        value = query.get(key)
        if isinstance(value, str) and value and _calendar_value(key, value, codes):
            kept[key] = value
    return kept


def _calendar_value(key: str, value: str, codes: Mapping[str, set[str]]) -> bool:
    if key == "view":
        return value in ("list", "day", "week")
    if key == "date":
        try:
            day = datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            return False
        return MIN_YEAR <= day.year <= MAX_YEAR and day.isoformat() == value
    if key == "area":
        return value in AREAS
    if key in SCHEMES:
        return value in codes.get(key, set())
    if key == "language":
        return value in ("fi", "sv", "en")
    if key in ("accessible", "free"):
        return value == "true"
    # The search: text the calendar reads (no control character, nothing not UTF-8).
    return (len(value) <= SEARCH_MAX and bool(value.strip()) and "\ufffd" not in value
            and plain_text(value, lines=False))


def check_term_choices(filters: Mapping[str, Any],
                       vocabulary: Iterable[Mapping[str, Any]]) -> None:
    """A list's `kind`, `topic` and `audience` filters name terms of the vocabulary (retired
    ones too: old links keep working), and its `area` one of Kuopio's: `?audience=true`
    would list nothing, as if no activity were for anyone. The refusal lists the codes the
    filter knows."""
    if isinstance(filters.get("area"), str):
        for refused in area_refusals([filters["area"]], "area"):
            raise refused
    codes: dict[str, set[str]] = {}
    for term in vocabulary:
        codes.setdefault(str(term["scheme"]), set()).add(str(term["code"]))
    for scheme in SCHEMES:
        chosen = filters.get(scheme)
        known = codes.get(scheme, set())
        for code in [chosen] if isinstance(chosen, str) else chosen or ():
            if code not in known:
                raise Invalid(f"no such {scheme}: see GET /vocabulary for its codes",
                              field=scheme, code=f"unknown_{scheme}", value=code[:60],
                              known=sorted(known))


def offered_terms(vocabulary: Iterable[Mapping[str, Any]],
                  chosen: Iterable[tuple[str, str]] = ()) -> list[Mapping[str, Any]]:
    """The terms a new choice may take: none retired, unless already `chosen` (scheme and
    code: an activity's own term, an old link's filter), which stays shown as chosen rather
    than vanishing from its form."""
    keep = set(chosen)
    return [t for t in vocabulary if not t.get("retired") or (t["scheme"], t["code"]) in keep]


def chosen_terms(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The terms (scheme, code) an activity or a filter has: its `kind`, and its `topics`
    and `audiences` (an activity's) or `topic` and `audience` (a filter's)."""
    found: list[tuple[str, str]] = []
    for scheme in SCHEMES:
        for name in (scheme, f"{scheme}s"):
            value = values.get(name)
            found += [(scheme, str(c)) for c in
                      ([value] if isinstance(value, str) else value or ())]
    return found


#: The place kinds that are where their place name says (a park, a square, a market stall):
#: no venue says where they are, nor a link.
NAMED_PLACES = ("outdoors", "pop_up", "other_place")


def check_place(place_kind: str, venue_id: UUID | None, online_url: str | None,
                place_name: Mapping[str, Any] | None = None) -> None:
    """Residents can find where it is: a venue at one, a link online, a place name (in
    Finnish at least, as every text of an activity) outdoors, at a pop-up or elsewhere; only
    the area said there, a tester's activity was published with no "where" at all."""
    if place_kind in ("venue", "hybrid") and venue_id is None:
        raise Invalid(f"a {place_kind} activity needs its venue", field="venue_id")
    if place_kind in ("online", "hybrid") and not online_url:
        raise Invalid(f"an {place_kind} activity needs its online link", field="online_url")
    if place_kind in NAMED_PLACES and not (
            isinstance(place_name, Mapping) and isinstance(place_name.get("fi"), str)
            and place_name["fi"].strip()):
        raise Invalid("an activity outdoors, at a pop-up or elsewhere needs its place name",
                      field="place_name.fi", code="place_name_needed")


#: The place kinds of an activity at its venue (and its space): the ones that keep a venue.
VENUE_PLACES = ("venue", "hybrid")
#: What an activity has of its venue alone, which leaves with the venue. The area stays: it
#: was the venue's, and is where the activity still is (the shore by the library), so area
#: boards, filters and indicators keep finding it.
VENUE_FIELDS = ("venue_id", "space_id")


def place_kinds_offered(event: Mapping[str, Any]) -> tuple[str, ...]:
    """The place kinds an activity's form offers: those `check_place` can take. At its venue
    (a booking's) or in it and online only with the venue it has; without one (made on the
    pages or through the API, or moved away from it) they are always refused, so they are
    not offered, but the one it has stays shown (a choice dropped would be saved as another
    without a word)."""
    if event.get("venue_id") is not None:
        return PLACE_KINDS
    return tuple(k for k in PLACE_KINDS
                 if k not in VENUE_PLACES or k == event.get("place_kind"))


def place_changes(event: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` of the stored `event` with what a move away from its venue leaves behind:
    a new place kind that is no venue's (outdoors, a pop-up, online, another place) clears
    the venue and its space, else the venue's staff pages list it under the venue, its desk
    edits it and the channels are told a venue it is not at. Other changes as they are."""
    kind = changes.get("place_kind")
    if kind is None or kind in VENUE_PLACES:
        return dict(changes)
    return {**changes, **{f: None for f in VENUE_FIELDS
                          if changes.get(f) is not None or event.get(f) is not None}}


def publishable_refusals(event: Mapping[str, Any], *, unread: Collection[str | None] = ()
                         ) -> list[Invalid]:
    """Every rule a publishable activity breaks: residents must be able to read what, when
    and where (a Finnish name, sane times and a place: `check_place`). A time in `unread`
    (`times_broken`) is not compared with the other."""
    found: list[Invalid] = []
    if not (event["name"].get("fi") or "").strip():
        found.append(Invalid("a Finnish name is needed before publishing", field="name.fi"))
    times_broken(found, event.get("starts_at"), event.get("ends_at"), unread)
    _broken(found, check_place, event["place_kind"], event["venue_id"], event["online_url"],
            event.get("place_name"))
    return found


def edit_refusals(row: Mapping[str, Any], changes: Mapping[str, Any],
                  limits: Limits = DEFAULT_LIMITS, *, as_published: bool = False,
                  unread: Collection[str | None] = ()) -> list[Invalid]:
    """Every rule the stored activity `row` with `changes` breaks: its values' and, once it
    is out (not a draft) or to be published (`as_published`), publishing's too; one field
    refused once. A time a form could not read (`unread`: its stored one stands in) is not
    compared with the other (`times_broken`)."""
    merged = {**row, **changes}
    found = event_refusals(merged, limits, kept_area=row.get("area"), unread=unread, kept=row)
    if as_published or row.get("status", "draft") != "draft":
        fields = {e.field for e in found}
        found += [e for e in publishable_refusals(merged, unread=unread)
                  if e.field not in fields]
    return found


def check_publishable(event: Mapping[str, Any]) -> None:
    """`publishable_refusals`, every one refused together."""
    refuse(publishable_refusals(event))


def same_value(old: Any, new: Any) -> bool:
    """Whether a new value leaves the stored one as it is: a text's empty languages and the
    order of codes make no change (a published activity's channels would hear of one)."""
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return sorted(old) == sorted(new)
    if isinstance(old, Mapping) or isinstance(new, Mapping):
        if not isinstance(old, Mapping | None) or not isinstance(new, Mapping | None):
            return False
        return {k: v for k, v in (old or {}).items() if v} == \
            {k: v for k, v in (new or {}).items() if v}
    return bool(old == new)


def real_changes(event: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The part of `changes` that changes the stored `event`: an edit or a re-import giving
    the same values again is no new revision."""
    return {k: v for k, v in changes.items() if k not in event or not same_value(event[k], v)}


def check_vocabulary(scheme: str, codes: Iterable[str], known: set[str]) -> None:
    """Every code a term of `scheme` the activity may take (`known`); else `unknown_kind`
    (`_topic`, `_audience`) with the codes it may, as a board's and a channel's kinds are
    refused."""
    unknown = sorted(set(codes) - known)
    if unknown:
        raise Invalid(f"unknown {scheme}: {', '.join(u[:60] for u in unknown)}",
                      field=f"{scheme}s" if scheme != "kind" else "kind",
                      code=f"unknown_{scheme}", value=unknown[0][:60], known=sorted(known))


#: The vocabulary's schemes: what an activity's `kind`, `topics` and `audiences` are of.
SCHEMES = ("kind", "topic", "audience")


def term_label_refusals(scheme: str, code: str, label: Mapping[str, Any]) -> list[Invalid]:
    """Each language of a term's label (`label.fi` always, sv and en where given) that is
    no readable text (`unreadable_label`: it would be a blank choice on every form and
    filter), or has a control or text-direction character (`text_chars`, as a booking's
    title: an escape sequence or a reversed run in every list of choices)."""
    found: list[Invalid] = []
    for lang in LANGUAGES:
        text = label.get(lang)
        if lang != "fi" and text is None:
            continue
        if not (isinstance(text, str) and readable(text)):
            found.append(Invalid(f"the {scheme} {code!r} needs a readable label in {lang}",
                                 field=f"label.{lang}", code="unreadable_label", term=code,
                                 language=lang))
        elif not plain_text(text, lines=False) or any(
                unicodedata.category(c) == "Co" for c in text):
            # A private-use character, too, as a lendable's name: it shows as nothing or
            # as some font's own glyph in every list of choices.
            # Its words ("valid Unicode") are those the pages say as characters that
            # cannot be saved.
            found.append(Invalid(f"label.{lang} has a control or text-direction character: "
                                 "type it again as plain, valid Unicode text",
                                 field=f"label.{lang}", code="text_chars", term=code,
                                 language=lang))
    return found


def term_label(label: Mapping[str, Any]) -> dict[str, str]:
    """A term's words as kept and told: Finnish, and Swedish and English where given."""
    return {lang: label[lang] for lang in LANGUAGES if label.get(lang) is not None}


def term_revision(kept: Mapping[str, Any] | None, label: Mapping[str, Any]) -> int | None:
    """The revision new words make of a term (`kept`: its label and revision, None for a new
    code): 1 for a new code, the next one for other words, None for the words it has
    (nothing changes and nobody is told)."""
    if kept is None:
        return 1
    if term_label(kept["label"]) == term_label(label):
        return None
    return int(kept["revision"]) + 1


def retirement_revision(kept: Mapping[str, Any] | None, retired: bool) -> int | None:
    """The revision retiring (`retired`) or restoring a kept term makes of it: the next one,
    or None when it already is so (nothing changes and nobody is told). An unknown term is
    no term to retire."""
    if kept is None:
        raise NotFound("no such term in the vocabulary")
    if bool(kept.get("retired")) == retired:
        return None
    return int(kept["revision"]) + 1


def term_set(term: Mapping[str, Any]) -> VocabularyTermSet:
    """What other services are told of a term (its `scheme`, `code`, `label`, `revision`,
    whether it is `retired`)."""
    return VocabularyTermSet(scheme=term["scheme"], code=term["code"],
                             label=LocalizedText(**term_label(term["label"])),
                             revision=term["revision"], retired=bool(term.get("retired")))


# --- one event's values ------------------------------------------------------------------


def check_str(value: Any, field: str, *, max_length: int, min_length: int = 0) -> str:
    if not isinstance(value, str):
        raise Invalid("must be text", field=field, code="string_type")
    text: str = value
    try:
        check_text(value)
    except ValueError as exc:
        raise Invalid(str(exc), field=field, code="string_unicode") from None
    if len(value) > max_length:
        raise Invalid(f"at most {max_length} characters", field=field,
                      code="string_too_long", max_length=max_length)
    if len(value.strip()) < min_length:
        raise Invalid("must not be empty", field=field, code="string_too_short")
    return text


def check_localized(value: Any, field: str) -> None:
    """A text in fi (required), sv and en, each a bounded text."""
    if not isinstance(value, Mapping):
        raise Invalid("must be an object with fi, sv and en texts", field=field)
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise Invalid(f"unknown languages: {', '.join(map(str, unknown))}", field=field)
    # A text without its Finnish (a booking's draft named in the title's Swedish or English)
    # lacks it as an empty one does: said so, not as a value of the wrong kind.
    finnish = value.get("fi")
    check_str("" if finnish is None else finnish, f"{field}.fi", max_length=TEXT_MAX,
              min_length=1)
    for lang in ("sv", "en"):
        if value.get(lang) is not None:
            check_str(value[lang], f"{field}.{lang}", max_length=TEXT_MAX)
    if field == "name":
        # A blank line in the calendar, on every board and in every post otherwise.
        for refused in name_refusals(value):
            raise refused


def check_url(value: Any, field: str) -> str:
    """An http(s) address a browser may follow: no javascript:, data: or file: links."""
    url = check_str(value, field, max_length=STORED_URL_MAX, min_length=1)
    match = re.match(r"^https?://([^/?#\s]+)[^\s]*$", url, re.IGNORECASE)
    if match is None or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise Invalid("must be an http or https address", field=field)
    host = match.group(1).rsplit("@", 1)[-1]
    if not host or host.startswith(":"):
        raise Invalid("must be an http or https address with a host", field=field)
    try:  # as every reader will read it: "https://[x/" or a port of 99999 is no address
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check
    except ValueError:
        raise Invalid("must be an http or https address with a host", field=field) from None
    if not parts.hostname:
        raise Invalid("must be an http or https address with a host", field=field)
    return url


def _check_int(value: Any, field: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("must be a whole number", field=field, code="int_type")
    if not low <= value <= high:
        raise Invalid(f"must be between {low} and {high}", field=field,
                      code="greater_than_equal", ge=low, le=high)


def _check_codes(value: Any, field: str, allowed: Iterable[str] | None = None) -> None:
    if not isinstance(value, list | tuple):
        raise Invalid("must be a list", field=field)
    if len(value) > CODES_MAX:
        raise Invalid(f"at most {CODES_MAX} items", field=field)
    for i, code in enumerate(value):
        check_str(code, f"{field}.{i}", max_length=CODE_MAX, min_length=1)
        if not CODE.fullmatch(code) or (allowed is not None and code not in allowed):
            raise Invalid(f"not a valid code: {code!r}", field=f"{field}.{i}")
        if code in value[:i]:
            # Each once, as a board's lists: a topic twice would be counted and shown twice.
            raise Invalid(f"each value once: {code!r} is repeated", field=f"{field}.{i}",
                          code="repeated", value=code)


def check_price(value: Any, field: str = "price") -> None:
    if not isinstance(value, Decimal | int | float) or isinstance(value, bool):
        raise Invalid("must be a number", field=field, code="decimal_type")
    number = Decimal(value) if not isinstance(value, float) else Decimal(str(value))
    if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise Invalid("must be a finite number", field=field)
    if not Decimal(0) <= number <= PRICE_MAX:
        raise Invalid(f"must be between 0 and {PRICE_MAX}", field=field,
                      code="greater_than_equal", ge=0, le=PRICE_MAX)


def _broken(found: list[Invalid], check: Callable[..., Any], *args: Any) -> bool:
    """Run one check, keeping its refusal in `found` so the others run too; whether it was
    refused (a rule that builds on it is then not checked: it would say the same again)."""
    try:
        check(*args)
    except Invalid as exc:
        found.append(exc)
        return True
    return False


def _check_kind(value: Any) -> None:
    kind = check_str(value, "kind", max_length=CODE_MAX, min_length=1)
    if not CODE.fullmatch(kind):
        raise Invalid("not a valid code", field="kind")


def _check_place_kind(value: Any) -> None:
    if value not in PLACE_KINDS:
        raise Invalid(f"must be one of {', '.join(PLACE_KINDS)}", field="place_kind",
                      code="literal_error",
                      expected=expected(PLACE_KINDS))


def _check_languages(languages: Any) -> None:
    _check_codes(languages, "languages", LANGUAGES)
    if not languages:
        raise Invalid("at least one language", field="languages")


def _check_ages(low: Any, high: Any) -> None:
    if low is not None and high is not None and low > high:
        raise Invalid("the lowest age must not be above the highest", field="max_age")


def _check_area(value: Any) -> None:
    """One of Kuopio's areas (`shared.areas.AREAS`, the ones notice boards and the figures
    know): an activity in an area of another code would reach no area's board, filter or
    indicator. The refusal lists the known codes."""
    area = check_str(value, "area", max_length=AREA_MAX, min_length=1)
    for refused in area_refusals([area], "area"):
        raise refused


def known_area(code: str | None) -> str | None:
    """A venue's area as its activities': one of Kuopio's areas, else none. A venue kept
    with a code the city does not name (before venues' areas were checked) leaves its
    activities in no area rather than refused for an area their organiser never chose."""
    return code if code in AREAS else None


def _check_flag(value: Any, field: str) -> None:
    if not isinstance(value, bool):
        raise Invalid("must be true or false", field=field, code="bool_type")


def event_refusals(event: Mapping[str, Any], limits: Limits = DEFAULT_LIMITS, *,
                   kept_area: str | None = None,
                   unread: Collection[str | None] = (),
                   kept: Mapping[str, Any] | None = None) -> list[Invalid]:
    """Every rule an activity event's values break, as it is to be stored (empty: none),
    each naming its field, so a person hears them all at once rather than one per try.
    `event` holds the event's full details (a change merged into the stored ones). A rule
    that builds on another (the length on sane times and kind, the ages' order on each age)
    is checked only when those hold. The area is one of Kuopio's, unless it is the one the
    stored activity has (`kept_area`, kept before areas were checked: no edit or publishing
    of the activity is its fault, and no form or PATCH changes an area). A time a form could
    not read (`unread`) is not compared with the other (`times_broken`). A text with a
    control character is refused unless it is the stored one (`kept`: `text_chars_refusals`).
    """
    found: list[Invalid] = []
    for field in _LOCALIZED:
        if field == "name" or event.get(field) is not None:
            _broken(found, check_localized, event.get(field), field)
    said = {e.field for e in found}
    found += [e for e in text_chars_refusals(event, kept)
              if e.field not in said and (e.field or "").split(".")[0] not in said]
    times_bad = times_broken(found, event.get("starts_at"), event.get("ends_at"), unread)
    kind_bad = _broken(found, _check_kind, event.get("kind"))
    if not times_bad and not kind_bad:
        _broken(found, check_length, event["starts_at"], event["ends_at"], event["kind"],
                limits)
    _broken(found, _check_place_kind, event.get("place_kind"))
    for field in ("online_url", "image_url"):
        if event.get(field) is not None:
            _broken(found, check_url, event[field], field)
    _broken(found, _check_codes, event.get("topics", []), "topics")
    _broken(found, _check_codes, event.get("audiences", []), "audiences")
    _broken(found, _check_languages, event.get("languages", ["fi"]))
    ages_bad = False
    for field in ("min_age", "max_age"):
        if event.get(field) is not None:
            ages_bad = _broken(found, _check_int, event[field], field, 0, AGE_MAX) or ages_bad
    if not ages_bad:
        _broken(found, _check_ages, event.get("min_age"), event.get("max_age"))
    if event.get("price") is not None:
        _broken(found, check_price, event["price"])
    if event.get("capacity") is not None:
        _broken(found, _check_int, event["capacity"], "capacity", 1, CAPACITY_MAX)
    for field in ("organiser_name", "library_contact"):
        if event.get(field) is not None:
            _broken(found, lambda value, name: check_str(value, name, max_length=NAME_MAX),
                    event[field], field)
    if event.get("area") is not None and event["area"] != kept_area:
        _broken(found, _check_area, event["area"])
    for field in ("all_day", "free", "registration_required"):
        _broken(found, _check_flag, event.get(field, False), field)
    return found


def text_chars_refusals(event: Mapping[str, Any], kept: Mapping[str, Any] | None = None
                        ) -> list[Invalid]:
    """Each text of the activity (each language of a localized one) with a control or
    text-direction character (`plain_text`: a BEL, an escape, a NUL, U+202E), refused as a
    booking's title is (`text_chars`): it would go as typed into the calendar, the boards and
    the posts sent to social media. A text as it is stored (`kept`, written before the rule)
    stands, so an old activity is still edited and shown; only a new or changed text is
    refused."""
    found: list[Invalid] = []
    for field in (*_LOCALIZED, "organiser_name", "library_contact"):
        value = event.get(field)
        was = (kept or {}).get(field)
        texts = value.items() if isinstance(value, Mapping) else [("", value)]
        for lang, text in texts:
            old = was.get(lang) if lang and isinstance(was, Mapping) else was
            if isinstance(text, str) and text != old \
                    and not plain_text(text, lines=field not in ONE_LINE):
                name = f"{field}.{lang}" if lang else field
                found.append(Invalid(f"{name} has a control or text-direction character",
                                     field=name, code="text_chars"))
    return found


def check_event(event: Mapping[str, Any], limits: Limits = DEFAULT_LIMITS, *,
                kept_area: str | None = None) -> None:
    """Every value of an activity event as it is to be stored: the rules a created event
    meets, whichever way it came in (`event_refusals`). Raises `Refusals` naming every
    field that breaks one, the first one first."""
    refuse(event_refusals(event, limits, kept_area=kept_area))


def check_reason(reason: str | None) -> None:
    if reason is not None:
        check_str(reason, "reason", max_length=REASON_MAX, min_length=1)
        if not plain_text(reason):  # told to those taking part and on the boards
            raise Invalid("reason has a control or text-direction character", field="reason",
                          code="text_chars")


def draft_name(title: str | None, language: str = "fi") -> dict[str, str]:
    """The draft's name from a booking's title: its printable text, clipped to a name's
    length, as the name in `language`, the one the title is written in (the booking's
    `title_language`, asked beside the title; Finnish when it is none of ours, as every
    title was before it was asked); without any, a name saying what it is, for the
    organiser to complete. A name in Swedish or English alone waits for its Finnish one,
    which publishing needs and the organiser's form asks for (`booking_draft_refusals`)."""
    text = "".join(c for c in (title or "") if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
    text = " ".join(text.split())[:TEXT_MAX].strip()
    return {language if language in LANGUAGES else "fi": text} if text else dict(DRAFT_NAME)


def booking_draft_refusals(event: Mapping[str, Any], limits: Limits = DEFAULT_LIMITS
                           ) -> list[Invalid]:
    """`event_refusals` of a booking's new draft, whose name may be in the title's Swedish
    or English alone (`draft_name`): the missing Finnish name is not refused until the draft
    is edited or published, when its organiser writes it, as for any draft."""
    other_only = not (event["name"].get("fi") or "").strip() and any(
        (event["name"].get(lang) or "").strip() for lang in LANGUAGES)
    return [e for e in event_refusals(event, limits)
            if not (other_only and e.field == "name.fi")]


def check_attendance(status: str, starts_at: datetime, now: datetime) -> None:
    """Attendance is reported for an activity that took place: once it has started."""
    if status not in ("published", "rescheduled"):
        raise Conflict("attendance is reported for activity that took place, not a"
                       f" {status.replace('_', ' ')} one")
    if starts_at > now:
        raise Conflict("attendance can be reported once the activity has started")


def attendance_plausible(participants: int, visitors: int, capacity: int | None,
                         limits: Limits = DEFAULT_LIMITS) -> bool:
    """Whether a report can count at once: each figure at most the space's capacity times
    the multiple (a ceiling without a known capacity). Larger ones wait for staff."""
    bound = capacity * limits.attendance_multiple if capacity else limits.attendance_ceiling
    return max(participants, visitors) <= bound


def space_capacity(venue: Mapping[str, Any] | None, space_id: UUID | None) -> int | None:
    """The capacity of the event's space from the venue read model, if known."""
    if venue is None or space_id is None:
        return None
    for space in venue.get("spaces") or []:
        if str(space.get("space_id")) == str(space_id):
            capacity = space.get("capacity")
            return int(capacity) if isinstance(capacity, int) and capacity > 0 else None
    return None


# --- publication rights --------------------------------------------------------------------

#: Where an activity is not at a venue: its area's communications staff decide.
AREA_PLACES = ("outdoors", "pop_up", "online", "other_place")


def may_approve(principal: Principal, event: Mapping[str, Any]) -> bool:
    """The venue's desk or communications staff for an activity at a venue; communications
    staff (of all venues, or of the venue) for the others; admins for all."""
    if principal.is_public:
        return False
    if "admin" in principal.roles:
        return True
    venue_id = event.get("venue_id")
    at_venue = event.get("place_kind") not in AREA_PLACES and venue_id is not None
    if "communications" in principal.roles and (not principal.venues or (
            venue_id is not None and venue_id in principal.venues)):
        return True
    return at_venue and venue_id is not None and principal.is_desk_for(venue_id)


def booking_covers(event: Mapping[str, Any], booking: Mapping[str, Any] | None) -> bool:
    """A confirmed booking of the event's venue for the whole of the event's time."""
    return (booking is not None and booking["status"] == "confirmed"
            and event.get("place_kind") in ("venue", "hybrid")
            and booking["venue_id"] == event.get("venue_id")
            and booking["starts_at"] <= event["starts_at"]
            and event["ends_at"] <= booking["ends_at"])


def goes_out_at_once(principal: Principal, event: Mapping[str, Any],
                     booking: Mapping[str, Any] | None) -> bool:
    """Publication rights: an activity reaches the city's channels at once when it has a
    confirmed booking where it happens, or whoever publishes may approve it; any other
    waits in the approval queue."""
    return booking_covers(event, booking) or may_approve(principal, event)


#: The longest address an event on the bus carries (an SMTP path's limit).
EMAIL_MAX = 254
Decision = Literal["approved", "refused"]


def approval_contact(principal: Principal, event: Mapping[str, Any], language: str,
                     booked: Mapping[str, Any] | None = None) -> tuple[str, str] | None:
    """Where to tell an activity's organiser what staff decided about it, kept when it enters
    the approval queue: the address the identity provider verified for whoever sent it
    there, when that is its owner, and the language they read (Finnish unless fi, sv or en).
    Staff sending someone else's activity to the queue, or an address the provider does not
    vouch for, give nothing of their own: then the address the booking service verified for
    a booking's draft (`booked`, kept with it by `booking_contact`), in its language."""
    email = principal.verified_email
    owner = event.get("owner_subject")
    if email is None or owner is None or principal.subject != owner or len(email) > EMAIL_MAX:
        return (booked["email"], booked["language"]) if booked is not None else None
    return email, language if language in LANGUAGES else "fi"


def booking_contact(email: str | None, language: str) -> tuple[str, str] | None:
    """What is kept with a booking's draft of the booking's `contact_email` (an address the
    booking service verified; booking events carry no other) and `contact_language`: the
    address trimmed, in lower case, and the language (Finnish unless fi, sv or en), for
    `approval_contact`; nothing without an address, or with more than an address holds."""
    address = (email or "").strip().lower()
    if not address or len(address) > EMAIL_MAX:
        return None
    return address, language if language in LANGUAGES else "fi"


def approval_decision(event: Mapping[str, Any], decision_id: UUID, decision: Decision,
                      decided_at: datetime, contact: Mapping[str, Any] | None,
                      reason: str | None = None) -> ActivityEventApprovalDecided:
    """What notifications hears of a decision on a queued activity (to tell its organiser),
    with the kept address, if any."""
    return ActivityEventApprovalDecided(
        event_id=event["id"], decision_id=decision_id, name=LocalizedText(**event["name"]),
        starts_at=event["starts_at"], ends_at=event["ends_at"],
        all_day=bool(event.get("all_day")), decision=decision,
        reason=reason, decided_at=decided_at,
        contact_email=contact["email"] if contact else None,
        contact_language=contact["language"] if contact else "fi")


def draft_kind(cooperation: bool) -> str:
    """A booking run with the library becomes guided open activity; a rental, 'other'."""
    return "open_guided" if cooperation else "other"


def draft_id(booking_id: UUID) -> UUID:
    """A booking's draft has an id derived from the booking: one draft per booking."""
    return uuid5(NAMESPACE_URL, f"urn:kohtaamo:booking:{booking_id}")


# --- who may do what -----------------------------------------------------------------------



EDITORS = ("organiser", "desk", "communications")


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


def check_editable(principal: Principal, event: Mapping[str, Any]) -> None:
    """Whether `principal` may change the event: one they cannot even see (someone else's
    draft) is not found, as reading it is, so a refusal tells nothing of its existence."""
    require(principal, *EDITORS)
    if not may_edit(principal, event["owner_subject"], event["venue_id"]):
        if event["status"] not in PUBLIC_STATUSES:
            raise NotFound("no such activity event", event_id=str(event.get("id", "")))
        raise Forbidden("you may edit only your own events or those of your venues")


def visible(principal: Principal, event: Mapping[str, Any]) -> bool:
    return event["status"] in PUBLIC_STATUSES or may_edit(
        principal, event["owner_subject"], event["venue_id"])


def visibility(principal: Principal) -> dict[str, Any]:
    """Which events a search shows `principal`: the public ones, and the drafts they may
    edit (the same rule as `may_edit`)."""
    return {
        "statuses": PUBLIC_STATUSES,
        "subject": principal.subject,
        "all": "admin" in principal.roles or (
            "communications" in principal.roles and not principal.venues),
        "venues": sorted(principal.venues) if principal.roles & {"desk", "communications"}
        else [],
    }


PUBLIC_VISIBILITY: dict[str, Any] = {"statuses": PUBLIC_STATUSES, "subject": None,
                                     "all": False, "venues": []}


def actor(principal: Principal) -> str:
    return f"{'+'.join(sorted(principal.roles)) or 'public'}:{principal.subject}"


# --- what other services are told ----------------------------------------------------------


def safe_url(value: Any) -> str | None:
    """A stored address fit to link to (http or https), or None."""
    try:
        return check_url(value, "url") if value is not None else None
    except Invalid:
        return None


def localized(value: Any) -> LocalizedText | None:
    return LocalizedText(**value) if value else None


def organiser_ref(event: Mapping[str, Any]) -> UUID | None:
    """The organiser as metrics counts them: a pseudonym of the signed-in person who owns the
    activity, whether they created it or it is the draft of their booking (the booking
    service's own id for them is another, so one person was two organisers); for a desk's
    walk-in booking, with no one signed in, the booking's pseudonymous organiser id."""
    if event["owner_subject"]:
        return uuid5(NAMESPACE_URL, f"urn:kohtaamo:organiser:{event['owner_subject']}")
    if event["organiser_id"] is not None:
        return UUID(str(event["organiser_id"]))
    return None


def facts(cls: type[Any], event: Mapping[str, Any], **extra: Any) -> Any:
    """The event residents are told about (`event.*`), from the stored row."""
    return cls(
        event_id=event["id"], revision=event["revision"], name=LocalizedText(**event["name"]),
        starts_at=event["starts_at"], ends_at=event["ends_at"], kind=event["kind"],
        venue_id=event["venue_id"], space_id=event["space_id"], area=event["area"],
        booking_id=event["booking_id"], free=event["free"],
        price=None if event["free"] else event.get("price"), topics=list(event["topics"]),
        audiences=list(event["audiences"]), languages=list(event["languages"]),
        place_kind=event["place_kind"], series_id=event["series_id"],
        organiser_id=organiser_ref(event),
        short_description=localized(event["short_description"]),
        registration_required=event["registration_required"],
        place_name=localized(event["place_name"]), online_url=event["online_url"],
        image_url=event["image_url"], image_alt=localized(event["image_alt"]),
        capacity=event.get("capacity"), organiser_subject=event.get("owner_subject"),
        new_organiser=bool(event.get("new_organiser")), all_day=bool(event.get("all_day")),
        **extra,
    )


# --- what the city's channels will say of it (the organiser's preview) ----------------------


def draft_text(value: Any, *, named: bool = False) -> LocalizedText | None:
    """A stored fi/sv/en text as the channels would get it, without the checks publishing
    makes: a draft may not have its Finnish yet (the posts then show it empty). Its name
    (`named`) is never empty: a booking's draft named in the title's Swedish or English
    alone previews by that name where it has no Finnish, as a page falls back to it
    (`shared.l10n.text_in`), until the organiser writes the Finnish one publishing needs."""
    if not isinstance(value, Mapping):
        return None
    given = {lang: v for lang in LANGUAGES
             if isinstance(v := value.get(lang), str) and v.strip()}
    if not given:
        return None
    finnish = given.get("fi") or (text_in(given, "fi") if named else "")
    return LocalizedText.model_construct(fi=finnish, sv=given.get("sv"), en=given.get("en"))


def space_name(venue: Mapping[str, Any], space_id: Any) -> Any:
    """The name (by language) of the venue's space `space_id`, as venue.registered told it;
    None for no space or one it did not name."""
    if space_id is None:
        return None
    return next((s.get("name") for s in venue.get("spaces") or []
                 if str(s.get("space_id")) == str(space_id)), None)


def channel_place(event: Mapping[str, Any], venue: Mapping[str, Any] | None
                  ) -> LocalizedText | None:
    """Where the channels say it is: at a known venue its name and space ("Jynkän
    kirjasto, Satusali", as the notifications service names them from venue.registered), else
    the event's own place name (a park, a square)."""
    if event.get("venue_id") is not None and venue is not None and text_in(
            venue.get("name"), "fi") and (at_venue(event.get("place_kind"))
                                          or draft_text(event.get("place_name")) is None):
        space = space_name(venue, event.get("space_id"))
        return LocalizedText.model_construct(
            fi=venue_place(venue["name"], space, "fi"), sv=venue_place(venue["name"], space, "sv"),
            en=venue_place(venue["name"], space, "en"))
    return draft_text(event.get("place_name"))


def channel_view(event: Mapping[str, Any], venue: Mapping[str, Any] | None,
                 events_url: str, sign_ups_url: str | None = None) -> ActivityView:
    """The activity as a post renders it (`shared.announcements.render_post`), from the
    stored row: the same facts its `event.published` gives the notifications service, and
    (`sign_ups_url`: the notifications service's address) the sign-up link it adds."""
    return ActivityView(
        name=draft_text(event["name"], named=True) or LocalizedText.model_construct(fi=""),
        starts_at=event["starts_at"], ends_at=event["ends_at"],
        place=channel_place(event, venue),
        short_description=draft_text(event.get("short_description")),
        free=bool(event["free"]), registration_required=bool(event["registration_required"]),
        price=None if event["free"] else event.get("price"),
        online=event["place_kind"] in ("online", "hybrid"),
        image_url=safe_url(event.get("image_url")), image_alt=draft_text(event.get("image_alt")),
        page_url=event_page_url(events_url, event["id"]), all_day=bool(event.get("all_day")),
        sign_up_url=(sign_up_page_url(sign_ups_url, event["id"])
                     if sign_ups_url and event["registration_required"] else None))


@dataclass(frozen=True)
class Places:
    """How many can take part (`total`, None: no limit said) and, where residents sign up,
    how many places are still free (`free`, None: no sign-up or no limit)."""

    total: int | None
    free: int | None = None


def places(event: Mapping[str, Any], counts: Mapping[str, Any] | None) -> Places:
    """The activity's places as residents read them: the sign-up's (`counts`, the newest
    `registration.counts` heard: its settings may have changed them) when there are any, else
    the activity's own `capacity`; the free ones those less the confirmed seats (none
    counted yet: all free) where sign-up is in use, never below none."""
    total = counts["capacity"] if counts is not None else event.get("capacity")
    if total is None or not event.get("registration_required"):
        return Places(total)
    taken = int(counts["confirmed_seats"]) if counts is not None else 0
    return Places(total, max(0, int(total) - taken))


def capacity_refusals(capacity: Any, counts: Mapping[str, Any] | None) -> list[Invalid]:
    """A new capacity no lower than the seats the sign-up has confirmed already (`counts`,
    its newest `registration.counts`; none heard: none confirmed), as the sign-up's own
    settings refuse it (`capacity_below_confirmed`, the count in `confirmed`)."""
    confirmed = int(counts["confirmed_seats"]) if counts is not None else 0
    if isinstance(capacity, int) and not isinstance(capacity, bool) and capacity < confirmed:
        return [Invalid(f"{confirmed} seats are confirmed already: the places cannot be fewer",
                        field="capacity", code="capacity_below_confirmed",
                        confirmed=confirmed)]
    return []


def form_draft_id(subject: str | None, token: UUID) -> UUID:
    """The draft a "New activity" form's one-time token makes: the same for the same
    organiser and form, so a second sending of it (back, and sent again) finds the first
    draft rather than making another; another organiser's token is another draft."""
    return uuid5(NAMESPACE_URL, f"kohtaamo:new-activity:{subject or ''}:{token}")


#: How long a sent "New activity" form is remembered (`new_activity_forms`), and how long
#: a form may be sent at all after it was handed out: a month covers any Back in a browser
#: or a tab left open over a holiday. Past it the row is deleted (`forget_sent_forms`), and
#: a form that old is refused as too old (`form_too_old`) rather than made again, which it
#: would be once its row is gone. One limit for both: a form is handed out before it is
#: sent, so a form whose row is gone is always too old.
SENT_FORM_KEPT = timedelta(days=30)

#: Rows deleted in one transaction by the clean-up, and batches in one pass: short locks,
#: and a backlog (the job off for a while) taken over a few passes.
SENT_FORMS_BATCH = 500
SENT_FORMS_BATCHES_A_PASS = 20


def new_form_token(now: datetime) -> UUID:
    """A "New activity" form's one-time token: a UUID (version 7, RFC 9562) whose first 48
    bits are when it was handed out (ms since the epoch, by the service's clock), so the
    form is known to be too old (`form_too_old`) after its sending is forgotten; the rest
    random, as unguessable as a version 4."""
    millis = int(now.timestamp() * 1000) & ((1 << 48) - 1)
    bits = (millis << 80) | (0x7 << 76) | (secrets.randbits(12) << 64) \
        | (0b10 << 62) | secrets.randbits(62)
    return UUID(int=bits)


def form_handed_out(token: UUID) -> datetime | None:
    """When the form with `token` was handed out (`new_form_token`); None for a token
    without its time (a version 4, from before tokens had it, or one made by hand)."""
    if token.version != 7:
        return None
    return datetime.fromtimestamp((token.int >> 80) / 1000, UTC)


def form_too_old(token: UUID, now: datetime) -> bool:
    """A form handed out more than `SENT_FORM_KEPT` ago, or without its time: its sending
    may be forgotten, so it is not made (the organiser opens a new one). A token without a
    time is from before tokens had one (or made by hand), so it may be that old too."""
    handed_out = form_handed_out(token)
    return handed_out is None or handed_out < now - SENT_FORM_KEPT


def check_deletable(row: Mapping[str, Any]) -> None:
    """Only a draft that was never out is deleted: residents never saw it (a published one
    is cancelled, residents are told). A booking's draft goes with its booking (cancelling
    the booking withdraws it): deleted alone, the booking pages would wait for it forever."""
    if row["status"] == "awaiting_approval":
        raise Conflict("an activity awaiting approval is not deleted: take it back to a "
                       "draft first", status=row["status"], code="awaiting_approval")
    if row["status"] != "draft":
        raise Conflict(f"{status_phrase(row['status'])} is not deleted: cancel it",
                       status=row["status"], code="not_deleted")
    if row.get("booking_id") is not None:
        raise Conflict("a booking's draft is not deleted: cancel the booking, which withdraws"
                       " it", code="booking_draft")


def board_status(status: str) -> str:
    """What a notice board shows of the activity's status: cancelled, postponed, or (a draft,
    a published or a moved one) published."""
    return status if status in ("cancelled", "postponed") else "published"


def attendance_facts(event: Mapping[str, Any], revision: int, participants: int,
                     visitors: int) -> AttendanceReported:
    return AttendanceReported(
        organiser_id=organiser_ref(event), event_id=event["id"], report_revision=revision,
        participants=participants, visitors=visitors, starts_at=event["starts_at"],
        ends_at=event["ends_at"], area=event["area"], venue_id=event["venue_id"],
        kind=event["kind"])


# --- search -------------------------------------------------------------------------------

#: A word residents search with: letters and digits (no `_`, `%` or tsquery operators).
_WORD = re.compile(r"[^\W_]+")
SEARCH_WORDS_MAX = 8


def fold(value: str) -> str:
    """Lower case without accents, as the database's `kohtaamo_fold` (unaccent) folds: "Jynkkä"
    and "jynkka" are the same word to a search."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_words(q: str | None) -> list[str]:
    """The words of a search (at most eight, each found on its own), lower case."""
    if not q:
        return []
    return [w.lower() for w in _WORD.findall(q)][:SEARCH_WORDS_MAX]


def areas_named(word: str, names: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The codes of the areas whose name in any language contains `word`, accents aside
    ("juankoski", "nilsia", "keskus")."""
    folded = fold(word)
    return sorted(code for code, by_lang in names.items()
                  if any(folded in fold(name) for name in by_lang.values()))


# --- an organiser's own pages (issue #16) ----------------------------------------------------

#: What an organiser does next with an activity, by where it stands (their pages say it).
NEXT_STEPS = ("write", "waiting", "moving", "share", "new_time", "report", "done",
              "cancelled", "withdrawn")


def next_step(event: Mapping[str, Any], now: datetime, attendance_reported: bool) -> str:
    """One of `NEXT_STEPS`: write and publish a draft; wait for staff (approval queue) or the
    booking service (a move); share what is coming; give a postponed one a new time; report
    attendance once it has started; nothing more to do."""
    status = event["status"]
    if status in ("cancelled", "withdrawn"):
        return str(status)
    if status == "awaiting_approval":
        return "waiting"
    if event.get("pending_move") is not None:
        return "moving"
    if status == "draft":
        return "write"
    if status == "postponed":
        return "new_time"
    if event["starts_at"] > now:
        return "share"
    return "done" if attendance_reported else "report"


def published_as_past(event: Mapping[str, Any], now: datetime) -> bool:
    """Published (or sent for approval) dated entirely in the past: a late report of an
    activity that happened, which is not refused (it counts in the indicators) but is said
    to its organiser, as no upcoming list shows it."""
    return event["status"] in ("published", "awaiting_approval") and event["ends_at"] <= now


def entered(history: Iterable[Mapping[str, Any]], status: str) -> Mapping[str, Any] | None:
    """The step of `history` (oldest first) that last gave the event `status`."""
    return next((s for s in reversed(list(history)) if s["status"] == status), None)


#: The history step of an organiser asking, as they cancelled, to release the booking too
#: (the booking service cancels it after it hears `event.cancelled`).
RELEASE_ASKED = "booking_release_asked"


def release_asked(history: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the activity's booking was asked to be released when it was cancelled."""
    return any(s["status"] == RELEASE_ASKED for s in history)


def note_language(history: Iterable[Mapping[str, Any]], status: str) -> str | None:
    """The language the reason of `latest_note` was written in, when its step keeps it (staff
    refusing from the approval page): one of ours, else None (unknown)."""
    steps = list(history)
    if steps and steps[-1]["status"] == "move_refused":
        return None  # the booking service's code, said in the page's language
    language = (entered(steps, status) or {}).get("language")
    return language if language in LANGUAGES else None


def latest_note(history: Iterable[Mapping[str, Any]], status: str) -> tuple[str, str] | None:
    """What the organiser should read of their activity's history, as (what, why): why its
    booking could not move (when that is the newest step), else why it is where it is now
    (returned by staff to a draft, cancelled, postponed, withdrawn with its booking)."""
    steps = list(history)
    if steps and steps[-1]["status"] == "move_refused" and steps[-1].get("reason"):
        return "move_refused", str(steps[-1]["reason"])
    reason = str(status_cause(entered(steps, status))[0] or "")  # not the service's words
    if status == "draft" and reason.startswith("refused: "):
        return "refused", reason.removeprefix("refused: ")
    if status in ("cancelled", "postponed", "withdrawn") and reason:
        return status, reason
    return None


@dataclass(frozen=True)
class MoveRefusal:
    """Why the booking service refused to move an activity's booking, as the organiser's page
    says it in its own language: one of `MOVE_REFUSALS` (`other` for a code this service does
    not know), and what the booking service's words tell of it (the space's horizon in days;
    the opening hours of the day asked for, as (start, end, self-service) clock times, empty
    when it is closed all day)."""

    code: str
    days: int | None = None
    hours: tuple[tuple[time, time, bool], ...] = ()


#: What the organiser is told of a refused move (`labels.MOVE_REFUSALS` words each).
MOVE_REFUSALS = ("past", "horizon", "short", "long", "closed", "taken", "equipment",
                 "status", "gone", "rule", "other")
#: The booking service's codes (`booking.move_refused`), those it keeps now and may keep,
#: by what the organiser is told.
_MOVE_CODES = {"past": "past", "horizon": "horizon", "too_short": "short", "short": "short",
               "too_long": "long", "long": "long", "length": "long", "closed": "closed",
               "hours": "closed", "taken": "taken", "conflict": "taken",
               "space_taken": "taken", "equipment": "equipment", "loan_move": "equipment",
               "status": "status", "gone": "gone", "rule": "rule"}
#: A refusal coded only `rule` (all the booking service said before) by its words.
_RULE_WORDS = (("in the past", "past"), ("days ahead", "horizon"), ("at least", "short"),
               ("at most", "long"))
_CLOCK = r"(\d{1,2})[.:](\d{2})"


def move_refusal(stored: str) -> MoveRefusal:
    """A refused move's history reason (`code: the booking service's words`, as
    `follow_move_refusal` keeps it) as what the organiser is told. The words are the booking
    service's, in English: only a number or a time is taken of them, never shown as such."""
    code, _, words = stored.partition(": ")
    said = _MOVE_CODES.get(code.strip(), "other")
    if said == "rule":
        said = next((s for w, s in _RULE_WORDS if w in words), "rule")
    if said == "horizon":
        found = re.search(r"(\d+) days", words)
        return MoveRefusal(said, days=int(found.group(1)) if found else None)
    if said == "closed":
        hours = tuple(
            (time(int(m[1]) % 24, int(m[2])), time(int(m[3]) % 24, int(m[4])),
             bool(m[5]))
            for m in re.finditer(_CLOCK + "[–-]" + _CLOCK + r"( \(self-service\))?", words)
            if int(m[2]) < 60 and int(m[4]) < 60)
        return MoveRefusal(said, hours=hours)
    return MoveRefusal(said)


#: The words the service itself once stored as the reason of an activity cancelled because
#: its booking ended (English whatever the page's language): nobody's reason. Databases
#: written before keep them in the activity's history; they read as the booking's end.
BOOKING_END_WORDS = frozenset({"booking cancelled", "booking rejected",
                               "nobody checked in; the space was released"})


def status_cause(step: Mapping[str, Any] | None) -> tuple[str | None, bool]:
    """Why an activity is in its status, as residents read it, from the history step that
    put it there: the reason a person gave (or None), and whether its booking's end did it
    (the page then says so in its own language, next to the booking's reason if any)."""
    if step is None:
        return None, False
    by_booking = str(step.get("actor") or "").startswith("booking:")
    reason = step.get("reason") or None
    if by_booking and reason in BOOKING_END_WORDS:
        reason = None
    return reason, by_booking


# --- a series' occurrences written together (the organiser's pages) ---------------------

#: What an edit "for every time still to come" of a series leaves as each occurrence has it:
#: its time (each its own week; a time moves by rescheduling that one).
SERIES_OWN = ("starts_at", "ends_at", "all_day")
#: The occurrences such an edit reaches: not cancelled, withdrawn or waiting for approval
#: (which `update_event` does not edit either).
SERIES_EDITABLE = ("draft", "published", "postponed", "rescheduled")


def series_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """What of one occurrence's edit the series' other occurrences take: never the time."""
    return {k: v for k, v in changes.items() if k not in SERIES_OWN}


def series_to_come(occurrences: Iterable[Mapping[str, Any]], event_id: UUID,
                   now: datetime) -> list[Mapping[str, Any]]:
    """The series' occurrences other than `event_id` an edit "for every time still to come"
    reaches: not started by `now` (none that is over or under way) and editable."""
    return [o for o in occurrences if o["id"] != event_id and o["starts_at"] > now
            and o["status"] in SERIES_EDITABLE]


def occurrence_refusals(refused: Iterable[Invalid], occurrence: Mapping[str, Any],
                        said: Iterable[Invalid]) -> list[Invalid]:
    """An other occurrence's refusals of the same edit, each marked with its start
    (`occurrence`, ISO 8601) so the organiser knows which time breaks the rule; one that is
    said already (the same rule of the same field, this occurrence's or an earlier one's)
    is not said again."""
    seen = {(e.field, e.message) for e in said}
    found: list[Invalid] = []
    for e in refused:
        if (e.field, e.message) in seen:
            continue
        seen.add((e.field, e.message))
        found.append(Invalid(e.message, e.field,
                             **{**e.details, "occurrence": occurrence["starts_at"].isoformat()}))
    return found


@dataclass(frozen=True)
class SeriesPlace:
    """Where an occurrence is in its series, as its page says it: the `position`th of
    `total`, how many others an edit "for every time still to come" would change, and the
    series' drafts "publish every time" would publish."""

    position: int
    total: int
    to_come: int
    drafts: int


def series_place(occurrences: Sequence[Mapping[str, Any]], event_id: UUID,
                 now: datetime) -> SeriesPlace | None:
    """`SeriesPlace` of `event_id` among its series' `occurrences` (by start); None when
    it is not among them (no series)."""
    ids = [o["id"] for o in occurrences]
    if event_id not in ids:
        return None
    return SeriesPlace(position=ids.index(event_id) + 1, total=len(ids),
                       to_come=len(series_to_come(occurrences, event_id, now)),
                       drafts=sum(o["status"] == "draft" for o in occurrences))


def grouped_by_series(rows: Iterable[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Rows in their order, each series' together at the place of its first (one group a
    row for an activity of no series): a list shows a weekly group as one activity."""
    groups: list[list[Mapping[str, Any]]] = []
    at: dict[UUID, list[Mapping[str, Any]]] = {}
    for row in rows:
        series_id = row.get("series_id")
        if series_id is None:
            groups.append([row])
        elif series_id in at:
            at[series_id].append(row)
        else:
            at[series_id] = [row]
            groups.append(at[series_id])
    return groups
