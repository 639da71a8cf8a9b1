"""A venue's contact phone is a phone number like every other (testers: it took 40
characters of anything with a check of its own, while the organiser's, a walk-in's and a
borrower's go through `domain.check_phone`, at most 30 characters). Registering a venue,
changing its contact and loading reference data refuse it by that one rule, as
`contact.phone` with the same words, and keep it trimmed; a number kept before the rule (up
to 40 characters) is still read as it is. Against the in-memory store, through the API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from services.booking import domain, usecases
from services.booking.deps import unit_of_work
from services.booking.domain import Resource, Venue, WeeklyHours
from services.booking.tests.test_usecases import NOW, VENUE, FakeStore, Uow
from shared.auth import mint_token
from shared.clock import FixedClock
from shared.errors import Refusals
from shared.service import get_clock
from tests.apps import unstarted_app

pytestmark = pytest.mark.unit

ADMIN = {"Authorization": "Bearer " + mint_token("admin", ["admin"], [], "Admin")}
DESK = {"Authorization": "Bearer " + mint_token("desk-1", ["desk"], [VENUE], "Tiski")}
BODY: dict[str, Any] = {"name": {"fi": "Neulamäen kirjasto"}, "kind": "library",
                        "area": "kuopio.neulamaki", "municipality": "Kuopio"}
THIRTY_ONE = "040 123 4567 040 123 4567 04012"


class VenueStore(FakeStore):
    """The fake store with venues kept (what the catalogue's use cases need)."""

    def __init__(self) -> None:
        super().__init__()
        self.venues: dict[UUID, Venue] = {}

    async def insert_venue(self, venue: Venue) -> None:
        self.venues[venue.id] = venue

    async def get_venue(self, venue_id: UUID, *, for_update: bool = False) -> Venue | None:
        return self.venues.get(venue_id)

    async def update_venue(self, venue_id: UUID, changes: dict[str, Any],
                           at: datetime) -> None:
        venue = self.venues[venue_id]
        self.venues[venue_id] = replace(venue, revision=venue.revision + 1, **changes)

    async def bump_venue_revision(self, venue_id: UUID, at: datetime) -> None:
        await self.update_venue(venue_id, {}, at)

    async def list_resources(self, venue_ids: Sequence[UUID]) -> list[Resource]:
        return []

    async def venue_resources(self, venue_id: UUID) -> list[Resource]:
        return []

    async def has_weekly_hours(self, venue_id: UUID) -> bool:
        return True

    async def venue_event(self, venue_id: UUID, *, registered: bool, today: Any) -> Any:
        return ("venue", venue_id, registered, (self.venues[venue_id].contact or {}).get("phone"))


@dataclass
class Api:
    http: httpx.AsyncClient
    store: VenueStore
    uow: Uow


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    store = VenueStore()
    uow = Uow(store)
    app = unstarted_app("booking")  # not started: no I/O
    app.dependency_overrides[unit_of_work] = lambda: uow
    app.dependency_overrides[get_clock] = lambda: FixedClock(NOW)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8001") as http:
        yield Api(http, store, uow)


def kept(api: Api) -> Venue:
    return api.store.venues[VENUE]


async def test_registering_refuses_a_venue_phone_by_the_rule_of_every_phone(api: Api) -> None:
    for phone in (THIRTY_ONE, "0" * 40, "soita tiskille", "1 - - (0)"):
        r = await api.http.post("/venues", headers={**ADMIN, "Accept-Language": "en"},
                                json={**BODY, "contact": {"phone": phone}})
        assert r.status_code == 422, (phone, r.text)
        body = r.json()
        assert body["code"] == "phone" and body["detail"][0]["loc"] == ["body", "contact",
                                                                        "phone"], body
        # The organiser's words, naming the limit.
        assert body["message"] == ("The phone number is not valid: write it in digits, for"
                                   " example 044 123 4567, at most 30 characters, or leave"
                                   " the field empty."), body
    # With every other rule the venue breaks, at once.
    r = await api.http.post("/venues", headers={**ADMIN, "Accept-Language": "fi"}, json={
        **BODY, "area": "helsinki.kallio", "contact": {"phone": THIRTY_ONE}})
    assert r.status_code == 422
    assert [(x["field"], x["code"]) for x in r.json()["refusals"]][-1] == (
        "contact.phone", "phone")
    assert len(r.json()["refusals"]) == 2 and r.json()["refusals"][-1]["high"] == 30
    assert api.store.venues == {} and api.store.state.outbox == []

    r = await api.http.post("/venues", headers=ADMIN, json={
        **BODY, "contact": {"phone": " +358 17 182 111 ", "email": "neulamaki@example.fi"}})
    assert r.status_code == 201, r.text
    assert r.json()["contact"] == {"phone": "+358 17 182 111", "email": "neulamaki@example.fi"}
    (venue,) = api.store.venues.values()
    assert venue.contact == {"phone": "+358 17 182 111", "email": "neulamaki@example.fi"}
    thirty = "0" * 30
    r = await api.http.post("/venues", headers=ADMIN, json={**BODY, "contact": {"phone": thirty}})
    assert r.status_code == 201 and r.json()["contact"]["phone"] == thirty


async def test_changing_the_contact_refuses_it_and_a_longer_one_kept_before_is_still_read(
        api: Api) -> None:
    # Kept before the rule: 40 characters the API took then, still read and announced as is.
    old = "017 182 111 (vaihde) / 017 182 112 ilta"
    assert len(old) == 39
    api.store.venues[VENUE] = Venue(VENUE, {"fi": "Kirjasto"}, "library", "kuopio.keskusta",
                                    "Kuopio", False, contact={"phone": old})
    assert (await api.http.get(f"/venues/{VENUE}")).json()["contact"]["phone"] == old
    # A change of the name alone leaves the number as it is.
    r = await api.http.patch(f"/venues/{VENUE}", headers=DESK,
                             json={"name": {"fi": "Pääkirjasto"}})
    assert r.status_code == 200 and r.json()["contact"]["phone"] == old

    r = await api.http.patch(f"/venues/{VENUE}", headers={**DESK, "Accept-Language": "sv"},
                             json={"contact": {"phone": old}})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "phone" and "högst 30 tecken" in r.json()["message"]
    assert r.json()["detail"][0]["loc"] == ["body", "contact", "phone"]
    assert kept(api).contact == {"phone": old}

    r = await api.http.patch(f"/venues/{VENUE}", headers=DESK,
                             json={"contact": {"phone": " 017 182 111 "}})
    assert r.status_code == 200, r.text
    assert kept(api).contact == {"phone": "017 182 111"}
    assert api.store.state.outbox[-1] == ("venue", VENUE, False, "017 182 111")
    # Blank is no number, as an organiser's.
    r = await api.http.patch(f"/venues/{VENUE}", headers=DESK, json={"contact": {"phone": " "}})
    assert r.status_code == 200 and r.json()["contact"]["phone"] is None


async def test_reference_data_is_loaded_by_the_same_rule() -> None:
    store = VenueStore()
    uow, clock = Uow(store), FixedClock(NOW)
    venue = Venue(uuid4(), {"fi": "Kirjasto"}, "library", "kuopio.keskusta", "Kuopio", False,
                  contact={"phone": THIRTY_ONE})
    hours: list[WeeklyHours] = []
    with pytest.raises(Refusals) as refused:
        await usecases.load_venue(uow, clock, venue, [], hours)
    assert [(e.field, e.details["code"], e.details["high"]) for e in refused.value.each] == [
        ("contact.phone", "phone", domain.PHONE_MAX)]
    assert store.venues == {}
    assert await usecases.load_venue(uow, clock, replace(venue, contact={"phone": "017 182 111 "}),
                                     [], hours)
    assert store.venues[venue.id].contact == {"phone": "017 182 111"}


async def test_the_openapi_says_the_rules_length_for_writing_and_the_kept_one_for_reading(
        api: Api) -> None:
    schemas = (await api.http.get("/openapi.json")).json()["components"]["schemas"]
    assert schemas["Contact"]["properties"]["phone"]["maxLength"] == domain.PHONE_MAX
    assert schemas["ContactOut"]["properties"]["phone"]["maxLength"] == 40
    assert schemas["VenueOut"]["properties"]["contact"]["$ref"].endswith("/ContactOut")
