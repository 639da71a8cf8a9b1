"""What the city's channels say of an activity event: the post on each social media platform
and the slide on a notice board's screen. Plain functions, no I/O, so the notifications
service (which sends the posts and runs the boards) and the events service (whose organisers
preview a draft before anything is sent, issue #16) render them with the same code; the
slide's markup is `templates/board_slide.html`.

A post is written in each of the account's languages in turn (a bilingual city posts Finnish
and Swedish together), always keeps the time, the place and the link, and is shortened to the
platform's limit by dropping first the descriptions, then the organiser's reason for a
cancellation or postponement in the other languages, then the other languages, then by
cutting that reason (to REASON_KEPT characters, else leaving it out), shortening a long place
(to PLACE_KEPT characters) and the name (to NAME_KEPT), leaving out the price and sign-up
line, then the place and name further: a resident must never get a post that lies about
when or where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypedDict
from uuid import UUID

from shared.clock import HELSINKI
from shared.contracts import LocalizedText
from shared.l10n import clock_time, money, text_and_lang, text_in, time_span, weekday_short

Purpose = Literal["announcement", "reminder", "change", "cancellation"]
Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")

#: Where the slide's macros are (`board_slide.html`): a page that shows a slide adds this
#: folder to its Jinja loader.
TEMPLATES = Path(__file__).parent / "templates"

#: The translated labels every channel shares (boards, feeds, posts, emails): one definition.
WHEN = {"fi": "Aika", "sv": "Tid", "en": "When"}
WHERE = {"fi": "Paikka", "sv": "Plats", "en": "Where"}
#: What marks a cancelled or postponed activity in a title, a banner or a post.
MARKERS = {
    "cancelled": {"fi": "PERUTTU", "sv": "INSTÄLLT", "en": "CANCELLED"},
    "postponed": {"fi": "SIIRRETTY", "sv": "UPPSKJUTET", "en": "POSTPONED"},
}
#: What it costs, when the price is not known: free, or paid (a price nobody gave).
_COST = {"fi": {True: "Maksuton", False: "Maksullinen"},
         "sv": {True: "Gratis", False: "Avgiftsbelagd"},
         "en": {True: "Free", False: "Admission charged"}}
#: The organiser's reason for a cancellation or a postponement, as residents read it: marked
#: as theirs (the city posts it, they wrote it) and quoted as written, in whatever language
#: they wrote it; the posts and the registrants' mails say it alike.
ORGANISER_REASON: dict[str, str] = {"fi": "Järjestäjän ilmoittama syy",
                                    "sv": "Orsak enligt arrangören",
                                    "en": "The organiser's reason"}
QUOTES: dict[str, tuple[str, str]] = {"fi": ("\u201d", "\u201d"), "sv": ("\u201d", "\u201d"),
                                      "en": ("\u201c", "\u201d")}
#: Whether one must sign up: said as what to do, never a bare "Registration".
_SIGN_UP = {"fi": {True: "ilmoittaudu etukäteen", False: "ei ilmoittautumista"},
            "sv": {True: "anmäl dig på förhand", False: "ingen anmälan"},
            "en": {True: "sign up in advance", False: "no registration"}}


def access_line(free: bool, registration_required: bool, lang: str,
                price: Decimal | None = None) -> str:
    """What it costs and whether to sign up, in the reader's language, the same words on
    every channel: "Maksuton, ei ilmoittautumista", "5,50 €, anmäl dig på förhand",
    "€5.50, no registration"; a paid activity whose price nobody gave is "Maksullinen",
    "Avgiftsbelagd", "Admission charged"."""
    code = lang if lang in _COST else "fi"
    if free:
        cost = _COST[code][True]
    elif price is not None and price.is_finite() and price > 0:
        cost = money(price, code)
    else:
        cost = _COST[code][False]
    return f"{cost}, {_SIGN_UP[code][registration_required]}"


def at_venue(place_kind: str | None) -> bool:
    """Whether an activity is where its venue (and space) is, as every page, post, board
    and mail says it: at a venue, or there and online too. Outdoors, a pop-up or another
    place is where its own place name says, even when it still names a venue: an edit that
    moves an activity away from its venue clears it now, but one stored before that (moved
    out of the library to the shore) keeps it."""
    return place_kind in (None, "venue", "hybrid")


def venue_place(venue_name: Mapping[str, Any], space_name: Mapping[str, Any] | None,
                lang: str) -> str:
    """Where at a venue, as boards and posts say it: "KANTTI, Lava"."""
    parts = [text_in(venue_name, lang), text_in(space_name, lang) if space_name else ""]
    return ", ".join(p for p in parts if p)


# --- social media posts ---------------------------------------------------------------------

#: Characters a post may have on each platform (Bluesky counts graphemes; a Finnish text's
#: graphemes are its characters). Email has no such limit.
LIMITS: dict[str, int] = {
    "mastodon": 500,
    "bluesky": 300,
    "instagram": 2200,
    "facebook": 63206,
    "email": 100_000,
}
#: Platforms that count every web address in a post as so many characters, however long or
#: short (Mastodon: `characters_reserved_per_url`, 23); elsewhere an address counts whole
#: (Bluesky counts the graphemes of the text, addresses and all). Which text Mastodon takes for
#: an address: `_URL`, at the end of this module.
URL_CHARS: dict[str, int] = {"mastodon": 23}
#: Platforms that cannot post without an image.
IMAGE_REQUIRED = frozenset({"instagram"})
#: The social media platforms a city's accounts can be on, as a preview lists them.
PLATFORMS = ("facebook", "instagram", "mastodon", "bluesky")
#: The platforms' own names (the same in every language).
PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "mastodon": "Mastodon",
                  "bluesky": "Bluesky", "email": "Email"}

#: A post's own words by language.
POST_LABELS: dict[str, dict[str, str]] = {
    "fi": {"reminder": "Muistutus", "cancelled": MARKERS["cancelled"]["fi"],
           "postponed": MARKERS["postponed"]["fi"],
           "rescheduled": "UUSI AIKA", "relocated": "UUSI PAIKKA",
           "was": "aiemmin", "was_first": "Aiemmin",
           "new_time_later":
           "Uusi aika kerrotaan myöhemmin.", "cancelled_text": "Tapahtuma on peruttu.",
           "online": "Verkossa", "sign_up_link": "Ilmoittaudu"},
    "sv": {"reminder": "Påminnelse", "cancelled": MARKERS["cancelled"]["sv"],
           "postponed": MARKERS["postponed"]["sv"],
           "rescheduled": "NY TID", "relocated": "NY PLATS",
           "was": "tidigare", "was_first": "Tidigare",
           "new_time_later":
           "Den nya tiden meddelas senare.", "cancelled_text": "Evenemanget är inställt.",
           "online": "På nätet", "sign_up_link": "Anmäl dig"},
    "en": {"reminder": "Reminder", "cancelled": MARKERS["cancelled"]["en"],
           "postponed": MARKERS["postponed"]["en"],
           "rescheduled": "NEW TIME", "relocated": "NEW PLACE",
           "was": "was", "was_first": "Previously",
           "new_time_later":
           "The new time will be announced later.", "cancelled_text":
           "The event has been cancelled.", "online": "Online", "sign_up_link": "Sign up"},
}


@dataclass(frozen=True)
class ActivityView:
    """What a post says of an activity event, in every language it has."""

    name: LocalizedText
    starts_at: datetime
    ends_at: datetime
    place: LocalizedText | None
    short_description: LocalizedText | None
    free: bool
    registration_required: bool
    online: bool
    image_url: str | None
    image_alt: LocalizedText | None
    #: The event's public page, without the language (`?lang=` is added per post).
    page_url: str
    previous_starts_at: datetime | None = None
    previous_ends_at: datetime | None = None
    #: A whole-day activity: its dates, without clock times.
    all_day: bool = False
    #: A paid activity's price in euros, when it is known.
    price: Decimal | None = None
    #: Where one signs up for an activity that needs registration (the notifications
    #: service's page, `sign_up_page_url`), without the language; None: no sign-up link.
    sign_up_url: str | None = None
    #: Where it was before an edit moved it (a change notice says "NEW PLACE" and this);
    #: None: the place did not change.
    previous_place: LocalizedText | None = None
    #: Why its organiser cancelled or postponed it, as they wrote it (a cancellation's or a
    #: postponement's notice says it); None: no reason given.
    reason: str | None = None


@dataclass(frozen=True)
class Rendered:
    """A post ready to send (stored as the delivery's content)."""

    text: str
    language: str
    link: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    subject: str | None = None
    ics: str | None = None
    #: Extra email headers (List-Unsubscribe, List-Unsubscribe-Post, List-Id).
    headers: dict[str, str] | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class CannotRender(ValueError):
    """The platform cannot take this post at all (e.g. Instagram and no image)."""


def post_length(platform: str, text: str) -> int:
    """How long `platform` counts `text` against its limit (`LIMITS`): its characters, each
    web address counted as `URL_CHARS` says on a platform that counts them so (Mastodon: 23,
    a long event page's address as a short one; an address as Mastodon finds one, `_URL`:
    `https://kuopio.fi/x` is one, a bare `kuopio.fi/x` and `https://x.local/y` are text)."""
    counted = URL_CHARS.get(platform)
    if counted is None:
        return len(text)
    length = len(text)
    for found in _URL.finditer(text):
        length += counted - len(found.group())
    return length


def _change_label(view: ActivityView, status: str) -> str:
    """What a change notice says happened: postponed, a new time, or (an edit that moved it
    and kept its time) a new place."""
    if status == "postponed":
        return "postponed"
    if view.previous_place is not None and view.previous_starts_at is None:
        return "relocated"
    return "rescheduled"


def said_reason(reason: str | None, lang: str) -> str | None:
    """The organiser's reason as every channel says it, marked as theirs and quoted as they
    wrote it, on one line: "Järjestäjän ilmoittama syy: ”Ohjaaja sairastui.”"; None for no
    reason with something to read."""
    said = " ".join((reason or "").split())
    if not said:
        return None
    open_, close = QUOTES.get(lang, QUOTES["fi"])
    return f"{ORGANISER_REASON.get(lang, ORGANISER_REASON['fi'])}: {open_}{said}{close}"


def reason_line(view: ActivityView, purpose: Purpose, status: str, lang: str) -> str | None:
    """The organiser's reason on a line of its own in a cancellation's or a postponement's
    notice (`said_reason`); None for any other post."""
    if not (purpose == "cancellation" or (purpose == "change" and status == "postponed")):
        return None
    return said_reason(view.reason, lang)


def _block(view: ActivityView, purpose: Purpose, status: str, lang: str,
           with_description: bool, with_reason: bool = True) -> str:
    t = POST_LABELS[lang]
    reason = reason_line(view, purpose, status, lang) if with_reason else None
    name = view.name.get(lang)
    when = time_span(view.starts_at, view.ends_at, lang, all_day=view.all_day)
    title = {
        "announcement": name,
        "reminder": f"{t['reminder']}: {name}",
        "cancellation": f"{t['cancelled']}: {name}",
        "change": f"{t[_change_label(view, status)]}: {name}",
    }[purpose]
    lines = [title]
    if purpose == "change" and status == "postponed":
        # A line of its own begins as a sentence does; why, right after it.
        lines.append(f"{t['was_first']} {when}. {t['new_time_later']}")
        if reason:
            lines.append(reason)
    elif purpose == "change" and view.previous_starts_at and view.previous_ends_at:
        was = time_span(view.previous_starts_at, view.previous_ends_at, lang,
                        all_day=view.all_day)
        lines.append(f"{when} ({t['was']} {was})")
    else:
        lines.append(when)
    where = _where(view, lang)
    if where and purpose == "change" and view.previous_place is not None:
        lines.append(f"{where} ({t['was']} {view.previous_place.get(lang)})")
    elif where:
        lines.append(where)
    if purpose == "cancellation":
        lines.append(t["cancelled_text"])
        if reason:
            lines.append(reason)
    else:
        lines.append(access_line(view.free, view.registration_required, lang, view.price))
        # Only a description written in this language: the Finnish one again under a Swedish
        # heading tells a Swedish reader nothing the Finnish block did not.
        own = getattr(view.short_description, lang, None) if view.short_description else None
        if with_description and own:
            lines.append(own)
    return "\n".join(lines)


#: What a shortened place keeps at least: the venue's name, mostly ("Kuopion
#: kaupunginkirjasto", 25), so a resident still finds the house.
PLACE_KEPT = 40
#: What a cut name keeps at least (its title line: "Muistutus: " and the name's start) before
#: the place gives more: a post of a time and a place under "…" says nothing of what is on.
NAME_KEPT = 30
#: What a cut reason keeps at least of the organiser's words; with less room the reason is
#: left out (before the place or the name is cut).
REASON_KEPT = 20


def _where(view: ActivityView, lang: str) -> str | None:
    return view.place.get(lang) if view.place else (
        POST_LABELS[lang]["online"] if view.online else None)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    if text.endswith("\u201d"):  # a quotation (the organiser's reason) stays closed
        return text[: max(limit - 2, 0)].rstrip() + "…\u201d"
    return text[: max(limit - 1, 0)].rstrip() + "…"


def _fitted(lines: list[str], room: int,
            steps: Sequence[tuple[int | None, int | str]]) -> list[str]:
    """`lines` within `room` characters (joined by line breaks), giving way by as few of
    `steps` as it takes, in their order: each (line, how it gives way) is a cut down to at
    least that many characters, 0 the line left out, a text the line said shorter. Each try
    starts again from the whole lines, so what a later step freed is not lost to an earlier
    cut (a place cut for a price line that then went anyway)."""
    def size(kept: list[str]) -> int:
        return sum(map(len, kept)) + len(kept) - 1

    fitted = lines
    for upto in range(len(steps) + 1):
        taken = [(at, how) for at, how in steps[:upto] if at is not None]
        current = list(lines)
        gone = {at for at, how in taken if how == 0}
        for at, how in taken:
            if isinstance(how, str):
                current[at] = how
        for at, how in taken:
            if at in gone or isinstance(how, str):
                continue
            over = size([t for i, t in enumerate(current) if i not in gone]) - room
            if over <= 0:
                break
            if len(current[at]) > how:
                current[at] = _cut(current[at], max(len(current[at]) - over, how))
        fitted = [t for i, t in enumerate(current) if i not in gone]
        if size(fitted) <= room:
            break
    return fitted


def render_post(platform: str, view: ActivityView, purpose: Purpose, status: str,
                languages: list[str]) -> Rendered:
    """The post for one account: every language of the account, within the platform's limit.

    `status` is the activity's status (published, postponed, cancelled): a change notice says
    postponed or new time by it.
    """
    if platform in IMAGE_REQUIRED and not view.image_url and purpose != "cancellation":
        raise CannotRender(f"{platform} needs an image: add one to the activity event")
    langs = [lang for lang in languages if lang in POST_LABELS] or ["fi"]
    first = langs[0]
    link = f"{view.page_url}?lang={first}"
    limit = LIMITS.get(platform, LIMITS["facebook"])
    tail = f"\n\n{link}"
    sign_up_too = bool(view.sign_up_url and view.registration_required
                       and purpose != "cancellation")
    if sign_up_too:
        # Its own link above the event page's, in the post's language: kept whole like it,
        # what comes before gives way to fit both (a cancellation has nothing to sign up for).
        sign_up = f"{POST_LABELS[first]['sign_up_link']}: {view.sign_up_url}?lang={first}"
        tail = f"\n\n{sign_up}\n{link}"
    room = limit - post_length(platform, tail)
    text = ""
    # Richest first; each step gives up something residents need less: the descriptions,
    # the reason said again in the other languages (the organiser wrote it once), the other
    # languages.
    for langs_now, described, reasons in (
            (langs, True, True), (langs, False, True), (langs, False, False),
            ([first], True, False), ([first], False, False)):
        text = "\n\n".join(_block(view, purpose, status, lang, described,
                                  with_reason=reasons or lang == first)
                           for lang in langs_now)
        if post_length(platform, text) <= room:
            break
    else:
        # Even one language without description is too long. What gives way, in turn: with
        # the organiser's reason, the line of price and sign-up (the event page says both,
        # and why matters more to one who was coming), then the reason cut to REASON_KEPT of
        # its words; a long place down to PLACE_KEPT characters (the venue's name, mostly),
        # the name down to NAME_KEPT (a resident still knows what it is), the line of price
        # and sign-up, a new time's or place's earlier one, the reason (the event page says
        # it), then the place and the name further. Never the time, nor a cancellation's
        # notice.
        lines = text.split("\n")
        where = _where(view, first)
        # The place's line: after the time, and after a postponement's reason when it has one.
        place_at = next((i for i in range(1, len(lines)) if where
                         and (lines[i] == where or lines[i].startswith(f"{where} ("))), None)
        access = access_line(view.free, view.registration_required, first, view.price)
        access_at = lines.index(access) if purpose != "cancellation" and access in lines else None
        # A change said without what it was before: the new time, the new place alone.
        new_only: tuple[int | None, int | str] = (None, 0)
        if purpose == "change" and status != "postponed" and view.previous_starts_at:
            new_only = (1, time_span(view.starts_at, view.ends_at, first,
                                     all_day=view.all_day))
        elif purpose == "change" and view.previous_place is not None and where:
            new_only = (place_at, where)
        reason = reason_line(view, purpose, status, first)
        reason_at = lines.index(reason) if reason in lines else None
        reason_kept = len(reason or "") - len(" ".join((view.reason or "").split())) \
            + REASON_KEPT + 1  # its label and quotes, REASON_KEPT of its words and "…"
        text = _cut("\n".join(_fitted(lines, room, (
            (access_at if reason_at is not None else None, 0), (reason_at, reason_kept),
            (place_at, PLACE_KEPT), (0, NAME_KEPT), (access_at, 0), new_only,
            (reason_at, 0), (place_at, 1), (0, 1)))), room)
        if reason and sign_up_too and reason[:reason.index(":") + 1] not in text:
            # A postponed activity has no time to sign up for yet: why it was postponed
            # matters more than the sign-up link, which its event page gives anyway.
            return render_post(platform, replace(view, sign_up_url=None), purpose, status,
                               languages)
    alt = None
    if view.image_url:  # without an alt text, the name says what the picture is about
        alt = view.image_alt.get(first) if view.image_alt else view.name.get(first)
    return Rendered(text=text + tail, language=first, link=link, image_url=view.image_url,
                    image_alt=alt)


def event_page_url(public_base: str, event_id: UUID) -> str:
    """The activity event's public page (the events service's), without the language."""
    return f"{public_base.rstrip('/')}/events/{event_id}/page"


def sign_up_page_url(public_base: str, event_id: UUID | str) -> str:
    """An activity's sign-up page (the notifications service's, `public_base` its public
    address), without the language: where the event page's sign-up link leads too."""
    return f"{public_base.rstrip('/')}/registrations/{event_id}"


@dataclass(frozen=True)
class PostPreview:
    """A post as an account would send it, before it goes (or why it could not go)."""

    platform: str
    account: str | None
    text: str | None
    limit: int
    image_url: str | None = None
    image_alt: str | None = None
    #: Why nothing would go out (Instagram without an image).
    cannot: str | None = None
    #: How long the platform counts the text against `limit` (`post_length`: on Mastodon
    #: each web address is 23), as a preview's count says it.
    length: int = 0


def preview_posts(view: ActivityView,
                  accounts: Sequence[tuple[str, str | None, Sequence[str]]] = ()
                  ) -> list[PostPreview]:
    """The announcement as each account (platform, name, languages) would post it, cut to its
    platform's limit; without accounts, one per platform in Finnish, Swedish and English (the
    most an account could post, so the most a limit could cut)."""
    wanted = list(accounts) or [(p, None, LANGS) for p in PLATFORMS]
    previews = []
    for platform, name, languages in wanted:
        limit = LIMITS.get(platform, LIMITS["facebook"])
        try:
            post = render_post(platform, view, "announcement", "published", list(languages))
        except CannotRender as exc:
            previews.append(PostPreview(platform, name, None, limit, cannot=str(exc)))
            continue
        previews.append(PostPreview(platform, name, post.text, limit, post.image_url,
                                    post.image_alt, length=post_length(platform, post.text)))
    return previews


# --- the notice board's slide ---------------------------------------------------------------

#: The board screen's words by language (the previews render slides with them too).
BOARD_LABELS: dict[str, dict[str, str]] = {
    "fi": {"coming": "Tulevaa toimintaa", "nothing": "Ei tulevaa toimintaa juuri nyt",
           "today": "Tänään", "tomorrow": "Huomenna", "cancelled": MARKERS["cancelled"]["fi"],
           "postponed": "SIIRRETTY – uusi aika ilmoitetaan myöhemmin",
           "slide": "Tapahtuma", "notice": "Tiedote", "of": "/", "clock": "Kello"},
    "sv": {"coming": "Kommande verksamhet", "nothing": "Ingen kommande verksamhet just nu",
           "today": "I dag", "tomorrow": "I morgon", "cancelled": MARKERS["cancelled"]["sv"],
           "postponed": "UPPSKJUTET – ny tid meddelas senare",
           "slide": "Evenemang", "notice": "Meddelande", "of": "/",
           "clock": "Klockan"},
    "en": {"coming": "Coming up", "nothing": "Nothing coming up right now",
           "today": "Today", "tomorrow": "Tomorrow", "cancelled": MARKERS["cancelled"]["en"],
           "postponed": "POSTPONED – new time to be announced",
           "slide": "Activity", "notice": "Notice", "of": "/", "clock": "Time"},
}


class Slide(TypedDict):
    """One slide of a board's screen, as `board_slide.html`'s `slide` macro shows it."""

    id: str
    name: str
    #: The language the name is really in (Finnish when it has no translation), for `lang=`.
    name_lang: str
    status: str
    banner: str | None
    day: str
    time: str
    place: str | None
    free: str | None
    #: Why its organiser cancelled or postponed it (`said_reason`); None: no reason given.
    reason: str | None
    starts_at: str
    ends_at: str
    #: A staff notice's text in each language the board shows it in: (language, text).
    texts: list[tuple[str, str]]


def board_day(moment: datetime, today: date, lang: Lang) -> str:
    """"Today", "Tomorrow", or CLDR's short weekday and date ("pe 4.12.", "fre 4 dec.")."""
    day = moment.date()
    if day == today:
        return BOARD_LABELS[lang]["today"]
    if day == today + timedelta(days=1):
        return BOARD_LABELS[lang]["tomorrow"]
    return weekday_short(day, lang)


def day_and_time(starts_at: datetime, ends_at: datetime, today: date,
                 lang: Lang) -> tuple[str, str]:
    """The slide's day and its time span, in Helsinki ("Tänään", "17.00–18.00")."""
    start, end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    if start.date() == end.date():
        return (board_day(start, today, lang),
                f"{clock_time(start, lang)}–{clock_time(end, lang)}")
    return (board_day(start, today, lang),
            f"{clock_time(start, lang)} – {board_day(end, today, lang)} "
            f"{clock_time(end, lang)}")


def activity_slide(activity_event_id: UUID | str, name: Mapping[str, Any], status: str,
                   starts_at: datetime, ends_at: datetime, place: str | None, *, free: bool,
                   registration_required: bool, lang: Lang, now: datetime,
                   price: Decimal | None = None, reason: str | None = None) -> Slide:
    """An activity event as a board's screen shows it in `lang`: its name, a banner when it
    is cancelled or postponed (with its organiser's `reason`), its day ("Today", "Tomorrow"
    or the weekday and date in Helsinki, as of `now`), time, place and what it costs (its
    `price` when paid) and whether to sign up; a cancelled one invites no one, so neither."""
    t = BOARD_LABELS[lang]
    day, span = day_and_time(starts_at, ends_at, now.astimezone(HELSINKI).date(), lang)
    # The name with the language it is said in (a booking's draft may have only a Swedish
    # or English one), so the slide marks it (WCAG 3.1.2).
    said, said_in = text_and_lang(name, lang)
    return {
        "id": str(activity_event_id),
        "name": said,
        "name_lang": said_in,
        "status": status,
        "banner": t.get(status) if status in MARKERS else None,
        "day": day,
        "time": span,
        "place": place,
        "free": (None if status == "cancelled"
                 else access_line(free, registration_required, lang, price)),
        "reason": said_reason(reason, lang) if status in MARKERS else None,
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "texts": [],
    }


# --- web addresses as Mastodon counts them --------------------------------------------------

#: The top-level domains Mastodon knows: twitter-text's list (`tld_lib.yml`), by which both its
#: server and its composer find an address. A made-up one (`x.local`, `palvelin.internal`,
#: `kohtaamo.example`) is none of these, and neither is `localhost` nor an IP address:
#: Mastodon counts such an address whole, and so does `post_length`. (Words split from a
#: string, SIM905: as a list of quoted words the list would be three times as long.)
_COUNTRY_TLDS = frozenset("""
    ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm
    bn bo bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz
    de dj dk dm do dz ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl
    gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo
    jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg
    mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz
    om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si
    sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tp tr tt tv
    tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw ελ ευ бг бел ею мкд
    мон рф срб укр қаз հայ الاردن البحرين الجزائر السعودية المغرب امارات ایران بارت بھارت
    تونس سودان سورية عراق عمان فلسطين قطر مصر مليسيا موريتانيا پاکستان ڀارت भारत भारतम्
    भारोत বাংলা ভারত ভাৰত ਭਾਰਤ ભારત ଭାରତ இந்தியா இலங்கை சிங்கப்பூர் భారత్ ಭಾರತ ഭാരതം ලංකා
    ไทย ລາວ გე 中国 中國 台湾 台灣 新加坡 澳門 香港 한국""".split())  # noqa: SIM905
_GENERIC_TLDS = frozenset("""
    aaa aarp abarth abb abbott abbvie abc able abogado abudhabi academy accenture accountant
    accountants aco active actor adac ads adult aeg aero aetna afamilycompany afl africa
    agakhan agency aig aigo airbus airforce airtel akdn alfaromeo alibaba alipay allfinanz
    allstate ally alsace alstom americanexpress americanfamily amex amfam amica amsterdam
    analytics android anquan anz aol apartments app apple aquarelle arab aramco archi army
    arpa art arte asda asia associates athleta attorney auction audi audible audio auspost
    author auto autos avianca aws axa azure baby baidu banamex bananarepublic band bank bar
    barcelona barclaycard barclays barefoot bargains baseball basketball bauhaus bayern bbc
    bbt bbva bcg bcn beats beauty beer bentley berlin best bestbuy bet bharti bible bid bike
    bing bingo bio biz black blackfriday blanco blockbuster blog bloomberg blue bms bmw bnl
    bnpparibas boats boehringer bofa bom bond boo book booking boots bosch bostik boston bot
    boutique box bradesco bridgestone broadway broker brother brussels budapest bugatti
    build builders business buy buzz bzh cab cafe cal call calvinklein cam camera camp
    cancerresearch canon capetown capital capitalone car caravan cards care career careers
    cars cartier casa case caseih cash casino cat catering catholic cba cbn cbre cbs ceb
    center ceo cern cfa cfd chanel channel charity chase chat cheap chintai chloe christmas
    chrome chrysler church cipriani circle cisco citadel citi citic city cityeats claims
    cleaning click clinic clinique clothing cloud club clubmed coach codes coffee college
    cologne com comcast commbank community company compare computer comsec condos
    construction consulting contact contractors cooking cookingchannel cool coop corsica
    country coupon coupons courses cpa credit creditcard creditunion cricket crown crs
    cruise cruises csc cuisinella cymru cyou dabur dad dance data date dating datsun day
    dclk dds deal dealer deals degree delivery dell deloitte delta democrat dental dentist
    desi design dev dhl diamonds diet digital direct directory discount discover dish diy
    dnp docs doctor dodge dog doha domains doosan dot download drive dtv dubai duck dunlop
    duns dupont durban dvag dvr earth eat eco edeka edu education email emerck energy
    engineer engineering enterprises epost epson equipment ericsson erni esq estate esurance
    etisalat eurovision eus events everbank exchange expert exposed express extraspace fage
    fail fairwinds faith family fan fans farm farmers fashion fast fedex feedback ferrari
    ferrero fiat fidelity fido film final finance financial fire firestone firmdale fish
    fishing fit fitness flickr flights flir florist flowers flsmidth fly foo food
    foodnetwork football ford forex forsale forum foundation fox free fresenius frl frogans
    frontdoor frontier ftr fujitsu fujixerox fun fund furniture futbol fyi gal gallery gallo
    gallup game games gap garden gay gbiz gdn gea gent genting george ggee gift gifts gives
    giving glade glass gle global globo gmail gmbh gmo gmx godaddy gold goldpoint golf goo
    goodhands goodyear goog google gop got gov grainger graphics gratis green gripe grocery
    group guardian gucci guge guide guitars guru hair hamburg hangout haus hbo hdfc hdfcbank
    health healthcare help helsinki here hermes hgtv hiphop hisamitsu hitachi hiv hkt hockey
    holdings holiday homedepot homegoods homes homesense honda honeywell horse hospital host
    hosting hot hoteles hotels hotmail house how hsbc htc hughes hyatt hyundai ibm icbc ice
    icu ieee ifm iinet ikano imamat imdb immo immobilien inc industries infiniti info ing
    ink institute insurance insure int intel international intuit investments ipiranga irish
    iselect ismaili ist istanbul itau itv iveco iwc jaguar java jcb jcp jeep jetzt jewelry
    jio jlc jll jmp jnj jobs joburg jot joy jpmorgan jprs juegos juniper kaufen kddi
    kerryhotels kerrylogistics kerryproperties kfh kia kim kinder kindle kitchen kiwi koeln
    komatsu kosher kpmg kpn krd kred kuokgroup kyoto lacaixa ladbrokes lamborghini lamer
    lancaster lancia lancome land landrover lanxess lasalle lat latino latrobe law lawyer
    lds lease leclerc lefrak legal lego lexus lgbt liaison lidl life lifeinsurance lifestyle
    lighting like lilly limited limo lincoln linde link lipsy live living lixil llc llp loan
    loans locker locus loft lol london lotte lotto love lpl lplfinancial ltd ltda lundbeck
    lupin luxe luxury macys madrid maif maison makeup man management mango map market
    marketing markets marriott marshalls maserati mattel mba mcd mcdonalds mckinsey med
    media meet melbourne meme memorial men menu meo merckmsd metlife miami microsoft mil
    mini mint mit mitsubishi mlb mls mma mobi mobile mobily moda moe moi mom monash money
    monster montblanc mopar mormon mortgage moscow moto motorcycles mov movie movistar msd
    mtn mtpc mtr museum mutual mutuelle nab nadex nagoya name nationwide natura navy nba nec
    net netbank netflix network neustar new newholland news next nextdirect nexus nfl ngo
    nhk nico nike nikon ninja nissan nissay nokia northwesternmutual norton now nowruz nowtv
    nra nrw ntt nyc obi observer off office okinawa olayan olayangroup oldnavy ollo omega
    one ong onion onl online onyourside ooo open oracle orange org organic orientexpress
    origins osaka otsuka ott ovh page pamperedchef panasonic panerai paris pars partners
    parts party passagens pay pccw pet pfizer pharmacy phd philips phone photo photography
    photos physio piaget pics pictet pictures pid pin ping pink pioneer pizza place play
    playstation plumbing plus pnc pohl poker politie porn post pramerica praxi press prime
    pro prod productions prof progressive promo properties property protection pru
    prudential pub pwc qpon quebec quest qvc racing radio raid read realestate realtor
    realty recipes red redstone redumbrella rehab reise reisen reit reliance ren rent
    rentals repair report republican rest restaurant review reviews rexroth rich richardli
    ricoh rightathome ril rio rip rmit rocher rocks rodeo rogers room rsvp rugby ruhr run
    rwe ryukyu saarland safe safety sakura sale salon samsclub samsung sandvik
    sandvikcoromant sanofi sap sapo sarl sas save saxo sbi sbs sca scb schaeffler schmidt
    scholarships school schule schwarz science scjohnson scor scot search seat secure
    security seek select sener services ses seven sew sex sexy sfr shangrila sharp shaw
    shell shia shiksha shoes shop shopping shouji show showtime shriram silk sina singles
    site ski skin sky skype sling smart smile sncf soccer social softbank software sohu
    solar solutions song sony soy space spiegel sport spot spreadbetting srl srt stada
    staples star starhub statebank statefarm statoil stc stcgroup stockholm storage store
    stream studio study style sucks supplies supply support surf surgery suzuki swatch
    swiftcover swiss sydney symantec systems tab taipei talk taobao target tatamotors tatar
    tattoo tax taxi tci tdk team tech technology tel telecity telefonica temasek tennis teva
    thd theater theatre tiaa tickets tienda tiffany tips tires tirol tjmaxx tjx tkmaxx tmall
    today tokyo tools top toray toshiba total tours town toyota toys trade trading training
    travel travelchannel travelers travelersinsurance trust trv tube tui tunes tushu tvs
    ubank ubs uconnect unicom university uno uol ups vacations vana vanguard vegas ventures
    verisign versicherung vet viajes video vig viking villas vin vip virgin visa vision
    vista vistaprint viva vivo vlaanderen vodka volkswagen volvo vote voting voto voyage
    vuelos wales walmart walter wang wanggou warman watch watches weather weatherchannel
    webcam weber website wed wedding weibo weir whoswho wien wiki williamhill win windows
    wine winners wme wolterskluwer woodside work works world wow wtc wtf xbox xerox xfinity
    xihuan xin xperia xxx xyz yachts yahoo yamaxun yandex yodobashi yoga yokohama you
    youtube yun zappos zara zero zip zippo zone zuerich vermögensberater vermögensberatung
    дети католик ком москва онлайн орг рус сайт קום ابوظبي اتصالات ارامكو العليان بازار بيتك
    شبكة عرب كاثوليك كوم موبايلي موقع همراه कॉम नेट संगठन คอม みんな クラウド グーグル コム
    ストア セール ファッション ポイント 世界 中信 中文网 企业 佛山 信息 健康 八卦 公司 公益
    商城 商店 商标 嘉里 嘉里大酒店 在线 大众汽车 大拿 天主教 娱乐 家電 工行 广东 微博 慈善
    我爱你 手机 手表 招聘 政务 政府 新闻 时尚 書籍 机构 淡马锡 游戏 点看 珠宝 移动 组织机构
    网址 网店 网站 网络 联通 诺基亚 谷歌 购物 通販 集团 電訊盈科 飞利浦 食品 餐厅 香格里拉
    닷넷 닷컴 삼성""".split())  # noqa: SIM905
#: A web address in a post's text as Mastodon finds one (its composer's `url_regex.js`, its
#: server's `StatusLengthValidator`, both after twitter-text): http:// or https:// always
#: (a bare `kuopio.fi/x` or `www.kuopio.fi` is plain text to Mastodon, counted whole), not
#: right after a letter, a digit or @ $ #; a host name ending in a top-level domain it knows
#: (`_COUNTRY_TLDS`, `_GENERIC_TLDS` or punycode); a port; a path whose brackets pair; a
#: query. A full stop, a comma or a bracket after it ends the sentence, not the address.
_TLD = "|".join(map(re.escape, sorted(_COUNTRY_TLDS | _GENERIC_TLDS, key=len, reverse=True)))
_PATH_CHAR = r"[^\s<>()?]"
_PAIRED = rf"\({_PATH_CHAR}+\)"
_PATH_END = r"[^\s<>()?!*\"'「」;:=,.$%\[\]~&|@]"
_URL = re.compile(
    r"(?<![a-z0-9@＠$#＃\u202a-\u202e])https?://"
    rf"(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:{_TLD}|xn--[a-z0-9-]+)(?![a-z0-9@+-])"
    r"(?::\d+)?"
    rf"(?:/(?:(?:{_PATH_CHAR}|{_PAIRED})*(?:{_PATH_END}|{_PAIRED}))?)?"
    r"(?:\?[\w!?*'();:&=+$/%#\[\]\-.,~|@^]*[\w&=#/-])?",
    re.IGNORECASE)
