"""Staff's own notices on notice boards (issue #15): the use cases against the in-memory
store and a fixed clock, and what a board's feed.json and screen make of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.notifications import domain, feeds, usecases
from services.notifications.store import NotificationStore
from services.notifications.tests.fakes import NOW, FakeNotificationStore
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, LocalizedText, VenueRegistered
from shared.errors import Forbidden, Invalid, NotFound
from shared.identity import Principal
from shared.uow import FakeUnitOfWork

COMMS = Principal(subject="viestinta", roles=frozenset({"communications"}))
ORGANISER = Principal(subject="org", roles=frozenset({"organiser"}))
CLOSED = "Neulamäen kirjasto on suljettu torstaina vesivahingon vuoksi."
STÄNGT = "Neulamäen kirjasto är stängt på torsdag på grund av en vattenskada."
#: NOW is 12.00 in Helsinki: the day ends at 22.00 UTC.
END_OF_DAY = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        self.store = FakeNotificationStore(self.clock)
        self.uow: FakeUnitOfWork[NotificationStore] = FakeUnitOfWork(self.store)

    async def board(self, name: str, languages: tuple[str, ...] = ("fi", "sv", "en")) -> UUID:
        row = await usecases.create_area_board(self.uow, self.clock, COMMS,
                                               usecases.AreaBoardCommand(
                                                   area="kuopio.neulamaki",
                                                   name=LocalizedText(fi=name),
                                                   languages=languages))
        return UUID(str(row["id"]))

    async def send(self, notice_id: UUID, *boards: UUID, principal: Principal = COMMS,
                   **fields: Any) -> usecases.NoticeSent:
        texts = fields.pop("texts", {"fi": CLOSED})
        return await usecases.send_notice(self.uow, self.clock, principal, notice_id,
                                          usecases.NoticeCommand(texts, board_ids=boards,
                                                                 **fields))

    async def shown(self, board_id: UUID) -> list[dict[str, Any]]:
        return (await usecases.board_with_items(self.uow, self.clock, board_id, False)).notices


@pytest.fixture
def world() -> World:
    return World()


async def test_a_notice_is_on_the_chosen_boards_until_the_end_of_the_day(world: World) -> None:
    neulamaki, jynkka, other = (await world.board("Neulamäen kirjasto"),
                                await world.board("Jynkän kirjasto"),
                                await world.board("Kauppakeskus Matkus"))
    notice = uuid4()
    sent = await world.send(notice, neulamaki, jynkka, neulamaki,
                            texts={"fi": f"  {CLOSED}\r\n", "sv": STÄNGT, "en": ""})
    assert sent.posts == [] and sent.boards == [neulamaki, jynkka]
    [shown] = await world.shown(neulamaki)
    assert (shown["id"], shown["text"], shown["shown_from"], shown["shown_until"]) == (
        notice, {"fi": CLOSED, "sv": STÄNGT}, NOW, END_OF_DAY)
    assert [n["id"] for n in await world.shown(jynkka)] == [notice]
    assert await world.shown(other) == []
    # Each board it is on is a delivery there, published at once like every board item.
    on_boards = [d for d in world.store.deliveries.values() if d["purpose"] == "notice"]
    assert sorted((d["channel"], d["target"], d["status"]) for d in on_boards) == sorted(
        ("notice_board", str(b), "published") for b in (neulamaki, jynkka))
    # The same form again changes nothing.
    assert await world.send(notice, neulamaki) == usecases.NoticeSent([], [])
    assert len(world.store.notice_boards) == 2
    # The window closes at midnight in Helsinki.
    world.clock.advance(END_OF_DAY - NOW - timedelta(seconds=1))
    assert len(await world.shown(neulamaki)) == 1
    world.clock.advance(timedelta(seconds=1))
    assert await world.shown(neulamaki) == []
    assert await usecases.board_notices_now(world.uow, world.clock, COMMS) == []


async def test_a_notice_waits_for_its_window_and_staff_can_take_it_off(world: World) -> None:
    board = await world.board("Neulamäen kirjasto")
    notice, opens = uuid4(), NOW + timedelta(days=1)
    await world.send(notice, board, shown_from=opens, shown_until=opens + timedelta(hours=3))
    assert await world.shown(board) == []
    [current] = await usecases.board_notices_now(world.uow, world.clock, COMMS)
    assert (current["id"], [b["id"] for b in current["boards"]]) == (notice, [board])
    world.clock.advance(timedelta(days=1))
    assert [n["id"] for n in await world.shown(board)] == [notice]
    with pytest.raises(Forbidden):
        await usecases.withdraw_board_notice(world.uow, world.clock, ORGANISER, notice)
    assert await usecases.withdraw_board_notice(world.uow, world.clock, COMMS, notice) == 1
    assert await world.shown(board) == []
    [delivery] = [d for d in world.store.deliveries.values() if d["purpose"] == "notice"]
    assert (delivery["status"], delivery["decided_by"]) == ("cancelled", "viestinta")
    with pytest.raises(NotFound) as again:
        await usecases.withdraw_board_notice(world.uow, world.clock, COMMS, notice)
    assert again.value.details["code"] == "notice_gone"
    assert await usecases.board_notices_now(world.uow, world.clock, COMMS) == []


REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"texts": {"fi": "  ", "sv": STÄNGT}}, "notice_finnish"),
    ({"texts": {"fi": " \u200b\u200b ", "sv": STÄNGT}}, "notice_finnish"),  # nothing to read
    ({"texts": {"fi": CLOSED, "sv": "å" * 501}}, "notice_long"),
    ({"shown_from": NOW + timedelta(hours=2), "shown_until": NOW + timedelta(hours=1)},
     "window_order"),
    ({"shown_from": NOW - timedelta(days=2), "shown_until": NOW - timedelta(hours=1)},
     "window_past"),
    ({"shown_until": NOW + timedelta(days=93)}, "window_long"),
    ({"shown_from": NOW + timedelta(days=400)}, "window_long"),
]


@pytest.mark.parametrize(("fields", "code"), REFUSED)
async def test_a_notice_that_breaks_a_rule_is_refused_and_nothing_is_stored(
        world: World, fields: dict[str, Any], code: str) -> None:
    board = await world.board("Neulamäen kirjasto")
    with pytest.raises(Invalid) as refused:
        await world.send(uuid4(), board, **fields)
    assert refused.value.details["code"] == code
    assert world.store.notices == {} and world.store.deliveries == {}


async def test_an_unknown_board_refuses_the_whole_notice_posts_too(world: World) -> None:
    board = await world.board("Neulamäen kirjasto")
    saved = await usecases.save_channel_account(
        world.uow, world.clock, Principal(subject="admin", roles=frozenset({"admin"})), None,
        usecases.ChannelAccountCommand(platform="mastodon", name="Kirjasto",
                                       base_url="https://social.example", account_ref="",
                                       secret_ref="env:KOHTAAMO_CHANNEL_MASTODON"),
        domain.ChannelSettings(Path("/etc/kohtaamo/channels"), {}))
    missing = uuid4()
    with pytest.raises(Invalid) as refused:
        await usecases.send_notice(world.uow, world.clock, COMMS, uuid4(), usecases.NoticeCommand(
            {"fi": CLOSED}, account_ids=(saved.account["id"],), board_ids=(board, missing)))
    assert refused.value.details == {"code": "no_board", "board_ids": [str(missing)]}
    assert world.store.notices == {} and world.store.deliveries == {}
    with pytest.raises(Forbidden):
        await world.send(uuid4(), board, principal=ORGANISER)
    # A post and a board from one form: the post carries the account's languages (Finnish).
    both = await usecases.send_notice(world.uow, world.clock, COMMS, uuid4(),
                                      usecases.NoticeCommand({"fi": CLOSED, "sv": STÄNGT},
                                                             account_ids=(saved.account["id"],),
                                                             board_ids=(board,)))
    assert len(both.posts) == 1 and both.boards == [board]
    assert world.store.deliveries[both.posts[0]]["content"]["text"] == CLOSED


def notice_row(texts: dict[str, str]) -> dict[str, Any]:
    return {"id": uuid4(), "text": texts, "shown_from": NOW, "shown_until": END_OF_DAY,
            "created_at": NOW, "updated_at": NOW}


def item() -> dict[str, Any]:
    starts = NOW + timedelta(days=2)
    return {"activity_event_id": uuid4(), "revision": 1, "status": "published",
            "name": {"fi": "Satutunti"}, "starts_at": starts,
            "ends_at": starts + timedelta(hours=1), "kind": "open_guided", "free": True,
            "created_at": NOW, "updated_at": NOW}


def test_feed_json_lists_a_notice_first_in_the_language_asked_or_finnish() -> None:
    board = {"name": {"fi": "Neulamäen kirjasto"}, "languages": ["fi", "sv"]}
    notice = notice_row({"fi": CLOSED, "sv": STÄNGT})
    without = domain.json_feed(board, [item()], "sv", "u")
    sv = domain.json_feed(board, [item()], "sv", "u", [notice])
    assert [i["title"] for i in sv["items"]] == ["MEDDELANDE", "Satutunti"]
    first = sv["items"][0]
    assert (first["id"], first["content_text"], first["language"]) == (
        f"notice:{notice['id']}", STÄNGT, "sv")
    assert first["_kohtaamo"] == {"type": "notice", "shown_from": NOW.isoformat(),
                                  "shown_until": END_OF_DAY.isoformat()}
    en = domain.json_feed(board, [], "en", "u", [notice])["items"][0]
    assert (en["title"], en["content_text"], en["language"]) == ("NOTICE", CLOSED, "fi")
    # What a player gets changes with the notice, and so does the ETag it revalidates with.
    assert feeds.board_etag(feeds.json_feed_body(sv)) != feeds.board_etag(
        feeds.json_feed_body(without))


def test_the_screen_shows_a_notice_first_in_the_boards_languages() -> None:
    notice = notice_row({"fi": CLOSED, "sv": STÄNGT, "en": "Closed on Thursday."})

    def slides(languages: list[str], lang: str) -> list[feeds.Slide]:
        return feeds.screen({"name": {"fi": "Neulamäen kirjasto"}, "languages": languages},
                            [item()], lang, now=NOW, seconds=10, refresh=60, feed_url="f",
                            feed_etag="e", notices=[notice])["slides"]

    first, activity = slides(["fi", "sv"], "fi")
    assert (first["status"], first["banner"], first["texts"]) == (
        "notice", "TIEDOTE", [("fi", CLOSED), ("sv", STÄNGT)])
    assert activity["name"] == "Satutunti" and activity["texts"] == []
    assert slides(["sv", "fi"], "sv")[0]["texts"] == [("sv", STÄNGT), ("fi", CLOSED)]
    finnish_only = notice_row({"fi": CLOSED})
    assert feeds.notice_slide({"languages": ["sv"]}, finnish_only, "sv")["texts"] == [
        ("fi", CLOSED)]


async def test_the_preview_shows_the_activity_as_its_venue_board_slide(world: World) -> None:
    venue = uuid4()
    await usecases.register_venue(world.uow, world.clock, VenueRegistered(
        venue_id=venue, revision=1, name=LocalizedText(fi="Neulamäen kirjasto"),
        kind="library", area="kuopio.neulamaki", municipality="Kuopio"))
    starts = NOW + timedelta(days=2)
    event = ActivityEventPublished(event_id=uuid4(), revision=1,
                                   name=LocalizedText(fi="Satutunti", sv="Sagostund"),
                                   starts_at=starts, ends_at=starts + timedelta(hours=1),
                                   kind="open_guided", area="kuopio.neulamaki", venue_id=venue,
                                   free=True)
    await usecases.plan_activity_event(world.uow, world.clock, event, "https://e.example")
    with pytest.raises(Forbidden):
        await usecases.preview_board_item(world.uow, ORGANISER, event.event_id)
    board, shown = await usecases.preview_board_item(world.uow, COMMS, event.event_id)
    # The same item planning put on the board: the preview is what the screen shows.
    [on_board] = (await usecases.board_with_items(world.uow, world.clock, board["id"],
                                                  False)).items
    assert {k: shown[k] for k in shown} == {k: on_board[k] for k in shown}
    [slide] = feeds.screen(board, [shown], "sv", now=NOW, seconds=10, refresh=60,
                           feed_url="", feed_etag="")["slides"]
    assert (slide["name"], slide["place"]) == ("Sagostund", "Neulamäen kirjasto")
    with pytest.raises(NotFound):
        await usecases.preview_board_item(world.uow, COMMS, uuid4())


async def test_a_notice_can_be_taken_off_one_board_and_stay_on_the_others(
        world: World) -> None:
    neulamaki, jynkka = await world.board("Neulamäen kirjasto"), await world.board("Jynkkä")
    notice = uuid4()
    await world.send(notice, neulamaki, jynkka)
    assert await usecases.withdraw_board_notice(world.uow, world.clock, COMMS, notice,
                                                jynkka) == 1
    assert await world.shown(jynkka) == []
    assert [n["id"] for n in await world.shown(neulamaki)] == [notice]
    [current] = await usecases.board_notices_now(world.uow, world.clock, COMMS)
    assert [b["id"] for b in current["boards"]] == [neulamaki]
    statuses = {d["target"]: d["status"] for d in world.store.deliveries.values()}
    assert statuses == {str(neulamaki): "published", str(jynkka): "cancelled"}
    with pytest.raises(NotFound) as left:  # not on that board any more, still on another
        await usecases.withdraw_board_notice(world.uow, world.clock, COMMS, notice, jynkka)
    assert left.value.details["code"] == "notice_gone_board"
    # A board there is not: refused as the board, the notice left where it is.
    with pytest.raises(Invalid) as unknown:
        await usecases.withdraw_board_notice(world.uow, world.clock, COMMS, notice, uuid4())
    assert (unknown.value.field, unknown.value.details["code"]) == ("board", "no_board")
    assert [n["id"] for n in await world.shown(neulamaki)] == [notice]
