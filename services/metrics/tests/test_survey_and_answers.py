"""The feedback survey as residents reach and answer it, and its answers as analysts read
and download them: a short link typed in any case, a form given back filled in when a field
is refused, the answers' spreadsheet in the reader's language."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from services.metrics import usecases
from services.metrics.tests.test_usecases import World, published
from shared.identity import PUBLIC


@pytest.mark.unit
async def test_a_short_code_is_read_in_any_case() -> None:
    """A code read off a poster is typed as it looks: upper case finds the activity too."""
    w = World()
    event_id = UUID("4eb9208a-9c1d-4e5f-8a7b-6c5d4e3f2a1b")  # the tester's code
    await w.handle(published(event_id, start=w.clock.now() - timedelta(hours=3)))
    code = "4eb9208a9c"
    for typed in (code, code.upper(), code[:5].upper() + code[5:]):
        assert await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, typed) == event_id


@pytest.mark.unit
async def test_openapi_says_the_pages_answer_html() -> None:
    """The dashboard, the report and the survey answer pages, refusals included (a 422 is a
    page naming the input): OpenAPI says text/html, not JSON."""
    import httpx

    from services.metrics.app import spec
    from shared.service import create_app
    from shared.settings import ServiceSettings

    app = create_app(spec, ServiceSettings(service="metrics"))  # not started: no I/O
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        paths = (await http.get("/openapi.json")).json()["paths"]
    own = {"/report/{year}.pdf": "application/pdf", "/feedback/{event_id}/qr.svg":
           "image/svg+xml"}
    for path, method in (("/dashboard", "get"), ("/report/{year}", "get"),
                         ("/report/{year}.pdf", "get"), ("/feedback/{event_id}", "get"),
                         ("/feedback/{event_id}", "post"), ("/feedback/{event_id}/qr.svg", "get")):
        answers = paths[path][method]["responses"]
        assert "422" in answers, (path, answers)
        for status, answer in answers.items():
            expected = own.get(path, "text/html") if status.startswith("2") else "text/html"
            assert list(answer["content"]) == [expected], (path, method, status, answer)
    assert "200" not in paths["/feedback/{event_id}"]["post"]["responses"]  # 201: taken
    # The JSON API stays JSON.
    assert "application/json" in paths["/indicators/summary"]["get"]["responses"]["422"][
        "content"]
