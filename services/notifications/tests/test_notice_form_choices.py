"""The staff's notice form and a channel or notice board no list offers: a tester sent
`board=""` (and an id that is no id) and was told "Julkaisua ei enää ole." (the post is no
longer there), the form and its text lost. Now such a value is refused by its list, in the
page's language, with the form as typed; an id the list does not have (removed meanwhile) is
said alike, and nothing ticked at all keeps its own words. The withdraw form's board is
refused in the same words, not as a notice on no board."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest

from services.notifications.staff import LABELS
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_notice_form_times import CLOSED, _board, _signed_in
from services.notifications.tests.test_staff_long_fields import _note

fake = test_delivery.fake
setup = test_delivery.setup

NO_BOARD = {"fi": "Valittua ilmoitustaulua ei ole: valitse taulu listasta.",
            "sv": "Den valda anslagstavlan finns inte: välj en tavla i listan.",
            "en": "The chosen notice board does not exist: choose one from the list."}
NO_ACCOUNT = {"fi": "Valittua kanavaa ei ole: valitse kanava listasta.",
              "sv": "Den valda kanalen finns inte: välj en kanal i listan.",
              "en": "The chosen channel does not exist: choose one from the list."}


def _said_by(page: str, element: str) -> str:
    """The refusal a list's fieldset is described by."""
    tag = re.search(rf'<fieldset[^>]* id="{element}"[^>]*>', page)
    assert tag is not None, page
    described = re.search(r'aria-describedby="([^"]+)"', tag[0])
    assert described is not None, tag[0]
    said = re.search(rf'id="{described[1]}"[^>]*>([^<]+)<', page)
    assert said is not None, page
    return html.unescape(said[1])


async def _nothing_sent(setup: Setup) -> None:
    assert await setup.pool.fetchval("SELECT count(*) FROM board_notices") == 0
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose = 'notice'") == 0


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("value", ["", "not-an-id", str(uuid4())])
async def test_a_board_no_list_offers_is_refused_by_the_boards(setup: Setup, lang: str,
                                                               value: str) -> None:
    board = await _board(setup)
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang={lang}", data={
        "csrf": csrf, "text": CLOSED, "board": [board, value]})
    assert answer.status_code == 422, answer.text
    page = answer.text
    assert f'<html lang="{lang}"' in page
    assert f">{html.escape(CLOSED)}</textarea>" in page
    assert _said_by(page, "notice-boards") == NO_BOARD[lang]
    assert LABELS[lang]["refusals"]["gone"] not in html.unescape(page)
    # The board the list has is still ticked; the summary links to the list.
    assert re.search(rf'value="{board}" checked', page)
    assert re.search(r'<a href="#notice-boards">[^<]*' + re.escape(html.escape(
        NO_BOARD[lang])), page)
    await _nothing_sent(setup)


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("value", ["", "123", str(uuid4())])
async def test_a_channel_no_list_offers_is_refused_by_the_channels(setup: Setup, lang: str,
                                                                   value: str) -> None:
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang={lang}", data={
        "csrf": csrf, "text": CLOSED, "account": value})
    assert answer.status_code == 422, answer.text
    page = answer.text
    assert f">{html.escape(CLOSED)}</textarea>" in page
    assert _said_by(page, "notice-accounts") == NO_ACCOUNT[lang]
    # A choice was sent: not also "choose at least one".
    assert LABELS[lang]["refusals"]["no_accounts"] not in html.unescape(page)
    assert LABELS[lang]["refusals"]["gone"] not in html.unescape(page)
    await _nothing_sent(setup)


@pytest.mark.infra
async def test_nothing_ticked_asks_for_a_channel_or_a_board(setup: Setup) -> None:
    await _board(setup)
    csrf = await _signed_in(setup, "fi")
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang=fi",
                                     data={"csrf": csrf, "text": CLOSED})
    assert answer.status_code == 422, answer.text
    assert _said_by(answer.text, "notice-accounts") == "Valitse ainakin yksi kanava tai " \
                                                       "ilmoitustaulu."
    assert NO_BOARD["fi"] not in answer.text and NO_ACCOUNT["fi"] not in answer.text
    await _nothing_sent(setup)


async def _on_board(setup: Setup, lang: str) -> tuple[str, str, str]:
    """A notice sent to a board by the staff's form: the board, the notice and the page's
    CSRF token."""
    board, notice = await _board(setup), str(uuid4())
    csrf = await _signed_in(setup, lang)
    sent = await setup.client.post(f"/staff/notices/{notice}?lang={lang}", data={
        "csrf": csrf, "text": CLOSED, "board": board})
    assert sent.status_code == 303, sent.text
    return board, notice, csrf


async def _on_boards(setup: Setup) -> int:
    return int(await setup.pool.fetchval(
        "SELECT count(*) FROM board_notice_boards WHERE withdrawn_at IS NULL"))


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("values", [[""], ["not-an-id"], [str(uuid4())], ["x" * 10_000],
                                    ["board", "board"]])
async def test_a_board_to_withdraw_from_that_is_no_board_is_refused_as_the_board(
        setup: Setup, lang: str, values: list[str]) -> None:
    """The withdraw form's `board` changed by hand: it said "Tiedote ei ole enää millään
    ilmoitustaululla." (the notice on no board, while it still was), and `board=""` took it
    off every board, as the form of all. Now refused as the board, in the page's language,
    and the notice stays where it is."""
    board, notice, csrf = await _on_board(setup, lang)
    sent = [board if value == "board" else value for value in values]
    answer = await setup.client.post(f"/staff/notices/{notice}/withdraw?lang={lang}",
                                     data={"csrf": csrf, "board": sent})
    assert answer.status_code == 303, answer.text[:500]
    page = await setup.client.get(answer.headers["location"])
    assert f'<html lang="{lang}"' in page.text
    assert _note(page.text) == NO_BOARD[lang]
    assert await _on_boards(setup) == 1


@pytest.mark.infra
@pytest.mark.parametrize(("lang", "gone"), [
    ("fi", "Tiedote ei ole enää valitulla ilmoitustaululla."),
    ("sv", "Meddelandet finns inte längre på den valda anslagstavlan."),
    ("en", "The notice is no longer on the chosen notice board.")])
async def test_a_board_the_notice_has_left_is_said_as_that_board(setup: Setup, lang: str,
                                                                 gone: str) -> None:
    """Taken off a board once (a second press, another tab): that board is said, not "on no
    board"; the form of all still takes it off every board, and then says it is on none."""
    board, notice, csrf = await _on_board(setup, lang)
    here = f"/staff/notices/{notice}/withdraw?lang={lang}"
    other = await _board(setup)  # a board the notice was never on
    answer = await setup.client.post(here, data={"csrf": csrf, "board": other})
    assert _note((await setup.client.get(answer.headers["location"])).text) == gone
    assert await _on_boards(setup) == 1
    taken = await setup.client.post(here, data={"csrf": csrf})
    assert await _on_boards(setup) == 0
    shown = await setup.client.get(taken.headers["location"])
    assert LABELS[lang]["withdrawn"] in html.unescape(shown.text)
    again = await setup.client.post(here, data={"csrf": csrf, "board": board})
    assert _note((await setup.client.get(again.headers["location"])).text) == gone
    everywhere = await setup.client.post(here, data={"csrf": csrf})
    assert (_note((await setup.client.get(everywhere.headers["location"])).text)
            == LABELS[lang]["refusals"]["notice_gone"])
