"""A staff tester's findings on the desk's venue pages, in Chromium against the service on
PostgreSQL (the rules themselves: test_desk_venue_rules.py): a Monday row overlapping
another, a day's reason past its limit, a photo's alt text of nothing to read, a thing to
lend named with a right-to-left override, a price that is none, a borrower with a phone but
no name. Each comes back 422 as typed, the refused input marked, described by its refusal
and focused, in fi, sv or en; axe-core finds nothing serious on any of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.booking.tests.desk_browser import (
    axe_at_widths,
    sign_in_at_desk,
    venue_with_laptops,
    with_focus,
)
from services.booking.tests.test_api import TOMORROW
from shared.clock import HELSINKI
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra


async def _sent(page: Any, pattern: str, submit: Any) -> int:
    async with page.expect_response(pattern) as sent:
        await submit()
    return int((await sent.value).status)


async def test_the_desks_venue_forms_refuse_what_the_tester_found_by_the_input(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    venue, desk, _ = await venue_with_laptops(url)
    room = venue["spaces"][0]["id"]
    at = f"venue_id={venue['id']}"

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], "fi")

        # 1. Monday 09–20 and 12–14: refused by the second Monday row's weekday.
        await page.goto(f"{url}/desk/hours?{at}&lang=fi")
        for row, (opens, closes) in enumerate((("09:00", "20:00"), ("12:00", "14:00"))):
            await page.select_option(f"#wk-{row}-weekday", "1")
            await page.fill(f"#wk-{row}-opens", opens)
            await page.fill(f"#wk-{row}-closes", closes)
        assert await _sent(page, "**/weekly?**", page.get_by_role(
            "button", name="Tallenna aukioloajat").click) == 422
        assert await with_focus(page, "at") == {
            "at": "wk-1-weekday", "invalid": "true", "value": "1",
            "said": "Maanantai: ajat menevät päällekkäin saman päivän toisen rivin kanssa"
                    " (9.00–20.00). Korjaa ajat tai poista toinen riveistä."}
        assert await page.locator("#wk-1-opens").input_value() == "12:00"
        await axe_at_widths(page)

        # 4. A day's reason of 10,000 characters (past the input's own maxlength): said
        # by the reason's input, the form kept.
        await page.fill("#x-day", "2031-04-24")
        await page.locator("#x-reason").evaluate("(e, v) => { e.value = v; }", "x" * 10_000)
        assert await _sent(page, "**/exceptions?**", page.locator(
            "form:has(#x-reason) button[type=submit]").click) == 422
        focused = await with_focus(page, "at")
        assert (focused["at"], focused["invalid"], focused["said"]) == (
            "x-reason", "true", "Syy voi olla enintään 500 merkkiä.")
        assert await page.locator("#x-day").input_value() == "2031-04-24"
        await axe_at_widths(page)

        # 2. A photo whose Finnish alt text is a zero-width space, in Swedish.
        await page.goto(f"{url}/desk/spaces?{at}&lang=sv")
        details = page.locator(f"section[data-space='{room}']")
        await details.locator("input[name=photo_0_url]").fill(
            "https://kuvat.kuopio.example/ryhmatila.jpg")
        await details.locator("input[name=photo_0_alt_fi]").fill("\u200b")
        assert await _sent(page, "**/details?**", details.get_by_role(
            "button", name="Spara beskrivning, utrustning och bilder").click) == 422
        focused = await with_focus(page, "at")
        assert (focused["at"], focused["invalid"]) == ("photo_0_alt_fi", "true")
        assert "Berätta på finska vad bilden visar" in focused["said"]
        await axe_at_widths(page)
        # An address with a space is none.
        details = page.locator(f"section[data-space='{room}']")
        await details.locator("input[name=photo_0_alt_fi]").fill("Pöytä ja tuolit")
        await details.locator("input[name=photo_0_url]").fill(
            "https://kuvat.kuopio.example/ryhmä tila.jpg")
        assert await _sent(page, "**/details?**", details.get_by_role(
            "button", name="Spara beskrivning, utrustning och bilder").click) == 422
        focused = await with_focus(page, "at")
        assert (focused["at"], focused["invalid"], focused["value"]) == (
            "photo_0_url", "true", "https://kuvat.kuopio.example/ryhmä tila.jpg")
        assert "Ange en bildadress som börjar med https://" in focused["said"]
        await axe_at_widths(page)

        # 5. A price that is no number, in English: how to write one.
        await page.goto(f"{url}/desk/spaces?{at}&lang=en")
        rules = page.locator(f"section[data-space='{room}'] form").first
        await rules.get_by_label("Price €/h (empty: free)").fill("abc")
        assert await _sent(page, "**/rules?**", rules.get_by_role(
            "button", name="Save the rules").click) == 422
        assert await with_focus(page, "at") == {
            "at": f"r-{room}-price_per_hour", "invalid": "true", "value": "abc",
            "said": "Write the price in euros, with at most two decimals, e.g. 30.00."}
        await axe_at_widths(page)

        # 3. A thing to lend named with a right-to-left override, in English.
        await page.goto(f"{url}/desk/loans?{at}&lang=en")
        await page.fill("#add-name", "\u202eabc")
        assert await _sent(page, "**/resources?**",
                           lambda: page.locator("#add-name").press("Enter")) == 422
        assert await with_focus(page, "at") == {
            "at": "add-name", "invalid": "true", "value": "\u202eabc",
            "said": "Give a name that can be read: letters or digits, no control or text"
                    " direction characters, at most 200 characters."}
        await axe_at_widths(page)

        # 6. A phone but no name, in Swedish: the name is needed, the hint says so.
        await page.goto(f"{url}/desk/loans?{at}&lang=sv")
        assert (await page.locator("#borrower-hint").inner_text()).startswith(
            "Låntagarens namn behövs; telefon eller e-post är frivilligt")
        start = (TOMORROW + timedelta(days=1)).astimezone(HELSINKI).replace(hour=12)
        await page.fill("#lend-start", f"{start:%Y-%m-%dT%H:%M}")
        await page.fill("#lend-end", f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}")
        await page.get_by_label("Låntagarens telefon").fill("040 123 4567")
        assert await _sent(page, "**/lend?**", page.get_by_role(
            "button", name="Låna ut", exact=True).click) == 422
        focused = await with_focus(page, "at")
        assert (focused["at"], focused["invalid"]) == ("lend-borrower", "true")
        assert focused["said"].startswith("Ange låntagarens namn (eller välj en bokning")
        assert await page.locator("#lend-phone").input_value() == "040 123 4567"
        await axe_at_widths(page)
