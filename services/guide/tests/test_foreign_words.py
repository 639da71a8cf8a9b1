"""Words in another language than the answer's are marked with theirs (WCAG 3.1.2, Language
of Parts): a tester asked the Swedish widget "Öppettider Neulamäki bibliotek" and heard the
desk's reasons "Henkilökunnan koulutuspäivä" and "Shorter self-service hours before
Christmas", written in Finnish or English only, read in a Swedish voice inside a plain
`span.said`. The answer carries its text as runs each with its language (`parts`), the API
says them and the widget marks each run in another language with `lang`."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.guide import domain, usecases
from services.guide.domain import Answer, Hours, Links, Part, Venue
from services.guide.schemas import AnswerOut
from services.guide.tests.demo_data import demo_id, venue_events
from services.guide.tests.test_pages import serious_violations, wait_until
from shared.clock import HELSINKI
from shared.contracts import OpeningHoursInfo
from tests.infra import launch_chromium, produce

TUESDAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 10, tzinfo=HELSINKI)
TRAINING = "Henkilökunnan koulutuspäivä"
SHORTER = "Shorter self-service hours before Christmas"


def _venue(name: dict[str, str] | None = None) -> Venue:
    return Venue(
        venue_id=uuid4(),
        name=name or {"fi": "Neulamäen kirjasto", "sv": "Neulamäki bibliotek",
                      "en": "Neulamäki library"},
        kind="library", area="kuopio.neulamaki",
        hours=(Hours("12:00", "19:00", "staffed", weekday=1),),
        exceptions=(
            Hours(None, None, day=date(2026, 12, 6),
                  reason={"fi": "Itsenäisyyspäivä", "sv": "Självständighetsdagen"}),
            Hours(None, None, day=date(2026, 12, 7), reason={"fi": TRAINING}),
            Hours("10:00", "14:00", "staffed", day=date(2026, 12, 12), reason={"en": SHORTER})))


def _runs(answer: Answer) -> list[tuple[str, str]]:
    return [(p.text, p.lang) for p in domain.parts(answer)]


@pytest.mark.unit
def test_a_reason_written_in_another_language_only_is_marked_with_it() -> None:
    answer = domain.answer_hours(domain.understand("Öppettider Neulamäki bibliotek", TUESDAY),
                                 _venue(), NOW, Links())
    assert answer.language == "sv"
    assert f"({TRAINING}): stängt" in answer.text and f"({SHORTER}):" in answer.text
    runs = _runs(answer)
    # Joined, the runs are the text: nothing lost or said twice.
    assert "".join(text for text, _ in runs) == answer.text
    foreign = [(text, lang) for text, lang in runs if lang != "sv"]
    assert foreign == [(TRAINING, "fi"), (SHORTER, "en")], runs
    # The desk's Swedish reason is the answer's own language: not marked.
    assert ("Självständighetsdagen" in answer.text
            and all("Självständighetsdagen" not in text for text, _ in foreign))
    # In Finnish the Finnish reason is its own and the English one still marked.
    fi = domain.answer_hours(domain.understand("Neulamäen kirjaston aukioloajat", TUESDAY),
                             _venue(), NOW, Links())
    assert [(t, lang) for t, lang in _runs(fi) if lang != "fi"] == [(SHORTER, "en")]


@pytest.mark.unit
def test_one_day_asked_and_every_library_on_a_day_mark_the_reason_and_a_name() -> None:
    day = domain.answer_hours(domain.understand(
        "Är Neulamäki bibliotek öppet 7.12.?", TUESDAY), _venue(), NOW, Links())
    assert (TRAINING, "fi") in _runs(day), day.text
    # A library with no Swedish name is named in Finnish, marked so too.
    finnish_only = _venue({"fi": "Vehmersalmen kirjasto"})
    every = domain.answer_hours_all(domain.understand(
        "Är biblioteken öppna 7.12.?", TUESDAY), [finnish_only], NOW, Links())
    assert every is not None
    runs = _runs(every)
    assert ("Vehmersalmen kirjasto", "fi") in runs and (TRAINING, "fi") in runs, runs


@pytest.mark.unit
def test_the_api_answer_says_its_runs_and_an_unknown_language_as_empty() -> None:
    answer = Answer("hours", "Neulamäki bibliotek (Vesikatko): stängt", "sv",
                    foreign=(("Vesikatko", "fi"),))
    out = AnswerOut.model_validate(usecases.answer_json(answer))
    assert [(p.text, p.lang) for p in out.parts] == [
        ("Neulamäki bibliotek (", "sv"), ("Vesikatko", "fi"), ("): stängt", "sv")]
    # A language not known is said as "" (HTML's lang="": no voice guessed), never as the
    # answer's own.
    unknown = Answer("hours", "Neulamäki bibliotek (Wasserschaden): stängt", "sv",
                     foreign=(("Wasserschaden", ""),))
    assert domain.parts(unknown)[1] == Part("Wasserschaden", "")
    # An answer with nothing foreign is one run in its language.
    assert domain.parts(Answer("hours", "stängt", "sv")) == (Part("stängt", "sv"),)


@pytest.mark.infra
async def test_the_swedish_widget_marks_a_finnish_and_an_english_reason(
        chromium_path: str, spawn_service: Any, fresh_database: Any, infra: Any,
        topic_prefix: str) -> None:
    # The guide runs on the real clock: the exceptions fall within the two weeks it lists.
    today = datetime.now(HELSINKI).date()
    neulamaki = next(v for v in venue_events() if v.venue_id == demo_id("venue", "neulamaki"))
    neulamaki = neulamaki.model_copy(update={"revision": 2, "exceptions": [
        OpeningHoursInfo(day=today + timedelta(days=3), reason={"fi": TRAINING}),
        OpeningHoursInfo(day=today + timedelta(days=4), reason={"fi": "Vesikatko"}),
        OpeningHoursInfo(day=today + timedelta(days=5), opens="10:00", closes="14:00",
                         kind="staffed", reason={"en": SHORTER}),
        OpeningHoursInfo(day=today + timedelta(days=6), reason={"sv": "Inventering"})]})
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", [neulamaki])
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with httpx.AsyncClient(base_url=proc.url, timeout=10) as client:
        for _ in range(120):
            body = (await client.post("/ask", json={
                "question": "Öppettider Neulamäki bibliotek", "language": "sv"})).json()
            if "Vesikatko" in body["answer"]["text"]:
                break
            await asyncio.sleep(0.5)
        answer = body["answer"]
        assert answer["language"] == "sv" and answer["kind"] == "hours", answer
        marked = {(p["text"], p["lang"]) for p in answer["parts"] if p["lang"] != "sv"}
        assert marked == {(TRAINING, "fi"), ("Vesikatko", "fi"), (SHORTER, "en")}, answer
        assert "".join(p["text"] for p in answer["parts"]) == answer["text"]
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(locale="fi-FI")
        await page.goto(f"{proc.url}/widget?lang=sv")
        await page.fill("#question", "Öppettider Neulamäki bibliotek")
        await page.keyboard.press("Enter")
        await page.wait_for_selector(".msg.guide")
        await wait_until(page, "() => document.querySelector('.msg.guide .said')")
        said = await page.evaluate("""() => {
            const s = document.querySelector('.msg.guide .said');
            return {text: s.textContent, lang: s.getAttribute('lang'),
                    marked: [...s.querySelectorAll('span')].map(
                        e => [e.textContent, e.getAttribute('lang')])};
        }""")
        # The answer is the page's language (no lang of its own); each reason in another
        # is marked with its language, the Swedish one is not.
        assert said["lang"] is None and said["text"] == answer["text"]
        assert sorted(map(tuple, said["marked"])) == sorted(
            [(TRAINING, "fi"), ("Vesikatko", "fi"), (SHORTER, "en")]), said
        assert await serious_violations(page) == []
