"""An activity outdoors, at a pop-up or elsewhere says where by its place name alone: a tester
published one with "Elsewhere" and no place name (the API had `place_name: null`, the
preview only the area). Drafts may stay incomplete on the API, but every way that publishes
(the page's save and publish, the API's publish, a series) refuses it, naming the place
name, in the page's language next to its input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events import usecases
from services.events.app import spec
from services.events.tests.test_usecases import ORGANISER as ORGANISER_PRINCIPAL
from services.events.tests.test_usecases import World, fields
from services.events.tests.test_usecases import world as world  # the fixture
from shared.clock import HELSINKI
from shared.errors import Invalid, flattened
from tests.infra import bearer

ORGANISER = bearer("organiser", subject="toriyhdistys")
SOON = (datetime.now(UTC) + timedelta(days=5)).replace(second=0, microsecond=0)
NEEDED = {"fi": "Kerro paikan nimi", "sv": "Ange platsens namn",
          "en": "Give the place&#39;s name"}  # as the page escapes it


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.unit
async def test_a_series_elsewhere_without_its_place_name_is_not_published(
        world: World) -> None:
    body = fields(place_kind="pop_up", place_name=None)
    series_id, drafts = await usecases.create_series(
        world.uow(), world.clock, ORGANISER_PRINCIPAL, body, usecases.Repeat(count=2))
    assert len(drafts) == 2  # drafts may wait for their place name
    with pytest.raises(Invalid) as refused:
        await usecases.publish_series(world.uow(), world.clock, ORGANISER_PRINCIPAL,
                                      series_id)
    assert {e.field for e in flattened([refused.value])} == {"place_name.fi"}
    assert {e["status"] for e in world.store.events.values()} == {"draft"}
    assert world.published == []


@pytest.mark.infra
async def test_publishing_elsewhere_without_a_place_name_is_refused_on_the_api_and_the_page(
        start_service: Any) -> None:
    client = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        made = await client.post("/events", headers=ORGANISER, json={
            "name": {"fi": "Torikirppis"}, "kind": "open_guided", "place_kind": "other_place",
            "area": "kuopio.keskusta", "starts_at": SOON.isoformat(),
            "ends_at": (SOON + timedelta(hours=2)).isoformat()})
        assert made.status_code == 201, made.text  # a draft may stay incomplete
        event_id = made.json()["id"]
        assert made.json()["place_name"] is None

        published = await client.post(f"/events/{event_id}/publish", headers=ORGANISER)
        assert published.status_code == 422, published.text
        said = published.json()
        assert (said["code"], said["detail"][0]["loc"]) == (
            "place_name_needed", ["body", "place_name", "fi"]), published.text

        # The page: "Elsewhere" with the place name left empty, saved to be published.
        page = f"/my/activities/{event_id}"
        form = {"name.fi": "Torikirppis", "kind": "open_guided", "place_kind": "outdoors",
                "place_name.fi": "", "languages": ["fi"], "free": "1",
                "starts_at": _local(SOON), "ends_at": _local(SOON + timedelta(hours=2))}
        saved = await client.post(f"{page}?lang={lang}", headers=ORGANISER, data=form)
        assert saved.status_code == 422, saved.text
        assert '<p class="field-error" id="e-place_name-fi">' + NEEDED[lang] in saved.text
        assert 'aria-describedby="e-place_name-fi"' in saved.text  # the input says it
        # "Publish" on the page is refused by the same words next to the input.
        sent = await client.post(f"{page}/publish?lang={lang}", headers=ORGANISER)
        assert sent.status_code == 422, sent.text
        assert '<p class="field-error" id="e-place_name-fi">' + NEEDED[lang] in sent.text
        stored = (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()
        assert (stored["status"], stored["place_name"]) == ("draft", None)

        # Named, it goes out (to the approval queue: the organiser has no booking there).
        form["place_name.fi"] = "Kauppatori"
        saved = await client.post(f"{page}?lang={lang}", headers=ORGANISER, data=form)
        assert saved.status_code == 303, saved.text
        sent = await client.post(f"{page}/publish?lang={lang}", headers=ORGANISER)
        assert sent.status_code == 303, sent.text
        stored = (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()
        assert stored["status"] == "awaiting_approval"
        assert stored["place_name"]["fi"] == "Kauppatori"
