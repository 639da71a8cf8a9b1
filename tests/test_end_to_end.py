"""One flow through all four services, each a real process, over the real broker:
booking confirmed → draft activity event → published → on the venue's notice board →
counted for the venue's area."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.infra import ServiceProcess, bearer, eventually

pytestmark = pytest.mark.infra

SERVICES = ("booking", "events", "notifications", "metrics")


async def test_a_confirmed_booking_becomes_a_published_event_on_the_board_and_in_metrics(
    spawn_service, fresh_database
) -> None:
    procs: dict[str, ServiceProcess] = {}
    for name in SERVICES:
        procs[name] = await spawn_service(name, await fresh_database(name))
    url = {name: p.url for name, p in procs.items()}
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=14, minute=0, second=0,
                                                            microsecond=0)

    async with httpx.AsyncClient(timeout=10) as http:
        venue = (await http.post(f"{url['booking']}/venues", headers=bearer("admin"), json={
            "name": {"fi": "Neulamäen kirjasto", "sv": "Neulamäki bibliotek"},
            "kind": "library", "area": "kuopio.neulamaki", "municipality": "Kuopio",
            "spaces": [{"name": {"fi": "Ryhmätila"}, "capacity": 12}],
        })).json()
        desk = bearer("desk", venues=(venue["id"],), subject="neulamaki-desk")
        hours = await http.put(f"{url['booking']}/venues/{venue['id']}/hours", headers=desk,
                               json={"weekly": [{"weekday": d, "opens": "08:00",
                                                 "closes": "20:00"} for d in range(1, 8)]})
        assert hours.status_code == 200, hours.text
        organiser = bearer("organiser", subject="elakelaiset", name="Eläkeläisyhdistys")
        booking = await http.post(f"{url['booking']}/bookings", headers=organiser, json={
            "space_id": venue["spaces"][0]["id"],
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "title": "Senioreiden digitupa",
            "organiser": {"name": "Eläkeläisyhdistys", "email": "digitupa@example.fi"},
            "library_contact": "Neulamäen kirjasto, Sari",
            "accept_house_rules": True,
        })
        assert booking.status_code == 201, booking.text
        booking_id = booking.json()["id"]
        confirmed = await http.post(f"{url['booking']}/bookings/{booking_id}/confirm",
                                    headers=desk)
        assert confirmed.status_code == 200

        # events: booking.confirmed created a draft for the organiser to complete.
        async def draft() -> dict[str, Any] | None:
            # The draft is the organiser's own until published.
            page = (await http.get(f"{url['events']}/events", headers=organiser,
                                   params={"booking_id": booking_id})).json()
            # Its area comes from venue.registered's read model: at once, or when the venue's
            # event (on another partition) is handled after the booking's.
            return page["items"][0] if page["items"] and page["items"][0]["area"] else None

        event = await eventually(draft)
        assert event["status"] == "draft" and event["name"]["fi"] == "Senioreiden digitupa"
        assert event["area"] == "kuopio.neulamaki"  # from venue.registered's read model
        published = await http.post(f"{url['events']}/events/{event['id']}/publish",
                                    headers=organiser)
        assert published.status_code == 200, published.text

        # notifications: the venue's notice board shows it in its JSON feed.
        async def board_item() -> dict[str, Any] | None:
            boards = (await http.get(f"{url['notifications']}/boards",
                                     params={"venue_id": venue["id"]})).json()
            if not boards:
                return None
            feed = (await http.get(f"{url['notifications']}{boards[0]['feeds']['json']}")).json()
            return feed["items"][0] if feed["items"] else None

        item = await eventually(board_item)
        assert item["id"] == event["id"]
        assert item["title"] == "Senioreiden digitupa"
        deliveries = (await http.get(f"{url['notifications']}/deliveries",
                                     headers=bearer("communications"),
                                     params={"activity_event_id": event["id"]})).json()
        assert [(d["channel"], d["status"]) for d in deliveries] == [
            ("notice_board", "published")]

        # metrics: counted once for the venue's area, with its planned hours.
        async def counted() -> dict[str, Any] | None:
            body = (await http.get(f"{url['metrics']}/indicators/published-events",
                                   params={"area": "kuopio.neulamaki"})).json()
            row = body["areas"][0]
            return row if row["published_events"] == 1 else None

        row = await eventually(counted)
        assert row["planned_hours"] == 2.0

        # and the board delivery reached metrics as reach for the area.
        async def reached() -> dict[str, Any] | None:
            body = (await http.get(f"{url['metrics']}/indicators/summary",
                                   params={"area": "kuopio.neulamaki"})).json()
            area = body["areas"][0]
            return area if area["reach"] else None

        assert (await eventually(reached))["reach"] == {"notice_board": 1}

        for name, proc in procs.items():
            ready = (await http.get(f"{proc.url}/health/ready")).json()
            assert ready["ready"], (name, ready)
