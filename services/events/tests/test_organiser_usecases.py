"""The organisers' own pages (issue #16) without I/O: the use cases that read an organiser's
activities (in-memory store, fixed clock), what to do next, and how the form's values become
the changes `update_event` takes and its refusals the organiser's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from services.events import domain, organiser_pages, usecases
from services.events.tests.fakes import FakeEventStore, RollbackUow
from shared.clock import FixedClock
from shared.contracts import BookingConfirmed, LocalizedText, VenueRegistered
from shared.errors import Invalid, NotFound, Refusals, Unauthenticated
from shared.identity import PUBLIC, Principal

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)
KUORO = Principal(subject="kuoro", roles=frozenset({"organiser"}))
OTHER = Principal(subject="joku-muu", roles=frozenset({"organiser"}))
COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))


class World:
    def __init__(self) -> None:
        self.store = FakeEventStore()
        self.clock = FixedClock(NOW)

    def uow(self) -> RollbackUow:
        return RollbackUow(self.store)

    async def booking(self, subject: str = "kuoro", starts_at: datetime = START,
                      title: str = "Kuoroharjoitus") -> tuple[Any, dict[str, Any]]:
        booking = BookingConfirmed(
            booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2), title=title, organiser_id=uuid4(),
            organiser_subject=subject)
        draft = await usecases.draft_from_booking(self.uow(), self.clock, booking)
        assert draft is not None
        return booking.booking_id, draft


@pytest.fixture
def world() -> World:
    return World()


async def test_an_organiser_sees_their_own_activities_drafts_too(world: World) -> None:
    _, mine = await world.booking()
    _, earlier = await world.booking(starts_at=NOW - timedelta(days=2), title="Syyskonsertti")
    await world.booking(subject="joku-muu", title="Naapurin juhla")
    created = await usecases.create_event(world.uow(), world.clock, KUORO, {
        "name": {"fi": "Puistolaulu"}, "place_kind": "outdoors",
        "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka",
        "starts_at": START + timedelta(days=1), "ends_at": START + timedelta(days=1, hours=1)})
    await usecases.publish_event(world.uow(), world.clock, KUORO, earlier["id"])
    await usecases.report_attendance(world.uow(), world.clock, KUORO, earlier["id"],
                                     usecases.Attendance(12, 3))

    await usecases.record_venue(world.uow(), world.clock, VenueRegistered(
        venue_id=mine["venue_id"], name=LocalizedText(fi="Jynkän kirjasto"), kind="library",
        area="kuopio.jynkka", municipality="Kuopio"))

    rows = await usecases.my_activities(world.uow(), KUORO)
    assert [r["id"] for r in rows] == [earlier["id"], mine["id"], created["id"]]
    assert [(r["venue_name"] or {}).get("fi") for r in rows] == [None, "Jynkän kirjasto", None]
    assert [r["attendance_reported"] for r in rows] == [True, False, False]
    assert [domain.next_step(r, NOW, r["attendance_reported"]) for r in rows] == \
        ["done", "write", "write"]
    with pytest.raises(Unauthenticated):
        await usecases.my_activities(world.uow(), PUBLIC)


async def test_the_draft_of_a_booking_opens_for_its_organiser_only(world: World) -> None:
    booking_id, draft = await world.booking()
    found = await usecases.booking_draft(world.uow(), KUORO, booking_id)
    assert found["id"] == draft["id"] == domain.draft_id(booking_id)
    for principal, booking in ((OTHER, booking_id), (KUORO, uuid4())):
        with pytest.raises(NotFound):
            await usecases.booking_draft(world.uow(), principal, booking)
    with pytest.raises(NotFound):
        await usecases.my_activity(world.uow(), OTHER, draft["id"])


async def test_an_activity_says_why_staff_returned_it_or_it_was_cancelled(
        world: World) -> None:
    created = await usecases.create_event(world.uow(), world.clock, KUORO, {
        "name": {"fi": "Puistolaulu"}, "place_kind": "outdoors",
        "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka",
        "starts_at": START, "ends_at": START + timedelta(hours=1)})
    queued = await usecases.publish_event(world.uow(), world.clock, KUORO, created["id"])
    assert queued["status"] == "awaiting_approval"
    seen = await usecases.my_activity(world.uow(), KUORO, created["id"])
    assert domain.next_step(seen.row, NOW, False) == "waiting" and seen.note is None

    await usecases.refuse_event(world.uow(), world.clock, COMMS, created["id"],
                                "Puisto on varattu")
    seen = await usecases.my_activity(world.uow(), KUORO, created["id"])
    assert seen.note == ("refused", "Puisto on varattu") and seen.row["status"] == "draft"

    await usecases.approve_event(world.uow(), world.clock, COMMS, (await usecases.publish_event(
        world.uow(), world.clock, KUORO, created["id"]))["id"])
    await usecases.cancel_event(world.uow(), world.clock, KUORO, created["id"], "Sairastuin")
    seen = await usecases.my_activity(world.uow(), KUORO, created["id"])
    assert seen.note == ("cancelled", "Sairastuin")
    assert seen.row["status_reason"] == "Sairastuin" and seen.attendance is None


async def test_a_refusal_is_marked_with_the_language_staff_wrote_it_in(world: World) -> None:
    """A tester read staff's Finnish reason inside an English sentence with no lang marking
    (WCAG 3.1.2): the refusal keeps the language of the approval page it was written on."""
    created = await usecases.create_event(world.uow(), world.clock, KUORO, {
        "name": {"fi": "Puistolaulu"}, "place_kind": "outdoors",
        "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka",
        "starts_at": START, "ends_at": START + timedelta(hours=1)})
    await usecases.publish_event(world.uow(), world.clock, KUORO, created["id"])
    await usecases.refuse_event(world.uow(), world.clock, COMMS, created["id"],
                                "Puisto <on> varattu", language="fi")
    seen = await usecases.my_activity(world.uow(), KUORO, created["id"])
    assert seen.note == ("refused", "Puisto <on> varattu") and seen.note_language == "fi"
    assert organiser_pages.note_text(seen.note, "en", seen.note_language) == \
        'Returned to you: <span lang="fi">Puisto &lt;on&gt; varattu</span>'
    # On a page in the reason's own language, nothing to mark.
    assert organiser_pages.note_text(seen.note, "fi", seen.note_language) == \
        "Palautettu sinulle: Puisto <on> varattu"
    # Refused through the JSON API, which does not say the language: nothing claimed.
    await usecases.publish_event(world.uow(), world.clock, KUORO, created["id"])
    await usecases.refuse_event(world.uow(), world.clock, COMMS, created["id"], "Täynnä")
    seen = await usecases.my_activity(world.uow(), KUORO, created["id"])
    assert seen.note == ("refused", "Täynnä") and seen.note_language is None
    assert organiser_pages.note_text(seen.note, "en", None) == "Returned to you: Täynnä"


@pytest.mark.parametrize(("status", "starts", "reported", "pending", "step"), [
    ("draft", START, False, None, "write"),
    ("awaiting_approval", START, False, None, "waiting"),
    ("published", START, False, {"request_id": "x"}, "moving"),
    ("published", START, False, None, "share"),
    ("rescheduled", NOW - timedelta(hours=1), False, None, "report"),
    ("published", NOW - timedelta(hours=1), True, None, "done"),
    ("postponed", NOW - timedelta(hours=1), False, None, "new_time"),
    ("cancelled", START, False, None, "cancelled"),
    ("withdrawn", START, False, None, "withdrawn"),
])
def test_what_an_organiser_does_next(status: str, starts: datetime, reported: bool,
                                     pending: Any, step: str) -> None:
    row = {"status": status, "starts_at": starts, "pending_move": pending}
    assert domain.next_step(row, NOW, reported) == step


def test_latest_note_is_the_reason_still_in_force() -> None:
    history = [{"status": "draft", "reason": None}, {"status": "awaiting_approval"},
               {"status": "draft", "reason": "refused: Ei tilaa"},
               {"status": "awaiting_approval", "reason": None}]
    assert domain.latest_note(history, "awaiting_approval") is None
    assert domain.latest_note(history[:3], "draft") == ("refused", "Ei tilaa")
    moved = [*history, {"status": "published"}, {"status": "move_requested"},
             {"status": "move_refused", "reason": "space_taken: varattu"}]
    assert domain.latest_note(moved, "published") == ("move_refused", "space_taken: varattu")


async def test_the_form_changes_only_what_was_changed(world: World) -> None:
    _, draft = await world.booking()
    values = organiser_pages.form_values(draft)
    assert organiser_pages.changes_of(values, draft, time_editable=False) == ({}, [])
    values.update({"name.sv": "Körövning", "description.fi": "Tule laulamaan!",
                   "price": "5,50 €", "free": False, "capacity": "30",
                   "topics": ["music"], "languages": ["fi", "sv"]})
    changes, unread = organiser_pages.changes_of(values, draft, time_editable=False)
    assert unread == []
    assert changes == {"name": {"fi": "Kuoroharjoitus", "sv": "Körövning"},
                       "description": {"fi": "Tule laulamaan!"}, "price": Decimal("5.50"),
                       "free": False, "capacity": 30, "topics": ["music"],
                       "languages": ["fi", "sv"]}
    saved = await usecases.update_event(world.uow(), world.clock, KUORO, draft["id"], changes)
    assert saved["name"]["sv"] == "Körövning" and saved["price"] == Decimal("5.50")
    assert organiser_pages.changes_of(values, saved, time_editable=False) == ({}, [])
    reordered = {**values, "languages": ["sv", "fi"], "name.en": "  "}
    assert organiser_pages.changes_of(reordered, saved, time_editable=False) == ({}, [])


@pytest.mark.parametrize(("key", "typed", "field"), [
    ("capacity", "kolmekymmentä", "capacity"), ("min_age", "-3", "min_age"),
    ("price", "5,555", "price"), ("starts_at", "huomenna", "starts_at"),
])
def test_a_value_not_of_its_kind_is_refused_by_its_field(key: str, typed: str,
                                                         field: str) -> None:
    row = {**usecases.NEW_EVENT, "name": {"fi": "x"}, "starts_at": START,
           "ends_at": START + timedelta(hours=1)}
    values = {**organiser_pages.form_values(row), key: typed}
    changes, refused = organiser_pages.changes_of(values, row, time_editable=True)
    assert [e.field for e in refused] == [field] and field not in changes


async def test_the_forms_save_refuses_every_rule_in_one_answer(world: World) -> None:
    """A tester fixed what the form said, then was told more: a word for a number hid the
    unknown term, and an online activity's missing link was said only at the publish after.
    Now one save says them all (what could not be read, the values', the terms' and
    publishing's), and nothing is stored."""
    _, draft = await world.booking()
    before = dict(world.store.events[draft["id"]])
    values = {**organiser_pages.form_values(draft), "capacity": "kolmekymmentä",
              "min_age": "12", "max_age": "7", "topics": ["ei_tallaista"],
              "place_kind": "online", "description.fi": "x" * 501}
    changes, unread = organiser_pages.changes_of(values, draft, time_editable=False)
    with pytest.raises(Refusals) as refused:
        await usecases.update_event(world.uow(), world.clock, KUORO, draft["id"], changes,
                                    unread, as_published=True)
    errors, error = organiser_pages._refused(refused.value, "en")
    assert error is None
    assert errors == {
        "description.fi": "At most 500 characters.",
        "online_url": "An online activity needs its link to join.",
        "topics": "Choose from the options.",
        "max_age": "The lowest age cannot be above the highest.",
        "capacity": "Give a whole number."}
    assert list(errors) == ["description.fi", "online_url", "topics", "max_age", "capacity"]
    assert world.store.events[draft["id"]] == before
    # The API's draft may still be saved without its link (a draft, not yet to publish);
    # the form's publish then refuses nothing its save did not say.
    saved = await usecases.update_event(world.uow(), world.clock, KUORO, draft["id"],
                                        {"place_kind": "online"})
    assert saved["place_kind"] == "online"
    with pytest.raises(Refusals) as published:
        await usecases.publish_event(world.uow(), world.clock, KUORO, draft["id"])
    assert [e.field for e in published.value.each] == ["online_url"]


async def test_a_refusal_is_said_next_to_its_field_in_the_readers_language(
        world: World) -> None:
    _, draft = await world.booking()
    with pytest.raises(Invalid) as refused:
        await usecases.update_event(world.uow(), world.clock, KUORO, draft["id"],
                                    {"image_url": "ftp://kuvat.example.fi/kuoro.jpg"})
    assert organiser_pages.error_key(refused.value.field or "") == "image_url"
    assert organiser_pages.refusal(refused.value, "sv") == \
        "Ange en adress som börjar med https:// eller http://."
    assert organiser_pages.refusal(Invalid("at most 500 characters", field="name.fi"),
                                   "fi") == "Enintään 500 merkkiä."
    assert organiser_pages.refusal(Invalid("something new", field="x"), "en") == \
        "Please check this."
    assert organiser_pages.error_key("topics.3") == "topics"
    assert organiser_pages.error_key("venue_id") == "place_kind"


def test_the_feedback_links_are_the_metrics_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOHTAAMO_PUBLIC_METRICS_URL", "https://mittarit.example.fi/")
    event_id = uuid4()
    links = organiser_pages.feedback_links(event_id)
    assert links == {"survey": f"https://mittarit.example.fi/feedback/{event_id}",
                     "short": f"https://mittarit.example.fi/f/{event_id.hex[:10]}",
                     "qr": f"https://mittarit.example.fi/feedback/{event_id}/qr.svg"}
