"""Areas are Kuopio's own (shared.areas.AREAS), not any code of that shape: staff cannot make
a board of an area that does not exist (nor limit a channel to one), a resident cannot
follow one, and the follow page offers only the city's areas, even where an older database
kept a board of an odd one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.app import spec
from shared.areas import AREAS
from shared.contracts import ActivityEventPublished, LocalizedText, VenueRegistered
from tests.apps import handle
from tests.infra import bearer

pytestmark = pytest.mark.infra

STAFF = bearer("communications")
ADMIN = bearer("admin")
#: Codes of an area's shape that name no area of Kuopio (what the tester's boards had).
JUNK = ["0", "000000000000", "bkspyga", "kuopio.petonen", "kuopio.", "kuopio.nilsia.x"]


def areas_offered(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="areas" value="([^"]+)"', page)


async def test_a_board_of_an_area_the_city_does_not_have_is_refused_naming_area(
        start_service) -> None:
    client = await start_service(spec)
    for area in JUNK:
        response = await client.post("/boards", headers=STAFF, json={
            "area": area, "name": {"fi": "Tori"}})
        assert response.status_code == 422, (area, response.status_code, response.text)
        locs = [e["loc"] for e in response.json()["detail"]]
        assert ["body", "area"] in locs, (area, locs)
        # Said as every service says it: the code and the areas there are.
        said = response.json()
        assert (said["code"], said["value"], said["known"]) == ("unknown_area", area,
                                                                sorted(AREAS))
    assert (await client.get("/boards")).json() == []
    made = await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.pyoro", "name": {"fi": "Pyörön tori"}})
    assert made.status_code == 201, made.text


async def test_a_channel_limited_to_an_area_the_city_does_not_have_is_refused(
        start_service) -> None:
    client = await start_service(spec)
    body = {"platform": "mastodon", "name": "Kirjasto", "base_url": "https://m.example",
            "secret_ref": "env:KOHTAAMO_CHANNEL_KIRJASTO", "areas": ["kuopio.nilsia", "0"]}
    response = await client.post("/channels", headers=ADMIN, json=body)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "areas", 1]]
    assert (response.json()["code"], response.json()["value"]) == ("unknown_area", "0")
    assert (await client.get("/channels", headers=ADMIN)).json() == []


async def test_the_follow_page_offers_every_area_of_the_city_and_no_other(start_service
                                                                          ) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    # Rows an older version let in: boards of odd areas, an activity of an unknown area.
    for area in JUNK:
        await pool.execute(
            """INSERT INTO notice_boards (id, venue_id, area, name, languages, venue_revision)
               VALUES ($1, NULL, $2, '{"fi": "Roska"}', '{fi}', 0)""", uuid4(), area)
    await pool.execute(
        """INSERT INTO notice_boards (id, venue_id, area, name, languages, venue_revision)
           VALUES ($1, NULL, 'kuopio.jynkka', '{"fi": "Jynkän tori"}', '{fi}', 0)""", uuid4())
    start = datetime.now(UTC) + timedelta(days=2)
    async with pool.acquire() as conn, conn.transaction():
        for area in ("kuopio.maaninka", "bkspyga"):
            event = ActivityEventPublished(
                event_id=uuid4(), revision=1, name=LocalizedText(fi="Kuoro"), starts_at=start,
                ends_at=start + timedelta(hours=1), kind="open_guided", venue_id=None,
                area=area)
            await handlers.on_activity_event(conn, event, event.to_envelope())
    for lang in ("fi", "sv", "en"):
        page = await client.get(f"/follow?lang={lang}")
        assert page.status_code == 200
        offered = areas_offered(page.text)
        # Each of the city's areas, with activity now or not (one follows what is not on
        # yet); none of the odd codes older rows have.
        assert sorted(offered) == sorted(AREAS), (lang, offered)
        assert all(area in AREAS for area in offered)
        assert "Roska" not in page.text and "Bkspyga" not in page.text


async def test_a_hand_made_follow_form_of_an_unknown_area_is_refused(start_service) -> None:
    client = await start_service(spec)
    for area, words in (("kuopio.petonen", "Valitse seurattavat listalta."),
                        ("0", "Valitse seurattavat listalta.")):
        refused = await client.post("/follow?lang=fi", data={
            "email": "outo@example.fi", "areas": area})
        assert refused.status_code == 422, (area, refused.status_code, refused.text)
        assert words in refused.text
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM subscriptions") == 0


async def test_a_board_or_channel_is_named_by_something_to_read(start_service) -> None:
    """A zero-width space for a name is a blank line on the staff page and in every list:
    `name_unreadable`, as venues, spaces and activities are refused; nothing stored."""
    client = await start_service(spec)
    board = await client.post("/boards", headers={**STAFF, "Accept-Language": "sv"}, json={
        "area": "kuopio.pyoro", "name": {"fi": "Tori", "en": "\u200b"}})
    said = board.json()
    assert (board.status_code, said["code"]) == (422, "name_unreadable"), board.text
    assert said["detail"][0]["loc"] == ["body", "name", "en"]
    assert said["message"].startswith("Namnet har inget att läsa")
    channel = await client.post("/channels", headers=ADMIN, json={
        "platform": "mastodon", "name": " \u200b ", "base_url": "https://m.example",
        "secret_ref": "env:KOHTAAMO_CHANNEL_KIRJASTO"})
    assert (channel.status_code, channel.json()["code"]) == (422, "name_unreadable")
    assert (await client.get("/boards")).json() == []
    assert (await client.get("/channels", headers=ADMIN)).json() == []


async def test_a_channel_limited_to_a_venue_no_one_told_is_refused_and_a_put_that_makes_one_is_201(
        start_service) -> None:
    """A tester's round: unknown `venue_ids` were kept (an account posting nothing, no one
    told why), and a PUT that made an account answered 200 as if it had replaced one."""
    client = await start_service(spec)
    venue_id, unknown = uuid4(), uuid4()
    async with client.runtime.pool.acquire() as conn, conn.transaction():
        told = VenueRegistered(venue_id=venue_id, name=LocalizedText(fi="Nilsiän kirjasto"),
                               kind="library", area="kuopio.nilsia", municipality="Kuopio")
        await handlers.on_venue(conn, told, told.to_envelope())
    account_id = uuid4()
    body = {"platform": "mastodon", "name": "Kirjasto", "base_url": "https://m.example",
            "secret_ref": "env:KOHTAAMO_CHANNEL_KIRJASTO",
            "venue_ids": [str(venue_id), str(unknown)]}
    for lang, words in (("fi", "Tällä tunnisteella ei tunneta paikkaa"),
                        ("sv", "Ingen plats med detta id är känd"),
                        ("en", "No venue of this id is known")):
        refused = await client.put(f"/channels/{account_id}", json=body,
                                   headers={**ADMIN, "Accept-Language": lang})
        said = refused.json()
        assert (refused.status_code, said["code"]) == (422, "unknown_venue"), refused.text
        assert [e["loc"] for e in said["detail"]] == [["body", "venue_ids", 1]]
        assert said["value"] == str(unknown) and said["message"].startswith(words), said
    assert (await client.get("/channels", headers=ADMIN)).json() == []
    # Each value once, as a board's kinds: a venue twice was stored twice.
    for field, twice in (("venue_ids", [str(venue_id)] * 2),
                         ("areas", ["kuopio.nilsia", "kuopio.nilsia"])):
        repeated = await client.put(f"/channels/{account_id}", json={**body, field: twice},
                                    headers={**ADMIN, "Accept-Language": "sv"})
        assert repeated.status_code == 422, repeated.text
        assert repeated.json()["message"] == (
            f"`{field}`: ange varje värde bara en gång."), repeated.json()
    body["venue_ids"] = [str(venue_id)]
    made = await client.put(f"/channels/{account_id}", json=body, headers=ADMIN)
    assert made.status_code == 201, made.text
    assert made.json()["venue_ids"] == [str(venue_id)]
    again = await client.put(f"/channels/{account_id}", json={**body, "name": "Kirjasto 2"},
                             headers=ADMIN)
    assert (again.status_code, again.json()["name"]) == (200, "Kirjasto 2"), again.text


async def test_the_preview_of_an_activity_never_heard_of_is_a_404_page(start_service) -> None:
    client = await start_service(spec)
    gone = await client.get(f"/staff/preview/{uuid4()}?lang=en", headers={
        **STAFF, "Accept": "text/html"})
    assert gone.status_code == 404, gone.text
    assert gone.headers["content-type"].startswith("text/html")
    assert 'href="/staff?lang=en"' in gone.text


async def test_a_follow_link_of_something_no_one_can_follow_says_so(start_service) -> None:
    client = await start_service(spec)
    for query, lang, words in (
            ("area=kuopio.petonen", "fi", "Linkin valintaa (kuopio.petonen) ei ole tarjolla"),
            ("kind=tehty_laji", "sv", "Länkens val (tehty_laji) finns inte bland"),
            (f"venue={uuid4()}", "en", "is not among the choices")):
        page = await client.get(f"/follow?lang={lang}&{query}")
        assert page.status_code == 200, page.text
        assert words in page.text, (query, page.text)
    # A link of what is offered says nothing of the kind, and chooses it.
    await client.runtime.pool.execute(
        """INSERT INTO notice_boards (id, venue_id, area, name, languages, venue_revision)
           VALUES ($1, NULL, 'kuopio.jynkka', '{"fi": "Jynkän tori"}', '{fi}', 0)""", uuid4())
    page = await client.get("/follow?lang=fi&area=kuopio.jynkka")
    assert page.status_code == 200 and "Linkin valintaa" not in page.text
    assert re.search(r'value="kuopio.jynkka"[^>]*checked', page.text), page.text


async def test_the_notice_form_tells_boards_of_one_name_apart(start_service) -> None:
    """A long-running demo listed "Juankosken kirjasto" fifteen times on the notice form:
    each board is named with its area, an area board said to be one, in the page's
    language (the notices on boards are named alike)."""
    client = await start_service(spec)
    pool = client.runtime.pool
    for area in ("kuopio.juankoski", "kuopio.keskusta"):
        await handle(pool, handlers.on_venue, VenueRegistered(
            venue_id=uuid4(), name=LocalizedText(fi="Juankosken kirjasto"), kind="library",
            area=area, municipality="Kuopio"))
    made = await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.juankoski", "name": {"fi": "Juankosken kirjasto"}})
    assert made.status_code == 201, made.text
    said = {}
    for lang in ("fi", "sv", "en"):
        page = await client.get(f"/staff?lang={lang}", headers={**STAFF, "Accept": "text/html"})
        assert page.status_code == 200, page.text
        form = page.text.split('id="notice-boards"', 1)[1].split("</fieldset>", 1)[0]
        said[lang] = sorted(re.findall(r'name="board" value="[^"]+"[^>]*> ([^<]+)</label>',
                                       form))
    assert said == {
        "fi": ["Juankosken kirjasto (Juankoski)", "Juankosken kirjasto (Keskusta)",
               "Juankosken kirjasto (alueen ilmoitustaulu, Juankoski)"],
        "sv": ["Juankosken kirjasto (Centrum)", "Juankosken kirjasto (Juankoski)",
               "Juankosken kirjasto (områdets anslagstavla, Juankoski)"],
        "en": ["Juankosken kirjasto (City centre)", "Juankosken kirjasto (Juankoski)",
               "Juankosken kirjasto (area board, Juankoski)"]}
