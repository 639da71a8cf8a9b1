"""Wiring of the events service."""

from __future__ import annotations

from services.events.handlers import on_booking_confirmed, on_venue
from services.events.pages import router as pages_router
from services.events.routes import events, feeds, imports, series, vocabulary
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    AttendanceReported,
    BookingConfirmed,
    VenueRegistered,
    VenueUpdated,
)
from shared.service import ServiceSpec

spec = ServiceSpec(
    name="events",
    title="Kohtaamo activity events",
    description="Activity events residents can find: drafts from bookings, publishing, cancelling.",
    routers=[events.router, feeds.router, vocabulary.router, series.router, imports.router,
             pages_router],
    handlers={
        VenueRegistered: on_venue,
        VenueUpdated: on_venue,
        BookingConfirmed: on_booking_confirmed,
    },
    publishes=[
        ActivityEventPublished,
        ActivityEventUpdated,
        ActivityEventPostponed,
        ActivityEventRescheduled,
        ActivityEventCancelled,
        AttendanceReported,
    ],
)
