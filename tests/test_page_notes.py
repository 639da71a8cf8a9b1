"""What a form's action says on the page it leads back to (`shared.pages.Note`): the staff and
organiser pages show a note only when the reader's own session signed it, so a link made
elsewhere ("?msg=Call this number to keep your account") cannot put words on a city page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from shared.pages import NOTE_MAX, Note, PageSession
from tests.infra import bearer

MADE_UP = "Soita heti numeroon 0400 123 456"
SESSION = PageSession("test", "/desk", {"fi": "Testi"}, roles=("desk",))


def _request(query: dict[str, str], *, token: str | None = None, cookie: str | None = None,
             session: PageSession = SESSION) -> Request:
    headers = []
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if cookie:
        headers.append((b"cookie", f"{session.cookie}={cookie}".encode()))
    return Request({"type": "http", "method": "GET", "path": session.path, "headers": headers,
                    "query_string": urlencode(query).encode()})


def test_a_note_is_read_back_only_under_the_session_that_signed_it() -> None:
    signed = SESSION.note_query(_request({}, cookie="token-a"), "Vahvistettu: Kerho", error=True)
    assert signed["msg"] == "Vahvistettu: Kerho" and signed["error"] == "1"
    assert SESSION.note(_request(signed, cookie="token-a")) == Note("Vahvistettu: Kerho", True)
    # Another reader's session, no session, a changed word or flag, no signature: nothing.
    assert SESSION.note(_request(signed, cookie="token-b")) == Note()
    assert SESSION.note(_request(signed)) == Note()
    assert SESSION.note(_request({**signed, "msg": MADE_UP}, cookie="token-a")) == Note()
    assert SESSION.note(_request({**signed, "error": "0"}, cookie="token-a")) == Note()
    assert SESSION.note(_request({"msg": MADE_UP}, cookie="token-a")) == Note()
    assert SESSION.note(_request({**signed, "sig": "ä" * 64}, cookie="token-a")) == Note()
    # A script's bearer header signs and reads as the cookie does.
    scripted = SESSION.note_query(_request({}, token="token-c"), "Tallennettu.")
    assert "error" not in scripted
    assert SESSION.note(_request(scripted, token="token-c")) == Note("Tallennettu.", False)
    # The same words signed for another page's session do not pass on this one.
    other = PageSession("other", "/desk", {"fi": "Muu"}, roles=("desk",))
    assert SESSION.note(_request(other.note_query(_request({}, cookie="token-a",
                                                           session=other), "Hei"),
                                 cookie="token-a")) == Note()


def test_a_long_note_is_cut_and_still_read_and_no_session_signs_nothing() -> None:
    said = SESSION.note_query(_request({}, cookie="t"), "ä" * (NOTE_MAX + 50))
    assert len(said["msg"]) == NOTE_MAX and said["msg"].endswith("…")
    assert SESSION.note(_request(said, cookie="t")).text == said["msg"]
    assert "sig" not in SESSION.note_query(_request({}), "Hei")


def _pages() -> list[Any]:
    """Each page that shows notes: its service, address, who reads it, and its session."""
    from services.booking import desk, organiser_pages
    from services.booking.app import spec as booking
    from services.events import approvals_page
    from services.events.app import spec as events
    from services.guide import pages as guide_pages
    from services.guide.app import spec as guide
    from services.notifications import staff
    from services.notifications.app import spec as notifications

    desk_staff = ("desk",)
    return [
        pytest.param(booking, "/desk", desk_staff, desk.SESSION, id="desk"),
        pytest.param(booking, "/desk/hours", desk_staff, desk.SESSION, id="desk-hours"),
        pytest.param(booking, "/desk/spaces", desk_staff, desk.SESSION, id="desk-spaces"),
        pytest.param(booking, "/desk/loans", desk_staff, desk.SESSION, id="desk-loans"),
        pytest.param(booking, "/my/bookings", ("organiser",), organiser_pages.SESSION,
                     id="my-bookings"),
        pytest.param(booking, "/my/spaces", ("organiser",), organiser_pages.SESSION,
                     id="my-spaces"),
        pytest.param(events, "/approvals/queue", ("communications",), approvals_page.SESSION,
                     id="approvals"),
        pytest.param(notifications, "/staff", ("communications",), staff.SESSION,
                     id="notifications-staff"),
        pytest.param(guide, "/staff/inbox", ("desk",), guide_pages.SESSION, id="guide-inbox"),
    ]


@pytest.mark.parametrize(("spec", "path", "roles", "session"), _pages())
async def test_a_page_shows_its_own_note_and_no_made_up_one(
        start_service: Any, spec: Any, path: str, roles: tuple[str, ...],
        session: PageSession) -> None:
    client = await start_service(spec)
    venues: tuple[Any, ...] = ()
    if path.startswith("/desk"):
        from services.booking.tests.test_api import venue

        v, _ = await venue(client)
        venues = (v["id"],)
    reader = bearer(*roles, venues=venues, subject="reader", email="reader@example.fi",
                    email_verified=True)
    token = reader["Authorization"].removeprefix("Bearer ")
    own = session.note_query(_request({}, token=token, session=session), "Tallennettu: Kerho",
                             error=True)
    shown = await client.get(path, params={"lang": "fi", **own}, headers=reader)
    assert shown.status_code == 200, shown.text
    assert "Tallennettu: Kerho" in shown.text

    someone_else = bearer(*roles, venues=venues, subject="someone-else")
    forged = session.note_query(
        _request({}, token=someone_else["Authorization"].removeprefix("Bearer "),
                 session=session), MADE_UP, error=True)
    for query in ({"msg": MADE_UP}, {"msg": MADE_UP, "error": "1", "sig": "0" * 64}, forged):
        page = await client.get(path, params={"lang": "fi", **query}, headers=reader)
        assert page.status_code == 200, (query, page.text)
        assert "0400 123 456" not in page.text, query
