"""What the organiser's pages say, without I/O (in-memory store, fixed clock): a move the
booking refused, said in the page's language from its code and never in the booking service's
English; a past time refused on the form before the booking is asked; a number out of range
said with its range; a text without its Finnish said with why Finnish is needed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.events import domain, organiser_pages, usecases
from services.events.labels import FINNISH_NEEDED
from services.events.tests.test_saga_usecases import history, published
from services.events.tests.test_usecases import NOW, ORGANISER, START, World
from shared.contracts import BookingMoveRefused, BookingMoveRequested
from shared.errors import Invalid


@pytest.fixture
def world() -> World:
    return World()


async def _refused(world: World, code: str, reason: str,
                   rule: str | None = None) -> dict[str, Any]:
    """A published activity whose move the booking service refused with `code`."""
    event = await published(world)
    later = usecases.NewTime(START + timedelta(days=1), START + timedelta(days=1, hours=2))
    await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"], later)
    request = world.published[-1]
    assert isinstance(request, BookingMoveRequested)
    await usecases.follow_move_refusal(world.uow(), world.clock, BookingMoveRefused(
        booking_id=event["booking_id"], request_id=request.request_id, code=code,
        reason=reason, rule=rule))
    return event


async def _note(world: World, event: dict[str, Any], lang: str) -> str:
    found = await usecases.my_activity(world.uow(), ORGANISER, event["id"])
    text = organiser_pages.note_text(found.note, lang)
    assert text is not None
    return text


@pytest.mark.parametrize(("code", "reason", "lang", "said"), [
    # What the booking service says now (code "rule" for every rule of time) …
    ("rule", "the booking cannot start in the past", "fi",
     "Ajan siirto ei onnistunut: uusi aika on jo mennyt."),
    ("rule", "this space can be booked at most 1200 days ahead", "sv",
     "Tiden kunde inte flyttas: lokalen kan bokas högst 1\u00a0200 dagar i förväg."),
    ("rule", "a booking of this space must be at least 30 minutes long", "en",
     "The time could not be moved: the new time is shorter than the space's shortest "
     "booking."),
    ("closed", "the space can be booked only within its opening hours (16.12.: 09.00–20.00)",
     "en", "The time could not be moved: the space is not open then. Opening hours that "
           "day: 09:00–20:00."),
    ("closed", "the space can be booked only within its opening hours (16.12.: 09.00–16.00,"
               " 16.00–21.00 (self-service))", "fi",
     "Ajan siirto ei onnistunut: tila ei ole silloin auki. Aukioloaika sinä päivänä: "
     "9.00–16.00 ja 16.00–21.00 (omatoimiaika)."),
    ("closed", "the space can be booked only within its opening hours (closed 24.12.)", "sv",
     "Tiden kunde inte flyttas: lokalen är stängd den dagen."),
    ("taken", "the space is already booked for that time", "fi",
     "Ajan siirto ei onnistunut: tila on jo varattu siihen aikaan."),
    # … and the more precise codes it is to keep.
    ("past", "the booking cannot start in the past", "en",
     "The time could not be moved: the new time has already passed."),
    ("horizon", "this space can be booked at most 90 days ahead", "fi",
     "Ajan siirto ei onnistunut: tilan voi varata enintään 90 päivää etukäteen."),
    ("too_long", "a booking of this space may be at most 4 h long", "fi",
     "Ajan siirto ei onnistunut: uusi aika on pidempi kuin tilan voi varata kerralla."),
    ("hours", "outside opening hours", "sv",
     "Tiden kunde inte flyttas: lokalen är stängd den dagen."),
])
async def test_a_refused_move_is_said_in_the_pages_language_from_its_code(
        world: World, code: str, reason: str, lang: str, said: str) -> None:
    event = await _refused(world, code, reason)
    # The history keeps what the booking service said, for whoever reads it over the API.
    assert history(world, event["id"])[-1][2] == f"{code}: {reason}"
    assert await _note(world, event, lang) == said


async def test_the_rule_the_booking_names_is_said_whatever_its_english(world: World) -> None:
    """`rule` on `booking.move_refused` names the space's rule: its words need no reading."""
    event = await _refused(world, "rule", "längre än tillåtet", rule="too_long")
    assert history(world, event["id"])[-1][2] == "too_long: längre än tillåtet"
    assert await _note(world, event, "en") == (
        "The time could not be moved: the new time is longer than the space can be booked "
        "at once.")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_unknown_refusal_is_told_in_general_words_never_the_services_english(
        world: World, lang: str) -> None:
    event = await _refused(world, "quota_exceeded", "the organiser has too many bookings")
    note = await _note(world, event, lang)
    assert "quota" not in note and "too many bookings" not in note
    assert note.endswith({"fi": "Kysy tarvittaessa kirjaston palvelupisteestä.",
                          "sv": "Fråga vid behov bibliotekets kundtjänst.",
                          "en": "Ask the library's desk if needed."}[lang])


def test_every_refusal_the_domain_names_has_its_words() -> None:
    assert {domain.move_refusal(f"{code}: x").code for code in (
        "past", "horizon", "too_short", "too_long", "closed", "taken", "conflict",
        "equipment", "status", "gone", "rule", "length", "nonsense")} <= \
        set(domain.MOVE_REFUSALS)
    for code in domain.MOVE_REFUSALS:
        for lang in ("fi", "sv", "en"):
            assert organiser_pages.move_refused(f"{code}: ", lang)


async def test_a_past_time_is_refused_by_its_field_before_the_booking_is_asked(
        world: World) -> None:
    event = await published(world)
    asked = len(world.published)
    past = usecases.NewTime(NOW - timedelta(hours=3), NOW - timedelta(hours=1))
    with pytest.raises(Invalid) as refused:
        await usecases.reschedule_event(world.uow(), world.clock, ORGANISER, event["id"], past)
    assert refused.value.field == "starts_at"
    assert organiser_pages.refusal(refused.value, "fi") == \
        "Uusi aika on jo mennyt: valitse tuleva aika."
    assert organiser_pages.refusal(refused.value, "en") == \
        "The new time has already passed: choose a coming time."
    assert not any(isinstance(e, BookingMoveRequested) for e in world.published[asked:])
    assert world.store.events[event["id"]]["pending_move"] is None


@pytest.mark.parametrize(("key", "typed", "lang", "said"), [
    ("min_age", "-3", "fi", "Anna luku väliltä 0–120."),
    ("min_age", "\u22123", "sv", "Ange ett tal mellan 0 och 120."),
    ("max_age", "0000000000000000000000150", "en", "Give a number from 0 to 120."),
    ("capacity", "99999999999999", "fi", "Anna luku väliltä 1–100\u00a0000."),
    ("capacity", "0", "en", "Give a number from 1 to 100,000."),
    ("capacity", "1e9", "fi", "Anna kokonaisluku."),
    ("capacity", "3,5", "fi", "Anna kokonaisluku."),
])
def test_a_whole_number_out_of_range_is_told_its_range(key: str, typed: str, lang: str,
                                                       said: str) -> None:
    row = {**usecases.NEW_EVENT, "name": {"fi": "x"}, "starts_at": START,
           "ends_at": START + timedelta(hours=1)}
    values = {**organiser_pages.form_values(row), key: typed}
    changes, [refused] = organiser_pages.changes_of(values, row, time_editable=False)
    assert refused.field == key and key not in changes
    assert organiser_pages.refusal(refused, lang) == said


def test_a_whole_number_in_range_is_taken_whatever_its_sign_or_zeros() -> None:
    assert organiser_pages.whole_number("+007", "min_age") == 7
    assert organiser_pages.whole_number(" 100000 ", "capacity") == 100_000
    assert organiser_pages.whole_number("", "capacity") is None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_text_without_its_finnish_says_why_finnish_is_needed(world: World,
                                                                     lang: str) -> None:
    event = await published(world)
    row = world.store.events[event["id"]]
    values = {**organiser_pages.form_values(row), "description.sv": "Kom och sjung!"}
    changes, _ = organiser_pages.changes_of(values, row, time_editable=False)
    with pytest.raises(Invalid) as refused:
        await usecases.update_event(world.uow(), world.clock, ORGANISER, event["id"], changes)
    assert refused.value.field == "description.fi"
    said = organiser_pages.refusal(refused.value, lang)
    assert said == FINNISH_NEEDED[lang]
    assert {"fi": "suomeksi", "sv": "på finska", "en": "in Finnish"}[lang] in said
    # Other empty fields are still only needed.
    assert organiser_pages.refusal(Invalid("must not be empty", field="reason"), lang) != said

