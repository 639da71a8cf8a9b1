"""An area's boards each have a Finnish name of their own: a tester's POST /boards twice with
the same area and name made two boards (201 both times), and the notice form on /staff listed
identical checkboxes ("Juankosken kirjasto (area board, Juankoski)" 15 times). Now a second is
refused, 409 `board_name_taken` naming `name.fi` and the board that has it (fi/sv/en), also
when two are sent at once (migration 030's index); boards made twice before are kept under
their ids, the later ones renamed with a number; and boards that still read alike on /staff
(two venues of one name) show the start of their ids."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from services.notifications import domain, usecases
from services.notifications.app import spec
from services.notifications.staff import LABELS, board_choices, refusal_text
from services.notifications.tests.test_board_notices import COMMS, World
from shared.contracts import LocalizedText
from shared.errors import Conflict
from tests.infra import Infra, bearer, database_before

STAFF = bearer("communications")
AREA = "kuopio.vehmersalmi"
NAME = {"fi": "S40 Vehmersalmen taulu", "sv": "S40 Vehmersalmi tavla",
        "en": "S40 Vehmersalmi board"}
ONE_NAME = 30
SAID = {"fi": "Nimi: alueella on jo ilmoitustaulu nimeltä ”S40 Vehmersalmen taulu”; anna "
              "uudelle taululle toinen nimi.",
        "sv": "Namn: området har redan en anslagstavla som heter ”S40 Vehmersalmen taulu”; "
              "ge den nya tavlan ett annat namn.",
        "en": "Name: the area has a notice board called “S40 Vehmersalmen taulu” already; "
              "give the new board another name."}


@pytest.mark.unit
def test_names_are_compared_case_and_spaces_aside() -> None:
    key = domain.board_name_key("S40 Vehmersalmen taulu")
    for alike in ("s40 vehmersalmen TAULU", "  S40  Vehmersalmen\u00a0taulu\t",
                  "S40\u202fVehmersalmen taulu"):
        assert domain.board_name_key(alike) == key, alike
    for other in ("S40 Vehmersalmen taulu 2", "S40 Vehmersalmentaulu", "S40 Vehmersalmi"):
        assert domain.board_name_key(other) != key, other


async def _area_board(world: World, area: str, name: dict[str, str]) -> UUID:
    row = await usecases.create_area_board(world.uow, world.clock, COMMS,
                                           usecases.AreaBoardCommand(
                                               area=area, name=LocalizedText(**name)))
    return UUID(str(row["id"]))


@pytest.mark.unit
async def test_a_second_board_of_the_name_in_the_area_is_refused() -> None:
    world = World()
    first = await _area_board(world, AREA, NAME)
    for again in (NAME, {"fi": "  s40 VEHMERSALMEN  taulu "}):
        with pytest.raises(Conflict) as refused:
            await _area_board(world, AREA, again)
        assert refused.value.details == {"field": "name.fi", "code": "board_name_taken",
                                         "board_id": str(first),
                                         "name": "S40 Vehmersalmen taulu"}
    # Another area, another name: boards of their own.
    await _area_board(world, "kuopio.keskusta", NAME)
    await _area_board(world, AREA, {"fi": "S40 Vehmersalmen toinen taulu"})
    assert len(world.store.boards) == 3


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_refusal_names_the_name_and_the_board_that_has_it(lang: str) -> None:
    refusal = domain.board_name_taken({"id": uuid4(), "name": NAME})
    assert refusal_text(refusal, lang) == SAID[lang]
    assert LABELS[lang]["refusals"]["board_name_taken"]


@pytest.mark.unit
@pytest.mark.parametrize(("lang", "word"), [("fi", "tunnus"), ("sv", "id"), ("en", "id")])
def test_boards_that_read_alike_show_the_start_of_their_ids(lang: str, word: str) -> None:
    one, two, other = uuid4(), uuid4(), uuid4()
    library = {"fi": "Juankosken kirjasto"}
    boards = [{"id": one, "venue_id": uuid4(), "area": "kuopio.juankoski", "name": library},
              {"id": two, "venue_id": uuid4(), "area": "kuopio.juankoski", "name": library},
              {"id": other, "venue_id": None, "area": "kuopio.juankoski", "name": library}]
    names = board_choices(boards, lang)
    assert names[one] == f"Juankosken kirjasto (Juankoski) – {word} {str(one)[:8]}"
    assert names[two] == f"Juankosken kirjasto (Juankoski) – {word} {str(two)[:8]}"
    # The area's board is said to be one: it reads apart already.
    assert "–" not in names[other] and names[other].startswith("Juankosken kirjasto (")


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_post_boards_twice_is_201_then_409_naming_the_name(start_service: Any,
                                                                lang: str) -> None:
    client = await start_service(spec)
    made = await client.post("/boards", json={"area": AREA, "name": NAME}, headers=STAFF)
    assert made.status_code == 201, made.text
    again = await client.post("/boards", params={"lang": lang}, headers=STAFF,
                              json={"area": AREA, "name": {"fi": "s40  vehmersalmen taulu"}})
    assert again.status_code == 409, again.text
    body = again.json()
    assert (body["code"], body["field"], body["board_id"]) == (
        "board_name_taken", "name.fi", made.json()["id"])
    assert body["message"] == SAID[lang]
    other_area = await client.post("/boards", headers=STAFF,
                                   json={"area": "kuopio.keskusta", "name": NAME})
    assert other_area.status_code == 201, other_area.text
    listed = (await client.get("/boards", params={"area": AREA})).json()
    assert [b["id"] for b in listed if b["venue_id"] is None] == [made.json()["id"]]


@pytest.mark.infra
async def test_boards_sent_at_once_are_one(start_service: Any) -> None:
    client = await start_service(spec)
    answers = await asyncio.gather(*(
        client.post("/boards", json={"area": AREA, "name": NAME}, headers=STAFF)
        for _ in range(6)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409, 409, 409]
    assert await client.runtime.pool.fetchval(
        "SELECT count(*) FROM notice_boards WHERE area = $1", AREA) == 1


async def _board(conn: asyncpg.Connection, name: dict[str, str], minutes: int,
                 area: str = AREA, venue_id: UUID | None = None) -> UUID:
    board_id = uuid4()
    await conn.execute(
        """INSERT INTO notice_boards (id, venue_id, area, name, created_at)
           VALUES ($1, $2, $3, $4, $5)""",
        board_id, venue_id, area, name,
        datetime(2026, 12, 6, 12, tzinfo=UTC) + timedelta(minutes=minutes))
    return board_id


@pytest.mark.infra
async def test_boards_made_twice_before_keep_their_ids_the_later_renamed(infra: Infra) -> None:
    async with database_before(infra, "notifications", ONE_NAME) as (conn, migration):
        await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads,
                                  schema="pg_catalog")
        first = await _board(conn, NAME, 0)
        second = await _board(conn, {"fi": "s40  vehmersalmen taulu ", "sv": "", "en": "x"}, 1)
        third = await _board(conn, NAME, 2)
        # A board that has the number a twin would take: the twin takes the next free one.
        numbered = await _board(conn, {"fi": "S40 Vehmersalmen taulu (3)"}, 3)
        elsewhere = await _board(conn, NAME, 4, area="kuopio.keskusta")
        venues = [await _board(conn, NAME, 5 + i, venue_id=uuid4()) for i in range(2)]
        notice = uuid4()
        await conn.execute(
            """INSERT INTO board_notices (id, text, shown_from, shown_until, created_by)
               VALUES ($1, '{"fi": "Suljettu"}', now(), now() + interval '1 day', 'x')""",
            notice)
        await conn.execute("INSERT INTO board_notice_boards (notice_id, board_id) "
                           "VALUES ($1, $2)", notice, third)
        await conn.execute(migration)
        names = {r["id"]: r["name"] for r in await conn.fetch(
            "SELECT id, name FROM notice_boards")}
        assert names[first] == NAME
        assert names[second] == {"fi": "s40  vehmersalmen taulu (2)", "sv": "",
                                 "en": "x (2)"}
        assert names[third] == {key: f"{text} (4)" for key, text in NAME.items()}
        assert names[numbered] == {"fi": "S40 Vehmersalmen taulu (3)"}
        assert names[elsewhere] == NAME
        assert [names[v] for v in venues] == [NAME, NAME]
        # Still on the board it was put on, by the board's id.
        assert await conn.fetchval("SELECT board_id FROM board_notice_boards "
                                   "WHERE notice_id = $1", notice) == third
        with pytest.raises(asyncpg.UniqueViolationError):
            await _board(conn, {"fi": "S40 VEHMERSALMEN TAULU"}, 9)


@pytest.mark.infra
async def test_the_staff_page_tells_look_alike_boards_apart(start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    ids = []
    for _ in range(2):
        venue_id = uuid4()
        ids.append(domain.board_id_for_venue(venue_id))
        await pool.execute(
            """INSERT INTO notice_boards (id, venue_id, area, name, venue_revision)
               VALUES ($1, $2, 'kuopio.juankoski', $3, 1)""",
            ids[-1], venue_id, {"fi": "Juankosken kirjasto"})
    page = await client.get("/staff", params={"lang": "fi"}, headers=STAFF)
    assert page.status_code == 200
    labels = re.findall(r'name="board" value="([^"]+)"[^>]*> ([^<]+)</label>', page.text)
    assert sorted(labels) == sorted(
        (str(b), f"Juankosken kirjasto (Juankoski) – tunnus {str(b)[:8]}") for b in ids)
