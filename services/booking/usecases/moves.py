"""Moving a confirmed booking to another time, and what the activity events ask of their
bookings (ADR 0003): the desk moves a booking; the events service asks for a move when an
activity with a booking is rescheduled, and for a release when its organiser cancels the
activity and frees the space. Each answer is an event on `booking.v1`."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from services.booking import domain
from services.booking.domain import Booking, Resource
from services.booking.store import BookingStore, Taken
from services.booking.usecases.bookings import door_code_for, judged_time, taken_conflict
from services.booking.usecases.common import (
    Uow,
    authorised,
    door_code,
    facts,
    local_day,
    run,
    who,
)
from shared.clock import Clock
from shared.contracts import (
    ActivityEventCancelled,
    BookingCancelled,
    BookingMoved,
    BookingMoveRefused,
    BookingMoveRequested,
    MoveRefusalReason,
)
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    Refusals,
    checked,
    flattened,
)
from shared.identity import Principal


class Refused(Exception):
    """Why a move cannot be done: `code` for machines (the kinds `booking.move_refused`
    names: taken, closed, rule, equipment, status, gone), `reason` for people (English).
    A rule's own refusal is kept whole (`invalid`: its code, such as past, horizon,
    too_long, closed, with its details and field), so a page says it in its reader's
    language."""

    def __init__(self, code: str, reason: str, invalid: Invalid | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.invalid = invalid


async def _move(uow: Uow, clock: Clock, booking: Booking, starts_at: datetime,
                ends_at: datetime, actor: str, reason: str | None) -> Booking:
    """The locked booking to its new time by the space's rules of time and hours. Raises
    `Refused` naming why not; a refusal leaves the transaction usable."""
    store = uow.store
    if booking.status != "confirmed":
        raise Refused("status", f"a {booking.status.replace('_', '-')} booking is not moved")
    now = clock.now()
    context = await store.booking_context(booking.space_id, local_day(starts_at),
                                          local_day(ends_at))
    if context is None:
        raise Refused("gone", "the booked space no longer exists")
    rules = context.space.rules
    # The rules of time a new booking obeys, every one broken said at once (a time too
    # long and past closing both), as a request hears them.
    slot, timed, hours = judged_time(context, starts_at, ends_at, now)
    if slot is None:
        invalid = Refusals([*timed, *hours])
        raise Refused("rule" if timed else "closed", invalid.message, invalid)
    kind = slot.hours_kind
    # What follows from the time follows the move: a rental's price is that of its new
    # length (a reference number once it costs), the door code is there exactly when the
    # new time is in self-service hours (kept when it already was).
    price, invoice = booking.price, booking.invoice_reference
    if not booking.cooperation and rules.price_per_hour is not None:
        price = domain.price_for(starts_at, ends_at, rules.price_per_hour)
        if invoice is None:
            invoice = domain.finnish_reference(await store.next_invoice_number())
    code = door_code_for(kind, booking.access_code)
    try:
        async with store.savepoint():
            await store.move_booking(
                booking.id, starts_at=starts_at, ends_at=ends_at, hours_kind=kind,
                price=price, invoice_reference=invoice, access_code=code,
                leaves=domain.leaf_spaces(context.space.id, context.children),
                claim=domain.claim_range(starts_at, ends_at, rules.buffer_minutes),
                actor=actor, reason=reason, at=now)
            await _move_loans(store, booking, starts_at, ends_at)
    except Taken:
        raise Refused("taken", "the space is already booked for that time") from None
    updated = await store.get_booking(booking.id)
    assert updated is not None
    return updated


async def _move_loans(store: BookingStore, booking: Booking, starts_at: datetime,
                      ends_at: datetime) -> None:
    """The equipment lent for the booking goes with it: each loan shifted as the booking's
    start is, kept within its new time. Raises `Refused` when not enough of a thing is free
    then (the move is refused rather than leaving the group without it)."""
    loans = await store.booking_loans(booking.id)
    shift = starts_at - booking.starts_at
    resources: dict[UUID, Resource] = {}
    for loan in loans:
        if loan.resource_id not in resources:  # locked as `lend` locks it, in one order
            resource = await store.get_resource(loan.resource_id, for_update=True)
            assert resource is not None
            resources[loan.resource_id] = resource
        start = max(loan.starts_at + shift, starts_at)
        end = min(loan.ends_at + shift, ends_at)
        if end <= start:
            start, end = starts_at, ends_at
        await store.set_loan_time(loan.id, start, end)
    for resource in resources.values():
        if await store.peak_out(resource.id, starts_at, ends_at) > resource.quantity:
            raise Refused("equipment", "the equipment lent for the booking is not free at"
                                       " the new time")


def _moved(before: Booking, after: Booking, moved_by: str, reason: str | None,
           request_id: UUID | None = None) -> BookingMoved:
    moved: BookingMoved = facts(BookingMoved, after, previous_starts_at=before.starts_at,
                                previous_ends_at=before.ends_at, moved_by=moved_by,
                                reason=reason, request_id=request_id,
                                access_code=door_code(after))
    return moved


async def move_booking(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                       starts_at: datetime, ends_at: datetime, reason: str | None,
                       seen_revision: int | None = None) -> Booking:
    """The venue's desk moves a confirmed booking to another free time within the space's
    rules; the booking's activity moves with it (`booking.moved`). A reason given is one
    to read (not blank) and the organiser is told it; a move to the time the booking
    already has is refused (nothing would change, yet the history would say moved).
    `seen_revision`: the booking's revision as the mover was shown it; a booking changed
    since (another desk person moved it) is refused (`booking_changed`, with its time now)
    instead of the later move silently overwriting the earlier one."""
    if reason is not None:
        reason = domain.check_decision_reason(reason, required=True)

    async def work(uow: Uow) -> Booking:
        booking, by_desk = await authorised(uow.store, principal, booking_id, for_update=True)
        _check_movable(booking, by_desk, seen_revision)
        if booking.status == "confirmed" \
                and (booking.starts_at, booking.ends_at) == (starts_at, ends_at):
            raise _same_time()
        try:
            moved = await _move(uow, clock, booking, starts_at, ends_at,
                                who(principal, "desk"), reason)
        except Refused as exc:
            if exc.code == "taken":
                raise Taken(exc.reason) from None
            if exc.code == "status":
                raise Conflict(exc.reason, code="status", status=booking.status) from None
            if exc.code == "equipment":
                raise Conflict(exc.reason, code="loan_move") from None
            if exc.invalid is not None:  # every rule broken, each with its own code
                raise exc.invalid from None
            raise Invalid(exc.reason, field="starts_at", code=exc.code) from None
        await uow.publish(_moved(booking, moved, "desk", reason))
        return moved

    try:
        return await run(uow, work)
    except Taken:
        booking_space = await _space_of(uow, principal, booking_id)
        raise await taken_conflict(uow, booking_space, starts_at, ends_at) from None


def _check_movable(booking: Booking, by_desk: bool, seen_revision: int | None) -> None:
    """Whether this caller may move this booking as it was shown: the venue's desk, the
    revision it saw (None: no check), else refused as a whole, its time never judged."""
    if not by_desk:
        raise Forbidden("only the venue's desk staff move a booking; organisers reschedule"
                        " its activity", code="desk_only")
    if seen_revision is not None and booking.revision != seen_revision:
        raise Conflict("the booking was changed after it was shown; nothing was moved",
                       code="booking_changed", revision=booking.revision,
                       status=booking.status, starts_at=domain.utc_text(booking.starts_at),
                       ends_at=domain.utc_text(booking.ends_at))


def _same_time() -> Invalid:
    return Invalid("the booking already has that time: nothing to move", field="starts_at",
                   code="move_same")


async def move_refusals(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                        starts_at: datetime | None, ends_at: datetime | None,
                        reason: str | None, seen_revision: int | None = None
                        ) -> list[DomainError]:
    """Every refusal `move_booking` would give this move, all at once and nothing moved,
    so the desk's form says them together rather than one per try: the reason's, the
    time's rules (length, horizon, opening hours) and the claims in the way (`taken`,
    naming them), each with its own code and field. A move that cannot be judged at all
    (not this desk's, changed since it was shown, not confirmed, no such booking) is
    raised as `move_booking` raises it, even with no time to judge (None: the form's could
    not be read), so a form's words are never said of a booking that is not the desk's to
    move. Read only: a move that passes is still judged again, under its lock, by
    `move_booking`."""
    refused: list[Invalid] = []
    if reason is not None:
        checked(refused, lambda: domain.check_decision_reason(reason, required=True), None)

    async def work(uow: Uow) -> list[DomainError]:
        store = uow.store
        booking, by_desk = await authorised(store, principal, booking_id)
        _check_movable(booking, by_desk, seen_revision)
        if booking.status != "confirmed":
            raise Conflict(f"a {booking.status.replace('_', '-')} booking is not moved",
                           code="status", status=booking.status)
        if starts_at is None or ends_at is None:
            return []
        if (booking.starts_at, booking.ends_at) == (starts_at, ends_at):
            return [_same_time()]
        context = await store.booking_context(booking.space_id, local_day(starts_at),
                                              local_day(ends_at))
        if context is None:
            raise Invalid("the booked space no longer exists", field="starts_at", code="gone")
        _, timed, hours = judged_time(context, starts_at, ends_at, clock.now())
        leaves = domain.leaf_spaces(context.space.id, context.children)
        taken = await store.conflicts(leaves, *domain.claim_range(
            starts_at, ends_at, context.space.rules.buffer_minutes), excluding=booking.id)
        in_the_way = [Conflict("the space is already booked for that time", code="taken",
                               conflicts=[{"starts_at": domain.utc_text(s),
                                           "ends_at": domain.utc_text(e)}
                                          for s, e in taken])] if taken else []
        return [*timed, *hours, *in_the_way]

    return [*refused, *await run(uow, work)]


async def _space_of(uow: Uow, principal: Principal, booking_id: UUID) -> UUID:
    async with uow:
        booking, _ = await authorised(uow.store, principal, booking_id)
        return booking.space_id


async def move_on_request(uow: Uow, clock: Clock, request: BookingMoveRequested) -> None:
    """The events service asks for the booking of a rescheduled activity to move: moved
    (`booking.moved` with the request's id) or refused (`booking.move_refused`, and the
    booking keeps its time). A repeated request answers again and changes nothing."""
    async with uow:
        store = uow.store
        booking = await store.get_booking(request.booking_id, for_update=True)
        if booking is None:
            await uow.publish(BookingMoveRefused(
                booking_id=request.booking_id, request_id=request.request_id, code="gone",
                reason="no such booking",
                refusals=[MoveRefusalReason(code="gone", reason="no such booking")]))
            return
        if (booking.starts_at, booking.ends_at) == (request.starts_at, request.ends_at) \
                and booking.status == "confirmed":
            await uow.publish(_moved(booking, booking, "organiser", None, request.request_id))
            return
        try:
            moved = await _move(uow, clock, booking, request.starts_at, request.ends_at,
                                f"events:{request.requested_by}", "the activity was rescheduled")
        except Refused as exc:
            rule = exc.invalid.details.get("code") if exc.invalid is not None else None
            await uow.publish(BookingMoveRefused(
                booking_id=request.booking_id, request_id=request.request_id, code=exc.code,
                reason=exc.reason, rule=rule, refusals=_reasons(exc)))
            return
        await uow.publish(_moved(booking, moved, "organiser", "the activity was rescheduled",
                                 request.request_id))


def _reasons(refused: Refused) -> list[MoveRefusalReason]:
    """Every reason of a refused move, as the desk's API lists them: each rule of time the
    new time breaks with its own code and details (`Refusals.each`), or the one refusal of
    another kind (taken, equipment, status)."""
    if refused.invalid is None:
        return [MoveRefusalReason(code=refused.code, reason=refused.reason)]
    return [MoveRefusalReason(
        code=str(each.details.get("code") or refused.code), reason=each.message[:1000],
        field=each.field, details={k: v for k, v in each.details.items() if k != "code"})
        for each in flattened([refused.invalid])]


async def release_for_cancelled_activity(uow: Uow, clock: Clock,
                                         cancelled: ActivityEventCancelled) -> None:
    """The organiser cancelled the activity and asked to free its booking: the booking is
    cancelled (the space is free for others). A booking that ended already stays as it is."""
    if not cancelled.release_booking or cancelled.booking_id is None:
        return
    async with uow:
        store = uow.store
        booking = await store.get_booking(cancelled.booking_id, for_update=True)
        if booking is None or booking.status not in ("requested", "confirmed"):
            return
        reason = f"the activity was cancelled: {cancelled.reason or ''}".strip(": ")
        await store.set_status(booking.id, "cancelled", actor="organiser:activity-cancelled",
                               reason=reason[:1000], at=clock.now(), release=True)
        released = await store.get_booking(booking.id)  # with the revision it has now
        assert released is not None
        await uow.publish(facts(BookingCancelled, released, reason=reason[:1000],
                                cancelled_by="organiser"))
