"""What a tester found: an edit of an activity's places alone (PATCH {"capacity": 11000})
mailed every participant "Tapahtuman tiedot ovat muuttuneet" with the same time and place,
saying not what changed; a participant whose group was larger than the places now was not
told. On the real PostgreSQL and SMTP, in Finnish, Swedish and English: the places cut is
mailed saying so, from what to what, with what it means for a group larger than the places
(a confirmed one stays confirmed); an edit of nothing a participant reads mails no one."""

from __future__ import annotations

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published, sign_up
from shared.contracts import ActivityEventUpdated, LocalizedText

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

SAID = {"fi": ("Muuttui: paikkamäärä", "Paikkoja tapahtumassa: 4 (aiemmin 10)",
               "Ilmoittautumisesi pysyy silti vahvistettuna"),
        "sv": ("Ändrat: antal platser", "Platser i evenemanget: 4 (tidigare 10)",
               "Din anmälan förblir ändå bekräftad"),
        "en": ("What changed: number of places", "Places at the event: 4 (was 10)",
               "Your registration stays confirmed all the same")}


async def _edit(setup: Setup, event: object, revision: int, **changes: object) -> None:
    updated = ActivityEventUpdated(**{**event.model_dump(),  # type: ignore[attr-defined]
                                      "revision": revision, **changes})
    await setup.handle(handlers.on_activity_event, updated)


async def _mails(setup: Setup) -> int:
    return int(await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose = 'registration_change'"))


async def test_an_edit_says_what_changed_and_only_to_those_it_changed_for(
        setup: Setup) -> None:
    await setup.account("email")
    event = await published(setup, capacity=10)
    for lang in ("fi", "sv", "en"):
        signed = await sign_up(setup, event.event_id, "Aino", f"{lang}@example.fi",
                               seats=6 if lang == "sv" else 1, lang=lang)
        assert signed.status_code == 200, signed.text[:300]
    assert await setup.send() == {"published": 3}  # their confirmations
    # Its description and topics: nothing a participant reads.
    await _edit(setup, event, 2, short_description=LocalizedText(fi="Laulamme yhdessä."),
                topics=["music"])
    assert await _mails(setup) == 0
    # Its places cut to 4: each told so, the group of 6 that it stays confirmed.
    await _edit(setup, event, 3, capacity=4)
    assert await _mails(setup) == 3
    sent = len(setup.fake.posts("email"))
    assert await setup.send() == {"published": 3}
    mails = {m["envelope_to"][0]: m for m in setup.fake.posts("email")[sent:]}
    for lang, (changed, places, stays) in SAID.items():
        mail = mails[f"{lang}@example.fi"]
        lines = mail["text"].splitlines()
        assert changed in lines and places in lines, (lang, mail["text"])
        assert (stays in " ".join(mail["text"].split())) == (lang == "sv"), lang
        assert mail["language"] == lang
    statuses = {r["status"] for r in await setup.pool.fetch(
        "SELECT status FROM registrations WHERE activity_event_id = $1", event.event_id)}
    assert statuses == {"confirmed"}
