"""Tester #14: a walk-in booked at the desk at 11.19 for 11.30 was mailed that it could be
cancelled "until 24 hours before it starts" and a link to /my/bookings/{id}, a sign-in the
person has no account for; its no-show mail had the same link. The mails now offer
cancelling only when the booking's confirmation says it was still possible (`self_cancel`),
else they say the desk cancels, and link /my only when the organiser can sign in there (a
walk-in's events name no organiser subject). Events from before either was carried read as
they did. In fi, sv and en, against the in-memory store and a fixed clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.notifications import usecases
from services.notifications.tests.fakes import NOW
from services.notifications.tests.test_usecases import World, booking, world
from shared.contracts import BookingConfirmed, BookingNoShow, HouseRules, parse_event

__all__ = ["world"]  # the fixture, used by name

BOOKING_URL = "https://varaukset.kuopio.example"
CANCEL_BY = {"fi": "Voit perua varauksen itse viimeistään 24 tuntia ennen alkua.",
             "sv": "Du kan själv avboka senast 24 timmar före början.",
             "en": "You can cancel the booking yourself until 24 hours before it starts."}
CANCEL_DESK = {"fi": "Jos haluat perua varauksen, ota yhteyttä kirjaston tiskiin.",
               "sv": "Om du vill avboka, kontakta bibliotekets disk.",
               "en": "To cancel the booking, please contact the library desk."}
LINK = {"fi": "Varauksesi tiedot", "sv": "Din bokning", "en": "Your booking"}
RULES = HouseRules(cancellation_hours=24)


def _walk_in(lang: str, **extra: Any) -> dict[str, Any]:
    """A walk-in's facts as booking sends them: at 11.30, booked eleven minutes before, for
    someone without an account (the subject named, and null)."""
    starts = NOW + timedelta(minutes=11)
    return booking(contact_language=lang, starts_at=starts, ends_at=starts + timedelta(hours=1),
                   organiser_subject=None, revision=1, **extra)


async def _mail(world: World, event: Any) -> str:
    await usecases.plan_booking_email(world.uow, world.clock, event, BOOKING_URL)
    text: str = world.deliveries()[-1]["content"]["text"]
    return text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_walk_ins_mails_offer_no_cancelling_and_no_page_it_cannot_use(
        world: World, lang: str) -> None:
    await world.account("email")
    facts = _walk_in(lang)
    # As it travels: through the envelope, as notifications reads it off the topic.
    confirmed = parse_event(BookingConfirmed(
        **facts, house_rules=RULES, self_cancel=False).to_envelope())
    text = await _mail(world, confirmed)
    assert CANCEL_BY[lang] not in text and CANCEL_DESK[lang] in text
    assert "/my/" not in text and f"{LINK[lang]}:" not in text
    ics = world.deliveries()[-1]["content"]["ics"]
    assert "/my/" not in ics  # nor does the calendar entry link it
    released = await _mail(world, BookingNoShow(**{**facts, "revision": 2}))
    assert "/my/" not in released and f"{LINK[lang]}:" not in released


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_organiser_is_offered_cancelling_only_before_the_deadline(
        world: World, lang: str) -> None:
    await world.account("email")
    facts = booking(contact_language=lang, organiser_subject="kuoro", revision=1)
    page = f"{LINK[lang]}: {BOOKING_URL}/my/bookings/{facts['booking_id']}?lang={lang}"
    early = await _mail(world, BookingConfirmed(**facts, house_rules=RULES, self_cancel=True))
    assert CANCEL_BY[lang] in early and CANCEL_DESK[lang] not in early and page in early
    # Confirmed past the deadline (the desk confirmed it late): the desk cancels, and the
    # organiser's own page is still theirs to see it on.
    late_facts = booking(contact_language=lang, organiser_subject="kuoro", revision=1)
    late = await _mail(world, BookingConfirmed(**late_facts, house_rules=RULES,
                                               self_cancel=False))
    assert CANCEL_BY[lang] not in late and CANCEL_DESK[lang] in late
    assert f"{BOOKING_URL}/my/bookings/{late_facts['booking_id']}?lang={lang}" in late


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_event_from_before_the_facts_reads_as_it_did(world: World, lang: str) -> None:
    """Neither the subject nor `self_cancel` in the event: the rule and the link, as always."""
    await world.account("email")
    facts = booking(contact_language=lang)
    text = await _mail(world, BookingConfirmed(**facts, house_rules=RULES))
    assert CANCEL_BY[lang] in text and CANCEL_DESK[lang] not in text
    assert f"{BOOKING_URL}/my/bookings/{facts['booking_id']}?lang={lang}" in text


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Voit perua varauksen itse viimeistään 1 tunti ennen alkua."),
    ("sv", "Du kan själv avboka senast 1 timme före början."),
    ("en", "You can cancel the booking yourself until 1 hour before it starts."),
])
async def test_a_deadline_of_one_hour_is_said_in_the_singular(world: World, lang: str,
                                                                said: str) -> None:
    """A tester's space with `cancellation_hours` 1 was mailed "1 hours" and "1 tuntia"."""
    await world.account("email")
    text = await _mail(world, BookingConfirmed(**booking(contact_language=lang),
                                               house_rules=HouseRules(cancellation_hours=1)))
    assert said in text
