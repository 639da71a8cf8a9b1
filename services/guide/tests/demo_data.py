"""The platform's demo data as the guide receives it from the bus: Kuopio's eleven libraries
with their areas and SAMPLE hours exactly as `services/booking/demo.py` loads them (copied
here, because one service's code may not import another's), turned into `VenueRegistered`
events with what they lend (SAMPLE, as booking's demo loads it, except that Vehmersalmi's
copy lists nothing, as a desk that lends nothing or a copy from before `lendables` does, so
the guide's pointing elsewhere is evaluated); some dated exceptions;
the fields producers are to fill (address, accessibility, contact) on two venues; and a
fortnight of activity events (`event.published` and one `event.cancelled`) around the
evaluation's "now", Tuesday 1 December 2026 at 10:00, and three of the week before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.areas import KUOPIO_LIBRARIES as LIBRARIES
from shared.clock import HELSINKI
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPublished,
    LendableInfo,
    LocalizedText,
    OpeningHoursInfo,
    SpaceInfo,
    VenueRegistered,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)


def demo_id(*parts: str) -> UUID:
    """The same ids as booking's demo (services/booking/demo.py)."""
    return uuid5(NAMESPACE_URL, "https://kohtaamo.example/demo/" + "/".join(parts))


def _t(fi: str, sv: str, en: str) -> LocalizedText:
    return LocalizedText(fi=fi, sv=sv, en=en)



KANTTI_SPACES = [
    ("children-workshop", _t("Lastenosaston työpajatila", "Barnavdelningens verkstadsrum",
                             "Children's section workshop room"), 20),
    ("children-stage", _t("Lastenosaston lava", "Barnavdelningens scen",
                          "Children's section stage"), 60),
    ("adults-stage", _t("Aikuistenosaston lava", "Vuxenavdelningens scen",
                        "Adults' section stage"), 100),
    ("kohtaamo", _t("Kohtaamo", "Kohtaamo", "Kohtaamo meeting place"), 30),
    ("meeting-hall", _t("Kokoussali", "Mötessal", "Meeting hall"), 40),
]
#: The paid spaces' prices per hour, as booking's demo sets them (SAMPLE).
KANTTI_PRICES = {"adults-stage": Decimal("60.00"), "meeting-hall": Decimal("30.00")}

KANTTI_HOURS = [(d, "09:00", "20:00", "staffed") for d in range(1, 6)] + [
    (6, "10:00", "16:00", "staffed")]
BRANCH_HOURS = [(d, "12:00", "19:00", "staffed") for d in range(1, 5)] + [
    (5, "10:00", "16:00", "staffed")] + [(d, "07:00", "21:00", "self_service")
                                         for d in range(1, 8)]

#: Dated exceptions (SAMPLE): Independence Day and Christmas Eve closed everywhere, New
#: Year's Eve short at KANTTI.
def _exceptions(key: str) -> list[OpeningHoursInfo]:
    closed = [OpeningHoursInfo(day=date(2026, 12, 6)), OpeningHoursInfo(day=date(2026, 12, 24))]
    if key == "kantti":
        closed.append(OpeningHoursInfo(day=date(2026, 12, 31), opens="10:00", closes="14:00",
                                       kind="staffed"))
    return closed


#: What producers are to send in the new optional fields (SAMPLE values).
EXTRA: dict[str, dict[str, Any]] = {
    "kantti": {"address": "Maaherrankatu 12, 70100 Kuopio", "has_paid_space": True,
               "contact_email": "kirjasto@kuopio.example", "contact_phone": "017 182 111",
               "accessibility": _t(
                   "Esteetön sisäänkäynti, hissi kaikkiin kerroksiin, induktiosilmukka "
                   "lavoilla, esteetön WC.",
                   "Tillgänglig entré, hiss till alla våningar, hörslinga vid scenerna, "
                   "tillgänglig toalett.",
                   "Step-free entrance, lift to every floor, hearing loop at the stages, "
                   "accessible toilet.")},
    "neulamaki": {"address": "Neulamäentie 5, 70820 Kuopio", "has_paid_space": False,
                  "contact_phone": "017 182 222",
                  "accessibility": _t("Esteetön sisäänkäynti ja WC; yksi kerros.",
                                      "Tillgänglig entré och toalett; ett plan.",
                                      "Step-free entrance and toilet; one floor.")},
}


#: What the libraries lend (SAMPLE, as booking's demo): (key, name, at KANTTI, at a branch).
LENDABLES = [
    ("board-games", _t("Lautapelit", "Sällskapsspel", "Board games"), 30, 10),
    ("sports-equipment", _t("Liikuntavälineet", "Motionsredskap", "Sports equipment"), 20, 6),
    ("snowshoes", _t("Lumikengät", "Snöskor", "Snowshoes"), 8, 0),
    ("season-cards", _t("Kausikortit", "Säsongskort", "Season cards"), 5, 0),
]


#: Libraries whose copy lists nothing lent (see the module's docstring).
LENDS_NOTHING = {"vehmersalmi"}


def _lendables(key: str) -> list[LendableInfo]:
    if key in LENDS_NOTHING:
        return []
    return [LendableInfo(resource_id=demo_id("resource", key, item), name=name,
                         quantity=kantti if key == "kantti" else branch)
            for item, name, kantti, branch in LENDABLES if (kantti if key == "kantti" else branch)]


def venue_events() -> list[VenueRegistered]:
    events = []
    for key, fi, sv, en, area in LIBRARIES:
        hours = KANTTI_HOURS if key == "kantti" else BRANCH_HOURS
        # As booking's demo: KANTTI's spaces in staffed hours only, a branch's group room
        # in its self-service hours too.
        spaces = ([SpaceInfo(space_id=demo_id("space", key, k), name=n, capacity=c,
                             price_per_hour=KANTTI_PRICES.get(k), paid=k in KANTTI_PRICES,
                             self_service=False)
                   for k, n, c in KANTTI_SPACES] if key == "kantti" else
                  [SpaceInfo(space_id=demo_id("space", key, "group-room"),
                             name=_t("Ryhmätila", "Grupprum", "Group room"), capacity=12,
                             self_service=True)])
        events.append(VenueRegistered(
            venue_id=demo_id("venue", key), name=_t(fi, sv, en), kind="library", area=area,
            municipality="Kuopio", spaces=spaces,
            opening_hours=[OpeningHoursInfo(weekday=d, opens=o, closes=c, kind=k)
                           for d, o, c, k in hours],
            exceptions=_exceptions(key), lendables=_lendables(key), **EXTRA.get(key, {})))
    return events


def _at(day: int, hh: int, mm: int = 0) -> datetime:
    """A time on a day of December 2026; day 0 or less is in November (-5: 25 November)."""
    return datetime(2026, 12, 1, hh, mm, tzinfo=HELSINKI) + timedelta(days=day - 1)


#: key, (fi, sv, en), venue key or None, area, day, start, end, topics, audiences, free
ACTIVITIES: list[tuple[Any, ...]] = [
    ("tuolijumppa", ("Seniorien tuolijumppa", "Stolgympa för seniorer",
                     "Chair exercise for seniors"), "juankoski", 8, (10, 0), (11, 0),
     ["exercise"], ["seniors"], True),
    ("satutunti", ("Satutunti", "Sagostund", "Story time"), "neulamaki", 2, (17, 0), (17, 45),
     ["stories"], ["children", "families"], True),
    ("lautapeli", ("Lautapeli-ilta", "Brädspelskväll", "Board game evening"), "kantti", 3,
     (17, 0), (20, 0), ["games"], ["everyone", "youth"], True),
    ("digituki", ("Digituki senioreille", "Digitalt stöd för seniorer",
                  "Digital help for seniors"), "nilsia", 9, (13, 0), (15, 0),
     ["digital_skills"], ["seniors"], True),
    ("kuoro", ("Kuorolaulua kaikille", "Körsång för alla", "Choir singing for all"), "kantti",
     11, (18, 0), (19, 30), ["music"], ["everyone"], False),
    ("neulekahvila", ("Neulekahvila", "Stickcafé", "Knitting café"), "karttula", 7, (14, 0),
     (16, 0), ["crafts"], ["everyone"], True),
    ("joulukonsertti", ("Lasten joulukonsertti", "Barnens julkonsert",
                        "Children's Christmas concert"), "kantti", 12, (14, 0), (15, 0),
     ["music"], ["families", "children"], True),
    ("pelikerho", ("Nuorten pelikerho", "Spelklubb för unga", "Youth gaming club"), "pyoro",
     10, (16, 0), (18, 0), ["games"], ["youth"], True),
    ("luontoretki", ("Luontoretki Puijolle", "Naturutflykt till Puijo",
                     "Nature walk to Puijo"), None, 6, (10, 0), (12, 0), ["nature"],
     ["everyone"], True),
    ("vauvasatu", ("Vauvojen satuhetki", "Sagostund för bebisar", "Baby story time"),
     "jynkka", 1, (10, 30), (11, 0), ["stories"], ["children", "families"], True),
    ("kuntosali", ("Seniorien kuntosaliopastus", "Gymintroduktion för seniorer",
                   "Gym introduction for seniors"), "maaninka", 9, (11, 0), (12, 0),
     ["exercise"], ["seniors"], True),
    ("kielikahvila", ("Suomen kielen keskusteluryhmä", "Samtalsgrupp i finska",
                      "Finnish conversation group"), "kantti", 7, (15, 0), (16, 30),
     ["discussion"], ["foreign_language"], True),
    ("kasityopiiri", ("Käsityöpiiri", "Hantverkscirkel", "Handicraft circle"), "riistavesi",
     10, (12, 0), (14, 0), ["crafts"], ["seniors", "everyone"], True),
    ("kylakahvit", ("Kyläkahvit", "Bykaffe", "Village coffee"), "vehmersalmi", 4, (13, 0),
     (14, 30), ["discussion"], ["everyone"], True),
    ("lukupiiri", ("Lukupiiri", "Läsecirkel", "Reading circle"), "puijonlaakso", 15, (17, 0),
     (18, 30), ["stories", "discussion"], ["everyone"], True),
    # Last week's (Wednesday 25 November), for questions about what was on.
    ("muistelupiiri", ("Muistelupiiri", "Minnescirkel", "Memory circle"), "jynkka", -5,
     (13, 0), (14, 30), ["discussion"], ["seniors"], True),
    # Last weekend's (Saturday 28 and Sunday 29 November, Advent's first): a past day asked
    # about is answered with its own events, never its whole week's.
    ("askartelupaja", ("Perheiden askartelupaja", "Pysselverkstad för familjer",
                       "Family craft workshop"), "kantti", -2, (11, 0), (13, 0), ["crafts"],
     ["families", "children"], True),
    ("adventtikonsertti", ("Adventtikonsertti", "Adventskonsert", "Advent concert"), "kantti",
     -1, (16, 0), (17, 0), ["music"], ["everyone"], True),
]
CANCELLED = {"kuntosali"}
#: Languages spoken besides Finnish (the contract's default), as the platform's demo has
#: digital help in English too.
SPOKEN = {"digituki": ["fi", "en"]}
AREA_OF = {key: area for key, _fi, _sv, _en, area in LIBRARIES}


def activity_events() -> list[ActivityEventPublished | ActivityEventCancelled]:
    out: list[ActivityEventPublished | ActivityEventCancelled] = []
    for key, (fi, sv, en), venue, day, start, end, topics, audiences, free in ACTIVITIES:
        fields: dict[str, Any] = dict(
            event_id=demo_id("event", key), revision=1, name=_t(fi, sv, en),
            starts_at=_at(day, *start), ends_at=_at(day, *end), kind="open_guided",
            venue_id=demo_id("venue", venue) if venue else None,
            area=AREA_OF[venue] if venue else "kuopio.puijonlaakso", free=free,
            topics=topics, audiences=audiences,
            place_kind="venue" if venue else "outdoors",
            place_name=None if venue else _t("Puijon torni", "Puijo torn", "Puijo tower"),
            languages=SPOKEN.get(key, ["fi"]))
        if key in CANCELLED:
            out.append(ActivityEventCancelled(**{**fields, "revision": 2},
                                              reason="ohjaaja sairastui"))
        else:
            out.append(ActivityEventPublished(**fields))
    return out
