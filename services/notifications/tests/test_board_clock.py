"""The board screen's clock in Chromium writes the time and the day in the screen's language
as CLDR (Babel) writes them, as the slides do: the tester saw "4.25" and "Saturday 05.12." on
the English screen, and the Swedish one in Finnish format too. The moments are in Helsinki's
time whatever the player's zone, also where Helsinki's date is not UTC's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from babel.dates import format_date

from services.notifications.app import spec
from services.notifications.feeds import clock_formats
from shared.clock import HELSINKI
from shared.l10n import clock_time, day_short, locale
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

STAFF = bearer("communications")
ORIGIN = "http://board.kuopio.test"

#: (UTC moment, what each language's clock reads: time, day).
MOMENTS = [
    (datetime(2026, 12, 5, 2, 25, tzinfo=UTC), {
        "fi": ("4.25", "lauantai 5.12."), "sv": ("04:25", "lördag 5 dec."),
        "en": ("04:25", "Saturday 5 Dec")}),
    # Helsinki's Saturday already, UTC's Friday still.
    (datetime(2026, 12, 4, 22, 30, tzinfo=UTC), {
        "fi": ("0.30", "lauantai 5.12."), "sv": ("00:30", "lördag 5 dec."),
        "en": ("00:30", "Saturday 5 Dec")}),
    # Summer time, a two-digit hour, September (English "Sept").
    (datetime(2026, 9, 16, 14, 7, tzinfo=UTC), {
        "fi": ("17.07", "keskiviikko 16.9."), "sv": ("17:07", "onsdag 16 sep."),
        "en": ("17:07", "Wednesday 16 Sept")}),
]


def babel_reads(moment: datetime, lang: str) -> tuple[str, str]:
    """The time and the day as the server's own Babel writes them (the slides' way)."""
    day = moment.astimezone(HELSINKI).date()
    weekday = format_date(day, "cccc", locale=locale(lang))
    return clock_time(moment, lang), f"{weekday} {day_short(day, lang)}"


def test_the_expected_words_are_babels() -> None:
    for moment, reads in MOMENTS:
        for lang, expected in reads.items():
            assert babel_reads(moment, lang) == expected, (moment, lang)
    for lang in ("fi", "sv", "en"):
        assert clock_formats(lang)["time"]  # every language's pattern has fields we write


async def test_the_clock_reads_as_the_screens_language_writes(
        start_service: Any, chromium_path: str) -> None:
    client = await start_service(spec)
    made = await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.pyoro", "name": {"fi": "Pyörön tori", "sv": "Pyörö torg",
                                         "en": "Pyörö square"}})
    assert made.status_code == 201, made.text
    screen = made.json()["feeds"]["screen"]
    pages = {}
    for lang in ("fi", "sv", "en"):
        answer = await client.get(f"{screen}?lang={lang}")
        assert answer.status_code == 200
        pages[lang] = answer

    async def serve(route: Any) -> None:
        lang = route.request.url.rsplit("lang=", 1)[-1]
        if lang in pages:
            answer = pages[lang]
            # The page's own headers, its script-src hash among them: the script must run.
            await route.fulfill(status=200, body=answer.text, headers={
                "content-type": answer.headers["content-type"],
                "content-security-policy": answer.headers["content-security-policy"]})
        else:
            await route.fulfill(status=304)

    # A player set to another zone than Helsinki's.
    async with launch_chromium(chromium_path) as browser:
        context = await browser.new_context(timezone_id="America/New_York", locale="en-US")
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.route(f"{ORIGIN}/**", serve)
        for moment, reads in MOMENTS:
            await page.clock.set_fixed_time(moment)
            for lang, (time_text, day_text) in reads.items():
                await page.goto(f"{ORIGIN}{screen}?lang={lang}")
                shown = (await page.locator("#clock-time").inner_text(),
                         await page.locator("#clock-date").inner_text())
                assert shown == (time_text, day_text), (moment, lang, shown)
                assert shown == babel_reads(moment, lang)
        assert errors == []
        await context.close()
