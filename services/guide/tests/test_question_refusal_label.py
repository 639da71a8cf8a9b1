"""Every refusal of a resident's question names the input the same way: a tester read in the
Swedish widget "Text: skriv vanlig text." for a NUL character and "Text: högst 1 000 tecken."
for a question too long, but "Fråga: fyll i detta." for an empty one. A conversation's
`text` is the question: each of its refusals says "Fråga" (fi "Kysymys", en "Question"), as
`/ask`'s `question` does; the API's `detail` still names the field the client sent."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from shared.pages import LABELS
from tests.apps import unstarted_app

pytestmark = pytest.mark.unit

REFUSED = {"nul": "Milloin\x00 KANTTI on auki?", "long": "a" * 1001, "very long": "a" * 10_000,
           "empty": "", "blank": "   "}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_each_refusal_of_a_question_names_the_question(lang: str) -> None:
    app = unstarted_app("guide")
    label = LABELS["question"][lang]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        for why, text in REFUSED.items():
            for path, body in ((f"/conversations/{uuid4()}/messages", {"text": text}),
                               ("/ask", {"question": text})):
                answer = await http.post(path, json=body, params={"lang": lang})
                assert answer.status_code == 422, (why, path, answer.text)
                said: dict[str, Any] = answer.json()
                assert said["message"].startswith(f"{label}: "), (why, path, said["message"])
                assert "Text" not in said["message"] and "Teksti" not in said["message"]
                if isinstance(said.get("detail"), list):
                    # The program still reads which field of its body was refused.
                    assert said["detail"][0]["loc"][-1] == next(iter(body)), said


async def test_a_conversations_language_names_it_too() -> None:
    """Without a language of the reader's, a Swedish question is refused in Swedish (the
    body's `language` to `/ask`), naming the question."""
    app = unstarted_app("guide")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        answer = await http.post("/ask", json={"question": "a" * 1001, "language": "sv"})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("Fråga: "), answer.json()
