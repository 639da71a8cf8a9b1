"""Issue #14: a booking and its activity stay true to each other across services, on the real
Kafka and PostgreSQL (ADR 0003). The booking and events services run in this process
(`start_service`) except in the kill-and-restart test, where the service in the middle (booking)
is a real process killed with SIGKILL and started again on its database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.booking.app import spec as booking_spec
from services.events.app import spec as events_spec
from shared.contracts import (
    EVENTS_TOPIC,
    BookingCancelled,
    BookingConfirmed,
    BookingMoved,
    BookingNoShow,
)
from tests.infra import Infra, bearer, events_on_topic, eventually, produce, read_topic

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="kuoro", name="Kuoro ry")
OTHER = bearer("organiser", subject="toinen", name="Toinen ry")
COMMS = bearer("communications", subject="viestinta")
# Tomorrow at 14.00 Helsinki time (12.00 UTC in winter), inside the venue's 08–20 hours.
DAY = (datetime.now(UTC) + timedelta(days=2)).replace(hour=12, minute=0, second=0,
                                                      microsecond=0)


def iso(moment: datetime) -> str:
    return moment.isoformat()


class City:
    """A venue with one space open 08–20 every day, its desk, and bookings in it."""

    def __init__(self, booking: httpx.AsyncClient, events: httpx.AsyncClient) -> None:
        self.booking = booking
        self.events = events
        self.venue: dict[str, Any] = {}
        self.desk: dict[str, str] = {}

    async def open(self) -> City:
        venue = await self.booking.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto"}, "kind": "library", "area": "kuopio.jynkka",
            "municipality": "Kuopio", "spaces": [{"name": {"fi": "Ryhmätila"}, "capacity": 10}],
        })
        assert venue.status_code == 201, venue.text
        self.venue = venue.json()
        self.desk = bearer("desk", venues=(self.venue["id"],), subject="jynkka-desk")
        hours = await self.booking.put(
            f"/venues/{self.venue['id']}/hours", headers=self.desk,
            json={"weekly": [{"weekday": d, "opens": "08:00", "closes": "20:00"}
                             for d in range(1, 8)]})
        assert hours.status_code == 200, hours.text
        return self

    @property
    def space_id(self) -> str:
        return str(self.venue["spaces"][0]["id"])

    async def confirmed_booking(self, start: datetime, hours: int = 2,
                                who: dict[str, str] = ORGANISER,
                                **title: str) -> str:
        """`title`: the title and its `title_language` (Finnish unless given)."""
        made = await self.booking.post("/bookings", headers=who, json={
            "space_id": self.space_id, "starts_at": iso(start),
            "ends_at": iso(start + timedelta(hours=hours)), "title": "Kuoroharjoitus",
            "organiser": {"name": "Kuoro ry", "email": "kuoro@example.fi"},
            "library_contact": "Jynkän kirjasto, Sari", "accept_house_rules": True,
            **title})
        assert made.status_code == 201, made.text
        confirmed = await self.booking.post(f"/bookings/{made.json()['id']}/confirm",
                                            headers=self.desk)
        assert confirmed.status_code == 200, confirmed.text
        return str(made.json()["id"])

    async def activity(self, booking_id: str, who: dict[str, str] = ORGANISER,
                       status: str | None = None) -> dict[str, Any]:
        async def found() -> dict[str, Any] | None:
            page = (await self.events.get("/events", headers=who,
                                          params={"booking_id": booking_id})).json()
            items = page["items"]
            if items and (status is None or items[0]["status"] == status):
                return dict(items[0])
            return None

        event: dict[str, Any] = await eventually(found)
        return event

    async def history(self, event_id: str, who: dict[str, str] = ORGANISER
                      ) -> list[dict[str, Any]]:
        answer = await self.events.get(f"/events/{event_id}/history", headers=who)
        assert answer.status_code == 200, answer.text
        return list(answer.json())

    async def booking_of(self, booking_id: str) -> dict[str, Any]:
        answer = await self.booking.get(f"/bookings/{booking_id}", headers=self.desk)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


async def _city(start_service) -> City:  # type: ignore[no-untyped-def]
    booking = await start_service(booking_spec)
    events = await start_service(events_spec)
    return await City(booking, events).open()


def _same_time(a: str, b: datetime) -> bool:
    return datetime.fromisoformat(a.replace("Z", "+00:00")) == b


async def test_a_booking_that_ends_withdraws_its_draft_and_cancels_its_published_activity(
        start_service) -> None:
    """Before: desk staff cancelled a confirmed booking and its activity stayed published; a
    draft of a cancelled booking could still be published."""
    city = await _city(start_service)
    published_booking = await city.confirmed_booking(DAY)
    draft_booking = await city.confirmed_booking(DAY + timedelta(days=1))
    event = await city.activity(published_booking)
    answer = await city.events.post(f"/events/{event['id']}/publish", headers=ORGANISER)
    assert answer.status_code == 200 and answer.json()["status"] == "published", answer.text
    draft = await city.activity(draft_booking)

    for booking_id in (published_booking, draft_booking):  # the desk stops both
        stopped = await city.booking.post(f"/bookings/{booking_id}/cancel", headers=city.desk,
                                          json={"reason": "Vesivahinko, tila suljettu"})
        assert stopped.status_code == 200, stopped.text

    cancelled = await city.activity(published_booking, status="cancelled")
    withdrawn = await city.activity(draft_booking, status="withdrawn")
    assert cancelled["revision"] == event["revision"] + 2  # published, then cancelled
    assert (await city.history(cancelled["id"]))[-1] | {"at": None} == {
        "status": "cancelled", "actor": "booking:desk", "reason": "Vesivahinko, tila suljettu",
        "at": None}
    assert (await city.history(withdrawn["id"]))[-1]["status"] == "withdrawn"
    # The withdrawn draft cannot be published any more, and no resident sees it.
    refused = await city.events.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert refused.status_code == 409, refused.text
    public = (await city.events.get("/events", params={"venue_id": city.venue["id"]})).json()
    assert [(i["id"], i["status"]) for i in public["items"]] == [(event["id"], "cancelled")]

    # Notifications hear of the cancellation with its reason (they post the notice).
    # (By its type: the topic also tells the vocabulary's terms, at the service's start.)
    told = [e.data for e in await events_on_topic(
        city.events.runtime, EVENTS_TOPIC, 1, event_type="fi.kohtaamo.event.cancelled.v1")]
    assert [(t["event_id"], t["reason"]) for t in told] == [
        (event["id"], "Vesivahinko, tila suljettu")]


async def test_rescheduling_moves_the_booking_first_and_a_refusal_changes_nothing(
        start_service) -> None:
    """Before: rescheduling an activity never touched its booking, so it could move to a
    time the space was booked by someone else or closed."""
    city = await _city(start_service)
    mine = await city.confirmed_booking(DAY)
    theirs = await city.confirmed_booking(DAY + timedelta(hours=3), who=OTHER)
    event = await city.activity(mine)
    await city.events.post(f"/events/{event['id']}/publish", headers=ORGANISER)

    # Onto someone else's booking: refused, nothing changes.
    taken = DAY + timedelta(hours=3)
    asked = await city.events.post(f"/events/{event['id']}/reschedule", headers=ORGANISER,
                                   json={"starts_at": iso(taken),
                                         "ends_at": iso(taken + timedelta(hours=2))})
    assert asked.status_code == 202, asked.text
    assert asked.json()["pending_move"] is not None and asked.json()["status"] == "published"
    again = await city.events.post(f"/events/{event['id']}/reschedule", headers=ORGANISER,
                                   json={"starts_at": iso(taken),
                                         "ends_at": iso(taken + timedelta(hours=2))})
    assert again.status_code == 409, again.text  # one move at a time

    async def refused() -> dict[str, Any] | None:
        steps = await city.history(event["id"])
        return steps[-1] if steps[-1]["status"] == "move_refused" else None

    assert (await eventually(refused))["reason"].startswith("taken:")
    kept = (await city.events.get(f"/events/{event['id']}", headers=ORGANISER)).json()
    assert kept["pending_move"] is None and kept["status"] == "published"
    assert _same_time(kept["starts_at"], DAY)
    assert _same_time((await city.booking_of(mine))["starts_at"], DAY)
    assert _same_time((await city.booking_of(theirs))["starts_at"], taken)

    # When the space is closed (22.00 Helsinki time): refused too.
    late = DAY + timedelta(hours=8)
    await city.events.post(f"/events/{event['id']}/reschedule", headers=ORGANISER,
                           json={"starts_at": iso(late),
                                 "ends_at": iso(late + timedelta(hours=1))})
    assert (await eventually(refused))["reason"].startswith("closed:")

    # To a free time in opening hours: the booking moves, then residents are told.
    free = DAY + timedelta(days=1)
    await city.events.post(f"/events/{event['id']}/reschedule", headers=ORGANISER,
                           json={"starts_at": iso(free),
                                 "ends_at": iso(free + timedelta(hours=2))})
    moved = await city.activity(mine, status="rescheduled")
    assert _same_time(moved["starts_at"], free) and moved["pending_move"] is None
    booking = await city.booking_of(mine)
    assert _same_time(booking["starts_at"], free)
    assert booking["history"][-1]["status"] == "moved"
    assert booking["history"][-1]["actor"] == "events:organiser:kuoro"


async def test_a_booking_moved_by_the_desk_moves_its_activity(start_service) -> None:
    city = await _city(start_service)
    booking_id = await city.confirmed_booking(DAY)
    event = await city.activity(booking_id)
    await city.events.post(f"/events/{event['id']}/publish", headers=ORGANISER)
    later = DAY + timedelta(hours=2)
    moved = await city.booking.post(f"/bookings/{booking_id}/move", headers=city.desk,
                                    json={"starts_at": iso(later),
                                          "ends_at": iso(later + timedelta(hours=2)),
                                          "reason": "Salin remontti"})
    assert moved.status_code == 200, moved.text
    activity = await city.activity(booking_id, status="rescheduled")
    assert _same_time(activity["starts_at"], later)
    step = (await city.history(activity["id"]))[-1]
    assert (step["status"], step["actor"], step["reason"]) == (
        "rescheduled", "booking:desk", "Salin remontti")
    # The organiser cannot move the booking itself (they reschedule the activity).
    mine = await city.booking.post(f"/bookings/{booking_id}/move", headers=ORGANISER,
                                   json={"starts_at": iso(DAY),
                                         "ends_at": iso(DAY + timedelta(hours=2))})
    assert mine.status_code == 403, mine.text


async def test_a_swedish_title_names_the_draft_in_swedish_through_a_move_and_publishing(
        start_service) -> None:
    """The title's language travels with the booking events (`title_language`): a Swedish
    title is the draft's Swedish name, not its Finnish one, and stays so when the desk
    moves the booking; publishing asks the Finnish name, then both go out."""
    city = await _city(start_service)
    booking_id = await city.confirmed_booking(DAY, title="Körövning", title_language="sv")
    draft = await city.activity(booking_id)
    assert draft["status"] == "draft"
    assert draft["name"] == {"fi": "", "sv": "Körövning", "en": None}
    later = DAY + timedelta(hours=3)
    moved = await city.booking.post(f"/bookings/{booking_id}/move", headers=city.desk,
                                    json={"starts_at": iso(later),
                                          "ends_at": iso(later + timedelta(hours=2))})
    assert moved.status_code == 200, moved.text

    async def draft_moved() -> dict[str, Any] | None:
        found = await city.activity(booking_id)
        return found if _same_time(found["starts_at"], later) else None

    assert (await eventually(draft_moved))["name"] == {"fi": "", "sv": "Körövning",
                                                      "en": None}
    refused = await city.events.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert refused.status_code == 422 and "name.fi" in refused.text
    named = await city.events.patch(f"/events/{draft['id']}", headers=ORGANISER, json={
        "name": {"fi": "Kuoroharjoitus", "sv": "Körövning"}})
    assert named.status_code == 200, named.text
    published = await city.events.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert published.status_code == 200, published.text
    assert published.json()["name"] == {"fi": "Kuoroharjoitus", "sv": "Körövning",
                                        "en": None}


async def test_an_activity_cancelled_by_its_organiser_releases_its_booking_if_asked(
        start_service) -> None:
    city = await _city(start_service)
    kept = await city.confirmed_booking(DAY)
    released = await city.confirmed_booking(DAY + timedelta(days=1))
    for booking_id, release in ((kept, False), (released, True)):
        event = await city.activity(booking_id)
        await city.events.post(f"/events/{event['id']}/publish", headers=ORGANISER)
        answer = await city.events.post(f"/events/{event['id']}/cancel", headers=ORGANISER,
                                        json={"reason": "Kuoronjohtaja sairastui",
                                              "release_booking": release})
        assert answer.status_code == 200, answer.text

    async def freed() -> dict[str, Any] | None:
        booking = await city.booking_of(released)
        return booking if booking["status"] == "cancelled" else None

    booking = await eventually(freed)
    assert booking["history"][-1]["actor"] == "organiser:activity-cancelled"
    assert "Kuoronjohtaja sairastui" in booking["history"][-1]["reason"]
    assert (await city.booking_of(kept))["status"] == "confirmed"
    # The booking's cancellation comes back to the events service and changes nothing.
    activity = await city.activity(released, status="cancelled")
    steps = await city.history(activity["id"])
    assert [s["status"] for s in steps].count("cancelled") == 1


async def test_events_of_a_booking_out_of_order_leave_nothing_to_publish(
        start_service, infra: Infra, topic_prefix: str) -> None:
    """The booking's cancellation (and a move) arrive before its confirmation: the draft
    made afterwards is withdrawn, so it is never published."""
    events = await start_service(events_spec)
    booking_id, venue_id, space_id = uuid4(), uuid4(), uuid4()
    facts: dict[str, Any] = {
        "booking_id": booking_id, "venue_id": venue_id, "space_id": space_id,
        "starts_at": DAY, "ends_at": DAY + timedelta(hours=2), "title": "Kuoroharjoitus",
        "organiser_id": uuid4(), "organiser_subject": "kuoro"}
    moved_id = uuid4()
    moved_facts = {**facts, "booking_id": moved_id}
    later = DAY + timedelta(days=1)
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", [
        BookingCancelled(**facts, reason="Peruttu", cancelled_by="desk"),
        BookingConfirmed(**facts),
        BookingMoved(**{**moved_facts, "starts_at": later,
                        "ends_at": later + timedelta(hours=2)},
                     previous_starts_at=DAY, previous_ends_at=DAY + timedelta(hours=2)),
        BookingConfirmed(**moved_facts),
    ])

    async def drafts() -> list[dict[str, Any]] | None:
        items = (await events.get("/events", headers=ORGANISER)).json()["items"]
        return items if len(items) == 2 else None

    found = {i["booking_id"]: i for i in await eventually(drafts)}
    withdrawn = found[str(booking_id)]
    assert withdrawn["status"] == "withdrawn"
    refused = await events.post(f"/events/{withdrawn['id']}/publish", headers=ORGANISER)
    assert refused.status_code == 409, refused.text
    # The move known before the confirmation: the draft is at the booking's newest time.
    assert _same_time(found[str(moved_id)]["starts_at"], later)


async def test_a_no_show_cancels_its_published_activity_once(
        start_service, infra: Infra, topic_prefix: str) -> None:
    """Nobody checked in: the booking service's job releases the space (`booking.no_show`),
    and the published activity is cancelled with the reason, once, even if told twice."""
    from services.booking.jobs import release_no_shows
    from shared.clock import FixedClock

    city = await _city(start_service)
    rules = await city.booking.put(f"/spaces/{city.space_id}/rules", headers=city.desk,
                                   json={"checkin_required": True, "checkin_minutes": 15})
    assert rules.status_code == 200, rules.text
    booking_id = await city.confirmed_booking(DAY)
    event = await city.activity(booking_id)
    published = await city.events.post(f"/events/{event['id']}/publish", headers=ORGANISER)
    assert published.json()["status"] == "published", published.text

    city.booking.runtime.clock = FixedClock(DAY + timedelta(minutes=20))  # window is over
    assert await release_no_shows(city.booking.runtime) == 1
    cancelled = await city.activity(booking_id, status="cancelled")
    last = (await city.history(cancelled["id"]))[-1]
    assert (last["status"], last["actor"]) == ("cancelled", "booking:system")
    # Nobody wrote a reason: none is made up (in English); the page says the booking ended it.
    assert last["reason"] is None
    page = await city.events.get(f"/events/{cancelled['id']}/page?lang=fi")
    assert "Tilavaraus peruttiin" in page.text

    # The same news again (a replay of the topic): nothing changes a second time.
    [record] = [r for r in await read_topic(infra.kafka_bootstrap,
                                            f"{topic_prefix}booking.v1", expect=5)
                if dict(r.headers).get("ce_type") == b"fi.kohtaamo.booking.no_show.v1"]
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1",
                  [BookingNoShow.model_validate_json(record.value)])
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1", [BookingCancelled(
        **_facts_of(record.value), reason="myöhässä", cancelled_by="desk")])

    async def both_seen() -> bool:
        seen = await city.events.runtime.pool.fetch(
            "SELECT event_type, count(*) AS n FROM inbox GROUP BY event_type")
        counts = {r["event_type"]: r["n"] for r in seen}
        return (counts.get("fi.kohtaamo.booking.no_show.v1") == 2
                and counts.get("fi.kohtaamo.booking.cancelled.v1") == 1)

    await eventually(both_seen)
    told = await events_on_topic(city.events.runtime, EVENTS_TOPIC, 1,
                                 event_type="fi.kohtaamo.event.cancelled.v1")
    assert len(told) == 1
    assert [s["status"] for s in await city.history(cancelled["id"])].count("cancelled") == 1


async def test_a_rejected_request_leaves_nothing_a_late_confirmation_could_publish(
        start_service, infra: Infra, topic_prefix: str) -> None:
    """The desk rejects a request: no activity is made of it, and a confirmation of the same
    booking arriving after the rejection (a stale copy, a replay) makes only a withdrawn draft
    that cannot be published."""
    city = await _city(start_service)
    made = await city.booking.post("/bookings", headers=ORGANISER, json={
        "space_id": city.space_id, "starts_at": iso(DAY),
        "ends_at": iso(DAY + timedelta(hours=2)), "title": "Kuoroharjoitus",
        "organiser": {"name": "Kuoro ry", "email": "kuoro@example.fi"},
        "library_contact": "Jynkän kirjasto, Sari", "accept_house_rules": True})
    assert made.status_code == 201, made.text
    booking_id = made.json()["id"]
    rejected = await city.booking.post(f"/bookings/{booking_id}/reject", headers=city.desk,
                                       json={"reason": "Tila on remontissa"})
    assert rejected.status_code == 200, rejected.text

    async def the_rejection() -> Any:
        records = await read_topic(infra.kafka_bootstrap, f"{topic_prefix}booking.v1",
                                   expect=3, timeout=5)
        return next((r for r in records if dict(r.headers).get("ce_type")
                     == b"fi.kohtaamo.booking.rejected.v1"), None)

    record = await eventually(the_rejection)
    await produce(infra.kafka_bootstrap, f"{topic_prefix}booking.v1",
                  [BookingConfirmed(**_facts_of(record.value))])
    draft = await city.activity(booking_id)
    assert draft["status"] == "withdrawn"
    last = (await city.history(draft["id"]))[-1]
    assert (last["status"], last["actor"], last["reason"]) == (
        "withdrawn", "booking:desk", "Tila on remontissa")
    refused = await city.events.post(f"/events/{draft['id']}/publish", headers=ORGANISER)
    assert refused.status_code == 409, refused.text
    public = (await city.events.get("/events", params={"venue_id": city.venue["id"]})).json()
    assert public["items"] == []


def _facts_of(value: bytes) -> dict[str, Any]:
    """A booking event's own facts, to send another event about the same booking."""
    data = json.loads(value)
    return {k: v for k, v in data.items() if k in BookingConfirmed.model_fields}


async def test_the_booking_service_killed_mid_saga_finishes_the_move_when_restarted(
        start_service, spawn_service, fresh_database) -> None:
    """The service in the middle of the reschedule (booking) dies: the request waits in
    Kafka, the activity keeps its time with the move pending; restarted on its database the
    booking service moves the booking and the activity follows, once."""
    booking_db = await fresh_database("booking")
    booking = await spawn_service("booking", booking_db, name="saga-booking-1")
    events = await start_service(events_spec)
    async with httpx.AsyncClient(base_url=booking.url, timeout=10) as http:
        city = await City(http, events).open()
        booking_id = await city.confirmed_booking(DAY)
        event = await city.activity(booking_id)
        await events.post(f"/events/{event['id']}/publish", headers=ORGANISER)

        booking.kill()
        later = DAY + timedelta(days=1)
        asked = await events.post(f"/events/{event['id']}/reschedule", headers=ORGANISER,
                                  json={"starts_at": iso(later),
                                        "ends_at": iso(later + timedelta(hours=2))})
        assert asked.status_code == 202, asked.text
        waiting = (await events.get(f"/events/{event['id']}", headers=ORGANISER)).json()
        assert waiting["pending_move"] is not None and _same_time(waiting["starts_at"], DAY)

        restarted = await spawn_service("booking", booking_db, name="saga-booking-2")
        city.booking = httpx.AsyncClient(base_url=restarted.url, timeout=10)
        try:
            moved = await city.activity(booking_id, status="rescheduled")
            assert _same_time(moved["starts_at"], later)
            assert _same_time((await city.booking_of(booking_id))["starts_at"], later)
            steps = [s["status"] for s in await city.history(event["id"])]
            assert steps.count("rescheduled") == 1
        finally:
            await city.booking.aclose()


async def test_implausible_attendance_is_held_out_of_the_indicators_until_staff_confirm(
        start_service) -> None:
    """Before: attendance of 1,000,000 for one event went straight into the city's
    indicators, and feedback was taken for an activity still in the future."""
    from services.metrics.app import spec as metrics_spec
    from shared.clock import FixedClock

    city = await _city(start_service)
    metrics = await start_service(metrics_spec)
    booking_id = await city.confirmed_booking(DAY)
    event = await city.activity(booking_id)
    await city.events.post(f"/events/{event['id']}/publish", headers=ORGANISER)

    # Feedback before the activity ended: refused on the page, in the resident's language.
    async def known() -> bool:
        return (await metrics.get(f"/feedback/{event['id']}")).status_code == 200

    await eventually(known)
    early = await metrics.post(f"/feedback/{event['id']}?lang=sv",
                               data={"satisfaction": "5", "wellbeing": "yes"})
    assert early.status_code == 409 and "text/html" in early.headers["content-type"]
    assert "när verksamheten har avslutats" in early.text

    city.events.runtime.clock = FixedClock(DAY + timedelta(minutes=30))  # started
    report = await city.events.put(f"/events/{event['id']}/attendance", headers=ORGANISER,
                                   json={"participants": 1_000_000, "visitors": 0})
    assert report.status_code == 200 and report.json()["held"] is True, report.text

    async def participants() -> Any:
        body = (await metrics.get("/indicators/summary",
                                  params={"area": "kuopio.jynkka"})).json()
        return body["areas"][0]["values"]["participants"] if body["areas"] else None

    await eventually(lambda: _published_counted(metrics))
    assert not await participants()  # held out: nothing was told to the other services
    assert await events_on_topic(city.events.runtime, EVENTS_TOPIC, 1, keys={event["id"]},
                                 event_type="fi.kohtaamo.attendance.reported.v1",
                                 timeout=2) == []
    assert (await city.events.post(f"/events/{event['id']}/attendance/confirm",
                                   headers=ORGANISER)).status_code == 403
    confirmed = await city.events.post(f"/events/{event['id']}/attendance/confirm",
                                       headers=city.desk)
    assert confirmed.status_code == 200, confirmed.text
    assert await eventually(participants) == 1_000_000
    steps = [s["status"] for s in await city.history(event["id"])]
    assert steps[-2:] == ["attendance_held", "attendance_confirmed"]


async def _published_counted(metrics: httpx.AsyncClient) -> bool:
    body = (await metrics.get("/indicators/published-events",
                              params={"area": "kuopio.jynkka"})).json()
    return bool(body["areas"] and body["areas"][0]["published_events"] == 1)


async def test_the_approval_queue_over_the_api(start_service, tmp_path: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff refuse, then approve, an organiser's activity from the queue; the organiser is
    emailed each decision (through notifications, to the fake SMTP server) at the address
    their identity provider verified, in the language they published in, and the address is
    kept by neither service afterwards."""
    import asyncio

    from deploy.fake_platforms import running_fake_platforms
    from services.notifications import jobs
    from services.notifications.app import spec as notifications_spec

    mailed = bearer("organiser", subject="kuoro", name="Kuoro ry", email="Kuoro@example.fi",
                    email_verified=True)
    monkeypatch.setenv("KOHTAAMO_CHANNEL_SECRETS_DIR", str(tmp_path))
    async with running_fake_platforms() as fake:
        events = await start_service(events_spec)
        notifications = await start_service(notifications_spec)
        (tmp_path / "email").write_text(str(fake.tokens.smtp))
        account = await notifications.post("/channels", headers=bearer("admin"), json={
            "platform": "email", "name": "Kirjasto", "base_url": fake.base_url("email"),
            "account_ref": "asukastoiminta@kuopio.example",
            "secret_ref": f"file:{tmp_path}/email"})
        assert account.status_code == 201, account.text
        # No fault is injected here: a stall of the fakes must not fail a send.
        http = httpx.AsyncClient(timeout=httpx.Timeout(15.0))
        settings = jobs.SenderSettings()

        async def sent() -> list[dict[str, Any]]:
            await jobs.send_due(notifications.runtime, http, settings)
            return fake.posts("email")

        async def mails(n: int) -> list[dict[str, Any]] | None:
            found = await sent()
            return found if len(found) >= n else None

        try:
            body = {"name": {"fi": "Puistojooga"}, "kind": "open_guided",
                    "place_kind": "outdoors", "place_name": {"fi": "Jynkän puisto"},
                    "area": "kuopio.jynkka", "starts_at": iso(DAY),
                    "ends_at": iso(DAY + timedelta(hours=1))}
            created = (await events.post("/events", headers=mailed, json=body)).json()
            queued = await events.post(f"/events/{created['id']}/publish?lang=sv",
                                       headers=mailed)
            assert queued.json()["status"] == "awaiting_approval", queued.text
            listed = await events.get("/approvals", headers=COMMS,
                                      params={"area": "kuopio.jynkka"})
            assert [e["id"] for e in listed.json()] == [created["id"]]
            assert (await events.get("/approvals", headers=ORGANISER)).status_code == 403
            refused = await events.post(f"/events/{created['id']}/refuse", headers=COMMS,
                                        json={"reason": "Puisto on varattu toiselle"})
            assert refused.json()["status"] == "draft", refused.text
            steps = (await events.get(f"/events/{created['id']}/history",
                                      headers=ORGANISER)).json()
            assert (steps[-1]["status"], steps[-1]["reason"]) == (
                "draft", "refused: Puisto on varattu toiselle")
            assert steps[-1]["actor"] == "communications:viestinta"
            [no] = await eventually(lambda: mails(1))
            assert no["to"] == "kuoro@example.fi", no
            assert no["subject"].startswith("Ditt evenemang publicerades inte: Puistojooga")
            assert "Orsak: Puisto on varattu toiselle" in no["text"]
            assert "ditt utkast igen" in no["text"]

            await events.post(f"/events/{created['id']}/publish", headers=mailed)
            approved = await events.post(f"/events/{created['id']}/approve", headers=COMMS)
            assert approved.json()["status"] == "published", approved.text
            assert (await events.get(f"/events/{created['id']}")).status_code == 200  # public
            yes = (await eventually(lambda: mails(2)))[-1]
            assert yes["to"] == "kuoro@example.fi", yes
            assert yes["subject"].startswith("Tapahtumasi on julkaistu: Puistojooga")
            assert f"/events/{created['id']}/page?lang=fi" in yes["text"]
            await asyncio.sleep(1.0)  # nothing more is on its way
            assert len(await sent()) == 2

            # Neither service keeps the address once the decisions are sent.
            assert await events.runtime.pool.fetchval(
                "SELECT count(*) FROM approval_contacts") == 0
            rows = await notifications.runtime.pool.fetch(
                "SELECT recipient, status FROM deliveries WHERE purpose LIKE 'approval_%'")
            assert [(r["recipient"], r["status"]) for r in rows] == [(None, "published")] * 2

            too_long = await events.post("/events", headers=ORGANISER, json={
                **body, "ends_at": iso(DAY + timedelta(days=100 * 365 // 4))})
            assert too_long.status_code == 422 and "ends_at" in too_long.text
        finally:
            await http.aclose()
