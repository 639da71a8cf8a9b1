"""The organiser's request form in-process (no database, no browser): the booking service's
app on the use cases' in-memory store, posting as an organiser with a bearer token. Every
rule's refusal comes back next to the field it concerns, in the page's language, with the
form as typed and nothing stored; the browser test (test_organiser_pages.py) does the same
against PostgreSQL in Chromium."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx
import pytest

from services.booking import usecases
from services.booking.app import spec
from services.booking.deps import unit_of_work
from services.booking.domain import HELSINKI
from services.booking.labels import ERRORS
from services.booking.my_labels import MY
from services.booking.tests.test_desk_forms import Page
from services.booking.tests.test_organiser_usecases import MyStore, my_world
from services.booking.tests.test_usecases import MAIJA, Uow, hold
from shared.auth import mint_token
from shared.clock import FixedClock
from shared.service import create_app, get_clock
from shared.settings import ServiceSettings

ORGANISER = {"Authorization": "Bearer " + mint_token("maija", ["organiser"], [], "Maija")}
SOMEONE = {"Authorization": "Bearer " + mint_token("someone", ["organiser"], [], "Joku")}
#: A request that every rule accepts; each case changes one thing.
GOOD = {"csrf": "unused with a bearer token", "title": "Lukupiiri",
        "organiser_type": "resident", "cooperation": "true", "library_contact": "Sari",
        "contact_name": "Maija", "contact_email": "maija@example.fi",
        "contact_phone": "044 123 4567", "contact_language": "sv",
        "accept_house_rules": "true"}


@dataclass
class Organiser:
    http: httpx.AsyncClient
    uow: Uow
    store: MyStore
    held: UUID
    clock: FixedClock

    async def send(self, lang: str, headers: dict[str, str] | None = None,
                   **changes: str | None) -> httpx.Response:
        form = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
        return await self.http.post(f"/my/bookings/{self.held}/request",
                                    params={"lang": lang}, data=form,
                                    headers=headers or ORGANISER)


@pytest.fixture
async def organiser() -> AsyncIterator[Organiser]:
    uow, store, space, clock = my_world()
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    app = create_app(spec, ServiceSettings(service="booking"))  # not started: no I/O
    app.dependency_overrides[unit_of_work] = lambda: uow
    app.dependency_overrides[get_clock] = lambda: clock
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8001") as http:
        yield Organiser(http, uow, store, held.id, clock)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("changes, input_id, code", [
    ({"accept_house_rules": None}, "r-accept", "house_rules"),
    ({"organiser_type": "party"}, "r-shared", "partisan"),
    ({"library_contact": ""}, "r-library", "library_contact"),
    ({"cooperation": "false"}, "r-cooperation", "cooperation_only"),
    ({"title": "  "}, "r-title", "title"),
    ({"contact_email": "not an address"}, "r-email", "email"),
    ({"contact_phone": "call me"}, "r-phone", "phone"),
])
async def test_each_refusal_is_said_by_its_field_in_the_pages_language(
        organiser: Organiser, lang: str, changes: dict[str, str | None], input_id: str,
        code: str) -> None:
    r = await organiser.send(lang, **changes)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    error = next(k for k in page.by_id if k.startswith("error-"))
    assert page.text[error].strip() == ERRORS[code][lang]
    assert page.by_id[input_id].get("aria-invalid") == "true"
    assert page.autofocus == [input_id]
    assert page.by_id["status"] is not None and not page.text.get("status", "").strip()
    # The form as typed (what was changed too), and nothing stored or remembered.
    assert page.value("r-name") == "Maija" and page.value("r-phone") == (
        changes.get("contact_phone") or GOOD["contact_phone"])
    assert page.selected["r-language"] == "sv"
    assert organiser.store.state.bookings[organiser.held].status == "held"
    assert organiser.store.preferences == {}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_every_refusal_the_form_can_tell_is_said_at_once_with_a_summary(
        organiser: Organiser, lang: str) -> None:
    # Sent empty but for a bad address and a bad count: each is said by its own field on
    # the first answer, not one per try (the house rules no longer wait for the next).
    r = await organiser.send(lang, title="", accept_house_rules=None,
                             contact_email="not an address", repeat="1",
                             repeat_count="999")
    assert r.status_code == 422 and "location" not in r.headers
    page = Page(r.text)
    expected = {"title": ("r-title", "title"), "contact_email": ("r-email", "email"),
                "accept_house_rules": ("r-accept", "house_rules"),
                "repeat_count": ("r-count", "rule_bounds")}
    summary = re.findall(r'<li><a href="#([a-z-]+)">([^<]*)</a></li>', r.text)
    assert [href for href, _ in summary] == ["r-title", "r-email", "r-accept", "r-count"]
    for field, (input_id, code) in expected.items():
        said = page.text[f"error-{field}"].strip()
        prefix = ERRORS[code][lang].split("{")[0]
        assert said.startswith(prefix) and (said == ERRORS[code][lang] or "{" in
                                            ERRORS[code][lang]), field
        assert page.by_id[input_id].get("aria-invalid") == "true", field
        assert f"error-{field}" in str(page.by_id[input_id].get("aria-describedby")), field
        assert html.unescape(dict(summary)[input_id]) == said, field
    # Several refusals: the summary at the top has focus, heading them in the page's language.
    assert page.autofocus == ["refusals"]
    assert page.text["refusals"].strip().startswith(MY[lang]["check_fields"])
    # Fields the form cannot judge alone are left to the use case, which was not asked.
    assert "error-library_contact" not in page.by_id
    assert page.value("r-name") == "Maija" and page.value("r-email") == "not an address"
    assert page.value("r-count") == "999" and page.selected["r-repeat"] == "1"
    assert organiser.store.state.bookings[organiser.held].status == "held"
    assert len(organiser.store.state.bookings) == 1 and organiser.store.preferences == {}


async def test_once_the_form_is_whole_the_use_cases_own_rules_still_refuse(
        organiser: Organiser) -> None:
    # A party in cooperation without the library's contact: the form has nothing to say,
    # the domain's rule (check_details) does, by its field, with the summary linking to it.
    r = await organiser.send("en", organiser_type="party", library_contact="")
    assert r.status_code == 422
    page = Page(r.text)
    assert page.text["error-shared_activity"].strip() == ERRORS["partisan"]["en"]
    assert page.autofocus == ["r-shared"]
    assert '<a href="#r-shared">' in r.text
    assert organiser.store.state.bookings[organiser.held].status == "held"


async def test_a_good_request_is_sent_and_anyone_elses_hold_is_not_found(
        organiser: Organiser) -> None:
    other = await organiser.send("en", headers=SOMEONE)
    assert other.status_code == 404 and "Page not found" in other.text
    assert (await organiser.http.get(f"/my/bookings/{organiser.held}",
                                     headers=SOMEONE)).status_code == 404
    sent = await organiser.send("sv")
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(f"/my/bookings/{organiser.held}?lang=sv&msg=")
    assert organiser.store.state.bookings[organiser.held].status == "requested"
    (remembered,) = organiser.store.preferences.values()
    assert remembered.language == "sv" and remembered.contact_phone == "044 123 4567"
    # The next page opens in the language chosen, without being told.
    mine = await organiser.http.get(f"/my/bookings/{organiser.held}", headers=ORGANISER)
    assert mine.status_code == 200 and '<html lang="sv">' in mine.text
    assert "Lukupiiri" in mine.text and "väntar" in mine.text
    # A language the address names wins over the remembered one, however it is written.
    for tag in ("EN", "en-GB"):
        named = await organiser.http.get(f"/my/bookings/{organiser.held}",
                                         params={"lang": tag}, headers=ORGANISER)
        assert named.status_code == 200 and '<html lang="en">' in named.text, tag


async def test_a_time_taken_meanwhile_is_said_on_the_search_with_the_search_kept(
        organiser: Organiser) -> None:
    held = organiser.store.state.bookings[organiser.held]
    # A repeated choice (two features) and parameters named like the code's own
    # arguments (`path`, `text`) come back as they were, never a server error.
    search = [("day", held.starts_at.date().isoformat()), ("minutes", "60"), ("view", "day"),
              ("lang", "sv"), ("feature", "lift"), ("feature", "induction_loop"),
              ("path", "x"), ("text", "y")]
    r = await organiser.http.post("/my/spaces/hold", params=search, headers=SOMEONE, data={
        "space_id": str(held.space_id), "minutes": "60",
        "starts_at": f"{held.starts_at.astimezone(HELSINKI):%Y-%m-%dT%H:%M}"})
    assert r.status_code == 303
    back = parse_qs(urlsplit(r.headers["location"]).query)
    assert back["day"] == [search[0][1]] and back["error"] == ["1"]
    assert back["feature"] == ["lift", "induction_loop"] and back["lang"] == ["sv"]
    assert back["msg"][0].startswith("Lokalen är redan bokad för den tiden (")
    page = await organiser.http.get(r.headers["location"], headers=SOMEONE)
    assert back["msg"][0] in page.text.replace("&#39;", "'")
    assert len(organiser.store.state.bookings) == 1  # nothing held for the second organiser
