"""The events service's staff pages, linked from each other's header: the approval queue
and the vocabulary, under the one sign-in of `approvals_page.SESSION` (cookie path
``/approvals``, so each lives under it)."""

from __future__ import annotations

from markupsafe import Markup, escape

from services.events.labels import STAFF_NAV

#: Each staff page: its key in `STAFF_NAV` and its address.
PAGES = (("queue", "/approvals/queue"), ("vocabulary", "/approvals/vocabulary"))


def staff_nav(lang: str, current: str) -> Markup:
    """The navigation between the staff pages in `lang`, `current` marked as the page read."""
    t = STAFF_NAV[lang]
    here = ' aria-current="page"'
    links = " · ".join(f'<a href="{path}?lang={lang}"{here if key == current else ""}>'
                       f"{escape(t[key])}</a>" for key, path in PAGES)
    return Markup(f'<nav aria-label="{escape(t["nav"])}">{links}</nav>')
