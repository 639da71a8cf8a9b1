"""Every operation of the metrics service, whoever triggers it: a consumed event, a request,
the survey page, the month-closing job. Each runs in one unit of work (`async with uow:`
once): its reads, its writes and what it publishes commit together or not at all. "Now"
comes from the clock. The HTTP routes, the Kafka handlers, the pages and the jobs only call
these, so a rule holds on every way in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from services.metrics import domain
from services.metrics.domain import (
    Area,
    BookedSpan,
    FactRevision,
    FeedbackAnswer,
    FeedbackPolicy,
    Population,
    SpaceUtilisation,
    Summary,
    SummaryQuery,
    Venue,
    YearReport,
)
from services.metrics.store import MetricsStore
from shared.clock import Clock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    AreaIndicatorValues,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingMoved,
    BookingNoShow,
    BookingRejected,
    MetricsPeriodClosed,
    NotificationDelivered,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.errors import Conflict, Invalid, NotFound
from shared.identity import Principal, require
from shared.uow import PgUnitOfWork, UnitOfWork

if TYPE_CHECKING:  # for typing only: use cases run no SQL of their own
    import asyncpg

Uow = UnitOfWork[MetricsStore]


def unit_of_work(pool: asyncpg.Pool) -> PgUnitOfWork[MetricsStore]:
    """A unit of work on a connection of `pool`: what requests, pages and jobs run in."""
    return PgUnitOfWork(pool, MetricsStore)

# --- consumed events (the Kafka handlers call these in the consumer's transaction) --------


async def record_activity_event(uow: Uow, clock: Clock, event: ActivityEventChange) -> None:
    """Replace the event's fact with this revision if it is newer, and move the aggregates
    by the difference: a republished event is counted once, a stale revision changes nothing.
    Three statements: the event's lock, the fact's save (returning what was there before),
    and the aggregates' change, which PostgreSQL applies at COMMIT (store.apply_delta)."""
    status = ("cancelled" if isinstance(event, ActivityEventCancelled) else
              "postponed" if isinstance(event, ActivityEventPostponed) else "published")
    async with uow:
        await uow.store.lock_activity_event(event.event_id)
        saved = await uow.store.save_fact_if_newer(FactRevision(
            activity_event_id=event.event_id, revision=event.revision, status=status,
            area=event.area, venue_id=event.venue_id, kind=event.kind,
            starts_at=event.starts_at, ends_at=event.ends_at, booking_id=event.booking_id,
            organiser_id=event.organiser_id, topics=tuple(event.topics),
            audiences=tuple(event.audiences), all_day=event.all_day))
        if saved.after is None:  # the stored revision is as new or newer
            return
        # What the feedback survey names the activity by.
        await uow.store.save_title(event.event_id, event.name.model_dump(exclude_none=True))
        await uow.store.apply_delta(domain.delta(saved.before, saved.after))
        # Its reach goes where the activity now is: another month or area, or where its
        # deliveries were noted before the activity itself arrived.
        cell, was = domain.cell_of(saved.after), saved.before and domain.cell_of(saved.before)
        if not was or (was.area, was.month) != (cell.area, cell.month):
            await uow.store.place_reach(event.event_id, cell.area, cell.month)


async def record_attendance(uow: Uow, clock: Clock, event: AttendanceReported) -> None:
    """The newest report counts; the fact moves from planned to held, in its own month. A
    report that comes before its activity event counts once the event arrives."""
    async with uow:
        await uow.store.lock_activity_event(event.event_id)
        saved = await uow.store.save_attendance_if_newer(
            event.event_id, event.report_revision, event.participants, event.visitors)
        if saved.after is None:
            return
        await uow.store.apply_delta(domain.delta(saved.before, saved.after))


async def record_venue(uow: Uow, clock: Clock, event: VenueRegistered | VenueUpdated) -> None:
    """A venue's area, spaces and opening hours (its newest revision)."""
    async with uow:
        await uow.store.upsert_venue(Venue(
            venue_id=event.venue_id, area=event.area, kind=event.kind, revision=event.revision,
            spaces=[s.model_dump(mode="json") for s in event.spaces],
            opening_hours=[h.model_dump(mode="json") for h in event.opening_hours],
            exceptions=[e.model_dump(mode="json") for e in event.exceptions],
            name=event.name.model_dump(exclude_none=True)))


async def keep_vocabulary_term(uow: Uow, clock: Clock, event: VocabularyTermSet) -> None:
    """The events service told a term's words (or retired or restored it): kept when its
    revision is newer than the one kept, so a late or repeated copy changes nothing (the
    store's upsert decides)."""
    async with uow:
        await uow.store.save_vocabulary_term(domain.VocabularyTerm(
            scheme=event.scheme, code=event.code,
            label=event.label.model_dump(exclude_none=True), retired=event.retired),
            event.revision)


BookingEvent = (BookingConfirmed | BookingMoved | BookingCancelled | BookingRejected
                | BookingNoShow)


async def record_booking(uow: Uow, clock: Clock, event: BookingEvent) -> None:
    """Booked hours for space utilisation (no personal data: ids and times only)."""
    kind = ("confirmed" if isinstance(event, BookingConfirmed) else
            "moved" if isinstance(event, BookingMoved) else "released")
    span = BookedSpan(space_id=event.space_id, venue_id=event.venue_id,
                      starts_at=event.starts_at, ends_at=event.ends_at)
    async with uow:
        change = domain.booking_change(await uow.store.booking_fact(event.booking_id), kind,
                                       span)
        if change.status is None or change.span is None:
            return
        await uow.store.save_booking(booking_id=event.booking_id, status=change.status,
                                     span=change.span)
        for counted, sign in change.counted:
            await uow.store.add_booked(
                space_id=counted.space_id, month=domain.month_of(counted.starts_at),
                venue_id=counted.venue_id,
                booked_hours=sign * domain.hours(counted.starts_at, counted.ends_at),
                bookings=sign)


async def record_delivery(uow: Uow, clock: Clock, event: NotificationDelivered) -> bool:
    """Note each delivery once; reach counts the activity once per channel target, in the
    area and month the activity has now (its fact's, else the delivery's own, or its
    venue's area), and a cancellation notice counts no reach. Under the activity's lock, as
    its fact's changes are: another topic's consumer moving the activity meanwhile would
    otherwise not see this reach, nor this one the move."""
    async with uow:
        await uow.store.lock_activity_event(event.activity_event_id)
        fact = await uow.store.get_fact(event.activity_event_id)
        if fact is not None:
            area, month = fact.area, domain.month_of(fact.starts_at)
        else:
            area, month = event.area, domain.month_of(event.starts_at)
            if area is None and event.venue_id is not None:
                area = await uow.store.venue_area(event.venue_id)
        return await uow.store.record_delivery(
            delivery_id=event.delivery_id, activity_event_id=event.activity_event_id,
            channel=event.channel, target=event.target,
            reaches=domain.is_reach(event.purpose), area=area or domain.UNKNOWN_AREA,
            month=month)


# --- areas and populations -----------------------------------------------------------------


async def list_areas(uow: Uow, clock: Clock, principal: Principal) -> list[Area]:
    """The areas, each with its latest population of this year or before (one stored for a
    later year before that was refused is a forecast, not shown as the area's)."""
    async with uow:
        return await uow.store.list_areas(domain.year_of(clock.now()))


async def set_population(uow: Uow, clock: Clock, principal: Principal,
                         command: Population) -> Area:
    """An analyst sets one area's population (of a year; `sample` flags a placeholder), of
    this year at the latest (`domain.check_population`)."""
    require(principal, "analyst")
    this_year = domain.year_of(clock.now())
    domain.check_population(command, this_year)
    async with uow:
        area = await uow.store.set_population(command, this_year)
    if area is None:
        raise NotFound("no such area", area=command.area)
    return area


async def import_populations(uow: Uow, clock: Clock, principal: Principal,
                             csv_body: bytes) -> int:
    """CSV with the header `area,population,year[,sample]`; all rows or none are taken."""
    require(principal, "analyst")
    this_year = domain.year_of(clock.now())
    rows = domain.parse_populations_csv(csv_body, this_year)
    async with uow:
        known = {a.code for a in await uow.store.list_areas(this_year)}
        unknown = sorted({r.area for r in rows} - known)
        if unknown:
            raise Invalid(f"unknown areas: {', '.join(unknown)[:200]}", field="csv",
                          code="csv_unknown_areas", value=", ".join(unknown)[:200])
        await uow.store.set_populations(rows)
    return len(rows)


# --- indicators ----------------------------------------------------------------------------


async def _summary(store: MetricsStore, query: SummaryQuery, now: datetime) -> Summary:
    start, end = domain.check_summary_query(query)
    if query.area is not None:
        domain.check_area_known(query.area, await store.known_areas(query.area))
        if query.group is not None:
            domain.check_area_in_group(query.area, query.group,
                                       await store.area_group_of(query.area))
    if query.venue_id is not None:
        domain.check_venue_known(query.venue_id, await store.venue_is_known(query.venue_id))
    # Here, so the API, its CSVs and the dashboard refuse an unknown kind or topic alike.
    if query.kind is not None:
        domain.check_term_known("kind", query.kind,
                                await store.term_is_known("kind", query.kind))
    if query.topic is not None:
        domain.check_term_known("topic", query.topic,
                                await store.term_is_known("topic", query.topic))
    # The period's year flags an earlier year's population; a later one than this year's is
    # never taken.
    year, latest = domain.population_years(end, now)
    unavailable = domain.unavailable_figures(query)
    rows = await store.summary(area=query.area, group=query.group, start=start, end=end,
                               kind=query.kind,
                               venue=str(query.venue_id) if query.venue_id else None,
                               topic=query.topic, population_year=latest)
    topics, audiences, reach = [
        {} if name in unavailable else await store.breakdown(name, start=start, end=end)
        for name in ("topics", "audiences", "reach")]
    totals: list[domain.Total] = []
    if query.area is None:  # one area has no group's or city's figures to add
        organisers = ({} if "organisers" in unavailable
                      else await store.organisers_together(start=start, end=end))
        totals = domain.totals(rows, organisers, topics, audiences, reach,
                               whole_city=query.group is None, population_year=year,
                               unavailable=unavailable)
    return Summary(from_month=start, to_month=end, kind=query.kind, venue_id=query.venue_id,
                   topic=query.topic,
                   areas=[domain.area_indicators(r, topics, audiences, reach,
                                                 population_year=year,
                                                 unavailable=unavailable) for r in rows],
                   unavailable=unavailable, totals=totals)


async def indicator_summary(uow: Uow, clock: Clock, principal: Principal,
                            query: SummaryQuery) -> Summary:
    """Every indicator per area for whole months from `from` up to, not including, `to`.
    With a topic, the activity figures are those of that theme's events (organisers and
    satisfaction stay the area's; the reach and the breakdowns, counted per area only, are
    left out and named in `unavailable`). With a kind or venue, the figures counted per area
    only (organisers, deliveries, topics, audiences, reach) are left out and named in
    `unavailable`. Per-resident figures use the population of the range's last year (without
    an end, this year's), or the latest earlier year's (flagged), never a later year's than
    this one. A kind or topic the events service never told and no activity was counted for
    is refused (`unknown_kind`, `unknown_topic`), as the dashboard refuses it."""
    async with uow:
        return await _summary(uow.store, query, clock.now())


async def area_summary(uow: Uow, clock: Clock, principal: Principal,
                       code: str) -> domain.AreaIndicators:
    """One area, over all time: one of the city's or one activity was counted for, as the
    summary's filter knows them (`known_areas`); another is no such area (404)."""
    domain.check_text(code, "code", max_length=domain.MAX_AREA_CODE)
    async with uow:
        if await uow.store.known_areas(code) is not None:
            raise NotFound("no such area", area=code)
        return (await _summary(uow.store, SummaryQuery(area=code), clock.now())).areas[0]


@dataclass(frozen=True)
class UtilisationQuery:
    from_: date
    to: date | None = None
    area: str | None = None
    venue_id: UUID | None = None


async def space_utilisation(uow: Uow, clock: Clock, principal: Principal,
                            query: UtilisationQuery) -> list[SpaceUtilisation]:
    """Booked hours ÷ open hours per space over whole months from `from` up to `to`
    (default: one month)."""
    months = domain.utilisation_months(query.from_, query.to)
    if query.area is not None:
        domain.check_text(query.area, "area", max_length=domain.MAX_AREA_CODE)
    async with uow:
        if query.area is not None:
            domain.check_area_known(query.area, await uow.store.known_areas(query.area))
        if query.venue_id is not None:
            domain.check_venue_known(query.venue_id,
                                     await uow.store.venue_is_known(query.venue_id))
        venues, booked = await uow.store.utilisation_rows(
            area=query.area, venue_id=query.venue_id, start=months[0],
            end=domain.next_month(months[-1]))
    return domain.utilisation_of(venues, booked, months)


def _answers_query(principal: Principal, area: str | None, from_: date | None,
                   to: date | None, limit: int, offset: int) -> tuple[date | None, date | None]:
    """Who may read the answers and which filters they take: the months they cover."""
    require(principal, "analyst")
    start, end = domain.month_range(from_, to)
    if area is not None:
        domain.check_text(area, "area", max_length=domain.MAX_AREA_CODE)
    if not 1 <= limit <= domain.FEEDBACK_PAGE:
        raise Invalid(f"limit is 1–{domain.FEEDBACK_PAGE}", field="limit",
                      code="greater_than_equal", ge=1, le=domain.FEEDBACK_PAGE)
    if offset < 0:
        raise Invalid("offset is 0 or more", field="offset", code="greater_than_equal", ge=0)
    return start, end


async def feedback_answers(uow: Uow, clock: Clock, principal: Principal, *,
                           area: str | None, from_: date | None, to: date | None,
                           limit: int, offset: int) -> list[domain.FeedbackRow]:
    """The survey's answers, comments and age groups included, for analysts: a comment is
    a resident's free text and may name people, so it is not public as the indicators are."""
    start, end = _answers_query(principal, area, from_, to, limit, offset)
    async with uow:
        if area is not None:
            domain.check_area_known(area, await uow.store.known_areas(area))
        return await uow.store.feedback_answers(area=area, start=start, end=end, limit=limit,
                                                offset=offset)


async def feedback_answers_counted(uow: Uow, clock: Clock, principal: Principal, *,
                                   area: str | None, from_: date | None, to: date | None,
                                   limit: int, offset: int) -> domain.FeedbackAnswers:
    """`feedback_answers` with how many answers the filters match in all (the analysts'
    page: which answers of how many it shows, and its next page)."""
    start, end = _answers_query(principal, area, from_, to, limit, offset)
    async with uow:
        if area is not None:
            domain.check_area_known(area, await uow.store.known_areas(area))
        rows = await uow.store.feedback_answers(area=area, start=start, end=end, limit=limit,
                                                offset=offset)
        total = await uow.store.feedback_answer_count(area=area, start=start, end=end)
    return domain.FeedbackAnswers(rows=rows, total=total)


async def yearly_report(uow: Uow, clock: Clock, principal: Principal,
                        year: int | None = None) -> YearReport:
    """The dashboard's and the yearly report's numbers: the year's summary per area and the
    city's months (this year by the clock when none is asked)."""
    year = domain.year_of(clock.now()) if year is None else year
    start, end = domain.check_year(year)
    async with uow:
        summary = await _summary(uow.store, SummaryQuery(from_=start, to=end), clock.now())
        months = await uow.store.monthly(start, end)
    return YearReport(year=year, summary=summary, months=months)


async def dashboard(uow: Uow, clock: Clock, principal: Principal, query: SummaryQuery,
                    year: int | None = None) -> domain.Dashboard:
    """The dashboard of a filter: the summary `indicator_summary` gives for it (the same
    figures as the API and its CSVs), the same filter's months, and the areas, venues,
    kinds and topics its form offers with the vocabulary's words for them. The range is a
    calendar year (`year`, else this one by the clock) unless `from`/`to` give one. An
    area, venue, kind or topic the metrics do not know is refused as an input of the form
    (`Invalid`, a 422 naming it; the area, kind and topic by `_summary`, as the API refuses
    them)."""
    start, end = domain.dashboard_range(year, query.from_, query.to, clock.now())
    query = replace(query, from_=start, to=end)
    months = domain.check_summary_query(query)
    async with uow:
        venues = await uow.store.venue_choices()
        terms = await uow.store.vocabulary_terms()
        topics = await uow.store.activity_topics()
        kinds = await uow.store.activity_kinds()
        summary = await _summary(uow.store, query, clock.now())
        assert months[0] is not None and months[1] is not None  # a range is always given
        monthly = await uow.store.monthly(
            months[0], months[1], area=query.area, group=query.group, kind=query.kind,
            venue=str(query.venue_id) if query.venue_id else None, topic=query.topic)
        return domain.Dashboard(
            query=query, summary=summary, months=monthly,
            areas=await uow.store.list_areas(domain.year_of(clock.now())),
            venues=venues, terms=terms,
            kinds=domain.offered_terms(kinds, terms.get("kind", {}), query.kind),
            topics=domain.offered_terms(topics, terms.get("topic", {}), query.topic))


# --- the month-closing job -----------------------------------------------------------------


async def close_periods(uow: Uow, clock: Clock, principal: Principal,
                        close_after_days: int = 7) -> int:
    """Publish each ended month's indicators once as `metrics.period_closed`, and again as a
    new revision whenever a late report changed them. Returns how many were published. A
    lock per month makes one replica publish each revision."""
    published = 0
    async with uow:
        months = domain.closable_months(await uow.store.activity_months(), clock.now(),
                                        close_after_days)
        for month in months:
            await uow.store.lock_period(month)
            summary = await _summary(uow.store, SummaryQuery(
                from_=month, to=domain.next_month(month)), clock.now())
            stored = await uow.store.closed_period(month)
            # A closed month keeps the populations it was first published with.
            indicators = (summary.areas if stored is None else
                          domain.with_denominators(summary.areas, stored.populations))
            areas = [AreaIndicatorValues(area=a.area, population=a.population,
                                         values=a.values, per_1000=a.per_1000)
                     for a in indicators if any(v for v in a.values.values())]
            fingerprint = domain.fingerprint([a.model_dump(mode="json") for a in areas])
            if stored is not None and stored.fingerprint == fingerprint:
                continue
            revision = 1 if stored is None else stored.revision + 1
            await uow.store.save_closed_period(month, revision, fingerprint, clock.now(),
                                               domain.denominators(summary.areas))
            await uow.publish(MetricsPeriodClosed(month=month, revision=revision, areas=areas))
            published += 1
    return published


# --- the feedback survey -------------------------------------------------------------------


async def feedback_target(uow: Uow, clock: Clock, principal: Principal,
                          event_id: UUID) -> domain.Fact:
    """The activity a survey is for: one the metrics know of, not cancelled."""
    return (await feedback_survey(uow, clock, principal, event_id)).fact


@dataclass(frozen=True)
class Survey:
    fact: domain.Fact
    #: The activity's name in fi/sv/en (empty when the metrics have not heard it yet).
    name: dict[str, Any]
    #: None while answers are taken now; "early" before the activity ends, "closed" after
    #: the window (`domain.feedback_window`): the form is offered only when it is None.
    window: str | None = None


async def feedback_survey(uow: Uow, clock: Clock, principal: Principal,
                          event_id: UUID, window_days: int = 14) -> Survey:
    """The survey of an activity: which one it is (its fact and name), if it takes answers,
    and whether it takes them now (answers given before the end would be refused: a
    resident is not offered a form whose answers would be lost)."""
    async with uow:
        fact = await uow.store.get_fact(event_id)
        name = await uow.store.title_of(event_id) if fact is not None else None
    if fact is None or not domain.can_take_feedback(fact):
        raise NotFound("no such activity to give feedback on", event_id=str(event_id))
    return Survey(fact=fact, name=name or {},
                  window=domain.feedback_window(fact, clock.now(), window_days))


async def resolve_short_code(uow: Uow, clock: Clock, principal: Principal,
                             code: str) -> UUID:
    code = domain.read_short_code(code)
    if not domain.is_short_code(code):
        raise NotFound("no such feedback link")
    async with uow:
        event_id = await uow.store.event_by_short_code(code)
    if event_id is None:
        raise NotFound("no such feedback link")
    return event_id


async def give_feedback(uow: Uow, clock: Clock, principal: Principal,
                        answer: FeedbackAnswer, policy: FeedbackPolicy) -> bool:
    """Take one answer per browser per activity, at most `policy.hourly_limit` an hour from
    one address; the answer counts for the activity's area, month, kind and venue. Returns
    False when this browser already answered for this activity. No personal data is kept:
    the address and the browser only as hashes."""
    domain.check_answer(answer)
    sender = domain.sender_of(policy, answer.address)
    browser = domain.browser_of(answer.browser_token)
    now = clock.now()
    async with uow:
        fact = await uow.store.get_fact(answer.event_id)
        if fact is None or not domain.can_take_feedback(fact):
            raise NotFound("no such activity to give feedback on",
                           event_id=str(answer.event_id))
        window = domain.feedback_window(fact, now, policy.window_days)
        if window == "early":
            raise Conflict("feedback is taken once the activity has ended", window=window)
        if window == "closed":
            raise Conflict(f"feedback was taken until {policy.window_days} days after the"
                           " activity", window=window)
        answered = await uow.store.answers_since(sender, now - policy.per, policy.hourly_limit)
        answered.check(policy.per, now, "too many answers from this network; try again later")
        inserted = await uow.store.add_answer(
            answer_id=uuid4(), event_id=answer.event_id, satisfaction=answer.satisfaction,
            wellbeing=answer.wellbeing, comment=answer.comment, language=answer.language,
            age_group=answer.age_group, browser=browser, sender=sender, created_at=now)
        if inserted:
            await uow.store.add_satisfaction(domain.cell_of(fact), answer.satisfaction,
                                             answer.wellbeing == "yes")
    return inserted
