"""The dashboard names kinds and topics by the events service's words (`vocabulary.term_set`,
consumed through the idempotent consumer into the metrics' own copy), in the reader's
language, and filters by topic: a select of topics by their words, kept in the language
links and the downloads, the figures those the API gives for `topic=`. An unknown topic, or
a topic with a kind or venue, is a 422 page naming the input in the reader's language.
Before, the kinds read as their codes ("open guided") in every language and the page had no
topic filter. A retired term is no new choice but still names what has it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers, usecases
from services.metrics.app import spec
from services.metrics.domain import INDICATORS, SummaryQuery
from services.metrics.store import MetricsStore
from services.metrics.tests.fakes import FakeMetricsStore
from shared.clock import FixedClock
from shared.consumer import EventConsumer
from shared.contracts import (
    EVENTS_TOPIC,
    ActivityEventPublished,
    AttendanceReported,
    LocalizedText,
    VocabularyTermSet,
)
from shared.errors import Invalid
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork
from tests.axe import serious_violations

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
PARTICIPANTS = 1 + [i.code for i in INDICATORS].index("participants")
WORDS = {
    ("kind", "open_guided"): {"fi": "Avoin ohjattu toiminta", "sv": "Öppen handledd verksamhet",
                              "en": "Open guided activity"},
    ("kind", "digital_help"): {"fi": "Digituki", "sv": "Digistöd", "en": "Digital support"},
    ("topic", "culture"): {"fi": "Kulttuuri", "sv": "Kultur", "en": "Culture"},
    ("topic", "exercise"): {"fi": "Liikunta", "sv": "Motion", "en": "Exercise"},
}
#: The topic input's label and its 'all' choice, as the page and its refusals name them.
TOPIC = {"fi": ("Aihe", "Kaikki aiheet"), "sv": ("Ämne", "Alla ämnen"),
         "en": ("Topic", "All topics")}


def term(scheme: str, code: str, revision: int = 1, retired: bool = False,
         **label: str) -> VocabularyTermSet:
    words = label or WORDS[(scheme, code)]
    return VocabularyTermSet(scheme=scheme, code=code,
                             label=LocalizedText(**words), revision=revision, retired=retired)


def activity(area: str, *, kind: str = "open_guided", topics: tuple[str, ...] = (),
             at: datetime = START) -> ActivityEventPublished:
    return ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Kuoro"), starts_at=at,
        ends_at=at + timedelta(hours=2), area=area, kind=kind, topics=list(topics))


def attended(event: ActivityEventPublished, participants: int) -> AttendanceReported:
    return AttendanceReported(event_id=event.event_id, report_revision=1,
                              participants=participants, visitors=0,
                              starts_at=event.starts_at, ends_at=event.ends_at,
                              area=event.area, kind=event.kind)


def options(page: str, name: str) -> list[tuple[str, str]]:
    """A select's choices (value, words) but its 'all' one."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return [(v, html.unescape(w)) for v, w in
            re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select.group(1))]


def selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return chosen.group(1) if chosen else None


def shown(page: str) -> str:
    found = re.search(r'<h2 id="shown">([^<]*)</h2>', page)
    assert found
    return html.unescape(found.group(1))


def cell(page: str, row: str, column: int) -> str:
    found = re.search(rf'<th scope="row">{re.escape(row)}</th>(.*?)</tr>', page, re.S)
    assert found, row
    figures: list[str] = re.findall(r"<td>\s*([^<\n]*)", found.group(1))
    return figures[column].strip()


def trend(page: str) -> list[str]:
    """The realised hours chart's figures, a month each."""
    chart = re.search(r'<section id="trend">(.*?)</section>', page, re.S)
    assert chart
    return re.findall(r'<span class="value">([^<]*)</span>', chart.group(1))


# --- the use cases, against the in-memory store ---------------------------------------------


class World:
    def __init__(self) -> None:
        self.store = FakeMetricsStore()
        self.uow = FakeUnitOfWork[MetricsStore](self.store)
        self.clock = FixedClock(START)

    async def handle(self, *events: Any) -> None:
        for event in events:
            if isinstance(event, VocabularyTermSet):
                await usecases.keep_vocabulary_term(self.uow, self.clock, event)
            elif isinstance(event, AttendanceReported):
                await usecases.record_attendance(self.uow, self.clock, event)
            else:
                await usecases.record_activity_event(self.uow, self.clock, event)

    async def dashboard(self, **query: Any) -> Any:
        return await usecases.dashboard(self.uow, self.clock, PUBLIC, SummaryQuery(**query),
                                        2026)


async def test_a_terms_newest_words_are_kept_and_name_the_kinds_and_topics() -> None:
    world = World()
    await world.handle(activity("kuopio.jynkka", topics=("culture", "board_games")),
                       activity("kuopio.jynkka", kind="digital_help"),
                       term("kind", "open_guided"), term("topic", "culture", 2))
    # A late copy of an older revision changes nothing; a newer one does.
    await world.handle(term("topic", "culture", 1, fi="Vanha", sv="Gammal", en="Old"))
    board = await world.dashboard()
    assert board.words("topic", "culture", "sv") == "Kultur"
    await world.handle(term("topic", "culture", 3, fi="Kulttuuri", en="Culture and arts"))
    board = await world.dashboard()
    assert [board.words("topic", c, "sv") for c in board.topics] == [
        "Board games", "Kulttuuri"]  # no words told yet: the code as words; no sv: fi's
    assert board.words("topic", "culture", "en") == "Culture and arts"
    assert board.words("kind", "open_guided", "en") == "Open guided activity"
    assert board.words("kind", "digital_help", "fi") == "Digital help"
    assert board.kinds == ["digital_help", "open_guided"]


async def test_a_retired_term_is_no_new_choice_but_an_old_links_stays_by_its_words() -> None:
    world = World()
    await world.handle(activity("kuopio.jynkka", topics=("culture", "exercise")),
                       term("topic", "culture"), term("topic", "exercise"),
                       term("topic", "exercise", 2, retired=True, **WORDS[("topic", "exercise")]),
                       term("kind", "open_guided", 2, retired=True,
                            **WORDS[("kind", "open_guided")]))
    board = await world.dashboard()
    assert board.topics == ["culture"] and board.kinds == []
    board = await world.dashboard(topic="exercise")
    assert board.topics == ["culture", "exercise"]
    assert board.words("topic", "exercise", "sv") == "Motion"
    assert board.summary.areas[[a.area for a in board.summary.areas].index(
        "kuopio.jynkka")].values["published_events"] == 1
    board = await world.dashboard(kind="open_guided")
    assert board.kinds == ["open_guided"]


async def test_the_dashboard_refuses_a_topic_it_does_not_know_by_its_input() -> None:
    world = World()
    await world.handle(activity("kuopio.jynkka", topics=("culture",)),
                       term("topic", "gardening", fi="Puutarha"))
    with pytest.raises(Invalid) as refused:
        await world.dashboard(topic="made_up")
    assert refused.value.field == "topic"
    # One told but not counted yet is a filter of no figures, not a mistyped address.
    board = await world.dashboard(topic="gardening")
    assert all(a.values["published_events"] == 0 for a in board.summary.areas)
    assert (await world.dashboard(topic="culture")).months[0].published_events == 1
    with pytest.raises(Invalid) as refused:
        await world.dashboard(topic="culture", kind="open_guided")
    assert refused.value.field == "topic"


# --- the service: its consumer, its page, Chromium -----------------------------------------


async def _consume(pool: Any, *events: Any) -> EventConsumer:
    """Records fed by hand to the service's real subscriber (its inbox and all)."""
    def no_producer() -> Any:
        raise AssertionError("nothing should be dead-lettered")

    consumer = EventConsumer(name="metrics", handlers=spec.handlers, pool=lambda: pool,
                             producer=no_producer)
    for event in events:
        envelope = event if not hasattr(event, "to_envelope") else event.to_envelope()
        record = SimpleNamespace(topic=EVENTS_TOPIC, partition=0, offset=0,
                                 key=envelope.kafka_key(), value=envelope.kafka_value(),
                                 headers=[(k, v.encode()) for k, v in
                                          envelope.kafka_headers().items()])
        await consumer.process(record)
    return consumer


async def _apply(pool: Any, *events: Any) -> None:
    for event in events:
        handler = (handlers.on_attendance if isinstance(event, AttendanceReported)
                   else handlers.on_activity_event)
        async with pool.acquire() as conn, conn.transaction():
            await handler(conn, event, event.to_envelope())


async def test_the_dashboard_names_kinds_and_topics_and_filters_by_topic(
        start_service: Any, chromium: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    choir = activity("kuopio.neulamaki", topics=("culture",))
    walk = activity("kuopio.neulamaki", kind="digital_help", topics=("exercise",))
    play = activity("kuopio.nilsia", topics=("culture", "exercise"))
    await _apply(pool, choir, attended(choir, 12), walk, attended(walk, 5), play,
                 attended(play, 7))

    # The words arrive through the consumer: each record once, however often it comes.
    told = [term(s, c) for s, c in WORDS]
    envelopes = [t.to_envelope() for t in told]
    consumer = await _consume(pool, *envelopes, *envelopes)
    assert consumer.dead_lettered == 0
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM vocabulary_terms") == len(told)
        assert await conn.fetchval(
            "SELECT count(*) FROM inbox WHERE consumer = 'metrics' AND event_type = $1",
            VocabularyTermSet.EVENT_TYPE) == len(told)
    await _consume(pool, term("topic", "culture", 1, fi="Vanha"))  # an old copy: nothing

    for lang in ("fi", "sv", "en"):
        page = (await client.get("/dashboard", params={"lang": lang, "year": 2026})).text
        words = {c: w[lang] for (_, c), w in WORDS.items()}
        assert options(page, "kind") == sorted(
            ((c, words[c]) for c in ("open_guided", "digital_help")), key=lambda o: o[1])
        assert options(page, "topic") == sorted(
            ((c, words[c]) for c in ("culture", "exercise")), key=lambda o: o[1])
        assert "open guided" not in page and "open_guided<" not in page
        label, every = TOPIC[lang]
        assert f"<label>{label}<select" in page and f'<option value="">{every}</option>' in page

        # A kind reads by its words in the heading of what is shown.
        page = (await client.get("/dashboard", params={
            "lang": lang, "year": 2026, "kind": "digital_help"})).text
        assert shown(page).endswith(words["digital_help"])

        # A topic: the API's figures for it, said by its words, kept in every link.
        page = (await client.get("/dashboard", params={
            "lang": lang, "year": 2026, "topic": "culture"})).text
        api = (await client.get("/indicators/summary", params={
            "topic": "culture", "from": "2026-01-01", "to": "2027-01-01"})).json()
        figures = {a["area"]: a["values"]["participants"] for a in api["areas"]}
        assert (figures["kuopio.neulamaki"], figures["kuopio.nilsia"]) == (12, 7)
        assert cell(page, "Neulamäki", PARTICIPANTS) == "12"
        assert cell(page, "Nilsiä", PARTICIPANTS) == "7"
        assert selected(page, "topic") == "culture"
        assert shown(page).endswith(words["culture"])
        downloads = [html.unescape(h) for h in
                     re.findall(r'href="(/indicators/summary\?[^"]*)"', page)]
        assert len(downloads) == 2 and all("topic=culture" in h for h in downloads)
        languages = [html.unescape(h) for h in
                     re.findall(r'href="(\?[^"]*)" hreflang="(?:fi|sv|en)"', page)]
        assert len(languages) == 3 and all("topic=culture" in h for h in languages)
        # The realised hours' months are the topic's too: two activities of two hours in
        # March, not the city's three.
        assert trend(page)[2] == "4"
        assert trend((await client.get("/dashboard", params={
            "lang": lang, "year": 2026}, headers={"Accept": "text/html"})).text)[2] == "6"

        # An unknown topic, or one with a kind: a 422 page naming the input in `lang`.
        for params in ({"topic": "made_up"}, {"topic": "no such"},
                       {"topic": "culture", "kind": "open_guided"}):
            refused = await client.get("/dashboard", params={"lang": lang, **params},
                                       headers={"Accept": "text/html"})
            assert refused.status_code == 422, (lang, params, refused.text[:300])
            assert refused.headers["content-type"].startswith("text/html")
            assert f'<html lang="{lang}">' in refused.text
            assert re.search(rf'<li data-field="topic">{label}:', refused.text), refused.text
        assert {"fi": "Aihetta ei voi yhdistää", "sv": "Ett ämne kan inte kombineras",
                "en": "A topic cannot be combined"}[lang] in refused.text

    # Retired: offered no more, while an old link's choice stays, by its words.
    await _consume(pool, term("topic", "exercise", 2, retired=True,
                              **WORDS[("topic", "exercise")]))
    page = (await client.get("/dashboard", params={"lang": "sv", "year": 2026})).text
    assert [c for c, _ in options(page, "topic")] == ["culture"]
    page = (await client.get("/dashboard", params={
        "lang": "sv", "year": 2026, "topic": "exercise"})).text
    assert ("exercise", "Motion") in options(page, "topic")
    assert selected(page, "topic") == "exercise" and shown(page).endswith("Motion")
    assert cell(page, "Nilsiä", PARTICIPANTS) == "7"

    # The form in Chromium: the topic's select labelled and described, axe-clean.
    view = await chromium.new_page()
    for lang, (label, _) in TOPIC.items():
        page = (await client.get("/dashboard", params={
            "lang": lang, "year": 2026, "topic": "culture"})).text
        await view.set_content(page)
        assert await serious_violations(view) == [], lang
        topic = view.locator('form.filters[method="get"] select[name=topic]')
        assert await topic.evaluate(
            "e => e.labels.length === 1 ? e.labels[0].firstChild.textContent.trim() : ''"
        ) == label
        assert await topic.evaluate("e => e.value") == "culture"
        hint = await topic.evaluate(
            "e => document.getElementById(e.getAttribute('aria-describedby')).textContent")
        assert hint.startswith({"fi": "Aihe rajaa", "sv": "Ett ämne avgränsar",
                                "en": "A topic limits"}[lang])
        refused = await client.get("/dashboard", params={"lang": lang, "topic": "made_up"},
                                   headers={"Accept": "text/html"})
        await view.set_content(refused.text)
        assert await serious_violations(view) == [], lang
