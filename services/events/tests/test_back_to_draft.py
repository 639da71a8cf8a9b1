"""An activity awaiting approval is taken back to a draft by its organiser (a tester's
finding: it could be neither deleted nor cancelled, and the two 409s contradicted each other
in raw words, "a awaiting approval activity event" and "awaiting_approval"). Back to a draft
it leaves the queue and is deleted, edited or sent again as any draft; deleting or
cancelling it while it waits says to take it back first, as people write, in fi/sv/en. The
events service in this process, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events import domain
from services.events.app import spec
from tests.infra import bearer

pytestmark = pytest.mark.infra

ORGANISER = bearer("organiser", subject="odotustesti", name="Odotustesti")
OTHER = bearer("organiser", subject="joku-muu")
COMMS = bearer("communications", subject="viestinta")
START = (datetime.now(UTC) + timedelta(days=6)).replace(second=0, microsecond=0)
TAKE_BACK = {"fi": "ota se ensin takaisin luonnokseksi",
             "sv": "ta först tillbaka det till ett utkast",
             "en": "take it back to a draft first"}
BUTTON = {"fi": "Ota takaisin luonnokseksi", "sv": "Ta tillbaka till utkast",
          "en": "Take back to a draft"}
DONE = {"fi": "Otettu takaisin luonnokseksi", "sv": "Tillbakataget till utkast",
        "en": "Taken back to a draft"}


@pytest.mark.unit
def test_the_refusals_name_the_status_as_people_write() -> None:
    with pytest.raises(Exception) as refused:
        domain.check_transition("awaiting_approval", "cancelled")
    assert str(refused.value.args[0]).startswith("an activity awaiting approval is not out")
    with pytest.raises(Exception) as refused:
        domain.check_transition("cancelled", "published")
    assert refused.value.args[0] == "a cancelled activity cannot be published"
    with pytest.raises(Exception) as refused:
        domain.check_deletable({"status": "published"})
    assert refused.value.args[0] == "a published activity is not deleted: cancel it"


async def _queued(client: Any) -> str:
    made = await client.post("/events", headers=ORGANISER, json={
        "name": {"fi": "Puistojooga"}, "place_kind": "outdoors", "area": "kuopio.jynkka",
        "place_name": {"fi": "Jynkän puisto"}, "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=1)).isoformat()})
    event_id = str(made.json()["id"])
    sent = await client.post(f"/events/{event_id}/publish", headers=ORGANISER)
    assert sent.json()["status"] == "awaiting_approval", sent.text
    return event_id


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_organiser_takes_it_back_and_then_deletes_it(start_service: Any,
                                                              lang: str) -> None:
    client = await start_service(spec)
    event_id = await _queued(client)
    headers = {**ORGANISER, "Accept-Language": lang}
    # Waiting: neither deleted nor cancelled, both saying the same thing in words.
    for answer in (await client.delete(f"/events/{event_id}", headers=headers),
                   await client.post(f"/events/{event_id}/cancel", headers=headers,
                                     json={"reason": "sade"})):
        said = answer.json()
        assert (answer.status_code, said["code"]) == (409, "awaiting_approval"), said
        assert TAKE_BACK[lang] in said["message"], said
        assert "awaiting_approval" not in said["message"] and "a awaiting" not in str(said)
    # Only its editors take it back; what is not waiting has nothing to take back.
    assert (await client.post(f"/events/{event_id}/back-to-draft",
                              headers=OTHER)).status_code == 404

    page = await client.get(f"/my/activities/{event_id}?lang={lang}", headers=ORGANISER)
    assert f">{BUTTON[lang]}</button>" in page.text
    taken = await client.post(f"/my/activities/{event_id}/back-to-draft?lang={lang}",
                              headers=ORGANISER, data={})
    assert taken.status_code == 303, taken.text
    shown = await client.get(taken.headers["location"], headers=ORGANISER)
    assert DONE[lang] in shown.text and f">{BUTTON[lang]}</button>" not in shown.text
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()["status"] \
        == "draft"
    assert all(e["id"] != event_id for e in
               (await client.get("/approvals", headers=COMMS)).json())
    again = await client.post(f"/events/{event_id}/back-to-draft", headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "not_awaiting_approval")
    # A draft as any: deleted.
    assert (await client.delete(f"/events/{event_id}", headers=ORGANISER)).status_code == 204


async def test_the_api_takes_it_back_and_it_is_sent_again(start_service: Any) -> None:
    client = await start_service(spec)
    event_id = await _queued(client)
    back = await client.post(f"/events/{event_id}/back-to-draft", headers=ORGANISER)
    assert (back.status_code, back.json()["status"]) == (200, "draft"), back.text
    edited = await client.patch(f"/events/{event_id}", headers=ORGANISER,
                                json={"name": {"fi": "Puistojooga aamulla"}})
    assert edited.status_code == 200, edited.text
    sent = await client.post(f"/events/{event_id}/publish", headers=ORGANISER)
    assert sent.json()["status"] == "awaiting_approval"
    history = (await client.get(f"/events/{event_id}/history", headers=ORGANISER)).json()
    assert [h["status"] for h in history][-3:] == ["awaiting_approval", "draft",
                                                    "awaiting_approval"]
