"""A tester's report: a resident asked in Swedish and left an email; the desk answered, the
same form was sent again (a double click, back), then a follow-up went. Each was "Tehty.",
the conversation held three staff answers, the first emailed, the others not, and one email
went. The use case now keeps one answer for the same one sent again (the first sending's,
said as `repeated`), says a follow-up after the address was erased reached the chat only,
and refuses one its sender was told goes by email once the address is gone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from services.guide import usecases
from services.guide.domain import Links, StaffHours
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.contracts import GuideReplyRequested
from shared.errors import Conflict
from shared.http import code_of
from shared.identity import PUBLIC, Principal
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

SATURDAY_20 = datetime(2026, 12, 5, 20, tzinfo=HELSINKI)  # outside the staff's hours
TUESDAY_10 = datetime(2026, 12, 1, 10, tzinfo=HELSINKI)
DESK = Principal(subject="desk-1", roles=frozenset({"desk"}), name="Neuvonta")
ANSWER = "Hej! Ja, sällskapsspel lånas i kundtjänsten."


async def _handed_over(at: datetime, email: str | None) -> tuple[
        FakeUnitOfWork[Any], FixedClock, Any]:
    uow, clock = FakeUnitOfWork(FakeGuideStore()), FixedClock(at)
    c = await usecases.start_conversation(uow, clock, PUBLIC, "sv", "web")
    await usecases.ask(uow, clock, Links(), c.conversation_id,
                       "Kan jag låna ett sällskapsspel i KANTTI på söndag?")
    await usecases.hand_over(uow, clock, StaffHours(), c.conversation_id, "desk", email,
                             email is not None)
    return uow, clock, c.conversation_id


def _staff(uow: FakeUnitOfWork[Any], cid: Any) -> list[tuple[str, bool]]:
    return [(m.text, m.emailed) for m in uow.store.messages[cid]
            if m.author == "staff"]


async def test_the_same_answer_sent_twice_is_kept_and_emailed_once() -> None:
    uow, clock, cid = await _handed_over(SATURDAY_20, "boende@example.fi")
    first = await usecases.reply(uow, clock, DESK, cid, ANSWER)
    assert (first.emailed, first.repeated, first.chat_only_after_email) == (True, False, False)
    clock.advance(timedelta(seconds=1))
    # Sent again as the form sent it (its line ends, its spaces): the same answer.
    again = await usecases.reply(uow, clock, DESK, cid, f"  {ANSWER}\r\n", expected="email")
    assert (again.repeated, again.emailed) == (True, True)
    assert again.message.message_id == first.message.message_id
    assert _staff(uow, cid) == [(ANSWER, True)]
    assert len([e for e in uow.published if isinstance(e, GuideReplyRequested)]) == 1


async def test_a_follow_up_after_the_emailed_answer_is_said_to_reach_the_chat_only() -> None:
    uow, clock, cid = await _handed_over(SATURDAY_20, "boende@example.fi")
    await usecases.reply(uow, clock, DESK, cid, ANSWER)
    # The inbox's form said "by email" when it was drawn: not sent to the chat unawares.
    with pytest.raises(usecases.AddressErased) as refused:
        await usecases.reply(uow, clock, DESK, cid, "Vi har också Carcassonne.",
                             expected="email")
    assert isinstance(refused.value, Conflict) and code_of(refused.value) == "address_erased"
    assert refused.value.details["field"] == "text"
    assert _staff(uow, cid) == [(ANSWER, True)]
    # Sent knowing it goes to the chat only: kept, and said so.
    follow_up = await usecases.reply(uow, clock, DESK, cid, "Vi har också Carcassonne.",
                                     expected="chat")
    assert (follow_up.emailed, follow_up.repeated, follow_up.chat_only_after_email) == (
        False, False, True)
    assert _staff(uow, cid) == [(ANSWER, True), ("Vi har också Carcassonne.", False)]
    assert usecases.emailed_before(follow_up.conversation)
    assert len(uow.published) == 1


async def test_an_answer_in_the_chat_is_not_said_to_follow_an_email() -> None:
    uow, clock, cid = await _handed_over(TUESDAY_10, None)
    sent = await usecases.reply(uow, clock, DESK, cid, "Ja.", expected="chat")
    assert (sent.emailed, sent.repeated, sent.chat_only_after_email) == (False, False, False)
    assert (await usecases.reply(uow, clock, DESK, cid, "Ja.")).repeated
    assert not usecases.emailed_before(await usecases.get_conversation(uow, cid))
    assert _staff(uow, cid) == [("Ja.", False)]


async def test_the_same_words_to_a_new_question_are_a_new_answer() -> None:
    """Only a repetition while the answer is still the conversation's last word is one: the
    resident asking again, the same words answer them anew."""
    uow, clock, cid = await _handed_over(TUESDAY_10, None)
    await usecases.reply(uow, clock, DESK, cid, "Ja.")
    await usecases.ask(uow, clock, Links(), cid, "Och på måndag?")
    again = await usecases.reply(uow, clock, DESK, cid, "Ja.")
    assert not again.repeated
    assert _staff(uow, cid) == [("Ja.", False), ("Ja.", False)]
