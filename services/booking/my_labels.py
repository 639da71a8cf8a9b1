"""The words of an organiser's own pages (/my, issue #16) in Finnish, Swedish and English;
the booking rules' refusals are `labels.error_text`'s, as on the desk."""

from __future__ import annotations

from typing import Any

from shared.house_rules import house_rules
from shared.pages import SKIP_TO_MAIN

#: The pages' title, as the sign-in form says it (the events service's /my/activities pages
#: share the session and its sign-in).
TITLES = {"fi": "Järjestäjän sivut", "sv": "Arrangörens sidor", "en": "Organiser's pages"}

MY: dict[str, dict[str, Any]] = {
    "fi": {
        "title": "Järjestäjän sivut", "find": "Etsi tila", "mine": "Omat varaukset",
        "activities": "Omat tapahtumat", "sign_out": "Kirjaudu ulos", "language": "Kieli",
        "filters": "Mitä etsit?", "area": "Alue", "venue": "Kirjasto", "any": "Kaikki",
        "day": "Päivä", "view": "Näytä", "view_day": "päivä", "view_week": "viikko",
        "not_before": "Aikaisintaan klo", "minutes": "Kesto", "capacity": "Osallistujia",
        "equipment": "Varustus", "accessible": "Vain kirjastot, joiden esteettömyys on kuvattu",
        "organiser_type": "Järjestän", "search": "Hae",
        "results": "Vapaat tilat", "no_spaces": "Hakuun sopivia tiloja ei löytynyt. Kokeile "
        "toista päivää, lyhyempää kestoa tai pienempää osallistujamäärää.",
        "no_free": "Ei vapaita aikoja tällä haulla.",
        "beyond_horizon": "Tämän tilan voi varata enintään {days} päivää etukäteen.",
        "at_limit": "Sinulla on jo tästä tilasta {n} avointa pyyntöä, enintään sallittu"
                    " määrä. Voit pyytää uutta aikaa, kun kirjasto on käsitellyt jonkin"
                    " niistä tai perut sen.",
        "people": "{n} hlö",
        "price": "Hinta", "per_hour": "{price} / tunti", "free_of_charge": "maksuton",
        "not_charged": "ei laskuteta",
        "house_rules": house_rules("fi"),
        "lengths": "Kesto {low}–{high} min", "cancel_rule": "Peruttavissa {hours} h ennen alkua",
        "confirmations": {"manual": "Kirjasto vahvistaa pyynnön",
                          "automatic": "Vahvistuu heti"},
        "self_service": "Varattavissa myös omatoimiaikana (ovikoodilla)",
        "hold_rule": "Valitsemasi aika pidetään sinulle {minutes} min lomakkeen täyttämisen "
        "ajan.",
        "for_you": "Sinulle",
        "terms": {
            "cooperation": "maksuton käyttö, kun tilaisuus järjestetään yhteistyössä kirjaston "
            "kanssa; tarvitset yhteyshenkilön kirjastosta.",
            "cooperation_or_rental": "maksuton yhteistyössä kirjaston kanssa (yhteyshenkilö "
            "kirjastosta) tai maksullinen vuokraus {price} / tunti, jolloin kirjasto ei ole "
            "mukana järjestämässä.",
            "shared_activity": "täällä ei ole maksullisia tiloja. Puolue, uskonnollinen tai "
            "kaupallinen järjestäjä voi käyttää tilaa vain yhteisessä toiminnassa, joka antaa "
            "kaikille (esimerkiksi kaikille puolueille) tasapuolisen mahdollisuuden.",
            "shared_or_rental": "maksullinen vuokraus {price} / tunti omaan tilaisuuteen "
            "(kirjasto ei ole mukana järjestämässä) tai yhteinen, kaikille tasapuolinen "
            "toiminta yhteistyössä kirjaston kanssa."},
        "starts": "Alkaa", "choose": "Valitse aika",
        "types": {"resident": "asukkaana", "association": "yhdistyksenä tai yhteisönä",
                  "party": "poliittisena puolueena",
                  "religious": "uskonnollisena yhteisönä", "commercial": "yrityksenä",
                  "library": "kirjastona"},
        "equipment_names": {"projector": "videotykki", "screen": "valkokangas",
                            "sound_system": "äänentoisto"},
        "request": "Varauspyyntö", "held_until": "Aika on pidossa sinulle klo {time} asti.",
        "hold_expired": "Aikaa ei enää pidetä sinulle, joten pyyntöä ei voi lähettää.",
        "choose_again": "Valitse aika uudelleen",
        "event_title": "Tilaisuuden nimi", "terms_legend": "Käyttöehdot",
        "title_language": "Nimen kieli",
        "title_language_hint": "Kieli, jolla kirjoitit nimen: toiminnan luonnos saa nimen"
                               " sillä kielellä.",
        "as_cooperation": "Yhteistyössä kirjaston kanssa (maksuton)",
        "as_rental": "Maksullinen vuokraus ({price} / tunti)",
        "library_contact": "Yhteyshenkilö kirjastossa",
        "library_contact_hint": "Tarvitaan, kun tilaisuus järjestetään yhteistyössä.",
        "shared_activity": "Yhteistä toimintaa, joka antaa kaikille tasapuolisen mahdollisuuden",
        "contact": "Yhteystiedot", "contact_name": "Nimi", "email": "Sähköposti",
        "phone": "Puhelin", "contact_language": "Viestien kieli",
        "remembered": "Kieli ja yhteystiedot muistetaan seuraavaa kertaa varten.",
        "accept": "Hyväksyn talon säännöt: tilaisuus on laillinen ja päihteetön.",
        "send": "Lähetä pyyntö", "release": "Vapauta aika", "optional": "valinnainen",
        "none": "Sinulla ei ole vielä varauksia.", "when": "Milloin", "space": "Tila",
        "status": "Varauksen tila", "state": "Vaihe",
        "series": {"one": "Sarja, 1 kerta", "other": "Sarja, {n} kertaa"},
        "history": "Vaiheet",
        "reference": "Viitenumero", "door_code": "Ovikoodi", "calendar": "Lisää kalenteriin "
        "(.ics)", "cancel": "Peru varaus", "cancel_by": "Voit perua varauksen itse {when} "
        "asti.", "past_deadline": "Peruutusaika on mennyt. Ota yhteyttä kirjastoon:",
        "write_activity": "Kirjoita tapahtuma", "continue": "Jatka pyyntöä",
        "did_cancel": "Varaus peruttu.", "did_release": "Aika vapautettu.",
        "did_submit": "Pyyntö lähetetty. Kirjasto vahvistaa sen.",
        "did_confirm_at_once": "Varaus on vahvistettu.",
        "back_to_list": "Kaikki omat varaukset",
        "unverified_title": "Vahvista sähköpostiosoitteesi",
        "unverified": "Lähetimme vahvistuslinkin osoitteeseen {email}. Avaa viestissä oleva"
        " linkki, niin osoite on vahvistettu. Ennen sitä emme lähetä tästä varauksesta"
        " sähköpostia: emme vahvistusta, ovikoodia emmekä päätöstä tapahtumastasi.",
        "unverified_many": "Lähetimme vahvistuslinkin osoitteeseen {email}. Avaa viestissä"
        " oleva linkki, niin osoite on vahvistettu. Ennen sitä emme lähetä sähköpostia"
        " varauksista, joissa tämä osoite on annettu: emme vahvistusta, ovikoodia emmekä"
        " päätöstä tapahtumastasi.",
        "unverified_link": "Linkki on voimassa {days} päivää. Jos viestiä ei näy, katso myös"
        " roskapostikansio.",
        "send_link_again": "Lähetä linkki uudelleen",
        "send_link_again_to": "Lähetä linkki uudelleen osoitteeseen {email}",
        # When "send the link again" can next send ({when}: "klo 13.41", "pe 4.12. klo 14.30").
        "link_again_at": "Voit pyytää uuden linkin {when} alkaen.",
        "at_clock": "klo",
        "did_send_link": "Vahvistuslinkki lähetettiin uudelleen osoitteeseen {email}. Vain"
        " uusin linkki toimii.",
        "did_prove": "Osoite {email} on vahvistettu kirjautumisesi perusteella. Linkkiä ei"
        " tarvita.",
        "actors": {"organiser": "sinä", "desk": "kirjasto", "system": "järjestelmä",
                   "activity_organiser": "tapahtuman järjestäjä"},
        "extra_statuses": {"moved": "siirretty"},
        "occurrences": "Sarjan kerrat",
    },
    "sv": {
        "title": "Arrangörens sidor", "find": "Hitta en lokal", "mine": "Mina bokningar",
        "activities": "Mina evenemang", "sign_out": "Logga ut", "language": "Språk",
        "filters": "Vad söker du?", "area": "Område", "venue": "Bibliotek", "any": "Alla",
        "day": "Dag", "view": "Visa", "view_day": "dag", "view_week": "vecka",
        "not_before": "Tidigast kl.", "minutes": "Längd", "capacity": "Deltagare",
        "equipment": "Utrustning",
        "accessible": "Bara bibliotek vars tillgänglighet är beskriven",
        "organiser_type": "Jag ordnar som", "search": "Sök",
        "results": "Lediga lokaler", "no_spaces": "Inga lokaler passade sökningen. Pröva en "
        "annan dag, en kortare längd eller färre deltagare.",
        "no_free": "Inga lediga tider för den här sökningen.",
        "beyond_horizon": "Den här lokalen kan bokas högst {days} dagar i förväg.",
        "at_limit": "Du har redan {n} öppna förfrågningar om den här lokalen, det högsta"
                    " tillåtna antalet. Du kan be om en ny tid när biblioteket har behandlat"
                    " någon av dem eller när du avbokar en.",
        "people": "{n} pers.",
        "price": "Pris", "per_hour": "{price} / timme", "free_of_charge": "avgiftsfri",
        "not_charged": "faktureras inte",
        "house_rules": house_rules("sv"),
        "lengths": "Längd {low}–{high} min",
        "cancel_rule": "Kan avbokas {hours} h före början",
        "confirmations": {"manual": "Biblioteket bekräftar förfrågan",
                          "automatic": "Bekräftas direkt"},
        "self_service": "Kan bokas även under meröppet (med dörrkod)",
        "hold_rule": "Tiden du väljer reserveras för dig i {minutes} min medan du fyller i "
        "formuläret.",
        "for_you": "För dig",
        "terms": {
            "cooperation": "avgiftsfri användning när evenemanget ordnas i samarbete med "
            "biblioteket; du behöver en kontaktperson på biblioteket.",
            "cooperation_or_rental": "avgiftsfritt i samarbete med biblioteket (kontaktperson "
            "på biblioteket) eller hyra mot avgift {price} / timme, då biblioteket inte är med "
            "och ordnar.",
            "shared_activity": "här finns inga avgiftsbelagda lokaler. En partipolitisk, "
            "religiös eller kommersiell arrangör kan använda lokalen bara i gemensam "
            "verksamhet som ger alla (till exempel alla partier) samma möjligheter.",
            "shared_or_rental": "hyra mot avgift {price} / timme för ett eget evenemang "
            "(biblioteket är inte med och ordnar) eller gemensam verksamhet med samma "
            "möjligheter för alla, i samarbete med biblioteket."},
        "starts": "Börjar", "choose": "Välj tiden",
        "types": {"resident": "invånare", "association": "förening eller sammanslutning",
                  "party": "politiskt parti", "religious": "religiöst samfund",
                  "commercial": "företag", "library": "bibliotek"},
        "equipment_names": {"projector": "projektor", "screen": "duk",
                            "sound_system": "ljudanläggning"},
        "hold_expired": "Tiden hålls inte längre för dig, så förfrågan kan inte skickas.",
        "choose_again": "Välj en tid igen",
        "request": "Bokningsförfrågan", "held_until": "Tiden är reserverad för dig till kl. "
        "{time}.",
        "event_title": "Evenemangets namn", "terms_legend": "Villkor",
        "title_language": "Namnets språk",
        "title_language_hint": "Språket du skrev namnet på: utkastet till aktiviteten får"
                               " namnet på det språket.",
        "as_cooperation": "I samarbete med biblioteket (avgiftsfritt)",
        "as_rental": "Hyra mot avgift ({price} / timme)",
        "library_contact": "Kontaktperson på biblioteket",
        "library_contact_hint": "Behövs när evenemanget ordnas i samarbete.",
        "shared_activity": "Gemensam verksamhet som ger alla samma möjligheter",
        "contact": "Kontaktuppgifter", "contact_name": "Namn", "email": "E-post",
        "phone": "Telefon", "contact_language": "Språk för meddelanden",
        "remembered": "Språket och kontaktuppgifterna sparas till nästa gång.",
        "accept": "Jag godkänner husets regler: evenemanget är lagligt och drogfritt.",
        "send": "Skicka förfrågan", "release": "Släpp tiden", "optional": "frivillig",
        "none": "Du har inga bokningar ännu.", "when": "När", "space": "Lokal",
        "status": "Bokningens status", "state": "Skede",
        "series": {"one": "Serie, 1 gång", "other": "Serie, {n} gånger"},
        "history": "Skeden",
        "reference": "Referensnummer", "door_code": "Dörrkod",
        "calendar": "Lägg till i kalendern (.ics)", "cancel": "Avboka",
        "cancel_by": "Du kan avboka själv till {when}.",
        "past_deadline": "Avbokningstiden har gått ut. Kontakta biblioteket:",
        "write_activity": "Skriv evenemanget", "continue": "Fortsätt förfrågan",
        "did_cancel": "Bokningen avbokad.", "did_release": "Tiden släppt.",
        "did_submit": "Förfrågan skickad. Biblioteket bekräftar den.",
        "did_confirm_at_once": "Bokningen är bekräftad.",
        "back_to_list": "Alla mina bokningar",
        "unverified_title": "Bekräfta din e-postadress",
        "unverified": "Vi skickade en bekräftelselänk till {email}. Öppna länken i"
        " meddelandet, så är adressen bekräftad. Innan dess skickar vi ingen e-post om den"
        " här bokningen: varken bekräftelsen, dörrkoden eller beslutet om ditt evenemang.",
        "unverified_many": "Vi skickade en bekräftelselänk till {email}. Öppna länken i"
        " meddelandet, så är adressen bekräftad. Innan dess skickar vi ingen e-post om de"
        " bokningar där adressen är angiven: varken bekräftelsen, dörrkoden eller beslutet"
        " om ditt evenemang.",
        "unverified_link": "Länken gäller i {days} dagar. Om du inte ser meddelandet, titta"
        " också i skräpposten.",
        "send_link_again": "Skicka länken igen",
        "send_link_again_to": "Skicka länken igen till {email}",
        "link_again_at": "Du kan be om en ny länk från {when}.",
        "at_clock": "kl.",
        "did_send_link": "Bekräftelselänken skickades igen till {email}. Bara den senaste"
        " länken fungerar.",
        "did_prove": "Adressen {email} är bekräftad genom din inloggning. Ingen länk behövs.",
        "actors": {"organiser": "du", "desk": "biblioteket", "system": "systemet",
                   "activity_organiser": "evenemangets arrangör"},
        "extra_statuses": {"moved": "flyttad"},
        "occurrences": "Seriens gånger",
    },
    "en": {
        "title": "Organiser's pages", "find": "Find a space", "mine": "My bookings",
        "activities": "My activities", "sign_out": "Sign out", "language": "Language",
        "filters": "What are you looking for?", "area": "Area", "venue": "Library",
        "any": "Any", "day": "Day", "view": "Show", "view_day": "day", "view_week": "week",
        "not_before": "Not before", "minutes": "Length", "capacity": "People",
        "equipment": "Equipment",
        "accessible": "Only libraries whose accessibility is described",
        "organiser_type": "I organise as", "search": "Search",
        "results": "Free spaces", "no_spaces": "No space fits the search. Try another day, a "
        "shorter length or fewer people.",
        "no_free": "No free time for this search.",
        "beyond_horizon": "This space can be booked at most {days} days ahead.",
        "at_limit": "You already have {n} open requests for this space, the most it allows."
                    " You can ask for another time once the library has decided on one of"
                    " them, or you cancel one.",
        "people": "{n} people",
        "price": "Price", "per_hour": "{price} / hour", "free_of_charge": "free of charge",
        "not_charged": "not charged",
        "house_rules": house_rules("en"),
        "lengths": "Length {low}–{high} min",
        "cancel_rule": "Can be cancelled up to {hours} h before the start",
        "confirmations": {"manual": "The library confirms the request",
                          "automatic": "Confirmed at once"},
        "self_service": "Bookable in self-service hours too (with a door code)",
        "hold_rule": "The time you choose is held for you for {minutes} min while you fill in "
        "the form.",
        "for_you": "For you",
        "terms": {
            "cooperation": "free use when the event is run in cooperation with the library; "
            "you need a contact person at the library.",
            "cooperation_or_rental": "free in cooperation with the library (a contact person "
            "at the library) or paid rental at {price} / hour, in which case the library "
            "takes no part in running it.",
            "shared_activity": "there is no paid space here. A party, religious or commercial "
            "organiser may use the space only in shared activity that gives everyone (all "
            "parties, for example) equal opportunity.",
            "shared_or_rental": "paid rental at {price} / hour for your own event (the library "
            "takes no part in running it) or shared activity with equal opportunity for all, "
            "in cooperation with the library."},
        "starts": "Starts", "choose": "Choose the time",
        "types": {"resident": "a resident", "association": "an association or community",
                  "party": "a political party", "religious": "a religious community",
                  "commercial": "a company", "library": "the library"},
        "equipment_names": {"projector": "projector", "screen": "screen",
                            "sound_system": "sound system"},
        "request": "Booking request", "held_until": "The time is held for you until {time}.",
        "hold_expired": "The time is no longer held for you, so the request cannot be sent.",
        "choose_again": "Choose a time again",
        "event_title": "Name of the event", "terms_legend": "Terms",
        "title_language": "Language of the name",
        "title_language_hint": "The language you wrote the name in: the activity's draft"
                               " is named in that language.",
        "as_cooperation": "In cooperation with the library (free)",
        "as_rental": "Paid rental ({price} / hour)",
        "library_contact": "Contact person at the library",
        "library_contact_hint": "Needed when the event is run in cooperation.",
        "shared_activity": "Shared activity giving everyone equal opportunity",
        "contact": "Contact details", "contact_name": "Name", "email": "Email",
        "phone": "Phone", "contact_language": "Language of messages",
        "remembered": "Your language and contact details are remembered for next time.",
        "accept": "I accept the house rules: the event is lawful and substance-free.",
        "send": "Send the request", "release": "Let the time go", "optional": "optional",
        "none": "You have no bookings yet.", "when": "When", "space": "Space",
        "status": "Status", "state": "Stage",
        "series": {"one": "Series, 1 time", "other": "Series, {n} times"},
        "history": "History",
        "reference": "Reference number", "door_code": "Door code",
        "calendar": "Add to calendar (.ics)", "cancel": "Cancel the booking",
        "cancel_by": "You can cancel it yourself until {when}.",
        "past_deadline": "The cancellation deadline has passed. Contact the library:",
        "write_activity": "Write the activity", "continue": "Continue the request",
        "did_cancel": "Booking cancelled.", "did_release": "Time let go.",
        "did_submit": "Request sent. The library confirms it.",
        "did_confirm_at_once": "The booking is confirmed.",
        "back_to_list": "All my bookings",
        "unverified_title": "Confirm your email address",
        "unverified": "We sent a confirmation link to {email}. Open the link in that message"
        " to confirm the address. Until then we email you nothing about this booking: not"
        " the confirmation, the door code or the decision on your activity.",
        "unverified_many": "We sent a confirmation link to {email}. Open the link in that"
        " message to confirm the address. Until then we email you nothing about the bookings"
        " that give this address: not the confirmation, the door code or the decision on"
        " your activity.",
        "unverified_link": "The link works for {days} days. If you cannot find the message,"
        " look in your spam folder too.",
        "send_link_again": "Send the link again",
        "send_link_again_to": "Send the link again to {email}",
        "link_again_at": "You can ask for a new link from {when}.",
        "at_clock": "",
        "did_send_link": "The confirmation link was sent again to {email}. Only the newest"
        " link works.",
        "did_prove": "{email} is confirmed by your sign-in. No link is needed.",
        "actors": {"organiser": "you", "desk": "the library", "system": "the system",
                   "activity_organiser": "the activity's organiser"},
        "extra_statuses": {"moved": "moved"},
        "occurrences": "The series' times",
    },
}
# The skip link says what every service's pages say (`shared.pages.SKIP_TO_MAIN`).
for _lang, _said in SKIP_TO_MAIN.items():
    MY[_lang]["skip"] = _said


#: The series on the request form and the list, and the accessibility features' filter.
_MORE: dict[str, dict[str, Any]] = {
    "fi": {
        "features": "Esteettömyys", "features_hint": "Näytä vain tilat, joissa on kaikki "
        "valitut. Puuttuva merkintä tarkoittaa, ettei asiaa tiedetä.",
        "repeat_legend": "Toistuva varaus", "repeat": "Toistuu",
        "repeat_every": {"": "ei toistu (vain tämä kerta)", "1": "joka viikko",
                         "2": "joka toinen viikko"},
        "repeat_until": "Viimeinen päivä", "repeat_count": "tai kertojen määrä",
        "repeat_count_name": "Kertojen määrä",
        "repeat_hint": "Samana viikonpäivänä ja kellonaikana. Anna viimeinen päivä tai "
        "kertojen määrä (enintään 60); sarjaan pätevät samat säännöt kuin yksittäiseen "
        "varaukseen.",
        "preview": "Näytä päivät", "preview_title": "Sarjan päivät",
        "preview_summary": "{free}/{n} päivää vapaana.", "free": "vapaa",
        "preview_note": "Varatut ja sääntöjen vastaiset päivät jätetään pois; muut pyydetään.",
        "did_series": {"one": "Sarjan pyyntö lähetetty: 1 kerta.",
                       "other": "Sarjan pyyntö lähetetty: {n} kertaa."},
        "series_skipped": "Jätettiin pois: {dates}",
        "cancel_series": "Peru koko sarja", "cancel_series_from": "Peru sarja {day} alkaen",
        "did_cancel_series": {"one": "Sarja peruttu: 1 kerta.",
                              "other": "Sarja peruttu: {n} kertaa."},
        "cancel_one_title": "Perutaanko varaus?", "cancel_one_yes": "Kyllä, peru varaus",
        "cancel_series_title": "Perutaanko sarja?",
        "cancel_series_these": {"one": "Tämä kerta perutaan:",
                                "other": "Nämä {n} kertaa perutaan:"},
        "cancel_series_yes": {"one": "Kyllä, peru 1 kerta", "other": "Kyllä, peru {n} kertaa"},
        "series_none_to_cancel": "Sarjassa ei ole enää peruttavia kertoja.",
        "series_changed": "Sarja on muuttunut sen jälkeen, kun sen kerrat näytettiin (kerta"
        " on lisätty, peruttu, siirretty tai käsitelty). Mitään ei peruttu: tarkista alla"
        " olevat kerrat sellaisina kuin ne nyt ovat ja vahvista uudelleen.",
        "back": "Takaisin",
        "check_fields": "Tarkista merkityt kohdat: mitään ei lähetetty.",
        "search_check": "Tarkista merkityt kohdat: hakua ei tehty.",
    },
    "sv": {
        "features": "Tillgänglighet", "features_hint": "Visa bara lokaler som har allt som "
        "valts. En uppgift som saknas betyder att den inte är känd.",
        "repeat_legend": "Återkommande bokning", "repeat": "Upprepas",
        "repeat_every": {"": "upprepas inte (bara denna gång)", "1": "varje vecka",
                         "2": "varannan vecka"},
        "repeat_until": "Sista dag", "repeat_count": "eller antal gånger",
        "repeat_count_name": "Antal gånger",
        "repeat_hint": "Samma veckodag och klockslag. Ange sista dag eller antal gånger "
        "(högst 60); samma regler gäller för serien som för en enskild bokning.",
        "preview": "Visa datumen", "preview_title": "Seriens datum",
        "preview_summary": "{free} av {n} datum lediga.", "free": "ledig",
        "preview_note": "Upptagna datum och datum som strider mot reglerna lämnas bort; "
        "de övriga begärs.",
        "did_series": {"one": "Serien har skickats: 1 gång.",
                       "other": "Serien har skickats: {n} gånger."},
        "series_skipped": "Lämnades bort: {dates}",
        "cancel_series": "Avboka hela serien", "cancel_series_from": "Avboka serien från {day}",
        "did_cancel_series": {"one": "Serien avbokad: 1 gång.",
                              "other": "Serien avbokad: {n} gånger."},
        "cancel_one_title": "Avboka bokningen?", "cancel_one_yes": "Ja, avboka",
        "cancel_series_title": "Avboka serien?",
        "cancel_series_these": {"one": "Den här gången avbokas:",
                                "other": "Dessa {n} gånger avbokas:"},
        "cancel_series_yes": {"one": "Ja, avboka 1 gång", "other": "Ja, avboka {n} gånger"},
        "series_none_to_cancel": "Serien har inga fler gånger att avboka.",
        "series_changed": "Serien har ändrats sedan dess gånger visades (en gång har lagts"
        " till, avbokats, flyttats eller behandlats). Ingenting avbokades: kontrollera"
        " gångerna nedan så som de är nu och bekräfta igen.",
        "back": "Tillbaka",
        "check_fields": "Kontrollera de markerade punkterna: inget skickades.",
        "search_check": "Kontrollera de markerade punkterna: ingen sökning gjordes.",
    },
    "en": {
        "features": "Accessibility", "features_hint": "Show only spaces with everything "
        "chosen. A feature not marked is not known.",
        "repeat_legend": "Repeating booking", "repeat": "Repeats",
        "repeat_every": {"": "does not repeat (this time only)", "1": "every week",
                         "2": "every other week"},
        "repeat_until": "Last day", "repeat_count": "or number of times",
        "repeat_count_name": "Number of times",
        "repeat_hint": "On the same weekday and time. Give the last day or the number of "
        "times (at most 60); a series has the same rules as a single booking.",
        "preview": "Show the dates", "preview_title": "The series' dates",
        "preview_summary": "{free} of {n} dates free.", "free": "free",
        "preview_note": "Dates taken or against the rules are left out; the others are "
        "requested.",
        "did_series": {"one": "The series was sent: 1 time.",
                       "other": "The series was sent: {n} times."},
        "series_skipped": "Left out: {dates}",
        "cancel_series": "Cancel the whole series",
        "cancel_series_from": "Cancel the series from {day}",
        "did_cancel_series": {"one": "Series cancelled: 1 time.",
                              "other": "Series cancelled: {n} times."},
        "cancel_one_title": "Cancel the booking?", "cancel_one_yes": "Yes, cancel it",
        "cancel_series_title": "Cancel the series?",
        "cancel_series_these": {"one": "This time will be cancelled:",
                                "other": "These {n} times will be cancelled:"},
        "cancel_series_yes": {"one": "Yes, cancel 1 time", "other": "Yes, cancel {n} times"},
        "series_none_to_cancel": "The series has no times left to cancel.",
        "series_changed": "The series has changed since its times were shown (a time was"
        " added, cancelled, moved or decided on). Nothing was cancelled: check the times"
        " below as they are now and confirm again.",
        "back": "Back",
        "check_fields": "Please check the marked fields: nothing was sent.",
        "search_check": "Please check the marked fields: nothing was searched.",
    },
}
for _lang, _words in _MORE.items():
    MY[_lang].update(_words)


def my_labels(lang: str) -> dict[str, Any]:
    return MY.get(lang, MY["fi"])


#: The reasons the service itself writes into a booking's history (English, as kept and as
#: the API answers them), said in the page's language: an expired hold, a no-show, a hold
#: let go to become a series' first time, the activity rescheduled or cancelled (then
#: followed by its organiser's own words, shown as written).
SYSTEM_REASONS: dict[str, dict[str, str]] = {
    "fi": {"hold expired": "pito päättyi", "nobody checked in": "kukaan ei saapunut",
           "series": "aika siirtyi sarjan ensimmäiseksi kerraksi",
           "the activity was rescheduled": "tapahtuman aika muuttui",
           "the activity was cancelled": "tapahtuma peruttiin"},
    "sv": {"hold expired": "reservationen gick ut", "nobody checked in": "ingen kom",
           "series": "tiden blev seriens första gång",
           "the activity was rescheduled": "evenemangets tid ändrades",
           "the activity was cancelled": "evenemanget ställdes in"},
    "en": {"hold expired": "the hold expired", "nobody checked in": "nobody checked in",
           "series": "the time became the series' first time",
           "the activity was rescheduled": "the activity was rescheduled",
           "the activity was cancelled": "the activity was cancelled"},
}
_CANCELLED = "the activity was cancelled"


def history_actor(actor: str, viewer: str | None, lang: str) -> str:
    """Who took a history step, in a person's words: a move asked through the activity
    (`events:<roles>:<subject>`, the events service's actor) is "you" when the viewer asked
    it, the library when its desk did, else the activity's organiser; never the service's
    own name."""
    words = my_labels(lang)["actors"]
    kind, _, rest = actor.partition(":")
    if kind == "events":
        roles, _, subject = rest.partition(":")
        if viewer is not None and subject == viewer:
            return str(words["organiser"])
        if "desk" in roles.split("+") and "organiser" not in roles.split("+"):
            return str(words["desk"])
        return str(words["activity_organiser"])
    return str(words.get(kind, kind))


def history_reason(reason: str | None, actor: str, lang: str) -> str:
    """A history step's reason as the page's reader reads it: the service's own words (a
    step not by the desk: the system's, an activity's, a hold let go for a series) in
    `lang`; the desk's reason, and anything else, as written."""
    if not reason:
        return ""
    words = SYSTEM_REASONS.get(lang, SYSTEM_REASONS["fi"])
    if actor.split(":", 1)[0] == "desk":
        return reason
    if reason in words:
        return words[reason]
    if reason.startswith(_CANCELLED + ": "):
        return f"{words[_CANCELLED]}: {reason.removeprefix(_CANCELLED + ': ')}"
    return reason
