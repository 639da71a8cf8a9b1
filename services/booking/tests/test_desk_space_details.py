"""Issue #15: a space's description, equipment and photos on the desk's spaces page, in-process
(the app with the in-memory store): saved through the API's use case, refused next to the
field in the page's language with the form kept, nothing half-stored. The same use case
refuses the same over the API (`PUT /spaces/{id}/details`)."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest

from services.booking import domain, usecases
from services.booking.tests.test_desk_forms import DESK, Desk, Page, desk
from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL
from services.booking.tests.test_usecases import VENUE, world
from shared.auth import Principal
from shared.errors import Forbidden, Invalid

__all__ = ["desk"]  # the fixture, used by name

PARAMS = {"venue_id": str(VENUE), "lang": "sv"}
PHOTO = "https://kirjasto.kuopio.example/tilat/ryhmatila.jpg"


def _form(**changes: str) -> dict[str, str]:
    return {"csrf": "x", "description_fi": "Valoisa ryhmätila\r\nkahdeksalle.",
            "description_sv": "Ett ljust grupprum för åtta.", "description_en": "",
            "equipment": "Videotykki\r\n\r\n  Valkotaulu  \r\n",
            "photo_0_url": PHOTO, "photo_0_alt_fi": "Pöytä ja kahdeksan tuolia",
            "photo_0_alt_sv": "Ett bord och åtta stolar", "photo_0_alt_en": "",
            "photo_1_url": "", "photo_1_alt_fi": "", "photo_1_alt_sv": "",
            "photo_1_alt_en": "", **changes}


async def test_the_desk_saves_a_spaces_description_equipment_and_photos(desk: Desk) -> None:
    url = f"/desk/spaces/{desk.space.id}/details"
    saved = await desk.http.post(url, params=PARAMS, headers=DESK, data=_form())
    assert saved.status_code == 303
    assert parse_qs(urlsplit(saved.headers["location"]).query)["msg"][0].startswith(
        "Beskrivning, utrustning och bilder sparade:")
    space = desk.store.state.spaces[desk.space.id]
    assert space.description == {"fi": "Valoisa ryhmätila\nkahdeksalle.",
                                 "sv": "Ett ljust grupprum för åtta."}
    assert space.equipment == ("Videotykki", "Valkotaulu")
    assert space.photos == ({"url": PHOTO, "alt": {"fi": "Pöytä ja kahdeksan tuolia",
                                                   "sv": "Ett bord och åtta stolar"}},)

    page = await desk.http.get("/desk/spaces", headers=DESK, params=PARAMS)
    assert page.status_code == 200 and "Beskrivning på svenska" in page.text
    assert f'value="{PHOTO}"' in page.text and "Ny bild" in page.text
    assert "Valkotaulu" in page.text

    # Removing the photo keeps the rest.
    removed = await desk.http.post(url, params=PARAMS, headers=DESK,
                                   data=_form(photo_0_remove="true"))
    assert removed.status_code == 303
    assert desk.store.state.spaces[desk.space.id].photos == ()


@pytest.mark.parametrize("changes, input_name, said", [
    ({"photo_1_url": "http://example.fi/kuva.jpg", "photo_1_alt_fi": "Lava"}, "photo_1_url",
     "Ange en bildadress som börjar med https://"),
    ({"photo_1_url": "https://example.fi/kuva.jpg"}, "photo_1_alt_fi",
     "Berätta på finska vad bilden visar"),
    ({"description_fi": "", "description_sv": "Bara svenska"}, "description_fi",
     "Skriv beskrivningen också på finska."),
    ({"description_en": "x" * 501}, "description_en", "Texten är för lång: högst 500 tecken."),
    ({"equipment": "y" * 101}, "equipment", "En sak per rad, högst 100 tecken."),
    ({"description_sv": "noll\x00tavu"}, "description_sv", "Texten har ett tecken"),
])
async def test_a_refusal_is_said_next_to_its_field_and_the_form_is_kept(
        desk: Desk, changes: dict[str, str], input_name: str, said: str) -> None:
    before = desk.store.state.spaces[desk.space.id]
    url = f"/desk/spaces/{desk.space.id}/details"
    refused = await desk.http.post(url, params=PARAMS, headers=DESK, data=_form(**changes))
    assert refused.status_code == 422, refused.text
    page = Page(refused.text)
    error_id = f"e-{desk.space.id}-{input_name}"
    assert said in page.text[error_id]
    assert page.text["status"].strip().startswith("Kontrollera det markerade fältet.")
    # The input says it is invalid, points at the refusal and gets the focus.
    [tag] = re.findall(rf'<(?:input|textarea) [^>]*name="{input_name}"[^>]*>', refused.text)
    assert 'aria-invalid="true"' in tag and error_id in tag and "autofocus" in tag
    # What was typed is shown again.
    assert "Valoisa ryhmätila" in refused.text or "Bara svenska" in refused.text
    assert desk.store.state.spaces[desk.space.id] == before  # nothing half-stored


async def test_another_venues_desk_cannot_change_the_space() -> None:
    uow, store, space, _ = world()
    other = Principal("desk-2", frozenset({"desk"}), frozenset({uuid4()}), "Muu")
    details = domain.SpaceDetails({"fi": "Tila"}, ("Tuolit",), ())
    with pytest.raises(Forbidden):
        await usecases.set_space_details(uow, other, space.id, details)
    changed = await usecases.set_space_details(uow, DESK_PRINCIPAL, space.id, details)
    assert (changed.description, changed.equipment) == ({"fi": "Tila"}, ("Tuolit",))
    too_many = replace(details, photos=tuple(
        {"url": f"https://example.fi/{i}.jpg", "alt": {"fi": "Kuva"}} for i in range(21)))
    with pytest.raises(Invalid) as refused:
        await usecases.set_space_details(uow, DESK_PRINCIPAL, space.id, too_many)
    assert (refused.value.field, refused.value.details["code"]) == ("photos", "too_many")
    assert store.state.spaces[space.id].equipment == ("Tuolit",)
