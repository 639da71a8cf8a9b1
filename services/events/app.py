"""Wiring of the events service."""

from __future__ import annotations

import logging

from services.events import usecases
from services.events.approvals_page import router as approvals_page_router
from services.events.handlers import (
    on_booking_confirmed,
    on_booking_end,
    on_booking_ended,
    on_booking_moved,
    on_move_refused,
    on_registration_counts,
    on_venue,
)
from services.events.jobs import run_jobs
from services.events.labels import ORGANISER, REFUSAL_OTHER
from services.events.organiser_pages import refusal
from services.events.organiser_pages import router as organiser_pages_router
from services.events.pages import router as pages_router
from services.events.routes import events, feeds, imports, series, vocabulary
from services.events.vocabulary_page import router as vocabulary_page_router
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
    BookingMoveRefused,
    BookingMoveRequested,
    BookingNoShow,
    BookingRejected,
    RegistrationCounts,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.errors import DomainError
from shared.service import ServiceRuntime, ServiceSpec

log = logging.getLogger(__name__)


async def announce_vocabulary(runtime: ServiceRuntime) -> None:
    """At start, after the migrations: the vocabulary's terms not told on the bus yet (the
    seed's, at the first start) are told, through the outbox as every change is."""
    told = await usecases.announce_vocabulary(usecases.unit_of_work(runtime.pool))
    if told:
        log.info("vocabulary told on the bus", extra={"terms": told})


def refusal_text(exc: DomainError, lang: str) -> str | None:
    """A refusal in the words the organiser's pages say it (`labels.REFUSALS`); where they
    have none for it, their "check this" or "no such activity" would mislead a reader of
    the API (which may refuse a term or a series): the shared words (`shared.http`)."""
    said = refusal(exc, lang)
    return None if said in (REFUSAL_OTHER[lang], ORGANISER[lang]["gone"]) else said


spec = ServiceSpec(
    name="events",
    title="Kohtaamo activity events",
    description="Activity events residents can find: drafts from bookings, publishing, cancelling.",
    routers=[events.router, feeds.router, vocabulary.router, series.router, imports.router,
             pages_router, approvals_page_router, vocabulary_page_router, organiser_pages_router],
    background=[run_jobs],
    handlers={
        VenueRegistered: on_venue,
        VenueUpdated: on_venue,
        BookingConfirmed: on_booking_confirmed,
        BookingCancelled: on_booking_end,
        BookingRejected: on_booking_end,
        BookingNoShow: on_booking_end,
        BookingEnded: on_booking_ended,
        BookingMoved: on_booking_moved,
        BookingMoveRefused: on_move_refused,
        # The sign-up's places and how many are taken (migration 017): its settings may
        # change the places the activity's page and the API show.
        RegistrationCounts: on_registration_counts,
    },
    # What residents, websites and notice boards read, answered from memory until an
    # activity or venue they can see changes (migration 007).
    public_reads=("/events", "/calendar"),
    publishes=[
        ActivityEventPublished,
        ActivityEventUpdated,
        ActivityEventPostponed,
        ActivityEventRescheduled,
        ActivityEventCancelled,
        AttendanceReported,
        BookingMoveRequested,
        ActivityEventApprovalDecided,
        VocabularyTermSet,
    ],
    on_start=[announce_vocabulary],
    # The handlers lock their own booking and read their venue under a shared lock (a venue's
    # own event takes it exclusively), so a lane's records can share a transaction: one commit
    # for twenty (bench.flow, alternated runs: 1,238-1,464/s against 860-1,041/s pre-filled).
    # A wait for what another lane holds sends the records one by one (shared/consumer.py).
    records_per_transaction=20,
    front_page="/calendar",
    refusal_text=refusal_text,
)
