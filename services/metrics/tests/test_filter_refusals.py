"""A filter's rule is refused alike however it is asked (the dashboard, the analysts' page,
`GET /indicators/summary` as JSON, CSV or the spreadsheet's CSV), with its own code and the
same fi/sv/en words: the metrics' catalogue (`report.refusal_text`, the service's
`ServiceSpec.refusal_text`). Before, the dashboard's end month before its start read only
"To: check this"; the API answered an unknown topic with 200 and all-zero figures where the
dashboard refused it; and a topic with a kind read "Topic: choose one of the options" in
the API, not the rule the page says."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any
from uuid import uuid4

import pytest

from services.metrics import handlers, usecases
from services.metrics.app import spec
from services.metrics.domain import SummaryQuery
from services.metrics.report import FILTER_LABELS
from services.metrics.store import MetricsStore
from services.metrics.tests.fakes import FakeMetricsStore
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, LocalizedText, VocabularyTermSet
from shared.errors import Invalid
from shared.identity import PUBLIC
from shared.uow import FakeUnitOfWork
from tests.axe import serious_violations
from tests.infra import bearer

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
BROWSER = {"Accept": "text/html"}
LANGS = ("fi", "sv", "en")
#: What each rule says, in each language (the start of its words).
SAYS = {
    # An end day before the start day (March to February), each input by its label.
    "to_not_after_from": {"fi": "Päättyen ennen -päivä (1.2.2026) on ennen Alkaen-päivää "
                                "(1.3.2026): jakson loppu ei voi olla ennen sen alkua",
                          "sv": "Slutar före (2026-02-01) är före Från och med (2026-03-01): "
                                "periodens slut kan inte vara före dess början",
                          "en": "Ending before (1 Feb 2026) is before From (1 Mar 2026): the "
                                "period cannot end before it starts"},
    "unknown_topic": {"fi": "Tuntematon aihe: tapahtumakalenterissa ei ole tällaista aihetta",
                      "sv": "Okänt ämne: evenemangskalendern har inget sådant ämne",
                      "en": "Unknown topic: the event calendar has no such topic"},
    "topic_with_kind_or_venue": {
        "fi": "Aihetta ei voi yhdistää toiminnan lajiin eikä toimipaikkaan",
        "sv": "Ett ämne kan inte kombineras med typ av verksamhet eller verksamhetsställe",
        "en": "A topic cannot be combined with a kind of activity or a venue"},
    # Nilsiä (the northern rural areas') with the city's group: no area is both.
    "area_outside_group": {
        "fi": "Alue Nilsiä ei kuulu alueryhmään kaupunki, joten luvut olisivat tyhjiä",
        "sv": "Området Nilsiä hör inte till områdesgruppen stad, så siffrorna skulle vara tomma",
        "en": "The area Nilsiä is not in the area group city, so the figures would be empty"},
}
SAYS["unknown_venue"] = {
    # A venue id of the right shape that the metrics never heard of: "the id is wrong: use
    # the link on the page" on the dashboard, and "no place of this id" in the API, where
    # the rule is that its figures would be empty.
    "fi": "Tuntematon toimipaikka: tällä tunnuksella ei tunneta toimipaikkaa, eikä "
          "sellaisessa ole laskettu toimintaa, joten luvut olisivat tyhjiä",
    "sv": "Okänt verksamhetsställe: inget verksamhetsställe med detta id är känt, och ingen "
          "verksamhet har räknats vid ett sådant, så siffrorna skulle vara tomma",
    "en": "Unknown venue: no venue of this id is known, and no activity was counted at one, "
          "so the figures would be empty"}
#: The input each rule names.
FIELD = {"to_not_after_from": "to", "area_outside_group": "group",
         "unknown_venue": "venue_id"}


def nature(revision: int = 1, retired: bool = False) -> VocabularyTermSet:
    return VocabularyTermSet(scheme="topic", code="nature", revision=revision,
                             retired=retired,
                             label=LocalizedText(fi="Luonto", sv="Natur", en="Nature"))


def walk(topics: tuple[str, ...]) -> ActivityEventPublished:
    return ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Kävely"), starts_at=START,
        ends_at=START + timedelta(hours=2), area="kuopio.jynkka", kind="open_guided",
        topics=list(topics))


@pytest.mark.unit
async def test_the_summary_refuses_a_topic_neither_told_nor_counted() -> None:
    uow = FakeUnitOfWork[MetricsStore](FakeMetricsStore())
    clock = FixedClock(START)
    await usecases.record_activity_event(uow, clock, walk(("birds",)))

    async def summary(topic: str) -> Any:
        return await usecases.indicator_summary(uow, clock, PUBLIC, SummaryQuery(
            topic=topic, from_=START.date().replace(day=1), to=START.date().replace(month=4,
                                                                                    day=1)))

    with pytest.raises(Invalid) as refused:
        await summary("nature")
    assert (refused.value.field, refused.value.details["code"]) == ("topic", "unknown_topic")
    # Counted (its words not told yet): its figures.
    birds = await summary("birds")
    assert sum(a.values["published_events"] or 0 for a in birds.areas) == 1
    # Told, retired included, with nothing counted: zeros, which are its figures.
    await usecases.keep_vocabulary_term(uow, clock, nature(retired=True))
    told = await summary("nature")
    assert all(a.values["published_events"] == 0 for a in told.areas)



@pytest.mark.unit
async def test_the_summary_refuses_an_area_outside_the_chosen_group() -> None:
    """The dashboard's form offers an area and an area group at once; an area outside the
    group gave empty figures ("Nilsiä, 2026" with nothing), read as no activity there."""
    uow = FakeUnitOfWork[MetricsStore](FakeMetricsStore())
    clock = FixedClock(START)

    async def summary(area: str, group: str) -> Any:
        return await usecases.indicator_summary(uow, clock, PUBLIC, SummaryQuery(
            area=area, group=group))

    with pytest.raises(Invalid) as refused:
        await summary("kuopio.nilsia", "city")
    assert (refused.value.field, refused.value.details["code"]) == ("group",
                                                                   "area_outside_group")
    assert [a.area for a in (await summary("kuopio.nilsia", "rural_north")).areas] == [
        "kuopio.nilsia"]


@pytest.mark.infra
async def test_each_way_in_refuses_a_filters_rule_with_its_code_and_words(
        start_service: Any, chromium: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    async with pool.acquire() as conn, conn.transaction():
        event = walk(("birds",))
        await handlers.on_activity_event(conn, event, event.to_envelope())
    year = {"from": "2026-01-01", "to": "2027-01-01"}
    asked = {
        "unknown_topic": {**year, "topic": "nature"},
        "topic_with_kind_or_venue": {**year, "topic": "birds", "kind": "open_guided"},
        "to_not_after_from": {"topic": "birds", "from": "2026-03-01", "to": "2026-02-01"},
        "area_outside_group": {**year, "area": "kuopio.nilsia", "group": "city"},
        "unknown_venue": {**year, "venue_id": str(uuid4())},
    }
    view = await chromium.new_page()
    for code, query in asked.items():
        for lang in LANGS:
            words = SAYS[code][lang]
            # The API, however its answer is asked for: the same refusal, code and words.
            for shape in ("json", "csv", "excel"):
                refused = await client.get("/indicators/summary", params={
                    **query, "format": shape, "lang": lang})
                assert refused.status_code == 422, (code, lang, shape, refused.text)
                body = refused.json()
                assert body["code"] == code, body
                assert body["message"].startswith(words), (lang, body["message"])
                assert refused.headers["content-language"] == lang
                field = FIELD.get(code, "topic")
                assert body["detail"][0]["loc"] == ["query", field], body
            # Without `?lang=`, the reader's Accept-Language says the language.
            spoken = await client.get("/indicators/summary", params=query,
                                      headers={"Accept-Language": lang})
            assert spoken.json()["message"].startswith(words), spoken.json()

            # The dashboard: a page in `lang` saying the rule, the input marked.
            page = await client.get("/dashboard", params={**query, "lang": lang},
                                    headers=BROWSER)
            assert page.status_code == 422, (code, lang, page.text[:300])
            assert page.headers["content-type"].startswith("text/html")
            assert f'<html lang="{lang}">' in page.text
            said = re.search(r"<main><h1>[^<]*</h1><p>([^<]*)</p>", page.text)
            assert said and unescape(said.group(1)).startswith(words), page.text
            if code == "to_not_after_from":
                # Its words name both inputs: no "To: check this" below them.
                assert "data-field" not in page.text, page.text
            else:
                assert f'data-field="{field}"' in page.text
            await view.set_content(page.text)
            assert await serious_violations(view) == [], (code, lang)

    # The space utilisation says an unknown venue alike.
    for lang in LANGS:
        refused = await client.get("/indicators/utilisation", params={
            "from": "2026-01-01", "venue_id": asked["unknown_venue"]["venue_id"]},
            headers={"Accept-Language": lang})
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "unknown_venue"
        assert refused.json()["message"].startswith(SAYS["unknown_venue"][lang])
        assert refused.json()["detail"][0]["loc"] == ["query", "venue_id"]
    # An area with its own group is no refusal: its figures.
    own = await client.get("/indicators/summary", params={"area": "kuopio.nilsia",
                                                          "group": "rural_north"})
    assert own.status_code == 200 and [a["area"] for a in own.json()["areas"]] == [
        "kuopio.nilsia"]
    # A topic told (here retired) with nothing counted is no refusal: its zeros.
    async with pool.acquire() as conn, conn.transaction():
        told = nature(retired=True)
        await handlers.on_vocabulary_term(conn, told, told.to_envelope())
    figures = await client.get("/indicators/summary", params=asked["unknown_topic"])
    assert figures.status_code == 200
    assert all(a["values"]["published_events"] == 0 for a in figures.json()["areas"])
    assert (await client.get("/dashboard", params={**year, "topic": "nature"},
                             headers=BROWSER)).status_code == 200
    csv_text = (await client.get("/indicators/summary",
                                 params={**asked["unknown_topic"], "format": "csv"})).text
    assert csv_text.startswith("area,area_group")


@pytest.mark.infra
async def test_the_analysts_page_says_an_end_month_before_the_start(start_service: Any,
                                                                     chromium: Any) -> None:
    client = await start_service(spec)
    view = await chromium.new_page()
    for lang in LANGS:
        page = await client.get("/analysts/answers", params={
            "lang": lang, "from": "2026-03-01", "to": "2026-02-01"},
            headers={**BROWSER, **bearer("analyst", subject="analyytikko")})
        assert page.status_code == 422, page.text[:300]
        assert page.headers["cache-control"] == "no-store"
        said = re.search(r"<main><h1>[^<]*</h1><p>([^<]*)</p>", page.text)
        assert said and unescape(said.group(1)).startswith(SAYS["to_not_after_from"][lang])
        # The inputs by the labels the page's form gives them: the end is not in the period.
        assert FILTER_LABELS["to"][lang] in unescape(said.group(1))
        assert "data-field" not in page.text
        await view.set_content(page.text)
        assert await serious_violations(view) == [], lang
        # A date the schema refuses on the dashboard: said by the same label.
        odd = await client.get("/dashboard", params={"lang": lang, "to": "31.13.2026"},
                               headers=BROWSER)
        assert odd.status_code == 422 and f"{FILTER_LABELS['to'][lang]}:" in unescape(odd.text)
        # The API of the same answers: the same words.
        api = await client.get("/feedback/answers", params={
            "lang": lang, "from": "2026-03-01", "to": "2026-02-01"},
            headers=bearer("analyst", subject="analyytikko"))
        assert api.status_code == 422 and api.json()["code"] == "to_not_after_from"
        assert api.json()["message"].startswith(SAYS["to_not_after_from"][lang])


#: The tester's period (an end day before the start day, both in December) and one whose end
#: is in the start's month, as each language says them.
ENDS_BEFORE = {
    "fi": ("Päättyen ennen -päivä (1.12.2026) on ennen Alkaen-päivää (10.12.2026): jakson "
           "loppu ei voi olla ennen sen alkua.",
           "Päättyen ennen -päivän (20.12.2026) pitää olla Alkaen-päivän (10.12.2026) "
           "kuukautta myöhemmässä kuussa"),
    "sv": ("Slutar före (2026-12-01) är före Från och med (2026-12-10): periodens slut kan "
           "inte vara före dess början.",
           "Slutar före (2026-12-20) måste vara i en senare månad än Från och med "
           "(2026-12-10)"),
    "en": ("Ending before (1 Dec 2026) is before From (10 Dec 2026): the period cannot end "
           "before it starts.",
           "Ending before (20 Dec 2026) must be in a later month than From (10 Dec 2026)"),
}


@pytest.mark.unit
@pytest.mark.parametrize("lang", LANGS)
def test_an_end_before_the_start_is_said_so_naming_both_inputs(lang: str) -> None:
    """`/dashboard?lang=sv&from=2026-12-10&to=2026-12-01` read "Slutar före: kontrollera
    detta": the end day before the start is said as such, the end in the start's month as a
    month too early, each input by its label and the day given in it."""
    from services.metrics.domain import month_range
    from services.metrics.report import refusal_text

    before, same_month = ENDS_BEFORE[lang]
    for (first, end), said in (((date(2026, 12, 10), date(2026, 12, 1)), before),
                               ((date(2026, 12, 10), date(2026, 12, 20)), same_month)):
        with pytest.raises(Invalid) as refused:
            month_range(first, end)
        assert refused.value.field == "to"
        assert refused.value.details["code"] == "to_not_after_from"
        text = refusal_text(refused.value, lang)
        assert text is not None and text.startswith(said), text
        assert FILTER_LABELS["to"][lang] in text
    assert month_range(date(2026, 12, 10), date(2027, 1, 1)) == (date(2026, 12, 1),
                                                                 date(2027, 1, 1))


@pytest.mark.infra
async def test_the_dashboard_says_the_testers_end_before_the_start(start_service: Any,
                                                                    chromium: Any) -> None:
    client = await start_service(spec)
    view = await chromium.new_page()
    for lang in LANGS:
        page = await client.get("/dashboard", params={
            "lang": lang, "from": "2026-12-10", "to": "2026-12-01"}, headers=BROWSER)
        assert page.status_code == 422, page.text[:300]
        said = re.search(r"<main><h1>[^<]*</h1><p>([^<]*)</p>", page.text)
        assert said and unescape(said.group(1)).startswith(ENDS_BEFORE[lang][0]), page.text
        assert "data-field" not in page.text and "check this" not in page.text
        assert "kontrollera detta" not in page.text and "tarkista" not in page.text
        await view.set_content(page.text)
        assert await serious_violations(view) == [], lang
        # The API's message is the same words.
        api = await client.get("/indicators/summary", params={
            "lang": lang, "from": "2026-12-10", "to": "2026-12-01"})
        assert api.status_code == 422 and api.json()["message"] == unescape(said.group(1))
        assert api.json()["code"] == "to_not_after_from"
