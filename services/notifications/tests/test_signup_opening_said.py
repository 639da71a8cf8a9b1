"""A sign-up page before registration opens said "Ilmoittautuminen ei ole vielä alkanut." /
"Registration has not opened yet." and not when: a resident could only keep coming back.
It says when it opens, and when it closes where a closing time is set, each as the
language writes a date and time (Babel); a sign-up sent early is refused (409) saying the
same, nothing stored."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from services.notifications import domain, reach_pages
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published, sign_up
from shared import l10n
from shared.clock import HELSINKI
from shared.errors import Conflict
from tests.infra import bearer

fake = test_delivery.fake
setup = test_delivery.setup

STARTS = datetime(2027, 2, 10, 17, tzinfo=HELSINKI)
OPENS = datetime(2027, 2, 1, 9, tzinfo=HELSINKI)
CLOSES = datetime(2027, 2, 9, 21, 30, tzinfo=HELSINKI)
#: What is said before OPENS: with no closing time set, and with CLOSES.
OPENS_ON = {"fi": "Ilmoittautuminen ei ole vielä alkanut. Se alkaa 1.2.2027 klo 9.00.",
            "sv": "Anmälan har inte öppnat ännu. Den öppnar 2027-02-01 kl. 09:00.",
            "en": "Registration has not opened yet. It opens on 1 Feb 2027 at 09:00."}
OPENS_AND_CLOSES = {
    "fi": "Ilmoittautuminen ei ole vielä alkanut. Se alkaa 1.2.2027 klo 9.00 ja päättyy "
          "9.2.2027 klo 21.30.",
    "sv": "Anmälan har inte öppnat ännu. Den öppnar 2027-02-01 kl. 09:00 och stänger "
          "2027-02-09 kl. 21:30.",
    "en": "Registration has not opened yet. It opens on 1 Feb 2027 at 09:00 and closes on "
          "9 Feb 2027 at 21:30."}


def _rules(closes_at: datetime | None) -> domain.RegistrationRules:
    return replace(domain.registration_rules(
        "published", {"registration_required": True, "starts_at": STARTS.isoformat()},
        {"opens_at": OPENS, "closes_at": closes_at}), capacity=5)


@pytest.mark.unit
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_not_open_yet_says_when_it_opens_and_closes(lang: str) -> None:
    early = OPENS - timedelta(days=3)
    for closes, said in ((None, OPENS_ON), (CLOSES, OPENS_AND_CLOSES)):
        rules = _rules(closes)
        assert domain.closed_reason(rules, early) == "not_open"
        with pytest.raises(Conflict) as refused:
            domain.check_signup(rules, early, 1, {})
        assert reach_pages._error(refused.value, lang) == (said[lang], 409)


def _read(page: str) -> str:
    return " ".join(html.unescape(page).split())


@pytest.mark.infra
async def test_the_page_and_an_early_sign_up_say_when(setup: Setup) -> None:
    event = await published(setup, capacity=5)
    opens = (event.starts_at - timedelta(days=1)).replace(second=0)
    closes = event.starts_at - timedelta(hours=2)
    here = f"/registrations/{event.event_id}"
    for body, closing in (({"opens_at": opens.isoformat()}, None),
                          ({"opens_at": opens.isoformat(), "closes_at": closes.isoformat()},
                           closes)):
        saved = await setup.client.put(f"{here}/settings", headers=bearer("admin"), json=body)
        assert saved.status_code == 200, saved.text
        for lang in ("fi", "sv", "en"):
            words = reach_pages.L[lang]
            expected = (words["err_not_open_until"] if closing else
                        words["err_not_open_at"]).format(
                opens=l10n.date_and_time(opens, lang),
                closes=l10n.date_and_time(closing, lang) if closing else "")
            assert l10n.date_and_time(opens, lang) in expected
            page = await setup.client.get(f"{here}?lang={lang}")
            assert page.status_code == 200 and expected in _read(page.text), lang
            assert 'name="seats"' not in page.text  # no form to fill in yet
            early = await sign_up(setup, event.event_id, "Aino", "aino@example.fi", lang=lang)
            assert early.status_code == 409 and expected in _read(early.text), lang
    assert await setup.pool.fetchval("SELECT count(*) FROM registrations") == 0
