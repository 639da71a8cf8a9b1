"""Retiring a term of the vocabulary, and list filters checked against it, on the in-memory
store: junk terms left by test traffic ("0", "00") showed on every organiser's form and on
the residents' filters with no way to remove them, and `GET /events?audience=true` listed
nothing instead of saying no such audience exists (the calendar already refused it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events import domain, usecases
from services.events.tests.fakes import TermsWorld
from shared.clock import FixedClock
from shared.errors import Forbidden, Invalid, NotFound, Unauthenticated
from shared.identity import PUBLIC, Principal

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)
ORGANISER = Principal(subject="kuoro", roles=frozenset({"organiser"}))
COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))
CLOCK = FixedClock(NOW)


class World(TermsWorld):
    async def retire(self, scheme: str, code: str, retired: bool = True,
                     principal: Principal = COMMS) -> dict[str, Any]:
        return await usecases.retire_term(self.uow(), CLOCK, principal, scheme, code, retired)

    async def create(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": {"fi": "Satutuokio"}, "kind": "open_guided", "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"},
            "area": "kuopio.jynkka", "topics": ["stories"], "audiences": ["families"],
            "starts_at": START, "ends_at": START + timedelta(hours=1), **changes}
        return await usecases.create_event(self.uow(), CLOCK, ORGANISER, body)


@pytest.fixture
def world() -> World:
    return World()


async def test_retiring_hides_a_term_from_the_vocabulary_and_restoring_brings_it_back(
        world: World) -> None:
    term = await world.retire("topic", "crafts")
    assert (term["retired"], term["revision"]) == (True, 2)
    offered = await usecases.vocabulary(world.uow())
    assert "crafts" not in offered["topic"] and "music" in offered["topic"]
    everything = await usecases.vocabulary(world.uow(), retired=True)
    assert everything["topic"]["crafts"] == {"fi": "crafts", "retired": True}
    assert "retired" not in everything["topic"]["music"]

    term = await world.retire("topic", "crafts", retired=False)
    assert (term["retired"], term["revision"]) == (False, 3)
    assert "crafts" in (await usecases.vocabulary(world.uow()))["topic"]
    # Each change told as the term's next revision, its words with it.
    assert [(t.code, t.revision, t.retired, t.label.fi) for t in world.told] == [
        ("crafts", 2, True, "crafts"), ("crafts", 3, False, "crafts")]


async def test_retiring_a_retired_term_changes_nothing_and_tells_nobody(world: World) -> None:
    await world.retire("audience", "seniors")
    again = await world.retire("audience", "seniors")
    assert (again["retired"], again["revision"]) == (True, 2)
    restored_twice = [await world.retire("audience", "seniors", retired=False)
                      for _ in range(2)]
    assert [r["revision"] for r in restored_twice] == [3, 3]
    assert [t.revision for t in world.told] == [2, 3]


async def test_only_communications_retire_and_an_unknown_term_is_not_found(
        world: World) -> None:
    with pytest.raises(Unauthenticated):
        await world.retire("topic", "music", principal=PUBLIC)
    with pytest.raises(Forbidden):
        await world.retire("topic", "music", principal=ORGANISER)
    with pytest.raises(NotFound):
        await world.retire("topic", "astrology")
    assert not world.store.retired and not world.told


async def test_a_retired_term_relabelled_stays_retired_on_the_bus(world: World) -> None:
    await world.retire("topic", "music")
    await usecases.extend_vocabulary(world.uow(), CLOCK, COMMS, usecases.VocabularyEntry(
        "topic", "music", {"fi": "Musiikki"}))
    assert [(t.revision, t.retired, t.label.fi) for t in world.told] == [
        (2, True, "music"), (3, True, "Musiikki")]


async def test_no_new_activity_takes_a_retired_term_but_one_that_has_it_keeps_it(
        world: World) -> None:
    kept = await world.create(topics=["stories", "crafts"])
    await world.retire("topic", "crafts")
    with pytest.raises(Invalid) as refused:
        await world.create(topics=["crafts"])
    assert refused.value.field == "topics"
    # An edit of the activity keeps its retired term (and may drop it), adds no other.
    edited = await usecases.update_event(world.uow(), CLOCK, ORGANISER, kept["id"],
                                         {"topics": ["crafts", "music"]})
    assert edited["topics"] == ["crafts", "music"]
    await world.retire("audience", "seniors")
    with pytest.raises(Invalid) as refused:
        await usecases.update_event(world.uow(), CLOCK, ORGANISER, kept["id"],
                                    {"audiences": ["seniors"]})
    assert refused.value.field == "audiences"
    # Its page still names it by its words.
    labels = {(t["scheme"], t["code"]) for t in await world.store.vocabulary_labels()}
    assert ("topic", "crafts") in labels


@pytest.mark.parametrize("filters, field", [
    ({"audience": ["true"]}, "audience"),
    ({"topic": ["music", "astrology"]}, "topic"),
    ({"kind": "rave"}, "kind"),
])
async def test_a_list_filter_naming_no_term_is_refused_with_the_known_codes(
        world: World, filters: dict[str, Any], field: str) -> None:
    for find in (
        lambda: usecases.find_events(world.uow(), PUBLIC, filters, 50, 0),
        lambda: usecases.calendar_feed(world.uow(), PUBLIC, filters, 50),
        lambda: usecases.find_public_events(world.uow(), filters, 50, 0),
    ):
        with pytest.raises(Invalid) as refused:
            await find()
        assert refused.value.field == field
        scheme = field
        assert refused.value.details["known"] == sorted(
            await world.store.vocabulary(scheme))


async def test_a_retired_term_still_filters_the_list(world: World) -> None:
    await world.create(audiences=["seniors"])
    await world.retire("audience", "seniors")
    rows, total = await usecases.find_events(world.uow(), ORGANISER,
                                             {"audience": ["seniors"]}, 50, 0)
    assert total == 1 and rows[0]["audiences"] == ["seniors"]


def test_the_offered_terms_leave_out_the_retired_but_the_chosen() -> None:
    vocabulary = [{"scheme": "topic", "code": "0", "retired": True},
                  {"scheme": "topic", "code": "music", "retired": False},
                  {"scheme": "kind", "code": "music", "retired": True}]
    assert [t["code"] for t in domain.offered_terms(vocabulary)] == ["music"]
    assert [(t["scheme"], t["code"]) for t in domain.offered_terms(
        vocabulary, domain.chosen_terms({"topic": ["0"], "kind": None}))] == [
        ("topic", "0"), ("topic", "music")]
    assert domain.chosen_terms({"kind": "other", "topics": ["a"], "audiences": []}) == [
        ("kind", "other"), ("topic", "a")]
