"""Issue #13 on the booking desk: the cookie session takes no cross-site request (Origin check
and a CSRF token in every form), sign-in by form POST (no token in a URL), sign-out, one
cookie per service limited to its page, `Secure` outside development, security headers on
every page; the JSON API takes bearer tokens only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.booking.app import spec
from tests.infra import bearer

pytestmark = pytest.mark.infra

COOKIE = "kohtaamo_booking_session"


async def _setup(client: Any) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A venue with a space, its desk's token and one booking request waiting there."""
    venue = (await client.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Jynkän kirjasto"}, "kind": "library", "area": "kuopio.jynkka",
        "municipality": "Kuopio", "spaces": [{"name": {"fi": "Ryhmätila"}, "capacity": 12}],
    })).json()
    desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Tiski")
    await client.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
        {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
    start = datetime.combine((datetime.now(UTC) + timedelta(days=2)).date(), time(10),
                             ZoneInfo("Europe/Helsinki"))
    booking = await client.post("/bookings", headers=bearer("organiser", subject="kerho"), json={
        "space_id": venue["spaces"][0]["id"], "title": "Shakkikerho",
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
        "library_contact": "Sari", "accept_house_rules": True})
    assert booking.status_code == 201, booking.text
    return venue, desk["Authorization"].removeprefix("Bearer "), booking.json()


async def _status(client: Any, booking: dict[str, Any]) -> str:
    found = await client.get(f"/bookings/{booking['id']}", headers=bearer("admin"))
    return str(found.json()["status"])


async def _login(client: Any, token: str) -> None:
    signed_in = await client.post("/desk/login?lang=en", data={"token": token})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/desk?lang=en"


async def test_cross_site_posts_with_the_desk_cookie_change_nothing(start_service) -> None:
    client = await start_service(spec)
    venue, token, booking = await _setup(client)
    await _login(client, token)
    # A series of two, which the desk may confirm at once.
    start = datetime.fromisoformat(booking["starts_at"]) + timedelta(hours=3)
    series = await client.post("/series", headers=bearer("organiser", subject="kerho"), json={
        "space_id": venue["spaces"][0]["id"], "title": "Kuoro",
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
        "library_contact": "Sari", "accept_house_rules": True, "repeat": {"count": 2}})
    assert series.status_code == 201, series.text
    series_id = series.json()["series_id"]
    page = await client.get("/desk", params={"venue_id": venue["id"], "lang": "en"})
    assert page.status_code == 200
    # Offered on both of the series' rows, as a form with the page's token.
    assert page.text.count(f'action="/desk/series/{series_id}/confirm?') == 2
    assert ">Confirm the whole series (2 times)</button>" in page.text
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert csrf is not None
    foreign = {"Origin": "http://127.0.0.1:9999"}  # another port of the same host
    target = f"/desk/bookings/{booking['id']}"
    for path, form in ((f"{target}/confirm", {}), (f"{target}/check-in", {}),
                       (f"/desk/series/{series_id}/confirm", {}),
                       (f"{target}/cancel", {"reason": "x"}),
                       ("/desk/walk-in", {"space_id": venue["spaces"][0]["id"], "title": "X",
                                          "starts_at": "2030-01-01T10:00", "minutes": "60",
                                          "organiser_name": "X",
                                          "organiser_email": "x@example.fi"})):
        # The browser sends the cookie and a foreign Origin; even the right token is refused.
        refused = await client.post(f"{path}?lang=en", data={**form, "csrf": csrf[1]},
                                    headers=foreign)
        assert refused.status_code == 403, path
        assert refused.headers["content-type"].startswith("text/html")
        assert "Request refused" in refused.text
        # Same origin but without the form's token (a request forged some other way).
        no_token = await client.post(f"{path}?lang=en", data=form,
                                     headers={"Origin": client.runtime.settings.public_url})
        assert no_token.status_code == 403, path
    assert await _status(client, booking) == "requested"
    desk_bookings = await client.get("/desk/bookings", headers=bearer("admin"),
                                     params={"venue_id": venue["id"]})
    assert all(b["title"] != "X" for b in desk_bookings.json())
    assert {b["status"] for b in desk_bookings.json() if b["title"] == "Kuoro"} == {
        "requested"}
    # The page's own form, with its token, works.
    done = await client.post(f"{target}/confirm?lang=en", data={"csrf": csrf[1]},
                             headers={"Origin": client.runtime.settings.public_url})
    assert done.status_code == 303 and "msg=Confirmed" in done.headers["location"]
    assert await _status(client, booking) == "confirmed"
    whole = await client.post(f"/desk/series/{series_id}/confirm?lang=en",
                              data={"csrf": csrf[1]},
                              headers={"Origin": client.runtime.settings.public_url})
    assert whole.status_code == 303
    assert "msg=Series+confirmed%2C+2+times" in whole.headers["location"]


async def test_the_json_api_takes_bearer_tokens_only(start_service) -> None:
    client = await start_service(spec)
    _, token, booking = await _setup(client)
    await _login(client, token)
    assert COOKIE in client.cookies
    # The desk cookie rides along (httpx sends it only under /desk), and a raw cookie
    # header to the API does not sign anyone in either.
    assert (await client.get("/desk/bookings")).status_code == 401
    raw = await client.post(f"/bookings/{booking['id']}/confirm",
                            headers={"Cookie": f"{COOKIE}={token}; kohtaamo_token={token}"})
    assert raw.status_code == 401
    assert await _status(client, booking) == "requested"


async def test_sign_in_by_form_with_a_scoped_cookie_and_sign_out(start_service) -> None:
    client = await start_service(spec)
    _, token, _ = await _setup(client)
    # A token in the URL is refused: it would stay in logs, history and Referer headers.
    in_url = await client.get("/desk/login", params={"token": token, "lang": "sv"})
    assert in_url.status_code == 400 and "set-cookie" not in in_url.headers
    assert "Token tas inte emot i adressen" in in_url.text
    form = await client.get("/desk/login?lang=fi")
    assert form.status_code == 200 and 'method=\'post\'' in form.text
    forged = await client.post("/desk/login?lang=en", data={"token": "forged"})
    assert forged.status_code == 401 and "not valid" in forged.text
    organiser = await client.post("/desk/login", data={
        "token": bearer("organiser")["Authorization"].removeprefix("Bearer ")})
    assert organiser.status_code == 403 and "set-cookie" not in organiser.headers
    # Login from another site's page (login CSRF) is refused.
    assert (await client.post("/desk/login", data={"token": token}, headers={
        "Origin": "https://evil.example"})).status_code == 403

    signed_in = await client.post("/desk/login", data={"token": token})
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/desk" in cookie
    assert "Secure" not in cookie  # development: http://127.0.0.1
    page = await client.get("/desk")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert csrf is not None
    assert (await client.post("/desk/logout", data={})).status_code == 403  # no token
    out = await client.post("/desk/logout?lang=en", data={"csrf": csrf[1]})
    assert out.status_code == 303 and out.headers["location"] == "/desk/login?lang=en"
    assert COOKIE not in client.cookies
    assert (await client.get("/desk")).status_code == 303


async def test_cookies_are_secure_behind_https(start_service) -> None:
    client = await start_service(spec, public_url="https://varaukset.kuopio.example")
    _, token, _ = await _setup(client)
    signed_in = await client.post("/desk/login", data={"token": token}, headers={
        "Origin": "https://varaukset.kuopio.example"})
    assert signed_in.status_code == 303
    assert "Secure" in signed_in.headers["set-cookie"]


async def test_desk_pages_carry_the_security_headers(start_service) -> None:
    client = await start_service(spec)
    _, token, _ = await _setup(client)
    for response in (await client.get("/desk/login"),
                     await client.get("/desk", headers={"Authorization": f"Bearer {token}"})):
        assert response.status_code == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "form-action 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
    docs = await client.get("/docs")
    assert docs.headers["x-frame-options"] == "DENY"
