"""The vocabulary's three ways to give a term words, on the in-memory store: adding a term
refuses a code the scheme has (the staff page's add form once replaced the words of kind
`digital`, wiping those it was not given), changing a term's words refuses a code it has
not (a row's tampered hidden code once added a term), and `PUT /vocabulary`'s
`extend_vocabulary` stays the upsert it is documented as."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.events import usecases
from services.events.tests.fakes import TermsWorld
from shared.clock import FixedClock
from shared.errors import Conflict, Forbidden, NotFound
from shared.http import code_of, status_of
from shared.identity import Principal

CLOCK = FixedClock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))
DESK = Principal(subject="tiski", roles=frozenset({"desk"}))
DIGITAL = {"fi": "Digitaalinen toiminta", "sv": "Digital verksamhet", "en": "Digital activity"}


World = TermsWorld


@pytest.fixture
async def world() -> World:
    found = World()
    await usecases.extend_vocabulary(found.uow(), CLOCK, COMMS,
                                     usecases.VocabularyEntry("kind", "digital", DIGITAL))
    found.uows.clear()
    return found


def _entry(scheme: str, code: str, **label: str) -> usecases.VocabularyEntry:
    return usecases.VocabularyEntry(scheme, code, dict(label))


async def test_adding_refuses_a_code_the_scheme_has(world: World) -> None:
    with pytest.raises(Conflict) as refused:
        await usecases.add_term(world.uow(), CLOCK, COMMS, _entry("kind", "digital", fi="Digi"))
    # Said by the code (the form's input), by a code of its own, as a conflict (409).
    assert refused.value.details["field"] == "code"
    assert code_of(refused.value) == "term_exists" and status_of(refused.value) == 409
    assert world.store.labels[("kind", "digital")] == DIGITAL
    assert world.told == []
    # A retired code is the scheme's too.
    await usecases.retire_term(world.uow(), CLOCK, COMMS, "kind", "digital")
    with pytest.raises(Conflict):
        await usecases.add_term(world.uow(), CLOCK, COMMS, _entry("kind", "digital", fi="D"))
    assert world.store.labels[("kind", "digital")] == DIGITAL

    # A new code, in any scheme (the same code in another scheme is another term): added
    # as its first revision and told.
    added = await usecases.add_term(world.uow(), CLOCK, COMMS,
                                    _entry("topic", "digital", fi="Digi"))
    assert added.label == {"fi": "Digi"}
    assert world.store.labels[("topic", "digital")] == {"fi": "Digi"}
    assert [(t.scheme, t.code, t.revision) for t in world.told[-1:]] == \
        [("topic", "digital", 1)]
    # The rule after the right: desk staff are refused as before, a code in use or not.
    with pytest.raises(Forbidden):
        await usecases.add_term(world.uow(), CLOCK, DESK, _entry("kind", "digital", fi="D"))


async def test_changing_words_refuses_a_code_the_scheme_has_not(world: World) -> None:
    for scheme, code in (("kind", "no_such_code"), ("topic", "digital")):
        with pytest.raises(NotFound):
            await usecases.set_term_words(world.uow(), CLOCK, COMMS,
                                          _entry(scheme, code, fi="Uusi"))
        assert (scheme, code) not in world.store.labels
    assert world.told == []

    await usecases.set_term_words(world.uow(), CLOCK, COMMS,
                                  _entry("kind", "digital", fi="Digi", sv="Digi"))
    assert world.store.labels[("kind", "digital")] == {"fi": "Digi", "sv": "Digi"}
    assert [(t.code, t.revision) for t in world.told] == [("digital", 2)]


async def test_put_vocabulary_stays_an_upsert(world: World) -> None:
    await usecases.extend_vocabulary(world.uow(), CLOCK, COMMS,
                                     _entry("kind", "digital", fi="Digitaalinen"))
    assert world.store.labels[("kind", "digital")] == {"fi": "Digitaalinen"}
    await usecases.extend_vocabulary(world.uow(), CLOCK, COMMS,
                                     _entry("kind", "chess", fi="Shakki"))
    assert world.store.labels[("kind", "chess")] == {"fi": "Shakki"}
