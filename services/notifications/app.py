"""Wiring of the notifications service."""

from __future__ import annotations

from services.notifications.api import router
from services.notifications.handlers import on_activity_event, on_venue
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    NotificationDelivered,
    VenueRegistered,
    VenueUpdated,
)
from shared.service import ServiceSpec

spec = ServiceSpec(
    name="notifications",
    title="Kohtaamo notifications",
    description="Notice boards in libraries (feeds for signage players) and deliveries of "
    "activity events to every channel.",
    routers=[router],
    handlers={
        VenueRegistered: on_venue,
        VenueUpdated: on_venue,
        ActivityEventPublished: on_activity_event,
        ActivityEventUpdated: on_activity_event,
        ActivityEventPostponed: on_activity_event,
        ActivityEventRescheduled: on_activity_event,
        ActivityEventCancelled: on_activity_event,
    },
    publishes=[NotificationDelivered],
)
