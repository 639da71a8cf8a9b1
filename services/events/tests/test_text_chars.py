"""An activity's texts take no control or text-direction character (a tester's finding: a
BEL in a name went into the calendar and the posts sent to social media): the API (POST and
PATCH /events, /series, the Linked Events import) refuses it with a 422 naming the field,
the organiser's New activity and edit forms say so next to the field in the page's language,
and nothing is stored; an activity stored with one before the rule is still shown and
edited. The events service in this process, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events import domain
from services.events.app import spec
from shared.clock import HELSINKI
from shared.errors import Invalid
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="merkkitesti", name="Merkkitesti")
COMMS = bearer("communications", subject="viestinta")
START = (datetime.now(UTC) + timedelta(days=5)).replace(second=0, microsecond=0)
SAID = {"fi": "Tekstissä on merkki, jota ei voi tallentaa; kirjoita se uudelleen.",
        "sv": "Texten har ett tecken som inte kan sparas; skriv den på nytt.",
        "en": "The text has a character that cannot be saved; type it again."}
ODD = ["Bell\x07x", "esc\x1b[31mred", "\u202eevil", "a\u2066b", "del\x7f"]


def body(**changes: Any) -> dict[str, Any]:
    return {"name": {"fi": "Pihapelit"}, "place_kind": "outdoors",
            "place_name": {"fi": "Puisto"}, "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat(), **changes}


def test_each_text_is_refused_by_its_field_and_a_kept_one_stands() -> None:
    event = {"name": {"fi": "Bell\x07", "sv": "ok"}, "description": {"fi": "rivi\nrivi\t"},
             "place_name": {"fi": "a\nb"}, "organiser_name": "\u202eX"}
    found = domain.text_chars_refusals(event)
    assert [(e.field, e.details["code"]) for e in found] == [
        ("name.fi", "text_chars"), ("place_name.fi", "text_chars"),
        ("organiser_name", "text_chars")]
    # A description breaks lines; a name and a place are one line.
    assert domain.text_chars_refusals({"description": {"fi": "a\nb\tc"}}) == []
    # What is stored already stands: an old activity is still edited.
    assert domain.text_chars_refusals(event, kept=event) == []
    # A reason residents are told (cancelling, postponing) likewise.
    with pytest.raises(Invalid) as refused:
        domain.check_reason("sade\x1b[2J")
    assert (refused.value.field, refused.value.details["code"]) == ("reason", "text_chars")
    domain.check_reason("Sade.\nUusi aika tulee.")
    assert [e.field for e in domain.text_chars_refusals(
        {**event, "name": {"fi": "Bell\x07", "sv": "ny\x1b"}}, kept=event)] == ["name.sv"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_api_refuses_a_control_character_naming_the_field(start_service: Any,
                                                                   lang: str) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    headers = {**ORGANISER, "Accept-Language": lang}
    for odd in ODD:
        refused = await client.post("/events", headers=headers,
                                    json=body(name={"fi": odd}))
        assert refused.status_code == 422, (odd, refused.text)
        said = refused.json()
        assert said["code"] == "text_chars", said
        assert said["detail"][0]["loc"] == ["body", "name", "fi"], said
        assert said["message"].startswith(SAID[lang]), said
    for field, value in (("description", {"fi": "x", "en": "y\x07"}),
                         ("place_name", {"fi": "Puisto\x1b"}),
                         ("organiser_name", "Seura\u202e")):
        refused = await client.post("/events", headers=headers, json=body(**{field: value}))
        assert refused.status_code == 422, refused.text
        assert refused.json()["refusals"][0]["field"] == (
            f"{field}.en" if field == "description" else
            f"{field}.fi" if field == "place_name" else field)
    series = await client.post("/series", headers=headers,
                               json={**body(name={"fi": "Sarja\x07"}), "repeat": {"count": 2}})
    assert (series.status_code, series.json()["detail"][0]["loc"]) == (
        422, ["body", "name", "fi"])
    imported = await client.post("/linkedevents/v1/import", headers=COMMS, json={"data": [
        {"id": "le:bel", "name": {"fi": "Kino\x07"}, "start_time": START.isoformat()}]})
    assert imported.status_code == 422, imported.text
    assert imported.json()["failed"][0]["field"] == "name.fi"
    assert await pool.fetchval("SELECT count(*) FROM activity_events") == 0

    created = await client.post("/events", headers=headers, json=body())
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    patched = await client.patch(f"/events/{event_id}", headers=headers,
                                 json={"name": {"fi": "Piha\x07pelit"}})
    assert (patched.status_code, patched.json()["detail"][0]["loc"]) == (
        422, ["body", "name", "fi"])
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()["name"]["fi"] \
        == "Pihapelit"

    # One stored before the rule: shown, and another field of it is still changed.
    await pool.execute("UPDATE activity_events SET name = $2 WHERE id = $1", event_id,
                       {"fi": "Vanha\x07nimi"})
    kept = await client.patch(f"/events/{event_id}", headers=headers, json={"capacity": 8})
    assert kept.status_code == 200, kept.text
    assert kept.json()["name"]["fi"] == "Vanha\x07nimi"
    page = await client.get(f"/my/activities/{event_id}?lang={lang}", headers=ORGANISER)
    assert page.status_code == 200 and "Vanha" in page.text


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


FORM = {"name.fi": "Syyskävely", "starts_at": _local(START),
        "ends_at": _local(START + timedelta(hours=2)), "kind": "open_guided",
        "place_kind": "outdoors", "place_name.fi": "Puisto", "area": "kuopio.keskusta",
        "online_url": ""}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_forms_say_it_next_to_the_field_and_store_nothing(start_service: Any,
                                                                   lang: str) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    refused = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                                data={**FORM, "name.fi": "Bell\x07name"})
    assert refused.status_code == 422
    assert f'<p class="field-error" id="e-name-fi">{SAID[lang]}</p>' in refused.text
    assert 'aria-describedby="e-name-fi"' in refused.text
    assert await pool.fetchval("SELECT count(*) FROM activity_events") == 0

    made = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER, data=FORM)
    assert made.status_code == 303, made.text
    page = made.headers["location"].split("?")[0]
    edited = await client.post(f"{page}?lang={lang}", headers=ORGANISER,
                               data={**FORM, "place_name.fi": "Puisto\u202e"})
    assert edited.status_code == 422
    assert f'<p class="field-error" id="e-place_name-fi">{SAID[lang]}</p>' in edited.text
    assert await pool.fetchval("SELECT place_name->>'fi' FROM activity_events") == "Puisto"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_refusal_reason_takes_none_either(start_service: Any, lang: str) -> None:
    """The reason staff give when they do not approve goes as typed into the organiser's
    email and their page: refused as a cancelling's reason is, by the API (422 naming
    `reason`) and by the queue's page (by the reason's input, in the page's language, the
    reason given back without the character), nothing decided; a plain one is sent."""
    client = await start_service(spec)
    pool = client.runtime.pool
    created = await client.post("/events", headers=ORGANISER, json=body())
    event_id = created.json()["id"]
    sent = await client.post(f"/events/{event_id}/publish", headers=ORGANISER)
    assert sent.json()["status"] == "awaiting_approval", sent.text
    for odd in ODD:
        refused = await client.post(f"/events/{event_id}/refuse",
                                    headers={**COMMS, "Accept-Language": lang},
                                    json={"reason": f"Ei käy: {odd}"})
        assert refused.status_code == 422, (odd, refused.text)
        said = refused.json()
        assert (said["code"], said["detail"][0]["loc"]) == ("text_chars", ["body", "reason"])
    words = {"fi": "Perustelussa oli merkki, jota ei voi lähettää, ja se poistettiin.",
             "sv": "Motiveringen hade ett tecken som inte kan skickas, och det togs bort.",
             "en": "The reason had a character that cannot be sent, and it was removed."}
    page = await client.post(f"/approvals/queue/{event_id}/refuse?lang={lang}",
                             headers=COMMS, data={"reason": "Ei\u202e käy\x07 tänään.\nSori"})
    assert page.status_code == 422, page.text
    assert f'<p class="field-error" id="e-{event_id}">{words[lang]}' in page.text
    assert 'aria-invalid="true"' in page.text
    assert ">Ei käy tänään.\nSori</textarea>" in page.text
    assert await pool.fetchval("SELECT status FROM activity_events WHERE id = $1",
                               created.json()["id"]) == "awaiting_approval"
    decided = await client.post(f"/approvals/queue/{event_id}/refuse?lang={lang}",
                                headers=COMMS, data={"reason": "Ei käy tänään.\nSori"})
    assert decided.status_code == 303, decided.text
    assert await pool.fetchval("SELECT status FROM activity_events WHERE id = $1",
                               created.json()["id"]) == "draft"
