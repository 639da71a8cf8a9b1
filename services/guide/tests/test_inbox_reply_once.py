"""A tester's report on the staff inbox, the guide in this process on the real database and
broker: a resident asked in Swedish and left an email; the desk answered, the same form was
sent again, then a follow-up. Every POST was 303 "Tehty.", three staff answers were kept
(the first emailed, the others not) and one email went, the staff none the wiser.

Now the inbox says by the answer's input where it goes (by email; or, the address erased by
an earlier emailed answer, the chat only), the same answer sent again is kept and emailed
once and said to be already sent, a follow-up from a form that said "by email" is not sent
to the chat unawares (409, the inbox with the conversation and the answer as typed, saying
where it would go), and "Done" says where each answer went; fi, sv and en. The staff's API
says the same in `reply`."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from services.guide.app import spec
from services.guide.pages import LABELS
from shared.contracts import GUIDE_TOPIC
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

QUESTION = "Kan jag låna ett sällskapsspel i KANTTI på söndag?"
ANSWER = "Hej! Ja, sällskapsspel lånas i kundtjänsten."
FOLLOW_UP = "Vi har också Carcassonne på svenska."
#: The inbox's words, as a reader reads them: each said by the answer's input or as the note.
SENT_EMAIL = {"fi": "Tehty: vastaus lähetettiin asukkaan sähköpostiin, ja se näkyy myös "
                    "keskustelussa.",
              "sv": "Klart: svaret skickades till invånarens e-post och syns också i "
                    "samtalet.",
              "en": "Done: the answer was sent to the resident's email and also shows in "
                    "the conversation."}
REPEATED = {"fi": "Tämä vastaus on jo lähetetty asukkaan sähköpostiin: sitä ei lähetetty "
                  "toista kertaa.",
            "sv": "Det här svaret har redan skickats till invånarens e-post: det skickades "
                  "inte en gång till.",
            "en": "This answer was already sent to the resident's email: it was not sent a "
                  "second time."}
ERASED = {"fi": "Tätä vastausta ei lähetetty: se ei mene enää sähköpostiin, koska asukkaan "
                "osoite poistettiin, kun aiempi vastaus lähetettiin sähköpostilla. Se näkyisi "
                "asukkaalle vain keskustelussa, jos hän palaa siihen. Lähetä se sinne "
                "painamalla Vastaa uudelleen.",
          "sv": "Svaret skickades inte: det går inte längre per e-post, eftersom invånarens "
                "adress raderades när ett tidigare svar skickades per e-post. Det skulle "
                "synas för invånaren bara i samtalet, om hen kommer tillbaka till det. Skicka "
                "det dit genom att trycka på Svara igen.",
          "en": "This answer was not sent: it can no longer go by email, as the resident's "
                "address was erased when an earlier answer was emailed. It would show to the "
                "resident only in the conversation, if they come back to it. Send it there by "
                "pressing Reply again."}
CHAT_ONLY_HELP = {"fi": "Ei sähköpostia: asukkaan osoite poistettiin, kun aiempi vastaus "
                        "lähetettiin sähköpostilla. Vastaus näkyy asukkaalle vain "
                        "keskustelussa, jos hän palaa siihen.",
                  "sv": "Ingen e-post: invånarens adress raderades när ett tidigare svar "
                        "skickades per e-post. Svaret syns för invånaren bara i samtalet, om "
                        "hen kommer tillbaka till det.",
                  "en": "No email: the resident's address was erased when an earlier answer "
                        "was emailed. The answer shows to the resident only in the "
                        "conversation, if they come back to it."}
SENT_CHAT_ONLY = {"fi": "Tehty: vastaus näkyy asukkaalle vain keskustelussa, jos hän palaa "
                        "siihen. Sähköpostiin sitä ei lähetetty: osoite poistettiin, kun "
                        "aiempi vastaus lähetettiin sähköpostilla.",
                  "sv": "Klart: svaret syns för invånaren bara i samtalet, om hen kommer "
                        "tillbaka till det. Det skickades inte per e-post: adressen raderades "
                        "när ett tidigare svar skickades per e-post.",
                  "en": "Done: the answer shows to the resident only in the conversation, if "
                        "they come back to it. It was not emailed: the address was erased "
                        "when an earlier answer was emailed."}


def _note(page: str) -> str:
    """The inbox's status region's text."""
    found = re.search(r'<div id="status" role="status"[^>]*><p[^>]*>([^<]*)</p>', page)
    assert found is not None, page[:2000]
    return html.unescape(found[1])


async def _said(client: Any, answered: Any) -> str:
    assert answered.status_code == 303, answered.text[:500]
    location = answered.headers["location"]
    assert urlsplit(location).path == "/staff/inbox"
    return _note((await client.get(location)).text)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_answer_is_sent_once_and_the_inbox_says_where_it_went(
        start_service: Any, lang: str) -> None:
    client = await start_service(spec)
    token = bearer("desk", subject="kantti-desk", name="KANTTI desk")[
        "Authorization"].removeprefix("Bearer ")
    assert (await client.post(f"/staff/login?lang={lang}",
                              data={"token": token})).status_code == 303
    cid = str((await client.post("/conversations", json={"language": "sv"})).json()[
        "conversation_id"])
    await client.post(f"/conversations/{cid}/messages", json={"text": QUESTION})
    assert (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "boende@example.fi", "consent": True, "queue": "desk"})
            ).status_code == 200

    inbox = (await client.get(f"/staff/inbox?lang={lang}")).text
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", inbox)
    assert csrf is not None
    # Before it is sent, the answer's input says it goes by email.
    assert (f'<p class="small" id="rh-{cid}">{html.escape(str(LABELS[lang]["email_help"]))}'
            in inbox)
    assert f'aria-describedby="rh-{cid}"' in inbox
    drawn = {"csrf": csrf[1], "expected": "email", "text": ANSWER}
    reply = f"/staff/conversations/{cid}/reply?lang={lang}"

    assert await _said(client, await client.post(reply, data=drawn)) == SENT_EMAIL[lang]
    # The same form sent again (a double click, or back and send): said, not sent again.
    assert await _said(client, await client.post(reply, data=drawn)) == REPEATED[lang]

    # A follow-up from the form that said "by email": not sent, said by its input.
    refused = await client.post(reply, data={**drawn, "text": FOLLOW_UP})
    assert refused.status_code == 409
    assert f'<html lang="{lang}">' in refused.text
    page = html.unescape(refused.text)
    assert f'<p class="field-error" id="re-{cid}">{ERASED[lang]}</p>' in page
    # The conversation (answered, so no longer waiting) is shown with the answer as typed,
    # its input saying where it goes now, and its form sending it there.
    assert f'<p class="small" id="rh-{cid}">{CHAT_ONLY_HELP[lang]}</p>' in page
    field = re.search(rf'<textarea id="r-{cid}"[^>]*>([^<]*)</textarea>', page)
    assert field is not None and field[1] == FOLLOW_UP
    assert f'aria-describedby="rh-{cid} re-{cid}" aria-invalid="true" autofocus' in field[0]
    form = page[page.index(f'action="/staff/conversations/{cid}/reply'):]
    assert form[:form.index("</form>")].count('name="expected" value="chat"') == 1

    sent = await client.post(reply, data={**drawn, "expected": "chat", "text": FOLLOW_UP})
    assert await _said(client, sent) == SENT_CHAT_ONLY[lang]
    assert parse_qs(urlsplit(sent.headers["location"]).query)["lang"] == [lang]

    stored = (await client.get(f"/conversations/{cid}")).json()
    assert [(m["text"], m["emailed"]) for m in stored["messages"] if m["author"] == "staff"
            ] == [(ANSWER, True), (FOLLOW_UP, False)]
    [event] = await events_on_topic(client.runtime, GUIDE_TOPIC, 1, keys={cid},
                                    event_type="fi.kohtaamo.guide.reply_requested.v1")
    assert event.data["answer"] == ANSWER


async def test_the_api_says_how_an_answer_went(start_service: Any) -> None:
    """The staff's JSON API alike: `reply` says whether it was emailed, sent again, or went
    to the chat only after the address was erased; `expected: email` is refused with 409
    `address_erased` once the address is gone, in the reader's language."""
    client = await start_service(spec)
    desk = bearer("desk", subject="kantti-desk", name="KANTTI desk")
    cid = (await client.post("/conversations", json={"language": "sv"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={"text": QUESTION})
    await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "boende@example.fi", "consent": True, "queue": "desk"})
    replies = f"/conversations/{cid}/replies"

    first = await client.post(replies, headers=desk, json={"text": ANSWER})
    assert first.status_code == 200, first.text
    sent = first.json()["reply"]
    assert (sent["emailed"], sent["repeated"], sent["chat_only_after_email"]) == (
        True, False, False)
    again = (await client.post(replies, headers=desk, json={"text": ANSWER,
                                                            "expected": "email"})).json()
    assert again["reply"] == {**sent, "repeated": True}
    refused = await client.post(f"{replies}?lang=sv", headers=desk,
                                json={"text": FOLLOW_UP, "expected": "email"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "address_erased"
    # Its own words, of what to send (no button to press), not the inbox's.
    assert refused.json()["message"] == (
        "Svaret skickades inte: invånarens e-postadress raderades när ett tidigare svar "
        "skickades per e-post, så det här svaret skulle synas för invånaren bara i "
        "samtalet, om hen kommer tillbaka till det. Skicka det dit genom att skicka samma "
        "svar igen med chat som värde för expected (eller utan expected).")
    follow_up = (await client.post(replies, headers=desk, json={"text": FOLLOW_UP})).json()
    assert (follow_up["reply"]["emailed"], follow_up["reply"]["chat_only_after_email"]) == (
        False, True)
    assert [(m["text"], m["emailed"]) for m in follow_up["messages"]
            if m["author"] == "staff"] == [(ANSWER, True), (FOLLOW_UP, False)]


async def test_a_double_click_sends_one_answer(start_service: Any) -> None:
    """Two sendings of one form at once: the conversation's lock makes the second wait for
    the first and find its answer, so one is kept and one emailed."""
    client = await start_service(spec)
    desk = bearer("desk", subject="kantti-desk", name="KANTTI desk")
    cid = (await client.post("/conversations", json={"language": "sv"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={"text": QUESTION})
    await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "boende@example.fi", "consent": True, "queue": "desk"})
    both = await asyncio.gather(*(
        client.post(f"/conversations/{cid}/replies", headers=desk,
                    json={"text": ANSWER, "expected": "email"}) for _ in range(2)))
    assert sorted(r.json()["reply"]["repeated"] for r in both) == [False, True]
    assert {r.json()["reply"]["message_id"] for r in both} == {
        m["message_id"] for m in (await client.get(f"/conversations/{cid}")).json()[
            "messages"] if m["author"] == "staff"}
    [event] = await events_on_topic(client.runtime, GUIDE_TOPIC, 1, keys={cid},
                                    event_type="fi.kohtaamo.guide.reply_requested.v1")
    assert event.data["answer"] == ANSWER
