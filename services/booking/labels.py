"""The booking service's translated words (fi/sv/en): one definition for the desk page and the
calendars."""

from __future__ import annotations

from typing import Any

#: What the public reads for a taken time in a space's calendar (who booked is never shown).
TAKEN = "Varattu / Bokad / Booked"
#: Before a self-service booking's door code in its calendar entry.
DOOR_CODE = "Ovikoodi / Dörrkod / Door code"

LABELS: dict[str, dict[str, Any]] = {
    "fi": {"title": "Varaustiski", "venue": "Toimipiste", "day": "Päivä",
           "pending": "Vahvistusta odottavat", "none": "Ei mitään.", "paid": "Maksullinen",
           "confirm": "Vahvista", "reject": "Hylkää", "reason": "syy", "today": "Varaukset",
           "check_in": "Saapunut", "stop": "Peru", "walk_in": "Pikavaraus tiskillä",
           "what": "Mitä", "space": "Tila", "start": "Alkaa", "minutes": "Kesto (min)",
           "organiser": "Järjestäjä", "email": "Sähköposti", "book": "Varaa",
           "week": "Viikko", "done": "Tehty.", "show": "Näytä", "sign_out": "Kirjaudu ulos",
           "weekdays": ["ma", "ti", "ke", "to", "pe", "la", "su"],
           "statuses": {"held": "pidossa", "requested": "odottaa", "confirmed": "vahvistettu",
                        "rejected": "hylätty", "cancelled": "peruttu", "expired": "vanhentunut",
                        "no_show": "ei saapunut"}},
    "sv": {"title": "Bokningsdisken", "venue": "Verksamhetsställe", "day": "Dag",
           "pending": "Väntar på bekräftelse", "none": "Inget.", "paid": "Avgiftsbelagd",
           "confirm": "Bekräfta", "reject": "Avslå", "reason": "orsak", "today": "Bokningar",
           "check_in": "Anlänt", "stop": "Avboka", "walk_in": "Snabbokning vid disken",
           "what": "Vad", "space": "Lokal", "start": "Börjar", "minutes": "Längd (min)",
           "organiser": "Arrangör", "email": "E-post", "book": "Boka", "week": "Vecka",
           "done": "Klart.", "show": "Visa", "sign_out": "Logga ut",
           "weekdays": ["mån", "tis", "ons", "tor", "fre", "lör", "sön"],
           "statuses": {"held": "reserverad", "requested": "väntar", "confirmed": "bekräftad",
                        "rejected": "avslagen", "cancelled": "avbokad", "expired": "förfallen",
                        "no_show": "kom inte"}},
    "en": {"title": "Booking desk", "venue": "Venue", "day": "Day",
           "pending": "Waiting for confirmation", "none": "Nothing.", "paid": "Paid",
           "confirm": "Confirm", "reject": "Reject", "reason": "reason", "today": "Bookings",
           "check_in": "Arrived", "stop": "Cancel", "walk_in": "Walk-in booking",
           "what": "What", "space": "Space", "start": "Starts", "minutes": "Length (min)",
           "organiser": "Organiser", "email": "Email", "book": "Book", "week": "Week",
           "done": "Done.", "show": "Show", "sign_out": "Sign out",
           "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
           "statuses": {"held": "held", "requested": "waiting", "confirmed": "confirmed",
                        "rejected": "rejected", "cancelled": "cancelled", "expired": "expired",
                        "no_show": "no-show"}},
}


def labels(lang: str) -> dict[str, Any]:
    return LABELS.get(lang, LABELS["fi"])
