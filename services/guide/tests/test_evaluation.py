"""The guide's evaluation: 150+ real-style questions in Finnish, Swedish and English over the
demo data, fed to the guide through its own Kafka handlers into a real PostgreSQL database
(the full-text and trigram search included). Prints accuracy and the wrong-answer rate per
language; asserts at least 90 % answered or handed over correctly and no confidently wrong
answer about opening hours or booking rules.

Scoring: an answer is correct when its kind is the expected one (hours, events, booking,
rules, location, accessibility, contact, clarify or handover), it is in the language asked,
it contains every expected fact and none of the absent ones. A wrong answer is a confident
answer (not a clarification or hand-over) that is not correct; a hand-over where an answer
was expected is a miss, not a wrong answer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from services.guide import usecases
from services.guide.domain import Links
from services.guide.handlers import on_activity_event, on_venue
from services.guide.tests.demo_data import NOW, activity_events, venue_events
from shared.clock import FixedClock
from shared.db import create_pool

pytestmark = pytest.mark.infra

QUESTIONS = json.loads((Path(__file__).parent / "eval" / "questions.json").read_text())[
    "questions"]


def score(expected: dict[str, Any], answer: dict[str, Any]) -> tuple[bool, bool]:
    """(correct, confidently wrong)."""
    text = answer["text"].lower()
    kinds = expected["kind"].split("|")
    correct = (answer["kind"] in kinds and answer["language"] == expected["lang"]
               and all(f.lower() in text for f in expected.get("facts", []))
               and not any(f.lower() in text for f in expected.get("absent", [])))
    return correct, answer["confident"] and not correct


def test_the_set_covers_each_language_and_kind() -> None:
    assert len(QUESTIONS) >= 150
    per_lang: dict[str, int] = defaultdict(int)
    for q in QUESTIONS:
        per_lang[q["lang"]] += 1
    assert min(per_lang.values()) >= 40, per_lang
    assert {k for q in QUESTIONS for k in q["kind"].split("|")} >= {
        "hours", "events", "booking", "rules", "location", "accessibility", "contact",
        "clarify", "handover"}


async def test_evaluation_accuracy_per_language(fresh_database: Any) -> None:
    dsn = await fresh_database("guide")
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn:
            for event in [*venue_events(), *activity_events()]:
                async with conn.transaction():
                    handler = on_venue if event.TOPIC == "booking.v1" else on_activity_event
                    await handler(conn, event, event.to_envelope())
        clock = FixedClock(NOW)
        results: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        failures = []
        hours_or_rules_wrong = []
        for q in QUESTIONS:
            # "given": the language the question was asked in (the page's, /ask's
            # `language`), for a question whose words do not tell it.
            _, answer = await usecases.answer(usecases.unit_of_work(pool), clock, Links(),
                                              q["q"], q.get("given"))
            got = usecases.answer_json(answer)
            correct, wrong = score(q, got)
            results[q["lang"]].append((correct, wrong))
            if not correct:
                failures.append(f"[{q['lang']}] {q['q']!r}: expected {q['kind']} "
                                f"{q.get('facts')}, got {got['kind']}/{got['language']}: "
                                f"{got['text'][:160]!r}")
            if wrong and (got["kind"] in ("hours", "rules") or q["kind"] in ("hours", "rules")):
                hours_or_rules_wrong.append(q["q"])
    finally:
        await pool.close()
    lines = ["", "guide evaluation (demo data, 1.12.2026 10:00):",
             "lang  questions  correct  accuracy  wrong answers"]
    total = correct_total = 0
    for lang in ("fi", "sv", "en"):
        rows = results[lang]
        right = sum(c for c, _ in rows)
        wrong = sum(w for _, w in rows)
        total += len(rows)
        correct_total += right
        lines.append(f"{lang:4}  {len(rows):9}  {right:7}  {right / len(rows):8.1%}  "
                     f"{wrong / len(rows):6.1%} ({wrong})")
    lines.append(f"all   {total:9}  {correct_total:7}  {correct_total / total:8.1%}")
    print("\n".join([*lines, "misses:", *failures]))
    assert hours_or_rules_wrong == [], hours_or_rules_wrong
    for lang in ("fi", "sv", "en"):
        rows = results[lang]
        assert sum(c for c, _ in rows) / len(rows) >= 0.9, (lang, failures)
