"""What an email says, per language: plain functions, no I/O. Posts (and the labels every
channel shares) are rendered by `shared.announcements`, the same code the events service
previews a draft's posts with; they are named here too, as the service has always used them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

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
    BookingMoved,
    BookingNoShow,
    BookingRejected,
    ContactVerificationRequested,
    GuideReplyRequested,
    LocalizedText,
)
from shared.house_rules import house_rules
from shared.l10n import date_and_time, day_dated, day_range, hours, money, number, time_span

__all__ = ["IMAGE_REQUIRED", "LIMITS", "ActivityView", "CannotRender", "Rendered",
           "event_page_url", "render_post"]

#: A post's own words ("Verkossa"), which the registrants' emails use too.
_LABELS = POST_LABELS


#: How every mail this service sends is signed: one sender, whichever mail it is (booking,
#: registration, following, approval, attendance), in the reader's language.
SIGNATURE: dict[str, str] = {
    "fi": "Ystävällisin terveisin\nKuopion kaupungin asukastoiminta",
    "sv": "Med vänliga hälsningar\nKuopio stads invånarverksamhet",
    "en": "Kind regards\nThe City of Kuopio's resident activity",
}


# --- emails to organisers -------------------------------------------------------------------

_EMAIL: dict[str, dict[str, str]] = {
    "fi": {"confirmed": "Varauksesi on vahvistettu", "rejected": "Varaustasi ei voitu hyväksyä",
           "cancelled": "Varauksesi on peruttu", "moved": "Varauksesi aika on muuttunut",
           "no_show": "Varauksesi tila vapautettiin",
           "no_show_text": "Kukaan ei ilmoittautunut paikalle tilan sisäänkirjautumisajan "
                           "kuluessa, joten tila vapautettiin muille.",
           "reason": "Syy", "when": WHEN["fi"], "new_time": "Uusi aika",
           "was": "Aiempi aika", "where": WHERE["fi"], "greeting": "Hei,",
           "door": "Ovikoodi itsepalveluaikana", "price": "Hinta",
           "reference": "Viitenumero",
           "cancel_by": "Voit perua varauksen itse viimeistään {hours} ennen alkua.",
           "cancel_desk": "Jos haluat perua varauksen, ota yhteyttä kirjaston tiskiin.",
           "checkin": "Kirjaudu paikalle {minutes} minuutin kuluessa alusta, muuten tila "
                      "vapautetaan muille.",
           "link": "Varauksesi tiedot", "signature": SIGNATURE["fi"],
           "ics": "Kalenterimerkintä on liitteenä.",
           "ics_moved": "Liitteenä on päivitetty kalenterimerkintä: se korvaa aiemman.",
           "times": "Perutut ajat", "count": "{n} kertaa",
           "ics_many": "Liitteenä ovat kalenterimerkinnät: ne poistavat perutut ajat "
                       "kalenteristasi."},
    "sv": {"confirmed": "Din bokning är bekräftad", "rejected": "Din bokning kunde inte godkännas",
           "cancelled": "Din bokning är avbokad", "moved": "Tiden för din bokning har ändrats",
           "no_show": "Lokalen för din bokning frigjordes",
           "no_show_text": "Ingen checkade in inom lokalens incheckningstid, så lokalen "
                           "frigjordes för andra.",
           "reason": "Orsak", "when": WHEN["sv"], "new_time": "Ny tid",
           "was": "Tidigare tid", "where": WHERE["sv"], "greeting": "Hej,",
           "door": "Dörrkod under självbetjäningstid", "price": "Pris",
           "reference": "Referensnummer",
           "cancel_by": "Du kan själv avboka senast {hours} före början.",
           "cancel_desk": "Om du vill avboka, kontakta bibliotekets disk.",
           "checkin": "Checka in inom {minutes} minuter från början, annars frigörs lokalen "
                      "för andra.",
           "link": "Din bokning", "signature": SIGNATURE["sv"],
           "ics": "En kalenderpost finns som bilaga.",
           "ics_moved": "En uppdaterad kalenderpost finns som bilaga: den ersätter den tidigare.",
           "times": "Avbokade tider", "count": "{n} gånger",
           "ics_many": "Kalenterposterna finns som bilaga: de tar bort de avbokade tiderna ur "
                       "din kalender."},
    "en": {"confirmed": "Your booking is confirmed", "rejected": "Your booking was not accepted",
           "cancelled": "Your booking has been cancelled",
           "moved": "The time of your booking has changed",
           "no_show": "The space of your booking was released",
           "no_show_text": "Nobody checked in within the space's check-in time, so the space "
                           "was released for others.",
           "reason": "Reason", "when": WHEN["en"], "new_time": "New time",
           "was": "Earlier time", "where": WHERE["en"], "greeting": "Hello,",
           "door": "Door code for self-service hours", "price": "Price",
           "reference": "Reference number",
           "cancel_by": "You can cancel the booking yourself until {hours} before it "
                        "starts.",
           "cancel_desk": "To cancel the booking, please contact the library desk.",
           "checkin": "Check in within {minutes} minutes of the start, or the space is "
                      "released for others.",
           "link": "Your booking", "signature": SIGNATURE["en"],
           "ics": "A calendar entry is attached.",
           "ics_moved": "An updated calendar entry is attached: it replaces the earlier one.",
           "times": "Cancelled times", "count": "{n} times",
           "ics_many": "The calendar entries are attached: they remove the cancelled times "
                       "from your calendar."},
}

BookingMessage = (BookingConfirmed | BookingRejected | BookingCancelled | BookingMoved
                  | BookingNoShow)


def booking_purpose(event: BookingMessage) -> str:
    if isinstance(event, BookingConfirmed):
        return "booking_confirmed"
    if isinstance(event, BookingMoved):
        return "booking_moved"
    if isinstance(event, BookingNoShow):
        return "booking_no_show"
    return "booking_rejected" if isinstance(event, BookingRejected) else "booking_cancelled"


def booking_sequence(event: BookingMessage) -> int:
    """The calendar entry's SEQUENCE: the booking's revision, which grows with each change.
    An event written before bookings carried one (revision 0) keeps the old rule: the
    confirmation 0, anything after it 1."""
    if event.revision:
        return event.revision
    return 0 if isinstance(event, BookingConfirmed) else 1


def organiser_signs_in(event: BookingMessage) -> bool:
    """Whether the booking's organiser can sign in on the booking service's own pages (/my)
    to see and cancel it: not a walk-in the desk made for someone without an account there,
    nor an organiser anonymised since (their events name no `organiser_subject`; a link to
    /my would lead them to a sign-in they cannot pass). An event from before booking named
    the subject at all (the key absent, not null) says nothing of it: linked, as then."""
    return event.organiser_subject is not None \
        or "organiser_subject" not in event.model_fields_set


def my_booking_url(public_base: str, booking_id: UUID, lang: str | None = None) -> str:
    """The booking on its organiser's own page in the booking service (in `lang`)."""
    url = f"{public_base.rstrip('/')}/my/bookings/{booking_id}"
    return f"{url}?lang={lang}" if lang in _EMAIL else url


def _house_rules(event: BookingConfirmed, t: dict[str, str], lang: str) -> list[str]:
    """The rules the organiser accepted on the booking page, in its words
    (`shared.house_rules`), and the space's own cancellation and check-in times. Cancelling
    themselves is offered only when it was still possible as the booking was confirmed
    (`self_cancel`; not to a walk-in without an account, nor past the deadline): else the
    desk is who cancels (tester #14)."""
    rules = [house_rules(lang)]
    if event.house_rules and event.house_rules.cancellation_hours is not None:
        if event.self_cancel is not False and organiser_signs_in(event):
            rules.append(t["cancel_by"].format(
                hours=hours(event.house_rules.cancellation_hours, lang)))
        else:
            rules.append(t["cancel_desk"])
    if event.house_rules and event.house_rules.checkin_minutes is not None:
        rules.append(t["checkin"].format(minutes=event.house_rules.checkin_minutes))
    return [" ".join(rules)]


#: The reasons the booking service itself writes (in English, for its history) when the
#: organiser's own activity moved or freed the booking, as the organiser reads them.
_OWN_MOVE = "the activity was rescheduled"
_OWN_RELEASE = "the activity was cancelled"
_OWN_REASONS: dict[str, dict[str, str]] = {
    "fi": {_OWN_MOVE: "siirsit tapahtumasi uuteen aikaan", _OWN_RELEASE: "peruit tapahtumasi"},
    "sv": {_OWN_MOVE: "du flyttade ditt evenemang till en ny tid",
           _OWN_RELEASE: "du ställde in ditt evenemang"},
    "en": {_OWN_MOVE: "you moved your event to a new time",
           _OWN_RELEASE: "you cancelled your event"},
}


def _reason(event: BookingMessage, lang: str) -> str | None:
    """The reason as the organiser reads it: staff's own words as they wrote them, the
    service's words for the organiser's own change in the organiser's language."""
    reason: str | None = getattr(event, "reason", None)
    by_organiser = getattr(event, "moved_by", getattr(event, "cancelled_by", None))
    if not reason or by_organiser != "organiser":
        return reason
    for own, said in _OWN_REASONS[lang].items():
        if reason == own or reason.startswith(f"{own}: "):
            rest = reason[len(own):].removeprefix(": ").strip()
            return f"{said}: {rest}" if rest else said
    return reason


def render_booking_email(event: BookingMessage, place: LocalizedText | None,
                         booking_revision: int | None = None,
                         booking_url: str | None = None) -> Rendered:
    """The organiser's email in their language, with an .ics: a confirmation adds the booking
    to their calendar, a move replaces the entry and a cancellation removes it (same UID,
    higher SEQUENCE: `booking_revision`, else `booking_sequence`). A confirmation gives the
    door code of self-service hours, the price and its reference number and the space's
    rules; a mail links the booking on the organiser's own page (`booking_url`) when they can
    sign in there (the caller leaves it out otherwise: `organiser_signs_in`)."""
    lang = event.contact_language if event.contact_language in _EMAIL else "fi"
    t = _EMAIL[lang]
    what = booking_purpose(event).removeprefix("booking_")
    sequence = booking_sequence(event) if booking_revision is None else booking_revision
    where = place.get(lang) if place else None
    lines = [t["greeting"], "", f"{t[what]}: {event.title}", ""]
    if isinstance(event, BookingMoved):
        lines += [f"{t['new_time']}: {time_span(event.starts_at, event.ends_at, lang)}",
                  f"{t['was']}: "
                  f"{time_span(event.previous_starts_at, event.previous_ends_at, lang)}"]
    else:
        lines.append(f"{t['when']}: {time_span(event.starts_at, event.ends_at, lang)}")
    if where:
        lines.append(f"{t['where']}: {where}")
    reason = _reason(event, lang)
    if reason:
        lines.append(f"{t['reason']}: {reason}")
    if isinstance(event, BookingNoShow):
        lines += ["", t["no_show_text"]]
    access_code = getattr(event, "access_code", None)
    if access_code and event.hours_kind == "self_service":
        lines.append(f"{t['door']}: {access_code}")
    if isinstance(event, BookingConfirmed):
        if event.price:
            lines.append(f"{t['price']}: {money(event.price, lang)}")
            if event.invoice_reference:
                lines.append(f"{t['reference']}: {event.invoice_reference}")
        lines += ["", *_house_rules(event, t, lang)]
    if booking_url:
        lines += ["", f"{t['link']}: {booking_url}"]
    ics = None
    if what in ("confirmed", "cancelled", "moved", "no_show"):
        publish = what in ("confirmed", "moved")
        ics = ical.calendar([ical.CalendarEvent(
            uid=f"booking-{event.booking_id}@kohtaamo", starts_at=event.starts_at,
            ends_at=event.ends_at, summary=event.title, sequence=sequence,
            status="CONFIRMED" if publish else "CANCELLED", location=where,
            url=booking_url)],
            name=event.title, method="PUBLISH" if publish else "CANCEL")
        lines += ["", t["ics_moved" if what == "moved" else "ics"]]
    lines += ["", t["signature"]]
    day = day_dated(event.starts_at.astimezone(HELSINKI).date(), lang)
    return Rendered(text="\n".join(lines), language=lang,
                    subject=f"{t[what]}: {event.title} {day}", ics=ics)


@dataclass(frozen=True)
class SeriesTime:
    """One cancelled time of a series in the series' mail (kept in the delivery's content, so
    a time cancelled a moment later joins the mail not yet sent)."""

    booking_id: UUID
    starts_at: datetime
    ends_at: datetime
    #: Its calendar entry's SEQUENCE (`booking_sequence`).
    sequence: int

    def as_json(self) -> dict[str, Any]:
        return {"booking_id": str(self.booking_id), "starts_at": self.starts_at.isoformat(),
                "ends_at": self.ends_at.isoformat(), "sequence": self.sequence}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SeriesTime:
        return cls(UUID(str(data["booking_id"])), datetime.fromisoformat(data["starts_at"]),
                   datetime.fromisoformat(data["ends_at"]), int(data["sequence"]))


def render_series_cancellation(event: BookingCancelled, times: Sequence[SeriesTime],
                               place: LocalizedText | None,
                               booking_base: str | None = None) -> Rendered:
    """One mail for several cancelled times of a series (`event` one of them: what the mail
    says once, its title, place and reason, is the same for each): every time on a line of
    its own, in order, and one calendar attachment that removes them all (each its own UID,
    SEQUENCE and link to its own page, as its own mail's would). With `booking_base` (the
    booking service's public address; None: the organiser has no page there), the text
    links the first time's page. The subject names the days from the first to the last and
    how many times ("3.–17. joulukuuta 2026 (3 kertaa)", "3–17 Dec 2026 (3 times)")."""
    lang = event.contact_language if event.contact_language in _EMAIL else "fi"
    t = _EMAIL[lang]
    ordered = sorted(times, key=lambda time: (time.starts_at, str(time.booking_id)))

    def page(booking_id: UUID) -> str | None:
        return my_booking_url(booking_base, booking_id, lang) if booking_base else None

    booking_url = page(ordered[0].booking_id)
    where = place.get(lang) if place else None
    lines = [t["greeting"], "", f"{t['cancelled']}: {event.title}", "", f"{t['times']}:"]
    lines += [f"– {time_span(time.starts_at, time.ends_at, lang)}" for time in ordered]
    if where:
        lines.append(f"{t['where']}: {where}")
    reason = _reason(event, lang)
    if reason:
        lines.append(f"{t['reason']}: {reason}")
    if booking_url:
        lines += ["", f"{t['link']}: {booking_url}"]
    ics = ical.calendar([ical.CalendarEvent(
        uid=f"booking-{time.booking_id}@kohtaamo", starts_at=time.starts_at,
        ends_at=time.ends_at, summary=event.title, sequence=time.sequence,
        status="CANCELLED", location=where, url=page(time.booking_id)) for time in ordered],
        name=event.title, method="CANCEL")
    lines += ["", t["ics_many"], "", t["signature"]]
    first = ordered[0].starts_at.astimezone(HELSINKI).date()
    last = ordered[-1].starts_at.astimezone(HELSINKI).date()
    days = day_dated(first, lang) if first == last else day_range(first, last, lang)
    return Rendered(text="\n".join(lines), language=lang, ics=ics,
                    subject=f"{t['cancelled']}: {event.title} {days} "
                            f"({t['count'].format(n=number(len(ordered), lang))})")


_ATTENDANCE: dict[str, dict[str, str]] = {
    "fi": {"subject": "Kerro, montako osallistui", "greeting": "Hei,",
           "text": "kiitos, että järjestit toimintaa kirjaston tilassa. Kerro vielä, montako "
                   "osallistujaa ja kävijää tilaisuudessa oli: luvut auttavat kaupunkia "
                   "kehittämään asukastoimintaa. Ilmoittaminen vie minuutin:",
           "when": WHEN["fi"], "where": WHERE["fi"],
           "signature": SIGNATURE["fi"]},
    "sv": {"subject": "Berätta hur många som deltog", "greeting": "Hej,",
           "text": "tack för att du ordnade verksamhet i bibliotekets lokal. Berätta ännu hur "
                   "många deltagare och besökare evenemanget hade: siffrorna hjälper staden "
                   "att utveckla invånarverksamheten. Det tar en minut:",
           "when": WHEN["sv"], "where": WHERE["sv"],
           "signature": SIGNATURE["sv"]},
    "en": {"subject": "Tell us how many took part", "greeting": "Hello,",
           "text": "thank you for running an activity in the library's space. Please tell us "
                   "how many participants and visitors it had: the figures help the city "
                   "develop resident activity. It takes a minute:",
           "when": WHEN["en"], "where": WHERE["en"],
           "signature": SIGNATURE["en"]},
}


def attendance_url(public_events_base: str, event_id: UUID, lang: str | None = None) -> str:
    """Where the organiser reports an activity's attendance (the events service's page, in
    `lang`)."""
    url = f"{public_events_base.rstrip('/')}/my/activities/{event_id}/attendance"
    return f"{url}?lang={lang}" if lang in _ATTENDANCE else url


def render_attendance_prompt(name: LocalizedText, starts_at: datetime, ends_at: datetime,
                             place: LocalizedText | None, lang: str, report_url: str
                             ) -> Rendered:
    """After the activity, its organiser is asked (once, in their language) to report how
    many took part and came by, with the link to the events service's form."""
    lang = lang if lang in _ATTENDANCE else "fi"
    t = _ATTENDANCE[lang]
    title = name.get(lang)
    lines = [t["greeting"], "", t["text"], "", report_url, "", title,
             f"{t['when']}: {time_span(starts_at, ends_at, lang)}"]
    if place:
        lines.append(f"{t['where']}: {place.get(lang)}")
    lines += ["", t["signature"]]
    day = day_dated(starts_at.astimezone(HELSINKI).date(), lang)
    return Rendered(text="\n".join(lines), language=lang,
                    subject=f"{t['subject']}: {title} {day}")


_APPROVAL: dict[str, dict[str, str]] = {
    "fi": {"approved": "Tapahtumasi on julkaistu", "refused": "Tapahtumaasi ei julkaistu",
           "approved_text": "Tapahtuma hyväksyttiin, ja se näkyy nyt tapahtumakalenterissa ja "
                            "kaupungin kanavilla:",
           "refused_text": "Tapahtuma on taas luonnoksesi: voit muokata sitä ja julkaista sen "
                           "uudelleen, jolloin se tulee uudelleen hyväksyttäväksi.",
           "reason": "Syy", "when": WHEN["fi"], "greeting": "Hei,",
           "signature": SIGNATURE["fi"]},
    "sv": {"approved": "Ditt evenemang har publicerats",
           "refused": "Ditt evenemang publicerades inte",
           "approved_text": "Evenemanget godkändes och syns nu i evenemangskalendern och i "
                            "stadens kanaler:",
           "refused_text": "Evenemanget är ditt utkast igen: du kan redigera det och publicera "
                           "det på nytt, så granskas det igen.",
           "reason": "Orsak", "when": WHEN["sv"], "greeting": "Hej,",
           "signature": SIGNATURE["sv"]},
    "en": {"approved": "Your event has been published",
           "refused": "Your event was not published",
           "approved_text": "It was approved and is now in the events calendar and on the "
                            "city's channels:",
           "refused_text": "It is your draft again: you can edit it and publish it again, and "
                           "it will be reviewed again.",
           "reason": "Reason", "when": WHEN["en"], "greeting": "Hello,",
           "signature": SIGNATURE["en"]},
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
    day = day_dated(event.starts_at.astimezone(HELSINKI).date(), lang)
    return Rendered(text="\n".join(lines), language=lang,
                    subject=f"{t[event.decision]}: {name} {day}")


_GUIDE: dict[str, dict[str, str]] = {
    "fi": {"subject": "Vastaus kysymykseesi", "greeting": "Hei,", "asked": "Kysyit",
           "answer": "Vastaus", "by": "Vastaaja",
           "signature": SIGNATURE["fi"]},
    "sv": {"subject": "Svar på din fråga", "greeting": "Hej,", "asked": "Du frågade",
           "answer": "Svar", "by": "Svarade",
           "signature": SIGNATURE["sv"]},
    "en": {"subject": "An answer to your question", "greeting": "Hello,",
           "asked": "You asked", "answer": "Answer", "by": "Answered by",
           "signature": SIGNATURE["en"]},
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
           "signature": SIGNATURE["fi"]},
    "sv": {"subject": "Bekräfta din e-postadress", "greeting": "Hej,",
           "text": "den här adressen angavs som kontakt i en lokalbokning på biblioteket. "
                   "Meddelanden om bokningar skickas dit först när du bekräftar den:",
           "until": "Länken fungerar en gång, till {until}.",
           "ignore": "Om du inte gjorde någon bokning kan du strunta i meddelandet: "
                     "inget annat skickas till adressen.",
           "signature": SIGNATURE["sv"]},
    "en": {"subject": "Confirm your email address", "greeting": "Hello,",
           "text": "this address was given as the contact of a library space booking. "
                   "Messages about bookings are sent to it only once you confirm it:",
           "until": "The link works once, until {until}.",
           "ignore": "If you did not book anything, ignore this message: nothing else is "
                     "sent to the address.",
           "signature": SIGNATURE["en"]},
}


def render_verification_email(event: ContactVerificationRequested) -> Rendered:
    """The one-time link to an address an organiser gave, in their language."""
    lang = event.language if event.language in _VERIFY else "fi"
    t = _VERIFY[lang]
    until = date_and_time(event.expires_at, lang)
    text = "\n".join([t["greeting"], "", t["text"], "", event.verify_url, "",
                      t["until"].format(until=until), t["ignore"], "", t["signature"]])
    return Rendered(text=text, language=lang, subject=t["subject"])

