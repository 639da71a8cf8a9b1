"""The staff pages' skip links (WCAG 2.4.1). A tester's first Tab stops on `/dashboard`,
`/report/{year}` and `/analysts/answers` were the language links, then about a dozen filter
fields before the figures. Now the first stop is "Siirry sisältöön" (shown when focused) to
the page's content, and the dashboard's second is "Siirry lukuihin", past its filters to the
figures. Keyed through in Chromium, fi/sv/en, with axe-core, and at 320 px with 200 % text
(a focused link within the screen, nothing wider). The pages come from the service running in
this process on PostgreSQL, routed to the browser."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.metrics.app import spec
from services.metrics.tests.test_reflow_browser import _seed
from shared.pages import SKIP_TO_MAIN
from tests.axe import NARROW, NO_SIDEWAYS, passes_at_every_width, serious_violations
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

ORIGIN = "http://metrics.test"
ANALYST = bearer("analyst", subject="analyytikko")
LARGE_TEXT = "html { font-size: 200% !important; }"
TO_FIGURES = {"fi": "Siirry lukuihin", "sv": "Till siffrorna", "en": "Skip to the figures"}
#: The focused element: its text, id, where it is and whether it lies inside the content
#: (`main`), the figures (`#figures`) or the filters' form.
FOCUSED = """() => { const e = document.activeElement, r = e.getBoundingClientRect();
  return {text: e.textContent.trim(), id: e.id, tag: e.tagName, lang: e.getAttribute('hreflang'),
          left: r.left, right: r.right, top: r.top, width: r.width, height: r.height,
          inMain: !!e.closest('main'), inFigures: !!e.closest('#figures'),
          inFilters: !!e.closest('form.filters'), viewport: innerWidth}; }"""


async def _tab(page: Any) -> dict[str, Any]:
    await page.keyboard.press("Tab")
    return dict(await page.evaluate(FOCUSED))


def _seen(focused: dict[str, Any]) -> bool:
    """On the screen and within its width: a skip link shown as it gets focus."""
    return (focused["left"] >= 0 and focused["right"] <= focused["viewport"] + 0.5
            and focused["top"] >= 0 and focused["width"] > 0 and focused["height"] > 0)


async def test_the_first_tab_stop_skips_to_the_content_and_the_dashboards_second_to_the_figures(
        start_service: Any, chromium_path: str) -> None:
    client = await start_service(spec)
    venue_id, event_id = await _seed(client.runtime.pool)
    given = await client.post(f"/feedback/{event_id}?lang=fi", data={
        "satisfaction": "4", "wellbeing": "yes", "comment": "Hyvä"})
    assert given.status_code == 201, given.text
    year = datetime.now(UTC).year

    async def serve(route: Any) -> None:
        url = route.request.url.removeprefix(ORIGIN)
        signed_in = ANALYST if url.startswith("/analysts") else {}
        answer = await client.get(url, headers={"Accept": "text/html", **signed_in})
        await route.fulfill(status=answer.status_code, body=answer.content,
                            headers={"content-type": answer.headers["content-type"]})

    pages = {"dashboard": "/dashboard", "dashboard, a venue chosen":
             f"/dashboard?venue_id={venue_id}", "yearly report": f"/report/{year}",
             "answers": "/analysts/answers"}
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await page.route(f"{ORIGIN}/**", serve)
        for lang in ("fi", "sv", "en"):
            for what, path in pages.items():
                where = f"{ORIGIN}{path}{'&' if '?' in path else '?'}lang={lang}"
                dashboard = what.startswith("dashboard")
                await page.goto(where)
                first = await _tab(page)
                assert first["text"] == SKIP_TO_MAIN[lang] and _seen(first), (what, lang, first)
                if dashboard:
                    second = await _tab(page)
                    assert second["text"] == TO_FIGURES[lang] and _seen(second), (
                        what, lang, second)
                # Then the page's own links, the languages first; the skip links are gone
                # from the screen again.
                after = await _tab(page)
                assert after["lang"] == "fi" and not after["inMain"], (what, lang, after)
                assert await page.evaluate(
                    "[...document.querySelectorAll('a.skip')].every(a =>"
                    " a.getBoundingClientRect().right < 0)"), (what, lang)

                # "Siirry sisältöön": the content has focus, and the next stop is in it.
                await page.goto(where)
                await page.keyboard.press("Tab")
                await page.keyboard.press("Enter")
                assert await focused_id(page) == "main", (what, lang)
                inside = await _tab(page)
                assert inside["inMain"] and inside["lang"] is None, (what, lang, inside)
                await passes_at_every_width(page, f"{what} {lang}, the content focused")
                if not dashboard:
                    continue
                # "Siirry lukuihin": past every filter, the next stop among the figures.
                await page.set_viewport_size({"width": 1280, "height": 800})
                await page.goto(where)
                await page.keyboard.press("Tab")
                await page.keyboard.press("Tab")
                await page.keyboard.press("Enter")
                assert await focused_id(page) == "figures", (what, lang)
                figures = await _tab(page)
                assert figures["inFigures"] and not figures["inFilters"], (what, lang, figures)
                assert await page.evaluate(
                    "document.getElementById('figures').getBoundingClientRect().top") < 800

        # A phone's 320 px with 200 % text: each skip link, focused, is on the screen whole
        # and nothing is wider than it; axe finds nothing serious with one focused.
        await page.set_viewport_size(NARROW)
        for lang in ("fi", "sv", "en"):
            for what, path in pages.items():
                await page.goto(f"{ORIGIN}{path}{'&' if '?' in path else '?'}lang={lang}")
                await page.add_style_tag(content=LARGE_TEXT)
                assert await page.evaluate(
                    "parseFloat(getComputedStyle(document.body).fontSize)") >= 32
                for name in ([SKIP_TO_MAIN[lang], TO_FIGURES[lang]]
                             if what.startswith("dashboard") else [SKIP_TO_MAIN[lang]]):
                    focused = await _tab(page)
                    assert focused["text"] == name and _seen(focused), (what, lang, focused)
                    assert await page.evaluate(NO_SIDEWAYS), (what, lang, name)
                    assert await serious_violations(page) == [], (what, lang, name)
