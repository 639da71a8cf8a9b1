"""An activity's values are refused all at once: every rule broken, each by its field, in
the domain and on the organiser's form (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import domain
from services.events.organiser_pages import _refused, changes_of
from shared.errors import Refusals

START = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
ROW: dict[str, Any] = {
    "status": "draft", "name": {"fi": "Kuoroharjoitus"}, "short_description": None,
    "description": None, "place_name": None, "accessibility": None, "image_alt": None,
    "starts_at": START, "ends_at": START + timedelta(hours=2), "kind": "open_guided",
    "place_kind": "venue", "venue_id": uuid4(), "online_url": None, "image_url": None,
    "topics": [], "audiences": [], "languages": ["fi"], "min_age": None, "max_age": None,
    "price": None, "capacity": None, "organiser_name": None, "library_contact": None,
    "area": None, "all_day": False, "free": True, "registration_required": False,
    "booking_id": None}


def test_every_broken_rule_of_an_event_is_refused_together() -> None:
    event = {**ROW, "description": {"fi": "x" * 501}, "min_age": 99, "max_age": 7}
    found = domain.event_refusals(event)
    assert [(e.field, e.message) for e in found] == [
        ("description.fi", "at most 500 characters"),
        ("max_age", "the lowest age must not be above the highest")]
    with pytest.raises(Refusals) as refused:
        domain.check_event(event)
    assert [e.field for e in refused.value.each] == ["description.fi", "max_age"]
    # Said first as the first refusal alone, as before.
    assert refused.value.field == "description.fi"
    assert domain.event_refusals(ROW) == []


def test_a_rule_built_on_a_broken_one_is_not_said_again() -> None:
    # An age out of range is refused as such, not also as above the other one.
    assert [e.field for e in domain.event_refusals({**ROW, "min_age": 200, "max_age": 7})] \
        == ["min_age"]
    # Times the wrong way round: no length to check.
    found = domain.event_refusals({**ROW, "ends_at": START - timedelta(hours=1),
                                   "kind": "Bad Kind"})
    assert [e.field for e in found] == ["ends_at", "kind"]


def test_a_published_activity_hears_publishings_rules_with_the_others() -> None:
    live = {**ROW, "status": "published"}
    found = domain.edit_refusals(live, {"name": {"fi": ""}, "min_age": 9, "max_age": 3})
    assert [e.field for e in found] == ["name.fi", "max_age"]
    online = domain.edit_refusals(live, {"place_kind": "online", "capacity": 0})
    assert [e.field for e in online] == ["capacity", "online_url"]


def _form(**typed: Any) -> dict[str, Any]:
    values: dict[str, Any] = {f"{f}.{lang}": "" for f in (
        "name", "short_description", "description", "place_name", "accessibility",
        "image_alt") for lang in ("fi", "sv", "en")}
    values.update({"name.fi": "Kuoroharjoitus", "organiser_name": "", "library_contact": "",
                   "online_url": "", "image_url": "", "min_age": "", "max_age": "",
                   "capacity": "", "price": "", "kind": "open_guided", "place_kind": "venue",
                   "starts_at": "", "ends_at": "", "all_day": False, "free": True,
                   "registration_required": False, "topics": [], "audiences": [],
                   "languages": ["fi"]})
    values.update(typed)
    return values


@pytest.mark.parametrize(("lang", "description", "ages"), [
    ("fi", "Enintään 500 merkkiä.", "Alaikäraja ei voi olla yläikärajaa suurempi."),
    ("sv", "Högst 500 tecken.", "Den lägsta åldern kan inte vara högre än den högsta."),
    ("en", "At most 500 characters.", "The lowest age cannot be above the highest.")])
def test_the_form_says_each_refusal_by_its_input_in_the_pages_language(
        lang: str, description: str, ages: str) -> None:
    # Each value of its kind: the form reads them, the use case refuses them all together.
    changes, unread = changes_of(_form(**{"description.fi": "x" * 501, "min_age": "99",
                                          "max_age": "7"}), ROW, time_editable=False)
    assert unread == []
    errors, error = _refused(Refusals(domain.edit_refusals(ROW, changes)), lang)
    assert list(errors) == ["description.fi", "max_age"] and error is None
    assert errors == {"description.fi": description, "max_age": ages}


def test_a_value_not_even_of_its_kind_is_said_with_the_rules_the_rest_breaks() -> None:
    changes, unread = changes_of(_form(**{"capacity": "kolmekymmentä",
                                          "description.fi": "x" * 501, "price": "ilmainen"}),
                                 ROW, time_editable=False)
    # What could not be read is no change: the stored value stands in for the other rules.
    assert [e.field for e in unread] == ["capacity", "price"]
    assert "capacity" not in changes and "price" not in changes
    errors, _ = _refused(Refusals([*unread, *domain.edit_refusals(ROW, changes)]), "en")
    # In the form's order, whichever rule found it.
    assert list(errors) == ["description.fi", "price", "capacity"]


@pytest.mark.parametrize("text", ["\ue000\u200b", "   ", "\u200b\u2060\ufeff", "\x07",
                                  "\U000e0001", "\u0378", ""])
def test_a_label_that_shows_nothing_is_no_label(text: str) -> None:
    assert not domain.readable(text)
    found = domain.term_label_refusals("topic", "lautapelit", {"fi": "Lautapelit",
                                                               "sv": text})
    assert [(e.field, e.details["term"], e.details["language"]) for e in found] == [
        ("label.sv", "lautapelit", "sv")]
    assert "'lautapelit'" in found[0].message and "sv" in found[0].message


def test_readable_labels_in_any_script_are_labels() -> None:
    for text in ("Lautapelit", "Брädspel", "ボードゲーム", "3D", "+", "€"):
        assert domain.readable(text)
    assert domain.term_label_refusals("topic", "lautapelit", {"fi": "Lautapelit",
                                                              "sv": None}) == []
