"""A tester's findings on the booking API, each at the HTTP level: a venue's area is one of
Kuopio's, the texts residents read of venues and spaces refuse control and text-direction
characters as booking titles do, every moment an answer writes is UTC with `Z`, a caller's
own bookings list their contact as the booking itself does, and a refusal in a venue's
second space names that space."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from services.booking.app import spec
from services.booking.tests.test_api import ADMIN, KANTTI, MAIJA, TOMORROW, booking, venue
from shared.areas import AREAS

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")
EN = {"Accept-Language": "en"}


def _refused(answer: Any, code: str, loc: list[Any]) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    assert body["detail"][0]["loc"] == loc, body
    return body


async def test_a_venue_is_in_one_of_kuopios_areas(start_service) -> None:
    """`POST /venues` and `PATCH /venues/{id}` refuse an area shared/areas.py does not name
    (its notice board would be in an area no board or figure knows), with `unknown_area`
    and the known codes; nothing is stored."""
    client = await start_service(spec)
    elsewhere = {**KANTTI, "name": {"fi": "TesterB testitalo"}, "area": "testerb.alue"}
    body = _refused(await client.post("/venues", json=elsewhere, headers={**ADMIN, **EN}),
                    "unknown_area", ["body", "area"])
    assert body["known"] == sorted(AREAS) and body["value"] == "testerb.alue"
    assert body["message"].startswith("The area is not one of Kuopio's areas.")
    assert "kuopio.keskusta (City centre)" in body["message"]
    listed = (await client.get("/venues")).json()
    assert [v["name"]["fi"] for v in listed] == []
    # The document says which areas there are.
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for model in ("VenueIn", "VenuePatch"):
        assert all(code in schemas[model]["properties"]["area"]["description"]
                   for code in AREAS), model

    v, _desk = await venue(client)
    moved = await client.patch(f"/venues/{v['id']}", headers={**ADMIN, "Accept-Language": "sv"},
                               json={"area": "testerb.alue"})
    body = _refused(moved, "unknown_area", ["body", "area"])
    assert "kuopio.keskusta (Centrum)" in body["message"]
    assert (await client.get(f"/venues/{v['id']}")).json()["area"] == "kuopio.keskusta"
    kept = await client.patch(f"/venues/{v['id']}", headers=ADMIN, json={"area": "kuopio.jynkka"})
    assert kept.status_code == 200 and kept.json()["area"] == "kuopio.jynkka", kept.text


@pytest.mark.parametrize("char", ["\x1b", "\x0b", "\x08", "\x7f", "\x87", "\u202e", "\u2066"])
async def test_venue_and_space_texts_refuse_control_and_direction_characters(
    start_service, char: str
) -> None:
    """ESC, VT, BS, DEL, a C1 control and the text-direction characters are refused in a
    venue's and a space's texts with `text_chars` naming the language's field, as in a
    booking's title; a description's line break is kept."""
    client = await start_service(spec)
    named = {**KANTTI, "name": {"fi": f"TesterB{char} testitalo"}}
    _refused(await client.post("/venues", json=named, headers=ADMIN), "text_chars",
             ["body", "name", "fi"])
    spaces = [KANTTI["spaces"][0], {"name": {"fi": "Sali", "en": f"Ha{char}ll"}}]
    _refused(await client.post("/venues", json={**KANTTI, "spaces": spaces}, headers=ADMIN),
             "text_chars", ["body", "spaces", 1, "name", "en"])
    assert (await client.get("/venues")).json() == []

    v, desk = await venue(client)
    for change, loc in (({"name": {"fi": f"KAN{char}TTI"}}, ["body", "name", "fi"]),
                        ({"description": {"fi": "Kirjasto", "sv": f"Biblio{char}tek"}},
                         ["body", "description", "sv"]),
                        ({"accessibility": {"fi": f"His{char}si"}},
                         ["body", "accessibility", "fi"])):
        _refused(await client.patch(f"/venues/{v['id']}", headers=desk, json=change),
                 "text_chars", loc)
    _refused(await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                               json={"name": {"fi": f"Pieni{char}sali"}}),
             "text_chars", ["body", "name", "fi"])
    _refused(await client.post("/bookings", headers=MAIJA, json=booking(
        v["spaces"][0]["id"], title=f"Luku{char}piiri")), "text_chars", ["body", "title"])
    described = await client.patch(f"/venues/{v['id']}", headers=desk, json={
        "description": {"fi": "Kirjasto.\nKaksi kerrosta."}})
    assert described.status_code == 200, described.text
    assert described.json()["description"]["fi"] == "Kirjasto.\nKaksi kerrosta."


@pytest.mark.parametrize("blank", ["   ", "\u200b", "\u0301", "\u00a0\u2060"])
async def test_a_venue_or_space_is_named_by_something_to_read(start_service, blank: str
                                                              ) -> None:
    """Only spaces, a zero-width space or a lone combining mark would be a blank line on
    the venue page, the boards and every list of places: refused with `name_unreadable`
    naming the language's field, in the reader's language, when a venue is registered or
    renamed and when a space is added; nothing stored."""
    client = await start_service(spec)
    _refused(await client.post("/venues", json={**KANTTI, "name": {"fi": "KANTTI",
                                                                   "sv": blank}},
                               headers=ADMIN), "name_unreadable", ["body", "name", "sv"])
    spaces = [KANTTI["spaces"][0], {"name": {"fi": blank}}]
    said = _refused(await client.post("/venues", json={**KANTTI, "spaces": spaces},
                                      headers={**ADMIN, "Accept-Language": "fi"}),
                    "name_unreadable", ["body", "spaces", 1, "name", "fi"])
    assert said["message"].startswith("Nimessä ei ole mitään luettavaa")
    assert (await client.get("/venues")).json() == []

    v, desk = await venue(client)
    _refused(await client.patch(f"/venues/{v['id']}", headers=desk,
                                json={"name": {"fi": blank}}),
             "name_unreadable", ["body", "name", "fi"])
    _refused(await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                               json={"name": {"fi": "Pieni sali", "en": blank}}),
             "name_unreadable", ["body", "name", "en"])
    kept = (await client.get(f"/venues/{v['id']}")).json()
    assert kept["name"] == v["name"] and len(kept["spaces"]) == len(v["spaces"])


async def test_a_venues_languages_are_each_given_once(start_service) -> None:
    client = await start_service(spec)
    _refused(await client.post("/venues", json={**KANTTI, "languages": ["fi", "fi", "fi"]},
                               headers=ADMIN), "invalid", ["body", "languages"])
    v, desk = await venue(client)
    _refused(await client.patch(f"/venues/{v['id']}", headers=desk,
                                json={"languages": ["sv", "sv"]}),
             "invalid", ["body", "languages"])
    assert (await client.get(f"/venues/{v['id']}")).json()["languages"] == v["languages"]


async def test_a_thing_to_lend_is_named_in_at_most_200_characters_as_its_schema_says(
    start_service
) -> None:
    client = await start_service(spec)
    document = (await client.get("/openapi.json")).json()
    names = document["components"]["schemas"]["Name"]["properties"]
    assert [names[lang].get("maxLength") or names[lang]["anyOf"][0]["maxLength"]
            for lang in ("fi", "sv", "en")] == [200] * 3
    v, desk = await venue(client)
    url = f"/venues/{v['id']}/resources"
    long = await client.post(url, headers=desk, json={"name": {"fi": "x" * 201}, "quantity": 1})
    assert long.status_code == 422 and long.json()["detail"][0]["loc"] == ["body", "name", "fi"]
    made = await client.post(url, headers=desk, json={"name": {"fi": "x" * 200}, "quantity": 1})
    assert made.status_code == 201, made.text


def _utc(text: str) -> bool:
    return text.endswith("Z") and "+" not in text


async def test_every_moment_an_answer_writes_is_utc(start_service) -> None:
    """Free slots, a week's hours, whether open, a loan as lent and as cancelled, a booking
    and its history: each moment written in UTC with `Z`, whatever offset the request gave
    (a slot read "09:00+02:00 → 08:00Z")."""
    client = await start_service(spec)
    v, desk = await venue(client, hours=[{"weekday": d, "opens": "09:00", "closes": "20:00"}
                                         for d in range(1, 8)])
    room = v["spaces"][0]["id"]
    day = TOMORROW.astimezone(HELSINKI).date() + timedelta(days=1)

    def at(hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=HELSINKI)

    made = await client.post("/bookings", headers=MAIJA, json=booking(room, at(10), hours=1))
    assert made.status_code == 201, made.text
    slots = (await client.get(f"/spaces/{room}/free-slots",
                              params={"day": day.isoformat()})).json()
    assert [(s["starts_at"], s["ends_at"]) for s in slots] == [
        (_z(at(9)), _z(at(10))), (_z(at(11)), _z(at(20)))]
    week = (await client.get(f"/venues/{v['id']}/hours", params={"week": day.isoformat()})
            ).json()
    assert week and all(_utc(i["starts_at"]) and _utc(i["ends_at"]) for i in week)
    assert (await client.get(f"/venues/{v['id']}/open", params={"at": at(12).isoformat()})
            ).json()["at"] == _z(at(12))
    assert _utc((await client.get(f"/venues/{v['id']}/open")).json()["at"])

    thing = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Pelikonsoli"}, "quantity": 2})).json()
    lent = await client.post("/loans", headers=desk, json={
        "resource_id": thing["id"], "quantity": 1, "starts_at": at(15).isoformat(),
        "ends_at": at(17).isoformat(), "borrower": {"name": "Kalle"}})
    assert lent.status_code == 201, lent.text
    assert (lent.json()["starts_at"], lent.json()["ends_at"]) == (_z(at(15)), _z(at(17)))
    cancelled = await client.post(f"/loans/{lent.json()['id']}/cancel", headers=desk)
    assert (cancelled.json()["starts_at"], cancelled.json()["ends_at"]) \
        == (lent.json()["starts_at"], lent.json()["ends_at"])

    got = (await client.get(f"/bookings/{made.json()['id']}", headers=MAIJA)).json()
    assert (got["starts_at"], got["ends_at"]) == (_z(at(10)), _z(at(11)))
    assert all(_utc(h["at"]) for h in got["history"])
    # A refusal's times too: the day's opening hours of a time outside them.
    late = await client.post("/bookings", headers=MAIJA, json=booking(room, at(21), hours=1))
    assert late.status_code == 422, late.text
    closed = next(r for r in late.json()["refusals"] if r["code"] == "closed")
    assert [(o["starts_at"], o["ends_at"]) for o in closed["open"]] == [(_z(at(9)), _z(at(20)))]


def _z(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_my_bookings_list_their_contact_as_the_booking_does(start_service) -> None:
    client = await start_service(spec)
    v, _desk = await venue(client)
    made = await client.post("/bookings", headers=MAIJA, json=booking(v["spaces"][1]["id"]))
    assert made.status_code == 201, made.text
    one = (await client.get(f"/bookings/{made.json()['id']}", headers=MAIJA)).json()
    mine = (await client.get("/bookings/mine", headers=MAIJA)).json()
    assert [b["id"] for b in mine] == [one["id"]]
    assert mine[0]["organiser"] == one["organiser"] == {
        "name": "Maija Meikäläinen", "email": "maija@example.fi", "phone": None}


async def test_a_foreign_parent_is_refused_by_its_spaces_place(start_service) -> None:
    """A venue's second space whose `parent_id` is no space of the venue: the refusal names
    `spaces.1.parent_id` (`parent_space`, said in the reader's language) and nothing of the
    venue is kept."""
    client = await start_service(spec)
    spaces = [KANTTI["spaces"][0], {"name": {"fi": "Sali B"}, "parent_id": str(uuid4())}]
    refused = await client.post("/venues", headers={**ADMIN, **EN},
                                json={**KANTTI, "spaces": spaces})
    body = _refused(refused, "parent_space", ["body", "spaces", 1, "parent_id"])
    assert body["message"] == "The space this one is a part of must be a space of the same venue."
    assert (await client.get("/venues")).json() == []
    v, desk = await venue(client)
    alone = await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                              json={"name": {"fi": "Osa"}, "parent_id": str(uuid4())})
    _refused(alone, "parent_space", ["body", "parent_id"])
