"""A whole-day activity (event.* all_day) on the real PostgreSQL: its post, its board's
feeds and calendar, and its sign-up page tell its dates, never "0.00 – 0.00"."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from services.notifications import handlers
from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup, activity
from services.notifications.tests.test_registration import VENUE
from shared import l10n
from shared.clock import HELSINKI
from shared.contracts import LocalizedText, VenueRegistered

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup


async def test_a_whole_day_activity_is_told_by_its_dates_everywhere(setup: Setup) -> None:
    await setup.account("mastodon")
    await setup.handle(handlers.on_venue, VenueRegistered(
        venue_id=VENUE, name=LocalizedText(fi="Nilsiän kirjasto", sv="Nilsiä bibliotek"),
        kind="library", area="kuopio.nilsia", municipality="Kuopio"))
    day = (datetime.now(HELSINKI) + timedelta(days=5)).date()
    midnight = datetime.combine(day, time(0), HELSINKI)
    event = activity(venue_id=VENUE, registration_required=True, capacity=20).model_copy(
        update={"starts_at": midnight, "ends_at": midnight + timedelta(days=2),
                "all_day": True})
    await setup.handle(handlers.on_activity_event, event)
    dates = l10n.time_span(event.starts_at, event.ends_at, "fi", all_day=True)

    assert await setup.send() == {"published": 1}
    [post] = setup.fake.posts("mastodon")
    assert dates in post["text"] and "0.00" not in post["text"], post["text"]

    board = await setup.pool.fetchval(
        "SELECT board_id FROM board_items WHERE activity_event_id = $1", event.event_id)
    feed = await setup.client.get(f"/boards/{board}/feed.json?lang=fi")
    shown = feed.json()["items"][0]["content_text"]
    assert dates in shown and "0.00" not in shown, shown
    # Each item leads to its activity's page, in the feed's language.
    page = f"{handlers.public_events_url()}/events/{event.event_id}/page?lang=fi"
    assert feed.json()["items"][0]["url"] == page
    calendar = (await setup.client.get(f"/boards/{board}/feed.ics?lang=fi")).text
    assert f"DTSTART;VALUE=DATE:{day:%Y%m%d}" in calendar, calendar
    assert f"\r\nURL:{page}\r\n" in calendar.replace("\r\n ", "")  # unfolded
    rss = (await setup.client.get(f"/boards/{board}/feed.rss?lang=fi")).text
    assert f"<link>{page}</link>" in rss
    assert f"DTEND;VALUE=DATE:{day + timedelta(days=2):%Y%m%d}" in calendar

    page = await setup.client.get(f"/registrations/{event.event_id}?lang=fi")
    assert dates in page.text and "0.00" not in page.text
