"""The guide's use cases against an in-memory store and a fixed clock: who may do what, the
hand-over in and out of staff hours, the email reply and its erased address, retention."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.guide import usecases
from services.guide.domain import Activity, Hours, Lang, Links, StaffHours, Venue
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.contracts import GuideReplyRequested
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from shared.http import code_of
from shared.identity import PUBLIC, Principal
from shared.uow import FakeUnitOfWork

TUESDAY_10 = datetime(2026, 12, 1, 10, tzinfo=HELSINKI)
SATURDAY_20 = datetime(2026, 12, 5, 20, tzinfo=HELSINKI)
DESK = Principal(subject="desk-1", roles=frozenset({"desk"}), name="Neuvonta")
ORGANISER = Principal(subject="org-1", roles=frozenset({"organiser"}))
HOURS = StaffHours()


def _uow() -> FakeUnitOfWork[Any]:
    return FakeUnitOfWork(FakeGuideStore())


async def _asked(uow: FakeUnitOfWork[Any], clock: FixedClock, text: str = "Saako koiran "
                 "tuoda Juankosken kirjastoon?") -> Any:
    c = await usecases.start_conversation(uow, clock, PUBLIC, "fi", "web")
    await usecases.ask(uow, clock, Links(), c.conversation_id, text)
    return c.conversation_id


async def test_an_unanswerable_question_offers_the_areas_coordinator() -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock)
    conversation = await usecases.get_conversation(uow, cid)
    guide = conversation.messages[-1]
    assert guide.author == "guide" and guide.answer is not None
    assert (guide.answer["kind"], guide.answer["queue"]) == ("handover", "coordinator:north")
    assert conversation.area == "kuopio.juankoski"


@pytest.mark.parametrize(("text", "says"), [
    ("Voiko Jynkän kirjastosta lainata porakoneen?", "kirjaston lainattavia esineitä"),
    ("Can I borrow a sewing machine from the library?", "the things the library lends"),
])
async def test_a_question_about_borrowing_things_goes_to_the_staff(text: str,
                                                                   says: str) -> None:
    """The guide knows no library loans: it says so and offers a person, and never answers
    with the calendar (journey review, session 22)."""
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock, text)
    guide = (await usecases.get_conversation(uow, cid)).messages[-1]
    assert guide.answer is not None and guide.answer["kind"] == "handover"
    assert guide.answer["offer_person"] and says in guide.text


async def test_in_staff_hours_the_conversation_waits_in_the_areas_inbox() -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock)
    conversation, staffed = await usecases.hand_over(uow, clock, HOURS, cid, None, None, False)
    assert staffed and (conversation.status, conversation.queue) == (
        "waiting", "coordinator:north")
    assert [c.conversation_id for c in await usecases.inbox(uow, DESK, ["coordinator:north"])
            ] == [cid]
    assert await usecases.inbox(uow, DESK, ["coordinator:south"]) == []
    answered = (await usecases.reply(uow, clock, DESK, cid,
                                     "Avustajakoirat ovat tervetulleita.")).conversation
    assert answered.status == "answered" and answered.messages[-1].staff_name == "Neuvonta"
    assert uow.published == []  # answered in the chat: nothing to email


async def test_a_coordinator_asked_for_by_area_group_gets_the_hand_over() -> None:
    """No place is named, so none is kept: the queue the guide named is, until a place is."""
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock, "Kan jag prata med koordinatorn för södra området?")
    conversation, _ = await usecases.hand_over(uow, clock, HOURS, cid, None, None, False)
    assert conversation.queue == "coordinator:south"
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock, "Kan jag prata med koordinatorn för södra området?")
    await usecases.ask(uow, clock, Links(), cid, "Är Nilsiä bibliotek öppet imorgon?")
    conversation, _ = await usecases.hand_over(uow, clock, HOURS, cid, None, None, False)
    assert conversation.queue == "coordinator:north"


async def test_events_in_a_language_are_those_held_in_it() -> None:
    at = TUESDAY_10 + timedelta(days=1)
    help_ = Activity(uuid4(), {"en": "Digital help"}, at, at + timedelta(hours=1),
                     languages=("fi", "en"))
    choir = Activity(uuid4(), {"en": "Choir"}, at, at + timedelta(hours=1))
    uow = FakeUnitOfWork(FakeGuideStore(activities=[help_, choir]))
    _, answer = await usecases.answer(uow, FixedClock(TUESDAY_10), Links(),
                                      "Is there anything in English?")
    assert answer.kind == "events" and "Digital help" in answer.text
    assert "Choir" not in answer.text


async def test_outside_staff_hours_an_address_with_consent_is_needed() -> None:
    uow, clock = _uow(), FixedClock(SATURDAY_20)
    cid = await _asked(uow, clock)
    for email, consent, code in ((None, False, "email_needed"),
                                 ("maija@example.fi", False, "consent_needed"),
                                 ("maija", True, "email_invalid")):
        with pytest.raises(Invalid) as refused:
            await usecases.hand_over(uow, clock, HOURS, cid, None, email, consent)
        assert code_of(refused.value) == code
    conversation, staffed = await usecases.hand_over(uow, clock, HOURS, cid, "desk",
                                                     "maija@example.fi", True)
    assert not staffed and (conversation.status, conversation.queue) == (
        "awaiting_reply", "desk")


async def test_the_email_reply_is_published_and_the_address_erased() -> None:
    uow, clock = _uow(), FixedClock(SATURDAY_20)
    cid = await _asked(uow, clock)
    await usecases.hand_over(uow, clock, HOURS, cid, None, "maija@example.fi", True)
    clock.advance(timedelta(days=2))
    await usecases.reply(uow, clock, DESK, cid, "Avustajakoirat ovat tervetulleita.")
    [event] = uow.published
    assert isinstance(event, GuideReplyRequested)
    assert (event.contact_email, event.contact_language, event.answered_by) == (
        "maija@example.fi", "fi", "Neuvonta")
    assert event.question == "Saako koiran tuoda Juankosken kirjastoon?"
    assert uow.store.conversations[cid].contact_email is None
    # The conversation keeps that the answer went by email: the widget says so beside it.
    answer = (await usecases.get_conversation(uow, cid)).messages[-1]
    assert (answer.author, answer.emailed) == ("staff", True)


async def test_an_answer_in_the_chat_is_not_said_to_be_emailed() -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock)
    await usecases.hand_over(uow, clock, HOURS, cid, None, None, False)
    await usecases.reply(uow, clock, DESK, cid, "Avustajakoirat ovat tervetulleita.")
    again = (await usecases.reply(uow, clock, DESK, cid, "Muut koirat eivät.")).conversation
    assert [(m.author, m.emailed) for m in again.messages][-2:] == [
        ("staff", False), ("staff", False)]
    assert uow.published == []


@pytest.mark.parametrize(("principal", "error"), [(PUBLIC, Unauthenticated),
                                                  (ORGANISER, Forbidden)])
async def test_only_staff_answer_and_use_the_phone_channel(principal: Principal,
                                                           error: type[Exception]) -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock)
    with pytest.raises(error):
        await usecases.reply(uow, clock, principal, cid, "hei")
    with pytest.raises(error):
        await usecases.inbox(uow, principal, None)
    with pytest.raises(error):
        await usecases.start_conversation(uow, clock, principal, "fi", "phone")
    phone = await usecases.start_conversation(uow, clock, DESK, "fi", "phone")
    assert phone.channel == "phone"


async def test_a_closed_conversation_takes_no_more_questions() -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock)
    await usecases.close(uow, clock, DESK, cid)
    with pytest.raises(Conflict) as closed:
        await usecases.ask(uow, clock, Links(), cid, "vielä yksi")
    with pytest.raises(NotFound) as gone:
        await usecases.ask(uow, clock, Links(), uuid4(), "hei")
    assert (code_of(closed.value), code_of(gone.value)) == ("conversation_closed",
                                                            "no_conversation")


async def test_a_hand_over_needs_a_question_first() -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    c = await usecases.start_conversation(uow, clock, PUBLIC, "fi", "web")
    with pytest.raises(Invalid) as first:
        await usecases.hand_over(uow, clock, HOURS, c.conversation_id, None, None, False)
    assert code_of(first.value) == "question_first"


async def test_a_hand_over_asks_for_the_conversation_before_an_address() -> None:
    """Outside the staff's hours, without an address: one that is gone is 404, one ended
    409, before any word of an address; an address a mail server refuses (a zero-width
    space in it) is no address."""
    uow, clock = _uow(), FixedClock(SATURDAY_20)
    with pytest.raises(NotFound) as gone:
        await usecases.hand_over(uow, clock, HOURS, uuid4(), None, None, False)
    cid = await _asked(uow, clock)
    await usecases.close(uow, clock, DESK, cid)
    with pytest.raises(Conflict) as ended:
        await usecases.hand_over(uow, clock, HOURS, cid, None, None, False)
    assert (code_of(gone.value), code_of(ended.value)) == ("no_conversation",
                                                           "conversation_closed")
    open_one = await _asked(uow, clock)
    with pytest.raises(Invalid) as odd:
        await usecases.hand_over(uow, clock, HOURS, open_one, None, "a\u200b@kuopio.fi", True)
    assert code_of(odd.value) == "email_invalid"
    # Letters other than ASCII's before the @ need SMTPUTF8, which the city's mail does not
    # use: no reply could reach it (the one rule of every service, `shared.email_address`).
    with pytest.raises(Invalid) as unmailable:
        await usecases.hand_over(uow, clock, HOURS, open_one, None, "äiti@kuopio.fi", True)
    assert code_of(unmailable.value) == "email_invalid"
    handed, _ = await usecases.hand_over(uow, clock, HOURS, open_one, None,
                                         "aiti@äänekoski.fi", True)
    assert handed.contact_email == "aiti@äänekoski.fi"


async def test_retention() -> None:
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    await _asked(uow, clock)
    assert await usecases.purge_expired(uow, FixedClock(TUESDAY_10 + timedelta(days=29)),
                                        30) == 0
    assert await usecases.purge_expired(uow, FixedClock(TUESDAY_10 + timedelta(days=31)),
                                        30) == 1


@pytest.mark.parametrize(("text", "says"), [
    ("tapahtumat 31.12.9999", "Päivä 31.12.9999 on liian kaukana tulevaisuudessa."),
    ("lapsille 31.12.9999", "Päivä 31.12.9999 on liian kaukana tulevaisuudessa."),
    ("tapahtumat 1.1.0001", "Päivä 1.1.0001 on liian kaukana menneisyydessä."),
    ("Onko Juankosken kirjasto auki 30.2.2027?", "Päivämäärää 30.2.2027 ei ole olemassa."),
])
async def test_a_date_the_guide_cannot_hold_is_answered_not_an_error(text: str,
                                                                     says: str) -> None:
    """The end of year 9999 overflowed the search's end (a 500); the guide says which
    dates it can tell about instead, in the conversation and the one-off API alike."""
    uow, clock = _uow(), FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock, text)
    guide = (await usecases.get_conversation(uow, cid)).messages[-1]
    assert guide.answer is not None and guide.answer["kind"] == "clarify"
    assert guide.text.startswith(says), guide.text
    _, answer = await usecases.answer(uow, clock, Links(), text)
    assert answer.text == guide.text


@pytest.mark.parametrize(("text", "says", "never"), [
    ("Haluan puhua ihmisen kanssa", "Selvä, välitän kysymyksesi ihmiselle", "En osaa vastata"),
    ("Jag vill prata med en människa", "jag skickar din fråga vidare till en person",
     "kan inte svara"),
    ("I want to talk to a human", "I will pass your question to a person", "cannot answer"),
    # "talk" is also a kind of event: beside "to a person" it is the wish, not a search.
    ("I want to talk to a person", "I will pass your question to a person", "calendar"),
    ("I would like to talk to a person", "I will pass your question to a person", "calendar"),
    ("Kan jag tala med en person?", "jag skickar din fråga vidare till en person",
     "kalendern"),
])
async def test_asking_for_a_person_is_confirmed_plainly(text: str, says: str,
                                                        never: str) -> None:
    """An explicit request for a person is no question the guide failed to answer."""
    _, answer = await usecases.answer(_uow(), FixedClock(TUESDAY_10), Links(), text)
    assert answer.kind == "handover" and answer.offer_person
    assert says in answer.text and never not in answer.text, answer.text


def _digi_help(day: int, month: int = 12) -> Activity:
    starts = datetime(2026 if month == 12 else 2027, month, day, 13, tzinfo=HELSINKI)
    return Activity(event_id=uuid4(), name={"fi": "Digiopastus", "sv": "Digihjälp",
                                            "en": "Digital help"},
                    starts_at=starts, ends_at=starts + timedelta(hours=2),
                    topics=("digital_skills",), audiences=("everyone",))


@pytest.mark.parametrize(("text", "two_weeks", "name", "day"), [
    ("Onko digiopastusta?", "Kahden seuraavan viikon aikana (1.12.–14.12.)", "Digiopastus",
     "ti 15.12."),
    ("Finns det datorhjälp?", "Under de kommande två veckorna (1 dec.–14 dec.)", "Digihjälp",
     "tis 15 dec."),
    ("Is there computer help?", "In the next two weeks (1 Dec–14 Dec)", "Digital help",
     "Tue 15 Dec"),
])
async def test_a_topics_next_event_after_two_weeks_is_named(text: str, two_weeks: str,
                                                            name: str, day: str) -> None:
    """No date asked: the coming two weeks are searched first. An event on day 15 is named
    with its date, the two weeks said, never handed over as "no event that matches"."""
    uow = FakeUnitOfWork(FakeGuideStore(activities=[_digi_help(15), _digi_help(20, 1)]))
    _, answer = await usecases.answer(uow, FixedClock(TUESDAY_10), Links(), text)
    assert answer.kind == "events" and not answer.offer_person, answer
    assert answer.text.startswith(two_weeks) and name in answer.text and day in answer.text
    assert len(answer.event_ids) == 2


@pytest.mark.parametrize(("text", "searched"), [
    ("Onko digiopastusta?", "seuraavan 90 päivän aikana (1. joulukuuta 2026\u2009–\u200928. "
                            "helmikuuta 2027)"),
    ("Finns det datorhjälp?", "under de kommande 90 dagarna (1 dec. 2026–28 feb. 2027)"),
    ("Is there computer help?", "in the next 90 days (1 Dec 2026\u2009–\u200928 Feb 2027)"),
])
async def test_a_topic_with_no_event_says_the_period_searched(text: str, searched: str) -> None:
    """Nothing within 90 days (the next one is in March): handed over, saying which days
    the calendar was searched for."""
    uow = FakeUnitOfWork(FakeGuideStore(activities=[_digi_help(2, 3)]))
    _, answer = await usecases.answer(uow, FixedClock(TUESDAY_10), Links(), text)
    assert answer.kind == "handover" and answer.offer_person, answer
    assert searched in answer.text, answer.text


async def test_a_promised_email_answer_is_not_dropped_by_closing() -> None:
    """Tester 2's defect 12: a resident handed over outside the staff's hours, with an address
    and consent, was promised an answer by email; "close" dropped it silently. Closing without
    a reason is refused; with one, the reason is what the resident is emailed."""
    uow, clock = _uow(), FixedClock(SATURDAY_20)
    cid = await _asked(uow, clock)
    await usecases.hand_over(uow, clock, HOURS, cid, None, "maija@example.fi", True)
    for blank in ("", "  \n "):
        with pytest.raises(usecases.AnswerPromised) as refused:
            await usecases.close(uow, clock, DESK, cid, blank)
        assert isinstance(refused.value, Conflict) and refused.value.details == {
            "field": "reason", "code": "answer_promised"}
    kept = uow.store.conversations[cid]
    assert (kept.status, kept.contact_email, uow.published) == (
        "awaiting_reply", "maija@example.fi", [])
    with pytest.raises(Invalid):  # the reason is an email: bounded
        await usecases.close(uow, clock, DESK, cid, "x" * (usecases.REASON_MAX + 1))

    clock.advance(timedelta(days=1))
    closed = await usecases.close(uow, clock, DESK, cid,
                                  " Kysy asiasta suoraan Juankosken kirjastosta. ")
    [event] = uow.published
    assert isinstance(event, GuideReplyRequested)
    assert (event.contact_email, event.contact_language, event.answered_by, event.answer) == (
        "maija@example.fi", "fi", "Neuvonta", "Kysy asiasta suoraan Juankosken kirjastosta.")
    assert event.question == "Saako koiran tuoda Juankosken kirjastoon?"
    assert (closed.conversation.status, closed.conversation.contact_email) == ("closed", None)
    assert (closed.reason, closed.already_closed) == ("emailed", False)
    stored = await usecases.get_conversation(uow, cid)
    assert (stored.status, stored.contact_email) == ("closed", None)
    assert [(m.author, m.text, m.emailed) for m in stored.messages][-1] == (
        "staff", "Kysy asiasta suoraan Juankosken kirjastosta.", True)


async def test_answered_or_chat_conversations_close_without_a_reason() -> None:
    uow, clock = _uow(), FixedClock(SATURDAY_20)
    emailed = await _asked(uow, clock)
    await usecases.hand_over(uow, clock, HOURS, emailed, None, "maija@example.fi", True)
    await usecases.reply(uow, clock, DESK, emailed, "Avustajakoirat ovat tervetulleita.")
    assert (await usecases.close(uow, clock, DESK, emailed)).conversation.status == "closed"
    in_chat = await _asked(uow, FixedClock(TUESDAY_10))
    await usecases.hand_over(uow, FixedClock(TUESDAY_10), HOURS, in_chat, None, None, False)
    assert (await usecases.close(uow, clock, DESK, in_chat)).conversation.status == "closed"
    assert len(uow.published) == 1  # the reply only: nothing sent on closing


def _library(key: str, fi: str, sv: str, en: str, address: str | None = None) -> Venue:
    return Venue(venue_id=uuid4(), name={"fi": fi, "sv": sv, "en": en}, kind="library",
                 area=f"kuopio.{key}", address=address,
                 hours=tuple(Hours("12:00", "19:00", weekday=d) for d in range(1, 5)))


LIBRARIES = [
    _library("keskusta", "KANTTI – Kuopion kaupunginkirjasto",
             "KANTTI – Kuopio stadsbibliotek", "KANTTI – Kuopio City Library",
             "Maaherrankatu 12"),
    _library("jynkka", "Jynkän kirjasto", "Jynkkä bibliotek", "Jynkkä library"),
    _library("neulamaki", "Neulamäen kirjasto", "Neulamäki bibliotek", "Neulamäki library",
             "Neulamäentie 5"),
]


@pytest.mark.parametrize(("lang", "asked", "reply", "library", "says"), [
    ("fi", "Missä on lähin kirjasto ja milloin se on auki?", "Jynkkä", "Jynkän kirjasto",
     "osoitetta ei ole tiedoissa"),
    ("fi", "Missä on lähin kirjasto ja milloin se on auki?", "Jynkän kirjasto",
     "Jynkän kirjasto", "ti henkilökunta paikalla 12.00–19.00"),
    ("fi", "Milloin kirjasto on auki?", "Neulamäellä", "Neulamäen kirjasto",
     "to henkilökunta paikalla 12.00–19.00"),
    ("fi", "Milloin kirjasto on auki?", "KANTTI – Kuopion kaupunginkirjasto",
     "KANTTI – Kuopion kaupunginkirjasto", "pe suljettu"),
    ("sv", "Var ligger närmaste bibliotek och när är det öppet?", "Jynkkä bibliotek",
     "Jynkkä bibliotek", "adressen finns inte i uppgifterna"),
    ("sv", "När är biblioteket öppet?", "Neulamäki", "Neulamäki bibliotek",
     "tis personal på plats 12:00–19:00"),
    ("en", "Where is the nearest library and when is it open?", "Jynkkä library",
     "Jynkkä library", "the address is not in the data"),
    ("en", "When is the library open?", "in Neulamäki", "Neulamäki library",
     "Tue staffed 12:00–19:00"),
])
async def test_a_reply_to_which_library_completes_the_question_it_answers(
        lang: Lang, asked: str, reply: str, library: str, says: str) -> None:
    """"Which library or area do you mean?" answered with an area, a library or an option
    as listed (inflected or not): the earlier question's hours of that library, not "not
    about opening hours, events…" for a reply read as a question of its own."""
    uow = FakeUnitOfWork(FakeGuideStore(venues=LIBRARIES))
    clock = FixedClock(TUESDAY_10)
    c = await usecases.start_conversation(uow, clock, PUBLIC, lang, "web")
    _, clarify = await usecases.ask(uow, clock, Links(), c.conversation_id, asked)
    assert clarify.kind == "clarify" and library in clarify.text
    conversation, answer = await usecases.ask(uow, clock, Links(), c.conversation_id, reply)
    assert (answer.kind, answer.language) == ("hours", lang), answer.text
    assert answer.text.startswith(library) and says in answer.text, answer.text
    assert conversation.language == lang
    # A question of its own after an answer is read alone again.
    _, alone = await usecases.ask(uow, clock, Links(), c.conversation_id, reply)
    assert alone.kind == "handover"


#: A library in a place the rules know no area of, its name in Finnish alone (SAMPLE).
PITKALAHTI = Venue(venue_id=uuid4(), name={"fi": "Pitkälahden kirjasto"}, kind="library",
                   area="kuopio.jynkka", hours=(Hours("13:00", "18:00", weekday=2),))


@pytest.mark.parametrize(("lang", "asked", "reply"), [
    ("sv", "När är biblioteket öppet?", "Pitkälahti bibliotek"),
    ("en", "When is the library open?", "Pitkälahti library"),
    ("fi", "Milloin kirjasto on auki?", "Pitkälahden kirjasto"),
])
async def test_a_reply_naming_a_library_by_its_place_completes_the_question(
        lang: Lang, asked: str, reply: str) -> None:
    """"Which library?" answered with a library by its place in its base form: the earlier
    question's hours of that library, though its place is no area the rules know."""
    uow = FakeUnitOfWork(FakeGuideStore(venues=[*LIBRARIES, PITKALAHTI]))
    clock = FixedClock(TUESDAY_10)
    c = await usecases.start_conversation(uow, clock, PUBLIC, lang, "web")
    _, clarify = await usecases.ask(uow, clock, Links(), c.conversation_id, asked)
    assert clarify.kind == "clarify" and "Pitkälahden kirjasto" in clarify.text
    _, answer = await usecases.ask(uow, clock, Links(), c.conversation_id, reply)
    assert (answer.kind, answer.language) == ("hours", lang), answer.text
    assert answer.text.startswith("Pitkälahden kirjasto") and "13" in answer.text, answer.text


async def test_a_new_question_after_which_library_is_read_as_its_own() -> None:
    uow = FakeUnitOfWork(FakeGuideStore(venues=LIBRARIES))
    clock = FixedClock(TUESDAY_10)
    c = await usecases.start_conversation(uow, clock, PUBLIC, "fi", "web")
    await usecases.ask(uow, clock, Links(), c.conversation_id, "Milloin kirjasto on auki?")
    _, answer = await usecases.ask(uow, clock, Links(), c.conversation_id,
                                   "Mitä Neulamäen kirjastossa on tarjolla lapsille?")
    assert answer.kind != "hours"
