"""A staff tester's findings on the desk's venue pages, in-process (the app with the
use cases' in-memory store): weekly hours that repeat or overlap a weekday, a photo's alt
text of nothing to read or an address that is none, a thing to lend whose name cannot be
read, inputs past a route's schema bound, prices as the page's language writes them, and a
borrower with a phone but no name. Each is the domain's or the use case's rule, so the API
refuses the same; each page refusal is 422 with the form as typed and the input marked."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import time
from decimal import Decimal

import pytest
from markupsafe import escape

from services.booking import usecases
from services.booking.domain import Resource, WeeklyHours
from services.booking.tests.test_desk_forms import DESK, Desk, Page, desk, refused_inputs
from services.booking.tests.test_desk_space_details import PARAMS as SPACE_PARAMS
from services.booking.tests.test_desk_space_details import PHOTO
from services.booking.tests.test_desk_space_details import _form as details_form
from services.booking.tests.test_usecases import DESK as DESK_PRINCIPAL
from services.booking.tests.test_usecases import VENUE
from shared.errors import Invalid

__all__ = ["desk"]  # the fixture, used by name

WEEK = {"weekday": ["1", "2", "3"], "opens": ["09:00", "09:00", "09:00"],
        "closes": ["20:00", "20:00", "20:00"], "kind": ["staffed", "staffed", "staffed"]}


def _week(**columns: list[str]) -> dict[str, object]:
    return {"csrf": "x", **WEEK, **columns}


# --- 1. weekly hours ------------------------------------------------------------------------

@pytest.mark.parametrize("lang, rows, refused, said", [
    # Monday 09–20 and 12–14: both would have been shown to residents.
    ("fi", {"weekday": ["1", "2", "1"], "opens": ["09:00", "09:00", "12:00"],
            "closes": ["20:00", "20:00", "14:00"]}, "wk-2-weekday",
     "Maanantai: ajat menevät päällekkäin saman päivän toisen rivin kanssa (9.00–20.00)."
     " Korjaa ajat tai poista toinen riveistä."),
    # Tuesday's row changed to Monday: Monday twice, Tuesday closed.
    ("sv", {"weekday": ["1", "1", "3"]}, "wk-1-weekday",
     "Måndag: tiderna överlappar en annan rad för samma dag (09:00–20:00). Ändra tiderna"
     " eller ta bort den ena raden."),
    ("en", {"weekday": ["1", "1", "3"]}, "wk-1-weekday",
     "Monday: the hours overlap another row of the same day (09:00–20:00). Change the times"
     " or remove one of the rows."),
])
async def test_a_weekdays_repeated_or_overlapping_row_is_refused_by_its_weekday(
        desk: Desk, lang: str, rows: dict[str, list[str]], refused: str, said: str) -> None:
    before = list(desk.store.state.weekly)
    answer = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": lang},
                                  headers=DESK, data=_week(**rows))
    assert answer.status_code == 422, answer.text
    assert refused_inputs(answer, "weekly-refusals") == {refused: said}
    page = Page(answer.text)
    assert page.autofocus == [refused]
    assert page.selected[refused] == "1"  # the form as typed
    assert desk.store.state.weekly == before  # nothing stored


async def test_rows_that_only_touch_or_differ_in_kind_are_one_days_hours(desk: Desk) -> None:
    saved = await desk.http.post(f"/desk/hours/{VENUE}/weekly", params={"lang": "fi"},
                                 headers=DESK, data=_week(
                                     weekday=["1", "1", "1"], opens=["07:00", "09:00", "12:00"],
                                     closes=["09:00", "12:00", "20:00"],
                                     kind=["self_service", "staffed", "staffed"]))
    assert saved.status_code == 303, saved.text
    assert desk.store.state.weekly == [WeeklyHours(1, time(7), time(9), "self_service"),
                                       WeeklyHours(1, time(9), time(12), "staffed"),
                                       WeeklyHours(1, time(12), time(20), "staffed")]


async def test_the_api_refuses_overlapping_weekly_hours_naming_the_row_and_weekday(
        desk: Desk) -> None:
    before = list(desk.store.state.weekly)
    answer = await desk.http.put(f"/venues/{VENUE}/hours", headers={
        **DESK, "Accept-Language": "en"}, json={"weekly": [
            {"weekday": 1, "opens": "09:00", "closes": "20:00"},
            {"weekday": 2, "opens": "09:00", "closes": "20:00"},
            {"weekday": 1, "opens": "09:00", "closes": "20:00"}]})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "hours_overlap"
    assert body["detail"][0]["loc"] == ["body", "weekly", 2, "weekday"]
    assert body["message"].startswith("Monday: the hours overlap another row")
    assert desk.store.state.weekly == before


# --- 2. space photos ------------------------------------------------------------------------

@pytest.mark.parametrize("changes, input_name, said", [
    ({"photo_0_alt_fi": "\u200b"}, "photo_0_alt_fi", "Berätta på finska vad bilden visar"),
    ({"photo_0_alt_sv": "  \u200b "}, "photo_0_alt_sv", "Skriv text som går att läsa"),
    # Alt text with no address: refused by the address, not dropped.
    ({"photo_1_alt_fi": "Lava"}, "photo_1_url", "Ange en bildadress som börjar med https://"),
    ({"photo_0_url": 'https://kirjasto.example/a".jpg'}, "photo_0_url",
     "Ange en bildadress som börjar med https://"),
    ({"photo_0_url": "https://kirjasto.example/sali kuva.jpg"}, "photo_0_url",
     "Ange en bildadress som börjar med https://"),
])
async def test_a_photo_without_real_alt_text_or_a_valid_address_is_refused(
        desk: Desk, changes: dict[str, str], input_name: str, said: str) -> None:
    before = desk.store.state.spaces[desk.space.id]
    refused = await desk.http.post(f"/desk/spaces/{desk.space.id}/details",
                                   params=SPACE_PARAMS, headers=DESK,
                                   data=details_form(**changes))
    assert refused.status_code == 422, refused.text
    page = Page(refused.text)
    error_id = f"e-{desk.space.id}-{input_name}"
    assert said in page.text[error_id]
    # The one input marked, pointing at its refusal, with focus; the form as typed.
    marked = re.findall(r'<(?:input|textarea) [^>]*aria-invalid="true"[^>]*>', refused.text)
    assert len(marked) == 1 and f'name="{input_name}"' in marked[0]
    assert error_id in marked[0] and "autofocus" in marked[0]
    for name, typed in changes.items():
        [tag] = re.findall(rf'<input [^>]*name="{name}"[^>]*>', refused.text)
        assert f'value="{escape(typed)}"' in tag, tag
    assert desk.store.state.spaces[desk.space.id] == before


async def test_the_api_refuses_an_invisible_alt_text_and_an_address_that_is_none(
        desk: Desk) -> None:
    url = f"/spaces/{desk.space.id}/details"
    for photo, field, code in (
            ({"url": PHOTO, "alt": {"fi": "\u200b"}}, ["photos", 0, "alt", "fi"], "photo_alt"),
            ({"url": PHOTO, "alt": {"fi": "Lava", "en": "  \u200b "}},
             ["photos", 0, "alt", "en"], "text_unreadable"),
            ({"url": "https://a.example/x y\".jpg", "alt": {"fi": "Lava"}},
             ["photos", 0, "url"], "photo_url")):
        answer = await desk.http.put(url, headers=DESK, json={"photos": [photo]})
        assert answer.status_code == 422, answer.text
        assert (answer.json()["code"], answer.json()["detail"][0]["loc"][1:]) == (code, field)
    assert desk.store.state.spaces[desk.space.id].photos == ()


# --- 3. names of things to lend -------------------------------------------------------------

@pytest.mark.parametrize("name", ["\u200b", "\u202eabc", "Peli\x1b[31m", "Peli\x00"])
async def test_a_thing_to_lend_needs_a_name_to_read(desk: Desk, name: str) -> None:
    answer = await desk.http.post(f"/desk/loans/{VENUE}/resources", params={"lang": "en"},
                                  headers=DESK, data={"csrf": "x", "name": name,
                                                      "quantity": "3"})
    assert answer.status_code == 422, answer.text
    assert refused_inputs(answer, "add-refusals") == {
        "add-name": "Give a name that can be read: letters or digits, no control or text"
                    " direction characters, at most 200 characters."}
    page = Page(answer.text)
    assert page.autofocus == ["add-name"] and page.value("add-quantity") == "3"
    assert page.value("add-name") == name.replace("\x00", "\ufffd")
    assert desk.store.state.resources == {}


async def test_the_api_refuses_a_name_to_lend_that_cannot_be_read(desk: Desk) -> None:
    for name in ({"fi": "\u202eabc"}, {"fi": "Peli", "sv": "Spel\x1b[31m"}, {"fi": "\u200b"}):
        answer = await desk.http.post(f"/venues/{VENUE}/resources", headers=DESK,
                                      json={"name": name, "quantity": 1})
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "resource_name"
        assert answer.json()["detail"][0]["loc"][1:] == ["name", next(
            lang for lang in ("sv", "fi") if lang in name and name[lang] != "Peli")]
    assert desk.store.state.resources == {}
    added = await desk.http.post(f"/venues/{VENUE}/resources", headers=DESK,
                                 json={"name": {"fi": "Lautapeli"}, "quantity": 1})
    assert added.status_code == 201, added.text


# --- 4. inputs past a route's schema bound --------------------------------------------------

async def test_a_long_reason_or_name_is_said_by_its_input_with_the_form_as_typed(
        desk: Desk) -> None:
    long = "x" * 10_000
    reason = await desk.http.post(f"/desk/hours/{VENUE}/exceptions", params={"lang": "fi"},
                                  headers=DESK, data={"csrf": "x", "day": "2031-04-24",
                                                      "closed": "true", "reason": long})
    assert reason.status_code == 422, reason.text
    assert refused_inputs(reason, "exception-refusals") == {
        "x-reason": "Syy voi olla enintään 500 merkkiä."}
    assert Page(reason.text).value("x-day") == "2031-04-24"
    for data, said in (({"name": long, "quantity": "1"},
                        {"add-name": "Anna nimi, jonka voi lukea: kirjaimia tai numeroita, ei"
                                     " ohjaus- tai tekstisuuntamerkkejä, enintään 200"
                                     " merkkiä."}),
                       ({"name": "Peli", "quantity": "9" * 10_000},
                        {"add-quantity": "Arvon pitää olla välillä 0–100\xa0000."})):
        thing = await desk.http.post(f"/desk/loans/{VENUE}/resources", params={"lang": "fi"},
                                     headers=DESK, data={"csrf": "x", **data})
        assert thing.status_code == 422, thing.text
        assert refused_inputs(thing, "add-refusals") == said
    assert desk.store.state.resources == {} and desk.store.state.exceptions == []


async def test_a_nul_in_a_borrowers_name_is_said_by_its_input(desk: Desk) -> None:
    projector = Resource(VENUE, VENUE, {"fi": "Projektori"}, 2)
    desk.store.state.resources[projector.id] = projector
    answer = await desk.http.post(f"/desk/loans/{VENUE}/lend", params={"lang": "en"},
                                  headers=DESK, data={
                                      "csrf": "x", "resource_id": str(projector.id),
                                      "quantity": "1", "starts_at": "2031-03-05T10:00",
                                      "ends_at": "2031-03-05T12:00" + "0" * 10_000,
                                      "borrower_name": "Kalle\x00"})
    assert answer.status_code == 422, answer.text
    said = refused_inputs(answer, "lend-refusals")
    assert set(said) == {"lend-borrower", "lend-end"}
    assert said["lend-borrower"] == \
        "The text has a character that cannot be saved; type it again."
    assert said["lend-end"] == "The time is not valid: give a date and a time."


# --- 5. prices ------------------------------------------------------------------------------

RULES = {"csrf": "x", "min_minutes": "60", "max_minutes": "180", "buffer_minutes": "15",
         "horizon_days": "90", "max_open_requests": "2", "cancellation_hours": "48",
         "hold_minutes": "10", "checkin_minutes": "20", "confirmation": "manual"}
FORMAT = {"fi": "Kirjoita hinta euroina, enintään kahdella desimaalilla, esim. 30,00.",
          "sv": "Skriv priset i euro, med högst två decimaler, t.ex. 30,00.",
          "en": "Write the price in euros, with at most two decimals, e.g. 30.00."}


@pytest.mark.parametrize("lang, typed, kept", [
    ("en", "1,032.50", Decimal("1032.50")),
    ("fi", "1 032,50", Decimal("1032.50")),
    ("sv", "32,50", Decimal("32.50")),
    ("en", "32.50", Decimal("32.50")),
])
async def test_a_price_is_read_as_the_pages_language_writes_it(
        desk: Desk, lang: str, typed: str, kept: Decimal) -> None:
    saved = await desk.http.post(f"/desk/spaces/{desk.space.id}/rules", headers=DESK,
                                 params={"venue_id": str(VENUE), "lang": lang},
                                 data={**RULES, "price_per_hour": typed})
    assert saved.status_code == 303, saved.text
    assert desk.store.state.spaces[desk.space.id].rules.price_per_hour == kept


@pytest.mark.parametrize("lang, typed, said", [
    *((lang, typed, FORMAT[lang]) for lang in ("fi", "sv", "en")
      for typed in ("12,5.0", "NaN", "abc", "Infinity", "1e3")),
    ("fi", "12,345", FORMAT["fi"]),
    ("sv", "12,345", FORMAT["sv"]),
    ("en", "12.345", FORMAT["en"]),
    ("en", "32,50", FORMAT["en"]),
    ("en", "12,345", "The value must be between 0 and 10,000."),
    ("fi", "-5", "Arvon pitää olla välillä 0–10\xa0000."),
])
async def test_a_price_that_is_none_is_refused_saying_how_to_write_one(
        desk: Desk, lang: str, typed: str, said: str) -> None:
    before = desk.store.state.spaces[desk.space.id].rules
    refused = await desk.http.post(f"/desk/spaces/{desk.space.id}/rules", headers=DESK,
                                   params={"venue_id": str(VENUE), "lang": lang},
                                   data={**RULES, "price_per_hour": typed})
    assert refused.status_code == 422, refused.text
    field = f"r-{desk.space.id}-price_per_hour"
    assert refused_inputs(refused, f"rules-refusals-{desk.space.id}") == {field: said}
    assert Page(refused.text).value(field) == typed
    assert desk.store.state.spaces[desk.space.id].rules == before


async def test_the_use_case_refuses_a_price_of_more_than_two_decimals(desk: Desk) -> None:
    """12.345 was kept as 12.35, a price the desk never gave; every way in refuses it."""
    rules = desk.store.state.spaces[desk.space.id].rules
    with pytest.raises(Invalid) as refused:
        await usecases.set_space_rules(desk.uow, desk.clock, DESK_PRINCIPAL, desk.space.id,
                                       replace(rules, price_per_hour=Decimal("12.345")))
    assert (refused.value.field, refused.value.details["code"]) == ("price_per_hour",
                                                                     "price_format")
    assert desk.store.state.spaces[desk.space.id].rules == rules


# --- 6. a borrower with a phone but no name -------------------------------------------------

@pytest.mark.parametrize("lang, said", [
    ("fi", "Anna lainaajan nimi (tai valitse varaus, jonka yhteyshenkilö lainaa)"),
    ("sv", "Ange låntagarens namn (eller välj en bokning vars kontaktperson lånar)"),
    ("en", "Give the borrower's name (or choose a booking whose contact borrows)"),
])
async def test_a_phone_without_a_name_says_the_name_is_needed(
        desk: Desk, lang: str, said: str) -> None:
    projector = Resource(VENUE, VENUE, {"fi": "Projektori"}, 2)
    desk.store.state.resources[projector.id] = projector
    for borrower in ({"borrower_phone": "040 123 4567"},
                     {"borrower_name": "\u200b", "borrower_email": "kalle@example.fi"}, {}):
        answer = await desk.http.post(f"/desk/loans/{VENUE}/lend", params={"lang": lang},
                                      headers=DESK, data={
                                          "csrf": "x", "resource_id": str(projector.id),
                                          "quantity": "1", "starts_at": "2031-03-05T10:00",
                                          "ends_at": "2031-03-05T12:00", **borrower})
        assert answer.status_code == 422, answer.text
        refused = refused_inputs(answer, "lend-refusals")
        assert list(refused) == ["lend-borrower"] and refused["lend-borrower"].startswith(said)
        assert "200" not in refused["lend-borrower"]
        assert Page(answer.text).value("lend-phone") == borrower.get("borrower_phone", "")
    assert desk.store.state.loans == {}


@pytest.mark.parametrize("lang, hint", [
    ("fi", "Lainaajan nimi tarvitaan; puhelin tai sähköposti on vapaaehtoinen"),
    ("sv", "Låntagarens namn behövs; telefon eller e-post är frivilligt"),
    ("en", "The borrower's name is needed; a phone or email is optional"),
])
async def test_the_borrowers_hint_says_a_name_is_needed_and_a_phone_or_email_optional(
        desk: Desk, lang: str, hint: str) -> None:
    projector = Resource(VENUE, VENUE, {"fi": "Projektori"}, 2)
    desk.store.state.resources[projector.id] = projector
    page = await desk.http.get("/desk/loans", headers=DESK,
                               params={"venue_id": str(VENUE), "lang": lang})
    assert f'id="borrower-hint">{escape(hint)}' in page.text


async def test_a_price_and_a_longest_booking_under_the_shortest_are_refused_together(
        desk: Desk) -> None:
    """A tester's round: the price's refusal came alone, the lengths' only once the price
    was mended."""
    refused = await desk.http.post(f"/desk/spaces/{desk.space.id}/rules", headers=DESK,
                                   params={"venue_id": str(VENUE), "lang": "en"},
                                   data={**RULES, "min_minutes": "300", "max_minutes": "60",
                                         "price_per_hour": "abc"})
    assert refused.status_code == 422, refused.text
    said = refused_inputs(refused, f"rules-refusals-{desk.space.id}")
    assert set(said) == {f"r-{desk.space.id}-price_per_hour",
                         f"r-{desk.space.id}-max_minutes"}, said
