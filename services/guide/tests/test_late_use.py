"""Using or booking a space late, asked by a clock time: a tester's "Voiko tilaa käyttää klo
22 jälkeen?" was handed over as not understood, and "Saako tilan varata iltaisin kello 22
jälkeen?" was told only how to book. Spaces are booked in their library's opening hours
(staffed ones, and self-service ones for a space bookable in them too, booking's
`SpaceInfo.self_service`), so the answer says the latest each library's spaces can be
booked until and whether any reaches the time; when the guide's copy does not say (a space's
rule not kept), the question is handed over as before."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest

from services.guide import domain, usecases
from services.guide.domain import Hours, Links, Venue
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

TUESDAY = date(2026, 12, 1)
CLOCK = FixedClock(datetime(2026, 12, 1, 10, tzinfo=HELSINKI))

HALL, ROOM, OLD_ROOM = uuid4(), uuid4(), uuid4()
KANTTI = Venue(
    venue_id=uuid4(), name={"fi": "KANTTI", "sv": "KANTTI", "en": "KANTTI"}, kind="library",
    area="kuopio.keskusta", has_paid_space=True,
    hours=(*(Hours("09:00", "20:00", weekday=d) for d in range(1, 6)),
           Hours("10:00", "16:00", weekday=6)),
    spaces=((HALL, {"fi": "Kokoussali", "sv": "Mötessal", "en": "Meeting hall"}),),
    beyond_staffed=((HALL, False),))
JYNKKA = Venue(
    venue_id=uuid4(), name={"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek",
                            "en": "Jynkkä library"}, kind="library", area="kuopio.jynkka",
    hours=(*(Hours("12:00", "19:00", weekday=d) for d in range(1, 6)),
           *(Hours("07:00", "22:30", "self_service", weekday=d) for d in range(1, 8))),
    spaces=((ROOM, {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"}),),
    beyond_staffed=((ROOM, True),))
#: A copy from before the guide kept whether a space is bookable beyond staffed hours.
NILSIA = Venue(
    venue_id=uuid4(), name={"fi": "Nilsiän kirjasto", "sv": "Nilsiä bibliotek",
                            "en": "Nilsiä library"}, kind="library", area="kuopio.nilsia",
    hours=tuple(Hours("12:00", "19:00", weekday=d) for d in range(1, 6)),
    spaces=((OLD_ROOM, {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"}),))


@pytest.mark.parametrize(("text", "lang", "late"), [
    ("Voiko tilaa käyttää klo 22 jälkeen?", "fi", ("22:00", "after")),
    ("Saako tilan varata iltaisin kello 22 jälkeen?", "fi", ("22:00", "after")),
    ("Saako tiloissa pitää kokousta myöhään illalla klo 22 jälkeen?", "fi",
     ("22:00", "after")),
    ("Voiko KANTIN kokoussalia käyttää klo 21.30 asti?", "fi", ("21:30", "until")),
    ("Kan man boka lokalen efter klockan 22?", "sv", ("22:00", "after")),
    ("Får vi använda lokalen efter kl. 22?", "sv", ("22:00", "after")),
    ("Can we use the space after 10 pm?", "en", ("22:00", "after")),
    ("Can we book a room until 11pm?", "en", ("23:00", "until")),
])
def test_a_space_used_late_is_a_booking_question(text: str, lang: str,
                                                   late: tuple[str, str]) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.language, question.intent, question.late) == (lang, "booking", late)


@pytest.mark.parametrize(("text", "intent"), [
    # A date is no clock time; a library's own hours are asked as hours; events are events.
    ("Voiko tilan varata 6.12. jälkeen?", "booking"), ("Onko KANTTI auki klo 20 jälkeen?",
                                                      "hours"),
    ("Mitä tapahtumia on klo 18 jälkeen?", "events"),
])
def test_other_questions_with_a_time_are_not_taken_for_one(text: str, intent: str) -> None:
    question = domain.understand(text, TUESDAY)
    assert (question.intent, question.late) == (intent, None)


async def _answer(text: str, venues: list[Venue]) -> dict[str, Any]:
    uow = FakeUnitOfWork(FakeGuideStore(venues))
    _, answer = await usecases.answer(uow, CLOCK, Links(), text)
    return usecases.answer_json(answer)


async def test_no_library_named_says_each_ones_latest_time() -> None:
    answer = await _answer("Voiko tilaa käyttää klo 22 jälkeen?", [KANTTI, JYNKKA])
    assert answer["kind"] == "booking" and answer["confident"], answer
    assert answer["text"].split("\n") == [
        "Tiloja voi varata kirjaston aukioloaikoina; klo 22.00 jälkeen tietojeni mukaan: "
        "Jynkän kirjasto.",
        "Myöhäisimmät varattavat ajat:",
        "• Jynkän kirjasto: ma–su 22.30 asti (omatoimiaikana)",
        "• KANTTI: ma–pe 20.00 asti, la 16.00 asti (henkilökunta paikalla)",
        "Omatoimiaikana varattavan tilan säännöt voivat sallia myös käytön yön yli: ne "
        "näkyvät tilan varaussivulla."]
    assert [(c["title"], c["url"]) for c in answer["citations"]] == [
        ("Tilan varaus", "http://127.0.0.1:8001/my/spaces?lang=fi")]


async def test_a_library_named_is_answered_alone() -> None:
    sv = await _answer("Kan man boka lokalen i KANTTI efter klockan 20?", [KANTTI, JYNKKA])
    assert sv["kind"] == "booking" and sv["text"].split("\n") == [
        "Lokalerna kan bokas under bibliotekets öppettider, och enligt mina uppgifter inte "
        "efter kl. 20:00.",
        "De senaste tiderna att boka:",
        "• KANTTI: mån–fre till 20:00, lör till 16:00 (personal på plats)"], sv
    assert sv["venue_ids"] == [str(KANTTI.venue_id)]
    assert [c["url"] for c in sv["citations"]] == [
        f"http://127.0.0.1:8001/my/spaces?lang=sv&venue_id={KANTTI.venue_id}",
        f"http://127.0.0.1:8001/venues/{KANTTI.venue_id}/page?lang=sv#hours-title"]
    # Jynkkä's room is bookable in self-service hours too: their 22.30 every day.
    en = await _answer("Can we use a room at Jynkkä library until 10 pm?", [KANTTI, JYNKKA])
    assert en["text"].startswith(
        "Spaces can be booked in the library's opening hours; until 22:00, as far as my "
        "data goes: Jynkkä library.\nThe latest times to book:\n• Jynkkä library: Mon–Sun "
        "until 22:30 (in self-service hours)\n"), en


async def test_staffed_only_spaces_end_with_the_staffed_hours() -> None:
    # The same hours, the space bookable in staffed hours only: the self-service hours do
    # not count, so the staffed 19.00 is the latest, not 22.30, and no weekend.
    staffed_only = Venue(**{**JYNKKA.__dict__, "beyond_staffed": ((ROOM, False),)})
    answer = await _answer("Voiko Jynkän kirjaston tilaa käyttää klo 22 jälkeen?",
                           [staffed_only])
    assert answer["text"].split("\n") == [
        "Tiloja voi varata kirjaston aukioloaikoina, eikä tietojeni mukaan klo 22.00 jälkeen.",
        "Myöhäisimmät varattavat ajat:",
        "• Jynkän kirjasto: ma–pe 19.00 asti (henkilökunta paikalla)"], answer


async def test_when_the_data_does_not_say_it_is_handed_over() -> None:
    named = await _answer("Voiko Nilsiän kirjaston tilaa käyttää klo 22 jälkeen?",
                          [KANTTI, NILSIA])
    assert named["kind"] == "handover" and not named["confident"], named
    assert named["text"].startswith(
        "En osaa vastata tähän varmasti (tiedoissani ei ole, milloin tiloja voi varata).")
    assert named["queue"] == "coordinator:north"
    # Not named: the libraries the data says of are answered, the others left unsaid.
    every = await _answer("Can we use the space after 10 pm?", [KANTTI, NILSIA])
    assert every["kind"] == "booking" and "Nilsiä" not in every["text"], every
    assert every["text"].startswith("Spaces can be booked in the library's opening hours, "
                                    "and as far as my data goes not after 22:00."), every
    # A self-service space's note only where one is listed.
    assert "overnight" not in every["text"]
    none = await _answer("Kan man boka lokalen efter klockan 22?", [NILSIA])
    assert none["kind"] == "handover" and "när lokalerna kan bokas" in none["text"], none
