"""A venue's change that would remove a required detail (`null` for its name, contact,
languages or area) is refused by that detail's own name, each of them (a tester's round:
the whole body was refused, saying only "check this"); an optional one may be removed."""

from __future__ import annotations

import pydantic
import pytest

from services.booking.schemas import VenuePatch

pytestmark = pytest.mark.unit


def test_a_required_detail_set_to_null_is_refused_by_its_name() -> None:
    with pytest.raises(pydantic.ValidationError) as refused:
        VenuePatch.model_validate({"name": None, "area": None, "address": "Kuopionlahdenkatu"})
    assert [(e["loc"], e["type"]) for e in refused.value.errors()] == [
        (("name",), "value_error"), (("area",), "value_error")]
    assert VenuePatch.model_validate({"description": None}).changes() == {"description": None}
