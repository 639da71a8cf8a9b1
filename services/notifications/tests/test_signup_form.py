"""The sign-up form as a person uses it: a refusal is said beside the field it is about and
tied to it (`aria-invalid`, `aria-describedby`), not only in an alert at the top; a sign-up
lands on its own page (303), so a reload there reads it again instead of posting the form
again (which said "This address has already registered" to the person who had just signed
up); a follow confirmation likewise; and the page names the activity."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.notifications import handlers, reach_text
from services.notifications.tests import test_delivery, test_registration
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published
from shared.contracts import ActivityEventCancelled, ActivityEventPostponed
from tests.axe import serious_violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

ORIGIN = "http://ilmoittaudu.kuopio.test"


def field_tie(page: str, name: str) -> tuple[str, str]:
    """The field's input tag and the text of the message its aria-describedby names first."""
    tag = re.search(rf'<input[^>]* name="{re.escape(name)}"[^>]*>', page)
    assert tag, (name, page)
    assert 'aria-invalid="true"' in tag.group(0), tag.group(0)
    described = re.search(r'aria-describedby="([^"]+)"', tag.group(0))
    assert described, tag.group(0)
    first = described.group(1).split()[0]
    message = re.search(rf'<p class="field-error" id="{re.escape(first)}">([^<]+)</p>', page)
    assert message, (first, page)
    return tag.group(0), message.group(1)


async def post(setup: Setup, event_id: Any, lang: str, **form: str) -> Any:
    return await setup.client.post(f"/registrations/{event_id}?lang={lang}",
                                   data={"language": lang, **form})


async def test_a_sign_up_lands_on_its_own_page_and_a_reload_posts_nothing(
        setup: Setup) -> None:
    event = await published(setup, capacity=1)
    signed = await post(setup, event.event_id, "en", name="Aino", email="aino@example.fi")
    assert signed.status_code == 303, signed.text
    landing = signed.headers["location"]
    assert re.fullmatch(r"/registrations/signed/[0-9a-f]{64}\?lang=en", landing), landing
    # A seat's calendar entry is the one its confirmation mail attaches: one UID, so a
    # change or cancellation mailed later finds it however it was added.
    import icalendar

    registration = await setup.pool.fetchrow(
        "SELECT * FROM registrations WHERE activity_event_id = $1", event.event_id)
    activity = await setup.pool.fetchrow("SELECT facts FROM activity_events WHERE id = $1",
                                         event.event_id)
    mailed = icalendar.Calendar.from_ical(reach_text.registration_email(
        "confirmed", activity["facts"], lang="en", name=None, seats=1, waiting=None,
        where=None, page_url="https://x.example/e", cancel_url="https://x.example/c",
        registration_id=str(registration["id"]), revision=event.revision).ics
    ).walk("VEVENT")[0]
    entry = await setup.client.get(landing.replace("?lang=en", "/registration.ics?lang=en"))
    assert entry.status_code == 200 and entry.headers["content-type"].startswith(
        "text/calendar")
    added = icalendar.Calendar.from_ical(entry.text).walk("VEVENT")[0]
    assert str(added["UID"]) == str(mailed["UID"]) == f"registration-{registration['id']}@kohtaamo"
    assert added["SEQUENCE"] == mailed["SEQUENCE"]
    assert str(added["SUMMARY"]) == str(mailed["SUMMARY"])
    for _ in range(2):  # the page, then a reload of it
        page = await setup.client.get(landing)
        assert page.status_code == 200
        assert "Your registration is confirmed" in page.text
        assert '/registration.ics?lang=en">Add to calendar (.ics)</a>' in page.text
        assert "already registered" not in page.text
        # The heading names the activity, not only "Sign up".
        assert re.search(r"<h1>Registration: (<span lang=\"fi\">)?Satutunti", page.text), \
            page.text[:2000]
        assert test_registration.token_of(page) == landing.split("/")[-1].split("?")[0]
    assert await setup.pool.fetchval(
        "SELECT count(*) FROM registrations WHERE activity_event_id = $1", event.event_id) == 1
    # The next person waits: their page says their place in the line, in Swedish.
    waiting = await post(setup, event.event_id, "sv", name="Eino", email="eino@example.fi")
    assert waiting.status_code == 303
    page = await setup.client.get(waiting.headers["location"])
    assert "du står i kö som nummer 1" in page.text and "<h1>Anmälan: Sagostund</h1>" in page.text
    # Its facts: the activity (to its page), who, how many, a place in the line, and the
    # cancel link; no calendar entry while it has no seat.
    assert (f'<dt>Evenemang</dt><dd><a href="https://tapahtumat.kuopio.fi/events/'
            f'{event.event_id}/page?lang=sv">Sagostund</a></dd>') in page.text
    assert "<dt>Namn</dt><dd>Eino</dd>" in page.text
    assert "<dt>Deltagare</dt><dd>1</dd>" in page.text
    assert "<dt>Din plats</dt><dd>I kö, som nummer 1</dd>" in page.text
    assert "Lägg till i kalendern" not in page.text and ".ics" not in page.text
    assert "/registrations/cancel/" in page.text
    # Once cancelled, the page says so and offers no cancel button.
    token = test_registration.token_of(page)
    await setup.client.post(f"/registrations/cancel/{token}?lang=sv")
    after = await setup.client.get(waiting.headers["location"])
    assert "avbokad" in after.text.lower() and "/registrations/cancel/" not in after.text
    assert "<dt>Din plats</dt><dd>Avbokad</dd>" in after.text
    assert ".ics" not in after.text
    # A link that was not made here finds nothing.
    unknown = await setup.client.get("/registrations/signed/" + "a" * 64 + "?lang=fi")
    assert unknown.status_code == 404 and "Tarkista linkki" in unknown.text
    # Nor a calendar entry: a waiting place (and a cancelled one) has none, a page says so.
    for link in (waiting.headers["location"], "/registrations/signed/" + "a" * 64 + "?lang=fi"):
        none = await setup.client.get(link.replace("?lang=", "/registration.ics?lang="))
        assert none.status_code == 404 and none.headers["content-type"].startswith("text/html")


async def test_each_refusal_is_tied_to_its_field(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await setup.client.put(f"/registrations/{event.event_id}/settings", headers=bearer("admin"),
                           json={"max_group": 3, "questions": [
                               {"id": "allergies", "text": {"fi": "Allergiat", "sv": "Allergier",
                                                            "en": "Allergies"},
                                "required": True}]})
    assert (await post(setup, event.event_id, "fi", name="Aino", email="aino@example.fi",
                       q_allergies="ei")).status_code == 303
    cases = [
        ("fi", {"name": " ", "email": "b@example.fi", "q_allergies": "ei"}, "name",
         "Anna nimesi."),
        ("sv", {"name": "B", "email": "ei-osoite", "q_allergies": "nej"}, "email",
         "Ange en e-postadress som namn@exempel.fi."),
        ("en", {"name": "B", "email": "AINO@example.fi", "q_allergies": "no"}, "email",
         "This address has already registered for the event."),
        ("en", {"name": "B", "email": "b@example.fi", "seats": "9", "q_allergies": "no"},
         "seats", "1"),
        ("fi", {"name": "B", "email": "b@example.fi"}, "q_allergies",
         "Vastaa pakollisiin kysymyksiin (*)."),
    ]
    for lang, form, field, words in cases:
        refused = await post(setup, event.event_id, lang, **form)
        assert 400 <= refused.status_code < 500, (field, refused.status_code)
        tag, message = field_tie(refused.text, field)
        assert words in message, (field, message)
        # The alert at the top leads to the field.
        assert re.search(rf'role="alert"><a href="#{field}">', refused.text), refused.text
        # Only that field is marked.
        assert refused.text.count('aria-invalid="true"') == 1, (field, refused.text)
        if field in ("email", "seats"):
            assert f"{field}-hint" in tag  # its hint is still read too
    # A NUL in the name is the name's refusal too (it was one of no input, the form lost).
    plain = await post(setup, event.event_id, "en", name="A\x00", email="c@example.fi",
                       q_allergies="no")
    assert field_tie(plain.text, "name")[1] == "The text has characters we cannot take."
    assert plain.text.count('aria-invalid="true"') == 1
    assert re.search(r'role="alert"><a href="#name">', plain.text)
    assert 'value="c@example.fi"' in plain.text


async def test_the_refused_form_reads_well_in_chromium(setup: Setup,
                                                       chromium_path: str) -> None:
    event = await published(setup, capacity=5)
    refused = await post(setup, event.event_id, "en", name="B", email="ei-osoite")
    assert refused.status_code == 422

    async def serve(route: Any) -> None:
        await route.fulfill(status=200, body=refused.text,
                            headers={"content-type": "text/html; charset=utf-8"})

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page()
        await page.route(f"{ORIGIN}/**", serve)
        await page.goto(f"{ORIGIN}/registrations/{event.event_id}?lang=en")
        described = await page.evaluate("""() => {
            const input = document.getElementById("email");
            return input.getAttribute("aria-describedby").split(" ")
                .map(id => document.getElementById(id).textContent).join(" | ");
        }""")
        assert described.startswith("Give an email address"), described
        assert await serious_violations(page) == []


async def test_a_confirmed_follow_link_says_so_again_and_a_reload_posts_nothing(
        setup: Setup) -> None:
    await setup.account("email")
    subscribed = await setup.client.post("/follow?lang=en", data={
        "email": "seuraaja@example.fi", "areas": "kuopio.nilsia", "language": "en"})
    assert subscribed.status_code == 201
    assert await setup.send() == {"published": 1}
    mail = setup.fake.posts("email")[-1]
    token = re.search(r"/follow/confirm/([0-9a-f]{64})", mail["text"]).group(1)  # type: ignore[union-attr]
    confirmed = await setup.client.post(f"/follow/confirm/{token}?lang=en")
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"/follow/confirm/{token}?lang=en"
    for _ in range(2):  # opened again, reloaded
        page = await setup.client.get(confirmed.headers["location"])
        assert page.status_code == 200 and "Your subscription is confirmed" in page.text
        assert "No such subscription" not in page.text
    # Posting the confirmation again (an old tab) is still no error.
    again = await setup.client.post(f"/follow/confirm/{token}?lang=en", follow_redirects=True)
    assert again.status_code == 200 and "Your subscription is confirmed" in again.text


@pytest.mark.parametrize(("change", "said"), [
    (ActivityEventCancelled, "Tapahtuma on peruttu."),
    (ActivityEventPostponed, "Tapahtuma on siirretty.")])
async def test_the_page_after_signing_up_says_the_activity_was_cancelled_or_postponed(
        setup: Setup, change: Any, said: str) -> None:
    """A tester's page still said "Paikka varattu" at the old time, and gave a calendar
    entry, after the activity was cancelled (its mail had removed the entry)."""
    event = await published(setup, capacity=5)
    signed = await post(setup, event.event_id, "fi", name="Aino", email="aino@example.fi")
    landing = signed.headers["location"]
    assert "/registration.ics" in (await setup.client.get(landing)).text
    await setup.handle(handlers.on_activity_event, change(**{
        **event.model_dump(), "revision": event.revision + 1, "reason": "Sairastuminen."}))
    page = await setup.client.get(landing)
    assert page.status_code == 200 and said in page.text
    assert "/registration.ics" not in page.text
    entry = await setup.client.get(landing.replace("?lang=fi", "/registration.ics?lang=fi"))
    assert entry.status_code == 404
