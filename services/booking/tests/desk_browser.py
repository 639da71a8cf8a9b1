"""The desk in the browser, for the booking service's browser tests: the sign-in as a person
does it (the token typed into the sign-in form, never in the address), the element a page
gives focus, axe at the desk's widths, and a venue of its own to work on."""

from __future__ import annotations

from typing import Any

import httpx

from tests.axe import serious_violations
from tests.infra import bearer


async def sign_in_at_desk(page: Any, url: str, token: str, lang: str) -> None:
    """Sign in on `/desk/login` with `token` (a bearer token without "Bearer ") and wait for
    the desk page in `lang`."""
    await page.goto(f"{url}/desk/login?lang={lang}")
    await page.fill("input[name=token]", token.removeprefix("Bearer "))
    await page.click("button")
    await page.wait_for_url(f"{url}/desk?lang={lang}")


async def axe_at_widths(page: Any) -> None:
    """Nothing serious by axe-core at a desktop's width and a phone's; the desktop's after."""
    for width in (1280, 390):
        await page.set_viewport_size({"width": width, "height": 800})
        assert await serious_violations(page) == [], width
    await page.set_viewport_size({"width": 1280, "height": 800})


async def with_focus(page: Any, key: str = "id") -> dict[str, Any]:
    """The element with focus: its id (else its name) under `key`, aria-invalid, what
    describes it, and its value (once the new page's autofocus has run: the browser does it
    when it next renders)."""
    await page.wait_for_load_state()
    await page.wait_for_function("document.activeElement !== document.body", timeout=5000)
    return dict(await page.evaluate("""(key) => { const e = document.activeElement;
        const said = (e.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
            .map(id => document.getElementById(id).textContent.trim()).join(' ');
        return {[key]: e.id || e.name, invalid: e.getAttribute('aria-invalid'), said: said,
                value: e.value === undefined ? null : e.value}; }""", key))


async def venue_with_laptops(url: str) -> tuple[dict[str, Any], dict[str, str], str]:
    """Jynkkä's library with a group room, its desk's token, and two laptops it lends."""
    async with httpx.AsyncClient(base_url=url) as http:
        venue = (await http.post("/venues", headers=bearer("admin"), json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "en": "Group room"}, "capacity": 12}],
        })).json()
        desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk", name="Jynkän tiski")
        laptops = (await http.post(f"/venues/{venue['id']}/resources", headers=desk, json={
            "name": {"fi": "Kannettava", "en": "Laptop"}, "quantity": 2})).json()["id"]
    return venue, desk, laptops
