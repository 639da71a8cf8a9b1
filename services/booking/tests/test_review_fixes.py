"""The reviewer's findings of the booking service, each on the real PostgreSQL and Kafka."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest

from services.booking import usecases
from services.booking.app import spec
from services.booking.labels import GENERIC, error_text
from services.booking.store import BookingStore
from services.booking.tests.test_api import KANTTI, MAIJA, MATTI, TOMORROW, booking, venue
from shared.clock import HELSINKI, FixedClock
from shared.contracts import BOOKING_TOPIC, BookingMoveRequested
from shared.errors import Conflict
from shared.l10n import money
from shared.uow import PgUnitOfWork
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra


async def _part(client: Any, venue_id: str, desk: dict[str, str], parent: str,
                name: str) -> str:
    r = await client.post(f"/venues/{venue_id}/spaces", headers=desk,
                          json={"name": {"fi": name}, "parent_id": parent})
    assert r.status_code == 201, r.text
    return str(next(s["id"] for s in r.json()["spaces"] if s["name"]["fi"] == name))


async def test_splitting_a_space_keeps_its_bookings_whole(start_service) -> None:
    """A booking of the whole made before the split holds each part added after it: the
    whole and the part are both refused at its time, part after part."""
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "spaces": [{"name": {"fi": "P"}}]})
    whole = v["spaces"][0]["id"]
    first = await client.post("/bookings?walk_in=true", json=booking(whole), headers=desk)
    assert first.status_code == 201, first.text
    for name in ("P osa A", "P osa B"):
        part = await _part(client, v["id"], desk, whole, name)
        again = await client.post("/bookings?walk_in=true", json=booking(whole), headers=desk)
        assert again.status_code == 409, again.text
        of_part = await client.post("/bookings", json=booking(part), headers=MAIJA)
        assert of_part.status_code == 409, of_part.text
    # A move whose space tree was read before the parts were added (a race with the desk)
    # still claims every part the statement sees.
    later = TOMORROW + timedelta(days=1)
    async with client.runtime.pool.acquire() as conn, conn.transaction():
        await BookingStore(conn).move_booking(
            UUID(first.json()["id"]), starts_at=later, ends_at=later + timedelta(hours=2),
            hours_kind="staffed", price=None, invoice_reference=None, access_code=None,
            leaves=[UUID(whole)], claim=(later, later + timedelta(hours=2)), actor="desk",
            reason=None, at=datetime.now(UTC))
    claimed = await client.runtime.pool.fetchval(
        "SELECT count(*) FROM booking_claims WHERE booking_id = $1::uuid", first.json()["id"])
    assert claimed == 3  # the whole, as it was claimed, and both parts
    # After it, the parts are free again.
    after = await client.post("/bookings", json=booking(part, TOMORROW + timedelta(hours=3)),
                              headers=MATTI)
    assert after.status_code == 201, after.text


#: KANTTI staffed 8–16 and self-service 16–22 every day; its hall is rented at 30 € an hour
#: and may be used in self-service hours.
SPLIT_HOURS = [{"weekday": d, "opens": o, "closes": c, "kind": k} for d in range(1, 8)
               for o, c, k in (("08:00", "16:00", "staffed"), ("16:00", "22:00", "self_service"))]
SELF_SERVICE_KANTTI = {**KANTTI, "spaces": [
    {"name": {"fi": "Kokoussali"}, "capacity": 40, "paid": True,
     "rules": {"price_per_hour": "30.00", "self_service": True}},
    {"name": {"fi": "Lastenosaston lava"}, "capacity": 60, "rules": {"self_service": True}}]}


def _uow(client: Any) -> usecases.Uow:
    return PgUnitOfWork(client.runtime.pool, BookingStore)


def _times(start: datetime, hours: float) -> dict[str, str]:
    return {"starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=hours)).isoformat()}


async def _kept(client: Any, booking_id: str) -> Any:
    return await client.runtime.pool.fetchrow(
        "SELECT price, invoice_reference, access_code, hours_kind FROM bookings"
        " WHERE id = $1::uuid", booking_id)


async def test_a_move_prices_the_new_length_and_gives_or_drops_the_door_code(
        start_service: Any) -> None:
    client = await start_service(spec)
    v, desk = await venue(client, SELF_SERVICE_KANTTI, SPLIT_HOURS)
    hall, stage = v["spaces"][0]["id"], v["spaces"][1]["id"]
    # A rental of 2 h moved by the API to 4 h costs 4 h.
    rental = await client.post("/bookings", headers=MATTI, json=booking(
        hall, cooperation=False, organiser_type="association"))
    assert rental.status_code == 201, rental.text
    assert rental.json()["price"] == "60.00"
    reference = (await _kept(client, rental.json()["id"]))["invoice_reference"]
    assert (await client.post(f"/bookings/{rental.json()['id']}/confirm",
                              headers=desk)).status_code == 200
    moved = await client.post(f"/bookings/{rental.json()['id']}/move", headers=desk,
                              json={**_times(TOMORROW - timedelta(hours=4), 4)})
    assert moved.status_code == 200, moved.text
    assert moved.json()["price"] == "120.00"
    kept = await _kept(client, rental.json()["id"])
    assert (kept["price"], kept["invoice_reference"]) == (Decimal("120.00"), reference)

    # A staffed booking moved (by the desk page) into self-service hours gets a door code,
    # and the move tells it; moved back (by the activity's reschedule), it has none.
    mine = (await client.post("/bookings", json=booking(stage), headers=MAIJA)).json()
    confirmed = await client.post(f"/bookings/{mine['id']}/confirm", headers=desk)
    assert confirmed.status_code == 200
    assert (await _kept(client, mine["id"]))["access_code"] is None
    evening = TOMORROW + timedelta(hours=4)  # 18.00 in Helsinki
    page = await client.post(f"/desk/bookings/{mine['id']}/move", headers=desk, data={
        "starts_at": evening.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M"), "minutes": "120",
        "reason": "remontti", "revision": str(confirmed.json()["revision"])},
        follow_redirects=False)
    assert page.status_code in (200, 303), page.text
    kept = await _kept(client, mine["id"])
    assert kept["hours_kind"] == "self_service" and kept["access_code"] is not None
    await usecases.move_on_request(_uow(client), FixedClock(datetime.now(UTC)),
                                   BookingMoveRequested(
        request_id=uuid4(), booking_id=UUID(mine["id"]), event_id=uuid4(),
        starts_at=TOMORROW, ends_at=TOMORROW + timedelta(hours=2),
        requested_by="organiser:maija"))
    kept_back = await _kept(client, mine["id"])
    assert (kept_back["hours_kind"], kept_back["access_code"]) == ("staffed", None)
    told = await events_on_topic(client.runtime, BOOKING_TOPIC, 4, keys={mine["id"]})
    moves = [e.data for e in told if e.type.endswith("booking.moved.v1")]
    assert [m["access_code"] for m in moves] == [kept["access_code"], None]


async def test_equipment_is_free_again_when_its_booking_stops_holding_its_time(
        start_service: Any) -> None:
    """Rejected, expired and no-show bookings give their loans back; a moved booking takes
    them along, or is not moved when the equipment is out at the new time."""
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Studio"}}, {"name": {"fi": "Paja"}, "rules": {
            "checkin_required": True, "checkin_minutes": 30}}]})
    studio, workshop = v["spaces"][0]["id"], v["spaces"][1]["id"]
    laptops = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Chromebook"}, "quantity": 2})).json()["id"]

    async def lend(booking_id: str, start: datetime, hours: float = 2) -> str:
        r = await client.post("/loans", headers=desk, json={
            "resource_id": laptops, "quantity": 2, "booking_id": booking_id,
            **_times(start, hours)})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def loan_of(loan_id: str) -> Any:
        return await client.runtime.pool.fetchrow(
            "SELECT status, lower(during) AS s, upper(during) AS e FROM resource_loans"
            " WHERE id = $1::uuid", loan_id)

    # Rejected.
    day = TOMORROW
    asked = (await client.post("/bookings", json=booking(studio, day), headers=MAIJA)).json()
    loan = await lend(asked["id"], day)
    assert (await client.post(f"/bookings/{asked['id']}/reject", headers=desk,
                              json={"reason": "remontti"})).status_code == 200
    assert (await loan_of(loan))["status"] == "cancelled"

    # Expired hold.
    day += timedelta(days=1)
    held = await client.post("/bookings/holds", headers=MAIJA,
                             json={"space_id": studio, **_times(day, 2)})
    assert held.status_code == 201, held.text
    loan = await lend(held.json()["id"], day)
    assert await usecases.expire_holds(_uow(client), FixedClock(
        datetime.now(UTC) + timedelta(hours=1))) == 1
    assert (await loan_of(loan))["status"] == "cancelled"

    # Nobody came.
    day += timedelta(days=1)
    walk_in = (await client.post("/bookings?walk_in=true", json=booking(workshop, day),
                                 headers=desk)).json()
    loan = await lend(walk_in["id"], day)
    assert await usecases.release_no_shows(_uow(client), FixedClock(
        day + timedelta(minutes=31))) == 1
    assert (await loan_of(loan))["status"] == "cancelled"

    # Moved: the loan goes along; onto a time the laptops are out, the move is refused.
    day += timedelta(days=1)
    moving = (await client.post("/bookings?walk_in=true", json=booking(studio, day),
                                headers=desk)).json()
    loan = await lend(moving["id"], day + timedelta(minutes=30), 1)
    later = day + timedelta(days=1)
    moved = await client.post(f"/bookings/{moving['id']}/move", headers=desk,
                              json=_times(later, 2))
    assert moved.status_code == 200, moved.text
    kept = await loan_of(loan)
    assert (kept["status"], kept["s"], kept["e"]) == (
        "active", later + timedelta(minutes=30), later + timedelta(minutes=90))
    other = (await client.post("/bookings?walk_in=true", json=booking(workshop, day),
                               headers=desk)).json()
    await lend(other["id"], day)
    back = await client.post(f"/bookings/{moving['id']}/move", headers=desk,
                             json=_times(day, 2))
    assert back.status_code == 409 and back.json()["code"] == "loan_move", back.text
    assert (await loan_of(loan))["s"] == later + timedelta(minutes=30)  # nothing moved
    got = await client.get(f"/bookings/{moving['id']}", headers=desk)
    assert got.json()["starts_at"] == later.isoformat().replace("+00:00", "Z")


async def test_an_organiser_lets_a_hold_go_inside_the_cancellation_window(
        start_service: Any) -> None:
    """No deadline for a hold: the organiser page's button and the API let it go."""
    client = await start_service(spec)
    v, _ = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Studio"}, "rules": {"cancellation_hours": 72}}]})
    studio = v["spaces"][0]["id"]

    async def held(start: datetime) -> str:
        r = await client.post("/bookings/holds", headers=MAIJA,
                              json={"space_id": studio, **_times(start, 2)})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def status(booking_id: str) -> str:
        return str(await client.runtime.pool.fetchval(
            "SELECT status FROM bookings WHERE id = $1::uuid", booking_id))

    on_page = await held(TOMORROW)
    page = await client.post(f"/my/bookings/{on_page}/cancel", params={"lang": "fi"},
                             headers=MAIJA, data={"csrf": "unused with a bearer token"},
                             follow_redirects=False)
    assert page.status_code == 303, page.text
    assert "/my/spaces" in page.headers["location"]
    assert await status(on_page) == "cancelled"

    by_api = await held(TOMORROW + timedelta(hours=3))
    r = await client.post(f"/bookings/{by_api}/cancel", headers=MAIJA, json={})
    assert r.status_code == 200, r.text
    assert await status(by_api) == "cancelled"


@pytest.mark.parametrize("lang, shown", [("fi", "75,00\xa0€"), ("sv", "75,00\xa0€"),
                                         ("en", "€75.00")])
async def test_the_desk_page_says_a_price_as_its_language_does(
        start_service: Any, lang: str, shown: str) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    hall = v["spaces"][0]["id"]
    rental = await client.post("/bookings", headers=MATTI, json=booking(
        hall, hours=2.5, cooperation=False, organiser_type="association"))
    assert rental.status_code == 201, rental.text
    page = await client.get("/desk", headers=desk, params={
        "venue_id": v["id"], "day": TOMORROW.date().isoformat(), "lang": lang})
    assert page.status_code == 200, page.text
    assert shown in page.text and money(Decimal("75.00"), lang) == shown
    assert "75.00 €" not in page.text


@pytest.mark.parametrize("lang", ["fi", "sv"])
async def test_each_loan_refusal_on_the_desk_page_is_in_its_language(
        start_service: Any, lang: str) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    other_desk = bearer("desk", venues=(str(uuid4()),), subject="other-desk")
    laptops = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Chromebook"}, "quantity": 2})).json()["id"]
    now = datetime.now(UTC)

    def local(moment: datetime) -> str:
        return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")

    def said(r: Any) -> str:
        if r.status_code != 303:  # the lending form again, the refusal by its input
            assert r.status_code in (409, 422), r.text
            found = re.findall(r'<span class="field-error" id="lend-[a-z]+-error">([^<]*)<',
                               r.text)
            assert len(found) == 1, found
            return html.unescape(found[0])
        query = parse_qs(urlsplit(r.headers["location"]).query)
        assert query.get("error") == ["1"], query
        return query["msg"][0]

    async def lend(start: datetime, end: datetime, quantity: int = 1) -> Any:
        return await client.post(f"/desk/loans/{v['id']}/lend", params={"lang": lang},
                                 headers=desk, follow_redirects=False, data={
            "csrf": "unused", "resource_id": laptops, "quantity": str(quantity),
            "starts_at": local(start), "ends_at": local(end), "borrower_name": "Kalle"})

    async def act(loan_id: str, action: str, who: dict[str, str] = desk) -> Any:
        return await client.post(f"/desk/loans/{v['id']}/{loan_id}/{action}",
                                 params={"lang": lang}, headers=who, follow_redirects=False,
                                 data={"csrf": "unused"})

    def text(code: str, **details: Any) -> str:
        return error_text(Conflict("english", code=code, **details), lang)

    start = TOMORROW
    cases = [
        (await lend(now - timedelta(days=2), now - timedelta(days=1)), text("loan_past")),
        (await lend(now - timedelta(hours=1), now + timedelta(hours=1)),
         text("loan_start_past")),
        (await lend(now + timedelta(days=400), now + timedelta(days=401)),
         text("loan_horizon", high=365)),
        (await lend(start, start + timedelta(days=40)), text("loan_too_long", high=31)),
        (await lend(start, start - timedelta(hours=1)), text("loan_ends_before_start")),
        (await lend(start, start + timedelta(hours=1), 3), text("loan_short", available=2)),
    ]
    lent = await client.post("/loans", headers=desk, json={
        "resource_id": laptops, "quantity": 1, "borrower": {"name": "Kalle"},
        **_times(start, 1)})
    back = await client.post("/loans", headers=desk, json={
        "resource_id": laptops, "quantity": 1, "borrower": {"name": "Liisa"},
        **_times(start, 1)})
    assert (await act(lent.json()["id"], "cancelled")).status_code == 303
    assert (await act(back.json()["id"], "returned")).status_code == 303
    cases += [
        (await act(lent.json()["id"], "cancelled"), text("loan_cancelled")),
        (await act(back.json()["id"], "returned"), text("loan_returned")),
        (await act(str(uuid4()), "returned"), text("no_loan")),
        (await act(back.json()["id"], "cancelled", other_desk), text("loan_not_yours")),
    ]
    generic = GENERIC[lang].split("{")[0]
    for response, expected in cases:
        message = said(response)
        assert message == expected and generic not in message, (message, expected)


async def test_a_form_s_length_is_elapsed_time_on_the_nights_the_clocks_turn(
        start_service: Any) -> None:
    """02.00 and 180 minutes on 31.10.2027 ends at 04.00 (the clocks go back at 04.00):
    the desk walk-in, the desk move and the organiser's hold book three hours, as the API
    does, and none of them a time the API refuses (02.00–05.00 is four hours)."""
    client = await start_service(spec)
    rules = {"overnight": True, "max_minutes": 180, "horizon_days": 700}
    v, desk = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Studio"}, "rules": rules}, {"name": {"fi": "Paja"}, "rules": rules}]})
    studio, workshop = v["spaces"][0]["id"], v["spaces"][1]["id"]
    autumn = datetime(2027, 10, 31, 2, 0, tzinfo=HELSINKI)
    four_hours = await client.post("/bookings?walk_in=true", headers=desk, json=booking(
        studio, autumn, **{"ends_at": datetime(2027, 10, 31, 5, 0, tzinfo=HELSINKI)
                           .isoformat()}))
    assert four_hours.status_code == 422 and four_hours.json()["code"] == "too_long"

    async def lengths() -> dict[str, tuple[datetime, timedelta]]:
        rows = await client.runtime.pool.fetch(
            "SELECT title, lower(during) AS s, upper(during) - lower(during) AS n"
            " FROM bookings WHERE status IN ('held', 'confirmed')")
        return {r["title"]: (r["s"], r["n"]) for r in rows}

    walk_in = await client.post("/desk/walk-in", params={"lang": "fi"}, headers=desk,
                                follow_redirects=False, data={
        "csrf": "unused", "space_id": studio, "title": "Yökerho",
        "starts_at": "2027-10-31T02:00", "minutes": "180", "organiser_name": "Pekka"})
    assert walk_in.status_code == 303, walk_in.text
    assert (await lengths())["Yökerho"] == (autumn, timedelta(hours=3))

    # Moved by the desk to the spring night (03.00 does not exist on 28.3.2027).
    spring = datetime(2027, 3, 28, 1, 0, tzinfo=HELSINKI)
    moving = (await client.post("/bookings?walk_in=true", headers=desk, json=booking(
        workshop, spring + timedelta(days=7), title="Siirto"))).json()
    moved = await client.post(f"/desk/bookings/{moving['id']}/move", headers=desk,
                              params={"lang": "fi"}, follow_redirects=False, data={
        "csrf": "unused", "starts_at": "2027-03-28T01:00", "minutes": "180",
        "reason": "remontti", "revision": str(moving["revision"])})
    assert moved.status_code == 303, moved.text
    assert (await lengths())["Siirto"] == (spring, timedelta(hours=3))

    held = await client.post("/my/spaces/hold", params={"lang": "fi"}, headers=MAIJA,
                             follow_redirects=False, data={
        "csrf": "unused", "space_id": workshop, "starts_at": "2027-10-31T02:00",
        "minutes": "180"})
    assert held.status_code == 303 and "/request" in held.headers["location"], held.text
    assert (await lengths())[""] == (autumn, timedelta(hours=3))


async def test_a_split_waits_for_a_decision_on_the_wholes_booking_never_deadlocks(
        start_service: Any, monkeypatch: Any) -> None:
    """The desk releases a booking of a hall (its row locked, then its claims deleted) while
    a part of that hall is added: the split waits for the decision, both succeed, and the
    released booking gives the part no claim. Taking the claims' lock first deadlocked (the
    split, its victim, then answered only on a second try: here it has one)."""
    import asyncio

    from services.booking.usecases import common

    monkeypatch.setattr(common, "ATTEMPTS", 1)
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "spaces": [{"name": {"fi": "Sali"}}]})
    whole = v["spaces"][0]["id"]
    held = await client.post("/bookings?walk_in=true", json=booking(whole), headers=desk)
    assert held.status_code == 201, held.text
    booking_id = UUID(held.json()["id"])
    async with client.runtime.pool.acquire() as conn:
        decision = conn.transaction()
        await decision.start()
        await conn.execute("SELECT 1 FROM bookings WHERE id = $1 FOR UPDATE", booking_id)
        split = asyncio.create_task(_part(client, v["id"], desk, whole, "Sali osa A"))
        await asyncio.sleep(0.5)  # the split is under way, waiting for the decision
        await conn.execute("UPDATE bookings SET status = 'cancelled' WHERE id = $1",
                           booking_id)
        await conn.execute("DELETE FROM booking_claims WHERE booking_id = $1", booking_id)
        await decision.commit()
        part = await asyncio.wait_for(split, 10)
    assert await client.runtime.pool.fetchval(
        "SELECT count(*) FROM booking_claims WHERE space_id = $1::uuid", part) == 0


async def test_a_time_the_clocks_skip_is_refused_on_the_booking_forms(
        start_service: Any) -> None:
    """03.30 on 28.3.2027 does not exist in Helsinki: the desk's walk-in and the organiser's
    hold refuse it in the reader's language, as the events service's form does, and store
    nothing; a year no calendar holds is refused too, never a 5xx."""
    client = await start_service(spec)
    rules = {"overnight": True, "max_minutes": 180, "horizon_days": 700}
    v, desk = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Studio"}, "rules": rules}]})
    studio = v["spaces"][0]["id"]
    for starts in ("2027-03-28T03:30", "0001-01-01T00:30"):
        walk_in = await client.post("/desk/walk-in", params={"lang": "fi"}, headers=desk,
                                    follow_redirects=True, data={
            "csrf": "unused", "space_id": studio, "title": "Kevätyö", "starts_at": starts,
            "minutes": "60", "organiser_name": "Pekka"})
        assert walk_in.status_code < 500, walk_in.text
        held = await client.post("/my/spaces/hold", params={"lang": "sv"}, headers=MAIJA,
                                 follow_redirects=True, data={
            "csrf": "unused", "space_id": studio, "starts_at": starts, "minutes": "60"})
        assert held.status_code < 500, held.text
        if starts.startswith("2027"):
            assert "kelloja siirretään" in walk_in.text, walk_in.text
            assert "klockan då flyttas fram" in held.text, held.text
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM bookings") == 0


async def test_an_organiser_address_mail_cannot_reach_is_refused_by_the_api(
        start_service: Any) -> None:
    """As the pages and the public forms refuse it (`shared.email_address`): letters other
    than ASCII's before the @ need SMTPUTF8, which the services' mail does not use; the
    booking was taken and its contact's verification mail then failed."""
    client = await start_service(spec)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    refused = await client.post("/bookings", headers=MATTI, json=booking(
        hall, organiser={"name": "Pekka", "email": "pekka.mäkinen@example.fi"}))
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"][-2:] == ["organiser", "email"]
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM bookings") == 0
    taken = await client.post("/bookings", headers=MATTI, json=booking(
        hall, organiser={"name": "Pekka", "email": "pekka@ääkkönen.fi"}))
    assert taken.status_code == 201, taken.text


async def test_a_request_on_a_day_closed_since_is_not_confirmed(start_service: Any) -> None:
    """A tester's desk closed a day (a water cut) with a request on it, and confirmed it:
    the organiser was told it was confirmed for a day the library was shut."""
    client = await start_service(spec)
    v, desk = await venue(client)
    hall = v["spaces"][0]["id"]
    later = TOMORROW + timedelta(days=2)
    asked = await client.post("/bookings", headers=MATTI, json=booking(hall, later))
    assert asked.status_code == 201 and asked.json()["status"] == "requested", asked.text
    closed = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
        "day": later.astimezone(HELSINKI).date().isoformat(),
        "reason": {"fi": "Vesikatko"}})
    assert closed.status_code in (200, 201), closed.text
    refused = await client.post(f"/bookings/{asked.json()['id']}/confirm", headers=desk)
    assert refused.status_code == 422, refused.text
    assert "closed" in refused.text, refused.text
    kept = await client.get(f"/bookings/{asked.json()['id']}", headers=desk)
    assert kept.json()["status"] == "requested"
    # The desk's page says so in its words, and confirms nothing.
    page = await client.post(f"/desk/bookings/{asked.json()['id']}/confirm", headers=desk,
                             params={"lang": "fi"}, data={"csrf": "x"}, follow_redirects=True)
    assert page.status_code in (200, 409, 422) and "Vahvistettu" not in page.text.split(
        "<main", 1)[-1].split("</h1>", 1)[0]
    assert (await client.get(f"/bookings/{asked.json()['id']}", headers=desk)).json()[
        "status"] == "requested"


async def test_the_desk_gives_a_day_self_service_hours_of_its_own(start_service: Any) -> None:
    """A branch's desk shortened a self-service Saturday on its form: it was stored staffed,
    and the bookings of that day got no door code (the API could say `self_service`)."""
    client = await start_service(spec)
    v, desk = await venue(client)
    day = (TOMORROW + timedelta(days=3)).astimezone(HELSINKI).date()
    added = await client.post(f"/desk/hours/{v['id']}/exceptions", headers=desk,
                              params={"lang": "fi"}, follow_redirects=False, data={
                                  "csrf": "x", "day": day.isoformat(), "opens": "10:00",
                                  "closes": "14:00", "kind": "self_service",
                                  "reason": "Lyhyempi itsepalvelupäivä"})
    assert added.status_code == 303, added.text
    noon = datetime.combine(day, time(12), tzinfo=HELSINKI)
    assert (await client.get(f"/venues/{v['id']}/open", params={
        "at": noon.isoformat()})).json()["kind"] == "self_service"
    page = await client.get("/desk/hours", headers=desk, params={"venue_id": v["id"], "lang": "fi"})
    assert '<option value="self_service"' in page.text
    odd = await client.post(f"/desk/hours/{v['id']}/exceptions", headers=desk,
                            params={"lang": "fi"}, data={
                                "csrf": "x", "day": day.isoformat(), "opens": "10:00",
                                "closes": "14:00", "kind": "ovela"})
    assert odd.status_code == 422 and 'id="x-kind"' in odd.text


async def test_the_desks_queue_says_what_the_rules_turn_on(start_service: Any) -> None:
    """A branch's desk could not see who asked (a party?), whether a shared activity was
    claimed, the library's contact, the kind of hours or that a request is of a series."""
    client = await start_service(spec)
    v, desk = await venue(client)
    hall = v["spaces"][0]["id"]
    asked = await client.post("/bookings", headers=MATTI, json=booking(
        hall, TOMORROW + timedelta(days=2), organiser_type="association"))
    assert asked.status_code == 201, asked.text
    page = await client.get("/desk", headers=desk, params={"venue_id": v["id"], "lang": "fi"})
    row = page.text.split(f'data-booking="{asked.json()["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert ('<span class="muted terms">yhdistys tai yhteisö · yhteyshenkilö Liisa Kirjasto'
            ' · henkilökunta paikalla</span>') in html.unescape(row)


async def _requested_then_turned_self_service(start_service: Any
                                              ) -> tuple[Any, dict[str, Any], Any, Any]:
    """A request made in a day's staffed hours, and the day made self-service after it at
    the desk: (the client, the venue, the desk's headers, the request's answer)."""
    client = await start_service(spec)
    v, desk = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Ryhmätila"}, "rules": {"self_service": True}}]})
    room = v["spaces"][0]["id"]
    later = TOMORROW + timedelta(days=2)
    asked = await client.post("/bookings", headers=MAIJA, json=booking(room, later))
    assert asked.status_code == 201 and asked.json()["hours_kind"] == "staffed", asked.text
    turned = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
        "day": later.astimezone(HELSINKI).date().isoformat(), "closed": False,
        "opens": "06:00", "closes": "23:00", "kind": "self_service"})
    assert turned.status_code in (200, 201), turned.text
    return client, v, desk, asked


async def test_a_request_confirmed_after_its_day_turned_self_service_gets_a_door_code(
        start_service: Any) -> None:
    """A request made in staffed hours, confirmed after the desk made its day self-service:
    it kept 'staffed' and no door code, so the organiser had no way in. Confirming takes the
    day's hours as they are now (as a move does), in PostgreSQL too."""
    client, _, desk, asked = await _requested_then_turned_self_service(start_service)
    confirmed = await client.post(f"/bookings/{asked.json()['id']}/confirm", headers=desk)
    assert confirmed.status_code == 200, confirmed.text
    kept = (await client.get(f"/bookings/{asked.json()['id']}", headers=desk)).json()
    assert kept["status"] == "confirmed" and kept["hours_kind"] == "self_service"
    assert re.fullmatch(r"[0-9]{6}", kept["access_code"] or ""), kept
    assert confirmed.json()["access_code"] == kept["access_code"]


async def test_the_desks_queue_says_the_kind_of_hours_the_day_has_now(
        start_service: Any) -> None:
    """Testers: after /desk/hours made a requested day self-service, the queue still said
    'henkilökunta paikalla' (stored with the request), though confirming takes the day's
    hours as they are now. The queue says the kind confirming would take, and the one
    asked for beside it."""
    client, v, desk, asked = await _requested_then_turned_self_service(start_service)

    def terms(page: str) -> str:
        row = page.split(f'data-booking="{asked.json()["id"]}"', 1)[1].split("</tr>", 1)[0]
        return html.unescape(row.split('<span class="muted terms">', 1)[1].split("</span>")[0])

    said = {lang: terms((await client.get("/desk", headers=desk, params={
        "venue_id": v["id"], "lang": lang})).text) for lang in ("fi", "sv", "en")}
    assert said["fi"].endswith("omatoimiaika (pyydettäessä henkilökunta paikalla)"), said
    assert said["sv"].endswith("meröppet (när den begärdes: bemannad tid)"), said
    assert said["en"].endswith("self-service (when requested: staffed)"), said


async def test_every_booking_calendar_gives_the_uid_the_organisers_mails_give(
        start_service: Any) -> None:
    """Testers: booking's calendars wrote `UID:<id>@kohtaamo`, the organisers' mails
    `UID:booking-<id>@kohtaamo`: a cancellation mail's METHOD:CANCEL did not remove an
    entry taken from a page, and taking both gave two entries. Every booking calendar
    gives the mails' form."""
    client = await start_service(spec)
    v, desk = await venue(client)
    hall = v["spaces"][0]["id"]
    made = await client.post("/bookings", headers=MAIJA, json=booking(
        hall, TOMORROW + timedelta(days=3)))
    assert made.status_code == 201, made.text
    mine = made.json()["id"]
    for path, headers in ((f"/bookings/{mine}/booking.ics", MAIJA),
                          (f"/my/bookings/{mine}/booking.ics", MAIJA),
                          ("/bookings/mine/calendar.ics", MAIJA),
                          (f"/spaces/{hall}/calendar.ics", desk),
                          (f"/spaces/{hall}/calendar.ics", {})):
        ics = await client.get(path, headers=headers, params={"lang": "fi"})
        assert ics.status_code == 200, (path, ics.text)
        uids = re.findall(r"^UID:(.*)\r$", ics.text, flags=re.M)
        assert uids == [f"booking-{mine}@kohtaamo"], (path, uids)
