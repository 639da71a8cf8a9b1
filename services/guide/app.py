"""Wiring of the guide: one place to ask about resident activity."""

from __future__ import annotations

from services.guide.handlers import on_activity_event, on_venue
from services.guide.jobs import run_jobs
from services.guide.pages import refusal
from services.guide.pages import router as pages_router
from services.guide.routes import router
from services.guide.settings import settings
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    GuideReplyRequested,
    VenueRegistered,
    VenueUpdated,
)
from shared.service import ServiceRuntime, ServiceSpec


async def check_settings(runtime: ServiceRuntime) -> None:
    """A malformed KOHTAAMO_GUIDE_* value stops the start, not the first request."""
    settings()


spec = ServiceSpec(
    name="guide",
    title="Kohtaamo guide",
    description="One place to ask: answers residents from the platform's own data (opening "
                "hours, events, booking rules, contacts) in fi/sv/en, and hands over to a "
                "person.",
    routers=[router, pages_router],
    background=[run_jobs],
    on_start=[check_settings],
    publishes=[GuideReplyRequested],
    handlers={
        VenueRegistered: on_venue,
        VenueUpdated: on_venue,
        ActivityEventPublished: on_activity_event,
        ActivityEventUpdated: on_activity_event,
        ActivityEventPostponed: on_activity_event,
        ActivityEventRescheduled: on_activity_event,
        ActivityEventCancelled: on_activity_event,
    },
    front_page="/widget",
    refusal_text=refusal,
)
