"""An organiser's own pages (/my, issue #16) in a real browser (Debian's Chromium, driven by
Playwright), on the real PostgreSQL and Kafka: sign in, find a space with its terms, hold a
time, see a refusal next to its field in Swedish, send the request, follow it and cancel it;
on a phone and on a desktop, with axe-core on every page in fi, sv and en."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.infra import LOG_DIR, bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

HELSINKI = ZoneInfo("Europe/Helsinki")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}


async def _city(http: httpx.AsyncClient) -> dict[str, Any]:
    """The main library (a paid hall, and a free room with a long cancellation deadline)
    and a branch library, open every day 8–20."""
    main = (await http.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Kuopion pääkirjasto", "sv": "Kuopio huvudbibliotek",
                 "en": "Kuopio main library"},
        "kind": "library", "area": "kuopio.keskusta", "municipality": "Kuopio",
        "has_paid_space": True, "address": "Maaherrankatu 12",
        "accessibility": {"fi": "Esteetön sisäänkäynti", "sv": "Tillgänglig ingång",
                          "en": "Step-free entrance"},
        "contact": {"email": "paakirjasto@example.fi", "phone": "017 182 111"},
        "spaces": [
            {"name": {"fi": "Kokoussali", "sv": "Mötessal", "en": "Meeting hall"},
             "capacity": 40, "equipment": ["projector"], "paid": True,
             "rules": {"price_per_hour": "30.00"}},
            {"name": {"fi": "Hiljainen huone", "sv": "Tyst rum", "en": "Quiet room"},
             "capacity": 6, "rules": {"cancellation_hours": 720}},
        ]})).json()
    branch = (await http.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek", "en": "Jynkkä library"},
        "kind": "library", "area": "kuopio.jynkka", "municipality": "Kuopio",
        "spaces": [{"name": {"fi": "Ryhmätila", "sv": "Grupprum", "en": "Group room"},
                    "capacity": 12, "rules": {"self_service": True}}]})).json()
    for venue in (main, branch):
        desk = bearer("desk", venues=(venue["id"],), subject=f"desk-{venue['id']}")
        r = await http.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)] + [
            {"weekday": d, "opens": "20:00", "closes": "22:00", "kind": "self_service"}
            for d in range(1, 8) if venue is branch]})
        assert r.status_code == 200, r.text
    return {"main": main, "branch": branch}


async def _sign_in(page: Any, url: str, token: str, path: str) -> None:
    from tests.axe import serious_violations

    await page.goto(f"{url}{path}")
    await page.wait_for_url("**/my/login?**")
    assert await serious_violations(page) == []
    await page.fill("input[name=token]", token)
    await page.click("button")
    await page.wait_for_url(f"{url}{path}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_an_organiser_finds_holds_requests_and_cancels(
    viewport: dict[str, int], chromium_path: str, spawn_service, fresh_database
) -> None:
    from shared.l10n import day_full
    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        city = await _city(http)
    main = city["main"]
    hall = main["spaces"][0]["id"]
    day = (datetime.now(HELSINKI) + timedelta(days=3)).date()
    token = bearer("organiser", subject="kuopion-shakki", name="Aino Organiser")[
        "Authorization"].removeprefix("Bearer ")

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        await _sign_in(page, url, token, "/my/spaces?lang=sv")
        assert "token" not in page.url
        assert await page.locator("h1").inner_text() == "Hitta en lokal"

        # The main library, a day three days on: the hall's price and the rule for a
        # resident (free with the library, or paid rental) are said before asking.
        await page.fill("#f-day", day.isoformat())
        await page.select_option("#f-venue", main["id"])
        await page.click("form.card button[type=submit]")
        await page.wait_for_url(f"**venue_id={main['id']}**")
        card = page.locator(f"section.space[data-space='{hall}']")
        text = await card.inner_text()
        assert "30,00 € / timme" in text.replace("\xa0", " ")
        assert "avgiftsfritt i samarbete med biblioteket" in text
        assert "lagligt och drogfritt" in text  # the house rules
        assert day_full(day, "sv") in text
        assert await page.locator("section.space").count() == 2  # the branch is not shown
        assert await serious_violations(page) == []
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(LOG_DIR / f"my-spaces-{viewport['width']}.png"),
                              full_page=True)

        # A free time chosen: held, and the request's form says until when.
        slot = card.locator("form.slot").first
        await slot.locator("select[name=starts_at]").select_option(f"{day.isoformat()}T10:00")
        await slot.locator("button").click()
        await page.wait_for_url("**/my/bookings/*/request?lang=sv*")
        booking_id = page.url.split("/my/bookings/")[1].split("/")[0]
        assert "Tiden är reserverad för dig till kl." in await page.inner_text("main")
        assert await page.locator("#r-name").input_value() == "Aino Organiser"
        assert await serious_violations(page) == []

        # Sent as it opens (no title, the house rules not ticked, a mistyped address), by a
        # party in cooperation without shared activity or the library's contact person:
        # every refusal at once, the form's own and the rules between the fields alike,
        # each by its field, and a summary at the top that has focus and leads to them.
        await page.fill("#r-email", "aino@")
        await page.select_option("#r-type", "party")
        await page.click("#request button[type=submit]:not([value])")
        await page.wait_for_selector("#refusals")
        assert await focused_id(page) == "refusals"
        for field, input_id in (("title", "r-title"), ("shared_activity", "r-shared"),
                                ("library_contact", "r-library"),
                                ("contact_email", "r-email"),
                                ("accept_house_rules", "r-accept")):
            assert await page.locator(f"#error-{field}").is_visible(), field
            assert await page.locator(f"#{input_id}").get_attribute("aria-invalid") == "true"
        assert await page.locator("#error-library_contact").inner_text() == (
            "Ett evenemang i samarbete med biblioteket behöver en kontaktperson på"
            " biblioteket.")
        links = page.locator("#refusals a")
        assert [await links.nth(i).get_attribute("href") for i in range(await links.count())
                ] == ["#r-title", "#r-shared", "#r-library", "#r-email", "#r-accept"]
        assert await page.locator("#r-email").input_value() == "aino@"
        assert await serious_violations(page) == []
        await page.screenshot(path=str(LOG_DIR / f"my-request-all-{viewport['width']}.png"),
                              full_page=True)
        await links.nth(4).click()
        assert await focused_id(page) == "r-accept"

        # A resident in cooperation, still without the library's contact person: the one
        # refusal left next to its field, in Swedish, with what was typed kept.
        await page.select_option("#r-type", "resident")
        await page.fill("#r-title", "Schackklubb")
        await page.fill("#r-email", "aino@example.fi")
        await page.fill("#r-phone", "044 123 4567")
        await page.select_option("#r-language", "sv")
        await page.check("#r-accept")
        await page.click("#request button[type=submit]")
        await page.wait_for_selector("#error-library_contact")
        assert await page.locator("#error-library_contact").inner_text() == (
            "Ett evenemang i samarbete med biblioteket behöver en kontaktperson på"
            " biblioteket.")
        assert await page.locator("#r-library").get_attribute("aria-invalid") == "true"
        assert await page.locator("#r-title").input_value() == "Schackklubb"
        assert await page.locator("#r-email").input_value() == "aino@example.fi"
        assert await page.locator("#r-accept").is_checked()
        assert await serious_violations(page) == []
        await page.screenshot(path=str(LOG_DIR / f"my-request-{viewport['width']}.png"),
                              full_page=True)
        if viewport is PHONE:  # the refused field is on screen, not cut
            box = await page.locator("#error-library_contact").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

        # Paid rental instead: sent, and the booking says its price and reference number.
        await page.check("input[name=cooperation][value=false]")
        await page.click("#request button[type=submit]")
        await page.wait_for_url(f"**/my/bookings/{booking_id}?**")
        assert await page.locator("#status").inner_text() == \
            "Förfrågan skickad. Biblioteket bekräftar den."
        assert await page.locator("#b-status").inner_text() == "väntar"
        assert (await page.locator("#b-price").inner_text()).replace("\xa0", " ") == "30,00 €"
        reference = await page.locator("#b-reference").inner_text()
        assert reference.isdigit() and len(reference) >= 4
        assert await serious_violations(page) == []

        await page.click("text=Mina bokningar")
        await page.wait_for_url("**/my/bookings?lang=sv")
        row = page.locator(f"tr[data-booking='{booking_id}']")
        assert "Schackklubb" in await row.inner_text()
        assert "väntar" in await row.inner_text()
        assert await serious_violations(page) == []

        await row.locator("a", has_text="Schackklubb").click()
        await page.wait_for_url(f"**/my/bookings/{booking_id}?lang=sv")
        await page.click("button:has-text('Avboka')")
        # It asks first, naming the booking; nothing is cancelled until that is answered.
        await page.wait_for_url(f"**/my/bookings/{booking_id}/cancel?lang=sv")
        assert await page.locator("h1").inner_text() == "Avboka bokningen?"
        assert "Schackklubb" in await page.locator("#cancel-booking-facts").inner_text()
        assert await serious_violations(page) == []
        await page.click("button:has-text('Ja, avboka')")
        await page.wait_for_url(f"**/my/bookings/{booking_id}?**")
        assert await page.locator("#status").inner_text() == "Bokningen avbokad."
        assert await page.locator("#b-status").inner_text() == "avbokad"
        await page.screenshot(path=str(LOG_DIR / f"my-booking-{viewport['width']}.png"),
                              full_page=True)

        # Every page in each language: no serious or critical WCAG 2.1 AA violation. A
        # second hold for the request form, let go at the end.
        await page.goto(f"{url}/my/spaces?lang=fi&venue_id={main['id']}&day={day}")
        slot = page.locator(f"section.space[data-space='{hall}'] form.slot").first
        await slot.locator("button").click()
        await page.wait_for_url("**/request?lang=fi*")
        held = page.url.split("/my/bookings/")[1].split("/")[0]
        held_from_search = page.url
        for lang in ("fi", "sv", "en"):
            for path in (f"/my/spaces?day={day}", f"/my/bookings/{held}/request",
                         "/my/bookings", f"/my/bookings/{booking_id}"):
                await page.goto(f"{url}{path}{'&' if '?' in path else '?'}lang={lang}")
                assert await page.get_attribute("html", "lang") == lang
                assert await serious_violations(page) == [], (lang, path)
        await page.goto(held_from_search.replace("lang=fi", "lang=en"))
        await page.click("button:has-text('Let the time go')")
        await page.wait_for_url("**/my/spaces?**")
        assert await page.locator("#status").inner_text() == "Time let go."
        # Back on the search the time was chosen from, not an empty one.
        assert f"venue_id={main['id']}" in page.url and f"day={day}" in page.url

    async with httpx.AsyncClient(base_url=url) as http:
        mine = (await http.get("/bookings/mine", headers={
            "Authorization": f"Bearer {token}"})).json()
    assert {b["id"]: b["status"] for b in mine} == {booking_id: "cancelled",
                                                   held: "cancelled"}


async def test_own_bookings_only_deadlines_series_calendar_and_what_is_remembered(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    from shared.l10n import day_full
    from tests.axe import serious_violations

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn, env={
        "KOHTAAMO_PUBLIC_EVENTS_URL": "https://tapahtumat.example.fi"})
    url = proc.url
    aino = bearer("organiser", subject="aino", name="Aino")
    other = bearer("organiser", subject="someone-else", name="Joku")
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=2)).date(), time(12),
                             HELSINKI)
    async with httpx.AsyncClient(base_url=url) as http:
        city = await _city(http)
        main = city["main"]
        hall, quiet = (s["id"] for s in main["spaces"])
        desk = bearer("desk", venues=(main["id"],), subject="main-desk")

        async def book(who: dict[str, str], space: str, at: datetime, **extra: Any
                       ) -> dict[str, Any]:
            r = await http.post(extra.pop("path", "/bookings"), headers=who, json={
                "space_id": space, "title": extra.pop("title", "Lukupiiri"),
                "starts_at": at.isoformat(),
                "ends_at": (at + timedelta(hours=1)).isoformat(),
                "library_contact": "Sari", "accept_house_rules": True, **extra})
            assert r.status_code == 201, r.text
            return r.json()  # type: ignore[no-any-return]

        # Within the quiet room's 30-day deadline: the desk must be asked.
        late = await book(aino, quiet, start)
        confirmed = await book(aino, hall, start + timedelta(hours=3), title="Shakki")
        assert (await http.post(f"/bookings/{confirmed['id']}/confirm",
                                headers=desk)).status_code == 200
        series = await book(aino, hall, start + timedelta(days=1), title="Kuoro",
                            path="/series", repeat={"count": 3})
        theirs = await book(other, hall, start + timedelta(hours=6), title="Toisen")
        # The branch's evening is self-service: a door code once confirmed.
        branch = city["branch"]
        evening = await book(aino, branch["spaces"][0]["id"], start.replace(hour=20, minute=30),
                             title="Iltalukupiiri")
        branch_desk = bearer("desk", venues=(branch["id"],), subject="branch-desk")
        assert (await http.post(f"/bookings/{evening['id']}/confirm",
                                headers=branch_desk)).status_code == 200

    token = aino["Authorization"].removeprefix("Bearer ")
    async with launch_chromium(chromium_path) as browser:
        context = await browser.new_context(viewport=PHONE, accept_downloads=True)  # type: ignore[arg-type]
        page = await context.new_page()
        # An email's link to a booking leads there after signing in.
        await _sign_in(page, url, token, f"/my/bookings/{late['id']}?lang=en")
        desk_box = await page.locator("#b-desk").inner_text()
        assert "The cancellation deadline has passed" in desk_box
        assert "017 182 111" in desk_box and "paakirjasto@example.fi" in desk_box
        assert await page.locator("button:has-text('Cancel the booking')").count() == 0

        # Someone else's booking is not found, and says nothing of it.
        response = await page.goto(f"{url}/my/bookings/{theirs['id']}?lang=en")
        assert response is not None and response.status == 404
        assert "Toisen" not in await page.content()
        assert await page.locator("h1").inner_text() == "Page not found"
        for path in (f"/my/bookings/{theirs['id']}/booking.ics",
                     f"/my/bookings/{theirs['id']}/request"):
            assert (await page.goto(f"{url}{path}")).status == 404  # type: ignore[union-attr]

        # A confirmed booking: its calendar entry and the way to write its activity.
        await page.goto(f"{url}/my/bookings/{confirmed['id']}?lang=en")
        assert await page.locator("#b-activity").get_attribute("href") == \
            f"https://tapahtumat.example.fi/my/activities/new?booking={confirmed['id']}&lang=en"
        async with page.expect_download() as info:
            await page.click("text=Add to calendar (.ics)")
        ics = (await (await info.value).path()).read_text()  # type: ignore[union-attr]
        assert "SUMMARY:Shakki" in ics and "STATUS:CONFIRMED" in ics

        await page.goto(f"{url}/my/bookings/{evening['id']}?lang=fi")
        code = await page.locator("#b-code").inner_text()
        assert code.isdigit() and len(code) == 6
        assert await serious_violations(page) == []

        # A series is one row with its times.
        await page.goto(f"{url}/my/bookings?lang=en")
        series_row = page.locator(f"tr[data-booking='{series['created'][0]['id']}']")
        assert "Series, 3 times" in await series_row.inner_text()
        assert await page.locator("tr:has-text('Toisen')").count() == 0
        assert await serious_violations(page) == []

        # A week at a time: seven days per space, the first one the day asked for. The
        # hall's three open requests (the series) are as many as it allows: it is said so,
        # with no days to choose from; the quiet room has its week.
        await page.goto(f"{url}/my/spaces?lang=en&venue_id={main['id']}&view=week"
                        f"&day={start.date()}")
        hall_box = page.locator(f"section.space[data-space='{hall}']")
        assert await hall_box.locator(".day").count() == 0
        assert "You already have 3 open requests for this space" in await hall_box.locator(
            ".at-limit").inner_text()
        quiet_days = page.locator(f"section.space[data-space='{quiet}'] .day h4")
        assert await quiet_days.count() == 7
        assert await quiet_days.first.inner_text() == day_full(start.date(), "en")
        assert await serious_violations(page) == []
        await page.click("text=Next week →")
        await page.wait_for_url(f"**day={start.date() + timedelta(days=7)}**")
        assert await quiet_days.first.inner_text() == day_full(
            start.date() + timedelta(days=7), "en")
        assert "view=week" in page.url and f"venue_id={main['id']}" in page.url

        # What is given with a request is remembered: the next form starts from it, and the
        # pages open in the language chosen for the messages.
        await page.goto(f"{url}/my/spaces?lang=en&venue_id={main['id']}"
                        f"&day={(start + timedelta(days=10)).date()}")
        await page.locator(f"section.space[data-space='{quiet}'] form.slot button").first.click()
        await page.wait_for_url("**/request?lang=en*")
        await page.fill("#r-title", "Lukupiiri")
        await page.fill("#r-library", "Sari")
        await page.fill("#r-email", "aino@example.fi")
        await page.fill("#r-phone", "044 765 4321")
        await page.select_option("#r-language", "sv")
        await page.check("#r-accept")
        await page.click("#request button[type=submit]")
        await page.wait_for_url("**/my/bookings/*?**")
        await page.goto(f"{url}/my/spaces?venue_id={main['id']}"
                        f"&day={(start + timedelta(days=11)).date()}")
        assert await page.get_attribute("html", "lang") == "sv"
        await page.locator(f"section.space[data-space='{quiet}'] form.slot button").first.click()
        await page.wait_for_url("**/request?lang=sv*")
        assert await page.locator("#r-email").input_value() == "aino@example.fi"
        assert await page.locator("#r-phone").input_value() == "044 765 4321"
        assert await page.locator("#r-language").input_value() == "sv"
        assert await page.locator("#r-title").input_value() == ""  # each booking its own


async def test_the_pages_need_an_organiser_sign_in(spawn_service, fresh_database) -> None:
    proc = await spawn_service("booking", await fresh_database("booking"))
    async with httpx.AsyncClient(base_url=proc.url) as http:
        r = await http.get("/my/bookings?lang=sv")
        assert r.status_code == 303
        assert r.headers["location"].startswith("/my/login?lang=sv&next=%2Fmy%2Fbookings")
        desk = await http.get("/my/bookings", headers=bearer("desk"))
        assert desk.status_code == 303  # a desk token is no organiser's
        # Sign-in goes on only to the organiser's own pages.
        login = await http.post("/my/login?next=https://evil.example/", data={
            "token": bearer("organiser")["Authorization"].removeprefix("Bearer ")})
        assert login.status_code == 303 and login.headers["location"] == "/my/bookings?lang=fi"
        assert login.headers["set-cookie"].startswith("kohtaamo_organiser_session=")
        assert "Path=/my" in login.headers["set-cookie"]
        # A form from elsewhere is refused, whatever its cookie.
        forged = await http.post("/my/spaces/hold", headers={"Origin": "https://evil.example"},
                                 data={"space_id": str(uuid4()), "minutes": "60",
                                       "starts_at": "2031-03-05T10:00"})
        assert forged.status_code == 403
        # An odd form is said on the search, naming what to fix, not JSON nor a bare page.
        odd = await http.post("/my/spaces/hold?lang=en", data={"space_id": "x"},
                              headers=bearer("organiser", subject="odd"))
        assert odd.status_code == 303, odd.text
        said = parse_qs(urlsplit(odd.headers["location"]).query)
        assert urlsplit(odd.headers["location"]).path == "/my/spaces" and said["error"] == ["1"]
        assert said["msg"] == ["The choice is not one of those offered: choose one from the"
                               " list. The start time is not valid: give a date and a time."]

        # However odd the address or the form, never a 5xx and never JSON.
        me = bearer("organiser", subject="odd")
        for query in ("day=0001-01-01", "day=9999-12-31&view=week", "not_before=25:99",
                      "not_before=x", "capacity=abc", "capacity=0", "capacity=99999999",
                      "venue_id=x", "view=year", "organiser_type=zzz", "lang=de",
                      "minutes=5", "minutes=x", "equipment=" + "x" * 200, "area=%00"):
            r = await http.get(f"/my/spaces?{query}", headers=me)
            assert r.status_code < 500 and r.headers["content-type"].startswith("text/html"), \
                (query, r.status_code)
        # An area that is not one of the city's, or not text, is an input to mend (it was
        # read as a search that found nothing, or as no area): by its list on the search.
        for area in ("%FF", "kuopio.atlantis"):
            r = await http.get(f"/my/spaces?area={area}&lang=en", headers=me)
            assert r.status_code == 422 and 'id="error-area"' in r.text, (area, r.text)
            assert "Area: choose one of the options on the page" in r.text, r.text
            # The page in another language asks again for what was asked, as it was sent.
            assert f'href="/my/spaces?area={area.replace("%FF", "%EF%BF%BD")}&amp;lang=fi"' \
                in r.text, r.text
        # Each input by the form's own label ("People", not "Number of people"); an
        # organiser type the form never offered is refused, not read as another. (Equipment
        # is each space's own words: one no space has finds nothing, truthfully.)
        for query, said in (("capacity=0", "People: "), ("minutes=7", "Length: "),
                            ("venue_id=nope", "Library: "), ("view=x", "Show: "),
                            ("organiser_type=zzz", "I organise as: ")):
            r = await http.get(f"/my/spaces?{query}&lang=en", headers=me)
            assert r.status_code == 422 and said in r.text, (query, r.status_code, r.text)
        # What each takes, in the page's language (was "check this").
        for query, said in (("capacity=0&lang=fi", "Osallistujia: anna luku väliltä 1–100"),
                            ("not_before=kl.6&lang=sv",
                             "Tidigast kl.: ange ett klockslag, t.ex. 18:00"),
                            # A time no clock shows is said to be one, in the words of
                            # the walk-in, the hold and the hours forms.
                            ("not_before=25:00&lang=sv",
                             "Tidigast kl.: klockslaget 25:00 finns inte: timmarna är 0–23 "
                             "och minuterna 0–59 (midnatt är följande dags 0:00).")):
            r = await http.get(f"/my/spaces?{query}", headers=me)
            assert r.status_code == 422 and said in r.text, (query, r.status_code, r.text)
        for form in ({"space_id": str(uuid4()), "starts_at": "9999-12-31T23:30",
                      "minutes": "60"},
                     {"space_id": str(uuid4()), "starts_at": "tomorrow", "minutes": "60"},
                     {"space_id": str(uuid4()), "starts_at": "2031-03-05T10:00",
                      "minutes": "99999"}):
            r = await http.post("/my/spaces/hold", headers=me, data=form)
            assert r.status_code < 500, (form, r.status_code)
        for path in (f"/my/bookings/{uuid4()}", f"/my/bookings/{uuid4()}/request",
                     f"/my/bookings/{uuid4()}/booking.ics", "/my/bookings/x"):
            r = await http.get(path, headers=me)
            assert r.status_code in (404, 422) and "text/html" in r.headers["content-type"]
        r = await http.post(f"/my/bookings/{uuid4()}/request", headers=me,
                            data={"title": "x" * 5000, "contact_email": "@"})
        assert r.status_code == 404


async def test_what_is_remembered_goes_when_the_organiser_is_anonymised(start_service) -> None:
    """Migration 007's row is the organiser's personal data: kept by the pages' use case
    and deleted with the organiser's name and addresses."""
    from services.booking import usecases
    from services.booking.app import spec
    from services.booking.jobs import anonymise_organisers
    from services.booking.store import BookingStore
    from services.booking.tests.test_api import MAIJA, TOMORROW, venue
    from services.booking.usecases import organiser as my
    from shared.auth import verify_token
    from shared.clock import FixedClock
    from shared.uow import PgUnitOfWork

    client = await start_service(spec)
    v, _ = await venue(client)
    space = v["spaces"][0]["id"]
    held = await client.post("/bookings/holds", headers=MAIJA, json={
        "space_id": space, "starts_at": TOMORROW.isoformat(),
        "ends_at": (TOMORROW + timedelta(hours=1)).isoformat()})
    assert held.status_code == 201, held.text
    principal = verify_token(MAIJA["Authorization"].removeprefix("Bearer "))
    uow = PgUnitOfWork(client.runtime.pool, BookingStore)
    await my.submit_my_request(uow, client.runtime.clock, principal, UUID(held.json()["id"]),
                               usecases.RequestDetails(
                                   title="Lukupiiri", accept_house_rules=True,
                                   library_contact="Sari",
                                   organiser=usecases.OrganiserDetails(
                                       "Maija", "maija@example.fi", "044 123 4567", "en")))
    remembered = await my.my_preferences(uow, principal)
    assert remembered is not None and remembered.language == "en"
    assert remembered.contact_phone == "044 123 4567"
    await client.post(f"/bookings/{held.json()['id']}/cancel", headers=MAIJA, json={})
    client.runtime.clock = FixedClock(TOMORROW + timedelta(days=3))
    assert await anonymise_organisers(client.runtime, retention_days=1) == 1
    assert await client.runtime.pool.fetchval(
        "SELECT count(*) FROM organiser_preferences") == 0


async def test_a_search_wrong_in_several_inputs_is_said_at_once_in_the_browser(
    chromium_path: str, spawn_service, fresh_database
) -> None:
    """A search typed with a number of people and a start time the form cannot take, sent
    past the browser's own checks (an old bookmark is the same), and an address naming an
    area that is none of the city's: every refusal by its input in one answer, the summary
    has focus and leads to each, what was typed kept, axe-core clean on a phone (no
    sideways scroll at 320 px) and a desktop."""
    from tests.axe import passes_at_every_width

    dsn = await fresh_database("booking")
    proc = await spawn_service("booking", dsn)
    url = proc.url
    async with httpx.AsyncClient(base_url=url) as http:
        await _city(http)
    token = bearer("organiser", subject="kuopion-shakki", name="Aino Organiser")[
        "Authorization"].removeprefix("Bearer ")

    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page(viewport=DESKTOP)
        await _sign_in(page, url, token, "/my/spaces?lang=fi&area=kuopio.atlantis")
        assert await focused_id(page) == "f-area"
        await page.evaluate("document.querySelector('form.card').noValidate = true")
        await page.evaluate("""() => { const c = document.querySelector('#f-capacity');
            c.type = 'text'; c.value = 'kymmenen'; }""")
        await page.evaluate("document.querySelector('#f-type option').value = 'pirate'")
        await page.click("form.card button[type=submit]")
        await page.wait_for_selector("#search-refusals")
        assert await focused_id(page) == "search-refusals"
        links = page.locator("#search-refusals a")
        assert [await links.nth(i).get_attribute("href") for i in range(await links.count())
                ] == ["#f-capacity", "#f-type"]
        assert await page.locator("#error-capacity").inner_text() == \
            "Osallistujia: anna luku väliltä 1–100\u00a0000."
        assert await page.locator("#f-capacity").get_attribute("aria-invalid") == "true"
        assert await page.locator("#results-title").count() == 0
        await passes_at_every_width(page, "a refused space search")
        await page.screenshot(path=str(LOG_DIR / "my-spaces-refused.png"), full_page=True)
        await page.set_viewport_size(DESKTOP)
        await links.nth(1).click()
        assert await focused_id(page) == "f-type"
