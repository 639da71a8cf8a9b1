"""A refusal in a conversation, to a reader naming no language, is said in the
conversation's language: a tester's client, sending no Accept-Language, had a Swedish
conversation refused in Finnish. A reader's own choice (`?lang=`, the cookie,
Accept-Language) still comes first, as for every refusal; without a conversation (an
unknown id) it is Finnish; the staff's refusals stay in their own language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest

from services.guide import usecases
from services.guide.app import spec
from services.guide.domain import Links
from services.guide.pages import LABELS
from services.guide.tests.fakes import FakeGuideStore
from shared.clock import HELSINKI, FixedClock
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork
from tests.infra import bearer


async def _started(client: Any, language: str) -> str:
    started = await client.post("/conversations", json={"language": language})
    assert started.status_code == 201, started.text
    cid: str = started.json()["conversation_id"]
    return cid


@pytest.mark.infra
async def test_a_refusal_in_a_conversation_is_in_its_language(start_service: Any) -> None:
    client = await start_service(spec)
    swedish = await _started(client, "sv")

    # A rule of the guide's own (the hand-over before any question): no header, Swedish.
    refused = await client.post(f"/conversations/{swedish}/handover", json={})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-language"] == "sv"
    assert refused.json()["code"] == "question_first"
    assert refused.json()["message"] == LABELS["sv"]["ask_first"]
    # The reader's own choice first, as for every refusal: an English Accept-Language, or
    # ?lang=; one naming no language of ours is no choice.
    again = await client.post(f"/conversations/{swedish}/handover", json={},
                              headers={"Accept-Language": "en"})
    assert again.headers["content-language"] == "en"
    assert again.json()["message"] == LABELS["en"]["ask_first"]
    again = await client.post(f"/conversations/{swedish}/handover?lang=fi", json={})
    assert again.json()["message"] == LABELS["fi"]["ask_first"]
    again = await client.post(f"/conversations/{swedish}/handover", json={},
                              headers={"Accept-Language": "de-DE, *;q=0.5"})
    assert again.json()["message"] == LABELS["sv"]["ask_first"]

    # An input the schema refuses (an empty question), said as the shared handler says it
    # in Swedish: the same refusal of a conversation that is none, asked in Swedish.
    empty = await client.post(f"/conversations/{swedish}/messages", json={"text": ""})
    assert empty.status_code == 422, empty.text
    oracle = await client.post(f"/conversations/{uuid4()}/messages", json={"text": ""},
                               headers={"Accept-Language": "sv"})
    assert oracle.headers["content-language"] == "sv"
    assert empty.headers["content-language"] == "sv"
    assert empty.json()["message"] == oracle.json()["message"]
    assert empty.json()["detail"] == oracle.json()["detail"]
    finnish = await client.post(f"/conversations/{uuid4()}/messages", json={"text": ""})
    assert finnish.json()["message"] != empty.json()["message"]  # Finnish, without one
    # A blank question is the same mistake, refused alike (it was another code).
    blank = await client.post(f"/conversations/{swedish}/messages", json={"text": " \u200b"})
    assert blank.status_code == 422 and blank.headers["content-language"] == "sv"
    assert (blank.json()["code"], blank.json()["message"]) == (
        empty.json()["code"], empty.json()["message"]) == ("string_too_short",
                                                           oracle.json()["message"])

    # Its language is the latest question's: asked in English, refused in English.
    asked = await client.post(f"/conversations/{swedish}/messages",
                              json={"text": "When is the Neulamäki library open?"})
    assert asked.status_code == 200, asked.text
    assert asked.json()["conversation"]["language"] == "en"
    outside = await client.post(f"/conversations/{swedish}/handover",
                                json={"contact_email": "a@b", "consent": True})
    assert outside.status_code == 422 and outside.json()["code"] == "email_invalid"
    assert outside.headers["content-language"] == "en"
    assert outside.json()["message"] == LABELS["en"]["bad_email"]

    # No conversation: the reader's language, else Finnish.
    gone = await client.get(f"/conversations/{uuid4()}", headers={"Accept-Language": "sv"})
    assert gone.status_code == 404 and gone.json()["message"] == LABELS["sv"]["gone"]
    gone = await client.get(f"/conversations/{uuid4()}")
    assert gone.headers["content-language"] == "fi"
    assert gone.json()["message"] == LABELS["fi"]["gone"]
    not_an_id = await client.get("/conversations/not-an-id", headers={"Accept-Language": "en"})
    assert not_an_id.status_code == 422 and not_an_id.headers["content-language"] == "en"

    # The staff's refusals in their own language, not the resident's.
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")
    blank = await client.post(f"/conversations/{swedish}/replies", json={"text": " "},
                              headers={**desk, "Accept-Language": "fi"})
    assert blank.status_code == 422 and blank.headers["content-language"] == "fi"
    assert blank.json()["message"] == LABELS["fi"]["reply_empty"]


@pytest.mark.unit
async def test_the_conversations_language_is_its_latest_questions() -> None:
    uow = FakeUnitOfWork(FakeGuideStore())
    clock = FixedClock(datetime(2026, 12, 1, 10, tzinfo=HELSINKI))
    started = await usecases.start_conversation(uow, clock, PUBLIC, "sv", "web")
    cid = started.conversation_id
    assert await usecases.conversation_language(uow, cid) == "sv"
    await usecases.ask(uow, clock, Links(), cid, "When is the Neulamäki library open?")
    assert await usecases.conversation_language(uow, cid) == "en"
    assert await usecases.conversation_language(uow, uuid4()) is None


@pytest.mark.infra
async def test_a_refused_question_is_in_the_language_it_names(start_service: Any) -> None:
    """A tester's `POST /ask {"question": "   ", "language": "sv"}` was refused in Finnish:
    the body's `language` says how to refuse a reader who names none, for the schema's
    refusals and the guide's own alike; the reader's own choice still comes first."""
    client = await start_service(spec)
    for question in ("", "   "):
        refused = await client.post("/ask", json={"question": question, "language": "sv"})
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-language"] == "sv", (question, refused.text)
        finnish = await client.post("/ask", json={"question": question})
        assert finnish.headers["content-language"] == "fi"
        assert refused.json()["message"] != finnish.json()["message"]
        chosen = await client.post("/ask", json={"question": question, "language": "sv"},
                                   headers={"Accept-Language": "en"})
        assert chosen.headers["content-language"] == "en"
    # Starting a conversation: its language names the refusal's.
    odd = await client.post("/conversations", json={"language": "sv", "channel": "fax"})
    assert odd.status_code == 422 and odd.headers["content-language"] == "sv", odd.text
