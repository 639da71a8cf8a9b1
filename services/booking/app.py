"""Wiring of the booking service: what it serves, publishes and consumes."""

from __future__ import annotations

from services.booking import contact_page, organiser_pages, public_pages
from services.booking.desk import router as desk_router
from services.booking.handlers import on_activity_cancelled, on_move_requested
from services.booking.jobs import run_jobs
from services.booking.labels import ERRORS, error_text
from services.booking.routes import ROUTERS
from shared.contracts import (
    ActivityEventCancelled,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingMoveRefused,
    BookingMoveRequested,
    BookingNoShow,
    BookingRejected,
    BookingRequested,
    ContactVerificationRequested,
    VenueRegistered,
    VenueUpdated,
)
from shared.errors import DomainError
from shared.service import ServiceRuntime, ServiceSpec


async def _links(runtime: ServiceRuntime) -> None:
    """The verification mail links to this service's public address (never a Host header)."""
    from services.booking.usecases import bookings

    bookings.LINKS["public_url"] = runtime.settings.public_url or bookings.LINKS["public_url"]


def refusal_text(exc: DomainError, lang: str) -> str | None:
    """A refusal of a booking rule in the words the desk's and organisers' pages say it
    (`labels.ERRORS`, by its code); others in the shared words (`shared.http`)."""
    return error_text(exc, lang) if str(exc.details.get("code")) in ERRORS else None


spec = ServiceSpec(
    name="booking",
    title="Kohtaamo booking",
    description="Venues, spaces, opening hours and bookings of public space for resident activity.",
    routers=[*ROUTERS, desk_router, contact_page.router, organiser_pages.router,
             public_pages.router],
    background=[run_jobs],
    handlers={
        BookingMoveRequested: on_move_requested,
        ActivityEventCancelled: on_activity_cancelled,
    },
    publishes=[
        VenueRegistered,
        VenueUpdated,
        BookingRequested,
        BookingConfirmed,
        BookingRejected,
        BookingCancelled,
        BookingNoShow,
        BookingMoved,
        BookingMoveRefused,
        BookingEnded,
        ContactVerificationRequested,
    ],
    on_start=[_links],
    front_page="/my",
    refusal_text=refusal_text,
)

