"""The approval queue as a page for communications and desk staff (issue #15, the queue of
issue #14): what organisers sent for publication without a confirmed booking, with approve
and refuse-with-a-reason, in fi/sv/en. The actions are the JSON API's own use cases
(`approve_event`, `refuse_event`), so the rules and the organiser's email are the same."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.events import usecases
from services.events.labels import ORGANISER
from services.events.organiser_pages import channels_preview
from services.events.pages import render_event
from services.events.staff_nav import PAGES as STAFF_PAGES
from services.events.staff_nav import staff_nav
from services.events.store import Row
from shared.areas import area_name
from shared.auth import Principal, Unauthenticated
from shared.bounds import Str, without_hidden
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.l10n import number, text_html, text_in, time_span
from shared.pages import Note, PageLang, PageSession, page_route, public_base, refused_page
from shared.service import CurrentClock, Pool


def _home(lang: str) -> tuple[str, str]:
    return f"/approvals/queue?lang={lang}", LABELS[lang]["title"]


# A query or form the routes' schemas refuse is a page naming the inputs, with a way back.
router = APIRouter(tags=["approval queue page"], include_in_schema=False,
                   route_class=page_route(_home))

LABELS: dict[str, dict[str, str]] = {
    "fi": {"title": "Hyväksyntäjono", "none": "Jonossa ei ole tapahtumia.",
           "when": "Aika", "where": "Paikka", "online": "Verkossa",
           "preview": "Esikatsele", "back_to_queue": "Takaisin hyväksyntäjonoon",
           "organiser": "Järjestäjä",
           "approve": "Hyväksy ja julkaise", "refuse": "Älä hyväksy",
           "reason": "Perustelu järjestäjälle", "sign_out": "Kirjaudu ulos",
           "approved": "Hyväksytty ja julkaistu: {name}.",
           "refused": "Palautettu järjestäjälle: {name}.",
           "failed": "Toimintoa ei voitu tehdä: {why}",
           "help": "Järjestäjä saa päätöksen sähköpostiin, jos hänen osoitteensa on "
                   "vahvistettu.",
           "told": "Päätös järjestäjälle",
           "told_mail": "Sähköpostilla ja hänen sivullaan",
           "told_page": "Vain hänen sivullaan: hänen vahvistettua sähköpostiosoitettaan ei "
                        "tiedetä (kirjautumisesta tai tilavarauksesta)",
           "ended": "Päättyneet ilman päätöstä ({n})",
           "ended_help": "Nämä tapahtumat päättyivät ennen kuin niistä päätettiin, joten ne "
                         "eivät ole jonossa. Hyväksyminen julkaisee tapahtuman menneenä (se "
                         "lasketaan tilastoihin); järjestäjä ei saa päätöksestä sähköpostia.",
           "reason_missing": "Kirjoita järjestäjälle perustelu.",
           "reason_chars": "Perustelussa oli merkki, jota ei voi lähettää, ja se poistettiin. "
                           "Tarkista perustelu ja lähetä uudelleen.",
           "decided": "Tästä tapahtumasta on jo päätetty.",
           "not_yours": "Tämä tapahtuma ei ole sinun päätettävissäsi.",
           "gone": "Tapahtumaa ei löydy."},
    "sv": {"title": "Godkännandekö", "none": "Inga evenemang i kön.",
           "when": "Tid", "where": "Plats", "online": "På nätet",
           "preview": "Förhandsvisa", "back_to_queue": "Tillbaka till godkännandekön",
           "organiser": "Arrangör",
           "approve": "Godkänn och publicera", "refuse": "Godkänn inte",
           "reason": "Motivering till arrangören", "sign_out": "Logga ut",
           "approved": "Godkänt och publicerat: {name}.",
           "refused": "Återlämnat till arrangören: {name}.",
           "failed": "Åtgärden kunde inte göras: {why}",
           "help": "Arrangören får beslutet per e-post om hens adress är bekräftad.",
           "told": "Beslutet till arrangören",
           "told_mail": "Per e-post och på hens sida",
           "told_page": "Endast på hens sida: ingen bekräftad e-postadress till hen är känd "
                        "(från inloggningen eller en lokalbokning)",
           "ended": "Avslutade utan beslut ({n})",
           "ended_help": "Dessa evenemang avslutades innan de avgjordes och finns därför inte "
                         "i kön. Ett godkännande publicerar evenemanget som ett tidigare "
                         "evenemang (det räknas i statistiken); arrangören får inget "
                         "e-postmeddelande om beslutet.",
           "reason_missing": "Skriv en motivering till arrangören.",
           "reason_chars": "Motiveringen hade ett tecken som inte kan skickas, och det togs "
                           "bort. Kontrollera motiveringen och skicka den på nytt.",
           "decided": "Evenemanget är redan avgjort.",
           "not_yours": "Det här evenemanget är inte ditt att avgöra.",
           "gone": "Evenemanget finns inte."},
    "en": {"title": "Approval queue", "none": "Nothing is waiting for approval.",
           "when": "When", "where": "Where", "online": "Online",
           "preview": "Preview", "back_to_queue": "Back to the approval queue",
           "organiser": "Organiser",
           "approve": "Approve and publish", "refuse": "Do not approve",
           "reason": "Reason for the organiser", "sign_out": "Sign out",
           "approved": "Approved and published: {name}.",
           "refused": "Returned to the organiser: {name}.",
           "failed": "That could not be done: {why}",
           "help": "The organiser is emailed the decision when their address is verified.",
           "told": "Decision to the organiser",
           "told_mail": "By email and on their page",
           "told_page": "On their page only: no verified email address of theirs is known "
                        "(from their sign-in or a booking)",
           "ended": "Ended without a decision ({n})",
           "ended_help": "These activities ended before they were decided, so they are not "
                         "in the queue. Approving one publishes it as a past activity (it "
                         "counts in the figures); its organiser is not emailed the decision.",
           "reason_missing": "Write a reason for the organiser.",
           "reason_chars": "The reason had a character that cannot be sent, and it was "
                           "removed. Check the reason and send it again.",
           "decided": "This event has already been decided.",
           "not_yours": "This event is not yours to decide.",
           "gone": "There is no such event."},
}

#: The staff pages sign-in may lead back to (`?next=`, a page's address with its query):
#: only these, so the sign-in cannot be made to send anyone elsewhere.
_NEXT = (r"(?:" + "|".join(re.escape(path) for _, path in STAFF_PAGES) + r")"
         r"(?:\?[A-Za-z0-9_.%&=+-]{0,500})?")

#: The page's cookie session: sign-in by form, sign-out, CSRF token in every form.
SESSION = PageSession("events", "/approvals", {"fi": LABELS["fi"]["title"],
                                               "sv": LABELS["sv"]["title"],
                                               "en": LABELS["en"]["title"]},
                      roles=("communications", "desk"), home="/approvals/queue",
                      next_pattern=_NEXT)
router.include_router(SESSION.router())

# Fits a 320 px phone at 200 % text (WCAG 1.4.10): the font in rem follows the reader's
# text size; the grid's column and the list's terms may shrink below their words' width
# (min-content, max-content grew the page to 473 px) and long words wrap.
_STYLE = """body{font:1rem/1.45 system-ui,sans-serif;color:#1b1b1b;margin:0;
overflow-wrap:anywhere}
header{background:#00577c;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;flex-wrap:wrap;
align-items:center}header h1{font-size:1.2rem;margin:0;flex:1}header a{color:inherit}
main{padding:1rem;display:grid;grid-template-columns:minmax(0,1fr);gap:1rem;max-width:60rem}
article{border:1px solid #d6d6d6;border-radius:6px;padding:.8rem 1rem;min-width:0}
h2{font-size:1.1rem;margin:0 0 .4rem}dl{display:grid;
grid-template-columns:minmax(0,max-content) minmax(0,1fr);
gap:.2rem .8rem;margin:.4rem 0}dt{font-weight:600}dd{margin:0}
.msg{padding:.6rem 1rem;border-radius:6px;background:#e6f3f8}.msg.error{background:#fde8ea;
color:#a4000f}form{margin:.4rem 0}textarea{display:block;width:100%;box-sizing:border-box;
font:inherit;padding:.3rem;
margin:.3rem 0}button{font:inherit;padding:.3rem .7rem;border-radius:4px;
border:1px solid #00577c;background:#00577c;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#00577c}.muted{color:#5a5a5a}
details.ended summary{cursor:pointer;font-weight:600;padding:.4rem 0}
details.ended article{margin-top:1rem}
.field-error{color:#a4000f;margin:.3rem 0}"""


def staff(request: Request) -> Principal:
    principal = SESSION.principal(request)
    if principal.is_public:
        raise Unauthenticated("sign in at /approvals/login")
    return principal


def _e(value: object) -> str:
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class _Refused:
    """A refusal sent back by the reason's input: which event's form, the reason as typed
    and why it was refused."""

    event_id: UUID
    typed: str
    text: str


@router.get("/approvals/queue", response_class=HTMLResponse)
async def queue_page(request: Request, pool: Pool, clock: CurrentClock, lang: PageLang,
                     said: Note = Depends(SESSION.note)) -> Response:
    msg, error = said
    return await _queue(request, pool, clock, lang, msg, error)


def _item(r: Row, lang: str, csrf: str, refused: _Refused | None, ended: bool = False) -> str:
    """One activity waiting for a decision, with approve and refuse-with-a-reason; a refused
    reason (`refused`, of this activity) stands by its input, as typed, which takes focus.
    How its organiser hears the decision, so staff know when only the page tells them (no
    row for one that ended: its list says none is mailed)."""
    t = LABELS[lang]
    eid = r["id"]
    # Names and texts in another language than the page's are marked so (WCAG 3.1.2): a
    # Finnish-only name on the Swedish queue is read with a Finnish voice. Escaped.
    name = text_html(r["name"], lang)
    # Where it is as residents will read it: its place's or venue's name, online, and
    # only then its area.
    where = (text_html(r["place_name"], lang) or text_html(r.get("venue_name"), lang)
             or _e(t["online"] if r["place_kind"] == "online" else "")
             or _e(area_name(r["area"], lang)))
    # Only what is known: no empty "Organiser" row or lead paragraph.
    organiser = (f"<dt>{t['organiser']}</dt><dd>{_e(r['organiser_name'])}</dd>"
                 if r["organiser_name"] else "")
    if not ended:
        organiser += (f"<dt>{t['told']}</dt>"
                      f"<dd>{t['told_mail' if r['decision_mailed'] else 'told_page']}</dd>")
    short = text_html(r["short_description"], lang)
    lead = f"\n<p>{short}</p>" if short else ""
    mine = refused if refused is not None and refused.event_id == eid else None
    marked = (f' aria-invalid="true" aria-describedby="e-{eid}" autofocus'
              if mine else "")
    said_by = (f'<p class="field-error" id="e-{eid}">{_e(mine.text)}</p>'
               if mine else "")
    return f"""<article class="queued" data-id="{eid}" aria-labelledby="n-{eid}">
<h2 id="n-{eid}">{name}</h2><dl>
<dt>{t['when']}</dt><dd>{_e(time_span(r['starts_at'], r['ends_at'], lang,
                                        all_day=bool(r['all_day'])))}</dd>
<dt>{t['where']}</dt><dd>{where}</dd>
{organiser}</dl>{lead}
<p><a href="/approvals/queue/{eid}/preview?lang={lang}">{t['preview']}</a></p>
<form method="post" action="/approvals/queue/{eid}/approve?lang={lang}">{csrf}
<button type="submit">{t['approve']}</button></form>
<form method="post" action="/approvals/queue/{eid}/refuse?lang={lang}">{csrf}
<label for="r-{eid}">{t['reason']}</label>{said_by}
<textarea id="r-{eid}" name="reason" rows="2" maxlength="500" required{marked}>\
{_e(mine.typed) if mine else ""}</textarea>
<button type="submit" class="secondary">{t['refuse']}</button></form></article>"""


async def _queue(request: Request, pool: Pool, clock: CurrentClock, lang: str,
                 msg: str | None, error: bool, refused: _Refused | None = None,
                 status_code: int = 200) -> Response:
    """The queue (the API's `GET /approvals`: what has not ended, soonest first), then,
    folded away, what ended waiting (`?ended=true`), which is no longer to decide in time
    but may still be approved or refused. A refused reason (`refused`) stands by its input,
    as typed, which takes focus (as the desk's reject form), so the keyboard and the screen
    reader are there; the folded list is open when it is there."""
    try:
        principal = staff(request)
        rows = await usecases.approval_queue(usecases.unit_of_work(pool), clock, principal,
                                             None, 100, 0)
        ended = await usecases.approval_queue(usecases.unit_of_work(pool), clock, principal,
                                              None, 100, 0, ended=True)
    except Unauthenticated:
        return RedirectResponse(f"/approvals/login?{urlencode({'lang': lang})}",
                                status_code=303)
    except DomainError as exc:  # signed in without the right: said, not a raw 403 JSON
        rows, ended, msg, error = [], [], _why(exc, lang), True
    t = LABELS[lang]
    csrf = f"<input type='hidden' name='csrf' value='{SESSION.csrf_token(request)}'>"
    if refused is not None and all(r["id"] != refused.event_id for r in [*rows, *ended]):
        msg = refused.text  # decided meanwhile: no input to say it by, so said above
    note = (f"<p role='status' class='msg{' error' if error else ''}'>{_e(msg)}</p>"
            if msg else "<p role='status' class='msg' hidden></p>")
    body = "".join(_item(r, lang, csrf, refused) for r in rows) or f"<p>{t['none']}</p>"
    if ended:
        opened = " open" if refused is not None and any(
            r["id"] == refused.event_id for r in ended) else ""
        body += (f"<details class='ended'{opened}><summary>"
                 f"{_e(t['ended'].format(n=number(len(ended), lang)))}</summary>"
                 f"<p class='muted'>{t['ended_help']}</p>"
                 + "".join(_item(r, lang, csrf, refused, ended=True) for r in ended)
                 + "</details>")
    langs = " · ".join(f"<a href='/approvals/queue?lang={code}' lang='{code}'>{label}</a>"
                       for code, label in (("fi", "suomi"), ("sv", "svenska"),
                                           ("en", "English")))
    return HTMLResponse(f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t['title']}</title><style>{_STYLE}</style></head><body>
<header><h1>{t['title']}</h1>{staff_nav(lang, "queue")}
<form method="post" action="/approvals/logout?lang={lang}">{csrf}
<button type="submit" class="secondary">{t['sign_out']}</button></form>
<nav aria-label="kieli / språk / language">{langs}</nav></header>
<main>{note}<p class="muted">{t['help']}</p>{body}</main></body></html>""",
                        status_code=status_code, headers={"Cache-Control": "no-store"})


def _why(exc: DomainError, lang: str) -> str:
    """A refused decision in the reader's words: by the kind of refusal, the rule's own
    (English) words only for one this page does not know."""
    t = LABELS[lang]
    if isinstance(exc, Invalid) and exc.field == "reason":
        return t["reason_chars" if exc.details.get("code") == "text_chars"
                 else "reason_missing"]
    if isinstance(exc, Conflict):
        return t["decided"]
    if isinstance(exc, Forbidden | Unauthenticated):
        return t["not_yours"]
    if isinstance(exc, NotFound):
        return t["gone"]
    return t["failed"].format(why=exc.message)


def _back(request: Request, lang: str, message: str, error: bool = False) -> RedirectResponse:
    return SESSION.noted(request, "/approvals/queue", message, error=error,
                         params=[("lang", lang)])


@router.get("/approvals/queue/{event_id}/preview", response_class=HTMLResponse)
async def queued_preview(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                         lang: PageLang) -> Response:
    """A queued activity whole, as residents will see it once approved (the public page's
    own rendering: its description, image, price, sign-up and links), with its notice board
    slide and posts below: what the organiser's own preview shows them."""
    try:
        principal = staff(request)
    except Unauthenticated:
        return RedirectResponse(f"/approvals/login?{urlencode({'lang': lang})}",
                                status_code=303)
    found = await usecases.my_activity(usecases.unit_of_work(pool), principal, event_id)
    t, mine = LABELS[lang], ORGANISER[lang]
    base = public_base(request)
    html = render_event(found.row, found.venue, found.vocabulary, lang, base,
                        preview={"label": t["preview"], "note": mine["preview_note"],
                                 "draft": mine["preview_draft"],
                                 "channels": mine["preview_channels"],
                                 "back": f"/approvals/queue?lang={lang}",
                                 "back_label": t["back_to_queue"], "t": mine,
                                 **channels_preview(found.row, found.venue, lang, base,
                                                    clock.now())})
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.post("/approvals/queue/{event_id}/approve")
async def approve(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                  lang: PageLang) -> Response:
    if not await SESSION.check_form(request):
        return refused_page(request, "/approvals/queue")
    t = LABELS[lang]
    try:
        row = await usecases.approve_event(usecases.unit_of_work(pool), clock,
                                           staff(request), event_id)
    except DomainError as exc:
        return _back(request, lang, _why(exc, lang), error=True)
    return _back(request, lang, t["approved"].format(name=text_in(row["name"], lang)))


@router.post("/approvals/queue/{event_id}/refuse")
async def refuse(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang, reason: Annotated[Str, Form(max_length=500)] = "") -> Response:
    if not await SESSION.check_form(request):
        return refused_page(request, "/approvals/queue")
    t = LABELS[lang]
    try:
        row = await usecases.refuse_event(usecases.unit_of_work(pool), clock, staff(request),
                                          event_id, reason.strip(), language=lang)
    except Invalid as exc:
        if exc.field != "reason":
            return _back(request, lang, _why(exc, lang), error=True)
        # Said by the reason's input, in this answer: the form as typed, nothing decided;
        # a character refused (`text_chars`) left out, as nobody sees where it was.
        typed = (without_hidden(reason) if exc.details.get("code") == "text_chars"
                 else reason)
        return await _queue(request, pool, clock, lang, None, True,
                            _Refused(event_id, typed, _why(exc, lang)), status_code=422)
    except DomainError as exc:
        return _back(request, lang, _why(exc, lang), error=True)
    return _back(request, lang, t["refused"].format(name=text_in(row["name"], lang)))
