"""The desk's venue pages in a real browser (Debian's Chromium, Playwright) against the
service on PostgreSQL (tester #6, #7): a refused rules, weekly hours, lending or new thing
to lend form comes back as typed, each refused input marked and described by its refusal,
the one refused input (or the summary of several) focused; a save's message is read out
from a focused status region; axe-core finds nothing serious on any of them."""

from __future__ import annotations

from datetime import timedelta

import httpx
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


async def test_refused_venue_forms_come_back_as_typed_with_the_input_focused(
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
        await sign_in_at_desk(page, url, desk["Authorization"], "en")

        # The rules: a horizon out of bounds and a price with English thousands.
        await page.goto(f"{url}/desk/spaces?{at}&lang=en")
        rules = page.locator(f"section[data-space='{room}'] form").first
        await rules.get_by_label("Bookable at most (days ahead)").fill("9999")
        await rules.get_by_label("Price €/h (empty: free)").fill("1,032.50")
        async with page.expect_response("**/rules?**") as sent:
            await rules.get_by_role("button", name="Save the rules").click()
        assert (await sent.value).status == 422
        focused = await with_focus(page)
        assert focused == {"id": f"r-{room}-horizon_days", "invalid": "true",
                           "said": "The value must be between 1 and 730.", "value": "9999"}
        assert await page.locator(f"#r-{room}-price_per_hour").input_value() == "1,032.50"
        summary = page.locator(f"#rules-refusals-{room} a")
        assert await summary.inner_text() == \
            "Bookable at most (days ahead): The value must be between 1 and 730."
        assert await summary.get_attribute("href") == f"#r-{room}-horizon_days"
        await axe_at_widths(page)
        # Fixed: saved, the price read as English writes it, written as each language
        # writes it (tester #13).
        await page.fill(f"#r-{room}-horizon_days", "90")
        await page.get_by_role("button", name="Save the rules").click()
        await page.wait_for_selector("#status:focus")
        assert await page.locator("#status").inner_text() == "Saved. Group room"
        assert await page.locator(f"#r-{room}-price_per_hour").input_value() == "1032.50"
        await page.goto(f"{url}/desk/spaces?{at}&lang=fi")
        assert await page.locator(f"#r-{room}-price_per_hour").input_value() == "1032,50"

        # Weekly hours: Tuesday's row closing before it opens, said by that row's input.
        await page.goto(f"{url}/desk/hours?{at}&lang=fi")
        await page.select_option("#wk-1-weekday", "2")
        await page.fill("#wk-1-opens", "18:00")
        await page.fill("#wk-1-closes", "09:00")
        async with page.expect_response("**/weekly?**") as sent:
            await page.get_by_role("button", name="Tallenna aukioloajat").click()
        assert (await sent.value).status == 422
        assert await with_focus(page) == {
            "id": "wk-1-closes", "invalid": "true", "value": "09:00",
            "said": "Tiistai: Sulkemisajan pitää olla avaamisajan jälkeen."}
        assert await page.locator("#wk-1-opens").input_value() == "18:00"
        await axe_at_widths(page)
        # Fixed and saved: the message is read out from the status, which has focus.
        await page.fill("#wk-1-closes", "20:00")
        await page.get_by_role("button", name="Tallenna aukioloajat").click()
        await page.wait_for_selector("#status:focus")
        assert await page.locator("#status").inner_text() == "Tallennettu."
        assert await page.locator("#status").get_attribute("role") == "status"
        assert "18:00" in await page.locator("input[name=opens]").evaluate_all(
            "inputs => inputs.map(i => i.value)")  # stored, shown as the week's hours
        await axe_at_widths(page)

        # Lending due back before it starts: said of a loan, in Swedish.
        await page.goto(f"{url}/desk/loans?{at}&lang=sv")
        start = (TOMORROW + timedelta(days=1)).astimezone(HELSINKI).replace(hour=12)
        await page.fill("#lend-quantity", "2")
        await page.get_by_label("Låntagarens namn").fill("Kalle Kirjastolainen")
        await page.get_by_label("Låntagarens telefon").fill("040 123 4567")
        await page.fill("#lend-start", f"{start:%Y-%m-%dT%H:%M}")
        await page.fill("#lend-end", f"{start - timedelta(hours=2):%Y-%m-%dT%H:%M}")
        async with page.expect_response("**/lend?**") as sent:
            await page.get_by_role("button", name="Låna ut", exact=True).click()
        assert (await sent.value).status == 422
        assert await with_focus(page) == {
            "id": "lend-end", "invalid": "true",
            "said": "Lånet måste lämnas tillbaka efter att det börjar.",
            "value": f"{start - timedelta(hours=2):%Y-%m-%dT%H:%M}"}
        assert await page.locator("#lend-quantity").input_value() == "2"
        assert await page.locator("#lend-start").input_value() == f"{start:%Y-%m-%dT%H:%M}"
        assert await page.locator("#lend-borrower").input_value() == "Kalle Kirjastolainen"
        await axe_at_widths(page)
        # Fixed: lent, read out, and the loan's row says whom to chase (tester #5).
        await page.fill("#lend-end", f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}")
        await page.get_by_role("button", name="Låna ut", exact=True).click()
        await page.wait_for_selector("#status:focus")
        assert (await page.locator("#status").inner_text()).startswith("Utlånat: ")
        row = page.locator("tr.loan")
        assert "Kalle Kirjastolainen" in await row.inner_text()
        assert await row.get_by_role("link", name="040 123 4567").get_attribute("href") == \
            "tel:0401234567"
        # No borrower and no booking: refused by the name's input, which takes focus.
        async with page.expect_response("**/lend?**") as sent:
            await page.get_by_role("button", name="Låna ut", exact=True).click()
        assert (await sent.value).status == 422
        focused = await with_focus(page)
        assert (focused["id"], focused["invalid"]) == ("lend-borrower", "true")
        assert focused["said"].startswith("Ange låntagarens namn (eller välj en bokning")
        await axe_at_widths(page)

        # Something new to lend with no Finnish name but spaces.
        await page.fill("#add-name", "   ")
        await page.fill("#add-quantity", "4")
        async with page.expect_response("**/resources?**") as sent:
            await page.locator("#add-quantity").press("Enter")
        assert (await sent.value).status == 422
        assert await with_focus(page) == {"id": "add-name", "invalid": "true",
                                        "said": "Ge ett namn på finska.", "value": "   "}
        assert await page.locator("#add-quantity").input_value() == "4"
        await axe_at_widths(page)
        await page.fill("#add-name", "Kamera")
        await page.locator("#add-quantity").press("Enter")
        await page.wait_for_selector("#status:focus")
        assert await page.locator("#status").inner_text() == "Tillagt: Kamera"
        await page.keyboard.press("Tab")  # the keyboard goes on from the message
        assert await page.evaluate("document.activeElement.closest('main') !== null")
        await axe_at_widths(page)

    async with httpx.AsyncClient(base_url=url) as http:
        kept = (await http.get(f"/venues/{venue['id']}")).json()
        assert kept["spaces"][0]["rules"]["horizon_days"] == 90  # never 9999


async def test_each_rows_buttons_and_inputs_name_the_booking_or_loan_they_act_on(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    """Tester #16: a screen reader's list of buttons said "Saapunut, Peru, Siirrä,
    Saapunut, Peru, Siirrä…" with nothing to tell the rows apart. Each now says which
    booking (its title and time) or loan it acts on; what is seen stays as it was."""
    from services.booking.tests.test_api import MAIJA, booking, venue

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        v, desk = await venue(http)
        stage = v["spaces"][1]["id"]
        asked = await http.post("/bookings", headers=MAIJA, json={
            **booking(stage), "title": "Shakkikerho"})
        assert asked.status_code == 201, asked.text
        later = TOMORROW + timedelta(hours=3)
        for title, start in (("Lautapelit", later), ("Runopiiri", later + timedelta(hours=3))):
            made = await http.post("/bookings", headers=MAIJA, json={
                **booking(stage, later if title == "Lautapelit" else start), "title": title})
            assert made.status_code == 201, made.text
            assert (await http.post(f"/bookings/{made.json()['id']}/confirm",
                                    headers=desk)).status_code == 200
            if title == "Lautapelit":
                games = made.json()["id"]
        laptops = (await http.post(f"/venues/{v['id']}/resources", headers=desk, json={
            "name": {"fi": "Kannettava"}, "quantity": 3})).json()["id"]
        lent = await http.post("/loans", headers=desk, json={
            "resource_id": laptops, "quantity": 2, "booking_id": games,
            "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()})
        assert lent.status_code == 201, lent.text
    local = later.astimezone(HELSINKI)
    span = f"{local:%-H.%M}–{local + timedelta(hours=2):%-H.%M}"
    day = f"{local.day}.{local.month}."

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], "fi")
        await page.goto(f"{url}/desk?venue_id={v['id']}&day={local.date()}&lang=fi")
        for role, name in (
                ("button", f"Peru: Lautapelit, {span}"),
                ("textbox", f"syy: Lautapelit, {span}"),
                ("button", f"Vahvista: Shakkikerho, {day} 14.00–16.00"),
                ("button", f"Hylkää: Shakkikerho, {day} 14.00–16.00")):
            assert await page.get_by_role(role, name=name, exact=True).count() == 1, name
        row = page.locator("tr", has_text="Lautapelit")
        # Tomorrow's booking cannot be marked arrived yet (from an hour before its start):
        # no "Saapunut" to press (test_desk_forms.py names it when it can).
        assert await row.get_by_role("button", name="Saapunut").count() == 0
        assert await row.locator("summary").get_attribute("aria-label") == \
            f"Siirrä: Lautapelit, {span}"
        await row.locator("summary").click()
        assert await page.get_by_role("button", name=f"Siirrä varaus: Lautapelit, {span}",
                                      exact=True).count() == 1
        assert await page.get_by_label(f"Uusi alkuaika: Lautapelit, {span}",
                                        exact=True).count() == 1
        assert await page.get_by_label(f"syy: Lautapelit, {span}").count() == 2
        # What is seen is the word alone.
        assert (await row.get_by_role("button", name=f"Peru: Lautapelit, {span}")
                .inner_text()).strip() == "Peru"
        await axe_at_widths(page)

        await page.goto(f"{url}/desk/loans?venue_id={v['id']}&lang=fi")
        for name in (f"Palautettu: Kannettava × 2, Maija Meikäläinen, {day} {span}",
                     f"Peru laina: Kannettava × 2, Maija Meikäläinen, {day} {span}"):
            assert await page.get_by_role("button", name=name, exact=True).count() == 1, \
                await page.locator("tr.loan").aria_snapshot()
        await axe_at_widths(page)
