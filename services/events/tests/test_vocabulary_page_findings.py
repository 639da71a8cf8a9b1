"""A tester's findings on the vocabulary's staff page, at the HTTP level (the events service in
this process, on the real database): the add form given a code in use silently replaced
that term's words (kind `digital` given only a Finnish word lost its Swedish and English
ones); a row's "save words" form with a made-up hidden code added a new term; and the
sign-in, asked for from the page, led to the approval queue instead of back to it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from services.events.app import spec
from services.events.tests.test_vocabulary_page import (
    COMMS,
    PAGE,
    _followed,
    _input,
    _sign_in,
    _status,
    _vocabulary,
)

pytestmark = pytest.mark.infra

DIGITAL = {"fi": "Digitaalinen toiminta", "sv": "Digital verksamhet", "en": "Digital activity"}
CODE_TAKEN = {
    "fi": "Tämä koodi on jo käytössä tässä ryhmässä: muuta termin nimiä sen rivillä alempana "
          "(käytöstä poistetun voi myös palauttaa siellä).",
    "sv": "Koden används redan i den här gruppen: ändra termens namn på dess rad nedan (en "
          "term som tagits ur bruk kan också tas i bruk igen där).",
    "en": "This code is already in use in this group: change the term's words in its row "
          "below (a retired term can be restored there too).",
}
GONE = {"fi": "Sanastossa ei ole tätä termiä.", "sv": "Termen finns inte i vokabulären.",
        "en": "There is no such term in the vocabulary."}


async def test_the_add_form_refuses_a_code_in_use_by_its_input(start_service: Any) -> None:
    client = await start_service(spec)
    csrf = await _sign_in(client)
    before = await _vocabulary(client, retired=True)
    assert before["kind"]["digital"] == DIGITAL

    for lang in ("fi", "sv", "en"):
        typed = {"csrf": csrf, "scheme": "kind", "code": " digital ",
                 "label_fi": "Digi <uusi>", "label_sv": "", "label_en": ""}
        refused = await client.post(f"{PAGE}/add?lang={lang}", data=typed)
        # A conflict with what is kept: 409, the form as typed, nothing stored.
        assert refused.status_code == 409, refused.text
        html = refused.text
        code = _input(html, "add-code")
        assert 'aria-invalid="true"' in code and "autofocus" in code
        assert 'aria-describedby="add-code-hint x-add-code"' in code
        assert 'value=" digital "' in code
        assert f'id="x-add-code">{CODE_TAKEN[lang]}</span>'.replace("'", "&#39;") in html
        assert 'value="Digi &lt;uusi&gt;"' in _input(html, "add-label-fi")
        assert '<option value="kind" selected>' in html
        assert html.count("autofocus") == 1
        summary = html[html.index('id="refusals"'):]
        assert re.findall(r'<a href="#([^"]+)"', summary)[0] == "add-code"
        # The term's own row still shows its kept words, where they are changed.
        assert f'value="{DIGITAL["sv"]}"' in _input(html, "t-kind-digital-sv")
        assert await _vocabulary(client, retired=True) == before

    # A retired term's code is in use too (its row restores it).
    await client.post(f"{PAGE}/retire?lang=fi",
                      data={"csrf": csrf, "scheme": "topic", "code": "crafts"})
    kept = await _vocabulary(client, retired=True)
    again = await client.post(f"{PAGE}/add?lang=fi", data={
        "csrf": csrf, "scheme": "topic", "code": "crafts", "label_fi": "Käsityöt"})
    assert again.status_code == 409
    assert f'id="x-add-code">{CODE_TAKEN["fi"]}</span>' in again.text
    assert await _vocabulary(client, retired=True) == kept

    # A code is a scheme's own: another scheme's code is free to add.
    added = await client.post(f"{PAGE}/add?lang=en", data={
        "csrf": csrf, "scheme": "topic", "code": "digital", "label_fi": "Digi"})
    assert _status(await _followed(client, added)) == "Added: Digi (digital)."
    assert (await _vocabulary(client))["kind"]["digital"] == DIGITAL

    # The API's PUT stays the upsert it is documented as: the words given are the label.
    put = await client.put("/vocabulary", headers=COMMS, json={
        "scheme": "kind", "code": "digital", "label": {"fi": "Digitaalinen"}})
    assert put.status_code == 200, put.text
    assert (await _vocabulary(client))["kind"]["digital"] == {"fi": "Digitaalinen"}


async def test_a_rows_words_for_no_term_add_none(start_service: Any) -> None:
    client = await start_service(spec)
    csrf = await _sign_in(client)
    before = await _vocabulary(client, retired=True)
    words = {"label_fi": "Uusi", "label_sv": "Ny", "label_en": "New"}
    # A made-up hidden code, and a code of another scheme: said as a bad scheme is.
    for lang, term in (("fi", {"scheme": "topic", "code": "no_such_code"}),
                       ("sv", {"scheme": "kind", "code": "music"}),
                       ("en", {"scheme": "audience", "code": "no_such_code"}),
                       ("fi", {"scheme": "colour", "code": "no_such_code"})):
        answer = await client.post(f"{PAGE}/words?lang={lang}",
                                   data={"csrf": csrf, **term, **words})
        page = await _followed(client, answer)
        assert _status(page) == GONE[lang], term
        assert 'class="msg error"' in page
        assert 'data-code="no_such_code"' not in page
    assert await _vocabulary(client, retired=True) == before

    # A term the vocabulary has still takes its new words.
    saved = await client.post(f"{PAGE}/words?lang=en", data={
        "csrf": csrf, "scheme": "topic", "code": "music", **words})
    assert _status(await _followed(client, saved)) == "Words saved: New."
    assert (await _vocabulary(client))["topic"]["music"] == {"fi": "Uusi", "sv": "Ny",
                                                             "en": "New"}


async def _login(client: Any, login_address: str) -> Any:
    """The sign-in form at `login_address` (as the page led there), sent as a browser would:
    to its own action."""
    form = await client.get(login_address)
    assert form.status_code == 200, form.text
    action = re.search(r"<form method='post' action='([^']+)'", form.text)
    assert action is not None
    return await client.post(action[1].replace("&amp;", "&"), data={
        "token": COMMS["Authorization"].removeprefix("Bearer ")})


async def test_sign_in_leads_back_to_the_page_asked_for(start_service: Any) -> None:
    client = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        client.cookies.clear()
        # Signed out, the page (as the notifications staff page links to it) asks to sign
        # in, keeping where to come back to through the sign-in form.
        asked = await client.get(f"{PAGE}?lang={lang}")
        assert asked.status_code == 303
        login = asked.headers["location"]
        assert urlsplit(login).path == "/approvals/login"
        assert parse_qs(urlsplit(login).query) == {"lang": [lang],
                                                   "next": [f"{PAGE}?lang={lang}"]}
        # A wrong token first: the form said again still leads back.
        wrong = await client.post(login, data={"token": "not-a-token"})
        assert wrong.status_code == 401
        assert "next=%2Fapprovals%2Fvocabulary%3Flang%3D" in wrong.text
        signed_in = await _login(client, login)
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == f"{PAGE}?lang={lang}"
        page = await client.get(signed_in.headers["location"])
        assert page.status_code == 200 and f'<html lang="{lang}">' in page.text

    # Only the staff pages of this sign-in: anything else goes to the queue, and the form
    # does not carry it.
    for elsewhere in ("https://evil.example/", "//evil.example/approvals/vocabulary",
                      "/\\evil.example", "/approvals/login?lang=fi", "/my/activities",
                      "/approvals/vocabulary/../../calendar", "/approvals/vocabularyx",
                      "/approvals/vocabulary?lang=fi\r\nSet-Cookie:x=1",
                      "javascript:alert(1)", f"{PAGE}@evil.example"):
        client.cookies.clear()
        query = urlencode({"lang": "en", "next": elsewhere})
        form = await client.get(f"/approvals/login?{query}")
        assert "next=" not in form.text, elsewhere
        sent = await client.post(f"/approvals/login?{query}", data={
            "token": COMMS["Authorization"].removeprefix("Bearer ")})
        assert sent.status_code == 303
        assert sent.headers["location"] == "/approvals/queue?lang=en", elsewhere
    # The queue's own address is one to come back to, in the language chosen on the
    # sign-in (6f836eb: a switch to another language there is not lost to next's).
    client.cookies.clear()
    back = await client.post("/approvals/login?" + urlencode(
        {"lang": "fi", "next": "/approvals/queue?lang=sv"}), data={
        "token": COMMS["Authorization"].removeprefix("Bearer ")})
    assert back.headers["location"] == "/approvals/queue?lang=fi"
