"""A staff notice's text and an edited post's text with a control or text-direction
character: a tester sent "S40 bell\\x07 and RLO \\u202e reversed \\x1b[31m red" to Bluesky
and the fake platform got the BEL, the escape and U+202E as typed. Now each is refused
(`text_chars`, naming the text's field, fi/sv/en), nothing stored or queued, and the form
gives the text back without them to be checked and sent again; line breaks stay."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest

from services.notifications import domain, handlers
from services.notifications.staff import LABELS, refusal_text
from services.notifications.tests import test_board_notices, test_delivery
from services.notifications.tests.test_board_notices import COMMS, World
from services.notifications.tests.test_delivery import Setup, activity
from services.notifications.tests.test_notice_form_times import _board, _signed_in
from services.notifications.usecases import NoticeCommand, send_notice
from shared.bounds import without_hidden
from shared.errors import Invalid

fake = test_delivery.fake
setup = test_delivery.setup
world = test_board_notices.world

#: The tester's text, and what the form gives back of it.
TYPED = "S40 bell\x07 and RLO \u202e reversed \x1b[31m red"
GIVEN_BACK = "S40 bell and RLO  reversed [31m red"
#: A text as staff write one: two paragraphs, a tab in a list of hours.
PARAGRAPHS = "Kirjasto on suljettu torstaina.\r\n\r\nAvoinna:\tpe 10-18"
HIDDEN = ["\x07", "\x1b", "\x00", "\x7f", "\x85", "\u202e", "\u2066", "\ufffe",
          "\r"]
SAID = {"fi": "Tekstissä oli ohjausmerkkejä tai tekstin suuntaa kääntäviä merkkejä, joita "
              "ei voi julkaista. Ne on poistettu alla olevasta tekstistä: tarkista teksti ja "
              "lähetä uudelleen.",
        "sv": "Texten hade styrtecken eller tecken som vänder textens riktning, och de kan "
              "inte publiceras. De har tagits bort ur texten nedan: kontrollera texten och "
              "skicka på nytt.",
        "en": "The text had control or text-direction characters, which cannot be posted. "
              "They were taken out of the text below: check it and send it again."}


@pytest.mark.unit
@pytest.mark.parametrize("char", HIDDEN)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_notice_text_with_a_hidden_character_is_refused_by_its_language(
        lang: str, char: str) -> None:
    texts = {"fi": "Suljettu.", lang: f"Closed {char}today."}
    with pytest.raises(Invalid) as refused:
        domain.notice_texts(texts, None)
    assert refused.value.field == f"text_{lang}"
    assert refused.value.details == {"code": "text_chars", "language": lang}
    assert "\r" not in without_hidden(texts[lang]) and char not in (
        without_hidden(texts[lang]))


@pytest.mark.unit
def test_line_breaks_and_tabs_stay_in_a_notice_and_a_post() -> None:
    assert domain.notice_texts({"fi": PARAGRAPHS}, None) == {
        "fi": "Kirjasto on suljettu torstaina.\n\nAvoinna:\tpe 10-18"}
    assert domain.check_post_text(PARAGRAPHS, "bluesky") == (
        "Kirjasto on suljettu torstaina.\n\nAvoinna:\tpe 10-18")
    assert without_hidden(PARAGRAPHS) == (
        "Kirjasto on suljettu torstaina.\n\nAvoinna:\tpe 10-18")
    assert without_hidden(TYPED) == GIVEN_BACK


@pytest.mark.unit
def test_every_language_refused_is_said_at_once() -> None:
    with pytest.raises(Invalid) as refused:
        domain.notice_texts({"fi": TYPED, "sv": "Stängt.", "en": "Closed\u202e."}, None)
    assert [(r["field"], r["code"]) for r in refused.value.details["refusals"]] == [
        ("text_fi", "text_chars"), ("text_en", "text_chars")]


@pytest.mark.unit
@pytest.mark.parametrize("char", HIDDEN)
def test_an_edited_post_with_a_hidden_character_is_refused_by_its_text(char: str) -> None:
    with pytest.raises(Invalid) as refused:
        domain.check_post_text(f"Closed {char}today.", "mastodon")
    assert (refused.value.field, refused.value.details) == ("text", {"code": "text_chars"})


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_refusal_is_said_in_the_readers_language(lang: str) -> None:
    assert refusal_text(domain.text_chars("text"), lang) == SAID[lang]
    assert LABELS[lang]["refusals"]["text_chars"] == SAID[lang]


@pytest.mark.unit
async def test_the_use_case_queues_nothing_and_shows_nothing(world: World) -> None:
    board = await world.board("Neulamäen kirjasto")
    with pytest.raises(Invalid) as refused:
        await send_notice(world.uow, world.clock, COMMS, uuid4(),
                          NoticeCommand({"fi": TYPED}, board_ids=(board,)))
    assert refused.value.details["code"] == "text_chars"
    assert world.store.notices == {} and world.store.deliveries == {}


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_staff_form_refuses_it_and_gives_the_text_back_without_them(
        setup: Setup, lang: str) -> None:
    await setup.account("bluesky")
    account = await setup.pool.fetchval(
        "SELECT id FROM channel_accounts WHERE platform = 'bluesky'")
    board = await _board(setup)
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang={lang}", data={
        "csrf": csrf, "text": TYPED, "text_sv": "Stängt i dag.", "text_en": PARAGRAPHS,
        "account": str(account), "board": board})
    assert answer.status_code == 422, answer.text[:500]
    page = answer.text
    assert f'<html lang="{lang}"' in page
    fi = re.search(r'<textarea id="notice-text" [^>]*>([^<]*)</textarea>', page)
    assert fi is not None and html.unescape(fi[1]) == GIVEN_BACK
    assert ">Stängt i dag.</textarea>" in page
    # The other texts as typed, line breaks and all.
    en = re.search(r'<textarea id="notice-text-en" [^>]*>([^<]*)</textarea>', page)
    assert en is not None and html.unescape(en[1]).replace("\r\n", "\n") == (
        PARAGRAPHS.replace("\r\n", "\n"))
    assert re.search(r'id="notice-text"[^>]*aria-invalid="true"[^>]*autofocus', page)
    error = re.search(r'<span class="field-error" id="error-notice-text">([^<]*)</span>',
                      page)
    assert error is not None and html.unescape(error[1]) == SAID[lang]
    assert re.search(rf'value="{account}" checked', page)
    assert await setup.pool.fetchval("SELECT count(*) FROM deliveries") == 0
    assert await setup.pool.fetchval("SELECT count(*) FROM board_notices") == 0
    await setup.send()
    assert setup.fake.posts("bluesky") == []


@pytest.mark.infra
async def test_the_text_given_back_goes_out_when_sent_again(setup: Setup) -> None:
    await setup.account("bluesky")
    account = await setup.pool.fetchval(
        "SELECT id FROM channel_accounts WHERE platform = 'bluesky'")
    csrf = await _signed_in(setup, "en")
    notice = uuid4()
    refused = await setup.client.post(f"/staff/notices/{notice}?lang=en", data={
        "csrf": csrf, "text": TYPED, "account": str(account)})
    assert refused.status_code == 422
    sent = await setup.client.post(f"/staff/notices/{notice}?lang=en", data={
        "csrf": csrf, "text": GIVEN_BACK, "account": str(account)})
    assert sent.status_code == 303, sent.text[:500]
    await setup.send()
    [post] = setup.fake.posts("bluesky")
    assert post["text"] == GIVEN_BACK


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_edited_post_is_refused_by_its_textarea_nothing_sent(
        setup: Setup, lang: str) -> None:
    await setup.account("mastodon")
    await setup.handle(handlers.on_activity_event, activity())
    delivery = await setup.pool.fetchval(
        "UPDATE deliveries SET status = 'failed' WHERE channel = 'mastodon' RETURNING id")
    before = await setup.pool.fetchval("SELECT content FROM deliveries WHERE id = $1",
                                       delivery)
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(f"/staff/deliveries/{delivery}/retry?lang={lang}",
                                     data={"csrf": csrf, "edited": "1", "text": TYPED})
    assert answer.status_code == 422, answer.text[:500]
    page = answer.text
    given = re.search(rf'<textarea[^>]*id="text-{delivery}"[^>]*>([^<]*)</textarea>', page)
    assert given is not None and html.unescape(given[1]) == GIVEN_BACK, page[:3000]
    error = re.search(rf'<p class="field-error" id="error-text-{delivery}">([^<]*)</p>', page)
    assert error is not None and html.unescape(error[1]) == SAID[lang]
    row = await setup.pool.fetchrow("SELECT status, content FROM deliveries WHERE id = $1",
                                    delivery)
    assert (row["status"], row["content"]) == ("failed", before)
