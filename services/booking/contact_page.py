"""The page a verification link opens (issue #13): the organiser confirms that the address
they gave is theirs, and only then is booking mail sent to it. Opening the link shows a
button; the address is verified by the form's POST, so a mail scanner that fetches every
link verifies nothing. Finnish, Swedish or English, as the link says (else the reader's
language: `PageLang`)."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.my_labels import my_labels
from shared.bounds import Str
from shared.errors import DomainError
from shared.pages import PageLang, check_origin, language_switch, refused_page
from shared.service import CurrentClock

router = APIRouter(tags=["contact verification page"], include_in_schema=False)

_T = {
    "fi": {"title": "Sähköpostiosoitteen vahvistus",
           "ask": "Vahvista, että tämä osoite on sinun: varauksiasi koskevat viestit "
                  "lähetetään siihen vasta sitten.",
           "button": "Vahvista osoite", "done": "Kiitos! Osoite {email} on vahvistettu.",
           "already": "Osoite {email} on jo vahvistettu. Sinun ei tarvitse tehdä muuta.",
           "bad": "Linkki ei kelpaa tai se on vanhentunut (uudemman linkin jälkeen vain se "
                  "toimii). Uuden linkin saat varauksesi sivulta: Lähetä linkki uudelleen."},
    "sv": {"title": "Bekräftelse av e-postadress",
           "ask": "Bekräfta att adressen är din: meddelanden om dina bokningar skickas dit "
                  "först då.",
           "button": "Bekräfta adressen", "done": "Tack! Adressen {email} är bekräftad.",
           "already": "Adressen {email} är redan bekräftad. Du behöver inte göra något mer.",
           "bad": "Länken är ogiltig eller har gått ut (efter en nyare länk fungerar bara "
                  "den). En ny länk får du på din boknings sida: Skicka länken igen."},
    "en": {"title": "Confirm your email address",
           "ask": "Confirm that this address is yours: messages about your bookings are sent "
                  "to it only then.",
           "button": "Confirm the address", "done": "Thank you! {email} is confirmed.",
           "already": "{email} is already confirmed. There is nothing more to do.",
           "bad": "The link is not valid or has expired (once a newer link is sent, only "
                  "that one works). Get a new link on your booking's page: Send the link "
                  "again."},
}


def _page(lang: str, body: str, status_code: int = 200, switch: str = "") -> HTMLResponse:
    t = _T[lang]
    response = HTMLResponse(
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{t['title']}</title></head><body>{switch}<main><h1>{t['title']}</h1>{body}"
        "</main></body></html>", status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


Token = Annotated[Str, Query(max_length=200)]


@router.get("/contact/verify")
async def verify_form(lang: PageLang, token: Token = "") -> Response:
    """The link's page, with the fi/sv/en switch every page has: each language's link
    keeps the token (the link's own, already in this address), so the reader changes the
    language and still confirms with one press."""
    t = _T[lang]
    switch = language_switch(
        lang, lambda code: f"/contact/verify?{urlencode({'token': token, 'lang': code})}")
    return _page(lang, f"<p>{t['ask']}</p><form method='post' action='/contact/verify?lang="
                       f"{lang}'><input type='hidden' name='token' value="
                       f"'{html.escape(token, quote=True)}'><button>{t['button']}</button>"
                       "</form>", switch=switch)


@router.post("/contact/verify")
async def verify(request: Request, uow: Uow, clock: CurrentClock,
                 lang: PageLang, token: Annotated[Str, Form(max_length=200)] = "") -> Response:
    if not check_origin(request):
        return refused_page(request, "/contact/verify")
    t = _T[lang]
    try:
        email = await usecases.verify_contact(uow, clock, token)
    except DomainError:
        # A link that worked before (opened again, the page reloaded): done, not bad.
        if (confirmed := await usecases.confirmed_by_link(uow, token)) is not None:
            return _page(lang, "<p role='status'>"
                               f"{html.escape(t['already'].format(email=confirmed))}</p>"
                               + _onward(lang))
        return _page(lang, f"<p role='alert'>{t['bad']}</p>", status_code=404)
    return _page(lang, f"<p role='status'>{html.escape(t['done'].format(email=email))}</p>"
                       + _onward(lang))


def _onward(lang: str) -> str:
    """The way on from a confirmed address: the organiser's bookings, the front page of
    their pages (`/my` leads there), in the page's language."""
    return f"<p><a href='/my/bookings?lang={lang}'>{html.escape(my_labels(lang)['mine'])}</a></p>"
