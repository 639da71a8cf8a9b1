"""The metrics service's public pages as residents and staff read them (issue 17): the
feedback survey on a library's shared Wi-Fi, naming its activity, its QR code; the dashboard
and report on a 1,280 px screen with area names, Finnish numbers and definitions in the
reader's language; refusals as pages. Chromium with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.metrics import report, usecases
from services.metrics.domain import INDICATORS, LANGUAGES, FeedbackPolicy
from services.metrics.tests.test_usecases import World, answer, published
from shared import l10n
from shared.clock import HELSINKI
from shared.contracts import ActivityEventPublished, AttendanceReported, LocalizedText
from shared.identity import PUBLIC
from tests.axe import DESKTOP, PHONE, serious_violations
from tests.infra import bearer, eventually, launch_chromium, produce

ATTENDANCE_TOPIC = "events.v1"


@pytest.mark.unit
async def test_a_full_library_on_one_wifi_answers_one_each() -> None:
    """A library's Wi-Fi is one address: 200 residents at one activity each answer once
    (the old limit of 60 an hour per address refused the 61st resident's first answer)."""
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id))
    w.clock.set(w.clock.now() + timedelta(hours=3))  # after the activity, as answers are
    policy = FeedbackPolicy(key=b"k")
    for i in range(200):
        assert await usecases.give_feedback(w.uow, w.clock, PUBLIC,
                                            answer(event_id, f"browser-{i}"), policy)
    assert not await usecases.give_feedback(w.uow, w.clock, PUBLIC,
                                            answer(event_id, "browser-7"), policy)


@pytest.mark.unit
async def test_the_survey_knows_the_activitys_name() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id))
    survey = await usecases.feedback_survey(w.uow, w.clock, PUBLIC, event_id)
    assert survey.name["fi"] == published(event_id).name.fi


@pytest.mark.unit
async def test_the_survey_knows_whether_it_takes_answers_now() -> None:
    """The form is offered only while answers are kept: not before the end, nor after."""
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id))
    fact = (await usecases.feedback_survey(w.uow, w.clock, PUBLIC, event_id)).fact
    for at, window in ((fact.ends_at - timedelta(minutes=1), "early"),
                       (fact.ends_at, None), (fact.ends_at + timedelta(days=13), None),
                       (fact.ends_at + timedelta(days=15), "closed")):
        w.clock.set(at)
        survey = await usecases.feedback_survey(w.uow, w.clock, PUBLIC, event_id, 14)
        assert survey.window == window, at


@pytest.mark.unit
def test_definitions_units_and_sources_speak_the_readers_language() -> None:
    for indicator in INDICATORS:
        english = report.definition(indicator, "en")
        assert english["formula"] == indicator.formula
        for lang in ("fi", "sv"):
            words = report.definition(indicator, lang)
            assert words["formula"] != indicator.formula, (indicator.code, lang)
            assert words["unit"] != indicator.unit or indicator.unit == "evenemang"
            assert "fi.kohtaamo" not in words["sources"]
    assert report._MONTHS["fi"].split()[0] == "tammi"
    assert tuple(report._MONTHS) == LANGUAGES


@pytest.mark.unit
def test_pdf_headers_break_between_words_only() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    header = ["Alue", "Asukkaita", *[i.name["fi"] for i in INDICATORS]]
    rows = [["Neulamäki", "8 000", *["1 234,56"] * len(INDICATORS)]] * 11
    size, widths = report.pdf_columns(header, rows, 770)
    assert sum(widths) <= 770
    for title, width in zip(header, widths, strict=True):
        longest = max(stringWidth(w, "Helvetica-Bold", size) for w in title.split())
        assert longest + 6 <= width, title  # the cell's padding is 6 points


@pytest.mark.infra
async def test_survey_dashboard_and_report_in_a_browser(
    chromium_path: str, spawn_service, fresh_database, infra, topic_prefix: str
) -> None:
    proc = await spawn_service("metrics", await fresh_database("metrics"),
                               env={"KOHTAAMO_FEEDBACK_HOURLY_LIMIT": "3"})
    event_id, coming_id = uuid4(), uuid4()
    start = (datetime.now(UTC) - timedelta(days=2)).replace(hour=15, minute=0, second=0,
                                                             microsecond=0)
    tomorrow = start + timedelta(days=3)
    common: dict[str, Any] = {
        "event_id": event_id, "kind": "digital", "area": "kuopio.jynkka",
        "organiser_id": uuid4(), "topics": ["digital_skills"], "starts_at": start,
        "ends_at": start + timedelta(hours=2)}
    await produce(infra.kafka_bootstrap, topic_prefix + ATTENDANCE_TOPIC, [
        ActivityEventPublished(**common, revision=1, name=LocalizedText(
            fi="Digiapu Jynkässä", sv="Digihjälp i Jynkkä", en="Digital help in Jynkkä")),
        AttendanceReported(event_id=event_id, report_revision=1, participants=1234,
                           visitors=5, starts_at=start, ends_at=start + timedelta(hours=2),
                           area="kuopio.jynkka", kind="digital"),
        # Tomorrow's: its poster is up already, its survey not open yet.
        ActivityEventPublished(**{**common, "event_id": coming_id, "starts_at": tomorrow,
                                  "ends_at": tomorrow + timedelta(hours=2)}, revision=1,
                               name=LocalizedText(fi="Novellipiiri", sv="Novellcirkel"))])
    async with httpx.AsyncClient(base_url=proc.url, timeout=30) as http:
        async def known() -> bool:
            return all([(await http.get(f"/feedback/{e}")).status_code == 200
                        for e in (event_id, coming_id)])
        await eventually(known)
        analyst = bearer("analyst", subject="analyytikko")
        assert (await http.put("/areas/kuopio.jynkka/population", headers=analyst,
                               json={"population": 7000, "year": 2025})).status_code == 200

    async with launch_chromium(chromium_path) as browser:
        phone = await browser.new_page(viewport=PHONE)
        desktop = await browser.new_page(viewport=DESKTOP)

        async def visit(page: Any, path: str, status: int = 200) -> str:
            response = await page.goto(f"{proc.url}{path}")
            assert response.status == status, (path, response.status)
            assert await serious_violations(page) == [], path
            text: str = await page.locator("body").inner_text()
            return text.replace("\xa0", " ").replace("\u202f", " ")

        # The survey says what it asks about, in each language.
        for lang, name in (("fi", "Digiapu Jynkässä"), ("sv", "Digihjälp i Jynkkä"),
                           ("en", "Digital help in Jynkkä")):
            when = l10n.day_full(start.astimezone(HELSINKI).date(), lang)
            shown = await visit(phone, f"/feedback/{event_id}?lang={lang}")
            assert f"{name}, {when}" in shown, shown  # no space before the comma
        # Before the activity has ended there is no form whose answers would be lost: the
        # page says when it can be given; an answer sent anyway is shown back, not kept.
        ends = l10n.day_and_time(tomorrow + timedelta(hours=2), "fi")
        shown = await visit(phone, f"/feedback/{coming_id}?lang=fi")
        assert await phone.locator("form").count() == 0
        assert f"Palautetta voi antaa, kun toiminta on päättynyt ({ends})." in shown, shown
        async with httpx.AsyncClient(base_url=proc.url) as http:
            early = await http.post(f"/feedback/{coming_id}?lang=fi", headers={
                "Origin": proc.url}, data={"satisfaction": "4", "wellbeing": "yes",
                                           "comment": "Hyvä piiri <3"})
        assert early.status_code == 409 and "text/html" in early.headers["content-type"]
        assert "kun toiminta on päättynyt" in early.text and "Hyvä piiri &lt;3" in early.text
        # The same from a form loaded earlier, in a browser: the 409 page keeps the answer
        # in its form, filled in, to send once the activity has ended (and is axe-clean).
        await phone.goto(f"{proc.url}/feedback/{event_id}?lang=fi")
        await phone.eval_on_selector("form", "(f, to) => { f.action = to; }",
                                     f"/feedback/{coming_id}?lang=fi")
        await phone.check("input[name=satisfaction][value='4']")
        await phone.check("input[name=wellbeing][value=yes]")
        await phone.fill("textarea[name=comment]", "Hyvä piiri\ntoinen rivi")
        async with phone.expect_navigation() as sent_early:
            await phone.click("button")
        assert (await sent_early.value).status == 409
        assert await serious_violations(phone) == []
        assert await phone.input_value("textarea[name=comment]") == "Hyvä piiri\ntoinen rivi"
        assert await phone.is_checked("input[name=satisfaction][value='4']")
        assert f"({ends})" in (await phone.locator("main").inner_text()).replace("\xa0", " ")
        # Four residents on one Wi-Fi (limit 3 here): the fourth gets a kind page, not a 429
        # in JSON; the first three are thanked.
        for i in range(4):
            context = await browser.new_context(viewport=PHONE)
            page = await context.new_page()
            await page.goto(f"{proc.url}/feedback/{event_id}?lang=fi")
            await page.check("input[name=satisfaction][value='5']")
            await page.check("input[name=wellbeing][value=yes]")
            async with page.expect_navigation() as sent:
                await page.click("button")
            response = await sent.value
            text = await page.locator("main").inner_text()
            if i < 3:
                assert response.status == 201 and "Kiitos palautteestasi" in text
            else:
                # ...and when it may answer: an hour after the first answer, in Finnish.
                assert response.status == 429 and "Voit vastata" in text, text
                retry = int(response.headers["retry-after"])
                assert 3500 < retry <= 3601, retry
                shown = [l10n.day_and_time(datetime.now(UTC) + timedelta(seconds=retry - lag),
                                           "fi") for lag in (0, 5)]  # a minute may turn
                assert any(when in text for when in shown), (shown, text)
                assert await page.locator("html").get_attribute("lang") == "fi"
                assert await serious_violations(page) == []
            await context.close()

        # The QR code is an image a browser draws, alone and in <img>.
        await desktop.goto(f"{proc.url}/feedback/{event_id}/qr.svg")
        assert await desktop.locator("svg").count() == 1
        await desktop.goto(f"{proc.url}/feedback/{event_id}")
        assert await desktop.evaluate(
            "src => new Promise(r => { const i = new Image(); i.alt = 'QR';"
            " i.onload = () => r(i.naturalWidth); i.onerror = () => r(0); i.src = src; })",
            f"/feedback/{event_id}/qr.svg") > 0

        # Unknown survey, bad id: pages in the reader's language with a way on.
        shown = await visit(phone, f"/feedback/{uuid4()}?lang=sv", status=404)
        assert await phone.title() == "Sidan hittades inte" and "Kalender" in shown
        await visit(phone, "/feedback/not-an-id?lang=en", status=422)
        await visit(phone, "/dashboard?lang=fi&year=1", status=422)

        # The dashboard on a 1,280 px screen: no page wider than the screen, area names,
        # Finnish numbers, Finnish definitions.
        for lang in LANGUAGES:
            shown = await visit(desktop, f"/dashboard?lang={lang}&year={start.year}")
            width = await desktop.evaluate("document.documentElement.scrollWidth")
            assert width <= DESKTOP["width"], (lang, width)
            assert "Jynkkä" in shown and "kuopio." not in shown and "fi.kohtaamo" not in shown
            assert ("1 234" if lang != "en" else "1,234") in shown
            # 1,234 of 7,000 residents: the rate with the CSVs' three decimals, in words of
            # the page's language (test_rates).
            assert {"fi": "176,286 / 1 000 as.", "sv": "176,286 / 1 000 inv.",
                    "en": "176.286 per 1,000"}[lang] in shown
        fi = await visit(desktop, f"/dashboard?lang=fi&year={start.year}")
        # A CSV for a Finnish Excel: `;`, decimal commas, a byte order mark for ä and ö.
        async with desktop.expect_download() as sheet:
            await desktop.click("text=Lataa taulukkolaskentaan (Excel)")
        download = await sheet.value
        assert download.suggested_filename == "kohtaamo-indicators-fi.csv"
        saved = await download.path()
        assert saved.read_bytes().startswith("\ufeffAlue;".encode())
        assert "activity events" not in fi and "(events)" not in fi
        assert "(tapahtumaa)" in fi and "palautekysely" in fi
        phone_dashboard = await visit(phone, f"/report/{start.year}?lang=sv")
        assert "Jynkkä" in phone_dashboard
        assert await phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    async with httpx.AsyncClient(base_url=proc.url, timeout=30) as http:
        pdf = await http.get(f"/report/{start.year}.pdf?lang=fi")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.unit
def test_areas_are_listed_as_the_readers_language_sorts_their_names() -> None:
    from services.metrics.domain import AreaIndicators

    def area(code: str) -> AreaIndicators:
        return AreaIndicators(code, None, None, None, False, False, {}, {}, [0] * 5, 0, {},
                              {}, {})

    areas = [area(c) for c in ("kuopio.karttula", "kuopio.keskusta", "kuopio.maaninka",
                               "kuopio.alava")]
    # Keskusta is Centrum in Swedish: among the C's, before Karttula, not where its code is.
    assert [a.area for a in report.by_name(areas, "sv")] == [
        "kuopio.alava", "kuopio.keskusta", "kuopio.karttula", "kuopio.maaninka"]
    assert [a.area for a in report.by_name(areas, "fi")] == [
        "kuopio.alava", "kuopio.karttula", "kuopio.keskusta", "kuopio.maaninka"]
