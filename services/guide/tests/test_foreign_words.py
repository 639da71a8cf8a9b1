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
from services.guide.domain import Activity, Answer, Hours, Links, Part, Venue
from services.guide.schemas import AnswerOut
from services.guide.tests.demo_data import demo_id, venue_events
from services.guide.tests.test_pages import serious_violations, wait_until
from shared.clock import HELSINKI
from shared.contracts import ActivityEventPublished, LocalizedText, OpeningHoursInfo
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


def _finnish_only_events() -> tuple[Venue, list[Activity]]:
    """A library named in Finnish only, an event there named in Finnish only, one outdoors
    at a place named in Finnish only, and one named in every language."""
    library = _venue({"fi": "Vehmersalmen kirjasto"})
    at = datetime(2026, 12, 3, 17, tzinfo=HELSINKI)
    return library, [
        Activity(uuid4(), {"fi": "Lukupiiri"}, at, at + timedelta(hours=1),
                 venue_id=library.venue_id, area=library.area),
        Activity(uuid4(), {"fi": "Luontoretki"}, at + timedelta(days=1),
                 at + timedelta(days=1, hours=2), area="kuopio.puijonlaakso",
                 place_name={"fi": "Puijon torni"}),
        Activity(uuid4(), {"fi": "Satutunti", "sv": "Sagostund", "en": "Story time"},
                 at + timedelta(days=2), at + timedelta(days=2, hours=1),
                 place_name={"fi": "Puijon torni", "sv": "Puijo torn", "en": "Puijo tower"})]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "lang", "own"), [
    ("Vad händer den här veckan?", "sv", ("Sagostund", "Puijo torn")),
    ("What is on this week?", "en", ("Story time", "Puijo tower")),
])
def test_an_event_and_its_place_named_in_finnish_only_are_marked(
        text: str, lang: str, own: tuple[str, ...]) -> None:
    """"Lukupiiri, Vehmersalmen kirjasto" in a Swedish answer was read in a Swedish voice:
    the event's title and its place, in Finnish only, are marked as Finnish, in the list
    and in the title of the event's page cited."""
    library, found = _finnish_only_events()
    question = domain.understand(text, TUESDAY)
    period = domain.events_period(question, TUESDAY)
    for answer in (
            domain.answer_events(question, found, {library.venue_id: library}, period,
                                 Links(), today=TUESDAY),
            domain.answer_events_later(question, found, {library.venue_id: library}, period,
                                       Links(), today=TUESDAY)):
        assert answer.language == lang
        runs = _runs(answer)
        assert "".join(text for text, _ in runs) == answer.text
        foreign = {(text, run_lang) for text, run_lang in runs if run_lang != lang}
        assert foreign == {("Lukupiiri", "fi"), ("Vehmersalmen kirjasto", "fi"),
                           ("Luontoretki", "fi"), ("Puijon torni", "fi")}, runs
        # What the event has in the answer's language is its own: said and not marked.
        assert all(word in answer.text for word in own)
        titles = {c.title: c.lang for c in answer.citations}
        assert (titles["Lukupiiri"], titles["Luontoretki"], titles[own[0]]) == (
            "fi", "fi", None), titles
    # In Finnish nothing of theirs is foreign.
    fi = domain.answer_events(domain.understand("Mitä tällä viikolla tapahtuu?", TUESDAY),
                              found, {library.venue_id: library}, period, Links(),
                              today=TUESDAY)
    assert _runs(fi) == [(fi.text, "fi")] and all(c.lang is None for c in fi.citations)


@pytest.mark.unit
def test_a_library_named_in_finnish_only_is_marked_in_every_answer_naming_it() -> None:
    """As the hours answers mark it: where it is, its accessibility, its contact, which
    library is meant, a facility asked after."""
    library = _venue({"fi": "Vehmersalmen kirjasto"})
    library = Venue(**{**library.__dict__, "address": "Kirkkotie 1",
                       "contact_phone": "017 182 333",
                       "accessibility": {"sv": "Tillgänglig entré."}})
    mark = ("Vehmersalmen kirjasto", "fi")
    where = domain.answer_location(domain.understand("Where is Vehmersalmi library?",
                                                     TUESDAY), library, Links())
    access = domain.answer_accessibility(domain.understand(
        "Is Vehmersalmi library accessible?", TUESDAY), library, Links())
    contact = domain.answer_contact(domain.understand("Vehmersalmi library phone number",
                                                      TUESDAY), library, None, Links())
    which = domain.clarify_place(domain.understand("Where is the toilet?", TUESDAY),
                                 [library])
    toilet = domain.answer_facility(domain.understand("Is there wifi at Vehmersalmi library?",
                                                      TUESDAY), library, Links())
    for answer in (where, access, contact, which, toilet):
        assert answer is not None and answer.language == "en"
        assert mark in _runs(answer), (answer.kind, _runs(answer))
    # The desk's Swedish description in an English answer is marked Swedish.
    assert access is not None and ("Tillgänglig entré.", "sv") in _runs(access)


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


@pytest.mark.infra
async def test_the_swedish_widget_marks_an_event_and_its_place_named_in_finnish_only(
        chromium_path: str, spawn_service: Any, fresh_database: Any, infra: Any,
        topic_prefix: str) -> None:
    """In the list and in the sources below it: the title of the event's page, Finnish only,
    is a link marked lang="fi"; one the event has in Swedish is not marked."""
    today = datetime.now(HELSINKI).date()
    at = datetime.combine(today + timedelta(days=2), datetime.min.time(), HELSINKI)
    walk = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Luontoretki"),
        starts_at=at.replace(hour=10), ends_at=at.replace(hour=12), kind="open_guided",
        area="kuopio.puijonlaakso", free=True, topics=["nature"], audiences=["everyone"],
        place_kind="outdoors", place_name=LocalizedText(fi="Puijon torni"))
    told = ActivityEventPublished(
        event_id=uuid4(), revision=1,
        name=LocalizedText(fi="Satutunti", sv="Sagostund", en="Story time"),
        starts_at=at.replace(hour=14), ends_at=at.replace(hour=15), kind="open_guided",
        area="kuopio.puijonlaakso", free=True, topics=["stories"], audiences=["everyone"],
        place_kind="outdoors",
        place_name=LocalizedText(fi="Puijon torni", sv="Puijo torn", en="Puijo tower"))
    await produce(infra.kafka_bootstrap, f"{topic_prefix}events.v1", [walk, told])
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    async with httpx.AsyncClient(base_url=proc.url, timeout=10) as client:
        for _ in range(120):
            body = (await client.post("/ask", json={"question": "Vad händer?",
                                                    "language": "sv"})).json()
            if "Sagostund" in body["answer"]["text"]:
                break
            await asyncio.sleep(0.5)
        answer = body["answer"]
        assert answer["language"] == "sv" and answer["kind"] == "events", answer
        marked = {(p["text"], p["lang"]) for p in answer["parts"] if p["lang"] != "sv"}
        assert marked == {("Luontoretki", "fi"), ("Puijon torni", "fi")}, answer
        assert {c["title"]: c["lang"] for c in answer["citations"]
                if c["title"] in ("Luontoretki", "Sagostund")} == {
            "Luontoretki": "fi", "Sagostund": None}, answer["citations"]
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(locale="sv-FI")
        await page.goto(f"{proc.url}/widget?lang=sv")
        await page.fill("#question", "Vad händer?")
        await page.keyboard.press("Enter")
        await wait_until(page, "() => document.querySelector('.msg.guide .said')")
        seen = await page.evaluate("""() => {
            const m = document.querySelector('.msg.guide');
            return {marked: [...m.querySelectorAll('.said span')].map(
                        e => [e.textContent, e.getAttribute('lang')]),
                    links: [...m.querySelectorAll('li a')].map(
                        a => [a.textContent, a.getAttribute('lang')])};
        }""")
        assert sorted(map(tuple, seen["marked"])) == [("Luontoretki", "fi"),
                                                      ("Puijon torni", "fi")], seen
        links = dict(map(tuple, seen["links"]))
        assert (links["Luontoretki"], links["Sagostund"]) == ("fi", None), seen
        assert await serious_violations(page) == []


def _title_runs(answer: Answer) -> dict[str, list[tuple[str, str]]]:
    return {c.title: [(p.text, p.lang) for p in domain.citation_parts(c, answer.language)]
            for c in answer.citations}


@pytest.mark.unit
def test_a_library_named_in_finnish_only_is_marked_in_the_titles_citing_its_page() -> None:
    """"About the venue: Vehmersalmen kirjasto", the link to its page, was read in an English
    voice whole, while the answer's text marked the name: the name is marked in the title
    too, the title's own words are not (an event's title, a name alone, is `lang` whole)."""
    library = _venue({"fi": "Vehmersalmen kirjasto"})
    library = Venue(**{**library.__dict__, "address": "Kirkkotie 1",
                       "contact_phone": "017 182 333", "accessibility": {"sv": "Tillgänglig."}})
    answers = [
        domain.answer_location(domain.understand("Where is Vehmersalmi library?", TUESDAY),
                               library, Links()),
        domain.answer_accessibility(domain.understand("Is Vehmersalmi library accessible?",
                                                      TUESDAY), library, Links()),
        domain.answer_contact(domain.understand("Vehmersalmi library phone number", TUESDAY),
                              library, None, Links()),
        domain.answer_facility(domain.understand("Is there wifi at Vehmersalmi library?",
                                                 TUESDAY), library, Links()),
        domain.answer_hours(domain.understand("Vehmersalmi library opening hours", TUESDAY),
                            library, NOW, Links())]
    for answer in answers:
        assert answer is not None and answer.language == "en"
        runs = _title_runs(answer)
        named = [title for title in runs if title.endswith("Vehmersalmen kirjasto")]
        assert named, (answer.kind, runs)
        for title in named:
            what = title.removesuffix("Vehmersalmen kirjasto")
            assert runs[title] == [(what, "en"), ("Vehmersalmen kirjasto", "fi")], runs
            assert next(c for c in answer.citations if c.title == title).lang is None
    # A name it has in the answer's language is that language's: nothing marked.
    own = domain.answer_location(domain.understand("Where is Neulamäki library?", TUESDAY),
                                 Venue(**{**_venue().__dict__, "address": "Neulamäentie 5"}),
                                 Links())
    assert own is not None and list(_title_runs(own).values()) == [
        [("About the venue: Neulamäki library", "en")]]


@pytest.mark.unit
async def test_the_api_says_the_titles_runs() -> None:
    from services.guide.tests.fakes import FakeGuideStore
    from shared.clock import FixedClock
    from shared.uow import FakeUnitOfWork

    library = Venue(**{**_venue({"fi": "Vehmersalmen kirjasto"}).__dict__,
                       "area": "kuopio.vehmersalmi", "address": "Kirkkotie 1"})
    uow = FakeUnitOfWork(FakeGuideStore([library]))
    _, answer = await usecases.answer(uow, FixedClock(NOW), Links(),
                                      "Var ligger Vehmersalmi bibliotek?")
    body = AnswerOut.model_validate(usecases.answer_json(answer)).model_dump()
    [cited] = body["citations"]
    assert cited["title"] == "Uppgifter om platsen: Vehmersalmen kirjasto", body
    assert (cited["lang"], cited["parts"]) == (None, [
        {"text": "Uppgifter om platsen: ", "lang": "sv"},
        {"text": "Vehmersalmen kirjasto", "lang": "fi"}]), cited


@pytest.mark.infra
async def test_the_swedish_widget_marks_a_finnish_only_library_in_its_pages_link(
        chromium_path: str, spawn_service: Any, fresh_database: Any, infra: Any,
        topic_prefix: str) -> None:
    vehmersalmi = next(v for v in venue_events()
                       if v.venue_id == demo_id("venue", "vehmersalmi"))
    vehmersalmi = vehmersalmi.model_copy(update={
        "revision": 2, "name": LocalizedText(fi="Vehmersalmen kirjasto"),
        "address": "Kirkkotie 1, 71310 Vehmersalmi"})
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", [vehmersalmi])
    proc = await spawn_service("guide", await fresh_database("guide"),
                               env={"KOHTAAMO_GUIDE_JOB_INTERVAL": "0"})
    question = "Var ligger Vehmersalmi bibliotek?"
    async with httpx.AsyncClient(base_url=proc.url, timeout=10) as client:
        for _ in range(120):
            body = (await client.post("/ask", json={"question": question,
                                                    "language": "sv"})).json()
            if body["answer"]["kind"] == "location":
                break
            await asyncio.sleep(0.5)
        assert body["answer"]["citations"][0]["parts"][-1] == {
            "text": "Vehmersalmen kirjasto", "lang": "fi"}, body
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(locale="sv-FI")
        await page.goto(f"{proc.url}/widget?lang=sv")
        await page.fill("#question", question)
        await page.keyboard.press("Enter")
        await wait_until(page, "() => document.querySelector('.msg.guide li a')")
        link = await page.evaluate("""() => {
            const a = document.querySelector('.msg.guide li a');
            return {text: a.textContent, lang: a.getAttribute('lang'),
                    marked: [...a.querySelectorAll('span')].map(
                        e => [e.textContent, e.getAttribute('lang')])};
        }""")
        # The link is the page's language; the library's name inside it is Finnish.
        assert link == {"text": "Uppgifter om platsen: Vehmersalmen kirjasto", "lang": None,
                        "marked": [["Vehmersalmen kirjasto", "fi"]]}, link
        assert await serious_violations(page) == []
