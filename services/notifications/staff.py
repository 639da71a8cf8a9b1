"""The communications staff's page: deliveries that need a person (failed, unconfirmed) and
channel accounts whose token the platform refused, with retry, cancel, confirm and
re-authorised actions (fi/sv/en); apart from them, posts not sent because the channel cannot
carry them (Instagram and no image), with why. The actions are the JSON API's own use cases.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.notifications import domain, feeds, handlers, usecases
from services.notifications.routes import uow
from shared import announcements
from shared.areas import area_name
from shared.auth import Unauthenticated
from shared.bounds import Str, without_hidden
from shared.clock import HELSINKI, typed_local_time
from shared.contracts import LocalizedText
from shared.errors import DomainError, Invalid, checked
from shared.form_refusals import (
    by_input,
    each_refusal,
    field_of,
    focus_input,
    mapped,
    summary_links,
)
from shared.forms import FormUnread, read_form
from shared.http import reader_language
from shared.identity import Principal, require
from shared.l10n import clock_time, day_short, number, text_html, weekday_day
from shared.pages import (
    SKIP_CSS,
    SKIP_TO_MAIN,
    Note,
    PageLang,
    PageSession,
    page_route,
    refused_page,
)
from shared.service import CurrentClock, Pool


def _home(lang: str) -> tuple[str, str]:
    return f"/staff?lang={lang}", LABELS[lang]["title"]


class _StaffRoute(page_route(_home)):  # type: ignore[misc]
    """A form Starlette will not read (over 1,000 fields, a field over 1 MB) is the staff
    page's own refusal (413, in its language, nothing done), where FastAPI's reading of it
    for the route's parameters answered a bare 400. Read here first (Starlette keeps it
    for the route)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            if request.method == "POST":
                try:
                    await read_form(request)
                except FormUnread:
                    return await _form_too_large(request)
            answered: Response = await handler(request)
            return answered

        return answer


# A query or form the routes' schemas refuse is a page naming the inputs, with a way back.
router = APIRouter(tags=["staff page"], include_in_schema=False, route_class=_StaffRoute)
# The board slide's macros are shared with the events service's organiser preview.
_templates = Environment(loader=FileSystemLoader([Path(__file__).parent / "templates",
                                                  announcements.TEMPLATES]),
                         autoescape=select_autoescape(["html"]))


def _channel_name(code: str, lang: str) -> str:
    """A channel as staff know it: the platform's own name ("Instagram", not the code),
    email in the reader's words."""
    if code == "email":
        return str(LABELS[lang]["email_channel"])
    return announcements.PLATFORM_NAMES.get(code, code)


_templates.globals["channel_name"] = _channel_name
# A skip link first in Tab order, past the sign-out, the links and the languages to the
# page's content (WCAG 2.4.1), as the resident pages have.
_templates.globals.update(skip_to_main=SKIP_TO_MAIN, skip_css=SKIP_CSS)

LABELS: dict[str, dict[str, Any]] = {
    "fi": {"title": "Tiedotus: julkaisut", "attention": "Vaativat päätöksen",
           "accounts": "Tilit, joiden kirjautuminen pitää uusia", "none": "Ei mitään.",
           "when": "Muuttunut", "goes_out": "Lähtee", "channel": "Kanava", "what": "Mitä",
           "state": "Tila",
           "error": "Virhe", "retry": "Yritä uudelleen", "cancel": "Älä julkaise",
           "confirm": "Näkyy jo kanavalla", "reauthorised": "Kirjautuminen uusittu",
           "url": "julkaisun osoite", "done": "Tehty.", "text": "Teksti",
           "sign_out": "Kirjaudu ulos",
           "help_unconfirmed": "Alusta ei vastannut ajoissa: julkaisu voi jo näkyä. Tarkista "
           "kanava ja valitse.",
           "statuses": {"failed": "epäonnistui", "unconfirmed": "epävarma",
                        "skipped": "ei lähetetty"},
           "skipped": "Ei lähetetty: kanava ei voi julkaista",
           "skipped_help": "Näistä ei tarvitse päättää mitään. Instagram julkaisee vain "
           "kuvan kanssa: kun tapahtumaan lisätään kuva, julkaisu lähtee silloin.",
           "skipped_show": "Näytä ({n})",
           "purposes": {"announcement": "ilmoitus", "reminder": "muistutus",
                        "change": "muutos", "cancellation": "peruutus",
                        "booking_confirmed": "varausvahvistus", "booking_rejected":
                        "varauksen hylkäys", "booking_cancelled": "varauksen peruutus"}},
    "sv": {"title": "Kommunikation: publiceringar", "attention": "Kräver beslut",
           "accounts": "Konton som måste loggas in på nytt", "none": "Inget.",
           "when": "Ändrad", "goes_out": "Skickas", "channel": "Kanal", "what": "Vad",
           "state": "Status",
           "error": "Fel", "retry": "Försök igen", "cancel": "Publicera inte",
           "confirm": "Syns redan i kanalen", "reauthorised": "Inloggningen förnyad",
           "url": "publiceringens adress", "done": "Klart.", "text": "Text",
           "sign_out": "Logga ut",
           "help_unconfirmed": "Plattformen svarade inte i tid: inlägget kan redan synas. "
           "Kontrollera kanalen och välj.",
           "statuses": {"failed": "misslyckades", "unconfirmed": "osäker",
                        "skipped": "inte skickat"},
           "skipped": "Inte skickat: kanalen kan inte publicera det",
           "skipped_help": "Här behövs inget beslut. Instagram publicerar bara med en bild: "
           "när en bild läggs till evenemanget går inlägget ut då.",
           "skipped_show": "Visa ({n})",
           "purposes": {"announcement": "meddelande", "reminder": "påminnelse",
                        "change": "ändring", "cancellation": "inställt",
                        "booking_confirmed": "bokningsbekräftelse", "booking_rejected":
                        "avslagen bokning", "booking_cancelled": "avbokning"}},
    "en": {"title": "Communications: posts", "attention": "Need a decision",
           "accounts": "Accounts that must sign in again", "none": "Nothing.",
           "when": "Changed", "goes_out": "Goes out", "channel": "Channel", "what": "What",
           "state": "State",
           "error": "Error", "retry": "Try again", "cancel": "Do not post",
           "confirm": "It is on the channel", "reauthorised": "Signed in again",
           "url": "the post's address", "done": "Done.", "text": "Text",
           "sign_out": "Sign out",
           "help_unconfirmed": "The platform did not answer in time: the post may already "
           "be there. Check the channel and choose.",
           "statuses": {"failed": "failed", "unconfirmed": "unconfirmed",
                        "skipped": "not sent"},
           "skipped": "Not sent: the channel cannot carry it",
           "skipped_help": "Nothing to decide here. Instagram posts only with an image: "
           "once an image is added to the event, the post goes out then.",
           "skipped_show": "Show ({n})",
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
           "registration_resent": "vahvistus uudelleen",
           "registration_change": "muutos ilmoittautuneille",
           "subscription_confirm": "tilauksen vahvistus",
           "subscription_known": "tilaus on jo", "subscription_digest": "viikkokooste",
           "subscription_new": "uusi tapahtuma tilaajalle",
           "subscription_change": "muutos tilaajalle"},
    "sv": {"registration_confirmed": "anmälningsbekräftelse", "registration_waiting": "kö",
           "registration_promoted": "plats från kön", "registration_cancelled": "avbokad anmälan",
           "registration_resent": "bekräftelse på nytt",
           "registration_change": "ändring till anmälda",
           "subscription_confirm": "bekräftelse av prenumeration",
           "subscription_known": "prenumeration finns redan",
           "subscription_digest": "veckosammandrag", "subscription_new": "nytt evenemang",
           "subscription_change": "ändring till prenumerant"},
    "en": {"registration_confirmed": "registration confirmed",
           "registration_waiting": "waiting list", "registration_promoted": "off the waiting list",
           "registration_cancelled": "registration cancelled",
           "registration_resent": "confirmation sent again",
           "registration_change": "change to registrants",
           "subscription_confirm": "subscription confirmation",
           "subscription_known": "already subscribed",
           "subscription_digest": "weekly digest", "subscription_new": "new event to follower",
           "subscription_change": "change to follower"},
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
#: Staff's own notice to chosen channels (issue #15).
for _lang, _notice in (("fi", "tiedote"), ("sv", "meddelande från staden"),
                       ("en", "notice")):
    LABELS[_lang]["purposes"]["notice"] = _notice
#: Organisers' emails of a moved or released booking and the attendance prompt (#15, #16).
for _lang, _moved, _no_show, _attendance in (
        ("fi", "varauksen siirto", "varauksen vapautus", "osallistujamäärän kysely"),
        ("sv", "flyttad bokning", "frigjord bokning", "fråga om deltagarantal"),
        ("en", "booking moved", "booking released", "attendance prompt")):
    LABELS[_lang]["purposes"].update(booking_moved=_moved, booking_no_show=_no_show,
                                     attendance_prompt=_attendance)


#: What staff recognise a delivery by, why it needs them in a few words (the platform's own
#: answer is folded under "technical detail"), and the page's answers to their actions.
_MORE: dict[str, dict[str, Any]] = {
    "fi": {"activity": "Tapahtuma", "detail": "Tekninen tieto", "edit": "Muokkaa tekstiä",
           "edit_retry": "Lähetä muokattuna", "no_activity": "(ei tapahtumaa)",
           "email_channel": "Sähköposti",
           "languages": {"fi": "suomeksi", "sv": "ruotsiksi", "en": "englanniksi"},
           "reasons": {
               "needs_image": "Instagram ei julkaise ilman kuvaa: lisää tapahtumaan kuva, "
                              "niin julkaisu lähtee silloin.",
               "cannot_carry": "Kanava ei voi julkaista tätä julkaisua.",
               "retry": "Alusta ei vastannut, eivätkä uudet yritykset auttaneet.",
               "rate_limited": "Alusta rajoitti julkaisujen määrää.",
               "reauth": "Tilin kirjautuminen pitää uusia.",
               "permanent": "Alusta hylkäsi julkaisun.",
               "unconfirmed": "Alusta ei vastannut ajoissa: julkaisu voi jo näkyä.",
               "other": "Julkaisu ei onnistunut."},
           "done_actions": {"retry": "Lähetetään uudelleen.", "cancel": "Ei julkaista.",
                            "confirm": "Merkitty julkaistuksi.",
                            "reauthorised": "Tili on taas käytössä."},
           "refusals": {
               "board": "Ilmoitustaulu hakee sisältönsä itse: sitä ei lähetetä uudelleen.",
               "address_erased": "Järjestäjän osoite poistettiin viestin päätyttyä; "
                                 "varaustiski voi ottaa häneen yhteyttä.",
               "nothing_rendered": "Lähetettävää ei ole: muuta tapahtumaa, niin uusi "
                                   "julkaisu tehdään.",
               "status": "Julkaisu on jo toisessa tilassa; sivu näyttää nyt sen tilan.",
               "gone": "Julkaisua ei enää ole.",
               "text_empty": "Tekstissä ei ole mitään luettavaa. Alkuperäisen tekstin saa "
                             "lähetettyä painikkeella Yritä uudelleen.",
               "text_long": "Tekstissä on {length} merkkiä; alusta ottaa {limit}.",
               "bad_url": "Julkaisun osoite alkaa https://.",
               "no_accounts": "Valitse ainakin yksi kanava tai ilmoitustaulu.",
               "needs_image_notice": "{platform} julkaisee vain kuvia: valitse muut kanavat.",
               # The characters are not seen: the form gives the text back without them.
               "text_chars": "Tekstissä oli ohjausmerkkejä tai tekstin suuntaa kääntäviä "
                             "merkkejä, joita ei voi julkaista. Ne on poistettu alla olevasta "
                             "tekstistä: tarkista teksti ja lähetä uudelleen.",
               "other": "Toimintoa ei voitu tehdä."}},
    "sv": {"activity": "Evenemang", "detail": "Teknisk information",
           "edit": "Redigera texten", "edit_retry": "Skicka redigerad",
           "no_activity": "(inget evenemang)", "email_channel": "E-post",
           "languages": {"fi": "på finska", "sv": "på svenska", "en": "på engelska"},
           "reasons": {
               "needs_image": "Instagram publicerar inte utan bild: lägg till en bild i "
                              "evenemanget, så går inlägget ut då.",
               "cannot_carry": "Kanalen kan inte publicera det här inlägget.",
               "retry": "Plattformen svarade inte, och nya försök hjälpte inte.",
               "rate_limited": "Plattformen begränsade antalet inlägg.",
               "reauth": "Kontot måste loggas in på nytt.",
               "permanent": "Plattformen avvisade inlägget.",
               "unconfirmed": "Plattformen svarade inte i tid: inlägget kan redan synas.",
               "other": "Publiceringen misslyckades."},
           "done_actions": {"retry": "Skickas på nytt.", "cancel": "Publiceras inte.",
                            "confirm": "Markerat som publicerat.",
                            "reauthorised": "Kontot används igen."},
           "refusals": {
               "board": "En anslagstavla hämtar sitt innehåll själv: inget skickas på nytt.",
               "address_erased": "Arrangörens adress raderades när meddelandet var klart; "
                                 "bokningsdisken kan kontakta hen.",
               "nothing_rendered": "Inget att skicka: ändra evenemanget så görs ett nytt "
                                   "inlägg.",
               "status": "Inlägget har redan ett annat läge; sidan visar det nu.",
               "gone": "Inlägget finns inte längre.",
               "text_empty": "Texten har inget att läsa. Den ursprungliga texten skickas "
                             "med knappen Försök igen.",
               "text_long": "Texten har {length} tecken; plattformen tar {limit}.",
               "bad_url": "Inläggets adress börjar med https://.",
               "no_accounts": "Välj minst en kanal eller anslagstavla.",
               "needs_image_notice": "{platform} publicerar bara bilder: välj andra kanaler.",
               "text_chars": "Texten hade styrtecken eller tecken som vänder textens "
                             "riktning, och de kan inte publiceras. De har tagits bort ur "
                             "texten nedan: kontrollera texten och skicka på nytt.",
               "other": "Åtgärden kunde inte göras."}},
    "en": {"activity": "Event", "detail": "Technical detail", "edit": "Edit the text",
           "edit_retry": "Send as edited", "no_activity": "(no event)",
           "email_channel": "Email",
           "languages": {"fi": "in Finnish", "sv": "in Swedish", "en": "in English"},
           "reasons": {
               "needs_image": "Instagram does not post without an image: add one to the "
                              "event, and the post goes out then.",
               "cannot_carry": "The channel cannot carry this post.",
               "retry": "The platform did not answer, and more tries did not help.",
               "rate_limited": "The platform limited the number of posts.",
               "reauth": "The account must sign in again.",
               "permanent": "The platform refused the post.",
               "unconfirmed": "The platform did not answer in time: the post may be there.",
               "other": "The post did not go out."},
           "done_actions": {"retry": "Sending again.", "cancel": "Not posted.",
                            "confirm": "Marked as posted.",
                            "reauthorised": "The account is in use again."},
           "refusals": {
               "board": "A notice board fetches its own content: nothing to send again.",
               "address_erased": "The organiser's address was erased when the message "
                                 "ended; the booking desk can contact them.",
               "nothing_rendered": "Nothing to send: change the event and a new post is "
                                   "made.",
               "status": "The post is already in another state; the page shows it now.",
               "gone": "The post is no longer there.",
               "text_empty": "The text has nothing to read. The original text goes with "
                             "the Try again button.",
               "text_long": "The text has {length} characters; the platform takes {limit}.",
               "bad_url": "The post's address starts with https://.",
               "no_accounts": "Choose at least one channel or notice board.",
               "needs_image_notice": "{platform} posts images only: choose other channels.",
               "text_chars": "The text had control or text-direction characters, which "
                             "cannot be posted. They were taken out of the text below: check "
                             "it and send it again.",
               "other": "That could not be done."}},
}
_WEEK = {
    "fi": {"week": "Lähtee seitsemän päivän aikana", "preview": "Esikatselu",
           "preview_title": "Näin tapahtuma näkyy kanavilla", "back": "Takaisin",
           "chars": "{n} / {limit} merkkiä", "image": "Kuva", "no_account": "ei tiliä vielä",
           "open_preview": "Esikatsele tapahtuman julkaisut", "approvals": "Hyväksyntäjono",
           "vocabulary": "Sanasto",
           "notice": "Tiedote kanaville", "notice_text": "Tiedotteen teksti",
           "notice_accounts": "Kanavat", "notice_send": "Lähetä tiedote",
           "notice_sent": "Tiedote lähtee {n} kanavalle.",
           "notice_sent_one": "Tiedote lähtee yhdelle kanavalle.",
           "notice_help": "Esimerkiksi poikkeava sulkeminen. Instagram julkaisee vain kuvia."},
    "sv": {"week": "Går ut inom sju dagar", "preview": "Förhandsvisning",
           "preview_title": "Så syns evenemanget i kanalerna", "back": "Tillbaka",
           "chars": "{n} / {limit} tecken", "image": "Bild", "no_account": "inget konto ännu",
           "open_preview": "Förhandsvisa evenemangets inlägg", "approvals": "Godkännandekö",
           "vocabulary": "Vokabulär",
           "notice": "Meddelande till kanalerna", "notice_text": "Meddelandets text",
           "notice_accounts": "Kanaler", "notice_send": "Skicka meddelandet",
           "notice_sent": "Meddelandet går ut i {n} kanaler.",
           "notice_sent_one": "Meddelandet går ut i en kanal.",
           "notice_help": "Till exempel en avvikande stängning. Instagram publicerar bara "
                          "bilder."},
    "en": {"week": "Going out in the coming seven days", "preview": "Preview",
           "preview_title": "How the event will look on the channels", "back": "Back",
           "chars": "{n} / {limit} characters", "image": "Image",
           "no_account": "no account yet", "open_preview": "Preview the event's posts",
           "approvals": "Approval queue", "vocabulary": "Vocabulary",
           "notice": "A notice to the channels", "notice_text": "The notice's text",
           "notice_accounts": "Channels", "notice_send": "Send the notice",
           "notice_sent": "The notice goes out on {n} channels.",
           "notice_sent_one": "The notice goes out on one channel.",
           "notice_help": "A closure out of the ordinary, for example. Instagram posts "
                          "images only."},
}
#: Staff's notices on notice boards (issue #15): the form's fields, the page's answers, the
#: refusals by the rule's code, and the preview's board slide.
_BOARDS: dict[str, dict[str, Any]] = {
    "fi": {"notice": "Tiedote kanaville ja ilmoitustauluille",
           "notice_text": "Teksti suomeksi", "notice_text_sv": "Ruotsiksi (valinnainen)",
           "notice_text_en": "Englanniksi (valinnainen)",
           "notice_boards": "Ilmoitustaulut", "shown_from": "Näkyy alkaen",
           "shown_until": "Näkyy asti",
           "window_help": "Tyhjä alku: heti. Tyhjä loppu: alkupäivän loppuun. Taulu näyttää "
                          "tiedotteen kielillään, suomeksi jos käännöstä ei ole.",
           "board_sent": "Tiedote näkyy {n} ilmoitustaululla.",
           "board_sent_one": "Tiedote näkyy yhdellä ilmoitustaululla.",
           "notice_again": "Tiedote on jo lähetetty.",
           "on_boards": "Tiedotteet ilmoitustauluilla", "shown": "Näkyy",
           "area_board": "alueen ilmoitustaulu",
           "withdraw": "Poista tauluilta", "withdraw_one": "Poista taululta",
           "withdrawn": "Tiedote poistettiin ilmoitustauluilta.",
           "form_large": "Lomake oli liian suuri luettavaksi: jokin kenttä on liian pitkä tai "
                         "kenttiä on liikaa. Mitään ei tallennettu eikä lähetetty.",
           "board_slide": "Ilmoitustaululla", "alt": "Kuvan tekstivastine",
           "no_alt": "Kuvalla ei ole tekstivastinetta.",
           "check_fields": "Tarkista nämä kohdat",
           "reauth_account": "Alusta ei enää hyväksy tilin kirjautumista: kirjaudu tilille "
                             "alustalla uudelleen ja paina sitten Kirjautuminen uusittu.",
           "notice_refusals": {
               "no_board": "Valittua ilmoitustaulua ei ole: valitse taulu listasta.",
               "no_account": "Valittua kanavaa ei ole: valitse kanava listasta.",
               "notice_long": "Tekstissä ({language}) on {length} merkkiä; ilmoitustaululle "
                              "mahtuu {limit}.",
               "notice_text_long": "Tekstissä ({language}) on {length} merkkiä; tiedotteessa "
                                   "voi olla enintään {limit}.",
               "url_long": "Julkaisun osoitteessa voi olla enintään {limit} merkkiä.",
               "notice_finnish": "Kirjoita tiedotteen teksti ainakin suomeksi.",
               "window_order": "Tiedotteen pitää päättyä alkunsa jälkeen.",
               "window_past": "Tiedote päättyisi jo ennen tätä hetkeä.",
               "window_long": "Tiedote voi näkyä enintään {days} päivää.",
               "bad_time": "Anna aika muodossa pp.kk.vvvv tt:mm.",
               "notice_gone": "Tiedote ei ole enää millään ilmoitustaululla.",
               "notice_gone_board": "Tiedote ei ole enää valitulla ilmoitustaululla.",
               # POST /boards (`board_name_taken`): which name, and that the area has it.
               "board_name_taken": "Nimi: alueella on jo ilmoitustaulu nimeltä ”{name}”; "
                                   "anna uudelle taululle toinen nimi."}},
    "sv": {"notice": "Meddelande till kanaler och anslagstavlor",
           "notice_text": "Text på finska", "notice_text_sv": "På svenska (frivilligt)",
           "notice_text_en": "På engelska (frivilligt)",
           "notice_boards": "Anslagstavlor", "shown_from": "Syns från",
           "shown_until": "Syns till",
           "window_help": "Tom början: genast. Tomt slut: till slutet av första dagen. "
                          "Tavlan visar meddelandet på sina språk, på finska om "
                          "översättning saknas.",
           "board_sent": "Meddelandet syns på {n} anslagstavlor.",
           "board_sent_one": "Meddelandet syns på en anslagstavla.",
           "notice_again": "Meddelandet har redan skickats.",
           "on_boards": "Meddelanden på anslagstavlor", "shown": "Syns",
           "area_board": "områdets anslagstavla",
           "withdraw": "Ta bort från tavlorna", "withdraw_one": "Ta bort från tavlan",
           "withdrawn": "Meddelandet togs bort från anslagstavlorna.",
           "form_large": "Formuläret var för stort för att läsas: något fält är för långt "
                         "eller fälten är för många. Inget sparades eller skickades.",
           "board_slide": "På anslagstavlan", "alt": "Bildens alternativtext",
           "no_alt": "Bilden har ingen alternativtext.",
           "check_fields": "Kontrollera de här uppgifterna",
           "reauth_account": "Plattformen godtar inte längre kontots inloggning: logga in "
                             "på kontot på plattformen igen och tryck sedan Inloggningen "
                             "förnyad.",
           "notice_refusals": {
               "no_board": "Den valda anslagstavlan finns inte: välj en tavla i listan.",
               "no_account": "Den valda kanalen finns inte: välj en kanal i listan.",
               "notice_long": "Texten ({language}) har {length} tecken; en anslagstavla "
                              "rymmer {limit}.",
               "notice_text_long": "Texten ({language}) har {length} tecken; ett meddelande "
                                   "kan ha högst {limit}.",
               "url_long": "Inläggets adress kan ha högst {limit} tecken.",
               "notice_finnish": "Skriv meddelandet åtminstone på finska.",
               "window_order": "Meddelandet måste sluta efter att det börjar.",
               "window_past": "Meddelandet skulle sluta före nu.",
               "window_long": "Ett meddelande kan synas högst {days} dagar.",
               "bad_time": "Ange tiden som dd.mm.åååå hh:mm.",
               "notice_gone": "Meddelandet finns inte längre på någon anslagstavla.",
               "notice_gone_board": "Meddelandet finns inte längre på den valda "
                                    "anslagstavlan.",
               "board_name_taken": "Namn: området har redan en anslagstavla som heter "
                                   "”{name}”; ge den nya tavlan ett annat namn."}},
    "en": {"notice": "A notice to the channels and notice boards",
           "notice_text": "Text in Finnish", "notice_text_sv": "In Swedish (optional)",
           "notice_text_en": "In English (optional)",
           "notice_boards": "Notice boards", "shown_from": "Shown from",
           "shown_until": "Shown until",
           "window_help": "No start: at once. No end: until the end of the first day. A "
                          "board shows the notice in its languages, in Finnish where there "
                          "is no translation.",
           "board_sent": "The notice is on {n} notice boards.",
           "board_sent_one": "The notice is on one notice board.",
           "notice_again": "The notice was sent already.",
           "on_boards": "Notices on notice boards", "shown": "Shown",
           "area_board": "area board",
           "withdraw": "Take off the boards", "withdraw_one": "Take off this board",
           "withdrawn": "The notice was taken off the notice boards.",
           "form_large": "The form was too large to read: a field is too long or there are "
                         "too many fields. Nothing was saved or sent.",
           "board_slide": "On the notice board", "alt": "The image's alt text",
           "no_alt": "The image has no alt text.",
           "check_fields": "Check these points",
           "reauth_account": "The platform no longer accepts the account's sign-in: sign "
                             "in to the account on the platform again, then press Signed in "
                             "again.",
           "notice_refusals": {
               "no_board": "The chosen notice board does not exist: choose one from the "
                           "list.",
               "no_account": "The chosen channel does not exist: choose one from the list.",
               "notice_long": "The text ({language}) has {length} characters; a notice "
                              "board takes {limit}.",
               "notice_text_long": "The text ({language}) has {length} characters; a notice "
                                   "takes at most {limit}.",
               "url_long": "The post's address can be at most {limit} characters.",
               "notice_finnish": "Write the notice at least in Finnish.",
               "window_order": "The notice must end after it starts.",
               "window_past": "The notice would end before now.",
               "window_long": "A notice is shown for {days} days at most.",
               "bad_time": "Give the time as dd.mm.yyyy hh:mm.",
               "notice_gone": "The notice is no longer on any notice board.",
               "notice_gone_board": "The notice is no longer on the chosen notice board.",
               "board_name_taken": "Name: the area has a notice board called “{name}” "
                                   "already; give the new board another name."}},
}
#: A channel account's and a registration's rules, by code (their English reasons were kept
#: inside Finnish and Swedish messages).
_ACCOUNT_REFUSALS: dict[str, dict[str, str]] = {
    "fi": {"base_url_fixed": "Palvelun {platform} osoite on kiinteä ({fixed}): jätä se pois.",
           "base_url_needed": "Anna palvelun {platform} rajapinnan osoite (base_url).",
           "base_url_smtp": "Sähköpostitilin osoite on muotoa smtp://palvelin:portti tai "
                            "smtps://palvelin:portti.",
           "base_url_https": "Somepalvelun osoite on sen rajapinnan https://-osoite.",
           "account_ref_needed": "Anna palvelun {platform} tilin tunnus (account_ref).",
           "secret_ref": "Avaimen viite on env:KOHTAAMO_CHANNEL_NIMI tai tiedosto "
                         "kanavien avainkansiossa.",
           "registration_window": "Ilmoittautumisen pitää päättyä alkamisensa jälkeen.",
           "unknown_venue": "Tällä tunnisteella ei tunneta paikkaa: {value}. Valitse paikka, "
                            "jolla on ilmoitustaulu."},
    "sv": {"base_url_fixed": "Adressen till {platform} är fast ({fixed}): lämna bort den.",
           "base_url_needed": "Ange adressen till API:t för {platform} (base_url).",
           "base_url_smtp": "E-postkontots adress har formen smtp://server:port eller "
                            "smtps://server:port.",
           "base_url_https": "Ett socialt medies adress är dess API:s https://-adress.",
           "account_ref_needed": "Ange kontots id hos {platform} (account_ref).",
           "secret_ref": "Nyckelns referens är env:KOHTAAMO_CHANNEL_NAMN eller en fil i "
                         "kanalernas nyckelmapp.",
           "registration_window": "Anmälan måste sluta efter att den börjar.",
           "unknown_venue": "Ingen plats med detta id är känd: {value}. Välj en plats som "
                            "har en anslagstavla."},
    "en": {"base_url_fixed": "The address of {platform} is fixed ({fixed}): leave it out.",
           "base_url_needed": "Give the address of the {platform} API (base_url).",
           "base_url_smtp": "An email account's address is smtp://host:port or "
                            "smtps://host:port.",
           "base_url_https": "A social platform's address is its API's https:// address.",
           "account_ref_needed": "Give the account's id at {platform} (account_ref).",
           "secret_ref": "The key's reference is env:KOHTAAMO_CHANNEL_NAME or a file in the "
                         "channels' key folder.",
           "registration_window": "Registration must close after it opens.",
           "unknown_venue": "No venue of this id is known: {value}. Choose a venue that has "
                            "a notice board."}}
#: A name or account id staff gave through the API, or a post's address, with a control or
#: text-direction character (`domain.label_refusals`, `text_chars` by a field not a notice's
#: text): said by what it is, and in which language, since no form gives it back.
_LABEL_CHARS: dict[str, dict[str, Any]] = {
    "fi": {"said": "{label} on ohjausmerkkejä tai tekstin suuntaa kääntäviä merkkejä, joita "
                   "ei voi näyttää sellaisinaan: kirjoita se ilman niitä.",
           "name": "Nimessä", "name_in": "Nimessä {language}",
           "account_ref": "Tilin tunnuksessa tai lähettäjässä",
           "remote_url": "Julkaisun osoitteessa"},
    "sv": {"said": "{label} finns styrtecken eller tecken som vänder textens riktning, och de "
                   "kan inte visas som de är: skriv det utan dem.",
           "name": "I namnet", "name_in": "I namnet {language}",
           "account_ref": "I kontots id eller avsändare",
           "remote_url": "I inläggets adress"},
    "en": {"said": "{label} has control or text-direction characters, which cannot be shown "
                   "as they are: write it without them.",
           "name": "The name", "name_in": "The name {language}",
           "account_ref": "The account's id or sender", "remote_url": "The post's address"},
}


def _label_chars(exc: DomainError, lang: str) -> str | None:
    """`text_chars` of a name or an account's id (not a notice's text, which its form gives
    back without them), in `_LABEL_CHARS`' words; else None."""
    field = str(getattr(exc, "field", None) or "")
    words = _LABEL_CHARS[lang if lang in _LABEL_CHARS else "fi"]
    if exc.details.get("code") != "text_chars" or field.split(".")[0] not in words:
        return None
    language = exc.details.get("language")
    label = (words["name_in"].format(language=LABELS[lang]["languages"].get(language))
             if field.startswith("name.") and language else words[field.split(".")[0]])
    return str(words["said"]).format(label=label)


for _lang, _more in _MORE.items():
    LABELS[_lang].update(_more)
    LABELS[_lang].update(_WEEK[_lang])
    _notice_words = dict(_BOARDS[_lang])
    LABELS[_lang]["refusals"].update(_notice_words.pop("notice_refusals"))
    LABELS[_lang]["refusals"].update(_ACCOUNT_REFUSALS[_lang])
    LABELS[_lang].update(_notice_words)


def board_choice(board: dict[str, Any], lang: str) -> str:
    """A board as staff choose it, told apart from its namesakes in the page's language: its
    name and its area, an area board said to be one ("Juankosken kirjasto (Juankoski)",
    "Juankoski (alueen ilmoitustaulu, Juankoski)")."""
    name = LocalizedText(**board["name"]).get(lang)
    area = area_name(board.get("area"), lang)
    if board.get("venue_id") is None:
        kind = _BOARDS[lang if lang in _BOARDS else "fi"]["area_board"]
        return f"{name} ({kind}, {area})" if area else f"{name} ({kind})"
    return f"{name} ({area})" if area else name


#: What tells apart boards whose names and areas read alike: the start of each one's id.
_BOARD_ID = {"fi": "tunnus {id}", "sv": "id {id}", "en": "id {id}"}


def board_choices(boards: list[dict[str, Any]], lang: str) -> dict[Any, str]:
    """Each board's name as staff choose it (`board_choice`), by its id; boards that would
    read alike (made before an area's names were each kept once, migration 030, or two
    venues of one name) each with the start of its id, as its feed's address has it
    ("Juankosken kirjasto (Juankoski) – tunnus 3f2a9c1e")."""
    names = {b["id"]: board_choice(b, lang) for b in boards}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    word = _BOARD_ID[lang if lang in _BOARD_ID else "fi"]
    return {board_id: f"{name} – {word.format(id=str(board_id)[:8])}" if seen[name] > 1
            else name for board_id, name in names.items()}


def _moment(at: datetime, lang: str) -> str:
    """"3.12. 17.00", "3 dec. 17:00": a day of these weeks and its time."""
    return f"{day_short(at.astimezone(HELSINKI).date(), lang)} {clock_time(at, lang)}"


def short_reason(delivery: dict[str, Any], lang: str) -> str:
    """Why a delivery needs a person, or why it was not sent (skipped: what would send it),
    in a few words of the reader's language."""
    reasons = LABELS[lang]["reasons"]
    if delivery["status"] == "unconfirmed":
        return str(reasons["unconfirmed"])
    detail = (delivery.get("last_error") or "").lower()
    if delivery.get("channel") == "instagram" and "image" in detail:
        return str(reasons["needs_image"])
    return str(reasons.get(delivery.get("error_class") or "", reasons["other"]))


def refusal_text(exc: DomainError, lang: str) -> str:
    """A refused action in the reader's language (by the rule's code), else a sentence of
    theirs with the rule's own words."""
    refusals = LABELS[lang]["refusals"]
    if (label_said := _label_chars(exc, lang)) is not None:
        return label_said
    template = refusals.get(str(exc.details.get("code")))
    if template is None:
        return f"{refusals['other']} ({exc.message})"
    # Counts as the reader writes numbers ("70 000" in Finnish), by Babel.
    details = {key: number(value, lang) if isinstance(value, int)
               and not isinstance(value, bool) else value
               for key, value in exc.details.items()}
    if "language" in details:  # "sv" → "ruotsiksi": the language as the reader says it
        details["language"] = LABELS[lang]["languages"].get(details["language"],
                                                          details["language"])
    try:
        return str(template).format(**details)
    except (KeyError, IndexError):
        return f"{refusals['other']} ({exc.message})"


#: The staff page's cookie session: sign-in by form, sign-out, CSRF token in every form.
SESSION = PageSession("notifications", "/staff",
                           {"fi": "Tiedotus", "sv": "Kommunikation", "en": "Communications"},
                           roles=usecases.STAFF)
router.include_router(SESSION.router())


def _staff(request: Request) -> Principal:
    principal = SESSION.principal(request)
    if principal.is_public:
        raise Unauthenticated("sign in at /staff/login")
    require(principal, *usecases.STAFF)
    return principal


@router.get("/staff", response_class=HTMLResponse)
async def staff_page(request: Request, pool: Pool, clock: CurrentClock,
                     lang: PageLang,
                     note: Note = Depends(SESSION.note)) -> Response:
    try:
        principal = _staff(request)
    except Unauthenticated:
        return RedirectResponse(f"/staff/login?{urlencode({'lang': lang})}", status_code=303)
    return await _page(request, pool, clock, principal, lang, msg=note.text,
                       error=note.error)


def _describe(d: dict[str, Any], lang: str) -> dict[str, Any]:
    """A delivery as the page shows it: its text, when it changed, what staff recognise it by
    (its activity's name, start and venue) and why it is listed, in the reader's language."""
    t = LABELS[lang]
    content = d["content"] or {}
    d["text"] = content.get("text") or ""
    d["subject"] = content.get("subject")
    d["when"] = _moment(d["updated_at"], lang)
    name = d.get("activity_name")
    # A name in another language than the page's is marked so (WCAG 3.1.2).
    d["activity"] = text_html(name, lang) if isinstance(name, dict) else t["no_activity"]
    d["venue"] = (text_html(d["venue_name"], lang)
                  if isinstance(d.get("venue_name"), dict) else None)
    starts = d.get("starts_at")
    d["starts"] = None if not starts else (
        day_short(datetime.fromisoformat(starts).astimezone(HELSINKI).date(), lang)
        if d.get("all_day") else _moment(datetime.fromisoformat(starts), lang))
    d["language_label"] = t["languages"].get(d.get("language") or "", "")
    d["reason"] = short_reason(d, lang)
    return d


async def _page(request: Request, pool: Pool, clock: CurrentClock, principal: Principal,
                lang: str, *, msg: str | None = None, error: bool = False,
                edit: dict[str, Any] | None = None, notice: dict[str, Any] | None = None,
                notice_id: UUID | None = None, status_code: int = 200) -> Response:
    """The page; after a refused edit, that delivery's edit form open with the text as typed
    and the refusal by it (`edit`: id, text, error); after a refused notice, its form as
    typed with each refusal by its input and a summary linking to each (`notice`: form,
    invalid, refusals, focus), under the same `notice_id`, so sent again it is sent once."""
    deliveries, accounts = await usecases.needing_attention(uow(pool), principal)
    t = LABELS[lang]
    for d in deliveries:
        _describe(d, lang)
    skipped = [_describe(d, lang)
               for d in await usecases.skipped_posts(uow(pool), principal, clock.now())]
    week = await usecases.planned_week(uow(pool), principal, clock.now())
    days: dict[str, list[dict[str, Any]]] = {}
    for p in week:
        due = max(p["due_at"], clock.now()).astimezone(HELSINKI)  # overdue: going out now
        name = p.get("activity_name")
        days.setdefault(weekday_day(due.date(), lang), []).append({
            "time": clock_time(due, lang), "channel": p["channel"],
            "account": p["account_name"], "purpose": t["purposes"].get(p["purpose"],
                                                                       p["purpose"]),
            "activity": (text_html(name, lang) if isinstance(name, dict)
                         else t["no_activity"]),
            "activity_id": p["activity_event_id"]})
    # Every board by the name staff choose it by, look-alikes told apart (`board_choices`).
    choices = board_choices(await usecases.list_boards(uow(pool)), lang)
    html = _templates.get_template("staff.html").render(
        lang=lang, t=t, deliveries=deliveries, accounts=accounts, msg=msg,
        skipped=skipped, skipped_show=t["skipped_show"].format(n=number(len(skipped), lang)),
        error=error, csrf=SESSION.csrf_token(request), week=days,
        notice_id=notice_id or uuid4(), edit=edit,
        notice=notice or {"form": {}, "invalid": {}, "refusals": [], "focus": ""},
        social=[a for a in await usecases.list_channel_accounts(uow(pool), principal)
                if a["platform"] != "email"],
        boards=[{"id": board_id, "name": name} for board_id, name in choices.items()],
        on_boards=[{"id": n["id"], "text": n["text"]["fi"],
                    "shown": f"{_moment(n['shown_from'], lang)} – "
                             f"{_moment(n['shown_until'], lang)}",
                    "boards": [{"id": b["id"],
                                "name": choices.get(b["id"]) or board_choice(b, lang)}
                               for b in n["boards"]]}
                   for n in await usecases.board_notices_now(uow(pool), clock, principal)],
        approvals=f"{handlers.public_events_url()}/approvals/queue?lang={lang}",
        vocabulary=f"{handlers.public_events_url()}/approvals/vocabulary?lang={lang}")
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/staff/preview/{event_id}", response_class=HTMLResponse)
async def staff_preview(event_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                        lang: PageLang) -> Response:
    """An activity's announcement as each account would post it, before it goes."""
    try:
        principal = _staff(request)
    except Unauthenticated:
        return RedirectResponse(f"/staff/login?{urlencode({'lang': lang})}", status_code=303)
    t = LABELS[lang]
    # An activity this service has no announcement of is no page (404, leading back to the
    # staff page), not the staff page answering 200 for any id.
    row, previews = await usecases.preview_posts(uow(pool), principal, event_id,
                                                 handlers.public_events_url(),
                                                 handlers.reach_links())
    board, item = await usecases.preview_board_item(uow(pool), principal, event_id)
    name = LocalizedText(**row["facts"]["name"]).get(lang)
    shown = [{"platform": p.platform, "platform_name": _channel_name(p.platform, lang),
              "account": p.account or t["no_account"],
              "text": p.text, "image_url": p.image_url, "image_alt": p.image_alt,
              "count": t["chars"].format(n=number(p.length, lang),
                                         limit=number(p.limit, lang)) if p.text else "",
              "cannot": (t["reasons"]["needs_image"] if p.cannot and "image" in p.cannot
                         else p.cannot)} for p in previews]
    # The slide the board's screen shows, in each language the board is set to show, made
    # by the screen's own code and macro (templates/board_slide.html).
    slides = []
    for code in [c for c in board["languages"] if c in ("fi", "sv", "en")] or ["fi"]:
        view = feeds.screen(board, [item], code, now=clock.now(), seconds=10, refresh=60,
                            feed_url="", feed_etag="")
        slides.append({"lang": code, "language": t["languages"][code], "title": view["title"],
                       "slide": view["slides"][0], "labels": view["labels"]})
    html = _templates.get_template("staff_preview.html").render(
        lang=lang, t=t, name=name, previews=shown, event_id=event_id, slides=slides)
    response = HTMLResponse(html)
    response.headers["Cache-Control"] = "no-store"
    return response


#: Longer than any time a person types ("2026-12-03T17:00", "3.12.2026 klo 17.00"): what is
#: longer is no time, refused by its field without being read.
TIME_MAX_CHARS = 40


def _local_time(value: str | None, field: str) -> datetime | None:
    """A datetime-local field ("2026-12-03T17:00") as Helsinki time; None when left empty.
    Refused by its `field` when it is no time, however long (the form reads it as plain
    text, so an over-long one is one more refusal by its input, not a page of its own)."""
    if not value or not value.strip():
        return None
    if len(value) > TIME_MAX_CHARS:
        raise Invalid(f"no time: longer than {TIME_MAX_CHARS} characters", field=field,
                      code="bad_time")
    moment = typed_local_time(value)
    if moment is None or not 2000 <= moment.year <= 9000:  # far from any window, and from
        # datetime's edges
        raise Invalid("no time of these years", field=field, code="bad_time")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HELSINKI)


#: The rule's field (`Invalid.field`) → the notice form's input it is about, in the order the
#: form shows them (the summary's order), and each input's element the summary links to.
_NOTICE_INPUTS = {"text_fi": "text", "text_sv": "text_sv", "text_en": "text_en",
                  "accounts": "account", "boards": "board", "shown_from": "shown_from",
                  "shown_until": "shown_until"}
_NOTICE_IDS = {"text": "notice-text", "text_sv": "notice-text-sv", "text_en": "notice-text-en",
               "account": "notice-accounts", "board": "notice-boards",
               "shown_from": "shown-from", "shown_until": "shown-until"}


def notice_refusals(refusals: list[Invalid], lang: str, unplaced: list[str],
                    form: dict[str, Any]) -> dict[str, Any]:
    """The notice form as typed (`form`) with each refusal by its input, several of one
    input one after the other, a summary linking to each (those of no input: their text
    alone), and the input that takes focus: the one refused alone; else the summary ("")."""
    invalid, elsewhere = by_input(refusals, lambda exc: refusal_text(exc, lang),
                                  mapped(_NOTICE_INPUTS), tuple(_NOTICE_IDS))
    unplaced.extend(text for text in elsewhere if text not in unplaced)
    words = LABELS[lang]
    summary = summary_links(invalid, unplaced, _NOTICE_IDS,
                            {k: str(words[k]) for k in _NOTICE_IDS if k in words})
    focus = focus_input(invalid, unplaced)
    return {"form": form, "invalid": invalid, "refusals": summary, "focus": focus}


def _ticked(values: list[Any], field: str, code: str, refusals: list[Invalid]
            ) -> tuple[UUID, ...]:
    """The ids ticked in one of the notice form's lists. A value that is no id (empty, a
    form changed by hand) is no choice the list offers: refused by the list's input
    (`code`, as an id the list no longer has is), the rest of the form read and kept."""
    ticked: list[UUID] = []
    for value in values:
        try:
            ticked.append(UUID(str(value)))
        except ValueError:
            if not any(r.field == field for r in refusals):
                refusals.append(Invalid("not a choice of the list", field=field, code=code))
    return tuple(ticked)


@router.post("/staff/notices/{notice_id}")
async def staff_notice(notice_id: UUID, request: Request, pool: Pool, clock: CurrentClock,
                       # Plain text, however long: `domain.notice_texts` refuses past
                       # NOTICE_TEXT_MAX by the input, the form kept as typed.
                       text: Annotated[Str, Form()] = "",
                       text_sv: Str | None = Form(None),
                       text_en: Str | None = Form(None),
                       # Plain text, however long: `_local_time` refuses by the input.
                       shown_from: Str | None = Form(None),
                       shown_until: Str | None = Form(None),
                       *, lang: PageLang) -> Response:
    """A notice (`text` in Finnish, `text_sv`, `text_en`) to the channels ticked in the form
    (`account`, once per account) and onto the notice boards ticked (`board`), shown there
    from `shown_from` until `shown_until` (Helsinki time). Refused, the form comes back as
    typed (422), every refusal said at once by its input: the form's own (times, no channel,
    the texts and window by the use case's rules) and then the use case's."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff")
    t = LABELS[lang]
    form = await request.form()
    principal = _staff(request)
    refusals: list[Invalid] = []
    unplaced: list[str] = []
    accounts = _ticked(form.getlist("account"), "accounts", "no_account", refusals)
    boards = _ticked(form.getlist("board"), "boards", "no_board", refusals)
    chose = bool(refusals)  # a value no list offers: a choice, refused by its list
    start = checked(refusals, lambda: _local_time(shown_from, "shown_from"), None)
    until = checked(refusals, lambda: _local_time(shown_until, "shown_until"), None)
    texts = {"fi": text, "sv": text_sv or "", "en": text_en or ""}
    if not accounts and not boards and not chose:
        refusals.append(Invalid("choose at least one channel or notice board",
                                field="accounts", code="no_accounts"))
    # The use case's own rules of texts and window, so all are said now, not one per try.
    checked(refusals, lambda: domain.notice_texts(
        texts, domain.NOTICE_MAX_CHARS if boards else None), None)
    if boards and not any(r.field in ("shown_from", "shown_until") for r in refusals):
        checked(refusals, lambda: domain.notice_window(clock.now(), start, until), None)
    if not refusals:
        command = usecases.NoticeCommand(texts=texts, account_ids=accounts, board_ids=boards,
                                         shown_from=start, shown_until=until)
        try:
            sent = await usecases.send_notice(uow(pool), clock, principal, notice_id, command)
        except Invalid as exc:
            refusals.append(exc)
        except DomainError as exc:
            unplaced.append(refusal_text(exc, lang))
        else:
            said = []
            if sent.posts:
                said.append(t["notice_sent_one"] if len(sent.posts) == 1
                            else t["notice_sent"].format(n=len(sent.posts)))
            if sent.boards:
                said.append(t["board_sent_one"] if len(sent.boards) == 1
                            else t["board_sent"].format(n=len(sent.boards)))
            return _back(request, lang, " ".join(said) or t["notice_again"])
    # A text refused for characters nobody sees comes back without them, to be checked and
    # sent again (`text_chars`); the others as typed.
    hidden = {field_of(r) for r in each_refusal(refusals)
              if r.details.get("code") == "text_chars"}

    def typed_text(value: str | None, field: str) -> str:
        return without_hidden(value or "") if field in hidden else value or ""

    typed = {"text": typed_text(text, "text_fi"), "text_sv": typed_text(text_sv, "text_sv"),
             "text_en": typed_text(text_en, "text_en"),
             "accounts": {str(a) for a in accounts}, "boards": {str(b) for b in boards},
             "shown_from": shown_from or "", "shown_until": shown_until or ""}
    return await _page(request, pool, clock, principal, lang, status_code=422,
                       notice=notice_refusals(refusals, lang, unplaced, typed),
                       notice_id=notice_id)


@router.post("/staff/notices/{notice_id}/withdraw")
async def staff_withdraw_notice(notice_id: UUID, request: Request, pool: Pool,
                                clock: CurrentClock, *, lang: PageLang) -> Response:
    """Take the notice off the `board` given, or off every notice board it is on (no `board`
    sent: the form of all), at once. A `board` that is no board's id (empty, changed by
    hand, however long) or no board there is is refused as the board, in the notice form's
    words (`no_board`), on the page as the form's other refusals (not a bare refusal page
    of a length, nor "on no board", the notice's words)."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff")
    # Read as sent: FastAPI reads board="" as none given, which is the form of all boards.
    given = (await request.form()).getlist("board")
    board_id: UUID | None = None
    if given:
        try:
            [board] = given  # one board a form, never two
            board_id = UUID(str(board))
        except ValueError:
            return _back(request, lang, LABELS[lang]["refusals"]["no_board"], error=True)
    try:
        await usecases.withdraw_board_notice(uow(pool), clock, _staff(request), notice_id,
                                             board_id)
    except DomainError as exc:
        return _back(request, lang, refusal_text(exc, lang), error=True)
    return _back(request, lang, LABELS[lang]["withdrawn"])


async def _form_too_large(request: Request) -> Response:
    """The staff page saying its form was too large to read (`_StaffRoute`)."""
    lang = reader_language(request)
    try:
        principal = _staff(request)
    except Unauthenticated:
        return RedirectResponse(f"/staff/login?{urlencode({'lang': lang})}", status_code=303)
    runtime = request.app.state.runtime
    return await _page(request, runtime.pool, runtime.clock, principal, lang,
                       msg=LABELS[lang]["form_large"], error=True, status_code=413)


def _back(request: Request, lang: str, message: str, error: bool = False
          ) -> RedirectResponse:
    return SESSION.noted(request, "/staff", message, error=error, params=[("lang", lang)])


#: A post's address as staff confirm it: longer is no address a platform gives.
REMOTE_URL_MAX = 2000


@router.post("/staff/deliveries/{delivery_id}/{action}")
async def staff_decide(delivery_id: UUID, action: Str, request: Request, pool: Pool,
                       clock: CurrentClock,
                       # Plain text, however long: each refused as the form's own below
                       # (an over-long text by the platform's limit, by its textarea).
                       remote_url: Str | None = Form(None),
                       text: Str | None = Form(None),
                       edited: Str | None = Form(None),
                       *, lang: PageLang) -> Response:
    """retry, cancel, or confirm; a retry from the edit form (`edited`) sends staff's own
    `text`, and only that: an edit with nothing to read is refused by its textarea, never
    sent as the original (the "Try again" button is the way to send that unchanged)."""
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff")
    t = LABELS[lang]
    if action not in ("retry", "cancel", "confirm"):
        return _back(request, lang, t["refusals"]["other"], error=True)
    if remote_url and len(remote_url) > REMOTE_URL_MAX:
        return _back(request, lang, refusal_text(Invalid(
            f"an address is at most {REMOTE_URL_MAX} characters", field="remote_url",
            code="url_long", limit=REMOTE_URL_MAX), lang), error=True)
    if remote_url and not remote_url.startswith(("https://", "http://")):
        return _back(request, lang, t["refusals"]["bad_url"], error=True)
    if edited and action == "retry":
        text = text or ""  # a blank textarea comes as no field at all: still the edit's text
    principal = _staff(request)
    try:
        await usecases.decide_delivery(uow(pool), clock, principal, delivery_id, action,
                                       remote_url or None, text)
    except Invalid as exc:
        if exc.field != "text" or text is None:
            return _back(request, lang, refusal_text(exc, lang), error=True)
        # The edit form again, open, as typed, the refusal by the textarea; nothing sent.
        if exc.details.get("code") == "text_chars":  # given back without what is unseen
            text = without_hidden(text)
        return await _page(request, pool, clock, principal, lang, status_code=422,
                           edit={"id": delivery_id, "text": text,
                                 "error": refusal_text(exc, lang)})
    except DomainError as exc:
        return _back(request, lang, refusal_text(exc, lang), error=True)
    return _back(request, lang, t["done_actions"][action])


@router.post("/staff/channels/{account_id}/reauthorised")
async def staff_reauthorised(account_id: UUID, request: Request, pool: Pool,
                             clock: CurrentClock,
                             lang: PageLang) -> Response:
    if not await SESSION.check_form(request):
        return refused_page(request, "/staff")
    try:
        await usecases.reauthorise_channel(uow(pool), clock, _staff(request), account_id)
    except DomainError as exc:
        return _back(request, lang, refusal_text(exc, lang), error=True)
    return _back(request, lang, LABELS[lang]["done_actions"]["reauthorised"])
