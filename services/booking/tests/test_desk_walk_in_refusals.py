"""The desk's walk-in form says every refusal in one go, in-process (the use cases'
in-memory store): what the form itself tells (title, name, start, length, email) together
with what the use case would refuse (asked without booking), else the use case's rules all
at once; each by its input (aria-invalid, aria-describedby, its text), a summary above the
form linking to each in the form's order, focus on the summary (one refusal: its input),
in fi, sv and en, the form as typed and nothing stored."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from uuid import UUID, uuid4

import pytest

from services.booking.tests.test_desk_forms import VENUE, Desk, Page, desk
from shared.auth import mint_token

__all__ = ["desk"]  # the fixture, used by name

#: The start the world's clock has already passed (its now is 2031-03-04 10:00).
GONE_BY = "2031-03-04T08:00"

#: Blank title, blank name, a start gone by, a mistyped address: every one's text by
#: language, in the order the form shows its inputs.
FOUR = {
    "fi": [("w-title", "title", "Anna tilaisuuden nimi (enintään 200 merkkiä)."),
           ("w-start", "starts_at", "Varaus ei voi alkaa menneisyydessä."),
           ("w-organiser", "organiser_name", "Anna järjestäjän nimi (enintään 200 merkkiä)."),
           ("w-email", "organiser_email", "Sähköpostiosoite ei kelpaa: kirjoita se muodossa"
            " nimi@esimerkki.fi tai jätä kenttä tyhjäksi.")],
    "sv": [("w-title", "title", "Ange evenemangets namn (högst 200 tecken)."),
           ("w-start", "starts_at", "Bokningen kan inte börja i det förflutna."),
           ("w-organiser", "organiser_name", "Ange arrangörens namn (högst 200 tecken)."),
           ("w-email", "organiser_email", "E-postadressen är inte giltig: skriv den som"
            " namn@exempel.fi eller lämna fältet tomt.")],
    "en": [("w-title", "title", "Give the event's name (at most 200 characters)."),
           ("w-start", "starts_at", "The booking cannot start in the past."),
           ("w-organiser", "organiser_name", "Give the organiser's name (at most 200 characters)."),
           ("w-email", "organiser_email", "The email address is not valid: write it as"
            " name@example.fi or leave the field empty.")],
}
HEADINGS = {"fi": "Tarkista merkityt kohdat: mitään ei varattu.",
            "sv": "Kontrollera de markerade punkterna: inget bokades.",
            "en": "Please check the marked fields: nothing was booked."}


def summary(html: str) -> list[tuple[str, str]]:
    """The summary's links: where each leads and what it says."""
    found = re.search(r'<div class="summary msg error" id="walk-in-refusals".*?</div>', html, re.S)
    assert found is not None, "no summary"
    return [(href, unescape(text)) for href, text in
            re.findall(r'<a href="([^"]*)">([^<]*)</a>', found.group(0))]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_every_refusal_of_a_walk_in_is_said_at_once_by_its_input(
        desk: Desk, lang: str) -> None:
    r = await desk.walk_in(lang, title="  ", organiser_name="", starts_at=GONE_BY,
                           organiser_email="kalle@", minutes="90")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    for input_id, field, text in FOUR[lang]:
        assert page.by_id[input_id]["aria-invalid"] == "true", input_id
        described = (page.by_id[input_id]["aria-describedby"] or "").split()
        assert described[-1] == f"error-{field}" and page.text[f"error-{field}"] == text
    assert page.by_id["w-email"]["aria-describedby"] == "w-email-hint error-organiser_email"
    # The length is fine: nothing said by it.
    assert "aria-invalid" not in page.by_id["w-minutes"] and "error-minutes" not in page.by_id
    # The summary leads to each, in the form's order, in the page's language; it has focus.
    assert summary(r.text) == [(f"#{i}", text) for i, _, text in FOUR[lang]]
    assert f'<h3 id="walk-in-refusals-title">{HEADINGS[lang]}</h3>' in r.text
    assert page.autofocus == ["walk-in-refusals"]
    assert "status" not in page.text  # nothing twice
    # As typed, nothing stored.
    assert (page.value("w-title"), page.value("w-start"), page.value("w-minutes"),
            page.value("w-organiser"), page.value("w-email")) == (
        "  ", GONE_BY, "90", "", "kalle@")
    assert desk.store.state.bookings == {} and desk.store.state.outbox == []


async def test_the_forms_own_refusals_are_said_together_when_the_use_case_is_not_asked(
        desk: Desk) -> None:
    """A length and an address the form cannot read (the title and name fine): both by
    their inputs at once; without a length there is no request to ask the use case about."""
    r = await desk.walk_in("sv", minutes="7", organiser_email="kalle@", starts_at="huomenna")
    assert r.status_code == 422
    page = Page(r.text)
    assert [href for href, _ in summary(r.text)] == ["#w-start", "#w-minutes", "#w-email"]
    assert page.text["error-minutes"] == "Ange längden i minuter, 15–1\u00a0440."
    assert page.text["error-starts_at"].startswith("Starttiden är inte giltig")
    assert "aria-invalid" not in page.by_id["w-title"]
    assert page.autofocus == ["walk-in-refusals"]
    assert desk.store.state.bookings == {}


async def test_once_the_form_has_nothing_to_say_the_use_cases_rules_are_said_together(
        desk: Desk) -> None:
    """A start gone by and a length under the space's shortest: the use case's `Refusals`,
    each by its input (the length's rule, about the end, by the length)."""
    r = await desk.walk_in("en", starts_at=GONE_BY, minutes="15")
    assert r.status_code == 422
    page = Page(r.text)
    assert summary(r.text) == [
        ("#w-start", "The booking cannot start in the past."),
        ("#w-minutes", "A booking of this space must be at least 30 minutes long.")]
    assert page.by_id["w-minutes"]["aria-describedby"] == "error-minutes"
    assert page.autofocus == ["walk-in-refusals"]
    assert desk.store.state.bookings == {}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_refused_address_comes_with_the_use_cases_rules_not_after_them(
        desk: Desk, lang: str) -> None:
    """Only the address is the form's to refuse (the title and name fine), but the start has
    gone by and the length is under the space's shortest: all three in one go, the use case
    asked without booking (`walk_in_refusals`), nothing said twice."""
    r = await desk.walk_in(lang, starts_at=GONE_BY, minutes="15", organiser_email="kalle@")
    assert r.status_code == 422
    page = Page(r.text)
    assert [href for href, _ in summary(r.text)] == ["#w-start", "#w-minutes", "#w-email"]
    start_text = next(text for i, _, text in FOUR[lang] if i == "w-start")
    assert page.text["error-starts_at"] == start_text
    assert page.text["error-organiser_email"] == next(
        text for i, _, text in FOUR[lang] if i == "w-email")
    assert page.by_id["w-minutes"]["aria-invalid"] == "true"
    assert desk.store.state.bookings == {} and desk.store.state.outbox == []


async def test_one_refusal_puts_the_focus_on_its_input_with_the_summary_still_there(
        desk: Desk) -> None:
    r = await desk.walk_in("fi", organiser_name="\u202e")
    page = Page(r.text)
    assert r.status_code == 422 and page.autofocus == ["w-organiser"]
    assert summary(r.text) == [("#w-organiser", page.text["error-organiser_name"])]
    assert desk.store.state.bookings == {}


async def test_a_start_gone_by_in_a_closed_hour_is_said_both_ways_by_the_start(
        desk: Desk) -> None:
    """The night before the clock's now: gone by, and the space closed then. Both by the
    start, one after the other, so the desk does not move it to another hour of the past."""
    r = await desk.walk_in("en", starts_at="2031-03-03T23:00", minutes="60")
    assert r.status_code == 422
    page = Page(r.text)
    assert page.text["error-starts_at"] == (
        "The booking cannot start in the past. The space can be booked only within its"
        " opening hours (3 Mar: 08:00–20:00).")
    assert [href for href, _ in summary(r.text)] == ["#w-start"]
    assert page.autofocus == ["w-start"]
    assert desk.store.state.bookings == {}



async def test_a_name_too_long_is_said_by_its_length(desk: Desk) -> None:
    r = await desk.walk_in("fi", organiser_name="Kuoro " * 40)
    assert r.status_code == 422
    assert Page(r.text).text["error-organiser_name"] == \
        "Anna järjestäjän nimi (enintään 200 merkkiä)."
    assert desk.store.state.bookings == {}


#: A phone that is none, said by the phone's input.
PHONE_REFUSED = {
    "fi": "Puhelinnumero ei kelpaa: kirjoita se numeroina, esimerkiksi 044 123 4567,"
          " enintään 30 merkkiä, tai jätä kenttä tyhjäksi.",
    "sv": "Telefonnumret är inte giltigt: skriv det med siffror, till exempel 044 123 4567,"
          " högst 30 tecken, eller lämna fältet tomt.",
    "en": "The phone number is not valid: write it in digits, for example 044 123 4567,"
          " at most 30 characters, or leave the field empty."}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_phone_that_is_none_is_refused_by_its_input_as_typed(
        desk: Desk, lang: str) -> None:
    """The walk-in's phone (optional) by the organiser's phone rule (`domain.check_phone`):
    words, or too few digits, refused by its input, which takes focus; the form as typed;
    nothing booked."""
    for typed in ("soita Kallelle", "12-3"):
        r = await desk.walk_in(lang, organiser_phone=typed)
        assert r.status_code == 422, typed
        page = Page(r.text)
        assert page.text["error-organiser_phone"] == PHONE_REFUSED[lang]
        assert page.by_id["w-phone"]["aria-invalid"] == "true"
        assert page.by_id["w-phone"]["aria-describedby"] == "w-phone-hint error-organiser_phone"
        assert page.autofocus == ["w-phone"]
        assert summary(r.text) == [("#w-phone", PHONE_REFUSED[lang])]
        assert page.value("w-phone") == typed and page.value("w-organiser") == "Kalle"
    # With the use case's rules in the same go: a start gone by too.
    r = await desk.walk_in(lang, organiser_phone="soita", starts_at=GONE_BY)
    assert [href for href, _ in summary(r.text)] == ["#w-start", "#w-phone"]
    assert desk.store.state.bookings == {}


#: Beyond any text a form's input takes (its type's old `max_length`, 100,000).
PASTED = "Lukupiiri " * 10_001


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_nul_or_a_pasted_book_is_refused_by_its_input_with_the_rest(
        desk: Desk, lang: str) -> None:
    """A NUL (no text can keep it) or a text over 100,000 characters used to answer with a
    bare "Lomakkeessa on virhe" page of its own that named the input but lost what was
    typed: now each is one of the form's refusals, by its input, said with every other at
    once, the form as typed (a long text cut to what the input shows back)."""
    r = await desk.walk_in(lang, title="Lauta\x00pelit", organiser_name=PASTED,
                           starts_at="5.3.2031\x00", minutes="6\x000",
                           organiser_email="kalle\x00@example.fi", organiser_phone=PASTED)
    assert r.status_code == 422 and 'id="walk-in-refusals"' in r.text
    page = Page(r.text)
    assert [href for href, _ in summary(r.text)] == [
        "#w-title", "#w-start", "#w-minutes", "#w-organiser", "#w-email", "#w-phone"]
    for input_id in ("w-title", "w-start", "w-minutes", "w-organiser", "w-email", "w-phone"):
        assert page.by_id[input_id]["aria-invalid"] == "true", input_id
    assert page.text["error-organiser_name"] == FOUR[lang][2][2]  # said by its length
    assert page.text["error-organiser_phone"] == PHONE_REFUSED[lang]
    # A NUL as the browser shows it (U+FFFD), as the desk's other forms give it back.
    assert page.value("w-organiser") == PASTED[:1000] and page.value("w-minutes") == "6\ufffd0"
    assert page.value("w-title") == "Lauta\ufffdpelit"
    assert desk.store.state.bookings == {} and desk.store.state.outbox == []
    # Alone, each is said as the form's one refusal: the focus on its input.
    for changes, input_id in (({"title": "a\x00"}, "w-title"),
                              ({"organiser_name": PASTED}, "w-organiser")):
        alone = await desk.walk_in(lang, **changes)
        assert alone.status_code == 422 and Page(alone.text).autofocus == [input_id]


#: A space the walk-in form's list does not offer, said by the list.
SPACE_REFUSED = {
    "fi": "Tila ei ole tämän toimipisteen tila: valitse jokin sen omista tiloista.",
    "sv": "Lokalen hör inte till det här verksamhetsstället: välj en av dess egna lokaler.",
    "en": "The space is not one of this venue's: choose one of its own spaces."}
CHOOSE_SPACE = {"fi": "Valitse tila", "sv": "Välj lokal", "en": "Choose a space"}


def _another_venues_space(desk: Desk) -> str:
    """A space of a venue this desk is not staff of, in the store beside the desk's own."""
    other = replace(desk.space, id=uuid4(), venue_id=uuid4())
    desk.store.state.spaces[other.id] = other
    return str(other.id)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("space", ["no id", "", "\x00", "1" * 5000, "unknown", "elsewhere"])
async def test_a_tampered_space_is_refused_by_its_list_with_the_forms_other_refusals(
        desk: Desk, lang: str, space: str) -> None:
    """The space is a list, but a tampered or stale form sends anything: not an id, no such
    space, another venue's. It used to answer the bare "the form has an error" page that
    lost what was typed (or, for a real id, a line in the status region apart from the
    form): now it is one of the form's refusals, by the list, said with a blank title in
    the same go, in the page's language, the rest as typed, nothing booked. The list asks
    for a choice rather than showing the first space as if it had been chosen."""
    sent = {"unknown": str(uuid4()), "elsewhere": _another_venues_space(desk)}.get(space, space)
    r = await desk.walk_in(lang, space_id=sent, title=" ", organiser_phone="044 123 4567")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert summary(r.text) == [("#w-title", FOUR[lang][0][2]), ("#w-space", SPACE_REFUSED[lang])]
    assert page.by_id["w-space"]["aria-invalid"] == "true"
    assert page.by_id["w-space"]["aria-describedby"] == "error-space_id"
    assert page.text["error-space_id"] == SPACE_REFUSED[lang]
    assert page.autofocus == ["walk-in-refusals"]
    assert page.selected["w-space"] == "" and f">{CHOOSE_SPACE[lang]}</option>" in r.text
    assert (page.value("w-title"), page.value("w-start"), page.value("w-minutes"),
            page.value("w-organiser"), page.value("w-phone")) == (
        " ", "2031-03-05T16:00", "60", "Kalle", "044 123 4567")
    assert desk.store.state.bookings == {} and desk.store.state.outbox == []


async def test_another_venues_space_is_said_even_when_the_time_cannot_be_read(
        desk: Desk) -> None:
    """Without a start there is no request to ask the use case about; the space is asked of
    its own, so its refusal is not left for the next try."""
    r = await desk.walk_in("en", space_id=_another_venues_space(desk), starts_at="huomenna")
    assert r.status_code == 422
    assert [href for href, _ in summary(r.text)] == ["#w-space", "#w-start"]
    assert desk.store.state.bookings == {}


async def test_a_space_of_another_of_the_desks_venues_is_not_this_pages(desk: Desk) -> None:
    """Staff of two venues book from one venue's page, whose list holds that venue's
    spaces: the other's is refused by the list (the page is the venue's in the URL)."""
    other = _another_venues_space(desk)
    both = mint_token("desk-1", ["desk"], [VENUE, desk.store.state.spaces[UUID(other)].venue_id],
                      "Tiski")
    r = await desk.http.post("/desk/walk-in", params=desk.back("fi"), data={
        "csrf": "-", "title": "Lautapelit", "space_id": other, "starts_at": "2031-03-05T16:00",
        "minutes": "60", "organiser_name": "Kalle"}, headers={"Authorization": f"Bearer {both}"})
    assert r.status_code == 422
    page = Page(r.text)
    assert page.autofocus == ["w-space"] and page.text["error-space_id"] == SPACE_REFUSED["fi"]
    assert desk.store.state.bookings == {}


#: A language of messages the list does not offer, said by the list.
LANGUAGE_REFUSED = {"fi": "Valitse viestien kieli: suomi, ruotsi tai englanti.",
                    "sv": "Välj meddelandenas språk: finska, svenska eller engelska.",
                    "en": "Choose the language of messages: Finnish, Swedish or English."}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_tampered_language_of_messages_is_refused_by_its_list(
        desk: Desk, lang: str) -> None:
    """It too answered the bare page: now by its list, with the start's refusal at once."""
    r = await desk.walk_in(lang, contact_language="de\x00", starts_at=GONE_BY)
    assert r.status_code == 422
    page = Page(r.text)
    assert summary(r.text) == [("#w-start", FOUR[lang][1][2]), ("#w-language",
                                                               LANGUAGE_REFUSED[lang])]
    assert page.by_id["w-language"]["aria-describedby"] == "error-contact_language"
    assert page.selected["w-language"] == lang  # the page's, as an empty choice means
    assert page.selected["w-space"] == str(desk.space.id)  # the space as chosen
    assert desk.store.state.bookings == {}
