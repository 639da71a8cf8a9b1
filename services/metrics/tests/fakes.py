"""An in-memory MetricsStore for use-case tests: the same methods, no database. It keeps the
same projections (facts, cubes, reach, satisfaction) in dictionaries, simply enough to be
obviously right, so a use case's rules can be tested without I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from services.metrics.domain import (
    MUNICIPALITY,
    Area,
    BookedHours,
    BookedSpan,
    Cell,
    ClosedPeriod,
    Counts,
    Delta,
    Fact,
    FactRevision,
    MonthTotals,
    Population,
    Saved,
    SummaryRow,
    Venue,
    VenueChoice,
    VenueHours,
    VocabularyTerm,
)
from services.metrics.store import MetricsStore
from shared.ceilings import Counted

KUOPIO = (("kuopio.keskusta", "city"), ("kuopio.jynkka", "city"), ("kuopio.pyoro", "city"),
          ("kuopio.nilsia", "rural_north"), ("kuopio.riistavesi", "rural_south"))


@dataclass
class Answer:
    event_id: UUID
    satisfaction: int
    wellbeing: str
    comment: str
    language: str
    age_group: str
    browser: str
    sender: str
    created_at: datetime


@dataclass
class Satisfaction:
    answers: int = 0
    scores: list[int] = field(default_factory=lambda: [0] * 5)
    wellbeing_yes: int = 0


def _within(month: date, start: date | None, end: date | None) -> bool:
    return (start is None or month >= start) and (end is None or month < end)


class FakeMetricsStore(MetricsStore):
    def __init__(self) -> None:  # no connection
        self.areas: dict[str, Area] = {
            code: Area(code, {"fi": code.split(".")[1].capitalize()}, group, None, None, False)
            for code, group in KUOPIO}
        self.facts: dict[UUID, tuple[int, FactRevision]] = {}
        self.attendance: dict[UUID, tuple[int, int, int]] = {}
        self.titles: dict[UUID, dict[str, Any]] = {}
        self.locked: list[UUID] = []
        self.cells: dict[Cell, Counts] = {}
        self.topic_activity: dict[tuple[str, date, str], Counts] = {}
        self.organisers: dict[tuple[str, date, UUID], int] = {}
        self.topics: dict[tuple[str, date, str], int] = {}
        self.audiences: dict[tuple[str, date, str], int] = {}
        self.venues: dict[UUID, Venue] = {}
        self.bookings: dict[UUID, tuple[str, BookedSpan]] = {}
        self.booked: dict[tuple[UUID, date], tuple[UUID, Decimal, int]] = {}
        self.deliveries: set[UUID] = set()
        self.reach: dict[tuple[str, date, str], int] = {}
        #: The activity's reach per (activity, channel, target): where it is counted.
        self.reached: dict[tuple[UUID, str, str], tuple[str, date]] = {}
        self.answers: list[Answer] = []
        self.satisfaction: dict[Cell, Satisfaction] = {}
        self.closed: dict[date, tuple[int, str, datetime, dict[str, int | None]]] = {}
        #: (area, year): (population, sample); `areas` shows each area's latest.
        self.populations: dict[tuple[str, int], tuple[int, bool]] = {}
        #: (scheme, code): (revision, term), as the events service told them.
        self.terms: dict[tuple[str, str], tuple[int, VocabularyTerm]] = {}

    # --- facts ---------------------------------------------------------------------------

    def _fact(self, event_id: UUID, attendance: tuple[int, int, int] | None = None,
              *, stored: FactRevision | None = None) -> Fact | None:
        revision = stored or (self.facts[event_id][1] if event_id in self.facts else None)
        if revision is None:
            return None
        att = attendance if attendance is not None else self.attendance.get(event_id)
        area = revision.area
        if area is None and revision.venue_id in self.venues:
            area = self.venues[revision.venue_id].area  # type: ignore[index]
        return Fact(status=revision.status, area=area, starts_at=revision.starts_at,
                    ends_at=revision.ends_at, kind=revision.kind, venue_id=revision.venue_id,
                    organiser_id=revision.organiser_id, topics=revision.topics,
                    audiences=revision.audiences, participants=att[1] if att else None,
                    visitors=att[2] if att else None, all_day=revision.all_day)

    async def lock_activity_event(self, event_id: UUID) -> None:
        self.locked.append(event_id)

    async def save_fact_if_newer(self, fact: FactRevision) -> Saved:
        before = self._fact(fact.activity_event_id)
        stored = self.facts.get(fact.activity_event_id)
        if stored is not None and stored[0] >= fact.revision:
            return Saved(before, None)
        if fact.area is None and fact.venue_id in self.venues:
            fact = replace(fact, area=self.venues[fact.venue_id].area)  # type: ignore[index]
        self.facts[fact.activity_event_id] = (fact.revision, fact)
        return Saved(before, self._fact(fact.activity_event_id))

    async def save_attendance_if_newer(self, event_id: UUID, revision: int,
                                       participants: int, visitors: int) -> Saved:
        before = self._fact(event_id)
        stored = self.attendance.get(event_id)
        if stored is not None and stored[0] >= revision:
            return Saved(before, None)
        self.attendance[event_id] = (revision, participants, visitors)
        return Saved(before, self._fact(event_id) if before is not None else None)

    async def apply_delta(self, change: Delta) -> None:
        for cell, counts in change.activity.items():
            self.cells[cell] = self.cells.get(cell, Counts()) + counts
        for key, counts in change.topic_activity.items():
            self.topic_activity[key] = self.topic_activity.get(key, Counts()) + counts
        for table, moved in ((self.organisers, change.organisers), (self.topics, change.topics),
                             (self.audiences, change.audiences)):
            for k, n in moved.items():
                table[k] = table.get(k, 0) + n  # type: ignore[index, call-overload]

    async def get_fact(self, event_id: UUID) -> Fact | None:
        fact = self._fact(event_id)
        return replace(fact, participants=None, visitors=None) if fact else None

    async def event_by_short_code(self, code: str) -> UUID | None:
        return next((e for e in self.facts if e.hex.startswith(code)), None)

    # --- venues, bookings, deliveries ----------------------------------------------------

    async def upsert_venue(self, venue: Venue) -> None:
        stored = self.venues.get(venue.venue_id)
        if stored is None or stored.revision < venue.revision:
            self.venues[venue.venue_id] = venue

    async def venue_choices(self) -> list[VenueChoice]:
        known = [VenueChoice(v.venue_id, v.area, v.name) for v in self.venues.values()]
        counted = {(UUID(c.venue), c.area) for c in self.cells
                   if c.venue and UUID(c.venue) not in self.venues}
        return known + [VenueChoice(v, area, {}) for v, area in sorted(counted)]

    async def venue_is_known(self, venue_id: UUID) -> bool:
        return any(v.venue_id == venue_id for v in await self.venue_choices())

    async def activity_kinds(self) -> list[str]:
        return sorted({c.kind for c in self.cells})

    async def activity_topics(self) -> list[str]:
        return sorted({t for _, _, t in self.topic_activity})

    async def save_vocabulary_term(self, term: VocabularyTerm, revision: int) -> bool:
        kept = self.terms.get((term.scheme, term.code))
        if kept is not None and kept[0] >= revision:
            return False
        self.terms[(term.scheme, term.code)] = (revision, term)
        return True

    async def term_is_known(self, scheme: str, code: str) -> bool:
        counted = await (self.activity_kinds() if scheme == "kind" else self.activity_topics())
        return (scheme, code) in self.terms or code in counted

    async def vocabulary_terms(self) -> dict[str, dict[str, VocabularyTerm]]:
        found: dict[str, dict[str, VocabularyTerm]] = {}
        for (scheme, code), (_, term) in self.terms.items():
            found.setdefault(scheme, {})[code] = term
        return found

    async def venue_area(self, venue_id: UUID) -> str | None:
        venue = self.venues.get(venue_id)
        return venue.area if venue else None

    async def booking_fact(self, booking_id: UUID) -> tuple[str, BookedSpan] | None:
        return self.bookings.get(booking_id)

    async def save_booking(self, *, booking_id: UUID, status: str, span: BookedSpan) -> None:
        self.bookings[booking_id] = (status, span)

    async def add_booked(self, *, space_id: UUID, month: date, venue_id: UUID,
                         booked_hours: Decimal, bookings: int) -> None:
        _, hours, count = self.booked.get((space_id, month), (venue_id, Decimal(0), 0))
        self.booked[(space_id, month)] = (venue_id, hours + booked_hours, count + bookings)

    async def record_delivery(self, *, delivery_id: UUID, activity_event_id: UUID,
                              channel: str, target: str | None, reaches: bool, area: str,
                              month: date) -> bool:
        if delivery_id in self.deliveries:
            return False
        self.deliveries.add(delivery_id)
        key = (activity_event_id, channel, target or str(delivery_id))
        if reaches and key not in self.reached:
            self.reached[key] = (area, month)
            self.reach[(area, month, channel)] = self.reach.get((area, month, channel), 0) + 1
        return True

    async def place_reach(self, activity_event_id: UUID, area: str, month: date) -> int:
        moved = 0
        for (event_id, channel, target), (old_area, old_month) in list(self.reached.items()):
            if event_id == activity_event_id and (old_area, old_month) != (area, month):
                self.reach[(old_area, old_month, channel)] -= 1
                self.reach[(area, month, channel)] = self.reach.get((area, month, channel),
                                                                    0) + 1
                self.reached[(event_id, channel, target)] = (area, month)
                moved += 1
        return moved

    # --- areas ---------------------------------------------------------------------------

    async def list_areas(self, latest_year: int) -> list[Area]:
        return sorted((self._as_of(a, latest_year) for a in self.areas.values()),
                      key=lambda a: (a.area_group, a.code))

    async def get_area(self, code: str, latest_year: int) -> Area | None:
        area = self.areas.get(code)
        return self._as_of(area, latest_year) if area is not None else None

    def _as_of(self, area: Area, latest_year: int) -> Area:
        """The area with its latest population of a year up to `latest_year`."""
        pop = self._population(area.code, latest_year)
        return replace(area, population=pop[0] if pop else None,
                       population_year=pop[1] if pop else None,
                       population_is_sample=pop[2] if pop else False)

    async def known_areas(self, code: str) -> list[str] | None:
        known = set(self.areas) | {c.area for c in self.cells}
        return None if code in known else sorted(known)

    async def area_group_of(self, code: str) -> str | None:
        known = self.areas.get(code)
        return known.area_group if known else None

    async def set_population(self, row: Population, latest_year: int = 9999) -> Area | None:
        if row.area not in self.areas:
            return None
        self.populations[(row.area, row.year)] = (row.population, row.sample)
        latest = self._population(row.area, None)
        assert latest is not None
        self.areas[row.area] = replace(self.areas[row.area], population=latest[0],
                                       population_year=latest[1],
                                       population_is_sample=latest[2])
        return self._as_of(self.areas[row.area], latest_year)

    def _population(self, area: str, year: int | None) -> tuple[int, int, bool] | None:
        """The area's population of `year` or the latest earlier one (None: the latest)."""
        years = [y for (a, y) in self.populations if a == area and (year is None or y <= year)]
        if not years:
            return None
        population, sample = self.populations[(area, max(years))]
        return population, max(years), sample

    async def set_populations(self, rows: list[Population]) -> None:
        for row in rows:
            await self.set_population(row)

    # --- indicators ----------------------------------------------------------------------

    async def summary(self, *, area: str | None, group: str | None, start: date | None,
                      end: date | None, kind: str | None, venue: str | None,
                      topic: str | None = None,
                      population_year: int | None = None) -> list[SummaryRow]:
        totals: dict[str, Counts] = {}
        if topic:
            for (a, m, t), counts in self.topic_activity.items():
                if t == topic and _within(m, start, end):
                    totals[a] = totals.get(a, Counts()) + counts
        else:
            for cell, counts in self.cells.items():
                if _within(cell.month, start, end) and kind in (None, cell.kind) \
                        and venue in (None, cell.venue):
                    totals[cell.area] = totals.get(cell.area, Counts()) + counts
        organisers: dict[str, set[UUID]] = {}
        for (a, m, who), n in self.organisers.items():
            if n > 0 and _within(m, start, end):
                organisers.setdefault(a, set()).add(who)
        liked: dict[str, Satisfaction] = {}
        for cell, s in self.satisfaction.items():
            if _within(cell.month, start, end) and kind in (None, cell.kind) \
                    and venue in (None, cell.venue):
                sum_ = liked.setdefault(cell.area, Satisfaction())
                sum_.answers += s.answers
                sum_.scores = [x + y for x, y in zip(sum_.scores, s.scores, strict=True)]
                sum_.wellbeing_yes += s.wellbeing_yes
        rows = []
        for code in sorted(set(self.areas) | set(totals)):
            known = self.areas.get(code)
            if (area is not None and code != area) or \
                    (group is not None and (known is None or known.area_group != group)):
                continue
            n, s = totals.get(code, Counts()), liked.get(code, Satisfaction())
            pop = self._population(code, population_year)
            by_kind_or_venue = not topic and (kind is not None or venue is not None)
            rows.append(SummaryRow(
                area=code, area_group=known.area_group if known else None,
                population=pop[0] if pop else None,
                population_year=pop[1] if pop else None,
                sample=pop[2] if pop else False,
                published_events=n.published, cancelled_events=n.cancelled, held_events=n.held,
                planned_hours=n.planned_hours, realised_hours=n.realised_hours,
                participants=n.participants, visitors=n.visitors,
                organisers=None if by_kind_or_venue else len(organisers.get(code, ())),
                answers=s.answers,
                scores=tuple(s.scores),  # type: ignore[arg-type]
                wellbeing_yes=s.wellbeing_yes))
        return rows

    async def organisers_together(self, *, start: date | None,
                                  end: date | None) -> dict[str, int]:
        together: dict[str, set[UUID]] = {}
        for (a, m, who), n in self.organisers.items():
            if n > 0 and _within(m, start, end):
                together.setdefault(MUNICIPALITY, set()).add(who)
                if a in self.areas:
                    together.setdefault(self.areas[a].area_group, set()).add(who)
        return {key: len(who) for key, who in together.items()}

    async def breakdown(self, name: str, *, start: date | None,
                        end: date | None) -> dict[str, dict[str, int]]:
        table = {"topics": self.topics, "audiences": self.audiences, "reach": self.reach}[name]
        result: dict[str, dict[str, int]] = {}
        for (a, m, code), n in sorted(table.items()):
            if n and _within(m, start, end):
                result.setdefault(a, {})[code] = result.get(a, {}).get(code, 0) + n
        return result

    async def monthly(self, start: date, end: date, *, area: str | None = None,
                      group: str | None = None, kind: str | None = None,
                      venue: str | None = None,
                      topic: str | None = None) -> list[MonthTotals]:
        in_group = {a.code for a in self.areas.values() if a.area_group == group}
        months: dict[date, Counts] = {}
        if topic:
            for (a, m, t), counts in self.topic_activity.items():
                if t == topic and _within(m, start, end) and area in (None, a) \
                        and (group is None or a in in_group):
                    months[m] = months.get(m, Counts()) + counts
        for cell, counts in ([] if topic else self.cells.items()):
            if (_within(cell.month, start, end) and area in (None, cell.area)
                    and (group is None or cell.area in in_group)
                    and kind in (None, cell.kind) and venue in (None, cell.venue)):
                months[cell.month] = months.get(cell.month, Counts()) + counts
        return [MonthTotals(month=m, published_events=n.published, held_events=n.held,
                            realised_hours=n.realised_hours, participants=n.participants,
                            visitors=n.visitors) for m, n in sorted(months.items())]

    async def utilisation_rows(self, *, area: str | None, venue_id: UUID | None, start: date,
                               end: date) -> tuple[list[VenueHours], list[BookedHours]]:
        venues = [VenueHours(v.venue_id, v.area, v.spaces, v.opening_hours, v.exceptions)
                  for v in self.venues.values()
                  if area in (None, v.area) and venue_id in (None, v.venue_id)]
        booked = [BookedHours(space, month, hours, n)
                  for (space, month), (_, hours, n) in self.booked.items()
                  if start <= month < end]
        return venues, booked

    # --- feedback ------------------------------------------------------------------------

    async def save_title(self, event_id: UUID, name: dict[str, Any]) -> None:
        self.titles[event_id] = dict(name)

    async def title_of(self, event_id: UUID) -> dict[str, Any] | None:
        return self.titles.get(event_id)

    async def answers_since(self, sender: str, since: datetime, limit: int) -> Counted:
        return Counted.of((a.created_at for a in self.answers
                           if a.sender == sender and a.created_at > since), limit)

    async def add_answer(self, *, answer_id: UUID, event_id: UUID, satisfaction: int,
                         wellbeing: str, comment: str, language: str, age_group: str,
                         browser: str, sender: str, created_at: datetime) -> bool:
        if any(a.event_id == event_id and a.browser == browser for a in self.answers):
            return False
        self.answers.append(Answer(event_id, satisfaction, wellbeing, comment, language,
                                   age_group, browser, sender, created_at))
        return True

    async def add_satisfaction(self, cell: Cell, satisfaction: int, wellbeing_yes: bool) -> None:
        s = self.satisfaction.setdefault(cell, Satisfaction())
        s.answers += 1
        s.scores[satisfaction - 1] += 1
        s.wellbeing_yes += int(wellbeing_yes)

    # --- closed periods ------------------------------------------------------------------

    async def activity_months(self) -> list[date]:
        return sorted({c.month for c in self.cells})

    async def lock_period(self, month: date) -> None:
        return None

    async def closed_period(self, month: date) -> ClosedPeriod | None:
        stored = self.closed.get(month)
        return ClosedPeriod(stored[0], stored[1], stored[3]) if stored else None

    async def save_closed_period(self, month: date, revision: int, fingerprint: str,
                                 closed_at: datetime,
                                 populations: dict[str, int | None]) -> None:
        kept = self.closed[month][3] if month in self.closed else populations
        self.closed[month] = (revision, fingerprint, closed_at, kept)
