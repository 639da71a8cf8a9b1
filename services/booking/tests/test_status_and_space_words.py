"""A booking's status and its space under words of their own on the organiser's pages.

Finnish "tila" is both the space and a state: the journey review found "Tila" heading the
space and the booking's status alike on /my/bookings and a booking's own page. The status
reads "Varauksen tila" / "Bokningens status" / "Status", the space keeps "Tila"."""

from __future__ import annotations

import re
from types import SimpleNamespace
from uuid import uuid4

import pytest

from services.booking.organiser_pages import _render

STATUS = {"fi": "Varauksen tila", "sv": "Bokningens status", "en": "Status"}
SPACE = {"fi": "Tila", "sv": "Lokal", "en": "Space"}


def _html(name: str, lang: str, **values: object) -> str:
    return bytes(_render(name, lang, csrf="x", msg=None, error=False, **values).body).decode()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_list_heads_the_status_and_the_space_each_with_its_own_word(lang: str) -> None:
    html = _html("my_bookings.html", lang, rows=[{
        "id": uuid4(), "title": "Lukupiiri", "status": "confirmed", "when": "5.3. 15.00–16.00",
        "where": "Jynkän kirjasto, Ryhmätila", "price": "", "occurrences": None,
        "cancel": None, "series_id": None}])
    heads = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert heads[2:4] == [SPACE[lang], STATUS[lang]], heads


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_bookings_page_names_its_status_and_its_space_apart(lang: str) -> None:
    booking = SimpleNamespace(id=uuid4(), title="Lukupiiri", status="confirmed",
                              invoice_reference=None, access_code=None)
    html = _html("my_booking.html", lang, b=booking, where="Jynkän kirjasto, Ryhmätila",
                 venue="Jynkän kirjasto",
                 address="", when="to 5.3. 15.00–16.00", price="", kind="", history=[],
                 series=[], can_cancel=False, past_deadline=False, cancel_by="",
                 desk={"email": "", "phone": ""}, activity="")
    terms = re.findall(r"<dt>([^<]*)</dt>", html)
    assert terms[0] == STATUS[lang] and SPACE[lang] in terms, terms
    assert terms.count(SPACE[lang]) == 1, terms
