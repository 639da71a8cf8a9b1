"""Pages people read answer a refusal with a page, never with JSON: an unknown event or
survey, a bad address, an odd query string or too many answers get a small HTML page in the
reader's language (fi/sv/en), saying what happened and with a link on.

And what every HTML page of every service shares for its safety (issue #13, SECURITY.md):

- `PageHeaders`: CSP, ``X-Frame-Options``, ``X-Content-Type-Options`` and
  ``Referrer-Policy`` on every HTML response (``nosniff`` on every response), and
  ``Vary: Accept-Language, Cookie``, since every page answers in the reader's language.
- `HeadAsGet`: a ``HEAD`` request answered as its ``GET`` would be, without the body.
- `TrustedProxies`: the client's address from ``X-Forwarded-For`` only when the connection
  comes from a configured proxy (``KOHTAAMO_TRUSTED_PROXIES``), never from anyone else.
- `PageSession`: a staff page's cookie session, one cookie per service, limited to the page's
  path: sign-in by form POST (no token in a URL), sign-out, a CSRF token in every form and
  an Origin/Referer check on every POST. The JSON API never reads these cookies. What a
  form's action says on the page it leads back to (`Note`) is signed with the session, so a
  link from elsewhere cannot put its own words on a staff page.
- `check_origin`: the Origin/Referer check alone, for a public form (feedback).
- `public_base`/`public_link`: absolute links from the configured public URL, never from
  the request's ``Host``.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import html
import ipaddress
import os
import re
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal, NamedTuple, cast
from urllib.parse import parse_qsl, quote_from_bytes, urlencode, urlsplit, urlunsplit

from babel.dates import format_date
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from pydantic import BeforeValidator
from starlette.datastructures import URL, Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import PUBLIC, Principal, Unauthenticated, bearer_token, verify_token
from shared.bounds import MAX_YEAR, MIN_YEAR
from shared.db import DatabaseOutage
from shared.errors import DomainError
from shared.http import (
    ErrorPage,
    echoed,
    invalid_fields,
    language_tag,
    own_words,
    reader_language,
    refusal_headers,
    refused_fields,
    status_of,
)
from shared.l10n import locale, number
from shared.observability import route_back
from shared.settings import DEFAULT_PORTS

LANGS = ("fi", "sv", "en")
#: Each language as its own readers name it, for the language switch of every page.
ENDONYMS = {"fi": "suomi", "sv": "svenska", "en": "English"}

#: What a reader is told per status; a page's own message may say more.
_TEXT: dict[int, dict[str, str]] = {
    404: {"fi": "Sivua ei löytynyt", "sv": "Sidan hittades inte", "en": "Page not found"},
    422: {"fi": "Osoitteessa on virhe", "sv": "Adressen innehåller ett fel",
          "en": "Something in the address is wrong"},
    409: {"fi": "Tätä ei voi tehdä nyt", "sv": "Det går inte just nu",
          "en": "This cannot be done now"},
    429: {"fi": "Liian monta yritystä", "sv": "För många försök", "en": "Too many tries"},
    413: {"fi": "Lähetetty sisältö on liian suuri", "sv": "Det skickade innehållet är för stort",
          "en": "What was sent is too large"},
    503: {"fi": "Palvelu on hetken poissa käytöstä", "sv": "Tjänsten är tillfälligt ur bruk",
          "en": "The service is briefly unavailable"},
    400: {"fi": "Pyyntöä ei voitu käsitellä", "sv": "Begäran kunde inte behandlas",
          "en": "The request could not be handled"},
    401: {"fi": "Kirjaudu ensin sisään", "sv": "Logga in först", "en": "Please sign in first"},
    403: {"fi": "Sinulla ei ole oikeutta tähän", "sv": "Du har inte behörighet till detta",
          "en": "You are not allowed to do this"},
    # A method the address does not take: a link to a form's address, a form sent to a page.
    405: {"fi": "Tätä ei voi tehdä tässä osoitteessa",
          "sv": "Det går inte att göra så på den här adressen",
          "en": "This cannot be done at this address"},
}
#: A form's refused input: the title of a 422 answering a POST.
_FORM_422 = {"fi": "Lomakkeessa on virhe", "sv": "Formuläret innehåller ett fel",
             "en": "Something in the form is wrong"}
#: The link on from a refusal outside the page routers: the service's front page.
_FRONT = {"fi": "Etusivulle", "sv": "Till startsidan", "en": "To the front page"}
_DETAIL: dict[int, dict[str, str]] = {
    404: {"fi": "Hakemaasi sivua ei ole, tai se on poistettu.",
          "sv": "Sidan du söker finns inte eller har tagits bort.",
          "en": "The page you are looking for does not exist or has been removed."},
    405: {"fi": "Osoite on oikea, mutta se ei ota vastaan tällaista pyyntöä.",
          "sv": "Adressen stämmer, men den tar inte emot en sådan begäran.",
          "en": "The address is right, but it does not take this kind of request."},
    422: {"fi": "Tarkista nämä kohdat:", "sv": "Kontrollera dessa:", "en": "Please check:"},
    413: {"fi": "Lyhennä tekstiä tai lähetä vähemmän kerralla.",
          "sv": "Korta av texten eller skicka mindre åt gången.",
          "en": "Shorten the text or send less at a time."},
    429: {"fi": "Odota hetki ja yritä uudelleen.", "sv": "Vänta en stund och försök igen.",
          "en": "Please wait a moment and try again."},
    503: {"fi": "Yritä hetken päästä uudelleen.", "sv": "Försök igen om en stund.",
          "en": "Please try again in a moment."},
}
#: Every input a page takes (its address's parts, its query's parameters, its form's
#: fields) by the name a route gives it, as its reader calls it: a refusal says "Vuosi",
#: never `year` (`refusal_text`). `tests/test_refusal_texts.py` fails for a page route with
#: an input not named here.
LABELS: dict[str, dict[str, str]] = {
    "accessible": {"fi": "Esteettömyys", "sv": "Tillgänglighet", "en": "Accessibility"},
    "account_id": {"fi": "Tilin tunnus", "sv": "Kontots id", "en": "Account id"},
    "action": {"fi": "Toiminto", "sv": "Åtgärd", "en": "Action"},
    "age_group": {"fi": "Ikäryhmä", "sv": "Åldersgrupp", "en": "Age group"},
    "area": {"fi": "Alue", "sv": "Område", "en": "Area"},
    "audience": {"fi": "Kenelle", "sv": "För vem", "en": "Audience"},
    "board": {"fi": "Ilmoitustaulu", "sv": "Anslagstavla", "en": "Notice board"},
    "board_id": {"fi": "Ilmoitustaulu", "sv": "Anslagstavla", "en": "Notice board"},
    "body": {"fi": "Lomakkeen sisältö", "sv": "Formulärets innehåll",
             "en": "The form's content"},
    "booking": {"fi": "Varaus", "sv": "Bokning", "en": "Booking"},
    "booking_id": {"fi": "Varaus", "sv": "Bokning", "en": "Booking"},
    "borrower_email": {"fi": "Lainaajan sähköposti", "sv": "Låntagarens e-post",
                       "en": "Borrower's email"},
    "borrower_name": {"fi": "Lainaajan nimi", "sv": "Låntagarens namn",
                      "en": "Borrower's name"},
    "borrower_phone": {"fi": "Lainaajan puhelin", "sv": "Låntagarens telefon",
                       "en": "Borrower's phone"},
    "capacity": {"fi": "Henkilömäärä", "sv": "Antal personer", "en": "Number of people"},
    "closed": {"fi": "Suljettu", "sv": "Stängt", "en": "Closed"},
    "closes": {"fi": "Sulkeutuu", "sv": "Stänger", "en": "Closes"},
    "code": {"fi": "Koodi", "sv": "Kod", "en": "Code"},
    "comment": {"fi": "Kommentti", "sv": "Kommentar", "en": "Comment"},
    "feedback_code": {"fi": "Palautekoodi", "sv": "Responskod", "en": "Feedback code"},
    "confirmation": {"fi": "Vahvistus", "sv": "Bekräftelse", "en": "Confirmation"},
    "contact_language": {"fi": "Yhteydenoton kieli", "sv": "Kontaktspråk",
                         "en": "Contact language"},
    "conversation_id": {"fi": "Keskustelu", "sv": "Samtal", "en": "Conversation"},
    "date": {"fi": "Päivä", "sv": "Dag", "en": "Date"},
    "day": {"fi": "Päivä", "sv": "Dag", "en": "Day"},
    "delivery_id": {"fi": "Julkaisu", "sv": "Publicering", "en": "Post"},
    "done": {"fi": "Tehty", "sv": "Gjort", "en": "Done"},
    "en": {"fi": "Englanniksi", "sv": "På engelska", "en": "In English"},
    "ends_at": {"fi": "Päättyy", "sv": "Slutar", "en": "Ends"},
    "edited": {"fi": "Muokattu teksti", "sv": "Redigerad text", "en": "Edited text"},
    "equipment": {"fi": "Välineet", "sv": "Utrustning", "en": "Equipment"},
    "event_id": {"fi": "Tapahtuma", "sv": "Evenemang", "en": "Event"},
    "expected": {"fi": "Mihin vastaus menee", "sv": "Vart svaret går",
                 "en": "Where the answer goes"},
    "fi": {"fi": "Suomeksi", "sv": "På finska", "en": "In Finnish"},
    "feature": {"fi": "Ominaisuus", "sv": "Egenskap", "en": "Feature"},
    "format": {"fi": "Tiedostomuoto", "sv": "Filformat", "en": "File format"},
    "free": {"fi": "Maksuton", "sv": "Avgiftsfritt", "en": "Free of charge"},
    "from": {"fi": "Alkaen", "sv": "Från", "en": "From"},
    "group": {"fi": "Alueryhmä", "sv": "Områdesgrupp", "en": "Area group"},
    "image_url": {"fi": "Kuvan osoite", "sv": "Bildens adress", "en": "Image address"},
    "include_past": {"fi": "Menneet mukaan", "sv": "Även tidigare", "en": "Include past"},
    "kind": {"fi": "Laji", "sv": "Typ", "en": "Kind"},
    "lang": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "limit": {"fi": "Rivejä sivulla", "sv": "Rader per sida", "en": "Rows per page"},
    "loan_id": {"fi": "Lainaus", "sv": "Lån", "en": "Loan"},
    "minutes": {"fi": "Kesto minuutteina", "sv": "Längd i minuter",
                "en": "Length in minutes"},
    "name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "not_before": {"fi": "Aikaisintaan", "sv": "Tidigast", "en": "Not before"},
    "notice_id": {"fi": "Tiedote", "sv": "Meddelande", "en": "Notice"},
    "offset": {"fi": "Aloituskohta", "sv": "Startposition", "en": "Offset"},
    "opens": {"fi": "Aukeaa", "sv": "Öppnar", "en": "Opens"},
    "organiser_email": {"fi": "Järjestäjän sähköposti", "sv": "Arrangörens e-post",
                        "en": "Organiser's email"},
    "organiser_name": {"fi": "Järjestäjän nimi", "sv": "Arrangörens namn",
                       "en": "Organiser's name"},
    "organiser_phone": {"fi": "Järjestäjän puhelin", "sv": "Arrangörens telefon",
                        "en": "Organiser's phone"},
    "organiser_type": {"fi": "Järjestäjä", "sv": "Arrangör", "en": "Organiser"},
    "population": {"fi": "Asukasluku", "sv": "Invånarantal", "en": "Population"},
    "price_per_hour": {"fi": "Hinta tunnilta", "sv": "Pris per timme", "en": "Price per hour"},
    "q": {"fi": "Hakusana", "sv": "Sökord", "en": "Search words"},
    "question": {"fi": "Kysymys", "sv": "Fråga", "en": "Question"},
    "quantity": {"fi": "Määrä", "sv": "Antal", "en": "Quantity"},
    "reason": {"fi": "Syy", "sv": "Orsak", "en": "Reason"},
    "refresh": {"fi": "Päivitysväli", "sv": "Uppdateringsintervall",
                "en": "Refresh interval"},
    "remote_url": {"fi": "Julkaisun osoite", "sv": "Publiceringens adress",
                   "en": "The post's address"},
    "reminder_hours": {"fi": "Muistutus tuntia ennen", "sv": "Påminnelse timmar före",
                       "en": "Reminder hours before"},
    "resource_id": {"fi": "Laina-esine", "sv": "Lånesak", "en": "Item to lend"},
    "revision": {"fi": "Versio, jonka näit", "sv": "Versionen du såg", "en": "The version you saw"},
    "satisfaction": {"fi": "Tyytyväisyys", "sv": "Nöjdhet", "en": "Satisfaction"},
    "seconds": {"fi": "Sekunnit", "sv": "Sekunder", "en": "Seconds"},
    "series_id": {"fi": "Sarja", "sv": "Serie", "en": "Series"},
    "shown_from": {"fi": "Näkyy alkaen", "sv": "Visas från", "en": "Shown from"},
    "shown_until": {"fi": "Näkyy asti", "sv": "Visas till", "en": "Shown until"},
    "space_id": {"fi": "Tila", "sv": "Lokal", "en": "Space"},
    "starts_at": {"fi": "Alkaa", "sv": "Börjar", "en": "Starts"},
    "sv": {"fi": "Ruotsiksi", "sv": "På svenska", "en": "In Swedish"},
    "text": {"fi": "Teksti", "sv": "Text", "en": "Text"},
    "text_en": {"fi": "Teksti englanniksi", "sv": "Text på engelska", "en": "Text in English"},
    "text_sv": {"fi": "Teksti ruotsiksi", "sv": "Text på svenska", "en": "Text in Swedish"},
    "title": {"fi": "Otsikko", "sv": "Rubrik", "en": "Title"},
    "to": {"fi": "Päättyen", "sv": "Till", "en": "To"},
    "token": {"fi": "Linkki", "sv": "Länk", "en": "Link"},
    "topic": {"fi": "Aihe", "sv": "Ämne", "en": "Topic"},
    "venue": {"fi": "Toimipaikka", "sv": "Verksamhetsställe", "en": "Venue"},
    "venue_id": {"fi": "Toimipaikka", "sv": "Verksamhetsställe", "en": "Venue"},
    "view": {"fi": "Näkymä", "sv": "Vy", "en": "View"},
    "week": {"fi": "Viikko", "sv": "Vecka", "en": "Week"},
    "wellbeing": {"fi": "Hyvinvointi", "sv": "Välmående", "en": "Wellbeing"},
    "year": {"fi": "Vuosi", "sv": "År", "en": "Year"},
}
#: An input no label names (a page route added since): what it is, without its name.
_UNLABELLED = {"fi": "Yksi osoitteen tai lomakkeen kohdista",
               "sv": "En del av adressen eller formuläret",
               "en": "A part of the address or the form"}
#: What an input takes, by what was wrong with it (pydantic's error type, its `ctx` and the
#: route's bounds filled in).
_TAKES: dict[str, dict[str, str]] = {
    "between": {"fi": "anna luku väliltä {ge}–{le}", "sv": "ange ett tal mellan {ge} och {le}",
                "en": "give a number between {ge} and {le}"},
    "year": {"fi": "anna vuosi väliltä {ge}–{le}", "sv": "ange ett år mellan {ge} och {le}",
             "en": "give a year between {ge} and {le}"},
    "at_least": {"fi": "anna luku, joka on vähintään {ge}", "sv": "ange ett tal som är minst {ge}",
                 "en": "give a number of at least {ge}"},
    "at_most": {"fi": "anna luku, joka on enintään {le}", "sv": "ange ett tal som är högst {le}",
                "en": "give a number of at most {le}"},
    "a_year": {"fi": "anna vuosi (esim. 2026)", "sv": "ange ett år (t.ex. 2026)",
               "en": "give a year (e.g. 2026)"},
    "whole": {"fi": "anna kokonaisluku (esim. 12)", "sv": "ange ett heltal (t.ex. 12)",
              "en": "give a whole number (e.g. 12)"},
    "number": {"fi": "anna luku (esim. 12)", "sv": "ange ett tal (t.ex. 12)",
               "en": "give a number (e.g. 12)"},
    "date": {"fi": "anna päivä vuosilta {first}–{last}, esim. 31.12.2026",
             "sv": "ange en dag åren {first}–{last}, t.ex. 2026-12-31",
             "en": "give a date in the years {first}–{last}, e.g. 31/12/2026"},
    "moment": {"fi": "anna päivä ja kellonaika vuosilta {first}–{last}, esim. 31.12.2026 "
                     "klo 18.00",
               "sv": "ange dag och klockslag åren {first}–{last}, t.ex. 2026-12-31 kl. 18:00",
               "en": "give a date and time in the years {first}–{last}, e.g. 31/12/2026 "
                     "at 18:00"},
    # Said by `no_such_day_text`, with the day's own parts.
    "no_such_day": {"fi": "", "sv": "", "en": ""},
    "a_date": {"fi": "anna päivä muodossa 6.12.2026",
               "sv": "ange dagen som 6.12.2026 eller 2026-12-06",
               "en": "give the date as 6.12.2026 or 2026-12-06"},
    "time": {"fi": "anna kellonaika, esim. 18.00", "sv": "ange ett klockslag, t.ex. 18:00",
             "en": "give a time of day, e.g. 18:00"},
    # A moment at 24:00 (`shared.bounds.at_24_refusal`): the next day's 00:00 it means.
    "at_24": {"fi": "24.00 ei ole kellonaika: anna seuraavan päivän 0.00 ({day}.{month}.{year} "
                    "klo 0.00)",
              "sv": "24:00 är inget klockslag: ange nästa dags 00:00 "
                    "({year}-{month:02d}-{day:02d} kl. 00:00)",
              "en": "24:00 is not a time of day: give 00:00 of the next day "
                    "({day}/{month}/{year} at 00:00)"},
    "choice": {"fi": "valitse jokin näistä: {choices}", "sv": "välj något av dessa: {choices}",
               "en": "choose one of these: {choices}"},
    "listed": {"fi": "valitse jokin sivun vaihtoehdoista", "sv": "välj ett av sidans alternativ",
               "en": "choose one of the options on the page"},
    "link": {"fi": "tunnus on virheellinen: käytä sivulla olevaa linkkiä",
             "sv": "id:t är felaktigt: använd länken på sidan",
             "en": "the id is wrong: use the link on the page"},
    "yes_no": {"fi": "valitse kyllä tai ei", "sv": "välj ja eller nej", "en": "choose yes or no"},
    "email": {"fi": "anna sähköpostiosoite muodossa nimi@esimerkki.fi (kirjaimet a–z ennen "
                    "@-merkkiä)", "sv": "ange en e-postadress i formen namn@exempel.fi "
              "(bokstäverna a–z före @)", "en": "give an email address like name@example.fi "
              "(letters a–z before the @)"},
    "url": {"fi": "anna verkko-osoite, joka alkaa https://", "sv": "ange en webbadress som "
            "börjar med https://", "en": "give a web address starting with https://"},
    "missing": {"fi": "täytä tämä kohta", "sv": "fyll i detta", "en": "fill this in"},
    "too_long": {"fi": "enintään {max_length} merkkiä", "sv": "högst {max_length} tecken",
                 "en": "at most {max_length} characters"},
    "text": {"fi": "kirjoita tavallista tekstiä", "sv": "skriv vanlig text",
             "en": "write plain text"},
    "once": {"fi": "anna kukin arvo vain kerran", "sv": "ange varje värde bara en gång",
             "en": "give each value only once"},
    "check": {"fi": "tarkista tämä kohta", "sv": "kontrollera detta", "en": "check this"},
}
#: What an API's client reads instead of a page's words: no options or links of a page to
#: point to, dates and times as the API takes them (ISO 8601), a body that is a JSON object.
_OFF_THE_PAGE: dict[str, dict[str, str]] = {
    "listed": {"fi": "anna jokin sallituista arvoista (katso rajapinnan kuvaus)",
               "sv": "ange ett av de tillåtna värdena (se API-beskrivningen)",
               "en": "give one of the allowed values (see the API description)"},
    "link": {"fi": "tunnus on virheellinen: anna UUID-muotoinen tunnus",
             "sv": "id:t är felaktigt: ange ett id i UUID-form",
             "en": "the id is wrong: give an id in UUID form"},
    "date": {"fi": "anna päivä vuosilta {first}–{last}, esim. 2026-12-31",
             "sv": "ange en dag åren {first}–{last}, t.ex. 2026-12-31",
             "en": "give a date in the years {first}–{last}, e.g. 2026-12-31"},
    "moment": {"fi": "anna päivä ja kellonaika aikavyöhykkeineen vuosilta {first}–{last}, "
                     "esim. 2026-12-31T18:00:00+02:00",
               "sv": "ange dag och klockslag med tidszon åren {first}–{last}, "
                     "t.ex. 2026-12-31T18:00:00+02:00",
               "en": "give a date and time with its offset in the years {first}–{last}, "
                     "e.g. 2026-12-31T18:00:00+02:00"},
    "a_date": {"fi": "anna päivä muodossa 2026-12-06", "sv": "ange dagen som 2026-12-06",
               "en": "give the date as 2026-12-06"},
    "time": {"fi": "anna kellonaika, esim. 18:00", "sv": "ange ett klockslag, t.ex. 18:00",
             "en": "give a time of day, e.g. 18:00"},
    "at_24": {"fi": "24:00 ei ole kellonaika: anna seuraavan päivän 00:00, {next}",
              "sv": "24:00 är inget klockslag: ange nästa dags 00:00, {next}",
              "en": "24:00 is not a time of day: give 00:00 of the next day, {next}"},
    "yes_no": {"fi": "anna true tai false", "sv": "ange true eller false",
               "en": "give true or false"},
    "extra": {"fi": "tätä kohtaa ei oteta vastaan: jätä se pois",
              "sv": "detta fält tas inte emot: lämna bort det",
              "en": "not taken here: leave it out"},
    "json": {"fi": "lähetä JSON-olio (Content-Type: application/json)",
             "sv": "skicka ett JSON-objekt (Content-Type: application/json)",
             "en": "send a JSON object (Content-Type: application/json)"},
}
#: A page's first link, seen when the keyboard reaches it: past the header and the filters
#: to what the page is for (WCAG 2.4.1), `<main id="main">`.
SKIP_TO_MAIN = {"fi": "Siirry sisältöön", "sv": "Till innehållet", "en": "Skip to content"}
#: Its look: off screen until focused.
SKIP_CSS = (".skip { position: absolute; left: -999rem; top: .3rem; z-index: 2; "
            "background: #fff; color: #00577c; padding: .4rem .7rem; border: 2px solid #00577c; "
            "border-radius: 4px; font-weight: 600; } .skip:focus { left: .5rem; }")
#: The whole body of a request, as an API's client calls it (a page calls it its form).
_API_BODY = {"fi": "Pyynnön sisältö", "sv": "Begärans innehåll", "en": "The request's body"}
#: Why the whole body was refused when it is no JSON object: not JSON, JSON of another
#: type (a list, a string, null), or none at all, or sent as another content type (a form,
#: text), which FastAPI reads as no object either.
_NO_JSON_OBJECT = frozenset({"json_invalid", "json_type", "model_attributes_type",
                             "model_type", "dict_type", "missing"})
#: Inputs that take one of a page's listed options, or a link's id: their pattern says so
#: better than a regular expression would.
_LISTED = frozenset({"area", "audience", "topic", "kind", "view", "feature", "equipment",
                     "organiser_type", "age_group", "language", "contact_language", "format",
                     "action", "venue"})


#: A page's own labels of its inputs, by name and language, where they differ from
#: `LABELS` (the dashboard's "to" is "Ending before"): `page_route(..., labels=)`.
InputLabels = Mapping[str, Mapping[str, str]]


def refusal_text(field: str, lang: str, on_page: bool = True,
                 labels: InputLabels | None = None) -> str:
    """"Vuosi: anna luku väliltä 2000–2100": the input's label in `lang` and what it takes,
    from why it was refused (`shared.http.Refused`; a bare name says only to check it).
    Not `on_page` (an API's answer): an input no label names is named as the client sent it
    (`days`), one not given is to be filled in (never "the id is wrong"), and what it takes
    is said as an API takes it (`_OFF_THE_PAGE`), never sending the client to a page."""
    kind = getattr(field, "kind", "")
    ctx: dict[str, Any] = {**getattr(field, "ctx", {}), **getattr(field, "bounds", {})}
    if on_page:
        label = ((labels or {}).get(field) or LABELS.get(field, _UNLABELLED))[lang]
        takes = _takes(field, kind, ctx)
        if takes == "choice" and "_" in _filled(ctx)["choices"]:
            # Codes no person reads ("rural_north"): the page's own options name them.
            takes = "listed"
        words = _TAKES[takes]
    else:
        takes = ("json" if field == "body" and kind in _NO_JSON_OBJECT
                 else "missing" if kind == "missing"
                 else "extra" if kind == "extra_forbidden" else _takes(field, kind, ctx))
        label, words = api_label(field, lang), _OFF_THE_PAGE.get(takes) or _TAKES[takes]
    if takes == "no_such_day":
        return f"{label}: {no_such_day_text(ctx, lang)}"
    return f"{label}: {words[lang].format(**_counted(_filled(ctx), takes, lang))}"


#: A day the calendar does not have, said back as the reader's language writes a day.
_NO_SUCH_DAY = {"fi": "{day}.{month}.{year} ei ole olemassa oleva päivä ({in_month} {year} "
                      "on {days} päivää)",
                "sv": "det finns ingen {day} {month_name} {year} ({month_name} {year} har "
                      "{days} dagar)",
                "en": "there is no {day} {month_name} {year} ({month_name} {year} has {days} "
                      "days)"}
#: …and one whose month is none (2026-13-01).
_NO_SUCH_MONTH = {"fi": "{day}.{month}.{year} ei ole olemassa oleva päivä (kuukausia on 12)",
                  "sv": "det finns ingen månad {month} (ett år har 12 månader)",
                  "en": "there is no month {month} (a year has 12 months)"}
#: …and one whose parts are not known (pydantic's own `date`, not `shared.bounds.Day`).
_NO_SUCH_DAY_UNNAMED = {"fi": "päivää ei ole olemassa: tarkista päivä ja kuukausi",
                        "sv": "dagen finns inte: kontrollera dag och månad",
                        "en": "that day does not exist: check the day and the month"}


def no_such_day_text(ctx: Mapping[str, Any], lang: str) -> str:
    """Why a day is none (`shared.bounds.no_such_day`'s parts in `ctx`): "31.2.2026 ei ole
    olemassa oleva päivä (helmikuussa 2026 on 28 päivää)", "there is no 31 February 2026
    (February 2026 has 28 days)": the day as the person meant it and what the month has, so
    it is not read as a wrong year or a wrong format."""
    try:
        year, month, day = int(ctx["year"]), int(ctx["month"]), int(ctx["day"])
    except (KeyError, TypeError, ValueError):
        return _NO_SUCH_DAY_UNNAMED[lang]
    if not 1 <= month <= 12:
        return _NO_SUCH_MONTH[lang].format(day=day, month=month, year=year)
    name = format_date(date(2000, month, 1), "LLLL", locale=locale(lang))
    days = calendar.monthrange(year, month)[1]
    # Finnish says "in February" by the name ("helmikuussa": each month's ends in "kuu").
    return _NO_SUCH_DAY[lang].format(day=day, month=month, year=year, days=days,
                                     in_month=f"{name}ssa", month_name=name)


#: What an input takes that is a count or an amount, its bounds written as the reader's
#: language writes numbers ("enintään 20 000 merkkiä"); a year's are not ("2000–2100").
_COUNTS = frozenset({"between", "at_least", "at_most", "too_long"})


def _counted(values: dict[str, Any], takes: str, lang: str) -> dict[str, Any]:
    if takes == "year":  # the bound it missed alone named: the other is the platform's
        return {"ge": MIN_YEAR, "le": MAX_YEAR, **values}
    if takes not in _COUNTS:
        return values
    return {key: number(value, lang) if key in ("ge", "le", "max_length") and isinstance(
        value, int | float) and not isinstance(value, bool) else value
            for key, value in values.items()}


def api_label(field: str, lang: str) -> str:
    """An input as an API's client reads its name: its label, else the name it sent
    (`accept_house_rules`), which says more to a program's author than "a part of the form"."""
    if field == "body":
        return _API_BODY[lang]
    if field in LABELS:
        return LABELS[field][lang]
    # A name the client sent (a key the body may not have), echoed as any input is.
    return f"`{echoed(field, _NAME_CHARS)}`"


#: How much of an unlabelled input's name an API's refusal repeats.
_NAME_CHARS = 60


def reasoned_refusal_text(field: str, reason: str, lang: str) -> str:
    """A rule's refusal of an input that its service has no words for, to an API's client:
    the input (by its label, else its whole name, `borrower.email`) and, so the reason is
    not lost, the rule's own English words (`detail`), after "check this" in Finnish and
    Swedish."""
    reason = reason.strip().rstrip(".")
    first = field.split(".")[0]
    label = api_label(first if first in LABELS else field, lang)
    if lang == "en":
        return f"{label}: {reason}."
    return f"{label}: {_TAKES['check'][lang]} ({reason})."


#: Pydantic's error types a domain rule may give as its `code` (with pydantic's `ctx`
#: names in its details: `max_length`, `ge`, `le`, `expected`) for its refusal of an input
#: to be said as the schema's of the same kind is, in the reader's language
#: (`kind_refusal_text`), where the service has no words of its own for it.
SCHEMA_KINDS = frozenset({
    "string_type", "string_too_long", "string_too_short", "string_unicode",
    "string_pattern_mismatch", "int_type", "greater_than_equal", "less_than_equal",
    "bool_type", "decimal_type", "literal_error", "date_type", "missing", "repeated",
    "time_parsing"})


def kind_refusal_text(field: str, kind: str, ctx: Mapping[str, Any], lang: str
                      ) -> str | None:
    """A domain rule's refusal of `field` with a schema's kind (`SCHEMA_KINDS`) as an API's
    client reads a schema's: "Vuosi: anna vuosi väliltä 2000–2100."; None for another kind
    (its English reason is then kept: `reasoned_refusal_text`)."""
    if kind not in SCHEMA_KINDS:
        return None
    # By the kind alone: a name's own reading (an `area` is one of a page's options) does
    # not fit a rule the kind names; only a year is said as one.
    takes = _takes("year" if field == "year" else "", kind, dict(ctx))
    if takes == "check":
        return None
    first = field.split(".")[0]
    label = api_label(first if first in LABELS else field, lang)
    words = _OFF_THE_PAGE.get(takes) or _TAKES[takes]
    return f"{label}: {words[lang].format(**_counted(_filled(dict(ctx)), takes, lang))}."


def _filled(ctx: dict[str, Any]) -> dict[str, Any]:
    bounds = {**ctx}
    if "gt" in bounds and "ge" not in bounds:
        bounds["ge"] = bounds["gt"] + 1 if isinstance(bounds["gt"], int) else bounds["gt"]
    if "lt" in bounds and "le" not in bounds:
        bounds["le"] = bounds["lt"] - 1 if isinstance(bounds["lt"], int) else bounds["lt"]
    return {**bounds, "first": MIN_YEAR, "last": MAX_YEAR,
            "choices": ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))}


def _takes(field: str, kind: str, ctx: dict[str, Any]) -> str:
    """The key in `_TAKES` of what the input takes."""
    bounded = _filled(ctx)
    if kind == "repeated":
        return "once"
    if kind == "value_error" and str(field).split(".")[-1].endswith("email"):
        return "email"  # pydantic's EmailStr and the one address rule say no more
    if kind.startswith(("greater_than", "less_than")) or (
            kind in ("int_parsing", "int_type", "int_from_float") and "ge" in bounded):
        if field == "year":
            # A year is said between the platform's years, whichever bound it missed (pydantic
            # names only that one): "at least 2,000" read as a count.
            return "year"
        if "ge" in bounded and "le" in bounded:
            return "between"
        return "at_least" if "ge" in bounded else "at_most"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "a_year" if field == "year" else "whole"
    if kind.startswith(("float", "decimal")) or kind == "finite_number":
        return "number"
    error = str(ctx.get("error", ""))
    if kind == "date_not_real" or (kind.startswith("date") and re.search(
            r"(day|month) value is outside", error)):
        return "no_such_day"  # 31.2.2026: neither a wrong year nor no date at all
    if kind == "at_24":
        return "at_24"  # not "give a date and time": the shape was right, the hour is none
    if kind.startswith("datetime") or kind == "timezone_aware":
        return "moment"
    if kind == "date_type" or re.search(r"year (must be|-?[0-9]+ is out of range)", error):
        return "date"  # a year outside the platform's (or no date of JSON's types)
    if kind.startswith("date"):
        return "a_date"  # a text that is no date: the shape a date is given in
    if kind.startswith("time"):
        return "time"
    if kind in ("literal_error", "enum"):
        return "choice" if bounded["choices"] else "listed"
    if kind.startswith("uuid") or field == "token" or field.endswith("_id"):
        return "link"
    if kind == "string_pattern_mismatch" or field in _LISTED:
        return "listed"
    if kind.startswith("bool"):
        return "yes_no"
    if kind in ("url_parsing", "url_scheme", "url_type", "url_syntax_violation"):
        return "url"
    if kind in ("missing", "string_too_short"):
        return "missing"
    if kind in ("string_too_long", "url_too_long") or (
            kind == "too_long" and "max_length" in bounded):
        # `too_long`: a length bound on a text that passed a validator of its own first.
        return "too_long"
    if kind in ("string_unicode", "string_type"):
        return "text"
    return "check"


_PAGE = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>body{font:1.125rem/1.5 system-ui,sans-serif;max-width:38rem;margin:1rem auto;
padding:0 1rem;color:#1b1b1b;overflow-wrap:anywhere;hyphens:auto}a{color:#00577c}</style></head>
<body><main><h1>{{ title }}</h1>{% if detail %}<p>{{ detail }}</p>{% endif %}
{% if fields %}<ul>{% for f in fields %}<li data-field="{{ f.name }}">{{ f.text }}</li>
{% endfor %}</ul>{% endif %}
<p><a href="{{ home }}">{{ home_label }}</a></p>
<p>{% for code in langs %}<a href="{{ lang_links[code] }}" hreflang="{{ code }}" lang="{{ code }}"
>{{ code }}</a> {% endfor %}</p></main></body></html>""")


def in_language(request: Request, lang: str) -> str:
    """This page again in `lang`: its own query (relative, "?…") with `lang` set and every
    other parameter as it was sent. Starlette's `include_query_params` decodes and encodes
    the query again, so a `%FF` came back as the replacement character's bytes."""
    sent = request.scope.get("query_string", b"")
    kept = [part for part in sent.split(b"&")
            if part and part.split(b"=", 1)[0] not in (b"lang", b"")]
    # Bytes a client sent unencoded are encoded; what it encoded stays as it was.
    query = quote_from_bytes(b"&".join(kept), safe="%&=+/:;,@!$'()*?~-._")
    return f"?{query}&lang={lang}" if query else f"?lang={lang}"


def error_page(request: Request, status: int, *, home: Callable[[str], tuple[str, str]],
               detail: str | None = None, fields: list[str] | None = None,
               headers: dict[str, str] | None = None,
               labels: InputLabels | None = None) -> HTMLResponse:
    """`home(lang)` gives the link on and its label; `labels`, the page's own labels of
    its inputs (else `LABELS`')."""
    lang = reader_language(request)
    texts = (_FORM_422 if status == 422 and request.method not in ("GET", "HEAD")
             else _TEXT.get(status, _TEXT[400]))
    href, label = home(lang)
    # Relative to the page itself: the path as asked (`//evil.example`) is no link to give.
    lang_links = {code: in_language(request, code) for code in LANGS}
    # Each refused input by its label and what it takes; its name only for a program.
    said = [{"name": str(f), "text": refusal_text(f, lang, labels=labels)}
            for f in fields or ()]
    html = _PAGE.render(lang=lang, title=texts[lang],
                        detail=detail or _DETAIL.get(status, {}).get(lang), fields=said,
                        home=href, home_label=label, lang_links=lang_links,
                        # A form's address is no page to read in another language.
                        langs=LANGS if request.method in ("GET", "HEAD") else ())
    return HTMLResponse(html, status_code=status, headers=headers)


def page_route(home: Callable[[str], tuple[str, str]],
               labels: InputLabels | None = None) -> type[APIRoute]:
    """A route class for pages: a refused query string (422, naming the parameters) or a
    domain error (unknown: 404, too many: 429, …) is answered with an error page, each
    input by the label the page gives it (`labels`, else the shared `LABELS`)."""

    class PageRoute(APIRoute):
        @staticmethod
        def refused_page(request: Request, status: int, fields: list[str] | None,
                         headers: dict[str, str] | None) -> Response:
            """A refusal at the edge, before the route (`shared.forms`: a form that is no
            UTF-8, a body too large), as this route's own pages say it: whoever asks, with
            its way on and its inputs' labels."""
            return error_page(request, status, home=home, fields=fields, headers=headers,
                              labels=labels)

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def answer(request: Request) -> Response:
                try:
                    return await handler(request)
                except RequestValidationError as exc:
                    return error_page(request, 422, home=home,
                                      fields=invalid_fields(exc, request), labels=labels)
                except DatabaseOutage:
                    raise  # the one 503 page of shared.http, with its "try again"
                except DomainError as exc:
                    # The rule in the service's own words where it has them, above the input
                    # it names ("Aikaisintaan: tarkista tämä kohta" says only where).
                    return error_page(request, status_of(exc), home=home,
                                      headers=refusal_headers(exc), fields=refused_fields(exc),
                                      labels=labels, detail=own_words(exc, request))

            return answer

    return PageRoute


def front_page_errors(front: str) -> ErrorPage:
    """Refusals shown to a browser outside the page routers (`shared.http`): the same page,
    with a link on to the service's front page."""

    def home(lang: str) -> tuple[str, str]:
        return f"{front}?lang={lang}", _FRONT[lang]

    def page(request: Request, status: int, fields: list[str] | None,
             headers: dict[str, str] | None) -> Response:
        return error_page(request, status, home=home, fields=fields, headers=headers)

    return page


def events_url() -> str:
    """The events service's public address (`KOHTAAMO_PUBLIC_EVENTS_URL`), where every other
    service links residents and organisers to the calendar and to activities."""
    return (os.environ.get("KOHTAAMO_PUBLIC_EVENTS_URL")
            or f"http://127.0.0.1:{DEFAULT_PORTS['events']}").rstrip("/")


def notifications_url() -> str:
    """The notifications service's public address for residents' links to its pages (its
    mail's sign-up and following links, the event page's sign-up link): the address its
    pages' Origin check takes (`KOHTAAMO_NOTIFICATIONS_PUBLIC_URL`) unless named apart
    (`KOHTAAMO_PUBLIC_NOTIFICATIONS_URL`): a form opened from a link on another address
    would be refused as another site's."""
    return (os.environ.get("KOHTAAMO_PUBLIC_NOTIFICATIONS_URL")
            or os.environ.get("KOHTAAMO_NOTIFICATIONS_PUBLIC_URL")
            or f"http://127.0.0.1:{DEFAULT_PORTS['notifications']}").rstrip("/")


def guide_url() -> str:
    """Where residents reach the guide (issue #19): its public address, whose widget the
    calendar, the event pages and the booking pages embed."""
    return (os.environ.get("KOHTAAMO_GUIDE_PUBLIC_URL")
            or f"http://127.0.0.1:{DEFAULT_PORTS['guide']}").rstrip("/")


def guide_widget(lang: str) -> Markup:
    """The guide's chat launcher for a page in `lang`: one script from the guide's own origin
    (the pages' policy allows it and its frame, nothing else from there)."""
    lang = lang if lang in ("fi", "sv", "en") else "fi"
    return Markup('<script src="{}/widget.js" data-lang="{}" defer></script>').format(
        guide_url(), lang)


#: The policy of every HTML page: nothing but this origin's own resources (and the guide's
#: chat widget, its script and its frame), no plugin, no framing, forms only to this origin.
#: Inline styles are allowed (the pages carry their CSS inline), inline scripts are not: a
#: page that needs one sends its own policy with the script's hash (the notice board screen).
CSP = (f"default-src 'self'; script-src 'self' {guide_url()}; "
       f"frame-src 'self' {guide_url()}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' https: data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
#: The API documentation pages (FastAPI's Swagger UI and ReDoc, the AsyncAPI viewer) start
#: their viewers with inline scripts from a CDN; they hold no session (the API is bearer only
#: and the page cookies are limited to their pages' paths) and may not be framed either.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
            "https://unpkg.com; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
            "https://unpkg.com https://fonts.googleapis.com; font-src 'self' data: "
            "https://fonts.gstatic.com; img-src 'self' https: data:; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc", "/asyncapi")


def script_hash(source: str) -> str:
    """The CSP source that allows exactly this inline script."""
    import base64

    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class PageHeaders:
    """Plain ASGI: headers added to the response's start, nothing streamed through a task."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        docs = path.startswith(DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
                    # A page that names who may frame it (the guide's widget) says so in its
                    # CSP; X-Frame-Options cannot list several origins.
                    if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
                        headers.setdefault("X-Frame-Options", "DENY")
                    headers.setdefault("Referrer-Policy", "same-origin")
                    # Without ?lang= a page speaks the reader's language (`PageLang`): the
                    # language cookie's, else the browser's; a cache between keeps one copy
                    # per each.
                    varies = {v.strip().lower() for v in headers.get("vary", "").split(",")}
                    for name in ("Accept-Language", "Cookie"):
                        if name.lower() not in varies and "*" not in varies:
                            headers.add_vary_header(name)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """A ``HEAD`` request is answered as its ``GET`` would be, status and headers alike
    (``Content-Length``, ``ETag``, ``Last-Modified``), without the body (RFC 9110, 9.3.2).
    FastAPI's routes answer ``GET`` alone, so a link checker, an uptime monitor or a calendar
    client asking whether a page or a feed changed got 405. Inside the metrics and the trace,
    which count it as the ``HEAD`` it was; outside the read cache, which answers it as a ``GET``
    (a revalidated one included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed part: only the end is sent, empty
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        inner = {**scope, "method": "GET"}
        await self.app(inner, receive, without_body)
        route_back(scope, inner)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """The client of a request is the connection's peer, unless that peer is a trusted proxy:
    then it is the right-most address of ``X-Forwarded-For`` that is not itself a trusted
    proxy (what the nearest proxy saw), and the scheme is its ``X-Forwarded-Proto``. Nobody
    else's forwarded headers are believed: a client cannot choose its own address."""

    def __init__(self, app: ASGIApp, networks: Sequence[Network] = ()) -> None:
        self.app = app
        self.networks = tuple(networks)

    def trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in n for n in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            client = scope.get("client")
            if client and self.trusted(client[0]):
                headers = Headers(scope=scope)
                hops = [h.strip() for h in ",".join(headers.getlist("x-forwarded-for"))
                        .split(",") if h.strip()]
                for hop in reversed(hops):
                    if not self.trusted(hop):
                        try:
                            ipaddress.ip_address(hop)
                        except ValueError:
                            break  # not an address: keep the proxy's own
                        scope = {**scope, "client": (hop, 0)}
                        break
                proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope = {**scope, "scheme": proto}
        await self.app(scope, receive, send)


def _settings(request: Request) -> Any:
    return request.app.state.runtime.settings


def client_address(request: Request) -> str | None:
    """The client's network address: the connection's peer, or what a trusted proxy says it
    is (`TrustedProxies` has put it in the peer's place). For the public forms' ceilings."""
    return request.client.host if request.client else None


def public_base(request: Request) -> str:
    """The service's public address with a trailing slash, from the configuration."""
    return f"{_settings(request).public_url}/"


def public_link(request: Request, url: URL | None = None) -> str:
    """This request's own path and query (or those of `url`) under the public address: a
    feed's self link. Scheme, host and port never come from the request."""
    url = url or request.url
    return f"{_settings(request).public_url}{url.path}" + (f"?{url.query}" if url.query else "")


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[oops/": no origin, so no match with ours
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


#: A language a page is written in.
Lang = Literal["fi", "sv", "en"]


def _as_tag(value: Any) -> Any:
    # Anything naming none of ours is left as given, for `Lang` to refuse by name.
    return (language_tag(value) or value) if isinstance(value, str) else value


#: A language named in an address (`?lang=`): fi, sv or en as any tag of them is written
#: ("SV", "sv-FI", "en_GB"; `shared.http.language_tag`); anything else is refused (422).
#: Before `Lang`'s own check, so the schema still lists the three.
LangParam = Annotated[Lang, BeforeValidator(_as_tag)]


def chosen_language(request: Request, lang: Annotated[
        LangParam | None,
        Query(description="The page's language (a tag: sv-FI is sv); without it, the "
                          "reader's language cookie, else the browser's first of fi/sv/en "
                          "(Accept-Language), else fi.")
] = None) -> Lang:
    """A page's language: the one its address names, else the reader's (`reader_language`)."""
    return lang or cast(Lang, reader_language(request))


#: A page route's language: ``lang: PageLang``, the one way every page picks it.
PageLang = Annotated[Lang, Depends(chosen_language)]


_REFUSED = {
    "fi": ("Pyyntö hylättiin", "Lomake lähetettiin toiselta sivustolta tai vanhentuneelta "
           "sivulta. Avaa sivu uudelleen ja yritä uudestaan.", "Takaisin"),
    "sv": ("Begäran avvisades", "Formuläret skickades från en annan webbplats eller en "
           "föråldrad sida. Öppna sidan på nytt och försök igen.", "Tillbaka"),
    "en": ("Request refused", "The form was sent from another site or from an outdated page. "
           "Open the page again and try once more.", "Back"),
}


def refused_page(request: Request, back: str) -> HTMLResponse:
    """403 as a page in the person's language: the form did not come from this service."""
    lang = reader_language(request)
    title, text, link = _REFUSED[lang]
    return HTMLResponse(
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}"
        f"</title></head><body><main><h1>{title}</h1><p>{text}</p><p><a href="
        f"'{html.escape(back, quote=True)}'>{link}</a></p></main></body></html>",
        status_code=403)


def check_origin(request: Request, require: bool = False) -> bool:
    """A state-changing request's `Origin` (else its `Referer`) is this service's public
    origin. Browsers send `Origin` on every cross-site POST, so a foreign or opaque one
    (``null``) is refused; a request with neither header (not a browser form) passes unless
    `require`."""
    expected = _origin(_settings(request).public_url)
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.lower() == expected
    referer = request.headers.get("referer")
    if referer is not None:
        return _origin(referer) == expected
    return not require


def _with_lang(target: str, lang: str) -> str:
    """`target` (a page of this service, checked) in the language of the sign-in, whatever
    language it named: the sign-in's is the reader's last choice (testers switched it to
    svenska and landed on the Finnish page their `next` named), and nobody falls back to
    Finnish on the way."""
    parts = urlsplit(target)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "lang" for k, _ in query):  # in its place: the address reads as it did
        query = [(k, lang if k == "lang" else v) for k, v in query]
    else:
        query.append(("lang", lang))
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))


#: The query parameters a `Note` travels in; a page's own links leave them out.
NOTE_KEYS = ("msg", "error", "sig")
#: How long a note may be; a longer one (a rule's refusal quoting an input) is cut.
NOTE_MAX = 500


class Note(NamedTuple):
    """What a form's action said, shown once on the page it led back to (a redirect after
    the POST, so a reload does not post again): its text, and whether it was a refusal."""
    text: str | None = None
    error: bool = False


#: The sign-in page fits a 320 px screen with 200 % text (WCAG 1.4.10): a long Finnish
#: title ("Palautekyselyn vastaukset") breaks, the token's input is at most the screen wide.
_LOGIN_CSS = ("body{overflow-wrap:anywhere;hyphens:auto}"
              "input,button{font:inherit;max-width:100%;box-sizing:border-box}")


#: Each language by its own name, as the pages' switches say them.
_LANGUAGE_NAMES = (("fi", "suomi"), ("sv", "svenska"), ("en", "English"))
_SWITCH_LABEL = {"fi": "Kieli", "sv": "Språk", "en": "Language"}


def language_switch(lang: str, href: Callable[[str], str]) -> str:
    """The fi/sv/en switch of a page written by hand (a sign-in, a link's page): each
    language by its own name, leading to `href(code)`, the page itself in that language
    (with whatever it needs, such as a link's token), the reader's `lang` marked current
    and naming the switch."""
    links = []
    for code, name in _LANGUAGE_NAMES:
        current = " aria-current='page'" if code == lang else ""
        links.append(f"<a href='{html.escape(href(code))}' lang='{code}'{current}>{name}</a>")
    return f"<nav aria-label='{_SWITCH_LABEL[lang]}'>{' '.join(links)}</nav>"


class PageSession:
    """The cookie session of one service's staff page (`path`, e.g. ``/desk``).

    The cookie (``kohtaamo_<service>_session``) holds the sign-in token, HttpOnly,
    SameSite=Strict, `Secure` when the public URL is https, and only for `path`, so no other
    page or the JSON API ever receives it. A form carries the CSRF token, an HMAC of the
    session token: a page of another site can neither read the cookie nor compute it.
    """

    def __init__(self, service: str, path: str, titles: dict[str, str],
                 roles: Sequence[str], home: str | None = None,
                 next_pattern: str | None = None,
                 next_titles: Sequence[tuple[str, dict[str, str]]] = ()) -> None:
        self.cookie = f"kohtaamo_{service}_session"
        self.path = path
        #: Where sign-in leads (the page itself unless it lives under `path`).
        self.home = home or path
        #: Pages of this service sign-in may go on to (`?next=`); anything else goes home, so
        #: the sign-in cannot be made to redirect elsewhere.
        self.next_pattern = re.compile(next_pattern) if next_pattern else None
        self.titles = titles
        #: The sign-in page's title when it leads on (`?next=`) to a page of this session that
        #: is not titled `titles`: the first whose pattern a `next` matches (`re.search`), so
        #: the sign-in says where it leads (a settings page's, not its session's list's).
        self.next_titles = [(re.compile(pattern), words) for pattern, words in next_titles]
        self.roles = tuple(roles)

    def _next(self, request: Request) -> str | None:
        wanted = request.query_params.get("next")
        if wanted and self.next_pattern is not None and self.next_pattern.fullmatch(wanted):
            return wanted
        return None

    def _titles(self, request: Request) -> dict[str, str]:
        """The sign-in page's titles: those of the page it leads on to, else the session's."""
        wanted = self._next(request)
        return next((words for pattern, words in self.next_titles
                     if wanted and pattern.search(wanted)), self.titles)

    # -- who is signed in -------------------------------------------------------------------

    def _cookie_token(self, request: Request) -> str | None:
        return request.cookies.get(self.cookie) or None

    def principal(self, request: Request) -> Principal:
        """The page's user: a bearer header (a script, a test) or the session cookie."""
        token = bearer_token(request) or self._cookie_token(request)
        if not token:
            return PUBLIC
        try:
            return verify_token(token)
        except Unauthenticated:
            return PUBLIC  # an expired session: signed out, asked to sign in again

    def csrf_token(self, request: Request) -> str:
        token = self._cookie_token(request) or ""
        return hmac.new(token.encode(), f"kohtaamo-csrf:{self.cookie}".encode(),
                        hashlib.sha256).hexdigest()

    async def check_form(self, request: Request) -> bool:
        """A POST to the page is honoured only from this service's origin and, when the
        cookie signs it in, with the session's CSRF token. A bearer header is no ambient
        credential: a script sending one needs no CSRF token."""
        if not check_origin(request):
            return False
        if bearer_token(request):
            return True
        form = await request.form()
        given = form.get("csrf")
        # Compared as bytes: compare_digest refuses a str with letters beyond ASCII (a
        # forged form's "ä" would otherwise be a 500, not a refusal).
        return isinstance(given, str) and self._cookie_token(request) is not None and \
            hmac.compare_digest(given.encode("utf-8", "replace"),
                                self.csrf_token(request).encode())

    # -- what a form's action says on the page it leads to -------------------------------

    def _note_mac(self, request: Request, text: str, error: bool) -> str | None:
        # Keyed by the signed-in token (as the CSRF token is): another site can make a link
        # with any text, but not the signature the reader's own session would give it.
        token = bearer_token(request) or self._cookie_token(request)
        if not token:
            return None
        said = f"kohtaamo-note:{self.cookie}:{int(error)}:{text}"
        return hmac.new(token.encode("utf-8", "replace"), said.encode("utf-8", "replace"),
                        hashlib.sha256).hexdigest()

    def note_query(self, request: Request, text: str, *, error: bool = False
                   ) -> dict[str, str]:
        """The query parameters that carry `text` to the next page of this session."""
        if len(text) > NOTE_MAX:
            text = text[:NOTE_MAX - 1] + "…"
        mac = self._note_mac(request, text, error)
        return {"msg": text, **({"error": "1"} if error else {}),
                **({"sig": mac} if mac else {})}

    def noted(self, request: Request, path: str, text: str, *, error: bool = False,
              params: Iterable[tuple[str, str]] = ()) -> RedirectResponse:
        """On to `path`, a page of this session, after a form (303): with `params` (a note
        they still carry, the page's own, left out) and `text` signed as the page's note."""
        kept = [(k, v) for k, v in params if k not in NOTE_KEYS]
        query = urlencode([*kept, *self.note_query(request, text, error=error).items()])
        return RedirectResponse(f"{path}?{query}", status_code=303)

    def note(self, request: Request) -> Note:
        """The note this page was sent with: shown only when this session signed it; any
        other ``msg`` in the address (a made-up sentence in a link) is not shown at all."""
        query = request.query_params
        text, given, error = query.get("msg"), query.get("sig"), query.get("error") == "1"
        if not text or not given or len(text) > NOTE_MAX:
            return Note()
        mac = self._note_mac(request, text, error)
        if mac is None or not hmac.compare_digest(given.encode("utf-8", "replace"),
                                                  mac.encode()):
            return Note()
        return Note(text, error)

    # -- signing in and out -----------------------------------------------------------------

    def _login_form(self, request: Request, message: str | None = None,
                    status_code: int = 200) -> HTMLResponse:
        lang = reader_language(request)
        label, button, note = {
            "fi": ("Kirjautumistunniste", "Kirjaudu", "Kirjaudu kaupungin tunnuksella."),
            "sv": ("Inloggningstoken", "Logga in", "Logga in med stadens konto."),
            "en": ("Sign-in token", "Sign in", "Sign in with the city's account."),
        }[lang]
        titles = self._titles(request)
        title = html.escape(titles.get(lang, titles["fi"]))
        error = (f"<p role='alert'><strong>{html.escape(message)}</strong></p>"
                 if message else "")
        body = (
            f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{title}</title><style>{_LOGIN_CSS} {SKIP_CSS}</style></head>"
            # The skip link first, as on every other page: past the language links.
            f"<body><a class='skip' href='#main'>{SKIP_TO_MAIN[lang]}</a>"
            f"{self.language_links(request)}<main id='main' tabindex='-1'>"
            f"<h1>{title}</h1><p>{note}</p>{error}"
            f"<form method='post' action='{html.escape(self._login_action(request, lang))}'>"
            f"<label>{label} <input name='token' type='password' autocomplete='off' required>"
            f"</label> <button>{button}</button></form></main></body></html>")
        response = HTMLResponse(body, status_code=status_code)
        response.headers["Cache-Control"] = "no-store"
        return response

    def language_links(self, request: Request) -> str:
        """The sign-in page in each language, as every other page has them, keeping where
        it goes on to (`?next=`): a reader sent there in the wrong language can change it."""
        wanted = self._next(request)
        return language_switch(reader_language(request), lambda code: (
            f"{self.path}/login?" + urlencode(
                {"lang": code, **({"next": _with_lang(wanted, code)} if wanted else {})})))

    def _login_action(self, request: Request, lang: str) -> str:
        params = {"lang": lang, **({"next": n} if (n := self._next(request)) else {})}
        return f"{self.path}/login?{urlencode(params)}"

    def router(self) -> APIRouter:
        """``GET/POST <path>/login`` and ``POST <path>/logout``."""
        def home(lang: str) -> tuple[str, str]:
            return f"{self.home}?lang={lang}", self.titles.get(lang, self.titles["fi"])

        # An odd query string is a page leading to the staff page, as on the page itself.
        router = APIRouter(include_in_schema=False, route_class=page_route(home))

        @router.get(f"{self.path}/login")
        async def login_form(request: Request, lang: PageLang) -> Response:
            # `lang` refuses a language we do not write (422).
            if "token" in request.query_params:  # a token in a URL ends up in logs/history
                return self._login_form(request, {
                    "fi": "Tunnistetta ei oteta vastaan osoitteessa: käytä lomaketta.",
                    "sv": "Token tas inte emot i adressen: använd formuläret.",
                    "en": "A token is not taken in the address: use the form.",
                }[lang], status_code=400)
            return self._login_form(request)

        @router.post(f"{self.path}/login")
        async def login(request: Request) -> Response:
            if not check_origin(request):
                return refused_page(request, f"{self.path}/login")
            form = await request.form()
            token = form.get("token")
            lang = reader_language(request)
            if isinstance(token, str) and len(token) > 8000:
                # Something else pasted (a page, a document): no token is this long, and
                # "give the token" read as if none had been given.
                return self._login_form(request, {
                    "fi": "Tämä ei ole kirjautumistunniste: se on liian pitkä (enintään "
                          "8\u00a0000 merkkiä). Liitä kaupungin antama tunniste sellaisenaan.",
                    "sv": "Det här är ingen inloggningstoken: den är för lång (högst 8\u00a0000 "
                          "tecken). Klistra in token som staden gav dig som den är.",
                    "en": "This is not a sign-in token: it is too long (at most 8,000 "
                          "characters). Paste the token the city gave you as it is."}[lang],
                    status_code=422)
            if not isinstance(token, str) or not token.strip():
                return self._login_form(request, {
                    "fi": "Anna kirjautumistunniste.", "sv": "Ange inloggningstoken.",
                    "en": "Give the sign-in token."}[lang], status_code=422)
            try:
                principal = verify_token(token.strip())
            except Unauthenticated:
                return self._login_form(request, {
                    "fi": "Tunniste ei kelpaa tai on vanhentunut.",
                    "sv": "Token är ogiltig eller har gått ut.",
                    "en": "The token is not valid or has expired."}[lang], status_code=401)
            if not principal.has(*self.roles):
                return self._login_form(request, {
                    "fi": "Tällä tunnuksella ei ole pääsyä tälle sivulle.",
                    "sv": "Det här kontot har inte tillgång till sidan.",
                    "en": "This account has no access to this page."}[lang], status_code=403)
            wanted = self._next(request)
            response = RedirectResponse(
                _with_lang(wanted, lang) if wanted else f"{self.home}?{urlencode({'lang': lang})}",
                status_code=303)
            response.set_cookie(self.cookie, token.strip(), httponly=True, samesite="strict",
                                secure=_settings(request).secure_cookies, path=self.path,
                                max_age=8 * 3600)
            return response

        @router.post(f"{self.path}/logout")
        async def logout(request: Request) -> Response:
            if not await self.check_form(request):
                return refused_page(request, self.home)
            signed_out = urlencode({"lang": reader_language(request)})
            response = RedirectResponse(f"{self.path}/login?{signed_out}", status_code=303)
            response.delete_cookie(self.cookie, path=self.path, httponly=True,
                                   samesite="strict", secure=_settings(request).secure_cookies)
            return response

        return router
