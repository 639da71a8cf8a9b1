"""Booking rules, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.booking.domain import (
    HELSINKI,
    Booking,
    BookingRequest,
    DayException,
    Interval,
    Refusals,
    SpaceRules,
    VenueFacts,
    WeeklyHours,
    check_booking_request,
    check_cancellation,
    check_series_as_seen,
    check_transition,
    details_refusals,
    finnish_reference,
    free_slots,
    hours_kind,
    intervals_for_day,
    leaf_spaces,
    offered_start,
    open_kind_at,
    price_for,
    series_version,
    slot_refusals,
)
from shared.errors import Conflict, Invalid
from shared.recurrence import weekly_occurrences

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MAIN = VenueFacts(kind="library", has_paid_space=True)
BRANCH = VenueFacts(kind="library", has_paid_space=False)
FREE_ROOM = SpaceRules()
PAID_ROOM = SpaceRules(paid=True, price_per_hour=Decimal("30.00"))


def request(**changes: object) -> BookingRequest:
    values: dict[str, object] = {
        "starts_at": NOW + timedelta(days=1),
        "ends_at": NOW + timedelta(days=1, hours=2),
        "cooperation": True,
        "house_rules_accepted": True,
        "library_contact": "Kirjastonhoitaja Liisa",
    }
    values.update(changes)
    return BookingRequest(**values)  # type: ignore[arg-type]


def test_a_cooperation_booking_in_a_branch_library_is_fine() -> None:
    check_booking_request(request(), BRANCH, FREE_ROOM, NOW)


@pytest.mark.parametrize(
    ("changes", "venue", "rules", "field", "message", "code"),
    [
        ({"ends_at": NOW + timedelta(days=1)}, MAIN, FREE_ROOM, "ends_at", "end after it starts",
         "ends_before_start"),
        ({"ends_at": NOW + timedelta(days=1, minutes=20)}, MAIN, FREE_ROOM, "ends_at",
         "at least 30 minutes", "too_short"),
        ({"ends_at": NOW + timedelta(days=1, hours=5)}, MAIN, FREE_ROOM, "ends_at", "at most 4 h",
         "too_long"),
        ({"starts_at": NOW - timedelta(hours=2), "ends_at": NOW - timedelta(hours=1)}, MAIN,
         FREE_ROOM, "starts_at", "past", "past"),
        ({"starts_at": NOW + timedelta(days=200), "ends_at": NOW + timedelta(days=200, hours=1)},
         MAIN, FREE_ROOM, "starts_at", "180 days ahead", "horizon"),
        ({"house_rules_accepted": False}, MAIN, FREE_ROOM, "accept_house_rules",
         "substance-free", "house_rules"),
        ({"library_contact": " "}, MAIN, FREE_ROOM, "library_contact", "contact person",
         "library_contact"),
        ({"cooperation": False}, BRANCH, PAID_ROOM, "cooperation", "no paid space",
         "no_paid_space"),
        ({"cooperation": False}, MAIN, FREE_ROOM, "cooperation",
         "free only for events run in cooperation", "cooperation_only"),
        ({"organiser_type": "party"}, BRANCH, FREE_ROOM, "shared_activity", "equal opportunity",
         "partisan"),
        ({"organiser_type": "commercial"}, MAIN, FREE_ROOM, "shared_activity", "non-partisan",
         "partisan"),
    ],
)
def test_rules_refuse_with_the_field_a_reason_and_a_code(
    changes: dict[str, object], venue: VenueFacts, rules: SpaceRules, field: str, message: str,
    code: str
) -> None:
    with pytest.raises(Invalid, match=message) as refused:
        check_booking_request(request(**changes), venue, rules, NOW)
    assert refused.value.field == field
    # The code is what a page says in its reader's language (services/booking/labels.py).
    assert refused.value.details["code"] == code


def _said(refusals: list[Invalid]) -> list[tuple[str | None, object]]:
    return [(r.field, r.details["code"]) for r in refusals]


def test_every_rule_between_the_fields_a_request_breaks_is_returned_at_once() -> None:
    # A party in cooperation, without shared activity or the library's contact, the house
    # rules not accepted: three rules, each by its field, in the form's order.
    party = request(organiser_type="party", library_contact="  ", house_rules_accepted=False)
    assert _said(details_refusals(party, BRANCH, FREE_ROOM)) == [
        ("accept_house_rules", "house_rules"), ("shared_activity", "partisan"),
        ("library_contact", "library_contact")]
    # An unknown kind of organiser and no contact: both.
    odd = request(organiser_type="club", library_contact=None)
    assert _said(details_refusals(odd, MAIN, FREE_ROOM)) == [
        ("organiser_type", "organiser_type"), ("library_contact", "library_contact")]
    # Rental where there is none: one reason, on the choice of cooperation or rental (the
    # library's contact is no rule of rental).
    assert _said(details_refusals(request(cooperation=False, library_contact=None,
                                          house_rules_accepted=False), BRANCH, PAID_ROOM)
                 ) == [("accept_house_rules", "house_rules"), ("cooperation", "no_paid_space")]
    # Nothing broken: nothing said.
    assert details_refusals(request(), BRANCH, FREE_ROOM) == []
    assert details_refusals(request(organiser_type="party", shared_activity=True), BRANCH,
                            FREE_ROOM) == []


def test_the_times_rules_are_returned_together_too() -> None:
    day = NOW + timedelta(days=200)
    assert _said(slot_refusals(day, day + timedelta(hours=5), FREE_ROOM, NOW)) == [
        ("ends_at", "too_long"), ("starts_at", "horizon")]
    past = NOW - timedelta(hours=1)
    assert _said(slot_refusals(past, past + timedelta(minutes=10), FREE_ROOM, NOW)) == [
        ("ends_at", "too_short"), ("starts_at", "past")]
    # An end before the start is that alone: its length and start mean nothing.
    assert _said(slot_refusals(day, day - timedelta(hours=1), FREE_ROOM, NOW)) == [
        ("ends_at", "ends_before_start")]
    assert slot_refusals(NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1),
                         FREE_ROOM, NOW) == []


def test_a_request_is_refused_as_a_whole_naming_every_broken_rule() -> None:
    day = NOW + timedelta(days=200)
    with pytest.raises(Refusals) as refused:
        check_booking_request(request(starts_at=day, ends_at=day + timedelta(hours=5),
                                      organiser_type="commercial", library_contact=""),
                              MAIN, FREE_ROOM, NOW)
    exc = refused.value
    assert isinstance(exc, Invalid)  # a 422, as one refusal was
    assert _said(list(exc.each)) == [("ends_at", "too_long"), ("starts_at", "horizon"),
                                     ("shared_activity", "partisan"),
                                     ("library_contact", "library_contact")]
    # Said first as its first rule alone was said (message, field, code, details), and each
    # in `refusals`, with its field, code, message and details, as the API's 422 carries.
    assert exc.message == exc.each[0].message and exc.field == "ends_at"
    assert exc.details["code"] == "too_long" and exc.details["max_minutes"] == 240
    assert exc.details["refusals"] == [
        {"field": e.field, "msg": e.message, **e.details} for e in exc.each]
    assert exc.details["refusals"][1] == {
        "field": "starts_at", "code": "horizon", "horizon_days": 180,
        "msg": "this space can be booked at most 180 days ahead"}
    # Refusals of refusals are one list.
    again = Refusals([exc, Invalid("x", field="title", code="title")])
    assert [e.field for e in again.each] == [
        "ends_at", "starts_at", "shared_activity", "library_contact", "title"]


def test_the_version_of_a_series_times_changes_with_anything_its_question_showed() -> None:
    times = [_series_time(week) for week in range(3)]
    seen = series_version(times)
    assert len(seen) == 32 and series_version(list(reversed(times))) == seen
    check_series_as_seen(list(reversed(times)), seen)
    moved = replace(times[1], starts_at=times[1].starts_at + timedelta(hours=1),
                    ends_at=times[1].ends_at + timedelta(hours=1))
    confirmed = replace(times[1], status="confirmed")
    added = _series_time(3, series_id=times[0].series_id)
    for changed in (times[:2], [*times, added], [times[0], moved, times[2]],
                    [times[0], confirmed, times[2]], [times[0], replace(
                        times[1], space_id=uuid4()), times[2]]):
        assert series_version(changed) != seen
        with pytest.raises(Conflict) as refused:
            check_series_as_seen(changed, seen)
        assert refused.value.details == {
            "code": "series_changed", "version": series_version(changed),
            "booking_ids": [str(b.id) for b in changed]}


def _series_time(week: int, series_id: object = None) -> Booking:
    start = NOW + timedelta(days=2, weeks=week)
    return Booking(uuid4(), SPACE_ID, uuid4(), uuid4(), "Kuoro", start,
                   start + timedelta(hours=1), "requested",
                   series_id=series_id or SERIES_ID)  # type: ignore[arg-type]


SPACE_ID, SERIES_ID = uuid4(), uuid4()


def test_a_party_may_rent_paid_space_in_the_main_library() -> None:
    check_booking_request(request(cooperation=False, organiser_type="party",
                                  library_contact=None), MAIN, PAID_ROOM, NOW)


def test_a_party_may_join_shared_activity_in_a_branch_library() -> None:
    check_booking_request(request(organiser_type="party", shared_activity=True), BRANCH,
                          FREE_ROOM, NOW)


def test_too_many_open_requests_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="at most 3") as refused:
        check_booking_request(request(), MAIN, FREE_ROOM, NOW, open_requests=3)
    assert refused.value.details == {"code": "open_requests", "open_requests": 3,
                                     "max_open_requests": 3, "adding": 1}


def test_naive_times_are_refused() -> None:
    with pytest.raises(Invalid, match="time zone"):
        check_booking_request(request(starts_at=datetime(2026, 12, 1, 10),
                                      ends_at=datetime(2026, 12, 1, 12)), MAIN, FREE_ROOM, NOW)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [("held", "requested", True), ("held", "expired", True), ("requested", "confirmed", True),
     ("requested", "rejected", True), ("confirmed", "cancelled", True),
     ("confirmed", "no_show", True), ("confirmed", "confirmed", False),
     ("rejected", "confirmed", False), ("cancelled", "confirmed", False),
     ("expired", "requested", False)],
)
def test_transitions(current: str, target: str, allowed: bool) -> None:
    if allowed:
        check_transition(current, target)
    else:
        with pytest.raises(Conflict) as refused:
            check_transition(current, target)
        assert refused.value.details == {"code": "status", "status": current, "target": target}


def test_cancellation_deadline_binds_organisers_not_the_desk() -> None:
    starts = NOW + timedelta(hours=10)
    with pytest.raises(Conflict, match="deadline") as refused:
        check_cancellation(by_desk=False, starts_at=starts, now=NOW, rules=FREE_ROOM)
    assert refused.value.details["code"] == "deadline"
    assert refused.value.details["cancellation_hours"] == 24
    check_cancellation(by_desk=True, starts_at=starts, now=NOW, rules=FREE_ROOM)
    check_cancellation(by_desk=False, starts_at=NOW + timedelta(days=2), now=NOW,
                       rules=FREE_ROOM)


WEEKLY = [WeeklyHours(1, time(12), time(19), "staffed"),
          WeeklyHours(1, time(7), time(21), "self_service")]
MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def test_hours_kind_staffed_self_service_or_refused() -> None:
    intervals = intervals_for_day(MONDAY, WEEKLY, [])
    assert hours_kind(at(MONDAY, 13), at(MONDAY, 15), intervals, FREE_ROOM) == "staffed"
    self_service = SpaceRules(self_service=True)
    assert hours_kind(at(MONDAY, 18), at(MONDAY, 20), intervals, self_service) == "self_service"
    with pytest.raises(Invalid, match=r"opening hours \(23.11.: 12.00–19.00") as refused:
        hours_kind(at(MONDAY, 18), at(MONDAY, 20), intervals, FREE_ROOM)
    # The day and the hours it had, as data for a page in another language; the hours in
    # UTC with `Z`, as every moment booking's answers write.
    assert refused.value.details == {
        "code": "closed", "day": "2026-11-23",
        "open": [{"starts_at": "2026-11-23T10:00:00Z", "ends_at": "2026-11-23T17:00:00Z",
                  "kind": "staffed"}]}
    with pytest.raises(Invalid, match=r"closed 24.11.") as refused:
        hours_kind(at(MONDAY, 18) + timedelta(days=1), at(MONDAY, 20) + timedelta(days=1), [],
                   FREE_ROOM)
    assert refused.value.details == {"code": "closed", "day": "2026-11-24", "open": []}
    with pytest.raises(Invalid, match="opening hours"):
        hours_kind(at(MONDAY, 20), at(MONDAY, 22), intervals, self_service)
    assert hours_kind(at(MONDAY, 23), at(MONDAY, 23, 30), [], SpaceRules(overnight=True)) == \
        "overnight"


def test_exceptions_replace_the_weekly_hours() -> None:
    assert intervals_for_day(MONDAY, WEEKLY, [DayException(MONDAY)]) == []
    short = intervals_for_day(MONDAY, WEEKLY, [DayException(MONDAY, time(10), time(14),
                                                            "staffed")])
    assert [(i.start.hour, i.end.hour) for i in short] == [(10, 14)]
    assert len(intervals_for_day(MONDAY + timedelta(days=1), WEEKLY, [])) == 0  # Tuesday


def test_a_days_exception_is_closed_or_both_times_and_a_refusal_names_its_input() -> None:
    from services.booking.domain import day_exception

    def refused(**given: object) -> tuple[str | None, object]:
        with pytest.raises(Invalid) as exc:
            day_exception(MONDAY, **given)  # type: ignore[arg-type]
        return exc.value.field, exc.value.details.get("code")

    assert day_exception(MONDAY, closed=True, opens=None, closes=None) == DayException(MONDAY)
    assert day_exception(MONDAY, closed=False, opens=time(10), closes=time(14)) == \
        DayException(MONDAY, time(10), time(14), "staffed")
    # Unticked "closed" means open: without times it is refused, never stored as closed.
    assert refused(closed=False, opens=None, closes=None) == ("opens", "hours_open_times")
    assert refused(closed=False, opens=time(10), closes=None) == ("closes", "hours_open_times")
    assert refused(closed=False, opens=None, closes=time(14)) == ("opens", "hours_open_times")
    assert refused(closed=False, opens=time(14), closes=time(10)) == ("closes", "hours_order")
    assert refused(closed=True, opens=time(10), closes=time(14)) == ("closed", "hours_closed")
    assert refused(closed=False, opens=time(10), closes=time(14), kind="night") == \
        ("kind", "hours_kind")


def test_open_kind_at() -> None:
    intervals = intervals_for_day(MONDAY, WEEKLY, [])
    assert open_kind_at(at(MONDAY, 13), intervals) == "staffed"
    assert open_kind_at(at(MONDAY, 8), intervals) == "self_service"
    assert open_kind_at(at(MONDAY, 22), intervals) is None


def test_free_slots_leave_out_busy_time_and_short_gaps() -> None:
    intervals = [Interval(at(MONDAY, 12), at(MONDAY, 19), "staffed")]
    busy = [(at(MONDAY, 13), at(MONDAY, 15)), (at(MONDAY, 15, 15), at(MONDAY, 17))]
    slots = free_slots(intervals, busy, 30, allow_self_service=False)
    assert [(s.hour, s.minute, e.hour, e.minute) for s, e in slots] == [
        (12, 0, 13, 0), (17, 0, 19, 0)]


def _free_by_minutes(intervals: list[Interval], busy: list[tuple[datetime, datetime]],
                     min_minutes: int) -> list[tuple[datetime, datetime]]:
    """The same answer the slow, obvious way: minute by minute, open and not claimed."""
    start = min(i.start for i in intervals)
    end = max(i.end for i in intervals)
    free: list[tuple[datetime, datetime]] = []
    minute = start
    while minute < end:
        is_free = any(i.start <= minute < i.end and i.kind == "staffed" for i in intervals) \
            and not any(s <= minute < e for s, e in busy)
        if is_free and free and free[-1][1] == minute:
            free[-1] = (free[-1][0], minute + timedelta(minutes=1))
        elif is_free:
            free.append((minute, minute + timedelta(minutes=1)))
        minute += timedelta(minutes=1)
    return [(s, e) for s, e in free if e - s >= timedelta(minutes=min_minutes)]


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(1, 240)), min_size=1, max_size=6),
       st.lists(st.tuples(st.integers(-120, 700), st.integers(1, 400)), max_size=12),
       st.integers(1, 60))
@settings(max_examples=150, deadline=None)
def test_free_slots_sweep_agrees_with_minute_by_minute(
        opens: list[tuple[int, int]], claims: list[tuple[int, int]], min_minutes: int) -> None:
    """Overlapping and adjoining opening intervals, claims reaching over several intervals or
    lying inside one: the one-pass sweep finds exactly the open, unclaimed time."""
    base = at(MONDAY, 6)
    intervals = [Interval(base + timedelta(minutes=o), base + timedelta(minutes=o + n),
                          "staffed") for o, n in opens]
    busy = [(base + timedelta(minutes=o), base + timedelta(minutes=o + n)) for o, n in claims]
    assert free_slots(intervals, busy, min_minutes, allow_self_service=False) == \
        _free_by_minutes(intervals, busy, min_minutes)


def test_nested_spaces_claim_every_leaf() -> None:
    hall, room_a, room_b, corner = uuid4(), uuid4(), uuid4(), uuid4()
    children = {hall: [room_a, room_b], room_b: [corner]}
    assert leaf_spaces(hall, children) == sorted([room_a, corner])
    assert leaf_spaces(room_a, children) == [room_a]


def test_weekly_series_keeps_local_time_over_the_dst_change() -> None:
    start = datetime(2027, 3, 22, 18, 0, tzinfo=HELSINKI)  # DST starts on 28 March 2027
    occurrences = weekly_occurrences(start, start + timedelta(hours=1), count=3)
    assert [o[0].astimezone(HELSINKI).hour for o in occurrences] == [18, 18, 18]
    assert occurrences[1][0].utcoffset() != occurrences[0][0].utcoffset()
    until = weekly_occurrences(start, start + timedelta(hours=1), until=date(2027, 4, 5))
    assert len(until) == 3
    with pytest.raises(Invalid):
        weekly_occurrences(start, start + timedelta(hours=1))


def test_price_and_finnish_reference_number() -> None:
    assert price_for(NOW, NOW + timedelta(minutes=90), Decimal("30.00")) == Decimal("45.00")
    # Known-good reference numbers: 1232 and 12345672 (check digits 2 by the 7-3-1 rule).
    assert finnish_reference(123) == "1232"
    assert finnish_reference(1234567) == "12345672"


# --- the rules every way in shares (issue #12) ------------------------------------------------

from services.booking.domain import (  # noqa: E402
    DEFAULT_RULES,
    check_check_in,
    check_confirmable,
    check_in_offered,
    check_loan,
    check_open_requests,
    check_slot,
    check_submittable,
)

_NOW = datetime(2031, 3, 4, 10, tzinfo=UTC)


def _booking(status: str, **changes: object) -> Booking:
    values: dict[str, object] = {
        "id": uuid4(), "space_id": uuid4(), "venue_id": uuid4(), "organiser_id": uuid4(),
        "title": "", "starts_at": _NOW + timedelta(hours=2),
        "ends_at": _NOW + timedelta(hours=3), "status": status}
    values.update(changes)
    return Booking(**values)  # type: ignore[arg-type]


def test_the_time_rules_come_before_anything_that_grows_with_the_length() -> None:
    check_slot(_NOW + timedelta(hours=1), _NOW + timedelta(hours=2), DEFAULT_RULES, _NOW)
    for start, end, field in [
        (_NOW - timedelta(minutes=1), _NOW + timedelta(hours=1), "starts_at"),
        (_NOW + timedelta(days=181), _NOW + timedelta(days=181, hours=1), "starts_at"),
        (_NOW + timedelta(hours=1), _NOW + timedelta(hours=1, minutes=29), "ends_at"),
        (_NOW + timedelta(hours=1), _NOW + timedelta(hours=5, minutes=1), "ends_at"),
        (_NOW + timedelta(hours=1), datetime(2099, 1, 1, tzinfo=UTC), "ends_at"),
    ]:
        with pytest.raises(Invalid) as refused:
            check_slot(start, end, DEFAULT_RULES, _NOW)
        assert refused.value.field == field


def test_a_series_counts_all_it_adds_against_the_open_request_limit() -> None:
    check_open_requests(2, DEFAULT_RULES)
    with pytest.raises(Conflict):
        check_open_requests(3, DEFAULT_RULES)
    with pytest.raises(Conflict, match="adds 2"):
        check_open_requests(2, DEFAULT_RULES, adding=2)
    check_open_requests(0, DEFAULT_RULES, adding=3)


def test_only_a_submitted_request_is_confirmed_and_a_hold_is_submitted_in_time() -> None:
    with pytest.raises(Conflict, match="submits it first"):
        check_confirmable(_booking("held"))
    check_confirmable(_booking("requested"))
    with pytest.raises(Conflict):
        check_confirmable(_booking("confirmed"))
    check_submittable(_booking("held", hold_expires_at=_NOW + timedelta(minutes=1)), _NOW)
    with pytest.raises(Conflict, match="expired"):
        check_submittable(_booking("held", hold_expires_at=_NOW), _NOW)
    with pytest.raises(Conflict):
        check_submittable(_booking("requested"), _NOW)


def test_check_in_from_an_hour_before_until_the_end_of_a_confirmed_booking() -> None:
    confirmed = _booking("confirmed")
    check_check_in(confirmed, _NOW + timedelta(hours=1))
    check_check_in(confirmed, _NOW + timedelta(hours=2, minutes=59))
    for at in (_NOW + timedelta(minutes=59), _NOW + timedelta(hours=3)):
        with pytest.raises(Conflict):
            check_check_in(confirmed, at)
    with pytest.raises(Conflict, match="only a confirmed"):
        check_check_in(_booking("requested"), _NOW + timedelta(hours=2))


def test_arrival_is_offered_only_when_the_check_in_would_be_taken() -> None:
    """A page's "Arrived" button: for a confirmed booking in its check-in window, not yet
    marked; a week ahead, not confirmed or already marked, none."""
    confirmed = _booking("confirmed")
    assert check_in_offered(confirmed, _NOW + timedelta(hours=1, minutes=30))
    for at in (_NOW - timedelta(days=7), _NOW + timedelta(minutes=59), _NOW + timedelta(hours=3)):
        assert not check_in_offered(confirmed, at), at
    in_window = _NOW + timedelta(hours=2)
    assert not check_in_offered(_booking("requested"), in_window)
    assert not check_in_offered(_booking("confirmed", checked_in_at=_NOW), in_window)


def test_a_loan_is_planned_like_a_booking() -> None:
    check_loan(_NOW + timedelta(hours=1), _NOW + timedelta(days=2), _NOW, None)
    for start, end in [(_NOW - timedelta(days=2), _NOW - timedelta(days=1)),
                       (_NOW + timedelta(days=400), _NOW + timedelta(days=401)),
                       (_NOW, _NOW + timedelta(days=40)),
                       (_NOW, datetime(2099, 1, 1, tzinfo=UTC))]:
        with pytest.raises(Invalid):
            check_loan(start, end, _NOW, None)
    booking = _booking("confirmed")
    check_loan(booking.starts_at, booking.ends_at, _NOW, booking)
    with pytest.raises(Invalid):
        check_loan(booking.starts_at, booking.ends_at + timedelta(hours=1), _NOW, booking)
    with pytest.raises(Conflict):
        check_loan(booking.starts_at, booking.ends_at, _NOW, _booking("cancelled"))


@pytest.mark.parametrize(("moment", "offered"), [
    (datetime(2027, 2, 15, 10, 15, tzinfo=UTC), datetime(2027, 2, 15, 10, 15, tzinfo=UTC)),
    (datetime(2027, 2, 15, 10, 37, 12, 500, tzinfo=UTC), datetime(2027, 2, 15, 10, 45, tzinfo=UTC)),
    (datetime(2027, 2, 15, 10, 45, 0, 1, tzinfo=UTC), datetime(2027, 2, 15, 11, 0, tzinfo=UTC)),
    (datetime(2027, 2, 15, 23, 50, tzinfo=HELSINKI), datetime(2027, 2, 16, 0, 0, tzinfo=HELSINKI)),
])
def test_a_free_time_is_offered_from_the_quarter_hour(moment: datetime,
                                                      offered: datetime) -> None:
    assert offered_start(moment) == offered


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1),
                    timezones=st.just(HELSINKI)))
def test_the_offered_start_is_the_first_quarter_hour_not_before_the_moment(
        moment: datetime) -> None:
    offered = offered_start(moment)
    assert moment <= offered < moment + timedelta(minutes=15)
    local = offered.astimezone(HELSINKI)
    assert (local.minute % 15, local.second, local.microsecond) == (0, 0, 0)
