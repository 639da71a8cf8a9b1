"""Every JSON refusal says itself to a person in the reader's language (`message`, named in
`Content-Language`) beside its `code` for a program and its English `detail`
(`shared.http`): the service's own words where its pages have them (booking's
`labels.ERRORS`, the events organiser's `labels.REFUSALS`, the notifications staff's and
sign-up pages', the guide inbox's), else the shared words by code or kind. Starlette's own
404 and 405 have a code too, and a browser gets them as a page.

The services are not started: nothing here reaches a database."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest
from fastapi import FastAPI

from shared.db import DatabaseOutage
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Refusals,
    TooManyRequests,
)
from shared.http import REFUSAL_TEXT, UNAVAILABLE_TEXT
from tests.apps import unstarted_app
from tests.test_boundaries import SERVICES

pytestmark = pytest.mark.unit

LANGS = ("fi", "sv", "en")


def _app(service: str) -> FastAPI:
    return unstarted_app(service)


def _raising(app: FastAPI, error: DomainError) -> FastAPI:
    """`app` with `GET /refuse` refusing with `error`, as a route of the service would."""

    async def refuse() -> None:
        raise error

    app.add_api_route("/refuse", refuse, methods=["GET"])
    return app


async def _get(app: FastAPI, path: str, method: str = "GET", **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        return await http.request(method, path, headers=headers)


def _refusal_schema(app: FastAPI) -> dict[str, Any]:
    document = app.openapi()
    return {**document["components"]["schemas"]["Refusal"], "components": document[
        "components"]}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("lang", LANGS)
async def test_an_unknown_address_and_a_method_not_taken_have_a_code_in_the_readers_language(
        service: str, lang: str) -> None:
    app = _app(service)
    missing = await _get(app, "/no-such-address", **{"Accept-Language": f"{lang}-FI, de;q=0.9"})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found", "code": "not_found",
                              "message": REFUSAL_TEXT["not_found"][lang]}
    assert missing.headers["content-language"] == lang
    assert missing.headers["vary"] == "Accept, Accept-Language, Cookie"
    wrong = await _get(app, "/health/live", "DELETE", **{"Accept-Language": lang})
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, HEAD, OPTIONS"
    assert wrong.json()["code"] == "method_not_allowed"
    assert wrong.json()["message"] == REFUSAL_TEXT["method_not_allowed"][lang]
    assert wrong.headers["content-language"] == lang
    for answer in (missing, wrong):
        jsonschema.validate(answer.json(), _refusal_schema(app))


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("lang", LANGS)
async def test_a_browser_gets_the_404_and_405_as_a_page_in_its_language(service: str,
                                                                       lang: str) -> None:
    app = _app(service)
    browser = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
               "Accept-Language": lang}
    for method, path, status in (("GET", "/no-such-address", 404),
                                 ("DELETE", "/health/live", 405)):
        page = await _get(app, path, method, **browser)
        assert page.status_code == status
        assert page.headers["content-type"].startswith("text/html")
        assert f'<html lang="{lang}">' in page.text and '"code"' not in page.text
        if status == 405:
            assert page.headers["allow"] == "GET, HEAD, OPTIONS"


async def test_finnish_unless_the_reader_asks_for_another_language() -> None:
    app = _raising(_app("metrics"), NotFound("no such area"))
    assert (await _get(app, "/refuse")).headers["content-language"] == "fi"
    assert (await _get(app, "/refuse", **{"Accept-Language": "de, en;q=0.5"})).json()[
        "message"] == REFUSAL_TEXT["not_found"]["en"]
    assert (await _get(app, "/refuse?lang=sv", **{"Accept-Language": "en"})).json()[
        "message"] == REFUSAL_TEXT["not_found"]["sv"]
    chosen = await _get(app, "/refuse", Cookie="kohtaamo_lang=en")
    assert chosen.headers["content-language"] == "en"
    # The English `detail` is kept for the clients written against it.
    assert chosen.json()["detail"] == "no such area"


def _booking(code: str) -> Callable[[str], str]:
    from services.booking.labels import ERRORS

    # No conflicts listed: the text says none.
    return lambda lang: ERRORS[code][lang].replace("{conflicts}", "")


def _notifications_staff(code: str) -> Callable[[str], str]:
    from services.notifications.staff import LABELS

    return lambda lang: str(LABELS[lang]["refusals"][code])


def _notifications_reach(code: str) -> Callable[[str], str]:
    from services.notifications.reach_pages import L

    return lambda lang: L[lang][f"err_{code}"]


def _guide(key: str) -> Callable[[str], str]:
    from services.guide.pages import LABELS

    return lambda lang: str(LABELS[lang][key])


def _events_needed(lang: str) -> str:
    from services.events.labels import REFUSALS

    return next(texts for pattern, texts in REFUSALS if pattern == "must not be empty")[lang]


def _shared(code: str) -> Callable[[str], str]:
    return lambda lang: REFUSAL_TEXT[code][lang]


@pytest.mark.parametrize(("service", "error", "status", "code", "said"), [
    ("booking", Invalid("the booking cannot start in the past", "starts_at", code="past"),
     422, "past", _booking("past")),
    ("booking", Conflict("the space is taken", code="taken"), 409, "taken", _booking("taken")),
    ("booking", NotFound("no such venue"), 404, "not_found", _shared("not_found")),
    ("events", Invalid("must not be empty", "title"), 422, "invalid", _events_needed),
    # The organiser's "no such activity" is not said of a vocabulary's term.
    ("events", NotFound("no such term"), 404, "not_found", _shared("not_found")),
    ("notifications", Conflict("boards pull their content", code="board"), 409, "board",
     _notifications_staff("board")),
    ("notifications", Invalid("not an email address", "email", code="email"), 422, "email",
     _notifications_reach("email")),
    # A channel account's rule: in the staff's words, not its English reason.
    ("notifications", Invalid("an email account's base_url is smtp://host:port",
                              "base_url", code="base_url_smtp"), 422, "base_url_smtp",
     _notifications_staff("base_url_smtp")),
    # A role's refusal is said as every service says it, not as the participants page's.
    ("notifications", Forbidden("needs one of the roles: communications", code="forbidden"),
     403, "forbidden", _shared("forbidden")),
    ("notifications", Forbidden("only the organiser sees who registered",
                                code="participants_forbidden"), 403, "participants_forbidden",
     _notifications_reach("participants_forbidden")),
    ("guide", Conflict("an answer was promised", code="answer_promised"), 409,
     "answer_promised", _guide("promised")),
    ("guide", NotFound("no such conversation"), 404, "not_found", _guide("gone")),
    ("metrics", Forbidden("needs the analyst role"), 403, "forbidden", _shared("forbidden")),
    ("metrics", TooManyRequests("slow down", retry_after=30), 429, "too_many_requests",
     _shared("too_many_requests")),
    ("metrics", Conflict("the month is closed", code="month_closed"), 409, "month_closed",
     _shared("conflict")),
])
@pytest.mark.parametrize("lang", LANGS)
async def test_a_refusal_is_said_in_the_services_own_words_else_the_shared_ones(
        service: str, error: DomainError, status: int, code: str,
        said: Callable[[str], str], lang: str) -> None:
    app = _raising(_app(service), error)
    answer = await _get(app, "/refuse", **{"Accept-Language": lang})
    assert answer.status_code == status
    body = answer.json()
    assert body["code"] == code and body["detail"] != body["message"]
    assert body["message"] == said(lang) and "{" not in body["message"]
    assert answer.headers["content-language"] == lang
    if status != 422:
        jsonschema.validate(body, _refusal_schema(app))


@pytest.mark.parametrize("lang", LANGS)
async def test_each_refusal_of_many_is_said_and_all_of_them_together(lang: str) -> None:
    from services.booking.labels import ERRORS

    app = _raising(_app("booking"), Refusals([
        Invalid("the booking cannot start in the past", "starts_at", code="past"),
        Invalid("at most 200 characters", "title")]))
    body = (await _get(app, "/refuse", **{"Accept-Language": lang})).json()
    title = {"fi": "Otsikko", "sv": "Rubrik", "en": "Title"}[lang]
    assert [r["message"] for r in body["refusals"]] == [ERRORS["past"][lang],
                                                         body["refusals"][1]["message"]]
    assert body["refusals"][1]["message"].startswith(f"{title}: ")
    assert body["message"] == " ".join(r["message"] for r in body["refusals"])
    assert body["code"] == "past" and [d["loc"] for d in body["detail"]] == [
        ["body", "starts_at"], ["body", "title"]]


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Alue: anna jokin sallituista arvoista (katso rajapinnan kuvaus)."),
    ("sv", "Område: ange ett av de tillåtna värdena (se API-beskrivningen)."),
    ("en", "Area: give one of the allowed values (see the API description).")])
async def test_an_input_the_schema_refuses_is_named_by_its_label(lang: str, said: str) -> None:
    answer = await _get(_app("events"), "/events?area=Not%20a%20code", **{"Accept-Language": lang})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid" and body["detail"][0]["loc"] == ["query", "area"]
    # An API's client has no page whose options to choose from (the page says that).
    assert body["message"] == said and answer.headers["content-language"] == lang
    # The document says the 422's code and message are there.
    document = _app("events").openapi()
    assert {"code", "message"} <= set(
        document["components"]["schemas"]["HTTPValidationError"]["properties"])


@pytest.mark.parametrize("lang", LANGS)
async def test_the_databases_outage_has_a_code_too(lang: str) -> None:
    app = _raising(_app("guide"), DatabaseOutage(OSError("gone")))
    answer = await _get(app, "/refuse", **{"Accept-Language": lang})
    assert answer.status_code == 503
    assert answer.json()["code"] == "unavailable"
    assert answer.json()["message"] == UNAVAILABLE_TEXT[lang][1]


def test_every_shared_text_is_in_each_language_and_differs_between_them() -> None:
    for code, texts in REFUSAL_TEXT.items():
        assert set(texts) == set(LANGS) and all(texts.values()), code
        assert len(set(texts.values())) == 3, code
        assert not re.search(r"[{}]", "".join(texts.values())), code


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_says_the_language_of_every_json_refusal(service: str) -> None:
    """Each operation's JSON refusal names `Content-Language` (fi, sv or en); a page's is
    the page, whose `lang` says it."""
    unsaid = []
    for path, operations in _app(service).openapi()["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                if status.startswith("4") and "application/json" in answer.get("content", {}):
                    said = answer.get("headers", {}).get("Content-Language", {})
                    if said.get("schema", {}).get("enum") != ["fi", "sv", "en"]:
                        unsaid.append((method, path, status))
    assert not unsaid


async def test_a_services_text_that_does_not_fit_its_details_falls_back_to_the_shared_words(
) -> None:
    def broken(exc: DomainError, lang: str) -> str | None:
        return "{count} varausta".format(**exc.details)  # no `count` given

    app = _raising(_app("booking"), Conflict("too many", code="too_many"))
    app.state.refusal_text = broken
    answer = await _get(app, "/refuse", **{"Accept-Language": "sv"})
    assert answer.status_code == 409
    assert answer.json()["message"] == REFUSAL_TEXT["conflict"]["sv"]


@pytest.mark.parametrize(("service", "rule", "said"), [
    # A rule of a schema's kind, raised where no schema reads the value (a domain check),
    # is said as the schema's is: before, its English reason stood in a Finnish message.
    ("metrics", lambda: _metrics_answer(satisfaction=9),
     {"fi": "anna luku väliltä 1–5", "sv": "ange ett tal mellan 1 och 5",
      "en": "give a number between 1 and 5"}),
    ("metrics", lambda: _metrics_answer(wellbeing="great"),
     {"fi": "valitse jokin näistä: yes, no, unsure",
      "sv": "välj något av dessa: yes, no, unsure",
      "en": "choose one of these: yes, no, unsure"}),
    ("metrics", lambda: importlib.import_module("services.metrics.domain").check_year(1900),
     {"fi": "Vuosi: anna vuosi väliltä 2000–2100", "sv": "År: ange ett år mellan 2000 och 2100",
      "en": "Year: give a year between 2000 and 2100"}),
    ("events", lambda: importlib.import_module("services.events.domain")._check_flag(
        "x", "registration"),
     {"fi": "anna true tai false", "sv": "ange true eller false", "en": "give true or false"}),
])
def test_a_rule_of_a_schemas_kind_is_said_as_the_schemas_words(
        service: str, rule: Callable[[], Any], said: dict[str, str]) -> None:
    from shared.http import refusal_message

    own = importlib.import_module(f"services.{service}.app").spec.refusal_text
    with pytest.raises(Invalid) as refused:
        rule()
    for lang, words in said.items():
        message = refusal_message(refused.value, lang, own)
        assert words in message and "(" not in message, (lang, message)


def test_a_rule_of_no_schemas_kind_keeps_its_english_reason() -> None:
    from shared.http import refusal_message

    refused = Invalid("each occurrence on its own day", field="starts_at", code="own_rule")
    assert refusal_message(refused, "sv") == (
        "Börjar: kontrollera detta (each occurrence on its own day).")


def _metrics_answer(**changes: Any) -> None:
    from services.metrics import domain

    values: dict[str, Any] = {"event_id": None, "satisfaction": 4, "wellbeing": "yes",
                              "browser_token": "t"}
    domain.check_answer(domain.FeedbackAnswer(**{**values, **changes}))


@pytest.mark.parametrize(("service", "path"), [
    ("metrics", "/feedback/00000000-0000-4000-8000-000000000001"),
    ("guide", "/staff/conversations/00000000-0000-4000-8000-000000000001/reply"),
])
async def test_a_documented_form_is_refused_as_a_page_to_a_program_too(
        service: str, path: str) -> None:
    # Its document lists only pages: a form with bytes that are no UTF-8, posted without
    # `Accept: text/html`, was answered JSON.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(service)),
                                 base_url="http://kohtaamo.internal") as http:
        refused = await http.post(path, content=b"comment=%FF&text=%FF", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "sv"})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("text/html"), refused.text
    assert '<html lang="sv"' in refused.text
    # The route's own way on (back to the inbox, not the widget), and what the input takes.
    way_on = "/calendar?lang=sv" if service == "metrics" else "/staff/inbox?lang=sv"
    assert f'href="{way_on}"' in refused.text or way_on in refused.text, refused.text
    assert "skriv vanlig text" in refused.text, refused.text
    responses = _app(service).openapi()["paths"][path.replace(
        "00000000-0000-4000-8000-000000000001",
        "{event_id}" if service == "metrics" else "{conversation_id}")]["post"]["responses"]
    assert list(responses["422"]["content"]) == ["text/html"]
