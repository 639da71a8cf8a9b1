"""An organiser's activity without a booking, from their own pages (a tester's finding: only
`POST /events` made one): "New activity" on /my/activities, its short form, created by the
API's own use case as the organiser's draft, then written and published on its page as any
draft. A refused form says every refusal at once by its input, with the summary naming each
input, in fi, sv and en, keeps what was typed and stores nothing; odd input is a 4xx page.
The events service in this process, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from markupsafe import escape

from services.events import usecases
from services.events.app import spec
from services.events.labels import AREA_NEEDED, FINNISH_NEEDED
from services.events.labels import ORGANISER as SAID
from shared.clock import HELSINKI
from shared.identity import Principal
from tests.infra import bearer

pytestmark = pytest.mark.infra

SUBJECT = "kavelyseura"
ORGANISER = bearer("organiser", subject=SUBJECT, name="Kävelyseura Askel")
OTHER = bearer("organiser", subject="joku-muu")
START = (datetime.now(UTC) + timedelta(days=4)).replace(second=0, microsecond=0)


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


FORM = {"name.fi": "Syyskävely Väinölänniemellä", "name.sv": "", "name.en": "Autumn walk",
        "starts_at": _local(START), "ends_at": _local(START + timedelta(hours=2)),
        "kind": "open_guided", "place_kind": "outdoors",
        "place_name.fi": "Puisto", "area": "kuopio.keskusta",
        "online_url": ""}


async def _mine(client: Any) -> list[dict[str, Any]]:
    return await usecases.my_activities(usecases.unit_of_work(client.runtime.pool),
                                        Principal(subject=SUBJECT,
                                                  roles=frozenset({"organiser"})))


async def test_a_new_activity_is_the_organisers_draft_on_its_own_page(
        start_service: Any) -> None:
    client = await start_service(spec)
    listed = await client.get("/my/activities?lang=fi", headers=ORGANISER)
    assert '<a href="/my/activities/new?lang=fi">Uusi tapahtuma</a>' in listed.text
    # "New activity" is sent on to a form with its own one-time key in its address.
    sent_on = await client.get("/my/activities/new?lang=sv", headers=ORGANISER)
    assert sent_on.status_code == 303 and sent_on.headers["cache-control"] == "no-store"
    key = sent_on.headers["location"].removeprefix("/my/activities/new?lang=sv&form=")
    assert str(UUID(key)) == key
    form = await client.get(sent_on.headers["location"], headers=ORGANISER)
    assert f'<input type="hidden" name="once" value="{key}">' in form.text
    assert form.status_code == 200 and "<h1>Nytt evenemang</h1>" in form.text
    assert 'action="/my/activities/new?lang=sv&amp;send=draft"' in form.text
    assert '<option value="kuopio.keskusta">Centrum</option>' in form.text
    assert '<option value="venue"' not in form.text  # one in a space comes from its booking

    created = await client.post("/my/activities/new?lang=en", headers=ORGANISER, data=FORM)
    assert created.status_code == 303
    page = created.headers["location"]
    assert page.startswith("/my/activities/") and page.endswith("?lang=en")
    event_id = page.removeprefix("/my/activities/").removesuffix("?lang=en")
    [draft] = await _mine(client)
    assert str(draft["id"]) == event_id
    assert (draft["status"], draft["owner_subject"], draft["place_kind"], draft["area"],
            draft["booking_id"]) == ("draft", SUBJECT, "outdoors", "kuopio.keskusta", None)
    assert draft["name"] == {"fi": "Syyskävely Väinölänniemellä", "en": "Autumn walk"}
    assert (draft["starts_at"], draft["ends_at"]) == (START, START + timedelta(hours=2))
    # Nobody else's, and written on its own page as any draft.
    assert (await client.get(f"/events/{event_id}", headers=OTHER)).status_code == 404
    shown = await client.get(page, headers=ORGANISER)
    assert shown.status_code == 200
    assert "<h1>Autumn walk</h1>" in shown.text
    assert 'value="Syyskävely Väinölänniemellä"' in shown.text
    assert f'action="/my/activities/{event_id}/publish?lang=en"' in shown.text
    # Published as any draft without a booking: to the approval queue.
    published = await client.post(f"/my/activities/{event_id}/publish?lang=en",
                                  headers=ORGANISER)
    assert published.status_code == 303
    assert (await _mine(client))[0]["status"] == "awaiting_approval"


WRONG = {**FORM, "name.fi": "", "name.sv": "Höstpromenad", "starts_at": "huomenna",
         "place_kind": "online", "area": "kuopio.atlantis", "kind": "ei_tällaista"}


@pytest.mark.parametrize(("lang", "finnish", "time", "choose", "link"), [
    ("fi", "Nimi suomeksi", "Alkaa: Anna päivä ja kellonaika.", "Valitse vaihtoehdoista.",
     "Verkossa järjestettävä tapahtuma tarvitsee osallistumislinkin."),
    ("sv", "Namn på finska", "Börjar: Ange datum och klockslag.", "Välj bland alternativen.",
     "Ett evenemang på nätet behöver en länk för att delta."),
    ("en", "Name in Finnish", "Starts: Give a date and time.", "Choose from the options.",
     "An online activity needs its link to join."),
])
async def test_a_refused_new_activity_says_every_refusal_and_stores_nothing(
        start_service: Any, lang: str, finnish: str, time: str, choose: str,
        link: str) -> None:
    client = await start_service(spec)
    refused = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                                data=WRONG)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    text = refused.text
    t = SAID[lang]
    # Each by its input, marked invalid and described by its refusal.
    assert f'<p class="field-error" id="e-name-fi">{FINNISH_NEEDED[lang]}</p>' in text
    for key in ("name-fi", "starts_at", "kind", "area", "online_url"):
        assert f'aria-describedby="e-{key}"' in text, key
    # The summary names each input by its label, in the form's order, and links to it.
    assert f'<a href="#f-name-fi">{finnish}: {FINNISH_NEEDED[lang]}</a>' in text
    assert f'<a href="#f-starts_at">{time}</a>' in text
    assert f'<a href="#f-kind">{t["kind"]}: {choose}</a>' in text
    assert f'<a href="#f-area">{t["area"]}: {choose}</a>' in text
    assert f'<a href="#f-online_url">{t["online_url"]}: {link}</a>' in text
    assert text.index("#f-name-fi") < text.index("#f-starts_at") < text.index("#f-kind") \
        < text.index("#f-area") < text.index("#f-online_url")
    assert str(t["fix"]) in text
    # The form as typed.
    assert 'value="Höstpromenad"' in text and 'value="huomenna"' in text
    assert '<option value="online" selected>' in text
    assert await _mine(client) == []


async def test_a_new_activity_in_a_place_is_given_its_area(start_service: Any) -> None:
    """The API may leave the area out, but no page sets it later, and without one the
    activity is on no area's notice boards or searches: the page asks for it, but not for
    one online."""
    client = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        refused = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                                    data={**FORM, "area": ""})
        assert refused.status_code == 422
        assert (f'<p class="field-error" id="e-area">{escape(AREA_NEEDED[lang])}</p>'
                in refused.text), lang
    assert await _mine(client) == []
    online = await client.post("/my/activities/new?lang=fi", headers=ORGANISER, data={
        **FORM, "area": "", "place_kind": "online",
        "online_url": "https://meet.example.fi/syyskavely"})
    assert online.status_code == 303, online.text
    [draft] = await _mine(client)
    assert (draft["place_kind"], draft["area"]) == ("online", None)


@pytest.mark.parametrize("odd", [
    {"place_kind": "venue"}, {"place_kind": "kuu"}, {"kind": "x" * 5000},
    {"name.fi": "a\x00b"}, {"name.fi": "x" * 100_000}, {"starts_at": "9999-99-99T99:99"},
    {"ends_at": _local(START - timedelta(hours=1))},
    {"ends_at": _local(START + timedelta(days=400))}, {"online_url": "javascript:alert(1)"},
    {"area": "x" * 5000}, {"starts_at": "", "ends_at": ""},
])
async def test_odd_input_is_a_page_that_says_what_to_fix(start_service: Any,
                                                         odd: dict[str, str]) -> None:
    client = await start_service(spec)
    sent = await client.post("/my/activities/new?lang=fi", headers=ORGANISER,
                             data={**FORM, **odd})
    assert sent.status_code == 422, (odd, sent.status_code)
    assert sent.headers["content-type"].startswith("text/html")
    assert 'class="field-error"' in sent.text
    assert await _mine(client) == []


async def test_the_form_asks_sign_in_and_nothing_is_made_without_it(start_service: Any
                                                                    ) -> None:
    client = await start_service(spec)
    shown = await client.get("/my/activities/new?lang=sv")
    assert shown.status_code == 303
    assert shown.headers["location"] == "/my/login?lang=sv&next=%2Fmy%2Factivities%2Fnew"
    posted = await client.post("/my/activities/new?lang=fi", data=FORM)
    assert posted.status_code in (303, 403)
    assert await _mine(client) == []
