"""The guide's pure rules: understanding a resident's question (language, intent, dates and
places in Finnish, Swedish and English, inflected Finnish place names), and composing an
answer from the platform's own facts, citing where each fact comes from.

No I/O: the use cases fetch venues and activities from the store and hand them in. A question
the rules cannot answer with confidence is never guessed: it becomes a clarifying question or
an offer of the right contact or a person (`Answer.kind` "clarify" or "handover").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Literal
from uuid import UUID

from shared import ical, l10n
from shared.accessibility import feature_names
from shared.clock import HELSINKI, monday_of
from shared.holidays import all_saints_day, easter, midsummer_day
from shared.house_rules import HEADING, RULES_OF_USE, RULES_SOURCE, house_rules

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")
Intent = Literal["hours", "events", "booking", "rules", "location", "accessibility",
                 "contact", "person", "lending", "facility", "courtesy", "unknown"]
AnswerKind = Literal["hours", "events", "booking", "rules", "location", "accessibility",
                     "contact", "lending", "courtesy", "clarify", "handover"]

MAX_EVENTS_LISTED = 5


def fold(text: str) -> str:
    """Lower case without diacritics (ä → a, ö → o, å → a): the same as PostgreSQL's
    `unaccent(lower(...))`, so inflected names match however they are typed."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.strip("-'’") for w in _WORD.findall(fold(text)) if w.strip("-'’")]


# --- facts the guide holds ------------------------------------------------------------------


@dataclass(frozen=True)
class Hours:
    """A weekly opening (ISO weekday) or a dated exception (`day`; no times: closed)."""

    opens: str | None
    closes: str | None
    kind: str = "staffed"
    weekday: int | None = None
    day: date | None = None
    space_id: UUID | None = None
    #: A dated exception's reason as the desk wrote it ({"fi": "Joulupäivä"}).
    reason: dict[str, str] | None = None


@dataclass(frozen=True)
class Lendable:
    """Something a venue lends (booking's resources, seed 001 "välineiden lainaus")."""

    name: dict[str, str]
    quantity: int

    def label(self, lang: Lang) -> str:
        return l10n.text_in(self.name, lang)


@dataclass(frozen=True)
class Venue:
    venue_id: UUID
    name: dict[str, str]
    kind: str
    area: str
    address: str | None = None
    hours: tuple[Hours, ...] = ()
    exceptions: tuple[Hours, ...] = ()
    contact_email: str | None = None
    contact_phone: str | None = None
    accessibility: dict[str, str] | None = None
    has_paid_space: bool | None = None
    spaces: tuple[tuple[UUID, dict[str, str]], ...] = ()
    #: A paid space's rental price per hour in euros, by space (none: free use only, or not
    #: known in a copy from before booking carried prices).
    prices: tuple[tuple[UUID, Decimal], ...] = ()
    #: The spaces rented for a fee, with a price set or not (booking's `SpaceInfo.paid`).
    paid_spaces: tuple[UUID, ...] = ()
    #: How many people a space takes, by space (booking's `SpaceInfo.capacity`; none in a
    #: copy from before the guide kept it).
    capacities: tuple[tuple[UUID, int], ...] = ()
    #: The venue's own structured features (`shared.accessibility`); not its spaces'.
    accessibility_features: tuple[str, ...] = ()
    #: What the venue's desk lends and how many (none: it lends nothing the guide knows of).
    lendables: tuple[Lendable, ...] = ()
    #: Whether a space is bookable beyond staffed hours (in self-service hours, or overnight
    #: by its rules: booking's `SpaceInfo.self_service`), by space; a space not listed is
    #: not known (a copy from before the guide kept it).
    beyond_staffed: tuple[tuple[UUID, bool], ...] = ()

    def label(self, lang: Lang) -> str:
        return l10n.text_in(self.name, lang)

    @property
    def is_main_library(self) -> bool:
        return bool(self.has_paid_space) or "kantti" in fold(self.name.get("fi", ""))


@dataclass(frozen=True)
class Activity:
    event_id: UUID
    name: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    status: str = "published"
    venue_id: UUID | None = None
    area: str | None = None
    free: bool = True
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    place_name: dict[str, str] | None = None
    #: The languages spoken at it (the event's `languages`).
    languages: tuple[str, ...] = ("fi",)
    #: Taking part needs signing up first (on its event page).
    registration_required: bool = False
    #: A whole-day activity (the event's `all_day`): said by its dates, never its clock.
    all_day: bool = False


@dataclass(frozen=True)
class Place:
    """An area of the city as residents name it, with the stems its inflected forms share
    ("Neulamäen", "Neulamäellä" → neulama; "Juankoskella" → juankosk)."""

    code: str
    name: dict[str, str]
    stems: tuple[str, ...]
    #: The resident-activity team's worker for it (seed 001, section 3).
    coordinator: str


#: The main library's own names, inflected (KANTTI's consonant gradation: Kantissa, Kantin)
#: and in other words ("pääkirjasto", "main library"): they name the city centre too.
_MAIN_LIBRARY_STEMS = ("kantti", "kantin", "kantis", "kantil", "paakirjasto", "huvudbibliotek")
_MAIN_LIBRARY_PHRASES = ("main library", "central library", "keskustakirjasto")
#: The city's library organisation, "Kuopion kaupunginkirjasto" ("Kuopio stadsbibliotek",
#: "Kuopio city library"), inflected ("kaupunginkirjastossa", "stadsbiblioteket"): its main
#: library is KANTTI, so named alone it is that library, as "pääkirjasto" is (a tester's
#: "Var finns Kuopion kaupunginkirjasto?" was asked which library of all). Beside another
#: place ("kaupunginkirjaston Jynkän kirjasto") it is the organisation of that place's
#: library, and names that one alone (`_names_city_library_alone`).
_CITY_LIBRARY_STEMS = ("kaupunginkirjasto", "stadsbibliotek")
_CITY_LIBRARY_PHRASES = ("city library",)

#: Kuopio's areas (seed 001): three coordinators for the city by main and branch libraries,
#: one for the rural north (Juankoski, Nilsiä, Maaninka), one for the south.
PLACES: tuple[Place, ...] = (
    Place("kuopio.keskusta", {"fi": "keskusta", "sv": "centrum", "en": "city centre"},
          # KANTTI inflects with a consonant gradation: Kantissa, Kantin, Kantille, Kantista.
          ("keskusta", *_MAIN_LIBRARY_STEMS,
           "centrum", "centre", "center", "maaherrankatu", "downtown", "keskikaupun",
           "central kuopio", "kuopio centre", "kuopio center"), "city"),
    Place("kuopio.puijonlaakso", {"fi": "Puijonlaakso", "sv": "Puijonlaakso",
                                  "en": "Puijonlaakso"}, ("puijonlaakso",), "city"),
    Place("kuopio.neulamaki", {"fi": "Neulamäki", "sv": "Neulamäki", "en": "Neulamäki"},
          ("neulama",), "city"),
    Place("kuopio.jynkka", {"fi": "Jynkkä", "sv": "Jynkkä", "en": "Jynkkä"},
          ("jynkka", "jynkan", "jynkas", "jynkal"), "city"),
    Place("kuopio.pyoro", {"fi": "Pyörö", "sv": "Pyörö", "en": "Pyörö"}, ("pyoro",), "city"),
    Place("kuopio.juankoski", {"fi": "Juankoski", "sv": "Juankoski", "en": "Juankoski"},
          ("juankosk",), "north"),
    Place("kuopio.nilsia", {"fi": "Nilsiä", "sv": "Nilsiä", "en": "Nilsiä"}, ("nilsia",),
          "north"),
    Place("kuopio.maaninka", {"fi": "Maaninka", "sv": "Maaninka", "en": "Maaninka"},
          ("maaninka", "maaningan", "maaningal", "maaningas"), "north"),
    Place("kuopio.riistavesi", {"fi": "Riistavesi", "sv": "Riistavesi", "en": "Riistavesi"},
          ("riistaves", "riistaved"), "south"),
    Place("kuopio.vehmersalmi", {"fi": "Vehmersalmi", "sv": "Vehmersalmi",
                                 "en": "Vehmersalmi"}, ("vehmersalm",), "south"),
    Place("kuopio.karttula", {"fi": "Karttula", "sv": "Karttula", "en": "Karttula"},
          ("karttul",), "south"),
)
PLACE_BY_CODE = {p.code: p for p in PLACES}

COORDINATORS: dict[str, dict[str, str]] = {
    "city": {"fi": "kaupunkialueen asukastoiminnan koordinaattori",
             "sv": "invånarverksamhetens koordinator för stadsområdet",
             "en": "the resident-activity coordinator for the city area"},
    "north": {"fi": "pohjoisen maaseutualueen (Juankoski, Nilsiä, Maaninka) "
                    "asukastoiminnan koordinaattori",
              "sv": "invånarverksamhetens koordinator för norra landsbygden "
                    "(Juankoski, Nilsiä, Maaninka)",
              "en": "the resident-activity coordinator for the northern rural area "
                    "(Juankoski, Nilsiä, Maaninka)"},
    "south": {"fi": "eteläisen maaseutualueen (Riistavesi, Vehmersalmi, Karttula) "
                    "asukastoiminnan koordinaattori",
              "sv": "invånarverksamhetens koordinator för södra landsbygden "
                    "(Riistavesi, Vehmersalmi, Karttula)",
              "en": "the resident-activity coordinator for the southern rural area "
                    "(Riistavesi, Vehmersalmi, Karttula)"},
}


#: The coordinators' areas as residents name them without a place ("södra området",
#: "eteläisen alueen", "the northern rural area"): a side of the city and a word of area,
#: so that "etelä" alone (a street, "Etelä-Savo") names none.
_REGION_SIDES: dict[str, tuple[str, ...]] = {
    "north": ("pohjoi", "norra", "north"),
    "south": ("etelai", "etela", "sodra", "south"),
    "city": ("kaupunkialue", "kaupungin alue", "stadsomrad", "city area", "urban"),
}
_REGION_WORDS = ("alue", "maaseu", "omrad", "landsbygd", "area", "rural", "countryside",
                 "region")


def find_region(tokens: list[str], folded: str) -> str | None:
    """A coordinator's area named as one ("eteläisen alueen", "norra landsbygden"), not by a
    place in it."""
    if not _has(tokens, *_REGION_WORDS):
        return None
    for region, sides in _REGION_SIDES.items():
        if _has(tokens, *[s for s in sides if " " not in s]) or _phrase(
                folded, *[s for s in sides if " " in s]):
            return region
    return None


def queue_for(area: str | None, region: str | None = None) -> str:
    """Where a hand-over goes: the area's coordinator, the coordinator of the area group
    named (`region`), or the main library's desk."""
    place = PLACE_BY_CODE.get(area or "")
    if place:
        return f"coordinator:{place.coordinator}"
    return f"coordinator:{region}" if region in COORDINATORS else "desk"


# --- the question ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive
    #: "day", "week", "weekend", "month", "holiday", "range" (from one date to another),
    #: "now" (today, at this moment) or "default" (not asked)
    span: str = "day"
    #: The dates as the resident typed them ("31.12.9999", "10.12.-5.12."), when typed.
    said: str = field(default="", compare=False)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


DateIssue = Literal["no_such_date", "reversed", "out_of_range", "passed"]


@dataclass(frozen=True)
class DateProblem:
    """Dates the guide does not answer about, said back to the resident instead of another
    period: no such day ("30.2."), a range that ends before it begins, too far back or ahead
    for what the guide holds, or (opening hours) days already gone."""

    kind: DateIssue
    said: str
    #: The days meant, when there are any (a reversed range: the right way round).
    first: date | None = None
    last: date | None = None
    is_range: bool = False


@dataclass(frozen=True)
class Question:
    text: str
    language: Lang
    intent: Intent
    period: Period | None = None
    areas: tuple[str, ...] = ()
    audience: str | None = None
    topics: tuple[str, ...] = ()
    free: bool | None = None
    organiser_type: str | None = None
    #: Asked about a stage, hall or room (a space), not the venue's hours.
    space_words: tuple[str, ...] = ()
    #: Words left for full-text search (not dates, places or function words).
    keywords: tuple[str, ...] = ()
    #: Asked in words about what is on ("tapahtumia", "vad händer", "anything"), not only
    #: for whom or on which topic ("lapsille", "digi").
    asks_events: bool = False
    #: Dates typed that are no days to answer about (`DateProblem`); then `period` is None.
    date_problem: DateProblem | None = None
    #: Asked about the libraries, plural ("kirjastot", "biblioteken", "libraries"): every
    #: one, not one to pick.
    all_venues: bool = False
    #: A coordinator's area named as one, without a place in it: city, north or south.
    region: str | None = None
    #: The language an activity is asked in ("englanniksi", "på engelska", "in English").
    spoken: str | None = None
    #: Asked what something costs ("Paljonko maksaa", "Vad kostar", "How much").
    asks_price: bool = False
    #: "Onko kuorolaulu ilmaista?", "Is the choir free?": whether the named activities are
    #: free, so they are searched paid or free and each says which (`free` stays None).
    asks_if_free: bool = False
    #: Where the place is, asked beside another thing (`_WHERE`).
    asks_where: bool = False
    #: How to sign up for an activity ("miten ilmoittaudun", "hur anmäler jag mig").
    asks_sign_up: bool = False
    #: Whether or where there is something the rules know no word of ("Onko joogaa?",
    #: "Finns det yoga i Kuopio?", "Missä on joogaa?", "Yoga this week"): searched for in
    #: the calendar and, with none there, said so (`answer_not_in_calendar`).
    asks_activity: bool = False
    #: A facility of a library asked after, no activity ("Missä on vessa?", "Onko
    #: kirjastossa wifi?", "Var kan jag parkera?"): a key of `FACILITIES`.
    facility: str | None = None
    #: Which spaces a library has, asked ("Onko Nilsiän kirjastossa kokoustilaa?", "Does
    #: Nilsiä library have a meeting room?"): a booking question, its spaces listed.
    asks_spaces: bool = False
    #: The rules asked after in general ("Mitkä ovat tilojen käyttösäännöt?": "general") or
    #: on one matter they answer: "alcohol" (the house rules), "food" (they say nothing).
    rules_topic: str | None = None
    #: Using or booking a space late, asked by a clock time ("klo 22 jälkeen", "efter
    #: klockan 22", "until 11 pm"): the time ("22:00") and "after" or "until"; answered
    #: from the hours the spaces can be booked in (`answer_late_use`).
    late: tuple[str, str] | None = None
    #: How many people a space is asked for ("kokoustilaa 12 hengelle", "a meeting room for
    #: 12 people", "mötesrum för 12 personer"): the spaces that take them are said.
    head_count: int | None = None
    #: The evening asked ("tänään illalla", "i morgon kväll", "tonight"): the day's
    #: activities from the late afternoon on (`EVENING_FROM`), never the word searched for.
    evening: bool = False
    #: A greeting or thanks with nothing else asked ("Hei", "Tack!", "Kiitos avusta"):
    #: "greeting" or "thanks", answered in kind (`answer_courtesy`).
    courtesy: Literal["greeting", "thanks"] | None = None


# Language markers: function words and the words the intents use. Folded (no diacritics),
# except that å and ä/ö are looked at on the raw text.
_LANG_WORDS: dict[Lang, frozenset[str]] = {
    "fi": _set("""on onko mita milloin miten missa mihin kuka kenelle kenen ja tai ei
        ensi taman talla viikolla viikon tanaan huomenna kirjasto kirjaston kirjastossa
        kirjastoon auki aukioloajat avoinna voiko saako voinko mina me meidan meilla
        yhdistys yhdistyksemme tila tilan tilaa varaan varata varaus jotain tapahtumia
        onpa kiinni suljettu paljonko maksaa hinta ilmaiseksi maksutta seniorit senioreille
        lapsille nuorille perheille viikonloppuna sunnuntaina lauantaina maanantaina
        tiistaina keskiviikkona torstaina perjantaina haluan puhua ihmisen kanssa osoite
        pyoratuolilla esteeton yhteystiedot puhelinnumero sahkoposti oli ollut ovat olivat"""),
    "sv": _set("""ar vad nar hur var vem finns det och eller inte nasta vecka veckan
        idag imorgon biblioteket bibliotek oppet oppen oppettider stangt kan jag vi var vart
        forening foreningen lokal lokalen boka bokar bokning nagot evenemang for pa i
        helgen sondag lordag mandag tisdag onsdag torsdag fredag gratis kostar pris
        seniorer barn unga familjer vill prata med en manniska adress rullstol
        tillganglig kontakt telefonnummer epost hander om till fanns"""),
    "en": _set("""is are what when how where who the a an and or not next week this
        today tomorrow library open opening hours closed can i we our my association
        room space stage book booking anything events event for on in at weekend sunday
        saturday monday tuesday wednesday thursday friday free cost price seniors
        children kids young families want talk to human person address wheelchair
        accessible contact phone email there going happening does do much was were
        what's whats tonight"""),
}


#: Greetings, thanks and short replies ("Kiitos", "Hej", "Tack!", "ok", "Thank you so
#: much"), folded: a message of these only tells no language to answer in, as a resident
#: greets or thanks in any of them; the conversation's (or the given) language is kept.
_COURTESY = _set("""kiitos kiitti kiitoksia kiitokset kii moi moikka hei heippa terve
    huomenta paivaa iltaa hyvaa paljon kovasti selva kiva okei joo jep
    hej hejsan hallo halla tack tackar sa mycket bra god morgon dag kvall
    hi hello hey thanks thank you so much very many good morning evening ok okay great
    fine cheers bye""")


#: A greeting as a message opens with it, folded ("Hei", "Hyvää päivää", "God morgon",
#: "Hello there"): its words are no search words ("Hello, what's on this weekend?" looked
#: for "hello"), and with nothing else asked it is answered with one (`courtesy_of`).
_GREETING = re.compile(
    r"^[\W_]*(?:(?:hyvaa\s+)?(?:huomenta|paivaa|iltaa)|hei(?:\s+hei)?|heippa|heissan|moi"
    r"|moikka|moro|morjens|morjes|terve|tervehdys|god\s+(?:morgon|dag|middag|kvall|afton)"
    r"|hej(?:san)?|hallo|halla|tjena(?:re)?|good\s+(?:morning|afternoon|evening|day)"
    r"|morning|hello|hiya|hi|hey)\b(?:[\s,!]+(?:kaikille|kaikki|alla|allihopa|there|all"
    r"|everyone))?\b")
#: Thanks, folded, wherever said ("Kiitos", "Tusen tack", "Thanks!"): no search words either.
_THANKS = _set("""kiitos kiitti kiitoksia kiitokset kiitoksen tack tackar tacksam thanks
    thank thx cheers""")
#: Words that go with thanks or a greeting and ask nothing ("kiitos avusta", "tack så
#: mycket för hjälpen", "thank you for your help"), beside the short replies
#: (`_COURTESY`): a message of these and thanks or a greeting is answered in kind.
_COURTESY_WITH = _set("""avusta avustasi vastauksesta vastauksista vastauksestasi tiedosta
    tiedoista tiedoistasi neuvosta neuvoista sinulle teille vaan vain tosi oikein todella
    suuri suuret tuhannet sydamellinen sydamelliset taas jalleen for hjalpen svaret svaren
    informationen dig er tusen stort hjartligt igen the your help answer answers info
    information a lot again all everyone there""")


def courtesy_of(folded: str, tokens: list[str]) -> Literal["greeting", "thanks"] | None:
    """Whether a message is a greeting or thanks and nothing else ("Hei", "Tack så mycket!",
    "Hei, kiitos avusta": thanks, as thanks answer a greeting too); None when it asks
    anything, or is another short reply ("ok", "selvä")."""
    opening = _GREETING.match(folded)
    greeted = frozenset(words(opening.group(0))) if opening else frozenset()
    thanked = bool(_THANKS & set(tokens))
    if not (greeted or thanked) or not all(
            t in greeted or t in _THANKS or t in _COURTESY or t in _COURTESY_WITH
            for t in tokens):
        return None
    return "thanks" if thanked else "greeting"


def greeting_words(folded: str, tokens: list[str]) -> frozenset[str]:
    """The words of a greeting opening the message and of thanks in it: no search words."""
    opening = _GREETING.match(folded)
    return (frozenset(words(opening.group(0))) if opening else frozenset()) | (
        _THANKS & frozenset(tokens))


def too_short_to_tell(tokens: list[str]) -> bool:
    """Whether a message is too short to tell its language: nothing but words of one or two
    letters ("a", "i", "on", "ok") and greetings or thanks (`_COURTESY`). A tester's
    single "a" (an English article to the word list) switched a Finnish conversation to
    English, and its "Kiitos" and "Tack!" were then answered in English."""
    return all(len(t) <= 2 or t in _COURTESY for t in tokens)


def detect_language(text: str, hint: Lang | None = None, reader: Lang | None = None) -> Lang:
    """The language the question is written in; `hint` (the page's language) when the
    words do not tell, else `reader` (the language the reader chose for the site) before
    Finnish: among the languages tied, as the reader's may not be one of them. A message
    too short to tell (`too_short_to_tell`) is in the language given or chosen, else
    Finnish, whatever its letters look like."""
    tokens = words(text)
    if too_short_to_tell(tokens):
        return hint or reader or "fi"
    scores: dict[Lang, float] = {lang: 0.0 for lang in LANGS}
    for token in tokens:
        for lang in LANGS:
            if token in _LANG_WORDS[lang]:
                scores[lang] += 1
        if re.search(r"(lla|lle|ssa|sta|lta|ksi|ssa|aan|een|iin)$", token) and len(token) > 5:
            scores["fi"] += 0.5
    raw = text.lower()
    if "å" in raw:
        scores["sv"] += 2
    if hint and not any(scores.values()):
        # No word of ours, only letters: "ä" and "ö" are German's too ("Wie spät ist es?"),
        # so the language asked for is answered in.
        return hint
    if re.search(r"[äö]", raw) and "å" not in raw:
        scores["fi"] += 0.5
    best = max(LANGS, key=lambda lang: scores[lang])
    if scores[best] == 0 or sorted(scores.values())[-2] == scores[best]:
        if hint:
            return hint
        if reader and scores[reader] == scores[best]:
            return reader
        return best if scores[best] else "fi"
    return best


def _has(tokens: list[str], *prefixes: str) -> bool:
    return any(t.startswith(p) for t in tokens for p in prefixes)


def _phrase(folded: str, *phrases: str) -> bool:
    return any(re.search(rf"(^|\W){re.escape(p)}(\W|$)", folded) for p in phrases)


_PERSON = ("ihmise", "ihmisel", "henkilon kanssa", "virkailij", "asiakaspalvelij",
           "manniska", "handlaggare", "human", "real person", "staff member", "agent",
           "someone", "joku", "jonkun")
#: Talking to a person ("talk to a person", "prata med en person"): "person" alone is no
#: such wish ("a talk about a person", "events for a person with a walker").
_TALK_TO_PERSON = re.compile(r"\b(talk|speak|chat|prata|tala)\w*\s+(to|with|med)\s+"
                             r"((a|an|en|some|any)\s+)?(person|somebody|nagon)\b")
#: Borrowing things (a drill, a sewing machine, a projector): the platform's data holds no
#: library loans, so such a question goes to the staff, never to the calendar's search.
_LENDING = ("laina", "lainat", "lainaks", "lana", "lanar", "lanas", "borrow", "lend", "loan")
#: A resident's own library loans (renewing, due dates, fines): the library system's, not in
#: any data the guide holds, and no question about what a venue lends. "My loans" and the
#: words of renewing and due dates; "uusin"/"uusia" (renew) only beside a word of lending,
#: as they are also "newest"/"new ones".
_OWN_LOANS = ("lainani", "lainojani", "uusimi", "uusimaan", "uusitta", "erapaiv",
              "myohastymismaks", "forlang", "fornya", "forfallodag", "forseningsavgift",
              "renew", "overdue")
_RENEW_WORDS = frozenset(("uusin", "uusia", "uusitaan"))
_OWN_LOANS_PHRASES = ("due date", "late fee", "my loans", "mina lan", "extend my loan")
_ACCESS = ("esteet", "pyoratuol", "hissi", "induktiosilmuk", "saavutettav", "rollaattor",
           "tillganglig", "rullstol", "hiss", "horslinga", "accessib", "wheelchair",
           "step-free", "step free", "elevator", "hearing loop", "ramp", "ramppi",
           # The English words the venues' own features are named by (`shared.accessibility`).
           "lift", "induction loop", "audio loop",
           # Everyday words: "handikapptoalett", "rörelsehindrad", "inva-wc", "invapaikka"
           # (never bare "inva": "invandrare").
           "handikapp", "rorelsehind", "invawc", "inva-wc", "invavess", "invapaik",
           "liikuntaestei")
#: Where it is, asked beside something else ("Missä Neulamäen kirjasto on ja pääseekö sinne
#: rollaattorilla?"): the address is said with that answer.
#: Swedish "var" is "where" only before a verb of being or finding ("var ligger", "var finns",
#: "var är", "var hittar jag", colloquial "vart ligger"): alone it is also "was" and "each".
_WHERE = re.compile(r"\bmissa\b|\bvart? ligger\b|\bvar (finns|ar|hittar)\b|\bwhere\b"
                    r"|\baddress|\badress|\bosoit")
#: A venue's kind as residents say it after its place ("Neulamäen kirjasto", "Neulamäki
#: bibliotek", "Neulamäki library"), inflected ("kirjastoon", "biblioteket").
_VENUE_WORDS = ("kirjasto", "bibliotek", "librar")
#: Words of asking where besides "where" itself ("var hittar jag", "where can I find",
#: "missä päin", "var ligger"): none of them a name to search for.
_WHERE_WORDS = frozenset(("ligger", "hittar", "kommer", "find", "pain", "located", "get"))
_LOCATION = ("missa on", "missa sijait", "sijaitsee", "osoite", "kartta", "miten paasee",
             "miten paasen", "var ligger", "vart ligger", "var finns",
             "hur kommer jag till", "hur tar jag mig", "hur tar man sig", "adress", "address",
             "where is",
             "located", "how do i get", "directions", "ajo-ohje", "vagbeskrivning")
_CONTACT = ("yhteystie", "yhteyshenkil", "puhelinnumero", "sahkoposti", "ota yhteytta",
            "kenelle voin", "keneen voin", "kenelle soitan", "koordinaattori", "kontakt",
            "telefonnummer", "e-post", "epost", "contact", "phone number", "email",
            "who do i ask", "who can i ask", "who do i call", "who should i", "coordinator",
            "vem kan jag", "vem ska jag", "kuka vastaa", "vem svarar", "vem ansvarar",
            "who is responsible", "responsible for",
            # Whom to get in touch with, as asked ("kehen otan yhteyttä", "keneen voin").
            "otan yhteytta", "voin ottaa yhteytta", "kehen otan", "kehen voin", "keneen otan")
#: Reaching a place by phone ("Hur når jag KANTTI per telefon?", "Miten tavoitan Jynkän
#: kirjaston?", "Can I call the library?"): a contact question when nothing else is looked
#: for beside them (`_reaches`). Word beginnings; the verbs whole words, as "soitto" is
#: also music and "ring" a circle. Swedish "nå" is read on the raw text ("når" folds to
#: "nar", which is also "när").
_REACH = ("puhelin", "puhelim", "tavoit", "telefon", "phone", "numero", "nummer", "number")
_REACH_WORDS = frozenset(("soittaa", "soitan", "soittamalla", "soitetaan",
                          "soittaisin", "soitella", "ringa", "ringer", "ring", "call",
                          "calling", "reach", "reaching"))
_REACH_PHRASES = ("per telefon", "by phone", "by telephone", "over the phone")
_NA = re.compile(r"\bnå(r)?\b")
#: Signing up for an activity ("ilmoittaudun", "anmäler", "sign up"): not a name to search.
_SIGN_UP = ("ilmoittau", "ilmoittaut", "anmal", "sign up", "signing up", "register",
            "registration", "enrol")
#: English "book" is a whole word ("book", "booked"; "booking" a prefix), not a prefix:
#: "books" are what a library lends.
_BOOKING = ("varaa", "varaan", "varata", "varaus", "varauks", "vuokra", "boka", "bokar",
            "bokning", "hyra", "booking", "reserve", "reservation", "rent")
#: Asking for permission ("Mistä saan luvan…", "Var får jag tillstånd…", "Where do I get
#: permission…"): to hold a meeting or an event in a space, that is booking it.
_PERMISSION = ("lupa", "luva", "tillstand", "permission", "permit")
#: Gatherings a permission is asked for, when no verb of holding one is there ("lupa
#: kokoukselle", "tillstånd för ett möte").
_GATHERING = ("kokou", "tilaisuu", "tapaami", "mote", "sammankomst", "meeting", "gathering")
_EVENTS = ("tapahtu", "tekemista", "ohjelmaa", "menoa", "toimintaa", "jotain", "kerho",
           "evenemang", "hander", "hande", "program", "aktivitet", "nagot", "event", "anything",
           "what's on", "whats on", "what is on", "activities", "happening", "happened",
           "going on", "what was on", "mita on", "mita tapahtuu", "vad hander", "vad finns")
#: Self-service hours in Swedish: "meröppet" as Finland's libraries (and booking) say it, and
#: Sweden's "meråbibliotek", which residents may still type.
_HOURS = ("omatoimi", "meroppet", "merabibliotek", "self-service", "auki", "aukiolo", "aukeaa",
          # "auke": spoken Finnish's "aukee", "aukeeko" (and so a typed "aukeo") too
          "aukea", "auke", "sulkeutuu", "suljettu", "kiinni",
          # "öppen" as well as "öppet": residents write the common gender of a "bibliotek"
          "avoinna", "oppet", "oppen", "oppettid", "oppna", "stanger", "stangt", "oppnar", "open",
          "opening", "hours", "close", "closed", "closes", "staffed", "bemann")
#: When staff are there: the staffed hours ("henkilökuntaa paikalla", "personal på plats").
_STAFFED = ("henkilokuntaa paikalla", "henkilokunta paikalla", "henkilokuntaa on paikalla",
            "personal pa plats", "staff on site", "staff there", "staff present")
_FREE = ("ilmai", "maksutta", "maksuton", "maksuttom", "gratis", "avgiftsfri", "free",
         "no charge", "without charge")
_PRICE = ("hinta", "maksaa", "maksullinen", "maksullis", "vuokra", "kostar", "pris",
          "avgift", "price", "cost", "fee", "paid", "paljonko")
_SPACES = ("lava", "lavaa", "lavalle", "lavalla", "lavalta", "sali", "salia", "salissa",
           "salista", "saliin", "kokoussal", "ryhmatil", "tila",
           "tilaa", "tilan", "scen", "scenen", "sal", "salen", "grupprum", "lokal",
           "lokalen", "motessal", "stage", "hall", "room", "space", "kohtaamo",
           # A room in everyday words ("kokoushuone", "huoneen", "mötesrum").
           "kokoushuon", "huone", "huoneen", "huonetta", "motesrum")
_USE = ("kayttaa", "kayttoon", "kaytta", "jarjestaa", "jarjestaisi", "pitaa", "anvanda",
        "ordna", "halla", "use", "hold", "organise", "organize", "run")

#: Verbs of having a celebration, whole words: a use of a space beside one ("Kan vi ha fest",
#: "Can we have a party", "throw a party").
_HAVE = frozenset(("ha", "have", "having", "throw"))
#: Celebrating said with a verb alone ("Får vi festa", "Saako kirjastossa juhlia", "Can we
#: party"): a use of a space as "ha fest" is, beside a word of being allowed or able ("juhlia"
#: and "party" are nouns too: "Onko juhlia tulossa?", "a party at KANTTI").
_CELEBRATE = frozenset(("festa", "festar", "juhlia", "juhlimaan", "juhlistaa", "party",
                        "celebrate"))
_MAY = frozenset(("far", "kan", "kunde", "saako", "saanko", "saammeko", "voiko", "voinko",
                  "voimmeko", "can", "could", "may"))
#: A question word and a verb of being, which with a time ask what is or was on.
_WHAT = frozenset(("mita", "vad", "what", "what's", "whats"))
#: Asking whether there is something or where, before what is looked for ("onko joogaa",
#: "löytyykö", "finns det yoga", "var är det", "is there", "any yoga"): whole words. Not
#: "do you have" / "har ni": as often a service as an activity ("Do you have free parking?").
_IS_THERE = frozenset(("onko", "onkos", "loytyyko", "jarjestetaanko", "mista", "missa",
                       "milloin", "any"))
_IS_THERE_PHRASES = ("finns det", "ar det", "blir det", "ordnas det", "var kan jag",
                     "is there", "are there", "where can i", "when is")
_BEING = frozenset(("on", "oli", "ollut", "ovat", "olivat", "ar", "var", "finns", "fanns",
                    "is", "was", "are", "were", "what's", "whats"))

#: A library's facilities residents ask after ("Missä on vessa?", "Onko kirjastossa wifi?",
#: "Var finns garderoben?", "Where can I park?"): no activity, so never searched for in the
#: calendar ("Kalenterissa ei ole nyt vessa" was said). Word beginnings, whole words (a
#: trailing space) and phrases, as `_match` reads them. A lift and accessibility are the
#: accessibility answer's (`_ACCESS`), which has the venue's own words for them. Not bare
#: "kahvi"/"coffee"/"kaffe": the calendar has a "Kyläkahvit", "Village coffee", "Bykaffe";
#: coffee is the café only beside a library (`_asks_coffee_at_a_library`).
FACILITIES: dict[str, tuple[str, ...]] = {
    "toilet": ("vessa", "wc", "toalett", "toilet", "kaymala", "restroom", "bathroom",
               "lavator", "toa ", "loo "),
    "parking": ("pysakoi", "parkki", "parkkee", "parker", "parking", "park ", "autopaik",
                "bilplats", "cykelparker", "pyoraparkki", "pyoratelin", "car park"),
    "cloakroom": ("narikk", "naulak", "garderob", "cloakroom", "cloak room", "coat check",
                  "lokero", "forvaringsskap", "forvaringsbox", "locker"),
    "cafe": ("kahvila", "kahvio", "kafe", "cafe", "kafeteri", "coffee shop"),
    "wifi": ("wifi", "wi-fi", "wlan", "langaton", "langattom", "tradlos", "nettiyhte",
             "verkkoyhte", "internet ", "wireless"),
}

#: The rules of using the spaces asked after ("käyttösäännöt", "sääntöjä", "regler",
#: "ordningsregler", "rules", "policy"): word beginnings, or a part of a compound.
_RULE_PARTS = ("saanto", "saanno", "regel", "regler", "regeln")
_RULE_WORDS = ("rule", "policy", "policies", "regl")
#: Matters the rules answer, asked with a word of being allowed: "alcohol" (the house rules:
#: substance-free), "food" (the rules say nothing of it, the staff can tell).
RULE_MATTERS: dict[str, tuple[str, ...]] = {
    "alcohol": ("alkoho", "paihde", "paihte", "paihtee", "viini", "viinia", "olut", "olutta",
                "oluen", "kalja", "kuohuvi", "alkohol", "sprit", "vin ", "vinet", "ol ",
                "drog", "alcohol", "wine", "beer", "booze", "drug"),
    "food": ("syoda", "syo ", "syodaan", "syominen", "syomaan", "ruokaa", "ruoan", "ruuan",
             "evas", "evaat", "evaita", "tarjoilu", "tarjoilla", "kahvitarjoil", "ata ",
             "atas", "maten", "matsack", "fika", "fikat", "eat ", "eating", "food",
             "snack", "juoda", "dricka"),
}
#: Words of being allowed, beside a matter of the rules ("onko sallittua", "är det
#: tillåtet", "is it allowed", "kielletty").
_ALLOWED = ("sallit", "kielle", "luvallis", "tillat", "tillatet", "forbjud", "allowed",
            "permitted", "forbidden")

#: A space named as residents say it, by how a word ends (compounds: "kokoustilaa",
#: "ryhmätila", "juhlasalin", "mötesrummet", "grupprum"): a question whether a library has
#: one is about its spaces. Not "tilaisuus" (an event) nor "tilaan" (I order).
_SPACE_ENDINGS = ("tila", "tilaa", "tilan", "tilat", "tiloja", "tiloissa", "tilassa",
                  "tilasta", "tiloista", "tiloihin", "tilojen", "sali", "salia", "salin",
                  "salit", "saleja", "salissa", "huone", "huonetta", "huoneen", "huoneita",
                  "rum", "rummet", "rummen", "lokal", "lokalen", "lokaler", "lokalerna",
                  "salen")
_SPACE_NOUNS = frozenset(("sal", "salar", "room", "rooms", "hall", "halls", "space",
                          "spaces", "lava", "lavaa", "lavoja", "scen", "scenen", "stage",
                          "stages"))
#: Words beside a space that name no other thing to look for ("meeting room", "kokoustila",
#: "group room", "quiet room", "ryhmätila").
_SPACE_FILLER = ("kokou", "meeting", "mote", "group", "ryhma", "grupp", "study", "quiet",
                 "rauhal", "does", "have", "has", "your", "teill", "loyt", "mita", "mitka",
                 "which", "what", "vilka", "vilken", "any",
                 # Free to book ("vapaita tiloja", "ledig lokal", "rooms available"): its
                 # free times are on the booking page the answer links.
                 "vapa", "ledig", "availab")


def _space_noun(token: str) -> bool:
    return token in _SPACE_NOUNS or (
        token.endswith(_SPACE_ENDINGS) and not token.startswith("tilai")
        and token not in ("tilata", "tilaan", "lokalhist"))


#: Who organises. "party" is a political party: English "party" alone is a celebration
#: ("private"), Swedish "parti" a political one ("fest", "kalas" its celebrations).
ORGANISER_TYPES: dict[str, tuple[str, ...]] = {
    "party": ("puolue", "poliittinen", "poliittis", "vaalitilaisuu", "parti ", "partie",
              "politisk", "political", "election"),
    "religious": ("uskonnol", "seurakun", "kirkko", "kirkon", "religios", "forsamling",
                  "kyrka", "religious", "church", "congregation", "parish"),
    "commercial": ("yritys", "yrityk", "kaupalli", "firma", "foretag", "kommersiell",
                   "company", "commercial", "business"),
    "association": ("yhdistys", "yhdistyk", "jarjesto", "seura ", "forening", "organisation",
                    "association", "club", "society", "ngo"),
    "resident": ("asukas", "asukkaana", "yksityishenkil", "invanare", "privatperson",
                 "resident", "private person", "individual"),
    #: A private celebration (a birthday, a wedding): seed 001 allows private events only in
    #: KANTTI's paid spaces, so it is answered by those rules, never by a party's.
    "private": ("juhla", "juhlat", "juhlia", "juhliin", "juhlien", "syntymapaiv", "synttar",
                "yksityistilaisuu", "yksityisjuhl", "haat ", "kalas", "fodelsedag", "fest ",
                "festen", "fester ", "festa ", "festar ", "privat", "private", "birthday",
                "wedding", "party ", "parties", "brollop"),
}

#: The language an activity is held in, as asked: a Finnish adverb or adjective, a Swedish or
#: English phrase. Its words are no search words (no event is named "English").
SPOKEN: dict[str, tuple[str, ...]] = {
    "en": ("englanniksi", "englanninkiel", "pa engelska", "engelsksprak", "in english",
           "english-language", "english speaking", "english-speaking"),
    "sv": ("ruotsiksi", "ruotsinkiel", "pa svenska", "svensksprak", "in swedish",
           "swedish-language", "swedish speaking", "swedish-speaking"),
    "fi": ("suomeksi", "suomenkiel", "pa finska", "finsksprak", "in finnish",
           "finnish-language", "finnish speaking", "finnish-speaking"),
}
_SPOKEN_WORDS = ("englann", "engelsk", "english", "ruotsi", "svensk", "swedish", "suomeksi",
                 "suomenkiel", "finsk", "finnish")


#: Families' drop-in activities named with an hours word in them: Swedish "öppen förskola"
#: (open pre-school), Finnish "avoin päiväkoti", English "open pre-school". The activity,
#: for families, never a question of opening hours.
_FAMILY_ACTIVITY = re.compile(r"\b(?:oppen|oppna|oppet)\s+forskol\w*|\bavoi\w*\s+paivako[td]\w*"
                              r"|\bopen\s+pre-?school\w*")

AUDIENCES: dict[str, tuple[str, ...]] = {
    "seniors": ("senior", "ikaantyn", "ikaihmis", "elakelai", "aldre", "pensionar",
                "elderly", "older people", "retired"),
    "children": ("lapsi", "lapsil", "lasten", "lapset", "barn", "child", "kids", "kid "),
    "families": ("perhe", "perhei", "barnfamilj", "familj", "famil"),
    "youth": ("nuori", "nuoril", "nuorte", "nuoret", "unga", "ungdom", "youth", "teen",
              "young people"),
    "foreign_language": ("maahanmuutt", "vieraskiel", "invandrar", "immigrant",
                         "foreign-language"),
}

TOPICS: dict[str, tuple[str, ...]] = {
    "exercise": ("liikun", "jumppa", "jumpp", "tuolijump", "motion", "gymnastik", "exercise",
                 "sport", "gym"),
    "music": ("musiik", "laulu", "kuoro", "musik", "sang", "music", "singing", "choir"),
    "culture": ("kulttuur", "kultur", "culture", "art ", "taide"),
    "crafts": ("askarte", "kasityo", "neulo", "pyssel", "hantverk", "stick", "craft",
               "knitting"),
    "games": ("peli", "pelit", "pelaa", "spel", "game", "board game"),
    "digital_skills": ("digi", "tietokone", "kannykka", "alypuhel", "dator", "smartphone",
                       "computer", "digital"),
    "stories": ("satu", "satutunti", "tarina", "lukupiiri", "saga", "sago", "berattel",
                "lasecirk",
                "story",
                "stories", "reading"),
    "nature": ("luonto", "natur", "nature", "retki", "hike"),
    "food": ("ruoka", "kokkaus", "mat ", "matlag", "food", "cooking"),
    "discussion": ("keskustel", "diskussion", "samtal", "discussion", "debate", "talk"),
}

#: Words that name no event to search for: function words, times, and the city's own words
#: ("the city centre", "kaupungin keskustassa", "stadens centrum" name the area Keskusta).
_STOP = _set("""mita on onko jotain mina me meidan ensi viikolla viikon taman talla ja tai
    kirjasto kirjastossa kirjaston loytyyko tapahtumia tapahtuma tapahtumaa for the is are
    there anything any what whats on in at this next week weekend today tomorrow vad finns
    det nagot pa i nasta vecka idag imorgon helgen hander events event program programmet
    nyt now nu onpa ohjelmaa tulossa tulevia tulevat tuleva coming upcoming kommande vilka
    vilken vilket which viime edellisella forra last eilen igar yesterday manaden manad month
    toissapaivana forrgar oliko edellisena edellisen past previous veckans veckas
    viikonloppuna vuoden vuonna kuussa kuun
    viimeisena viimeinen viimeisen viimeista sista ensimmaisena ensimmainen forsta first
    toisena kolmantena neljantena viidentena viides andra tredje fjarde femte second third
    fourth fifth final
    between mellan from fran till until through valisena valilla valisella aikana
    city town central kaupungin kaupungissa kaupunki stadens staden helg""")


_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "fi": ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai",
           "sunnuntai"),
    "sv": ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"),
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}
_MONTHS: dict[str, int] = {}
for _i, (_fi, _fi_gen, _sv, _en) in enumerate((
        ("tammikuu", "tammikuuta", "januari", "january"),
        ("helmikuu", "helmikuuta", "februari", "february"),
        ("maaliskuu", "maaliskuuta", "mars", "march"),
        ("huhtikuu", "huhtikuuta", "april", "april"),
        ("toukokuu", "toukokuuta", "maj", "may"),
        ("kesakuu", "kesakuuta", "juni", "june"),
        ("heinakuu", "heinakuuta", "juli", "july"),
        ("elokuu", "elokuuta", "augusti", "august"),
        ("syyskuu", "syyskuuta", "september", "september"),
        ("lokakuu", "lokakuuta", "oktober", "october"),
        ("marraskuu", "marraskuuta", "november", "november"),
        ("joulukuu", "joulukuuta", "december", "december")), start=1):
    for _name in (_fi, _fi_gen, _sv, _en, _en[:3]):
        _MONTHS.setdefault(_name, _i)

def _days(first: date, count: int = 1) -> tuple[date, date]:
    return first, first + timedelta(days=count - 1)


#: Holidays and the days residents mean by them, per year: (first, last). Whole words
#: "joulu" (and "jul", "Christmas") mean the Christmas days, 24–26 December.
_HOLIDAY_DAYS: dict[str, Callable[[int], tuple[date, date]]] = {
    "independence_day": lambda y: _days(date(y, 12, 6)),
    "christmas_eve": lambda y: _days(date(y, 12, 24)),
    "christmas_day": lambda y: _days(date(y, 12, 25)),
    "boxing_day": lambda y: _days(date(y, 12, 26)),
    "christmas": lambda y: _days(date(y, 12, 24), 3),
    "new_years_eve": lambda y: _days(date(y, 12, 31)),
    "new_years_day": lambda y: _days(date(y, 1, 1)),
    "new_year": lambda y: (date(y - 1, 12, 31), date(y, 1, 1)),
    "epiphany": lambda y: _days(date(y, 1, 6)),
    "good_friday": lambda y: _days(easter(y) - timedelta(days=2)),
    "easter_monday": lambda y: _days(easter(y) + timedelta(days=1)),
    "easter_sunday": lambda y: _days(easter(y)),
    "easter": lambda y: _days(easter(y) - timedelta(days=2), 4),
    "ascension": lambda y: _days(easter(y) + timedelta(days=39)),
    "pentecost": lambda y: _days(easter(y) + timedelta(days=49)),
    "may_day": lambda y: (date(y, 4, 30), date(y, 5, 1)),
    "midsummer_eve": lambda y: _days(midsummer_day(y) - timedelta(days=1)),
    "midsummer": lambda y: _days(midsummer_day(y) - timedelta(days=1), 3),
    "all_saints": lambda y: _days(all_saints_day(y)),
}
#: The words for them, most specific first: folded word beginnings (Finnish inflects:
#: "jouluaattona", "juhannuksena", "pääsiäisenä") and, with a space, folded phrases.
_HOLIDAY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("independence_day", ("itsenaisyyspaiv", "sjalvstandighetsdag", "independence day")),
    ("christmas_eve", ("jouluaat", "julafton", "christmas eve")),
    # "toinen joulupäivä" is Boxing Day: before "joulupäivä" itself.
    ("boxing_day", ("toinen joulupaiva", "toisena joulupaivana", "2. joulupaiva",
                    "2. joulupaivana", "2. joulupaivaksi")),
    ("christmas_day", ("joulupaiv", "juldag", "christmas day")),
    ("boxing_day", ("tapaninpaiv", "tapanina", "annandag jul", "boxing day",
                    "st stephen's day")),
    ("new_years_eve", ("uudenvuodenaat", "nyarsafton", "new year's eve", "new years eve")),
    ("new_years_day", ("uudenvuodenpaiv", "nyarsdag", "new year's day", "new years day")),
    ("epiphany", ("loppiai", "trettondag", "epiphany")),
    ("good_friday", ("pitkaperjantai", "langfredag", "good friday")),
    ("easter_monday", ("toinen paasiaispaiva", "toisena paasiaispaivana",
                       "2. paasiaispaiva", "2. paasiaispaivana", "annandag pask",
                       "easter monday")),
    ("easter_sunday", ("paasiaispaiv", "paskdag", "easter sunday", "easter day")),
    ("easter", ("paasiai", "pask", "easter")),
    ("ascension", ("helatorstai", "kristi himmelsfardsdag", "himmelsfard", "ascension")),
    ("pentecost", ("helluntai", "pingst", "pentecost", "whitsun", "whit sunday")),
    ("may_day", ("vappu", "vapun", "valborg", "forsta maj", "may day")),
    ("midsummer_eve", ("juhannusaat", "midsommarafton", "midsummer eve")),
    ("midsummer", ("juhannu", "midsommar", "midsummer")),
    ("all_saints", ("pyhainpaiv", "alla helgons", "all saints")),
    ("christmas", ("joulu", "julen", "julhelg", "jul ", "christmas", "xmas")),
    ("new_year", ("uusivuosi", "uutenavuote", "uutena vuotena", "uudeksi vuodeksi", "uuden vuoden",
                  "uudenvuoden", "nyar", "new year")),
)


def _holiday_named(tokens: list[str], folded: str) -> str | None:
    """The holiday the question names, if any (not "joulukuu", December)."""
    for key, names in _HOLIDAY_WORDS:
        for name in names:
            word = name.strip()
            if " " in word:
                hit = _phrase(folded, word)
            elif name.endswith(" "):
                hit = word in tokens  # a whole word ("jul", not "juli")
            else:
                hit = any(t.startswith(word) and not t.startswith("joulukuu") for t in tokens)
            if hit:
                return key
    return None


def holiday_period(tokens: list[str], folded: str, today: date) -> Period | None:
    """The coming (or current) days of the holiday the question names; asked in the past
    tense ("Mitä oli itsenäisyyspäivänä?", "Var det öppet på julafton?") its latest days up
    to today, as a Sunday of Advent, never the coming ones."""
    key = _holiday_named(tokens, folded)
    if key is None:
        return None
    if asked_in_past(tokens, folded):
        for year in (today.year, today.year - 1, today.year - 2):
            first, last = _HOLIDAY_DAYS[key](year)
            if first <= today:
                return Period(first, min(last, today), "day" if first == last else "holiday")
        return None
    for year in (today.year, today.year + 1, today.year + 2):
        first, last = _HOLIDAY_DAYS[key](year)
        if last >= today:
            return Period(max(first, today), last, "day" if first == last else "holiday")
    return None


def advent_sunday(year: int, nth: int) -> date:
    """The year's `nth` (1–4) Sunday of Advent: the first is the fourth Sunday before
    Christmas Day (27.11.–3.12.), the fourth the last Sunday before it (a Christmas Day on a
    Sunday: the one a week before), the others a week apart."""
    christmas = date(year, 12, 25)
    fourth = christmas - timedelta(days=christmas.isoweekday() % 7 or 7)
    return fourth - timedelta(weeks=4 - nth)


#: Which Sunday of Advent, by its ordinal word or number ("ensimmäisenä", "2.", "andra",
#: "3rd"); the last is the fourth.
_ADVENT_NTH: tuple[tuple[int, str], ...] = (
    (1, r"ensimmai\w*|1\.|forsta|1:a|first|1st"),
    (2, r"toinen|toise\w*|2\.|andra|2:a|second|2nd"),
    (3, r"kolmas|kolmante\w*|3\.|tredje|3:e|third|3rd"),
    (4, r"neljas|neljante\w*|4\.|fjarde|4:e|fourth|4th|viimei\w*|sista|last|final"),
)
#: A Sunday of Advent as residents say it: "ensimmäisenä adventtisunnuntaina", "toisena
#: adventtina", "adventtina" (the first), "första advent", "andra söndagen i advent",
#: "adventssöndagen", "the first Sunday of Advent", "Advent Sunday", with perhaps its year.
#: Never a compound ("Adventtikonsertti", "Adventskonsert") nor "the Advent concert".
_ADVENT = re.compile(
    rf"(?:(?<![\w.])(?P<nth>{'|'.join(w for _, w in _ADVENT_NTH)})\s+)?(?:the\s+)?"
    r"(?P<sunday_of>(?:sunday|sondagen)\s+(?:of|in|i)\s+)?"
    r"\b(?P<word>adventti(?:na|a)?|adventtisunnuntai\w*|adventssondag\w*|advent)\b"
    r"(?P<sunday>\s+sunday)?(?:,?\s+(?:vuonna\s+)?(?P<year>\d{4})(?!\d))?")
#: Words of the past ("oli", "fanns", "hände", "was"): a day named by the church year is
#: then the latest one, not the coming one.
_PAST_TENSE = frozenset(("oli", "olivat", "ollut", "oliko", "olivatko", "tapahtui", "fanns",
                         "hande", "hade", "was", "were", "happened"))
#: Swedish "var" is both "was" and "where": it is "was" before a state ("Var KANTTI öppet",
#: "var det stängt"), never with a verb of its own ("Var ligger KANTTI?", "Var finns det
#: öppet?").
_SV_PRESENT = r"(?:ar|finns|ligger|har|kan|far|hittar|ska|blir)\b"
_SV_WAS = re.compile(r"\bvad var\b|\bvar\b(?:\s+(?!" + _SV_PRESENT + r")[\w-]+){0,4}?\s+"
                     r"(?:oppe[nt]|oppna|stang[dt]a?)\b")


def asked_in_past(tokens: list[str], folded: str) -> bool:
    """Whether the question asks about the past ("oli", "hände", "was", "var … öppet")."""
    return bool(_PAST_TENSE & set(tokens)) or _SV_WAS.search(folded) is not None


def _advent_named(folded: str) -> tuple[re.Match[str], int] | None:
    """The Sunday of Advent the question names (its match and which, 1–4), if any: a
    Finnish word of its own ("adventtina", "adventtisunnuntaina", "adventssöndagen"), or
    "advent" with an ordinal or a Sunday ("första advent", "Sunday of Advent")."""
    for found in _ADVENT.finditer(folded):
        word = found.group("word")
        if word == "advent" and not (found.group("nth") or found.group("sunday_of")
                                     or found.group("sunday")):
            continue  # "the Advent concert", "under advent": no one day
        nth_word = found.group("nth")
        nth = next((n for n, pattern in _ADVENT_NTH if re.fullmatch(pattern, nth_word)),
                   1) if nth_word else 1
        return found, nth
    return None


def advent_period(text: str, tokens: list[str], folded: str,
                  today: date) -> tuple[Period | None, DateProblem | None] | None:
    """The Sunday of Advent asked about: that year's with a year, else the coming one (today
    included), or asked in the past tense ("Mitä oli ensimmäisenä adventtina?") the latest
    one up to today. Computed from Christmas Day, never listed. None when none is named."""
    named = _advent_named(folded)
    if named is None:
        return None
    found, nth = named
    if found.group("year"):
        if int(found.group("year")) < 1:  # "year 0000": as "1.12.0000", no such day
            return None, DateProblem("no_such_date", _said(text, folded, found))
        day = advent_sunday(int(found.group("year")), nth)
    elif asked_in_past(tokens, folded):
        day = advent_sunday(today.year, nth)
        if day > today:
            day = advent_sunday(today.year - 1, nth)
    else:
        day = advent_sunday(today.year, nth)
        if day < today:
            day = advent_sunday(today.year + 1, nth)
    return Period(day, day), None


def _next_on_or_after(today: date, month: int, day: int) -> date | None:
    """The next such day from today, this year's or a coming one's (29 February: the next
    leap year's); None when no year has it (30 February, 31 April)."""
    for year in range(today.year, today.year + 5):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


#: A date as Finns write it, "6.12.", "6.12.2026", "6.12.26"; and a range of them,
#: "5.12.-10.12.2026", "5.–10.12.", "28.12.2026–3.1.2027".
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.?(\d+)?(?![\d])")
_NUMERIC_RANGE = re.compile(r"(?<![\d.])(\d{1,2})\.(?:(\d{1,2})\.?)?(\d+)?\s*[-–—]\s*"
                            r"(\d{1,2})\.(\d{1,2})\.?(\d+)?(?![\d])")
#: A date with slashes and its year, "25/12/2026", "12/25/2026"; never without the year:
#: "24/7" (open round the clock) and "1/2" are no dates.
_SLASH_DATE = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})/(\d{4,}|\d{2})(?![\d/])")
_CLOCK_WORDS = ("klo", "kello", "kl", "at")


#: A year after a day and month, or after a month: "6. joulukuuta 2027", "December 9th, 2027".
_YEAR_AFTER = r"(?:,?\s+(?:of\s+)?(\d{4})(?!\d))?"


def _month_year(folded: str, word: str) -> re.Match[str] | None:
    """A year typed beside the month `word`: after it ("joulukuussa 2027", "i december
    2027", "December of 2027") or, in Finnish, before it ("vuoden 2027 joulukuussa")."""
    found = re.search(rf"(?:\bvuoden\s+(\d{{4}})\s+)?(?<!\w){re.escape(word)}(?!\w)"
                      rf"(?:,?\s+(?:of\s+|vuonna\s+)?(\d{{4}})(?!\d))?", folded)
    return found if found and (found.group(1) or found.group(2)) else None


def _said(text: str, folded: str, found: re.Match[str]) -> str:
    """What the resident typed where `found` matched the folded text (the same length when
    folding only dropped accents, as it does for Finnish and Swedish letters)."""
    source = text if len(text) == len(folded) else folded
    return source[found.start():found.end()].strip()


def _year(digits: str | None) -> int | None:
    """A typed year: "26" is 2026, four digits as they are; None when none was typed."""
    if not digits:
        return None
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _a_month(month: int) -> bool:
    """Numbers with a month are meant as a date, if not always one ("32.12."); a clock time
    ("18.30") has none."""
    return 1 <= month <= 12


def _at_clock(folded: str, found: re.Match[str]) -> bool:
    before = folded[:found.start()].split()
    return bool(before) and before[-1] in _CLOCK_WORDS


#: A clock time to a full hour, "9.10–11": no date is written so.
_CLOCK_TO_HOUR = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})\s*[-–—]\s*(\d{1,2})(?!\d|\.\d)")


def _as_clock(found: re.Match[str], hour: int, minutes: int, year: int) -> tuple[bool, bool]:
    """Whether one side of a typed pair (the numbers of its groups) is written as a clock
    time, H.MM (two-digit minutes, no full stop after them, no year), and whether it can
    only be one: its minutes are no month ("11.00", "9.30") or written as none is ("9.05")."""
    minute_s = found.group(minutes)
    if (minute_s is None or len(minute_s) != 2 or found.group(year)
            or found.string[found.end(minutes):found.end(minutes) + 1] == "."
            or int(found.group(hour)) > 24 or int(minute_s) > 59):
        return False, False
    return True, minute_s.startswith("0") or not _a_month(int(minute_s))


def _clock_range(found: re.Match[str]) -> bool:
    """A `_NUMERIC_RANGE` pair that is a span of clock times, not of dates: its end can be
    no date ("9.10–11.00", "9.–11.30"), or both ends are clock times and one can only be
    ("9.30–10.10"). "5.12–10.12" stays dates: Finns write yearless dates so."""
    first, first_only = _as_clock(found, 1, 2, 3)
    last, last_only = _as_clock(found, 4, 5, 6)
    return last and (not _a_month(int(found.group(5))) or (first and (first_only or last_only)))


def _without_clock_ranges(folded: str) -> str:
    """The folded text with its spans of clock times ("9.10–11.00", "klo 9.10–11.10",
    "9.10–11") masked, at the same length, so that no date rule reads either end as a date
    (9 October). The guide answers about days, not times of day: the question's other words
    (a weekday, a date) say which day."""
    spans = [found.span() for found in _NUMERIC_RANGE.finditer(folded)
             if _at_clock(folded, found) or _clock_range(found)]
    for start, end in spans:
        folded = folded[:start] + "#" * (end - start) + folded[end:]
    for found in _CLOCK_TO_HOUR.finditer(folded):
        hour, minutes, to_hour = (int(n) for n in found.groups())
        if hour <= 24 and minutes <= 59 and to_hour <= 24:
            start, end = found.span()
            folded = folded[:start] + "#" * (end - start) + folded[end:]
    return folded


#: The longest span a yearless range that ends before it starts is read as running over New
#: Year ("20.12.-6.1."): about three months, the winter. Longer ("10.2.-5.1.", eleven
#: months) it is more likely typed backwards, and said so.
MAX_NEW_YEAR_DAYS = 92


def _over_new_year(first: date, last: date, move_first: bool) -> tuple[date, date]:
    """A range typed without one of its years that ends before it starts, over New Year (the
    start a year back, or the end a year on, whichever year was not typed) when that makes
    a span of the winter (`MAX_NEW_YEAR_DAYS`); else as typed, backwards."""
    try:
        rolled = ((first.replace(year=first.year - 1), last) if move_first
                  else (first, last.replace(year=last.year + 1)))
    except ValueError:  # 29 February in a year without one
        return first, last
    return rolled if (rolled[1] - rolled[0]).days <= MAX_NEW_YEAR_DAYS else (first, last)


#: A day and a month by its name, "10 December", "10. joulukuuta", "December 10th", with
#: perhaps its year: written as "10.12." so that ranges of them read as the numeric ones.
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([a-z]+)" + _YEAR_AFTER)
_MONTH_DAY = re.compile(r"\b([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?\b" + _YEAR_AFTER)
#: One end of a range: a day alone ("5", "5.", "5th", its month the other end's) or a date.
_RANGE_END = r"\d{1,2}(?:st|nd|rd|th|\.(?:\d{1,2}\.?(?:\d{4}|\d{2})?)?)?"
_NUMERIC_END = r"\d{1,2}\.\d{1,2}\.?(?:\d{4}|\d{2})?"
_ORDINAL_END = re.compile(r"(?:st|nd|rd|th|\.)$")
#: Ranges said in words: "between X and Y", "mellan X och Y", "X ja Y välisenä aikana",
#: "(from) X to Y", "(från) X till Y", and a day before a dash ("5-10.12.", once "10
#: December" is "10.12.").
_WORDED_RANGES = (
    re.compile(rf"\b(?:between|mellan)\s+({_RANGE_END})\s+(?:and|och)\s+({_NUMERIC_END})"),
    re.compile(rf"\b({_RANGE_END})\s+(?:ja|-|–|—)\s+({_NUMERIC_END})\s+"
               r"(?:valisena|valilla|valisella)\b"),
    re.compile(rf"\b({_RANGE_END})\s+(?:to|till|until|through|thru)\s+({_NUMERIC_END})"),
    re.compile(rf"(?<![\d.])(\d{{1,2}}(?:st|nd|rd|th)?)\s*[-–—]\s*({_NUMERIC_END})"),
)


def _ranges_as_numbers(folded: str) -> str:
    """The folded text with its days of named months written as numbers and its ranges said
    in words written with a dash, so that "5-10 December", "from 20 December to 6 January"
    and "28.12. ja 3.1. välisenä aikana" are the range "5.–10.12." is, not one of its ends."""
    def numeric(day: str, month_word: str, year: str | None, whole: str) -> str:
        month = _MONTHS.get(month_word)
        return f"{int(day)}.{month}.{year or ''}" if month else whole

    out = _DAY_MONTH.sub(lambda m: numeric(m[1], m[2], m[3], m[0]), folded)
    out = _MONTH_DAY.sub(lambda m: numeric(m[2], m[1], m[3], m[0]), out)
    for pattern in _WORDED_RANGES:
        out = pattern.sub(lambda m: f"{_ORDINAL_END.sub('', m[1])}.–{m[2]}", out)
    return out


def _numeric_dates(text: str, f: str,
                   today: date) -> tuple[Period | None, DateProblem | None] | None:
    """A typed date or range of dates, or what is wrong with it; None when none is typed."""
    ranged = _ranges_as_numbers(f)
    for found in _NUMERIC_RANGE.finditer(ranged):
        d1, m1_s, y1_s, d2, m2, y2_s = found.groups()
        first_day, last_day, last_month = int(d1), int(d2), int(m2)
        first_month = int(m1_s) if m1_s else last_month
        if _at_clock(ranged, found) or not (_a_month(first_month) and _a_month(last_month)):
            continue
        said = _said(text, ranged, found)
        y1, y2 = _year(y1_s), _year(y2_s)
        if any(y is not None and y > 9999 for y in (y1, y2)):
            return None, DateProblem("out_of_range", said, is_range=True)
        # The year a range without one is in: the end's (its next coming day), and the
        # start's the same; over New Year ("28.12.-3.1.") the start's the year before.
        try:
            if y2 is not None:
                last = date(y2, last_month, last_day)
            elif y1 is not None:
                last = date(y1, last_month, last_day)
            else:
                found_last = _next_on_or_after(today, last_month, last_day)
                if found_last is None:
                    raise ValueError("no such day")
                last = found_last
            first = date(y1 if y1 is not None else last.year, first_month, first_day)
        except ValueError:
            return None, DateProblem("no_such_date", said, is_range=True)
        if first > last and (y1 is None or y2 is None):
            first, last = _over_new_year(first, last, y1 is None)
        if first > last:
            return None, DateProblem("reversed", said, last, first, is_range=True)
        return Period(first, last, "day" if first == last else "range", said=said), None
    for found in _NUMERIC_DATE.finditer(f):
        day, month, year = int(found.group(1)), int(found.group(2)), _year(found.group(3))
        if _at_clock(f, found):
            continue
        if not _a_month(month):
            if found.group(3):  # "99.99.2026": meant as a date by its year, and none is
                return None, DateProblem("no_such_date", _said(text, f, found))
            continue
        said = _said(text, f, found)
        if year is not None and year > 9999:
            return None, DateProblem("out_of_range", said)
        try:
            found_day = date(year, month, day) if year is not None else _next_on_or_after(
                today, month, day)
        except ValueError:
            found_day = None
        if found_day is None:
            return None, DateProblem("no_such_date", said)
        return Period(found_day, found_day, said=said), None
    for found in _SLASH_DATE.finditer(f):
        one, two, year = int(found.group(1)), int(found.group(2)), _year(found.group(3)) or 0
        said = _said(text, f, found)
        if year > 9999:
            return None, DateProblem("out_of_range", said)
        # Day first, as Finns, Swedes and the British write it; month first (as in the US)
        # only when the second can be no month and the first can: "12/25/2026".
        day, month = (two, one) if _a_month(one) and not _a_month(two) else (one, two)
        try:
            found_day = date(year, month, day)
        except ValueError:  # "31/02/2026", "13/13/2026", "2/30/2026", "1/1/0000"
            return None, DateProblem("no_such_date", said)
        return Period(found_day, found_day, said=said), None
    return None


def _weekday_named(tokens: list[str], folded: str) -> int | None:
    """The weekday (0 = Monday) the question names, in any of the languages."""
    for lang in LANGS:
        for index, name in enumerate(_WEEKDAYS[lang]):
            if any(t.startswith(name) for t in tokens) or (
                    lang == "en" and _phrase(folded, name[:3])):
                return index
    return None


def _past_weekday_named(folded: str) -> int | None:
    """The weekday (0 = Monday) the question names as a past one: "viime lauantaina",
    "edellisenä lauantaina", "i lördags", "förra lördagen", "last Saturday", "this past
    Saturday", "the previous Saturday"; never "the last Saturday" (of a month) nor
    "viimeisenä lauantaina"."""
    for index in range(7):
        fi, sv, en = (_WEEKDAYS[lang][index] for lang in ("fi", "sv", "en"))
        day = rf"(?:{en}|{en[:3]})\b"  # "Saturday", "Sat"; never "last month"
        if re.search(rf"\b(?:viime|edellisena)\s+{fi}", folded) or re.search(
                rf"\bi\s+{sv}s\b|\bforra\s+{sv}", folded) or re.search(
                rf"(?<!\bthe )\blast\s+{day}|\b(?:this\s+past|previous)\s+{day}", folded):
            return index
    return None


def _month_number(word: str) -> int | None:
    """The month a folded word names, Finnish inflected ("joulukuun", "joulukuussa"),
    Swedish or English possessive ("decembers", "December's") too; None for other words."""
    if "kuu" in word:
        return _MONTHS.get(word[:word.index("kuu") + 3])
    return _MONTHS.get(word) or _MONTHS.get(word.removesuffix("'s")) or _MONTHS.get(
        word.removesuffix("s"))


#: Which of a month's weekdays, by its ordinal word (-1: the last one); fifth is left out,
#: as most months have none.
_NTH: tuple[tuple[int, str], ...] = (
    (-1, r"viimei\w*|sista|last|final"),
    (1, r"ensimmai\w*|forsta|first|1st"),
    (2, r"toinen|toise\w*|andra|second|2nd"),
    (3, r"kolmas|kolmante\w*|tredje|third|3rd"),
    (4, r"neljas|neljante\w*|fjarde|fourth|4th"),
    # Some months have a fifth: asked of one that has none, there is no such day to answer.
    (5, r"viides|viidente\w*|femte|fifth|5th"),
)
_NTH_WORD = "|".join(words_ for _, words_ in _NTH)
_WEEKDAY_WORD = "|".join([rf"{name}\w*" for names in _WEEKDAYS.values() for name in names]
                         + [rf"{name[:3]}\b" for name in _WEEKDAYS["en"]])
_FI_MONTH_WORD = "|".join(rf"{name}\w*" for name in _MONTHS if name.endswith("kuu"))
_MONTH_WORD = "|".join(name for name in _MONTHS if not name.startswith(
    tuple(m for m in _MONTHS if m.endswith("kuu"))))
#: "the last Saturday of December (2027)", "sista lördagen i december", "viimeisenä
#: lauantaina joulukuussa": the ordinal and weekday, then the month and perhaps its year.
_NTH_WEEKDAY_OF = re.compile(
    rf"\b(?:the\s+)?(?P<nth>{_NTH_WORD})\s+(?P<day>{_WEEKDAY_WORD})\s+(?:(?:of|in|i)\s+)?"
    rf"(?:the\s+month\s+of\s+)?(?P<month>{_FI_MONTH_WORD}|(?:{_MONTH_WORD})\b)"
    r"(?:,?\s+(?:of\s+|vuonna\s+)?(?P<year>\d{4})(?!\d))?")
#: "joulukuun viimeisenä lauantaina", "vuoden 2027 joulukuun …", "… lauantaina 2027",
#: "decembers sista lördag", "December's last Saturday": the month first, as Finnish says
#: it with its genitive.
_MONTHS_NTH_WEEKDAY = re.compile(
    rf"(?:\bvuoden\s+(?P<year_before>\d{{4}})\s+)?\b(?P<month>{_FI_MONTH_WORD}|"
    rf"(?:{_MONTH_WORD})(?:'s|s)\b)(?:\s+(?P<year>\d{{4}}))?\s+(?:the\s+)?"
    rf"(?P<nth>{_NTH_WORD})\s+(?P<day>{_WEEKDAY_WORD})"
    r"(?:,?\s+(?:vuonna\s+)?(?P<year_after>\d{4})(?!\d))?")


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The month's `nth` such weekday (0 = Monday), from its end when `nth` is negative:
    (2026, 12, 5, -1) is Saturday 26 December 2026. None where the month has no such day
    (a fifth Saturday of December 2026); every month has the first four and the last."""
    if nth < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def _weekday_of_month(text: str, folded: str,
                      today: date) -> tuple[Period | None, DateProblem | None] | None:
    """One day named by its place in a month ("joulukuun viimeisenä lauantaina", "sista
    lördagen i december", "the first Sunday of March 2027"): that year's with a year, else
    the next such day from today (as a yearless date is), never the whole month nor the
    week's Saturday. None when the question names no such day."""
    found = _MONTHS_NTH_WEEKDAY.search(folded) or _NTH_WEEKDAY_OF.search(folded)
    if found is None:
        return None
    month = _month_number(found.group("month"))
    weekday = _weekday_named([found.group("day")], found.group("day"))
    if month is None or weekday is None:
        return None
    nth = next(n for n, pattern in _NTH if re.fullmatch(pattern, found.group("nth")))
    groups = found.groupdict()
    year_s = groups.get("year") or groups.get("year_before") or groups.get("year_after")
    no_such_day = None, DateProblem("no_such_date", _said(text, folded, found))
    if year_s is None:
        # The month asked of: this year's until it is over, then next year's.
        year = today.year if date(today.year, month, calendar.monthrange(
            today.year, month)[1]) >= today else today.year + 1
        day = nth_weekday(year, month, weekday, nth)
        if day is not None and day < today:
            day = nth_weekday(year + 1, month, weekday, nth)
    elif int(year_s) < 1:  # "year 0000": as "1.12.0000", no such day
        return no_such_day
    else:
        day = nth_weekday(int(year_s), month, weekday, nth)
    # A fifth weekday the month has not: said so, never another day answered for it.
    return (Period(day, day), None) if day is not None else no_such_day


def _finnish_ordinal(folded: str, beside_weekday: bool) -> re.Match[str] | None:
    """A Finnish ordinal day, a number and a full stop: "13. päivä", or "12." beside a
    weekday ("lauantaina 12."); not a clock time ("klo 12.") nor part of a date."""
    for found in re.finditer(r"(?<![\d.:,])(\d{1,2})\.(?![\d])(\s*(?:paiva|pv\b))?", folded):
        before = folded[:found.start()].split()
        if before and before[-1] in ("klo", "kello", "kl", "at"):
            continue
        if found.group(2) or beside_weekday:
            return found
    return None


#: Last week and next week as residents name them, "viime viikon" and "förra veckans" too
#: (a weekday of it follows), and the weekend of last week.
_LAST_WEEK = ("viime viikolla", "viime viikon", "viime viikko", "edellisella viikolla",
              "edellisen viikon", "forra veckan", "forra vecka", "forra veckans", "last week",
              "previous week")
_NEXT_WEEK = ("ensi viikolla", "ensi viikon", "ensi viikko", "ensi viikkona", "nasta vecka",
              "nasta veckan", "nasta veckas", "next week")
_NEXT_WEEKEND = ("ensi viikonloppuna", "ensi viikonlopun", "ensi viikonloppu",
                 "seuraavana viikonloppuna", "nasta helg", "nasta helgen", "kommande helg",
                 "kommande helgen", "next weekend", "coming weekend", "following weekend")
_LAST_WEEKEND = ("viime viikonloppuna", "viime viikonlopun", "viime viikonloppu",
                 "edellisena viikonloppuna", "forra helgen", "last weekend", "past weekend",
                 "previous weekend")


def parse_period(text: str, today: date) -> Period | None:
    """Dates residents say: today, tomorrow, a weekday ("sunnuntaina", "på söndag"), this or
    next week ("ensi viikolla"), a weekday of last or next week ("viime viikon lauantaina",
    "Saturday last week"), the weekend, a date ("6.12.", "6 December", "den 6 december",
    "25/12/2026"), a month ("joulukuussa", "in December 2027"), a weekday by its place in a
    month ("joulukuun viimeisenä lauantaina", "sista lördagen i december"), a range of dates
    ("5.–10.12."), a named day (itsenäisyyspäivä); None when the question names no time, or
    names dates that are no days (`parse_dates`)."""
    return parse_dates(text, today)[0]


def parse_dates(text: str, today: date) -> tuple[Period | None, DateProblem | None]:
    """The period the question names (`parse_period`), or what is wrong with the dates it
    typed: no such day ("30.2.2026", "31 April") or a range that runs backwards
    ("10.12.-5.12."); never another period in their place."""
    f = _without_clock_ranges(fold(text))
    tokens = words(text)
    monday = monday_of(today)
    if _phrase(f, "nyt", "juuri nyt", "talla hetkella", "nu", "just nu", "now", "right now"):
        return Period(today, today, "now"), None
    holiday = holiday_period(tokens, f, today)
    if holiday is not None:
        return holiday, None
    advent = advent_period(text, tokens, f, today)
    if advent is not None:
        return advent
    typed = _numeric_dates(text, f, today)
    if typed is not None:
        return typed
    of_month = _weekday_of_month(text, f, today)
    if of_month is not None:
        return of_month
    for pattern in (r"(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([a-z]+)" + _YEAR_AFTER,
                    r"([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?\b" + _YEAR_AFTER):
        for m_ in re.finditer(pattern, f):
            a, b, year_s = m_.groups()
            day_s, month_s = (a, b) if a.isdigit() else (b, a)
            month_n = _MONTHS.get(month_s)
            if month_n and day_s.isdigit():
                # With its year that year's day ("6. joulukuuta 2027"), else the next one.
                try:
                    found = date(int(year_s), month_n, int(day_s)) if year_s else (
                        _next_on_or_after(today, month_n, int(day_s)))
                except ValueError:
                    found = None
                if found:
                    return Period(found, found, said=_said(text, f, m_)), None
                if 1 <= int(day_s) <= 31:
                    return None, DateProblem("no_such_date", _said(text, f, m_))
    # A day of the month without the month ("Sunday the 13th", "söndag den 13:e",
    # "sunnuntaina 13. päivä", "lauantaina 12."): the next such day from today, on the
    # weekday named with it if one is.
    weekday = _weekday_named(tokens, f)
    ordinal = re.search(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th|:e|:a)\b", f) or re.search(
        r"\bden\s+(\d{1,2})\b", f) or _finnish_ordinal(f, weekday is not None)
    if ordinal:
        wanted = int(ordinal.group(1))
        on_day = [d for d in (today + timedelta(days=n) for n in range(62)) if d.day == wanted]
        on_weekday = [d for d in on_day if d.weekday() == weekday]
        found_day = next(iter(on_weekday or on_day), None)
        if found_day:
            return Period(found_day, found_day), None
    # A month: "joulukuussa", "i december", "in December": the coming one (from today if it
    # is this month); with a year, that year's ("joulukuussa 2027", "December 2027").
    for token in tokens:
        with_year = _month_year(f, token)
        month_n = _MONTHS.get(token[:-3] if token.endswith("kuussa") else "") or (
            _MONTHS.get(token) if with_year or (
                _phrase(f, f"i {token}", f"in {token}", f"during {token}") and len(token) > 3)
            else None)
        if month_n:
            year = today.year if month_n >= today.month else today.year + 1
            if with_year is not None:
                year = int(with_year.group(1) or with_year.group(2))
                if year < 1:  # "joulukuussa 0000": as "1.12.0000", no such day
                    return None, DateProblem("no_such_date", _said(text, f, with_year))
            first = date(year, month_n, 1)
            last = first.replace(day=calendar.monthrange(year, month_n)[1])
            # Under way, from today, as without a year; a past month whole (what was on).
            return Period(max(first, today) if last >= today else first, last, "month"), None
    # A week named, last or next ("viime viikon lauantaina", "förra veckans lördag",
    # "Saturday last week", "ensi viikon sunnuntaina"): the weekday named in it, else the
    # whole week; last week's weekend its Saturday and Sunday. The past is for what was on
    # (events a year back; opening hours say the days are gone).
    last_weekend = _phrase(f, *_LAST_WEEKEND)
    shift = -7 if last_weekend or _phrase(f, *_LAST_WEEK) else 7 if _phrase(
        f, *_NEXT_WEEK) else 0
    if shift:
        week = monday + timedelta(days=shift)
        if weekday is not None:
            return Period(week + timedelta(days=weekday), week + timedelta(days=weekday)), None
        if last_weekend:
            return Period(week + timedelta(days=5), week + timedelta(days=6), "weekend"), None
        return Period(week, week + timedelta(days=6), "week"), None
    past_weekday = _past_weekday_named(f)
    if past_weekday is not None:
        # "Last Saturday", "i lördags": the latest such day before today (a week back when
        # asked on a Saturday), never the coming one.
        found = today - timedelta(days=(today.weekday() - past_weekday - 1) % 7 + 1)
        return Period(found, found), None
    if _phrase(f, "viime kuussa", "viime kuun", "edellisessa kuussa", "forra manaden",
               "forra manad", "last month"):
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, "month"), None
    if _phrase(f, "ensi kuussa", "ensi kuun", "seuraavassa kuussa", "nasta manad",
               "nasta manaden", "kommande manad", "next month", "coming month"):
        # The whole of the next calendar month, as naming it ("in January") is.
        first = today.replace(day=1) + timedelta(days=31)
        first = first.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return Period(first, last, "month"), None
    if _phrase(f, "toissapaivana", "toissa paivana", "i forrgar", "forrgar",
               "day before yesterday"):
        return Period(today - timedelta(days=2), today - timedelta(days=2)), None
    if _phrase(f, "eilen", "eilisiltana", "igar", "i gar", "yesterday", "last night"):
        return Period(today - timedelta(days=1), today - timedelta(days=1)), None
    for lang in LANGS:
        for index, name in enumerate(_WEEKDAYS[lang]):
            if any(t.startswith(name) for t in tokens) or (
                    lang == "en" and _phrase(f, name[:3])):
                stem = name[:3] if lang == "en" else name
                if re.search(rf"\b(?:ensi|next|nasta|kommande|coming)\s+{stem}", f):
                    # "Next Saturday" asked on a Saturday is a week on, never today: the
                    # first such day after today.
                    found = today + timedelta(days=(index - today.weekday() - 1) % 7 + 1)
                else:
                    found = today + timedelta(days=(index - today.weekday()) % 7)
                return Period(found, found), None
    if _phrase(f, *_NEXT_WEEKEND):
        # The first weekend after today, as "next Saturday" is its first Saturday: asked on a
        # Saturday or Sunday, the following one, never the weekend under way.
        saturday = today + timedelta(days=(5 - today.weekday() - 1) % 7 + 1)
        return Period(saturday, saturday + timedelta(days=1), "weekend"), None
    if _phrase(f, "viikonloppuna", "viikonloppu", "viikonlopun", "i helgen", "helgen",
               "this weekend", "weekend", "at the weekend", "on the weekend"):
        saturday = monday + timedelta(days=5)
        if today > saturday + timedelta(days=1):
            saturday += timedelta(days=7)
        return Period(max(today, saturday), saturday + timedelta(days=1), "weekend"), None
    if _phrase(f, "talla viikolla", "taman viikon", "denna vecka", "den har veckan",
               "i veckan", "this week"):
        return Period(today, monday + timedelta(days=6), "week"), None
    if _phrase(f, "ylihuomenna", "i overmorgon", "overmorgon", "day after tomorrow"):
        return Period(today + timedelta(days=2), today + timedelta(days=2)), None
    if _phrase(f, "huomenna", "huomisiltana", "i morgon", "imorgon", "tomorrow"):
        return Period(today + timedelta(days=1), today + timedelta(days=1)), None
    if _phrase(f, "tanaan", "tana iltana", "idag", "i dag", "i kvall", "ikvall", "today",
               "tonight", "this evening"):
        return Period(today, today), None
    return None, None


def find_areas(text: str, places: tuple[Place, ...] = PLACES) -> tuple[str, ...]:
    """Areas named in the question, in any inflected form (stem match on folded words)."""
    tokens = words(text)
    folded = fold(text)
    found: list[str] = []
    for place in places:
        if any(t.startswith(stem) for t in tokens for stem in place.stems if " " not in stem) \
                or any(" " in stem and stem in folded for stem in place.stems):
            found.append(place.code)
    if "kuopio.keskusta" not in found and (
            _phrase(folded, *_MAIN_LIBRARY_PHRASES)
            or (not found and _names_city_library(tokens, folded))):
        found.append("kuopio.keskusta")
    return tuple(found)


def _names_city_library(tokens: list[str], folded: str) -> bool:
    """Whether the city's library organisation is named (`_CITY_LIBRARY_STEMS`)."""
    return _has(tokens, *_CITY_LIBRARY_STEMS) or _phrase(folded, *_CITY_LIBRARY_PHRASES)


def _names_city_library_alone(text: str) -> bool:
    """The city's library organisation named with no place of another library: its main
    library ("Missä on Kuopion kaupunginkirjasto?"), not "kaupunginkirjaston Jynkän
    kirjasto"."""
    return _names_city_library(words(text), fold(text)) and set(find_areas(text)) <= {
        "kuopio.keskusta"}


#: Word beginnings of the tables above that also begin common words of another language:
#: they count only in a question of their own language ("satu" is no "Saturday", Swedish
#: "stick" (knit) no English "stick", "parti" no "participate", "mat" no yoga mat).
_OWN_LANGUAGE_ONLY: dict[str, Lang] = {
    "satu": "fi", "peli": "fi", "sang": "sv", "stick": "sv", "barn": "sv", "motion": "sv",
    "spel": "sv", "natur": "sv", "mat ": "sv", "parti ": "sv", "partie": "sv", "art ": "en",
    "talk": "en"}


def _calendar_word(token: str) -> bool:
    """A weekday's or month's name in any of the languages, however inflected ("joulukuun",
    "decembers"): never a topic, an audience or a search word."""
    return _month_number(token) is not None or any(
        token.startswith(name) for names in _WEEKDAYS.values() for name in names)


def _match(table: dict[str, tuple[str, ...]], tokens: list[str], folded: str,
           language: Lang | None = None) -> list[str]:
    """The table's codes the question names: words by their beginning (Finnish inflects),
    whole words (a trailing space) and phrases; a beginning shared with another language's
    words only in its own language (`_OWN_LANGUAGE_ONLY`), and no calendar word at all."""
    out = []
    words_ = [t for t in tokens if not _calendar_word(t)]
    for code, prefixes in table.items():
        for p in prefixes:
            word = p.strip()
            own = _OWN_LANGUAGE_ONLY.get(p)
            if own is not None and language is not None and own != language:
                continue
            if p.endswith(" ") and " " not in word:
                hit = word in words_  # a whole word ("kid", "art", "mat")
            elif " " in word:
                hit = _phrase(folded, word)
            else:
                hit = any(t.startswith(word) for t in words_)
            if hit:
                out.append(code)
                break
    return out


def _names_venue_only(text: str, tokens: list[str], keywords: tuple[str, ...],
                      areas: tuple[str, ...]) -> bool:
    """A venue is named (a place, the main library or a library) and nothing else is
    asked: each word left to search for asks where ("hittar", "find") or is the place right
    before its venue word, a library the rules know no area of ("Pitkälahti bibliotek").
    So "Var är Neulamäki bibliotek?" asks where it is, while "Var är det yoga i Jynkkä?",
    with a "var är" that is no "where is" alone, still asks what is on."""
    named = bool(areas) or _has(tokens, *_VENUE_WORDS) or _names_main_library(text)
    before_venue_word = {t for t, after in pairwise(tokens)
                         if after.startswith(_VENUE_WORDS)}
    return named and all(k in _WHERE_WORDS or k in before_venue_word for k in keywords)


#: The evening of a day as asked ("tänään illalla", "tänä iltana", "i kväll", "i morgon
#: kväll", "this evening", "tonight"): a time, never a word to search for ("Kalenterissa ei
#: ole nyt illalla" was said, or "Jag hittade inga evenemang" for "i kväll").
_EVENING_WORDS = frozenset(("illalla", "iltana", "illaksi", "kvall", "ikvall", "kvallen",
                            "evening", "tonight"))
_EVENING_NAMES = frozenset(("kvall", "kvallen", "evening"))
#: Swedish days said in two words ("i morgon", "i övermorgon", "i dag", "i kväll"), which
#: `parse_dates` reads: their second word is no search word ("Vad händer i morgon?" found
#: nothing while "imorgon" listed three). "morgon" alone is also a morning.
_SV_DAY_AFTER_I = frozenset(("morgon", "overmorgon", "dag", "kvall"))
#: The day after tomorrow in one word ("ylihuomenna", "övermorgon"), read by `parse_dates`.
_DAY_AFTER_TOMORROW = frozenset(("ylihuomenna", "overmorgon", "iovermorgon"))
#: A number of people as asked ("12 hengelle", "12 people", "12 personer", "för 12 pers."):
#: how many a space is for, never words to search for.
_HEAD_COUNT = re.compile(
    r"\b(\d{1,5})\s*(hengelle|hengen|henkea|henkilolle|henkiloa|henkilon|henkiloille|"
    r"hlolle|hlo|osallistujalle|osallistujaa|osallistujan|vieraalle|vierasta|people|"
    r"persons|person|guests|participants|attendees|pax|personer|person|pers|deltagare|"
    r"gaster)\b")
#: A bare number for whom a room is asked ("a room for 12", "rum för 12", "tila 12:lle"):
#: a head count in a question about a space only (`bare_head_count`). Not a number of
#: hours, days, euros or years ("for 2 hours", "för 12-åringar"), nor a clock time or a
#: date ("for 12.30", "6.12:lle").
_BARE_HEAD_COUNT = re.compile(
    r"(?:\bfor\s+(?:max(?:imum)?\s+|upp\s+till\s+|up\s+to\s+)?(?P<after>\d{1,5})"
    r"|(?<![\d.:])(?P<fi>\d{1,5})\s*:\s*lle\b)"
    r"(?![\d.,:/-]*\d|\s*(?:-|h\b|hours?|hrs?|minut|mins?|days?|nights?|weeks?|months?"
    r"|years?|yrs?|eur|e\b|€|kr\b|kronor|timm|tim\b|dag|dygn|natt|veck|manad|ar\b|aring"
    r"|o'?clock|am\b|pm\b|a\.m|p\.m|[.:]\d))")
#: When an evening begins, for the activities of one asked (`Question.evening`).
EVENING_FROM = time(16, 0)


def head_count(folded: str) -> tuple[int | None, frozenset[str]]:
    """How many people are asked for ("kokoustilaa 12 hengelle": 12), and the words saying
    so ("hengelle"), which are no search words."""
    found = list(_HEAD_COUNT.finditer(folded))
    if not found:
        return None, frozenset()
    return int(found[0].group(1)), frozenset(f.group(2) for f in found)


def bare_head_count(folded: str) -> int | None:
    """A number for whom, without a word for people ("tila 12:lle", "a room for 12", "rum
    för 12"): read as how many people only in a question about a space, where it can mean
    nothing else."""
    found = _BARE_HEAD_COUNT.search(folded)
    return int(found.group("after") or found.group("fi")) if found else None


def _time_words(tokens: list[str], dated: bool) -> frozenset[str]:
    """The words of a time the rules read beside the dates (an evening, Swedish "i
    morgon"): none of them a search word. "evening", "kväll" name a gathering too ("café
    evening", "kafékväll"): a time only beside a day (`dated`)."""
    return frozenset([t for t in tokens if t in _EVENING_WORDS and (
        dated or t not in _EVENING_NAMES)]
                     + [after for before, after in pairwise(tokens)
                        if before == "i" and after in _SV_DAY_AFTER_I]
                     + [t for t in tokens if t in _DAY_AFTER_TOMORROW])


#: Words that are no thing one looks for in the calendar (verbs of being able, wanting,
#: being or going, pronouns, words of place or time, people counted): never search words,
#: so never said back as what the calendar lacks ("Kalenterissa ei ole nyt voin pysäköidä"
#: was said, `answer_not_in_calendar`). Folded, whole words (of four letters or more:
#: shorter ones are never searched).
_NOT_A_THING = _set("""voin voiko voisin voisiko voimme voimmeko voitko voitteko saako
    saanko saisin saammeko saadaanko pitaa pitaako taytyy tarvitsee tarvitsen tarvitaan
    haluan haluaisin haluamme halutaan minulla meilla teilla sinne siella tanne taalla
    jossa jonne josta kuinka luona lahella lahelta vieressa kanssa ilman ennen noin kello
    jalkeen aikana hengelle henkea hengen henkilolle henkiloa kunna skulle maste vill ville
    behover nara bredvid utan efter innan kring omkring personer person deltagare
    could would should must want need near with without before after about around people
    persons guests participants there here that those these have does some like
    olla tulla menna tehda paasta kayda vara komma gora come make take bring doing""")


#: The libraries, plural, in their inflected forms.
_ALL_LIBRARIES = frozenset(("kirjastot", "kirjastoissa", "kirjastoihin", "kirjastojen",
                            "lahikirjastot", "lahikirjastoissa", "biblioteken", "biblioteks",
                            "narbiblioteken", "libraries"))


def understand(text: str, today: date, hint: Lang | None = None,
               reader: Lang | None = None) -> Question:
    """What the resident asks: language, intent and the slots an answer needs (`hint`,
    `reader`: `detect_language`)."""
    language = detect_language(text, hint, reader)
    folded = fold(text)
    tokens = words(text)
    period, date_problem = parse_dates(text, today)
    areas = find_areas(text)
    count, count_words = head_count(folded)
    time_words = _time_words(tokens, period is not None)
    courteous = greeting_words(folded, tokens)
    family_activity = _FAMILY_ACTIVITY.search(folded) is not None
    audience = next(iter(_match(AUDIENCES, tokens, folded, language)), None) or (
        "families" if family_activity else None)
    topics = tuple(_match(TOPICS, tokens, folded, language))
    organisers = _match(ORGANISER_TYPES, tokens, folded, language)
    organiser_type = organisers[0] if organisers else None
    free = True if _has(tokens, *_FREE) or _phrase(folded, *[p for p in _FREE if " " in p]) \
        else None
    space_words = tuple(t for t in tokens if t in _SPACES or any(
        t.startswith(s) and len(s) > 4 for s in _SPACES))
    priced = _has(tokens, *_PRICE) or _phrase(folded, "how much", "vad kostar")
    booking = _has(tokens, *_BOOKING) or _phrase(folded, "book", "booked") or (
        _has(tokens, *_PERMISSION) and _has(tokens, *_USE, *_GATHERING))
    events = _has(tokens, *[e for e in _EVENTS if " " not in e]) or _phrase(
        folded, *[e for e in _EVENTS if " " in e])
    # Having a celebration ("ha fest", "have a party") uses a space; "have" beside any other
    # word ("do you have…", "does the club have events") does not.
    uses = _has(tokens, *_USE) or (organiser_type == "private" and not events and (
        bool(_HAVE & set(tokens)) or bool(_CELEBRATE & set(tokens) and _MAY & set(tokens))))
    # Words of asking, and of price ("maksuttomia", "ilmaista": `free`, no event's name).
    intent_words = tuple(p for p in (*_EVENTS, *_HOURS, *_BOOKING, *_FREE, *_SIGN_UP)
                         if " " not in p)
    # A Sunday of Advent is a day ("adventtina"), not an event's name to search for.
    advent = _advent_named(folded)
    advent_words = frozenset(words(advent[0].group(0))) if advent else frozenset()
    # A hyphenated name ("lautapeli-ilta") is one search word.
    keywords = tuple(t for t in tokens if len(t) > 3 and t not in _STOP
                     and t not in advent_words
                     # "12 hengelle", "i morgon", "illalla": how many, when; not what
                     and t not in count_words and t not in time_words
                     # "Hei,", "Hello", "kiitos": said to the guide, not looked for
                     and t not in courteous
                     # "voin", "nära", "people": no thing looked for ("Missä voin
                     # tanssia?" looks for dancing, not "voin tanssia")
                     and t not in _NOT_A_THING
                     and t.replace("-", "").isalpha()
                     # "lördags", "Saturdays", "joulukuun": no event's name either
                     and not _calendar_word(t)
                     and _holiday_named([t], t) is None
                     and not t.startswith(intent_words)
                     and not t.startswith(_SPOKEN_WORDS)
                     and t not in _LANG_WORDS["fi"] | _LANG_WORDS["sv"] | _LANG_WORDS["en"]
                     and t not in space_words  # where it is ("lavalla"), not what
                     and not any(t.startswith(s) for p in PLACES for s in p.stems)
                     and not t.startswith(_CITY_LIBRARY_STEMS)  # a library, as places are
                     # The city itself names no venue ("Kuopion" is in KANTTI's name).
                     and not t.startswith("kuopio"))
    # "Free" as the question's last word after a name ("Onko kuorolaulu ilmaista?", "Är
    # körsången gratis?", "Is the choir free?") asks whether that is free: the named ones
    # are found paid or free and say which; "free" before what is looked for ("gratis
    # musik", "maksuttomia tapahtumia") or with no name ("Onko jotain ilmaista?") filters.
    asks_if_free = bool(free and keywords and tokens and tokens[-1].startswith(
        tuple(f for f in _FREE if " " not in f)))
    if asks_if_free:
        free = None
    own_loans = (_has(tokens, *_OWN_LOANS) or _phrase(folded, *_OWN_LOANS_PHRASES)
                 or (_has(tokens, *_LENDING) and bool(_RENEW_WORDS & set(tokens))))
    # "What is/was there" at a time, with nothing else to search for ("Mitä Kuopiossa oli
    # edellisenä sunnuntaina?", "Vad var det i söndags?"): what is or was on.
    asks_what_was = (bool(_WHAT & set(tokens)) and bool(_BEING & set(tokens)) and not keywords
                     and not priced and (period is not None or date_problem is not None))
    # "What" and a time alone ("Mitä huomenna?", "Mitä tänään illalla?", "Vad i kväll?"):
    # what is on then, as "Mitä on huomenna?" asks.
    asks_what_then = (bool(_WHAT & set(tokens)) and period is not None and not keywords
                      and not priced and all(
                          t in _WHAT or t in _STOP or t in time_words or t.isdigit()
                          or _calendar_word(t) or parse_dates(t, today)[0] is not None
                          for t in tokens))
    asks_what_was = asks_what_was or asks_what_then
    hours_asked = _has(words(_FAMILY_ACTIVITY.sub(" ", folded)), *_HOURS) or _phrase(
        folded, "what time", "mihin aikaan", "hur dags", "self service", *_STAFFED)
    asks_where = _WHERE.search(folded) is not None or _phrase(folded, *_LOCATION)
    # The rules asked after: in general ("Mitkä ovat tilojen käyttösäännöt?", "Vilka regler
    # gäller för lokalerna?") or on a matter, with a word of being allowed ("Saako
    # tilaisuudessa tarjota alkoholia?", "Saako tiloissa syödä?").
    matter = next(iter(_match(RULE_MATTERS, tokens, folded, language)), None)
    rules_topic = ("general" if any(part in t for t in tokens for part in _RULE_PARTS)
                   or _has(tokens, *_RULE_WORDS) else None)
    if matter is not None and (bool(_MAY & set(tokens)) or _has(tokens, *_ALLOWED)
                               or _phrase(folded, "is it ok", "ok to")):
        rules_topic = matter
    intent: Intent
    if _has(tokens, *[p for p in _PERSON if " " not in p]) or _phrase(
            folded, *[p for p in _PERSON if " " in p]) or _TALK_TO_PERSON.search(folded):
        intent = "person"
    elif own_loans:
        intent = "unknown"  # no search either: its words would find activities, not loans
    elif _has(tokens, *_LENDING) and not (booking or space_words):
        intent = "lending"  # a space "lent" is a booking: that is answered as one
    elif _has(tokens, *[a for a in _ACCESS if " " not in a]) or _phrase(
            folded, *[a for a in _ACCESS if " " in a]):
        intent = "accessibility"
    elif _phrase(folded, *_CONTACT) or _has(tokens, "yhteystie", "yhteyshenkil",
                                             "koordinaattor", "koordinator", "kontakt",
                                             "contact", "puhelinnum", "telefonnum") or (
            _reaches(text, tokens, folded, keywords)
            and not (events or audience or topics or hours_asked)):
        intent = "contact"
    elif _phrase(folded, *_LOCATION):
        # Where it is and when it is open ("Missä on lähin kirjasto ja milloin se on
        # auki?"): its hours, with the address (`asks_where`), so that neither half goes
        # unanswered.
        intent = "hours" if hours_asked else "location"
    elif rules_topic is not None or (
            (organiser_type or (free and not events) or priced)
            and (booking or space_words or uses) and not (events and not organiser_type)):
        intent = "rules"
    elif booking:
        intent = "rules" if organiser_type else "booking"
    elif hours_asked:
        intent = "hours"
    elif events or audience or topics or asks_what_was:
        intent = "events"
    elif asks_where and _names_venue_only(text, tokens, keywords, areas):
        # "Var är Neulamäki bibliotek?", "Missä Neulamäen kirjasto on?", "Where can I find
        # Karttula library?": asked where, with no phrase of place (`_LOCATION`) to say so.
        intent = "location"
    else:
        intent = "unknown"
    # A thing the rules know no word of, asked whether or where there is one ("Onko
    # joogaa?", "Var är det yoga?", "Missä on joogaa?") or named alone with a time ("Yoga
    # this week"): what is on, searched in the calendar, not a question outside the
    # guide's subjects. Where a library is ("Missä on lähin kirjasto?") stays where.
    looked_for = [k for k in keywords if k not in _WHERE_WORDS]
    asks_activity = bool(looked_for) and not own_loans and (
        (intent == "unknown" and (bool(_IS_THERE & set(tokens))
                                  or _phrase(folded, *_IS_THERE_PHRASES)
                                  or _named_with_a_time(tokens, keywords, period, today)))
        or (intent == "location" and not hours_asked and not _has(tokens, *_VENUE_WORDS)
            and not _names_main_library(text)))
    if asks_activity:
        intent = "events"
    # A facility asked after with nothing else to look for ("Missä on vessa?", "Onko
    # Jynkän kirjastossa wifi?", "Where is the toilet in KANTTI?"): what the guide knows of
    # it, never a calendar search, nor the library's address or opening hours said for it.
    facility = _facility_named(text, tokens, folded, language)
    if facility is not None:
        named_before = {t for t, after in pairwise(tokens) if after.startswith(_VENUE_WORDS)}
        other_words = [k for k in looked_for if k not in named_before
                       and not k.startswith((*_VENUE_WORDS, *_FACILITY_FILLER))
                       and not _facility_word(k, language)]
        if not other_words and not (events or audience or topics) and (
                asks_activity or intent in ("unknown", "location", "hours")):
            intent, asks_activity = "facility", False
            # Only a library's own name is left to look for ("Pitkälahti"): never a word
            # around the facility ("kirjastosta", "tarjolla"), found as a venue's likeness.
            keywords = tuple(k for k in keywords if not _facility_word(k, language) and (
                k in named_before or not k.startswith((*_VENUE_WORDS, *_FACILITY_FILLER))))
    # Whether a library has a space ("Onko Nilsiän kirjastossa kokoustilaa?", "Does Nilsiä
    # library have a meeting room?", "Finns det ett mötesrum i Nilsiä bibliotek?"), with
    # nothing else to look for: its spaces, as a booking question, never a calendar search.
    asks_spaces = False
    if any(_space_noun(t) for t in tokens) and not (events or audience or topics) and (
            asks_activity or intent in ("unknown", "location")):
        named_before = {t for t, after in pairwise(tokens) if after.startswith(_VENUE_WORDS)}
        if not [k for k in looked_for if k not in named_before and not _space_noun(k)
                and not k.startswith((*_VENUE_WORDS, *_SPACE_FILLER))]:
            intent, asks_activity, asks_spaces = "booking", False, True
    # A space used or booked after a clock time ("Voiko tilaa käyttää klo 22 jälkeen?",
    # "Saako tilan varata iltaisin kello 22 jälkeen?"): when its spaces can be booked,
    # never "not understood" nor how to book alone.
    late = late_time(folded)
    a_space = bool(space_words) or any(_space_noun(t) for t in tokens)
    if count is None and a_space:
        # "a room for 12", "tila 12:lle": the number is the people, as "12 hengelle" is.
        count = bare_head_count(folded)
    if late is not None and (booking or (uses and a_space)) and not (
            events or audience or topics) and intent in (
            "booking", "rules", "unknown", "hours") and rules_topic is None:
        intent, asks_activity = "booking", False
    else:
        late = None
    # A greeting or thanks and nothing else asked ("Hei", "Tack!", "Kiitos avusta"): answered
    # in kind, never "not understood"; one beside a question leaves it to be answered.
    courtesy = courtesy_of(folded, tokens) if intent == "unknown" else None
    if courtesy is not None:
        intent = "courtesy"
    return Question(text=text, language=language, intent=intent, period=period, areas=areas,
                    audience=audience, topics=topics, free=free,
                    organiser_type=organiser_type, space_words=space_words,
                    keywords=() if own_loans else keywords,
                    asks_events=events or asks_what_was or family_activity,
                    date_problem=date_problem,
                    all_venues=bool(_ALL_LIBRARIES & set(tokens)) or _phrase(
                        folded, "kaikki kirjastot", "alla bibliotek", "all libraries",
                        "every library"),
                    region=None if areas else find_region(tokens, folded),
                    spoken=next(iter(_match(SPOKEN, tokens, folded)), None),
                    asks_price=priced, asks_if_free=asks_if_free,
                    asks_where=asks_where,
                    asks_sign_up=_has(tokens, *[w for w in _SIGN_UP if " " not in w])
                    or _phrase(folded, *[w for w in _SIGN_UP if " " in w]),
                    asks_activity=asks_activity,
                    facility=facility if intent == "facility" else None,
                    asks_spaces=asks_spaces,
                    rules_topic=rules_topic if intent == "rules" else None, late=late,
                    head_count=count,
                    evening=bool(time_words & _EVENING_WORDS) and period is not None,
                    courtesy=courtesy)


#: A clock time with "after" or "until" as Finnish says it, the time first ("klo 22
#: jälkeen", "kello 22.30 asti", "22 jälkeen"), and as Swedish and English do, the word
#: first ("efter klockan 22", "efter kl. 22", "after 10 pm", "until 23:00").
_LATE_FI = re.compile(r"(?:\b(?P<clock>klo|kello)\s*)?(?<![\d.:])(?P<h>\d{1,2})"
                      r"(?:(?P<sep>[.:])(?P<m>\d{2}))?(?::?(?:n|een|aan))?\s+"
                      r"(?P<dir>jalkeen|asti|saakka)\b")
_LATE_WORD_FIRST = re.compile(
    r"\b(?P<dir>efter|after|past|until|till|later than|senare an)\s+"
    r"(?:(?P<clock>klockan|kl\.?|klo|kello|at)\s*)?(?P<h>\d{1,2})"
    r"(?:(?P<sep>[.:])(?P<m>\d{2}))?(?![\d.:]\d)\s*(?P<ampm>[ap]\.?m\b\.?)?")
_UNTIL = frozenset(("asti", "saakka", "until", "till"))


def late_time(folded: str) -> tuple[str, str] | None:
    """The clock time asked with "after" or "until" ("klo 22 jälkeen": ("22:00", "after")),
    if any. Hours and minutes after a full stop are a time only beside a clock word ("klo
    22.30"): "6.12. jälkeen" and "efter 6.12" are dates."""
    for found in (*_LATE_FI.finditer(folded), *_LATE_WORD_FIRST.finditer(folded)):
        hour, minute = int(found.group("h")), int(found.group("m") or 0)
        ampm = found.groupdict().get("ampm") or ""
        if found.group("sep") == "." and not found.group("clock"):
            continue
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            continue
        return f"{hour:02d}:{minute:02d}", "until" if found.group("dir") in _UNTIL else "after"
    return None


def _reaches(text: str, tokens: list[str], folded: str, keywords: tuple[str, ...]) -> bool:
    """Asked how to reach a place by phone ("Hur når jag KANTTI per telefon?", "Miten
    tavoitan Jynkän kirjaston?", "Can I call KANTTI?"), with nothing else looked for
    beside it: "Voiko kirjastossa soittaa pianoa?" plays one."""
    said = (_has(tokens, *_REACH) or bool(_REACH_WORDS & set(tokens))
            or _phrase(folded, *_REACH_PHRASES) or _NA.search(text.lower()) is not None)
    named_before = {t for t, after in pairwise(tokens) if after.startswith(_VENUE_WORDS)}
    return said and all(k.startswith((*_REACH, *_VENUE_WORDS)) or k in _REACH_WORDS
                        or k in named_before for k in keywords)


#: Words beside a facility that name nothing else to look for ("lähin vessa", "asiakkaiden
#: wc", "toalett för besökare", "public toilet", "wifi available here", "do you have wifi",
#: "mistä löydän vessan", "voiko teillä käyttää wifiä"), or buying or being served coffee
#: there ("kahvia tarjolla", "voiko ostaa kahvia", "köpa kaffe", "coffee served").
_FACILITY_FILLER = ("lahi", "near", "close", "narmast", "asiak", "customer", "visitor",
                    "kund", "besok", "yleis", "public", "allman", "kaytet", "kaytos", "kaytt",
                    "use", "anvand", "availab", "saatavil", "taalla", "siella", "here",
                    "there", "have", "has", "your", "loyd", "loyt", "teill", "teida", "mista",
                    "mihin", "tarjol", "osta", "myyda", "myydaan", "myynn", "kopa", "serve",
                    "purchase",
                    # Being able to ("Missä voin pysäköidä", "Voiko … pysäköidä"), near or at
                    # it ("KANTTIn lähellä", "kirjaston luona", "nära", "bredvid"), and the
                    # network a wifi is ("langaton verkko", "trådlöst nätverk").
                    "voi", "saa", "lahe", "luona", "vieres", "nara", "bredvid", "verkko",
                    "verkkoa", "netti", "natverk", "network", "yhteys", "yhteytta",
                    "connection", "kunna", "could")

#: Coffee as a drink, whole words ("kahvia", "kaffe", "coffee"): a café asked after when a
#: library is named beside it (`_asks_coffee_at_a_library`). Not "kahvit", which is also a
#: gathering ("Kyläkahvit", "kirkkokahvit"), nor a compound ("kyläkahvit", "bykaffe").
_COFFEE = frozenset(("kahvi", "kahvia", "kahvin", "kahvikuppi", "kahvikupin",
                     "kahvikupillinen", "kahvikupillisen", "kaffe", "kaffet", "kaffekopp",
                     "coffee", "coffees"))
#: What comes after a facility's word in a compound when the two name a gathering, not the
#: facility ("kahvila-ilta", "kahvilailta", "kahvilapäivä", "kafékväll", "café-kerho").
_GATHERING_HEADS = ("ilta", "aamu", "paiva", "tunti", "hetki", "kerho", "piiri", "kurssi",
                    "tapaami", "treffi", "paja", "tuoki", "konsert", "kvall", "traff",
                    "klubb", "cirkel")
#: The same as the next English word ("café evening", "a coffee shop night").
_GATHERING_NEXT = ("evening", "morning", "night", "club", "meetup", "concert", "session")


def _gathering_named(tokens: list[str], prefix: str) -> bool:
    """Whether a facility's word `prefix` begins a gathering's name, not the facility: a
    compound with a gathering after it ("kahvila-ilta", "kahvilailta") or, in English, such
    a word right after it ("café evening"). Never its inflections ("kahvilassa")."""
    for token, after in pairwise([*tokens, ""]):
        if token.startswith(prefix):
            rest = token[len(prefix):].lstrip("-")
            if rest.startswith(_GATHERING_HEADS) or (
                    rest == "" and after.startswith(_GATHERING_NEXT)):
                return True
    return False


def _facility_word(token: str, language: Lang | None = None) -> bool:
    """A word that names a facility (`FACILITIES`) or coffee (`_COFFEE`), no search word."""
    return token in _COFFEE or bool(_match(FACILITIES, [token], token, language))


def _asks_coffee_at_a_library(text: str, tokens: list[str]) -> bool:
    """Coffee asked after at a library ("Onko kirjastossa kahvia?", "Saako KANTISTA kahvia?",
    "Finns det kaffe på biblioteket?", "Is there coffee at the library?"): the library's
    café. Coffee alone or at a place ("Onko Vehmersalmella kahvia?") may be the calendar's
    "Kyläkahvit", and is looked for there."""
    return bool(_COFFEE & set(tokens)) and (_has(tokens, *_VENUE_WORDS)
                                            or _names_main_library(text))


def _facility_named(text: str, tokens: list[str], folded: str,
                    language: Lang) -> str | None:
    """The facility the question names (`FACILITIES`, or a café by coffee at a library),
    unless its word begins a gathering's name ("Missä on kahvila-ilta?")."""
    for code in _match(FACILITIES, tokens, folded, language):
        if not any(_gathering_named(tokens, p.strip()) for p in FACILITIES[code]
                   if " " not in p.strip()):
            return code
    return "cafe" if _asks_coffee_at_a_library(text, tokens) else None


def _named_with_a_time(tokens: list[str], keywords: tuple[str, ...], period: Period | None,
                       today: date) -> bool:
    """Only a thing and a time ("Yoga this week", "Joogaa tänään"): every other word is of
    the time or a function word, none asks what ("What's the weather tomorrow?")."""
    return period is not None and not _WHAT & set(tokens) and all(
        t in keywords or t in _STOP or _calendar_word(t) or t[:1].isdigit()
        or parse_dates(t, today)[0] is not None for t in tokens)


# --- answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    title: str
    url: str
    #: The title's language when it is not the answer's (an event named in Finnish only,
    #: in a Swedish answer), for the widget to mark it; None: the answer's own.
    lang: str | None = None
    #: Words of the title in another language than its own, each with that language: a
    #: venue named in Finnish only in "Uppgifter om platsen: Jynkän kirjasto"
    #: (`citation_parts`).
    foreign: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    text: str
    language: Lang
    citations: tuple[Citation, ...] = ()
    #: True when the answer comes from the platform's facts (or returns a greeting or thanks,
    #: `answer_courtesy`); False: a clarification or a hand-over offer, never a guess.
    confident: bool = True
    #: Offer to pass the conversation to a person (and to whom).
    offer_person: bool = False
    queue: str = "desk"
    #: Ids of the activities listed (for the widget's links and the evaluation).
    event_ids: tuple[UUID, ...] = ()
    venue_ids: tuple[UUID, ...] = ()
    #: Words of the answer in another language than its own, each with that language, ""
    #: when it is not known: a desk's reason written in Finnish only, in a Swedish answer.
    #: The widget marks them so a screen reader reads them in their own voice (WCAG 3.1.2).
    foreign: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Part:
    """A run of an answer's text and the language it is in: the answer's own, another one,
    or "" when not known (HTML's `lang=""`: a screen reader does not guess a voice)."""

    text: str
    lang: str


def parts(answer: Answer) -> tuple[Part, ...]:
    """The answer's text as runs, each in its language (`Answer.foreign` marked wherever it
    is said, the longest first so that one holding another is one run); joined, the text."""
    return _runs(answer.text, answer.language, answer.foreign)


def citation_parts(citation: Citation, lang: Lang) -> tuple[Part, ...]:
    """A citation's title as runs, each in its language, in an answer in `lang`: the title's
    own (`Citation.lang`, else the answer's), and its `foreign` words in theirs."""
    return _runs(citation.title, citation.lang or lang, citation.foreign)


def _runs(text: str, lang: str, marked: Iterable[tuple[str, str]]) -> tuple[Part, ...]:
    foreign = {said: written for said, written in marked if said and written != lang}
    if not foreign:
        return (Part(text, lang),)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(foreign, key=len, reverse=True)))
    runs: list[Part] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            runs.append(Part(text[at:match.start()], lang))
        runs.append(Part(match.group(), foreign[match.group()]))
        at = match.end()
    if at < len(text):
        runs.append(Part(text[at:], lang))
    return tuple(runs)


@dataclass(frozen=True)
class Links:
    """Public addresses of the pages answers cite."""

    events: str = "http://127.0.0.1:8002"
    booking: str = "http://127.0.0.1:8001"

    def event_page(self, event_id: UUID, lang: Lang) -> str:
        return f"{self.events}/events/{event_id}/page?lang={lang}"

    def calendar(self, lang: Lang, area: str | None = None) -> str:
        return f"{self.events}/calendar?lang={lang}" + (f"&area={area}" if area else "")

    def venue_hours(self, venue_id: UUID, lang: Lang, week: date | None = None) -> str:
        """The venue's page at the week asked about (its opening hours)."""
        return (f"{self.booking}/venues/{venue_id}/page?lang={lang}"
                + (f"&week={week.isoformat()}" if week else "") + "#hours-title")

    def venue(self, venue_id: UUID, lang: Lang) -> str:
        """The venue's page residents read (address, contact, accessibility, what it lends)."""
        return f"{self.booking}/venues/{venue_id}/page?lang={lang}"

    def rules(self, lang: Lang) -> str:
        """The city's rules for its spaces, a public page (no sign-in)."""
        return f"{self.booking}/rules?lang={lang}"

    def booking_form(self, lang: Lang, venue_id: UUID | None = None) -> str:
        """The organiser's search for free spaces (it asks them to sign in first)."""
        return f"{self.booking}/my/spaces?lang={lang}" + (
            f"&venue_id={venue_id}" if venue_id else "")


_T: dict[str, dict[Lang, str]] = {
    "closed": {"fi": "suljettu", "sv": "stängt", "en": "closed"},
    # As the events' calendar says a whole-day activity.
    "all_day": {"fi": "koko päivä", "sv": "hela dagen", "en": "all day"},
    # As the posts and boards say it (`shared.announcements.access_line`).
    "sign_up": {"fi": "ilmoittaudu etukäteen", "sv": "anmäl dig på förhand",
                "en": "sign up in advance"},
    "staffed": {"fi": "henkilökunta paikalla", "sv": "personal på plats", "en": "staffed"},
    "no_staff": {"fi": "ei henkilökuntaa paikalla", "sv": "ingen personal på plats",
                 "en": "no staff on site"},
    # Finland's libraries say "meröppet" (as booking does); "meråbibliotek" is Sweden's.
    "self_service": {"fi": "omatoimikirjasto", "sv": "meröppet",
                     "en": "self-service library"},
    "overnight": {"fi": "yökäyttö", "sv": "nattanvändning", "en": "overnight use"},
    "exception": {"fi": "poikkeusaukiolo", "sv": "avvikande öppettider",
                  "en": "exceptional hours"},
    "past_days": {"fi": "(Päivät ennen tätä päivää ovat jo menneet.)",
                  "sv": "(Dagarna före i dag har redan passerat.)",
                  "en": "(The days before today have already passed.)"},
    "hours_source": {"fi": "Aukioloajat", "sv": "Öppettider", "en": "Opening hours"},
    "open_now": {"fi": "Nyt auki", "sv": "Öppet nu", "en": "Open now"},
    "closed_now": {"fi": "Nyt suljettu", "sv": "Stängt nu", "en": "Closed now"},
    "free": {"fi": "maksuton", "sv": "gratis", "en": "free"},
    "paid": {"fi": "maksullinen", "sv": "avgiftsbelagd", "en": "not free"},
    "cancelled": {"fi": "PERUTTU", "sv": "INSTÄLLT", "en": "CANCELLED"},
    "postponed": {"fi": "SIIRRETTY", "sv": "UPPSKJUTET", "en": "POSTPONED"},
    "calendar": {"fi": "Tapahtumakalenteri", "sv": "Evenemangskalender",
                 "en": "Event calendar"},
    "booking_form": {"fi": "Tilan varaus", "sv": "Bokning av lokal", "en": "Booking a space"},
    "features": {"fi": "Esteettömyys", "sv": "Tillgänglighet", "en": "Accessibility"},
    "address": {"fi": "Osoite", "sv": "Adress", "en": "Address"},
    "venue_page": {"fi": "Tilan tiedot", "sv": "Uppgifter om platsen",
                   "en": "About the venue"},
    "person_hint": {"fi": "Voin välittää kysymyksesi ihmiselle.",
                    "sv": "Jag kan skicka din fråga vidare till en person.",
                    "en": "I can pass your question to a person."},
}

_WEEKDAY_LABEL: dict[Lang, tuple[str, ...]] = {
    "fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina",
           "lauantaina", "sunnuntaina"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKDAY_SHORT: dict[Lang, tuple[str, ...]] = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def clock_text(hhmm: str, lang: Lang) -> str:
    """An "HH:MM" of opening hours as the language writes a time (shared.l10n): "9.00",
    "09:00"; a close at midnight, "24:00", stays the end of the day."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    if hour >= 24:  # Babel has no 24:00: 23:MM written, its hour made 24
        return "24" + l10n.clock_time(time(23, minute), lang)[2:]
    return l10n.clock_time(time(hour, minute), lang)


def day_text(day: date, lang: Lang, today: date | None = None) -> str:
    """A day of the coming weeks: "sunnuntaina 6.12." (Finnish says on which day with the
    essive, which Babel does not inflect), "söndag 6 december", "Sunday 6 December"; with
    its year when that is not `today`'s: "perjantaina 1.1.2027", "Friday 1 January 2027"."""
    other_year = today is not None and day.year != today.year
    if lang == "fi":
        written = l10n.day_numeric(day, lang) if other_year else l10n.day_short(day, lang)
        return f"{_WEEKDAY_LABEL[lang][day.weekday()]} {written}"
    return l10n.weekday_day(day, lang) + (f" {day.year}" if other_year else "")


def hours_on(venue: Venue, day: date) -> tuple[list[Hours], bool]:
    """The venue's own hours on `day` (space-specific hours left out) and whether they come
    from a dated exception."""
    exceptions = [h for h in venue.exceptions if h.day == day and h.space_id is None]
    if exceptions:
        # As booking reads them: the day's exceptions replace its weekly hours, and one
        # without times closes the whole day.
        if any(not h.opens or not h.closes for h in exceptions):
            return [], True
        return exceptions, True
    return [h for h in venue.hours if h.weekday == day.isoweekday() and h.space_id is None
            and h.opens and h.closes], False


def why_exceptional(venue: Venue, day: date, lang: Lang,
                    foreign: list[tuple[str, str]] | None = None) -> str:
    """Why the venue's own hours on `day` are not the usual ones, as the desk said it
    ("joulupäivä", "Remontti"), in the reader's language where the desk wrote it; "" when
    the desk gave no reason. One written in another language only is added to `foreign`
    with its language, for the answer to mark it."""
    for h in venue.exceptions:
        if h.day != day or h.space_id is not None:
            continue
        said, written = l10n.text_and_lang(h.reason, lang)
        if said:
            if written != lang and foreign is not None:
                foreign.append((said, written))
            return said
    return ""


def _marked(value: dict[str, str] | None, lang: Lang,
            foreign: list[tuple[str, str]] | None) -> str:
    """A fi/sv/en text (a name, a title) in `lang`; one it has in another language only is
    added to `foreign` with that language, for the answer to mark it (`parts`)."""
    said, written = l10n.text_and_lang(value, lang)
    if said and written != lang and foreign is not None:
        foreign.append((said, written))
    return said


def _label(venue: Venue, lang: Lang, foreign: list[tuple[str, str]]) -> str:
    """The venue's name in `lang`, one it has in another language only added to `foreign`."""
    return _marked(venue.name, lang, foreign)


def _names_marked(venues: Iterable[Venue | None], lang: Lang) -> tuple[tuple[str, str], ...]:
    """The venues' names that are in another language than `lang` only, with theirs: an
    answer naming any of them marks it wherever it says it (`parts`)."""
    foreign: list[tuple[str, str]] = []
    for venue in venues:
        if venue is not None:
            _label(venue, lang, foreign)
    return tuple(dict.fromkeys(foreign))


def _venue_citation(what: str, venue: Venue, lang: Lang, url: str) -> Citation:
    """A citation titled "<what>: <the venue's name>", the name marked with its language
    when the venue has none in `lang` (a library named in Finnish only, in a Swedish
    answer), as an event's title is (`Citation.lang`): the rest of the title is `lang`."""
    name, written = l10n.text_and_lang(venue.name, lang)
    return Citation(f"{what}: {name}", url,
                    foreign=((name, written),) if name and written != lang else ())


def _event_citation(a: Activity, lang: Lang, links: Links) -> Citation:
    """The activity's page, titled by its name in `lang` and, when it has none in `lang`,
    the language the name is in."""
    title, written = l10n.text_and_lang(a.name, lang)
    return Citation(title, links.event_page(a.event_id, lang),
                    written if written != lang else None)


def _hours_line(found: list[Hours], lang: Lang) -> str:
    """A day's hours as a person says them: what is open, staffed hours first ("henkilökunta
    paikalla 9.00–20.00; omatoimikirjasto 7.00–21.00"); open without staff, said so
    ("omatoimikirjasto 7.00–21.00 (ei henkilökuntaa paikalla)"); nothing open, "suljettu"."""
    by_kind: dict[str, list[str]] = {}
    for h in sorted(found, key=lambda h: (h.kind != "staffed", h.opens or "")):
        if h.opens and h.closes:
            by_kind.setdefault(h.kind, []).append(
                f"{clock_text(h.opens, lang)}–{clock_text(h.closes, lang)}")
    if not by_kind:
        return _T["closed"][lang]
    line = "; ".join(f"{_T.get(kind, {}).get(lang, kind)} {', '.join(spans)}"
                     for kind, spans in by_kind.items())
    return line if "staffed" in by_kind else f"{line} ({_T['no_staff'][lang]})"


def _week_asked(question: Question, today: date) -> date | None:
    """The first day asked about when it is in a later week than today's (the venue page then
    opens at that week), else None (the page's own default, this week)."""
    if question.period is None:
        return None
    first = question.period.first
    return first if first >= monday_of(today) + timedelta(days=7) else None


def answer_hours(question: Question, venue: Venue, now: datetime, links: Links) -> Answer:
    lang = question.language
    local_now = now.astimezone(HELSINKI)
    today = local_now.date()
    foreign: list[tuple[str, str]] = []
    name = _label(venue, lang, foreign)
    cite = (_venue_citation(_T["hours_source"][lang], venue, lang,
                            links.venue_hours(venue.venue_id, lang, _week_asked(question, today))),)
    period = question.period
    # Asked where it is as well ("Missä on … ja milloin se on auki?"): its address first,
    # or that the data has none, so that neither half goes unanswered.
    lines: list[str] = [
        f"{_T['address'][lang]}: {venue.address or _REASONS['no_address'][lang]}."
    ] if question.asks_where else []
    if period is not None and period.first < today <= period.last:
        # Days already gone are not answered as if they were to come: from today, said so.
        period = Period(today, period.last, period.span, period.said)
        lines.append(_T["past_days"][lang])
    if period is None or len(period.days()) > 7:
        # The regular week, and every exception of the period asked (a month), or of the
        # coming two weeks when none was asked: none left out.
        for index in range(7):
            found = [h for h in venue.hours if h.weekday == index + 1 and h.space_id is None
                     and h.opens and h.closes]
            lines.append(f"{_WEEKDAY_SHORT[lang][index]} {_hours_line(found, lang)}")
        days = period.days() if period is not None else [
            today + timedelta(days=offset) for offset in range(14)]
        for day in days:
            found, exceptional = hours_on(venue, day)
            if exceptional:
                why = why_exceptional(venue, day, lang, foreign)
                lines.append(f"{_T['exception'][lang]} {day_text(day, lang, today)}"
                             f"{f' ({why})' if why else ''}: {_hours_line(found, lang)}")
        if period is None:
            intro = {"fi": f"{name}, aukioloajat:", "sv": f"{name}, öppettider:",
                     "en": f"{name}, opening hours:"}[lang]
        else:
            span = l10n.day_range(period.first, period.last, lang)
            intro = {"fi": f"{name}, aukioloajat {span}: tavalliset viikkoajat ja kaikki "
                           "poikkeukset:",
                     "sv": f"{name}, öppettider {span}: de vanliga veckotiderna och alla "
                           "avvikelser:",
                     "en": f"{name}, opening hours {span}: the regular week and every "
                           "exception:"}[lang]
        return Answer("hours", "\n".join([intro, *lines]), lang, cite,
                      venue_ids=(venue.venue_id,), foreign=tuple(foreign))
    for day in period.days():
        found, exceptional = hours_on(venue, day)
        why = why_exceptional(venue, day, lang, foreign) if exceptional else ""
        note = f" ({why or _T['exception'][lang]})" if exceptional else ""
        lines.append(f"{day_text(day, lang, today)}{note}: {_hours_line(found, lang)}")
    if period.span == "now":
        found, _ = hours_on(venue, today)
        at = local_now.strftime("%H:%M")
        is_open = any((h.opens or "") <= at < (h.closes or "") for h in found)
        lines.insert(0, f"{_T['open_now' if is_open else 'closed_now'][lang]} "
                        f"({clock_text(at, lang)}).")
    return Answer("hours", f"{name}:\n" + "\n".join(lines), lang, cite,
                  venue_ids=(venue.venue_id,), foreign=tuple(foreign))


def answer_hours_all(question: Question, venues: Sequence[Venue], now: datetime,
                     links: Links) -> Answer | None:
    """Every library's hours on the one day asked ("Onko kirjastot auki
    itsenäisyyspäivänä?"), libraries with the same hours on one line so that the answer
    stays readable; None for no day or several (then the resident is asked which library)."""
    lang = question.language
    today = now.astimezone(HELSINKI).date()
    period = question.period
    if period is None or period.first != period.last:
        return None
    day = period.first
    foreign: list[tuple[str, str]] = []
    groups: dict[str, list[Venue]] = {}
    for venue in sorted(venues, key=lambda v: l10n.collation_key(v.label(lang), lang)):
        if not any(h.opens for h in venue.hours) and not venue.exceptions:
            continue  # none published: not said to be closed
        found, exceptional = hours_on(venue, day)
        why = why_exceptional(venue, day, lang, foreign) if exceptional else ""
        note = f" ({why or _T['exception'][lang]})" if exceptional else ""
        groups.setdefault(f"{_hours_line(found, lang)}{note}", []).append(venue)
    if not groups:
        return None
    when = day_text(day, lang, today)
    intro = {"fi": f"Kirjastojen aukioloajat {when}:", "sv": f"Bibliotekens öppettider {when}:",
             "en": f"Library opening hours on {when}:"}[lang]
    # "; " between libraries: a name may hold a comma ("KANTTI – …, Kuopion … kirjasto").
    lines = [f"• {'; '.join(_label(v, lang, foreign) for v in group)}: {line}"
             for line, group in groups.items()]
    listed = [v for group in groups.values() for v in group]
    week = _week_asked(question, today)
    cites = tuple(_venue_citation(_T["hours_source"][lang], v, lang,
                           links.venue_hours(v.venue_id, lang, week)) for v in listed)
    return Answer("hours", "\n".join([intro, *lines]), lang, cites,
                  venue_ids=tuple(v.venue_id for v in listed), foreign=tuple(foreign))


def _event_line(a: Activity, lang: Lang, venues: dict[UUID, Venue],
                say_paid: bool = False, foreign: list[tuple[str, str]] | None = None) -> str:
    """One activity as the answer lists it; its name and place, when they are in another
    language only, added to `foreign` (a title written in Finnish alone, in a Swedish
    answer, is read in a Finnish voice)."""
    start = a.starts_at.astimezone(HELSINKI)
    end = a.ends_at.astimezone(HELSINKI)
    if a.all_day:
        # As the calendar, the event page and the posts say it: "pe 11.12. koko päivä",
        # never "0.00–23.59" (midnight to midnight, or to 23.59, is the one day).
        first, last = ical.days(start, end)
        dates = l10n.weekday_short(first, lang) + (
            f" – {l10n.weekday_short(last, lang)}" if last != first else "")
        when = f"{dates} {_T['all_day'][lang]}"
    else:
        span = f"{l10n.clock_time(start, lang)}–{l10n.clock_time(end, lang)}"
        when = f"{l10n.weekday_short(start.date(), lang)} {span}"
    place = ""
    if a.venue_id and a.venue_id in venues:
        place = _marked(venues[a.venue_id].name, lang, foreign)
    elif a.place_name:
        place = _marked(a.place_name, lang, foreign)
    name = _marked(a.name, lang, foreign)
    status = f"{_T[a.status][lang]}: " if a.status in ("cancelled", "postponed") else ""
    said = [_T["free"][lang]] if a.free else [_T["paid"][lang]] if say_paid else []
    if a.registration_required and a.status not in ("cancelled", "postponed"):
        said.append(_T["sign_up"][lang])
    extra = f" ({', '.join(said)})" if said else ""
    return f"{when} {status}{name}" + (f", {place}" if place else "") + extra


#: The audience asked about, as the heading of the activities open to everyone says it.
_EVERYONE_TOO: dict[str, dict[Lang, str]] = {
    "families": {"fi": "myös perheille", "sv": "även familjer", "en": "families too"},
    "children": {"fi": "myös lapsille", "sv": "även barn", "en": "children too"},
    "seniors": {"fi": "myös senioreille", "sv": "även seniorer", "en": "seniors too"},
    "youth": {"fi": "myös nuorille", "sv": "även unga", "en": "young people too"},
    "foreign_language": {"fi": "myös maahanmuuttajille", "sv": "även invandrare",
                         "en": "immigrants too"},
}


def audience_first(found: Sequence[Activity], audience: str | None) -> list[Activity]:
    """The activities for the audience asked about ("perheille") first, then those for
    everyone, each in time order: seed 001 welcomes everyone ("Kaikki ovat tervetulleita"),
    so an activity for everyone is open to families too, but it is not one for families."""
    if audience is None:
        return list(found)
    def rank(a: Activity) -> int:
        return 0 if audience in a.audiences else 1 if "everyone" in a.audiences else 2

    return sorted(found, key=rank)  # stable: each in the order found (by time)


def _event_lines(shown: Sequence[Activity], audience: str | None, lang: Lang,
                 venues: dict[UUID, Venue], say_paid: bool = False,
                 foreign: list[tuple[str, str]] | None = None) -> list[str]:
    """One line per activity; asked for an audience, those for everyone (after the audience's
    own, `audience_first`) under a line saying they are open to everyone, the audience too."""
    lines: list[str] = []
    for index, a in enumerate(shown):
        if (audience is not None and audience not in a.audiences
                and "everyone" in a.audiences
                and (index == 0 or audience in shown[index - 1].audiences)):
            too = _EVERYONE_TOO.get(audience, {}).get(lang)
            lines.append({"fi": "Kaikille avoimet", "sv": "Öppet för alla",
                          "en": "Open to everyone"}[lang] + (f" ({too}):" if too else ":"))
        lines.append(f"• {_event_line(a, lang, venues, say_paid, foreign)}")
    return lines


def _span(period: Period, lang: Lang, today: date) -> str:
    """The days of a period: "1.–14.12." this year, with their year otherwise."""
    if period.first.year == period.last.year == today.year:
        return l10n.day_short(period.first, lang) + (
            f"–{l10n.day_short(period.last, lang)}" if period.last != period.first else "")
    # another year's days are said with their year: "5.1.2027", "28 Dec 2026 – 3 Jan"
    return l10n.day_range(period.first, period.last, lang)


#: How far a question without a date looks when the coming two weeks have nothing for it:
#: the next such events are named rather than handed over.
LOOK_AHEAD_DAYS = 90


def look_ahead(today: date) -> Period:
    """The longer search after an empty default period (`events_period`)."""
    return Period(today, today + timedelta(days=LOOK_AHEAD_DAYS - 1), "default")


def searched_text(period: Period, lang: Lang, today: date) -> str:
    """The period a search without a date covered, in words and days: "kahden seuraavan
    viikon aikana (1.–14.12.)", "in the next 90 days (1 Dec 2026 – 28 Feb 2027)"."""
    days = (period.last - period.first).days + 1
    words_ = {"fi": "kahden seuraavan viikon aikana", "sv": "under de kommande två veckorna",
              "en": "in the next two weeks"} if days == 14 else {
        "fi": f"seuraavan {days} päivän aikana", "sv": f"under de kommande {days} dagarna",
        "en": f"in the next {days} days"}
    return f"{words_[lang]} ({_span(period, lang, today)})"


def no_events_reason(period: Period, lang: Lang, today: date) -> str:
    """Why a topic's question is handed over, with the period searched: "kalenterista ei
    löytynyt kysymykseesi sopivaa tapahtumaa seuraavan 90 päivän aikana (…)"."""
    return f"{reason('no_events', lang)} {searched_text(period, lang, today)}"


def as_typed(question: Question) -> str:
    """The words searched for as the resident typed them ("joogaa", "körsång"), a
    sentence's capital dropped ("Yoga this week"): to say back what the calendar lacks."""
    said = []
    for word in _WORD.findall(question.text):
        word = word.strip("-'’")
        if word and fold(word) in question.keywords:
            said.append(word.lower() if word[:1].isupper() and word[1:].islower() else word)
    return " ".join(said) or " ".join(question.keywords)


def searched_a_thing(question: Question) -> bool:
    """Whether the words searched for are a thing one looks for in the calendar, to say back
    that it has none: none of them a verb of being able or wanting, a pronoun, a word of
    place or time or people counted (`_NOT_A_THING`)."""
    return bool(question.keywords) and not any(k in _NOT_A_THING for k in question.keywords)


def answer_not_in_calendar(question: Question, period: Period, links: Links, *,
                           today: date) -> Answer:
    """An activity the calendar has none of ("Onko joogaa?"): said so in the question's
    language and words, "Kalenterissa ei ole nyt joogaa", with the period searched when one
    was asked, the calendar's link and a person offered (they may know of what the calendar
    does not list)."""
    lang = question.language
    area = question.areas[0] if len(question.areas) == 1 else None
    if not searched_a_thing(question):
        # Words that name nothing one looks for ("voin", "people"): not understood, said
        # so with a person offered, never "Kalenterissa ei ole nyt voin pysäköidä".
        return handover(question, area, reason("unknown", lang))
    what = as_typed(question)
    scope = ", ".join([*([_span(period, lang, today)] if question.period else []),
                       *(PLACE_BY_CODE[c].name[lang] for c in question.areas
                         if c in PLACE_BY_CODE)])
    scope = f" ({scope})" if scope else ""
    if question.period is None:
        text = {"fi": f"Kalenterissa ei ole nyt {what}{scope}.",
                "sv": f"Det finns ingen {what} i kalendern just nu{scope}.",
                "en": f"There is no {what} in the calendar right now{scope}."}[lang]
    else:
        text = {"fi": f"Kalenterissa ei ole {what}{scope}.",
                "sv": f"Det finns ingen {what} i kalendern{scope}.",
                "en": f"There is no {what} in the calendar{scope}."}[lang]
    more = {"fi": "Kalenterista voit selata kaikkea tulossa olevaa.",
            "sv": "I kalendern kan du bläddra bland allt som kommer.",
            "en": "The calendar lists everything coming up."}[lang]
    return Answer("events", f"{text} {more} {_T['person_hint'][lang]}", lang,
                  (Citation(_T["calendar"][lang], links.calendar(lang, area)),),
                  offer_person=True, queue=queue_for(area))


def answer_events_later(question: Question, found: list[Activity],
                        venues: dict[UUID, Venue], searched: Period, links: Links, *,
                        today: date) -> Answer:
    """Nothing in the period searched first (the coming two weeks), but later: that period
    said, and the next such events named with their dates."""
    lang = question.language
    area = question.areas[0] if len(question.areas) == 1 else None
    when = searched_text(searched, lang, today)
    intro = {"fi": f"{when[0].upper()}{when[1:]} kalenterissa ei ole kysymykseesi sopivia "
                   "tapahtumia. Seuraavat:",
             "sv": f"{when[0].upper()}{when[1:]} finns inga evenemang i kalendern som passar "
                   "din fråga. De närmaste därefter:",
             "en": f"{when[0].upper()}{when[1:]} the calendar has no events that match your "
                   "question. The next ones:"}[lang]
    shown = audience_first(found, question.audience)[:MAX_EVENTS_LISTED]
    foreign: list[tuple[str, str]] = []
    lines = _event_lines(shown, question.audience, lang, venues, question.asks_if_free,
                         foreign)
    cites = (*(_event_citation(a, lang, links) for a in shown),
             Citation(_T["calendar"][lang], links.calendar(lang, area)))
    return Answer("events", "\n".join([intro, *lines]), lang, cites,
                  event_ids=tuple(a.event_id for a in shown), foreign=tuple(foreign))


#: An evening asked (`Question.evening`) as said after its day: "Kalenterissa (2.12.
#: illalla)", "I kalendern (2 dec. på kvällen)", "In the calendar (2 Dec, evening)".
_EVENING_SAID: dict[Lang, str] = {"fi": " illalla", "sv": " på kvällen", "en": ", evening"}


def answer_events(question: Question, found: list[Activity], venues: dict[UUID, Venue],
                  period: Period, links: Links, *, today: date) -> Answer:
    lang = question.language
    area = question.areas[0] if len(question.areas) == 1 else None
    calendar = Citation(_T["calendar"][lang], links.calendar(lang, area))
    span = _span(period, lang, today)
    if question.evening and period.first == period.last:
        span += _EVENING_SAID[lang]  # the evening searched, not the whole day
    where = ", ".join(PLACE_BY_CODE[c].name[lang] for c in question.areas
                      if c in PLACE_BY_CODE)
    scope = f"{span}" + (f", {where}" if where else "")
    if not found:
        text = {"fi": f"En löytänyt kalenterista tapahtumia ({scope}), jotka sopisivat "
                      "kysymykseesi. Kalenterista voit selata kaikkea tulossa olevaa.",
                "sv": f"Jag hittade inga evenemang i kalendern ({scope}) som passar din "
                      "fråga. I kalendern kan du bläddra bland allt som kommer.",
                "en": f"I found no events in the calendar ({scope}) that match your "
                      "question. The calendar lists everything coming up."}[lang]
        # The calendar has none: that is all the guide's data says, so a person is offered
        # (they may know of what the calendar does not list).
        return Answer("events", f"{text} {_T['person_hint'][lang]}", lang, (calendar,),
                      offer_person=True, queue=queue_for(area))
    shown = audience_first(found, question.audience)[:MAX_EVENTS_LISTED]
    intro = {"fi": f"Kalenterissa ({scope}):", "sv": f"I kalendern ({scope}):",
             "en": f"In the calendar ({scope}):"}[lang]
    foreign: list[tuple[str, str]] = []
    lines = _event_lines(shown, question.audience, lang, venues, question.asks_if_free,
                         foreign)
    if len(found) > len(shown):
        lines.append({"fi": f"… ja {len(found) - len(shown)} muuta kalenterissa.",
                      "sv": f"… och {len(found) - len(shown)} till i kalendern.",
                      "en": f"… and {len(found) - len(shown)} more in the calendar."}[lang])
    if question.asks_sign_up:
        # Where and whether: the event page has the sign-up form's link.
        needs = any(a.registration_required for a in shown)
        lines.append({"fi": "Ilmoittautua voi tapahtuman sivulla (linkit alla)." if needs
                      else "Näihin ei tarvitse ilmoittautua: tervetuloa paikalle.",
                      "sv": "Du anmäler dig på evenemangets sida (länkarna nedan)." if needs
                      else "Till dessa behöver du inte anmäla dig: välkommen.",
                      "en": "You sign up on the event's page (links below)." if needs
                      else "These need no signing up: just come along."}[lang])
    cites = (*(_event_citation(a, lang, links) for a in shown), calendar)
    return Answer("events", "\n".join([intro, *lines]), lang, cites,
                  event_ids=tuple(a.event_id for a in shown), foreign=tuple(foreign))


def names_event(question: Question, activity: Activity) -> bool:
    """Whether a word of the question is a word of the activity's name, in any of its
    languages, however inflected or compounded ("lukupiiriin" Lukupiiri, "jooga" Tuolijooga):
    the first letters of the question's word, all but an ending of up to three (at least
    four), sit inside a word of the name, or the two begin alike but for such endings
    ("lautapeleistä", "Lautapeli"). A word found only by the full text's
    stemming or a trigram's likeness ("illalla" in "Lautapeli-ilta", "telefon" in a
    description) names no event."""
    title = {part for text in [*activity.name.values(),
                                *(activity.place_name or {}).values()]
             for word in words(fold(text)) for part in (word, *word.split("-"))}
    return any(k[:max(4, len(k) - 3)] in part
               or ((common := _common_head(k, part)) >= 4
                   and common >= min(len(k), len(part)) - 3)
               for k in question.keywords for part in title)


#: Words of a space's kind, which name no one space ("tilan", "lokal", "room").
_NOT_SPACE_NAME = ("tila", "lokal", "space", "room", "utrymm", "kirjasto", "bibliotek",
                   "librar")
#: Words that look like a space's name and are none: Swedish "hålla" (to hold) is no "hall".
_NOT_SPACE_WORDS = frozenset(("halla", "haller", "hallit"))


def _common_head(one: str, other: str) -> int:
    """How many first letters two words share."""
    return next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
                min(len(one), len(other)))


def space_asked(question: Question, venue: Venue) -> dict[str, str] | None:
    """The one space of the venue the question names in any of its languages, however
    inflected ("kokoussalin" Kokoussali, "mötessalen" Mötessal, "the meeting hall"): the
    space with the most words shared with the question (a word's first letters up to its
    ending, at least four); None when none or several share as many."""
    asked = [w for w in words(question.text) if len(w) >= 4
             and not w.startswith(_NOT_SPACE_NAME) and w not in _NOT_SPACE_WORDS]
    best: list[dict[str, str]] = []
    most = 0
    for _, name in venue.spaces:
        parts = {part for text in name.values() for part in words(text)
                 if len(part) >= 4 and not part.startswith(_NOT_SPACE_NAME)}
        shared = sum(1 for part in parts for word in asked
                     if (common := _common_head(part, word)) >= 4
                     and common >= min(len(part), len(word)) - 3)
        if shared > most:
            best, most = [name], shared
        elif shared == most and shared:
            best.append(name)
    return best[0] if len(best) == 1 else None


def _space_asked(question: Question, venue: Venue) -> tuple[UUID, dict[str, str]] | None:
    """`space_asked`, with the space's id."""
    named = space_asked(question, venue)
    return next(((sid, name) for sid, name in venue.spaces if name is named), None)


#: A space's price per hour, and where every price is shown.
_PRICE_SAID = {
    "fi": {"each": "{space}: {price} tunnilta", "asked": "{space} ({venue}) maksaa {price} "
           "tunnilta.", "listed": "Maksullisten tilojen hinnat ({venue}): {spaces}.",
           "where": "Hinta näkyy myös tilan varaustiedoissa varaussivulla, kun haet vapaita "
                    "aikoja.",
           "unset": "{space} ({venue}) on maksullinen vuokratila, mutta sen tuntihintaa ei "
                    "ole nyt asetettu: kysy hintaa kirjastosta. Kirjaston kanssa yhteistyössä "
                    "järjestettävään tilaisuuteen se on maksuton.",
           "each_unset": "{space}: maksullinen, hinta kysytään kirjastosta",
           "free": "{space} ({venue}) on maksuton, kun tilaisuus järjestetään yhteistyössä "
                   "kirjaston kanssa; sitä ei vuokrata."},
    "sv": {"each": "{space}: {price} per timme", "asked": "{space} ({venue}) kostar {price} "
           "per timme.", "listed": "De avgiftsbelagda lokalernas priser ({venue}): {spaces}.",
           "where": "Priset syns också i lokalens bokningsuppgifter på bokningssidan när du "
                    "söker lediga tider.",
           "unset": "{space} ({venue}) hyrs ut mot avgift, men dess timpris är inte "
                    "fastställt just nu: fråga biblioteket om priset. För ett evenemang som "
                    "ordnas i samarbete med biblioteket är den avgiftsfri.",
           "each_unset": "{space}: avgiftsbelagd, fråga biblioteket om priset",
           "free": "{space} ({venue}) är avgiftsfri när evenemanget ordnas i samarbete med "
                   "biblioteket; den hyrs inte ut."},
    "en": {"each": "{space}: {price} an hour", "asked": "{space} ({venue}) costs {price} an "
           "hour.", "listed": "The paid spaces' prices ({venue}): {spaces}.",
           "where": "The price is also shown in the space's booking details on the booking "
                    "page when you search for free times.",
           "unset": "{space} ({venue}) is rented for a fee, but its price per hour is not "
                    "set at the moment: ask the library. For an event run in cooperation with "
                    "the library it is free of charge.",
           "each_unset": "{space}: paid, ask the library for the price",
           "free": "{space} ({venue}) is free of charge for events run in cooperation with "
                   "the library; it is not rented out."},
}


def _paid_listed(venue: Venue, lang: Lang) -> str:
    """The venue's paid spaces and their prices per hour: "Maksullisten tilojen hinnat
    (KANTTI): Kokoussali: 30,00 € tunnilta; …"."""
    t, prices = _PRICE_SAID[lang], dict(venue.prices)
    listed = [t["each"].format(space=l10n.text_in(name, lang),
                               price=l10n.money(prices[sid], lang)) if sid in prices
              else t["each_unset"].format(space=l10n.text_in(name, lang))
              for sid, name in venue.spaces if sid in prices or sid in venue.paid_spaces]
    return t["listed"].format(venue=venue.label(lang), spaces="; ".join(listed))


def _price_where(question: Question, venue: Venue | None) -> str:
    """Asked what a space costs: the price per hour booking publishes for the space asked
    about (or for each of the venue's paid spaces when none is named), in the reader's
    currency format, and where prices are shown. A venue whose copy carries no prices (from
    before booking published them) is answered by where the price is shown alone."""
    lang = question.language
    t = _PRICE_SAID[lang]
    prices = dict(venue.prices) if venue is not None else {}
    named = _space_asked(question, venue) if venue is not None else None
    if venue is not None and prices:
        if named is not None:
            space_id, name = named
            said = {"space": l10n.text_in(name, lang), "venue": venue.label(lang)}
            price = space_price(venue, space_id)
            if price is None:
                return t["free"].format(**said)
            if price == "unset":
                return t["unset"].format(**said)
            return t["asked"].format(**said, price=l10n.money(prices[space_id], lang)) + (
                " " + t["where"])
        return _paid_listed(venue, lang) + " " + t["where"]
    if venue is not None and named is not None:
        which = f"{l10n.text_in(named[1], lang)} ({venue.label(lang)}): "
        return which + {
            "fi": "hintaa ei ole tiedoissani. Maksullisen tilan hinta tunnilta näkyy tilan "
                  "varaustiedoissa varaussivulla, kun haet vapaita aikoja.",
            "sv": "priset finns inte i mina uppgifter. En avgiftsbelagd lokals pris per "
                  "timme syns i lokalens bokningsuppgifter på bokningssidan när du söker "
                  "lediga tider.",
            "en": "the price is not in my data. A paid space's price per hour is shown in "
                  "its booking details on the booking page when you search for free "
                  "times."}[lang]
    return {"fi": "Tilojen hintoja ei ole tiedoissani: maksullisen tilan hinta tunnilta "
                  "näkyy tilan varaustiedoissa varaussivulla, kun haet vapaita aikoja.",
            "sv": "Lokalernas priser finns inte i mina uppgifter: en avgiftsbelagd lokals "
                  "pris per timme syns i lokalens bokningsuppgifter på bokningssidan när du "
                  "söker lediga tider.",
            "en": "The spaces' prices are not in my data: a paid space's price per hour is "
                  "shown in its booking details on the booking page when you search for "
                  "free times."}[lang]


#: What booking a space costs, said whenever the guide names spaces to book, asked or not.
_COST_SAID = {
    "fi": {"free": "{space}: maksuton", "spaces": "Tilat ({venue}): {spaces}."},
    "sv": {"free": "{space}: avgiftsfri", "spaces": "Lokaler ({venue}): {spaces}."},
    "en": {"free": "{space}: free of charge", "spaces": "Spaces ({venue}): {spaces}."},
}


def main_library(venues: Sequence[Venue]) -> Venue | None:
    """The main library, whose paid spaces the rules of use name (seed 001: KANTTI), with
    its prices when its copy carries them."""
    mains = sorted((v for v in venues if v.is_main_library), key=lambda v: not v.prices)
    return mains[0] if mains else None


def space_price(venue: Venue, space_id: UUID
                ) -> Decimal | Literal["unknown", "unset"] | None:
    """The space's rental price per hour; "unset" for a space rented for a fee whose price
    is not set now (never said to be free); None when it is free (in free use only: a venue
    whose copy carries prices, without one for it, or a branch library, which has no paid
    spaces by seed 001); "unknown" for the main library's copy from before booking carried
    prices, never said to be free."""
    prices = dict(venue.prices)
    if space_id in prices:
        return prices[space_id]
    if space_id in venue.paid_spaces:
        return "unset"
    return None if prices or not venue.is_main_library else "unknown"


def space_cost(question: Question, venue: Venue) -> str:
    """Naming the space to book, or the venue's spaces, what each costs: the one the question
    names (its price per hour, or free), else each of the venue's; "" when not known."""
    lang = question.language
    t, said = _PRICE_SAID[lang], _COST_SAID[lang]
    named = _space_asked(question, venue)
    if named is not None:
        price = space_price(venue, named[0])
        where = {"space": l10n.text_in(named[1], lang), "venue": venue.label(lang)}
        return ("" if price == "unknown" else t["free"].format(**where) if price is None
                else t["unset"].format(**where) if price == "unset"
                else t["asked"].format(**where, price=l10n.money(price, lang)))
    listed = []
    for space_id, name in venue.spaces:
        price = space_price(venue, space_id)
        space = l10n.text_in(name, lang)
        if price == "unset":
            listed.append(t["each_unset"].format(space=space))
        elif price != "unknown":
            listed.append(said["free"].format(space=space) if price is None
                          else t["each"].format(space=space, price=l10n.money(price, lang)))
    return said["spaces"].format(venue=venue.label(lang), spaces="; ".join(listed)) \
        if listed else ""


#: What the rules do not say, said so (the staff can tell).
_RULES_SAY_NOTHING: dict[str, dict[Lang, str]] = {
    "food": {"fi": "Tilojen käyttösäännöt eivät sano mitään syömisestä tai tarjoilusta: "
                   "kirjaston henkilökunta osaa kertoa, mikä käy.",
             "sv": "Reglerna för lokalerna säger inget om att äta eller servera mat: "
                   "bibliotekets personal kan berätta vad som går bra.",
             "en": "The rules for the spaces say nothing about eating or serving food: the "
                   "library's staff can tell you what is fine."},
}


def answer_rules(question: Question, venue: Venue | None, links: Links,
                 main_library: Venue | None = None) -> Answer:
    """The rules of use the question touches. `main_library`: the venue whose paid spaces
    the rules name (seed 001: KANTTI's alone), so that their prices are said with them."""
    lang = question.language
    parts: list[str] = []
    org = question.organiser_type
    stage = any(w.startswith(("lava", "scen", "stage")) for w in question.space_words)
    main = venue is not None and venue.is_main_library
    branch = venue is not None and not venue.is_main_library
    priced = venue if venue is not None and venue.prices else main_library
    if question.asks_price and not branch:
        # Paid spaces are the main library's alone (seed 001); a branch's answer says so.
        parts.append(_price_where(question, venue or priced))
    elif venue is not None and _space_asked(question, venue) is not None and (
            cost := space_cost(question, venue)):
        parts.append(cost)  # the space named: its price or that it is free, unasked
    said_price = any(parts)
    topic = question.rules_topic
    if topic in ("alcohol", "food") and org in (None, "private"):
        # A matter the rules answer: the house rules every organiser accepts (an event is
        # substance-free); of food they say nothing, and that is said, not guessed. At a
        # party ("Can I drink beer at the party?", "servera vin på festen") that answer
        # first, then where a private event may be held; the prices were all it said.
        if topic == "food":
            parts.append(_RULES_SAY_NOTHING["food"][lang])
        parts.append(house_rules(lang))
        if org == "private":
            parts.append(RULES_OF_USE["paid_main"][lang])
            if branch:
                parts.append(RULES_OF_USE["branch_no_paid"][lang])
        return Answer("rules", " ".join(parts), lang,
                      (Citation(f"{HEADING[lang]}: {_T['booking_form'][lang]}", links.booking_form(
                          lang, venue.venue_id if venue else None)),
                       Citation(RULES_SOURCE[lang], links.rules(lang))),
                      offer_person=topic == "food",
                      venue_ids=(venue.venue_id,) if venue else (),
                      queue=queue_for(venue.area if venue else None),
                      foreign=_names_marked((venue,), lang))
    if topic == "general":
        parts.append(house_rules(lang))
    if org == "private":
        # Private events only in KANTTI's paid spaces; free use is for events open to all.
        parts.append(RULES_OF_USE["paid_main"][lang])
        if branch:
            parts.append(RULES_OF_USE["branch_no_paid"][lang])
        parts.append(RULES_OF_USE["free_cooperation"][lang])
    elif org in ("party", "religious", "commercial"):
        if branch:
            parts += [RULES_OF_USE["shared_branch"][lang], RULES_OF_USE["branch_no_paid"][lang]]
        elif main and org == "party":
            parts += [RULES_OF_USE["party_main"][lang], RULES_OF_USE["free_cooperation"][lang]]
        elif main:
            parts += [RULES_OF_USE["paid_main"][lang], RULES_OF_USE["free_cooperation"][lang]]
        else:
            parts += [RULES_OF_USE["shared_branch"][lang], RULES_OF_USE["paid_main"][lang]]
            if org == "party":
                parts.append(RULES_OF_USE["party_main"][lang])
        parts.append(RULES_OF_USE["non_commercial"][lang])
    else:
        if main and stage:
            parts.append(RULES_OF_USE["kantti_stage"][lang])
        parts.append(RULES_OF_USE["free_cooperation"][lang])
        if branch:
            parts.append(RULES_OF_USE["branch_no_paid"][lang])
        else:
            parts.append(RULES_OF_USE["paid_main"][lang])
    paid = RULES_OF_USE["paid_main"][lang]
    if paid in parts and not said_price and priced is not None and priced.prices:
        # The rule names the main library's paid spaces: their prices with it, unasked.
        parts.insert(parts.index(paid) + 1, _paid_listed(priced, lang))
    cites = [Citation(RULES_SOURCE[lang], links.rules(lang))]
    if venue is not None:
        cites.insert(0, _venue_citation(_T["booking_form"][lang], venue, lang,
                                 links.booking_form(lang, venue.venue_id)))
    elif question.asks_price:  # where the prices are shown
        cites.insert(0, Citation(_T["booking_form"][lang], links.booking_form(lang)))
    return Answer("rules", " ".join(dict.fromkeys(parts)), lang, tuple(cites),
                  venue_ids=(venue.venue_id,) if venue else (),
                  queue=queue_for(venue.area if venue else None),
                  foreign=_names_marked((venue, priced), lang))


def _spaces_listed(venue: Venue | None, lang: Lang) -> str:
    """The venue's bookable spaces, each with how many people it takes where the guide's copy
    says, or that its spaces are on the booking page."""
    if venue is None:
        return {"fi": "Kirjastojen varattavat tilat näkyvät varaussivulla.",
                "sv": "Bibliotekens lokaler att boka syns på bokningssidan.",
                "en": "The libraries' bookable spaces are on the booking page."}[lang]
    name = venue.label(lang)
    if not venue.spaces:
        return {"fi": f"Minulla ei ole tietoa paikan {name} tiloista: varattavat tilat "
                      "näkyvät sen varaussivulla.",
                "sv": f"Jag har inga uppgifter om lokalerna ({name}): lokalerna att boka "
                      "syns på dess bokningssida.",
                "en": f"I have no information on the spaces at {name}: its bookable spaces "
                      "are on its booking page."}[lang]
    sizes = dict(venue.capacities)
    people = {"fi": "{n} henkeä", "sv": "{n} personer", "en": "{n} people"}[lang]
    listed = ", ".join(l10n.text_in(space, lang) + (
        f" ({people.format(n=l10n.number(sizes[space_id], lang))})" if space_id in sizes
        else "")
        for space_id, space in venue.spaces)
    return {"fi": f"Varattavat tilat ({name}): {listed}.",
            "sv": f"Lokaler att boka ({name}): {listed}.",
            "en": f"Bookable spaces ({name}): {listed}."}[lang]


def _spaces_for(venue: Venue | None, count: int, lang: Lang) -> str:
    """Which of the venue's spaces take `count` people ("kokoustilaa 12 hengelle"), by the
    sizes the guide's copy has; none said of a size it does not know."""
    if venue is None or not venue.spaces:
        return ""
    sizes = dict(venue.capacities)
    name = venue.label(lang)
    fit = [l10n.text_in(space, lang) for space_id, space in venue.spaces
           if sizes.get(space_id, 0) >= count]
    people = l10n.number(count, lang)  # "1 200", "1,200": as the language writes it
    if fit:
        listed = ", ".join(fit)
        return {"fi": f"{people} henkeä mahtuu näihin: {listed}.",
                "sv": f"Lokaler som rymmer {people} personer: {listed}.",
                "en": f"Spaces that take {people} people: {listed}."}[lang]
    if not sizes:
        return {"fi": f"En tiedä, montako henkeä tiloihin ({name}) mahtuu: kysy kirjastosta.",
                "sv": f"Jag vet inte hur många lokalerna ({name}) rymmer: fråga biblioteket.",
                "en": f"I do not know how many people the spaces at {name} take: ask the "
                      "library."}[lang]
    return {"fi": f"Tietojeni mukaan mikään tila ({name}) ei ole {people} hengelle.",
            "sv": f"Enligt mina uppgifter rymmer ingen lokal ({name}) {people} personer.",
            "en": f"By my data, no space at {name} takes {people} people."}[lang]


def answer_booking(question: Question, venue: Venue | None, links: Links) -> Answer:
    lang = question.language
    where = venue.label(lang) if venue else {"fi": "kirjaston", "sv": "bibliotekets",
                                             "en": "a library"}[lang]
    text = {
        "fi": f"Näin varaat tilan ({where}): 1) katso tilan vapaat ajat varaussivulta, "
              "2) kirjaudu ja lähetä varauspyyntö (kerro, mitä järjestät ja onko toiminta "
              "yhteistyössä kirjaston kanssa), 3) kirjaston henkilökunta vahvistaa varauksen, "
              "ja saat vahvistuksen sähköpostiisi. ",
        "sv": f"Så bokar du en lokal ({where}): 1) se lokalens lediga tider på "
              "bokningssidan, 2) logga in och skicka en bokningsförfrågan (berätta vad du "
              "ordnar och om det sker i samarbete med biblioteket), 3) bibliotekets personal "
              "bekräftar bokningen och du får bekräftelsen per e-post. ",
        "en": f"How to book a space ({where}): 1) see the space's free times on the booking "
              "page, 2) sign in and send a booking request (say what you are organising and "
              "whether it is run with the library), 3) the library staff confirm it and you "
              "get the confirmation by email. "}[lang]
    if question.asks_spaces:
        # Which spaces the library has, asked: each with how many it takes, before how to
        # book one (the booking page shows them too); never "not in the calendar".
        # With how many they are for ("12 hengelle"), which of them take that many.
        fits = (_spaces_for(venue, question.head_count, lang)
                if question.head_count is not None else "")
        text = _spaces_listed(venue, lang) + " " + (fits + " " if fits else "") + text
    # The space named, or the venue's: what each costs, unasked (free or its price).
    cost = space_cost(question, venue) if venue is not None else ""
    text += (cost + " " if cost else "") + RULES_OF_USE["free_cooperation"][lang]
    cites = [Citation(_T["booking_form"][lang],
                      links.booking_form(lang, venue.venue_id if venue else None)),
             Citation(RULES_SOURCE[lang], links.rules(lang))]
    return Answer("booking", text, lang, tuple(cites),
                  venue_ids=(venue.venue_id,) if venue else (),
                  queue=queue_for(venue.area if venue else None),
                  foreign=_names_marked((venue,), lang))


def _latest_bookable(venue: Venue) -> dict[int, tuple[str, str]] | None:
    """The latest a space of the venue can be booked until on each weekday (ISO), by its
    weekly hours, with the kind of hours that end is in: a space's own weekly hours, else
    the venue's, staffed ones, and self-service ones for a space bookable in them too (as
    booking reads them). None when the guide's copy does not say for each of its spaces
    (no spaces, or a space's rule not kept)."""
    known = dict(venue.beyond_staffed)
    if not venue.spaces or any(space_id not in known for space_id, _ in venue.spaces):
        return None
    latest: dict[int, tuple[str, str]] = {}
    for space_id, _ in venue.spaces:
        own = [h for h in venue.hours if h.space_id == space_id]
        for h in own or [h for h in venue.hours if h.space_id is None]:
            if (h.weekday and h.opens and h.closes
                    and (h.kind == "staffed" or known[space_id])
                    and h.closes > latest.get(h.weekday, ("", ""))[0]):
                latest[h.weekday] = (h.closes, h.kind)
    return latest


def _latest_line(latest: dict[int, tuple[str, str]], lang: Lang) -> str:
    """"ma–pe 20.00 asti, la 16.00 asti (henkilökunta paikalla)": runs of weekdays with the
    same latest end, and the kind of hours it is in."""
    runs: list[tuple[int, int, tuple[str, str]]] = []
    for day in sorted(latest):
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == latest[day]:
            runs[-1] = (runs[-1][0], day, latest[day])
        else:
            runs.append((day, day, latest[day]))
    until = {"fi": "{t} asti", "sv": "till {t}", "en": "until {t}"}[lang]
    short = _WEEKDAY_SHORT[lang]
    one_kind = len({kind for _, _, (_, kind) in runs}) == 1
    said = []
    for first, last, (closes, kind) in runs:
        days = short[first - 1] + (f"–{short[last - 1]}" if last != first else "")
        said.append(f"{days} {until.format(t=clock_text(closes, lang))}"
                    + ("" if one_kind else f" ({_bookable_in(kind, lang)})"))
    return ", ".join(said) + (
        f" ({_bookable_in(runs[0][2][1], lang)})" if one_kind else "")


#: The hours a space's latest end is in, as `_latest_line` says it.
_BOOKABLE_IN: dict[str, dict[Lang, str]] = {
    "staffed": _T["staffed"],
    "self_service": {"fi": "omatoimiaikana", "sv": "under meröppet",
                     "en": "in self-service hours"},
}


def _bookable_in(kind: str, lang: Lang) -> str:
    return _BOOKABLE_IN.get(kind, {}).get(lang, kind)


#: A space bookable beyond staffed hours may be booked overnight by its rules (booking's
#: one flag says either): the guide cannot tell which, so it says where to see.
_OVERNIGHT_NOTE: dict[Lang, str] = {
    "fi": "Omatoimiaikana varattavan tilan säännöt voivat sallia myös käytön yön yli: ne "
          "näkyvät tilan varaussivulla.",
    "sv": "Reglerna för en lokal som kan bokas under meröppet kan också tillåta användning "
          "över natten: de syns på lokalens bokningssida.",
    "en": "A space bookable in self-service hours may also be used overnight by its rules: "
          "they are on the space's booking page."}


def answer_late_use(question: Question, venue: Venue | None, venues: Sequence[Venue],
                    links: Links) -> Answer | None:
    """Whether a space can be used or booked after (or until) the time asked ("Voiko tilaa
    käyttää klo 22 jälkeen?"): spaces are booked only in opening hours, so the latest each
    library's spaces can be booked until, by weekday, from the hours the guide holds, and
    whether any reaches the time. None when the data does not say (no spaces or hours
    known, or a space's rule not kept): then the question is handed over."""
    lang = question.language
    if question.late is None:
        return None
    at, direction = question.late
    scope = [venue] if venue is not None else sorted(
        (v for v in venues if v.kind == "library"),
        key=lambda v: l10n.collation_key(v.label(lang), lang))
    foreign: list[tuple[str, str]] = []
    groups: dict[str, list[Venue]] = {}
    reaching: list[Venue] = []
    for v in scope:
        latest = _latest_bookable(v)
        if latest is None:
            if venue is not None:
                return None
            continue  # not known: neither said to be bookable late nor not
        if not latest:
            continue
        groups.setdefault(_latest_line(latest, lang), []).append(v)
        if any(closes > at if direction == "after" else closes >= at
               for closes, _ in latest.values()):
            reaching.append(v)
    if not groups:
        return None
    said = clock_text(at, lang)
    when = {"fi": f"klo {said} {'jälkeen' if direction == 'after' else 'asti'}",
            "sv": f"{'efter' if direction == 'after' else 'till'} kl. {said}",
            "en": f"{'after' if direction == 'after' else 'until'} {said}"}[lang]
    rule = {"fi": "Tiloja voi varata kirjaston aukioloaikoina",
            "sv": "Lokalerna kan bokas under bibliotekets öppettider",
            "en": "Spaces can be booked in the library's opening hours"}[lang]
    if reaching:
        names = "; ".join(_label(v, lang, foreign) for v in reaching)
        verdict = {"fi": f"{rule}; {when} tietojeni mukaan: {names}.",
                   "sv": f"{rule}; {when} enligt mina uppgifter: {names}.",
                   "en": f"{rule}; {when}, as far as my data goes: {names}."}[lang]
    else:
        verdict = {"fi": f"{rule}, eikä tietojeni mukaan {when}.",
                   "sv": f"{rule}, och enligt mina uppgifter inte {when}.",
                   "en": f"{rule}, and as far as my data goes not {when}."}[lang]
    heading = {"fi": "Myöhäisimmät varattavat ajat:", "sv": "De senaste tiderna att boka:",
               "en": "The latest times to book:"}[lang]
    lines = [f"• {'; '.join(_label(v, lang, foreign) for v in group)}: {line}"
             for line, group in groups.items()]
    listed = [v for group in groups.values() for v in group]
    # The self-service hours of a space bookable in them end the line: that space may be
    # bookable overnight too, which the guide cannot tell.
    note = [_OVERNIGHT_NOTE[lang]] if any(
        known for v in listed for _, known in v.beyond_staffed) else []
    # The booking page (each space's free times and rules) and, for a library named, its
    # hours; every library's hours page would bury the booking page.
    cites = [Citation(_T["booking_form"][lang],
                      links.booking_form(lang, venue.venue_id if venue else None))]
    if venue is not None:
        cites.append(_venue_citation(_T["hours_source"][lang], venue, lang,
                              links.venue_hours(venue.venue_id, lang)))
    return Answer("booking", "\n".join([verdict, heading, *lines, *note]), lang, tuple(cites),
                  venue_ids=tuple(v.venue_id for v in listed),
                  queue=queue_for(venue.area if venue else None),
                  foreign=tuple(dict.fromkeys(foreign)))


def answer_location(question: Question, venue: Venue, links: Links) -> Answer | None:
    lang = question.language
    if not venue.address:
        return None
    place = PLACE_BY_CODE.get(venue.area)
    area = f" ({place.name[lang]})" if place else ""
    text = {"fi": f"{venue.label(lang)}: {venue.address}{area}.",
            "sv": f"{venue.label(lang)}: {venue.address}{area}.",
            "en": f"{venue.label(lang)}: {venue.address}{area}."}[lang]
    return Answer("location", text, lang,
                  (_venue_citation(_T["venue_page"][lang], venue, lang,
                            links.venue(venue.venue_id, lang)),), venue_ids=(venue.venue_id,),
                  foreign=_names_marked((venue,), lang))


def answer_accessibility(question: Question, venue: Venue, links: Links) -> Answer | None:
    """The venue's structured features in the resident's language (the names booking's desk
    marks them by), then its own description; None when it has neither (a handover)."""
    lang = question.language
    names = feature_names(venue.accessibility_features, lang)
    note, written = l10n.text_and_lang(venue.accessibility, lang)
    note = note.strip()
    if not names and not note:
        return None
    # The desk's description in another language only is marked with it, as its name is.
    foreign = (*_names_marked((venue,), lang), *([(note, written)] if written != lang else []))
    # Asked where it is as well: its address first, so neither half goes unanswered.
    parts = [f"{venue.address}."] if question.asks_where and venue.address else []
    parts += [f"{_T['features'][lang]}: {', '.join(names)}."] if names else []
    parts += [note] if note else []
    return Answer("accessibility", f"{venue.label(lang)}: {' '.join(parts)}", lang,
                  (_venue_citation(_T["venue_page"][lang], venue, lang,
                            links.venue(venue.venue_id, lang)),), venue_ids=(venue.venue_id,),
                  foreign=foreign)


#: A facility as the answer names it ("Tiedoissani ei ole tietoa aiheesta pysäköinti").
_FACILITY_SAID: dict[str, dict[Lang, str]] = {
    "toilet": {"fi": "wc-tilat", "sv": "toaletter", "en": "toilets"},
    "parking": {"fi": "pysäköinti", "sv": "parkering", "en": "parking"},
    "cloakroom": {"fi": "narikka ja säilytyslokerot", "sv": "garderob och förvaringsskåp",
                  "en": "the cloakroom and lockers"},
    "cafe": {"fi": "kahvila", "sv": "kafé", "en": "a café"},
    "wifi": {"fi": "wifi-yhteys", "sv": "wifi", "en": "wifi"},
}
#: The venue's accessibility features (`shared.accessibility`) that are facts about a
#: facility asked after: an accessible toilet is a toilet there, accessible parking parking.
_FACILITY_FEATURES: dict[str, tuple[str, ...]] = {
    "toilet": ("accessible_toilet",), "parking": ("accessible_parking",)}


def answer_facility(question: Question, venue: Venue, links: Links) -> Answer:
    """A facility of the venue asked after (`FACILITIES`: a toilet, parking, a cloakroom, a
    café, wifi): what the guide's data says of it, which is only the venue's accessibility
    features that are such a facility and its accessibility description when that names
    it; then that its staff can tell, with its contact and page. Nothing else is known, so
    nothing else is said: a facility not listed is not known to be missing."""
    lang = question.language
    facility = question.facility or ""
    foreign: list[tuple[str, str]] = []
    name = _label(venue, lang, foreign)
    topic = _FACILITY_SAID.get(facility, {}).get(lang, "")
    known = feature_names([f for f in venue.accessibility_features
                           if f in _FACILITY_FEATURES.get(facility, ())], lang)
    # The venue's own accessibility description, when it names the facility ("esteetön
    # WC"): its words as the desk wrote them, never read for what they leave out.
    note, written = l10n.text_and_lang(venue.accessibility, lang)
    note = note.strip()
    if facility not in _match(FACILITIES, words(note), fold(note)):
        note = ""
    elif written != lang:
        foreign.append((note, written))
    reach = ", ".join(x for x in (venue.contact_phone, venue.contact_email) if x)
    staff = ({"fi": "Kirjaston henkilökunta", "sv": "Bibliotekets personal",
              "en": "The library's staff"} if venue.kind == "library" else
             {"fi": "Paikan henkilökunta", "sv": "Personalen där",
              "en": "The staff there"})[lang]
    tell = {"fi": f"{staff} osaa kertoa", "sv": f"{staff} kan berätta",
            "en": f"{staff} can tell you"}[lang] + (f": {reach}." if reach else ".")
    page = {"fi": "Paikan tiedot ovat sen sivulla (linkki alla).",
            "sv": "Platsens uppgifter finns på dess sida (länken nedan).",
            "en": "Its details are on its page (link below)."}[lang]
    cite = (_venue_citation(_T["venue_page"][lang], venue, lang,
                            links.venue(venue.venue_id, lang)),)
    if known or note:
        said = " ".join([*([f"{_T['features'][lang]}: {', '.join(known)}."] if known else []),
                         *([note] if note else [])])
        more = {"fi": f"Muuta tietoa aiheesta {topic} minulla ei ole.",
                "sv": f"Mer om {topic} finns inte i mina uppgifter.",
                "en": f"I have no more information about {topic} there."}[lang]
        return Answer("accessibility", f"{name}: {said} {more} {tell} {page}", lang, cite,
                      offer_person=True, queue=queue_for(venue.area),
                      venue_ids=(venue.venue_id,), foreign=tuple(foreign))
    text = {"fi": f"Tiedoissani ei ole tietoa aiheesta {topic} ({name}).",
            "sv": f"Jag har inga uppgifter om {topic} ({name}).",
            "en": f"I have no information about {topic} at {name}."}[lang]
    return Answer("handover", f"{text} {tell} {page} {_T['person_hint'][lang]}", lang, cite,
                  confident=False, offer_person=True, queue=queue_for(venue.area),
                  venue_ids=(venue.venue_id,), foreign=tuple(foreign))


def answer_contact(question: Question, venue: Venue | None, area: str | None,
                   links: Links) -> Answer:
    lang = question.language
    place = PLACE_BY_CODE.get(area or (venue.area if venue else ""))
    lines = []
    cites: list[Citation] = []
    if venue and (venue.contact_email or venue.contact_phone):
        reach = ", ".join(x for x in (venue.contact_phone, venue.contact_email) if x)
        lines.append({"fi": f"{venue.label(lang)}: {reach}.",
                      "sv": f"{venue.label(lang)}: {reach}.",
                      "en": f"{venue.label(lang)}: {reach}."}[lang])
        cites.append(_venue_citation(_T["venue_page"][lang], venue, lang,
                              links.venue(venue.venue_id, lang)))
    region = place.coordinator if place else question.region
    who = COORDINATORS[region][lang] if region in COORDINATORS else {
        "fi": "pääkirjasto KANTTIn neuvonta", "sv": "huvudbiblioteket KANTTIs rådgivning",
        "en": "the KANTTI main library's desk"}[lang]
    lines.append({"fi": f"Asukastoiminnasta ja tiloista vastaa {who}. ",
                  "sv": f"Om invånarverksamhet och lokaler svarar {who}. ",
                  "en": f"For resident activity and spaces, ask {who}. "}[lang]
                 + _T["person_hint"][lang])
    cites.append(Citation(RULES_SOURCE[lang], links.rules(lang)))
    return Answer("contact", " ".join(lines), lang, tuple(cites), offer_person=True,
                  queue=queue_for(place.code if place else None, question.region),
                  venue_ids=(venue.venue_id,) if venue else (),
                  foreign=_names_marked((venue,), lang))


def _who_answers(area: str | None, lang: Lang, region: str | None = None) -> str:
    """Who takes a question the guide passes on: the area's coordinator (or the area group's
    named), else the desk."""
    place = PLACE_BY_CODE.get(area or "")
    if place or region in COORDINATORS:
        return COORDINATORS[place.coordinator if place else str(region)][lang]
    return {"fi": "kirjaston neuvonta", "sv": "bibliotekets rådgivning",
            "en": "the library desk"}[lang]


def handover(question: Question, area: str | None, reason: str) -> Answer:
    """Not answerable with confidence from the platform's data: say so, and offer the right
    person instead of guessing."""
    lang = question.language
    who = _who_answers(area, lang)
    text = {"fi": f"En osaa vastata tähän varmasti ({reason}). Kysymykseesi vastaa {who}. "
                  "Voin välittää kysymyksesi henkilökunnalle: aukioloaikana vastaus tulee "
                  "tähän keskusteluun, muulloin sähköpostiisi.",
            "sv": f"Jag kan inte svara säkert på det här ({reason}). Din fråga besvaras av "
                  f"{who}. Jag kan skicka frågan vidare till personalen: under öppettid kommer "
                  "svaret hit, annars till din e-post.",
            "en": f"I cannot answer this with confidence ({reason}). {who[0].upper()}"
                  f"{who[1:]} can. I can pass your question to the staff: during their hours "
                  "the answer comes here, otherwise to your email."}[lang]
    return Answer("handover", text, lang, (), confident=False, offer_person=True,
                  queue=queue_for(area))


def person_handover(question: Question, area: str | None) -> Answer:
    """The resident asked for a person: confirmed in plain words, who answers and how (the
    widget's button passes it on), never "I cannot answer" to what was not a question."""
    lang = question.language
    who = _who_answers(area, lang, question.region)
    text = {"fi": f"Selvä, välitän kysymyksesi ihmiselle ({who}): paina ”Puhu ihmisen "
                  "kanssa”. Aukioloaikana vastaus tulee tähän keskusteluun, muulloin "
                  "sähköpostiisi.",
            "sv": f"Självklart, jag skickar din fråga vidare till en person ({who}): tryck "
                  "på ”Prata med en person”. Under öppettid kommer svaret hit, annars till "
                  "din e-post.",
            "en": f"Of course, I will pass your question to a person ({who}): press “Talk "
                  "to a person”. During their hours the answer comes here, otherwise to your "
                  "email."}[lang]
    return Answer("handover", text, lang, (), confident=False, offer_person=True,
                  queue=queue_for(area, question.region))


_COURTESY_SAID: dict[str, dict[Lang, str]] = {
    # One line: what the guide can help with, so that the resident knows what to ask.
    "greeting": {"fi": "Hei! Kerron kirjastojen aukioloajoista, tapahtumista ja "
                       "harrastuksista sekä tilojen varaamisesta. Mitä haluaisit tietää?",
                 "sv": "Hej! Jag berättar om bibliotekens öppettider, evenemang och "
                       "aktiviteter och om att boka lokaler. Vad vill du veta?",
                 "en": "Hello! I can tell you about the libraries' opening hours, events and "
                       "activities, and booking a space. What would you like to know?"},
    "thanks": {"fi": "Ole hyvä! Kysy vain lisää, jos haluat tietää jotain muuta.",
               "sv": "Varsågod! Fråga gärna mer om du vill veta något annat.",
               "en": "You're welcome! Just ask if there is anything else you would like to "
                     "know."},
}


def answer_courtesy(question: Question) -> Answer:
    """A greeting or thanks answered in kind, in the conversation's language: a greeting
    with what the guide helps with, thanks with "you're welcome" and an offer to ask more.
    Nothing is said of the data, so nothing is cited, and no person is offered: nothing
    was asked that the guide could not answer."""
    lang = question.language
    return Answer("courtesy", _COURTESY_SAID[question.courtesy or "greeting"][lang], lang)


#: How many venues one lending answer names; the rest are counted.
MAX_LENDING_VENUES = 5
#: How many of the nearest places that lend anything are named, when the place asked
#: about lends nothing and what was asked is lent nowhere.
MAX_NEAREST_VENUES = 3
#: Words of asking to borrow, and of the library itself: no lendable's name is matched on them.
_NOT_ITEM_WORDS = (*_LENDING, "kirjasto", "bibliotek", "librar", "voiko", "voinko", "saako")
#: Words of asking what there is at all, naming no thing ("Mitä kaikkea voin…", "Vad finns
#: det för saker…", "What things could residents borrow…"): such a question is answered with
#: all that is lent there, not with "not found".
_ANY_THING = ("kaikk", "kaike", "tavar", "esinei", "jotakin", "mitaan", "mitka", "millaisi",
              "voin", "voisi", "voimme", "voiva", "sielta", "taalta", "asuk", "kuntalai",
              "saker", "grejer", "nagonting", "allt", "invanar", "boende",
              "thing", "stuff", "item", "something", "everything", "anything", "kind", "sort",
              "could", "would", "resident", "people")
#: Everyday names of the same things in fi, sv and en, group by group: a question naming one
#: names a lendable named by another ("brädspel" is "Sällskapsspel", "urheiluvälineitä" are
#: "Liikuntavälineet", "sports gear" is "Sports equipment"). Only names of the kind, never
#: its bare last part ("pelit", "spel", "games" are matched as a compound's part already,
#: and would name a "Spelkonsol" too). A stem matches a word's beginning; with a space it is
#: the beginning of a phrase.
_SAME_THINGS: tuple[tuple[str, ...], ...] = (
    ("lautapel", "seurapel", "bradspel", "sallskapsspel", "board game", "boardgame",
     "tabletop game", "table game", "parlour game", "parlor game"),
    ("liikuntavalin", "urheiluvalin", "kuntoiluvalin", "treenivalin", "liikuntatarvik",
     "urheilutarvik", "motionsredskap", "idrottsredskap", "sportredskap", "traningsredskap",
     "motionsutrustning", "idrottsutrustning", "sportutrustning", "traningsutrustning",
     "sports equipment", "sport equipment", "sports gear", "sport gear", "sporting goods",
     "sporting equipment", "sports kit", "exercise equipment", "exercise gear",
     "fitness equipment", "fitness gear", "training equipment"),
    ("lumikeng", "lumikenk", "snosko", "trugor", "snowshoe", "snow shoe"),
    ("kausikort", "kausilip", "sasongskort", "sasongsbiljett", "season card", "season pass",
     "season ticket"),
)


def _alike(word: str, head: str, least: int) -> bool:
    """`word` begins as `head` does up to the ending: at least `least` letters, and all but
    the last three of the shorter."""
    common = _common_head(word, head)
    return common >= least and common >= min(len(word), len(head)) - 3


def _says(text: str, stem: str) -> bool:
    """`text` has a word beginning with `stem`, or with a phrase `stem` has a space."""
    folded = fold(text)
    if " " in stem:
        return re.search(rf"(^|\W){re.escape(stem)}", folded) is not None
    return any(w.startswith(stem) for w in words(folded))


def _asked_for(question: Question, item: Lendable) -> bool:
    """The question names the item in any of its languages, however inflected: a word of the
    question and a word of the item's name share their first letters up to the ending (at
    least four, all but the last three of the shorter), so "lautapelejä" is "Lautapelit".
    A compound's last part, asked alone, names it too ("pelejä" "Lautapelit", "spel"
    "Sällskapsspel"): any ending of four letters or more after the first three, matched from
    three letters (a Finnish stem changes before its plural ending: peli → pelejä). Or the
    question names it by another everyday name (`_SAME_THINGS`)."""
    asked = [w for w in words(question.text)
             if len(w) >= 4 and not w.startswith(_NOT_ITEM_WORDS) and not _names_place(w)]
    for name in item.name.values():
        for part in words(name):
            heads = [(part, 4), *((part[i:], 3) for i in range(3, len(part) - 3))]
            if any(_alike(word, head, least) for word in asked for head, least in heads):
                return True
    return any(any(_says(question.text, s) for s in same)
               and any(_says(name, s) for s in same for name in item.name.values())
               for same in _SAME_THINGS)


def _names_place(word: str) -> bool:
    """A word naming one of the areas or its library ("kantti", "jynkän"): where the thing is
    asked for, never the thing (an item called "KANTTI's games" is not all KANTTI lends)."""
    return any(word.startswith(stem) for place in PLACES for stem in place.stems
               if " " not in stem)


def _asks_what_is_lent(question: Question, venue: Venue | None) -> bool:
    """A general question ("Mitä Karttulan kirjastosta voi lainata?", "Vad kan man låna på
    …?", "What can I borrow at …?"): no word of it names a thing, once the words of asking,
    of lending, of the library and the venue's own name are set aside."""
    names = [w for n in (venue.name.values() if venue else ()) for w in words(n)]
    return not any(
        not w.startswith((*_NOT_ITEM_WORDS, *_ANY_THING))
        and not any(_alike(w, n, 4) for n in names)
        for w in question.keywords)


def _how_many(item: Lendable, lang: Lang) -> str:
    return l10n.number(item.quantity, lang) + {"fi": " kpl", "sv": " st.", "en": ""}[lang]


def _by_item(lending: Sequence[tuple[Venue, Sequence[Lendable]]], lang: Lang) -> str:
    """What is lent where, item by item (asked without a venue): "Lautapelit: Jynkän kirjasto
    (10 kpl), KANTTI (30 kpl) … ja 6 muuta paikkaa"."""
    places: dict[str, tuple[str, list[str]]] = {}
    for venue, items in lending:
        for item in items:
            _, where = places.setdefault(fold(item.name["fi"]), (item.label(lang), []))
            where.append(f"{venue.label(lang)} ({_how_many(item, lang)})")
    more = {"fi": "… ja {} muuta paikkaa", "sv": "… och {} ställen till",
            "en": "… and {} more places"}[lang]
    return "; ".join(
        f"{name}: " + ", ".join(where[:MAX_LENDING_VENUES])
        + (" " + more.format(len(where) - MAX_LENDING_VENUES)
           if len(where) > MAX_LENDING_VENUES else "")
        for name, where in sorted(places.values(),
                                  key=lambda p: l10n.collation_key(p[0], lang)))


def _nearest(venues: Sequence[Venue], area: str | None) -> list[Venue]:
    """`venues` nearest to `area` first: the area's own, then its coordinator's area group
    (the city, the rural north or south: the guide knows no distances), then the rest with
    the main library first; alphabetically within each."""
    def rank(v: Venue) -> tuple[int, bool, str]:
        near = 0 if v.area == area else 1 if _near(v, area) else 2
        return near, not v.is_main_library, fold(v.name.get("fi", ""))

    return sorted(venues, key=rank)


def _near(venue: Venue, area: str | None) -> bool:
    """The venue is in `area`'s own area group."""
    place, other = PLACE_BY_CODE.get(area or ""), PLACE_BY_CODE.get(venue.area)
    return bool(place and other and other.coordinator == place.coordinator)


def _by_venue(lending: Sequence[tuple[Venue, Sequence[Lendable]]], lang: Lang) -> str:
    """What each venue lends: "Karttulan kirjasto: Lautapelit (10 kpl), Liikuntavälineet
    (6 kpl); Riistaveden kirjasto: …"."""
    return "; ".join(f"{v.label(lang)}: " + ", ".join(
        f"{i.label(lang)} ({_how_many(i, lang)})" for i in items) for v, items in lending)


def answer_lending(question: Question, venue: Venue | None, venues: Sequence[Venue],
                   area: str | None, links: Links) -> Answer:
    """Borrowing things (board games, sports equipment, a projector; seed 001): the venues
    that lend what the question names, from what booking's desks list (`lendables` on
    `venue.*`), at the venue asked about, else in the area named, else anywhere; with how to
    borrow. Asked what is lent at all, naming no thing (`_asks_what_is_lent`): all that is
    lent there. What no venue is known to lend is never guessed: the guide says what it knows is
    lent there and offers to pass the question to the library's staff (never an event
    search). A venue's own contact, when it has published one, is given too. Not lent at the
    place asked about, or nothing lent there at all: where it is lent instead, nearest first
    (`_nearest`), or the nearest places that lend anything, with what they lend."""
    lang = question.language
    marked = _names_marked([venue, *venues], lang)  # the places named, wherever said
    scope = [venue] if venue is not None else [v for v in venues if area in (None, v.area)]
    lending = [(v, [i for i in v.lendables if i.quantity > 0]) for v in scope]
    lending = [(v, items) for v, items in lending if items]
    asked = [(v, [i for i in items if _asked_for(question, i)]) for v, items in lending]
    asked = [(v, items) for v, items in asked if items]
    if not asked and _asks_what_is_lent(question, venue):
        asked = lending  # asked what is lent at all: all of it, never "not found"
    cites: tuple[Citation, ...] = ()
    if venue is not None:
        cites = (_venue_citation(_T["venue_page"][lang], venue, lang,
                          links.venue(venue.venue_id, lang)),)
    reach = ""
    if venue is not None and (venue.contact_phone or venue.contact_email):
        reach = ", ".join(x for x in (venue.contact_phone, venue.contact_email) if x)
        reach = {"fi": f" Voit kysyä myös suoraan: {venue.label(lang)}, {reach}.",
                 "sv": f" Du kan också fråga direkt: {venue.label(lang)}, {reach}.",
                 "en": f" You can also ask them directly: {venue.label(lang)}, {reach}."}[lang]
    if asked and venue is None:  # each library named in the answer, its page to read
        cites = tuple(_venue_citation(_T["venue_page"][lang], v, lang,
                               links.venue(v.venue_id, lang))
                      for v, _ in asked[:MAX_LENDING_VENUES])
    if asked:
        # At the venue asked about, `asked` is that one venue's.
        listed = _by_venue(asked, lang) if venue is not None else _by_item(asked, lang)
        text = {"fi": f"Lainattavissa – {listed}. Lainaamisesta sovitaan kirjaston "
                      "asiakaspalvelussa: kysy, onko vapaana haluamanasi aikana.",
                "sv": f"Att låna – {listed}. Lånet kommer du överens om i bibliotekets "
                      "kundtjänst: fråga om det finns ledigt när du behöver det.",
                "en": f"To borrow – {listed}. Borrowing is arranged at the library's "
                      "customer service: ask whether one is free when you need it."}[lang]
        return Answer("lending", text + reach, lang, cites,
                      venue_ids=tuple(v.venue_id for v, _ in asked[:MAX_LENDING_VENUES]),
                      foreign=marked)
    offer = {"fi": "Voin välittää kysymyksesi kirjaston henkilökunnalle: aukioloaikana vastaus "
                   "tulee tähän keskusteluun, muulloin sähköpostiisi.",
             "sv": "Jag kan skicka din fråga vidare till bibliotekets personal: under "
                   "öppettid kommer svaret hit, annars till din e-post.",
             "en": "I can pass your question to the library staff: during their hours the "
                   "answer comes here, otherwise to your email."}[lang]
    place = PLACE_BY_CODE.get(area or "")
    # The place asked about, when one was: a venue, or an area none of whose venues lends.
    here = venue.label(lang) if venue is not None else place.name[lang] if place else None
    origin = venue.area if venue is not None else area
    asked_ids = {v.venue_id for v in scope}
    others = _nearest([v for v in venues if v.venue_id not in asked_ids], origin)
    elsewhere = [(v, [i for i in v.lendables if i.quantity > 0 and _asked_for(question, i)])
                 for v in others] if here is not None else []
    elsewhere = [(v, items) for v, items in elsewhere if items]
    if lending:
        names = {fold(i.name["fi"]): i.label(lang) for _, items in lending for i in items}
        known = l10n.words(sorted(names.values(), key=lambda n: l10n.collation_key(n, lang)),
                           lang)
        where = f" ({venue.label(lang)})" if venue is not None else ""
        own = {"fi": f"En löytänyt kysymääsi lainattavista, joista minulla on tieto{where}: "
                     f"{known}.",
               "sv": "Jag hittade inte det du frågade efter bland det jag vet att man kan "
                     f"låna{where}: {known}.",
               "en": "I did not find what you asked for among the things I know can be "
                     f"borrowed{where}: {known}."}[lang]
    elif here is not None and any(v.lendables for v in others):
        # Nothing lent at the place asked about (its desk lists nothing, or its copy is
        # from before booking carried the list) while others lend: said, and they named.
        own = {"fi": f"{here}: tiedoissani ei ole mitään, mitä sieltä voi lainata.",
               "sv": f"{here}: i mina uppgifter finns inget som man kan låna där.",
               "en": f"{here}: I know of nothing you can borrow there."}[lang]
    else:
        text = {"fi": "En osaa vastata tähän: tiedoissani ei ole kirjaston lainattavia "
                      "esineitä tai laitteita, vain aukioloajat, tapahtumat, tilojen varaaminen "
                      f"ja yhteystiedot. {offer}",
                "sv": "Jag kan inte svara på det här: mina uppgifter omfattar inte föremål som "
                      "biblioteket lånar ut, bara öppettider, evenemang, bokning av lokaler "
                      f"och kontakter. {offer}",
                "en": "I cannot answer this: my data does not cover the things the library "
                      "lends, only opening hours, events, booking spaces and contacts. "
                      f"{offer}"}[lang]
        return Answer("handover", text + reach, lang, cites, confident=False,
                      offer_person=True, queue=queue_for(venue.area if venue else area),
                      venue_ids=(venue.venue_id,) if venue else (), foreign=marked)
    if elsewhere:
        # Not lent at the place asked about but at others (snowshoes at KANTTI only): where
        # the thing is lent, nearest first, rather than leaving the resident to ask round.
        listed = _by_item(elsewhere, lang)
        text = {"fi": f"{own} Muualla lainattavissa – {listed}. Lainaamisesta sovitaan "
                      "kirjaston asiakaspalvelussa.",
                "sv": f"{own} Att låna på andra ställen – {listed}. Lånet kommer du "
                      "överens om i bibliotekets kundtjänst.",
                "en": f"{own} To borrow elsewhere – {listed}. Borrowing is arranged at the "
                      "library's customer service."}[lang]
        shown = elsewhere[:MAX_LENDING_VENUES]
        return Answer("lending", text, lang, cites + tuple(
            _venue_citation(_T["venue_page"][lang], v, lang,
                     links.venue(v.venue_id, lang)) for v, _ in shown),
            venue_ids=tuple(v.venue_id for v, _ in shown), foreign=marked)
    shown = []
    if not lending:
        # Nothing lent here, nor what was asked anywhere: the nearest places that lend
        # anything, with what they lend (the area group's own, else the nearest others).
        others_lending = [(v, [i for i in v.lendables if i.quantity > 0]) for v in others]
        others_lending = [(v, items) for v, items in others_lending if items]
        near = [(v, items) for v, items in others_lending if _near(v, origin)]
        shown = (near or others_lending)[:MAX_NEAREST_VENUES]
        lead = ({"fi": "Lähialueella lainattavissa", "sv": "Att låna i närområdet",
                 "en": "To borrow nearby"} if near else
                {"fi": "Muualla lainattavissa", "sv": "Att låna på andra ställen",
                 "en": "To borrow elsewhere"})[lang]
        own += f" {lead} – {_by_venue(shown, lang)}."
    return Answer("handover", f"{own} {offer}{reach}", lang, cites + tuple(
        _venue_citation(_T["venue_page"][lang], v, lang, links.venue(v.venue_id, lang))
        for v, _ in shown), confident=False, offer_person=True,
        queue=queue_for(venue.area if venue else area),
        venue_ids=((venue.venue_id,) if venue else ()) + tuple(v.venue_id for v, _ in shown),
        foreign=marked)


_REASONS: dict[str, dict[Lang, str]] = {
    # Not understood, which is all the guide knows: never that the question is not about
    # booking or events (it may well be, in words the rules do not know).
    "unknown": {"fi": "en tunnistanut kysymystäsi niin, että löytäisin vastauksen "
                      "tiedoistani",
                "sv": "jag förstod inte frågan så att jag kunde hitta svaret i mina "
                      "uppgifter",
                "en": "I did not understand the question well enough to find the answer in "
                      "my data"},
    "no_events": {"fi": "kalenterista ei löytynyt kysymykseesi sopivaa tapahtumaa",
                  "sv": "kalendern har inget evenemang som passar din fråga",
                  "en": "the calendar has no event that matches your question"},
    "no_address": {"fi": "osoitetta ei ole tiedoissa", "sv": "adressen finns inte i "
                   "uppgifterna", "en": "the address is not in the data"},
    "no_access": {"fi": "esteettömyystietoja ei ole", "sv": "uppgifter om tillgänglighet "
                  "saknas", "en": "there is no accessibility information"},
    "no_venue": {"fi": "paikkaa ei löytynyt", "sv": "platsen hittades inte",
                 "en": "the place was not found"},
    "no_hours": {"fi": "aukioloaikoja ei ole ilmoitettu", "sv": "öppettiderna har inte "
                 "meddelats", "en": "the opening hours are not published"},
    "no_booking_hours": {"fi": "tiedoissani ei ole, milloin tiloja voi varata",
                         "sv": "mina uppgifter säger inte när lokalerna kan bokas",
                         "en": "my data does not say when the spaces can be booked"},
}


def reason(code: str, lang: Lang) -> str:
    return _REASONS[code][lang]


def clarify_place(question: Question, venues: list[Venue]) -> Answer:
    lang = question.language
    names = ", ".join(sorted(v.label(lang) for v in venues)) or "—"
    text = {"fi": f"Mitä kirjastoa tai aluetta tarkoitat? Vaihtoehdot: {names}.",
            "sv": f"Vilket bibliotek eller område menar du? Alternativ: {names}.",
            "en": f"Which library or area do you mean? The options: {names}."}[lang]
    return Answer("clarify", text, lang, (), confident=False,
                  foreign=_names_marked(venues, lang))


def clarified(messages: Sequence[Message]) -> str | None:
    """The question the guide's latest message asked to be made clearer ("Mitä kirjastoa
    tai aluetta tarkoitat?"), as it was read then (`asked` of the stored answer; before that
    was kept, the resident's message before it); None when the latest message is no such
    question (an answer, a person's reply)."""
    if not messages or messages[-1].author != "guide" or not messages[-1].answer:
        return None
    answer = messages[-1].answer
    if answer.get("kind") != "clarify":
        return None
    asked = answer.get("asked")
    if isinstance(asked, str) and asked:
        return asked
    return next((m.text for m in reversed(messages[:-1]) if m.author == "resident"), None)


def answers_clarification(reply: Question) -> bool:
    """Whether a message after the guide's "which library or area?" is the answer to it: no
    question of its own (no intent), a place named ("Jynkkä", "Jynkän kirjastossa",
    "KANTTI – Kuopion kaupunginkirjasto", an option as listed). Such a reply is read
    together with the question it answers (`in_context`)."""
    return reply.intent == "unknown" and (bool(reply.areas) or _names_main_library(reply.text))


def in_context(asked: str, reply: str, today: date, hint: Lang | None = None) -> Question:
    """A reply to a clarifying question read as the question it completes: the earlier
    question's words and the reply's place, so "Jynkän kirjasto" after "Missä on lähin
    kirjasto ja milloin se on auki?" asks that library's hours and address."""
    return understand(f"{asked.rstrip()} {reply.strip()}", today, hint)


#: Finnish consonant gradation read backwards, weak grade to strong, as a place's genitive
#: (a venue's Finnish name: "Jynkän", "Maaningan", "Pitkälahden") turns into its base form
#: (Swedish and English names, and residents writing in them: "Jynkkä", "Maaninka",
#: "Pitkälahti"). "" to "k" is the k lost between vowels (mäki, mäen).
_STRONG_GRADE = (("ng", "nk"), ("mm", "mp"), ("ll", "lt"), ("nn", "nt"), ("rr", "rt"),
                 ("lj", "lk"), ("rj", "rk"), ("d", "t"), ("v", "p"), ("k", "kk"),
                 ("p", "pp"), ("t", "tt"), ("", "k"))
_VOWELS = "aeiouy"  # folded: ä, ö are a, o


def base_forms(word: str) -> frozenset[str]:
    """A folded word and, read as a Finnish genitive (-n after a vowel), the base forms it
    may have: its stem (Pyörön pyoro, Nilsiän nilsia), the stem's consonant strengthened
    (`_STRONG_GRADE`: Jynkän jynkka, Maaningan maaninka), an e-stem's -i (Vehmersalmen
    vehmersalmi, Neulamäen neulamaki, Pitkälahden pitkalahti), -si for -de (Riistaveden
    riistavesi) and -nen for -se (Virtasen virtanen). More forms than the language has:
    they are only compared with the forms of a venue's own name (`venues_named`)."""
    forms = {word}
    if len(word) < 4 or word[-1] != "n" or word[-2] not in _VOWELS:
        return frozenset(forms)
    stem = word[:-1]
    stems = [stem]
    if stem.endswith("e"):
        stems.append(stem[:-1] + "i")
        if stem.endswith("de"):
            forms.add(stem[:-2] + "si")
        if stem.endswith("se"):
            forms.add(stem[:-2] + "nen")
    forms.update(stems)
    for each in stems:
        body, vowel = each[:-1], each[-1]
        for weak, strong in _STRONG_GRADE:
            if body.endswith(weak) and (weak or body[-1:] in _VOWELS):
                forms.add(body[:len(body) - len(weak)] + strong + vowel)
    return frozenset(forms)


def _venue_names(venue: Venue) -> list[tuple[frozenset[str], tuple[str, ...]]]:
    """How each of the venue's names names it: its place, the word before the last, in its
    base forms, and the words of its kind that may follow (the name's last word, and a
    library's in every language): "Neulamäen kirjasto" is neulamaki or neulamaen followed by
    kirjasto, bibliotek or library. The city is no venue's place ("Kuopio centrumbibliotek"):
    "Kuopion kirjasto" is any of its libraries, as the city names none in a search."""
    kind_words = _VENUE_WORDS if venue.kind == "library" else ()
    found = []
    for name in venue.name.values():
        parts = words(name)
        if len(parts) >= 2 and len(parts[-2]) >= 3 and parts[-2].isalpha() \
                and not parts[-2].startswith("kuopio"):
            found.append((base_forms(parts[-2]), (parts[-1], *kind_words)))
    return found


def venues_named(text: str, venues: Sequence[Venue]) -> list[Venue]:
    """The venues the text names as a place and a venue word, in any of the three languages
    whatever language the venue's names are in: "Var är Neulamäki bibliotek?" names
    "Neulamäen kirjasto", as do "Mitä Neulamäen kirjastossa tapahtuu?" and "Neulamäki library";
    a library in a place the rules know no area of too ("Pitkälahti bibliotek" names
    "Pitkälahden kirjasto"). Both words are read in their base forms (`base_forms`)."""
    return [v for v in venues if _naming_words(text, v)]


def _naming_words(text: str, venue: Venue) -> list[str]:
    """The text's words that name the venue as a place and a venue word
    (`venues_named`)."""
    return [word for (word, after) in pairwise(words(text))
            for place, kinds in _venue_names(venue)
            if place & base_forms(word) and after.startswith(kinds)]


def pick_venue(question: Question, venues: list[Venue]) -> tuple[Venue | None, bool]:
    """The venue the question is about: (venue, ambiguous). The main library when the
    question names it (KANTTI, "pääkirjasto"), wherever its area is kept; a venue named by
    its place and kind (`venues_named`: "Neulamäki bibliotek"); else a library of the named
    area; several areas or no area → none (ambiguous when an area was named twice)."""
    named_so = venues_named(question.text, venues)
    if _names_main_library(question.text):
        # Its names map to the city centre, but the venue is the one named, not the area's.
        mains = [v for v in venues if v.is_main_library]
        if len(mains) == 1 and len(question.areas) <= 1 and all(
                v.venue_id == mains[0].venue_id for v in named_so):
            return mains[0], False
    if len(named_so) > 1:
        return None, True
    if named_so:
        # Unless another place is named too ("Neulamäki bibliotek eller KANTTI"): which?
        venue = named_so[0]
        said = find_areas(" ".join(_naming_words(question.text, venue)))
        if set(question.areas) <= {venue.area, *said}:
            return venue, False
        return None, True
    if len(question.areas) != 1:
        return None, len(question.areas) > 1
    in_area = [v for v in venues if v.area == question.areas[0]]
    libraries = [v for v in in_area if v.kind == "library"] or in_area
    if len(libraries) == 1:
        return libraries[0], False
    tokens = set(words(question.text))
    named = [v for v in libraries if tokens & set(words(v.name.get("fi", "")))]
    if len(named) == 1:
        return named[0], False
    if _names_main_library(question.text):
        # "KANTTIssa", "Kantin", "the main library": its inflected and English names are
        # no words of its name, but they name it among the area's other libraries.
        mains = [v for v in libraries if v.is_main_library]
        if len(mains) == 1:
            return mains[0], False
    return None, bool(libraries)



def _names_main_library(text: str) -> bool:
    return _has(words(text), *_MAIN_LIBRARY_STEMS) or _phrase(
        fold(text), *_MAIN_LIBRARY_PHRASES) or _names_city_library_alone(text)


#: How far the guide answers about dates: events from a year back (what was on; the guide
#: keeps the calendar's past) and up to two years ahead (booking's longest horizon, 730
#: days: nothing is booked or published later); opening hours from today on.
DAYS_BACK = 365
DAYS_AHEAD = 730


def answer_window(today: date, hours: bool) -> tuple[date, date]:
    """The first and last day the guide answers about: opening hours from today, events
    from a year back; both up to two years ahead."""
    return (today if hours else today - timedelta(days=DAYS_BACK),
            today + timedelta(days=DAYS_AHEAD))


def date_problem(question: Question, today: date) -> DateProblem | None:
    """What keeps the question's dates from being answered, if anything: dates that are no
    days (`Question.date_problem`), opening hours of days already gone, or days outside
    `answer_window`. For the intents that answer about dates (hours, events)."""
    if question.date_problem is not None:
        return question.date_problem
    period = question.period
    if period is None:
        return None
    hours = question.intent == "hours"
    is_range = period.first != period.last
    if hours and period.last < today:
        return DateProblem("passed", period.said, period.first, period.last, is_range)
    earliest, latest = answer_window(today, hours)
    if period.last > latest or (period.first < earliest and not hours):
        return DateProblem("out_of_range", period.said, period.first, period.last, is_range)
    return None


_DATE_WORD: dict[Lang, tuple[str, str]] = {  # (a day, a range of days) leading a sentence
    "fi": ("Päivä", "Aikaväli"), "sv": ("Datumet", "Perioden"), "en": ("The date", "The period")}


def answer_date_problem(question: Question, problem: DateProblem, today: date) -> Answer:
    """Says what is wrong with the dates asked about, in the resident's language, and what
    the guide can answer instead; never an answer about another period."""
    lang = question.language
    said = problem.said or (l10n.day_range(problem.first, problem.last, lang)
                            if problem.first and problem.last else "")
    what = f"{_DATE_WORD[lang][problem.is_range]} {said}"
    if problem.kind == "no_such_date":
        text = {"fi": f"Päivämäärää {said} ei ole olemassa. Tarkista päivä ja kuukausi ja "
                      "kysy uudelleen.",
                "sv": f"Datumet {said} finns inte. Kontrollera dag och månad och fråga "
                      "igen.",
                "en": f"The date {said} does not exist. Please check the day and the month "
                      "and ask again."}[lang]
    elif problem.kind == "reversed" and problem.first and problem.last:
        meant = l10n.day_range(problem.first, problem.last, lang)
        text = {"fi": f"{what} päättyy ennen kuin se alkaa. Tarkoititko {meant}?",
                "sv": f"{what} slutar innan den börjar. Menade du {meant}?",
                "en": f"{what} ends before it begins. Did you mean {meant}?"}[lang]
    elif problem.kind == "passed":
        text = {"fi": f"{what} on jo mennyt. Voin kertoa aukioloajat tästä päivästä "
                      "eteenpäin.",
                "sv": f"{what} har redan passerat. Jag kan ge öppettider från i dag och "
                      "framåt.",
                "en": f"{what} has already passed. I can give opening hours from today "
                      "onwards."}[lang]
    else:
        hours = question.intent == "hours"
        window = l10n.day_range(*answer_window(today, hours), lang)
        if hours:
            can = {"fi": f"Voin kertoa aukioloajat vain ajalta {window}.",
                   "sv": f"Jag kan bara ge öppettider för perioden {window}.",
                   "en": f"I can only give opening hours for {window}."}[lang]
        else:
            can = {"fi": f"Voin kertoa tapahtumista vain ajalta {window}.",
                   "sv": f"Jag kan bara berätta om evenemang under perioden {window}.",
                   "en": f"I can only tell you about events in the period {window}."}[lang]
        past = problem.last is not None and problem.last < today
        far = {"fi": "on liian kaukana " + ("menneisyydessä" if past else "tulevaisuudessa"),
               "sv": "ligger för långt " + ("tillbaka" if past else "fram") + " i tiden",
               "en": "is too far in the " + ("past" if past else "future")}[lang]
        text = f"{what} {far}. {can}"
    return Answer("clarify", text, lang, (), confident=False)


def events_period(question: Question, today: date) -> Period:
    """What "what is on" means without a date: the coming two weeks."""
    if question.period is None:
        return Period(today, today + timedelta(days=13), "default")
    if question.period.span == "now":
        return Period(today, today, "day")
    return question.period


# --- conversations, staff hours, retention --------------------------------------------------


@dataclass(frozen=True)
class StaffHours:
    """When a person answers in the chat: ISO weekdays and a daily span, Helsinki time."""

    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    opens: time = time(9)
    closes: time = time(16)

    def staffed_at(self, at: datetime) -> bool:
        local = at.astimezone(HELSINKI)
        return local.isoweekday() in self.weekdays and self.opens <= local.time() < self.closes

    def span_text(self) -> tuple[str, str]:
        """Opening and closing as set, "HH:MM": a close at midnight is "24:00"."""
        closes = "24:00" if self.closes == time.max else self.closes.strftime("%H:%M")
        return self.opens.strftime("%H:%M"), closes

    @classmethod
    def parse(cls, text: str) -> StaffHours:
        """``"1-5 09:00-16:00"`` (ISO weekdays, then the daily span); ``24:00`` closes at
        midnight, so ``"1-7 00:00-24:00"`` is every minute of the week."""
        match = re.fullmatch(r"\s*([1-7])-([1-7])\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*",
                             text)
        if not match:
            raise ValueError(f"staff hours {text!r} are not of the form '1-5 09:00-16:00'")
        first, last, oh, om, ch, cm = (int(g) for g in match.groups())
        if (first > last or (oh, om) >= (ch, cm) or oh > 23 or om > 59 or cm > 59
                or (ch, cm) > (24, 0)):
            raise ValueError(f"staff hours {text!r} are not a forward span")
        closes = time.max if (ch, cm) == (24, 0) else time(ch, cm)
        return cls(frozenset(range(first, last + 1)), time(oh, om), closes)


ConversationStatus = Literal["open", "waiting", "awaiting_reply", "answered", "closed"]


@dataclass
class Message:
    message_id: UUID
    at: datetime
    author: str  # resident | guide | staff
    text: str
    answer: dict[str, object] | None = None
    staff_name: str | None = None
    #: A staff answer sent to the resident's email too (they had left an address).
    emailed: bool = False


@dataclass
class Conversation:
    conversation_id: UUID
    created_at: datetime
    updated_at: datetime
    language: Lang
    channel: str
    status: str
    queue: str | None = None
    area: str | None = None
    contact_email: str | None = None
    messages: list[Message] = field(default_factory=list)


def expired_before(now: datetime, retention_days: int) -> datetime:
    return now - timedelta(days=retention_days)
