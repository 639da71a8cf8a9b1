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
    "fi": {"when": "Aika", "where": "Paikka", "area": "Alue", "online": "Verkossa",
           "join_online": "Osallistu verkossa", "price": "Hinta", "free": "Maksuton",
           "registration": "Ilmoittautuminen", "registration_required": "Ilmoittaudu ennakkoon",
           "no_registration": "Ei ennakkoilmoittautumista", "capacity": "Paikkoja",
           "places": "{n} paikkaa", "kind": "Toiminnan muoto", "topics": "Teemat",
           "audiences": "Kenelle", "ages": "Ikä", "languages": "Kieli",
           "accessibility": "Saavutettavuus", "organiser": "Järjestäjä",
           "reason": "Syy", "add_to_calendar": "Lisää kalenteriin",
           "back": "Takaisin kalenteriin", "languages_nav": "Kieli", "details": "Tiedot"},
    "sv": {"when": "Tid", "where": "Plats", "area": "Område", "online": "På nätet",
           "join_online": "Delta på nätet", "price": "Pris", "free": "Gratis",
           "registration": "Anmälan", "registration_required": "Anmäl dig på förhand",
           "no_registration": "Ingen förhandsanmälan", "capacity": "Platser",
           "places": "{n} platser", "kind": "Verksamhetsform", "topics": "Teman",
           "audiences": "För vem", "ages": "Ålder", "languages": "Språk",
           "accessibility": "Tillgänglighet", "organiser": "Arrangör", "reason": "Orsak",
           "add_to_calendar": "Lägg till i kalendern", "back": "Tillbaka till kalendern",
           "languages_nav": "Språk", "details": "Uppgifter"},
    "en": {"when": "When", "where": "Where", "area": "Area", "online": "Online",
           "join_online": "Join online", "price": "Price", "free": "Free",
           "registration": "Registration", "registration_required": "Register in advance",
           "no_registration": "No advance registration", "capacity": "Places",
           "places": "{n} places", "kind": "Kind of activity", "topics": "Themes",
           "audiences": "For whom", "ages": "Age", "languages": "Language",
           "accessibility": "Accessibility", "organiser": "Organiser", "reason": "Reason",
           "add_to_calendar": "Add to calendar", "back": "Back to the calendar",
           "languages_nav": "Language", "details": "Details"},
}

#: The calendar pages.
CALENDAR: dict[str, dict[str, Any]] = {
    "fi": {"title": "Asukastoiminnan kalenteri", "views": "Näkymät", "list": "Tulevat",
           "day": "Päivä", "week": "Viikko", "year": "Vuosikello", "date": "Päivä",
           "search": "Haku", "area": "Alue", "topic": "Teema", "audience": "Kenelle",
           "free": "Maksuton", "free_short": "maksuton", "all": "Kaikki", "show": "Näytä",
           "none": "Ei tapahtumia näillä valinnoilla.", "more": "Lisää",
           "upcoming": "Tulevat tapahtumat", "year_intro": "Mitä on tulossa, kuukausittain "
           "teemoittain ja alueittain.",
           "bad_query": "Hakua ei voitu tehdä näillä valinnoilla.",
           "kind": "Toiminnan muoto", "language": "Kieli",
           "accessible": "Saavutettavuus kerrottu", "all_day": "koko päivä",
           "previous_year": "Edellinen vuosi", "next_year": "Seuraava vuosi",
           "all_of_month": "Kaikki {n} tapahtumaa", "past_months": "Menneet kuukaudet",
           "events_n": "{n} tapahtumaa", "event_1": "1 tapahtuma", "filters": "Rajaa",
           "feeds": "Tilaa"},
    "sv": {"title": "Kalender för invånarverksamhet", "views": "Vyer", "list": "Kommande",
           "day": "Dag", "week": "Vecka", "year": "Årshjul", "date": "Dag", "search": "Sök",
           "area": "Område", "topic": "Tema", "audience": "För vem", "free": "Gratis",
           "free_short": "gratis", "all": "Alla", "show": "Visa",
           "none": "Inga evenemang med dessa val.", "more": "Fler",
           "upcoming": "Kommande evenemang", "year_intro": "Vad som är på gång, månad för "
           "månad, per tema och område.",
           "bad_query": "Sökningen kunde inte göras med dessa val.",
           "kind": "Verksamhetsform", "language": "Språk",
           "accessible": "Tillgänglighet angiven", "all_day": "hela dagen",
           "previous_year": "Föregående år", "next_year": "Nästa år",
           "all_of_month": "Alla {n} evenemang", "past_months": "Månader som gått",
           "events_n": "{n} evenemang", "event_1": "1 evenemang", "filters": "Avgränsa",
           "feeds": "Prenumerera"},
    "en": {"title": "Resident activity calendar", "views": "Views", "list": "Upcoming",
           "day": "Day", "week": "Week", "year": "Year ahead", "date": "Day",
           "search": "Search", "area": "Area", "topic": "Theme", "audience": "For whom",
           "free": "Free", "free_short": "free", "all": "All", "show": "Show",
           "none": "No events with these choices.", "more": "More",
           "upcoming": "Upcoming events", "year_intro": "What is coming, month by month, by "
           "theme and area.",
           "bad_query": "The search could not be made with these choices.",
           "kind": "Kind of activity", "language": "Language",
           "accessible": "Accessibility described", "all_day": "all day",
           "previous_year": "Previous year", "next_year": "Next year",
           "all_of_month": "All {n} events", "past_months": "Past months",
           "events_n": "{n} events", "event_1": "1 event", "filters": "Filter",
           "feeds": "Subscribe"},
}
