"""The guide as a service on the real broker and database: venues and activities arrive from
the bus, residents ask, a conversation is handed to a person in and out of the staff's hours,
staff answer from the inbox, email replies leave as `guide.reply_requested` and the address is
erased, old conversations go."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from services.guide import usecases
from services.guide.app import spec
from services.guide.tests.demo_data import NOW, activity_events, demo_id, venue_events
from shared.clock import HELSINKI, FixedClock
from shared.contracts import GUIDE_TOPIC
from tests.infra import bearer, events_on_topic, eventually, produce

pytestmark = pytest.mark.infra

DESK = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")


REPLY_REQUESTED = "fi.kohtaamo.guide.reply_requested.v1"


async def _gone(count: Any) -> bool | None:
    return True if await count == 0 else None


async def _guide_with_demo(start_service: Any, infra: Any, topic_prefix: str) -> Any:
    client = await start_service(spec)
    client.runtime.clock = FixedClock(NOW)
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", venue_events())
    await produce(infra.kafka_bootstrap, f"{topic_prefix}events.v1", activity_events())

    async def loaded() -> bool:
        r = await client.post("/ask", json={
            "question": "Is there anything for seniors in Juankoski next week?"})
        return r.status_code == 200 and "Chair exercise" in r.json()["answer"]["text"]

    await eventually(loaded, timeout=60)
    return client


async def test_residents_ask_and_staff_answer(start_service: Any, infra: Any,
                                              topic_prefix: str) -> None:
    client = await _guide_with_demo(start_service, infra, topic_prefix)
    r = await client.post("/ask", json={"question": "Milloin Neulamäen kirjasto on auki "
                                                    "ensi viikon sunnuntaina?"})
    body = r.json()
    assert body["understood"]["areas"] == ["kuopio.neulamaki"]
    assert body["answer"]["kind"] == "hours" and "7.00–21.00" in body["answer"]["text"]
    assert str(demo_id("venue", "neulamaki")) in body["answer"]["citations"][0]["url"]

    found = (await client.post("/ask", json={
        "question": "Mitä KANTTIssa tapahtuu 11.12.2026?"})).json()["answer"]
    assert found["kind"] == "events" and "Kuorolaulua kaikille" in found["text"]
    assert found["citations"][0]["url"].endswith(
        f"/events/{demo_id('event', 'kuoro')}/page?lang=fi")

    # A conversation in the widget, handed to a person during the staff's hours (Tuesday 10).
    conversation = (await client.post("/conversations", json={"language": "fi"})).json()
    cid = conversation["conversation_id"]
    assert conversation["staffed_now"] is True
    asked = (await client.post(f"/conversations/{cid}/messages", json={
        "text": "Saako Juankosken kirjastoon tuoda koiran?"})).json()
    assert asked["answer"]["kind"] == "handover" and asked["answer"]["offer_person"]
    handed = (await client.post(f"/conversations/{cid}/handover", json={})).json()
    assert (handed["status"], handed["queue"]) == ("waiting", "coordinator:north")

    assert (await client.get("/inbox")).status_code == 401
    assert (await client.get("/inbox", headers=bearer("organiser"))).status_code == 403
    inbox = (await client.get("/inbox", headers=DESK,
                              params={"queue": "coordinator:north"})).json()
    assert [c["conversation_id"] for c in inbox] == [cid]
    replied = await client.post(f"/conversations/{cid}/replies", headers=DESK,
                                json={"text": "Avustajakoirat ovat tervetulleita."})
    assert replied.status_code == 200
    seen = (await client.get(f"/conversations/{cid}")).json()
    assert seen["status"] == "answered"
    assert seen["messages"][-1]["author"] == "staff"
    assert seen["messages"][-1]["staff_name"] == "KANTTIn neuvonta"
    assert seen["messages"][-1]["emailed"] is False  # answered in the chat
    assert (await client.get("/inbox", headers=DESK)).json() == []


async def test_outside_staff_hours_the_answer_goes_by_email(start_service: Any, infra: Any,
                                                            topic_prefix: str) -> None:
    client = await _guide_with_demo(start_service, infra, topic_prefix)
    client.runtime.clock = FixedClock(datetime(2026, 12, 5, 20, tzinfo=HELSINKI))  # Saturday
    cid = (await client.post("/conversations", json={"language": "en"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={
        "text": "Can our choir get a grant from the city?"})
    no_address = await client.post(f"/conversations/{cid}/handover", json={})
    assert (no_address.status_code, no_address.json()["code"]) == (422, "email_needed")
    no_consent = await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "choir@example.fi"}, headers={"Accept-Language": "sv"})
    assert (no_consent.status_code, no_consent.json()["code"]) == (422, "consent_needed")
    # Said as the widget says it, in the reader's language.
    assert no_consent.json()["message"].startswith("Adressen får sparas bara med ditt samtycke")
    not_an_address = await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "choir(at)example", "consent": True},
        headers={"Accept-Language": "fi"})
    assert not_an_address.json()["code"] == "email_invalid"
    assert not_an_address.json()["message"] == (
        "Tarkista sähköpostiosoite (muotoa nimi@esimerkki.fi).")
    handed = (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "choir@example.fi", "consent": True})).json()
    assert handed["status"] == "awaiting_reply" and handed["has_contact"]
    assert handed["staffed_now"] is False

    await client.post(f"/conversations/{cid}/replies", headers=DESK,
                      json={"text": "Grants: see kuopio.fi/avustukset."})
    pool = client.runtime.pool
    assert await pool.fetchval("SELECT contact_email FROM conversations") is None
    # The reply's outbox row, with the address, goes as soon as the relay has published it;
    # the topic has the event.
    await eventually(lambda: _gone(pool.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = $1", REPLY_REQUESTED)), timeout=30)
    [reply] = await events_on_topic(client.runtime, GUIDE_TOPIC, 1, keys={cid},
                                    event_type=REPLY_REQUESTED)
    data = reply.data
    assert data["contact_email"] == "choir@example.fi" and data["contact_language"] == "en"
    assert data["question"] == "Can our choir get a grant from the city?"
    # The resident's widget reads the answer and that it went by email (the column kept by
    # the real store); an answer in the chat is not marked so (`test_residents_ask…`).
    seen = (await client.get(f"/conversations/{cid}")).json()
    assert [(m["author"], m["emailed"]) for m in seen["messages"]][-1] == ("staff", True)
    assert seen["messages"][-1]["text"] == "Grants: see kuopio.fi/avustukset."

    # Retention: after 30 days the conversation goes too.
    later = FixedClock(datetime(2026, 12, 5, 20, tzinfo=HELSINKI) + timedelta(days=31))
    assert await usecases.purge_expired(usecases.unit_of_work(pool), later, 30) == 1
    gone = await client.get(f"/conversations/{cid}")
    assert (gone.status_code, gone.json()["code"]) == (404, "no_conversation")


async def test_phone_staff_use_the_guide_as_their_search(start_service: Any) -> None:
    client = await start_service(spec)
    public = await client.post("/conversations", json={"channel": "phone"})
    assert public.status_code == 401
    staff = await client.post("/conversations", json={"channel": "phone"}, headers=DESK)
    assert staff.status_code == 201 and staff.json()["channel"] == "phone"


async def test_bounds(start_service: Any) -> None:
    client = await start_service(spec)
    assert (await client.post("/ask", json={"question": "auki\x00"})).status_code == 422
    assert (await client.post("/ask", json={"question": "x" * 1001})).status_code == 422
    assert (await client.post("/ask", json={"question": "hi", "language": "de"})
            ).status_code == 422
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await client.get(f"/conversations/{unknown}")).status_code == 404
    assert (await client.post(f"/conversations/{unknown}/messages",
                              json={"text": "hei"})).status_code == 404
    # Spaces or a zero-width space only: refused as an empty question is, in the reader's
    # words (they were answered "I cannot answer this").
    empty = await client.post("/ask", json={"question": ""}, headers={"Accept-Language": "sv"})
    for blank in ("   ", "\u200b \n"):
        refused = await client.post("/ask", json={"question": blank},
                                    headers={"Accept-Language": "sv"})
        assert refused.status_code == 422, refused.text
        assert refused.json()["message"] == empty.json()["message"], refused.json()
    started = (await client.post("/conversations", json={"language": "en"})).json()
    said = await client.post(f"/conversations/{started['conversation_id']}/messages",
                             json={"text": "  "})
    assert said.status_code == 422 and said.json()["detail"][0]["loc"] == ["body", "text"]
    assert (await client.get(f"/conversations/{started['conversation_id']}")
            ).json()["messages"] == []


async def test_the_inbox_reads_every_conversations_messages_in_one_statement(
        start_service: Any) -> None:
    """Two statements for an inbox of any length (the conversations, then all their
    messages), not one more per conversation; each conversation with its own messages in
    the order they were written."""
    from services.guide.store import GuideStore
    from tests.plans import RecordingConnection

    client = await start_service(spec)
    asked = {}
    for question in ("Voiko kirjastossa tulostaa?", "Missä on Pyörön kirjasto?",
                     "Saako bändi harjoitella nuorisotalolla?"):
        cid = (await client.post("/conversations", json={"language": "fi"})).json()[
            "conversation_id"]
        await client.post(f"/conversations/{cid}/messages", json={"text": question})
        await client.post(f"/conversations/{cid}/messages", json={"text": question + " Kiitos"})
        assert (await client.post(f"/conversations/{cid}/handover", json={
            "contact_email": "asukas@example.fi", "consent": True})).status_code == 200
        asked[cid] = question
    async with client.runtime.pool.acquire() as conn:
        recording = RecordingConnection(conn)
        inbox = await GuideStore(recording).inbox(None)  # type: ignore[arg-type]
    assert len(recording.statements) == 2
    assert {str(c.conversation_id) for c in inbox} == set(asked)
    for c in inbox:
        said = [m.text for m in c.messages if m.author == "resident"]
        assert said == [asked[str(c.conversation_id)], asked[str(c.conversation_id)] + " Kiitos"]
        assert [m.author for m in c.messages] == ["resident", "guide", "resident", "guide"]
