"""The notice form's summary names each refused input by its label: two times refused
alike ("Give the time as dd.mm.yyyy hh:mm.") said which is which (a tester's round: the
summary listed the same sentence twice). Pure: the page's own reading of refusals."""

from __future__ import annotations

import pytest

from services.notifications.staff import LABELS, notice_refusals
from shared.errors import Invalid

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_two_times_refused_alike_are_named_by_their_labels(lang: str) -> None:
    refused = [Invalid("no time of these years", field="shown_from", code="bad_time"),
               Invalid("no time of these years", field="shown_until", code="bad_time")]
    form = notice_refusals(refused, lang, [], {})
    said = [item["text"] for item in form["refusals"]]
    words = LABELS[lang]
    bad_time = words['refusals']['bad_time']
    assert said == [f"{words['shown_from']}: {bad_time}",
                    f"{words['shown_until']}: {bad_time}"]
    assert [item["href"] for item in form["refusals"]] == ["#shown-from", "#shown-until"]
