"""Testers' findings on the organiser's pages: a single booking asks before it is
cancelled, as a series does; a time let go or run out leads back to the search it was chosen
from, whose kind of organiser the request form keeps; a day past how far ahead a space is
booked says so. On the real PostgreSQL and Kafka."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from services.booking.app import spec
from services.booking.tests.test_api import KANTTI, MAIJA, MATTI, TOMORROW, booking, venue
from shared.clock import HELSINKI

pytestmark = pytest.mark.infra

FORM = {"csrf": "unused with a bearer token"}


async def _status(client: Any, booking_id: str) -> str:
    return str(await client.runtime.pool.fetchval(
        "SELECT status FROM bookings WHERE id = $1::uuid", booking_id))


async def test_cancelling_a_booking_asks_first_and_names_it(start_service: Any) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    made = await client.post("/bookings", headers=MAIJA, json=booking(
        hall, TOMORROW + timedelta(days=7), title="Shakki"))
    assert made.status_code == 201, made.text
    mine = made.json()["id"]

    # The booking's page: its button leads to the question, which sends nothing itself.
    page = await client.get(f"/my/bookings/{mine}", params={"lang": "fi"}, headers=MAIJA)
    assert f'<form method="get" action="/my/bookings/{mine}/cancel"' in page.text
    for lang, title, yes in (("fi", "Perutaanko varaus?", "Kyllä, peru varaus"),
                             ("sv", "Avboka bokningen?", "Ja, avboka"),
                             ("en", "Cancel the booking?", "Yes, cancel it")):
        asked = await client.get(f"/my/bookings/{mine}/cancel", params={"lang": lang},
                                 headers=MAIJA)
        assert asked.status_code == 200, asked.text
        text = html.unescape(asked.text)
        assert title in text and yes in text and "Shakki" in text
        assert "KANTTI, Kokoussali" in text  # where, as the booking's page says it
        assert 'name="confirm" value="yes"' in asked.text
    assert await _status(client, mine) == "requested"

    # A post without the confirmation (an old page, a crafted form) only asks.
    unconfirmed = await client.post(f"/my/bookings/{mine}/cancel", params={"lang": "sv"},
                                    headers=MAIJA, data=FORM, follow_redirects=False)
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == f"/my/bookings/{mine}/cancel?lang=sv"
    assert await _status(client, mine) == "requested"

    # Someone else cannot ask about it, nor cancel it.
    theirs = await client.get(f"/my/bookings/{mine}/cancel", headers=MATTI)
    assert theirs.status_code == 404 and "Shakki" not in theirs.text
    refused = await client.post(f"/my/bookings/{mine}/cancel", headers=MATTI,
                                data={**FORM, "confirm": "yes"}, follow_redirects=False)
    assert refused.status_code == 404
    assert await _status(client, mine) == "requested"

    confirmed = await client.post(f"/my/bookings/{mine}/cancel", params={"lang": "en"},
                                  headers=MAIJA, data={**FORM, "confirm": "yes"},
                                  follow_redirects=False)
    assert confirmed.status_code == 303
    assert urlsplit(confirmed.headers["location"]).path == f"/my/bookings/{mine}"
    assert await _status(client, mine) == "cancelled"
    # Nothing left to cancel: the question is not asked again; the booking's page says it.
    again = await client.get(f"/my/bookings/{mine}/cancel", params={"lang": "en"},
                             headers=MAIJA, follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/my/bookings/{mine}?lang=en"


async def test_past_its_deadline_a_booking_is_not_asked_about(start_service: Any) -> None:
    client = await start_service(spec)
    v, _ = await venue(client, {**KANTTI, "spaces": [
        {"name": {"fi": "Studio"}, "rules": {"cancellation_hours": 72}}]})
    studio = v["spaces"][0]["id"]  # tomorrow is past its deadline
    soon = await client.post("/bookings", headers=MAIJA, json=booking(studio))
    assert soon.status_code == 201, soon.text
    asked = await client.get(f"/my/bookings/{soon.json()['id']}/cancel",
                             params={"lang": "fi"}, headers=MAIJA, follow_redirects=False)
    assert asked.status_code == 303
    assert urlsplit(asked.headers["location"]).path == f"/my/bookings/{soon.json()['id']}"


async def test_a_time_let_go_leads_back_to_its_search(start_service: Any) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    day = TOMORROW.astimezone(HELSINKI).date().isoformat()
    search = [("venue_id", v["id"]), ("day", day), ("minutes", "120"),
              ("feature", "lift"), ("feature", "step_free_entrance"),
              ("organiser_type", "association")]
    start = (TOMORROW + timedelta(hours=4)).astimezone(HELSINKI)
    held = await client.post("/my/spaces/hold", params=[*search, ("lang", "fi")],
                             headers=MAIJA, follow_redirects=False, data={
                                 **FORM, "space_id": hall, "minutes": "120",
                                 "starts_at": f"{start:%Y-%m-%dT%H:%M}"})
    assert held.status_code == 303, held.text
    to = urlsplit(held.headers["location"])
    carried = dict(parse_qsl(to.query))["search"]
    assert parse_qsl(carried) == search
    booking_id = to.path.split("/")[3]

    form = await client.get(held.headers["location"], headers=MAIJA)
    assert form.status_code == 200, form.text
    # The kind of organiser the search was made for is the form's (its terms were shown).
    assert '<option value="association" selected>' in form.text
    # Every form of the page (send, preview, let go) and its language links carry it.
    actions = [html.unescape(a) for a in
               form.text.split('action="')[1:]]
    assert sum("search=" in a.split('"')[0] for a in actions) >= 3
    released = await client.post(f"/my/bookings/{booking_id}/cancel", headers=MAIJA,
                                 params={"lang": "fi", "search": carried}, data=FORM,
                                 follow_redirects=False)
    assert released.status_code == 303
    back = urlsplit(released.headers["location"])
    assert back.path == "/my/spaces"
    # (after them the note said there, which a cookie carries in a browser)
    assert parse_qsl(back.query)[:len(search) + 1] == [*search, ("lang", "fi")]
    assert await _status(client, booking_id) == "cancelled"


async def test_a_hold_reopened_from_my_bookings_keeps_its_searchs_kind(start_service: Any
                                                                       ) -> None:
    """A tester searched as an association, held a time and came back to it from "My
    bookings" (its link carries no search): the form said "a resident", and her series went
    in as one."""
    client = await start_service(spec)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    day = TOMORROW.astimezone(HELSINKI).date().isoformat()
    start = (TOMORROW + timedelta(hours=4)).astimezone(HELSINKI)
    held = await client.post("/my/spaces/hold", headers=MAIJA, follow_redirects=False,
                             params=[("venue_id", v["id"]), ("day", day),
                                     ("organiser_type", "association"), ("lang", "en")],
                             data={**FORM, "space_id": hall, "minutes": "60",
                                   "starts_at": f"{start:%Y-%m-%dT%H:%M}"})
    assert held.status_code == 303, held.text
    booking_id = urlsplit(held.headers["location"]).path.split("/")[3]
    # The booking's page links to its form with the language only, as "My bookings" does.
    page = await client.get(f"/my/bookings/{booking_id}", params={"lang": "en"},
                            headers=MAIJA)
    assert f'href="/my/bookings/{booking_id}/request?lang=en"' in page.text
    form = await client.get(f"/my/bookings/{booking_id}/request", params={"lang": "en"},
                            headers=MAIJA)
    assert form.status_code == 200, form.text
    assert '<option value="association" selected>' in form.text
    assert 'value="resident" selected' not in form.text
    # A search's own kind still comes first.
    searched = await client.get(f"/my/bookings/{booking_id}/request", headers=MAIJA, params={
        "lang": "en", "search": f"venue_id={v['id']}&organiser_type=library"})
    assert '<option value="library" selected>' in searched.text
    # Someone who never said a kind: a resident.
    other = await client.post("/my/spaces/hold", headers=MATTI, follow_redirects=False,
                              params=[("venue_id", v["id"]), ("day", day), ("lang", "en")],
                              data={**FORM, "space_id": hall, "minutes": "60",
                                    "starts_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}"})
    assert other.status_code == 303, other.text
    theirs = await client.get(urlsplit(other.headers["location"]).path,
                              params={"lang": "en"}, headers=MATTI)
    assert '<option value="resident" selected>' in theirs.text


async def test_a_carried_search_can_lead_only_to_the_space_search(start_service: Any
                                                                  ) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    r = await client.post("/bookings/holds", headers=MAIJA, json={
        "space_id": v["spaces"][0]["id"], "starts_at": TOMORROW.isoformat(),
        "ends_at": (TOMORROW + timedelta(hours=1)).isoformat()})
    assert r.status_code == 201, r.text
    odd = "next=https%3A%2F%2Fevil.example&lang=xx&day=2031-01-01&csrf=x&" + "a" * 3000
    released = await client.post(f"/my/bookings/{r.json()['id']}/cancel", headers=MAIJA,
                                 params={"lang": "en", "search": odd}, data=FORM,
                                 follow_redirects=False)
    assert released.status_code == 303
    back = urlsplit(released.headers["location"])
    assert back.path == "/my/spaces" and not back.netloc
    assert parse_qsl(back.query)[:2] == [("day", "2031-01-01"), ("lang", "en")]
    assert {k for k, _ in parse_qsl(back.query)} <= {"day", "lang", "msg", "sig", "error"}


@pytest.mark.parametrize("lang, said, again", [
    ("fi", "Aikaa ei enää pidetä sinulle", "Valitse aika uudelleen"),
    ("sv", "Tiden hålls inte längre för dig", "Välj en tid igen"),
    ("en", "The time is no longer held for you", "Choose a time again")])
async def test_a_hold_run_out_says_so_and_leads_back_to_its_search(
        start_service: Any, lang: str, said: str, again: str) -> None:
    """A tester sent the form after the hold ran out: refused, yet the page still said the
    time was held until then, offered the same button, and a reload led nowhere."""
    client = await start_service(spec)
    v, _ = await venue(client)
    hall = v["spaces"][0]["id"]
    day = TOMORROW.astimezone(HELSINKI).date().isoformat()
    start = (TOMORROW + timedelta(hours=2)).astimezone(HELSINKI)
    held = await client.post("/my/spaces/hold", headers=MAIJA, follow_redirects=False,
                             params=[("venue_id", v["id"]), ("day", day), ("lang", lang)],
                             data={**FORM, "space_id": hall, "minutes": "60",
                                   "starts_at": f"{start:%Y-%m-%dT%H:%M}"})
    assert held.status_code == 303, held.text
    booking_id = urlsplit(held.headers["location"]).path.split("/")[3]
    for status in ("held", "expired"):  # run out; then marked so by the job
        await client.runtime.pool.execute(
            "UPDATE bookings SET hold_expires_at = now() - interval '1 minute',"
            " status = $2 WHERE id = $1::uuid", booking_id, status)
        page = await client.get(held.headers["location"], headers=MAIJA,
                                follow_redirects=False)
        assert page.status_code == 200, (status, page.status_code)
        text = html.unescape(page.text)
        assert said in text and again in text
        link = text.split('id="hold-expired"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
        assert urlsplit(link).path == "/my/spaces"
        assert parse_qsl(urlsplit(link).query) == [("venue_id", v["id"]), ("day", day),
                                                   ("lang", lang)]


async def test_a_day_past_how_far_ahead_a_space_is_booked_says_so(start_service: Any) -> None:
    client = await start_service(spec)
    v, _ = await venue(client)
    far = (TOMORROW + timedelta(days=400)).astimezone(HELSINKI).date().isoformat()
    page = await client.get("/my/spaces", headers=MAIJA,
                            params={"venue_id": v["id"], "day": far, "lang": "fi"})
    assert page.status_code == 200, page.text
    assert "Tämän tilan voi varata enintään 180 päivää etukäteen." in html.unescape(page.text)
    near = await client.get("/my/spaces", headers=MAIJA, params={
        "venue_id": v["id"], "day": TOMORROW.date().isoformat(), "lang": "fi"})
    assert "päivää etukäteen" not in html.unescape(near.text)


async def test_a_space_at_the_organisers_limit_of_open_requests_offers_no_time(
        start_service: Any) -> None:
    """Three open requests of the hall (its limit): the search says so for the hall, with
    no time to hold, and offers the stage as before; counted in PostgreSQL."""
    client = await start_service(spec)
    v, _ = await venue(client)
    hall, stage = v["spaces"][0]["id"], v["spaces"][1]["id"]
    for day in range(3):
        made = await client.post("/bookings", headers=MAIJA, json=booking(
            hall, TOMORROW + timedelta(days=day)))
        assert made.status_code == 201, made.text
    page = html.unescape((await client.get("/my/spaces", headers=MAIJA, params={
        "venue_id": v["id"], "day": TOMORROW.date().isoformat(), "lang": "en"})).text)
    sections = {space: page.split(f'data-space="{space}"', 1)[1].split("</section>", 1)[0]
                for space in (hall, stage)}
    assert "You already have 3 open requests for this space" in sections[hall]
    assert "/my/spaces/hold" not in sections[hall]
    assert "/my/spaces/hold" in sections[stage] and "open requests" not in sections[stage]
    # Another organiser is offered the hall.
    theirs = await client.get("/my/spaces", headers=MATTI, params={
        "venue_id": v["id"], "day": TOMORROW.date().isoformat(), "lang": "en"})
    assert "/my/spaces/hold" in theirs.text.split(f'data-space="{hall}"', 1)[1].split(
        "</section>", 1)[0]
