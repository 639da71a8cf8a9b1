"""Issue #13 in the notifications service: board feeds link from the configured public URL,
never the Host header; the board screen's own CSP allows exactly its one inline script; the
staff page's cookie session refuses cross-site posts (the browser test is test_staff_page)."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.app import spec
from services.notifications.tests.test_boards import VENUE, handle, published
from shared.pages import script_hash
from tests.infra import bearer

pytestmark = pytest.mark.infra

PUBLIC = "https://ilmoitustaulut.kuopio.example"


async def test_board_feeds_link_from_the_public_url(start_service) -> None:
    client = await start_service(spec, public_url=PUBLIC)
    await handle(client.runtime.pool, handlers.on_activity_event, published(uuid4()))
    board = (await client.get("/boards", params={"venue_id": str(VENUE)})).json()[0]
    for name in ("feed.json", "feed.rss", "screen"):
        answer = await client.get(f"/boards/{board['id']}/{name}",
                                  headers={"Host": "evil.example"})
        assert answer.status_code == 200, name
        assert "evil.example" not in answer.text, name
    rss = (await client.get(f"/boards/{board['id']}/feed.rss")).text
    assert f"{PUBLIC}/boards/{board['id']}/screen" in rss


async def test_the_board_screen_allows_only_its_own_script(start_service) -> None:
    client = await start_service(spec)
    await handle(client.runtime.pool, handlers.on_activity_event, published(uuid4()))
    board = (await client.get("/boards", params={"venue_id": str(VENUE)})).json()[0]
    screen = await client.get(f"/boards/{board['id']}/screen")
    csp = screen.headers["content-security-policy"]
    script = re.search(r"<script>(.*?)</script>", screen.text, re.S)
    assert script is not None and script_hash(script[1]) in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert screen.headers["x-frame-options"] == "DENY"


async def test_staff_actions_need_the_session_and_its_form_token(start_service) -> None:
    client = await start_service(spec)
    token = bearer("communications")["Authorization"].removeprefix("Bearer ")
    assert (await client.post("/staff/login", data={"token": token})).status_code == 303
    assert "kohtaamo_notifications_session" in client.cookies
    page = await client.get("/staff?lang=en")
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert csrf is not None
    target = f"/staff/deliveries/{uuid4()}/retry?lang=en"
    assert (await client.post(target, data={"csrf": csrf[1]}, headers={
        "Origin": "http://127.0.0.1:9999"})).status_code == 403
    assert (await client.post(target, data={})).status_code == 403
    # With the token the action runs (and answers on the page that there is no such one).
    own = await client.post(target, data={"csrf": csrf[1]})
    assert own.status_code == 303 and "error=1" in own.headers["location"]
    # The API does not take the page's cookie.
    raw = await client.get("/deliveries/attention", headers={
        "Cookie": f"kohtaamo_notifications_session={token}"})
    assert raw.status_code == 401


async def test_registration_pages_sign_in_by_form_and_refuse_foreign_forms(start_service
                                                                          ) -> None:
    client = await start_service(spec)
    token = bearer("organiser", subject="kerho")["Authorization"].removeprefix("Bearer ")
    listing = f"/registrations/{uuid4()}/participants"
    assert (await client.get("/registrations/login", params={
        "token": token, "next": listing})).status_code == 400
    form = await client.get("/registrations/login", params={"next": listing, "lang": "en"})
    assert form.status_code == 200 and "next=%2Fregistrations%2F" in form.text
    signed_in = await client.post("/registrations/login", params={"next": listing},
                                  data={"token": token})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == f"{listing}?lang=fi"
    # ... in the sign-in page's language: the one chosen there last, even where the page
    # it goes on to named another (a list opened in Finnish, its sign-in switched to
    # svenska, came in Finnish: a tester's finding).
    in_swedish = await client.post("/registrations/login", params={
        "next": listing, "lang": "sv"}, data={"token": token})
    assert in_swedish.headers["location"] == f"{listing}?lang=sv"
    as_chosen = await client.post("/registrations/login", params={
        "next": f"{listing}?lang=en", "lang": "sv"}, data={"token": token})
    assert as_chosen.headers["location"] == f"{listing}?lang=sv"
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith("kohtaamo_notifications_session=") and "Path=/registrations" in cookie
    # Sign-in goes on only to this service's lists, never elsewhere (no open redirect).
    elsewhere = await client.post("/registrations/login", params={
        "next": "https://evil.example/"}, data={"token": token})
    assert elsewhere.headers["location"] == "/follow?lang=fi"
    # The attendance form needs the session's token; public forms refuse other sites.
    assert (await client.post(f"/registrations/{uuid4()}/attendance",
                              data={"listed": str(uuid4())})).status_code == 403
    refused = await client.post("/follow?lang=en", data={"email": "a@example.fi"},
                                headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "Request refused" in refused.text


@pytest.mark.parametrize(("path", "refused", "field"), [
    ("settings", {"capacity": "x"}, "capacity"),
    ("attendance", {"present": ["x"]}, "present"),
])
async def test_the_organisers_registration_api_answers_programs_in_json(
        start_service, path: str, refused: dict[str, object], field: str) -> None:
    """`PUT /registrations/{id}/settings` and `…/attendance` are the JSON API's: an anonymous
    caller hears 401 before anything about the body or the id, a signed-in one its refusals
    in JSON (they lived on the pages' router and answered every client with a page); a
    browser still gets a page."""
    client = await start_service(spec)
    unknown = f"/registrations/{uuid4()}/{path}"
    program = {"Accept": "application/json", "Content-Type": "application/json"}
    for address, body in ((unknown, b'{"capacity": '), (unknown, b'{"capacity": "x"}'),
                          (f"/registrations/not-an-id/{path}", b"{}")):
        anonymous = await client.put(address, content=body, headers=program)
        assert anonymous.status_code == 401, (address, anonymous.text)
        assert anonymous.json() == {"detail": "sign in first", "code": "sign_in",
                                    "message": "Kirjaudu ensin sisään."}
        assert anonymous.headers["www-authenticate"] == "Bearer"
    signed = {**program, **bearer("admin")}
    wrong = await client.put(unknown, json=refused, headers=signed)
    assert wrong.status_code == 422, wrong.text
    assert [e["loc"][:2] for e in wrong.json()["detail"]] == [["body", field]]
    no_id = await client.put(f"/registrations/not-an-id/{path}", json={}, headers=signed)
    assert no_id.status_code == 422
    assert [e["loc"] for e in no_id.json()["detail"]] == [["path", "event_id"]]
    no_json = await client.put(unknown, content=b'{"capacity": ', headers=signed)
    assert no_json.status_code == 422 and no_json.json()["detail"][0]["type"] == "json_invalid"
    missing = await client.put(unknown, json={}, headers=signed)
    assert missing.status_code == 404 and isinstance(missing.json()["detail"], str)
    # Without an Accept header a client is a program too.
    bare = await client.put(unknown, json={}, headers=bearer("admin"))
    assert bare.status_code == 404 and bare.headers["content-type"] == "application/json"
    # A browser is told on a page.
    page = await client.put(f"{unknown}?lang=en", json=refused, headers={
        "Accept": "text/html", **bearer("admin")})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")


async def test_the_participants_list_refuses_a_program_in_json_and_a_browser_on_a_page(
        start_service) -> None:
    """`GET /registrations/{id}/participants?format=json` is data: a malformed id or query
    was refused with the pages' HTML 422. A program asking for data hears JSON in FastAPI's
    shape (401 first when anonymous); a browser reading the page still gets a page."""
    client = await start_service(spec)
    signed = bearer("admin")
    anonymous = await client.get("/registrations/not-an-id/participants?format=json")
    assert anonymous.status_code == 401 and anonymous.json() == {
        "detail": "sign in first", "code": "sign_in", "message": "Kirjaudu ensin sisään."}
    assert anonymous.headers["www-authenticate"] == "Bearer"
    unknown = f"/registrations/{uuid4()}/participants"
    assert (await client.get(f"{unknown}?format=json")).json()["code"] == "sign_in"
    for address, where in (("/registrations/not-an-id/participants?format=json",
                            ["path", "event_id"]),
                           ("/registrations/not-an-id/participants?format=csv",
                            ["path", "event_id"]),
                           (f"{unknown}?format=json&lang=de", ["query", "lang"]),
                           (f"{unknown}?format=xml", ["query", "format"])):
        refused = await client.get(address, headers=signed)
        assert refused.status_code == 422, (address, refused.text)
        assert refused.headers["content-type"] == "application/json", address
        assert [e["loc"] for e in refused.json()["detail"]] == [where], address
        # The API's one shape: a code for the program, words for the person, their language.
        assert refused.json()["code"] == "invalid" and refused.json()["message"], address
        assert refused.headers["content-language"] == "fi", address
    in_swedish = await client.get("/registrations/not-an-id/participants?format=json",
                                  headers={**signed, "Accept-Language": "sv"})
    assert in_swedish.headers["content-language"] == "sv"
    missing = await client.get(f"{unknown}?format=json", headers=signed)
    assert missing.status_code == 404 and isinstance(missing.json()["detail"], str)
    assert missing.json()["code"] and missing.headers["content-language"] == "fi"
    # A browser's page stays a page, in the language asked.
    browser = {"Accept": "text/html", **signed}
    for address in ("/registrations/not-an-id/participants?lang=en",
                    f"{unknown}?format=xml&lang=en"):
        page = await client.get(address, headers=browser)
        assert page.status_code == 422, address
        assert page.headers["content-type"].startswith("text/html"), address
        assert 'lang="en"' in page.text, address
    gone = await client.get(f"{unknown}?lang=en", headers=browser)
    assert gone.status_code == 404 and gone.headers["content-type"].startswith("text/html")
