"""A text shown in another language than the page's says which (WCAG 3.1.2, Language of
Parts), in-process (the app with the use cases' in-memory store): a day's reason the desk
wrote in English on the Swedish venue page and the desk's hours page, the venue's Finnish
description on its English page. A screen reader reads such a part in the page's voice
unless it is marked `<span lang="en">`; a text in the page's own language is not marked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.booking.tests.test_desk_forms import DESK, Desk, desk
from services.booking.tests.test_usecases import VENUE

__all__ = ["desk"]  # the fixture, used by name

pytestmark = pytest.mark.unit


async def _reasons(desk: Desk) -> None:
    """This week (the clock's Tuesday 4 March 2031): Thursday closed, the reason in English
    only; Friday open 10–14, its reason in Finnish and Swedish, one with markup typed in."""
    for body in ({"day": "2031-03-06", "reason": {"en": "Renovation"}},
                 {"day": "2031-03-07", "closed": False, "opens": "10:00", "closes": "14:00",
                  "reason": {"fi": "<b>Inventaario</b>", "sv": "Inventering"}}):
        added = await desk.http.post(f"/venues/{VENUE}/exceptions", headers=DESK, json=body)
        assert added.status_code == 201, added.text


async def test_a_reason_in_another_language_is_marked_on_the_venue_page(desk: Desk) -> None:
    await _reasons(desk)
    sv = await desk.http.get(f"/venues/{VENUE}/page", params={"lang": "sv"})
    assert sv.status_code == 200, sv.text
    assert 'stängt (<span lang="en">Renovation</span>)' in sv.text
    assert ">Inventering: 10:00–14:00 (bemannad tid)<" in sv.text  # its own: not marked
    fi = await desk.http.get(f"/venues/{VENUE}/page", params={"lang": "fi"})
    assert 'suljettu (<span lang="en">Renovation</span>)' in fi.text
    # Typed markup is text, never the page's.
    assert ">&lt;b&gt;Inventaario&lt;/b&gt;: 10.00–14.00 (henkilökunta paikalla)<" in fi.text
    en = await desk.http.get(f"/venues/{VENUE}/page", params={"lang": "en"})
    assert '>closed (Renovation)<' in en.text
    assert ('<span lang="fi">&lt;b&gt;Inventaario&lt;/b&gt;</span>: 10:00–14:00 (staffed)'
            in en.text)


async def test_the_venues_description_in_finnish_only_is_marked_on_its_english_page(
        desk: Desk) -> None:
    venue = desk.store._venue()
    desk.store._venue = lambda: replace(  # type: ignore[method-assign]
        venue, description={"fi": "Kirjasto Jynkän ostarilla."},
        accessibility={"fi": "Sisäänkäynti kadun tasossa.", "en": "Step-free entrance."})
    en = (await desk.http.get(f"/venues/{VENUE}/page", params={"lang": "en"})).text
    assert '<p><span lang="fi">Kirjasto Jynkän ostarilla.</span></p>' in en
    assert "<p>Step-free entrance.</p>" in en
    fi = (await desk.http.get(f"/venues/{VENUE}/page", params={"lang": "fi"})).text
    assert "<p>Kirjasto Jynkän ostarilla.</p>" in fi


async def test_a_reason_in_another_language_is_marked_on_the_desks_hours_page(
        desk: Desk) -> None:
    await _reasons(desk)
    page = await desk.http.get("/desk/hours", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "sv"})
    assert page.status_code == 200, page.text
    assert 'Stängt hela dagen (<span lang="en">Renovation</span>)' in page.text
    assert "10:00–14:00 (bemannad tid) (Inventering)<" in page.text
