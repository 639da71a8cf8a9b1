""""Send the link again" on the organiser's booking page and in the API, in-process against
the in-memory store and a fixed clock: the notice that says where the link went has the
button (a plain form), which answers with the booking's page saying in its language where
the new link went, in the status region that takes focus; a press too soon is said there
as an error with when to try, and sends nothing; someone else's booking is a 404 page. The
API's `POST /bookings/{id}/contact-link` answers 202, 429 with Retry-After and 409, each
refusal in the reader's language. The use case's rules are in test_send_link_again.py."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit
from uuid import UUID

import httpx
import pytest

from services.booking import domain, usecases
from services.booking.tests.test_organiser_forms import (
    GOOD,
    ORGANISER,
    SOMEONE,
    Organiser,
    organiser,
)
from services.booking.tests.test_usecases import MAIJA
from shared.contracts import ContactVerificationRequested

pytestmark = pytest.mark.unit
__all__ = ["organiser"]  # the fixture, reused

ADDRESS = "Maija.Virtanen@example.fi"
BUTTON = {"fi": "Lähetä linkki uudelleen", "sv": "Skicka länken igen",
          "en": "Send the link again"}
SENT = {"fi": f"Vahvistuslinkki lähetettiin uudelleen osoitteeseen {ADDRESS}.",
        "sv": f"Bekräftelselänken skickades igen till {ADDRESS}.",
        "en": f"The confirmation link was sent again to {ADDRESS}."}
TOO_SOON = {"fi": f"Uutta vahvistuslinkkiä ei voi vielä lähettää osoitteeseen {ADDRESS}",
            "sv": f"En ny bekräftelselänk kan inte skickas till {ADDRESS} ännu",
            "en": f"A new confirmation link cannot be sent to {ADDRESS} yet"}


def _links(organiser: Organiser) -> list[ContactVerificationRequested]:
    return [e for e in [*organiser.store.state.outbox, *organiser.uow.published]
            if isinstance(e, ContactVerificationRequested)]


def _status(page: str) -> tuple[str, bool]:
    """The status region's text and whether it takes focus (autofocus)."""
    found = re.search(r'<div id="status" role="status"[^>]*>.*?</div>', page, re.S)
    assert found is not None
    region = found.group(0)
    return html.unescape(re.sub(r"<[^>]+>", " ", region)).strip(), "autofocus" in region


async def _requested(organiser: Organiser, lang: str) -> str:
    """The booking's page after the request, with its address to be proved."""
    sent = await organiser.send(lang, contact_email=ADDRESS, contact_language=lang)
    assert sent.status_code == 303
    return str(sent.headers["location"])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_button_sends_a_new_link_and_the_page_says_where(
        organiser: Organiser, lang: str) -> None:
    here = await _requested(organiser, lang)
    page = (await organiser.http.get(here, headers=ORGANISER)).text
    form = re.search(r'<form method="post" action="([^"]+)" id="send-link-again">.*?</form>',
                     page, re.S)
    assert form is not None and BUTTON[lang] in form.group(0)
    assert 'name="csrf"' in form.group(0)
    action = html.unescape(form.group(1))
    assert action == f"/my/bookings/{organiser.held}/contact-link?lang={lang}"
    assert form.start() > page.index('id="unverified"')  # inside the notice
    assert len(_links(organiser)) == 1

    # Pressed at once: the page says, as an error, when a new one can be sent; none is.
    soon = await organiser.http.post(action, data={"csrf": "x"}, headers=ORGANISER)
    assert soon.status_code == 303
    assert urlsplit(soon.headers["location"]).path == f"/my/bookings/{organiser.held}"
    said, focused = _status((await organiser.http.get(soon.headers["location"],
                                                      headers=ORGANISER)).text)
    assert said.startswith(TOO_SOON[lang]) and focused
    assert len(_links(organiser)) == 1

    organiser.clock.advance(domain.LINK_AGAIN_AFTER)
    again = await organiser.http.post(action, data={"csrf": "x"}, headers=ORGANISER)
    assert again.status_code == 303
    shown = await organiser.http.get(again.headers["location"], headers=ORGANISER)
    assert shown.status_code == 200 and f'<html lang="{lang}"' in shown.text
    said, focused = _status(shown.text)
    assert said.startswith(SENT[lang]) and focused
    links = _links(organiser)
    assert len(links) == 2 and links[-1].email == ADDRESS and links[-1].language == lang
    # The notice stays until the new link is opened; the lost one no longer works.
    assert 'id="unverified"' in shown.text
    old = links[0].verify_url.split("token=")[1].split("&")[0]
    new = links[1].verify_url.split("token=")[1].split("&")[0]
    assert (await organiser.http.post("/contact/verify", params={"lang": lang},
                                      data={"token": old})).status_code == 404
    assert (await organiser.http.post("/contact/verify", params={"lang": lang},
                                      data={"token": new})).status_code == 200
    page = (await organiser.http.get(here, headers=ORGANISER)).text
    assert 'id="unverified"' not in page and BUTTON[lang] not in page


async def test_someone_elses_booking_is_not_found_and_another_site_cannot_press_it(
        organiser: Organiser) -> None:
    await _requested(organiser, "fi")
    organiser.clock.advance(domain.LINK_AGAIN_AFTER)
    action = f"/my/bookings/{organiser.held}/contact-link?lang=fi"
    elses = await organiser.http.post(action, data={"csrf": "x"}, headers=SOMEONE)
    assert elses.status_code == 404
    # Signed in by the cookie, a form of another site is refused (no CSRF token of ours).
    async with httpx.AsyncClient(transport=organiser.http._transport,
                                 base_url=str(organiser.http.base_url)) as browser:
        token = ORGANISER["Authorization"].removeprefix("Bearer ")
        signed = await browser.post("/my/login", data={"token": token})
        assert signed.status_code == 303 and browser.cookies.get("kohtaamo_organiser_session")
        forged = await browser.post(action, data={"csrf": "forged"},
                                    headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403
    assert len(_links(organiser)) == 1


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_api_sends_it_again_with_its_refusals_in_the_readers_language(
        organiser: Organiser, lang: str) -> None:
    await _requested(organiser, "fi")
    path = f"/bookings/{organiser.held}/contact-link"
    reader = {**ORGANISER, "Accept-Language": lang}
    soon = await organiser.http.post(path, headers=reader)
    assert soon.status_code == 429 and soon.headers["Retry-After"] == "600"
    body = soon.json()
    assert body["code"] == "link_sent_recently" and body["email"] == ADDRESS
    assert body["message"].startswith(TOO_SOON[lang])

    organiser.clock.advance(domain.LINK_AGAIN_AFTER)
    sent = await organiser.http.post(path, headers=reader)
    assert sent.status_code == 202, sent.text
    assert sent.json()["email"] == ADDRESS and sent.json()["sent"] is True
    assert len(_links(organiser)) == 2
    assert (await organiser.http.post(path, headers=SOMEONE)).status_code == 403

    # Cancelled: it waits on no link.
    cancelled = await organiser.http.post(f"/bookings/{organiser.held}/cancel",
                                          headers=ORGANISER, json={})
    assert cancelled.status_code == 200, cancelled.text
    organiser.clock.advance(domain.LINK_AGAIN_AFTER)
    done = await organiser.http.post(path, headers=reader)
    assert done.status_code == 409 and done.json()["code"] == "not_awaiting_verification"
    words = {"fi": "ei odota vahvistuslinkkiä", "sv": "väntar inte på någon bekräftelselänk",
             "en": "waits on no confirmation link"}
    assert words[lang] in done.json()["message"]
    assert len(_links(organiser)) == 2


async def test_the_api_documents_it() -> None:
    from tests.apps import unstarted_app

    document = unstarted_app("booking").openapi()
    operation = document["paths"]["/bookings/{booking_id}/contact-link"]["post"]
    assert {"202", "403", "404", "409", "429"} <= set(operation["responses"])
    assert "Retry-After" in operation["responses"]["429"].get("headers", {})
    schema = document["components"]["schemas"]["LinkSentOut"]
    assert set(schema["properties"]) == {"email", "sent", "expires_at"}



# --- on the list, where a series leads -------------------------------------------------------

OTHER = "yhdistys@example.fi"
BUTTON_TO = {"fi": "Lähetä linkki uudelleen osoitteeseen {email}",
             "sv": "Skicka länken igen till {email}",
             "en": "Send the link again to {email}"}


def _forms(page: str) -> list[tuple[str, str, str]]:
    """The notice's "send the link again" forms: (action, id, the button's words)."""
    notice = re.search(r'<section class="verify" id="unverified".*?</section>', page, re.S)
    if notice is None:
        return []
    return [(html.unescape(m.group(1)), m.group(2),
             html.unescape(re.sub(r"\s+", " ", m.group(3))).strip())
            for m in re.finditer(r'<form method="post" action="([^"]+)" id="([^"]+)">.*?'
                                 r'<button[^>]*>(.*?)</button>', notice.group(0), re.S)]


async def _series_and_another(organiser: Organiser, lang: str) -> tuple[list[UUID], UUID]:
    """A series of three times whose address waits on its link (made from the held time),
    and a booking of the organiser's giving another address, also waiting."""
    state = organiser.store.state
    space = state.bookings[organiser.held].space_id
    state.spaces[space] = replace(state.spaces[space],
                                  rules=replace(state.spaces[space].rules, max_open_requests=10))
    sent = await organiser.send(lang, contact_email=ADDRESS, contact_language=lang,
                                repeat="1", repeat_count="3")
    assert sent.status_code == 303, sent.text[:300]
    times = sorted((b for b in state.bookings.values() if b.series_id),
                   key=lambda b: b.starts_at)
    assert len(times) == 3
    later = times[0].starts_at + timedelta(hours=3)
    held = await usecases.hold_slot(organiser.uow, organiser.clock, MAIJA,
                                    usecases.HoldCommand(space, later,
                                                         later + timedelta(hours=1)))
    other = await organiser.http.post(
        f"/my/bookings/{held.id}/request", params={"lang": lang},
        data={**GOOD, "contact_email": OTHER, "contact_language": "fi"}, headers=ORGANISER)
    assert other.status_code == 303, other.text[:300]
    return [b.id for b in times], held.id


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_list_has_one_button_an_address_and_says_there_what_it_did(
        organiser: Organiser, lang: str) -> None:
    series, other = await _series_and_another(organiser, lang)
    assert [link.email for link in _links(organiser)] == [ADDRESS, OTHER]
    listed = await organiser.http.get("/my/bookings", params={"lang": lang}, headers=ORGANISER)
    assert listed.status_code == 200
    # One form an address, not one a booking: the first time of the series asks for its
    # address (the link proves it for all three), the other booking for its own.
    forms = _forms(listed.text)
    assert forms == [
        (f"/my/bookings/{series[0]}/contact-link?lang={lang}&back=list", "send-link-again",
         BUTTON_TO[lang].format(email=ADDRESS)),
        (f"/my/bookings/{other}/contact-link?lang={lang}&back=list", "send-link-again-2",
         BUTTON_TO[lang].format(email=OTHER))]
    assert listed.text.count('name="csrf"', listed.text.index('id="unverified"'),
                             listed.text.index("</section>")) == 2
    action = forms[0][0]

    # Pressed at once: the list says, as an error, when a new one can be sent; none is.
    soon = await organiser.http.post(action, data={"csrf": "x"}, headers=ORGANISER)
    assert soon.status_code == 303
    assert urlsplit(soon.headers["location"]).path == "/my/bookings"
    shown = await organiser.http.get(soon.headers["location"], headers=ORGANISER)
    assert shown.status_code == 200 and f'<html lang="{lang}"' in shown.text
    said, focused = _status(shown.text)
    assert said.startswith(TOO_SOON[lang]) and focused
    assert 'class="msg error"' in shown.text and 'id="bookings"' in shown.text
    assert len(_links(organiser)) == 2

    organiser.clock.advance(domain.LINK_AGAIN_AFTER)
    again = await organiser.http.post(action, data={"csrf": "x"}, headers=ORGANISER)
    assert again.status_code == 303
    assert urlsplit(again.headers["location"]).path == "/my/bookings"
    shown = await organiser.http.get(again.headers["location"], headers=ORGANISER)
    assert shown.status_code == 200 and f'<html lang="{lang}"' in shown.text
    said, focused = _status(shown.text)
    assert said.startswith(SENT[lang]) and focused
    assert 'class="msg error"' not in shown.text
    links = _links(organiser)
    assert [link.email for link in links] == [ADDRESS, OTHER, ADDRESS]
    assert links[-1].language == lang  # the series' language, as its first time gives it

    # The new link proves the address for the whole series: its button goes, the other
    # address's stays, now the notice's only one and said plainly.
    token = links[-1].verify_url.split("token=")[1].split("&")[0]
    assert (await organiser.http.post("/contact/verify", params={"lang": lang},
                                      data={"token": token})).status_code == 200
    for b in series:  # every time of the series, not only the one it was asked through
        page = (await organiser.http.get(f"/my/bookings/{b}", headers=ORGANISER)).text
        assert 'id="unverified"' not in page
    listed = await organiser.http.get("/my/bookings", params={"lang": lang}, headers=ORGANISER)
    assert _forms(listed.text) == [
        (f"/my/bookings/{other}/contact-link?lang={lang}&back=list", "send-link-again",
         BUTTON[lang])]
    assert ADDRESS not in listed.text.split('id="unverified"')[1].split("</section>")[0]


async def test_a_booking_no_longer_waiting_is_said_on_the_list_and_sends_nothing(
        organiser: Organiser) -> None:
    """The list was open while the request was cancelled elsewhere: the press is said on
    the list as the 409's words, nothing sent; anyone else's booking is the 404 page."""
    await _requested(organiser, "sv")
    listed = await organiser.http.get("/my/bookings", params={"lang": "sv"}, headers=ORGANISER)
    [(action, _, button)] = _forms(listed.text)
    assert button == BUTTON["sv"] and action.endswith("&back=list")
    assert (await organiser.http.post(f"/bookings/{organiser.held}/cancel", headers=ORGANISER,
                                      json={})).status_code == 200
    organiser.clock.advance(domain.LINK_AGAIN_AFTER)
    elses = await organiser.http.post(action, data={"csrf": "x"}, headers=SOMEONE)
    assert elses.status_code == 404
    pressed = await organiser.http.post(action, data={"csrf": "x"}, headers=ORGANISER)
    assert urlsplit(pressed.headers["location"]).path == "/my/bookings"
    said, focused = _status((await organiser.http.get(pressed.headers["location"],
                                                      headers=ORGANISER)).text)
    assert said.startswith("Den här bokningen väntar inte på någon bekräftelselänk") and focused
    assert len(_links(organiser)) == 1


AGAIN_AT = {"fi": "Voit pyytää uuden linkin klo 10.11 alkaen.",
            "sv": "Du kan be om en ny länk från kl. 10:11.",
            "en": "You can ask for a new link from 10:11."}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_notice_says_from_when_a_new_link_can_be_asked_for(
        organiser: Organiser, lang: str) -> None:
    """Right after the request the button would be refused for ten minutes: the notice says
    from when it sends (the whole minute at or after it, as the refusal says it), on the
    booking's page and the list, and says nothing of it once a link can go."""
    organiser.clock.set(organiser.clock.now().replace(hour=8, minute=0, second=6))  # 10.00.06
    here = await _requested(organiser, lang)
    organiser.clock.advance(timedelta(minutes=2))
    for path in (here, f"/my/bookings?lang={lang}"):
        page = (await organiser.http.get(path, headers=ORGANISER)).text
        notice = page.split('id="unverified"')[1].split("</section>")[0]
        said = re.search(r'<p id="link-again-at">(.*?)</p>', notice)
        assert said is not None and html.unescape(said.group(1)) == AGAIN_AT[lang]
        assert 'aria-describedby="link-again-at"' in notice  # the button says it too
    # A press before it is refused with the same minute.
    soon = await organiser.http.post(
        f"/bookings/{organiser.held}/contact-link", headers={**ORGANISER, "Accept-Language": lang})
    assert soon.status_code == 429 and soon.json()["again_at"].endswith("08:10:06+00:00")
    assert soon.headers["Retry-After"] == "480"  # to the second, for a client
    assert {"fi": "klo 10.11", "sv": "kl. 10:11", "en": "at 10:11"}[lang] \
        in soon.json()["message"]
    organiser.clock.set(organiser.clock.now().replace(minute=11, second=0))
    page = (await organiser.http.get(here, headers=ORGANISER)).text
    assert 'id="unverified"' in page and 'id="link-again-at"' not in page
