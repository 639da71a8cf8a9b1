"""Tester 2's defect 12 on the staff inbox, the guide in this process on the real database
and broker: a conversation whose resident was promised an answer by email is not ended by
"close" alone. Without a reason the inbox answers 409 in the staff member's language, the
refusal by the reason's input (marked, focused, as typed) and nothing ended or sent; with
one, it ends and the reason goes out as `guide.reply_requested` for the email."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from services.guide.app import spec
from services.guide.pages import LABELS
from shared.contracts import GUIDE_TOPIC
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra


async def _signed_in_and_asked(client: Any, lang: str, question: str) -> str:
    """The desk person signed in to the inbox in `lang`, and a resident's conversation in
    `lang` with `question` asked: its id."""
    token = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")[
        "Authorization"].removeprefix("Bearer ")
    assert (await client.post(f"/staff/login?lang={lang}",
                              data={"token": token})).status_code == 303
    cid = str((await client.post("/conversations", json={"language": lang})).json()[
        "conversation_id"])
    await client.post(f"/conversations/{cid}/messages", json={"text": question})
    return cid


async def test_closing_a_promised_answer_needs_a_reason_which_is_emailed(
        start_service: Any) -> None:
    client = await start_service(spec)
    cid = await _signed_in_and_asked(client, "sv", "Får man ta med hund till biblioteket?")
    handed = await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "boende.t2@example.fi", "consent": True})
    assert handed.status_code == 200, handed.text
    inbox = await client.get("/staff/inbox?lang=sv")
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", inbox.text)
    assert csrf is not None
    # The inbox says so before anything is pressed, by the ending's reason input.
    assert f'<label for="c-{cid}">Varför du avslutar utan att svara</label>' in inbox.text
    assert "Invånaren har lovats ett svar per e-post." in inbox.text

    for lang, said in (("sv", "Invånaren har lovats ett svar per e-post: svara först, eller "
                              "avsluta samtalet och skriv orsaken."),
                       ("fi", "Asukkaalle on luvattu vastaus sähköpostiin: vastaa ensin, tai "
                              "päätä keskustelu kertomalla syy.")):
        refused = await client.post(f"/staff/conversations/{cid}/close?lang={lang}",
                                    data={"csrf": csrf[1], "reason": "  "})
        assert refused.status_code == 409
        assert f'<html lang="{lang}">' in refused.text
        assert f'<p class="field-error" id="ce-{cid}">{said}</p>' in refused.text
        field = re.search(rf'<textarea id="c-{cid}"[^>]*>([^<]*)</textarea>', refused.text)
        assert field is not None and field[1] == "  "
        assert f'aria-describedby="ch-{cid} ce-{cid}" aria-invalid="true" autofocus' \
            in field[0]
        assert refused.text.count("autofocus") == 1
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert stored["status"] == "awaiting_reply"
    assert "staff" not in [m["author"] for m in stored["messages"]]

    ended = await client.post(f"/staff/conversations/{cid}/close?lang=sv", data={
        "csrf": csrf[1], "reason": "Vi kan inte svara på det här: fråga biblioteket direkt."})
    assert ended.status_code == 303
    assert LABELS["sv"]["closed_email"] in (await client.get(ended.headers["location"])).text
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert stored["status"] == "closed"
    # One email only (the refused attempts sent none): the reason, as a reply goes.
    [event] = await events_on_topic(client.runtime, GUIDE_TOPIC, 1, keys={cid},
                                    event_type="fi.kohtaamo.guide.reply_requested.v1")
    sent = event.data
    assert sent["contact_email"] == "boende.t2@example.fi"
    assert sent["contact_language"] == "sv"
    assert sent["answer"] == "Vi kan inte svara på det här: fråga biblioteket direkt."
    assert sent["answered_by"] == "KANTTIn neuvonta"



async def test_the_api_closes_a_promised_answer_only_with_a_reason(start_service: Any) -> None:
    """The staff's JSON API the same way: 409 `answer_promised` without a reason, nothing
    ended; with one, ended and the reason emailed."""
    client = await start_service(spec)
    desk = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")
    cid = (await client.post("/conversations", json={"language": "fi"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={"text": "Saako koiran tuoda?"})
    handed = await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "asukas.api@example.fi", "consent": True})
    assert handed.status_code == 200, handed.text
    for body in (None, {"reason": ""}):
        refused = await client.post(f"/conversations/{cid}/close", headers=desk, json=body)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "answer_promised"
    assert (await client.get(f"/conversations/{cid}")).json()["status"] == "awaiting_reply"
    ended = await client.post(f"/conversations/{cid}/close", headers=desk,
                              json={"reason": "Kysy suoraan kirjastosta."})
    assert ended.status_code == 200 and ended.json()["status"] == "closed"
    [event] = await events_on_topic(client.runtime, GUIDE_TOPIC, 1, keys={cid},
                                    event_type="fi.kohtaamo.guide.reply_requested.v1")
    assert event.data["answer"] == "Kysy suoraan kirjastosta."

async def test_the_inbox_says_which_answer_was_sent_by_email(start_service: Any) -> None:
    """When the resident asks staff again after an answer went by email, the conversation
    is back in the inbox, and the staff see that the earlier answer reached them by email (an
    answer in the chat is not marked so)."""
    client = await start_service(spec)
    cid = await _signed_in_and_asked(client, "fi", "Saako kirjastoon tuoda koiran?")
    assert (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "asukas@example.fi", "consent": True})).status_code == 200
    inbox = await client.get("/staff/inbox?lang=fi")
    assert "lähetetty sähköpostilla" not in inbox.text
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", inbox.text)
    assert csrf is not None
    replied = await client.post(f"/staff/conversations/{cid}/reply?lang=fi",
                                data={"csrf": csrf[1], "text": "Avustajakoira on tervetullut."})
    assert replied.status_code == 303
    await client.post(f"/conversations/{cid}/messages",
                      json={"text": "Entä tavallinen lemmikki?"})
    assert (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "asukas@example.fi", "consent": True})).status_code == 200
    again = (await client.get("/staff/inbox?lang=fi")).text
    assert f'data-id="{cid}"' in again, "back in the inbox"
    [staff_line] = re.findall(r"<li class='msg staff'>.*?</li>", again, flags=re.S)
    assert "(lähetetty sähköpostilla)" in staff_line
    assert "Avustajakoira on tervetullut." in staff_line
    # Each message in the conversation's language, whatever the page's (WCAG 3.1.2).
    assert "<span lang='fi'>Avustajakoira on tervetullut.</span>" in staff_line
    assert "lähetetty sähköpostilla" not in "".join(
        re.findall(r"<li class='msg resident'>.*?</li>", again, flags=re.S))


async def test_an_answer_with_nothing_to_read_or_too_long_is_refused_by_its_input(
        start_service: Any) -> None:
    """Spaces, or a zero-width space, are no answer: the inbox says so by the answer's input
    (422, focused, as typed) and nothing is sent to the resident; one over 4,000 characters
    the same, kept as typed. The API refuses them as `reply_empty` / `reply_too_long`."""
    client = await start_service(spec)
    cid = await _signed_in_and_asked(client, "fi", "Voinko lainata ompelukonetta?")
    assert (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "asukas@example.fi", "consent": True})).status_code == 200
    inbox = await client.get("/staff/inbox?lang=fi")
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", inbox.text)
    assert csrf is not None
    for typed, said in (("   \u200b ", "Kirjoita vastaus: siinä ei ole mitään luettavaa."),
                        ("a" * 4001, "Vastaus on liian pitkä (4\xa0001 merkkiä): enintään "
                                     "4\xa0000 merkkiä.")):
        refused = await client.post(f"/staff/conversations/{cid}/reply?lang=fi",
                                    data={"csrf": csrf[1], "text": typed})
        assert refused.status_code == 422, refused.text[:300]
        assert f'<p class="field-error" id="re-{cid}">{said}</p>' in refused.text
        field = re.search(rf'<textarea id="r-{cid}"[^>]*>([^<]*)</textarea>', refused.text)
        assert field is not None and field[1] == typed
        assert 'aria-invalid="true" autofocus' in field[0]
        assert refused.text.count("autofocus") == 1
    # Past what the inbox shows again (five answers' worth): the same refusal by the input,
    # with its whole length, and that only its beginning is kept.
    refused = await client.post(f"/staff/conversations/{cid}/reply?lang=fi",
                                data={"csrf": csrf[1], "text": "a" * 23_456})
    assert refused.status_code == 422
    assert (f'<p class="field-error" id="re-{cid}">Vastaus on liian pitkä (23\xa0456 '
            "merkkiä): enintään 4\xa0000 merkkiä. Alla näkyvät sen 20\xa0000 ensimmäistä "
            "merkkiä.</p>") in refused.text
    assert f'<textarea id="r-{cid}"' in refused.text and ">" + "a" * 20_000 + "<" in (
        refused.text)
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert stored["status"] == "awaiting_reply"
    assert "staff" not in [m["author"] for m in stored["messages"]]
    api = await client.post(f"/conversations/{cid}/replies", json={"text": "\u200b \t"},
                            headers={**bearer("desk", subject="kantti-desk"),
                                     "Accept-Language": "sv"})
    assert (api.status_code, api.json()["code"]) == (422, "reply_empty")
    assert api.json()["message"] == "Skriv ett svar: det har inget att läsa."
    # One too long the same rule as the inbox's, not the schema's `invalid` it was.
    api = await client.post(f"/conversations/{cid}/replies", json={"text": "a" * 4001},
                            headers={**bearer("desk", subject="kantti-desk"),
                                     "Accept-Language": "sv"})
    assert (api.status_code, api.json()["code"]) == (422, "reply_too_long")
    assert api.json()["message"] == ("Svaret är för långt (4\xa0001 tecken): högst "
                                     "4\xa0000 tecken.")
    assert "staff" not in [m["author"] for m in
                           (await client.get(f"/conversations/{cid}")).json()["messages"]]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_nul_in_an_answer_or_a_reason_is_refused_by_its_input(
        start_service: Any, lang: str) -> None:
    """A tester's answer 'a\\x00b' was a bare 422 page ("Ditt svar: skriv vanlig text")
    without the inbox or the answer typed, while a BEL was the inbox again with the answer
    kept: a NUL is now the BEL's refusal, by the input, in the page's language, the answer
    kept without it; nothing is sent. The same for an ending's reason."""
    client = await start_service(spec)
    cid = await _signed_in_and_asked(client, lang, "Får man ta med hund till biblioteket?")
    assert (await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "asukas.nul@example.fi", "consent": True})).status_code == 200
    inbox = await client.get(f"/staff/inbox?lang={lang}")
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", inbox.text)
    assert csrf is not None
    said = html.escape(LABELS[lang]["text_chars"])
    for typed, kept in (("a\x00b", "ab"), ("Hej\x07 där", "Hej\x07 där"),
                        ("\x00Svar\x00 nu", "Svar nu")):
        refused = await client.post(f"/staff/conversations/{cid}/reply?lang={lang}",
                                    data={"csrf": csrf[1], "text": typed})
        assert refused.status_code == 422, refused.text[:300]
        assert f'<html lang="{lang}">' in refused.text
        assert f'<p class="field-error" id="re-{cid}">{said}</p>' in refused.text
        field = re.search(rf'<textarea id="r-{cid}"[^>]*>([^<]*)</textarea>', refused.text)
        assert field is not None and field[1] == html.escape(kept), field
        assert 'aria-invalid="true" autofocus' in field[0]
        assert "\x00" not in refused.text
    # An ending's reason (promised an email answer) likewise.
    refused = await client.post(f"/staff/conversations/{cid}/close?lang={lang}",
                                data={"csrf": csrf[1], "reason": "Ei\x00 vastausta"})
    assert refused.status_code == 422, refused.text[:300]
    assert f'<p class="field-error" id="ce-{cid}">{said}</p>' in refused.text
    field = re.search(rf'<textarea id="c-{cid}"[^>]*>([^<]*)</textarea>', refused.text)
    assert field is not None and field[1] == "Ei vastausta"
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert stored["status"] == "awaiting_reply"
    assert "staff" not in [m["author"] for m in stored["messages"]]
