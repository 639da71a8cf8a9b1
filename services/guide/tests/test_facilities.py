"""A library's facilities asked after are no activity: a tester asked "Missä on vessa?",
"Onko kirjastossa vessa?", "Var finns toaletten?" and "Where is the toilet?" and was told
"Kalenterissa ei ole nyt vessa" ("There is no toilet in the calendar right now"), as if a
toilet were an event the calendar lacked; "Where is the toilet in KANTTI?" was answered with
KANTTI's street address. Such a question is answered with what the guide holds of that
library (its accessibility features or description where they name the facility, its
contact and page, its staff to tell), or asks which library; nothing more is made up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest

from services.guide import domain, usecases
from services.guide.domain import Links, Venue
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

TUESDAY = date(2026, 12, 1)
CLOCK = FixedClock(datetime(2026, 12, 1, 10, tzinfo=HELSINKI))

JYNKKA = Venue(venue_id=uuid4(), name={"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek",
                                       "en": "Jynkkä library"},
               kind="library", area="kuopio.jynkka")
NEULAMAKI = Venue(
    venue_id=uuid4(), name={"fi": "Neulamäen kirjasto", "sv": "Neulamäki bibliotek",
                            "en": "Neulamäki library"},
    kind="library", area="kuopio.neulamaki", address="Neulamäentie 5, 70820 Kuopio",
    contact_phone="017 182 222",
    # Written in Finnish only, with the structured features the desk marked.
    accessibility={"fi": "Esteetön sisäänkäynti ja WC; yksi kerros."},
    accessibility_features=("step_free_entrance", "accessible_toilet"))


@pytest.mark.parametrize(("text", "lang", "facility"), [
    ("Missä on vessa?", "fi", "toilet"), ("Onko kirjastossa vessa?", "fi", "toilet"),
    ("Var finns toaletten?", "sv", "toilet"), ("Where is the toilet?", "en", "toilet"),
    ("Missä on WC?", "fi", "toilet"), ("Missä on lähin vessa?", "fi", "toilet"),
    ("Mistä löydän vessan?", "fi", "toilet"), ("Where's the loo?", "en", "toilet"),
    ("Does the library have toilets?", "en", "toilet"), ("Do you have wifi?", "en", "wifi"),
    ("Voiko kirjastossa käyttää wifiä?", "fi", "wifi"), ("Is there free parking?", "en",
                                                        "parking"),
    ("Onko Jynkän kirjastossa pysäköinti?", "fi", "parking"),
    ("Var kan jag parkera?", "sv", "parking"), ("Where can I park?", "en", "parking"),
    ("Missä on narikka?", "fi", "cloakroom"), ("Var finns garderoben?", "sv", "cloakroom"),
    ("Onko kirjastossa kahvila?", "fi", "cafe"), ("Is there a café at KANTTI?", "en", "cafe"),
    ("Onko kirjastossa wifi?", "fi", "wifi"), ("Finns det wifi i biblioteket?", "sv", "wifi"),
    # Where it is, or when it is open: not the library's address or hours said for it.
    ("Where is the toilet in KANTTI?", "en", "toilet"),
    ("Milloin KANTTIn kahvila on auki?", "fi", "cafe"),
])
def test_a_facility_asked_after_is_no_activity(text: str, lang: str, facility: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent, question.facility) == (lang, "facility",
                                                                       facility)
    assert not question.asks_activity


@pytest.mark.parametrize(("text", "intent"), [
    # An activity named with the word is still an activity ("kielikahvila", a knitting café).
    ("Onko kielikahvilaa?", "events"), ("Is there a language café?", "events"),
    ("Is there a knitting café this week?", "events"), ("Onko Kyläkahvit tänään?", "events"),
    # Booking the café's space is booking; a lift is the accessibility answer's.
    ("Voiko kahvilan varata?", "booking"), ("Missä on hissi?", "accessibility"),
    ("Onko joogaa?", "events"),
])
def test_other_questions_with_such_a_word_are_not_taken_for_one(text: str,
                                                                 intent: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.intent, question.facility) == (intent, None)


async def _answer(text: str, venues: list[Venue]) -> dict[str, Any]:
    uow = FakeUnitOfWork(FakeGuideStore(venues))
    _, answer = await usecases.answer(uow, CLOCK, Links(), text)
    return usecases.answer_json(answer)


@pytest.mark.parametrize(("text", "asks"), [
    ("Missä on vessa?", "Mitä kirjastoa tai aluetta tarkoitat?"),
    ("Var finns toaletten?", "Vilket bibliotek eller område menar du?"),
    ("Where is the toilet?", "Which library or area do you mean?"),
])
async def test_none_named_is_asked_which_library(text: str, asks: str) -> None:
    answer = await _answer(text, [JYNKKA, NEULAMAKI])
    assert answer["kind"] == "clarify" and answer["text"].startswith(asks), answer
    assert "Jynkkä" in answer["text"] or "Jynkän" in answer["text"]
    assert "calendar" not in answer["text"] and "alender" not in answer["text"]


@pytest.mark.parametrize(("text", "says"), [
    ("Onko Jynkän kirjastossa vessa?",
     "Tiedoissani ei ole tietoa aiheesta wc-tilat (Jynkän kirjasto). Kirjaston henkilökunta "
     "osaa kertoa."),
    ("Finns det parkering vid Jynkkä bibliotek?",
     "Jag har inga uppgifter om parkering (Jynkkä bibliotek). Bibliotekets personal kan "
     "berätta."),
    ("Is there wifi at Jynkkä library?",
     "I have no information about wifi at Jynkkä library. The library's staff can tell you."),
])
async def test_a_library_with_nothing_on_it_points_to_its_staff(text: str, says: str) -> None:
    answer = await _answer(text, [JYNKKA, NEULAMAKI])
    assert answer["kind"] == "handover" and answer["text"].startswith(says), answer
    assert not answer["confident"] and answer["offer_person"]
    assert answer["queue"] == "coordinator:city"
    assert answer["venue_ids"] == [str(JYNKKA.venue_id)]
    assert answer["citations"][0]["url"].startswith(
        f"http://127.0.0.1:8001/venues/{JYNKKA.venue_id}/page")


async def test_what_the_data_says_of_it_is_said_and_nothing_more() -> None:
    answer = await _answer("Onko Neulamäen kirjastossa vessa?", [JYNKKA, NEULAMAKI])
    assert answer["kind"] == "accessibility" and answer["confident"], answer
    assert answer["text"].startswith(
        "Neulamäen kirjasto: Esteettömyys: Esteetön wc. Esteetön sisäänkäynti ja WC; yksi "
        "kerros. Muuta tietoa aiheesta wc-tilat minulla ei ole. Kirjaston henkilökunta osaa "
        "kertoa: 017 182 222."), answer["text"]
    # Only the feature that is a toilet; the address is no answer to where the toilet is.
    assert "sisäänkäynti," not in answer["text"] and "Neulamäentie" not in answer["text"]
    # Asked in Swedish: the Swedish feature, and the desk's Finnish description marked so.
    sv = await _answer("Var finns toaletten i Neulamäki bibliotek?", [NEULAMAKI])
    assert sv["text"].startswith("Neulamäki bibliotek: Tillgänglighet: Tillgänglig "
                                 "toalett. Esteetön sisäänkäynti ja WC; yksi kerros."), sv
    assert {"text": "Esteetön sisäänkäynti ja WC; yksi kerros.", "lang": "fi"} in sv["parts"]
    # Parking: the description names none, and no parking feature is listed: not known.
    parking = await _answer("Onko Neulamäen kirjastossa pysäköinti?", [NEULAMAKI])
    assert parking["kind"] == "handover" and "Esteetön" not in parking["text"], parking


async def test_the_library_named_after_which_completes_the_question() -> None:
    uow = FakeUnitOfWork(FakeGuideStore([JYNKKA, NEULAMAKI]))
    c = await usecases.start_conversation(uow, CLOCK, PUBLIC, "fi", "web")
    _, which = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, "Missä on vessa?")
    assert which.kind == "clarify"
    _, answer = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, "Jynkän kirjasto")
    assert answer.kind == "handover" and answer.text.startswith(
        "Tiedoissani ei ole tietoa aiheesta wc-tilat (Jynkän kirjasto)."), answer.text


@pytest.mark.parametrize(("text", "lang"), [
    ("Onko kirjastossa kahvia?", "fi"), ("Saako kirjastosta kahvia?", "fi"),
    ("Saako KANTISTA kahvia?", "fi"), ("Onko Jynkän kirjastossa kahvia tarjolla?", "fi"),
    ("Finns det kaffe på biblioteket?", "sv"), ("Kan man köpa kaffe i Neulamäki bibliotek?",
                                                "sv"),
    ("Is there coffee at the library?", "en"), ("Can I get a coffee at KANTTI?", "en"),
])
def test_coffee_at_a_library_is_its_cafe(text: str, lang: str) -> None:
    """A tester's "Onko kirjastossa kahvia?" was told "Kalenterissa ei ole nyt kahvia", as
    if coffee were an event the calendar lacked: coffee at a library is its café."""
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent, question.facility) == (lang, "facility",
                                                                       "cafe")
    assert not question.asks_activity and not question.keywords


@pytest.mark.parametrize("text", [
    # The calendar's coffee gatherings, at a library or not, and coffee with no library.
    "Milloin on kyläkahvit?", "Onko Vehmersalmen kirjastossa kyläkahvit?",
    "Finns det bykaffe på biblioteket?", "When is the village coffee?",
    "Is there village coffee at Vehmersalmi library?", "Onko Vehmersalmella kahvia?",
    # A café's word beginning a gathering's name: the gathering, not the café.
    "Missä on kahvila-ilta?", "Onko kahvilailtaa tällä viikolla?",
    "Is there a café evening at the library?",
])
def test_coffee_gatherings_are_still_events(text: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.intent, question.facility) == ("events", None), question


async def test_coffee_at_a_library_is_answered_as_its_cafe() -> None:
    asked = await _answer("Onko kirjastossa kahvia?", [JYNKKA, NEULAMAKI])
    assert asked["kind"] == "clarify" and asked["text"].startswith(
        "Mitä kirjastoa tai aluetta tarkoitat?"), asked
    named = await _answer("Is there coffee at Neulamäki library?", [JYNKKA, NEULAMAKI])
    assert named["kind"] == "handover" and named["text"].startswith(
        "I have no information about a café at Neulamäki library. The library's staff can "
        "tell you: 017 182 222."), named
    assert "calendar" not in named["text"]
    # The library named after "which?" completes the coffee question as a café's.
    uow = FakeUnitOfWork(FakeGuideStore([JYNKKA, NEULAMAKI]))
    c = await usecases.start_conversation(uow, CLOCK, PUBLIC, "fi", "web")
    await usecases.ask(uow, CLOCK, Links(), c.conversation_id, "Saako kirjastosta kahvia?")
    _, answer = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, "Jynkän kirjasto")
    assert answer.kind == "handover" and answer.text.startswith(
        "Tiedoissani ei ole tietoa aiheesta kahvila (Jynkän kirjasto)."), answer.text
