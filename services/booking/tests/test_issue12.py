"""The booking bugs issue #12 found, each with the test that would have failed before."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from services.booking.app import spec
from services.booking.labels import ERRORS
from shared.clock import FixedClock
from shared.contracts import BOOKING_TOPIC
from tests.infra import bearer, events_on_topic, eventually

from .test_api import KANTTI, MAIJA, MATTI, TOMORROW, booking, venue
from .test_rules import refusal

pytestmark = pytest.mark.infra


def span(space: str, start: datetime, hours: float = 1) -> dict[str, Any]:
    return {"space_id": space, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=hours)).isoformat()}


async def test_a_hold_obeys_the_rules_of_a_request(start_service) -> None:
    client = await start_service(spec)
    v, _desk = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Sali"}},
        {"name": {"fi": "Leiri"}, "rules": {"overnight": True, "max_minutes": 24 * 60 * 7}}]})
    hall, camp = (s["id"] for s in v["spaces"])
    now = datetime.now(UTC)

    async def hold(body: dict[str, Any], who: dict[str, str] = MAIJA) -> tuple[int, str]:
        return refusal(await client.post("/bookings/holds", json=body, headers=who))

    assert (await hold(span(hall, now - timedelta(days=1))))[0] == 422  # in the past
    assert (await hold(span(hall, TOMORROW + timedelta(days=400))))[0] == 422  # horizon
    assert (await hold(span(hall, TOMORROW, hours=0.25)))[0] == 422  # under 30 min
    assert (await hold(span(hall, TOMORROW, hours=5)))[0] == 422  # over 4 h
    # Two years on a space open overnight: over its longest booking, refused at once.
    started = time.process_time()
    status, message = await hold(span(camp, TOMORROW, hours=24 * 730))
    assert status == 422 and "at most" in message
    # Ending in 3027: outside the years the platform takes, refused by the schema at once.
    status, message = await hold({**span(camp, TOMORROW), "ends_at": "3027-01-01T00:00:00Z"})
    assert status == 422 and "ends_at" in message
    assert time.process_time() - started < 2
    for day in range(3):  # three open requests, the space's limit
        assert (await client.post("/bookings", json=booking(hall, TOMORROW + timedelta(
            days=day + 1)), headers=MAIJA)).status_code == 201
    status, message = await hold(span(hall, TOMORROW + timedelta(days=10)))
    assert status == 409 and "open requests" in message
    assert (await hold(span(hall, TOMORROW), who=MATTI))[0] == 201


async def test_a_series_counts_every_occurrence_against_the_open_request_limit(
    start_service,
) -> None:
    client = await start_service(spec)
    v, _desk = await venue(client)
    room = v["spaces"][1]["id"]
    for day in range(3):
        assert (await client.post("/bookings", json=booking(room, TOMORROW + timedelta(
            days=day)), headers=MAIJA)).status_code == 201
    series = {**booking(room, TOMORROW + timedelta(hours=3)), "repeat": {"count": 20}}
    refused = await client.post("/series", json=series, headers=MAIJA)
    assert refused.status_code == 409 and "open requests" in refused.json()["detail"]
    # One below the limit: a series of two would take the organiser past it too.
    matti = [await client.post("/bookings", json=booking(room, TOMORROW + timedelta(
        days=10 + d)), headers=MATTI) for d in range(2)]
    assert all(r.status_code == 201 for r in matti)
    two = {**booking(room, TOMORROW + timedelta(days=20)), "repeat": {"count": 2}}
    assert (await client.post("/series", json=two, headers=MATTI)).status_code == 409
    mine = (await client.get("/bookings/mine", headers=MAIJA)).json()
    assert len(mine) == 3 and all(b["series_id"] is None for b in mine)


async def test_check_in_has_one_rule_on_the_api_and_the_desk_page(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    other_desk = bearer("desk", venues=("00000000-0000-0000-0000-000000000001",),
                        subject="other")
    stage = v["spaces"][1]["id"]
    ids = []
    for who, hour in ((MAIJA, 0), (MATTI, 3), (MAIJA, 6)):
        r = await client.post("/bookings", json=booking(stage, TOMORROW + timedelta(hours=hour)),
                              headers=who)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    mine, matti, requested = ids
    for b in (mine, matti):
        assert (await client.post(f"/bookings/{b}/confirm", headers=desk)).status_code == 200

    async def api(b: str, who: dict[str, str]) -> tuple[int, str]:
        return refusal(await client.post(f"/bookings/{b}/check-in", headers=who))

    async def page(b: str, who: dict[str, str]) -> tuple[int, str]:
        # The page in English, so its words can be set beside the API's.
        return refusal(await client.post(f"/desk/bookings/{b}/check-in?lang=en", headers=who))

    # Before the window opens (an hour before the start), on both: the same rule (its code),
    # in the API's words and in the page reader's.
    client.runtime.clock = FixedClock(TOMORROW - timedelta(hours=2))
    early_api, early_page = await api(mine, desk), await page(mine, desk)
    assert early_api[0] == 409 and early_page[0] == 400
    assert '"code":"check_in_early"' in early_api[1]
    assert early_page[1] == ERRORS["check_in_early"]["en"]
    client.runtime.clock = FixedClock(TOMORROW + timedelta(minutes=5))
    # Not confirmed: refused on both, for the same reason.
    assert (await api(requested, desk))[0] == 409
    status, message = await page(requested, desk)
    assert status == 400 and message.startswith("Only a confirmed booking can be marked arrived")
    # Another venue's desk: refused on both.
    assert (await api(mine, other_desk))[0] == 403
    assert (await page(mine, other_desk))[0] == 400
    # Its organiser checks in on the API; the venue's desk on the page or the API.
    assert (await api(mine, MATTI))[0] == 403
    assert (await api(mine, MAIJA))[0] == 200
    client.runtime.clock = FixedClock(TOMORROW + timedelta(hours=2, minutes=30))
    status, message = await page(matti, desk)
    assert status == 303, message
    checked = (await client.get(f"/bookings/{matti}", headers=desk)).json()
    assert checked["checked_in_at"] is not None


async def test_desk_cannot_confirm_a_hold_until_it_is_submitted(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    hold = (await client.post("/bookings/holds", json=span(stage, TOMORROW),
                              headers=MAIJA)).json()
    refused = await client.post(f"/bookings/{hold['id']}/confirm", headers=desk)
    assert refused.status_code == 409 and "submits it first" in refused.json()["detail"]
    status, message = refusal(await client.post(f"/desk/bookings/{hold['id']}/confirm",
                                                headers=desk))
    assert status == 400 and "järjestäjä lähettää sen ensin" in message  # the page's Finnish
    details = {k: v for k, v in booking(stage).items()
               if k not in ("space_id", "starts_at", "ends_at")}
    assert (await client.post(f"/bookings/{hold['id']}/submit", json=details,
                              headers=MAIJA)).status_code == 200
    confirmed = await client.post(f"/bookings/{hold['id']}/confirm", headers=desk)
    assert confirmed.status_code == 200 and confirmed.json()["title"] == "Lukupiiri"


async def test_each_booking_keeps_its_own_contact_details(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    first = (await client.post("/bookings", headers=MAIJA, json=booking(stage))).json()
    second = (await client.post("/bookings", headers=MAIJA, json=booking(
        stage, TOMORROW + timedelta(days=1), title="Yhdistyksen kokous",
        organiser={"name": "Maijan yhdistys", "email": "yhdistys@example.fi"}))).json()
    seen = (await client.get(f"/bookings/{first['id']}", headers=desk)).json()["organiser"]
    assert seen == {"name": "Maija Meikäläinen", "email": "maija@example.fi", "phone": None}
    assert (await client.get(f"/bookings/{second['id']}", headers=desk)).json()[
        "organiser"]["email"] == "yhdistys@example.fi"
    rejected = await client.post(f"/bookings/{first['id']}/reject", headers=desk,
                                 json={"reason": "tila remontissa"})
    assert rejected.status_code == 200
    assert rejected.json()["organiser"]["email"] == "maija@example.fi"
    told = await events_on_topic(client.runtime, BOOKING_TOPIC, 3, keys={first["id"], second["id"]})
    emails = {(e.type.split(".")[-2], e.data["booking_id"]): e.data["contact_email"]
              for e in told}
    assert emails == {
        ("requested", first["id"]): "maija@example.fi",
        # Not proved yet (issue #13): a one-time link goes out first, the event carries none.
        ("requested", second["id"]): None,
        ("rejected", first["id"]): "maija@example.fi",
    }


async def test_thirty_concurrent_overlapping_requests_one_wins_every_other_gets_409(
    start_service,
) -> None:
    """A hall of two rooms: each request claims both, so uncommitted claims wait for each
    other and the database picks deadlock victims; a victim is run again and answered 409
    with the conflicts, never 500."""
    client = await start_service(spec, db_pool_max=20)
    v, desk = await venue(client, {**KANTTI, "spaces": [{"name": {"fi": "Sali"}}]})
    hall = v["spaces"][0]["id"]
    for part in ("A", "B"):
        r = await client.post(f"/venues/{v['id']}/spaces", headers=desk,
                              json={"name": {"fi": f"Sali {part}"}, "parent_id": hall})
        assert r.status_code == 201
    starts = [TOMORROW + timedelta(minutes=3 * i) for i in range(30)]
    answers = await asyncio.gather(*[
        client.post("/bookings", json=booking(hall, s), headers=bearer(
            "organiser", subject=f"c-{i}", name=f"Järjestäjä {i}"))
        for i, s in enumerate(starts)])
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 29, [a.text for a in answers if a.status_code >= 500]
    winner = next(a.json() for a in answers if a.status_code == 201)
    for loser in (a for a in answers if a.status_code == 409):
        assert loser.json()["conflicts"] == [{"starts_at": winner["starts_at"],
                                              "ends_at": winner["ends_at"]}]


async def test_a_series_is_confirmed_and_cancelled_in_one_transaction(start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    await client.put(f"/spaces/{stage}/rules", headers=desk,
                     json={"buffer_minutes": 15, "max_open_requests": 10})
    series = (await client.post("/series", headers=MAIJA, json={
        **booking(stage), "repeat": {"count": 3}})).json()
    ids = [UUID(b["id"]) for b in series["created"]]
    pool = client.runtime.pool
    # The database fails the third occurrence's confirmation (a stand-in for any failure
    # half-way): before, the first two stayed confirmed; now nothing is.
    await pool.execute(f"""
        CREATE FUNCTION fail_third() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.booking_id = '{ids[2]}' THEN RAISE EXCEPTION 'injected failure'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_third BEFORE INSERT ON booking_history
          FOR EACH ROW EXECUTE FUNCTION fail_third();""")
    try:
        answer = await client.post(f"/series/{series['series_id']}/confirm", headers=desk)
        assert answer.status_code == 500
    except Exception as exc:  # the in-process transport raises the app's error
        assert "injected failure" in str(exc)
    statuses = await pool.fetch("SELECT status FROM bookings WHERE id = ANY($1::uuid[])", ids)
    assert {r["status"] for r in statuses} == {"requested"}
    await pool.execute("DROP TRIGGER fail_third ON booking_history")
    confirmed = await client.post(f"/series/{series['series_id']}/confirm", headers=desk)
    assert [b["status"] for b in confirmed.json()] == ["confirmed"] * 3
    cancelled = await client.post(f"/series/{series['series_id']}/cancel", headers=desk,
                                  json={"reason": "kesätauko"})
    assert [b["status"] for b in cancelled.json()] == ["cancelled"] * 3


async def test_a_deadlock_victim_is_run_again_not_answered_500(start_service) -> None:
    """A deadlock made on purpose: another transaction holds an uncommitted claim on the
    time the request wants, and then waits for the organiser row the request has locked.
    The database aborts the request (it waited first); the use case runs it again, which
    books once the other transaction is gone. Before: a 500 "deadlock detected".

    PostgreSQL picks as its victim the waiter whose deadlock_timeout runs out first once the
    cycle exists. So the second wait begins when the request has waited half that timeout:
    a stalled request backend still checks first. If this transaction is picked all the same
    (a machine stalled longer), nothing was shown: the test sets the deadlock up again, for
    another organiser, rather than pass without the request having been the victim."""
    client = await start_service(spec)
    v, _ = await venue(client)
    stage = v["spaces"][1]["id"]
    other_organiser = (await client.post("/bookings", json=booking(
        stage, TOMORROW - timedelta(hours=3)), headers=MATTI)).json()["organiser_id"]
    pool = client.runtime.pool
    half_timeout = float(await pool.fetchval(
        "SELECT extract(epoch FROM current_setting('deadlock_timeout')::interval) / 2"))

    async def waited() -> float | None:
        """How long the request has waited for a lock so far (None: not waiting yet)."""
        return await pool.fetchval(
            """SELECT extract(epoch FROM clock_timestamp() - min(l.waitstart))::float
               FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE a.datname = current_database() AND NOT l.granted""")

    for attempt in range(3):
        organiser = bearer("organiser", subject=f"deadlock-{attempt}", name="Maija Meikäläinen")
        day = TOMORROW + timedelta(days=attempt)
        first = await client.post("/bookings", json=booking(stage, day + timedelta(hours=5)),
                                  headers=organiser)
        assert first.status_code == 201, first.text  # the organiser's row exists to be locked
        async with pool.acquire() as other:
            tx = other.transaction()
            await tx.start()
            blocker = uuid4()
            await other.execute(
                """INSERT INTO bookings (id, space_id, venue_id, organiser_id, title, during,
                       status, cooperation, house_rules_accepted_at)
                   VALUES ($1, $2, $3, $4, 'x', tstzrange($5, $6), 'requested', true, now())""",
                blocker, UUID(stage), UUID(v["id"]), UUID(other_organiser), day,
                day + timedelta(hours=2))
            await other.execute(
                "INSERT INTO booking_claims (booking_id, space_id, during)"
                " VALUES ($1, $2, tstzrange($3, $4))", blocker, UUID(stage), day,
                day + timedelta(hours=2))
            request = asyncio.create_task(client.post("/bookings", json=booking(stage, day),
                                                      headers=organiser))
            # The request waits for the claim above...
            so_far = await eventually(waited, timeout=10, interval=0.01)
            assert not request.done()
            await asyncio.sleep(max(0.0, half_timeout - so_far))
            # ...and this waits for the organiser row the request locked: a deadlock, which
            # the request (waiting longer) is the victim of.
            try:
                await other.execute("UPDATE organisers SET phone = phone WHERE subject = $1",
                                    f"deadlock-{attempt}")
                picked_the_request = True
            except asyncpg.DeadlockDetectedError:
                picked_the_request = False
            await tx.rollback()
        answer = await request
        assert answer.status_code == 201, answer.text
        if picked_the_request:
            return
    pytest.fail("the database picked the test's own transaction as the victim three times")
