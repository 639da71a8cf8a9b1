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
    # ... in the language the page asked for, else in the sign-in page's.
    in_swedish = await client.post("/registrations/login", params={
        "next": listing, "lang": "sv"}, data={"token": token})
    assert in_swedish.headers["location"] == f"{listing}?lang=sv"
    as_asked = await client.post("/registrations/login", params={
        "next": f"{listing}?lang=en", "lang": "sv"}, data={"token": token})
    assert as_asked.headers["location"] == f"{listing}?lang=en"
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
