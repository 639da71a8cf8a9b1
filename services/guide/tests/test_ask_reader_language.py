"""`POST /ask` answers a question whose words do not tell its language ("hello") in the
language the reader chose (`?lang=`, the `kohtaamo_lang` cookie, Accept-Language) before
Finnish: an API tester's English "hello" was answered in Finnish whatever they chose. The
question's own words and the body's `language` still come first."""

from __future__ import annotations

from typing import Any

import pytest

from services.guide import domain
from services.guide.app import spec

LANGS = ("fi", "sv", "en")


async def _asked(client: Any, body: dict[str, Any], **request: Any) -> dict[str, Any]:
    answer = await client.post("/ask", json=body, **request)
    assert answer.status_code == 200, answer.text
    said: dict[str, Any] = answer.json()
    # The answer is in the language the guide understood.
    assert said["answer"]["language"] == said["understood"]["language"], said
    return said


@pytest.mark.infra
async def test_a_question_without_telling_words_is_answered_in_the_readers_language(
        start_service: Any) -> None:
    client = await start_service(spec)
    texts: dict[str, str] = {}
    for lang in LANGS:
        ways = {"lang": {"params": {"lang": lang}},
                "cookie": {"headers": {"Cookie": f"kohtaamo_lang={lang}"}},
                "accept-language": {"headers": {"Accept-Language": f"{lang};q=0.9, de"}}}
        for way, request in ways.items():
            said = await _asked(client, {"question": "hello"}, **request)
            assert said["understood"]["language"] == lang, (way, said)
        texts[lang] = said["answer"]["text"]
    # Three answers in three languages, not one text with a different label.
    assert len(set(texts.values())) == 3, texts
    # Nothing chosen (or a language not ours): Finnish, as before.
    assert (await _asked(client, {"question": "hello"}))["understood"]["language"] == "fi"
    assert (await _asked(client, {"question": "hello"}, params={"lang": "de"},
                         headers={"Accept-Language": "de"}))["understood"]["language"] == "fi"
    # The body's `language` (the page's) comes before the reader's.
    assert (await _asked(client, {"question": "hello", "language": "sv"},
                         params={"lang": "en"}))["understood"]["language"] == "sv"
    # Words that tell the language come before both.
    told = await _asked(client, {"question": "Milloin kirjasto on auki huomenna?"},
                        params={"lang": "en"})
    assert told["understood"]["language"] == "fi"


@pytest.mark.unit
def test_the_readers_language_only_settles_a_tie_it_is_in() -> None:
    # "hello" tells nothing: the reader's language, else Finnish.
    assert domain.detect_language("hello", reader="en") == "en"
    assert domain.detect_language("hello") == "fi"
    # One Swedish and one English word tie: the reader's if it is one of them...
    tied = "och the"
    assert domain.detect_language(tied, reader="en") == "en"
    assert domain.detect_language(tied, reader="sv") == "sv"
    # ...and not Finnish, which neither word is, for a reader whose language is Finnish.
    assert domain.detect_language(tied, reader="fi") == domain.detect_language(tied)
    assert domain.detect_language(tied, reader="fi") != "fi"
    # The page's language (`hint`) comes first.
    assert domain.detect_language("hello", hint="sv", reader="en") == "sv"
