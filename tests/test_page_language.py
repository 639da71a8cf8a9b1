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
        await _languages_as_tags(client, path)


#: How a link or a program may write a language we do write, and what the page is then in.
TAGS = {"SV": "sv", "sv-FI": "sv", "Fi": "fi", "EN": "en", "en-GB": "en", "en_GB": "en",
        "sv_fi": "sv", "fi-FI-x-kuopio": "fi"}
#: What names none of ours (or is no tag at all): refused, never read as Finnish.
NOT_OURS = ("xx", "de", "de-FI", "sv-", "svx", "s", "sv FI", "ſv", "se", "fin")


async def _languages_as_tags(client: Any, path: str) -> None:
    """`?lang=` is a language tag in any case, its region dropped (the header's tags are
    read so too); anything else is still the 422 page. The cookie's value is read the same
    way, but one naming none of ours is passed over, never a refusal of every page."""
    for tag, expected in TAGS.items():
        shown = await client.get(path, params={"lang": tag}, headers={"Accept-Language": "de"})
        assert shown.status_code == 200, (path, tag, shown.text[:300])
        assert _lang_of(shown.text) == expected, (path, tag)
    for odd in NOT_OURS:
        refused = await client.get(path, params={"lang": odd},
                                   headers={"Accept": "*/*", "Accept-Language": "en"})
        assert refused.status_code == 422, (path, odd)
        assert _lang_of(refused.text) == "en", (path, odd)
        assert 'data-field="lang"' in refused.text and "Language: " in refused.text, (path, odd)
    for cookie, expected in (("SV", "sv"), ("en-GB", "en"), ("xx", "fi"), ("de", "fi")):
        client.cookies.set("kohtaamo_lang", cookie)
        try:
            shown = await client.get(path, headers={"Accept-Language": "de"})
        finally:
            client.cookies.clear()
        assert shown.status_code == 200 and _lang_of(shown.text) == expected, (path, cookie)
    # A refused address is answered in the reader's language: the cookie's, before the
    # browser's.
    client.cookies.set("kohtaamo_lang", "sv")
    try:
        refused = await client.get(path, params={"lang": "xx"}, headers={"Accept-Language": "en"})
    finally:
        client.cookies.clear()
    assert refused.status_code == 422 and _lang_of(refused.text) == "sv", path


async def test_a_board_screen_refuses_with_a_page_whoever_asks(start_service: Any) -> None:
    """A signage player or curl asks without Accept: text/html; the screen is a page still."""
    from services.notifications.app import spec

    client = await start_service(spec)
    screen = "/boards/00000000-0000-0000-0000-000000000000/screen"
    for path, status in ((screen, 404), (f"{screen}?seconds=1", 422),
                         (f"{screen}?lang=xx", 422), ("/boards/not-a-board/screen", 422),
                         (f"{screen}?lang=SV", 404), (f"{screen}?lang=sv-FI", 404)):
        refused = await client.get(path, headers={"Accept-Language": "sv"})
        assert refused.status_code == status, (path, refused.text[:200])
        assert refused.headers["content-type"].startswith("text/html"), path
        assert _lang_of(refused.text) == "sv" and 'href="/follow?lang=sv"' in refused.text
    # The board's feed stays an API: its refusals are JSON for a client.
    feed = await client.get("/boards/00000000-0000-0000-0000-000000000000/feed.json")
    assert feed.status_code == 404 and feed.headers["content-type"].startswith(
        "application/json")
    # Its `lang` is read as the pages' is: a tag of ours is taken, anything else refused.
    for lang, status in (("SV", 404), ("en-GB", 404), ("de", 422)):
        feed = await client.get("/boards/00000000-0000-0000-0000-000000000000/feed.json",
                                params={"lang": lang})
        assert feed.status_code == status, (lang, feed.text[:200])


@pytest.mark.parametrize("service", sorted(PAGES))
async def test_the_front_address_keeps_a_tagged_language(start_service: Any,
                                                         service: str) -> None:
    """`/?lang=SV` leads to the front page in Swedish, not to the reader's default."""
    import importlib

    client = await start_service(importlib.import_module(f"services.{service}.app").spec)
    for tag, kept in (("SV", "lang=sv"), ("en_GB", "lang=en"), ("de", None)):
        moved = await client.get("/", params={"lang": tag}, follow_redirects=False)
        assert moved.status_code == 303, (service, tag)
        location = moved.headers["location"]
        assert (kept in location) if kept else ("lang=" not in location), (service, location)


async def test_the_metrics_pages_and_spreadsheet_take_a_tagged_language(
        start_service: Any) -> None:
    """The survey, the analysts' answers and the spreadsheet read `?lang=` as the pages do."""
    from uuid import uuid4

    from services.metrics.app import spec

    client = await start_service(spec)
    survey = await client.get(f"/feedback/{uuid4()}", params={"lang": "SV"},
                              headers={"Accept": "text/html"})
    assert survey.status_code == 404 and _lang_of(survey.text) == "sv", survey.text[:300]
    answers = await client.get("/analysts/answers", params={"lang": "en-GB"},
                               headers={"Accept": "text/html"}, follow_redirects=False)
    assert answers.status_code == 401 and _lang_of(answers.text) == "en", answers.text[:300]
    sheet = await client.get("/indicators/summary",
                             params={"format": "excel", "lang": "sv-FI"})
    assert sheet.status_code == 200
    assert 'filename="kohtaamo-indicators-sv.csv"' in sheet.headers["content-disposition"]
    refused = await client.get("/indicators/summary", params={"format": "excel", "lang": "de"})
    assert refused.status_code == 422


@pytest.mark.unit
@pytest.mark.parametrize(("sent", "lang", "link"), [
    (b"", "sv", "?lang=sv"),
    (b"lang=fi", "en", "?lang=en"),
    # Every other parameter as sent: an encoded byte stays encoded (it came back as the
    # replacement character's bytes), one sent raw is encoded.
    (b"area=%FF&lang=fi&year=2026", "sv", "?area=%FF&year=2026&lang=sv"),
    (b"q=kirjasto+Puijo&lang=en&lang=sv", "fi", "?q=kirjasto+Puijo&lang=fi"),
    (b"name=\xc3\xa4&&", "en", "?name=%C3%A4&lang=en"),
])
def test_a_page_in_another_language_asks_again_as_it_was_asked(sent: bytes, lang: str,
                                                                link: str) -> None:
    from starlette.requests import Request

    from shared.pages import in_language

    request = Request({"type": "http", "method": "GET", "path": "/", "query_string": sent,
                       "headers": []})
    assert in_language(request, lang) == link
