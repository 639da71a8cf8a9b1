"""Issue #16's two journeys in a real browser (Debian's Chromium, Playwright) against the
booking service on PostgreSQL, on a phone and a desktop, with axe-core in fi, sv and en on
every page touched:

- the desk marks a space's accessibility features on its spaces page; an organiser finds it
  by them (checkboxes) and sees them on the result;
- an organiser makes the held time a series on the request form: sees which dates are free
  and which clash before sending, a refusal next to its field, sends it, finds it as one row
  in their bookings and cancels the whole series there, after a page (no script needed)
  that names how many times go and which, where "Back" leaves them as they were."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest

from services.booking.tests.test_organiser_pages import (
    DESKTOP,
    HELSINKI,
    PHONE,
    _city,
    _sign_in,
)
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra


async def _no_sideways_scroll(page: Any) -> None:
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_the_desk_marks_features_and_an_organiser_finds_a_space_by_them(
    viewport: dict[str, int], chromium_path: str, spawn_service, fresh_database
) -> None:
    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        city = await _city(http)
        main = city["main"]
        hall, quiet = (s["id"] for s in main["spaces"])
        desk = bearer("desk", venues=(main["id"],), subject="main-desk", name="Tiski")
        # The building's entrance and lift are the venue's (the API's PATCH).
        r = await http.patch(f"/venues/{main['id']}", headers=desk, json={
            "accessibility_features": ["step_free_entrance", "lift"]})
        assert r.status_code == 200, r.text
        assert r.json()["accessibility_features"] == ["step_free_entrance", "lift"]
    day = (datetime.now(HELSINKI) + timedelta(days=3)).date().isoformat()
    token = bearer("organiser", subject="aino", name="Aino")["Authorization"].removeprefix(
        "Bearer ")

    async with launch_chromium(chromium_path) as browser:
        # The desk: the hall has an induction loop.
        desk_page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        await desk_page.goto(f"{url}/desk/login?lang=fi")
        await desk_page.fill("input[name=token]",
                             desk["Authorization"].removeprefix("Bearer "))
        await desk_page.click("button")
        await desk_page.goto(f"{url}/desk/spaces?venue_id={main['id']}&lang=fi")
        form = desk_page.locator(f"form[action^='/desk/spaces/{hall}/details']")
        await form.locator("input[value=induction_loop]").check()
        await form.locator("button[type=submit]").click()
        await desk_page.wait_for_url("**/desk/spaces?**")
        form = desk_page.locator(f"form[action^='/desk/spaces/{hall}/details']")
        assert await form.locator("input[value=induction_loop]").is_checked()
        for lang in ("fi", "sv", "en"):
            await desk_page.goto(f"{url}/desk/spaces?venue_id={main['id']}&lang={lang}")
            assert await serious_violations(desk_page) == [], lang

        # The organiser: step-free entrance and induction loop: only the hall.
        page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        await _sign_in(page, url, token, f"/my/spaces?lang=en&day={day}")
        assert await page.locator("section.space").count() == 3
        await page.check("input[name=feature][value=step_free_entrance]")
        await page.check("input[name=feature][value=induction_loop]")
        await page.click("form.card button[type=submit]")
        await page.wait_for_url("**feature=induction_loop**")
        assert await page.locator("section.space").count() == 1
        card = page.locator(f"section.space[data-space='{hall}']")
        assert await card.locator("ul.features li").all_inner_texts() == [
            "Step-free entrance", "Lift", "Induction loop"]
        assert await page.locator("input[name=feature][value=induction_loop]").is_checked()
        await _no_sideways_scroll(page)
        # Stepping a day on keeps the features chosen.
        await page.click("nav.actions a:has-text('→')")
        await page.wait_for_url("**feature=induction_loop**")
        assert await page.locator("section.space").count() == 1
        # The quiet room has only the venue's features.
        await page.goto(f"{url}/my/spaces?lang=sv&day={day}&feature=lift")
        quiet_card = page.locator(f"section.space[data-space='{quiet}']")
        assert await quiet_card.locator("ul.features li").all_inner_texts() == [
            "Steglös ingång", "Hiss"]
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{url}/my/spaces?lang={lang}&day={day}&feature=lift")
            assert await serious_violations(page) == [], lang
        # An odd feature: a 4xx page naming the field, in the page's language.
        odd = await page.goto(f"{url}/my/spaces?lang=fi&day={day}&feature=ramp")
        assert odd is not None and odd.status == 422
        assert "feature" in await page.content()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_an_organiser_makes_a_series_sees_its_dates_and_cancels_it(
    viewport: dict[str, int], chromium_path: str, spawn_service, fresh_database
) -> None:
    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    first = datetime.combine((datetime.now(HELSINKI) + timedelta(days=3)).date(), time(10),
                             HELSINKI)
    async with httpx.AsyncClient(base_url=url) as http:
        city = await _city(http)
        main = city["main"]
        hall = main["spaces"][0]["id"]
        desk = bearer("desk", venues=(main["id"],), subject="main-desk")
        # The desk lets an organiser have six open requests of the hall.
        rules = (await http.get(f"/venues/{main['id']}")).json()["spaces"][0]["rules"]
        r = await http.put(f"/spaces/{hall}/rules", headers=desk,
                           json={**rules, "max_open_requests": 6})
        assert r.status_code == 200, r.text
        # Someone else has the hall in the third week.
        clash = first + timedelta(weeks=2)
        r = await http.post("/bookings", headers=bearer("organiser", subject="other",
                                                         name="Joku"), json={
            "space_id": hall, "title": "Toisen", "starts_at": clash.isoformat(),
            "ends_at": (clash + timedelta(hours=1)).isoformat(), "library_contact": "Sari",
            "accept_house_rules": True})
        assert r.status_code == 201, r.text
    token = bearer("organiser", subject="aino", name="Aino")["Authorization"].removeprefix(
        "Bearer ")

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        await _sign_in(page, url, token,
                       f"/my/spaces?lang=fi&venue_id={main['id']}&day={first.date()}")
        slot = page.locator(f"section.space[data-space='{hall}'] form.slot").first
        await slot.locator("select[name=starts_at]").select_option(
            f"{first.date().isoformat()}T10:00")
        await slot.locator("button").click()
        await page.wait_for_url("**/request?lang=fi*")
        held = page.url.split("/my/bookings/")[1].split("/")[0]

        await page.fill("#r-title", "Kuoroharjoitus")
        await page.fill("#r-library", "Sari")
        await page.check("#r-accept")
        await page.select_option("#r-repeat", "1")
        # No end: refused next to the last day's field, in Finnish, what was typed kept.
        await page.click("button[value=preview]")
        await page.wait_for_selector("#error-repeat_until")
        assert await page.locator("#error-repeat_until").inner_text() == (
            "Anna sarjan viimeinen päivä tai kertojen määrä. Päivä, jota ei ole"
            " kalenterissa (kuten 30.2.), ei kelpaa.")
        assert await page.locator("#r-until").get_attribute("aria-invalid") == "true"
        assert await page.locator("#r-title").input_value() == "Kuoroharjoitus"
        assert await serious_violations(page) == []
        # Four weeks: the third clashes, said before sending.
        await page.fill("#r-count", "4")
        await page.click("button[value=preview]")
        await page.wait_for_selector("#preview-times")
        times = page.locator("#preview-times li")
        assert await times.count() == 4
        assert [await times.nth(i).get_attribute("class") for i in range(4)] == [
            "free", "free", "clash", "free"]
        assert "Tila on jo varattu tuohon aikaan" in await times.nth(2).inner_text()
        assert "3/4 päivää vapaana." in await page.locator("#series").inner_text()
        await _no_sideways_scroll(page)
        for lang in ("fi", "sv", "en"):
            assert await serious_violations(page) == [], lang
        await page.screenshot(path=f"/tmp/my-series-{viewport['width']}.png", full_page=True)

        # Sent: the free three are requested, the clash left out; one row in the list.
        await page.click("#request button[type=submit]:not([value])")
        await page.wait_for_url("**/my/bookings?**")
        status = await page.locator("#status").inner_text()
        assert status.startswith("Sarjan pyyntö lähetetty: 3 kertaa. Jätettiin pois:")
        assert status.endswith(".") and not status.endswith(".."), status  # "24.12." ends it
        rows = page.locator("#bookings tbody tr")
        assert await rows.count() == 1
        row = rows.first
        assert "Sarja, 3 kertaa" in await row.inner_text()
        assert held not in await page.content()  # the hold became the first time
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{url}/my/bookings?lang={lang}")
            assert await serious_violations(page) == [], lang
        await _no_sideways_scroll(page)
        listed_times = await row.locator("ul li a").all_inner_texts()
        # Asked first, in a browser with no script at all: the page names how many times
        # go and which; "Back" leaves every one as it was.
        plain = await browser.new_context(viewport=viewport,  # type: ignore[arg-type]
                                          java_script_enabled=False)
        await plain.add_cookies(await page.context.cookies())  # type: ignore[arg-type]
        bare = await plain.new_page()
        await bare.goto(f"{url}/my/bookings?lang=en")
        await bare.click("button:has-text('Cancel the whole series')")
        await bare.wait_for_url("**/my/series/*/cancel?**")
        assert await bare.locator("h1").inner_text() == "Cancel the series?"
        assert await bare.locator("#cancel-count").inner_text() == \
            "These 3 times will be cancelled:"
        named = await bare.locator("#cancel-times li a").all_inner_texts()
        assert named == listed_times and len(named) == 3
        assert await bare.locator("#cancel-series button").inner_text() == \
            "Yes, cancel 3 times"
        asked = bare.url
        await bare.click("#back")
        await bare.wait_for_url("**/my/bookings?lang=en")
        assert "Series, 3 times" in await bare.locator("#bookings").inner_text()
        assert await bare.locator("#bookings .status-cancelled").count() == 0
        # The question passes axe-core in every language (axe itself needs the script).
        for lang in ("fi", "sv", "en"):
            await page.goto(asked.replace("lang=en", f"lang={lang}"))
            assert await serious_violations(page) == [], lang
        await _no_sideways_scroll(page)
        await page.screenshot(path=f"/tmp/my-series-cancel-{viewport['width']}.png",
                              full_page=True)
        # Asked again, but the desk turns the last time down before the answer: confirming
        # what was shown cancels nothing; the question comes again with the two times left
        # and says why, and only then are they cancelled.
        await bare.click("button:has-text('Cancel the whole series')")
        await bare.wait_for_url("**/my/series/*/cancel?**")
        assert await bare.locator("#cancel-series button").inner_text() == \
            "Yes, cancel 3 times"
        async with httpx.AsyncClient(base_url=url) as http:
            mine = (await http.get("/bookings/mine", headers={
                "Authorization": f"Bearer {token}"})).json()
            last = max((b for b in mine if b["status"] == "requested"),
                       key=lambda b: b["starts_at"])
            r = await http.post(f"/bookings/{last['id']}/reject", headers=desk,
                                json={"reason": "Sali remontissa"})
            assert r.status_code == 200, r.text
        await bare.click("#cancel-series button")
        await bare.wait_for_load_state()
        assert "/my/series/" in bare.url
        assert await bare.locator("#status").inner_text() == (
            "The series has changed since its times were shown (a time was added, cancelled,"
            " moved or decided on). Nothing was cancelled: check the times below as they are"
            " now and confirm again.")
        assert await bare.locator("#cancel-count").inner_text() == \
            "These 2 times will be cancelled:"
        assert await bare.locator("#cancel-times li a").all_inner_texts() == named[:2]
        assert await bare.locator("#cancel-series button").inner_text() == \
            "Yes, cancel 2 times"
        async with httpx.AsyncClient(base_url=url) as http:
            statuses = sorted(b["status"] for b in (await http.get("/bookings/mine", headers={
                "Authorization": f"Bearer {token}"})).json())
        assert statuses == ["cancelled", "rejected", "requested", "requested"]  # the hold first
        # The page asked again (the same form, posted with script this time) passes axe-core
        # in every language.
        for lang in ("fi", "sv", "en"):
            await page.goto(asked.replace("lang=en", f"lang={lang}"))
            await page.evaluate("document.querySelector('#cancel-series input[name=seen]')"
                                ".value = 'shown-before'")
            await page.click("#cancel-series button")
            await page.wait_for_selector("#status p.msg.error")
            assert await page.get_attribute("html", "lang") == lang
            assert await serious_violations(page) == [], lang
        await _no_sideways_scroll(page)
        await page.screenshot(path=f"/tmp/my-series-changed-{viewport['width']}.png",
                              full_page=True)
        # Confirmed as now shown: only now are they cancelled.
        await bare.click("#cancel-series button")
        await bare.wait_for_url("**/my/bookings?**")
        assert await bare.locator("#status").inner_text() == "Series cancelled: 2 times."
        assert await bare.locator("button:has-text('Cancel the whole series')").count() == 0
        await plain.close()

    async with httpx.AsyncClient(base_url=url) as http:
        mine = (await http.get("/bookings/mine", headers={
            "Authorization": f"Bearer {token}"})).json()
    # The hold and the two cancelled, the one the desk turned down.
    assert sorted(b["status"] for b in mine) == ["cancelled"] * 3 + ["rejected"]
