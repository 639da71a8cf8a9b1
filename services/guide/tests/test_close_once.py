"""A tester's script (t36): a conversation promised an answer by email was ended with a
reason, then "close" was sent again with another reason: 303 "Done.", the later reason
dropped without a word. A reason to end a conversation is now never dropped silently: to
one already ended, the reason it ended with again (a form sent twice) is said as repeated,
another is refused with nothing stored (the ending stands as it was); to one without an
address (answered by email meanwhile, or a chat) the reason is the staff's last word in the
chat, said as such. A tampered `expected` on a reply is refused, nothing sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from services.guide import usecases
from services.guide.domain import Links, StaffHours
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.contracts import GuideReplyRequested
from shared.errors import Conflict, Invalid
from shared.http import code_of
from shared.identity import PUBLIC, Principal
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

SATURDAY_20 = datetime(2026, 12, 5, 20, tzinfo=HELSINKI)  # outside the staff's hours
TUESDAY_10 = datetime(2026, 12, 1, 10, tzinfo=HELSINKI)
DESK = Principal(subject="desk-1", roles=frozenset({"desk"}), name="Neuvonta")
REASON = "We cannot answer this by email; please call the desk."


async def _handed_over(at: datetime, email: str | None) -> tuple[
        FakeUnitOfWork[Any], FixedClock, Any]:
    uow, clock = FakeUnitOfWork(FakeGuideStore()), FixedClock(at)
    c = await usecases.start_conversation(uow, clock, PUBLIC, "en", "web")
    await usecases.ask(uow, clock, Links(), c.conversation_id,
                       "Can I bring my dog to the library?")
    await usecases.hand_over(uow, clock, StaffHours(), c.conversation_id, "desk", email,
                             email is not None)
    return uow, clock, c.conversation_id


def _staff(uow: FakeUnitOfWork[Any], cid: Any) -> list[tuple[str, bool]]:
    return [(m.text, m.emailed) for m in uow.store.messages[cid] if m.author == "staff"]


def _emails(uow: FakeUnitOfWork[Any]) -> list[str]:
    return [e.answer for e in uow.published if isinstance(e, GuideReplyRequested)]


async def test_an_ended_conversation_keeps_its_reason_and_refuses_another() -> None:
    uow, clock, cid = await _handed_over(SATURDAY_20, "resident@example.fi")
    first = await usecases.close(uow, clock, DESK, cid, REASON)
    assert (first.reason, first.already_closed, first.repeated) == ("emailed", False, False)
    ended_at = uow.store.conversations[cid].updated_at
    clock.advance(timedelta(minutes=5))

    with pytest.raises(usecases.ReasonNotKept) as refused:
        await usecases.close(uow, clock, DESK, cid, "S40 again")
    assert isinstance(refused.value, Conflict)
    assert refused.value.details == {"field": "reason", "code": "conversation_closed"}
    # The same form sent again (a double click): its reason, not sent twice.
    again = await usecases.close(uow, clock, DESK, cid, f" {REASON}\r\n")
    assert (again.reason, again.already_closed, again.repeated) == ("emailed", True, True)
    bare = await usecases.close(uow, clock, DESK, cid)
    assert (bare.reason, bare.already_closed, bare.repeated) == (None, True, False)

    # Nothing stored or sent by any of them: the ending stands as it was.
    assert _staff(uow, cid) == [(REASON, True)]
    assert _emails(uow) == [REASON]
    kept = uow.store.conversations[cid]
    assert (kept.status, kept.contact_email, kept.updated_at) == ("closed", None, ended_at)


async def test_a_reason_after_an_emailed_answer_goes_to_the_chat_and_says_so() -> None:
    """A stale inbox tab: the answer was emailed meanwhile (the address erased), then the
    conversation ended with a reason. The reason is kept in the chat, said as chat only."""
    uow, clock, cid = await _handed_over(SATURDAY_20, "resident@example.fi")
    await usecases.reply(uow, clock, DESK, cid, "Assistance dogs are welcome.")
    closed = await usecases.close(uow, clock, DESK, cid, REASON)
    assert (closed.reason, closed.chat_only_after_email, closed.already_closed) == (
        "chat", True, False)
    assert closed.conversation.status == "closed"
    assert _staff(uow, cid) == [("Assistance dogs are welcome.", True), (REASON, False)]
    assert _emails(uow) == ["Assistance dogs are welcome."]
    assert [m.text for m in closed.conversation.messages][-1] == REASON


async def test_a_chat_ended_with_a_reason_has_it_as_the_last_word() -> None:
    uow, clock, cid = await _handed_over(TUESDAY_10, None)
    closed = await usecases.close(uow, clock, DESK, cid, REASON)
    assert (closed.reason, closed.chat_only_after_email) == ("chat", False)
    assert _staff(uow, cid) == [(REASON, False)] and _emails(uow) == []
    # Without a reason: ended, nothing said.
    uow, clock, cid = await _handed_over(TUESDAY_10, None)
    quiet = await usecases.close(uow, clock, DESK, cid, "  ")
    assert (quiet.reason, quiet.already_closed, quiet.conversation.status) == (
        None, False, "closed")
    assert _staff(uow, cid) == []


@pytest.mark.parametrize("expected", ["sms", "EMAIL", "\ufffd", ""])
async def test_a_tampered_expected_is_refused_with_nothing_sent(expected: str) -> None:
    uow, clock, cid = await _handed_over(SATURDAY_20, "resident@example.fi")
    with pytest.raises(Invalid) as refused:
        await usecases.reply(uow, clock, DESK, cid, "Assistance dogs are welcome.",
                             expected=expected)
    assert (refused.value.field, code_of(refused.value)) == ("expected", "expected_unknown")
    assert _staff(uow, cid) == [] and _emails(uow) == []
    assert uow.store.conversations[cid].contact_email == "resident@example.fi"
