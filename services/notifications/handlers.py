"""Kafka handlers of the notifications service: each turns an event into a use case's call,
inside the idempotent consumer's transaction (JoinedUnitOfWork), so the effect commits with
the event's id.

Venues get boards; each change of an activity event goes on the boards of its venue and area
and plans posts on every social account that covers it; a booking's confirmation, rejection,
cancellation, move or release (no-show) plans an email to its organiser, as does staff's
decision on an activity in the approval queue; a booking that ended asks its organiser to
report its activity's attendance; the vocabulary's words (`vocabulary.term_set`) are kept
for the follow page. Handlers only plan (rows in `deliveries`); the sender (jobs.py) posts,
so a slow platform never holds up the consumer and a crash never loses a post.
"""

from __future__ import annotations

import os

from services.notifications import domain, usecases
from services.notifications.store import NotificationStore
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts import (
    ActivityEventApprovalDecided,
    ActivityEventChange,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingNoShow,
    BookingRejected,
    ContactVerificationRequested,
    GuideReplyRequested,
    VenueRegistered,
    VenueUpdated,
    VocabularyTermSet,
)
from shared.db import Connection
from shared.envelope import Envelope
from shared.pages import events_url, notifications_url
from shared.uow import JoinedUnitOfWork

UNNAMED_BOARD = usecases.UNNAMED_BOARD


def public_events_url() -> str:
    """Where residents open an activity event's page (the events service's public address)."""
    return events_url()


def public_booking_url() -> str:
    """Where organisers open their bookings (the booking service's public address): their
    emails link `<it>/my/bookings/<id>`."""
    return os.environ.get("KOHTAAMO_PUBLIC_BOOKING_URL", "http://127.0.0.1:8001")


def reach_links() -> domain.ReachLinks:
    """Where residents open the sign-up and following pages (this service's public address,
    `shared.pages.notifications_url`) and the key their personal links are signed with."""
    return domain.ReachLinks(
        base_url=notifications_url(),
        key=os.environ.get("KOHTAAMO_REACH_KEY", "development-reach-key-change-me").encode(),
        hourly_per_client=domain.checked_hourly_limit(
            os.environ.get("KOHTAAMO_PUBLIC_FORMS_HOURLY_LIMIT")))


async def check_reach_settings(runtime: object) -> None:
    """At start: a malformed setting of the public forms stops the replica with its name,
    rather than refusing every resident's form as if they had typed something wrong."""
    reach_links()


def new_organiser_channels() -> frozenset[str]:
    """`KOHTAAMO_NEW_ORGANISER_CHANNELS`: what a new organiser's activity reaches."""
    return usecases.new_organiser_channels(os.environ.get("KOHTAAMO_NEW_ORGANISER_CHANNELS"))


def _uow(conn: Connection) -> JoinedUnitOfWork[NotificationStore]:
    return JoinedUnitOfWork(conn, NotificationStore)


async def on_venue(conn: Connection, event: VenueRegistered | VenueUpdated,
                   envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.register_venue(_uow(conn), clock, event)


async def on_activity_event(conn: Connection, event: ActivityEventChange,
                            envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.plan_activity_event(_uow(conn), clock, event, public_events_url(),
                                       reach_links(), new_organiser_channels())


async def on_approval_decided(conn: Connection, event: ActivityEventApprovalDecided,
                              envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.plan_approval_email(_uow(conn), clock, event, public_events_url())


async def on_guide_reply(conn: Connection, event: GuideReplyRequested,
                         envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.plan_guide_reply_email(_uow(conn), clock, event)


async def on_booking(conn: Connection, event: BookingConfirmed | BookingRejected
                     | BookingCancelled | BookingMoved | BookingNoShow, envelope: Envelope,
                     clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.plan_booking_email(_uow(conn), clock, event, public_booking_url())


async def on_booking_ended(conn: Connection, event: BookingEnded, envelope: Envelope,
                           clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.plan_attendance_prompt(_uow(conn), clock, event, public_events_url())


async def on_attendance_reported(conn: Connection, event: AttendanceReported,
                                 envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.note_attendance_reported(_uow(conn), clock, event)


async def on_contact_verification(conn: Connection, event: ContactVerificationRequested,
                                  envelope: Envelope, clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.plan_contact_verification(_uow(conn), clock, event)


async def on_vocabulary_term(conn: Connection, event: VocabularyTermSet, envelope: Envelope,
                             clock: Clock = SYSTEM_CLOCK) -> None:
    await usecases.keep_vocabulary_term(_uow(conn), event)
