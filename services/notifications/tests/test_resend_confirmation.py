"""A registrant who lost their confirmation (and the cancel link in it), or wants to change
their group's size, is no longer stuck at "already registered": the refusal offers to mail
the confirmation again, to that address only, at most once per ten minutes, and the page
says the same whether or not the address is signed up."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest

from services.notifications import domain, usecases
from services.notifications.tests import test_delivery
from services.notifications.tests.fakes import NOW
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_reach_usecases import EVENTS_URL, LINKS, _published, _sign
from services.notifications.tests.test_registration import published, sign_up, token_of
from services.notifications.tests.test_usecases import World
from shared.clock import FixedClock
from tests.axe import serious_violations
from tests.infra import focused_id, launch_chromium

fake = test_delivery.fake
setup = test_delivery.setup


def resend_form(page: str) -> tuple[str, dict[str, str]]:
    """The refusal's "send the confirmation again" form: its action and hidden fields."""
    form = re.search(r'<form id="resend" method="post" action="([^"]+)">(.*?)</form>',
                     page, re.S)
    assert re.search(r'<button type="submit" form="resend"[^>]*>', page), page
    assert form, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             form.group(2)))
    return html.unescape(form.group(1)), {k: html.unescape(v) for k, v in fields.items()}


@pytest.mark.infra
async def test_already_registered_can_have_the_confirmation_mailed_again_once(
        setup: Setup) -> None:
    await setup.account("email")
    event = await published(setup, capacity=5)
    signed = await sign_up(setup, event.event_id, "Aino", "aino@example.fi", seats=2)
    token = token_of(signed)
    assert await setup.send() == {"published": 1}

    # Signing up again: refused, with the way on.
    again = await sign_up(setup, event.event_id, "Aino", "AINO@example.fi", seats=3,
                          lang="en")
    assert again.status_code == 409
    assert "This address has already registered for the event." in again.text
    action, fields = resend_form(again.text)
    assert action == f"/registrations/{event.event_id}/resend?lang=en"
    assert fields == {"email": "AINO@example.fi"}
    assert "Send the confirmation again" in again.text

    sent = await setup.client.post(action, data=fields)
    assert sent.status_code == 200
    assert "If this address is signed up for the event, we have sent its confirmation " \
           "again." in sent.text
    assert "Aino" not in sent.text and "aino@" not in sent.text.lower()  # nothing of it
    assert await setup.send() == {"published": 1}
    mail = setup.fake.posts("email")[-1]
    # To the registered address, in the registration's language (Finnish), with its
    # cancel link, its calendar entry and how to change the group's size.
    assert mail["to"] == "aino@example.fi"
    assert mail["subject"].startswith("Ilmoittautumisesi on vahvistettu: Satutunti")
    assert f"/registrations/cancel/{token}" in mail["text"]
    assert "Paikkoja: 2" in mail["text"]
    assert "peru tämä ilmoittautuminen" in mail["text"]
    assert f"/registrations/{event.event_id}?lang=fi" in mail["text"]
    assert mail["ics_method"] == "PUBLISH"

    # Within ten minutes: the same page, no mail.
    twice = await setup.client.post(action, data=fields)
    assert twice.status_code == 200 and twice.text == sent.text
    assert await setup.send() == {}
    # An address that is not signed up: the same page, no mail.
    stranger = await setup.client.post(action, data={"email": "muu@example.fi"})
    assert stranger.status_code == 200 and stranger.text == sent.text
    nonsense = await setup.client.post(action, data={"email": "ei osoite"})
    assert nonsense.status_code == 200 and nonsense.text == sent.text
    assert await setup.send() == {}
    assert [m["to"] for m in setup.fake.posts("email")] == ["aino@example.fi"] * 2
    # One registration still, of the two seats it was made with.
    rows = await setup.pool.fetch("SELECT seats, status FROM registrations")
    assert [tuple(r) for r in rows] == [(2, "confirmed")]


ORIGIN = "http://ilmoittaudu.kuopio.test"


@pytest.mark.infra
async def test_the_resend_button_is_next_to_the_refusal_and_enter_still_signs_up(
        setup: Setup, chromium_path: str) -> None:
    await setup.account("email")
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")

    async def forward(route: Any) -> None:  # the browser's requests, to the service
        request = route.request
        answer = await setup.client.request(
            request.method, request.url.removeprefix(ORIGIN), content=request.post_data,
            headers={k: v for k, v in request.headers.items()
                     if k in ("content-type", "accept-language")})
        await route.fulfill(status=answer.status_code, body=answer.content,
                            headers={k: v for k, v in answer.headers.items()
                                     if k in ("content-type", "location")})

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page()
        await page.route(f"{ORIGIN}/**", forward)
        await page.goto(f"{ORIGIN}/registrations/{event.event_id}?lang=sv")
        await page.get_by_label("Namn").fill("Aino")
        await page.get_by_label("E-post").fill("aino@example.fi")
        await page.get_by_label("E-post").press("Enter")
        await page.wait_for_selector("p.field-error")
        assert await serious_violations(page) == []
        # The refused address has focus; the next Tab is the way on.
        assert await focused_id(page) == "email"
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.textContent") == \
            "Skicka bekräftelsen igen"
        # Enter in a field still signs up (refused again), it does not mail.
        await page.get_by_label("Namn").press("Enter")
        await page.wait_for_selector("p.field-error")
        assert "redan anmäld" in await page.locator("p.field-error").inner_text()
        await page.get_by_role("button", name="Skicka bekräftelsen igen").click()
        await page.wait_for_selector("p.msg")
        assert "Om den här adressen är anmäld" in await page.locator("p.msg").inner_text()
        assert await serious_violations(page) == []
    assert await setup.send() == {"published": 2}  # the sign-up's and the one asked for
    assert [m["to"] for m in setup.fake.posts("email")] == ["aino@example.fi"] * 2


@pytest.mark.unit
async def test_the_confirmation_is_mailed_again_at_most_once_in_ten_minutes() -> None:
    world = World()
    await world.account("email")
    event = await _published(world, capacity=2)
    await _sign(world, event, "a@example.fi", seats=2)
    waiting = await _sign(world, event, "b@example.fi")

    async def resend(address: str, clock: Any) -> list[dict[str, Any]]:
        await usecases.resend_confirmation(
            world.uow, clock, LINKS, EVENTS_URL,
            usecases.ResendConfirmation(activity_event_id=event.event_id, email=address))
        return world.deliveries(purpose=domain.REGISTRATION_RESENT)

    assert len(await resend("B@example.fi", world.clock)) == 1
    almost = FixedClock(NOW + domain.RESEND_EVERY - timedelta(seconds=1))
    assert len(await resend("b@example.fi", almost)) == 1
    assert len(await resend("nobody@example.fi", almost)) == 1
    later = FixedClock(NOW + domain.RESEND_EVERY)
    mails = await resend("b@example.fi", later)
    assert len(mails) == 2
    # A waiting place is mailed as one, with its place in the line now.
    assert {m["recipient"] for m in mails} == {waiting.registration["email"]}
    assert "Paikkasi jonossa: 1" in mails[-1]["content"]["text"]
    # A cancelled registration is not mailed again.
    await usecases.cancel_registration(world.uow, later, LINKS, EVENTS_URL, waiting.token)
    assert len(await resend("b@example.fi", FixedClock(NOW + timedelta(hours=1)))) == 2
