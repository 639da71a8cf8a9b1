"""The residents' pages' keyboard focus ring is seen: at least 3:1 against the page behind
it (WCAG 1.4.11), and, on a filled button, against the button too. A tester on a phone could
not find the pale yellow ring (#ffbf47, 1.7:1 on white) on the sign-up and follow pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery, test_registration
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_registration import published, sign_up, token_of
from tests.infra import launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

ORIGIN = "http://ilmoittaudu.kuopio.test"

_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def rgb(css: str) -> tuple[float, float, float, float]:
    found = _RGB.search(css)
    assert found, css
    r, g, b, a = found.groups()
    return float(r), float(g), float(b), 1.0 if a is None else float(a)


def luminance(colour: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, ...], other: tuple[float, ...]) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: The focused element's ring and what is behind and inside it, as Chromium computed them.
_RING = """el => {
    const style = getComputedStyle(el);
    let behind = el.parentElement, page = "rgb(255, 255, 255)";  // the canvas: white
    for (; behind; behind = behind.parentElement) {
        const bg = getComputedStyle(behind).backgroundColor;
        if (!/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { page = bg; break; }
    }
    return {outline: style.outlineColor, outlineStyle: style.outlineStyle,
            width: parseFloat(style.outlineWidth), shadow: style.boxShadow,
            own: style.backgroundColor, page: page,
            focused: document.activeElement === el};
}"""


async def ring(page: Any, selector: str) -> dict[str, Any]:
    await page.focus(selector)
    found: dict[str, Any] = await page.eval_on_selector(selector, _RING)
    assert found["focused"], selector
    return found


def assert_seen(found: dict[str, Any], where: str) -> None:
    assert found["outlineStyle"] != "none" and found["width"] >= 2, (where, found)
    outline = rgb(found["outline"])
    assert outline[3] == 1, (where, found)  # opaque: a faded ring is a fainter one
    halo = rgb(found["shadow"]) if found["shadow"] != "none" else None
    page = rgb(found["page"])
    if page[:3] == (255, 255, 255):
        # On the white page the outline itself stands out.
        assert contrast(outline, page) >= 3, (where, found)
    else:
        # On the blue header: the ring, outline or halo, stands out from it.
        assert max(contrast(c, page) for c in (outline, halo) if c) >= 3, (where, found)
    own = rgb(found["own"])
    if own[3] == 1 and contrast(own, page) >= 3:
        # A filled control (the blue button): what lies next to it (the halo, else the
        # outline) stands out from it too.
        assert contrast(halo or outline, own) >= 3, (where, found)


async def test_the_focus_ring_stands_out_on_every_residents_page(
        setup: Setup, chromium_path: str) -> None:
    await setup.account("email")
    event = await published(setup, capacity=5)
    form = await setup.client.get(f"/registrations/{event.event_id}?lang=fi")
    signed = await sign_up(setup, event.event_id, "Aino", "aino@example.fi")
    token = token_of(signed)
    cancel = await setup.client.get(f"/registrations/cancel/{token}?lang=fi")
    follow = await setup.client.get("/follow?lang=sv")
    subscribed = await setup.client.post("/follow?lang=sv", data={
        "email": "seuraaja@example.fi", "areas": "kuopio.nilsia", "language": "sv"})
    assert subscribed.status_code == 201, subscribed.text
    subscription = await setup.pool.fetchval("SELECT id FROM subscriptions")
    link = handlers.reach_links().token("subscription", subscription)
    preferences = await setup.client.get(f"/follow/{link}?lang=sv")
    refused = await test_registration.sign_up(setup, event.event_id, "", "ei-osoite")
    pages = {"/signup": (form, ["#name", "#email", "main button"]),
             "/signed": (signed, ["main a"]),
             "/cancel": (cancel, ["main button", "main a"]),
             "/follow": (follow, ["#email", "#language", "input[type=checkbox]",
                                  "main button"]),
             "/preferences": (preferences, ["#language", "main button.secondary"]),
             "/refused": (refused, ["#refusals"]),
             "/header": (form, ["header nav a"])}
    for path, (response, _) in pages.items():
        assert response.status_code < 500, (path, response.status_code)

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 390, "height": 844})

        async def serve(route: Any) -> None:
            path = route.request.url.removeprefix(ORIGIN)
            await route.fulfill(status=200, body=pages[path][0].text,
                                headers={"content-type": "text/html; charset=utf-8"})

        await page.route(f"{ORIGIN}/**", serve)
        for path, (_, selectors) in pages.items():
            await page.goto(f"{ORIGIN}{path}")
            for selector in selectors:
                assert_seen(await ring(page, selector), f"{path} {selector}")


async def test_the_follow_page_fits_a_phone_with_large_text(
        setup: Setup, chromium_path: str) -> None:
    """A tester at 320 px with 200 % text read /follow?lang=sv 323 px wide: a fieldset is
    as wide as its longest choice ("Personer med funktionsnedsättning") unless told not to
    be (WCAG 1.4.10)."""
    await setup.account("email")
    event = await published(setup, capacity=5)
    pages = {f"/{lang}": (await setup.client.get(f"/follow?lang={lang}")).text
             for lang in ("fi", "sv", "en")}
    pages["/signup"] = (await setup.client.get(
        f"/registrations/{event.event_id}?lang=sv")).text
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 320, "height": 700})

        async def serve(route: Any) -> None:
            await route.fulfill(status=200, body=pages[route.request.url.removeprefix(ORIGIN)],
                                headers={"content-type": "text/html; charset=utf-8"})

        await page.route(f"{ORIGIN}/**", serve)
        for path in pages:
            await page.goto(f"{ORIGIN}{path}")
            await page.add_style_tag(content="html { font-size: 200% !important; }")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (path, width)
