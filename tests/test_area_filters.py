"""An area filter names one of Kuopio's areas in every service's list, as a body's area
and a kind filter do: another is 422 `unknown_area` with the known codes (a tester's round:
each answered 200 with an empty list, as if the city had nothing there; the metrics' summary
a 404, as if the address were wrong)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from shared.areas import AREAS

pytestmark = pytest.mark.infra


@pytest.mark.parametrize(("service", "path"), [
    ("booking", "/venues?area=kuopio.atlantis"),
    ("booking", "/first-available?area=kuopio.atlantis&minutes=60"),
    ("events", "/events?area=kuopio.atlantis"),
    ("events", "/events.ics?area=kuopio.atlantis"),
    ("notifications", "/boards?area=kuopio.atlantis"),
    ("metrics", "/indicators/summary?area=kuopio.atlantis"),
    ("metrics", "/indicators/summary?area=kuopio.atlantis&format=csv"),
    ("metrics", "/indicators/published-events?area=kuopio.atlantis"),
    ("metrics", "/indicators/utilisation?from=2026-01-01&area=kuopio.atlantis"),
])
async def test_an_unknown_area_filter_is_refused_with_the_known_ones(
        start_service: Any, service: str, path: str) -> None:
    client = await start_service(importlib.import_module(f"services.{service}.app").spec)
    answer = await client.get(path, headers={"Accept-Language": "sv"})
    said = answer.json()
    assert (answer.status_code, said["code"]) == (422, "unknown_area"), answer.text
    assert said["known"] == sorted(AREAS) and said["value"] == "kuopio.atlantis"
    assert said["detail"][0]["loc"] == ["query", "area"]
    assert said["message"].startswith("Området är inte ett av Kuopios områden")
    known = await client.get(path.replace("kuopio.atlantis", "kuopio.nilsia"))
    assert known.status_code == 200, known.text


@pytest.mark.parametrize(("service", "path"), [
    ("booking", "/venues?area=KUOPIO.KESKUSTA"),
    ("events", "/events?area=Kuopio%20keskusta"),
    ("notifications", "/boards?area=KUOPIO.KESKUSTA"),
    ("metrics", "/indicators/summary?area=kuopio/keskusta"),
])
async def test_an_area_not_written_as_a_code_is_refused_with_the_known_ones(
        start_service: Any, service: str, path: str) -> None:
    client = await start_service(importlib.import_module(f"services.{service}.app").spec)
    answer = await client.get(path, headers={"Accept-Language": "en"})
    said = answer.json()
    assert (answer.status_code, said["code"]) == (422, "invalid"), answer.text
    assert said["detail"][0]["loc"] == ["query", "area"]
    assert said["known"] == sorted(AREAS)
