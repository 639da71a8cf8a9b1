"""Every rule a request breaks is refused at once (the last review: a resident fixed one
rule, sent again, and only then learnt the next). The domain returns every broken rule, each
use case refuses the request as a whole with all of them and stores nothing, and the API's
422 keeps its shape (the first rule in `detail`, `code` and the rule's details, as before)
and names every rule in `refusals`, each with its field. Against the in-memory store; the
form that shows them is test_organiser_forms.py's, the browser's test_organiser_pages.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import httpx
import pytest

from services.booking import domain, usecases
from services.booking.deps import unit_of_work
from services.booking.domain import Refusals, Space
from services.booking.tests.test_usecases import (
    DESK,
    MAIJA,
    TOMORROW_2PM,
    FakeStore,
    Uow,
    command,
    details,
    hold,
    world,
)
from shared.auth import mint_token
from shared.clock import FixedClock
from shared.errors import Conflict
from shared.service import get_clock
from tests.apps import unstarted_app

pytestmark = pytest.mark.unit

#: A party in cooperation with the library, without shared activity or the library's
#: contact person, the house rules not accepted: three rules between the fields at once.
PARTY = {"organiser_type": "party", "library_contact": " ", "accept_house_rules": False}
THREE = [("accept_house_rules", "house_rules"), ("shared_activity", "partisan"),
         ("library_contact", "library_contact")]


def said(exc: BaseException) -> list[tuple[str | None, Any]]:
    assert isinstance(exc, Refusals), exc
    return [(e.field, e.details["code"]) for e in exc.each]


def untouched(store: FakeStore, before: Any) -> None:
    """Nothing stored: the bookings, claims and events as they were."""
    assert store.state.bookings == before.bookings
    assert store.state.claims == before.claims and store.state.outbox == before.outbox


async def test_submitting_a_hold_refuses_every_rule_at_once_and_keeps_the_hold() -> None:
    uow, store, space, clock = world()
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    before = replace(store.state, bookings=dict(store.state.bookings),
                     claims=list(store.state.claims), outbox=list(store.state.outbox))
    with pytest.raises(Refusals) as refused:
        await usecases.submit_hold(uow, clock, MAIJA, held.id, details(title="  ", **PARTY))
    assert said(refused.value) == [("title", "title"), *THREE]
    untouched(store, before)
    assert store.state.bookings[held.id].status == "held"
    # The time's rules join them: the desk closed the day meanwhile.
    store.state.weekly = []
    with pytest.raises(Refusals) as refused:
        await usecases.submit_hold(uow, clock, MAIJA, held.id, details(**PARTY))
    assert said(refused.value) == [*THREE, ("starts_at", "closed")]
    untouched(store, before)


async def test_a_request_and_a_walk_in_refuse_every_rule_at_once() -> None:
    uow, store, space, clock = world()
    # Five hours in 200 days, by a party without contact or house rules.
    later = TOMORROW_2PM + timedelta(days=200)
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(space, later, 300, **PARTY))
    assert said(refused.value) == [("ends_at", "too_long"), ("starts_at", "horizon"), *THREE]
    # In opening hours' stead: the closed day after the rules between the fields.
    evening = TOMORROW_2PM.replace(hour=21)
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(space, evening, 60, **PARTY))
    assert said(refused.value) == [*THREE, ("starts_at", "closed")]
    # A walk-in with neither a title nor the organiser's name: both.
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, DESK, command(
            space, title="", organiser=usecases.OrganiserDetails("\u200b")), walk_in=True)
    assert said(refused.value) == [("title", "title"), ("organiser.name", "organiser_name")]
    assert store.state.bookings == {} and store.state.outbox == []


async def test_outside_opening_hours_alone_too_many_open_requests_still_wins() -> None:
    uow, _, space, clock = world()
    for day in range(3):
        await usecases.request_booking(uow, clock, MAIJA,
                                       command(space, TOMORROW_2PM + timedelta(days=day)))
    evening = TOMORROW_2PM.replace(hour=21) + timedelta(days=5)
    with pytest.raises(Conflict) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(space, evening))
    assert refused.value.details["code"] == "open_requests"
    # With a rule of the request itself broken too, the request's rules are said.
    with pytest.raises(Refusals) as rules:
        await usecases.request_booking(uow, clock, MAIJA, command(space, evening, **PARTY))
    assert said(rules.value) == [*THREE, ("starts_at", "closed")]


async def test_the_opening_hours_are_judged_beside_the_length_and_a_start_gone_by() -> None:
    """The session 28 tester's case: a time too long and past closing heard only of its
    length, fixed that, and only then learnt the hours; a start gone by in a closed hour
    likewise. Both now together, by every way in; a time of over a week its length alone
    (no time given makes the opening hours' days many)."""
    uow, store, space, clock = world()
    evening = TOMORROW_2PM.replace(hour=20)
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(space, evening, 300))
    assert said(refused.value) == [("ends_at", "too_long"), ("starts_at", "closed")]
    gone_by_at_night = TOMORROW_2PM.replace(hour=23) - timedelta(days=2)
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(space, gone_by_at_night))
    assert said(refused.value) == [("starts_at", "past"), ("starts_at", "closed")]
    with pytest.raises(Refusals) as refused:
        await usecases.hold_slot(uow, clock, MAIJA, hold(space, evening, 300))
    assert said(refused.value) == [("ends_at", "too_long"), ("starts_at", "closed")]
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, DESK, command(
            space, gone_by_at_night, organiser=usecases.OrganiserDetails("Kalle")),
            walk_in=True)
    assert said(refused.value) == [("starts_at", "past"), ("starts_at", "closed")]
    # Eight days long: its length alone.
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA,
                                       command(space, evening, 8 * 24 * 60))
    assert said(refused.value) == [("ends_at", "too_long")]
    assert store.state.bookings == {} and store.state.outbox == []


async def test_a_name_of_spaces_is_refused_not_kept_blank_over_the_organisers() -> None:
    """A name of spaces alone was taken for none given and then kept as given: the
    organiser's row and the booking's contact read "   ". Refused now, by a request and a
    series alike; an empty name (a form's empty field) is still none given."""
    uow, store, space, clock = world(max_open_requests=10)
    spaces = usecases.OrganiserDetails("   ")
    with pytest.raises(Refusals) as refused:
        await usecases.request_booking(uow, clock, MAIJA, command(space, organiser=spaces))
    assert said(refused.value) == [("organiser.name", "organiser_name")]
    with pytest.raises(Refusals) as refused:
        await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
            command(space, organiser=spaces), count=3))
    assert said(refused.value) == [("organiser.name", "organiser_name")]
    assert store.state.bookings == {} and store.state.outbox == []
    booked = await usecases.request_booking(uow, clock, MAIJA, command(
        space, organiser=usecases.OrganiserDetails("", "maija@example.fi")))
    assert booked.contact.name == MAIJA.name and booked.contact.email == "maija@example.fi"


async def test_a_series_refuses_its_shape_and_its_rules_at_once() -> None:
    uow, store, space, clock = world(max_open_requests=10)
    with pytest.raises(Refusals) as refused:
        await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
            command(space, title="", **PARTY), until=(TOMORROW_2PM + timedelta(weeks=3)).date(),
            count=3))
    assert said(refused.value) == [("title", "title"), ("repeat", "series_both"), *THREE]
    # Sent from the organiser's hold: refused as a whole, the hold kept as it was.
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    with pytest.raises(Refusals):
        await usecases.request_series(uow, clock, MAIJA, usecases.SeriesCommand(
            command(space, **PARTY), count=3, hold_id=held.id))
    assert store.state.bookings[held.id].status == "held"
    assert [b.id for b in store.state.bookings.values()] == [held.id]


# --- the API's 422 -------------------------------------------------------------------------

ORGANISER = {"Authorization": "Bearer " + mint_token("maija", ["organiser"], [], "Maija")}


@dataclass
class Api:
    http: httpx.AsyncClient
    store: FakeStore
    space: Space
    clock: FixedClock
    uow: Uow


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    uow, store, space, clock = world(max_open_requests=10)
    app = unstarted_app("booking")  # not started: no I/O
    app.dependency_overrides[unit_of_work] = lambda: uow
    app.dependency_overrides[get_clock] = lambda: clock
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8001") as http:
        yield Api(http, store, space, clock, uow)


BODY = {"title": "Vaalitilaisuus", "organiser_type": "party", "library_contact": "",
        "accept_house_rules": False}


def named(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["field"], r["code"]) for r in body["refusals"]]


async def test_the_apis_422_names_every_rule_with_its_field_in_its_old_shape(api: Api) -> None:
    held = await usecases.hold_slot(api.uow, api.clock, MAIJA, hold(api.space))
    r = await api.http.post(f"/bookings/{held.id}/submit", json=BODY, headers=ORGANISER)
    assert r.status_code == 422, r.text
    body = r.json()
    # In FastAPI's shape, every rule with its field, as FastAPI lists every field; the first
    # rule's code and details at the top, as before.
    assert body["detail"][0] == {"loc": ["body", "accept_house_rules"],
                                 "msg": "the house rules must be accepted: the event is lawful"
                                        " and substance-free", "type": "value_error"}
    assert [d["loc"] for d in body["detail"]] == [["body", field] for field, _ in THREE]
    assert [d["msg"] for d in body["detail"]] == [r["msg"] for r in body["refusals"]]
    assert body["code"] == "house_rules"
    # And every rule, each with its field, code and message.
    assert named(body) == THREE
    assert all(r["msg"] for r in body["refusals"])
    assert api.store.state.bookings[held.id].status == "held"

    start = TOMORROW_2PM + timedelta(days=200)
    r = await api.http.post("/bookings", headers=ORGANISER, json={
        **BODY, "space_id": str(api.space.id), "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=5)).isoformat()})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "too_long"
    assert named(r.json()) == [("ends_at", "too_long"), ("starts_at", "horizon"), *THREE]
    assert r.json()["refusals"][0]["max_minutes"] == 240  # each with its own details

    r = await api.http.post("/series", headers=ORGANISER, json={
        **BODY, "title": " ", "space_id": str(api.space.id),
        "starts_at": TOMORROW_2PM.isoformat(),
        "ends_at": (TOMORROW_2PM + timedelta(hours=1)).isoformat(),
        "repeat": {"count": 3, "until": (TOMORROW_2PM + timedelta(weeks=4)).date().isoformat()}})
    assert r.status_code == 422, r.text
    assert named(r.json()) == [("title", "title"), ("repeat", "series_both"), *THREE]
    # Too long is so for every time of a series: refused with the rest, not each time
    # skipped (a start gone by is one time's, and skips that time alone).
    r = await api.http.post("/series", headers=ORGANISER, json={
        **BODY, "space_id": str(api.space.id), "starts_at": TOMORROW_2PM.isoformat(),
        "ends_at": (TOMORROW_2PM + timedelta(hours=5)).isoformat(), "repeat": {"count": 3}})
    assert r.status_code == 422, r.text
    assert named(r.json()) == [("ends_at", "too_long"), *THREE]
    assert list(api.store.state.bookings) == [held.id]
    # One rule broken: the same shape, one refusal listed.
    r = await api.http.post(f"/bookings/{held.id}/submit", headers=ORGANISER, json={
        **BODY, "organiser_type": "resident", "library_contact": "Sari",
        "accept_house_rules": True, "title": "\u202e"})
    assert r.status_code == 422 and named(r.json()) == [("title", "title")]
    assert r.json()["detail"][0]["loc"] == ["body", "title"]


async def test_a_phone_is_refused_over_the_domains_length_by_its_rule_and_the_schema_says_it(
        api: Api) -> None:
    """Testers: the forms take a phone of at most 30 characters (`domain.PHONE_MAX`, the
    one rule), the API's schemas said 40. The API's phone is the domain's: any number over
    30 characters (31, 35 or 45; a '+' before 30 digits too) is refused as `phone`, with
    every other rule broken, and the OpenAPI document says the same length."""
    start = TOMORROW_2PM + timedelta(days=1)
    for phone in ("+" + "1" * 30, "040 123 4567 040 123 4567 04012", "0" * 35, "0" * 45):
        r = await api.http.post("/bookings", headers=ORGANISER, json={
            **BODY, "space_id": str(api.space.id), "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "organiser": {"name": "Maija", "phone": phone}})
        assert r.status_code == 422, r.text
        assert ("organiser.phone", "phone") in named(r.json()), (phone, r.json())
        assert set(THREE) <= set(named(r.json())), phone
    assert api.store.state.bookings == {}
    thirty = "0" * 30
    assert domain.check_phone(thirty) == thirty
    schema = (await api.http.get("/openapi.json")).json()["components"]["schemas"]
    for model in ("OrganiserIn", "BorrowerIn"):
        assert schema[model]["properties"]["phone"]["maxLength"] == domain.PHONE_MAX, model
