"""The metrics dashboard and the yearly report (HTML and PDF), for the city's welfare
report: the same indicator definitions and numbers as the API and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from uuid import UUID
from xml.sax.saxutils import escape

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal, format_percent, get_decimal_symbol
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from pydantic import BeforeValidator, Field

from services.metrics import charts, usecases
from services.metrics.domain import (
    AREA_GROUPS,
    BY_CODE,
    INDICATORS,
    LANGUAGES,
    MUNICIPALITY,
    PER_THOUSAND_DIGITS,
    UNKNOWN_AREA,
    AreaIndicators,
    Dashboard,
    MonthTotals,
    Summary,
    SummaryQuery,
    VenueChoice,
    YearReport,
    check_year,
    month_range,
    months_between,
    year_of,
)
from services.metrics.schemas import AreaCode, FormEndDay, KindCode, TopicCode, page_responses
from shared import l10n
from shared.areas import area_name
from shared.auth import PUBLIC
from shared.bounds import MAX_YEAR, MIN_YEAR, FormDay, blank_is_none
from shared.csv_cells import safe_cell
from shared.errors import DomainError, Invalid
from shared.http import language_tag, reader_language
from shared.l10n import collation_key
from shared.pages import (
    SKIP_CSS,
    SKIP_TO_MAIN,
    PageLang,
    error_page,
    in_language,
    page_route,
)
from shared.service import CurrentClock, Pool


def _to_dashboard(lang: str) -> tuple[str, str]:
    return f"/dashboard?lang={lang}", _T[lang]["dashboard"]


#: The dashboard's and the answers page's own labels of their filters where the shared ones
#: say otherwise: the period's end is not in it ("Ending before", not "To").
FILTER_LABELS = {"to": {"fi": "Päättyen ennen", "sv": "Slutar före", "en": "Ending before"}}

router = APIRouter(tags=["dashboard and report"],
                   route_class=page_route(_to_dashboard, labels=FILTER_LABELS))
Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)]
#: Months as the chart's labels, abbreviated as CLDR has them ("tammi", "jan.", "Jan").
_MONTHS = {lang: " ".join(format_date(date(2000, m, 1), "LLL", locale=l10n.locale(lang))
                          .rstrip(".") for m in range(1, 13)) for lang in LANGUAGES}
#: Where the figures come from, named for people (not as event type ids).
_SOURCE = {
    "events": {"fi": "tapahtumakalenterin julkaisut, muutokset ja peruutukset",
               "sv": "evenemangskalenderns publiceringar, ändringar och inställningar",
               "en": "the event calendar's publications, changes and cancellations"},
    "attendance": {"fi": "järjestäjien osallistujailmoitukset",
                   "sv": "arrangörernas deltagarrapporter",
                   "en": "organisers' attendance reports"},
    "deliveries": {"fi": "julkaisut kanavissa", "sv": "publiceringar i kanalerna",
                   "en": "deliveries to the channels"},
    "feedback": {"fi": "palautekysely", "sv": "responsenkät", "en": "feedback survey"},
}


def _source_key(source: str) -> str:
    return ("attendance" if "attendance" in source else
            "deliveries" if "notification" in source else
            "feedback" if "feedback" in source else "events")


def definition(indicator: Any, lang: str) -> dict[str, str]:
    """An indicator's unit, definition and sources in `lang`."""
    sources = list(dict.fromkeys(_SOURCE[_source_key(s)][lang] for s in indicator.sources))
    return {"unit": indicator.unit_text[lang], "formula": indicator.formula_text[lang],
            "sources": l10n.words(sources, lang)}
#: The pages' own words; the indicators' names come from their one definition (domain).
_T = {
    "fi": {"filters": "Rajaa mittareita", "all_areas": "Koko Kuopio",
           "all_groups": "Kaikki alueryhmät", "year": "Vuosi", "from": "Alkaen",
           "to": FILTER_LABELS["to"]["fi"], "venue": "Toimipaikka",
           "all_venues": "Kaikki toimipaikat",
           "kind": "Toiminnan laji", "all_kinds": "Kaikki lajit", "show": "Näytä",
           "topic": "Aihe", "all_topics": "Kaikki aiheet",
           "topic_hint": "Aihe rajaa toiminnan luvut sen aiheen tapahtumiin. Sitä ei voi "
                         "yhdistää toiminnan lajiin eikä toimipaikkaan. Järjestäjät ja "
                         "palautekyselyn vastaukset ovat alueen kaikista tapahtumista; "
                         "tavoittavuutta ei lasketa aiheittain.",
           "topic_alone": "Aihetta ei voi yhdistää toiminnan lajiin eikä toimipaikkaan: "
                          "valitse joko aihe tai laji ja toimipaikka.",
           "unknown_topic": "Tuntematon aihe: tapahtumakalenterissa ei ole tällaista aihetta, "
                            "eikä sille ole laskettu toimintaa. Valitse jokin kalenterin "
                            "aiheista.",
           "to_not_after_from": "Päättyen ennen -päivän ({to_day}) pitää olla Alkaen-päivän "
                                "({from_day}) kuukautta myöhemmässä kuussa: jakso päättyy "
                                "ennen loppupäivän kuukautta, joten se ei ole mukana. Valitse "
                                "Päättyen ennen -kohtaan päivä myöhemmästä kuukaudesta.",
           "to_before_from": "Päättyen ennen -päivä ({to_day}) on ennen Alkaen-päivää "
                             "({from_day}): jakson loppu ei voi olla ennen sen alkua. Valitse "
                             "Päättyen ennen -kohtaan päivä Alkaen-päivän kuukautta "
                             "myöhemmästä kuukaudesta.",
           "area_outside_group": "Alue {area} ei kuulu alueryhmään {group}, joten luvut "
                                 "olisivat tyhjiä. Valitse joko alue tai alueryhmä.",
           "unknown_venue": "Tuntematon toimipaikka: tällä tunnuksella ei tunneta "
                            "toimipaikkaa, eikä sellaisessa ole laskettu toimintaa, joten "
                            "luvut olisivat tyhjiä. Valitse jokin mittareiden "
                            "toimipaikoista.",
           "unknown_kind": "Tuntematon toiminnan laji: tapahtumakalenterissa ei ole "
                           "tällaista lajia, eikä sille ole laskettu toimintaa. Valitse "
                           "jokin kalenterin lajeista.",
           "future_population_year": "Väkiluku annetaan vuodelle, joka on jo alkanut: anna "
                                     "vuosi {latest_year} tai sitä aiempi. Tulevan vuoden "
                                     "ennuste ei ole väkiluku.",
           "range_hint": "Valitse vuosi, tai kuukaudet alkaen ja päättyen: ne ohittavat "
                         "vuoden. Päivä valitsee kuukautensa, loppupäivän kuukausi ei ole "
                         "mukana.",
           "per_year": "vuosittain", "shown": "Näytetään",
           "venue_in": "toimipaikka alueella {area}",
           "venue_elsewhere": "{venue} ei ole alueella {area}: luvut koskevat vain sen "
                              "toimintaa, jonka alue on {area} (toiminnan alue voi olla "
                              "eri kuin sen toimipaikan).",
           "dashboard": "Asukastoiminnan mittarit", "report": "Asukastoiminnan vuosiraportti",
           "per_month": "kuukausittain", "per_1000_residents": "1 000 asukasta kohden",
           "by_area": "alueittain", "answers": "vastauksia", "area": "Alue",
           "population": "Asukkaita", "sample": "esimerkkiluku", "of_year": "vuoden",
           "unknown": "ei tiedossa",
           "definitions": "Mittarit", "csv": "Lataa CSV", "pdf": "Lataa PDF",
           "year_report": "Vuosiraportti", "per_1000": "/ 1 000 as.",
           "spreadsheet": "Lataa taulukkolaskentaan (Excel)", "area_group": "Alueryhmä",
           "population_year": "Asukasluvun vuosi",
           "population_is_sample": "Asukasluku on esimerkkiluku",
           "population_of_earlier_year": "Asukasluku aiemmalta vuodelta", "scope": "Taso",
           "answers_column": "Palautekyselyn vastauksia",
           "no_such_area": "Tuntematon alue ”{area}”: se ei ole yksi Kuopion alueista, eikä "
                           "sille ole laskettu toimintaa. Mittareiden sivulla voit valita "
                           "alueen.",
           "yes": "kyllä", "no": "ei", "languages": "Kieli",
           "skip_figures": "Siirry lukuihin"},
    "sv": {"filters": "Avgränsa mätarna", "all_areas": "Hela Kuopio",
           "all_groups": "Alla områdesgrupper", "year": "År", "from": "Från och med",
           "to": FILTER_LABELS["to"]["sv"], "venue": "Verksamhetsställe",
           "all_venues": "Alla verksamhetsställen", "kind": "Typ av verksamhet",
           "all_kinds": "Alla typer", "show": "Visa",
           "topic": "Ämne", "all_topics": "Alla ämnen",
           "topic_hint": "Ett ämne avgränsar verksamhetens siffror till evenemang med det "
                         "ämnet. Det kan inte kombineras med typ av verksamhet eller "
                         "verksamhetsställe. Arrangörer och svar på responsenkäten gäller "
                         "alla områdets evenemang; räckvidden räknas inte per ämne.",
           "topic_alone": "Ett ämne kan inte kombineras med typ av verksamhet eller "
                          "verksamhetsställe: välj antingen ett ämne, eller typ och "
                          "verksamhetsställe.",
           "unknown_topic": "Okänt ämne: evenemangskalendern har inget sådant ämne, och "
                            "ingen verksamhet har räknats för det. Välj ett av kalenderns "
                            "ämnen.",
           "to_not_after_from": "Slutar före ({to_day}) måste vara i en senare månad än "
                                "Från och med ({from_day}): perioden slutar före slutdagens "
                                "månad, som inte ingår. Välj i Slutar före en dag i en senare "
                                "månad.",
           "to_before_from": "Slutar före ({to_day}) är före Från och med ({from_day}): "
                             "periodens slut kan inte vara före dess början. Välj i Slutar "
                             "före en dag i en senare månad än den i Från och med.",
           "area_outside_group": "Området {area} hör inte till områdesgruppen {group}, så "
                                 "siffrorna skulle vara tomma. Välj antingen ett område "
                                 "eller en områdesgrupp.",
           "unknown_venue": "Okänt verksamhetsställe: inget verksamhetsställe med detta "
                            "id är känt, och ingen verksamhet har räknats vid ett sådant, "
                            "så siffrorna skulle vara tomma. Välj ett av mätarnas "
                            "verksamhetsställen.",
           "unknown_kind": "Okänd typ av verksamhet: evenemangskalendern har ingen sådan "
                           "typ, och ingen verksamhet har räknats för den. Välj en av "
                           "kalenderns typer.",
           "future_population_year": "Folkmängden anges för ett år som redan har börjat: "
                                     "ange året {latest_year} eller ett tidigare. En prognos "
                                     "för ett kommande år är ingen folkmängd.",
           "range_hint": "Välj ett år, eller månader från och med och slutar före: de går "
                         "före året. Dagen väljer sin månad, och slutdagens månad ingår inte.",
           "per_year": "per år", "shown": "Visas",
           "venue_in": "verksamhetsställe i {area}",
           "venue_elsewhere": "{venue} ligger inte i området {area}: siffrorna gäller bara "
                              "dess verksamhet vars område är {area} (en verksamhets område "
                              "kan vara ett annat än verksamhetsställets).",
           "dashboard": "Mätare för invånarverksamhet",
           "report": "Årsrapport för invånarverksamhet", "per_month": "per månad",
           "per_1000_residents": "per 1 000 invånare", "by_area": "per område",
           "answers": "svar", "area": "Område", "population": "Invånare", "of_year": "år",
           "sample": "exempeltal", "unknown": "okänt", "definitions": "Mätare",
           "csv": "Ladda ner CSV", "pdf": "Ladda ner PDF", "year_report": "Årsrapport",
           "per_1000": "/ 1 000 inv.",
           "spreadsheet": "Ladda ner för kalkylprogram (Excel)", "area_group": "Områdesgrupp",
           "population_year": "Invånarantalets år",
           "population_is_sample": "Invånarantalet är ett exempeltal",
           "population_of_earlier_year": "Invånarantal från ett tidigare år", "scope": "Nivå",
           "answers_column": "Svar på responsenkäten",
           "no_such_area": "Okänt område ”{area}”: det är inte ett av Kuopios områden, och "
                           "ingen verksamhet har räknats för det. På mätarnas sida kan du "
                           "välja ett område.",
           "yes": "ja", "no": "nej", "languages": "Språk", "skip_figures": "Till siffrorna"},
    "en": {"filters": "Filter the indicators", "all_areas": "All of Kuopio",
           "all_groups": "All area groups", "year": "Year", "from": "From",
           "to": FILTER_LABELS["to"]["en"], "venue": "Venue", "all_venues": "All venues",
           "kind": "Kind of activity", "all_kinds": "All kinds", "show": "Show",
           "topic": "Topic", "all_topics": "All topics",
           "topic_hint": "A topic limits the activity figures to the events on that topic. "
                         "It cannot be combined with a kind of activity or a venue. "
                         "Organisers and feedback survey answers are of all the area's "
                         "events; reach is not counted by topic.",
           "topic_alone": "A topic cannot be combined with a kind of activity or a venue: "
                          "choose either a topic, or a kind and a venue.",
           "unknown_topic": "Unknown topic: the event calendar has no such topic, and no "
                            "activity was counted for it. Choose one of the calendar's "
                            "topics.",
           "to_not_after_from": "Ending before ({to_day}) must be in a later month than "
                                "From ({from_day}): the period ends before the end day's "
                                "month, which is not included. In Ending before, choose a "
                                "day of a later month.",
           "to_before_from": "Ending before ({to_day}) is before From ({from_day}): the "
                             "period cannot end before it starts. In Ending before, choose a "
                             "day of a later month than From's.",
           "area_outside_group": "The area {area} is not in the area group {group}, so the "
                                 "figures would be empty. Choose either an area or an area "
                                 "group.",
           "unknown_venue": "Unknown venue: no venue of this id is known, and no activity "
                            "was counted at one, so the figures would be empty. Choose one "
                            "of the indicators' venues.",
           "unknown_kind": "Unknown kind of activity: the event calendar has no such kind, "
                           "and no activity was counted for it. Choose one of the "
                           "calendar's kinds.",
           "future_population_year": "A population is given for a year that has begun: "
                                     "give the year {latest_year} or an earlier one. A "
                                     "forecast for a year to come is not a population.",
           "range_hint": "Choose a year, or months from and ending before: they override the "
                         "year. A day chooses its month, and the end day's month is not "
                         "included.",
           "per_year": "per year", "shown": "Shown",
           "venue_in": "venue in {area}",
           "venue_elsewhere": "{venue} is not in the area {area}: the figures count only "
                              "its activity whose area is {area} (an activity's area may "
                              "differ from its venue's).",
           "dashboard": "Resident activity indicators",
           "report": "Resident activity: yearly report", "per_month": "per month",
           "per_1000_residents": "per 1,000 residents", "by_area": "per area",
           "answers": "answers", "area": "Area", "population": "Residents", "of_year": "of",
           "sample": "sample figure", "unknown": "unknown", "definitions": "Indicators",
           "csv": "Download CSV", "pdf": "Download PDF", "year_report": "Yearly report",
           "per_1000": "per 1,000",
           "spreadsheet": "Download for spreadsheets (Excel)", "area_group": "Area group",
           "population_year": "Population year",
           "population_is_sample": "Population is a sample figure",
           "population_of_earlier_year": "Population of an earlier year", "scope": "Level",
           "answers_column": "Feedback survey answers",
           "no_such_area": "Unknown area “{area}”: it is not one of Kuopio's areas, and no "
                           "activity was counted for it. On the indicators' page you can "
                           "choose an area.",
           "yes": "yes", "no": "no", "languages": "Language",
           "skip_figures": "Skip to the figures"},
}
#: The rules of the metrics' filters (and of a population's year) in the pages' words, by
#: the refusal's code: the one catalogue the dashboard's refusal pages and the API's
#: `message` say them from.
_REFUSALS = {"topic_with_kind_or_venue": "topic_alone", "unknown_topic": "unknown_topic",
             "area_outside_group": "area_outside_group",
             "unknown_kind": "unknown_kind", "unknown_venue": "unknown_venue",
             "to_not_after_from": "to_not_after_from",
             "future_population_year": "future_population_year"}
#: The populations' file's and the utilisation's rules, by code: said in the analyst's
#: language (their English reasons were kept inside Finnish and Swedish messages).
_IMPORT_WORDS: dict[str, dict[str, str]] = {
    "fi": {"too_many_months": "Enintään {high} kuukautta kerrallaan.",
           "population_range": "Väkiluvun pitää olla 0–{high}.",
           "population_year_range": "Vuoden pitää olla {low}–{high}.",
           "csv_too_large": "CSV-tiedosto on liian suuri: enintään {high} tavua.",
           "csv_not_utf8": "CSV-tiedoston pitää olla UTF-8-tekstiä: tallenna se UTF-8:na.",
           "csv_nul": "CSV-tiedostossa on NUL-merkkejä: tallenna se uudelleen tekstinä.",
           "csv_header": "CSV-tiedostossa pitää olla sarakkeet area, population ja year "
                         "(ja halutessa sample), kukin kerran.",
           "csv_rows": "CSV-tiedostossa voi olla enintään {high} riviä.",
           "csv_fields": "Rivillä {line} on {given} kenttää, otsikkorivillä {expected}.",
           "csv_area_empty": "Riviltä {line} puuttuu alue.",
           "csv_numbers": "Rivillä {line} väkiluvun ja vuoden pitää olla kokonaislukuja.",
           "csv_sample": "Rivillä {line} sample-sarakkeen arvo on true tai false.",
           "csv_unknown_area": "Rivin {line} alue ei ole Kuopion alueita.",
           "csv_unknown_areas": "Tiedostossa on alueita, jotka eivät ole Kuopion alueita: "
                                "{value}.",
           "csv_twice": "Rivillä {line} alue {value} on toiseen kertaan vuodelle {year}.",
           "csv_unreadable": "Riviä {line} ei voi lukea CSV:nä."},
    "sv": {"too_many_months": "Högst {high} månader åt gången.",
           "population_range": "Invånarantalet ska vara 0–{high}.",
           "population_year_range": "Året ska vara {low}–{high}.",
           "csv_too_large": "CSV-filen är för stor: högst {high} byte.",
           "csv_not_utf8": "CSV-filen ska vara UTF-8-text: spara den som UTF-8.",
           "csv_nul": "CSV-filen har NUL-tecken: spara den på nytt som text.",
           "csv_header": "CSV-filen ska ha kolumnerna area, population och year (och vid "
                         "behov sample), var och en en gång.",
           "csv_rows": "CSV-filen kan ha högst {high} rader.",
           "csv_fields": "Rad {line} har {given} fält, rubrikraden {expected}.",
           "csv_area_empty": "Rad {line} saknar område.",
           "csv_numbers": "På rad {line} ska invånarantal och år vara heltal.",
           "csv_sample": "På rad {line} är värdet i kolumnen sample true eller false.",
           "csv_unknown_area": "Området på rad {line} är inte ett av Kuopios områden.",
           "csv_unknown_areas": "Filen har områden som inte är Kuopios områden: {value}.",
           "csv_twice": "På rad {line} förekommer området {value} en andra gång för år "
                        "{year}.",
           "csv_unreadable": "Rad {line} kan inte läsas som CSV."},
    "en": {"too_many_months": "At most {high} months at a time.",
           "population_range": "The population must be 0–{high}.",
           "population_year_range": "The year must be {low}–{high}.",
           "csv_too_large": "The CSV file is too large: at most {high} bytes.",
           "csv_not_utf8": "The CSV file must be UTF-8 text: save it as UTF-8.",
           "csv_nul": "The CSV file has NUL characters: save it again as text.",
           "csv_header": "The CSV file needs the columns area, population and year (and "
                         "sample if wanted), each once.",
           "csv_rows": "The CSV file can have at most {high} rows.",
           "csv_fields": "Line {line} has {given} fields, the header {expected}.",
           "csv_area_empty": "Line {line} has no area.",
           "csv_numbers": "On line {line} the population and year must be whole numbers.",
           "csv_sample": "On line {line} the sample column is true or false.",
           "csv_unknown_area": "The area on line {line} is not one of Kuopio's areas.",
           "csv_unknown_areas": "The file has areas that are not Kuopio's: {value}.",
           "csv_twice": "On line {line} the area {value} comes a second time for {year}.",
           "csv_unreadable": "Line {line} cannot be read as CSV."}}
for _lang, _words in _IMPORT_WORDS.items():
    _T[_lang].update(_words)
_REFUSALS.update({code: code for code in _IMPORT_WORDS["en"]})


def refusal_text(exc: DomainError, lang: str) -> str | None:
    """A refusal of a filter's rule in the dashboard's words (`ServiceSpec.refusal_text`);
    None for others, which the shared words say (`shared.http.refusal_message`)."""
    key = _REFUSALS.get(str(exc.details.get("code")))
    if key is None:
        return None
    details = dict(exc.details)
    if key == "to_not_after_from" and "from_day" in details:
        # An end day before the start day is said as such, not as a month too early; the
        # days as the reader's language writes them.
        key = "to_before_from" if details.get("before") else key
        details.update({name: l10n.day_dated(date.fromisoformat(details[name]), lang)
                        for name in ("from_day", "to_day")})
    if key == "area_outside_group":  # named as the reader's language names them
        details.update(area=area_words(str(details["area"]), lang),
                       group=_GROUPS[lang].get(str(details["group"]), str(details["group"])))
    # A rule's words may name a detail of it (`{latest_year}`).
    return str(_T[lang][key]).format_map(details)


def filter_refused_page(request: Request, refused: Invalid, lang: str,
                        home: Callable[[str], tuple[str, str]],
                        headers: dict[str, str] | None = None) -> Response:
    """A filter's rule (a topic with a kind, an end before the start, an unknown topic) on
    a page: the rule and how to fix it in the dashboard's words (`refusal_text`), not only
    "check this"; a refusal it has no words for is raised on to the page route's."""
    said = refusal_text(refused, lang)
    if said is None:
        raise refused
    # An end before the start is of two inputs, and its words name both by their labels:
    # listed as the end's alone, it read "Slutar före: kontrollera detta" below them.
    named = refused.field and refused.details.get("code") != "to_not_after_from"
    return error_page(request, 422, home=home, detail=said,
                      fields=[refused.field] if named and refused.field else None,
                      headers=headers, labels=FILTER_LABELS)


def unknown_area_page(request: Request, area: str) -> Response:
    """`/areas/{area}/summary` of an area neither the city's nor counted, as a browser asks
    for it: the 404 page naming the area, with the way on to the dashboard's choice of
    areas (the shared page said only that no such page was found)."""
    lang = reader_language(request)
    return error_page(request, 404, home=_to_dashboard,
                      detail=str(_T[lang]["no_such_area"]).format(area=area))


#: The areas' groups (`domain.AREA_GROUPS`) in words, for the spreadsheet.
_GROUPS = {
    "fi": {"city": "kaupunki", "rural_north": "pohjoinen maaseutu",
           "rural_south": "eteläinen maaseutu"},
    "sv": {"city": "stad", "rural_north": "norra landsbygden", "rural_south": "södra landsbygden"},
    "en": {"city": "city", "rural_north": "rural north", "rural_south": "rural south"},
}
#: The subtotals' and the total's names (`domain.totals`): seed 001's three groups of
#: areas, each with its own coordinators, and the city the welfare report is of.
_TOTALS = {
    "fi": {"city": "Kaupunkialue yhteensä", "rural_north": "Pohjoinen maaseutualue yhteensä",
           "rural_south": "Eteläinen maaseutualue yhteensä", MUNICIPALITY: "Kuopio yhteensä"},
    "sv": {"city": "Stadsområdet totalt", "rural_north": "Norra landsbygdsområdet totalt",
           "rural_south": "Södra landsbygdsområdet totalt", MUNICIPALITY: "Kuopio totalt"},
    "en": {"city": "City area total", "rural_north": "Northern rural area total",
           "rural_south": "Southern rural area total", MUNICIPALITY: "Kuopio total"},
}
#: What a row of the spreadsheet is (the machine CSV's `scope`), in words.
_SCOPES = {
    "fi": {"area": "alue", "area_group": "alueryhmä", "municipality": "koko kaupunki"},
    "sv": {"area": "område", "area_group": "områdesgrupp", "municipality": "hela staden"},
    "en": {"area": "area", "area_group": "area group", "municipality": "whole city"},
}


def total_name(total: Any, lang: str) -> str:
    """"Pohjoinen maaseutualue yhteensä", "Kuopio totalt"."""
    return str(_TOTALS[lang].get(total.area, total.area))


_PAGE = Environment(autoescape=select_autoescape(default=True)).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<style>body{font:100%/1.45 system-ui,sans-serif;max-width:76rem;margin:1rem auto;padding:0 1rem;
overflow-wrap:anywhere;hyphens:auto}
.scroll{overflow-x:auto;max-width:100%}.scroll:focus{outline:2px solid #00577c}
table{border-collapse:collapse;font-size:.85rem;overflow-wrap:normal}
th,td{border-bottom:1px solid #ddd;padding:.3rem;text-align:right;vertical-align:top}
th{font-weight:600;hyphens:auto;min-width:5.5rem;max-width:9rem}th:first-child,td:first-child{text-align:left}
td{white-space:nowrap}tbody.totals tr:first-child>*{border-top:2px solid #1b1b1b}
tbody.totals th{font-weight:700}section{margin:1.2rem 0}.muted{color:#595959}a{color:#00577c}
form.filters{margin:.8rem 0}form.filters fieldset{display:flex;flex-wrap:wrap;
gap:.6rem 1rem;align-items:flex-end;border:1px solid #d6d6d6;border-radius:6px;
padding:.6rem 1rem;margin:0;min-width:0}form.filters legend{font-weight:600;padding:0 .3rem}
form.filters label{display:flex;flex-direction:column;gap:.2rem;min-width:0;max-width:100%}
form.filters .hint{flex-basis:100%;margin:0;font-size:.9rem}
select,input,button{font:inherit;padding:.3rem .5rem;max-width:100%;min-width:0;
box-sizing:border-box}select{max-width:min(18rem,100%)}input[type=number]{width:6em}
button{border:1px solid #00577c;border-radius:4px;background:#00577c;color:#fff;cursor:pointer}
@media (max-width:30rem){body{padding:0 .5rem}form.filters fieldset{padding:.5rem}}
@media print{a,form{display:none}.scroll{overflow:visible}}
header nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;justify-content:flex-end}
{{ skip_css }}.skip{box-sizing:border-box;max-width:calc(100% - 1rem)}
[tabindex="-1"]:focus{outline:2px solid #00577c;outline-offset:2px}
{{ chart_css }}</style></head>
<body><a class="skip" href="#main">{{ skip_to_main[lang] }}</a>
{% if form %}<a class="skip" href="#figures">{{ t.skip_figures }}</a>{% endif %}
<header><nav aria-label="{{ t.languages }}">{% for code, href in language_links %}
<a href="{{ href }}" hreflang="{{ code }}" lang="{{ code }}"
{%- if code == lang %} aria-current="page"{% endif %}>{{ code }}</a>{% endfor %}</nav></header>
<main id="main" tabindex="-1"><h1>{{ title }}</h1>
<p><a href="/indicators/summary?{{ csv_query }}">{{ t.csv }}</a> ·
<a href="/indicators/summary?{{ excel_query }}">{{ t.spreadsheet }}</a>
{% if dashboard %}{% if year %}· <a href="/report/{{ year }}?lang={{ lang }}">
{{- t.year_report }}</a>{% endif %}
{% else %}· <a href="/report/{{ year }}.pdf?lang={{ lang }}">{{ t.pdf }}</a>{% endif %}</p>
{% if form %}<form class="filters" method="get" action="/dashboard"><fieldset>
<legend>{{ t.filters }}</legend><input type="hidden" name="lang" value="{{ lang }}">
<label>{{ t.area }}<select name="area"><option value="">{{ t.all_areas }}</option>
{% for code, name in form.areas %}<option value="{{ code }}"
{%- if code == form.area %} selected{% endif %}>{{ name }}</option>{% endfor %}</select></label>
<label>{{ t.area_group }}<select name="group"><option value="">{{ t.all_groups }}</option>
{% for code, name in form.groups %}<option value="{{ code }}"
{%- if code == form.group %} selected{% endif %}>{{ name }}</option>{% endfor %}</select></label>
<label>{{ t.year }}<input type="number" name="year" value="{{ form.year }}"
 min="{{ form.min_year }}" max="{{ form.max_year }}" inputmode="numeric"
 aria-describedby="range-hint"></label>
<label>{{ t.from }}<input type="date" name="from" value="{{ form.from_ }}"
 min="{{ form.min_year }}-01-01" max="{{ form.max_year }}-12-31"
 aria-describedby="range-hint"></label>
<label>{{ t.to }}<input type="date" name="to" value="{{ form.to }}"
 min="{{ form.min_year }}-01-01" max="{{ form.max_year + 1 }}-01-01"
 aria-describedby="range-hint"></label>
<label>{{ t.venue }}<select name="venue_id"><option value="">{{ t.all_venues }}</option>
{% for code, name in form.venues %}<option value="{{ code }}"
{%- if code == form.venue_id %} selected{% endif %}>{{ name }}</option>{% endfor %}</select></label>
<label>{{ t.kind }}<select name="kind"><option value="">{{ t.all_kinds }}</option>
{% for code, name in form.kinds %}<option value="{{ code }}"
{%- if code == form.kind %} selected{% endif %}>{{ name }}</option>{% endfor %}</select></label>
<label>{{ t.topic }}<select name="topic" aria-describedby="topic-hint"><option value="">
{{- t.all_topics }}</option>
{% for code, name in form.topics %}<option value="{{ code }}"
{%- if code == form.topic %} selected{% endif %}>{{ name }}</option>{% endfor %}</select></label>
<button type="submit">{{ t.show }}</button>
<p class="hint muted" id="range-hint">{{ t.range_hint }}</p>
<p class="hint muted" id="topic-hint">{{ t.topic_hint }}</p></fieldset></form>
{% endif %}<div id="figures" tabindex="-1">
{% if form %}<h2 id="shown">{{ shown }}</h2>
{% if venue_note %}<p class="note" id="venue-note">{{ venue_note }}</p>{% endif %}{% endif %}
<section id="trend">{{ trend }}</section>
<section id="areas">{{ areas_chart }}</section>
<section id="satisfaction">{{ satisfaction }}</section>
<section id="table"><div class="scroll" role="region" tabindex="0"
 aria-label="{{ t.area }}"><table><thead><tr><th scope="col">{{ t.area }}</th>
<th scope="col">{{ t.population }}</th>
{% for i in indicators %}<th scope="col">{{ i.name[lang] }}</th>{% endfor %}</tr></thead><tbody>
{% macro row(a, name) %}<tr><th scope="row">{{ name }}</th><td>
{% if a.population is not none %}{{ fmt(a.population) }}
{% if a.population_is_sample %}<span class="muted">({{ t.sample }})</span>{% endif %}
{% if a.population_of_earlier_year %}<span class="muted">({{ t.of_year }}
{{ a.population_year }})</span>{% endif %}
{% else %}<span class="muted">{{ t.unknown }}</span>{% endif %}</td>
{% for i in indicators %}{% set lines = cell(a, i) %}<td>{{ lines[0] }}
{% for more in lines[1:] %}<br><span class="muted">{{ more }}</span>{% endfor %}</td>
{% endfor %}</tr>
{% endmacro %}
{% for a in areas %}{{ row(a, area_words(a.area, lang)) }}{% endfor %}
{% if totals %}</tbody><tbody class="totals">
{% for a in totals %}{{ row(a, total_name(a, lang)) }}{% endfor %}{% endif %}
</tbody></table></div></section>
<section id="definitions"><h2>{{ t.definitions }}</h2><dl>
{% for i in indicators %}{% set d = defined(i) %}<dt>{{ i.name[lang] }} ({{ d.unit }})</dt>
<dd>{{ d.formula }}. <span class="muted">{{ d.sources }}</span></dd>{% endfor %}</dl></section>
</div></main></body></html>""")


def _formatter(lang: str) -> Any:
    def fmt(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, float) and value != int(value):
            return l10n.number(round(value, 2), lang)
        return l10n.number(int(value), lang)
    return fmt


def rate_text(value: float | None, lang: str) -> str:
    """A rate per 1,000 residents as `lang` writes a number (CLDR, by Babel: "1 428,571",
    "1,428.571"), with the decimals the API and the CSVs give it (`PER_THOUSAND_DIGITS`):
    the page's rounding was its own (two), and said another figure than the export."""
    if value is None:
        return "–"
    return format_decimal(round(value, PER_THOUSAND_DIGITS),
                          format="#,##0." + "#" * PER_THOUSAND_DIGITS,
                          locale=l10n.locale(lang))


#: "1 vastaus", "12 vastausta": how many answered, next to a figure made of answers.
_ANSWERS = {"fi": ("{n} vastaus", "{n} vastausta"), "sv": ("{n} svar", "{n} svar"),
            "en": ("{n} answer", "{n} answers")}
#: The figures made of the feedback survey's answers.
_OF_ANSWERS = ("satisfaction_mean", "wellbeing_share")


def answers_text(n: int, lang: str) -> str:
    one, many = _ANSWERS[lang]
    return (one if n == 1 else many).format(n=l10n.number(n, lang))


def cell_lines(a: AreaIndicators, indicator: Any, lang: str) -> list[str]:
    """A table cell as the reader reads it: the figure, then its rate per 1,000 residents,
    or for a figure of the survey how many answered (a mean of 3 answers is not one of
    300). A mean has one decimal ("4,0"), a share is a percentage ("33 %"), as CLDR writes
    them."""
    value = a.values[indicator.code]
    if indicator.code not in _OF_ANSWERS:
        lines = [_formatter(lang)(value)]
        per = a.per_1000.get(indicator.code) if indicator.per_thousand else None
        if per is not None:
            lines.append(f"{rate_text(per, lang)} {_T[lang]['per_1000']}")
        return lines
    if value is None:
        shown = "–"
    elif indicator.code == "satisfaction_mean":
        shown = l10n.number(value, lang, digits=1)
    else:
        shown = format_percent(value, locale=l10n.locale(lang))
    return [shown, answers_text(a.answers, lang)]


#: The words of the code activity without an area is counted under (`UNKNOWN_AREA`).
NO_AREA = {"fi": "Alue ei tiedossa", "sv": "Område okänt", "en": "Area not known"}


def area_words(code: str, lang: str) -> str:
    """An area as the metrics' pages name it: the city's name for it, or that it is not
    known (never the code's last part, "Unknown", in English on a Finnish page)."""
    return NO_AREA[lang] if code == UNKNOWN_AREA else area_name(code, lang)


def _short(area: str, lang: str = "fi") -> str:
    return area_words(area, lang)


def _name(code: str, lang: str) -> str:
    return BY_CODE[code].name[lang]


def by_name(areas: Iterable[AreaIndicators], lang: str) -> list[AreaIndicators]:
    """The areas in the order the reader's language sorts their names ("Centrum" among the
    C's in Swedish, not where Keskusta's code puts it)."""
    return sorted(areas, key=lambda a: collation_key(area_words(a.area, lang), lang))


def _trend(months: list[MonthTotals], start: date, end: date,
           lang: str) -> tuple[list[str], list[float], str]:
    """The realised hours of the range's months as columns (a year's months by name, a
    longer range's with their year), or per year when a range is longer than two years."""
    by_month = {m.month: float(m.realised_hours) for m in months}
    spanned = months_between(start, end)
    if len(spanned) > 24:
        years = sorted({m.year for m in spanned})
        return ([str(y) for y in years],
                [sum(v for m, v in by_month.items() if m.year == y) for y in years],
                str(_T[lang]["per_year"]))
    names = _MONTHS[lang].split()
    one_year = len({m.year for m in spanned}) == 1
    return ([names[m.month - 1] if one_year else f"{names[m.month - 1]} {m.year}"
             for m in spanned], [by_month.get(m, 0.0) for m in spanned],
            str(_T[lang]["per_month"]))


def _render(summary: Summary, months: list[MonthTotals], lang: str, *, dashboard: bool,
            title: str, period: str, year: int | None, query: SummaryQuery,
            language_links: list[tuple[str, str]], form: dict[str, Any] | None = None,
            shown: str = "", venue_note: str | None = None) -> str:
    t = _T[lang]
    areas = by_name(summary.areas, lang)
    assert query.from_ is not None and query.to is not None
    labels, values, per = _trend(months, query.from_, query.to, lang)
    trend = charts.columns(labels, values,
                           title=f"{_name('realised_hours', lang)} {per} {period}", lang=lang)
    known = [a for a in areas if a.population]
    if known:
        areas_chart = charts.bars(
            [_short(a.area, lang) for a in known],
            [a.per_1000["participants"] or 0 for a in known],
            title=f"{_name('participants', lang)} {t['per_1000_residents']}", lang=lang,
            number=lambda rate: rate_text(rate, lang))
    else:
        areas_chart = charts.bars(
            [_short(a.area, lang) for a in areas],
            [float(a.values["participants"] or 0) for a in areas],
            title=f"{_name('participants', lang)} {t['by_area']}", lang=lang)
    scores = [sum(a.satisfaction_distribution[i] for a in areas) for i in range(5)]
    satisfaction = charts.bars(["1", "2", "3", "4", "5"], [float(s) for s in scores],
                               title=f"{_name('satisfaction_mean', lang)} ({t['answers']})",
                               lang=lang)
    # The downloads are of the figures shown: the same filter, as the API takes it.
    filters = summary_filters(query)
    return _PAGE.render(lang=lang, t=t, year=year, dashboard=dashboard,
                        skip_to_main=SKIP_TO_MAIN, skip_css=Markup(SKIP_CSS),
                        language_links=language_links, form=form, shown=shown,
                        venue_note=venue_note, csv_query=urlencode({"format": "csv", **filters}),
                        excel_query=urlencode({"format": "excel", "lang": lang, **filters}),
                        fmt=_formatter(lang), area_words=area_words,
                        defined=lambda i: definition(i, lang), title=title,
                        chart_css=Markup(charts.CSS),
                        trend=Markup(trend), areas_chart=Markup(areas_chart),
                        satisfaction=Markup(satisfaction), areas=areas,
                        totals=summary.totals, total_name=total_name,
                        cell=lambda a, i: cell_lines(a, i, lang),
                        indicators=INDICATORS)


def summary_filters(query: SummaryQuery) -> dict[str, str]:
    """The filter as `GET /indicators/summary` takes it in its query (given ones only)."""
    given = {"area": query.area, "group": query.group,
             "from": query.from_ and query.from_.isoformat(),
             "to": query.to and query.to.isoformat(), "kind": query.kind,
             "venue_id": query.venue_id and str(query.venue_id), "topic": query.topic}
    return {k: v for k, v in given.items() if v}


def _report_page(report: YearReport, lang: str) -> str:
    """The yearly report: the dashboard's figures of one calendar year, without its form."""
    t = _T[lang]
    start, end = check_year(report.year)
    return _render(report.summary, report.months, lang, dashboard=False,
                   title=f"{t['report']} {report.year}", period=str(report.year),
                   year=report.year, query=SummaryQuery(from_=start, to=end),
                   language_links=[(code, f"?lang={code}") for code in LANGUAGES])


def spreadsheet_csv(summary: Any, lang: str) -> bytes:
    """The indicator summary as a spreadsheet in `lang`'s locale opens it: Excel takes a CSV
    by the locale's list separator and decimal sign (fi, sv: `;` and `1,5`; en: `,` and
    `1.5`, from CLDR), and reads UTF-8 (ä, ö) only after a byte order mark. The same columns
    as `format=csv`, headed and filled in words of the language (area names, yes/no);
    numbers without thousands separators, so they stay numbers; text cells never formulas.
    The area groups' subtotals and the city's total follow the areas, named in words."""
    t = _T[lang]
    decimal = get_decimal_symbol(l10n.locale(lang))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if decimal == "," else ",")
    per = [i for i in INDICATORS if i.per_thousand]

    def number(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, int):
            return str(value)
        # Positional (never "1e-05"), as precise as the machine CSV's.
        return format(Decimal(repr(float(value))), "f").replace(".", decimal)

    def yes(flag: bool) -> str:
        return str(t["yes" if flag else "no"])

    writer.writerow([t["area"], t["area_group"], t["population"], t["population_year"],
                     t["population_is_sample"], *[i.name[lang] for i in INDICATORS],
                     *[f"{i.name[lang]} {t['per_1000']}" for i in per],
                     t["population_of_earlier_year"], t["scope"], t["answers_column"]])
    rows = [(a, area_words(a.area, lang), "area") for a in by_name(summary.areas, lang)]
    rows += [(a, total_name(a, lang), a.scope) for a in summary.totals]
    for a, name, scope in rows:
        group = _GROUPS[lang].get(a.area_group or "", a.area_group or "")
        writer.writerow([safe_cell(name), safe_cell(group),
                         number(a.population), number(a.population_year),
                         yes(a.population_is_sample),
                         *[number(a.values[i.code]) for i in INDICATORS],
                         *[number(a.per_1000[i.code]) for i in per],
                         yes(a.population_of_earlier_year), _SCOPES[lang][scope],
                         number(a.answers)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def pdf_columns(header: list[str], rows: list[list[str]],
                room: float) -> tuple[float, list[float]]:
    """The PDF table's font size and column widths: headers wrap between words, never inside
    one, so each column is as wide as its longest header word (or value), and the font
    shrinks until the table fits the page's width `room`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def widths(size: float) -> list[float]:
        return [max([stringWidth(w, "Helvetica-Bold", size) for w in str(h).split()] +
                    [stringWidth(line, "Helvetica", size)
                     for r in rows for line in str(r[c]).splitlines() or [""]]) + 8
                for c, h in enumerate(header)]

    size = 7.0
    while sum(widths(size)) > room and size > 4.5:
        size -= 0.25
    return size, widths(size)


#: A filter left empty in the page's form (`area=&kind=`) is no filter.
AreaFilter = Annotated[AreaCode | None, BeforeValidator(blank_is_none)]
KindFilter = Annotated[KindCode | None, BeforeValidator(blank_is_none)]
TopicFilter = Annotated[TopicCode | None, BeforeValidator(blank_is_none)]
#: An area group of `domain.AREA_GROUPS`, or none chosen.
GroupFilter = Annotated[Literal["city", "rural_north", "rural_south"] | None,
                        BeforeValidator(blank_is_none)]
VenueFilter = Annotated[UUID | None, BeforeValidator(blank_is_none)]
#: A year of the platform's range, or none chosen (the form's empty choice). The bounds
#: are the year's, not the choice's: on `int | None` they were applied to None too, a 500.
YearFilter = Annotated[Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)] | None,
                       BeforeValidator(blank_is_none)]


def _period(start: date, end: date, lang: str) -> str:
    """"2026", "2025–2026", "maalis–toukokuu 2026": the whole months [start, end)."""
    last = date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, 1)
    if start.month == 1 and last.month == 12:
        return str(start.year) if start.year == last.year else f"{start.year}–{last.year}"
    if start == last:
        return format_skeleton("yMMMM", start, locale=l10n.locale(lang))
    return format_interval(start, last, "yMMMM", locale=l10n.locale(lang))


def _venue_name(venue: VenueChoice, lang: str) -> str:
    """"Neulamäen kirjasto (Neulamäki)"; one heard before names were kept, by its area."""
    name = _venue_own_name(venue, lang)
    where = area_name(venue.area, lang)
    if name is None:
        return f"{str(_T[lang]['venue_in']).format(area=where)} {str(venue.venue_id)[:8]}"
    return f"{name} ({where})"


def _venue_own_name(venue: VenueChoice, lang: str) -> str | None:
    names = {k: v for k, v in venue.name.items() if isinstance(v, str) and v}
    return names.get(lang) or names.get("fi") or next(iter(names.values()), None)


def _venue_note(shown: Dashboard, area_names: dict[str, str], lang: str) -> str | None:
    """"Kallaveden kirjasto ei ole alueella Petonen: …": why a venue asked with an area it
    is not in has figures of only the activity there whose area is that one (most often
    none), where the page showed empty figures without a word."""
    venue = shown.venue_elsewhere
    if venue is None or shown.query.area is None:
        return None
    # One heard before names were kept: "Toimipaikka alueella Neulamäki 1a2b3c4d".
    name = _venue_own_name(venue, lang) or _venue_name(venue, lang)
    return str(_T[lang]["venue_elsewhere"]).format(
        venue=name[:1].upper() + name[1:], area=area_names[shown.query.area])


def _group_name(group: str, lang: str) -> str:
    return _GROUPS[lang].get(group, group).capitalize()


@router.get("/dashboard", response_class=HTMLResponse, responses=page_responses())
async def dashboard(request: Request, pool: Pool, clock: CurrentClock, lang: PageLang,
                    year: YearFilter = None, area: AreaFilter = None,
                    from_: Annotated[FormDay, Query(alias="from")] = None,
                    to: FormEndDay = None, kind: KindFilter = None,
                    venue_id: VenueFilter = None, group: GroupFilter = None,
                    topic: TopicFilter = None) -> Response:
    """The indicators of a filter as `GET /indicators/summary` takes it (area, area
    `group`, whole months `from`–`to`, `kind`, `venue_id` or `topic`), from the same use
    case: this year's by the clock (in Helsinki) unless `year` or `from`/`to` say
    otherwise. A GET form, so a filtered view is a link to share; an unknown area, venue or
    topic is a 422 page naming it. Kinds and topics read by the vocabulary's words."""
    query = SummaryQuery(area=area, group=group, from_=from_, to=to, kind=kind,
                         venue_id=venue_id, topic=topic)
    t = _T[lang]
    try:
        shown = await usecases.dashboard(usecases.unit_of_work(pool), clock, PUBLIC, query,
                                         year)
    except Invalid as refused:
        return filter_refused_page(request, refused, lang, _to_dashboard)
    chosen = shown.query
    first, end = month_range(chosen.from_, chosen.to)
    assert first is not None and end is not None  # the use case fills the range in
    period = _period(first, end, lang)
    names = {a.code: a.name.get(lang) or a.name.get("fi") or area_words(a.code, lang)
             for a in shown.areas}
    if area and area not in names:  # counted, not one of the city's (no area): as asked
        names[area] = area_words(area, lang)
    venues = sorted(((str(v.venue_id), _venue_name(v, lang)) for v in shown.venues),
                    key=lambda v: collation_key(v[1], lang))
    place = (names[area] if area else
             _group_name(group, lang) if group else MUNICIPALITY.capitalize())
    what = [place, period, *([shown.words("kind", kind, lang)] if kind else []),
            *([dict(venues).get(str(venue_id), str(venue_id))] if venue_id else []),
            *([shown.words("topic", topic, lang)] if topic else [])]

    def by_words(scheme: str, codes: list[str]) -> list[tuple[str, str]]:
        # By the words the reader reads, as their language sorts them, never by code.
        return sorted(((c, shown.words(scheme, c, lang)) for c in codes),
                      key=lambda pair: (collation_key(pair[1], lang), pair[0]))

    form = {
        "areas": sorted(names.items(), key=lambda a: collation_key(a[1], lang)),
        "groups": [(g, _group_name(g, lang)) for g in AREA_GROUPS],
        "venues": venues, "kinds": by_words("kind", shown.kinds),
        "topics": by_words("topic", shown.topics),
        "area": area or "", "group": group or "", "kind": kind or "", "topic": topic or "",
        "venue_id": str(venue_id) if venue_id else "",
        # The year the range is; the range's days only when asked for (they override it).
        "year": shown.year or "", "from_": from_.isoformat() if from_ else "",
        "to": to.isoformat() if to else "", "min_year": MIN_YEAR, "max_year": MAX_YEAR}
    html = _render(shown.summary, shown.months, lang, dashboard=True,
                   title=f"{t['dashboard']} {period}",
                   period=period, year=shown.year, query=chosen,
                   language_links=[(code, in_language(request, code))
                                   for code in LANGUAGES],
                   form=form, shown=", ".join(what),
                   venue_note=_venue_note(shown, names, lang))
    return HTMLResponse(html)


@router.get("/report", include_in_schema=False)
async def this_years_report(request: Request, clock: CurrentClock) -> Response:
    """`/report` typed without a year: this year's (in Helsinki), in the language asked."""
    lang = language_tag(request.query_params.get("lang"))
    return RedirectResponse(f"/report/{year_of(clock.now())}" + (f"?lang={lang}" if lang
                                                                  else ""), status_code=303)


@router.get("/report/{year}.pdf", response_class=Response,
            responses=page_responses(ok_content={"application/pdf": {}}))
async def yearly_report_pdf(year: Year, pool: Pool, clock: CurrentClock,
                            lang: PageLang) -> Response:
    """The yearly report as a PDF for the welfare report (tables and definitions).
    Declared before the HTML route, which would otherwise claim `2026.pdf` as a year."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    report = await usecases.yearly_report(usecases.unit_of_work(pool), clock, PUBLIC, year)
    t = _T[lang]
    styles = getSampleStyleSheet()
    # Every indicator the HTML report shows and the PDF defines, cancelled events included.
    shown = list(INDICATORS)
    header = [t["area"], t["population"], *[i.name[lang] for i in shown]]
    areas = by_name(report.summary.areas, lang)
    fmt = _formatter(lang)
    def population(a: AreaIndicators) -> str:
        """As the HTML report says it: the figure, a sample's flag, an earlier year's."""
        if a.population is None:  # none told; a 0 told is a 0, as the API and CSV say
            return str(t["unknown"])
        lines = [fmt(a.population)]
        if a.population_is_sample:
            lines.append(f"({t['sample']})")
        if a.population_of_earlier_year:
            lines.append(f"({t['of_year']} {a.population_year})")
        return "\n".join(lines)

    def value(a: AreaIndicators, indicator: Any) -> str:
        return "\n".join(cell_lines(a, indicator, lang))  # as the HTML report's cell

    rows = [[_short(a.area, lang), population(a), *[value(a, i) for i in shown]]
            for a in areas]
    totals = [[total_name(a, lang), population(a), *[value(a, i) for i in shown]]
              for a in report.summary.totals]
    heading = ParagraphStyle("header", parent=styles["BodyText"], fontName="Helvetica-Bold",
                             fontSize=7, leading=8.5, splitLongWords=False)
    size, column_widths = pdf_columns(header, rows + totals, landscape(A4)[0] - 2 * 36)
    heading.fontSize, heading.leading = size, size * 1.2
    table = Table([[Paragraph(escape(h), heading) for h in header], *rows, *totals],
                  repeatRows=1, colWidths=column_widths)
    first_total = len(rows) + 1
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), size),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    if totals:  # the subtotals and the total: below a rule, named in bold
        table.setStyle(TableStyle([
            ("LINEABOVE", (0, first_total), (-1, first_total), 1, colors.black),
            ("FONTNAME", (0, first_total), (0, -1), "Helvetica-Bold")]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=f"{t['report']} {year}",
                            author="Kohtaamo", leftMargin=36, rightMargin=36, lang=lang)
    story = [Paragraph(f"{t['report']} {year}", styles["Title"]), table, Spacer(1, 12),
             Paragraph(t["definitions"], styles["Heading2"])]
    story += [Paragraph(f"<b>{escape(i.name[lang])}</b> ({escape(d['unit'])}): "
                        f"{escape(d['formula'])}. {escape(d['sources'])}", styles["BodyText"])
              for i in INDICATORS for d in [definition(i, lang)]]
    doc.build(story)
    return Response(buffer.getvalue(), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="kohtaamo-{year}.pdf"',
        # In the reader's language like the pages (no HTML, so PageHeaders says nothing).
        "Vary": "Accept-Language, Cookie"})


@router.get("/report/{year}", response_class=HTMLResponse, responses=page_responses())
async def yearly_report(year: Year, pool: Pool, clock: CurrentClock,
                        lang: PageLang) -> HTMLResponse:
    report = await usecases.yearly_report(usecases.unit_of_work(pool), clock, PUBLIC, year)
    return HTMLResponse(_report_page(report, lang))
