"""Issue #14 in the events service, against the in-memory store: an activity follows its
booking (ended, moved, out of order, redelivered), its reschedule waits for the booking,
publication rights and the approval queue, and plausible facts (length, attendance)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from services.events import domain, usecases
from services.events.tests.test_usecases import (
    COMMS,
    NOW,
    ORGANISER,
    OTHER,
    START,
    World,
)
from shared.contracts import (
    ActivityEventApprovalDecided,
    ActivityEventCancelled,
    ActivityEventPublished,
    ActivityEventRescheduled,
    AttendanceReported,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingMoveRefused,
    BookingMoveRequested,
    BookingNoShow,
    BookingRejected,
    LocalizedText,
    SpaceInfo,
    VenueRegistered,
)
from shared.errors import Conflict, Forbidden, Invalid
from shared.identity import Principal

VENUE = uuid4()
SPACE = uuid4()
DESK = Principal(subject="tiski", roles=frozenset({"desk"}), venues=frozenset({VENUE}))
OTHER_DESK = Principal(subject="muu-tiski", roles=frozenset({"desk"}),
                       venues=frozenset({uuid4()}))


def booking_facts(booking_id: UUID, **changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "booking_id": booking_id, "venue_id": VENUE, "space_id": SPACE, "starts_at": START,
        "ends_at": START + timedelta(hours=2), "title": "Kuoroharjoitus",
        "organiser_id": uuid4(), "organiser_subject": ORGANISER.subject}
    facts.update(changes)
    return facts


async def venue(world: World, capacity: int = 10) -> None:
    await usecases.record_venue(world.uow(), world.clock, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Jynkän kirjasto"), kind="library",
        area="kuopio.jynkka", municipality="Kuopio",
        spaces=[SpaceInfo(space_id=SPACE, name=LocalizedText(fi="Ryhmätila"),
                          capacity=capacity)]))


async def draft(world: World, booking_id: UUID | None = None) -> dict[str, Any]:
    booking_id = booking_id or uuid4()
    row = await usecases.draft_from_booking(world.uow(), world.clock,
                                            BookingConfirmed(**booking_facts(booking_id)))
    assert row is not None
    return row


async def published(world: World) -> dict[str, Any]:
    await venue(world)
    row = await draft(world)
    out = await usecases.publish_event(world.uow(), world.clock, ORGANISER, row["id"])
    assert out["status"] == "published"  # a confirmed booking where it happens: at once
    return out


def history(world: World, event_id: UUID) -> list[tuple[str, str, str | None]]:
    return [(s, a, r) for (e, s, a, r) in world.store.history if e == event_id]


@pytest.fixture
def world() -> World:
    return World()


# --- a booking that ends -------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["cancelled", "rejected", "no_show"])
async def test_a_booking_that_ends_withdraws_its_draft_and_cancels_its_public_activity(
        world: World, ending: str) -> None:
    event = await published(world)
    still_draft = await draft(world)

    def end(booking_id: UUID) -> Any:
        facts = booking_facts(booking_id)
        if ending == "cancelled":
            return BookingCancelled(**facts, reason="Vesivahinko", cancelled_by="desk")
        if ending == "rejected":
            return BookingRejected(**facts, reason="Vesivahinko")
        return BookingNoShow(**facts)

    for _ in range(2):  # a redelivery changes nothing
        await usecases.follow_booking_end(world.uow(), world.clock, end(event["booking_id"]))
        await usecases.follow_booking_end(world.uow(), world.clock,
                                          end(still_draft["booking_id"]))
    assert world.store.events[event["id"]]["status"] == "cancelled"
    assert world.store.events[still_draft["id"]]["status"] == "withdrawn"
    told = [e for e in world.published if isinstance(e, ActivityEventCancelled)]
    # The reason is the person's words, or none (a no-show): never words made up here.
    said = None if ending == "no_show" else "Vesivahinko"
    assert len(told) == 1 and told[0].event_id == event["id"] and told[0].reason == said
    assert not told[0].release_booking  # the booking ended first: nothing to release
    status, actor, reason = history(world, event["id"])[-1]
    assert status == "cancelled" and actor.startswith("booking:") and reason == said
    with pytest.raises(Conflict):  # a draft of a booking that ended is never published
        await usecases.publish_event(world.uow(), world.clock, ORGANISER, still_draft["id"])


async def test_a_booking_cancelled_without_a_reason_gives_residents_no_english_words(
        world: World) -> None:
    """Residents read the reason beside "Peruttu" on a Finnish page: a cancellation nobody
    explained has no reason, not "booking cancelled" (journey review, session 22)."""
    event = await published(world)
    await usecases.follow_booking_end(world.uow(), world.clock, BookingCancelled(
        **booking_facts(event["booking_id"]), reason="", cancelled_by="organiser"))
    told = [e for e in world.published if isinstance(e, ActivityEventCancelled)]
    assert len(told) == 1 and told[0].reason is None
    assert history(world, event["id"])[-1] == ("cancelled", "booking:organiser", None)


async def test_a_cancellation_before_the_confirmation_makes_a_withdrawn_draft(
        world: World) -> None:
    booking_id = uuid4()
    await usecases.follow_booking_end(world.uow(), world.clock, BookingCancelled(
        **booking_facts(booking_id), reason="Peruttu", cancelled_by="organiser"))
    row = await draft(world, booking_id)
    assert row["status"] == "withdrawn"
    assert history(world, row["id"])[-1] == ("withdrawn", "booking:organiser", "Peruttu")
    assert world.published == []


async def test_a_move_before_the_confirmation_gives_the_draft_the_new_time(
        world: World) -> None:
    booking_id = uuid4()
    later = START + timedelta(days=1)
    await usecases.follow_booking_move(world.uow(), world.clock, BookingMoved(
        **booking_facts(booking_id, starts_at=later, ends_at=later + timedelta(hours=2)),
        previous_starts_at=START, previous_ends_at=START + timedelta(hours=2)))
    row = await draft(world, booking_id)
    assert (row["starts_at"], row["status"]) == (later, "draft")


# --- rescheduling through the booking --------------------------------------------------------


async def test_rescheduling_an_activity_with_a_booking_waits_for_the_booking_to_move(
        world: World) -> None:
    event = await published(world)
    later = usecases.NewTime(START + timedelta(days=1), START + timedelta(days=1, hours=2))
    asked = await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"],
                                            later)
    assert asked["status"] == "published" and asked["starts_at"] == START
    assert asked["pending_move"]["starts_at"] == later.starts_at.isoformat()
    request = world.published[-1]
    assert isinstance(request, BookingMoveRequested)
    assert (request.booking_id, request.starts_at) == (event["booking_id"], later.starts_at)
    with pytest.raises(Conflict, match="already waiting"):
        await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"], later)

    # Another request's refusal is not ours; ours clears the pending move and says why.
    for request_id in (uuid4(), request.request_id):
        await usecases.follow_move_refusal(world.uow(), world.clock, BookingMoveRefused(
            booking_id=event["booking_id"], request_id=request_id, code="taken",
            reason="the space is already booked for that time"))
    row = world.store.events[event["id"]]
    assert row["pending_move"] is None and row["starts_at"] == START
    assert history(world, event["id"])[-1][0] == "move_refused"
    assert sum(1 for h in history(world, event["id"]) if h[0] == "move_refused") == 1
    assert not any(isinstance(e, ActivityEventRescheduled) for e in world.published)

    await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"], later)
    request = world.published[-1]
    moved = BookingMoved(**booking_facts(event["booking_id"], starts_at=later.starts_at,
                                         ends_at=later.ends_at),
                         previous_starts_at=START, previous_ends_at=START + timedelta(hours=2),
                         moved_by="organiser", request_id=request.request_id)
    for _ in range(2):  # redelivered: residents are told once
        await usecases.follow_booking_move(world.uow(), world.clock, moved)
    row = world.store.events[event["id"]]
    assert (row["status"], row["starts_at"], row["pending_move"]) == (
        "rescheduled", later.starts_at, None)
    told = [e for e in world.published if isinstance(e, ActivityEventRescheduled)]
    assert len(told) == 1 and told[0].previous_starts_at == START


async def test_a_desk_move_moves_a_draft_quietly_and_a_public_activity_openly(
        world: World) -> None:
    event = await published(world)
    quiet = await draft(world)
    later = START + timedelta(hours=3)
    for row in (event, quiet):
        await usecases.follow_booking_move(world.uow(), world.clock, BookingMoved(
            **booking_facts(row["booking_id"], starts_at=later,
                            ends_at=later + timedelta(hours=2)),
            previous_starts_at=START, previous_ends_at=START + timedelta(hours=2),
            moved_by="desk", reason="remontti"))
    assert world.store.events[quiet["id"]]["starts_at"] == later
    assert world.store.events[quiet["id"]]["status"] == "draft"
    assert history(world, quiet["id"])[-1] == ("moved", "booking:desk", "remontti")
    told = [e for e in world.published if isinstance(e, ActivityEventRescheduled)]
    assert [e.event_id for e in told] == [event["id"]]
    assert history(world, event["id"])[-1] == ("rescheduled", "booking:desk", "remontti")


async def test_a_drafts_time_with_a_booking_changes_only_by_rescheduling(world: World) -> None:
    row = await draft(world)
    with pytest.raises(Invalid, match="rescheduling"):
        await usecases.update_event(world.uow(), world.clock, ORGANISER, row["id"],
                                    {"starts_at": START + timedelta(hours=1)})


async def test_an_organiser_cancelling_asks_for_the_booking_to_be_released(
        world: World) -> None:
    event = await published(world)
    await usecases.cancel_event(world.uow(), world.clock, ORGANISER, event["id"], "sairastui",
                                release_booking=True)
    told = world.published[-1]
    assert isinstance(told, ActivityEventCancelled) and told.release_booking
    plain = await world.create()
    plain = await world.publish(plain["id"])
    await usecases.cancel_event(world.uow(), world.clock, ORGANISER, plain["id"], "sade",
                                release_booking=True)
    assert not world.published[-1].release_booking  # type: ignore[attr-defined]


# --- publication rights ----------------------------------------------------------------------


async def test_without_a_booking_an_organisers_activity_waits_for_approval(
        world: World) -> None:
    await venue(world)
    at_venue = await world.create(place_kind="venue", venue_id=VENUE, area=None)
    outdoors = await world.create()
    for row in (at_venue, outdoors):
        queued = await usecases.publish_event(world.uow(), world.clock, ORGANISER, row["id"])
        assert queued["status"] == "awaiting_approval"
    assert world.published == []  # no channel hears of them

    # The venue's desk sees its venue's queue; communications staff see every area's.
    async def queue(who: Principal) -> list[UUID]:
        return [r["id"] for r in await usecases.approval_queue(world.uow(), world.clock, who,
                                                               None, 50, 0)]

    assert await queue(DESK) == [at_venue["id"]]
    assert set(await queue(COMMS)) == {at_venue["id"], outdoors["id"]}
    assert await queue(OTHER_DESK) == []
    with pytest.raises(Forbidden):
        await queue(ORGANISER)
    for who in (ORGANISER, OTHER_DESK):
        with pytest.raises(Forbidden):
            await usecases.approve_event(world.uow(), world.clock, who, at_venue["id"])
    with pytest.raises(Forbidden):  # outdoors is the area's communications staff's
        await usecases.approve_event(world.uow(), world.clock, DESK, outdoors["id"])

    approved = await usecases.approve_event(world.uow(), world.clock, DESK, at_venue["id"])
    assert approved["status"] == "published" and approved["revision"] == 1
    assert [type(e) for e in world.published] == [ActivityEventPublished,
                                                  ActivityEventApprovalDecided]
    refused = await usecases.refuse_event(world.uow(), world.clock, COMMS, outdoors["id"],
                                          "Paikka ei ole kaupungin")
    assert refused["status"] == "draft"
    steps = await usecases.event_history(world.uow(), ORGANISER, outdoors["id"])
    assert (steps[-1]["status"], steps[-1]["reason"]) == (
        "draft", "refused: Paikka ei ole kaupungin")
    with pytest.raises(Conflict):
        await usecases.approve_event(world.uow(), world.clock, COMMS, outdoors["id"])


async def test_what_ended_waiting_leaves_the_queue_and_is_listed_apart(world: World) -> None:
    """An activity over before staff decided is no longer in the queue to decide (the page and
    `GET /approvals` alike), but listed apart (`ended`, latest first), still decided on: its
    approval publishes a late report, which counts in the figures."""
    now = world.clock.now()
    hour = timedelta(hours=1)
    made = {}
    # Over a week ago, over an hour ago, on now (not over), tomorrow; one ending at `now`.
    for name, starts, length in (("week", now - timedelta(days=7), hour),
                                 ("hour", now - 2 * hour, hour), ("now", now - hour, 2 * hour),
                                 ("tomorrow", now + timedelta(days=1), hour),
                                 ("just", now - hour, hour)):
        row = await world.create(starts_at=starts, ends_at=starts + length)
        queued = await usecases.publish_event(world.uow(), world.clock, ORGANISER, row["id"])
        assert queued["status"] == "awaiting_approval"
        made[name] = row["id"]

    async def listed(**how: Any) -> list[UUID]:
        return [r["id"] for r in await usecases.approval_queue(world.uow(), world.clock, COMMS,
                                                               None, 50, 0, **how)]

    assert await listed() == [made["now"], made["tomorrow"]]
    assert await listed(ended=True) == [made["just"], made["hour"], made["week"]]
    # Time goes on: what was on is over, and leaves the queue by itself.
    world.clock.set(now + 2 * hour)
    assert await listed() == [made["tomorrow"]]
    assert made["now"] in await listed(ended=True)
    approved = await usecases.approve_event(world.uow(), world.clock, COMMS, made["week"])
    assert approved["status"] == "published"
    assert made["week"] not in await listed(ended=True)


async def test_publishing_a_queued_activity_again_does_not_let_it_out(world: World) -> None:
    """Before: the organiser's second `publish` of an activity waiting for approval published
    it, past the queue."""
    row = await world.create()
    queued = await usecases.publish_event(world.uow(), world.clock, ORGANISER, row["id"])
    assert queued["status"] == "awaiting_approval"
    with pytest.raises(Conflict, match="waiting for approval"):
        await usecases.publish_event(world.uow(), world.clock, ORGANISER, row["id"])
    assert world.store.events[row["id"]]["status"] == "awaiting_approval"
    assert world.published == []
    # Staff who may approve it publish it: that is an approval, and the organiser hears so.
    published = await usecases.publish_event(world.uow(), world.clock, COMMS, row["id"])
    assert published["status"] == "published"
    assert [(type(e), getattr(e, "decision", None)) for e in world.published] == [
        (ActivityEventPublished, None), (ActivityEventApprovalDecided, "approved")]


async def test_staff_of_the_venue_and_a_covering_booking_publish_at_once(world: World) -> None:
    await venue(world)
    by_desk = await world.create(place_kind="venue", venue_id=VENUE)
    assert (await usecases.publish_event(world.uow(), world.clock, DESK,
                                         by_desk["id"]))["status"] == "published"
    # A booking elsewhere, or shorter than the activity, does not cover it.
    assert not domain.booking_covers(
        {"place_kind": "venue", "venue_id": VENUE, "starts_at": START,
         "ends_at": START + timedelta(hours=3)},
        {"status": "confirmed", "venue_id": VENUE, "starts_at": START,
         "ends_at": START + timedelta(hours=2)})
    assert not domain.goes_out_at_once(OTHER, {"place_kind": "venue", "venue_id": VENUE},
                                       None)


# --- the organiser is told of the decision ------------------------------------------------

#: The organiser of `ORGANISER`'s events, signed in with an address the provider verified.
MAILED = Principal(subject=ORGANISER.subject, roles=frozenset({"organiser"}),
                   email=" Kuoro@Example.FI", email_verified=True)


def decisions(world: World) -> list[ActivityEventApprovalDecided]:
    return [e for e in world.published if isinstance(e, ActivityEventApprovalDecided)]


async def test_the_organisers_address_waits_with_the_activity_and_goes_with_the_decision(
        world: World) -> None:
    row = await world.create()
    await usecases.publish_event(world.uow(), world.clock, MAILED, row["id"], language="sv")
    assert world.store.approval_contacts[row["id"]] | {"kept_at": None} == {
        "email": "kuoro@example.fi", "language": "sv", "kept_at": None}
    assert world.published == []  # nobody hears of it while it waits

    world.clock.advance(timedelta(hours=2))
    await usecases.refuse_event(world.uow(), world.clock, COMMS, row["id"],
                                "Puisto on varattu toiselle")
    assert world.store.approval_contacts == {}  # its job is done: deleted
    [refused] = decisions(world)
    assert (refused.event_id, refused.decision, refused.reason, refused.decided_at) == (
        row["id"], "refused", "Puisto on varattu toiselle", NOW + timedelta(hours=2))
    assert (refused.contact_email, refused.contact_language) == ("kuoro@example.fi", "sv")
    assert (refused.name.fi, refused.starts_at, refused.ends_at, refused.all_day) == (
        "Satutuokio", START, START + timedelta(hours=1), False)
    assert refused.aggregate_id() == str(row["id"])  # after the activity's own events

    # Changed and sent again, read in English now: a decision (and a message) of its own.
    await usecases.update_event(world.uow(), world.clock, ORGANISER, row["id"],
                                {"place_name": {"fi": "Väinölänniemi"}})
    await usecases.publish_event(world.uow(), world.clock, MAILED, row["id"], language="en")
    assert world.store.approval_contacts[row["id"]]["language"] == "en"
    await usecases.approve_event(world.uow(), world.clock, COMMS, row["id"])
    assert world.store.approval_contacts == {}
    assert [type(e) for e in world.published][-2:] == [ActivityEventPublished,
                                                       ActivityEventApprovalDecided]
    approved = decisions(world)[-1]
    assert (approved.decision, approved.reason, approved.contact_language) == (
        "approved", None, "en")
    assert approved.decision_id != refused.decision_id


async def test_no_address_is_kept_for_staff_an_unverified_address_or_what_goes_out_at_once(
        world: World) -> None:
    await venue(world)
    unverified = Principal(subject=ORGANISER.subject, roles=frozenset({"organiser"}),
                           email="kuoro@example.fi", email_verified=False)
    mine = await world.create()
    await usecases.publish_event(world.uow(), world.clock, unverified, mine["id"])
    # The venue's desk may edit an outdoor activity of its venue, not approve it: it waits,
    # but the desk is not whom to tell.
    desk = Principal(subject="tiski", roles=frozenset({"desk"}), venues=frozenset({VENUE}),
                     email="tiski@kuopio.example", email_verified=True)
    theirs = await world.create(venue_id=VENUE)
    queued = await usecases.publish_event(world.uow(), world.clock, desk, theirs["id"])
    assert queued["status"] == "awaiting_approval"
    # Staff publishing their own activity: out at once, nothing to decide.
    staff = Principal(subject="viestinta", roles=frozenset({"communications"}),
                      email="viestinta@kuopio.example", email_verified=True)
    at_once = await world.create(staff)
    assert (await usecases.publish_event(world.uow(), world.clock, staff, at_once["id"],
                                         language="sv"))["status"] == "published"
    assert world.store.approval_contacts == {}

    for row in (mine, theirs):
        await usecases.approve_event(world.uow(), world.clock, COMMS, row["id"])
    # Decided all the same, with nobody to mail: notifications sends nothing.
    assert [(d.event_id, d.contact_email) for d in decisions(world)] == [
        (mine["id"], None), (theirs["id"], None)]


async def test_the_organisers_page_knows_whether_the_decision_comes_by_email(
        world: World) -> None:
    """The page promised an email "if your address is verified", which the organiser cannot
    know: it now says which way the decision comes, from whether an address was kept."""
    await venue(world)
    mailed, unmailed = await world.create(MAILED), await world.create()
    await usecases.publish_event(world.uow(), world.clock, MAILED, mailed["id"])
    await usecases.publish_event(world.uow(), world.clock, ORGANISER, unmailed["id"])
    seen = {row["id"]: (await usecases.my_activity(world.uow(), ORGANISER, row["id"]))
            for row in (mailed, unmailed)}
    assert [seen[r["id"]].row["status"] for r in (mailed, unmailed)] == [
        "awaiting_approval"] * 2
    assert seen[mailed["id"]].decision_by_email and not seen[unmailed["id"]].decision_by_email
    await usecases.approve_event(world.uow(), world.clock, COMMS, mailed["id"])
    # Decided: the address is gone, and nothing is promised any more.
    assert not (await usecases.my_activity(world.uow(), ORGANISER, mailed["id"])
                ).decision_by_email


def test_whom_to_tell_is_the_owner_in_a_language_the_city_writes() -> None:
    event = {"owner_subject": ORGANISER.subject}
    assert domain.approval_contact(MAILED, event, "en") == ("kuoro@example.fi", "en")
    assert domain.approval_contact(MAILED, event, "de") == ("kuoro@example.fi", "fi")
    assert domain.approval_contact(MAILED, {"owner_subject": None}, "fi") is None
    assert domain.approval_contact(ORGANISER, event, "fi") is None  # no address at all
    long = Principal(subject=ORGANISER.subject, email="a" * 250 + "@x.fi",
                     email_verified=True)
    assert domain.approval_contact(long, event, "fi") is None  # more than an address holds


async def test_a_queued_activity_withdrawn_with_its_booking_forgets_the_address(
        world: World) -> None:
    await venue(world)
    row = await draft(world)
    # Moved outdoors, its booking no longer covers it: it waits for approval.
    await usecases.update_event(world.uow(), world.clock, ORGANISER, row["id"],
                                {"place_kind": "outdoors",
                                 "place_name": {"fi": "Jynkän uimaranta"}})
    queued = await usecases.publish_event(world.uow(), world.clock, MAILED, row["id"])
    assert queued["status"] == "awaiting_approval" and row["id"] in world.store.approval_contacts
    await usecases.follow_booking_end(world.uow(), world.clock, BookingCancelled(
        **booking_facts(row["booking_id"]), reason="Peruttu", cancelled_by="organiser"))
    assert world.store.events[row["id"]]["status"] == "withdrawn"
    assert world.store.approval_contacts == {}
    assert world.published == []  # withdrawn, not decided: nothing to tell


async def test_a_failed_decision_keeps_the_address_for_the_next_try(world: World) -> None:
    """The address is deleted in the decision's transaction: a decision that fails after
    the delete (here its event cannot be written: a name no rule lets in today) rolls the
    delete back with the rest, and publishes nothing."""
    row = await world.create()
    await usecases.publish_event(world.uow(), world.clock, MAILED, row["id"])
    world.store.events[row["id"]]["name"] = {"fi": ""}
    with pytest.raises(ValidationError):
        await usecases.refuse_event(world.uow(), world.clock, COMMS, row["id"], "Ei käy")
    assert world.store.events[row["id"]]["status"] == "awaiting_approval"
    assert row["id"] in world.store.approval_contacts and world.published == []


async def booked_draft(world: World, **changes: Any) -> dict[str, Any]:
    """A draft of a booking whose organiser the booking service verified (its link)."""
    row = await usecases.draft_from_booking(world.uow(), world.clock, BookingConfirmed(
        **booking_facts(uuid4(), **{"contact_email": " Kuoro@Example.FI",
                                    "contact_language": "sv", **changes})))
    assert row is not None
    return row


async def queued_outdoors(world: World, row: dict[str, Any],
                          principal: Principal = ORGANISER, language: str = "fi") -> None:
    """Moved outdoors, its booking no longer covers it: sent, it waits for approval."""
    await usecases.update_event(world.uow(), world.clock, ORGANISER, row["id"],
                                {"place_kind": "outdoors",
                                 "place_name": {"fi": "Jynkän uimaranta"}})
    queued = await usecases.publish_event(world.uow(), world.clock, principal, row["id"],
                                          language=language)
    assert queued["status"] == "awaiting_approval"


async def test_a_bookings_verified_address_tells_its_draft_organiser_the_decision(
        world: World) -> None:
    """A tester's organiser whose address only the booking service verified was not mailed
    the decision (the queue said "on their page only"): the booking's address is kept with
    its draft and goes to the queue with it when the sign-in gives none."""
    await venue(world)
    row = await booked_draft(world)
    assert world.store.booking_contacts[row["id"]] | {"kept_at": None} == {
        "email": "kuoro@example.fi", "language": "sv", "kept_at": None}
    await queued_outdoors(world, row)  # a sign-in without a verified address, in Finnish
    assert world.store.booking_contacts == {}  # moved to the queue's, not kept twice
    assert world.store.approval_contacts[row["id"]] | {"kept_at": None} == {
        "email": "kuoro@example.fi", "language": "sv", "kept_at": None}
    [waiting] = await usecases.approval_queue(world.uow(), world.clock, COMMS, None, 10, 0)
    assert waiting["decision_mailed"]  # the queue says: by email
    assert (await usecases.my_activity(world.uow(), ORGANISER, row["id"])).decision_by_email

    await usecases.approve_event(world.uow(), world.clock, COMMS, row["id"])
    [approved] = decisions(world)
    assert (approved.event_id, approved.decision, approved.contact_email,
            approved.contact_language) == (row["id"], "approved", "kuoro@example.fi", "sv")
    assert world.store.approval_contacts == {} and world.store.booking_contacts == {}


async def test_an_address_is_forgotten_once_its_activity_has_ended(world: World) -> None:
    """No decision is mailed for an ended activity, and a `booking.ended` lost to an outage
    would leave a draft's address kept for good: the scheduled pass forgets both kinds once
    the activity has ended, and a booking read only after its end keeps none."""
    await venue(world)
    queued, draft = await booked_draft(world), await booked_draft(world)
    await queued_outdoors(world, queued)
    assert set(world.store.approval_contacts) == {queued["id"]}
    assert set(world.store.booking_contacts) == {draft["id"]}
    assert await usecases.forget_ended_contacts(world.uow(), world.clock) == 0
    world.clock.set(max(queued["ends_at"], draft["ends_at"]))
    assert await usecases.forget_ended_contacts(world.uow(), world.clock) == 2
    assert world.store.approval_contacts == {} and world.store.booking_contacts == {}
    late = await booked_draft(world, starts_at=world.clock.now() - timedelta(hours=3),
                              ends_at=world.clock.now() - timedelta(hours=1))
    assert late["status"] == "draft" and world.store.booking_contacts == {}


async def test_a_sign_ins_verified_address_goes_before_the_bookings(world: World) -> None:
    await venue(world)
    row = await booked_draft(world, contact_email="varaus@example.fi")
    await queued_outdoors(world, row, MAILED, language="en")
    assert world.store.booking_contacts == {}
    await usecases.refuse_event(world.uow(), world.clock, COMMS, row["id"], "Ei käy")
    [refused] = decisions(world)
    assert (refused.contact_email, refused.contact_language) == ("kuoro@example.fi", "en")
    # Refused, it is a draft again: nothing of either address is kept any more.
    assert world.store.approval_contacts == {} and world.store.booking_contacts == {}


@pytest.mark.parametrize("ending", ["cancelled", "rejected", "no_show", "ended"])
async def test_a_booking_over_before_a_decision_forgets_its_address(world: World,
                                                                    ending: str) -> None:
    await venue(world)
    row, other = await booked_draft(world), await booked_draft(world)
    facts = booking_facts(row["booking_id"], previous_starts_at=START,
                          previous_ends_at=START + timedelta(hours=2))
    if ending == "ended":
        await usecases.forget_booking(world.uow(), BookingEnded(**facts))
        assert world.store.events[row["id"]]["status"] == "draft"  # may be reported late
    else:
        del facts["previous_starts_at"], facts["previous_ends_at"]
        end = (BookingCancelled(**facts, reason="Peruttu") if ending == "cancelled"
               else BookingRejected(**facts, reason="Ei tilaa") if ending == "rejected"
               else BookingNoShow(**facts))
        await usecases.follow_booking_end(world.uow(), world.clock, end)
        assert world.store.events[row["id"]]["status"] == "withdrawn"
    assert list(world.store.booking_contacts) == [other["id"]]  # only that booking's


async def test_nothing_is_kept_for_a_draft_out_at_once_or_of_a_booking_already_over(
        world: World) -> None:
    await venue(world)
    row = await booked_draft(world)
    out = await usecases.publish_event(world.uow(), world.clock, ORGANISER, row["id"])
    assert out["status"] == "published"  # its confirmed booking covers it: no queue
    assert world.store.booking_contacts == {} and decisions(world) == []
    # Cancelled before its confirmation arrived: a withdrawn draft keeps nothing.
    booking_id = uuid4()
    await usecases.follow_booking_end(world.uow(), world.clock, BookingCancelled(
        **booking_facts(booking_id), reason="Peruttu", cancelled_by="organiser"))
    await usecases.draft_from_booking(world.uow(), world.clock, BookingConfirmed(
        **booking_facts(booking_id, contact_email="kuoro@example.fi")))
    assert world.store.booking_contacts == {}


def test_a_bookings_address_is_kept_trimmed_in_a_language_the_city_writes() -> None:
    assert domain.booking_contact(" Kuoro@Example.FI ", "en") == ("kuoro@example.fi", "en")
    assert domain.booking_contact("kuoro@example.fi", "de") == ("kuoro@example.fi", "fi")
    assert domain.booking_contact(None, "sv") is None
    assert domain.booking_contact("a" * 250 + "@x.fi", "fi") is None
    event = {"owner_subject": ORGANISER.subject}
    booked = {"email": "varaus@example.fi", "language": "sv"}
    assert domain.approval_contact(ORGANISER, event, "fi", booked) == (
        "varaus@example.fi", "sv")
    assert domain.approval_contact(MAILED, event, "en", booked) == ("kuoro@example.fi", "en")


# --- plausible facts -------------------------------------------------------------------------


async def test_an_activity_lasts_at_most_its_kinds_days(world: World) -> None:
    with pytest.raises(Invalid, match="at most 14 days") as refused:
        await world.create(ends_at=START + timedelta(days=365 * 70))  # "a 100-year activity"
    assert refused.value.field == "ends_at"
    await world.create(ends_at=START + timedelta(days=14))
    limits = domain.limits_from({"KOHTAAMO_EVENTS_MAX_DAYS": "7",
                                 "KOHTAAMO_EVENTS_MAX_DAYS_BY_KIND": "pop_up=1, x=y"})
    assert (limits.days_for("pop_up"), limits.days_for("other")) == (1, 7)
    with pytest.raises(Invalid, match="series"):
        domain.check_length(START, START + timedelta(days=2), "pop_up", limits)


async def test_attendance_after_the_start_and_implausible_figures_wait_for_staff(
        world: World) -> None:
    event = await published(world)  # the space holds 10: up to 30 counts at once
    report = usecases.Attendance(participants=8, visitors=12)
    with pytest.raises(Conflict, match="started"):
        await usecases.report_attendance(world.uow(), world.clock, ORGANISER, event["id"],
                                         report)
    world.clock.set(START + timedelta(minutes=30))  # started, not yet ended
    assert await usecases.report_attendance(world.uow(), world.clock, ORGANISER, event["id"],
                                            report) == 1
    huge = await usecases.report_attendance(world.uow(), world.clock, ORGANISER, event["id"],
                                            usecases.Attendance(1_000_000, 0))
    assert huge == 2 and await usecases.attendance_held(world.uow(), ORGANISER, event["id"])
    counted = [e for e in world.published if isinstance(e, AttendanceReported)]
    assert [e.participants for e in counted] == [8]  # the million is held out
    with pytest.raises(Forbidden):
        await usecases.confirm_attendance(world.uow(), world.clock, ORGANISER, event["id"])
    assert await usecases.confirm_attendance(world.uow(), world.clock, DESK, event["id"]) == 2
    counted = [e for e in world.published if isinstance(e, AttendanceReported)]
    assert [(e.report_revision, e.participants) for e in counted] == [(1, 8), (2, 1_000_000)]
    with pytest.raises(Conflict):
        await usecases.confirm_attendance(world.uow(), world.clock, DESK, event["id"])
    assert NOW < START


async def test_an_organisers_first_public_activity_is_marked_new(world: World) -> None:
    """Notifications reach with a new organiser's activity only the channels of a setting."""
    first = await published(world)
    assert world.published[-1].new_organiser and first["new_organiser"]
    second = await draft(world)
    again = await usecases.publish_event(world.uow(), world.clock, ORGANISER, second["id"])
    assert again["status"] == "published" and not world.published[-1].new_organiser
