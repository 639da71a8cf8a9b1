"""`/areas/{area}/summary` of an area neither the city's nor counted. The API's 404 stays
as documented (`not_found`, the area in `area`), but a browser reading the address got the
shared "page not found" without a word of which area: the page now names it, fi/sv/en, with
the way on to the dashboard, whose choice lists the areas. Against the service on
PostgreSQL; the page checked with axe in Chromium."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from services.metrics.app import spec
from tests.axe import passes_at_every_width

pytestmark = pytest.mark.infra

BROWSER = {"Accept": "text/html"}
SAID = {"fi": "Tuntematon alue ”kuopio.nowhere”: se ei ole yksi Kuopion alueista, eikä sille "
              "ole laskettu toimintaa. Mittareiden sivulla voit valita alueen.",
        "sv": "Okänt område ”kuopio.nowhere”: det är inte ett av Kuopios områden, och ingen "
              "verksamhet har räknats för det. På mätarnas sida kan du välja ett område.",
        "en": "Unknown area “kuopio.nowhere”: it is not one of Kuopio's areas, and no "
              "activity was counted for it. On the indicators' page you can choose an area."}
WAY_ON = {"fi": "Asukastoiminnan mittarit", "sv": "Mätare för invånarverksamhet",
          "en": "Resident activity indicators"}


async def test_a_browser_reads_which_area_is_unknown_and_the_api_answers_as_documented(
        start_service: Any, chromium: Any) -> None:
    client = await start_service(spec)
    page = await chromium.new_page()
    for lang in ("fi", "sv", "en"):
        shown = await client.get("/areas/kuopio.nowhere/summary", params={"lang": lang},
                                 headers=BROWSER)
        assert shown.status_code == 404
        assert shown.headers["content-type"].startswith("text/html")
        # The address answers a program in JSON: a cache keeps the two apart.
        assert "Accept" in shown.headers["vary"], shown.headers
        assert f'<html lang="{lang}">' in shown.text
        text = unescape(re.sub(r"\s+", " ", shown.text))
        assert SAID[lang] in text, (lang, text)
        assert f'<a href="/dashboard?lang={lang}">{WAY_ON[lang]}</a>' in text, lang
        await page.set_content(shown.text)
        await passes_at_every_width(page, f"unknown area {lang}")

        # A program's answer is as before: the area in `area`, the generic 404's code.
        answer = await client.get("/areas/kuopio.nowhere/summary",
                                  headers={"Accept-Language": lang})
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/json"
        body = answer.json()
        assert (body["code"], body["detail"], body["area"]) == (
            "not_found", "no such area", "kuopio.nowhere")

    # A known area is the summary to a browser too (an address of the API, not a page).
    known = await client.get("/areas/kuopio.keskusta/summary", headers=BROWSER)
    assert known.status_code == 200 and known.json()["area"] == "kuopio.keskusta"
