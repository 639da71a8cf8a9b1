"""The follow page's words for the vocabulary's codes are the events service's: the labels
kept here agree with the seed of its `vocabulary` table, in Finnish, Swedish and English."""

from __future__ import annotations

import json
import re
from pathlib import Path

from services.notifications import vocabulary

SEED = Path(__file__).parents[2] / "events" / "migrations" / "002_calendar.sql"
SCHEMES = {"kind": "kinds", "topic": "topics", "audience": "audiences"}


def test_the_labels_agree_with_the_events_services_vocabulary() -> None:
    rows = re.findall(r"\('(kind|topic|audience)', '(\w+)', '(\{[^']*\})'\)",
                      SEED.read_text(encoding="utf-8"))
    assert len(rows) > 20, "the seed was not found: the test would check nothing"
    seeded: dict[str, dict[str, dict[str, str]]] = {}
    for scheme, code, label in rows:
        seeded.setdefault(SCHEMES[scheme], {})[code] = json.loads(label)
    assert seeded == vocabulary.LABELS


def test_areas_by_name_and_new_codes_as_words() -> None:
    assert vocabulary.label("areas", "kuopio.pyoro", "fi") == "Pyörö"
    assert vocabulary.label("areas", "kuopio.keskusta", "sv") == "Centrum"
    assert vocabulary.label("topics", "crafts", "sv") == "Pyssel och hantverk"
    assert vocabulary.label("kinds", "open_guided", "en") == "Open guided activity"
    # A code the city added after this list: its words, never the raw code.
    assert vocabulary.label("topics", "board_games", "fi") == "Board games"
