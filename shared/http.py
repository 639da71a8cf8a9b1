"""The HTTP edge's one mapping of domain errors to status codes and bodies."""

from __future__ import annotations

import html
import itertools
import logging
import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from shared.areas import AREAS
from shared.auth import current_principal, signed_in
from shared.db import MAY_BE_OUTAGE, DatabaseOutage, is_outage
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Refusals,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
    flattened,
)
from shared.methods import allowed_methods, dependants

log = logging.getLogger(__name__)

#: Most specific first: a subclass of Conflict defined by a service answers 409 too.
STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (Invalid, 422),
    (NotFound, 404),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (Conflict, 409),
    (TooManyRequests, 429),
    (Unavailable, 503),
    (DomainError, 400),
)


def status_of(exc: DomainError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


#: The code of a refusal that names none of its own, by its class (most specific first, as
#: `STATUS`): every refusal body carries a `code` a client can branch on.
GENERIC_CODE: tuple[tuple[type[DomainError], str], ...] = (
    (Invalid, "invalid"),
    (NotFound, "not_found"),
    (Forbidden, "forbidden"),
    (Unauthenticated, "unauthenticated"),
    (Conflict, "conflict"),
    (TooManyRequests, "too_many_requests"),
    (Unavailable, "unavailable"),
    (DomainError, "refused"),
)


def code_of(exc: DomainError) -> str:
    """The refusal's own `code`, else its class's generic one."""
    given = exc.details.get("code")
    if isinstance(given, str) and given:
        return given
    return kind_code(exc)


def kind_code(exc: DomainError) -> str:
    """The generic code of the refusal's class (`GENERIC_CODE`)."""
    return next(code for cls, code in GENERIC_CODE if isinstance(exc, cls))


#: A service's own words for its refusals, the catalogue its pages say them from
#: (`ServiceSpec.refusal_text`): one refusal in fi, sv or en, or None where it has none
#: (then `REFUSAL_TEXT` says the refusal by its code, else by its kind).
RefusalText = Callable[[DomainError, str], str | None]

#: What a person reads of a refusal the service has no words of its own for, by its `code`:
#: the generic codes of `GENERIC_CODE`, the sign-in's (`shared.auth`) and the edge's own
#: (an unknown address, a method it does not take, a body it cannot read).
REFUSAL_TEXT: dict[str, dict[str, str]] = {
    "not_found": {"fi": "Pyydettyä ei löytynyt: sitä ei ole, tai se ei näy sinulle.",
                  "sv": "Det du frågade efter hittades inte: det finns inte, eller så syns "
                        "det inte för dig.",
                  "en": "What you asked for was not found: it does not exist, or it is not "
                        "yours to see."},
    "method_not_allowed": {
        "fi": "Osoite on oikea, mutta se ei ota vastaan tällaista pyyntöä.",
        "sv": "Adressen stämmer, men den tar inte emot en sådan begäran.",
        "en": "The address is right, but it does not take this kind of request."},
    "forbidden": {"fi": "Sinulla ei ole oikeutta tähän.",
                  "sv": "Du har inte behörighet till detta.",
                  "en": "You are not allowed to do this."},
    "unauthenticated": {"fi": "Kirjaudu ensin sisään.", "sv": "Logga in först.",
                        "en": "Please sign in first."},
    "sign_in": {"fi": "Kirjaudu ensin sisään.", "sv": "Logga in först.",
                "en": "Please sign in first."},
    "token_invalid": {"fi": "Kirjautumisesi ei kelpaa: kirjaudu uudelleen sisään.",
                      "sv": "Din inloggning gäller inte: logga in på nytt.",
                      "en": "Your sign-in is not valid: please sign in again."},
    "token_expired": {"fi": "Kirjautumisesi on vanhentunut: kirjaudu uudelleen sisään.",
                      "sv": "Din inloggning har gått ut: logga in på nytt.",
                      "en": "Your sign-in has expired: please sign in again."},
    "conflict": {"fi": "Tätä ei voi tehdä nyt: asia on jo muuttunut tai päätetty.",
                 "sv": "Det går inte just nu: saken har redan ändrats eller avgjorts.",
                 "en": "This cannot be done now: it has already changed or been decided."},
    "too_many_requests": {"fi": "Liian monta yritystä: odota hetki ja yritä uudelleen.",
                          "sv": "För många försök: vänta en stund och försök igen.",
                          "en": "Too many tries: please wait a moment and try again."},
    "unavailable": {"fi": "Palvelu on hetken poissa käytöstä: yritä hetken päästä uudelleen.",
                    "sv": "Tjänsten är tillfälligt otillgänglig: försök igen om en stund.",
                    "en": "The service is briefly unavailable: please try again in a "
                          "moment."},
    "invalid": {"fi": "Pyynnössä on tieto, jota ei voi ottaa vastaan: tarkista se.",
                "sv": "Begäran innehåller en uppgift som inte kan tas emot: kontrollera den.",
                "en": "The request has something that cannot be taken: please check it."},
    "refused": {"fi": "Pyyntöä ei voitu käsitellä.", "sv": "Begäran kunde inte behandlas.",
                "en": "The request could not be handled."},
    "body_not_utf8": {"fi": "Pyynnön sisältö ei ole UTF-8-tekstiä: lähetä se UTF-8-koodattuna.",
                      "sv": "Begärans innehåll är inte UTF-8-text: skicka det kodat som UTF-8.",
                      "en": "The request's body is not UTF-8 text: send it encoded as UTF-8."},
    "body_too_large": {"fi": "Pyynnön sisältö on liian suuri: lähetä se pienempänä.",
                       "sv": "Begärans innehåll är för stort: skicka det mindre.",
                       "en": "The request's body is too large: send it smaller."},
    # Rules shared by services that have no page words of their own for them; the answer
    # lists what is taken in `known`.
    "unknown_area": {
        "fi": "Alue ei ole yksi Kuopion alueista: anna jokin vastauksen known-luettelon "
              "alueista.",
        "sv": "Området är inte ett av Kuopios områden: ange ett av områdena i svarets "
              "known-lista.",
        "en": "The area is not one of Kuopio's areas: give one of those in the answer's "
              "known list."},
    "unknown_kind": {
        "fi": "Laji ei ole tapahtumakalenterin toiminnan lajeja: anna jokin vastauksen "
              "known-luettelon lajeista.",
        "sv": "Typen är inte en av evenemangskalenderns typer av verksamhet: ange en av "
              "typerna i svarets known-lista.",
        "en": "The kind is not one of the event calendar's kinds of activity: give one of "
              "those in the answer's known list."},
    "repeated": {
        "fi": "Sama arvo on luettelossa kahdesti: anna kukin arvo vain kerran.",
        "sv": "Samma värde finns två gånger i listan: ange varje värde bara en gång.",
        "en": "The same value is in the list twice: give each value only once."},
    "unknown_topic": {
        "fi": "Aihe ei ole tapahtumakalenterin aiheita: anna jokin vastauksen "
              "known-luettelon aiheista.",
        "sv": "Ämnet är inte ett av evenemangskalenderns ämnen: ange ett av ämnena i "
              "svarets known-lista.",
        "en": "The topic is not one of the event calendar's topics: give one of those in "
              "the answer's known list."},
    "unknown_audience": {
        "fi": "Kohderyhmä ei ole tapahtumakalenterin kohderyhmiä: anna jokin vastauksen "
              "known-luettelon kohderyhmistä.",
        "sv": "Målgruppen är inte en av evenemangskalenderns målgrupper: ange en av "
              "målgrupperna i svarets known-lista.",
        "en": "The audience is not one of the event calendar's audiences: give one of those "
              "in the answer's known list."},
    "unknown_venue": {
        "fi": "Tällä tunnisteella ei tunneta paikkaa: anna jonkin tunnetun paikan tunniste.",
        "sv": "Ingen plats med detta id är känd: ange id:t för en känd plats.",
        "en": "No venue of this id is known: give the id of a known venue."},
    "name_unreadable": {
        "fi": "Nimessä ei ole mitään luettavaa: kirjoita nimi kirjaimin tai numeroin.",
        "sv": "Namnet har inget att läsa: skriv namnet med bokstäver eller siffror.",
        "en": "The name has nothing to read: write it in letters or digits."},
    "unsupported_media_type": {
        "fi": "Pyynnön sisältö on muuta kuin JSONia: lähetä JSON-olio "
              "(Content-Type: application/json).",
        "sv": "Begärans innehåll är inte JSON: skicka ett JSON-objekt "
              "(Content-Type: application/json).",
        "en": "The request's body is not JSON: send a JSON object "
              "(Content-Type: application/json)."},
    "body_unreadable": {"fi": "Pyynnön sisältöä ei voitu lukea: lähetä JSON tai lomake.",
                        "sv": "Begärans innehåll kunde inte läsas: skicka JSON eller ett "
                              "formulär.",
                        "en": "The request's body could not be read: send JSON or a form."},
}


def refusal_message(exc: DomainError, lang: str, own: RefusalText | None = None) -> str:
    """`exc` as a person reads it in `lang`: the service's own words (`own`), else its code's
    (`REFUSAL_TEXT`), else its kind's; a refused input without words of its own is named by
    its label as the pages name it. Every rule of a `Refusals` is said, each once."""
    if isinstance(exc, Refusals):
        return " ".join(dict.fromkeys(refusal_message(each, lang, own) for each in exc.each))
    if said := _said_by(own, exc, lang):
        return said
    if (text := REFUSAL_TEXT.get(str(exc.details.get("code")))) is not None:
        return text[lang]
    if isinstance(exc, Invalid):
        # A rule with no words of its own: its reason (in `detail`, English) is kept, not
        # lost behind "check this".
        return reasoned_text(exc, lang)
    return REFUSAL_TEXT[kind_code(exc)][lang]


def reasoned_text(exc: Invalid, lang: str) -> str:
    """A refusal of the input no words are written for, to an API's client: the input (or
    the request) and to check it, with the rule's English words in parentheses; in English,
    those words themselves."""
    from shared.pages import kind_refusal_text, reasoned_refusal_text  # they build on this

    if exc.field:
        # A rule of a schema's kind (`too long`, `between`) is said as the schema's is.
        return (kind_refusal_text(exc.field, str(exc.details.get("code") or ""),
                                  exc.details, lang)
                or reasoned_refusal_text(exc.field, exc.message, lang))
    reason = exc.message.strip().rstrip(".")
    if lang == "en":
        return f"{reason[:1].upper()}{reason[1:]}."
    return f"{REFUSAL_TEXT['invalid'][lang]} ({reason})."


def input_refusal_text(fields: list[str], lang: str) -> str:
    """The inputs a request's schema refused, each by its label and what it takes, as a page
    says them (`shared.pages.refusal_text`): "Vuosi: anna vuosi väliltä 2000–2100."."""
    from shared.pages import refusal_text  # the pages build on this module

    return "; ".join(refusal_text(field, lang, on_page=False) for field in fields) + "."


def _service_texts(request: Request | None) -> RefusalText | None:
    app = request.scope.get("app") if request is not None else None
    own: RefusalText | None = getattr(getattr(app, "state", None), "refusal_text", None)
    return own


def _said_by(own: RefusalText | None, exc: DomainError, lang: str) -> str | None:
    """`own`'s words for `exc` in `lang`, if any. Details its text does not fit: a missing
    word is logged, never a 4xx made a 500."""
    if own is None:
        return None
    try:
        return own(exc, lang)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        log.warning("the service's text of a refusal failed", exc_info=True,
                    extra={"code": code_of(exc)})
        return None


def own_words(exc: DomainError, request: Request) -> str | None:
    """The service's own words for a rule's refusal, in the reader's language, where it has
    them (`ServiceSpec.refusal_text`): what a page says above the inputs it names."""
    if isinstance(exc, Refusals):
        return None
    return _said_by(_service_texts(request), exc, reader_language(request))


def error_body(exc: DomainError, request: Request | None = None) -> dict[str, Any]:
    """The refusal's JSON: `detail` in English (for logs and the clients written against
    it), `code` for a program, `message` in the reader's language (`reader_language`;
    Finnish without a request), each refusal of a `Refusals` and each entry it `listing`s
    with its own `message`."""
    lang = reader_language(request) if request is not None else "fi"
    own = _service_texts(request)
    body: dict[str, Any] = {"detail": exc.message, **exc.details, "code": code_of(exc),
                            "message": refusal_message(exc, lang, own)}
    if isinstance(exc, Refusals):
        body["refusals"] = [{**listed, "message": refusal_message(each, lang, own)}
                            for listed, each in zip(body["refusals"], exc.each, strict=True)]
    for key, refusals in exc.listed.items():
        body[key] = [{**entry, "message": refusal_message(each, lang, own)}
                     for entry, each in zip(body[key], refusals, strict=True)]
    if isinstance(exc, Invalid):
        # Same shape as FastAPI's validation errors, so clients read one format; the field
        # is where the request gave it (a rule about `?to=` names the query's `to`). Every
        # rule a request broke (`Refusals`) is one entry, as FastAPI lists every field.
        body["detail"] = [
            # A nested field ("organiser.name", "photos.0.url") as FastAPI names it: one key
            # a step, a list's place a number.
            {"loc": [where, *(int(step) if step.isdecimal() else step
                              for step in each.field.split("."))] if each.field else [where],
             "msg": each.message, "type": "value_error"}
            for each in flattened([exc])
            for where in (_field_location(each.field, request),)]
    return body


def _field_location(field: str | None, request: Request | None) -> str:
    name = (field or "").split(".")[0]
    if request is not None and name:
        if name in request.path_params:
            return "path"
        if name in request.query_params:
            return "query"
    return "body"


#: How much of a refused value its refusal echoes back: enough to see what was sent, not a
#: megabyte-long string or list sent back whole.
ECHO_CHARS, ECHO_ITEMS = 200, 20


def echoed(text: str, limit: int = ECHO_CHARS) -> str:
    """A text a client sent, as a refusal may say it back: cut to `limit` characters, and
    made encodable (a JSON escape may be a lone surrogate)."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return cut.encode("utf-8", "replace").decode("utf-8")


def printable(value: Any) -> Any:
    """`value` as a refusal may echo it: every string made encodable (a refused request may
    hold lone surrogates or bytes that are not UTF-8), a number JSON cannot write (NaN,
    Infinity, 1e400 read as a float) as text, and long strings and collections cut, so
    echoing them never turns a 422 into a 500 or a megabyte-long answer."""
    if isinstance(value, str):
        return echoed(value)
    if isinstance(value, bytes):
        return printable(value[:ECHO_CHARS * 4].decode("utf-8", "replace"))
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {printable(k): printable(v)
                for k, v in itertools.islice(value.items(), ECHO_ITEMS)}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value[:ECHO_ITEMS]]
    return value


LANGUAGES = ("fi", "sv", "en")

#: A language tag naming one of ours (BCP 47: a primary subtag, then subtags of one to eight
#: letters or digits), in any case. "_" separates too: a POSIX locale name ("en_GB", "sv_FI")
#: is what many programs write in a link. ASCII only: "ſv" is no "sv".
_TAG = re.compile(r"(fi|sv|en)(?:[-_][a-z0-9]{1,8})*", re.IGNORECASE | re.ASCII)


def language_tag(value: str | None) -> str | None:
    """fi, sv or en for a tag that names it ("SV", "sv-FI", "en_GB": the region says nothing
    about the words we write), else None ("de", "xx", "sv-"). The one rule for a language an
    address, a cookie, a header or a form names."""
    # 35 characters: what RFC 5646 (4.4.1) asks every reader to take at least.
    found = _TAG.fullmatch(value) if value and len(value) <= 35 else None
    return found.group(1).lower() if found else None


def reader_language(request: Request) -> str:
    """The language the reader chose: `?lang=`, else the `kohtaamo_lang` cookie, else the
    first of fi/sv/en in Accept-Language (by its q), else Finnish. Each names it as a tag
    (`language_tag`); one naming no language of ours is passed over (a page's `PageLang`
    refuses it in the address, and this is the language of that refusal)."""
    for chosen in (request.query_params.get("lang"), request.cookies.get("kohtaamo_lang")):
        if (named := language_tag(chosen)) is not None:
            return named
    offered = weighted(request.headers.get("accept-language", ""))
    ranked = [(-q, position, named) for position, (tag, q) in enumerate(offered)
              if (named := language_tag(tag)) is not None]
    return sorted(ranked)[0][2] if ranked else "fi"


_QVALUE = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)")


def weighted(header: str) -> list[tuple[str, float]]:
    """An Accept or Accept-Language list as (value, q) pairs in the client's order, values in
    lower case (RFC 9110 §12.4.2: q is 0 to 1 with at most three decimals, 1 when absent). An
    item with a malformed q, and one with q=0 ("not this"), are left out."""
    items: list[tuple[str, float]] = []
    for part in header.lower().split(","):
        value, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, given = param.partition("=")
            if name.strip() == "q":
                given = given.strip()
                q = float(given) if _QVALUE.fullmatch(given) else 0.0
        if value and q > 0:
            items.append((value, q))
    return items


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 If-None-Match: a list of tags or `*`, compared weakly (W/ ignored): every
    answer that revalidates (a service's own, or one kept by `shared.readcache`) decides
    its 304 here."""
    if not if_none_match:
        return False
    candidates = [t.strip() for t in if_none_match.split(",")]
    return "*" in candidates or tag.removeprefix("W/") in (
        t.removeprefix("W/") for t in candidates)


def refusal_headers(exc: DomainError) -> dict[str, str]:
    """What a refusal's answer says besides its body: when to try again, how to sign in."""
    if isinstance(exc, Unavailable | TooManyRequests):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, Unauthenticated):
        return {"WWW-Authenticate": "Bearer"}
    return {}


def refused_fields(exc: DomainError) -> list[str] | None:
    """The input a rule's refusal is about, to name on a page: with what it takes where the
    rule is of a schema's kind (`shared.pages.SCHEMA_KINDS`: "Tidigast kl.: ange ett
    klockslag, t.ex. 18:00", not "kontrollera detta")."""
    from shared.pages import SCHEMA_KINDS  # the pages build on this module

    if not (isinstance(exc, Invalid) and exc.field):
        return None
    code = str(exc.details.get("code") or "")
    return [Refused(exc.field, code, exc.details) if code in SCHEMA_KINDS else exc.field]


class Refused(str):
    """The name of an input a route's schema refused (a str, as every page and form names
    one) with why: pydantic's error `kind` and its `ctx`, and the `bounds` the route gives
    the input (`ge`/`le`: a refusal names only the one broken), so a page says what the input
    takes in its reader's language (`shared.pages.refusal_text`), never the bare name."""

    kind: str
    ctx: dict[str, Any]
    bounds: dict[str, Any]

    def __new__(cls, name: str, kind: str = "", ctx: dict[str, Any] | None = None,
                bounds: dict[str, Any] | None = None) -> Refused:
        made = super().__new__(cls, name)
        made.kind, made.ctx, made.bounds = kind, dict(ctx or {}), dict(bounds or {})
        return made


def invalid_fields(exc: RequestValidationError, request: Request | None = None
                   ) -> list[str]:
    """The inputs a route's schema refused (a query parameter, a form field), each once (its
    first refusal), by name, as `Refused`."""
    found: dict[str, Refused] = {}
    for error in exc.errors():
        names = [step for step in error.get("loc", ()) if isinstance(step, str)]
        # ("query", "year"); a model's field ("body", "form", "title"): the last name.
        name = names[-1] if names else ""
        if name and name not in found:
            found[name] = Refused(name, str(error.get("type", "")), error.get("ctx"),
                                  _bounds(request, name))
    return [found[name] for name in sorted(found)]


def _bounds(request: Request | None, name: str) -> dict[str, Any]:
    """The numeric bounds the route of `request` gives its input `name` (`Query(ge=, le=)`)."""
    route = request.scope.get("route") if request is not None else None
    found: dict[str, Any] = {}
    for current in dependants(getattr(route, "dependant", None)):
        for param in [*current.path_params, *current.query_params, *current.body_params]:
            if param.alias != name:
                continue
            for rule in param.field_info.metadata:
                for bound in ("ge", "gt", "le", "lt"):
                    if getattr(rule, bound, None) is not None:
                        found[bound] = getattr(rule, bound)
    return found


def local_path(path: str) -> str:
    """`path` as a link that stays on this site: a path that starts with `//` or a backslash
    (which a request may carry: `GET //evil.example`) would be read as another host."""
    return "/" + path.lstrip("/\\")


def wants_html(request: Request) -> bool:
    """A browser asking for a page (Accept names text/html, not with q=0): it gets a page,
    never JSON."""
    return any(kind == "text/html" for kind, _ in weighted(request.headers.get("accept", "")))


UNAVAILABLE_TEXT = {
    "fi": ("Palvelu on hetken poissa käytöstä",
           "Emme juuri nyt saa yhteyttä tietokantaamme, eikä mitään tallennettu. "
           "Yritä uudelleen hetken kuluttua.", "Yritä uudelleen"),
    "sv": ("Tjänsten är tillfälligt otillgänglig",
           "Vi når inte vår databas just nu, och ingenting sparades. "
           "Försök igen om en stund.", "Försök igen"),
    "en": ("The service is briefly unavailable",
           "We cannot reach our database right now, and nothing was saved. "
           "Please try again in a moment.", "Try again"),
}

_UNAVAILABLE_PAGE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font:1.125rem/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}}
main{{max-width:40rem;margin:3rem auto;padding:0 1rem}}a{{color:#0b57a4}}</style></head>
<body><main><h1>{title}</h1><p>{text}</p><p><a href="{again}">{retry}</a></p></main></body>
</html>
"""


def unavailable_response(request: Request, retry_after: int = 10,
                         detail: str | None = None) -> Response:
    """503 with Retry-After: a page in the reader's language for a browser, JSON (the
    message in that language, `detail` in English for logs and clients) otherwise."""
    lang = reader_language(request)
    title, text, retry = UNAVAILABLE_TEXT[lang]
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store",
               "Content-Language": lang}
    if wants_html(request):
        # "Try again": the same page; after a form post, the page the form was on (going
        # back keeps what the person typed).
        again = local_path(request.url.path) + (f"?{request.url.query}" if request.url.query
                                                else "")
        if request.method not in ("GET", "HEAD"):
            try:
                referer = urlsplit(request.headers.get("referer", ""))
            except ValueError:  # "http://[oops/": no page to go back to
                referer = urlsplit("")
            if referer.netloc == request.url.netloc and referer.path.startswith("/"):
                again = local_path(referer.path) + (f"?{referer.query}" if referer.query else "")
        page = _UNAVAILABLE_PAGE.format(lang=lang, title=html.escape(title),
                                        text=html.escape(text), again=html.escape(again),
                                        retry=html.escape(retry))
        return HTMLResponse(page, status_code=503, headers=headers)
    return JSONResponse({"detail": detail or "the service is unavailable for now",
                         "code": "unavailable", "message": text, "lang": lang,
                         "retry_after": retry_after},
                        status_code=503, headers=headers)


def unreadable_body(exc: HTTPException) -> dict[str, str] | None:
    """The body of FastAPI's 400 for a body it could not read ("There was an error parsing
    the body", which says neither what nor how to fix it), with a `code` as every refusal
    has: a JSON body is UTF-8 (RFC 8259 §8.1); None for any other 400."""
    if exc.__cause__ is None:
        return None
    if isinstance(exc.__cause__, UnicodeDecodeError):
        return {"detail": "the body is not UTF-8 text: a JSON body must be encoded as "
                          "UTF-8 (RFC 8259); send it again in that encoding",
                "code": "body_not_utf8"}
    return {"detail": "the body could not be read as the content type it names: send "
                      "JSON (application/json) or a form the route takes",
            "code": "body_unreadable"}


#: The code of Starlette's and FastAPI's own refusals (no route's), by status: an address
#: no route has, a method the address does not take.
EDGE_CODE = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


def edge_body(exc: HTTPException, lang: str) -> dict[str, str]:
    """The JSON of a refusal the framework made (`EDGE_CODE`, a body it could not read),
    with a `code` and a `message` in `lang` as every refusal has; `detail` as before."""
    body = unreadable_body(exc) if exc.status_code == 400 else None
    if body is None:
        body = {"detail": str(exc.detail), "code": EDGE_CODE.get(exc.status_code, "refused")}
    return {**body, "message": REFUSAL_TEXT[body["code"]][lang]}


#: A refusal's answer differs by Accept (a page or JSON) and by the reader's language
#: (Accept-Language, the language cookie): no cache may give one for another.
REFUSAL_VARY = "Accept, Accept-Language, Cookie"


def said(body: dict[str, Any], status: int, lang: str,
         headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A refusal's JSON (with its `message` in `lang`), saying its language and what it
    varies by."""
    return JSONResponse(body, status_code=status, headers={
        **(headers or {}), "Content-Language": lang, "Vary": REFUSAL_VARY})


def refused_input(errors: list[Any], fields: list[str], lang: str) -> JSONResponse:
    """A 422 of inputs the request's schema (or its reading) refused: FastAPI's `detail`
    list, `code` `invalid`, and `message` naming each input as the pages do; an area not
    written as a code with the `known` ones."""
    body: dict[str, Any] = {"detail": errors, "code": "invalid",
                            "message": input_refusal_text(fields, lang)}
    if any(_an_area_code_misspelt(error) for error in errors):
        # As `unknown_area` lists them: "KUOPIO.KESKUSTA" is as far from a code as "x".
        body["known"] = sorted(AREAS)
    return said(body, 422, lang)


def _an_area_code_misspelt(error: Any) -> bool:
    """A refused area (`area`, `areas.N`) that is not of an area code's characters."""
    names = [step for step in error.get("loc", ()) if isinstance(step, str)]
    return (error.get("type") == "string_pattern_mismatch" and bool(names)
            and names[-1] in ("area", "areas"))


#: FastAPI's refusals of a route's whole JSON body when it was sent as something else (a
#: form, text, XML): it reads those bytes as no object.
_BODY_NOT_AN_OBJECT = frozenset({"model_attributes_type", "model_type", "dict_type"})


def media_type_refused(request: Request, exc: RequestValidationError) -> str | None:
    """The media type the body was sent as, when the route takes a JSON body and that is
    not JSON (`application/json` or `…+json`, as FastAPI reads them): a 415, not a 422 of
    the body's content. None when JSON was sent, or no type was named (read as JSON)."""
    sent = request.headers.get("content-type", "")
    media = sent.split(";", 1)[0].strip().lower()
    if not media or media == "application/json" or (
            media.startswith("application/") and media.endswith("+json")):
        return None
    whole_body = any(tuple(error.get("loc", ())) == ("body",)
                     and error.get("type") in _BODY_NOT_AN_OBJECT for error in exc.errors())
    return media if whole_body else None


def unsupported_media(media: str, lang: str) -> JSONResponse:
    """415: the route takes JSON and was sent `media` (RFC 9110 §15.5.16)."""
    return said({"detail": f"the body was sent as {echoed(media, 80)}: this address takes "
                           "JSON (Content-Type: application/json)",
                 "code": "unsupported_media_type", "accepted": ["application/json"],
                 "message": REFUSAL_TEXT["unsupported_media_type"][lang]}, 415, lang)


def input_refusal(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422 for a program, but with the refused input made printable, and what
    a person reads of it: each input by its label and what it takes, in their language. A
    JSON body sent as another media type is a 415 (`media_type_refused`)."""
    if media := media_type_refused(request, exc):
        return unsupported_media(media, reader_language(request))
    errors = printable(jsonable_encoder(
        exc.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")}))
    return refused_input(errors, invalid_fields(exc, request), reader_language(request))


def domain_refusal(request: Request, exc: DomainError) -> JSONResponse:
    """A rule's refusal for a program: `error_body` in the reader's language, saying it."""
    return said(error_body(exc, request), status_of(exc), reader_language(request),
                refusal_headers(exc))


#: How a refusal is shown to a browser: `(request, status, fields to fix, headers)` to a
#: page in the reader's language (`shared.pages.front_page_errors`).
ErrorPage = Callable[[Request, int, list[str] | None, dict[str, str] | None], Response]


#: Refusals of what a request carries (a body that is no JSON or could not be read), which a
#: caller must be signed in to hear about where the route needs it.
_OF_THE_INPUT = frozenset({400, 422})


async def unauthenticated(request: Request) -> Unauthenticated | None:
    """Why the caller is refused before anything the request carries is judged, or None.
    Where the request's route needs a signed-in caller (`shared.auth.SignedIn`), the
    public is refused; where it reads who is asking, a token given must be valid. FastAPI
    reads a JSON body before any dependency runs, so a body that is no JSON would otherwise
    tell an anonymous caller its 422 before the route's 401: each refusal of the input
    asks this first."""
    route = request.scope.get("route")
    needs = _principal_dependencies(getattr(route, "dependant", None))
    try:
        if signed_in in needs:
            await signed_in(request)
        elif current_principal in needs:
            await current_principal(request)
    except Unauthenticated as refused:
        return refused
    return None


def _principal_dependencies(dependant: Dependant | None) -> set[Callable[..., Any]]:
    return {current.call for current in dependants(dependant)
            if current.call in (signed_in, current_principal)}


def install_error_handlers(app: FastAPI, page: ErrorPage | None = None,
                           texts: RefusalText | None = None) -> None:
    """Every refusal as JSON for a client, and with `page`, as a page for a browser (Accept
    names text/html) whatever route it reached: an unknown address, a form or query the
    route's schema refuses, or a rule of the domain. Page routers (`shared.pages.page_route`)
    answer their own refusals first, with a link back to their own start. Every JSON
    refusal has a `code` and a `message` in the reader's language (`texts`: the service's
    own words, else `REFUSAL_TEXT`), said in `Content-Language`."""
    app.state.refusal_text = texts

    def for_browser(request: Request) -> ErrorPage | None:
        return page if page is not None and wants_html(request) else None

    def varied(answer: Response) -> Response:
        answer.headers["Vary"] = REFUSAL_VARY
        return answer

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        # An address no route has (404) or a method it does not take (405), or a body that
        # could not be read (400).
        if exc.status_code == 405 and (allow := allowed_methods(request)):
            # Every method of the address, not only those of the route that refused it.
            exc = HTTPException(405, exc.detail, headers={**(exc.headers or {}),
                                                          "Allow": allow})
        elif exc.status_code in _OF_THE_INPUT and (refused := await unauthenticated(request)):
            return await _domain_error(request, refused)
        if shown := for_browser(request):
            return varied(shown(request, exc.status_code, None, dict(exc.headers or {})))
        if exc.status_code in (204, 304):  # no body to say it in (FastAPI's own rule)
            return varied(await http_exception_handler(request, exc))
        lang = reader_language(request)
        return said(edge_body(exc, lang), exc.status_code, lang, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if refused := await unauthenticated(request):
            return await _domain_error(request, refused)
        if shown := for_browser(request):
            return varied(shown(request, 422, invalid_fields(exc, request), None))
        return input_refusal(request, exc)

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, DatabaseOutage):
            log.warning("database unavailable: answered 503",
                        extra={"path": request.url.path, "error": repr(exc.cause)})
            return unavailable_response(request, exc.retry_after, exc.message)
        headers = refusal_headers(exc)
        if shown := for_browser(request):
            return varied(shown(request, status_of(exc), refused_fields(exc), headers))
        return domain_refusal(request, exc)

    @app.exception_handler(asyncpg.DataError)
    async def _data_error(request: Request, exc: asyncpg.DataError) -> Response:
        # The last line of defence: request schemas bound every value, so a value the
        # database refuses is a missing bound, logged to be fixed, and the client's 422.
        log.warning("a value passed the request schema but not the database: %s", exc)
        if shown := for_browser(request):
            return varied(shown(request, 422, None, None))
        lang = reader_language(request)
        return said({"detail": [{"loc": ["body"], "type": "value_error",
                                 "msg": "a value is out of the range this field takes"}],
                      "code": "invalid", "message": REFUSAL_TEXT["invalid"][lang]}, 422, lang)

    async def _outage(request: Request, exc: Exception) -> Response:
        # Reached by code that uses the pool directly rather than a unit of work.
        if not is_outage(exc):
            raise exc
        log.warning("database unavailable: answered 503",
                    extra={"path": request.url.path, "error": repr(exc)})
        return unavailable_response(request, 10, "the service's database is not available "
                                                 "right now; try again in a moment")

    for cls in MAY_BE_OUTAGE:
        app.add_exception_handler(cls, _outage)
