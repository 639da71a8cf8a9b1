"""The follow page's words for the vocabulary's codes are the events service's, as it tells
them on the bus (`vocabulary.term_set`): kept per term, a newer revision replacing an older
one and never the other way round, so a code staff add later reads by its words in the
reader's language. Before, the words were a hand-made copy of the events service's seed, and
a code added later read as its code made words, the same in every language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg

from services.notifications import handlers, usecases
from services.notifications.app import spec
from services.notifications.store import NotificationStore
from services.notifications.tests.fakes import FakeNotificationStore
from shared.areas import AREAS
from shared.contracts import (
    EVENTS_TOPIC,
    ActivityEventPublished,
    LocalizedText,
    VocabularyTermSet,
)
from shared.l10n import term_words
from shared.uow import FakeUnitOfWork
from tests.apps import handle
from tests.infra import Infra, eventually, produce


def term(code: str, revision: int, scheme: Any = "topic", **label: str) -> VocabularyTermSet:
    return VocabularyTermSet(scheme=scheme, code=code, label=LocalizedText(**label),
                             revision=revision)


def activity(**extra: Any) -> ActivityEventPublished:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Pelikerho"), starts_at=starts,
        ends_at=starts + timedelta(hours=2), kind="open_guided", area="kuopio.jynkka",
        **extra)


async def kept(pool: asyncpg.Pool, code: str) -> tuple[Any, ...] | None:
    row = await pool.fetchrow(
        "SELECT label, revision FROM vocabulary_terms WHERE scheme = 'topic' AND code = $1",
        code)
    return (row["label"], row["revision"]) if row else None


def choices(page: str) -> dict[str, str]:
    """The follow page's checkboxes: value → the words the resident reads beside it."""
    return dict(re.findall(
        r'<input type="checkbox" name="\w+" value="([^"]+)"[^>]*> ([^<]+)</label>', page))


async def test_a_told_term_is_kept_and_an_older_revision_never_replaces_a_newer(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    await handle(pool, handlers.on_vocabulary_term, term("board_games", 1, fi="Lautapelit"))
    assert await kept(pool, "board_games") == ({"fi": "Lautapelit"}, 1)

    newest = term("board_games", 3, fi="Lautapelit", sv="Brädspel", en="Board games")
    await handle(pool, handlers.on_vocabulary_term, newest)
    # Revision 2 comes late (a replay, another partition's copy): the newer words stay.
    await handle(pool, handlers.on_vocabulary_term,
                 term("board_games", 2, fi="Lautapelit", sv="Sällskapsspel"))
    await handle(pool, handlers.on_vocabulary_term,
                 term("board_games", 3, fi="Toinen kopio"))  # the same revision again
    assert await kept(pool, "board_games") == (
        {"fi": "Lautapelit", "sv": "Brädspel", "en": "Board games"}, 3)
    # One term's revisions say nothing of another's, nor of another scheme's same code.
    await handle(pool, handlers.on_vocabulary_term, term("chess", 1, fi="Shakki"))
    await handle(pool, handlers.on_vocabulary_term,
                 term("board_games", 1, scheme="kind", fi="Pelitapahtuma"))
    assert await kept(pool, "chess") == ({"fi": "Shakki"}, 1)
    assert await pool.fetchval("SELECT count(*) FROM vocabulary_terms") == 3


async def test_the_follow_page_names_a_new_topic_by_the_words_told_on_the_bus(
        start_service: Any, infra: Infra, topic_prefix: str) -> None:
    client = await start_service(spec)
    await handle(client.runtime.pool, handlers.on_activity_event,
                 activity(topics=["board_games"], audiences=["families"]))
    # Nothing told yet: the code reads as words, never as `board_games`.
    assert choices((await client.get("/follow?lang=sv")).text)["board_games"] == "Board games"

    await produce(infra.kafka_bootstrap, topic_prefix + EVENTS_TOPIC, [
        term("board_games", 1, fi="Lautapelit", sv="Brädspel", en="Board games"),
        term("families", 1, scheme="audience", fi="Lapsiperheet")])

    async def named() -> dict[str, str] | None:
        # Two terms, two keys: each on its own partition, handled in either order.
        found = choices((await client.get("/follow?lang=sv")).text)
        told = found["board_games"] != "Board games" and found["families"] != "Families"
        return found if told else None

    sv = await eventually(named)
    assert sv["board_games"] == "Brädspel"
    assert sv["families"] == "Lapsiperheet"  # no Swedish told: the Finnish words
    fi = choices((await client.get("/follow?lang=fi")).text)
    assert fi["board_games"] == "Lautapelit"


async def test_following_options_take_the_told_words_per_scheme_and_language() -> None:
    store = FakeNotificationStore()
    uow: FakeUnitOfWork[NotificationStore] = FakeUnitOfWork(store)
    await usecases.keep_vocabulary_term(uow, term("crafts", 2, fi="Käsityöt", sv="Hantverk"))
    await usecases.keep_vocabulary_term(uow, term("crafts", 1, fi="Askartelu"))  # stale
    await usecases.keep_vocabulary_term(
        uow, term("crafts", 1, scheme="kind", fi="Käsityöpaja", en="Craft workshop"))
    store.events[uuid4()] = {"status": "published", "area": "kuopio.keskusta",
                             "facts": {"kind": "crafts", "topics": ["crafts", "chess"],
                                       "audiences": []}}
    # A term told but on no activity yet is offered too: one follows what is not on yet.
    await usecases.keep_vocabulary_term(uow, term("music", 1, fi="Musiikki", sv="Musik"))
    options = await usecases.following_options(uow, "sv")
    assert options["topics"] == [("chess", "Chess"), ("crafts", "Hantverk"), ("music", "Musik")]
    assert options["kinds"] == [("crafts", "Käsityöpaja")]
    # Every area of the city, with or without activity now, by its name in the language.
    assert ("kuopio.keskusta", "Centrum") in options["areas"]
    assert {code for code, _ in options["areas"]} == set(AREAS)
    assert (await usecases.following_options(uow, "en"))["kinds"] == [
        ("crafts", "Craft workshop")]


def test_a_code_with_no_words_reads_as_words() -> None:
    assert term_words(None, "digital_help", "fi") == "Digital help"
    assert term_words({"fi": "Digiapu"}, "digital_help", "en") == "Digiapu"
    assert term_words({"fi": "Digiapu", "en": "Digital help"}, "x", "en") == \
        "Digital help"
