"""A time in a year out of range was refused as an amount: "Alkaa: Anna luku väliltä
2 000–2 100." Years are said as years, never grouped: "anna päivä ja kellonaika vuosilta
2000–2100", as the booking pages say it, in fi/sv/en, on the New activity form and an
activity's move form."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.events.app import spec
from services.events.organiser_pages import refusal
from shared.errors import Invalid
from tests.infra import bearer

ORGANISER = bearer("organiser", subject="vuosikirja")
SAID = {"fi": "Anna päivä ja kellonaika vuosilta 2000–2100.",
        "sv": "Ange dag och klockslag åren 2000–2100.",
        "en": "Give a date and time in the years 2000–2100."}


@pytest.mark.unit
def test_a_year_out_of_range_is_said_as_years_not_an_amount() -> None:
    refused = Invalid("the year must be between 2000 and 2100", field="starts_at")
    for lang, said in SAID.items():
        assert refusal(refused, lang) == said
    # An amount is still grouped as the language writes it.
    assert refusal(Invalid("must be between 1 and 100000", field="capacity"), "fi") == \
        "Anna luku väliltä 1–100\xa0000."


@pytest.mark.infra
async def test_the_new_activity_form_says_the_years(start_service: Any) -> None:
    client = await start_service(spec)
    for lang, said in SAID.items():
        answer = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER, data={
            "name.fi": "Vuosijuhla", "starts_at": "9999-12-31T23:00",
            "ends_at": "9999-12-31T23:30", "kind": "open_guided", "place_kind": "online",
            "online_url": "https://meet.example/juhla", "area": ""})
        assert answer.status_code == 422, answer.text
        errors = re.findall(r'<p class="field-error" id="e-(starts_at|ends_at)">([^<]*)</p>',
                            answer.text)
        assert errors == [("starts_at", said), ("ends_at", said)], (lang, errors)
        assert "2\xa0000" not in answer.text and "2,000" not in answer.text
