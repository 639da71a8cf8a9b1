"""The public pages the guide cites: a venue's page (`/venues/{id}/page`: address, contact,
the week's opening hours with a dated exception, accessibility, spaces and what the venue
lends, in fi/sv/en formatted as each language writes dates) and the rules of use (`/rules`);
refusals as pages, never JSON; and in Chromium on a phone and a desktop, axe-clean (WCAG 2.1
AA) in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.app import spec
from services.booking.tests.test_organiser_pages import DESKTOP, PHONE
from shared.house_rules import HOUSE_RULES, RULES_OF_USE
from shared.l10n import weekday_day
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")
NEULAMAKI: dict[str, Any] = {
    "name": {"fi": "Neulamäen kirjasto", "sv": "Neulamäki bibliotek", "en": "Neulamäki library"},
    "kind": "library", "area": "kuopio.neulamaki", "municipality": "Kuopio",
    "address": "Neulamäentie 5, 70820 Kuopio",
    "contact": {"phone": "017 182 222", "email": "neulamaki@kuopio.example"},
    "accessibility": {"fi": "Yksi kerros.", "en": "One floor."},
    "accessibility_features": ["step_free_entrance", "accessible_toilet"],
    "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                "capacity": 12}]}


async def _neulamaki(http: Any) -> tuple[str, str]:
    """The venue, open Mon–Fri 12–19 with self-service 7–21 daily, closed on next week's
    Wednesday for a renovation and open only 10–14 on its Thursday for stocktaking, lending
    board games; (its id, that Wednesday)."""
    made = await http.post("/venues", headers=bearer("admin"), json=NEULAMAKI)
    assert made.status_code == 201, made.text
    venue_id = made.json()["id"]
    desk = bearer("desk", venues=(venue_id,), subject="neulamaki-desk")
    weekly = [{"weekday": d, "opens": "12:00", "closes": "19:00"} for d in range(1, 6)] + [
        {"weekday": d, "opens": "07:00", "closes": "21:00", "kind": "self_service"}
        for d in range(1, 8)]
    assert (await http.put(f"/venues/{venue_id}/hours", headers=desk,
                           json={"weekly": weekly})).status_code == 200
    today = datetime.now(UTC).astimezone(HELSINKI).date()
    wednesday = today + timedelta(days=7 - today.isoweekday() + 3)
    closed = await http.post(f"/venues/{venue_id}/exceptions", headers=desk, json={
        "day": wednesday.isoformat(), "reason": {"fi": "Remontti"}})
    assert closed.status_code == 201, closed.text
    stocktaking = await http.post(f"/venues/{venue_id}/exceptions", headers=desk, json={
        "day": (wednesday + timedelta(days=1)).isoformat(), "closed": False,
        "opens": "10:00", "closes": "14:00",
        "reason": {"fi": "Inventaario", "sv": "Inventering", "en": "Stocktaking"}})
    assert stocktaking.status_code == 201, stocktaking.text
    games = await http.post(f"/venues/{venue_id}/resources", headers=desk, json={
        "name": {"fi": "Lautapelit", "sv": "Sällskapsspel", "en": "Board games"},
        "quantity": 1200})
    assert games.status_code == 201, games.text
    return venue_id, wednesday.isoformat()


async def test_a_venues_page_says_what_a_resident_asks_in_their_language(
        start_service: Any) -> None:
    client = await start_service(spec)
    venue_id, wednesday = await _neulamaki(client)
    day = datetime.fromisoformat(wednesday).date()

    fi = await client.get(f"/venues/{venue_id}/page", params={"lang": "fi", "week": wednesday})
    assert fi.status_code == 200 and fi.headers["content-type"].startswith("text/html")
    page = fi.text
    for said in ("<h1>Neulamäen kirjasto</h1>", "Neulamäki, Kuopio",
                 "Neulamäentie 5, 70820 Kuopio", 'href="tel:017182222"', "017 182 222",
                 "neulamaki@kuopio.example", "Esteetön sisäänkäynti", "Esteetön wc",
                 "Yksi kerros.", "Ryhmätila (12 henkeä)", "Lautapelit (1\u00a0200 kpl)",
                 # The day's exception says why, as the desk wrote it (issue: the reason
                 # was stored and never shown).
                 f"<dt>{weekday_day(day, 'fi')}</dt><dd>suljettu (Remontti)</dd>",
                 f"<dt>{weekday_day(day + timedelta(days=1), 'fi')}</dt><dd>Inventaario: "
                 "10.00–14.00 (henkilökunta paikalla)</dd>",
                 f"<dt>{weekday_day(day - timedelta(days=1), 'fi')}</dt><dd>"
                 "7.00–21.00 (omatoimiaika), 12.00–19.00 (henkilökunta paikalla)</dd>",
                 f"/my/spaces?venue_id={venue_id}&amp;lang=fi", "← Edellinen viikko",
                 '<a href="/rules?lang=fi">Tilojen käytön säännöt</a>',
                 "/calendar?area=kuopio.neulamaki&amp;lang=fi"):
        assert said in page, said
    sv = (await client.get(f"/venues/{venue_id}/page",
                           params={"lang": "sv", "week": wednesday})).text
    for said in ('<html lang="sv">', "<h1>Neulamäki bibliotek</h1>", "Steglös ingång",
                 "Grupprum (12 personer)", "Sällskapsspel (1\u00a0200 st.)",
                 # Written in Finnish only: read as written, marked as Finnish.
                 f"<dt>{weekday_day(day, 'sv')}</dt><dd>stängt"
                 ' (<span lang="fi">Remontti</span>)</dd>',
                 "Inventering: 10:00–14:00 (bemannad tid)", "07:00–21:00 (meröppet)"):
        assert said in sv, said
    # No language asked: the browser's first of ours; English without a description of its
    # own falls back to Finnish for nothing but the text that has no English.
    english = await client.get(f"/venues/{venue_id}/page",
                               headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert english.headers["vary"] == "Accept-Language, Cookie"  # one copy per language
    en = english.text
    for said in ('<html lang="en">', "<h1>Neulamäki library</h1>", "One floor.",
                 "Board games (1,200)", "Group room (12 people)", "Opening hours"):
        assert said in en, said
    assert "← Previous week" not in en  # this week: nothing earlier to page back to

    # A venue that has told no address or contact shows no empty contact box.
    bare = await client.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Riistaveden kirjasto"}, "kind": "library", "area": "kuopio.riistavesi",
        "municipality": "Kuopio", "spaces": []})
    shown = (await client.get(f"/venues/{bare.json()['id']}/page?lang=fi")).text
    assert "<h1>Riistaveden kirjasto</h1>" in shown and "Yhteystiedot" not in shown
    assert "Esteettömyystietoja ei ole vielä kerrottu" in shown and "Lainattavissa" not in shown

    # Refusals are pages in the reader's language, never the API's JSON.
    for path, status in ((f"/venues/{'0' * 8}-0000-0000-0000-000000000001/page", 404),
                         ("/venues/not-a-venue/page", 422),
                         (f"/venues/{venue_id}/page?week=2026-13-45", 422),
                         (f"/venues/{venue_id}/page?lang=xx", 422)):
        refused = await client.get(path, headers={"Accept": "text/html",
                                                  "Accept-Language": "fi"})
        assert refused.status_code == status, (path, refused.text)
        assert refused.headers["content-type"].startswith("text/html"), path


async def test_the_rules_of_use_are_a_page_anyone_reads_in_their_language(
        start_service: Any) -> None:
    """Every rule of use and the house rules, under their headings, without signing in."""
    client = await start_service(spec)
    for lang, heading, house in (("fi", "Tilojen käyttö asukastoiminnassa", "Talon säännöt"),
                                 ("sv", "Användning av lokaler för invånarverksamhet",
                                  "Husets regler"),
                                 ("en", "Use of spaces for resident activity", "House rules")):
        shown = await client.get("/rules", params={"lang": lang})
        assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
        page = shown.text
        assert f'<html lang="{lang}">' in page and f"<h1>{heading}</h1>" in page
        assert f">{house}</h2>" in page and HOUSE_RULES[lang] in page
        for rule in RULES_OF_USE.values():
            assert rule[lang].replace("'", "&#39;") in page, rule[lang]
        assert f'href="/my/spaces?lang={lang}"' in page  # the way on to booking
    # No language asked: the browser's first of ours, so a cache keeps one per language.
    sv = await client.get("/rules", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in sv.text and sv.headers["vary"] == "Accept-Language, Cookie"
    assert sv.headers["cache-control"] == "no-cache"
    # A link checker's HEAD: the page's status and headers, no body.
    head = await client.head("/rules", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(sv.content))
    assert head.headers["vary"] == "Accept-Language, Cookie"
    refused = await client.get("/rules?lang=xx", headers={"Accept": "text/html"})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_a_venues_page_in_chromium_is_axe_clean_in_every_language(
        viewport: dict[str, int], chromium_path: str, spawn_service: Any,
        fresh_database: Any) -> None:
    from tests.axe import serious_violations

    proc = await spawn_service("booking", await fresh_database("booking"))
    async with httpx.AsyncClient(base_url=proc.url) as http:
        venue_id, wednesday = await _neulamaki(http)
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=viewport)
        await page.goto(f"{proc.url}/venues/{venue_id}/page?lang=fi&week={wednesday}")
        assert await serious_violations(page) == []
        # The language links keep the week; the page reads in Swedish and English as well.
        await page.get_by_role("link", name="svenska").click()
        await page.wait_for_url("**/page?lang=sv&week=*")
        assert await page.locator("h1").inner_text() == "Neulamäki bibliotek"
        assert await serious_violations(page) == []
        await page.get_by_role("link", name="English").click()
        await page.get_by_role("link", name="← Previous week").click()
        await page.wait_for_load_state()
        assert await page.locator("h1").inner_text() == "Neulamäki library"
        assert await page.get_by_role("link", name="← Previous week").count() == 0
        assert await serious_violations(page) == []
        # No sideways scroll on a phone.
        assert await page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        # From the venue to the rules of use, which read in every language too.
        await page.get_by_role("link", name="Rules for using the spaces").click()
        await page.wait_for_url("**/rules?lang=en")
        assert await page.locator("h1").inner_text() == "Use of spaces for resident activity"
        assert await serious_violations(page) == []
        for name, heading in (("suomi", "Tilojen käyttö asukastoiminnassa"),
                              ("svenska", "Användning av lokaler för invånarverksamhet")):
            await page.get_by_role("link", name=name).click()
            await page.wait_for_load_state()
            assert await page.locator("h1").inner_text() == heading
            assert await serious_violations(page) == []
        assert await page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
