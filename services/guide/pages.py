"""The guide's pages: the chat widget (embedded by the calendar, event pages and booking
pages with `/widget.js`), a demo page that embeds it, and the staff inbox. fi/sv/en; usable
with the keyboard alone and a screen reader, and at 200 % text size."""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import suppress
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BeforeValidator

from services.guide import domain, usecases
from services.guide.settings import settings
from shared.auth import Principal, Unauthenticated
from shared.bounds import Str
from shared.clock import HELSINKI
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.forms import WHOLE_FIELD
from shared.http import reader_language, refusal_message
from shared.l10n import clock_time, day_short, language_name, number
from shared.pages import (
    CSP,
    SKIP_CSS,
    SKIP_TO_MAIN,
    Note,
    PageLang,
    PageSession,
    kind_refusal_text,
    page_route,
    refused_page,
    script_hash,
)
from shared.service import CurrentClock, Pool


def _widget(lang: str) -> tuple[str, str]:
    return f"/widget?lang={lang}", LABELS[lang]["title"]


# The widget's pages: an odd query string is a page in the reader's language, not JSON.
router = APIRouter(tags=["pages"], route_class=page_route(_widget))
uow = usecases.unit_of_work


LABELS: dict[str, dict[str, Any]] = {
    "fi": {"title": "Kysy Kohtaamosta", "intro": "Kysy aukioloista, tapahtumista, tilojen "
           "varaamisesta tai yhteystiedoista. Vastaukset tulevat kaupungin omista tiedoista.",
           "label": "Kysymyksesi", "send": "Lähetä", "log": "Keskustelu",
           "you": "Sinä", "resident": "Asukas", "guide": "Opas", "staff": "Henkilökunta",
           "sources": "Lähteet",
           "person": "Puhu ihmisen kanssa", "larger": "Suurempi teksti",
           "waiting": "Kysymyksesi on välitetty henkilökunnalle. Vastaus tulee tähän.",
           "email_intro": "Henkilökunta ei ole nyt paikalla. Jätä sähköpostiosoitteesi, niin "
           "vastaamme sinne.", "email": "Sähköpostiosoite",
           "consent": "Osoitteeni saa säilyttää vastausta varten (se poistetaan, kun "
           "vastaus on lähetetty).", "send_email": "Pyydä vastaus sähköpostiin",
           "emailed": "Kiitos! Vastaamme sähköpostiisi. Vastaus näkyy myös tässä "
           "keskustelussa, kun palaat tälle sivulle samalla selaimella.",
           "awaiting_email": "Kysymyksesi odottaa henkilökunnan vastausta. Se tulee "
           "sähköpostiisi ja tähän keskusteluun.",
           "sent_by_email": "Tämä vastaus lähetettiin sähköpostiisi.",
           "new_conversation": "Aloita uusi keskustelu",
           "ask_first": "Kirjoita ensin kysymyksesi, niin välitämme sen henkilökunnalle.",
           "bad_email": "Tarkista sähköpostiosoite (muotoa nimi@esimerkki.fi).",
           "reply_empty": "Kirjoita vastaus: siinä ei ole mitään luettavaa.",
           "reply_too_long": "Vastaus on liian pitkä{length}: enintään {max_length} merkkiä.",
           "length": " ({length} merkkiä)",
           "text_chars": "Tekstissä on ohjausmerkki tai tekstin suuntaa kääntävä merkki, "
           "jota ei voi näyttää: kirjoita se uudelleen ilman sitä.",
           "reason_too_long": "Syy on liian pitkä{length}: enintään {max_length} merkkiä.",
           "typed_cut": "Alla näkyvät sen {shown} ensimmäistä merkkiä.",
           "consent_needed": "Osoitteen saa säilyttää vain suostumuksellasi: anna se, niin "
           "vastaamme sähköpostiin.",
           "error": "Jokin meni vikaan. "
           "Yritä uudelleen.", "open": "Kysy Kohtaamosta", "close": "Sulje",
           "privacy": "Keskustelut säilytetään {days} päivää. Henkilötietoja tallennetaan vain, "
           "jos annat ne vastausta varten. Kun välität kysymyksen henkilökunnalle, tämä "
           "selain muistaa keskustelun, kunnes aloitat uuden.",
           "inbox": "Kysymykset henkilökunnalle",
           "reply": "Vastaa", "reply_label": "Vastauksesi", "close_conv": "Päätä keskustelu",
           "close_reason": "Miksi päätät vastaamatta",
           "close_reason_help": "Asukkaalle luvattiin vastaus sähköpostiin. Vastaa ensin, tai "
           "kirjoita tähän syy: se lähetetään asukkaalle sähköpostiin.",
           "promised": "Asukkaalle on luvattu vastaus sähköpostiin: vastaa ensin, tai päätä "
           "keskustelu kertomalla syy.",
           "empty": "Ei odottavia kysymyksiä.", "by_email": "vastaus sähköpostiin",
           "inbox_emailed": "lähetetty sähköpostilla",
           "in_chat": "vastaus keskusteluun", "done": "Tehty.", "queue": "Jono",
           "sent_email": "Tehty: vastaus lähetettiin asukkaan sähköpostiin, ja se näkyy "
           "myös keskustelussa.",
           "sent_chat": "Tehty: vastaus näkyy asukkaalle keskustelussa.",
           "sent_chat_only": "Tehty: vastaus näkyy asukkaalle vain keskustelussa, jos hän "
           "palaa siihen. Sähköpostiin sitä ei lähetetty: osoite poistettiin, kun aiempi "
           "vastaus lähetettiin sähköpostilla.",
           "repeated_email": "Tämä vastaus on jo lähetetty asukkaan sähköpostiin: sitä ei "
           "lähetetty toista kertaa.",
           "repeated_chat": "Tämä vastaus on jo lähetetty keskusteluun: sitä ei lähetetty "
           "toista kertaa.",
           "address_erased": "Tätä vastausta ei lähetetty: se ei mene enää sähköpostiin, "
           "koska asukkaan osoite poistettiin, kun aiempi vastaus lähetettiin sähköpostilla. "
           "Se näkyisi asukkaalle vain keskustelussa, jos hän palaa siihen. Lähetä se sinne "
           "painamalla Vastaa uudelleen.",
           "email_help": "Vastaus lähetetään asukkaan sähköpostiin ja näkyy myös "
           "keskustelussa. Osoite poistetaan sen jälkeen.",
           "chat_only_help": "Ei sähköpostia: asukkaan osoite poistettiin, kun aiempi "
           "vastaus lähetettiin sähköpostilla. Vastaus näkyy asukkaalle vain "
           "keskustelussa, jos hän palaa siihen.",
           "sign_out": "Kirjaudu ulos", "closed": "Keskustelu on jo päätetty.",
           "address_erased_api": "Vastausta ei lähetetty: asukkaan sähköpostiosoite "
           "poistettiin, kun aiempi vastaus lähetettiin sähköpostilla, joten tämä vastaus "
           "näkyisi hänelle vain keskustelussa, jos hän palaa siihen. Lähetä se sinne "
           "lähettämällä sama vastaus uudelleen, expected-kentän arvona chat (tai ilman "
           "expected-kenttää).",
           "expected_unknown": "Tätä vastausta ei lähetetty: lomakkeelta puuttui tieto siitä, "
           "meneekö vastaus sähköpostiin vai keskusteluun. Vastauksesi on tässä sellaisena "
           "kuin kirjoitit sen: lähetä se uudelleen.",
           "closed_email": "Tehty: keskustelu päätettiin, ja syy lähetettiin asukkaan "
           "sähköpostiin.",
           "closed_chat": "Tehty: keskustelu päätettiin, ja syy näkyy asukkaalle "
           "keskustelussa.",
           "closed_chat_only": "Tehty: keskustelu päätettiin, ja syy näkyy asukkaalle vain "
           "keskustelussa, jos hän palaa siihen. Sähköpostiin sitä ei lähetetty: osoite "
           "poistettiin, kun aiempi vastaus lähetettiin sähköpostilla.",
           "repeated_close_email": "Keskustelu on jo päätetty tällä syyllä, ja syy "
           "lähetettiin asukkaan sähköpostiin: sitä ei lähetetty toista kertaa.",
           "repeated_close_chat": "Keskustelu on jo päätetty tällä syyllä, ja syy on "
           "keskustelussa: sitä ei lähetetty toista kertaa.",
           "closed_reason": "Keskustelu oli jo päätetty, joten tätä syytä ei lähetetty eikä "
           "tallennettu: keskustelu pysyy sellaisena kuin se päätettiin.",
           "desk_queue": "pääkirjaston neuvonta",
           "channels": {"web": "verkossa", "api": "toisesta palvelusta",
                        "phone": "puhelimessa"},
           "gone": "Keskustelua ei enää ole: keskustelut säilytetään vain rajatun ajan.",
           "demo": "Tapahtumakalenteri (esimerkkisivu)", "languages": "Kieli"},
    "sv": {"title": "Fråga Kohtaamo", "intro": "Fråga om öppettider, evenemang, bokning av "
           "lokaler eller kontakter. Svaren kommer från stadens egna uppgifter.",
           "label": "Din fråga", "send": "Skicka", "log": "Samtal", "you": "Du",
           "resident": "Invånare",
           "guide": "Guide", "staff": "Personal", "sources": "Källor",
           "person": "Prata med en person", "larger": "Större text",
           "waiting": "Din fråga har skickats till personalen. Svaret kommer hit.",
           "email_intro": "Personalen är inte på plats nu. Lämna din e-postadress så svarar "
           "vi dit.", "email": "E-postadress",
           "consent": "Min adress får sparas för svaret (den raderas när svaret har "
           "skickats).", "send_email": "Be om svar per e-post",
           "emailed": "Tack! Vi svarar till din e-post. Svaret syns också i det här "
           "samtalet när du kommer tillbaka till sidan i samma webbläsare.",
           "awaiting_email": "Din fråga väntar på personalens svar. Det kommer till din "
           "e-post och hit i samtalet.",
           "sent_by_email": "Det här svaret skickades till din e-post.",
           "new_conversation": "Starta ett nytt samtal",
           "ask_first": "Skriv först din fråga, så skickar vi den till personalen.",
           "bad_email": "Kontrollera e-postadressen (till exempel namn@exempel.fi).",
           "reply_empty": "Skriv ett svar: det har inget att läsa.",
           "reply_too_long": "Svaret är för långt{length}: högst {max_length} tecken.",
           "length": " ({length} tecken)",
           "text_chars": "Texten har ett styrtecken eller ett tecken som vänder textens "
           "riktning och inte kan visas: skriv den på nytt utan det.",
           "reason_too_long": "Orsaken är för lång{length}: högst {max_length} tecken.",
           "typed_cut": "Nedan syns dess första {shown} tecken.",
           "consent_needed": "Adressen får sparas bara med ditt samtycke: ge det, så svarar "
           "vi per e-post.",
           "error": "Något gick fel. Försök "
           "igen.", "open": "Fråga Kohtaamo", "close": "Stäng",
           "privacy": "Samtal sparas i {days} dagar. Personuppgifter sparas bara om du ger dem "
           "för ett svar. När du skickar frågan till personalen kommer den här webbläsaren "
           "ihåg samtalet tills du startar ett nytt.", "inbox": "Frågor till personalen",
           "reply": "Svara",
           "reply_label": "Ditt svar", "close_conv": "Avsluta samtalet",
           "close_reason": "Varför du avslutar utan att svara",
           "close_reason_help": "Invånaren har lovats ett svar per e-post. Svara först, eller "
           "skriv orsaken här: den skickas till invånaren per e-post.",
           "promised": "Invånaren har lovats ett svar per e-post: svara först, eller avsluta "
           "samtalet och skriv orsaken.",
           "empty": "Inga väntande frågor.", "by_email": "svar per e-post",
           "inbox_emailed": "skickat per e-post",
           "in_chat": "svar i chatten", "done": "Klart.", "queue": "Kö", "sign_out": "Logga ut",
           "sent_email": "Klart: svaret skickades till invånarens e-post och syns också "
           "i samtalet.",
           "sent_chat": "Klart: svaret syns för invånaren i samtalet.",
           "sent_chat_only": "Klart: svaret syns för invånaren bara i samtalet, om hen "
           "kommer tillbaka till det. Det skickades inte per e-post: adressen raderades när "
           "ett tidigare svar skickades per e-post.",
           "repeated_email": "Det här svaret har redan skickats till invånarens e-post: det "
           "skickades inte en gång till.",
           "repeated_chat": "Det här svaret har redan skickats till samtalet: det skickades "
           "inte en gång till.",
           "address_erased": "Svaret skickades inte: det går inte längre per e-post, "
           "eftersom invånarens adress raderades när ett tidigare svar skickades per e-post. "
           "Det skulle synas för invånaren bara i samtalet, om hen kommer tillbaka till det. "
           "Skicka det dit genom att trycka på Svara igen.",
           "email_help": "Svaret skickas till invånarens e-post och syns också i samtalet. "
           "Adressen raderas sedan.",
           "chat_only_help": "Ingen e-post: invånarens adress raderades när ett tidigare "
           "svar skickades per e-post. Svaret syns för invånaren bara i samtalet, om hen "
           "kommer tillbaka till det.",
           "closed": "Samtalet är redan avslutat.",
           "address_erased_api": "Svaret skickades inte: invånarens e-postadress raderades "
           "när ett tidigare svar skickades per e-post, så det här svaret skulle synas för "
           "invånaren bara i samtalet, om hen kommer tillbaka till det. Skicka det dit genom "
           "att skicka samma svar igen med chat som värde för expected (eller utan expected).",
           "expected_unknown": "Svaret skickades inte: formuläret saknade uppgiften om svaret "
           "går per e-post eller till samtalet. Ditt svar finns här som du skrev det: "
           "skicka det igen.",
           "closed_email": "Klart: samtalet avslutades och orsaken skickades till "
           "invånarens e-post.",
           "closed_chat": "Klart: samtalet avslutades och orsaken syns för invånaren i "
           "samtalet.",
           "closed_chat_only": "Klart: samtalet avslutades och orsaken syns för invånaren "
           "bara i samtalet, om hen kommer tillbaka till det. Den skickades inte per e-post: "
           "adressen raderades när ett tidigare svar skickades per e-post.",
           "repeated_close_email": "Samtalet har redan avslutats med den här orsaken, och "
           "orsaken skickades till invånarens e-post: den skickades inte en gång till.",
           "repeated_close_chat": "Samtalet har redan avslutats med den här orsaken, och "
           "orsaken finns i samtalet: den skickades inte en gång till.",
           "closed_reason": "Samtalet var redan avslutat, så den här orsaken skickades inte "
           "och sparades inte: samtalet förblir som det avslutades.",
           "desk_queue": "huvudbibliotekets informationsdisk",
           "channels": {"web": "på webben", "api": "från en annan tjänst", "phone": "per telefon"},
           "gone": "Samtalet finns inte längre: samtal sparas bara en begränsad tid.",
           "demo": "Evenemangskalender (exempelsida)", "languages": "Språk"},
    "en": {"title": "Ask Kohtaamo", "intro": "Ask about opening hours, events, booking a "
           "space or who to contact. Answers come from the city's own data.",
           "label": "Your question", "send": "Send", "log": "Conversation", "you": "You",
           "resident": "Resident",
           "guide": "Guide", "staff": "Staff", "sources": "Sources",
           "person": "Talk to a person", "larger": "Larger text",
           "waiting": "Your question was passed to the staff. The answer comes here.",
           "email_intro": "The staff are not in now. Leave your email address and we will "
           "answer there.", "email": "Email address",
           "consent": "My address may be kept for the reply (it is deleted once the reply "
           "is sent).", "send_email": "Ask for an answer by email",
           "emailed": "Thank you! We will answer by email. The answer also shows in this "
           "conversation when you come back to this page in the same browser.",
           "awaiting_email": "Your question is waiting for the staff's answer. It comes to "
           "your email and here in the conversation.",
           "sent_by_email": "This answer was sent to your email.",
           "new_conversation": "Start a new conversation",
           "ask_first": "Write your question first, and we will pass it on to the staff.",
           "bad_email": "Check the email address (for example name@example.fi).",
           "reply_empty": "Write an answer: it has nothing to read.",
           "reply_too_long": "The answer is too long{length}: at most {max_length} "
           "characters.",
           "length": " ({length} characters)",
           "text_chars": "The text has a control or text-direction character that cannot "
           "be shown: type it again without it.",
           "reason_too_long": "The reason is too long{length}: at most {max_length} "
           "characters.",
           "typed_cut": "Below are its first {shown} characters.",
           "consent_needed": "The address is kept only with your consent: give it, and we "
           "will answer by email.",
           "error": "Something went "
           "wrong. Please try again.", "open": "Ask Kohtaamo", "close": "Close",
           "privacy": "Conversations are kept for {days} days. Personal data is kept only if "
           "you give it for a reply. Once you pass a question to the staff, this browser "
           "remembers the conversation until you start a new one.",
           "inbox": "Questions for the staff", "reply": "Reply",
           "reply_label": "Your reply", "close_conv": "End the conversation",
           "close_reason": "Why you end it without answering",
           "close_reason_help": "The resident was promised an answer by email. Answer first, "
           "or write the reason here: it is emailed to the resident.",
           "promised": "The resident was promised an answer by email: answer first, or end "
           "the conversation saying why.",
           "empty": "No questions waiting.", "by_email": "answer by email",
           "inbox_emailed": "sent by email",
           "in_chat": "answer in the chat", "done": "Done.", "queue": "Queue",
           "sent_email": "Done: the answer was sent to the resident's email and also "
           "shows in the conversation.",
           "sent_chat": "Done: the answer shows to the resident in the conversation.",
           "sent_chat_only": "Done: the answer shows to the resident only in the "
           "conversation, if they come back to it. It was not emailed: the address was "
           "erased when an earlier answer was emailed.",
           "repeated_email": "This answer was already sent to the resident's email: it was "
           "not sent a second time.",
           "repeated_chat": "This answer was already sent to the conversation: it was not "
           "sent a second time.",
           "address_erased": "This answer was not sent: it can no longer go by email, as "
           "the resident's address was erased when an earlier answer was emailed. It would "
           "show to the resident only in the conversation, if they come back to it. Send it "
           "there by pressing Reply again.",
           "email_help": "The answer is sent to the resident's email and also shows in the "
           "conversation. The address is erased then.",
           "chat_only_help": "No email: the resident's address was erased when an earlier "
           "answer was emailed. The answer shows to the resident only in the conversation, "
           "if they come back to it.",
           "sign_out": "Sign out", "closed": "The conversation has already ended.",
           "address_erased_api": "This answer was not sent: the resident's email address was "
           "erased when an earlier answer was emailed, so this answer would show to them only "
           "in the conversation, if they come back to it. To send it there, send the same "
           "reply again with expected set to chat (or without expected).",
           "expected_unknown": "This answer was not sent: the form had lost whether the "
           "answer goes by email or to the conversation. Your answer is here as you typed "
           "it: send it again.",
           "closed_email": "Done: the conversation was ended and the reason was sent to the "
           "resident's email.",
           "closed_chat": "Done: the conversation was ended and the reason shows to the "
           "resident in the conversation.",
           "closed_chat_only": "Done: the conversation was ended and the reason shows to the "
           "resident only in the conversation, if they come back to it. It was not emailed: "
           "the address was erased when an earlier answer was emailed.",
           "repeated_close_email": "The conversation had already ended with this reason, "
           "which was sent to the resident's email: it was not sent a second time.",
           "repeated_close_chat": "The conversation had already ended with this reason, "
           "which is in the conversation: it was not sent a second time.",
           "closed_reason": "The conversation had already ended, so this reason was neither "
           "sent nor kept: the conversation stays as it ended.",
           "desk_queue": "the main library's information desk",
           "channels": {"web": "on the web", "api": "from another service", "phone": "by phone"},
           "gone": "The conversation is no longer here: conversations are kept for a "
           "limited time.",
           "demo": "Event calendar (example page)", "languages": "Language"},
}

_STYLE = """
:root { font-size: 100%; }
html.large { font-size: 150%; }
body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; color: #111;
       background: #fff; line-height: 1.5; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
/* Long words ("Tapahtumakalenteri", an address) wrap on a narrow screen or with large text,
   as on the residents' other pages: nothing scrolls sideways (WCAG 1.4.10). */
h1, h2, p, a, li, label, .msg, button { overflow-wrap: anywhere; }
h1, h2, label { hyphens: auto; }
p { margin: .25rem 0 .75rem; }
a { color: #0645ad; }
#log { border: 1px solid #555; padding: .5rem; min-height: 8rem; max-height: 60vh;
       overflow-y: auto; margin: .5rem 0; }
.msg { margin: .5rem 0; white-space: pre-line; }
.msg .who { font-weight: bold; }
.msg.resident { background: #eef3fb; padding: .25rem .5rem; }
.msg.staff { background: #f3f9ee; padding: .25rem .5rem; }
label { display: block; font-weight: bold; margin-top: .5rem; }
input[type=text], input[type=email], textarea { font-size: 1rem; width: 100%;
    box-sizing: border-box; padding: .5rem; border: 2px solid #333; }
button { font-size: 1rem; padding: .5rem 1rem; margin: .5rem .5rem 0 0; border: 2px solid #003;
         background: #003580; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #003580; }
:focus-visible { outline: 3px solid #d4351c; outline-offset: 2px; }
.langs a { margin-right: .75rem; }
.small { font-size: .875rem; color: #333; }
.check { display: flex; gap: .5rem; align-items: flex-start; font-weight: normal; }
.field-error, .notice.error { color: #a4000f; font-weight: bold; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _langs(path: str, lang: str) -> str:
    """The language switch: named in the page's language (one language a screen reader can
    read it in), each link in its own language (`lang`) and leading to a page in it
    (`hreflang`)."""
    names = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
    current = ' aria-current="page"'
    return f"<nav class='langs' aria-label='{_e(LABELS[lang]['languages'])}'>" + "".join(
        f"<a href='{path}?lang={code}' hreflang='{code}' lang='{code}'"
        f"{current if code == lang else ''}>{name}</a>" for code, name in names.items()
    ) + "</nav>"


def _widget_csp(page: str) -> str:
    """The shared policy, plus exactly the page's own inline script (by its hash), and framing
    by the city's own pages that embed the widget (the calendar, event and booking pages)."""
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    links = settings().links
    return CSP.replace("script-src 'self'", f"script-src 'self' {script_hash(script)}").replace(
        "frame-ancestors 'none'", f"frame-ancestors 'self' {links.events} {links.booking}")


@router.get("/widget", response_class=HTMLResponse)
async def widget(lang: PageLang) -> HTMLResponse:
    t = {**LABELS[lang], "privacy": LABELS[lang]["privacy"].format(
        days=settings().retention_days),
         # A question with nothing to read, said before it is sent as the service says it.
         "question_empty": refusal_message(usecases.nothing_to_read("text"), lang, refusal)}
    page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(t['title'])}</title><style>{_STYLE}</style></head>
<body><main>
<h1>{_e(t['title'])}</h1>
{_langs('/widget', lang)}
<p>{_e(t['intro'])}</p>
<button type="button" id="larger" class="secondary" aria-pressed="false">{_e(t['larger'])}</button>
<div id="log" role="log" aria-live="polite" aria-label="{_e(t['log'])}" tabindex="0"></div>
<form id="ask" novalidate>
  <label for="question">{_e(t['label'])}</label>
  <input type="text" id="question" name="question" maxlength="1000" autocomplete="off"
         aria-required="true">
  <button type="submit">{_e(t['send'])}</button>
  <button type="button" id="person" class="secondary">{_e(t['person'])}</button>
  <button type="button" id="new-conversation" class="secondary"
          hidden>{_e(t['new_conversation'])}</button>
</form>
<form id="email-form" novalidate hidden>
  <p id="email-intro">{_e(t['email_intro'])}</p>
  <label for="email">{_e(t['email'])}</label>
  <input type="email" id="email" name="email" maxlength="254" autocomplete="email"
         aria-required="true">
  <label class="check"><input type="checkbox" id="consent" aria-required="true">
    {_e(t['consent'])}</label>
  <button type="submit">{_e(t['send_email'])}</button>
</form>
<p id="status" role="status"></p>
<p class="small">{_e(t['privacy'])}</p>
</main>
<script>
const T = {json.dumps(t)};
const LANG = {json.dumps(lang)};
let conversation = null, lastSeen = 0, poller = null;
const log = document.getElementById('log');
const status = document.getElementById('status');
const newConversation = document.getElementById('new-conversation');
const question = document.getElementById('question');
// Something a person reads: a letter, digit, punctuation or symbol, the service's own rule
// (`shared.bounds.readable`). Spaces or a zero-width space alone are refused unsent, in the
// service's words (no conversation is started for them).
const READABLE = /[\\p{{L}}\\p{{N}}\\p{{P}}\\p{{S}}]/u;
function say(message) {{
  // The same words again are said again: a screen reader hears a live region's change only.
  if (message && status.textContent === message) {{
    status.textContent = '';
    setTimeout(() => {{ status.textContent = message; }}, 100);
  }} else status.textContent = message;
}}
// An input refused is marked and described by the status, which says why; no browser's own
// bubble (the forms are novalidate): it spoke the browser's language, not the page's.
function mark(field, refused) {{
  if (refused) {{
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', 'status');
  }} else {{
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }}
}}
// The question refused (nothing to read, a character that cannot be shown): said in the
// page's language by the field, which keeps the focus and what was typed.
function refuseQuestion(message) {{
  mark(question, true);
  say(message);
  question.focus();
}}
function questionAccepted() {{ mark(question, false); }}
// A conversation handed to the staff is remembered by this browser (its id only), so that
// their answer shows here when the resident comes back, also one sent by email.
const KEPT = 'kohtaamo-guide-conversation';
function remember() {{
  try {{ localStorage.setItem(KEPT, conversation.conversation_id); }} catch (e) {{}}
  newConversation.hidden = false;
}}
function forget() {{
  try {{ localStorage.removeItem(KEPT); }} catch (e) {{}}
  newConversation.hidden = true;
}}
function add(author, text, citations, emailed, lang, parts) {{
  const div = document.createElement('div');
  div.className = 'msg ' + author;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = (author === 'resident' ? T.you : author === 'staff' ? T.staff : T.guide) + ': ';
  div.appendChild(who);
  // An answer in another language than the page's (a Finnish question on the Swedish
  // widget) is marked as such, so a screen reader reads it in its own voice (WCAG 3.1.2).
  const said = document.createElement('span');
  said.className = 'said';
  if (lang && lang !== LANG) said.lang = lang;
  // Words in another language than the answer's (a desk's reason written in Finnish only)
  // in their own; lang="" for one not known, so that no voice is guessed for it.
  if (parts && parts.length) {{
    for (const p of parts) {{
      if (p.lang === (lang || LANG)) {{
        said.appendChild(document.createTextNode(p.text));
        continue;
      }}
      const other = document.createElement('span');
      other.setAttribute('lang', p.lang || '');
      other.textContent = p.text;
      said.appendChild(other);
    }}
  }} else said.textContent = text;
  div.appendChild(said);
  if (citations && citations.length) {{
    const label = document.createElement('p');
    label.textContent = T.sources + ':';
    const list = document.createElement('ul');
    for (const c of citations) {{
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = c.url; a.target = '_top';
      // A title in its own voice: in the answer's language, or its own when it has no
      // other (an event named in Finnish only), where that is not the page's.
      const titled = c.lang || lang;
      if (titled && titled !== LANG) a.setAttribute('lang', titled);
      // Words of the title in another language (a venue named in Finnish only, in
      // "Uppgifter om platsen: Jynkän kirjasto") in their own voice.
      if (c.parts && c.parts.length) {{
        for (const p of c.parts) {{
          if (p.lang === (titled || LANG)) {{
            a.appendChild(document.createTextNode(p.text));
            continue;
          }}
          const other = document.createElement('span');
          other.setAttribute('lang', p.lang || '');
          other.textContent = p.text;
          a.appendChild(other);
        }}
      }} else a.textContent = c.title;
      li.appendChild(a); list.appendChild(li);
    }}
    div.appendChild(label); div.appendChild(list);
  }}
  if (emailed) {{
    const note = document.createElement('p');
    note.className = 'small';
    note.textContent = T.sent_by_email;
    div.appendChild(note);
  }}
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
}}
async function api(method, path, body) {{
  // In the page's language: a refusal's message is said in it (the reader's choice).
  const r = await fetch(path + '?lang=' + LANG,
                        {{method, headers: {{'content-type': 'application/json'}},
                               body: body ? JSON.stringify(body) : undefined}});
  const data = await r.json().catch(() => ({{}}));
  if (!r.ok) throw Object.assign(new Error('http ' + r.status), {{data, status: r.status}});
  return data;
}}
function handoverPath() {{
  return 'conversations/' + conversation.conversation_id + '/handover';
}}
async function ensureConversation() {{
  if (!conversation) conversation = await api('POST', 'conversations',
                                             {{language: LANG, channel: 'web'}});
  return conversation;
}}
function showNew(c) {{
  const msgs = c.messages;
  for (; lastSeen < msgs.length; lastSeen++) {{
    const m = msgs[lastSeen];
    add(m.author, m.text, m.answer ? m.answer.citations : null, m.emailed,
        m.answer ? m.answer.language : null, m.answer ? m.answer.parts : null);
  }}
}}
function watch(c) {{
  // A person answers in the chat within seconds; one answering by email, within days.
  if (poller) {{ clearInterval(poller); poller = null; }}
  if (c.status === 'waiting' || c.status === 'awaiting_reply') {{
    poller = setInterval(poll, c.status === 'waiting' ? 3000 : 30000);
  }}
}}
document.getElementById('ask').addEventListener('submit', async (ev) => {{
  ev.preventDefault();
  const input = question;
  const text = input.value.trim();
  if (!READABLE.test(text)) {{ refuseQuestion(T.question_empty); return; }}
  try {{
    if (conversation && conversation.status === 'closed') {{
      // Ended by the staff: a new question is a new conversation, below the old one.
      conversation = null; lastSeen = 0; forget();
    }}
    const c = await ensureConversation();
    const r = await api('POST', 'conversations/' + c.conversation_id + '/messages', {{text}});
    conversation = r.conversation;
    showNew(conversation);
    input.value = '';
    questionAccepted();
    status.textContent = '';
  }} catch (e) {{
    // A question refused says what to fix (a character that cannot be shown), as typed.
    if (e.status === 422 && e.data && e.data.message) refuseQuestion(e.data.message);
    else status.textContent = T.error;
  }}
  input.focus();
}});
async function poll() {{
  try {{
    const c = await api('GET', 'conversations/' + conversation.conversation_id);
    conversation = c; showNew(c);
    if (c.status === 'answered' || c.status === 'closed') {{
      clearInterval(poller); poller = null;
    }}
  }} catch (e) {{
    if (e.status === 404) {{ clearInterval(poller); poller = null; forget(); }}
  }}
}}
async function restore() {{
  let id = null;
  try {{ id = localStorage.getItem(KEPT); }} catch (e) {{}}
  if (!id) return;
  try {{
    conversation = await api('GET', 'conversations/' + encodeURIComponent(id));
  }} catch (e) {{
    // Gone (kept for a limited time) or never valid: forgotten; else tried on next visit.
    if (e.status === 404 || e.status === 422) forget();
    return;
  }}
  newConversation.hidden = false;
  showNew(conversation);
  status.textContent = conversation.status === 'awaiting_reply' ? T.awaiting_email
    : conversation.status === 'waiting' ? T.waiting : '';
  watch(conversation);
}}
newConversation.addEventListener('click', () => {{
  if (poller) {{ clearInterval(poller); poller = null; }}
  conversation = null; lastSeen = 0; forget();
  log.replaceChildren();
  status.textContent = '';
  questionAccepted();
  question.focus();
}});
restore();
document.getElementById('person').addEventListener('click', async () => {{
  const input = document.getElementById('question');
  try {{
    if (!conversation || !conversation.messages.some(m => m.author === 'resident')) {{
      status.textContent = T.ask_first; input.focus(); return;
    }}
    const hours = await api('GET', 'staff-hours');
    if (hours.staffed_now) {{
      conversation = await api('POST', handoverPath(), {{}});
      status.textContent = T.waiting;
      remember(); watch(conversation);
    }} else {{
      const form = document.getElementById('email-form');
      form.hidden = false;
      document.getElementById('email').focus();
    }}
  }} catch (e) {{ status.textContent = T.error; }}
}});
document.getElementById('email-form').addEventListener('submit', async (ev) => {{
  ev.preventDefault();
  const email = document.getElementById('email');
  const consent = document.getElementById('consent');
  // Both required: each one left out said at once, by it, in the service's words (an empty
  // address is one it refuses as such), the first one focused.
  const left = [[email, !email.value.trim(), T.bad_email],
                [consent, !consent.checked, T.consent_needed]];
  for (const [field, missing] of left) mark(field, missing);
  const out = left.filter(l => l[1]);
  if (out.length) {{ say(out.map(l => l[2]).join(' ')); out[0][0].focus(); return; }}
  try {{
    conversation = await api('POST', handoverPath(), {{
      contact_email: email.value, consent: consent.checked}});
    document.getElementById('email-form').hidden = true;
    status.textContent = T.emailed;
    remember(); watch(conversation);
    mark(email, false); mark(consent, false);
    question.focus();
  }} catch (e) {{
    // What the page let through but the service refused: say which, by its input.
    const code = e.data && e.data.code;
    const refused = code === 'email_invalid' || ((e.data && e.data.detail) || []).some(
      d => Array.isArray(d.loc) && d.loc.includes('contact_email'));
    if (code === 'consent_needed') {{
      mark(consent, true); consent.focus();
      say(T.consent_needed);
    }} else {{
      if (refused) {{ mark(email, true); email.focus(); }}
      say(refused ? T.bad_email : T.error);
    }}
  }}
}});
window.addEventListener('message', (ev) => {{
  // Embedded and opened (widget.js): the question takes the focus the frame was given,
  // which was the frame's body, so typing went nowhere.
  if (ev.source === window.parent && ev.data === 'kohtaamo-guide-focus') {{
    document.getElementById('question').focus();
  }}
}});
document.addEventListener('keydown', (ev) => {{
  // Embedded: Escape closes the panel of the page around (widget.js listens).
  if (ev.key === 'Escape' && window.parent !== window) {{
    window.parent.postMessage('kohtaamo-guide-close', '*');
  }}
}});
document.getElementById('larger').addEventListener('click', (ev) => {{
  const on = document.documentElement.classList.toggle('large');
  ev.currentTarget.setAttribute('aria-pressed', on ? 'true' : 'false');
}});
</script></body></html>"""
    return HTMLResponse(page, headers={"Content-Security-Policy": _widget_csp(page)})


_WIDGET_JS = """(function () {
  var script = document.currentScript;
  var base = script.src.replace(/\\/widget\\.js.*$/, '');
  var lang = script.getAttribute('data-lang') || document.documentElement.lang || 'fi';
  if (['fi', 'sv', 'en'].indexOf(lang) < 0) lang = 'fi';
  var labels = %s;
  var t = labels[lang];
  var button = document.createElement('button');
  button.type = 'button';
  button.id = 'kohtaamo-guide-open';
  button.textContent = t.open;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'kohtaamo-guide');
  // Room kept at the page's end for the button where it floats, so that the page's last
  // lines scroll clear of it.
  var room = document.createElement('div');
  room.id = 'kohtaamo-guide-room';
  room.setAttribute('aria-hidden', 'true');
  var panel = document.createElement('section');
  panel.id = 'kohtaamo-guide';
  panel.setAttribute('aria-label', t.open);
  panel.hidden = true;
  // A column: the bar with the close button, then the chat below it. The button is in
  // the flow, never over the chat (it covered "In English" and the conversation at 320 px
  // with large text); the bar wraps and grows with the text.
  panel.style.cssText = 'position:fixed;right:1rem;bottom:4.5rem;display:none;' +
    'flex-direction:column;box-sizing:border-box;' +
    'width:min(26rem,calc(100vw - 2rem));height:min(40rem,calc(100vh - 6rem));' +
    'background:#fff;border:2px solid #003580;z-index:2147483000';
  var bar = document.createElement('div');
  bar.style.cssText = 'display:flex;flex-wrap:wrap;justify-content:flex-end;flex:none;' +
    'padding:.25rem;border-bottom:1px solid #003580;background:#fff';
  var close = document.createElement('button');
  close.type = 'button';
  close.id = 'kohtaamo-guide-close';
  close.textContent = t.close;
  // Its own look, whatever the page around styles its buttons as.
  close.style.cssText = 'font-size:1rem;margin:0;padding:.25rem .75rem;max-width:100%%;' +
    'overflow-wrap:anywhere;background:#fff;color:#003580;border:2px solid #003580;' +
    'cursor:pointer';
  var frame = document.createElement('iframe');
  frame.title = t.open;
  frame.style.cssText = 'display:block;border:0;width:100%%;flex:1 1 auto;min-height:0';
  bar.appendChild(close);
  panel.appendChild(bar);
  panel.appendChild(frame);
  var loaded = false;
  function focusQuestion() {
    // Into the frame, then its question (the frame's own page listens).
    frame.focus();
    frame.contentWindow.postMessage('kohtaamo-guide-focus', base);
  }
  frame.addEventListener('load', function () {
    loaded = true;
    if (!panel.hidden) focusQuestion();
  });
  function toggle(open) {
    panel.hidden = !open;
    panel.style.display = open ? 'flex' : 'none';  // its inline flex would outdo `hidden`
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) {
      if (!frame.src) frame.src = base + '/widget?lang=' + lang;
      if (loaded) focusQuestion(); else frame.focus();
    } else { button.focus(); }
  }
  // Where the button is: floating in the corner where the screen has room for it, with
  // room kept below the page and above what takes the focus (scroll-padding), so that it
  // covers nothing one cannot scroll clear of; in the page's flow, at its end, on a screen
  // narrow or short for its text (at 320 px with 200 %% text the floating button took a
  // quarter of the screen, over the desk page's content, WCAG 1.4.10, 2.4.11).
  var root = document.documentElement;
  var pagePadding = root.style.scrollPaddingBottom;
  var look = 'font-size:1rem;padding:.75rem 1rem;background:#003580;color:#fff;' +
    'border:2px solid #fff;z-index:2147483000;cursor:pointer;overflow-wrap:anywhere;';
  function place() {
    var rem = parseFloat(getComputedStyle(root).fontSize) || 16;
    var inFlow = window.innerWidth < 40 * rem || window.innerHeight < 25 * rem;
    button.style.cssText = look + (inFlow
      ? 'position:static;display:block;margin:1rem;max-width:calc(100%% - 2rem)'
      : 'position:fixed;right:1rem;bottom:1rem;max-width:calc(100vw - 2rem)');
    var kept = inFlow ? 0 : button.offsetHeight + 2 * rem;
    room.style.height = kept + 'px';
    root.style.scrollPaddingBottom = inFlow ? pagePadding : kept + 'px';
    // The open chat above the floating button; with the button in the flow, from the
    // screen's foot.
    panel.style.bottom = inFlow ? '1rem' : (button.offsetHeight + 1.5 * rem) + 'px';
    panel.style.height = inFlow ? 'min(40rem,calc(100vh - 2rem))'
      : 'min(40rem,calc(100vh - ' + (button.offsetHeight + 2.5 * rem) + 'px))';
  }
  button.addEventListener('click', function () { toggle(panel.hidden); });
  close.addEventListener('click', function () { toggle(false); });
  panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') toggle(false); });
  window.addEventListener('message', function (e) {
    if (e.source === frame.contentWindow && e.data === 'kohtaamo-guide-close') toggle(false);
  });
  document.body.appendChild(room);
  document.body.appendChild(button);
  document.body.appendChild(panel);
  place();
  window.addEventListener('resize', place);
  // Larger text (the reader's setting, or the page's) changes the button's size.
  if (window.ResizeObserver) new ResizeObserver(place).observe(button);
})();
"""


class JavaScriptResponse(Response):
    """A script: OpenAPI says text/javascript, as the response does, not JSON."""

    media_type = "text/javascript"


@router.get("/widget.js", response_class=JavaScriptResponse)
async def widget_js() -> JavaScriptResponse:
    """The launcher other pages embed: `<script src="<guide>/widget.js" data-lang="fi"
    defer></script>` opens the chat in a frame (Escape closes it)."""
    labels = {lang: {"open": t["open"], "close": t["close"]} for lang, t in LABELS.items()}
    return JavaScriptResponse(_WIDGET_JS % json.dumps(labels),
                              headers={"Cache-Control": "public, max-age=300"})


@router.get("/widget/demo", response_class=HTMLResponse)
async def demo(lang: PageLang) -> HTMLResponse:
    """An example page that embeds the widget as the calendar and booking pages do."""
    t = LABELS[lang]
    return HTMLResponse(f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(t['demo'])}</title><style>{_STYLE}</style></head><body><main>
<h1>{_e(t['demo'])}</h1>{_langs('/widget/demo', lang)}
<p>{_e(t['intro'])}</p></main>
<script src="/widget.js" data-lang="{lang}" defer></script></body></html>""")


# --- the staff inbox ------------------------------------------------------------------------


#: The inbox's cookie session: sign-in by form, sign-out, CSRF token in every form.
SESSION = PageSession("guide", "/staff", {"fi": "Kysymykset henkilökunnalle",
                                          "sv": "Frågor till personalen",
                                          "en": "Questions for the staff"},
                      roles=usecases.STAFF, home="/staff/inbox")
router.include_router(SESSION.router())


def _inbox(lang: str) -> tuple[str, str]:
    return f"/staff/inbox?lang={lang}", LABELS[lang]["inbox"]


def _staff(request: Request) -> Principal:
    principal = SESSION.principal(request)
    usecases.require_staff(principal)
    return principal


def _sign_in(lang: str) -> RedirectResponse:
    """Signed out (the session ran out), or not staff: to the sign-in as staff."""
    return RedirectResponse(f"/staff/login?{urlencode({'lang': lang})}", status_code=303)


#: The inbox's inputs by the labels its forms give them, for a refusal before the route.
_INBOX_LABELS = {"text": {lang: LABELS[lang]["reply_label"] for lang in LABELS},
                 "reason": {lang: LABELS[lang]["close_reason"] for lang in LABELS}}


class _StaffRoute(page_route(_inbox, labels=_INBOX_LABELS)):  # type: ignore[misc]
    """The inbox's routes: whoever is not signed in as staff is sent to sign in before
    anything the request carries is judged (its id, its query, its form and the form's
    CSRF token, which FastAPI and `check_form` would otherwise refuse first: an anonymous
    post with a broken form heard about the form). Then a query or form their schemas refuse
    is a page leading back to the inbox."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler: Callable[[Request], Coroutine[Any, Any, Response]] = (
            super().get_route_handler())

        async def answer(request: Request) -> Response:
            try:
                _staff(request)
            except (Unauthenticated, Forbidden):
                # The language the address names, if one of ours, else the reader's.
                return _sign_in(reader_language(request))
            return await handler(request)

        return answer


staff = APIRouter(route_class=_StaffRoute)


@staff.get("/staff/inbox", response_class=HTMLResponse)
async def inbox_page(request: Request, pool: Pool, lang: PageLang,
                     said: Note = Depends(SESSION.note)) -> Response:
    return await _inbox_page(request, pool, lang, said)


@dataclass(frozen=True)
class InboxRefusal:
    """A staff form refused: its conversation, which input (`text`, the answer; `reason`,
    the ending's), what was typed, and why: said by that input, which takes focus.
    `erased`: an answer its form said goes by email, the address erased since
    (`usecases.AddressErased`): the conversation is shown even if no longer waiting."""

    conversation_id: UUID
    input: Literal["text", "reason"]
    typed: str
    why: str
    erased: bool = False


async def _inbox_page(request: Request, pool: Pool, lang: str, said: Note,
                      refused: InboxRefusal | None = None,
                      status_code: int = 200) -> Response:
    """The inbox. `refused`: an answer or an ending refused, said by its input."""
    principal = _staff(request)  # staff, by the route (`_StaffRoute`)
    t = LABELS[lang]
    csrf = f"<input type='hidden' name='csrf' value='{SESSION.csrf_token(request)}'>"
    conversations = await usecases.inbox(uow(pool), principal, None)
    if refused is not None and refused.erased and not any(
            c.conversation_id == refused.conversation_id for c in conversations):
        # Answered already (so no longer waiting), its address erased: shown with the
        # answer as typed and where it would go, so that it is sent there knowingly.
        with suppress(NotFound):  # gone meanwhile: said above the inbox
            conversations = [await usecases.get_conversation(uow(pool),
                                                             refused.conversation_id),
                             *conversations]
    items = []
    for c in conversations:
        # Staff read the resident as a resident: "you" is the resident's own page's word.
        who = {"resident": t["resident"], "staff": t["staff"], "guide": t["guide"]}
        # An answer the resident was sent by email says so: staff see it reached them.
        lines = "".join(
            f"<li class='msg {_e(m.author)}'><span class='who'>{_e(who.get(m.author, ''))}"
            f" {day_short(m.at.astimezone(HELSINKI).date(), lang)} {clock_time(m.at, lang)}"
            + (f" ({_e(t['inbox_emailed'])})" if m.emailed else "")
            # Said in the conversation's language, whatever the page's (WCAG 3.1.2).
            + f"</span>: <span lang='{_e(c.language)}'>{_e(m.text)}</span></li>"
            for m in c.messages)
        promised = c.status == "awaiting_reply"
        by_email = c.contact_email is not None
        how = t["by_email"] if by_email else t["in_chat"]
        # Where the answer goes, said by its input before it is sent: by email, or (an
        # earlier answer emailed, the address erased) the chat alone, not by email.
        goes = ("email_help" if by_email else
                "chat_only_help" if usecases.emailed_before(c) else None)
        cid = c.conversation_id
        mine = refused if refused is not None and refused.conversation_id == cid else None
        answer = mine if mine is not None and mine.input == "text" else None
        ending = mine if mine is not None and mine.input == "reason" else None
        described = " ".join(([f"rh-{cid}"] if goes else []) + ([f"re-{cid}"] if answer
                                                                 else []))
        # Promised an answer by email: ending it without one says why to the resident.
        why = (f"""<label for="c-{cid}">{_e(t['close_reason'])}</label>
<p class="small" id="ch-{cid}">{_e(t['close_reason_help'])}</p>{
    f'<p class="field-error" id="ce-{cid}">{_e(ending.why)}</p>' if ending else ''}
<textarea id="c-{cid}" name="reason" rows="2" maxlength="{usecases.REASON_MAX}" required \
aria-describedby="ch-{cid}{f' ce-{cid}" aria-invalid="true" autofocus' if ending else '"'}>\
{_e(ending.typed) if ending else ''}</textarea>""" if promised else "")
        items.append(f"""<article class="conversation" data-id="{cid}"
 aria-labelledby="h-{cid}"><h2 id="h-{cid}">{_e(t['queue'])}: {_e(_queue(c.queue, lang))}
 ({_e(how)}, {_e(t['channels'].get(c.channel, c.channel))},
 {_e(language_name(c.language, lang))})</h2><ul>{lines}</ul>
<form method="post" action="/staff/conversations/{cid}/reply?lang={lang}">{csrf}
<input type="hidden" name="expected" value="{'email' if by_email else 'chat'}">
<label for="r-{cid}">{_e(t['reply_label'])}</label>{
    f'<p class="small" id="rh-{cid}">{_e(t[goes])}</p>' if goes else ''}{
    f'<p class="field-error" id="re-{cid}">{_e(answer.why)}</p>' if answer else ''}
<textarea id="r-{cid}" name="text" rows="3" maxlength="{usecases.REPLY_MAX}" required{
    f' aria-describedby="{described}"' if described else ''}{
    ' aria-invalid="true" autofocus' if answer else ''}>\
{_e(answer.typed) if answer else ''}</textarea>
<button type="submit">{_e(t['reply'])}</button></form>
<form method="post" action="/staff/conversations/{cid}/close?lang={lang}">{csrf}{why}
<button type="submit" class="secondary">{_e(t['close_conv'])}</button></form></article>""")
    body = "".join(items) or f"<p>{_e(t['empty'])}</p>"
    if refused is not None and not any(c.conversation_id == refused.conversation_id
                                       for c in conversations):
        said = Note(refused.why, True)  # gone from the inbox meanwhile: said above
    # What the action did, in the status region that takes focus, as the desk's does: a
    # screen reader reads it, and the keyboard goes on from it, not from the page's start.
    # (An answer or a reason refused says so by its input, which has the focus; then there
    # is no note.)
    note = (f'<div id="status" role="status" tabindex="-1"'
            f'{" autofocus" if said.text else " hidden"}>'
            + (f"<p class='notice{' error' if said.error else ''}'>{_e(said.text)}</p>"
               if said.text else "") + "</div>")
    # A skip link first in the Tab order, as the residents' pages have (`SKIP_TO_MAIN`),
    # past the language switch and the sign-out to the conversations.
    return HTMLResponse(f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(t['inbox'])}</title><style>{_STYLE}{SKIP_CSS}</style></head><body>
<a class="skip" href="#main">{_e(SKIP_TO_MAIN[lang])}</a><header>
<h1>{_e(t['inbox'])}</h1>{_langs('/staff/inbox', lang)}
<form method="post" action="/staff/logout?lang={lang}">{csrf}<button type="submit"
 class="secondary">{_e(t['sign_out'])}</button></form></header>
<main id="main" tabindex="-1">{note}{body}</main></body></html>""",
                        status_code=status_code, headers={"Cache-Control": "no-store"})


def _queue(queue: str | None, lang: str) -> str:
    """Whose queue a conversation is in, as staff say it: an area's coordinator or the desk."""
    kind, _, region = (queue or "desk").partition(":")
    names = domain.COORDINATORS.get(region) if kind == "coordinator" else None
    return names[lang] if names else str(LABELS[lang]["desk_queue"])


def _back(request: Request, lang: str, message: str, *, error: bool = False
          ) -> RedirectResponse:
    return SESSION.noted(request, "/staff/inbox", message, error=error,
                         params=[("lang", lang)])


#: The words of each of the guide's own refusals (`usecases`), by its code: the widget's and
#: the inbox's own, so the API's client reads what the pages say.
_REFUSAL_WORDS = {"answer_promised": "promised", "conversation_closed": "closed",
                  "no_conversation": "gone", "email_invalid": "bad_email",
                  "email_needed": "email_intro", "question_first": "ask_first",
                  "consent_needed": "consent_needed", "reply_empty": "reply_empty",
                  "reply_too_long": "reply_too_long", "reason_too_long": "reason_too_long",
                  "text_chars": "text_chars", "address_erased": "address_erased_api",
                  "expected_unknown": "expected_unknown"}


def refusal(exc: DomainError, lang: str) -> str | None:
    """A refusal in the words the widget and the staff's inbox say it, on their pages and in
    the API (`ServiceSpec.refusal_text`), by its code; a 409 or 404 without one as an ended
    or expired conversation (the guide's only ones); None: others, in the shared words
    (`shared.http`). An answer whose address is gone is said to the API's client by what it
    sends (`expected`), the inbox's words by its button (`inbox_refusal`)."""
    return _refusal(exc, lang, _REFUSAL_WORDS)


def inbox_refusal(exc: DomainError, lang: str) -> str | None:
    """A refusal as the staff's inbox says it: as `refusal`, but an answer whose address is
    gone says to press Reply again, the button the inbox has."""
    return _refusal(exc, lang, {**_REFUSAL_WORDS, "address_erased": "address_erased"})


def _refusal(exc: DomainError, lang: str, by_code: dict[str, str]) -> str | None:
    code = str(exc.details.get("code"))
    if isinstance(exc, usecases.ReasonNotKept):
        # A later reason to an ended conversation: said as not kept, not as a question to
        # a closed one.
        return str(LABELS[lang]["closed_reason"])
    if code == "string_too_short" and isinstance(exc, Invalid) and exc.field in (
            "question", "text"):
        # A question with nothing to read (`usecases.nothing_to_read`), named as the
        # question whichever way it came: a conversation's `text` was "Teksti", "Text".
        return kind_refusal_text("question", code, exc.details, lang)
    words = by_code.get(code)
    if words is None and isinstance(exc, Conflict | NotFound):
        words = "closed" if isinstance(exc, Conflict) else "gone"
    if words is None:
        return None
    said = str(LABELS[lang][words])
    if "{max_length}" in said:
        # How long it is and the limit, as the language writes numbers ("23 456",
        # "23,456"): one pasted far over is told how much to cut.
        length = exc.details.get("length")
        said = said.format(
            length=str(LABELS[lang]["length"]).format(length=number(int(length), lang))
            if isinstance(length, int) else "",
            max_length=number(int(exc.details.get("max_length") or 0), lang))
    return said


async def _staff_act(request: Request, lang: str,
                     act: Callable[[Principal], Awaitable[str | None]],
                     refused: Callable[[DomainError], Awaitable[Response]] | None = None
                     ) -> Response:
    """A staff form's action: the form checked, then `act` as the signed-in staff member;
    back to the inbox saying what happened (what `act` says, else "Done."), in its
    language. An input's refusal (an answer with nothing to read, an ending without the
    reason promised, an answer whose email address is gone) is `refused`'s page: the
    inbox, said by that input, as typed."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff/inbox")
    try:
        done = await act(_staff(request))
    except (Unauthenticated, Forbidden):  # checked by the route already; kept as the rule
        return _sign_in(lang)
    except (usecases.AnswerPromised, usecases.AddressErased, Invalid) as exc:
        if refused is None:
            return _back(request, lang, refusal_message(exc, lang, inbox_refusal),
                         error=True)
        return await refused(exc)
    except (Conflict, NotFound) as exc:
        return _back(request, lang, inbox_refusal(exc, lang) or "", error=True)
    return _back(request, lang, done or str(LABELS[lang]["done"]))


#: The most of a staff form's text the inbox shows again in a refused form: more than an
#: answer or a reason may be, so one too long is said by its input and kept as typed.
_TYPED_MAX = 20_000


def _kept(typed: str) -> str:
    """A refused form's text as shown again by its input: as typed but for what no page can
    hold (a NUL, a lone surrogate); `_refused_as_typed` keeps `_TYPED_MAX` characters of
    it. The form reads any text (`StaffText`): a NUL was refused by the form's schema before
    the route, a bare page without the inbox or the answer typed, where a BEL was the rule's
    refusal by the input."""
    return "".join(c for c in typed if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)


def _refused_as_typed(typed: str, exc: DomainError, lang: str) -> tuple[str, str]:
    """A refused form's text as shown again (`_kept`) and why, in the page's language; a
    text the page cannot hold all of says that only its beginning is shown, so that the
    staff member does not send it cut, unaware."""
    kept, why = _kept(typed), refusal_message(exc, lang, inbox_refusal)
    if len(kept) > _TYPED_MAX:
        kept = kept[:_TYPED_MAX]
        why += " " + str(LABELS[lang]["typed_cut"]).format(shown=number(_TYPED_MAX, lang))
    return kept, why


#: A staff form's text as the form reader takes it: any text, with no bound nor check of
#: its own, so that the rules (`usecases.reply`, `usecases.close`: too long, `text_chars`)
#: refuse it by its input, on the inbox, in the page's language.
StaffText = Annotated[str, Form()]
def _unreadable_as_odd(value: object) -> object:
    """A value PostgreSQL or UTF-8 cannot hold (a NUL, a lone surrogate) as one that is none
    of the form's (U+FFFD), for the rule to refuse it by the inbox, not the schema's bare page
    (nor a NUL dropped to leave a value of ours)."""
    return "\ufffd" if isinstance(value, str) and _kept(value) != value else value


#: Where the inbox's form said the answer goes when it was drawn (`usecases.reply`'s
#: `expected`): by email, refused if the address is gone since; none, no check. Read as any
#: text so that a form tampered with (another value) is the inbox again, said by the
#: answer's input, nothing sent (`expected_unknown`), not the shared 422 page.
Expected = Annotated[Str | None, Form(json_schema_extra={"enum": ["email", "chat"]}),
                     BeforeValidator(_unreadable_as_odd)]

#: A staff form is read whole (`WHOLE_FIELD`): an answer pasted past Starlette's 1 MB a
#: field is refused by its input with its length and the limit.
_READ_WHOLE: dict[str, Any] = {"form_limits": {"max_part_size": WHOLE_FIELD}}

#: What a staff action answers (`_staff_act`): a 303 back to the inbox with what was done
#: (or to sign in), never JSON; a form from elsewhere is the refused page (403, HTML).
_ACTED: dict[str, Any] = {
    "status_code": 303, "response_class": RedirectResponse,
    "responses": {303: {"description": "Done or refused: back to the inbox, whose note says "
                                       "which (or to sign in first)",
                        "headers": {"Location": {"schema": {"type": "string"}}}},
                  403: {"description": "A form sent from another site: the refused page"}},
    **_READ_WHOLE}


@staff.post("/staff/conversations/{conversation_id}/reply", **{
    **_ACTED, "responses": {**_ACTED["responses"], 409: {
        "description": "The form said the answer goes by email, but the address was erased "
                       "when an earlier answer was emailed: nothing sent, the inbox saying "
                       "so by the answer's input, as typed; sent again, it goes to the chat"},
        422: {"description": "An answer with nothing to read, too long or with a control "
                             "character, or `expected` neither email nor chat (a form "
                             "tampered with): nothing sent, the inbox saying so by the "
                             "answer's input, as typed",
              "content": {"text/html": {}}}}})
async def inbox_reply(conversation_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                      lang: PageLang, text: StaffText = "",
                      expected: Expected = None) -> Response:
    """Answer the resident. An answer with nothing to read, too long or with a control
    character (a NUL too), or an `expected` of none of the form's (tampered with): the
    inbox again (422), said by the answer's input, as typed, nothing sent.
    The inbox's note says where it went: by email, or the chat only. The same answer sent
    again (a double click) is not sent twice, and the note says it was already sent."""
    async def again(exc: DomainError) -> Response:
        erased = isinstance(exc, usecases.AddressErased)
        return await _inbox_page(request, pool, lang, Note(), InboxRefusal(
            conversation_id, "text", *_refused_as_typed(text, exc, lang), erased=erased),
            status_code=409 if erased else 422)

    async def act(staff: Principal) -> str:
        sent = await usecases.reply(uow(pool), clock, staff, conversation_id, text, expected)
        return str(LABELS[lang][
            ("repeated_email" if sent.emailed else "repeated_chat") if sent.repeated
            else "sent_email" if sent.emailed
            else "sent_chat_only" if sent.chat_only_after_email else "sent_chat"])

    return await _staff_act(request, lang, act, refused=again)


@staff.post("/staff/conversations/{conversation_id}/close", **{
    **_ACTED, "responses": {**_ACTED["responses"], 409: {
        "description": "The resident was promised an answer by email and no reason was "
                       "given: the inbox, saying so by the reason's input"}}})
# A conversation already ended, with another reason: 303 back to the inbox, its note (an
# error) saying the reason was neither sent nor kept; the same reason again or none: its
# note says it had ended already.
async def inbox_close(conversation_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                      lang: PageLang,
                      reason: StaffText = "") -> Response:
    """End a conversation. One waiting for an email answer ends only saying why (sent to
    the resident): without a reason, the inbox again (409), said by the reason's input. The
    note says where a reason went (by email, or the chat); one already ended stays as it
    ended, and the note says so: its reason again not sent twice, another reason not kept."""
    async def again(exc: DomainError) -> Response:
        return await _inbox_page(
            request, pool, lang, Note(), InboxRefusal(
                conversation_id, "reason", *_refused_as_typed(reason, exc, lang)),
            status_code=409 if isinstance(exc, usecases.AnswerPromised) else 422)

    async def act(staff: Principal) -> str:
        closed = await usecases.close(uow(pool), clock, staff, conversation_id, reason)
        if closed.already_closed:
            return str(LABELS[lang][
                ("repeated_close_email" if closed.reason == "emailed"
                 else "repeated_close_chat") if closed.repeated else "closed"])
        return str(LABELS[lang][
            "closed_email" if closed.reason == "emailed"
            else "closed_chat_only" if closed.chat_only_after_email
            else "closed_chat" if closed.reason == "chat" else "done"])

    return await _staff_act(request, lang, act, refused=again)


router.include_router(staff)

__all__ = ["router", "settings"]
