"""The "New activity" form chooses no kind for the organiser (a tester's finding: with no
option selected, the first in the page language's sort order was sent, "Asukasilta" in
Finnish, "Annat" in Swedish, "Digital" in English, and the figures by kind counted it so):
its select starts at "choose", is required, and left so the form is refused by it in fi, sv
and en, nothing stored. The events service in this process, on the real database."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.events.app import spec
from services.events.labels import KIND_NEEDED
from services.events.labels import ORGANISER as SAID
from services.events.tests.test_new_activity_page import FORM, ORGANISER, _mine

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_kind_is_chosen_by_the_organiser_in_every_language(start_service: Any,
                                                                     lang: str) -> None:
    client = await start_service(spec)
    form = (await client.get(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                             follow_redirects=True)).text
    select = re.search(r'<select id="f-kind"[^>]*>.*?</select>', form, re.S)
    assert select is not None
    assert 'required' in select.group(0).split(">")[0]
    assert f'<option value="">{SAID[lang]["kind_blank"]}</option>' in select.group(0)
    assert " selected" not in select.group(0)

    refused = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                                data={**FORM, "kind": ""})
    assert refused.status_code == 422
    assert f'<p class="field-error" id="e-kind">{KIND_NEEDED[lang]}</p>' in refused.text
    assert 'aria-describedby="e-kind"' in refused.text
    assert await _mine(client) == []
    made = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                             data={**FORM, "kind": "digital"})
    assert made.status_code == 303
    assert [row["kind"] for row in await _mine(client)] == ["digital"]
