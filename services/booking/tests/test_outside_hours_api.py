"""A change of opening hours answers the bookings it leaves outside them (`outside_hours`),
against the real PostgreSQL: the store's SQL reads the venue's requested and confirmed
bookings, the domain's hours rule judges each, nothing is cancelled."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.booking.app import spec
from services.booking.tests.test_api import MAIJA, MATTI, TOMORROW, booking, venue

pytestmark = pytest.mark.infra


async def test_a_closed_day_and_shorter_weekly_hours_list_the_bookings_left_outside(
        start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)  # open 6–23 every day
    room = v["spaces"][0]["id"]
    day = TOMORROW.date() + timedelta(days=1)

    def at(hour: int, days: int = 0) -> datetime:
        return datetime.combine(day + timedelta(days=days), time(hour),
                                tzinfo=ZoneInfo("Europe/Helsinki"))

    confirmed = (await client.post("/bookings", json=booking(room, at(10)),
                                   headers=MAIJA)).json()
    assert (await client.post(f"/bookings/{confirmed['id']}/confirm",
                              headers=desk)).status_code == 200
    evening = (await client.post("/bookings", json=booking(room, at(18), hours=1),
                                 headers=MATTI)).json()
    later = (await client.post("/bookings", json=booking(room, at(18, days=1), hours=1),
                               headers=MATTI)).json()

    closed = await client.post(f"/venues/{v['id']}/exceptions", headers=desk, json={
        "day": day.isoformat(), "reason": {"fi": "Vesivahinko"}})
    assert closed.status_code == 201, closed.text
    # The day's two (not the next day's), in time order, still standing.
    assert [(b["id"], b["status"]) for b in closed.json()["outside_hours"]] == [
        (confirmed["id"], "confirmed"), (evening["id"], "requested")]
    assert (await client.get(f"/bookings/{confirmed['id']}",
                             headers=desk)).json()["status"] == "confirmed"

    weekly = await client.put(f"/venues/{v['id']}/hours", headers=desk, json={"weekly": [
        {"weekday": d, "opens": "08:00", "closes": "16:00"} for d in range(1, 8)]})
    assert weekly.status_code == 200, weekly.text
    assert len(weekly.json()["weekly"]) == 7
    assert [b["id"] for b in weekly.json()["outside_hours"]] == [
        confirmed["id"], evening["id"], later["id"]]
    opened = await client.put(f"/venues/{v['id']}/hours", headers=desk, json={"weekly": [
        {"weekday": d, "opens": "06:00", "closes": "23:00"} for d in range(1, 8)]})
    # The closed day's two are still outside (its exception); the next day's fits again.
    assert [b["id"] for b in opened.json()["outside_hours"]] == [
        confirmed["id"], evening["id"]]
