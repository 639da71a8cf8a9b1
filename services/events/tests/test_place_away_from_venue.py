"""An activity moved away from its venue (outdoors, a pop-up, online, another place) leaves
the venue and its space behind: a tester found one switched to outdoors still listed under
the library on the staff pages, as its kept `venue_id` said. Every edit (the API's PATCH, the
organiser's form, a series' "every time still to come") goes through `update_event`'s rule,
and a published one's `event.updated` tells the channels so. Domain and use cases against
the fakes, no I/O."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import domain, usecases
from services.events.tests.test_usecases import COMMS, ORGANISER, START, World
from services.events.tests.test_usecases import world as world  # the fixture
from shared.contracts import ActivityEventUpdated, LocalizedText, VenueRegistered

pytestmark = pytest.mark.unit

VENUE, SPACE = uuid4(), uuid4()
AT_VENUE = {"place_kind": "venue", "venue_id": VENUE, "space_id": SPACE,
            "area": "kuopio.pyoro"}


@pytest.mark.parametrize("kind", ["outdoors", "pop_up", "online", "other_place"])
def test_a_place_kind_of_no_venue_clears_the_venue_and_its_space(kind: str) -> None:
    changes = {"place_kind": kind, "place_name": {"fi": "Ranta"}}
    assert domain.place_changes(AT_VENUE, changes) == {
        **changes, "venue_id": None, "space_id": None}  # the area stays where it is


@pytest.mark.parametrize("changes", [
    {"place_kind": "hybrid"}, {"place_kind": "venue"}, {"name": {"fi": "Uusi"}}, {}])
def test_a_venues_place_kind_or_no_new_kind_keeps_the_venue(changes: dict[str, Any]) -> None:
    assert domain.place_changes(AT_VENUE, changes) == changes


def test_nothing_to_clear_adds_nothing() -> None:
    """An activity that had no venue moving online: no venue columns to change, so nothing
    but the place kind is written."""
    outdoors = {"place_kind": "outdoors",
                "place_name": {"fi": "Puisto"}, "venue_id": None, "space_id": None}
    assert domain.place_changes(outdoors, {"place_kind": "online"}) == {"place_kind": "online"}


async def _at_venue(world: World) -> UUID:
    await usecases.record_venue(world.uow(), world.clock, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Pyörön kirjasto"), kind="library",
        area="kuopio.pyoro", municipality="Kuopio", revision=1))
    row = await world.create(place_kind="venue", venue_id=VENUE, space_id=SPACE, area=None)
    assert (row["venue_id"], row["space_id"], row["area"]) == (VENUE, SPACE, "kuopio.pyoro")
    return UUID(str(row["id"]))


async def test_a_published_activity_moved_outdoors_is_told_without_its_venue(
        world: World) -> None:
    event_id = await _at_venue(world)
    await world.publish(event_id, COMMS)
    told = len(world.published)
    row = await usecases.update_event(world.uow(), world.clock, ORGANISER, event_id, {
        "place_kind": "outdoors", "place_name": {"fi": "Pyörön uimaranta"}})
    assert (row["place_kind"], row["venue_id"], row["space_id"], row["area"]) == (
        "outdoors", None, None, "kuopio.pyoro")
    assert world.store.events[event_id]["venue_id"] is None
    [updated] = world.published[told:]
    assert isinstance(updated, ActivityEventUpdated)
    assert (updated.place_kind, updated.venue_id, updated.space_id, updated.area) == (
        "outdoors", None, None, "kuopio.pyoro")
    assert updated.revision == row["revision"] == 2


async def test_a_draft_moved_online_leaves_its_venue_and_a_hybrid_one_keeps_it(
        world: World) -> None:
    hybrid = await _at_venue(world)
    row = await usecases.update_event(world.uow(), world.clock, ORGANISER, hybrid, {
        "place_kind": "hybrid", "online_url": "https://meet.example.fi/kuoro"})
    assert (row["venue_id"], row["space_id"]) == (VENUE, SPACE)
    online = await _at_venue(world)
    row = await usecases.update_event(world.uow(), world.clock, ORGANISER, online, {
        "place_kind": "online", "online_url": "https://meet.example.fi/kuoro"},
        as_published=True)
    assert (row["place_kind"], row["venue_id"], row["space_id"]) == ("online", None, None)
    assert world.published == []  # a draft: nobody is told


async def test_every_time_still_to_come_leaves_the_venue_together(world: World) -> None:
    await _at_venue(world)
    _, rows = await usecases.create_series(
        world.uow(), world.clock, ORGANISER,
        {"name": {"fi": "Kuoro"}, "kind": "open_guided", **AT_VENUE, "area": None,
         "starts_at": START, "ends_at": START + timedelta(hours=1)},
        usecases.Repeat(count=3))
    edited = await usecases.update_series_to_come(
        world.uow(), world.clock, ORGANISER, rows[0]["id"],
        {"place_kind": "pop_up", "place_name": {"fi": "Tori"}}, as_published=True)
    assert len(edited) == 3
    assert {(r["place_kind"], r["venue_id"], r["space_id"]) for r in edited} == {
        ("pop_up", None, None)}
    assert all(world.store.events[r["id"]]["venue_id"] is None for r in rows)
