"""The analysts' page of the feedback survey's answers (`/analysts/answers`): residents'
answers given on the survey form, read back in fi/sv/en with the city's area names and the
reader's dates and numbers; a comment is text, never markup; the public and other roles get
a page saying so (401, 403), never JSON; a filter the page does not take is a page naming it.
The same filters, bounds and CSV as `GET /feedback/answers`. In Chromium with axe-core
(WCAG 2.1 AA) on a phone and a desktop."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import httpx
import pytest

from services.metrics.app import spec
from services.metrics.tests.test_handlers import apply
from shared import l10n
from shared.clock import HELSINKI, FixedClock
from shared.contracts import ActivityEventPublished, AttendanceReported, LocalizedText
from tests.axe import DESKTOP, PHONE, serious_violations
from tests.infra import bearer, eventually, launch_chromium, produce

pytestmark = pytest.mark.infra

PAGE = "/analysts/answers"
BROWSER = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
ANALYST = bearer("analyst", subject="analyytikko")
#: December 2026: Jynkkä's craft club on the 3rd, Neulamäki's choir on the 10th.
CRAFTS = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
CHOIR = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
SCRIPT = '<script>alert("x")</script> & <b>kiitos</b>'


def _text(html: str) -> str:
    """A page's words as a reader sees them: tags out, entities read, spaces plain."""
    words = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", words.replace("\xa0", " ").replace("\u202f", " "))


async def _answered(client: Any) -> dict[str, UUID]:
    """Two activities and three residents' answers, given on the survey form itself (the
    use case the survey runs, on the real database)."""
    pool = client.runtime.pool
    ids = {"crafts": uuid4(), "choir": uuid4()}
    for key, start, area, name in (
            ("crafts", CRAFTS, "kuopio.jynkka",
             LocalizedText(fi="Käsityökerho", sv="Hantverksklubb", en="Craft club")),
            ("choir", CHOIR, "kuopio.neulamaki", LocalizedText(fi="Neulamäen kuoro"))):
        await apply(pool, ActivityEventPublished(
            event_id=ids[key], revision=1, name=name, kind="open_guided", area=area,
            organiser_id=uuid4(), starts_at=start, ends_at=start + timedelta(hours=2)))
    for key, start, lang, form in (
            ("crafts", CRAFTS, "fi", {"satisfaction": "5", "wellbeing": "yes",
                                      "comment": SCRIPT, "age_group": "65_plus"}),
            ("crafts", CRAFTS, "sv", {"satisfaction": "4", "wellbeing": "unsure",
                                      "comment": "Trevligt!\nMer sånt.",
                                      "age_group": "18_29"}),
            ("choir", CHOIR, "en", {"satisfaction": "3", "wellbeing": "no"})):
        client.runtime.clock = FixedClock(start + timedelta(hours=3))
        client.cookies.clear()  # another resident's browser
        given = await client.post(f"/feedback/{ids[key]}?lang={lang}", data=form)
        assert given.status_code == 201, given.text
    client.cookies.clear()
    return ids


async def test_analysts_read_the_answers_in_their_language(start_service: Any) -> None:
    client = await start_service(spec)
    await _answered(client)
    expected = {
        "fi": ["Palautekyselyn vastaukset", "Käsityökerho", "Neulamäen kuoro", "Jynkkä",
               "Neulamäki", "joulukuu 2026", "3.12.2026", "10.12.2026", "kyllä",
               "ei osaa sanoa", "65 tai yli", "18–29", "ei kerrottu", "suomi", "ruotsi",
               "englanti", "Vastaukset 1–3, yhteensä 3", "Kuukaudet: kaikki"],
        "sv": ["Svar på responsenkäten", "Hantverksklubb", "Neulamäen kuoro", "Jynkkä",
               "Neulamäki", "december 2026", "3 dec. 2026", "ja", "vet inte", "65 eller äldre",
               "inte angivet", "finska", "svenska", "Svar 1–3 av 3"],
        "en": ["Feedback survey answers", "Craft club", "Neulamäen kuoro", "Jynkkä",
               "December 2026", "3 Dec 2026", "10 Dec 2026", "yes", "not sure",
               "65 or over", "not given", "Finnish", "Swedish", "English",
               "Answers 1–3 of 3"],
    }
    for lang, words in expected.items():
        page = await client.get(PAGE, params={"lang": lang}, headers={**BROWSER, **ANALYST})
        assert page.status_code == 200, page.text
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-store"
        assert f'<html lang="{lang}">' in page.text
        shown = _text(page.text)
        for word in words:
            assert word in shown, (lang, word, shown)
        assert "kuopio." not in shown and "65_plus" not in shown
    # The Swedish resident's comment keeps its lines and is marked as Swedish on a Finnish
    # page; the choir has no Swedish name, so its Finnish one is marked as Finnish.
    finnish = (await client.get(PAGE, headers={**BROWSER, **ANALYST})).text
    assert '<td class="comment" lang="sv">Trevligt!\nMer sånt.</td>' in finnish
    swedish = (await client.get(PAGE, params={"lang": "sv"},
                                headers={**BROWSER, **ANALYST})).text
    assert '<td lang="fi">Neulamäen kuoro</td>' in swedish
    # Without `?lang=`: the language cookie, else the browser's Accept-Language.
    for headers, cookie, lang in (({"Accept-Language": "sv-FI,sv;q=0.9"}, None, "sv"),
                                  ({"Accept-Language": "sv"}, "en", "en"),
                                  ({}, None, "fi")):
        client.cookies.clear()
        if cookie:
            client.cookies.set("kohtaamo_lang", cookie)
        page = await client.get(PAGE, headers={**BROWSER, **ANALYST, **headers})
        assert f'<html lang="{lang}">' in page.text, (headers, cookie)
    client.cookies.clear()

    # The JSON API's filters: an area, whole months, a page of answers at a time.
    jynkka = _text((await client.get(PAGE, headers={**BROWSER, **ANALYST}, params={
        "area": "kuopio.jynkka", "lang": "fi"})).text)
    assert "Käsityökerho" in jynkka and "Neulamäen kuoro" not in jynkka
    assert "Vastaukset 1–2, yhteensä 2" in jynkka
    months = _text((await client.get(PAGE, headers={**BROWSER, **ANALYST}, params={
        "from": "2026-11-15", "to": "2027-01-01", "lang": "en"})).text)
    assert "Months: November – December 2026" in months and "Answers 1–3 of 3" in months
    later = _text((await client.get(PAGE, headers={**BROWSER, **ANALYST}, params={
        "from": "2027-01-01", "lang": "en"})).text)
    assert "No answers match these filters." in later and "Months: January 2027 –" in later
    # The form's empty fields are no filters.
    blank = await client.get(PAGE, headers={**BROWSER, **ANALYST}, params={
        "area": "", "from": "", "to": "", "limit": "100", "lang": "en"})
    assert blank.status_code == 200 and "Answers 1–3 of 3" in _text(blank.text)

    first = (await client.get(PAGE, headers={**BROWSER, **ANALYST},
                              params={"limit": "2", "lang": "en"})).text
    assert "Answers 1–2 of 3" in _text(first) and 'rel="prev"' not in first
    following = re.search(r'<a href="([^"]+)" rel="next">Next answers</a>', first)
    assert following, first
    second = (await client.get(unescape(following.group(1)),
                               headers={**BROWSER, **ANALYST})).text
    assert "Answers 3–3 of 3" in _text(second) and "Neulamäen kuoro" in _text(second)
    assert 'rel="next"' not in second and 'rel="prev"' in second
    past = await client.get(PAGE, headers={**BROWSER, **ANALYST},
                            params={"offset": "30", "lang": "en"})
    assert "There are no more answers on this page." in _text(past.text)

    # The CSV link downloads what the page shows, with the same filters: the API's file.
    page = (await client.get(PAGE, headers={**BROWSER, **ANALYST},
                             params={"area": "kuopio.jynkka", "limit": "50"})).text
    link = unescape(re.search(r'<a href="([^"]+)">Lataa nämä vastaukset', page).group(1))
    assert parse_qs(urlsplit(link).query) == {"area": ["kuopio.jynkka"], "limit": ["50"],
                                              "format": ["csv"]}
    sheet = await client.get(link, headers=ANALYST)
    assert sheet.headers["content-type"].startswith("text/csv")
    assert sheet.headers["content-disposition"] == \
        'attachment; filename="kohtaamo-feedback.csv"'
    api = await client.get("/feedback/answers", headers=ANALYST,
                           params={"area": "kuopio.jynkka", "limit": "50", "format": "csv"})
    assert sheet.text == api.text
    rows = list(csv.DictReader(io.StringIO(sheet.text)))
    assert sorted((r["name_fi"], r["satisfaction"], r["age_group"]) for r in rows) == [
        ("Käsityökerho", "4", "18_29"), ("Käsityökerho", "5", "65_plus")]


async def test_a_comment_is_shown_as_text_never_as_markup(start_service: Any) -> None:
    client = await start_service(spec)
    await _answered(client)
    page = await client.get(PAGE, params={"lang": "fi"}, headers={**BROWSER, **ANALYST})
    assert page.status_code == 200
    assert "<script>" not in page.text and "<b>kiitos" not in page.text
    assert ("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;kiitos&lt;/b&gt;"
            in page.text)
    assert SCRIPT in _text(page.text)  # what the resident wrote, as they wrote it
    sheet = await client.get(PAGE, params={"format": "csv"}, headers=ANALYST)
    assert SCRIPT in [r["comment"] for r in csv.DictReader(io.StringIO(sheet.text))]


async def test_the_public_and_other_roles_get_a_page_saying_so(start_service: Any) -> None:
    client = await start_service(spec)
    await _answered(client)
    # Signed out: 401 as a page in the reader's language, leading to the sign-in form and
    # back to the answers asked for; nothing of the answers.
    for query, headers, lang, title in (
            ({"lang": "fi", "area": "kuopio.jynkka"}, {}, "fi", "Kirjaudu ensin sisään"),
            ({}, {"Accept-Language": "sv-FI,sv"}, "sv", "Logga in först"),
            ({"lang": "en", "format": "csv"}, {}, "en", "Please sign in first")):
        page = await client.get(PAGE, params=query, headers={**BROWSER, **headers})
        assert page.status_code == 401, page.text
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-store"
        assert f'<html lang="{lang}">' in page.text and title in page.text
        assert "Käsityökerho" not in page.text and SCRIPT not in _text(page.text)
        sign_in = unescape(re.search(r'<a href="(/analysts/login[^"]+)"', page.text).group(1))
        assert parse_qs(urlsplit(sign_in).query)["lang"] == [lang]
        assert (await client.get(sign_in, headers=BROWSER)).status_code == 200
    # Signed in without the analyst's role: 403, said as a page.
    for role, lang, title in (("organiser", "fi", "Sinulla ei ole oikeutta tähän"),
                              ("desk", "sv", "Du har inte behörighet till detta"),
                              ("communications", "en", "You are not allowed to do this")):
        page = await client.get(PAGE, params={"lang": lang},
                                headers={**BROWSER, **bearer(role)})
        assert page.status_code == 403, (role, page.text)
        assert page.headers["content-type"].startswith("text/html")
        assert f'<html lang="{lang}">' in page.text and title in page.text
        assert "Käsityökerho" not in page.text
    # An API client keeps its JSON refusal.
    assert (await client.get("/feedback/answers")).json()["detail"] == "sign in first"

    # The page's own sign-in: an organiser's token is refused there, an analyst's opens a
    # session under /analysts only; signing out ends it.
    organiser = bearer("organiser")["Authorization"].removeprefix("Bearer ")
    refused = await client.post("/analysts/login?lang=en", data={"token": organiser})
    assert refused.status_code == 403 and "no access to this page" in refused.text
    token = ANALYST["Authorization"].removeprefix("Bearer ")
    signed_in = await client.post(f"/analysts/login?lang=sv&next={PAGE}%3Farea%3Dkuopio.jynkka",
                                  data={"token": token})
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == f"{PAGE}?area=kuopio.jynkka&lang=sv"
    assert "Path=/analysts" in signed_in.headers["set-cookie"]
    page = await client.get(signed_in.headers["location"], headers=BROWSER)
    assert page.status_code == 200 and "Hantverksklubb" in page.text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    out = await client.post("/analysts/logout?lang=sv", data={"csrf": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/analysts/login?lang=sv"
    client.cookies.clear()
    assert (await client.get(PAGE, headers=BROWSER)).status_code == 401


async def test_a_token_too_long_to_be_one_is_said_so(start_service: Any) -> None:
    """A tester pasted 10,000 characters into the sign-in and read "Ange inloggningstoken."
    (give the token) as if the field were empty: it says the text is too long to be a
    token, in the page's language; an empty one is still asked for."""
    client = await start_service(spec)
    pasted = "x" * 10_000
    for lang, too_long, empty in (
            ("fi", "Tämä ei ole kirjautumistunniste: se on liian pitkä (enintään 8 000 merkkiä)",
             "Anna kirjautumistunniste."),
            ("sv", "Det här är ingen inloggningstoken: den är för lång (högst 8 000 tecken)",
             "Ange inloggningstoken."),
            ("en", "This is not a sign-in token: it is too long (at most 8,000 characters)",
             "Give the sign-in token.")):
        refused = await client.post(f"/analysts/login?lang={lang}", data={"token": pasted})
        assert refused.status_code == 422, refused.text[:300]
        assert f"<html lang='{lang}'>" in refused.text
        said = _text(refused.text)
        assert too_long in said and empty not in said, said
        assert "kohtaamo_metrics_session" not in refused.headers.get("set-cookie", "")
        for blank in ("", "   "):
            asked = await client.post(f"/analysts/login?lang={lang}", data={"token": blank})
            assert asked.status_code == 422 and empty in _text(asked.text), blank
    # A token of the longest kept length is read as one (here: not valid), not as too long.
    at_most = await client.post("/analysts/login?lang=en", data={"token": "x" * 8000})
    assert at_most.status_code == 401 and "not valid" in at_most.text


async def test_a_bad_filter_is_a_page_naming_it(start_service: Any) -> None:
    client = await start_service(spec)
    await _answered(client)
    for query, field in (({"from": "2026-02-30"}, "from"), ({"to": "not-a-day"}, "to"),
                         ({"from": "1900-01-01"}, "from"),
                         ({"from": "2026-12-01", "to": "2026-11-01"}, "to"),
                         ({"area": "x" * 20_000}, "area"), ({"area": "a\x00b"}, "area"),
                         ({"limit": "0"}, "limit"), ({"limit": "5000"}, "limit"),
                         ({"offset": "-1"}, "offset"), ({"offset": "99999999999999"}, "offset"),
                         ({"format": "pdf"}, "format"), ({"lang": "de"}, "lang")):
        for headers in (ANALYST, {}):  # signed in or not: the address is wrong either way
            page = await client.get(PAGE, params={"lang": "sv", **query},
                                    headers={**BROWSER, **headers})
            assert 400 <= page.status_code < 500, (query, page.status_code)
            if field != "to" or "from" not in query:
                assert page.status_code == 422, (query, page.status_code)
            if page.status_code == 422 and "from" in query and "to" in query:
                # An end before the start: the rule names both inputs by their labels, no
                # "Slutar före: kontrollera detta" below it.
                said = _text(page.text)
                assert "Slutar före (2026-11-01) är före Från och med (2026-12-01)" in said
                assert "kontrollera detta" not in said and "data-field" not in page.text
            elif page.status_code == 422:
                assert page.headers["content-type"].startswith("text/html"), query
                assert f'data-field="{field}"' in page.text, (query, page.text)
                assert "<code>" not in page.text, (query, page.text)
            if field != "lang":
                assert '<html lang="sv">' in page.text, query
            if field == "limit":  # by the form's own label, its bounds as Swedish writes them
                assert "Svar per sida: ange ett tal mellan 1 och 1\u00a0000" in page.text, (
                    page.text)


async def test_an_analyst_reads_filters_and_downloads_in_chromium(
    chromium_path: str, spawn_service: Any, fresh_database: Any, infra: Any,
    topic_prefix: str,
) -> None:
    """Signed out to signed in on the page's own form, the answers on a phone and a desktop
    in Finnish and Swedish, an area chosen in the form, the CSV downloaded: axe-core finds
    nothing serious on any page on the way."""
    proc = await spawn_service("metrics", await fresh_database("metrics"))
    event_id = uuid4()
    start = (datetime.now(UTC) - timedelta(days=2)).replace(hour=15, minute=0, second=0,
                                                             microsecond=0)
    await produce(infra.kafka_bootstrap, topic_prefix + "events.v1", [
        ActivityEventPublished(
            event_id=event_id, revision=1, kind="open_guided", area="kuopio.pyoro",
            organiser_id=uuid4(), starts_at=start, ends_at=start + timedelta(hours=2),
            name=LocalizedText(fi="Pyörön lukupiiri", sv="Läsecirkel i Pyörö")),
        AttendanceReported(event_id=event_id, report_revision=1, participants=8, visitors=0,
                           starts_at=start, ends_at=start + timedelta(hours=2),
                           area="kuopio.pyoro", kind="open_guided")])
    async with httpx.AsyncClient(base_url=proc.url, timeout=30) as http:
        async def known() -> bool:
            return (await http.get(f"/feedback/{event_id}")).status_code == 200
        await eventually(known)
        for comment, satisfaction in ((SCRIPT, "5"), ("Hyvä kirja, mukava porukka.", "4")):
            http.cookies.clear()
            given = await http.post(f"/feedback/{event_id}?lang=fi", data={
                "satisfaction": satisfaction, "wellbeing": "yes", "comment": comment})
            assert given.status_code == 201, given.text
    month = start.astimezone(HELSINKI).date().replace(day=1)
    fi_month = l10n.month_name(month.month, "fi").lower()

    async with launch_chromium(chromium_path) as browser:
        for viewport in (PHONE, DESKTOP):
            context = await browser.new_context(viewport=viewport, accept_downloads=True)
            page = await context.new_page()

            async def checked(page: Any = page, viewport: dict[str, int] = viewport) -> str:
                """The page as a person reads it, after axe-core found nothing serious on
                it and nothing wider than the screen."""
                assert await serious_violations(page) == [], (page.url, viewport)
                width = await page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], (page.url, width)
                text: str = await page.locator("body").inner_text()
                return text.replace("\xa0", " ").replace("\u202f", " ")

            answer = await page.goto(f"{proc.url}{PAGE}?lang=fi")
            assert answer is not None and answer.status == 401
            assert "Kirjaudu ensin sisään" in await checked()
            await page.get_by_role("link", name="Kirjaudu sisään").click()
            await page.wait_for_url("**/analysts/login**")
            await checked()
            await page.fill("input[name=token]", ANALYST["Authorization"][7:])
            await page.get_by_role("button", name="Kirjaudu").click()
            await page.wait_for_url(f"**{PAGE}**")
            shown = await checked()
            assert "Pyörön lukupiiri" in shown and "Pyörö" in shown
            assert f"{fi_month} {month.year}" in shown
            # The comment is the resident's text on the screen, no script ran or was made.
            assert SCRIPT in shown
            assert await page.locator("td.comment script, td.comment b").count() == 0

            # Filter by an area in the form: Pyörö's answers stay, Jynkkä has none.
            await page.get_by_label("Alue").select_option(label="Jynkkä")
            await page.get_by_role("button", name="Näytä").click()
            await page.wait_for_url("**area=kuopio.jynkka**")
            assert "Näillä rajauksilla ei ole vastauksia." in await checked()
            await page.get_by_label("Alue").select_option(label="Pyörö")
            await page.get_by_role("button", name="Näytä").click()
            await page.wait_for_url("**area=kuopio.pyoro**")
            assert "Vastaukset 1–2, yhteensä 2" in await checked()

            async with page.expect_download() as downloading:
                await page.get_by_role("link", name="Lataa nämä vastaukset (CSV)").click()
            download = await downloading.value
            assert download.suggested_filename == "kohtaamo-feedback.csv"
            saved = await download.path()
            rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
            assert sorted(r["satisfaction"] for r in rows) == ["4", "5"]
            assert {r["area"] for r in rows} == {"kuopio.pyoro"}

            # In Swedish, the filter kept.
            await page.get_by_role("link", name="svenska").click()
            await page.wait_for_url("**lang=sv**")
            swedish = await checked()
            assert "Läsecirkel i Pyörö" in swedish and "Svar 1–2 av 2" in swedish
            assert await page.locator("html").get_attribute("lang") == "sv"
            await page.get_by_role("button", name="Logga ut").click()
            await page.wait_for_url("**/analysts/login**")
            await context.close()
