"""The booking rules' refusals in fi/sv/en (services/booking/labels.py): every code has its
three texts, each fills from the details the rule raises with, and a refusal the table does
not know is still said in the page's language."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from services.booking import domain
from services.booking.domain import HELSINKI, Booking, SpaceRules, VenueFacts
from services.booking.labels import (
    ERRORS,
    GENERIC,
    LABELS,
    PLACEHOLDERS,
    error_text,
    placeholders,
)
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

#: Details of the kind each placeholder is made from: together, enough for every text.
SAMPLE = {
    "conflicts": [{"starts_at": "2031-03-05T13:00:00Z", "ends_at": "2031-03-05T14:00:00Z"}],
    "day": "2031-03-05",
    "open": [{"starts_at": "2031-03-05T06:00:00Z", "ends_at": "2031-03-05T18:00:00Z",
              "kind": "staffed"}],
    "deadline": "2031-03-04T13:00:00Z", "status": "confirmed", "min_minutes": 30,
    "max_minutes": 240, "horizon_days": 180, "open_requests": 3, "max_open_requests": 3,
    "cancellation_hours": 24, "low": 1, "high": 730, "available": 2,
    "starts_at": "2031-03-05T13:00:00Z", "ends_at": "2031-03-05T15:00:00Z",
    "weekday": 1, "opens": "09:00", "closes": "20:00",
    "known": ["kuopio.jynkka", "kuopio.keskusta"],
    "email": "maija@example.fi", "again_at": "2031-03-04T08:10:00+00:00",
}


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_code_has_fi_sv_and_en_that_fill_from_its_details(code: str) -> None:
    texts = ERRORS[code]
    assert set(texts) == {"fi", "sv", "en"}
    names = placeholders(texts["en"])
    for lang, text in texts.items():
        assert text.strip(), (code, lang)
        # The same facts in each language, and each one a placeholder we know how to fill.
        assert placeholders(text) == names, (code, lang)
        assert names <= set(PLACEHOLDERS), (code, lang)
        said = error_text(Conflict("english", code=code, **SAMPLE), lang)
        assert "{" not in said and "english" not in said, (code, lang, said)
    sentences = {texts[lang] for lang in ("fi", "sv", "en")}
    assert len(sentences) == 3, code  # not left untranslated


def test_a_link_sent_too_recently_says_when_the_next_can_be_sent() -> None:
    refused = Conflict("english", code="link_sent_recently", email="maija@example.fi",
                       again_at="2031-03-04T08:10:00+00:00")  # 10.10 in Helsinki
    assert "seuraavan voi lähettää ti 4.3. klo 10.10." in error_text(refused, "fi")
    assert "nästa kan skickas tis 4 mars kl. 10:10." in error_text(refused, "sv")
    assert "the next one can be sent Tue 4 Mar at 10:10." in error_text(refused, "en")


def test_the_placeholders_say_times_numbers_and_statuses_as_each_language_does() -> None:
    def taken(lang: str) -> str:
        return error_text(Conflict("the space is already booked for that time", code="taken",
                                   conflicts=SAMPLE["conflicts"]), lang)

    assert taken("fi") == "Tila on jo varattu tuohon aikaan (5.3. 15.00–16.00)."
    assert taken("sv") == "Lokalen är redan bokad för den tiden (5 mars 15:00–16:00)."
    assert taken("en") == "The space is already booked for that time (5 Mar 15:00–16:00)."
    # Nothing listed (freed meanwhile): no empty brackets.
    assert error_text(Conflict("x", code="taken", conflicts=[]), "fi") == \
        "Tila on jo varattu tuohon aikaan."
    status = Conflict("a cancelled booking cannot become confirmed", code="status",
                      status="cancelled", target="confirmed")
    assert error_text(status, "fi") == \
        "Varauksen tila on jo ”peruttu”, joten tätä muutosta ei voi tehdä."
    assert "”avbokad”" in error_text(status, "sv")
    assert "“cancelled”" in error_text(status, "en")
    deadline = Conflict("x", code="deadline", cancellation_hours=24,
                        deadline="2031-03-04T13:00:00+00:00")
    assert "(24 h ennen alkua, 4.3. 15.00)" in error_text(deadline, "fi")


def refusal(rule: object) -> DomainError:
    """What a rule of services/booking/domain.py raises."""
    with pytest.raises(DomainError) as refused:
        rule()  # type: ignore[operator]
    return refused.value


NOW = datetime(2031, 3, 4, 10, tzinfo=UTC)
DAY = datetime(2031, 3, 5, tzinfo=HELSINKI)  # a Wednesday
OPEN_8_TO_20 = domain.intervals_for_day(
    DAY.date(), [domain.WeeklyHours(3, time(8), time(20), "staffed")], [])


def _booking(status: str) -> Booking:
    return Booking(uuid4(), uuid4(), uuid4(), uuid4(), "", NOW + timedelta(hours=2),
                   NOW + timedelta(hours=3), status)


@pytest.mark.parametrize(("rule", "fi"), [
    (lambda: domain.check_slot(NOW - timedelta(hours=1), NOW, SpaceRules(), NOW),
     "Varaus ei voi alkaa menneisyydessä."),
    (lambda: domain.check_slot(NOW, NOW + timedelta(minutes=15), SpaceRules(min_minutes=45),
                               NOW), "vähintään 45 minuuttia"),
    (lambda: domain.check_slot(NOW, NOW + timedelta(hours=5), SpaceRules(), NOW),
     "enintään 240 minuuttia"),
    (lambda: domain.check_slot(NOW + timedelta(days=200), NOW + timedelta(days=200, hours=1),
                               SpaceRules(), NOW), "enintään 180 päivää etukäteen"),
    (lambda: domain.check_open_requests(3, SpaceRules()),
     "Avoimia pyyntöjä on jo 3; tähän tilaan niitä saa olla enintään 3."),
    (lambda: domain.check_transition("confirmed", "confirmed"), "”vahvistettu”"),
    (lambda: domain.check_transition("cancelled", "cancelled"), "”peruttu”"),
    (lambda: domain.check_confirmable(_booking("held")), "järjestäjä lähettää sen ensin"),
    (lambda: domain.check_check_in(_booking("confirmed"), NOW), "tuntia ennen"),
    (lambda: domain.hours_kind(DAY.replace(hour=21), DAY.replace(hour=22), OPEN_8_TO_20,
                               SpaceRules()),
     "Tilan voi varata vain sen aukioloaikoina (5.3.: 8.00–20.00)."),
    (lambda: domain.hours_kind(DAY.replace(hour=21), DAY.replace(hour=22), [], SpaceRules()),
     "Tilan voi varata vain sen aukioloaikoina (5.3. suljettu)."),
    (lambda: domain.check_details(domain.BookingRequest(
        NOW, NOW + timedelta(hours=1), False, True), VenueFacts("library", False),
        SpaceRules(paid=True, price_per_hour=Decimal(10))), "ei ole maksullisia tiloja"),
])
def test_a_raised_rule_is_said_in_finnish_and_not_in_english(rule: object, fi: str) -> None:
    exc = refusal(rule)
    said = error_text(exc, "fi")
    assert fi in said and exc.message not in said, said
    assert error_text(exc, "sv") != said and error_text(exc, "en") != said


def test_an_unknown_code_or_none_is_said_generically_with_the_english_message() -> None:
    for exc in (Forbidden("the booking desk is for library desk staff"),
                NotFound("no such loan", code="a-code-no-page-knows")):
        assert error_text(exc, "fi") == f"Toimintoa ei voitu tehdä. Syy (englanniksi): " \
                                          f"{exc.message}"
        assert error_text(exc, "sv").startswith("Åtgärden kunde inte utföras.")
        assert error_text(exc, "en") == f"That could not be done: {exc.message}"


def test_details_that_do_not_fill_the_text_fall_back_rather_than_fail() -> None:
    # moves.py says "closed" without the day; a "too_short" without its minimum.
    assert error_text(Invalid("closed", code="closed"), "sv") == \
        "Lokalen kan bokas bara under öppettiderna."
    assert error_text(Invalid("too short", code="too_short"), "fi") == \
        GENERIC["fi"].format(message="too short")
    assert error_text(Conflict("x", code="taken", conflicts="garbage"), "en") == \
        GENERIC["en"].format(message="x")
    # A language we do not serve reads Finnish, as the page does.
    assert error_text(Invalid("past", code="past"), "de") == ERRORS["past"]["fi"]


def test_the_page_words_exist_in_every_language() -> None:
    assert set(LABELS["fi"]) == set(LABELS["sv"]) == set(LABELS["en"])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_bookings_status_and_its_space_are_not_one_word(lang: str) -> None:
    """Finnish 'tila' is both a space and a state: the organiser's list and detail pages
    head one column with each, so they must read differently (reviewed in session 22)."""
    from services.booking.my_labels import my_labels
    t = my_labels(lang)
    assert t["status"] != t["space"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_booking_page_states_the_house_rules_the_confirmation_mail_repeats(
        lang: str) -> None:
    """The page and the notifications service's mail read one text (shared.house_rules):
    they said different rules before (session 22's journey review)."""
    from services.booking.my_labels import my_labels
    from shared.house_rules import HOUSE_RULES, house_rules
    assert my_labels(lang)["house_rules"] == house_rules(lang)
    assert HOUSE_RULES[lang] in house_rules(lang)
