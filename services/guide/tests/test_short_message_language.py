"""A message too short to tell its language keeps the conversation's (or the given) one: a
tester's single "a" (an English article, to the word lists) switched a Finnish conversation
to English, and its "ok", "KANTTI" and "Kiitos" after it, and a Swedish one's "Hej" and
"Tack!", were answered in English; `/ask` with `"language": "fi"` answered "a" in English.
Greetings and thanks are answered in the conversation's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from services.guide import domain, usecases
from services.guide.app import spec
from services.guide.domain import Links
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork

CLOCK = FixedClock(datetime(2026, 12, 1, 10, tzinfo=HELSINKI))


@pytest.mark.unit
@pytest.mark.parametrize("text", ["a", "A.", "i", "on", "ok", "Kiitos", "Kiitos paljon!",
                                  "Hej", "Tack!", "Tack så mycket", "Thanks", "Thank you",
                                  "Hello", "?", "12"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_message_too_short_to_tell_keeps_the_language_given(text: str, lang: str) -> None:
    assert domain.detect_language(text, lang) == lang
    assert domain.detect_language(text, reader=lang) == lang


@pytest.mark.unit
def test_words_that_tell_still_switch_and_nothing_given_is_finnish() -> None:
    assert domain.detect_language("a") == "fi"
    assert domain.detect_language("What is on today?", "fi") == "en"
    assert domain.detect_language("Vad händer i morgon?", "fi") == "sv"
    assert domain.detect_language("Mitä tänään tapahtuu?", "en") == "fi"
    # A greeting with a question in it is read by the question's words.
    assert domain.detect_language("Hej, vad händer idag?", "fi") == "sv"


@pytest.mark.unit
@pytest.mark.parametrize(("lang", "texts"), [
    ("fi", ["a", "ok", "KANTTI", "Kiitos"]),
    ("sv", ["a", "Hej", "Tack!"]),
    ("en", ["a", "Kiitos", "Tack!"]),
])
async def test_the_conversation_keeps_its_language(lang: str, texts: list[str]) -> None:
    uow = FakeUnitOfWork(FakeGuideStore([]))
    c = await usecases.start_conversation(uow, CLOCK, PUBLIC, lang, "web")
    for text in texts:
        conversation, answer = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, text)
        assert (answer.language, conversation.language) == (lang, lang), (text, answer)
    # A question in another language still switches it.
    other = "What is on today?" if lang != "en" else "Mitä tänään tapahtuu?"
    conversation, answer = await usecases.ask(uow, CLOCK, Links(), c.conversation_id, other)
    assert answer.language == conversation.language != lang


@pytest.mark.infra
async def test_ask_answers_a_short_message_in_the_language_given(start_service: Any) -> None:
    client = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        said = await client.post("/ask", json={"question": "a", "language": lang},
                                 params={"lang": "en" if lang != "en" else "fi"})
        assert said.status_code == 200, said.text
        body = said.json()
        assert (body["understood"]["language"], body["answer"]["language"]) == (lang, lang)
    started = await client.post("/conversations", json={"language": "sv"})
    conversation_id = started.json()["conversation_id"]
    for text in ("a", "Hej", "Tack!"):
        sent = await client.post(f"/conversations/{conversation_id}/messages",
                                 json={"text": text})
        assert sent.status_code in (200, 201), sent.text
        assert sent.json()["answer"]["language"] == "sv", (text, sent.json())
    got = await client.get(f"/conversations/{conversation_id}")
    assert got.json()["language"] == "sv"
    assert sent.json()["conversation"]["language"] == "sv"
