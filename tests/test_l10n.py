"""Lists of the city's vocabulary in running text (`shared.l10n.terms`)."""

from __future__ import annotations

import pytest

from shared.l10n import terms, text_in, words

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


def test_a_text_written_in_one_language_is_read_in_every_one() -> None:
    """A text kept in the language it was written in (a desk's reason for an exception) is
    read as written by a reader of another language, rather than nothing."""
    assert text_in({"en": "Renovation"}, "fi") == "Renovation"
    assert text_in({"sv": "Renovering"}, "en") == "Renovering"
    assert text_in({"fi": "Remontti", "sv": "Renovering"}, "sv") == "Renovering"
    assert text_in({"fi": "Remontti", "sv": "Renovering"}, "en") == "Remontti"
    assert text_in(None, "fi") == text_in({}, "fi") == text_in("odd", "fi") == ""
