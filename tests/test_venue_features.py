"""A venue's accessibility features cross the bus: booking registers a venue with them and
changes them alone, and the guide's read model answers residents with them in their
language (booking and the guide in this process, on the real Kafka and PostgreSQL)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from services.booking.app import spec as booking_spec
from services.guide.app import spec as guide_spec
from tests.infra import bearer, eventually

pytestmark = pytest.mark.infra


async def test_a_venues_features_from_booking_reach_the_guides_answer(
        start_service: Any) -> None:
    booking = await start_service(booking_spec)
    guide = await start_service(guide_spec)
    made = await booking.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Juankosken kirjasto", "sv": "Juankoski bibliotek",
                 "en": "Juankoski library"},
        "kind": "library", "area": "kuopio.juankoski", "municipality": "Kuopio",
        "accessibility_features": ["induction_loop", "step_free_entrance"],
        "spaces": [{"name": {"fi": "Ryhmätila"}, "capacity": 8}]})
    assert made.status_code == 201, made.text
    venue_id = made.json()["id"]

    async def answer(question: str) -> dict[str, Any]:
        return await _answer(guide, question)

    async def told(question: str, text: str) -> bool:
        return (await answer(question))["text"] == text

    fi = "Pääseekö Juankosken kirjastoon pyörätuolilla?"
    await eventually(lambda: told(fi, "Juankosken kirjasto: Esteettömyys: Esteetön "
                                      "sisäänkäynti, Induktiosilmukka."), timeout=60)
    sv = await answer("Är Juankoski bibliotek tillgängligt med rullstol?")
    assert sv["kind"] == "accessibility" and sv["text"] == (
        "Juankoski bibliotek: Tillgänglighet: Steglös ingång, Hörslinga.")
    assert venue_id in sv["citations"][0]["url"]

    # The desk changes the features alone: the guide hears `venue.updated` with them.
    desk = bearer("desk", venues=(venue_id,), subject="juankoski-desk")
    patched = await booking.patch(f"/venues/{venue_id}", headers=desk, json={
        "accessibility_features": ["lift"]})
    assert patched.status_code == 200, patched.text
    en = "Is Juankoski library wheelchair accessible?"
    await eventually(lambda: told(en, "Juankoski library: Accessibility: Lift."), timeout=60)

    # None known and no description: the guide offers a person, as before.
    cleared = await booking.patch(f"/venues/{venue_id}", headers=desk, json={
        "accessibility_features": []})
    assert cleared.status_code == 200, cleared.text

    async def handed_over() -> bool:
        return (await answer(en))["kind"] == "handover"

    await eventually(handed_over, timeout=60)


async def test_what_a_desk_adds_to_lend_reaches_the_guides_answer(start_service: Any) -> None:
    """The desk lists snowshoes to lend (`POST /venues/{id}/resources`): booking tells the
    venue again with its lendables, and the guide answers "can I borrow …" with them."""
    booking = await start_service(booking_spec)
    guide = await start_service(guide_spec)
    made = await booking.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Vehmersalmen kirjasto", "sv": "Vehmersalmi bibliotek",
                 "en": "Vehmersalmi library"},
        "kind": "library", "area": "kuopio.vehmersalmi", "municipality": "Kuopio",
        "spaces": [{"name": {"fi": "Ryhmätila"}, "capacity": 8}]})
    assert made.status_code == 201, made.text
    venue_id = made.json()["id"]

    async def answer(question: str) -> dict[str, Any]:
        return await _answer(guide, question)

    fi = "Voiko Vehmersalmen kirjastosta lainata lumikenkiä?"
    await eventually(lambda: _kind(answer(fi), "handover"), timeout=60)
    desk = bearer("desk", venues=(venue_id,), subject="vehmersalmi-desk")
    added = await booking.post(f"/venues/{venue_id}/resources", headers=desk, json={
        "name": {"fi": "Lumikengät", "sv": "Snöskor", "en": "Snowshoes"}, "quantity": 4})
    assert added.status_code == 201, added.text
    await eventually(lambda: _kind(answer(fi), "lending"), timeout=60)
    said = await answer(fi)
    assert said["text"].startswith(
        "Lainattavissa – Vehmersalmen kirjasto: Lumikengät (4 kpl)."), said["text"]
    # Its source is the venue's page in booking, which a person reads (not the JSON API).
    cited = urlsplit(said["citations"][0]["url"])
    page = await booking.get(f"{cited.path}?{cited.query}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Vehmersalmen kirjasto</h1>" in page.text and "Lumikengät (4 kpl)" in page.text
    en = await answer("Can I borrow snowshoes at Vehmersalmi library?")
    assert en["kind"] == "lending" and en["text"].startswith(
        "To borrow – Vehmersalmi library: Snowshoes (4)."), en["text"]


async def _answer(guide: Any, question: str) -> dict[str, Any]:
    """The guide's answer to `question` over its JSON API."""
    r = await guide.post("/ask", json={"question": question})
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()["answer"]
    return found


async def _kind(answer: Any, kind: str) -> bool:
    return bool((await answer)["kind"] == kind)
