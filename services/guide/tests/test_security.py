"""Issue #13 on the guide's pages: the chat widget's policy allows exactly its own inline
script and framing by the city's own pages only; the staff inbox's cookie session refuses
cross-site posts and takes its token by form, never in a URL."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from services.guide import routes
from services.guide.app import spec
from shared.pages import script_hash
from tests.infra import bearer

pytestmark = pytest.mark.infra


async def test_the_widget_may_be_framed_by_the_city_pages_only(start_service, monkeypatch
                                                                ) -> None:
    monkeypatch.setenv("KOHTAAMO_PUBLIC_EVENTS_URL", "https://tapahtumat.kuopio.example")
    routes.settings.cache_clear()  # the guide reads its settings once per process
    client = await start_service(spec)
    widget = await client.get("/widget?lang=sv")
    csp = widget.headers["content-security-policy"]
    script = re.search(r"<script>(.*?)</script>", widget.text, re.S)
    assert script is not None and script_hash(script[1]) in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    ancestors = csp.split("frame-ancestors")[1].split(";")[0]
    assert "https://tapahtumat.kuopio.example" in ancestors and "*" not in ancestors
    assert "x-frame-options" not in widget.headers  # it cannot list several origins
    inbox_login = await client.get("/staff/login")
    assert inbox_login.headers["x-frame-options"] == "DENY"
    routes.settings.cache_clear()


async def test_the_inbox_takes_no_cross_site_post(start_service) -> None:
    client = await start_service(spec)
    token = bearer("desk", subject="kantti-desk")["Authorization"].removeprefix("Bearer ")
    assert (await client.get("/staff/login", params={"token": token})).status_code == 400
    signed_in = await client.post("/staff/login?lang=en", data={"token": token})
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/staff/inbox?lang=en"
    assert "kohtaamo_guide_session" in client.cookies
    page = await client.get("/staff/inbox?lang=en")
    csrf = re.search(r"name='csrf' value='([0-9a-f]{64})'", page.text)
    assert page.status_code == 200 and csrf is not None
    target = f"/staff/conversations/{uuid4()}/close?lang=en"
    assert (await client.post(target, data={"csrf": csrf[1]}, headers={
        "Origin": "http://127.0.0.1:9999"})).status_code == 403
    assert (await client.post(target, data={})).status_code == 403
    own = await client.post(target, data={"csrf": csrf[1]})
    assert own.status_code == 303  # the action ran, and says why nothing happened:
    said = await client.get(own.headers["location"])
    assert "The conversation is no longer here" in said.text
    # Another staff member ended it first: said in the inbox's language, nothing added.
    cid = (await client.post("/conversations", json={"language": "fi"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={"text": "Onko kirjasto auki?"})
    handed = await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "kysyja@example.fi", "consent": True})
    assert handed.status_code == 200, handed.text
    # In the inbox, whose queue and how it came are said in the staff member's language.
    heading = re.search(rf'<h2 id="h-{cid}">(.*?)</h2>',
                        (await client.get("/staff/inbox?lang=fi")).text, re.S)
    assert heading is not None
    assert " ".join(heading[1].split()) == (
        "Jono: pääkirjaston neuvonta (vastaus sähköpostiin, verkossa, suomi)")
    # It was promised an answer by email: ended saying why (the resident is sent that).
    ended = await client.post(f"/staff/conversations/{cid}/close?lang=sv",
                              data={"csrf": csrf[1], "reason": "Fråga biblioteket direkt."})
    assert ended.status_code == 303
    late = await client.post(f"/staff/conversations/{cid}/reply?lang=sv",
                             data={"csrf": csrf[1], "text": "Kyllä on."})
    assert "Samtalet är redan avslutat." in (await client.get(late.headers["location"])).text
    kept = await client.get(f"/conversations/{cid}")
    assert kept.status_code == 200 and [m["text"] for m in kept.json()["messages"]
                                        if m["author"] == "staff"] == [
        "Fråga biblioteket direkt."]
    # An empty reply is the inbox again, saying why (the conversation gone from it, above).
    empty = await client.post(f"/staff/conversations/{cid}/reply?lang=sv",
                              data={"csrf": csrf[1], "text": ""}, headers={"Accept": "text/html"})
    assert empty.status_code == 422 and "Skriv ett svar: det har inget att läsa." in empty.text
    assert (await client.get("/inbox", headers={
        "Cookie": f"kohtaamo_guide_session={token}"})).status_code == 401  # bearer only


async def test_the_inbox_asks_to_sign_in_before_judging_a_form(start_service) -> None:
    """Someone not signed in as staff who posts to the inbox is sent to sign in whatever the
    form holds: a broken form (no reply text, no CSRF token, an id that is none) answers as
    a whole one does, rather than telling them about the form; nothing is stored."""
    client = await start_service(spec)
    cid = (await client.post("/conversations", json={"language": "fi"})).json()[
        "conversation_id"]
    await client.post(f"/conversations/{cid}/messages", json={"text": "Onko kirjasto auki?"})
    handed = await client.post(f"/conversations/{cid}/handover", json={
        "contact_email": "kysyja@example.fi", "consent": True})
    assert handed.status_code == 200, handed.text
    sign_in = "/staff/login?lang=en"
    browser = {"Accept": "text/html"}
    not_staff = bearer("organiser", subject="kerho")
    for who in ({}, not_staff):
        for target, form in (
                (f"/staff/conversations/{cid}/reply?lang=en", {"text": "Kyllä on."}),
                (f"/staff/conversations/{cid}/reply?lang=en", {"text": ""}),
                (f"/staff/conversations/{cid}/reply?lang=en", {}),
                (f"/staff/conversations/{cid}/reply?lang=en", {"text": "x" * 5000}),
                (f"/staff/conversations/{cid}/reply?lang=en",
                 {"text": "Kyllä on.", "csrf": "forged"}),
                ("/staff/conversations/not-an-id/reply?lang=en", {"text": "Kyllä on."}),
                (f"/staff/conversations/{cid}/close?lang=en", {}),
                ("/staff/conversations/not-an-id/close?lang=en", {})):
            answer = await client.post(target, data=form, headers={**browser, **who})
            assert answer.status_code == 303, (target, form, answer.status_code)
            assert answer.headers["location"] == sign_in, (target, form)
    # An address naming no language of ours: sign in, in the reader's language.
    odd = await client.post(f"/staff/conversations/{cid}/reply?lang=de", data={"text": ""},
                            headers={**browser, "Accept-Language": "sv-FI"})
    assert odd.status_code == 303 and odd.headers["location"] == "/staff/login?lang=sv"
    assert (await client.get("/staff/inbox?lang=en")).headers["location"] == sign_in
    kept = (await client.get(f"/conversations/{cid}")).json()
    assert kept["status"] == handed.json()["status"]
    assert [m["author"] for m in kept["messages"]] == [
        m["author"] for m in handed.json()["messages"]]
    # Signed in as staff, the form is judged as before.
    staff = bearer("desk", subject="kantti-desk")
    empty = await client.post(f"/staff/conversations/{cid}/reply?lang=en",
                              data={"text": ""}, headers={**browser, **staff})
    assert empty.status_code == 422 and "Write an answer: it has nothing to read." in empty.text
