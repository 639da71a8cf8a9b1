"""A tester's finding: an organiser whose sign-in gives no verified address sent a request,
and the booking page never said that a one-time link went to the address they typed, nor
that nothing about the booking is mailed until it is opened. The organiser's booking page
(where a request leads) and the list of bookings (where a series leads) now say which
address, what to do and how long the link works, in fi/sv/en, until the link is opened.
In-process against the in-memory store and a fixed clock; the browser check (axe, 320 px)
is in test_unverified_contact_notice_browser.py."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit
from uuid import uuid4

import pytest

from services.booking import domain
from services.booking.domain import Contact
from services.booking.tests.test_organiser_forms import ORGANISER, Organiser, organiser
from shared.auth import mint_token
from shared.contracts import ContactVerificationRequested

pytestmark = pytest.mark.unit
__all__ = ["organiser"]  # the fixture, reused

#: The words each language says the notice with (the address and the link's days aside).
SAID = {"fi": ("Vahvista sähköpostiosoitteesi", "Lähetimme vahvistuslinkin osoitteeseen",
               "Linkki on voimassa 7 päivää."),
        "sv": ("Bekräfta din e-postadress", "Vi skickade en bekräftelselänk till",
               "Länken gäller i 7 dagar."),
        "en": ("Confirm your email address", "We sent a confirmation link to",
               "The link works for 7 days.")}
#: What waits on the address: this booking (its page), the bookings giving it (the list).
WHICH = {"fi": ("tästä varauksesta", "varauksista, joissa tämä osoite"),
         "sv": ("om den här bokningen", "om de bokningar där adressen"),
         "en": ("about this booking", "about the bookings that give this address")}


def _notice(page: str) -> str | None:
    """The notice's text, or None when the page has none."""
    found = re.search(r'<section class="verify" id="unverified".*?</section>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else None


async def _token(organiser: Organiser) -> str:
    link = [e for e in [*organiser.store.state.outbox, *organiser.uow.published]
            if isinstance(e, ContactVerificationRequested)][-1]
    return link.verify_url.split("token=")[1].split("&")[0]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_booking_page_says_where_the_link_went_until_it_is_opened(
        organiser: Organiser, lang: str) -> None:
    sent = await organiser.send(lang, contact_email="Maija.Virtanen@example.fi")
    assert sent.status_code == 303
    here = sent.headers["location"]
    assert urlsplit(here).path == f"/my/bookings/{organiser.held}"
    title, link, days = SAID[lang]
    for path in (here, f"/my/bookings?lang={lang}"):  # the page after it, and the list
        page = await organiser.http.get(path, headers=ORGANISER)
        notice = _notice(page.text)
        assert notice is not None, path
        # Which address (as typed), what to do, what waits on it, how long the link works.
        assert title in notice and f"{link} Maija.Virtanen@example.fi." in notice
        assert days in notice
        # The booking page speaks of this booking, the list of those giving the address.
        one = path == here
        assert (WHICH[lang][0] in notice) is one and (WHICH[lang][1] in notice) is not one
        # Said once, ahead of the booking's facts, under its own heading.
        assert page.text.count('id="unverified"') == 1
        assert 'aria-labelledby="unverified-title"' in page.text
    # The link is opened: the notice is gone from both pages.
    opened = await organiser.http.post("/contact/verify", params={"lang": lang},
                                       data={"token": await _token(organiser)})
    assert opened.status_code == 200
    for path in (here, f"/my/bookings?lang={lang}"):
        page = await organiser.http.get(path, headers=ORGANISER)
        assert page.status_code == 200 and _notice(page.text) is None, path
        assert SAID[lang][0] not in page.text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_address_the_sign_in_vouches_for_has_no_notice(
        organiser: Organiser, lang: str) -> None:
    vouched = {"Authorization": "Bearer " + mint_token(
        "maija", ["organiser"], [], "Maija", email="maija@example.fi", email_verified=True)}
    sent = await organiser.send(lang, headers=vouched, contact_email="maija@example.fi")
    assert sent.status_code == 303
    assert not [e for e in organiser.store.state.outbox
                if isinstance(e, ContactVerificationRequested)]
    for path in (sent.headers["location"], f"/my/bookings?lang={lang}"):
        page = await organiser.http.get(path, headers=vouched)
        assert page.status_code == 200 and _notice(page.text) is None, path
        assert SAID[lang][0] not in page.text


async def test_the_list_names_each_waiting_address_once(organiser: Organiser) -> None:
    """Two requests, one address typed in two cases, one other: each said once, with one
    "send the link again" button naming it; a booking cancelled or over waits on nothing."""
    sent = await organiser.send("en", contact_email="maija@example.fi")
    assert sent.status_code == 303
    first = organiser.store.state.bookings[organiser.held]
    assert first.contact is not None
    for n, email in enumerate(("MAIJA@example.fi", "kerho@example.fi", "vanha@example.fi")):
        copy = replace(first, id=uuid4(),
                       contact=replace(first.contact, email=email))
        if n == 2:  # over already
            copy = replace(copy, starts_at=organiser.clock.now() - timedelta(hours=3),
                           ends_at=organiser.clock.now() - timedelta(hours=2))
        organiser.store.state.bookings[copy.id] = copy
    page = await organiser.http.get("/my/bookings?lang=en", headers=ORGANISER)
    notice = _notice(page.text)
    assert notice is not None
    said = notice.split("Send the link again")[0]  # the sentences, before the buttons
    assert said.lower().count("maija@example.fi") == 1 and "kerho@example.fi" in said
    buttons = re.findall(r"<button[^>]*>([^<]*)</button>", page.text.split('id="unverified"')[1]
                         .split("</section>")[0])
    assert buttons == ["Send the link again to maija@example.fi",
                       "Send the link again to kerho@example.fi"]
    assert "vanha@example.fi" not in notice


def test_the_rule_asks_only_for_open_bookings_with_an_unproved_address(
        organiser: Organiser) -> None:
    b = organiser.store.state.bookings[organiser.held]
    now = organiser.clock.now()
    asked = replace(b, status="requested", contact=Contact("Maija", "m@example.fi"))
    assert domain.awaiting_verification(asked, now) == "m@example.fi"
    assert domain.awaiting_verification(replace(asked, status="confirmed"), now)
    for done in (replace(asked, status="cancelled"), replace(asked, status="held"),
                 replace(asked, contact=Contact("Maija", "m@example.fi", verified=True)),
                 replace(asked, contact=Contact("Maija", None, "044 1234567")),
                 replace(asked, contact=None),
                 replace(asked, ends_at=now)):
        assert domain.awaiting_verification(done, now) is None, done
