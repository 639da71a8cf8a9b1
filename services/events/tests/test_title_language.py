"""A booking's draft is named in the language its title is written in (the booking events'
`title_language`, asked beside the title), not always in Finnish: an English title went out
as the Finnish post and board slide. One in Swedish or English alone waits for its Finnish
name, which its organiser writes when they edit or publish it; a move of the booking keeps
the name as it is. Use cases against the fakes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import domain, usecases
from services.events.tests.test_usecases import NOW, ORGANISER, START, World
from services.events.tests.test_usecases import world as world  # the fixture
from shared.contracts import (
    ActivityEventPublished,
    BookingCancelled,
    BookingConfirmed,
    BookingMoved,
)
from shared.errors import Invalid, flattened

pytestmark = pytest.mark.unit


def confirmed(booking_id: UUID, title: str = "Choir rehearsal", **language: Any
              ) -> BookingConfirmed:
    return BookingConfirmed(
        booking_id=booking_id, venue_id=uuid4(), space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title=title, organiser_id=uuid4(),
        organiser_subject=ORGANISER.subject, **language)


def refused_fields(exc: Invalid) -> list[str | None]:
    return [e.field for e in flattened([exc])]


@pytest.mark.parametrize(("language", "name"), [
    ({"title_language": "en"}, {"en": "Choir rehearsal"}),
    ({"title_language": "sv"}, {"sv": "Choir rehearsal"}),
    ({"title_language": "fi"}, {"fi": "Choir rehearsal"}),
    # An event from before the field: Finnish, as the draft was named then.
    ({}, {"fi": "Choir rehearsal"}),
    # A language booking offers later, none of ours: Finnish, as before the field.
    ({"title_language": "se"}, {"fi": "Choir rehearsal"}),
    # A producer's mistake longer than any language tag, read clipped: Finnish too.
    ({"title_language": "en" * 30}, {"fi": "Choir rehearsal"}),
    # The organiser's language of messages says nothing of the title's.
    ({"contact_language": "sv"}, {"fi": "Choir rehearsal"}),
])
async def test_a_drafts_name_is_the_title_in_its_own_language(
        world: World, language: dict[str, str], name: dict[str, str]) -> None:
    draft = await usecases.draft_from_booking(world.uow(), world.clock,
                                              confirmed(uuid4(), **language))
    assert draft is not None and draft["name"] == name
    assert world.store.events[draft["id"]]["name"] == name
    assert draft["status"] == "draft" and draft["created_at"] == NOW
    # Listed as the organiser's own, with nothing else refused of it.
    rows, total = await usecases.find_events(world.uow(), ORGANISER, {}, 50, 0)
    assert total == 1 and rows[0]["id"] == draft["id"]
    assert domain.booking_draft_refusals(draft) == []


@pytest.mark.parametrize("contract", [BookingConfirmed, BookingCancelled, BookingMoved])
def test_a_booking_event_reads_an_over_long_title_language_clipped_not_refused(
        contract: type[Any]) -> None:
    """Every booking event carries it: one longer than the contract's 35 characters (no
    language tag is) is read clipped, so no reader dead-letters the booking's event; each
    reader then takes it for Finnish, as any language it does not know."""
    data = {**confirmed(uuid4()).model_dump(mode="json"), "title_language": "sv" * 40,
            "cancelled_by": "organiser", "reason": "Sairastuin",
            "previous_starts_at": START.isoformat(),
            "previous_ends_at": START.isoformat()}
    assert contract.model_validate(data).title_language == "sv" * 17 + "s"
    for odd in (None, 7, ["sv"]):  # a null or no text at all: the default, not a dead letter
        assert contract.model_validate({**data, "title_language": odd}).title_language == "fi"
    assert BookingConfirmed.model_json_schema()["properties"]["title_language"][
        "maxLength"] == 35  # producers are held to it still


async def test_a_title_that_cannot_be_a_name_gives_the_drafts_name_in_every_language(
        world: World) -> None:
    draft = await usecases.draft_from_booking(world.uow(), world.clock, confirmed(
        uuid4(), title=" \x00 ", title_language="en"))
    assert draft is not None and draft["name"] == domain.DRAFT_NAME


async def test_an_english_draft_is_given_its_finnish_name_to_be_published(
        world: World) -> None:
    """Publishing needs the Finnish name (residents read activities in Finnish first): the
    English-only draft is refused by `name.fi`, and any edit asks for it too; given, it
    goes out with both names."""
    draft = await usecases.draft_from_booking(world.uow(), world.clock, confirmed(
        uuid4(), title_language="en"))
    assert draft is not None
    with pytest.raises(Invalid) as refused:
        await usecases.publish_event(world.uow(), world.clock, ORGANISER, draft["id"])
    assert refused_fields(refused.value) == ["name.fi"]
    assert refused.value.message == "must not be empty"  # said as an empty Finnish name
    with pytest.raises(Invalid) as edit:
        await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"],
                                    {"languages": ["en"]})
    assert refused_fields(edit.value) == ["name.fi"]
    # Saved unchanged from the organiser's form (written to be published), it is told so
    # too: a tester's unchanged save said "Saved" and the Publish after it refused.
    with pytest.raises(Invalid) as unchanged:
        await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"], {},
                                    as_published=True)
    assert refused_fields(unchanged.value) == ["name.fi"]
    assert await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"],
                                       {}) is not None  # the API's empty PATCH: as before
    assert world.store.events[draft["id"]]["status"] == "draft"
    assert world.published == []
    await usecases.update_event(world.uow(), world.clock, ORGANISER, draft["id"], {
        "name": {"fi": "Kuoroharjoitus", "en": "Choir rehearsal"}})
    out = await usecases.publish_event(world.uow(), world.clock, ORGANISER, draft["id"])
    assert out["status"] == "published"
    assert out["name"] == {"fi": "Kuoroharjoitus", "en": "Choir rehearsal"}
    [told] = world.published
    assert isinstance(told, ActivityEventPublished)
    assert (told.name.fi, told.name.en, told.name.sv) == ("Kuoroharjoitus", "Choir rehearsal",
                                                          None)


async def test_a_moved_booking_keeps_its_drafts_name_in_the_titles_language(
        world: World) -> None:
    """The same rule when a move of the booking reaches the draft, before or after it is
    made: the name stays in the title's language (a move never renames it)."""
    booking_id = uuid4()
    later = START + timedelta(days=1)
    moved = BookingMoved(**{
        **confirmed(booking_id, title="Körövning", title_language="sv").model_dump(),
        "starts_at": later, "ends_at": later + timedelta(hours=2),
        "previous_starts_at": START, "previous_ends_at": START + timedelta(hours=2)})
    await usecases.follow_booking_move(world.uow(), world.clock, moved)  # ahead of it
    draft = await usecases.draft_from_booking(world.uow(), world.clock, confirmed(
        booking_id, title="Körövning", title_language="sv"))
    assert draft is not None
    assert (draft["name"], draft["starts_at"]) == ({"sv": "Körövning"}, later)
    latest = later + timedelta(days=1)
    moved_again = BookingMoved(**{**moved.model_dump(), "starts_at": latest,
                                  "ends_at": latest + timedelta(hours=2)})
    after = await usecases.follow_booking_move(world.uow(), world.clock, moved_again)
    assert after is not None
    assert (after["name"], after["starts_at"]) == ({"sv": "Körövning"}, latest)
