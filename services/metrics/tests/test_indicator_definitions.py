"""`GET /indicators` defines each indicator in the three languages the pages speak: the
unit and the definition in fi/sv/en beside the name, the English `unit` code and `formula`
kept as they were for the clients that read them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.metrics import report
from services.metrics.domain import INDICATORS
from tests.apps import unstarted_app

pytestmark = pytest.mark.unit


async def _get(path: str) -> Any:
    app = unstarted_app("metrics")  # not started: no I/O
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        r = await http.get(path)
    assert r.status_code == 200, r.text
    return r.json()


async def test_units_and_definitions_come_in_finnish_swedish_and_english() -> None:
    definitions = {d["code"]: d for d in await _get("/indicators")}
    assert list(definitions) == [i.code for i in INDICATORS]
    hours = definitions["realised_hours"]
    assert hours["unit"] == "hours" and hours["unit_text"] == {
        "fi": "tuntia", "sv": "timmar", "en": "hours"}
    assert hours["formula_text"]["fi"].startswith("toteutuneiden tapahtumien tuntien summa")
    assert hours["formula_text"]["sv"].startswith("summan av genomförda evenemangs timmar")
    for indicator in INDICATORS:
        d = definitions[indicator.code]
        # As before: the unit's code and the English definition of record.
        assert (d["unit"], d["formula"]) == (indicator.unit, indicator.formula)
        assert d["formula_text"]["en"] == indicator.formula
        for field in ("name", "unit_text", "formula_text"):
            assert set(d[field]) == {"fi", "sv", "en"} and all(d[field].values()), (field, d)
        for lang in ("fi", "sv"):
            assert d["formula_text"][lang] != indicator.formula, (indicator.code, lang)
            # The dashboard and the report say the same words.
            shown = report.definition(indicator, lang)
            assert (shown["unit"], shown["formula"]) == (d["unit_text"][lang],
                                                         d["formula_text"][lang])


async def test_openapi_documents_the_localised_unit_and_definition() -> None:
    schema = (await _get("/openapi.json"))["components"]["schemas"]["IndicatorOut"]
    assert {"unit", "unit_text", "formula", "formula_text"} <= set(schema["required"])
    assert schema["properties"]["unit_text"]["type"] == "object"
    assert schema["properties"]["formula"]["type"] == "string"
