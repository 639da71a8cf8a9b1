"""Wiring of the metrics service."""

from __future__ import annotations

from services.metrics.answers_page import router as answers_page_router
from services.metrics.feedback import router as feedback_router
from services.metrics.handlers import (
    on_activity_event,
    on_attendance,
    on_booking,
    on_delivery,
    on_venue,
    on_vocabulary_term,
)
from services.metrics.jobs import run_jobs
from services.metrics.report import refusal_text
from services.metrics.report import router as report_router
from services.metrics.routes import router
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
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
from shared.service import ServiceSpec

spec = ServiceSpec(
    name="metrics",
    title="Kohtaamo metrics",
    description="What resident activity achieved, per area and per 1,000 residents.",
    routers=[router, feedback_router, report_router, answers_page_router],
    background=[run_jobs],
    publishes=[MetricsPeriodClosed],
    handlers={
        VenueRegistered: on_venue,
        VenueUpdated: on_venue,
        ActivityEventPublished: on_activity_event,
        ActivityEventUpdated: on_activity_event,
        ActivityEventPostponed: on_activity_event,
        ActivityEventRescheduled: on_activity_event,
        ActivityEventCancelled: on_activity_event,
        AttendanceReported: on_attendance,
        NotificationDelivered: on_delivery,
        BookingConfirmed: on_booking,
        BookingMoved: on_booking,
        BookingCancelled: on_booking,
        BookingRejected: on_booking,
        BookingNoShow: on_booking,
        # The kinds' and topics' words, for the dashboard (never their codes).
        VocabularyTermSet: on_vocabulary_term,
    },
    # Every row that many events share (an area's month, a channel's reach, a space's booked
    # hours) is written at commit, a transaction's changes summed and in key order (migration
    # 012), so a lane's records can share a transaction: one commit for twenty (bench.flow,
    # alternated runs: 1,602 and 1,731/s against 943 and 909/s pre-filled).
    records_per_transaction=20,
    front_page="/dashboard",
    # The API's `message` says a filter's rule in the dashboard's words, as its page does.
    refusal_text=refusal_text,
)
