"""The organiser pages' use cases and rules (issue #16) against the in-memory store and a
fixed clock: the terms said before asking are the ones the request is judged by, the free
times offered are really free, and an organiser sees, cancels and submits only their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from services.booking import domain, usecases
from services.booking.domain import (
    HELSINKI,
    ORGANISER_TYPES,
    Booking,
    BookingRequest,
    Space,
    SpaceRules,
    Venue,
)
from services.booking.store import FreeTimeContext, Preferences
from services.booking.tests.test_desk_forms import DeskStore
from services.booking.tests.test_usecases import (
    MAIJA,
    MATTI,
    NOW,
    TOMORROW_2PM,
    VENUE,
    Uow,
    details,
    hold,
    world,
)
from services.booking.usecases import organiser as my
from shared.clock import FixedClock
from shared.errors import Conflict, Invalid, NotFound


class MyStore(DeskStore):
    """What the organiser pages read, besides the use cases' and the desk's store."""

    def __init__(self) -> None:
        super().__init__()
        self.preferences: dict[UUID, Preferences] = {}
        self.venue = Venue(VENUE, {"fi": "Kuopion pääkirjasto"}, "library",
                           "kuopio.keskusta", "Kuopio", has_paid_space=True,
                           accessibility={"fi": "Esteetön sisäänkäynti"})

    async def list_venues(self, area: str | None = None, kind: str | None = None
                          ) -> list[Venue]:
        return [self.venue]

    async def get_venue(self, venue_id: UUID, for_update: bool = False) -> Venue | None:
        return self.venue if venue_id == VENUE else None

    async def busy_ranges(self, leaves: Sequence[UUID], start: datetime, end: datetime
                          ) -> list[tuple[datetime, datetime]]:
        return sorted((s, e) for b, leaf, s, e in self.state.claims
                      if leaf in leaves and s < end and start < e)

    async def free_time_context(self, spaces: Sequence[Space], first: date, last: date
                                ) -> FreeTimeContext:
        rules = {s.id: await self.opening_rules(s.venue_id, s.id, first, last) for s in spaces}
        return FreeTimeContext(rules, {s.venue_id: await self.space_children(s.venue_id)
                                       for s in spaces})

    async def busy_ranges_of(self, leaves: Sequence[UUID], start: datetime, end: datetime
                             ) -> dict[UUID, list[tuple[datetime, datetime]]]:
        return {leaf: await self.busy_ranges([leaf], start, end) for leaf in leaves}

    async def organiser_bookings(self, organiser_id: UUID) -> list[Booking]:
        # Each as `get_booking` reads it: with whether its address is proved by now.
        found = [await self.get_booking(b.id) for b in self.state.bookings.values()
                 if b.organiser_id == organiser_id]
        return sorted((b for b in found if b is not None), key=lambda b: b.starts_at)

    async def organiser_preferences(self, subject: str) -> Preferences | None:
        organiser = await self.organiser_by_subject(subject)
        return self.preferences.get(organiser.id) if organiser else None

    async def remember_preferences(self, organiser_id: UUID, preferences: Preferences,
                                   at: datetime) -> None:
        self.preferences[organiser_id] = preferences

    async def remember_organiser_type(self, organiser_id: UUID, organiser_type: str,
                                      language: str, at: datetime) -> None:
        self.preferences[organiser_id] = replace(
            self.preferences.get(organiser_id, Preferences(language=language)),
            organiser_type=organiser_type)


def my_world(**rules: object) -> tuple[Uow, MyStore, Space, FixedClock]:
    _, plain, space, clock = world(**rules)
    store = MyStore()
    store.state = plain.state
    return Uow(store), store, space, clock


# --- the terms said before asking ------------------------------------------------------------

PAID_HALL = SpaceRules(paid=True, price_per_hour=Decimal("30.00"))


@pytest.mark.parametrize("has_paid_space, rules", [
    (True, PAID_HALL), (True, SpaceRules()), (False, SpaceRules()),
    (True, SpaceRules(paid=True, price_per_hour=None))])
@pytest.mark.parametrize("organiser_type", ORGANISER_TYPES)
def test_the_terms_shown_are_the_terms_a_request_is_judged_by(
        has_paid_space: bool, rules: SpaceRules, organiser_type: str) -> None:
    space = Space(uuid4(), VENUE, {"fi": "Tila"}, rules, has_paid_space=has_paid_space,
                  paid=rules.paid)
    terms = domain.terms_for(space, organiser_type)

    def judged(cooperation: bool, shared: bool) -> bool:
        try:
            domain.check_details(BookingRequest(
                TOMORROW_2PM, TOMORROW_2PM + timedelta(hours=1), cooperation, True,
                organiser_type, shared, "Liisa"), space.venue, space.rules)
        except Invalid:
            return False
        return True

    assert judged(cooperation=False, shared=False) == terms.rental
    assert (terms.price_per_hour is not None) == terms.rental
    partisan = terms.rule in ("shared_activity", "shared_or_rental")
    assert judged(cooperation=True, shared=False) == (not partisan)
    assert judged(cooperation=True, shared=True)  # shared activity is open to everyone
    assert terms.rule.endswith("rental") == terms.rental


def test_a_free_time_offers_starts_on_the_half_hour_that_end_within_it() -> None:
    free_from = datetime(2031, 3, 5, 14, 10, tzinfo=HELSINKI)
    free_until = datetime(2031, 3, 5, 16, 0, tzinfo=HELSINKI)
    starts = domain.start_times(free_from, free_until, 60)
    assert [f"{s:%H:%M}" for s in starts] == ["14:30", "15:00"]
    later = domain.start_times(free_from, free_until, 30,
                               not_before=datetime(2031, 3, 5, 15, 0, tzinfo=HELSINKI))
    assert [f"{s:%H:%M}" for s in later] == ["15:00", "15:30"]
    assert domain.start_times(free_from, free_until, 120) == []


# --- finding a space ---------------------------------------------------------------------------


async def test_found_free_times_leave_out_what_is_taken_and_what_the_search_excludes() -> None:
    uow, store, space, clock = my_world()
    store.state.spaces[space.id] = replace(space, capacity=12, equipment=("projector",))
    await usecases.request_booking(uow, clock, MAIJA, usecases.BookingCommand(
        space.id, TOMORROW_2PM, TOMORROW_2PM + timedelta(hours=2), details()))
    tomorrow = TOMORROW_2PM.date()
    found = await my.find_spaces(uow, clock, my.SpaceSearch(minutes=60, day=tomorrow))
    (free,) = found.spaces
    assert [(f"{s.astimezone(HELSINKI):%H:%M}", f"{e.astimezone(HELSINKI):%H:%M}")
            for s, e in free.free] == [("08:00", "14:00"), ("16:00", "20:00")]
    assert free.terms.rule == "cooperation"
    later = await my.find_spaces(uow, clock, my.SpaceSearch(minutes=60, day=tomorrow,
                                                            not_before=time(17)))
    assert [f"{s.astimezone(HELSINKI):%H:%M}" for s, _ in later.spaces[0].free] == ["17:00"]
    # Today: from now on only (the clock says 10.00).
    today = await my.find_spaces(uow, clock, my.SpaceSearch(minutes=60))
    assert today.spaces[0].free[0][0] == NOW
    for excluded in (my.SpaceSearch(min_capacity=13), my.SpaceSearch(equipment="screen"),
                     my.SpaceSearch(minutes=300), my.SpaceSearch(area="kuopio.jynkka")):
        assert (await my.find_spaces(uow, clock, excluded)).spaces == [], excluded
    assert len((await my.find_spaces(uow, clock, my.SpaceSearch(
        min_capacity=12, equipment="projector", accessible=True))).spaces) == 1
    week = await my.find_spaces(uow, clock, my.SpaceSearch(days=7, day=tomorrow))
    assert {s.astimezone(HELSINKI).date() for s, _ in week.spaces[0].free} == {
        tomorrow + timedelta(days=i) for i in range(7)}
    party = await my.find_spaces(uow, clock, my.SpaceSearch(organiser_type="party"))
    assert party.spaces[0].terms.rule == "shared_activity"
    with pytest.raises(Invalid):
        await my.find_spaces(uow, clock, my.SpaceSearch(days=30))


# --- one's own bookings ------------------------------------------------------------------------


async def test_an_organiser_sees_and_cancels_only_their_own_bookings() -> None:
    uow, store, space, clock = my_world(cancellation_hours=24)
    maijas = await usecases.request_booking(uow, clock, MAIJA, usecases.BookingCommand(
        space.id, TOMORROW_2PM + timedelta(days=2), TOMORROW_2PM + timedelta(days=2, hours=1),
        details()))
    with pytest.raises(NotFound):
        await my.my_booking(uow, MATTI, maijas.id)
    with pytest.raises(NotFound):
        await my.cancel_my_booking(uow, clock, MATTI, maijas.id)
    assert store.state.bookings[maijas.id].status == "requested"
    assert (await my.my_booking_list(uow, MATTI)).bookings == []
    mine = await my.my_booking(uow, MAIJA, maijas.id)
    assert mine.cancel_by == maijas.starts_at - timedelta(hours=24)
    assert [b.id for b in (await my.my_booking_list(uow, MAIJA)).bookings] == [maijas.id]
    # After the deadline the rule refuses; before it, cancelled.
    late = FixedClock(mine.cancel_by + timedelta(minutes=1))
    with pytest.raises(Conflict) as refused:
        await my.cancel_my_booking(uow, late, MAIJA, maijas.id)
    assert refused.value.details["code"] == "deadline"
    cancelled = await my.cancel_my_booking(uow, clock, MAIJA, maijas.id)
    assert cancelled.status == "cancelled"


async def test_a_submitted_request_remembers_language_contact_and_kind_for_next_time() -> None:
    uow, _, space, clock = my_world()
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    with pytest.raises(NotFound):  # someone else's hold is not found
        await my.submit_my_request(uow, clock, MATTI, held.id, details())
    assert await my.my_preferences(uow, MAIJA) is None
    with pytest.raises(Invalid):  # refused: nothing remembered
        await my.submit_my_request(uow, clock, MAIJA, held.id, details(library_contact=None))
    assert await my.my_preferences(uow, MAIJA) is None
    given = details(organiser_type="association", organiser=usecases.OrganiserDetails(
        "Maija M", "maija@example.fi", "044 123 4567", "sv"))
    submitted = await my.submit_my_request(uow, clock, MAIJA, held.id, given)
    assert submitted.status == "requested" and submitted.contact is not None
    assert submitted.contact.language == "sv"
    assert await my.my_preferences(uow, MAIJA) == Preferences(
        language="sv", organiser_type="association", contact_name="Maija M",
        contact_email="maija@example.fi", contact_phone="044 123 4567")
    assert await my.my_preferences(uow, MATTI) is None


async def test_a_time_held_from_a_search_remembers_the_searchs_kind_of_organiser() -> None:
    """A tester searched as an association, held a time and reopened it from "My bookings"
    (no search carried): the form said "a resident", and her series went in as one."""
    uow, _, space, clock = my_world(max_open_requests=10)
    first = hold(space)
    held = await my.hold_my_slot(uow, clock, MAIJA, first, organiser_type="association",
                                 language="en")
    # Nothing was remembered yet: now the search's kind, in the language read.
    assert await my.my_preferences(uow, MAIJA) == Preferences(
        language="en", organiser_type="association")
    # A search that says no kind (or an unknown one) leaves the kind last given.
    later = replace(first, starts_at=first.starts_at + timedelta(hours=2),
                    ends_at=first.ends_at + timedelta(hours=2))
    await my.hold_my_slot(uow, clock, MAIJA, later, organiser_type=None, language="fi")
    await my.hold_my_slot(uow, clock, MAIJA, replace(
        later, starts_at=later.starts_at + timedelta(hours=2),
        ends_at=later.ends_at + timedelta(hours=2)), organiser_type="zzz", language="fi")
    remembered = await my.my_preferences(uow, MAIJA)
    assert remembered is not None and remembered.organiser_type == "association"
    assert remembered.language == "en"
    # Contact details given with a request are kept when a later search changes the kind.
    given = details(organiser_type="association", organiser=usecases.OrganiserDetails(
        "Maija M", "maija@example.fi", "044 123 4567", "sv"))
    await my.submit_my_request(uow, clock, MAIJA, held.id, given)
    await my.hold_my_slot(uow, clock, MAIJA, replace(
        first, starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1)), organiser_type="commercial", language="en")
    assert await my.my_preferences(uow, MAIJA) == Preferences(
        language="sv", organiser_type="commercial", contact_name="Maija M",
        contact_email="maija@example.fi", contact_phone="044 123 4567")


async def test_a_held_time_and_its_kind_of_organiser_are_stored_in_one_transaction() -> None:
    """The hold and the kind remembered with it commit together, in one unit of work: it
    was two, so a hold could stand with the kind lost, and reopen as "a resident"."""
    uow, store, space, clock = my_world(max_open_requests=10)
    held = await my.hold_my_slot(uow, clock, MAIJA, hold(space), organiser_type="association",
                                 language="sv")
    assert (uow.commits, uow.rollbacks) == (1, 0)
    assert store.state.bookings[held.id].status == "held"
    assert store.preferences[held.organiser_id] == Preferences(
        language="sv", organiser_type="association")


class KindLost(MyStore):
    """A store whose remembering of the kind fails (the database gone mid-transaction)."""

    async def remember_organiser_type(self, organiser_id: UUID, organiser_type: str,
                                      language: str, at: datetime) -> None:
        raise ConnectionError("the database went away")


async def test_a_hold_whose_kind_cannot_be_remembered_is_not_held() -> None:
    """Neither lands without the other: the hold made in the same transaction is rolled
    back with the kind, and the organiser may try again on a time still free."""
    uow, plain, space, clock = my_world(max_open_requests=10)
    store = KindLost()
    store.state = plain.state
    uow = Uow(store)
    with pytest.raises(ConnectionError):
        await my.hold_my_slot(uow, clock, MAIJA, hold(space), organiser_type="association",
                              language="fi")
    assert store.state.bookings == {} and store.state.claims == []
    assert store.state.outbox == [] and uow.published == [] and store.preferences == {}
    assert (uow.commits, uow.rollbacks) == (0, 1)
    # Without a kind to remember the hold is as the API's: nothing else in its transaction.
    held = await my.hold_my_slot(uow, clock, MAIJA, hold(space), organiser_type=None,
                                 language="fi")
    assert list(store.state.bookings) == [held.id] and uow.commits == 1
