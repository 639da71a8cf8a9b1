"""The staff inbox and API, the guide in this process on the real database and broker, on
what the helper's "reply once" left: a tester's script (t36) ended a conversation promised
an answer by email with a reason, then sent "close" again with another: 303 "Done.", the
later reason dropped. Now the inbox's note says the reason was neither sent nor kept and
the ending stands; the same reason again is said as already sent; a bare close as already
ended. A reply form with a tampered `expected` is the inbox again in its language, the
answer as typed, nothing sent. The API's `address_erased` says what a client sends, not a
button; fi, sv and en."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from services.guide.app import spec
from shared.contracts import GUIDE_TOPIC
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

QUESTION = "Can I bring my dog to the library?"
REASON = "S40 We cannot answer this by email; please call the desk."
CLOSED_EMAIL = {"fi": "Tehty: keskustelu päätettiin, ja syy lähetettiin asukkaan "
                      "sähköpostiin.",
                "sv": "Klart: samtalet avslutades och orsaken skickades till invånarens "
                      "e-post.",
                "en": "Done: the conversation was ended and the reason was sent to the "
                      "resident's email."}
NOT_KEPT = {"fi": "Keskustelu oli jo päätetty, joten tätä syytä ei lähetetty eikä "
                  "tallennettu: keskustelu pysyy sellaisena kuin se päätettiin.",
            "sv": "Samtalet var redan avslutat, så den här orsaken skickades inte och "
                  "sparades inte: samtalet förblir som det avslutades.",
            "en": "The conversation had already ended, so this reason was neither sent nor "
                  "kept: the conversation stays as it ended."}
REPEATED = {"fi": "Keskustelu on jo päätetty tällä syyllä, ja syy lähetettiin asukkaan "
                  "sähköpostiin: sitä ei lähetetty toista kertaa.",
            "sv": "Samtalet har redan avslutats med den här orsaken, och orsaken skickades "
                  "till invånarens e-post: den skickades inte en gång till.",
            "en": "The conversation had already ended with this reason, which was sent to "
                  "the resident's email: it was not sent a second time."}
ALREADY = {"fi": "Keskustelu on jo päätetty.", "sv": "Samtalet är redan avslutat.",
           "en": "The conversation has already ended."}
CLOSED_CHAT_ONLY = {
    "fi": "Tehty: keskustelu päätettiin, ja syy näkyy asukkaalle vain keskustelussa, jos hän "
          "palaa siihen. Sähköpostiin sitä ei lähetetty: osoite poistettiin, kun aiempi "
          "vastaus lähetettiin sähköpostilla.",
    "sv": "Klart: samtalet avslutades och orsaken syns för invånaren bara i samtalet, om hen "
          "kommer tillbaka till det. Den skickades inte per e-post: adressen raderades när "
          "ett tidigare svar skickades per e-post.",
    "en": "Done: the conversation was ended and the reason shows to the resident only in the "
          "conversation, if they come back to it. It was not emailed: the address was erased "
          "when an earlier answer was emailed."}
TAMPERED = {"fi": "Tätä vastausta ei lähetetty: lomakkeelta puuttui tieto siitä, meneekö "
                  "vastaus sähköpostiin vai keskusteluun. Vastauksesi on tässä sellaisena "
                  "kuin kirjoitit sen: lähetä se uudelleen.",
            "sv": "Svaret skickades inte: formuläret saknade uppgiften om svaret går per "
                  "e-post eller till samtalet. Ditt svar finns här som du skrev det: skicka "
                  "det igen.",
            "en": "This answer was not sent: the form had lost whether the answer goes by "
                  "email or to the conversation. Your answer is here as you typed it: send "
                  "it again."}
#: The API's `address_erased`: what a client sends to have the answer go to the chat.
ERASED_API = {
    "fi": "Vastausta ei lähetetty: asukkaan sähköpostiosoite poistettiin, kun aiempi vastaus "
          "lähetettiin sähköpostilla, joten tämä vastaus näkyisi hänelle vain "
          "keskustelussa, jos hän palaa siihen. Lähetä se sinne lähettämällä sama vastaus "
          "uudelleen, expected-kentän arvona chat (tai ilman expected-kenttää).",
    "sv": "Svaret skickades inte: invånarens e-postadress raderades när ett tidigare svar "
          "skickades per e-post, så det här svaret skulle synas för invånaren bara i "
          "samtalet, om hen kommer tillbaka till det. Skicka det dit genom att skicka samma "
          "svar igen med chat som värde för expected (eller utan expected).",
    "en": "This answer was not sent: the resident's email address was erased when an "
          "earlier answer was emailed, so this answer would show to them only in the "
          "conversation, if they come back to it. To send it there, send the same reply "
          "again with expected set to chat (or without expected)."}


def _note(page: str) -> tuple[str, bool]:
    """The inbox's status region's text, and whether it is said as an error."""
    found = re.search(r'<div id="status" role="status"[^>]*><p class=\'([^\']*)\'>([^<]*)'
                      r'</p>', page)
    assert found is not None, page[:2000]
    return html.unescape(found[2]), "error" in found[1].split()


async def _said(client: Any, acted: Any) -> tuple[str, bool]:
    assert acted.status_code == 303, acted.text[:500]
    assert urlsplit(acted.headers["location"]).path == "/staff/inbox"
    return _note((await client.get(acted.headers["location"])).text)


async def _promised(client: Any, lang: str) -> tuple[str, str]:
    """Signed in to the inbox in `lang`; a resident's conversation handed over with an
    address for the answer: its id and the inbox's CSRF token."""
    token = bearer("desk", subject="kantti-desk", name="KANTTI desk")[
        "Authorization"].removeprefix("Bearer ")
    assert (await client.post(f"/staff/login?lang={lang}",
                              data={"token": token})).status_code == 303
    cid = str((await client.post("/conversations", json={"language": "en"})).json()[
        "conversation_id"])
    await client.post(f"/conversations/{cid}/messages", json={"text": QUESTION})
    assert (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "resident@example.fi", "consent": True, "queue": "desk"})
            ).status_code == 200
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'",
                     (await client.get(f"/staff/inbox?lang={lang}")).text)
    assert csrf is not None
    return cid, csrf[1]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_second_close_says_what_became_of_its_reason(start_service: Any,
                                                             lang: str) -> None:
    client = await start_service(spec)
    cid, csrf = await _promised(client, lang)
    close = f"/staff/conversations/{cid}/close?lang={lang}"

    assert await _said(client, await client.post(close, data={
        "csrf": csrf, "reason": REASON})) == (CLOSED_EMAIL[lang], False)
    ended_at = (await client.get(f"/conversations/{cid}")).json()["updated_at"]
    # Another reason to the ended conversation: said as neither sent nor kept.
    assert await _said(client, await client.post(close, data={
        "csrf": csrf, "reason": "S40 again"})) == (NOT_KEPT[lang], True)
    # The first form sent again (back and send): said as already sent, not sent again.
    assert await _said(client, await client.post(close, data={
        "csrf": csrf, "reason": REASON})) == (REPEATED[lang], False)
    assert await _said(client, await client.post(close, data={"csrf": csrf})) == (
        ALREADY[lang], False)

    stored = (await client.get(f"/conversations/{cid}")).json()
    assert (stored["status"], stored["updated_at"]) == ("closed", ended_at)
    assert [(m["text"], m["emailed"]) for m in stored["messages"]
            if m["author"] == "staff"] == [(REASON, True)]
    [event] = await events_on_topic(client.runtime, GUIDE_TOPIC, 1, keys={cid},
                                    event_type="fi.kohtaamo.guide.reply_requested.v1")
    assert event.data["answer"] == REASON


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_reason_after_an_emailed_answer_is_said_as_chat_only(start_service: Any,
                                                                     lang: str) -> None:
    """A stale tab: a colleague's answer was emailed, then this one ends it saying why."""
    client = await start_service(spec)
    cid, csrf = await _promised(client, lang)
    assert (await client.post(f"/staff/conversations/{cid}/reply?lang={lang}", data={
        "csrf": csrf, "text": "Assistance dogs are welcome.", "expected": "email"})
            ).status_code == 303
    assert await _said(client, await client.post(
        f"/staff/conversations/{cid}/close?lang={lang}",
        data={"csrf": csrf, "reason": REASON})) == (CLOSED_CHAT_ONLY[lang], False)
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert stored["status"] == "closed"
    assert [(m["text"], m["emailed"]) for m in stored["messages"]
            if m["author"] == "staff"] == [("Assistance dogs are welcome.", True),
                                           (REASON, False)]


@pytest.mark.parametrize(("lang", "expected"), [("fi", "sms"), ("sv", "e-mail"),
                                                ("en", "em\x00ail")])
async def test_a_tampered_expected_is_the_inbox_again_nothing_sent(
        start_service: Any, lang: str, expected: str) -> None:
    client = await start_service(spec)
    cid, csrf = await _promised(client, lang)
    typed = "Assistance dogs are welcome."
    refused = await client.post(f"/staff/conversations/{cid}/reply?lang={lang}", data={
        "csrf": csrf, "text": typed, "expected": expected})
    assert refused.status_code == 422
    assert f'<html lang="{lang}">' in refused.text
    page = html.unescape(refused.text)
    # The inbox, said by the answer's input, the answer as typed, its form drawn anew.
    assert f'<p class="field-error" id="re-{cid}">{TAMPERED[lang]}</p>' in page
    field = re.search(rf'<textarea id="r-{cid}"[^>]*>([^<]*)</textarea>', page)
    assert field is not None and field[1] == typed
    assert 'aria-invalid="true" autofocus' in field[0]
    form = page[page.index(f'action="/staff/conversations/{cid}/reply'):]
    assert 'name="expected" value="email"' in form[:form.index("</form>")]
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert (stored["status"], stored["has_contact"]) == ("awaiting_reply", True)
    assert "staff" not in [m["author"] for m in stored["messages"]]


async def test_the_api_says_how_a_close_went_and_its_own_words_for_an_erased_address(
        start_service: Any) -> None:
    client = await start_service(spec)
    desk = bearer("desk", subject="kantti-desk", name="KANTTI desk")
    cid = str((await client.post("/conversations", json={"language": "en"})).json()[
        "conversation_id"])
    await client.post(f"/conversations/{cid}/messages", json={"text": QUESTION})
    await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "resident@example.fi", "consent": True, "queue": "desk"})
    replies, close = f"/conversations/{cid}/replies", f"/conversations/{cid}/close"

    assert (await client.post(replies, headers=desk, json={"text": "Welcome."})
            ).status_code == 200
    for lang in ("fi", "sv", "en"):
        erased = await client.post(f"{replies}?lang={lang}", headers=desk,
                                   json={"text": "And another thing.", "expected": "email"})
        assert erased.status_code == 409
        assert (erased.json()["code"], erased.json()["message"]) == (
            "address_erased", ERASED_API[lang])
    # As the words say: the same reply with expected chat goes to the chat.
    chat = await client.post(replies, headers=desk,
                             json={"text": "And another thing.", "expected": "chat"})
    assert chat.json()["reply"]["chat_only_after_email"] is True

    ended = await client.post(close, headers=desk, json={"reason": REASON})
    assert ended.status_code == 200, ended.text
    assert ended.json()["close"] == {"reason": "chat", "already_closed": False,
                                     "repeated": False, "chat_only_after_email": True}
    again = await client.post(close, headers=desk, json={"reason": REASON})
    assert again.json()["close"] == {"reason": "chat", "already_closed": True,
                                     "repeated": True, "chat_only_after_email": False}
    bare = await client.post(close, headers=desk, json={})
    assert bare.json()["close"] == {"reason": None, "already_closed": True,
                                    "repeated": False, "chat_only_after_email": False}
    for lang in ("fi", "sv", "en"):
        other = await client.post(f"{close}?lang={lang}", headers=desk,
                                  json={"reason": "S40 again"})
        assert other.status_code == 409
        assert (other.json()["code"], other.json()["message"]) == (
            "conversation_closed", NOT_KEPT[lang])
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert [m["text"] for m in stored["messages"] if m["author"] == "staff"] == [
        "Welcome.", "And another thing.", REASON]
