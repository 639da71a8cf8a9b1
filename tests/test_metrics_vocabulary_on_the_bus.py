"""The vocabulary's words reach the metrics dashboard on the real broker: the events service
tells its seed's terms at its start and a topic staff add (`PUT /vocabulary`), the metrics
service keeps them from `events.v1`, and the dashboard offers the kinds and topics counted
by those words in the reader's language; a retired topic is offered no more, though an old
link's choice of it still reads by its words. Before, the dashboard read kinds as their
codes ("open guided") in every language and had no topic filter."""

from __future__ import annotations

import html
import re
from typing import Any

from services.events.app import spec as events_spec
from services.metrics.app import spec as metrics_spec
from tests.infra import eventually
from tests.test_vocabulary_on_the_bus import COMMS, publish_board_games_evening


def offered(page: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return {v: html.unescape(w) for v, w in
            re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select.group(1))}


async def test_the_dashboard_names_kinds_and_topics_by_the_words_told_on_the_bus(
        start_service: Any) -> None:
    events = await start_service(events_spec)
    metrics = await start_service(metrics_spec)
    starts = await publish_board_games_evening(events)
    year = str(starts.year)

    async def dashboard(lang: str, kind_words: str, topic_words: str | None,
                        **params: str) -> str | None:
        """The page when it offers the kind and the topic (None: not at all) by these
        words."""
        page = (await metrics.get("/dashboard", params={
            "lang": lang, "year": year, **params})).text
        kinds, topics = offered(page, "kind"), offered(page, "topic")
        return page if kinds.get("open_guided") == kind_words and topics.get(
            "board_games") == topic_words else None

    await eventually(lambda: dashboard("sv", "Öppen handledd verksamhet", "Brädspel"))
    await eventually(lambda: dashboard("en", "Open guided activity", "Board games"))
    page = await eventually(lambda: dashboard("fi", "Avoin ohjattu toiminta", "Lautapelit",
                                              topic="board_games"))
    assert re.search(r'<h2 id="shown">[^<]*, Lautapelit</h2>', page)

    # Retired: no more a choice, but a link that chose it still reads by its words.
    assert (await events.post("/vocabulary/topic/board_games/retire",
                              headers=COMMS)).status_code == 200
    await eventually(lambda: dashboard("sv", "Öppen handledd verksamhet", None))
    page = await eventually(lambda: dashboard("sv", "Öppen handledd verksamhet", "Brädspel",
                                              topic="board_games"))
    assert re.search(r'<h2 id="shown">[^<]*, Brädspel</h2>', page)
