"""The API's JSON is read as its schema says: a `true` is no number of places, a `"yes"` or a
`1` no yes-or-no, and each is refused by its field (422), never read as another value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from services.events.schemas import ActivityEventPatch, AttendanceIn, CancelIn

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("model", "body", "field"), [
    (ActivityEventPatch, {"capacity": True}, "capacity"),
    (ActivityEventPatch, {"capacity": "30"}, "capacity"),
    (ActivityEventPatch, {"min_age": False}, "min_age"),
    (ActivityEventPatch, {"all_day": "yes"}, "all_day"),
    (ActivityEventPatch, {"registration_required": 1}, "registration_required"),
    (ActivityEventPatch, {"free": "false"}, "free"),
    (CancelIn, {"reason": "sade", "release_booking": 0}, "release_booking"),
    (AttendanceIn, {"participants": True, "visitors": 3}, "participants"),
])
def test_a_value_of_another_type_is_refused_by_its_field(
        model: type[BaseModel], body: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate_json(json.dumps(body))
    assert [e["loc"][0] for e in refused.value.errors()] == [field]


def test_the_values_of_their_types_are_taken() -> None:
    patch = ActivityEventPatch.model_validate_json(json.dumps(
        {"capacity": 30, "min_age": 7, "all_day": True, "free": False, "price": "12.50"}))
    assert (patch.capacity, patch.min_age, patch.all_day, patch.free) == (30, 7, True, False)
    assert CancelIn.model_validate_json('{"reason": "sade", "release_booking": true}') \
        .release_booking is True
    assert AttendanceIn.model_validate_json('{"participants": 12, "visitors": 30}') \
        .participants == 12
