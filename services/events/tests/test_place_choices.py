"""The activity form offers only the places it can take (a tester's finding: an activity
without a booking was offered "Varatussa tilassa" / "Tilassa ja verkossa", venue and hybrid,
and choosing either was always refused, as they need the venue of a booking). At a venue all
six; without one the four of no venue, on the new-activity page and the edit page, in fi, sv
and en; a kind it already has stays shown, not silently saved as another."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import domain
from services.events.app import spec
from services.events.labels import ORGANISER as SAID
from services.events.tests.test_place_away_from_venue_db import _library
from tests.infra import bearer

START = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
ORGANISER = bearer("organiser", subject="lukupiiri")
NO_VENUE = ("outdoors", "pop_up", "online", "other_place")


def _offered(html: str) -> list[str]:
    select = re.search(r'<select id="f-place_kind".*?</select>', html, re.S)
    assert select is not None, html
    return re.findall(r'<option value="([a-z_]+)"', select.group(0))


@pytest.mark.unit
def test_without_a_venue_only_the_places_of_no_venue_are_offered() -> None:
    assert domain.place_kinds_offered({}) == NO_VENUE
    assert domain.place_kinds_offered({"venue_id": None, "place_kind": "online"}) == NO_VENUE
    assert domain.place_kinds_offered({"venue_id": uuid4(), "place_kind": "venue"}) \
        == domain.PLACE_KINDS
    # One stored at a venue it does not have (an API draft) is shown as it is, no other
    # choice of a venue added.
    assert domain.place_kinds_offered({"venue_id": None, "place_kind": "hybrid"}) == (
        "outdoors", "pop_up", "online", "hybrid", "other_place")
    # Each kind offered without a venue is one `check_place` takes (with its link and
    # place name).
    for kind in NO_VENUE:
        domain.check_place(kind, None, "https://meet.example/k", {"fi": "Torin laita"})


@pytest.mark.infra
async def test_the_forms_offer_venue_and_hybrid_only_with_a_venue(start_service: Any) -> None:
    client = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        new = await client.get(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                               follow_redirects=True)
        assert _offered(new.text) == list(NO_VENUE), lang
        for code in ("venue", "hybrid"):
            assert SAID[lang]["place_kinds"][code] not in new.text

    made = await client.post("/events", headers=ORGANISER, json={
        "name": {"fi": "Lukupiiri"}, "kind": "open_guided", "place_kind": "other_place",
        "place_name": {"fi": "Kahvila"}, "area": "kuopio.keskusta",
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat()})
    assert made.status_code == 201, made.text
    for lang in ("fi", "sv", "en"):
        page = await client.get(f"/my/activities/{made.json()['id']}?lang={lang}",
                                headers=ORGANISER)
        assert page.status_code == 200
        assert _offered(page.text) == list(NO_VENUE), lang
        assert SAID[lang]["place_kinds"]["venue"] not in page.text

    # At a venue the activity may stay in it, or in it and online.
    venue_id, space_id, _ = await _library(client.runtime.pool)
    at_venue = await client.post("/events", headers=ORGANISER, json={
        "name": {"fi": "Satutunti"}, "kind": "open_guided", "place_kind": "venue",
        "venue_id": str(venue_id), "space_id": str(space_id),
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat()})
    assert at_venue.status_code == 201, at_venue.text
    page = await client.get(f"/my/activities/{at_venue.json()['id']}?lang=fi",
                            headers=ORGANISER)
    assert _offered(page.text) == list(domain.PLACE_KINDS)
    assert '<option value="venue" selected>Varatussa tilassa</option>' in page.text
