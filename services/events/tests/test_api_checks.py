"""Checks an API tester found missing (tester B, 5 Dec 2026), on the real database and
broker: an activity's area is one of Kuopio's whichever way it comes in, a vocabulary label
has no control or text-direction characters, PATCH's schema says which fields take `null`
and how a price is written as text, and a search that is not UTF-8 is refused rather than
answered with every activity."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import handlers
from services.events.app import spec
from shared.areas import AREAS
from shared.contracts import BookingConfirmed, LocalizedText, SpaceInfo, VenueRegistered
from tests.apps import handle
from tests.infra import bearer

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
ORGANISER = bearer("organiser", subject="testaaja", name="Testaaja")
COMMS = bearer("communications", subject="viestinta")


def body(**changes: Any) -> dict[str, Any]:
    return {"name": {"fi": "Pihapelit"}, "place_kind": "outdoors", "place_name": {"fi": "Puisto"},
            "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat(), **changes}


async def registered(pool: Any, area: str) -> VenueRegistered:
    venue = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Testitalo"),
                            kind="library", area=area, municipality="Kuopio",
                            spaces=[SpaceInfo(space_id=uuid4(), name=LocalizedText(fi="Tila"))])
    await handle(pool, handlers.on_venue, venue)
    return venue


async def test_an_activity_is_in_one_of_kuopios_areas_whichever_way_it_comes_in(
        start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool

    refused = await client.post("/events", headers={**ORGANISER, "Accept-Language": "sv"},
                                json=body(area="no.such.area"))
    assert refused.status_code == 422, refused.text
    said = refused.json()
    assert (said["code"], said["value"], said["known"]) == (
        "unknown_area", "no.such.area", sorted(AREAS))
    assert said["message"].startswith("Området är inte ett av Kuopios områden"), said
    assert said["detail"][0]["loc"] == ["body", "area"]
    series = await client.post("/series", headers=ORGANISER,
                               json={**body(area="kuopio.kallavesi"), "repeat": {"count": 2}})
    assert (series.status_code, series.json()["code"]) == (422, "unknown_area")
    assert await pool.fetchval("SELECT count(*) FROM activity_events") == 0
    created = await client.post("/events", headers=ORGANISER, json=body(area="kuopio.nilsia"))
    assert (created.status_code, created.json()["area"]) == (201, "kuopio.nilsia")

    # A venue kept with an area the city does not name (before venues' areas were checked):
    # its activities are in no area, never refused for an area nobody chose for them.
    odd, known = await registered(pool, "testerb.alue"), await registered(pool, "kuopio.pyoro")
    at_odd = await client.post("/events", headers=ORGANISER,
                               json=body(place_kind="venue", venue_id=str(odd.venue_id)))
    assert (at_odd.status_code, at_odd.json()["area"]) == (201, None)
    at_known = await client.post("/events", headers=ORGANISER,
                                 json=body(place_kind="venue", venue_id=str(known.venue_id)))
    assert at_known.json()["area"] == "kuopio.pyoro"
    # The Linked Events import takes its venue's area the same way.
    imported = await client.post("/linkedevents/v1/import", headers=COMMS, json={"data": [
        {"id": "le:1", "name": {"fi": "Kirjastokino"}, "start_time": START.isoformat(),
         "location": {"@id": f"https://api.example/place/kohtaamo:{odd.venue_id}/"}}]})
    assert imported.status_code == 200, imported.text
    assert await pool.fetchval("SELECT area FROM activity_events WHERE external_id = $1",
                               "linkedevents:le:1") is None
    # And so does a booking's draft, which a handler makes (a refusal there would stop it).
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=odd.venue_id, space_id=odd.spaces[0].space_id,
        starts_at=START, ends_at=START + timedelta(hours=2), title="Kuoro",
        organiser_id=uuid4(), organiser_subject="testaaja")
    await handle(pool, handlers.on_booking_confirmed, booking)
    assert await pool.fetchrow("SELECT status, area FROM activity_events WHERE booking_id = $1",
                               booking.booking_id) == ("draft", None)

    # An activity stored with such an area before is still edited and published: the area
    # it has is not the edit's fault, and neither a form nor PATCH changes an area.
    old = created.json()["id"]
    await pool.execute("UPDATE activity_events SET area = 'kuopio.vanha' WHERE id = $1",
                       UUID(old))
    edited = await client.patch(f"/events/{old}", headers=ORGANISER,
                                json={"name": {"fi": "Pihapelit ja mölkky"}})
    assert edited.status_code == 200, edited.text
    published = await client.post(f"/events/{old}/publish", headers=COMMS)
    assert published.status_code == 200, published.text


# A noncharacter or a private-use character too (a tester's round: `ab\uffffc`, `\ue000`).
@pytest.mark.parametrize("label", ["a\u001bb", "a\u000bb", "x\bq", "Peli\u0087", "\u202eabc",
                                   "a\u2066b", "ab\uffffc", "a\U0010ffffb", "Pe\ufdd0li",
                                   "Peli\ue000"])
async def test_a_vocabulary_label_with_a_control_or_direction_character_is_refused(
        start_service, label: str) -> None:
    client = await start_service(spec)
    for lang in ("fi", "sv"):
        words = {"fi": "Pelit", lang: label}
        answer = await client.put("/vocabulary", headers={**COMMS, "Accept-Language": "en"},
                                  json={"scheme": "topic", "code": "pelit", "label": words})
        assert answer.status_code == 422, (label, lang, answer.text)
        said = answer.json()
        assert (said["code"], said["detail"][0]["loc"]) == (
            "text_chars", ["body", "label", lang])
        assert said["message"] == "The text has characters that cannot be saved."
    assert (await client.get("/vocabulary")).json()["topic"].get("pelit") is None
    fine = await client.put("/vocabulary", headers=COMMS, json={
        "scheme": "topic", "code": "pelit", "label": {"fi": "Pelit ja leikit", "sv": "Spel"}})
    assert fine.status_code == 200, fine.text


async def test_patch_says_which_fields_take_null_and_how_a_price_is_written(
        start_service) -> None:
    client = await start_service(spec)
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    patch = schemas["ActivityEventPatch"]["properties"]
    for field in ("name", "starts_at", "ends_at", "kind", "topics", "languages", "free"):
        # No form of it is null (a moment has two forms, shared/openapi.py, neither null).
        forms = patch[field].get("anyOf", [patch[field]])
        assert all(form.get("type") != "null" for form in forms), field
    # Fields that may be empty take null: it unsets them.
    assert {"type": "null"} in patch["description"]["anyOf"]
    assert {"type": "null"} in patch["min_age"]["anyOf"]
    price = next(b for b in patch["price"]["anyOf"] if "anyOf" in b)["anyOf"]
    text = next(b for b in price if b["type"] == "string")
    assert text["pattern"] == schemas["ActivityEventIn"]["properties"]["price"]["anyOf"][0][
        "anyOf"][1]["pattern"]

    created = (await client.post("/events", headers=ORGANISER,
                                 json=body(free=False, price="12.50",
                                           description={"fi": "Tule mukaan"}))).json()
    assert created["price"] == "12.50"
    path = f"/events/{created['id']}"
    for given, ok in (("12,50", False), ("abc", False), ("1e2", False), ("100000.01", False),
                      ("999999", False), ("5", True), ("7.5", True), ("100000", True)):
        assert (re.fullmatch(text["pattern"], given) is not None) is ok, given
        answer = await client.patch(path, headers=ORGANISER, json={"price": given})
        assert (answer.status_code == 200) is ok, (given, answer.text)
    for field in ("name", "starts_at", "ends_at"):
        answer = await client.patch(path, headers=ORGANISER, json={field: None})
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["loc"] == ["body", field]
    unset = await client.patch(path, headers=ORGANISER, json={"description": None,
                                                              "price": None})
    assert unset.status_code == 200, unset.text
    assert (unset.json()["description"], unset.json()["price"]) == (None, None)


async def test_a_search_that_is_not_utf8_is_refused_not_answered_with_everything(
        start_service) -> None:
    client = await start_service(spec)
    created = await client.post("/events", headers=COMMS, json=body(area="kuopio.jynkka"))
    await client.post(f"/events/{created.json()['id']}/publish", headers=COMMS)
    assert (await client.get("/events")).json()["total"] == 1
    for path in ("/events?q=%ED%A0%80", "/events?q=piha%FF", "/events.ics?q=%C3"):
        answer = await client.get(path)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["detail"][0]["loc"] == ["query", "q"]
    assert (await client.get("/events", params={"q": "pihapelit"})).json()["total"] == 1
    assert (await client.get("/events", params={"q": "Jynkkä"})).json()["total"] == 1
    # The calendar page reads a search the same way: refused, said by its label, as a page.
    page = await client.get("/calendar?q=piha%FF&lang=fi", headers={"Accept": "text/html"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "Hakusana" in page.text
    found = await client.get("/calendar", params={"q": "Jynkkä", "lang": "fi"})
    assert found.status_code == 200 and created.json()["name"]["fi"] in found.text


async def test_the_vocabulary_page_says_such_a_label_by_its_input(start_service) -> None:
    """The staff page's add form goes through the same rule: refused as typed, said by the
    label's input in the page's language ("cannot be saved"), not as a missing Finnish name."""
    from services.events.tests.test_vocabulary_page import PAGE, _input, _sign_in

    client = await start_service(spec)
    csrf = await _sign_in(client)
    refused = await client.post(f"{PAGE}/add?lang=fi", data={
        "csrf": csrf, "scheme": "topic", "code": "pelit", "label_fi": "Pelit\u001b[31m",
        "label_sv": "Spel\u202e", "label_en": ""})
    assert refused.status_code == 422, refused.text
    html = refused.text
    for lang in ("fi", "sv"):
        assert 'aria-invalid="true"' in _input(html, f"add-label-{lang}")
        assert re.search(rf'id="x-add-label-{lang}">Tekstissä on merkkejä, joita ei voi '
                         r"tallentaa\.</span>", html), lang
    assert (await client.get("/vocabulary")).json()["topic"].get("pelit") is None


async def test_an_unknown_kind_is_refused_as_every_service_refuses_it(start_service) -> None:
    """`unknown_kind` (`unknown_topic`, `unknown_audience`) with the codes known, in a new
    activity's body and in a list's filter, as boards, channels and the figures answer."""
    client = await start_service(spec)
    made = await client.post("/events", headers=ORGANISER,
                             json=body(area="kuopio.nilsia", kind="dragon_hunt"))
    said = made.json()
    assert (made.status_code, said["code"], said["value"]) == (422, "unknown_kind",
                                                               "dragon_hunt")
    assert said["detail"][0]["loc"] == ["body", "kind"] and said["known"]
    assert "dragon_hunt" not in said["known"]
    topics = await client.post("/events", headers=ORGANISER,
                               json=body(area="kuopio.nilsia", topics=["dragons"]))
    assert (topics.status_code, topics.json()["code"]) == (422, "unknown_topic")
    for path in ("/events?kind=dragon_hunt", "/events.rss?kind=dragon_hunt"):
        listed = await client.get(path)
        assert (listed.status_code, listed.json()["code"]) == (422, "unknown_kind"), path
        assert listed.json()["known"] == said["known"]
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM activity_events") == 0


@pytest.mark.parametrize("blank", ["\u200b", "\u202e", " \u2060 "])
async def test_an_activity_is_named_by_something_to_read(start_service, blank: str) -> None:
    """A name of a zero-width space or a lone direction mark would be a blank line in the
    calendar, on boards and in posts: `name_unreadable` by its language, as booking refuses
    a venue's; nothing stored."""
    client = await start_service(spec)
    for name, loc in (({"fi": blank}, "fi"), ({"fi": "Satutuokio", "sv": blank}, "sv")):
        made = await client.post("/events", headers={**ORGANISER, "Accept-Language": "fi"},
                                 json=body(area="kuopio.nilsia", name=name))
        said = made.json()
        assert (made.status_code, said["code"]) == (422, "name_unreadable"), made.text
        assert said["detail"][0]["loc"] == ["body", "name", loc]
        assert said["message"].startswith("Nimessä ei ole mitään luettavaa")
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM activity_events") == 0


async def test_a_topic_or_audience_is_given_once(start_service) -> None:
    """Each once, as a board's lists are: a topic twice would be shown and counted twice."""
    client = await start_service(spec)
    made = await client.post("/events", headers=ORGANISER, json=body(
        area="kuopio.nilsia", topics=["culture", "culture"]))
    said = made.json()
    assert (made.status_code, said["code"], said["detail"][0]["loc"]) == (
        422, "repeated", ["body", "topics", 1]), made.text
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM activity_events") == 0


async def test_an_image_address_as_long_as_the_document_allows_is_taken(start_service) -> None:
    """The API writes an address normalised ("https://host" as "https://host/"): one of the
    2,000 characters its document allows was refused as 2,001 (a tester's fuzzing)."""
    client = await start_service(spec)
    longest = "https://" + "a" * 1989 + ".fi"
    assert len(longest) == 2000
    made = await client.post("/events", headers=ORGANISER, json=body(
        area="kuopio.nilsia", image_url=longest))
    assert made.status_code == 201, made.text
    assert made.json()["image_url"] == longest + "/"
    too_long = await client.post("/events", headers=ORGANISER, json=body(
        area="kuopio.nilsia", image_url=longest + "a"))
    assert too_long.status_code == 422, too_long.text
    assert too_long.json()["message"] == "Kuvan osoite: enintään 2\u00a0000 merkkiä.", too_long.text


async def test_the_calendar_offers_only_the_citys_areas(start_service) -> None:
    """A venue kept with an odd code (before booking checked areas) offered it as a choice
    the filter then refused (a tester's round)."""
    client = await start_service(spec)
    await registered(client.runtime.pool, "kuopio.nilsia")
    await registered(client.runtime.pool, "testerb.alue")
    page = await client.get("/calendar", params={"lang": "sv"})
    assert page.status_code == 200, page.text
    assert 'value="kuopio.nilsia"' in page.text and "testerb.alue" not in page.text


async def test_a_published_activitys_time_is_not_patched_and_says_how_to_move_it(
        start_service: Any) -> None:
    """The refusal's message was "check this (a published event's time changes by
    rescheduling it)": English inside Finnish."""
    client = await start_service(spec)
    made = (await client.post("/events", headers=COMMS, json={
        "name": {"fi": "Puistojooga"}, "kind": "open_guided", "place_kind": "outdoors",
        "place_name": {"fi": "Puisto"},
        "area": "kuopio.jynkka", "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=1)).isoformat()})).json()
    assert (await client.post(f"/events/{made['id']}/publish", headers=COMMS)
            ).json()["status"] == "published"
    later = {"starts_at": (START + timedelta(hours=2)).isoformat(),
             "ends_at": (START + timedelta(hours=3)).isoformat()}
    for lang, words in (("fi", "Julkaistun tapahtuman aika muutetaan siirtämällä"),
                        ("sv", "Tiden för ett publicerat evenemang ändras genom att flytta"),
                        ("en", "A published activity's time changes by moving")):
        refused = await client.patch(f"/events/{made['id']}", json=later,
                                     headers={**COMMS, "Accept-Language": lang})
        assert refused.status_code == 422, refused.text
        assert refused.json()["message"].startswith(words), refused.json()["message"]
        assert "rescheduling it" not in refused.json()["message"]
