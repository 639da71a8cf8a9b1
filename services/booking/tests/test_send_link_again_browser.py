""""Send the link again" in a real browser (Debian's Chromium, Playwright) against the booking
service on PostgreSQL, in Finnish and Swedish: the booking page's notice of where the
confirmation link went has the button; pressed at once, the page says in the status region
(which takes focus) when a new link can be sent; once the service's clock
(`KOHTAAMO_CLOCK_FILE`) is ten minutes on, the page says the link was sent again to the
address. Each state passes axe-core at a phone's and a desktop's width without a sideways
scroll at 320 px (`tests.axe.passes_at_every_width`). The button is a plain form: pressed
with JavaScript off too. The words of each language and the API are checked in-process
(test_send_link_again_pages.py), the mail on the real stack (tests/test_email_verification.py).
The list of bookings, where a series leads, has the button too, one an address, and says
there what it did, in fi, sv and en."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from services.booking.tests.test_organiser_pages import HELSINKI, _city, _sign_in
from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

ADDRESS = "aino.aaltonen-virtanen@yhdistys.example.fi"  # long: must wrap at 320 px
BUTTON = {"fi": "Lähetä linkki uudelleen", "sv": "Skicka länken igen"}
TOO_SOON = {"fi": f"Uutta vahvistuslinkkiä ei voi vielä lähettää osoitteeseen {ADDRESS}",
            "sv": f"En ny bekräftelselänk kan inte skickas till {ADDRESS} ännu",
            "en": f"A new confirmation link cannot be sent to {ADDRESS} yet"}
SENT = {"fi": f"Vahvistuslinkki lähetettiin uudelleen osoitteeseen {ADDRESS}.",
        "sv": f"Bekräftelselänken skickades igen till {ADDRESS}.",
        "en": f"The confirmation link was sent again to {ADDRESS}."}


async def _links(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM contact_verifications"))
    finally:
        await conn.close()


async def _booking_on_a_clock_file(spawn_service: Any, fresh_database: Any,
                                   tmp_path: Path) -> tuple[str, str, Path]:
    """The booking service on a fresh database, its clock moved by a file the test writes
    (`KOHTAAMO_CLOCK_FILE`): its address, its database and the file."""
    clock_file = tmp_path / "clock"
    clock_file.write_text("")
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn, env={"KOHTAAMO_CLOCK_FILE": str(clock_file)})
    return str(proc.url), dsn, clock_file


async def test_the_button_sends_the_link_again_in_finnish_and_swedish(
    chromium_path: str, spawn_service: Any, fresh_database: Any, tmp_path: Path
) -> None:
    url, dsn, clock_file = await _booking_on_a_clock_file(spawn_service, fresh_database, tmp_path)
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=3)).date(), time(10),
                             HELSINKI)
    aino = bearer("organiser", subject="aino", name="Aino")  # no address from the sign-in
    async with httpx.AsyncClient(base_url=url) as http:
        main = (await _city(http))["main"]
        made = await http.post("/bookings", headers=aino, json={
            "space_id": main["spaces"][0]["id"], "title": "Lukupiiri",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
            "organiser": {"name": "Aino", "email": ADDRESS}, "library_contact": "Sari",
            "accept_house_rules": True})
        assert made.status_code == 201, made.text
    booking = made.json()["id"]
    assert await _links(dsn) == 1
    token = aino["Authorization"].removeprefix("Bearer ")

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)  # type: ignore[arg-type]
        await _sign_in(page, url, token, f"/my/bookings/{booking}?lang=fi")
        minutes = 0
        for lang in ("fi", "sv"):
            await page.goto(f"{url}/my/bookings/{booking}?lang={lang}")
            notice = page.locator("#unverified")
            button = notice.get_by_role("button", name=BUTTON[lang])
            assert ADDRESS in await notice.inner_text() and await button.is_visible()
            await passes_at_every_width(page, f"the notice with its button, {lang}")

            # At once after the last link: said, as an error, with when; nothing sent.
            sent = await _links(dsn)
            await button.click()
            await page.wait_for_url(f"**/my/bookings/{booking}?**")
            status = page.locator("#status")
            assert (await status.inner_text()).startswith(TOO_SOON[lang])
            assert await focused_id(page) == "status"
            await passes_at_every_width(page, f"too soon, {lang}")
            assert await _links(dsn) == sent

            # Ten minutes on: sent again, said where, the status region in focus.
            minutes += 11
            clock_file.write_text(f"{minutes}m")
            await page.locator("#unverified").get_by_role("button",
                                                           name=BUTTON[lang]).click()
            await page.wait_for_url(f"**/my/bookings/{booking}?**")
            assert (await status.inner_text()).startswith(SENT[lang])
            assert await focused_id(page) == "status"
            assert await page.get_attribute("html", "lang") == lang
            await passes_at_every_width(page, f"sent again, {lang}")
            assert await _links(dsn) == sent + 1
        await page.screenshot(path="/tmp/my-link-again-sv.png", full_page=True)

        # A plain form: with JavaScript off the button sends it again all the same.
        minutes += 11
        clock_file.write_text(f"{minutes}m")
        context = await browser.new_context(java_script_enabled=False,
                                            storage_state=await page.context.storage_state())
        plain = await context.new_page()
        await plain.goto(f"{url}/my/bookings/{booking}?lang=fi")
        await plain.locator("#unverified").get_by_role("button", name=BUTTON["fi"]).click()
        await plain.wait_for_url(f"**/my/bookings/{booking}?**")
        assert (await plain.locator("#status").inner_text()).startswith(SENT["fi"])
        assert await _links(dsn) == 4
        await context.close()


OTHER = "kerho@example.fi"
BUTTON_TO = {"fi": "Lähetä linkki uudelleen osoitteeseen {email}",
             "sv": "Skicka länken igen till {email}",
             "en": "Send the link again to {email}"}


async def test_the_list_has_a_button_an_address_where_a_series_leads(
    chromium_path: str, spawn_service: Any, fresh_database: Any, tmp_path: Path
) -> None:
    """The organiser's list, where a series leads: its notice has one button an address (a
    series of three times and a booking giving another address: two buttons, each naming
    its address), which returns to the list saying in the focused status region what it
    did, axe-clean at every width in fi, sv and en."""
    url, dsn, clock_file = await _booking_on_a_clock_file(spawn_service, fresh_database, tmp_path)
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=3)).date(), time(10),
                             HELSINKI)
    aino = bearer("organiser", subject="aino", name="Aino")  # no address from the sign-in
    async with httpx.AsyncClient(base_url=url) as http:
        main = (await _city(http))["main"]
        asked = {"title": "Lukupiiri", "library_contact": "Sari", "accept_house_rules": True}
        series = await http.post("/series", headers=aino, json={
            **asked, "space_id": main["spaces"][0]["id"], "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "repeat": {"count": 3},
            "organiser": {"name": "Aino", "email": ADDRESS}})
        assert series.status_code == 201, series.text
        later = start + timedelta(days=1)
        other = await http.post("/bookings", headers=aino, json={
            **asked, "space_id": main["spaces"][1]["id"], "starts_at": later.isoformat(),
            "ends_at": (later + timedelta(hours=1)).isoformat(),
            "organiser": {"name": "Aino", "email": OTHER}})
        assert other.status_code == 201, other.text
    assert await _links(dsn) == 2  # one an address, not one a booking
    token = aino["Authorization"].removeprefix("Bearer ")

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=PHONE)  # type: ignore[arg-type]
        await _sign_in(page, url, token, "/my/bookings?lang=fi")
        minutes = 0
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{url}/my/bookings?lang={lang}")
            notice = page.locator("#unverified")
            assert await notice.get_by_role("button").count() == 2
            button = notice.get_by_role("button", name=BUTTON_TO[lang].format(email=ADDRESS),
                                        exact=True)
            assert await button.is_visible()
            assert await notice.get_by_role(
                "button", name=BUTTON_TO[lang].format(email=OTHER), exact=True).is_visible()
            assert await page.locator("#bookings").is_visible()  # the list, series and all
            await passes_at_every_width(page, f"the list's notice with its buttons, {lang}")

            # At once after the last link: said on the list, as an error; nothing sent.
            sent = await _links(dsn)
            await button.click()
            await page.wait_for_url("**/my/bookings?**")
            status = page.locator("#status")
            assert (await status.inner_text()).startswith(TOO_SOON[lang])
            assert await focused_id(page) == "status"
            await passes_at_every_width(page, f"too soon on the list, {lang}")
            assert await _links(dsn) == sent

            # Ten minutes on: sent again, said on the list, the status region in focus.
            minutes += 11
            clock_file.write_text(f"{minutes}m")
            await page.locator("#unverified").get_by_role(
                "button", name=BUTTON_TO[lang].format(email=ADDRESS), exact=True).click()
            await page.wait_for_url("**/my/bookings?**")
            assert (await status.inner_text()).startswith(SENT[lang])
            assert await focused_id(page) == "status"
            assert await page.get_attribute("html", "lang") == lang
            assert await page.locator("#bookings").is_visible()
            await passes_at_every_width(page, f"sent again on the list, {lang}")
            assert await _links(dsn) == sent + 1
        await page.screenshot(path="/tmp/my-list-link-again-en.png", full_page=True)
