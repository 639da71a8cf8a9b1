"""Dates, times, numbers, money and lists as Finnish, Swedish and English readers write them,
from the Unicode CLDR (Babel): "tiistai 1. joulukuuta", "18.00–19.30", "1 234,5", "5,00 €",
"a, b ja c". Every page, feed and board of the services formats through here."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit
from markupsafe import Markup, escape

from shared.clock import HELSINKI
from shared.ical import days  # one rule for the days an all-day entry covers

#: The CLDR locale of each language the city serves: Finland's Finnish and Swedish, and
#: British English (day before month, as readers in Finland expect).
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def text_in(value: Any, lang: str) -> str:
    """A fi/sv/en text (a `LocalizedText` as a mapping) in `lang`, Finnish where it has no
    translation, else whichever language it was written in (a desk's reason written in
    English only is read by a Finnish reader too), "" when there is none; never failing on
    odd stored data (not a mapping)."""
    return text_and_lang(value, lang)[0]


def code_words(code: str) -> str:
    """A code whose words were not told (yet), as words: `digital_help` → `Digital help`."""
    words = code.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else code


def term_words(label: Mapping[str, Any] | None, code: str, lang: str) -> str:
    """What a person reads for a code of the events service's vocabulary in `lang`, in every
    service that keeps a copy of its words (`vocabulary.term_set`): the words as told
    (`text_in`'s fallbacks), else the code as words until they arrive."""
    return (text_in(label, lang) if label else "").strip() or code_words(code)


def text_and_lang(value: Any, lang: str) -> tuple[str, str]:
    """`text_in`'s text and the language it is in: `lang` when it has its own, else the one
    it fell back to; ("", `lang`) when there is none."""
    if isinstance(value, Mapping):
        for code in (lang, "fi", "sv", "en"):
            if text := value.get(code):
                return str(text), code
    return "", lang


def text_html(value: Any, lang: str) -> Markup:
    """`text_in`'s text for a page in `lang`, escaped, and marked `<span lang="sv">…</span>`
    when it is in another language than the page, so a screen reader reads it with that
    language's voice (WCAG 3.1.2, Language of Parts)."""
    text, written = text_and_lang(value, lang)
    if not text or written == lang:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(written, text)


#: Parsed once: given a name, Babel parses it again on every call, a third of a formatting's
#: time (a board's feed formats a few hundred dates an answer).
_PARSED = {lang: Locale.parse(code) for lang, code in LOCALES.items()}


def locale(lang: str) -> Locale:
    return _PARSED.get(lang, _PARSED["fi"])


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


#: The few hundred days and clock times a year's pages show, each formatted once per language
#: (pure functions of their arguments; the caches stay small).
@lru_cache(maxsize=4096)
def day_full(day: date, lang: str) -> str:
    """"tiistai 1. joulukuuta 2026", "tisdag 1 december 2026", "Tuesday, 1 December 2026"."""
    return format_date(day, "full", locale=locale(lang))


def weekday_day(day: date, lang: str) -> str:
    """A day of the coming weeks without its year: "tiistai 1. joulukuuta", "tisdag 1
    december", "Tuesday 1 December"."""
    weekday = format_date(day, "cccc", locale=locale(lang))  # standing alone: "lauantai"
    return f"{weekday} {format_skeleton('MMMMd', day, locale=locale(lang))}"


def day_short(day: date, lang: str) -> str:
    """"1.12.", "1 dec.", "1 Dec"."""
    return format_skeleton("MMMd", day, locale=locale(lang))


def weekday_short(day: date, lang: str) -> str:
    """"pe 4.12.", "fre 4 dec.", "Fri 4 Dec": a short weekday and date (a board's slide)."""
    return format_skeleton("MMMEd", day, locale=locale(lang))


def day_numeric(day: date, lang: str) -> str:
    """"1.12.2026", "2026-12-01" in Swedish as Finland's Swedish writes it, "01/12/2026"
    (a spreadsheet's column; for a person reading a date in a text, `day_dated`)."""
    return format_date(day, "short", locale=locale(lang))


def day_dated(day: date, lang: str) -> str:
    """A date with its year in a line of text (a mail's subject, a deadline), short and read
    one way only: "1.12.2026", "2026-12-01", "1 Dec 2026". English is not written in numbers:
    "01/12/2026" is the 1st of December to a British reader, the 12th of January to an
    American one."""
    if lang == "en":
        return format_skeleton("yMMMd", day, locale=locale(lang))
    return day_numeric(day, lang)


def clock_time(moment: datetime | time, lang: str) -> str:
    """"18.00", "18:00"."""
    value = _local(moment).timetz() if isinstance(moment, datetime) else moment
    return format_time(value, "short", locale=locale(lang))


#: The word between a day and its time: "pe 4.12. klo 14.30", "fre 4 dec. kl. 14:30".
_AT = {"fi": "klo", "sv": "kl.", "en": "at"}


def day_and_time(moment: datetime, lang: str) -> str:
    """A moment of the coming days: "pe 4.12. klo 14.30", "fre 4 dec. kl. 14:30", "Fri 4 Dec
    at 14:30" (when a refused request may try again)."""
    local = _local(moment)
    return (f"{weekday_short(local.date(), lang)} {_AT.get(lang, 'klo')} "
            f"{clock_time(local, lang)}")


def date_and_time(moment: datetime, lang: str) -> str:
    """A moment with its full date, as a deadline is said: "13.12.2026 klo 3.14",
    "2026-12-13 kl. 03:14", "13 Dec 2026 at 03:14" (`day_dated`)."""
    local = _local(moment)
    return f"{day_dated(local.date(), lang)} {_AT.get(lang, 'klo')} {clock_time(local, lang)}"


def month_name(month: int, lang: str) -> str:
    """The month standing alone, capitalised as a heading: "Tammikuu", "Januari", "January"."""
    name = format_date(date(2000, month, 1), "LLLL", locale=locale(lang))
    return name[:1].upper() + name[1:]


def time_span(starts_at: datetime, ends_at: datetime, lang: str, *,
              all_day: bool = False) -> str:
    """When something happens, as a person reads it: a weekday, a date and the hours, or the
    dates only for an all-day activity."""
    if all_day:
        first, last = days(starts_at, ends_at)
        if first == last:
            return day_full(first, lang)
        return format_interval(first, last, "yMMMMd", locale=locale(lang))
    start, end = _local(starts_at), _local(ends_at)
    if start.date() == end.date():
        return f"{day_full(start.date(), lang)} {_hours(start.time(), end.time(), lang)}"
    return (f"{day_full(start.date(), lang)} {clock_time(start, lang)} – "
            f"{day_full(end.date(), lang)} {clock_time(end, lang)}")


@lru_cache(maxsize=4096)
def _hours(start: time, end: time, lang: str) -> str:
    """"18.00–19.30", "18:00–19:30"."""
    return format_interval(start, end, "Hm", locale=locale(lang))


def number(value: int | float | Decimal, lang: str, *, digits: int | None = None) -> str:
    """"1 234,5" in Finnish and Swedish, "1,234.5" in English."""
    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=locale(lang))


def hours(count: int | float | Decimal, lang: str) -> str:
    """A number of hours as the language says it, singular or plural by its own rule: "1
    tunti", "24 tuntia"; "1 timme", "2 timmar"; "1 hour", "1.5 hours"."""
    return format_unit(count, "duration-hour", length="long", locale=locale(lang))


def money(amount: Decimal | float, lang: str, currency: str = "EUR") -> str:
    """"5,00 €", "€5.00"."""
    return format_currency(amount, currency, locale=locale(lang))


def words(items: Iterable[str], lang: str,
          style: Literal["standard", "or", "unit"] = "standard") -> str:
    """"a, b ja c", "a, b och c", "a, b and c"."""
    listed = list(items)
    return format_list(listed, style=style, locale=locale(lang)) if listed else ""


def terms(items: Iterable[str], lang: str) -> str:
    """Vocabulary terms (topics, audiences) as one phrase: "Lapsiperheet ja lapset",
    "Families and children". The labels are written to stand alone, capitalised; after the
    first, a capitalised word is lowered, an acronym ("LGBTQ+") kept."""
    listed = list(items)
    return words(listed[:1] + [_lowered(t) for t in listed[1:]], lang)


def _lowered(term: str) -> str:
    return term[0].lower() + term[1:] if term[:1].isupper() and term[1:2].islower() else term


def day_range(first: date, last: date, lang: str) -> str:
    """"1.–7.12.2026", "1–7 dec. 2026", "1–7 Dec 2026"."""
    return format_interval(first, last, "yMMMd", locale=locale(lang))


#: Finnish and Swedish put å, ä and ö after z (in Swedish order); English readers file them
#: with a and o.
_NORDIC_ORDER = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003",
                               "æ": "z\u0002", "ø": "z\u0003"})


def collation_key(value: str, lang: str) -> str:
    """A key to sort names alphabetically as the reader's language does."""
    lowered = value.lower()
    if lang in ("fi", "sv"):
        return lowered.translate(_NORDIC_ORDER)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def language_name(code: str, lang: str) -> str:
    """"ruotsi", "svenska", "Swedish": a language as the reader's language names it (CLDR)."""
    try:
        return Locale.parse(locale(lang)).languages.get(code) or code
    except (ValueError, TypeError):
        return code


def sentence(text: str) -> str:
    """`text` ended as a sentence: with a full stop, unless it ends with one already (a
    Finnish short date, "24.12.", does)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."
