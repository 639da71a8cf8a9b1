"""A room asked for a number with no word for people ("Is there a room for 12 at KANTTI?",
"Onko KANTISSA tila 12:lle?", "Finns det ett rum för 12 på KANTTI?") listed the venue's
spaces without saying which fit, while "room for 12 people" did. In a question about a space
a bare number after "for" / "för" or with "-lle" is now the head count; a number of hours,
years or a time is not."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest

from services.guide import domain, usecases
from services.guide.domain import Links, Venue
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

TUESDAY = date(2026, 12, 1)
CLOCK = FixedClock(datetime(2026, 12, 1, 10, tzinfo=HELSINKI))

WORKSHOP, HALL, STAGE = uuid4(), uuid4(), uuid4()
KANTTI = Venue(
    venue_id=uuid4(), name={"fi": "KANTTI", "sv": "KANTTI", "en": "KANTTI"}, kind="library",
    area="kuopio.keskusta",
    spaces=((WORKSHOP, {"fi": "Työpajatila", "sv": "Verkstadsrum", "en": "Workshop room"}),
            (HALL, {"fi": "Kokoussali", "sv": "Mötessal", "en": "Meeting hall"}),
            (STAGE, {"fi": "Lava", "sv": "Scen", "en": "Stage"})),
    capacities=((WORKSHOP, 10), (HALL, 40), (STAGE, 1500)))


async def _answer(text: str) -> dict[str, Any]:
    uow = FakeUnitOfWork(FakeGuideStore([KANTTI]))
    _, answer = await usecases.answer(uow, CLOCK, Links(), text)
    return usecases.answer_json(answer)


@pytest.mark.parametrize(("text", "lang", "count"), [
    ("Is there a room for 12 at KANTTI?", "en", 12),
    ("Do you have a meeting room for up to 30 at KANTTI?", "en", 30),
    ("Onko KANTISSA tila 12:lle?", "fi", 12),
    ("Onko KANTTIssa kokoustilaa 30 : lle?", "fi", 30),
    ("Finns det ett rum för 12 på KANTTI?", "sv", 12),
    ("Finns det en lokal för 50 på KANTTI?", "sv", 50),
    # The word for people still wins, as before.
    ("Onko KANTISSA tila 12:lle hengelle?", "fi", 12),
])
def test_a_bare_number_for_whom_a_room_is_asked_is_the_head_count(
        text: str, lang: str, count: int) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent, question.asks_spaces,
            question.head_count) == (lang, "booking", True, count), question


@pytest.mark.parametrize("text", [
    "Can I book a room for 2 hours at KANTTI?",
    "Kan vi boka ett rum för 12-åringar på KANTTI?",
    "Is there a room for 12.30 at KANTTI?",
    "Onko KANTISSA tila vapaana 6.12:lle?",
    "Can I book a room for 3 days?",
    "Is there a room for 20 € at KANTTI?",
    # No space asked: a number for whom is nobody's head count.
    "Is there anything for 12 at KANTTI?",
])
def test_a_number_of_hours_years_a_time_or_no_room_is_no_head_count(text: str) -> None:
    assert domain.understand(text, TUESDAY).head_count is None


@pytest.mark.parametrize(("text", "says"), [
    ("Is there a room for 12 at KANTTI?", "Spaces that take 12 people: Meeting hall, Stage."),
    ("Onko KANTISSA tila 12:lle?", "12 henkeä mahtuu näihin: Kokoussali, Lava."),
    ("Finns det ett rum för 12 på KANTTI?",
     "Lokaler som rymmer 12 personer: Mötessal, Scen."),
    ("Is there a room for 2000 at KANTTI?", "By my data, no space at KANTTI takes 2,000 "
                                            "people."),
    ("Onko KANTISSA tilaa 1200:lle?", "1\xa0200 henkeä mahtuu näihin: Lava."),
    ("Finns det ett rum för 1200 på KANTTI?", "Lokaler som rymmer 1\xa0200 personer: Scen."),
])
async def test_the_spaces_that_fit_the_number_are_said(text: str, says: str) -> None:
    answer = await _answer(text)
    assert answer["kind"] == "booking" and says in answer["text"], answer["text"]
    # Each space with its size first, as without a number; and no calendar.
    assert "(40 " in answer["text"] and "alender" not in answer["text"]
    assert {"fi": "Lava (1\xa0500 henkeä)", "sv": "Scen (1\xa0500 personer)",
            "en": "Stage (1,500 people)"}[answer["language"]] in answer["text"]
