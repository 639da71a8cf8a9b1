"""Issue #13 in the events service: absolute links in the feeds, the event page and the
Linked Events export come from the configured public URL; a forged `Host` header (which a
cache would then keep and serve to everyone) never reaches them."""

from __future__ import annotations

import pytest

from services.events.app import spec
from services.events.tests.test_events import COMMS, ORGANISER, event_body

pytestmark = pytest.mark.infra

PUBLIC = "https://tapahtumat.kuopio.example"
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "http"}


async def test_feed_links_never_come_from_the_host_header(start_service) -> None:
    client = await start_service(spec, public_url=PUBLIC)
    event_id = (await client.post("/events", json=event_body(), headers=ORGANISER)).json()["id"]
    # Communications staff publish it (an organiser's event without a booking awaits them).
    assert (await client.post(f"/events/{event_id}/publish", headers=COMMS)
            ).status_code == 200
    for path in ("/events.rss", "/events.atom", "/events.ics", f"/events/{event_id}/page",
                 "/linkedevents/v1/event/"):
        answer = await client.get(path, headers=EVIL)
        assert answer.status_code == 200, path
        assert "evil.example" not in answer.text, path
        assert PUBLIC in answer.text, path
    rss = (await client.get("/events.rss", headers=EVIL)).text
    assert f"{PUBLIC}/events/{event_id}/page" in rss
    page = await client.get(f"/events/{event_id}/page")
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
