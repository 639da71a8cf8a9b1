"""What testers found of `/follow`: a well-formed id of no venue
(00000000-0000-0000-0000-000000000000) was kept as an active subscription that matches
nothing, from the follow form and the subscriber's own choices alike; and the same form sent
twice (the same address and choices) made two subscriptions, two confirmation mails, both
confirmed, so every digest came twice. Now a venue is one the lists offer (refused as the
lists' other odd choices, 422); a second follow of the same address and choices mails the
pending one's confirmation again (within the address's daily confirmations) or, active,
mails its owner that it is followed already (answering the form as for any address, so
no one learns what an address follows): never two active subscriptions of one address and
choices."""

from __future__ import annotations

import html
import re
from typing import Any
from uuid import uuid4

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_following import subscribe
from services.notifications.tests.test_registration import VENUE
from shared.contracts import LocalizedText, VenueRegistered

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

LANGS = ("fi", "sv", "en")
NO_VENUE = "00000000-0000-0000-0000-000000000000"
NOT_FOLLOWABLE = {"fi": "Valitse seurattavat listalta.",
                  "sv": "Välj det du vill följa i listan.",
                  "en": "Choose what to follow from the lists."}
ALREADY = {"fi": "Tällä osoitteella seurataan jo näitä valintoja.",
           "sv": "Den här adressen följer redan dessa val.",
           "en": "This address already follows these choices."}


KNOWN_SUBJECT = {"fi": "Seuraat jo näitä valintoja", "sv": "Du följer redan dessa val",
                 "en": "You already follow these choices"}
KNOWN_TEXT = {"fi": "Tilauksesi on voimassa, eikä uutta tehty.",
              "sv": "Din prenumeration gäller och ingen ny gjordes.",
              "en": "Your subscription stands; no new one was made."}


def _answer(page: str) -> str:
    """A page's main content, without what differs per answer (the nonce of its script)."""
    found = re.search(r"<main.*</main>", page, re.S)
    assert found, page
    return re.sub(r'nonce="[^"]*"', "", found.group(0))


def _alert(page: str) -> str:
    found = re.search(r'<p class="msg error" role="alert"[^>]*>([^<]*)</p>', page)
    assert found, page
    return html.unescape(found.group(1))


async def _venue(setup: Setup) -> None:
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Nilsiän kirjasto", sv="Nilsiä bibliotek"),
        kind="library", area="kuopio.nilsia", municipality="Kuopio"))


async def _rows(setup: Setup) -> list[dict[str, Any]]:
    return [dict(r) for r in await setup.pool.fetch(
        "SELECT id, status, venue_ids, areas FROM subscriptions ORDER BY created_at")]


async def _confirmations(setup: Setup) -> int:
    return int(await setup.pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE purpose = 'subscription_confirm'"))


@pytest.mark.parametrize("lang", LANGS)
async def test_an_id_of_no_venue_is_refused_by_the_lists(setup: Setup, lang: str) -> None:
    await _venue(setup)
    for venues in ([NO_VENUE], [str(VENUE), str(uuid4())]):
        refused = await setup.client.post(f"/follow?lang={lang}", data={
            "email": "seuraaja@example.fi", "language": lang, "venue_ids": venues})
        assert refused.status_code == 422, refused.text[:300]
        assert _alert(refused.text) == NOT_FOLLOWABLE[lang]
        assert 'value="seuraaja@example.fi"' in refused.text
    assert await _rows(setup) == []
    # A venue the list offers is followed.
    taken = await setup.client.post(f"/follow?lang={lang}", data={
        "email": "seuraaja@example.fi", "language": lang, "venue_ids": str(VENUE)})
    assert taken.status_code == 201, taken.text[:300]
    assert [list(r["venue_ids"]) for r in await _rows(setup)] == [[VENUE]]


async def test_the_subscribers_choices_take_no_id_of_no_venue(setup: Setup) -> None:
    await setup.account("email")
    await _venue(setup)
    token = await subscribe(setup, email="oma@example.fi", language="sv",
                            venue_ids=str(VENUE))
    refused = await setup.client.post(f"/follow/{token}?lang=en", data={
        "language": "en", "venue_ids": [str(VENUE), NO_VENUE]})
    assert refused.status_code == 422 and _alert(refused.text) == NOT_FOLLOWABLE["en"]
    [row] = await _rows(setup)
    assert (row["status"], list(row["venue_ids"])) == ("active", [VENUE])
    # A venue followed already stays savable (one gone from the lists since, too).
    await setup.pool.execute("DELETE FROM notice_boards WHERE venue_id = $1", VENUE)
    kept = await setup.client.post(f"/follow/{token}?lang=en", data={
        "language": "en", "venue_ids": str(VENUE), "areas": "kuopio.nilsia"})
    assert kept.status_code == 303, kept.text[:300]


@pytest.mark.parametrize("lang", LANGS)
async def test_the_same_follow_twice_is_one_subscription(setup: Setup, lang: str) -> None:
    await setup.account("email")
    form = {"email": "Kaksi@example.fi", "language": lang,
            "areas": ["kuopio.nilsia", "kuopio.keskusta"], "topics": "crafts"}
    first = await setup.client.post(f"/follow?lang={lang}", data=form)
    # The same choices in another order, the address in other letters' case: the same.
    again = await setup.client.post(f"/follow?lang={lang}", data={
        **form, "email": "kaksi@example.fi", "areas": ["kuopio.keskusta", "kuopio.nilsia"]})
    assert (first.status_code, again.status_code) == (201, 201), again.text[:300]
    [row] = await _rows(setup)
    assert row["status"] == "pending"
    # Its confirmation mailed again: two mails, each confirming the one subscription.
    assert await _confirmations(setup) == 2
    assert await setup.send() == {"published": 2}
    links = {re.search(r"/follow/confirm/([0-9a-f]{64})", m["text"]).group(1)  # type: ignore[union-attr]
             for m in setup.fake.posts("email")}
    for token in links:
        confirmed = await setup.client.post(f"/follow/confirm/{token}?lang={lang}")
        assert confirmed.status_code == 303
    assert [r["status"] for r in await _rows(setup)] == ["active"]
    # Followed already: answered just as an address that follows nothing (anyone may send
    # the form), nothing more kept; the owner is mailed the subscription's links in its own
    # language, whatever language the form was sent in now.
    asked = next(other for other in LANGS if other != lang)
    third = await setup.client.post(f"/follow?lang={asked}", data={
        **form, "email": "KAKSI@example.fi", "language": asked})
    unknown = await setup.client.post(f"/follow?lang={asked}", data={
        **form, "email": "tuntematon@example.fi", "language": asked})
    assert third.status_code == unknown.status_code == 201, third.text[:300]
    assert _answer(third.text) == _answer(unknown.text)
    assert "409" not in third.text and ALREADY[asked] not in third.text
    assert len(await _rows(setup)) == 2 and await _confirmations(setup) == 3
    sent = len(setup.fake.posts("email"))
    assert await setup.send() == {"published": 2}
    mails = {m["envelope_to"][0]: m for m in setup.fake.posts("email")[sent:]}
    known = mails["Kaksi@example.fi"]
    assert (known["subject"], known["language"]) == (KNOWN_SUBJECT[lang], lang)
    assert KNOWN_TEXT[lang] in " ".join(known["text"].split())
    prefs = re.search(r"/follow/([0-9a-f]{64})\?lang=" + lang, known["text"])
    assert prefs and prefs.group(1) in links
    unsubscribe = handlers.reach_links().url(f"/follow/{prefs.group(1)}/unsubscribe")
    assert known["list_unsubscribe"] == f"<{unsubscribe}>"
    # Its links work: the manage page shows the choices followed.
    manage = await setup.client.get(f"/follow/{prefs.group(1)}?lang={lang}")
    assert manage.status_code == 200 and 'value="kuopio.nilsia" checked' in manage.text
    # That mail counted in the address's day as a confirmation: the fourth is refused, as
    # any address's is, other choices too; nothing more kept or mailed.
    other = await setup.client.post(f"/follow?lang={lang}", data={**form, "topics": "games"})
    assert other.status_code == 429 and len(await _rows(setup)) == 2
    assert len(await setup.deliveries(purpose="subscription_known")) == 1


async def test_a_twin_pending_from_before_never_becomes_a_second_active_one(
        setup: Setup) -> None:
    """Two made before this rule (the form sent twice): confirming the second confirms
    nothing more, and choices saved to match another active one are refused."""
    await setup.account("email")
    token = await subscribe(setup, email="vanha@example.fi", language="sv",
                            areas="kuopio.nilsia")
    [first] = await _rows(setup)
    twin = uuid4()
    await setup.pool.execute(
        """INSERT INTO subscriptions (id, email, language, status, areas, created_at)
           VALUES ($1, 'vanha@example.fi', 'sv', 'pending', '{kuopio.nilsia}',
                   now() + interval '1 second')""", twin)
    links = handlers.reach_links()
    confirmed = await setup.client.post(
        f"/follow/confirm/{links.token('subscription', twin)}?lang=sv")
    assert confirmed.status_code == 303
    statuses = {r["id"]: r["status"] for r in await _rows(setup)}
    assert statuses == {first["id"]: "active", twin: "unsubscribed"}
    # A third of the address, other choices, changed to the first's: refused by the lists.
    other = uuid4()
    await setup.pool.execute(
        """INSERT INTO subscriptions (id, email, language, status, areas, created_at)
           VALUES ($1, 'vanha@example.fi', 'sv', 'active', '{kuopio.keskusta}',
                   now() + interval '2 seconds')""", other)
    same = await setup.client.post(
        f"/follow/{links.token('subscription', other)}?lang=en",
        data={"language": "en", "areas": "kuopio.nilsia"})
    assert same.status_code == 409 and _alert(same.text).startswith(ALREADY["en"])
    # The first as it was, by its own link.
    kept = await setup.client.get(f"/follow/{token}?lang=sv")
    assert kept.status_code == 200 and re.search(r'value="kuopio.nilsia" checked', kept.text)
