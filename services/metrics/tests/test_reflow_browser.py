"""The metrics' pages fit a 320 px phone with 200 % text (WCAG 1.4.10), in fi, sv and en. A
tester read `/dashboard` 674 px wide (the filters' fieldset grew to its widest select, a
venue named "KANTTI – tiedon ja tarinoiden kortteli, …") and the analysts' answers 443 px in
Finnish and 468 px in Swedish (the h1 "Palautekyselyn vastaukset" did not break). Every page
a person reads here is checked: the dashboard (a venue chosen too), the yearly report, the
analysts' sign-in, their answers, the sign-in's 401 page, a filter's 422 page and the
feedback survey. Its text is 200 % (the body's font is relative, so it grows), nothing is
wider than the screen, and axe-core finds nothing serious (`tests.axe`). Chromium, against
the service on PostgreSQL (the pages from its own answers)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers
from services.metrics.app import spec
from shared.contracts import (
    ActivityEventPublished,
    AttendanceReported,
    LocalizedText,
    VenueRegistered,
    VocabularyTermSet,
)
from tests.axe import NARROW, NO_SIDEWAYS, passes_at_every_width
from tests.infra import bearer

pytestmark = pytest.mark.infra

LANGS = ("fi", "sv", "en")
BROWSER = {"Accept": "text/html"}
ANALYST = bearer("analyst", subject="analyytikko")
LARGE_TEXT = "html { font-size: 200% !important; }"
#: The longest venue name of the city's seed, as the tester's select had it.
KANTTI = "KANTTI – tiedon ja tarinoiden kortteli, Kuopion keskustan kirjasto"
#: What is wider than the screen: said in a failure.
WIDER = ("[...document.querySelectorAll('body *')].filter(e =>"
         " e.getBoundingClientRect().right > innerWidth + 1).map(e =>"
         " e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width)"
         " + ' ' + e.textContent.trim().slice(0, 40))")
#: Within the table's own scrolling region (a data table may scroll there, 1.4.10).
IN_SCROLLER = "e => !!e.closest('.scroll')"


async def _fits(page: Any, html: str, what: str) -> None:
    """`html` at 320 px with 200 % text: no sideways scroll, nothing wider than the screen
    outside a table's scrolling region; axe-clean at a phone's and a desktop's width."""
    await page.set_viewport_size(NARROW)
    await page.set_content(html)
    await page.add_style_tag(content=LARGE_TEXT)
    assert await page.evaluate(
        "parseFloat(getComputedStyle(document.body).fontSize)") >= 32, what
    width = await page.evaluate("document.documentElement.scrollWidth")
    wider = [w for w in await page.evaluate(WIDER)]
    assert width <= NARROW["width"] and await page.evaluate(NO_SIDEWAYS), (what, width, wider)
    outside = await page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll') &&"
        " e.getBoundingClientRect().right > innerWidth + 1).length")
    assert outside == 0, (what, wider)
    await passes_at_every_width(page, f"{what} at 200 %")


async def _seed(pool: Any) -> tuple[str, str]:
    """A venue with the seed's longest name, an activity there with a topic, its attendance
    and the kinds' and topics' words: the filters' selects as long as the city's. Returns
    the venue's and the activity's ids."""
    venue_id, event_id = uuid4(), uuid4()
    start = (datetime.now(UTC) - timedelta(days=2)).replace(hour=10, minute=0, second=0,
                                                             microsecond=0)
    venue = VenueRegistered(venue_id=venue_id, name=LocalizedText(fi=KANTTI), kind="library",
                            area="kuopio.keskusta", municipality="Kuopio")
    activity = ActivityEventPublished(
        event_id=event_id, revision=1, venue_id=venue_id, area="kuopio.keskusta",
        kind="open_guided", topics=["digital_skills"], starts_at=start,
        ends_at=start + timedelta(hours=2), name=LocalizedText(
            fi="Digitaitojen perusteet – tietokoneen ja älypuhelimen käyttö"))
    attended = AttendanceReported(event_id=event_id, report_revision=1, participants=12,
                                  visitors=0, starts_at=start, ends_at=activity.ends_at,
                                  area="kuopio.keskusta", kind="open_guided")
    words = [VocabularyTermSet(scheme="topic", code="digital_skills", revision=1, label=(
                 LocalizedText(fi="Digitaidot ja tietoyhteiskuntataidot",
                               sv="Digitala färdigheter och informationssamhällets färdigheter",
                               en="Digital skills and information society skills"))),
             VocabularyTermSet(scheme="kind", code="open_guided", revision=1, label=(
                 LocalizedText(fi="Avoin ohjattu toiminta", sv="Öppen handledd verksamhet",
                               en="Open guided activity")))]
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_venue(conn, venue, venue.to_envelope())
        await handlers.on_activity_event(conn, activity, activity.to_envelope())
        await handlers.on_attendance(conn, attended, attended.to_envelope())
        for term in words:
            await handlers.on_vocabulary_term(conn, term, term.to_envelope())
    return str(venue_id), str(event_id)


async def test_every_metrics_page_fits_a_phone_with_200_percent_text(
        start_service: Any, chromium: Any) -> None:
    client = await start_service(spec)
    venue_id, event_id = await _seed(client.runtime.pool)
    # An answer to the survey, so the analysts' page shows its table.
    given = await client.post(f"/feedback/{event_id}?lang=fi", data={
        "satisfaction": "5", "wellbeing": "yes", "comment": "Erinomainen opastus, kiitos!"})
    assert given.status_code == 201, given.text
    year = datetime.now(UTC).year
    page = await chromium.new_page()
    for lang in LANGS:
        pages = {
            "dashboard": ("/dashboard", {}, {}),
            "dashboard, a venue chosen": ("/dashboard", {"venue_id": venue_id}, {}),
            "yearly report": (f"/report/{year}", {}, {}),
            "sign-in": ("/analysts/login", {}, {}),
            "answers": ("/analysts/answers", {}, ANALYST),
            "answers, signed out (401)": ("/analysts/answers", {}, {}),
            "a filter refused (422)": ("/dashboard", {"from": "2026-12-10",
                                                      "to": "2026-12-01"}, {}),
            "feedback survey": (f"/feedback/{event_id}", {}, {}),
        }
        for what, (path, params, headers) in pages.items():
            answer = await client.get(path, params={"lang": lang, **params},
                                      headers={**BROWSER, **headers})
            assert answer.status_code in (200, 401, 422), (what, lang, answer.status_code)
            assert f'<html lang="{lang}">' in answer.text.replace("'", '"'), (what, lang)
            if what.startswith("dashboard"):
                assert KANTTI in unescape(answer.text), lang
            if what == "answers":
                assert "Erinomainen opastus" in answer.text, lang
            await _fits(page, answer.text, f"{what} {lang}")
        # The answers' long Finnish and Swedish title breaks within the screen.
        answers = (await client.get("/analysts/answers", params={"lang": lang},
                                    headers={**BROWSER, **ANALYST})).text
        title = re.search(r"<h1>([^<]*)</h1>", answers)
        assert title and title.group(1) == {"fi": "Palautekyselyn vastaukset",
                                            "sv": "Svar på responsenkäten",
                                            "en": "Feedback survey answers"}[lang]


#: Each chart's caption, its first label and its first figure: their rendered heights.
CHART_TEXT = ("[...document.querySelectorAll('figure.chart')].flatMap(f =>"
              " ['figcaption', '.label', '.value'].map(s =>"
              " f.querySelector(s).getBoundingClientRect().height))")


async def test_the_charts_text_grows_with_the_readers_text_size(
        start_service: Any, chromium: Any) -> None:
    """WCAG 1.4.4: the charts' words and figures follow the reader's text size, as the rest
    of the page does. Drawn as SVG text in a viewBox they stayed 13 px at any text size (and
    6 px at 320 px). Grown both ways a reader grows text: the page's CSS at 200 % (as the
    reflow test above) and the browser's default font size (Chromium's setting, through the
    DevTools protocol); the charts keep their names and fit 320 px."""
    client = await start_service(spec)
    await _seed(client.runtime.pool)
    names = {"fi": ("Toteutuneet toimintatunnit", "Osallistujat", "Asiakastyytyväisyys"),
             "sv": ("Genomförda verksamhetstimmar", "Deltagare", "Kundnöjdhet"),
             "en": ("Realised activity hours", "Participants", "Customer satisfaction")}
    for lang in LANGS:
        for path in ("/dashboard", f"/report/{datetime.now(UTC).year}"):
            html = (await client.get(path, params={"lang": lang}, headers=BROWSER)).text
            page = await chromium.new_page(viewport={"width": 1280, "height": 800})
            await page.set_content(html)
            usual = await page.evaluate(CHART_TEXT)
            assert len(usual) == 9 and min(usual) >= 14, (lang, path, usual)
            # Each chart is a figure named by its caption (the title it had as an image).
            for name in names[lang]:
                assert await page.get_by_role("figure", name=re.compile(name)).count() == 1, (
                    lang, path, name)
            await page.add_style_tag(content=LARGE_TEXT)
            larger = await page.evaluate(CHART_TEXT)
            assert all(big >= 1.8 * small for big, small in zip(larger, usual, strict=True)), (
                lang, path, usual, larger)
            # On a phone at 200 % they are as large, not shrunk to the screen, and fit it.
            await page.set_viewport_size(NARROW)
            phone = await page.evaluate(CHART_TEXT)
            assert min(phone) >= 1.8 * min(usual), (lang, path, usual, phone)
            assert await page.evaluate(NO_SIDEWAYS), (lang, path)
            await page.close()
            # The browser's own text size (Settings › Font size), no CSS of the page's.
            page = await chromium.new_page(viewport={"width": 1280, "height": 800})
            devtools = await page.context.new_cdp_session(page)
            await devtools.send("Page.setFontSizes", {"fontSizes": {"standard": 32}})
            await page.set_content(html)
            chosen = await page.evaluate(CHART_TEXT)
            assert all(big >= 1.8 * small for big, small in zip(chosen, usual, strict=True)), (
                lang, path, usual, chosen)
            await page.close()
