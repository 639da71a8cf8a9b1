"""Issue #16's two missing pieces against the in-memory store and a fixed clock: a series
asked for from the organiser's request form (the API's `request_series`, its dry run saying
before sending which dates are free, cancelling it from /my/bookings), and the structured
accessibility features the space search filters by. The form tests post to the booking
service's app in-process; the browser and the database have their own tests
(test_organiser_series_pages.py, test_accessibility_db.py)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest

from services.booking import domain, usecases
from services.booking.domain import HELSINKI, SpaceDetails
from services.booking.labels import ERRORS, day_and_hours
from services.booking.my_labels import MY
from services.booking.tests.test_desk_forms import Page
from services.booking.tests.test_organiser_forms import (
    ORGANISER,
    SOMEONE,
    Organiser,
    organiser,
)
from services.booking.tests.test_organiser_usecases import my_world
from services.booking.tests.test_usecases import (
    DESK,
    MAIJA,
    MATTI,
    TOMORROW_2PM,
    details,
    hold,
)
from services.booking.usecases import organiser as my
from shared.accessibility import FEATURE_NAMES
from shared.clock import FixedClock
from shared.errors import Conflict, Invalid, NotFound

pytestmark = pytest.mark.unit
__all__ = ["organiser"]  # the fixture, reused


def _local(moment: object) -> str:
    assert hasattr(moment, "astimezone")
    return f"{moment.astimezone(HELSINKI):%Y-%m-%d %H:%M}"  # type: ignore[union-attr]


def _seen(page: str) -> str:
    """The version of the times a series' cancel question names, which its form carries."""
    found = re.search(r'<input type="hidden" name="seen" value="([0-9a-f]{32})">', page)
    assert found, "the question carries the version of the times it shows"
    return found.group(1)


# --- the series' dry run and sending it ------------------------------------------------------


async def test_the_dry_run_says_which_dates_are_free_without_booking_anything() -> None:
    uow, store, space, clock = my_world(max_open_requests=10, horizon_days=35)
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    # Someone else has the third week's time; the sixth week is past the 35-day horizon.
    other = await usecases.request_booking(uow, clock, MATTI, usecases.BookingCommand(
        space.id, TOMORROW_2PM + timedelta(weeks=2, minutes=30),
        TOMORROW_2PM + timedelta(weeks=2, hours=2), details()))
    before = dict(store.state.bookings)
    preview = await my.preview_my_series(uow, clock, MAIJA, held.id, my.Repeat(count=6))
    assert [(_local(p.starts_at), p.free) for p in preview.times] == [
        ("2031-03-05 14:00", True), ("2031-03-12 14:00", True),
        ("2031-03-19 14:00", False), ("2031-03-26 14:00", True),
        ("2031-04-02 14:00", True), ("2031-04-09 14:00", False)]
    assert preview.times[2].refusal is not None
    assert preview.times[2].refusal.details["code"] == "taken"
    assert preview.times[5].refusal is not None
    assert preview.times[5].refusal.details["code"] == "horizon"
    assert preview.limit is None and preview.free == 4
    # Every other week: the clash falls out, and the dry run stored nothing.
    other_weeks = await my.preview_my_series(uow, clock, MAIJA, held.id,
                                             my.Repeat(every=2, until=date(2031, 4, 2)))
    assert [(_local(p.starts_at), p.free) for p in other_weeks.times] == [
        ("2031-03-05 14:00", True), ("2031-03-19 14:00", False),
        ("2031-04-02 14:00", True)]
    assert store.state.bookings == before and other.status == "requested"
    # Anyone else's hold is not found; a series with no end is refused by its field.
    with pytest.raises(NotFound):
        await my.preview_my_series(uow, clock, MATTI, held.id, my.Repeat(count=2))
    with pytest.raises(Invalid) as no_end:
        await my.preview_my_series(uow, clock, MAIJA, held.id, my.Repeat())
    assert no_end.value.field == "repeat" and no_end.value.details["code"] == "series_end"


async def test_the_dry_run_warns_when_the_series_would_pass_the_open_request_limit() -> None:
    uow, _, space, clock = my_world()  # at most three open requests, manual confirmation
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    three = await my.preview_my_series(uow, clock, MAIJA, held.id, my.Repeat(count=3))
    assert three.limit is None  # the hold is let go when the series is sent
    four = await my.preview_my_series(uow, clock, MAIJA, held.id, my.Repeat(count=4))
    assert four.limit is not None and four.limit.details["code"] == "open_requests"
    with pytest.raises(Conflict) as refused:
        await my.submit_my_series(uow, clock, MAIJA, held.id, details(), my.Repeat(count=4))
    assert refused.value.details["code"] == "open_requests"
    (only,) = uow.store.state.bookings.values()  # nothing half-stored: the hold is kept
    assert only.id == held.id and only.status == "held"


async def test_a_series_from_the_held_time_is_one_request_and_the_hold_becomes_its_first(
        ) -> None:
    uow, store, space, clock = my_world(max_open_requests=10)
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    await usecases.request_booking(uow, clock, MATTI, usecases.BookingCommand(
        space.id, TOMORROW_2PM + timedelta(weeks=2), TOMORROW_2PM + timedelta(weeks=2, hours=1),
        details()))
    with pytest.raises(NotFound):  # anyone else's hold
        await my.submit_my_series(uow, clock, MATTI, held.id, details(), my.Repeat(count=2))
    with pytest.raises(Invalid):  # a rule of the request: nothing stored, nothing remembered
        await my.submit_my_series(uow, clock, MAIJA, held.id, details(library_contact=None),
                                  my.Repeat(count=3))
    assert store.state.bookings[held.id].status == "held" and store.preferences == {}
    given = details(organiser=usecases.OrganiserDetails("Maija M", "maija@example.fi",
                                                        None, "en"))
    result = await my.submit_my_series(uow, clock, MAIJA, held.id, given,
                                       my.Repeat(every=2, count=3))
    assert [_local(b.starts_at) for b in result.created] == [
        "2031-03-05 14:00", "2031-04-02 14:00"]
    assert [s["reason"] for s in result.skipped] == ["taken"]
    assert {b.status for b in result.created} == {"requested"}
    assert {b.series_id for b in result.created} == {result.series_id}
    # The hold was let go inside the same transaction (no clash with the first time), and
    # is no row of the organiser's list; the language and contact are remembered.
    assert store.state.bookings[held.id].status == "cancelled"
    listed = (await my.my_booking_list(uow, MAIJA)).bookings
    assert sorted(b.id for b in listed) == sorted(b.id for b in result.created)
    assert (await my.my_preferences(uow, MAIJA)).language == "en"  # type: ignore[union-attr]
    # Sent once: the hold is no longer held.
    with pytest.raises(Conflict):
        await my.submit_my_series(uow, clock, MAIJA, held.id, given, my.Repeat(count=2))


async def test_what_was_borrowed_for_a_hold_goes_to_the_series_first_time() -> None:
    """The organiser borrowed a projector for the held time; the hold becomes the series'
    first time, and so does the loan: still out for that time, now of that booking."""
    from uuid import uuid4

    from services.booking.domain import Resource

    uow, store, space, clock = my_world(max_open_requests=10)
    projector = Resource(uuid4(), space.venue_id, {"fi": "Projektori"}, 1)
    store.state.resources[projector.id] = projector
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    lent = await usecases.lend(uow, clock, MAIJA, usecases.LoanCommand(
        projector.id, 1, held.starts_at, held.ends_at, held.id))
    result = await my.submit_my_series(uow, clock, MAIJA, held.id, details(),
                                       my.Repeat(count=2))
    kept = store.state.loans[lent.id]
    assert (kept.booking_id, kept.status) == (result.created[0].id, "active")
    with pytest.raises(Conflict):  # the only projector is still out at that time
        await usecases.lend(uow, clock, MAIJA, usecases.LoanCommand(
            projector.id, 1, held.starts_at, held.ends_at, result.created[0].id))


async def test_an_expired_hold_makes_no_series() -> None:
    uow, store, space, clock = my_world(max_open_requests=10)
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    late = FixedClock(clock.now() + timedelta(hours=3))
    with pytest.raises(Conflict) as refused:
        await my.submit_my_series(uow, late, MAIJA, held.id, details(), my.Repeat(count=2))
    assert refused.value.details["code"] == "hold_expired"
    assert len(store.state.bookings) == 1


async def test_the_organiser_cancels_their_own_series_before_the_deadline_only() -> None:
    uow, store, space, clock = my_world(max_open_requests=10, cancellation_hours=24)
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    result = await my.submit_my_series(uow, clock, MAIJA, held.id, details(),
                                       my.Repeat(count=3))
    with pytest.raises(NotFound):
        await my.cancel_my_series(uow, clock, MATTI, result.series_id, None)
    # Within the first time's deadline, the whole series cannot go; from the second on can.
    late = FixedClock(result.created[0].starts_at - timedelta(hours=2))
    with pytest.raises(Conflict) as refused:
        await my.cancel_my_series(uow, late, MAIJA, result.series_id, None)
    assert refused.value.details["code"] == "deadline"
    assert {store.state.bookings[b.id].status for b in result.created} == {"requested"}
    second = result.created[1].starts_at.astimezone(HELSINKI).date()
    cancelled = await my.cancel_my_series(uow, late, MAIJA, result.series_id, second)
    assert [b.id for b in cancelled] == [b.id for b in result.created[1:]]
    assert store.state.bookings[result.created[0].id].status == "requested"


# --- the request form: the dry run, refusals by field, the series sent ------------------------


#: A series' last day the calendar does not have (30.2.2031), said back as such.
NO_SUCH_DAY = {"fi": "30.2.2031 ei ole olemassa oleva päivä (helmikuussa 2031 on 28 päivää).",
               "sv": "Det finns ingen 30 februari 2031 (februari 2031 har 28 dagar).",
               "en": "There is no 30 February 2031 (February 2031 has 28 days)."}


async def test_the_form_shows_the_dates_before_sending_and_refuses_by_field(
        organiser: Organiser) -> None:
    space_id = organiser.store.state.bookings[organiser.held].space_id
    organiser.store.state.spaces[space_id] = replace(
        organiser.store.state.spaces[space_id],
        rules=replace(organiser.store.state.spaces[space_id].rules, max_open_requests=10))
    shown = await organiser.send("fi", repeat="1", repeat_count="3", action="preview")
    assert shown.status_code == 200
    page = Page(shown.text)
    assert "3/3 päivää vapaana." in page.text["preview-times"] or "3/3" in shown.text
    assert shown.text.count('class="free"') == 3
    assert page.selected["r-repeat"] == "1" and page.value("r-count") == "3"
    assert len(organiser.store.state.bookings) == 1  # the dry run booked nothing
    for lang in ("fi", "sv", "en"):
        for changes, input_id, code in (
                ({"repeat": "1", "repeat_count": "", "repeat_until": ""}, "r-until",
                 "series_end"),
                ({"repeat": "1", "repeat_count": "61"}, "r-count", "rule_bounds"),
                ({"repeat": "1", "repeat_until": "31/12/2031"}, "r-until", "date"),
                ({"repeat": "1", "repeat_until": "30.2.2031"}, "r-until", "no_such_day"),
                ({"repeat": "1", "repeat_until": "2031-03-01"}, "r-until", "series_empty"),
                ({"repeat": "9", "repeat_count": "2"}, "r-repeat", "series_every")):
            for action in ("preview", "send"):
                r = await organiser.send(lang, action=action, **changes)
                assert r.status_code == 422, (changes, action, r.text[:200])
                page = Page(r.text)
                assert page.by_id[input_id].get("aria-invalid") == "true", (changes, lang)
                error = next(k for k in page.by_id if k.startswith("error-"))
                said = page.text[error].strip()
                if code == "no_such_day":  # the day said back, the language's way
                    assert said == NO_SUCH_DAY[lang], (lang, said)
                    continue
                assert said and said.split("{")[0][:12] == ERRORS[code][lang].split("{")[0][
                    :12], (code, lang, said)
    assert organiser.store.state.bookings[organiser.held].status == "held"
    assert organiser.store.preferences == {}
    # Sent: one series; the list shows it as one row with its times and offers to cancel it.
    sent = await organiser.send("sv", repeat="2", repeat_count="3")
    assert sent.status_code == 303
    location = urlsplit(sent.headers["location"])
    assert location.path == "/my/bookings"
    assert parse_qs(location.query)["msg"] == ["Serien har skickats: 3 gånger."]
    listed = await organiser.http.get(sent.headers["location"], headers=ORGANISER)
    assert listed.text.count("/my/bookings/") >= 3 and "Serie, 3 gånger" in listed.text
    assert "Avboka hela serien" in listed.text
    series_id = next(b.series_id for b in organiser.store.state.bookings.values()
                     if b.series_id)
    other = await organiser.http.post(f"/my/series/{series_id}/cancel", headers=SOMEONE,
                                      data={"csrf": "x", "confirm": "yes", "seen": "x" * 32})
    assert other.status_code == 404
    asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"lang": "en"}, headers=ORGANISER)
    gone = await organiser.http.post(f"/my/series/{series_id}/cancel", params={"lang": "en"},
                                     headers=ORGANISER, data={"csrf": "x", "from": "",
                                                              "confirm": "yes",
                                                              "seen": _seen(asked.text)})
    assert gone.status_code == 303
    assert parse_qs(urlsplit(gone.headers["location"]).query)["msg"] == [
        "Series cancelled: 3 times."]
    odd = await organiser.http.post(f"/my/series/{series_id}/cancel", params={"lang": "en"},
                                    headers=ORGANISER, data={"csrf": "x", "from": "soon",
                                                             "confirm": "yes", "seen": "x"})
    assert odd.status_code == 303 and "error=1" in odd.headers["location"]


async def test_the_series_cancel_question_says_where_as_the_single_one_does(
        organiser: Organiser) -> None:
    """Testers: the question before cancelling a series listed its times but not the place,
    which a single booking's question says (venue first). Once when every time is in one
    place; each time's own when they differ."""
    space_id = organiser.store.state.bookings[organiser.held].space_id
    organiser.store.state.spaces[space_id] = replace(
        organiser.store.state.spaces[space_id],
        rules=replace(organiser.store.state.spaces[space_id].rules, max_open_requests=10))
    assert (await organiser.send("en", repeat="1", repeat_count="3")).status_code == 303
    times = sorted((b for b in organiser.store.state.bookings.values() if b.series_id),
                   key=lambda b: b.starts_at)
    series_id = times[0].series_id
    for lang in ("fi", "sv", "en"):
        asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                         params={"lang": lang}, headers=ORGANISER)
        assert asked.status_code == 200
        page = Page(asked.text)
        assert page.text["cancel-place"].strip() == "Kuopion pääkirjasto, Tila", lang
        assert asked.text.count("Kuopion pääkirjasto, Tila") == 1, lang
    # One time moved to another room of the library: each time says its own place.
    other = organiser.store.add_space()
    organiser.store.state.spaces[other.id] = replace(other, name={"fi": "Sali",
                                                                  "en": "Hall"})
    organiser.store.state.bookings[times[1].id] = replace(times[1], space_id=other.id)
    asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"lang": "en"}, headers=ORGANISER)
    page = Page(asked.text)
    assert "cancel-place" not in page.by_id
    listed = html.unescape(asked.text.split('id="cancel-times"', 1)[1].split("</ul>")[0])
    assert listed.count("Kuopion pääkirjasto, Tila") == 2
    assert listed.count("Kuopion pääkirjasto, Hall") == 1
    assert (f"{day_and_hours(times[1].starts_at, times[1].ends_at, 'en')}</a>,"
            " Kuopion pääkirjasto, Hall") in listed


async def test_cancelling_a_series_asks_first_naming_how_many_times_and_which(
        organiser: Organiser) -> None:
    space_id = organiser.store.state.bookings[organiser.held].space_id
    organiser.store.state.spaces[space_id] = replace(
        organiser.store.state.spaces[space_id],
        rules=replace(organiser.store.state.spaces[space_id].rules, max_open_requests=10))
    sent = await organiser.send("en", repeat="1", repeat_count="3")
    assert sent.status_code == 303
    times = sorted((b for b in organiser.store.state.bookings.values() if b.series_id),
                   key=lambda b: b.starts_at)
    series_id = times[0].series_id
    # The list's button only leads to the question (a plain GET form: no script needed).
    listed = await organiser.http.get("/my/bookings", params={"lang": "en"},
                                      headers=ORGANISER)
    assert f'<form method="get" action="/my/series/{series_id}/cancel"' in listed.text
    assert "Series, 3 times:" in listed.text
    # A series of one time is said in the singular, in every language.
    for b in times[1:]:
        organiser.store.state.bookings[b.id] = replace(b, series_id=None)
    for lang, one in (("fi", "Sarja, 1 kerta:"), ("sv", "Serie, 1 gång:"),
                      ("en", "Series, 1 time:")):
        shown = await organiser.http.get("/my/bookings", params={"lang": lang},
                                         headers=ORGANISER)
        assert one in shown.text, lang
    for b in times[1:]:
        organiser.store.state.bookings[b.id] = b
    asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"from": "", "lang": "en"}, headers=ORGANISER)
    assert asked.status_code == 200
    page = Page(asked.text)
    assert page.text["cancel-count"].strip().startswith("These 3 times will be cancelled:")
    for b in times:
        assert day_and_hours(b.starts_at, b.ends_at, "en") in asked.text
    assert ">Yes, cancel 3 times</button>" in asked.text
    assert page.by_id["back"].get("href") == "/my/bookings?lang=en"
    assert 'name="confirm" value="yes"' in asked.text
    for lang, yes in (("fi", "Kyllä, peru 3 kertaa"), ("sv", "Ja, avboka 3 gånger")):
        said = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                        params={"lang": lang}, headers=ORGANISER)
        assert said.status_code == 200 and yes in said.text
    # From the second time on: two named; the first is not among them.
    second = times[1].starts_at.astimezone(HELSINKI).date().isoformat()
    rest = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                    params={"from": second, "lang": "en"}, headers=ORGANISER)
    assert "These 2 times will be cancelled:" in rest.text and "Yes, cancel 2 times" in rest.text
    assert f"/my/bookings/{times[0].id}?" not in rest.text
    odd = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                   params={"from": "soon", "lang": "en"}, headers=ORGANISER)
    assert odd.status_code == 303 and "error=1" in odd.headers["location"]
    # Anyone else's series is not found, asked or posted.
    assert (await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     headers=SOMEONE)).status_code == 404
    # Seeing the question, or posting without confirming (an old page), cancels nothing.
    unconfirmed = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": "en"}, headers=ORGANISER,
        data={"csrf": "x", "from": second})
    assert unconfirmed.status_code == 303
    location = urlsplit(unconfirmed.headers["location"])
    assert location.path == f"/my/series/{series_id}/cancel"
    assert parse_qs(location.query) == {"from": [second], "lang": ["en"]}
    assert {organiser.store.state.bookings[b.id].status for b in times} == {"requested"}
    # Confirmed without the version of the times shown (a page from before it was carried):
    # asked again, nothing cancelled.
    old_page = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": "en"}, headers=ORGANISER,
        data={"csrf": "x", "from": second, "confirm": "yes"})
    assert old_page.status_code == 303
    assert urlsplit(old_page.headers["location"]).path == f"/my/series/{series_id}/cancel"
    assert {organiser.store.state.bookings[b.id].status for b in times} == {"requested"}
    # Confirmed: the times named go, the first stays.
    done = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": "en"}, headers=ORGANISER,
        data={"csrf": "x", "from": second, "confirm": "yes", "seen": _seen(rest.text)})
    assert parse_qs(urlsplit(done.headers["location"]).query)["msg"] == [
        "Series cancelled: 2 times."]
    assert [organiser.store.state.bookings[b.id].status for b in times] == [
        "requested", "cancelled", "cancelled"]
    # Nothing left from that day: said on the list, no empty question.
    empty = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"from": second, "lang": "en"}, headers=ORGANISER)
    assert empty.status_code == 303 and parse_qs(urlsplit(
        empty.headers["location"]).query)["msg"] == ["The series has no times left to cancel."]


# --- the question's times are the times cancelled (the review's race) -----------------------


@pytest.mark.parametrize("lang, change, left", [
    ("fi", "cancelled", 2), ("sv", "moved", 3), ("en", "added", 4), ("en", "confirmed", 3)])
async def test_a_series_changed_after_its_question_is_asked_again_nothing_cancelled(
        organiser: Organiser, lang: str, change: str, left: int) -> None:
    store = organiser.store  # its state is replaced when a transaction rolls back
    state = store.state
    space_id = state.bookings[organiser.held].space_id
    state.spaces[space_id] = replace(state.spaces[space_id], rules=replace(
        state.spaces[space_id].rules, max_open_requests=10))
    assert (await organiser.send(lang, repeat="1", repeat_count="3")).status_code == 303
    times = sorted((b for b in store.state.bookings.values() if b.series_id),
                   key=lambda b: b.starts_at)
    series_id = times[0].series_id
    assert series_id is not None
    uow, clock = organiser.uow, organiser.clock
    if change == "moved":  # the desk moves confirmed times only
        await usecases.confirm_series(uow, clock, DESK, series_id)
    asked = await organiser.http.get(f"/my/series/{series_id}/cancel",
                                     params={"lang": lang}, headers=ORGANISER)
    assert asked.status_code == 200
    seen = _seen(asked.text)
    # Between the question and the answer, the desk changes the series.
    if change == "cancelled":
        await usecases.cancel_booking(uow, clock, DESK, times[2].id, "Remontti")
    elif change == "moved":
        await usecases.move_booking(uow, clock, DESK, times[1].id,
                                    times[1].starts_at + timedelta(hours=1),
                                    times[1].ends_at + timedelta(hours=1), None)
    elif change == "added":  # a time the series gains (no use case adds one yet)
        week, added = times[-1], uuid4()
        store.state.bookings[added] = replace(
            week, id=added, starts_at=week.starts_at + timedelta(weeks=1),
            ends_at=week.ends_at + timedelta(weeks=1))
    else:
        await usecases.confirm_booking(uow, clock, DESK, times[0].id)
    before = {b.id: (b.status, b.starts_at) for b in store.state.bookings.values()}
    # The confirmation of what was shown cancels nothing: the question again, with the
    # times as they are now, the change said in the status region, which takes focus.
    again = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": lang}, headers=ORGANISER,
        data={"csrf": "x", "from": "", "confirm": "yes", "seen": seen})
    assert again.status_code == 409 and again.headers["content-type"].startswith("text/html")
    assert {b.id: (b.status, b.starts_at) for b in store.state.bookings.values()} == before
    page = Page(again.text)
    assert page.text["status"].strip() == MY[lang]["series_changed"]
    assert page.autofocus == ["status"]
    now_times = sorted((b for b in store.state.bookings.values() if b.series_id == series_id
                        and b.status in ("requested", "confirmed")), key=lambda b: b.starts_at)
    assert len(now_times) == left
    assert page.text["cancel-count"].strip().startswith(MY[lang]["cancel_series_these"][
        "other"].format(n=left))
    for b in now_times:
        assert day_and_hours(b.starts_at, b.ends_at, lang) in again.text
    assert f">{MY[lang]['cancel_series_yes']['other'].format(n=left)}</button>" in again.text
    fresh = _seen(again.text)
    assert fresh != seen and fresh == domain.series_version(now_times)
    # Confirmed as now shown: exactly those go.
    done = await organiser.http.post(
        f"/my/series/{series_id}/cancel", params={"lang": lang}, headers=ORGANISER,
        data={"csrf": "x", "from": "", "confirm": "yes", "seen": fresh})
    assert done.status_code == 303
    assert parse_qs(urlsplit(done.headers["location"]).query)["msg"] == [
        MY[lang]["did_cancel_series"]["one" if left == 1 else "other"].format(n=left)]
    assert all(store.state.bookings[b.id].status == "cancelled" for b in now_times)
    if change == "cancelled":
        assert store.state.bookings[times[2].id].history[-1].reason == "Remontti"  # desk's


async def test_the_use_case_cancels_the_times_seen_or_nothing() -> None:
    uow, store, space, clock = my_world(max_open_requests=10)
    held = await usecases.hold_slot(uow, clock, MAIJA, hold(space))
    result = await my.submit_my_series(uow, clock, MAIJA, held.id, details(),
                                       my.Repeat(count=3))
    shown = await my.my_series_to_cancel(uow, clock, MAIJA, result.series_id, None)
    seen = domain.series_version(shown)
    await usecases.cancel_booking(uow, clock, DESK, shown[1].id, "Remontti")
    for who, cancel in (
            ("organiser", lambda: my.cancel_my_series(uow, clock, MAIJA, result.series_id,
                                                      None, seen=seen)),
            ("desk", lambda: usecases.cancel_series(uow, clock, DESK, result.series_id,
                                                    "Remontti", None, seen=seen))):
        with pytest.raises(Conflict) as refused:
            await cancel()
        left = [shown[0], shown[2]]
        assert refused.value.details == {
            "code": "series_changed", "version": domain.series_version(left),
            "booking_ids": [str(b.id) for b in left]}, who
        assert [store.state.bookings[b.id].status for b in shown] == [
            "requested", "cancelled", "requested"], who
    cancelled = await my.cancel_my_series(uow, clock, MAIJA, result.series_id, None,
                                          seen=refused.value.details["version"])
    assert [b.id for b in cancelled] == [shown[0].id, shown[2].id]
    # Without a version (the API's cancel), the series' times as they are.
    assert await usecases.cancel_series(uow, clock, DESK, result.series_id, None,
                                        None) == []


def test_the_form_words_exist_in_every_language() -> None:
    from services.booking.my_labels import MY

    keys = {k for k in MY["fi"] if k.startswith(("repeat", "preview", "series", "cancel_series",
                                                 "features"))}
    assert keys and all(keys <= set(MY[lang]) for lang in ("sv", "en"))
    assert all(set(FEATURE_NAMES[lang]) == set(domain.ACCESSIBILITY_FEATURES)
               for lang in ("fi", "sv", "en"))


# --- accessibility features ------------------------------------------------------------------


def test_features_are_a_fixed_vocabulary_kept_once_in_its_order() -> None:
    assert domain.check_features(["lift", "step_free_entrance", "lift"]) == (
        "step_free_entrance", "lift")
    with pytest.raises(Invalid) as odd:
        domain.check_features(["lift", "ramp"])
    assert odd.value.field == "accessibility_features"
    kept = domain.check_space_details(SpaceDetails(None, (), (), ("induction_loop",)))
    assert kept.accessibility_features == ("induction_loop",)


async def test_the_search_filters_by_the_venues_and_the_spaces_features_together() -> None:
    uow, store, space, clock = my_world()
    store.venue = replace(store.venue, accessibility_features=("step_free_entrance",))
    store.state.spaces[space.id] = replace(space, accessibility_features=("induction_loop",))
    tomorrow = TOMORROW_2PM.date()
    both = await my.find_spaces(uow, clock, my.SpaceSearch(
        day=tomorrow, features=("step_free_entrance", "induction_loop")))
    assert [f.features for f in both.spaces] == [("step_free_entrance", "induction_loop")]
    assert (await my.find_spaces(uow, clock, my.SpaceSearch(
        day=tomorrow, features=("lift",)))).spaces == []
    with pytest.raises(Invalid) as odd:
        await my.find_spaces(uow, clock, my.SpaceSearch(features=("ramp",)))
    assert odd.value.field == "feature"
    # The desk's details replace the space's own features (not the venue's).
    desk = usecases.set_space_details
    from services.booking.tests.test_usecases import DESK

    changed = await desk(uow, DESK, space.id, SpaceDetails(None, (), (), ("lift",)))
    assert changed.accessibility_features == ("lift",)
    with pytest.raises(Invalid):
        await desk(uow, DESK, space.id, SpaceDetails(None, (), (), ("elevator",)))
    assert store.state.spaces[space.id].accessibility_features == ("lift",)


async def test_the_search_page_offers_the_features_and_refuses_an_odd_one(
        organiser: Organiser) -> None:
    store = organiser.store
    store.venue = replace(store.venue, accessibility_features=("step_free_entrance", "lift"))
    day = TOMORROW_2PM.date().isoformat()
    for lang in ("fi", "sv", "en"):
        r = await organiser.http.get("/my/spaces", headers=ORGANISER, params=[
            ("lang", lang), ("day", day), ("feature", "lift")])
        assert r.status_code == 200
        assert r.text.count('name="feature"') == len(domain.ACCESSIBILITY_FEATURES)
        assert 'value="lift" checked' in r.text
        assert f"<li>{FEATURE_NAMES[lang]['step_free_entrance']}</li>" in r.text
        none = await organiser.http.get("/my/spaces", headers=ORGANISER, params=[
            ("lang", lang), ("day", day), ("feature", "induction_loop")])
        assert 'data-space="' not in none.text
        odd = await organiser.http.get("/my/spaces", headers=ORGANISER, params=[
            ("lang", lang), ("day", day), ("feature", "ramp")])
        assert odd.status_code == 422 and odd.headers["content-type"].startswith("text/html")
        assert "feature" in odd.text


async def test_the_last_day_is_taken_as_typed_the_finnish_way(organiser: Organiser) -> None:
    """Testers typed "3.3.2027" into "Viimeinen päivä" where no calendar was shown and were
    told to give a date in that very format: the Finnish way reads as the ISO day does, and
    the refusal of what is no day asks for a format the form takes, in every language."""
    space_id = organiser.store.state.bookings[organiser.held].space_id
    organiser.store.state.spaces[space_id] = replace(
        organiser.store.state.spaces[space_id],
        rules=replace(organiser.store.state.spaces[space_id].rules, max_open_requests=10))
    last = organiser.store.state.bookings[organiser.held].starts_at.astimezone(
        HELSINKI).date() + timedelta(weeks=2)
    shown = {}
    for typed in (last.isoformat(), f"{last.day}.{last.month}.{last.year}",
                  f"{last.day:02}.{last.month:02}.{last.year}"):
        r = await organiser.send("fi", repeat="1", repeat_until=typed, action="preview")
        assert r.status_code == 200, (typed, r.text[:300])
        shown[typed] = r.text.count('class="free"')
    assert set(shown.values()) == {3}, shown
    for lang in ("fi", "sv", "en"):
        r = await organiser.send(lang, repeat="1", repeat_until="3/3/2027", action="preview")
        page = Page(r.text)
        assert r.status_code == 422 and "3.3.2027" in page.text["error-repeat_until"]
        assert "pp.kk" not in r.text and "åååå" not in r.text
