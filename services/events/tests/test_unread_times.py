"""A time a form cannot read is refused alone: no rule comparing it with the other time is
said of whatever stands in for it. A tester typed the start "28.3.2027 3:30" (the hour the
clocks skip; its own words were right) and was also told the end must be after the start,
and a start that was no time brought "such an activity lasts at most 14 days": the edit
form compared the new end with the stored start standing in. The edit form, the move form
and the new-activity form, in fi, sv and en, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.events import domain
from services.events.app import spec
from shared.clock import HELSINKI
from tests.infra import bearer

ORGANISER = bearer("organiser", subject="tanssiseura")
COMMS = bearer("communications", subject="viestinta")
# Stored after the spring's gap, so a new end before it is before the stored start.
STORED = datetime(2027, 4, 10, 18, 0, tzinfo=HELSINKI).astimezone(UTC)
GAP = {"fi": "tätä kellonaikaa ei ole Suomessa",
       "sv": "det klockslaget finns inte i Finland",
       "en": "that time does not exist in Finland"}
NO_TIME = {"fi": "Anna päivä ja kellonaika.", "sv": "Ange datum och klockslag.",
           "en": "Give a date and time."}
# What comparing the two times says: never of a time the form did not read.
COMPARED = ("Päättymisajan pitää olla alkamisen jälkeen", "Sluttiden måste vara efter",
            "The end must be after the start", "enintään 14 päivää", "högst 14 dagar",
            "at most 14 days", "Tällainen tapahtuma kestää", "Ett sådant evenemang pågår",
            "Such an activity lasts")
# (start typed, end typed, what the start's refusal says)
UNREAD = [("28.3.2027 3:30", "28.3.2027 5:00", GAP),  # end before the stored start
          ("2027-03-28T03:30", "2027-05-20T12:00", GAP),  # more than 14 days after it
          ("eilen", "2027-05-20T12:00", NO_TIME), ("2027-02-30T10:00", "1.3.2027 9:00",
                                                  NO_TIME)]


def _nothing_compared(html: str) -> None:
    for words in COMPARED:
        assert words not in html, words


@pytest.mark.unit
def test_a_time_unread_is_compared_with_nothing() -> None:
    row = {"name": {"fi": "Tanssi"}, "kind": "open_guided", "place_kind": "other_place",
           "place_name": {"fi": "Puisto"},
           "venue_id": None, "online_url": None, "area": None, "status": "draft",
           "starts_at": STORED, "ends_at": STORED + timedelta(hours=2)}
    early_end = {"ends_at": STORED - timedelta(days=20)}
    late_end = {"ends_at": STORED + timedelta(days=40)}
    # Read, the two are compared (the end before the start; longer than 14 days)...
    assert [e.field for e in domain.edit_refusals(row, early_end, as_published=True)] == [
        "ends_at"]
    assert [e.field for e in domain.edit_refusals(row, late_end)] == ["ends_at"]
    # ...the start unread, neither, for the values' rules or publishing's.
    for changes in (early_end, late_end):
        assert domain.edit_refusals(row, changes, as_published=True,
                                    unread={"starts_at"}) == []
    # The time that was read still has its own rules; a new activity's missing start too.
    far = {"ends_at": datetime(2200, 1, 1, tzinfo=UTC)}
    assert [e.field for e in domain.edit_refusals(row, far, unread={"starts_at"})] == [
        "ends_at"]
    assert domain.event_refusals({**row, "starts_at": None, **early_end},
                                 unread={"starts_at"}) == []


@pytest.mark.infra
async def test_the_edit_move_and_new_forms_say_the_unread_start_alone(
        start_service: Any) -> None:
    client = await start_service(spec)
    body = {"name": {"fi": "Tanssi-ilta"}, "kind": "open_guided", "place_kind": "other_place",
            "place_name": {"fi": "Tanssisali"}, "area": "kuopio.keskusta",
            "starts_at": STORED.isoformat(),
            "ends_at": (STORED + timedelta(hours=2)).isoformat()}
    draft = (await client.post("/events", headers=ORGANISER, json=body)).json()
    published = (await client.post("/events", headers=ORGANISER, json=body)).json()
    out = await client.post(f"/events/{published['id']}/publish", headers=COMMS)
    assert out.json()["status"] == "published", out.text
    form = {"name.fi": "Tanssi-ilta", "kind": "open_guided", "place_kind": "other_place",
            "place_name.fi": "Tanssisali", "languages": ["fi"], "free": "1"}

    for lang in ("fi", "sv", "en"):
        for start, end, said in UNREAD:
            case = (lang, start, end)
            # The draft's own form (its time written there).
            edited = await client.post(f"/my/activities/{draft['id']}?lang={lang}",
                                       headers=ORGANISER,
                                       data={**form, "starts_at": start, "ends_at": end})
            assert edited.status_code == 422, case
            assert said[lang] in edited.text, case
            assert 'id="e-starts_at"' in edited.text and 'id="e-ends_at"' not in edited.text
            _nothing_compared(edited.text)
            # The published one's move form.
            moved = await client.post(f"/my/activities/{published['id']}/reschedule"
                                      f"?lang={lang}", headers=ORGANISER,
                                      data={"starts_at": start, "ends_at": end})
            assert moved.status_code == 422, case
            assert said[lang] in moved.text, case
            assert 'id="e-reschedule-starts_at"' in moved.text, case
            assert 'id="e-reschedule-ends_at"' not in moved.text, case
            _nothing_compared(moved.text)
            # A new activity.
            new = await client.post(f"/my/activities/new?lang={lang}", headers=ORGANISER,
                                    data={"name.fi": "Tanssi-ilta", "name.sv": "",
                                          "name.en": "", "kind": "open_guided",
                                          "place_kind": "other_place", "place_name.fi": "Puisto",
                                          "area": "kuopio.keskusta", "online_url": "",
                                          "starts_at": start, "ends_at": end})
            assert new.status_code == 422, case
            assert said[lang] in new.text and 'id="e-ends_at"' not in new.text, case
            _nothing_compared(new.text)
    # Nothing stored of any.
    for event in (draft, published):
        now = (await client.get(f"/events/{event['id']}", headers=ORGANISER)).json()
        assert (now["starts_at"], now["ends_at"]) == (event["starts_at"], event["ends_at"])
