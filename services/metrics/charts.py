"""Charts drawn on the server: no JavaScript, readable on any screen, printable. Pure
functions of plain numbers.

The words and figures are HTML text around small SVG bars, so they are the page's text: they
grow with the reader's text size (WCAG 1.4.4) and wrap on a phone (1.4.10). Drawn as SVG
text in a scaled viewBox they stayed 13 px whatever the reader chose, and shrank to 6 px on a
320 px screen. A bar is an SVG rect (printed, unlike a background); `CSS` lays them out and
goes in the page's style."""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from shared import l10n

#: The charts' layout, for the page's <style>. A row is the label, its bar and its figure on
#: one line (the fixed label and figure widths, in em, keep every row's bar track as long);
#: in a box narrower than 20em the label and figure share a line above the whole-width
#: bar. The queries are in the chart's own em, so larger text reflows it. A trend of at
#: most twelve columns stands up as columns once its box is 40em wide (larger text turns
#: it back to rows rather than squeeze the months).
CSS = """.chart{margin:1rem 0;max-width:56em;container-type:inline-size}
.chart figcaption{font-weight:700;margin-bottom:.4em}
.chart ol{list-style:none;margin:0;padding:0}
.chart li{display:flex;flex-wrap:wrap;align-items:center;gap:.1em .5em;margin:.25em 0}
.chart .label{flex:0 0 9em;max-width:100%}
.chart svg{flex:1 1 3em;height:1.3em;min-width:0}
.chart .value{flex:0 0 5em;font-variant-numeric:tabular-nums}
@container (max-width:20em){.chart .label{flex:1 1 0}.chart .value{order:1;flex:none}
.chart svg{order:2;flex:1 0 100%}}
.chart rect{fill:#00577c}.chart .up{display:none}
@container (min-width:40em){.chart ol.columns{display:flex;gap:.3em}
.chart ol.columns li{flex:1 1 0;flex-direction:column;flex-wrap:nowrap;align-items:stretch;
min-width:0;margin:0;gap:.2em;text-align:center}
.chart ol.columns svg{flex:0 0 8em;width:100%;height:8em}
.chart ol.columns .value{order:1;flex:none}.chart ol.columns svg{order:2}
.chart ol.columns .label{order:3;flex:none;color:#595959}
.chart ol.columns .up{display:inline}.chart ol.columns .across{display:none}}
@media (forced-colors:active){.chart rect{fill:CanvasText}}"""
#: A trend of more columns than this reads as rows: side by side their labels ("tammi
#: 2026") would not fit a desktop's width either.
MOST_COLUMNS = 12


def bars(labels: list[str], values: list[float], *, title: str, unit: str = "",
         lang: str = "fi", number: Callable[[float], str] | None = None) -> str:
    """Horizontal bars with their values written out (accessible without colour); `number`
    writes a value where the figure has its own rule (a rate per 1,000 residents)."""
    written = number or (lambda value: _number(value, lang))
    return _chart(labels, [f"{written(v)}{unit}" for v in values], values, title=title,
                  upright=False)


def columns(labels: list[str], values: list[float], *, title: str, lang: str = "fi") -> str:
    """Vertical columns, e.g. a trend per month (as rows where they would not fit)."""
    return _chart(labels, [_number(v, lang) for v in values], values, title=title,
                  upright=len(values) <= MOST_COLUMNS)


def _chart(labels: list[str], written: list[str], values: list[float], *, title: str,
           upright: bool) -> str:
    """A figure named by its caption: a list of label, bar and figure, read as text by a
    screen reader; the bars themselves are hidden from it (the figures say them)."""
    peak = max(values, default=0) or 1
    rows = []
    for label, shown, value in zip(labels, written, values, strict=True):
        share = max(100 * value / peak, 0)
        rows.append(
            f'<li><span class="label">{escape(label)}</span> '
            f'<svg viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true" '
            f'focusable="false"><rect class="across" width="{share:.1f}" height="100"/>'
            + (f'<rect class="up" y="{100 - share:.1f}" width="100" height="{share:.1f}"/>'
               if upright else "")
            + f'</svg> <span class="value">{escape(shown)}</span></li>')
    kind = ' class="columns"' if upright else ""
    return (f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
            f'<ol{kind} role="list">{"".join(rows)}</ol></figure>')


def _number(value: float, lang: str) -> str:
    """"1 234", "3,5" in Finnish and Swedish; "1,234", "3.5" in English (CLDR)."""
    if value >= 100 or value == int(value):
        return l10n.number(round(value), lang, digits=0)
    return l10n.number(round(value, 2), lang)
