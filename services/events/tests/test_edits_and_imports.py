"""An edited or re-imported activity on the real database and broker: a postponed one stays
postponed wherever it is shown, an unchanged Linked Events document changes nothing, the area
follows a new venue, and the pages and calendar files say what is known of price and place."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import handlers, usecases
from services.events.app import spec
from shared.clock import SystemClock
from shared.contracts import (
    EVENTS_TOPIC,
    BookingConfirmed,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
)
from shared.identity import Principal
from tests.apps import handle
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
ORGANISER = bearer("organiser", subject="kuoro", name="Kuoro ry")
COMMS = bearer("communications", subject="viestinta")
API = "http://test/linkedevents/v1"


async def library(pool: Any, name: str, area: str, space: str = "Ryhmätila"
                  ) -> tuple[UUID, UUID]:
    """A venue of the booking service's, as its `venue.registered` brings it: (venue, space)."""
    venue_id, space_id = uuid4(), uuid4()
    await handle(pool, handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi=name), kind="library", area=area,
        municipality="Kuopio", revision=1,
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi=space))]))
    return venue_id, space_id


def event_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": {"fi": "Satutuokio", "sv": "Sagostund", "en": "Story time"},
        "short_description": {"fi": "Tarinoita lapsille"},
        "kind": "open_guided", "place_kind": "outdoors", "area": "kuopio.jynkka",
        "place_name": {"fi": "Jynkän puisto"},
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat(),
    }
    body.update(changes)
    return body


def vevent(ics: str, event_id: str) -> str:
    """The VEVENT of `event_id` in a calendar file, its folded lines joined."""
    unfolded = ics.replace("\r\n ", "").replace("\r\n", "\n")
    found = re.search(rf"BEGIN:VEVENT\n(?:(?!END:VEVENT).)*UID:{event_id}@kohtaamo"
                      rf"(?:(?!END:VEVENT).)*END:VEVENT", unfolded, re.S)
    assert found is not None, ics
    return found.group(0)


def json_ld(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    document: dict[str, Any] = json.loads(found.group(1).replace("<\\/", "</"))
    return document


def price_line(html: str) -> str:
    found = re.search(r"<dt>(?:Hinta|Pris|Price)</dt><dd>([^<]*)</dd>", html)
    assert found is not None
    return found.group(1)


async def test_a_postponed_activity_stays_postponed_after_an_edit(start_service: Any) -> None:
    client = await start_service(spec)
    event_id = (await client.post("/events", json=event_body(), headers=COMMS)).json()["id"]
    assert (await client.post(f"/events/{event_id}/publish", headers=COMMS)).status_code == 200
    postponed = await client.post(f"/events/{event_id}/postpone", headers=COMMS,
                                  json={"reason": "Lukija sairastui"})
    assert postponed.json()["status"] == "postponed", postponed.text
    edited = await client.patch(f"/events/{event_id}", headers=COMMS,
                                json={"description": {"fi": "Uusi aika kerrotaan pian"}})
    assert (edited.status_code, edited.json()["status"]) == (200, "postponed"), edited.text

    assert (await client.get(f"/events/{event_id}")).json()["status"] == "postponed"
    listed = (await client.get("/events")).json()["items"]
    assert [(i["id"], i["status"]) for i in listed] == [(event_id, "postponed")]
    page = await client.get(f"/events/{event_id}/page", params={"lang": "en"})
    assert "Postponed, new time to follow" in page.text and "Lukija sairastui" in page.text
    assert json_ld(page.text)["eventStatus"] == "https://schema.org/EventPostponed"
    for ics in ((await client.get("/events.ics", params={"lang": "en"})).text,
                (await client.get(f"/events/{event_id}/event.ics",
                                  params={"lang": "en"})).text):
        entry = vevent(ics, event_id)
        assert "STATUS:TENTATIVE" in entry and "SUMMARY:POSTPONED: Story time" in entry
    told = await events_on_topic(client.runtime, EVENTS_TOPIC, 3, keys=[event_id])
    assert [e.type.split(".")[3] for e in told] == ["published", "postponed", "updated"]


def linked_event(ref: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": ref, "name": {"fi": "Kirjastokino", "sv": "Biblioteksbio"},
        "short_description": {"fi": "Elokuva koko perheelle"},
        "start_time": START.isoformat(), "end_time": (START + timedelta(hours=2)).isoformat(),
        "location": {"name": {"fi": "Valtuustosali"}},
        "keywords": [{"@id": f"{API}/keyword/kohtaamo:topic:stories/"}],
        "in_language": [{"@id": f"{API}/language/fi/"}, {"@id": f"{API}/language/sv/"}],
        "offers": [{"is_free": False, "price": {"fi": "5,00 €"}}],
        "provider": {"fi": "Kuopion kaupunginkirjasto"},
    }
    document.update(changes)
    return document


async def test_an_unchanged_linked_events_document_changes_nothing(start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool

    async def imported(document: dict[str, Any]) -> dict[str, Any]:
        r = await client.post("/linkedevents/v1/import", headers=COMMS,
                              json={"data": [document]})
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    document = linked_event("kuopio:77")
    [event_id] = (await imported(document))["created"]
    again = await imported(document)
    assert (again["created"], again["updated"], again["unchanged"]) == ([], [], [event_id])
    got = (await client.get(f"/events/{event_id}")).json()
    assert (got["revision"], got["status"]) == (1, "published")
    assert await pool.fetchval("SELECT count(*) FROM activity_event_history WHERE event_id = $1",
                               UUID(event_id)) == 2  # draft, published
    told = await events_on_topic(client.runtime, EVENTS_TOPIC, 2, keys=[event_id], timeout=5)
    assert [e.type.split(".")[3] for e in told] == ["published"]

    # A real change is one; a postponed one stays postponed through changes and repeats.
    postponed = linked_event("kuopio:78", event_status="EventPostponed")
    [other] = (await imported(postponed))["created"]
    changed = await imported({**postponed, "description": {"fi": "Uusi aika kerrotaan"}})
    assert changed["updated"] == [other]
    scheduled = await imported({**postponed, "event_status": "EventScheduled",
                                "description": {"fi": "Uusi aika kerrotaan"}})
    assert scheduled["unchanged"] == [other]
    got = (await client.get(f"/events/{other}")).json()
    assert (got["status"], got["revision"], got["description"]["fi"]) == (
        "postponed", 3, "Uusi aika kerrotaan")
    told = await events_on_topic(client.runtime, EVENTS_TOPIC, 4, keys=[other], timeout=5)
    assert [e.type.split(".")[3] for e in told] == ["published", "postponed", "updated"]


async def test_the_area_follows_the_venue_wherever_it_changes(start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    jynkka, _ = await library(pool, "Jynkän kirjasto", "kuopio.jynkka")
    nilsia, _ = await library(pool, "Nilsiän kirjasto", "kuopio.nilsia")

    async def in_area(area: str) -> list[str]:
        r = await client.get("/events", params={"area": area})
        return [i["id"] for i in r.json()["items"]]

    document = linked_event("kuopio:88", location={"@id": f"{API}/place/kohtaamo:{jynkka}/"})
    r = await client.post("/linkedevents/v1/import", headers=COMMS, json={"data": [document]})
    [imported] = r.json()["created"]
    assert (await client.get(f"/events/{imported}")).json()["area"] == "kuopio.jynkka"
    document["location"] = {"@id": f"{API}/place/kohtaamo:{nilsia}/"}
    r = await client.post("/linkedevents/v1/import", headers=COMMS, json={"data": [document]})
    assert r.json()["updated"] == [imported], r.text
    got = (await client.get(f"/events/{imported}")).json()
    assert (got["venue_id"], got["area"]) == (str(nilsia), "kuopio.nilsia")
    assert await in_area("kuopio.nilsia") == [imported]
    assert await in_area("kuopio.jynkka") == []

    # Any edit moving it to another venue (the use case every way in calls): that venue's
    # area, told as such; an area given with the venue is kept. (PATCH /events/{id} and the
    # organiser's form do not change the venue.)
    body = event_body(place_kind="venue", venue_id=str(jynkka), place_name=None)
    event_id = (await client.post("/events", json=body, headers=COMMS)).json()["id"]
    await client.post(f"/events/{event_id}/publish", headers=COMMS)
    staff = Principal(subject="viestinta", roles=frozenset({"communications"}))
    moved = await usecases.update_event(usecases.unit_of_work(pool), SystemClock(), staff,
                                        UUID(event_id), {"venue_id": nilsia})
    assert moved["area"] == "kuopio.nilsia"
    told = await events_on_topic(client.runtime, EVENTS_TOPIC, 2, keys=[event_id])
    assert [(e.type.split(".")[3], e.data["area"]) for e in told] == [
        ("published", "kuopio.jynkka"), ("updated", "kuopio.nilsia")]
    named = await usecases.update_event(usecases.unit_of_work(pool), SystemClock(), staff,
                                        UUID(event_id),
                                        {"venue_id": jynkka, "area": "kuopio.keskusta"})
    assert named["area"] == "kuopio.keskusta"
    assert await in_area("kuopio.nilsia") == [imported]


async def test_a_paid_rental_without_a_price_says_so_as_its_json_ld_does(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id = await library(pool, "Jynkän kirjasto", "kuopio.jynkka", "Satusali")
    rental = BookingConfirmed(
        booking_id=uuid4(), venue_id=venue_id, space_id=space_id, starts_at=START,
        ends_at=START + timedelta(hours=2), title="Kuoron konsertti", organiser_id=uuid4(),
        organiser_subject="kuoro", cooperation=False)
    await handle(pool, handlers.on_booking_confirmed, rental)
    [draft] = (await client.get("/events", params={"booking_id": str(rental.booking_id)},
                                headers=ORGANISER)).json()["items"]
    published = await client.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert (published.json()["status"], published.json()["free"],
            published.json()["price"]) == ("published", False, None), published.text

    said = {}
    for lang in ("fi", "sv", "en"):
        page = (await client.get(f"/events/{draft['id']}/page", params={"lang": lang})).text
        document = json_ld(page)
        assert document["isAccessibleForFree"] is False
        assert "price" not in document["offers"]  # not "0": nobody gave one
        said[lang] = price_line(page)
    assert said == {"fi": "Hinta ei tiedossa", "sv": "Pris inte angivet",
                    "en": "Price not given"}

    priced = await client.patch(f"/events/{draft['id']}", headers=ORGANISER,
                                json={"price": "12.50"})
    assert priced.status_code == 200, priced.text
    page = (await client.get(f"/events/{draft['id']}/page", params={"lang": "fi"})).text
    assert price_line(page) == "12,50\xa0€" and json_ld(page)["offers"]["price"] == "12.50"
    freed = await client.patch(f"/events/{draft['id']}", headers=ORGANISER,
                               json={"free": True, "price": None})
    assert freed.status_code == 200, freed.text
    page = (await client.get(f"/events/{draft['id']}/page", params={"lang": "en"})).text
    assert price_line(page) == "Free" and json_ld(page)["offers"]["price"] == "0"
    assert json_ld(page)["isAccessibleForFree"] is True


async def test_calendar_files_say_where_a_venue_activity_is(start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    venue_id, space_id = await library(pool, "Jynkän kirjasto", "kuopio.jynkka", "Satusali")
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=venue_id, space_id=space_id, starts_at=START,
        ends_at=START + timedelta(hours=2), title="Lautapeli-ilta", organiser_id=uuid4(),
        organiser_subject="kuoro", cooperation=True)
    await handle(pool, handlers.on_booking_confirmed, booking)
    [draft] = (await client.get("/events", params={"booking_id": str(booking.booking_id)},
                                headers=ORGANISER)).json()["items"]
    at_venue = draft["id"]
    await client.post(f"/events/{at_venue}/publish", headers=ORGANISER)
    outdoors = (await client.post("/events", json=event_body(), headers=COMMS)).json()["id"]
    await client.post(f"/events/{outdoors}/publish", headers=COMMS)

    feed = (await client.get("/events.ics")).text
    one = (await client.get(f"/events/{at_venue}/event.ics", params={"lang": "sv"})).text
    assert "LOCATION:Jynkän kirjasto\\, Satusali" in vevent(feed, at_venue)
    assert "LOCATION:Jynkän kirjasto\\, Satusali" in vevent(one, at_venue)
    assert "LOCATION:Jynkän puisto" in vevent(feed, outdoors)


async def test_the_organisers_form_takes_helsinki_times_as_they_are(start_service: Any) -> None:
    """A time the clocks skip is refused by field in the organiser's language, and an
    activity's length is the time that passes, not the clock faces' difference."""
    client = await start_service(spec)
    organiser = bearer("organiser", subject="lautapeliseura")
    created = await client.post("/events", headers=organiser, json=event_body())
    event_id = created.json()["id"]
    page = f"/my/activities/{event_id}"
    form = {"name.fi": "Satutuokio", "name.sv": "Sagostund", "name.en": "Story time",
            "short_description.fi": "Tarinoita lapsille", "place_name.fi": "Jynkän puisto",
            "kind": "open_guided", "place_kind": "outdoors", "languages": ["fi"], "free": "1"}
    before = (await client.get(f"/events/{event_id}", headers=organiser)).json()
    said = {
        "fi": "Alkaa: tätä kellonaikaa ei ole Suomessa",
        "sv": "Börjar: det klockslaget finns inte i Finland",
        "en": "Starts: that time does not exist in Finland"}
    for lang, text in said.items():
        sent = await client.post(page, params={"lang": lang}, headers=organiser, data={
            **form, "starts_at": "2027-03-28T03:30", "ends_at": "2027-03-28T05:00"})
        assert sent.status_code == 422 and text in sent.text, (lang, sent.text)
    assert (await client.get(f"/events/{event_id}", headers=organiser)).json() == before

    # 13 d 23.5 h from 20 March (winter time) to 3 April (summer time): within 14 days.
    saved = await client.post(page, params={"lang": "fi"}, headers=organiser, data={
        **form, "starts_at": "2027-03-20T10:00", "ends_at": "2027-04-03T10:30"})
    assert saved.status_code == 303, saved.text
    got = (await client.get(f"/events/{event_id}", headers=organiser)).json()
    assert (datetime.fromisoformat(got["starts_at"]), datetime.fromisoformat(got["ends_at"])) \
        == (datetime(2027, 3, 20, 8, 0, tzinfo=UTC), datetime(2027, 4, 3, 7, 30, tzinfo=UTC))


async def test_a_refused_import_says_so_and_what_to_fix(start_service: Any) -> None:
    """One event of the import with a start no calendar has: nothing imported, 422
    `import_rejected` with each failed event, said as an import's refusal (it read as an
    activity's present state)."""
    client = await start_service(spec)
    document = {**linked_event("kuopio:78"), "start_time": "9999-99-99"}
    r = await client.post("/linkedevents/v1/import", headers={**COMMS, "Accept-Language": "fi"},
                          json={"data": [linked_event("kuopio:79"), document]})
    said = r.json()
    assert (r.status_code, said["code"]) == (422, "import_rejected"), r.text
    assert said["message"].startswith("Tuonnissa on tapahtumia, joita ei voi tuoda")
    assert [f.get("field") for f in said["failed"]] == ["start_time"], said["failed"]
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM activity_events") == 0
