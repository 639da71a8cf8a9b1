"""Input bounds shared by every API: text a database can store, dates and times within the
years the platform plans for, integers that fit PostgreSQL's columns.

Pydantic types (pure, no FastAPI): request schemas and query parameters use them, so odd input
is refused at the edge with a 422 naming the field, never stored and never a 500.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from shared.errors import Invalid

#: Dates and times the platform takes: bookings, activities and reports of this century.
MIN_YEAR = 2000
MAX_YEAR = 2100

INT32_MAX = 2**31 - 1


def check_text(value: str) -> str:
    """Refuse what PostgreSQL's text cannot hold (NUL) and what UTF-8 cannot encode (lone
    surrogates, which JSON's \\ud800 escapes can produce)."""
    # `string_unicode`, pydantic's own kind for text that is not text: a page then asks to
    # write plain text, not only to "check this".
    if "\x00" in value:
        raise PydanticCustomError("string_unicode", "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("string_unicode",
                                  "must be valid Unicode text (no lone surrogates)") from None
    return value


def readable(text: str) -> bool:
    """Whether a person reads something in `text`: a letter, digit, punctuation or symbol
    (Unicode categories L, N, P, S). Spaces, controls, format characters (a zero-width
    space, a lone right-to-left override U+202E), private-use and unassigned code points and
    lone combining marks show nothing, or a box. One rule for every name, title and label a
    person gives (booking, events, notifications)."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


#: Characters that turn the direction of the text after them (U+202A–U+202E, U+2066–U+2069):
#: "\u202eabc" shows as "cba", and everything after it in a list reversed too.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def each_once(values: list[Any]) -> list[Any]:
    """A list whose values are each given once (a venue in ["fi", "fi"] would be said to
    speak Finnish twice, a board would show a kind twice): the schema's check, with
    `uniqueItems` in the document."""
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        # Its own kind, for the words a page or a message says it in (`shared.pages`).
        raise PydanticCustomError("repeated", "each value once: {repeated} is repeated",
                                  {"repeated": ", ".join(repeated)[:60]})
    return values


#: `each_once` as a schema takes it, saying so in the document.
EachOnce = (AfterValidator(each_once), Field(json_schema_extra={"uniqueItems": True}))


def name_refusals(value: Mapping[str, Any] | str | None, field: str = "name"
                  ) -> list[Invalid]:
    """A name with nothing a person reads (`readable`: only spaces, a zero-width space, a
    lone direction mark) in a language it is given in (`name.sv`), or as one text: it would
    be a blank line on a page, a board, a post and every list. One rule for venues, spaces,
    activities, boards and channels (`name_unreadable`); a name not given is another's to
    refuse."""
    given = {"": value} if isinstance(value, str) else dict(value or {})
    return [Invalid(f"{field}{'.' + lang if lang else ''} has nothing to read",
                    field=f"{field}.{lang}" if lang else field, code="name_unreadable")
            for lang, text in given.items()
            if isinstance(text, str) and (text or lang in ("", "fi")) and not readable(text)]


def plain_text(text: str, *, lines: bool = True) -> bool:
    """Whether a text a person gives shows as typed: no control character (C0, DEL, C1: an
    escape sequence colours a terminal, a backspace hides what it follows) but, where
    `lines`, line breaks and tabs; no lone surrogate (the database cannot keep one); no
    text-direction character (`BIDI_CONTROLS`); no noncharacter (U+FFFF, U+FDD0: Unicode
    keeps them out of text). The one rule, beside `readable`, of every title, name, label
    and text residents read, in every service (refused as `text_chars`). A code point not
    assigned yet is taken: a newer Unicode's (an emoji) than this runtime knows is one."""
    allowed = "\n\t" if lines else ""
    return not any((unicodedata.category(c) in ("Cc", "Cs") and c not in allowed)
                   or c in BIDI_CONTROLS or _noncharacter(c) for c in text)


def without_hidden(text: str, *, lines: bool = True) -> str:
    """`text` without the characters `plain_text` refuses (line breaks and tabs stay where
    `lines`, else each run of them is a space: a one-line input's words stay apart): what a
    form gives back after a `text_chars` refusal, to be checked and sent again, as nobody
    sees where they were."""
    text = text.replace("\r\n", "\n") if lines else re.sub(r"[\r\n\t]+", " ", text)
    return "".join(c for c in text if plain_text(c, lines=lines))


def _noncharacter(c: str) -> bool:
    point = ord(c)
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


#: A day as a link or a person writes it: ISO ("2026-12-06", what a date input sends) or the
#: Finnish way ("6.12.2026", what a page asks for where a browser shows no calendar).
_DAY_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
#: A moment's day, before its time ("2026-02-31T10:00+02:00").
_MOMENT_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]")
#: A moment at 24:00 ("2026-12-07T24:00:00+02:00"), in any way a moment is written
#: (`shared.openapi`'s): the end of a day as some write it, which no clock shows.
_AT_24 = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt _]24:00(?::00(?:[.,]0+)?)?"
                    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?")
#: The zone a moment without its offset is meant in (as `shared.clock`'s HELSINKI).
_CITY = ZoneInfo("Europe/Helsinki")


def no_such_day(year: int, month: int, day: int) -> PydanticCustomError:
    """The refusal of a day the calendar does not have (31.2.2026, 1.13.2026), its parts
    kept so it is said back the reader's way ("31.2.2026 ei ole olemassa oleva päivä",
    `shared.pages`), not as a year out of range or a text that is no date."""
    # pydantic fills a template's {names} only, no format specs: the day is written here.
    return PydanticCustomError("date_not_real", "{given} is no day of the calendar",
                               {"year": year, "month": month, "day": day,
                                "given": f"{year:04d}-{month:02d}-{day:02d}"})


def read_day(value: object) -> object:
    """A day's text as a date, or why it is none: a year outside the platform's (as
    `check_day`), a day the calendar does not have (`no_such_day`). A text of another shape
    is left to pydantic, which refuses it as no date (or reads a date it takes)."""
    if not isinstance(value, str):
        return value
    shaped = _DAY_TEXT.fullmatch(value.strip())
    if shaped is None:
        return value
    year, month, day = ((int(shaped[1]), int(shaped[2]), int(shaped[3])) if shaped[1]
                        else (int(shaped[6]), int(shaped[5]), int(shaped[4])))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise no_such_day(year, month, day) from None


def read_moment_day(value: object) -> object:
    """A moment whose day the calendar does not have ("2026-02-31T10:00+02:00") refused as
    that day (`no_such_day`), and one at 24:00 as a time no clock shows (`at_24`), not as a
    text that is no time; the rest is pydantic's."""
    if isinstance(value, str) and (shaped := _MOMENT_DAY.match(value.strip())):
        year, month, day = (int(part) for part in shaped.groups())
        try:
            date(year, month, day)
        except ValueError:
            if MIN_YEAR <= year <= MAX_YEAR:
                raise no_such_day(year, month, day) from None
    if isinstance(value, str) and (at_24 := _AT_24.fullmatch(value.strip())) is not None:
        try:
            day_of = date(int(at_24[1]), int(at_24[2]), int(at_24[3]))
        except ValueError:
            return value  # no day (said above) or the year 0: pydantic's words
        if (refused := at_24_refusal(day_of, at_24[4])) is not None:
            raise refused
    return value


def at_24_refusal(day: date, offset: str | None) -> PydanticCustomError | None:
    """The refusal of 24:00 of `day` (`offset` as given, if any): not a time of day, with
    the moment it means, 00:00 of the next day, written as the API takes it (`next`, the
    offset given or else the city's then) and its parts for a page (`shared.pages`). None
    when that next day is outside the platform's years: said as any such year is."""
    following = day + timedelta(days=1)
    if not MIN_YEAR <= following.year <= MAX_YEAR:
        return None
    if offset is None:
        offset = datetime.combine(following, time(), _CITY).strftime("%z")
    if offset in ("Z", "z"):
        offset = "Z"
    elif ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    return PydanticCustomError(
        "at_24", "24:00 is not a time of day: give 00:00 of the next day, {next}",
        {"next": f"{following.isoformat()}T00:00:00{offset}", "year": following.year,
         "month": following.month, "day": following.day})


def check_day(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


def check_moment(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


#: Text PostgreSQL can store: ``title: Str = Field(min_length=1, max_length=200)``.
Str = Annotated[str, AfterValidator(check_text)]

#: A calendar day in the platform's range of years, as ISO or the Finnish way (`read_day`).
Day = Annotated[date, BeforeValidator(read_day), AfterValidator(check_day)]


def blank_is_none(value: object) -> object:
    """A form's field left empty (`date=` from a cleared date picker) is a field not given."""
    return None if isinstance(value, str) and not value.strip() else value


#: A day a page's filter form may leave empty: empty is not given.
FormDay = Annotated[Day | None, BeforeValidator(blank_is_none)]
#: An aware moment in the platform's range of years.
Moment = Annotated[AwareDatetime, BeforeValidator(read_moment_day),
                   AfterValidator(check_moment)]
#: Integers that fit an int4 column.
Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]
#: A count of people, places or things.
Count = Annotated[int, Field(ge=0, le=1_000_000)]
