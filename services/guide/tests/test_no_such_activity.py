"""An activity asked about that the calendar has none of gets an answer: a tester asked "Var
är det yoga?", "Finns det yoga i Kuopio?", "Onko joogaa?" and "Yoga this week" and was
handed over as if the question were not about events; "Missä on joogaa?" was asked which
library. Whether or where there is something the rules know no word of is what is on: the
calendar is searched and, with none there, the answer says so in the question's language
and words, with the calendar's link."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from services.guide import domain, usecases
from services.guide.domain import Links
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

TUESDAY = date(2026, 12, 1)


@pytest.mark.parametrize(("text", "lang"), [
    ("Var är det yoga?", "sv"), ("Finns det yoga i Kuopio?", "sv"), ("Onko joogaa?", "fi"),
    ("Yoga this week", "en"), ("Missä on joogaa?", "fi"), ("Is there yoga in Jynkkä?", "en"),
    ("Joogaa tänään", "fi"), ("Any yoga next week?", "en"), ("Löytyykö joogaa?", "fi"),
])
def test_whether_or_where_there_is_a_thing_is_what_is_on(text: str, lang: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent, question.asks_activity) == (lang, "events",
                                                                            True)


@pytest.mark.parametrize(("text", "intent"), [
    # Outside the guide's subjects, with a time or a question word: still handed over.
    ("What's the weather tomorrow?", "unknown"), ("Mikä on huomisen sää?", "unknown"),
    ("Hur blir vädret i morgon?", "unknown"), ("Saako kirjastoon tuoda koiran?", "unknown"),
    ("Miten uusin lainani?", "unknown"),
    # Where a library is stays where.
    ("Missä on lähin kirjasto?", "location"), ("Where is KANTTI?", "location"),
])
def test_other_questions_are_not_taken_for_an_activity(text: str, intent: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.intent, question.asks_activity) == (intent, False)


async def _answer(text: str) -> dict[str, Any]:
    uow = FakeUnitOfWork(FakeGuideStore())
    _, answer = await usecases.answer(uow, FixedClock(datetime(2026, 12, 1, 10,
                                                               tzinfo=HELSINKI)),
                                      Links(), text)
    return usecases.answer_json(answer)


@pytest.mark.parametrize(("text", "said", "calendar"), [
    ("Onko joogaa?", "Kalenterissa ei ole nyt joogaa.", "/calendar?lang=fi"),
    ("Missä on joogaa?", "Kalenterissa ei ole nyt joogaa.", "/calendar?lang=fi"),
    ("Var är det yoga?", "Det finns ingen yoga i kalendern just nu.", "/calendar?lang=sv"),
    ("Finns det yoga i Kuopio?", "Det finns ingen yoga i kalendern just nu.",
     "/calendar?lang=sv"),
    ("Is there yoga in Jynkkä?", "There is no yoga in the calendar right now (Jynkkä).",
     "/calendar?lang=en&area=kuopio.jynkka"),
    ("Yoga this week", "There is no yoga in the calendar (", "/calendar?lang=en"),
])
async def test_none_in_the_calendar_is_said_with_its_link(text: str, said: str,
                                                          calendar: str) -> None:
    answer = await _answer(text)
    assert answer["kind"] == "events" and answer["text"].startswith(said), answer
    assert answer["citations"][-1]["url"].endswith(calendar), answer["citations"]
    # Nothing in the data: a person is offered too (they may know of what is not listed).
    assert answer["offer_person"] and answer["confident"]
    assert "not about" not in answer["text"] and "inte" not in answer["text"]


async def test_the_period_asked_is_said_and_a_capital_word_as_typed() -> None:
    question = domain.understand("Yoga this week", TUESDAY)
    assert domain.as_typed(question) == "yoga"
    assert domain.as_typed(domain.understand("Finns det körsång?", TUESDAY)) == "körsång"
    answer = domain.answer_not_in_calendar(question, domain.events_period(question, TUESDAY),
                                           Links(), today=TUESDAY)
    assert answer.text.startswith("There is no yoga in the calendar (1 Dec–6 Dec)."), answer.text
