"""The desk page's forms in-process (no database, no browser): the booking service's app with
the use cases' in-memory store, posting as a desk with a bearer token. What a refusal says in
the page's language, what the walk-in form keeps, where focus goes; the browser test
(test_desk_page.py) does the same against PostgreSQL in Chromium."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import httpx
import pytest

from services.booking import usecases
from services.booking.deps import unit_of_work
from services.booking.domain import (
    HELSINKI,
    Booking,
    DayException,
    Loan,
    Resource,
    Space,
    SpaceRules,
    Venue,
    WeeklyHours,
)
from services.booking.tests.test_usecases import (
    MAIJA,
    MATTI,
    TOMORROW_2PM,
    VENUE,
    FakeStore,
    Uow,
    command,
    world,
)
from services.booking.usecases.loans import Borrower
from shared.auth import mint_token
from shared.clock import FixedClock
from shared.contracts import LocalizedText, VenueUpdated
from shared.l10n import day_full, day_short
from shared.service import get_clock
from tests.apps import unstarted_app

DESK = {"Authorization": "Bearer " + mint_token("desk-1", ["desk"], [VENUE], "Tiski")}


class DeskStore(FakeStore):
    """What the desk page reads, besides the use cases' store."""

    async def list_venues(self, area: str | None = None, kind: str | None = None
                          ) -> list[Venue]:
        return [self._venue()]

    async def list_spaces(self, venue_ids: Sequence[UUID]) -> list[Space]:
        return [s for s in self.state.spaces.values() if s.venue_id in venue_ids]

    async def desk_bookings(self, venue_ids: Sequence[UUID] | None, *, status: str | None,
                            start: datetime | None, end: datetime | None,
                            limit: int = 1000) -> list[Booking]:
        return sorted((b for b in self.state.bookings.values()
                       if (venue_ids is None or b.venue_id in venue_ids)
                       and (status is None or b.status == status)
                       and (start is None or b.ends_at > start)
                       and (end is None or b.starts_at < end)), key=lambda b: b.starts_at)


    # --- what the opening hours page reads and changes ---

    def _venue(self) -> Venue:
        return Venue(VENUE, {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek",
                             "en": "Jynkkä library"}, "library", "kuopio.jynkka", "Kuopio",
                     has_paid_space=False, accessibility_features=self.features)

    #: The venue's own accessibility features, as `update_venue` (the desk's form) sets them.
    features: tuple[str, ...] = ()

    async def update_venue(self, venue_id: UUID, changes: dict[str, Any], at: datetime
                           ) -> None:
        self.features = tuple(changes.get("accessibility_features", self.features))
        self.revision += 1

    async def list_resources(self, venue_ids: Sequence[UUID]) -> list[Resource]:
        return [r for r in self.state.resources.values() if r.venue_id in venue_ids]

    async def get_venue(self, venue_id: UUID, for_update: bool = False) -> Venue | None:
        return self._venue() if venue_id == VENUE else None

    async def replace_weekly_hours(self, venue_id: UUID, space_id: UUID | None,
                                   hours: Sequence[WeeklyHours]) -> None:
        self.state.weekly = list(hours)

    async def set_exception(self, venue_id: UUID, space_id: UUID | None,
                            exception: DayException, reason: dict[str, Any] | None) -> None:
        """In place of the day's earlier one, as the database's one-a-day index keeps it."""
        self.state.exceptions = [e for e in self.state.exceptions if e.day != exception.day]
        self.state.exceptions.append(replace(exception, reason=reason))
        self.reasons.append(reason)

    async def remove_exception(self, venue_id: UUID, space_id: UUID | None, day: date
                               ) -> bool:
        kept = [e for e in self.state.exceptions if e.day != day]
        removed, self.state.exceptions = len(kept) < len(self.state.exceptions), kept
        return removed

    async def bump_venue_revision(self, venue_id: UUID, now: datetime) -> None:
        self.revision += 1

    async def venue_event(self, venue_id: UUID, *, registered: bool,
                          today: date) -> VenueUpdated:
        return VenueUpdated(venue_id=venue_id, name=LocalizedText(fi="Jynkän kirjasto"),
                            kind="library", area="kuopio.jynkka", municipality="Kuopio",
                            revision=self.revision)

    async def insert_resource(self, resource: Resource) -> None:
        self.state.resources[resource.id] = resource

    async def venue_resources(self, venue_id: UUID) -> list[Resource]:
        return [r for r in self.state.resources.values() if r.venue_id == venue_id]

    async def venue_loans(self, venue_id: UUID) -> list[Loan]:
        return sorted((loan for loan in self.state.loans.values()
                       if loan.venue_id == venue_id and loan.status == "active"),
                      key=lambda loan: loan.ends_at)

    async def set_space_rules(self, space_id: UUID, rules: SpaceRules) -> None:
        self.state.spaces[space_id] = replace(self.state.spaces[space_id], rules=rules)

    def __init__(self) -> None:
        super().__init__()
        self.revision = 1
        self.reasons: list[dict[str, Any] | None] = []


class Desk:
    def __init__(self, http: httpx.AsyncClient, uow: Uow, store: DeskStore, space: Space,
                 clock: FixedClock) -> None:
        self.http, self.uow, self.store, self.space, self.clock = http, uow, store, space, clock

    def back(self, lang: str) -> dict[str, str]:
        """What the page puts in its forms' actions."""
        return {"venue_id": str(VENUE), "day": TOMORROW_2PM.date().isoformat(),
                "space_id": str(self.space.id), "lang": lang}

    async def walk_in(self, lang: str, **changes: str) -> httpx.Response:
        form = {"csrf": "unused with a bearer token", "title": "Lautapelit",
                "space_id": str(self.space.id), "starts_at": "2031-03-05T16:00",
                "minutes": "60", "organiser_name": "Kalle", "organiser_email": "",
                **changes}
        return await self.http.post("/desk/walk-in", params=self.back(lang), data=form,
                                    headers=DESK)


@pytest.fixture
async def desk() -> AsyncIterator[Desk]:
    uow, _, space, clock = world()
    store = DeskStore()
    store.state = uow.store.state  # the world's space and opening hours
    uow.store = store
    app = unstarted_app("booking")  # not started: no I/O
    app.dependency_overrides[unit_of_work] = lambda: uow
    app.dependency_overrides[get_clock] = lambda: clock
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8001") as http:
        yield Desk(http, uow, store, space, clock)


class Page(HTMLParser):
    """The page's elements by id and its form inputs by name (the walk-in form's last)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.autofocus: list[str] = []
        self.selected: dict[str, str] = {}
        self._select: str | None = None
        self.text: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "id" in found:
            self.by_id[str(found["id"])] = found
            self._open.append(str(found["id"]))
        if "autofocus" in found:
            self.autofocus.append(str(found.get("id")))
        if tag == "select":
            self._select = str(found.get("id"))
        if tag == "option" and "selected" in found and self._select:
            self.selected[self._select] = str(found["value"])

    def handle_data(self, data: str) -> None:
        for element in self._open:
            self.text[element] = self.text.get(element, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "span", "section") and self._open:
            self._open.pop()

    def value(self, element: str) -> str | None:
        return self.by_id[element].get("value")


def refused_inputs(response: httpx.Response, summary: str) -> dict[str, str]:
    """A venue page's form refused as typed (422-ish, no redirect): each refused element
    (by id) with the text beside it, checked to be aria-invalid and described by it, its
    summary (`summary`: its id) linking to each; the element with focus is asserted by
    the caller through `Page.autofocus`."""
    assert "location" not in response.headers
    page = Page(response.text)
    said: dict[str, str] = {}
    for element, attrs in page.by_id.items():
        if attrs.get("aria-invalid") == "true":
            error = f"{element}-error"
            assert error in str(attrs.get("aria-describedby")).split(), element
            said[element] = page.text[error]
    links = re.findall(r'<a href="#([^"]+)">', response.text.split(f'id="{summary}"')[1]
                       .split("</div>")[0])
    assert links and set(links) == set(said), (links, said)
    return said


async def test_a_clash_is_said_in_swedish_and_the_walk_in_form_comes_back_as_typed(
        desk: Desk) -> None:
    await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    refused = await desk.walk_in("sv", title="Päällekkäinen", starts_at="2031-03-05T14:30",
                                 organiser_name="Liisa", organiser_email="liisa@example.fi",
                                 contact_language="en")
    # The page again, not a redirect: the organiser's name and address stay out of URLs.
    assert refused.status_code == 409 and "location" not in refused.headers
    page = Page(refused.text)
    assert page.text["status"].strip() == \
        "Lokalen är redan bokad för den tiden (5 mars 14:00–15:00)."
    assert "already booked" not in refused.text
    assert page.autofocus == ["status"]
    assert (page.value("w-title"), page.value("w-start"), page.value("w-organiser"),
            page.value("w-email")) == ("Päällekkäinen", "2031-03-05T14:30", "Liisa",
                                       "liisa@example.fi")
    assert page.value("w-minutes") == "60"
    assert page.selected["w-space"] == str(desk.space.id)
    assert page.selected["w-language"] == "en"
    assert len(desk.store.state.bookings) == 1


async def test_a_refusal_about_one_input_stands_by_it_and_that_input_has_focus(
        desk: Desk) -> None:
    past = await desk.walk_in("fi", starts_at="2031-03-04T08:00", organiser_email="x@y.fi")
    page = Page(past.text)
    assert past.status_code == 422 and page.autofocus == ["w-start"]
    assert page.by_id["w-start"]["aria-invalid"] == "true"
    assert page.by_id["w-start"]["aria-describedby"] == "error-starts_at"
    assert page.text["error-starts_at"] == "Varaus ei voi alkaa menneisyydessä."
    assert "status" not in page.text  # nothing twice
    assert page.value("w-email") == "x@y.fi"

    email = await desk.walk_in("sv", organiser_email="kalle@")
    page = Page(email.text)
    assert page.autofocus == ["w-email"]
    assert page.text["error-organiser_email"].startswith("E-postadressen är inte giltig")
    assert page.by_id["w-email"]["aria-describedby"] == "w-email-hint error-organiser_email"
    assert page.value("w-email") == "kalle@"

    short = await desk.walk_in("en", minutes="15")
    page = Page(short.text)
    assert page.autofocus == ["w-minutes"]
    assert page.text["error-minutes"] == \
        "A booking of this space must be at least 30 minutes long."

    nonsense = await desk.walk_in("fi", starts_at="huomenna")
    assert Page(nonsense.text).text["error-starts_at"].startswith("Alkamisaika ei kelpaa")
    assert desk.store.state.bookings == {}


async def test_a_walk_in_without_email_is_booked_in_the_pages_language(desk: Desk) -> None:
    booked = await desk.walk_in("sv")
    assert booked.status_code == 303
    location = urlsplit(booked.headers["location"])
    query = parse_qs(location.query)
    day = day_short(date(2031, 3, 5), "sv")  # the day too: a walk-in may be for another
    assert query["msg"] == [f"Lautapelit: {day} 16:00–17:00 ✓"] and "error" not in query
    assert query["lang"] == ["sv"] and query["space_id"] == [str(desk.space.id)]
    assert not any(k.startswith("organiser") or k == "csrf" for k in query)
    (walk_in,) = desk.store.state.bookings.values()
    assert walk_in.status == "confirmed" and walk_in.contact is not None
    assert (walk_in.contact.email, walk_in.contact.language) == (None, "sv")
    assert {e.contact_language for e in desk.store.state.outbox} == {"sv"}  # type: ignore[attr-defined]
    # The language chosen in the form wins over the page's.
    await desk.walk_in("sv", starts_at="2031-03-05T18:00", organiser_email="l@example.fi",
                       contact_language="fi")
    assert desk.store.state.outbox[-1].contact_language == "fi"  # type: ignore[attr-defined]

    # The page it leads to says it in its status region, which takes focus.
    page = Page((await desk.http.get(booked.headers["location"], headers=DESK)).text)
    assert page.autofocus == ["status"] and "Lautapelit" in page.text["status"]


async def test_a_walk_in_with_only_a_name_and_a_phone_keeps_the_phone(desk: Desk) -> None:
    """Testers: many walk-ins have no email, and the form had no phone field. A name and a
    phone book it; the phone is the booking's contact and the organiser's, and the day's
    printed sheet gives it to the desk to call."""
    form = (await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)).text
    assert '<input type="tel" id="w-phone" name="organiser_phone"' in form
    assert '<label for="w-phone">Puhelin <span class="muted">(valinnainen)</span>' in form
    booked = await desk.walk_in("fi", organiser_name="Kalle", organiser_email="",
                                organiser_phone=" 044 123 4567 ")
    assert booked.status_code == 303, booked.text
    assert not any("044" in v for v in parse_qs(urlsplit(booked.headers["location"]).query))
    (walk_in,) = desk.store.state.bookings.values()
    assert walk_in.status == "confirmed" and walk_in.contact is not None
    assert (walk_in.contact.name, walk_in.contact.email, walk_in.contact.phone) == (
        "Kalle", None, "044 123 4567")
    (organiser,) = desk.store.state.organisers.values()
    assert (organiser.name, organiser.email, organiser.phone) == ("Kalle", None, "044 123 4567")
    sheet = await desk.http.get("/desk/day-sheet", headers=DESK, params={
        "venue_id": str(VENUE), "day": "2031-03-05", "lang": "fi"})
    assert "044 123 4567" in sheet.text


async def test_decisions_say_what_was_done_or_why_not_in_the_pages_language(
        desk: Desk) -> None:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    url = f"/desk/bookings/{booking.id}/confirm"
    done = await desk.http.post(url, params=desk.back("fi"), data={}, headers=DESK)
    assert parse_qs(urlsplit(done.headers["location"]).query)["msg"] == [
        "Vahvistettu: Lukupiiri, 5.3. 14.00–15.00"]
    again = await desk.http.post(url, params=desk.back("sv"), data={}, headers=DESK)
    query = parse_qs(urlsplit(again.headers["location"]).query)
    assert query["msg"] == ["Bokningens status är redan ”bekräftad”, så ändringen kan inte "
                            "göras."] and query["error"] == ["1"]
    early = await desk.http.post(f"/desk/bookings/{booking.id}/check-in",
                                 params=desk.back("en"), data={}, headers=DESK)
    assert parse_qs(urlsplit(early.headers["location"]).query)["msg"] == [
        "Arrival can be marked at the earliest an hour before the booking starts."]


async def test_the_page_moves_by_day_and_week_and_submits_nothing_by_itself(
        desk: Desk) -> None:
    r = await desk.http.get("/desk", params=desk.back("sv"), headers=DESK)
    page = Page(r.text)
    assert page.autofocus == []  # no input takes focus: the title no longer does
    assert 'href="#pending"' in r.text and 'href="#walk-in"' in r.text
    assert r.text.index('href="#pending"') < r.text.index("<header>")  # the first stops
    assert "onchange" not in r.text and "<script>" not in r.text
    links = {label: href for href, label in _links(r.text)}
    for label, day in [("← Föregående dag", "2031-03-04"), ("Nästa dag →", "2031-03-06"),
                       ("← Föregående vecka", "2031-02-26"), ("Nästa vecka →", "2031-03-12")]:
        query = parse_qs(urlsplit(links[label]).query)
        assert query == {"venue_id": [str(VENUE)], "day": [day],
                         "space_id": [str(desk.space.id)], "lang": ["sv"]}, label
    assert parse_qs(urlsplit(links["English"]).query)["lang"] == ["en"]
    assert "Vecka 3–9 mars 2031" in r.text
    # The day's and the week's forms are sent by their buttons.
    assert r.text.count('<button type="submit" class="secondary">Visa</button>') == 2


def _links(html: str) -> list[tuple[str, str]]:
    return [(h.replace("&amp;", "&"), t.strip())
            for h, t in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)]


def test_the_walk_in_inputs_never_include_the_csrf_token() -> None:
    from services.booking.desk import WALK_IN_INPUTS

    assert "csrf" not in WALK_IN_INPUTS


async def test_the_desk_moves_a_booking_by_the_same_rules_as_a_new_one(desk: Desk) -> None:
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    other = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, start=TOMORROW_2PM.replace(hour=16)))
    for b in (booking, other):
        await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), b.id)
    page = await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)
    assert f'action="/desk/bookings/{booking.id}/move?' in page.text
    assert 'value="2031-03-05T14:00"' in page.text  # the form starts from its own time
    url = f"/desk/bookings/{booking.id}/move"
    # Onto the other booking: refused in the page's words by the new start, nothing moved.
    shown = str(desk.store.state.bookings[booking.id].revision)
    clash = await desk.http.post(url, params=desk.back("sv"), headers=DESK, data={
        "starts_at": "2031-03-05T16:30", "minutes": "60", "reason": "Remontti",
        "revision": shown})
    assert clash.status_code == 409 and "location" not in clash.headers
    said = Page(clash.text).text[f"error-move-starts_at-{booking.id}"]
    assert said.startswith("Lokalen är redan bokad"), said
    assert desk.store.state.bookings[booking.id].starts_at == TOMORROW_2PM
    moved = await desk.http.post(url, params=desk.back("fi"), headers=DESK, data={
        "starts_at": "2031-03-05T18:00", "minutes": "60", "reason": "Remontti",
        "revision": shown})
    assert parse_qs(urlsplit(moved.headers["location"]).query)["msg"] == [
        "Siirretty: Lukupiiri, 5.3. 18.00–19.00"]
    assert desk.store.state.bookings[booking.id].starts_at == TOMORROW_2PM.replace(hour=18)
    told = [e for e in desk.store.state.outbox  # type: ignore[attr-defined]
            if type(e).__name__ == "BookingMoved"]
    assert [(e.booking_id, e.reason) for e in told] == [(booking.id, "Remontti")]


async def test_the_days_sheet_prints_each_space_in_time_order(desk: Desk) -> None:
    late = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, start=TOMORROW_2PM.replace(hour=17), title="Shakkikerho"))
    early = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), early.id)
    sheet = await desk.http.get("/desk/day-sheet", headers=DESK, params={
        "venue_id": str(VENUE), "day": "2031-03-05", "lang": "fi"})
    assert sheet.status_code == 200 and sheet.headers["cache-control"] == "no-store"
    rows = re.findall(r'<tr class="booking"><td>([^<]+)</td><td>([^<]+)</td>', sheet.text)
    assert rows == [("14.00–15.00", "Lukupiiri"), ("17.00–18.00", "Shakkikerho (odottaa)")]
    assert "keskiviikko 5. maaliskuuta 2031" in sheet.text
    assert late.status == "requested"
    signed_out = await desk.http.get("/desk/day-sheet", params={"lang": "sv"})
    assert signed_out.status_code == 303 and "/desk/login" in signed_out.headers["location"]


def usecases_desk() -> Any:
    from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL

    return DESK_PRINCIPAL


async def test_the_desk_changes_its_opening_hours_and_exceptions_on_a_page(
        desk: Desk) -> None:
    page = await desk.http.get("/desk/hours", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "fi"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert page.text.count('class="hours-row"') == 7 + 3  # 08–20 every day, three empty
    url = f"/desk/hours/{VENUE}/weekly"
    rows = {"weekday": ["1", "6", "2"], "opens": ["09:00", "10.00", ""],
            "closes": ["20:00", "16:00", ""], "kind": ["staffed", "self_service", "staffed"]}
    saved = await desk.http.post(url, params={"lang": "sv"}, headers=DESK,
                                 data={"csrf": "x", **rows})
    assert parse_qs(urlsplit(saved.headers["location"]).query)["msg"] == ["Sparat."]
    assert desk.store.state.weekly == [WeeklyHours(1, time(9), time(20), "staffed"),
                                       WeeklyHours(6, time(10), time(16), "self_service")]
    assert desk.store.revision == 2  # the venue's new hours are announced
    backwards = await desk.http.post(url, params={"lang": "en"}, headers=DESK, data={
        "csrf": "x", "weekday": ["3"], "opens": ["18:00"], "closes": ["09:00"],
        "kind": ["staffed"]})
    assert backwards.status_code == 422
    assert refused_inputs(backwards, "weekly-refusals") == {
        "wk-0-closes": "Wednesday: The closing time must be after the opening time."}
    assert Page(backwards.text).autofocus == ["wk-0-closes"]
    assert 'value="18:00"' in backwards.text and 'value="09:00"' in backwards.text
    assert len(desk.store.state.weekly) == 2  # unchanged

    closed = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params={"lang": "fi"},
                                  headers=DESK, data={"csrf": "x", "day": "2031-04-24",
                                                      "closed": "true", "reason": "Jouluaatto"})
    assert closed.status_code == 303
    # Typed the Finnish way (no calendar shown): the same day as the date input's.
    short = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params={"lang": "fi"},
                                 headers=DESK, data={"csrf": "x", "day": "30.4.2031",
                                                     "opens": "10:00", "closes": "14:00"})
    assert short.status_code == 303
    assert desk.store.state.exceptions == [DayException(date(2031, 4, 24)), DayException(
        date(2031, 4, 30), time(10), time(14), "staffed")]
    assert desk.store.reasons[-2:] == [{"fi": "Jouluaatto"}, None]
    page = await desk.http.get("/desk/hours", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "fi"})
    assert f"{day_full(date(2031, 4, 24), 'fi')}</td><td>Suljettu koko päivän" in page.text
    assert "10.00–14.00 (henkilökunta paikalla)" in page.text
    other = {"Authorization": "Bearer " + mint_token("desk-2", ["desk"], [uuid4()], "Muu")}
    refused = await desk.http.post(url, params={"lang": "fi"}, headers=other,
                                   data={"csrf": "x", **rows})
    assert parse_qs(urlsplit(refused.headers["location"]).query)["error"] == ["1"]


async def test_an_exception_with_one_time_or_times_on_a_closed_day_is_refused_by_its_input(
        desk: Desk) -> None:
    """"Closed all day" unticked, opens 10:00 and closes empty used to say "Saved." and close
    the day: now the page again (422) in the desk's language, naming the input to fix next
    to it, the form as typed; nothing stored, nothing announced."""
    url = f"/desk/hours/{VENUE}/exceptions"
    for lang, data, field, said in (
            ("sv", {"opens": "10:00", "closes": ""}, "closes",
             "Stänger: Ange öppnings- och stängningstid, eller kryssa för ”Stängt hela"
             " dagen”."),
            ("fi", {"opens": "", "closes": "14:00"}, "opens",
             "Avautuu: Anna avaamis- ja sulkemisaika, tai rastita ”Suljettu koko päivän”."),
            # Unticked and no times: the desk said the day is not closed; not a closure.
            ("fi", {"opens": "", "closes": ""}, "opens",
             "Avautuu: Anna avaamis- ja sulkemisaika, tai rastita ”Suljettu koko päivän”."),
            # A day gone: the page (from today on) could never show or remove it.
            ("en", {"closed": "true", "day": "2020-01-01"}, "day",
             "Day: The day must be today or later."),
            ("en", {"opens": "14:00", "closes": "10:00"}, "closes",
             "Closes: The closing time must be after the opening time."),
            ("en", {"closed": "true", "opens": "10:00", "closes": "14:00"}, "closed",
             "Closed all day: A day closed all day has no opening times: untick the box or"
             " empty the times."),
            ("fi", {"opens": "kymmenen", "closes": "14:00"}, "opens",
             "Avautuu: Anna kellonaika muodossa 10.00 tai 10:00."),
            # Inputs no browser's form sends: each refused next to its own input too.
            ("fi", {"opens": "123456789", "closes": "14:00"}, "opens",
             "Avautuu: Anna kellonaika muodossa 10.00 tai 10:00."),
            # A day the calendar does not have, said back as such (not as no date at all),
            # the language's way; a year outside the platform's, as that.
            ("sv", {"closed": "true", "day": "2026-02-30"}, "day",
             "Dag: Det finns ingen 30 februari 2026 (februari 2026 har 28 dagar)."),
            ("fi", {"closed": "true", "day": "31.2.2032"}, "day",
             "Päivä: 31.2.2032 ei ole olemassa oleva päivä (helmikuussa 2032 on 29 päivää)."),
            ("en", {"closed": "true", "day": "2031-13-01"}, "day",
             "Day: There is no month 13 (a year has 12 months)."),
            ("fi", {"closed": "true", "day": "0000-01-01"}, "day",
             "Päivä: Anna päivä vuosilta 2000–2100."),
            ("sv", {"closed": "true", "day": "24/12/2031"}, "day",
             "Dag: Välj dagen i kalendern eller skriv den som 24.12.2026 eller 2026-12-24."),
            ("en", {"closed": "true", "day": ""}, "day",
             "Day: Choose the day from the calendar or type it as 24.12.2026 or"
             " 2026-12-24."),
            ("en", {"closed": "maybe"}, "closed",
             "Closed all day: Tick the box or leave it empty."),
            ("fi", {"closed": "true", "reason": "x" * 501}, "reason",
             "Syy (näkyy asukkaille): Syy voi olla enintään 500 merkkiä.")):
        refused = await desk.http.post(url, params={"lang": lang}, headers=DESK, data={
            "csrf": "x", "day": "2031-04-30", "reason": "Inventaario", **data})
        typed, explained = data.get("day", "2031-04-30"), data.get("reason", "Inventaario")
        assert refused.status_code == 422, (data, refused.status_code)
        page = Page(refused.text)
        assert f'<html lang="{lang}">' in refused.text
        # The refusal next to its input, which has focus; the summary names the input.
        assert refused_inputs(refused, "exception-refusals") == {
            f"x-{field}": said.split(": ", 1)[1]}, data
        assert f'<a href="#x-{field}">{said}</a>' in refused.text.replace("&#34;", '"')
        assert page.autofocus == [f"x-{field}"]
        form = refused.text.split('<form class="exception"')[1]
        # The form as it was typed, to fix rather than to fill in again.
        assert f'name="day" value="{typed}"' in form
        assert f'name="reason" value="{explained}"' in form
    assert desk.store.state.exceptions == [] and desk.store.state.outbox == []


async def test_a_day_added_again_takes_its_new_hours_and_a_removed_one_its_weekly_hours(
        desk: Desk) -> None:
    """The desk's latest word about a day is the day's rule: a closure, then 10–14 the same
    day, leaves the day open 10–14 (one exception listed); removing it (the button beside
    it) brings the weekly hours back. Each change is announced; the reason is kept in the
    language it was written in."""
    url = f"/desk/hours/{VENUE}/exceptions"
    day = date(2031, 4, 30)
    closed = await desk.http.post(url, params={"lang": "en"}, headers=DESK, data={
        "csrf": "x", "day": day.isoformat(), "closed": "true", "reason": "Renovation"})
    assert parse_qs(urlsplit(closed.headers["location"]).query)["msg"] == [
        f"Saved. {day_full(day, 'en')}"]
    assert desk.store.reasons == [{"en": "Renovation"}]  # not as Finnish too
    opened = await desk.http.post(url, params={"lang": "fi"}, headers=DESK, data={
        "csrf": "x", "day": day.isoformat(), "opens": "10:00", "closes": "14:00",
        "reason": "Inventaario"})
    assert opened.status_code == 303
    assert desk.store.state.exceptions == [DayException(day, time(10), time(14), "staffed")]
    assert desk.store.reasons[-1] == {"fi": "Inventaario"}
    week = await usecases.week_hours(desk.uow, desk.clock, VENUE, None, day)
    assert [(i.start.hour, i.end.hour) for i in week if i.start.date() == day] == [(10, 14)]
    page = await desk.http.get("/desk/hours", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "fi"})
    assert page.text.count('<tr class="exception">') == 1
    assert "10.00–14.00 (henkilökunta paikalla) (Inventaario)" in page.text
    remove = f"/desk/hours/{VENUE}/exceptions/{day.isoformat()}/remove"
    assert f'action="{remove}?lang=fi"' in page.text  # a button beside the day, with the token

    removed = await desk.http.post(remove, params={"lang": "sv"}, headers=DESK,
                                   data={"csrf": "x"})
    assert parse_qs(urlsplit(removed.headers["location"]).query)["msg"] == [
        f"Avvikelsen borttagen: {day_full(day, 'sv')}"]
    assert desk.store.state.exceptions == []
    week = await usecases.week_hours(desk.uow, desk.clock, VENUE, None, day)
    assert [(i.start.hour, i.end.hour) for i in week if i.start.date() == day] == [(8, 20)]
    assert [type(e) for e in desk.store.state.outbox] == [VenueUpdated] * 3
    again = await desk.http.post(remove, params={"lang": "en"}, headers=DESK,
                                 data={"csrf": "x"})
    query = parse_qs(urlsplit(again.headers["location"]).query)
    assert (query["msg"], query["error"]) == (["That day has no exception."], ["1"])
    other = {"Authorization": "Bearer " + mint_token("desk-2", ["desk"], [uuid4()], "Muu")}
    await desk.http.post(url, params={"lang": "fi"}, headers=DESK, data={
        "csrf": "x", "day": day.isoformat(), "closed": "true"})
    refused = await desk.http.post(remove, params={"lang": "fi"}, headers=other,
                                   data={"csrf": "x"})
    assert parse_qs(urlsplit(refused.headers["location"]).query)["error"] == ["1"]
    assert len(desk.store.state.exceptions) == 1  # another venue's desk removes nothing


async def test_a_desk_page_without_lang_speaks_the_browsers_language(desk: Desk) -> None:
    """No `?lang=`: the language cookie, else the browser's (`PageLang`), not Finnish."""
    swedish = {**DESK, "Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}
    for path, said in (("/desk", "Bokningsdisken"), ("/desk/hours", "Öppettider"),
                       ("/desk/spaces", "Lokaler och regler"), ("/desk/loans", "Utlåning"),
                       ("/desk/day-sheet", "Tillbaka till disken")):
        page = await desk.http.get(path, headers=swedish, params={"venue_id": str(VENUE)})
        assert page.status_code == 200, path
        assert '<html lang="sv">' in page.text and said in page.text, path
    english = await desk.http.get("/desk/hours", params={"venue_id": str(VENUE)},
                                  headers={**DESK, "Cookie": "kohtaamo_lang=en"})
    assert '<html lang="en">' in english.text
    asked = await desk.http.get("/desk/hours", headers=swedish,
                                params={"venue_id": str(VENUE), "lang": "fi"})
    assert '<html lang="fi">' in asked.text  # the address's own language first
    signed_out = await desk.http.get("/desk/hours", headers={"Accept-Language": "sv"})
    assert parse_qs(urlsplit(signed_out.headers["location"]).query)["lang"] == ["sv"]
    verify = await desk.http.get("/contact/verify", params={"token": "x"},
                                 headers={"Accept-Language": "en-GB"})
    assert "<html lang='en'>" in verify.text and "Confirm the address" in verify.text
    assert "action='/contact/verify?lang=en'" in verify.text


async def test_the_desk_sets_a_spaces_rules_within_their_bounds(desk: Desk) -> None:
    page = await desk.http.get("/desk/spaces", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "sv"})
    assert page.status_code == 200 and "Kortaste bokning (min)" in page.text
    form = {"csrf": "x", "min_minutes": "60", "max_minutes": "180", "buffer_minutes": "15",
            "horizon_days": "90", "max_open_requests": "2", "cancellation_hours": "48",
            "hold_minutes": "10", "checkin_minutes": "20", "price_per_hour": "12,50",
            "confirmation": "automatic", "checkin_required": "true"}
    url = f"/desk/spaces/{desk.space.id}/rules"
    params = {"venue_id": str(VENUE), "lang": "fi"}
    saved = await desk.http.post(url, params=params, headers=DESK, data=form)
    assert parse_qs(urlsplit(saved.headers["location"]).query)["msg"][0].startswith(
        "Tallennettu.")
    rules = desk.store.state.spaces[desk.space.id].rules
    assert (rules.min_minutes, rules.max_minutes, rules.buffer_minutes, rules.horizon_days,
            rules.price_per_hour, rules.confirmation, rules.checkin_required,
            rules.self_service) == (60, 180, 15, 90, Decimal("12.50"), "automatic", True,
                                    False)
    for changes, said in (({"horizon_days": "9999"},
                           {"horizon_days": "Arvon pitää olla välillä 1–730."}),
                          ({"max_minutes": "30"},
                           {"max_minutes": "Pisin varaus ei voi olla lyhyempi kuin lyhin."}),
                          ({"hold_minutes": "kymmenen"},
                           {"hold_minutes": "Arvon pitää olla välillä 1–1\xa0440."}),
                          ({"price_per_hour": "NaN"},
                           {"price_per_hour": "Kirjoita hinta euroina, enintään kahdella"
                                              " desimaalilla, esim. 30,00."}),
                          ({"price_per_hour": "10 000,01"},
                           {"price_per_hour": "Arvon pitää olla välillä 0–10\xa0000."}),
                          # A tampered choice: not one of those offered, not "0–0".
                          ({"confirmation": "sometimes"},
                           {"confirmation": "Valinta ei ole mikään tarjotuista: valitse "
                                            "jokin luettelon vaihtoehdoista."}),
                          # Every number's refusal at once, each by its input.
                          ({"horizon_days": "0", "buffer_minutes": "x", "min_minutes": ""},
                           {"min_minutes": "Arvon pitää olla välillä 15–10\xa0080.",
                            "buffer_minutes": "Arvon pitää olla välillä 0–240.",
                            "horizon_days": "Arvon pitää olla välillä 1–730."})):
        refused = await desk.http.post(url, params=params, headers=DESK,
                                       data={**form, **changes})
        assert refused.status_code == 422, changes
        assert refused_inputs(refused, f"rules-refusals-{desk.space.id}") == {
            f"r-{desk.space.id}-{k}": v for k, v in said.items()}, changes
        page = Page(refused.text)
        assert page.autofocus == ([f"r-{desk.space.id}-{next(iter(said))}"] if len(said) == 1
                                  else [f"rules-refusals-{desk.space.id}"]), changes
        for name, typed in {**form, **changes}.items():  # the form as typed
            if name not in ("csrf", "confirmation", "checkin_required"):
                assert page.value(f"r-{desk.space.id}-{name}") == typed, name
        assert "0–0" not in refused.text
    assert desk.store.state.spaces[desk.space.id].rules == rules  # nothing half-stored


async def test_the_desk_lends_takes_back_and_sees_what_is_overdue(desk: Desk) -> None:
    from datetime import timedelta
    from uuid import uuid4 as new_id

    projector = Resource(new_id(), VENUE, {"fi": "Projektori", "sv": "Projektor"}, 2)
    desk.store.state.resources[projector.id] = projector
    params = {"venue_id": str(VENUE), "lang": "fi"}
    empty = await desk.http.get("/desk/loans", headers=DESK, params=params)
    assert empty.status_code == 200 and 'class="loan' not in empty.text
    form = {"csrf": "x", "resource_id": str(projector.id), "quantity": "2",
            "starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T12:00",
            "borrower_name": "Kalle Kirjastolainen", "borrower_phone": "040 123 4567"}
    lent = await desk.http.post(f"/desk/loans/{VENUE}/lend", params=params, headers=DESK,
                                data=form)
    assert parse_qs(urlsplit(lent.headers["location"]).query)["msg"] == [
        "Lainattu: 5.3. 10.00–12.00"]
    more = await desk.http.post(f"/desk/loans/{VENUE}/lend", params={**params, "lang": "sv"},
                                headers=DESK, data={**form, "quantity": "1"})
    assert more.status_code == 409  # the page again, the form as typed, by the quantity
    assert refused_inputs(more, "lend-refusals") == {
        "lend-quantity": "För hela tiden är bara 0 lediga."}
    assert Page(more.text).autofocus == ["lend-quantity"]
    assert Page(more.text).value("lend-start") == "2031-03-05T10:00"
    for lang, data, said in (
            ("fi", {"ends_at": "2031-03-05T09:00"},
             {"lend-end": "Lainan palautusajan on oltava sen alkamisen jälkeen."}),
            ("sv", {"ends_at": "2031-03-05T09:00"},
             {"lend-end": "Lånet måste lämnas tillbaka efter att det börjar."}),
            ("en", {"ends_at": "2031-03-05T09:00"},
             {"lend-end": "A loan must be due back after it starts."}),
            ("en", {"quantity": "0", "starts_at": "tomorrow"},
             {"lend-quantity": "The value must be between 1 and 1,000.",
              "lend-start": "The start time is not valid: give a date and a time."}),
            ("fi", {"ends_at": ""},
             {"lend-end": "Aika ei kelpaa: anna päivä ja kellonaika."})):
        refused = await desk.http.post(f"/desk/loans/{VENUE}/lend",
                                       params={**params, "lang": lang}, headers=DESK,
                                       data={**form, **data})
        assert refused.status_code == 422, data
        assert refused_inputs(refused, "lend-refusals") == said, data
        assert "Varauksen" not in refused.text and "booking must" not in refused.text
        page = Page(refused.text)
        for name, element in (("starts_at", "lend-start"), ("ends_at", "lend-end"),
                              ("quantity", "lend-quantity")):
            assert page.value(element) == {**form, **data}[name]
    (loan,) = desk.store.state.loans.values()
    desk.clock.advance(timedelta(days=2))  # past its end: overdue
    page = await desk.http.get("/desk/loans", headers=DESK, params=params)
    assert "Projektori × 2" in page.text and "(myöhässä)" in page.text
    # Whom to chase: the borrower's name and number on the overdue loan's row.
    row = page.text.split('class="loan is-overdue"')[1].split("</tr>")[0]
    assert "Kalle Kirjastolainen" in row and 'href="tel:0401234567">040 123 4567<' in row
    back = await desk.http.post(f"/desk/loans/{VENUE}/{loan.id}/returned", params=params,
                                headers=DESK, data={"csrf": "x"})
    assert parse_qs(urlsplit(back.headers["location"]).query)["msg"] == ["Palautettu."]
    assert desk.store.state.loans[loan.id].status == "returned"
    again = await desk.http.post(f"/desk/loans/{VENUE}/{loan.id}/cancelled", params=params,
                                 headers=DESK, data={"csrf": "x"})
    assert parse_qs(urlsplit(again.headers["location"]).query)["error"] == ["1"]
    # An action no button makes is no page (never a note saying "nothing").
    lost = await desk.http.post(f"/desk/loans/{VENUE}/{loan.id}/lost", params=params,
                                headers={**DESK, "Accept": "text/html"}, data={"csrf": "x"})
    assert lost.status_code == 404 and lost.headers["content-type"].startswith("text/html")


async def test_the_desk_adds_something_to_lend(desk: Desk) -> None:
    url = f"/desk/loans/{VENUE}/resources"
    params = {"venue_id": str(VENUE), "lang": "en"}
    added = await desk.http.post(url, params=params, headers=DESK,
                                 data={"csrf": "x", "name": " Projektori ", "quantity": "3"})
    assert parse_qs(urlsplit(added.headers["location"]).query)["msg"] == ["Added: Projektori"]
    for data, said in (({"name": "", "quantity": "1"},
                        {"add-name": "Give a name in Finnish."}),
                       ({"name": "Kamera", "quantity": "-1"},
                        {"add-quantity": "The value must be between 0 and 100,000."})):
        refused = await desk.http.post(url, params=params, headers=DESK,
                                       data={"csrf": "x", **data})
        assert refused.status_code == 422
        assert refused_inputs(refused, "add-refusals") == said
        page = Page(refused.text)
        assert page.autofocus == list(said)
        assert (page.value("add-name"), page.value("add-quantity")) == (
            data["name"], data["quantity"])
    assert [(r.name, r.quantity) for r in desk.store.state.resources.values()] == [
        ({"fi": "Projektori"}, 3)]
    # Told once, as the venue changed: the refused ones added nothing and told nothing.
    assert [type(e) for e in desk.store.state.outbox] == [VenueUpdated]


async def test_the_desk_sets_its_venues_features_or_says_why_not(desk: Desk) -> None:
    url = f"/desk/venues/{VENUE}/features"
    saved = await desk.http.post(url, params={"lang": "fi"}, headers=DESK, data={
        "csrf": "x", "accessibility_features": ["lift", "step_free_entrance", "lift"]})
    query = parse_qs(urlsplit(saved.headers["location"]).query)
    assert query["msg"] == ["Toimipisteen esteettömyys tallennettu."] and "error" not in query
    assert desk.store.features == ("step_free_entrance", "lift")
    assert type(desk.store.state.outbox[-1]) is VenueUpdated
    page = await desk.http.get("/desk/spaces", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "sv"})
    assert "Verksamhetsställets tillgänglighet" in page.text
    venue_form = page.text.split('class="venue-features"')[1].split("</section>")[0]
    assert 'value="lift" checked' in venue_form
    assert 'value="induction_loop" checked' not in venue_form
    # An odd word: the page again, 422, the refusal next to the boxes; nothing kept.
    refused = await desk.http.post(url, params={"lang": "sv"}, headers=DESK, data={
        "csrf": "x", "accessibility_features": ["lift", "ramp"]})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith(
        "text/html")
    assert '<span class="field-error" id="e-venue-features">Välj tillgänglighetsuppgifterna ' \
           'i listan.</span>' in refused.text
    assert desk.store.features == ("step_free_entrance", "lift")
    # Another venue's features are not this desk's to set.
    other = await desk.http.post(f"/desk/venues/{uuid4()}/features", params={"lang": "en"},
                                 headers=DESK, data={"csrf": "x",
                                                     "accessibility_features": ["lift"]})
    assert other.status_code == 303 and "error=1" in other.headers["location"]
    assert desk.store.features == ("step_free_entrance", "lift")
    # None ticked: none known any more.
    await desk.http.post(url, params={"lang": "en"}, headers=DESK, data={"csrf": "x"})
    assert desk.store.features == ()


async def test_closing_a_day_or_shortening_the_week_names_the_bookings_left_outside_hours(
        desk: Desk) -> None:
    """A closure, or weekly hours that no longer hold a booking, used to say only "Saved."
    and leave the booking standing unseen: the message says how many are left outside, the
    page lists each with a link to it on the day view, and nothing is cancelled."""
    booked = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), booked.id)
    day = TOMORROW_2PM.date()  # 14.00–15.00, the weekly hours 08–20 every day
    closed = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params={"lang": "fi"},
                                  headers=DESK, data={"csrf": "x", "day": day.isoformat(),
                                                      "closed": "true", "reason": "Vesivahinko"})
    assert closed.status_code == 303
    said = parse_qs(urlsplit(closed.headers["location"]).query)["msg"][0]
    assert said == (f"Tallennettu. {day_full(day, 'fi')}. Muutos jättää aukioloaikojen"
                    " ulkopuolelle varauksia: 1. Ne eivät peruuntuneet; siirrä tai peru ne"
                    " (luettelo alla).")
    assert desk.store.state.bookings[booked.id].status == "confirmed"  # the desk decides
    for lang, title in (("fi", "Varaukset aukioloaikojen ulkopuolella"),
                        ("sv", "Bokningar utanför öppettiderna"),
                        ("en", "Bookings outside opening hours")):
        page = await desk.http.get("/desk/hours", headers=DESK,
                                   params={"venue_id": str(VENUE), "lang": lang})
        assert f"{title} (1)" in page.text
        link = (f'href="/desk?venue_id={VENUE}&amp;day={day.isoformat()}&amp;lang={lang}'
                f'#b-{booked.id}"')
        assert link in page.text and "Lukupiiri" in page.text
    # The day view has the row the link points at.
    view = await desk.http.get("/desk", headers=DESK, params={
        "venue_id": str(VENUE), "day": day.isoformat(), "lang": "fi"})
    assert f'id="b-{booked.id}"' in view.text

    # Open again: nothing left outside, the list gone.
    await desk.http.post(f"/desk/hours/{VENUE}/exceptions/{day.isoformat()}/remove",
                         params={"lang": "fi"}, headers=DESK, data={"csrf": "x"})
    page = await desk.http.get("/desk/hours", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": "fi"})
    assert "Varaukset aukioloaikojen ulkopuolella" not in page.text

    # Weekly hours that end before the booking: said in Swedish, the booking kept.
    weekday = str(day.isoweekday())
    saved = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "sv"},
                                 headers=DESK, data={"csrf": "x", "weekday": [weekday],
                                                     "opens": ["08:00"], "closes": ["12:00"],
                                                     "kind": ["staffed"]})
    assert parse_qs(urlsplit(saved.headers["location"]).query)["msg"] == [
        "Sparat. Ändringen lämnar bokningar utanför öppettiderna: 1. De har inte avbokats;"
        " flytta eller avboka dem (listan nedan)."]
    assert desk.store.state.bookings[booked.id].status == "confirmed"


async def test_the_use_cases_answer_which_bookings_a_change_leaves_outside_hours(
        desk: Desk) -> None:
    """What the API answers (`outside_hours`): the day's requested and confirmed bookings
    the exception leaves outside, none of another day, none that still fit."""
    inside = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, TOMORROW_2PM.replace(hour=10)))
    late = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, TOMORROW_2PM.replace(hour=17)))
    next_day = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, TOMORROW_2PM + timedelta(days=1, hours=3)))
    saved = await usecases.add_exception(
        desk.uow, desk.clock, usecases_desk(), VENUE, None,
        DayException(TOMORROW_2PM.date(), time(9), time(13), "staffed"), None)
    assert [b.id for b in saved.outside] == [late.id]
    weekly = await usecases.set_weekly_hours(
        desk.uow, desk.clock, usecases_desk(), VENUE, None,
        [WeeklyHours(d, time(8), time(16), "staffed") for d in range(1, 8)])
    assert [b.id for b in weekly.outside] == [late.id, next_day.id]
    assert inside.id not in {b.id for b in weekly.outside}
    assert {b.status for b in desk.store.state.bookings.values()} == {"requested"}


async def test_a_move_from_a_page_shown_before_another_desk_persons_move_is_refused(
        desk: Desk) -> None:
    """Two desk people open the same day and move the same booking: the second used to lay
    their move over the first, unseen. The form carries the booking's revision as shown;
    the later move is refused with 409 in its reader's language, saying its time now, and
    the page shows the booking where the first move put it."""
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), booking.id)
    shown = desk.store.state.bookings[booking.id].revision
    page = await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)
    assert f'name="revision" value="{shown}"' in page.text
    url = f"/desk/bookings/{booking.id}/move"
    first = await desk.http.post(url, params=desk.back("fi"), headers=DESK, data={
        "starts_at": "2031-03-05T15:00", "minutes": "60", "reason": "Remontti",
        "revision": str(shown)})
    assert first.status_code == 303
    for lang, said in (("en", "The booking was changed meanwhile: now 5 Mar 15:00–16:00."),
                       ("fi", "Varausta on muutettu välillä: nyt 5.3. 15.00–16.00."),
                       ("sv", "Bokningen har ändrats under tiden: nu 5 mars 15:00–16:00.")):
        second = await desk.http.post(url, params=desk.back(lang), headers=DESK, data={
            "starts_at": "2031-03-05T17:00", "minutes": "60", "reason": "Toinen syy",
            "revision": str(shown)})
        assert second.status_code == 409
        status = Page(second.text)
        assert "autofocus" in status.by_id["status"]
        assert status.text["status"].strip().startswith(said), status.text["status"]
    assert desk.store.state.bookings[booking.id].starts_at == TOMORROW_2PM.replace(hour=15)
    moves = [h for h in desk.store.state.bookings[booking.id].history if h.status == "moved"]
    assert [h.reason for h in moves] == ["Remontti"]
    # The page as it is now carries the new revision: a move from it is done.
    again = await desk.http.post(url, params=desk.back("fi"), headers=DESK, data={
        "starts_at": "2031-03-05T17:00", "minutes": "60", "reason": "Toinen syy",
        "revision": str(desk.store.state.bookings[booking.id].revision)})
    assert again.status_code == 303
    assert desk.store.state.bookings[booking.id].starts_at == TOMORROW_2PM.replace(hour=17)


@pytest.mark.parametrize("lang, revision, said", [
    ("fi", None, "Lomake oli vanhentunut, joten siirtoa ei tehty."),
    ("sv", "x", "Formuläret var föråldrat, så bokningen flyttades inte."),
    ("en", "", "The form was out of date, so nothing was moved."),
    ("fi", "-1", "Lomake oli vanhentunut"), ("en", "1.0", "The form was out of date"),
    ("sv", "9" * 5000, "Formuläret var föråldrat"), ("en", "²", "The form was out of date")])
async def test_a_move_form_without_a_readable_revision_is_refused_and_nothing_moves(
        desk: Desk, lang: str, revision: str | None, said: str) -> None:
    """A tester's finding: a move form with no revision, or one that is not a number, was
    read as "no check" and moved the booking over whatever changed since it was shown. It
    is refused as a stale form is (409, the page as it is now, the refusal read out)."""
    booking = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), booking.id)
    before = desk.store.state.bookings[booking.id]
    form = {"starts_at": "2031-03-05T18:00", "minutes": "60", "reason": "Remontti"}
    if revision is not None:
        form["revision"] = revision
    r = await desk.http.post(f"/desk/bookings/{booking.id}/move", params=desk.back(lang),
                             headers=DESK, data=form)
    assert r.status_code == 409 and "location" not in r.headers, r.status_code
    status = Page(r.text)
    assert "autofocus" in status.by_id["status"]
    assert status.text["status"].strip().startswith(said), status.text["status"]
    # The page as it is now, its form carrying the revision a move from it needs.
    assert f'name="revision" value="{before.revision}"' in r.text
    after = desk.store.state.bookings[booking.id]
    assert (after.starts_at, after.revision) == (before.starts_at, before.revision)
    assert [h for h in after.history if h.status == "moved"] == []


async def test_the_loans_page_writes_quantities_as_each_language_groups_digits(
        desk: Desk) -> None:
    """"Kohtaamo (86529 kpl)" read as one run of digits; Finnish and Swedish group by a
    space ("86 529"), English by a comma."""
    chairs = Resource(uuid4(), VENUE, {"fi": "Tuolit", "sv": "Stolar", "en": "Chairs"}, 86529)
    desk.store.state.resources[chairs.id] = chairs
    for lang, shown in (("fi", "86\u00a0529"), ("sv", "86\u00a0529"), ("en", "86,529")):
        page = await desk.http.get("/desk/loans", headers=DESK,
                                   params={"venue_id": str(VENUE), "lang": lang})
        option = re.search(rf'<option value="{chairs.id}">([^<]*)</option>', page.text)
        assert option and f"({shown} " in option.group(1), option


async def test_weekly_hours_refused_say_which_weekdays_row_and_come_back_as_typed(
        desk: Desk) -> None:
    """Tester #6: a wrong row used to send the desk back to the stored hours with one
    sentence at the top, and a row with one time only was dropped unsaid. Now the form as
    typed (422), each refusal by its input saying the row's weekday, a summary linking to
    each (it takes focus: there are several); nothing is stored."""
    before = list(desk.store.state.weekly)
    refused = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "fi"},
                                   headers=DESK, data={
        "csrf": "x", "weekday": ["1", "2", "5", "3"], "opens": ["09:00", "18:00", "10:00", ""],
        "closes": ["20:00", "09:00", "", ""], "kind": ["staffed"] * 4})
    assert refused.status_code == 422
    assert refused_inputs(refused, "weekly-refusals") == {
        "wk-1-closes": "Tiistai: Sulkemisajan pitää olla avaamisajan jälkeen.",
        "wk-2-closes": "Perjantai: Anna sekä avautumis- että sulkemisaika, tai jätä rivin"
                       " ajat tyhjiksi."}
    page = Page(refused.text)
    assert page.autofocus == ["weekly-refusals"]
    assert [page.value(f"wk-{i}-opens") for i in range(4)] == ["09:00", "18:00", "10:00", ""]
    assert page.selected["wk-2-weekday"] == "5"
    assert desk.store.state.weekly == before
    # A tampered kind: which row's, in Swedish.
    odd = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "sv"},
                               headers=DESK, data={"csrf": "x", "weekday": ["7"],
                                                   "opens": ["10:00"], "closes": ["12:00"],
                                                   "kind": ["always"]})
    assert refused_inputs(odd, "weekly-refusals") == {
        "wk-0-kind": "Söndag: Välj veckodag och om det är bemannad tid eller meröppet."}
    assert Page(odd.text).autofocus == ["wk-0-kind"]


async def test_a_save_on_the_venue_pages_is_read_out_from_a_focused_status(
        desk: Desk) -> None:
    """Tester #7: "Tallennettu" stood in a status region present at load, which a screen
    reader does not read, and nothing took focus. As on the day view, the region takes
    focus (tabindex -1) after a save or a refusal of no input; a refused input keeps it."""
    projector = Resource(uuid4(), VENUE, {"fi": "Projektori"}, 1)
    desk.store.state.resources[projector.id] = projector
    params = {"venue_id": str(VENUE), "lang": "fi"}
    rules = {"csrf": "x", "min_minutes": "60", "max_minutes": "180", "buffer_minutes": "15",
             "horizon_days": "90", "max_open_requests": "2", "cancellation_hours": "48",
             "hold_minutes": "10", "checkin_minutes": "20", "price_per_hour": "",
             "confirmation": "manual"}
    for page, url, data, said in (
            ("/desk/hours", f"/desk/hours/{VENUE}/weekly",
             {"csrf": "x", "weekday": ["1"], "opens": ["09:00"], "closes": ["20:00"],
              "kind": ["staffed"]}, "Tallennettu."),
            ("/desk/spaces", f"/desk/spaces/{desk.space.id}/rules", rules, "Tallennettu."),
            ("/desk/loans", f"/desk/loans/{VENUE}/resources",
             {"csrf": "x", "name": "Kamera", "quantity": "1"}, "Lisätty: Kamera")):
        saved = await desk.http.post(url, params=params, headers=DESK, data=data)
        assert saved.status_code == 303, page
        shown = await desk.http.get(saved.headers["location"], headers=DESK)
        found = Page(shown.text)
        status = found.by_id["status"]
        assert (status.get("role"), status.get("tabindex")) == ("status", "-1"), page
        assert found.autofocus == ["status"], page
        assert found.text["status"].strip().startswith(said), page
        quiet = Page((await desk.http.get(page, params=params, headers=DESK)).text)
        assert "hidden" in quiet.by_id["status"] and quiet.autofocus == [], page
    # Lent once; a thing not on the list is then refused by the list, the form as typed
    # (a refusal of no input, read out from the status: test_desk_lend_tampered).
    form = {"csrf": "x", "resource_id": str(projector.id), "quantity": "1",
            "starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T12:00",
            "borrower_name": "Liisa"}
    assert (await desk.http.post(f"/desk/loans/{VENUE}/lend", params=params, headers=DESK,
                                 data=form)).status_code == 303
    gone = await desk.http.post(f"/desk/loans/{VENUE}/lend", params=params, headers=DESK,
                                data={**form, "resource_id": str(uuid4())})
    # Not on the venue's list (removed meanwhile, another venue's): by the list, "reload".
    assert gone.status_code == 422
    shown = Page(gone.text)
    assert shown.autofocus == ["lend-resource"] and shown.value("lend-start") == \
        "2031-03-05T10:00"
    assert shown.text["lend-resource-error"].strip() == \
        "Valittu ei ole tämän toimipisteen lainattavaa: lataa sivu uudelleen ja valitse" \
        " luettelosta."
    # A refused input takes focus, not the status.
    refused = Page((await desk.http.post(f"/desk/loans/{VENUE}/lend", params=params,
                                         headers=DESK, data=form)).text)
    assert refused.autofocus == ["lend-quantity"]


async def test_the_rules_form_writes_the_price_as_its_language_and_reads_either_back(
        desk: Desk) -> None:
    """Tester #13: the price stood as "30.00" on a Finnish and Swedish page. It is written
    as the page's language writes it, and read back as that language writes it (English
    "32,50" is no price: test_desk_venue_rules.py)."""
    url = f"/desk/spaces/{desk.space.id}/rules"
    form = {"csrf": "x", "min_minutes": "60", "max_minutes": "180", "buffer_minutes": "15",
            "horizon_days": "90", "max_open_requests": "2", "cancellation_hours": "48",
            "hold_minutes": "10", "checkin_minutes": "20", "confirmation": "manual"}
    for lang, typed in (("en", "32.50"), ("fi", "32,50"), ("sv", "1 032,50")):
        saved = await desk.http.post(url, params={"venue_id": str(VENUE), "lang": lang},
                                     headers=DESK, data={**form, "price_per_hour": typed})
        assert saved.status_code == 303, typed
        assert desk.store.state.spaces[desk.space.id].rules.price_per_hour == Decimal(
            typed.replace(" ", "").replace(",", ".")), typed
    rules = desk.store.state.spaces[desk.space.id].rules
    desk.store.state.spaces[desk.space.id] = replace(
        desk.store.state.spaces[desk.space.id], rules=replace(rules,
                                                              price_per_hour=Decimal("30")))
    for lang, shown in (("fi", "30,00"), ("sv", "30,00"), ("en", "30.00")):
        page = Page((await desk.http.get("/desk/spaces", headers=DESK, params={
            "venue_id": str(VENUE), "lang": lang})).text)
        assert page.value(f"r-{desk.space.id}-price_per_hour") == shown, lang


async def test_a_rows_buttons_say_which_booking_they_act_on(desk: Desk) -> None:
    """Tester #16: "Vahvista", "Peru", "Saapunut", "Siirrä" and their reason inputs, one
    set per row, each named with its booking's title and time for a screen reader."""
    asked = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    page = (await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)).text
    for said in ("Vahvista: Lukupiiri, 5.3. 14.00–15.00", "Hylkää: Lukupiiri, 5.3. 14.00–15.00",
                 "syy: Lukupiiri, 5.3. 14.00–15.00"):
        assert f'aria-label="{said}"' in page, said
    await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), asked.id)
    # Half an hour before it starts: its arrival can be marked, so "Anlänt" is offered too.
    desk.clock.set(TOMORROW_2PM - timedelta(minutes=30))
    page = (await desk.http.get("/desk", params=desk.back("sv"), headers=DESK)).text
    for said in ("Anlänt", "Avboka", "orsak", "Flytta", "Ny starttid", "Flytta bokningen"):
        assert f'aria-label="{said}: Lukupiiri, 14:00–15:00"' in page, said


async def test_arrived_is_offered_only_when_the_booking_can_be_checked_in(
        desk: Desk) -> None:
    """Testers: the day offered "Arrived" for bookings a week ahead, and pressing it was
    refused. A confirmed booking's row offers it from an hour before its start until its
    end (the check-in's own rule), and not once marked; the rest of the row stays."""
    asked = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(desk.space))
    await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), asked.id)
    arrived = 'aria-label="Arrived: Lukupiiri, 14:00–15:00"'
    cancel = 'aria-label="Cancel: Lukupiiri, 14:00–15:00"'

    async def row() -> str:
        page = (await desk.http.get("/desk", params=desk.back("en"), headers=DESK)).text
        found = re.search(rf'<tr data-booking="{asked.id}".*?</tr>', page, re.S)
        assert found is not None
        return found[0]

    # The day before (and a week before): no "Arrived", and pressing it is refused anyway.
    for before in (timedelta(days=7), timedelta(days=1)):
        desk.clock.set(TOMORROW_2PM - before)
        shown = await row()
        assert "/check-in" not in shown and "Arrived" not in shown, before
        assert cancel in shown and "Move" in shown, before  # the rest of the row stays
    # On its day, within the hour before it starts: offered, and pressing it is taken.
    desk.clock.set(TOMORROW_2PM - timedelta(minutes=45))
    shown = await row()
    assert arrived in shown and f"/desk/bookings/{asked.id}/check-in" in shown
    done = await desk.http.post(f"/desk/bookings/{asked.id}/check-in",
                                params=desk.back("en"), data={}, headers=DESK)
    assert parse_qs(urlsplit(done.headers["location"]).query)["msg"] == [
        "Arrived: Lukupiiri, 5 Mar 14:00–15:00"]
    # Marked: no second "Arrived", the tick instead.
    shown = await row()
    assert "Arrived" not in shown and "✓" in shown
    # Ended: none either.
    desk.clock.set(TOMORROW_2PM + timedelta(hours=1))
    assert "/check-in" not in await row()


async def test_a_loan_names_its_borrower_or_goes_with_a_booking(desk: Desk) -> None:
    """Tester #5: the lending form had only what, how many, from and until, so an overdue
    loan could not be chased. A name (and a phone or email), or a booking whose contact
    borrows, is asked, kept and shown on the loan's row; without either, or with a phone
    or address that is none, the form comes back as typed, each by its input."""
    chairs = Resource(uuid4(), VENUE, {"fi": "Tuolit"}, 10)
    desk.store.state.resources[chairs.id] = chairs
    params = {"venue_id": str(VENUE), "lang": "fi"}
    form = {"csrf": "x", "resource_id": str(chairs.id), "quantity": "3",
            "starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T12:00"}
    url = f"/desk/loans/{VENUE}/lend"
    nobody = await desk.http.post(url, params=params, headers=DESK, data=form)
    assert nobody.status_code == 422
    assert refused_inputs(nobody, "lend-refusals") == {"lend-borrower": (
        "Anna lainaajan nimi (tai valitse varaus, jonka yhteyshenkilö lainaa), jotta"
        " myöhästyneestä lainasta voi muistuttaa.")}
    assert Page(nobody.text).autofocus == ["lend-borrower"]
    for lang, said in (("sv", {"lend-phone": "Ange telefonnumret med siffror, t.ex. 040 123"
                                             " 4567 eller +358 40 123 4567, högst 30"
                                             " tecken.",
                               "lend-email": "Ange e-postadressen som namn@exempel.fi."}),
                       ("en", {"lend-phone": "Give the phone number in digits, e.g. 040 123"
                                             " 4567 or +358 40 123 4567, at most 30"
                                             " characters.",
                               "lend-email": "Give the email address as name@example.fi.",
                               "lend-end": "A loan must be due back after it starts."})):
        odd = {**form, "borrower_name": "Kalle", "borrower_phone": "soita",
               "borrower_email": "kalle@", **({"ends_at": "2031-03-05T09:00"}
                                              if lang == "en" else {})}
        refused = await desk.http.post(url, params={**params, "lang": lang}, headers=DESK,
                                       data=odd)
        assert refused.status_code == 422
        assert refused_inputs(refused, "lend-refusals") == said, lang
        page = Page(refused.text)
        assert page.autofocus == ["lend-refusals"]  # several: the summary
        assert (page.value("lend-borrower"), page.value("lend-phone"),
                page.value("lend-email")) == ("Kalle", "soita", "kalle@")
    assert desk.store.state.loans == {}

    lent = await desk.http.post(url, params=params, headers=DESK, data={
        **form, "borrower_name": " Kalle Kirjastolainen ", "borrower_email": "kalle@example.fi"})
    assert lent.status_code == 303
    (loan,) = desk.store.state.loans.values()
    assert loan.borrower == Borrower("Kalle Kirjastolainen", None, "kalle@example.fi")
    page = await desk.http.get("/desk/loans", headers=DESK, params=params)
    row = page.text.split('class="loan"')[1].split("</tr>")[0]
    assert "Kalle Kirjastolainen" in row and "mailto:kalle@example.fi" in row
    assert 'aria-label="Palautettu: Tuolit × 3, Kalle Kirjastolainen, 5.3. 10.00–12.00"' in row

    # For a booking of the week, with no name: its contact borrows.
    booked = await usecases.request_booking(desk.uow, desk.clock, MAIJA, command(
        desk.space, TOMORROW_2PM.replace(hour=10), minutes=120))
    page = await desk.http.get("/desk/loans", headers=DESK, params=params)
    assert f'<option value="{booked.id}">Lukupiiri, 5.3. 10.00–12.00' in page.text
    with_booking = await desk.http.post(url, params=params, headers=DESK, data={
        **form, "quantity": "2", "booking_id": str(booked.id)})
    assert with_booking.status_code == 303, with_booking.text
    made = next(loan for loan in desk.store.state.loans.values() if loan.booking_id)
    assert (made.booking_id, made.borrower) == (booked.id, None)  # the booking's contact


async def test_the_lending_forms_borrower_is_declared_and_named_when_refused(
        desk: Desk) -> None:
    """The borrower's inputs are the route's own, declared as form texts
    (`tests/test_text_bounds.py`): a NUL in the name, and too long a name, come back as the
    form, refused by the name's input in the page's language (not the bare shared page)."""
    chairs = Resource(uuid4(), VENUE, {"fi": "Tuolit"}, 10)
    desk.store.state.resources[chairs.id] = chairs
    form = {"csrf": "x", "resource_id": str(chairs.id), "quantity": "1",
            "starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T12:00"}
    url = f"/desk/loans/{VENUE}/lend"
    for lang, said in (("fi", "Tekstissä on merkki, jota ei voi tallentaa; kirjoita se"
                               " uudelleen."),
                       ("sv", "Texten har ett tecken som inte kan sparas; skriv den på nytt."),
                       ("en", "The text has a character that cannot be saved; type it"
                              " again.")):
        nul = await desk.http.post(url, params={"venue_id": str(VENUE), "lang": lang},
                                   headers={**DESK, "Accept": "text/html"},
                                   data={**form, "borrower_name": "Kal\x00le"})
        assert nul.status_code == 422
        assert refused_inputs(nul, "lend-refusals") == {"lend-borrower": said}, lang
        assert Page(nul.text).value("lend-borrower") == "Kal\ufffdle"  # as the browser shows
    long = await desk.http.post(url, params={"venue_id": str(VENUE), "lang": "en"},
                                headers=DESK, data={**form, "borrower_name": "K" * 5000})
    assert long.status_code == 422
    assert refused_inputs(long, "lend-refusals") == {
        "lend-borrower": "Give the borrower's name in letters, at most 200 characters."}
    assert Page(long.text).value("lend-borrower") == "K" * 1000  # as typed, cut to the form's
    assert desk.store.state.loans == {}


async def test_holds_let_go_are_no_bookings_on_the_desk_page(desk: Desk) -> None:
    """A time an organiser held and released, or let expire, was a nameless "cancelled" row
    in the day's list and a bare time in the week (a tester's round); a hold still held is
    said to be held."""
    def booking(title: str, status: str, hour: int) -> Booking:
        start = TOMORROW_2PM.replace(hour=hour)
        return Booking(uuid4(), desk.space.id, VENUE, uuid4(), title, start,
                       start + timedelta(hours=1), status)

    for b in (booking("", "cancelled", 9), booking("", "expired", 10),
              booking("", "held", 11), booking("Kuoroharjoitus", "cancelled", 12)):
        desk.store.state.bookings[b.id] = b
    r = await desk.http.get("/desk", params=desk.back("fi"), headers=DESK)
    assert r.status_code == 200, r.text
    # The cancelled booking's row, and its time in the week said in words too (not by the
    # strike-through alone): the let-go holds in neither.
    assert "vanhentunut" not in r.text and r.text.count("peruttu") == 2, r.text
    assert "Kuoroharjoitus <span class=\"muted\">(peruttu)</span>" in r.text
    assert "Kuoroharjoitus" in r.text and "pidossa" in r.text
    assert " · </span>" not in r.text  # no organiser: no dangling separator


@pytest.mark.parametrize("lang, offer, done", [
    ("fi", "Vahvista koko sarja (3 kertaa)", "Sarja vahvistettu, 3 kertaa: Lukupiiri, "
                                             "5.–19. maaliskuuta 2031"),
    ("sv", "Bekräfta hela serien (3 gånger)", "Serien bekräftad, 3 gånger: Lukupiiri, "
                                              "5–19 mars 2031"),
    ("en", "Confirm the whole series (3 times)", "Series confirmed, 3 times: "
                                                 "Lukupiiri, 5–19 Mar 2031")])
async def test_the_desk_confirms_a_whole_series_with_one_form(
        desk: Desk, lang: str, offer: str, done: str) -> None:
    """A tester confirmed a series of three one time at a time (3 × "Vahvista")."""
    made = await usecases.request_series(desk.uow, desk.clock, MAIJA, usecases.SeriesCommand(
        command(desk.space), count=3))
    single = await usecases.request_booking(desk.uow, desk.clock, MATTI, command(
        desk.space, TOMORROW_2PM + timedelta(days=1)))
    r = await desk.http.get("/desk", params=desk.back(lang), headers=DESK)
    assert r.status_code == 200, r.text
    action = f"/desk/series/{made.series_id}/confirm?"
    # Offered on each of the series' rows, as a POST form with the CSRF token; not on a
    # request of no series.
    assert r.text.count(f'<form method="post" action="{action}') == 3
    form = r.text.split(f'action="{action}', 1)[1].split("</form>", 1)[0]
    assert 'name="csrf"' in form and f">{offer}</button>" in form
    assert f'aria-label="{offer}: Lukupiiri"' in form
    row = r.text.split(f'data-booking="{single.id}"', 1)[1].split("</tr>", 1)[0]
    assert "/desk/series/" not in row
    # Another venue's desk is refused as one time's confirming is, nothing confirmed.
    other = {"Authorization": "Bearer " + mint_token("desk-2", ["desk"], [uuid4()], "Muu")}
    theirs = await desk.http.post(action.rstrip("?"), params=desk.back(lang), data={},
                                  headers=other)
    one = await desk.http.post(f"/desk/bookings/{made.created[0].id}/confirm",
                               params=desk.back(lang), data={}, headers=other)
    said = parse_qs(urlsplit(theirs.headers["location"]).query)
    assert said["error"] == ["1"]
    assert said["msg"] == parse_qs(urlsplit(one.headers["location"]).query)["msg"]
    assert {b.status for b in desk.store.state.bookings.values()} == {"requested"}
    # The venue's desk: every time at once, and how many said.
    confirmed = await desk.http.post(action.rstrip("?"), params=desk.back(lang), data={},
                                     headers=DESK)
    assert parse_qs(urlsplit(confirmed.headers["location"]).query)["msg"] == [done]
    assert [desk.store.state.bookings[b.id].status for b in made.created] == [
        "confirmed"] * 3
    assert desk.store.state.bookings[single.id].status == "requested"
    r = await desk.http.get("/desk", params=desk.back(lang), headers=DESK)
    assert "/desk/series/" not in r.text  # nothing left of the series to confirm


async def test_a_series_time_refused_refuses_the_whole_series_as_it_refuses_the_time(
        desk: Desk) -> None:
    made = await usecases.request_series(desk.uow, desk.clock, MAIJA, usecases.SeriesCommand(
        command(desk.space), count=3))
    second = made.created[1]
    # The desk closed the second time's day since it was asked for.
    desk.store.state.exceptions = [DayException(
        second.starts_at.astimezone(HELSINKI).date())]
    whole = await desk.http.post(f"/desk/series/{made.series_id}/confirm",
                                 params=desk.back("sv"), data={}, headers=DESK)
    one = await desk.http.post(f"/desk/bookings/{second.id}/confirm",
                               params=desk.back("sv"), data={}, headers=DESK)
    said = parse_qs(urlsplit(whole.headers["location"]).query)
    assert said["error"] == ["1"] and said["msg"]
    assert said["msg"] == parse_qs(urlsplit(one.headers["location"]).query)["msg"]
    # All or none: the first time is not left confirmed.
    assert {b.status for b in desk.store.state.bookings.values()} == {"requested"}
    # A series that is none (gone, a crafted form): said in words, as a booking that is none.
    gone = await desk.http.post(f"/desk/series/{uuid4()}/confirm", params=desk.back("en"),
                                data={}, headers=DESK)
    assert parse_qs(urlsplit(gone.headers["location"]).query)["msg"] == [
        "There is no such series."]
    # Once the series has one time left waiting, it is confirmed as one time is.
    for b in made.created[::2]:
        await usecases.confirm_booking(desk.uow, desk.clock, usecases_desk(), b.id)
    r = await desk.http.get("/desk", params=desk.back("en"), headers=DESK)
    assert "/desk/series/" not in r.text
