"""The organisers' pages answer odd input with a page that names what to fix, never a 5xx and
never JSON, and store nothing of a refused form (the events service in this process, on the
real database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import usecases
from services.events.app import spec
from shared.clock import SYSTEM_CLOCK
from shared.contracts import BookingConfirmed
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="lautapeliseura")
OTHER = bearer("organiser", subject="joku-muu")
START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)

ODD_FORMS: list[dict[str, Any]] = [
    {"name.fi": ""}, {"name.fi": "x" * 100_000}, {"name.fi": "a\x00b"},
    {"capacity": "1e9"}, {"capacity": "99999999999999999999"},
    {"price": "NaN"}, {"price": "-1"}, {"price": "1" * 50}, {"min_age": "130"},
    {"min_age": "30", "max_age": "10"}, {"kind": "ei_tällaista"}, {"kind": "x" * 5000},
    {"place_kind": "kuu"}, {"topics": ["<script>"]},
    {"topics": [f"t{i}" for i in range(500)]}, {"languages": []}, {"languages": ["ru"]},
    {"image_url": "javascript:alert(1)"}, {"online_url": "https://"},
    {"image_alt.sv": "bara svenska"},
]


async def test_odd_forms_are_refused_by_field_and_nothing_is_stored(start_service) -> None:
    client = await start_service(spec)
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title="Lautapeli-ilta", organiser_id=uuid4(),
        organiser_subject="lautapeliseura")
    draft = await usecases.draft_from_booking(usecases.unit_of_work(client.runtime.pool),
                                              SYSTEM_CLOCK, booking)
    assert draft is not None
    page = f"/my/activities/{draft['id']}"
    shown = await client.get(f"{page}?lang=sv", headers=ORGANISER)
    assert shown.status_code == 200 and "Lautapeli-ilta" in shown.text
    before = (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json()
    base = {"name.fi": "Lautapeli-ilta", "kind": "open_guided", "place_kind": "venue",
            "languages": ["fi"], "free": "1"}
    for odd in ODD_FORMS:
        sent = await client.post(f"{page}?lang=sv", headers=ORGANISER, data={**base, **odd})
        assert sent.status_code in (409, 422), (odd, sent.status_code)
        assert sent.headers["content-type"].startswith("text/html"), odd
        assert "class=\"field-error\"" in sent.text or "role=\"alert\"" in sent.text, odd
    after = (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json()
    assert after == before
    # The same form without the odd value is the draft as it is: nothing to change.
    same = await client.post(f"{page}?lang=sv", headers=ORGANISER, data=base)
    assert same.status_code == 303
    assert (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json() == before

    # Bytes that are no UTF-8 (a lone surrogate's) are refused by name, not stored as "�".
    raw = await client.post(page, headers={**ORGANISER, "Accept": "text/html",
                                           "Content-Type": "application/x-www-form-urlencoded"},
                            content=b"name.fi=%ED%B2%80&kind=other&place_kind=venue")
    assert raw.status_code == 422 and raw.headers["content-type"].startswith("text/html")
    assert 'data-field="name.fi"' in raw.text
    assert (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json() == before

    for method, path, data in (
            ("GET", "/my/activities/not-a-uuid", None),
            ("GET", f"{page}?lang=de", None),
            ("GET", f"{page}?done={'x' * 50}", None),
            ("GET", "/my/activities/new?booking=123", None),
            ("GET", f"/my/activities/{uuid4()}", None),
            ("POST", f"{page}/attendance", {"participants": "x", "visitors": "1"}),
            ("POST", f"{page}/attendance", {"participants": "5", "visitors": "5"}),
            ("POST", f"{page}/postpone", {"reason": ""}),
            ("POST", f"{page}/cancel", {"reason": "x" * 5000}),
            ("POST", f"{page}/reschedule", {"starts_at": "", "ends_at": ""}),
            ("POST", f"/my/activities/{uuid4()}/publish", {})):
        answer = await client.request(method, path, headers=ORGANISER, data=data)
        assert 400 <= answer.status_code < 500, (path, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html"), path

    # Someone else's activity is no one's to see; signed out, the sign-in form.
    assert (await client.get(page, headers=OTHER)).status_code == 404
    signed_out = await client.get(page)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/my/login?")
    # A form without the session's CSRF token (a cookie session) is refused.
    client.cookies.set("kohtaamo_organiser_session",
                       ORGANISER["Authorization"].removeprefix("Bearer "), path="/my")
    signed_in = await client.get(page)
    assert signed_in.status_code == 200 and 'name="csrf"' in signed_in.text
    forged = await client.post(f"{page}/publish", data={"csrf": "0" * 64})
    assert forged.status_code == 403 and forged.headers["content-type"].startswith("text/html")
    assert (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json()[
        "status"] == "draft"


async def test_text_as_long_as_the_page_allowed_is_taken_whatever_its_line_breaks(
        start_service: Any) -> None:
    """A browser sends each line break of a textarea as CR LF, while its maxlength counted
    one character: a 500-character description in ten paragraphs arrives as 509 and was
    refused. It is taken, and stored with one LF a line break."""
    client = await start_service(spec)
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title="Kuorolaulu", organiser_id=uuid4(),
        organiser_subject="lautapeliseura")
    draft = await usecases.draft_from_booking(usecases.unit_of_work(client.runtime.pool),
                                              SYSTEM_CLOCK, booking)
    assert draft is not None
    page = f"/my/activities/{draft['id']}"
    paragraph = "Lauletaan yhdessä Jynkän kirjastossa." + "ä" * 12  # 49 characters
    description = "\n".join([paragraph] * 10) + "ö" * 1  # 500 as the page counts it
    assert len(description) == 500 and len(description.replace("\n", "\r\n")) == 509
    sent = await client.post(page, headers=ORGANISER, data={
        "name.fi": "Kuorolaulu", "kind": "open_guided", "place_kind": "venue",
        "languages": ["fi"], "free": "1",
        "description.fi": description.replace("\n", "\r\n")})
    assert sent.status_code == 303, sent.text
    stored = (await client.get(f"/events/{draft['id']}", headers=ORGANISER)).json()
    assert stored["description"]["fi"] == description


async def test_sign_in_goes_on_to_the_asked_page_in_the_language_chosen(start_service: Any
                                                                        ) -> None:
    """The booking pages link to the draft; signed out, the organiser signs in first and
    then reads the draft in the language they signed in with."""
    client = await start_service(spec)
    draft = f"/my/activities/new?booking={uuid4()}"
    asked = await client.get(f"{draft}&lang=sv")
    assert asked.status_code == 303
    login = asked.headers["location"]
    assert login.startswith("/my/login?lang=sv&next=")
    token = bearer("organiser", subject="kerho")["Authorization"].removeprefix("Bearer ")
    signed_in = await client.post(login, data={"token": token})
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] == f"{draft}&lang=sv"
