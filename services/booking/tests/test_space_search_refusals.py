"""The organiser's space search (`/my/spaces`) says every refusal of one search at once,
in-process (the use cases' in-memory store). It used to answer a bare "the address has an
error" page in rounds: the schema's inputs first, then the start time, then the number of
people, then the venue, then the organiser type, the features, the area, each only once the
one before was mended. Now the search form comes back with each refusal by its input
(aria-invalid, aria-describedby, its text naming it), a summary above linking to each in
the form's order, focus on the summary (one refusal: its input), what was typed kept, in
fi, sv and en, and no results of a search that was not asked."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from services.booking.tests.test_desk_forms import Page
from services.booking.tests.test_organiser_forms import ORGANISER, Organiser, organiser
from services.booking.usecases import organiser as my

__all__ = ["organiser"]  # the fixture, used by name

#: A search wrong in every input it has.
EVERY_INPUT_WRONG = {
    "day": "31.2.2031", "view": "month", "not_before": "25.99", "minutes": "7",
    "area": "kuopio.atlantis", "venue_id": "nope", "capacity": "0", "equipment": "x" * 101,
    "organiser_type": "zzz", "feature": "wings", "accessible": "maybe"}
#: Each input's element, in the order the form shows them, and its refusal by language.
SAID = {
    "fi": [("f-day", "day", "Päivä: 31.2.2031 ei ole olemassa oleva päivä (helmikuussa 2031 on 28 "
                            "päivää)."),
           ("f-view", "view", "Näytä: valitse jokin sivun vaihtoehdoista."),
           ("f-time", "not_before",
            "Aikaisintaan klo: kellonaikaa 25.99 ei ole: tunnit ovat 0–23 ja minuutit 0–59 "
            "(keskiyö on seuraavan päivän 0.00)."),
           ("f-minutes", "minutes", "Kesto: anna luku väliltä 15–1\xa0440."),
           ("f-area", "area", "Alue: valitse jokin sivun vaihtoehdoista."),
           ("f-venue", "venue_id", "Kirjasto: valitse jokin sivun vaihtoehdoista."),
           ("f-capacity", "capacity", "Osallistujia: anna luku väliltä 1–100\xa0000."),
           ("f-equipment", "equipment", "Varustus: valitse jokin sivun vaihtoehdoista."),
           ("f-type", "organiser_type", "Järjestän: valitse jokin sivun vaihtoehdoista."),
           ("f-features", "feature", "Esteettömyys: valitse jokin sivun vaihtoehdoista."),
           ("f-accessible", "accessible", "Esteettömyys: valitse kyllä tai ei.")],
    "sv": [("f-day", "day", "Dag: det finns ingen 31 februari 2031 (februari 2031 har 28 "
                           "dagar)."),
           ("f-view", "view", "Visa: välj ett av sidans alternativ."),
           ("f-time", "not_before",
            "Tidigast kl.: klockslaget 25:99 finns inte: timmarna är 0–23 och minuterna 0–59 "
            "(midnatt är följande dags 0:00)."),
           ("f-minutes", "minutes", "Längd: ange ett tal mellan 15 och 1\xa0440."),
           ("f-area", "area", "Område: välj ett av sidans alternativ."),
           ("f-venue", "venue_id", "Bibliotek: välj ett av sidans alternativ."),
           ("f-capacity", "capacity", "Deltagare: ange ett tal mellan 1 och 100\xa0000."),
           ("f-equipment", "equipment", "Utrustning: välj ett av sidans alternativ."),
           ("f-type", "organiser_type", "Jag ordnar som: välj ett av sidans alternativ."),
           ("f-features", "feature", "Tillgänglighet: välj ett av sidans alternativ."),
           ("f-accessible", "accessible", "Tillgänglighet: välj ja eller nej.")],
    "en": [("f-day", "day", "Day: there is no 31 February 2031 (February 2031 has 28 "
                           "days)."),
           ("f-view", "view", "Show: choose one of the options on the page."),
           ("f-time", "not_before",
            "Not before: there is no time 25:99: hours run 0–23 and minutes 0–59 (midnight "
            "is 0:00 of the next day)."),
           ("f-minutes", "minutes", "Length: give a number between 15 and 1,440."),
           ("f-area", "area", "Area: choose one of the options on the page."),
           ("f-venue", "venue_id", "Library: choose one of the options on the page."),
           ("f-capacity", "capacity", "People: give a number between 1 and 100,000."),
           ("f-equipment", "equipment", "Equipment: choose one of the options on the page."),
           ("f-type", "organiser_type", "I organise as: choose one of the options on the page."),
           ("f-features", "feature", "Accessibility: choose one of the options on the page."),
           ("f-accessible", "accessible", "Accessibility: choose yes or no.")]}
HEADINGS = {"fi": "Tarkista merkityt kohdat: hakua ei tehty.",
            "sv": "Kontrollera de markerade punkterna: ingen sökning gjordes.",
            "en": "Please check the marked fields: nothing was searched."}


def summary(text: str) -> list[str]:
    """Where the summary's links lead, in order."""
    found = re.search(r'<div class="msg error" id="search-refusals".*?</div>', text, re.S)
    assert found is not None, "no summary"
    return re.findall(r'<a href="#([^"]+)">', found.group(0))


async def search(organiser: Organiser, lang: str, **params: str) -> tuple[Page, str]:
    """The search refused: its page read, and its HTML."""
    r = await organiser.http.get("/my/spaces", params={**params, "lang": lang},
                                 headers=ORGANISER)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), r.text
    return Page(r.text), r.text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_search_wrong_in_every_input_says_every_refusal_in_one_answer(
        organiser: Organiser, lang: str) -> None:
    page, html = await search(organiser, lang, **EVERY_INPUT_WRONG)
    for element, field, text in SAID[lang]:
        assert page.text[f"error-{field}"] == text, field
        described = str(page.by_id[element].get("aria-describedby")).split()
        assert f"error-{field}" in described, element
        if element != "f-features":  # a group of boxes: its legend and description say it
            assert page.by_id[element]["aria-invalid"] == "true", element
    assert summary(html) == [element for element, _, _ in SAID[lang]]
    assert f'<h3 id="search-refusals-title">{HEADINGS[lang]}</h3>' in html
    assert page.autofocus == ["search-refusals"]
    # As typed where an input can show it; no results of a search not asked.
    assert (page.value("f-day"), page.value("f-time"), page.value("f-capacity")) == (
        "31.2.2031", "25.99", "0")
    assert 'id="results-title"' not in html and "/my/spaces/hold" not in html


async def test_a_value_that_cannot_be_read_is_said_once_and_the_rest_still_checked(
        organiser: Organiser) -> None:
    """A length that is no number cannot be checked against the search's bounds (that
    check needs it): it is said once, by its input, and the search's own rules are still
    asked of the rest (the organiser type, the area) in the same answer."""
    page, html = await search(organiser, "en", minutes="x", organiser_type="zzz",
                              area="kuopio.atlantis", capacity="12")
    assert summary(html) == ["f-minutes", "f-area", "f-type"]
    assert html.count('id="error-minutes"') == 1
    assert page.text["error-minutes"] == "Length: give a number between 15 and 1,440."
    assert "aria-invalid" not in page.by_id["f-capacity"]
    assert page.value("f-capacity") == "12"


async def test_one_refusal_puts_the_focus_on_its_input(organiser: Organiser) -> None:
    page, html = await search(organiser, "sv", not_before="x\x00")
    assert page.autofocus == ["f-time"]
    assert page.value("f-time") == "x\ufffd"  # a NUL as a browser shows it
    assert summary(html) == ["f-time"]


async def test_the_language_links_ask_again_for_the_search_as_it_was_sent(
        organiser: Organiser) -> None:
    _, html = await search(organiser, "fi", capacity="0", view="year")
    assert 'href="/my/spaces?capacity=0&amp;view=year&amp;lang=sv"' in html


async def test_a_good_search_is_unchanged(organiser: Organiser) -> None:
    r = await organiser.http.get("/my/spaces", headers=ORGANISER, params={
        "lang": "en", "day": "2031-03-05", "view": "week", "not_before": "16.00",
        "minutes": "90", "capacity": "4", "accessible": "true", "organiser_type": "party"})
    assert r.status_code == 200 and 'id="search-refusals"' not in r.text
    assert 'id="results-title"' in r.text and 'aria-invalid="true"' not in r.text


def test_the_search_use_case_refuses_every_rule_at_once() -> None:
    refused = my.search_refusals(my.SpaceSearch(
        minutes=5, days=3, organiser_type="zzz", features=("wings",), area="kuopio.atlantis"))
    assert [r.field for r in refused] == ["days", "minutes", "organiser_type", "feature",
                                          "area"]


@pytest.mark.parametrize("form, said", [
    ({"space_id": "x", "starts_at": "2031-03-05T16:00", "minutes": "60"},
     "Valet är inte ett av dem som erbjuds: välj ett alternativ i listan."),
    ({"space_id": "\x00", "starts_at": "z" * 100_001, "minutes": "7"},
     "Valet är inte ett av dem som erbjuds: välj ett alternativ i listan."),
    ({"starts_at": "2031-03-05T16:00\x00", "minutes": "60"},
     "Starttiden är inte giltig: ange datum och klockslag.")])
async def test_a_tampered_slot_form_is_said_on_the_search_it_came_from(
        organiser: Organiser, form: dict[str, str], said: str) -> None:
    """A slot's form is its space, start and length as the search offered them; one
    tampered with (not an id, a NUL, a pasted start, a length never offered) answered the
    bare "the form has an error" page: now it is said on the search, the search kept,
    every refusal in one go, nothing held."""
    held = {**organiser.store.state.bookings}
    space = next(iter(organiser.store.state.spaces))
    r = await organiser.http.post("/my/spaces/hold", headers=ORGANISER,
                                  params={"lang": "sv", "day": "2031-03-05", "capacity": "4"},
                                  data={"csrf": "-", "space_id": str(space), **form})
    assert r.status_code == 303
    back = urlsplit(r.headers["location"])
    query = parse_qs(back.query)
    assert back.path == "/my/spaces" and query["error"] == ["1"] and query["msg"] == [said]
    assert query["day"] == ["2031-03-05"] and query["capacity"] == ["4"]
    assert organiser.store.state.bookings == held
