"""An activity moved to start before its saved sign-up opening time: registration never
opens (sign-ups close at the start), and the public sign-up page said only "not opened yet",
so a resident came back for a sign-up that never came. The state is its own
(`never_opens`): the page says why in fi/sv/en, the activity's new start and the opening
time saved, and to ask the organiser; a sign-up sent anyway is refused saying the same,
nothing stored. The organiser's settings page says it beside the opening time."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from services.notifications import domain, reach_pages
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration_settings_page import (
    ORGANISER,
    _saved_then_moved_earlier,
)
from services.notifications.tests.test_signup_form import ORIGIN, post
from services.notifications.tests.test_signup_refusals import served, stored
from shared import l10n
from shared.clock import HELSINKI
from shared.errors import Conflict
from tests.axe import passes_at_every_width
from tests.infra import launch_chromium

fake = test_delivery.fake
setup = test_delivery.setup

STARTS = datetime(2027, 2, 10, 17, tzinfo=HELSINKI)
OPENS = datetime(2027, 2, 11, 9, tzinfo=HELSINKI)
#: What the sign-up page says of an activity now starting at STARTS, its sign-ups saved to
#: open at OPENS (Babel's date and time of each language).
NEVER_OPENS = {
    "fi": "Ilmoittautuminen ei avaudu: tapahtuma alkaa nyt 10.2.2027 klo 17.00, ennen kuin "
          "ilmoittautumisen oli määrä alkaa (11.2.2027 klo 9.00). Kysy järjestäjältä, miten "
          "tapahtumaan voi ilmoittautua.",
    "sv": "Anmälan öppnar inte: evenemanget börjar nu 2027-02-10 kl. 17:00, innan anmälan "
          "skulle öppna (2027-02-11 kl. 09:00). Fråga arrangören hur man kan anmäla sig.",
    "en": "Registration will not open: the event now starts 10 Feb 2027 at 17:00, before "
          "registration was due to open (11 Feb 2027 at 09:00). Ask the organiser how to "
          "sign up."}
#: The start of the words above, whatever the times.
NEVER_OPENS_START = {"fi": "Ilmoittautuminen ei avaudu: tapahtuma alkaa nyt",
                     "sv": "Anmälan öppnar inte: evenemanget börjar nu",
                     "en": "Registration will not open: the event now starts"}
NOT_YET = {"fi": "Ilmoittautuminen ei ole vielä alkanut.",
           "sv": "Anmälan har inte öppnat ännu.", "en": "Registration has not opened yet."}
#: What the organiser's settings page says beside the opening time, in each language.
OPENS_HELD_START = {"fi": "Tapahtuma alkaa nyt", "sv": "Evenemanget börjar nu",
                    "en": "The event now starts"}
OPENS_HELD_END = {"fi": "Muuta ilmoittautumisen alkamisaika, jotta asetukset voi tallentaa.",
                  "sv": "Ändra tiden för när anmälan öppnar för att kunna spara "
                        "inställningarna.",
                  "en": "Change the opening time to save the settings."}


def _rules(opens_at: datetime | None, status: str = "published") -> domain.RegistrationRules:
    return domain.registration_rules(
        status, {"registration_required": True, "starts_at": STARTS.isoformat()},
        {"opens_at": opens_at})


# --- the rules, pure ------------------------------------------------------------------------

@pytest.mark.unit
def test_an_opening_time_at_or_past_the_start_is_never_opens_not_not_yet() -> None:
    before = STARTS - timedelta(days=1)
    for opens in (STARTS, OPENS):
        rules = _rules(opens)
        assert domain.closed_reason(rules, before) == "never_opens", opens
        assert domain.closed_reason(rules, STARTS - timedelta(seconds=1)) == "never_opens"
        assert domain.closed_reason(rules, STARTS) == "closed"  # started: closed, as ever
    # An opening time still before the start: not yet, then open, then closed.
    early = _rules(STARTS - timedelta(hours=1))
    assert domain.closed_reason(early, before) == "not_open"
    assert domain.closed_reason(early, STARTS - timedelta(minutes=30)) is None
    assert domain.closed_reason(early, STARTS) == "closed"
    # Cancelled and postponed say themselves first; one withdrawn is closed (its status was
    # the page's code, which no words had).
    assert domain.closed_reason(_rules(OPENS, "cancelled"), before) == "cancelled"
    assert domain.closed_reason(_rules(OPENS, "postponed"), before) == "postponed"
    assert domain.closed_reason(_rules(None, "withdrawn"), before) == "closed"


@pytest.mark.unit
def test_a_sign_up_is_refused_with_the_start_and_the_opening_time() -> None:
    rules = replace(_rules(OPENS), capacity=5)
    with pytest.raises(Conflict) as refused:
        domain.check_signup(rules, STARTS - timedelta(days=1), 1, {})
    assert refused.value.details == {"code": "never_opens", "starts_at": STARTS.isoformat(),
                                     "opens_at": OPENS.isoformat()}
    # Not yet open carries its opening time (test_signup_opening_said), not the start.
    with pytest.raises(Conflict) as not_yet:
        domain.check_signup(replace(rules, opens_at=STARTS - timedelta(hours=1)),
                            STARTS - timedelta(days=1), 1, {})
    assert not_yet.value.details == {"code": "not_open",
                                     "opens_at": (STARTS - timedelta(hours=1)).isoformat()}


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_says_why_in_each_language(lang: str) -> None:
    refusal = domain.closed_refusal("never_opens", _rules(OPENS))
    assert reach_pages._error(refusal, lang) == (NEVER_OPENS[lang], 409)
    assert reach_pages._error(domain.closed_refusal("not_open", _rules(None)), lang) == (
        NOT_YET[lang], 409)


# --- the pages ------------------------------------------------------------------------------

def _said(page: str) -> str:
    """The page's status message (a closed page's why), as read."""
    found = re.search(r'<p class="msg" role="status">([^<]*)</p>', page)
    assert found, page
    return html.unescape(found.group(1))


async def _never_opening(setup: Setup) -> tuple[Any, datetime, datetime]:
    """Saved to open a day before the start, then moved two days earlier: the activity, its
    opening time saved and its new start."""
    return await _saved_then_moved_earlier(setup, "opens_at", timedelta(days=1),
                                           timedelta(days=2))


@pytest.mark.infra
async def test_the_sign_up_page_says_why_registration_never_opens(setup: Setup) -> None:
    event, opens, earlier = await _never_opening(setup)
    here = f"/registrations/{event.event_id}"
    for lang in ("fi", "sv", "en"):
        page = await setup.client.get(f"{here}?lang={lang}")
        assert page.status_code == 200, page.text
        said = _said(page.text)
        starts_said = l10n.date_and_time(earlier, lang)
        opens_said = l10n.date_and_time(opens, lang)
        assert said.startswith(NEVER_OPENS_START[lang]), said
        assert starts_said in said and f"({opens_said})" in said, said
        assert said == reach_pages.L[lang]["err_never_opens"].format(starts=starts_said,
                                                                     opens=opens_said)
        assert NOT_YET[lang] not in page.text
        assert "<form" not in page.text  # nothing to fill in that would be refused
        # A sign-up sent anyway (an old tab, a script): refused saying the same, as an alert.
        refused = await post(setup, event.event_id, lang, name="Aino",
                             email=f"aino.{lang}@example.fi")
        assert refused.status_code == 409, refused.text
        alert = re.search(r'<p class="msg error" role="alert">([^<]*)</p>', refused.text)
        assert alert is not None and html.unescape(alert.group(1)) == said, refused.text
        assert 'role="status"' not in refused.text  # said once
    assert await stored(setup, event.event_id) == []


@pytest.mark.infra
async def test_the_organiser_is_told_beside_the_opening_time_in_each_language(
        setup: Setup) -> None:
    """The settings page (its hint since session 37) says it in every language, before the
    organiser tries a save."""
    event, _, earlier = await _never_opening(setup)
    for lang in ("fi", "sv", "en"):
        page = await setup.client.get(f"/registrations/{event.event_id}/settings?lang={lang}",
                                      headers=ORGANISER)
        assert page.status_code == 200, page.text
        hint = re.search(r'<span class="hint" id="opens_at-hint">([^<]*)</span>', page.text)
        assert hint is not None, page.text
        words = html.unescape(hint.group(1))
        assert (f"{OPENS_HELD_START[lang]} {l10n.date_and_time(earlier, lang)}" in words
                and words.endswith(OPENS_HELD_END[lang])), words
        assert re.search(r'id="opens_at"[^>]*aria-describedby="opens_at-hint"', page.text)


@pytest.mark.infra
async def test_the_page_that_never_opens_reads_well_in_chromium(setup: Setup,
                                                                 chromium_path: str) -> None:
    """The why is read as the page's status, nothing serious for axe-core at a phone's and a
    desktop's width, no sideways scroll at 320 px, in each language; the refused sign-up's
    alert alike."""
    event, _, _ = await _never_opening(setup)
    here = f"/registrations/{event.event_id}"
    pages: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        pages[f"page-{lang}"] = (await setup.client.get(f"{here}?lang={lang}")).text
        pages[f"refused-{lang}"] = (await post(setup, event.event_id, lang, name="Aino",
                                               email="aino@example.fi")).text
    async with launch_chromium(chromium_path) as browser:
        for key, shown in pages.items():
            lang = key[-2:]
            page = await browser.new_page()
            await page.route(f"{ORIGIN}/**", served(shown))
            await page.goto(f"{ORIGIN}{here}?lang={lang}")
            role = "alert" if key.startswith("refused") else "status"
            read = await page.evaluate(
                f"document.querySelector('[role={role}]').textContent")
            assert read.startswith(NEVER_OPENS_START[lang]), (key, read)
            await passes_at_every_width(page, f"never-opens-{key}")
            await page.close()
