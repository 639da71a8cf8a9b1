"""A weekly group's occurrences written together (a tester's finding: an association's 12
weeks were written one by one): `update_series_to_come` gives every occurrence still to
come the same changed details, never the time, all or none; the domain's rules of which
occurrences it reaches and how an organiser's list folds a series. Fakes, no I/O."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import domain, usecases
from services.events.tests.test_usecases import COMMS, NOW, ORGANISER, OTHER, START, World, fields
from shared.contracts import ActivityEventUpdated, BookingConfirmed
from shared.errors import Conflict, Invalid, NotFound, Refusals


@pytest.fixture
def world() -> World:
    return World()


async def weekly(world: World, count: int = 4, **changes: Any) -> tuple[UUID, list[UUID]]:
    series_id, rows = await usecases.create_series(
        world.uow(), world.clock, ORGANISER, fields(**changes), usecases.Repeat(count=count))
    return series_id, [r["id"] for r in rows]


def stored(world: World, event_id: UUID) -> dict[str, Any]:
    return world.store.events[event_id]


async def test_every_time_still_to_come_takes_the_same_details_never_the_time(
        world: World) -> None:
    _, ids = await weekly(world)
    starts = [stored(world, i)["starts_at"] for i in ids]
    new_name = {"fi": "Kuorolaulu", "sv": "Körsång", "en": "Choir"}
    edited = await usecases.update_series_to_come(
        world.uow(), world.clock, ORGANISER, ids[1],
        {"name": new_name, "topics": ["music"], "price": None, "free": True,
         "starts_at": starts[1] + timedelta(hours=2), "ends_at": starts[1] + timedelta(hours=3)},
        as_published=True)
    assert [r["id"] for r in edited] == [ids[1], ids[0], ids[2], ids[3]]
    for i, event_id in enumerate(ids):
        row = stored(world, event_id)
        assert row["name"] == new_name and row["topics"] == ["music"]
        # This draft's own time moves (its form edits it); the others keep theirs.
        assert row["starts_at"] == (starts[1] + timedelta(hours=2) if i == 1 else starts[i])


async def test_only_this_one_leaves_the_others(world: World) -> None:
    _, ids = await weekly(world, count=3)
    await usecases.update_event(world.uow(), world.clock, ORGANISER, ids[0],
                                {"topics": ["crafts"]})
    assert [stored(world, i)["topics"] for i in ids] == [["crafts"], ["stories"], ["stories"]]


async def test_cancelled_started_and_waiting_times_are_left_as_they_are(world: World) -> None:
    _, ids = await weekly(world, count=5)
    await world.publish(ids[1], COMMS)
    await usecases.cancel_event(world.uow(), world.clock, ORGANISER, ids[1], "sairas")
    await usecases.publish_event(world.uow(), world.clock, ORGANISER, ids[2])  # queued
    assert stored(world, ids[2])["status"] == "awaiting_approval"
    world.clock.set(START + timedelta(minutes=10))  # the first time is under way by now
    await usecases.update_series_to_come(world.uow(), world.clock, ORGANISER, ids[3],
                                         {"topics": ["crafts"]}, as_published=True)
    assert [stored(world, i)["topics"] for i in ids] == [
        ["stories"], ["stories"], ["stories"], ["crafts"], ["crafts"]]


async def test_published_times_are_edited_as_published_ones_and_told(world: World) -> None:
    _, ids = await weekly(world, count=3)
    for event_id in ids[:2]:
        await world.publish(event_id, COMMS)
    told = len(world.published)
    await usecases.update_series_to_come(world.uow(), world.clock, ORGANISER, ids[2],
                                         {"capacity": 20}, as_published=True)
    updated = [e for e in world.published[told:] if isinstance(e, ActivityEventUpdated)]
    # The two published ones are new revisions residents hear of; the draft is not told.
    assert sorted(str(e.event_id) for e in updated) == sorted(str(i) for i in ids[:2])
    assert {stored(world, i)["revision"] for i in ids[:2]} == {2}
    assert stored(world, ids[2])["capacity"] == 20
    assert [stored(world, i)["status"] for i in ids] == ["published", "published", "draft"]


async def test_one_time_refusing_stores_nothing_and_says_which_time(world: World) -> None:
    _, ids = await weekly(world, count=3)
    # One week was written online without a link yet (allowed for a draft saved by the
    # API); the edit for every time is held to publishing's rules, which refuse it there.
    await usecases.update_event(world.uow(), world.clock, ORGANISER, ids[2],
                                {"place_kind": "online", "area": None})
    before = {i: dict(stored(world, i)) for i in ids}
    with pytest.raises(Refusals) as refused:
        await usecases.update_series_to_come(
            world.uow(), world.clock, ORGANISER, ids[0],
            {"name": {"fi": ""}, "capacity": 30}, as_published=True)
    each = refused.value.each
    # This time's refusal once (not again for each time); the other time's own refusal
    # marked with its start.
    assert [e.field for e in each].count("name.fi") == 1
    assert "occurrence" not in next(e for e in each if e.field == "name.fi").details
    online = [e for e in each if e.field == "online_url"]
    assert online and online[0].details["occurrence"] \
        == stored(world, ids[2])["starts_at"].isoformat()
    assert {i: stored(world, i) for i in ids} == before
    assert world.uows[-1].rollbacks == 1 and world.uows[-1].published == []


async def test_a_refusal_of_another_time_alone_stores_nothing(world: World) -> None:
    _, ids = await weekly(world, count=3)
    await usecases.update_event(world.uow(), world.clock, ORGANISER, ids[1],
                                {"place_kind": "online", "area": None})
    before = {i: dict(stored(world, i)) for i in ids}
    with pytest.raises(Refusals):
        await usecases.update_series_to_come(world.uow(), world.clock, ORGANISER, ids[0],
                                             {"capacity": 30}, as_published=True)
    assert {i: stored(world, i) for i in ids} == before


async def test_no_series_someone_elses_and_a_queued_one_are_refused(world: World) -> None:
    alone = await world.create()
    with pytest.raises(Conflict):
        await usecases.update_series_to_come(world.uow(), world.clock, ORGANISER,
                                             alone["id"], {"capacity": 3})
    _, ids = await weekly(world, count=2)
    with pytest.raises(NotFound):
        await usecases.update_series_to_come(world.uow(), world.clock, OTHER, ids[0],
                                             {"capacity": 3})
    await usecases.publish_event(world.uow(), world.clock, ORGANISER, ids[0])
    with pytest.raises(Conflict):
        await usecases.update_series_to_come(world.uow(), world.clock, ORGANISER, ids[0],
                                             {"capacity": 3})
    assert stored(world, ids[1])["capacity"] is None


# --- the domain's rules ------------------------------------------------------------------


def occurrence(status: str, days: int, series_id: UUID | None = None) -> dict[str, Any]:
    return {"id": uuid4(), "status": status, "starts_at": NOW + timedelta(days=days),
            "series_id": series_id}


def test_series_place_counts_the_times_an_edit_reaches_and_the_drafts() -> None:
    rows = [occurrence("published", -7), occurrence("draft", 1), occurrence("cancelled", 8),
            occurrence("awaiting_approval", 15), occurrence("draft", 22),
            occurrence("postponed", 29)]
    place = domain.series_place(rows, rows[1]["id"], NOW)
    assert place == domain.SeriesPlace(position=2, total=6, to_come=2, drafts=2)
    assert domain.series_place(rows, uuid4(), NOW) is None


def test_series_changes_leave_the_time() -> None:
    assert domain.series_changes({"starts_at": NOW, "ends_at": NOW, "all_day": True,
                                  "capacity": 3}) == {"capacity": 3}


def test_an_organisers_list_folds_each_series_at_its_first_time() -> None:
    a, b = uuid4(), uuid4()
    rows = [occurrence("draft", 1, a), occurrence("draft", 2), occurrence("draft", 3, b),
            occurrence("draft", 8, a), occurrence("draft", 10, b)]
    groups = domain.grouped_by_series(rows)
    assert [[r["id"] for r in g] for g in groups] == [
        [rows[0]["id"], rows[3]["id"]], [rows[1]["id"]], [rows[2]["id"], rows[4]["id"]]]


def test_a_refusal_said_already_is_not_said_again_for_another_time() -> None:
    said = [Invalid("must not be empty", field="name.fi")]
    row = occurrence("draft", 7)
    found = domain.occurrence_refusals(
        [Invalid("must not be empty", field="name.fi"), Invalid("needs a link", "online_url")],
        row, said)
    assert [(e.field, e.details) for e in found] == [
        ("online_url", {"occurrence": row["starts_at"].isoformat()})]


async def test_publishing_every_time_says_each_times_refusal_at_once(world: World) -> None:
    series_id, ids = await weekly(world, count=3)
    for event_id in ids[1:]:
        await usecases.update_event(world.uow(), world.clock, ORGANISER, event_id,
                                    {"place_kind": "online", "area": None})
    with pytest.raises(Refusals) as refused:
        await usecases.publish_series(world.uow(), world.clock, ORGANISER, series_id)
    # The same rule of the same field once, named by the first time that breaks it.
    assert [(e.field, e.details.get("occurrence")) for e in refused.value.each] == [
        ("online_url", stored(world, ids[1])["starts_at"].isoformat())]
    assert {stored(world, i)["status"] for i in ids} == {"draft"}


async def test_a_booking_series_drafts_are_one_series_written_together(world: World) -> None:
    series_id, venue_id, space_id = uuid4(), uuid4(), uuid4()
    drafts = []
    for week in range(3):
        booking = BookingConfirmed(
            booking_id=uuid4(), venue_id=venue_id, space_id=space_id,
            starts_at=START + timedelta(weeks=week),
            ends_at=START + timedelta(weeks=week, hours=2), title="Kuoroharjoitus",
            organiser_id=uuid4(), organiser_subject="kuoro", series_id=series_id)
        for _ in range(2):  # a confirmation read again keeps the one series
            drafts.append(await usecases.draft_from_booking(world.uow(), world.clock,
                                                            booking))
    ids = [d["id"] for d in drafts if d is not None]
    assert len(ids) == 3 and {stored(world, i)["series_id"] for i in ids} == {series_id}
    assert list(world.store.series) == [series_id]
    await usecases.update_series_to_come(world.uow(), world.clock, ORGANISER, ids[0],
                                         {"topics": ["music"]}, as_published=True)
    assert [stored(world, i)["topics"] for i in ids] == [["music"]] * 3
    assert [stored(world, i)["starts_at"] for i in ids] == [
        START + timedelta(weeks=w) for w in range(3)]
