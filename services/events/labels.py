"""Every translated label of the events service's pages and feeds, defined once (fi/sv/en)."""

from __future__ import annotations

from typing import Any

LANGS = ("fi", "sv", "en")

#: A status in one word: feeds put it, capitalised, before the name ("PERUTTU: …").
STATUS_WORD: dict[str, dict[str, str]] = {
    "cancelled": {"fi": "Peruttu", "sv": "Inställt", "en": "Cancelled"},
    "postponed": {"fi": "Siirretty", "sv": "Uppskjutet", "en": "Postponed"},
    "rescheduled": {"fi": "Uusi aika", "sv": "Ny tid", "en": "New time"},
}
#: What the pages say of a status.
STATUS_TEXT: dict[str, dict[str, str]] = {
    "cancelled": STATUS_WORD["cancelled"],
    "postponed": {"fi": "Siirretty, uusi aika ilmoitetaan", "sv": "Uppskjutet, ny tid meddelas",
                  "en": "Postponed, new time to follow"},
    "rescheduled": STATUS_WORD["rescheduled"],
}
#: Statuses a feed's title shows before the name.
FEED_PREFIXED = ("cancelled", "postponed")


def status_prefix(status: str, lang: str) -> str | None:
    return STATUS_WORD[status][lang].upper() if status in FEED_PREFIXED else None


def status_text(status: str, lang: str) -> str | None:
    return STATUS_TEXT[status][lang] if status in STATUS_TEXT else None


CALENDAR_NAME = {"fi": "Kohtaamo – asukastoiminta", "sv": "Kohtaamo – invånarverksamhet",
                 "en": "Kohtaamo – resident activity"}

#: An event's page.
EVENT_PAGE: dict[str, dict[str, str]] = {
    "fi": {"when": "Aika", "where": "Paikka", "price": "Hinta",
           "free": "Maksuton, ei ilmoittautumista"},
    "sv": {"when": "Tid", "where": "Plats", "price": "Pris", "free": "Gratis, ingen anmälan"},
    "en": {"when": "When", "where": "Where", "price": "Price", "free": "Free, no registration"},
}

MONTHS = {
    "fi": ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu",
           "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
WEEKDAYS = {"fi": ["ma", "ti", "ke", "to", "pe", "la", "su"],
            "sv": ["mån", "tis", "ons", "tor", "fre", "lör", "sön"],
            "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}

#: The calendar pages.
CALENDAR: dict[str, dict[str, Any]] = {
    "fi": {"title": "Asukastoiminnan kalenteri", "views": "Näkymät", "list": "Tulevat",
           "day": "Päivä", "week": "Viikko", "year": "Vuosikello", "date": "Päivä",
           "search": "Haku", "area": "Alue", "topic": "Teema", "audience": "Kenelle",
           "free": "Maksuton", "free_short": "maksuton", "all": "Kaikki", "show": "Näytä",
           "none": "Ei tapahtumia näillä valinnoilla.", "more": "Lisää",
           "upcoming": "Tulevat tapahtumat", "year_intro": "Mitä on tulossa, kuukausittain "
           "teemoittain ja alueittain.",
           "bad_query": "Hakua ei voitu tehdä näillä valinnoilla."},
    "sv": {"title": "Kalender för invånarverksamhet", "views": "Vyer", "list": "Kommande",
           "day": "Dag", "week": "Vecka", "year": "Årshjul", "date": "Dag", "search": "Sök",
           "area": "Område", "topic": "Tema", "audience": "För vem", "free": "Gratis",
           "free_short": "gratis", "all": "Alla", "show": "Visa",
           "none": "Inga evenemang med dessa val.", "more": "Fler",
           "upcoming": "Kommande evenemang", "year_intro": "Vad som är på gång, månad för "
           "månad, per tema och område.",
           "bad_query": "Sökningen kunde inte göras med dessa val."},
    "en": {"title": "Resident activity calendar", "views": "Views", "list": "Upcoming",
           "day": "Day", "week": "Week", "year": "Year ahead", "date": "Day",
           "search": "Search", "area": "Area", "topic": "Theme", "audience": "For whom",
           "free": "Free", "free_short": "free", "all": "All", "show": "Show",
           "none": "No events with these choices.", "more": "More",
           "upcoming": "Upcoming events", "year_intro": "What is coming, month by month, by "
           "theme and area.",
           "bad_query": "The search could not be made with these choices."},
}
