"""A day the calendar does not have is said to be one, in the reader's language and its way
of writing a day, wherever booking reads a day: the desk's `day` in its address, and the
API's `day` query parameters and bodies. A tester's /desk?lang=sv&day=2026-02-31 was
refused with "ange en dag åren 2000–2100", although 2026 is in range. A year outside the
platform's is still said as one, and a text that is no date is asked in a date's shape.
(The desk's day exception form: `test_desk_forms`; the organiser's space search:
`test_space_search_refusals`.)"""

from __future__ import annotations

import httpx
import pytest

from services.booking.tests.test_desk_forms import DESK, VENUE, Desk, desk
from tests.apps import unstarted_app
from tests.infra import bearer

__all__ = ["desk"]  # the fixture, used by name

SPACE = "86deb337-af62-5d91-8144-387cf92d21d9"

#: What the desk says of each day in its address, by language.
DESK_SAYS = {
    "2026-02-31": {"fi": "Päivä: 31.2.2026 ei ole olemassa oleva päivä (helmikuussa 2026 on "
                         "28 päivää)",
                   "sv": "Dag: det finns ingen 31 februari 2026 (februari 2026 har 28 dagar)",
                   "en": "Day: there is no 31 February 2026 (February 2026 has 28 days)"},
    "2026-13-01": {"fi": "Päivä: 1.13.2026 ei ole olemassa oleva päivä (kuukausia on 12)",
                   "sv": "Dag: det finns ingen månad 13 (ett år har 12 månader)",
                   "en": "Day: there is no month 13 (a year has 12 months)"},
    "0000-01-01": {"fi": "Päivä: anna päivä vuosilta 2000–2100, esim. 31.12.2026",
                   "sv": "Dag: ange en dag åren 2000–2100, t.ex. 2026-12-31",
                   "en": "Day: give a date in the years 2000–2100, e.g. 31/12/2026"},
    "huomenna": {"fi": "Päivä: anna päivä muodossa 6.12.2026",
                 "sv": "Dag: ange dagen som 6.12.2026 eller 2026-12-06",
                 "en": "Day: give the date as 6.12.2026 or 2026-12-06"},
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("day", sorted(DESK_SAYS))
async def test_the_desk_says_what_is_wrong_with_the_day_in_its_address(
        desk: Desk, day: str, lang: str) -> None:
    page = await desk.http.get("/desk", headers=DESK, params={
        "venue_id": str(VENUE), "day": day, "lang": lang})
    assert page.status_code == 422
    assert f'<html lang="{lang}">' in page.text
    assert f'<li data-field="day">{DESK_SAYS[day][lang]}</li>' in page.text


async def test_the_desk_reads_a_day_written_the_finnish_way(desk: Desk) -> None:
    """As the desk's words ask for it ("6.12.2026"): the same week as the date input's."""
    finnish, iso = [await desk.http.get("/desk", headers=DESK, params={
        "venue_id": str(VENUE), "day": day, "lang": "fi"}) for day in ("3.3.2031",
                                                                       "2031-03-03")]
    assert finnish.status_code == 200
    assert finnish.text == iso.text


#: The API's `message` of a day the calendar does not have, by language.
API_SAYS = {"fi": "Päivä: 29.2.2027 ei ole olemassa oleva päivä (helmikuussa 2027 on 28 "
                  "päivää).",
            "sv": "Dag: det finns ingen 29 februari 2027 (februari 2027 har 28 dagar).",
            "en": "Day: there is no 29 February 2027 (February 2027 has 28 days)."}


async def _ask(method: str, path: str, lang: str, **kwargs: object) -> httpx.Response:
    app = unstarted_app("booking")  # not started: refused before any I/O
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        return await http.request(method, path, headers={  # type: ignore[arg-type]
            **bearer("admin"), "Accept-Language": lang}, **kwargs)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_api_names_the_day_and_says_it_does_not_exist(lang: str) -> None:
    query = await _ask("GET", f"/spaces/{SPACE}/free-slots?day=2027-02-29", lang)
    body = await _ask("POST", f"/venues/{VENUE}/exceptions", lang,
                      json={"day": "2027-02-29", "closed": True})
    for answer in (query, body):
        assert answer.status_code == 422
        assert answer.json()["message"] == API_SAYS[lang]
        assert [d["loc"][-1] for d in answer.json()["detail"]] == ["day"]
        assert answer.json()["detail"][0]["type"] == "date_not_real"


@pytest.mark.parametrize(("day", "said"), [
    ("2100-12-31T10:00:00+02:00", None),
    ("2027-02-29T10:00:00+02:00",
     "Starts: there is no 29 February 2027 (February 2027 has 28 days)"),
    ("2027-04-31T10:00:00+02:00", "Starts: there is no 31 April 2027 (April 2027 has 30 days)"),
])
async def test_a_moment_on_a_day_that_does_not_exist_is_said_so(day: str, said: str | None
                                                                 ) -> None:
    answer = await _ask("POST", "/bookings", "en", json={
        # No title: refused whatever the day, before any I/O.
        "space_id": SPACE, "starts_at": day,
        "ends_at": "2100-12-31T11:00:00+02:00", "accept_house_rules": True})
    assert answer.status_code == 422
    starts = [d for d in answer.json()["detail"] if d["loc"][-1] == "starts_at"]
    if said is None:
        assert starts == []  # a day of the calendar: only the title is refused
    else:
        assert said in answer.json()["message"]
