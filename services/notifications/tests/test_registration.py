"""Registration for activities that need it, on the real PostgreSQL and SMTP (the fake
platforms' server): seats, the waiting list, group sign-ups, questions, the participants'
list and the notices registrants get when the activity changes (issue #18)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.notifications import handlers, jobs, usecases
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup, activity
from shared import l10n
from shared.clock import FixedClock
from shared.contracts import (
    EVENTS_TOPIC,
    NOTIFICATIONS_TOPIC,
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventRescheduled,
    LocalizedText,
    VenueRegistered,
)
from shared.envelope import Envelope
from shared.uow import PgUnitOfWork
from tests.infra import bearer, events_on_topic, eventually, produce, read_topic

pytestmark = pytest.mark.infra

# The fake platforms and the running service, as the delivery tests have them.
fake = test_delivery.fake
setup = test_delivery.setup

VENUE = uuid4()


async def published(setup: Setup, *, capacity: int | None, **extra: Any) -> Any:
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Nilsiän kirjasto", sv="Nilsiä bibliotek"),
        kind="library", area="kuopio.nilsia", municipality="Kuopio"))
    event = activity(registration_required=True, capacity=capacity, venue_id=VENUE,
                     organiser_subject="kuoro-org", **extra)
    await setup.handle(handlers.on_activity_event, event)
    return event


async def sign_up(setup: Setup, event_id: UUID, name: str, address: str, *, seats: int = 1,
                  lang: str = "fi", **answers: str) -> Any:
    form = {"name": name, "email": address, "seats": str(seats), "language": lang,
            **{f"q_{k}": v for k, v in answers.items()}}
    # A sign-up answers 303 to its own page (a reload there posts nothing again): followed.
    return await setup.client.post(f"/registrations/{event_id}?lang={lang}", data=form,
                                   follow_redirects=True)


def token_of(response: Any) -> str:
    found = re.search(r"/registrations/cancel/([0-9a-f]{64})", response.text)
    assert found, response.text
    return found.group(1)


async def registrations(setup: Setup, event_id: UUID) -> dict[str, dict[str, Any]]:
    rows = await setup.pool.fetch("SELECT * FROM registrations WHERE activity_event_id = $1",
                                  event_id)
    return {r["email"] or str(r["id"]): dict(r) for r in rows}


async def test_the_last_seat_goes_to_one_person_however_many_ask_at_once(setup: Setup) -> None:
    event = await published(setup, capacity=3)
    first = await sign_up(setup, event.event_id, "Aino", "aino@example.fi", seats=2)
    assert first.status_code == 200 and "vahvistettu" in first.text
    # Ten people ask for the last seat at the same moment: one gets it, nine wait in line.
    answers = await asyncio.gather(*(
        sign_up(setup, event.event_id, f"Hakija {i}", f"hakija{i}@example.fi")
        for i in range(10)))
    assert [a.status_code for a in answers] == [200] * 10
    # Each lands on its own page, which tells the place in the line as it is when read (one
    # read while others were still signing up may have counted fewer): read them once all
    # are in.
    answers = [await setup.client.get(str(a.url)) for a in answers]
    confirmed = [a for a in answers if "vahvistettu" in a.text]
    waiting = sorted(int(re.search(r"sijalla (\d+)", a.text).group(1))  # type: ignore[union-attr]
                     for a in answers if "jonossa" in a.text)
    assert len(confirmed) == 1 and waiting == list(range(1, 10))
    rows = await registrations(setup, event.event_id)
    assert sum(r["seats"] for r in rows.values() if r["status"] == "confirmed") == 3
    # A group that does not fit waits too; the same address cannot sign up twice.
    again = await sign_up(setup, event.event_id, "Aino", "AINO@example.fi")
    assert again.status_code == 409 and "jo ilmoittauduttu" in again.text
    assert "<form" in again.text  # the page, not JSON
    too_many = await sign_up(setup, event.event_id, "Iso perhe", "perhe@example.fi", seats=9,
                             lang="sv")
    # Never more than the places there are (3), though a group may be 6 elsewhere.
    assert too_many.status_code == 422 and "1–3" in too_many.text and 'lang="sv"' in too_many.text


async def test_a_cancellation_moves_the_waiting_list_up_in_order(setup: Setup) -> None:
    await setup.account("email")
    event = await published(setup, capacity=2)
    aino = await sign_up(setup, event.event_id, "Aino", "aino@example.fi", seats=2)
    group = await sign_up(setup, event.event_id, "Perhe", "perhe@example.fi", seats=2,
                          lang="sv")
    single = await sign_up(setup, event.event_id, "Eino", "eino@example.fi", lang="en")
    assert "sijalla 1" not in aino.text and "nummer 1" in group.text and "number 2" in single.text
    page = await setup.client.get(f"/registrations/cancel/{token_of(aino)}?lang=fi")
    assert page.status_code == 200 and "Peru ilmoittautuminen" in page.text
    cancelled = await setup.client.post(f"/registrations/cancel/{token_of(aino)}?lang=fi",
                                        follow_redirects=True)
    assert cancelled.status_code == 200 and "on peruttu" in cancelled.text
    # Still naming what was cancelled, and the way on to the activity: no dead end.
    assert "Satutunti" in cancelled.text
    assert f'/events/{event.event_id}/page?lang=fi">Tapahtuman sivu</a>' in cancelled.text
    # Twice is once.
    assert (await setup.client.post(f"/registrations/cancel/{token_of(aino)}",
                                    follow_redirects=True)).status_code == 200
    rows = await registrations(setup, event.event_id)
    # The group was first in line and fits the two seats; the single person still waits.
    assert {k: r["status"] for k, r in rows.items()} == {
        "aino@example.fi": "cancelled", "perhe@example.fi": "confirmed",
        "eino@example.fi": "waiting"}
    assert await setup.send() == {"published": 5}
    mails = {(m["to"], m["subject"].split(":")[0]) for m in setup.fake.posts("email")}
    assert mails == {
        ("aino@example.fi", "Ilmoittautumisesi on vahvistettu"),
        ("perhe@example.fi", "Du står i kö"), ("eino@example.fi", "You are on the waiting list"),
        ("aino@example.fi", "Ilmoittautumisesi on peruttu"),
        ("perhe@example.fi", "Du fick en plats från kön")}
    promoted = next(m for m in setup.fake.posts("email") if "Du fick" in m["subject"])
    assert "Platser: 2" in promoted["text"] and promoted["ics_method"] == "PUBLISH"
    assert "/registrations/cancel/" in promoted["text"]
    # Nothing on the bus names anyone: the counts are all that go out.
    counts = await events_on_topic(setup.client.runtime, NOTIFICATIONS_TOPIC, 1,
                                   keys={str(event.event_id)},
                                   event_type="fi.kohtaamo.registration.counts.v1")
    assert counts and all("@" not in str(c.data) for c in counts)


async def test_registrants_hear_of_a_new_time_and_of_a_cancellation(setup: Setup) -> None:
    await setup.account("email")
    event = await published(setup, capacity=1)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    await sign_up(setup, event.event_id, "Eino", "eino@example.fi", lang="en")
    assert await setup.send() == {"published": 2}
    later = event.starts_at + timedelta(days=1)
    moved = ActivityEventRescheduled(**{
        **event.model_dump(), "revision": 2, "starts_at": later,
        "ends_at": later + timedelta(hours=1), "previous_starts_at": event.starts_at,
        "previous_ends_at": event.ends_at})
    await setup.handle(handlers.on_activity_event, moved)
    await setup.handle(handlers.on_activity_event, moved)  # a redelivery tells nobody twice
    await setup.handle(handlers.on_activity_event, ActivityEventCancelled(
        **{**moved.model_dump(exclude={"previous_starts_at", "previous_ends_at"}),
           "revision": 3}, reason="Sairastuminen"))
    assert await setup.send() == {"published": 4}
    # Its sign-up page says it is cancelled, and offers no places left.
    page = await setup.client.get(f"/registrations/{event.event_id}?lang=fi")
    assert page.status_code == 200 and "Vapaita paikkoja" not in page.text
    notices = [m for m in setup.fake.posts("email")][2:]
    by = {(m["to"], m["subject"].split(":")[0]) for m in notices}
    assert by == {("aino@example.fi", "Tapahtuman aika on muuttunut"),
                  ("eino@example.fi", "The event's time has changed"),
                  ("aino@example.fi", "Tapahtuma on peruttu"),
                  ("eino@example.fi", "The event has been cancelled")}
    new_time = next(m for m in notices if m["to"] == "aino@example.fi"
                    and "aika" in m["subject"])
    assert "aiemmin" in new_time["text"] and new_time["ics_method"] == "PUBLISH"
    gone = next(m for m in notices if m["to"] == "aino@example.fi" and "peruttu" in m["subject"])
    assert gone["ics_method"] == "CANCEL"
    # Once the activity is cancelled, nobody can sign up.
    late = await sign_up(setup, event.event_id, "Myöhäinen", "myoha@example.fi")
    assert late.status_code == 409 and "peruttu" in late.text
    page = await setup.client.get(f"/registrations/{event.event_id}?lang=en")
    assert page.status_code == 200 and "The event has been cancelled" in page.text
    assert 'name="email"' not in page.text  # no form to fill in vain


async def test_the_list_of_participants_is_for_the_organiser_and_the_desk(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await setup.client.put(f"/registrations/{event.event_id}/settings", headers=bearer("admin"),
                           json={"max_group": 3, "questions": [
                               {"id": "allergies", "text": {"fi": "Allergiat",
                                                            "en": "Allergies"},
                                "required": True}]})
    missing = await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    assert missing.status_code == 422 and "pakollisiin" in missing.text
    ok = await sign_up(setup, event.event_id, "Aino", "aino@example.fi", seats=3,
                       allergies="pähkinä")
    assert ok.status_code == 200
    url = f"/registrations/{event.event_id}/participants"
    for who, status in ((bearer("organiser", subject="someone-else"), 403),
                        (bearer("desk", venues=(uuid4(),)), 403),
                        (bearer("desk", venues=(VENUE,)), 200),
                        (bearer("organiser", subject="kuoro-org"), 200)):
        assert (await setup.client.get(f"{url}?format=json", headers=who)).status_code == status
    desk = bearer("desk", venues=(VENUE,))
    listed = (await setup.client.get(f"{url}?format=json", headers=desk)).json()
    (row,) = listed["registrations"]
    assert (row["name"], row["seats"], row["answers"]) == ("Aino", 3, {"allergies": "pähkinä"})
    csv_text = (await setup.client.get(f"{url}?format=csv&lang=en", headers=desk)).text
    assert csv_text.splitlines()[0] == "Name,Email,People,Status,Allergies,Present"
    both = await setup.client.put(f"/registrations/{event.event_id}/attendance",
                                  headers=desk, json={"present": [row["id"]],
                                                      "absent": [row["id"]]})
    assert (both.status_code, both.json()["code"]) == (422, "attendance_both")
    assert both.json()["ids"] == [row["id"]]
    # An id of no registration of the activity is refused, nothing marked (it was ignored,
    # and the page's form then said "saved" with nothing saved).
    stranger = str(uuid4())
    unknown = await setup.client.put(f"/registrations/{event.event_id}/attendance",
                                     headers=desk, json={"present": [row["id"], stranger]})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "attendance_unknown")
    assert unknown.json()["ids"] == [stranger]
    assert not await setup.pool.fetchval("SELECT attended FROM registrations")
    marked = await setup.client.put(f"/registrations/{event.event_id}/attendance",
                                    headers=desk, json={"present": [row["id"]]})
    assert marked.json()["attended_seats"] == 3
    absent = await setup.client.put(f"/registrations/{event.event_id}/attendance",
                                    headers=desk, json={"absent": [row["id"]]})
    assert absent.json()["attended_seats"] == 0
    marked = await setup.client.put(f"/registrations/{event.event_id}/attendance",
                                    headers=desk, json={"present": [row["id"]]})
    assert marked.json()["attended_seats"] == 3
    page = await setup.client.get(f"{url}?lang=fi", headers=desk)
    assert page.status_code == 200 and "Paikalla: 3" in page.text and "Aino" in page.text


async def test_posts_of_an_activity_with_sign_up_link_its_sign_up_page(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """A post linked only the event page: one about an activity that needs registration has
    the sign-up page's link too (this service's own page, not a field of the event: the
    events service publishes only that registration is required), in the post's language,
    within the platform's limit; its cancellation has none."""
    monkeypatch.setenv("KOHTAAMO_NOTIFICATIONS_PUBLIC_URL", "https://osallistu.kuopio.example")
    await setup.account("bluesky", languages=["sv", "fi"])
    event = await published(setup, capacity=5, short_description=LocalizedText(
        fi="Laulamme yhdessä. " * 20, sv="Vi sjunger tillsammans. " * 20))
    (post,) = await setup.deliveries(event.event_id, purpose="announcement")
    text = post["content"]["text"]
    sign_up = f"https://osallistu.kuopio.example/registrations/{event.event_id}?lang=sv"
    assert f"\n\nAnmäl dig: {sign_up}\n" in text and len(text) <= 300, text
    assert text.endswith(f"/events/{event.event_id}/page?lang=sv")
    assert post["content"]["link"].endswith(f"/events/{event.event_id}/page?lang=sv")
    # The sign-up link opens the sign-up page.
    page = await setup.client.get(sign_up.removeprefix("https://osallistu.kuopio.example"))
    assert page.status_code == 200 and 'name="email"' in page.text
    assert await setup.send() == {"published": 1}
    (sent,) = setup.fake.posts("bluesky")
    assert sign_up in str(sent)
    await setup.handle(handlers.on_activity_event, ActivityEventCancelled(
        **{**event.model_dump(), "revision": 2}, reason="Sairastuminen"))
    (gone,) = await setup.deliveries(event.event_id, purpose="cancellation")
    assert "/registrations/" not in gone["content"]["text"]


async def test_who_registered_is_erased_after_the_retention_period(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    pool = setup.pool
    after = FixedClock(event.ends_at + timedelta(days=31))
    uow = PgUnitOfWork(pool, jobs.NotificationStore)
    assert await usecases.anonymise_registrations(uow, FixedClock(datetime.now(UTC)), 30) == 0
    assert await usecases.anonymise_registrations(uow, after, 30) == 1
    row = await pool.fetchrow("SELECT name, email, answers, status, seats FROM registrations")
    assert dict(row) == {"name": None, "email": None, "answers": {}, "status": "confirmed",
                         "seats": 1}


def parse(raw: str) -> email.message.EmailMessage:
    message = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


async def test_over_kafka_changes_reach_registrants_and_counts_leave_without_names(
        setup: Setup, infra: Any, topic_prefix: str) -> None:
    """The events service's event.* on the real broker drive the notices; what goes back on
    the bus is counts."""
    await setup.account("email")
    event = activity(registration_required=True, capacity=1, organiser_subject="kuoro-org")
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, [event])
    await eventually(lambda: setup.pool.fetchval(
        "SELECT true FROM activity_events WHERE id = $1", event.event_id))
    assert (await sign_up(setup, event.event_id, "Aino", "aino@example.fi")).status_code == 200
    waiting = await sign_up(setup, event.event_id, "Eino", "eino@example.fi", lang="en")
    assert "number 1" in waiting.text
    postponed = ActivityEventPostponed(**{**event.model_dump(), "revision": 2},
                                       reason="Myrsky")
    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, [postponed])

    async def notices() -> int:
        return int(await setup.pool.fetchval(
            "SELECT count(*) FROM deliveries WHERE purpose = 'registration_change'"))

    assert await eventually(lambda: _at_least(notices, 2))
    assert await setup.send() == {"published": 4}
    subjects = sorted(m["subject"] for m in setup.fake.posts("email")
                      if "siirretty" in m["subject"] or "postponed" in m["subject"])
    assert subjects == ["Tapahtuma on siirretty: Satutunti",
                        "The event has been postponed: Satutunti"]
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + NOTIFICATIONS_TOPIC, 2)
    counts = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    counts = [c for c in counts if c.type == "fi.kohtaamo.registration.counts.v1"]
    assert [(c.data["confirmed_seats"], c.data["waiting_seats"]) for c in counts] == [
        (1, 0), (1, 1)]
    assert all("@" not in str(c.data) and "Aino" not in str(c.data) for c in counts)


async def _at_least(count: Any, n: int) -> bool:
    return bool(await count() >= n)


async def test_odd_input_gets_the_form_back_never_a_server_error(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    for form in ({"name": "A\x00", "email": "a@example.fi"},
                 {"name": "A", "email": "a@example.fi", "seats": "99999999999"},
                 {"name": "A", "email": "a@example.fi", "seats": "-1"},
                 {"name": " ", "email": "a@example.fi"},
                 {"name": "A", "email": "x" * 300 + "@example.fi"},
                 {"name": "A", "email": "a@example.fi", "language": "xx"}):
        answer = await setup.client.post(f"/registrations/{event.event_id}?lang=en", data=form)
        assert 400 <= answer.status_code < 500, (form, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html")
        assert 'name="email"' in answer.text
    # A language no confirmation can be written in is named, not guessed as Finnish.
    odd_language = await setup.client.post(f"/registrations/{event.event_id}?lang=en", data={
        "name": "A", "email": "a@example.fi", "language": "xx"})
    assert odd_language.status_code == 422
    assert "Finnish, Swedish or English" in odd_language.text
    # A superscript two is a digit to Python, not a number of seats: the seats are named.
    odd_seats = await setup.client.post(f"/registrations/{event.event_id}?lang=en", data={
        "name": "A", "email": "a@example.fi", "seats": "²"})
    assert odd_seats.status_code == 422 and "A sign-up is for 1 to" in odd_seats.text
    assert await setup.pool.fetchval("SELECT count(*) FROM registrations") == 0
    unknown = await setup.client.post(f"/registrations/{uuid4()}", data={"name": "A"})
    assert unknown.status_code == 404 and "<h1>" in unknown.text


async def test_the_public_forms_mail_within_a_ceiling_per_address_and_per_network(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """The public forms that send mail have two ceilings: an address is signed up at most
    `REGISTER_PER_DAY` times a day (someone else's inbox), and one client network address
    asks for at most KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT mails an hour (seats, inboxes); a
    refused request is neither kept nor counted."""
    import httpx

    from services.notifications import domain

    app = setup.client._transport.app  # type: ignore[attr-defined]

    def client_at(address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 4000)),
                                 base_url="http://test")

    event = await published(setup, capacity=50)
    monkeypatch.setenv("KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT", "5")
    async with client_at("10.20.30.40") as here, client_at("10.20.30.41") as there:
        async def sign(http: httpx.AsyncClient, address: str, lang: str = "fi") -> Any:
            return await http.post(f"/registrations/{event.event_id}?lang={lang}",
                                   data={"name": "Testi", "email": address, "language": lang},
                                   follow_redirects=True)

        assert [(await sign(here, f"r{i}@example.fi")).status_code for i in range(5)] == \
            [200] * 5
        refused = await sign(here, "r5@example.fi")
        assert refused.status_code == 429 and "Tästä verkosta" in refused.text
        # Told when: the first of the five leaves the hour (a second or so from now + 1 h).
        assert 3590 < int(refused.headers["retry-after"]) <= 3601
        assert "Voit yrittää uudelleen" in refused.text
        assert l10n.day_and_time(datetime.now(UTC) + timedelta(hours=1), "fi") in \
            refused.text or l10n.day_and_time(datetime.now(UTC) + timedelta(minutes=59),
                                              "fi") in refused.text  # a minute may turn
        assert 'name="email"' in refused.text  # the form again, as typed
        again = await sign(here, "r6@example.fi", lang="sv")
        assert again.status_code == 429 and "från det här nätverket" in again.text
        # Another network is not held back by this one's ceiling.
        assert (await sign(there, "r7@example.fi")).status_code == 200
        # Following asks for mail too: the same ceiling.
        follow = await here.post("/follow?lang=en", data={
            "email": "f@example.fi", "language": "en", "areas": "kuopio.nilsia"})
        assert follow.status_code == 429 and "from this network" in follow.text
        assert 3590 < int(follow.headers["retry-after"]) <= 3601
        assert "You can try again on" in follow.text
    kept = await registrations(setup, event.event_id)
    assert sorted(kept) == [f"r{i}@example.fi" for i in (0, 1, 2, 3, 4, 7)]
    assert await setup.pool.fetchval("SELECT count(*) FROM subscriptions") == 0
    # Only a keyed hash of the network address is kept, never the address itself.
    senders = await setup.pool.fetch(
        "SELECT sender, count(*) AS n FROM public_mail_requests GROUP BY sender ORDER BY n")
    assert [r["n"] for r in senders] == [1, 5]
    assert all("10.20.30" not in r["sender"] for r in senders)

    # Ten at once from a third network, each for another activity (no activity's lock
    # orders them): the ceiling still holds exactly.
    async with client_at("10.20.30.42") as busy:
        others = [await published(setup, capacity=5) for _ in range(10)]
        at_once = await asyncio.gather(*(
            busy.post(f"/registrations/{o.event_id}?lang=fi",
                      data={"name": "Testi", "email": f"b{i}@example.fi"},
                      follow_redirects=True)
            for i, o in enumerate(others)))
    assert sorted(a.status_code for a in at_once) == [200] * 5 + [429] * 5

    # One address signed up for one activity after another: ten a day, then refused.
    monkeypatch.setenv("KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT", "1000")
    answers = []
    for _ in range(domain.REGISTER_PER_DAY + 1):
        other = await published(setup, capacity=5)
        answers.append(await sign_up(setup, other.event_id, "Kohde", "Kohde@example.fi",
                                     lang="en"))
    assert [a.status_code for a in answers] == [200] * domain.REGISTER_PER_DAY + [429]
    assert "signed up many times in the last day" in answers[-1].text
    # ...until the first of the ten is a day old.
    assert 86_300 < int(answers[-1].headers["retry-after"]) <= 86_401
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM registrations WHERE lower(email) = 'kohde@example.fi'") == \
        domain.REGISTER_PER_DAY

    # The notes of who asked are kept a day at most.
    later = FixedClock(datetime.now(UTC) + timedelta(days=1, minutes=1))
    noted = await setup.pool.fetchval("SELECT count(*) FROM public_mail_requests")
    assert noted == 6 + 5 + domain.REGISTER_PER_DAY  # the refused ones were not noted
    assert await usecases.forget_mail_requests(
        PgUnitOfWork(setup.pool, jobs.NotificationStore), later) == noted
    assert await setup.pool.fetchval("SELECT count(*) FROM public_mail_requests") == 0


async def test_a_full_window_names_the_request_whose_leaving_makes_room(setup: Setup) -> None:
    """The store counts a client's earlier requests in SQL and names the one whose leaving
    the window lets the next through: the oldest at the ceiling, a later one when requests
    raced past it (here: a smaller ceiling than the one they were taken under)."""
    from services.notifications.store import NotificationStore

    t0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    async with setup.pool.acquire() as conn:
        store = NotificationStore(conn)
        async with conn.transaction():
            seen = [await store.note_mail_request("sender-x", t0 + timedelta(minutes=i),
                                                  t0 - timedelta(hours=1), 3)
                    for i in range(4)]
            assert [(c.count, c.full, c.making_room) for c in seen] == [
                (0, False, None), (1, False, None), (2, False, None), (3, True, t0)]
            racing = await store.note_mail_request("sender-x", t0 + timedelta(minutes=5),
                                                   t0 - timedelta(hours=1), 2)
            assert (racing.count, racing.making_room) == (4, t0 + timedelta(minutes=2))
            assert racing.retry_after(timedelta(hours=1), t0 + timedelta(minutes=5)) == \
                57 * 60 + 1
            # The window's start leaves the older ones out.
            later = await store.note_mail_request("sender-x", t0 + timedelta(minutes=70),
                                                  t0 + timedelta(minutes=10), 3)
            assert (later.count, later.full) == (0, False)
    await setup.pool.execute("DELETE FROM public_mail_requests")


async def test_a_question_kept_without_its_finnish_text_is_read_in_the_one_it_has(
        setup: Setup) -> None:
    """Questions saved before a Finnish text was required (or a row no rule has seen) are
    shown in the text they have (`l10n.text_in`: the reader's, else fi, sv, en) on the
    sign-up page and the list of participants, never a server error; on a page, marked with
    the language they are in when it is not the page's (WCAG 3.1.2), in a file plain."""
    event = await published(setup, capacity=5)
    await setup.pool.execute(
        "INSERT INTO registration_settings (activity_event_id, questions) VALUES ($1, $2)",
        event.event_id, [{"id": "diet", "text": {"sv": "Specialkost"}},
                         {"id": "bus", "text": {"fi": "", "en": "By <b>bus</b>?"}}])
    for lang in ("fi", "sv", "en"):
        page = await setup.client.get(f"/registrations/{event.event_id}?lang={lang}")
        assert page.status_code == 200, (lang, page.text[:300])
        diet = "Specialkost" if lang == "sv" else '<span lang="sv">Specialkost</span>'
        bus = ("By &lt;b&gt;bus&lt;/b&gt;?" if lang == "en"
               else '<span lang="en">By &lt;b&gt;bus&lt;/b&gt;?</span>')
        assert f'for="q_diet">{diet}</label>' in page.text, lang
        assert f'for="q_bus">{bus}</label>' in page.text, lang
    desk = bearer("desk", venues=(VENUE,))
    url = f"/registrations/{event.event_id}/participants"
    listed = await setup.client.get(f"{url}?format=csv&lang=fi", headers=desk)
    assert listed.status_code == 200
    assert listed.text.splitlines()[0] == ("Nimi,Sähköposti,Osallistujia,Tila,Specialkost,"
                                           "By <b>bus</b>?,Paikalla")
    page = await setup.client.get(f"{url}?lang=en", headers=desk)
    assert '<th scope="col"><span lang="sv">Specialkost</span></th>' in page.text


async def test_an_activity_without_a_name_in_the_pages_language_is_marked_in_its_heading(
        setup: Setup) -> None:
    """The activity's name falls back to Finnish on an English page: its heading marks it
    (WCAG 3.1.2); the <title>, text only, names it plainly."""
    event = await published(setup, capacity=5)
    en = (await setup.client.get(f"/registrations/{event.event_id}?lang=en")).text
    assert '<h1>Registration: <span lang="fi">Satutunti</span></h1>' in en
    assert "<title>Registration: Satutunti</title>" in en
    sv = (await setup.client.get(f"/registrations/{event.event_id}?lang=sv")).text
    assert "<h1>Anmälan: Sagostund</h1>" in sv


async def test_a_place_named_in_finnish_only_is_marked_finnish_on_a_swedish_page(
        setup: Setup) -> None:
    """A screen reader read "Pyörön uimaranta" with a Swedish voice on the Swedish sign-up
    page; the calendar marked it (WCAG 3.1.2)."""
    event = activity(registration_required=True, capacity=5, place_kind="outdoors",
                     place_name=LocalizedText(fi="Pyörön uimaranta"))
    await setup.handle(handlers.on_activity_event, event)
    page = await setup.client.get(f"/registrations/{event.event_id}?lang=sv")
    assert page.status_code == 200, page.text
    assert '<dd><span lang="fi">Pyörön uimaranta</span></dd>' in page.text
    finnish = await setup.client.get(f"/registrations/{event.event_id}?lang=fi")
    assert "<dd>Pyörön uimaranta</dd>" in finnish.text


#: The sign-up page's note with 4 places free and one sign-up waiting.
QUEUE_NOTE = {
    "fi": "Vapaita paikkoja on 4, mutta jonossa odottaa jo 1 ilmoittautuminen ennen sinua: "
          "uusi ilmoittautuminen menee jonoon niiden jälkeen, sillä paikat annetaan "
          "ilmoittautumisjärjestyksessä.",
    "sv": "4 platser är lediga, men 1 anmälan väntar redan i kön före dig: en ny anmälan "
          "hamnar i kön efter dem, eftersom platserna går i anmälningsordning.",
    "en": "4 places are free, but 1 sign-up is already waiting before you: a new sign-up "
          "joins the waiting list after them, as places go in the order people signed up."}


async def test_with_places_free_a_later_group_waits_behind_an_earlier_one_and_is_told_so(
        setup: Setup) -> None:
    """A tester's activity: 4 places free, a group of 5 was queued as #1; a later group of
    2 was queued too (#2), while the page still said "Lediga platser 4", and the 2's page
    said the event was full. First come, first served stays (domain.placement); the pages
    say it: the sign-up page that a new sign-up joins the list after those waiting, each
    sign-up's own page why it waits."""
    event = await published(setup, capacity=10)
    here = f"/registrations/{event.event_id}"
    first = await sign_up(setup, event.event_id, "Kuoro", "kuoro@example.fi", seats=6)
    assert "vahvistettu" in first.text
    # No one waiting, 4 free: a group may be 6, so the page says a larger one waits.
    page = (await setup.client.get(f"{here}?lang=en")).text
    assert ("4 places are free: a larger group joins the waiting list and gets its places "
            "when enough come free.") in page
    big = await sign_up(setup, event.event_id, "Perhe", "perhe@example.fi", seats=5)
    assert ("Vapaita paikkoja on 4, ja ryhmässäsi on 5 henkeä: olet jonossa sijalla 1. "
            "Saat viestin, kun paikkoja vapautuu tarpeeksi.") in big.text
    assert "täynnä" not in big.text
    for lang in ("fi", "sv", "en"):
        page = (await setup.client.get(f"{here}?lang={lang}")).text
        assert html.escape(QUEUE_NOTE[lang]) in page, (lang, page)
        assert re.search(r'<dd>4</dd>', page)  # the places free, still said
    small = await sign_up(setup, event.event_id, "Pari", "pari@example.fi", seats=2,
                          lang="sv")
    assert ("4 platser är lediga, men 1 anmälan väntar redan i kön före dig: du står i kö "
            "som nummer 2, eftersom platserna går i anmälningsordning. Du får ett "
            "meddelande när du får en plats.") in small.text
    assert "fullt" not in small.text
    rows = await registrations(setup, event.event_id)
    assert {k: r["status"] for k, r in rows.items()} == {
        "kuoro@example.fi": "confirmed", "perhe@example.fi": "waiting",
        "pari@example.fi": "waiting"}
    page = (await setup.client.get(f"{here}?lang=en")).text
    assert ("4 places are free, but 2 sign-ups are already waiting before you") in page
    # The choir cancels: the 5 move up first, then the 2 with the places left.
    cancelled = await setup.client.post(f"/registrations/cancel/{token_of(first)}",
                                        follow_redirects=True)
    assert cancelled.status_code == 200
    rows = await registrations(setup, event.event_id)
    assert {k: r["status"] for k, r in rows.items()} == {
        "kuoro@example.fi": "cancelled", "perhe@example.fi": "confirmed",
        "pari@example.fi": "confirmed"}
    # Full: the sign-up page and a new sign-up's say so, as before.
    await sign_up(setup, event.event_id, "Ryhmä", "ryhma@example.fi", seats=3)
    full = await sign_up(setup, event.event_id, "Yksin", "yksin@example.fi", lang="en")
    assert "The event is full: you are number 1 on the waiting list." in full.text
