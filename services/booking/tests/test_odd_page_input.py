"""Odd input on the organiser's and the desk's forms (a probe of every form post with long
texts, NUL and control characters, impossible and far-off dates, huge numbers, wrong
content types and repeated fields found no 5xx). One value passed a page but not the
database: cancelling a series "from" year 1 (no midnight of it in Helsinki for
PostgreSQL), answered only by the last line of defence's generic 422. The day is bounded
as the API's `from` is (`shared.bounds.check_day`) and refused by the page's own words."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from services.booking.labels import ERRORS
from services.booking.tests.test_organiser_forms import ORGANISER, Organiser
from services.booking.tests.test_organiser_series import _seen
from services.booking.tests.test_organiser_series import organiser as organiser

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_series_is_not_cancelled_from_a_day_outside_the_services_years(
        organiser: Organiser, lang: str) -> None:
    sent = await organiser.send(lang, repeat="1", repeat_count="3")
    assert sent.status_code == 303, sent.text
    series_id = next(b.series_id for b in organiser.store.state.bookings.values()
                     if b.series_id)
    asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"lang": lang}, headers=ORGANISER)
    seen = _seen(asked.text)
    before = {b.id: b.status for b in organiser.store.state.bookings.values()}
    assert list(before.values()).count("requested") == 3
    for day in ("0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"):
        # The question, asked from such a day: said on the list, in the page's language.
        question = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                            params={"lang": lang, "from": day},
                                            headers=ORGANISER)
        assert question.status_code == 303, (day, question.text[:200])
        said = parse_qs(urlsplit(question.headers["location"]).query)
        assert said["msg"] == [ERRORS["date"][lang]] and said["error"] == ["1"], day
        # The confirming post with it: the same, and nothing cancelled.
        gone = await organiser.http.post(
            f"/my/series/{series_id}/cancel", params={"lang": lang}, headers=ORGANISER,
            data={"csrf": "x", "from": day, "confirm": "yes", "seen": seen})
        assert gone.status_code == 303, day
        said = parse_qs(urlsplit(gone.headers["location"]).query)
        assert said["msg"] == [ERRORS["date"][lang]] and said["error"] == ["1"], day
        assert {b.id: b.status for b in organiser.store.state.bookings.values()} == before
    # A day within them still cancels from it.
    gone = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": lang}, headers=ORGANISER,
        data={"csrf": "x", "from": "2000-01-01", "confirm": "yes", "seen": seen})
    assert gone.status_code == 303 and "error" not in gone.headers["location"]
    assert [b.status for b in organiser.store.state.bookings.values()
            if b.series_id] == ["cancelled"] * 3
