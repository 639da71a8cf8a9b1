"""The public pages as residents use them, in Debian's Chromium on a phone and a desktop,
fi/sv/en, each checked with axe-core (WCAG 2.1 AA): the event page tells all a resident
needs, filters and search find what people type, the annual calendar pages through years,
refusals are pages, and /docs works without a CDN (issue 17)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import icalendar
import pytest

from shared import l10n
from shared.areas import AREAS
from shared.clock import HELSINKI
from tests.axe import DESKTOP, PHONE, serious_violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="seniorit", name="Juankosken seniorit ry")
COMMUNICATIONS = bearer("communications", subject="viestinta")


def _at(day: dt.date, hour: int, hours: int = 2) -> dict[str, str]:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)
    return {"starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=hours)).isoformat()}


async def _publish(http: httpx.AsyncClient, body: dict[str, Any]) -> str:
    created = await http.post("/events", json=body, headers=ORGANISER)
    assert created.status_code == 201, created.text
    event_id: str = created.json()["id"]
    # Without a booking of their own: communications staff publish it (#14).
    published = await http.post(f"/events/{event_id}/publish", headers=COMMUNICATIONS)
    assert published.status_code == 200, published.text
    return event_id


async def test_residents_find_understand_and_can_attend(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    dsn = await fresh_database("events")
    proc = await spawn_service("events", dsn)
    juankoski_library = uuid4()
    conn = await asyncpg.connect(dsn)
    try:  # the booking service's venues, as its events would have brought them
        for code, names in AREAS.items():
            venue_id = juankoski_library if code == "kuopio.juankoski" else uuid4()
            await conn.execute(
                "INSERT INTO venues (venue_id, name, kind, area, municipality, revision)"
                " VALUES ($1, $2, 'library', $3, 'Kuopio', 1)", venue_id,
                json.dumps({"fi": f"{names['fi']} kirjasto", "sv": f"{names['sv']} bibliotek",
                            "en": f"{names['en']} library"}) if code != "kuopio.juankoski"
                else json.dumps({"fi": "Juankosken kirjasto", "sv": "Juankoski bibliotek",
                                 "en": "Juankoski library"}), code)
    finally:
        await conn.close()

    today = dt.datetime.now(HELSINKI).date()
    soon = today + dt.timedelta(days=3)
    busy = (today.replace(day=1) + dt.timedelta(days=70)).replace(day=1)  # a month ahead
    async with httpx.AsyncClient(base_url=proc.url, timeout=30) as http:
        paid = await _publish(http, {
            "name": {"fi": "Digiapu senioreille", "sv": "Digihjälp för seniorer",
                     "en": "Digital help for seniors"},
            "short_description": {"fi": "Apua puhelimen käyttöön."},
            "kind": "digital", "topics": ["digital_skills"], "audiences": ["seniors"],
            "place_kind": "venue", "venue_id": str(juankoski_library),
            "languages": ["fi", "sv"], "price": "5.00", "free": False,
            "registration_required": True, "capacity": 12,
            "accessibility": {"fi": "Esteetön sisäänkäynti, induktiosilmukka",
                              "sv": "Tillgänglig entré, induktionsslinga",
                              "en": "Step-free entrance, induction loop"},
            "organiser_name": "Juankosken seniorit ry", **_at(soon, 10)})
        online = await _publish(http, {
            "name": {"fi": "Kirjoittajapiiri verkossa", "en": "Writers' circle online"},
            "place_kind": "online", "online_url": "https://meet.example/kirjoittajat",
            "area": "kuopio.jynkka", "languages": ["en"], **_at(soon, 18)})
        cancelled = await _publish(http, {
            "name": {"fi": "Neulekahvila", "sv": "Stickcafé", "en": "Knitting café"},
            "place_kind": "outdoors", "place_name": {"fi": "Pyörön puisto"},
            "area": "kuopio.pyoro", **_at(soon, 14)})
        assert (await http.post(f"/events/{cancelled}/cancel", headers=ORGANISER,
                                json={"reason": "Ohjaaja sairastui"})).status_code == 200
        winter = soon + dt.timedelta(days=4)
        all_day = await _publish(http, {
            "name": {"fi": "Talvipäivä", "sv": "Vinterdag", "en": "Winter day"},
            "all_day": True, "place_kind": "outdoors", "place_name": {"fi": "Väinölänniemi"},
            "area": "kuopio.keskusta",
            "starts_at": dt.datetime.combine(winter, dt.time(0), tzinfo=HELSINKI).isoformat(),
            "ends_at": dt.datetime.combine(winter + dt.timedelta(days=1), dt.time(0),
                                           tzinfo=HELSINKI).isoformat()})
        for i in range(9):
            await _publish(http, {"name": {"fi": f"Lukupiiri {i + 1}"}, "topics": ["stories"],
                                  "place_kind": "outdoors",
                                  "place_name": {"fi": "Puisto"}, "area": "kuopio.nilsia",
                                  **_at(busy + dt.timedelta(days=i), 17)})

        ics = await http.get(f"/events/{paid}/event.ics?lang=sv")
        assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
        entry = next(iter(icalendar.Calendar.from_ical(ics.text).walk("VEVENT")))
        assert str(entry["summary"]) == "Digihjälp för seniorer"
        day_ics = await http.get(f"/events/{all_day}/event.ics")
        assert f"DTSTART;VALUE=DATE:{winter:%Y%m%d}" in day_ics.text

        # Search as residents type it: part of a word, a place, an area, without ä.
        async def found(q: str) -> set[str]:
            page = await http.get("/events", params={"q": q, "limit": 100})
            assert page.status_code == 200, page.text
            return {e["id"] for e in page.json()["items"]}

        assert await found("digi") == {paid}
        assert await found("kirjasto") == {paid}          # the venue's name
        assert await found("Juankoski") == {paid}         # the area's name
        assert await found("jynkka") == {online}          # Jynkkä without its ä
        assert await found("pyoron") == {cancelled}        # "Pyörön puisto"
        assert await found("DIGIAPU juankoski") == {paid}
        assert await found("digi pyörö") == set()

    async with launch_chromium(chromium_path) as browser:
        phone = await browser.new_page(viewport=PHONE)
        desktop = await browser.new_page(viewport=DESKTOP)

        async def visit(page: Any, path: str, status: int = 200) -> str:
            response = await page.goto(f"{proc.url}{path}")
            assert response.status == status, (path, response.status)
            assert await serious_violations(page) == [], path
            text: str = await page.locator("body").inner_text()
            # CLDR keeps a number and its unit together with a no-break space ("5,00 €").
            return text.replace("\xa0", " ").replace("\u202f", " ")

        # The paid event: price, registration, places, accessibility, organiser, the way on.
        shown = await visit(phone, f"/events/{paid}/page?lang=fi")
        # With sign-up the free places of all (nobody has signed up yet).
        for expected in ("5,00 €", "Ilmoittaudu ennakkoon", "Vapaita paikkoja", "12 / 12",
                         "Esteetön sisäänkäynti, induktiosilmukka", "Juankosken seniorit ry",
                         "Juankosken kirjasto, Juankoski", "suomi ja ruotsi",
                         "Digitaalinen toiminta", "Lisää kalenteriin", "Takaisin kalenteriin"):
            assert expected in shown, expected
        assert "Maksuton" not in shown and "ei ilmoittautumista" not in shown.lower()
        assert await phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shown = await visit(desktop, f"/events/{paid}/page?lang=sv")
        assert "5,00 €" in shown and "Anmäl dig på förhand" in shown \
            and "Lediga platser" in shown and "12 / 12" in shown
        shown = await visit(desktop, f"/events/{paid}/page?lang=en")
        assert "€5.00" in shown and "Step-free entrance" in shown and "Finnish and Swedish" in shown
        await desktop.click("text=Back to the calendar")
        assert desktop.url.endswith("/calendar?lang=en")

        shown = await visit(desktop, f"/events/{online}/page?lang=en")
        link = desktop.locator("a", has_text="Join online")
        assert await link.get_attribute("href") == "https://meet.example/kirjoittajat"
        assert "Free" in shown and "No advance registration" in shown

        shown = await visit(phone, f"/events/{cancelled}/page?lang=sv")
        assert "Inställt – Orsak: Ohjaaja sairastui" in shown
        assert "Lägg till i kalendern" not in shown

        shown = await visit(phone, f"/events/{all_day}/page?lang=fi")
        assert l10n.day_full(winter, "fi") in shown and "00.00" not in shown
        document = json.loads(await phone.locator(
            "script[type='application/ld+json']").inner_text())
        assert document["startDate"] == winter.isoformat()

        # The calendar's filters, as a resident picks them, and ?kind= / ?language=.
        await visit(desktop, f"/calendar?lang=fi&date={today.isoformat()}")
        options = await desktop.locator("select[name=area] option").all_inner_texts()
        assert {"Jynkkä", "Neulamäki", "Nilsiä", "Pyörö", "Keskusta"} <= set(options)
        await desktop.select_option("select[name=kind]", "digital")
        await desktop.click("form.filters button")
        await desktop.wait_for_load_state()
        assert "kind=digital" in desktop.url
        assert await desktop.locator("ol.events li").all_inner_texts() == [
            await desktop.locator("ol.events li").first.inner_text()]
        assert "Digiapu senioreille" in await desktop.locator("ol.events").inner_text()
        english = await visit(phone, f"/calendar?lang=en&language=en&date={today}")
        assert "Writers' circle online" in english and "Digital help" not in english
        # The list says what the event page does: online, and a paid one's price (CLDR's).
        assert "· online · Jynkkä · free" in english
        accessible = await visit(phone, f"/calendar?lang=sv&accessible=true&date={today}")
        assert "Digihjälp för seniorer" in accessible and "Stickcafé" not in accessible
        assert "Juankoski bibliotek · Juankoski · 5,00 €" in accessible
        listed = await visit(phone, f"/calendar?lang=fi&date={today}")
        assert "Juankosken kirjasto · Juankoski · 5,00 €" in listed
        assert "· verkossa · Jynkkä · maksuton" in listed
        searched = await visit(phone, f"/calendar?lang=fi&q=kirjasto&date={today}")
        assert "Digiapu senioreille" in searched and "Talvipäivä" not in searched
        week = await visit(desktop, f"/calendar?lang=en&view=week&date={winter}")
        assert "all day Winter day" in week and l10n.weekday_day(winter, "en") in week

        # The annual calendar: years, all of a busy month, coming months first on a phone.
        year_page = await visit(phone, f"/calendar/year?lang=fi&year={busy.year}")
        month = phone.locator("section", has=phone.locator(
            "h3", has_text=l10n.month_name(busy.month, "fi")))
        assert "(9 tapahtumaa)" in await month.first.inner_text()
        assert await month.first.locator("li").count() == 8
        await month.first.locator("a", has_text="Kuun 9 tapahtumaa ja sen jälkeiset").click()
        await phone.wait_for_load_state()
        assert await phone.locator("ol.events li", has_text="Lukupiiri").count() == 9
        year_page = await visit(phone, f"/calendar/year?lang=fi&year={today.year}")
        first_month = await phone.locator(".months h3").first.inner_text()
        assert first_month.startswith(l10n.month_name(today.month, "fi")), first_month
        assert "Nilsiä" in year_page or busy.year != today.year
        await phone.click(f"text=Seuraava vuosi {today.year + 1}")
        assert f"year={today.year + 1}" in phone.url
        await phone.click("a[hreflang=sv]")
        assert f"year={today.year + 1}" in phone.url and "lang=sv" in phone.url
        assert "Årshjul" in await phone.locator("h2").first.inner_text()

        # Refusals are pages in the reader's language, with a way on.
        shown = await visit(phone, f"/events/{uuid4()}/page?lang=sv", status=404)
        assert await phone.title() == "Sidan hittades inte" and "Kommande evenemang" in shown
        await visit(desktop, "/events/not-an-id/page?lang=en", status=422)
        # Named by its label, never the programmer's name of the parameter.
        assert await desktop.title() == "Something in the address is wrong"
        assert "Event: " in await desktop.locator("main").inner_text()
        await visit(desktop, "/calendar?lang=fi&date=2027-02-30", status=422)
        assert await desktop.locator("html").get_attribute("lang") == "fi"
        # An area or a term no one knows (a typo, an old link) is named, not read as "all"
        # over an empty list; an area the city names but no activity is in stays chosen.
        for choice in ("area=kuopio.nowhere", "kind=zzz", "topic=zzz", "audience=zzz"):
            await visit(desktop, f"/calendar?lang=fi&{choice}", status=422)
            field = choice.split("=")[0]
            assert await desktop.title() == "Osoitteessa on virhe"
            assert await desktop.locator(f"[data-field={field}]").count() == 1, field
        await visit(desktop, "/calendar?lang=sv&area=kuopio.vehmersalmi")
        assert await desktop.locator("select[name=area] option:checked").inner_text() == (
            "Vehmersalmi")

        # /docs and /redoc with nothing but the service itself reachable.
        contacted: list[str] = []

        async def local_only(route: Any) -> None:
            url = route.request.url
            if url.startswith(proc.url):
                await route.continue_()
            else:
                contacted.append(url)
                await route.abort()

        docs = await browser.new_page(viewport=DESKTOP)
        await docs.route("**/*", local_only)
        await docs.goto(f"{proc.url}/docs")
        await docs.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
        assert "events" in (await docs.locator(".swagger-ui .info .title").inner_text()).lower()
        await docs.goto(f"{proc.url}/redoc")
        await docs.locator("redoc h1, [role=main] h1, h1").first.wait_for(timeout=20_000)
        assert [u for u in contacted if not re.match(r"^(data|blob):", u)] == []


async def test_a_long_compound_wraps_at_320_pixels_and_the_keyboard_can_skip_to_the_content(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    """A tester read "Familjepromenad" cut off on a 320 px screen, the week view 349 px wide,
    and pressed Tab twenty times to reach the first event (WCAG 1.4.10 and 2.4.1)."""
    proc = await spawn_service("events", await fresh_database("events"))
    day = dt.date.today() + dt.timedelta(days=3)
    name = "Lastenkirjastonkuvataidetyöpajaperhepäivä"
    async with httpx.AsyncClient(base_url=proc.url) as http:
        event_id = await _publish(http, {
            "name": {"fi": name, "sv": "Familjepromenadsbildkonstverkstad"},
            "kind": "open_guided", "place_kind": "outdoors", "area": "kuopio.pyoro",
            "place_name": {"fi": "Pyörön uimarannan lähiliikuntapaikka"}, **_at(day, 12)})
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 320, "height": 568})
        for path in (f"/events/{event_id}/page?lang=sv", f"/events/{event_id}/page?lang=fi",
                     f"/calendar?lang=sv&view=week&date={day.isoformat()}",
                     f"/calendar?lang=fi&date={day.isoformat()}", "/calendar/year?lang=fi"):
            await page.goto(f"{proc.url}{path}")
            width = await page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 320, (path, width)
        await page.goto(f"{proc.url}/calendar?lang=fi")
        await page.keyboard.press("Tab")
        assert await page.evaluate("() => document.activeElement.textContent") == \
            "Siirry sisältöön"
        assert await page.evaluate(
            "() => document.activeElement.getBoundingClientRect().left") >= 0  # seen
        await page.keyboard.press("Enter")
        assert page.url.endswith("#main")


#: Large text as a phone's reader sets it: the root's font size doubled, which the pages'
#: rem-sized text follows (as it follows a browser's own font size setting).
LARGE_TEXT = "html { font-size: 200% !important; }"


async def test_the_calendar_fits_a_phone_with_large_text(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    """A tester with 200 % text read a 320 px calendar 463 px wide in Finnish and 612 px in
    Swedish: the filters' selects ("Verksamhetsform") and the search field were as wide as
    their longest option (WCAG 1.4.10). Every view, the event page too, fits the width."""
    proc = await spawn_service("events", await fresh_database("events"))
    day = dt.date.today() + dt.timedelta(days=2)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        event_id = await _publish(http, {
            "name": {"fi": "Senioreiden digiapu", "sv": "Digitalt stöd för seniorer"},
            # A web address in the description is one long word (a tester's page was
            # 1,211 px wide at 200 % text).
            "description": {
                "fi": "Lisää: https://www.kuopio.fi/asukastoiminta/digituki/"
                      "senioreiden-digiapu-jynkan-kirjasto-2026-joulukuu-ohjelma",
                "sv": "Mer: https://www.kuopio.fi/asukastoiminta/digituki/"
                      "digitalt-stod-for-seniorer-jynkka-bibliotek-2026-december"},
            "kind": "open_guided", "place_kind": "outdoors", "area": "kuopio.jynkka",
            "place_name": {"fi": "Jynkän kirjaston edusta"}, "free": True, **_at(day, 12)})
        # A cancelled one whose reason has a long compound (a tester's page was 441 px).
        cancelled_id = await _publish(http, {
            "name": {"fi": "Kuoroilta"}, "kind": "open_guided", "place_kind": "outdoors",
            "area": "kuopio.jynkka", "place_name": {"fi": "Jynkän tori"}, "free": True,
            **_at(day, 18)})
        cancelled = await http.post(f"/events/{cancelled_id}/cancel", headers=ORGANISER,
                                    json={"reason": "Kuoronjohtajansijaisjärjestelyt "
                                                    "epäonnistuivat."})
        assert cancelled.status_code == 200, cancelled.text
    async with launch_chromium(chromium_path) as browser:
        for width in (320, 390, 640):
            page = await browser.new_page(viewport={"width": width, "height": 700})
            for lang in ("fi", "sv"):
                for path in (f"/calendar?lang={lang}",
                             f"/calendar?lang={lang}&view=day&date={day.isoformat()}",
                             f"/calendar?lang={lang}&view=week&date={day.isoformat()}",
                             f"/calendar?lang={lang}&q=digi&area=kuopio.jynkka&free=true",
                             f"/calendar/year?lang={lang}",
                             f"/events/{event_id}/page?lang={lang}",
                             f"/events/{cancelled_id}/page?lang={lang}"):
                    await page.goto(f"{proc.url}{path}")
                    await page.add_style_tag(content=LARGE_TEXT)
                    # The text is large indeed: the body's 17 or 18 px twice.
                    assert await page.evaluate(
                        "parseFloat(getComputedStyle(document.body).fontSize)") >= 34, path
                    scroll = await page.evaluate("document.documentElement.scrollWidth")
                    inner = await page.evaluate("window.innerWidth")
                    wider = await page.evaluate(
                        "[...document.querySelectorAll('body *')].filter(e =>"
                        " e.getBoundingClientRect().right > innerWidth + 1).map(e =>"
                        " e.tagName + ' ' + (e.getAttribute('name') || e.textContent.trim()"
                        ".slice(0, 30)))")
                    assert scroll <= inner, (width, path, scroll, wider)
            await page.close()
