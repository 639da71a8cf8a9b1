"""Organisers' emails (issues #15 and #16) against the in-memory store and a fixed clock: a
moved booking is told with both times and a calendar entry that replaces the earlier one; a
confirmation gives the door code, price, reference number, house rules and the booking's own
page, in the organiser's language; after the activity its organiser is asked once to report
attendance, never about a cancelled activity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import rendering, usecases
from services.notifications.rendering import SIGNATURE
from services.notifications.tests.fakes import NOW
from services.notifications.tests.test_usecases import World, activity, booking, world
from shared.contracts import (
    ActivityEventCancelled,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingNoShow,
    HouseRules,
    LocalizedText,
)
from shared.house_rules import house_rules
from shared.l10n import money, time_span

__all__ = ["world"]  # the fixture, used by name

BOOKING_URL = "https://varaukset.kuopio.example"
EVENTS_URL = "https://tapahtumat.kuopio.example"


def _sequence(ics: str) -> int:
    [line] = [line for line in ics.splitlines() if line.startswith("SEQUENCE:")]
    return int(line.removeprefix("SEQUENCE:"))


def _uid(ics: str) -> str:
    [line] = [line for line in ics.splitlines() if line.startswith("UID:")]
    return line


def _moved(facts: dict[str, Any], revision: int, hours: int = 24) -> BookingMoved:
    return BookingMoved(**{
        **facts, "revision": revision,
        "starts_at": facts["starts_at"] + timedelta(hours=hours),
        "ends_at": facts["ends_at"] + timedelta(hours=hours)},
        previous_starts_at=facts["starts_at"], previous_ends_at=facts["ends_at"],
        reason="remontti")


@pytest.mark.parametrize("lang, new_time, was, ics_note", [
    ("fi", "Uusi aika", "Aiempi aika", "korvaa aiemman"),
    ("sv", "Ny tid", "Tidigare tid", "ersätter den tidigare"),
    ("en", "New time", "Earlier time", "replaces the earlier one"),
])
async def test_a_moved_booking_is_told_in_the_organisers_language_with_a_newer_entry(
        world: World, lang: str, new_time: str, was: str, ics_note: str) -> None:
    await world.account("email")
    facts = booking(contact_language=lang, revision=2)
    await usecases.plan_booking_email(world.uow, world.clock, BookingConfirmed(**facts),
                                      BOOKING_URL)
    moved = _moved(facts, 3)
    await usecases.plan_booking_email(world.uow, world.clock, moved, BOOKING_URL)
    await usecases.plan_booking_email(world.uow, world.clock, moved, BOOKING_URL)  # again
    confirmed, told = world.deliveries()
    assert (told["purpose"], told["language"], told["recipient"]) == (
        "booking_moved", lang, "kuoro@example.fi")
    assert confirmed["status"] == "pending"  # a move does not drop the confirmation
    text = told["content"]["text"]
    assert f"{new_time}: {time_span(moved.starts_at, moved.ends_at, lang)}" in text
    assert f"{was}: {time_span(facts['starts_at'], facts['ends_at'], lang)}" in text
    assert ics_note in text
    assert f"{BOOKING_URL}/my/bookings/{facts['booking_id']}?lang={lang}" in text
    old, new = confirmed["content"]["ics"], told["content"]["ics"]
    assert _uid(old) == _uid(new) and (_sequence(old), _sequence(new)) == (2, 3)
    assert "METHOD:PUBLISH" in new and "STATUS:CONFIRMED" in new

    # Moved again: another mail, a higher SEQUENCE still; a later cancellation outranks both.
    await usecases.plan_booking_email(world.uow, world.clock, _moved(facts, 4, 48),
                                      BOOKING_URL)
    await usecases.plan_booking_email(world.uow, world.clock, BookingCancelled(
        **{**facts, "revision": 5}, reason="vesivahinko"), BOOKING_URL)
    sequences = [_sequence(d["content"]["ics"]) for d in world.deliveries()]
    assert sequences == [2, 3, 4, 5]


async def test_a_move_of_a_booking_already_over_or_without_an_address_is_not_mailed(
        world: World) -> None:
    await world.account("email")
    past = booking(revision=3, starts_at=NOW - timedelta(days=2),
                   ends_at=NOW - timedelta(days=2) + timedelta(hours=2))
    await usecases.plan_booking_email(world.uow, world.clock, _moved(past, 4, 1))
    await usecases.plan_booking_email(world.uow, world.clock,
                                      _moved(booking(contact_email=None), 2))
    # A move request answered again for a booking already at that time: nothing moved.
    await usecases.plan_booking_email(world.uow, world.clock, _moved(booking(revision=2), 2, 0))
    assert world.deliveries() == []


@pytest.mark.parametrize("lang, door, price, reference, rules, cancel", [
    ("fi", "Ovikoodi itsepalveluaikana", "Hinta", "Viitenumero", "Talon säännöt",
     "viimeistään 48 tuntia"),
    ("sv", "Dörrkod under självbetjäningstid", "Pris", "Referensnummer", "Husets regler",
     "senast 48 timmar"),
    ("en", "Door code for self-service hours", "Price", "Reference number", "House rules",
     "until 48 hours"),
])
async def test_a_confirmation_says_all_the_organiser_needs_in_their_language(
        world: World, lang: str, door: str, price: str, reference: str, rules: str,
        cancel: str) -> None:
    await world.account("email")
    facts = booking(contact_language=lang, revision=2, hours_kind="self_service")
    confirmed = BookingConfirmed(
        **facts, access_code="048213", price=Decimal("50.00"), invoice_reference="10016",
        house_rules=HouseRules(cancellation_hours=48, checkin_minutes=20))
    await usecases.plan_booking_email(world.uow, world.clock, confirmed, BOOKING_URL)
    [mail] = world.deliveries()
    text = mail["content"]["text"]
    assert f"{door}: 048213" in text
    assert f"{price}: {money(Decimal('50.00'), lang)}" in text
    assert f"{reference}: 10016" in text
    assert f"{rules}: " in text and cancel in text and "20" in text
    # The rules in the words the organiser accepted on the booking page (one text for both,
    # checked there against the page's labels), and one signature for every mail.
    assert house_rules(lang) in text
    assert text.endswith(SIGNATURE[lang]) or SIGNATURE[lang] + "\n" in text
    assert f"{BOOKING_URL}/my/bookings/{facts['booking_id']}" in text
    # The code is a secret: the delivery forgets the text once sent (migration 015).
    assert mail["content"]["secret"] is True


async def test_a_free_staffed_confirmation_has_no_door_code_or_price_and_is_not_secret(
        world: World) -> None:
    await world.account("email")
    await usecases.plan_booking_email(world.uow, world.clock, BookingConfirmed(
        **booking(contact_language="sv")), BOOKING_URL)
    [mail] = world.deliveries()
    assert "Dörrkod" not in mail["content"]["text"] and "Pris" not in mail["content"]["text"]
    assert "secret" not in mail["content"]
    assert mail["content"]["subject"].startswith("Din bokning är bekräftad")


async def test_a_released_booking_is_told_and_removed_from_the_calendar(world: World) -> None:
    await world.account("email")
    facts = booking(contact_language="en", revision=2)
    await usecases.plan_booking_email(world.uow, world.clock, BookingConfirmed(**facts))
    await usecases.plan_booking_email(world.uow, world.clock,
                                      BookingNoShow(**{**facts, "revision": 3}))
    confirmed, released = world.deliveries()
    assert confirmed["status"] == "cancelled"  # not sent yet: it says something older
    assert released["purpose"] == "booking_no_show"
    assert "Nobody checked in" in released["content"]["text"]
    assert "METHOD:CANCEL" in released["content"]["ics"]
    assert _sequence(released["content"]["ics"]) == 3


def test_an_event_from_before_revisions_keeps_the_old_sequence_rule() -> None:
    facts = booking()
    assert rendering.booking_sequence(BookingConfirmed(**facts)) == 0
    assert rendering.booking_sequence(BookingCancelled(**facts, reason="x")) == 1
    assert rendering.booking_sequence(BookingConfirmed(**facts, revision=7)) == 7


def _ended(facts: dict[str, Any], **extra: Any) -> BookingEnded:
    return BookingEnded(**{**facts, **extra})


async def test_the_organiser_is_asked_for_attendance_once_per_activity_it_was_held(
        world: World) -> None:
    await world.account("email")
    facts = booking(contact_language="sv", starts_at=NOW - timedelta(hours=3),
                    ends_at=NOW - timedelta(hours=1))
    held = activity(days=-3 / 24, booking_id=facts["booking_id"]).model_copy(
        update={"name": LocalizedText(fi="Kuoroharjoitus", sv="Körövning")})
    await usecases.plan_activity_event(world.uow, world.clock, held, EVENTS_URL)
    ended = _ended(facts)
    await usecases.plan_attendance_prompt(world.uow, world.clock, ended, EVENTS_URL)
    await usecases.plan_attendance_prompt(world.uow, world.clock, ended, EVENTS_URL)  # again
    [prompt] = world.deliveries(purpose="attendance_prompt")
    assert (prompt["recipient"], prompt["language"]) == ("kuoro@example.fi", "sv")
    assert prompt["content"]["subject"].startswith("Berätta hur många som deltog: Körövning")
    assert (f"{EVENTS_URL}/my/activities/{held.event_id}/attendance?lang=sv"
            in prompt["content"]["text"])

    # A cancelled activity, one not held yet and a booking without any activity: nothing.
    other = booking(starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=1))
    await usecases.plan_activity_event(world.uow, world.clock, activity(
        days=-3 / 24, booking_id=other["booking_id"], cls=ActivityEventCancelled),
        EVENTS_URL)
    await usecases.plan_attendance_prompt(world.uow, world.clock, _ended(other), EVENTS_URL)
    later = booking(starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=1))
    await usecases.plan_activity_event(world.uow, world.clock, activity(
        days=2, booking_id=later["booking_id"]), EVENTS_URL)
    await usecases.plan_attendance_prompt(world.uow, world.clock, _ended(later), EVENTS_URL)
    await usecases.plan_attendance_prompt(world.uow, world.clock, _ended(booking()),
                                          EVENTS_URL)
    # Nor one whose organiser has no verified address.
    nobody = booking(contact_email=None)
    await usecases.plan_activity_event(world.uow, world.clock, activity(
        days=-3 / 24, booking_id=nobody["booking_id"]), EVENTS_URL)
    await usecases.plan_attendance_prompt(world.uow, world.clock, _ended(nobody), EVENTS_URL)
    # Nor one whose organiser reported its attendance already.
    reported = booking(starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=1))
    activity_of_it = activity(days=-3 / 24, booking_id=reported["booking_id"])
    await usecases.plan_activity_event(world.uow, world.clock, activity_of_it, EVENTS_URL)
    await usecases.note_attendance_reported(world.uow, world.clock, AttendanceReported(
        event_id=activity_of_it.event_id, report_revision=1, participants=12, visitors=3,
        starts_at=activity_of_it.starts_at, ends_at=activity_of_it.ends_at,
        kind=activity_of_it.kind))
    await usecases.plan_attendance_prompt(world.uow, world.clock, _ended(reported),
                                          EVENTS_URL)
    assert len(world.deliveries(purpose="attendance_prompt")) == 1


def test_the_attendance_prompt_is_in_finnish_when_the_language_is_unknown() -> None:
    event_id = uuid4()
    mail = rendering.render_attendance_prompt(
        LocalizedText(fi="Lukupiiri"), NOW, NOW + timedelta(hours=1), None, "de",
        rendering.attendance_url(EVENTS_URL + "/", event_id))
    assert mail.language == "fi" and mail.subject is not None
    assert mail.subject.startswith("Kerro, montako osallistui: Lukupiiri")
    assert f"{EVENTS_URL}/my/activities/{event_id}/attendance" in mail.text


def test_the_organisers_own_change_is_said_in_their_language_not_the_services_words() -> None:
    facts = booking(contact_language="sv", revision=4)
    moved = BookingMoved(**{**facts, "starts_at": facts["starts_at"] + timedelta(days=1),
                            "ends_at": facts["ends_at"] + timedelta(days=1)},
                         previous_starts_at=facts["starts_at"],
                         previous_ends_at=facts["ends_at"], moved_by="organiser",
                         reason="the activity was rescheduled", request_id=uuid4())
    text = rendering.render_booking_email(moved, None).text
    assert "Orsak: du flyttade ditt evenemang till en ny tid" in text
    assert "rescheduled" not in text
    released = BookingCancelled(**{**facts, "contact_language": "fi"}, cancelled_by="organiser",
                                reason="the activity was cancelled: kuoronjohtaja sairastui")
    assert "Syy: peruit tapahtumasi: kuoronjohtaja sairastui" in rendering.render_booking_email(
        released, None).text
    # Staff's own words stay as they wrote them.
    by_desk = BookingCancelled(**facts, reason="the activity was cancelled: vesivahinko")
    assert "Orsak: the activity was cancelled: vesivahinko" in rendering.render_booking_email(
        by_desk, None).text
