"""Charts drawn on the server as SVG: no JavaScript, readable on any screen, printable.
Pure functions of plain numbers."""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from shared import l10n

_INK, _BAR, _MUTED = "#1b1b1b", "#00577c", "#6b6b6b"


def bars(labels: list[str], values: list[float], *, title: str, unit: str = "",
         width: int = 640, bar_height: int = 22, lang: str = "fi",
         number: Callable[[float], str] | None = None) -> str:
    """Horizontal bars with their values written out (accessible without colour); `number`
    writes a value where the figure has its own rule (a rate per 1,000 residents)."""
    written = number or (lambda value: _number(value, lang))
    top = 30
    height = top + len(labels) * (bar_height + 6) + 10
    peak = max(values, default=0) or 1
    label_w = 150
    room = width - label_w - 80
    rows = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_height + 6)
        w = room * value / peak
        rows.append(
            f'<text x="{label_w - 6}" y="{y + bar_height * 0.7}" text-anchor="end" '
            f'font-size="13" fill="{_INK}">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{_BAR}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.7}" font-size="13" '
            f'fill="{_INK}">{escape(written(value))}{escape(unit)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}"'
            f' width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{_INK}">'
            f'{escape(title)}</text>{"".join(rows)}</svg>')


def columns(labels: list[str], values: list[float], *, title: str, width: int = 640,
            height: int = 240, lang: str = "fi") -> str:
    """Vertical columns, e.g. a trend per month."""
    top, bottom, left = 30, 40, 10
    peak = max(values, default=0) or 1
    n = max(len(values), 1)
    slot = (width - left) / n
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (height - top - bottom) * value / peak
        x = left + i * slot + slot * 0.15
        y = height - bottom - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{_BAR}"><title>{escape(label)}: {_number(value, lang)}</title></rect>'
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" font-size="12" '
            f'text-anchor="middle" fill="{_MUTED}">{escape(label)}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" font-size="11" '
            f'text-anchor="middle" fill="{_INK}">{_number(value, lang)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}"'
            f' width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{_INK}">'
            f'{escape(title)}</text>{"".join(parts)}</svg>')


def _number(value: float, lang: str) -> str:
    """"1 234", "3,5" in Finnish and Swedish; "1,234", "3.5" in English (CLDR)."""
    if value >= 100 or value == int(value):
        return l10n.number(round(value), lang, digits=0)
    return l10n.number(round(value, 2), lang)
