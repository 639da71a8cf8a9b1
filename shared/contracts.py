"""Domain event contracts: the only thing services share about each other.

Each payload is versioned in its CloudEvents type (``fi.kohtaamo.booking.confirmed.v1``). A
consumer ignores fields it does not know; a breaking change gets a new type with ``.v2``.
Events carry ids and what other services need to act. Personal data only where notifications
needs it to send someone a message (an address, documented on its field): for notifications
alone, and kept only until the message is sent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.accessibility import ACCESSIBILITY_FEATURES
from shared.envelope import Envelope
from shared.tracing import producer_traceparent

# Topics, one per owning service, keyed by aggregate id. Dead letters go to `<topic>.dlq`.
BOOKING_TOPIC = "booking.v1"
EVENTS_TOPIC = "events.v1"
NOTIFICATIONS_TOPIC = "notifications.v1"
METRICS_TOPIC = "metrics.v1"
GUIDE_TOPIC = "guide.v1"
ALL_TOPICS = (BOOKING_TOPIC, EVENTS_TOPIC, NOTIFICATIONS_TOPIC, METRICS_TOPIC, GUIDE_TOPIC)


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


EVENT_TYPES: dict[str, type[DomainEvent]] = {}


class DomainEvent(BaseModel):
    """Base of every payload. Subclasses name their CloudEvents type and topic."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    EVENT_TYPE: ClassVar[str]
    TOPIC: ClassVar[str]
    SOURCE: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "EVENT_TYPE" in cls.__dict__:
            if cls.EVENT_TYPE in EVENT_TYPES:
                raise TypeError(f"event type {cls.EVENT_TYPE} defined twice")
            EVENT_TYPES[cls.EVENT_TYPE] = cls

    def aggregate_id(self) -> str:
        raise NotImplementedError

    def subject(self) -> str:
        return self.aggregate_id()

    def to_envelope(self, traceparent: str | None = None) -> Envelope:
        """Wrap as a CloudEvent. Its trace context is a new producer span, child of
        `traceparent` (the work that caused the event) or the start of a trace."""
        event_id = uuid4()
        return Envelope(
            id=event_id,
            source=self.SOURCE,
            type=self.EVENT_TYPE,
            subject=self.subject(),
            partitionkey=self.aggregate_id(),
            traceparent=producer_traceparent(traceparent, f"{self.EVENT_TYPE} send", {
                "kohtaamo.service": self.SOURCE.rsplit("/", 1)[-1],
                "messaging.system": "kafka",
                "messaging.operation.type": "send",
                "messaging.destination.name": self.TOPIC,
                "messaging.message.id": str(event_id),
                "cloudevents.event_type": self.EVENT_TYPE,
                "cloudevents.event_subject": self.subject(),
            }),
            data=self.model_dump(mode="json"),
        )


def parse_event(envelope: Envelope) -> DomainEvent | None:
    """The typed payload, or None for a type this code does not know (ignored, not an error)."""
    model = EVENT_TYPES.get(envelope.type)
    if model is None:
        return None
    return model.model_validate(envelope.data)


class LocalizedText(BaseModel):
    """Text residents read, in Finnish (required), Swedish and English."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    fi: str = Field(min_length=1, max_length=500)
    sv: str | None = Field(None, max_length=500)
    en: str | None = Field(None, max_length=500)

    def get(self, lang: str) -> str:
        value = getattr(self, lang, None) if lang in ("fi", "sv", "en") else None
        return value or self.fi


# --- booking service ------------------------------------------------------------------------

VenueKind = Literal[
    "library",
    "youth_centre",
    "activity_centre",
    "school",
    "cultural_institution",
    "sports_venue",
    "shopping_centre",
    "parish_or_association",
    "park",
    "square",
    "nature_site",
    "pop_up",
]


class _BookingSourced(DomainEvent):
    TOPIC: ClassVar[str] = BOOKING_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/booking"


class SpaceInfo(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    space_id: UUID
    name: LocalizedText
    capacity: int | None = None
    #: A paid space's rental price per hour in euros (seed 001: KANTTI's paid spaces), so
    #: the guide can quote it; None for a space in free use only, and in older copies.
    price_per_hour: Decimal | None = Field(None, ge=0)
    #: Rented for a fee (a paid space of a venue with paid space), its price set or not:
    #: without a price, rental waits for one and the guide says so, never "free". False in
    #: older copies.
    paid: bool = False
    #: Bookable in the venue's self-service hours too (or overnight), by its rules; False:
    #: in staffed hours only. None in older copies (every opening hour counted as bookable).
    self_service: bool | None = None


class LendableInfo(BaseModel):
    """Something the venue's desk lends (booking's resources: Chromebooks for a group, games,
    sports equipment; seed 001, "välineiden lainaus"), and how many it has."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    resource_id: UUID
    name: LocalizedText
    quantity: int = Field(ge=0)


class OpeningHoursInfo(BaseModel):
    """Weekly hours (ISO weekday) or, with `day`, a dated exception (no times: closed)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    space_id: UUID | None = None
    weekday: int | None = Field(None, ge=1, le=7)
    day: date | None = None
    opens: str | None = None  # "HH:MM", local time in Helsinki
    closes: str | None = None
    kind: str | None = None  # staffed | self_service
    #: A dated exception's reason as the desk wrote it, in any of fi/sv/en ("Joulupäivä",
    #: "Remontti"): what residents are told beside the day's hours.
    reason: dict[Literal["fi", "sv", "en"], str] | None = None


class VenueRegistered(_BookingSourced):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.venue.registered.v1"

    venue_id: UUID
    name: LocalizedText
    kind: VenueKind
    #: Area code (e.g. ``kuopio.neulamaki``): metrics are reported per area.
    area: str
    municipality: str
    address: str | None = None
    spaces: list[SpaceInfo] = Field(default_factory=list)
    opening_hours: list[OpeningHoursInfo] = Field(default_factory=list)
    exceptions: list[OpeningHoursInfo] = Field(default_factory=list)
    #: Increases with every change, so read models can drop stale copies.
    revision: int = 1
    # What the guide tells residents (all optional, so older copies still parse): how to
    # reach the venue's desk (an institution's address and number, never a person's), how
    # accessible it is, and whether it has paid space to rent (seed 001: the main library).
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    accessibility: LocalizedText | None = None
    has_paid_space: bool | None = None
    #: The venue's own structured accessibility features (`shared.accessibility`, booking's
    #: migration 008): a feature listed is known to be there, one not listed is not known.
    #: Its spaces' own features are not here. Empty in copies from before it was carried.
    #: Words, not a closed enum: a word booking learns later must not turn an older reader's
    #: copy of the event into a dead letter; readers keep the words they know
    #: (`shared.accessibility.known_features`).
    accessibility_features: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=40,
        description="Words of the vocabulary: " + ", ".join(ACCESSIBILITY_FEATURES)
        + " (a reader ignores words it does not know).")
    #: What the venue's desk lends, so the guide can answer "can I borrow …". Empty in copies
    #: from before it was carried, and for a venue that lends nothing.
    lendables: list[LendableInfo] = Field(default_factory=list, max_length=500)

    def aggregate_id(self) -> str:
        return str(self.venue_id)


class VenueUpdated(VenueRegistered):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.venue.updated.v1"


#: The longest `title_language` a booking event carries: a BCP 47 language tag's (RFC 5646).
TITLE_LANGUAGE_MAX = 35


class _BookingFacts(_BookingSourced):
    booking_id: UUID
    venue_id: UUID
    space_id: UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    #: What the booking is for, as the organiser titled it (shown on the draft event).
    title: str
    #: A pseudonymous id of the organiser; the person's data stays in the booking service.
    organiser_id: UUID
    #: The organiser's opaque id at the identity provider (no name or contact), so the
    #: events service can let them complete the draft of their booking.
    organiser_subject: str | None = None
    #: Run in cooperation with the library (free use) rather than a paid rental.
    cooperation: bool = True
    #: resident, association, party, religious, commercial or library: for statistics.
    organiser_type: str = "resident"
    #: staffed, self_service or overnight: which hours the booking falls in.
    hours_kind: str = "staffed"
    series_id: UUID | None = None
    #: The one personal datum on the bus: where the organiser wants the booking's messages
    #: (an address booking verified; its events carry no other), so notifications can email
    #: them. Consumers other than notifications must not store it, but for one exception: the
    #: events service may keep a confirmed booking's address (with `contact_language`) with
    #: that booking's draft, to tell its organiser the approval decision on it when their
    #: sign-in gives no verified address, until the draft is decided or published, the
    #: booking ends (ended, cancelled, rejected, no-show) or the activity has ended, and
    #: must not send it anywhere but in that decision (`event.approval_decided`).
    #: Notifications erases it from its delivery row once the message is sent or given up.
    contact_email: str | None = None
    #: The language the organiser reads (fi, sv or en), for the email (and the decision's).
    contact_language: str = "fi"
    #: The language `title` is written in (fi, sv or en), asked beside it apart from
    #: `contact_language`, which says nothing of it: the events service names the activity
    #: drafted from the booking in it. Finnish in events written before it was carried. A
    #: word, not a closed enum (as `VenueRegistered.accessibility_features`): a language
    #: booking offers later must not make an older reader's copy a dead letter; a reader
    #: takes one it does not know for Finnish, as before the field.
    title_language: str = Field(
        "fi", max_length=TITLE_LANGUAGE_MAX,
        description="fi, sv or en: the language the title is written in (Finnish unless"
        " chosen; a reader takes one it does not know for Finnish).")
    #: Increases with every change of the booking (its calendar entry's SEQUENCE, so a newer
    #: entry replaces an older one); 0 in events written before the booking carried it.
    revision: int = Field(0, ge=0)

    @field_validator("title_language", mode="before")
    @classmethod
    def _longest_tag(cls, value: Any) -> Any:
        # Read clipped rather than refused: a copy carrying a longer one (no language tag
        # is that long) would else be a dead letter for every reader, the booking's
        # cancellation or move lost with it, though each reader takes a language it does
        # not know for Finnish. Producers keep the bound: booking sends fi, sv or en. A
        # null or a value that is no text is read as that default for the same reason.
        return value[:TITLE_LANGUAGE_MAX] if isinstance(value, str) else "fi"

    def aggregate_id(self) -> str:
        return str(self.booking_id)


class HouseRules(BaseModel):
    """The space's rules an organiser is reminded of in their confirmation (all optional)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    #: Until how many hours before the start the organiser may cancel it themselves.
    cancellation_hours: int | None = Field(None, ge=0)
    #: Minutes from the start within which someone must check in, or the space is released
    #: (None: no check-in needed).
    checkin_minutes: int | None = Field(None, ge=0)


class BookingRequested(_BookingFacts):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.requested.v1"


class BookingConfirmed(_BookingFacts):
    """The desk (or the space's automatic confirmation) confirmed the booking. Besides
    `contact_email`, a second personal datum for notifications alone: `access_code`, the door
    code of a booking in self-service hours, only when a verified `contact_email` is set, so
    the confirmation email can give it. Other consumers must not store it; notifications
    erases the email's text holding it once the message is sent or given up. The price and
    its Finnish reference number (`invoice_reference`) of a paid booking, and the space's
    rules (`house_rules`), go in the email too. `revision` is the calendar entry's SEQUENCE."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.confirmed.v1"

    #: A second personal datum, as `contact_email` and for notifications alone: the door code
    #: of a booking in self-service hours, so the confirmation email can give it. Only when
    #: `contact_email` is set (nobody else needs it); consumers other than notifications must
    #: not store it, and notifications erases the email's text holding it once the message is
    #: sent or given up.
    access_code: str | None = Field(None, max_length=20)
    #: The rental's price in euros (a paid booking only), and its Finnish reference number.
    price: Decimal | None = None
    invoice_reference: str | None = Field(None, max_length=40)
    house_rules: HouseRules | None = None
    #: Whether the organiser could still cancel the booking themselves when it was confirmed:
    #: one who signs in on the booking service's own pages (not a walk-in the desk made for
    #: someone without an account there), before the space's deadline
    #: (`house_rules.cancellation_hours`). The email offers it only then. None in events from
    #: before it was carried (and from a confirmation that does not say it): the email says
    #: the space's rule, as it did.
    self_cancel: bool | None = None


class BookingRejected(_BookingFacts):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.rejected.v1"

    reason: str


class BookingCancelled(_BookingFacts):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.cancelled.v1"

    reason: str
    #: organiser or desk
    cancelled_by: str = "desk"


class BookingNoShow(_BookingFacts):
    """Nobody checked in within the space's check-in window; the space was released."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.no_show.v1"


class BookingMoved(_BookingFacts):
    """A confirmed booking now holds a new time (`starts_at`/`ends_at`): the desk moved it, or
    the events service asked for it (`request_id` answers its `booking.move_requested`).
    Notifications emails the organiser both times with a calendar entry that replaces the
    earlier one (same UID, SEQUENCE `revision`). In self-service hours `access_code` is the
    door code: the same personal-data exception as in `booking.confirmed` (notifications
    alone, erased from its delivery once the message is sent or given up)."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.moved.v1"

    previous_starts_at: AwareDatetime
    previous_ends_at: AwareDatetime
    #: desk or organiser (through the activity event)
    moved_by: str = "desk"
    reason: str | None = None
    request_id: UUID | None = None
    #: The door code at the new time when it is in self-service hours: the same personal-data
    #: exception as `BookingConfirmed.access_code` (notifications alone; erased once sent).
    access_code: str | None = Field(None, max_length=20)


class BookingEnded(_BookingFacts):
    """A confirmed booking's time is over and nothing stopped it (not cancelled, not a
    no-show): published once per booking by the booking service's scheduled pass, so
    notifications can ask the organiser, in their language, to report how many took part
    in the activity held in it (issue #16). Carries `contact_email` only as every booking
    event does (a verified address, for notifications alone); to the events service it says
    the address it kept with the booking's draft is to be deleted."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.ended.v1"

    #: Someone checked in (only spaces that require check-in record it).
    checked_in: bool = False


class MoveRefusalReason(BaseModel):
    """One reason a move was refused, as the desk's API lists each (`refusals` of its 422):
    its `code`, its words in English (`reason`), the request's field it concerns, and the
    details a page says it by in its reader's language (`horizon_days`, `min_minutes`,
    `max_minutes`; a closed day's `day` and its `open` hours)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    #: The space's own rule (past, horizon, too_short, too_long, closed), or taken,
    #: equipment, status or gone.
    code: str = Field(max_length=40)
    reason: str = Field(max_length=1000)
    field: str | None = Field(None, max_length=40)
    details: dict[str, Any] = Field(default_factory=dict)


class BookingMoveRefused(_BookingSourced):
    """A `booking.move_requested` could not be done; the booking keeps its time."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.move_refused.v1"

    booking_id: UUID
    request_id: UUID
    #: taken (someone else holds the time), closed (outside opening hours), rule (another
    #: rule of the space), equipment (its lent equipment is not free at the new time),
    #: status (the booking is no longer confirmed) or gone.
    code: str
    reason: str
    #: With `rule` or `closed`: the space's own rule the new time breaks (past, horizon,
    #: too_short, too_long, closed), so a page can say it in its reader's language rather
    #: than show `reason`, which is English; None from a booking service before it.
    rule: str | None = None
    #: Every reason the new time is refused for, the first being `rule`/`code` and `reason`
    #: (a time both too long and past closing is refused for both, as the desk is told).
    #: Empty from a booking service before it: then `rule`/`code` and `reason` are all.
    refusals: list[MoveRefusalReason] = Field(default_factory=list, max_length=20)

    def aggregate_id(self) -> str:
        return str(self.booking_id)


class ContactVerificationRequested(_BookingSourced):
    """An organiser gave an address the identity provider does not vouch for: booking asks
    notifications (the one email sender) to send it a one-time link. Until the link is opened,
    no booking event carries the address, so nothing else is mailed to it. The link expires
    (`expires_at`) and works once; notifications erases it from its delivery once sent."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.contact_verification_requested.v1"

    verification_id: UUID
    email: str
    #: The language the organiser reads (fi, sv or en).
    language: str = "fi"
    #: The page that confirms the address (booking's public URL + a one-time token).
    verify_url: str
    expires_at: AwareDatetime

    def aggregate_id(self) -> str:
        return str(self.verification_id)


# --- events service -------------------------------------------------------------------------


class _ActivityEventFacts(DomainEvent):
    TOPIC: ClassVar[str] = EVENTS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/events"

    event_id: UUID
    #: Increases with every change of the activity event (iCalendar SEQUENCE).
    revision: int
    name: LocalizedText
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    kind: str
    venue_id: UUID | None = None
    space_id: UUID | None = None
    area: str | None = None
    booking_id: UUID | None = None
    free: bool = True
    #: What taking part costs in euros when it is not free (None: not told), so posts and
    #: boards can say it ("5,50 €") rather than only "paid".
    price: Decimal | None = Field(None, ge=0)
    topics: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["fi"])
    #: venue, outdoors, pop_up, online, hybrid or other_place
    place_kind: str = "venue"
    series_id: UUID | None = None
    #: Pseudonymous organiser (no name): metrics counts distinct organisers with it.
    organiser_id: UUID | None = None
    # What residents read about it on social media and notice boards (all optional, so older
    # copies of the event still parse).
    short_description: LocalizedText | None = None
    registration_required: bool = False
    #: Where it is when not at a venue (a park, a square), or a venue's own wording.
    place_name: LocalizedText | None = None
    online_url: str | None = None
    image_url: str | None = None
    #: The image's alternative text; Instagram and Mastodon posts carry it with the image.
    image_alt: LocalizedText | None = None
    #: Seats for those who register (None: no limit); registration itself is kept by the
    #: notifications service, which publishes only counts (registration.counts).
    capacity: int | None = Field(None, ge=1)
    #: The editor's opaque id at the identity provider (no name or contact), so the
    #: notifications service can show them the list of those who registered.
    organiser_subject: str | None = None
    #: Its organiser had no activity published before: notifications reach with it only the
    #: channels of their `KOHTAAMO_NEW_ORGANISER_CHANNELS` setting.
    new_organiser: bool = False
    #: A whole-day activity (midnight to midnight in Helsinki): shown by its dates, never as
    #: "0.00 – 0.00", and not counted as 24 activity hours a day.
    all_day: bool = False

    @model_validator(mode="after")
    def _ends_after_start(self) -> _ActivityEventFacts:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self

    def aggregate_id(self) -> str:
        return str(self.event_id)


class ActivityEventPublished(_ActivityEventFacts):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.event.published.v1"


class ActivityEventCancelled(_ActivityEventFacts):
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.event.cancelled.v1"

    reason: str | None = None
    #: The organiser asked to release the activity's booking too (the booking service cancels
    #: it); false when the booking was cancelled first or is kept.
    release_booking: bool = False


class BookingMoveRequested(DomainEvent):
    """The events service asks the booking service to move an activity's booking (a
    reschedule of an activity that has a booking). Answered by `booking.moved` or
    `booking.move_refused` with the same `request_id`. Keyed by the booking, so it and the
    booking's own events are handled in one order."""

    TOPIC: ClassVar[str] = EVENTS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/events"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.booking.move_requested.v1"

    request_id: UUID
    booking_id: UUID
    event_id: UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    #: Who asked (role:subject), for the booking's history.
    requested_by: str

    def aggregate_id(self) -> str:
        return str(self.booking_id)


class ActivityEventUpdated(_ActivityEventFacts):
    """A published event's details changed (not its time)."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.event.updated.v1"


class ActivityEventPostponed(_ActivityEventFacts):
    """Postponed to a time not yet known; `starts_at`/`ends_at` are the old ones."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.event.postponed.v1"

    reason: str | None = None


class ActivityEventRescheduled(_ActivityEventFacts):
    """Moved to a new time (`starts_at`/`ends_at`); the old time is given too."""

    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.event.rescheduled.v1"

    previous_starts_at: AwareDatetime
    previous_ends_at: AwareDatetime


class ActivityEventApprovalDecided(DomainEvent):
    """Staff decided on an activity that waited in the approval queue: `approved` (it is
    published; `event.published` tells everyone) or `refused` with a reason (it is its
    organiser's draft again, to edit and publish again). Residents hear nothing of it:
    notifications tells the organiser. Keyed by the activity, so it follows its own events."""

    TOPIC: ClassVar[str] = EVENTS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/events"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.event.approval_decided.v1"

    event_id: UUID
    #: One per decision: an activity refused, changed and sent to the queue again gets a
    #: decision (and a message) of its own; a redelivered decision is the same one.
    decision_id: UUID
    name: LocalizedText
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    all_day: bool = False
    decision: Literal["approved", "refused"]
    #: Why it was refused, in the staff's words (a refusal only).
    reason: str | None = Field(None, max_length=1000)
    decided_at: AwareDatetime
    #: The one personal datum, as a booking's `contact_email`: the organiser's verified
    #: address, only when the events service kept it (from sending the activity to the queue
    #: until this decision, then deleted, or until the activity ended): as the identity
    #: provider verified it in their
    #: sign-in, else, for a booking's draft, the booking's `contact_email` (which the booking
    #: service verified) kept with the draft since `booking.confirmed`, in its
    #: `contact_language`. Only notifications may use it, and must not store it beyond the
    #: delivery: it erases it from its delivery row once the message is sent or given up.
    #: Other consumers must not store it.
    contact_email: str | None = Field(None, max_length=254)
    #: The language the organiser reads (fi, sv or en), for the email.
    contact_language: str = "fi"

    def aggregate_id(self) -> str:
        return str(self.event_id)


class NotificationDelivered(DomainEvent):
    """An activity event reached a channel (a notice board, a social account, an email)."""

    TOPIC: ClassVar[str] = NOTIFICATIONS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/notifications"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.notification.delivered.v1"

    delivery_id: UUID
    activity_event_id: UUID
    revision: int
    channel: str
    area: str | None = None
    venue_id: UUID | None = None
    #: When the activity starts: reach is counted in the activity's month.
    starts_at: AwareDatetime
    #: The board or account it reached (its id, never a person's address): reach counts an
    #: activity once per target, however many revisions, reminders or notices it got there.
    #: None: each delivery counts (a digest reaching a follower).
    target: str | None = None
    #: announcement, reminder, change or cancellation: a cancellation notice is no reach.
    purpose: str | None = None

    def aggregate_id(self) -> str:
        return str(self.activity_event_id)


class NotificationFailed(DomainEvent):
    """A delivery was given up: a permanent error (the platform refused the post), or retries
    ran out. Communications staff decide what to do; the delivery can be retried by hand."""

    TOPIC: ClassVar[str] = NOTIFICATIONS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/notifications"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.notification.failed.v1"

    delivery_id: UUID
    activity_event_id: UUID | None = None
    booking_id: UUID | None = None
    revision: int
    channel: str
    #: retry (retries ran out), permanent, reauth or unconfirmed.
    error_class: str
    error: str

    def aggregate_id(self) -> str:
        return str(self.activity_event_id or self.booking_id or self.delivery_id)


class ChannelAccountRoutingChanged(DomainEvent):
    """An admin chose where a city channel account's token goes, or which token it is (a new
    account, or a changed `base_url` or `secret_ref`): announced on the bus as well as
    recorded in the account's history, so a security team's tools see it (issue #13). The
    secret itself never travels: `secret_ref` only names where it is kept."""

    TOPIC: ClassVar[str] = NOTIFICATIONS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/notifications"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.channel.routing_changed.v1"

    account_id: UUID
    platform: str
    #: Which of base_url and secret_ref were set.
    fields: list[str]
    old_base_url: str | None = None
    new_base_url: str | None = None
    old_secret_ref: str | None = None
    new_secret_ref: str | None = None
    #: The admin's identity (their subject at the identity provider).
    changed_by: str
    changed_at: AwareDatetime

    def aggregate_id(self) -> str:
        return str(self.account_id)


class GuideReplyRequested(DomainEvent):
    """Staff answered a resident's question outside the chat (the resident left an email
    address for the reply): notifications sends `answer` to `contact_email`. The address is
    the one personal datum; the guide erases it from its own conversation once this event is
    written, and notifications must erase it from its delivery once sent or given up."""

    TOPIC: ClassVar[str] = GUIDE_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/guide"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.guide.reply_requested.v1"

    conversation_id: UUID
    message_id: UUID
    contact_email: str = Field(max_length=254)
    #: fi, sv or en: the language the resident asked in.
    contact_language: str = "fi"
    #: The resident's question, quoted in the email.
    question: str = Field(max_length=2000)
    answer: str = Field(max_length=4000)
    #: Who answered (a service name such as "Neulamäen kirjasto", never a person's email).
    answered_by: str | None = Field(None, max_length=200)

    def aggregate_id(self) -> str:
        return str(self.conversation_id)


class RegistrationCounts(DomainEvent):
    """How many have registered for an activity: counts only, never who (the registrants'
    names and addresses stay in the notifications service). Published on every sign-up,
    cancellation, promotion from the waiting list and attendance mark, on every save of the
    sign-up settings, and when the activity is edited or moved (its places and time may
    have changed); `sequence` increases, so a read model keeps the newest."""

    TOPIC: ClassVar[str] = NOTIFICATIONS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/notifications"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.registration.counts.v1"

    activity_event_id: UUID
    sequence: int
    capacity: int | None = None
    #: Seats taken by confirmed registrations (a group counts each of its members).
    confirmed_seats: int = Field(ge=0)
    waiting_seats: int = Field(ge=0)
    #: Confirmed seats marked present from the participant list.
    attended_seats: int = Field(0, ge=0)
    area: str | None = None
    venue_id: UUID | None = None
    starts_at: AwareDatetime

    def aggregate_id(self) -> str:
        return str(self.activity_event_id)


class AreaIndicatorValues(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    area: str
    population: int | None = None
    values: dict[str, float | int | None]
    per_1000: dict[str, float | None] = Field(default_factory=dict)


class MetricsPeriodClosed(DomainEvent):
    """A month's indicators per area, final: for the welfare report, the wellbeing services
    county and open data. A later correction is published as a new revision."""

    TOPIC: ClassVar[str] = METRICS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/metrics"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.metrics.period_closed.v1"

    month: date
    revision: int = 1
    areas: list[AreaIndicatorValues]

    def aggregate_id(self) -> str:
        return f"period:{self.month.isoformat()}"


#: Every change of a published activity event that others show or count.
ActivityEventChange = (ActivityEventPublished | ActivityEventUpdated | ActivityEventPostponed
                       | ActivityEventRescheduled | ActivityEventCancelled)


class AttendanceReported(DomainEvent):
    """After the activity, how many took part (participants) and came by (visitors)."""

    TOPIC: ClassVar[str] = EVENTS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/events"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.attendance.reported.v1"

    event_id: UUID
    #: Increases when a report is corrected; the newest one counts.
    report_revision: int
    participants: int = Field(ge=0)
    visitors: int = Field(ge=0)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    area: str | None = None
    venue_id: UUID | None = None
    kind: str
    organiser_id: UUID | None = None

    def aggregate_id(self) -> str:
        return str(self.event_id)




#: The schemes of the events service's vocabulary (its `vocabulary` table).
VocabularyScheme = Literal["kind", "topic", "audience"]


class VocabularyTermSet(DomainEvent):
    """A kind, topic or audience of the events service's vocabulary with its words in Finnish
    (always), Swedish and English, as they are now: told when communications staff add a term
    or give it other words (`PUT /vocabulary`), and once for each term the service had before
    it told them (its seed), so a reader keeps its own copy of the words (the notifications
    service's follow page) and a code added later reads by them, never as its code. Keyed
    `vocabulary:<scheme>:<code>`, so one term's records stay in order on one partition;
    `revision` starts at 1 and rises by one with each relabel, retiring or restoring: a
    reader keeps the newest. Codes are never removed (past activities keep their meaning):
    staff retire one instead (`retired`), and it is offered for no new choice (forms,
    filters, follow pages) while what has it still reads by its words."""

    TOPIC: ClassVar[str] = EVENTS_TOPIC
    SOURCE: ClassVar[str] = "/kohtaamo/events"
    EVENT_TYPE: ClassVar[str] = "fi.kohtaamo.vocabulary.term_set.v1"

    scheme: VocabularyScheme
    #: The code activities carry in `kind`, `topics` or `audiences` (a-z, 0-9 and `_`).
    code: str = Field(min_length=1, max_length=50)
    #: Checked as the events service checks it: Finnish required, each at most 500 characters.
    label: LocalizedText
    revision: int = Field(ge=1)
    #: Retired by staff: no new choice offers it (added later; a reader that ignores it
    #: keeps offering the term, as before).
    retired: bool = False

    def aggregate_id(self) -> str:
        return f"vocabulary:{self.scheme}:{self.code}"
