"""Odd input to the sign-up, participants and follow forms (a tampered hidden field, a NUL,
a form past Starlette's bounds) is the form's own 4xx, in the page's language, the form kept
and nothing stored. They were: a NUL anywhere in the sign-up or follow form a refusal of no
input with the form lost (the follow form said a place's id that is no id "has characters
we cannot take"); 1,001 fields or a field over 1 MB a bare 400 page, or JSON; a tampered
attendance id a bare "The request could not be handled." page; and the list of an activity
of 500 sign-ups all present could not be saved at all (over 1,000 fields)."""

from __future__ import annotations

import html
import re
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published, sign_up
from services.notifications.tests.test_signup_form import ORIGIN, field_tie, post
from services.notifications.tests.test_signup_refusals import served, stored
from tests.axe import passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

LANGS = ("fi", "sv", "en")
UNREADABLE = {"fi": "Tekstissä on kelvottomia merkkejä.",
              "sv": "Texten innehåller ogiltiga tecken.",
              "en": "The text has characters we cannot take."}
TOO_LARGE = {"fi": "Lomake oli liian suuri luettavaksi",
             "sv": "Formuläret var för stort för att läsas",
             "en": "The form was too large to read"}
NOT_FOLLOWABLE = {"fi": "Valitse seurattavat listalta.",
                  "sv": "Välj det du vill följa i listan.",
                  "en": "Choose what to follow from the lists."}
ATTENDANCE_UNREAD = {"fi": "Läsnäoloja ei tallennettu",
                     "sv": "Närvaron sparades inte",
                     "en": "Attendance was not saved"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
#: One more field than Starlette reads by default.
MANY_FIELDS = "&".join(f"x{i}=1" for i in range(1001))
#: A field over the 1 MB Starlette reads of one.
HUGE_FIELD = "x=" + "y" * (1024 * 1024 + 1)


def _alert(page: str) -> str:
    """The refusal said above the form (no input's), as read."""
    found = re.search(r'<p class="msg error" role="alert"[^>]*>([^<]*)</p>', page)
    assert found, page
    return html.unescape(found.group(1))


async def _with_question(setup: Setup, event_id: UUID) -> None:
    saved = await setup.client.put(
        f"/registrations/{event_id}/settings", headers=bearer("admin"),
        json={"questions": [{"id": "diet", "text": {"fi": "Ruokavalio", "sv": "Kost",
                                                    "en": "Diet"}, "required": True}]})
    assert saved.status_code == 200, saved.text


# --- the sign-up form -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
async def test_a_nul_is_refused_by_its_input_and_the_rest_kept(setup: Setup,
                                                               lang: str) -> None:
    event = await published(setup, capacity=5)
    await _with_question(setup, event.event_id)
    cases = [("name", {"name": "Ai\x00no", "email": "aino@example.fi", "q_diet": "vegaani"}),
             ("email", {"name": "Aino", "email": "aino\x00@example.fi", "q_diet": "vegaani"}),
             ("q_diet", {"name": "Aino", "email": "aino@example.fi", "q_diet": "\x00"})]
    for field, form in cases:
        refused = await post(setup, event.event_id, lang, seats="2", **form)
        assert refused.status_code == 422, (field, refused.text)
        tag, message = field_tie(refused.text, field)
        assert message == UNREADABLE[lang], (field, message)
        # That input alone, once: a NUL answer is not also "answer the question".
        assert refused.text.count('aria-invalid="true"') == 1, field
        assert refused.text.count('class="field-error"') == 1, field
        assert "autofocus" in tag
        # The rest as typed (the NUL left out), the group size too.
        assert re.search(r'name="seats"[^>]*value="2"', refused.text)
        kept = {k: v.replace("\x00", "") for k, v in form.items()}
        for name, value in kept.items():
            assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', refused.text), (
                field, name)
    # A NUL and a broken address at once: both said, each by its input, in the form's order.
    both = await post(setup, event.event_id, lang, name="\x00", email="ei-osoite",
                      q_diet="kyllä")
    assert both.status_code == 422
    assert field_tie(both.text, "name")[1] == UNREADABLE[lang]
    assert re.findall(r'<a href="#([a-z_]+)">', both.text) == ["name", "email"]
    assert await stored(setup, event.event_id) == []


@pytest.mark.parametrize("lang", LANGS)
async def test_a_form_too_large_to_read_is_the_sign_up_pages_refusal(setup: Setup,
                                                                     lang: str) -> None:
    event = await published(setup, capacity=5)
    here = f"/registrations/{event.event_id}?lang={lang}"
    base = f"name=Aino&email=aino%40example.fi&language={lang}&"
    for body in (base + MANY_FIELDS, base + HUGE_FIELD):
        for accept in ("text/html", "*/*"):  # a browser, and a client that says nothing
            refused = await setup.client.post(here, content=body.encode(),
                                              headers={**FORM, "accept": accept})
            assert refused.status_code == 413, refused.text[:300]
            assert refused.headers["content-type"].startswith("text/html")
            assert f'<html lang="{lang}">' in refused.text
            assert _alert(refused.text).startswith(TOO_LARGE[lang])
            assert 'name="name"' in refused.text  # the form, to fill in again
    assert await stored(setup, event.event_id) == []
    # The resend button's form alike, and a NUL in its hidden address is the address's.
    resend = f"/registrations/{event.event_id}/resend?lang={lang}"
    large = await setup.client.post(resend, content=MANY_FIELDS.encode(), headers=FORM)
    assert large.status_code == 413 and _alert(large.text).startswith(TOO_LARGE[lang])
    nul = await setup.client.post(resend, data={"email": "aino\x00@example.fi"})
    assert nul.status_code == 422
    tag, message = field_tie(nul.text, "email")
    assert message == UNREADABLE[lang] and 'value="aino@example.fi"' in tag


# --- the follow form ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
async def test_the_follow_form_says_a_nul_or_a_tampered_choice_and_keeps_the_form(
        setup: Setup, lang: str) -> None:
    nul = await setup.client.post(f"/follow?lang={lang}", data={
        "email": "seu\x00raaja@example.fi", "areas": "kuopio.nilsia", "language": lang})
    assert nul.status_code == 422, nul.text
    tag, message = field_tie(nul.text, "email")
    assert message == UNREADABLE[lang] and 'value="seuraaja@example.fi"' in tag
    assert re.search(r'name="areas" value="kuopio.nilsia" checked', nul.text)
    for tampered in ({"venue_ids": "nope"}, {"venue_ids": "\x00"}, {"areas": "kuopio\x00"},
                     {"venue_ids": [str(uuid4()), "1; DROP TABLE"]}):
        refused = await setup.client.post(f"/follow?lang={lang}", data={
            "email": "seuraaja@example.fi", "language": lang, "topics": "music",
            **tampered})
        assert refused.status_code == 422, (tampered, refused.text)
        assert _alert(refused.text) == NOT_FOLLOWABLE[lang], tampered
        assert 'value="seuraaja@example.fi"' in refused.text
    too_large = await setup.client.post(f"/follow?lang={lang}",
                                        content=MANY_FIELDS.encode(), headers=FORM)
    assert too_large.status_code == 413 and _alert(too_large.text).startswith(TOO_LARGE[lang])
    assert await setup.pool.fetchval("SELECT count(*) FROM subscriptions") == 0


async def test_a_subscribers_choices_form_says_a_tampered_choice_and_saves_nothing(
        setup: Setup) -> None:
    await setup.client.post("/follow?lang=fi", data={
        "email": "seuraaja@example.fi", "areas": "kuopio.nilsia", "language": "fi"})
    subscription_id = await setup.pool.fetchval("SELECT id FROM subscriptions")
    token = handlers.reach_links().token("subscription", subscription_id)
    here = f"/follow/{token}?lang=en"
    refused = await setup.client.post(here, data={"language": "en", "areas": "kuopio.nilsia",
                                                  "venue_ids": "not-an-id"})
    assert refused.status_code == 422 and _alert(refused.text) == NOT_FOLLOWABLE["en"]
    too_large = await setup.client.post(here, content=MANY_FIELDS.encode(), headers=FORM)
    assert too_large.status_code == 413 and _alert(too_large.text).startswith(TOO_LARGE["en"])
    # The choices as saved, which nothing changed.
    assert re.search(r'name="areas" value="kuopio.nilsia" checked', too_large.text)
    row = await setup.pool.fetchrow("SELECT venue_ids, areas, language FROM subscriptions")
    assert (list(row["venue_ids"]), list(row["areas"]), row["language"]) == (
        [], ["kuopio.nilsia"], "fi")


async def test_a_links_control_character_is_not_written_into_the_page(setup: Setup) -> None:
    page = await setup.client.get("/follow?lang=en&kind=%01x")
    assert page.status_code == 200
    assert "\x01" not in page.text and "(\ufffdx)" in page.text


# --- the participants' attendance -----------------------------------------------------------

async def _attended(setup: Setup, event_id: UUID) -> dict[str, bool]:
    rows = await setup.pool.fetch(
        "SELECT email, attended FROM registrations WHERE activity_event_id = $1", event_id)
    return {r["email"]: bool(r["attended"]) for r in rows}


async def _registration_id(setup: Setup, event_id: UUID, email: str) -> str:
    return str(await setup.pool.fetchval(
        "SELECT id FROM registrations WHERE activity_event_id = $1 AND email = $2",
        event_id, email))


@pytest.mark.parametrize("lang", LANGS)
async def test_a_tampered_attendance_form_is_the_lists_refusal(setup: Setup,
                                                               lang: str) -> None:
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    real = await _registration_id(setup, event.event_id, "aino@example.fi")
    here = f"/registrations/{event.event_id}/attendance?lang={lang}"
    stranger = str(uuid4())
    for form in ({"listed": [real, "nope"], "present": [real]},
                 {"listed": [real], "present": [real, "x\x00"]},
                 {"listed": real + "\x00", "present": real},
                 # An id of no one on the list ticked, or listed (it answered "Saved.").
                 {"listed": [real], "present": [real, stranger]},
                 {"present": stranger},
                 {"listed": [real, stranger], "present": [real, stranger]}):
        refused = await setup.client.post(here, data=form, headers=bearer("admin"))
        assert refused.status_code == 422, (form, refused.text)
        assert _alert(refused.text).startswith(ATTENDANCE_UNREAD[lang]), form
        # The list itself, to mark again: its rows and its form.
        assert f'name="listed" value="{real}"' in refused.text
        assert "Aino" in refused.text
    # (Its many fields are read: a large activity's list has them, below.)
    too_large = await setup.client.post(here, content=HUGE_FIELD.encode(),
                                        headers={**FORM, **bearer("admin")})
    assert too_large.status_code == 413 and _alert(too_large.text).startswith(TOO_LARGE[lang])
    assert await _attended(setup, event.event_id) == {"aino@example.fi": False}


async def test_the_list_of_a_large_activity_saves_its_attendance(setup: Setup) -> None:
    """600 rows ticked are 1,201 fields: Starlette's 1,000 refused the form with a bare 400.
    Ids of a registration no longer confirmed (cancelled meanwhile) change nothing, as
    ever."""
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    real = await _registration_id(setup, event.event_id, "aino@example.fi")
    others = [str(uuid4()) for _ in range(599)]
    await setup.pool.executemany(
        """INSERT INTO registrations (id, activity_event_id, status, seats, name, email,
                                      language, answers, created_at, updated_at)
           VALUES ($1, $2, 'cancelled', 1, 'Peruttu', $3, 'fi', '{}', now(), now())""",
        [(UUID(other), event.event_id, f"p{n}@example.fi") for n, other in enumerate(others)])
    listed = [real, *others]
    saved = await setup.client.post(
        f"/registrations/{event.event_id}/attendance?lang=fi",
        data={"listed": listed, "present": listed}, headers=bearer("admin"))
    assert saved.status_code == 303, saved.text[:500]
    attended = await _attended(setup, event.event_id)
    assert attended["aino@example.fi"] and not any(
        v for k, v in attended.items() if k != "aino@example.fi")


# --- as a browser reads them ----------------------------------------------------------------

async def test_the_new_refusals_read_well_in_chromium(setup: Setup,
                                                      chromium_path: str) -> None:
    """Each takes the focus where the reader fixes it (the input, or the refusal above the
    form), and nothing serious for axe-core at every width, no sideways scroll at 320 px."""
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    real = await _registration_id(setup, event.event_id, "aino@example.fi")
    pages: dict[str, tuple[str, str, Any]] = {}
    for lang in LANGS:
        pages[f"nul-{lang}"] = ("name", f"/registrations/{event.event_id}", await post(
            setup, event.event_id, lang, name="Ai\x00no", email="eino@example.fi"))
        pages[f"large-{lang}"] = ("error", f"/registrations/{event.event_id}",
                                  await setup.client.post(
            f"/registrations/{event.event_id}?lang={lang}",
            content=MANY_FIELDS.encode(), headers=FORM))
        pages[f"follow-{lang}"] = ("email", "/follow", await setup.client.post(
            f"/follow?lang={lang}", data={"email": "a\x00@example.fi", "language": lang,
                                          "areas": "kuopio.nilsia"}))
        pages[f"attendance-{lang}"] = ("error", f"/registrations/{event.event_id}/participants",
                                       await setup.client.post(
            f"/registrations/{event.event_id}/attendance?lang={lang}",
            data={"listed": [real, "nope"]}, headers=bearer("admin")))
    async with launch_chromium(chromium_path) as browser:
        for key, (focus, path, answer) in pages.items():
            assert 400 <= answer.status_code < 500, key
            page = await browser.new_page()
            await page.route(f"{ORIGIN}/**", served(answer.text))
            await page.goto(f"{ORIGIN}{path}")
            assert await focused_id(page) == focus, key
            await passes_at_every_width(page, key)
            await page.close()


@pytest.mark.parametrize("lang", LANGS)
async def test_the_settings_form_too_large_to_read_is_its_pages_refusal(setup: Setup,
                                                                        lang: str) -> None:
    event = await published(setup, capacity=5)
    here = f"/registrations/{event.event_id}/settings?lang={lang}"
    for body in (MANY_FIELDS, HUGE_FIELD):
        refused = await setup.client.post(here, content=body.encode(),
                                          headers={**FORM, **bearer("admin")})
        assert refused.status_code == 413, refused.text[:300]
        assert _alert(refused.text).startswith(TOO_LARGE[lang])
        assert 'name="opens_at"' in refused.text  # the settings as saved, to set again
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM registration_settings WHERE activity_event_id = $1",
        event.event_id) == 0
