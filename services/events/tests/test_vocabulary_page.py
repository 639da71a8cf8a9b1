"""The vocabulary's staff page at the HTTP level (the events service in this process, on the
real database): communications staff signed in at the approval queue's sign-in see each
scheme's terms with their fi/sv/en words and state, add a term, change its words, retire
and restore it, each through the API's use cases (what `GET /vocabulary` answers changes
with it); a refused form comes back 422 as typed, each refusal by its input in the reader's
language, focus on the one input refused (several: the summary); a form without the
session's CSRF token changes nothing."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from services.events.app import spec
from tests.infra import bearer

pytestmark = pytest.mark.infra

COMMS = bearer("communications", subject="viestinta")
DESK = bearer("desk", subject="tiski")
PAGE = "/approvals/vocabulary"


async def _sign_in(client: Any, headers: dict[str, str] = COMMS) -> str:
    """Signs in by the approval queue's form (the cookie session); the page's CSRF token."""
    signed_in = await client.post("/approvals/login?lang=fi", data={
        "token": headers["Authorization"].removeprefix("Bearer ")})
    assert signed_in.status_code == 303, signed_in.text
    page = await client.get(f"{PAGE}?lang=fi")
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert csrf is not None
    return csrf[1]


async def _followed(client: Any, answer: Any) -> str:
    """The page a form's answer leads back to (303), as the browser shows it."""
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith(f"{PAGE}?")
    page = await client.get(answer.headers["location"])
    assert page.status_code == 200
    return str(page.text)


def _status(html: str) -> str:
    found = re.search(r'<div id="status"[^>]*>(.*?)</div>', html, re.S)
    assert found is not None
    return unescape(re.sub(r"<[^>]+>", "", found[1])).strip()


def _input(html: str, element_id: str) -> str:
    """The element with this id, its whole start tag."""
    found = re.search(rf'<(?:input|select)[^>]*\bid="{element_id}"[^>]*>', html)
    assert found is not None, element_id
    return found[0]


def _row(html: str, scheme: str, code: str) -> str:
    start = html.index(f'<table class="terms" data-scheme="{scheme}"')
    row = html.index(f'data-code="{code}"', start)
    return html[row:html.index("</tr>", row)]


async def _vocabulary(client: Any, retired: bool = False) -> dict[str, Any]:
    answer = await client.get("/vocabulary", params={"retired": str(retired).lower()})
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


async def test_staff_list_add_relabel_retire_and_restore_terms(start_service: Any) -> None:
    client = await start_service(spec)
    assert (await client.get(f"{PAGE}?lang=sv")).headers["location"] == \
        "/approvals/login?lang=sv&next=%2Fapprovals%2Fvocabulary%3Flang%3Dsv"  # signed out
    csrf = await _sign_in(client)

    page = (await client.get(f"{PAGE}?lang=fi")).text
    # Each scheme's terms with their words in each language and their state.
    for heading in ("Toiminnan muodot", "Teemat", "Kenelle"):
        assert f">{heading}</h2>" in page
    assert 'value="Musiikki"' in _row(page, "topic", "music")
    assert 'value="Musik"' in _row(page, "topic", "music")
    assert 'value="Music"' in _row(page, "topic", "music")
    assert "Käytössä" in _row(page, "topic", "music")
    # Linked from the approval queue's navigation, and back.
    queue = (await client.get("/approvals/queue?lang=fi")).text
    assert f'<a href="{PAGE}?lang=fi">Sanasto</a>' in queue
    assert f'<a href="{PAGE}?lang=fi" aria-current="page">Sanasto</a>' in page
    assert '<a href="/approvals/queue?lang=fi">Hyväksyntäjono</a>' in page

    # A new term: added and told as the API's PUT would.
    added = await client.post(f"{PAGE}/add?lang=fi", data={
        "csrf": csrf, "scheme": "topic", "code": " board_games ", "label_fi": "Lautapelit",
        "label_sv": "Brädspel", "label_en": ""})
    page = await _followed(client, added)
    assert _status(page) == "Lisätty: Lautapelit (board_games)."
    assert (await _vocabulary(client))["topic"]["board_games"] == {
        "fi": "Lautapelit", "sv": "Brädspel"}

    # New words for a term: its code stays, its words are the ones given.
    words = await client.post(f"{PAGE}/words?lang=sv", data={
        "csrf": csrf, "scheme": "topic", "code": "music", "label_fi": "Musiikki ja laulu",
        "label_sv": "Musik och sång", "label_en": "Music and singing"})
    assert _status(await _followed(client, words)) == "Namnen sparade: Musik och sång."
    assert (await _vocabulary(client))["topic"]["music"] == {
        "fi": "Musiikki ja laulu", "sv": "Musik och sång", "en": "Music and singing"}

    # Retired: no longer offered, still listed on the page with a way back.
    retired = await client.post(f"{PAGE}/retire?lang=fi", data={
        "csrf": csrf, "scheme": "topic", "code": "music"})
    page = await _followed(client, retired)
    assert _status(page) == "Poistettu käytöstä: Musiikki ja laulu."
    assert "music" not in (await _vocabulary(client))["topic"]
    assert (await _vocabulary(client, retired=True))["topic"]["music"]["retired"] is True
    row = _row(page, "topic", "music")
    assert "Poistettu käytöstä</td>" in row and f'action="{PAGE}/restore?lang=fi"' in row
    # Its words changed while retired keep it retired (the use case's rule).
    await client.post(f"{PAGE}/words?lang=fi", data={
        "csrf": csrf, "scheme": "topic", "code": "music", "label_fi": "Musiikki"})
    assert "music" not in (await _vocabulary(client))["topic"]
    restored = await client.post(f"{PAGE}/restore?lang=en", data={
        "csrf": csrf, "scheme": "topic", "code": "music"})
    assert _status(await _followed(client, restored)) == "Restored: Musiikki."
    assert (await _vocabulary(client))["topic"]["music"] == {"fi": "Musiikki"}
    # Only the session's own notes are shown: a link's made-up one is not.
    made_up = await client.get(PAGE, params={"lang": "fi", "msg": "Soita 0400 123 456"})
    assert _status(made_up.text) == "" and "0400 123 456" not in made_up.text


async def test_a_refused_form_comes_back_as_typed_said_by_its_inputs(
        start_service: Any) -> None:
    client = await start_service(spec)
    csrf = await _sign_in(client)
    before = await _vocabulary(client, retired=True)

    # A code with a space and capitals: said by the code's input, which takes focus; the
    # rest as typed; nothing added.
    typed = {"csrf": csrf, "scheme": "audience", "code": "Iso Kirjain",
             "label_fi": "Isot <kirjaimet>", "label_sv": "Stora", "label_en": ""}
    refused = await client.post(f"{PAGE}/add?lang=fi", data=typed)
    assert refused.status_code == 422
    html = refused.text
    code = _input(html, "add-code")
    assert 'aria-invalid="true"' in code and "autofocus" in code
    assert 'aria-describedby="add-code-hint x-add-code"' in code
    assert 'value="Iso Kirjain"' in code
    assert re.search(r'id="x-add-code">Koodissa voi olla vain pieniä kirjaimia a–z, '
                     r"numeroita ja alaviivoja \(_\)\.</span>", html)
    assert 'value="Isot &lt;kirjaimet&gt;"' in _input(html, "add-label-fi")
    assert 'value="Stora"' in _input(html, "add-label-sv")
    assert '<option value="audience" selected>' in html
    assert html.count("autofocus") == 1
    assert re.findall(r'<a href="#([^"]+)"', html[html.index('id="refusals"'):]) == \
        ["add-code"]
    assert await _vocabulary(client, retired=True) == before

    # Two words unreadable (a zero-width space, a lone right-to-left mark): each said by
    # its input in Swedish, the summary linking to both takes focus.
    two = await client.post(f"{PAGE}/add?lang=sv", data={
        **typed, "code": "big_letters", "label_fi": "Isot", "label_sv": "\u200b",
        "label_en": "\u202e"})
    assert two.status_code == 422
    html = two.text
    for lang in ("sv", "en"):
        element = _input(html, f"add-label-{lang}")
        assert 'aria-invalid="true"' in element and "autofocus" not in element
        assert re.search(rf'id="x-add-label-{lang}">Skriv namnet med läsbara tecken eller '
                         r"lämna fältet tomt\.</span>", html)
    summary = html[html.index('id="refusals"'):html.index("</div>", html.index(
        'id="refusals"'))]
    assert 'tabindex="-1" autofocus' in summary
    assert re.findall(r'<a href="#([^"]+)"', summary) == ["add-label-sv", "add-label-en"]
    assert html.count("autofocus") == 1

    # Too long: the rule's bound, written as the reader's language writes numbers.
    long = await client.post(f"{PAGE}/add?lang=en", data={
        **typed, "code": "long_words", "label_fi": "x" * 600})
    assert long.status_code == 422
    assert re.search(r'id="x-add-label-fi">At most 500 characters\.</span>', long.text)
    assert await _vocabulary(client, retired=True) == before

    # A term's own form: its row as typed, the Finnish word by its input, in English; the
    # other rows as kept.
    blank = await client.post(f"{PAGE}/words?lang=en", data={
        "csrf": csrf, "scheme": "kind", "code": "pop_up", "label_fi": "  ",
        "label_sv": "Pop up-evenemang", "label_en": "Pop-up"})
    assert blank.status_code == 422
    html = blank.text
    fi = _input(html, "t-kind-pop_up-fi")
    assert 'aria-invalid="true"' in fi and "autofocus" in fi and 'value="  "' in fi
    assert 'aria-describedby="x-t-kind-pop_up-fi"' in fi
    assert re.search(r'id="x-t-kind-pop_up-fi">Give a name in Finnish: it is shown on every '
                     r"form and filter\.</span>", html)
    assert 'value="Pop up-evenemang"' in _input(html, "t-kind-pop_up-sv")
    assert 'value="Avoin ohjattu toiminta"' in _input(html, "t-kind-open_guided-fi")
    assert html.count("autofocus") == 1
    assert await _vocabulary(client, retired=True) == before


async def test_no_change_without_the_sessions_token_or_the_right(start_service: Any) -> None:
    client = await start_service(spec)
    csrf = await _sign_in(client)
    before = await _vocabulary(client, retired=True)
    form = {"scheme": "topic", "code": "crafts"}
    for path, data in ((f"{PAGE}/retire", form), (f"{PAGE}/restore", form),
                       (f"{PAGE}/words", {**form, "label_fi": "Käsityöt"}),
                       (f"{PAGE}/add", {**form, "code": "junk", "label_fi": "Roska"})):
        # The session's cookie without its token, with a wrong one, or from another site.
        for extra, headers in (({}, {}), ({"csrf": "0" * 64}, {}),
                               ({"csrf": csrf}, {"Origin": "https://evil.example"})):
            refused = await client.post(f"{path}?lang=fi", data={**data, **extra},
                                        headers=headers)
            assert refused.status_code == 403, (path, extra, headers)
            assert "Pyyntö hylättiin" in refused.text
    assert await _vocabulary(client, retired=True) == before

    # A term no form of the page names: said on the page, never a 500.
    for term in ({"scheme": "topic", "code": "nothing"}, {"scheme": "colour", "code": "red"},
                 {"scheme": "topic", "code": "a\x00b"}, {}):
        gone = await client.post(f"{PAGE}/retire?lang=en", data={"csrf": csrf, **term})
        assert _status(await _followed(client, gone)) == \
            "There is no such term in the vocabulary.", term

    # Desk staff sign in at the queue, but the vocabulary is communications staff's: the use
    # case refuses, said in the reader's words; a refused add keeps what was typed.
    desk, desk_csrf = client, await _sign_in(client, DESK)
    not_theirs = await desk.post(f"{PAGE}/retire?lang=fi", data={"csrf": desk_csrf, **form})
    assert _status(await _followed(desk, not_theirs)) == \
        "Vain viestinnän henkilökunta voi muuttaa sanastoa."
    add = await desk.post(f"{PAGE}/add?lang=fi", data={
        "csrf": desk_csrf, "scheme": "topic", "code": "junk", "label_fi": "Roska"})
    assert add.status_code == 403
    assert 'value="Roska"' in add.text
    assert "Vain viestinnän henkilökunta voi muuttaa sanastoa." in add.text
    assert "junk" not in (await _vocabulary(desk, retired=True))["topic"]


#: What a person (or a crawler) may put in any input, the hidden ones too: a code ending in a
#: line break once passed the code's pattern and reached the table's check (a 500).
ODD = ("", " ", "x" * 20_000, "a\x00b", "-1", "NaN", "<script>alert(1)</script>",
       "ääöå" * 60, "\u202e", "²", "KIND", "games\n", "topic\n")


async def test_odd_values_in_any_input_are_refused_as_a_page(start_service: Any) -> None:
    client = await start_service(spec)
    csrf = await _sign_in(client)
    before = await _vocabulary(client, retired=True)
    forms = {"add": {"scheme": "topic", "code": "odd", "label_fi": "Outo"},
             "words": {"scheme": "topic", "code": "games", "label_fi": "Pelit"},
             "retire": {"scheme": "topic", "code": "games"},
             "restore": {"scheme": "topic", "code": "games"}}
    for action, form in forms.items():
        for name in form:
            for odd in ODD:
                answer = await client.post(f"{PAGE}/{action}?lang=fi",
                                           data={"csrf": csrf, **form, name: odd})
                # 409: the add form given a code in use ("games\n" is "games" as typed
                # around, and "odd" once added).
                assert answer.status_code in (303, 409, 422), (action, name, odd)
                if answer.status_code != 303:
                    assert answer.headers["content-type"].startswith("text/html")
    # Nothing odd was kept: no new code but the add form's own ("topic\n" is "topic" as
    # typed around), no word that is no name.
    kept = await _vocabulary(client, retired=True)
    assert {s: set(t) for s, t in kept.items()} == \
        {**{s: set(t) for s, t in before.items()}, "topic": {*before["topic"], "odd", "topic"}}
    assert all(isinstance(v, bool) or (0 < len(v) <= 500 and "\x00" not in v)
               for terms in kept.values() for label in terms.values() for v in label.values())
