"""The service's cookie sessions' sign-in pages with the fi/sv/en switch every other page of
the service has: a tester found none on /registrations/login and /staff/login, so a reader
sent there in the wrong language could not change it."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from shared.http import reader_language
from shared.pages import PageSession

#: Each language by its own name, as the pages' switches say them.
LANGUAGES = (("fi", "suomi"), ("sv", "svenska"), ("en", "English"))
_SWITCH_LABEL = {"fi": "Kieli", "sv": "Språk", "en": "Language"}


class SwitchingSession(PageSession):
    """A `PageSession` whose sign-in page leads to itself in each language, keeping where it
    goes on to (`?next=`)."""

    def language_links(self, request: Request) -> str:
        lang = reader_language(request)
        wanted = self._next(request)
        links = []
        for code, name in LANGUAGES:
            query = urlencode({"lang": code, **({"next": wanted} if wanted else {})})
            current = " aria-current='page'" if code == lang else ""
            links.append(f"<a href='{html.escape(f'{self.path}/login?{query}')}' "
                         f"lang='{code}'{current}>{name}</a>")
        return f"<nav aria-label='{_SWITCH_LABEL[lang]}'>{' '.join(links)}</nav>"

    def _login_form(self, request: Request, message: str | None = None,
                    status_code: int = 200) -> HTMLResponse:
        page = super()._login_form(request, message, status_code)
        body = bytes(page.body).decode()
        # Before the main content, as the other pages have it (in the header).
        body = body.replace("<body>", f"<body>{self.language_links(request)}", 1)
        answer = HTMLResponse(body, status_code=page.status_code)
        answer.headers["Cache-Control"] = page.headers.get("Cache-Control", "no-store")
        return answer
