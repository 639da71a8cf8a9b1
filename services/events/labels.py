"""Every translated label of the events service's pages and feeds, defined once (fi/sv/en)."""

from __future__ import annotations

from typing import Any

from shared.http import REFUSAL_TEXT

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
           "price_unknown": "Hinta ei tiedossa",
           "registration": "Ilmoittautuminen", "registration_required": "Ilmoittaudu ennakkoon",
           "no_registration": "Ei ennakkoilmoittautumista", "capacity": "Paikkoja",
           "free_places": "Vapaita paikkoja", "free_of": "{free} / {n}",
           "places": "{n} paikkaa", "kind": "Toiminnan muoto", "topics": "Teemat",
           "audiences": "Kenelle", "ages": "Ikä", "languages": "Kieli",
           "accessibility": "Saavutettavuus", "organiser": "Järjestäjä",
           "reason": "Syy", "booking_ended": "Tilavaraus peruttiin",
           "add_to_calendar": "Lisää kalenteriin",
           "back": "Takaisin kalenteriin", "languages_nav": "Kieli", "details": "Tiedot"},
    "sv": {"when": "Tid", "where": "Plats", "area": "Område", "online": "På nätet",
           "join_online": "Delta på nätet", "price": "Pris", "free": "Gratis",
           "price_unknown": "Pris inte angivet",
           "registration": "Anmälan", "registration_required": "Anmäl dig på förhand",
           "no_registration": "Ingen förhandsanmälan", "capacity": "Platser",
           "free_places": "Lediga platser", "free_of": "{free} / {n}",
           "places": "{n} platser", "kind": "Verksamhetsform", "topics": "Teman",
           "audiences": "För vem", "ages": "Ålder", "languages": "Språk",
           "accessibility": "Tillgänglighet", "organiser": "Arrangör", "reason": "Orsak",
           "booking_ended": "Lokalbokningen avbokades",
           "add_to_calendar": "Lägg till i kalendern", "back": "Tillbaka till kalendern",
           "languages_nav": "Språk", "details": "Uppgifter"},
    "en": {"when": "When", "where": "Where", "area": "Area", "online": "Online",
           "join_online": "Join online", "price": "Price", "free": "Free",
           "price_unknown": "Price not given",
           "registration": "Registration", "registration_required": "Register in advance",
           "no_registration": "No advance registration", "capacity": "Places",
           "free_places": "Free places", "free_of": "{free} / {n}",
           "places": "{n} places", "kind": "Kind of activity", "topics": "Themes",
           "audiences": "For whom", "ages": "Age", "languages": "Language",
           "accessibility": "Accessibility", "organiser": "Organiser", "reason": "Reason",
           "booking_ended": "The booking was cancelled",
           "add_to_calendar": "Add to calendar", "back": "Back to the calendar",
           "languages_nav": "Language", "details": "Details"},
}

#: The calendar pages.
CALENDAR: dict[str, dict[str, Any]] = {
    "fi": {"title": "Asukastoiminnan kalenteri", "views": "Näkymät", "list": "Tulevat",
           "day": "Päivä", "week": "Viikko", "year": "Vuosikello", "date": "Päivä",
           "search": "Haku", "area": "Alue", "topic": "Teema", "audience": "Kenelle",
           "free": "Maksuton", "free_short": "maksuton", "online_short": "verkossa",
           "all": "Kaikki", "show": "Näytä",
           "none": "Ei tapahtumia näillä valinnoilla.", "more": "Lisää",
           "upcoming": "Tulevat tapahtumat", "year_intro": "Mitä on tulossa, kuukausittain "
           "teemoittain ja alueittain.",
           "bad_query": "Hakua ei voitu tehdä näillä valinnoilla.",
           "kind": "Toiminnan muoto", "language": "Kieli",
           "accessible": "Saavutettavuus kerrottu", "all_day": "koko päivä",
           "previous_year": "Edellinen vuosi", "next_year": "Seuraava vuosi",
           "all_of_month": "Kuun {n} tapahtumaa ja sen jälkeiset kalenterissa",
           "past_months": "Menneet kuukaudet",
           "events_n": "{n} tapahtumaa", "event_1": "1 tapahtuma", "filters": "Rajaa",
           "feeds": "Tilaa"},
    "sv": {"title": "Kalender för invånarverksamhet", "views": "Vyer", "list": "Kommande",
           "day": "Dag", "week": "Vecka", "year": "Årshjul", "date": "Dag", "search": "Sök",
           "area": "Område", "topic": "Tema", "audience": "För vem", "free": "Gratis",
           "free_short": "gratis", "online_short": "på nätet", "all": "Alla", "show": "Visa",
           "none": "Inga evenemang med dessa val.", "more": "Fler",
           "upcoming": "Kommande evenemang", "year_intro": "Vad som är på gång, månad för "
           "månad, per tema och område.",
           "bad_query": "Sökningen kunde inte göras med dessa val.",
           "kind": "Verksamhetsform", "language": "Språk",
           "accessible": "Tillgänglighet angiven", "all_day": "hela dagen",
           "previous_year": "Föregående år", "next_year": "Nästa år",
           "all_of_month": "Månadens {n} evenemang och de följande i kalendern",
           "past_months": "Månader som gått",
           "events_n": "{n} evenemang", "event_1": "1 evenemang", "filters": "Avgränsa",
           "feeds": "Prenumerera"},
    "en": {"title": "Resident activity calendar", "views": "Views", "list": "Upcoming",
           "day": "Day", "week": "Week", "year": "Year ahead", "date": "Day",
           "search": "Search", "area": "Area", "topic": "Theme", "audience": "For whom",
           "free": "Free", "free_short": "free", "online_short": "online", "all": "All",
           "show": "Show",
           "none": "No events with these choices.", "more": "More",
           "upcoming": "Upcoming events", "year_intro": "What is coming, month by month, by "
           "theme and area.",
           "bad_query": "The search could not be made with these choices.",
           "kind": "Kind of activity", "language": "Language",
           "accessible": "Accessibility described", "all_day": "all day",
           "previous_year": "Previous year", "next_year": "Next year",
           "all_of_month": "The month's {n} events and those after in the calendar",
           "past_months": "Past months",
           "events_n": "{n} events", "event_1": "1 event", "filters": "Filter",
           "feeds": "Subscribe"},
}

#: The organisers' own pages (/my/activities, issue #16).
ORGANISER: dict[str, dict[str, Any]] = {
    "fi": {
        "title": "Omat tapahtumat", "sign_out": "Kirjaudu ulos", "languages_nav": "Kieli",
        "pages_nav": "Järjestäjän sivut", "find_space": "Etsi tila",
        "my_bookings": "Omat varaukset",
        "none": "Sinulla ei ole vielä tapahtumia. Kun tilavarauksesi vahvistetaan, sen "
                "tapahtumaluonnos tulee tähän. Tapahtuman ilman tilavarausta luot kohdasta "
                "Uusi tapahtuma.",
        "coming": "Tulevat", "past": "Menneet", "open": "Avaa",
        "status": {"draft": "Luonnos", "awaiting_approval": "Odottaa hyväksyntää",
                   "published": "Julkaistu", "postponed": "Siirretty", "rescheduled":
                   "Julkaistu, uusi aika", "cancelled": "Peruttu",
                   "withdrawn": "Vedetty pois (varaus päättyi)"},
        "next": {"write": "Kirjoita tapahtuman tiedot ja julkaise se.",
                 "waiting": "Viestintä tai tilan henkilökunta tarkistaa tapahtuman ennen "
                            "julkaisua.",
                 "moving": "Uusi aika odottaa, että tilavaraus siirtyy.",
                 "share": "Tapahtuma näkyy kalenterissa. Voit vielä muuttaa tietoja, siirtää "
                          "tai perua sen.",
                 "new_time": "Kerro tapahtuman uusi aika, kun se on tiedossa.",
                 "report": "Ilmoita osallistujamäärä ja näytä palautekysely osallistujille.",
                 "done": "Osallistujamäärä on ilmoitettu. Kiitos!",
                 "cancelled": "Tapahtuma on peruttu.",
                 "withdrawn": "Tilavaraus päättyi, joten luonnosta ei julkaista."},
        "note": {"refused": "Palautettu sinulle: {why}", "cancelled": "Peruttu: {why}",
                 "postponed": "Siirretty: {why}", "withdrawn": "Syy: {why}",
                 "move_refused": "Ajan siirto ei onnistunut: {why}"},
        "back": "Omat tapahtumat", "edit": "Tapahtuman tiedot", "preview": "Esikatsele",
        "attendance": "Osallistujat ja palaute", "registrations": "Ilmoittautuneet",
        "registration_settings": "Ilmoittautumisen asetukset ja kysymykset",
        "places_elsewhere": "Ilmoittautumisen asetuksissa paikkoja on {n}, ja sen luvun "
                            "osallistujat näkevät. Muuta paikkoja asetuksista (linkki "
                            "yllä): tämän kentän luku ei näy heille.",
        "places_unlimited_elsewhere": "Ilmoittautumisen asetuksissa paikkoja ei ole "
                                      "rajattu, ja niin osallistujat näkevät. Muuta paikkoja "
                                      "asetuksista (linkki yllä): tämän kentän luku ei näy "
                                      "heille.",
        "when": "Aika", "where": "Paikka", "time_fixed": "Aika tulee tilavarauksesta. Muuta "
        "aikaa alla olevalla Siirrä uuteen aikaan -toiminnolla.",
        "time_live": "Julkaistun tapahtuman aikaa muutetaan siirtämällä se uuteen aikaan.",
        "starts_at": "Alkaa", "ends_at": "Päättyy", "all_day": "Koko päivän tapahtuma",
        "texts": "Nimi ja kuvaus", "texts_help": "Suomeksi pakollinen, ruotsiksi ja englanniksi "
        "suositeltava.", "in_lang": {"fi": "suomeksi", "sv": "ruotsiksi", "en": "englanniksi"},
        "name": "Nimi", "short_description": "Lyhyt kuvaus", "description": "Kuvaus",
        "place": "Paikka", "place_kind": "Missä tapahtuma on",
        "place_kinds": {"venue": "Varatussa tilassa", "outdoors": "Ulkona",
                        "pop_up": "Pop up -paikassa", "online": "Verkossa",
                        "hybrid": "Tilassa ja verkossa", "other_place": "Muualla"},
        "venue": "Tila", "place_name": "Paikan nimi",
        "place_name_help": "Ulkona, pop up -tapahtumassa tai muualla paikan nimi kertoo, "
                           "missä tapahtuma on: esimerkiksi Väinölänniemen uimaranta.",
        "online_url": "Osallistumislinkki (verkossa)",
        "what": "Millainen tapahtuma", "kind": "Toiminnan muoto", "topics": "Teemat",
        "audiences": "Kenelle", "languages": "Tapahtuman kielet",
        "lang_names": {"fi": "suomi", "sv": "ruotsi", "en": "englanti"},
        "min_age": "Ikä alkaen", "max_age": "Ikä enintään",
        "accessibility": "Saavutettavuus",
        "practical": "Hinta ja ilmoittautuminen", "free": "Maksuton",
        "price": "Hinta (€)", "registration_required": "Ilmoittautuminen ennakkoon",
        "capacity": "Paikkoja", "organiser_name": "Järjestäjän nimi",
        "library_contact": "Yhteyshenkilö kirjastossa",
        "image": "Kuva", "image_url": "Kuvan osoite (https://…)", "image_alt": "Kuvan "
        "tekstivastine", "save": "Tallenna", "saved": "Tallennettu.",
        "fix": "Tarkista merkityt kohdat: mitään ei tallennettu.",
        "actions": "Julkaise tai muuta", "publish": "Julkaise",
        "publish_help": "Vahvistetun tilavarauksen tapahtuma julkaistaan heti. Muut "
                        "tarkistetaan ennen julkaisua.",
        "publish_unsaved": "Muutoksiasi ei tallennettu. Korjaa ja tallenna ne ensin: nyt "
                           "julkaisu julkaisisi tallennetun version ilman niitä.",
        "published": "Julkaistu: tapahtuma näkyy kalenterissa ja lähtee kanaviin.",
        "queued": "Lähetetty hyväksyttäväksi. Viestintä tai tilan henkilökunta päättää.",
        "published_past": "Julkaistu menneenä toimintana: se on jo päättynyt, joten se ei "
                          "näy tulevissa tapahtumissa. Se näkyy kalenterissa päivänsä "
                          "kohdalla ja lasketaan tilastoihin.",
        "queued_past": "Lähetetty hyväksyttäväksi menneenä toimintana: se on jo päättynyt, "
                       "joten se ei näy tulevissa tapahtumissa. Hyväksyttynä se lasketaan "
                       "tilastoihin. Viestintä tai tilan henkilökunta päättää.",
        "decision_by_email": "Saat päätöksen sähköpostiin.",
        "decision_on_page": "Päätös näkyy tällä sivulla. Sähköpostia siitä ei lähetetä, koska "
                            "vahvistettua sähköpostiosoitettasi ei ole kirjautumisesi eikä "
                            "varauksesi kautta.",
        "postpone": "Siirrä myöhemmäksi", "postpone_help": "Uusi aika ilmoitetaan myöhemmin.",
        "postponed": "Siirretty. Kerro uusi aika, kun se on tiedossa.",
        "reschedule": "Siirrä uuteen aikaan", "rescheduled": "Uusi aika on julkaistu.",
        "move_asked": "Tilavarauksen siirtoa on pyydetty: uusi aika näkyy, kun varaus on "
                      "siirretty.",
        "cancel": "Peru tapahtuma", "cancelled": "Peruttu. Syy kerrotaan asukkaille.",
        "delete": "Poista luonnos",
        "delete_help": "Luonnosta ei ole julkaistu, joten kukaan muu ei ole nähnyt sitä.",
        "delete_title": "Poistetaanko luonnos?",
        "delete_confirm": "Luonnos {name} ({when}) poistetaan pysyvästi. Poistoa ei voi "
                          "perua.",
        "delete_no": "Älä poista, palaa luonnokseen", "deleted": "Luonnos poistettiin.",
        "release_booking": "Vapauta myös tilavaraus muiden käyttöön",
        "reason": "Syy asukkaille", "new_start": "Uusi alkamisaika",
        "new_end": "Uusi päättymisaika",
        "read_only": "Tätä tapahtumaa ei voi enää muuttaa.",
        "booking_releasing": "Tilavarausta perutaan, niin tila vapautuu muille. Saat siitä "
                             "sähköpostin.",
        "booking_kept": "Tilavaraus on yhä voimassa. Jos et tarvitse tilaa, peru varaus, niin "
                        "tila vapautuu muille.", "open_booking": "Avaa varaus",
        "waiting_edit": "Tapahtuma odottaa hyväksyntää, eikä sitä voi muuttaa sillä aikaa.",
        "back_to_draft": "Ota takaisin luonnokseksi",
        "back_to_draft_help": "Hyväksyjät eivät enää näe sitä. Luonnosta voit muokata, "
                              "lähettää sen uudelleen hyväksyttäväksi tai poistaa sen.",
        "taken_back": "Otettu takaisin luonnokseksi: se ei enää odota hyväksyntää.",
        "preview_note": "Esikatselu: näin tapahtuma näkyy kalenterissa.",
        "preview_draft": "Tapahtuma ei ole vielä julkinen.",
        "preview_channels": "Sivun lopussa näet myös, miltä tapahtuma näyttää "
                            "ilmoitustaululla ja somejulkaisuissa.",
        "channels": "Kaupungin kanavilla",
        "channels_note": "Kun tapahtuma on julkaistu, ilmoituspalvelu tekee näistä samoista "
                         "tiedoista ilmoitustaulun dian ja somejulkaisut. Muokkaa tietoja, jos "
                         "jokin ei näytä oikealta.",
        "board": "Ilmoitustaululla", "board_unnamed": "Ilmoitustaulu",
        "board_note": "Tapahtumapaikan ilmoitustaulu näyttää tapahtuman kielillään; tässä "
                      "suomeksi, ruotsiksi ja englanniksi.",
        "posts": "Somejulkaisut",
        "posts_note": "Tässä julkaisu on suomeksi, ruotsiksi ja englanniksi ja lyhennetty "
                      "kunkin palvelun merkkirajaan: ensin jäävät pois kuvaukset, sitten muut "
                      "kielet. Mitä kukin kaupungin tili lopulta julkaisee, riippuu tilistä: "
                      "se julkaisee omilla kielillään.",
        "chars": "{n} / {limit} merkkiä", "alt": "Kuvan tekstivastine",
        "alt_name": "Kuvalla ei ole omaa tekstivastinetta, joten sen tilalla on tapahtuman "
                    "nimi. Lisää tekstivastine lomakkeella.",
        "needs_image": "Instagramiin julkaistaan vain kuvan kanssa: lisää tapahtumalle kuva, "
                       "niin julkaisu lähtee myös sinne.",
        "back_to_form": "Takaisin tapahtuman tietoihin",
        "participants": "Osallistujat", "participants_help": "Kuinka moni osallistui "
        "toimintaan.", "visitors": "Kävijät", "visitors_help": "Kuinka moni muu kävi "
        "paikalla, esimerkiksi katsomassa.", "report": "Ilmoita",
        "reported": "Ilmoitettu: {p} osallistujaa, {v} kävijää.",
        "held": "Luku on tavallista suurempi: se lasketaan mukaan, kun henkilökunta on "
                "vahvistanut sen.",
        "current": "Viimeksi ilmoitettu: {p} osallistujaa, {v} kävijää.",
        "report_later": "Osallistujamäärän voi ilmoittaa, kun tapahtuma on alkanut.",
        "no_report": "Tälle tapahtumalle ei ilmoiteta osallistujia.",
        "feedback": "Palautekysely",
        "feedback_help": "Näytä QR-koodi ovella tai kerro lyhyt osoite. Kyselyyn voi vastata, "
                         "kun tapahtuma on päättynyt.",
        "feedback_link": "Lyhyt osoite", "qr_alt": "QR-koodi palautekyselyyn: {url}",
        "print_qr": "QR-koodi tulostettavaksi",
        "missing_title": "Luonnos on vielä tulossa",
        "missing": "Tilavarauksesi vahvistus ei ole vielä ehtinyt tapahtumapalveluun, tai "
                   "varaus ei ole sinun. Päivitä sivu hetken kuluttua.",
        "reload": "Päivitä", "gone": "Tapahtumaa ei löydy.",
        "not_now": "Tätä ei voi tehdä nyt: {why}",
        "error_summary": "Korjattavaa",
        "new": "Uusi tapahtuma",
        "new_intro": "Tapahtuma ilman tilavarausta: esimerkiksi kävely puistossa, "
                     "verkkotapahtuma tai pop up. Anna ensin nämä tiedot; loput kirjoitat "
                     "seuraavalla sivulla, josta tapahtuma myös julkaistaan.",
        "new_venue": "Tapahtuma tilassa? Etsi ja varaa tila: vahvistetun varauksen "
                     "tapahtumaluonnos tulee omiin tapahtumiisi.",
        "area": "Alue", "area_help": "Kaupunginosa, jonka ilmoitustauluilla ja hauissa "
        "tapahtuma näkyy.", "area_none": "Ei valittu",
        "create": "Luo luonnos", "kind_blank": "Valitse toiminnan muoto",
        "sent_title": "Lomake on jo lähetetty",
        "sent": "Lähetit tämän lomakkeen jo, ja siitä tehtiin tapahtuma. Toista ei tehty.",
        "sent_open": "Avaa tapahtuma: {name}",
        "sent_deleted": "Lähetit tämän lomakkeen jo, ja siitä tehty luonnos on sittemmin "
                        "poistettu. Uutta ei tehty: aloita uusi tapahtuma, jos haluat.",
        "too_old_title": "Lomake on liian vanha",
        "too_old": "Tämä lomake avattiin yli {days} päivää sitten, eikä sitä voi enää "
                   "lähettää. Mitään ei tehty: avaa uusi lomake, ja katso Omista "
                   "tapahtumista, tehtiinkö tapahtuma jo.",
    },
    "sv": {
        "title": "Mina evenemang", "sign_out": "Logga ut", "languages_nav": "Språk",
        "pages_nav": "Arrangörens sidor", "find_space": "Hitta en lokal",
        "my_bookings": "Mina bokningar",
        "none": "Du har inga evenemang ännu. När din lokalbokning bekräftas kommer dess "
                "evenemangsutkast hit. Ett evenemang utan lokalbokning skapar du under Nytt "
                "evenemang.",
        "coming": "Kommande", "past": "Tidigare", "open": "Öppna",
        "status": {"draft": "Utkast", "awaiting_approval": "Väntar på godkännande",
                   "published": "Publicerat", "postponed": "Uppskjutet", "rescheduled":
                   "Publicerat, ny tid", "cancelled": "Inställt",
                   "withdrawn": "Indraget (bokningen upphörde)"},
        "next": {"write": "Skriv evenemangets uppgifter och publicera det.",
                 "waiting": "Kommunikationen eller lokalens personal granskar evenemanget "
                            "före publicering.",
                 "moving": "Den nya tiden väntar på att lokalbokningen flyttas.",
                 "share": "Evenemanget syns i kalendern. Du kan ännu ändra uppgifterna, skjuta "
                          "upp eller ställa in det.",
                 "new_time": "Meddela evenemangets nya tid när den är känd.",
                 "report": "Meddela antalet deltagare och visa responsenkäten för deltagarna.",
                 "done": "Antalet deltagare är meddelat. Tack!",
                 "cancelled": "Evenemanget är inställt.",
                 "withdrawn": "Lokalbokningen upphörde, så utkastet publiceras inte."},
        "note": {"refused": "Återlämnat till dig: {why}", "cancelled": "Inställt: {why}",
                 "postponed": "Uppskjutet: {why}", "withdrawn": "Orsak: {why}",
                 "move_refused": "Tiden kunde inte flyttas: {why}"},
        "back": "Mina evenemang", "edit": "Evenemangets uppgifter",
        "preview": "Förhandsvisa", "attendance": "Deltagare och respons",
        "registrations": "Anmälda",
        "registration_settings": "Inställningar och frågor för anmälan",
        "places_elsewhere": "I anmälans inställningar finns det {n} platser, och det talet "
                            "ser deltagarna. Ändra platserna i inställningarna (länken "
                            "ovan): talet i det här fältet syns inte för dem.",
        "places_unlimited_elsewhere": "I anmälans inställningar är platserna inte "
                                      "begränsade, och så ser deltagarna det. Ändra platserna "
                                      "i inställningarna (länken ovan): talet i det här "
                                      "fältet syns inte för dem.",
        "when": "Tid", "where": "Plats", "time_fixed": "Tiden kommer från lokalbokningen. "
        "Ändra tiden med funktionen Flytta till ny tid nedan.",
        "time_live": "Ett publicerat evenemangs tid ändras genom att flytta det till en ny tid.",
        "starts_at": "Börjar", "ends_at": "Slutar", "all_day": "Heldagsevenemang",
        "texts": "Namn och beskrivning", "texts_help": "Finska obligatoriskt, svenska och "
        "engelska rekommenderas.", "in_lang": {"fi": "på finska", "sv": "på svenska",
                                               "en": "på engelska"},
        "name": "Namn", "short_description": "Kort beskrivning", "description": "Beskrivning",
        "place": "Plats", "place_kind": "Var evenemanget ordnas",
        "place_kinds": {"venue": "I den bokade lokalen", "outdoors": "Utomhus",
                        "pop_up": "På en pop up-plats", "online": "På nätet",
                        "hybrid": "I lokalen och på nätet", "other_place": "På annat ställe"},
        "venue": "Lokal", "place_name": "Platsens namn",
        "place_name_help": "Utomhus, på ett pop up-evenemang eller någon annanstans säger "
                           "platsens namn var det är: till exempel Väinölänniemi badstrand.",
        "online_url": "Länk för att delta (på nätet)",
        "what": "Vilket slags evenemang", "kind": "Verksamhetsform", "topics": "Teman",
        "audiences": "För vem", "languages": "Evenemangets språk",
        "lang_names": {"fi": "finska", "sv": "svenska", "en": "engelska"},
        "min_age": "Ålder från", "max_age": "Ålder högst",
        "accessibility": "Tillgänglighet",
        "practical": "Pris och anmälan", "free": "Gratis", "price": "Pris (€)",
        "registration_required": "Förhandsanmälan", "capacity": "Platser",
        "organiser_name": "Arrangörens namn", "library_contact": "Kontaktperson på biblioteket",
        "image": "Bild", "image_url": "Bildens adress (https://…)",
        "image_alt": "Bildens textalternativ", "save": "Spara", "saved": "Sparat.",
        "fix": "Kontrollera de markerade punkterna: inget sparades.",
        "actions": "Publicera eller ändra", "publish": "Publicera",
        "publish_help": "Ett evenemang med en bekräftad lokalbokning publiceras genast. Andra "
                        "granskas före publicering.",
        "publish_unsaved": "Dina ändringar sparades inte. Rätta och spara dem först: nu "
                           "skulle den sparade versionen publiceras utan dem.",
        "published": "Publicerat: evenemanget syns i kalendern och går ut i kanalerna.",
        "queued": "Skickat för godkännande. Kommunikationen eller lokalens personal beslutar.",
        "published_past": "Publicerat som förfluten verksamhet: den har redan avslutats och "
                          "syns därför inte bland kommande evenemang. Den syns i kalendern "
                          "på sin dag och räknas med i statistiken.",
        "queued_past": "Skickat för godkännande som förfluten verksamhet: den har redan "
                       "avslutats och syns därför inte bland kommande evenemang. Godkänd "
                       "räknas den med i statistiken. Kommunikationen eller lokalens "
                       "personal beslutar.",
        "decision_by_email": "Du får beslutet per e-post.",
        "decision_on_page": "Beslutet syns på den här sidan. Inget e-postmeddelande skickas, "
                            "eftersom varken din inloggning eller din bokning uppger någon "
                            "bekräftad e-postadress.",
        "postpone": "Skjut upp", "postpone_help": "Den nya tiden meddelas senare.",
        "postponed": "Uppskjutet. Meddela den nya tiden när den är känd.",
        "reschedule": "Flytta till ny tid", "rescheduled": "Den nya tiden är publicerad.",
        "move_asked": "Flytt av lokalbokningen har begärts: den nya tiden syns när bokningen "
                      "är flyttad.",
        "cancel": "Ställ in evenemanget", "cancelled": "Inställt. Orsaken meddelas invånarna.",
        "delete": "Radera utkastet",
        "delete_help": "Utkastet har inte publicerats, så ingen annan har sett det.",
        "delete_title": "Radera utkastet?",
        "delete_confirm": "Utkastet {name} ({when}) raderas för gott. Det går inte att ångra.",
        "delete_no": "Radera inte, tillbaka till utkastet", "deleted": "Utkastet raderades.",
        "release_booking": "Frigör också lokalbokningen för andra",
        "reason": "Orsak till invånarna", "new_start": "Ny starttid", "new_end": "Ny sluttid",
        "read_only": "Evenemanget kan inte ändras längre.",
        "booking_releasing": "Lokalbokningen avbokas så att lokalen blir ledig för andra. "
                             "Du får e-post om det.",
        "booking_kept": "Lokalbokningen gäller fortfarande. Om du inte behöver lokalen, "
                        "avboka den så att den blir ledig för andra.",
        "open_booking": "Öppna bokningen",
        "waiting_edit": "Evenemanget väntar på godkännande och kan inte ändras under tiden.",
        "back_to_draft": "Ta tillbaka till utkast",
        "back_to_draft_help": "De som godkänner ser det inte längre. Utkastet kan du ändra, "
                              "skicka för godkännande igen eller radera.",
        "taken_back": "Tillbakataget till utkast: det väntar inte längre på godkännande.",
        "preview_note": "Förhandsvisning: så här syns evenemanget i kalendern.",
        "preview_draft": "Evenemanget är inte offentligt ännu.",
        "preview_channels": "Längst ner på sidan ser du också hur evenemanget syns på "
                            "anslagstavlan och i inläggen i sociala medier.",
        "channels": "I stadens kanaler",
        "channels_note": "När evenemanget har publicerats gör meddelandetjänsten "
                         "anslagstavlans bild och inläggen i sociala medier av samma "
                         "uppgifter. Redigera uppgifterna om något inte ser rätt ut.",
        "board": "På anslagstavlan", "board_unnamed": "Anslagstavla",
        "board_note": "Platsens anslagstavla visar evenemanget på sina språk; här på finska, "
                      "svenska och engelska.",
        "posts": "Inlägg i sociala medier",
        "posts_note": "Här är inlägget på finska, svenska och engelska och förkortat till "
                      "varje tjänsts teckengräns: först faller beskrivningarna bort, sedan de "
                      "andra språken. Vad varje konto i staden till slut publicerar beror på "
                      "kontot: det publicerar på sina egna språk.",
        "chars": "{n} / {limit} tecken", "alt": "Bildens alternativtext",
        "alt_name": "Bilden har ingen egen alternativtext, så evenemangets namn används i "
                    "stället. Lägg till en alternativtext i formuläret.",
        "needs_image": "Instagram publicerar bara med en bild: lägg till en bild för "
                       "evenemanget så går inlägget ut där också.",
        "back_to_form": "Tillbaka till evenemangets uppgifter",
        "participants": "Deltagare", "participants_help": "Hur många deltog i verksamheten.",
        "visitors": "Besökare", "visitors_help": "Hur många andra besökte platsen, till "
        "exempel för att titta.", "report": "Meddela",
        "reported": "Meddelat: {p} deltagare, {v} besökare.",
        "held": "Talet är större än vanligt: det räknas med när personalen har bekräftat det.",
        "current": "Senast meddelat: {p} deltagare, {v} besökare.",
        "report_later": "Antalet deltagare kan meddelas när evenemanget har börjat.",
        "no_report": "För det här evenemanget meddelas inga deltagare.",
        "feedback": "Responsenkät",
        "feedback_help": "Visa QR-koden vid dörren eller berätta den korta adressen. Enkäten "
                         "kan besvaras när evenemanget har slutat.",
        "feedback_link": "Kort adress", "qr_alt": "QR-kod till responsenkäten: {url}",
        "print_qr": "QR-kod för utskrift",
        "missing_title": "Utkastet är på väg",
        "missing": "Bekräftelsen av din lokalbokning har inte ännu nått evenemangstjänsten, "
                   "eller bokningen är inte din. Uppdatera sidan om en stund.",
        "reload": "Uppdatera", "gone": "Evenemanget finns inte.",
        "not_now": "Det går inte just nu: {why}",
        "error_summary": "Att rätta",
        "new": "Nytt evenemang",
        "new_intro": "Ett evenemang utan lokalbokning: till exempel en promenad i en park, "
                     "ett evenemang på nätet eller en pop up. Ange först de här uppgifterna; "
                     "resten skriver du på nästa sida, där evenemanget också publiceras.",
        "new_venue": "Evenemang i en lokal? Hitta och boka en lokal: den bekräftade "
                     "bokningens evenemangsutkast kommer till dina evenemang.",
        "area": "Område", "area_help": "Stadsdelen vars anslagstavlor och sökningar "
        "visar evenemanget.", "area_none": "Inte valt",
        "create": "Skapa utkast", "kind_blank": "Välj verksamhetsform",
        "sent_title": "Formuläret är redan skickat",
        "sent": "Du har redan skickat det här formuläret, och ett evenemang skapades av det. "
                "Inget annat skapades.",
        "sent_open": "Öppna evenemanget: {name}",
        "sent_deleted": "Du har redan skickat det här formuläret, och utkastet som skapades "
                        "av det har raderats sedan dess. Inget nytt skapades: börja ett nytt "
                        "evenemang om du vill.",
        "too_old_title": "Formuläret är för gammalt",
        "too_old": "Det här formuläret öppnades för mer än {days} dagar sedan och kan inte "
                   "längre skickas. Inget skapades: öppna ett nytt formulär, och se under "
                   "Mina evenemang om evenemanget redan finns.",
    },
    "en": {
        "title": "My activities", "sign_out": "Sign out", "languages_nav": "Language",
        "pages_nav": "Organiser's pages", "find_space": "Find a space",
        "my_bookings": "My bookings",
        "none": "You have no activities yet. When your booking is confirmed, the draft of its "
                "activity comes here. An activity without a booking you make under New "
                "activity.",
        "coming": "Coming", "past": "Past", "open": "Open",
        "status": {"draft": "Draft", "awaiting_approval": "Waiting for approval",
                   "published": "Published", "postponed": "Postponed", "rescheduled":
                   "Published, new time", "cancelled": "Cancelled",
                   "withdrawn": "Withdrawn (the booking ended)"},
        "next": {"write": "Write the activity's details and publish it.",
                 "waiting": "Communications or the venue's staff check the activity before it "
                            "goes out.",
                 "moving": "The new time waits for the booking to move.",
                 "share": "The activity is in the calendar. You can still change its details, "
                          "postpone or cancel it.",
                 "new_time": "Give the activity's new time once it is known.",
                 "report": "Report how many took part, and show the feedback survey to them.",
                 "done": "Attendance is reported. Thank you!",
                 "cancelled": "The activity is cancelled.",
                 "withdrawn": "The booking ended, so the draft is not published."},
        "note": {"refused": "Returned to you: {why}", "cancelled": "Cancelled: {why}",
                 "postponed": "Postponed: {why}", "withdrawn": "Reason: {why}",
                 "move_refused": "The time could not be moved: {why}"},
        "back": "My activities", "edit": "The activity's details", "preview": "Preview",
        "attendance": "Attendance and feedback", "registrations": "Registrations",
        "registration_settings": "Registration settings and questions",
        "places_elsewhere": "The registration settings give {n} places, and that is the "
                            "number people see. Change the places in the settings (the "
                            "link above): this field's number is not shown to them.",
        "places_unlimited_elsewhere": "The registration settings set no limit to the places, "
                                      "and that is what people see. Change the places in the "
                                      "settings (the link above): this field's number is not "
                                      "shown to them.",
        "when": "When", "where": "Where", "time_fixed": "The time comes from the booking. "
        "Change it with Move to a new time below.",
        "time_live": "A published activity's time changes by moving it to a new time.",
        "starts_at": "Starts", "ends_at": "Ends", "all_day": "All-day activity",
        "texts": "Name and description", "texts_help": "Finnish is required, Swedish and "
        "English are recommended.", "in_lang": {"fi": "in Finnish", "sv": "in Swedish",
                                                "en": "in English"},
        "name": "Name", "short_description": "Short description", "description": "Description",
        "place": "Place", "place_kind": "Where the activity is",
        "place_kinds": {"venue": "In the booked space", "outdoors": "Outdoors",
                        "pop_up": "At a pop-up place", "online": "Online",
                        "hybrid": "In the space and online", "other_place": "Elsewhere"},
        "venue": "Venue", "place_name": "Name of the place",
        "place_name_help": "Outdoors, at a pop-up or elsewhere the place's name says where "
                           "it is: Väinölänniemi beach, for example.",
        "online_url": "Link to join (online)",
        "what": "What kind of activity", "kind": "Kind of activity", "topics": "Themes",
        "audiences": "For whom", "languages": "The activity's languages",
        "lang_names": {"fi": "Finnish", "sv": "Swedish", "en": "English"},
        "min_age": "Age from", "max_age": "Age up to",
        "accessibility": "Accessibility",
        "practical": "Price and registration", "free": "Free", "price": "Price (€)",
        "registration_required": "Registration in advance", "capacity": "Places",
        "organiser_name": "Organiser's name", "library_contact": "Contact at the library",
        "image": "Image", "image_url": "Image address (https://…)",
        "image_alt": "Text alternative of the image", "save": "Save", "saved": "Saved.",
        "fix": "Please check the marked fields: nothing was saved.",
        "actions": "Publish or change", "publish": "Publish",
        "publish_help": "An activity with a confirmed booking is published at once. Others are "
                        "checked before they go out.",
        "publish_unsaved": "Your changes were not saved. Fix and save them first: publishing "
                           "now would publish the saved version without them.",
        "published": "Published: the activity is in the calendar and goes out on the "
                     "channels.",
        "queued": "Sent for approval. Communications or the venue's staff decide.",
        "published_past": "Published as a past activity: it has already ended, so it does "
                          "not show among upcoming events. It shows in the calendar on its "
                          "day and counts in the figures.",
        "queued_past": "Sent for approval as a past activity: it has already ended, so it "
                       "will not show among upcoming events. Once approved it counts in the "
                       "figures. Communications or the venue's staff decide.",
        "decision_by_email": "You are emailed the decision.",
        "decision_on_page": "The decision shows on this page. No email is sent about it, as "
                            "neither your sign-in nor your booking gives a verified email "
                            "address.",
        "postpone": "Postpone", "postpone_help": "The new time is given later.",
        "postponed": "Postponed. Give the new time once it is known.",
        "reschedule": "Move to a new time", "rescheduled": "The new time is published.",
        "move_asked": "The booking was asked to move: the new time shows once it has moved.",
        "cancel": "Cancel the activity", "cancelled": "Cancelled. Residents are told why.",
        "delete": "Delete the draft",
        "delete_help": "The draft was never published, so nobody else has seen it.",
        "delete_title": "Delete the draft?",
        "delete_confirm": "The draft {name} ({when}) is deleted for good. This cannot be "
                          "undone.",
        "delete_no": "Do not delete, back to the draft", "deleted": "The draft was deleted.",
        "release_booking": "Release the booking too, for others to use",
        "reason": "Reason for residents", "new_start": "New start", "new_end": "New end",
        "read_only": "This activity can no longer be changed.",
        "booking_releasing": "The space booking is being released for others to use. "
                             "You get an email about it.",
        "booking_kept": "The space booking still stands. If you do not need the space, "
                        "cancel the booking so others can use it.",
        "open_booking": "Open the booking",
        "waiting_edit": "The activity is waiting for approval and cannot be changed meanwhile.",
        "back_to_draft": "Take back to a draft",
        "back_to_draft_help": "Those approving no longer see it. The draft you can change, "
                              "send for approval again or delete.",
        "taken_back": "Taken back to a draft: it no longer waits for approval.",
        "preview_note": "Preview: this is how the activity shows in the calendar.",
        "preview_draft": "The activity is not public yet.",
        "preview_channels": "At the end of the page you also see how the activity shows on "
                            "the notice board and in the social media posts.",
        "channels": "On the city's channels",
        "channels_note": "Once the activity is published, the notifications service makes the "
                         "notice board slide and the social media posts from these same "
                         "details. Edit the details if something does not look right.",
        "board": "On the notice board", "board_unnamed": "Notice board",
        "board_note": "The venue's notice board shows the activity in its languages; here in "
                      "Finnish, Swedish and English.",
        "posts": "Social media posts",
        "posts_note": "Here the post is in Finnish, Swedish and English, shortened to each "
                      "platform's character limit: first the descriptions go, then the other "
                      "languages. What each of the city's accounts finally posts depends on "
                      "the account: it posts in its own languages.",
        "chars": "{n} / {limit} characters", "alt": "The image's alt text",
        "alt_name": "The image has no alt text of its own, so the activity's name stands in "
                    "for it. Add an alt text in the form.",
        "needs_image": "Instagram posts only with an image: add an image to the activity for "
                       "the post to go there too.",
        "back_to_form": "Back to the activity's details",
        "participants": "Participants", "participants_help": "How many took part in the "
        "activity.", "visitors": "Visitors", "visitors_help": "How many others came by, to "
        "watch for example.", "report": "Report",
        "reported": "Reported: {p} participants, {v} visitors.",
        "held": "The figure is larger than usual: it counts once staff have confirmed it.",
        "current": "Last reported: {p} participants, {v} visitors.",
        "report_later": "Attendance can be reported once the activity has started.",
        "no_report": "No attendance is reported for this activity.",
        "feedback": "Feedback survey",
        "feedback_help": "Show the QR code at the door or tell the short address. The survey "
                         "can be answered once the activity has ended.",
        "feedback_link": "Short address", "qr_alt": "QR code of the feedback survey: {url}",
        "print_qr": "QR code to print",
        "missing_title": "The draft is on its way",
        "missing": "Your booking's confirmation has not reached the events service yet, or the "
                   "booking is not yours. Reload the page in a moment.",
        "reload": "Reload", "gone": "There is no such activity.",
        "not_now": "This cannot be done now: {why}",
        "error_summary": "To fix",
        "new": "New activity",
        "new_intro": "An activity without a booking: a walk in a park, an online event or a "
                     "pop-up, say. Give these details first; the rest you write on the next "
                     "page, where the activity is also published.",
        "new_venue": "In a space? Find and book a space: the confirmed booking's draft "
                     "activity comes to your activities.",
        "area": "Area", "area_help": "The part of the city whose notice boards and searches "
        "show the activity.", "area_none": "Not chosen",
        "create": "Create draft", "kind_blank": "Choose the kind of activity",
        "sent_title": "The form was already sent",
        "sent": "You already sent this form, and it made an activity. No other was made.",
        "sent_open": "Open the activity: {name}",
        "sent_deleted": "You already sent this form, and the draft it made has since been "
                        "deleted. No new one was made: start a new activity if you want one.",
        "too_old_title": "The form is too old",
        "too_old": "This form was opened more than {days} days ago and can no longer be "
                   "sent. Nothing was made: open a new form, and see My activities for "
                   "whether the activity was made already.",
    },
}

#: A choice not among a form's options (a term, a place kind, an area).
#: The "New activity" form's area left unchosen for an activity in a place: without one it
#: shows on no area's boards or searches, and no page sets it later.
AREA_NEEDED = {"fi": "Valitse alue: ilman sitä tapahtuma ei näy minkään alueen "
                     "ilmoitustauluilla eikä hauissa.",
               "sv": "Välj ett område: utan det syns evenemanget inte på något områdes "
                     "anslagstavlor eller i sökningar.",
               "en": "Choose an area: without one the activity shows on no area's notice "
                     "boards or searches."}
#: The "New activity" form's kind left unchosen: it has no default, as a first option chosen
#: for the organiser was another in each language (the options are in its sort order), and
#: the figures by kind counted it so.
KIND_NEEDED = {"fi": "Valitse toiminnan muoto.", "sv": "Välj verksamhetsform.",
               "en": "Choose the kind of activity."}
CHOOSE = {"fi": "Valitse vaihtoehdoista.", "sv": "Välj bland alternativen.",
          "en": "Choose from the options."}

#: A refusal in the organiser's words, by the rule's own (English) message: (pattern,
#: fi/sv/en with the pattern's groups). The first that matches is said next to its field.
REFUSALS: list[tuple[str, dict[str, str]]] = [
    (r"`end` must be after `start`", {
        "fi": "Haun loppu (end) on oltava sen alun (start) jälkeen.",
        "sv": "Sökningens slut (end) måste vara efter dess början (start).",
        "en": "The search's end must be after its start."}),
    (r"needs a readable label in", {
        "fi": "Nimessä ei ole mitään luettavaa: kirjoita nimi kirjaimin tai numeroin.",
        "sv": "Namnet har inget att läsa: skriv namnet med bokstäver eller siffror.",
        "en": "The name has nothing to read: write it in letters or digits."}),
    (r"must not be empty", {"fi": "Tämä tieto tarvitaan.", "sv": "Uppgiften behövs.",
                            "en": "This is needed."}),
    (r"at most (\d+) characters", {"fi": "Enintään {0} merkkiä.", "sv": "Högst {0} tecken.",
                                   "en": "At most {0} characters."}),
    (r"must be an http or https address", {
        "fi": "Anna osoite, joka alkaa https:// tai http://.",
        "sv": "Ange en adress som börjar med https:// eller http://.",
        "en": "Give an address starting with https:// or http://."}),
    # Years are no amounts: "2000–2100", never "2 000–2 100" (`YEARS`: not grouped).
    (r"year must be between (\d+) and (\d+)", {
        "fi": "Anna päivä ja kellonaika vuosilta {0}–{1}.",
        "sv": "Ange dag och klockslag åren {0}–{1}.",
        "en": "Give a date and time in the years {0}–{1}."}),
    (r"must be between (\d+) and (\d+)", {"fi": "Anna luku väliltä {0}–{1}.",
                                          "sv": "Ange ett tal mellan {0} och {1}.",
                                          "en": "Give a number from {0} to {1}."}),
    (r"must be a whole number", {"fi": "Anna kokonaisluku.", "sv": "Ange ett heltal.",
                                 "en": "Give a whole number."}),
    (r"must be (a|a finite) number", {"fi": "Anna hinta euroina, esimerkiksi 5,50.",
                                      "sv": "Ange priset i euro, till exempel 5,50.",
                                      "en": "Give the price in euros, for example 5.50."}),
    (r"lowest age must not be above", {
        "fi": "Alaikäraja ei voi olla yläikärajaa suurempi.",
        "sv": "Den lägsta åldern kan inte vara högre än den högsta.",
        "en": "The lowest age cannot be above the highest."}),
    (r"Finnish name is needed", {"fi": "Anna nimi suomeksi ennen julkaisua.",
                                 "sv": "Ange ett namn på finska före publiceringen.",
                                 "en": "Give a name in Finnish before publishing."}),
    (r"needs its online link", {
        "fi": "Verkossa järjestettävä tapahtuma tarvitsee osallistumislinkin.",
        "sv": "Ett evenemang på nätet behöver en länk för att delta.",
        "en": "An online activity needs its link to join."}),
    (r"needs its place name", {
        "fi": "Kerro paikan nimi, jotta osallistujat löytävät perille (esimerkiksi puisto "
              "tai tori).",
        "sv": "Ange platsens namn så att deltagarna hittar dit (till exempel en park eller "
              "ett torg).",
        "en": "Give the place's name so that people find their way there (a park or a "
              "square, for example)."}),
    (r"needs its venue", {"fi": "Tilassa järjestettävä tapahtuma tarvitsee tilavarauksen: "
                                "valitse toinen paikka.",
                          "sv": "Ett evenemang i en lokal behöver en lokalbokning: välj en "
                                "annan plats.",
                          "en": "An activity in a space needs a booking: choose another "
                                "place."}),
    (r"must end after it starts", {"fi": "Päättymisajan pitää olla alkamisen jälkeen.",
                                   "sv": "Sluttiden måste vara efter starttiden.",
                                   "en": "The end must be after the start."}),
    (r"at least one language", {"fi": "Valitse vähintään yksi kieli.",
                                "sv": "Välj minst ett språk.",
                                "en": "Choose at least one language."}),
    (r"has nothing to read", REFUSAL_TEXT["name_unreadable"]),
    (r"not a valid code|unknown (kind|topic|audience)", CHOOSE),
    (r"lasts at most (\d+) days", {
        "fi": "Tällainen tapahtuma kestää enintään {0} päivää; pidemmästä tehdään sarja.",
        "sv": "Ett sådant evenemang pågår högst {0} dagar; ett längre görs till en serie.",
        "en": "Such an activity lasts at most {0} days; a longer one is made a series."}),
    (r"does not exist in Helsinki", {
        "fi": "{field}: tätä kellonaikaa ei ole Suomessa, koska kelloja siirretään silloin "
              "tunnilla eteenpäin. Valitse toinen aika.",
        "sv": "{field}: det klockslaget finns inte i Finland, eftersom klockan då flyttas "
              "fram en timme. Välj en annan tid.",
        "en": "{field}: that time does not exist in Finland, as the clocks go forward an "
              "hour then. Choose another time."}),
    (r"date and time|the year must be|time zone", {
        "fi": "Anna päivä ja kellonaika.", "sv": "Ange datum och klockslag.",
        "en": "Give a date and time."}),
    (r"time of an activity with a booking changes by rescheduling", {
        "fi": "Tilavarauksen tapahtuman aika muutetaan siirtämällä tapahtuma, jolloin "
              "varauskin siirtyy.",
        "sv": "Tiden för ett evenemang med lokalbokning ändras genom att flytta evenemanget, "
              "så att bokningen flyttas med.",
        "en": "The time of an activity with a booking changes by moving the activity, so "
              "that its booking moves too."}),
    (r"published event's time changes by rescheduling", {
        "fi": "Julkaistun tapahtuman aika muutetaan siirtämällä tapahtuma, jotta "
              "osallistujille kerrotaan uusi aika.",
        "sv": "Tiden för ett publicerat evenemang ändras genom att flytta evenemanget, så "
              "att deltagarna får veta den nya tiden.",
        "en": "A published activity's time changes by moving the activity, so that those "
              "taking part are told the new time."}),
    (r"activity's time already", {"fi": "Tämä on jo tapahtuman aika.",
                                  "sv": "Det är redan evenemangets tid.",
                                  "en": "That is the activity's time already."}),
    (r"cannot start in the past", {"fi": "Uusi aika on jo mennyt: valitse tuleva aika.",
                                   "sv": "Den nya tiden har redan varit: välj en kommande "
                                         "tid.",
                                   "en": "The new time has already passed: choose a coming "
                                         "time."}),
    # Booking's words for its title's (`text_chars`; a term's label has its own, below): the
    # character is not seen, so
    # typing the text again is what helps.
    (r"has a control or text-direction character$", {
        "fi": "Tekstissä on merkki, jota ei voi tallentaa; kirjoita se uudelleen.",
        "sv": "Texten har ett tecken som inte kan sparas; skriv den på nytt.",
        "en": "The text has a character that cannot be saved; type it again."}),
    # The sign-up settings' own words for the same rule (notifications' settings page).
    (r"(\d+) seats are confirmed already", {
        "fi": "Paikkoja ei voi olla vähemmän kuin vahvistettuja paikkoja, joita on jo {0}.",
        "sv": "Platserna kan inte vara färre än de redan bekräftade platserna, som är {0}.",
        "en": "There cannot be fewer places than the seats already confirmed ({0})."}),
    (r"NUL characters|valid Unicode", {
        "fi": "Tekstissä on merkkejä, joita ei voi tallentaa.",
        "sv": "Texten innehåller tecken som inte kan sparas.",
        "en": "The text has characters that cannot be saved."}),
    # Refusals of an act as a whole (Conflict): said above the form.
    (r"waiting for approval already", {
        "fi": "Tapahtuma odottaa jo hyväksyntää.", "sv": "Evenemanget väntar redan på "
        "godkännande.", "en": "The activity is waiting for approval already."}),
    (r"the booking of this activity is", {
        "fi": "Tapahtuman tilavaraus ei ole enää voimassa.",
        "sv": "Evenemangets lokalbokning gäller inte längre.",
        "en": "The activity's booking is no longer valid."}),
    (r"once the activity has started", {
        "fi": "Osallistujamäärän voi ilmoittaa, kun tapahtuma on alkanut.",
        "sv": "Antalet deltagare kan meddelas när evenemanget har börjat.",
        "en": "Attendance can be reported once the activity has started."}),
    (r"attendance is reported for activity that took place", {
        "fi": "Osallistujat ilmoitetaan toteutuneesta tapahtumasta.",
        "sv": "Deltagare meddelas för ett evenemang som har ägt rum.",
        "en": "Attendance is reported for an activity that took place."}),
    (r"already waiting for the booking service", {
        "fi": "Edellinen ajan siirto odottaa vielä tilavarauksen vastausta.",
        "sv": "Den förra flytten väntar ännu på lokalbokningens svar.",
        "en": "The previous move is still waiting for the booking's answer."}),
    (r"cannot be imported", {
        "fi": "Tuonnissa on tapahtumia, joita ei voi tuoda: mitään ei tuotu. Korjaa "
              "failed-luettelon kohdat ja tuo uudelleen.",
        "sv": "Importen har evenemang som inte kan importeras: inget importerades. Rätta "
              "punkterna i failed-listan och importera igen.",
        "en": "The import has events that cannot be imported: nothing was imported. Fix the "
              "items in the failed list and import again."}),
    (r"not one of a series", {
        "fi": "Tämä toiminta ei kuulu sarjaan: muokkaa sitä yksinään.",
        "sv": "Den här verksamheten hör inte till någon serie: redigera den ensam.",
        "en": "This activity is not part of a series: edit it on its own."}),
    (r"booking's draft is not deleted", {
        "fi": "Tilavarauksen luonnosta ei poisteta: peru tilavaraus, jolloin luonnoskin "
              "poistuu käytöstä.",
        "sv": "En lokalboknings utkast raderas inte: avboka lokalen, så dras utkastet "
              "tillbaka.",
        "en": "A booking's draft is not deleted: cancel the booking, which withdraws it."}),
    # Awaiting approval: not out, so neither cancelled nor deleted as it is; taken back.
    (r"awaiting approval is not (out yet|deleted)", {
        "fi": "Tapahtuma odottaa hyväksyntää eikä ole vielä julki: ota se ensin takaisin "
              "luonnokseksi. Luonnosta voit muokata, lähettää sen uudelleen tai poistaa sen.",
        "sv": "Evenemanget väntar på godkännande och är inte publicerat än: ta först "
              "tillbaka det till ett utkast. Utkastet kan du ändra, skicka igen eller radera.",
        "en": "The activity is waiting for approval and is not out yet: take it back to a "
              "draft first. The draft you can change, send again or delete."}),
    (r"nothing to take back", {
        "fi": "Tapahtuma ei odota hyväksyntää, joten sitä ei ole otettavissa takaisin.",
        "sv": "Evenemanget väntar inte på godkännande, så det finns inget att ta tillbaka.",
        "en": "The activity is not waiting for approval, so there is nothing to take "
              "back."}),
    (r"is not deleted: cancel it", {
        "fi": "Vain julkaisematon luonnos poistetaan; julkaistu tapahtuma perutaan.",
        "sv": "Bara ett opublicerat utkast raderas; ett publicerat evenemang ställs in.",
        "en": "Only a draft never published is deleted; a published activity is "
              "cancelled."}),
    (r"cannot be|is not edited", {
        "fi": "Tapahtuman nykyisessä tilassa tätä ei voi tehdä.",
        "sv": "Det går inte i evenemangets nuvarande läge.",
        "en": "That cannot be done in the activity's present state."}),
]
#: The patterns of `REFUSALS` whose numbers are years, said as written ("2000"), not
#: grouped as amounts are ("2 000").
YEARS = (r"year must be between (\d+) and (\d+)",)
#: When no pattern matches: the field is named, the form says where.
REFUSAL_OTHER = {"fi": "Tarkista tämä kohta.", "sv": "Kontrollera den här punkten.",
                 "en": "Please check this."}

#: Why the booking service refused to move an activity's booking (`domain.MOVE_REFUSALS`),
#: after "Ajan siirto ei onnistunut:"; `{days}` the space's horizon. Never its English words.
MOVE_REFUSALS: dict[str, dict[str, str]] = {
    "past": {"fi": "uusi aika on jo mennyt.", "sv": "den nya tiden har redan varit.",
             "en": "the new time has already passed."},
    "horizon": {"fi": "tilan voi varata enintään {days} päivää etukäteen.",
                "sv": "lokalen kan bokas högst {days} dagar i förväg.",
                "en": "the space can be booked at most {days} days ahead."},
    "horizon_far": {"fi": "uusi aika on kauempana kuin tilan voi varata.",
                    "sv": "den nya tiden ligger längre fram än lokalen kan bokas.",
                    "en": "the new time is further ahead than the space can be booked."},
    "short": {"fi": "uusi aika on lyhyempi kuin tilan lyhin varaus.",
              "sv": "den nya tiden är kortare än lokalens kortaste bokning.",
              "en": "the new time is shorter than the space's shortest booking."},
    "long": {"fi": "uusi aika on pidempi kuin tilan voi varata kerralla.",
             "sv": "den nya tiden är längre än lokalen kan bokas åt gången.",
             "en": "the new time is longer than the space can be booked at once."},
    "closed": {"fi": "tila ei ole silloin auki.", "sv": "lokalen är inte öppen då.",
               "en": "the space is not open then."},
    "closed_day": {"fi": "tila on suljettu sinä päivänä.", "sv": "lokalen är stängd den dagen.",
                   "en": "the space is closed that day."},
    "taken": {"fi": "tila on jo varattu siihen aikaan.",
              "sv": "lokalen är redan bokad den tiden.",
              "en": "the space is already booked for that time."},
    "equipment": {"fi": "varaukseen lainatut välineet eivät ole vapaina uutena aikana.",
                  "sv": "utrustningen som lånats till bokningen är inte ledig vid den nya "
                        "tiden.",
                  "en": "the equipment lent for the booking is not free at the new time."},
    "status": {"fi": "tilavaraus ei ole enää voimassa.",
               "sv": "lokalbokningen gäller inte längre.",
               "en": "the booking is no longer valid."},
    "gone": {"fi": "tilavarausta tai tilaa ei enää ole.",
             "sv": "lokalbokningen eller lokalen finns inte längre.",
             "en": "the booking or its space no longer exists."},
    "rule": {"fi": "uusi aika ei sovi tilan varaussääntöihin.",
             "sv": "den nya tiden passar inte lokalens bokningsregler.",
             "en": "the new time does not fit the space's booking rules."},
    "other": {"fi": "tilavarausta ei voitu siirtää uuteen aikaan. Kysy tarvittaessa "
                    "kirjaston palvelupisteestä.",
              "sv": "bokningen kunde inte flyttas till den nya tiden. Fråga vid behov "
                    "bibliotekets kundtjänst.",
              "en": "the booking could not be moved to the new time. Ask the library's desk "
                    "if needed."},
}
#: The space's opening hours the day asked for, after a `closed` refusal.
OPEN_THAT_DAY = {"fi": "Aukioloaika sinä päivänä: {hours}.",
                 "sv": "Öppettider den dagen: {hours}.",
                 "en": "Opening hours that day: {hours}."}
SELF_SERVICE = {"fi": "omatoimiaika", "sv": "självbetjäning", "en": "self-service"}
#: A text of the form (name, description…) given without its Finnish: why Finnish is asked.
FINNISH_NEEDED = {
    "fi": "Kirjoita tämä suomeksi: suomenkielinen teksti tarvitaan julkaisuun, koska asukkaat "
          "lukevat tapahtumat ensin suomeksi. Ruotsin- ja englanninkielinen teksti näytetään "
          "sen rinnalla.",
    "sv": "Skriv det här på finska: den finska texten behövs för att publicera, eftersom "
          "invånarna läser evenemangen först på finska. Den svenska och engelska texten visas "
          "vid sidan av den.",
    "en": "Write this in Finnish: the Finnish text is needed to publish, as residents read the "
          "activities in Finnish first. The Swedish and English texts are shown alongside it.",
}

#: An occurrence of a weekly series on the organiser's pages: which time it is, saving
#: for it only or for every time still to come, publishing every time, and the list's fold.
SERIES: dict[str, dict[str, str]] = {
    "fi": {"which": "Sarjan kerta {n}/{total}",
           "save_one": "Tallenna vain tähän kertaan",
           "save_all": "Tallenna kaikkiin sarjan tuleviin kertoihin ({n})",
           "save_help": "Sarjan tulevat kerrat saavat samat muutetut tiedot. Kunkin kerran "
                        "aika pysyy omanaan. Perutut, päättyneet ja hyväksyntää odottavat "
                        "kerrat eivät muutu. Julkaistujen kertojen muutoksista kerrotaan "
                        "kanavissa kuten muistakin muutoksista.",
           "saved_series": "Tallennettu tähän ja sarjan kaikkiin tuleviin kertoihin.",
           "publish_all": "Julkaise kaikki kerrat ({n})",
           "publish_all_help": "Julkaisee sarjan kaikki luonnokset kerralla, tai ei yhtään, "
                               "jos jokin niistä ei vielä kelpaa.",
           "series_published": "Sarjan kerrat julkaistu.",
           "series_queued": "Sarjan kerrat lähetetty hyväksyttäviksi.",
           "at_time": "Kerta {when}: {why}", "times": "{n} kertaa"},
    "sv": {"which": "Gång {n} av {total} i serien",
           "save_one": "Spara bara för den här gången",
           "save_all": "Spara för alla seriens kommande gånger ({n})",
           "save_help": "Seriens kommande gånger får samma ändrade uppgifter. Varje gång "
                        "behåller sin egen tid. Inställda och avslutade gånger och de som "
                        "väntar på godkännande ändras inte. Ändringar i publicerade gånger "
                        "berättas i kanalerna som andra ändringar.",
           "saved_series": "Sparat för den här och alla seriens kommande gånger.",
           "publish_all": "Publicera alla gånger ({n})",
           "publish_all_help": "Publicerar alla seriens utkast på en gång, eller inget om "
                               "något av dem inte duger ännu.",
           "series_published": "Seriens gånger publicerade.",
           "series_queued": "Seriens gånger skickade för godkännande.",
           "at_time": "Gången {when}: {why}", "times": "{n} gånger"},
    "en": {"which": "Time {n} of {total} in the series",
           "save_one": "Save for this time only",
           "save_all": "Save for every time in the series still to come ({n})",
           "save_help": "The series' times still to come get the same changed details. Each "
                        "time keeps its own time. Cancelled and ended times and those waiting "
                        "for approval do not change. Changes to published times are told on "
                        "the channels as any change is.",
           "saved_series": "Saved for this time and every time still to come in the series.",
           "publish_all": "Publish every time ({n})",
           "publish_all_help": "Publishes all the series' drafts at once, or none if one of "
                               "them is not ready yet.",
           "series_published": "The series' times are published.",
           "series_queued": "The series' times are sent for approval.",
           "at_time": "The time on {when}: {why}", "times": "{n} times"},
}

#: The staff pages' navigation (the approval queue, the vocabulary), under one sign-in.
STAFF_NAV: dict[str, dict[str, str]] = {
    "fi": {"nav": "Henkilökunnan sivut", "queue": "Hyväksyntäjono", "vocabulary": "Sanasto"},
    "sv": {"nav": "Personalens sidor", "queue": "Godkännandekö", "vocabulary": "Vokabulär"},
    "en": {"nav": "Staff pages", "queue": "Approval queue", "vocabulary": "Vocabulary"},
}

#: The vocabulary page: each scheme's terms, their words and state; adding, relabelling,
#: retiring and restoring. `{name}` a term's words in the reader's language, `{code}` its
#: code, `{n}` a number written as the reader's language writes it.
VOCABULARY: dict[str, dict[str, Any]] = {
    "fi": {
        "title": "Sanasto", "sign_out": "Kirjaudu ulos",
        "help": "Termit ovat valintoja, joita järjestäjät ja asukkaat näkevät tapahtumien "
                "lomakkeilla ja kalenterin suodattimissa. Termiä ei poisteta: käytöstä "
                "poistettua termiä ei tarjota uusiin valintoihin, mutta tapahtumat, joilla se "
                "on, säilyttävät sen nimen. Koodia ei voi muuttaa.",
        "schemes": {"kind": "Toiminnan muodot", "topic": "Teemat", "audience": "Kenelle"},
        "scheme": "Ryhmä", "code": "Koodi",
        "code_hint": "Pieniä kirjaimia a–z, numeroita ja alaviivoja (_), 2–50 merkkiä. "
                     "Koodi näkyy osoitteissa eikä sitä voi myöhemmin muuttaa.",
        "label_fi": "Suomeksi", "label_sv": "Ruotsiksi", "label_en": "Englanniksi",
        "label_hint": "Suomenkielinen nimi tarvitaan; ruotsin- ja englanninkielisen voi "
                      "jättää tyhjäksi.",
        "state": "Tila", "actions": "Toiminnot",
        "offered": "Käytössä", "retired": "Poistettu käytöstä",
        "add": "Lisää termi", "add_button": "Lisää", "save": "Tallenna nimet",
        "retire": "Poista käytöstä", "restore": "Palauta käyttöön",
        "added": "Lisätty: {name} ({code}).", "saved": "Nimet tallennettu: {name}.",
        "retired_done": "Poistettu käytöstä: {name}.",
        "restored_done": "Palautettu käyttöön: {name}.",
        "fix": "Tarkista merkityt kohdat:",
        "refusals": {
            "scheme": "Valitse jokin ryhmistä.",
            "code_short": "Anna koodi, vähintään {n} merkkiä.",
            "code_chars": "Koodissa voi olla vain pieniä kirjaimia a–z, numeroita ja "
                          "alaviivoja (_).",
            "too_long": "Enintään {n} merkkiä.",
            "fi_needed": "Anna nimi suomeksi: se näytetään jokaisella lomakkeella ja "
                         "suodattimessa.",
            "unreadable": "Kirjoita nimi luettavina merkkeinä tai jätä kohta tyhjäksi.",
            "bad_chars": "Tekstissä on merkkejä, joita ei voi tallentaa.",
            "not_yours": "Vain viestinnän henkilökunta voi muuttaa sanastoa.",
            "gone": "Sanastossa ei ole tätä termiä.",
            "code_taken": "Tämä koodi on jo käytössä tässä ryhmässä: muuta termin nimiä sen "
                          "rivillä alempana (käytöstä poistetun voi myös palauttaa siellä).",
            "other": "Tarkista tämä kohta.",
        },
    },
    "sv": {
        "title": "Vokabulär", "sign_out": "Logga ut",
        "help": "Termerna är val som arrangörer och invånare ser i evenemangens formulär och "
                "i kalenderns filter. En term raderas inte: en term som tagits ur bruk "
                "erbjuds inte för nya val, men evenemang som har den behåller dess namn. "
                "Koden kan inte ändras.",
        "schemes": {"kind": "Verksamhetsformer", "topic": "Teman", "audience": "För vem"},
        "scheme": "Grupp", "code": "Kod",
        "code_hint": "Små bokstäver a–z, siffror och understreck (_), 2–50 tecken. Koden "
                     "syns i adresser och kan inte ändras senare.",
        "label_fi": "På finska", "label_sv": "På svenska", "label_en": "På engelska",
        "label_hint": "Ett finskt namn behövs; det svenska och engelska kan lämnas tomma.",
        "state": "Läge", "actions": "Åtgärder",
        "offered": "I bruk", "retired": "Tagen ur bruk",
        "add": "Lägg till en term", "add_button": "Lägg till", "save": "Spara namnen",
        "retire": "Ta ur bruk", "restore": "Ta i bruk igen",
        "added": "Tillagd: {name} ({code}).", "saved": "Namnen sparade: {name}.",
        "retired_done": "Tagen ur bruk: {name}.",
        "restored_done": "Tagen i bruk igen: {name}.",
        "fix": "Kontrollera de markerade punkterna:",
        "refusals": {
            "scheme": "Välj en av grupperna.",
            "code_short": "Ange en kod, minst {n} tecken.",
            "code_chars": "Koden får bara ha små bokstäver a–z, siffror och understreck "
                          "(_).",
            "too_long": "Högst {n} tecken.",
            "fi_needed": "Ange ett namn på finska: det visas i varje formulär och filter.",
            "unreadable": "Skriv namnet med läsbara tecken eller lämna fältet tomt.",
            "bad_chars": "Texten innehåller tecken som inte kan sparas.",
            "not_yours": "Bara kommunikationspersonalen kan ändra vokabulären.",
            "gone": "Termen finns inte i vokabulären.",
            "code_taken": "Koden används redan i den här gruppen: ändra termens namn på dess "
                          "rad nedan (en term som tagits ur bruk kan också tas i bruk igen "
                          "där).",
            "other": "Kontrollera den här punkten.",
        },
    },
    "en": {
        "title": "Vocabulary", "sign_out": "Sign out",
        "help": "Terms are the choices organisers and residents see on the activities' "
                "forms and the calendar's filters. A term is never deleted: a retired term is "
                "offered for no new choice, while the activities that have it keep its words. "
                "A code cannot be changed.",
        "schemes": {"kind": "Kinds of activity", "topic": "Themes", "audience": "Audiences"},
        "scheme": "Group", "code": "Code",
        "code_hint": "Lower-case letters a–z, digits and underscores (_), 2–50 characters. "
                     "The code shows in addresses and cannot be changed later.",
        "label_fi": "In Finnish", "label_sv": "In Swedish", "label_en": "In English",
        "label_hint": "A Finnish name is needed; the Swedish and English ones may be left "
                      "empty.",
        "state": "State", "actions": "Actions",
        "offered": "In use", "retired": "Retired",
        "add": "Add a term", "add_button": "Add", "save": "Save the words",
        "retire": "Retire", "restore": "Restore",
        "added": "Added: {name} ({code}).", "saved": "Words saved: {name}.",
        "retired_done": "Retired: {name}.", "restored_done": "Restored: {name}.",
        "fix": "Please check the marked inputs:",
        "refusals": {
            "scheme": "Choose one of the groups.",
            "code_short": "Give a code of at least {n} characters.",
            "code_chars": "A code may only have lower-case letters a–z, digits and "
                          "underscores (_).",
            "too_long": "At most {n} characters.",
            "fi_needed": "Give a name in Finnish: it is shown on every form and filter.",
            "unreadable": "Write the name in readable characters, or leave it empty.",
            "bad_chars": "The text has characters that cannot be saved.",
            "not_yours": "Only communications staff can change the vocabulary.",
            "gone": "There is no such term in the vocabulary.",
            "code_taken": "This code is already in use in this group: change the term's words "
                          "in its row below (a retired term can be restored there too).",
            "other": "Please check this.",
        },
    },
}
