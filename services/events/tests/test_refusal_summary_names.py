"""The error summary above a refused form names each input by its label, so two inputs
refused with the same words (a name and a short description without Finnish, two web
addresses) are told apart by a screen reader's list of links (WCAG 3.3.1, 2.4.6): the
organiser's activity form and the vocabulary page (the events service in this process, on
the real database)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from services.events.app import spec
from services.events.tests.test_every_refusal_pages import BASE, ORGANISER, _draft
from services.events.tests.test_vocabulary_page import PAGE, _sign_in

pytestmark = pytest.mark.infra

#: Each input as its label on the form says it, in fi, sv and en.
LABELS = {
    "fi": {"name-fi": "Nimi suomeksi", "short_description-fi": "Lyhyt kuvaus suomeksi",
           "online_url": "Osallistumislinkki (verkossa)",
           "image_url": "Kuvan osoite (https://…)"},
    "sv": {"name-fi": "Namn på finska", "short_description-fi": "Kort beskrivning på finska",
           "online_url": "Länk för att delta (på nätet)",
           "image_url": "Bildens adress (https://…)"},
    "en": {"name-fi": "Name in Finnish", "short_description-fi": "Short description in Finnish",
           "online_url": "Link to join (online)", "image_url": "Image address (https://…)"}}


def _summary(html: str, end: str) -> list[tuple[str, str]]:
    """The summary's links: (where each leads, what it says)."""
    start = html.index('id="refusals"')
    part = html[start:html.index(end, start)]
    return [(href, unescape(text))
            for href, text in re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', part)]


def _said_by(html: str, element_id: str) -> str:
    """The refusal said next to an input (its element `e-…` or `x-…`)."""
    found = re.search(rf'id="{element_id}">(.*?)</(?:p|span)>', html)
    assert found is not None, element_id
    return unescape(found[1])


async def test_the_activity_forms_summary_names_each_input_refused_alike(
        start_service: Any) -> None:
    client = await start_service(spec)
    event_id = await _draft(client)
    typed = {**BASE, "name.fi": "", "name.en": "Choir practice",
             "short_description.en": "We sing together", "place_kind": "online",
             "online_url": "ftp://kuoro.example.fi/live",
             "image_url": "kuvat.example.fi/kuoro.jpg"}
    for lang, labels in LABELS.items():
        sent = await client.post(f"/my/activities/{event_id}?lang={lang}", headers=ORGANISER,
                                 data=typed)
        assert sent.status_code == 422, (lang, sent.text)
        links = _summary(sent.text, "<form")
        assert [href for href, _ in links] == [f"f-{key}" for key in labels], lang
        for href, text in links:
            key = href.removeprefix("f-")
            # The input's label, then what is said next to the input itself.
            assert text == f"{labels[key]}: {_said_by(sent.text, f'e-{key}')}", (lang, text)
        # The finding: refused with the same words, and yet no two items alike.
        said = [_said_by(sent.text, f"e-{key}") for key in labels]
        assert said[0] == said[1] and said[2] == said[3], (lang, said)
        assert len({text for _, text in links}) == len(links), lang


async def test_the_vocabulary_pages_summary_names_each_input_refused_alike(
        start_service: Any) -> None:
    client = await start_service(spec)
    csrf = await _sign_in(client)
    labels = {"fi": ("Ruotsiksi", "Englanniksi"), "sv": ("På svenska", "På engelska"),
              "en": ("In Swedish", "In English")}
    for lang, (swedish, english) in labels.items():
        # Two words unreadable (a zero-width space, a lone right-to-left mark), alike.
        sent = await client.post(f"{PAGE}/add?lang={lang}", data={
            "csrf": csrf, "scheme": "topic", "code": "big_letters", "label_fi": "Isot",
            "label_sv": "\u200b", "label_en": "\u202e"})
        assert sent.status_code == 422, (lang, sent.text)
        links = _summary(sent.text, "</div>")
        said = _said_by(sent.text, "x-add-label-sv")
        assert said == _said_by(sent.text, "x-add-label-en")
        assert links == [("add-label-sv", f"{swedish}: {said}"),
                         ("add-label-en", f"{english}: {said}")], lang

        # A term's own row: its column and its code, as its inputs are labelled.
        row = await client.post(f"{PAGE}/words?lang={lang}", data={
            "csrf": csrf, "scheme": "kind", "code": "digital", "label_fi": "Digi",
            "label_sv": "\u200b", "label_en": "\u202e"})
        assert row.status_code == 422, (lang, row.text)
        assert [text for _, text in _summary(row.text, "</div>")] == [
            f"{swedish} digital: {said}", f"{english} digital: {said}"], lang
