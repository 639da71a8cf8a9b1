"""Every operation a person or a scheduled job can do in the booking service.

Each use case takes a unit of work over a `BookingStore`, a clock and (where a person acts) a
`Principal`; it runs in one transaction (`common.run`: its reads, writes and events commit
together or not at all, and a deadlock victim is run again) and asks `domain` for every rule.
The HTTP routes, the desk page, the demo loader and the jobs all call these, so a rule holds
on every way in: a hold obeys the same time, hours and open-request rules as a request, a
walk-in the same as both, check-in has one rule.

One module per part: `catalogue` (venues, spaces, rules, resources), `hours` (opening hours and
free time), `bookings` (request, walk-in, hold, submit), `decisions` (confirm, reject, cancel,
check in), `series`, `moves` (the desk's and the activities' moves
and releases), `reading` (lists, the desk's day, calendars), `jobs` (scheduled passes),
`loans`; `common` holds the transaction runner and who may act.
"""

from __future__ import annotations

from services.booking.usecases.bookings import (
    BookingCommand,
    HoldCommand,
    OrganiserDetails,
    RequestDetails,
    checked_details,
    confirmed_by_link,
    hold_slot,
    request_booking,
    submit_hold,
    verify_contact,
    walk_in_refusals,
)
from services.booking.usecases.catalogue import (
    VenueView,
    add_resource,
    add_space,
    get_venue,
    list_venues,
    load_venue,
    register_venue,
    set_space_details,
    set_space_rules,
    update_venue,
)
from services.booking.usecases.common import (
    ATTEMPTS,
    Uow,
)
from services.booking.usecases.decisions import (
    Decision,
    cancel_booking,
    check_in,
    confirm_booking,
    reject_booking,
)
from services.booking.usecases.hours import (
    MAX_CANDIDATE_SPACES,
    MAX_FIRST_AVAILABLE_DAYS,
    MAX_SLOT_DAYS,
    ExceptionSaved,
    Found,
    HolidayClosing,
    HoursSaved,
    VenueWeek,
    add_exception,
    close_on_public_holidays,
    coming_outside_hours,
    first_available,
    free_slots,
    holiday_years,
    open_at,
    opening_hours,
    remove_exception,
    set_weekly_hours,
    venue_week,
    week_hours,
)
from services.booking.usecases.jobs import (
    announce_endings,
    anonymise_organisers,
    expire_holds,
    release_no_shows,
)
from services.booking.usecases.loans import (
    LoanCommand,
    cancel_loan,
    desk_loans,
    lend,
    return_loan,
)
from services.booking.usecases.moves import (
    move_booking,
    move_on_request,
    release_for_cancelled_activity,
)
from services.booking.usecases.reading import (
    MAX_DESK_DAYS,
    DeskDay,
    SpaceCalendar,
    booking_calendar,
    desk_bookings,
    desk_day,
    get_booking,
    my_bookings,
    my_calendar,
    space_calendar,
)
from services.booking.usecases.series import (
    PlannedTime,
    SeriesCommand,
    SeriesPreview,
    SeriesResult,
    cancel_series,
    confirm_series,
    preview_series,
    request_series,
)

__all__ = [
    "ATTEMPTS",
    "MAX_CANDIDATE_SPACES",
    "MAX_DESK_DAYS",
    "MAX_FIRST_AVAILABLE_DAYS",
    "MAX_SLOT_DAYS",
    "BookingCommand",
    "Decision",
    "DeskDay",
    "ExceptionSaved",
    "Found",
    "HoldCommand",
    "HolidayClosing",
    "HoursSaved",
    "LoanCommand",
    "OrganiserDetails",
    "PlannedTime",
    "RequestDetails",
    "SeriesCommand",
    "SeriesPreview",
    "SeriesResult",
    "SpaceCalendar",
    "Uow",
    "VenueView",
    "VenueWeek",
    "add_exception",
    "add_resource",
    "add_space",
    "announce_endings",
    "anonymise_organisers",
    "booking_calendar",
    "cancel_booking",
    "cancel_loan",
    "cancel_series",
    "check_in",
    "checked_details",
    "close_on_public_holidays",
    "coming_outside_hours",
    "confirm_booking",
    "confirm_series",
    "confirmed_by_link",
    "desk_bookings",
    "desk_day",
    "desk_loans",
    "expire_holds",
    "first_available",
    "free_slots",
    "get_booking",
    "get_venue",
    "hold_slot",
    "holiday_years",
    "lend",
    "list_venues",
    "load_venue",
    "move_booking",
    "move_on_request",
    "my_bookings",
    "my_calendar",
    "open_at",
    "opening_hours",
    "preview_series",
    "register_venue",
    "reject_booking",
    "release_for_cancelled_activity",
    "release_no_shows",
    "remove_exception",
    "request_booking",
    "request_series",
    "return_loan",
    "set_space_details",
    "set_space_rules",
    "set_weekly_hours",
    "space_calendar",
    "submit_hold",
    "update_venue",
    "venue_week",
    "verify_contact",
    "walk_in_refusals",
    "week_hours",
]
