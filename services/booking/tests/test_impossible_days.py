"""A day the calendar does not have is said to be one, in the reader's language and its way
of writing a day, wherever booking reads a day: the desk's `day` in its address, and the
API's `day` query parameters and bodies; and a time the calendar or the clock does not
have, on the desk's walk-in and the organiser's hold (31.2., 24.00, 25.61). A tester's
/desk?lang=sv&day=2026-02-31 was refused with "ange en dag åren 2000–2100", although 2026
is in range. A year outside the platform's is still said as one, and a text that is no
date is asked in a date's shape.
(The desk's day exception form: `test_desk_forms`; the organiser's space search:
`test_space_search_refusals`.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.booking.labels import ERRORS
from services.booking.tests.test_desk_forms import DESK, VENUE, Desk, Page, desk, refused_inputs
from services.booking.tests.test_organiser_forms import SOMEONE, Organiser, organiser
from tests.apps import unstarted_app
from tests.infra import bearer

__all__ = ["desk", "organiser"]  # the fixtures, used by name

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


#: A walk-in's start the calendar or the clock does not have, and what the desk says of it.
WALK_IN_SAYS = {
    "2031-02-30T10:00": {
        "fi": "30.2.2031 ei ole olemassa oleva päivä (helmikuussa 2031 on 28 päivää).",
        "sv": "Det finns ingen 30 februari 2031 (februari 2031 har 28 dagar).",
        "en": "There is no 30 February 2031 (February 2031 has 28 days)."},
    "1.13.2031 klo 10.00": {
        "fi": "1.13.2031 ei ole olemassa oleva päivä (kuukausia on 12).",
        "sv": "Det finns ingen månad 13 (ett år har 12 månader).",
        "en": "There is no month 13 (a year has 12 months)."},
    "0000-01-01T10:00": {"fi": "Anna päivä vuosilta 2000–2100.",
                         "sv": "Ange en dag åren 2000–2100.",
                         "en": "Give a date in the years 2000–2100."},
    "2031-03-05T24:00": {
        "fi": "Kellonaikaa 24.00 ei ole: tunnit ovat 0–23 ja minuutit 0–59 (keskiyö on "
              "seuraavan päivän 0.00).",
        "sv": "Klockslaget 24:00 finns inte: timmarna är 0–23 och minuterna 0–59 (midnatt "
              "är följande dags 0:00).",
        "en": "There is no time 24:00: hours run 0–23 and minutes 0–59 (midnight is 0:00 of "
              "the next day)."},
    "5.3.2031 25.61": {
        "fi": "Kellonaikaa 25.61 ei ole: tunnit ovat 0–23 ja minuutit 0–59 (keskiyö on "
              "seuraavan päivän 0.00).",
        "sv": "Klockslaget 25:61 finns inte: timmarna är 0–23 och minuterna 0–59 (midnatt "
              "är följande dags 0:00).",
        "en": "There is no time 25:61: hours run 0–23 and minutes 0–59 (midnight is 0:00 of "
              "the next day)."},
    # The spring's skipped hour in Helsinki: as before, that the clocks go forward then.
    "2031-03-30T03:30": {
        "fi": "Tätä kellonaikaa ei ole Suomessa, koska kelloja siirretään silloin tunnilla "
              "eteenpäin. Valitse toinen aika.",
        "sv": ERRORS["clocks_skip"]["sv"], "en": ERRORS["clocks_skip"]["en"]},
    "kymmeneltä": {"fi": ERRORS["time"]["fi"], "sv": ERRORS["time"]["sv"],
                   "en": "The start time is not valid: give a date and a time."},
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("start", sorted(WALK_IN_SAYS))
async def test_a_walk_in_says_what_is_wrong_with_its_start(desk: Desk, start: str, lang: str
                                                            ) -> None:
    refused = await desk.walk_in(lang, starts_at=start)
    assert refused.status_code == 422
    page = Page(refused.text)
    assert page.text["error-starts_at"] == WALK_IN_SAYS[start][lang]
    assert page.autofocus == ["w-start"] and page.value("w-start") == start
    assert desk.store.state.bookings == {}


@pytest.mark.parametrize(("lang", "start"), [("fi", "31.4.2031 10.00"),
                                             ("en", "2031-04-10T24:00")])
async def test_the_organisers_hold_says_what_is_wrong_with_its_start(
        organiser: Organiser, lang: str, start: str) -> None:
    held = organiser.store.state.bookings[organiser.held]
    r = await organiser.http.post("/my/spaces/hold", params={"lang": lang}, headers=SOMEONE,
                                  data={"space_id": str(held.space_id), "minutes": "60",
                                        "starts_at": start})
    said = parse_qs(urlsplit(r.headers["location"]).query)["msg"][0]
    assert said == {"fi": "31.4.2031 ei ole olemassa oleva päivä (huhtikuussa 2031 on 30 "
                          "päivää).",
                    "en": WALK_IN_SAYS["2031-03-05T24:00"]["en"]}[lang]
    assert len(organiser.store.state.bookings) == 1  # nothing held


#: An opening or closing time no clock shows, and what the desk's hours forms say of it.
HOURS_SAY = {
    ("25:61", "10:00"): ("opens", {
        "fi": "Kellonaikaa 25.61 ei ole: tunnit ovat 0–23 ja minuutit 0–59.",
        "sv": "Klockslaget 25:61 finns inte: timmarna är 0–23 och minuterna 0–59.",
        "en": "There is no time 25:61: hours run 0–23 and minutes 0–59."}),
    # Open until midnight: the hours are kept within a day, so its last minute.
    ("10:00", "24:00"): ("closes", {
        "fi": "Jos paikka sulkeutuu keskiyöllä, anna sulkemisajaksi 23.59.",
        "sv": "Om platsen stänger vid midnatt, ange 23:59 som stängningstid.",
        "en": "If the place closes at midnight, give 23:59 as the closing time."}),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("times", sorted(HOURS_SAY))
async def test_the_hours_forms_say_a_time_no_clock_shows(desk: Desk, times: tuple[str, str],
                                                         lang: str) -> None:
    opens, closes = times
    field, said = HOURS_SAY[times]
    exception = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params={"lang": lang},
                                     headers=DESK, data={"csrf": "x", "day": "2031-04-30",
                                                         "opens": opens, "closes": closes})
    assert exception.status_code == 422
    assert refused_inputs(exception, "exception-refusals") == {f"x-{field}": said[lang]}
    weekly = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": lang},
                                  headers=DESK, data={"csrf": "x", "weekday": ["1"],
                                                      "opens": [opens], "closes": [closes],
                                                      "kind": ["staffed"]})
    assert weekly.status_code == 422
    monday = {"fi": "Maanantai", "sv": "Måndag", "en": "Monday"}[lang]
    assert refused_inputs(weekly, "weekly-refusals") == {
        f"wk-0-{field}": f"{monday}: {said[lang]}"}
    assert desk.store.state.exceptions == [] and desk.store.state.outbox == []
