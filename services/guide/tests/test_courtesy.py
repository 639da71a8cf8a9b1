"""Greetings and thanks ("Hei", "Moi", "Kiitos paljon", "Hej", "Tack", "Hello", "Thanks!",
"Hei, kiitos avusta") were answered "I did not understand the question", with a person
offered. A greeting is now greeted back with what the guide helps with, thanks with "you're
welcome" and an offer to ask more, in the language given (a greeting tells none); a
greeting before a question leaves the question to be answered, its words never searched
for ("Hello, what's on this weekend?" looked for "hello")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest

from services.guide import domain, usecases
from services.guide.domain import Activity, Links, Venue
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

TUESDAY = date(2026, 12, 1)
CLOCK = FixedClock(datetime(2026, 12, 1, 10, tzinfo=HELSINKI))

KANTTI = Venue(venue_id=uuid4(), name={"fi": "KANTTI", "sv": "KANTTI", "en": "KANTTI"},
               kind="library", area="kuopio.keskusta")
WALK = Activity(
    event_id=uuid4(), name={"fi": "Luontoretki Puijolle", "sv": "Naturutflykt till Puijo",
                            "en": "Nature walk to Puijo"},
    starts_at=datetime(2026, 12, 5, 11, tzinfo=HELSINKI),
    ends_at=datetime(2026, 12, 5, 13, tzinfo=HELSINKI), area="kuopio.keskusta")

GREETED = {"fi": "Hei! Kerron kirjastojen aukioloajoista, tapahtumista ja harrastuksista "
                 "sekä tilojen varaamisesta. Mitä haluaisit tietää?",
           "sv": "Hej! Jag berättar om bibliotekens öppettider, evenemang och aktiviteter "
                 "och om att boka lokaler. Vad vill du veta?",
           "en": "Hello! I can tell you about the libraries' opening hours, events and "
                 "activities, and booking a space. What would you like to know?"}
WELCOMED = {"fi": "Ole hyvä! Kysy vain lisää, jos haluat tietää jotain muuta.",
            "sv": "Varsågod! Fråga gärna mer om du vill veta något annat.",
            "en": "You're welcome! Just ask if there is anything else you would like to "
                  "know."}

#: Too short to tell a language (`domain.too_short_to_tell`): answered in the one given.
GREETINGS = ["Hei", "Moi", "Moikka!", "Hyvää päivää", "Hej", "Hej hej", "God morgon",
             "Hello", "Good morning"]
THANKS = ["Kiitos", "Kiitos paljon", "Kiitti!", "Tack", "Tack!", "Tusen tack", "Thanks!",
          "Thank you", "Ok, thanks"]
#: Whose other words tell the language, as any question's do.
TOLD = [("Hi there!", "en", GREETED), ("Hei, kiitos avusta", "fi", WELCOMED),
        ("Tack så mycket för hjälpen", "sv", WELCOMED), ("Thanks a lot", "en", WELCOMED)]


async def _answer(text: str, lang: str | None = None,
                  activities: list[Activity] | None = None) -> dict[str, Any]:
    uow = FakeUnitOfWork(FakeGuideStore([KANTTI], activities))
    _, answer = await usecases.answer(uow, CLOCK, Links(), text, lang)  # type: ignore[arg-type]
    return usecases.answer_json(answer)


@pytest.mark.parametrize("text", GREETINGS)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_greeting_is_greeted_back_with_what_the_guide_helps_with(
        text: str, lang: str) -> None:
    answer = await _answer(text, lang)
    assert (answer["kind"], answer["language"], answer["text"]) == (
        "courtesy", lang, GREETED[lang])
    # Nothing asked that the guide could not answer: no person offered, nothing cited.
    assert (answer["offer_person"], answer["citations"]) == (False, [])


@pytest.mark.parametrize("text", THANKS)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_thanks_are_welcomed_with_an_offer_to_ask_more(text: str, lang: str) -> None:
    answer = await _answer(text, lang)
    assert (answer["kind"], answer["language"], answer["text"]) == (
        "courtesy", lang, WELCOMED[lang])
    assert (answer["offer_person"], answer["citations"]) == (False, [])


@pytest.mark.parametrize(("text", "lang", "said"), TOLD)
async def test_courtesy_in_words_that_tell_a_language_is_answered_in_it(
        text: str, lang: str, said: dict[str, str]) -> None:
    answer = await _answer(text, "en" if lang != "en" else "fi")
    assert (answer["kind"], answer["language"], answer["text"]) == (
        "courtesy", lang, said[lang])


@pytest.mark.parametrize("text", ["ok", "Selvä", "a", "Hei, mikä on elämän tarkoitus?",
                                  "Tack, men var kan jag köpa en cykel?",
                                  "Thanks, but can I buy a bicycle there?"])
def test_anything_more_than_courtesy_is_not_answered_as_courtesy(text: str) -> None:
    """A short reply that is neither ("ok", "Selvä"), or courtesy beside something asked,
    is read as before: never "you're welcome" to a question."""
    question = domain.understand(text, TUESDAY, "fi")
    assert question.intent != "courtesy" and question.courtesy is None, question


@pytest.mark.parametrize(("text", "lang", "says"), [
    ("Moi, mitä tapahtuu viikonloppuna?", "fi", "Luontoretki Puijolle"),
    ("Hej, vad händer i helgen?", "sv", "Naturutflykt till Puijo"),
    ("Hello, what's on this weekend?", "en", "Nature walk to Puijo"),
    ("Hi there, anything on this weekend?", "en", "Nature walk to Puijo"),
])
async def test_a_greeting_before_a_question_leaves_the_question_answered(
        text: str, lang: str, says: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent) == (lang, "events"), question
    assert not {"moi", "hej", "hello", "hi", "there"} & set(question.keywords)
    answer = await _answer(text, activities=[WALK])
    assert answer["kind"] == "events" and says in answer["text"], answer["text"]
    assert GREETED[lang] not in answer["text"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Hei, milloin Kallaveden kirjasto on auki?", "fi"),
    ("Hej, när är KANTTI öppet?", "sv"),
    ("Good morning! When is KANTTI open?", "en"),
])
def test_a_greeting_before_an_hours_question_is_the_hours_question(text: str,
                                                                   lang: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent, question.courtesy) == (lang, "hours", None)
    assert not {"hei", "hej", "good", "morning"} & set(question.keywords)


@pytest.mark.parametrize(("lang", "said"), [("fi", ["Hei", "Kiitos"]),
                                            ("sv", ["Hej", "Tack!"]),
                                            ("en", ["Hello", "Thanks!"])])
async def test_in_a_conversation_courtesy_is_answered_in_its_language(
        lang: str, said: list[str]) -> None:
    uow = FakeUnitOfWork(FakeGuideStore([KANTTI]))
    c = await usecases.start_conversation(uow, CLOCK, PUBLIC, lang, "web")  # type: ignore[arg-type]
    greeting, thanks = said
    conversation, answer = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, greeting)
    assert (answer.kind, answer.text, conversation.language) == ("courtesy", GREETED[lang],
                                                                 lang)
    conversation, answer = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, thanks)
    assert (answer.kind, answer.text, conversation.language) == ("courtesy", WELCOMED[lang],
                                                                 lang)
    assert conversation.status == "open" and not answer.offer_person
