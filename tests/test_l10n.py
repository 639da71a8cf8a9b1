"""Lists of the city's vocabulary in running text (`shared.l10n.terms`), and texts read in
another language than they were written in (`text_in`, `text_and_lang`, `text_html`)."""

from __future__ import annotations

import pytest

from shared.l10n import terms, text_and_lang, text_html, text_in, words

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


def test_a_text_read_in_another_language_says_which_and_is_marked_on_a_page() -> None:
    """A screen reader reads a part in another language than the page with that language's
    voice only when the part says so (WCAG 3.1.2, Language of Parts): the text and the
    language it fell back to, and on a page a `<span lang>` around it, escaped."""
    assert text_and_lang({"en": "Renovation"}, "fi") == ("Renovation", "en")
    assert text_and_lang({"fi": "Remontti", "sv": "Renovering"}, "sv") == ("Renovering", "sv")
    assert text_and_lang({"fi": "Remontti", "sv": "Renovering"}, "en") == ("Remontti", "fi")
    assert text_and_lang({"sv": "", "en": "Renovation"}, "sv") == ("Renovation", "en")
    assert text_and_lang(None, "sv") == text_and_lang("odd", "sv") == ("", "sv")
    assert text_html({"en": "Renovation"}, "fi") == '<span lang="en">Renovation</span>'
    assert text_html({"fi": "Remontti"}, "fi") == "Remontti"  # the page's own: no span
    assert text_html({"fi": "<b>Remontti</b> & co"}, "sv") == (
        '<span lang="fi">&lt;b&gt;Remontti&lt;/b&gt; &amp; co</span>')
    assert text_html({"fi": "a < b"}, "fi") == "a &lt; b"
    assert text_html({}, "en") == ""


def test_a_sentence_ends_with_one_full_stop() -> None:
    from shared.l10n import sentence

    assert sentence("Jätettiin pois: 24.12.") == "Jätettiin pois: 24.12."
    assert sentence("Left out: 24/12") == "Left out: 24/12."
    assert sentence("Lämnades bort: 24 dec.") == "Lämnades bort: 24 dec."


def test_a_date_in_a_line_of_text_is_read_one_way_only() -> None:
    """An English mail's subject said "12/12/2026" (CLDR's numeric short date), which one
    reader takes day first and another month first; a date in text says its month's name in
    English. Finnish and Swedish keep their numbers; a spreadsheet's column too."""
    from datetime import UTC, date, datetime

    from shared.l10n import date_and_time, day_dated, day_numeric

    assert day_dated(date(2026, 12, 12), "fi") == "12.12.2026"
    assert day_dated(date(2026, 12, 1), "sv") == "2026-12-01"
    assert day_dated(date(2026, 12, 1), "en") == "1 Dec 2026"
    assert day_dated(date(2027, 1, 12), "en") == "12 Jan 2027"
    assert day_numeric(date(2026, 12, 3), "en") == "03/12/2026"  # the export's column
    deadline = datetime(2026, 12, 13, 1, 14, tzinfo=UTC)  # 3.14 in Helsinki
    assert date_and_time(deadline, "fi") == "13.12.2026 klo 3.14"
    assert date_and_time(deadline, "sv") == "2026-12-13 kl. 03:14"
    assert date_and_time(deadline, "en") == "13 Dec 2026 at 03:14"


def test_hours_are_counted_as_each_language_counts_them() -> None:
    from shared.l10n import hours

    assert [hours(n, "fi") for n in (1, 2, 1.5)] == ["1 tunti", "2 tuntia", "1,5 tuntia"]
    assert [hours(n, "sv") for n in (1, 24)] == ["1 timme", "24 timmar"]
    assert [hours(n, "en") for n in (1, 48)] == ["1 hour", "48 hours"]
