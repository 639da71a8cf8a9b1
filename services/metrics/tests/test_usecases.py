"""The metrics service's use cases against an in-memory store, a fixed clock and a fake unit
of work: every rule, fast and without I/O. (The same use cases on PostgreSQL and Kafka:
test_handlers.py and test_api_bounds.py.)"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.metrics import domain, usecases
from services.metrics.domain import (
    Cell,
    Counts,
    FeedbackAnswer,
    FeedbackPolicy,
    Population,
    SummaryQuery,
)
from services.metrics.store import MetricsStore
from services.metrics.tests.fakes import FakeMetricsStore
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingMoved,
    BookingNoShow,
    DomainEvent,
    LocalizedText,
    MetricsPeriodClosed,
    NotificationDelivered,
    OpeningHoursInfo,
    SpaceInfo,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthenticated
from shared.identity import PUBLIC, Principal
from shared.uow import FakeUnitOfWork

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
DECEMBER = date(2026, 12, 1)
ANALYST = Principal(subject="analyytikko", roles=frozenset({"analyst"}))
ORGANISER = Principal(subject="järjestäjä", roles=frozenset({"organiser"}))
POLICY = FeedbackPolicy(key=b"test-key", hourly_limit=3)


class World:
    """A store, a unit of work over it and a clock, as a use case sees them."""

    def __init__(self, now: datetime = START) -> None:
        self.store = FakeMetricsStore()
        self.uow = FakeUnitOfWork[MetricsStore](self.store)
        self.clock = FixedClock(now)

    async def handle(self, *events: DomainEvent) -> None:
        """What the Kafka handlers do, one event at a time."""
        for event in events:
            if isinstance(event, AttendanceReported):
                await usecases.record_attendance(self.uow, self.clock, event)
            elif isinstance(event, VenueRegistered | VenueUpdated):
                await usecases.record_venue(self.uow, self.clock, event)
            elif isinstance(event, NotificationDelivered):
                await usecases.record_delivery(self.uow, self.clock, event)
            elif isinstance(event, usecases.BookingEvent):
                await usecases.record_booking(self.uow, self.clock, event)
            else:
                await usecases.record_activity_event(self.uow, self.clock, event)  # type: ignore[arg-type]

    async def summary(self, **query: Any) -> dict[str, domain.AreaIndicators]:
        result = await usecases.indicator_summary(self.uow, self.clock, PUBLIC,
                                                  SummaryQuery(**query))
        return {a.area: a for a in result.areas}


def published(event_id: UUID, revision: int = 1, area: str | None = "kuopio.nilsia",
              start: datetime = START, hours: int = 2, cls: type[Any] = ActivityEventPublished,
              **more: Any) -> Any:
    return cls(event_id=event_id, revision=revision, name=LocalizedText(fi="Kuoro"),
               kind="open_guided", area=area, starts_at=start,
               ends_at=start + timedelta(hours=hours), **more)


def attendance(event_id: UUID, revision: int, participants: int, visitors: int = 0,
               start: datetime = START, hours: int = 2) -> AttendanceReported:
    return AttendanceReported(event_id=event_id, report_revision=revision,
                              participants=participants, visitors=visitors, starts_at=start,
                              ends_at=start + timedelta(hours=hours), area="kuopio.nilsia",
                              kind="open_guided")


# --- consumed events ---------------------------------------------------------------------


async def test_a_published_and_held_activity_counts_once_in_its_area_and_month() -> None:
    w = World()
    event_id, organiser = uuid4(), uuid4()
    first = published(event_id, organiser_id=organiser, topics=["music"], audiences=["seniors"])
    await w.handle(first, first, attendance(event_id, 1, 12, 30))  # a duplicate too
    assert w.uow.commits == 3 and w.uow.published == []  # one transaction each, no events
    nilsia = (await w.summary(area="kuopio.nilsia"))["kuopio.nilsia"]
    assert nilsia.values | {"satisfaction_mean": 0} == {
        "published_events": 1, "cancelled_events": 0, "held_events": 1, "planned_hours": 2.0,
        "realised_hours": 2.0, "participants": 12, "visitors": 30, "organisers": 1,
        "deliveries": 0, "satisfaction_mean": 0, "wellbeing_share": None}
    assert nilsia.topics == {"music": 1} and nilsia.audiences == {"seniors": 1}
    assert w.store.locked == [event_id] * 3  # every change of one event under its lock


async def test_a_stale_revision_and_an_older_report_change_nothing() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id, revision=2, hours=3), published(event_id, revision=1),
                   attendance(event_id, 2, 20), attendance(event_id, 1, 5))
    values = (await w.summary(area="kuopio.nilsia"))["kuopio.nilsia"].values
    assert (values["planned_hours"], values["participants"]) == (3.0, 20)


async def test_a_report_before_its_activity_counts_once_the_activity_arrives() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(attendance(event_id, 1, 9))
    assert w.store.cells == {}
    await w.handle(published(event_id))
    assert list(w.store.cells.values()) == [Counts(published=1, held=1,
                                                   planned_hours=Decimal("2.00"),
                                                   realised_hours=Decimal("2.00"),
                                                   participants=9)]


async def test_any_arrival_order_gives_the_same_aggregates() -> None:
    event_id = uuid4()
    moved = START + timedelta(days=31)
    log = [published(event_id, 1), published(event_id, 2, start=moved,
                                             cls=ActivityEventRescheduled,
                                             previous_starts_at=START,
                                             previous_ends_at=START + timedelta(hours=2)),
           attendance(event_id, 1, 7, start=moved), attendance(event_id, 2, 8, start=moved)]
    results = set()
    for order in itertools.permutations(log):
        w = World()
        await w.handle(*order)
        results.add(tuple(sorted((c.month, n) for c, n in w.store.cells.items()
                                 if not n.is_zero())))
    assert len(results) == 1
    ((month, counts),) = results.pop()
    assert month == date(2027, 1, 1) and counts.participants == 8 and counts.published == 1


@pytest.mark.parametrize(("cls", "counted"), [
    (ActivityEventCancelled, Counts(cancelled=1)),
    (ActivityEventPostponed, Counts()),
])
async def test_cancelled_and_postponed_activity_leave_the_published_count(
    cls: type[Any], counted: Counts
) -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id), published(event_id, 2, cls=cls))
    assert sum(w.store.cells.values(), Counts()) == counted


async def test_an_activity_without_an_area_takes_its_venues() -> None:
    w = World()
    venue = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Pyörön kirjasto"),
                            kind="library", area="kuopio.pyoro", municipality="Kuopio")
    event_id = uuid4()
    await w.handle(venue, published(event_id, area=None, venue_id=venue.venue_id))
    assert {c.area for c in w.store.cells} == {"kuopio.pyoro"}


async def test_a_delivery_counts_once_for_its_area_its_venues_or_unknown() -> None:
    w = World()
    venue = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Jynkän kirjasto"),
                            kind="library", area="kuopio.jynkka", municipality="Kuopio")
    await w.handle(venue)
    common = {"activity_event_id": uuid4(), "revision": 1, "starts_at": START}
    board = NotificationDelivered(delivery_id=uuid4(), channel="notice_board",
                                  area="kuopio.nilsia", **common)
    via_venue = NotificationDelivered(delivery_id=uuid4(), channel="facebook",
                                      venue_id=venue.venue_id, **common)
    nowhere = NotificationDelivered(delivery_id=uuid4(), channel="email", **common)
    await w.handle(board, board, via_venue, nowhere)
    assert w.store.reach == {("kuopio.nilsia", DECEMBER, "notice_board"): 1,
                             ("kuopio.jynkka", DECEMBER, "facebook"): 1,
                             (domain.UNKNOWN_AREA, DECEMBER, "email"): 1}
    areas = await w.summary()
    assert areas["kuopio.nilsia"].values["deliveries"] == 1
    assert areas["kuopio.jynkka"].reach == {"facebook": 1}


def jynkka_library(space_id: UUID, *closed: date) -> VenueRegistered:
    """Jynkkä's library with one space, open 12–19 on weekdays, closed on `closed` days."""
    return VenueRegistered(
        venue_id=uuid4(), name=LocalizedText(fi="Jynkän kirjasto"), kind="library",
        area="kuopio.jynkka", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=space_id, name=LocalizedText(fi="Ryhmätila"))],
        opening_hours=[OpeningHoursInfo(weekday=d, opens="12:00", closes="19:00",
                                        kind="staffed") for d in range(1, 6)],
        exceptions=[OpeningHoursInfo(day=day) for day in closed])


async def test_booked_hours_follow_confirmations_and_a_release_is_final() -> None:
    w = World()
    space_id = uuid4()
    venue = jynkka_library(space_id, date(2026, 12, 24))

    def booking(cls: type[Any], booking_id: UUID, hours: int, **more: Any) -> Any:
        return cls(booking_id=booking_id, venue_id=venue.venue_id, space_id=space_id,
                   starts_at=START, ends_at=START + timedelta(hours=hours), title="x",
                   organiser_id=uuid4(), **more)

    kept, dropped, missed = uuid4(), uuid4(), uuid4()
    await w.handle(venue, booking(BookingConfirmed, kept, 2), booking(BookingConfirmed, kept, 2),
                   booking(BookingConfirmed, dropped, 3),
                   booking(BookingCancelled, dropped, 3, reason="sairaus"),
                   booking(BookingConfirmed, dropped, 3),  # late: still released
                   booking(BookingConfirmed, missed, 1), booking(BookingNoShow, missed, 1))
    rows = await usecases.space_utilisation(w.uow, w.clock, PUBLIC, usecases.UtilisationQuery(
        from_=date(2026, 12, 5), area="kuopio.jynkka"))
    assert [(r.space_id, r.booked_hours, r.bookings, r.open_hours, r.utilisation)
            for r in rows] == [(space_id, 2.0, 1, 154.0, 0.013)]
    assert rows[0].space == {"fi": "Ryhmätila", "sv": None, "en": None}


async def test_a_moved_booking_counts_at_its_new_time_and_its_release_takes_that_away(
) -> None:
    """The desk moves a confirmed booking from December to January: its hours move with it,
    and cancelling it afterwards leaves nothing in either month (the cancellation carries the
    new time; before, the December hours stayed and January went below zero)."""
    w = World()
    space_id = uuid4()
    venue = jynkka_library(space_id)
    booking_id, moved_to = uuid4(), datetime(2027, 1, 12, 15, tzinfo=UTC)

    def booking(cls: type[Any], starts_at: datetime, hours: int, **more: Any) -> Any:
        return cls(booking_id=booking_id, venue_id=venue.venue_id, space_id=space_id,
                   starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), title="x",
                   organiser_id=uuid4(), **more)

    async def booked() -> list[tuple[date, float, int]]:
        rows = []
        for month in (DECEMBER, date(2027, 1, 1)):
            found = await usecases.space_utilisation(
                w.uow, w.clock, PUBLIC, usecases.UtilisationQuery(from_=month,
                                                                  area="kuopio.jynkka"))
            rows += [(month, r.booked_hours, r.bookings) for r in found]
        return rows

    await w.handle(venue, booking(BookingConfirmed, START, 2))
    assert await booked() == [(DECEMBER, 2.0, 1), (date(2027, 1, 1), 0.0, 0)]
    await w.handle(booking(BookingMoved, moved_to, 3, previous_starts_at=START,
                           previous_ends_at=START + timedelta(hours=2)))
    assert await booked() == [(DECEMBER, 0.0, 0), (date(2027, 1, 1), 3.0, 1)]
    await w.handle(booking(BookingCancelled, moved_to, 3, reason="sairaus"))
    assert await booked() == [(DECEMBER, 0.0, 0), (date(2027, 1, 1), 0.0, 0)]


@pytest.mark.parametrize(("from_", "to", "field"), [
    (date(2026, 1, 1), date(2029, 1, 1), "to"),  # more than 24 months
    (date(2026, 2, 1), date(2026, 1, 1), "to"),
    (date(1, 1, 1), None, "from"),
    (date(9999, 12, 1), None, "from"),
])
async def test_utilisation_queries_are_bounded(from_: date, to: date | None, field: str) -> None:
    w = World()
    with pytest.raises(Invalid) as refused:
        await usecases.space_utilisation(w.uow, w.clock, PUBLIC, usecases.UtilisationQuery(
            from_=from_, to=to))
    assert refused.value.field == field


# --- populations ---------------------------------------------------------------------------


@pytest.mark.parametrize(("principal", "error"), [(PUBLIC, Unauthenticated),
                                                  (ORGANISER, Forbidden)])
async def test_only_analysts_set_populations(principal: Principal,
                                             error: type[Exception]) -> None:
    w = World()
    with pytest.raises(error):
        await usecases.set_population(w.uow, w.clock, principal,
                                      Population("kuopio.nilsia", 6000, 2025))
    with pytest.raises(error):
        await usecases.import_populations(w.uow, w.clock, principal,
                                          b"area,population,year\nkuopio.nilsia,6000,2025\n")
    assert w.store.areas["kuopio.nilsia"].population is None


async def test_an_analyst_sets_one_population_and_per_1000_follows() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id), attendance(event_id, 1, 12))
    area = await usecases.set_population(w.uow, w.clock, ANALYST,
                                         Population("kuopio.nilsia", 6000, 2025, sample=True))
    assert (area.population, area.population_year, area.population_is_sample) == (
        6000, 2025, True)
    nilsia = (await w.summary(area="kuopio.nilsia"))["kuopio.nilsia"]
    assert nilsia.per_1000["participants"] == 2.0 and nilsia.population_is_sample
    with pytest.raises(NotFound):
        await usecases.set_population(w.uow, w.clock, ANALYST,
                                      Population("kuopio.atlantis", 1, 2025))


@pytest.mark.parametrize(("row", "field"), [
    (Population("kuopio.nilsia", -1, 2025), "population"),
    (Population("kuopio.nilsia", 10_000_001, 2025), "population"),
    (Population("kuopio.nilsia", 1, 1), "year"),
    (Population("kuopio.nilsia", 1, 99999), "year"),
    (Population("kuopio.\x00", 1, 2025), "area"),
    (Population("kuopio.\ud800", 1, 2025), "area"),
])
async def test_population_values_are_bounded(row: Population, field: str) -> None:
    w = World()
    with pytest.raises(Invalid) as refused:
        await usecases.set_population(w.uow, w.clock, ANALYST, row)
    assert refused.value.field == field


async def test_a_population_csv_is_taken_whole() -> None:
    w = World()
    body = ("\ufeffarea,population,year,sample\nkuopio.nilsia,6000,2025,true\n\n"
            "kuopio.pyoro,12000,2025,\n").encode()
    assert await usecases.import_populations(w.uow, w.clock, ANALYST, body) == 2
    assert (w.store.areas["kuopio.nilsia"].population_is_sample,
            w.store.areas["kuopio.pyoro"].population) == (True, 12000)
    # Columns in any order, without the optional one.
    assert await usecases.import_populations(
        w.uow, w.clock, ANALYST, b"year,area,population\r\n2026,kuopio.pyoro,12100\r\n") == 1
    assert w.store.areas["kuopio.pyoro"].population == 12100


@pytest.mark.parametrize(("body", "says"), [
    (b"area,population\nkuopio.nilsia,6000\n", "columns"),
    (b"", "columns"),
    (b"area,population,year\nkuopio.nilsia,lots,2025\n", "line 2"),
    (b"area,population,year\nkuopio.nilsia,6000,2025\nkuopio.pyoro,1\n", "line 3"),
    (b"area,population,year\nkuopio.nilsia,6000,2025,extra\n", "line 2"),
    (b"area,population,year\nkuopio.nilsia,99999999999999999999999,2025\n", "line 2"),
    (b"area,population,year\nkuopio.nilsia,-5,2025\n", "line 2"),
    (b"area,population,year\nkuopio.nilsia,6000,1\n", "line 2"),
    (b"area,population,year\nkuopio.nilsia,6000,2025\nkuopio.nilsia,6001,2025\n", "line 3"),
    (b"area,population,year,sample\nkuopio.nilsia,6000,2025,maybe\n", "line 2"),
    (b"area,population,year\n,6000,2025\n", "line 2"),
    (b"area,population,year\nkuopio.nil\x00sia,6000,2025\n", "NUL"),
    (b"area,population,year\nkuopio.nilsi\xe4,6000,2025\n", "UTF-8"),
    (b"area,population,year\n\"kuopio.nilsia,6000,2025\n", "CSV"),
    (b"area,population,year\nkuopio.atlantis,1,2025\n", "kuopio.atlantis"),
    (b"area,area,population,year\nx,y,1,2025\n", "columns"),
])
async def test_a_malformed_population_csv_is_refused_naming_the_line(body: bytes,
                                                                      says: str) -> None:
    w = World()
    with pytest.raises(Invalid) as refused:
        await usecases.import_populations(w.uow, w.clock, ANALYST, body)
    assert refused.value.field == "csv" and says in refused.value.message
    assert all(a.population is None for a in w.store.areas.values())  # none of the rows


# --- the summary -----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "field"), [
    (SummaryQuery(topic="music", kind="open_guided"), "topic"),
    (SummaryQuery(topic="music", venue_id=uuid4()), "topic"),
    (SummaryQuery(topic="Music!"), "topic"),
    (SummaryQuery(from_=date(2027, 2, 1), to=date(2027, 1, 1)), "to"),
    (SummaryQuery(from_=date(2027, 1, 10), to=date(2027, 1, 20)), "to"),
    (SummaryQuery(from_=date(1, 1, 1)), "from"),
    (SummaryQuery(to=date(9999, 12, 31)), "to"),
    (SummaryQuery(area="kuopio.\x00"), "area"),
    (SummaryQuery(area="x" * 101), "area"),
    (SummaryQuery(kind="\ud800"), "kind"),
    (SummaryQuery(group="suburbs"), "group"),
])
async def test_summary_queries_are_checked(query: SummaryQuery, field: str) -> None:
    w = World()
    with pytest.raises(Invalid) as refused:
        await usecases.indicator_summary(w.uow, w.clock, PUBLIC, query)
    assert refused.value.field == field


async def test_summary_filters_by_month_topic_and_knows_its_areas() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id, topics=["music"]), attendance(event_id, 1, 12))
    january = await w.summary(area="kuopio.nilsia", from_=date(2027, 1, 1))
    assert january["kuopio.nilsia"].values["published_events"] == 0
    assert (await w.summary(area="kuopio.nilsia", from_=date(2026, 12, 31),
                            to=date(2027, 1, 1)))["kuopio.nilsia"].values["participants"] == 12
    # A topic the vocabulary told with nothing counted is zeros; one neither told nor
    # counted is refused (`test_filter_refusals`).
    await usecases.keep_vocabulary_term(w.uow, w.clock, VocabularyTermSet(
        scheme="topic", code="crafts", revision=1, label=LocalizedText(fi="Käsityöt")))
    for topic, expected in (("music", 12), ("crafts", 0)):
        assert (await w.summary(area="kuopio.nilsia", topic=topic)
                )["kuopio.nilsia"].values["participants"] == expected
    # Reach is counted per area, not per theme: with a topic it is not given (it was the
    # whole area's), nor the breakdowns; the organisers and the answers stay the area's.
    themed = await usecases.indicator_summary(w.uow, w.clock, PUBLIC, SummaryQuery(
        area="kuopio.nilsia", topic="music"))
    assert themed.unavailable == ("deliveries", "topics", "audiences", "reach")
    [nilsia] = themed.areas
    assert nilsia.values["deliveries"] is None and nilsia.values["organisers"] is not None
    assert nilsia.reach == {} and nilsia.topics == {}
    assert set(await w.summary(group="rural_north")) == {"kuopio.nilsia"}
    # A filter's unknown area is an input to mend (422 with the known ones); an address's
    # is no such thing (404).
    with pytest.raises(Invalid) as unknown:
        await w.summary(area="kuopio.nowhere")
    assert unknown.value.details["code"] == "unknown_area"
    assert "kuopio.nilsia" in unknown.value.details["known"]
    with pytest.raises(NotFound):
        await usecases.area_summary(w.uow, w.clock, PUBLIC, "kuopio.nowhere")
    # An area outside the city's list that activity was counted for is known to the summary.
    await w.handle(published(uuid4(), area="siilinjarvi.keskusta"))
    assert "siilinjarvi.keskusta" in await w.summary(area="siilinjarvi.keskusta")
    # So is it to its own address, as to the filter (it was a 404 there).
    assert (await usecases.area_summary(w.uow, w.clock, PUBLIC, "siilinjarvi.keskusta")
            ).area == "siilinjarvi.keskusta"
    # A venue no one told and no activity was counted at is a filter to mend, not zeros.
    with pytest.raises(Invalid) as no_venue:
        await usecases.indicator_summary(w.uow, w.clock, PUBLIC, SummaryQuery(
            venue_id=uuid4()))
    assert no_venue.value.details["code"] == "unknown_venue"
    with pytest.raises(Invalid):
        await usecases.space_utilisation(w.uow, w.clock, PUBLIC, usecases.UtilisationQuery(
            from_=date(2026, 1, 1), venue_id=uuid4()))
    assert (await usecases.area_summary(w.uow, w.clock, PUBLIC, "kuopio.nilsia")
            ).values["held_events"] == 1


# --- the feedback survey -------------------------------------------------------------------


def answer(event_id: UUID, browser: str, address: str = "192.0.2.7", satisfaction: int = 5,
           wellbeing: str = "yes", **more: Any) -> FeedbackAnswer:
    return FeedbackAnswer(event_id=event_id, satisfaction=satisfaction, wellbeing=wellbeing,
                          address=address, browser_token=browser, **more)


async def test_one_answer_per_browser_counts_for_the_activitys_cell() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id, start=START - timedelta(hours=3)))  # ended an hour ago
    give = usecases.give_feedback
    assert await give(w.uow, w.clock, PUBLIC, answer(event_id, "b1", comment="Ihana!"), POLICY)
    assert not await give(w.uow, w.clock, PUBLIC, answer(event_id, "b1", satisfaction=1),
                          POLICY)
    assert await give(w.uow, w.clock, PUBLIC,
                      answer(event_id, "b2", satisfaction=3, wellbeing="unsure"), POLICY)
    ((cell, counted),) = w.store.satisfaction.items()
    assert cell == Cell("kuopio.nilsia", DECEMBER, "open_guided", "")
    assert (counted.answers, counted.scores, counted.wellbeing_yes) == (2, [0, 0, 1, 0, 1], 1)
    nilsia = (await w.summary(area="kuopio.nilsia"))["kuopio.nilsia"]
    assert (nilsia.values["satisfaction_mean"], nilsia.values["wellbeing_share"]) == (4.0, 0.5)
    # No personal data: the address and the browser only as hashes.
    stored = w.store.answers[0]
    assert "192.0.2.7" not in (stored.sender, stored.browser) and stored.browser != "b1"
    assert stored.created_at == START


async def test_feedback_is_taken_from_the_activitys_end_until_its_window_closes() -> None:
    """Before: feedback was accepted for an activity still in the future (#14)."""
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id))  # starts now, ends in two hours
    with pytest.raises(Conflict, match="once the activity has ended"):
        await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, "b1"), POLICY)
    w.clock.set(START + timedelta(hours=2))
    assert await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, "b1"), POLICY)
    w.clock.set(START + timedelta(hours=2, days=POLICY.window_days, seconds=1))
    with pytest.raises(Conflict, match="until 14 days"):
        await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, "b2"), POLICY)
    assert len(w.store.answers) == 1


async def test_answers_from_one_address_are_limited_per_hour_by_the_clock() -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id, start=START - timedelta(hours=3)))
    for i in range(POLICY.hourly_limit):
        assert await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, f"b{i}"),
                                            POLICY)
        w.clock.advance(timedelta(minutes=1))
    with pytest.raises(TooManyRequests) as refused:
        await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, "next"), POLICY)
    # Told to come back when the first answer leaves the hour: 57 minutes from now.
    assert refused.value.retry_after == 57 * 60 + 1
    # Another address is not held back, and an hour after the first answer this one isn't.
    assert await usecases.give_feedback(w.uow, w.clock, PUBLIC,
                                        answer(event_id, "other", address="192.0.2.8"), POLICY)
    w.clock.set(START + timedelta(hours=1, seconds=1))
    assert await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, "next"),
                                        POLICY)
    assert w.uow.rollbacks == 1


async def test_an_ipv6_network_is_one_sender_of_answers() -> None:
    """A phone takes a new IPv6 address of its /64 as it likes: the ceiling counts the /64."""
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id, start=START - timedelta(hours=3)))
    for i in range(POLICY.hourly_limit):
        assert await usecases.give_feedback(
            w.uow, w.clock, PUBLIC, answer(event_id, f"b{i}", address=f"2001:db8:1:2::{i + 1}"),
            POLICY)
    with pytest.raises(TooManyRequests):
        await usecases.give_feedback(w.uow, w.clock, PUBLIC,
                                     answer(event_id, "n", address="2001:db8:1:2:ffff::9"), POLICY)
    assert await usecases.give_feedback(w.uow, w.clock, PUBLIC,
                                        answer(event_id, "m", address="2001:db8:1:3::9"), POLICY)


@pytest.mark.parametrize(("change", "field"), [
    ({"satisfaction": 0}, "satisfaction"), ({"satisfaction": 6}, "satisfaction"),
    ({"wellbeing": "maybe"}, "wellbeing"), ({"comment": "x" * 2001}, "comment"),
    ({"comment": "a\x00b"}, "comment"), ({"comment": "\udfff"}, "comment"),
    ({"language": "de"}, "lang"), ({"age_group": "old"}, "age_group"),
    ({"browser_token": ""}, "browser"),
])
async def test_an_answer_out_of_bounds_is_refused(change: dict[str, Any], field: str) -> None:
    w = World()
    event_id = uuid4()
    await w.handle(published(event_id))
    values: dict[str, Any] = {"event_id": event_id, "satisfaction": 4, "wellbeing": "no",
                              "browser_token": "b"} | change
    with pytest.raises(Invalid) as refused:
        await usecases.give_feedback(w.uow, w.clock, PUBLIC, FeedbackAnswer(**values), POLICY)
    assert refused.value.field == field and w.store.answers == []


async def test_no_feedback_on_unknown_or_cancelled_activity_and_short_links() -> None:
    w = World()
    # Fixed ids: a code of digits only would be its own upper case.
    held = UUID("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3")
    cancelled = UUID("fedcba98-7654-4321-8fed-cba987654321")
    await w.handle(published(held), published(cancelled),
                   published(cancelled, 2, cls=ActivityEventCancelled))
    for event_id in (cancelled, uuid4()):
        with pytest.raises(NotFound):
            await usecases.feedback_target(w.uow, w.clock, PUBLIC, event_id)
        with pytest.raises(NotFound):
            await usecases.give_feedback(w.uow, w.clock, PUBLIC, answer(event_id, "b"), POLICY)
    assert (await usecases.feedback_target(w.uow, w.clock, PUBLIC, held)).status == "published"
    code = domain.short_code(held)
    assert await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, code) == held
    # A code typed off a poster in capitals is the same code (test_survey_and_answers).
    assert await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, code.upper()) == held
    for bad in ("0" * 10, code[:9], "x\x00" * 5, "g" * 10):
        with pytest.raises(NotFound):
            await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, bad)


# --- the month-closing job and the yearly report ----------------------------------------


async def test_ended_months_close_once_and_a_late_correction_is_a_new_revision() -> None:
    w = World(now=datetime(2027, 1, 3, tzinfo=UTC))  # December: not yet a week behind
    event_id = uuid4()
    await w.handle(published(event_id, area="kuopio.pyoro"), attendance(event_id, 1, 10))
    close = usecases.close_periods
    assert await close(w.uow, w.clock, PUBLIC, 7) == 0
    w.clock.set(datetime(2027, 1, 8, 0, 30, tzinfo=UTC))  # 8 January in Helsinki
    assert await close(w.uow, w.clock, PUBLIC, 7) == 1
    assert await close(w.uow, w.clock, PUBLIC, 7) == 0  # nothing changed
    await w.handle(attendance(event_id, 2, 16))
    w.clock.advance(timedelta(days=1))
    assert await close(w.uow, w.clock, PUBLIC, 7) == 1
    closed = [e for e in w.uow.published if isinstance(e, MetricsPeriodClosed)]
    assert [(e.month, e.revision, [a.area for a in e.areas],
             e.areas[0].values["participants"]) for e in closed] == [
        (DECEMBER, 1, ["kuopio.pyoro"], 10), (DECEMBER, 2, ["kuopio.pyoro"], 16)]
    assert w.store.closed[DECEMBER][::2] == (2, w.clock.now())


async def test_the_yearly_report_is_this_years_in_helsinki_unless_asked() -> None:
    w = World(now=datetime(2026, 12, 31, 22, 30, tzinfo=UTC))  # 00:30 on 1 January
    await w.handle(published(uuid4(), start=datetime(2027, 3, 1, 10, tzinfo=UTC)))
    report = await usecases.yearly_report(w.uow, w.clock, PUBLIC)
    assert report.year == 2027 and [m.month for m in report.months] == [date(2027, 3, 1)]
    assert report.summary.from_month == date(2027, 1, 1)
    assert (await usecases.yearly_report(w.uow, w.clock, PUBLIC, 2026)).months == []
    for year in (1, 1999, 2101, 99999, 2**70):
        with pytest.raises(Invalid) as refused:
            await usecases.yearly_report(w.uow, w.clock, PUBLIC, year)
        assert refused.value.field == "year"


async def test_a_failing_use_case_publishes_nothing() -> None:
    w = World(now=datetime(2027, 3, 1, tzinfo=UTC))
    await w.handle(published(uuid4()))

    async def broken(*_: Any) -> None:
        raise RuntimeError("the database went away")

    w.store.save_closed_period = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await usecases.close_periods(w.uow, w.clock, PUBLIC, 7)
    assert w.uow.published == [] and w.uow.rollbacks == 1
