"""Wiring of the notifications service."""

from __future__ import annotations

from services.notifications import boards, reach_pages, staff
from services.notifications.handlers import (
    check_reach_settings,
    on_activity_event,
    on_approval_decided,
    on_attendance_reported,
    on_booking,
    on_booking_ended,
    on_contact_verification,
    on_guide_reply,
    on_venue,
    on_vocabulary_term,
)
from services.notifications.jobs import run_reach_jobs, run_sender
from services.notifications.routes import router
from shared.contracts import (
    ActivityEventApprovalDecided,
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingNoShow,
    BookingRejected,
    ChannelAccountRoutingChanged,
    ContactVerificationRequested,
    GuideReplyRequested,
    NotificationDelivered,
    NotificationFailed,
    RegistrationCounts,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.errors import DomainError
from shared.service import ServiceSpec


def refusal_text(exc: DomainError, lang: str) -> str | None:
    """A refusal in the words the staff's page (`staff.refusal_text`) or the sign-up and
    follow pages (`reach_pages.L`'s `err_<code>`) say it by its code; others in the shared
    words (`shared.http`)."""
    code = str(exc.details.get("code"))
    if code in staff.LABELS[lang]["refusals"]:
        return staff.refusal_text(exc, lang)
    if f"err_{code}" in reach_pages.L[lang]:
        return reach_pages._error(exc, lang)[0]
    return None


spec = ServiceSpec(
    name="notifications",
    title="Kohtaamo notifications",
    description="Every activity event on the city's social media accounts and on the "
    "libraries' electronic notice boards (feeds and screens for signage players), and "
    "emails to organisers about their bookings and the approval of their activities; posted "
    "once, never lost.",
    routers=[router, boards.router, boards.screen_router, staff.router, reach_pages.router,
             reach_pages.lists, reach_pages.api],
    # What a thousand boards' players poll every half minute, kept until a board's content
    # changes (migrations/020).
    public_reads=("/boards",),
    handlers={
        VenueRegistered: on_venue,
        VenueUpdated: on_venue,
        ActivityEventPublished: on_activity_event,
        ActivityEventUpdated: on_activity_event,
        ActivityEventPostponed: on_activity_event,
        ActivityEventRescheduled: on_activity_event,
        ActivityEventCancelled: on_activity_event,
        ActivityEventApprovalDecided: on_approval_decided,
        BookingConfirmed: on_booking,
        BookingRejected: on_booking,
        BookingCancelled: on_booking,
        BookingMoved: on_booking,
        BookingNoShow: on_booking,
        BookingEnded: on_booking_ended,
        AttendanceReported: on_attendance_reported,
        GuideReplyRequested: on_guide_reply,
        ContactVerificationRequested: on_contact_verification,
        VocabularyTermSet: on_vocabulary_term,
    },
    publishes=[NotificationDelivered, NotificationFailed, RegistrationCounts,
               ChannelAccountRoutingChanged],
    background=[run_sender, run_reach_jobs],
    on_start=[check_reach_settings],
    # The handlers write rows of their own aggregate (an activity's board items, deliveries
    # and outbox rows; a booking's emails), so a lane's records can share a transaction: one
    # commit for twenty (bench.flow, alternated runs: bursts 1.2-1.8x as fast). What two may
    # both lock (a venue's board made on first sight) is rare, and a wait for it sends the
    # records one by one (shared/consumer.py).
    records_per_transaction=20,
    front_page="/follow",
    refusal_text=refusal_text,
)
