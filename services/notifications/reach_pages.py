"""Residents' own channels on the web (issue #18): the sign-up page of an activity that needs
registration, the cancel link's page, the organiser's and desk's list of participants
(printable, CSV, attendance), and following: subscribe, confirm (double opt-in), change
preferences, one-click unsubscribe (RFC 8058) and the personal iCal and RSS feeds.

Pages answer in the language chosen (fi, sv, en) and never with JSON: a refused form comes
back as the form, with a 4xx status and what to fix. Forms are plain POSTs, read here (not by
FastAPI's validation, whose 422 is JSON), bounded like every other input.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import quote
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field

from services.notifications import domain, feeds, handlers, usecases
from services.notifications.routes import uow
from shared import l10n
from shared.announcements import event_page_url
from shared.auth import SignedIn
from shared.bounds import Moment, Str, check_text, without_hidden
from shared.clock import HELSINKI, helsinki_time, typed_local_time
from shared.csv_cells import safe_cell
from shared.db import DatabaseOutage
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from shared.form_refusals import by_input, each_refusal, field_of, focus_input, summary_links
from shared.forms import FormUnread, read_form
from shared.http import (
    domain_refusal,
    echoed,
    input_refusal,
    language_tag,
    refusal_headers,
    wants_html,
)
from shared.identity import Principal
from shared.l10n import text_html, text_in, time_span
from shared.pages import (
    SKIP_CSS,
    SKIP_TO_MAIN,
    Lang,
    LangParam,
    Note,
    PageLang,
    PageSession,
    check_origin,
    client_address,
    page_route,
    refused_page,
)
from shared.service import CurrentClock, Pool


def follow_home(lang: str) -> tuple[str, str]:
    """The residents' pages' start, the way on from a refusal (the board screen's too)."""
    return f"/follow?lang={lang}", L[lang]["follow_title"]


# A resident's pages: an odd address or query string is a page in their language, not JSON.
router = APIRouter(tags=["registration and following"], route_class=page_route(follow_home))
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_templates.globals.update(skip_to_main=SKIP_TO_MAIN, skip_css=SKIP_CSS)
# A count on a page as its language writes numbers ("12 000", "12,000"): `|number(lang)`.
_templates.filters["number"] = l10n.number
LANGS = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]

L: dict[str, dict[str, str]] = {
    "fi": {
        "site": "Kuopion asukastoiminta", "language": "Kieli", "when": "Aika",
        "where": "Paikka", "seats_left": "Vapaita paikkoja", "name": "Nimi",
        "email": "Sähköposti", "email_hint": "Lähetämme vahvistuksen ja peruutuslinkin.",
        "seats": "Osallistujia", "seats_hint": "Voit ilmoittaa samalla koko ryhmän, enintään {n}.",
        "sign_up": "Ilmoittaudu", "signup_title": "Ilmoittautuminen: {name}",
        "confirmed": "Ilmoittautumisesi on vahvistettu. Vahvistus lähetettiin sähköpostiisi.",
        "waiting": "Tapahtuma on täynnä: olet jonossa sijalla {n}. Saat viestin, jos paikka "
                   "vapautuu.",
        "full_waiting": "Paikat ovat täynnä, mutta voit ilmoittautua jonoon.",
        # With places free, why a sign-up still waits (domain.why_waiting): first come,
        # first served, or a group larger than the places free.
        "free_one": "Vapaana on 1 paikka", "free_many": "Vapaita paikkoja on {n}",
        "before_one": "jonossa odottaa jo 1 ilmoittautuminen ennen sinua",
        "before_many": "jonossa odottaa jo {n} ilmoittautumista ennen sinua",
        "queue_note": "{free}, mutta {before}: uusi ilmoittautuminen menee jonoon niiden "
                      "jälkeen, sillä paikat annetaan ilmoittautumisjärjestyksessä.",
        "group_note": "{free}: suurempi ryhmä menee jonoon ja saa paikat, kun niitä vapautuu "
                      "tarpeeksi.",
        "waiting_queue": "{free}, mutta {before}: olet jonossa sijalla {n}, sillä paikat "
                         "annetaan ilmoittautumisjärjestyksessä. Saat viestin, kun pääset "
                         "mukaan.",
        "waiting_group": "{free}, ja ryhmässäsi on {seats} henkeä: olet jonossa sijalla {n}. "
                         "Saat viestin, kun paikkoja vapautuu tarpeeksi.",
        "event_page": "Tapahtuman sivu", "activity": "Tapahtuma",
        "your_place": "Paikkasi", "place_seat": "Paikka varattu",
        "place_waiting": "Jonossa, sijalla {n}", "add_to_calendar": "Lisää kalenteriin (.ics)",
        "cancel_title": "Peru ilmoittautuminen: {name}", "cancel_button": "Peru ilmoittautuminen",
        "cancelled": "Ilmoittautumisesi on peruttu.",
        "status_confirmed": "vahvistettu", "status_waiting": "jonossa",
        "status_cancelled": "peruttu", "status": "Tila",
        "participants_title": "Osallistujat: {name}", "confirmed_seats": "Vahvistettuja",
        "waiting_seats": "Jonossa", "attended": "Paikalla", "present": "Paikalla",
        "export_csv": "Lataa CSV", "print": "Tulosta", "save_attendance": "Tallenna läsnäolo",
        "list_caption": "Ilmoittautuneet", "saved": "Tallennettu.",
        "follow_title": "Seuraa tapahtumia", "prefs_title": "Tilauksesi",
        "link_choice_gone": "Linkin valintaa ({choice}) ei ole tarjolla: valitse seurattavat "
                            "alta.",
        "follow_email_hint": "Lähetämme vahvistuslinkin. Tiliä ei tarvita.",
        "venues": "Paikat", "areas": "Alueet", "topics": "Aiheet", "audiences": "Kenelle",
        "kinds": "Tapahtumatyypit", "how_often": "Viestit",
        "each_new": "Viikkokoosteen lisäksi viesti jokaisesta uudesta tapahtumasta",
        "follow_button": "Tilaa", "save": "Tallenna valinnat",
        "check_email": "Melkein valmista: lähetimme sinulle sähköpostia. Vahvista tilaus "
                       "viestin linkistä; jos seuraat jo näitä valintoja, viesti kertoo sen.",
        "confirm_title": "Vahvista tilaus", "confirm_button": "Vahvista tilaus",
        "confirm_for": "Vahvistat tiedot tapahtumista osoitteeseen {email}.",
        "confirmed_sub": "Tilaus on vahvistettu. Saat viikkokoosteen seuraamistasi "
                         "tapahtumista.",
        "unsubscribe_title": "Lopeta tilaus", "unsubscribe_button": "Lopeta tilaus",
        "unsubscribed": "Tilaus on lopetettu. Emme lähetä sinulle enää viestejä.",
        "unsubscribed_save": "Tilaus on lopetettu. Jos tallennat valinnat, tilaat ne uudelleen.",
        "resumed": "Tallennettu: tilauksesi on taas voimassa.",
        "feeds": "Oma kalenterisi:", "prefs_link": "Muuta valintojasi",
        "err_email": "Anna sähköpostiosoite muodossa nimi@esimerkki.fi.",
        "err_name": "Anna nimesi.",
        "err_name_long": "Nimessä voi olla enintään {high} merkkiä.",
        # Given back without them (`without_hidden`), since nobody sees where they were.
        "err_name_chars": "Nimessä oli rivinvaihtoja, ohjausmerkkejä tai tekstin suuntaa "
                          "kääntäviä merkkejä, joita ei voi käyttää. Ne on poistettu "
                          "kentästä: tarkista nimi ja lähetä lomake uudelleen.",
        "err_answer_chars": "Vastauksessa oli rivinvaihtoja, ohjausmerkkejä tai tekstin "
                            "suuntaa kääntäviä merkkejä, joita ei voi käyttää. Ne on "
                            "poistettu kentästä: tarkista vastaus ja lähetä lomake uudelleen.",
        "err_email_long": "Sähköpostiosoitteessa voi olla enintään {high} merkkiä.",
        "err_answer_long": "Vastauksessa voi olla enintään {high} merkkiä.",
        "check_fields": "Tarkista merkityt kohdat: ilmoittautumista ei vielä tehty.",
        "err_language": "Lomakkeen kieli on suomi, ruotsi tai englanti: avaa sivu uudelleen.",
        "err_seats": "Osallistujia voi olla 1–{n}.",
        "err_answer": "Vastaa pakollisiin kysymyksiin (*).",
        "err_already": "Tällä osoitteella on jo ilmoittauduttu tähän tapahtumaan.",
        "resend_hint": "Kadotitko vahvistusviestin tai haluatko muuttaa osallistujamäärää? "
                       "Voimme lähettää vahvistuksen peruutuslinkkeineen uudelleen tähän "
                       "osoitteeseen.",
        "resend_button": "Lähetä vahvistus uudelleen",
        "resent": "Jos tällä osoitteella on ilmoittauduttu tähän tapahtumaan, lähetimme sen "
                  "vahvistuksen uudelleen. Viestissä on peruutuslinkki ja ohje "
                  "osallistujamäärän muuttamiseen. Jos viestiä ei näy, katso myös "
                  "roskapostikansio.",
        "back_to_signup": "Takaisin ilmoittautumiseen",
        "err_closed": "Ilmoittautuminen on päättynyt.",
        "err_not_open": "Ilmoittautuminen ei ole vielä alkanut.",
        "err_not_open_at": "Ilmoittautuminen ei ole vielä alkanut. Se alkaa {opens}.",
        "err_not_open_until": "Ilmoittautuminen ei ole vielä alkanut. Se alkaa {opens} ja "
                              "päättyy {closes}.",
        "err_never_opens": "Ilmoittautuminen ei avaudu: tapahtuma alkaa nyt {starts}, ennen "
                           "kuin ilmoittautumisen oli määrä alkaa ({opens}). Kysy "
                           "järjestäjältä, miten tapahtumaan voi ilmoittautua.",
        "err_not_required": "Tähän tapahtumaan ei tarvitse ilmoittautua.",
        "err_cancelled": "Tapahtuma on peruttu.", "err_postponed": "Tapahtuma on siirretty.",
        "err_nothing_chosen": "Valitse vähintään yksi paikka, alue, aihe, kohderyhmä tai "
                              "tapahtumatyyppi.",
        "err_not_followable": "Valitse seurattavat listalta.",
        "err_already_following": "Tällä osoitteella seurataan jo näitä valintoja. Voit "
                                 "muuttaa valintoja tai lopettaa tilauksen viestiemme "
                                 "linkeistä.",
        "err_no_registration": "Ilmoittautumista ei löydy. Tarkista linkki.",
        "err_no_subscription": "Tilausta ei löydy. Tarkista linkki.",
        "err_not_found": "Tapahtumaa ei löydy.", "err_text": "Tekstissä on kelvottomia merkkejä.",
        "err_other": "Pyyntöä ei voitu käsitellä.",
        "err_form_large": "Lomake oli liian suuri luettavaksi: jokin kenttä on liian pitkä tai "
                          "kenttiä on liikaa. Mitään ei tallennettu; täytä lomake uudelleen.",
        "err_attendance_form": "Läsnäoloja ei tallennettu: lomakkeen osallistujia ei voitu "
                               "lukea. Merkitse läsnäolot uudelleen tällä sivulla.",
        "err_forbidden": "Sinulla ei ole oikeutta tähän.",
        "err_too_many": "Tälle osoitteelle on tehty vuorokauden aikana jo useita tilauksia.",
        "err_too_many_signups": "Tällä sähköpostiosoitteella on ilmoittauduttu vuorokauden "
                                "aikana jo monta kertaa.",
        "err_too_many_from_here": "Tästä verkosta on lähetetty viime tunnin aikana liian monta "
                                  "pyyntöä.",
        "try_again": "Voit yrittää uudelleen {when}.",
        "err_participants_forbidden": "Vain tapahtuman järjestäjä, paikan henkilökunta ja "
                                      "viestintä näkevät osallistujat.",
        "err_attendance_both": "Sama osallistuja on merkitty sekä paikalla olleeksi että "
                               "poissa olleeksi: merkitse hänet vain toiseen.",
        "settings_title": "Ilmoittautumisen asetukset: {name}",
        "settings_link": "Ilmoittautumisen asetukset",
        "signup_link": "Ilmoittautumissivu",
        "participants_link": "Osallistujat",
        "opens_at": "Ilmoittautuminen alkaa",
        "opens_hint": "Tyhjä: heti kun tapahtuma on julkaistu.",
        "closes_at": "Ilmoittautuminen päättyy",
        "closes_hint": "Tyhjä: kun tapahtuma alkaa.",
        "closes_held": "Tapahtuma alkaa nyt {starts}, joten ilmoittautuminen päättyy silloin. "
                       "Muuta päättymisaika, jotta asetukset voi tallentaa.",
        "opens_held": "Tapahtuma alkaa nyt {starts}, ennen kuin ilmoittautuminen alkaa, "
                      "joten siihen ei voi ilmoittautua. Muuta ilmoittautumisen alkamisaika, "
                      "jotta asetukset voi tallentaa.",
        "max_group": "Enintään henkilöä yhdellä ilmoittautumisella",
        "max_group_hint": "1–{high}.",
        "capacity": "Paikkoja",
        "capacity_hint": "Tyhjä: tapahtuman tiedoissa annettu määrä ({n}).",
        "capacity_hint_none": "Tyhjä: paikkoja ei rajoiteta.",
        "group_held": "Tapahtumassa on {n} paikkaa, joten ryhmä voi olla enintään {n} hengen.",
        "group_held_one": "Tapahtumassa on 1 paikka, joten yhdellä ilmoittautumisella voi "
                          "ilmoittaa vain yhden hengen.",
        "questions": "Kysymykset ilmoittautujille",
        "questions_hint": "Kirjoita kysymys ainakin suomeksi; ruotsin- ja englanninkielinen "
                          "teksti näytetään niillä kielillä. Tyhjennä kysymyksen tekstit, "
                          "niin se poistuu.",
        "question_n": "Kysymys {n}", "in_fi": "suomeksi", "in_sv": "ruotsiksi",
        "in_en": "englanniksi", "question_required": "Vastaus on pakollinen",
        "save_settings": "Tallenna asetukset", "settings_saved": "Asetukset tallennettu.",
        "settings_check": "Tarkista merkityt kohdat: asetuksia ei tallennettu.",
        "settings_not_required": "Tähän tapahtumaan ei nyt tarvitse ilmoittautua: asetukset "
                                 "tulevat käyttöön, kun ilmoittautuminen otetaan käyttöön "
                                 "tapahtuman tiedoissa.",
        "err_settings_forbidden": "Vain tapahtuman järjestäjä, paikan henkilökunta ja "
                                  "viestintä voivat muuttaa ilmoittautumisen asetuksia.",
        "err_registration_window": "Ilmoittautumisen pitää päättyä alkamisensa jälkeen.",
        "err_closes_after_start": "Ilmoittautumisen pitää päättyä viimeistään, kun "
                                  "tapahtuma alkaa ({starts}).",
        "err_opens_after_start": "Ilmoittautumisen pitää alkaa ennen kuin tapahtuma alkaa "
                                 "({starts}).",
        "err_bad_time": "Anna aika muodossa pp.kk.vvvv tt:mm.",
        "err_time": "Anna aika vuosilta 2000–2100.",
        "err_clocks_skip": "Tätä kellonaikaa ei ole: kelloja siirretään silloin eteenpäin.",
        "err_max_group": "Anna henkilömäärä numeroin, 1–{high}.",
        "err_capacity": "Anna paikkojen määrä numeroin, 1–{high}, tai jätä kohta tyhjäksi.",
        "err_capacity_below_confirmed": "Paikkoja ei voi olla vähemmän kuin vahvistettuja "
                                        "paikkoja, joita on jo {confirmed}.",
        "err_questions_many": "Kysymyksiä voi olla enintään {high}.",
        "err_question_id": "Kysymyksen tunniste on 1–40 merkkiä a–z, 0–9 ja _.",
        "err_repeated": "Kahdella kysymyksellä on sama tunniste.",
        "form_changed": "Lomaketta on muutettu, eikä kysymystä voitu lukea. Lataa sivu "
                        "uudelleen ja tee muutokset uudestaan.",
        "err_question_text": "Kirjoita kysymys suomeksi.",
        "err_question_long": "Kysymyksessä voi olla enintään {high} merkkiä.",
        "err_question_chars": "Kirjoita kysymys yhdelle riville ilman ohjausmerkkejä.",
    },
    "sv": {
        "site": "Invånarverksamheten i Kuopio", "language": "Språk", "when": "Tid",
        "where": "Plats", "seats_left": "Lediga platser", "name": "Namn",
        "email": "E-post", "email_hint": "Vi skickar en bekräftelse och en avbokningslänk.",
        "seats": "Deltagare", "seats_hint": "Du kan anmäla hela gruppen på en gång, högst {n}.",
        "sign_up": "Anmäl dig", "signup_title": "Anmälan: {name}",
        "confirmed": "Din anmälan är bekräftad. En bekräftelse skickades till din e-post.",
        "waiting": "Evenemanget är fullt: du står i kö som nummer {n}. Du får ett meddelande "
                   "om en plats blir ledig.",
        "full_waiting": "Platserna är fulla, men du kan anmäla dig till kön.",
        "free_one": "1 plats är ledig", "free_many": "{n} platser är lediga",
        "before_one": "1 anmälan väntar redan i kön före dig",
        "before_many": "{n} anmälningar väntar redan i kön före dig",
        "queue_note": "{free}, men {before}: en ny anmälan hamnar i kön efter dem, eftersom "
                      "platserna går i anmälningsordning.",
        "group_note": "{free}: en större grupp hamnar i kön och får platser när tillräckligt "
                      "många blir lediga.",
        "waiting_queue": "{free}, men {before}: du står i kö som nummer {n}, eftersom "
                         "platserna går i anmälningsordning. Du får ett meddelande när du får "
                         "en plats.",
        "waiting_group": "{free}, och din grupp är {seats} personer: du står i kö som nummer "
                         "{n}. Du får ett meddelande när tillräckligt många platser blir "
                         "lediga.",
        "event_page": "Evenemangets sida", "activity": "Evenemang",
        "your_place": "Din plats", "place_seat": "Plats bokad",
        "place_waiting": "I kö, som nummer {n}",
        "add_to_calendar": "Lägg till i kalendern (.ics)",
        "cancel_title": "Avboka anmälan: {name}", "cancel_button": "Avboka anmälan",
        "cancelled": "Din anmälan är avbokad.",
        "status_confirmed": "bekräftad", "status_waiting": "i kö",
        "status_cancelled": "avbokad", "status": "Status",
        "participants_title": "Deltagare: {name}", "confirmed_seats": "Bekräftade",
        "waiting_seats": "I kö", "attended": "Närvarande", "present": "Närvarande",
        "export_csv": "Ladda ner CSV", "print": "Skriv ut", "save_attendance": "Spara närvaro",
        "list_caption": "Anmälda", "saved": "Sparat.",
        "follow_title": "Följ evenemang", "prefs_title": "Din prenumeration",
        "link_choice_gone": "Länkens val ({choice}) finns inte bland alternativen: välj vad "
                            "du vill följa nedan.",
        "follow_email_hint": "Vi skickar en bekräftelselänk. Inget konto behövs.",
        "venues": "Platser", "areas": "Områden", "topics": "Teman", "audiences": "För vem",
        "kinds": "Typer av evenemang", "how_often": "Meddelanden",
        "each_new": "Utöver veckosammandraget ett meddelande om varje nytt evenemang",
        "follow_button": "Prenumerera", "save": "Spara valen",
        "check_email": "Nästan klart: vi har skickat dig ett e-postmeddelande. Bekräfta "
                       "prenumerationen via länken i det; om du redan följer dessa val står "
                       "det där.",
        "confirm_title": "Bekräfta prenumerationen", "confirm_button": "Bekräfta",
        "confirm_for": "Du bekräftar evenemangsinformation till {email}.",
        "confirmed_sub": "Prenumerationen är bekräftad. Du får ett veckosammandrag av "
                         "evenemangen du följer.",
        "unsubscribe_title": "Avsluta prenumerationen",
        "unsubscribe_button": "Avsluta prenumerationen",
        "unsubscribed": "Prenumerationen är avslutad. Vi skickar inga fler meddelanden.",
        "unsubscribed_save": "Prenumerationen är avslutad. Om du sparar valen prenumererar du "
                             "på dem igen.",
        "resumed": "Sparat: din prenumeration gäller igen.",
        "feeds": "Din egen kalender:", "prefs_link": "Ändra dina val",
        "err_email": "Ange en e-postadress som namn@exempel.fi.",
        "err_name": "Ange ditt namn.",
        "err_name_long": "Namnet får vara högst {high} tecken.",
        "err_name_chars": "Namnet hade radbrytningar, styrtecken eller tecken som vänder "
                          "textens riktning, och de kan inte användas. De har tagits bort ur "
                          "fältet: kontrollera namnet och skicka formuläret igen.",
        "err_answer_chars": "Svaret hade radbrytningar, styrtecken eller tecken som vänder "
                            "textens riktning, och de kan inte användas. De har tagits bort "
                            "ur fältet: kontrollera svaret och skicka formuläret igen.",
        "err_email_long": "E-postadressen får vara högst {high} tecken.",
        "err_answer_long": "Svaret får vara högst {high} tecken.",
        "check_fields": "Kontrollera de markerade punkterna: du är inte anmäld ännu.",
        "err_language": "Formulärets språk är finska, svenska eller engelska: öppna sidan på nytt.",
        "err_seats": "Antalet deltagare är 1–{n}.",
        "err_answer": "Svara på de obligatoriska frågorna (*).",
        "err_already": "Den här adressen är redan anmäld till evenemanget.",
        "resend_hint": "Har du tappat bort bekräftelsen eller vill du ändra antalet "
                       "deltagare? Vi kan skicka bekräftelsen med avbokningslänken igen till "
                       "den här adressen.",
        "resend_button": "Skicka bekräftelsen igen",
        "resent": "Om den här adressen är anmäld till evenemanget har vi skickat bekräftelsen "
                  "igen. I meddelandet finns avbokningslänken och hur du ändrar antalet "
                  "deltagare. Syns det inte, titta också i skräpposten.",
        "back_to_signup": "Tillbaka till anmälan",
        "err_closed": "Anmälan har stängt.", "err_not_open": "Anmälan har inte öppnat ännu.",
        "err_not_open_at": "Anmälan har inte öppnat ännu. Den öppnar {opens}.",
        "err_not_open_until": "Anmälan har inte öppnat ännu. Den öppnar {opens} och stänger "
                              "{closes}.",
        "err_never_opens": "Anmälan öppnar inte: evenemanget börjar nu {starts}, innan "
                           "anmälan skulle öppna ({opens}). Fråga arrangören hur man kan "
                           "anmäla sig.",
        "err_not_required": "Evenemanget kräver ingen anmälan.",
        "err_cancelled": "Evenemanget är inställt.",
        "err_postponed": "Evenemanget är uppskjutet.",
        "err_nothing_chosen": "Välj minst en plats, ett område, ett tema, en målgrupp eller "
                              "en typ.",
        "err_not_followable": "Välj det du vill följa i listan.",
        "err_already_following": "Den här adressen följer redan dessa val. Du kan ändra valen "
                                 "eller avsluta prenumerationen via länkarna i våra "
                                 "meddelanden.",
        "err_no_registration": "Anmälan hittades inte. Kontrollera länken.",
        "err_no_subscription": "Prenumerationen hittades inte. Kontrollera länken.",
        "err_not_found": "Evenemanget hittades inte.",
        "err_text": "Texten innehåller ogiltiga tecken.",
        "err_other": "Begäran kunde inte behandlas.",
        "err_form_large": "Formuläret var för stort för att läsas: något fält är för långt "
                          "eller så har det för många fält. Inget sparades; fyll i "
                          "formuläret igen.",
        "err_attendance_form": "Närvaron sparades inte: formulärets deltagare kunde inte "
                               "läsas. Markera närvaron igen på den här sidan.",
        "err_forbidden": "Du har inte behörighet till detta.",
        "err_too_many": "Adressen har redan prenumererats flera gånger det senaste dygnet.",
        "err_too_many_signups": "Den här e-postadressen har redan använts för många anmälningar "
                                "det senaste dygnet.",
        "err_too_many_from_here": "Det har kommit för många förfrågningar från det här "
                                  "nätverket den senaste timmen.",
        "try_again": "Du kan försöka igen {when}.",
        "err_participants_forbidden": "Endast arrangören, platsens personal och "
                                      "kommunikationen ser deltagarna.",
        "err_attendance_both": "Samma deltagare är markerad både som närvarande och som "
                               "frånvarande: markera hen bara som det ena.",
        "settings_title": "Inställningar för anmälan: {name}",
        "settings_link": "Inställningar för anmälan",
        "signup_link": "Anmälningssidan",
        "participants_link": "Deltagare",
        "opens_at": "Anmälan öppnar",
        "opens_hint": "Tomt: genast när evenemanget är publicerat.",
        "closes_at": "Anmälan stänger",
        "closes_hint": "Tomt: när evenemanget börjar.",
        "closes_held": "Evenemanget börjar nu {starts}, så anmälan stänger då. Ändra tiden "
                       "för när anmälan stänger för att kunna spara inställningarna.",
        "opens_held": "Evenemanget börjar nu {starts}, innan anmälan öppnar, så ingen kan "
                      "anmäla sig. Ändra tiden för när anmälan öppnar för att kunna spara "
                      "inställningarna.",
        "max_group": "Högst antal personer per anmälan",
        "max_group_hint": "1–{high}.",
        "capacity": "Platser",
        "capacity_hint": "Tomt: antalet i evenemangets uppgifter ({n}).",
        "capacity_hint_none": "Tomt: antalet platser begränsas inte.",
        "group_held": "Evenemanget har {n} platser, så en grupp kan vara högst {n} personer.",
        "group_held_one": "Evenemanget har 1 plats, så en anmälan kan gälla bara en person.",
        "questions": "Frågor till dem som anmäler sig",
        "questions_hint": "Skriv frågan åtminstone på finska; den svenska och den engelska "
                          "texten visas på de språken. Töm frågans texter så tas den bort.",
        "question_n": "Fråga {n}", "in_fi": "på finska", "in_sv": "på svenska",
        "in_en": "på engelska", "question_required": "Svaret är obligatoriskt",
        "save_settings": "Spara inställningarna", "settings_saved": "Inställningarna sparades.",
        "settings_check": "Kontrollera de markerade punkterna: inställningarna sparades inte.",
        "settings_not_required": "Evenemanget kräver ingen anmälan nu: inställningarna gäller "
                                 "när anmälan tas i bruk i evenemangets uppgifter.",
        "err_settings_forbidden": "Endast arrangören, platsens personal och kommunikationen "
                                  "kan ändra inställningarna för anmälan.",
        "err_registration_window": "Anmälan måste sluta efter att den börjar.",
        "err_closes_after_start": "Anmälan måste stänga senast när evenemanget börjar "
                                  "({starts}).",
        "err_opens_after_start": "Anmälan måste öppna innan evenemanget börjar ({starts}).",
        "err_bad_time": "Ange tiden som dd.mm.åååå hh:mm.",
        "err_time": "Ange en tid under åren 2000–2100.",
        "err_clocks_skip": "Den tiden finns inte: klockan ställs då fram.",
        "err_max_group": "Ange antalet personer med siffror, 1–{high}.",
        "err_capacity": "Ange antalet platser med siffror, 1–{high}, eller lämna fältet tomt.",
        "err_capacity_below_confirmed": "Platserna kan inte vara färre än de redan "
                                        "bekräftade platserna, som är {confirmed}.",
        "err_questions_many": "Det får finnas högst {high} frågor.",
        "err_question_id": "Frågans id är 1–40 tecken a–z, 0–9 och _.",
        "err_repeated": "Två frågor har samma id.",
        "form_changed": "Formuläret har ändrats och frågan kunde inte läsas. Ladda om sidan "
                        "och gör ändringarna på nytt.",
        "err_question_text": "Skriv frågan på finska.",
        "err_question_long": "Frågan får vara högst {high} tecken.",
        "err_question_chars": "Skriv frågan på en rad utan styrtecken.",
    },
    "en": {
        "site": "Kuopio resident activity", "language": "Language", "when": "When",
        "where": "Where", "seats_left": "Places left", "name": "Name",
        "email": "Email", "email_hint": "We send a confirmation and a link to cancel.",
        "seats": "People", "seats_hint": "You can sign up your whole group at once, up to {n}.",
        "sign_up": "Sign up", "signup_title": "Registration: {name}",
        "confirmed": "Your registration is confirmed. A confirmation was sent to your email.",
        "waiting": "The event is full: you are number {n} on the waiting list. We will tell "
                   "you if a place comes free.",
        "full_waiting": "The places are taken, but you can join the waiting list.",
        "free_one": "1 place is free", "free_many": "{n} places are free",
        "before_one": "1 sign-up is already waiting before you",
        "before_many": "{n} sign-ups are already waiting before you",
        "queue_note": "{free}, but {before}: a new sign-up joins the waiting list after "
                      "them, as places go in the order people signed up.",
        "group_note": "{free}: a larger group joins the waiting list and gets its places "
                      "when enough come free.",
        "waiting_queue": "{free}, but {before}: you are number {n} on the waiting list, as "
                         "places go in the order people signed up. We will tell you when you "
                         "get a place.",
        "waiting_group": "{free}, and your group is {seats} people: you are number {n} on "
                         "the waiting list. We will tell you when enough places come free.",
        "event_page": "The event's page", "activity": "Event",
        "your_place": "Your place", "place_seat": "Place booked",
        "place_waiting": "On the waiting list, number {n}",
        "add_to_calendar": "Add to calendar (.ics)",
        "cancel_title": "Cancel registration: {name}", "cancel_button": "Cancel registration",
        "cancelled": "Your registration has been cancelled.",
        "status_confirmed": "confirmed", "status_waiting": "waiting",
        "status_cancelled": "cancelled", "status": "Status",
        "participants_title": "Participants: {name}", "confirmed_seats": "Confirmed",
        "waiting_seats": "Waiting", "attended": "Present", "present": "Present",
        "export_csv": "Download CSV", "print": "Print", "save_attendance": "Save attendance",
        "list_caption": "Registered", "saved": "Saved.",
        "follow_title": "Follow events", "prefs_title": "Your subscription",
        "link_choice_gone": "What the link chose ({choice}) is not among the choices: choose "
                            "what to follow below.",
        "follow_email_hint": "We send a link to confirm. No account needed.",
        "venues": "Places", "areas": "Areas", "topics": "Topics", "audiences": "For whom",
        "kinds": "Kinds of event", "how_often": "Messages",
        "each_new": "Besides the weekly digest, a message for each new event",
        "follow_button": "Subscribe", "save": "Save my choices",
        "check_email": "Almost done: we have sent you an email. Confirm the subscription with "
                       "its link; if you already follow these choices, it says so.",
        "confirm_title": "Confirm your subscription", "confirm_button": "Confirm",
        "confirm_for": "You are confirming news of events to {email}.",
        "confirmed_sub": "Your subscription is confirmed. You will get a weekly digest of the "
                         "events you follow.",
        "unsubscribe_title": "Unsubscribe", "unsubscribe_button": "Unsubscribe",
        "unsubscribed": "You have unsubscribed. We will send you nothing more.",
        "unsubscribed_save": "You have unsubscribed. Saving your choices subscribes you "
                             "again.",
        "resumed": "Saved: your subscription is on again.",
        "feeds": "Your own calendar:", "prefs_link": "Change your choices",
        "err_email": "Give an email address like name@example.fi.",
        "err_name": "Give your name.",
        "err_name_long": "A name can be at most {high} characters.",
        "err_name_chars": "The name had line breaks, control or text-direction characters, "
                          "which cannot be used. They were taken out of the field: check "
                          "the name and send the form again.",
        "err_answer_chars": "The answer had line breaks, control or text-direction "
                            "characters, which cannot be used. They were taken out of the "
                            "field: check the answer and send the form again.",
        "err_email_long": "An email address can be at most {high} characters.",
        "err_answer_long": "An answer can be at most {high} characters.",
        "check_fields": "Please check the marked fields: you are not signed up yet.",
        "err_language": "The form's language is Finnish, Swedish or English: open the page again.",
        "err_seats": "A sign-up is for 1 to {n} people.",
        "err_answer": "Answer the required questions (*).",
        "err_already": "This address has already registered for the event.",
        "resend_hint": "Lost the confirmation, or want to change the number of people? We "
                       "can send the confirmation, with its link to cancel, to this address "
                       "again.",
        "resend_button": "Send the confirmation again",
        "resent": "If this address is signed up for the event, we have sent its confirmation "
                  "again. The message has the link to cancel and how to change the number "
                  "of people. If you do not see it, look in your spam folder too.",
        "back_to_signup": "Back to the sign-up",
        "err_closed": "Registration has closed.",
        "err_not_open": "Registration has not opened yet.",
        "err_not_open_at": "Registration has not opened yet. It opens on {opens}.",
        "err_not_open_until": "Registration has not opened yet. It opens on {opens} and "
                              "closes on {closes}.",
        "err_never_opens": "Registration will not open: the event now starts {starts}, "
                           "before registration was due to open ({opens}). Ask the "
                           "organiser how to sign up.",
        "err_not_required": "This event needs no registration.",
        "err_cancelled": "The event has been cancelled.",
        "err_postponed": "The event has been postponed.",
        "err_nothing_chosen": "Choose at least one place, area, topic, audience or kind.",
        "err_not_followable": "Choose what to follow from the lists.",
        "err_already_following": "This address already follows these choices. You can "
                                 "change them or unsubscribe with the links in our "
                                 "messages.",
        "err_no_registration": "No such registration. Check the link.",
        "err_no_subscription": "No such subscription. Check the link.",
        "err_not_found": "No such event.", "err_text": "The text has characters we cannot take.",
        "err_other": "The request could not be handled.",
        "err_form_large": "The form was too large to read: a field is too long or there are "
                          "too many fields. Nothing was saved; fill in the form again.",
        "err_attendance_form": "Attendance was not saved: the form's participants could not "
                               "be read. Mark attendance again on this page.",
        "err_forbidden": "You are not allowed to do this.",
        "err_too_many": "This address has been subscribed several times in the last day.",
        "err_too_many_signups": "This email address has been signed up many times in the last "
                                "day.",
        "err_too_many_from_here": "Too many requests have come from this network in the last "
                                  "hour.",
        "try_again": "You can try again on {when}.",
        "err_participants_forbidden": "Only the event's organiser, its venue's staff and "
                                      "communications see the participants.",
        "err_attendance_both": "The same participant is marked both present and absent: "
                               "mark them as only one.",
        "settings_title": "Registration settings: {name}",
        "settings_link": "Registration settings",
        "signup_link": "The sign-up page",
        "participants_link": "Participants",
        "opens_at": "Registration opens",
        "opens_hint": "Empty: as soon as the event is published.",
        "closes_at": "Registration closes",
        "closes_hint": "Empty: when the event starts.",
        "closes_held": "The event now starts {starts}, so registration closes then. Change "
                       "the closing time to save the settings.",
        "opens_held": "The event now starts {starts}, before registration opens, so no one "
                      "can sign up. Change the opening time to save the settings.",
        "max_group": "At most people in one sign-up",
        "max_group_hint": "1 to {high}.",
        "capacity": "Places",
        "capacity_hint": "Empty: the number in the event's details ({n}).",
        "capacity_hint_none": "Empty: the places are not limited.",
        "group_held": "The event has {n} places, so a group can be at most {n} people.",
        "group_held_one": "The event has 1 place, so a sign-up can be for one person only.",
        "questions": "Questions for those signing up",
        "questions_hint": "Write a question at least in Finnish; the Swedish and English "
                          "texts are shown in those languages. Empty a question's texts to "
                          "remove it.",
        "question_n": "Question {n}", "in_fi": "in Finnish", "in_sv": "in Swedish",
        "in_en": "in English", "question_required": "An answer is required",
        "save_settings": "Save the settings", "settings_saved": "The settings are saved.",
        "settings_check": "Please check the marked fields: the settings are not saved.",
        "settings_not_required": "This event needs no registration now: the settings apply "
                                 "once registration is turned on in the event's details.",
        "err_settings_forbidden": "Only the event's organiser, its venue's staff and "
                                  "communications can change its registration settings.",
        "err_registration_window": "Registration must close after it opens.",
        "err_closes_after_start": "Registration must close by the time the event starts "
                                  "({starts}).",
        "err_opens_after_start": "Registration must open before the event starts "
                                 "({starts}).",
        "err_bad_time": "Give the time as dd.mm.yyyy hh:mm.",
        "err_time": "Give a time in the years 2000 to 2100.",
        "err_clocks_skip": "That time does not exist: the clocks go forward then.",
        "err_max_group": "Give the number of people in digits, 1 to {high}.",
        "err_capacity": "Give the number of places in digits, 1 to {high}, or leave it "
                        "empty.",
        "err_capacity_below_confirmed": "There cannot be fewer places than the seats "
                                        "already confirmed ({confirmed}).",
        "err_questions_many": "There can be at most {high} questions.",
        "err_question_id": "A question's id is 1 to 40 of a-z, 0-9 and _.",
        "err_repeated": "Two questions have the same id.",
        "form_changed": "The form was changed and a question could not be read. Reload the "
                        "page and make your changes again.",
        "err_question_text": "Write the question in Finnish.",
        "err_question_long": "A question can be at most {high} characters.",
        "err_question_chars": "Write the question on one line, without control characters.",
    },
}

_STATUS = {TooManyRequests: 429, NotFound: 404, Conflict: 409, Invalid: 422, Forbidden: 403,
           Unauthenticated: 401}


def _error(exc: DomainError, lang: str, *, now: datetime | None = None,
           **fmt: Any) -> tuple[str, int]:
    """The person's message for a refused request, in their language, and its status; past
    a ceiling, also when they may try again (`now` + its Retry-After)."""
    t = L[lang]
    code = exc.details.get("code") or ("not_found" if isinstance(exc, NotFound) else
                                       "forbidden" if isinstance(exc, Forbidden) else "other")
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
    # The activity's start a closing or opening time passed, and that opening time; when a
    # registration not open yet opens (and closes, where set).
    moments = {key: l10n.date_and_time(datetime.fromisoformat(at), lang)
               if isinstance(at := exc.details.get(f"{key}_at"), str) else ""
               for key in ("starts", "opens", "closes")}
    key = f"err_{code}"
    if code == "not_open" and moments["opens"]:
        key = "err_not_open_until" if moments["closes"] else "err_not_open_at"

    def counted(value: Any) -> Any:
        # A bound or a count as the language writes numbers (100 000, 100,000).
        return l10n.number(value, lang) if isinstance(value, int) else value

    message = t.get(key, t["err_other"]).format(
        **{"high": counted(exc.details.get("high")),
           "n": counted(exc.details.get("max_group", 6)),
           "confirmed": counted(exc.details.get("confirmed")), **moments, **fmt})
    if isinstance(exc, TooManyRequests) and now is not None:
        when = l10n.day_and_time(now + timedelta(seconds=exc.retry_after), lang)
        message = f"{message} {t['try_again'].format(when=when)}"
    return message, status


def _page(status: int = 200, **context: Any) -> HTMLResponse:
    lang = context.setdefault("lang", "fi")
    context.setdefault("t", L[lang])
    context.setdefault("langs", LANGS)
    for key in ("error", "msg", "facts", "links", "view", "form", "heading", "focus",
                "resend", "check_title"):
        context.setdefault(key, None)
    context["form"] = context["form"] or {}
    context.setdefault("invalid", {})
    context.setdefault("refusals", [])
    return HTMLResponse(_templates.get_template("reach.html").render(**context),
                        status_code=status)


async def _form(request: Request) -> dict[str, list[str]]:
    """The posted form as lists of values, each bounded (PostgreSQL's text, 2,000 chars)."""
    data = await read_form(request)
    fields: dict[str, list[str]] = {}
    for key, value in data.multi_items():
        if isinstance(value, str):
            check_text(value)
            fields.setdefault(key[:100], []).append(value[:2000])
    return fields


async def _form_kept(request: Request, max_fields: int = 1000
                     ) -> tuple[dict[str, list[str]], list[str]]:
    """The posted form as `_form` reads it, but a value PostgreSQL's text or UTF-8 cannot
    hold (a NUL, a lone surrogate) kept without those characters, its name listed, so a
    form refuses it by its input and shows the rest as typed."""
    data = await read_form(request, max_fields)
    fields: dict[str, list[str]] = {}
    unreadable: list[str] = []
    for key, value in data.multi_items():
        if isinstance(value, str):
            name = _plain(key[:100])
            try:
                check_text(value)
            except ValueError:
                value = _plain(value)
                if name not in unreadable:
                    unreadable.append(name)
            fields.setdefault(name, []).append(value[:2000])
    return fields, unreadable


def _plain(text: str) -> str:
    """`text` without what `check_text` refuses: NULs and lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


def _one(fields: dict[str, list[str]], key: str, default: str = "") -> str:
    return (fields.get(key) or [default])[0]


def _lang(value: str | None) -> Lang:
    """A language checked already (`_form_language`), or a stored one (a subscription's,
    for its feeds), where one no rule has seen is read as Finnish."""
    return cast(Lang, value) if value in L else "fi"


def _form_language(fields: dict[str, list[str]], lang: str) -> Lang:
    """The language a form asks its mail in (the sign-up's hidden field, the follow form's
    choice; the page's when the form names none). One we could not write the mail in is
    refused by name, not a reason to guess Finnish; a tag of ours ("sv-FI") is ours, as in
    an address (`language_tag`)."""
    named = language_tag(_one(fields, "language", lang))
    if named is None:
        raise Invalid("language is fi, sv or en", field="language", code="language")
    return cast(Lang, named)


# --- registration -------------------------------------------------------------------------

#: An id as a form's hidden field or a list's value gives it (what `UUID()` reads of it).
_UUID = re.compile(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")
#: Where the participants' sign-in may go on to: a list or settings page of this service only.
_NEXT = r"^/registrations/[0-9a-f-]{36}/(participants|settings)(\?lang=(fi|sv|en))?$"


#: The participants' lists' cookie session (issue #13): sign-in by form at
#: /registrations/login (`?next=` one of the lists or settings pages), sign-out, a CSRF token
#: in the attendance and settings forms. The service's one cookie name, limited to
#: /registrations (the staff page has its own under /staff).
SESSION = PageSession("notifications", "/registrations",
                           {"fi": "Osallistujat", "sv": "Deltagare", "en": "Participants"},
                           roles=("organiser", "desk", "communications"), home="/follow",
                           next_pattern=_NEXT,
                           # The sign-in to the settings page says so (a tester read
                           # "Participants").
                           next_titles=[(r"^/registrations/[^/]+/settings(\?|$)",
                                         {code: L[code]["settings_link"] for code in L})])
router.include_router(SESSION.router())


def _to_sign_in(lang: str, here: str) -> RedirectResponse:
    """The sign-in in the page's language, and back to the page in it once signed in."""
    return RedirectResponse(f"/registrations/login?lang={lang}"
                            f"&next={quote(here + '?lang=' + lang, safe='')}",
                            status_code=303)


@router.get("/registrations/print.js", include_in_schema=False)
async def print_js() -> Response:
    """The list's print button (no inline handler: the pages' CSP allows no inline script)."""
    return Response("document.querySelectorAll('[data-print]').forEach(function (b) {"
                    " b.addEventListener('click', function () { window.print(); }); });",
                    media_type="text/javascript",
                    headers={"Cache-Control": "public, max-age=3600"})


def _question_labels(rules: Any, lang: str) -> list[dict[str, Any]]:
    """Each question's text in `lang`, else in the one it has (one saved before the Finnish
    text was required): `label` for a file, `shown` for a page, marked with its language when
    not the page's (WCAG 3.1.2)."""
    return [{"id": q["id"], "label": text_in(q.get("text"), lang),
             "shown": text_html(q.get("text"), lang),
             "required": bool(q.get("required"))} for q in rules.questions]


def _titled(key: str, facts: dict[str, Any], lang: str) -> dict[str, Any]:
    """A page's title naming its activity: plain in <title>, and in <h1> with the name marked
    with its language when it has none in the page's (WCAG 3.1.2)."""
    words = L[lang][key]
    return {"title": words.format(name=text_in(facts["name"], lang)),
            "heading": Markup(escape(words)).format(name=text_html(facts["name"], lang))}


async def _signup_page(pool: Any, clock: Any, event_id: UUID, lang: str, *,
                       status: int = 200, error: str | None = None, msg: str | None = None,
                       form: dict[str, str] | None = None,
                       refused: DomainError | None = None) -> Response:
    """The sign-up page; refused (`refused`), every refusal by its input (`aria-invalid`,
    `aria-describedby`), with a summary above the form linking to each when there are
    several, which takes focus (one: its input does), and the form as typed."""
    try:
        page = await usecases.registration_page(uow(pool), clock, event_id)
    except NotFound as exc:
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=f"/registrations/{event_id}")
    facts, rules, counts = page.activity["facts"], page.rules, page.counts
    show_form = page.closed is None
    said = error is not None or refused is not None  # a refusal says why, once
    if page.closed is not None and not said:
        # Why, as a sign-up sent now is refused (never_opens says the start and the opening
        # time saved: a resident would otherwise wait for a sign-up that never opens).
        msg = _error(domain.closed_refusal(page.closed, rules), lang)[0]
    # Places left only while one can sign up: a cancelled or closed activity has none to
    # offer, whatever its count says.
    left = (None if rules.capacity is None or not show_form
            else max(rules.capacity - counts["confirmed_seats"], 0))
    where = await _where_html(pool, facts, lang)
    activity = _activity_link(page.activity["id"], facts, lang)
    if show_form and left is not None and not msg and not said:
        msg = _places_note(left, page.waiting_before, rules.largest_group, lang)
    questions = _question_labels(rules, lang)
    invalid: dict[str, str] = {}
    refusals: list[dict[str, Any]] = []
    if refused is not None:
        inputs = {"name", "email", "seats", *(f"q_{q['id']}" for q in questions)}
        shown = inputs if show_form else set()
        now = clock.now()
        invalid, unplaced = by_input(
            [refused], lambda exc: _error(exc, lang, now=now)[0],
            lambda exc: field if (field := field_of(exc)) in shown else None,
            # The form's order: a text refused as unreadable is found first, not said so.
            order=["name", "email", "seats", *(f"q_{q['id']}" for q in questions)])
        # Each named by its label, an answer by its question's own text: "1–6 people" or
        # "Answer the required questions" alone says not which input (a tester's finding).
        # The question as its label shows it, marked with its language when it is in another
        # than the page's (a Finnish-only question on the Swedish page, WCAG 3.1.2): named
        # here, as summary_links would say it as plain text.
        names: dict[str, Markup] = {key: escape(L[lang][key])
                                    for key in ("name", "email", "seats")}
        names.update({f"q_{q['id']}": q["shown"] for q in questions})
        refusals = summary_links(invalid, unplaced, {k: k for k in invalid})
        for key, item in zip(invalid, refusals[:len(invalid)], strict=True):
            if names.get(key):
                item["text"] = Markup("{}: {}").format(names[key], item["text"])
    focus = focus_input(invalid, unplaced) if refused is not None else ""
    # Already registered: the way on is the confirmation again, to the address as typed
    # (which the page says nothing more of: the mail goes there, if anywhere).
    resend = (f"/registrations/{event_id}/resend?lang={lang}"
              if show_form and refused is not None and refused.details.get("code") == "already"
              else None)
    return _page(status, lang=lang, view="signup", here=f"/registrations/{event_id}",
                 **_titled("signup_title", facts, lang),
                 facts={"activity": activity, "when": _when(facts, lang), "where": where,
                        "seats_left": left},
                 open=show_form, action=f"/registrations/{event_id}?lang={lang}",
                 max_group=rules.largest_group, questions=questions, error=error, msg=msg,
                 form=form, invalid=invalid, refusals=refusals, focus=focus,
                 resend=resend)


def _counted(key: str, n: int, lang: str) -> str:
    """`key`'s words for `n` ("1 place is free", "4 places are free")."""
    return L[lang][f"{key}_one" if n == 1 else f"{key}_many"].format(n=l10n.number(n, lang))


def _places_note(left: int, before: int, largest_group: int, lang: str) -> str | None:
    """What the sign-up page says of its places beside their count, so it never seems a
    new sign-up takes places it will not: none free, the waiting list; places free but
    sign-ups waiting (`before`), a new one joins the list after them (first come, first
    served); fewer free than a group may be, a larger group waits. None: places for any
    group."""
    t = L[lang]
    if left == 0:
        return t["full_waiting"]
    if before > 0:
        return t["queue_note"].format(free=_counted("free", left, lang),
                                      before=_counted("before", before, lang))
    if left < largest_group:
        return t["group_note"].format(free=_counted("free", left, lang))
    return None


def _waiting_text(waiting: domain.Waiting, seats: int, lang: str) -> str:
    """Why a sign-up waits, with its place: the event full; places free but sign-ups before
    it (first come, first served); or its group larger than the places free."""
    t = L[lang]
    n = l10n.number(waiting.position, lang)
    if waiting.why == "queue" and waiting.free is not None:
        return t["waiting_queue"].format(free=_counted("free", waiting.free, lang),
                                         before=_counted("before", waiting.before, lang), n=n)
    if waiting.why == "group" and waiting.free is not None:
        return t["waiting_group"].format(free=_counted("free", waiting.free, lang),
                                         seats=l10n.number(seats, lang), n=n)
    return t["waiting"].format(n=n)


def _activity_link(event_id: UUID, facts: dict[str, Any], lang: str) -> Markup:
    """The activity's name, leading to its event page (the events service's) in `lang`."""
    href = f"{event_page_url(handlers.public_events_url(), event_id)}?lang={lang}"
    return Markup('<a href="{}">{}</a>').format(href, text_html(facts["name"], lang))


async def _where_html(pool: Any, facts: dict[str, Any], lang: str) -> Markup:
    """Where the activity is, for a page in `lang`: a place named in another language only
    (a Finnish beach on a Swedish page) marked with it, for a screen reader (WCAG 3.1.2)."""
    return text_html(await usecases.place_words(uow(pool), facts), lang)


def _when(facts: dict[str, Any], lang: str) -> str:
    return time_span(datetime.fromisoformat(facts["starts_at"]),
                     datetime.fromisoformat(facts["ends_at"]), lang,
                     all_day=bool(facts.get("all_day")))


@router.get("/registrations/{event_id}", response_class=HTMLResponse, include_in_schema=False)
async def signup_page(event_id: UUID, pool: Pool, clock: CurrentClock,
                      lang: PageLang) -> Response:
    return await _signup_page(pool, clock, event_id, lang)


@router.post("/registrations/{event_id}", response_class=HTMLResponse, include_in_schema=False)
async def signup(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    """The sign-up form: 201 with the result, or the form again with what to fix."""
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"/registrations/{event_id}?lang={lang}")
    form: dict[str, str] = {}
    try:
        # A NUL or a lone surrogate: refused by its input with the other refusals, the rest
        # of the form as typed (it was a refusal of no input, the form lost).
        fields, unreadable = await _form_kept(request)
        form = {k: v[0] for k, v in fields.items()}
        lang = _form_language(fields, lang)  # the form's hidden field: the page's language
        seats_text = _one(fields, "seats", "1").strip() or "1"
        # ASCII digits only: "²" is a digit to Python, and int() refuses it. Not a number:
        # none, which the activity's own range refuses with the other fields.
        seats = (int(seats_text) if seats_text.isascii() and seats_text.isdigit()
                 and len(seats_text) <= 3 else 0)
        answers = {k.removeprefix("q_"): v[0] for k, v in fields.items() if k.startswith("q_")}
        # The name and address whole: one too long is refused by the use case, never cut.
        signed = await usecases.register(
            uow(pool), clock, handlers.reach_links(), handlers.public_events_url(),
            usecases.SignUp(activity_event_id=event_id, name=_one(fields, "name"),
                            email=_one(fields, "email"), language=lang,
                            seats=seats, answers=answers, client=client_address(request)),
            [Invalid("text with characters we cannot keep", field=name, code="text")
             for name in unreadable])
    except FormUnread:
        return await _signup_page(pool, clock, event_id, lang, status=413,
                                  error=L[lang]["err_form_large"])
    except DomainError as exc:
        message, status = _error(exc, lang, now=clock.now())
        if isinstance(exc, NotFound):
            return _page(status, lang=lang, title=message, here=f"/registrations/{event_id}")
        # A name or answer refused for characters nobody sees comes back without them, to be
        # checked and sent again; the rest as typed.
        for each in each_refusal([exc]):
            if each.details.get("code") in ("name_chars", "answer_chars") and (
                    typed := form.get(field_of(each) or "")) is not None:
                form[field_of(each) or ""] = without_hidden(typed, lines=False)
        refused = await _signup_page(pool, clock, event_id, lang, status=status,
                                     form=form, refused=exc)
        refused.headers.update(refusal_headers(exc))  # Retry-After of a ceiling
        return refused
    # To the sign-up's own page: a reload there reads it again, never posts the form again
    # (which said "already registered" to the person who had just signed up).
    return RedirectResponse(f"/registrations/signed/{signed.token}?lang={lang}",
                            status_code=303)


@router.post("/registrations/{event_id}/resend", response_class=HTMLResponse,
             include_in_schema=False)
async def resend_confirmation(event_id: UUID, request: Request, pool: Pool,
                              clock: CurrentClock, lang: PageLang) -> Response:
    """The "already registered" refusal's button: the registration's confirmation mailed
    again to the address, if it is registered; the page says the same to every address."""
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"/registrations/{event_id}?lang={lang}")
    here = f"/registrations/{event_id}"
    try:
        fields, unreadable = await _form_kept(request)
        if "email" in unreadable:  # the hidden address changed by hand: the form's refusal
            return await _signup_page(
                pool, clock, event_id, lang, status=422, form={"email": _one(fields, "email")},
                refused=Invalid("text with characters we cannot keep", field="email",
                                code="text"))
        await usecases.resend_confirmation(
            uow(pool), clock, handlers.reach_links(), handlers.public_events_url(),
            usecases.ResendConfirmation(activity_event_id=event_id,
                                        email=_one(fields, "email"),
                                        client=client_address(request)))
    except FormUnread:
        return await _signup_page(pool, clock, event_id, lang, status=413,
                                  error=L[lang]["err_form_large"])
    except DomainError as exc:
        message, status = _error(exc, lang, now=clock.now())
        refused = _page(status, lang=lang, title=message, here=here,
                        links=None if isinstance(exc, NotFound)
                        else [(f"{here}?lang={lang}", L[lang]["back_to_signup"])])
        refused.headers.update(refusal_headers(exc))  # Retry-After of a ceiling
        return refused
    return _done(lang, L[lang]["resent"],
                 [(f"{here}?lang={lang}", L[lang]["back_to_signup"])],
                 title=L[lang]["resend_button"], here=here)


@router.get("/registrations/signed/{token}", response_class=HTMLResponse,
            include_in_schema=False)
async def signed_page(token: Str, pool: Pool, lang: PageLang) -> Response:
    """Where a sign-up lands: its activity (linked to its event page), when and where, the
    name and group it was made with, what became of it (a seat, or its place in the waiting
    list now), the activity's calendar entry and its cancel link. The same link as the
    cancel link's, so it shows nothing the person's mail does not."""
    here = f"/registrations/signed/{token}"
    try:
        registration, activity, waiting = await usecases.signed_up(
            uow(pool), handlers.reach_links(), token)
    except DomainError as exc:
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=here)
    facts = activity["facts"]
    t = L[lang]
    state = registration["status"]
    position = waiting.position if waiting is not None else None
    msg = (t["cancelled"] if state == "cancelled" else t["confirmed"] if waiting is None
           else _waiting_text(waiting, registration["seats"], lang))
    # The activity cancelled or postponed since: said first, and no calendar entry for a
    # time it no longer has (the mails told the registrant, and removed their entry).
    happening = activity["status"] not in ("cancelled", "postponed")
    if not happening and state != "cancelled":
        msg = f"{t['err_' + activity['status']]} {msg}"
    # A seat's own calendar entry, the one its confirmation mail attaches (one UID: a later
    # change or cancellation mailed finds it); a place in the waiting list has none yet.
    calendar = ([(f"{here}/registration.ics?lang={lang}", t["add_to_calendar"])]
                if state == "confirmed" and happening else [])
    links = (None if state == "cancelled"
             else [*calendar,
                   (f"/registrations/cancel/{token}?lang={lang}", t["cancel_button"])])
    place = (t["place_seat"] if state == "confirmed"
             else t["place_waiting"].format(n=l10n.number(position, lang))
             if position is not None
             else t[f"status_{state}"].capitalize())
    return _page(lang=lang, here=here, **_titled("signup_title", facts, lang), msg=msg,
                 links=links, facts={"activity": _activity_link(activity["id"], facts, lang),
                                     "when": _when(facts, lang),
                                     "where": await _where_html(pool, facts, lang),
                                     "seats_left": None,
                                     "rows": [(t["name"], registration["name"]),
                                              (t["seats"], l10n.number(
                                                  registration["seats"], lang)),
                                              (t["your_place"], place)]})


@router.get("/registrations/signed/{token}/registration.ics", include_in_schema=False)
async def seat_calendar(token: Str, pool: Pool, lang: PageLang) -> Response:
    """The seat's calendar entry (`usecases.seat_calendar`); a page in the reader's language
    when there is none (waiting, cancelled, an unknown link)."""
    here = f"/registrations/signed/{token}"
    try:
        body = await usecases.seat_calendar(uow(pool), handlers.reach_links(),
                                            handlers.public_events_url(), token, lang)
    except DomainError as exc:
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=here)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="registration.ics"'})


def _done(lang: str, msg: str, links: list[tuple[str, str]] | None = None, *, title: str,
          here: str, status: int = 200) -> HTMLResponse:
    return _page(status, lang=lang, title=title, msg=msg, links=links, here=here)


@router.get("/registrations/cancel/{token}", response_class=HTMLResponse,
            include_in_schema=False)
async def cancel_page(token: Str, pool: Pool, lang: PageLang) -> Response:
    here = f"/registrations/cancel/{token}"
    try:
        registration, activity = await usecases.registration_by_link(
            uow(pool), handlers.reach_links(), token)
    except DomainError as exc:
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=here)
    facts = activity["facts"]
    done = registration["status"] == "cancelled"
    return _page(lang=lang, view="cancel", here=here, action=f"{here}?lang={lang}",
                 **_titled("cancel_title", facts, lang),
                 facts={"when": _when(facts, lang),
                        "where": await _where_html(pool, facts, lang),
                        "seats_left": None},
                 can_cancel=not done, msg=L[lang]["cancelled"] if done else
                 f"{L[lang]['status']}: {L[lang]['status_' + registration['status']]}",
                 # On to the activity, whatever was done here: no dead end after cancelling.
                 links=[(f"{event_page_url(handlers.public_events_url(), activity['id'])}"
                         f"?lang={lang}", L[lang]["event_page"])])


@router.post("/registrations/cancel/{token}", response_class=HTMLResponse,
             include_in_schema=False)
async def cancel(token: Str, request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    here = f"/registrations/cancel/{token}"
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"{here}?lang={lang}")
    try:
        await usecases.cancel_registration(uow(pool), clock, handlers.reach_links(),
                                           handlers.public_events_url(), token)
    except DomainError as exc:
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=here)
    # The page of the registration again: its activity, "cancelled", the way on.
    return RedirectResponse(f"{here}?lang={lang}", status_code=303)


# --- the organiser's and the desk's list --------------------------------------------------

def _asks_for_data(request: Request) -> bool:
    """The list asked for as data (`format=json` or `csv`: a program, a spreadsheet), or in
    a format we do not have by a client that is no browser: its refusals are JSON too."""
    kind = request.query_params.get("format", "html")
    return kind in ("json", "csv") or (kind != "html" and not wants_html(request))


class _ListRoute(page_route(follow_home)):  # type: ignore[misc]
    """The participants' list is a page and, by `format=`, data for programs: a page
    route answers every refusal with a page, which told a program asking for JSON about its
    malformed id or query in HTML. Data's refusals are JSON, FastAPI's shape as the rest of
    the API; an anonymous caller hears 401 before anything about the id or the query."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        as_page: Callable[[Request], Coroutine[Any, Any, Response]] = (
            super().get_route_handler())
        handler = APIRoute.get_route_handler(self)

        async def answer(request: Request) -> Response:
            if not _asks_for_data(request):
                return await as_page(request)
            try:
                return await handler(request)
            except RequestValidationError as exc:
                if SESSION.principal(request).is_public:
                    return domain_refusal(request, Unauthenticated("sign in first",
                                                                   code="sign_in"))
                return input_refusal(request, exc)
            except DatabaseOutage:
                raise  # the one 503 answer of shared.http
            except DomainError as exc:
                return domain_refusal(request, exc)

        return answer


lists = APIRouter(tags=["registration and following"], route_class=_ListRoute)


@lists.get("/registrations/{event_id}/participants", include_in_schema=False)
async def participants_page(event_id: UUID, request: Request, pool: Pool, lang: PageLang,
                            format: str = Query("html", pattern="^(html|csv|json)$"),
                            note: Note = Depends(SESSION.note)) -> Response:
    """The list of participants (confirmed, then waiting): a printable page with attendance,
    `format=csv` for a spreadsheet, `format=json` for programs."""
    here = f"/registrations/{event_id}/participants"
    # A bearer header or the list's session; an expired one is signed out (PUBLIC).
    principal = SESSION.principal(request)
    if principal.is_public:
        if format != "html":  # before whether there is such an activity
            raise Unauthenticated("sign in first", code="sign_in")
        return _to_sign_in(lang, here)
    try:
        activity, rules, rows, counts = await usecases.participants(uow(pool), principal,
                                                                    event_id)
    except DomainError as exc:
        if format != "html":
            raise  # JSON, by the route (`_ListRoute`)
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=here)
    questions = _question_labels(rules, lang)
    if format == "json":
        return JSONResponse({"activity_event_id": str(event_id), "capacity": rules.capacity,
                             "counts": counts, "registrations": [
                                 {"id": str(r["id"]), "status": r["status"],
                                  "seats": r["seats"], "name": r["name"], "email": r["email"],
                                  "language": r["language"], "answers": r["answers"],
                                  "attended": r["attended"],
                                  "registered_at": r["created_at"].isoformat()}
                                 for r in rows]})
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        t = L[lang]
        writer.writerow([t["name"], t["email"], t["seats"], t["status"],
                         *[q["label"] for q in questions], t["present"]])
        for r in rows:
            writer.writerow([safe_cell(r["name"] or ""), safe_cell(r["email"] or ""),
                             r["seats"], t["status_" + r["status"]],
                             *[safe_cell(r["answers"].get(q["id"], "")) for q in questions],
                             "x" if r["attended"] else ""])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="participants-{event_id}.csv"'})
    return await _participants_html(request, pool, event_id, lang, activity, rules, rows,
                                    counts, msg=note.text)


async def _participants_html(request: Request, pool: Any, event_id: UUID, lang: str,
                             activity: Any, rules: domain.RegistrationRules, rows: Any,
                             counts: Any, *, status: int = 200, msg: str | None = None,
                             error: str | None = None) -> HTMLResponse:
    """The printable list with its attendance form; `error`: the form's refusal above it,
    which takes focus, nothing saved."""
    here = f"/registrations/{event_id}/participants"
    facts = activity["facts"]
    return _page(status, lang=lang, view="participants", here=here,
                 **_titled("participants_title", facts, lang),
                 facts={"when": _when(facts, lang),
                        "where": await _where_html(pool, facts, lang),
                        "seats_left": None},
                 rows=rows, counts=counts, capacity=rules.capacity,
                 questions=_question_labels(rules, lang),
                 csv_url=f"{here}?format=csv&lang={lang}", msg=msg, error=error,
                 links=[(f"/registrations/{event_id}/settings?lang={lang}",
                         L[lang]["settings_link"])],
                 csrf=SESSION.csrf_token(request),
                 action=f"/registrations/{event_id}/attendance?lang={lang}")


#: The attendance form's fields at most: a confirmed registration's `listed` and `present`
#: each, and the token. Starlette's 1,000 refused the list of an activity of 500 sign-ups
#: all present (its bare 400); the service's body limit bounds the form all the same.
_ATTENDANCE_FIELDS = 2 * domain.CAPACITY_MAX + 10


async def _attendance_refused(request: Request, pool: Any, event_id: UUID, lang: str,
                              status: int, error: str) -> Response:
    """The list again with the attendance form's refusal, as it is now (nothing saved)."""
    try:
        activity, rules, rows, counts = await usecases.participants(
            uow(pool), SESSION.principal(request), event_id)
    except DomainError as exc:
        message, code = _error(exc, lang)
        return _page(code, lang=lang, title=message,
                     here=f"/registrations/{event_id}/participants")
    return await _participants_html(request, pool, event_id, lang, activity, rules, rows,
                                    counts, status=status, error=error)


@router.post("/registrations/{event_id}/attendance", include_in_schema=False)
async def attendance_form(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                          lang: PageLang) -> Response:
    here = f"/registrations/{event_id}/participants"
    if not check_origin(request):
        return refused_page(request, f"{here}?lang={lang}")
    try:
        # Read before the session's check (which reads it too, by Starlette's bounds).
        fields, unreadable = await _form_kept(request, _ATTENDANCE_FIELDS)
    except FormUnread:
        return await _attendance_refused(request, pool, event_id, lang, 413,
                                         L[lang]["err_form_large"])
    if not await SESSION.check_form(request):
        return refused_page(request, f"{here}?lang={lang}")
    ticked = set(fields.get("present", []))
    listed = fields.get("listed", [])
    # The page's hidden ids, changed by hand (no id, a NUL, one ticked the list has not):
    # the list again, saying nothing was saved, where it was a bare "The request could not
    # be handled." page, or "Saved." with nothing saved.
    if ({"listed", "present"} & set(unreadable)
            or not all(_UUID.fullmatch(v) for v in [*listed, *ticked])
            or not ticked <= set(listed)):
        return await _attendance_refused(request, pool, event_id, lang, 422,
                                         L[lang]["err_attendance_form"])
    try:
        await usecases.mark_attendance(
            uow(pool), clock, SESSION.principal(request), event_id,
            [UUID(v) for v in listed if v in ticked], [UUID(v) for v in listed if v not in ticked])
    except Invalid as exc:
        if exc.details.get("code") != "attendance_unknown":
            message, status = _error(exc, lang)
            return _page(status, lang=lang, title=message, here=here)
        # An id of no registration of the activity (another's, made up): as above.
        return await _attendance_refused(request, pool, event_id, lang, 422,
                                         L[lang]["err_attendance_form"])
    except DomainError as exc:
        message, status = _error(exc, lang)
        return _page(status, lang=lang, title=message, here=here)
    return SESSION.noted(request, here, L[lang]["saved"], params=[("lang", lang)])


# --- the organiser's registration settings ---------------------------------------------

#: Empty question rows the settings page offers below those saved.
_FREE_ROWS = 3
_SETTINGS_INPUTS = ("opens_at", "closes_at", "max_group", "capacity")
_ROW_INPUT = re.compile(r"q([0-9]{1,3})_(id|fi|sv|en|required)")
_QUESTION_FIELD = re.compile(r"questions\.([0-9]+)\.(id|text\.(fi|sv|en))")


def _local_input(at: datetime | None) -> str:
    """A moment as a `datetime-local` input shows it: Helsinki's clock, to the minute."""
    return at.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M") if at is not None else ""


def _read_time(value: str, field: str, refused: list[Invalid]) -> datetime | None:
    """A `datetime-local` input on Helsinki's clock (as a browser sends it, or typed as the
    refusal asks it); empty: None. One that is no time is kept in `refused` (and read as
    none), to be said with every other refusal."""
    text = value.strip()
    if not text:
        return None
    local = typed_local_time(text)
    if local is None or local.tzinfo is not None:
        refused.append(Invalid("no time", field=field, code="bad_time"))
        return None
    try:
        return helsinki_time(local, field)
    except Invalid as exc:
        refused.append(exc)
        return None


def _read_count(value: str, field: str, high: int, refused: list[Invalid]) -> int | None:
    """A whole number in ASCII digits ("²" is a digit to Python); empty: None. One that is no
    number is kept in `refused` under the rule's code (its field's), read as none."""
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    refused.append(Invalid(f"{field} is a whole number", field=field, code=field, low=1,
                           high=high))
    return None


@dataclass(frozen=True)
class _SettingsForm:
    """The settings form as posted: its values as typed (to show again), the command it
    makes, each question's row on the page (the command's questions leave empty rows out)
    and the values it could not read."""

    values: dict[str, Any]
    command: usecases.RegistrationSettingsCommand
    rows: list[int]
    refused: list[Invalid]


def _settings_form(fields: dict[str, list[str]]) -> _SettingsForm:
    values: dict[str, Any] = {key: _one(fields, key) for key in _SETTINGS_INPUTS}
    refused: list[Invalid] = []
    opens_at = _read_time(values["opens_at"], "opens_at", refused)
    closes_at = _read_time(values["closes_at"], "closes_at", refused)
    max_group = _read_count(values["max_group"], "max_group", domain.MAX_GROUP_MAX, refused)
    capacity = _read_count(values["capacity"], "capacity", domain.CAPACITY_MAX, refused)
    indices = sorted({int(m.group(1)) for key in fields if (m := _ROW_INPUT.fullmatch(key))})
    rows: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    placed: list[int] = []
    for i in indices:
        texts = {lang: _one(fields, f"q{i}_{lang}") for lang in domain.LANGS}
        row: dict[str, Any] = {"i": i, "id": _one(fields, f"q{i}_id").strip(), **texts,
                               "required": bool(fields.get(f"q{i}_required"))}
        rows.append(row)
        if not any(text.strip() for text in texts.values()):
            continue  # an empty row: no question (emptied, the question is removed)
        # A new question's id, never one an earlier question had (its answers are kept by
        # it): the organiser never sees it.
        questions.append({"id": row["id"] or f"q{uuid4().hex[:8]}",
                          "text": texts,
                          "required": row["required"]})
        placed.append(i)
    values["rows"] = rows
    return _SettingsForm(values, usecases.RegistrationSettingsCommand(
        opens_at=opens_at, closes_at=closes_at,
        max_group=max_group, capacity=capacity, questions=tuple(questions)), placed, refused)


def _saved_values(settings: dict[str, Any] | None, own: int | None) -> dict[str, Any]:
    """The form as the settings are saved; none saved yet, the group's limit the default by
    the activity's places (`own`), so the page does not offer 6 and say beside it that 5
    hold."""
    if settings is None:
        settings = {"max_group": domain.default_group(own)}
    questions = settings.get("questions") or []
    rows = [{"i": i, "id": q.get("id", ""),
             **{lang: (q.get("text") or {}).get(lang, "") for lang in domain.LANGS},
             "required": bool(q.get("required"))} for i, q in enumerate(questions)]
    return {"opens_at": _local_input(settings.get("opens_at")),
            "closes_at": _local_input(settings.get("closes_at")),
            "max_group": str(settings.get("max_group") or domain.default_group(own)),
            "capacity": str(settings["capacity"]) if settings.get("capacity") else "",
            "rows": rows}


def _group_held(values: dict[str, Any], own: int | None, lang: str) -> str | None:
    """What the settings page says beside the group's limit when the places (as typed, else
    the event's own) hold a sign-up below it: a limit of 6 set and 2 places take groups of 2.
    Said rather than refused; None when the limit holds as it is, is left empty (the default
    by the places is saved), or a number is not one the settings take (its refusal says
    why)."""
    unread: list[Invalid] = []
    group = _read_count(values["max_group"], "max_group", domain.MAX_GROUP_MAX, unread)
    places = _read_count(values["capacity"], "capacity", domain.CAPACITY_MAX, unread)
    places = own if places is None else places
    group = domain.default_group(places) if group is None else group
    if unread or not 1 <= group <= domain.MAX_GROUP_MAX:
        return None
    if places is not None and not 1 <= places <= domain.CAPACITY_MAX:
        return None
    held = domain.group_held_by_places(group, places)
    if held is None:
        return None
    if held == 1:
        return L[lang]["group_held_one"]
    return L[lang]["group_held"].format(n=l10n.number(held, lang))


def _closes_held(settings: dict[str, Any] | None, facts: dict[str, Any],
                 lang: str) -> str | None:
    """What the page says beside a closing time saved before the activity moved earlier than
    it: sign-ups close at the start, and the time must change before a save is taken
    (`domain.check_registration_settings`), said before the organiser tries; None when the
    saved time holds."""
    closes_at = (settings or {}).get("closes_at")
    starts_at = datetime.fromisoformat(facts["starts_at"]) if facts.get("starts_at") else None
    if closes_at is None or starts_at is None or closes_at <= starts_at:
        return None
    return L[lang]["closes_held"].format(starts=l10n.date_and_time(starts_at, lang))


def _opens_held(settings: dict[str, Any] | None, facts: dict[str, Any],
                lang: str) -> str | None:
    """What the page says beside an opening time saved before the activity moved to it or
    earlier: sign-ups close at the start, so registration would never open, and the time
    must change before a save is taken (as `_closes_held`); None when the saved time holds."""
    opens_at = (settings or {}).get("opens_at")
    starts_at = datetime.fromisoformat(facts["starts_at"]) if facts.get("starts_at") else None
    if opens_at is None or starts_at is None or opens_at < starts_at:
        return None
    return L[lang]["opens_held"].format(starts=l10n.date_and_time(starts_at, lang))


def _with_free_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows and empty ones for new questions (a form sent back has its own), up to the
    most there may be."""
    start = max((r["i"] for r in rows), default=-1) + 1
    empty = sum(1 for r in rows if not any(r[code].strip() for code in domain.LANGS))
    free = max(min(_FREE_ROWS - empty, domain.QUESTIONS_MAX - len(rows)), 0)
    return [*rows, *({"i": start + n, "id": "", "fi": "", "sv": "", "en": "",
                      "required": False} for n in range(free))]


def _settings_input(field: str | None, placed: list[int]) -> str | None:
    """The settings page's input a rule's field is about: a question's text by its row (its
    id, which the page keeps hidden, by the row's Finnish text); None: said above alone."""
    if field in _SETTINGS_INPUTS:
        return field
    row_input = _ROW_INPUT.fullmatch(field or "")
    if row_input is not None:  # an input of a row as posted (its text unreadable)
        return field if row_input.group(2) in domain.LANGS else None
    found = _QUESTION_FIELD.fullmatch(field or "")
    if found is None or int(found.group(1)) >= len(placed):
        return None
    return f"q{placed[int(found.group(1))]}_{found.group(3) or 'fi'}"


#: The rules of the page's hidden question ids: an id the page wrote is never broken, so one
#: that is was changed by hand (or by a page of another version), said so, not the API's rule.
_HIDDEN_ID_CODES = frozenset({"question_id", "repeated"})


def _settings_message(exc: DomainError, lang: str) -> str:
    if exc.details.get("code") in _HIDDEN_ID_CODES:
        return L[lang]["form_changed"]
    return _error(exc, lang)[0]


def _settings_refused(exc: DomainError, lang: str, here: str) -> HTMLResponse:
    """The settings page refused as a whole (no such activity, not theirs to change)."""
    message, status = _error(exc, lang)
    if exc.details.get("code") == "participants_forbidden":  # the list's rights, said so
        message = L[lang]["err_settings_forbidden"]
    return _page(status, lang=lang, title=message, here=here)


async def _settings_page(request: Request, pool: Any, event_id: UUID, lang: str,
                         principal: Principal, *, status: int = 200, msg: str | None = None,
                         form: _SettingsForm | None = None,
                         refused: DomainError | None = None,
                         error: str | None = None) -> Response:
    """The organiser's settings of an activity's registration: the window, the group size,
    the places and the questions. Refused (`refused`), the form as typed (`form`), every
    refusal by its input with a summary linking to each when there are several."""
    here = f"/registrations/{event_id}/settings"
    try:
        activity, settings, rules = await usecases.registration_settings(
            uow(pool), principal, event_id)
    except DomainError as exc:
        return _settings_refused(exc, lang, here)
    t = L[lang]
    facts = activity["facts"]
    own = facts.get("capacity")
    values = form.values if form is not None else _saved_values(settings, own)
    rows = _with_free_rows(values["rows"])
    names = {key: t[key] for key in _SETTINGS_INPUTS}
    for n, row in enumerate(rows, start=1):
        for code in domain.LANGS:
            names[f"q{row['i']}_{code}"] = f"{t['question_n'].format(n=n)} {t['in_' + code]}"
    invalid: dict[str, str] = {}
    refusals: list[dict[str, Any]] = []
    focus = ""
    if refused is not None:
        placed = form.rows if form is not None else []
        invalid, unplaced = by_input(
            [refused], lambda exc: _settings_message(exc, lang),
            lambda exc: _settings_input(field_of(exc), placed), order=list(names))
        refusals = summary_links(invalid, unplaced, {k: k for k in invalid}, names)
        focus = focus_input(invalid, unplaced)
    response = _page(
        status, lang=lang, view="settings", here=here,
        **_titled("settings_title", facts, lang),
        facts={"activity": _activity_link(activity["id"], facts, lang),
               "when": _when(facts, lang), "where": await _where_html(pool, facts, lang),
               "seats_left": None},
        msg=msg if msg else None if rules.registration_required
        else t["settings_not_required"],
        error=error, form=values, rows=rows, invalid=invalid, refusals=refusals,
        focus=focus, check_title=t["settings_check"], csrf=SESSION.csrf_token(request),
        action=f"{here}?lang={lang}", max_group_max=l10n.number(domain.MAX_GROUP_MAX, lang),
        capacity_max=domain.CAPACITY_MAX, question_max=domain.QUESTION_MAX,
        group_held=_group_held(values, own, lang),
        closes_held=None if form is not None else _closes_held(settings, facts, lang),
        opens_held=None if form is not None else _opens_held(settings, facts, lang),
        capacity_hint=(t["capacity_hint"].format(n=l10n.number(own, lang)) if own
                       else t["capacity_hint_none"]),
        links=[(f"/registrations/{event_id}/participants?lang={lang}",
                t["participants_link"]),
               (f"/registrations/{event_id}?lang={lang}", t["signup_link"])])
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/registrations/{event_id}/settings", response_class=HTMLResponse,
            include_in_schema=False)
async def settings_page(event_id: UUID, request: Request, pool: Pool, lang: PageLang,
                        note: Note = Depends(SESSION.note)) -> Response:
    """The settings `PUT /registrations/{id}/settings` takes, as a form for the organiser,
    in the participants' list's session."""
    principal = SESSION.principal(request)
    if principal.is_public:
        return _to_sign_in(lang, f"/registrations/{event_id}/settings")
    return await _settings_page(request, pool, event_id, lang, principal, msg=note.text)


@router.post("/registrations/{event_id}/settings", response_class=HTMLResponse,
             include_in_schema=False)
async def settings_form(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                        lang: PageLang) -> Response:
    """The settings form: saved by the API's use case and rules (303 back to the page,
    saying so), or the form again as typed with every refusal, nothing saved."""
    here = f"/registrations/{event_id}/settings"
    if not check_origin(request):
        return refused_page(request, f"{here}?lang={lang}")
    principal = SESSION.principal(request)
    try:
        # Read before the session's check (which reads it too, by Starlette's bounds).
        fields, unreadable = await _form_kept(request)
    except FormUnread:
        if principal.is_public:
            return _to_sign_in(lang, here)
        return await _settings_page(request, pool, event_id, lang, principal, status=413,
                                    error=L[lang]["err_form_large"])
    if not await SESSION.check_form(request):
        return refused_page(request, f"{here}?lang={lang}")
    if principal.is_public:  # the session ran out: sign in again, then the page
        return _to_sign_in(lang, here)
    form = _settings_form(fields)
    # A NUL or a lone surrogate: refused by its input, the rest of it shown as typed.
    form.refused.extend(Invalid("text with characters we cannot keep", field=name,
                                code="text") for name in unreadable)
    try:
        await usecases.save_registration_settings(
            uow(pool), clock, principal, handlers.reach_links(), handlers.public_events_url(),
            event_id, form.command, form.refused)
    except Invalid as exc:
        _without_hidden_questions(form, exc)
        return await _settings_page(request, pool, event_id, lang, principal, status=422,
                                    form=form, refused=exc)
    except DomainError as exc:
        return _settings_refused(exc, lang, here)
    return SESSION.noted(request, here, L[lang]["settings_saved"], params=[("lang", lang)])


_QUESTION_TEXT = re.compile(r"questions\.([0-9]+)\.text\.(fi|sv|en)")


def _without_hidden_questions(form: _SettingsForm, refused: Invalid) -> None:
    """A question's text refused for characters nobody sees (`question_chars`) comes back to
    the form without them, to be checked and saved again, as the refusal asks it written;
    the rest as typed. (Its words are the API's too, so they say no more than that.)"""
    for each in each_refusal([refused]):
        at = _QUESTION_TEXT.fullmatch(field_of(each) or "")
        if at is None or each.details.get("code") != "question_chars" or (
                int(at[1]) >= len(form.rows)):
            continue
        for row in form.values["rows"]:
            if row["i"] == form.rows[int(at[1])]:
                row[at[2]] = without_hidden(row[at[2]], lines=False)


class Question(BaseModel):
    """A question asked at sign-up. Its rules (the id's form, the Finnish text, lengths) are
    `domain.check_registration_settings`'s, the page's too, which says every one broken at
    once; the schema documents them."""

    model_config = ConfigDict(extra="forbid")
    id: Str = Field(json_schema_extra={"pattern": "^[a-z0-9_]{1,40}$"})
    text: dict[Literal["fi", "sv", "en"], Str] = Field(
        json_schema_extra={"required": ["fi"], "additionalProperties": {
            "type": "string", "maxLength": domain.QUESTION_MAX}})
    required: bool = False


class RegistrationSettings(BaseModel):
    """The organiser's choices for an activity's registration. The bounds are the rules'
    (`domain.check_registration_settings`), each refusal said with every other at once."""

    model_config = ConfigDict(extra="forbid")
    #: Before the activity starts (sign-ups end then, so it would never open); not given: as
    #: soon as the activity is published.
    opens_at: Moment | None = None
    #: After `opens_at` and no later than the activity starts (sign-ups end then whatever is
    #: set); not given: when it starts.
    closes_at: Moment | None = None
    #: Not given: the default 6, or the places when they are fewer (`domain.default_group`).
    max_group: int | None = Field(None, json_schema_extra={
        "minimum": 1, "maximum": domain.MAX_GROUP_MAX})
    #: No fewer than the seats already confirmed (422 `capacity_below_confirmed`).
    capacity: int | None = Field(None, json_schema_extra={
        "minimum": 1, "maximum": domain.CAPACITY_MAX})
    questions: list[Question] = Field(default_factory=list, json_schema_extra={
        "maxItems": domain.QUESTIONS_MAX})


# The organiser's settings and attendance are the JSON API's, not pages: their refusals are
# JSON to a program (a page only to a browser, by `shared.http`), and an anonymous caller
# hears 401 before anything about the id or the body (`SignedIn`). A page router would answer
# every refusal with a page, and reading the caller inside the route would judge the body
# first. The participants page's form posts attendance to `attendance_form` above.
api = APIRouter(tags=["registration and following"])


@api.put("/registrations/{event_id}/settings")
async def put_settings(event_id: UUID, body: RegistrationSettings, pool: Pool,
                       clock: CurrentClock, principal: SignedIn) -> dict[str, Any]:
    """Sign-up window, group size, seats and questions (the activity's organiser, its desk,
    communications staff)."""
    saved = await usecases.save_registration_settings(
        uow(pool), clock, principal, handlers.reach_links(),
        handlers.public_events_url(), event_id, usecases.RegistrationSettingsCommand(
            opens_at=body.opens_at, closes_at=body.closes_at, max_group=body.max_group,
            capacity=body.capacity,
            questions=tuple(q.model_dump() for q in body.questions)))
    return {**saved, "activity_event_id": str(saved["activity_event_id"])}


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    present: list[UUID] = Field(default_factory=list, max_length=5000)
    absent: list[UUID] = Field(default_factory=list, max_length=5000)


@api.put("/registrations/{event_id}/attendance")
async def put_attendance(event_id: UUID, body: Attendance, pool: Pool, clock: CurrentClock,
                         principal: SignedIn) -> dict[str, int]:
    """Who came: the ids `present` and `absent` of the activity's registrations; one in both
    is refused (422 `attendance_both`), so is an id of no registration of the activity (422
    `attendance_unknown`)."""
    return await usecases.mark_attendance(uow(pool), clock, principal, event_id, body.present,
                                          body.absent)


# --- following ------------------------------------------------------------------------------

_CHOICES = ("venue_ids", "areas", "topics", "audiences", "kinds")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _choice_refused(fields: dict[str, list[str]], unreadable: list[str]) -> Invalid | None:
    """What the follow form cannot take as sent: an address with a NUL in it, by its input;
    a choice no list offers (a place's id that is no id, a NUL in a choice: a form changed
    by hand), by the lists' own words. Checked before anything else, the form kept as
    sent, where a UUID() or a NUL was 'the text has characters we cannot take' above a
    form that had lost the address and every choice."""
    if "email" in unreadable:
        return Invalid("text with characters we cannot keep", field="email", code="text")
    for name in _CHOICES:
        if name in unreadable or (name == "venue_ids" and not all(
                _UUID.fullmatch(v.strip()) for v in fields.get(name, []))):
            return Invalid("not something to follow", field=name, code="not_followable")
    return None


def _choice(fields: dict[str, list[str]], email: str, lang: str) -> usecases.Following:
    # An id that is no id is left out here, and refused by `_choice_refused`.
    venue_ids = tuple(UUID(v.strip()) for v in fields.get("venue_ids", [])[:200]
                      if _UUID.fullmatch(v.strip()))
    return usecases.Following(
        email=email, language=_form_language(fields, lang), venue_ids=venue_ids,
        areas=tuple(fields.get("areas", [])[:100]), topics=tuple(fields.get("topics", [])[:100]),
        audiences=tuple(fields.get("audiences", [])[:100]),
        kinds=tuple(fields.get("kinds", [])[:100]), each_new=bool(fields.get("each_new")))


async def _follow_page(pool: Any, lang: str, *, token: str | None = None,
                       chosen: dict[str, Any] | None = None, status: int = 200,
                       error: str | None = None, msg: str | None = None,
                       email: str = "", from_link: bool = False,
                       refused: DomainError | None = None) -> HTMLResponse:
    """The follow form (or a subscriber's choices); `refused`: a refusal of the address is
    said by its input, which takes the focus (`aria-invalid`, `aria-describedby`), as the
    sign-up form says its own; any other refusal above the form, which takes it."""
    chosen = chosen or {"language": lang, "each_new": False}
    # A retired term chosen (saved, or by a link) stays offered, so it shows as chosen.
    options = await usecases.following_options(uow(pool), lang, chosen)
    t = L[lang]
    gone = [str(value) for name, offered in options.items()
            for value in chosen.get(name) or ()
            if str(value) not in {code for code, _ in offered}]
    if from_link and gone:
        # A link chose what no one can follow (an area the city has not, a made-up kind):
        # said, so the resident does not think they follow it.
        # A control character a link carried (%01) shown as U+FFFD, not written into the page.
        msg = t["link_choice_gone"].format(choice=echoed(_CONTROL.sub("\ufffd", gone[0]), 100))
    groups = [{"name": name, "legend": t[legend], "options": options[name],
               "chosen": [str(v) for v in chosen.get(name) or []]}
              for name, legend in (("venue_ids", "venues"), ("areas", "areas"),
                                   ("topics", "topics"), ("audiences", "audiences"),
                                   ("kinds", "kinds"))]
    here = f"/follow/{token}" if token else "/follow"
    invalid: dict[str, str] = {}
    if refused is not None and error is not None and field_of(refused) == "email" \
            and not token:
        invalid, error = {"email": error}, None
    return _page(status, lang=lang, view="follow", here=here,
                 title=t["prefs_title" if token else "follow_title"], token=token,
                 action=f"{here}?lang={lang}", groups=groups, chosen=chosen, error=error,
                 msg=msg, form={"email": email}, invalid=invalid,
                 focus="email" if invalid else "",
                 unsubscribe_action=f"/follow/{token}/unsubscribe?lang={lang}",
                 feeds={"ics": f"/follow/{token}/feed.ics", "rss": f"/follow/{token}/feed.rss"})


@router.get("/follow", response_class=HTMLResponse, include_in_schema=False)
async def follow_page(pool: Pool, lang: PageLang,
                      venue: UUID | None = None, area: Str | None = Query(None, max_length=100),
                      topic: Str | None = Query(None, max_length=100),
                      audience: Str | None = Query(None, max_length=100),
                      kind: Str | None = Query(None, max_length=100)) -> Response:
    """Subscribe; a link from an event or venue page may choose one thing already."""
    chosen = {"language": lang, "each_new": False, "venue_ids": [venue] if venue else [],
              "areas": [area] if area else [], "topics": [topic] if topic else [],
              "audiences": [audience] if audience else [], "kinds": [kind] if kind else []}
    return await _follow_page(pool, lang, chosen=chosen, from_link=True)


@router.post("/follow", response_class=HTMLResponse, include_in_schema=False)
async def follow(request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"/follow?lang={lang}")
    email, chosen = "", None
    try:
        fields, unreadable = await _form_kept(request)
        email = _one(fields, "email")  # whole: one too long is refused, never cut
        command = replace(_choice(fields, email, lang), client=client_address(request))
        # The form's language is the mail's; the page answers in the page's own (`?lang=`).
        chosen = command.data()
        if (refusal := _choice_refused(fields, unreadable)) is not None:
            raise refusal
        await usecases.subscribe(uow(pool), clock, handlers.reach_links(), command)
    except FormUnread:
        return await _follow_page(pool, lang, status=413, error=L[lang]["err_form_large"])
    except DomainError as exc:
        message, status = _error(exc, lang, now=clock.now())
        refused = await _follow_page(pool, lang, status=status, error=message, email=email,
                                     chosen=chosen, refused=exc)
        refused.headers.update(refusal_headers(exc))  # Retry-After of a ceiling
        return refused
    return _done(lang, L[lang]["check_email"], title=L[lang]["follow_title"], here="/follow",
                 status=201)


def _link_error(exc: DomainError, lang: str, here: str) -> HTMLResponse:
    message, status = _error(exc, lang)
    return _page(status, lang=lang, title=message, here=here)


@router.get("/follow/confirm/{token}", response_class=HTMLResponse, include_in_schema=False)
async def confirm_page(token: Str, pool: Pool, lang: PageLang) -> Response:
    """The link in the confirmation email: a button confirms (a mail scanner that opens
    links confirms nothing)."""
    here = f"/follow/confirm/{token}"
    try:
        row = await usecases.subscription_by_link(uow(pool), handlers.reach_links(), token)
    except DomainError as exc:
        return _link_error(exc, lang, here)
    pending = row["status"] == "pending"
    return _page(lang=lang, view="confirm", here=here, title=L[lang]["confirm_title"],
                 can_confirm=pending, action=f"{here}?lang={lang}",
                 # Which address is confirmed: the link's own (its mail went there).
                 confirm_for=L[lang]["confirm_for"].format(email=row["email"]) if pending
                 else None,
                 msg=None if pending else L[lang]["confirmed_sub"],
                 links=None if pending else [(f"/follow/{token}?lang={lang}",
                                              L[lang]["prefs_link"])])


@router.post("/follow/confirm/{token}", response_class=HTMLResponse, include_in_schema=False)
async def confirm(token: Str, request: Request, pool: Pool, clock: CurrentClock,
                  lang: PageLang) -> Response:
    here = f"/follow/confirm/{token}"
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"{here}?lang={lang}")
    try:
        await usecases.confirm_subscription(uow(pool), clock, handlers.reach_links(), token)
    except DomainError as exc:
        return _link_error(exc, lang, here)
    # To the link's page, which says a confirmed subscription is confirmed: a reload there
    # reads it again instead of posting the confirmation again.
    return RedirectResponse(f"{here}?lang={lang}", status_code=303)


@router.get("/follow/{token}", response_class=HTMLResponse, include_in_schema=False)
async def preferences_page(token: Str, pool: Pool, lang: PageLang,
                           done: Str | None = Query(None, max_length=20)) -> Response:
    try:
        row = await usecases.subscription_by_link(uow(pool), handlers.reach_links(), token)
    except DomainError as exc:
        return _link_error(exc, lang, f"/follow/{token}")
    # A code, not a text: the page says only its own words, whatever a link was made with.
    # An unsubscribed one is told that saving subscribes again: it does, and said nothing.
    note = L[lang][done] if done in ("saved", "resumed") else (
        L[lang]["unsubscribed_save"] if row["status"] == "unsubscribed" else None)
    return await _follow_page(pool, lang, token=token, chosen=row, msg=note)


@router.post("/follow/{token}", response_class=HTMLResponse, include_in_schema=False)
async def change_preferences(token: Str, request: Request, pool: Pool, clock: CurrentClock,
                             lang: PageLang) -> Response:
    if not check_origin(request):  # another site's page posting in a resident's name
        return refused_page(request, f"/follow/{token}?lang={lang}")
    chosen = None
    try:
        fields, unreadable = await _form_kept(request)
        command = _choice(fields, "", lang)
        # The form's language is the digests'; the page answers in the page's own (`?lang=`).
        chosen = command.data()
        before = await usecases.subscription_by_link(uow(pool), handlers.reach_links(), token)
        if (refusal := _choice_refused(fields, unreadable)) is not None:
            raise refusal
        await usecases.change_subscription(uow(pool), clock, handlers.reach_links(), token,
                                           command)
    except FormUnread:
        # Nothing of the form read: the choices as saved, which nothing changed.
        try:
            saved = await usecases.subscription_by_link(uow(pool), handlers.reach_links(),
                                                        token)
        except DomainError as exc:
            return _link_error(exc, lang, f"/follow/{token}")
        return await _follow_page(pool, lang, token=token, status=413, chosen=saved,
                                  error=L[lang]["err_form_large"])
    except DomainError as exc:
        message, status = _error(exc, lang)
        if isinstance(exc, NotFound):
            return _page(status, lang=lang, title=message, here=f"/follow/{token}")
        return await _follow_page(pool, lang, token=token, status=status, error=message,
                                  chosen=chosen)
    done = "resumed" if before["status"] == "unsubscribed" else "saved"
    return RedirectResponse(f"/follow/{token}?lang={lang}&done={done}", status_code=303)


@router.get("/follow/{token}/unsubscribe", response_class=HTMLResponse,
            include_in_schema=False)
async def unsubscribe_page(token: Str, pool: Pool, lang: PageLang) -> Response:
    here = f"/follow/{token}/unsubscribe"
    try:
        row = await usecases.subscription_by_link(uow(pool), handlers.reach_links(), token)
    except DomainError as exc:
        return _link_error(exc, lang, here)
    active = row["status"] != "unsubscribed"
    return _page(lang=lang, view="unsubscribe", here=here,
                 title=L[lang]["unsubscribe_title"], can_unsubscribe=active,
                 action=f"{here}?lang={lang}",
                 msg=None if active else L[lang]["unsubscribed"])


@router.post("/follow/{token}/unsubscribe", response_class=HTMLResponse,
             include_in_schema=False)
async def unsubscribe(token: Str, pool: Pool, clock: CurrentClock,
                      lang: LangParam | None = Query(None)) -> Response:
    """One click: a mail client POSTs `List-Unsubscribe=One-Click` here (RFC 8058), a person
    the page's button; either way nothing more is sent. Not `PageLang`: a mail client names
    no language, and the answer is then in the subscriber's own."""
    here = f"/follow/{token}/unsubscribe"
    try:
        row = await usecases.unsubscribe(uow(pool), clock, handlers.reach_links(), token)
    except DomainError as exc:
        return _link_error(exc, lang or "fi", here)
    lang = lang or row["language"]
    return _done(lang, L[lang]["unsubscribed"],
                 [(f"/follow/{token}?lang={lang}", L[lang]["prefs_link"])],
                 title=L[lang]["unsubscribe_title"], here=here)


def _feed_refused(exc: DomainError, lang: str | None) -> Response:
    """A personal feed refused (a link of no subscription): said in plain text, in the
    language the link names, else Finnish, as the pages say it; 404 for any link."""
    said = lang or "fi"
    return Response(_error(exc, said)[0], status_code=404, media_type="text/plain",
                    headers={"Content-Language": said})


@router.get("/follow/{token}/feed.ics", include_in_schema=False)
async def personal_ics(token: Str, pool: Pool, clock: CurrentClock,
                       lang: LangParam | None = Query(None)) -> Response:
    try:
        row, items = await usecases.personal_feed(uow(pool), clock, handlers.reach_links(),
                                                  token)
    except DomainError as exc:
        return _feed_refused(exc, lang)
    lang = _lang(row["language"])
    body = feeds.ical(_feed_board(lang), items, lang, events_url=handlers.public_events_url())
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})


@router.get("/follow/{token}/feed.rss", include_in_schema=False)
async def personal_rss(token: Str, request: Request, pool: Pool, clock: CurrentClock,
                       lang: LangParam | None = Query(None)) -> Response:
    try:
        row, items = await usecases.personal_feed(uow(pool), clock, handlers.reach_links(),
                                                  token)
    except DomainError as exc:
        return _feed_refused(exc, lang)
    lang = _lang(row["language"])
    links = handlers.reach_links()
    body = feeds.rss(_feed_board(lang), items, lang,
                     link=links.url(f"/follow/{token}?lang={lang}"),
                     self_url=links.url(f"/follow/{token}/feed.rss"),
                     events_url=handlers.public_events_url())
    return Response(body, media_type="application/rss+xml; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})


def _feed_board(lang: str) -> dict[str, Any]:
    """The personal feed looks like an area board's to the feed writers (feeds.py)."""
    name = {"fi": "Omat tapahtumani", "sv": "Mina evenemang", "en": "My events"}
    return {"id": None, "venue_id": None, "area": None, "name": name, "spaces": {},
            "languages": [lang], "kinds": None}
