"""An organiser's own pages (/my, issue #16): finding a free space with its terms, asking for
it, and the organiser's own bookings. The booking itself goes through the same use cases as
the JSON API (`hold_slot`, `submit_hold`, `cancel_booking`, `free_slots`' own reading), so
every rule is the same; what is added here is the search, ownership by the token's subject
(anyone else's booking is not found), and what the pages remember for next time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from services.booking import domain
from services.booking.domain import HELSINKI, Booking, Space, Terms, Venue
from services.booking.store import BookingStore, Preferences
from services.booking.usecases.bookings import (
    BookingCommand,
    HoldCommand,
    LinkSent,
    RequestDetails,
    hold_slot,
    send_link_again,
    submission_refusals,
    submit_hold,
)
from services.booking.usecases.common import Uow, local_day, require, run
from services.booking.usecases.decisions import cancel_booking
from services.booking.usecases.hours import MAX_CANDIDATE_SPACES, free_time_of
from services.booking.usecases.series import (
    SeriesCommand,
    SeriesPreview,
    SeriesResult,
    cancel_series,
    preview_series,
    request_series,
    series_refusals,
    series_to_cancel,
)
from shared.areas import area_refusals
from shared.clock import Clock
from shared.errors import Invalid, NotFound, checked
from shared.identity import Principal

#: How many days one search shows: a day or a week.
SEARCH_DAYS = (1, 7)


@dataclass(frozen=True)
class SpaceSearch:
    """What an organiser looks for; None: any."""

    minutes: int = 60
    day: date | None = None
    days: int = 1
    not_before: time | None = None
    area: str | None = None
    venue_id: UUID | None = None
    min_capacity: int | None = None
    equipment: str | None = None
    accessible: bool = False
    #: Accessibility features the space must have (its venue's or its own), all of them.
    features: tuple[str, ...] = ()
    organiser_type: str = "resident"


@dataclass(frozen=True)
class FreeSpace:
    space: Space
    venue: Venue
    terms: Terms
    #: Free times long enough for the search's length, earliest first.
    free: list[tuple[datetime, datetime]]
    #: The searching organiser's open (held or requested) bookings of the space.
    open_requests: int = 0

    @property
    def at_limit(self) -> bool:
        """The organiser has as many open requests of the space as its rules allow: a hold
        or request of it would be refused (`domain.check_open_requests`)."""
        return domain.over_open_requests(self.open_requests, self.space.rules)

    @property
    def features(self) -> tuple[str, ...]:
        return features_of(self.space, self.venue)


def features_of(space: Space, venue: Venue) -> tuple[str, ...]:
    """A space's accessibility features: its venue's (entrance, parking) and its own."""
    return domain.check_features({*venue.accessibility_features,
                                  *space.accessibility_features})


@dataclass(frozen=True)
class SpaceFinding:
    """The spaces that fit and their free time, with what the filters can choose from."""

    first: date
    days: int
    venues: list[Venue]
    equipment: list[str]
    spaces: list[FreeSpace]


def _fits(space: Space, venue: Venue, search: SpaceSearch) -> bool:
    return ((search.area is None or venue.area == search.area)
            and (search.venue_id is None or venue.id == search.venue_id)
            and (search.min_capacity is None or (space.capacity or 0) >= search.min_capacity)
            and (search.equipment is None or search.equipment in space.equipment)
            and (not search.accessible or bool(venue.accessibility))
            and set(search.features) <= set(features_of(space, venue))
            and space.rules.min_minutes <= search.minutes <= space.rules.max_minutes)


def search_refusals(search: SpaceSearch) -> list[Invalid]:
    """Every way the search is refused, all at once (a search page that said one, then the
    next, made the organiser send it again for each), each naming its field."""
    refusals: list[Invalid] = []
    if search.days not in SEARCH_DAYS:
        refusals.append(Invalid("a day or a week", field="days", code="rule_bounds", low=1,
                                high=7))
    if not 15 <= search.minutes <= 24 * 60:
        refusals.append(Invalid("length in minutes", field="minutes", code="rule_bounds",
                                low=15, high=24 * 60))
    if search.organiser_type not in domain.ORGANISER_TYPES:
        refusals.append(Invalid("organiser type", field="organiser_type",
                                code="organiser_type"))
    no_features: tuple[str, ...] = ()
    checked(refusals, lambda: domain.check_features(search.features, field="feature"),
            no_features)
    # As `GET /venues?area=` refuses it: an unknown area (`%FF`, a mistyped code) is an
    # input to mend, not a search that finds nothing.
    return refusals + area_refusals([search.area] if search.area else [], "area")


async def find_spaces(uow: Uow, clock: Clock, search: SpaceSearch,
                      principal: Principal | None = None) -> SpaceFinding:
    """Every space that fits the search with its free times on the day (or the week from
    it): the opening hours, the claims and the buffer read as `GET /spaces/{id}/free-slots`
    reads them, cut to the booking's length, to from now and the space's horizon, and to
    `not_before` each day; with the terms an organiser of that kind would book it on, and,
    for the organiser searching (`principal`), their open requests of each space, so one
    at its limit is said so rather than offered for a request to be refused."""
    domain.refuse(search_refusals(search))
    now = clock.now()
    today = local_day(now)
    first = max(search.day or today, today)
    last = first + timedelta(days=search.days - 1)
    wanted = timedelta(minutes=search.minutes)

    async def work(uow: Uow) -> SpaceFinding:
        venues = await uow.store.list_venues()
        by_id = {v.id: v for v in venues}
        spaces = await uow.store.list_spaces(list(by_id))
        equipment = sorted({e for s in spaces for e in s.equipment})
        found: list[FreeSpace] = []
        candidates = [s for s in spaces if _fits(s, by_id[s.venue_id], search)
                      ][:MAX_CANDIDATE_SPACES]
        # Read together: a few statements per space made a search of fifty spaces 200.
        free_time = await free_time_of(uow.store, candidates, first, last)
        organiser = await uow.store.organiser_by_subject(principal.subject) \
            if principal is not None and principal.subject else None
        open_requests = await uow.store.open_requests_by_space(
            organiser.id, [s.id for s in candidates]) if organiser and candidates else {}
        for space in candidates:
            horizon = now + timedelta(days=space.rules.horizon_days)
            free = []
            for s, e in free_time[space.id]:
                begin = max(s, now)
                if search.not_before is not None:
                    begin = max(begin, datetime.combine(s.astimezone(HELSINKI).date(),
                                                        search.not_before, tzinfo=HELSINKI))
                if e - begin >= wanted and begin <= horizon:
                    free.append((begin, e))
            found.append(FreeSpace(space, by_id[space.venue_id],
                                   domain.terms_for(space, search.organiser_type), free,
                                   open_requests.get(space.id, 0)))
        return SpaceFinding(first, search.days, venues, equipment, found)

    return await run(uow, work)


@dataclass(frozen=True)
class MyBooking:
    """One of the organiser's bookings with its space, its venue (whose desk to reach) and,
    for a series, every occurrence of it."""

    booking: Booking
    space: Space
    venue: Venue
    #: The last moment the organiser may cancel it themselves (the space's rule).
    cancel_by: datetime
    series: list[Booking]


def _mine(principal: Principal, booking: Booking | None, booking_id: UUID) -> Booking:
    """The booking if the signed-in organiser made it; anyone else's is not found (not even
    whether it exists is told)."""
    if booking is None or principal.subject is None \
            or booking.organiser_subject != principal.subject:
        raise NotFound("no such booking", code="no_booking", booking_id=str(booking_id))
    return booking


async def my_booking(uow: Uow, principal: Principal, booking_id: UUID) -> MyBooking:
    require(principal, "organiser")

    async def work(uow: Uow) -> MyBooking:
        store = uow.store
        booking = _mine(principal, await store.get_booking(booking_id), booking_id)
        space = await store.get_space(booking.space_id)
        venue = await store.get_venue(booking.venue_id)
        assert space is not None and venue is not None
        series = ([b for b in await store.organiser_bookings(booking.organiser_id)
                   if b.series_id == booking.series_id] if booking.series_id else [])
        return MyBooking(booking, space, venue,
                         domain.cancellation_deadline(booking.starts_at, space.rules), series)

    return await run(uow, work)


@dataclass(frozen=True)
class MyBookings:
    bookings: list[Booking]
    spaces: dict[UUID, Space]
    venues: dict[UUID, Venue]


async def my_booking_list(uow: Uow, principal: Principal) -> MyBookings:
    """The organiser's bookings (by the token's subject) with their spaces and venues."""
    require(principal, "organiser")

    async def work(uow: Uow) -> MyBookings:
        store = uow.store
        organiser = await store.organiser_by_subject(principal.subject or "")
        # A hold let go (or expired, or made a series' first time) was never a booking.
        bookings = [b for b in ([] if organiser is None
                                else await store.organiser_bookings(organiser.id))
                    if not _let_go(b)]
        return MyBookings(bookings, *await _places(store, bookings))

    return await run(uow, work)


async def _places(store: BookingStore, bookings: Sequence[Booking]
                  ) -> tuple[dict[UUID, Space], dict[UUID, Venue]]:
    """The spaces and venues of these bookings, in two statements however many."""
    venue_ids = sorted({b.venue_id for b in bookings})
    if not venue_ids:
        return {}, {}
    spaces = {s.id: s for s in await store.list_spaces(venue_ids)}
    return spaces, {v.id: v for v in await store.list_venues() if v.id in set(venue_ids)}


def _let_go(b: Booking) -> bool:
    return b.status in ("cancelled", "expired") and not any(
        h.status in ("requested", "confirmed") for h in b.history)


async def my_preferences(uow: Uow, principal: Principal) -> Preferences | None:
    """What the organiser's pages remember of them (language, contact, kind), if anything."""
    require(principal, "organiser")

    async def work(uow: Uow) -> Preferences | None:
        return await uow.store.organiser_preferences(principal.subject or "")

    return await run(uow, work)


@dataclass(frozen=True)
class Repeat:
    """How the organiser's held time repeats: every `every` weeks until a day, or so many
    times."""

    every: int = 1
    until: date | None = None
    count: int | None = None


def _series_of(mine: MyBooking, repeat: Repeat, details: RequestDetails) -> SeriesCommand:
    b = mine.booking
    return SeriesCommand(BookingCommand(b.space_id, b.starts_at, b.ends_at, details),
                         until=repeat.until, count=repeat.count, every=repeat.every,
                         on_conflict="skip", hold_id=b.id)


async def preview_my_series(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                            repeat: Repeat) -> SeriesPreview:
    """Which times of the series from the organiser's held time are free and which clash
    (`preview_series`, the API's series rules); anyone else's hold is not found."""
    require(principal, "organiser")
    mine = await my_booking(uow, principal, booking_id)
    return await preview_series(uow, clock, principal, _series_of(
        mine, repeat, RequestDetails(title="", accept_house_rules=False)))


async def submit_my_series(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                           details: RequestDetails, repeat: Repeat) -> SeriesResult:
    """The organiser's held time made a series (`request_series`, the API's use case, every
    rule of a series applied; the hold let go in the same transaction to become its first
    time; a time that clashes is skipped and reported); then their language, contact and
    kind of organiser are remembered, as for one request."""
    require(principal, "organiser")
    mine = await my_booking(uow, principal, booking_id)
    if mine.booking.status != "held":
        domain.check_submittable(mine.booking, clock.now())
    result = await request_series(uow, clock, principal, _series_of(mine, repeat, details))
    await _remember(uow, clock, result.created[0].organiser_id, details)
    return result


async def _own_series(uow: Uow, principal: Principal, series_id: UUID) -> None:
    """Nothing, for the organiser's own series; anyone else's is not found."""
    require(principal, "organiser")

    async def work(uow: Uow) -> None:
        organiser = await uow.store.organiser_by_subject(principal.subject or "")
        if organiser is None or not any(
                b.series_id == series_id
                for b in await uow.store.organiser_bookings(organiser.id)):
            raise NotFound("no such series", code="no_series", series_id=str(series_id))

    await run(uow, work)


async def my_series_to_cancel(uow: Uow, clock: Clock, principal: Principal, series_id: UUID,
                              from_day: date | None) -> list[Booking]:
    """The times of the organiser's own series that cancelling it from `from_day` would
    cancel (`cancel_series`' own choice of them), for the page that asks to confirm;
    anyone else's series is not found."""
    await _own_series(uow, principal, series_id)
    return await series_to_cancel(uow, clock, series_id, from_day)


async def my_series_question(uow: Uow, clock: Clock, principal: Principal, series_id: UUID,
                             from_day: date | None) -> MyBookings:
    """What the question before cancelling the organiser's own series names: the times
    `my_series_to_cancel` gives, with their spaces and venues (where each one is)."""
    times = await my_series_to_cancel(uow, clock, principal, series_id, from_day)

    async def work(uow: Uow) -> MyBookings:
        return MyBookings(times, *await _places(uow.store, times))

    return await run(uow, work)


async def cancel_my_series(uow: Uow, clock: Clock, principal: Principal, series_id: UUID,
                           from_day: date | None, *, seen: str | None = None
                           ) -> list[Booking]:
    """The organiser cancels their own series from `from_day` on (default: every time not
    started): `cancel_series`, the API's, so each time's cancellation deadline holds (all or
    none), and with `seen` only the times the confirmation showed (else the 409
    `series_changed`, nothing cancelled); anyone else's series is not found."""
    await _own_series(uow, principal, series_id)
    return await cancel_series(uow, clock, principal, series_id, None, from_day, seen=seen)


async def my_request_refusals(uow: Uow, clock: Clock, principal: Principal,
                             booking_id: UUID, details: RequestDetails, *,
                             series: bool = False, repeat: Repeat | None = None
                             ) -> list[Invalid]:
    """Every refusal sending the organiser's held time with these details would get, without
    sending anything: the same judgement as `submit_hold` (`submission_refusals`: the texts,
    the rules between the fields, the time) or, for a `series`, as `request_series`
    (`series_refusals`: the texts, how it repeats when `repeat` could be read, the rules
    between the fields). The form asks it when it refuses fields of its own, so every
    refusal is said in one go. Anyone else's hold is not found."""
    require(principal, "organiser")
    mine = await my_booking(uow, principal, booking_id)
    b = mine.booking
    if series:
        # A repeat the form could not read is the form's refusal: the rest is judged as
        # of the held time alone.
        return series_refusals(_series_of(mine, repeat or Repeat(count=1), details),
                               mine.space)

    async def work(uow: Uow) -> list[Invalid]:
        context = await uow.store.booking_context(b.space_id, local_day(b.starts_at),
                                                  local_day(b.ends_at))
        if context is None:
            raise NotFound("no such space", code="no_space", space_id=str(b.space_id))
        return submission_refusals(context, details, b.starts_at, b.ends_at, clock.now())[2]

    return await run(uow, work)


async def _remember(uow: Uow, clock: Clock, organiser_id: UUID, details: RequestDetails
                    ) -> None:
    given = details.organiser
    remembered = Preferences(
        language=given.language if given and given.language in ("fi", "sv", "en") else "fi",
        organiser_type=details.organiser_type,
        contact_name=given.name if given else None, contact_email=given.email if given else None,
        contact_phone=given.phone if given else None)

    async def work(uow: Uow) -> None:
        await uow.store.remember_preferences(organiser_id, remembered, clock.now())

    await run(uow, work)


async def hold_my_slot(uow: Uow, clock: Clock, principal: Principal, cmd: HoldCommand, *,
                       organiser_type: str | None, language: str) -> Booking:
    """The organiser holds a time their search found (`hold_slot`, the API's use case). The
    kind of organiser the search was made for, if it said one, is remembered as the kind
    last given: the held time's form starts from it however it is reopened ("My bookings"
    carries no search), and so does the next one. Both in the hold's one transaction: a hold
    without its kind would reopen as "a resident", the error this remembering mends."""
    require(principal, "organiser")
    if organiser_type not in domain.ORGANISER_TYPES:
        return await hold_slot(uow, clock, principal, cmd)
    kind = organiser_type

    async def remember_kind(uow: Uow, held: Booking) -> None:
        await uow.store.remember_organiser_type(
            held.organiser_id, kind, language if language in ("fi", "sv", "en") else "fi",
            clock.now())

    return await hold_slot(uow, clock, principal, cmd, with_hold=remember_kind)


async def submit_my_request(uow: Uow, clock: Clock, principal: Principal, booking_id: UUID,
                            details: RequestDetails) -> Booking:
    """The organiser's held time completed into a request (`submit_hold`, the API's use
    case, every rule of a request applied again); then their language, contact and kind of
    organiser are remembered for next time. Anyone else's hold is not found."""
    require(principal, "organiser")
    await my_booking(uow, principal, booking_id)
    submitted = await submit_hold(uow, clock, principal, booking_id, details)
    await _remember(uow, clock, submitted.organiser_id, details)
    return submitted


async def cancel_my_booking(uow: Uow, clock: Clock, principal: Principal,
                            booking_id: UUID) -> Booking:
    """The organiser cancels their own booking (or lets a hold go): `cancel_booking`, the
    API's, so the space's cancellation deadline holds; anyone else's is not found."""
    require(principal, "organiser")
    await my_booking(uow, principal, booking_id)
    return await cancel_booking(uow, clock, principal, booking_id, None)


async def my_links_again_at(uow: Uow, clock: Clock, principal: Principal,
                            emails: Sequence[str]) -> dict[str, datetime]:
    """When "send the link again" may next send to each of these addresses of the
    organiser's (`domain.next_link_at`, the limit the press meets), by address as given;
    an address missing may be sent to now. The notice says the time, so no press is made
    only to be refused."""
    require(principal, "organiser")

    async def work(uow: Uow) -> dict[str, datetime]:
        store, now = uow.store, clock.now()
        organiser = await store.organiser_by_subject(principal.subject or "")
        if organiser is None:
            return {}
        times: dict[str, datetime] = {}
        for email in emails:
            sent = await store.links_sent(organiser.id, email.strip().lower(),
                                          now - domain.LINKS_WINDOW)
            next_at = domain.next_link_at(sent, now)
            if next_at is not None:
                times[email] = next_at
        return times

    return await run(uow, work)


async def send_my_link_again(uow: Uow, clock: Clock, principal: Principal,
                             booking_id: UUID) -> LinkSent:
    """The organiser's own booking's confirmation link sent again (`send_link_again`, the
    API's, with its limits); anyone else's booking is not found."""
    require(principal, "organiser")
    await my_booking(uow, principal, booking_id)
    return await send_link_again(uow, clock, principal, booking_id)
