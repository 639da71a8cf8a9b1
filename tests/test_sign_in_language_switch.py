"""Every service's sign-in page has the fi/sv/en switch every other page has, keeping where
it goes on (`?next=`): testers found none on the desk's, the organisers' and the staff's
sign-ins, so a reader sent there in the wrong language could not change it."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.booking import desk, organiser_pages
from services.events import approvals_page
from services.events import organiser_pages as event_pages
from services.guide import pages as guide_pages
from services.metrics import answers_page
from services.notifications import reach_pages, staff
from shared.auth import mint_token
from shared.pages import PageSession

pytestmark = pytest.mark.unit

SESSIONS = {
    "booking desk": desk.SESSION, "booking organiser": organiser_pages.SESSION,
    "events approvals": approvals_page.SESSION, "events organiser": event_pages.SESSION,
    "guide staff": guide_pages.SESSION, "metrics analysts": answers_page.SESSION,
    "notifications sign-ups": reach_pages.SESSION, "notifications staff": staff.SESSION,
}


def _sign_in(session: PageSession, query: str) -> str:
    app = FastAPI()
    app.include_router(session.router())
    answer = TestClient(app).get(f"{session.path}/login?{query}")
    assert answer.status_code == 200, answer.text
    return answer.text


@pytest.mark.parametrize("name", SESSIONS)
@pytest.mark.parametrize("lang,label", [("fi", "Kieli"), ("sv", "Språk"), ("en", "Language")])
def test_each_sign_in_leads_to_itself_in_each_language(name: str, lang: str,
                                                      label: str) -> None:
    session = SESSIONS[name]
    page = _sign_in(session, f"lang={lang}")
    nav = re.search(r"<nav aria-label='([^']+)'>(.*?)</nav>", page)
    assert nav is not None and nav.group(1) == label
    links = re.findall(r"<a href='([^']+)' lang='(\w+)'( aria-current='page')?>", nav.group(2))
    assert [(code, bool(current)) for _, code, current in links] == [
        (code, code == lang) for code in ("fi", "sv", "en")]
    assert all(href == f"{session.path}/login?lang={code}" for href, code, _ in links)


def test_the_switch_keeps_where_the_sign_in_goes_on() -> None:
    session = reach_pages.SESSION
    wanted = "/registrations/07b56748-1cb8-5e82-b76a-bf6b311ff2e0/settings"
    page = _sign_in(session, f"lang=sv&next={wanted}")
    # The page it goes on to is switched with it.
    assert ("href='/registrations/login?lang=en&amp;next=%2Fregistrations%2F"
            "07b56748-1cb8-5e82-b76a-bf6b311ff2e0%2Fsettings%3Flang%3Den'") in page


#: A page each session may go on to that names its own language, and a role let in.
GOES_ON = {
    "booking organiser": ("/my/bookings?lang=fi", "organiser"),
    "events approvals": ("/approvals/queue?lang=fi", "communications"),
    "metrics analysts": ("/analysts/answers?lang=fi", "analyst"),
    "notifications sign-ups": (
        "/registrations/07b56748-1cb8-5e82-b76a-bf6b311ff2e0/participants?lang=fi",
        "organiser"),
}


@pytest.mark.parametrize("name", GOES_ON)
def test_signing_in_after_switching_goes_on_in_the_language_chosen(name: str) -> None:
    """A tester opened a Finnish page signed out, switched its sign-in to svenska and signed
    in: the page came in Finnish, as its `next` named `lang=fi`. The switch and the sign-in
    both carry the language chosen on to the page."""
    session = SESSIONS[name]
    wanted, role = GOES_ON[name]
    page = _sign_in(session, urlencode({"lang": "fi", "next": wanted}))
    switch = re.search(r"<a href='([^']+)' lang='sv'", page)
    assert switch is not None
    to_swedish = html.unescape(switch.group(1))
    assert parse_qs(urlsplit(to_swedish).query)["next"] == [wanted.replace("lang=fi",
                                                                           "lang=sv")]
    app = FastAPI()
    app.include_router(session.router())
    # What the service's runtime gives the sign-in: its public address and cookie rule.
    app.state.runtime = SimpleNamespace(settings=SimpleNamespace(
        public_url="http://testserver", secure_cookies=False))
    answer = TestClient(app).post(to_swedish, data={"token": mint_token("tester", [role])},
                                  follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == wanted.replace("lang=fi", "lang=sv")
    # Signing in straight from the Finnish sign-in keeps Finnish.
    answer = TestClient(app).post(f"{session.path}/login?"
                                  + urlencode({"lang": "fi", "next": wanted}),
                                  data={"token": mint_token("tester", [role])},
                                  follow_redirects=False)
    assert answer.headers["location"] == wanted


@pytest.mark.parametrize("name", SESSIONS)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_each_sign_in_starts_with_a_skip_link_past_its_switch(name: str, lang: str) -> None:
    page = _sign_in(SESSIONS[name], f"lang={lang}")
    body = page.split("<body>", 1)[1]
    skip = {"fi": "Siirry sisältöön", "sv": "Till innehållet", "en": "Skip to content"}[lang]
    assert body.startswith(f"<a class='skip' href='#main'>{skip}</a><nav ")
    assert "<main id='main' tabindex='-1'>" in body
