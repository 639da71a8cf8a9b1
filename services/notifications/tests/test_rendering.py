"""Posts and emails as residents and organisers read them: every language of the account,
within each platform's limit, never without the time, the place or the link."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.notifications import reach_text, rendering
from services.notifications.rendering import LIMITS, ActivityView, CannotRender
from shared import announcements
from shared.announcements import post_length, preview_posts
from shared.contracts import (
    ActivityEventApprovalDecided,
    BookingCancelled,
    BookingConfirmed,
    BookingRejected,
    LocalizedText,
)

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 17.00 in Helsinki


def view(**changes: object) -> ActivityView:
    base: dict[str, object] = {
        "name": LocalizedText(fi="Satutunti", sv="Sagostund", en="Story time"),
        "starts_at": START, "ends_at": START + timedelta(hours=1),
        "place": LocalizedText(fi="KANTTI, Lasten paja", sv="KANTTI, Barnens verkstad"),
        "short_description": LocalizedText(fi="Satuja lapsille.", sv="Sagor för barn."),
        "free": True, "registration_required": False, "online": False,
        "image_url": "https://kuvat.example/satu.jpg",
        "image_alt": LocalizedText(fi="Lapsia kuuntelemassa satua"),
        "page_url": "https://tapahtumat.kuopio.fi/events/e1/page",
    }
    base.update(changes)
    return ActivityView(**base)  # type: ignore[arg-type]


def test_an_announcement_has_name_time_place_free_line_and_link() -> None:
    post = rendering.render_post("mastodon", view(), "announcement", "published", ["fi"])
    lines = post.text.split("\n")
    assert lines[0] == "Satutunti"
    assert lines[1] == "torstai 3. joulukuuta 2026 17.00–18.00"  # Helsinki time, not UTC
    assert "KANTTI, Lasten paja" in lines
    assert "Maksuton, ei ilmoittautumista" in lines
    assert post.text.endswith("\n\nhttps://tapahtumat.kuopio.fi/events/e1/page?lang=fi")
    assert post.link == "https://tapahtumat.kuopio.fi/events/e1/page?lang=fi"
    assert post.image_alt == "Lapsia kuuntelemassa satua"


def test_a_bilingual_account_posts_finnish_then_swedish() -> None:
    post = rendering.render_post("facebook", view(), "announcement", "published", ["fi", "sv"])
    fi, sv = post.text.index("Satutunti"), post.text.index("Sagostund")
    assert fi < sv
    assert "Gratis, ingen anmälan" in post.text and "KANTTI, Barnens verkstad" in post.text
    assert post.language == "fi"


def test_a_missing_translation_falls_back_to_finnish() -> None:
    post = rendering.render_post("mastodon", view(), "announcement", "published", ["en"])
    assert post.text.startswith("Story time\n")
    assert "KANTTI, Lasten paja" in post.text  # no English place name: the Finnish one
    assert "Free, no registration" in post.text


@pytest.mark.parametrize("platform", ["mastodon", "bluesky", "instagram", "facebook"])
def test_long_texts_fit_the_platform_and_keep_time_place_and_link(platform: str) -> None:
    long = "Pitkä kuvaus. " * 6000
    v = view(short_description=LocalizedText(fi=long[:500], sv=long[:500], en=long[:500]),
             name=LocalizedText(fi="Nimi " * 100, sv="Namn " * 100, en="Name " * 100))
    post = rendering.render_post(platform, v, "announcement", "published", ["fi", "sv", "en"])
    assert post_length(platform, post.text) <= LIMITS[platform]
    assert "3. joulukuuta 2026 17.00–18.00" in post.text
    assert "KANTTI, Lasten paja" in post.text
    assert post.text.endswith(post.link or "missing link")


def test_the_description_is_dropped_before_a_language_and_a_language_before_the_name() -> None:
    short = rendering.render_post("bluesky", view(), "announcement", "published", ["fi"])
    assert "Satuja lapsille." in short.text  # fits: nothing given up
    described = view(short_description=LocalizedText(fi="Satuja lapsille. " * 6,
                                                     sv="Sagor för barn. " * 6))
    two = rendering.render_post("bluesky", described, "announcement", "published",
                                ["fi", "sv"])
    assert len(two.text) <= 300
    assert "Sagostund" in two.text and "Satuja lapsille." not in two.text
    three = rendering.render_post("bluesky", view(name=LocalizedText(
        fi="Satutunti " * 9, sv="Sagostund " * 9, en="Story time " * 9)), "announcement",
        "published", ["fi", "sv", "en"])
    assert len(three.text) <= 300
    assert "Satutunti" in three.text and "Sagostund" not in three.text


def test_instagram_needs_an_image_but_a_cancellation_goes_without() -> None:
    with pytest.raises(CannotRender, match="image"):
        rendering.render_post("instagram", view(image_url=None), "announcement", "published",
                              ["fi"])
    post = rendering.render_post("mastodon", view(image_url=None), "announcement",
                                 "published", ["fi"])
    assert post.image_url is None and post.image_alt is None


def test_notices_say_cancelled_postponed_or_the_new_time() -> None:
    cancelled = rendering.render_post("mastodon", view(), "cancellation", "cancelled",
                                      ["fi", "sv"])
    assert cancelled.text.startswith("PERUTTU: Satutunti")
    assert "INSTÄLLT: Sagostund" in cancelled.text
    assert "Tapahtuma on peruttu." in cancelled.text
    postponed = rendering.render_post("mastodon", view(), "change", "postponed", ["en"])
    assert postponed.text.startswith("POSTPONED: Story time")
    assert "The new time will be announced later." in postponed.text
    moved = view(starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=1, hours=1),
                 previous_starts_at=START, previous_ends_at=START + timedelta(hours=1))
    rescheduled = rendering.render_post("mastodon", moved, "change", "published", ["fi"])
    assert rescheduled.text.startswith(
        "UUSI AIKA: Satutunti\nperjantai 4. joulukuuta 2026 17.00–18.00 "
        "(aiemmin torstai 3. joulukuuta 2026 17.00–18.00)")
    reminder = rendering.render_post("mastodon", view(), "reminder", "published", ["sv"])
    assert reminder.text.startswith("Påminnelse: Sagostund")


REASON = "Ohjaaja sairastui."


def _notice(platform: str, v: ActivityView, purpose: str, status: str, languages: list[str],
            reason: str | None) -> rendering.Rendered:
    return rendering.render_post(platform, replace(v, reason=reason),
                                 purpose, status, languages)  # type: ignore[arg-type]


def test_a_cancellation_and_a_postponement_give_the_organisers_reason() -> None:
    """The post says why, as the event's page and the registrants' mails do: after each
    language's notice line, marked as the organiser's in that language, quoted as written."""
    cancelled = _notice("mastodon", view(), "cancellation", "cancelled", ["fi", "sv"],
                        f"  {REASON}\n")
    without = rendering.render_post("mastodon", view(), "cancellation", "cancelled",
                                    ["fi", "sv"])
    lines = cancelled.text.split("\n")
    said = ["Järjestäjän ilmoittama syy: ”Ohjaaja sairastui.”",
            "Orsak enligt arrangören: ”Ohjaaja sairastui.”"]
    for line, notice in zip(said, ("Tapahtuma on peruttu.", "Evenemanget är inställt."),
                            strict=True):
        assert lines[lines.index(line) - 1] == notice
    assert [x for x in lines if x not in said] == without.text.split("\n")  # all else kept
    assert cancelled.link == without.link
    for languages, line in ((["sv"], said[1]),
                            (["en"], "The organiser's reason: “Ohjaaja sairastui.”")):
        postponed = _notice("bluesky", view(), "change", "postponed", languages,
                            REASON).text.split("\n")
        assert postponed[postponed.index(line) - 1].startswith(
            ("Tidigare ", "Previously ")), postponed
    # No reason, or a post that is no cancellation or postponement: the post as it was.
    for purpose, status, reason in (("cancellation", "cancelled", None),
                                    ("cancellation", "cancelled", " \n "),
                                    ("announcement", "published", REASON),
                                    ("reminder", "published", REASON),
                                    ("change", "published", REASON)):
        assert _notice("mastodon", view(), purpose, status, ["fi"], reason) \
            == rendering.render_post("mastodon", view(), purpose, status, ["fi"])


def test_the_reason_is_kept_before_descriptions_and_other_languages() -> None:
    """A tester's Bluesky and Mastodon posts left the reason out while they kept the second
    language and the sign-up link: the reason goes after the descriptions and before the
    other languages; said again in each language only while there is room."""
    registered = view(registration_required=True,
                      sign_up_url="https://ilmoitukset.kuopio.fi/registrations/e1")
    for platform, languages in (("bluesky", ["fi"]), ("mastodon", ["fi", "sv"]),
                                ("mastodon", ["fi", "en"])):
        for v, purpose, status in ((registered, "change", "postponed"),
                                   (view(), "cancellation", "cancelled")):
            post = _notice(platform, v, purpose, status, languages, REASON)
            assert f"Järjestäjän ilmoittama syy: ”{REASON}”" in post.text.split("\n"), (
                platform, languages, purpose, post.text)
            assert post_length(platform, post.text) <= LIMITS[platform]
    # With room, every language says it, each in its own words.
    both = _notice("facebook", registered, "change", "postponed", ["fi", "sv"], REASON)
    assert f"Orsak enligt arrangören: ”{REASON}”" in both.text
    # A long reason gives way to the second language's block before the first language's
    # reason is cut: Finnish first, then Swedish.
    long_reason = "Ohjaaja sairastui, eikä sijaista löytynyt. " * 3
    mastodon = _notice("mastodon", view(), "cancellation", "cancelled", ["fi", "sv"],
                       long_reason)
    assert f"”{long_reason.strip()}”" in mastodon.text
    assert mastodon.text.count(long_reason.strip()) >= 1
    assert post_length("mastodon", mastodon.text) <= 500


@pytest.mark.parametrize("platform", ["mastodon", "bluesky", "facebook"])
def test_the_reason_gives_way_before_the_essentials_when_one_language_is_too_long(
        platform: str) -> None:
    """With one language too long, the reason is cut (its quotation closed) or, with less
    room than REASON_KEPT of its words, left out, before the place or the name is cut; the
    time, the notice and the link always stay; never over the platform's limit."""
    long_name = LocalizedText(fi="Satutunti " * 40, sv="Sagostund " * 40)
    long_reason = "Ohjaaja sairastui, eikä sijaista löytynyt. " * 40
    for v, languages in ((view(name=long_name), ["fi", "sv"]), (view(), ["fi", "sv", "en"])):
        for purpose, status in (("cancellation", "cancelled"), ("change", "postponed")):
            post = _notice(platform, v, purpose, status, languages, long_reason)
            assert post_length(platform, post.text) <= LIMITS[platform]
            assert post.text.endswith(f"\n\n{post.link}")
            assert "torstai 3. joulukuuta 2026 17.00–18.00" in post.text
            said = [x for x in post.text.split("\n") if x.startswith("Järjestäjän")]
            if said and said[0] != f"Järjestäjän ilmoittama syy: ”{long_reason.strip()}”":
                assert said[0].endswith("…”")
                cut = said[0].removeprefix("Järjestäjän ilmoittama syy: ”").removesuffix("…”")
                assert len(cut) >= announcements.REASON_KEPT
    # A Bluesky post with a long name keeps its title's start, time, place, notice, reason
    # and link: the name is cut (to NAME_KEPT at least) before the reason goes.
    squeezed = _notice("bluesky", view(name=long_name), "cancellation", "cancelled", ["fi"],
                       REASON)
    assert squeezed.text.startswith("PERUTTU: Satutunti")
    assert "KANTTI, Lasten paja" in squeezed.text and "Tapahtuma on peruttu." in squeezed.text
    assert squeezed.text.endswith("\n\nhttps://tapahtumat.kuopio.fi/events/e1/page?lang=fi")
    assert f"Järjestäjän ilmoittama syy: ”{REASON}”" in squeezed.text.split("\n")
    title = squeezed.text.split("\n")[0]
    assert title.endswith("…") and len(title) >= announcements.NAME_KEPT
    assert len(squeezed.text) <= 300
    # Exactly the room for it: the reason whole; a character more: cut, its quote closed.
    base = rendering.render_post("bluesky", view(), "cancellation", "cancelled", ["fi"])
    room = 300 - len(base.text) - 1 - len("Järjestäjän ilmoittama syy: ”x”") + 1
    exact = "y" * room
    fits = _notice("bluesky", view(), "cancellation", "cancelled", ["fi"], exact)
    assert len(fits.text) == 300 and f"”{exact}”" in fits.text
    over = _notice("bluesky", view(), "cancellation", "cancelled", ["fi"], exact + "z")
    assert len(over.text) <= 300 and f"”{'y' * (room - 1)}…”" in over.text
    # A name and a place too long to leave the reason room: both cut to what they keep at
    # least (NAME_KEPT, PLACE_KEPT), the reason cut, not dropped, while they can give way.
    crowded = view(name=LocalizedText(fi="Satutunti " * 40),
                   place=LocalizedText(fi="Kuopion kaupunginkirjasto, " * 10))
    post = _notice("bluesky", crowded, "cancellation", "cancelled", ["fi"], "z" * 400)
    lines = post.text.split("\n")
    assert len(post.text) <= 300 and lines[3] == "Tapahtuma on peruttu."
    assert lines[4].startswith("Järjestäjän ilmoittama syy: ”zzz") and lines[4].endswith("…”")
    assert len(lines[2]) >= announcements.PLACE_KEPT and len(lines[0]) >= announcements.NAME_KEPT


def test_registration_and_online_are_said() -> None:
    post = rendering.render_post("mastodon", view(registration_required=True, place=None,
                                                  online=True), "announcement", "published",
                                 ["fi"])
    assert "Maksuton, ilmoittaudu etukäteen" in post.text and "\nVerkossa\n" in post.text


SIGN_UP = "https://ilmoitukset.kuopio.fi/registrations/7d0c2f7e-3c1b-4e55-9a7e-2f1d7d0c2f7e"


@pytest.mark.parametrize(("languages", "said"), [
    (["fi", "sv"], "Ilmoittaudu"), (["sv"], "Anmäl dig"), (["en", "fi"], "Sign up")])
def test_a_post_of_an_activity_with_sign_up_links_the_sign_up_page(
        languages: list[str], said: str) -> None:
    """The post linked only the event page; an activity one signs up for has its sign-up
    page's link too, labelled in the post's language, above the event page's link."""
    first = languages[0]
    v = view(registration_required=True, sign_up_url=SIGN_UP)
    for purpose, status in (("announcement", "published"), ("reminder", "published"),
                            ("change", "postponed")):
        post = rendering.render_post("mastodon", v, purpose, status, languages)
        *_, blank, sign_up, page = post.text.split("\n")
        assert blank == "" and sign_up == f"{said}: {SIGN_UP}?lang={first}", post.text
        assert page == post.link == f"https://tapahtumat.kuopio.fi/events/e1/page?lang={first}"
    # A cancellation has nothing to sign up for; an activity without sign-up no such line.
    cancelled = rendering.render_post("mastodon", v, "cancellation", "cancelled", languages)
    assert "/registrations/" not in cancelled.text
    open_to_all = view(sign_up_url=SIGN_UP)
    assert "/registrations/" not in rendering.render_post(
        "mastodon", open_to_all, "announcement", "published", languages).text


@pytest.mark.parametrize("platform", ["mastodon", "bluesky", "instagram", "facebook"])
def test_a_sign_up_link_fits_the_platform_with_time_place_and_both_links(platform: str) -> None:
    """The links are kept whole: the text above them gives way by the same rules as
    before (a language, the description, a long place, the name), never past the limit."""
    long = "Pitkä kuvaus. " * 6000
    v = view(short_description=LocalizedText(fi=long[:500], sv=long[:500], en=long[:500]),
             name=LocalizedText(fi="Nimi " * 100, sv="Namn " * 100, en="Name " * 100),
             place=LocalizedText(fi="Kuopion kaupunginkirjasto, lasten ja nuorten osasto, "
                                    "satuhuone ja sen vieressä oleva pieni paja"),
             registration_required=True, sign_up_url=SIGN_UP)
    post = rendering.render_post(platform, v, "announcement", "published", ["fi", "sv", "en"])
    assert post_length(platform, post.text) <= LIMITS[platform]
    assert "3. joulukuuta 2026 17.00–18.00" in post.text
    assert "Kuopion kaupunginkirjasto" in post.text
    assert post.text.endswith(f"\n\nIlmoittaudu: {SIGN_UP}?lang=fi\n{post.link}")
    # Short enough, nothing is given up for the link.
    short = rendering.render_post(platform, view(registration_required=True,
                                                 sign_up_url=SIGN_UP),
                                  "announcement", "published", ["fi"])
    assert "Satuja lapsille." in short.text


def test_a_preview_shows_the_sign_up_link_as_posted() -> None:
    v = view(registration_required=True, sign_up_url=SIGN_UP)
    previews = preview_posts(v, [("bluesky", "Kirjasto", ["sv", "fi"])])
    assert [p.text for p in previews] == [
        rendering.render_post("bluesky", v, "announcement", "published", ["sv", "fi"]).text]
    assert f"Anmäl dig: {SIGN_UP}?lang=sv" in (previews[0].text or "")
    assert all(f"{SIGN_UP}?lang=fi" in (p.text or "") for p in preview_posts(v)
               if p.platform != "instagram" or p.text)


def booking(cls: type, **extra: object) -> object:
    return cls(booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
               ends_at=START + timedelta(hours=2), title="Kuoroharjoitus",
               organiser_id=uuid4(), contact_email="kuoro@example.fi", **extra)


def test_a_confirmation_email_in_the_organisers_language_carries_a_calendar_entry() -> None:
    event = booking(BookingConfirmed, contact_language="sv")
    mail = rendering.render_booking_email(event, LocalizedText(fi="KANTTI, Lava",  # type: ignore[arg-type]
                                                               sv="KANTTI, Scen"), 0)
    assert mail.subject == "Din bokning är bekräftad: Kuoroharjoitus 2026-12-03"
    assert "Plats: KANTTI, Scen" in mail.text
    assert "Tid: torsdag 3 december 2026 17:00–19:00" in mail.text  # as Swedish writes it
    assert mail.ics is not None
    assert "STATUS:CONFIRMED" in mail.ics and "SEQUENCE:0" in mail.ics
    assert f"UID:booking-{event.booking_id}@kohtaamo" in mail.ics  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "day"), [
    ("fi", "3.12.2026"), ("sv", "2026-12-03"), ("en", "3 Dec 2026")])
def test_a_subjects_date_is_read_one_way_only(lang: str, day: str) -> None:
    """"03/12/2026" in an English subject is the 3rd of December to one reader and the 12th
    of March to another: English says the month's name; Finnish and Swedish keep their
    numbers. Every mail whose subject names a day: a booking's, an attendance prompt's, a
    decision's, a registration's."""
    name = LocalizedText(fi="Puistojooga", sv="Parkyoga", en="Yoga in the park")
    mails = [
        rendering.render_booking_email(booking(  # type: ignore[arg-type]
            BookingConfirmed, contact_language=lang), None, 0),
        rendering.render_attendance_prompt(name, START, START + timedelta(hours=1), None,
                                           lang, PAGE),
        rendering.render_approval_email(decision("approved", lang), PAGE),
        reach_text.registration_email(
            "confirmed", {"name": name.model_dump(), "starts_at": START.isoformat(),
                          "ends_at": (START + timedelta(hours=1)).isoformat()},
            lang=lang, name="Aino", seats=1, waiting=None, where=None, page_url=PAGE,
            cancel_url=PAGE, registration_id=str(uuid4()), revision=1),
    ]
    for mail in mails:
        assert mail.subject is not None and mail.subject.endswith(f" {day}"), mail.subject
        assert "/" not in mail.subject


def test_a_cancellation_removes_the_entry_and_a_rejection_has_none() -> None:
    cancelled = rendering.render_booking_email(
        booking(BookingCancelled, reason="Tila remontissa"), None, 1)  # type: ignore[arg-type]
    assert "Syy: Tila remontissa" in cancelled.text
    assert cancelled.ics is not None and "STATUS:CANCELLED" in cancelled.ics
    assert "SEQUENCE:1" in cancelled.ics and "METHOD:CANCEL" in cancelled.ics
    rejected = rendering.render_booking_email(
        booking(BookingRejected, reason="Varattu", contact_language="en"), None, 1)  # type: ignore[arg-type]
    assert rejected.subject is not None and rejected.subject.startswith(
        "Your booking was not accepted")
    assert rejected.ics is None


def decision(decision: str, lang: str, **extra: object) -> ActivityEventApprovalDecided:
    return ActivityEventApprovalDecided(
        event_id=uuid4(), decision_id=uuid4(), decision=decision,  # type: ignore[arg-type]
        name=LocalizedText(fi="Puistojooga", sv="Parkyoga", en="Yoga in the park"),
        starts_at=START, ends_at=START + timedelta(hours=1), decided_at=START,
        reason="Puisto on varattu toiselle" if decision == "refused" else None,
        contact_email="kuoro@example.fi", contact_language=lang, **extra)  # type: ignore[arg-type]


PAGE = "https://tapahtumat.kuopio.fi/events/e1/page"

#: language → heading, subject, the time as the language writes it (Helsinki), the reason
#: and what the organiser can do.
REFUSALS = [
    ("fi", "Tapahtumaasi ei julkaistu: Puistojooga",
     "Tapahtumaasi ei julkaistu: Puistojooga 3.12.2026",
     "Aika: torstai 3. joulukuuta 2026 17.00–18.00", "Syy: Puisto on varattu toiselle",
     "Tapahtuma on taas luonnoksesi: voit muokata sitä ja julkaista sen uudelleen"),
    ("sv", "Ditt evenemang publicerades inte: Parkyoga",
     "Ditt evenemang publicerades inte: Parkyoga 2026-12-03",
     "Tid: torsdag 3 december 2026 17:00–18:00", "Orsak: Puisto on varattu toiselle",
     "Evenemanget är ditt utkast igen: du kan redigera det och publicera det på nytt"),
    ("en", "Your event was not published: Yoga in the park",
     "Your event was not published: Yoga in the park 3 Dec 2026",
     "When: Thursday, 3 December 2026 17:00–18:00", "Reason: Puisto on varattu toiselle",
     "It is your draft again: you can edit it and publish it again"),
]


@pytest.mark.parametrize(("lang", "heading", "subject", "when", "reason", "draft"), REFUSALS)
def test_a_refusal_says_what_when_why_and_that_it_is_a_draft_again(
        lang: str, heading: str, subject: str, when: str, reason: str, draft: str) -> None:
    mail = rendering.render_approval_email(decision("refused", lang), PAGE)
    assert mail.language == lang and mail.subject is not None
    assert mail.subject.startswith(subject)
    lines = mail.text.split("\n")
    assert lines[2] == heading
    assert when in lines and reason in lines, mail.text
    assert any(line.startswith(draft) for line in lines), mail.text
    assert PAGE not in mail.text  # a draft has no public page
    assert mail.ics is None


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Tapahtumasi on julkaistu: Puistojooga"),
    ("sv", "Ditt evenemang har publicerats: Parkyoga"),
    ("en", "Your event has been published: Yoga in the park")])
def test_an_approval_says_it_is_published_with_its_page(lang: str, said: str) -> None:
    mail = rendering.render_approval_email(decision("approved", lang), PAGE)
    assert said in mail.text.split("\n") and mail.subject is not None
    assert mail.subject.startswith(said)
    assert f"{PAGE}?lang={lang}" in mail.text.split("\n")
    assert "Syy" not in mail.text and "Orsak" not in mail.text and "Reason" not in mail.text


def test_an_all_day_activity_is_told_by_its_date_and_an_odd_language_in_finnish() -> None:
    mail = rendering.render_approval_email(
        decision("approved", "de", all_day=True), PAGE)
    assert mail.language == "fi" and "Aika: torstai 3. joulukuuta 2026" in mail.text
    assert "17.00" not in mail.text


@pytest.mark.parametrize(("lang", "until"), [
    ("fi", "Linkki toimii kerran, 13.12.2026 klo 3.14 asti."),
    ("sv", "Länken fungerar en gång, till 2026-12-13 kl. 03:14."),
    ("en", "The link works once, until 13 Dec 2026 at 03:14.")])
def test_a_verification_link_says_until_when_as_the_language_says_a_time(
        lang: str, until: str) -> None:
    """"13.12.2026 3.14 asti" had no "klo": a Finnish reader reads a time by it."""
    from shared.contracts import ContactVerificationRequested

    mail = rendering.render_verification_email(ContactVerificationRequested(
        verification_id=uuid4(), email="aino@example.fi", language=lang,
        verify_url="https://varaamo.example/verify/x",
        expires_at=datetime(2026, 12, 13, 1, 14, tzinfo=UTC)))
    assert until in mail.text.split("\n")


def test_a_postponement_with_a_reason_and_a_sign_up_link_keeps_its_name_on_bluesky() -> None:
    """A tester's Bluesky postponement of an activity one signs up for lost its name (cut to
    "SIIRRE…") and its reason while its long place stayed whole: the place, after the reason
    there, was not found to give way."""
    long_place = LocalizedText(fi="Kuopion kaupunginkirjasto KANTTI, Lasten ja nuorten paja")
    v = view(place=long_place, registration_required=True,
             sign_up_url="https://ilmoitukset.kuopio.fi/registrations/7d0c2f7e-3c1b-4e55-9a7e")
    post = _notice("bluesky", v, "change", "postponed", ["fi"], "Ohjaaja sairastui yllättäen.")
    lines = post.text.split("\n")
    assert len(post.text) <= 300, len(post.text)
    assert lines[0] == "SIIRRETTY: Satutunti", lines
    assert any(line.startswith("Kuopion kaupunginkirjasto") for line in lines)
    # With no room for both, the reason stays and the sign-up link goes (a postponed
    # activity has no time to sign up for yet; its page, linked, has the way to).
    assert any(line.startswith("Järjestäjän ilmoittama syy: ”Ohjaaja") for line in lines)
    assert "Ilmoittaudu:" not in post.text
    assert post.text.endswith("\n\nhttps://tapahtumat.kuopio.fi/events/e1/page?lang=fi")
    # With room for both (Mastodon), both.
    roomy = _notice("mastodon", v, "change", "postponed", ["fi"], "Ohjaaja sairastui.")
    assert "Ilmoittaudu: https://ilmoitukset" in roomy.text and "sairastui" in roomy.text


#: An event page's address longer than most (a long public address, the event's id).
LONG_PAGE = ("https://tapahtumat.kuopio.fi/asukastoiminta/kirjastot/tapahtumat/"
             "events/0b8a4c8e-1111-2222-3333-444455556666/page")


def test_mastodon_counts_each_web_address_as_23_characters_and_others_count_it_whole() -> None:
    link = f"{LONG_PAGE}?lang=fi"
    assert len(link) > 100
    assert post_length("mastodon", link) == 23
    assert post_length("mastodon", "https://t.co") == 23  # a short one is 23 too
    # A full stop or a bracket after an address is the sentence's, counted as itself.
    assert post_length("mastodon", f"Lue lisää ({link}).") == len("Lue lisää ().") + 23
    assert post_length("mastodon", f"Satutunti\n\n{link}\n{link}") == 9 + 2 + 23 + 1 + 23
    # An address Mastodon does not take as one (an IP address, no top-level domain) is
    # counted whole, as Mastodon counts it; so is text without any.
    for whole in ("http://127.0.0.1:8003/registrations/e1?lang=fi",
                  "http://localhost:8000/events/e1/page", "ftp://kuopio.fi/tiedosto",
                  "Satutunti"):
        assert post_length("mastodon", whole) == len(whole)
    for platform in ("bluesky", "facebook", "instagram", "email"):
        assert post_length(platform, link) == len(link)


def _two_languages(extra: int, **changes: object) -> ActivityView:
    """A view whose Finnish and Swedish blocks, without descriptions, are `extra` characters
    longer than with the plain names."""
    return view(page_url=LONG_PAGE, short_description=None,
                name=LocalizedText(fi="Satutunti" + "!" * extra, sv="Sagostund"), **changes)


def test_a_long_address_no_longer_costs_a_mastodon_post_its_second_language() -> None:
    """Counted whole, the event page's long address left Mastodon's 500 characters too little
    room for the Swedish block; counted as Mastodon counts it (23), the post keeps it as long
    as the text fits, and drops it only past that."""
    link = f"{LONG_PAGE}?lang=fi"
    blocks = len(rendering.render_post("facebook", _two_languages(0), "announcement",
                                       "published", ["fi", "sv"]).text) - len(f"\n\n{link}")
    fits = 500 - len("\n\n") - 23 - blocks  # the Finnish name as long as 500 lets it be
    assert fits > 0
    kept = rendering.render_post("mastodon", _two_languages(fits), "announcement",
                                 "published", ["fi", "sv"])
    assert "Sagostund" in kept.text.split("\n")
    assert post_length("mastodon", kept.text) == 500
    assert len(kept.text) > 500  # counted whole, the Swedish block would not have fitted
    assert kept.text.endswith(f"\n\n{link}")
    over = rendering.render_post("mastodon", _two_languages(fits + 1), "announcement",
                                 "published", ["fi", "sv"])
    assert "Sagostund" not in over.text
    assert over.text.startswith("Satutunti" + "!" * (fits + 1) + "\n")
    assert post_length("mastodon", over.text) <= 500 and over.text.endswith(f"\n\n{link}")
    # Bluesky counts the address whole, as before: its 300 graphemes hold the Finnish alone.
    bluesky = rendering.render_post("bluesky", _two_languages(0), "announcement",
                                    "published", ["fi", "sv"])
    assert "Sagostund" not in bluesky.text and len(bluesky.text) <= 300


def test_a_preview_counts_a_mastodon_post_as_mastodon_does() -> None:
    [mastodon, bluesky] = preview_posts(view(page_url=LONG_PAGE),
                                        [("mastodon", "Kirjasto", ["fi"]),
                                         ("bluesky", "Kirjasto", ["fi"])])
    assert mastodon.text is not None and bluesky.text is not None
    assert mastodon.length == len(mastodon.text) - len(f"{LONG_PAGE}?lang=fi") + 23
    assert bluesky.length == len(bluesky.text)
