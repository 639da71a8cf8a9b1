"""A moment at 24:00 ("2026-12-07T24:00:00+02:00", the end of a day as some write it) is
said to be no time of day, with the moment it means: 00:00 of the next day. It was refused
as "give a date and time with its offset", the very shape it was given in
(`shared.bounds.at_24_refusal`). Any other time no clock shows keeps those words.

The service is not started: the schema refuses before anything reaches a database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.http import Refused
from shared.pages import refusal_text
from tests.apps import unstarted_app
from tests.infra import bearer

pytestmark = pytest.mark.unit

ORGANISER = bearer("organiser", subject="kello", name="Kello")

AT_24 = {
    "fi": "Alkaa: 24:00 ei ole kellonaika: anna seuraavan päivän 00:00, "
          "2026-12-08T00:00:00+02:00.",
    "sv": "Börjar: 24:00 är inget klockslag: ange nästa dags 00:00, "
          "2026-12-08T00:00:00+02:00.",
    "en": "Starts: 24:00 is not a time of day: give 00:00 of the next day, "
          "2026-12-08T00:00:00+02:00."}


async def _create(lang: str, starts_at: str, ends_at: str = "2026-12-08T02:00:00+02:00"
                  ) -> dict[str, Any]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=unstarted_app("events")),
                                 base_url="http://kohtaamo.internal") as http:
        answer = await http.post("/events", headers={**ORGANISER, "Accept-Language": lang},
                                 json={"name": {"fi": "Yökävely"}, "place_kind": "outdoors",
                                       "place_name": {"fi": "Puisto"},
                                       "starts_at": starts_at, "ends_at": ends_at})
    assert answer.status_code == 422, answer.text
    said: dict[str, Any] = answer.json()
    return said


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_24_00_is_said_as_no_time_with_the_next_days_midnight(lang: str) -> None:
    said = await _create(lang, "2026-12-07T24:00:00+02:00")
    assert said["message"] == AT_24[lang]
    assert said["detail"][0]["loc"] == ["body", "starts_at"]
    assert said["detail"][0]["type"] == "at_24"


@pytest.mark.parametrize(("given", "meant"), [
    ("2026-12-31T24:00Z", "2027-01-01T00:00:00Z"),  # the year's last day, UTC
    ("2026-12-07 24:00:00.000+0200", "2026-12-08T00:00:00+02:00"),
    ("2026-02-28T24:00:00+02:00", "2026-03-01T00:00:00+02:00"),
    ("2026-12-07_24:00:00,0+02:00", "2026-12-08T00:00:00+02:00"),
    # No offset (refused as such anyway): the city's on that night, summer time here.
    ("2026-07-07T24:00", "2026-07-08T00:00:00+03:00"),
])
async def test_the_next_day_is_the_calendars_in_each_way_a_moment_is_written(
        given: str, meant: str) -> None:
    said = await _create("en", given)
    assert said["message"] == f"Starts: 24:00 is not a time of day: give 00:00 of the next " \
                              f"day, {meant}."


@pytest.mark.parametrize("given", ["2026-12-07T24:30:00+02:00", "2026-12-07T25:00:00+02:00",
                                   "2026-12-07T23:60:00+02:00", "2100-12-31T24:00:00+02:00"])
async def test_any_other_time_no_clock_shows_keeps_its_words(given: str) -> None:
    said = await _create("en", given)
    assert said["message"] == ("Starts: give a date and time with its offset in the years "
                               "2000–2100, e.g. 2026-12-31T18:00:00+02:00.")


async def test_a_day_the_calendar_has_not_is_said_before_its_24_00() -> None:
    said = await _create("en", "2026-02-30T24:00:00+02:00")
    assert said["message"] == ("Starts: there is no 30 February 2026 (February 2026 has 28 "
                               "days).")


@pytest.mark.parametrize(("lang", "words"), [
    ("fi", "Alkaa: 24.00 ei ole kellonaika: anna seuraavan päivän 0.00 (8.12.2026 klo 0.00)"),
    ("sv", "Börjar: 24:00 är inget klockslag: ange nästa dags 00:00 (2026-12-08 kl. 00:00)"),
    ("en", "Starts: 24:00 is not a time of day: give 00:00 of the next day "
           "(8/12/2026 at 00:00)"),
])
def test_a_page_says_it_the_way_it_writes_a_day(lang: str, words: str) -> None:
    refused = Refused("starts_at", "at_24", {"next": "2026-12-08T00:00:00+02:00",
                                              "year": 2026, "month": 12, "day": 8})
    assert refusal_text(refused, lang) == words
