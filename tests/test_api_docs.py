"""/docs and /redoc of every service load nothing from outside: a city's internal network may
not reach a CDN (issue 17). The browser check is in services/events/tests/test_public_pages."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.apps import unstarted_app
from tests.test_boundaries import SERVICES


@pytest.mark.parametrize("service", SERVICES)
async def test_docs_and_redoc_are_served_by_the_service_itself(service: str) -> None:
    app = unstarted_app(service)  # not started: no I/O
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        for page in ("/docs", "/redoc"):
            html = (await http.get(page)).text
            links = re.findall(r'(?:src|href)="([^"]+)"', html)
            assert links, page
            for link in links:
                assert link.startswith("/"), (page, link)  # nothing from another host
                asset = await http.get(link)
                assert asset.status_code == 200 and len(asset.content) > 0, link
            assert "openapi.json" in html


@pytest.mark.parametrize("service", SERVICES)
async def test_the_asyncapi_page_and_document_show_what_the_records_carry(service: str) -> None:
    """/asyncapi.json is the document committed in docs/asyncapi (the wire described), and
    /asyncapi shows the same one."""
    import json

    from shared.asyncapi import OUT

    app = unstarted_app(service, topic_prefix="")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        served = (await http.get("/asyncapi.json")).json()
        page = await http.get("/asyncapi")
    committed = json.loads((OUT / f"{service}.json").read_text())
    assert served["components"] == committed["components"]
    assert page.status_code == 200 and "traceparent" in page.text
    assert f"<title>{committed['info']['title']} AsyncAPI</title>" in page.text
