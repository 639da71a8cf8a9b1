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
    place is where its own place name says, even when it keeps its venue (an edit moved it
    out of the library to the shore)."""
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
#: (Bluesky counts the graphemes of the text, addresses and all).
URL_CHARS: dict[str, int] = {"mastodon": 23}
#: A web address in a post's text as Mastodon finds one: http:// or https://, a host name
#: ending in a top-level domain of letters (not an IP address, not `localhost`: Mastodon
#: counts those whole, and so does `post_length`), a port, a path; a full stop or a bracket
#: after it ends the sentence, not the address.
_URL = re.compile(r"https?://(?:[\w-]+\.)+[^\W\d_]{2,}(?::\d+)?(?:[/?#][^\s<>\"]*)?")
_URL_END = ".,;:!?)]}'»”"
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
    a long event page's address as a short one)."""
    counted = URL_CHARS.get(platform)
    if counted is None:
        return len(text)
    length = len(text)
    for found in _URL.finditer(text):
        address = found.group().rstrip(_URL_END)
        length += counted - len(address)
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
