"""The guide's language switch (the widget, its demo page, the staff inbox): a tester heard
its name read as "Kieli / Språk / Language", three languages in one voice. It is named in
the page's language only; each link's text is marked with its own language (`lang`) and says
the language of the page it leads to (`hreflang`)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from services.guide import pages
from shared.pages import Lang

pytestmark = pytest.mark.unit

NAMES = {"fi": "Kieli", "sv": "Språk", "en": "Language"}


class _Switch(HTMLParser):
    """The `nav.langs` element's name and its links (attributes and text)."""

    def __init__(self) -> None:
        super().__init__()
        self.label: str | None = None
        self.links: list[dict[str, Any]] = []
        self._in_nav = False
        self._link: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and found.get("class") == "langs":
            assert self.label is None, "one language switch"
            self._in_nav, self.label = True, found.get("aria-label")
        elif tag == "a" and self._in_nav:
            self._link = {**found, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None
        elif tag == "nav":
            self._in_nav = False


def _switch(html: str) -> _Switch:
    parsed = _Switch()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", ["/widget", "/widget/demo"])
async def test_the_switch_is_named_in_the_pages_language_and_each_link_in_its_own(
        lang: Lang, path: str) -> None:
    page = await (pages.widget(lang) if path == "/widget" else pages.demo(lang))
    switch = _switch(bytes(page.body).decode())
    assert switch.label == NAMES[lang]
    assert [(a["lang"], a["hreflang"], a["href"], a["text"]) for a in switch.links] == [
        ("fi", "fi", f"{path}?lang=fi", "Suomeksi"),
        ("sv", "sv", f"{path}?lang=sv", "På svenska"),
        ("en", "en", f"{path}?lang=en", "In English")]
    assert [a.get("aria-current") for a in switch.links] == [
        "page" if code == lang else None for code in ("fi", "sv", "en")]

