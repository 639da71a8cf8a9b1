"""Placing a booking: a request, a walk-in, a hold and its submission, under one set of rules."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Any
from uuid import UUID, uuid4

from services.booking import domain
from services.booking.domain import (
    Booking,
    BookingRequest,
    Contact,
    Organiser,
    Space,
)
from services.booking.store import BookingContext, BookingStore, Taken
from services.booking.usecases.common import (
    Uow,
    authorised,
    confirmed_event,
    facts,
    local_day,
    require,
    run,
    space_or_404,
    who,
)
from shared.clock import Clock
from shared.contracts import (
    BookingRequested,
    ContactVerificationRequested,
    DomainEvent,
)
from shared.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from shared.identity import Principal

#: The languages the booking's emails are written in.
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class OrganiserDetails:
    name: str
    email: str | None = None
    phone: str | None = None
    #: fi, sv or en: what the organiser reads; None: Finnish.
    language: str | None = None


@dataclass(frozen=True)
class RequestDetails:
    """What completes a time into a request."""

    title: str
    accept_house_rules: bool
    organiser: OrganiserDetails | None = None
    organiser_type: str = "resident"
    cooperation: bool = True
    shared_activity: bool = False
    library_contact: str | None = None
    #: fi, sv or en: the language the title is written in (`domain.check_title_language`),
    #: which names the activity drafted from the booking.
    title_language: str = "fi"


@dataclass(frozen=True)
class BookingCommand:
    space_id: UUID
    starts_at: datetime
    ends_at: datetime
    details: RequestDetails


@dataclass(frozen=True)
class HoldCommand:
    space_id: UUID
    starts_at: datetime
    ends_at: datetime


def request_of(details: RequestDetails, starts_at: datetime, ends_at: datetime
               ) -> BookingRequest:
    return BookingRequest(starts_at, ends_at, details.cooperation, details.accept_house_rules,
                          details.organiser_type, details.shared_activity,
                          details.library_contact)


def read_details(details: RequestDetails, *, name_needed: bool = False
                 ) -> tuple[RequestDetails, list[Invalid]]:
    """The details as kept (title, name and phone trimmed) and every refusal of their own
    texts, by the same rule whichever way they came (the API's schema lets "   " or a lone
    format character through): a title to read, in a language of ours
    (`domain.check_title_language`), the library's contact person on one line
    (`domain.check_library_contact`), an organiser's name to read when one is given (a
    walk-in needs one: `name_needed`), and a phone number that is one when one is given
    (`domain.check_phone`; blank: none). A refused text is kept as given. An empty
    name is none given (a form's empty field: an organiser's own comes from the sign-in);
    one of spaces alone is a name to read, refused, not kept blank over the organiser's."""
    refused: list[Invalid] = []
    title, title_language = details.title, details.title_language
    try:
        title = domain.check_title(details.title)
    except Invalid as exc:
        refused.append(exc)
    try:
        title_language = domain.check_title_language(details.title_language)
    except Invalid as exc:
        refused.append(exc)
    library_contact = details.library_contact
    try:
        library_contact = domain.check_library_contact(details.library_contact)
    except Invalid as exc:
        refused.append(exc)
    details = replace(details, title_language=title_language,
                      library_contact=library_contact)
    given = details.organiser
    if given is None:
        if name_needed:
            refused.append(_name_needed())
        return replace(details, title=title), refused
    name, phone = given.name, given.phone
    if not given.name:
        if name_needed:
            refused.append(_name_needed())
    else:
        try:
            name = domain.check_person_name(given.name)
        except Invalid as exc:
            refused.append(exc)
    try:
        phone = domain.check_phone(given.phone)
    except Invalid as exc:
        refused.append(exc)
    return replace(details, title=title, organiser=replace(given, name=name, phone=phone)), \
        refused


def _name_needed() -> Invalid:
    return Invalid("a walk-in booking needs the organiser's name", field="organiser.name",
                   code="organiser_name")


def checked_details(details: RequestDetails, *, name_needed: bool = False) -> RequestDetails:
    """The details as kept (`read_details`), or every refusal of their texts together."""
    kept, refused = read_details(details, name_needed=name_needed)
    domain.refuse(refused)
    return kept


def request_refusals(details: RequestDetails, space: Space, starts_at: datetime,
                     ends_at: datetime) -> list[Invalid]:
    """Every rule between a request's fields that it breaks for this space (the domain's
    `details_refusals`: house rules, kind of organiser, cooperation and the library's
    contact, or rental), each by its field."""
    return domain.details_refusals(request_of(details, starts_at, ends_at), space.venue,
                                   space.rules)


def own_details(principal: Principal, details: RequestDetails | None) -> dict[str, Any]:
    """A signed-in organiser's subject, name, email and phone (the body's name, else the
    token's)."""
    given = details.organiser if details else None
    name = (given.name if given else None) or principal.name
    if principal.subject is None:
        raise Unauthenticated("sign in first", code="sign_in")
    if details is not None and not name:
        raise Invalid("the organiser's name is needed", field="organiser.name",
                      code="organiser_name")
    return {"subject": principal.subject, "name": name or principal.subject,
            "email": given.email if given else None, "phone": given.phone if given else None}


def contact_of(organiser: Organiser, details: RequestDetails) -> Contact:
    """The contact of this booking: what the request gave, else what is known of the
    organiser (kept with the booking, whatever the organiser gives next time)."""
    given = details.organiser
    language = given.language if given and given.language in LANGUAGES else "fi"
    return Contact(name=(given.name if given else None) or organiser.name,
                   email=(given.email if given else None) or organiser.email,
                   phone=(given.phone if given else None) or organiser.phone,
                   language=language)


#: How long a verification link works.
VERIFY_FOR = timedelta(days=7)
#: The booking service's public address, for the link in a verification mail; the app sets
#: it from its settings (`KOHTAAMO_BOOKING_PUBLIC_URL`) at start.
LINKS = {"public_url": "http://127.0.0.1:8001"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def checked_contact(uow: Uow, clock: Clock, principal: Principal, organiser: Organiser,
                          contact: Contact | None, *, vouched_by: str | None = None,
                          again: bool = False) -> Contact | None:
    """The contact with whether its address may be mailed (issue #13, SECURITY.md).

    Verified: the desk vouches for it (a walk-in, `vouched_by`), it is the identity
    provider's `email` with `email_verified`, or this organiser proved it before. Otherwise
    one link is sent to it, and until it is opened no booking event carries the address.
    One good link per organiser and address at a time: a request sends none while one is
    out; `again` (the organiser's "send the link again") sends a new one in its place. Either
    way at most as `domain.next_link_at` allows: a request then sends none (the booking is
    not refused for it), `again` is refused (429, saying when)."""
    if contact is None or not contact.email:
        return contact
    store, now = uow.store, clock.now()
    email = contact.email.strip().lower()
    how = vouched_by or ("identity_provider" if principal.verified_email == email else None)
    if how is not None:
        await store.verify_contact(organiser.id, email, how, now)
        return replace(contact, verified=True)
    if await store.contact_verified(organiser.id, email):
        return replace(contact, verified=True)
    if not again and await store.open_verification(organiser.id, email, now):
        return replace(contact, verified=False)
    next_at = domain.next_link_at(
        await store.links_sent(organiser.id, email, now - domain.LINKS_WINDOW), now)
    if next_at is not None:
        if again:
            raise TooManyRequests(
                "a confirmation link went to this address too recently; a new one can be "
                "sent at again_at", retry_after=max(1, ceil((next_at - now).total_seconds())),
                code="link_sent_recently", email=contact.email, again_at=next_at.isoformat())
        return replace(contact, verified=False)
    await store.void_verifications(organiser.id, email, now)
    token = secrets.token_urlsafe(32)
    language = contact.language  # the link's mail, as the booking's, in their language
    await store.add_verification(token_hash(token), organiser.id, email, now, now + VERIFY_FOR)
    await uow.publish(ContactVerificationRequested(
        verification_id=uuid4(), email=contact.email, language=language,
        verify_url=f"{LINKS['public_url']}/contact/verify?token={token}&lang={language}",
        expires_at=now + VERIFY_FOR))
    return replace(contact, verified=False)


@dataclass(frozen=True)
class LinkSent:
    """What "send the link again" did: the address as the booking gives it, and whether a
    new link went to it (False: the sign-in now vouches for the address, proved at once)."""

    email: str
    sent: bool
    expires_at: datetime


async def send_link_again(uow: Uow, clock: Clock, principal: Principal,
                          booking_id: UUID) -> LinkSent:
    """A new confirmation link for the organiser's own booking whose address still waits on
    one (`domain.awaiting_verification`), in the booking's language, by `checked_contact`,
    so its limits are the request's: the old link stops working, and a link is sent no
    sooner than `domain.LINK_AGAIN_AFTER` after the last, at most `domain.LINKS_A_DAY` a day
    (429 saying when). A booking waiting on nothing (the address proved, no address, not
    open, over) is a 409; anyone else's is 403, as the API's other booking actions."""
    async def work(uow: Uow) -> LinkSent:
        booking, as_desk = await authorised(uow.store, principal, booking_id, for_update=True)
        if as_desk:  # the desk did not type the address the link proves: it is the person's
            raise Forbidden("only the booking's organiser can ask for its link",
                            code="not_yours")
        email = domain.awaiting_verification(booking, clock.now())
        if email is None or booking.contact is None:
            raise Conflict("this booking waits on no confirmation link",
                           code="not_awaiting_verification", status=booking.status)
        organiser = await uow.store.organiser_for_update(booking.organiser_id)
        if organiser is None:
            raise NotFound("no such booking", code="no_booking", booking_id=str(booking_id))
        contact = await checked_contact(uow, clock, principal, organiser, booking.contact,
                                        again=True)
        assert contact is not None
        return LinkSent(email, not contact.verified, clock.now() + VERIFY_FOR)

    return await run(uow, work)


async def verify_contact(uow: Uow, clock: Clock, token: str) -> str:
    """Open a verification link: its address may now be mailed for its organiser's bookings.
    Returns the address; NotFound when the link is unknown, used or expired."""
    if not 20 <= len(token) <= 100:
        raise NotFound("this link is not valid or has expired")

    async def work(uow: Uow) -> str:
        now = clock.now()
        found = await uow.store.use_verification(token_hash(token), now)
        if found is None:
            raise NotFound("this link is not valid or has expired")
        organiser_id, email = found
        await uow.store.verify_contact(organiser_id, email, "link", now)
        return email

    return await run(uow, work)


async def confirmed_by_link(uow: Uow, token: str) -> str | None:
    """The address a verification link has already confirmed (opened again, or the page
    reloaded after it worked), else None: the person is told it is done, not that the link
    is bad."""
    if not 20 <= len(token) <= 100:
        return None
    async with uow:
        return await uow.store.spent_verification(token_hash(token))


@dataclass(frozen=True)
class Slot:
    """A time checked against every rule of the space: ready to be placed."""

    space: Space
    starts_at: datetime
    ends_at: datetime
    hours_kind: str
    leaves: list[UUID]


def judged_time(context: BookingContext, starts_at: datetime, ends_at: datetime,
                now: datetime) -> tuple[Slot | None, list[Invalid], list[Invalid]]:
    """The time checked by the rules every way in obeys, all at once: its length and
    horizon, then its opening hours, judged beside them unless the time spans more than a
    week (`domain.hours_judged`: no time given makes the opening hours' days many). The
    slot ready to be placed (None when refused), the refusals of the time's arithmetic and
    those of its opening hours."""
    space = context.space
    timed = domain.slot_refusals(starts_at, ends_at, space.rules, now)
    if not domain.hours_judged(starts_at, ends_at):
        return None, timed, []
    intervals = domain.intervals_between(local_day(starts_at), local_day(ends_at),
                                         context.weekly, context.exceptions)
    try:
        kind = domain.hours_kind(starts_at, ends_at, intervals, space.rules)
    except Invalid as exc:
        return None, timed, [exc]
    if timed:
        return None, timed, []
    return Slot(space, starts_at, ends_at, kind,
                domain.leaf_spaces(space.id, context.children)), [], []


def check_time_and_hours(context: BookingContext, starts_at: datetime, ends_at: datetime,
                         now: datetime) -> Slot:
    """The slot of `judged_time`, or its refusals together."""
    slot, timed, hours = judged_time(context, starts_at, ends_at, now)
    domain.refuse([*timed, *hours])
    assert slot is not None
    return slot


def submission_refusals(context: BookingContext, details: RequestDetails,
                        starts_at: datetime, ends_at: datetime, now: datetime
                        ) -> tuple[RequestDetails, Slot | None, list[Invalid]]:
    """A held time completed with these details, judged by every rule of a request at
    once: the details as kept, the slot (None when its time is refused) and every refusal,
    in the order they are said: the texts (title, name), the rules between the fields, the
    time (length, horizon, opening hours). `submit_hold` refuses by it, and the organiser's
    form asks it before sending, so each is said in one go."""
    kept, refused = read_details(details)
    refused += request_refusals(kept, context.space, starts_at, ends_at)
    slot, timed, hours = judged_time(context, starts_at, ends_at, now)
    return kept, slot, [*refused, *timed, *hours]


async def _money(store: BookingStore, slot: Slot, cooperation: bool
                 ) -> tuple[Any, str | None]:
    rules = slot.space.rules
    if cooperation or rules.price_per_hour is None:
        return None, None
    price = domain.price_for(slot.starts_at, slot.ends_at, rules.price_per_hour)
    return price, domain.finnish_reference(await store.next_invoice_number())


def new_door_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def door_code_for(hours_kind: str, kept: str | None = None) -> str | None:
    """The door code a booking in this kind of hours has: one exactly in self-service hours
    (the door system needs it; the one it has, `kept`, stays), none in staffed hours. What
    places, moves and confirms a booking derives it by this one rule."""
    return (kept or new_door_code()) if hours_kind == "self_service" else None


async def place(uow: Uow, clock: Clock, slot: Slot, *, organiser: Organiser, status: str,
                details: RequestDetails | None, contact: Contact | None, created_by: str,
                max_open: int | None, series_id: UUID | None = None) -> Booking:
    """Insert the booking with its claims, history and events in one statement. Raises
    `Taken` (the time is claimed) or `Conflict` (over the open-request limit)."""
    store = uow.store
    now = clock.now()
    rules = slot.space.rules
    cooperation = details.cooperation if details else True
    price, invoice = await _money(store, slot, cooperation)
    values: dict[str, Any] = {
        "id": uuid4(), "space_id": slot.space.id, "venue_id": slot.space.venue_id,
        "organiser_id": organiser.id, "title": details.title if details else "",
        "title_language": details.title_language if details else "fi",
        # As stored and read back: UTC, so the events say what a later read would.
        "starts_at": slot.starts_at.astimezone(UTC), "ends_at": slot.ends_at.astimezone(UTC),
        "status": status, "cooperation": cooperation,
        "organiser_type": details.organiser_type if details else "resident",
        "shared_activity": details.shared_activity if details else False,
        "library_contact": details.library_contact if details else None,
        "hours_kind": slot.hours_kind,
        # Self-service hours: the door system needs a code, shown to organiser and desk only.
        "access_code": door_code_for(slot.hours_kind),
        "price": price, "invoice_reference": invoice, "series_id": series_id,
        "hold_expires_at": now + timedelta(minutes=rules.hold_minutes)
        if status == "held" else None,
        "created_by": created_by,
        "contact_name": contact.name if contact else None,
        "contact_email": contact.email if contact else None,
        "contact_phone": contact.phone if contact else None,
        "contact_language": contact.language if contact else "fi",
        "at": now,
    }
    fresh = Booking(**{k: values[k] for k in (
        "id", "space_id", "venue_id", "organiser_id", "title", "starts_at", "ends_at", "status",
        "cooperation", "organiser_type", "shared_activity", "hours_kind", "series_id",
        "access_code", "price", "invoice_reference", "title_language")},
        organiser_subject=organiser.subject, contact=contact)
    events: list[DomainEvent] = []
    if status in ("requested", "confirmed"):
        events.append(facts(BookingRequested, fresh))
        if status == "confirmed":
            events.append(confirmed_event(fresh, rules, now))
    placed = await store.place_booking(
        values, subject=organiser.subject, leaves=slot.leaves,
        claim=domain.claim_range(slot.starts_at, slot.ends_at, rules.buffer_minutes),
        max_open=max_open, events=events)
    if placed.booking is None:
        domain.check_open_requests(placed.open_requests, rules)
        raise AssertionError("not placed, yet under the open-request limit")
    return placed.booking


async def taken_conflict(uow: Uow, space_id: UUID, starts_at: datetime, ends_at: datetime
                         ) -> Conflict:
    """The 409 of a time already claimed, with the claims in the way (read after the failed
    transaction, in a transaction of its own)."""

    async def work(uow: Uow) -> list[tuple[datetime, datetime]]:
        space = await space_or_404(uow.store, space_id)
        leaves = domain.leaf_spaces(space.id, await uow.store.space_children(space.venue_id))
        return await uow.store.conflicts(
            leaves, *domain.claim_range(starts_at, ends_at, space.rules.buffer_minutes))

    taken = await run(uow, work)
    return Conflict("the space is already booked for that time", code="taken",
                    conflicts=[{"starts_at": domain.utc_text(s), "ends_at": domain.utc_text(e)}
                               for s, e in taken])


def _check_walk_in_desk(principal: Principal, space: Space) -> None:
    if not principal.is_desk_for(space.venue_id):
        raise Forbidden("walk-in bookings are made by the venue's desk staff",
                        code="not_your_venue")


def _judged_request(context: BookingContext, cmd: BookingCommand, texts_refused: list[Invalid],
                    now: datetime) -> tuple[Slot | None, list[Invalid], list[Invalid]]:
    """Every rule a request breaks, said together: its texts (`texts_refused`), its time's
    length and horizon, the rules between its fields, then the opening hours. The slot (None
    when its time is refused), every refusal, and those of the opening hours alone."""
    between = request_refusals(cmd.details, context.space, cmd.starts_at, cmd.ends_at)
    slot, timed, hours = judged_time(context, cmd.starts_at, cmd.ends_at, now)
    return slot, [*texts_refused, *timed, *between, *hours], hours


async def walk_in_space_refusals(uow: Uow, principal: Principal, space_id: UUID,
                                 venue_id: UUID | None) -> list[Invalid]:
    """Whether the desk's walk-in form may name this space: one of the venue the page shows
    (`venue_id`, when this desk's) or else of this desk's venues. Anything else (no such
    space, another venue's: a tampered form) is the refusal naming `space_id`, asked before
    the time can be read, so it is said with the form's other refusals in one go."""
    require(principal, "desk")

    async def work(uow: Uow) -> list[Invalid]:
        space = await uow.store.get_space(space_id)
        shown = venue_id if venue_id is not None and principal.is_desk_for(venue_id) else None
        if (space is None or not principal.is_desk_for(space.venue_id)
                or (shown is not None and space.venue_id != shown)):
            return [Invalid("the space is not one of this venue's", field="space_id",
                            code="space_elsewhere")]
        return []

    return await run(uow, work)


async def walk_in_refusals(uow: Uow, clock: Clock, principal: Principal, cmd: BookingCommand
                           ) -> list[Invalid]:
    """Every refusal `request_booking(..., walk_in=True)` would give this command, without
    booking anything: the desk's form asks it when it refuses inputs of its own, so the
    use case's rules are said in the same go. Not this desk's venue, or no such space: as
    the walk-in itself refuses them."""
    require(principal, "desk")
    kept, texts_refused = read_details(cmd.details, name_needed=True)
    cmd = replace(cmd, details=kept)

    async def work(uow: Uow) -> list[Invalid]:
        context = await uow.store.booking_context(cmd.space_id, local_day(cmd.starts_at),
                                                  local_day(cmd.ends_at))
        if context is None:
            raise NotFound("no such space", code="no_space", space_id=str(cmd.space_id))
        _check_walk_in_desk(principal, context.space)
        return _judged_request(context, cmd, texts_refused, clock.now())[1]

    return await run(uow, work)


async def request_booking(uow: Uow, clock: Clock, principal: Principal, cmd: BookingCommand,
                          *, walk_in: bool = False) -> Booking:
    """An organiser's request, or (`walk_in`, the venue's desk staff) a walk-in booking
    confirmed at once with the organiser's details from the command. Every rule of the
    space applies to both; a walk-in is confirmed, so it adds no open request."""
    require(principal, "organiser", "desk")
    first, last = local_day(cmd.starts_at), local_day(cmd.ends_at)
    # A name is enough for a walk-in: many have no email (nothing is mailed then), and the
    # desk may ask for a phone number instead.
    kept, texts_refused = read_details(cmd.details, name_needed=walk_in)
    cmd = replace(cmd, details=kept)
    own = None if walk_in else own_details(principal, cmd.details)

    async def work(uow: Uow) -> Booking:
        store = uow.store
        # An organiser's own request reads the space (its rules, hours and tree) and locks
        # the organiser in one statement; a walk-in reads the space first, to know whether
        # this desk may book it. Then one statement places the booking with its claims,
        # history and events.
        organiser: Organiser | None = None
        if own is not None:
            context, organiser = await store.booking_context_locking_organiser(
                cmd.space_id, first, last, **own, at=clock.now())
        else:
            context = await store.booking_context(cmd.space_id, first, last)
        if context is None:
            raise NotFound("no such space", code="no_space", space_id=str(cmd.space_id))
        space = context.space
        if walk_in:
            _check_walk_in_desk(principal, space)
        slot, refused, hours = _judged_request(context, cmd, texts_refused, clock.now())
        if refused and organiser is not None and refused == hours:
            # Only outside opening hours: too many open requests still wins.
            domain.check_open_requests(
                await store.open_requests(organiser.id, space.id), space.rules)
        domain.refuse(refused)
        assert slot is not None
        if organiser is None:  # a walk-in: the organiser the desk names
            given = cmd.details.organiser
            assert given is not None
            organiser = await store.ensure_organiser(subject=None, name=given.name,
                                                     email=given.email, phone=given.phone,
                                                     at=clock.now())
        contact = await checked_contact(
            uow, clock, principal, organiser, contact_of(organiser, cmd.details),
            vouched_by=who(principal, "desk") if walk_in else None)
        return await place(
            uow, clock, slot, organiser=organiser,
            status=domain.initial_status(space.rules, walk_in), details=cmd.details,
            contact=contact,
            created_by=who(principal, "desk" if walk_in else "organiser"),
            max_open=None if walk_in else space.rules.max_open_requests)

    try:
        return await run(uow, work)
    except Taken:
        raise await taken_conflict(uow, cmd.space_id, cmd.starts_at, cmd.ends_at) from None


async def hold_slot(uow: Uow, clock: Clock, principal: Principal, cmd: HoldCommand, *,
                    with_hold: Callable[[Uow, Booking], Awaitable[None]] | None = None
                    ) -> Booking:
    """Keep a slot for the organiser for the space's hold time while they fill in the
    request: the same rules of time, hours and open requests as a request. `with_hold` is
    what a way in stores with the hold (the organiser page's kind of organiser): in the
    hold's own transaction, so the two stand or fall together."""
    require(principal, "organiser", "desk")
    own = own_details(principal, None)
    first, last = local_day(cmd.starts_at), local_day(cmd.ends_at)

    async def work(uow: Uow) -> Booking:
        # A hold ending in 2100 is refused for its length before any day of it is looked at
        # (`judged_time`).
        context, organiser = await uow.store.booking_context_locking_organiser(
            cmd.space_id, first, last, **own, at=clock.now())
        if context is None:
            raise NotFound("no such space", code="no_space", space_id=str(cmd.space_id))
        rules = context.space.rules
        slot, timed, hours = judged_time(context, cmd.starts_at, cmd.ends_at, clock.now())
        if hours and not timed:
            # Only outside opening hours: too many open requests still wins.
            domain.check_open_requests(
                await uow.store.open_requests(organiser.id, context.space.id), rules)
        domain.refuse([*timed, *hours])
        assert slot is not None
        held = await place(uow, clock, slot, organiser=organiser, status="held", details=None,
                           contact=None, created_by=who(principal, "organiser"),
                           max_open=rules.max_open_requests)
        if with_hold is not None:
            await with_hold(uow, held)
        return held

    try:
        return await run(uow, work)
    except Taken:
        raise await taken_conflict(uow, cmd.space_id, cmd.starts_at, cmd.ends_at) from None


async def submit_hold(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                      details: RequestDetails) -> Booking:
    """A hold completed into a request: every rule of a request applies again, as of now,
    and every one it breaks is refused together (`submission_refusals`), nothing stored."""
    own_details(principal, details)  # signed in as someone, before anything is read

    async def work(uow: Uow) -> Booking:
        store = uow.store
        held, _ = await authorised(store, principal, booking_id, for_update=True)
        if held.organiser_subject != principal.subject:
            raise Forbidden("only the organiser who holds the slot submits it", code="not_yours")
        now = clock.now()
        domain.check_submittable(held, now)
        context = await store.booking_context(held.space_id, local_day(held.starts_at),
                                              local_day(held.ends_at))
        assert context is not None
        space = context.space
        kept, slot, refused = submission_refusals(context, details, held.starts_at,
                                                  held.ends_at, now)
        domain.refuse(refused)
        assert slot is not None
        organiser = await store.ensure_organiser(**own_details(principal, kept), at=now)
        # The hold itself is one of the organiser's open requests already.
        domain.check_open_requests(await store.open_requests(organiser.id, space.id) - 1,
                                   space.rules)
        target = domain.initial_status(space.rules, False)
        domain.check_transition(held.status, "requested")
        history = [("requested", who(principal, "organiser"))]
        if target == "confirmed":
            history.append(("confirmed", "system:automatic"))
        price, invoice = await _money(store, slot, kept.cooperation)
        contact = await checked_contact(uow, clock, principal, organiser,
                                        contact_of(organiser, kept))
        assert contact is not None
        await store.complete_hold(booking_id, {
            "status": target, "title": kept.title, "title_language": kept.title_language,
            "organiser_id": organiser.id,
            "cooperation": kept.cooperation, "organiser_type": kept.organiser_type,
            "shared_activity": kept.shared_activity,
            "library_contact": kept.library_contact, "price": price,
            "invoice_reference": invoice, "contact_name": contact.name,
            "contact_email": contact.email, "contact_phone": contact.phone,
            "contact_language": contact.language}, history, now)
        updated = await store.get_booking(booking_id)
        assert updated is not None
        events: list[DomainEvent] = [facts(BookingRequested, updated)]
        if target == "confirmed":
            events.append(confirmed_event(updated, space.rules, now))
        await uow.publish(*events)
        return updated

    return await run(uow, work)
