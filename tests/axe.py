"""axe-core (the copy `axe-playwright-python` ships) in a Playwright page: WCAG 2.1 AA rules,
and the violations a person would be stopped by (serious or critical)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


SERIOUS = ("serious", "critical")


#: Resolves once the page's finite CSS animations and transitions have ended (at most 5 s).
#: A notice board's slide fades in over half a second; checked half-faded, its text failed
#: contrast now and then. Endless ones (a spinner) are not waited for.
_SETTLED = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 5000))])"""


async def violations(page: Any, *, tags: list[str] | None = WCAG_21_AA,
                     impacts: tuple[str, ...] | None = SERIOUS) -> list[dict[str, Any]]:
    """The page's axe-core violations, once it has settled as a person sees it: of the rules
    with these `tags` (None: every rule, best practices too) and these `impacts` (None: any)."""
    await page.evaluate(_SETTLED)
    # Evaluated through the DevTools protocol: an injected <script> tag would be refused by
    # the pages' Content-Security-Policy (no inline scripts, issue #13), as an attacker's would.
    await page.evaluate(AXE_JS.read_text())
    result = await page.evaluate(
        "tags => axe.run(document, tags ? {runOnly: {type: 'tag', values: tags}} : {})", tags)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
            for v in result["violations"] if impacts is None or v["impact"] in impacts]


async def serious_violations(page: Any) -> list[dict[str, Any]]:
    """The page's serious and critical WCAG 2.1 AA violations (empty when it passes)."""
    return await violations(page)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
#: The narrowest screen a page reflows to without a sideways scroll (WCAG 1.4.10: 320 CSS px).
NARROW = {"width": 320, "height": 640}
NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


async def passes_at_every_width(page: Any, what: str) -> None:
    """Nothing serious for axe-core at a phone's and a desktop's width, and no sideways
    scroll at 320 px; the page is left at a phone's width. `what` names it in a failure."""
    for size in (PHONE, DESKTOP):
        await page.set_viewport_size(size)
        assert await violations(page) == [], (what, size)
    await page.set_viewport_size(NARROW)
    assert await page.evaluate(NO_SIDEWAYS), what
    await page.set_viewport_size(PHONE)
