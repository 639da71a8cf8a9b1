"""The charts as HTML: a figure named by its caption, each row's label and figure as text
(so they follow the reader's text size, `test_reflow_browser`), written as the reader's
language writes numbers (Babel), and bars as long as their share of the largest."""

from __future__ import annotations

import re
from html import unescape

import pytest

from services.metrics import charts

pytestmark = pytest.mark.unit


def _rows(drawn: str) -> list[tuple[str, str, float]]:
    """Each row's label, figure and bar length (% of the largest)."""
    return [(unescape(label), unescape(value).replace("\xa0", " ").replace("\u202f", " "),
             float(width))
            for label, width, value in re.findall(
                r'<li><span class="label">([^<]*)</span> <svg[^>]*><rect class="across" '
                r'width="([0-9.]+)"[^>]*/>.*?<span class="value">([^<]*)</span></li>', drawn)]


@pytest.mark.parametrize(("lang", "big", "small"), [("fi", "1 235", "3,5"),
                                                    ("sv", "1 235", "3,5"),
                                                    ("en", "1,235", "3.5")])
def test_figures_are_written_as_the_language_writes_numbers(lang: str, big: str,
                                                             small: str) -> None:
    drawn = charts.bars(["Keskusta", "Pyörö & <Nilsiä>"], [1234.6, 3.5], title="Osallistujat",
                        lang=lang)
    assert _rows(drawn) == [("Keskusta", big, 100.0), ("Pyörö & <Nilsiä>", small, 0.3)]
    column = charts.columns(["tammi", "helmi"], [0, 3.5], title="Tunnit", lang=lang)
    assert [(label, value) for label, value, _ in _rows(column)] == [("tammi", "0"),
                                                                      ("helmi", small)]


def test_a_chart_is_a_figure_named_by_its_caption_its_bars_hidden() -> None:
    drawn = charts.bars(["a"], [2], title="Asiakastyytyväisyys <vastauksia>")
    assert drawn.startswith('<figure class="chart"><figcaption>'
                            "Asiakastyytyväisyys &lt;vastauksia&gt;</figcaption>")
    assert 'aria-hidden="true"' in drawn and 'role="img"' not in drawn
    # No size of its own in pixels: its text is the page's.
    assert not re.search(r"font-size|px", drawn + charts.CSS)


def test_a_trend_stands_up_as_columns_only_when_they_fit() -> None:
    twelve = charts.columns([str(m) for m in range(12)], [1.0] * 12, title="t")
    assert '<ol class="columns"' in twelve and twelve.count('class="up"') == 12
    more = charts.columns([str(m) for m in range(13)], [1.0] * 13, title="t")
    assert '<ol role="list">' in more and 'class="up"' not in more
    # Nothing counted: empty bars, not a division by zero.
    assert [w for _, _, w in _rows(charts.columns(["a", "b"], [0, 0], title="t"))] == [0, 0]
