"""A resident's sign-up with control or text-direction characters: an answer to the
organiser's question took a BEL, an escape, U+2066 or a line break as typed, onto the
organiser's participants list, its CSV and the mails; a name was refused (`name_chars`) but
given back with them, nobody seeing where they were. Now an answer is refused too
(`answer_chars`, by its input, fi/sv/en), and the name and answers come back without them,
words kept apart, to be checked and sent again; nothing stored or mailed."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications import domain
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published
from services.notifications.tests.test_registration_settings_page import (
    _signed_in as settings_signed_in,
)
from services.notifications.tests.test_signup_form import ORIGIN, field_tie, post
from services.notifications.tests.test_signup_refusals import served, stored, with_question
from shared.bounds import without_hidden
from shared.errors import Refusals
from tests.axe import passes_at_every_width
from tests.infra import focused_id, launch_chromium

fake = test_delivery.fake
setup = test_delivery.setup

LANGS = ("fi", "sv", "en")
#: What a tester typed: a BEL, an escape's colour and a right-to-left override.
HIDDEN = ["\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ufffe", "\n", "\r", "\t"]

NAME_GIVEN_BACK = {
    "fi": "Nimessä oli rivinvaihtoja, ohjausmerkkejä tai tekstin suuntaa kääntäviä merkkejä, "
          "joita ei voi käyttää. Ne on poistettu kentästä: tarkista nimi ja lähetä lomake "
          "uudelleen.",
    "sv": "Namnet hade radbrytningar, styrtecken eller tecken som vänder textens riktning, "
          "och de kan inte användas. De har tagits bort ur fältet: kontrollera namnet och "
          "skicka formuläret igen.",
    "en": "The name had line breaks, control or text-direction characters, which cannot be "
          "used. They were taken out of the field: check the name and send the form again."}
ANSWER_GIVEN_BACK = {
    "fi": "Vastauksessa oli rivinvaihtoja, ohjausmerkkejä tai tekstin suuntaa kääntäviä "
          "merkkejä, joita ei voi käyttää. Ne on poistettu kentästä: tarkista vastaus ja "
          "lähetä lomake uudelleen.",
    "sv": "Svaret hade radbrytningar, styrtecken eller tecken som vänder textens riktning, "
          "och de kan inte användas. De har tagits bort ur fältet: kontrollera svaret och "
          "skicka formuläret igen.",
    "en": "The answer had line breaks, control or text-direction characters, which cannot be "
          "used. They were taken out of the field: check the answer and send the form again."}
QUESTION_ONE_LINE = {"fi": "Kirjoita kysymys yhdelle riville ilman ohjausmerkkejä.",
                     "sv": "Skriv frågan på en rad utan styrtecken.",
                     "en": "Write the question on one line, without control characters."}
#: A resident's sign-up as a tester typed it, and what the form gives back of it.
TYPED_NAME = "Aino \u202eKoskinen\x07"
NAME_BACK = "Aino Koskinen"
TYPED_ANSWER = "pähkinä\x1b[31m\u2066 ja\tmaito"
ANSWER_BACK = "pähkinä[31m ja maito"


# --- the rules, pure ------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("char", HIDDEN)
def test_an_answer_with_a_hidden_character_or_a_line_break_is_refused(char: str) -> None:
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    rules = domain.RegistrationRules(
        registration_required=True, status="published", capacity=5, max_group=3,
        opens_at=None, closes_at=None, starts_at=now + timedelta(days=3),
        questions=({"id": "a", "text": {"fi": "A"}, "required": True},
                   {"id": "b", "text": {"fi": "B"}}))
    with pytest.raises(Refusals) as refused:
        domain.check_signup(rules, now, 1, {"a": f"ei{char}kiitos", "b": f"x{char}y"})
    assert [(e.field, e.details["code"]) for e in refused.value.each] == [
        ("q_a", "answer_chars"), ("q_b", "answer_chars")]
    assert domain.check_signup(rules, now, 1, {"a": " pähkinä – ei 🥜 ", "b": ""}) == {
        "a": "pähkinä – ei 🥜"}


@pytest.mark.unit
def test_a_one_line_text_is_given_back_with_its_words_apart() -> None:
    assert without_hidden(TYPED_NAME, lines=False) == NAME_BACK
    assert without_hidden(TYPED_ANSWER, lines=False) == ANSWER_BACK
    assert without_hidden("Aino\r\nSoita\n\n040", lines=False) == "Aino Soita 040"
    # A notice's text keeps its lines, as before.
    assert without_hidden("a\r\nb\x07") == "a\nb"

# --- the sign-up form -----------------------------------------------------------------------

def _value(page: str, name: str) -> str:
    tag, _ = field_tie(page, name)
    value = re.search(r'value="([^"]*)"', tag)
    assert value is not None, tag
    return html.unescape(value[1])


@pytest.mark.infra
async def test_the_sign_up_refuses_them_and_gives_the_name_and_answer_back_without(
        setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await with_question(setup, event.event_id)
    for lang in LANGS:
        refused = await post(setup, event.event_id, lang, name=TYPED_NAME,
                             email=f"aino.{lang}@example.fi", q_allergies=TYPED_ANSWER)
        assert refused.status_code == 422, refused.text
        page = refused.text
        assert f'<html lang="{lang}"' in page
        assert field_tie(page, "name")[1] == NAME_GIVEN_BACK[lang]
        assert html.unescape(field_tie(page, "q_allergies")[1]) == ANSWER_GIVEN_BACK[lang]
        assert (_value(page, "name"), _value(page, "q_allergies")) == (NAME_BACK, ANSWER_BACK)
        # The address as typed, not refused.
        assert f'value="aino.{lang}@example.fi"' in page
    # A line break in an answer, tampered in (the input has one line), alike.
    broken = await post(setup, event.event_id, "fi", name="Aino", email="b@example.fi",
                        q_allergies="ei\nSoita numeroon 040 000 0000")
    assert broken.status_code == 422
    assert _value(broken.text, "q_allergies") == "ei Soita numeroon 040 000 0000"
    assert await stored(setup, event.event_id) == []
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose LIKE 'registration%'") == 0
    # What was given back goes in as it reads.
    taken = await post(setup, event.event_id, "en", name=NAME_BACK, email="aino@example.fi",
                       q_allergies=ANSWER_BACK)
    assert taken.status_code == 303, taken.text
    [row] = await stored(setup, event.event_id)
    assert (row["name"], row["answers"]) == (NAME_BACK, {"allergies": ANSWER_BACK})


@pytest.mark.infra
async def test_the_refused_sign_up_reads_well_in_chromium(setup: Setup,
                                                          chromium_path: str) -> None:
    event = await published(setup, capacity=5)
    await with_question(setup, event.event_id)
    pages: dict[str, tuple[str, str]] = {}
    for lang in LANGS:
        pages[f"both-{lang}"] = ("refusals", (await post(
            setup, event.event_id, lang, name=TYPED_NAME, email="a@example.fi",
            q_allergies=TYPED_ANSWER)).text)
        pages[f"answer-{lang}"] = ("q_allergies", (await post(
            setup, event.event_id, lang, name="Aino", email="a@example.fi",
            q_allergies=TYPED_ANSWER)).text)
    async with launch_chromium(chromium_path) as browser:
        for key, (focus, text) in pages.items():
            lang = key.rsplit("-", 1)[1]
            page = await browser.new_page()
            await page.route(f"{ORIGIN}/**", served(text))
            await page.goto(f"{ORIGIN}/registrations/{event.event_id}")
            assert await focused_id(page) == focus, key
            values = await page.evaluate("""() => [document.getElementById("name").value,
                document.getElementById("q_allergies").value]""")
            assert values == [NAME_BACK if key.startswith("both") else "Aino", ANSWER_BACK]
            described = await page.evaluate("""() => document.getElementById("q_allergies")
                .getAttribute("aria-describedby").split(" ")
                .map(id => document.getElementById(id).textContent).join(" | ")""")
            assert described.startswith(ANSWER_GIVEN_BACK[lang]), (key, described)
            await passes_at_every_width(page, key)
            await page.close()


@pytest.mark.infra
@pytest.mark.parametrize("lang", LANGS)
async def test_the_organisers_question_refused_for_them_comes_back_without(
        setup: Setup, lang: str) -> None:
    """The questions' rule stands (`question_chars`); the settings form gave the text
    back with the characters, nobody seeing where they were."""
    event = await published(setup, capacity=20)
    csrf = await settings_signed_in(setup, event.event_id, lang)
    refused = await setup.client.post(
        f"/registrations/{event.event_id}/settings?lang={lang}", data={
            "csrf": csrf, "max_group": "4", "q0_id": "", "q0_fi": "Ruokavalio",
            "q0_sv": "Kost\u202e\x07 och\nallergier", "q0_en": "Diet"})
    assert refused.status_code == 422, refused.text
    page = refused.text
    assert field_tie(page, "q0_sv")[1] == QUESTION_ONE_LINE[lang]
    assert (_value(page, "q0_sv"), re.search(r'name="q0_fi"[^>]*value="Ruokavalio"', page)
            is not None) == ("Kost och allergier", True)
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM registration_settings WHERE activity_event_id = $1",
        event.event_id) == 0
