"""Weekly series of bookings, requested, confirmed and cancelled each in one transaction, and
the dry run that tells before asking which of a series' times are free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Literal
from uuid import UUID, uuid4

from services.booking import domain
from services.booking.domain import (
    HELSINKI,
    Booking,
    Space,
)
from services.booking.store import BookingStore, Taken
from services.booking.usecases.bookings import (
    BookingCommand,
    Slot,
    check_time_and_hours,
    checked_contact,
    contact_of,
    own_details,
    place,
    read_details,
    request_refusals,
)
from services.booking.usecases.common import (
    Uow,
    acts_as_desk,
    authorised,
    local_day,
    require,
    run,
    who,
)
from services.booking.usecases.decisions import (
    decide,
)
from shared.clock import Clock
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.identity import Principal
from shared.recurrence import weekly_occurrences


@dataclass(frozen=True)
class SeriesCommand:
    booking: BookingCommand
    until: date | None = None
    count: int | None = None
    on_conflict: Literal["skip", "reject"] = "skip"
    #: How many weeks apart the occurrences are (1–4).
    every: int = 1
    #: The organiser's hold of the first occurrence (the organiser's pages: a time held
    #: while the form was filled in): let go in the same transaction, so it neither clashes
    #: with the series' first time nor counts as one more open request.
    hold_id: UUID | None = None


def occurrences_of(cmd: SeriesCommand) -> list[tuple[datetime, datetime]]:
    """The series' times; a series ends by a last day or by a number of times, and given
    both it would silently end at whichever came first: refused, naming both."""
    b = cmd.booking
    if cmd.until is not None and cmd.count is not None:
        raise Invalid("give the series' last day or its number of times, not both",
                      field="repeat", code="series_both")
    return weekly_occurrences(b.starts_at, b.ends_at, until=cmd.until, count=cmd.count,
                              every=cmd.every)


def read_series(cmd: SeriesCommand
                ) -> tuple[SeriesCommand, list[tuple[datetime, datetime]], list[Invalid]]:
    """The series as kept (its texts trimmed), its times, and every refusal of its own
    input: the title and the name (`read_details`), then how it repeats. Refused, its
    times are its first one alone (a time to read the space's facts for)."""
    details, refused = read_details(cmd.booking.details)
    cmd = replace(cmd, booking=replace(cmd.booking, details=details))
    try:
        occurrences = occurrences_of(cmd)
    except Invalid as exc:
        refused.append(exc)
        occurrences = [(cmd.booking.starts_at, cmd.booking.ends_at)]
    return cmd, occurrences, refused


def series_refusals(cmd: SeriesCommand, space: Space) -> list[Invalid]:
    """Every rule a series breaks as a whole, in the order they are said: its own input
    (`read_series`), its length (the same for every time), then the rules between the
    request's fields for this space. Each of its times is judged by the other rules of
    time on its own (a start gone by or past the horizon, the opening hours: that time is
    skipped, not the series). `request_series` refuses by it, and the organiser's form asks
    it before sending, so each is said in one go."""
    kept, _, refused = read_series(cmd)
    b = kept.booking
    return [*refused, *domain.length_refusals(b.starts_at, b.ends_at, space.rules),
            *request_refusals(b.details, space, b.starts_at, b.ends_at)]


@dataclass(frozen=True)
class PlannedTime:
    """One time of a series as asking for it now would go: free, or the refusal (a rule
    of time or opening hours, or `code="taken"` with the claims in the way)."""

    starts_at: datetime
    ends_at: datetime
    refusal: DomainError | None = None

    @property
    def free(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class SeriesPreview:
    times: list[PlannedTime]
    #: The open-request limit's refusal when the free times would take the organiser past
    #: it (the series would be refused as a whole), else None.
    limit: DomainError | None = None

    @property
    def free(self) -> int:
        return sum(t.free for t in self.times)


async def preview_series(uow: Uow, clock: Clock, principal: Principal,
                         cmd: SeriesCommand) -> SeriesPreview:
    """The dry run of `request_series`: each time of the series checked by the same rules
    of time and opening hours, and against the claims on the space (the organiser's own
    hold of the first time, `cmd.hold_id`, not counted), and the free ones against the
    organiser's open-request limit, without booking anything. What it says free may still
    be taken before the request is sent; `request_series` decides."""
    require(principal, "organiser", "desk")
    b = cmd.booking
    occurrences = occurrences_of(cmd)

    async def work(uow: Uow) -> SeriesPreview:
        store = uow.store
        context = await store.booking_context(b.space_id, local_day(occurrences[0][0]),
                                              local_day(occurrences[-1][1]))
        if context is None:
            raise NotFound("no such space", code="no_space", space_id=str(b.space_id))
        space, now = context.space, clock.now()
        leaves = domain.leaf_spaces(space.id, context.children)
        planned: list[PlannedTime] = []
        for starts_at, ends_at in occurrences:
            try:
                check_time_and_hours(context, starts_at, ends_at, now)
            except Invalid as exc:
                planned.append(PlannedTime(starts_at, ends_at, exc))
                continue
            taken = await store.conflicts(
                leaves, *domain.claim_range(starts_at, ends_at, space.rules.buffer_minutes),
                excluding=cmd.hold_id)
            planned.append(PlannedTime(starts_at, ends_at, Conflict(
                "the space is already booked for that time", code="taken",
                conflicts=[{"starts_at": domain.utc_text(s), "ends_at": domain.utc_text(e)}
                           for s, e in taken]) if taken else None))
        preview = SeriesPreview(planned)
        organiser = await store.organiser_by_subject(principal.subject or "")
        # As `request_series` counts them: every time the rules of time let through, a
        # clash too (it is found only when placed).
        counted = sum(not isinstance(t.refusal, Invalid) for t in planned)
        if domain.initial_status(space.rules, False) == "requested" and preview.free:
            held = 1 if cmd.hold_id is not None else 0  # let go when the series is sent
            try:
                domain.check_open_requests(
                    (await store.open_requests(organiser.id, space.id) - held
                     if organiser else 0), space.rules, adding=counted)
            except Conflict as exc:
                return SeriesPreview(planned, exc)
        return preview

    return await run(uow, work)


async def _let_hold_go(uow: Uow, clock: Clock, principal: Principal, cmd: SeriesCommand
                       ) -> list[UUID]:
    """The organiser's hold becomes the series' first time: it must be theirs, still held,
    and of the same space and time. Returns the loans made for the hold, which go to that
    first time (they are cancelled with the hold until then, in this transaction)."""
    assert cmd.hold_id is not None
    held, _ = await authorised(uow.store, principal, cmd.hold_id, for_update=True)
    if held.organiser_subject != principal.subject:
        raise Forbidden("only the organiser who holds the slot submits it", code="not_yours")
    domain.check_submittable(held, clock.now())
    b = cmd.booking
    if (held.space_id, held.starts_at, held.ends_at) != (b.space_id, b.starts_at, b.ends_at):
        raise Invalid("a series from a held time starts at that time", field="starts_at",
                      code="series_start")
    domain.check_transition(held.status, "cancelled")
    loans = [loan.id for loan in await uow.store.booking_loans(held.id)]
    # A hold was never announced, and letting it go is no cancellation of a booking: no
    # deadline, no event; its claim is released for the first time of the series.
    await uow.store.set_status(held.id, "cancelled", actor=who(principal, "organiser"),
                               reason="series", at=clock.now(), release=True)
    return loans


@dataclass(frozen=True)
class SeriesResult:
    series_id: UUID
    created: list[Booking]
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: Why each of `skipped` was left out, in its order: the rule's refusal, for the edge
    #: to say in its reader's language.
    why_skipped: list[DomainError] = field(default_factory=list)


async def request_series(uow: Uow, clock: Clock, principal: Principal,
                         cmd: SeriesCommand) -> SeriesResult:
    """A weekly series as one request, in one transaction: occurrences that break a rule or
    clash are skipped (reported) or, with `on_conflict=reject`, the whole series is refused
    with them listed. Every occurrence to be requested counts against the open-request
    limit, so a series cannot take an organiser past it. With `hold_id` the organiser's
    hold of the first time is let go first, in the same transaction."""
    require(principal, "organiser", "desk")
    asked = cmd
    cmd, occurrences, _ = read_series(cmd)
    b = cmd.booking
    own = own_details(principal, b.details)
    series_id = uuid4()

    async def work(uow: Uow) -> SeriesResult:
        store = uow.store
        context, organiser = await store.booking_context_locking_organiser(
            b.space_id, local_day(occurrences[0][0]), local_day(occurrences[-1][1]), **own,
            at=clock.now())
        if context is None:
            raise NotFound("no such space", space_id=str(b.space_id))
        space = context.space
        # Every rule the series breaks as a whole, said together; nothing stored.
        domain.refuse(series_refusals(asked, space))
        held_loans = (await _let_hold_go(uow, clock, principal, cmd)
                      if cmd.hold_id is not None else [])
        now = clock.now()
        slots: list[Slot] = []
        skipped: list[tuple[dict[str, str], DomainError]] = []

        def left_out(starts_at: datetime, ends_at: datetime, why: DomainError) -> None:
            # `code` for a client to say it in its reader's words (`horizon`, `taken`).
            skipped.append(({"starts_at": domain.utc_text(starts_at),
                             "ends_at": domain.utc_text(ends_at), "reason": why.message,
                             "code": str(why.details.get("code") or "invalid")}, why))

        for starts_at, ends_at in occurrences:
            try:
                slots.append(check_time_and_hours(context, starts_at, ends_at, now))
            except Invalid as exc:
                left_out(starts_at, ends_at, exc)
        status = domain.initial_status(space.rules, False)
        if status == "requested":
            domain.check_open_requests(await store.open_requests(organiser.id, space.id),
                                       space.rules, adding=len(slots))
        await store.insert_series(series_id, space.id, organiser.id, b.details.title,
                                  {"until": cmd.until.isoformat() if cmd.until else None,
                                   "count": cmd.count, "every": cmd.every})
        created: list[Booking] = []
        contact = await checked_contact(uow, clock, principal, organiser,
                                        contact_of(organiser, b.details))
        for slot in slots:
            try:
                async with store.savepoint():  # an occurrence that clashes fails alone
                    created.append(await place(
                        uow, clock, slot, organiser=organiser, status=status,
                        details=b.details, contact=contact,
                        created_by=who(principal, "organiser"),
                        max_open=space.rules.max_open_requests, series_id=series_id))
            except Taken:
                left_out(slot.starts_at, slot.ends_at, Conflict("taken", code="taken"))
        skipped.sort(key=lambda pair: pair[0]["starts_at"])
        entries, whys = [entry for entry, _ in skipped], [why for _, why in skipped]
        if skipped and cmd.on_conflict == "reject":
            raise Conflict("some occurrences of the series cannot be booked; nothing was booked",
                           code="series_clash", conflicts=entries).listing("conflicts", whys)
        if not created:
            raise Conflict("no occurrence of the series can be booked", code="series_none",
                           conflicts=entries).listing("conflicts", whys)
        first = created[0]
        if held_loans and (first.starts_at, first.ends_at) == (b.starts_at, b.ends_at):
            # What the organiser borrowed for the held time goes with that time.
            await store.give_loans_to(held_loans, first.id)
        return SeriesResult(series_id, created, entries, whys)

    return await run(uow, work)


async def _series_bookings(store: BookingStore, series_id: UUID, statuses: Sequence[str],
                           starting_from: datetime | None) -> list[Booking]:
    if await store.series_venue(series_id) is None:
        raise NotFound("no such series", code="no_series", series_id=str(series_id))
    return await store.series_bookings(series_id, statuses, starting_from)


async def confirm_series(uow: Uow, clock: Clock, principal: Principal,
                         series_id: UUID) -> list[Booking]:
    """One confirmation for every requested occurrence of the series: all or none."""

    async def work(uow: Uow) -> list[Booking]:
        bookings = await _series_bookings(uow.store, series_id, ("requested",), None)
        return [await decide(uow, clock, principal, b.id, "confirmed", None)
                for b in bookings]

    return await run(uow, work)


#: The statuses of a series' times that cancelling it cancels.
_CANCELLABLE = ("requested", "confirmed")


def _cancel_start(clock: Clock, from_day: date | None) -> datetime:
    return (datetime.combine(from_day, time(0), tzinfo=HELSINKI) if from_day
            else clock.now())


async def series_to_cancel(uow: Uow, clock: Clock, series_id: UUID,
                           from_day: date | None) -> list[Booking]:
    """The times `cancel_series` from `from_day` would cancel as of now, earliest first: what
    a confirmation names before it is asked. No one's rights are checked here: the caller
    has (the organiser's pages: their own series only)."""

    async def work(uow: Uow) -> list[Booking]:
        return await _series_bookings(uow.store, series_id, _CANCELLABLE,
                                      _cancel_start(clock, from_day))

    return await run(uow, work)


async def cancel_series(uow: Uow, clock: Clock, principal: Principal, series_id: UUID,
                        reason: str | None, from_day: date | None, *,
                        seen: str | None = None) -> list[Booking]:
    """Cancel the occurrences from `from_day` on (default: all that have not started): all
    or none. With `seen` (the `series_version` of the times a confirmation showed), only
    those very times: if the series changed since (a time added, cancelled or moved, one
    decided), nothing is cancelled and the 409 `series_changed` names the times as they are
    now, read locked in this transaction, with their version."""
    start = _cancel_start(clock, from_day)
    said = domain.check_decision_reason(reason, required=False)

    async def work(uow: Uow) -> list[Booking]:
        bookings = await _series_bookings(uow.store, series_id, _CANCELLABLE, start)
        if seen is not None:
            # Only its organiser or its venue's desk hears what the series holds now.
            for b in bookings:
                acts_as_desk(principal, b)
            domain.check_series_as_seen(bookings, seen)
        return [await decide(uow, clock, principal, b.id, "cancelled", said)
                for b in bookings]

    return await run(uow, work)
