"""A tester's findings of the desk's venue pages, in-process (the use cases' in-memory
store): the hours, spaces, loans and day-sheet pages have the fi/sv/en switch /desk has,
keeping the venue, the day and the rest of the address but not a note, and a skip link
first; a booking over midnight is said with each day once; a walk-in posted with a field
over a megabyte (only by tampering) is the desk's page in its language naming the field
and its limit, nothing stored, and a body over the service's own limit still the shared
413."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from services.booking.domain import HELSINKI
from services.booking.labels import day_and_hours
from services.booking.tests.test_desk_forms import DESK, VENUE, Desk, Page, desk

__all__ = ["desk"]  # the fixture, used by name

#: The switch's label and each language's own name, in the page's language.
SWITCH = {"fi": "Kieli", "sv": "Språk", "en": "Language"}
SKIP = {"fi": "Siirry sisältöön", "sv": "Till innehållet", "en": "Skip to content"}


def switch_links(html: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The language switch's links: language → (path, query)."""
    nav = re.search(r"<nav aria-label='(Kieli|Språk|Language)'>(.*?)</nav>", html, re.S)
    assert nav is not None, "no language switch"
    links = {}
    for href, code in re.findall(r"<a href='([^']*)' lang='(\w\w)'", nav.group(2)):
        parts = urlsplit(unescape(href))
        links[code] = (parts.path, dict(parse_qsl(parts.query)))
    return links


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", ["/desk/hours", "/desk/spaces", "/desk/loans",
                                  "/desk/day-sheet"])
async def test_each_venue_page_has_the_desks_language_switch_and_a_skip_link_first(
        desk: Desk, path: str, lang: str) -> None:
    asked = {"venue_id": str(VENUE), "lang": lang, "day": "2031-03-06",
             "space_id": str(desk.space.id)}
    r = await desk.http.get(path, params=asked, headers=DESK)
    assert r.status_code == 200, r.text
    links = switch_links(r.text)
    assert f"<nav aria-label='{SWITCH[lang]}'>" in r.text
    assert sorted(links) == ["en", "fi", "sv"]
    for code, (to, query) in links.items():
        # The same page, venue, day and space, in the language chosen.
        assert to == path and query == {**asked, "lang": code}, (code, to, query)
    assert re.search(rf"<a href='[^']*' lang='{lang}' aria-current='page'>", r.text)
    # The skip link is the first thing in the body, to the main content, which takes focus.
    body = r.text.split("<body>", 1)[1].lstrip()
    assert body.startswith(f'<a class="skip" href="#main">{SKIP[lang]}</a>'), body[:120]
    assert '<main id="main" tabindex="-1">' in r.text


async def test_the_switch_leaves_out_a_note_said_in_the_language_it_was_written_in(
        desk: Desk) -> None:
    """A save's note is signed in one language: the switch's pages go without it."""
    r = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "fi"}, headers=DESK,
                             data={"csrf": "-", "weekday": "1", "opens": "09:00",
                                   "closes": "17:00", "kind": "staffed"})
    assert r.status_code == 303
    page = await desk.http.get(r.headers["location"], headers=DESK)
    assert "Tallennettu" in page.text or 'class="msg' in page.text
    for code, (to, query) in switch_links(page.text).items():
        assert to == "/desk/hours" and query == {"venue_id": str(VENUE), "lang": code}


async def test_a_refused_forms_page_switches_to_the_page_itself(desk: Desk) -> None:
    """After a refused form (a POST), the switch leads to the page asked anew."""
    r = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "sv"}, headers=DESK,
                             data={"csrf": "-", "weekday": "1", "opens": "25.99",
                                   "closes": "17:00", "kind": "staffed"})
    assert r.status_code == 422
    assert switch_links(r.text)["en"] == ("/desk/hours", {"venue_id": str(VENUE),
                                                          "lang": "en"})


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "6.12. 23.30–7.12. 0.00"), ("sv", "6 dec. 23:30–7 dec. 00:00"),
    ("en", "6 Dec 23:30–7 Dec 00:00")])
def test_a_booking_over_midnight_says_each_day_once(lang: str, said: str) -> None:
    start = datetime(2026, 12, 6, 23, 30, tzinfo=HELSINKI)
    end = datetime(2026, 12, 7, 0, 0, tzinfo=HELSINKI)
    assert day_and_hours(start, end, lang) == said
    # Within one day, the day and then the hours, as before.
    assert day_and_hours(start.replace(hour=22, minute=0), start, lang) == {
        "fi": "6.12. 22.00–23.30", "sv": "6 dec. 22:00–23:30", "en": "6 Dec 22:00–23:30"}[lang]


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Anna tilaisuuden nimi (enintään 200 merkkiä)."),
    ("sv", "Ange evenemangets namn (högst 200 tecken)."),
    ("en", "Give the event's name (at most 200 characters).")])
async def test_a_walk_in_with_a_field_over_a_megabyte_names_the_field_and_its_limit(
        desk: Desk, lang: str, said: str) -> None:
    """Starlette reads no field over 1 MB and answered the shared 400 ("the request could
    not be handled"); the form is read whole (the body still bounded by the service)."""
    r = await desk.walk_in(lang, title="x" * 1_100_000)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert page.by_id["w-title"]["aria-invalid"] == "true"
    assert page.text["error-title"] == said
    assert f'<html lang="{lang}">' in r.text
    assert desk.store.state.bookings == {} and desk.store.state.outbox == []


async def test_a_walk_in_with_an_odd_field_over_a_megabyte_is_the_form_again(
        desk: Desk) -> None:
    """A field the form has not (the tester's `reason`) is no input to name: the form is
    judged as sent, its own refusals said, nothing booked, no bare 400."""
    r = await desk.http.post(
        "/desk/walk-in", params=desk.back("sv"), headers={
            **DESK, "content-type": "application/x-www-form-urlencoded"},
        content=b"csrf=-&title=x&reason=" + b"x" * 1_100_000)
    assert r.status_code == 422 and "Begäran kunde inte behandlas" not in r.text
    assert 'id="walk-in-refusals"' in r.text or 'class="msg error"' in r.text
    assert desk.store.state.bookings == {}


async def test_a_body_over_the_services_limit_is_still_the_shared_413(desk: Desk) -> None:
    r = await desk.http.post(
        "/desk/walk-in", params=desk.back("fi"), headers={
            **DESK, "content-type": "application/x-www-form-urlencoded",
            "accept": "text/html"},
        content=b"csrf=-&title=" + b"x" * (5 * 1024 * 1024))
    assert r.status_code == 413
    assert desk.store.state.bookings == {}


async def test_signed_in_by_cookie_the_csrf_check_reads_the_long_form_too(desk: Desk) -> None:
    """As the tester posted it: signed in at /desk/login, the form's CSRF token checked,
    which reads the form before the walk-in does."""
    signed = await desk.http.post("/desk/login", params={"lang": "en"},
                                  data={"token": DESK["Authorization"].removeprefix("Bearer ")},
                                  headers={"origin": "http://127.0.0.1:8001"})
    assert signed.status_code == 303, signed.text
    page = await desk.http.get("/desk", params=desk.back("en"))
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None, page.text[:300]
    r = await desk.http.post(
        "/desk/walk-in", params=desk.back("en"),
        headers={"origin": "http://127.0.0.1:8001",
                 "content-type": "application/x-www-form-urlencoded"},
        content=f"csrf={token.group(1)}&space_id={desk.space.id}&starts_at=2031-03-05T16:00"
                f"&minutes=60&organiser_name=Kalle&title=".encode() + b"x" * 1_100_000)
    assert r.status_code == 422, r.text[:300]
    assert Page(r.text).text["error-title"] == \
        "Give the event's name (at most 200 characters)."
    assert desk.store.state.bookings == {}


EVERY_ROW_EMPTY = {"csrf": "-", "weekday": ["1", "", ""], "opens": ["", "", ""],
                   "closes": ["", "", ""], "kind": ["staffed"] * 3}
ASKED = {"fi": "Kaikki rivit ovat tyhjiä: tallennus poistaisi kaikki viikoittaiset"
               " aukioloajat",
         "sv": "Alla rader är tomma: att spara skulle ta bort alla öppettider per vecka",
         "en": "Every row is empty: saving would remove all the weekly opening hours"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_saving_every_weekly_row_empty_asks_first(desk: Desk, lang: str) -> None:
    """A venue's every weekly hour went at one press of Save with the rows emptied: now the
    page asks first, nothing changed, and removes them only when that is confirmed."""
    before = list(desk.store.state.weekly)
    assert before
    r = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": lang},
                             headers=DESK, data=EVERY_ROW_EMPTY)
    assert r.status_code == 200 and ASKED[lang] in unescape(r.text)
    assert desk.store.state.weekly == before
    page = Page(r.text)
    assert page.autofocus == ["confirm-no-hours"]
    # The hours as they are stay in the form below, to keep by not confirming.
    assert page.value("wk-0-opens") == f"{before[0].opens:%H:%M}"
    confirmed = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": lang},
                                     headers=DESK, data={"csrf": "-", "confirm_no_hours": "1"})
    assert confirmed.status_code == 303
    assert desk.store.state.weekly == []
    # With no hours left to lose, an empty save asks nothing.
    again = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": lang},
                                 headers=DESK, data=EVERY_ROW_EMPTY)
    assert again.status_code == 303


async def test_a_save_keeping_some_hours_asks_nothing(desk: Desk) -> None:
    r = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "fi"},
                             headers=DESK, data={"csrf": "-", "weekday": ["1", ""],
                                                 "opens": ["09:00", ""], "closes": ["12:00", ""],
                                                 "kind": ["staffed", "staffed"]})
    assert r.status_code == 303 and len(desk.store.state.weekly) == 1
