"""The staff's notice form and a time no one types: a tester sent "shown from" 10,000
characters long and got a bare page of its own ("Formuläret innehåller ett fel – Visas från:
högst 40 tecken"), the notice's text lost, where every other refusal brings the form back as
typed. Now an over-long time is one more refusal of the form, by its input, with the rest."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest

from services.notifications.domain import board_id_for_venue
from services.notifications.staff import LABELS, TIME_MAX_CHARS, _local_time
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import AREA, Setup
from shared.errors import Invalid
from tests.infra import bearer

fake = test_delivery.fake
setup = test_delivery.setup

CLOSED = "Jynkän kirjasto on suljettu torstaina."
STÄNGT = "Jynkkä bibliotek är stängt på torsdag."
#: Ten thousand characters that begin as a time.
ENDLESS = "2026-12-03T17:00" + "0" * (10_000 - 16)


@pytest.mark.unit
@pytest.mark.parametrize("field", ["shown_from", "shown_until"])
def test_a_time_longer_than_any_typed_is_refused_by_its_field(field: str) -> None:
    with pytest.raises(Invalid) as refused:
        _local_time(ENDLESS, field)
    assert refused.value.field == field and refused.value.details["code"] == "bad_time"
    # The longest time a person types still reads.
    padded = "3.12.2026 klo 17.00".ljust(TIME_MAX_CHARS)
    moment = _local_time(padded, field)
    assert moment is not None and (moment.day, moment.hour) == (3, 17)


async def _signed_in(setup: Setup, lang: str) -> str:
    """Signed in to the staff page by its form; the page's CSRF token."""
    token = bearer("communications")["Authorization"].removeprefix("Bearer ")
    assert (await setup.client.post("/staff/login", data={"token": token})).status_code == 303
    page = await setup.client.get(f"/staff?lang={lang}")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf is not None, page.text
    return csrf[1]


async def _board(setup: Setup) -> str:
    venue_id = uuid4()
    await setup.pool.execute(
        """INSERT INTO notice_boards (id, venue_id, area, name, venue_revision)
           VALUES ($1, $2, $3, $4, 1)""",
        board_id_for_venue(venue_id), venue_id, AREA, {"fi": "Jynkän kirjasto"})
    return str(board_id_for_venue(venue_id))


@pytest.mark.infra
async def test_an_over_long_time_is_refused_on_the_form_with_the_text_kept(setup: Setup
                                                                           ) -> None:
    board = await _board(setup)
    csrf = await _signed_in(setup, "fi")
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang=fi", data={
        "csrf": csrf, "text": CLOSED, "board": board, "shown_from": ENDLESS})
    assert answer.status_code == 422, answer.text
    page = answer.text
    words = LABELS["fi"]
    # The page itself with the form as typed, the text kept, the board still ticked.
    assert f"<title>{words['title']}</title>" in page
    assert f">{html.escape(CLOSED)}</textarea>" in page
    assert re.search(rf'value="{board}" checked', page)
    # The time refused by its input, which alone takes focus, and named in the summary.
    assert re.search(r'id="shown-from"[^>]*aria-invalid="true"[^>]*autofocus', page)
    said = f"{words['shown_from']}: {words['refusals']['bad_time']}"
    assert f'<a href="#shown-from">{html.escape(said)}</a>' in page
    assert 'id="shown-until" name="shown_until" type="datetime-local" value="">' in page
    assert await setup.pool.fetchval("SELECT count(*) FROM board_notices") == 0


@pytest.mark.infra
async def test_over_long_times_are_said_with_every_other_refusal_at_once(setup: Setup
                                                                         ) -> None:
    board = await _board(setup)
    csrf = await _signed_in(setup, "sv")
    # No Finnish text, and both times no time: three refusals, said together.
    answer = await setup.client.post(f"/staff/notices/{uuid4()}?lang=sv", data={
        "csrf": csrf, "text": "", "text_sv": STÄNGT, "board": board,
        "shown_from": ENDLESS, "shown_until": "x" * 10_000})
    assert answer.status_code == 422, answer.text
    page = answer.text
    words = LABELS["sv"]
    assert f">{html.escape(STÄNGT)}</textarea>" in page
    summary = re.search(r'id="notice-refusals".*?</ul>', page, re.S)
    assert summary is not None
    links = re.findall(r'<a href="(#[a-z-]+)">', summary[0])
    assert links == ["#notice-text", "#shown-from", "#shown-until"]
    for field in ("shown-from", "shown-until"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page), field
    assert html.escape(words["refusals"]["bad_time"]) in page
    # Several refusals: the summary takes focus, not an input.
    assert re.search(r'id="notice-refusals" tabindex="-1" autofocus', page)
    assert await setup.pool.fetchval("SELECT count(*) FROM board_notices") == 0
