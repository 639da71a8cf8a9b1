"""Booking use cases against an in-memory store, a fixed clock and a fake unit of work: no
database, no broker, no wall clock. Each way in obeys the same rules (holds, series,
walk-ins), and each bug of issue #12 has its test here too."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from time import process_time
from types import TracebackType
from typing import Any, Self
from uuid import UUID, uuid4

import pytest

from services.booking import domain, usecases
from services.booking.domain import (
    HELSINKI,
    Booking,
    Contact,
    DayException,
    HistoryEntry,
    Loan,
    Organiser,
    Resource,
    Space,
    SpaceRules,
    Venue,
    WeeklyHours,
)
from services.booking.store import BookingContext, FreeTimeContext, Placed, Taken, TryAgain
from services.booking.usecases.loans import Borrower
from shared.clock import FixedClock
from shared.contracts import ContactVerificationRequested, DomainEvent
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable, flattened
from shared.identity import Principal
from shared.uow import FakeUnitOfWork

VENUE = uuid4()
#: A Tuesday at 10.00 in Helsinki, years from the wall clock: only the fixed clock counts.
NOW = datetime(2031, 3, 4, 10, 0, tzinfo=HELSINKI).astimezone(UTC)
TOMORROW_2PM = datetime(2031, 3, 5, 14, 0, tzinfo=HELSINKI)
DESK = Principal("desk-1", frozenset({"desk"}), frozenset({VENUE}), "Tiski")
OTHER_DESK = Principal("desk-2", frozenset({"desk"}), frozenset({uuid4()}), "Muu")
#: Her identity provider vouches for her address (`email_verified`).
MAIJA = Principal("maija", frozenset({"organiser"}), name="Maija", email="Maija@example.fi",
                  email_verified=True)
MATTI = Principal("matti", frozenset({"organiser"}), name="Matti")


@dataclass
class State:
    spaces: dict[UUID, Space] = field(default_factory=dict)
    organisers: dict[UUID, Organiser] = field(default_factory=dict)
    bookings: dict[UUID, Booking] = field(default_factory=dict)
    claims: list[tuple[UUID, UUID, datetime, datetime]] = field(default_factory=list)
    series: dict[UUID, UUID] = field(default_factory=dict)  # series -> space
    weekly: list[WeeklyHours] = field(default_factory=list)
    exceptions: list[DayException] = field(default_factory=list)
    outbox: list[DomainEvent] = field(default_factory=list)
    invoices: int = 1000
    #: (organiser, address) pairs proved; links out: token hash -> [organiser, address,
    #: expires, used, sent].
    verified: set[tuple[UUID, str]] = field(default_factory=set)
    links: dict[str, list[Any]] = field(default_factory=dict)
    resources: dict[UUID, Resource] = field(default_factory=dict)
    loans: dict[UUID, Loan] = field(default_factory=dict)
    loans_settled_at: dict[UUID, datetime] = field(default_factory=dict)
    #: Bookings whose end was announced (`booking_endings`).
    ended: set[UUID] = field(default_factory=set)


class FakeStore:
    """What the booking use cases need of `BookingStore`, in memory."""

    def __init__(self) -> None:
        self.state = State()
        #: Fail a call: method name -> exception, raised (once each) before the call.
        self.failures: dict[str, list[Exception]] = {}
        self.calls: list[str] = []

    def _call(self, name: str) -> None:
        self.calls.append(name)
        pending = self.failures.get(name)
        if pending:
            raise pending.pop(0)

    # spaces and hours
    def add_space(self, **rules: Any) -> Space:
        space = Space(id=uuid4(), venue_id=VENUE, name={"fi": "Tila"},
                      rules=SpaceRules(**rules), has_paid_space=True)
        self.state.spaces[space.id] = space
        return space

    async def get_space(self, space_id: UUID) -> Space | None:
        return self.state.spaces.get(space_id)

    async def list_spaces(self, venue_ids: Sequence[UUID]) -> list[Space]:
        return [s for s in self.state.spaces.values() if s.venue_id in venue_ids]

    async def list_venues(self, area: str | None = None, kind: str | None = None
                          ) -> list[Venue]:
        return [Venue(VENUE, {"fi": "Kirjasto"}, "library", "KUOPIO.KESKUSTA", "297", True)]

    async def desk_bookings(self, venue_ids: Sequence[UUID] | None, *, status: str | None,
                            start: datetime | None, end: datetime | None,
                            limit: int = 1000) -> list[Booking]:
        return sorted((b for b in self.state.bookings.values()
                       if (venue_ids is None or b.venue_id in venue_ids)
                       and status in (None, b.status)
                       and (start is None or b.ends_at > start)
                       and (end is None or b.starts_at < end)),
                      key=lambda b: b.starts_at)[:limit]

    async def free_time_context(self, spaces: Sequence[Space], first: date, last: date
                                ) -> FreeTimeContext:
        self._call("free_time_context")
        rules = (list(self.state.weekly),
                 [e for e in self.state.exceptions if first <= e.day <= last])
        return FreeTimeContext({s.id: rules for s in spaces}, {})

    async def holding_bookings(self, venue_id: UUID, space_id: UUID | None, start: datetime,
                               end: datetime | None, limit: int = 500) -> list[Booking]:
        return sorted((b for b in self.state.bookings.values()
                       if b.venue_id == venue_id and space_id in (None, b.space_id)
                       and b.status in ("requested", "confirmed") and b.ends_at > start
                       and (end is None or b.starts_at < end)), key=lambda b: b.starts_at)

    async def set_space_details(self, space_id: UUID, description: dict[str, Any] | None,
                                equipment: Sequence[str], photos: Sequence[dict[str, Any]],
                                accessibility_features: Sequence[str] = ()) -> None:
        self.state.spaces[space_id] = replace(
            self.state.spaces[space_id], description=description, equipment=tuple(equipment),
            photos=tuple(photos), accessibility_features=tuple(accessibility_features))

    async def space_children(self, venue_id: UUID) -> dict[UUID, list[UUID]]:
        children: dict[UUID, list[UUID]] = {}
        for s in self.state.spaces.values():
            if s.parent_id is not None:
                children.setdefault(s.parent_id, []).append(s.id)
        return children

    async def opening_rules(self, venue_id: UUID, space_id: UUID | None, first: date,
                            last: date) -> tuple[list[WeeklyHours], list[DayException]]:
        return (list(self.state.weekly),
                [e for e in self.state.exceptions if first <= e.day <= last])

    async def booking_context(self, space_id: UUID, first: date, last: date
                              ) -> BookingContext | None:
        self._call("booking_context")
        space = self.state.spaces.get(space_id)
        if space is None:
            return None
        return BookingContext(space, list(self.state.weekly),
                              [e for e in self.state.exceptions if first <= e.day <= last],
                              await self.space_children(VENUE))

    async def booking_context_locking_organiser(
            self, space_id: UUID, first: date, last: date, *, subject: str, name: str,
            email: str | None, phone: str | None, at: datetime
    ) -> tuple[BookingContext | None, Organiser]:
        organiser = await self.ensure_organiser(subject=subject, name=name, email=email,
                                                phone=phone, at=at)
        return await self.booking_context(space_id, first, last), organiser

    async def ensure_organiser(self, *, subject: str | None, name: str, email: str | None,
                               phone: str | None, at: datetime) -> Organiser:
        for o in self.state.organisers.values():
            if (subject is not None and o.subject == subject) or (
                    subject is None and o.subject is None and email is not None
                    and o.email == email):  # a walk-in without an address is new each time
                updated = replace(o, name=name, email=email or o.email, phone=phone or o.phone)
                self.state.organisers[o.id] = updated
                return updated
        created = Organiser(uuid4(), subject, name, email, phone)
        self.state.organisers[created.id] = created
        return created

    async def organiser_by_subject(self, subject: str) -> Organiser | None:
        return next((o for o in self.state.organisers.values() if o.subject == subject), None)

    # bookings
    async def open_requests(self, organiser_id: UUID, space_id: UUID) -> int:
        return sum(1 for b in self.state.bookings.values()
                   if b.organiser_id == organiser_id and b.space_id == space_id
                   and b.status in ("held", "requested"))

    async def open_requests_by_space(self, organiser_id: UUID, space_ids: Sequence[UUID]
                                     ) -> dict[UUID, int]:
        counts = {s: await self.open_requests(organiser_id, s) for s in space_ids}
        return {s: n for s, n in counts.items() if n}

    async def next_invoice_number(self) -> int:
        self.state.invoices += 1
        return self.state.invoices

    async def place_booking(self, values: dict[str, Any], *, subject: str | None,
                            leaves: Sequence[UUID], claim: tuple[datetime, datetime],
                            max_open: int | None, events: Sequence[DomainEvent]) -> Placed:
        self._call("place_booking")
        n = await self.open_requests(values["organiser_id"], values["space_id"])
        if max_open is not None and n >= max_open:
            return Placed(None, n)
        for _, leaf, s, e in self.state.claims:
            if leaf in leaves and s < claim[1] and claim[0] < e:
                raise Taken("booking_claims_no_overlap")
        fields = {k: v for k, v in values.items() if k in Booking.__dataclass_fields__}
        contact = (Contact(values["contact_name"], values["contact_email"],
                           values["contact_phone"], language=values["contact_language"])
                   if values["contact_name"] else None)
        booking = Booking(**fields, organiser_subject=subject, contact=contact, history=(
            HistoryEntry(values["status"], values["created_by"], None, values["at"]),))
        self.state.bookings[booking.id] = booking
        self.state.claims += [(booking.id, leaf, *claim) for leaf in leaves]
        self.state.outbox.extend(events)
        return Placed(booking, n)

    async def conflicts(self, leaves: Sequence[UUID], start: datetime, end: datetime,
                        excluding: UUID | None = None) -> list[tuple[datetime, datetime]]:
        found = {(self.state.bookings[b].starts_at, self.state.bookings[b].ends_at)
                 for b, leaf, s, e in self.state.claims if leaf in leaves and s < end
                 and start < e and b != excluding}
        return sorted(found)

    async def get_booking(self, booking_id: UUID, *, for_update: bool = False
                          ) -> Booking | None:
        b = self.state.bookings.get(booking_id)
        if b is None or b.contact is None or b.contact.email is None:
            return b
        proved = (b.organiser_id, b.contact.email.lower()) in self.state.verified
        return replace(b, contact=replace(b.contact, verified=proved))

    async def contact_verified(self, organiser_id: UUID, email: str) -> bool:
        return (organiser_id, email) in self.state.verified

    async def verify_contact(self, organiser_id: UUID, email: str, how: str,
                             at: datetime) -> None:
        self.state.verified.add((organiser_id, email))

    async def open_verification(self, organiser_id: UUID, email: str, now: datetime) -> bool:
        return any(o == organiser_id and e == email and until > now and used is None
                   for o, e, until, used, _ in self.state.links.values())

    async def add_verification(self, token_hash: str, organiser_id: UUID, email: str,
                               at: datetime, expires_at: datetime) -> None:
        self.state.links[token_hash] = [organiser_id, email, expires_at, None, at]

    async def links_sent(self, organiser_id: UUID, email: str, since: datetime
                         ) -> list[datetime]:
        return sorted(at for o, e, _, used, at in self.state.links.values()
                      if o == organiser_id and e == email and used is None and at > since)

    async def void_verifications(self, organiser_id: UUID, email: str, now: datetime) -> None:
        for link in self.state.links.values():
            if link[0] == organiser_id and link[1] == email and link[3] is None \
                    and link[2] > now:
                link[2] = now

    async def organiser_for_update(self, organiser_id: UUID) -> Organiser | None:
        return self.state.organisers.get(organiser_id)

    async def use_verification(self, token_hash: str, now: datetime
                               ) -> tuple[UUID, str] | None:
        link = self.state.links.get(token_hash)
        if link is None or link[3] is not None or link[2] <= now:
            return None
        link[3] = now
        return link[0], link[1]

    async def spent_verification(self, token_hash: str) -> str | None:
        link = self.state.links.get(token_hash)
        return str(link[1]) if link is not None and link[3] is not None else None

    def _history(self, booking_id: UUID, status: str, actor: str, at: datetime,
                 reason: str | None = None) -> None:
        b = self.state.bookings[booking_id]
        self.state.bookings[booking_id] = replace(
            b, history=(*b.history, HistoryEntry(status, actor, reason, at)))

    async def set_status(self, booking_id: UUID, status: str, *, actor: str,
                         reason: str | None, at: datetime, release: bool) -> None:
        self._call("set_status")
        b = self.state.bookings[booking_id]
        # The revision counts each change, as migration 006's trigger does.
        self.state.bookings[booking_id] = replace(b, status=status, revision=b.revision + 1)
        self._history(booking_id, status, actor, at, reason)
        if release:
            self.state.claims = [c for c in self.state.claims if c[0] != booking_id]
            for loan in list(self.state.loans.values()):
                if loan.booking_id == booking_id and loan.status == "active":
                    self.state.loans[loan.id] = replace(loan, status="cancelled")

    async def set_hours_kind(self, booking_id: UUID, hours_kind: str, access_code: str | None,
                             *, at: datetime) -> None:
        self._call("set_hours_kind")
        b = self.state.bookings[booking_id]
        # A change of hours or door code counts in the revision, as migration 006's trigger.
        self.state.bookings[booking_id] = replace(b, hours_kind=hours_kind,
                                                  access_code=access_code,
                                                  revision=b.revision + 1)

    async def move_booking(self, booking_id: UUID, *, starts_at: datetime, ends_at: datetime,
                           hours_kind: str, price: Decimal | None,
                           invoice_reference: str | None, access_code: str | None,
                           leaves: Sequence[UUID], claim: tuple[datetime, datetime],
                           actor: str, reason: str | None, at: datetime) -> None:
        self.state.claims = [c for c in self.state.claims if c[0] != booking_id]
        for _, leaf, s, e in self.state.claims:
            if leaf in leaves and s < claim[1] and claim[0] < e:
                raise Taken("booking_claims_no_overlap")
        self.state.claims += [(booking_id, leaf, *claim) for leaf in leaves]
        self.state.bookings[booking_id] = replace(
            self.state.bookings[booking_id], starts_at=starts_at.astimezone(UTC),
            ends_at=ends_at.astimezone(UTC), hours_kind=hours_kind, price=price,
            invoice_reference=invoice_reference, access_code=access_code,
            revision=self.state.bookings[booking_id].revision + 1)
        self._history(booking_id, "moved", actor, at, reason)

    async def complete_hold(self, booking_id: UUID, values: dict[str, Any],
                            history: Sequence[tuple[str, str]], at: datetime) -> None:
        b = self.state.bookings[booking_id]
        self.state.bookings[booking_id] = replace(
            b, status=values["status"], title=values["title"], revision=b.revision + 1,
            title_language=values["title_language"],
            organiser_id=values["organiser_id"], cooperation=values["cooperation"],
            organiser_type=values["organiser_type"], price=values["price"],
            invoice_reference=values["invoice_reference"], hold_expires_at=None,
            contact=Contact(values["contact_name"], values["contact_email"],
                            values["contact_phone"], language=values["contact_language"]))
        for status, actor in history:
            self._history(booking_id, status, actor, at)

    async def set_checked_in(self, booking_id: UUID, at: datetime) -> None:
        self.state.bookings[booking_id] = replace(self.state.bookings[booking_id],
                                                  checked_in_at=at)

    async def booking_loans(self, booking_id: UUID) -> list[Loan]:
        return [loan for loan in self.state.loans.values()
                if loan.booking_id == booking_id and loan.status == "active"]

    async def set_loan_time(self, loan_id: UUID, starts_at: datetime,
                            ends_at: datetime) -> None:
        self.state.loans[loan_id] = replace(self.state.loans[loan_id], starts_at=starts_at,
                                            ends_at=ends_at)

    async def give_loans_to(self, loan_ids: Sequence[UUID], booking_id: UUID) -> None:
        for loan_id in loan_ids:
            self.state.loans[loan_id] = replace(self.state.loans[loan_id],
                                                booking_id=booking_id, status="active")

    async def insert_series(self, series_id: UUID, space_id: UUID, organiser_id: UUID,
                            title: str, rule: dict[str, Any]) -> None:
        self.state.series[series_id] = space_id

    async def series_venue(self, series_id: UUID) -> UUID | None:
        space = self.state.series.get(series_id)
        return self.state.spaces[space].venue_id if space else None

    async def series_bookings(self, series_id: UUID, statuses: Sequence[str],
                              starting_from: datetime | None) -> list[Booking]:
        return sorted((b for b in self.state.bookings.values() if b.series_id == series_id
                       and b.status in statuses
                       and (starting_from is None or b.starts_at >= starting_from)),
                      key=lambda b: b.starts_at)

    async def requested_in_series(self, series_ids: Sequence[UUID]) -> dict[UUID, int]:
        counts: dict[UUID, int] = {}
        for b in self.state.bookings.values():
            if b.series_id in series_ids and b.status == "requested":
                counts[b.series_id] = counts.get(b.series_id, 0) + 1
        return counts

    async def expired_holds(self, now: datetime, limit: int) -> list[UUID]:
        return [b.id for b in self.state.bookings.values() if b.status == "held"
                and b.hold_expires_at is not None and b.hold_expires_at <= now][:limit]

    async def due_endings(self, now: datetime, since: datetime, limit: int) -> list[Booking]:
        due = sorted((b.id for b in self.state.bookings.values() if b.status == "confirmed"
                      and since < b.ends_at <= now and b.id not in self.state.ended),
                     key=lambda b: self.state.bookings[b].ends_at)[:limit]
        return [b for b in [await self.get_booking(i) for i in due] if b is not None]

    async def mark_ended(self, booking_id: UUID, at: datetime) -> bool:
        if booking_id in self.state.ended:
            return False
        self.state.ended.add(booking_id)
        return True

    # loans
    async def get_resource(self, resource_id: UUID, *, for_update: bool = False
                           ) -> Resource | None:
        return self.state.resources.get(resource_id)

    async def peak_out(self, resource_id: UUID, start: datetime, end: datetime) -> int:
        active = [loan for loan in self.state.loans.values()
                  if loan.resource_id == resource_id and loan.status == "active"
                  and loan.starts_at < end and start < loan.ends_at]
        points = [max(loan.starts_at, start) for loan in active]
        return max((sum(loan.quantity for loan in active
                        if loan.starts_at <= p < loan.ends_at) for p in points), default=0)

    async def insert_loan(self, loan: Loan, at: datetime) -> None:
        self.state.loans[loan.id] = loan

    async def get_loan(self, loan_id: UUID, *, for_update: bool = False) -> Loan | None:
        return self.state.loans.get(loan_id)

    async def settle_loan(self, loan_id: UUID, status: str, at: datetime) -> None:
        self.state.loans[loan_id] = replace(self.state.loans[loan_id], status=status)
        self.state.loans_settled_at[loan_id] = at

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        saved = copy.deepcopy(self.state)
        try:
            yield
        except BaseException:
            self.state = saved
            raise


class Uow(FakeUnitOfWork[FakeStore]):
    """A fake unit of work whose failed block leaves the store as it was, like a rolled-back
    transaction; events published go to the store's outbox with the rest of its state."""

    async def __aenter__(self) -> Self:
        self._saved = copy.deepcopy(self.store.state)
        return await super().__aenter__()

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            self.store.state = self._saved
        await super().__aexit__(exc_type, exc, tb)

    async def publish(self, *events: DomainEvent) -> None:
        self.store.state.outbox.extend(events)


def world(**rules: Any) -> tuple[Uow, FakeStore, Space, FixedClock]:
    store = FakeStore()
    store.state.weekly = [WeeklyHours(d, time(8), time(20), "staffed") for d in range(1, 8)]
    space = store.add_space(**rules)
    return Uow(store), store, space, FixedClock(NOW)


def details(**changes: Any) -> usecases.RequestDetails:
    values: dict[str, Any] = {"title": "Lukupiiri", "accept_house_rules": True,
                              "library_contact": "Liisa",
                              "organiser": usecases.OrganiserDetails("Maija",
                                                                     "maija@example.fi")}
    values.update(changes)
    return usecases.RequestDetails(**values)


def command(space: Space, start: datetime = TOMORROW_2PM, minutes: int = 60,
            **changes: Any) -> usecases.BookingCommand:
    return usecases.BookingCommand(space.id, start, start + timedelta(minutes=minutes),
                                   details(**changes))


def hold(space: Space, start: datetime = TOMORROW_2PM, minutes: int = 60
         ) -> usecases.HoldCommand:
    return usecases.HoldCommand(space.id, start, start + timedelta(minutes=minutes))


def types(store: FakeStore) -> list[str]:
    return [type(e).__name__ for e in store.state.outbox]


async def test_a_request_is_placed_with_its_events_in_one_transaction() -> None:
    uow, store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, MAIJA, command(space))
    assert booked.status == "requested" and booked.history[0].at == NOW
    assert types(store) == ["BookingRequested"]
    assert uow.commits == 1


@pytest.mark.parametrize("rule, start, minutes, says, code", [
    ("past", NOW - timedelta(hours=1), 60, "in the past", "past"),
    ("horizon", TOMORROW_2PM + timedelta(days=200), 60, "days ahead", "horizon"),
    ("min_length", TOMORROW_2PM, 20, "at least", "too_short"),
    ("max_length", TOMORROW_2PM, 300, "at most", "too_long"),
    ("opening_hours", TOMORROW_2PM.replace(hour=21), 60, "opening hours", "closed"),
])
@pytest.mark.parametrize("entry", ["request", "hold", "walk_in", "series"])
async def test_the_rules_of_time_hold_on_every_way_in(entry: str, rule: str, start: datetime,
                                                      minutes: int, says: str, code: str
                                                      ) -> None:
    uow, store, space, clock = world()
    with pytest.raises((Invalid, Conflict)) as refused:
        if entry == "request":
            await usecases.request_booking(uow, clock, MAIJA, command(space, start, minutes))
        elif entry == "hold":
            await usecases.hold_slot(uow, clock, MAIJA, hold(space, start, minutes))
        elif entry == "walk_in":
            await usecases.request_booking(uow, clock, DESK, command(space, start, minutes),
                                           walk_in=True)
        else:
            await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
                command(space, start, minutes), count=1, on_conflict="reject"))
    assert says in refused.value.message + str(refused.value.details)
    if entry != "series":  # a series lists its skipped occurrences instead
        assert refused.value.details["code"] == code
    assert store.state.bookings == {} and store.state.outbox == []


async def test_a_hold_obeys_the_open_request_limit_and_a_two_year_hold_is_refused_at_once(
) -> None:
    uow, store, space, clock = world(overnight=True, max_minutes=7 * 24 * 60)
    for day in range(3):
        await usecases.request_booking(uow, clock, MAIJA,
                                       command(space, TOMORROW_2PM + timedelta(days=day)))
    with pytest.raises(Conflict, match="open requests"):
        await usecases.hold_slot(uow, clock, MAIJA, hold(space, TOMORROW_2PM + timedelta(
            days=5)))
    started = process_time()
    with pytest.raises(Invalid, match="at most"):
        await usecases.hold_slot(uow, clock, MATTI, hold(space, minutes=2 * 365 * 24 * 60))
    with pytest.raises(Invalid, match="at most"):  # ending in 2099: the same, at once
        await usecases.hold_slot(uow, clock, MATTI, usecases.HoldCommand(
            space.id, TOMORROW_2PM, datetime(2099, 1, 1, tzinfo=UTC)))
    assert process_time() - started < 1
    held = await usecases.hold_slot(uow, clock, MATTI, hold(space, TOMORROW_2PM + timedelta(
        days=6)))
    assert held.status == "held" and held.hold_expires_at == NOW + timedelta(minutes=15)
    assert types(store) == ["BookingRequested"] * 3  # a hold is announced when submitted


async def test_a_hold_is_submitted_before_it_can_be_confirmed() -> None:
    uow, store, space, clock = world()
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    with pytest.raises(Conflict, match="submits it first"):
        await usecases.confirm_booking(uow, clock, DESK, held.id)
    with pytest.raises(Forbidden):  # another organiser cannot complete it
        await usecases.submit_hold(uow, clock, MATTI, held.id, details())
    with pytest.raises(Invalid, match="equal opportunity"):  # the request's rules apply
        await usecases.submit_hold(uow, clock, MAIJA, held.id, details(organiser_type="party"))
    submitted = await usecases.submit_hold(uow, clock, MAIJA, held.id, details())
    assert submitted.status == "requested" and submitted.title == "Lukupiiri"
    confirmed = await usecases.confirm_booking(uow, clock, DESK, held.id)
    assert confirmed.status == "confirmed"
    assert types(store) == ["BookingRequested", "BookingConfirmed"]


async def test_an_expired_hold_cannot_be_submitted_and_the_job_frees_it() -> None:
    uow, store, space, clock = world()
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    clock.advance(timedelta(minutes=16))
    with pytest.raises(Conflict, match="expired"):
        await usecases.submit_hold(uow, clock, MAIJA, held.id, details())
    assert await usecases.expire_holds(uow, clock) == 1
    assert store.state.bookings[held.id].status == "expired" and store.state.claims == []


async def test_a_series_counts_every_occurrence_against_the_limit_and_is_all_or_nothing(
) -> None:
    uow, store, space, clock = world()
    await usecases.request_booking(uow, clock, MAIJA, command(space))
    series = usecases.SeriesCommand(command(space, TOMORROW_2PM + timedelta(hours=2)),
                                    count=3)
    with pytest.raises(Conflict, match="open requests"):
        await usecases.request_series(uow, clock, MAIJA, series)
    assert len(store.state.bookings) == 1 and store.state.series == {}
    ok = await usecases.request_series(uow, clock, MAIJA, replace(series, count=2))
    assert len(ok.created) == 2 and ok.skipped == []


async def test_a_series_skips_a_taken_week_or_refuses_it_all() -> None:
    uow, store, space, clock = world(max_open_requests=10)
    await usecases.request_booking(uow, clock, MATTI,
                                   command(space, TOMORROW_2PM + timedelta(weeks=1)))
    series = usecases.SeriesCommand(command(space), count=3)
    with pytest.raises(Conflict) as refused:
        await usecases.request_series(uow, clock, MAIJA, replace(series, on_conflict="reject"))
    assert [c["reason"] for c in refused.value.details["conflicts"]] == ["taken"]
    assert len(store.state.bookings) == 1
    made = await usecases.request_series(uow, clock, MAIJA, series)
    assert len(made.created) == 2 and [s["reason"] for s in made.skipped] == ["taken"]
    assert [s["code"] for s in made.skipped] == ["taken"]


async def test_a_series_names_why_each_week_was_left_out_by_its_code() -> None:
    # A week beyond the space's horizon is left out with the rule's code, for a client to
    # say in its reader's words (the reason is English).
    uow, _store, space, clock = world(max_open_requests=10, horizon_days=10)
    made = await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
        command(space), count=3))
    assert len(made.created) == 2
    assert [(s["code"], s["reason"]) for s in made.skipped] == [
        ("horizon", "this space can be booked at most 10 days ahead")]


async def test_confirming_a_series_is_all_or_nothing() -> None:
    uow, store, space, clock = world(max_open_requests=10)
    made = await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
        command(space), count=3))
    before = list(store.state.outbox)
    # The third occurrence's change fails: the first two are not left confirmed.
    calls: list[int] = []
    original = store.set_status

    async def third_fails(booking_id: UUID, status: str, **kw: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("lost the database")
        await original(booking_id, status, **kw)

    store.set_status = third_fails  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await usecases.confirm_series(uow, clock, DESK, made.series_id)
    assert {b.status for b in store.state.bookings.values()} == {"requested"}
    assert store.state.outbox == before
    store.set_status = original  # type: ignore[method-assign]
    confirmed = await usecases.confirm_series(uow, clock, DESK, made.series_id)
    assert [b.status for b in confirmed] == ["confirmed"] * 3


async def test_check_in_is_one_rule_for_everyone() -> None:
    uow, _store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, MAIJA, command(space))
    with pytest.raises(Conflict, match="only a confirmed booking"):
        await usecases.check_in(uow, clock, DESK, booked.id)
    await usecases.confirm_booking(uow, clock, DESK, booked.id)
    with pytest.raises(Conflict, match="check-in opens"):
        await usecases.check_in(uow, clock, DESK, booked.id)
    clock.set(TOMORROW_2PM - timedelta(minutes=30))
    with pytest.raises(Forbidden):
        await usecases.check_in(uow, clock, OTHER_DESK, booked.id)
    with pytest.raises(Forbidden):
        await usecases.check_in(uow, clock, MATTI, booked.id)
    assert (await usecases.check_in(uow, clock, MAIJA, booked.id)).checked_in_at == clock.now()
    clock.set(TOMORROW_2PM + timedelta(hours=2))
    with pytest.raises(Conflict, match="ended"):
        await usecases.check_in(uow, clock, DESK, booked.id)


async def test_each_booking_keeps_its_own_contact_and_its_events_say_it() -> None:
    """Each booking keeps its own contact; its events carry the address only when it is
    known to reach the organiser (issue #13): her identity provider vouches for hers, the
    association's gets a one-time link first and travels once the link is opened."""
    uow, store, space, clock = world()
    first = await usecases.request_booking(uow, clock, MAIJA, command(space))
    second = await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(days=1), organiser=usecases.OrganiserDetails(
            "Maijan yhdistys", "yhdistys@example.fi")))
    assert store.state.bookings[first.id].contact == Contact("Maija", "maija@example.fi")
    assert second.contact == Contact("Maijan yhdistys", "yhdistys@example.fi")
    rejected = await usecases.reject_booking(uow, clock, DESK, first.id, "remontti")
    assert rejected.contact == Contact("Maija", "maija@example.fi", verified=True)
    published = [*store.state.outbox, *uow.published]
    emails = [(type(e).__name__, e.contact_email) for e in published
              if hasattr(e, "contact_email")]
    assert sorted(emails, key=str) == sorted([("BookingRequested", "maija@example.fi"),
                                              ("BookingRequested", None),
                                              ("BookingRejected", "maija@example.fi")], key=str)
    links = [e for e in published if isinstance(e, ContactVerificationRequested)]
    assert [link.email for link in links] == ["yhdistys@example.fi"]

    # A second request with the same address sends no second link while the first is good.
    await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(days=2), organiser=usecases.OrganiserDetails(
            "Maijan yhdistys", "yhdistys@example.fi")))
    assert len([e for e in [*store.state.outbox, *uow.published]
                if isinstance(e, ContactVerificationRequested)]) == 1
    token = links[0].verify_url.split("token=")[1].split("&")[0]
    with pytest.raises(NotFound):
        await usecases.verify_contact(uow, clock, "x" * 43)
    assert await usecases.verify_contact(uow, clock, token) == "yhdistys@example.fi"
    with pytest.raises(NotFound):  # once
        await usecases.verify_contact(uow, clock, token)
    confirmed = await usecases.confirm_booking(uow, clock, DESK, second.id)
    assert confirmed.contact is not None and confirmed.contact.verified
    last = [*store.state.outbox, *uow.published][-1]
    assert last.contact_email == "yhdistys@example.fi"  # type: ignore[attr-defined]

    # A walk-in: the desk vouches for the address it typed.
    walk_in = await usecases.request_booking(uow, clock, DESK, command(
        space, TOMORROW_2PM + timedelta(days=3), organiser=usecases.OrganiserDetails(
            "Matti", "matti@example.fi")), walk_in=True)
    assert [e.contact_email for e in store.state.outbox  # type: ignore[attr-defined]
            if getattr(e, "booking_id", None) == walk_in.id] == ["matti@example.fi"] * 2


async def test_a_taken_time_is_a_409_listing_what_is_in_the_way() -> None:
    uow, _store, space, clock = world()
    await usecases.request_booking(uow, clock, MAIJA, command(space))
    with pytest.raises(Conflict) as taken:
        await usecases.request_booking(uow, clock, MATTI, command(
            space, TOMORROW_2PM + timedelta(minutes=30)))
    assert taken.value.details == {"code": "taken", "conflicts": [{
        "starts_at": "2031-03-05T12:00:00Z", "ends_at": "2031-03-05T13:00:00Z"}]}


async def test_a_deadlock_victim_is_run_again_and_a_lasting_one_is_unavailable() -> None:
    uow, store, space, clock = world()
    store.failures["place_booking"] = [TryAgain("deadlock detected")]
    booked = await usecases.request_booking(uow, clock, MAIJA, command(space))
    assert booked.status == "requested" and uow.rollbacks == 1 and uow.commits == 1
    assert types(store) == ["BookingRequested"]
    store.failures["place_booking"] = [TryAgain("deadlock")] * usecases.ATTEMPTS
    with pytest.raises(Unavailable):
        await usecases.request_booking(uow, clock, MATTI, command(
            space, TOMORROW_2PM + timedelta(days=1)))


async def test_walk_ins_are_the_desks_and_confirmed_at_once() -> None:
    uow, store, space, clock = world()
    with pytest.raises(Forbidden):
        await usecases.request_booking(uow, clock, OTHER_DESK, command(space), walk_in=True)
    with pytest.raises(Invalid, match="name") as nameless:
        await usecases.request_booking(uow, clock, DESK, command(space, organiser=None),
                                       walk_in=True)
    assert nameless.value.field == "organiser.name"
    booked = await usecases.request_booking(uow, clock, DESK, command(space), walk_in=True)
    assert booked.status == "confirmed" and booked.created_by == "desk:desk-1"
    assert types(store) == ["BookingRequested", "BookingConfirmed"]


async def test_an_organisers_phone_is_one_rule_whichever_way_it_comes() -> None:
    """A walk-in's phone (the desk's form or the API) and an organiser's own: a number that
    is none is refused by `organiser.phone`, with the name's refusal in the same go;
    one kept trimmed."""
    uow, store, space, clock = world()
    with pytest.raises(Invalid) as refused:
        await usecases.request_booking(uow, clock, DESK, command(
            space, organiser=usecases.OrganiserDetails("\u202e", phone="call me")),
            walk_in=True)
    assert [(r.field, r.details["code"]) for r in flattened([refused.value])] == [
        ("organiser.name", "organiser_name"), ("organiser.phone", "phone")]
    with pytest.raises(Invalid) as own:
        await usecases.request_booking(uow, clock, MAIJA, command(
            space, organiser=usecases.OrganiserDetails("Maija", phone="(--) --")))
    assert own.value.field == "organiser.phone"
    assert store.state.bookings == {}
    booked = await usecases.request_booking(uow, clock, DESK, command(
        space, organiser=usecases.OrganiserDetails("Kalle", phone=" +358 44 123 4567 ")),
        walk_in=True)
    assert booked.contact is not None and booked.contact.phone == "+358 44 123 4567"


async def test_a_request_confirmed_after_its_day_changed_kind_takes_the_days_hours_now(
        ) -> None:
    """Testers: a request made in staffed hours, confirmed after the desk made its day
    self-service, kept 'staffed' and had no door code; the other way, it kept a code for a
    staffed day. Confirming derives the kind and the door code from the day as it is now,
    as a move does; the price (of the time, not of the kind of hours) stays."""
    uow, store, space, clock = world(self_service=True, paid=True,
                                     price_per_hour=Decimal("20"))
    day = TOMORROW_2PM.date()
    asked = await usecases.request_booking(uow, clock, MAIJA, command(space,
                                                                      cooperation=False))
    assert (asked.hours_kind, asked.access_code, asked.price) == ("staffed", None,
                                                                  Decimal("20.00"))
    store.state.exceptions = [DayException(day, time(8), time(20), "self_service")]
    confirmed = await usecases.confirm_booking(uow, clock, DESK, asked.id)
    assert confirmed.status == "confirmed" and confirmed.hours_kind == "self_service"
    assert confirmed.access_code is not None and len(confirmed.access_code) == 6
    assert (confirmed.price, confirmed.invoice_reference) == (asked.price,
                                                              asked.invoice_reference)
    # The organiser's confirmation carries the code (her address is verified).
    event = store.state.outbox[-1]
    assert type(event).__name__ == "BookingConfirmed"
    assert event.access_code == confirmed.access_code  # type: ignore[attr-defined]
    assert event.revision == confirmed.revision  # type: ignore[attr-defined]

    # The other way: asked on a self-service day, confirmed once it is staffed again.
    later = TOMORROW_2PM + timedelta(days=1)
    store.state.exceptions = [DayException(later.date(), time(8), time(20), "self_service")]
    second = await usecases.request_booking(uow, clock, MAIJA, command(space, later))
    assert second.hours_kind == "self_service" and second.access_code is not None
    store.state.exceptions = []
    staffed = await usecases.confirm_booking(uow, clock, DESK, second.id)
    assert (staffed.hours_kind, staffed.access_code) == ("staffed", None)
    assert store.state.outbox[-1].access_code is None  # type: ignore[attr-defined]

    # Unchanged: nothing but the status is written.
    third = await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(days=2)))
    store.calls.clear()
    kept = await usecases.confirm_booking(uow, clock, DESK, third.id)
    assert kept.hours_kind == "staffed" and "set_hours_kind" not in store.calls


async def test_the_desks_queue_says_the_kind_of_hours_confirming_would_take_now() -> None:
    """Testers: after the desk made a requested day self-service, the queue still said
    'staffed' (the kind stored with the request) though confirming takes the day's hours as
    they are now. The desk's day gives each request's kind by the current rules, read for
    the whole queue at once; None for a day closed since (confirming it is refused)."""
    uow, store, space, clock = world(self_service=True)
    monday = date(2031, 3, 3)
    asked = [await usecases.request_booking(uow, clock, MAIJA, command(
        space, TOMORROW_2PM + timedelta(days=i))) for i in range(3)]
    assert [b.hours_kind for b in asked] == ["staffed"] * 3
    turned, closed = asked[0].starts_at.date(), (TOMORROW_2PM + timedelta(days=1)).date()
    store.state.exceptions = [DayException(turned, time(8), time(20), "self_service"),
                              DayException(closed, None, None, "staffed")]
    store.calls.clear()
    found = await usecases.desk_day(uow, DESK, VENUE, monday)
    assert [b.id for b in found.pending] == [b.id for b in asked]
    assert found.kinds_now == {asked[0].id: "self_service", asked[1].id: None,
                               asked[2].id: "staffed"}
    assert store.calls.count("free_time_context") == 1
    # What the queue says is what confirming then does.
    confirmed = await usecases.confirm_booking(uow, clock, DESK, asked[0].id)
    assert confirmed.hours_kind == found.kinds_now[asked[0].id]


def test_the_desks_queue_says_the_kind_now_and_the_one_asked_for_when_they_differ() -> None:
    from services.booking.desk import _request_terms
    b = Booking(id=uuid4(), space_id=uuid4(), venue_id=VENUE, organiser_id=uuid4(),
                title="Lukupiiri", starts_at=TOMORROW_2PM, ends_at=TOMORROW_2PM,
                status="requested", cooperation=True, organiser_type="resident",
                hours_kind="staffed")
    assert _request_terms(b, "fi", "staffed") == "asukas · henkilökunta paikalla"
    assert _request_terms(b, "fi", "self_service") == (
        "asukas · omatoimiaika (pyydettäessä henkilökunta paikalla)")
    assert _request_terms(b, "sv", "self_service") == (
        "invånare · meröppet (när den begärdes: bemannad tid)")
    assert _request_terms(b, "en", None) == (
        "resident · now outside opening hours (when requested: staffed)")


async def test_a_walk_in_needs_no_email_and_its_mail_is_in_the_organisers_language() -> None:
    """Issue #15: many walk-ins have no address; one booked at the Swedish desk is mailed in
    Swedish."""
    uow, store, space, clock = world()
    first = await usecases.request_booking(uow, clock, DESK, command(
        space, organiser=usecases.OrganiserDetails("Kalle", None, language="sv")), walk_in=True)
    second = await usecases.request_booking(uow, clock, DESK, command(
        space, TOMORROW_2PM + timedelta(hours=2),
        organiser=usecases.OrganiserDetails("Ville", None)), walk_in=True)
    assert first.status == second.status == "confirmed"
    assert first.contact == Contact("Kalle", None, language="sv")
    assert first.organiser_id != second.organiser_id  # two people, not one without address
    assert {(e.contact_email, e.contact_language)  # type: ignore[attr-defined]
            for e in store.state.outbox} == {(None, "sv"), (None, "fi")}
    assert not [e for e in store.state.outbox if isinstance(e, ContactVerificationRequested)]

    mailed = await usecases.request_booking(uow, clock, DESK, command(
        space, TOMORROW_2PM + timedelta(hours=4),
        organiser=usecases.OrganiserDetails("Lisa", "lisa@example.fi", language="en")),
        walk_in=True)
    events = [e for e in store.state.outbox
              if getattr(e, "booking_id", None) == mailed.id]
    assert [(type(e).__name__, e.contact_email, e.contact_language)  # type: ignore[attr-defined]
            for e in events] == [("BookingRequested", "lisa@example.fi", "en"),
                                 ("BookingConfirmed", "lisa@example.fi", "en")]
    # Later events of the booking keep its language (the desk cancels it).
    await usecases.cancel_booking(uow, clock, DESK, mailed.id, "sairastuminen")
    assert [*store.state.outbox, *uow.published][-1].contact_language == "en"  # type: ignore[attr-defined]


async def test_an_organiser_request_in_swedish_gets_its_link_and_its_mail_in_swedish() -> None:
    uow, store, space, clock = world()
    booked = await usecases.request_booking(uow, clock, MATTI, command(
        space, organiser=usecases.OrganiserDetails("Matti", "matti@example.fi",
                                                   language="sv")))
    link = next(e for e in store.state.outbox if isinstance(e, ContactVerificationRequested))
    assert link.language == "sv" and link.verify_url.endswith("&lang=sv")
    assert booked.contact is not None and booked.contact.language == "sv"


async def test_the_seed_rules_of_organisers_hold_for_requests_series_and_submissions() -> None:
    uow, store, space, clock = world()
    party = {"organiser_type": "party"}
    with pytest.raises(Invalid, match="equal opportunity"):
        await usecases.request_booking(uow, clock, MAIJA, command(space, **party))
    with pytest.raises(Invalid, match="equal opportunity"):
        await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
            command(space, **party), count=2))
    shared = await usecases.request_booking(uow, clock, MAIJA, command(
        space, shared_activity=True, **party))
    assert shared.organiser_type == "party"
    with pytest.raises(Invalid, match="free only"):  # paid use of a space that is not paid
        await usecases.request_booking(uow, clock, MATTI, command(
            space, TOMORROW_2PM + timedelta(days=1), cooperation=False))
    paid = store.add_space(paid=True)
    with pytest.raises(Invalid, match="no price"):
        await usecases.request_booking(uow, clock, MATTI, command(
            paid, TOMORROW_2PM + timedelta(days=1), cooperation=False))


def test_domain_rules_are_checked_before_hours_are_counted() -> None:
    rules = SpaceRules(overnight=True, max_minutes=7 * 24 * 60)
    started = process_time()
    with pytest.raises(Invalid):
        domain.check_slot(NOW, datetime(2099, 12, 31, tzinfo=UTC), rules, NOW)
    assert process_time() - started < 0.5


async def test_a_loan_goes_with_its_borrowers_booking_and_never_overbooks() -> None:
    uow, store, space, clock = world()
    chromebooks = Resource(uuid4(), VENUE, {"fi": "Chromebook"}, 5)
    store.state.resources[chromebooks.id] = chromebooks
    booked = await usecases.request_booking(uow, clock, MAIJA, command(space, minutes=120))

    def loan(qty: int, booking: UUID | None = booked.id, start: datetime = TOMORROW_2PM,
             hours: float = 2) -> usecases.LoanCommand:
        return usecases.LoanCommand(chromebooks.id, qty, start,
                                    start + timedelta(hours=hours), booking,
                                    None if booking else Borrower("Kalle", "040 123 4567"))

    with pytest.raises(Forbidden):  # not Matti's booking
        await usecases.lend(uow, clock, MATTI, loan(1))
    with pytest.raises(Forbidden):  # an organiser borrows for a booking
        await usecases.lend(uow, clock, MAIJA, loan(1, booking=None))
    with pytest.raises(Invalid):  # outside the booking's time
        await usecases.lend(uow, clock, MAIJA, loan(1, hours=3))
    with pytest.raises(Invalid):  # in the past, for the desk too
        await usecases.lend(uow, clock, DESK, loan(1, None, NOW - timedelta(days=1)))
    with pytest.raises(Invalid):  # beyond the horizon
        await usecases.lend(uow, clock, DESK, loan(1, None, NOW + timedelta(days=400)))
    lent = await usecases.lend(uow, clock, MAIJA, loan(4))
    assert lent.organiser_subject == "maija"
    with pytest.raises(Invalid) as nobody:  # the desk names whom it lends to
        await usecases.lend(uow, clock, DESK, replace(loan(1, None), borrower=None))
    assert nobody.value.field == "borrower.name"
    with pytest.raises(Conflict) as full:
        await usecases.lend(uow, clock, DESK, loan(2))
    assert full.value.details["available"] == 1
    with pytest.raises(Forbidden):
        await usecases.return_loan(uow, clock, MAIJA, lent.id)
    assert (await usecases.cancel_loan(uow, clock, MAIJA, lent.id)).status == "cancelled"
    with pytest.raises(Conflict):
        await usecases.cancel_loan(uow, clock, DESK, lent.id)
    again = await usecases.lend(uow, clock, DESK, loan(5))
    assert again.organiser_subject == "maija"  # the booking's organiser borrows
    clock.advance(timedelta(hours=5))
    assert (await usecases.return_loan(uow, clock, DESK, again.id)).status == "returned"
    # When it came back is kept: the borrower's retention counts from then.
    assert store.state.loans_settled_at[again.id] == clock.now()
