"""What the guide's OpenAPI document says its answers are: the launcher script is a script,
the pages are HTML, the API is JSON."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.apps import unstarted_app


async def _paths() -> dict[str, Any]:
    app = unstarted_app("guide")  # not started: no I/O
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        paths: dict[str, Any] = (await http.get("/openapi.json")).json()["paths"]
    return paths


@pytest.mark.unit
async def test_openapi_says_the_launcher_is_javascript() -> None:
    """`/widget.js` answers text/javascript: the document said application/json."""
    paths = await _paths()
    answers = paths["/widget.js"]["get"]["responses"]
    assert list(answers) == ["200"], answers
    assert list(answers["200"]["content"]) == ["text/javascript"], answers
    assert list(paths["/widget"]["get"]["responses"]["200"]["content"]) == ["text/html"]
    assert list(paths["/ask"]["post"]["responses"]["200"]["content"]) == ["application/json"]


@pytest.mark.unit
async def test_the_launcher_is_served_as_javascript() -> None:
    app = unstarted_app("guide")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        r = await http.get("/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "/widget?lang=" in r.text and r.headers["cache-control"] == "public, max-age=300"
