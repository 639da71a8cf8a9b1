"""`POST /venues/{id}/exceptions` in-process (the app with the use cases' in-memory store), as
the desk's form is tested beside it (test_desk_forms.py): the API refuses an exception's
shape with the domain's one check (`domain.day_exception`), as the desk's page does, a 422
naming the field with its code, and nothing is stored."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from services.booking.domain import DayException
from services.booking.tests.test_desk_forms import DESK, Desk, desk
from services.booking.tests.test_usecases import VENUE

__all__ = ["desk"]  # the fixture, used by name

pytestmark = pytest.mark.unit

URL = f"/venues/{VENUE}/exceptions"
DAY = "2031-04-30"


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"opens": "10:00", "closes": "14:00"}, "closed", "hours_closed"),  # closed by default
    ({"closed": False, "opens": "10:00"}, "closes", "hours_open_times"),
    ({"closed": False, "closes": "14:00"}, "opens", "hours_open_times"),
    ({"closed": False}, "opens", "hours_open_times"),  # not closed did not mean closed
    ({"closed": False, "opens": "14:00", "closes": "10:00"}, "closes", "hours_order"),
    ({"closed": False, "opens": "10:00", "closes": "10:00"}, "closes", "hours_order"),
    # Helsinki's wall clock, which no fixed offset is all year.
    ({"closed": False, "opens": "10:00+02:00", "closes": "14:00"}, "opens", "hours_local"),
    ({"closed": False, "opens": "10:00", "closes": "14:00Z"}, "closes", "hours_local"),
])
async def test_an_exceptions_shape_is_refused_naming_its_field_as_the_desk_is(
        desk: Desk, body: dict[str, Any], field: str, code: str) -> None:
    refused = await desk.http.post(URL, headers=DESK, json={"day": DAY, **body})
    assert refused.status_code == 422, refused.text
    answer = refused.json()
    assert answer["code"] == code
    assert [e["loc"] for e in answer["detail"]] == [["body", field]]
    assert desk.store.state.exceptions == [] and desk.store.state.outbox == []


async def test_the_answer_is_the_exception_as_stored(desk: Desk) -> None:
    """A day's hours without a kind are staffed, and the answer says so (it used to echo the
    request's `"kind": null`); a closed day has no kind, even one the request gave."""
    opened = await desk.http.post(URL, headers=DESK, json={
        "day": DAY, "closed": False, "opens": "10:00", "closes": "14:00",
        "reason": {"fi": "Inventaario"}})
    assert opened.status_code == 201, opened.text
    stored = desk.store.state.exceptions[-1]
    assert (stored.opens, stored.closes, stored.kind) == (time(10), time(14), "staffed")
    assert opened.json() == {"space_id": None, "day": DAY, "closed": False, "opens": "10:00:00",
                             "closes": "14:00:00", "kind": "staffed",
                             "reason": {"fi": "Inventaario"}, "outside_hours": []}
    closed = await desk.http.post(URL, headers=DESK, json={
        "day": DAY, "kind": "self_service", "space_id": str(desk.space.id)})
    assert closed.status_code == 201, closed.text
    assert desk.store.state.exceptions == [DayException(date(2031, 4, 30))]
    assert closed.json() == {"space_id": str(desk.space.id), "day": DAY, "closed": True,
                             "opens": None, "closes": None, "kind": None, "reason": None,
                             "outside_hours": []}


async def test_a_reason_is_taken_in_any_of_fi_sv_and_en_as_the_desk_writes_it(
        desk: Desk) -> None:
    """The API wanted Finnish in every reason while the desk keeps it in its own language:
    a Swedish-speaking desk's client could not say why in Swedish only. Now one text in any
    of the three will do, trimmed, as the desk's form stores it; none at all is no reason."""
    for reason, kept in (({"sv": "  Renovering "}, {"sv": "Renovering"}),
                         ({"en": "Stocktaking", "fi": ""}, {"en": "Stocktaking"}),
                         ({"fi": "Remontti", "sv": "Renovering"},
                          {"fi": "Remontti", "sv": "Renovering"}),
                         (None, None)):
        said = await desk.http.post(URL, headers=DESK, json={"day": DAY, "reason": reason})
        assert said.status_code == 201, (reason, said.text)
        assert said.json()["reason"] == kept
        assert desk.store.reasons[-1] == kept


@pytest.mark.parametrize(("reason", "field"), [
    ({}, "reason"),  # a reason given says something
    ({"fi": "   ", "sv": ""}, "reason"),
    ({"sv": "x" * 501}, "sv"),
    ({"en": "Closed\x07"}, "en"),  # residents read it: no control characters (reason, en)
    ({"de": "Renovierung"}, "de"),  # the city's languages only
])
async def test_a_reason_with_no_text_or_too_long_is_refused_naming_its_field(
        desk: Desk, reason: dict[str, str], field: str) -> None:
    refused = await desk.http.post(URL, headers=DESK, json={"day": DAY, "reason": reason})
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"][-1] == field
    assert desk.store.state.exceptions == [] and desk.store.state.outbox == []
