"""What residents read of registration and following, in Finnish, Swedish and English: the
emails (rendered like the posts, rendering.py) and the pages' words. Plain functions, no I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from services.notifications.domain import WHEN, WHERE, FollowChange, Waiting
from services.notifications.rendering import SIGNATURE, Rendered
from shared import ical
from shared.announcements import said_reason
from shared.clock import HELSINKI
from shared.l10n import day_dated, number, text_in, time_span

T: dict[str, dict[str, str]] = {
    "fi": {
        "greeting": "Hei", "signature": SIGNATURE["fi"],
        "confirmed": "Ilmoittautumisesi on vahvistettu",
        "waiting": "Olet jonossa", "promoted": "Pääsit mukaan jonosta",
        "cancelled": "Ilmoittautumisesi on peruttu",
        "position": "Paikkasi jonossa: {n}. Saat viestin, jos paikka vapautuu.",
        # With places free, why a sign-up still waits (domain.why_waiting).
        "why_queue": "Tapahtumassa on vapaita paikkoja ({free}), mutta jonossa oli jo "
                     "ennen sinua ilmoittautumisia ({before}): paikat annetaan "
                     "ilmoittautumisjärjestyksessä.",
        "why_group": "Tapahtumassa on vapaita paikkoja ({free}), mutta ryhmäsi on suurempi "
                     "({seats}): saat paikat, kun niitä vapautuu tarpeeksi.",
        "seats": "Paikkoja: {n}", "cancel_link": "Jos et pääsekään, peru ilmoittautumisesi:",
        "ics": "Kalenterimerkintä on liitteenä.",
        "resent": "Lähetämme ilmoittautumisesi vahvistuksen uudelleen, koska sitä "
                  "pyydettiin ilmoittautumislomakkeelta.",
        "group_size": "Osallistujamäärää ei voi muuttaa ilmoittautumisen jälkeen. Jos haluat "
                      "muuttaa sitä, peru tämä ilmoittautuminen yllä olevasta linkistä ja "
                      "ilmoittaudu uudelleen oikealla määrällä (jos paikkoja on silloin "
                      "jäljellä, muuten jonoon):",
        "updated": "Tapahtuman tiedot ovat muuttuneet",
        "rescheduled": "Tapahtuman aika on muuttunut",
        "changed": "Muuttui", "places": "Paikkoja tapahtumassa",
        "places_open": "ei rajattu",
        "changed_name": "nimi", "changed_time": "aika", "changed_place": "paikka",
        "changed_places": "paikkamäärä",
        "over_confirmed": "Tapahtumassa on nyt vähemmän paikkoja ({places}) kuin "
                          "ilmoittautumisessasi ({seats}). Ilmoittautumisesi pysyy silti "
                          "vahvistettuna: vahvistettuja paikkoja ei peruta, kun paikkamäärä "
                          "muuttuu.",
        "over_waiting": "Tapahtumassa on nyt vähemmän paikkoja ({places}) kuin ryhmässäsi "
                        "({seats}), joten ryhmäsi ei pääse jonosta mukaan, ellei paikkoja "
                        "lisätä. Jos haluat ilmoittautua pienemmällä ryhmällä, peru tämä "
                        "ilmoittautuminen alla olevasta linkistä ja ilmoittaudu uudelleen.",
        "postponed": "Tapahtuma on siirretty",
        "event_cancelled": "Tapahtuma on peruttu",
        "postponed_text": "Uusi aika kerrotaan myöhemmin. Ilmoittautumisesi on voimassa.",
        "was_time": "Aiemmin ilmoitettu aika",
        "event_cancelled_text": "Ilmoittautumisia ei enää tarvita. Pahoittelemme.",
        "was": "aiemmin", "more": "Lisätietoja:",
        "confirm_subject": "Vahvista tilauksesi",
        "confirm_text": "Tilasit tiedot Kuopion asukastoiminnan tapahtumista. Vahvista tilaus "
                        "avaamalla linkki (jos et tilannut, voit jättää viestin huomiotta):",
        "known_subject": "Seuraat jo näitä valintoja",
        "known_text": "Tälle osoitteelle tilattiin tiedot Kuopion asukastoiminnan tapahtumista "
                      "valinnoilla, joita se seuraa jo. Tilauksesi on voimassa, eikä uutta "
                      "tehty. Jos et tilannut, voit jättää viestin huomiotta.",
        "digest_subject": "Viikon tapahtumat sinulle",
        "new_subject": "Uusi tapahtuma sinulle",
        "change_subject": "Muutos tapahtumassa, josta kerroimme",
        "subject_new": "Uusi tapahtuma", "subject_changed": "Muuttunut",
        "subject_cancelled": "Peruttu", "subject_postponed": "Siirretty",
        "subject_rescheduled": "Uusi aika", "subject_relocated": "Uusi paikka",
        "digest_intro": "Seuraamiasi tapahtumia tulevilta viikoilta:",
        "digest_none": "Tällä viikolla ei uusia seuraamiasi tapahtumia.",
        "prefs": "Muuta valintojasi:", "unsubscribe": "Lopeta tilaus:",
        "feeds": "Oma kalenteri (iCal) ja RSS:",
        "digest_title": "Kuopion asukastoiminta: sinun tapahtumasi",
    },
    "sv": {
        "greeting": "Hej", "signature": SIGNATURE["sv"],
        "confirmed": "Din anmälan är bekräftad",
        "waiting": "Du står i kö", "promoted": "Du fick en plats från kön",
        "cancelled": "Din anmälan är avbokad",
        "position": "Din plats i kön: {n}. Du får ett meddelande om en plats blir ledig.",
        "why_queue": "Evenemanget har lediga platser ({free}), men anmälningar stod redan i "
                     "kö före dig ({before}): platserna går i anmälningsordning.",
        "why_group": "Evenemanget har lediga platser ({free}), men din grupp är större "
                     "({seats}): du får platser när tillräckligt många blir lediga.",
        "seats": "Platser: {n}", "cancel_link": "Om du inte kan komma, avboka din anmälan:",
        "ics": "En kalenderpost finns som bilaga.",
        "resent": "Vi skickar bekräftelsen av din anmälan igen, eftersom den begärdes på "
                  "anmälningsformuläret.",
        "group_size": "Antalet deltagare kan inte ändras efter anmälan. Vill du ändra det, "
                      "avboka den här anmälan via länken ovan och anmäl dig på nytt med rätt "
                      "antal (om det då finns platser kvar, annars till kön):",
        "updated": "Evenemangets uppgifter har ändrats",
        "rescheduled": "Evenemangets tid har ändrats",
        "changed": "Ändrat", "places": "Platser i evenemanget",
        "places_open": "obegränsat",
        "changed_name": "namn", "changed_time": "tid", "changed_place": "plats",
        "changed_places": "antal platser",
        "over_confirmed": "Evenemanget har nu färre platser ({places}) än din anmälan "
                          "({seats}). Din anmälan förblir ändå bekräftad: bekräftade platser "
                          "avbokas inte när antalet platser ändras.",
        "over_waiting": "Evenemanget har nu färre platser ({places}) än din grupp "
                        "({seats}), så gruppen kan inte få platser från kön om inte fler "
                        "platser läggs till. Vill du anmäla en mindre grupp, avboka den här "
                        "anmälan via länken nedan och anmäl dig på nytt.",
        "postponed": "Evenemanget är uppskjutet",
        "event_cancelled": "Evenemanget är inställt",
        "postponed_text": "Den nya tiden meddelas senare. Din anmälan gäller.",
        "was_time": "Tidigare meddelad tid",
        "event_cancelled_text": "Anmälningarna behövs inte längre. Vi beklagar.",
        "was": "tidigare", "more": "Mer information:",
        "confirm_subject": "Bekräfta din prenumeration",
        "confirm_text": "Du har prenumererat på evenemang inom invånarverksamheten i Kuopio. "
                        "Bekräfta genom att öppna länken (om det inte var du kan du strunta "
                        "i meddelandet):",
        "known_subject": "Du följer redan dessa val",
        "known_text": "Den här adressen prenumererade på evenemang inom invånarverksamheten i "
                      "Kuopio med val som den redan följer. Din prenumeration gäller och "
                      "ingen ny gjordes. Om det inte var du kan du strunta i meddelandet.",
        "digest_subject": "Veckans evenemang för dig",
        "new_subject": "Ett nytt evenemang för dig",
        "change_subject": "Ändring i ett evenemang vi berättade om",
        "subject_new": "Nytt evenemang", "subject_changed": "Ändrat",
        "subject_cancelled": "Inställt", "subject_postponed": "Uppskjutet",
        "subject_rescheduled": "Ny tid", "subject_relocated": "Ny plats",
        "digest_intro": "Evenemang du följer under de kommande veckorna:",
        "digest_none": "Inga nya evenemang du följer den här veckan.",
        "prefs": "Ändra dina val:", "unsubscribe": "Avsluta prenumerationen:",
        "feeds": "Egen kalender (iCal) och RSS:",
        "digest_title": "Invånarverksamheten i Kuopio: dina evenemang",
    },
    "en": {
        "greeting": "Hello", "signature": SIGNATURE["en"],
        "confirmed": "Your registration is confirmed",
        "waiting": "You are on the waiting list", "promoted": "You got a place from the "
        "waiting list", "cancelled": "Your registration has been cancelled",
        "position": "Your place in the queue: {n}. We will tell you if a place comes free.",
        "why_queue": "The event has places free ({free}), but sign-ups were already waiting "
                     "before you ({before}): places go in the order people signed up.",
        "why_group": "The event has places free ({free}), but your group is larger "
                     "({seats}): you get places when enough come free.",
        "seats": "Places: {n}", "cancel_link": "If you cannot come, cancel your registration:",
        "ics": "A calendar entry is attached.",
        "resent": "We are sending the confirmation of your registration again, as it was "
                  "asked for on the sign-up form.",
        "group_size": "The number of people cannot be changed once signed up. To change it, "
                      "cancel this registration with the link above and sign up again with "
                      "the right number (for a place if any are left then, else on the "
                      "waiting list):",
        "updated": "The event's details have changed",
        "rescheduled": "The event's time has changed",
        "changed": "What changed", "places": "Places at the event",
        "places_open": "no limit",
        "changed_name": "name", "changed_time": "time", "changed_place": "place",
        "changed_places": "number of places",
        "over_confirmed": "The event now has fewer places ({places}) than your registration "
                          "({seats}). Your registration stays confirmed all the same: "
                          "confirmed places are not cancelled when the number of places "
                          "changes.",
        "over_waiting": "The event now has fewer places ({places}) than your group "
                        "({seats}), so your group cannot move up from the waiting list "
                        "unless places are added. To sign up a smaller group, cancel this "
                        "registration with the link below and sign up again.",
        "postponed": "The event has been postponed",
        "event_cancelled": "The event has been cancelled",
        "postponed_text": "The new time will be announced later. Your registration stands.",
        "was_time": "Previously announced time",
        "event_cancelled_text": "Registrations are no longer needed. We are sorry.",
        "was": "was", "more": "More information:",
        "confirm_subject": "Confirm your subscription",
        "confirm_text": "You subscribed to events of Kuopio's resident activity. Confirm by "
                        "opening the link (if it was not you, ignore this message):",
        "known_subject": "You already follow these choices",
        "known_text": "This address was subscribed to events of Kuopio's resident activity "
                      "with choices it already follows. Your subscription stands; no new one "
                      "was made. If it was not you, ignore this message.",
        "digest_subject": "This week's events for you",
        "new_subject": "A new event for you",
        "change_subject": "A change to an event we told you about",
        "subject_new": "New event", "subject_changed": "Changed",
        "subject_cancelled": "Cancelled", "subject_postponed": "Postponed",
        "subject_rescheduled": "New time", "subject_relocated": "New place",
        "digest_intro": "Events you follow in the coming weeks:",
        "digest_none": "No new events you follow this week.",
        "prefs": "Change your choices:", "unsubscribe": "Unsubscribe:",
        "feeds": "Your own calendar (iCal) and RSS:",
        "digest_title": "Kuopio resident activity: your events",
    },
}


def lang_of(value: str | None) -> str:
    return value if value in T else "fi"


def _name(facts: dict[str, Any], lang: str) -> str:
    return text_in(facts.get("name"), lang)


def _when(facts: dict[str, Any], lang: str) -> str:
    return time_span(datetime.fromisoformat(facts["starts_at"]),
                     datetime.fromisoformat(facts["ends_at"]), lang,
                     all_day=bool(facts.get("all_day")))


def _calendar(facts: dict[str, Any], uid: str, sequence: int, status: str, where: str | None,
              page_url: str, method: str, lang: str) -> str:
    """The registrant's calendar entry, named (the entry and the calendar) in their language,
    Finnish where the activity has no name in it."""
    name = _name(facts, lang)
    return ical.calendar([ical.CalendarEvent(
        uid=uid, starts_at=datetime.fromisoformat(facts["starts_at"]),
        ends_at=datetime.fromisoformat(facts["ends_at"]), summary=name, sequence=sequence,
        all_day=bool(facts.get("all_day")),
        status=status, location=where, url=page_url)], name=name, method=method)


def _sequence(revision: int, removes: bool) -> int:
    """The calendar entry's SEQUENCE: the activity's revision, doubled so that a removal
    (the registrant's or the activity's cancellation) outranks every entry of its revision."""
    return revision * 2 + (1 if removes else 0)


def registration_calendar(facts: dict[str, Any], registration_id: str, revision: int,
                          where: str | None, page_url: str, lang: str) -> str:
    """A seat's calendar entry as its confirmation mail attaches it (one UID, so a later
    mail's change or removal finds the entry whichever way it was added)."""
    return _calendar(facts, f"registration-{registration_id}@kohtaamo",
                     _sequence(revision, False), "CONFIRMED", where, page_url, "PUBLISH", lang)


def registration_email(what: str, facts: dict[str, Any], *, lang: str, name: str | None,
                       seats: int, waiting: Waiting | None, where: str | None,
                       page_url: str, cancel_url: str, registration_id: str,
                       revision: int, signup_url: str | None = None) -> Rendered:
    """confirmed | waiting | promoted | cancelled: to the person who registered, in their
    language; a seat (confirmed, promoted) comes with a calendar entry, a cancellation
    removes it. Waiting, its place in the list (`waiting`) and, with places free, why it
    waits all the same (others before it, or its group larger than the places free).
    With `signup_url`, the confirmation mailed again on request: said to be
    that, with how to change the group's size (cancel, then sign up again there)."""
    t = T[lang_of(lang)]
    title = _name(facts, lang)
    lines = [f"{t['greeting']} {name}," if name else f"{t['greeting']},", ""]
    if signup_url is not None:
        lines += [t["resent"], ""]
    lines += [f"{t[what]}: {title}", "", f"{WHEN[lang]}: {_when(facts, lang)}"]
    if where:
        lines.append(f"{WHERE[lang]}: {where}")
    lines.append(t["seats"].format(n=number(seats, lang_of(lang))))
    if what == "waiting" and waiting is not None:
        lines.append("")
        if waiting.free is not None and waiting.why in ("queue", "group"):
            lines.append(t[f"why_{waiting.why}"].format(
                free=number(waiting.free, lang_of(lang)),
                before=number(waiting.before, lang_of(lang)),
                seats=number(seats, lang_of(lang))))
        lines.append(t["position"].format(n=number(waiting.position, lang_of(lang))))
    lines += ["", t["more"], f"{page_url}?lang={lang}"]
    if what != "cancelled":
        lines += ["", t["cancel_link"], cancel_url]
        if signup_url is not None:
            lines += ["", t["group_size"], signup_url]
    ics = None
    if what in ("confirmed", "promoted"):
        ics = registration_calendar(facts, registration_id, revision, where, page_url, lang)
        lines += ["", t["ics"]]
    elif what == "cancelled":
        ics = _calendar(facts, f"registration-{registration_id}@kohtaamo",
                        _sequence(revision, True), "CANCELLED", where, page_url, "CANCEL",
                        lang)
        lines += ["", t["ics"]]
    lines += ["", t["signature"]]
    start = datetime.fromisoformat(facts["starts_at"]).astimezone(HELSINKI)
    return Rendered(text="\n".join(lines), language=lang_of(lang), link=page_url,
                    subject=f"{t[what]}: {title} {day_dated(start.date(), lang)}", ics=ics)


def registrant_details(facts: dict[str, Any], lang: str, where: str | None,
                       places: int | None) -> dict[str, Any]:
    """What a registrant reads of the activity in their mail (`domain.REGISTRANT_DETAILS`):
    its name, time and place as said in their language, and its places."""
    return {"name": _name(facts, lang), "time": _when(facts, lang), "place": where,
            "places": places}


def change_email(change: str, facts: dict[str, Any], previous: dict[str, Any] | None, *,
                 lang: str, name: str | None, where: str | None, page_url: str,
                 cancel_url: str, registration_id: str, revision: int,
                 confirmed: bool, reason: str | None = None,
                 changed: tuple[str, ...] = (), before: dict[str, Any] | None = None,
                 places: int | None = None, seats: int = 1) -> Rendered:
    """updated | rescheduled | postponed | cancelled: the activity changed under those who
    registered for it. A cancellation or postponement gives the organiser's `reason` as they
    wrote it (in whatever language), quoted and marked as theirs, as the event's page shows
    it. An edit says what of it `changed` (`domain.registrant_changes`), each with what it
    was (`before`, `registrant_details`), and the `places` now; with fewer places than the
    registration's `seats`, what that means for it: a confirmed one stays confirmed, one
    waiting does not move up (`domain.promotions`)."""
    t = T[lang_of(lang)]
    key = "event_cancelled" if change == "cancelled" else change
    title = _name(facts, lang)
    # A postponed activity has no time now: the one it had is said to be the earlier one.
    when_label = t["was_time"] if change == "postponed" else WHEN[lang]
    what_changed = ", ".join(t[f"changed_{what}"] for what in changed)
    headline = f"{t[key]}: {title}"
    if "name" in changed and before is not None:
        headline += f" ({t['was']} {before['name']})"
    lines = [f"{t['greeting']} {name}," if name else f"{t['greeting']},", "", headline, ""]
    if what_changed:
        lines += [f"{t['changed']}: {what_changed}", ""]
    lines.append(f"{when_label}: {_when(facts, lang)}")
    if change == "rescheduled" and previous is not None:
        lines[-1] += f" ({t['was']} {_when(previous, lang)})"
    if "time" in changed and before is not None:
        lines[-1] += f" ({t['was']} {before['time']})"
    if where:
        lines.append(f"{WHERE[lang]}: {where}")
        if "place" in changed and before is not None and before["place"]:
            lines[-1] += f" ({t['was']} {before['place']})"
    if "places" in changed and before is not None:
        def counted(n: int | None) -> str:
            return t["places_open"] if n is None else number(n, lang_of(lang))
        lines.append(f"{t['places']}: {counted(places)} ({t['was']} "
                     f"{counted(before['places'])})")
        if places is not None and seats > places:
            lines += ["", t["over_confirmed" if confirmed else "over_waiting"].format(
                places=number(places, lang_of(lang)), seats=number(seats, lang_of(lang)))]
    if change == "postponed":
        lines += ["", t["postponed_text"]]
    if change == "cancelled":
        lines += ["", t["event_cancelled_text"]]
    said = said_reason(reason, lang_of(lang)) if change in ("postponed", "cancelled") else None
    if said:
        lines.append(said)
    lines += ["", t["more"], f"{page_url}?lang={lang}"]
    if change != "cancelled":
        lines += ["", t["cancel_link"], cancel_url]
    ics = None
    if confirmed and change in ("rescheduled", "cancelled", "updated"):
        gone = change == "cancelled"
        ics = _calendar(facts, f"registration-{registration_id}@kohtaamo",
                        _sequence(revision, gone),
                        "CANCELLED" if gone else "CONFIRMED", where, page_url,
                        "CANCEL" if gone else "PUBLISH", lang)
    lines += ["", t["signature"]]
    return Rendered(text="\n".join(lines), language=lang_of(lang), link=page_url,
                    subject=f"{t[key]}: {title}"
                    + (f" ({what_changed})" if what_changed else ""), ics=ics)


def unsubscribe_headers(unsubscribe_url: str, prefs_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a mail client's one-click unsubscribe POSTs
    `List-Unsubscribe=One-Click` to the first URL."""
    return {"List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Kohtaamo <following.kohtaamo.local>",
            "List-Help": f"<{prefs_url}>"}


def confirm_email(lang: str, confirm_url: str) -> Rendered:
    t = T[lang_of(lang)]
    return Rendered(text="\n".join([f"{t['greeting']},", "", t["confirm_text"], confirm_url,
                                    "", t["signature"]]),
                    language=lang_of(lang), subject=t["confirm_subject"], link=confirm_url)


def already_following_email(lang: str, prefs_url: str, unsubscribe_url: str) -> Rendered:
    """To an address whose follow form chose what it follows already: the form's answer
    cannot say so (anyone could learn what an address follows), so its owner is told here,
    with the links that change or end the subscription."""
    t = T[lang_of(lang)]
    return Rendered(text="\n".join([f"{t['greeting']},", "", t["known_text"], "", t["prefs"],
                                    prefs_url, "", t["unsubscribe"], unsubscribe_url, "",
                                    t["signature"]]),
                    language=lang_of(lang), subject=t["known_subject"], link=prefs_url,
                    headers=unsubscribe_headers(unsubscribe_url, prefs_url))


#: What a follower's mail is: the weekly digest, one new activity, or a change to one they
#: were told of (cancelled, moved, postponed, back on).
FollowMail = Literal["digest", "new", "change"]


def follow_subject(kind: FollowMail, lang: str, facts: dict[str, Any] | None = None,
                   change: FollowChange | None = None) -> str:
    """A follower's mail's subject in their language: the weekly digest's own; a mail of one
    activity (`facts`) names it and its day, with what it is: "Uusi tapahtuma: Satutunti
    12.12.2026", "Inställt: Sagostund 12.12.2026", "New time: Story time 13.12.2026"."""
    t = T[lang_of(lang)]
    if kind == "digest" or facts is None:
        return t[f"{kind}_subject"]
    label = t["subject_new"] if kind == "new" else t[f"subject_{change or 'changed'}"]
    start = datetime.fromisoformat(facts["starts_at"]).astimezone(HELSINKI)
    return f"{label}: {_name(facts, lang)} {day_dated(start.date(), lang_of(lang))}"


def digest_email(lang: str, blocks: list[str], *, kind: FollowMail, prefs_url: str,
                 unsubscribe_url: str, ics_url: str, rss_url: str,
                 about: dict[str, Any] | None = None,
                 change: FollowChange | None = None) -> Rendered:
    """A follower's mail: each activity as its post reads (rendering.render_post; a change
    as its notice), then the subscriber's own links. A mail of one activity (`about`, its
    facts; a change's kind as `change`) names it in its subject (follow_subject)."""
    t = T[lang_of(lang)]
    lines = [f"{t['greeting']},", ""]
    if kind == "digest":
        lines += [t["digest_intro"] if blocks else t["digest_none"], ""]
    for block in blocks:
        lines += [block, "", "—", ""]
    lines += [t["feeds"], ics_url, rss_url, "", t["prefs"], prefs_url, "", t["unsubscribe"],
              unsubscribe_url, "", t["signature"]]
    return Rendered(text="\n".join(lines), language=lang_of(lang),
                    subject=follow_subject(kind, lang, about, change),
                    headers=unsubscribe_headers(unsubscribe_url, prefs_url))
