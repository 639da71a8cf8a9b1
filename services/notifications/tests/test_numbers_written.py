"""What a tester found: with 12,000 places the sign-up page said "Vapaita paikkoja 12000" and
the participants page "Vahvistettuja: 0 / 12000" in every language, where the events
service's page says "12 000" / "12,000". Now each count on notifications' pages and in its
mails is written the language's way (Babel, shared.l10n): "12 000" in Finnish and Swedish,
"12,000" in English; the pages checked in Chromium with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.notifications import reach_text
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import VENUE, published, sign_up
from tests.axe import serious_violations
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

ORIGIN = "http://ilmoittaudu.kuopio.test"
LANGS = ("fi", "sv", "en")
#: 12 000 places, one taken: what is left, and the places, as each language writes them.
LEFT = {"fi": "11 999", "sv": "11 999", "en": "11,999"}
ALL = {"fi": "12 000", "sv": "12 000", "en": "12,000"}
SEATS_LEFT = {"fi": "Vapaita paikkoja", "sv": "Lediga platser", "en": "Places left"}
CONFIRMED = {"fi": "Vahvistettuja", "sv": "Bekräftade", "en": "Confirmed"}


def _spaced(text: str) -> str:
    """Babel's group separator (a no-break space) as a plain one, to compare."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _serving(body: str) -> Any:
    """A route handler answering the page with `body`, and nothing else it asks for."""
    async def serve(route: Any) -> None:
        if route.request.resource_type == "document":
            await route.fulfill(status=200, body=body,
                                headers={"content-type": "text/html; charset=utf-8"})
        else:
            await route.abort()
    return serve


async def _shown(chromium_path: str, pages: dict[str, str]) -> dict[str, str]:
    """Each page's text as Chromium shows it, each with nothing serious for axe-core."""
    shown: dict[str, str] = {}

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page()
        for name, body in pages.items():
            await page.route(f"{ORIGIN}/**", _serving(body))
            await page.goto(f"{ORIGIN}/{name}")
            assert await serious_violations(page) == [], name
            shown[name] = _spaced(await page.locator("main").inner_text())
            await page.unroute(f"{ORIGIN}/**")
    return shown


async def test_counts_on_the_pages_are_written_the_languages_way(
        setup: Setup, chromium_path: str) -> None:
    event = await published(setup, capacity=12000)
    signed = await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    assert signed.status_code == 200
    desk = bearer("desk", venues=(VENUE,))
    pages: dict[str, str] = {}
    for lang in LANGS:
        signup = await setup.client.get(f"/registrations/{event.event_id}?lang={lang}")
        assert signup.status_code == 200
        assert re.search(rf"<dt>{SEATS_LEFT[lang]}</dt><dd>{LEFT[lang]}</dd>",
                         _spaced(signup.text)), lang
        pages[f"signup-{lang}"] = signup.text
        listing = await setup.client.get(
            f"/registrations/{event.event_id}/participants?lang={lang}", headers=desk)
        assert listing.status_code == 200
        assert f"{CONFIRMED[lang]}: 1 / {ALL[lang]}" in _spaced(listing.text), lang
        pages[f"participants-{lang}"] = listing.text
    shown = await _shown(chromium_path, pages)
    for lang in LANGS:
        assert f"{SEATS_LEFT[lang]}\n{LEFT[lang]}" in shown[f"signup-{lang}"], lang
        assert f"{CONFIRMED[lang]}: 1 / {ALL[lang]}" in shown[f"participants-{lang}"], lang
        assert "12000" not in shown[f"participants-{lang}"] + shown[f"signup-{lang}"]


def test_counts_in_the_mails_are_written_the_languages_way() -> None:
    facts = {"name": {"fi": "Kuoro", "sv": "Kör", "en": "Choir"},
             "starts_at": "2026-12-12T10:00:00+02:00", "ends_at": "2026-12-12T12:00:00+02:00"}
    seats = {"fi": "Paikkoja: 1 200", "sv": "Platser: 1 200", "en": "Places: 1,200"}
    for lang in LANGS:
        mail = reach_text.registration_email(
            "confirmed", facts, lang=lang, name=None, seats=1200, waiting=None, where=None,
            page_url="https://x.example/e", cancel_url="https://x.example/c",
            registration_id="r", revision=1)
        assert seats[lang] in _spaced(mail.text).splitlines(), lang
