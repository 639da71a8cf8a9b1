"""A page's 422 says what to fix in words its reader reads (`shared.pages.refusal_text`):
each refused input by its label in fi/sv/en and what it takes, from why it was refused (a
number between the route's bounds, a date, one of the listed options, a link's id), never
the bare name a route gives it ("Tarkista nämä kohdat: year").

The services are not started: a refusal of the address is made before any database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from pydantic import TypeAdapter, ValidationError

from shared.bounds import Day
from shared.http import Refused
from shared.methods import dependants
from shared.openapi import is_page
from shared.pages import LABELS, LANGS, refusal_text
from tests.apps import unstarted_app
from tests.test_boundaries import SERVICES

pytestmark = pytest.mark.unit


def _app(service: str) -> FastAPI:
    return unstarted_app(service)


@pytest.fixture
async def events() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app("events")),
                                 base_url="http://kohtaamo.internal") as http:
        yield http


def _said(page: str) -> list[str]:
    return re.findall(r"<li data-field=\"[^\"]*\">([^<]*)</li>", page)


@pytest.mark.parametrize("service", SERVICES)
def test_every_input_of_every_page_has_a_label_in_each_language(service: str) -> None:
    """A page route given a parameter no label names fails here: add it to `LABELS`."""
    unlabelled = set()
    for context in iter_route_contexts(_app(service).router.routes):
        if getattr(context, "dependant", None) is None or not is_page(context):
            continue
        for current in dependants(context.dependant):
            for param in [*current.path_params, *current.query_params, *current.body_params,
                          *current.cookie_params]:
                if param.alias not in LABELS:
                    unlabelled.add((context.path_format, param.alias))
    assert not unlabelled
    assert all(set(label) == set(LANGS) and all(label.values()) for label in LABELS.values())


@pytest.mark.parametrize(("query", "lang", "said"), [
    ("year=0", "fi", "Vuosi: anna vuosi väliltä 2000–2100"),
    ("year=x", "sv", "År: ange ett år mellan 2000 och 2100"),
    ("year=2101", "en", "Year: give a year between 2000 and 2100"),
])
async def test_the_calendars_year_says_what_it_takes(events: httpx.AsyncClient, query: str,
                                                     lang: str, said: str) -> None:
    page = await events.get(f"/calendar/year?{query}&lang={lang}",
                            headers={"Accept": "text/html"})
    assert page.status_code == 422
    assert _said(page.text) == [said]
    assert "<code>" not in page.text and "(year)" not in page.text


@pytest.mark.parametrize(("date", "said"), [
    ("1999-12-31", "Date: give a date in the years 2000–2100, e.g. 31/12/2026"),
    # A day the calendar does not have is said to be one, not a year out of range.
    ("2026-13-01", "Date: there is no month 13 (a year has 12 months)"),
    ("2026-02-31", "Date: there is no 31 February 2026 (February 2026 has 28 days)"),
    ("joulu", "Date: give the date as 6.12.2026 or 2026-12-06"),
])
async def test_a_day_says_what_it_takes(events: httpx.AsyncClient, date: str, said: str
                                        ) -> None:
    day = await events.get(f"/calendar?date={date}&lang=en", headers={"Accept": "text/html"})
    assert _said(day.text) == [said]


@pytest.mark.parametrize(("given", "msg"), [
    ("2026-02-30", "2026-02-30 is no day of the calendar"),
    ("31.4.2027", "2027-04-31 is no day of the calendar"),
])
def test_an_api_msg_writes_the_day_the_calendar_lacks(given: str, msg: str) -> None:
    """The English `msg` beside the translated `message`: the day written out, not
    pydantic's template with its format specs left in."""
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(Day).validate_python(given)
    (error,) = refused.value.errors()
    assert error["type"] == "date_not_real" and error["msg"] == msg


@pytest.mark.parametrize(("refused", "lang", "said"), [
    (Refused("area", "string_pattern_mismatch", {"pattern": "^[a-z0-9_.-]+$"}), "fi",
     "Alue: valitse jokin sivun vaihtoehdoista"),
    (Refused("minutes", "greater_than_equal", {"ge": 15}, {"ge": 15, "le": 480}), "en",
     "Length in minutes: give a number between 15 and 480"),
    (Refused("minutes", "less_than_equal", {"le": 480}), "sv",
     "Längd i minuter: ange ett tal som är högst 480"),
    (Refused("lang", "literal_error", {"expected": "'fi', 'sv' or 'en'"}), "en",
     "Language: choose one of these: fi, sv, en"),
    (Refused("booking", "uuid_parsing", {}), "fi",
     "Varaus: tunnus on virheellinen: käytä sivulla olevaa linkkiä"),
    (Refused("title", "string_too_long", {"max_length": 200}), "sv",
     "Rubrik: högst 200 tecken"),
    (Refused("starts_at", "datetime_from_date_parsing", {}), "fi",
     "Alkaa: anna päivä ja kellonaika vuosilta 2000–2100, esim. 31.12.2026 klo 18.00"),
])
def test_what_an_input_takes_is_said_from_why_it_was_refused(refused: Refused, lang: str,
                                                               said: str) -> None:
    assert refusal_text(refused, lang) == said


def test_an_api_client_is_not_sent_to_a_page_for_an_option_or_an_id() -> None:
    """The same refusal on a page says to choose from the page or follow its link; in an
    API's answer, which has neither, what to give instead."""
    area = Refused("area", "string_pattern_mismatch", {"pattern": "^[a-z0-9_.-]+$"})
    booking = Refused("booking", "uuid_parsing", {})
    assert refusal_text(area, "en", on_page=False) == (
        "Area: give one of the allowed values (see the API description)")
    assert refusal_text(booking, "sv", on_page=False) == (
        "Bokning: id:t är felaktigt: ange ett id i UUID-form")
    for lang in LANGS:
        for refused in (area, booking):
            assert refusal_text(refused, lang, on_page=False) != refusal_text(refused, lang)


def test_an_input_no_label_names_is_not_shown_by_its_name() -> None:
    for lang in LANGS:
        said = refusal_text(Refused("frobnicate_id", "uuid_parsing"), lang)
        assert "frobnicate" not in said
    # A domain rule's field (a bare name, no pydantic error): its label, and to check it.
    assert refusal_text("day", "fi") == "Päivä: tarkista tämä kohta"
