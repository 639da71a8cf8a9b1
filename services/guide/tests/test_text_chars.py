"""A text a person reads shows as typed: a resident's question (in the staff's inbox and
their own chat) and the staff's answer or closing reason (in the chat and the resident's
email) are refused with a control character (an escape sequence that clears a terminal, a
backspace) or a text-direction one (U+202E turns the rest around), as every service refuses
them (`shared.bounds.plain_text`, `text_chars`); a review found the guide kept and emailed
them. Line breaks and tabs are text, a form's CR LF a line break."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.guide import usecases
from services.guide.domain import Links
from services.guide.pages import LABELS
from services.guide.tests.fakes import FakeGuideStore
from services.guide.tests.test_usecases import DESK, TUESDAY_10, _asked
from shared.clock import FixedClock
from shared.contracts import GuideReplyRequested
from shared.errors import Invalid
from shared.http import code_of
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork
from tests.apps import unstarted_app
from tests.infra import bearer

pytestmark = pytest.mark.unit

NOT_SHOWN = ("Milloin \x1b[2Jkirjasto on auki?", "Milloin\x08 kirjasto on auki?",
             "Milloin \u202ekirjasto on auki?", "Milloin\x85 kirjasto on auki?",
             "Milloin kirjasto on auki?\ufffe")


@pytest.mark.parametrize("text", NOT_SHOWN)
async def test_a_question_that_would_not_show_as_typed_is_refused(text: str) -> None:
    uow = FakeUnitOfWork(FakeGuideStore())
    clock = FixedClock(TUESDAY_10)
    with pytest.raises(Invalid) as refused:
        await usecases.answer(uow, clock, Links(), text)
    assert (code_of(refused.value), refused.value.field) == ("text_chars", "question")
    c = await usecases.start_conversation(uow, clock, PUBLIC, "fi", "web")
    with pytest.raises(Invalid) as refused:
        await usecases.ask(uow, clock, Links(), c.conversation_id, text)
    assert (code_of(refused.value), refused.value.field) == ("text_chars", "text")
    # Nothing was kept of it.
    assert not (await usecases.get_conversation(uow, c.conversation_id)).messages


async def test_lines_and_tabs_are_text_and_a_forms_line_end_one_line_break() -> None:
    uow = FakeUnitOfWork(FakeGuideStore())
    clock = FixedClock(TUESDAY_10)
    c = await usecases.start_conversation(uow, clock, PUBLIC, "fi", "web")
    conversation, _ = await usecases.ask(uow, clock, Links(), c.conversation_id,
                                         "Hei!\r\nMilloin\tKANTTI on auki?\rKiitos")
    assert conversation.messages[0].text == "Hei!\nMilloin\tKANTTI on auki?\nKiitos"


@pytest.mark.parametrize("text", NOT_SHOWN)
async def test_a_staff_answer_or_reason_that_would_not_show_as_typed_is_refused(
        text: str) -> None:
    uow = FakeUnitOfWork(FakeGuideStore())
    clock = FixedClock(TUESDAY_10)
    cid = await _asked(uow, clock)
    await usecases.hand_over(uow, clock, usecases.StaffHours(), cid, None, "a@example.fi",
                             True)
    with pytest.raises(Invalid) as refused:
        await usecases.reply(uow, clock, DESK, cid, text)
    assert (code_of(refused.value), refused.value.field) == ("text_chars", "text")
    with pytest.raises(Invalid) as refused:
        await usecases.close(uow, clock, DESK, cid, text)
    assert (code_of(refused.value), refused.value.field) == ("text_chars", "reason")
    assert not [e for e in uow.published if isinstance(e, GuideReplyRequested)]
    # The same answer without the character goes, its form's lines as line breaks.
    await usecases.reply(uow, clock, DESK, cid, "Hei,\r\nkirjasto on auki 9–20.")
    [sent] = [e for e in uow.published if isinstance(e, GuideReplyRequested)]
    assert sent.answer == "Hei,\nkirjasto on auki 9–20."


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_refusal_says_what_to_fix_in_the_readers_language(lang: str) -> None:
    app = unstarted_app("guide")
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        said: list[dict[str, Any]] = []
        for path, body, headers in (
                ("/ask", {"question": NOT_SHOWN[0]}, {}),
                ("/ask", {"question": NOT_SHOWN[2], "language": lang}, {}),
                (f"/conversations/{uuid4()}/messages", {"text": NOT_SHOWN[1]}, {}),
                (f"/conversations/{uuid4()}/replies", {"text": NOT_SHOWN[0]}, desk)):
            answer = await http.post(path, json=body, params={"lang": lang}
                                     if "language" not in body else None, headers=headers)
            assert answer.status_code == 422, answer.text
            assert answer.headers["content-language"] == lang
            said.append(answer.json())
    assert {(s["code"], s["message"]) for s in said} == {
        ("text_chars", LABELS[lang]["text_chars"])}, said
