"""Every page a person reaches, and every form on it filled with odd values, is answered below
500 and as a page, never as JSON (the guide's "what people see"): the five services in this
process on the real Kafka and PostgreSQL, with the demo data `./kohtaamo up` loads (Kuopio's
libraries, the family walk, the city's channel accounts and board).

A crawler signs in as each of the people who use the pages (a resident, KANTTI's desk, an
organiser, communications staff) on the sign-in forms, into the pages' cookie sessions,
follows every link of the service it is on, asks each address again with its id and each
query parameter in turn odd, and posts each form it finds: first as the page filled it in, then
with one input at a time (the CSRF token too) replaced by an odd value (empty, NUL, 20,000
characters, impossible dates and numbers, markup, a right-to-left override), then with
every input sent twice. Schemathesis covers the JSON API
the same way (test_api_fuzz.py); the pages are outside the OpenAPI, so they are crawled."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit
from uuid import uuid4

import httpx
import pytest

from services.booking import demo as booking_demo
from services.booking.app import spec as booking
from services.booking.store import BookingStore
from services.events import demo as events_demo
from services.events import usecases as events_usecases
from services.events.app import spec as events
from services.guide.app import spec as guide
from services.metrics.app import spec as metrics
from services.notifications import demo as notifications_demo
from services.notifications.app import spec as notifications
from services.notifications.domain import board_id_for_venue
from shared.auth import mint_token
from shared.clock import SYSTEM_CLOCK
from shared.http import local_path
from shared.uow import PgUnitOfWork
from tests.axe import serious_violations
from tests.infra import eventually, launch_chromium

pytestmark = pytest.mark.infra

#: One input at a time is replaced by each of these.
ODD = ("", " ", "x" * 20_000, "a\x00b", "-1", "99999999999999999999", "NaN", "2026-02-30",
       "9999-12-31T23:59", "25:61", "<script>alert(1)</script>", "ääöå" * 60,
       "not-a-uuid", "\u202e", "²", "https://[x/a.jpg")
#: Addresses a crawl does not follow: signing out ends the session it crawls with, and the
#: API documentation and metrics are not pages of the service's own.
SKIP = re.compile(r"/(docs|redoc|openapi\.json|metrics|asyncapi|logout|sign-out)\b")
#: Each address pattern (ids and days taken out) is visited at most this often.
PER_PATTERN = 2
PAGES_PER_CRAWL = 60
BROWSER = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


class _Page(HTMLParser):
    """A page's links and forms, with each form's inputs as the page fills them in."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action", ""),
                          "method": (a.get("method") or "get").lower(), "inputs": []}
            self.forms.append(self._form)
        elif tag == "option" and self._select and self._form is not None:
            # The option the page selects, else the first one.
            inputs = self._form["inputs"]
            if inputs and inputs[-1][0] == self._select and (
                    "selected" in a or inputs[-1][1] == ""):
                inputs[-1] = (self._select, a.get("value", ""))
        elif self._form is None or not a.get("name"):
            return
        elif tag in ("input", "textarea", "button"):
            kind = a.get("type", "text").lower()
            unticked = kind in ("checkbox", "radio") and "checked" not in a
            self._form["inputs"].append((a["name"], None if unticked else a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
            self._form["inputs"].append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


UUID_IN_PATH = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    path = UUID_IN_PATH.sub("{id}", parts.path)
    path = re.sub(r"\d{4}-\d{2}-\d{2}", "{day}", path)
    names = sorted({q.split("=")[0] for q in parts.query.split("&") if q})
    return f"{path}?{'&'.join(names)}"


@dataclass
class Crawl:
    """What one crawl saw, and every answer that broke the rule."""

    pages: Counter[str] = field(default_factory=Counter)
    forms: set[tuple[str, str]] = field(default_factory=set)
    sent: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)

    def check(self, what: str, answer: httpx.Response) -> None:
        kind = answer.headers.get("content-type", "")
        if answer.status_code >= 500:
            self.broken.append(f"{what} -> {answer.status_code}")
        elif not answer.is_redirect and "text/html" not in kind:
            self.broken.append(f"{what} -> {answer.status_code} {kind}")


#: Links to files and feeds (a calendar, a feed, a PDF, a QR code, a script): read by
#: programs, whose refusals need not be pages.
FILE = re.compile(r"\.(ics|rss|atom|json|svg|pdf|csv|js)$|[?&]format=")


def _own(client: Any, url: str) -> str | None:
    """`url` as an address of the service `client` runs, if it is one: pages link to
    themselves relatively or by the service's public address."""
    parts = urlsplit(url)
    if parts.netloc not in ("test", urlsplit(client.runtime.settings.public_url).netloc):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def _crawl(service: str, client: Any, person: str | None, starts: list[str],
                 crawl: Crawl) -> None:
    """As `person` (a token, signed in on the start's sign-in form into the page's cookie
    session, as people sign in; None: a resident, not signed in)."""
    headers = dict(BROWSER)
    client.cookies.clear()
    if person is not None:
        login, *starts = starts
        signed_in = await client.post(login, headers=headers, data={"token": person})
        assert signed_in.status_code == 303, (service, login, signed_in.text[:300])
        assert client.cookies, (service, login)
    seen: Counter[str] = Counter()
    queue = list(starts)
    visited: set[str] = set()
    while queue and len(visited) < PAGES_PER_CRAWL:
        url = urljoin("http://test/", queue.pop(0)).split("#")[0]
        if url in visited or SKIP.search(urlsplit(url).path) or seen[_pattern(url)] >= PER_PATTERN:
            continue
        seen[_pattern(url)] += 1
        visited.add(url)
        answer = await client.get(url, headers=headers)
        crawl.pages[service] += 1
        if FILE.search(url):
            if answer.status_code >= 500:
                crawl.broken.append(f"GET {url} -> {answer.status_code}")
        elif answer.status_code >= 400 or "text/html" in answer.headers.get("content-type", ""):
            crawl.check(f"GET {url}", answer)  # a page, or a refusal a person reads
        if answer.is_redirect and (on := _own(client, urljoin(url, answer.headers["location"]))):
            queue.append(on)
        if seen[_pattern(url)] == 1 and not FILE.search(url):
            await _odd_queries(client, headers, url, crawl)
        if "text/html" not in answer.headers.get("content-type", ""):
            continue  # a feed, a calendar file, a script: linked, not a page
        asked = parse_qs(urlsplit(url).query).get("lang", [""])[0]
        if asked in ("fi", "sv", "en") and not re.search(
                rf"<html[^>]*\blang=[\"']?{asked}\b", answer.text):
            crawl.broken.append(f"GET {url} -> not in the language asked")
        page = _Page()
        page.feed(answer.text)
        queue += [link for link in (_own(client, urljoin(url, href)) for href in page.links)
                  if link]
        for form in page.forms:
            action = _own(client, urljoin(url, form["action"] or url))
            if action is not None:
                # Where a form filled in as given leads (a hold → its request form) is
                # crawled too.
                queue += await _fill_in(service, client, headers, action, form, crawl)


async def _odd_queries(client: Any, headers: dict[str, str], url: str, crawl: Crawl) -> None:
    """The address with each of its query parameters in turn odd: a link a person edited."""
    parts = urlsplit(url)
    # An id in the path that is unknown, no id at all, or bytes.
    for other in (str(uuid4()), "not-a-uuid", "%00", "%C3%A4" * 50):
        odd_path = UUID_IN_PATH.sub(other, parts.path, count=1)
        if odd_path != parts.path:
            crawl.sent["odd id"] += 1
            crawl.check(f"GET {odd_path[:160]}", await client.get(
                f"{odd_path}?{parts.query}", headers=headers))
    query = parse_qsl(parts.query, keep_blank_values=True)
    for name in dict(query):
        for odd in ODD:
            odd_url = f"{parts.path}?{urlencode([(n, odd if n == name else v) for n, v in query])}"
            crawl.sent["get"] += 1
            crawl.check(f"GET {odd_url[:160]}", await client.get(odd_url, headers=headers))


async def _fill_in(service: str, client: Any, headers: dict[str, str], action: str,
                   form: dict[str, Any], crawl: Crawl) -> list[str]:
    """Post the form every way; return where it led as the page filled it in."""
    # The CSRF token is filled in oddly too: a forged form is refused with a page.
    names = sorted({name for name, _ in form["inputs"]})
    key = (service, f"{form['method']} {_pattern(action)} {[n for n in names if n != 'csrf']}")
    if SKIP.search(urlsplit(action).path) or key in crawl.forms:
        return []
    crawl.forms.add(key)
    led: list[str] = []
    given = [(name, value) for name, value in form["inputs"] if value is not None]
    tries = [given, given + [(name, "twice") for name in names if name != "csrf"]]
    for name in names:
        for odd in ODD:
            filled = [(n, odd if n == name else v) for n, v in given]
            tries.append(filled if any(n == name for n, _ in given) else
                         [*filled, (name, odd)])
    for values in tries:
        if form["method"] == "post":
            answer = await client.post(action, headers={
                **headers, "Content-Type": "application/x-www-form-urlencoded"},
                content=urlencode(values).encode())
        else:
            answer = await client.get(action, headers=headers, params=values)
        crawl.sent[form["method"]] += 1
        what = f"{form['method'].upper()} {action} {dict(values)!r:.160}"
        crawl.check(what, answer)
        # Where the form leads: most pages answer a refusal by a redirect to themselves with
        # its message, and that page must show it.
        if answer.is_redirect and (on := _own(client, urljoin(
                f"http://test{action}", answer.headers["location"]))):
            crawl.check(f"{what} -> GET {on}", await client.get(on, headers=headers))
            if values is given:
                led.append(on)
    return led


async def _odd_kept(pool: Any) -> list[str]:
    """The columns of this database whose text holds what no input should have let in."""
    columns = await pool.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND (data_type IN ('text', 'character varying', "
        "'character', 'json', 'jsonb') OR udt_name IN ('_text', '_varchar'))")
    assert columns, "the database has text columns to look in"
    kept = []
    for table, column in columns:
        found = await pool.fetchval(
            f'SELECT count(*) FROM "{table}" WHERE length("{column}"::text) >= 20000 '
            f'OR strpos("{column}"::text, $1) > 0', "x" * 60)
        if found:
            kept.append(f"{table}.{column}: {found}")
    return kept


async def test_every_page_and_form_answers_a_person_with_a_page(
    start_service: Callable[..., Awaitable[Any]], tmp_path: Path,
) -> None:
    clients = {spec.name: await start_service(spec)
               for spec in (booking, events, notifications, metrics, guide)}
    # The demo data, through the same loaders as `./kohtaamo up`; channel accounts point at
    # an address nothing answers on (the sender is off in tests anyway).
    await booking_demo.load_demo(PgUnitOfWork(clients["booking"].runtime.pool, BookingStore))
    def events_uow() -> Any:
        return events_usecases.unit_of_work(clients["events"].runtime.pool)

    await events_demo.load_demo(events_uow)
    # A second walk by the same organiser, left in the approval queue for its forms.
    queued = {**events_demo.nature_walk(SYSTEM_CLOCK.now()), "id": uuid4()}
    await events_usecases.create_event(events_uow(), SYSTEM_CLOCK, events_demo.DEMO_ORGANISER,
                                       queued)
    waiting = await events_usecases.publish_event(events_uow(), SYSTEM_CLOCK,
                                                  events_demo.DEMO_ORGANISER, queued["id"])
    assert waiting["status"] == "awaiting_approval"
    for platform in ("facebook", "instagram", "mastodon", "bluesky", "email"):
        (tmp_path / platform).write_text("token")
    await notifications_demo.load_demo(clients["notifications"].runtime.pool,
                                       "http://127.0.0.1:9", "127.0.0.1:9", tmp_path)
    walk = f"/registrations/{events_demo.NATURE_WALK}"

    async def walk_known() -> bool:  # the published walk, over Kafka
        return (await clients["notifications"].get(walk, headers=BROWSER)).status_code == 200

    await eventually(walk_known, timeout=60)
    # KANTTI's board shows the demo's digital help from the start (its screen is crawled).
    kantti_feed = f"/boards/{board_id_for_venue(events_demo.KANTTI)}/feed.json"

    async def help_on_kanttis_board() -> bool:
        answer = await clients["notifications"].get(kantti_feed)
        return answer.status_code == 200 and str(events_demo.DIGITAL_HELP) in answer.text

    await eventually(help_on_kanttis_board, timeout=60)

    resident = None
    desk = mint_token("kantti-desk", ["desk"], [booking_demo.demo_id("venue", "kantti")],
                      "KANTTI desk")
    organiser = mint_token("demo-organiser", ["organiser"], [], "Demo Organiser")
    communications = mint_token("demo-comms", ["communications"], [], "Viestintä")
    # An organiser's booking of KANTTI, so the desk and the organiser have one to act on.
    space = booking_demo.demo_id("space", "kantti", "kohtaamo")
    free = (await clients["booking"].get("/first-available", params={
        "space_id": str(space), "minutes": 60})).json()
    assert free, "KANTTI's Kohtaamo room has free time in the coming month"
    asked = await clients["booking"].post("/bookings", headers={
        "Authorization": f"Bearer {organiser}"}, json={
        "space_id": str(space), "starts_at": free[0]["starts_at"],
        "ends_at": free[0]["ends_at"], "title": "Lukupiiri", "accept_house_rules": True,
        "library_contact": "Liisa Kirjasto",
        "organiser": {"name": "Demo Organiser", "email": "demo@example.fi"}})
    assert asked.status_code == 201, asked.text
    # And a slot held, whose request form (with its repeats) the organiser fills in.
    later = (await clients["booking"].get("/first-available", params={
        "space_id": str(space), "minutes": 60, "after": free[0]["ends_at"]})).json()
    held = await clients["booking"].post("/bookings/holds", headers={
        "Authorization": f"Bearer {organiser}"}, json={
        "space_id": str(space), "starts_at": later[0]["starts_at"],
        "ends_at": later[0]["ends_at"]})
    assert held.status_code == 201, held.text

    # The events service last: its organiser's forms cancel the walk, whose sign-up form the
    # notifications service's crawl fills in.
    # A signed-in person's starts begin with the sign-in form's address.
    crawls: dict[str, list[tuple[str | None, list[str]]]] = {
        "booking": [(resident, ["/", "/rules", "/my/login", "/desk/login"]),
                    (desk, ["/desk/login", "/desk", "/desk/spaces", "/desk/loans"]),
                    (organiser, ["/my/login", f"/my/bookings/{held.json()['id']}/request",
                                 "/my", "/my/spaces", "/my/bookings"])],
        "notifications": [(resident, ["/", "/follow", walk, "/staff/login", "/boards"]),
                          (organiser, ["/registrations/login", f"{walk}/participants"]),
                          (communications, ["/staff/login", "/staff"])],
        "metrics": [(resident, ["/", "/dashboard"])],
        "guide": [(resident, ["/", "/widget?lang=sv", "/widget/demo", "/staff/login"]),
                  (desk, ["/staff/login", "/staff/inbox"])],
        "events": [(resident, ["/", "/calendar", "/calendar/year", "/approvals/login",
                               f"/events/{events_demo.NATURE_WALK}/page"]),
                   (communications, ["/approvals/login", "/approvals/queue"]),
                   (organiser, ["/my/login", "/my/activities", "/my/activities/new"])],
    }
    crawl = Crawl()
    for service, people in crawls.items():
        for person, starts in people:
            await _crawl(service, clients[service], person, starts, crawl)
    assert crawl.broken == [], "\n".join(crawl.broken[:40])
    # Nothing odd was kept: no text of any table of any service holds the 20,000 characters
    # the crawl sent into every input, whole or cut short (every input has its bound).
    for service, client in clients.items():
        assert await _odd_kept(client.runtime.pool) == [], service
    # It really crawled: pages of all five services, and forms besides signing in on four
    # (the approval queue's decisions and the walk's sign-up among them).
    assert all(crawl.pages[service] >= 3 for service in crawls), crawl.pages
    beyond_sign_in = Counter(service for service, form in crawl.forms if "login" not in form)
    assert all(beyond_sign_in[s] >= 1 for s in ("booking", "events", "notifications", "guide")
               ), sorted(crawl.forms)
    reached = " ".join(form for _, form in crawl.forms)
    for form in ("/approvals/queue/{id}/approve", "/registrations/{id}?", "/desk/walk-in",
                 "/my/activities/new?"):
        assert form in reached, (form, sorted(crawl.forms))
    assert crawl.sent["post"] >= 500 and crawl.sent["get"] >= 500, crawl.sent
    assert crawl.sent["odd id"] >= 40, crawl.sent


async def test_an_address_no_page_has_is_a_page_for_a_browser_and_json_for_a_client(
    start_service: Callable[..., Awaitable[Any]],
) -> None:
    client = await start_service(notifications)
    # The bare address leads to the service's front page, in the language asked for.
    front = await client.get("/?lang=sv", headers=BROWSER)
    assert front.status_code == 303 and front.headers["location"] == "/follow?lang=sv"
    assert (await client.get("/?lang=de")).headers["location"] == "/follow"

    missing = await client.get("/ei-ole?lang=sv", headers=BROWSER)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Sidan hittades inte" in missing.text and 'href="/follow?lang=sv"' in missing.text
    # No cache gives the page to a client, nor one language's page to another's reader.
    assert missing.headers["vary"] == "Accept, Accept-Language, Cookie"
    assert (await client.get("/ei-ole")).json()["code"] == "not_found"
    not_html = await client.get("/ei-ole", headers={"Accept": "application/json, text/html;q=0"})
    assert not_html.json()["code"] == "not_found"
    # A path that reads as another host (`GET //evil.example`) is no link on the page.
    elsewhere = await client.get("//evil.example/x?lang=fi", headers=BROWSER)
    assert elsewhere.status_code == 404 and "evil.example" not in elsewhere.text
    assert 'href="?lang=sv"' in elsewhere.text
    assert local_path("//evil.example/x") == local_path("/\\evil.example/x") == "/evil.example/x"

    # A query a route refuses names what to fix; a form's refusal says the form is wrong.
    odd = await client.get("/registrations/not-a-uuid?lang=en", headers=BROWSER)
    assert odd.status_code == 422 and 'data-field="event_id"' in odd.text
    # In words a resident reads, not the parameter's name.
    assert "Event: the id is wrong: use the link on the page" in odd.text
    assert "<code>" not in odd.text
    assert "Something in the address is wrong" in odd.text
    # A resident's page is a page whoever asks (curl, a link checker), as every page router's.
    plain = await client.get("/registrations/not-a-uuid")
    assert plain.status_code == 422 and plain.headers["content-type"].startswith("text/html")
    assert "Tapahtuma: tunnus on virheellinen" in plain.text
    # A form posted with a Referer no URL parser reads is refused as foreign, not a 500.
    foreign = await client.post("/follow?lang=fi", data={"email": "a@example.fi"},
                                headers={**BROWSER, "Referer": "http://[oops/"})
    assert foreign.status_code == 403
    assert foreign.headers["content-type"].startswith("text/html")
    wrong_method = await client.delete("/follow?lang=fi", headers=BROWSER)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"].startswith("text/html")
    assert "GET" in wrong_method.headers["allow"]


async def test_the_refusal_pages_read_well_in_a_browser(
    chromium_path: str, spawn_service: Callable[..., Awaitable[Any]],
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    """The pages above in Chromium, with axe-core (WCAG 2.1 AA): an unknown address in
    Swedish, an address the route refuses in English, and a form the route refuses in
    Finnish, each with its way on to the front page."""
    proc = await spawn_service("notifications", await fresh_database("notifications"),
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0"})
    async with launch_chromium(chromium_path) as browser:
        page = await browser.new_page()
        missing = await page.goto(f"{proc.url}/ei-ole?lang=sv")
        assert missing is not None and missing.status == 404
        assert await page.title() == "Sidan hittades inte"
        assert await serious_violations(page) == []

        odd = await page.goto(f"{proc.url}/registrations/not-a-uuid?lang=en")
        assert odd is not None and odd.status == 422
        assert await page.title() == "Something in the address is wrong"
        assert await serious_violations(page) == []

        # A form whose input the route refuses, posted as a browser posts it.
        await page.goto(f"{proc.url}/follow?lang=fi")
        async with page.expect_navigation() as sent:
            await page.evaluate("""() => {
                const form = document.createElement("form");
                form.method = "post"; form.action = "/registrations/not-a-uuid?lang=fi";
                document.body.append(form); form.submit(); }""")
        answer = await sent.value
        assert answer is not None and answer.status == 422
        assert await page.title() == "Lomakkeessa on virhe"
        assert await serious_violations(page) == []
        # The way on is the residents' pages' own start, as on every page router's refusal.
        await page.get_by_role("link", name="Seuraa tapahtumia").click()
        await page.wait_for_url(f"{proc.url}/follow?lang=fi")
