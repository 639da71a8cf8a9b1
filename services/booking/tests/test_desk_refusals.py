"""A tester's findings on the desk's and the organiser's forms, in-process (the use cases'
in-memory store): a refused move said in the page's language by its input, titles and
names with nothing to read, blank reasons and moves to the same time, the series limit's
sentence, the system's reasons in a booking's history, and refusals that lost the form."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest

from services.booking import domain, usecases
from services.booking.labels import ERRORS, error_text
from services.booking.my_labels import history_actor, history_reason
from services.booking.tests.test_desk_forms import DESK, Desk, Page, desk
from services.booking.tests.test_organiser_forms import ORGANISER, Organiser, organiser
from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL
from services.booking.tests.test_usecases import MAIJA, TOMORROW_2PM, command, details, world
from shared.contracts import ActivityEventCancelled, BookingMoveRequested, LocalizedText
from shared.errors import Conflict, Invalid

__all__ = ["desk", "organiser"]  # the fixtures, used by name


async def _confirmed(desk: Desk, hour: int = 14) -> usecases.domain.Booking:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, start=TOMORROW_2PM.replace(hour=hour)))
    return await usecases.confirm_booking(desk.uow, desk.clock, DESK_PRINCIPAL, booking.id)


async def _move(desk: Desk, booking_id: UUID, lang: str, **form: str) -> Page:
    r = await desk.http.post(f"/desk/bookings/{booking_id}/move", params=desk.back(lang),
                             headers=DESK, data={"starts_at": "2031-03-05T18:00",
                                                 "minutes": "60", "reason": "Remontti",
                                                 "revision": str(desk.store.state.bookings[
                                                     booking_id].revision),
                                                 **form})
    assert r.status_code in (409, 422) and "location" not in r.headers, r.status_code
    return Page(r.text)


# --- 1. a refused move keeps its rule's code --------------------------------------------------


async def test_a_move_to_the_past_or_beyond_the_horizon_is_said_by_the_start_in_finnish(
        desk: Desk) -> None:
    booking = await _confirmed(desk)
    start = f"m-start-{booking.id}"
    page = await _move(desk, booking.id, "fi", starts_at="2031-03-01T10:00")
    assert page.text[f"error-move-starts_at-{booking.id}"] == \
        "Varaus ei voi alkaa menneisyydessä."
    assert page.by_id[start]["aria-invalid"] == "true" and page.autofocus == [start]
    assert page.value(start) == "2031-03-01T10:00"  # as typed, the form open
    assert page.value(f"m-reason-{booking.id}") == "Remontti"
    page = await _move(desk, booking.id, "sv", starts_at="2032-03-05T10:00")
    assert page.text[f"error-move-starts_at-{booking.id}"] == \
        "Den här lokalen kan bokas högst 180 dagar i förväg."
    assert desk.store.state.bookings[booking.id].starts_at == TOMORROW_2PM
    with pytest.raises(Invalid) as refused:
        await usecases.move_booking(desk.uow, desk.clock, DESK_PRINCIPAL, booking.id,
                                    TOMORROW_2PM + timedelta(days=400),
                                    TOMORROW_2PM + timedelta(days=400, hours=1), "x")
    # The use case keeps the rule's own code and details, as the API answers them, with
    # every rule the time breaks listed (here that one).
    assert refused.value.details == {
        "code": "horizon", "horizon_days": 180,
        "refusals": [{"field": "starts_at", "code": "horizon", "horizon_days": 180,
                      "msg": "this space can be booked at most 180 days ahead"}]}
    assert refused.value.field == "starts_at"


async def test_the_move_form_lets_the_browser_refuse_a_start_gone_by(desk: Desk) -> None:
    booking = await _confirmed(desk)
    page = Page((await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)).text)
    now = desk.clock.now().astimezone(domain.HELSINKI)
    earliest = page.by_id[f"m-start-{booking.id}"]["min"]
    assert earliest is not None and earliest > f"{now:%Y-%m-%dT%H:%M}"
    assert page.by_id["w-start"]["min"] == earliest


# --- 2. titles and names with nothing to read -------------------------------------------------


@pytest.mark.parametrize("changes, input_id", [
    ({"title": "   "}, "w-title"), ({"title": "\u200b\u202e"}, "w-title"),
    ({"organiser_name": "\u202e"}, "w-organiser"), ({"organiser_name": " \u3000 "}, "w-organiser"),
])
async def test_a_walk_in_without_a_title_or_name_to_read_is_refused_by_its_input(
        desk: Desk, changes: dict[str, str], input_id: str) -> None:
    r = await desk.walk_in("sv", **changes)
    assert r.status_code == 422
    page = Page(r.text)
    assert page.autofocus == [input_id] and page.by_id[input_id]["aria-invalid"] == "true"
    assert desk.store.state.bookings == {}


@pytest.mark.parametrize("changes, field", [
    ({"title": "\u202e"}, "title"), ({"title": " \u00a0 "}, "title"),
    ({"organiser_name": "\u200b"}, "organiser.name")])
async def test_the_use_case_refuses_them_whichever_way_they_come(
        changes: dict[str, str], field: str) -> None:
    uow, store, space, clock = world()
    given = details()
    if "title" in changes:
        given = usecases.RequestDetails(**{**given.__dict__, "title": changes["title"]})
    else:
        given = usecases.RequestDetails(**{**given.__dict__, "organiser": (
            usecases.OrganiserDetails(changes["organiser_name"]))})
    cmd = usecases.BookingCommand(space.id, TOMORROW_2PM, TOMORROW_2PM + timedelta(hours=1),
                                  given)
    for principal, walk_in in ((MAIJA, False), (DESK_PRINCIPAL, True)):
        with pytest.raises(Invalid) as refused:
            await usecases.request_booking(uow, clock, principal, cmd, walk_in=walk_in)
        assert refused.value.field == field
    assert store.state.bookings == {}


# --- 3. a blank reason, a move to the same time ----------------------------------------------


async def test_a_move_needs_a_reason_to_read_and_a_new_time(desk: Desk) -> None:
    booking = await _confirmed(desk)
    page = await _move(desk, booking.id, "sv", reason="  ")
    assert page.text[f"error-move-reason-{booking.id}"] == ERRORS["reason"]["sv"]
    assert page.autofocus == [f"m-reason-{booking.id}"]
    same = await _move(desk, booking.id, "en", starts_at="2031-03-05T14:00")
    assert same.text[f"error-move-starts_at-{booking.id}"] == ERRORS["move_same"]["en"]
    history = desk.store.state.bookings[booking.id].history
    assert "moved" not in [h.status for h in history]
    assert not [e for e in desk.store.state.outbox  # type: ignore[attr-defined]
                if type(e).__name__ == "BookingMoved"]


# --- 4. the series' open-request limit ---------------------------------------------------------


@pytest.mark.parametrize("lang, words", [
    ("fi", ("lisäisi 5", "jo 0", "enintään 3")),
    ("sv", ("lägga till 5", "redan 0", "högst 3")),
    ("en", ("add 5", "the 0 you", "at most 3"))])
def test_the_series_limit_says_what_the_series_would_add(lang: str,
                                                         words: tuple[str, ...]) -> None:
    with pytest.raises(Conflict) as refused:
        domain.check_open_requests(0, domain.SpaceRules(max_open_requests=3), adding=5)
    said = error_text(refused.value, lang)
    assert all(w in said for w in words), said
    assert "englanniksi" not in said and "engelska" not in said
    with pytest.raises(Conflict) as one:
        domain.check_open_requests(3, domain.SpaceRules(max_open_requests=3))
    assert error_text(one.value, lang) == ERRORS["open_requests"][lang].format(
        open_requests=3, max_open_requests=3)


# --- 5. the system's reasons in the history --------------------------------------------------


def test_the_systems_reasons_are_said_in_the_pages_language() -> None:
    cancelled = "the activity was cancelled: sairastuminen"
    assert history_reason(cancelled, "organiser:activity-cancelled", "sv") == \
        "evenemanget ställdes in: sairastuminen"
    assert history_reason(cancelled, "organiser:activity-cancelled", "fi") == \
        "tapahtuma peruttiin: sairastuminen"
    assert history_reason("the activity was rescheduled", "events:organiser:maija", "fi") \
        == "tapahtuman aika muuttui"
    assert history_reason("hold expired", "system", "sv") == "reservationen gick ut"
    # The desk's own words stay as written, whatever they say.
    assert history_reason("series", "desk:desk-1", "fi") == "series"
    assert history_reason(None, "system", "fi") == ""


async def test_my_booking_page_shows_a_released_bookings_reason_in_swedish(
        organiser: Organiser) -> None:
    uow, clock = organiser.uow, organiser.clock
    sent = await organiser.send("sv")
    assert sent.status_code == 303
    await usecases.confirm_booking(uow, clock, DESK_PRINCIPAL, organiser.held)
    booking = organiser.store.state.bookings[organiser.held]
    await usecases.release_for_cancelled_activity(uow, clock, ActivityEventCancelled(
        event_id=booking.id, revision=2, name=LocalizedText(fi="Kuoro"),
        starts_at=booking.starts_at, ends_at=booking.ends_at, kind="open_guided",
        booking_id=booking.id, reason="sairastuminen", release_booking=True))
    page = await organiser.http.get(f"/my/bookings/{organiser.held}", params={"lang": "sv"},
                                    headers=ORGANISER)
    history = Page(page.text).text["b-history"]
    assert "evenemanget ställdes in: sairastuminen" in history
    assert "the activity was cancelled" not in page.text


def test_who_moved_a_booking_through_its_activity_is_said_as_a_person() -> None:
    """The events service's actor (`events:<roles>:<subject>`) is never shown as "events"."""
    mine, theirs = "events:organiser:maija", "events:organiser:kalle"
    assert [history_actor(mine, "maija", lang) for lang in ("fi", "sv", "en")] == \
        ["sinä", "du", "you"]
    assert [history_actor(theirs, "maija", lang) for lang in ("fi", "sv", "en")] == \
        ["tapahtuman järjestäjä", "evenemangets arrangör", "the activity's organiser"]
    assert history_actor("events:desk:desk-1", "maija", "fi") == "kirjasto"
    assert history_actor("events:admin:sari", None, "sv") == "evenemangets arrangör"
    assert history_actor("desk:desk-1", "maija", "en") == "the library"
    assert history_actor("system", "maija", "fi") == "järjestelmä"


@pytest.mark.parametrize("lang, asked_by, who", [
    ("fi", "organiser:kalle", "tapahtuman järjestäjä"),
    ("sv", "organiser:kalle", "evenemangets arrangör"),
    ("en", "organiser:kalle", "the activity's organiser"),
    ("fi", "organiser:maija", "sinä"), ("sv", "organiser:maija", "du"),
    ("en", "organiser:maija", "you")])
async def test_my_booking_page_names_who_moved_it_through_the_activity(
        organiser: Organiser, lang: str, asked_by: str, who: str) -> None:
    uow, clock = organiser.uow, organiser.clock
    assert (await organiser.send(lang)).status_code == 303
    await usecases.confirm_booking(uow, clock, DESK_PRINCIPAL, organiser.held)
    booking = organiser.store.state.bookings[organiser.held]
    later = timedelta(days=1)
    await usecases.move_on_request(uow, clock, BookingMoveRequested(
        request_id=uuid4(), booking_id=booking.id, event_id=uuid4(),
        starts_at=booking.starts_at + later, ends_at=booking.ends_at + later,
        requested_by=asked_by))
    assert organiser.store.state.bookings[organiser.held].history[-1].status == "moved"
    page = await organiser.http.get(f"/my/bookings/{organiser.held}", params={"lang": lang},
                                    headers=ORGANISER)
    last = Page(page.text).text["b-history"].splitlines()[-1]
    assert f" · {who}: " in last, last
    assert "events" not in Page(page.text).text["b-history"]


# --- 6. refusals that lost the form --------------------------------------------------------


@pytest.mark.parametrize("changes, input_id", [
    ({"minutes": "7"}, "w-minutes"), ({"minutes": "-60"}, "w-minutes"),
    ({"minutes": "9" * 40}, "w-minutes"), ({"minutes": ""}, "w-minutes"),
    ({"starts_at": ""}, "w-start"), ({"title": "x" * 5000}, "w-title"),
    ({"organiser_name": ""}, "w-organiser")])
async def test_a_walk_in_refused_by_the_form_comes_back_as_typed(
        desk: Desk, changes: dict[str, str], input_id: str) -> None:
    r = await desk.walk_in("fi", organiser_email="kalle@example.fi", **changes)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert page.autofocus == [input_id], page.autofocus
    assert page.by_id[input_id]["aria-invalid"] == "true"
    error = page.by_id[input_id]["aria-describedby"] or ""
    assert page.text[error.split()[-1]].strip() and "Syy (englanniksi)" not in r.text
    assert page.value("w-email") == "kalle@example.fi"
    assert desk.store.state.bookings == {}


@pytest.mark.parametrize("action", ["reject", "cancel"])
async def test_a_reason_too_long_or_blank_stands_by_its_input(desk: Desk, action: str) -> None:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    if action == "cancel":
        await usecases.confirm_booking(desk.uow, desk.clock, DESK_PRINCIPAL, booking.id)
    status = desk.store.state.bookings[booking.id].status
    for reason, code in (("x" * 5000, "reason_long"), ("   ", "reason")):
        r = await desk.http.post(f"/desk/bookings/{booking.id}/{action}",
                                 params=desk.back("sv"), headers=DESK,
                                 data={"reason": reason})
        assert r.status_code == 422, r.text[:300]
        page = Page(r.text)
        error = f"error-{action}-reason-{booking.id}"
        assert page.text[error] == error_text(Invalid("", code=code, high=1000), "sv")
        assert page.text[error].startswith(ERRORS[code]["sv"][:12])
        assert page.value(f"{action}-reason-{booking.id}") == reason[:1200]
        assert page.autofocus == [f"{action}-reason-{booking.id}"]
    assert desk.store.state.bookings[booking.id].status == status
    # A refusal about no input of the form is read in the status region, as before.
    done = await desk.http.post(f"/desk/bookings/{booking.id}/{action}",
                                params=desk.back("sv"), headers=DESK, data={"reason": "Ok"})
    assert done.status_code == 303 and "error" not in parse_qs(
        urlsplit(done.headers["location"]).query)


# --- 7. the series' end on the organiser's form ---------------------------------------------


async def test_a_last_day_that_does_not_exist_or_both_ends_are_said_so(
        organiser: Organiser) -> None:
    r = await organiser.send("en", repeat="1", repeat_until="2027-02-30", action="preview")
    page = Page(r.text)
    assert r.status_code == 422 and page.autofocus == ["r-until"]
    # The day as it was meant, and what its month has (not only "check the day").
    assert "There is no 30 February 2027 (February 2027 has 28 days)." in r.text
    both = await organiser.send("fi", repeat="1", repeat_until="2031-04-30",
                                repeat_count="3", action="preview")
    assert both.status_code == 422 and ERRORS["series_both"]["fi"] in both.text
    assert organiser.store.state.bookings[organiser.held].status == "held"
