"""A new time is refused with every rule it breaks at once, as an edit is: a start already
gone and an end before it, or one time the form could not read and the other gone by, are
said together by their inputs, whether the activity has a booking (its move is asked) or not
(it moves); nothing is asked, moved or told. In-memory store, fixed clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.events import organiser_pages, usecases
from services.events.tests.test_saga_usecases import published
from services.events.tests.test_usecases import NOW, ORGANISER, World
from shared.clock import HELSINKI
from shared.errors import Invalid, Refusals


@pytest.fixture
def world() -> World:
    return World()


def _local(moment: Any) -> str:
    return str(moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M"))


async def _activity(world: World, booked: bool) -> dict[str, Any]:
    if booked:
        return await published(world)
    return await world.publish((await world.create())["id"])


async def _refused(world: World, event: dict[str, Any],
                   new_time: usecases.NewTime) -> Refusals:
    told = len(world.published)
    with pytest.raises(Invalid) as refused:
        await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"],
                                        new_time)
    kept = world.store.events[event["id"]]
    assert (kept["status"], kept["starts_at"], kept["ends_at"], kept["pending_move"]) == \
        (event["status"], event["starts_at"], event["ends_at"], None)
    assert len(world.published) == told  # no move asked, nobody told
    assert isinstance(refused.value, Refusals)
    return refused.value


@pytest.mark.parametrize("booked", [True, False])
async def test_a_past_start_and_an_end_before_it_are_refused_together(
        world: World, booked: bool) -> None:
    event = await _activity(world, booked)
    gone = NOW - timedelta(days=1)
    refused = await _refused(world, event, organiser_pages.new_time_of(
        {"starts_at": _local(gone), "ends_at": _local(gone - timedelta(hours=1))}, NOW))
    assert [(e.field, e.message) for e in refused.each] == [
        ("ends_at", "the activity must end after it starts"),
        ("starts_at", "the new time cannot start in the past")]
    errors, whole = organiser_pages._refused(refused, "fi", prefix="reschedule.")
    assert whole is None
    assert errors == {
        "reschedule.starts_at": "Uusi aika on jo mennyt: valitse tuleva aika.",
        "reschedule.ends_at": errors["reschedule.ends_at"]}
    assert errors["reschedule.ends_at"]


@pytest.mark.parametrize("booked", [True, False])
async def test_a_time_the_form_could_not_read_is_said_with_the_others_rules(
        world: World, booked: bool) -> None:
    event = await _activity(world, booked)
    gone = NOW - timedelta(days=1)
    refused = await _refused(world, event, organiser_pages.new_time_of(
        {"starts_at": _local(gone), "ends_at": "huomenna"}, NOW))
    # The unread end is said as unread, and the start's own rule beside it; no rule that
    # needs the end (its order, the length, the same time) is said of its stand-in.
    assert sorted((e.field, e.message) for e in refused.each) == [
        ("ends_at", "must be a date and time"),
        ("starts_at", "the new time cannot start in the past")]
    both = await _refused(world, event, organiser_pages.new_time_of(
        {"starts_at": "", "ends_at": "31.2.2027 25:00"}, NOW))
    assert [(e.field, e.message) for e in both.each] == [
        ("starts_at", "must be a date and time"), ("ends_at", "must be a date and time")]


async def test_a_readable_new_time_still_moves(world: World) -> None:
    event = await _activity(world, booked=False)
    later = event["starts_at"] + timedelta(days=1)
    moved = await usecases.reschedule_event(
        world.uow(), world.clock, ORGANISER, event["id"], organiser_pages.new_time_of(
            {"starts_at": _local(later), "ends_at": _local(later + timedelta(hours=1))}, NOW))
    assert (moved["status"], moved["starts_at"]) == ("rescheduled", later)
