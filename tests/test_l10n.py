"""Lists of the city's vocabulary in running text (`shared.l10n.terms`)."""

from __future__ import annotations

import pytest

from shared.l10n import terms, words

pytestmark = pytest.mark.unit


def test_terms_after_the_first_are_written_as_common_nouns() -> None:
    assert terms(["Lapsiperheet", "Lapset"], "fi") == "Lapsiperheet ja lapset"
    assert terms(["Barnfamiljer", "Barn", "Unga"], "sv") == "Barnfamiljer, barn och unga"
    assert terms(["Families", "Children"], "en") == "Families and children"
    # An acronym or a one-letter term keeps its capitals; nothing to list is nothing.
    assert terms(["Nuoret", "LGBTQ+", "A"], "fi") == "Nuoret, LGBTQ+ ja A"
    assert terms([], "fi") == ""
    # Names stay names where `words` lists them.
    assert words(["Jynkkä", "Pyörö"], "fi") == "Jynkkä ja Pyörö"
