"""Every refusal of an activity said at once, on the organiser's form and in the API's 422,
nothing stored (the events service in this process, on the real database)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from services.events import usecases
from services.events.app import spec
from shared.clock import SYSTEM_CLOCK
from shared.contracts import BookingConfirmed
from tests.infra import bearer

ORGANISER = bearer("organiser", subject="kuoroseura")
START = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
BASE = {"name.fi": "Kuoroharjoitus", "kind": "open_guided", "place_kind": "venue",
        "languages": ["fi"], "free": "1"}


async def _draft(client: Any) -> str:
    booking = BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=START,
        ends_at=START + timedelta(hours=2), title="Kuoroharjoitus", organiser_id=uuid4(),
        organiser_subject="kuoroseura")
    draft = await usecases.draft_from_booking(usecases.unit_of_work(client.runtime.pool),
                                              SYSTEM_CLOCK, booking)
    assert draft is not None
    return str(draft["id"])


async def test_the_form_says_every_refusal_at_once_and_keeps_what_was_typed(
        start_service: Any) -> None:
    client = await start_service(spec)
    event_id = await _draft(client)
    page = f"/my/activities/{event_id}"
    before = (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()
    typed = "Laulamme yhdessä. " + "x" * 490
    sent = await client.post(f"{page}?lang=fi", headers=ORGANISER, data={
        **BASE, "description.fi": typed, "min_age": "99", "max_age": "7"})
    assert sent.status_code == 422
    html = sent.text
    # Each by its input, in Finnish, the input marked and described by it.
    assert re.search(r'id="e-description-fi">Enintään 500 merkkiä\.</p>', html)
    assert re.search(r'id="e-max_age">Alaikäraja ei voi olla yläikärajaa suurempi\.</p>',
                     html)
    for key in ("description-fi", "max_age"):
        assert re.search(rf'id="f-{key}"[^>]*aria-invalid="true" aria-describedby="e-{key}"',
                         html), key
    # The summary above the form links to each and has focus; no input takes it.
    start = html.index('id="refusals"')
    summary = html[start:html.index("<form", start)]
    assert 'tabindex="-1" autofocus' in summary
    assert re.findall(r'<a href="#(f-[^"]+)"', summary) == ["f-description-fi", "f-max_age"]
    assert html.count("autofocus") == 1
    # The form as typed; nothing stored.
    assert typed in html and 'value="99"' in html and 'value="7"' in html
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json() == before

    # In Swedish, each in Swedish.
    sv = await client.post(f"{page}?lang=sv", headers=ORGANISER, data={
        **BASE, "description.fi": typed, "min_age": "99", "max_age": "7"})
    assert "Högst 500 tecken." in sv.text
    assert "Den lägsta åldern kan inte vara högre än den högsta." in sv.text

    # A value not even a number is said with the rules the rest breaks.
    mixed = await client.post(f"{page}?lang=en", headers=ORGANISER, data={
        **BASE, "description.fi": typed, "capacity": "thirty"})
    assert mixed.status_code == 422
    assert 'id="e-description-fi"' in mixed.text and 'id="e-capacity"' in mixed.text

    # One refusal: its input takes focus, no list of one.
    one = await client.post(f"{page}?lang=en", headers=ORGANISER, data={
        **BASE, "min_age": "99", "max_age": "7"})
    assert one.status_code == 422
    assert re.search(r'id="f-max_age"[^>]*aria-invalid="true"[^>]*autofocus', one.text)
    assert one.text.count("autofocus") == 1 and 'id="refusals-title"' not in one.text
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json() == before


async def test_one_save_names_every_refusal_the_form_would_meet(start_service: Any) -> None:
    """A tester fixed what the form said and was then told more: a word for a number hid an
    unknown term, and an online activity's missing link came only at the publish after. One
    post with independent faults of every kind names them all, by their inputs and in the
    summary, in fi, sv and en; nothing is stored, and publishing is still what it was."""
    client = await start_service(spec)
    event_id = await _draft(client)
    page = f"/my/activities/{event_id}"
    before = (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()
    typed = {**BASE, "name.fi": "", "name.sv": "Körövning", "description.fi": "x" * 501,
             "place_kind": "online", "topics": ["ei_tallaista"], "min_age": "12",
             "max_age": "7", "capacity": "kolmekymmentä", "image_url": "ftp://kuvat.example.fi"}
    said = {
        "fi": ("Kirjoita tämä suomeksi", "Enintään 500 merkkiä.",
               "Verkossa järjestettävä tapahtuma tarvitsee osallistumislinkin.",
               "Valitse vaihtoehdoista.", "Alaikäraja ei voi olla yläikärajaa suurempi.",
               "Anna kokonaisluku.", "Anna osoite, joka alkaa https:// tai http://."),
        "sv": ("på finska", "Högst 500 tecken.",
               "Ett evenemang på nätet behöver en länk för att delta.",
               "Välj bland alternativen.",
               "Den lägsta åldern kan inte vara högre än den högsta.", "Ange ett heltal.",
               "Ange en adress som börjar med https:// eller http://."),
        "en": ("in Finnish", "At most 500 characters.",
               "An online activity needs its link to join.", "Choose from the options.",
               "The lowest age cannot be above the highest.", "Give a whole number.",
               "Give an address starting with https:// or http://.")}
    inputs = ["f-name-fi", "f-description-fi", "f-online_url", "f-topics", "f-max_age",
              "f-capacity", "f-image_url"]
    for lang, texts in said.items():
        sent = await client.post(f"{page}?lang={lang}", headers=ORGANISER, data=typed)
        assert sent.status_code == 422, (lang, sent.status_code)
        html = sent.text
        start = html.index('id="refusals"')
        summary = html[start:html.index("<form", start)]
        assert re.findall(r'<a href="#(f-[^"]+)"', summary) == inputs, lang
        for key in inputs:
            error = key.replace("f-", "e-", 1)
            assert f'id="{error}"' in html, (lang, key)
        for text in texts:
            assert text in summary, (lang, text)
        assert 'value="kolmekymmentä"' in html and 'value="Körövning"' in html
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json() == before
    # Nothing stored, so the stored draft (at its booking's venue) still publishes.
    published = await client.post(f"/events/{event_id}/publish", headers=ORGANISER)
    assert published.status_code == 200, published.text


async def test_the_apis_422_lists_every_refusal(start_service: Any) -> None:
    client = await start_service(spec)
    event_id = await _draft(client)
    before = (await client.get(f"/events/{event_id}", headers=ORGANISER)).json()
    refused = await client.patch(f"/events/{event_id}", headers=ORGANISER, json={
        "min_age": 99, "max_age": 7, "topics": ["ei_tallaista"], "kind": "ei_tallaista"})
    assert refused.status_code == 422
    assert [d["loc"] for d in refused.json()["detail"]] == [
        ["body", "max_age"], ["body", "kind"], ["body", "topics"]]
    assert (await client.get(f"/events/{event_id}", headers=ORGANISER)).json() == before


COMMS = bearer("communications", subject="viestinta")


async def test_a_blank_or_unreadable_term_label_is_refused_and_nothing_stored(
        start_service: Any) -> None:
    client = await start_service(spec)
    before = (await client.get("/vocabulary")).json()
    for label, lang in (({"fi": "\ue000\u200b"}, "fi"), ({"fi": "   "}, "fi"),
                        ({"fi": "Lautapelit", "sv": "\u200b\u2060"}, "sv"),
                        ({"fi": "Lautapelit", "en": "  "}, "en")):
        refused = await client.put("/vocabulary", headers=COMMS, json={
            "scheme": "topic", "code": "lautapelit", "label": label})
        assert refused.status_code == 422, label
        detail = refused.json()["detail"]
        assert [d["loc"] for d in detail] == [["body", "label", lang]], label
        assert "'lautapelit'" in detail[0]["msg"] and lang in detail[0]["msg"]
    assert (await client.get("/vocabulary")).json() == before
    taken = await client.put("/vocabulary", headers=COMMS, json={
        "scheme": "topic", "code": "lautapelit", "label": {"fi": "Lautapelit"}})
    assert taken.status_code == 200
    assert (await client.get("/vocabulary")).json()["topic"]["lautapelit"]["fi"] == \
        "Lautapelit"
