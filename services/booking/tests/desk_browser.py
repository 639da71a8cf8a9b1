"""The desk's sign-in as a person does it in the browser, for the booking service's browser
tests: the token typed into the sign-in form (never in the address), then the desk page."""

from __future__ import annotations

from typing import Any


async def sign_in_at_desk(page: Any, url: str, token: str, lang: str) -> None:
    """Sign in on `/desk/login` with `token` (a bearer token without "Bearer ") and wait for
    the desk page in `lang`."""
    await page.goto(f"{url}/desk/login?lang={lang}")
    await page.fill("input[name=token]", token.removeprefix("Bearer "))
    await page.click("button")
    await page.wait_for_url(f"{url}/desk?lang={lang}")
