"""What an email says, per language: plain functions, no I/O. Posts (and the labels every
channel shares) are rendered by `shared.announcements`, the same code the events service
previews a draft's posts with; they are named here too, as the service has always used them.
"""

from __future__ import annotations

from shared import ical
from shared.announcements import (
    IMAGE_REQUIRED,
    LIMITS,
    POST_LABELS,
    WHEN,
    WHERE,
    ActivityView,
    CannotRender,
    Rendered,
    event_page_url,
    render_post,
)
from shared.clock import HELSINKI
from shared.contracts import (
    ActivityEventApprovalDecided,
    BookingCancelled,
    BookingConfirmed,
    BookingRejected,
    ContactVerificationRequested,
    GuideReplyRequested,
    LocalizedText,
)
from shared.l10n import clock_time, day_numeric, time_span

__all__ = ["IMAGE_REQUIRED", "LIMITS", "ActivityView", "CannotRender", "Rendered",
           "event_page_url", "render_post"]

#: A post's own words ("Verkossa"), which the registrants' emails use too.
_LABELS = POST_LABELS


# --- emails to organisers -------------------------------------------------------------------

_EMAIL: dict[str, dict[str, str]] = {
    "fi": {"confirmed": "Varauksesi on vahvistettu", "rejected": "Varaustasi ei voitu hyväksyä",
           "cancelled": "Varauksesi on peruttu", "reason": "Syy", "when": WHEN["fi"],
           "where": WHERE["fi"], "greeting": "Hei,", "signature": "Ystävällisin terveisin\n"
           "Kirjaston asukastoiminta", "ics": "Kalenterimerkintä on liitteenä."},
    "sv": {"confirmed": "Din bokning är bekräftad", "rejected": "Din bokning kunde inte godkännas",
           "cancelled": "Din bokning är avbokad", "reason": "Orsak", "when": WHEN["sv"],
           "where": WHERE["sv"], "greeting": "Hej,", "signature": "Med vänliga hälsningar\n"
           "Bibliotekets invånarverksamhet", "ics": "En kalenderpost finns som bilaga."},
    "en": {"confirmed": "Your booking is confirmed", "rejected": "Your booking was not accepted",
           "cancelled": "Your booking has been cancelled", "reason": "Reason", "when": WHEN["en"],
           "where": WHERE["en"], "greeting": "Hello,", "signature": "Kind regards\n"
           "The library's resident activity", "ics": "A calendar entry is attached."},
}

BookingMessage = BookingConfirmed | BookingRejected | BookingCancelled


def booking_purpose(event: BookingMessage) -> str:
    if isinstance(event, BookingConfirmed):
        return "booking_confirmed"
    return "booking_rejected" if isinstance(event, BookingRejected) else "booking_cancelled"


def render_booking_email(event: BookingMessage, place: LocalizedText | None,
                         booking_revision: int) -> Rendered:
    """The organiser's email in their language, with an .ics: a confirmation adds the booking
    to their calendar, a cancellation removes it (same UID, higher SEQUENCE)."""
    lang = event.contact_language if event.contact_language in _EMAIL else "fi"
    t = _EMAIL[lang]
    what = booking_purpose(event).removeprefix("booking_")
    where = place.get(lang) if place else None
    lines = [t["greeting"], "", f"{t[what]}: {event.title}", "",
             f"{t['when']}: {time_span(event.starts_at, event.ends_at, lang)}"]
    if where:
        lines.append(f"{t['where']}: {where}")
    reason = getattr(event, "reason", None)
    if reason:
        lines.append(f"{t['reason']}: {reason}")
    ics = None
    if what != "rejected":
        ics = ical.calendar([ical.CalendarEvent(
            uid=f"booking-{event.booking_id}@kohtaamo", starts_at=event.starts_at,
            ends_at=event.ends_at, summary=event.title, sequence=booking_revision,
            status="CONFIRMED" if what == "confirmed" else "CANCELLED", location=where)],
            name=event.title, method="PUBLISH" if what == "confirmed" else "CANCEL")
        lines += ["", t["ics"]]
    lines += ["", t["signature"]]
    day = day_numeric(event.starts_at.astimezone(HELSINKI).date(), lang)
    return Rendered(text="\n".join(lines), language=lang,
                    subject=f"{t[what]}: {event.title} {day}", ics=ics)


_APPROVAL: dict[str, dict[str, str]] = {
    "fi": {"approved": "Tapahtumasi on julkaistu", "refused": "Tapahtumaasi ei julkaistu",
           "approved_text": "Tapahtuma hyväksyttiin, ja se näkyy nyt tapahtumakalenterissa ja "
                            "kaupungin kanavilla:",
           "refused_text": "Tapahtuma on taas luonnoksesi: voit muokata sitä ja julkaista sen "
                           "uudelleen, jolloin se tulee uudelleen hyväksyttäväksi.",
           "reason": "Syy", "when": WHEN["fi"], "greeting": "Hei,",
           "signature": "Ystävällisin terveisin\nKuopion asukastoiminta"},
    "sv": {"approved": "Ditt evenemang har publicerats",
           "refused": "Ditt evenemang publicerades inte",
           "approved_text": "Evenemanget godkändes och syns nu i evenemangskalendern och i "
                            "stadens kanaler:",
           "refused_text": "Evenemanget är ditt utkast igen: du kan redigera det och publicera "
                           "det på nytt, så granskas det igen.",
           "reason": "Orsak", "when": WHEN["sv"], "greeting": "Hej,",
           "signature": "Med vänliga hälsningar\nInvånarverksamheten i Kuopio"},
    "en": {"approved": "Your event has been published",
           "refused": "Your event was not published",
           "approved_text": "It was approved and is now in the events calendar and on the "
                            "city's channels:",
           "refused_text": "It is your draft again: you can edit it and publish it again, and "
                           "it will be reviewed again.",
           "reason": "Reason", "when": WHEN["en"], "greeting": "Hello,",
           "signature": "Kind regards\nKuopio resident activity"},
}


def approval_purpose(event: ActivityEventApprovalDecided) -> str:
    return f"approval_{event.decision}"


def render_approval_email(event: ActivityEventApprovalDecided, page_url: str) -> Rendered:
    """What staff decided about the organiser's activity in the approval queue, in their
    language: a refusal with the staff's reason and that it is their draft to edit and
    publish again, an approval with the public page it is on now (`page_url`, without the
    language)."""
    lang = event.contact_language if event.contact_language in _APPROVAL else "fi"
    t = _APPROVAL[lang]
    name = event.name.get(lang)
    when = time_span(event.starts_at, event.ends_at, lang, all_day=event.all_day)
    lines = [t["greeting"], "", f"{t[event.decision]}: {name}", "", f"{t['when']}: {when}"]
    if event.decision == "refused":
        if event.reason:
            lines.append(f"{t['reason']}: {event.reason}")
        lines += ["", t["refused_text"]]
    else:
        lines += ["", t["approved_text"], f"{page_url}?lang={lang}"]
    lines += ["", t["signature"]]
    day = day_numeric(event.starts_at.astimezone(HELSINKI).date(), lang)
    return Rendered(text="\n".join(lines), language=lang,
                    subject=f"{t[event.decision]}: {name} {day}")


_GUIDE: dict[str, dict[str, str]] = {
    "fi": {"subject": "Vastaus kysymykseesi", "greeting": "Hei,", "asked": "Kysyit",
           "answer": "Vastaus", "by": "Vastaaja",
           "signature": "Ystävällisin terveisin\nKuopion kaupungin asukastoiminta"},
    "sv": {"subject": "Svar på din fråga", "greeting": "Hej,", "asked": "Du frågade",
           "answer": "Svar", "by": "Svarade",
           "signature": "Med vänliga hälsningar\nKuopio stads invånarverksamhet"},
    "en": {"subject": "An answer to your question", "greeting": "Hello,",
           "asked": "You asked", "answer": "Answer", "by": "Answered by",
           "signature": "Kind regards\nThe City of Kuopio's resident activity"},
}


def render_guide_reply(event: GuideReplyRequested) -> Rendered:
    """A staff member's answer to a resident's question, in the language the resident asked
    in, with the question quoted."""
    lang = event.contact_language if event.contact_language in _GUIDE else "fi"
    t = _GUIDE[lang]
    quoted = "\n".join(f"> {line}" for line in event.question.splitlines() or [""])
    lines = [t["greeting"], "", f"{t['asked']}:", quoted, "", f"{t['answer']}:", event.answer]
    if event.answered_by:
        lines += ["", f"{t['by']}: {event.answered_by}"]
    lines += ["", t["signature"]]
    return Rendered(text="\n".join(lines), language=lang, subject=t["subject"])


_VERIFY: dict[str, dict[str, str]] = {
    "fi": {"subject": "Vahvista sähköpostiosoitteesi", "greeting": "Hei,",
           "text": "tämä osoite annettiin yhteystiedoksi kirjaston tilavarauksessa. "
                   "Varauksia koskevat viestit lähetetään siihen vasta, kun vahvistat sen:",
           "until": "Linkki toimii kerran, {until} asti.",
           "ignore": "Jos et tehnyt varausta, voit jättää tämän viestin huomiotta: "
                     "osoitteeseen ei lähetetä muuta.",
           "signature": "Ystävällisin terveisin\nKirjaston asukastoiminta"},
    "sv": {"subject": "Bekräfta din e-postadress", "greeting": "Hej,",
           "text": "den här adressen angavs som kontakt i en lokalbokning på biblioteket. "
                   "Meddelanden om bokningar skickas dit först när du bekräftar den:",
           "until": "Länken fungerar en gång, till {until}.",
           "ignore": "Om du inte gjorde någon bokning kan du strunta i meddelandet: "
                     "inget annat skickas till adressen.",
           "signature": "Med vänliga hälsningar\nBibliotekets invånarverksamhet"},
    "en": {"subject": "Confirm your email address", "greeting": "Hello,",
           "text": "this address was given as the contact of a library space booking. "
                   "Messages about bookings are sent to it only once you confirm it:",
           "until": "The link works once, until {until}.",
           "ignore": "If you did not book anything, ignore this message: nothing else is "
                     "sent to the address.",
           "signature": "Kind regards\nThe library's resident activity"},
}


def render_verification_email(event: ContactVerificationRequested) -> Rendered:
    """The one-time link to an address an organiser gave, in their language."""
    lang = event.language if event.language in _VERIFY else "fi"
    t = _VERIFY[lang]
    expires = event.expires_at.astimezone(HELSINKI)
    until = f"{day_numeric(expires.date(), lang)} {clock_time(expires, lang)}"
    text = "\n".join([t["greeting"], "", t["text"], "", event.verify_url, "",
                      t["until"].format(until=until), t["ignore"], "", t["signature"]])
    return Rendered(text=text, language=lang, subject=t["subject"])

