"""The desk's lending form posted as no page of the venue sends it, in a real browser
(Debian's Chromium, Playwright) against the service on PostgreSQL: a post for a venue with
nothing to lend, and a list's choice changed to something not the venue's, each come back as
the loans page with a refusal saying what to do in the reader's language (fi, sv, en),
focused and read out, axe-core clean, and nothing lent."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import httpx
import pytest

from services.booking.labels import ERRORS
from services.booking.tests.desk_browser import axe_at_widths, sign_in_at_desk, with_focus
from shared.clock import HELSINKI
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_tampered_lending_form_says_what_to_do(
    chromium_path: str, spawn_service, fresh_database, lang: str
) -> None:
    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        venues = []
        for name in ("Jynkän kirjasto", "Pappilan kirjasto"):
            r = await http.post("/venues", headers=bearer("admin"), json={
                "name": {"fi": name}, "kind": "library", "area": "kuopio.jynkka",
                "municipality": "Kuopio", "spaces": [{"name": {"fi": "Ryhmätila"},
                                                      "capacity": 12}]})
            assert r.status_code == 201, r.text
            venues.append(r.json()["id"])
        jynkka, pappila = venues
        desk = bearer("desk", venues=(jynkka, pappila), subject="desk", name="Tiski")
        # Pappila lends laptops; Jynkkä lends nothing.
        laptop = (await http.post(f"/venues/{pappila}/resources", headers=desk, json={
            "name": {"fi": "Kannettava"}, "quantity": 2})).json()["id"]
    start = (datetime.now(HELSINKI) + timedelta(days=2)).replace(hour=12, minute=0)

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in_at_desk(page, url, desk["Authorization"], lang)

        # Jynkkä's page has no lending form: one made by hand (its page's own token,
        # the fields Pappila's form sends, Pappila's laptop) is posted from it.
        await page.goto(f"{url}/desk/loans?venue_id={jynkka}&lang={lang}")
        assert await page.locator("form.lend #lend-resource").count() == 0
        async with page.expect_response("**/lend?**") as sent:
            await page.evaluate("""([action, fields]) => {
                const form = document.createElement('form');
                form.method = 'post'; form.action = action;
                const token = document.querySelector('input[name=csrf]').value;
                for (const [name, value] of Object.entries({...fields, csrf: token})) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.append(input);
                }
                document.body.append(form); form.submit(); }""",
                [f"/desk/loans/{jynkka}/lend?lang={lang}",
                 {"resource_id": laptop, "quantity": "1",
                  "starts_at": f"{start:%Y-%m-%dT%H:%M}",
                  "ends_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
                  "borrower_name": "Kalle Kirjastolainen", "borrower_phone": "040 123 4567"}])
        assert (await sent.value).status == 422
        await page.wait_for_selector("#status:focus")
        assert await page.locator("#status").inner_text() == \
            ERRORS["loan_nothing_to_lend"][lang]
        assert await page.locator("html").get_attribute("lang") == lang
        await axe_at_widths(page)

        # Pappila's list, its choice changed to nothing of Pappila's: refused by the
        # list, the form as typed.
        await page.goto(f"{url}/desk/loans?venue_id={pappila}&lang={lang}")
        await page.evaluate(f"document.querySelector('#lend-resource option').value ="
                            f" '{uuid4()}'")
        await page.fill("#lend-start", f"{start:%Y-%m-%dT%H:%M}")
        await page.fill("#lend-end", f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}")
        await page.fill("#lend-borrower", "Kalle Kirjastolainen")
        await page.fill("#lend-phone", "040 123 4567")
        async with page.expect_response("**/lend?**") as sent:
            await page.click("form.lend button[type=submit]")
        assert (await sent.value).status == 422
        assert await with_focus(page) == {
            "id": "lend-resource", "invalid": "true",
            "said": ERRORS["loan_resource_elsewhere"][lang], "value": laptop}
        assert await page.locator(".loan").count() == 0  # nothing out
        assert await page.locator("#lend-borrower").input_value() == "Kalle Kirjastolainen"
        assert await focused_id(page) == "lend-resource"
        await axe_at_widths(page)
