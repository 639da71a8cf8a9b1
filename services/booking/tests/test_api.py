"""Booking API against the real PostgreSQL and Kafka (service started in-process)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from services.booking.app import spec
from shared.clock import FixedClock
from shared.contracts import BOOKING_TOPIC
from shared.envelope import Envelope
from tests.infra import Infra, bearer, read_topic

pytestmark = pytest.mark.infra

TOMORROW = (datetime.now(UTC) + timedelta(days=1)).replace(hour=12, minute=0, second=0,
                                                           microsecond=0)  # 14.00 in Helsinki
ADMIN = bearer("admin", subject="admin")
#: Her identity provider vouches for her address: booking mail may go to it (issue #13).
MAIJA = bearer("organiser", subject="maija", name="Maija Meikäläinen",
               email="maija@example.fi", email_verified=True)
MATTI = bearer("organiser", subject="matti", name="Matti Virtanen")

KANTTI: dict[str, Any] = {
    "name": {"fi": "KANTTI", "sv": "KANTTI", "en": "KANTTI"},
    "kind": "library",
    "area": "kuopio.keskusta",
    "municipality": "Kuopio",
    "has_paid_space": True,
    "spaces": [
        {"name": {"fi": "Kokoussali"}, "capacity": 40, "paid": True,
         "rules": {"price_per_hour": "30.00"}},
        {"name": {"fi": "Lastenosaston lava"}, "capacity": 60,
         "rules": {"buffer_minutes": 15}},
    ],
}


def z(moment: datetime) -> str:
    """A UTC time as the API writes it."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def booking(space_id: str, start: datetime = TOMORROW, hours: float = 2,
            **changes: Any) -> dict[str, Any]:
    body = {
        "space_id": space_id,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(),
        "title": "Lukupiiri",
        "organiser": {"name": "Maija Meikäläinen", "email": "maija@example.fi"},
        "library_contact": "Liisa Kirjasto",
        "accept_house_rules": True,
    }
    body.update(changes)
    return body


async def venue(client: Any, body: dict[str, Any] = KANTTI,
                hours: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """A venue open 6–23 every day (unless `hours`), and a desk token for it."""
    created = await client.post("/venues", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    v = created.json()
    desk = bearer("desk", venues=(v["id"],), subject="desk", name="Tiskivirkailija")
    weekly = hours or [{"weekday": d, "opens": "06:00", "closes": "23:00"} for d in range(1, 8)]
    r = await client.put(f"/venues/{v['id']}/hours", json={"weekly": weekly}, headers=desk)
    assert r.status_code == 200, r.text
    return v, desk


async def test_register_book_confirm_publishes_each_step(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    assert [s["name"]["fi"] for s in v["spaces"]] == ["Kokoussali", "Lastenosaston lava"]
    stage = v["spaces"][1]["id"]

    created = await client.post("/bookings", json=booking(stage), headers=MAIJA)
    assert created.status_code == 201, created.text
    booking_id = created.json()["id"]
    assert created.json()["status"] == "requested"

    assert (await client.post(f"/bookings/{booking_id}/confirm", headers=MAIJA)).status_code \
        == 403  # organisers do not confirm their own bookings
    confirmed = await client.post(f"/bookings/{booking_id}/confirm", headers=desk)
    assert confirmed.status_code == 200
    assert [(h["status"], h["actor"]) for h in confirmed.json()["history"]] == [
        ("requested", "organiser:maija"), ("confirmed", "desk:desk")]
    assert (await client.post(f"/bookings/{booking_id}/confirm", headers=desk)).status_code \
        == 409

    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=4)
    envelopes = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert sorted(e.type for e in envelopes) == [
        "fi.kohtaamo.booking.confirmed.v1",
        "fi.kohtaamo.booking.requested.v1",
        "fi.kohtaamo.venue.registered.v1",
        "fi.kohtaamo.venue.updated.v1",  # its opening hours were set
    ]
    hours = next(e for e in envelopes if e.type.endswith("venue.updated.v1"))
    assert len(hours.data["opening_hours"]) == 7
    for e in envelopes:
        # No name or contact details on the bus: a pseudonymous id and the opaque subject,
        # and only the address notifications email the organiser at (`contact_email`).
        rest = {k: v for k, v in e.data.items() if k != "contact_email"}
        assert "Meikäläinen" not in str(e.data) and "@example.fi" not in str(rest)
    confirmed_event = next(e for e in envelopes if e.type.endswith("booking.confirmed.v1"))
    assert confirmed_event.data["organiser_subject"] == "maija"
    assert confirmed_event.data["contact_email"] == "maija@example.fi"


async def test_roles_decide_who_sees_and_does_what(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    other_desk = bearer("desk", venues=(str(uuid4()),), subject="other-desk")
    stage = v["spaces"][1]["id"]
    assert (await client.post("/bookings", json=booking(stage))).status_code == 401
    assert (await client.post("/venues", json=KANTTI, headers=MAIJA)).status_code == 403
    mine = (await client.post("/bookings", json=booking(stage), headers=MAIJA)).json()

    assert (await client.get(f"/bookings/{mine['id']}", headers=MATTI)).status_code == 403
    assert (await client.get(f"/bookings/{mine['id']}")).status_code == 401
    assert (await client.post(f"/bookings/{mine['id']}/confirm",
                              headers=other_desk)).status_code == 403
    seen_by_desk = (await client.get(f"/bookings/{mine['id']}", headers=desk)).json()
    assert seen_by_desk["organiser"]["email"] == "maija@example.fi"
    assert [b["id"] for b in (await client.get("/bookings/mine", headers=MAIJA)).json()] == \
        [mine["id"]]
    assert (await client.get("/bookings/mine", headers=MATTI)).json() == []
    desk_list = (await client.get("/desk/bookings", headers=desk)).json()
    assert [b["id"] for b in desk_list] == [mine["id"]]
    assert (await client.get("/desk/bookings", headers=MAIJA)).status_code == 403

    # The public sees that a time is taken, never by whom.
    ics = (await client.get(f"/spaces/{stage}/calendar.ics")).text
    assert "Varattu / Bokad / Booked" in ics and "Lukupiiri" not in ics
    assert "Lukupiiri" in (await client.get(f"/spaces/{stage}/calendar.ics", headers=desk)).text
    slots = (await client.get(f"/spaces/{stage}/free-slots",
                              params={"day": TOMORROW.date().isoformat()})).json()
    assert all(set(s) == {"starts_at", "ends_at", "kind"} for s in slots)
    assert (await client.post("/bookings", json=booking(stage), headers={
        "Authorization": "Bearer not-a-token"})).status_code == 401


async def test_overlap_gets_409_with_the_conflicting_slot_and_buffers_count(
    start_service,
) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    stage = v["spaces"][1]["id"]  # 15 minutes' buffer after each booking
    assert (await client.post("/bookings", json=booking(stage), headers=MAIJA)).status_code == 201
    clash = await client.post("/bookings", json=booking(stage, TOMORROW + timedelta(hours=1)),
                              headers=MATTI)
    assert clash.status_code == 409
    assert clash.json()["conflicts"] == [{"starts_at": z(TOMORROW),
                                          "ends_at": z(TOMORROW + timedelta(hours=2))}]
    in_buffer = await client.post("/bookings", json=booking(stage, TOMORROW + timedelta(
        hours=2, minutes=10)), headers=MATTI)
    assert in_buffer.status_code == 409
    after = await client.post("/bookings", json=booking(stage, TOMORROW + timedelta(
        hours=2, minutes=15)), headers=MATTI)
    assert after.status_code == 201, after.text


async def test_50_concurrent_requests_for_overlapping_slots_exactly_one_wins(
    start_service,
) -> None:
    client = await start_service(spec, db_pool_max=20)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    # Every pair overlaps: starts lie within 98 minutes and each booking lasts two hours.
    starts = [TOMORROW + timedelta(minutes=2 * i) for i in range(50)]
    answers = await asyncio.gather(*[
        client.post("/bookings", json=booking(hall, s), headers=bearer(
            "organiser", subject=f"org-{i}", name=f"Järjestäjä {i}"))
        for i, s in enumerate(starts)])
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 49
    winner = next(a.json() for a in answers if a.status_code == 201)
    for loser in (a for a in answers if a.status_code == 409):
        assert loser.json()["conflicts"] == [{"starts_at": winner["starts_at"],
                                              "ends_at": winner["ends_at"]}]


async def test_a_hall_and_its_rooms_cannot_be_double_booked(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "spaces": [{"name": {"fi": "Sali"}}]})
    hall = v["spaces"][0]["id"]
    for part in ("Sali A", "Sali B"):
        r = await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                              json={"name": {"fi": part}, "parent_id": hall})
        assert r.status_code == 201
    rooms = [s["id"] for s in r.json()["spaces"] if s["parent_id"] == hall]
    assert (await client.post("/bookings", json=booking(rooms[0]), headers=MAIJA)).status_code \
        == 201
    whole = await client.post("/bookings", json=booking(hall), headers=MATTI)
    assert whole.status_code == 409  # room A is taken, so the whole hall is
    assert (await client.post("/bookings", json=booking(rooms[1]), headers=MATTI)).status_code \
        == 201
    bad_parent = await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                                   json={"name": {"fi": "X"}, "parent_id": str(uuid4())})
    assert bad_parent.status_code == 422


async def test_rules_and_bad_input_are_refused_readably(start_service) -> None:
    client = await start_service(spec)
    branch, _ = await venue(client, {**KANTTI, "has_paid_space": False, "area": "kuopio.jynkka"})
    room = branch["spaces"][1]["id"]

    async def refused(body: dict[str, Any], status: int = 422) -> dict[str, Any]:
        r = await client.post("/bookings", json=body, headers=MAIJA)
        assert r.status_code == status, r.text
        return r.json()  # type: ignore[no-any-return]

    paid = await refused(booking(room, cooperation=False))
    assert paid["detail"][0]["loc"] == ["body", "cooperation"]
    assert "no paid space" in paid["detail"][0]["msg"]
    party = await refused(booking(room, organiser_type="party"))
    assert "equal opportunity" in party["detail"][0]["msg"]
    assert "contact person" in (await refused(booking(room, library_contact=None))
                                )["detail"][0]["msg"]
    assert (await refused(booking(room, hours=-1)))["detail"][0]["loc"] == ["body", "ends_at"]
    night = TOMORROW.replace(hour=22)  # 00.00 in Helsinki: closed
    assert "opening hours" in (await refused(booking(room, night)))["detail"][0]["msg"]
    naive = booking(room)
    naive["starts_at"] = "2026-12-01T10:00:00"
    await refused(naive)
    await refused(booking(room, organiser={"name": "X", "email": "not-an-email"}))
    await refused(booking("00000000-0000-0000-0000-000000000000"), 404)
    assert (await client.get("/bookings/not-a-uuid", headers=MAIJA)).status_code == 422
    assert (await client.post("/venues", json={"name": {"fi": "X"}},
                              headers=ADMIN)).status_code == 422
    for i in range(3):  # at most 3 open requests per organiser and space
        start = TOMORROW + timedelta(days=i + 1)
        assert (await client.post("/bookings", json=booking(room, start),
                                  headers=MAIJA)).status_code == 201
    assert "open requests" in (await refused(booking(room, TOMORROW + timedelta(days=5)),
                                             409))["detail"]


async def test_open_request_limit_holds_under_concurrent_requests(start_service) -> None:
    """One organiser's requests wait for each other on the organiser's row, so requests sent
    at once cannot all slip under the limit (3 per space); the one out of hours is still
    told about the limit first, as before."""
    client = await start_service(spec)
    v, _ = await venue(client)
    room = v["spaces"][1]["id"]
    results = await asyncio.gather(*(
        client.post("/bookings", json=booking(room, TOMORROW + timedelta(days=i + 1)),
                    headers=MATTI) for i in range(6)))
    assert sorted(r.status_code for r in results) == [201, 201, 201, 409, 409, 409]
    assert all("open requests" in r.json()["detail"] for r in results if r.status_code == 409)
    night = (TOMORROW + timedelta(days=9)).replace(hour=22)  # closed, and over the limit
    late = await client.post("/bookings", json=booking(room, night), headers=MATTI)
    assert late.status_code == 409 and "open requests" in late.json()["detail"]
    mine = (await client.get("/bookings/mine", headers=MATTI)).json()
    assert len(mine) == 3 and {b["status"] for b in mine} == {"requested"}


async def test_paid_rental_in_the_main_library_gets_price_and_reference(start_service) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    party = bearer("organiser", subject="puolue", name="Puolueyhdistys")
    r = await client.post("/bookings", headers=party, json=booking(
        hall, hours=1.5, cooperation=False, organiser_type="party", library_contact=None))
    assert r.status_code == 201, r.text
    assert r.json()["price"] == "45.00"
    reference = r.json()["invoice_reference"]
    weights = (7, 3, 1)
    body, check = reference[:-1], int(reference[-1])
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(body)))
    assert (10 - total % 10) % 10 == check


async def test_hours_exceptions_and_self_service_access_codes(start_service) -> None:
    client = await start_service(spec)
    weekly = [{"weekday": d, "opens": "12:00", "closes": "19:00"} for d in range(1, 8)] + [
        {"weekday": d, "opens": "07:00", "closes": "21:00", "kind": "self_service"}
        for d in range(1, 8)]
    body = {**KANTTI, "spaces": [{"name": {"fi": "Ryhmätila"}, "rules": {"self_service": True}}]}
    v, desk = await venue(client, body, hours=weekly)
    room = v["spaces"][0]["id"]
    day = TOMORROW.date()
    week = (await client.get(f"/venues/{v['id']}/hours", params={"week": day.isoformat()})).json()
    assert len(week) == 14 and {i["kind"] for i in week} == {"staffed", "self_service"}
    def at(hour: int) -> datetime:  # Helsinki local time, summer or winter
        return datetime.combine(day, time(hour), tzinfo=ZoneInfo("Europe/Helsinki"))

    assert (await client.get(f"/venues/{v['id']}/open",
                             params={"at": at(13).isoformat()})).json()["kind"] == "staffed"
    assert (await client.get(f"/venues/{v['id']}/open",
                             params={"at": at(8).isoformat()})).json()["kind"] == "self_service"
    assert (await client.get(f"/venues/{v['id']}/open",
                             params={"at": at(22).isoformat()})).json()["open"] is False

    evening = await client.post("/bookings", json=booking(room, at(19), hours=1.5),
                                headers=MAIJA)
    assert evening.status_code == 201, evening.text
    assert evening.json()["hours_kind"] == "self_service"
    # A request opens no door: its code is given once it is confirmed, in the API and its
    # calendar entry alike (a tester read a rejected booking's code from the API).
    assert evening.json()["status"] == "requested" and evening.json()["access_code"] is None
    ics = f"/bookings/{evening.json()['id']}/booking.ics"
    entry = (await client.get(ics, headers=MAIJA)).text
    assert "Door code" not in entry and "SEQUENCE:1\r\n" in entry
    # Moved by the desk, the entry's SEQUENCE grows with the booking's revision (a calendar
    # that took it before takes the new time).
    confirmed = await client.post(f"{ics.removesuffix('/booking.ics')}/confirm", headers=desk)
    assert confirmed.status_code == 200, confirmed.text
    code = confirmed.json()["access_code"]
    assert len(code) == 6
    assert (await client.get(ics, headers=MAIJA)).text.count("Door code") == 1
    # The desk reads it on its day and on the printed sheet, for whoever asks (a walk-in
    # has no mail to read it from).
    for path in ("/desk", "/desk/day-sheet"):
        page = await client.get(path, headers=desk, params={
            "venue_id": v["id"], "day": day.isoformat(), "lang": "fi"})
        assert page.status_code == 200, page.text
        assert f"Ovikoodi: {code}" in page.text, path
    moved = await client.post(f"{ics.removesuffix('/booking.ics')}/move", headers=desk, json={
        "starts_at": at(18).isoformat(), "ends_at": at(19).isoformat(), "reason": "Siivous"})
    assert moved.status_code == 200, moved.text
    entry = (await client.get(ics, headers={**MAIJA, "Accept-Language": "sv"})).text
    assert f"SEQUENCE:{moved.json()['revision']}\r\n" in entry and moved.json()["revision"] > 1
    staffed = await client.post("/bookings", json=booking(room, at(13)), headers=MATTI)
    assert staffed.json()["hours_kind"] == "staffed" and staffed.json()["access_code"] is None

    closed = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
        "day": (day + timedelta(days=1)).isoformat(), "reason": {"fi": "Itsenäisyyspäivä"}})
    assert closed.status_code == 201
    r = await client.post("/bookings", json=booking(room, at(13) + timedelta(days=1)),
                          headers=MATTI)
    assert r.status_code == 422 and "closed" in r.json()["detail"][0]["msg"]
    slots = (await client.get(f"/spaces/{room}/free-slots",
                              params={"day": day.isoformat(), "days": 2})).json()
    assert all(s["starts_at"][:10] == day.isoformat() for s in slots)  # nothing the closed day


async def test_a_days_exception_replaces_its_earlier_one_and_can_be_removed(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    """The desk's latest word about a day is the day's rule: a closure, then 10–14 the same
    day, leaves the day open 10–14 (a second row beside the first used to keep it closed);
    `DELETE /venues/{id}/exceptions/{day}` brings the weekly hours back. Other services hear
    the venue's exceptions as they now are after each change (`venue.updated`)."""
    client = await start_service(spec)
    v, desk = await venue(client)  # open 6–23 every day
    day = TOMORROW.date() + timedelta(days=1)
    url = f"/venues/{v['id']}/exceptions"

    def at(hour: int) -> str:
        return datetime.combine(day, time(hour), tzinfo=ZoneInfo("Europe/Helsinki")).isoformat()

    async def open_at(hour: int) -> Any:
        return (await client.get(f"/venues/{v['id']}/open", params={"at": at(hour)})).json()

    past = await client.post(url, headers=desk, json={"day": "2020-01-01"})
    assert past.status_code == 422 and past.json()["detail"][0]["loc"][-1] == "day"
    closed = await client.post(url, headers=desk, json={
        "day": day.isoformat(), "reason": {"fi": "Remontti"}})
    assert closed.status_code == 201, closed.text
    assert (await open_at(12))["open"] is False
    opened = await client.post(url, headers=desk, json={
        "day": day.isoformat(), "closed": False, "opens": "10:00", "closes": "14:00"})
    assert opened.status_code == 201, opened.text
    assert (await open_at(12))["kind"] == "staffed" and (await open_at(15))["open"] is False
    week = (await client.get(f"/venues/{v['id']}/hours",
                             params={"week": day.isoformat()})).json()
    # In UTC (`Z`), as every moment the API writes.
    assert [(i["starts_at"], i["ends_at"]) for i in week
            if i["starts_at"][:10] == day.isoformat()] \
        == [(z(datetime.fromisoformat(at(10))), z(datetime.fromisoformat(at(14))))]

    # Only the venue's desk removes it; a day without one is 404 and tells no one.
    assert (await client.delete(f"{url}/{day.isoformat()}", headers=MAIJA)).status_code == 403
    other = bearer("desk", venues=(str(uuid4()),), subject="other-desk")
    assert (await client.delete(f"{url}/{day.isoformat()}", headers=other)).status_code == 403
    removed = await client.delete(f"{url}/{day.isoformat()}", headers=desk)
    assert removed.status_code == 204, removed.text
    assert (await open_at(15))["kind"] == "staffed"  # the weekly 6–23 again
    assert (await client.delete(f"{url}/{day.isoformat()}", headers=desk)).status_code == 404
    assert (await client.delete(f"{url}/not-a-day", headers=desk)).status_code == 422

    # registered, weekly hours set, closed, opened 10–14, removed: five, in order.
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=5,
                               settle=0.5)
    told = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert [e.type.split(".")[-2] for e in told] == [
        "registered", "updated", "updated", "updated", "updated"]
    exceptions = [[(x["day"], x["opens"], x["closes"], x["reason"])
                   for x in e.data["exceptions"]] for e in told[2:]]
    # The reason rides along, so the guide tells residents why ("suljettu (Remontti)").
    assert exceptions == [[(day.isoformat(), None, None, {"fi": "Remontti"})],
                          [(day.isoformat(), "10:00", "14:00", None)], []]
    assert [e.data["revision"] for e in told] == [1, 2, 3, 4, 5]


async def test_hold_then_submit_and_expired_holds_free_the_slot(start_service) -> None:
    from services.booking.jobs import expire_holds

    client = await start_service(spec)
    v, _ = await venue(client)
    stage = v["spaces"][1]["id"]
    span = {"space_id": stage, "starts_at": TOMORROW.isoformat(),
            "ends_at": (TOMORROW + timedelta(hours=1)).isoformat()}
    hold = await client.post("/bookings/holds", json=span, headers=MAIJA)
    assert hold.status_code == 201 and hold.json()["status"] == "held"
    assert (await client.post("/bookings/holds", json=span, headers=MATTI)).status_code == 409
    details = {k: v for k, v in booking(stage).items()
               if k not in ("space_id", "starts_at", "ends_at")}
    submitted = await client.post(f"/bookings/{hold.json()['id']}/submit", json=details,
                                  headers=MAIJA)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "requested"

    later = {**span, "starts_at": (TOMORROW + timedelta(hours=3)).isoformat(),
             "ends_at": (TOMORROW + timedelta(hours=4)).isoformat()}
    stale = await client.post("/bookings/holds", json=later, headers=MATTI)
    # The space's hold time (15 minutes) passes on the service's clock.
    client.runtime.clock = FixedClock(datetime.now(UTC) + timedelta(minutes=16))
    assert await expire_holds(client.runtime) == 1
    assert (await client.get(f"/bookings/{stale.json()['id']}", headers=MATTI)).json()[
        "status"] == "expired"
    assert (await client.post("/bookings/holds", json=later, headers=MAIJA)).status_code == 201


async def test_cancellation_deadline_and_desk_stops(start_service) -> None:
    client = await start_service(spec)
    # An overnight space, so "in two hours" is bookable whatever the time of day the test runs.
    v, desk = await venue(client, {**KANTTI, "spaces": [{"name": {"fi": "Sali"}, "rules": {
        "overnight": True}}]})
    stage = v["spaces"][0]["id"]
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    soon = soon.replace(minute=0)
    late = await client.post("/bookings", json=booking(stage, soon), headers=MAIJA)
    assert late.status_code == 201, late.text
    refused = await client.post(f"/bookings/{late.json()['id']}/cancel", json={}, headers=MAIJA)
    assert refused.status_code == 409 and "deadline" in refused.json()["detail"]
    no_reason = await client.post(f"/bookings/{late.json()['id']}/cancel", json={},
                                  headers=desk)
    assert no_reason.status_code == 422
    stopped = await client.post(f"/bookings/{late.json()['id']}/cancel",
                                json={"reason": "ei noudata järjestyssääntöjä"}, headers=desk)
    assert stopped.status_code == 200
    assert stopped.json()["history"][-1] == {**stopped.json()["history"][-1],
                                              "actor": "desk:desk",
                                              "reason": "ei noudata järjestyssääntöjä"}
    again = await client.post("/bookings", json=booking(stage, soon), headers=MATTI)
    assert again.status_code == 201  # the stopped booking released its slot


async def test_a_weekly_series_skips_clashes_confirms_once_and_cancels_the_rest(
    start_service,
) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    # Every occurrence of a series counts against the open-request limit (default 3).
    assert (await client.put(f"/spaces/{stage}/rules", headers=desk, json={
        "buffer_minutes": 15, "max_open_requests": 10})).status_code == 200
    week3 = TOMORROW + timedelta(weeks=2)
    taken = await client.post("/bookings", json=booking(stage, week3), headers=MATTI)
    assert taken.status_code == 201
    series = {**booking(stage), "repeat": {"count": 4}}
    created = await client.post("/series", json=series,
                                headers={**MAIJA, "Accept-Language": "sv"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert len(body["created"]) == 3 and len(body["skipped"]) == 1
    assert body["skipped"][0]["starts_at"] == z(week3)
    # Why, by its code and in the reader's language (the reason is English).
    assert (body["skipped"][0]["code"], body["skipped"][0]["message"]) == (
        "taken", "Lokalen är redan bokad för den tiden.")
    refused = await client.post("/series", json={**series, "on_conflict": "reject",
                                                 "title": "Toinen"},
                                headers={**MATTI, "Accept-Language": "en"})
    assert refused.status_code == 409
    # The refused series names each clashing time with why, in the reader's language too.
    clashes = refused.json()["conflicts"]
    assert len(clashes) == 4 and {c["code"] for c in clashes} == {"taken"}
    assert {c["message"] for c in clashes} == {"The space is already booked for that time."}

    confirmed = await client.post(f"/series/{body['series_id']}/confirm", headers=desk)
    assert [b["status"] for b in confirmed.json()] == ["confirmed"] * 3
    # With a version, only the times it stands for: one the client did not see is a 409
    # naming the times as they are and their version, and nothing is cancelled.
    cancel = f"/series/{body['series_id']}/cancel"
    from_week2 = {"from": (TOMORROW + timedelta(weeks=1)).date().isoformat()}
    # Someone else's series: refused before anything about its times is said.
    others = await client.post(cancel, params=from_week2, headers=MATTI,
                               json={"reason": "", "version": "0" * 32})
    assert others.status_code == 403 and others.json()["code"] == "not_yours", others.text
    assert "booking_ids" not in others.json() and "version" not in others.json()
    stale = await client.post(cancel, params=from_week2, headers=desk,
                              json={"reason": "kesätauko", "version": "0" * 32})
    assert stale.status_code == 409 and stale.json()["code"] == "series_changed", stale.text
    shown = stale.json()
    assert sorted(shown["booking_ids"]) == sorted(b["id"] for b in confirmed.json()[1:])
    odd = await client.post(cancel, headers=desk, json={"version": "not a version"})
    assert odd.status_code == 422 and odd.json()["detail"][0]["loc"] == ["body", "version"]
    rest = await client.post(cancel, params=from_week2, headers=desk,
                             json={"reason": "kesätauko", "version": shown["version"]})
    assert rest.status_code == 200, rest.text
    assert [b["status"] for b in rest.json()] == ["cancelled"] * 2


async def test_loans_never_exceed_the_quantity_at_any_moment(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    resource = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Chromebook"}, "quantity": 10})).json()

    def loan(qty: int, start_h: int, end_h: int) -> dict[str, Any]:
        return {"resource_id": resource["id"], "quantity": qty,
                "starts_at": (TOMORROW + timedelta(hours=start_h)).isoformat(),
                "ends_at": (TOMORROW + timedelta(hours=end_h)).isoformat(),
                "borrower": {"name": "Kalle", "phone": "040 123 4567"}}

    # The venue's desk lends without a booking (an organiser borrows for their own booking:
    # tests/test_loans.py).
    assert (await client.post("/loans", json=loan(6, 0, 2), headers=desk)).status_code == 201
    assert (await client.post("/loans", json=loan(4, 1, 3), headers=desk)).status_code == 201
    full = await client.post("/loans", json=loan(1, 1, 2), headers=desk)
    assert full.status_code == 409 and full.json()["available"] == 0
    assert (await client.post("/loans", json=loan(6, 2, 4), headers=desk)).status_code == 201
    answers = await asyncio.gather(*[client.post("/loans", json=loan(3, 5, 6), headers=bearer(
        "desk", venues=(v["id"],), subject=f"l{i}", name="x")) for i in range(8)])
    assert sorted(a.status_code for a in answers) == [201] * 3 + [409] * 5


async def test_no_shows_are_released_and_old_personal_data_is_anonymised(start_service) -> None:
    from services.booking.jobs import anonymise_organisers, release_no_shows

    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    await client.put(f"/spaces/{stage}/rules", headers=desk,
                     json={"checkin_required": True, "checkin_minutes": 15})
    b = (await client.post("/bookings", json=booking(stage), headers=MAIJA)).json()
    await client.post(f"/bookings/{b['id']}/confirm", headers=desk)
    pool = client.runtime.pool
    # It started 20 minutes ago on the service's clock (the check-in window is 15 minutes).
    client.runtime.clock = FixedClock(TOMORROW + timedelta(minutes=14))
    assert await release_no_shows(client.runtime) == 0
    client.runtime.clock = FixedClock(TOMORROW + timedelta(minutes=20))
    assert await release_no_shows(client.runtime) == 1
    assert (await client.get(f"/bookings/{b['id']}", headers=desk)).json()["status"] == "no_show"

    assert await anonymise_organisers(client.runtime, retention_days=0) == 0  # still booked
    # Two days after the booking ended, with a retention of one day.
    client.runtime.clock = FixedClock(TOMORROW + timedelta(days=3))
    assert await anonymise_organisers(client.runtime, retention_days=1) == 1
    row = await pool.fetchrow("SELECT name, email, subject FROM organisers")
    assert dict(row) == {"name": "anonymised", "email": None, "subject": None}
    contact = await pool.fetchrow(
        "SELECT contact_name, contact_email, contact_phone FROM bookings WHERE id = $1",
        UUID(b["id"]))
    assert set(contact.values()) == {None}  # the booking's own copy goes too


async def test_first_available_time(start_service) -> None:
    client = await start_service(spec)
    v, _ = await venue(client, hours=[{"weekday": d, "opens": "10:00", "closes": "12:00"}
                                      for d in range(1, 8)])
    stage = v["spaces"][1]["id"]
    day = TOMORROW.date()
    opens = datetime.combine(day, time(10), tzinfo=ZoneInfo("Europe/Helsinki"))
    r = await client.post("/bookings", json=booking(stage, opens, hours=1), headers=MAIJA)
    assert r.status_code == 201, r.text
    found = (await client.get("/first-available", params={
        "space_id": stage, "minutes": 45, "after": opens.isoformat()})).json()
    # 10.00–11.00 taken, 15 min buffer: the first free 45 minutes start at 11.15 local.
    assert found[0]["starts_at"] == z(opens + timedelta(hours=1, minutes=15))
    # Asked from a moment between quarter hours, the time offered starts on the next one.
    odd = opens + timedelta(hours=1, minutes=16, seconds=7, microseconds=500)
    offered = (await client.get("/first-available", params={
        "space_id": stage, "minutes": 30, "after": odd.isoformat()})).json()
    assert offered[0]["starts_at"] == z(opens + timedelta(hours=1, minutes=30))
    in_area = (await client.get("/first-available", params={
        "area": "kuopio.keskusta", "minutes": 60, "min_capacity": 50})).json()
    assert {f["space_id"] for f in in_area} == {stage}


async def test_first_available_over_an_area_agrees_with_each_space_s_free_time(
        start_service) -> None:
    """The area search reads every space's hours, tree and claims together; each space's
    answer must be what its own free time says: a hall whose room is taken, a room of its
    own hours and a day's exception, a buffer after a claim."""
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Sali"}, "rules": {"buffer_minutes": 30}},
        {"name": {"fi": "Studio"}}]}, hours=[{"weekday": d, "opens": "09:00", "closes": "20:00"}
                                             for d in range(1, 8)])
    hall, studio = (s["id"] for s in v["spaces"])
    for part in ("Sali A", "Sali B"):
        r = await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                              json={"name": {"fi": part}, "parent_id": hall})
        assert r.status_code == 201, r.text
    rooms = [s["id"] for s in r.json()["spaces"] if s["parent_id"] == hall]
    own = await client.put(f"/venues/{v['id']}/hours", headers=desk, json={
        "space_id": studio, "weekly": [{"weekday": d, "opens": "16:00", "closes": "18:00"}
                                       for d in range(1, 8)]})
    assert own.status_code == 200, own.text
    day = TOMORROW.date()
    local = ZoneInfo("Europe/Helsinki")
    closed = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
        "space_id": studio, "day": (day + timedelta(days=1)).isoformat(), "closed": True})
    assert closed.status_code == 201, closed.text
    for space, hour in ((rooms[0], 9), (hall, 13), (studio, 16)):
        taken = await client.post("/bookings", headers=MAIJA, json=booking(
            space, datetime.combine(day, time(hour), tzinfo=local), hours=2))
        assert taken.status_code == 201, taken.text
    after = datetime.combine(day, time(8), tzinfo=local)
    found = (await client.get("/first-available", params={
        "area": "kuopio.keskusta", "minutes": 90, "after": after.isoformat(),
        "within_days": 3})).json()
    by_space = {f["space_id"]: f["starts_at"] for f in found}
    assert set(by_space) == {hall, studio, *rooms}
    for space in by_space:
        slots = (await client.get(f"/spaces/{space}/free-slots", params={
            "day": day.isoformat(), "days": 3})).json()
        first = next(s for s in slots if datetime.fromisoformat(s["ends_at"])
                     - max(datetime.fromisoformat(s["starts_at"]), after)
                     >= timedelta(minutes=90))
        assert datetime.fromisoformat(by_space[space]) == max(
            datetime.fromisoformat(first["starts_at"]), after), space
        alone = (await client.get("/first-available", params={
            "space_id": space, "minutes": 90, "after": after.isoformat(),
            "within_days": 3})).json()
        assert alone[0]["starts_at"] == by_space[space]
    # Room A 9–11 takes the hall too; the hall's own 13–15 needs the hall's 30-minute buffer
    # before it, so 90 minutes just fit at 11.00–12.30. The studio's own hours 16–18 are
    # taken tomorrow and closed the day after.
    hall_at = datetime.fromisoformat(by_space[hall]).astimezone(local)
    assert (hall_at.date(), hall_at.time()) == (day, time(11))
    studio_at = datetime.fromisoformat(by_space[studio]).astimezone(local)
    assert (studio_at.date(), studio_at.time()) == (day + timedelta(days=2), time(16))
    # Closed for the next nine days: found in the second week looked at, not the first.
    for n in range(2, 10):
        closed = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
            "space_id": studio, "day": (day + timedelta(days=n)).isoformat(), "closed": True})
        assert closed.status_code == 201, closed.text
    later = (await client.get("/first-available", params={
        "space_id": studio, "minutes": 90, "after": after.isoformat(),
        "within_days": 14})).json()
    later_at = datetime.fromisoformat(later[0]["starts_at"]).astimezone(local)
    assert (later_at.date(), later_at.time()) == (day + timedelta(days=10), time(16))
    assert (await client.get("/first-available", params={
        "space_id": studio, "minutes": 90, "after": after.isoformat(),
        "within_days": 9})).json() == []


async def test_health_reports_database_and_kafka(start_service) -> None:
    from tests.infra import eventually

    client = await start_service(spec)
    assert (await client.get("/health/live")).status_code == 200

    async def ready() -> dict[str, Any] | None:
        r = await client.get("/health/ready")
        body: dict[str, Any] = r.json()
        return body if r.status_code == 200 and body["outbox_relay"] == "active" else None

    body = await eventually(ready)
    assert body["database"] == "ok" and body["kafka"] == "ok"


async def test_venue_changes_are_published_as_venue_updated(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    changed = await client.patch(f"/venues/{v['id']}", headers=desk, json={
        "address": "Maaherrankatu 12, 70100 Kuopio", "accessibility": {
            "fi": "Esteetön sisäänkäynti", "en": "Step-free entrance"}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["revision"] == 3  # registered, hours set, details changed
    assert (await client.patch(f"/venues/{v['id']}", headers=MAIJA,
                               json={"address": "x"})).status_code == 403
    assert (await client.patch(f"/venues/{v['id']}", headers=desk, json={})).status_code == 422
    assert (await client.patch(f"/venues/{v['id']}", headers=desk,
                               json={"area": "Not An Area"})).status_code == 422
    # Something new to lend is part of the venue as others see it (the guide answers with it).
    games = await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Lautapelit", "sv": "Sällskapsspel"}, "quantity": 12})
    assert games.status_code == 201, games.text
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=4)
    told = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    updated, lent = told[-2:]
    assert updated.type == lent.type == "fi.kohtaamo.venue.updated.v1"
    assert updated.data["revision"] == 3 and updated.data["address"].startswith("Maaherrankatu")
    assert updated.data["lendables"] == []
    assert lent.data["revision"] == 4 and lent.data["lendables"] == [{
        "resource_id": games.json()["id"], "quantity": 12,
        "name": {"fi": "Lautapelit", "sv": "Sällskapsspel", "en": None}}]


async def test_a_rental_price_is_published_with_the_venue_and_when_it_changes(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    """The guide quotes a paid space's price per hour from the venue's events: registered
    with it, announced again when the desk changes it, and not for a change of another
    rule (no price in it for a space in free use only)."""
    client = await start_service(spec)
    v, desk = await venue(client)
    hall, stage = v["spaces"][0], v["spaces"][1]
    rules = {**hall["rules"], "price_per_hour": "35.50"}
    r = await client.put(f"/spaces/{hall['id']}/rules", headers=desk, json=rules)
    assert r.status_code == 200, r.text
    r = await client.put(f"/spaces/{hall['id']}/rules", headers=desk,
                         json={**rules, "max_minutes": 180})
    assert r.status_code == 200, r.text
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=3)
    told = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert [e.type for e in told] == ["fi.kohtaamo.venue.registered.v1",
                                      "fi.kohtaamo.venue.updated.v1",
                                      "fi.kohtaamo.venue.updated.v1"]
    prices = [{s["space_id"]: s["price_per_hour"] for s in e.data["spaces"]} for e in told]
    # Registered, its hours set (the same price), the price changed; the length alone not.
    assert prices == [{hall["id"]: "30.00", stage["id"]: None},
                      {hall["id"]: "30.00", stage["id"]: None},
                      {hall["id"]: "35.50", stage["id"]: None}]
    # Nothing announced for the length: the venue's revision is the price's.
    assert (await client.get(f"/venues/{v['id']}")).json()["revision"] == 3
    # The price cleared: still a space rented for a fee (the guide never says it is free).
    r = await client.put(f"/spaces/{hall['id']}/rules", headers=desk,
                         json={**rules, "price_per_hour": None})
    assert r.status_code == 200, r.text
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=4)
    last = Envelope.from_kafka(records[-1].key, records[-1].value, records[-1].headers)
    spaces = {s["space_id"]: s for s in last.data["spaces"]}
    assert (spaces[hall["id"]]["price_per_hour"], spaces[hall["id"]]["paid"]) == (None, True)
    assert spaces[stage["id"]]["paid"] is False
    # Bookable beyond staffed hours by its rules: told too (metrics counts the hours a space
    # could be booked), and told again when the rule changes.
    assert spaces[hall["id"]]["self_service"] is False
    r = await client.put(f"/spaces/{hall['id']}/rules", headers=desk,
                         json={**rules, "price_per_hour": None, "self_service": True})
    assert r.status_code == 200, r.text
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=5)
    last = Envelope.from_kafka(records[-1].key, records[-1].value, records[-1].headers)
    assert {s["space_id"]: s["self_service"] for s in last.data["spaces"]}[hall["id"]] is True


async def test_overnight_use_and_photos_where_the_space_allows(start_service) -> None:
    client = await start_service(spec)
    v, _ = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Leirikoulutila"}, "photos": [{"url": "https://example.fi/tila.jpg",
         "alt": {"fi": "Valoisa tila, jossa patjoja", "en": "A bright room with mattresses"}}],
         "rules": {"overnight": True, "max_minutes": 2880}},
        {"name": {"fi": "Tavallinen"}, "rules": {"max_minutes": 2880}}]})
    camp, ordinary = (s["id"] for s in v["spaces"])
    assert v["spaces"][0]["photos"][0]["alt"]["en"] == "A bright room with mattresses"
    evening = TOMORROW.replace(hour=18)  # 20.00 Helsinki, through the night to 10.00
    night = await client.post("/bookings", json=booking(camp, evening, hours=14), headers=MAIJA)
    assert night.status_code == 201, night.text
    assert night.json()["hours_kind"] == "overnight"
    refused = await client.post("/bookings", json=booking(ordinary, evening, hours=14),
                                headers=MAIJA)
    assert refused.status_code == 422 and "opening hours" in refused.json()["detail"][0]["msg"]
