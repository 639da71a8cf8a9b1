"""A tester's report: an answer posted to the staff inbox over a megabyte (only by
tampering: the textarea holds 4,000 characters) was a 400 page saying only "Begäran kunde
inte behandlas", without the answer's input or its limit, past Starlette's 1 MB a form
field. The inbox's forms are now read whole (the body bounded by the service's limit), so
the rules refuse it as any answer too long: the inbox in its language, by the answer's
input, with its length, the limit and that its first 20,000 characters are shown; nothing
stored. A body over the service's whole limit (`KOHTAAMO_MAX_BODY_BYTES`, 4 MB) is still
the shared 413, before any route reads it."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from services.guide.app import spec
from tests.infra import bearer

pytestmark = pytest.mark.infra

SAID = {"fi": "Vastaus on liian pitkä (1\xa0100\xa0000 merkkiä): enintään 4\xa0000 merkkiä. "
              "Alla näkyvät sen 20\xa0000 ensimmäistä merkkiä.",
        "sv": "Svaret är för långt (1\xa0100\xa0000 tecken): högst 4\xa0000 tecken. Nedan "
              "syns dess första 20\xa0000 tecken.",
        "en": "The answer is too long (1,100,000 characters): at most 4,000 characters. "
              "Below are its first 20,000 characters."}
REASON_SAID = {"sv": "Orsaken är för lång (1\xa0100\xa0000 tecken): högst 1\xa0000 tecken. "
                     "Nedan syns dess första 20\xa0000 tecken."}


async def test_an_answer_over_a_megabyte_is_refused_by_its_input(start_service: Any) -> None:
    client = await start_service(spec)
    token = bearer("desk", subject="kantti-desk", name="KANTTIn neuvonta")[
        "Authorization"].removeprefix("Bearer ")
    assert (await client.post("/staff/login?lang=sv", data={"token": token})
            ).status_code == 303
    cid = (await client.post("/conversations", json={"language": "sv"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={"text": "Får hunden följa med?"})
    await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "boende@example.fi", "consent": True, "queue": "desk"})
    inbox = await client.get("/staff/inbox?lang=sv")
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", inbox.text)
    assert csrf is not None
    form = {"content-type": "application/x-www-form-urlencoded", "accept": "text/html"}
    for lang in ("fi", "sv", "en"):
        refused = await client.post(
            f"/staff/conversations/{cid}/reply?lang={lang}", headers=form,
            content=f"csrf={csrf[1]}&expected=email&text=".encode() + b"x" * 1_100_000)
        assert refused.status_code == 422, refused.text[:300]
        assert f'<html lang="{lang}">' in refused.text
        page = html.unescape(refused.text)
        assert f'<p class="field-error" id="re-{cid}">{SAID[lang]}</p>' in page
        field = re.search(rf'<textarea id="r-{cid}"[^>]*>([^<]*)</textarea>', page)
        assert field is not None and field[1] == "x" * 20_000
        assert f're-{cid}" aria-invalid="true" autofocus' in field[0]
    # The ending's reason alike.
    refused = await client.post(
        f"/staff/conversations/{cid}/close?lang=sv", headers=form,
        content=f"csrf={csrf[1]}&reason=".encode() + b"y" * 1_100_000)
    assert refused.status_code == 422
    assert (f'<p class="field-error" id="ce-{cid}">{REASON_SAID["sv"]}</p>'
            in html.unescape(refused.text))
    # Over the service's whole limit: the shared 413, before the route.
    whole = await client.post(
        f"/staff/conversations/{cid}/reply?lang=sv", headers=form,
        content=f"csrf={csrf[1]}&text=".encode() + b"x" * (5 * 1024 * 1024))
    assert whole.status_code == 413
    stored = (await client.get(f"/conversations/{cid}")).json()
    assert stored["status"] == "awaiting_reply"
    assert "staff" not in [m["author"] for m in stored["messages"]]
