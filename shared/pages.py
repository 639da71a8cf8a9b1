"""Pages people read answer a refusal with a page, never with JSON: an unknown event or
survey, a bad address, an odd query string or too many answers get a small HTML page in the
reader's language (fi/sv/en), saying what happened and with a link on."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, select_autoescape

from shared.db import DatabaseOutage
from shared.errors import DomainError, Invalid, TooManyRequests, Unavailable
from shared.http import reader_language, status_of

LANGS = ("fi", "sv", "en")

#: What a reader is told per status; a page's own message may say more.
_TEXT: dict[int, dict[str, str]] = {
    404: {"fi": "Sivua ei löytynyt", "sv": "Sidan hittades inte", "en": "Page not found"},
    422: {"fi": "Osoitteessa on virhe", "sv": "Adressen innehåller ett fel",
          "en": "Something in the address is wrong"},
    409: {"fi": "Tätä ei voi tehdä nyt", "sv": "Det går inte just nu",
          "en": "This cannot be done now"},
    429: {"fi": "Liian monta yritystä", "sv": "För många försök", "en": "Too many tries"},
    503: {"fi": "Palvelu on hetken poissa käytöstä", "sv": "Tjänsten är tillfälligt ur bruk",
          "en": "The service is briefly unavailable"},
    400: {"fi": "Pyyntöä ei voitu käsitellä", "sv": "Begäran kunde inte behandlas",
          "en": "The request could not be handled"},
}
_DETAIL: dict[int, dict[str, str]] = {
    404: {"fi": "Hakemaasi sivua ei ole, tai se on poistettu.",
          "sv": "Sidan du söker finns inte eller har tagits bort.",
          "en": "The page you are looking for does not exist or has been removed."},
    422: {"fi": "Tarkista nämä kohdat:", "sv": "Kontrollera dessa:", "en": "Please check:"},
    429: {"fi": "Odota hetki ja yritä uudelleen.", "sv": "Vänta en stund och försök igen.",
          "en": "Please wait a moment and try again."},
    503: {"fi": "Yritä hetken päästä uudelleen.", "sv": "Försök igen om en stund.",
          "en": "Please try again in a moment."},
}
_PAGE = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}{% if fields %} ({{ fields | join(", ") }}){% endif %}</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:38rem;margin:1rem auto;
padding:0 1rem;color:#1b1b1b}a{color:#00577c}</style></head>
<body><main><h1>{{ title }}</h1>{% if detail %}<p>{{ detail }}</p>{% endif %}
{% if fields %}<ul>{% for f in fields %}<li><code>{{ f }}</code></li>{% endfor %}</ul>{% endif %}
<p><a href="{{ home }}">{{ home_label }}</a></p>
<p>{% for code in langs %}<a href="{{ lang_links[code] }}" hreflang="{{ code }}" lang="{{ code }}"
>{{ code }}</a> {% endfor %}</p></main></body></html>""")


def error_page(request: Request, status: int, *, home: Callable[[str], tuple[str, str]],
               detail: str | None = None, fields: list[str] | None = None,
               headers: dict[str, str] | None = None) -> HTMLResponse:
    """`home(lang)` gives the link on and its label."""
    lang = reader_language(request)
    texts = _TEXT.get(status, _TEXT[400])
    href, label = home(lang)
    lang_links = {code: f"{request.url.path}?{request.url.include_query_params(lang=code).query}"
                  for code in LANGS}
    html = _PAGE.render(lang=lang, title=texts[lang],
                        detail=detail or _DETAIL.get(status, {}).get(lang), fields=fields,
                        home=href, home_label=label, langs=LANGS, lang_links=lang_links)
    return HTMLResponse(html, status_code=status, headers=headers)


def page_route(home: Callable[[str], tuple[str, str]]) -> type[APIRoute]:
    """A route class for pages: a refused query string (422, naming the parameters) or a
    domain error (unknown: 404, too many: 429, …) is answered with an error page."""

    class PageRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def answer(request: Request) -> Response:
                try:
                    return await handler(request)
                except RequestValidationError as exc:
                    fields = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
                    return error_page(request, 422, home=home, fields=fields)
                except DatabaseOutage:
                    raise  # the one 503 page of shared.http, with its "try again"
                except DomainError as exc:
                    headers = ({"Retry-After": str(exc.retry_after)}
                               if isinstance(exc, TooManyRequests | Unavailable) else None)
                    named = [exc.field] if isinstance(exc, Invalid) and exc.field else None
                    return error_page(request, status_of(exc), home=home, headers=headers,
                                      fields=named)

            return answer

    return PageRoute
