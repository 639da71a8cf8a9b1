"""Request and response bodies of the booking API (pydantic), and their translation to and
from the use cases' commands and results.

Every text, date, time and number a request carries is bounded here (`shared.bounds`): NUL
bytes, lone surrogates, years outside 2000–2100, integers past int32, null where a value is
required and a non-list where a list is expected are a 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services.booking import domain, usecases
from services.booking.domain import DEFAULT_RULES, Booking, Space, SpaceRules
from services.booking.usecases.loans import BorrowedLoan, Borrower
from shared.accessibility import AccessibilityFeature
from shared.areas import AREAS
from shared.bounds import Day, EachOnce, Int32, Moment, Str
from shared.contracts import LocalizedText, VenueKind
from shared.email_address import EmailAddress

HoursKind = Literal["staffed", "self_service"]
OrganiserType = Literal["resident", "association", "party", "religious", "commercial", "library"]
Area = Annotated[Str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_.-]+$")]
#: What a venue's `area` takes: the domain refuses another code (`unknown_area`, with these).
AREA_DOC = "One of Kuopio's areas: " + ", ".join(sorted(AREAS))
Status = Literal["held", "requested", "confirmed", "rejected", "cancelled", "expired", "no_show"]
#: Structured accessibility (migration 008, `shared.accessibility`): a feature
#: listed is known to be there; one not listed is not known.
Features = Annotated[list[AccessibilityFeature], Field(
    max_length=5, description="Accessibility features known to be there (each once); one not"
    " listed is not known. A space has its venue's features and its own.")]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


#: A moment in an answer, written in UTC with `Z` (as `domain.utc_text`) whatever offset it
#: was given or computed in: a free slot from 09:00+02:00 to 08:00Z read as ending before it
#: started, and a loan read back otherwise than it was answered when made.
UtcMoment = Annotated[datetime, PlainSerializer(_utc, return_type=datetime)]


class Text(LocalizedText):
    """Text residents read in fi (required), sv and en, each storable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fi: Str = Field(min_length=1, max_length=500)
    sv: Str | None = Field(None, max_length=500)
    en: Str | None = Field(None, max_length=500)


class Name(Text):
    """A name residents read in fi (required), sv and en: at most `domain.NAME_MAX`
    characters each, as the domain keeps it."""

    fi: Str = Field(min_length=1, max_length=domain.NAME_MAX)
    sv: Str | None = Field(None, max_length=domain.NAME_MAX)
    en: Str | None = Field(None, max_length=domain.NAME_MAX)


class Reason(BaseModel):
    """Why a day is an exception, as residents read it, in any of fi/sv/en (at least one):
    a desk writes in its own language, and a reader of another reads it as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fi: Str | None = Field(None, max_length=domain.REASON_MAX)
    sv: Str | None = Field(None, max_length=domain.REASON_MAX)
    en: Str | None = Field(None, max_length=domain.REASON_MAX)


def _text(value: dict[str, Any] | None) -> LocalizedText | None:
    return LocalizedText(**value) if value else None


class Photo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Str = Field(min_length=1, max_length=500)
    alt: Text


class SpaceRulesIn(BaseModel):
    """Rules the desk sets per space (defaults: `domain.DEFAULT_RULES`)."""

    model_config = ConfigDict(extra="forbid")

    min_minutes: int = Field(DEFAULT_RULES.min_minutes, ge=15, le=24 * 60 * 7)
    max_minutes: int = Field(DEFAULT_RULES.max_minutes, ge=15, le=24 * 60 * 7)
    horizon_days: int = Field(DEFAULT_RULES.horizon_days, ge=1, le=730)
    buffer_minutes: int = Field(DEFAULT_RULES.buffer_minutes, ge=0, le=240)
    max_open_requests: int = Field(DEFAULT_RULES.max_open_requests, ge=1, le=100)
    confirmation: Literal["manual", "automatic"] = "manual"
    price_per_hour: Decimal | None = Field(DEFAULT_RULES.price_per_hour, ge=0, le=10000,
                                           max_digits=7, decimal_places=2)
    cancellation_hours: int = Field(DEFAULT_RULES.cancellation_hours, ge=0, le=24 * 30)
    self_service: bool = DEFAULT_RULES.self_service
    overnight: bool = DEFAULT_RULES.overnight
    checkin_required: bool = DEFAULT_RULES.checkin_required
    checkin_minutes: int = Field(DEFAULT_RULES.checkin_minutes, ge=1, le=24 * 60)
    hold_minutes: int = Field(DEFAULT_RULES.hold_minutes, ge=1, le=24 * 60)
    # A longest booking shorter than the shortest is `domain.check_space_rules`'s refusal
    # (`rule_lengths`, naming `max_minutes`), not a validator's on the body as a whole.

    def to_rules(self, paid: bool = False) -> SpaceRules:
        return SpaceRules(paid=paid, **self.model_dump())

    @classmethod
    def of(cls, rules: SpaceRules) -> SpaceRulesIn:
        return cls(**{k: getattr(rules, k) for k in cls.model_fields})


class SpaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    description: Text | None = None
    capacity: int | None = Field(None, gt=0, le=10000)
    equipment: list[Annotated[Str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=30)
    photos: list[Photo] = Field(default_factory=list, max_length=20)
    paid: bool = False
    parent_id: UUID | None = None
    rules: SpaceRulesIn = Field(default_factory=SpaceRulesIn)
    accessibility_features: Features = Field(default_factory=list)

    def to_space(self, venue_id: UUID, space_id: UUID | None = None) -> Space:
        return Space(
            id=space_id or uuid4(), venue_id=venue_id, name=self.name.model_dump(),
            rules=self.rules.to_rules(self.paid),
            description=self.description.model_dump() if self.description else None,
            capacity=self.capacity, equipment=tuple(self.equipment),
            photos=tuple(p.model_dump(mode="json") for p in self.photos), paid=self.paid,
            parent_id=self.parent_id, accessibility_features=tuple(self.accessibility_features))


class SpaceDetailsIn(BaseModel):
    """What residents read of a space besides its name; replaces what it had."""

    model_config = ConfigDict(extra="forbid")

    description: Text | None = None
    equipment: list[Annotated[Str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=30)
    photos: list[Photo] = Field(default_factory=list, max_length=20)
    accessibility_features: Features = Field(default_factory=list)

    def to_details(self) -> domain.SpaceDetails:
        return domain.SpaceDetails(
            description=self.description.model_dump() if self.description else None,
            equipment=tuple(self.equipment),
            photos=tuple(p.model_dump(mode="json") for p in self.photos),
            accessibility_features=tuple(self.accessibility_features))


#: A phone number (an organiser's, a borrower's, a venue's) as the API takes it: read by
#: the domain's one rule (`domain.check_phone`: at most `domain.PHONE_MAX` characters, as
#: the forms' fields take, at least five digits), whose refusal (422 `phone`; a borrower's
#: `loan_borrower_phone`) is said with every other rule the request breaks. The schema says
#: the rule's length rather than refusing by a second number of its own.
Phone = Annotated[Str | None, Field(
    description=f"Digits with spaces, dashes and brackets, a + before a country code; at "
                f"least five digits, at most {domain.PHONE_MAX} characters (else 422 "
                f"`phone`).",
    json_schema_extra={"maxLength": domain.PHONE_MAX})]


class Contact(BaseModel):
    """A venue's own desk address and number (never a person's), which residents read: its
    phone by the one rule of every phone number (`Phone`, refused as `contact.phone`)."""

    model_config = ConfigDict(extra="forbid")

    email: EmailAddress | None = None
    phone: Phone = None


class ContactOut(BaseModel):
    """A venue's contact as kept. Its phone is read as it was written: one kept before the
    venue's number had the rule of every phone (`Contact`) is up to 40 characters, as the
    API took it then and as `venue.registered` and `venue.updated` carry it."""

    email: str | None = None
    phone: str | None = Field(None, json_schema_extra={"maxLength": 40})


class VenueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    description: Text | None = None
    kind: VenueKind
    area: Area = Field(description=AREA_DOC)
    municipality: Str = Field(min_length=1, max_length=100)
    address: Str | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    accessibility: Text | None = None
    accessibility_features: Features = Field(default_factory=list)
    contact: Contact = Field(default_factory=Contact)
    languages: Annotated[list[Literal["fi", "sv", "en"]], *EachOnce] = Field(
        default=["fi"], min_length=1, max_length=3)
    has_paid_space: bool = False
    spaces: list[SpaceIn] = Field(default_factory=list, max_length=200)

    def to_venue(self, venue_id: UUID | None = None) -> domain.Venue:
        data = self.model_dump(mode="json", exclude={"spaces"})
        return domain.Venue(
            id=venue_id or uuid4(), name=data["name"], kind=self.kind, area=self.area,
            municipality=self.municipality, has_paid_space=self.has_paid_space,
            description=data["description"], address=self.address, latitude=self.latitude,
            longitude=self.longitude, accessibility=data["accessibility"],
            contact=data["contact"], languages=tuple(self.languages),
            accessibility_features=tuple(self.accessibility_features))


#: Details a venue always has: present in a PATCH means a value, never null.
_REQUIRED_DETAILS = ("name", "contact", "languages", "area")


class VenuePatch(BaseModel):
    """Changes to a venue's details; spaces are added and changed on their own."""

    model_config = ConfigDict(extra="forbid")

    name: Text | None = None
    description: Text | None = None
    address: Str | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    accessibility: Text | None = None
    accessibility_features: Features | None = None
    contact: Contact | None = None
    languages: Annotated[list[Literal["fi", "sv", "en"]], *EachOnce] | None = Field(
        None, min_length=1, max_length=3)
    area: Area | None = Field(None, description=AREA_DOC)

    @field_validator(*_REQUIRED_DETAILS, mode="before")
    @classmethod
    def _no_null_for_required(cls, value: Any, info: ValidationInfo) -> Any:
        # Refused by its own name (a refusal of the whole body said only "check this").
        if value is None:
            raise ValueError(f"{info.field_name} cannot be removed (null); give a value")
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class ResourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    quantity: int = Field(ge=0, le=100000)


class SpaceOut(BaseModel):
    id: UUID
    name: LocalizedText
    description: LocalizedText | None
    capacity: int | None
    equipment: list[str]
    photos: list[Photo]
    paid: bool
    parent_id: UUID | None
    rules: SpaceRulesIn
    #: The space's own; its venue's are the venue's `accessibility_features`.
    accessibility_features: list[AccessibilityFeature]

    @classmethod
    def of(cls, s: Space) -> SpaceOut:
        return cls(id=s.id, name=LocalizedText(**s.name), description=_text(s.description),
                   capacity=s.capacity, equipment=list(s.equipment),
                   photos=[Photo(**p) for p in s.photos], paid=s.paid, parent_id=s.parent_id,
                   rules=SpaceRulesIn.of(s.rules),
                   accessibility_features=list(s.accessibility_features))


class ResourceOut(BaseModel):
    id: UUID
    name: LocalizedText
    quantity: int

    @classmethod
    def of(cls, r: domain.Resource) -> ResourceOut:
        return cls(id=r.id, name=LocalizedText(**r.name), quantity=r.quantity)


class VenueOut(BaseModel):
    id: UUID
    name: LocalizedText
    description: LocalizedText | None
    kind: str
    area: str
    municipality: str
    address: str | None
    latitude: float | None
    longitude: float | None
    accessibility: LocalizedText | None
    accessibility_features: list[AccessibilityFeature]
    contact: ContactOut
    languages: list[str]
    has_paid_space: bool
    revision: int
    spaces: list[SpaceOut]
    resources: list[ResourceOut]

    @classmethod
    def of(cls, view: usecases.VenueView) -> VenueOut:
        v = view.venue
        return cls(
            id=v.id, name=LocalizedText(**v.name), description=_text(v.description),
            kind=v.kind, area=v.area, municipality=v.municipality, address=v.address,
            latitude=v.latitude, longitude=v.longitude, accessibility=_text(v.accessibility),
            accessibility_features=list(v.accessibility_features),
            contact=ContactOut(email=(v.contact or {}).get("email"),
                               phone=(v.contact or {}).get("phone")), languages=list(v.languages),
            has_paid_space=v.has_paid_space, revision=v.revision,
            spaces=[SpaceOut.of(s) for s in view.spaces],
            resources=[ResourceOut.of(r) for r in view.resources])


class WeeklyHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 = Monday")
    opens: time
    closes: time
    kind: HoursKind = "staffed"

    @model_validator(mode="after")
    def _order(self) -> WeeklyHoursIn:
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opening hours are local (Helsinki) times, without an offset")
        return self

    def to_hours(self) -> domain.WeeklyHours:
        return domain.WeeklyHours(self.weekday, self.opens, self.closes, self.kind)


class HoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    space_id: UUID | None = None
    weekly: list[WeeklyHoursIn] = Field(max_length=100)


class ExceptionIn(BaseModel):
    """A day's own hours, or closed all day. Its shape (times on a closed day, one time
    missing, closing before opening, a time with an offset) is checked by the domain's
    `day_exception`, the desk's check too: a refusal is a 422 naming the field, with a
    `code`."""

    model_config = ConfigDict(extra="forbid")

    space_id: UUID | None = None
    day: Day
    closed: bool = True
    opens: time | None = None
    closes: time | None = None
    kind: HoursKind | None = Field(None, description="staffed when not given")
    reason: Reason | None = None

    def to_exception(self) -> domain.DayException:
        return domain.day_exception(self.day, closed=self.closed, opens=self.opens,
                                    closes=self.closes, kind=self.kind or "staffed")


class OutsideHoursOut(BaseModel):
    """A requested or confirmed booking the change leaves outside opening hours: still
    standing (nothing is cancelled by a change of hours), for the desk to move or cancel."""

    id: UUID
    space_id: UUID
    title: str
    starts_at: UtcMoment
    ends_at: UtcMoment
    status: str

    @classmethod
    def of(cls, b: domain.Booking) -> OutsideHoursOut:
        return cls(id=b.id, space_id=b.space_id, title=b.title, starts_at=b.starts_at,
                   ends_at=b.ends_at, status=b.status)


class HoursOut(BaseModel):
    """The weekly hours as saved, and the coming bookings they leave outside opening hours."""

    space_id: UUID | None
    weekly: list[WeeklyHoursIn]
    outside_hours: list[OutsideHoursOut]


class ExceptionOut(BaseModel):
    """A day's exception as stored: `kind` is null only on a day closed all day;
    `outside_hours`, the day's bookings it leaves outside opening hours."""

    space_id: UUID | None
    day: date
    closed: bool
    opens: time | None
    closes: time | None
    kind: HoursKind | None
    reason: dict[Literal["fi", "sv", "en"], str] | None
    outside_hours: list[OutsideHoursOut] = []

    @classmethod
    def of(cls, space_id: UUID | None, e: domain.DayException,
           outside: Sequence[domain.Booking] = ()) -> ExceptionOut:
        return cls(space_id=space_id, day=e.day, closed=e.opens is None, opens=e.opens,
                   closes=e.closes, kind=e.kind,
                   reason={k: v for k, v in (e.reason or {}).items() if v} or None,
                   outside_hours=[OutsideHoursOut.of(b) for b in outside])


class IntervalOut(BaseModel):
    starts_at: UtcMoment
    ends_at: UtcMoment
    kind: str


class HolidayOut(BaseModel):
    day: date
    name: LocalizedText


class HolidayClosingOut(BaseModel):
    """What `POST /venues/{id}/exceptions/public-holidays` did: the days closed now, with
    the holiday's name, and the days kept because they already had an exception."""

    year: int
    added: list[HolidayOut]
    kept: list[date]

    @classmethod
    def of(cls, done: usecases.HolidayClosing) -> HolidayClosingOut:
        return cls(year=done.year, kept=done.kept,
                   added=[HolidayOut(day=day, name=LocalizedText(**names))
                          for day, names in done.added])


class OrganiserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Str = Field(min_length=1, max_length=200)
    email: EmailAddress | None = None
    phone: Phone = None
    #: The booking's emails are written in it (Finnish when not given).
    language: Literal["fi", "sv", "en"] | None = None


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    space_id: UUID
    starts_at: Moment
    ends_at: Moment

    def command(self) -> usecases.HoldCommand:
        return usecases.HoldCommand(self.space_id, self.starts_at, self.ends_at)


class RequestDetails(BaseModel):
    """What completes a hold into a request."""

    model_config = ConfigDict(extra="forbid")

    title: Str = Field(min_length=1, max_length=200)
    title_language: Literal["fi", "sv", "en"] = Field(
        "fi", description="The language the title is written in: the activity drafted from "
                          "the booking is named in it (Finnish when not given).")
    organiser: OrganiserIn | None = None
    organiser_type: OrganiserType = "resident"
    cooperation: bool = True
    shared_activity: bool = False
    library_contact: Str | None = Field(None, max_length=200)
    accept_house_rules: bool

    def details(self) -> usecases.RequestDetails:
        o = self.organiser
        return usecases.RequestDetails(
            title=self.title, accept_house_rules=self.accept_house_rules,
            organiser=usecases.OrganiserDetails(o.name, str(o.email) if o.email else None,
                                                o.phone, o.language) if o else None,
            organiser_type=self.organiser_type, cooperation=self.cooperation,
            shared_activity=self.shared_activity, library_contact=self.library_contact,
            title_language=self.title_language)


class BookingIn(RequestDetails):
    space_id: UUID
    starts_at: Moment
    ends_at: Moment

    def command(self) -> usecases.BookingCommand:
        return usecases.BookingCommand(self.space_id, self.starts_at, self.ends_at,
                                       self.details())


class RepeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: Day | None = None
    count: int | None = Field(None, ge=1, le=60)
    every: int = Field(1, ge=1, le=4, description="Weeks between the occurrences: 1 weekly,"
                       " 2 every other week, up to 4")


class SeriesIn(BookingIn):
    repeat: RepeatIn
    on_conflict: Literal["skip", "reject"] = "skip"

    def series(self) -> usecases.SeriesCommand:
        return usecases.SeriesCommand(self.command(), until=self.repeat.until,
                                      count=self.repeat.count, on_conflict=self.on_conflict,
                                      every=self.repeat.every)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Str = Field(min_length=1, max_length=1000)


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: Moment
    ends_at: Moment
    reason: Str | None = Field(None, max_length=1000)
    revision: Int32 | None = Field(
        None, ge=1, description="the booking's revision as the client showed it: a booking"
                                " changed since is refused (409 booking_changed, with its"
                                " time now) instead of overwriting the other change")


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Str = Field("", max_length=1000)


class SeriesCancelIn(CancelIn):
    #: The times a client showed before cancelling, as the 409 `series_changed` names them
    #: (`version`): with it, exactly those times are cancelled, or nothing if the series
    #: changed since. Without it, every time from `from` on, as they are.
    version: str | None = Field(None, pattern=r"^[0-9a-f]{32}$")


class BorrowerIn(BaseModel):
    """Whom a loan is out to, so the desk can chase it when it is overdue."""

    model_config = ConfigDict(extra="forbid")

    name: Str = Field(min_length=1, max_length=200)
    phone: Phone = None
    email: EmailAddress | None = None

    def borrower(self) -> Borrower:
        return Borrower(self.name, self.phone, self.email)


class LoanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource_id: UUID
    quantity: Int32 = Field(ge=1, le=1000)
    starts_at: Moment
    ends_at: Moment
    booking_id: UUID | None = None
    borrower: BorrowerIn | None = Field(None, description=(
        "Whom it is lent to. Required without `booking_id`: a loan without one and without"
        " a borrower is refused with 422, code `loan_borrower_needed`, naming"
        " `borrower.name`. With `booking_id`, the booking's contact borrows unless"
        " someone else is named here."))

    def command(self) -> usecases.LoanCommand:
        return usecases.LoanCommand(self.resource_id, self.quantity, self.starts_at,
                                    self.ends_at, self.booking_id,
                                    self.borrower.borrower() if self.borrower else None)


class BorrowerOut(BaseModel):
    name: str
    phone: str | None
    email: str | None


class LoanOut(BaseModel):
    id: UUID
    resource_id: UUID
    booking_id: UUID | None
    quantity: int
    starts_at: UtcMoment
    ends_at: UtcMoment
    status: str
    borrower: BorrowerOut | None = Field(description=(
        "Whom it is out to: the borrower named, else the contact of its booking; null for a"
        " loan made before borrowers were asked."))

    @classmethod
    def of(cls, loan: BorrowedLoan) -> LoanOut:
        who = loan.borrower
        return cls(id=loan.id, resource_id=loan.resource_id, booking_id=loan.booking_id,
                   quantity=loan.quantity, starts_at=loan.starts_at, ends_at=loan.ends_at,
                   status=loan.status,
                   borrower=BorrowerOut(name=who.name, phone=who.phone, email=who.email)
                   if who else None)


class HistoryOut(BaseModel):
    status: str
    actor: str
    reason: str | None
    at: UtcMoment


class OrganiserOut(BaseModel):
    name: str
    email: str | None
    phone: str | None


class LinkSentOut(BaseModel):
    """What "send the link again" did (`send_link_again`)."""

    email: str = Field(description="The booking's address, as given with it.")
    sent: bool = Field(description="A new link is on its way (the one before stops working);"
                                   " false: the sign-in vouches for the address, proved at"
                                   " once without a link.")
    expires_at: datetime = Field(description="Until when the new link works.")

    @classmethod
    def of(cls, done: usecases.LinkSent) -> LinkSentOut:
        return cls(email=done.email, sent=done.sent, expires_at=done.expires_at)


class BookingOut(BaseModel):
    id: UUID
    space_id: UUID
    venue_id: UUID
    organiser_id: UUID
    title: str
    #: fi, sv or en: the language the title is written in.
    title_language: str = "fi"
    starts_at: UtcMoment
    ends_at: UtcMoment
    status: str
    cooperation: bool
    organiser_type: str
    shared_activity: bool
    library_contact: str | None
    hours_kind: str
    access_code: str | None
    price: Decimal | None
    invoice_reference: str | None
    series_id: UUID | None
    hold_expires_at: UtcMoment | None
    checked_in_at: UtcMoment | None
    organiser: OrganiserOut | None = None
    history: list[HistoryOut]
    #: Counts every change: what a move sends back as `revision` (a move of a booking
    #: changed since is refused, not laid over the other change).
    revision: int = 1

    @classmethod
    def of(cls, b: Booking, *, with_organiser: bool = True) -> BookingOut:
        """`with_organiser`: the booking's own contact details (for its organiser and the
        venue's desk)."""
        c = b.contact if with_organiser else None
        return cls(
            id=b.id, space_id=b.space_id, venue_id=b.venue_id, organiser_id=b.organiser_id,
            title=b.title, title_language=b.title_language, starts_at=b.starts_at,
            ends_at=b.ends_at, status=b.status,
            cooperation=b.cooperation, organiser_type=b.organiser_type,
            shared_activity=b.shared_activity, library_contact=b.library_contact,
            hours_kind=b.hours_kind,
            access_code=domain.shown_door_code(b.status, b.access_code), price=b.price,
            invoice_reference=b.invoice_reference, series_id=b.series_id,
            hold_expires_at=b.hold_expires_at, checked_in_at=b.checked_in_at,
            organiser=OrganiserOut(name=c.name, email=c.email, phone=c.phone) if c else None,
            history=[HistoryOut(status=h.status, actor=h.actor, reason=h.reason, at=h.at)
                     for h in b.history], revision=b.revision)


class SeriesOut(BaseModel):
    series_id: UUID
    created: list[BookingOut]
    skipped: list[dict[str, str]]
