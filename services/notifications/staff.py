"""The communications staff's page: deliveries that need a person (failed, unconfirmed) and
channel accounts whose token the platform refused, with retry, cancel, confirm and
re-authorised actions (fi/sv/en). The actions are the JSON API's own use cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.notifications import usecases
from services.notifications.routes import uow
from shared.auth import Principal, Unauthenticated
from shared.bounds import Str
from shared.clock import HELSINKI
from shared.errors import DomainError
from shared.pages import PageSession, refused_page
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["staff page"], include_in_schema=False)
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))

LABELS: dict[str, dict[str, Any]] = {
    "fi": {"title": "Tiedotus: julkaisut", "attention": "Vaativat päätöksen",
           "accounts": "Tilit, joiden kirjautuminen pitää uusia", "none": "Ei mitään.",
           "when": "Muuttunut", "channel": "Kanava", "what": "Mitä", "state": "Tila",
           "error": "Virhe", "retry": "Yritä uudelleen", "cancel": "Älä julkaise",
           "confirm": "Näkyy jo kanavalla", "reauthorised": "Kirjautuminen uusittu",
           "url": "julkaisun osoite", "done": "Tehty.", "text": "Teksti",
           "sign_out": "Kirjaudu ulos",
           "help_unconfirmed": "Alusta ei vastannut ajoissa: julkaisu voi jo näkyä. Tarkista "
           "kanava ja valitse.",
           "statuses": {"failed": "epäonnistui", "unconfirmed": "epävarma"},
           "purposes": {"announcement": "ilmoitus", "reminder": "muistutus",
                        "change": "muutos", "cancellation": "peruutus",
                        "booking_confirmed": "varausvahvistus", "booking_rejected":
                        "varauksen hylkäys", "booking_cancelled": "varauksen peruutus"}},
    "sv": {"title": "Kommunikation: publiceringar", "attention": "Kräver beslut",
           "accounts": "Konton som måste loggas in på nytt", "none": "Inget.",
           "when": "Ändrad", "channel": "Kanal", "what": "Vad", "state": "Status",
           "error": "Fel", "retry": "Försök igen", "cancel": "Publicera inte",
           "confirm": "Syns redan i kanalen", "reauthorised": "Inloggningen förnyad",
           "url": "publiceringens adress", "done": "Klart.", "text": "Text",
           "sign_out": "Logga ut",
           "help_unconfirmed": "Plattformen svarade inte i tid: inlägget kan redan synas. "
           "Kontrollera kanalen och välj.",
           "statuses": {"failed": "misslyckades", "unconfirmed": "osäker"},
           "purposes": {"announcement": "meddelande", "reminder": "påminnelse",
                        "change": "ändring", "cancellation": "inställt",
                        "booking_confirmed": "bokningsbekräftelse", "booking_rejected":
                        "avslagen bokning", "booking_cancelled": "avbokning"}},
    "en": {"title": "Communications: posts", "attention": "Need a decision",
           "accounts": "Accounts that must sign in again", "none": "Nothing.",
           "when": "Changed", "channel": "Channel", "what": "What", "state": "State",
           "error": "Error", "retry": "Try again", "cancel": "Do not post",
           "confirm": "It is on the channel", "reauthorised": "Signed in again",
           "url": "the post's address", "done": "Done.", "text": "Text",
           "sign_out": "Sign out",
           "help_unconfirmed": "The platform did not answer in time: the post may already "
           "be there. Check the channel and choose.",
           "statuses": {"failed": "failed", "unconfirmed": "unconfirmed"},
           "purposes": {"announcement": "announcement", "reminder": "reminder",
                        "change": "change", "cancellation": "cancellation",
                        "booking_confirmed": "booking confirmed", "booking_rejected":
                        "booking rejected", "booking_cancelled": "booking cancelled"}},
}


#: Residents' own mail (registration and following, issue #18) in the staff's language.
_REACH_PURPOSES = {
    "fi": {"registration_confirmed": "ilmoittautumisvahvistus",
           "registration_waiting": "jonoilmoitus", "registration_promoted": "jonosta mukaan",
           "registration_cancelled": "ilmoittautumisen peruutus",
           "registration_change": "muutos ilmoittautuneille",
           "subscription_confirm": "tilauksen vahvistus", "subscription_digest": "viikkokooste",
           "subscription_new": "uusi tapahtuma tilaajalle"},
    "sv": {"registration_confirmed": "anmälningsbekräftelse", "registration_waiting": "kö",
           "registration_promoted": "plats från kön", "registration_cancelled": "avbokad anmälan",
           "registration_change": "ändring till anmälda",
           "subscription_confirm": "bekräftelse av prenumeration",
           "subscription_digest": "veckosammandrag", "subscription_new": "nytt evenemang"},
    "en": {"registration_confirmed": "registration confirmed",
           "registration_waiting": "waiting list", "registration_promoted": "off the waiting list",
           "registration_cancelled": "registration cancelled",
           "registration_change": "change to registrants",
           "subscription_confirm": "subscription confirmation",
           "subscription_digest": "weekly digest", "subscription_new": "new event to follower"},
}
for _lang, _purposes in _REACH_PURPOSES.items():
    LABELS[_lang]["purposes"].update(_purposes)
#: The one-time link to an organiser's address (issue #13).
for _lang, _label in (("fi", "osoitteen vahvistus"), ("sv", "bekräftelse av adress"),
                      ("en", "address confirmation")):
    LABELS[_lang]["purposes"]["contact_verification"] = _label
#: Staff's decision on an activity in the approval queue, told to its organiser (issue #14).
for _lang, _approved, _refused in (("fi", "tapahtuma hyväksytty", "tapahtumaa ei hyväksytty"),
                                   ("sv", "evenemang godkänt", "evenemang inte godkänt"),
                                   ("en", "event approved", "event not approved")):
    LABELS[_lang]["purposes"].update(approval_approved=_approved, approval_refused=_refused)


#: The staff page's cookie session: sign-in by form, sign-out, CSRF token in every form.
SESSION = PageSession("notifications", "/staff", {"fi": "Tiedotus", "sv": "Kommunikation",
                                                  "en": "Communications"},
                      roles=usecases.STAFF)
router.include_router(SESSION.router())


def _staff(request: Request) -> Principal:
    principal = SESSION.principal(request)
    if principal.is_public:
        raise Unauthenticated("sign in at /staff/login")
    usecases.require(principal, *usecases.STAFF)
    return principal


@router.get("/staff", response_class=HTMLResponse)
async def staff_page(request: Request, pool: Pool,
                     lang: str = Query("fi", pattern="^(fi|sv|en)$"),
                     msg: Str | None = Query(None, max_length=2000),
                     error: bool = False) -> Response:
    try:
        principal = _staff(request)
    except Unauthenticated:
        return RedirectResponse(f"/staff/login?{urlencode({'lang': lang})}", status_code=303)
    deliveries, accounts = await usecases.needing_attention(uow(pool), principal)
    for d in deliveries:
        content = d["content"] or {}
        d["text"] = content.get("subject") or content.get("text") or ""
        d["local_time"] = d["updated_at"].astimezone(HELSINKI)
    html = _templates.get_template("staff.html").render(
        lang=lang, t=LABELS[lang], deliveries=deliveries, accounts=accounts, msg=msg,
        error=error, csrf=SESSION.csrf_token(request))
    response = HTMLResponse(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def _back(lang: str, message: str, error: bool = False) -> RedirectResponse:
    params = {"lang": lang, "msg": message, **({"error": "1"} if error else {})}
    return RedirectResponse(f"/staff?{urlencode(params)}", status_code=303)


@router.post("/staff/deliveries/{delivery_id}/{action}")
async def staff_decide(delivery_id: UUID, action: str, request: Request, pool: Pool,
                       clock: CurrentClock,
                       remote_url: Str | None = Form(None, max_length=2000),
                       lang: str = Query("fi", pattern="^(fi|sv|en)$")) -> Response:
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff")
    if action not in ("retry", "cancel", "confirm"):
        return _back(lang, f"unknown action {action}", error=True)
    if remote_url and not remote_url.startswith(("https://", "http://")):
        return _back(lang, "the post's address is an http(s):// address", error=True)
    try:
        await usecases.decide_delivery(uow(pool), clock, _staff(request), delivery_id, action,
                                       remote_url or None)
    except DomainError as exc:
        return _back(lang, exc.message, error=True)
    return _back(lang, LABELS[lang]["done"])


@router.post("/staff/channels/{account_id}/reauthorised")
async def staff_reauthorised(account_id: UUID, request: Request, pool: Pool,
                             clock: CurrentClock,
                             lang: str = Query("fi", pattern="^(fi|sv|en)$")) -> Response:
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff")
    try:
        await usecases.reauthorise_channel(uow(pool), clock, _staff(request), account_id)
    except DomainError as exc:
        return _back(lang, exc.message, error=True)
    return _back(lang, LABELS[lang]["done"])
