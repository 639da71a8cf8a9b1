"""A weekly group on the organiser's pages (a tester's finding: an association wrote its 12
weekly times one by one): "My activities" shows a series once with its times folded; an
occurrence's page says which time it is and saves for this time only or for every time
still to come, all or nothing, every refusal at once (another time's named by its time);
"Publish every time" publishes the series' drafts. In fi, sv and en; the events service in
this process on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import usecases
from services.events.app import spec
from services.events.organiser_pages import form_values
from shared.clock import SYSTEM_CLOCK
from shared.contracts import BookingConfirmed
from shared.identity import Principal
from tests.infra import bearer

pytestmark = pytest.mark.infra

SUBJECT = "kuoroyhdistys"
ORGANISER = bearer("organiser", subject=SUBJECT)
START = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
SERIES_BODY: dict[str, Any] = {
    "name": {"fi": "Kuoroharjoitus", "sv": "Körövning", "en": "Choir practice"},
    "kind": "open_guided", "place_kind": "outdoors",
    "place_name": {"fi": "Puisto"}, "area": "kuopio.jynkka",
    "topics": ["music"], "audiences": ["everyone"], "languages": ["fi"],
    "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=2)).isoformat(),
    "repeat": {"count": 4}}


async def _form(pool: Any, event_id: UUID, **changes: Any) -> dict[str, Any]:
    """The occurrence's form as its page shows it, with `changes` typed in."""
    row = await usecases.get_event(usecases.unit_of_work(pool),
                                   Principal(subject=SUBJECT, roles=frozenset({"organiser"})),
                                   event_id)
    values = {**form_values(row), **changes}
    return {k: ("1" if v else "") if isinstance(v, bool) else v for k, v in values.items()}


async def _series(client: Any, series_id: str) -> list[dict[str, Any]]:
    listed = await client.get("/events", headers=ORGANISER,
                              params={"series_id": series_id, "limit": 50})
    return sorted(listed.json()["items"], key=lambda e: e["starts_at"])


async def test_a_series_is_written_and_published_together(start_service: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    created = (await client.post("/series", headers=ORGANISER, json=SERIES_BODY)).json()
    series_id = created["series_id"]
    ids = [o["id"] for o in created["occurrences"]]

    # The list: the series once, its four times folded under it.
    for lang, times in (("fi", "4 kertaa"), ("sv", "4 gånger"), ("en", "4 times")):
        listed = await client.get(f"/my/activities?lang={lang}", headers=ORGANISER)
        assert listed.status_code == 200
        assert listed.text.count('class="activity"') == 1 and times in listed.text
        assert all(f"/my/activities/{i}?lang={lang}" in listed.text for i in ids)

    # The second time's page: which it is, the two saves, publishing every time.
    page = f"/my/activities/{ids[1]}"
    for lang, words in (
            ("fi", ("Sarjan kerta 2/4", "Tallenna vain tähän kertaan",
                    "Tallenna kaikkiin sarjan tuleviin kertoihin (4)",
                    "Julkaise kaikki kerrat (4)")),
            ("sv", ("Gång 2 av 4 i serien", "Spara bara för den här gången",
                    "Spara för alla seriens kommande gånger (4)",
                    "Publicera alla gånger (4)")),
            ("en", ("Time 2 of 4 in the series", "Save for this time only",
                    "Save for every time in the series still to come (4)",
                    "Publish every time (4)"))):
        shown = await client.get(f"{page}?lang={lang}", headers=ORGANISER)
        assert shown.status_code == 200
        for said in words:
            assert said in shown.text, (lang, said)

    # For this time only: the others keep theirs.
    sent = await client.post(f"{page}?lang=fi", headers=ORGANISER,
                             data={**await _form(pool, UUID(ids[1]), capacity="12"),
                                   "scope": "one"})
    assert sent.status_code == 303 and "done=saved" in sent.headers["location"]
    assert [e["capacity"] for e in await _series(client, series_id)] == [None, 12, None, None]

    # For every time still to come: the same changed details, never the time.
    before = await _series(client, series_id)
    sent = await client.post(f"{page}?lang=sv", headers=ORGANISER, data={
        **await _form(pool, UUID(ids[1]), **{"name.fi": "Kuorolaulu", "price": "5",
                                             "free": False}), "scope": "series"})
    assert sent.status_code == 303 and "done=saved_series" in sent.headers["location"]
    after = await _series(client, series_id)
    assert [e["name"]["fi"] for e in after] == ["Kuorolaulu"] * 4
    assert [(e["price"], e["free"]) for e in after] == [("5.00", False)] * 4
    assert [(e["starts_at"], e["ends_at"]) for e in after] == \
        [(e["starts_at"], e["ends_at"]) for e in before]
    done = await client.get(sent.headers["location"], headers=ORGANISER)
    assert "Sparat för den här och alla seriens kommande gånger." in done.text

    # All or nothing: a time online without its link (an API draft may be) refuses the
    # save for every time; this time's own refusal beside it, nothing stored.
    assert (await client.patch(f"/events/{ids[3]}", headers=ORGANISER,
                               json={"place_kind": "online"})).status_code == 200
    before = await _series(client, series_id)
    for lang, fourth in (("fi", "Kerta "), ("sv", "Gången "), ("en", "The time on ")):
        refused = await client.post(f"{page}?lang={lang}", headers=ORGANISER, data={
            **await _form(pool, UUID(ids[1]), **{"name.fi": "", "capacity": "20"}),
            "scope": "series"})
        assert refused.status_code == 422, lang
        assert 'id="e-name-fi"' in refused.text and 'id="e-online_url"' in refused.text
        assert fourth in refused.text.split('id="e-online_url"')[1].split("</p>")[0], lang
        assert await _series(client, series_id) == before, lang

    # Publish every time: refused while the fourth has no link, then all four at once
    # (to the approval queue, as any organiser's activity without a booking).
    refused = await client.post(f"{page}/publish-series?lang=en", headers=ORGANISER)
    assert refused.status_code == 422 and "The time on " in refused.text
    assert {e["status"] for e in await _series(client, series_id)} == {"draft"}
    await client.patch(f"/events/{ids[3]}", headers=ORGANISER,
                       json={"online_url": "https://meet.example.org/kuoro"})
    published = await client.post(f"{page}/publish-series?lang=en", headers=ORGANISER)
    assert published.status_code == 303 and "done=series_queued" in \
        published.headers["location"]
    assert {e["status"] for e in await _series(client, series_id)} == {"awaiting_approval"}
    shown = await client.get(published.headers["location"], headers=ORGANISER)
    assert "The series&#39; times are sent for approval." in shown.text


async def test_a_booking_series_drafts_are_one_series_on_the_pages(start_service: Any) -> None:
    """A booking series' confirmations (each `booking.confirmed` with its `series_id`, one
    read twice) make drafts of one series, stored once, that the pages write together."""
    client = await start_service(spec)
    pool = client.runtime.pool
    series_id, venue_id, space_id = uuid4(), uuid4(), uuid4()
    ids = []
    for week in range(2):
        booking = BookingConfirmed(
            booking_id=uuid4(), venue_id=venue_id, space_id=space_id,
            starts_at=START + timedelta(weeks=week),
            ends_at=START + timedelta(weeks=week, hours=2), title="Kuoroharjoitus",
            organiser_id=uuid4(), organiser_subject=SUBJECT, series_id=series_id)
        for _ in range(2):
            draft = await usecases.draft_from_booking(usecases.unit_of_work(pool),
                                                      SYSTEM_CLOCK, booking)
            if draft is not None:
                ids.append(draft["id"])
    assert await pool.fetchval("SELECT count(*) FROM activity_event_series") == 1
    assert len(ids) == 2
    shown = await client.get(f"/my/activities/{ids[0]}?lang=fi", headers=ORGANISER)
    assert "Sarjan kerta 1/2" in shown.text
    sent = await client.post(f"/my/activities/{ids[0]}?lang=fi", headers=ORGANISER, data={
        **await _form(pool, ids[0], topics=["stories"]), "scope": "series"})
    assert sent.status_code == 303, sent.text
    assert [e["topics"] for e in await _series(client, str(series_id))] == [["stories"]] * 2
