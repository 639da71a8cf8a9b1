"""A refused, cancelled or expired booking has nothing to pay: the organiser's page of it
showed "Pris 60,00 € / Referensnummer 10045" as a confirmed one does. Now its price is
struck and said not charged, and its invoice reference is not shown; a booking waiting or
confirmed (or a no-show, the organiser's own) is shown as before. Against PostgreSQL
in-process, fi/sv/en; and a booking over midnight is said on its page with each day once."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from typing import Any
from uuid import uuid4

import pytest

from services.booking.domain import HELSINKI, Booking
from services.booking.organiser_pages import _when
from services.booking.tests.test_organiser_pages import _city
from tests.infra import bearer

pytestmark = pytest.mark.infra

AINO = bearer("organiser", subject="aino", name="Aino", email="aino@example.fi",
              email_verified=True)
NOT_CHARGED = {"fi": "ei laskuteta", "sv": "faktureras inte", "en": "not charged"}


def _dd(html: str, id_: str) -> str | None:
    found = re.search(rf'<dd id="{id_}">(.*?)</dd>', html, re.S)
    return unescape(found.group(1)).replace("\xa0", " ") if found else None


async def _request(client: Any, space: str, days: int) -> dict[str, Any]:
    start = datetime.combine((datetime.now(HELSINKI) + timedelta(days=days)).date(),
                             time(10), HELSINKI)
    made = await client.post("/bookings", headers=AINO, json={
        "space_id": space, "title": "Lukupiiri", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "organiser": {"name": "Aino", "email": "aino@example.fi"},
        "cooperation": False, "accept_house_rules": True})
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_a_refused_or_cancelled_booking_shows_no_price_due_nor_reference(
        start_service: Any) -> None:
    from services.booking.app import spec

    client = await start_service(spec)
    city = await _city(client)
    hall = city["main"]["spaces"][0]["id"]  # 30 € an hour
    desk = bearer("desk", venues=(city["main"]["id"],), subject="desk-main")
    waiting, refused, cancelled = [await _request(client, hall, d) for d in (3, 4, 5)]
    assert waiting["invoice_reference"] and refused["invoice_reference"]
    r = await client.post(f"/bookings/{refused['id']}/reject", headers=desk,
                          json={"reason": "Sali on remontissa"})
    assert r.status_code == 200, r.text
    r = await client.post(f"/bookings/{cancelled['id']}/cancel", headers=AINO, json={})
    assert r.status_code == 200, r.text
    for lang in ("fi", "sv", "en"):
        page = await client.get(f"/my/bookings/{waiting['id']}", params={"lang": lang},
                                headers=AINO)
        assert page.status_code == 200
        assert _dd(page.text, "b-price") in ("60,00 €", "€60.00")
        assert _dd(page.text, "b-reference") == waiting["invoice_reference"]
        for gone in (refused, cancelled):
            page = await client.get(f"/my/bookings/{gone['id']}", params={"lang": lang},
                                    headers=AINO)
            assert page.status_code == 200
            price = _dd(page.text, "b-price")
            assert price in (f"<del>60,00 €</del> ({NOT_CHARGED[lang]})",
                             f"<del>€60.00</del> ({NOT_CHARGED[lang]})"), price
            assert _dd(page.text, "b-reference") is None
            assert gone["invoice_reference"] not in page.text
        # The list says it alike.
        listed = await client.get("/my/bookings", params={"lang": lang}, headers=AINO)
        for booking, charged in ((waiting, True), (refused, False), (cancelled, False)):
            row = re.search(rf'<tr data-booking="{booking["id"]}".*?</tr>', listed.text, re.S)
            assert row is not None
            assert (f"({NOT_CHARGED[lang]})" in row.group(0)) is not charged
            assert ("<del>" in row.group(0)) is not charged


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "sunnuntai 6. joulukuuta 2026 23.30 – maanantai 7. joulukuuta 2026 0.00"),
    ("en", "Sunday, 6 December 2026 23:30 – Monday, 7 December 2026 00:00")])
def test_a_booking_over_midnight_says_each_day_once_on_its_page(lang: str, said: str) -> None:
    start = datetime(2026, 12, 6, 23, 30, tzinfo=HELSINKI)
    b = Booking(id=uuid4(), space_id=uuid4(), venue_id=uuid4(), organiser_id=uuid4(),
                title="Yökirjasto", starts_at=start,
                ends_at=start + timedelta(minutes=30), status="confirmed")
    assert _when(b, lang) == said
