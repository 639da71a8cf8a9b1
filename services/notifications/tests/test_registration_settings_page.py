"""The organiser's page of an activity's registration settings (`/registrations/{id}/settings`):
the window, the group size, the places and the sign-up questions, which only the API
(`PUT /registrations/{id}/settings`) could set. The participants' list's sign-in and rights,
the API's use case and rules; every rule broken said at once, by its input, in fi/sv/en,
the form kept as typed and nothing stored; the API says every broken rule at once too."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import UUID, uuid4

import pytest
from starlette.requests import Request

from services.notifications import app, domain, handlers, reach_pages, usecases
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_reach_usecases import EVENTS_URL, LINKS, _published
from services.notifications.tests.test_registration import VENUE, published
from services.notifications.tests.test_signup_form import field_tie
from services.notifications.tests.test_signup_refusals import served
from services.notifications.tests.test_usecases import ADMIN, World
from shared import l10n
from shared.clock import HELSINKI
from shared.contracts import ActivityEventRescheduled
from shared.errors import Invalid, Refusals
from tests.axe import passes_at_every_width, serious_violations
from tests.infra import bearer, focused_id, launch_chromium

fake = test_delivery.fake
setup = test_delivery.setup

ORGANISER = bearer("organiser", subject="kuoro-org")
ORIGIN = "http://ilmoittaudu.kuopio.test"
TITLE = {"fi": "Ilmoittautumisen asetukset", "sv": "Inställningar för anmälan",
         "en": "Registration settings"}
SUMMARY = {"fi": "Tarkista merkityt kohdat: asetuksia ei tallennettu.",
           "sv": "Kontrollera de markerade punkterna: inställningarna sparades inte.",
           "en": "Please check the marked fields: the settings are not saved."}
IN_FINNISH = {"fi": "Kirjoita kysymys suomeksi.", "sv": "Skriv frågan på finska.",
              "en": "Write the question in Finnish."}


def _fields(exc: pytest.ExceptionInfo[Invalid]) -> list[tuple[str | None, str]]:
    assert isinstance(exc.value, Refusals)
    return [(e.field, str(e.details["code"])) for e in exc.value.each]


# --- the rules, pure --------------------------------------------------------------------------

@pytest.mark.unit
def test_every_broken_rule_of_the_settings_is_said_at_once() -> None:
    """The question check stopped at the first problem: a repeated id hid a missing Finnish
    text, which hid the next question's. Each is named by its place, as FastAPI names it."""
    at = datetime(2026, 12, 10, 12, tzinfo=UTC)
    with pytest.raises(Refusals) as refused:
        domain.check_registration_settings(
            opens_at=at, closes_at=at - timedelta(hours=1), max_group=0, capacity=0,
            questions=[{"id": "Diet!", "text": {"sv": "Kost"}},
                       {"id": "diet", "text": {"fi": "Ruokavalio"}},
                       {"id": "diet", "text": {"fi": "x" * 201}},
                       {"id": "lang", "text": {"fi": "Kieli", "en": "Which\u202e one"}}],
            refused=[Invalid("no time", field="opens_at", code="bad_time")])
    assert _fields(refused) == [
        ("opens_at", "bad_time"), ("closes_at", "registration_window"),
        ("max_group", "max_group"), ("capacity", "capacity"),
        ("questions.0.id", "question_id"), ("questions.0.text.fi", "question_text"),
        ("questions.2.id", "repeated"), ("questions.2.text.fi", "question_long"),
        ("questions.3.text.en", "question_chars")]


@pytest.mark.unit
def test_the_questions_are_kept_trimmed_and_a_language_of_nothing_left_out() -> None:
    kept = domain.check_registration_settings(
        opens_at=None, closes_at=None, max_group=50, capacity=None,
        questions=[{"id": "diet", "text": {"fi": " Ruokavalio ", "sv": "\u200b", "en": ""},
                    "required": 1},
                   {"id": "age_2", "text": {"fi": "I" * 200}}])
    assert kept == [{"id": "diet", "text": {"fi": "Ruokavalio"}, "required": True},
                    {"id": "age_2", "text": {"fi": "I" * 200}, "required": False}]
    with pytest.raises(Refusals) as many:
        domain.check_registration_settings(
            opens_at=None, closes_at=None, max_group=6, capacity=100_001,
            questions=[{"id": f"q{i}", "text": {"fi": "?"}} for i in range(21)])
    assert _fields(many) == [("capacity", "capacity"), ("questions", "questions_many")]


@pytest.mark.unit
def test_the_page_reads_its_form_as_the_api_takes_it() -> None:
    """Empty rows are no questions; a new one gets an id of its own (the organiser never
    sees ids); a time or number the page cannot read is a refusal by its input, said with the
    rules' refusals, and a question's refusal finds its row past the empty ones."""
    form = reach_pages._settings_form({
        "opens_at": ["2026-12-01T09:00"], "closes_at": ["1.12.2026"], "max_group": ["kaksi"],
        "capacity": [" 12 "], "q0_id": ["diet"], "q0_fi": ["Ruokavalio"], "q0_sv": [""],
        "q0_en": [""], "q0_required": ["1"], "q1_id": [""], "q1_fi": [" "], "q1_sv": [""],
        "q2_id": [""], "q2_fi": [""], "q2_sv": ["Ålder"], "q3_fi": ["Kieli"]})
    command = form.command
    assert command.opens_at == datetime(2026, 12, 1, 9, tzinfo=HELSINKI).astimezone(UTC)
    # Typed where a browser has no picker, as the refusal asks it.
    for typed in ("1.12.2026 09:00", "01.12.2026 9.00"):
        again = reach_pages._settings_form({"opens_at": [typed]})
        assert (again.command.opens_at, again.refused) == (command.opens_at, [])
    # A group's limit not read is none given (and refused below).
    assert (command.closes_at, command.max_group, command.capacity) == (None, None, 12)
    assert [q["text"]["fi"] for q in command.questions] == ["Ruokavalio", "", "Kieli"]
    assert [q["required"] for q in command.questions] == [True, False, False]
    ids = [q["id"] for q in command.questions]
    assert ids[0] == "diet" and len(set(ids)) == 3 and all(
        re.fullmatch(r"q[0-9a-f]{8}", i) for i in ids[1:])
    assert form.rows == [0, 2, 3]
    assert [(e.field, e.details["code"]) for e in form.refused] == [
        ("closes_at", "bad_time"), ("max_group", "max_group")]
    assert reach_pages._settings_input("questions.1.text.fi", form.rows) == "q2_fi"
    assert reach_pages._settings_input("questions.2.id", form.rows) == "q3_fi"
    assert reach_pages._settings_input("questions", form.rows) is None
    assert [r["i"] for r in form.values["rows"]] == [0, 1, 2, 3]


#: What the page says beside the group's limit when an event of 2 places holds it to 2.
HELD_TO_TWO = {"fi": "Tapahtumassa on 2 paikkaa, joten ryhmä voi olla enintään 2 hengen.",
               "sv": "Evenemanget har 2 platser, så en grupp kan vara högst 2 personer.",
               "en": "The event has 2 places, so a group can be at most 2 people."}


@pytest.mark.unit
def test_a_group_larger_than_the_places_is_taken_and_held_to_them() -> None:
    """A hard rule refused the default group of 6 for an event of 2 places; the settings are
    kept as set, and a sign-up is held to the smaller of the two."""
    assert domain.check_registration_settings(
        opens_at=None, closes_at=None, max_group=domain.DEFAULT_MAX_GROUP, capacity=2,
        questions=[]) == []
    assert domain.group_held_by_places(6, 2) == 2
    assert domain.group_held_by_places(6, 6) is None
    assert domain.group_held_by_places(6, 40) is None
    assert domain.group_held_by_places(6, None) is None
    facts = {"registration_required": True, "starts_at": "2026-12-20T10:00:00+00:00",
             "capacity": 2}
    assert domain.registration_rules("published", facts, None).largest_group == 2
    assert domain.registration_rules("published", facts,
                                     {"max_group": 6, "capacity": 3}).largest_group == 3
    assert domain.registration_rules("published", {**facts, "capacity": None},
                                     {"max_group": 4}).largest_group == 4


@pytest.mark.unit
def test_the_default_group_is_never_more_than_the_places() -> None:
    """None set, the group's limit is the default 6, or the places when they are fewer: an
    activity of 5 places was offered 6 with a note beside it saying at most 5."""
    assert [domain.default_group(places) for places in (None, 1, 2, 5, 6, 7, 40)] == \
        [6, 1, 2, 5, 6, 6, 6]


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_says_when_the_places_hold_the_group_below_its_limit(lang: str) -> None:
    def said(max_group: str, capacity: str, own: int | None) -> str | None:
        return reach_pages._group_held({"max_group": max_group, "capacity": capacity}, own,
                                       lang)

    assert said("6", "", 2) == HELD_TO_TWO[lang]
    # Left empty, the limit saved is the places' own 2: nothing held.
    assert said("", "2", None) is None and said("", "", 2) is None
    assert said("6", "2", 40) == HELD_TO_TWO[lang]
    assert said("10", "1", None) == {
        "fi": "Tapahtumassa on 1 paikka, joten yhdellä ilmoittautumisella voi ilmoittaa "
              "vain yhden hengen.",
        "sv": "Evenemanget har 1 plats, så en anmälan kan gälla bara en person.",
        "en": "The event has 1 place, so a sign-up can be for one person only."}[lang]
    # The limit holds as it is, or a number the settings refuse (its refusal says why).
    for max_group, capacity, own in (("6", "", 20), ("2", "", 2), ("6", "", None),
                                     ("kaksi", "", 2), ("0", "", 2), ("99", "", 2),
                                     ("6", "paljon", 2), ("6", "0", 40)):
        assert said(max_group, capacity, own) is None, (max_group, capacity, own)


@pytest.mark.unit
async def test_a_refused_save_stores_nothing() -> None:
    world = World()
    event = await _published(world)
    with pytest.raises(Refusals) as refused:
        await usecases.save_registration_settings(
            world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
            usecases.RegistrationSettingsCommand(
                max_group=99, questions=({"id": "a", "text": {"fi": "A"}},
                                         {"id": "a", "text": {}})),
            refused=[Invalid("no time", field="opens_at", code="bad_time")])
    assert _fields(refused) == [("opens_at", "bad_time"), ("max_group", "max_group"),
                                ("questions.1.id", "repeated"),
                                ("questions.1.text.fi", "question_text")]
    assert world.store.reg_settings == {}


#: The tester's activity: 10.2.2027 17-19 in Helsinki.
STARTS = datetime(2027, 2, 10, 17, tzinfo=HELSINKI)
#: Its start as the refusal says it (Babel's date and time of each language).
CLOSES_BY = {"fi": "Ilmoittautumisen pitää päättyä viimeistään, kun tapahtuma alkaa "
                   "(10.2.2027 klo 17.00).",
             "sv": "Anmälan måste stänga senast när evenemanget börjar (2027-02-10 kl. 17:00).",
             "en": "Registration must close by the time the event starts "
                   "(10 Feb 2027 at 17:00)."}


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_registration_closes_no_later_than_the_activity_starts(lang: str) -> None:
    """A tester saved a closing time of 11.2.2027 9:00 for an activity of 10.2.2027 17-19:
    "saved", and a closing time that never held (sign-ups close when it starts). Refused by
    `closes_at`, the start said in the reader's language; at the start or before, taken."""
    def check(closes_at: datetime | None) -> list[dict[str, Any]]:
        return domain.check_registration_settings(
            opens_at=None, closes_at=closes_at, max_group=6, capacity=None, questions=[],
            starts_at=STARTS)

    with pytest.raises(Refusals) as refused:
        check(datetime(2027, 2, 11, 9, tzinfo=HELSINKI))
    assert _fields(refused) == [("closes_at", "closes_after_start")]
    with pytest.raises(Refusals):
        check(STARTS + timedelta(minutes=1))
    assert check(STARTS) == check(STARTS - timedelta(days=1)) == check(None) == []
    # Said on the page and by the API (the service's words) alike.
    assert reach_pages._error(refused.value.each[0], lang) == (CLOSES_BY[lang], 422)
    assert app.refusal_text(refused.value.each[0], lang) == CLOSES_BY[lang]
    # Opening after a closing time past the start: both said by the closing time's input,
    # and the opening time past the start by its own.
    with pytest.raises(Refusals) as both:
        domain.check_registration_settings(
            opens_at=STARTS + timedelta(days=2), closes_at=STARTS + timedelta(days=1),
            max_group=6, capacity=None, questions=[], starts_at=STARTS)
    assert _fields(both) == [("opens_at", "opens_after_start"),
                             ("closes_at", "registration_window"),
                             ("closes_at", "closes_after_start")]


#: The opening time's refusal with the start of STARTS (Babel's date and time).
OPENS_BEFORE = {"fi": "Ilmoittautumisen pitää alkaa ennen kuin tapahtuma alkaa "
                      "(10.2.2027 klo 17.00).",
                "sv": "Anmälan måste öppna innan evenemanget börjar (2027-02-10 kl. 17:00).",
                "en": "Registration must open before the event starts (10 Feb 2027 at 17:00)."}


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_registration_opens_before_the_activity_starts(lang: str) -> None:
    """An opening time at the activity's start or later, no closing time set: sign-ups
    close when it starts, so registration would never open, and the settings said "saved".
    Refused by `opens_at`, the start said in the reader's language; a minute before, taken."""
    def check(opens_at: datetime | None,
              closes_at: datetime | None = None) -> list[dict[str, Any]]:
        return domain.check_registration_settings(
            opens_at=opens_at, closes_at=closes_at, max_group=6, capacity=None,
            questions=[], starts_at=STARTS)

    for never in (STARTS, STARTS + timedelta(minutes=1), STARTS + timedelta(days=3)):
        with pytest.raises(Refusals) as refused:
            check(never)
        assert _fields(refused) == [("opens_at", "opens_after_start")]
        assert refused.value.each[0].details["starts_at"] == STARTS.isoformat()
    assert check(STARTS - timedelta(minutes=1)) == check(None) == []
    assert check(STARTS - timedelta(days=1), STARTS) == []
    # Said on the page and by the API (the service's words) alike.
    assert reach_pages._error(refused.value.each[0], lang) == (OPENS_BEFORE[lang], 422)
    assert app.refusal_text(refused.value.each[0], lang) == OPENS_BEFORE[lang]
    # No start known (an activity of no time): nothing to hold the opening time to.
    assert domain.check_registration_settings(
        opens_at=STARTS, closes_at=None, max_group=6, capacity=None, questions=[]) == []


#: What the page says beside a closing time saved before the activity moved to STARTS.
CLOSES_HELD = {"fi": "Tapahtuma alkaa nyt 10.2.2027 klo 17.00, joten ilmoittautuminen "
                     "päättyy silloin. Muuta päättymisaika, jotta asetukset voi tallentaa.",
               "sv": "Evenemanget börjar nu 2027-02-10 kl. 17:00, så anmälan stänger då. "
                     "Ändra tiden för när anmälan stänger för att kunna spara "
                     "inställningarna.",
               "en": "The event now starts 10 Feb 2027 at 17:00, so registration closes "
                     "then. Change the closing time to save the settings."}


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_saved_closing_time_past_a_moved_start_is_said_beside_it(lang: str) -> None:
    facts = {"starts_at": STARTS.isoformat()}
    later = {"closes_at": STARTS + timedelta(hours=1)}
    assert reach_pages._closes_held(later, facts, lang) == CLOSES_HELD[lang]
    for holds in ({"closes_at": STARTS}, {"closes_at": None}, None):
        assert reach_pages._closes_held(holds, facts, lang) is None


#: What the page says beside an opening time saved before the activity moved to STARTS.
OPENS_HELD = {"fi": "Tapahtuma alkaa nyt 10.2.2027 klo 17.00, ennen kuin ilmoittautuminen "
                    "alkaa, joten siihen ei voi ilmoittautua. Muuta ilmoittautumisen "
                    "alkamisaika, jotta asetukset voi tallentaa.",
              "sv": "Evenemanget börjar nu 2027-02-10 kl. 17:00, innan anmälan öppnar, så "
                    "ingen kan anmäla sig. Ändra tiden för när anmälan öppnar för att kunna "
                    "spara inställningarna.",
              "en": "The event now starts 10 Feb 2027 at 17:00, before registration opens, "
                    "so no one can sign up. Change the opening time to save the settings."}


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_saved_opening_time_at_or_past_a_moved_start_is_said_beside_it(lang: str) -> None:
    facts = {"starts_at": STARTS.isoformat()}
    for never in ({"opens_at": STARTS}, {"opens_at": STARTS + timedelta(hours=1)}):
        assert reach_pages._opens_held(never, facts, lang) == OPENS_HELD[lang]
    for holds in ({"opens_at": STARTS - timedelta(minutes=1)}, {"opens_at": None}, None):
        assert reach_pages._opens_held(holds, facts, lang) is None
    # Such a time never opens registration: said so before the start, closed from it on
    # (not "not opened yet", before or after).
    rules = domain.registration_rules("published", {**facts, "registration_required": True},
                                      {"opens_at": STARTS + timedelta(hours=1)})
    assert domain.closed_reason(rules, STARTS - timedelta(minutes=1)) == "never_opens"
    assert domain.closed_reason(rules, STARTS) == "closed"
    assert domain.closed_reason(rules, STARTS + timedelta(hours=2)) == "closed"


@pytest.mark.unit
async def test_an_opening_time_at_the_start_is_refused_and_nothing_saved() -> None:
    world = World()
    event = await _published(world)
    with pytest.raises(Refusals) as refused:
        await usecases.save_registration_settings(
            world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
            usecases.RegistrationSettingsCommand(opens_at=event.starts_at))
    assert _fields(refused) == [("opens_at", "opens_after_start")]
    assert refused.value.each[0].details["starts_at"] == event.starts_at.isoformat()
    assert world.store.reg_settings == {}
    await usecases.save_registration_settings(
        world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
        usecases.RegistrationSettingsCommand(opens_at=event.starts_at
                                             - timedelta(minutes=1)))
    assert list(world.store.reg_settings) == [event.event_id]


@pytest.mark.unit
async def test_a_closing_time_past_the_start_is_refused_and_nothing_saved() -> None:
    world = World()
    event = await _published(world)
    with pytest.raises(Refusals) as refused:
        await usecases.save_registration_settings(
            world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
            usecases.RegistrationSettingsCommand(closes_at=event.starts_at
                                                 + timedelta(hours=1)))
    assert _fields(refused) == [("closes_at", "closes_after_start")]
    assert refused.value.each[0].details["starts_at"] == event.starts_at.isoformat()
    assert world.store.reg_settings == {}
    await usecases.save_registration_settings(
        world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
        usecases.RegistrationSettingsCommand(closes_at=event.starts_at))
    assert list(world.store.reg_settings) == [event.event_id]


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_sign_in_says_the_page_it_leads_to(lang: str) -> None:
    """The participants' session signs in to the settings page too: its sign-in read
    "Osallistujat" (the session's title) on the way to the settings. Said by the page it
    leads on to; a list's sign-in, and one leading nowhere allowed, keep the list's title."""
    listing = {"fi": "Osallistujat", "sv": "Deltagare", "en": "Participants"}
    event_id = uuid4()

    def title(wanted: str | None) -> str:
        query = urlencode({"lang": lang, **({"next": wanted} if wanted else {})})
        request = Request({"type": "http", "method": "GET", "path": "/registrations/login",
                           "headers": [], "query_string": query.encode()})
        page = bytes(reach_pages.SESSION._login_form(request).body).decode()
        found = re.search(r"<title>(.*?)</title><.*?<h1>(.*?)</h1>", page, re.S)
        assert found and found.group(1) == found.group(2), page
        return html.unescape(found.group(1))

    assert title(f"/registrations/{event_id}/settings?lang={lang}") == TITLE[lang]
    assert title(f"/registrations/{event_id}/settings") == TITLE[lang]
    assert title(f"/registrations/{event_id}/participants?lang={lang}") == listing[lang]
    assert title(None) == listing[lang]
    # A `next` sign-in will not go on to (another site's) names no page: the session's title.
    assert title(f"https://example.com/registrations/{event_id}/settings") == listing[lang]


# --- the page and the API on the real service --------------------------------------------------

async def _signed_in(setup: Setup, event_id: UUID, lang: str) -> str:
    """Signed in to the participants' session by its form, from the settings page's own
    redirect; returns the page's CSRF token."""
    here = f"/registrations/{event_id}/settings"
    asked = await setup.client.get(f"{here}?lang={lang}")
    assert asked.status_code == 303
    where = urlsplit(asked.headers["location"])
    assert where.path == "/registrations/login"
    assert parse_qs(where.query) == {"lang": [lang], "next": [f"{here}?lang={lang}"]}
    # The sign-in says where it leads: the settings, not the participants' list.
    sign_in = await setup.client.get(asked.headers["location"])
    assert f"<h1>{html.escape(TITLE[lang])}</h1>" in sign_in.text, sign_in.text
    token = ORGANISER["Authorization"].removeprefix("Bearer ")
    signed = await setup.client.post(asked.headers["location"], data={"token": token})
    assert signed.status_code == 303 and signed.headers["location"] == f"{here}?lang={lang}"
    page = await setup.client.get(signed.headers["location"])
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf
    return csrf.group(1)


async def _settings(setup: Setup, event_id: UUID) -> dict[str, Any] | None:
    row = await setup.pool.fetchrow(
        "SELECT max_group, capacity, opens_at, closes_at, questions FROM registration_settings "
        "WHERE activity_event_id = $1", event_id)
    return dict(row) if row else None


@pytest.mark.infra
async def test_the_organiser_writes_the_questions_on_the_page(setup: Setup) -> None:
    event = await published(setup, capacity=20)
    here = f"/registrations/{event.event_id}/settings"
    # The participants' list leads to it.
    listing = await setup.client.get(
        f"/registrations/{event.event_id}/participants?lang=fi", headers=ORGANISER)
    assert f'<a href="{here}?lang=fi">Ilmoittautumisen asetukset</a>' in listing.text
    csrf = await _signed_in(setup, event.event_id, "fi")
    # Without the session's token (another site's form) nothing is saved.
    forged = await setup.client.post(f"{here}?lang=fi", data={"q0_fi": "Ruokavalio"})
    assert forged.status_code == 403 and await _settings(setup, event.event_id) is None
    saved = await setup.client.post(f"{here}?lang=fi", data={
        "csrf": csrf, "opens_at": "", "closes_at": "", "max_group": "4", "capacity": "",
        "q0_id": "", "q0_fi": "Ruokavalio", "q0_sv": "Kost", "q0_en": "Diet",
        "q0_required": "1", "q1_id": "", "q1_fi": "", "q1_sv": "", "q1_en": "",
        "q2_id": "", "q2_fi": " Mistä kuulit tapahtumasta? ", "q2_sv": "", "q2_en": ""})
    assert saved.status_code == 303, saved.text
    kept = await _settings(setup, event.event_id)
    assert kept is not None and kept["max_group"] == 4 and kept["capacity"] is None
    questions = kept["questions"]
    assert [(q["text"], q["required"]) for q in questions] == [
        ({"fi": "Ruokavalio", "sv": "Kost", "en": "Diet"}, True),
        ({"fi": "Mistä kuulit tapahtumasta?"}, False)]
    shown = await setup.client.get(saved.headers["location"])
    assert shown.status_code == 200
    assert '<p class="msg" role="status">Asetukset tallennettu.</p>' in shown.text
    assert re.search(r'name="q0_fi"[^>]*value="Ruokavalio"', shown.text)
    assert re.search(r'name="q1_fi"[^>]*value="Mistä kuulit tapahtumasta\?"', shown.text)
    assert re.search(r'name="q0_required" value="1" checked', shown.text)
    assert re.search(r'name="max_group"[^>]*value="4"', shown.text)
    # Saved again as shown, the questions keep their ids (the answers are kept by them).
    again = await setup.client.post(f"{here}?lang=fi", data={
        "csrf": csrf, "max_group": "4", "q0_id": questions[0]["id"], "q0_fi": "Ruokavalio",
        "q0_sv": "Kost", "q0_en": "Diet", "q0_required": "1", "q1_id": questions[1]["id"],
        "q1_fi": "Mistä kuulit?"})
    assert again.status_code == 303
    kept = await _settings(setup, event.event_id)
    assert kept is not None
    assert [q["id"] for q in kept["questions"]] == [q["id"] for q in questions]
    # Residents are asked them, in their language; the list has a column for each.
    signup = await setup.client.get(f"/registrations/{event.event_id}?lang=sv")
    assert "Kost *" in signup.text and "Mistä kuulit?" in signup.text
    listing = await setup.client.get(
        f"/registrations/{event.event_id}/participants?format=csv&lang=en", headers=ORGANISER)
    assert listing.text.splitlines()[0] == "Name,Email,People,Status,Diet,Mistä kuulit?,Present"


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_refused_form_names_every_problem_and_stores_nothing(setup: Setup,
                                                                      lang: str) -> None:
    event = await published(setup, capacity=20)
    before = await setup.client.put(
        f"/registrations/{event.event_id}/settings", headers=bearer("admin"),
        json={"max_group": 3, "questions": [{"id": "diet", "text": {"fi": "Ruokavalio"}}]})
    assert before.status_code == 200
    stored = await _settings(setup, event.event_id)
    csrf = await _signed_in(setup, event.event_id, lang)
    # Closing before it opens, both before the activity starts: the window's own refusal.
    opens = _local(event.starts_at - timedelta(hours=1))
    closes = _local(event.starts_at - timedelta(hours=2))
    refused = await setup.client.post(f"/registrations/{event.event_id}/settings?lang={lang}",
                                      data={
        "csrf": csrf, "opens_at": opens, "closes_at": closes,
        "max_group": "0", "capacity": "paljon", "q0_id": "diet", "q0_fi": "",
        "q0_sv": "Kost", "q1_id": "", "q1_fi": "", "q2_id": "", "q2_fi": "Ikä" + "ä" * 200})
    assert refused.status_code == 422, refused.text
    page = refused.text
    assert f'<html lang="{lang}">' in page and TITLE[lang] in page
    summary = re.search(r'<div class="msg error summary" id="refusals"[^>]*>(.*?)</div>', page,
                        re.S)
    assert summary and SUMMARY[lang] in summary.group(1)
    assert re.findall(r'<a href="#([a-z0-9_]+)">', summary.group(1)) == [
        "closes_at", "max_group", "capacity", "q0_fi", "q2_fi"]
    assert field_tie(page, "q0_fi")[1] == IN_FINNISH[lang]
    for name in ("closes_at", "max_group", "capacity", "q2_fi"):
        field_tie(page, name)
    # The form as typed: the texts, the times, the numbers.
    assert re.search(r'name="q0_sv"[^>]*value="Kost"', page)
    assert re.search(r'name="capacity"[^>]*value="paljon"', page)
    assert re.search(rf'name="opens_at"[^>]*value="{opens}"', page)
    assert await _settings(setup, event.event_id) == stored


def _group_hint(page: str) -> str:
    """The hint the group's limit is described by (in its label, named by the input)."""
    tag = re.search(r'<input[^>]* name="max_group"[^>]*>', page)
    assert tag and 'aria-describedby="max_group-hint"' in tag.group(0), tag
    hint = re.search(r'<span class="hint" id="max_group-hint">([^<]*)</span>', page)
    assert hint, page
    return html.unescape(hint.group(1))


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_page_says_a_group_is_held_to_the_places(setup: Setup, lang: str) -> None:
    """A group of 6 set for an event of 2 places is saved as it is (no refusal stands in the
    way), the page says beside it that a group can be at most 2, and the sign-up form takes
    2. Before anything is set, the page offers 2 (the default by the places), nothing held."""
    event = await published(setup, capacity=2)
    here = f"/registrations/{event.event_id}/settings?lang={lang}"
    high = {"fi": "1–50.", "sv": "1–50.", "en": "1 to 50."}[lang]
    page = await setup.client.get(here, headers=ORGANISER)
    assert page.status_code == 200, page.text
    assert _group_hint(page.text) == high
    assert re.search(r'name="max_group"[^>]*value="2"', page.text)
    csrf = await _signed_in(setup, event.event_id, lang)
    saved = await setup.client.post(here, data={"csrf": csrf, "max_group": "6",
                                                "capacity": ""})
    assert saved.status_code == 303, saved.text
    kept = await _settings(setup, event.event_id)
    assert kept is not None and (kept["max_group"], kept["capacity"]) == (6, None)
    shown = await setup.client.get(saved.headers["location"])
    assert _group_hint(shown.text) == f"{high} {HELD_TO_TWO[lang]}"
    signup = await setup.client.get(f"/registrations/{event.event_id}?lang={lang}")
    assert re.search(r'<input type="number" id="seats" name="seats" min="1" max="2"',
                     signup.text), signup.text
    # A form refused for another reason says it by the places as typed.
    refused = await setup.client.post(here, data={"csrf": csrf, "max_group": "6",
                                                  "capacity": "40", "closes_at": "x"})
    assert refused.status_code == 422 and _group_hint(refused.text) == high
    # Places for groups of the limit's size: the hint alone.
    wider = await setup.client.post(here, data={"csrf": csrf, "max_group": "2",
                                                "capacity": ""})
    assert wider.status_code == 303
    assert _group_hint((await setup.client.get(wider.headers["location"])).text) == high


@pytest.mark.infra
async def test_an_activity_of_5_places_is_offered_and_saved_groups_of_5(setup: Setup) -> None:
    """A tester's activity of 5 places: the page offered the default 6 with a note beside it
    saying at most 5, and an emptied field saved 6. Now the page offers 5, an emptied field
    saves 5 (the places as typed when given), and a limit the organiser sets is kept."""
    event = await published(setup, capacity=5)
    here = f"/registrations/{event.event_id}/settings?lang=sv"
    page = await setup.client.get(here, headers=ORGANISER)
    assert re.search(r'name="max_group"[^>]*value="5"', page.text), page.text
    assert _group_hint(page.text) == "1–50."
    csrf = await _signed_in(setup, event.event_id, "sv")
    for typed, places, kept in (("", "", (5, None)), ("", "3", (3, 3)), ("", "40", (6, 40)),
                                ("6", "", (6, None)), ("4", "", (4, None))):
        saved = await setup.client.post(here, data={"csrf": csrf, "max_group": typed,
                                                    "capacity": places})
        assert saved.status_code == 303, saved.text
        row = await _settings(setup, event.event_id)
        assert row is not None and (row["max_group"], row["capacity"]) == kept, typed
    # Shown as saved: the organiser's own 4, not a default.
    again = await setup.client.get(here, headers=ORGANISER)
    assert re.search(r'name="max_group"[^>]*value="4"', again.text)
    # The API alike: no limit given, the default by the places.
    api = await setup.client.put(f"/registrations/{event.event_id}/settings", json={},
                                 headers=ORGANISER)
    assert api.status_code == 200 and api.json()["max_group"] == 5, api.text


@pytest.mark.infra
async def test_only_those_who_may_list_the_participants_change_the_settings(
        setup: Setup) -> None:
    event = await published(setup, capacity=20)
    here = f"/registrations/{event.event_id}/settings"
    other = bearer("organiser", subject="someone-else")
    page = await setup.client.get(f"{here}?lang=en", headers=other)
    assert page.status_code == 403 and "can change its registration settings" in page.text
    post = await setup.client.post(f"{here}?lang=en", headers=other, data={"q0_fi": "Kysymys"})
    assert post.status_code == 403 and await _settings(setup, event.event_id) is None
    desk = await setup.client.get(f"{here}?lang=sv",
                                  headers=bearer("desk", venues=(VENUE,)))
    assert desk.status_code == 200 and "Inställningar för anmälan" in desk.text
    missing = await setup.client.get(f"/registrations/{uuid4()}/settings?lang=fi",
                                     headers=ORGANISER)
    assert missing.status_code == 404 and "Tapahtumaa ei löydy." in missing.text


@pytest.mark.infra
async def test_the_api_says_every_broken_rule_at_once(setup: Setup) -> None:
    event = await published(setup, capacity=20)
    answer = await setup.client.put(
        f"/registrations/{event.event_id}/settings",
        headers={**ORGANISER, "Accept-Language": "en"},
        json={"max_group": 51, "questions": [
            {"id": "diet", "text": {"sv": "Kost"}}, {"id": "diet", "text": {"fi": "Kost"}},
            {"id": "Bad id", "text": {"fi": "?", "en": "x" * 201}}]})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert [e["loc"] for e in body["detail"]] == [
        ["body", "max_group"], ["body", "questions", 0, "text", "fi"],
        ["body", "questions", 1, "id"], ["body", "questions", 2, "id"],
        ["body", "questions", 2, "text", "en"]]
    assert [r["message"] for r in body["refusals"]] == [
        "Give the number of people in digits, 1 to 50.", "Write the question in Finnish.",
        "Two questions have the same id.", "A question's id is 1 to 40 of a-z, 0-9 and _.",
        "A question can be at most 200 characters."]
    assert await _settings(setup, event.event_id) is None


def _local(at: datetime) -> str:
    return at.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_page_and_the_api_refuse_a_closing_time_past_the_start(setup: Setup,
                                                                          lang: str) -> None:
    """The tester's "Asetukset tallennettu" for a closing time after the activity: now the
    form is refused by its closing time, saying when the activity starts, the form kept and
    nothing saved; the API alike, in the reader's language."""
    event = await published(setup, capacity=20)
    here = f"/registrations/{event.event_id}/settings?lang={lang}"
    starts = l10n.date_and_time(event.starts_at, lang)
    said = {"fi": f"kun tapahtuma alkaa ({starts})", "sv": f"evenemanget börjar ({starts})",
            "en": f"the event starts ({starts})"}[lang]
    csrf = await _signed_in(setup, event.event_id, lang)
    late = _local(event.starts_at + timedelta(hours=16))
    refused = await setup.client.post(here, data={"csrf": csrf, "closes_at": late,
                                                  "max_group": "4"})
    assert refused.status_code == 422, refused.text
    assert said in html.unescape(field_tie(refused.text, "closes_at")[1])
    assert re.search(rf'name="closes_at"[^>]*value="{late}"', refused.text)
    assert await _settings(setup, event.event_id) is None
    api = await setup.client.put(f"/registrations/{event.event_id}/settings",
                                 headers={**ORGANISER, "Accept-Language": lang},
                                 json={"closes_at": (event.starts_at
                                                     + timedelta(hours=16)).isoformat()})
    assert api.status_code == 422, api.text
    assert [e["loc"] for e in api.json()["detail"]] == [["body", "closes_at"]]
    assert said in api.json()["message"]
    assert await _settings(setup, event.event_id) is None
    # At the start, taken.
    saved = await setup.client.post(here, data={"csrf": csrf,
                                                "closes_at": _local(event.starts_at)})
    assert saved.status_code == 303, saved.text


async def _saved_then_moved_earlier(setup: Setup, field: str, before: timedelta,
                                    moved: timedelta) -> tuple[Any, datetime, datetime]:
    """A published activity whose `field` (opens_at, closes_at) was saved `before` its
    start, then the activity moved `moved` earlier: the activity as first published, the
    time saved and the new start."""
    event = await published(setup, capacity=20)
    at = event.starts_at - before
    saved = await setup.client.put(f"/registrations/{event.event_id}/settings",
                                   headers=ORGANISER, json={field: at.isoformat()})
    assert saved.status_code == 200, saved.text
    earlier = event.starts_at - moved
    await setup.handle(handlers.on_activity_event, ActivityEventRescheduled(**{
        **event.model_dump(), "revision": 2, "starts_at": earlier,
        "ends_at": earlier + timedelta(hours=1), "previous_starts_at": event.starts_at,
        "previous_ends_at": event.ends_at}))
    return event, at, earlier


@pytest.mark.infra
async def test_an_activity_moved_before_its_closing_time_says_why_the_form_is_refused(
        setup: Setup) -> None:
    """Settings saved, then the activity moved a day earlier: sign-ups close at its new
    start (the earlier of the two), the page still opens showing the time as saved, and a
    save of it says why the closing time is no longer taken; set again, it saves."""
    event, closes, earlier = await _saved_then_moved_earlier(
        setup, "closes_at", timedelta(hours=2), timedelta(days=1))
    here = f"/registrations/{event.event_id}/settings?lang=fi"
    csrf = await _signed_in(setup, event.event_id, "fi")
    page = await setup.client.get(here)
    assert page.status_code == 200
    assert re.search(rf'name="closes_at"[^>]*value="{_local(closes)}"', page.text)
    # Said beside it before a save is tried, the new start by Babel.
    hint = re.search(r'<span class="hint" id="closes_at-hint">([^<]*)</span>', page.text)
    assert hint is not None and html.unescape(hint[1]) == (
        f"Tyhjä: kun tapahtuma alkaa. Tapahtuma alkaa nyt "
        f"{l10n.date_and_time(earlier, 'fi')}, joten ilmoittautuminen päättyy silloin. "
        "Muuta päättymisaika, jotta asetukset voi tallentaa.")
    assert 'aria-describedby="closes_at-hint"' in page.text
    # Sign-ups close at the new start, not at the closing time saved.
    rules = domain.registration_rules(
        "published", {"registration_required": True, "starts_at": earlier.isoformat()},
        {"closes_at": closes})
    assert domain.closed_reason(rules, earlier) == "closed"
    assert domain.closed_reason(rules, earlier - timedelta(minutes=1)) is None
    # Another setting changed, the closing time as it was: refused by it, saying why.
    again = await setup.client.post(here, data={"csrf": csrf, "closes_at": _local(closes),
                                                "max_group": "3"})
    assert again.status_code == 422, again.text
    assert (f"kun tapahtuma alkaa ({l10n.date_and_time(earlier, 'fi')})"
            in html.unescape(field_tie(again.text, "closes_at")[1]))
    kept = await _settings(setup, event.event_id)
    assert kept is not None and kept["max_group"] == domain.DEFAULT_MAX_GROUP
    fixed = await setup.client.post(here, data={"csrf": csrf, "closes_at": "",
                                                "max_group": "3"})
    assert fixed.status_code == 303, fixed.text
    shown = await setup.client.get(fixed.headers["location"])
    assert "Tapahtuma alkaa nyt" not in shown.text


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_page_and_the_api_refuse_an_opening_time_at_the_start(setup: Setup,
                                                                         lang: str) -> None:
    """An opening time at the activity's start, no closing time: registration would never
    open, and the page said "Asetukset tallennettu". Now the form is refused by its opening
    time, saying when the activity starts, the form kept and nothing saved; the API alike,
    in the reader's language."""
    event = await published(setup, capacity=20)
    here = f"/registrations/{event.event_id}/settings?lang={lang}"
    starts = l10n.date_and_time(event.starts_at, lang)
    said = {"fi": f"ennen kuin tapahtuma alkaa ({starts})",
            "sv": f"innan evenemanget börjar ({starts})",
            "en": f"before the event starts ({starts})"}[lang]
    csrf = await _signed_in(setup, event.event_id, lang)
    # The form's minutes: the first whole minute at the start or after it.
    at_start = _local(event.starts_at + timedelta(seconds=59))
    refused = await setup.client.post(here, data={"csrf": csrf, "opens_at": at_start,
                                                  "max_group": "4"})
    assert refused.status_code == 422, refused.text
    assert said in html.unescape(field_tie(refused.text, "opens_at")[1])
    assert re.search(rf'name="opens_at"[^>]*value="{at_start}"', refused.text)
    assert re.findall(r'<a href="#([a-z0-9_]+)">', refused.text) == ["opens_at"]
    assert await _settings(setup, event.event_id) is None
    api = await setup.client.put(f"/registrations/{event.event_id}/settings",
                                 headers={**ORGANISER, "Accept-Language": lang},
                                 json={"opens_at": (event.starts_at
                                                    + timedelta(hours=2)).isoformat()})
    assert api.status_code == 422, api.text
    assert [e["loc"] for e in api.json()["detail"]] == [["body", "opens_at"]]
    assert said in api.json()["message"]
    assert await _settings(setup, event.event_id) is None
    # The minute before the start, taken.
    before = _local(event.starts_at - timedelta(minutes=1))
    saved = await setup.client.post(here, data={"csrf": csrf, "opens_at": before})
    assert saved.status_code == 303, saved.text
    kept = await _settings(setup, event.event_id)
    assert kept is not None and _local(kept["opens_at"]) == before


@pytest.mark.infra
async def test_an_activity_moved_before_its_opening_time_says_why_the_form_is_refused(
        setup: Setup) -> None:
    """Settings saved, then the activity moved two days earlier, before sign-ups open:
    registration never opens (closed at the new start). The page still opens showing the
    time as saved, says beside it why, a save of it is refused by it; set again, it saves."""
    event, opens, earlier = await _saved_then_moved_earlier(
        setup, "opens_at", timedelta(days=1), timedelta(days=2))
    here = f"/registrations/{event.event_id}/settings?lang=fi"
    csrf = await _signed_in(setup, event.event_id, "fi")
    page = await setup.client.get(here)
    assert page.status_code == 200
    assert re.search(rf'name="opens_at"[^>]*value="{_local(opens)}"', page.text)
    # Said beside it before a save is tried, the new start by Babel.
    hint = re.search(r'<span class="hint" id="opens_at-hint">([^<]*)</span>', page.text)
    assert hint is not None and html.unescape(hint[1]) == (
        f"Tyhjä: heti kun tapahtuma on julkaistu. Tapahtuma alkaa nyt "
        f"{l10n.date_and_time(earlier, 'fi')}, ennen kuin ilmoittautuminen alkaa, joten "
        "siihen ei voi ilmoittautua. Muuta ilmoittautumisen alkamisaika, jotta asetukset "
        "voi tallentaa.")
    assert 'aria-describedby="opens_at-hint"' in page.text
    # The closing time's hint is its own: no closing time was saved.
    closes_hint = re.search(r'<span class="hint" id="closes_at-hint">([^<]*)</span>',
                            page.text)
    assert closes_hint is not None and closes_hint[1] == "Tyhjä: kun tapahtuma alkaa."
    # Registration never opens: said so before the new start, closed from it on.
    rules = domain.registration_rules(
        "published", {"registration_required": True, "starts_at": earlier.isoformat()},
        {"opens_at": opens})
    assert domain.closed_reason(rules, earlier - timedelta(minutes=1)) == "never_opens"
    assert domain.closed_reason(rules, earlier) == "closed"
    # Another setting changed, the opening time as it was: refused by it, saying why.
    again = await setup.client.post(here, data={"csrf": csrf, "opens_at": _local(opens),
                                                "max_group": "3"})
    assert again.status_code == 422, again.text
    assert (f"ennen kuin tapahtuma alkaa ({l10n.date_and_time(earlier, 'fi')})"
            in html.unescape(field_tie(again.text, "opens_at")[1]))
    kept = await _settings(setup, event.event_id)
    assert kept is not None and kept["max_group"] == domain.DEFAULT_MAX_GROUP
    assert kept["opens_at"] == opens
    fixed = await setup.client.post(here, data={"csrf": csrf, "opens_at": "",
                                                "max_group": "3"})
    assert fixed.status_code == 303, fixed.text
    shown = await setup.client.get(fixed.headers["location"])
    assert "ennen kuin ilmoittautuminen alkaa" not in shown.text


#: A text of characters the settings cannot keep (a NUL), by its input.
UNREADABLE = {"fi": "Tekstissä on kelvottomia merkkejä.",
              "sv": "Texten innehåller ogiltiga tecken.",
              "en": "The text has characters we cannot take."}
#: The inputs' labels the summary names them by.
LABELS = {"fi": ("Paikkoja", "Kysymys 1 ruotsiksi"), "sv": ("Platser", "Fråga 1 på svenska"),
          "en": ("Places", "Question 1 in Swedish")}


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_nul_in_a_field_is_refused_by_that_field(setup: Setup, lang: str) -> None:
    """A NUL in a field gave only "Tekstissä on kelvottomia merkkejä." above an emptied form,
    naming no field. Now each such input says it, the summary names it by its label, the
    rest of the form is kept (the NUL left out) and nothing is saved."""
    event = await published(setup, capacity=20)
    here = f"/registrations/{event.event_id}/settings?lang={lang}"
    csrf = await _signed_in(setup, event.event_id, lang)
    refused = await setup.client.post(here, data={
        "csrf": csrf, "max_group": "4", "capacity": "1\x002", "q0_id": "",
        "q0_fi": "Ruokavalio", "q0_sv": "Ko\x00st"})
    assert refused.status_code == 422, refused.text
    page = refused.text
    assert field_tie(page, "capacity")[1] == UNREADABLE[lang]
    assert field_tie(page, "q0_sv")[1] == UNREADABLE[lang]
    summary = re.search(r'<div class="msg error summary" id="refusals"[^>]*>(.*?)</div>', page,
                        re.S)
    assert summary and re.findall(r'<a href="#([a-z0-9_]+)">', summary.group(1)) == [
        "capacity", "q0_sv"]
    places, swedish = LABELS[lang]
    assert f"{places}: {UNREADABLE[lang]}" in html.unescape(summary.group(1))
    assert f"{swedish}: {UNREADABLE[lang]}" in html.unescape(summary.group(1))
    assert re.search(r'name="q0_fi"[^>]*value="Ruokavalio"', page)
    assert re.search(r'name="q0_sv"[^>]*value="Kost"', page)
    assert re.search(r'name="capacity"[^>]*value="12"', page)
    assert re.search(r'name="max_group"[^>]*value="4"', page)
    assert "\x00" not in page
    assert await _settings(setup, event.event_id) is None
    # Sent again as shown, saved.
    again = await setup.client.post(here, data={"csrf": csrf, "max_group": "4",
                                                "capacity": "12", "q0_fi": "Ruokavalio"})
    assert again.status_code == 303, again.text


@pytest.mark.infra
async def test_the_settings_page_reads_well_in_chromium(setup: Setup,
                                                         chromium_path: str) -> None:
    """axe-core finds nothing serious on the page in each language, as saved and refused
    (the summary takes focus and leads to each input)."""
    event = await published(setup, capacity=20)
    await setup.client.put(
        f"/registrations/{event.event_id}/settings", headers=bearer("admin"),
        json={"questions": [{"id": "diet", "text": {"fi": "Ruokavalio", "sv": "Kost"},
                             "required": True}]})
    here = f"/registrations/{event.event_id}/settings"
    pages: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        pages[f"page-{lang}"] = (await setup.client.get(f"{here}?lang={lang}",
                                                        headers=ORGANISER)).text
        pages[f"refused-{lang}"] = (await setup.client.post(
            f"{here}?lang={lang}", headers=ORGANISER,
            data={"max_group": "x", "closes_at": "x", "q0_id": "diet", "q0_fi": "",
                  "q0_sv": "Kost"})).text
    async with launch_chromium(chromium_path) as browser:
        for key, html in pages.items():
            page = await browser.new_page()
            await page.route(f"{ORIGIN}/**", served(html))
            await page.goto(f"{ORIGIN}{here}")
            if key.startswith("refused"):
                assert await focused_id(page) == "refusals"
                await page.click('#refusals a[href="#q0_fi"]')
                assert await page.evaluate("() => location.hash") == "#q0_fi"
            for size in ({"width": 390, "height": 844}, {"width": 1280, "height": 800}):
                await page.set_viewport_size(size)
                assert await serious_violations(page) == [], (key, size)
            # A phone with 200 % text: a tester's Finnish page was 442 px wide at 320 px (the
            # summary's long labels, the way back to the sign-up page), WCAG 1.4.10.
            await page.set_viewport_size({"width": 320, "height": 640})
            await page.add_style_tag(content="html { font-size: 200% !important; }")
            assert await page.evaluate(
                "document.documentElement.scrollWidth") <= 320, key
            await page.close()


@pytest.mark.infra
async def test_the_note_of_a_group_held_to_the_places_reads_well_in_chromium(
        setup: Setup, chromium_path: str) -> None:
    """The group's limit with its note of the places: nothing serious for axe-core, and no
    sideways scroll at 320 px, in each language."""
    event = await published(setup, capacity=2)
    here = f"/registrations/{event.event_id}/settings"
    # The organiser's own limit of 6, above the places.
    saved = await setup.client.put(here, json={"max_group": 6}, headers=ORGANISER)
    assert saved.status_code == 200, saved.text
    async with launch_chromium(chromium_path) as browser:
        for lang in ("fi", "sv", "en"):
            shown = (await setup.client.get(f"{here}?lang={lang}", headers=ORGANISER)).text
            assert HELD_TO_TWO[lang] in _group_hint(shown)
            page = await browser.new_page()
            await page.route(f"{ORIGIN}/**", served(shown))
            await page.goto(f"{ORIGIN}{here}")
            described = await page.evaluate(
                "document.getElementById('max_group-hint').textContent")
            assert HELD_TO_TWO[lang] in described
            await passes_at_every_width(page, f"settings-{lang}")
            await page.close()
