"""A tester's findings of the desk's venue pages, in-process (the use cases' in-memory
store): the hours, spaces, loans and day-sheet pages have the fi/sv/en switch /desk has,
keeping the venue, the day and the rest of the address but not a note, and a skip link
first; a booking over midnight is said with each day once."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from services.booking.domain import HELSINKI
from services.booking.labels import day_and_hours
from services.booking.tests.test_desk_forms import DESK, VENUE, Desk, desk

__all__ = ["desk"]  # the fixture, used by name

#: The switch's label and each language's own name, in the page's language.
SWITCH = {"fi": "Kieli", "sv": "Språk", "en": "Language"}
SKIP = {"fi": "Siirry sisältöön", "sv": "Hoppa till innehållet", "en": "Skip to content"}


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
