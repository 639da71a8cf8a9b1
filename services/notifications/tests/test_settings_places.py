"""The sign-up settings' places (Paikkoja) as testers found them: a change of the places
told no one (the events service's page kept the old figure), places below the seats
already confirmed were saved ("Vahvistettuja: 2 / 1"), a tampered hidden question id
answered a developer's rule ("Kysymyksen tunniste on 1–40 merkkiä a–z, 0–9 ja _") and the
places' bound was written unformatted ("1–100000"). Now: every save that sets the places
publishes `RegistrationCounts` (the next sequence, through the outbox); places below the
confirmed seats are refused by the input saying how many are confirmed, the form kept;
a changed form says so and to reload; numbers as the language writes them."""

from __future__ import annotations

import html
import re
from typing import Any
from uuid import UUID

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published, sign_up
from services.notifications.tests.test_registration_settings_page import _settings, _signed_in
from services.notifications.tests.test_signup_form import field_tie
from shared.contracts import NOTIFICATIONS_TOPIC, ActivityEventUpdated
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

LANGS = ("fi", "sv", "en")
COUNTS = "fi.kohtaamo.registration.counts.v1"


async def _counts(setup: Setup, event_id: UUID, expect: int) -> list[dict[str, Any]]:
    """The counts published of the activity, read from the topic (the relay deletes an
    outbox row once Kafka has it)."""
    told = await events_on_topic(setup.client.runtime, NOTIFICATIONS_TOPIC, expect,
                                 keys={str(event_id)}, event_type=COUNTS)
    return sorted((dict(e.data) for e in told), key=lambda c: c["sequence"])


async def _sequence(setup: Setup, event_id: UUID) -> int | None:
    """The last sequence the activity's counts were published with."""
    sequence: int | None = await setup.pool.fetchval(
        "SELECT sequence FROM registration_counts WHERE activity_event_id = $1", event_id)
    return sequence


async def test_a_change_of_the_places_is_published_with_the_next_sequence(
        setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi", seats=2)
    assert await _sequence(setup, event.event_id) == 1
    csrf = await _signed_in(setup, event.event_id, "fi")
    here = f"/registrations/{event.event_id}/settings?lang=fi"
    saved = await setup.client.post(here, data={"csrf": csrf, "max_group": "2",
                                                "capacity": "12"})
    assert saved.status_code == 303, saved.text
    # Emptied: the activity's own places again, told as well.
    emptied = await setup.client.post(here, data={"csrf": csrf, "max_group": "2",
                                                  "capacity": ""})
    assert emptied.status_code == 303, emptied.text
    told = await _counts(setup, event.event_id, 3)
    assert [(c["sequence"], c["capacity"], c["confirmed_seats"]) for c in told] == [
        (1, 5, 2), (2, 12, 2), (3, 5, 2)]
    assert all("@" not in str(c) for c in told)


async def test_the_activitys_own_places_changed_are_told_again(setup: Setup) -> None:
    """The organiser changes the places in the events service, where the sign-up settings
    set none: the counts are published again with them, with sign-ups or with only saved
    settings, so the events page does not keep the places of the count before."""
    signed = await published(setup, capacity=5)
    await sign_up(setup, signed.event_id, "Aino", "aino@example.fi", seats=2)
    settled = await published(setup, capacity=5)
    csrf = await _signed_in(setup, settled.event_id, "fi")
    saved = await setup.client.post(f"/registrations/{settled.event_id}/settings?lang=fi",
                                    data={"csrf": csrf, "max_group": "2", "capacity": ""})
    assert saved.status_code == 303, saved.text
    for event in (signed, settled):
        await setup.handle(handlers.on_activity_event, ActivityEventUpdated(
            **{**event.model_dump(), "revision": 2, "capacity": 8}))
    assert [(c["sequence"], c["capacity"], c["confirmed_seats"])
            for c in await _counts(setup, signed.event_id, 2)] == [(1, 5, 2), (2, 8, 2)]
    assert [(c["sequence"], c["capacity"])
            for c in await _counts(setup, settled.event_id, 2)] == [(1, 5), (2, 8)]


CONFIRMED_TWO = {"fi": "Paikkoja ei voi olla vähemmän kuin vahvistettuja paikkoja, joita on "
                       "jo 2.",
                 "sv": "Platserna kan inte vara färre än de redan bekräftade platserna, som "
                       "är 2.",
                 "en": "There cannot be fewer places than the seats already confirmed (2)."}
PLACES = {"fi": "Paikkoja", "sv": "Platser", "en": "Places"}


@pytest.mark.parametrize("lang", LANGS)
async def test_places_below_the_confirmed_seats_are_refused_by_their_input(
        setup: Setup, lang: str) -> None:
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    await sign_up(setup, event.event_id, "Eino", "eino@example.fi")
    told = await _sequence(setup, event.event_id)
    csrf = await _signed_in(setup, event.event_id, lang)
    refused = await setup.client.post(
        f"/registrations/{event.event_id}/settings?lang={lang}",
        data={"csrf": csrf, "max_group": "1", "capacity": "1", "q0_id": "",
              "q0_fi": "Ruokavalio", "q0_sv": "Kost"})
    assert refused.status_code == 422, refused.text
    assert field_tie(refused.text, "capacity")[1] == CONFIRMED_TWO[lang]
    assert f"{PLACES[lang]}: {CONFIRMED_TWO[lang]}" in html.unescape(refused.text)
    # Everything typed kept; nothing saved, nothing told.
    assert re.search(r'name="capacity"[^>]*value="1"', refused.text)
    assert re.search(r'name="q0_fi"[^>]*value="Ruokavalio"', refused.text)
    assert re.search(r'name="q0_sv"[^>]*value="Kost"', refused.text)
    assert await _settings(setup, event.event_id) is None
    assert await _sequence(setup, event.event_id) == told
    # The confirmed seats themselves are places enough.
    held = await setup.client.post(
        f"/registrations/{event.event_id}/settings?lang={lang}",
        data={"csrf": csrf, "max_group": "1", "capacity": "2"})
    assert held.status_code == 303, held.text


async def test_the_api_refuses_places_below_the_confirmed_seats(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    await sign_up(setup, event.event_id, "Perhe", "perhe@example.fi", seats=3)
    refused = await setup.client.put(f"/registrations/{event.event_id}/settings",
                                     headers=bearer("admin"), json={"capacity": 2})
    assert refused.status_code == 422, refused.text
    assert "capacity_below_confirmed" in refused.text and "capacity" in refused.text
    assert await _settings(setup, event.event_id) is None


CHANGED = {"fi": "Lomaketta on muutettu, eikä kysymystä voitu lukea. Lataa sivu uudelleen ja "
                 "tee muutokset uudestaan.",
           "sv": "Formuläret har ändrats och frågan kunde inte läsas. Ladda om sidan och gör "
                 "ändringarna på nytt.",
           "en": "The form was changed and a question could not be read. Reload the page and "
                 "make your changes again."}
BOUND = {"fi": "Anna paikkojen määrä numeroin, 1–100\u00a0000, tai jätä kohta tyhjäksi.",
         "sv": "Ange antalet platser med siffror, 1–100\u00a0000, eller lämna fältet tomt.",
         "en": "Give the number of places in digits, 1 to 100,000, or leave it empty."}


@pytest.mark.parametrize("lang", LANGS)
async def test_a_changed_form_and_the_places_bound_read_as_the_language_writes(
        setup: Setup, lang: str) -> None:
    event = await published(setup, capacity=5)
    csrf = await _signed_in(setup, event.event_id, lang)
    refused = await setup.client.post(
        f"/registrations/{event.event_id}/settings?lang={lang}",
        data={"csrf": csrf, "max_group": "2", "capacity": "200000",
              "q0_id": "Ei-kelpaa!", "q0_fi": "Ruokavalio"})
    assert refused.status_code == 422, refused.text
    page = html.unescape(refused.text)
    assert field_tie(refused.text, "q0_fi")[1] == CHANGED[lang]
    assert "tunniste" not in page and "a-z" not in page and "a–z" not in page
    assert field_tie(refused.text, "capacity")[1] == BOUND[lang]
    assert "100000" not in page
    assert await _settings(setup, event.event_id) is None
