"""The booking service's translated words (fi/sv/en): one definition for the desk page and the
calendars, and the refusals of the booking rules in each language (`error_text`)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any

from services.booking.domain import said_minute
from shared.announcements import venue_place
from shared.areas import area_name
from shared.bounds import MAX_YEAR, MIN_YEAR, read_day
from shared.clock import HELSINKI, form_moment, typed_day
from shared.errors import DomainError, Invalid, Refusals
from shared.http import REFUSAL_TEXT
from shared.l10n import clock_time, day_and_time, day_short, number, words
from shared.pages import SKIP_TO_MAIN, no_such_day_text

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
           "skip_pending": "Siirry vahvistusta odottaviin",
           "skip_walk_in": "Siirry pikavaraukseen",
           "prev_day": "Edellinen päivä",
           "next_day": "Seuraava päivä", "prev_week": "Edellinen viikko",
           "next_week": "Seuraava viikko", "days": "Päivät", "weeks": "Viikot",
           "language": "Kieli", "optional": "valinnainen",
           "contact_language": "Viestien kieli", "title_language": "Nimen kieli",
           "email_hint": "Ilman osoitetta järjestäjälle ei lähetetä viestejä.",
           "phone_hint": "Tiski voi soittaa järjestäjälle, jos varaukseen tulee muutos.",
           "check_fields": "Tarkista merkityt kohdat: mitään ei varattu.",
           "check_move": "Tarkista merkityt kohdat: varausta ei siirretty.",
           "choose_space": "Valitse tila",
           "check_form": "Tarkista merkityt kohdat: mitään ei tallennettu.",
           "borrower": "Lainaaja", "borrower_name": "Lainaajan nimi",
           "borrower_phone": "Lainaajan puhelin", "borrower_email": "Lainaajan sähköposti",
           "borrower_hint": "Lainaajan nimi tarvitaan; puhelin tai sähköposti on"
                            " vapaaehtoinen, mutta sen avulla myöhästyneestä lainasta voi"
                            " muistuttaa. Varaukselle lainattaessa nimen voi jättää pois:"
                            " lainaaja on varauksen yhteyshenkilö.",
           "for_booking": "Varaukselle", "no_booking": "ei varausta",
           "unknown_borrower": "lainaaja ei tiedossa",
           "did_confirm": "Vahvistettu", "did_reject": "Hylätty", "did_cancel": "Peruttu",
           "confirm_series": "Vahvista koko sarja ({n} kertaa)",
           "did_confirm_series": {"one": "Sarja vahvistettu, 1 kerta",
                                  "other": "Sarja vahvistettu, {n} kertaa"},
           "series_none_requested": "Sarjassa ei ole enää vahvistusta odottavia kertoja.",
           "door_code": "Ovikoodi",
           "organiser_types": {"resident": "asukas", "association": "yhdistys tai yhteisö",
                               "party": "puolue", "religious": "uskonnollinen yhteisö",
                               "commercial": "yritys", "library": "kirjasto"},
           "shared_claim": "yhteistä toimintaa tasapuolisin mahdollisuuksin",
           "contact_at_library": "yhteyshenkilö {name}", "series_time": "sarjan kerta",
           "kind_when_asked": "{now} (pyydettäessä {then})",
           "kind_outside_now": "nyt aukioloaikojen ulkopuolella",
           "did_check_in": "Saapunut", "did_move": "Siirretty", "move": "Siirrä",
           "spaces": "Tilat ja säännöt", "save_rules": "Tallenna säännöt",
           "loans": "Lainattavat", "out": "Lainassa", "lend": "Lainaa",
           "resource": "Mitä", "quantity": "Määrä", "from": "Alkaen", "until": "Palautus",
           "overdue": "myöhässä", "return": "Palautettu", "cancel_loan": "Peru laina",
           "did_lend": "Lainattu", "did_returned": "Palautettu.",
           "did_cancelled": "Laina peruttu.", "of": "kpl",
           "add_resource": "Lisää lainattava", "name_fi": "Nimi suomeksi",
           "did_add_resource": "Lisätty",
           "price": "Hinta €/h (tyhjä: maksuton)",
           "confirmations": {"manual": "tiski vahvistaa", "automatic": "vahvistuu heti"},
           "rules": {"min_minutes": "Lyhin varaus (min)", "max_minutes": "Pisin varaus (min)",
                     "buffer_minutes": "Väli varausten välissä (min)",
                     "horizon_days": "Varattavissa enintään (päivää etukäteen)",
                     "max_open_requests": "Avoimia pyyntöjä enintään / järjestäjä",
                     "cancellation_hours": "Peruttava viimeistään (tuntia ennen)",
                     "hold_minutes": "Pito lomakkeen ajaksi (min)",
                     "checkin_minutes": "Saavuttava (min alusta)",
                     "price_per_hour": "Hinta", "confirmation": "Vahvistus",
                     "self_service": "Omatoimiaikana", "overnight": "Yön yli",
                     "checkin_required": "Saapuminen merkittävä"},
           "hours": "Aukioloajat", "weekly": "Viikoittaiset aukioloajat",
           "weekday": "Viikonpäivä", "opens": "Avautuu", "closes": "Sulkeutuu",
           "kind": "Aika", "kinds": {"staffed": "henkilökunta paikalla",
                                     "self_service": "omatoimiaika"},
           "save_hours": "Tallenna aukioloajat", "exceptions": "Poikkeukset",
           "add_exception": "Lisää poikkeus", "closed": "Suljettu koko päivän",
           "exception_reason": "Syy (näkyy asukkaille)", "saved": "Tallennettu.",
           "confirm_no_hours": "Kaikki rivit ovat tyhjiä: tallennus poistaisi kaikki"
                               " viikoittaiset aukioloajat, eikä tiloja voisi sen jälkeen"
                               " varata kuin poikkeuspäivinä. Poistetaanko kaikki"
                               " aukioloajat?",
           "remove_all_hours": "Poista kaikki aukioloajat",
           "keep_hours": "Säilytä nykyiset aukioloajat",
           "outside_saved": "Muutos jättää aukioloaikojen ulkopuolelle varauksia: {n}."
                            " Ne eivät peruuntuneet; siirrä tai peru ne (luettelo alla).",
           "outside_title": "Varaukset aukioloaikojen ulkopuolella",
           "outside_hint": "Nämä tulevat varaukset eivät enää osu aukioloaikoihin. Avaa"
                           " varaus päivänäkymässä ja siirrä tai peru se.",
           "remove_exception": "Poista poikkeus", "removed": "Poikkeus poistettu:",
           "holidays": "Juhlapyhät", "year": "Vuosi", "close_holidays": "Sulje juhlapyhinä",
           "holidays_hint": "Merkitsee toimipisteen suljetuksi koko päiväksi jokaisena vuoden"
                            " juhlapyhänä (myös juhannusaattona ja jouluaattona) tästä päivästä"
                            " alkaen; syyksi tulee pyhän nimi. Päivä, jolla on jo poikkeus,"
                            " pysyy ennallaan.",
           "holidays_done": "Juhlapyhät {year}: {added} päivää suljettu, {kept} ennallaan"
                            " (päivällä oli jo poikkeus).",
           "weekday_names": ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai",
                             "lauantai", "sunnuntai"], "empty_row": "(tyhjä rivi: ei käytössä)",
           "new_start": "Uusi alkuaika", "move_submit": "Siirrä varaus",
           "day_sheet": "Päivän lista tulostettavaksi",
           "arrived_col": "Saapui", "phone": "Puhelin", "back": "Takaisin tiskille",
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
           "skip_pending": "Hoppa till väntande förfrågningar",
           "skip_walk_in": "Hoppa till snabbokning",
           "prev_day": "Föregående dag",
           "next_day": "Nästa dag", "prev_week": "Föregående vecka",
           "next_week": "Nästa vecka", "days": "Dagar", "weeks": "Veckor",
           "language": "Språk", "optional": "frivillig",
           "contact_language": "Språk för meddelanden", "title_language": "Namnets språk",
           "email_hint": "Utan adress skickas inga meddelanden till arrangören.",
           "phone_hint": "Disken kan ringa arrangören om bokningen ändras.",
           "check_fields": "Kontrollera de markerade punkterna: inget bokades.",
           "check_move": "Kontrollera de markerade punkterna: bokningen flyttades inte.",
           "choose_space": "Välj lokal",
           "check_form": "Kontrollera de markerade punkterna: inget sparades.",
           "borrower": "Låntagare", "borrower_name": "Låntagarens namn",
           "borrower_phone": "Låntagarens telefon", "borrower_email": "Låntagarens e-post",
           "borrower_hint": "Låntagarens namn behövs; telefon eller e-post är frivilligt,"
                            " men med dem kan ett försenat lån påminnas om. Vid lån för en"
                            " bokning kan namnet lämnas bort: låntagaren är bokningens"
                            " kontaktperson.",
           "for_booking": "För bokningen", "no_booking": "ingen bokning",
           "unknown_borrower": "låntagaren okänd",
           "did_confirm": "Bekräftad", "did_reject": "Avslagen", "did_cancel": "Avbokad",
           "confirm_series": "Bekräfta hela serien ({n} gånger)",
           "did_confirm_series": {"one": "Serien bekräftad, 1 gång",
                                  "other": "Serien bekräftad, {n} gånger"},
           "series_none_requested": "Serien har inga fler tider som väntar på bekräftelse.",
           "door_code": "Dörrkod",
           "organiser_types": {"resident": "invånare", "association": "förening",
                               "party": "parti", "religious": "religiöst samfund",
                               "commercial": "företag", "library": "bibliotek"},
           "shared_claim": "gemensam verksamhet med samma möjligheter för alla",
           "contact_at_library": "kontaktperson {name}", "series_time": "en gång i en serie",
           "kind_when_asked": "{now} (när den begärdes: {then})",
           "kind_outside_now": "nu utanför öppettiderna",
           "did_check_in": "Anlänt", "did_move": "Flyttad", "move": "Flytta",
           "spaces": "Lokaler och regler", "save_rules": "Spara reglerna",
           "loans": "Utlåning", "out": "Utlånat", "lend": "Låna ut", "resource": "Vad",
           "quantity": "Antal", "from": "Från", "until": "Återlämnas", "overdue": "försenad",
           "return": "Återlämnad", "cancel_loan": "Avbryt lånet", "did_lend": "Utlånat",
           "did_returned": "Återlämnad.", "did_cancelled": "Lånet avbrutet.", "of": "st.",
           "add_resource": "Lägg till något att låna ut", "name_fi": "Namn på finska",
           "did_add_resource": "Tillagt",
           "price": "Pris €/h (tomt: avgiftsfritt)",
           "confirmations": {"manual": "disken bekräftar", "automatic": "bekräftas direkt"},
           "rules": {"min_minutes": "Kortaste bokning (min)",
                     "max_minutes": "Längsta bokning (min)",
                     "buffer_minutes": "Mellanrum mellan bokningar (min)",
                     "horizon_days": "Bokningsbar högst (dagar i förväg)",
                     "max_open_requests": "Öppna förfrågningar högst / arrangör",
                     "cancellation_hours": "Avbokas senast (timmar före)",
                     "hold_minutes": "Reservation medan formuläret fylls i (min)",
                     "checkin_minutes": "Ankomst senast (min efter start)",
                     "price_per_hour": "Pris", "confirmation": "Bekräftelse",
                     "self_service": "Under meröppet", "overnight": "Över natten",
                     "checkin_required": "Ankomst ska markeras"},
           "hours": "Öppettider", "weekly": "Öppettider per vecka", "weekday": "Veckodag",
           "opens": "Öppnar", "closes": "Stänger", "kind": "Tid",
           "kinds": {"staffed": "bemannad tid", "self_service": "meröppet"},
           "save_hours": "Spara öppettiderna", "exceptions": "Avvikelser",
           "add_exception": "Lägg till avvikelse", "closed": "Stängt hela dagen",
           "exception_reason": "Orsak (syns för invånarna)", "saved": "Sparat.",
           "confirm_no_hours": "Alla rader är tomma: att spara skulle ta bort alla"
                               " öppettider per vecka, och lokalerna kunde därefter bokas"
                               " bara på avvikande dagar. Ta bort alla öppettider?",
           "remove_all_hours": "Ta bort alla öppettider",
           "keep_hours": "Behåll nuvarande öppettider",
           "outside_saved": "Ändringen lämnar bokningar utanför öppettiderna: {n}."
                            " De har inte avbokats; flytta eller avboka dem (listan nedan).",
           "outside_title": "Bokningar utanför öppettiderna",
           "outside_hint": "Dessa kommande bokningar ryms inte längre inom öppettiderna."
                           " Öppna bokningen i dagsvyn och flytta eller avboka den.",
           "remove_exception": "Ta bort avvikelsen", "removed": "Avvikelsen borttagen:",
           "holidays": "Helgdagar", "year": "År", "close_holidays": "Stäng på helgdagarna",
           "holidays_hint": "Lägger till en stängning hela dagen för varje helgdag under året"
                            " (även midsommarafton och julafton) från och med i dag, med"
                            " helgdagens namn som orsak. En dag som redan har en avvikelse"
                            " lämnas som den är.",
           "holidays_done": "Helgdagar {year}: {added} dagar stängda, {kept} oförändrade"
                            " (dagen hade redan en avvikelse).",
           "weekday_names": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag",
                             "söndag"], "empty_row": "(tom rad: används inte)",
           "new_start": "Ny starttid", "move_submit": "Flytta bokningen",
           "day_sheet": "Dagens lista för utskrift",
           "arrived_col": "Kom", "phone": "Telefon", "back": "Tillbaka till disken",
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
           "skip_pending": "Skip to requests waiting for confirmation",
           "skip_walk_in": "Skip to walk-in booking",
           "prev_day": "Previous day",
           "next_day": "Next day", "prev_week": "Previous week",
           "next_week": "Next week", "days": "Days", "weeks": "Weeks",
           "language": "Language", "optional": "optional",
           "contact_language": "Language of messages",
           "title_language": "Language of the name",
           "email_hint": "Without an address, nothing is sent to the organiser.",
           "phone_hint": "The desk can call the organiser if the booking changes.",
           "check_fields": "Please check the marked fields: nothing was booked.",
           "check_move": "Please check the marked fields: the booking was not moved.",
           "choose_space": "Choose a space",
           "check_form": "Please check the marked fields: nothing was saved.",
           "borrower": "Borrower", "borrower_name": "Borrower's name",
           "borrower_phone": "Borrower's phone", "borrower_email": "Borrower's email",
           "borrower_hint": "The borrower's name is needed; a phone or email is"
                            " optional, but with one an overdue loan can be followed up."
                            " Lending for a booking, the name can be left out: the"
                            " booking's contact borrows.",
           "for_booking": "For the booking", "no_booking": "no booking",
           "unknown_borrower": "borrower not known",
           "did_confirm": "Confirmed", "did_reject": "Rejected", "did_cancel": "Cancelled",
           "confirm_series": "Confirm the whole series ({n} times)",
           "did_confirm_series": {"one": "Series confirmed, 1 time",
                                  "other": "Series confirmed, {n} times"},
           "series_none_requested": "The series has no more times waiting for confirmation.",
           "door_code": "Door code",
           "organiser_types": {"resident": "resident", "association": "association",
                               "party": "party", "religious": "religious community",
                               "commercial": "business", "library": "library"},
           "shared_claim": "shared activity with equal opportunity for all",
           "contact_at_library": "contact person {name}", "series_time": "one time of a series",
           "kind_when_asked": "{now} (when requested: {then})",
           "kind_outside_now": "now outside opening hours",
           "did_check_in": "Arrived", "did_move": "Moved", "move": "Move",
           "spaces": "Spaces and rules", "save_rules": "Save the rules",
           "loans": "Lending", "out": "Out on loan", "lend": "Lend", "resource": "What",
           "quantity": "How many", "from": "From", "until": "Back by", "overdue": "overdue",
           "return": "Returned", "cancel_loan": "Cancel the loan", "did_lend": "Lent",
           "did_returned": "Returned.", "did_cancelled": "Loan cancelled.", "of": "pcs",
           "add_resource": "Add something to lend", "name_fi": "Name in Finnish",
           "did_add_resource": "Added",
           "price": "Price €/h (empty: free)",
           "confirmations": {"manual": "the desk confirms", "automatic": "confirmed at once"},
           "rules": {"min_minutes": "Shortest booking (min)",
                     "max_minutes": "Longest booking (min)",
                     "buffer_minutes": "Gap between bookings (min)",
                     "horizon_days": "Bookable at most (days ahead)",
                     "max_open_requests": "Open requests at most / organiser",
                     "cancellation_hours": "Cancel at the latest (hours before)",
                     "hold_minutes": "Held while the form is filled in (min)",
                     "checkin_minutes": "Arrive within (min of the start)",
                     "price_per_hour": "Price", "confirmation": "Confirmation",
                     "self_service": "In self-service hours", "overnight": "Overnight",
                     "checkin_required": "Arrival must be marked"},
           "hours": "Opening hours", "weekly": "Weekly opening hours", "weekday": "Weekday",
           "opens": "Opens", "closes": "Closes", "kind": "Hours",
           "kinds": {"staffed": "staffed", "self_service": "self-service"},
           "save_hours": "Save the opening hours", "exceptions": "Exceptions",
           "add_exception": "Add an exception", "closed": "Closed all day",
           "exception_reason": "Reason (residents see it)", "saved": "Saved.",
           "confirm_no_hours": "Every row is empty: saving would remove all the weekly"
                               " opening hours, and the spaces could then be booked only"
                               " on days with exceptions. Remove all opening hours?",
           "remove_all_hours": "Remove all opening hours",
           "keep_hours": "Keep the current hours",
           "outside_saved": "The change leaves bookings outside opening hours: {n}."
                            " They have not been cancelled; move or cancel them (listed"
                            " below).",
           "outside_title": "Bookings outside opening hours",
           "outside_hint": "These coming bookings no longer fall within opening hours. Open"
                           " the booking in the day view and move or cancel it.",
           "remove_exception": "Remove the exception", "removed": "Exception removed:",
           "holidays": "Public holidays", "year": "Year",
           "close_holidays": "Close on public holidays",
           "holidays_hint": "Adds a closure for the whole day on each public holiday of the"
                            " year (Midsummer Eve and Christmas Eve too) from today on, with"
                            " the holiday's name as the reason. A day that already has an"
                            " exception is left as it is.",
           "holidays_done": "Public holidays {year}: {added} days closed, {kept} left as they"
                            " were (the day already had an exception).",
           "weekday_names": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                             "Saturday", "Sunday"], "empty_row": "(empty row: not used)",
           "new_start": "New start", "move_submit": "Move the booking",
           "day_sheet": "The day's list to print",
           "arrived_col": "Arrived", "phone": "Phone", "back": "Back to the desk",
           "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
           "statuses": {"held": "held", "requested": "waiting", "confirmed": "confirmed",
                        "rejected": "rejected", "cancelled": "cancelled", "expired": "expired",
                        "no_show": "no-show"}},
}
# The skip link says what every service's pages say (`shared.pages.SKIP_TO_MAIN`).
for _lang, _said in SKIP_TO_MAIN.items():
    LABELS[_lang]["skip_content"] = _said


def labels(lang: str) -> dict[str, Any]:
    return LABELS.get(lang, LABELS["fi"])


# --- times as each language writes them --------------------------------------------------------


def hours(starts_at: datetime, ends_at: datetime, lang: str) -> str:
    """"15.00–16.00" (fi), "15:00–16:00" (sv, en); a time over midnight names both days."""
    start, end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    if start.date() == end.date():
        return f"{clock_time(start, lang)}–{clock_time(end, lang)}"
    return (f"{day_short(start.date(), lang)} {clock_time(start, lang)}–"
            f"{day_short(end.date(), lang)} {clock_time(end, lang)}")


def place(venue_name: Mapping[str, Any] | None, space_name: Mapping[str, Any] | None,
          lang: str) -> str:
    """Where a booking (or a space) is, as every booking page, list and calendar entry says
    it: the venue first, then its space ("KANTTI, Kokoussali"), each in `lang` where it has
    that name; the one order the events pages and the channels say a place in
    (`shared.announcements.venue_place`)."""
    return venue_place(venue_name or {}, space_name, lang)


def day_and_hours(starts_at: datetime, ends_at: datetime, lang: str) -> str:
    """"3.12. 15.00–16.00", "3 dec. 15:00–16:00", "3 Dec 15:00–16:00"; a time over
    midnight says each day once, by its hours ("6.12. 23.30–7.12. 0.00"), where the first
    day was said twice."""
    if starts_at.astimezone(HELSINKI).date() != ends_at.astimezone(HELSINKI).date():
        return hours(starts_at, ends_at, lang)
    return f"{day_short(starts_at.astimezone(HELSINKI).date(), lang)} " \
           f"{hours(starts_at, ends_at, lang)}"


# --- the booking rules' refusals -----------------------------------------------------------------

#: What a refusal says, by the `code` in its details (services/booking/domain.py and usecases/
#: raise them with the English `message` the JSON API returns). `{name}`s are filled from the
#: details by `PLACEHOLDERS`; `{conflicts}` and `{hours}` bring their own " (...)" or nothing.
ERRORS: dict[str, dict[str, str]] = {
    "taken": {
        "fi": "Tila on jo varattu tuohon aikaan{conflicts}.",
        "sv": "Lokalen är redan bokad för den tiden{conflicts}.",
        "en": "The space is already booked for that time{conflicts}."},
    "closed": {
        "fi": "Tilan voi varata vain sen aukioloaikoina{hours}.",
        "sv": "Lokalen kan bokas bara under öppettiderna{hours}.",
        "en": "The space can be booked only within its opening hours{hours}."},
    "past": {
        "fi": "Varaus ei voi alkaa menneisyydessä.",
        "sv": "Bokningen kan inte börja i det förflutna.",
        "en": "The booking cannot start in the past."},
    "too_short": {
        "fi": "Tämän tilan varauksen on kestettävä vähintään {min_minutes} minuuttia.",
        "sv": "En bokning av den här lokalen måste vara minst {min_minutes} minuter lång.",
        "en": "A booking of this space must be at least {min_minutes} minutes long."},
    "too_long": {
        "fi": "Tämän tilan varaus saa kestää enintään {max_minutes} minuuttia.",
        "sv": "En bokning av den här lokalen får vara högst {max_minutes} minuter lång.",
        "en": "A booking of this space may be at most {max_minutes} minutes long."},
    "horizon": {
        "fi": "Tämän tilan voi varata enintään {horizon_days} päivää etukäteen.",
        "sv": "Den här lokalen kan bokas högst {horizon_days} dagar i förväg.",
        "en": "This space can be booked at most {horizon_days} days ahead."},
    "no_offset": {
        "fi": "Ajasta puuttuu aikavyöhyke.",
        "sv": "Tiden saknar tidszon.",
        "en": "The time has no time zone."},
    "ends_before_start": {
        "fi": "Varauksen on päätyttävä alkamisensa jälkeen.",
        "sv": "Bokningen måste sluta efter att den börjar.",
        "en": "The booking must end after it starts."},
    "open_requests": {
        "fi": "Avoimia pyyntöjä on jo {open_requests}; tähän tilaan niitä saa olla enintään"
              " {max_open_requests}.",
        "sv": "Antalet öppna förfrågningar är redan {open_requests}; högst"
              " {max_open_requests} tillåts för den här lokalen.",
        "en": "Open requests already: {open_requests}; this space allows at most"
              " {max_open_requests}."},
    "house_rules": {
        "fi": "Talon säännöt on hyväksyttävä: tilaisuus on laillinen ja päihteetön.",
        "sv": "Husets regler måste godkännas: evenemanget är lagligt och drogfritt.",
        "en": "The house rules must be accepted: the event is lawful and substance-free."},
    "organiser_type": {
        "fi": "Järjestäjän tyyppi ei kelpaa.",
        "sv": "Arrangörstypen är inte giltig.",
        "en": "The organiser type is not valid."},
    "partisan": {
        "fi": "Kirjasto järjestää yhteistyössä vain puoluepoliittisesti sitoutumatonta ja"
              " ei-kaupallista toimintaa; puolue, uskonnollinen tai kaupallinen järjestäjä"
              " vuokraa maksullisen tilan (pääkirjasto) tai osallistuu yhteiseen, kaikille"
              " tasapuoliseen toimintaan.",
        "sv": "Biblioteket samarrangerar bara partipolitiskt obunden och icke-kommersiell"
              " verksamhet; en partipolitisk, religiös eller kommersiell arrangör hyr en"
              " avgiftsbelagd lokal (huvudbiblioteket) eller deltar i gemensam verksamhet som"
              " ger alla samma möjligheter.",
        "en": "The library co-organises only non-partisan, non-commercial activity; a party,"
              " religious or commercial organiser rents paid space (main library) or takes"
              " part in shared activity that gives every party equal opportunity."},
    "library_contact": {
        "fi": "Kirjaston kanssa yhteistyössä järjestettävä tilaisuus tarvitsee kirjaston"
              " yhteyshenkilön.",
        "sv": "Ett evenemang i samarbete med biblioteket behöver en kontaktperson på"
              " biblioteket.",
        "en": "An event run in cooperation with the library needs the library's contact"
              " person."},
    "no_paid_space": {
        "fi": "Tässä kirjastossa ei ole maksullisia tiloja: toiminta on maksutonta ja"
              " järjestetään yhteistyössä kirjaston kanssa.",
        "sv": "Det här biblioteket har inga avgiftsbelagda lokaler: verksamheten är"
              " avgiftsfri och ordnas i samarbete med biblioteket.",
        "en": "This library has no paid space: activity here is free and run in cooperation"
              " with the library."},
    "cooperation_only": {
        "fi": "Tämä tila on maksuton vain kirjaston kanssa yhteistyössä järjestettäville"
              " tilaisuuksille.",
        "sv": "Den här lokalen är avgiftsfri bara för evenemang i samarbete med biblioteket.",
        "en": "This space is free only for events run in cooperation with the library."},
    "no_price": {
        "fi": "Tälle tilalle ei ole asetettu hintaa; kysy tiskiltä.",
        "sv": "Den här lokalen har inget pris; fråga vid disken.",
        "en": "This space has no price set; ask the desk."},
    "held": {
        "fi": "Pidossa oleva aika ei ole vielä pyyntö: järjestäjä lähettää sen ensin.",
        "sv": "En reserverad tid är ännu ingen förfrågan: arrangören skickar in den först.",
        "en": "A held slot is not a request yet: the organiser submits it first."},
    "status": {
        "fi": "Varauksen tila on jo ”{status}”, joten tätä muutosta ei voi tehdä.",
        "sv": "Bokningens status är redan ”{status}”, så ändringen kan inte göras.",
        "en": "The booking is already “{status}”, so this change cannot be made."},
    "check_in_status": {
        "fi": "Vain vahvistetun varauksen voi merkitä saapuneeksi; tämän tila on ”{status}”.",
        "sv": "Bara en bekräftad bokning kan markeras som anländ; den här är ”{status}”.",
        "en": "Only a confirmed booking can be marked arrived; this one is “{status}”."},
    "check_in_ended": {
        "fi": "Varaus on jo päättynyt; sitä ei voi enää merkitä saapuneeksi.",
        "sv": "Bokningen har redan slutat; den kan inte längre markeras som anländ.",
        "en": "The booking has ended; it can no longer be marked arrived."},
    "check_in_early": {
        "fi": "Saapuneeksi voi merkitä aikaisintaan tuntia ennen varauksen alkua.",
        "sv": "Ankomst kan markeras tidigast en timme innan bokningen börjar.",
        "en": "Arrival can be marked at the earliest an hour before the booking starts."},
    "not_held": {
        "fi": "Vain pidossa olevan ajan voi lähettää pyyntönä; tämän tila on ”{status}”.",
        "sv": "Bara en reserverad tid kan skickas in; den här är ”{status}”.",
        "en": "Only a held slot can be submitted; this one is “{status}”."},
    "hold_expired": {
        "fi": "Ajan pito on päättynyt; valitse aika uudelleen.",
        "sv": "Reservationen har gått ut; välj tiden igen.",
        "en": "The hold has expired; choose the time again."},
    "deadline": {
        "fi": "Peruutusaika ({cancellation_hours} h ennen alkua, {deadline}) on mennyt; ota"
              " yhteyttä kirjaston tiskiin.",
        "sv": "Avbokningstiden ({cancellation_hours} h före början, {deadline}) har gått ut;"
              " kontakta bibliotekets disk.",
        "en": "The cancellation deadline ({cancellation_hours} h before the start, {deadline})"
              " has passed; please contact the library desk."},
    "booking_changed": {
        "fi": "Varausta on muutettu välillä: nyt {now}. Siirtoa ei tehty; katso varaus"
              " ja siirrä uudelleen, jos tarpeen.",
        "sv": "Bokningen har ändrats under tiden: nu {now}. Den flyttades inte; se bokningen"
              " och flytta den igen vid behov.",
        "en": "The booking was changed meanwhile: now {now}. It was not moved; look at the"
              " booking and move it again if needed."},
    "form_outdated": {
        "fi": "Lomake oli vanhentunut, joten siirtoa ei tehty. Sivu on nyt ladattu"
              " uudelleen ajan tasalle; siirrä varaus uudelleen, jos tarpeen.",
        "sv": "Formuläret var föråldrat, så bokningen flyttades inte. Sidan har nu laddats"
              " om; flytta bokningen igen vid behov.",
        "en": "The form was out of date, so nothing was moved. The page has now been"
              " reloaded; move the booking again if needed."},
    "series_changed": {
        "fi": "Sarja on muuttunut sen jälkeen, kun sen kerrat näytettiin; mitään ei peruttu."
              " Vahvista uudelleen kerrat sellaisina kuin ne nyt ovat.",
        "sv": "Serien har ändrats sedan dess gånger visades; ingenting avbokades. Bekräfta"
              " igen gångerna så som de är nu.",
        "en": "The series has changed since its times were shown; nothing was cancelled."
              " Confirm again the times as they are now."},
    "busy": {
        "fi": "Varausjärjestelmä on juuri nyt kiireinen; yritä uudelleen.",
        "sv": "Bokningssystemet är upptaget just nu; försök igen.",
        "en": "The booking system is busy; please try again."},
    "sign_in": {
        "fi": "Kirjaudu ensin sisään.",
        "sv": "Logga in först.",
        "en": "Sign in first."},
    "not_your_venue": {
        "fi": "Tiskin henkilökunta voi toimia vain omissa toimipisteissään.",
        "sv": "Diskpersonalen kan bara agera för sina egna verksamhetsställen.",
        "en": "Desk staff act only for their own venues."},
    "no_name": {
        "fi": "Anna nimi suomeksi.",
        "sv": "Ge ett namn på finska.",
        "en": "Give a name in Finnish."},
    "loan_short": {
        "fi": "Koko ajaksi vapaana on vain {available}.",
        "sv": "För hela tiden är bara {available} lediga.",
        "en": "Only {available} are free for that whole time."},
    "rule_bounds": {
        "fi": "Arvon pitää olla välillä {low}–{high}.",
        "sv": "Värdet ska vara mellan {low} och {high}.",
        "en": "The value must be between {low} and {high}."},
    "rule_lengths": {
        "fi": "Pisin varaus ei voi olla lyhyempi kuin lyhin.",
        "sv": "Den längsta bokningen kan inte vara kortare än den kortaste.",
        "en": "The longest booking cannot be shorter than the shortest."},
    "hours_order": {
        "fi": "Sulkemisajan pitää olla avaamisajan jälkeen.",
        "sv": "Stängningstiden måste vara efter öppningstiden.",
        "en": "The closing time must be after the opening time."},
    "hours_local": {
        "fi": "Anna aika Suomen aikana, ilman aikavyöhykettä (esim. 10:00).",
        "sv": "Ange tiden i finsk tid, utan tidszon (t.ex. 10:00).",
        "en": "Give the time in Finnish time, without a time zone (e.g. 10:00)."},
    "hours_open_times": {
        "fi": "Anna avaamis- ja sulkemisaika, tai rastita ”Suljettu koko päivän”.",
        "sv": "Ange öppnings- och stängningstid, eller kryssa för ”Stängt hela dagen”.",
        "en": "Give the opening and closing times, or tick “Closed all day”."},
    "day_past": {
        "fi": "Päivän pitää olla tänään tai myöhemmin.",
        "sv": "Dagen måste vara i dag eller senare.",
        "en": "The day must be today or later."},
    "hours_closed": {
        "fi": "Koko päivän suljetulla päivällä ei ole aukioloaikaa: poista rasti tai"
              " tyhjennä ajat.",
        "sv": "En dag som är stängd hela dagen har inga öppettider: ta bort krysset eller"
              " töm tiderna.",
        "en": "A day closed all day has no opening times: untick the box or empty the"
              " times."},
    "holiday_year": {
        "fi": "Valitse tämä tai ensi vuosi.",
        "sv": "Välj i år eller nästa år.",
        "en": "Choose this year or next year."},
    "day_years": {
        "fi": "Anna päivä vuosilta 2000–2100.",
        "sv": "Ange en dag åren 2000–2100.",
        "en": "Give a date in the years 2000–2100."},
    "day_format": {
        "fi": "Valitse päivä kalenterista tai kirjoita se muodossa 24.12.2026.",
        "sv": "Välj dagen i kalendern eller skriv den som 24.12.2026 eller 2026-12-24.",
        "en": "Choose the day from the calendar or type it as 24.12.2026 or 2026-12-24."},
    "hours_closed_box": {
        "fi": "Rastita ruutu tai jätä se tyhjäksi.",
        "sv": "Kryssa i rutan eller lämna den tom.",
        "en": "Tick the box or leave it empty."},
    "reason_long": {
        "fi": "Syy voi olla enintään {high} merkkiä.",
        "sv": "Orsaken får vara högst {high} tecken.",
        "en": "The reason can be at most {high} characters."},
    "reason_unreadable": {
        "fi": "Syyssä ei ole luettavaa tekstiä tai siinä on merkkejä, jotka eivät näy"
              " asukkaille; kirjoita syy kirjaimin tai jätä kenttä tyhjäksi.",
        "sv": "Orsaken har ingen läsbar text eller tecken som invånarna inte ser; skriv"
              " orsaken med bokstäver eller lämna fältet tomt.",
        "en": "The reason has no text to read, or characters residents cannot see; write"
              " the reason in letters or leave the field empty."},
    "reason_empty": {
        "fi": "Kirjoita syy tai jätä kenttä tyhjäksi.",
        "sv": "Skriv orsaken eller lämna fältet tomt.",
        "en": "Write the reason or leave the field empty."},
    "hours_time": {
        "fi": "Anna kellonaika muodossa 10.00 tai 10:00.",
        "sv": "Ange klockslaget som 10:00 eller 10.00.",
        "en": "Give the time as 10:00 or 10.00."},
    "no_exception": {
        "fi": "Tälle päivälle ei ole poikkeusta.",
        "sv": "Den dagen har ingen avvikelse.",
        "en": "That day has no exception."},
    "hours_both": {
        "fi": "Anna sekä avautumis- että sulkemisaika, tai jätä rivin ajat tyhjiksi.",
        "sv": "Ange både öppnings- och stängningstid, eller lämna radens tider tomma.",
        "en": "Give both the opening and the closing time, or leave the row's times empty."},
    "choice_not_offered": {
        "fi": "Valinta ei ole mikään tarjotuista: valitse jokin luettelon vaihtoehdoista.",
        "sv": "Valet är inte ett av dem som erbjuds: välj ett alternativ i listan.",
        "en": "The choice is not one of those offered: choose one from the list."},
    "hours_kind": {
        "fi": "Valitse viikonpäivä ja onko paikalla henkilökuntaa vai omatoimiaika.",
        "sv": "Välj veckodag och om det är bemannad tid eller meröppet.",
        "en": "Choose a weekday, and staffed or self-service hours."},
    "no_venues": {
        "fi": "Et ole minkään toimipisteen tiskihenkilökuntaa.",
        "sv": "Du hör inte till diskpersonalen på något verksamhetsställe.",
        "en": "You are not desk staff of any venue."},
    "no_space": {
        "fi": "Tilaa ei löydy.",
        "sv": "Lokalen finns inte.",
        "en": "No such space."},
    "no_booking": {
        "fi": "Varausta ei löydy.",
        "sv": "Bokningen finns inte.",
        "en": "No such booking."},
    "not_yours": {
        "fi": "Tämä varaus ei ole sinun.",
        "sv": "Den här bokningen är inte din.",
        "en": "This booking is not yours."},
    "desk_only": {
        "fi": "Vain toimipisteen tiskihenkilökunta voi tehdä tämän.",
        "sv": "Bara verksamhetsställets diskpersonal kan göra detta.",
        "en": "Only the venue's desk staff can do this."},
    "organiser_name": {  # blank or too long, as a title is said
        "fi": "Anna järjestäjän nimi (enintään 200 merkkiä).",
        "sv": "Ange arrangörens namn (högst 200 tecken).",
        "en": "Give the organiser's name (at most 200 characters)."},
    "reason": {
        "fi": "Anna syy; se kerrotaan järjestäjälle.",
        "sv": "Ange en orsak; den meddelas arrangören.",
        "en": "Give a reason; the organiser is told it."},
    "move_same": {
        "fi": "Varauksella on jo tämä aika, joten mikään ei muuttunut: valitse uusi aika.",
        "sv": "Bokningen har redan den tiden, så inget ändrades: välj en ny tid.",
        "en": "The booking already has that time, so nothing changed: choose a new time."},
    "minutes": {
        "fi": "Anna kesto minuutteina, {low}–{high}.",
        "sv": "Ange längden i minuter, {low}–{high}.",
        "en": "Give the length in minutes, {low} to {high}."},
    # The move form carries the booking's length hidden: one it cannot read was not sent
    # as the page made it, so nothing the desk can type mends it.
    "move_length": {
        "fi": "Lomake ei kertonut varauksen kestoa: lataa sivu uudelleen ja siirrä varaus "
              "uudestaan.",
        "sv": "Formuläret angav inte bokningens längd: ladda om sidan och flytta bokningen "
              "igen.",
        "en": "The form did not say the booking's length: reload the page and move the "
              "booking again."},
    "email": {
        "fi": "Sähköpostiosoite ei kelpaa: kirjoita se muodossa nimi@esimerkki.fi tai jätä"
              " kenttä tyhjäksi.",
        "sv": "E-postadressen är inte giltig: skriv den som namn@exempel.fi eller lämna"
              " fältet tomt.",
        "en": "The email address is not valid: write it as name@example.fi or leave the field"
              " empty."},
    "clocks_skip": {
        "fi": "Tätä kellonaikaa ei ole Suomessa, koska kelloja siirretään silloin tunnilla "
              "eteenpäin. Valitse toinen aika.",
        "sv": "Det klockslaget finns inte i Finland, eftersom klockan då flyttas fram en "
              "timme. Välj en annan tid.",
        "en": "That time does not exist in Finland, as the clocks go forward an hour then. "
              "Choose another time."},
    "moment": {
        "fi": "Aika ei kelpaa: anna päivä ja kellonaika.",
        "sv": "Tiden är inte giltig: ange datum och klockslag.",
        "en": "The time is not valid: give a date and a time."},
    "time": {
        "fi": "Alkamisaika ei kelpaa: anna päivä ja kellonaika.",
        "sv": "Starttiden är inte giltig: ange datum och klockslag.",
        "en": "The start time is not valid: give a date and a time."},
    "contact_language": {
        "fi": "Valitse viestien kieli: suomi, ruotsi tai englanti.",
        "sv": "Välj meddelandenas språk: finska, svenska eller engelska.",
        "en": "Choose the language of messages: Finnish, Swedish or English."},
    "title_language": {
        "fi": "Valitse nimen kieli: suomi, ruotsi tai englanti.",
        "sv": "Välj namnets språk: finska, svenska eller engelska.",
        "en": "Choose the name's language: Finnish, Swedish or English."},
    "title": {
        "fi": "Anna tilaisuuden nimi (enintään 200 merkkiä).",
        "sv": "Ange evenemangets namn (högst 200 tecken).",
        "en": "Give the event's name (at most 200 characters)."},
    "phone": {
        "fi": "Puhelinnumero ei kelpaa: kirjoita se numeroina, esimerkiksi 044 123 4567,"
              " enintään {high} merkkiä, tai jätä kenttä tyhjäksi.",
        "sv": "Telefonnumret är inte giltigt: skriv det med siffror, till exempel"
              " 044 123 4567, högst {high} tecken, eller lämna fältet tomt.",
        "en": "The phone number is not valid: write it in digits, for example 044 123 4567,"
              " at most {high} characters, or leave the field empty."},
}

#: `open_requests` of a series (its detail `adding`, more than one): not how many are open
#: already (often none), but what the series would add against the limit.
SERIES_LIMIT: dict[str, str] = {
    "fi": "Tämä sarja lisäisi {adding} avointa pyyntöä, ja sinulla on jo {open_requests};"
          " tähän tilaan niitä saa olla enintään {max_open_requests}. Valitse vähemmän"
          " kertoja.",
    "sv": "Den här serien skulle lägga till {adding} öppna förfrågningar, och du har redan"
          " {open_requests}; högst {max_open_requests} tillåts för den här lokalen. Välj"
          " färre gånger.",
    "en": "This series would add {adding} open requests to the {open_requests} you have;"
          " this space allows at most {max_open_requests}. Choose fewer times."}


#: A refusal without a code of `ERRORS` (or whose details do not fill its text): said in the
#: page's language, with the English message as the rule gave it.
GENERIC = {
    "fi": "Toimintoa ei voitu tehdä. Syy (englanniksi): {message}",
    "sv": "Åtgärden kunde inte utföras. Orsak (på engelska): {message}",
    "en": "That could not be done: {message}",
}

#: Words the placeholders use.
_CLOSED_ON = {"fi": "{day} suljettu", "sv": "{day} stängt", "en": "closed {day}"}
_SELF_SERVICE = {"fi": "omatoimi", "sv": "självbetjäning", "en": "self-service"}


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _conflicts(details: Mapping[str, Any], lang: str) -> str:
    """" (3.12. 15.00–16.00 ja 4.12. 10.00–11.00)", or nothing when none are listed."""
    taken = [day_and_hours(_moment(c["starts_at"]), _moment(c["ends_at"]), lang)
             for c in details.get("conflicts", [])]
    return f" ({words(taken, lang)})" if taken else ""


def _opening_hours(details: Mapping[str, Any], lang: str) -> str:
    """" (3.12.: 8.00–20.00)", " (3.12. suljettu)", or nothing when the day is not given."""
    if "day" not in details:
        return ""
    day = day_short(date.fromisoformat(details["day"]), lang)
    shown = [hours(_moment(i["starts_at"]), _moment(i["ends_at"]), lang)
             + (f" ({_SELF_SERVICE[lang]})" if i.get("kind") == "self_service" else "")
             for i in details.get("open", [])]
    if not shown:
        return f" ({_CLOSED_ON[lang].format(day=day)})"
    return f" ({day}: {', '.join(shown)})"


def _deadline(details: Mapping[str, Any], lang: str) -> str:
    moment = _moment(details["deadline"]).astimezone(HELSINKI)
    return f"{day_short(moment.date(), lang)} {clock_time(moment, lang)}"


def _known_areas(details: Mapping[str, Any], lang: str) -> str:
    """The areas a venue may be in, each by its code and its name in `lang`."""
    return ", ".join(f"{code} ({area_name(code, lang)})" for code in details["known"])


def _count(key: str) -> Callable[[Mapping[str, Any], str], str]:
    return lambda details, lang: number(int(details[key]), lang)


def _status(details: Mapping[str, Any], lang: str) -> str:
    return str(labels(lang)["statuses"].get(details["status"], details["status"]))


def weekday_name(number: int, lang: str) -> str:
    """A weekday (1 Monday … 7 Sunday) as a row of the weekly hours is named: "Tiistai"."""
    names: list[str] = labels(lang)["weekday_names"]
    return names[number - 1].capitalize()


def _weekday(details: Mapping[str, Any], lang: str) -> str:
    return weekday_name(int(details["weekday"]), lang)


def _other_hours(details: Mapping[str, Any], lang: str) -> str:
    """The earlier row's hours a refused row overlaps: "9.00–20.00"."""
    return (f"{clock_time(time.fromisoformat(details['opens']), lang)}–"
            f"{clock_time(time.fromisoformat(details['closes']), lang)}")


#: How each `{name}` of `ERRORS` is made from a refusal's details in a language; a missing
#: or malformed detail raises, and the refusal is then said by `GENERIC`.
PLACEHOLDERS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "conflicts": _conflicts,
    "weekday": _weekday,
    "other": _other_hours,
    "hours": _opening_hours,
    "known": _known_areas,
    "deadline": _deadline,
    "status": _status,
    "email": lambda details, lang: str(details["email"]),
    # When a refused "send the link again" may be tried: "pe 4.12. klo 14.30", the whole
    # minute at or after `again_at` (`domain.said_minute`: a press in it is not refused).
    "again_at": lambda details, lang: day_and_time(said_minute(_moment(details["again_at"])),
                                                   lang),
    "now": lambda details, lang: day_and_hours(_moment(details["starts_at"]),
                                               _moment(details["ends_at"]), lang),
    **{key: _count(key) for key in ("min_minutes", "max_minutes", "horizon_days",
                                    "open_requests", "max_open_requests",
                                    "cancellation_hours", "low", "high", "available",
                                    "adding")},
}


def _more_than_one(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 1


def placeholders(text: str) -> set[str]:
    """The `{name}`s a text of `ERRORS` uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def form_day(text: str, field: str, code: str) -> date:
    """A day a form or a link gives ("2026-12-24" from a date input, "24.12.2026" typed,
    `typed_day`), or its refusal by `field` saying what is wrong with it: a day the calendar
    does not have (`no_such_day`, with its parts, said back the reader's way), a year outside
    the platform's (`day_years`), or a text that is no date (`code`, the form's own words of
    how to give one)."""
    try:
        read = read_day(text)
    except ValueError as exc:  # pydantic's refusal is a ValueError too
        parts = getattr(exc, "context", None) or {}
        if "month" in parts:
            raise Invalid(f"{text.strip()[:10]} is no day of the calendar", field=field,
                          code="no_such_day", **parts) from None
        raise Invalid("the year is outside the platform's", field=field,
                      code="day_years") from None
    day = read if isinstance(read, date) else typed_day(text)
    if day is None:
        raise Invalid(f"the {field} is not a date", field=field, code=code)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise Invalid("the year is outside the platform's", field=field, code="day_years")
    return day


#: A form's time as `shared.clock.typed_local_time` reads it, in parts: its day (ISO or
#: the Finnish way) and its hour and minute, whether or not the calendar and the clock
#: have them ("2031-02-30T10:00", "5.3.2031 klo 24.00").
_TIME_PARTS = re.compile(
    r"(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}))"
    r"(?:[Tt ]|\s+(?:klo|kl\.?)\s*|\s+|,\s*)([0-9]{1,2})[:.]([0-9]{2})", re.IGNORECASE)


def form_time(value: str, field: str, code: str = "time") -> datetime:
    """A form's local time (`shared.clock.form_moment`), or its refusal by `field` saying
    what is wrong with it where a date and time's shape shows it: a day the calendar does
    not have (`no_such_day`), a year outside the platform's (`day_years`), an hour or a
    minute the clock does not have (`no_such_time`: 24.00, 25.61); else `code` (no time at
    all), or the spring's skipped hour (`clocks_skip`)."""
    try:
        return form_moment(value, field, code)
    except Invalid as exc:
        shaped = _TIME_PARTS.fullmatch(value.strip())
        if exc.details.get("code") != code or shaped is None:
            raise
        day = (f"{shaped[1]}-{shaped[2]}-{shaped[3]}" if shaped[1]
               else f"{shaped[4]}.{shaped[5]}.{shaped[6]}")
        form_day(day, field, code)  # refused, if the day is why, as that
        hour, minute = int(shaped[7]), int(shaped[8])
        if hour > 23 or minute > 59:
            raise Invalid(f"{hour:02d}:{minute:02d} is no time of day", field=field,
                          code="no_such_time", hour=hour, minute=minute) from None
        raise


def error_text(exc: DomainError, lang: str) -> str:
    """A refusal as the page's reader reads it: its code's text in `lang`, filled from its
    details; else (no code we know, or details that do not fill it) a sentence in `lang`
    with the English message. Every rule of a `Refusals` is said, one after the other, each
    once: a page that says a refusal in one place (the hold's search, the desk's move) says
    all that the API's 422 lists, not the first alone."""
    if isinstance(exc, Refusals):
        return " ".join(dict.fromkeys(error_text(each, lang) for each in exc.each))
    lang = lang if lang in GENERIC else "fi"
    code = str(exc.details.get("code"))
    if code in ("no_such_time", "hours_no_such_time") and "hour" in exc.details:
        # An opening hour is within a day: no "midnight is the next day's 0.00" for it.
        return no_such_time_text(exc.details["hour"], exc.details["minute"], lang,
                                 within_day=code == "hours_no_such_time")
    if code == "no_such_day" and "month" in exc.details:
        # The day as it was meant: "31.2.2026 ei ole olemassa oleva päivä (…)".
        said = no_such_day_text(exc.details, lang)
        return f"{said[:1].upper()}{said[1:]}."
    text = ERRORS.get(code, {}).get(lang)
    if code == "open_requests" and _more_than_one(exc.details.get("adding")):
        text = SERIES_LIMIT[lang]  # a series: the sentence says what it would add
    if text is not None:
        try:
            return text.format(**{name: PLACEHOLDERS[name](exc.details, lang)
                                  for name in placeholders(text)})
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # details that do not fit the text: the English message below
    return GENERIC[lang].format(message=exc.message)


# --- a space's description, equipment and photos (the desk's spaces page, issue #15) ----------

#: The words of the spaces page's details form, per language.
SPACE_DETAILS: dict[str, dict[str, str]] = {
    "fi": {"details": "Kuvaus, varusteet ja kuvat", "description": "Kuvaus",
           "description_fi": "Kuvaus suomeksi", "description_sv": "Kuvaus ruotsiksi",
           "description_en": "Kuvaus englanniksi", "equipment": "Varusteet",
           "equipment_hint": "Yksi varuste riville, esim. videotykki.",
           "photo": "Kuva {n}", "new_photo": "Uusi kuva", "photo_url": "Kuvan osoite (https://)",
           "alt_fi": "Mitä kuvassa on, suomeksi", "alt_sv": "Mitä kuvassa on, ruotsiksi",
           "alt_en": "Mitä kuvassa on, englanniksi",
           "alt_hint": "Vaihtoehtoinen teksti niille, jotka eivät näe kuvaa.",
           "remove_photo": "Poista kuva", "save_details": "Tallenna kuvaus, varusteet ja kuvat",
           "saved_details": "Kuvaus, varusteet ja kuvat tallennettu:",
           "fix_below": "Tarkista merkitty kenttä."},
    "sv": {"details": "Beskrivning, utrustning och bilder", "description": "Beskrivning",
           "description_fi": "Beskrivning på finska", "description_sv": "Beskrivning på svenska",
           "description_en": "Beskrivning på engelska", "equipment": "Utrustning",
           "equipment_hint": "En sak per rad, t.ex. videoprojektor.",
           "photo": "Bild {n}", "new_photo": "Ny bild", "photo_url": "Bildens adress (https://)",
           "alt_fi": "Vad bilden visar, på finska", "alt_sv": "Vad bilden visar, på svenska",
           "alt_en": "Vad bilden visar, på engelska",
           "alt_hint": "Alternativ text för dem som inte ser bilden.",
           "remove_photo": "Ta bort bilden",
           "save_details": "Spara beskrivning, utrustning och bilder",
           "saved_details": "Beskrivning, utrustning och bilder sparade:",
           "fix_below": "Kontrollera det markerade fältet."},
    "en": {"details": "Description, equipment and photos", "description": "Description",
           "description_fi": "Description in Finnish", "description_sv": "Description in Swedish",
           "description_en": "Description in English", "equipment": "Equipment",
           "equipment_hint": "One item per line, e.g. projector.",
           "photo": "Photo {n}", "new_photo": "New photo", "photo_url": "Photo address (https://)",
           "alt_fi": "What the photo shows, in Finnish",
           "alt_sv": "What the photo shows, in Swedish",
           "alt_en": "What the photo shows, in English",
           "alt_hint": "Alternative text for those who cannot see the photo.",
           "remove_photo": "Remove the photo",
           "save_details": "Save the description, equipment and photos",
           "saved_details": "Description, equipment and photos saved:",
           "fix_below": "Check the marked field."},
}

ERRORS.update({
    "text_length": {
        "fi": "Teksti on liian pitkä: enintään {high} merkkiä.",
        "sv": "Texten är för lång: högst {high} tecken.",
        "en": "The text is too long: at most {high} characters."},
    "name_unreadable": REFUSAL_TEXT["name_unreadable"],
    "text_chars": {
        "fi": "Tekstissä on merkki, jota ei voi tallentaa; kirjoita se uudelleen.",
        "sv": "Texten har ett tecken som inte kan sparas; skriv den på nytt.",
        "en": "The text has a character that cannot be saved; type it again."},
    "description_fi": {
        "fi": "Kirjoita kuvaus myös suomeksi.",
        "sv": "Skriv beskrivningen också på finska.",
        "en": "Write the description in Finnish too."},
    "too_many": {
        "fi": "Enintään {high} kappaletta.",
        "sv": "Högst {high} stycken.",
        "en": "At most {high} of them."},
    "equipment_item": {
        "fi": "Yksi varuste riville, enintään {high} merkkiä.",
        "sv": "En sak per rad, högst {high} tecken.",
        "en": "One item per line, at most {high} characters."},
    "photo_url": {
        "fi": "Anna kuvan osoite, joka alkaa https:// (enintään {high} merkkiä).",
        "sv": "Ange en bildadress som börjar med https:// (högst {high} tecken).",
        "en": "Give a photo address that starts with https:// (at most {high} characters)."},
    "photo_alt": {
        "fi": "Kerro suomeksi, mitä kuvassa on: teksti luetaan niille, jotka eivät näe kuvaa.",
        "sv": "Berätta på finska vad bilden visar: texten läses för dem som inte ser bilden.",
        "en": "Say in Finnish what the photo shows: it is read to those who cannot see it."},
})

# --- accessibility features (migration 008) and series (the organisers' pages) ---------------

#: The structured accessibility features' names are in shared/accessibility.py (the guide
#: says them too); here the words around them.
for _lang, _words in {
    "fi": {"venue_features": "Toimipisteen esteettömyys",
           "venue_features_hint": "Koko rakennuksen tiedot: sisäänkäynti, pysäköinti ja mitä "
           "kaikki tilat jakavat. Merkitse vain, mikä tiedetään; opas kertoo nämä asukkaille.",
           "save_venue_features": "Tallenna toimipisteen esteettömyys",
           "saved_venue_features": "Toimipisteen esteettömyys tallennettu."},
    "sv": {"venue_features": "Verksamhetsställets tillgänglighet",
           "venue_features_hint": "Uppgifter om hela byggnaden: ingång, parkering och det som "
           "alla lokaler delar. Markera bara det som är känt; guiden berättar det för "
           "invånarna.",
           "save_venue_features": "Spara verksamhetsställets tillgänglighet",
           "saved_venue_features": "Verksamhetsställets tillgänglighet sparad."},
    "en": {"venue_features": "The venue's accessibility",
           "venue_features_hint": "Of the whole building: its entrance, parking and what all "
           "its spaces share. Mark only what is known; the guide tells residents.",
           "save_venue_features": "Save the venue's accessibility",
           "saved_venue_features": "The venue's accessibility saved."},
}.items():
    SPACE_DETAILS[_lang].update(_words)

for _lang, _words in {
    "fi": {"features": "Esteettömyys",
           "features_hint": "Merkitse vain, mikä tiedetään. Rakennuksen sisäänkäynti ja "
           "pysäköinti kuuluvat kirjaston tietoihin."},
    "sv": {"features": "Tillgänglighet",
           "features_hint": "Markera bara det som är känt. Byggnadens ingång och parkering "
           "hör till bibliotekets uppgifter."},
    "en": {"features": "Accessibility",
           "features_hint": "Mark only what is known. The building's entrance and parking "
           "belong to the library's details."},
}.items():
    SPACE_DETAILS[_lang].update(_words)

ERRORS.update({
    "accessibility_feature": {
        "fi": "Valitse esteettömyystiedot luettelosta.",
        "sv": "Välj tillgänglighetsuppgifterna i listan.",
        "en": "Choose the accessibility features from the list."},
    "series_end": {
        "fi": "Anna sarjan viimeinen päivä tai kertojen määrä. Päivä, jota ei ole"
              " kalenterissa (kuten 30.2.), ei kelpaa.",
        "sv": "Ange seriens sista dag eller antalet gånger. En dag som inte finns i"
              " kalendern (som 30.2.) godtas inte.",
        "en": "Give the series' last day or the number of times. A day the calendar does"
              " not have (such as 30 February) is not taken."},
    "series_both": {
        "fi": "Anna joko sarjan viimeinen päivä tai kertojen määrä, ei molempia.",
        "sv": "Ange antingen seriens sista dag eller antalet gånger, inte båda.",
        "en": "Give either the series' last day or the number of times, not both."},
    "no_such_day": {
        "fi": "Tätä päivää ei ole kalenterissa; tarkista päivä ja kuukausi.",
        "sv": "Den dagen finns inte i kalendern; kontrollera dag och månad.",
        "en": "That day does not exist in the calendar; check the day and the month."},
    "series_every": {
        "fi": "Sarja toistuu {low}–{high} viikon välein.",
        "sv": "Serien upprepas med {low}–{high} veckors mellanrum.",
        "en": "A series repeats every {low} to {high} weeks."},
    "series_empty": {
        "fi": "Viimeinen päivä on ennen sarjan ensimmäistä kertaa.",
        "sv": "Sista dagen är före seriens första gång.",
        "en": "The last day is before the series' first time."},
    "series_start": {
        "fi": "Sarja alkaa pidossa olevasta ajasta.",
        "sv": "Serien börjar vid den reserverade tiden.",
        "en": "A series from a held time starts at that time."},
    "series_none": {
        "fi": "Yhtäkään sarjan kertaa ei voi varata: kaikki ovat varattuja tai sääntöjen "
              "vastaisia.",
        "sv": "Ingen av seriens gånger kan bokas: alla är upptagna eller strider mot reglerna.",
        "en": "No time of the series can be booked: each is taken or against the rules."},
    "series_clash": {
        "fi": "Osaa sarjan kerroista ei voi varata, joten mitään ei varattu.",
        "sv": "Några av seriens gånger kan inte bokas, så inget bokades.",
        "en": "Some times of the series cannot be booked, so nothing was booked."},
    # Each asks for a format the forms read (`shared.clock.typed_day`): 3.3.2027 or ISO.
    "date": {
        "fi": "Anna päivämäärä muodossa 3.3.2027.",
        "sv": "Ange ett datum som 3.3.2027 eller 2027-03-03.",
        "en": "Give a date as 3.3.2027 or 2027-03-03."},
    "no_series": {
        "fi": "Sarjaa ei löydy.",
        "sv": "Serien finns inte.",
        "en": "There is no such series."},
})

#: A time the clock does not have ("24.00", "25.61"), said back the language's way.
NO_SUCH_TIME = {
    "fi": "Kellonaikaa {clock} ei ole: tunnit ovat 0–23 ja minuutit 0–59 (keskiyö on "
          "seuraavan päivän 0.00).",
    "sv": "Klockslaget {clock} finns inte: timmarna är 0–23 och minuterna 0–59 (midnatt är "
          "följande dags 0:00).",
    "en": "There is no time {clock}: hours run 0–23 and minutes 0–59 (midnight is 0:00 of "
          "the next day)."}
#: …and of an opening or closing time, which is within a day.
NO_SUCH_HOUR = {
    "fi": "Kellonaikaa {clock} ei ole: tunnit ovat 0–23 ja minuutit 0–59.",
    "sv": "Klockslaget {clock} finns inte: timmarna är 0–23 och minuterna 0–59.",
    "en": "There is no time {clock}: hours run 0–23 and minutes 0–59."}


def no_such_time_text(hour: int, minute: int, lang: str, *, within_day: bool = False) -> str:
    """A time no clock shows, said the one way every page of booking says it (the walk-in,
    the hold, the space search, the desk's move and opening hours), the clock written the
    language's way: "Kellonaikaa 25.61 ei ole: …"."""
    clock = f"{hour}{'.' if lang == 'fi' else ':'}{minute:02d}"
    return (NO_SUCH_HOUR if within_day else NO_SUCH_TIME)[lang].format(clock=clock)


ERRORS["hours_midnight"] = {
    "fi": "Jos paikka sulkeutuu keskiyöllä, anna sulkemisajaksi 23.59.",
    "sv": "Om platsen stänger vid midnatt, ange 23:59 som stängningstid.",
    "en": "If the place closes at midnight, give 23:59 as the closing time."}

#: Why lending, returning or cancelling a loan, or moving a booking with its loans, is
#: refused (the desk's loans page and moves).
ERRORS.update({
    "loan_past": {
        "fi": "Lainaa ei voi tehdä menneeseen aikaan.",
        "sv": "Ett lån kan inte ligga i det förflutna.",
        "en": "A loan cannot be in the past."},
    "loan_start_past": {
        "fi": "Laina ei voi alkaa menneisyydessä.",
        "sv": "Ett lån kan inte börja i det förflutna.",
        "en": "A loan cannot start in the past."},
    "loan_horizon": {
        "fi": "Lainan voi tehdä enintään {high} päivää etukäteen.",
        "sv": "Ett lån kan göras högst {high} dagar i förväg.",
        "en": "A loan can be made at most {high} days ahead."},
    "loan_too_long": {
        "fi": "Laina voi kestää enintään {high} päivää.",
        "sv": "Ett lån får vara högst {high} dagar.",
        "en": "A loan may last at most {high} days."},
    "loan_booking_status": {
        "fi": "Varauksen tila on {status}: sille ei voi lainata mitään.",
        "sv": "Bokningen är {status}: inget kan lånas ut för den.",
        "en": "The booking is {status}; nothing can be lent for it."},
    "loan_outside_booking": {
        "fi": "Varaukseen liittyvä laina on varauksen ajan sisällä.",
        "sv": "Ett lån för en bokning ligger inom bokningens tid.",
        "en": "A loan for a booking lies within the booking's time."},
    "loan_ends_before_start": {
        "fi": "Lainan palautusajan on oltava sen alkamisen jälkeen.",
        "sv": "Lånet måste lämnas tillbaka efter att det börjar.",
        "en": "A loan must be due back after it starts."},
    "loan_borrower_needed": {
        "fi": "Anna lainaajan nimi (tai valitse varaus, jonka yhteyshenkilö lainaa), jotta"
              " myöhästyneestä lainasta voi muistuttaa.",
        "sv": "Ange låntagarens namn (eller välj en bokning vars kontaktperson lånar), så"
              " att ett försenat lån kan påminnas om.",
        "en": "Give the borrower's name (or choose a booking whose contact borrows), so that"
              " an overdue loan can be followed up."},
    "loan_borrower_name": {
        "fi": "Anna lainaajan nimi kirjaimin, enintään {high} merkkiä.",
        "sv": "Ange låntagarens namn med bokstäver, högst {high} tecken.",
        "en": "Give the borrower's name in letters, at most {high} characters."},
    "loan_borrower_phone": {
        "fi": "Anna puhelinnumero numeroin, esim. 040 123 4567 tai +358 40 123 4567, enintään"
              " {high} merkkiä.",
        "sv": "Ange telefonnumret med siffror, t.ex. 040 123 4567 eller +358 40 123 4567,"
              " högst {high} tecken.",
        "en": "Give the phone number in digits, e.g. 040 123 4567 or +358 40 123 4567, at"
              " most {high} characters."},
    "loan_borrower_email": {
        "fi": "Anna sähköpostiosoite muodossa nimi@esimerkki.fi.",
        "sv": "Ange e-postadressen som namn@exempel.fi.",
        "en": "Give the email address as name@example.fi."},
    "loan_quantity": {
        "fi": "Lainaa vähintään yksi.",
        "sv": "Låna ut minst en.",
        "en": "Lend at least one."},
    "no_resource": {
        "fi": "Lainattavaa ei löydy.",
        "sv": "Det som ska lånas ut finns inte.",
        "en": "There is no such thing to lend."},
    "loan_nothing_to_lend": {
        "fi": "Tällä toimipisteellä ei ole mitään lainattavaa: lisää lainattava ensin alla "
              "olevalla lomakkeella. Mitään ei lainattu.",
        "sv": "Det här verksamhetsstället har inget att låna ut: lägg först till något med "
              "formuläret nedan. Inget lånades ut.",
        "en": "This venue has nothing to lend: add something to lend with the form below "
              "first. Nothing was lent."},
    "loan_resource_elsewhere": {
        "fi": "Valittu ei ole tämän toimipisteen lainattavaa: lataa sivu uudelleen ja valitse "
              "luettelosta.",
        "sv": "Det valda är inte något som det här verksamhetsstället lånar ut: ladda om "
              "sidan och välj i listan.",
        "en": "That is not one of this venue's things to lend: reload the page and choose "
              "from the list."},
    "loan_other_venue": {
        "fi": "Lainattava lainataan varauksen omasta toimipisteestä.",
        "sv": "Det som lånas ut lånas ut från bokningens eget verksamhetsställe.",
        "en": "Things are lent at the booking's own venue."},
    "loan_booking_needed": {
        "fi": "Laina liittyy omaan varaukseesi; ilman varausta lainaa vain toimipisteen "
              "henkilökunta.",
        "sv": "Ett lån hör till din egen bokning; utan bokning lånar bara "
              "verksamhetsställets personal ut.",
        "en": "A loan goes with your own booking; only the venue's desk staff lend "
              "without one."},
    "no_loan": {
        "fi": "Lainaa ei löydy.",
        "sv": "Lånet finns inte.",
        "en": "There is no such loan."},
    "loan_not_yours": {
        "fi": "Tämä laina ei ole sinun.",
        "sv": "Det här lånet är inte ditt.",
        "en": "This loan is not yours."},
    "loan_desk_returns": {
        "fi": "Palautukset ottaa vastaan toimipisteen henkilökunta.",
        "sv": "Det är diskpersonalen som tar emot det som lämnas tillbaka.",
        "en": "The desk takes returned things back."},
    "loan_returned": {
        "fi": "Laina on jo palautettu.",
        "sv": "Lånet är redan återlämnat.",
        "en": "The loan has been returned already."},
    "loan_cancelled": {
        "fi": "Laina on jo peruttu.",
        "sv": "Lånet är redan avbrutet.",
        "en": "The loan has been cancelled already."},
    "loan_move": {
        "fi": "Varaukselle lainattuja välineitä ei ole vapaana uuteen aikaan, joten varausta "
              "ei siirretty.",
        "sv": "Det som lånats ut för bokningen är inte ledigt vid den nya tiden, så bokningen "
              "flyttades inte.",
        "en": "The equipment lent for the booking is not free at the new time, so the "
              "booking was not moved."},
})


# --- the desk's weekly hours, photos, things to lend and prices (a tester's findings) -------
ERRORS.update({
    "hours_overlap": {
        "fi": "{weekday}: ajat menevät päällekkäin saman päivän toisen rivin kanssa ({other})."
              " Korjaa ajat tai poista toinen riveistä.",
        "sv": "{weekday}: tiderna överlappar en annan rad för samma dag ({other}). Ändra"
              " tiderna eller ta bort den ena raden.",
        "en": "{weekday}: the hours overlap another row of the same day ({other}). Change the"
              " times or remove one of the rows."},
    "text_unreadable": {
        "fi": "Kirjoita tekstiä, jonka voi lukea: pelkät näkymättömät merkit eivät riitä.",
        "sv": "Skriv text som går att läsa: enbart osynliga tecken räcker inte.",
        "en": "Write text that can be read: invisible characters alone are not enough."},
    "resource_name": {
        "fi": "Anna nimi, jonka voi lukea: kirjaimia tai numeroita, ei ohjaus- tai"
              " tekstisuuntamerkkejä, enintään {high} merkkiä.",
        "sv": "Ange ett namn som går att läsa: bokstäver eller siffror, inga styr- eller"
              " textriktningstecken, högst {high} tecken.",
        "en": "Give a name that can be read: letters or digits, no control or text direction"
              " characters, at most {high} characters."},
    "price_format": {
        "fi": "Kirjoita hinta euroina, enintään kahdella desimaalilla, esim. 30,00.",
        "sv": "Skriv priset i euro, med högst två decimaler, t.ex. 30,00.",
        "en": "Write the price in euros, with at most two decimals, e.g. 30.00."},
})


# --- a venue's area and spaces as the API registers them (a tester's findings) -------------
ERRORS.update({
    "unknown_area": {
        "fi": "Alue ei ole Kuopion alueita. Valitse jokin näistä: {known}.",
        "sv": "Området är inte ett av Kuopios områden. Välj ett av dessa: {known}.",
        "en": "The area is not one of Kuopio's areas. Choose one of these: {known}."},
    "space_elsewhere": {
        "fi": "Tila ei ole tämän toimipisteen tila: valitse jokin sen omista tiloista.",
        "sv": "Lokalen hör inte till det här verksamhetsstället: välj en av dess egna"
              " lokaler.",
        "en": "The space is not one of this venue's: choose one of its own spaces."},
    "parent_space": {
        "fi": "Tilan, jonka osa tämä tila on, on oltava saman toimipisteen tila.",
        "sv": "Lokalen som den här lokalen är en del av måste höra till samma"
              " verksamhetsställe.",
        "en": "The space this one is a part of must be a space of the same venue."},
})


# --- "send the link again" (an organiser's lost confirmation link) ---------------------------
ERRORS.update({
    "link_sent_recently": {
        "fi": "Uutta vahvistuslinkkiä ei voi vielä lähettää osoitteeseen {email}: seuraavan"
              " voi lähettää {again_at}. Katso sillä välin myös roskapostikansio.",
        "sv": "En ny bekräftelselänk kan inte skickas till {email} ännu: nästa kan skickas"
              " {again_at}. Titta under tiden också i skräpposten.",
        "en": "A new confirmation link cannot be sent to {email} yet: the next one can be"
              " sent {again_at}. Meanwhile, look in your spam folder too."},
    "not_awaiting_verification": {
        "fi": "Tämä varaus ei odota vahvistuslinkkiä: osoite on jo vahvistettu, tai varaus"
              " ei ole enää voimassa.",
        "sv": "Den här bokningen väntar inte på någon bekräftelselänk: adressen är redan"
              " bekräftad, eller bokningen gäller inte längre.",
        "en": "This booking waits on no confirmation link: the address is already"
              " confirmed, or the booking is no longer open."},
})
