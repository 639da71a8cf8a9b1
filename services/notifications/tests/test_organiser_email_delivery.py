"""Organisers' emails (issues #15 and #16) end to end in one process: the real database and
its migrations, the real SMTP client and the fake mail server over real SMTP. A moved booking
reaches the organiser in Swedish with an .ics of the same UID and a higher SEQUENCE; the door
code is forgotten with the address once the mail is out; after the activity the organiser is
asked, in English, once, to report its attendance."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.tests.test_delivery import AREA, Setup, activity, fake, setup
from shared.contracts import (
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingNoShow,
    HouseRules,
    LocalizedText,
    VenueRegistered,
)
from tests.infra import eventually

pytestmark = pytest.mark.infra
__all__ = ["fake", "setup"]  # the fixtures, used by name

BOOKING_URL = "https://varaukset.kuopio.example"


def _line(ics: str, name: str) -> str:
    [line] = [line for line in ics.splitlines() if line.startswith(f"{name}:")]
    return line.removeprefix(f"{name}:")


async def _venue(setup: Setup) -> tuple[Any, Any]:
    venue_id, space_id = uuid4(), uuid4()
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto", sv="Nilsiä bibliotek"),
        kind="library", area=AREA, municipality="Kuopio",
        spaces=[{"space_id": space_id, "name": {"fi": "Ryhmätila", "sv": "Grupprum"}}]))
    return venue_id, space_id


async def test_a_moved_booking_reaches_the_organiser_in_swedish_with_a_newer_calendar_entry(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOHTAAMO_PUBLIC_BOOKING_URL", BOOKING_URL)
    await setup.account("email")
    venue_id, space_id = await _venue(setup)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    facts: dict[str, Any] = {
        "booking_id": uuid4(), "venue_id": venue_id, "space_id": space_id,
        "starts_at": starts, "ends_at": starts + timedelta(hours=2), "title": "Körövning",
        "organiser_id": uuid4(), "contact_email": "kor@example.fi", "contact_language": "sv",
        "hours_kind": "self_service", "revision": 2}
    await setup.handle(handlers.on_booking, BookingConfirmed(
        **facts, access_code="731904", price=Decimal("40.00"), invoice_reference="10032",
        house_rules=HouseRules(cancellation_hours=24)))
    assert await setup.send() == {"published": 1}
    later = starts + timedelta(days=1)
    moved = BookingMoved(**{**facts, "starts_at": later, "ends_at": later + timedelta(hours=2),
                            "revision": 3, "hours_kind": "staffed"},
                         previous_starts_at=starts, previous_ends_at=starts + timedelta(hours=2),
                         reason="Remont")
    await setup.handle(handlers.on_booking, moved)
    await setup.handle(handlers.on_booking, moved)  # redelivered: still one mail
    assert await setup.send() == {"published": 1}

    confirmed, told = setup.fake.posts("email")
    assert confirmed["to"] == told["to"] == "kor@example.fi"
    assert confirmed["subject"].startswith("Din bokning är bekräftad: Körövning")
    assert "Dörrkod under självbetjäningstid: 731904" in confirmed["text"]
    assert "Referensnummer: 10032" in confirmed["text"]
    assert f"{BOOKING_URL}/my/bookings/{facts['booking_id']}?lang=sv" in confirmed["text"]
    assert told["subject"].startswith("Tiden för din bokning har ändrats: Körövning")
    assert "Ny tid: " in told["text"] and "Tidigare tid: " in told["text"]
    assert "Plats: Nilsiä bibliotek, Grupprum" in told["text"]
    assert "Orsak: Remont" in told["text"] and "731904" not in told["text"]
    assert _line(confirmed["ics"], "UID") == _line(told["ics"], "UID")
    assert (int(_line(confirmed["ics"], "SEQUENCE")), int(_line(told["ics"], "SEQUENCE"))) == (
        2, 3)
    assert told["ics_method"] == "PUBLISH" and "STATUS:CONFIRMED" in told["ics"]
    assert _line(told["ics"], "DTSTART") == later.strftime("%Y%m%dT%H%M%SZ")

    # The address is gone from both; the text that held the door code is gone too.
    rows = await setup.pool.fetch(
        "SELECT purpose, recipient, status, content FROM deliveries WHERE booking_id = $1"
        " ORDER BY revision", facts["booking_id"])
    assert [(r["purpose"], r["recipient"], r["status"]) for r in rows] == [
        ("booking_confirmed", None, "published"), ("booking_moved", None, "published")]
    secret, plain = (r["content"] for r in rows)
    assert "731904" not in str(secret) and secret["subject"].startswith("Din bokning")
    assert "Ny tid" in plain["text"]  # nothing secret in it: kept as sent


async def test_after_the_activity_the_organiser_is_asked_once_for_its_attendance(
        setup: Setup) -> None:
    await setup.account("email")
    venue_id, space_id = await _venue(setup)
    booking_id = uuid4()
    held = activity(days=-0.2, booking_id=booking_id, venue_id=venue_id, space_id=space_id)
    await setup.handle(handlers.on_activity_event, held)
    ends = held.ends_at
    ended = BookingEnded(
        booking_id=booking_id, venue_id=venue_id, space_id=space_id,
        starts_at=held.starts_at, ends_at=ends, title="Satutunti", organiser_id=uuid4(),
        contact_email="satu@example.fi", contact_language="en", revision=3)
    await setup.handle(handlers.on_booking_ended, ended)
    await setup.handle(handlers.on_booking_ended, ended)  # redelivered
    sent = await setup.send()
    assert sent.get("published") == 1, sent
    [mail] = [m for m in setup.fake.posts("email") if m["to"] == "satu@example.fi"]
    assert mail["subject"].startswith("Tell us how many took part: Satutunti")
    assert (f"https://tapahtumat.kuopio.fi/my/activities/{held.event_id}/attendance"
            "?lang=en" in mail["text"])
    assert "Where: Nilsiän kirjasto, Ryhmätila" in mail["text"]
    rows = await setup.pool.fetch(
        "SELECT recipient, status FROM deliveries WHERE purpose = 'attendance_prompt'")
    assert [(r["recipient"], r["status"]) for r in rows] == [(None, "published")]

    # An activity whose attendance was reported before its booking ended: nobody is asked.
    other_booking = uuid4()
    reported = activity(days=-0.2, booking_id=other_booking, venue_id=venue_id)
    await setup.handle(handlers.on_activity_event, reported)
    await setup.handle(handlers.on_attendance_reported, AttendanceReported(
        event_id=reported.event_id, report_revision=1, participants=9, visitors=2,
        starts_at=reported.starts_at, ends_at=reported.ends_at, kind=reported.kind))
    await setup.handle(handlers.on_booking_ended, BookingEnded(**{
        **ended.model_dump(), "booking_id": other_booking}))
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose = 'attendance_prompt'") == 1


async def test_replaying_the_bookings_of_the_past_into_an_empty_database_mails_nobody(
        setup: Setup) -> None:
    await setup.account("email")
    venue_id, space_id = await _venue(setup)
    now = datetime.now(UTC).replace(microsecond=0)
    past = now - timedelta(days=200)
    facts: dict[str, Any] = {
        "booking_id": uuid4(), "venue_id": venue_id, "space_id": space_id,
        "starts_at": past, "ends_at": past + timedelta(hours=2), "title": "Kuoroharjoitus",
        "organiser_id": uuid4(), "contact_email": "kuoro@example.fi", "revision": 1}
    # The topic from its start, as a database rebuilt from it reads it.
    await setup.handle(handlers.on_booking, BookingConfirmed(**facts, access_code="4821"))
    await setup.handle(handlers.on_booking, BookingCancelled(
        **{**facts, "revision": 2}, reason="Sairastuminen", cancelled_by="organiser"))
    await setup.handle(handlers.on_booking, BookingNoShow(**{**facts, "booking_id": uuid4()}))
    assert await setup.deliveries() == []
    # A no-show of the day before is still told: it was reported after the booking's time.
    yesterday = now - timedelta(hours=6)
    await setup.handle(handlers.on_booking, BookingNoShow(**{
        **facts, "booking_id": uuid4(), "starts_at": yesterday - timedelta(hours=2),
        "ends_at": yesterday}))
    assert [d["purpose"] for d in await setup.deliveries()] == ["booking_no_show"]


async def test_a_cancellation_handled_twice_is_still_mailed_once(setup: Setup) -> None:
    """The same cancellation again (another envelope) dropped the mail it had planned itself
    as 'superseded', and planned none: its key was taken."""
    await setup.account("email")
    venue_id, space_id = await _venue(setup)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    cancelled = BookingCancelled(
        booking_id=uuid4(), venue_id=venue_id, space_id=space_id, starts_at=starts,
        ends_at=starts + timedelta(hours=2), title="Kuoroharjoitus", organiser_id=uuid4(),
        contact_email="kuoro@example.fi", revision=2, reason="Remontti")
    await setup.handle(handlers.on_booking, cancelled)
    await setup.handle(handlers.on_booking, cancelled)
    assert await setup.send() == {"published": 1}
    [mail] = setup.fake.posts("email")
    assert mail["subject"].startswith("Varauksesi on peruttu: Kuoroharjoitus")


async def test_a_series_cancelled_at_once_reaches_its_organiser_in_one_mail(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """The booking service cancels a series' times in one transaction, one event a time;
    they come side by side (other partitions, other transactions): still one mail, listing
    every time, with one calendar attachment removing each."""
    monkeypatch.setenv("KOHTAAMO_PUBLIC_BOOKING_URL", BOOKING_URL)
    await setup.account("email")
    venue_id, space_id = await _venue(setup)
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    series_id, organiser = uuid4(), uuid4()
    times = [BookingCancelled(
        booking_id=uuid4(), venue_id=venue_id, space_id=space_id,
        starts_at=first + timedelta(weeks=n), ends_at=first + timedelta(weeks=n, hours=2),
        title="Körövning", organiser_id=organiser, organiser_subject="kor",
        series_id=series_id, contact_email="kor@example.fi", contact_language="sv",
        revision=2, reason="Kören slutar", cancelled_by="organiser") for n in range(4)]
    # The first time's transaction still open while the others are handled in their own.
    async with setup.pool.acquire() as conn:
        first_one = conn.transaction()
        await first_one.start()
        await handlers.on_booking(conn, times[0], times[0].to_envelope())
        others = asyncio.ensure_future(asyncio.gather(
            *(setup.handle(handlers.on_booking, t) for t in times[1:])))

        async def done_or_waiting() -> bool:
            # Each other time either planned already (it did not see the first one's mail)
            # or waits for the first one's commit.
            return others.done() or bool(await setup.pool.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"))

        await eventually(done_or_waiting)
        await first_one.commit()
    await others
    await setup.handle(handlers.on_booking, times[2])  # redelivered
    rows = await setup.pool.fetch(
        "SELECT booking_id, status, recipient FROM deliveries WHERE purpose = "
        "'booking_cancelled'")
    assert sorted(r["status"] for r in rows) == ["cancelled"] * 3 + ["pending"]
    assert {r["booking_id"] for r in rows} == {t.booking_id for t in times}
    # It waits for the series' other times; then it goes, once.
    assert await setup.send() == {}
    await setup.make_due()
    assert await setup.send() == {"published": 1}
    [mail] = setup.fake.posts("email")
    assert mail["to"] == "kor@example.fi"
    assert mail["subject"].startswith("Din bokning är avbokad: Körövning ")
    assert mail["subject"].endswith("(4 gånger)")
    lines = mail["text"].splitlines()
    at = lines.index("Avbokade tider:")
    assert len([line for line in lines[at + 1:] if line.startswith("– ")]) == 4
    assert "Plats: Nilsiä bibliotek, Grupprum" in lines and "Orsak: Kören slutar" in lines
    assert mail["ics_method"] == "CANCEL"
    assert sorted(line.removeprefix("UID:") for line in mail["ics"].splitlines()
                  if line.startswith("UID:")) == sorted(
        f"booking-{t.booking_id}@kohtaamo" for t in times)
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE recipient IS NOT NULL") == 0
