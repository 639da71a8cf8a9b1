"""A term the events service told retired (`vocabulary.term_set` with `retired`) leaves the
follow page's choices, while a follower who chose it keeps it, shown by its words, and a
term restored comes back. Before, junk terms left by test traffic ("0", "00") showed on the
follow page with no way to remove them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from services.notifications import handlers, usecases
from services.notifications.app import spec
from services.notifications.store import NotificationStore
from services.notifications.tests.fakes import FakeNotificationStore
from services.notifications.tests.test_vocabulary import activity, choices, handle
from shared.clock import FixedClock
from shared.contracts import LocalizedText, VocabularyTermSet
from shared.uow import FakeUnitOfWork, PgUnitOfWork


def term(code: str, revision: int, retired: bool = False, **label: str) -> VocabularyTermSet:
    return VocabularyTermSet(scheme="topic", code=code, label=LocalizedText(**label),
                             revision=revision, retired=retired)


def checked(page: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="topics" value="([^"]+)" checked',
                          page))


async def test_following_options_leave_out_a_retired_term_unless_chosen() -> None:
    store = FakeNotificationStore()
    uow: FakeUnitOfWork[NotificationStore] = FakeUnitOfWork(store)
    store.events[uuid4()] = {
        "status": "published", "area": "kuopio.keskusta",
        "facts": {"kind": "other", "topics": ["00", "crafts"], "audiences": []}}
    await usecases.keep_vocabulary_term(uow, term("00", 1, fi="Nollanolla"))
    await usecases.keep_vocabulary_term(uow, term("crafts", 1, fi="Käsityöt"))
    assert [c for c, _ in (await usecases.following_options(uow, "fi"))["topics"]] == [
        "crafts", "00"]

    await usecases.keep_vocabulary_term(uow, term("00", 2, retired=True, fi="Nollanolla"))
    assert (await usecases.following_options(uow, "fi"))["topics"] == [("crafts", "Käsityöt")]
    # A follower's saved choice keeps it, by its words; a code no one told or saw does not.
    mine = await usecases.following_options(uow, "fi", {"topics": ["00", "made_up"]})
    assert mine["topics"] == [("crafts", "Käsityöt"), ("00", "Nollanolla")]
    # A late copy of an older revision does not bring it back; restoring does.
    await usecases.keep_vocabulary_term(uow, term("00", 1, fi="Nollanolla"))
    assert [c for c, _ in (await usecases.following_options(uow, "fi"))["topics"]] == [
        "crafts"]
    await usecases.keep_vocabulary_term(uow, term("00", 3, fi="Nollanolla"))
    assert [c for c, _ in (await usecases.following_options(uow, "fi"))["topics"]] == [
        "crafts", "00"]


async def test_the_follow_page_hides_a_retired_term_but_a_follower_keeps_theirs(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    await handle(pool, handlers.on_activity_event, activity(topics=["00", "crafts"]))
    await handle(pool, handlers.on_vocabulary_term, term("00", 1, fi="Nollanolla"))
    await handle(pool, handlers.on_vocabulary_term, term("crafts", 1, fi="Käsityöt"))
    follower = await usecases.subscribe(
        PgUnitOfWork(pool, NotificationStore), FixedClock(datetime.now(UTC)),
        handlers.reach_links(), usecases.Following(email="nolla@example.fi", topics=("00",)))
    token = usecases.subscriber_links(handlers.reach_links(), follower["id"], "fi")["token"]
    assert "00" in choices((await client.get("/follow?lang=fi")).text)

    await handle(pool, handlers.on_vocabulary_term,
                 term("00", 2, retired=True, fi="Nollanolla"))
    offered = choices((await client.get("/follow?lang=fi")).text)
    assert "00" not in offered and offered["crafts"] == "Käsityöt"
    prefs = (await client.get(f"/follow/{token}?lang=fi")).text
    assert choices(prefs)["00"] == "Nollanolla" and checked(prefs) == {"00"}
    linked = (await client.get("/follow?lang=fi&topic=00")).text  # an old link's choice
    assert choices(linked)["00"] == "Nollanolla" and checked(linked) == {"00"}

    await handle(pool, handlers.on_vocabulary_term, term("00", 3, fi="Nollanolla"))
    assert choices((await client.get("/follow?lang=fi")).text)["00"] == "Nollanolla"
