"""The Finnish public holidays on which libraries close (and Midsummer Eve and Christmas Eve,
which are not public holidays but on which they close too), with their names in fi/sv/en.

Pure: the standard library only, so the guide's domain (what residents mean by "juhannus")
and the booking service (the days a venue closes) count the same days."""

from __future__ import annotations

from datetime import date, timedelta


def easter(year: int) -> date:
    """Easter Sunday of `year` (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _saturday_from(year: int, month: int, first_day: int) -> date:
    """The Saturday of the seven days from `first_day`."""
    first = date(year, month, first_day)
    return first + timedelta(days=(5 - first.weekday()) % 7)


def midsummer_day(year: int) -> date:
    """Juhannuspäivä: the Saturday of 20–26 June (its eve is the Friday before)."""
    return _saturday_from(year, 6, 20)


def all_saints_day(year: int) -> date:
    """Pyhäinpäivä: the Saturday of 31 October – 6 November."""
    return _saturday_from(year, 10, 31)


def _names(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def closed_days(year: int) -> list[tuple[date, dict[str, str]]]:
    """The days of `year` on which Finnish libraries close, in date order, each with its
    name in fi/sv/en: the public holidays, Midsummer Eve and Christmas Eve."""
    sunday = easter(year)
    midsummer = midsummer_day(year)
    days = [
        (date(year, 1, 1), _names("uudenvuodenpäivä", "nyårsdagen", "New Year's Day")),
        (date(year, 1, 6), _names("loppiainen", "trettondagen", "Epiphany")),
        (sunday - timedelta(days=2), _names("pitkäperjantai", "långfredagen", "Good Friday")),
        (sunday, _names("pääsiäispäivä", "påskdagen", "Easter Sunday")),
        (sunday + timedelta(days=1),
         _names("2. pääsiäispäivä", "annandag påsk", "Easter Monday")),
        (date(year, 5, 1), _names("vappu", "första maj", "May Day")),
        (sunday + timedelta(days=39),
         _names("helatorstai", "Kristi himmelsfärds dag", "Ascension Day")),
        (sunday + timedelta(days=49), _names("helluntaipäivä", "pingstdagen", "Pentecost")),
        (midsummer - timedelta(days=1),
         _names("juhannusaatto", "midsommarafton", "Midsummer Eve")),
        (midsummer, _names("juhannuspäivä", "midsommardagen", "Midsummer Day")),
        (all_saints_day(year), _names("pyhäinpäivä", "alla helgons dag", "All Saints' Day")),
        (date(year, 12, 6),
         _names("itsenäisyyspäivä", "självständighetsdagen", "Independence Day")),
        (date(year, 12, 24), _names("jouluaatto", "julafton", "Christmas Eve")),
        (date(year, 12, 25), _names("joulupäivä", "juldagen", "Christmas Day")),
        (date(year, 12, 26), _names("tapaninpäivä", "annandag jul", "Boxing Day")),
    ]
    return sorted(days, key=lambda d: d[0])
