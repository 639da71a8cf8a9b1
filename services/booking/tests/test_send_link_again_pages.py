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
from urllib.parse import urlsplit

import httpx
import pytest

from services.booking import domain
from services.booking.tests.test_organiser_forms import (
    ORGANISER,
    SOMEONE,
    Organiser,
    organiser,
)
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
