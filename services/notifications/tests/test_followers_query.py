"""The followers a new activity reaches are read in SQL with the activity's revision
(store.advance_event_for_planning), on the real PostgreSQL: the statement must pick exactly
those domain.subscription_matches accepts, over a grid of choices and activities, and leave
out the pending, the unsubscribed and the digest-only; a change that is no publication reads
none."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from services.notifications import domain
from services.notifications.store import NotificationStore
from shared.db import create_pool
from shared.uow import PgUnitOfWork

KANTTI, PETONEN = uuid4(), uuid4()

#: Each field's possible choices (an empty list: any).
CHOICES: dict[str, list[list[Any]]] = {
    "venue_ids": [[], [KANTTI], [KANTTI, PETONEN]],
    "areas": [[], ["kuopio.keskusta"], ["kuopio.petonen", "kuopio.jynkka"]],
    "topics": [[], ["music"], ["music", "digital"]],
    "audiences": [[], ["seniors"]],
    "kinds": [[], ["club"], ["course", "event"]],
}

ACTIVITIES: list[dict[str, Any]] = [
    {"venue_id": str(KANTTI), "area": "kuopio.keskusta", "topics": ["music"],
     "audiences": ["seniors", "families"], "kind": "club"},
    {"venue_id": str(PETONEN), "area": "kuopio.petonen", "topics": ["digital", "crafts"],
     "audiences": [], "kind": "course"},
    {"venue_id": None, "area": None, "topics": [], "audiences": ["youth"], "kind": "event"},
    {"venue_id": str(uuid4()), "area": "kuopio.jynkka", "topics": ["sports"],
     "audiences": ["seniors"], "kind": "club"},
]


async def test_followers_of_a_new_activity_are_those_the_domain_rule_accepts(
        fresh_database: Any) -> None:
    pool = await create_pool(await fresh_database("notifications"), 1, 2)
    try:
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        for n, combo in enumerate(itertools.product(*CHOICES.values())):
            choice = dict(zip(CHOICES, combo, strict=True))
            status = ("active", "active", "active", "pending", "unsubscribed")[n % 5]
            rows.append({"id": uuid4(), "status": status, "each_new": n % 7 != 0, **choice})
        await pool.executemany(
            """INSERT INTO subscriptions (id, email, status, venue_ids, areas, topics,
                                          audiences, kinds, each_new, created_at)
               VALUES ($1, 'seuraaja@example.fi', $2, $3, $4, $5, $6, $7, $8, $9)""",
            [(r["id"], r["status"], r["venue_ids"], r["areas"], r["topics"], r["audiences"],
              r["kinds"], r["each_new"], now) for r in rows])
        uow = PgUnitOfWork(pool, NotificationStore)
        for facts in ACTIVITIES:
            event_id = uuid4()
            venue = UUID(facts["venue_id"]) if facts["venue_id"] else None
            async with uow:
                quiet = await uow.store.advance_event_for_planning(
                    event_id, 1, "published", venue, facts["area"], facts, None, facts["kind"])
                advanced = await uow.store.advance_event_for_planning(
                    event_id, 2, "published", venue, facts["area"], facts, None,
                    facts["kind"], followers=True)
            assert quiet is not None and quiet.followers == []
            assert advanced is not None
            found = [r["id"] for r in advanced.followers]
            assert all(isinstance(r["venue_ids"], list) for r in advanced.followers)
            expected = sorted(
                (r["id"] for r in rows if r["status"] == "active" and r["each_new"]
                 and domain.subscription_matches({k: [str(v) for v in r[k]] for k in CHOICES},
                                                 facts)), key=UUID.__str__)
            assert sorted(found, key=UUID.__str__) == expected, facts
            assert expected, f"the grid reaches no follower of {facts}: it tests nothing"
    finally:
        await pool.close()
