"""The way back to the calendar keeps the resident's choices: a tester filtered the calendar
by area and free activities, opened an activity and its "Takaisin kalenteriin" (and the
"Vuosikello" link) led to the whole calendar again. Only the calendar's own parameters, each
with a value the calendar takes, are carried: an odd value in an address is dropped, and
the way back is always the calendar (no link elsewhere can be made of an address)."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.events import domain
from services.events.tests.test_public_pages import _at, _publish

VOCABULARY = [{"scheme": "kind", "code": "open_guided"}, {"scheme": "topic", "code": "music"}]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.links.append(self._open)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None


def _links(html: str) -> list[dict[str, Any]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.mark.unit
def test_only_the_calendars_own_choices_with_values_it_takes_are_kept() -> None:
    kept = domain.calendar_return({
        "lang": "sv", "view": "week", "date": "2026-12-07", "area": "kuopio.jynkka",
        "kind": "open_guided", "topic": "music", "language": "sv", "accessible": "true",
        "free": "true", "q": "digi <apu>", "next": "https://evil.example"}, VOCABULARY)
    assert kept == {"view": "week", "date": "2026-12-07", "area": "kuopio.jynkka",
                    "kind": "open_guided", "topic": "music", "language": "sv",
                    "accessible": "true", "free": "true", "q": "digi <apu>"}
    assert domain.calendar_return({
        "view": "javascript:alert(1)", "date": "2026-02-30", "area": '"><script>',
        "kind": "music", "topic": "nosuch", "audience": "everyone", "language": "de",
        "accessible": "1", "free": "yes", "q": "a\x1b[31m"}, VOCABULARY) == {}
    assert domain.calendar_return({"date": "1999-12-31", "q": "x" * 201}, VOCABULARY) == {}


@pytest.mark.infra
async def test_the_way_back_from_an_event_restores_the_calendars_filters(
        spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    day = dt.date.today() + dt.timedelta(days=2)
    async with httpx.AsyncClient(base_url=proc.url) as http:
        event_id = await _publish(http, {
            "name": {"fi": "Senioreiden digiapu", "sv": "Digitalt stöd för seniorer"},
            "kind": "open_guided", "place_kind": "outdoors", "area": "kuopio.jynkka",
            "place_name": {"fi": "Jynkän kirjaston edusta"}, "free": True, **_at(day, 12)})
        page = f"/events/{event_id}/page"
        chosen = {"lang": ["fi"], "area": ["kuopio.jynkka"], "free": ["true"]}

        # From the filtered list, the event's link carries the filters.
        calendar = await http.get("/calendar", params={
            "lang": "fi", "area": "kuopio.jynkka", "free": "true"})
        assert calendar.status_code == 200
        links = _links(calendar.text)
        [to_event] = [a["href"] for a in links if a["href"].startswith(page)]
        assert _query(to_event) == chosen, to_event

        # The event page's ways back (at the top and at the end) restore them, as does its
        # page in Swedish.
        event = await http.get(to_event)
        assert event.status_code == 200
        back = [a for a in _links(event.text) if a["href"].startswith("/calendar")]
        assert [a["text"].strip(" ←") for a in back] == ["Takaisin kalenteriin"] * 2
        assert all(_query(a["href"]) == chosen for a in back), back
        [swedish] = [a["href"] for a in _links(event.text) if a.get("hreflang") == "sv"]
        assert _query(swedish) == {**chosen, "lang": ["sv"]}
        again = await http.get(back[0]["href"])
        assert 'value="kuopio.jynkka" selected' in again.text
        assert 'name="free" value="true" checked' in again.text

        # The week view of a chosen day: back to that week.
        week = await http.get("/calendar", params={
            "lang": "sv", "view": "week", "date": day.isoformat(), "area": "kuopio.jynkka"})
        [to_event] = [a["href"] for a in _links(week.text) if a["href"].startswith(page)]
        event = await http.get(to_event)
        [up] = [a["href"] for a in _links(event.text) if a.get("rel") == "up"]
        assert _query(up) == {"lang": ["sv"], "view": ["week"], "date": [day.isoformat()],
                              "area": ["kuopio.jynkka"]}

        # The annual calendar keeps them for the way back, and for its events' pages.
        [to_year] = [a["href"] for a in _links(calendar.text)
                     if a["href"].startswith("/calendar/year")]
        assert _query(to_year) == {**chosen, "year": [str(day.year)]}
        year = await http.get(to_year)
        [to_list] = [a["href"] for a in _links(year.text) if a["text"] == "Tulevat"]
        assert _query(to_list) == {**chosen, "view": ["list"]}
        to_events = [a["href"] for a in _links(year.text) if a["href"].startswith(page)]
        assert to_events and all(_query(h) == chosen for h in to_events)

        # An odd value is dropped, a search is carried percent-encoded, and nothing else
        # goes into a link: not a script, not another site.
        odd = await http.get(page, params={
            "lang": "fi", "area": '"><script>alert(1)</script>', "kind": "nosuch",
            "view": "javascript:alert(1)", "free": "yes", "date": "2026-02-30",
            "next": "https://evil.example/", "q": '"><b>digi</b>'})
        assert odd.status_code == 200
        assert "<script>alert" not in odd.text and "<b>digi" not in odd.text
        assert "evil.example" not in odd.text and "javascript:" not in odd.text
        back = [a["href"] for a in _links(odd.text) if a["href"].startswith("/calendar")]
        assert back == ['/calendar?lang=fi&q=%22%3E%3Cb%3Edigi%3C%2Fb%3E'] * 2
        assert (await http.get(back[0])).status_code == 200
