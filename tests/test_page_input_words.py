"""A page that refuses an input says what to fix, in the page's language: a search too
long or not text, a time or a number out of its bounds, a code too long (a tester's round:
each of these said only "check this"). On the real services, refused before any read."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

pytestmark = pytest.mark.infra

BROWSER = {"Accept": "text/html"}


def _said(page: Any) -> list[str]:
    """What the error page lists, each refused input by its label and what it takes."""
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li[^>]*>(.*?)</li>", page.text, flags=re.S)]


@pytest.mark.parametrize(("service", "path", "said"), [
    ("events", "/calendar?lang=fi&q=" + "x" * 3000, "Hakusana: enintään 200 merkkiä"),
    ("events", "/calendar?lang=fi&q=piha%FF", "Hakusana: kirjoita tavallista tekstiä"),
    ("events", "/calendar?lang=sv&q=a%00b", "Sökord: skriv vanlig text"),
    ("metrics", "/f/" + "a" * 41 + "?lang=en", "Feedback code: at most 40 characters"),
    # Codes no person reads are not listed on a page (its options name them).
    ("metrics", "/dashboard?lang=fi&group=zzz", "Alueryhmä: valitse jokin sivun vaihtoehdoista"),
])
async def test_a_refused_input_is_said_with_what_it_takes(start_service: Any, service: str,
                                                          path: str, said: str) -> None:
    import importlib

    client = await start_service(importlib.import_module(f"services.{service}.app").spec)
    page = await client.get(path, headers=BROWSER)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert said in _said(page), _said(page)


@pytest.mark.parametrize(("query", "said"), [
    ("not_before=kuusi", "Aikaisintaan klo: anna kellonaika, esim. 18.00"),
    # A time no clock shows is said as such (29559ef), by the same input, in the words of
    # every booking page (labels.no_such_time_text).
    ("not_before=25.99", "Aikaisintaan klo: kellonaikaa 25.99 ei ole: tunnit ovat 0–23 ja "
                         "minuutit 0–59 (keskiyö on seuraavan päivän 0.00)."),
    ("capacity=-5", "Osallistujia: anna luku väliltä 1–100"),  # "100 000", as Finnish writes
])
async def test_a_rule_of_a_page_is_said_in_the_services_own_words(
        start_service: Any, query: str, said: str) -> None:
    """A rule the page's own reading refuses (the space search's time and number of people)
    is said by the input it names, by its label and with what it takes (a rule of a
    schema's kind, `shared.http.refused_fields`)."""
    from services.booking.app import spec
    from tests.infra import bearer

    client = await start_service(spec)
    token = bearer("organiser", subject="hakija")["Authorization"].removeprefix("Bearer ")
    signed = await client.post("/my/login?lang=fi", data={"token": token})
    assert signed.status_code == 303, signed.text
    page = await client.get(f"/my/spaces?lang=fi&{query}", headers=BROWSER)
    assert page.status_code == 422 and said in html.unescape(page.text), page.text[:600]
