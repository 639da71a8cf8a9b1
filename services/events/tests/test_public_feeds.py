"""Feeds, dates and search words of the public calendar, read back by the reference parsers
(icalendar, feedparser) and checked against schema.org's Event: no I/O (issue 17)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import feedparser
import icalendar
import pytest

from services.events import domain, feeds, usecases
from services.events.tests.fakes import FakeEventStore, RollbackUow
from shared import l10n
from shared.areas import AREAS, area_name
from shared.clock import HELSINKI, FixedClock
from shared.identity import Principal

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ALL_DAY_START = datetime(2027, 1, 16, tzinfo=HELSINKI)  # 2027-01-15T22:00Z


def row(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": uuid4(), "status": "published", "revision": 2,
        "name": {"fi": "Digiapu <kaikille> & \"muille\"", "sv": "Digihjälp", "en": "Digital help"},
        "short_description": {"fi": "Apua; puhelimeen, tablettiin\nja koneeseen"},
        "description": {"fi": "Tule kysymään."}, "starts_at": datetime(2027, 1, 5, 8, tzinfo=UTC),
        "ends_at": datetime(2027, 1, 5, 10, tzinfo=UTC), "all_day": False, "kind": "digital",
        "place_kind": "venue", "place_name": {"fi": "Juankosken kirjasto"}, "online_url": None,
        "topics": ["digital"], "audiences": ["seniors"], "languages": ["fi", "sv"],
        "accessibility": {"fi": "Esteetön sisäänkäynti, induktiosilmukka"},
        "price": Decimal("5.00"), "free": False, "registration_required": True, "capacity": 12,
        "organiser_name": "Juankosken seniorit ry", "image_url": None, "image_alt": None,
        "postponed_from": None, "updated_at": datetime(2026, 12, 1, 9, tzinfo=UTC),
        "area": "kuopio.juankoski", "min_age": None, "max_age": None}
    base.update(changes)
    return base


ALL_DAY = row(all_day=True, starts_at=ALL_DAY_START,
              ends_at=ALL_DAY_START + timedelta(days=1),
              name={"fi": "Talvitapahtuma", "sv": "Vinterevenemang", "en": "Winter day"})


def test_an_all_day_activity_is_dates_in_ical_json_ld_and_pages() -> None:
    ics = feeds.ical([ALL_DAY], "fi", "https://kohtaamo.example/")
    assert "DTSTART;VALUE=DATE:20270116" in ics and "DTEND;VALUE=DATE:20270117" in ics
    entry = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    assert entry.decoded("dtstart") == date(2027, 1, 16)
    assert entry.decoded("dtend") == date(2027, 1, 17)  # exclusive, as RFC 5545 has it

    document = feeds.json_ld(ALL_DAY, None, "fi", "https://kohtaamo.example/")
    assert document["startDate"] == "2027-01-16" and document["endDate"] == "2027-01-16"
    two_days = feeds.json_ld({**ALL_DAY, "ends_at": ALL_DAY_START + timedelta(days=2)}, None,
                             "en", "https://kohtaamo.example/")
    assert two_days["endDate"] == "2027-01-17"

    for lang, expected in (("fi", "lauantai 16. tammikuuta 2027"),
                           ("sv", "lördag 16 januari 2027"),
                           ("en", "Saturday, 16 January 2027")):
        shown = l10n.time_span(ALL_DAY["starts_at"], ALL_DAY["ends_at"], lang, all_day=True)
        assert shown == expected and "00" not in shown


def test_timed_json_ld_is_in_helsinki_time() -> None:
    document = feeds.json_ld(row(), None, "fi", "https://kohtaamo.example/")
    assert document["startDate"] == "2027-01-05T10:00:00+02:00"


def test_ical_reads_back_with_its_text_and_status() -> None:
    cancelled = row(status="cancelled")
    ics = feeds.ical([row(), cancelled], "fi", "https://kohtaamo.example/")
    parsed = icalendar.Calendar.from_ical(ics)
    events = list(parsed.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        'Digiapu <kaikille> & "muille"', 'PERUTTU: Digiapu <kaikille> & "muille"']
    assert str(events[0]["description"]) == "Apua; puhelimeen, tablettiin\nja koneeseen"
    assert str(events[1]["status"]) == "CANCELLED" and int(events[1]["sequence"]) == 2
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_rss_and_atom_read_back_by_feedparser(kind: str) -> None:
    odd = row(name={"fi": "Kerho \x0b\x00 ]]> </title><script>x</script>"},
              short_description={"fi": "a\ud800b"})
    write = feeds.rss if kind == "rss" else feeds.atom
    body = write([row(), odd], "sv", "https://kohtaamo.example/",
                 "https://kohtaamo.example/events.rss?lang=sv")
    parsed = feedparser.parse(body.encode())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Kohtaamo – invånarverksamhet"
    assert [e.title for e in parsed.entries] == [
        "Digihjälp", "Kerho  ]]> </title><script>x</script>"]
    assert parsed.entries[0].link.endswith("/page?lang=sv")
    assert feeds.rss([], "fi", "https://k.example/", "https://k.example/events.rss")


#: schema.org Event's properties (and those it inherits from Thing), as schema.org lists them.
EVENT_PROPERTIES = {
    "@context", "@type", "@id", "name", "description", "startDate", "endDate", "eventStatus",
    "eventAttendanceMode", "location", "inLanguage", "isAccessibleForFree", "offers",
    "organizer", "image", "previousStartDate", "maximumAttendeeCapacity", "url", "about",
    "audience", "duration", "doorTime", "keywords", "performer", "typicalAgeRange",
}
EVENT_STATUSES = {"EventScheduled", "EventRescheduled", "EventPostponed", "EventCancelled",
                  "EventMovedOnline"}
ATTENDANCE = {"OfflineEventAttendanceMode", "OnlineEventAttendanceMode",
              "MixedEventAttendanceMode"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$")


def check_schema_org_event(document: dict[str, Any]) -> None:
    assert document["@context"] == "https://schema.org" and document["@type"] == "Event"
    assert set(document) <= EVENT_PROPERTIES, set(document) - EVENT_PROPERTIES
    for required in ("name", "startDate", "location"):  # what search engines need
        assert document[required], required
    assert ISO_DATE.match(document["startDate"]) and ISO_DATE.match(document["endDate"])
    assert document["eventStatus"].removeprefix("https://schema.org/") in EVENT_STATUSES
    assert document["eventAttendanceMode"].removeprefix("https://schema.org/") in ATTENDANCE
    locations = document["location"]
    for place in locations if isinstance(locations, list) else [locations]:
        assert place["@type"] in ("Place", "VirtualLocation")
        if place["@type"] == "VirtualLocation":
            assert place["url"].startswith("https://")
    offer = document["offers"]
    assert offer["@type"] == "Offer" and offer["priceCurrency"] == "EUR"
    assert re.fullmatch(r"\d+(\.\d+)?", offer["price"])


def test_json_ld_is_a_schema_org_event() -> None:
    paid = feeds.json_ld(row(), None, "fi", "https://kohtaamo.example/")
    check_schema_org_event(paid)
    assert paid["offers"]["price"] == "5.00" and paid["isAccessibleForFree"] is False
    assert paid["maximumAttendeeCapacity"] == 12
    assert paid["organizer"]["name"] == "Juankosken seniorit ry"
    hybrid = feeds.json_ld(row(place_kind="hybrid", online_url="https://meet.example/x"),
                           None, "en", "https://kohtaamo.example/")
    check_schema_org_event(hybrid)
    assert hybrid["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    check_schema_org_event(feeds.json_ld(ALL_DAY, None, "sv", "https://kohtaamo.example/"))


# --- search words and area names -----------------------------------------------------------

def test_search_words_are_words_and_area_names_match_without_accents() -> None:
    assert domain.search_words("  Digi-apu, 'kirjasto' & 100% _x_ ") == [
        "digi", "apu", "kirjasto", "100", "x"]
    assert domain.search_words("a " * 20) == ["a"] * domain.SEARCH_WORDS_MAX
    assert domain.areas_named("juankoski", AREAS) == ["kuopio.juankoski"]
    assert domain.areas_named("jynkka", AREAS) == ["kuopio.jynkka"]
    assert domain.areas_named("NILSIÄ", AREAS) == ["kuopio.nilsia"]
    assert domain.areas_named("centrum", AREAS) == ["kuopio.keskusta"]


async def test_a_search_finds_by_part_of_a_word_and_by_area_name() -> None:
    store = FakeEventStore()
    clock = FixedClock(NOW)
    organiser = Principal(subject="seniorit", roles=frozenset({"organiser"}))
    staff = Principal(subject="viestinta", roles=frozenset({"communications"}))
    start = NOW + timedelta(days=3)
    for name, area in (("Digiapu", "kuopio.juankoski"), ("Lukupiiri", "kuopio.jynkka")):
        created = await usecases.create_event(RollbackUow(store), clock, organiser, {
            "name": {"fi": name}, "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"}, "area": area,
            "starts_at": start, "ends_at": start + timedelta(hours=1)})
        await usecases.publish_event(RollbackUow(store), clock, staff, created["id"])

    async def names(q: str) -> list[str]:
        found = await usecases.calendar(RollbackUow(store), {"q": q}, limit=10, offset=0)
        return [r["name"]["fi"] for r in found.rows]

    assert await names("digi") == ["Digiapu"]
    assert await names("Juankoski") == ["Digiapu"]
    assert await names("jynkkä") == ["Lukupiiri"]
    assert await names("digi jynkka") == []


def test_every_kuopio_area_keeps_its_letters_everywhere() -> None:
    """The names residents read (filters, pages, the dashboard and the PDF) are the metrics
    service's reference data, letter for letter."""
    sql = (Path(__file__).parents[2] / "metrics" / "migrations" / "001_areas_facts.sql")
    in_metrics = dict(re.findall(r"\('(kuopio\.[a-z_]+)',\s*'(\{[^']*\})'", sql.read_text()))
    assert set(in_metrics) == set(AREAS)
    for code, names in AREAS.items():
        assert json.loads(in_metrics[code])["fi"] == names["fi"]
        for lang in ("fi", "sv", "en"):
            assert area_name(code, lang) == names[lang]
    assert {area_name(c, "fi") for c in ("kuopio.jynkka", "kuopio.neulamaki", "kuopio.nilsia",
                                         "kuopio.pyoro")} == {
        "Jynkkä", "Neulamäki", "Nilsiä", "Pyörö"}
    assert area_name("kuopio.vanha_kaupunki", "fi") == "Vanha kaupunki"
    assert area_name(None, "fi") == ""


def test_the_event_page_leads_to_signing_up_where_registration_is_needed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page said "Register in advance" and nothing more: it now links the notifications
    service's sign-up page (its public address), and only while one can sign up."""
    from services.events.pages import render_event

    monkeypatch.setenv("KOHTAAMO_PUBLIC_NOTIFICATIONS_URL", "https://ilmo.kuopio.example/")
    needs = row()
    page = render_event(needs, None, [], "sv", "https://kohtaamo.example")
    link = f'href="https://ilmo.kuopio.example/registrations/{needs["id"]}?lang=sv"'
    assert f'{link}>Anmäl dig på förhand</a>' in page
    for other in (row(registration_required=False), row(status="cancelled")):
        assert "/registrations/" not in render_event(other, None, [], "fi",
                                                     "https://kohtaamo.example")
