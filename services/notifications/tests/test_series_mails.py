"""A series' times cancelled together reach their organiser in one mail listing the times,
not one mail per time (the booking service cancels a whole series in one transaction, one
`booking.cancelled` a time). Use cases on the in-memory store; the real database, the
sender and SMTP in test_organiser_email_delivery.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.notifications import domain, rendering, usecases
from services.notifications.tests.fakes import NOW
from services.notifications.tests.test_usecases import World
from shared.contracts import BookingCancelled, LocalizedText, VenueRegistered

pytestmark = pytest.mark.unit

BOOKING_URL = "https://varaukset.kuopio.example"


@pytest.fixture
def world() -> World:
    return World()


async def _venue(world: World) -> tuple[UUID, UUID]:
    venue_id, space_id = uuid4(), uuid4()
    await usecases.register_venue(world.uow, world.clock, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto", en="Nilsiä library"),
        kind="library", area="kuopio.nilsia", municipality="Kuopio",
        spaces=[{"space_id": space_id, "name": {"fi": "Ryhmätila", "en": "Group room"}}]))
    return venue_id, space_id


def _series(venue_id: UUID, space_id: UUID, weeks: int = 3, **extra: Any
            ) -> list[BookingCancelled]:
    """A weekly series' times, cancelled together (each its own event, as booking sends)."""
    series_id, organiser = uuid4(), uuid4()
    first = NOW + timedelta(days=2)
    facts: dict[str, Any] = {
        "venue_id": venue_id, "space_id": space_id, "title": "Kuoroharjoitus",
        "organiser_id": organiser, "organiser_subject": "kuoro", "series_id": series_id,
        "contact_email": "kuoro@example.fi", "contact_language": "fi", "revision": 2,
        "reason": "Kuoro lopettaa", "cancelled_by": "organiser", **extra}
    return [BookingCancelled(booking_id=uuid4(), starts_at=first + timedelta(weeks=n),
                             ends_at=first + timedelta(weeks=n, hours=2), **facts)
            for n in range(weeks)]


async def _plan(world: World, *events: BookingCancelled) -> None:
    for event in events:
        await usecases.plan_booking_email(world.uow, world.clock, event, BOOKING_URL)


def _ics_lines(ics: str, name: str) -> list[str]:
    return [line.removeprefix(f"{name}:") for line in ics.splitlines()
            if line.startswith(f"{name}:")]


async def test_a_series_cancelled_together_is_one_mail_listing_its_times(world: World) -> None:
    await world.account("email")
    venue_id, space_id = await _venue(world)
    times = _series(venue_id, space_id)
    # Not in order: the events come on different partitions.
    await _plan(world, times[1], times[0], times[2])
    [mail] = world.deliveries(status="pending")
    assert mail["purpose"] == "booking_cancelled" and mail["recipient"] == "kuoro@example.fi"
    # It waited for the times cancelled with the first one to arrive.
    assert mail["due_at"] == NOW + domain.SERIES_MAIL_HOLD
    content = mail["content"]
    assert content["subject"] == (
        "Varauksesi on peruttu: Kuoroharjoitus 3.–17. joulukuuta 2026 (3 kertaa)")
    lines = content["text"].split("\n")
    at = lines.index("Perutut ajat:")
    assert lines[at + 1:at + 4] == [
        "– torstai 3. joulukuuta 2026 12.00–14.00", "– torstai 10. joulukuuta 2026 12.00–14.00",
        "– torstai 17. joulukuuta 2026 12.00–14.00"]
    assert "Paikka: Nilsiän kirjasto, Ryhmätila" in lines
    assert "Syy: peruit tapahtumasi" not in lines and "Syy: Kuoro lopettaa" in lines
    # Its link leads to the series' first time on the organiser's own page.
    assert f"Varauksesi tiedot: {BOOKING_URL}/my/bookings/{times[0].booking_id}?lang=fi" \
        in lines
    # One attachment removes every time, each by its own entry's UID and SEQUENCE.
    assert "METHOD:CANCEL" in content["ics"]
    assert _ics_lines(content["ics"], "UID") == [
        f"booking-{t.booking_id}@kohtaamo" for t in times]
    assert _ics_lines(content["ics"], "STATUS") == ["CANCELLED"] * 3
    assert _ics_lines(content["ics"], "SEQUENCE") == ["2"] * 3
    # The times that joined keep their own delivery, told as sent in the series' mail.
    joined = world.deliveries(status="cancelled")
    assert sorted(d["booking_id"] for d in joined) == sorted(
        [times[0].booking_id, times[2].booking_id])
    assert all(d["recipient"] is None and str(mail["id"]) in d["last_error"] for d in joined)

    # Redelivered (any of them): nothing more, the mail unchanged.
    await _plan(world, *times)
    assert len(world.deliveries()) == 3 and world.deliveries(status="pending") == [mail]
    assert mail["content"]["text"].count("– torstai") == 3


async def test_the_subject_of_a_series_mail_is_read_one_way_in_english(world: World) -> None:
    await world.account("email")
    venue_id, space_id = await _venue(world)
    await _plan(world, *_series(venue_id, space_id, weeks=2, contact_language="en",
                                reason="Renovation", cancelled_by="desk"))
    [mail] = world.deliveries(status="pending")
    assert mail["language"] == "en"
    assert mail["content"]["subject"] == (
        "Your booking has been cancelled: Kuoroharjoitus 3–10 Dec 2026 (2 times)")
    lines = mail["content"]["text"].split("\n")
    assert lines[lines.index("Cancelled times:") + 1] == (
        "– Thursday, 3 December 2026 12:00–14:00")
    assert "Where: Nilsiä library, Group room" in lines and "Reason: Renovation" in lines


async def test_one_time_alone_is_its_own_mail_and_times_told_otherwise_are_not_joined(
        world: World) -> None:
    await world.account("email")
    venue_id, space_id = await _venue(world)
    times = _series(venue_id, space_id, weeks=4)
    # One time cancelled alone: the mail as for any booking, only held a moment.
    await _plan(world, times[0])
    [alone] = world.deliveries()
    assert alone["content"]["subject"] == "Varauksesi on peruttu: Kuoroharjoitus 3.12.2026"
    assert "Perutut ajat:" not in alone["content"]["text"]
    # Sent (or being sent) before the next one came: that one has a mail of its own.
    alone["status"] = "published"
    await _plan(world, times[1])
    # Another reason, or another address, says other words to someone: not joined.
    other_reason = BookingCancelled(**{**times[2].model_dump(), "reason": "Remontti"})
    other_address = BookingCancelled(**{**times[3].model_dump(),
                                        "contact_email": "toinen@example.fi"})
    await _plan(world, other_reason, other_address)
    waiting = world.deliveries(status="pending")
    assert sorted(d["booking_id"] for d in waiting) == sorted(
        t.booking_id for t in times[1:])
    assert all("Perutut ajat:" not in d["content"]["text"] for d in waiting)
    # A booking in no series is mailed at once, as before.
    single = BookingCancelled(**{**times[0].model_dump(), "booking_id": uuid4(),
                                 "series_id": None})
    await _plan(world, single)
    [now] = world.deliveries(booking_id=single.booking_id)
    assert now["due_at"] == NOW and "series" not in now["content"]


def test_the_series_mail_renders_times_in_order_in_each_language() -> None:
    starts = NOW + timedelta(days=2)
    event = BookingCancelled(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=starts,
        ends_at=starts + timedelta(hours=1), title="Kör", organiser_id=uuid4(),
        contact_email="k@example.fi", contact_language="sv", reason="Renovering")
    times = [rendering.SeriesTime(uuid4(), starts + timedelta(days=d),
                                  starts + timedelta(days=d, hours=1), 1) for d in (7, 0)]
    mail = rendering.render_series_cancellation(event, times, None)
    assert mail.language == "sv"
    assert mail.subject == "Din bokning är avbokad: Kör 3–10 dec. 2026 (2 gånger)"
    lines = mail.text.split("\n")
    at = lines.index("Avbokade tider:")
    assert lines[at + 1].startswith("– torsdag 3 december 2026")
    assert lines[at + 2].startswith("– torsdag 10 december 2026")
    assert "Orsak: Renovering" in lines and "Plats:" not in mail.text
    # Each time's calendar entry links its own page; the text the first time's.
    import icalendar

    linked = rendering.render_series_cancellation(event, times, None, "https://varaus.example")
    entries = icalendar.Calendar.from_ical(linked.ics).walk("VEVENT")
    assert {str(e["URL"]) for e in entries} == {
        f"https://varaus.example/my/bookings/{t.booking_id}?lang=sv" for t in times}
    assert f"https://varaus.example/my/bookings/{times[1].booking_id}?lang=sv" in linked.text
    assert [rendering.SeriesTime.from_json(t.as_json()) for t in times] == times
