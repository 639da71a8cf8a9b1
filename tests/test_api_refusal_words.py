"""An API's refusal says what to fix in words a client's author can act on (`message`, in
fi/sv/en beside the English `detail`): an input not given is to be filled in (a missing
`space_id` is no wrong id), an input no label names is named as the client sent it, dates
and times are given as the API takes them (ISO 8601), a body that is no JSON object is told
to be one, and a rule the service has no words for keeps its reason. Pages keep their own
words (`tests/test_refusal_texts.py`).

The services are not started: nothing here reaches a database."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from shared.errors import Invalid, Refusals
from shared.http import REFUSAL_TEXT, Refused, refusal_message
from shared.pages import refusal_text
from tests.apps import unstarted_app
from tests.infra import bearer

pytestmark = pytest.mark.unit

LANGS = ("fi", "sv", "en")
SPACE = "86deb337-af62-5d91-8144-387cf92d21d9"
JSON_OBJECT = {"fi": "Pyynnön sisältö: lähetä JSON-olio (Content-Type: application/json).",
               "sv": "Begärans innehåll: skicka ett JSON-objekt (Content-Type: "
                     "application/json).",
               "en": "The request's body: send a JSON object (Content-Type: "
                     "application/json)."}


def _booking() -> FastAPI:

    app = unstarted_app("booking")  # not started: no I/O
    return app


async def _ask(app: FastAPI, method: str, path: str, lang: str,
               **kwargs: object) -> httpx.Response:
    headers = {**bearer("organiser"), "Accept-Language": lang,
               **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        return await http.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "`accept_house_rules`: fill this in; Ends: fill this in; Space: fill this in; "
           "Starts: fill this in; Title: fill this in."),
    ("fi", "`accept_house_rules`: täytä tämä kohta; Päättyy: täytä tämä kohta; "
           "Tila: täytä tämä kohta; Alkaa: täytä tämä kohta; Otsikko: täytä tämä kohta."),
])
async def test_inputs_not_given_are_to_be_filled_in_and_an_unlabelled_one_is_named(
        lang: str, said: str) -> None:
    answer = await _ask(_booking(), "POST", "/bookings", lang, json={})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid" and body["message"] == said
    assert "UUID" not in said  # nothing was given to be a wrong id


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Day: give the date as 2026-12-06; `days`: give a number between 1 and 14."),
    ("sv", "Dag: ange dagen som 2026-12-06; `days`: ange ett tal mellan 1 och 14."),
    ("fi", "Päivä: anna päivä muodossa 2026-12-06; `days`: anna luku väliltä 1–14."),
])
async def test_a_query_names_its_parameter_and_gives_a_date_as_the_api_takes_it(
        lang: str, said: str) -> None:
    answer = await _ask(_booking(), "GET", f"/spaces/{SPACE}/free-slots?days=0&day=31/12/2026",
                        lang)
    assert answer.status_code == 422
    assert answer.json()["message"] == said
    assert "A part of" not in said and "31/12/2026" not in said


def test_a_moment_and_a_yes_or_no_are_said_as_the_api_takes_them() -> None:
    starts = Refused("starts_at", "datetime_from_date_parsing", {})
    assert refusal_text(starts, "en", on_page=False) == (
        "Starts: give a date and time with its offset in the years 2000–2100, "
        "e.g. 2026-12-31T18:00:00+02:00")
    assert refusal_text(Refused("accept_house_rules", "bool_parsing"), "sv", on_page=False) == (
        "`accept_house_rules`: ange true eller false")
    # A page keeps its own words: its date picker's format, its option to choose.
    assert refusal_text(starts, "en").endswith("e.g. 31/12/2026 at 18:00")
    assert refusal_text(Refused("space_id", "missing"), "en") == (
        "Space: the id is wrong: use the link on the page")


@pytest.mark.parametrize(("content", "content_type"), [
    (b'{"title":', "application/json"),  # not JSON
    (b"[1, 2]", "application/json"),  # JSON, but no object
    (b"null", "application/json"),
    (b"", "application/json"),  # no body at all
    (b"[1]", "application/merge-patch+json"),  # a JSON type too, read as JSON
    (b"", "text/plain"),  # nothing sent: missing, whatever its type
])
@pytest.mark.parametrize("lang", LANGS)
async def test_a_body_that_is_no_json_object_is_told_to_be_one(
        content: bytes, content_type: str, lang: str) -> None:
    answer = await _ask(_booking(), "POST", "/bookings", lang, content=content,
                        headers={"Content-Type": content_type})
    assert answer.status_code == 422
    assert answer.json()["message"] == JSON_OBJECT[lang], answer.json()


@pytest.mark.parametrize(("content", "content_type"), [
    (b"title=x", "application/x-www-form-urlencoded"),
    (b"title", "text/plain; charset=utf-8"),
    (b"--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--b--\r\n",
     "multipart/form-data; boundary=b"),
    (b"<title>x</title>", "Application/XML"),
    (b'{"title": "x"}', "text/json"),  # JSON, but named as no JSON type FastAPI reads
])
@pytest.mark.parametrize("lang", LANGS)
async def test_a_json_body_sent_as_another_media_type_is_a_415_naming_json(
        content: bytes, content_type: str, lang: str) -> None:
    """RFC 9110 §15.5.16: the content is in a format the address does not take. The client
    is told which one it takes, in the reader's language; nothing of the body is judged."""
    answer = await _ask(_booking(), "POST", "/bookings", lang, content=content,
                        headers={"Content-Type": content_type})
    assert answer.status_code == 415, answer.text
    body = answer.json()
    assert body["code"] == "unsupported_media_type"
    assert body["accepted"] == ["application/json"]
    assert content_type.split(";")[0].lower() in body["detail"]
    assert "application/json" in body["message"] and answer.headers["content-language"] == lang
    assert body["message"] == REFUSAL_TEXT["unsupported_media_type"][lang]


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "`contact_email`: tarkista tämä kohta (the address is kept only with your "
           "consent)."),
    ("sv", "`contact_email`: kontrollera detta (the address is kept only with your consent)."),
    ("en", "`contact_email`: the address is kept only with your consent."),
])
def test_a_rule_with_no_words_of_its_own_keeps_its_reason(lang: str, said: str) -> None:
    refused = Invalid("the address is kept only with your consent", "contact_email")
    assert refusal_message(refused, lang) == said
    # A nested input no label names: by its whole name.
    nested = Invalid("needs an email address", "borrower.email")
    assert refusal_message(nested, "en") == "`borrower.email`: needs an email address."
    # A labelled one by its label.
    assert refusal_message(Invalid("ends before it starts.", "ends_at"), "en") == (
        "Ends: ends before it starts.")


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Pyynnössä on tieto, jota ei voi ottaa vastaan: tarkista se. "
           "(start must be before end)."),
    ("en", "Start must be before end."),
])
def test_a_rule_of_no_input_keeps_its_reason_too(lang: str, said: str) -> None:
    assert refusal_message(Invalid("start must be before end"), lang) == said


@pytest.mark.parametrize("lang", LANGS)
async def test_an_api_refusal_of_a_rule_says_its_reason_in_the_readers_language(
        lang: str) -> None:
    app = _booking()

    async def refuse() -> None:
        raise Refusals([Invalid("closes_at is before opens_at", "closes_at"),
                        Invalid("question ids repeat: q1", "questions")])

    app.add_api_route("/refuse", refuse, methods=["GET"])
    body = (await _ask(app, "GET", "/refuse", lang)).json()
    assert body["code"] == "invalid"
    assert [r["message"] for r in body["refusals"]] == [
        refusal_message(Invalid("closes_at is before opens_at", "closes_at"), lang),
        refusal_message(Invalid("question ids repeat: q1", "questions"), lang)]
    assert "closes_at is before opens_at" in body["message"]
    assert "question ids repeat: q1" in body["message"]
    if lang == "en":
        assert "check this" not in body["message"]


async def test_a_key_the_body_may_not_have_is_named_cut_and_told_to_be_left_out() -> None:
    app = unstarted_app("events")
    long = "k" * 5000
    answer = await _ask(app, "POST", "/events", "en", content=(
        '{"name": {"fi": "x"}, "starts_at": "2027-01-01T10:00:00+02:00", '
        f'"ends_at": "2027-01-01T11:00:00+02:00", "{long}": 1, "colour": 2}}').encode(),
        headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert "`colour`: not taken here: leave it out" in message
    assert f"`{'k' * 60}…`: not taken here: leave it out" in message and long not in message


def test_a_code_is_named_by_what_it_codes() -> None:
    """"code" is a vocabulary term's code (events), never a feedback code: the short link's
    code and an area's code in an address have names of their own."""
    too_long = {"max_length": 40}
    assert refusal_text(Refused("code", "string_too_long", too_long), "fi").startswith(
        "Koodi:")
    assert refusal_text(Refused("feedback_code", "string_too_long", too_long),
                        "fi").startswith("Palautekoodi:")
    assert refusal_text(Refused("area", "string_pattern_mismatch", {}), "sv").startswith(
        "Område:")


def test_a_web_address_of_another_scheme_is_said_to_start_with_https() -> None:
    """`javascript:` or `ftp:` for an online meeting's or an image's address: said what to
    give, not only "check this"."""
    for kind in ("url_scheme", "url_parsing"):
        assert refusal_text(Refused("online_url", kind), "fi", on_page=False) == (
            "`online_url`: anna verkko-osoite, joka alkaa https://")
        assert refusal_text(Refused("image_url", kind), "en", on_page=False).endswith(
            ": give a web address starting with https://")


def test_rules_the_tester_read_in_english_inside_finnish_have_their_words() -> None:
    from services.booking.labels import error_text
    from services.events.organiser_pages import refusal

    period = Invalid("`end` must be after `start`", field="end")
    assert refusal(period, "fi") == "Haun loppu (end) on oltava sen alun (start) jälkeen."
    assert refusal(period, "sv") == \
        "Sökningens slut (end) måste vara efter dess början (start)."
    elsewhere = Invalid("the space is not in this venue", field="space_id",
                        code="space_elsewhere")
    assert error_text(elsewhere, "fi") == \
        "Tila ei ole tämän toimipisteen tila: valitse jokin sen omista tiloista."
    assert "venue" not in error_text(elsewhere, "sv")


def test_an_email_address_refused_says_what_an_address_is() -> None:
    said = refusal_text(Refused("organiser.email", "value_error"), "fi", on_page=False)
    assert said.endswith("anna sähköpostiosoite muodossa nimi@esimerkki.fi (kirjaimet a–z "
                         "ennen @-merkkiä)")
    assert "e-postadress" in refusal_text(Refused("email", "value_error"), "sv",
                                          on_page=False)
