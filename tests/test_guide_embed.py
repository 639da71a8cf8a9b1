"""The guide's chat widget is one click away on the public calendar (issue #19): the page
embeds the guide's launcher in the reader's language, and the page's policy lets exactly that
script and its frame in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from shared.pages import guide_url


async def test_the_calendar_embeds_the_guide_in_the_readers_language(
        start_service: Callable[..., Awaitable[Any]]) -> None:
    from services.events.app import spec

    events = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        page = await events.get(f"/calendar?lang={lang}")
        assert page.status_code == 200
        assert f'<script src="{guide_url()}/widget.js" data-lang="{lang}" defer>' in page.text
        policy = page.headers["content-security-policy"]
        assert f"script-src 'self' {guide_url()}" in policy
        assert f"frame-src 'self' {guide_url()}" in policy
        assert "frame-ancestors 'none'" in policy  # the calendar itself is framed by nobody
