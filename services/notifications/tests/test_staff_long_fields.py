"""The staff page's forms and a field longer than any typed: a notice's text over 70,000
characters, the withdraw form's `board`, the delivery form's `remote_url` and `text` were
each refused by a bare page of their own (a schema's `max_length`), what was typed lost. Now
each is the form's own refusal, as an over-long time is (`test_notice_form_times`): the
notice form and the edit form come back as typed, their text refused by its input, and the
one-button forms say it above the page as their other refusals do."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest

from services.notifications import domain, handlers
from services.notifications.staff import LABELS
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup, activity
from services.notifications.tests.test_notice_form_times import CLOSED, _board, _signed_in

fake = test_delivery.fake
setup = test_delivery.setup

#: One character past a notice's most, Finnish then Swedish.
ENDLESS = ("Kirjasto on suljettu. " * 3200)[:70_000] + "x"
TEXT_LONG = {"fi": "Tekstissä (ruotsiksi) on 70 001 merkkiä; tiedotteessa voi olla enintään "
                   "70 000.",
             "sv": "Texten (på svenska) har 70 001 tecken; ett meddelande kan ha högst "
                   "70 000.",
             "en": "The text (in Swedish) has 70,001 characters; a notice takes at most "
                   "70,000."}


def _note(page: str) -> str:
    said = re.search(r'<div id="status"[^>]*><p class="msg error">([^<]*)</p>', page)
    assert said is not None, page
    return html.unescape(said[1])


def _spaced(text: str) -> str:
    """Babel's thousands separated by a (narrow) no-break space, read as a space."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.unit
def test_a_notice_is_at_most_70_000_characters_in_each_language() -> None:
    assert len(ENDLESS) == domain.NOTICE_TEXT_MAX + 1
    assert domain.notice_texts({"fi": CLOSED, "sv": "x" * domain.NOTICE_TEXT_MAX}, None)
    with pytest.raises(domain.Invalid) as refused:
        domain.notice_texts({"fi": CLOSED, "sv": ENDLESS}, None)
    assert refused.value.field == "text_sv"
    assert refused.value.details == {"code": "notice_text_long", "language": "sv",
                                     "length": 70_001, "limit": 70_000}
    # For a board its own, far shorter, limit is said.
    with pytest.raises(domain.Invalid) as board:
        domain.notice_texts({"fi": CLOSED, "sv": ENDLESS}, domain.NOTICE_MAX_CHARS)
    assert board.value.details["code"] == "notice_long"


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_over_long_notice_text_is_refused_by_its_input_with_the_form_kept(
        setup: Setup, lang: str) -> None:
    await setup.account("mastodon")
    account = await setup.pool.fetchval(
        "SELECT id FROM channel_accounts WHERE platform = 'mastodon'")
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang={lang}", data={
        "csrf": csrf, "text": CLOSED, "text_sv": ENDLESS, "account": str(account)})
    assert answer.status_code == 422, answer.text[:500]
    page = answer.text
    assert f'<html lang="{lang}"' in page
    assert f">{html.escape(CLOSED)}</textarea>" in page
    assert f">{html.escape(ENDLESS)}</textarea>" in page
    assert re.search(rf'value="{account}" checked', page)
    assert re.search(r'id="notice-text-sv"[^>]*aria-invalid="true"[^>]*autofocus', page)
    link = re.search(r'<a href="#notice-text-sv">([^<]*)</a>', page)
    assert link is not None and _spaced(html.unescape(link[1])) == TEXT_LONG[lang]
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose = 'notice'") == 0


@pytest.mark.infra
async def test_an_over_long_edit_of_a_post_is_refused_by_its_textarea(setup: Setup) -> None:
    await setup.account("mastodon")
    await setup.handle(handlers.on_activity_event, activity())
    delivery = await setup.pool.fetchval(
        "UPDATE deliveries SET status = 'failed' WHERE channel = 'mastodon' RETURNING id")
    csrf = await _signed_in(setup, "fi")
    answer = await setup.client.post(f"/staff/deliveries/{delivery}/retry?lang=fi", data={
        "csrf": csrf, "edited": "1", "text": ENDLESS})
    assert answer.status_code == 422, answer.text[:500]
    page = answer.text
    assert f">{html.escape(ENDLESS)}</textarea>" in page
    error = re.search(rf'<p class="field-error" id="error-text-{delivery}">([^<]*)</p>', page)
    assert error is not None and _spaced(html.unescape(error[1])) == (
        "Tekstissä on 70 001 merkkiä; alusta ottaa 500.")
    assert await setup.pool.fetchval("SELECT status FROM deliveries WHERE id = $1",
                                     delivery) == "failed"


@pytest.mark.infra
@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Julkaisun osoitteessa voi olla enintään 2 000 merkkiä."),
    ("sv", "Inläggets adress kan ha högst 2 000 tecken."),
    ("en", "The post's address can be at most 2,000 characters.")])
async def test_an_over_long_address_of_a_post_is_said_on_the_page(setup: Setup, lang: str,
                                                                  said: str) -> None:
    csrf = await _signed_in(setup, lang)
    answer = await setup.client.post(
        f"/staff/deliveries/{uuid4()}/confirm?lang={lang}",
        data={"csrf": csrf, "remote_url": "https://mastodon.example/" + "x" * 2000})
    assert answer.status_code == 303, answer.text[:500]
    page = await setup.client.get(answer.headers["location"])
    assert _spaced(_note(page.text)) == said


@pytest.mark.infra
async def test_an_over_long_board_to_withdraw_from_is_said_on_the_page(setup: Setup) -> None:
    await _board(setup)
    csrf = await _signed_in(setup, "en")
    answer = await setup.client.post(f"/staff/notices/{uuid4()}/withdraw?lang=en",
                                     data={"csrf": csrf, "board": "x" * 10_000})
    assert answer.status_code == 303, answer.text[:500]
    page = await setup.client.get(answer.headers["location"])
    assert _note(page.text) == LABELS["en"]["refusals"]["no_board"]
