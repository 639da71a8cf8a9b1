"""Every service's pages speak the reader's language without being told (`shared.pages.PageLang`):
the address's ``?lang=``, else the language cookie, else the browser's first of fi/sv/en by
its q-values, else Finnish; and say so to caches with ``Vary: Accept-Language, Cookie``."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.infra

#: A page of each kind each service shows without signing in: a resident's and a sign-in.
PAGES = {
    "booking": ("/rules", "/desk/login", "/my/login"),
    "events": ("/calendar", "/calendar/year", "/approvals/login"),
    "notifications": ("/follow", "/staff/login"),
    "metrics": ("/dashboard", "/analysts/login"),
    "guide": ("/widget", "/widget/demo", "/staff/login"),
}


def _lang_of(page: str) -> str:
    found = re.search(r"<html lang=[\"']([a-z]+)[\"']", page)
    assert found, page[:200]
    return found.group(1)


@pytest.mark.parametrize("service", sorted(PAGES))
async def test_each_page_answers_in_the_browsers_language(start_service: Any,
                                                          service: str) -> None:
    import importlib

    spec = importlib.import_module(f"services.{service}.app").spec
    client = await start_service(spec)
    for path in PAGES[service]:
        for accept_language, expected in (("sv-FI,sv;q=0.9,en;q=0.8", "sv"),
                                          ("de-DE,en-GB;q=0.7,fi;q=0.5", "en"),
                                          ("en;q=0.5,sv;q=0.9", "sv"),  # by q, not order
                                          ("de", "fi"), ("", "fi")):
            shown = await client.get(path, headers={"Accept-Language": accept_language})
            assert shown.status_code == 200, (path, shown.text[:300])
            assert _lang_of(shown.text) == expected, (path, accept_language)
            varies = {v.strip().lower() for v in shown.headers["vary"].split(",")}
            assert {"accept-language", "cookie"} <= varies, path
        # The address's language wins over the browser's, and the cookie over the browser's.
        named = await client.get(path, params={"lang": "en"},
                                 headers={"Accept-Language": "sv"})
        assert _lang_of(named.text) == "en", path
        client.cookies.set("kohtaamo_lang", "sv")
        try:
            assert _lang_of((await client.get(path, headers={
                "Accept-Language": "en"})).text) == "sv", path
        finally:
            client.cookies.clear()
        # A language we do not write: a page saying so, not JSON and not a guess, whether the
        # client names HTML or takes anything (a link checker, curl).
        for accept in ("text/html", "*/*"):
            odd = await client.get(path, params={"lang": "xx"},
                                   headers={"Accept": accept, "Accept-Language": "sv"})
            assert odd.status_code == 422, (path, accept)
            assert odd.headers["content-type"].startswith("text/html"), (path, accept)
            assert _lang_of(odd.text) == "sv", path


async def test_a_board_screen_refuses_with_a_page_whoever_asks(start_service: Any) -> None:
    """A signage player or curl asks without Accept: text/html; the screen is a page still."""
    from services.notifications.app import spec

    client = await start_service(spec)
    screen = "/boards/00000000-0000-0000-0000-000000000000/screen"
    for path, status in ((screen, 404), (f"{screen}?seconds=1", 422),
                         (f"{screen}?lang=xx", 422), ("/boards/not-a-board/screen", 422)):
        refused = await client.get(path, headers={"Accept-Language": "sv"})
        assert refused.status_code == status, (path, refused.text[:200])
        assert refused.headers["content-type"].startswith("text/html"), path
        assert _lang_of(refused.text) == "sv" and 'href="/follow?lang=sv"' in refused.text
    # The board's feed stays an API: its refusals are JSON for a client.
    feed = await client.get("/boards/00000000-0000-0000-0000-000000000000/feed.json")
    assert feed.status_code == 404 and feed.headers["content-type"].startswith(
        "application/json")
