"""Control and text-direction characters in notifications' names and addresses staff give,
after the notices' (eb958a8): an area board's name (POST /boards) in any language, a
channel's name and its account id or sender (POST/PUT /channels) and a post's address staff
mark as posted went as typed onto the boards' screens, feeds, /staff and the mails' From.
Each is now refused as `text_chars` naming its field (`name.sv`), said in the reader's
language by what it is, nothing stored."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest

from services.notifications import domain, handlers, usecases
from services.notifications.app import spec
from services.notifications.staff import refusal_text
from services.notifications.tests import test_delivery
from services.notifications.tests.test_board_notices import COMMS, World
from services.notifications.tests.test_delivery import Setup, activity
from services.notifications.tests.test_notice_form_times import _signed_in
from shared.contracts import LocalizedText
from shared.errors import Invalid
from tests.infra import bearer

fake = test_delivery.fake
setup = test_delivery.setup

STAFF = bearer("communications")
ADMIN = bearer("admin")
LANGS = ("fi", "sv", "en")
#: What a tester typed: a BEL, an escape's colour and a right-to-left override.
HIDDEN = ["\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ufffe", "\n", "\r", "\t"]

NAME_SV = {"fi": "Nimessä ruotsiksi on ohjausmerkkejä tai tekstin suuntaa kääntäviä merkkejä, "
                 "joita ei voi näyttää sellaisinaan: kirjoita se ilman niitä.",
           "sv": "I namnet på svenska finns styrtecken eller tecken som vänder textens "
                 "riktning, och de kan inte visas som de är: skriv det utan dem.",
           "en": "The name in Swedish has control or text-direction characters, which cannot "
                 "be shown as they are: write it without them."}
CHANNEL_NAME = {"fi": "Nimessä on ohjausmerkkejä tai tekstin suuntaa kääntäviä merkkejä, "
                      "joita ei voi näyttää sellaisinaan: kirjoita se ilman niitä.",
                "sv": "I namnet finns styrtecken eller tecken som vänder textens riktning, "
                      "och de kan inte visas som de är: skriv det utan dem.",
                "en": "The name has control or text-direction characters, which cannot be "
                      "shown as they are: write it without them."}
POST_ADDRESS = {"fi": "Julkaisun osoitteessa on ohjausmerkkejä tai tekstin suuntaa kääntäviä "
                      "merkkejä, joita ei voi näyttää sellaisinaan: kirjoita se ilman niitä.",
                "sv": "I inläggets adress finns styrtecken eller tecken som vänder textens "
                      "riktning, och de kan inte visas som de är: skriv det utan dem.",
                "en": "The post's address has control or text-direction characters, which "
                      "cannot be shown as they are: write it without them."}
# --- the rules, pure ------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("char", HIDDEN)
def test_a_label_with_a_hidden_character_or_a_line_break_is_refused_by_its_field(
        char: str) -> None:
    refused = domain.label_refusals({"fi": "Tori", "sv": f"Torg{char}et", "en": None},
                                    "name")
    assert [(r.field, r.details) for r in refused] == [
        ("name.sv", {"code": "text_chars", "language": "sv"})]
    assert [(r.field, r.details) for r in domain.label_refusals(f"x{char}", "account_ref")] == [
        ("account_ref", {"code": "text_chars"})]
    # A name refused already for nothing to read is said once, by that.
    assert domain.label_refusals({"fi": "Tori", "sv": char}, "name", {"name.sv"}) == []


@pytest.mark.unit
def test_a_plain_label_is_taken_with_its_letters_and_emoji() -> None:
    assert domain.label_refusals({"fi": "Äänekoski – Torikeskus 🎉", "sv": "Torget (2)",
                                  "en": "Market square"}, "name") == []
    assert domain.label_refusals("kirjasto@kuopio.fi", "account_ref") == []


@pytest.mark.unit
@pytest.mark.parametrize("lang", LANGS)
def test_each_refusal_is_said_in_the_readers_language_by_what_it_is(lang: str) -> None:
    assert refusal_text(domain.text_chars("name.sv", language="sv"), lang) == NAME_SV[lang]
    assert refusal_text(domain.text_chars("name"), lang) == CHANNEL_NAME[lang]
    assert refusal_text(domain.text_chars("remote_url"), lang) == POST_ADDRESS[lang]
    # A notice's text keeps its own words: its form gives the text back without them.
    assert "text_fi" not in refusal_text(domain.text_chars("text_fi", language="fi"), lang)
    assert refusal_text(domain.text_chars("text_fi", language="fi"), lang) != NAME_SV[lang]


@pytest.mark.unit
async def test_the_use_case_makes_no_board_of_such_a_name() -> None:
    world = World()
    for name in ({"fi": "Tori\x07"}, {"fi": "Tori", "en": "Market\u202e square"},
                 {"fi": "Tori\nSoita 040 000 0000"}):
        with pytest.raises(Invalid) as refused:
            await usecases.create_area_board(world.uow, world.clock, COMMS,
                                             usecases.AreaBoardCommand(
                                                 area="kuopio.keskusta",
                                                 name=dict(LocalizedText(**name))))
        assert refused.value.details["code"] == "text_chars", name
    assert world.store.boards == {}



# --- the API --------------------------------------------------------------------------------

@pytest.mark.infra
@pytest.mark.parametrize("lang", LANGS)
async def test_post_boards_refuses_a_name_with_them_in_the_readers_language(
        start_service: Any, lang: str) -> None:
    client = await start_service(spec)
    refused = await client.post("/boards", params={"lang": lang}, headers=STAFF, json={
        "area": "kuopio.keskusta", "name": {"fi": "S40 Torin taulu",
                                            "sv": "S40 Torgets \u202etavla\x1b[31m"}})
    assert refused.status_code == 422, refused.text
    said = refused.json()
    assert (said["code"], said["detail"][0]["loc"], said["message"]) == (
        "text_chars", ["body", "name", "sv"], NAME_SV[lang])
    # Nothing to read in one language, a direction mark alone: said once, as before.
    blank = await client.post("/boards", params={"lang": lang}, headers=STAFF, json={
        "area": "kuopio.keskusta", "name": {"fi": "S40 Torin taulu", "en": "\u202e"}})
    assert (blank.status_code, blank.json()["code"]) == (422, "name_unreadable"), blank.text
    assert (await client.get("/boards", params={"area": "kuopio.keskusta"})).json() == []
    made = await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.keskusta", "name": {"fi": "S40 Torin taulu", "sv": "S40 Torgets tavla"}})
    assert made.status_code == 201, made.text


@pytest.mark.infra
@pytest.mark.parametrize("lang", LANGS)
async def test_a_channels_name_or_account_id_with_them_is_refused_nothing_saved(
        start_service: Any, lang: str) -> None:
    client = await start_service(spec)
    body = {"platform": "mastodon", "name": "Kirjasto", "base_url": "https://m.example",
            "secret_ref": "env:KOHTAAMO_CHANNEL_KIRJASTO"}
    refused = await client.post("/channels", params={"lang": lang}, headers=ADMIN,
                                json={**body, "name": "Kirjasto \x1b[31mvirallinen\u202e"})
    assert refused.status_code == 422, refused.text
    said = refused.json()
    assert (said["code"], said["detail"][0]["loc"], said["message"]) == (
        "text_chars", ["body", "name"], CHANNEL_NAME[lang])
    sender = await client.post("/channels", params={"lang": lang}, headers=ADMIN, json={
        **body, "platform": "email", "base_url": "smtp://mail.example:25",
        "account_ref": "kirjasto@kuopio.fi\r\nBcc: kaikki@example.fi"})
    assert sender.status_code == 422, sender.text
    assert (sender.json()["code"], sender.json()["detail"][0]["loc"]) == (
        "text_chars", ["body", "account_ref"])
    assert (await client.get("/channels", headers=ADMIN)).json() == []
    # An account kept keeps its name when a PUT with such a name is refused.
    account_id = uuid4()
    made = await client.put(f"/channels/{account_id}", headers=ADMIN, json=body)
    assert made.status_code == 201, made.text
    renamed = await client.put(f"/channels/{account_id}", headers=STAFF,
                               json={**body, "name": "Kirjasto\x07"})
    assert (renamed.status_code, renamed.json()["code"]) == (422, "text_chars"), renamed.text
    [kept] = (await client.get("/channels", headers=ADMIN)).json()
    assert kept["name"] == "Kirjasto"


@pytest.mark.infra
@pytest.mark.parametrize("lang", LANGS)
async def test_a_post_marked_as_posted_at_such_an_address_is_not_marked(
        setup: Setup, lang: str) -> None:
    await setup.account("mastodon")
    await setup.handle(handlers.on_activity_event, activity())
    delivery = await setup.pool.fetchval(
        "UPDATE deliveries SET status = 'unconfirmed' WHERE channel = 'mastodon' "
        "RETURNING id")
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(
        f"/staff/deliveries/{delivery}/confirm?lang={lang}",
        data={"csrf": csrf, "remote_url": "https://m.example/@kirjasto/1\u202e2"})
    assert answer.status_code == 303, answer.text[:500]
    note = parse_qs(urlsplit(answer.headers["location"]).query)
    assert (note["msg"], note["error"]) == ([POST_ADDRESS[lang]], ["1"])
    row = await setup.pool.fetchrow(
        "SELECT status, remote_url FROM deliveries WHERE id = $1", delivery)
    assert (row["status"], row["remote_url"]) == ("unconfirmed", None)
