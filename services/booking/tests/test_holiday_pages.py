"""Closing a venue on the public holidays from the API and from the desk's hours page (in
Chromium, checked with axe): the coming holidays closed, a day with the desk's own exception
kept, nothing new the second time, one `venue.updated` for the whole change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.booking.app import spec
from services.booking.tests.desk_browser import sign_in_at_desk
from services.booking.tests.test_api import ADMIN, MAIJA, venue
from services.booking.tests.test_desk_page import attacker_page
from shared.clock import FixedClock
from shared.contracts import BOOKING_TOPIC
from shared.envelope import Envelope
from shared.holidays import closed_days
from tests.infra import Infra, bearer, launch_chromium, read_topic

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")


async def test_the_api_closes_the_coming_holidays_and_keeps_the_desks_own_day(
    start_service, infra: Infra, topic_prefix: str
) -> None:
    client = await start_service(spec)
    client.runtime.clock = FixedClock(datetime(2030, 6, 21, 9, tzinfo=UTC))  # Midsummer Eve
    v, desk = await venue(client)  # open 6–23 every day
    url = f"/venues/{v['id']}/exceptions/public-holidays"
    own = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
        "day": "2030-12-24", "closed": False, "opens": "10:00", "closes": "14:00"})
    assert own.status_code == 201, own.text

    # Only the venue's own desk; only this year or the next.
    other = bearer("desk", venues=("5f0b7a8e-0000-4000-8000-000000000001",), subject="x")
    for who in (other, MAIJA):
        assert (await client.post(url, params={"year": 2030}, headers=who)).status_code == 403
    assert (await client.post(url, params={"year": 2030})).status_code == 401
    for year in (2029, 2032):
        refused = await client.post(url, params={"year": year}, headers=desk)
        assert refused.status_code == 422, refused.text
        said = refused.json()
        assert [(d["loc"][-1], d["msg"]) for d in said["detail"]] == [
            ("year", "year must be 2030 or 2031")]
        assert said["code"] == "holiday_year" and said["years"] == [2030, 2031]
    for odd in ("next", "", "99999"):
        assert (await client.post(url, params={"year": odd}, headers=desk)).status_code == 422

    done = await client.post(url, params={"year": 2030}, headers=desk)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["year"] == 2030
    assert [a["day"] for a in body["added"]] == [
        "2030-06-21", "2030-06-22", "2030-11-02", "2030-12-06", "2030-12-25", "2030-12-26"]
    assert body["added"][-1]["name"] == {"fi": "tapaninpäivä", "sv": "annandag jul",
                                         "en": "Boxing Day"}
    assert body["kept"] == ["2030-12-24"]
    christmas = datetime(2030, 12, 25, 12, tzinfo=HELSINKI).isoformat()
    assert (await client.get(f"/venues/{v['id']}/open",
                             params={"at": christmas})).json()["open"] is False
    eve = datetime(2030, 12, 24, 12, tzinfo=HELSINKI).isoformat()
    assert (await client.get(f"/venues/{v['id']}/open",
                             params={"at": eve})).json()["kind"] == "staffed"  # the desk's

    again = (await client.post(url, params={"year": 2030}, headers=desk)).json()
    assert again["added"] == [] and len(again["kept"]) == 7

    # registered, weekly hours, the desk's Christmas Eve, the holidays: one event for the six
    # days, and none for the run that added nothing.
    records = await read_topic(infra.kafka_bootstrap, topic_prefix + BOOKING_TOPIC, expect=5,
                               timeout=10, settle=1.0)
    told = [Envelope.from_kafka(r.key, r.value, r.headers) for r in records]
    assert [e.type.split(".")[-2] for e in told] == [
        "registered", "updated", "updated", "updated"]
    closed = {x["day"] for x in told[-1].data["exceptions"] if x["opens"] is None}
    assert {"2030-12-25", "2030-11-02"} <= closed


async def test_the_desk_closes_next_years_holidays_from_its_hours_page(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    from tests.axe import serious_violations

    proc = await spawn_service("booking", await fresh_database("booking"))
    url = proc.url
    today = datetime.now(HELSINKI).date()
    async with httpx.AsyncClient(base_url=url) as http:
        created = await http.post("/venues", headers=ADMIN, json={
            "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
            "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila", "en": "Group room"}, "capacity": 12}]})
        assert created.status_code == 201, created.text
        v = created.json()
    desk = bearer("desk", venues=(v["id"],), subject="jynkka-desk", name="Jynkän tiski")
    hours = f"{url}/desk/hours?venue_id={v['id']}"
    coming = len([d for d, _ in closed_days(today.year) if d >= today])
    token = desk["Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport={"width": 1024, "height": 768})
        await sign_in_at_desk(page, url, token, "fi")
        # Another site's form posting to it with the desk's cookie: refused, nothing closed.
        with attacker_page(f"{url}/desk/hours/{v['id']}/public-holidays") as evil:
            await page.goto(evil)
            await page.wait_for_selector("h1")
            assert await page.inner_text("h1") == "Request refused"

        await page.goto(f"{hours}&lang=fi")
        assert await page.locator("tr.exception").count() == 0
        years = page.locator("select[name=year] option")
        assert await years.all_inner_texts() == [str(today.year), str(today.year + 1)]
        assert await serious_violations(page) == []
        await page.select_option("select[name=year]", str(today.year + 1))
        await page.get_by_role("button", name="Sulje juhlapyhinä").click()
        await page.wait_for_selector("#status:not([hidden])")
        assert await page.locator("#status").inner_text() == (
            f"Juhlapyhät {today.year + 1}: 15 päivää suljettu, 0 ennallaan"
            " (päivällä oli jo poikkeus).")

        # In English, this year's: the coming ones closed; next year's again adds nothing.
        await page.goto(f"{hours}&lang=en")
        await page.get_by_role("button", name="Close on public holidays").click()
        await page.wait_for_selector("#status:not([hidden])")
        assert await page.locator("#status").inner_text() == (
            f"Public holidays {today.year}: {coming} days closed, 0 left as they were"
            " (the day already had an exception).")
        await page.select_option("select[name=year]", str(today.year + 1))
        await page.get_by_role("button", name="Close on public holidays").click()
        await page.wait_for_selector(f"#status:has-text('Public holidays {today.year + 1}')")
        assert (await page.locator("#status").inner_text()).endswith(
            ": 0 days closed, 15 left as they were (the day already had an exception).")
        # Every day closed is listed (to the end of next year, as far as the desk closes
        # ahead), each saying its holiday.
        shown = await page.locator("tr.exception").all_inner_texts()
        soon = [(d, n) for y in (today.year, today.year + 1) for d, n in closed_days(y)
                if today <= d]
        assert len(shown) == len(soon) == coming + 15
        assert all(f"Closed all day ({n['en']})" in row for row, (_, n) in zip(
            shown, soon, strict=True))
        assert await serious_violations(page) == []

        # In Swedish, the button reads naturally too.
        await page.goto(f"{hours}&lang=sv")
        assert await page.get_by_role("button", name="Stäng på helgdagarna").count() == 1
        assert await serious_violations(page) == []
