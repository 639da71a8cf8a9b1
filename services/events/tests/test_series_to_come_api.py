"""`PATCH /events/{id}/series-to-come`: the organiser pages' "for every time in the series
still to come" in the HTTP API too (it edited one occurrence at a time), through the same
use case (`update_series_to_come`), on real PostgreSQL and Kafka: the same changed details
to every occurrence not yet started, never the time; each published one a new revision on
the bus; all or none, another time's refusal marked with its start; documented in OpenAPI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events.app import spec
from shared.clock import HELSINKI
from shared.contracts import EVENTS_TOPIC, ActivityEventUpdated
from tests.infra import bearer, events_on_topic

pytestmark = pytest.mark.infra

START = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
ORGANISER = bearer("organiser", subject="kuorolaiset")
OTHER = bearer("organiser", subject="joku-muu")
COMMS = bearer("communications", subject="viestinta")


def series_body(**changes: Any) -> dict[str, Any]:
    return {"name": {"fi": "Kuoroharjoitus"}, "kind": "open_guided",
            "place_kind": "outdoors", "area": "kuopio.jynkka",
            "place_name": {"fi": "Jynkän puisto"},
            "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=2)).isoformat(),
            "repeat": {"count": 3}, **changes}


async def test_every_time_still_to_come_is_edited_together_through_the_api(
        start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    made = await client.post("/series", headers=ORGANISER, json=series_body())
    assert made.status_code == 201, made.text
    ids = [o["id"] for o in made.json()["occurrences"]]
    starts = [o["starts_at"] for o in made.json()["occurrences"]]
    # The first two out (staff publish them), the third still a draft.
    for event_id in ids[:2]:
        out = await client.post(f"/events/{event_id}/publish", headers=COMMS)
        assert out.json()["status"] == "published", out.text

    async def stored() -> list[tuple[Any, ...]]:
        rows = await pool.fetch(
            "SELECT id::text, place_kind, capacity, name, revision, starts_at"
            " FROM activity_events WHERE id = ANY($1::uuid[]) ORDER BY starts_at", ids)
        return [tuple(r) for r in rows]

    # Online without a link is a draft's to be (the third's), not a published one's: both
    # published times refuse it, the first said with its start, and nothing is stored.
    before = await stored()
    refused = await client.patch(f"/events/{ids[2]}/series-to-come?lang=en",
                                 headers=ORGANISER, json={"place_kind": "online"})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert [(r["field"], r.get("occurrence")) for r in body["refusals"]] == [
        ("online_url", datetime.fromisoformat(starts[0]).isoformat())], body
    assert await stored() == before

    # The same details for every time still to come, the first one's (earlier, but not
    # started) too.
    edited = await client.patch(f"/events/{ids[1]}/series-to-come", headers=ORGANISER,
                                json={"name": {"fi": "Kuorolaulu", "en": "Choir"},
                                      "capacity": 25})
    assert edited.status_code == 200, edited.text
    answer = edited.json()
    assert [o["id"] for o in answer] == [ids[1], ids[0], ids[2]]  # this one first
    assert {(o["name"]["fi"], o["capacity"]) for o in answer} == {("Kuorolaulu", 25)}
    after = await stored()
    assert [(r[2], r[3], r[4]) for r in after] == [
        (25, {"fi": "Kuorolaulu", "en": "Choir"}, 2),
        (25, {"fi": "Kuorolaulu", "en": "Choir"}, 2),
        (25, {"fi": "Kuorolaulu", "en": "Choir"}, 0)]  # a draft: no revision yet
    assert [r[5] for r in after] == [r[5] for r in before]  # each keeps its time
    # The published two are told; the draft is not.
    told = await events_on_topic(client.runtime, EVENTS_TOPIC, 2, keys=set(ids),
                                 event_type=ActivityEventUpdated.EVENT_TYPE)
    assert sorted((e.data["event_id"], e.data["name"]["fi"], e.data["capacity"])
                  for e in told) == sorted((i, "Kuorolaulu", 25) for i in ids[:2])

    # Not of a series: 409; someone else's draft is not found, their published one is
    # not theirs to edit; without a token, 401.
    alone = await client.post("/events", headers=ORGANISER, json={
        k: v for k, v in series_body().items() if k != "repeat"})
    assert alone.status_code == 201, alone.text
    # Said as what it is, in each language, not the generic "already changed or decided".
    lone_words = {"fi": "Tämä toiminta ei kuulu sarjaan: muokkaa sitä yksinään.",
                  "sv": "Den här verksamheten hör inte till någon serie: redigera den ensam.",
                  "en": "This activity is not part of a series: edit it on its own."}
    for lang, words in lone_words.items():
        lone = await client.patch(f"/events/{alone.json()['id']}/series-to-come?lang={lang}",
                                  headers=ORGANISER, json={"capacity": 3})
        assert (lone.status_code, lone.json()["code"], lone.json()["message"]) == (
            409, "not_a_series", words), lone.text
    # A cancelled time is not edited: its own code too, and its status.
    cancelled = await client.post(f"/events/{ids[0]}/cancel", headers=ORGANISER,
                                  json={"reason": "Sairastuminen"})
    assert cancelled.status_code == 200, cancelled.text
    gone = await client.patch(f"/events/{ids[0]}/series-to-come?lang=en", headers=ORGANISER,
                              json={"capacity": 3})
    assert (gone.status_code, gone.json()["code"], gone.json()["status"]) == (
        409, "not_edited", "cancelled"), gone.text
    assert gone.json()["message"] == "That cannot be done in the activity's present state."
    assert (await client.patch(f"/events/{ids[2]}/series-to-come", headers=OTHER,
                               json={"capacity": 3})).status_code == 404
    assert (await client.patch(f"/events/{ids[1]}/series-to-come", headers=OTHER,
                               json={"capacity": 3})).status_code == 403
    assert (await client.patch(f"/events/{ids[1]}/series-to-come",
                               json={"capacity": 3})).status_code == 401
    # A value the body cannot even be: refused by its field before any use case.
    bad = await client.patch(f"/events/{ids[1]}/series-to-come", headers=ORGANISER,
                             json={"capacity": 0})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "capacity"]
    assert [r[2] for r in await stored()] == [25, 25, 25]


async def test_the_openapi_document_names_its_answers(start_service: Any) -> None:
    client = await start_service(spec)
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/events/{event_id}/series-to-come"]["patch"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ActivityEventPatch"}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert (ok["type"], ok["items"]) == (
        "array", {"$ref": "#/components/schemas/ActivityEventOut"})
    assert {"401", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "occurrence" in operation["responses"]["422"]["description"]
    conflict = operation["responses"]["409"]["description"]
    assert "`not_a_series`" in conflict and "`not_edited`" in conflict


async def test_a_published_series_stays_publishable_by_either_patch(start_service: Any) -> None:
    """A tester's series at "Puijon torni" made online without its link: published, the API
    refuses it by every way of editing it, as the organiser's page does, and stores nothing;
    a draft series may be incomplete (published only when complete)."""
    client = await start_service(spec)
    pool = client.runtime.pool
    made = await client.post("/series", headers=ORGANISER, json=series_body(
        place_kind="other_place", place_name={"fi": "Puijon torni"}, repeat={"count": 4}))
    assert made.status_code == 201, made.text
    ids = [o["id"] for o in made.json()["occurrences"]]
    out = await client.post(f"/series/{made.json()['series_id']}/publish", headers=COMMS)
    assert [o["status"] for o in out.json()] == ["published"] * 4, out.text

    async def places() -> list[tuple[Any, ...]]:
        rows = await pool.fetch("SELECT place_kind, online_url, revision FROM activity_events"
                                " WHERE id = ANY($1::uuid[]) ORDER BY starts_at", ids)
        return [tuple(r) for r in rows]

    before = await places()
    assert before == [("other_place", None, 1)] * 4
    for path in (f"/events/{ids[1]}/series-to-come?lang=en", f"/events/{ids[1]}?lang=en"):
        for body in ({"place_kind": "online"}, {"place_kind": "online", "online_url": None},
                     {"place_kind": "hybrid", "online_url": "https://meet.example/k"}):
            refused = await client.patch(path, headers=ORGANISER, json=body)
            assert refused.status_code == 422, (path, body, refused.text)
            fields = {r["field"] for r in refused.json()["refusals"]}
            assert fields == ({"online_url"} if body["place_kind"] == "online"
                              else {"venue_id"}), (path, body, refused.json())
    assert await places() == before
    # With its link it is publishable, and every time still to come has it.
    linked = await client.patch(f"/events/{ids[1]}/series-to-come", headers=ORGANISER,
                                json={"place_kind": "online",
                                      "online_url": "https://meet.example/kuoro"})
    assert linked.status_code == 200, linked.text
    assert await places() == [("online", "https://meet.example/kuoro", 2)] * 4

    # The tester's own series (found in the platform's database) was four drafts: the API
    # saves a draft incomplete (the house rule; publishing refuses it), and the organiser's
    # page, which writes a draft to be published, names the same missing link by its input,
    # the link given once for every time still to come.
    drafts = await client.post("/series", headers=ORGANISER, json=series_body(
        place_kind="other_place", place_name={"fi": "Puijon torni"}, repeat={"count": 4}))
    draft_ids = [o["id"] for o in drafts.json()["occurrences"]]
    saved = await client.patch(f"/events/{draft_ids[0]}/series-to-come", headers=ORGANISER,
                               json={"place_kind": "online"})
    assert saved.status_code == 200, saved.text
    publish = await client.post(f"/series/{drafts.json()['series_id']}/publish",
                                headers=COMMS)
    assert publish.status_code == 422, publish.text
    assert {r["field"] for r in publish.json()["refusals"]} == {"online_url"}
    form = {"name.fi": "Kuoroharjoitus", "kind": "open_guided", "place_kind": "online",
            "place_name.fi": "Puijon torni", "languages": ["fi"], "free": "1",
            "scope": "series", **{f: datetime.fromisoformat(
                drafts.json()["occurrences"][1][f]).astimezone(HELSINKI).strftime(
                    "%Y-%m-%dT%H:%M") for f in ("starts_at", "ends_at")}}
    page = f"/my/activities/{draft_ids[1]}?lang=en"
    refused = await client.post(page, headers=ORGANISER, data=form)
    assert refused.status_code == 422 and refused.text.count('class="field-error"') == 1
    assert '<p class="field-error" id="e-online_url">An online activity needs its link to' \
           ' join.</p>' in refused.text
    linked = await client.post(page, headers=ORGANISER,
                               data={**form, "online_url": "https://meet.example/kuoro"})
    assert linked.status_code == 303, linked.text
    rows = await pool.fetch("SELECT online_url FROM activity_events WHERE id = ANY($1::uuid[])",
                            draft_ids)
    assert [r["online_url"] for r in rows] == ["https://meet.example/kuoro"] * 4
    publish = await client.post(f"/series/{drafts.json()['series_id']}/publish",
                                headers=COMMS)
    assert publish.status_code == 200, publish.text
