"""The staff's notice form and a channel or notice board no list offers: a tester sent
`board=""` (and an id that is no id) and was told "Julkaisua ei enää ole." (the post is no
longer there), the form and its text lost. Now such a value is refused by its list, in the
page's language, with the form as typed; an id the list does not have (removed meanwhile) is
said alike, and nothing ticked at all keeps its own words."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest

from services.notifications.staff import LABELS
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_notice_form_times import CLOSED, _board, _signed_in

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
