"""Every booking rule on every way in (issue #12): a request, a hold, a hold's submission, a
weekly series and the desk page's walk-in form each refuse a booking in the past, beyond the
horizon, shorter than the minimum, longer than the maximum, over the open-request limit,
outside opening hours, by an organiser type the seed's rules exclude, and on a taken time.

Against the real database; "now" is the service's clock (a `FixedClock`), moved where a rule
needs time to pass. A few pairs do not apply, and say why (`NOT_APPLICABLE`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from services.booking.app import spec
from services.booking.domain import HELSINKI
from shared.clock import FixedClock
from tests.infra import bearer

from .test_api import ADMIN, KANTTI

pytestmark = pytest.mark.infra

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
#: In three hours: bookable in an overnight space (no opening hours) whenever the test runs.
BASE = NOW + timedelta(hours=3)
#: 14.00 in Helsinki the day after tomorrow: outside the 10–12 hours of the `short` space.
AFTERNOON = datetime.combine((NOW + timedelta(days=2)).astimezone(HELSINKI).date(), time(14),
                             tzinfo=HELSINKI)
ORGANISER = bearer("organiser", subject="rule-maija", name="Maija")
OTHER = bearer("organiser", subject="rule-matti", name="Matti")

RULES = ("past", "horizon", "min_length", "max_length", "open_requests", "opening_hours",
         "organiser_type", "conflict")
ENTRIES = ("request", "hold", "submit", "series", "walk_in")
#: The message that names each rule.
SAYS = {"past": "in the past", "horizon": "days ahead", "min_length": "at least",
        "max_length": "at most", "open_requests": "open requests",
        "opening_hours": "opening hours", "organiser_type": "equal opportunity",
        "conflict": "already booked"}
NOT_APPLICABLE = {
    # A hold is a time only: who organises what is given when it is submitted.
    ("hold", "organiser_type"): "a hold carries no organiser details",
    # The hold itself claims its time, so nobody else can take it before the submission.
    ("submit", "conflict"): "the hold already claims the time",
    # A walk-in is confirmed at once: it adds no open request.
    ("walk_in", "open_requests"): "a walk-in is not an open request",
    # The desk's walk-in is run with the library by a resident (the form has no type).
    ("walk_in", "organiser_type"): "the walk-in form books as a resident with the library",
}
BASE_RULES = {"overnight": True, "hold_minutes": 24 * 60, "buffer_minutes": 0}


class Case:
    """One venue with an overnight space per case (rules changed freely) and a desk."""

    def __init__(self, client: Any, clock: FixedClock) -> None:
        self.client = client
        self.clock = clock

    async def setup(self) -> None:
        created = await self.client.post("/venues", json={**KANTTI, "spaces": []},
                                         headers=ADMIN)
        assert created.status_code == 201, created.text
        self.venue = created.json()["id"]
        self.desk = bearer("desk", venues=(self.venue,), subject="rule-desk", name="Tiski")
        r = await self.client.put(f"/venues/{self.venue}/hours", headers=self.desk, json={
            "weekly": [{"weekday": d, "opens": "06:00", "closes": "23:00"}
                       for d in range(1, 8)]})
        assert r.status_code == 200, r.text

    async def space(self, **rules: Any) -> str:
        r = await self.client.post(f"/venues/{self.venue}/spaces", headers=self.desk, json={
            "name": {"fi": "Tila"}, "rules": {**BASE_RULES, **rules}})
        assert r.status_code == 201, r.text
        return str(r.json()["spaces"][-1]["id"])

    async def rules(self, space: str, **rules: Any) -> None:
        r = await self.client.put(f"/spaces/{space}/rules", headers=self.desk,
                                  json={**BASE_RULES, **rules})
        assert r.status_code == 200, r.text

    async def short_hours_space(self) -> str:
        """A space open 10–12 every day (its own hours), not overnight."""
        space = await self.space(overnight=False)
        r = await self.client.put(f"/venues/{self.venue}/hours", headers=self.desk, json={
            "space_id": space, "weekly": [{"weekday": d, "opens": "10:00", "closes": "12:00"}
                                          for d in range(1, 8)]})
        assert r.status_code == 200, r.text
        return space

    async def request(self, space: str, start: datetime, minutes: int = 60,
                      who: dict[str, str] = ORGANISER, **details: Any) -> Any:
        return await self.client.post("/bookings", headers=who, json=body(
            space, start, minutes, **details))

    async def hold(self, space: str, start: datetime, minutes: int = 60,
                   who: dict[str, str] = ORGANISER) -> Any:
        return await self.client.post("/bookings/holds", headers=who, json={
            "space_id": space, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=minutes)).isoformat()})

    async def submit(self, hold: Any, who: dict[str, str] = ORGANISER, **details: Any) -> Any:
        assert hold.status_code == 201, hold.text
        fields = {k: v for k, v in body("", BASE, 60, **details).items()
                  if k not in ("space_id", "starts_at", "ends_at")}
        return await self.client.post(f"/bookings/{hold.json()['id']}/submit", headers=who,
                                      json=fields)

    async def series(self, space: str, start: datetime, minutes: int = 60,
                     **details: Any) -> Any:
        return await self.client.post("/series", headers=ORGANISER, json={
            **body(space, start, minutes, **details), "repeat": {"count": 2},
            "on_conflict": "reject"})

    async def walk_in(self, space: str, start: datetime, minutes: int = 60) -> Any:
        # The English page: its refusals say what the API's messages say.
        return await self.client.post("/desk/walk-in?lang=en", headers=self.desk, data={
            "space_id": space, "title": "Pikavaraus",
            "starts_at": start.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M"),
            "minutes": str(minutes), "organiser_name": "Liisa",
            "organiser_email": "liisa@example.fi"})


def body(space: str, start: datetime, minutes: int, **details: Any) -> dict[str, Any]:
    return {"space_id": space, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=minutes)).isoformat(), "title": "Kerho",
            "organiser": {"name": "Maija", "email": "maija@example.fi"},
            "library_contact": "Liisa", "accept_house_rules": True, **details}


def refusal(response: Any) -> tuple[int, str]:
    """(status, the message) of a refusal. The desk page answers a booked walk-in with a
    redirect whose message says so, and a refused one with the page again (the rule's status),
    its refusal in the status region or by the form's field."""
    if response.status_code == 303:
        query = parse_qs(urlsplit(response.headers["location"]).query)
        return (400 if query.get("error") == ["1"] else 303), query.get("msg", [""])[0]
    if response.headers.get("content-type", "").startswith("text/html"):
        said = re.search(r'class="(?:msg error|field-error)"[^>]*>([^<]*)<', response.text)
        return response.status_code, html.unescape(said.group(1)) if said else response.text
    return response.status_code, response.text


Scenario = Callable[[Case, str], Awaitable[Any]]


async def scenario(case: Case, entry: str, rule: str) -> Any:
    """Make `entry` meet `rule` broken, and return its answer."""
    c = case
    if rule == "opening_hours":
        space = await c.short_hours_space()
        if entry == "submit":
            space = await c.space(overnight=False)
            hold = await c.hold(space, AFTERNOON)
            r = await c.client.post(f"/venues/{c.venue}/exceptions", headers=c.desk, json={
                "day": AFTERNOON.date().isoformat(), "space_id": space})
            assert r.status_code == 201, r.text
            return await c.submit(hold)
        start = AFTERNOON
    else:
        space = await c.space()
        start = BASE
    minutes = 60
    if rule == "past":
        if entry == "submit":
            hold = await c.hold(space, BASE)
            c.clock.set(BASE + timedelta(minutes=1))
            return await c.submit(hold)
        c.clock.set(BASE + timedelta(minutes=1))
    elif rule == "horizon":
        if entry == "submit":
            hold = await c.hold(space, BASE + timedelta(days=3))
            await c.rules(space, horizon_days=1)
            return await c.submit(hold)
        start = NOW + timedelta(days=179 if entry == "series" else 200)
    elif rule == "min_length":
        if entry == "submit":
            hold = await c.hold(space, BASE)
            await c.rules(space, min_minutes=90)
            return await c.submit(hold)
        minutes = 20
    elif rule == "max_length":
        if entry == "submit":
            hold = await c.hold(space, BASE)
            await c.rules(space, min_minutes=15, max_minutes=45)
            return await c.submit(hold)
        minutes = 300
    elif rule == "open_requests":
        if entry == "submit":
            hold = await c.hold(space, BASE)
            assert (await c.request(space, BASE + timedelta(days=1))).status_code == 201
            await c.rules(space, max_open_requests=1)
            return await c.submit(hold)
        for day in range(3):  # the limit is 3 open requests per organiser and space
            r = await c.request(space, BASE + timedelta(days=day + 20))
            assert r.status_code == 201, r.text
    elif rule == "organiser_type":
        if entry == "submit":
            return await c.submit(await c.hold(space, BASE), organiser_type="party")
        return await (c.request(space, start, organiser_type="party") if entry == "request"
                      else c.series(space, start, organiser_type="party"))
    elif rule == "conflict":
        r = await c.request(space, BASE, who=OTHER)
        assert r.status_code == 201, r.text
    return await {"request": lambda: c.request(space, start, minutes),
                  "hold": lambda: c.hold(space, start, minutes),
                  "series": lambda: c.series(space, start, minutes),
                  "walk_in": lambda: c.walk_in(space, start, minutes)}[entry]()


#: The status each way in answers a broken rule with: a rule of the time or the request is a
#: 422 and a clash a 409 on the API and on the desk page (which shows the page again, with
#: the refusal); a series lists the occurrences it refuses in a 409 (`on_conflict=reject`),
#: each with its reason, but a length is the same for every time: refused as a whole (422).
def expected_status(entry: str, rule: str) -> int:
    if rule in ("open_requests", "conflict"):
        return 409
    if entry == "series" and rule not in ("organiser_type", "min_length", "max_length"):
        return 409
    return 422


@pytest.mark.parametrize("entry", ENTRIES)
async def test_every_rule_holds_on_every_way_in(start_service, entry: str) -> None:
    client = await start_service(spec)
    clock = FixedClock(NOW)
    client.runtime.clock = clock
    case = Case(client, clock)
    await case.setup()
    outcomes = {}
    for rule in RULES:
        if (entry, rule) in NOT_APPLICABLE:
            continue
        clock.set(NOW)
        status, message = refusal(await scenario(case, entry, rule))
        outcomes[rule] = (status, SAYS[rule] in message or SAYS[rule] in message.replace(
            "taken", "already booked"), message[:200])
    expected = {rule: (expected_status(entry, rule), True) for rule in RULES
                if (entry, rule) not in NOT_APPLICABLE}
    assert {rule: o[:2] for rule, o in outcomes.items()} == expected, outcomes


async def test_each_way_in_books_when_every_rule_is_met(start_service) -> None:
    """The scenarios above fail for the rule they break, not for something else: the same
    ways in with every rule met succeed."""
    client = await start_service(spec)
    clock = FixedClock(NOW)
    client.runtime.clock = clock
    case = Case(client, clock)
    await case.setup()
    space = await case.space(max_open_requests=10)
    assert (await case.request(space, BASE)).status_code == 201
    hold = await case.hold(space, BASE + timedelta(days=1))
    assert hold.status_code == 201
    submitted = await case.submit(hold)
    assert submitted.status_code == 200 and submitted.json()["status"] == "requested"
    series = await case.series(space, BASE + timedelta(days=2))
    assert series.status_code == 201 and len(series.json()["created"]) == 2, series.text
    status, message = refusal(await case.walk_in(space, BASE + timedelta(days=3)))
    assert status == 303 and "✓" in message
