""""Send the link again": an organiser whose confirmation link was lost asks for a new one
for a booking still waiting on it, instead of making a new request. The rule of when a link
may go (`domain.next_link_at`) and the use case (`send_link_again`) against the in-memory
store of test_usecases: the new link works and the old one does not, one link per address
at a time, no second mail within `LINK_AGAIN_AFTER` and at most `LINKS_A_DAY` a day however
they are asked for, and a clear refusal of a booking that waits on nothing. The page and the
API are in test_send_link_again_pages.py, PostgreSQL and the browser in
tests/test_email_verification.py and test_send_link_again_browser.py."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from services.booking import domain, usecases
from services.booking.tests.test_usecases import (
    DESK,
    MATTI,
    NOW,
    TOMORROW_2PM,
    FakeStore,
    command,
    hold,
    world,
)
from shared.contracts import ContactVerificationRequested
from shared.errors import Conflict, Forbidden, NotFound, TooManyRequests
from shared.identity import Principal

pytestmark = pytest.mark.unit

#: Her sign-in gives no address: the one she types is to be proved by its link.
ANNA = Principal("anna", frozenset({"organiser"}), name="Anna")


def _links(store: FakeStore) -> list[ContactVerificationRequested]:
    return [e for e in store.state.outbox if isinstance(e, ContactVerificationRequested)]


def _token(link: ContactVerificationRequested) -> str:
    return link.verify_url.split("token=")[1].split("&")[0]


def test_a_link_goes_ten_minutes_after_the_last_and_five_a_day() -> None:
    assert domain.next_link_at([], NOW) is None
    assert domain.next_link_at([NOW - timedelta(minutes=3)], NOW) == NOW + timedelta(minutes=7)
    assert domain.next_link_at([NOW - domain.LINK_AGAIN_AFTER], NOW) is None
    # Five in the day: the sixth once the oldest of them is a day old.
    five = [NOW - timedelta(hours=h) for h in (20, 15, 10, 5, 1)]
    assert domain.next_link_at(five, NOW) == NOW + timedelta(hours=4)
    assert domain.next_link_at(five[1:], NOW) is None
    # Older than a day: not counted; the order they are given in does not matter.
    assert domain.next_link_at([*reversed(five), NOW - timedelta(days=2)], NOW) \
        == NOW + timedelta(hours=4)
    assert domain.next_link_at(five, NOW + timedelta(hours=4)) is None


async def test_the_link_is_sent_again_to_the_booking_address_and_the_old_one_stops() -> None:
    uow, store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, ANNA, command(
        space, organiser=usecases.OrganiserDetails("Anna", "Anna.K@example.fi",
                                                   language="sv")))
    first = _links(store)
    assert len(first) == 1 and booked.contact is not None and not booked.contact.verified

    # Too soon after the first: refused with when, and nothing sent.
    clock.advance(timedelta(minutes=4))
    with pytest.raises(TooManyRequests) as soon:
        await usecases.send_link_again(uow, clock, ANNA, booked.id)
    assert soon.value.details["code"] == "link_sent_recently"
    assert soon.value.details["again_at"] == (NOW + timedelta(minutes=10)).isoformat()
    assert soon.value.retry_after == 6 * 60
    assert len(_links(store)) == 1

    clock.advance(timedelta(minutes=6))
    sent = await usecases.send_link_again(uow, clock, ANNA, booked.id)
    assert sent == usecases.LinkSent("Anna.K@example.fi", True,
                                     clock.now() + usecases.bookings.VERIFY_FOR)
    links = _links(store)
    assert len(links) == 2
    again = links[1]
    # To the address as typed, in the booking's language, a new token.
    assert again.email == "Anna.K@example.fi" and again.language == "sv"
    assert again.verify_url.endswith("&lang=sv") and _token(again) != _token(first[0])
    # One good link at a time: the lost one no longer works, the new one does, once.
    with pytest.raises(NotFound):
        await usecases.verify_contact(uow, clock, _token(first[0]))
    assert await usecases.verify_contact(uow, clock, _token(again)) == "anna.k@example.fi"
    proved = await store.get_booking(booked.id)
    assert proved is not None and proved.contact is not None and proved.contact.verified

    # Proved now: the booking waits on nothing, and nothing more is sent.
    with pytest.raises(Conflict) as done:
        await usecases.send_link_again(uow, clock, ANNA, booked.id)
    assert done.value.details["code"] == "not_awaiting_verification"
    assert len(_links(store)) == 2


async def test_at_most_five_links_a_day_whichever_way_they_are_asked_for() -> None:
    uow, store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, MATTI, command(
        space, organiser=usecases.OrganiserDetails("Matti", "kerho@example.fi")))
    for _ in range(4):
        clock.advance(domain.LINK_AGAIN_AFTER)
        await usecases.send_link_again(uow, clock, MATTI, booked.id)
    assert len(_links(store)) == domain.LINKS_A_DAY
    clock.advance(domain.LINK_AGAIN_AFTER)
    with pytest.raises(TooManyRequests) as full:
        await usecases.send_link_again(uow, clock, MATTI, booked.id)
    # The sixth when the first of the day is a day old.
    assert full.value.details["again_at"] == (NOW + timedelta(days=1)).isoformat()
    assert len(_links(store)) == domain.LINKS_A_DAY

    # A new request with the address sends none either (the last link is out and good),
    # and is not refused for the ceiling: the booking is not the mail.
    later = await usecases.request_booking(uow, clock, MATTI, command(
        space, TOMORROW_2PM + timedelta(days=1),
        organiser=usecases.OrganiserDetails("Matti", "kerho@example.fi")))
    assert later.status == "requested" and len(_links(store)) == domain.LINKS_A_DAY

    # A day after the first, one more goes, and the one before it stops working.
    clock.set(NOW + timedelta(days=1))
    await usecases.send_link_again(uow, clock, MATTI, later.id)
    links = _links(store)
    assert len(links) == domain.LINKS_A_DAY + 1
    with pytest.raises(NotFound):
        await usecases.verify_contact(uow, clock, _token(links[-2]))
    assert await usecases.verify_contact(uow, clock, _token(links[-1])) == "kerho@example.fi"


async def test_a_request_still_sends_no_second_link_while_one_is_out() -> None:
    """The request's rule is unchanged: a link out and good, no mail; one a resend replaced
    is the one out."""
    uow, store, space, clock = world()
    for day in range(2):
        clock.advance(timedelta(hours=1))
        await usecases.request_booking(uow, clock, MATTI, command(
            space, TOMORROW_2PM + timedelta(days=day),
            organiser=usecases.OrganiserDetails("Matti", "kerho@example.fi")))
    assert len(_links(store)) == 1


async def test_a_booking_waiting_on_nothing_or_someone_elses_is_refused() -> None:
    uow, store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, MATTI, command(
        space, organiser=usecases.OrganiserDetails("Matti", "kerho@example.fi")))
    sent = len(_links(store))
    clock.advance(domain.LINK_AGAIN_AFTER)
    # Not hers; the desk neither: the link proves the organiser's own address.
    with pytest.raises(Forbidden):
        await usecases.send_link_again(uow, clock, ANNA, booked.id)
    with pytest.raises(Forbidden):
        await usecases.send_link_again(uow, clock, DESK, booked.id)
    # Cancelled: it waits on nothing.
    await usecases.cancel_booking(uow, clock, MATTI, booked.id, None)
    with pytest.raises(Conflict) as cancelled:
        await usecases.send_link_again(uow, clock, MATTI, booked.id)
    assert cancelled.value.details["code"] == "not_awaiting_verification"
    # A time only held: no request yet, no address to prove.
    held = await usecases.hold_slot(uow, clock, MATTI, hold(space, TOMORROW_2PM
                                                            + timedelta(days=1)))
    with pytest.raises(Conflict):
        await usecases.send_link_again(uow, clock, MATTI, held.id)
    # No such booking.
    with pytest.raises(NotFound):
        await usecases.send_link_again(uow, clock, MATTI, uuid4())
    assert len(_links(store)) == sent


async def test_an_address_the_sign_in_now_vouches_for_is_proved_without_a_link() -> None:
    """The same contact check as a request: if her sign-in has since given the address as
    verified, it is proved at once and no link is sent."""
    uow, store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, ANNA, command(
        space, organiser=usecases.OrganiserDetails("Anna", "anna@example.fi")))
    clock.advance(domain.LINK_AGAIN_AFTER)
    vouched = Principal("anna", frozenset({"organiser"}), name="Anna",
                        email="anna@example.fi", email_verified=True)
    said = await usecases.send_link_again(uow, clock, vouched, booked.id)
    assert said.email == "anna@example.fi" and not said.sent
    assert len(_links(store)) == 1
    proved = await store.get_booking(booked.id)
    assert proved is not None and domain.awaiting_verification(proved, clock.now()) is None


def test_the_next_link_is_said_as_the_whole_minute_a_press_first_works() -> None:
    """A link sent at 10:00:06 may go again from 10:10:06, which a person is told as 10.11:
    "klo 10.10" would have them press in a minute that still refuses."""
    sent = [NOW + timedelta(seconds=6)]
    assert domain.next_link_at(sent, NOW + timedelta(minutes=1)) \
        == NOW + timedelta(minutes=10, seconds=6)
    assert domain.said_minute(NOW + timedelta(minutes=10, seconds=6)) \
        == NOW + timedelta(minutes=11)
    assert domain.said_minute(NOW + timedelta(minutes=10, microseconds=1)) \
        == NOW + timedelta(minutes=11)
    assert domain.said_minute(NOW + timedelta(minutes=10)) == NOW + timedelta(minutes=10)


async def test_the_refusal_says_the_minute_a_press_works_and_retry_after_the_second() -> None:
    from services.booking.labels import error_text

    uow, store, space, clock = world()
    clock.advance(timedelta(seconds=6))  # the first link at 10:00:06
    booked = await usecases.request_booking(uow, clock, ANNA, command(
        space, organiser=usecases.OrganiserDetails("Anna", "anna@example.fi")))
    clock.set(NOW + timedelta(minutes=10, seconds=3))  # ten minutes from 10:00:06 not gone
    with pytest.raises(TooManyRequests) as soon:
        await usecases.send_link_again(uow, clock, ANNA, booked.id)
    assert soon.value.details["again_at"] == (NOW + timedelta(minutes=10, seconds=6)).isoformat()
    assert soon.value.retry_after == 3
    said = {lang: error_text(soon.value, lang) for lang in ("fi", "sv", "en")}
    assert "klo 10.11" in said["fi"] and "kl. 10:11" in said["sv"] and "at 10:11" in said["en"]
    assert "10.10" not in said["fi"]
    clock.set(NOW + timedelta(minutes=11))  # the minute said: sent
    assert (await usecases.send_link_again(uow, clock, ANNA, booked.id)).sent
    assert len(_links(store)) == 2
