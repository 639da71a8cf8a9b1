"""Use cases against the in-memory store, a fixed clock and a fake unit of work: no I/O.

The table-driven tests run the same odd input through every way an event comes in (the API's
create and edit, a series, the Linked Events import, a confirmed booking): each way refuses
it, or (a booking's title) repairs it, by the same rules, and stores nothing invalid."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import domain, linked_events, usecases
from services.events.tests.fakes import TermsWorld
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventApprovalDecided,
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventPublished,
    ActivityEventRescheduled,
    ActivityEventUpdated,
    AttendanceReported,
    BookingConfirmed,
    LocalizedText,
    VenueRegistered,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from shared.identity import PUBLIC, Principal

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)
ORGANISER = Principal(subject="kuoro", roles=frozenset({"organiser"}))
OTHER = Principal(subject="joku-muu", roles=frozenset({"organiser"}))
COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))


def fields(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": {"fi": "Satutuokio", "sv": "Sagostund", "en": "Story time"},
        "kind": "open_guided", "place_kind": "outdoors", "area": "kuopio.jynkka",
        "place_name": {"fi": "Jynkän uimaranta", "sv": "Jynkkä badstrand",
                       "en": "Jynkkä beach"},
        "topics": ["stories"], "audiences": ["families"], "languages": ["fi", "en"],
        "starts_at": START, "ends_at": START + timedelta(hours=1),
    }
    body.update(changes)
    return body


class World(TermsWorld):
    """The fakes' world (store, units of work, what they published) with a clock."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(NOW)

    async def create(self, principal: Principal = ORGANISER, **changes: Any) -> dict[str, Any]:
        return await usecases.create_event(self.uow(), self.clock, principal, fields(**changes))

    async def publish(self, event_id: UUID, principal: Principal = ORGANISER) -> dict[str, Any]:
        """Publish; an organiser's event without a booking waits in the approval queue
        (#14), so communications staff approve it here."""
        row = await usecases.publish_event(self.uow(), self.clock, principal, event_id)
        if row["status"] == "awaiting_approval":
            row = await usecases.approve_event(self.uow(), self.clock, COMMS, event_id)
        return row


@pytest.fixture
def world() -> World:
    return World()


# --- the same rules on every way in --------------------------------------------------------

#: Values no stored event may have, each with the field the refusal names.
BAD_VALUES = [
    pytest.param({"image_url": "javascript:alert(1)"}, "image_url", id="javascript-image"),
    pytest.param({"image_url": "file:///etc/passwd"}, "image_url", id="file-image"),
    pytest.param({"online_url": "data:text/html,x"}, "online_url", id="data-link"),
    pytest.param({"name": {"fi": "x" * 100_000}}, "name.fi", id="huge-name"),
    pytest.param({"name": {"fi": "   "}}, "name.fi", id="blank-name"),
    pytest.param({"name": {"fi": "a\x00b"}}, "name.fi", id="nul-name"),
    pytest.param({"name": {"fi": "a\ud800b"}}, "name.fi", id="surrogate-name"),
    pytest.param({"price": Decimal("NaN")}, "price", id="nan-price"),
    pytest.param({"price": Decimal("Infinity")}, "price", id="infinite-price"),
    pytest.param({"price": Decimal(-1)}, "price", id="negative-price"),
    pytest.param({"capacity": 2**40}, "capacity", id="huge-capacity"),
    pytest.param({"min_age": 50, "max_age": 10}, "max_age", id="ages-crossed"),
    pytest.param({"starts_at": datetime(1, 1, 1, tzinfo=UTC)}, "starts_at", id="year-1"),
    pytest.param({"ends_at": datetime(9999, 1, 1, tzinfo=UTC)}, "ends_at", id="year-9999"),
    pytest.param({"ends_at": START}, "ends_at", id="ends-at-start"),
    pytest.param({"organiser_name": "x" * 201}, "organiser_name", id="long-organiser"),
    pytest.param({"topics": "stories"}, "topics", id="topics-not-a-list"),
    pytest.param({"languages": ["fi", "de"]}, "languages.1", id="unknown-language"),
]


def _entry_points(world: World) -> dict[str, Callable[[dict[str, Any]],
                                                      Awaitable[Any]]]:
    async def create(bad: dict[str, Any]) -> Any:
        return await usecases.create_event(world.uow(), world.clock, ORGANISER, fields(**bad))

    async def edit(bad: dict[str, Any]) -> Any:
        draft = await world.create()
        return await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"],
                                           bad)

    async def series(bad: dict[str, Any]) -> Any:
        return await usecases.create_series(world.uow(), world.clock, ORGANISER,
                                            fields(**bad), usecases.Repeat(count=3))

    async def import_(bad: dict[str, Any]) -> Any:
        good = usecases.ImportItem(ref="ok", fields=fields(external_id="linkedevents:ok"))
        item = usecases.ImportItem(ref="bad", fields=fields(external_id="linkedevents:bad",
                                                            **bad))
        return await usecases.import_events(world.uow(), world.clock, COMMS, [good, item])

    return {"create": create, "edit": edit, "series": series, "import": import_}


@pytest.mark.parametrize("entry", ["create", "edit", "series", "import"])
@pytest.mark.parametrize(("bad", "field"), BAD_VALUES)
async def test_every_way_in_refuses_what_no_event_may_be(
        world: World, entry: str, bad: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as refused:
        await _entry_points(world)[entry](bad)
    error = refused.value
    if isinstance(error, usecases.ImportRejected):
        assert [(f["id"], f["field"]) for f in error.failed] == [("bad", field)]
    else:
        assert error.field == field
    if entry == "edit":  # the draft is as it was
        [draft] = world.store.events.values()
        assert draft["revision"] == 0 and draft["updated_at"] == NOW
        assert {k: draft[k] for k in fields()} == {**fields(), "topics": ["stories"]}
    else:
        assert world.store.events == {}  # for an import: not even the good item
    assert world.published == []


@pytest.mark.parametrize(("title", "expected"), [
    ("Lautapeli-ilta", {"fi": "Lautapeli-ilta"}),
    ("", domain.DRAFT_NAME),
    ("   \n\t ", domain.DRAFT_NAME),
    ("\x00", domain.DRAFT_NAME),
    ("Kuoro\x00treenit\u200b", {"fi": "Kuorotreenit"}),
    ("  Lautapelit   ja  kahvi ", {"fi": "Lautapelit ja kahvi"}),
    ("x" * 100_000, {"fi": "x" * domain.TEXT_MAX}),
])
async def test_a_confirmed_booking_always_gives_a_valid_draft(
        world: World, title: str, expected: dict[str, str]) -> None:
    """A desk's hold confirmed with an empty title once made a draft that broke the lists
    and feeds; a draft now always meets the rules of an event, with a name to complete."""
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title=title, organiser_id=uuid4(),
        organiser_subject="kuoro")
    draft = await usecases.draft_from_booking(world.uow(), world.clock, booking)
    assert draft is not None and draft["name"] == expected
    assert draft["status"] == "draft" and draft["created_at"] == NOW
    domain.check_event(draft)
    again = await usecases.draft_from_booking(world.uow(), world.clock, booking)
    assert again is None and len(world.store.events) == 1
    rows, total = await usecases.find_events(world.uow(), ORGANISER, {}, 50, 0)
    assert total == 1 and rows[0]["id"] == draft["id"]


async def test_a_booking_with_impossible_times_gives_no_draft(world: World) -> None:
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
        ends_at=START, title="x", organiser_id=uuid4())
    with pytest.raises(Invalid):
        await usecases.draft_from_booking(world.uow(), world.clock, booking)
    assert world.store.events == {}


@pytest.mark.parametrize(("venue_area", "draft_area"), [
    ("kuopio.pyoro", "kuopio.pyoro"),
    # A venue kept with an area the city does not name: its drafts are in none.
    ("kuopio.vanha-koodi", None)])
async def test_a_drafts_area_is_its_venues_known_area_whichever_arrives_first(
        world: World, venue_area: str, draft_area: str | None) -> None:
    """`known_area`, for a draft made before its venue is known as for one made after, so
    an activity is never filed under an area no board, filter or figure knows."""
    venue = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Pyörön kirjasto"),
                            kind="library", area=venue_area, municipality="Kuopio")
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=venue.venue_id, space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title="Kuoro", organiser_id=uuid4())
    before = await usecases.draft_from_booking(world.uow(), world.clock, booking)
    assert before is not None and before["area"] is None
    await usecases.record_venue(world.uow(), world.clock, venue)
    assert world.store.events[before["id"]]["area"] == draft_area
    after = await usecases.draft_from_booking(
        world.uow(), world.clock, BookingConfirmed(**{**booking.model_dump(),
                                                      "booking_id": uuid4()}))
    assert after is not None and after["area"] == draft_area


# --- one transaction per use case ----------------------------------------------------------


async def test_publishing_a_series_is_all_or_nothing(world: World) -> None:
    series_id, occurrences = await usecases.create_series(
        world.uow(), world.clock, ORGANISER, fields(name={"fi": "Senioritanssit"}),
        usecases.Repeat(count=3))
    assert len(occurrences) == 3
    # The third cannot be published: online without its link.
    await usecases.update_event(world.uow(), world.clock, ORGANISER, occurrences[2]["id"],
                                {"place_kind": "online"})
    with pytest.raises(Invalid, match="online link"):
        await usecases.publish_series(world.uow(), world.clock, ORGANISER, series_id)
    assert {e["status"] for e in world.store.events.values()} == {"draft"}
    assert world.published == []

    await usecases.update_event(world.uow(), world.clock, ORGANISER, occurrences[2]["id"],
                                {"place_kind": "outdoors"})
    # Communications staff publish at once (an organiser's series would wait for approval).
    published = await usecases.publish_series(world.uow(), world.clock, COMMS, series_id)
    assert [r["status"] for r in published] == ["published"] * 3
    assert [type(e) for e in world.published] == [ActivityEventPublished] * 3
    assert [e.starts_at for e in world.published] == [START + timedelta(weeks=i)
                                                      for i in range(3)]
    with pytest.raises(NotFound):
        await usecases.publish_series(world.uow(), world.clock, ORGANISER, uuid4())


async def test_an_import_that_fails_in_the_database_phase_commits_nothing(
        world: World) -> None:
    """The second item's topic is unknown here: found only with the vocabulary, after the
    first item was written, whose writes roll back with it."""
    items = [usecases.ImportItem(ref="a", fields=fields(external_id="linkedevents:a")),
             usecases.ImportItem(ref="b", fields=fields(external_id="linkedevents:b",
                                                        topics=["astrology"]))]
    with pytest.raises(usecases.ImportRejected) as rejected:
        await usecases.import_events(world.uow(), world.clock, COMMS, items)
    assert rejected.value.failed == [{"index": 1, "id": "b", "field": "topics",
                                      "error": "unknown topic: astrology"}]
    assert world.store.events == {} and world.store.history == []
    assert world.published == [] and world.uows[-1].rollbacks == 1


async def test_an_import_says_where_or_is_not_published(world: World) -> None:
    """A Linked Events document with no place of ours and no name of its location would be
    published with no "where" at all: refused naming the place name, nothing imported."""
    document = {"id": "helsinki:2", "name": {"fi": "Kirjastokino"},
                "start_time": START.isoformat(), "location": {"@id": "place:123"}}
    with pytest.raises(usecases.ImportRejected) as rejected:
        await linked_events.import_feed(world.uow(), world.clock, COMMS, [document])
    assert [f["field"] for f in rejected.value.failed] == ["place_name.fi"]
    assert world.store.events == {} and world.published == []


async def test_an_import_creates_updates_and_cancels_in_one_transaction(world: World) -> None:
    document = {"id": "helsinki:1", "name": {"fi": "Kirjastokino"},
                "start_time": START.isoformat(), "end_time": (START + timedelta(hours=2))
                .isoformat(), "offers": [{"is_free": False, "price": {"fi": "5,00 €"}}],
                "images": [{"url": "https://example.org/kino.jpg", "alt_text": "Kino"}],
                "location": {"name": {"fi": "Kuopion pääkirjasto"}}}
    first = await linked_events.import_feed(world.uow(), world.clock, COMMS, [document])
    assert len(first.created) == 1 and world.uows[-1].commits == 1
    event = world.store.events[UUID(first.created[0])]
    assert event["status"] == "published" and event["price"] == Decimal("5.00")

    later = START + timedelta(days=1)
    moved = {**document, "start_time": later.isoformat(), "end_time": None,
             "event_status": "EventCancelled"}
    second = await linked_events.import_feed(world.uow(), world.clock, COMMS, [moved])
    assert second.updated == first.created and world.uows[-1].commits == 1
    event = world.store.events[UUID(first.created[0])]
    assert (event["status"], event["starts_at"]) == ("cancelled", later)
    # Its details are as they were: no `event.updated`, only the new time and the end.
    assert [type(e) for e in world.published] == [
        ActivityEventPublished, ActivityEventRescheduled, ActivityEventCancelled]
    third = await linked_events.import_feed(world.uow(), world.clock, COMMS, [moved])
    assert third.unchanged == first.created  # a cancelled event is not edited


@pytest.mark.parametrize(("document", "field"), [
    ({"id": "x", "name": {"fi": "a"}, "start_time": "eilen"}, "start_time"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "0001-01-01T00:00:00+00:00"},
     "starts_at"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "2026-12-04T10:00:00"}, "start_time"),
    ({"id": "x", "name": "a", "start_time": "2026-12-04T10:00:00Z"}, "name"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "2026-12-04T10:00:00Z",
      "offers": [{"is_free": False, "price": "NaN"}]}, "price"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "2026-12-04T10:00:00Z",
      "offers": [{"is_free": False, "price": "viisi"}]}, "offers.price"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "2026-12-04T10:00:00Z",
      "images": [{"url": "javascript:alert(1)"}]}, "image_url"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "2026-12-04T10:00:00Z",
      "location": "somewhere", "offers": "free", "images": "none",
      "audience_min_age": "kids"}, "min_age"),
    ({"id": "x", "name": {"fi": "a"}, "start_time": "2026-12-04T10:00:00Z",
      "maximum_attendee_capacity": 2**40}, "capacity"),
])
async def test_an_import_names_what_to_fix_in_each_event(
        world: World, document: dict[str, Any], field: str) -> None:
    with pytest.raises(usecases.ImportRejected) as rejected:
        await linked_events.import_feed(world.uow(), world.clock, COMMS, [document])
    assert [(f["id"], f["field"]) for f in rejected.value.failed] == [("x", field)]
    assert world.store.events == {}


# --- the lifecycle, on the clock -----------------------------------------------------------


async def test_lifecycle_revisions_and_what_residents_are_told(world: World) -> None:
    draft = await world.create()
    assert (draft["status"], draft["revision"], draft["created_at"]) == ("draft", 0, NOW)
    # Someone else's draft is not found, to change as to read: a 403 would tell it exists.
    with pytest.raises(NotFound):
        await world.publish(draft["id"], OTHER)
    with pytest.raises(NotFound):
        await usecases.update_event(world.uow(), world.clock, OTHER, draft["id"],
                                    {"name": {"fi": "x"}})
    with pytest.raises(Unauthenticated):
        await world.publish(draft["id"], PUBLIC)
    with pytest.raises(NotFound):
        await usecases.get_event(world.uow(), PUBLIC, draft["id"])
    world.clock.advance(timedelta(minutes=5))
    published = await world.publish(draft["id"])
    assert published["updated_at"] == NOW + timedelta(minutes=5)
    with pytest.raises(Forbidden):  # published: seen by all, still changed by its own
        await usecases.update_event(world.uow(), world.clock, OTHER, draft["id"],
                                    {"name": {"fi": "x"}})
    edited = await usecases.update_event(world.uow(), world.clock, COMMS, draft["id"],
                                         {"name": {"fi": "Satutuokio lapsille"}})
    with pytest.raises(Invalid, match="rescheduling"):
        await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"],
                                    {"starts_at": START + timedelta(days=1)})
    postponed = await usecases.postpone_event(world.uow(), world.clock, ORGANISER,
                                              draft["id"], "lukija sairastui")
    rescheduled = await usecases.reschedule_event(
        world.uow(), world.clock, ORGANISER, draft["id"],
        usecases.NewTime(START + timedelta(days=7), START + timedelta(days=7, hours=1)))
    cancelled = await usecases.cancel_event(world.uow(), world.clock, ORGANISER, draft["id"],
                                            "ei tilaa")
    assert [r["revision"] for r in (published, edited, postponed, rescheduled, cancelled)] \
        == [1, 2, 3, 4, 5]
    # Residents hear of each change; the organiser hears staff approved it (#14).
    assert [type(e) for e in world.published] == [
        ActivityEventPublished, ActivityEventApprovalDecided, ActivityEventUpdated,
        ActivityEventPostponed, ActivityEventRescheduled, ActivityEventCancelled]
    assert world.published[4].previous_starts_at == START
    with pytest.raises(Conflict):
        await world.publish(draft["id"])
    with pytest.raises(Conflict):
        await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"],
                                    {"name": {"fi": "x"}})


@pytest.mark.parametrize("when", ["past", "same"])
async def test_an_activity_without_a_booking_is_not_moved_to_a_past_or_its_own_time(
        world: World, when: str) -> None:
    """As an activity with a booking is not: residents were told of a coming time, and a
    time already gone (or the same one) would be told to nobody."""
    event = await world.publish((await world.create())["id"])
    told = len(world.published)
    new_time = usecases.NewTime(NOW - timedelta(days=5), NOW - timedelta(days=5, hours=-1)) \
        if when == "past" else usecases.NewTime(event["starts_at"], event["ends_at"])
    with pytest.raises(Invalid) as refused:
        await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"],
                                        new_time)
    assert refused.value.field == "starts_at"
    kept = world.store.events[event["id"]]
    assert (kept["status"], kept["starts_at"], kept["revision"]) == \
        ("published", event["starts_at"], event["revision"])
    assert len(world.published) == told


async def test_a_cancelled_activity_is_said_to_be_not_edited(world: World) -> None:
    event = await world.publish((await world.create())["id"])
    await usecases.cancel_event(world.uow(), world.clock, ORGANISER, event["id"], "ei tilaa")
    with pytest.raises(Conflict, match="a cancelled activity is not edited"):
        await usecases.update_event(world.uow(), world.clock, ORGANISER, event["id"],
                                    {"name": {"fi": "x"}})


async def test_attendance_is_reported_once_the_clock_passes_the_end(world: World) -> None:
    event = await world.publish((await world.create())["id"])
    report = usecases.Attendance(participants=12, visitors=30)
    with pytest.raises(Conflict):
        await usecases.report_attendance(world.uow(), world.clock, ORGANISER, event["id"],
                                         report)
    world.clock.set(START + timedelta(hours=2))
    first = await usecases.report_attendance(world.uow(), world.clock, ORGANISER,
                                             event["id"], report)
    fixed = await usecases.report_attendance(world.uow(), world.clock, COMMS, event["id"],
                                             usecases.Attendance(14, 30))
    assert (first, fixed) == (1, 2)
    with pytest.raises(Forbidden):
        await usecases.report_attendance(world.uow(), world.clock, OTHER, event["id"], report)
    reports = [e for e in world.published if isinstance(e, AttendanceReported)]
    assert [(e.report_revision, e.participants) for e in reports] == [(1, 12), (2, 14)]


async def test_drafts_are_seen_only_by_who_may_edit_them(world: World) -> None:
    draft = await world.create()
    shown = await world.publish((await world.create(name={"fi": "Julkinen"}))["id"])
    for principal, expected in [(PUBLIC, [shown["id"]]), (OTHER, [shown["id"]]),
                                (ORGANISER, [draft["id"], shown["id"]]),
                                (COMMS, [draft["id"], shown["id"]])]:
        rows, _ = await usecases.find_events(world.uow(), principal, {}, 50, 0)
        assert sorted(r["id"] for r in rows) == sorted(expected), principal
    with pytest.raises(Invalid, match="after"):
        await usecases.find_events(world.uow(), PUBLIC, {"start": START, "end": START}, 5, 0)


async def test_the_vocabulary_is_extended_by_communications_only(world: World) -> None:
    entry = usecases.VocabularyEntry("topic", "chess", {"fi": "Shakki"})
    with pytest.raises(Forbidden):
        await usecases.extend_vocabulary(world.uow(), world.clock, ORGANISER, entry)
    with pytest.raises(Invalid):
        await world.create(topics=["chess"])
    await usecases.extend_vocabulary(world.uow(), world.clock, COMMS, entry)
    assert (await world.create(topics=["chess"]))["topics"] == ["chess"]
    with pytest.raises(Invalid):
        await usecases.extend_vocabulary(world.uow(), world.clock, COMMS,
                                         usecases.VocabularyEntry("topic", "x\x00",
                                                                  {"fi": "x"}))
