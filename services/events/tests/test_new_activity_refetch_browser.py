"""Back after "Create draft" in a browser that fetches the form anew (its cache disabled,
as a tester's was; no page kept in history) and Create again makes no second draft, nor
does a double click on Create. The form's one-time key is in its address (`?form=`, given
by a redirect from "New activity"), so the form fetched anew carries the key it was sent
with: it says the form was already sent, with a link to the draft it made, and a form sent
again with it opens that draft. A new "New activity" is still a new draft. In fi, sv and en,
in a real browser (Debian's Chromium) against the events service as a process on real
PostgreSQL, with axe-core on the pages touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from services.events import domain
from shared.clock import HELSINKI
from tests.axe import PHONE, passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="noutaja", name="Noutaja")
CREATE = {"fi": "Luo luonnos", "sv": "Skapa utkast", "en": "Create draft"}
SENT = {"fi": "Lähetit tämän lomakkeen jo", "sv": "Du har redan skickat det här formuläret",
        "en": "You already sent this form"}


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


async def _fill(page: Any, name: str, starts: datetime) -> None:
    await page.fill("#f-name-fi", name)
    await page.fill("#f-starts_at", _local(starts))
    await page.fill("#f-ends_at", _local(starts + timedelta(hours=2)))
    await page.select_option("#f-kind", "open_guided")
    await page.select_option("#f-place_kind", "outdoors")
    await page.fill("#f-place_name-fi", "Väinölänniemi")
    await page.select_option("#f-area", "kuopio.keskusta")


async def _refetching_page(browser: Any) -> Any:
    """A page whose every load is fetched from the server: no HTTP cache (routing every
    request turns Playwright's Chromium's cache off, and DevTools' switch says so too)."""
    context = await browser.new_context(viewport=PHONE)
    fetched: list[str] = []

    async def through(route: Any) -> None:
        fetched.append(route.request.url)
        await route.continue_()

    await context.route("**/*", through)
    page = await context.new_page()
    devtools = await context.new_cdp_session(page)
    await devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.fetched = fetched
    return page


async def test_back_to_a_form_fetched_anew_and_create_again_opens_the_same_draft(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    base = proc.url
    starts = (datetime.now(UTC) + timedelta(days=9)).replace(minute=0, second=0,
                                                             microsecond=0)
    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        page = await _refetching_page(browser)
        await page.goto(f"{base}/my/login?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()

        async def total() -> int:
            listed = (await http.get("/events?limit=50", headers=ORGANISER)).json()
            return int(listed["total"])

        for number, lang in enumerate(("fi", "sv", "en"), start=1):
            await page.goto(f"{base}/my/activities?lang={lang}")
            await page.click(f"a[href='/my/activities/new?lang={lang}']")  # "New activity"
            await page.wait_for_selector("#f-name-fi")
            assert f"/my/activities/new?lang={lang}&form=" in page.url, page.url
            once = await page.input_value("input[name=once]")
            assert page.url.endswith(f"form={once}"), (page.url, once)
            await _fill(page, f"Ilta {lang}", starts)
            await page.get_by_role("button", name=CREATE[lang]).click()
            await page.wait_for_url(f"**/my/activities/*-*?lang={lang}")
            first = page.url
            assert await total() == number, lang

            fetched = len(page.fetched)
            await page.go_back()
            await page.wait_for_load_state()
            assert page.fetched[fetched:], "the form was not fetched anew"  # really refetched
            # The form fetched anew knows it was sent: the draft it made, and a new form.
            assert page.url.endswith(f"form={once}"), page.url
            assert SENT[lang] in await page.inner_text("main"), lang
            assert await page.locator("#f-name-fi").count() == 0
            await passes_at_every_width(page, f"sent {lang}")
            await page.click(f"main a[href='{first.removeprefix(base)}']")
            await page.wait_for_url(first)
            assert await total() == number, lang  # no second draft


        # The last draft deleted (its page, the confirmation), Back to its form: still sent.
        address = f"{base}/my/activities/new?lang=en&form={once}"
        await page.goto(f"{first}")
        await page.get_by_role("link", name="Delete the draft").click()
        await page.get_by_role("button", name="Delete the draft").click()
        await page.wait_for_url("**done=deleted**")
        while page.url != address:  # the list, the confirmation, the draft that is gone
            await page.go_back()
        await page.wait_for_load_state()
        assert "the draft it made has since been deleted" in await page.inner_text("main")
        assert await page.locator("#f-name-fi").count() == 0
        await passes_at_every_width(page, "sent, its draft deleted")
        assert await total() == 2

        # "New activity" once more is another form with another key: another draft.
        await page.goto(f"{base}/my/activities?lang=fi")
        await page.click("a[href='/my/activities/new?lang=fi']")
        await page.wait_for_selector("#f-name-fi")
        assert await page.input_value("input[name=once]") != once
        await _fill(page, "Toinen ilta", starts)
        await page.get_by_role("button", name=CREATE["fi"]).click()
        await page.wait_for_url("**/my/activities/*-*?lang=fi")
        assert await total() == 3


async def test_a_double_click_or_two_sendings_at_once_make_one_draft(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    proc = await spawn_service("events", await fresh_database("events"))
    base = proc.url
    starts = (datetime.now(UTC) + timedelta(days=10)).replace(minute=0, second=0,
                                                              microsecond=0)
    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        page = await _refetching_page(browser)
        await page.goto(f"{base}/my/login?lang=sv")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()

        async def total() -> int:
            listed = (await http.get("/events?limit=50", headers=ORGANISER)).json()
            return int(listed["total"])

        for number, lang in enumerate(("fi", "sv", "en"), start=1):
            await page.goto(f"{base}/my/activities/new?lang={lang}")
            await _fill(page, f"Tuplaklikkaus {lang}", starts)
            await page.get_by_role("button", name=CREATE[lang]).dblclick()
            await page.wait_for_url(f"**/my/activities/*-*?lang={lang}")
            await page.wait_for_load_state()
            assert await total() == 2 * number - 1, lang

            # Chromium sends a double click's form once; another browser (or a slow
            # network and a second press) sends it twice, at once: both open one draft.
            await page.goto(f"{base}/my/activities/new?lang={lang}")
            await _fill(page, f"Kahdesti {lang}", starts)
            landed = await page.evaluate("""async () => {
                const form = document.querySelector('main form[method=post]');
                const send = () => fetch(form.action, {method: 'POST',
                                                       body: new FormData(form)});
                const answers = await Promise.all([send(), send()]);
                return answers.map((answer) => [answer.status, answer.url]);
            }""")
            assert landed[0] == landed[1], landed
            assert landed[0][0] == 200 and "/my/activities/" in landed[0][1], landed
            assert await total() == 2 * number, lang


TOO_OLD = {"fi": "Lomake on liian vanha", "sv": "Formuläret är för gammalt",
           "en": "The form is too old"}


async def test_a_form_over_a_month_old_says_it_is_too_old_and_makes_nothing(
        chromium_path: str, spawn_service: Any, fresh_database: Any) -> None:
    """A form handed out over `SENT_FORM_KEPT` ago (its sending, if any, forgotten by the
    events service's pass), fetched anew or sent from a tab kept that long, says it is too
    old, with the way to a new form; nothing is made."""
    proc = await spawn_service("events", await fresh_database("events"))
    base = proc.url
    starts = (datetime.now(UTC) + timedelta(days=9)).replace(minute=0, second=0,
                                                             microsecond=0)
    old = domain.new_form_token(datetime.now(UTC) - domain.SENT_FORM_KEPT - timedelta(days=1))
    async with httpx.AsyncClient(base_url=base) as http, \
            launch_chromium(chromium_path) as browser:
        page = await _refetching_page(browser)
        await page.goto(f"{base}/my/login?lang=fi")
        await page.fill("input[name=token]", ORGANISER["Authorization"].removeprefix("Bearer "))
        await page.click("form button")
        await page.wait_for_load_state()
        for lang in ("fi", "sv", "en"):
            await page.goto(f"{base}/my/activities/new?lang={lang}&form={old}")
            assert await page.inner_text("h1") == TOO_OLD[lang]
            assert await page.locator("#f-name-fi").count() == 0
            await passes_at_every_width(page, f"too old {lang}")
            # The same form kept open in a tab that long, then sent.
            await page.goto(f"{base}/my/activities/new?lang={lang}")
            await _fill(page, f"Vanha {lang}", starts)
            await page.evaluate(f"document.querySelector('input[name=once]').value = '{old}'")
            await page.get_by_role("button", name=CREATE[lang]).click()
            await page.wait_for_load_state()
            assert await page.inner_text("h1") == TOO_OLD[lang]
            await passes_at_every_width(page, f"too old, sent {lang}")
            # Its way on is a new form, which is made.
            await page.click(f"main a[href='/my/activities/new?lang={lang}']")
            await page.wait_for_selector("#f-name-fi")
            assert await page.input_value("input[name=once]") != str(old)
        listed = (await http.get("/events?limit=50", headers=ORGANISER)).json()
        assert listed["total"] == 0
