"""A tester's sign-up defects: a name of nothing to read (zero-width spaces, a lone direction
mark) is refused as an empty one; a name, address or answer too long is refused saying its
limit, never cut and stored; every refusal of the form is said at once, each by its input,
with a summary above the form taking focus when there are several; and the participants'
sign-in keeps the list's language, there and back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest

from services.notifications import domain
from services.notifications.app import spec
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published
from services.notifications.tests.test_signup_form import ORIGIN, field_tie, post
from shared import l10n
from shared.errors import Conflict, Invalid, Refusals
from tests.axe import serious_violations
from tests.infra import bearer, focused_id, launch_chromium

fake = test_delivery.fake
setup = test_delivery.setup

GIVE_NAME = {"fi": "Anna nimesi.", "sv": "Ange ditt namn.", "en": "Give your name."}
NAME_AT_MOST = {"fi": "Nimessä voi olla enintään 200 merkkiä.",
                "sv": "Namnet får vara högst 200 tecken.",
                "en": "A name can be at most 200 characters."}
#: An address of 254 characters, the most one may have.
LONGEST_EMAIL = "b" * 64 + "@" + "c" * 63 + "." + "c" * 63 + "." + "c" * 58 + ".fi"
SUMMARY = {"fi": "Tarkista merkityt kohdat", "sv": "Kontrollera de markerade punkterna",
           "en": "Please check the marked fields"}


async def stored(setup: Setup, event_id: UUID) -> list[dict[str, Any]]:
    rows = await setup.pool.fetch(
        "SELECT name, email, answers FROM registrations WHERE activity_event_id = $1",
        event_id)
    return [dict(r) for r in rows]


async def with_question(setup: Setup, event_id: UUID, *, max_group: int = 3) -> None:
    answer = await setup.client.put(
        f"/registrations/{event_id}/settings", headers=bearer("admin"),
        json={"max_group": max_group, "questions": [
            {"id": "allergies", "text": {"fi": "Allergiat", "sv": "Allergier",
                                         "en": "Allergies"}, "required": True}]})
    assert answer.status_code == 200, answer.text


# --- the rules, pure ------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("name", ["", "   ", "\u200b\u200b", " \u200b ", "\u200e", "\u202e",
                                  "\u2060\ufeff", "\x07\x1b"])
def test_a_name_with_nothing_to_read_is_no_name(name: str) -> None:
    with pytest.raises(Invalid) as refused:
        domain.check_registrant_name(name)
    assert (refused.value.field, refused.value.details["code"]) == ("name", "name")


@pytest.mark.unit
def test_a_name_is_kept_trimmed_and_whole_up_to_its_limit() -> None:
    assert domain.check_registrant_name("  Aino \u200bKoskinen ") == "Aino \u200bKoskinen"
    assert domain.check_registrant_name("x" * 200) == "x" * 200
    with pytest.raises(Invalid) as refused:
        domain.check_registrant_name("x" * 201)
    assert refused.value.details["code"] == "name_long" and refused.value.details["high"] == 200
    with pytest.raises(Invalid) as too_long:
        domain.checked_email("a" * 250 + "@example.fi")
    assert too_long.value.details["code"] == "email_long"


@pytest.mark.unit
@pytest.mark.parametrize("name", [
    "Line1\nPlease call +358 40 000 0000 to confirm your place", "Aino\r\nKoskinen",
    "Aino \x1b[31mKoskinen", "Aino \u202eKoskinen", "Aino\tKoskinen", "Aino\x7f"])
def test_a_name_is_one_line_without_control_characters(name: str) -> None:
    """It greets them in the city's mail and names them on the organiser's list: a second
    line would say what the city never said there, an escape or direction character hide
    what it says."""
    with pytest.raises(Invalid) as refused:
        domain.check_registrant_name(name)
    assert (refused.value.field, refused.value.details["code"]) == ("name", "name_chars")


@pytest.mark.unit
@pytest.mark.parametrize("address", [
    "pekka.mäkinen@example.fi", "a\x7fb@example.fi", "a\u200bb@example.fi",
    "a\u202eb@example.fi", ".a..b.@example.fi", "(x)@example.fi", "aino@", "aino@example"])
def test_an_address_mail_cannot_reach_is_refused_where_it_is_typed(address: str) -> None:
    """By the rule every service reads an address by (`shared.email_address`): the public
    forms took these, said "check your mail", and the mail then failed."""
    with pytest.raises(Invalid) as refused:
        domain.checked_email(address)
    assert (refused.value.field, refused.value.details["code"]) == ("email", "email")


@pytest.mark.unit
def test_an_internationalised_domain_is_an_address_as_booking_takes_it() -> None:
    assert domain.checked_email(" Aino@ÄÄKKÖNEN.fi ") == "Aino@ääkkönen.fi"


@pytest.mark.unit
def test_every_field_refused_at_once_after_a_closed_sign_up() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    rules = domain.RegistrationRules(
        registration_required=True, status="published", capacity=5, max_group=3,
        opens_at=None, closes_at=None, starts_at=now + timedelta(days=3),
        questions=({"id": "a", "text": {"fi": "A"}, "required": True},
                   {"id": "b", "text": {"fi": "B"}}))
    named = Invalid("give your name", field="name", code="name")
    with pytest.raises(Refusals) as refused:
        domain.check_signup(rules, now, 0, {"a": "\u200b", "b": "x" * 1001}, [named])
    assert [(e.field, e.details["code"]) for e in refused.value.each] == [
        ("name", "name"), ("seats", "seats"), ("q_a", "answer"), ("q_b", "answer_long")]
    assert domain.check_signup(rules, now, 1, {"a": "kyllä", "b": "y" * 1000}) == {
        "a": "kyllä", "b": "y" * 1000}
    closed = replace(rules, starts_at=now)
    with pytest.raises(Conflict):  # closed: the form is not there to fix
        domain.check_signup(closed, now, 0, {}, [named])


# --- the page form --------------------------------------------------------------------------

@pytest.mark.infra
async def test_a_name_of_nothing_to_read_is_refused_as_an_empty_one(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    for lang in ("fi", "sv", "en"):
        for name in ("\u200b\u200b", "\u200e", "\u202e", " \u2060 ", "\x07"):
            refused = await post(setup, event.event_id, lang, name=name,
                                 email=f"aino.{lang}@example.fi")
            assert refused.status_code == 422, (lang, repr(name), refused.status_code)
            _, message = field_tie(refused.text, "name")
            assert message == GIVE_NAME[lang], (lang, repr(name), message)
    # A second line is refused, and the name given back on one line (test_label_and_answer_
    # chars says the rest of it).
    one_line = {"fi": "Nimessä oli rivinvaihtoja", "sv": "Namnet hade radbrytningar",
                "en": "The name had line breaks"}
    for lang in ("fi", "sv", "en"):
        refused = await post(setup, event.event_id, lang, email=f"b.{lang}@example.fi",
                             name="Aino\nSoita numeroon 040 000 0000 vahvistaaksesi")
        assert refused.status_code == 422, refused.text
        tag, message = field_tie(refused.text, "name")
        assert message.startswith(one_line[lang]), message
        assert 'value="Aino Soita numeroon 040 000 0000 vahvistaaksesi"' in tag, tag
    assert await stored(setup, event.event_id) == []
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose LIKE 'registration%'") == 0
    # A name with something to read beside a zero-width space is a name.
    taken = await post(setup, event.event_id, "fi", name="\u200bAino", email="a@example.fi")
    assert taken.status_code == 303, taken.text


@pytest.mark.infra
async def test_too_long_is_refused_saying_the_limit_and_nothing_is_stored(
        setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await with_question(setup, event.event_id)
    for lang in ("fi", "sv", "en"):
        long_name = await post(setup, event.event_id, lang, name="N" * 5000,
                               email="a@example.fi", q_allergies="ei")
        assert long_name.status_code == 422, long_name.status_code
        _, message = field_tie(long_name.text, "name")
        assert message == NAME_AT_MOST[lang], message
        long_email = await post(setup, event.event_id, lang, name="Aino",
                                email="a" * 300 + "@example.fi", q_allergies="ei")
        assert long_email.status_code == 422
        _, message = field_tie(long_email.text, "email")
        assert "254" in message, message
        long_answer = await post(setup, event.event_id, lang, name="Aino",
                                 email="a@example.fi", q_allergies="p" * 1001)
        assert long_answer.status_code == 422
        _, message = field_tie(long_answer.text, "q_allergies")
        # The limit as the language writes numbers (1 000, 1,000), as the other messages.
        assert l10n.number(1000, lang) in message and "1000" not in message, message
    assert await stored(setup, event.event_id) == []
    # At the limits, kept whole.
    whole = await post(setup, event.event_id, "en", name="N" * 200,
                       email=LONGEST_EMAIL, q_allergies="p" * 1000)
    assert whole.status_code == 303, whole.text
    (row,) = await stored(setup, event.event_id)
    assert (len(row["name"]), len(row["email"])) == (200, 254)
    assert row["answers"] == {"allergies": "p" * 1000}


@pytest.mark.infra
async def test_every_refusal_is_said_at_once_by_its_input(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await with_question(setup, event.event_id)
    expected = {"fi": ["Anna nimesi.", "Anna sähköpostiosoite", "Osallistujia voi olla 1–3.",
                       "Vastaa pakollisiin"],
                "sv": ["Ange ditt namn.", "Ange en e-postadress", "Antalet deltagare är 1–3.",
                       "Svara på de obligatoriska"],
                "en": ["Give your name.", "Give an email address", "A sign-up is for 1 to 3",
                       "Answer the required"]}
    inputs = ["name", "email", "seats", "q_allergies"]
    for lang, words in expected.items():
        refused = await post(setup, event.event_id, lang, name="", email="not-an-email",
                             seats="0", q_allergies="")
        assert refused.status_code == 422
        page = refused.text
        for field, said in zip(inputs, words, strict=True):
            tag, message = field_tie(page, field)
            assert message.startswith(said), (lang, field, message)
            assert "autofocus" not in tag  # the summary takes focus
        assert page.count('aria-invalid="true"') == 4
        # The summary above the form, in its language, leads to each input in the form's
        # order, and takes focus.
        summary = re.search(r'<div class="msg error summary" id="refusals" tabindex="-1"'
                            r' autofocus>(.*?)</div>', page, re.S)
        assert summary, page
        assert SUMMARY[lang] in summary.group(1)
        assert re.findall(r'<a href="#([a-z_]+)">', summary.group(1)) == inputs
        assert page.index('id="refusals"') < page.index("<form")
        # The form as typed.
        assert 'value="not-an-email"' in page and re.search(r'name="seats"[^>]*value="0"', page)
    # One refusal: no summary, its input takes focus.
    one = await post(setup, event.event_id, "sv", name="Aino", email="not-an-email",
                     q_allergies="nej")
    tag, _ = field_tie(one.text, "email")
    assert "autofocus" in tag and 'id="refusals"' not in one.text
    assert one.text.count("autofocus") == 1
    assert await stored(setup, event.event_id) == []


@pytest.mark.infra
async def test_the_summary_names_each_input_by_its_label(setup: Setup) -> None:
    """A tester's summary said "Antalet deltagare är 1–6." naming no input, and two required
    questions left unanswered alike: each item now starts with its input's label, an answer
    with its question's own text in the page's language, so no two read the same."""
    event = await published(setup, capacity=5)
    answer = await setup.client.put(
        f"/registrations/{event.event_id}/settings", headers=bearer("admin"),
        json={"max_group": 3, "questions": [
            {"id": "allergies", "text": {"fi": "Allergiat", "sv": "Allergier",
                                         "en": "Allergies"}, "required": True},
            {"id": "ride", "text": {"fi": "Tarvitsetko kyydin?", "sv": "Behöver du skjuts?",
                                    "en": "Do you need a ride?"}, "required": True}]})
    assert answer.status_code == 200, answer.text
    expected = {
        "fi": ["Osallistujia: Osallistujia voi olla 1–3.",
               "Allergiat: Vastaa pakollisiin kysymyksiin (*).",
               "Tarvitsetko kyydin?: Vastaa pakollisiin kysymyksiin (*)."],
        "sv": ["Deltagare: Antalet deltagare är 1–3.",
               "Allergier: Svara på de obligatoriska frågorna (*).",
               "Behöver du skjuts?: Svara på de obligatoriska frågorna (*)."],
        "en": ["People: A sign-up is for 1 to 3 people.",
               "Allergies: Answer the required questions (*).",
               "Do you need a ride?: Answer the required questions (*)."]}
    for lang, said in expected.items():
        refused = await post(setup, event.event_id, lang, name="Aino", email="a@example.fi",
                             seats="9", q_allergies="", q_ride="")
        assert refused.status_code == 422
        summary = re.search(r'id="refusals"[^>]*>(.*?)</div>', refused.text, re.S)
        assert summary, refused.text
        items = [(href, unescape(text)) for href, text in re.findall(
            r'<a href="#([a-z_]+)">(.*?)</a>', summary.group(1))]
        assert [href for href, _ in items] == ["seats", "q_allergies", "q_ride"]
        texts = [text for _, text in items]
        assert len(set(texts)) == 3, texts
        for text, start in zip(texts, said, strict=True):
            assert text.startswith(start), (lang, text)
    # One refusal, said above the form alone, names its input too.
    one = await post(setup, event.event_id, "sv", name="Aino", email="a@example.fi",
                     q_allergies="nej", q_ride="")
    assert '<a href="#q_ride">Behöver du skjuts?: Svara på' in one.text
    assert await stored(setup, event.event_id) == []


@pytest.mark.infra
async def test_a_question_in_another_language_is_marked_so_in_the_summary(
        setup: Setup) -> None:
    """A question written in Finnish alone is shown on the Swedish page as it is written; its
    summary item named it in plain text, which a screen reader read with a Swedish voice:
    the question is marked with its language there as by its input (WCAG 3.1.2), and the
    refusal's own words, the page's, are not."""
    event = await published(setup, capacity=5)
    answer = await setup.client.put(
        f"/registrations/{event.event_id}/settings", headers=bearer("admin"),
        json={"max_group": 3, "questions": [
            {"id": "diet", "text": {"fi": "Ruoka & <juoma>"}, "required": True}]})
    assert answer.status_code == 200, answer.text
    refused = await post(setup, event.event_id, "sv", name="Aino", email="a@example.fi",
                         seats="9", q_diet="")
    assert refused.status_code == 422
    summary = re.search(r'id="refusals"[^>]*>(.*?)</div>', refused.text, re.S)
    assert summary, refused.text
    assert ('<li><a href="#q_diet"><span lang="fi">Ruoka &amp; &lt;juoma&gt;</span>: '
            'Svara på de obligatoriska frågorna (*).</a></li>') in summary.group(1)
    assert '<li><a href="#seats">Deltagare: Antalet deltagare är 1–3.</a></li>' in summary.group(1)
    # One refusal alone, above the form: marked the same.
    one = await post(setup, event.event_id, "sv", name="Aino", email="a@example.fi",
                     q_diet="")
    assert ('<a href="#q_diet"><span lang="fi">Ruoka &amp; &lt;juoma&gt;</span>: Svara på'
            in one.text), one.text
    # On the Finnish page it is in the page's language: nothing to mark.
    finnish = await post(setup, event.event_id, "fi", name="Aino", email="a@example.fi",
                         seats="9", q_diet="")
    assert ('<a href="#q_diet">Ruoka &amp; &lt;juoma&gt;: Vastaa pakollisiin kysymyksiin (*).'
            '</a>') in finnish.text
    assert await stored(setup, event.event_id) == []


def served(html: str) -> Any:
    async def serve(route: Any) -> None:
        await route.fulfill(status=200, body=html,
                            headers={"content-type": "text/html; charset=utf-8"})
    return serve


@pytest.mark.infra
async def test_the_refusals_read_well_in_chromium(setup: Setup, chromium_path: str) -> None:
    event = await published(setup, capacity=5)
    await with_question(setup, event.event_id)
    pages: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        pages[f"several-{lang}"] = (await post(
            setup, event.event_id, lang, name="\u200b", email="not-an-email", seats="0",
            q_allergies="")).text
    pages["one"] = (await post(setup, event.event_id, "en", name="N" * 300,
                               email="a@example.fi", q_allergies="no")).text
    async with launch_chromium(chromium_path) as browser:
        for key, html in pages.items():
            page = await browser.new_page()

            await page.route(f"{ORIGIN}/**", served(html))
            await page.goto(f"{ORIGIN}/registrations/{event.event_id}")
            focused = await focused_id(page)
            if key == "one":
                assert focused == "name"
                described = await page.evaluate("""() => document.getElementById("name")
                    .getAttribute("aria-describedby").split(" ")
                    .map(id => document.getElementById(id).textContent).join(" | ")""")
                assert described == "A name can be at most 200 characters.", described
            else:
                assert focused == "refusals", (key, focused)
                # Following a link of the summary reaches its input.
                await page.click('#refusals a[href="#seats"]')
                assert await page.evaluate("() => location.hash") == "#seats"
            assert await serious_violations(page) == [], key
            await page.close()


# --- the participants' sign-in ------------------------------------------------------------

@pytest.mark.infra
async def test_the_participants_sign_in_keeps_the_lists_language(start_service) -> None:
    client = await start_service(spec)
    token = bearer("organiser", subject="kerho")["Authorization"].removeprefix("Bearer ")
    listing = f"/registrations/{uuid4()}/participants"
    button = {"fi": "Kirjaudu", "sv": "Logga in", "en": "Sign in"}
    for lang in ("fi", "sv", "en"):
        asked = await client.get(f"{listing}?lang={lang}")
        assert asked.status_code == 303
        where = urlsplit(asked.headers["location"])
        assert where.path == "/registrations/login"
        assert parse_qs(where.query) == {"lang": [lang], "next": [f"{listing}?lang={lang}"]}
        sign_in = await client.get(asked.headers["location"])
        assert sign_in.status_code == 200
        assert f"<html lang='{lang}'>" in sign_in.text and button[lang] in sign_in.text
        action = re.search(r"<form method='post' action='([^']+)'>", sign_in.text)
        assert action is not None
        signed_in = await client.post(action.group(1).replace("&amp;", "&"),
                                      data={"token": token})
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == f"{listing}?lang={lang}"
        client.cookies.clear()


@pytest.mark.infra
async def test_the_follow_form_refuses_an_address_too_long_rather_than_cut_it(
        setup: Setup) -> None:
    """Cut to 254 characters, one character more was a working address: someone else's."""
    said = {"fi": "Sähköpostiosoitteessa voi olla enintään 254 merkkiä.",
            "sv": "E-postadressen får vara högst 254 tecken.",
            "en": "An email address can be at most 254 characters."}
    for lang, words in said.items():
        refused = await setup.client.post(f"/follow?lang={lang}", data={
            "email": LONGEST_EMAIL + "i", "areas": "kuopio.nilsia", "language": lang})
        assert refused.status_code == 422, refused.status_code
        assert words in refused.text
    assert await setup.pool.fetchval("SELECT count(*) FROM subscriptions") == 0
