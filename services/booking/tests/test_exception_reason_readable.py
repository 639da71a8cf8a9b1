"""A day's exception reason of only invisible characters (zero-width spaces) or with a
private-use one was stored and shown to residents as "suljettu (​​)" or a box: refused now
by its input in each language it is given in, on the desk's page and in the API."""

from __future__ import annotations

import re

import pytest

from services.booking import domain
from services.booking.tests.test_desk_forms import DESK, Desk, Page, desk
from services.booking.tests.test_usecases import VENUE
from shared.errors import Invalid

__all__ = ["desk"]

UNREADABLE = ("\u200b\u200b", "\U000f0001 x", "\u202e", "\ue000")


@pytest.mark.parametrize("text", UNREADABLE)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_reason_with_nothing_to_read_or_a_private_use_character_is_refused(
        text: str, lang: str) -> None:
    with pytest.raises(Invalid) as refused:
        domain.exception_reason({lang: text})
    assert refused.value.field == f"reason.{lang}"
    assert refused.value.details["code"] == "reason_unreadable"
    assert domain.exception_reason({lang: "Vesivahinko ✓"}) == {lang: "Vesivahinko ✓"}


async def test_the_desk_page_and_the_api_refuse_it_by_the_reason_input(desk: Desk) -> None:
    for lang, said in (
            ("fi", "Syy (näkyy asukkaille): Syyssä ei ole luettavaa tekstiä"),
            ("sv", "Orsak (syns för invånarna): Orsaken har ingen läsbar text"),
            ("en", "Reason (residents see it): The reason has no text to read")):
        refused = await desk.http.post(
            f"/desk/hours/{VENUE}/exceptions", params={"lang": lang}, headers=DESK,
            data={"csrf": "x", "day": "2031-04-30", "closed": "true", "reason": "\u200b\u200b"})
        assert refused.status_code == 422
        # In the summary naming the input, beside the input, which has focus.
        summary = re.search(r'<a href="#x-reason">([^<]*)</a>', refused.text)
        assert summary and summary.group(1).startswith(said), summary
        assert "x-reason-error" in Page(refused.text).by_id
        assert Page(refused.text).autofocus == ["x-reason"]
        shown = re.search(r'<input[^>]*name="reason"[^>]*>', refused.text)
        assert shown and 'aria-invalid="true"' in shown.group(0)
    api = await desk.http.post(f"/venues/{VENUE}/exceptions", headers=DESK, json={
        "day": "2031-04-30", "reason": {"sv": "\U000f0001 x"}})
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"][-2:] == ["reason", "sv"]
    assert desk.store.state.exceptions == []
