"""An empty question and a blank one (spaces, a tab, a zero-width space) are the same
mistake, refused the same way: a tester's `POST /ask {"question": ""}` was FastAPI's
`invalid` and `{"question": "   "}` the guide's `string_too_short`. One rule (the use case's)
refuses both, with one code and one message in the reader's language, on `/ask`, in a
conversation and in the staff's answers alike. No infrastructure: the refusal comes before
the database."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.guide import usecases
from services.guide.pages import LABELS, refusal
from shared.http import refusal_message
from tests.apps import unstarted_app
from tests.infra import bearer

pytestmark = pytest.mark.unit

EMPTY_AND_BLANK = ("", "   ", "\t\n", "\u200b")
#: The question's input as a page names it, and what it asks, in each language.
FILL_IN = {"fi": "täytä tämä kohta", "sv": "fyll i detta", "en": "fill this in"}
QUESTION = {"fi": "Kysymys", "sv": "Fråga", "en": "Question"}


async def _refusals(path: str, field: str, **request: Any) -> list[httpx.Response]:
    app = unstarted_app("guide")
    body = request.pop("body", {})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        return [await http.post(path, json={field: text, **body}, **request)
                for text in EMPTY_AND_BLANK]


def _one_refusal(answers: list[httpx.Response]) -> dict[str, Any]:
    """The answers to the empty and blank inputs: each a 422, all said alike."""
    bodies = [a.json() for a in answers]
    assert all(a.status_code == 422 for a in answers), [a.text for a in answers]
    assert len({(b["code"], b["message"]) for b in bodies}) == 1, bodies
    assert len({a.headers["content-language"] for a in answers}) == 1
    # The same refusal as for a program: the same field and kind in `detail`.
    assert len({str(b["detail"]) for b in bodies}) == 1, bodies
    said: dict[str, Any] = bodies[0]
    return said


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_empty_and_a_blank_question_are_refused_alike(lang: str) -> None:
    for request in ({"headers": {"Accept-Language": lang}},
                    {"body": {"language": lang}}):  # the language the question names
        ask = _one_refusal(await _refusals("/ask", "question", **request))
        assert ask["code"] == "string_too_short" and ask["min_length"] == 1, ask
        assert ask["detail"][0]["loc"] == ["body", "question"]
        assert FILL_IN[lang] in ask["message"], ask

    asked = _one_refusal(await _refusals(f"/conversations/{uuid4()}/messages", "text",
                                         headers={"Accept-Language": lang}))
    assert asked["code"] == ask["code"] and asked["min_length"] == 1, asked
    assert asked["detail"][0]["loc"] == ["body", "text"] and FILL_IN[lang] in asked["message"]
    # Named as the question, as on `/ask` ("Fråga: fyll i detta."), not by the body's key:
    # a zero-width space in the widget read "Text: fyll i detta.".
    assert asked["message"] == ask["message"] == refusal_message(
        usecases.nothing_to_read("text"), lang, refusal), asked
    assert asked["message"].startswith(QUESTION[lang] + ":"), asked


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_empty_and_a_blank_staff_answer_are_refused_alike(lang: str) -> None:
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")
    replied = _one_refusal(await _refusals(
        f"/conversations/{uuid4()}/replies", "text",
        headers={**desk, "Accept-Language": lang}))
    assert replied["code"] == "reply_empty", replied
    assert replied["message"] == LABELS[lang]["reply_empty"]


async def test_the_document_still_says_the_bounds() -> None:
    app = unstarted_app("guide")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        schemas = (await http.get("/openapi.json")).json()["components"]["schemas"]
    for schema, field in (("QuestionIn", "question"), ("MessageIn", "text"),
                          ("ReplyIn", "text")):
        assert schemas[schema]["properties"][field]["minLength"] == 1
    assert schemas["ReplyIn"]["properties"]["text"]["maxLength"] == 4000
    assert schemas["CloseIn"]["properties"]["reason"]["maxLength"] == 1000


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_staff_answer_or_reason_too_long_is_the_rules_refusal(lang: str) -> None:
    """An answer over 4,000 characters, or a closing reason over 1,000, was the schema's
    `invalid` in the API and the rule's own in the inbox: the rule's, in both."""
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")
    app = unstarted_app("guide")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        reply = await http.post(f"/conversations/{uuid4()}/replies", json={"text": "a" * 4001},
                                headers={**desk, "Accept-Language": lang})
        close = await http.post(f"/conversations/{uuid4()}/close",
                                json={"reason": "a" * 1001},
                                headers={**desk, "Accept-Language": lang})
    assert (reply.status_code, reply.json()["code"]) == (422, "reply_too_long"), reply.text
    # How long it is and the limit, numbers as the language writes them (Babel's).
    assert reply.json()["message"] == {
        "fi": "Vastaus on liian pitkä (4\xa0001 merkkiä): enintään 4\xa0000 merkkiä.",
        "sv": "Svaret är för långt (4\xa0001 tecken): högst 4\xa0000 tecken.",
        "en": "The answer is too long (4,001 characters): at most 4,000 characters."}[lang]
    assert (reply.json()["length"], reply.json()["max_length"]) == (4001, 4000)
    assert (close.status_code, close.json()["code"]) == (422, "reason_too_long"), close.text
    assert close.json()["message"] == {
        "fi": "Syy on liian pitkä (1\xa0001 merkkiä): enintään 1\xa0000 merkkiä.",
        "sv": "Orsaken är för lång (1\xa0001 tecken): högst 1\xa0000 tecken.",
        "en": "The reason is too long (1,001 characters): at most 1,000 characters."}[lang]
